//! The three things Autotask generates for an API user — username (key),
//! secret and integration code (API tracking identifier) — as types, with
//! lints that say what looks wrong and how to fix it in Autotask.
//!
//! Lints never change the secret: Autotask shows it once, so we keep its
//! exact bytes and only warn. Username and integration code cannot contain
//! white space, so surrounding spaces are removed (and reported).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use zeroize::Zeroize;

/// The inputs of the form, in the order Autotask shows them. Also the
/// field names that cross the IPC boundary and appear in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Zone,
    Username,
    Secret,
    IntegrationCode,
}

impl Field {
    /// The label a technician sees in Autotask and in our form.
    pub fn label(self) -> &'static str {
        match self {
            Field::Zone => "Autotask URL",
            Field::Username => "API username (key)",
            Field::Secret => "API secret",
            Field::IntegrationCode => "API integration code (tracking identifier)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The check cannot run with this input.
    Error,
    /// Probably a mistake; the check runs anyway.
    Warning,
}

/// One finding about one input, with the sentence that fixes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lint {
    pub field: Field,
    pub severity: Severity,
    /// Stable identifier, e.g. `username.not_generated_key`.
    pub code: &'static str,
    pub message: String,
    pub fix: String,
}

impl Lint {
    fn error(field: Field, code: &'static str, message: &str, fix: &str) -> Lint {
        Lint {
            field,
            severity: Severity::Error,
            code,
            message: message.to_string(),
            fix: fix.to_string(),
        }
    }

    pub(crate) fn warning(field: Field, code: &'static str, message: &str, fix: &str) -> Lint {
        Lint {
            severity: Severity::Warning,
            ..Lint::error(field, code, message, fix)
        }
    }
}

/// Far above any generated value, far below anything that hurts.
const MAX_SECRET_CHARS: usize = 512;
const MAX_CODE_CHARS: usize = 128;

const WHERE_CREDENTIALS: &str = "In Autotask, open Admin › Company Settings & Users › \
Resources/Users (HR) › Resources/Users, edit the API user, and look in its Credentials section.";

/// Characters that cannot travel in an HTTP header (line breaks, NUL, DEL…).
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\t')
}

// ---------------------------------------------------------------- username

/// The API username (Autotask calls it the key): 15 generated lowercase
/// letters and digits, `@`, the tenant's domain.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this looks like the key Autotask generates rather than a
    /// person's e-mail address.
    pub(crate) fn is_generated_key(&self) -> bool {
        let local = self.0.split('@').next().unwrap_or("");
        local.len() == 15
            && local
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }

    /// Lints `raw`; returns the username unless a lint is an error.
    pub fn parse(raw: &str, lints: &mut Vec<Lint>) -> Option<Username> {
        let f = Field::Username;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            lints.push(Lint::error(
                f,
                "username.blank",
                "The API username is empty.",
                &format!("{WHERE_CREDENTIALS} Copy \"Username (Key)\"."),
            ));
            return None;
        }
        if let Some(label) = label_at_start(trimmed, USERNAME_LABELS) {
            lints.push(Lint::error(
                f,
                "username.label_included",
                &format!(
                    "The API username starts with the label \"{label}\", copied with it; nothing \
                     was sent."
                ),
                "Paste only the value after the label: it looks like an e-mail address, e.g. \
                 k3jd8f0aq2mz7xw@contoso.com.",
            ));
            return None;
        }
        if has_control(trimmed) || trimmed.chars().any(char::is_whitespace) {
            lints.push(Lint::error(
                f,
                "username.whitespace_inside",
                "The API username contains a space, tab or line break.",
                "Copy the username again: Autotask's API usernames never contain spaces.",
            ));
            return None;
        }
        if trimmed.chars().any(crate::zone::is_invisible) {
            lints.push(Lint::error(
                f,
                "username.invisible_character",
                "The API username contains an invisible character (such as a zero-width space or a \
                 text-direction mark), usually picked up when copying from a web page or chat.",
                "Type the username again, or copy it straight from the API user's Credentials section.",
            ));
            return None;
        }
        if trimmed.len() != raw.len() {
            lints.push(Lint::warning(
                f,
                "username.surrounding_whitespace",
                "Spaces around the API username were removed.",
                "Nothing to do; just check the rest was copied completely.",
            ));
        }
        let mut parts = trimmed.split('@');
        let (local, domain) = (parts.next().unwrap_or(""), parts.next());
        let email_shaped = match domain {
            Some(d) => {
                parts.next().is_none()
                    && !local.is_empty()
                    && d.contains('.')
                    && !d.starts_with('.')
                    && !d.ends_with('.')
            }
            None => false,
        };
        if !email_shaped || trimmed.len() > 254 {
            lints.push(Lint::error(
                f,
                "username.not_email_shaped",
                "An Autotask API username looks like an e-mail address, e.g. \
                 k3jd8f0aq2mz7xw@contoso.com; this one does not.",
                &format!(
                    "{WHERE_CREDENTIALS} Copy \"Username (Key)\" completely, including the part after @."
                ),
            ));
            return None;
        }
        let user = Username(trimmed.to_string());
        if !user.is_generated_key() {
            let lower = local.to_ascii_lowercase();
            let is_key_in_wrong_case = lower.len() == 15
                && lower
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if is_key_in_wrong_case {
                lints.push(Lint::warning(
                    f,
                    "username.upper_case",
                    "Autotask generates API usernames in lower case; this one has capitals.",
                    "Copy \"Username (Key)\" again exactly as Autotask shows it.",
                ));
            } else {
                lints.push(Lint::warning(
                    f,
                    PERSONS_LOGIN,
                    "This looks like a person's e-mail address. An API user's username is a key \
                     Autotask generates: 15 random letters and digits before the @ \
                     (e.g. k3jd8f0aq2mz7xw@contoso.com), not the e-mail address on the General tab.",
                    &format!("{WHERE_CREDENTIALS} Copy \"Username (Key)\", or click Generate Key if it is empty."),
                ));
            }
        }
        Some(user)
    }
}

impl fmt::Debug for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Username({:?})", self.0)
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// ------------------------------------------------------------------ secret

/// The API secret (Autotask calls it the password). It has no `Display`,
/// `Serialize` or `Clone`, prints `<redacted>` in `Debug`, and is wiped from
/// memory when dropped; share it with `Arc` rather than copying it.
pub struct Secret(String);

// Proof at compile time that `Secret` cannot be serialized, displayed or
// cloned: `<Secret as NotX<_>>::check` has one candidate impl while `Secret`
// lacks X, and two (ambiguous: the build fails here) once it has it.
macro_rules! secret_lacks {
    ($($name:ident: $bound:path;)+) => {$(
        const _: fn() = || {
            trait $name<A> {
                fn check() {}
            }
            impl<T: ?Sized> $name<()> for T {}
            struct Implemented;
            impl<T: ?Sized + $bound> $name<Implemented> for T {}
            <Secret as $name<_>>::check();
        };
    )+};
}
secret_lacks! {
    NotSerialize: Serialize;
    NotDisplay: fmt::Display;
    NotClone: Clone;
}

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The exact bytes, for the one place that sends them (the `Secret`
    /// header) and the one place that stores them (the credential store).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Lints the secret. Never alters it; never quotes it.
    pub fn lint(&self, lints: &mut Vec<Lint>) -> bool {
        let f = Field::Secret;
        let s = &self.0;
        if s.is_empty() {
            lints.push(Lint::error(
                f,
                "secret.blank",
                "The API secret is empty.",
                &format!(
                    "Paste the secret the integration uses (Autotask shows it only once). If nobody \
                     has it any more: {WHERE_CREDENTIALS} Generate Secret — the old secret then \
                     stops working everywhere it is used."
                ),
            ));
            return false;
        }
        if s.chars().count() > MAX_SECRET_CHARS {
            lints.push(Lint::error(
                f,
                "secret.too_long",
                "The API secret is far longer than any Autotask secret (they are 25 characters); \
                 something else was pasted.",
                "Copy just the secret from where you saved it, or generate a new one in Autotask.",
            ));
            return false;
        }
        if has_control(s) {
            lints.push(Lint::error(
                f,
                "secret.control_character",
                "The API secret contains a line break or another control character, which cannot be \
                 sent to Autotask. Autotask's secrets never contain one.",
                "Copy the secret again from where you saved it, or generate a new one in Autotask.",
            ));
            return false;
        }
        if let Some(label) = label_at_start(s.trim_start(), SECRET_LABELS) {
            // The label is ours to name; the value after it is never quoted.
            lints.push(Lint::error(
                f,
                "secret.label_included",
                &format!(
                    "The API secret starts with the label \"{label}\", copied with it. Nothing was \
                     sent: a secret with its label would be a refused login."
                ),
                "Paste only the secret itself, without the label in front of it.",
            ));
            return false;
        }
        if s.trim().chars().any(char::is_whitespace) {
            lints.push(Lint::error(
                f,
                "secret.whitespace_inside",
                "The API secret contains a space or tab. Autotask's secrets never do, so something \
                 else was copied with it; nothing was sent.",
                "Copy the secret again, in one piece, from where you saved it.",
            ));
            return false;
        }
        if s.trim() != s.as_str() {
            lints.push(Lint::warning(
                f,
                "secret.surrounding_whitespace",
                "The API secret begins or ends with a space. Autotask never generates one, so this is \
                 probably a copy mistake; the secret is kept exactly as entered.",
                "Copy the secret again without the surrounding space, then test once.",
            ));
        }
        if !s.is_ascii() {
            lints.push(Lint::warning(
                f,
                "secret.not_ascii",
                "The API secret contains a character outside plain ASCII (such as a curly quote or an \
                 accented letter). Autotask's secrets are plain ASCII, so an editor may have changed it.",
                "Copy the secret from the original source rather than from a document or chat.",
            ));
        }
        let len = s.chars().count();
        if len != GENERATED_SECRET_CHARS && s.trim() == s.as_str() {
            lints.push(Lint::warning(
                f,
                SECRET_LENGTH,
                &format!(
                    "The API secret is {len} character{} long; Autotask generates \
                     {GENERATED_SECRET_CHARS}, so it may be cut short or have something extra.",
                    if len == 1 { "" } else { "s" }
                ),
                "Copy the secret again, in one piece, from where you saved it.",
            ));
        }
        true
    }
}

/// The code of the username warning that it looks like a person's login: a
/// question before the secret is sent, until the username has passed here.
pub(crate) const PERSONS_LOGIN: &str = "username.not_generated_key";

/// The code of the length warning: a confirmation before the secret is
/// sent, unless a passing check vouches for it.
pub(crate) const SECRET_LENGTH: &str = "secret.unexpected_length";

/// Labels Autotask (and the vendors' e-mails) print before each value,
/// most specific first, and how we name them.
const SECRET_LABELS: &[(&str, &str)] = &[
    ("password (secret)", "Password (Secret)"),
    ("api secret", "API secret"),
    ("secret key", "Secret key"),
    ("password", "Password"),
    ("secret", "Secret"),
    ("username (key)", "Username (Key)"),
    ("username", "Username"),
    ("api tracking identifier", "API Tracking Identifier"),
    ("tracking identifier", "Tracking Identifier"),
    ("integration code", "Integration code"),
];
const USERNAME_LABELS: &[(&str, &str)] = &[
    ("username (key)", "Username (Key)"),
    ("api username", "API username"),
    ("user name", "User name"),
    ("username", "Username"),
    ("api user", "API user"),
    ("key", "Key"),
];

/// The label `s` starts with, if one is followed by `:`, `=`, a space or
/// the end: `Password (Secret) Zs4…`, `Secret: Zs4…`. A secret that merely
/// begins with the letters of a word (`Secret12#…`) is not a label.
fn label_at_start(s: &str, labels: &[(&str, &'static str)]) -> Option<&'static str> {
    let lower = s.to_lowercase();
    labels.iter().find_map(|(words, shown)| {
        let rest = lower.strip_prefix(words)?;
        matches!(
            rest.chars().next(),
            None | Some(':' | '=' | ' ' | '\t' | '\u{a0}')
        )
        .then_some(*shown)
    })
}

/// The secret equal to the username or the code: one was pasted into the
/// wrong field. An error (nothing is sent); the values are never quoted.
pub(crate) fn lint_secret_against(
    secret: &Secret,
    others: &[(Field, &str)],
    lints: &mut Vec<Lint>,
) -> bool {
    let s = secret.expose().trim();
    for (field, value) in others {
        if !s.is_empty() && s == value.trim() {
            lints.push(Lint {
                message: format!(
                    "The API secret is the same as the {}: one of them was pasted into the wrong \
                     field, so nothing was sent.",
                    field.label()
                ),
                ..Lint::error(
                    Field::Secret,
                    match field {
                        Field::Username => "secret.same_as_username",
                        _ => "secret.same_as_integration_code",
                    },
                    "",
                    "Paste each value from its own line of the API user's Credentials section.",
                )
            });
            return false;
        }
    }
    true
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

/// Secrets arrive from the webview and from the credential store; they are
/// never serialized back out.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// The length of the secrets Autotask generates.
pub(crate) const GENERATED_SECRET_CHARS: usize = 25;

/// Characters that web forms and URL encodings are known to change or drop
/// (`+` read as a space, `%` as an escape, markup and quotes stripped).
const FORM_SENSITIVE: &[char] = &['+', '%', '&', '<', '>', '"', '\'', '\\', '`'];

/// A warning for a secret that is typed into a vendor's web form (every
/// preset but your own integration). Never alters it; never quotes it.
pub(crate) fn lint_secret_for_forms(secret: &Secret, lints: &mut Vec<Lint>) {
    if secret.expose().chars().any(|c| FORM_SENSITIVE.contains(&c)) {
        // Which of them is not said: that would tell part of the secret.
        lints.push(Lint::warning(
            Field::Secret,
            "secret.form_sensitive_characters",
            "The API secret contains a character that some web forms and URL encodings change or \
             drop (one of + % & < > \" ' \\ `).",
            "Paste it into the vendor's form with the Copy button, then use the vendor's own \
             test; if that fails, generate a new secret in Autotask.",
        ));
    }
}

// -------------------------------------------------------- integration code

/// The API integration code (Autotask: "API tracking identifier").
#[derive(Clone, PartialEq, Eq)]
pub struct IntegrationCode(String);

impl IntegrationCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as shown in reports and support tickets: first and last two
    /// characters, so two codes can be told apart without revealing either.
    pub fn redacted(&self) -> String {
        redact_middle(&self.0)
    }

    pub fn parse(raw: &str, lints: &mut Vec<Lint>) -> Option<IntegrationCode> {
        let f = Field::IntegrationCode;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            lints.push(Lint::error(
                f,
                "integration_code.blank",
                "The API integration code is empty.",
                "In Autotask, edit the API user and look at API Tracking Identifier: Autotask \
                 generates the code when you choose \"Custom (Internal Integration)\" (or an \
                 integration vendor entry made in your tenant): copy it. A vendor that keeps its \
                 own code needs none here: choose that vendor under \"Who will use this API user?\".",
            ));
            return None;
        }
        if trimmed.chars().count() > MAX_CODE_CHARS {
            lints.push(Lint::error(
                f,
                "integration_code.too_long",
                "The integration code is far longer than Autotask's (usually 27 characters); \
                 something else was pasted.",
                "Copy just the API Tracking Identifier from the API user in Autotask.",
            ));
            return None;
        }
        if has_control(trimmed) || trimmed.chars().any(char::is_whitespace) {
            lints.push(Lint::error(
                f,
                "integration_code.whitespace_inside",
                "The API integration code contains a space or line break.",
                "Copy the tracking identifier again in one piece; Autotask's codes never contain spaces.",
            ));
            return None;
        }
        if trimmed.len() != raw.len() {
            lints.push(Lint::warning(
                f,
                "integration_code.surrounding_whitespace",
                "Spaces around the integration code were removed.",
                "Nothing to do; just check the rest was copied completely.",
            ));
        }
        let len = trimmed.chars().count();
        let upper_alnum = trimmed
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !upper_alnum {
            let lower_only = trimmed.chars().all(|c| c.is_ascii_alphanumeric())
                && trimmed.chars().any(|c| c.is_ascii_lowercase());
            lints.push(Lint::warning(
                f,
                "integration_code.unexpected_characters",
                if lower_only {
                    "Autotask's integration codes are upper-case letters and digits; this one has \
                     lower-case letters."
                } else {
                    "Autotask's integration codes are upper-case letters and digits only; this one \
                     has other characters."
                },
                "Copy the API Tracking Identifier again exactly as Autotask shows it.",
            ));
        } else if !(20..=32).contains(&len) {
            lints.push(Lint {
                message: format!(
                    "The integration code is {len} characters long; Autotask's are usually 27, so it \
                     may be cut short or have something extra."
                ),
                ..Lint::warning(
                    f,
                    "integration_code.unexpected_length",
                    "",
                    "Copy the API Tracking Identifier again in one piece.",
                )
            });
        }
        Some(IntegrationCode(trimmed.to_string()))
    }
}

impl fmt::Debug for IntegrationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IntegrationCode({})", self.redacted())
    }
}

/// `ABCD…YZ`-style redaction that keeps a value recognizable, not usable.
pub(crate) fn redact_middle(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 8 {
        return "…".to_string();
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail} ({} characters)", chars.len())
}

// ------------------------------------------------------------ credentials

/// Everything an authenticated call needs. The zone is separate: it can be
/// discovered from the username.
#[derive(Debug)]
pub struct Credentials {
    pub username: Username,
    pub secret: std::sync::Arc<Secret>,
    pub integration_code: IntegrationCode,
}

impl Credentials {
    /// Lints all three inputs at once so a form can show every problem
    /// together. `Err` carries every lint when any of them is an error;
    /// `Ok` carries the warnings.
    pub fn parse(
        username: &str,
        secret: impl Into<std::sync::Arc<Secret>>,
        integration_code: &str,
    ) -> Result<(Credentials, Vec<Lint>), Vec<Lint>> {
        let secret: std::sync::Arc<Secret> = secret.into();
        let mut lints = Vec::new();
        let username_parsed = Username::parse(username, &mut lints);
        let secret_ok = secret.lint(&mut lints)
            && lint_secret_against(
                &secret,
                &[
                    (Field::Username, username),
                    (Field::IntegrationCode, integration_code),
                ],
                &mut lints,
            );
        let username = username_parsed;
        let integration_code = IntegrationCode::parse(integration_code, &mut lints);
        match (username, secret_ok, integration_code) {
            (Some(username), true, Some(integration_code)) => Ok((
                Credentials {
                    username,
                    secret,
                    integration_code,
                },
                lints,
            )),
            _ => Err(lints),
        }
    }
}

#[cfg(test)]
mod tests;
