use super::*;

fn codes(lints: &[Lint]) -> Vec<&'static str> {
    lints.iter().map(|l| l.code).collect()
}

fn user(raw: &str) -> (Option<Username>, Vec<Lint>) {
    let mut lints = Vec::new();
    (Username::parse(raw, &mut lints), lints)
}

fn code(raw: &str) -> (Option<IntegrationCode>, Vec<Lint>) {
    let mut lints = Vec::new();
    (IntegrationCode::parse(raw, &mut lints), lints)
}

fn secret(raw: &str) -> (bool, Vec<Lint>) {
    let mut lints = Vec::new();
    (Secret::new(raw.into()).lint(&mut lints), lints)
}

#[test]
fn a_generated_key_passes_clean() {
    let (u, lints) = user("k3jd8f0aq2mz7xw@contoso.com");
    assert_eq!(u.unwrap().as_str(), "k3jd8f0aq2mz7xw@contoso.com");
    assert!(lints.is_empty());
}

#[test]
fn username_lints() {
    assert_eq!(codes(&user("").1), ["username.blank"]);
    assert_eq!(codes(&user("   ").1), ["username.blank"]);
    assert_eq!(
        codes(&user("k3jd8f0aq2mz7xw").1),
        ["username.not_email_shaped"]
    );
    assert_eq!(
        codes(&user("a@b@contoso.com").1),
        ["username.not_email_shaped"]
    );
    assert_eq!(
        codes(&user("@contoso.com").1),
        ["username.not_email_shaped"]
    );
    assert_eq!(codes(&user("abc@contoso").1), ["username.not_email_shaped"]);
    assert_eq!(
        codes(&user("k3jd8f0 aq2mz7xw@contoso.com").1),
        ["username.whitespace_inside"]
    );
    let (u, lints) = user("  k3jd8f0aq2mz7xw@contoso.com\n");
    assert_eq!(u.unwrap().as_str(), "k3jd8f0aq2mz7xw@contoso.com");
    assert_eq!(codes(&lints), ["username.surrounding_whitespace"]);
    let (u, lints) = user("jane.doe@contoso.com");
    assert!(u.is_some(), "a person's address is only a warning");
    assert_eq!(codes(&lints), ["username.not_generated_key"]);
    assert_eq!(lints[0].severity, Severity::Warning);
    assert!(lints[0].message.contains("General tab"));
    assert_eq!(
        codes(&user("K3JD8F0AQ2MZ7XW@contoso.com").1),
        ["username.upper_case"]
    );
}

#[test]
fn secret_lints_never_alter_or_quote_it() {
    assert!(secret("Ab1*#$~@xYz0987654321qwer").1.is_empty());
    assert_eq!(codes(&secret("").1), ["secret.blank"]);
    let (ok, lints) = secret(" Ab1*#$~@xYz0987654321qwer ");
    assert!(ok);
    assert_eq!(codes(&lints), ["secret.surrounding_whitespace"]);
    assert_eq!(
        codes(&secret("Ab1*#$~\n@xYz").1),
        ["secret.control_character"]
    );
    assert_eq!(
        codes(&secret("Ab1*#$~@xYz\n").1),
        ["secret.control_character"]
    );
    assert_eq!(
        codes(&secret("Ab1“quoted”-secret-val-12").1),
        ["secret.not_ascii"]
    );
    assert_eq!(
        codes(&secret("Ab1*#$~@xYz0987654321qwe").1),
        ["secret.unexpected_length"]
    );
    let s = Secret::new("  keep me  ".into());
    s.lint(&mut Vec::new());
    assert_eq!(s.expose(), "  keep me  ");
    for l in secret(" Zq9-unique-secret-value ").1 {
        assert!(!l.message.contains("Zq9") && !l.fix.contains("Zq9"));
    }
}

/// An obvious paste mistake is an error (nothing is sent) that names
/// the label, never the value.
#[test]
fn a_secret_pasted_with_its_label_or_into_the_wrong_field_is_refused() {
    for (raw, label) in [
        (
            "Password (Secret) Zs4*kQ2w#9xY7$mN3p~aB6c",
            "Password (Secret)",
        ),
        (
            "password (secret): Zs4*kQ2w#9xY7$mN3p~aB6c",
            "Password (Secret)",
        ),
        ("Secret: Zs4*kQ2w#9xY7$mN3p~aB6c", "Secret"),
        ("Password:Zs4*kQ2w#9xY7$mN3p~aB6c", "Password"),
        (
            "Username (Key) k3jd8f0aq2mz7xw@contoso.com",
            "Username (Key)",
        ),
    ] {
        let (ok, lints) = secret(raw);
        assert!(!ok, "{raw}");
        assert_eq!(codes(&lints), ["secret.label_included"], "{raw}");
        assert!(lints[0].message.contains(&format!("\"{label}\"")), "{raw}");
        assert!(!lints[0].message.contains("Zs4") && !lints[0].fix.contains("Zs4"));
    }
    // Words that merely start a secret are not a label.
    assert!(secret("Secret12#kQ2w9xY7$mN3p~aB").1.is_empty());
    assert!(secret("Passwords*kQ2w9xY7$mN3p~a").1.is_empty());
    let (ok, lints) = secret("Zs4*kQ2w#9xY 7$mN3p~aB6cD");
    assert!(!ok);
    assert_eq!(codes(&lints), ["secret.whitespace_inside"]);

    let same = Credentials::parse(
        "k3jd8f0aq2mz7xw@contoso.com",
        Secret::new("k3jd8f0aq2mz7xw@contoso.com".into()),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
    )
    .unwrap_err();
    assert!(
        codes(&same).contains(&"secret.same_as_username"),
        "{same:?}"
    );
    let same = Credentials::parse(
        "k3jd8f0aq2mz7xw@contoso.com",
        Secret::new("ABCDEFGHIJKLMNOPQRSTUVWXYZ1".into()),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
    )
    .unwrap_err();
    assert!(
        codes(&same).contains(&"secret.same_as_integration_code"),
        "{same:?}"
    );
    assert_eq!(
        same.iter()
            .find(|l| l.code == "secret.same_as_integration_code")
            .unwrap()
            .message,
        "The API secret is the same as the API integration code (tracking identifier): one of \
         them was pasted into the wrong field, so nothing was sent."
    );

    let (u, lints) = user("Username (Key): k3jd8f0aq2mz7xw@contoso.com");
    assert!(u.is_none());
    assert_eq!(codes(&lints), ["username.label_included"]);
}

#[test]
fn secret_is_redacted_in_debug() {
    let s = Secret::new("Zq9-unique-secret-value".into());
    assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
    let (creds, _) = Credentials::parse(
        "k3jd8f0aq2mz7xw@contoso.com",
        s,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
    )
    .unwrap();
    let debug = format!("{creds:?}");
    assert!(!debug.contains("Zq9"), "{debug}");
    assert!(!debug.contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ1"), "{debug}");
}

#[test]
fn integration_code_lints() {
    assert!(code("ABCDEFGHIJKLMNOPQRSTUVWXYZ1").1.is_empty());
    assert!(code("ABCDEFGHIJKLMNOPQRSTUVWXY1").1.is_empty(), "26 seen");
    assert_eq!(codes(&code("").1), ["integration_code.blank"]);
    assert_eq!(
        codes(&code("ABCDE FGHIJ").1),
        ["integration_code.whitespace_inside"]
    );
    assert_eq!(
        codes(&code(" ABCDEFGHIJKLMNOPQRSTUVWXYZ1 ").1),
        ["integration_code.surrounding_whitespace"]
    );
    let (c, lints) = code("ABCDEFGHIJKL");
    assert!(c.is_some());
    assert_eq!(codes(&lints), ["integration_code.unexpected_length"]);
    assert!(lints[0].message.contains("12 characters"));
    assert_eq!(
        codes(&code("abcdefghijklmnopqrstuvwxyz1").1),
        ["integration_code.unexpected_characters"]
    );
    assert_eq!(
        codes(&code("ABCDEFGHIJKLMN-PQRSTUVWXYZ1").1),
        ["integration_code.unexpected_characters"]
    );
}

#[test]
fn parse_reports_every_error_at_once() {
    let lints = Credentials::parse("", Secret::new(String::new()), "").unwrap_err();
    assert_eq!(
        codes(&lints),
        ["username.blank", "secret.blank", "integration_code.blank"]
    );
}

#[test]
fn redaction_keeps_codes_apart_not_usable() {
    assert_eq!(
        redact_middle("ABCDEFGHIJKLMNOPQRSTUVWXYZ1"),
        "AB…Z1 (27 characters)"
    );
    assert_eq!(redact_middle("SHORT"), "…");
}
