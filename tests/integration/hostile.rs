//! The hostile-input table: zone/URL inputs and malformed credential
//! values, each with its expected outcome, through the library and the CLI.

use autotask_connect::credentials::{Credentials, Secret, Severity};
use autotask_connect::zone::{self, ZoneInput};

use crate::cli::cli;

/// `Ok(api host)` or `Err(reason code)`.
type Expect = Result<&'static str, &'static str>;

const W5: Expect = Ok("webservices5.autotask.net");

fn zone_table() -> Vec<(String, Expect)> {
    let ten_kb = format!("https://ww5.autotask.net/{}", "a".repeat(10_240));
    let long_label = format!("{}.autotask.net", "w".repeat(64));
    let mut t: Vec<(String, Expect)> = [
        // What technicians paste.
        ("https://ww5.autotask.net/", W5),
        ("ww5.autotask.net/Mvc/Framework/Navigation.mvc/Landing", W5),
        ("  HTTPS://WW5.AUTOTASK.NET  ", W5),
        ("http://ww5.autotask.net", W5),
        ("webservices5", W5),
        ("https://webservices5.autotask.net/ATServicesRest/V1.0/", W5),
        (
            "https://webservices5.autotask.net/ATServices/1.6/atws.asmx",
            W5,
        ),
        ("ww5.autotask.net:443", W5),
        ("ww5.autotask.net.", W5),
        ("ww5.autotask.net:", W5),
        ("<https://ww5.autotask.net/>", W5),
        ("\u{feff}ww5.autotask.net", W5),
        ("https://ww5.autotask.net/#@evil.example", W5),
        ("https://ww5.autotask.net/../../evil.example", W5),
        ("https://prde.autotask.net/", Ok("prde.autotask.net")),
        ("webservices.autotask.net", Ok("webservices.autotask.net")),
        ("ww29", Ok("webservices29.autotask.net")),
        // Look-alike hosts.
        ("autotask.net.example.com", Err("not_autotask")),
        ("ww5.autotask.net.example.com", Err("not_autotask")),
        ("ww5.autotask.net.evil.example.", Err("not_autotask")),
        ("myautotask.net", Err("not_autotask")),
        ("ww5-autotask.net", Err("not_autotask")),
        ("ww5.autotask.com", Err("not_autotask")),
        ("https://xn--autotsk-9ya.net/", Err("not_autotask")),
        ("autotask.net", Err("not_a_zone")),
        ("www.autotask.net", Err("not_a_zone")),
        ("evil.ww5.autotask.net", Err("not_a_zone")),
        ("xn--ww5.autotask.net", Err("not_a_zone")),
        ("ww-5.autotask.net", Err("not_a_zone")),
        // IDN look-alikes and Unicode tricks.
        ("ww5.autotаsk.net", Err("non_ascii")),
        ("ww5.аutotask.net", Err("non_ascii")),
        ("ww5。autotask。net", Err("non_ascii")),
        ("ww5．autotask．net", Err("non_ascii")),
        ("ww5.autotask.net\u{2028}", W5),
        ("ww5.auto\u{2028}task.net", Err("whitespace")),
        ("ww5.auto\u{200b}task.net", Err("invisible_character")),
        (
            "ww5.autotask.net\u{202e}ten.ksatotua",
            Err("invisible_character"),
        ),
        // Percent encoding and backslashes.
        ("ww5.autotask%2enet", Err("percent_encoded")),
        (
            "https://ww5.autotask.net%00.evil.example/",
            Err("percent_encoded"),
        ),
        ("https://%77w5.autotask.net/", Err("percent_encoded")),
        ("https://evil.example\\@ww5.autotask.net", Err("backslash")),
        ("https://ww5.autotask.net\\@evil.example", Err("backslash")),
        ("\\\\evil.example\\share", Err("backslash")),
        // User info.
        ("https://ww5.autotask.net@evil.example/", Err("user_info")),
        ("ww5.autotask.net@evil.example", Err("user_info")),
        ("https://user:pass@ww5.autotask.net/", Err("user_info")),
        (
            "https://ww5.autotask.net:443@evil.example",
            Err("user_info"),
        ),
        (
            "https://ww5.autotask.net%40evil.example/",
            Err("percent_encoded"),
        ),
        // Ports.
        ("ww5.autotask.net:8443", Err("port")),
        ("https://ww5.autotask.net:80/", Err("port")),
        ("https://ww5.autotask.net:0443/", Err("port")),
        ("ww5.autotask.net:abc", Err("port")),
        ("ww5.autotask.net:443:443", Err("port")),
        ("ww5.autotask.net:99999", Err("port")),
        // IP addresses.
        ("127.0.0.1", Err("ip_address")),
        ("https://10.0.0.5/ATServicesRest/", Err("ip_address")),
        ("0x7f000001", Err("ip_address")),
        ("2130706433", Err("ip_address")),
        ("127.1", Err("ip_address")),
        ("0177.0.0.1", Err("ip_address")),
        ("[::1]", Err("ip_address")),
        ("::1", Err("ip_address")),
        ("https://[2001:db8::1]:443/", Err("ip_address")),
        ("https://[::ffff:127.0.0.1]/", Err("ip_address")),
        // Trailing dots, labels, lengths.
        ("ww5.autotask.net..", Err("bad_label")),
        ("ww5..autotask.net", Err("bad_label")),
        (".ww5.autotask.net", Err("bad_label")),
        // Control characters and white space.
        ("ww5.auto\ttask.net", Err("control_character")),
        ("ww5.autotask.net\n/x", Err("control_character")),
        ("ww5.autotask.net\0", Err("control_character")),
        ("ww5.autotask .net", Err("whitespace")),
        // Schemes.
        ("javascript:alert(1)", Err("scheme")),
        ("file:///etc/passwd", Err("scheme")),
        ("ftp://ww5.autotask.net", Err("scheme")),
        ("data:text/html,hi", Err("scheme")),
        ("mailto:a@ww5.autotask.net", Err("scheme")),
        // Empty and odd.
        ("", Err("empty")),
        ("   ", Err("empty")),
        ("https://", Err("no_host")),
        ("https:///ww5.autotask.net", Err("no_host")),
        ("ww05.autotask.net", Err("leading_zero")),
        ("ww0", Err("leading_zero")),
        ("ww99999.autotask.net", Err("zone_number")),
        ("AE02", Err("unrecognized")),
        ("America East", Err("unrecognized")),
        ("ww5.autotask_net", Err("invalid_character")),
        ("ww5.auto*task.net", Err("invalid_character")),
    ]
    .into_iter()
    .map(|(i, e)| (i.to_string(), e))
    .collect();
    t.push((ten_kb, Err("too_long")));
    t.push((long_label, Err("bad_label")));
    t
}

#[test]
fn every_hostile_zone_input_has_its_expected_outcome() {
    let table = zone_table();
    assert!(table.len() >= 60, "{}", table.len());
    for (input, expected) in &table {
        let got = match zone::parse(input) {
            Ok(ZoneInput::Zone(z)) => Ok(z.api_host()),
            Ok(ZoneInput::Discover) => Ok("webservices.autotask.net".to_string()),
            Err(e) => Err(e.code()),
        };
        assert_eq!(got, expected.map(str::to_string), "{input:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_hostile_zone_input_through_the_cli() {
    for (input, expected) in zone_table().iter().filter(|(i, _)| !i.contains('\0')) {
        let run = cli(&["zone", "--json", input], &[], None).await;
        let json = run.json();
        match expected {
            Ok(host) => {
                assert_eq!(run.status, 0, "{input:?}");
                assert_eq!(json["api_host"], *host, "{input:?}");
            }
            Err(reason) => {
                assert_eq!(run.status, 2, "{input:?}");
                assert_eq!(json["error"]["kind"], "invalid_zone", "{input:?}");
                assert_eq!(json["error"]["reason"], *reason, "{input:?}");
                let message = json["error"]["message"].as_str().unwrap();
                assert!(
                    message.len() > 20 && message.len() < 600,
                    "{input:?}: {message}"
                );
            }
        }
    }
}

/// (field value, lint codes in order, whether the check can still run)
type CredentialCase = (&'static str, &'static [&'static str], bool);

const GOOD_USER: &str = "k3jd8f0aq2mz7xw@contoso.com";
const GOOD_SECRET: &str = "Ab1*#$~@xYz0987654321qwer";
const GOOD_CODE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ1";

fn usernames() -> Vec<CredentialCase> {
    vec![
        ("", &["username.blank"], false),
        ("   ", &["username.blank"], false),
        ("k3jd8f0aq2mz7xw", &["username.not_email_shaped"], false),
        ("@contoso.com", &["username.not_email_shaped"], false),
        ("k3jd8f0aq2mz7xw@", &["username.not_email_shaped"], false),
        (
            "k3jd8f0aq2mz7xw@contoso",
            &["username.not_email_shaped"],
            false,
        ),
        ("a@b@contoso.com", &["username.not_email_shaped"], false),
        (
            "k3jd8f0aq2mz7xw@.contoso.com",
            &["username.not_email_shaped"],
            false,
        ),
        (
            "k3jd8f0 aq2mz7xw@contoso.com",
            &["username.whitespace_inside"],
            false,
        ),
        (
            "Username (Key): k3jd8f0aq2mz7xw@contoso.com",
            &["username.label_included"],
            false,
        ),
        (
            "k3jd8f0aq2mz7xw@contoso.com\u{0}",
            &["username.whitespace_inside"],
            false,
        ),
        (
            "k3jd8f0aq2mz7xw@con\ntoso.com",
            &["username.whitespace_inside"],
            false,
        ),
        (
            " k3jd8f0aq2mz7xw@contoso.com ",
            &["username.surrounding_whitespace"],
            true,
        ),
        (
            "jane.doe@contoso.com",
            &["username.not_generated_key"],
            true,
        ),
        (
            "K3JD8F0AQ2MZ7XW@contoso.com",
            &["username.upper_case"],
            true,
        ),
        ("jäne@contoso.com", &["username.not_generated_key"], true),
        (
            "k3jd8f0aq2mz7xw@contoso.com\u{202e}",
            &["username.invisible_character"],
            false,
        ),
        (
            "\u{200b}k3jd8f0aq2mz7xw@contoso.com",
            &["username.invisible_character"],
            false,
        ),
    ]
}

fn secrets() -> Vec<CredentialCase> {
    vec![
        ("", &["secret.blank"], false),
        ("abc\ndef", &["secret.control_character"], false),
        ("abc\rdef", &["secret.control_character"], false),
        ("abc\0def", &["secret.control_character"], false),
        (
            "Ab1*#$~@xYz0987654321qwer\n",
            &["secret.control_character"],
            false,
        ),
        (
            " Ab1*#$~@xYz0987654321qwer",
            &["secret.surrounding_whitespace"],
            true,
        ),
        (
            "Ab1*#$~@xYz0987654321qwer\t",
            &["secret.surrounding_whitespace"],
            true,
        ),
        ("Ab1“quoted”secret-value12", &["secret.not_ascii"], true),
        (
            "Ab1“quoted”secret-value",
            &["secret.not_ascii", "secret.unexpected_length"],
            true,
        ),
        // Obvious paste mistakes: nothing is sent.
        ("a b c", &["secret.whitespace_inside"], false),
        (
            "Password (Secret) Ab1*#$~@xYz0987654321qwer",
            &["secret.label_included"],
            false,
        ),
        (
            "Secret:Ab1*#$~@xYz0987654321qwer",
            &["secret.label_included"],
            false,
        ),
        (
            "k3jd8f0aq2mz7xw@contoso.com",
            &["secret.unexpected_length", "secret.same_as_username"],
            false,
        ),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
            &[
                "secret.unexpected_length",
                "secret.same_as_integration_code",
            ],
            false,
        ),
        // Another length: sent only after a yes (the door asks).
        ("x", &["secret.unexpected_length"], true),
    ]
}

fn codes() -> Vec<CredentialCase> {
    vec![
        ("", &["integration_code.blank"], false),
        (
            "ABCDE FGHIJ",
            &["integration_code.whitespace_inside"],
            false,
        ),
        (
            "ABCDEFGHIJ\u{7}KLMNOP",
            &["integration_code.whitespace_inside"],
            false,
        ),
        (
            " ABCDEFGHIJKLMNOPQRSTUVWXYZ1 ",
            &["integration_code.surrounding_whitespace"],
            true,
        ),
        (
            "ABCDEFGHIJKL",
            &["integration_code.unexpected_length"],
            true,
        ),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567",
            &["integration_code.unexpected_length"],
            true,
        ),
        (
            "abcdefghijklmnopqrstuvwxyz1",
            &["integration_code.unexpected_characters"],
            true,
        ),
        (
            "ABCDEFGHIJKLMN-PQRSTUVWXYZ1",
            &["integration_code.unexpected_characters"],
            true,
        ),
        (
            "ÄBCDEFGHIJKLMNOPQRSTUVWXYZ1",
            &["integration_code.unexpected_characters"],
            true,
        ),
    ]
}

#[test]
fn every_malformed_credential_has_its_expected_outcome() {
    let long_secret = "s".repeat(10_240);
    let long_code = "A".repeat(10_240);
    let long_user = format!("{}@contoso.com", "a".repeat(10_240));
    let mut cases: Vec<(&str, String, Vec<&str>, bool)> = Vec::new();
    for (v, c, ok) in usernames() {
        cases.push(("username", v.into(), c.to_vec(), ok));
    }
    for (v, c, ok) in secrets() {
        cases.push(("secret", v.into(), c.to_vec(), ok));
    }
    for (v, c, ok) in codes() {
        cases.push(("integration_code", v.into(), c.to_vec(), ok));
    }
    cases.push(("secret", long_secret, vec!["secret.too_long"], false));
    cases.push((
        "integration_code",
        long_code,
        vec!["integration_code.too_long"],
        false,
    ));
    cases.push((
        "username",
        long_user,
        vec!["username.not_email_shaped"],
        false,
    ));
    for (field, value, codes, runs) in cases {
        let (u, s, c) = match field {
            "username" => (value.as_str(), GOOD_SECRET, GOOD_CODE),
            "secret" => (GOOD_USER, value.as_str(), GOOD_CODE),
            _ => (GOOD_USER, GOOD_SECRET, value.as_str()),
        };
        let (got_runs, lints) = match Credentials::parse(u, Secret::new(s.to_string()), c) {
            Ok((_, lints)) => (true, lints),
            Err(lints) => (false, lints),
        };
        let got: Vec<&str> = lints.iter().map(|l| l.code).collect();
        assert_eq!(
            (got_runs, got.clone()),
            (runs, codes.clone()),
            "{field} = {value:?}"
        );
        for l in &lints {
            // Each finding is about the field that was given the bad value.
            let label = match field {
                "username" => "API username (key)",
                "secret" => "API secret",
                _ => "API integration code (tracking identifier)",
            };
            assert_eq!(l.field.label(), label, "{}", l.code);
            assert!(!l.fix.is_empty(), "{} has no fix", l.code);
            if field == "secret" && value.trim().len() > 3 {
                assert!(!l.message.contains(value.trim()) && !l.fix.contains(value.trim()));
            }
            if !runs {
                assert!(lints.iter().any(|l| l.severity == Severity::Error));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_credentials_through_the_cli_exit_2_before_any_request() {
    for (field, cases) in [
        ("username", usernames()),
        ("secret", secrets()),
        ("integration_code", codes()),
    ] {
        for (value, codes, runs) in cases
            .into_iter()
            .filter(|(v, _, runs)| !runs && !v.contains('\0'))
        {
            let (u, s, c) = match field {
                "username" => (value, GOOD_SECRET, GOOD_CODE),
                "secret" => (GOOD_USER, value, GOOD_CODE),
                _ => (GOOD_USER, GOOD_SECRET, value),
            };
            assert!(!runs);
            // No connect override: a request would go to the real Autotask
            // and fail; bad input must stop before any.
            let run = cli(
                &[
                    "--connect-to",
                    "::127.0.0.1:9",
                    "check",
                    "--json",
                    "--username",
                    u,
                    "--integration-code",
                    c,
                ],
                &[("AUTOTASK_SECRET", s)],
                None,
            )
            .await;
            assert_eq!(run.status, 2, "{field} = {value:?}: {}", run.stdout);
            let json = run.json();
            assert_eq!(
                json["error"]["kind"], "invalid_input",
                "{field} = {value:?}"
            );
            assert_eq!(json["error"]["field"], field, "{field} = {value:?}");
            assert_eq!(
                json["error"]["lints"][0]["code"], codes[0],
                "{field} = {value:?}"
            );
        }
    }
}
