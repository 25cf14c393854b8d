use super::*;

#[test]
fn autotask_add_api_user_page_copy() {
    let text = "General\nFirst Name\nIntegration\nLast Name\nSupport\nEmail Address\nsupport@contoso.com\n\
                Credentials\nUsername (Key)\nk3jd8f0aq2mz7xw@contoso.com\nPassword (Secret)\nAb1*#$~@xYz0987654321qwer\n\
                API Tracking Identifier\nCustom (Internal Integration)\nTracking Identifier\nABCDEFGHIJKLMNOPQRSTUVWXY27\n";
    // Labels on their own lines, values on the next.
    let r = recognize(text);
    assert_eq!(r.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
    assert_eq!(
        r.integration_code.as_deref(),
        Some("ABCDEFGHIJKLMNOPQRSTUVWXY27")
    );
    assert_eq!(r.secret.unwrap().expose(), "Ab1*#$~@xYz0987654321qwer");
    assert!(r.zone.is_none());
}

#[test]
fn labelled_vendor_email() {
    let text = "Hi,\n\nhere are the details:\n\
                API Zone: webservices5\n\
                API Username: k3jd8f0aq2mz7xw@contoso.com\n\
                API Secret: Ab1*#$~@xYz0987654321qwer\n\
                API Integration Code: ABCDEFGHIJKLMNOPQRSTUVWXY27\n\nThanks";
    let r = recognize(text);
    assert_eq!(r.zone.as_deref(), Some("webservices5"));
    assert_eq!(r.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
    assert_eq!(
        r.secret.as_ref().unwrap().expose(),
        "Ab1*#$~@xYz0987654321qwer"
    );
    assert_eq!(
        r.integration_code.as_deref(),
        Some("ABCDEFGHIJKLMNOPQRSTUVWXY27")
    );
    assert!(r.is_block());
    assert_eq!(r.fields().len(), 4);
}

#[test]
fn label_then_value_on_the_next_line() {
    let text = "Username (Key):\nk3jd8f0aq2mz7xw@contoso.com\nPassword (Secret):\nAb1*#$~@xYz0987654321qwer\nhttps://ww14.autotask.net/Mvc/Framework/Navigation.mvc/Landing";
    let r = recognize(text);
    assert_eq!(r.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
    assert_eq!(r.secret.unwrap().expose(), "Ab1*#$~@xYz0987654321qwer");
    assert_eq!(
        r.zone.as_deref(),
        Some("https://ww14.autotask.net/Mvc/Framework/Navigation.mvc/Landing")
    );
}

#[test]
fn other_e_mail_addresses_and_urls_are_not_taken() {
    let r = recognize(
        "Email Address: jane@contoso.com\nSee https://example.com/help and jane.doe@contoso.com",
    );
    assert!(r.username.is_none());
    assert!(r.zone.is_none());
    let r = recognize("Portal: https://autotask.net.evil.example/");
    assert!(r.zone.is_none(), "a hostile URL is not filled in");
}

#[test]
fn an_unlabelled_random_token_is_never_taken_as_the_secret() {
    let r = recognize("k3jd8f0aq2mz7xw@contoso.com Ab1*#$~@xYz0987654321qwer");
    assert!(r.secret.is_none());
    assert!(r.username.is_some());
}

#[test]
fn a_secret_keeps_its_inner_characters() {
    let r = recognize("Secret = a b:c=d\tZ");
    assert_eq!(r.secret.unwrap().expose(), "a b:c=d\tZ");
}

#[test]
fn a_labelled_secret_is_never_reused_for_another_field() {
    // Capitals and digits, as vendors' mails and overridden secrets can be: code-shaped.
    let r = recognize(
        "Username: k3jd8f0aq2mz7xw@contoso.com\nSecret: QW7E9R2T4Y6U8I0OPA1S3D5F\nZone: webservices5",
    );
    assert_eq!(r.secret.unwrap().expose(), "QW7E9R2T4Y6U8I0OPA1S3D5F");
    assert_eq!(r.integration_code, None);
    // On the next line, and repeated unlabelled further down.
    let r = recognize(
        "Password (Secret)\nQW7E9R2T4Y6U8I0OPA1S3D5F\nSee above: QW7E9R2T4Y6U8I0OPA1S3D5F",
    );
    assert_eq!(r.secret.unwrap().expose(), "QW7E9R2T4Y6U8I0OPA1S3D5F");
    assert_eq!(r.integration_code, None);
    // A real code beside it is still found.
    let r = recognize("Secret: QW7E9R2T4Y6U8I0OPA1S3D5F\nABCDEFGHIJKLMNOPQRSTUVWXY27");
    assert_eq!(
        r.integration_code.as_deref(),
        Some("ABCDEFGHIJKLMNOPQRSTUVWXY27")
    );
}

proptest::proptest! {
    /// Whatever surrounds it, a labelled secret is never also filled in
    /// as the username, integration code or zone.
    #[test]
    fn a_labelled_secret_fills_no_other_field(
        secret in "[A-Z0-9]{20,32}|[A-Za-z0-9*#$~@]{8,40}",
        label in proptest::sample::select(vec!["Secret", "API Secret", "Password (Secret)", "password", "Passwort"]),
        // No ":" or "=": the lines around carry no labels of their own.
        before in proptest::collection::vec("[ -9;<>-~]{0,40}", 0..4),
        after in proptest::collection::vec("[ -9;<>-~]{0,40}", 0..4),
        repeat in proptest::bool::ANY,
        next_line in proptest::bool::ANY,
    ) {
        let mut text = before.join("\n");
        text.push('\n');
        if next_line {
            text.push_str(&format!("{label}\n{secret}\n"));
        } else {
            text.push_str(&format!("{label}: {secret}\n"));
        }
        text.push_str(&after.join("\n"));
        if repeat {
            text.push_str(&format!("\n{secret}"));
        }
        let r = recognize(&text);
        for other in [&r.username, &r.integration_code, &r.zone].into_iter().flatten() {
            proptest::prop_assert!(!secret.contains(other.as_str()), "{other:?} taken from the secret in {text:?}");
        }
    }
}

#[test]
fn a_single_value_is_not_a_block() {
    assert!(!recognize("k3jd8f0aq2mz7xw@contoso.com").is_block());
    assert!(!recognize("").is_block());
    let big = "x".repeat(100_000);
    assert!(!recognize(&big).is_block());
}

#[test]
fn a_username_key_line_beats_an_api_user_email_line() {
    let text = "Hello,\nAPI user email: support@contoso.com\nUsername (Key): k3jd8f0aq2mz7xw@contoso.com\n\
                Password (Secret): Zs4*kQ2w#9xY7$mN3p~aB6cD\n";
    let r = recognize(text);
    assert_eq!(r.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
    assert_eq!(
        r.account(),
        "Filled from the pasted text: API username (key) from line 3 (“Username (Key)”); API \
         secret from line 4 (“Password (Secret)”), held by the app and not shown."
    );
    // Even when the e-mail line comes after it.
    let r = recognize("Username (Key): k3jd8f0aq2mz7xw@contoso.com\nAPI User Email: s@contoso.com");
    assert_eq!(r.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
}

/// The labels vendors' e-mails and Autotask's own page use, per field.
fn labels(field: Field) -> Vec<&'static str> {
    match field {
        Field::Zone => vec!["API Zone", "Zone", "API URL", "Server", "Autotask URL"],
        Field::Username => vec![
            "Username (Key)",
            "API Username",
            "Username",
            "API User",
            "Key",
        ],
        Field::Secret => vec!["Password (Secret)", "API Secret", "Secret", "Password"],
        Field::IntegrationCode => vec![
            "API Tracking Identifier",
            "Tracking Identifier",
            "Integration Code",
            "API Integration Code",
        ],
    }
}

fn arb_secret() -> impl proptest::strategy::Strategy<Value = String> {
    "[A-Za-z0-9]{10,16}[*#$~@!][A-Za-z0-9]{4,8}"
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// A vendor's e-mail, lines in any order, any of the labels, with
    /// chatter and an "API user email" line around them: every field
    /// gets its own value, no label inside any, the secret in no other
    /// field, and the account names each field once, never a value.
    #[test]
    fn a_vendors_e_mail_fills_each_field_with_its_own_value(
        zone in 1u32..40,
        key in "[a-z0-9]{15}",
        secret in arb_secret(),
        code in "[A-Z]{20}[0-9]{7}",
        picks in proptest::collection::vec(0usize..5, 4),
        order in proptest::strategy::Strategy::prop_shuffle(
            proptest::sample::subsequence(vec![0usize, 1, 2, 3], 4)
        ),
        separator in proptest::sample::select(vec![": ", ":", " = ", ":\t", ":\n"]),
        email_first in proptest::bool::ANY,
    ) {
        use proptest::prelude::*;
        let username = format!("{key}@contoso.com");
        let values = [
            (Field::Zone, format!("webservices{zone}")),
            (Field::Username, username.clone()),
            (Field::Secret, secret.clone()),
            (Field::IntegrationCode, code.clone()),
        ];
        let mut lines = vec!["Hi there,".to_string(), String::new()];
        let email_line = "API user email: technician@contoso.com".to_string();
        if email_first {
            lines.push(email_line.clone());
        }
        for i in &order {
            let (field, value) = &values[*i];
            let names = labels(*field);
            let label = names[picks[*i] % names.len()];
            lines.push(format!("{label}{separator}{value}"));
        }
        if !email_first {
            lines.push(email_line);
        }
        lines.push("Thanks, the vendor".into());
        let text = lines.join("\n");
        let r = recognize(&text);
        prop_assert_eq!(r.zone.as_deref(), Some(values[0].1.as_str()), "{}", text);
        prop_assert_eq!(r.username.as_deref(), Some(username.as_str()), "{}", text);
        prop_assert_eq!(r.secret.as_ref().map(|s| s.expose().to_string()), Some(secret.clone()), "{}", text);
        prop_assert_eq!(r.integration_code.as_deref(), Some(code.as_str()), "{}", text);
        let account = r.account();
        prop_assert!(!account.contains(&secret) && !account.contains(&username), "{}", account);
        for field in [Field::Zone, Field::Username, Field::Secret, Field::IntegrationCode] {
            let named = format!("{} from line", field.label());
            prop_assert_eq!(account.matches(named.as_str()).count(), 1, "{}", account);
        }
    }

    /// Autotask's Credentials section copied from the page: each label on
    /// its own line and its value on the next, between the page's other
    /// fields.
    #[test]
    fn autotask_s_credentials_section_fills_the_three_values(
        key in "[a-z0-9]{15}",
        secret in arb_secret(),
        code in "[A-Z]{20}[0-9]{7}",
        first in "[A-Z][a-z]{2,8}",
        email in "[a-z]{3,8}@contoso\\.com",
    ) {
        use proptest::prelude::*;
        let username = format!("{key}@contoso.com");
        let text = format!(
            "General\nFirst Name\n{first}\nLast Name\nIntegration\nEmail Address\n{email}\n\
             Credentials\nUsername (Key)\n{username}\nPassword (Secret)\n{secret}\n\
             API Tracking Identifier\nCustom (Internal Integration)\nTracking Identifier\n{code}\n"
        );
        let r = recognize(&text);
        prop_assert_eq!(r.username.as_deref(), Some(username.as_str()));
        prop_assert_eq!(r.secret.as_ref().map(|s| s.expose().to_string()), Some(secret.clone()));
        prop_assert_eq!(r.integration_code.as_deref(), Some(code.as_str()));
        prop_assert!(r.zone.is_none());
        let username_line = r.origins.iter().find(|o| o.field == Field::Username).unwrap().line;
        prop_assert_eq!(username_line, 10, "the value's own line");
    }

    /// A single value pasted into any field: a secret never lands in a
    /// field that shows it, and a label never in any field.
    #[test]
    fn a_lone_secret_never_lands_in_a_field_that_shows_it(
        secret in arb_secret(),
        focused in proptest::sample::select(vec![Field::Zone, Field::Username, Field::IntegrationCode, Field::Secret]),
        label in proptest::option::of(proptest::sample::select(vec!["Password (Secret) ", "Secret: ", "API Secret: "])),
    ) {
        use proptest::prelude::*;
        let text = format!("{}{secret}", label.unwrap_or(""));
        match place(&text, focused) {
            Placement::Single { field, value, held, .. } => {
                prop_assert_eq!(field, Field::Secret);
                prop_assert_eq!(&value, &secret);
                prop_assert_eq!(held, focused != Field::Secret || label.is_some());
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }
}
