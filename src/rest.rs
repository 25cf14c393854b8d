//! Autotask's REST calls as this app makes them: URLs built from a [`Zone`]
//! (so they can only ever name an Autotask host over HTTPS), the three
//! credential headers, and a careful reading of whatever comes back.

use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use crate::credentials::{Credentials, Username};
use crate::transport::{Answer, Transport, TransportError, sensitive_header};
use crate::zone::{self, DISCOVERY_HOST, REST_VERSION, Zone};

/// One HTTP exchange as a report shows it: never a header, never a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub method: &'static str,
    pub url: String,
    /// `None` when no answer came back.
    pub status: Option<u16>,
    /// Autotask's error texts (`{"errors":[…]}`), or a short description of
    /// another kind of body.
    pub errors: Vec<String>,
    pub elapsed_ms: u64,
    /// What went wrong below HTTP, if anything.
    pub failure: Option<String>,
}

/// What kind of body came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Empty,
    Json(Value),
    /// An HTML page (a proxy, captive portal or error page), with its title.
    Html(Option<String>),
    Text,
}

/// Why a call did not produce what we asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    Transport(TransportError),
    /// A non-2xx answer.
    Status {
        status: u16,
        errors: Vec<String>,
        retry_after: Option<String>,
        body: Body,
    },
    /// A 3xx; never followed.
    Redirect {
        status: u16,
        location: Option<String>,
    },
    /// A 2xx we could not read as the answer we asked for.
    Unreadable {
        status: u16,
        body: Body,
        reason: String,
    },
}

impl Failure {
    /// Autotask's texts joined, lower-cased: for matching known messages.
    pub(crate) fn error_text(&self) -> String {
        match self {
            Failure::Status { errors, .. } => errors.join(" ").to_ascii_lowercase(),
            _ => String::new(),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Status { status, .. }
            | Failure::Redirect { status, .. }
            | Failure::Unreadable { status, .. } => Some(*status),
            Failure::Transport(_) => None,
        }
    }
}

/// Longest error text we keep from an answer.
const MAX_ERROR_CHARS: usize = 400;

/// Longest header value we keep (`Location`, `Retry-After`).
const MAX_HEADER_CHARS: usize = 200;

/// Network text as it may be shown: control, invisible and bidi characters
/// turned into spaces (they could reorder or hide what a technician reads),
/// and at most `max` characters. Secrets are hidden where the text leaves
/// the check (`redact`).
fn clean_to(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_control() || zone::is_invisible(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.chars().count() > max {
        let mut s: String = trimmed.chars().take(max).collect();
        s.push('…');
        s
    } else {
        trimmed.to_string()
    }
}

fn clean(text: &str) -> String {
    clean_to(text, MAX_ERROR_CHARS)
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = lower[start..].find('>')? + start + 1;
    let end = lower[open_end..].find("</title")? + open_end;
    let title = clean(&text[open_end..end]);
    (!title.is_empty()).then_some(title)
}

/// Classifies a body and pulls out Autotask's error texts.
pub fn read_body(answer: &Answer) -> (Body, Vec<String>) {
    let text = String::from_utf8_lossy(&answer.body);
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return (Body::Empty, vec![]);
    }
    let is_html = answer
        .content_type
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().contains("html"))
        || trimmed.starts_with('<');
    if is_html {
        let title = html_title(trimmed);
        let note = match &title {
            Some(t) => format!("an HTML page titled \"{t}\""),
            None => "an HTML page".to_string(),
        };
        return (Body::Html(title), vec![note]);
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(json) => {
            let mut errors: Vec<String> = match json.get("errors") {
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => clean(s),
                        other => clean(&other.to_string()),
                    })
                    .collect(),
                Some(Value::String(s)) => vec![clean(s)],
                _ => vec![],
            };
            if errors.is_empty() {
                for key in ["message", "Message", "error", "error_description"] {
                    if let Some(Value::String(s)) = json.get(key) {
                        errors.push(clean(s));
                    }
                }
            }
            (Body::Json(json), errors)
        }
        Err(_) => (Body::Text, vec![clean(trimmed)]),
    }
}

/// Turns an answer into JSON for a 2xx, or the failure otherwise.
fn judge(answer: &Answer) -> (Vec<String>, Result<Value, Failure>) {
    let (body, errors) = read_body(answer);
    let status = answer.status;
    let result = match status {
        200..=299 => match body {
            Body::Json(v) => Ok(v),
            other => Err(Failure::Unreadable {
                status,
                reason: match &other {
                    Body::Empty => "the answer was empty".into(),
                    Body::Html(Some(title)) => {
                        format!("an HTML page titled \"{title}\" came back instead of JSON")
                    }
                    Body::Html(None) => "an HTML page came back instead of JSON".into(),
                    _ => "the answer was not valid JSON".into(),
                },
                body: other,
            }),
        },
        300..=399 => Err(Failure::Redirect {
            status,
            location: answer
                .location
                .as_deref()
                .map(|l| clean_to(l, MAX_HEADER_CHARS)),
        }),
        _ => Err(Failure::Status {
            status,
            errors: errors.clone(),
            retry_after: answer
                .retry_after
                .as_deref()
                .map(|r| clean_to(r, MAX_HEADER_CHARS)),
            body,
        }),
    };
    (errors, result)
}

/// One GET. The answer is read as it came: whatever is said about it
/// (steps, reports, JSON) is scrubbed of the secret and the integration
/// code where it leaves the check (see `redact`), never before it is parsed.
async fn call(
    transport: &Transport,
    url: String,
    shown_url: String,
    headers: HeaderMap,
) -> (Exchange, Result<Value, Failure>) {
    let started = std::time::Instant::now();
    let outcome = transport.get(&url, headers).await;
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(answer) => {
            let (errors, result) = judge(&answer);
            (
                Exchange {
                    method: "GET",
                    url: shown_url,
                    status: Some(answer.status),
                    errors,
                    elapsed_ms,
                    failure: None,
                },
                result,
            )
        }
        Err(e) => (
            Exchange {
                method: "GET",
                url: shown_url,
                status: None,
                errors: vec![],
                elapsed_ms,
                failure: Some(e.detail.clone()),
            },
            Err(Failure::Transport(e)),
        ),
    }
}

fn json_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(ACCEPT, HeaderValue::from_static("application/json"));
    h
}

// ------------------------------------------------------------ zone look-up

/// What `zoneInformation` says about a username.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneInformation {
    pub zone: Zone,
    pub zone_name: Option<String>,
    /// The portal address Autotask gave (validated), else the derived one.
    pub web_url: String,
    pub ci: Option<u64>,
}

pub(crate) const ZONE_UNKNOWN_TEXT: &str = "zone information could not be determined";

/// Asks the discovery host which zone `username` lives in. Needs no secret.
pub async fn zone_information(
    transport: &Transport,
    username: &Username,
) -> (Exchange, Result<ZoneInformation, Failure>) {
    let encoded: String =
        url::form_urlencoded::byte_serialize(username.as_str().as_bytes()).collect();
    let url = format!(
        "https://{DISCOVERY_HOST}/ATServicesRest/{REST_VERSION}/zoneInformation?user={encoded}"
    );
    let (exchange, result) = call(transport, url.clone(), url, json_headers()).await;
    let status = exchange.status.unwrap_or(0);
    let parsed = result.and_then(|json| parse_zone_information(&json, status));
    (exchange, parsed)
}

/// Reads a `zoneInformation` answer. Its `url` is untrusted: it goes
/// through the same gate as pasted input.
pub fn parse_zone_information(json: &Value, status: u16) -> Result<ZoneInformation, Failure> {
    let unreadable = |reason: String| Failure::Unreadable {
        status,
        body: Body::Json(json.clone()),
        reason,
    };
    let url = json
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| unreadable("the zone look-up answer has no \"url\"".into()))?;
    let zone = zone::parse_discovered(url).map_err(|e| {
        unreadable(format!(
            "the zone look-up named an API address that is not an Autotask zone ({e})"
        ))
    })?;
    let web_url = json
        .get("webUrl")
        .and_then(Value::as_str)
        .and_then(|w| zone::parse_discovered(w).ok())
        .map(Zone::web_url)
        .unwrap_or_else(|| zone.web_url());
    let ci = match json.get("ci") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let zone_name = json
        .get("zoneName")
        .and_then(Value::as_str)
        .map(clean)
        .filter(|s| !s.is_empty());
    Ok(ZoneInformation {
        zone,
        zone_name,
        web_url,
        ci,
    })
}

// ------------------------------------------------------- authenticated calls

fn credential_headers(credentials: &Credentials) -> Option<HeaderMap> {
    let mut h = json_headers();
    h.insert(
        HeaderName::from_static("apiintegrationcode"),
        sensitive_header(credentials.integration_code.as_str())?,
    );
    h.insert(
        HeaderName::from_static("username"),
        HeaderValue::from_str(credentials.username.as_str()).ok()?,
    );
    h.insert(
        HeaderName::from_static("secret"),
        sensitive_header(credentials.secret.expose())?,
    );
    Some(h)
}

/// GETs `V1.0/<path>` on the zone's API host with the credentials.
pub(crate) async fn authenticated_get(
    transport: &Transport,
    zone: Zone,
    path: &str,
    credentials: &Credentials,
) -> (Exchange, Result<Value, Failure>) {
    let url = format!("{}{}", zone.api_url(), path);
    let Some(headers) = credential_headers(credentials) else {
        // Lints refuse such values first; this is the last line.
        let e = TransportError {
            layer: crate::transport::Layer::Http,
            host: zone.api_host(),
            message: "A credential contains characters that cannot be sent in an HTTP header."
                .into(),
            detail: "invalid header value".into(),
            sent: false,
        };
        return (
            Exchange {
                method: "GET",
                url: url.clone(),
                status: None,
                errors: vec![],
                elapsed_ms: 0,
                failure: Some(e.detail.clone()),
            },
            Err(Failure::Transport(e)),
        );
    };
    call(transport, url.clone(), url, headers).await
}

/// Sends one request of the local gateway to the zone's API host:
/// `method` on `V1.0/<path_and_query>`, the client's own `headers` (only
/// those the gateway passes on, never a credential), the session's three
/// credential headers, and `body`. The answer comes back as it came; the
/// gateway hides the credentials in it before its client sees it. Only the
/// gateway's forwarder calls it (`architecture::only_the_door_starts_a_check`).
#[cfg_attr(not(feature = "gateway"), allow(dead_code))] // the gateway is a CLI feature
pub(crate) async fn authenticated_request(
    transport: &Transport,
    zone: Zone,
    method: &str,
    path_and_query: &str,
    headers: &[(&'static str, String)],
    body: Option<Vec<u8>>,
    credentials: &Credentials,
) -> Result<Answer, TransportError> {
    let url = format!("{}{}", zone.api_url(), path_and_query);
    let refused = |detail: &str| TransportError {
        layer: crate::transport::Layer::Http,
        host: zone.api_host(),
        message: format!("The request could not be sent to Autotask: {detail}."),
        detail: detail.to_string(),
        sent: false,
    };
    let method = reqwest::Method::from_bytes(method.as_bytes())
        .map_err(|_| refused("the method is not an HTTP method"))?;
    let mut all = credential_headers(credentials)
        .ok_or_else(|| refused("a credential cannot be sent in an HTTP header"))?;
    for (name, value) in headers {
        if matches!(*name, "apiintegrationcode" | "username" | "secret") {
            continue; // the session's own, never a client's
        }
        let value =
            HeaderValue::from_str(value).map_err(|_| refused("a header value cannot be sent"))?;
        all.insert(HeaderName::from_static(name), value);
    }
    transport.send(method, &url, all, body).await
}

// ----------------------------------------------------------- typed answers

/// `ThresholdInformation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub used: u64,
    pub limit: u64,
    pub window_minutes: u64,
    pub percent: u64,
}

pub fn parse_usage(json: &Value) -> Option<Usage> {
    let num = |k: &str| match json.get(k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let limit = num("externalRequestThreshold")?;
    let used = num("currentTimeframeRequestCount")?;
    let window_minutes = num("requestThresholdTimeframe").unwrap_or(60);
    let percent = used.saturating_mul(100).checked_div(limit).unwrap_or(100);
    Some(Usage {
        used,
        limit,
        window_minutes,
        percent,
    })
}

/// A security level's access to one entity (Autotask: 0 None, 1 All, 2 Restricted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    None,
    All,
    Restricted,
}

fn access_level(v: Option<&Value>) -> Option<AccessLevel> {
    match v? {
        Value::Number(n) => match n.as_u64()? {
            0 => Some(AccessLevel::None),
            1 => Some(AccessLevel::All),
            2 => Some(AccessLevel::Restricted),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "none" | "0" => Some(AccessLevel::None),
            "all" | "1" => Some(AccessLevel::All),
            "restricted" | "2" => Some(AccessLevel::Restricted),
            _ => None,
        },
        _ => None,
    }
}

/// `<Entity>/entityInformation`, as far as the check needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityInfo {
    pub can_query: bool,
    pub query: Option<AccessLevel>,
    pub create: Option<AccessLevel>,
    pub update: Option<AccessLevel>,
    pub delete: Option<AccessLevel>,
}

pub fn parse_entity_info(json: &Value) -> Option<EntityInfo> {
    let info = json.get("info")?;
    Some(EntityInfo {
        can_query: info
            .get("canQuery")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        query: access_level(info.get("userAccessForQuery")),
        create: access_level(info.get("userAccessForCreate")),
        update: access_level(info.get("userAccessForUpdate")),
        delete: access_level(info.get("userAccessForDelete")),
    })
}

/// `Companies/0`: the tenant's own company, or `None` when the answer has
/// no item (lines of business hide it).
pub fn parse_company_zero(json: &Value) -> Option<Option<String>> {
    let item = json.get("item")?;
    if item.is_null() {
        return Some(None);
    }
    Some(Some(
        item.get("companyName")
            .and_then(Value::as_str)
            .map(clean)
            .unwrap_or_default(),
    ))
}

/// A query of `entity` as a GET (`<Entity>/query?search=<filter>`), the
/// search percent-encoded whole: nothing is written, and the path is all
/// that changes between Autotask's read calls.
pub(crate) fn query_path(entity: &str, search: &Value) -> String {
    let text = search.to_string();
    let mut encoded = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(b as char)
            }
            _ => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    format!("{entity}/query?search={encoded}")
}

/// A JSON object's field, whatever its casing (Autotask's REST answers and
/// generated clients disagree: `webhookGUID`, `webhookGuid`).
pub(crate) fn field<'a>(item: &'a Value, name: &str) -> Option<&'a Value> {
    item.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// A query answer's `items`, or `None` when the envelope is not there.
pub(crate) fn items(json: &Value) -> Option<&Vec<Value>> {
    field(json, "items")?.as_array()
}

/// The API user's own Resource record, as far as the check shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRecord {
    pub active: Option<bool>,
    /// 7 is the API User licence.
    pub license_type: Option<u64>,
    /// Where Autotask sends the user's lockout and threshold notices.
    pub email: Option<String>,
}

/// The query for the Resource whose `userName` is `username` (only the
/// fields the check shows).
pub(crate) fn own_resource_path(username: &Username) -> String {
    query_path(
        "Resources",
        &serde_json::json!({
            "MaxRecords": 1,
            "IncludeFields": ["id", "userName", "email", "isActive", "licenseType"],
            "filter": [{"op": "eq", "field": "userName", "value": username.as_str()}],
        }),
    )
}

/// `None` when the answer is no query envelope; `Some(None)` when no
/// Resource has this username.
pub fn parse_own_resource(json: &Value) -> Option<Option<ResourceRecord>> {
    let Some(item) = items(json)?.first() else {
        return Some(None);
    };
    let num = |k: &str| match field(item, k)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    Some(Some(ResourceRecord {
        active: field(item, "isActive").and_then(Value::as_bool),
        license_type: num("licenseType"),
        email: field(item, "email")
            .and_then(Value::as_str)
            .map(clean)
            .filter(|e| !e.is_empty()),
    }))
}

/// How long a `Retry-After` asks us to wait, when it is in seconds.
pub(crate) fn retry_after_seconds(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(status: u16, content_type: Option<&str>, body: &str) -> Answer {
        Answer {
            status,
            content_type: content_type.map(str::to_string),
            location: None,
            retry_after: None,
            body: body.as_bytes().to_vec(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn reads_autotask_errors_html_and_text() {
        let (_, e) = read_body(&answer(
            500,
            None,
            r#"{"errors":["IntegrationCode is invalid."]}"#,
        ));
        assert_eq!(e, ["IntegrationCode is invalid."]);
        let (b, e) = read_body(&answer(
            200,
            Some("text/html"),
            "<html><head><title>Access denied</title></head></html>",
        ));
        assert_eq!(b, Body::Html(Some("Access denied".into())));
        assert_eq!(e, ["an HTML page titled \"Access denied\""]);
        let (b, e) = read_body(&answer(503, None, "Service Unavailable\r\n"));
        assert_eq!(
            (b, e),
            (Body::Text, vec!["Service Unavailable".to_string()])
        );
        let (b, e) = read_body(&answer(401, None, ""));
        assert_eq!((b, e.len()), (Body::Empty, 0));
        let (_, e) = read_body(&answer(400, None, r#"{"Message":"bad"}"#));
        assert_eq!(e, ["bad"]);
        let long = format!("{{\"errors\":[\"{}\"]}}", "x".repeat(5000));
        let (_, e) = read_body(&answer(500, None, &long));
        assert!(e[0].chars().count() <= MAX_ERROR_CHARS + 1);
    }

    #[test]
    fn judges_statuses() {
        assert!(judge(&answer(200, None, "{}")).1.is_ok());
        assert!(matches!(
            judge(&answer(200, None, "not json")).1,
            Err(Failure::Unreadable { .. })
        ));
        assert!(matches!(
            judge(&answer(302, None, "")).1,
            Err(Failure::Redirect { status: 302, .. })
        ));
        assert!(matches!(
            judge(&answer(429, None, "")).1,
            Err(Failure::Status { status: 429, .. })
        ));
    }

    #[test]
    fn zone_information_is_validated() {
        let ok = parse_zone_information(
            &json!({"zoneName":"Pre Release","url":"https://webservices2.autotask.net/ATServicesRest/","webUrl":"https://ww2.autotask.net/","ci":30595}),
            200,
        )
        .unwrap();
        assert_eq!(ok.zone, Zone::Numbered(2));
        assert_eq!(ok.web_url, "https://ww2.autotask.net/");
        assert_eq!(ok.ci, Some(30595));
        assert_eq!(ok.zone_name.as_deref(), Some("Pre Release"));
        let code_name = parse_zone_information(
            &json!({"zoneName":"AE02","url":"https://webservices14.autotask.net/ATServicesRest/","ci":"12"}),
            200,
        )
        .unwrap();
        assert_eq!(code_name.web_url, "https://ww14.autotask.net/");
        assert_eq!(code_name.ci, Some(12));
        assert!(
            parse_zone_information(&json!({"url":"https://evil.example/ATServicesRest/"}), 200)
                .is_err()
        );
        assert!(parse_zone_information(&json!({"zoneName":"x"}), 200).is_err());
    }

    #[test]
    fn access_levels_as_numbers_or_strings() {
        for (wire, level) in [
            (json!(0), AccessLevel::None),
            (json!(1), AccessLevel::All),
            (json!(2), AccessLevel::Restricted),
            (json!("None"), AccessLevel::None),
            (json!("All"), AccessLevel::All),
            (json!("Restricted"), AccessLevel::Restricted),
        ] {
            let info =
                parse_entity_info(&json!({"info": {"canQuery": true, "userAccessForQuery": wire}}));
            assert_eq!(info.unwrap().query, Some(level));
        }
        assert_eq!(
            parse_entity_info(&json!({"info": {"userAccessForQuery": 7}}))
                .unwrap()
                .query,
            None
        );
    }

    #[test]
    fn queries_are_gets_with_the_search_encoded_whole() {
        let path = query_path(
            "Resources",
            &json!({"filter": [{"op": "eq", "field": "userName", "value": "a b+c@x.example"}]}),
        );
        let encoded = path.strip_prefix("Resources/query?search=").unwrap();
        // Nothing a server could read as a separator or a space survives.
        assert!(
            encoded
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "%-._~".contains(c)),
            "{encoded}"
        );
        assert!(encoded.contains("a%20b%2Bc%40x.example"), "{encoded}");
        let decoded: Vec<u8> = {
            let b = encoded.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'%' {
                    out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            out
        };
        assert_eq!(
            serde_json::from_slice::<Value>(&decoded).unwrap(),
            json!({"filter": [{"op": "eq", "field": "userName", "value": "a b+c@x.example"}]})
        );
        assert_eq!(
            parse_own_resource(
                &json!({"items": [{"UserName": "u", "IsActive": true, "licenseType": "7", "email": " ops@x.example "}]})
            ),
            Some(Some(ResourceRecord {
                active: Some(true),
                license_type: Some(7),
                email: Some("ops@x.example".into()),
            }))
        );
        assert_eq!(parse_own_resource(&json!({"items": []})), Some(None));
        assert_eq!(
            parse_own_resource(&json!({"items": [{"email": ""}]}))
                .unwrap()
                .unwrap()
                .email,
            None
        );
        assert_eq!(parse_own_resource(&json!({"item": {}})), None);
    }

    #[test]
    fn usage_and_company_zero() {
        let u = parse_usage(&json!({"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":7600})).unwrap();
        assert_eq!(
            (u.used, u.limit, u.window_minutes, u.percent),
            (7600, 10000, 60, 76)
        );
        assert!(parse_usage(&json!({})).is_none());
        assert_eq!(
            parse_company_zero(&json!({"item":{"id":0,"companyName":"Contoso"}})),
            Some(Some("Contoso".into()))
        );
        assert_eq!(parse_company_zero(&json!({"item":null})), Some(None));
        assert_eq!(parse_company_zero(&json!({})), None);
    }
}
