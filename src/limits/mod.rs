//! What the local gateway lets through, decided without I/O (pure): which
//! entity a request names and what it does to it, the read-only rule, the
//! hourly budget, the session token's check, Autotask's page addresses
//! rewritten to the gateway, the environment a client gets, and the
//! gateway's own answers with the stable `error` kind an agent acts on.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

mod answers;

pub use answers::GatewayError;

use crate::script::{
    ENV_API_HOST, ENV_API_URL, ENV_INTEGRATION_CODE, ENV_PROFILE, ENV_SECRET, ENV_USERNAME,
    ENV_WEB_URL,
};

/// Autotask's thread limit: calls in flight per integration code and entity.
pub const THREADS_PER_ENTITY: usize = 3;
/// The default budget: this share (in percent) of the tenant's hourly
/// threshold, as `ThresholdInformation` reported it when the session opened.
pub const DEFAULT_BUDGET_PERCENT: u64 = 10;
/// The threshold assumed when Autotask did not report one (its default).
pub const DEFAULT_THRESHOLD: u64 = 10_000;
/// How long the budget's window is.
pub const BUDGET_WINDOW: Duration = Duration::from_secs(3600);
/// The largest request body passed on (Autotask's attachments are the
/// largest it takes, a few MiB in base64).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// What a client sees instead of the profile's username and code: values
/// no Autotask tenant can hold (`.invalid` is reserved), so a client that
/// ignores `AUTOTASK_API_URL` and calls Autotask directly reaches no real
/// user and cannot spend a login attempt of the profile's API user.
pub const PLACEHOLDER_USERNAME: &str = "gateway@autotask-connect.invalid";
pub const PLACEHOLDER_INTEGRATION_CODE: &str = "AUTOTASKCONNECTLOCALGATEWAY";

/// `1` in a client's environment: it talks to a gateway.
pub const ENV_GATEWAY: &str = "AUTOTASK_GATEWAY";
/// `1` when creates, updates and deletes are refused, `0` with `--write`.
pub const ENV_READ_ONLY: &str = "AUTOTASK_GATEWAY_READ_ONLY";
/// The entities `--write-entity` allows to be written (comma-separated);
/// empty when any may be (or none, when read-only).
pub const ENV_WRITE_ENTITIES: &str = "AUTOTASK_GATEWAY_WRITE_ENTITIES";
/// Requests per hour this session may send to Autotask.
pub const ENV_BUDGET: &str = "AUTOTASK_GATEWAY_BUDGET";
/// Requests in flight per entity, at most (more wait their turn).
pub const ENV_THREADS: &str = "AUTOTASK_GATEWAY_THREADS_PER_ENTITY";

/// Every variable of a gateway's own (beside `exec`'s): cleared from what a
/// child inherits, then set.
pub const ENV_NAMES: [&str; 5] = [
    ENV_GATEWAY,
    ENV_READ_ONLY,
    ENV_WRITE_ENTITIES,
    ENV_BUDGET,
    ENV_THREADS,
];

/// The REST base every gateway serves, as Autotask spells it.
pub const REST_BASE: &str = "/ATServicesRest/V1.0/";

/// What a request does to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Read,
    /// `POST …/query` and `POST …/query/count`: reads, by Autotask's verbs.
    Query,
    Create,
    Update,
    Delete,
}

impl Verb {
    pub fn writes(self) -> bool {
        matches!(self, Verb::Create | Verb::Update | Verb::Delete)
    }

    pub(crate) fn word(self) -> &'static str {
        match self {
            Verb::Read => "read",
            Verb::Query => "query",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Delete => "delete",
        }
    }
}

/// One request, as far as the gateway judges it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The entity as the URL spells it (`Companies`); for a child created
    /// or changed under its parent (`Tickets/12/Notes`), Autotask's name
    /// for the child (`TicketNotes`).
    pub entity: String,
    /// A child's own segment (`Notes`): `--write-entity` may name either.
    pub child: Option<String>,
    pub verb: Verb,
    /// What follows `V1.0/`, query string included, as the client sent it.
    pub path_and_query: String,
    /// `zoneInformation`: answered by the gateway itself, never sent.
    pub zone_lookup: bool,
}

/// Why a request cannot be routed to Autotask at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unroutable {
    /// Not under `/ATServicesRest/V1.0/`, or a path that could leave it.
    NotFound,
    MethodNotAllowed,
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `Tickets` -> `Ticket`, `Companies` -> `Company`: how Autotask names a
/// child entity after its parent (`TicketNotes`, `CompanyNotes`).
fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        plural.strip_suffix('s').unwrap_or(plural).to_string()
    }
}

/// Routes `method` on `target` (path and query as received).
pub fn route(method: &str, target: &str) -> Result<Route, Unroutable> {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let prefix = path
        .get(..REST_BASE.len())
        .filter(|p| p.eq_ignore_ascii_case(REST_BASE))
        .ok_or(Unroutable::NotFound)?;
    let rest = &path[prefix.len()..];
    // Nothing that a URL parser could turn into another path: no dot
    // segments, no backslashes, no encoded dots, slashes or backslashes.
    let lower = rest.to_ascii_lowercase();
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|s| *s == "." || *s == "..")
        || ["%2e", "%2f", "%5c", "\\"]
            .iter()
            .any(|b| lower.contains(b))
        || rest.chars().any(|c| c.is_control() || c == ' ')
    {
        return Err(Unroutable::NotFound);
    }
    let entity = segments[0];
    if !is_name(entity) {
        return Err(Unroutable::NotFound);
    }
    let after: Vec<String> = segments[1..]
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let after: Vec<&str> = after.iter().map(String::as_str).collect();
    let verb = match method.to_ascii_uppercase().as_str() {
        "GET" | "HEAD" => Verb::Read,
        "POST" if matches!(after.as_slice(), ["query"] | ["query", "count"]) => Verb::Query,
        "POST" => Verb::Create,
        "PUT" | "PATCH" => Verb::Update,
        "DELETE" => Verb::Delete,
        _ => return Err(Unroutable::MethodNotAllowed),
    };
    let zone_lookup = entity.eq_ignore_ascii_case("zoneInformation");
    if zone_lookup && verb != Verb::Read {
        return Err(Unroutable::MethodNotAllowed);
    }
    let child = match segments.as_slice() {
        [_, id, child, ..] if id.bytes().all(|b| b.is_ascii_digit()) && is_name(child) => {
            Some(child.to_string())
        }
        _ => None,
    };
    Ok(Route {
        entity: match &child {
            Some(c) => format!("{}{c}", singular(entity)),
            None => entity.to_string(),
        },
        child,
        verb,
        path_and_query: match query {
            Some(q) => format!("{rest}?{q}"),
            None => rest.to_string(),
        },
        zone_lookup,
    })
}

/// `--write` and `--write-entity`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WritePolicy {
    /// Creates, updates and deletes pass at all (`--write`).
    pub write: bool,
    /// Only these entities may be written; empty: any (with `write`).
    pub entities: Vec<String>,
}

/// A `--write-entity` name that is not an entity name.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "\"{0}\" is not an Autotask entity name for --write-entity: use the plural names from \
     Autotask's API, letters and digits, comma-separated, such as Tickets,TicketNotes."
)]
pub struct WriteEntityError(pub String);

impl WritePolicy {
    /// `names` as given (each may be a comma-separated list).
    pub fn new(write: bool, names: &[String]) -> Result<WritePolicy, WriteEntityError> {
        let mut entities: Vec<String> = Vec::new();
        for name in names.iter().flat_map(|n| n.split(',')).map(str::trim) {
            if !is_name(name) {
                return Err(WriteEntityError(name.chars().take(80).collect()));
            }
            if !entities.iter().any(|e| e.eq_ignore_ascii_case(name)) {
                entities.push(name.to_string());
            }
        }
        Ok(WritePolicy { write, entities })
    }

    /// Whether `route` may go out: reads always, writes as allowed.
    pub fn permits(&self, route: &Route) -> bool {
        if !route.verb.writes() {
            return true;
        }
        let named = |n: &str| self.entities.iter().any(|e| e.eq_ignore_ascii_case(n));
        self.write
            && (self.entities.is_empty()
                || named(&route.entity)
                || route.child.as_deref().is_some_and(named))
    }
}

/// The session's hourly budget: requests sent to Autotask within the last
/// [`BUDGET_WINDOW`], at most `per_hour`.
#[derive(Clone, Debug)]
pub struct Budget {
    per_hour: u64,
    sent: VecDeque<Instant>,
}

/// The default budget for a tenant's threshold (`None`: not reported).
pub fn default_budget(threshold: Option<u64>) -> u64 {
    (threshold.unwrap_or(DEFAULT_THRESHOLD) * DEFAULT_BUDGET_PERCENT / 100).max(1)
}

impl Budget {
    pub fn new(per_hour: u64) -> Budget {
        Budget {
            per_hour,
            sent: VecDeque::new(),
        }
    }

    pub fn per_hour(&self) -> u64 {
        self.per_hour
    }

    fn forget_before(&mut self, now: Instant) {
        while self
            .sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= BUDGET_WINDOW)
        {
            self.sent.pop_front();
        }
    }

    /// Takes one request at `now`, or says how long until one is free.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        self.forget_before(now);
        if (self.sent.len() as u64) < self.per_hour {
            self.sent.push_back(now);
            return Ok(());
        }
        let oldest = self.sent.front().copied().unwrap_or(now);
        Err(BUDGET_WINDOW.saturating_sub(now.saturating_duration_since(oldest)))
    }

    /// Gives back the request taken last (it was never sent).
    pub fn give_back(&mut self) {
        self.sent.pop_back();
    }

    /// Requests taken within the window ending at `now`.
    pub fn last_hour(&mut self, now: Instant) -> u64 {
        self.forget_before(now);
        self.sent.len() as u64
    }
}

/// Whole seconds to wait, rounded up (a client told 0 would retry at once).
pub fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// Whether a request carries the session `token`: in `Secret` (where any
/// Autotask client puts it) or as `Authorization: Bearer`. Compared in
/// constant time.
pub fn carries_token(token: &str, secret: Option<&[u8]>, authorization: Option<&[u8]>) -> bool {
    let bearer = authorization.and_then(|a| {
        let text = std::str::from_utf8(a).ok()?.trim();
        let (scheme, value) = text.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| value.trim().as_bytes())
    });
    [secret, bearer]
        .into_iter()
        .flatten()
        .any(|given| same_bytes(token.as_bytes(), given))
}

fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a `Host` header names the gateway itself (127.0.0.1 or
/// localhost at its port): a browser page that rebinds a name of its own
/// to 127.0.0.1 gets nothing.
pub fn is_own_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return true; // HTTP/1.0 clients send none
    };
    let (name, given) = match host.rsplit_once(':') {
        Some((n, p)) => (n, p.parse::<u16>().ok()),
        None => (host, None),
    };
    given == Some(port) && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost"))
}

/// `body` with the zone's REST addresses (`nextPageUrl`, `prevPageUrl`:
/// `https://webservicesN.autotask.net/ATServicesRest/…`, plain or with
/// JSON's `\/`) pointing at the gateway's `base`
/// (`http://127.0.0.1:PORT/ATServicesRest/`), so that a client that follows
/// them keeps coming through it. `None` when there is none.
pub fn rewrite_zone_urls(body: &str, api_host: &str, base: &str) -> Option<String> {
    let plain = format!("https://{api_host}/ATServicesRest/").to_ascii_lowercase();
    let escaped = plain.replace('/', "\\/");
    let base_escaped = base.replace('/', "\\/");
    let lower = body.to_ascii_lowercase();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while at < body.len() {
        let hit = [(&plain, base), (&escaped, base_escaped.as_str())]
            .into_iter()
            .find(|(needle, _)| lower[at..].starts_with(needle.as_str()));
        match hit {
            Some((needle, with)) => {
                out.push_str(&body[copied..at]);
                out.push_str(with);
                at += needle.len();
                copied = at;
            }
            None => at += body[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    (copied > 0).then(|| {
        out.push_str(&body[copied..]);
        out
    })
}

/// The limits a session runs with, as its clients are told them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    pub writes: WritePolicy,
    pub budget: u64,
}

/// The environment a gateway's client gets: the gateway's REST base, the
/// session token as the secret, placeholders for the username and the
/// integration code, and the limits by their documented names.
pub fn environment(
    profile: &str,
    port: u16,
    token: &str,
    web_url: &str,
    limits: &Limits,
) -> Vec<(&'static str, String)> {
    let host = format!("127.0.0.1:{port}");
    let writes = &limits.writes;
    vec![
        (ENV_API_URL, format!("http://{host}{REST_BASE}")),
        (ENV_SECRET, token.to_string()),
        (ENV_USERNAME, PLACEHOLDER_USERNAME.to_string()),
        (
            ENV_INTEGRATION_CODE,
            PLACEHOLDER_INTEGRATION_CODE.to_string(),
        ),
        (ENV_API_HOST, host),
        (ENV_WEB_URL, web_url.to_string()),
        (ENV_PROFILE, profile.to_string()),
        (ENV_GATEWAY, "1".to_string()),
        (
            ENV_READ_ONLY,
            if writes.write { "0" } else { "1" }.to_string(),
        ),
        (
            ENV_WRITE_ENTITIES,
            if writes.write {
                writes.entities.join(",")
            } else {
                String::new()
            },
        ),
        (ENV_BUDGET, limits.budget.to_string()),
        (ENV_THREADS, THREADS_PER_ENTITY.to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(method: &str, target: &str) -> Route {
        route(method, target).unwrap()
    }

    #[test]
    fn routes_name_the_entity_and_what_is_done_to_it() {
        let q = r("POST", "/ATServicesRest/V1.0/Companies/query");
        assert_eq!((q.entity.as_str(), q.verb), ("Companies", Verb::Query));
        assert_eq!(q.path_and_query, "Companies/query");
        let c = r("post", "/atservicesrest/v1.0/Tickets/query/count");
        assert_eq!(c.verb, Verb::Query);
        let g = r(
            "GET",
            "/ATServicesRest/V1.0/Companies/query?search={%22filter%22:[]}",
        );
        assert_eq!(g.verb, Verb::Read);
        assert_eq!(g.path_and_query, "Companies/query?search={%22filter%22:[]}");
        assert_eq!(r("POST", "/ATServicesRest/V1.0/Tickets").verb, Verb::Create);
        assert_eq!(
            r("PATCH", "/ATServicesRest/V1.0/Tickets").verb,
            Verb::Update
        );
        assert_eq!(r("PUT", "/ATServicesRest/V1.0/Tickets").verb, Verb::Update);
        assert_eq!(
            r("DELETE", "/ATServicesRest/V1.0/Tasks/5").verb,
            Verb::Delete
        );
        let note = r("POST", "/ATServicesRest/V1.0/Tickets/12/Notes");
        assert_eq!(
            (note.entity.as_str(), note.child.as_deref(), note.verb),
            ("TicketNotes", Some("Notes"), Verb::Create)
        );
        let company = r("POST", "/ATServicesRest/V1.0/Companies/7/Notes");
        assert_eq!(company.entity, "CompanyNotes");
        assert_eq!(r("GET", "/ATServicesRest/V1.0/Companies/0").child, None);
        assert!(r("GET", "/ATServicesRest/V1.0/zoneInformation?user=x").zone_lookup);
    }

    #[test]
    fn nothing_outside_the_rest_base_is_routed() {
        for target in [
            "/",
            "/ATServicesRest/V2.0/Companies/0",
            "/ATServicesRest/V1.0/",
            "/ATServicesRest/V1.0/../versioninformation",
            "/ATServicesRest/V1.0/Companies/../../x",
            "/ATServicesRest/V1.0/%2e%2e/x",
            "/ATServicesRest/V1.0/Companies%2F0",
            "/ATServicesRest/V1.0/Companies\\0",
            "/ATServicesRest/V1.0//evil.example/x",
            "/ATServicesRest/V1.0/@evil.example",
        ] {
            assert_eq!(route("GET", target), Err(Unroutable::NotFound), "{target}");
        }
        assert_eq!(
            route("OPTIONS", "/ATServicesRest/V1.0/Companies/0"),
            Err(Unroutable::MethodNotAllowed)
        );
        assert_eq!(
            route("POST", "/ATServicesRest/V1.0/zoneInformation"),
            Err(Unroutable::MethodNotAllowed)
        );
    }

    #[test]
    fn read_only_by_default_and_write_entities_narrow_writes() {
        let create = r("POST", "/ATServicesRest/V1.0/Tickets");
        let query = r("POST", "/ATServicesRest/V1.0/Tickets/query");
        let note = r("POST", "/ATServicesRest/V1.0/Tickets/3/Notes");
        let delete = r("DELETE", "/ATServicesRest/V1.0/Companies/3");
        let read_only = WritePolicy::default();
        assert!(read_only.permits(&query));
        assert!(!read_only.permits(&create));
        let all = WritePolicy::new(true, &[]).unwrap();
        assert!(all.permits(&create) && all.permits(&delete));
        let some = WritePolicy::new(true, &["tickets, TicketNotes".into()]).unwrap();
        assert_eq!(some.entities, ["tickets", "TicketNotes"]);
        assert!(some.permits(&create) && some.permits(&note) && some.permits(&query));
        assert!(!some.permits(&delete));
        let notes_only = WritePolicy::new(true, &["Notes".into()]).unwrap();
        assert!(notes_only.permits(&note) && !notes_only.permits(&create));
        assert!(WritePolicy::new(true, &["Tick ets".into()]).is_err());
        assert!(WritePolicy::new(true, &["".into()]).is_err());
        let e = GatewayError::read_only("post", &create, &some);
        assert_eq!((e.kind(), e.status()), ("read_only", 403));
        assert!(
            e.message().contains("writes only tickets, TicketNotes"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn the_budget_refuses_past_its_cap_and_says_how_long_to_wait() {
        let start = Instant::now();
        let mut b = Budget::new(3);
        for i in 0..3 {
            assert!(b.take(start + Duration::from_secs(i)).is_ok());
        }
        let wait = b.take(start + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(3590));
        assert_eq!(retry_after_seconds(wait), 3590);
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
        // The oldest leaves the window after an hour.
        assert!(b.take(start + BUDGET_WINDOW).is_ok());
        assert_eq!(b.last_hour(start + BUDGET_WINDOW), 3);
        b.give_back();
        assert_eq!(b.last_hour(start + BUDGET_WINDOW), 2);
        assert_eq!(default_budget(Some(10_000)), 1_000);
        assert_eq!(default_budget(Some(25_000)), 2_500);
        assert_eq!(default_budget(None), 1_000);
        assert_eq!(default_budget(Some(0)), 1);
    }

    #[test]
    fn only_the_session_token_opens_the_gateway() {
        let t = "atgw_0123456789abcdef";
        assert!(carries_token(t, Some(t.as_bytes()), None));
        assert!(carries_token(
            t,
            None,
            Some(format!("Bearer {t}").as_bytes())
        ));
        assert!(carries_token(
            t,
            Some(b"wrong"),
            Some(format!("bearer  {t} ").as_bytes())
        ));
        assert!(!carries_token(t, None, None));
        assert!(!carries_token(t, Some(b"atgw_0123456789abcdeF"), None));
        assert!(!carries_token(t, Some(&t.as_bytes()[..10]), None));
        assert!(!carries_token(
            t,
            None,
            Some(format!("Basic {t}").as_bytes())
        ));
        assert!(is_own_host(Some("127.0.0.1:4100"), 4100));
        assert!(is_own_host(Some("LOCALHOST:4100"), 4100));
        assert!(!is_own_host(Some("127.0.0.1:4101"), 4100));
        assert!(!is_own_host(Some("evil.example:4100"), 4100));
        assert!(!is_own_host(Some("127.0.0.1"), 4100));
    }

    #[test]
    fn page_addresses_point_back_at_the_gateway() {
        let base = "http://127.0.0.1:4100/ATServicesRest/";
        let body = r#"{"items":[],"pageDetails":{"nextPageUrl":"https://WebServices5.autotask.net/ATServicesRest/V1.0/Companies/query/next?paging=3-3","prevPageUrl":"https:\/\/webservices5.autotask.net\/atservicesrest\/V1.0\/x"}}"#;
        let out = rewrite_zone_urls(body, "webservices5.autotask.net", base).unwrap();
        assert!(out.contains(r#""nextPageUrl":"http://127.0.0.1:4100/ATServicesRest/V1.0/Companies/query/next?paging=3-3""#), "{out}");
        assert!(
            out.contains(r#""prevPageUrl":"http:\/\/127.0.0.1:4100\/ATServicesRest\/V1.0\/x""#),
            "{out}"
        );
        assert_eq!(
            rewrite_zone_urls(
                r#"{"a":"https://webservices6.autotask.net/ATServicesRest/"}"#,
                "webservices5.autotask.net",
                base
            ),
            None
        );
        assert_eq!(
            rewrite_zone_urls("ünïcode only", "webservices5.autotask.net", base),
            None
        );
    }

    #[test]
    fn a_client_is_told_the_gateway_the_token_and_the_limits() {
        let limits = Limits {
            writes: WritePolicy::new(true, &["Tickets".into(), "TicketNotes".into()]).unwrap(),
            budget: 250,
        };
        let env = environment(
            "Contoso",
            4100,
            "atgw_x",
            "https://ww5.autotask.net/",
            &limits,
        );
        let get = |k: &str| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            get("AUTOTASK_API_URL"),
            Some("http://127.0.0.1:4100/ATServicesRest/V1.0/")
        );
        assert_eq!(get("AUTOTASK_SECRET"), Some("atgw_x"));
        assert_eq!(get("AUTOTASK_USERNAME"), Some(PLACEHOLDER_USERNAME));
        assert_eq!(
            get("AUTOTASK_INTEGRATION_CODE"),
            Some(PLACEHOLDER_INTEGRATION_CODE)
        );
        assert_eq!(get("AUTOTASK_GATEWAY"), Some("1"));
        assert_eq!(get("AUTOTASK_GATEWAY_READ_ONLY"), Some("0"));
        assert_eq!(
            get("AUTOTASK_GATEWAY_WRITE_ENTITIES"),
            Some("Tickets,TicketNotes")
        );
        assert_eq!(get("AUTOTASK_GATEWAY_BUDGET"), Some("250"));
        assert_eq!(get("AUTOTASK_GATEWAY_THREADS_PER_ENTITY"), Some("3"));
        let read_only = environment(
            "C",
            1,
            "t",
            "w",
            &Limits {
                writes: WritePolicy::default(),
                budget: 1,
            },
        );
        assert_eq!(
            read_only
                .iter()
                .find(|(n, _)| *n == ENV_READ_ONLY)
                .unwrap()
                .1,
            "1"
        );
        assert_eq!(
            read_only
                .iter()
                .find(|(n, _)| *n == ENV_WRITE_ENTITIES)
                .unwrap()
                .1,
            ""
        );
    }
}
