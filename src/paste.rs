//! Recognizes the four inputs in a pasted block of text: a copy of
//! Autotask's "Add API User" page, a vendor's e-mail, a password manager
//! note. Candidates for each field are ranked: a line labelled for exactly
//! that value ("Username (Key): …", "Password (Secret): …", "API Tracking
//! Identifier: …", "Zone: webservices5") beats a vaguer label ("User: …"),
//! which beats an unlabelled token that can only be one thing (an Autotask
//! URL, a generated key, a code of Autotask's shape). A line labelled as an
//! e-mail address ("API user email: …") is never the username unless its
//! value is a generated key. A secret is only ever taken from a labelled
//! line in a block: a random-looking token could be anything. Labels are
//! never part of a value, and each value remembers the line it came from,
//! so the window can say which line filled which field.

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
    /// Where each value came from: its line (1-based) and the label that
    /// named it, if one did.
    pub origins: Vec<Origin>,
}

/// The line a value was taken from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub field: Field,
    pub line: usize,
    pub label: Option<String>,
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

/// How strongly `label` names `field`'s value (3: exactly, 2: vaguely, 0:
/// not at all), given the value under it.
fn label_rank(label: &str, field: Field, value: &str) -> u8 {
    let l = label.to_lowercase();
    match field {
        Field::Username => {
            // "API user email": the General tab's address, not the key.
            if l.contains("mail") {
                return if is_generated_key(value) { 1 } else { 0 };
            }
            if l.contains("key") || l.contains("username") || l.contains("user name") {
                3
            } else {
                2
            }
        }
        Field::Secret | Field::IntegrationCode => 3,
        Field::Zone => {
            if l.contains("zone") || l.contains("url") || l.contains("domain") {
                3
            } else {
                2
            }
        }
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

/// Whether a pasted block names a username that `is_demo` does not know:
/// real values, which end the demo tenant before they are used.
pub fn names_a_real_user(text: &str, is_demo: impl Fn(&str) -> bool) -> bool {
    recognize(text).username.is_some_and(|u| !is_demo(u.trim()))
}

/// One candidate value for a field.
struct Candidate<'a> {
    rank: u8,
    line: usize,
    label: Option<&'a str>,
    value: &'a str,
}

pub fn recognize(text: &str) -> Recognized {
    let text: String = text.chars().take(MAX_CHARS).collect();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut candidates: Vec<(Field, Candidate)> = Vec::new();
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
        let (field, label, value) = match split_label(line) {
            Some((label, value)) => match label_field(label) {
                Some(f) => (f, label, value),
                None => continue,
            },
            None => match whole_line_label(line) {
                Some(f) => (f, line, ""),
                None => continue,
            },
        };
        let (value, value_line) = if value.is_empty() {
            // The value is on the next line, unless that line is a label itself.
            match lines.get(i) {
                Some(next)
                    if fits(field, next)
                        && whole_line_label(next).is_none()
                        && split_label(next).is_none_or(|(l, _)| label_field(l).is_none()) =>
                {
                    consumed[i] = true;
                    i += 1;
                    (*next, i)
                }
                _ => continue,
            }
        } else {
            (value, at + 1)
        };
        consumed[at] = true;
        if !fits(field, value) {
            continue;
        }
        claimed.push(value);
        let rank = label_rank(label, field, value);
        if rank > 0 {
            candidates.push((
                field,
                Candidate {
                    rank,
                    line: value_line,
                    label: Some(label),
                    value,
                },
            ));
        }
    }
    // Unlabelled tokens that can only be one thing, on lines no label used.
    for (at, line) in lines.iter().enumerate().filter(|(at, _)| !consumed[*at]) {
        for token in line.split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"' | '(' | ')')
        }) {
            let token = token
                .trim_matches(|c: char| matches!(c, '.' | ':' | '\''))
                .trim();
            if token.is_empty() || claimed.iter().any(|v| v.contains(token)) {
                continue;
            }
            let field = if is_autotask_zone(token) {
                Field::Zone
            } else if is_generated_key(token) {
                Field::Username
            } else if is_code_shaped(token) {
                Field::IntegrationCode
            } else {
                continue;
            };
            candidates.push((
                field,
                Candidate {
                    rank: 1,
                    line: at + 1,
                    label: None,
                    value: token,
                },
            ));
        }
    }
    let mut r = Recognized::default();
    for field in [
        Field::Zone,
        Field::Username,
        Field::Secret,
        Field::IntegrationCode,
    ] {
        // The best-ranked candidate; the first of equals.
        let best = candidates
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, c)| c)
            .fold(None::<&Candidate>, |best, c| match best {
                Some(b) if b.rank >= c.rank => Some(b),
                _ => Some(c),
            });
        let Some(c) = best else { continue };
        match field {
            Field::Zone => r.zone = Some(c.value.to_string()),
            Field::Username => r.username = Some(c.value.to_string()),
            Field::Secret => r.secret = Some(Secret::new(c.value.to_string())),
            Field::IntegrationCode => r.integration_code = Some(c.value.to_string()),
        }
        r.origins.push(Origin {
            field,
            line: c.line,
            label: c.label.map(str::to_string),
        });
    }
    r
}

/// Where a paste goes: spread over the form, one value into the field its
/// shape belongs to, or nowhere.
#[derive(Debug)]
pub enum Placement {
    /// Two values or more: each into its field (the secret held in Rust).
    Block(Recognized),
    /// One value, and the field it belongs to (labels removed). `held`: a
    /// secret pasted outside the secret field, kept in Rust and never shown.
    Single {
        field: Field,
        value: String,
        label: Option<String>,
        held: bool,
    },
    /// Nothing a field could take.
    Nowhere,
}

/// A labelled single line without a colon: "Password (Secret) Zs4…",
/// "Username (Key) k3jd…": the label's field and the value after it.
fn labelled_value(line: &str) -> Option<(Field, &str, &str)> {
    let (label, value) = match split_label(line) {
        Some(lv) => lv,
        None => {
            // The last space separates a label of words from a value without one.
            let at = line.rfind(char::is_whitespace)?;
            (line[..at].trim(), line[at..].trim())
        }
    };
    let field = label_field(label)?;
    (!value.is_empty() && !value.contains(char::is_whitespace)).then_some((field, label, value))
}

/// Looks like a generated secret: one token of some length mixing at least
/// three of upper case, lower case, digits and symbols, and no address.
fn secret_looking(value: &str) -> bool {
    let n = value.chars().count();
    let classes = [
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    (12..=64).contains(&n)
        && !value.contains(char::is_whitespace)
        && !value.contains("://")
        && classes >= 3
}

/// The field a lone value's shape belongs to. What fits nothing stays in
/// the field it was pasted into (its own lint says what is wrong), except
/// that nothing with spaces goes into a field that never has them.
fn shape_of(value: &str, focused: Field) -> Option<Field> {
    let single = !value.is_empty() && !value.contains(char::is_whitespace);
    if !single {
        return (focused == Field::Secret && !value.is_empty()).then_some(Field::Secret);
    }
    let email = value.rsplit_once('@').is_some_and(|(l, d)| {
        !l.is_empty() && d.contains('.') && !d.contains('/') && !value.contains("://")
    });
    if is_autotask_zone(value) {
        Some(Field::Zone)
    } else if email && focused != Field::Secret || is_generated_key(value) {
        Some(Field::Username)
    } else if is_code_shaped(value) && focused != Field::Secret {
        Some(Field::IntegrationCode)
    } else if secret_looking(value) && !(focused == Field::Zone && value.contains(['.', '/'])) {
        Some(Field::Secret)
    } else {
        Some(focused)
    }
}

/// Where `text`, pasted into `focused`, goes.
pub fn place(text: &str, focused: Field) -> Placement {
    let r = recognize(text);
    if r.is_block() {
        return Placement::Block(r);
    }
    let trimmed = text.trim();
    let lines: Vec<&str> = trimmed.lines().map(str::trim).collect();
    // One labelled value (on one line or two), or one bare value.
    let labelled = match lines.as_slice() {
        [one] => labelled_value(one).map(|(f, l, v)| (f, Some(l), v)),
        [label, value] if whole_line_label(label).is_some() => {
            whole_line_label(label).map(|f| (f, Some(*label), *value))
        }
        _ => None,
    };
    let (field, label, value) = match labelled {
        Some(found) => found,
        None if lines.len() == 1 => match shape_of(trimmed, focused) {
            Some(f) => (f, None, trimmed),
            None => return Placement::Nowhere,
        },
        None => {
            // Several lines and fewer than two values: the one found, if any.
            return match r.fields().first() {
                Some(&f) => {
                    let origin = r.origins.first().cloned();
                    let value = match f {
                        Field::Zone => r.zone.clone(),
                        Field::Username => r.username.clone(),
                        Field::IntegrationCode => r.integration_code.clone(),
                        Field::Secret => r.secret.as_ref().map(|s| s.expose().to_string()),
                    };
                    match value {
                        Some(value) => Placement::Single {
                            field: f,
                            held: f == Field::Secret && focused != Field::Secret,
                            value,
                            label: origin.and_then(|o| o.label),
                        },
                        None => Placement::Nowhere,
                    }
                }
                None => Placement::Nowhere,
            };
        }
    };
    // A secret is held in Rust when it did not go into the secret field as
    // pasted: pasted elsewhere, or with its label, which the field must not get.
    Placement::Single {
        field,
        held: field == Field::Secret && (focused != Field::Secret || label.is_some()),
        value: value.to_string(),
        label: label.map(str::to_string),
    }
}

impl Recognized {
    /// "Filled from the pasted text: Autotask URL from line 2 (“Zone”), …":
    /// which line filled which field, in one line. Never a value.
    pub fn account(&self) -> String {
        let parts: Vec<String> = self
            .origins
            .iter()
            .map(|o| {
                let from = match &o.label {
                    Some(l) => format!("line {} (“{}”)", o.line, l.trim_end_matches(':')),
                    None => format!("line {}", o.line),
                };
                let held = if o.field == Field::Secret {
                    ", held by the app and not shown"
                } else {
                    ""
                };
                format!("{} from {from}{held}", o.field.label())
            })
            .collect();
        format!("Filled from the pasted text: {}.", parts.join("; "))
    }
}

impl Placement {
    /// One line for the window: which field took what, or why none did.
    pub fn account(&self, focused: Field) -> String {
        match self {
            Placement::Block(r) => r.account(),
            Placement::Single {
                field, label, held, ..
            } => {
                let what = match label {
                    Some(l) => format!("the value after “{}”", l.trim_end_matches(':')),
                    None => "it".to_string(),
                };
                if *held && label.is_some() {
                    format!(
                        "Pasted {what} into “{}”: held by the app and not shown.",
                        Field::Secret.label()
                    )
                } else if *held {
                    format!(
                        "That looks like a secret, so it went into “{}”: held by the app and not \
                         shown.",
                        Field::Secret.label()
                    )
                } else if *field == focused && label.is_none() {
                    format!("Pasted into “{}”.", field.label())
                } else {
                    format!("Pasted {what} into “{}”.", field.label())
                }
            }
            Placement::Nowhere => format!(
                "Nothing was filled: that is not an Autotask URL, an API username, a secret or an \
                 integration code. Paste it again into “{}” if it belongs there.",
                focused.label()
            ),
        }
    }
}

#[cfg(test)]
mod tests;
