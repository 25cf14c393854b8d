//! Property tests of everything that parses untrusted text: what a
//! technician pastes (zone, credentials, blocks), what Autotask — or
//! something pretending to be it — answers, and the config file.
//! Properties: nothing panics, and no input ever yields a host outside
//! Autotask's. `scripts/fuzz` runs them with many more cases
//! (PROPTEST_CASES) and records the figures in BENCHMARKS.md.

use std::io::Write;

use autotask_connect::credentials::{Credentials, Secret};
use autotask_connect::rest;
use autotask_connect::store::config::Config;
use autotask_connect::transport::{Answer, ConnectTo};
use autotask_connect::zone::{self, ZoneInput};
use autotask_connect::{paste, zone::allowed_link};
use proptest::prelude::*;
use serde_json::{Value, json};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fuzz/regressions.txt"
            )),
        )),
        ..ProptestConfig::default()
    }
}

fn is_autotask_api_host(host: &str) -> bool {
    let Some(label) = host.strip_suffix(".autotask.net") else {
        return false;
    };
    label == "prde"
        || label == "pres"
        || label
            .strip_prefix("webservices")
            .is_some_and(|d| (1..=4).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

/// The property every zone input must satisfy.
fn zone_property(input: &str) {
    match zone::parse(input) {
        Ok(ZoneInput::Zone(z)) => {
            assert!(
                is_autotask_api_host(&z.api_host()),
                "{input:?} gave {}",
                z.api_host()
            );
            assert!(
                z.api_url()
                    .starts_with(&format!("https://{}/", z.api_host()))
            );
            // Differential: a browser-grade URL parser must see an Autotask
            // host in what we accepted, or not see a URL at all.
            // Bare shorthands ("5", "ww5", "pres.") name no host; only a
            // dotted host can hide another one.
            // One pair of wrapping quotes or brackets is documented as not
            // part of the address (mail clients add them).
            let mut t = input
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}');
            for (open, close) in [('<', '>'), ('"', '"'), ('\'', '\''), ('(', ')'), ('[', ']')] {
                if t.len() >= 2 && t.starts_with(open) && t.ends_with(close) {
                    t = t[1..t.len() - 1].trim();
                    break;
                }
            }
            let after_scheme = t.split_once("://").map_or(t, |(_, r)| r);
            let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
            let host_part = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
            let names_a_host = host_part.trim_end_matches('.').contains('.');
            let as_url = if t.contains("://") {
                t.to_string()
            } else {
                format!("https://{t}")
            };
            if names_a_host
                && let Ok(u) = url::Url::parse(&as_url)
                && let Some(host) = u.host_str()
                && u.scheme().starts_with("http")
                && host.contains('.')
            {
                let host = host.trim_end_matches('.');
                assert!(
                    host == "autotask.net" || host.ends_with(".autotask.net"),
                    "{input:?} was accepted as {z:?} but a browser would go to {host}"
                );
                assert!(
                    u.username().is_empty() && u.password().is_none(),
                    "{input:?} has user info"
                );
            }
        }
        Ok(ZoneInput::Discover) => {}
        Err(e) => {
            let m = e.to_string();
            assert!(!m.is_empty() && m.len() < 1000, "{m}");
        }
    }
}

/// Pieces that make tricky addresses when glued together.
fn address() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "ww5",
        "webservices5",
        "webservices",
        "prde",
        "pres",
        "ww29",
        "autotask",
        "net",
        "autotask.net",
        "ww5.autotask.net",
        "evil",
        "example",
        "com",
        ".",
        "..",
        "@",
        ":",
        ":443",
        ":80",
        "/",
        "\\",
        "#",
        "?",
        "%2e",
        "%40",
        "%00",
        "[::1]",
        "127.0.0.1",
        "0x7f",
        "xn--",
        "\u{200b}",
        "а",
        "。",
        "\t",
        " ",
        "user:pw@",
        "https://",
        "http://",
        "ftp://",
        "//",
        "javascript:",
        "-",
        "0",
        "99999",
    ]);
    prop::collection::vec(piece, 1..9).prop_map(|v| v.concat())
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        address().prop_map(Value::String),
        prop::sample::select(vec![
            "None",
            "All",
            "Restricted",
            "0",
            "1",
            "2",
            "https://webservices5.autotask.net/ATServicesRest/"
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop::sample::select(vec![
            "url",
            "webUrl",
            "zoneName",
            "ci",
            "errors",
            "item",
            "info",
            "companyName",
            "canQuery",
            "userAccessForQuery",
            "userAccessForCreate",
            "externalRequestThreshold",
            "currentTimeframeRequestCount",
            "requestThresholdTimeframe",
            "message",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key.prop_map(String::from), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn zone_inputs_never_panic_nor_leave_autotask(input in any::<String>()) {
        zone_property(&input);
    }

    #[test]
    fn glued_addresses_never_leave_autotask(input in address()) {
        zone_property(&input);
    }

    #[test]
    fn links_open_only_on_autotask(input in address()) {
        if let Some(link) = allowed_link(&format!("https://{input}")) {
            let u = url::Url::parse(&link).expect("an allowed link is a URL");
            let host = u.host_str().unwrap_or("");
            prop_assert!(host == "autotask.net" || host.ends_with(".autotask.net"), "{link}");
        }
    }

    #[test]
    fn pasted_blocks_never_panic_and_only_fill_autotask_zones(text in prop_oneof![
        any::<String>(),
        prop::collection::vec(prop_oneof![
            address(),
            prop::sample::select(vec!["Username (Key): ", "Secret: ", "Zone: ", "API Tracking Identifier:", "\n",
                "k3jd8f0aq2mz7xw@contoso.com", "ABCDEFGHIJKLMNOPQRSTUVWXYZ1", "Password (Secret)\n"]).prop_map(String::from),
        ], 0..20).prop_map(|v| v.concat()),
    ]) {
        let r = paste::recognize(&text);
        if let Some(z) = &r.zone {
            prop_assert!(zone::parse(z).is_ok(), "{z:?}");
        }
        if let Some(u) = &r.username {
            prop_assert!(u.contains('@'));
        }
    }

    #[test]
    fn answers_from_autotask_never_panic_nor_leave_autotask(v in arb_json(), status in 100u16..600) {
        if let Ok(info) = rest::parse_zone_information(&v, status) {
            prop_assert!(is_autotask_api_host(&info.zone.api_host()));
            let web = url::Url::parse(&info.web_url).expect("a URL");
            prop_assert!(web.host_str().unwrap_or("").ends_with(".autotask.net"));
        }
        let _ = rest::parse_usage(&v);
        let _ = rest::parse_entity_info(&v);
        let _ = rest::parse_company_zero(&v);
    }

    #[test]
    fn any_body_is_read_without_panic(body in prop::collection::vec(any::<u8>(), 0..2048),
                                      content_type in prop::option::of(prop::sample::select(vec!["application/json", "text/html", "text/plain"])),
                                      status in 100u16..600) {
        let answer = Answer {
            status,
            content_type: content_type.map(String::from),
            location: None,
            retry_after: None,
            body,
            elapsed: std::time::Duration::ZERO,
        };
        let (_, errors) = rest::read_body(&answer);
        for e in errors {
            prop_assert!(e.chars().count() <= 401 && !e.chars().any(char::is_control));
        }
    }

    #[test]
    fn any_config_file_is_read_or_set_aside_never_lost(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        arb_json().prop_map(|v| serde_json::to_vec(&json!({"format": 1, "profiles": {"a": v}})).unwrap()),
        arb_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]) {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::at(dir.path().to_path_buf());
        std::fs::File::create(c.path()).unwrap().write_all(&bytes).unwrap();
        match c.load() {
            Ok((_, Some(notice))) => prop_assert_eq!(std::fs::read(&notice.set_aside).unwrap(), bytes),
            Ok((_, None)) => prop_assert_eq!(std::fs::read(c.path()).unwrap(), bytes),
            Err(_) => prop_assert_eq!(std::fs::read(c.path()).unwrap(), bytes, "an error leaves the file alone"),
        }
    }

    #[test]
    fn connect_overrides_never_panic(spec in any::<String>()) {
        let _ = spec.parse::<ConnectTo>();
    }

    #[test]
    fn credential_lints_never_panic_alter_or_quote_the_secret(
        username in prop_oneof![any::<String>(), address()],
        secret in "[ -~]{1,40}|.{0,40}",
        code in any::<String>(),
    ) {
        let marker = secret.clone();
        match Credentials::parse(&username, Secret::new(secret), &code) {
            Ok((c, lints)) => {
                prop_assert_eq!(c.secret.expose(), marker.as_str());
                for l in lints {
                    if marker.trim().len() >= 6 {
                        prop_assert!(!l.message.contains(marker.trim()) && !l.fix.contains(marker.trim()));
                    }
                }
            }
            Err(lints) => prop_assert!(!lints.is_empty()),
        }
    }
}

/// The committed seed corpus: inputs that once mattered, re-run every time.
#[test]
fn seed_corpus() {
    let text = include_str!("../../fuzz/corpus/zone.txt");
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let input = line
            .replace("\\t", "\t")
            .replace("\\n", "\n")
            .replace("\\0", "\0");
        zone_property(&input);
        n += 1;
    }
    assert!(n >= 60, "the corpus shrank to {n}");
}
