//! Recognizes the four inputs in a pasted block of text: a copy of
//! Autotask's "Add API User" page, a vendor's e-mail, a password manager
//! note. Labelled lines win ("Username (Key): …", "Password (Secret): …",
//! "API Tracking Identifier: …", "Zone: webservices5"); unlabelled tokens
//! that can only be one thing (an Autotask URL, a generated key, a code of
//! Autotask's shape) fill what labels left empty. A secret is only ever
//! taken from a labelled line: a random-looking token could be anything.

use crate::credentials::{Field, Secret};
use crate::zone::{self, ZoneInput};

/// What a paste filled. The secret stays here (Rust side); the page only
/// learns that one was found.
#[derive(Debug, Default)]
pub struct Recognized {
    pub zone: Option<String>,
    pub username: Option<String>,
    pub secret: Option<Secret>,
    pub integration_code: Option<String>,
}

impl Recognized {
    pub fn fields(&self) -> Vec<Field> {
        let mut f = Vec::new();
        if self.zone.is_some() {
            f.push(Field::Zone);
        }
        if self.username.is_some() {
            f.push(Field::Username);
        }
        if self.secret.is_some() {
            f.push(Field::Secret);
        }
        if self.integration_code.is_some() {
            f.push(Field::IntegrationCode);
        }
        f
    }

    /// More than one value: a block worth spreading over the form rather
    /// than pasting into one field.
    pub(crate) fn is_block(&self) -> bool {
        self.fields().len() >= 2
    }
}

/// Longest text we look at: a page copy, not a novel.
const MAX_CHARS: usize = 20_000;

fn label_field(label: &str) -> Option<Field> {
    let l: String = label
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let has = |w: &str| l.split_whitespace().any(|t| t == w) || l.contains(w) && w.contains(' ');
    if has("secret") || has("password") || has("passwort") {
        Some(Field::Secret)
    } else if has("tracking")
        || has("integration code")
        || has("integrationcode")
        || has("apiintegrationcode")
    {
        Some(Field::IntegrationCode)
    } else if has("username") || has("user") || has("key") || has("client id") || has("login") {
        Some(Field::Username)
    } else if has("zone")
        || has("url")
        || has("domain")
        || has("server")
        || has("portal")
        || has("endpoint")
        || has("host")
    {
        Some(Field::Zone)
    } else {
        None
    }
}

/// Splits `Label: value` (also `=` and tab). A line that starts with a URL
/// or has a long "label" has none.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let lower = line.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return None;
    }
    let i = line.find([':', '=', '\t'])?;
    let (label, rest) = (&line[..i], &line[i + 1..]);
    if label.trim().is_empty()
        || label.chars().count() > 48
        || label.contains('@')
        || label.contains('/')
    {
        return None;
    }
    Some((label.trim(), rest.trim()))
}

fn is_generated_key(token: &str) -> bool {
    match token.split_once('@') {
        Some((local, domain)) => {
            local.len() == 15
                && local
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                && domain.contains('.')
        }
        None => false,
    }
}

fn is_code_shaped(token: &str) -> bool {
    (20..=32).contains(&token.len())
        && token
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && token.chars().any(|c| c.is_ascii_digit())
}

fn is_autotask_zone(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    (lower.contains("autotask.net") || lower.starts_with("webservices"))
        && matches!(zone::parse(token), Ok(ZoneInput::Zone(_)))
}

/// Whether `value` can be what `field` holds.
fn fits(field: Field, value: &str) -> bool {
    let single = !value.is_empty() && !value.contains(char::is_whitespace);
    match field {
        Field::Secret => !value.is_empty(),
        Field::IntegrationCode => {
            single
                && (10..=40).contains(&value.len())
                && value.chars().all(|c| c.is_ascii_alphanumeric())
        }
        Field::Username => single && value.contains('@'),
        Field::Zone => single && zone::parse(value).is_ok(),
    }
}

/// A line that is nothing but a label ("Password (Secret)"), as copied
/// from a web form whose values sit on the next line.
fn whole_line_label(line: &str) -> Option<Field> {
    if line.is_empty() || line.chars().count() > 48 || line.contains(['@', '/', ':', '=']) {
        return None;
    }
    label_field(line)
}

pub fn recognize(text: &str) -> Recognized {
    let text: String = text.chars().take(MAX_CHARS).collect();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut r = Recognized::default();
    // Lines a label used (the label's and, below it, the value's), and every
    // labelled value: the unlabelled pass never reuses them for another
    // field. A labelled secret of capitals and digits is code-shaped, and
    // must not come back as the integration code.
    let mut consumed = vec![false; lines.len()];
    let mut claimed: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let at = i;
        i += 1;
        let (field, value) = match split_label(line) {
            Some((label, value)) => match label_field(label) {
                Some(f) => (f, value),
                None => continue,
            },
            None => match whole_line_label(line) {
                Some(f) => (f, ""),
                None => continue,
            },
        };
        let value = if value.is_empty() {
            // The value is on the next line, unless that line is a label itself.
            match lines.get(i) {
                Some(next)
                    if fits(field, next)
                        && whole_line_label(next).is_none()
                        && split_label(next).is_none_or(|(l, _)| label_field(l).is_none()) =>
                {
                    consumed[i] = true;
                    i += 1;
                    *next
                }
                _ => continue,
            }
        } else {
            value
        };
        consumed[at] = true;
        if !fits(field, value) {
            continue;
        }
        claimed.push(value);
        let slot = match field {
            Field::Secret => {
                if r.secret.is_none() {
                    r.secret = Some(Secret::new(value.to_string()));
                }
                continue;
            }
            Field::IntegrationCode => &mut r.integration_code,
            Field::Username => &mut r.username,
            Field::Zone => &mut r.zone,
        };
        if slot.is_none() {
            *slot = Some(value.to_string());
        }
    }
    // Unlabelled tokens that can only be one thing, on lines no label used.
    let free = lines
        .iter()
        .zip(&consumed)
        .filter(|(_, used)| !**used)
        .map(|(line, _)| *line);
    for token in free.flat_map(|line| {
        line.split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"' | '(' | ')')
        })
    }) {
        let token = token
            .trim_matches(|c: char| matches!(c, '.' | ':' | '\''))
            .trim();
        if token.is_empty() || claimed.iter().any(|v| v.contains(token)) {
            continue;
        }
        if r.zone.is_none() && is_autotask_zone(token) {
            r.zone = Some(token.to_string());
        } else if r.username.is_none() && is_generated_key(token) {
            r.username = Some(token.to_string());
        } else if r.integration_code.is_none() && is_code_shaped(token) {
            r.integration_code = Some(token.to_string());
        }
    }
    r
}

#[cfg(test)]
mod tests {
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
}
