//! The judges: pure functions from what came back to a step, with the input
//! it blames and the fix in Autotask's terms.

use serde_json::Value;

use super::input::Entity;
use super::types::{ApiUser, Blame, EntityAccess, SignIn, Status, Step, StepId};
use crate::credentials::Credentials;
use crate::rest::{self, AccessLevel, Body, EntityInfo, Exchange, Failure, Usage};
use crate::zone::Zone;

// ------------------------------------------------------------ Autotask UI

pub(super) const API_USERS: &str =
    "Admin › Company Settings & Users › Resources/Users (HR) › Resources/Users";
const SECURITY_LEVELS: &str =
    "Admin › Company Settings & Users › Resources/Users (HR) › Security Levels";
pub(crate) const HELP_API_USER: &str = "https://www.autotask.net/help/Content/4_Admin/1CompanySettings_Users/ResourcesUsersHR/Resources/API_User_Add_Edit.htm";
pub(crate) const HELP_SECURITY_LEVELS: &str = "https://www.autotask.net/help/Content/4_Admin/1CompanySettings_Users/ResourcesUsersHR/Security/System_Security_Levels.htm";

// ------------------------------------------------------ generic failures

/// One sentence for any failure: what came back.
pub(super) fn failure_sentence(f: &Failure, host: &str) -> String {
    match f {
        Failure::Transport(t) => t.message.clone(),
        Failure::Redirect { status, location } => format!(
            "{host} answered HTTP {status}, a redirect to {}; it was not followed, so the credentials \
             went nowhere else",
            location.as_deref().unwrap_or("(no address)")
        ),
        Failure::Unreadable { status, reason, .. } => {
            format!("{host} answered HTTP {status} but {reason}")
        }
        Failure::Status {
            status,
            errors,
            body,
            ..
        } => {
            let said = match (errors.is_empty(), body) {
                (false, Body::Html(_)) => format!(" with {}", errors.join("; ")),
                (false, _) => format!(": \"{}\"", errors.join("\"; \"")),
                (true, _) => " with no details".to_string(),
            };
            format!("{host} answered HTTP {status}{said}")
        }
    }
}

/// For failures that are nobody's input in particular.
pub(super) fn failure_blame_fix(f: &Failure) -> (Option<Blame>, String) {
    match f {
        Failure::Transport(t) => (Some(Blame::Network), t.fix()),
        Failure::Redirect { .. } => (
            Some(Blame::Network),
            "Autotask's API does not redirect; a proxy or filter on this network probably does. \
             Have *.autotask.net allowed without redirection."
                .into(),
        ),
        Failure::Unreadable {
            body: Body::Html(_),
            ..
        }
        | Failure::Status {
            body: Body::Html(_),
            ..
        } => (
            Some(Blame::Network),
            "An HTML page is not an Autotask API answer: a proxy, captive portal or web filter is \
             probably answering for autotask.net. Open your Autotask portal in a browser on this \
             computer, deal with any login or block page, or have *.autotask.net allowed."
                .into(),
        ),
        Failure::Status { status: 429, .. } => (Some(Blame::RateLimit), rate_limit_fix(f)),
        _ => (
            None,
            "Autotask reported a problem of its own. Try again in a few minutes; if it keeps \
             happening, send the copied report to Autotask support."
                .into(),
        ),
    }
}

fn is_thread_limit(f: &Failure) -> bool {
    let t = f.error_text();
    t.contains("itgenatr005") || t.contains("thread threshold")
}

fn rate_limit_sentence(f: &Failure) -> String {
    let retry = match f {
        Failure::Status {
            retry_after: Some(r),
            ..
        } => match rest::retry_after_seconds(r) {
            Some(d) => format!(" Autotask asks to wait {} s.", d.as_secs()),
            None => format!(" Autotask asks to wait until {r}."),
        },
        _ => String::new(),
    };
    if is_thread_limit(f) {
        format!(
            "Autotask refused the call: more than 3 calls were running at once for this \
             integration code and entity (thread threshold).{retry}"
        )
    } else {
        format!(
            "Autotask refused the call: the tenant has used its hourly request limit (10,000 \
             requests, shared by every integration).{retry}"
        )
    }
}

fn rate_limit_fix(f: &Failure) -> String {
    if is_thread_limit(f) {
        "Another program using the same integration code is busy with the same entity. Wait a \
         moment and test again."
            .into()
    } else {
        "Wait until the hour rolls over. The limit is shared by all integrations on the tenant: \
         find the one that polls most and slow it down."
            .into()
    }
}

fn is_permission_text(f: &Failure) -> bool {
    let t = f.error_text();
    t.contains("permission") || t.contains("not authorized") || t.contains("access denied")
}

// -------------------------------------------------------- authentication

/// What became of the secret in the one authenticated call.
pub(super) fn judge_sign_in(result: &Result<Value, Failure>) -> SignIn {
    match result {
        Ok(_) => SignIn::Accepted,
        Err(Failure::Transport(t)) if !t.sent => SignIn::FailedBeforeSending,
        Err(f @ Failure::Status { status, .. })
            if matches!(status, 401 | 403)
                || (*status == 500 && (is_permission_text(f) || is_code_refused(f))) =>
        {
            SignIn::Refused
        }
        Err(_) => SignIn::NoVerdict,
    }
}

fn is_code_refused(f: &Failure) -> bool {
    let text = f.error_text();
    text.contains("integrationcode") || text.contains("integration code")
}

/// How long a brand-new API user may take before Autotask accepts it.
pub(super) const NEW_USER_WAIT_SECS: u64 = 5 * 60;

/// `passed_before`: a check on this computer has passed with this username
/// (it is an API user, and not a new one).
pub(super) fn judge_authentication(
    exchange: Exchange,
    result: &Result<Value, Failure>,
    zone: Zone,
    creds: &Credentials,
    web_url: &str,
    passed_before: bool,
) -> (Step, Option<Usage>) {
    let id = StepId::Authentication;
    let host = zone.api_host();
    let portal = Some(web_url.to_string());
    let step =
        |status, message: String| Step::new(id, status, message).with_http([exchange.clone()]);
    let f = match result {
        Ok(json) => {
            return (
                step(
                    Status::Passed,
                    format!(
                        "Autotask accepted the username, secret and integration code at {host}."
                    ),
                ),
                rest::parse_usage(json),
            );
        }
        Err(f) => f,
    };
    let once =
        " The check sent the secret once and will not retry: repeated failures lock the API user.";
    let text = f.error_text();
    let s = match f {
        Failure::Status { status: 401, .. } if text.contains("locked") => step(
            Status::Failed,
            format!("Autotask has locked this API user (\"{}\"), usually after repeated wrong secrets.", first_error(f)),
        )
        .blaming(Blame::Locked, "Ask an Autotask administrator to unlock the API user, then test once.")
        .details(format!(
            "{API_USERS}: edit the API user and clear its locked state. Then test once with the \
             secret your integration uses (a new secret would stop every integration using the \
             old one)."
        ))
        .link(portal),
        // Never seen to pass here: a new API user is the likelier story than
        // a wrong secret, and waiting costs nothing where a new secret would.
        Failure::Status { status: 401, .. } if !passed_before => step(
            Status::Failed,
            if creds.username.is_generated_key() {
                format!(
                    "Autotask refused the sign-in at {host} (HTTP 401). This username has not \
                     passed a check on this computer yet: a new API user takes about 5 minutes \
                     before Autotask accepts it.{once}"
                )
            } else {
                format!(
                    "Autotask refused the sign-in at {host} (HTTP 401). If this is a new API user, \
                     Autotask takes about 5 minutes before it accepts it; a person's login is never \
                     accepted by the REST API.{once}"
                )
            },
        )
        .blaming(
            Blame::NewUser,
            "If the API user was created in the last few minutes, wait 5 minutes, then test once.",
        )
        .details(format!(
            "If it is older than that, {} Paste the secret again exactly as it was generated; if \
             nobody has it any more, {API_USERS}, edit the API user and Generate Secret (the old \
             secret then stops working everywhere it is used).",
            if creds.username.is_generated_key() {
                "the secret is wrong."
            } else {
                "check that this is the API user's Username (Key) from its Credentials section, \
                 not a person's e-mail address; if it is, the secret is wrong."
            }
        ))
        .link(portal),
        Failure::Status { status: 401, .. } => step(
            Status::Failed,
            format!(
                "Autotask refused the secret for this username at {host} (HTTP 401). This username \
                 has passed a check here before, so it is an API user and the secret is wrong.{once}"
            ),
        )
        .blaming(Blame::Secret, "Paste the secret again exactly as it was generated.")
        .details(format!(
            "If nobody has it any more: {API_USERS}, edit the API user, Generate Secret, and paste \
             the new one (the old one then stops working everywhere it is used)."
        ))
        .link(portal),
        Failure::Status { status: 500, .. } if is_code_refused(f) => step(
            Status::Failed,
            format!("Autotask does not accept this integration code (\"{}\").", first_error(f)),
        )
        .blaming(
            Blame::IntegrationCode,
            "Copy the API Tracking Identifier again, whole (usually 27 characters).",
        )
        .details(format!(
            "{API_USERS}, edit the API user, API Tracking Identifier. For your own integration \
             choose \"Custom (Internal Integration)\"; a vendor's code works only for that \
             vendor's product."
        ))
        .link(portal),
        Failure::Status { status: 500, .. } if text.contains(rest::ZONE_UNKNOWN_TEXT) =>
        {
            step(Status::Failed, format!("Autotask does not know this username ({}).", first_error(f)))
                .blaming(Blame::Username, "Paste the Username (Key) from the API user's Credentials section.")
        }
        Failure::Status { status: 403, .. } => step(
            Status::Failed,
            format!(
                "Autotask refused API access for this user (HTTP 403{}): its security level does \
                 not allow logging in to the Web Services API.",
                quoted_errors(f)
            ),
        )
        .blaming(
            Blame::Licence,
            "Allow \"Can login to Web Services API\" in the API user's security level.",
        )
        .details(format!(
            "{SECURITY_LEVELS}: edit the API user's security level, Web Services API — or give the \
             user \"API User (system)\" or a copy of it."
        ))
        .link(Some(HELP_SECURITY_LEVELS.into())),
        Failure::Status { status: 500, .. } if is_permission_text(f) => step(
            Status::Failed,
            format!("Autotask refused the call for lack of permission (\"{}\").", first_error(f)),
        )
        .blaming(
            Blame::Licence,
            format!("{SECURITY_LEVELS}: give the API user a security level based on \"API User (system)\"."),
        )
        .link(Some(HELP_SECURITY_LEVELS.into())),
        Failure::Status { status: 429, .. } => {
            step(Status::Failed, rate_limit_sentence(f)).blaming(Blame::RateLimit, rate_limit_fix(f))
        }
        Failure::Status { status: 404, .. } => step(
            Status::Failed,
            format!("{host} has no Autotask REST API at this address (HTTP 404)."),
        )
        .blaming(
            Blame::Zone,
            "Check the Autotask URL: paste the address of your Autotask portal (wwN.autotask.net), or \
             leave it empty to discover the zone from the username.",
        ),
        other => {
            let (blame, fix) = failure_blame_fix(other);
            let mut s = step(Status::Failed, failure_sentence(other, &host) + ".");
            s.blame = blame;
            s.fix = Some(fix);
            s
        }
    };
    (s, None)
}

fn first_error(f: &Failure) -> String {
    match f {
        Failure::Status { errors, .. } if !errors.is_empty() => errors[0].clone(),
        _ => "no details".into(),
    }
}

fn quoted_errors(f: &Failure) -> String {
    match f {
        Failure::Status { errors, body, .. }
            if !errors.is_empty() && !matches!(body, Body::Html(_)) =>
        {
            format!(": \"{}\"", errors.join("\"; \""))
        }
        _ => String::new(),
    }
}

// ----------------------------------------------------------------- tenant

pub(super) fn judge_tenant(
    exchange: Exchange,
    result: &Result<Value, Failure>,
    web_url: &str,
) -> (Step, Option<String>) {
    let id = StepId::Tenant;
    let base =
        |status, message: String| Step::new(id, status, message).with_http([exchange.clone()]);
    match result {
        Ok(json) => match rest::parse_company_zero(json) {
            Some(Some(name)) => (
                base(Status::Passed, format!("Company 0, your own company in Autotask, is \"{name}\".")),
                Some(name),
            ),
            Some(None) => (
                base(
                    Status::Warning,
                    "Company 0 (your own company) is hidden from this API user: its lines of business \
                     probably exclude it, so the integration will not see some records either."
                        .into(),
                )
                .blaming(
                    Blame::Permissions,
                    format!(
                        "{API_USERS}, edit the API user, and under Line of Business associate it with \
                         all lines of business the integration needs."
                    ),
                )
                .link(Some(web_url.into())),
                None,
            ),
            None => (
                base(Status::Warning, "Autotask's answer for company 0 could not be read.".into()),
                None,
            ),
        },
        Err(f @ Failure::Status { status, .. })
            if *status == 403 || (*status == 500 && is_permission_text(f)) =>
        {
            (
                base(
                    Status::Warning,
                    format!(
                        "The API user may not read Companies (HTTP {status}{}), so the tenant's own \
                         company could not be shown.",
                        quoted_errors(f)
                    ),
                )
                .blaming(
                    Blame::Permissions,
                    format!("{SECURITY_LEVELS}: allow the API user's security level to read Companies."),
                )
                .link(Some(HELP_SECURITY_LEVELS.into())),
                None,
            )
        }
        Err(f @ Failure::Status { status: 429, .. }) => (
            base(Status::Warning, rate_limit_sentence(f)).blaming(Blame::RateLimit, rate_limit_fix(f)),
            None,
        ),
        Err(f) => {
            let (blame, fix) = failure_blame_fix(f);
            let mut s = base(Status::Failed, format!("Company 0 could not be read: {}.", failure_sentence(f, "Autotask")));
            s.blame = blame;
            s.fix = Some(fix);
            (s, None)
        }
    }
}

/// The API user's own Resource record from the identity read.
pub(super) fn judge_api_user(result: &Result<Value, Failure>) -> ApiUser {
    match result {
        Ok(json) => match rest::parse_own_resource(json) {
            Some(Some(record)) => ApiUser::Read(record),
            Some(None) => ApiUser::NotFound,
            None => ApiUser::Unknown("Autotask's answer could not be read".into()),
        },
        Err(f @ Failure::Status { status, .. })
            if *status == 403 || (*status == 500 && is_permission_text(f)) =>
        {
            ApiUser::NotReadable
        }
        Err(f) => ApiUser::Unknown(failure_sentence(f, "Autotask")),
    }
}

/// The tenant step with what the identity read found: said in its message;
/// a record to act on (no e-mail for notices, inactive, another licence)
/// makes a passing step a warning with the fix.
pub(super) fn with_api_user(step: Step, user: &ApiUser, exchange: Exchange) -> Step {
    let mut step = step.with_http([exchange]);
    step.message = format!("{} {}", step.message, user.sentence());
    let ApiUser::Read(r) = user else {
        return step;
    };
    let mut todo = Vec::new();
    if r.email.is_none() {
        todo.push("give it an e-mail address someone reads (Autotask sends lockout and threshold notices there)");
    }
    if r.active == Some(false) {
        todo.push("tick Active (an inactive API user cannot sign in)");
    }
    if r.license_type
        .is_some_and(|t| t != super::types::API_USER_LICENCE)
    {
        todo.push(
            "give the integration a user made with New API User (other licences are for people)",
        );
    }
    if !todo.is_empty() && step.status == Status::Passed {
        step.status = Status::Warning;
        step = step
            .fix(format!("Edit the API user: {}.", todo.join("; ")))
            .details(format!("{API_USERS}, edit the API user, General section."));
    }
    step
}

// ------------------------------------------------------------ permissions

fn level_word(level: Option<AccessLevel>) -> &'static str {
    match level {
        Some(AccessLevel::All) => "all",
        Some(AccessLevel::Restricted) => "restricted",
        Some(AccessLevel::None) => "none",
        None => "unknown",
    }
}

/// Whether Autotask says the user may create or edit these records.
fn can_write(a: &EntityAccess) -> bool {
    [a.create, a.update]
        .iter()
        .any(|l| matches!(l, Some(AccessLevel::All | AccessLevel::Restricted)))
}

pub(super) fn judge_permissions(
    results: Vec<(String, Exchange, Result<Value, Failure>)>,
    needs: &[Entity],
    web_url: &str,
) -> (Step, Vec<EntityAccess>) {
    let _ = web_url;
    let mut access = Vec::new();
    let mut http = Vec::new();
    let mut none = Vec::new();
    let mut restricted = Vec::new();
    let mut unknown = Vec::new();
    let mut broken: Vec<(String, Failure)> = Vec::new();
    let mut limited: Option<Failure> = None;
    for (entity, x, r) in results {
        http.push(x);
        let mut row = EntityAccess {
            entity: entity.clone(),
            query: None,
            create: None,
            update: None,
            delete: None,
            problem: None,
        };
        match &r {
            Ok(json) => match rest::parse_entity_info(json) {
                Some(EntityInfo {
                    query,
                    create,
                    update,
                    delete,
                    can_query,
                }) => {
                    row.query = query;
                    row.create = create;
                    row.update = update;
                    row.delete = delete;
                    match query {
                        Some(AccessLevel::None) if can_query => none.push(entity.clone()),
                        Some(AccessLevel::Restricted) => restricted.push(entity.clone()),
                        None => {
                            row.problem =
                                Some("Autotask did not say what access this user has.".into())
                        }
                        _ => {}
                    }
                }
                None => row.problem = Some("Autotask's answer could not be read.".into()),
            },
            Err(f @ Failure::Status { status, .. })
                if *status == 403 || (*status == 500 && is_permission_text(f)) =>
            {
                row.query = Some(AccessLevel::None);
                row.problem = Some(first_error(f));
                none.push(entity.clone());
            }
            Err(Failure::Status { status: 404, .. }) => {
                row.problem = Some("Autotask has no entity by this name.".into());
                unknown.push(entity.clone());
            }
            Err(f @ Failure::Status { status: 429, .. }) => {
                row.problem = Some(rate_limit_sentence(f));
                limited = Some(f.clone());
            }
            Err(f) => {
                row.problem = Some(failure_sentence(f, "Autotask"));
                broken.push((entity.clone(), f.clone()));
            }
        }
        access.push(row);
    }
    let writable: Vec<&str> = access
        .iter()
        .filter(|a| can_write(a))
        .map(|a| a.entity.as_str())
        .collect();
    // Only where Autotask answered: an unreadable answer is reported as such.
    let cannot_write: Vec<&str> = access
        .iter()
        .filter(|a| {
            a.problem.is_none()
                && !can_write(a)
                && needs
                    .iter()
                    .any(|n| n.needs_write() && n.as_str().eq_ignore_ascii_case(&a.entity))
        })
        .map(|a| a.entity.as_str())
        .collect();
    let mut summary = access
        .iter()
        .map(|a| format!("{} {}", a.entity, level_word(a.query)))
        .collect::<Vec<_>>()
        .join(", ");
    if !writable.is_empty() {
        summary.push_str(&format!("; can write: {}", writable.join(", ")));
    }
    let id = StepId::Permissions;
    // Each need the level does not meet, in the technician's terms.
    let gap_fix = super::gaps::fix_text(&super::gaps::gaps(&access, needs));
    let step = if !none.is_empty() {
        Step::new(
            id,
            Status::Failed,
            format!(
                "The API user cannot read {} (query access: {summary}).",
                none.join(", ")
            ),
        )
        .blaming(
            Blame::Permissions,
            if gap_fix.is_empty() {
                format!(
                    "Allow access to {} in the API user's security level.",
                    none.join(", ")
                )
            } else {
                gap_fix.clone()
            },
        )
        .details(format!(
            "{SECURITY_LEVELS}: edit the API user's security level (best a copy of \"API User \
             (system)\") — or give the user a level that has this access."
        ))
        .link(Some(HELP_SECURITY_LEVELS.into()))
    } else if !unknown.is_empty() {
        Step::new(
            id,
            Status::Failed,
            format!("Autotask has no entity named {} (query access: {summary}).", unknown.join(", ")),
        )
        .fix("Check the entity names: Autotask's API uses plural names such as Tickets, Companies or ConfigurationItems.")
    } else if let Some((entity, f)) = broken.first() {
        let (blame, fix) = failure_blame_fix(f);
        let mut s = Step::new(
            id,
            Status::Failed,
            format!(
                "The access to {entity} could not be read: {}.",
                failure_sentence(f, "Autotask")
            ),
        );
        s.blame = blame;
        s.fix = Some(fix);
        s
    } else if !cannot_write.is_empty() {
        Step::new(
            id,
            Status::Failed,
            format!(
                "The integration needs to create or edit {}, and the API user may only read them \
                 (query access: {summary}).",
                cannot_write.join(", ")
            ),
        )
        .blaming(Blame::Permissions, gap_fix.clone())
        .details(format!(
            "{SECURITY_LEVELS}: edit the API user's security level and allow Add and Edit for \
             these entities. Webhooks also need \"Can create Webhooks\" under Other."
        ))
        .link(Some(HELP_SECURITY_LEVELS.into()))
    } else if let Some(f) = limited {
        Step::new(
            id,
            Status::Warning,
            format!("{} (query access: {summary})", rate_limit_sentence(&f)),
        )
        .blaming(Blame::RateLimit, rate_limit_fix(&f))
    } else if !restricted.is_empty() {
        Step::new(
            id,
            Status::Warning,
            format!(
                "Restricted access to {}: the integration sees only what the security level allows \
                 (query access: {summary}).",
                restricted.join(", ")
            ),
        )
        .blaming(
            Blame::Permissions,
            "If the integration needs every record, set those entities to All in the API user's security level.",
        )
        .details(SECURITY_LEVELS)
        .link(Some(HELP_SECURITY_LEVELS.into()))
    } else if access.iter().any(|a| a.problem.is_some()) {
        Step::new(
            id,
            Status::Warning,
            format!("Some access could not be read (query access: {summary})."),
        )
    } else {
        Step::new(id, Status::Passed, format!("Query access: {summary}."))
    };
    (step.with_http(http), access)
}

// ------------------------------------------------------------------ usage

pub(super) fn judge_usage(usage: Option<&Usage>) -> Step {
    let id = StepId::Usage;
    let Some(u) = usage else {
        return Step::new(
            id,
            Status::Warning,
            "Autotask did not report its request usage.",
        );
    };
    let figures = format!(
        "{} of {} requests used in the last {} minutes ({} %)",
        thousands(u.used),
        thousands(u.limit),
        u.window_minutes,
        u.percent
    );
    if u.percent >= 75 {
        Step::new(
            id,
            Status::Warning,
            format!(
                "{figures}. Autotask slows every integration on this tenant above 75 % and refuses \
                 calls at 100 %."
            ),
        )
        .blaming(
            Blame::RateLimit,
            "The limit is shared by every integration on the tenant. Find the one that polls most \
             and slow it down, or spread work over the hour.",
        )
    } else if u.percent >= 50 {
        Step::new(
            id,
            Status::Passed,
            format!("{figures}. Above 50 % Autotask adds a small delay to each call."),
        )
    } else {
        Step::new(id, Status::Passed, format!("{figures}."))
    }
}

/// `12345` as `12,345`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
