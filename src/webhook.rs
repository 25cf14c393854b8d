//! Webhooks that silently died: what Autotask says about an integration's
//! webhooks, read and judged (pure), and the offline check of a callout's
//! signature.
//!
//! From Autotask's help: five entities support webhooks (Companies,
//! Contacts, Tickets, TicketNotes, ConfigurationItems), each with
//! `<Entity>Webhooks` (`isActive`, `isReady`, `webhookUrl`, `name`,
//! `webhookGUID`…) and `<Entity>WebhookFields` / `WebhookUdfFields`
//! (`isSubscribedField`, `webhookID`). A callout that is not delivered is
//! retried 5 times within 2 minutes, then logged in `WebhookEventErrorLogs`
//! for 30 days (readable only by the integration that created the webhook;
//! `accountWebhookID`, `contactWebhookID`, `createDateTime`, `errorMessage`,
//! `payload`); 25 consecutive failures disable the webhook. Autotask calls
//! from its cloud: only public `https` addresses. A callout carries
//! `X-Hook-Signature: sha1=<base64 HMAC-SHA1 of the body, keyed with the
//! webhook's secret key>`.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::Value;

use crate::credentials::Secret;
use crate::rest::{field, items};

/// The entities Autotask supports webhooks for, with the name its webhook
/// entities start with (`TicketWebhooks`, `TicketWebhookFields`, …).
pub const ENTITIES: [(&str, &str); 5] = [
    ("Companies", "Company"),
    ("Contacts", "Contact"),
    ("Tickets", "Ticket"),
    ("TicketNotes", "TicketNote"),
    ("ConfigurationItems", "ConfigurationItem"),
];

/// How long Autotask keeps an undelivered callout in its error log.
pub const ERROR_LOG_DAYS: u64 = 30;

/// One webhook as Autotask lists it (its secret key is never read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    pub id: u64,
    pub name: String,
    /// The callback URL as Autotask has it (shown only as [`shown_url`]).
    pub url: String,
    pub active: Option<bool>,
    pub ready: Option<bool>,
    pub guid: Option<String>,
}

fn text(item: &Value, name: &str) -> Option<String> {
    field(item, name).and_then(Value::as_str).map(clean)
}

fn number(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Text from the network as it may be shown: no control or invisible
/// characters, at most 300 of them.
fn clean(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_control() || crate::zone::is_invisible(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let t = cleaned.trim();
    if t.chars().count() > 300 {
        t.chars().take(300).collect::<String>() + "…"
    } else {
        t.to_string()
    }
}

/// A `<Entity>Webhooks` query answer; `None` when it is no query envelope.
pub fn parse_webhooks(json: &Value) -> Option<Vec<Webhook>> {
    Some(
        items(json)?
            .iter()
            .filter_map(|item| {
                Some(Webhook {
                    id: number(field(item, "id")?)?,
                    name: text(item, "name").unwrap_or_default(),
                    url: field(item, "webhookUrl")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .trim()
                        .to_string(),
                    active: field(item, "isActive").and_then(Value::as_bool),
                    ready: field(item, "isReady").and_then(Value::as_bool),
                    guid: text(item, "webhookGUID"),
                })
            })
            .collect(),
    )
}

/// Subscribed fields per webhook id, from a `<Entity>WebhookFields` (or
/// `…UdfFields`) query answer.
pub fn count_subscribed(json: &Value) -> Option<HashMap<u64, u32>> {
    let mut counts = HashMap::new();
    for item in items(json)? {
        let subscribed = field(item, "isSubscribedField").and_then(Value::as_bool) == Some(true);
        if let (true, Some(id)) = (subscribed, field(item, "webhookID").and_then(number)) {
            *counts.entry(id).or_insert(0) += 1;
        }
    }
    Some(counts)
}

/// One undelivered callout from `WebhookEventErrorLogs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorEntry {
    pub at: String,
    pub message: String,
    /// Which webhook: its entity and id (`accountWebhookID`…), or its GUID
    /// as the payload names it.
    pub webhook: Option<(&'static str, u64)>,
    pub guid: Option<String>,
}

/// The error log's entries, newest first.
pub fn parse_error_log(json: &Value) -> Option<Vec<ErrorEntry>> {
    let mut out: Vec<ErrorEntry> = items(json)?
        .iter()
        .map(|item| {
            // Autotask's help names accountWebhookID and contactWebhookID; the
            // other entities' ids are read the same way should they appear.
            let webhook = item.as_object().and_then(|o| {
                o.iter().find_map(|(k, v)| {
                    let k = k.to_ascii_lowercase();
                    let prefix = k.strip_suffix("webhookid")?;
                    let entity = match prefix {
                        "account" | "company" => "Companies",
                        "contact" => "Contacts",
                        "ticket" => "Tickets",
                        "ticketnote" => "TicketNotes",
                        "configurationitem" => "ConfigurationItems",
                        _ => return None,
                    };
                    Some((entity, number(v)?))
                })
            });
            let guid = field(item, "payload")
                .and_then(Value::as_str)
                .and_then(|p| serde_json::from_str::<Value>(p).ok())
                .and_then(|p| text(&p, "Guid"));
            ErrorEntry {
                at: text(item, "createDateTime").unwrap_or_default(),
                message: text(item, "errorMessage").unwrap_or_default(),
                webhook,
                guid,
            }
        })
        .collect();
    out.sort_by(|a, b| b.at.cmp(&a.at));
    Some(out)
}

/// Why Autotask cannot deliver to a callback URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UrlProblem {
    Invalid,
    NotHttps,
    Localhost,
    PrivateAddress,
    LinkLocal,
    InternalName,
}

impl UrlProblem {
    pub fn code(self) -> &'static str {
        match self {
            UrlProblem::Invalid => "invalid_url",
            UrlProblem::NotHttps => "not_https",
            UrlProblem::Localhost => "localhost",
            UrlProblem::PrivateAddress => "private_address",
            UrlProblem::LinkLocal => "link_local",
            UrlProblem::InternalName => "internal_name",
        }
    }

    pub fn sentence(self) -> &'static str {
        match self {
            UrlProblem::Invalid => "The callback URL is not an address Autotask can call.",
            UrlProblem::NotHttps => {
                "The callback URL is not https: Autotask calls only https addresses."
            }
            UrlProblem::Localhost => {
                "The callback URL is localhost: Autotask calls from its cloud, which cannot reach a \
                 computer's own address."
            }
            UrlProblem::PrivateAddress => {
                "The callback URL is a private address (10.x, 172.16-31.x, 192.168.x, 100.64-127.x \
                 or fc00::/7): Autotask's cloud cannot reach it."
            }
            UrlProblem::LinkLocal => {
                "The callback URL is a link-local address (169.254.x or fe80::): Autotask's cloud \
                 cannot reach it."
            }
            UrlProblem::InternalName => {
                "The callback URL's host is an internal name (no domain, or .local, .lan, \
                 .internal): Autotask's cloud cannot resolve it."
            }
        }
    }
}

fn ipv4_problem(ip: Ipv4Addr) -> Option<UrlProblem> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() || ip.is_unspecified() {
        Some(UrlProblem::Localhost)
    } else if ip.is_link_local() {
        Some(UrlProblem::LinkLocal)
    } else if ip.is_private() || (a == 100 && (64..128).contains(&b)) {
        // 100.64.0.0/10: carrier-grade NAT, shared address space.
        Some(UrlProblem::PrivateAddress)
    } else {
        None
    }
}

fn ipv6_problem(ip: Ipv6Addr) -> Option<UrlProblem> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_problem(v4);
    }
    if ip.is_loopback() || ip.is_unspecified() {
        Some(UrlProblem::Localhost)
    } else if ip.is_unicast_link_local() {
        Some(UrlProblem::LinkLocal)
    } else if ip.is_unique_local() {
        Some(UrlProblem::PrivateAddress)
    } else {
        None
    }
}

/// Everything that keeps Autotask from delivering to `url`. A name is not
/// resolved here (that would be a network call, and Autotask resolves from
/// its own network): only what the URL itself shows.
pub fn url_problems(url: &str) -> Vec<UrlProblem> {
    let Ok(parsed) = url::Url::parse(url.trim()) else {
        return vec![UrlProblem::Invalid];
    };
    let mut out = Vec::new();
    if parsed.scheme() != "https" {
        out.push(UrlProblem::NotHttps);
    }
    let host = match parsed.host() {
        None => {
            out.push(UrlProblem::Invalid);
            return out;
        }
        Some(h) => h,
    };
    let problem = match host {
        url::Host::Ipv4(ip) => ipv4_problem(ip),
        url::Host::Ipv6(ip) => ipv6_problem(ip),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost" || name.ends_with(".localhost") {
                Some(UrlProblem::Localhost)
            } else if !name.contains('.')
                || [".local", ".lan", ".internal", ".home.arpa"]
                    .iter()
                    .any(|s| name.ends_with(s))
            {
                Some(UrlProblem::InternalName)
            } else {
                None
            }
        }
    };
    out.extend(problem);
    out
}

/// The callback URL as it is shown: scheme, host, port and path. The query
/// and any user name or password are left out, as callback URLs often carry
/// a token there.
pub fn shown_url(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(mut u) => {
            let hidden = u.query().is_some() || !u.username().is_empty() || u.password().is_some();
            u.set_query(None);
            u.set_fragment(None);
            let _ = u.set_username("");
            let _ = u.set_password(None);
            let mut s = u.to_string();
            if hidden {
                s.push_str(" (query hidden)");
            }
            s
        }
        Err(_) => clean(url).chars().take(60).collect(),
    }
}

/// Whether the IP address text is one Autotask can reach (used by tests).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => ipv4_problem(v4).is_none(),
        IpAddr::V6(v6) => ipv6_problem(v6).is_none(),
    }
}

// ------------------------------------------------------- the signature

/// What the offline check of a callout's signature found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signature {
    /// The payload, as pasted, is what the webhook's key signed.
    Matches,
    /// It matches once the line break(s) at the end are taken off: the
    /// copy added them.
    MatchesWithoutTrailingNewline,
    /// Another payload, or another key.
    DoesNotMatch,
    /// The header is not `sha1=` and base64 of 20 bytes.
    Malformed,
}

impl Signature {
    pub fn code(self) -> &'static str {
        match self {
            Signature::Matches => "matches",
            Signature::MatchesWithoutTrailingNewline => "matches_without_trailing_newline",
            Signature::DoesNotMatch => "does_not_match",
            Signature::Malformed => "malformed",
        }
    }

    pub fn sentence(self) -> &'static str {
        match self {
            Signature::Matches => {
                "The signature matches: Autotask sent this payload, signed with this secret key."
            }
            Signature::MatchesWithoutTrailingNewline => {
                "The signature matches once the line break at the end of the pasted payload is \
                 removed: copying added it. Autotask sent this payload with this secret key."
            }
            Signature::DoesNotMatch => {
                "The signature does not match: the payload is not exactly what Autotask sent (even \
                 a space or a reformatting changes it), or the secret key is not this webhook's."
            }
            Signature::Malformed => {
                "This is not an X-Hook-Signature: Autotask's is \"sha1=\" followed by 28 characters \
                 of base64."
            }
        }
    }

    pub fn matches(self) -> bool {
        matches!(
            self,
            Signature::Matches | Signature::MatchesWithoutTrailingNewline
        )
    }
}

/// The 20 bytes of a pasted `X-Hook-Signature` (with or without the header
/// name and `sha1=`).
fn signature_bytes(header: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let mut s = header.trim();
    if let Some((name, rest)) = s.split_once(':')
        && name.trim().eq_ignore_ascii_case("x-hook-signature")
    {
        s = rest.trim();
    }
    if s.len() > 5 && s[..5].eq_ignore_ascii_case("sha1=") {
        s = &s[5..];
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()?;
    (bytes.len() == 20).then_some(bytes)
}

/// Checks `payload` against a pasted `X-Hook-Signature` and the webhook's
/// secret key, as Autotask computes it (HMAC-SHA1 over the body, base64),
/// comparing in constant time. Nothing leaves the computer.
pub fn verify_signature(payload: &[u8], header: &str, key: &Secret) -> Signature {
    use aws_lc_rs::hmac;
    let Some(tag) = signature_bytes(header) else {
        return Signature::Malformed;
    };
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key.expose().as_bytes());
    if hmac::verify(&key, payload, &tag).is_ok() {
        return Signature::Matches;
    }
    let trimmed = payload.trim_ascii_end();
    if trimmed.len() != payload.len() && hmac::verify(&key, trimmed, &tag).is_ok() {
        return Signature::MatchesWithoutTrailingNewline;
    }
    Signature::DoesNotMatch
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 2202's HMAC-SHA1 test case 2: key "Jefe", data "what do ya want
    /// for nothing?", digest effcdf6a…259a7c79, here as Autotask's base64.
    #[test]
    fn the_signature_is_rfc_2202_hmac_sha1_in_base64() {
        let key = Secret::new("Jefe".into());
        let data = b"what do ya want for nothing?";
        let header = "sha1=7/zfauXrL6LSdBbV8YTfnCWafHk=";
        assert_eq!(verify_signature(data, header, &key), Signature::Matches);
        assert_eq!(
            verify_signature(data, &format!("X-Hook-Signature: {header}"), &key),
            Signature::Matches
        );
        assert_eq!(
            verify_signature(data, "7/zfauXrL6LSdBbV8YTfnCWafHk=", &key),
            Signature::Matches
        );
        assert_eq!(
            verify_signature(b"what do ya want for nothing?\r\n", header, &key),
            Signature::MatchesWithoutTrailingNewline
        );
        assert_eq!(
            verify_signature(b"what do ya want for nothing!", header, &key),
            Signature::DoesNotMatch
        );
        assert_eq!(
            verify_signature(data, header, &Secret::new("jefe".into())),
            Signature::DoesNotMatch
        );
        for bad in ["", "sha1=", "sha1=not base64!", "sha1=AAAA"] {
            assert_eq!(
                verify_signature(data, bad, &key),
                Signature::Malformed,
                "{bad}"
            );
        }
    }

    #[test]
    fn callback_urls_autotask_cannot_reach_are_named() {
        use UrlProblem::*;
        let cases: &[(&str, &[UrlProblem])] = &[
            ("https://hooks.example.com/autotask", &[]),
            ("https://203.0.113.9/hook", &[]),
            ("http://hooks.example.com/autotask", &[NotHttps]),
            ("https://localhost:5000/hook", &[Localhost]),
            ("https://api.localhost/hook", &[Localhost]),
            ("https://127.0.0.1/hook", &[Localhost]),
            ("https://[::1]/hook", &[Localhost]),
            (
                "http://192.168.10.20:8080/hook",
                &[NotHttps, PrivateAddress],
            ),
            ("https://10.1.2.3/hook", &[PrivateAddress]),
            ("https://172.16.0.1/hook", &[PrivateAddress]),
            ("https://172.32.0.1/hook", &[]),
            ("https://100.64.1.1/hook", &[PrivateAddress]),
            ("https://[fd00::1]/hook", &[PrivateAddress]),
            ("https://[::ffff:10.0.0.1]/hook", &[PrivateAddress]),
            ("https://169.254.169.254/hook", &[LinkLocal]),
            ("https://[fe80::1]/hook", &[LinkLocal]),
            ("https://intranet/hook", &[InternalName]),
            ("https://nas.local/hook", &[InternalName]),
            ("not a url", &[Invalid]),
            ("ftp://hooks.example.com/x", &[NotHttps]),
        ];
        for (url, expected) in cases {
            assert_eq!(url_problems(url), expected.to_vec(), "{url}");
        }
        assert!(is_public("8.8.8.8".parse().unwrap()));
        assert!(!is_public("192.168.1.1".parse().unwrap()));
    }

    #[test]
    fn a_shown_url_keeps_no_token() {
        assert_eq!(
            shown_url("https://user:pw@hooks.example.com/a?token=s3cr3t#x"),
            "https://hooks.example.com/a (query hidden)"
        );
        assert_eq!(
            shown_url("https://hooks.example.com/a"),
            "https://hooks.example.com/a"
        );
    }

    #[test]
    fn answers_are_read_whatever_their_casing() {
        let hooks = parse_webhooks(&json!({"items": [
            {"id": 7, "name": "Sync", "webhookUrl": "https://h.example/x", "isActive": true,
             "isReady": false, "webhookGuid": "abc", "secretKey": "never-read"},
            {"ID": "9", "Name": "Other", "WebhookUrl": "http://h.example/y", "IsActive": false},
            {"name": "no id"}
        ]}))
        .unwrap();
        assert_eq!(hooks.len(), 2);
        assert_eq!(hooks[0].guid.as_deref(), Some("abc"));
        assert_eq!(hooks[0].ready, Some(false));
        assert_eq!((hooks[1].id, hooks[1].ready), (9, None));
        assert!(parse_webhooks(&json!({"item": {}})).is_none());
        let counts = count_subscribed(&json!({"items": [
            {"webhookID": 7, "isSubscribedField": true},
            {"webhookID": 7, "isSubscribedField": false},
            {"webhookID": 7, "isSubscribedField": true},
            {"webhookID": 9, "isSubscribedField": true}
        ]}))
        .unwrap();
        assert_eq!((counts[&7], counts[&9]), (2, 1));
        let log = parse_error_log(&json!({"items": [
            {"createDateTime": "2026-11-01T10:00:00.000Z", "errorMessage": "404", "accountWebhookID": 3},
            {"createDateTime": "2026-11-20T10:00:00.000Z", "errorMessage": "timeout",
             "payload": "{\"Guid\":\"abc\",\"EntityType\":\"Ticket\"}"}
        ]}))
        .unwrap();
        assert_eq!(log[0].guid.as_deref(), Some("abc"));
        assert_eq!(log[0].webhook, None);
        assert_eq!(log[1].webhook, Some(("Companies", 3)));
    }
}
