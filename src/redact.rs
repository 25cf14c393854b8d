//! Hiding the secret and the integration code in text that leaves the
//! process (steps, messages, reports, JSON, the window): never in what is
//! parsed. An answer is read as Autotask sent it; only what we say about it
//! is scrubbed.
//!
//! Servers echo values in more than one spelling, so a value is recognised
//! in any mixture of: its own characters (in any case), percent-encoding
//! (`%26`, `+` for a space), JSON escapes (`\u0026`, `\"`, `\/`) and HTML
//! character references (`&amp;`, `&#38;`, `&#x26;`). Any run that spells
//! the first [`PREFIX_CHARS`] characters of a value (or more) is replaced,
//! as far as it goes on spelling it: an echo cut anywhere still cannot
//! leave a recognisable start behind.

use std::collections::HashMap;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::credentials::Secret;

/// The shortest start of a value that is hidden wherever it appears.
pub(crate) const PREFIX_CHARS: usize = 6;
/// Values shorter than this are hidden only whole: shorter starts would
/// blank ordinary words.
const MIN_CHARS: usize = 4;

/// Scrubs the secret and the integration code from outgoing text.
pub(crate) struct Redactor {
    /// Each value's characters, case-folded (wiped on drop), and its mark.
    values: Vec<(Zeroizing<Vec<char>>, &'static str)>,
}

/// One character compared without case (a character whose lower case is
/// longer than one character compares as itself).
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

impl Redactor {
    pub(crate) fn new(secret: Arc<Secret>, integration_code: &str) -> Redactor {
        let mut values = Vec::new();
        for (value, mark) in [
            (secret.expose(), "<secret>"),
            (integration_code, "<integration code>"),
        ] {
            let chars: Vec<char> = value.chars().map(fold).collect();
            if chars.len() >= MIN_CHARS {
                values.push((Zeroizing::new(chars), mark));
            }
        }
        Redactor { values }
    }

    pub(crate) fn scrub(&self, text: &mut String) {
        for (value, mark) in &self.values {
            if let Some(clean) = without(text, value, mark) {
                *text = clean;
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn scrubbed(&self, text: &str) -> String {
        let mut text = text.to_string();
        self.scrub(&mut text);
        text
    }
}

/// `text` with every spelling of `value`'s start replaced by `mark`;
/// `None` when there is none.
fn without(text: &str, value: &[char], mark: &str) -> Option<String> {
    let needed = value.len().min(PREFIX_CHARS);
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    let mut found = false;
    while at < text.len() {
        let (matched, end) = Spelling::new(text, value).longest(at);
        if matched >= needed {
            out.push_str(&text[copied..at]);
            out.push_str(mark);
            copied = end;
            at = end;
            found = true;
        } else {
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found.then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

/// The longest run of a value's characters, in any of their spellings,
/// from one place in a text.
struct Spelling<'a> {
    text: &'a str,
    value: &'a [char],
    /// (byte position, characters matched so far) -> (matched, end).
    seen: HashMap<(usize, usize), (usize, usize)>,
}

impl<'a> Spelling<'a> {
    fn new(text: &'a str, value: &'a [char]) -> Spelling<'a> {
        Spelling {
            text,
            value,
            seen: HashMap::new(),
        }
    }

    /// How many of the value's characters are spelled from `at`, and where
    /// that spelling ends.
    fn longest(&mut self, at: usize) -> (usize, usize) {
        self.from(at, 0)
    }

    fn from(&mut self, at: usize, k: usize) -> (usize, usize) {
        if k == self.value.len() || at >= self.text.len() {
            return (k, at);
        }
        if let Some(done) = self.seen.get(&(at, k)) {
            return *done;
        }
        let mut best = (k, at);
        for len in spellings(&self.text[at..], self.value[k]) {
            let next = self.from(at + len, k + 1);
            if next.0 > best.0 {
                best = next;
            }
        }
        if k > 0 {
            self.seen.insert((at, k), best);
        }
        best
    }
}

/// The byte lengths of every spelling of `c` (already case-folded) that
/// `rest` starts with.
fn spellings(rest: &str, c: char) -> Vec<usize> {
    let mut out = Vec::new();
    if let Some(first) = rest.chars().next()
        && fold(first) == c
    {
        out.push(first.len_utf8());
    }
    if c == ' ' && rest.starts_with('+') {
        out.push(1);
    }
    // Percent-encoding of the character's UTF-8 bytes.
    let mut utf8 = [0u8; 4];
    let bytes = c.encode_utf8(&mut utf8).as_bytes();
    if let Some(len) = percent(rest, bytes).or_else(|| {
        // Case-folded: the upper-case character's bytes.
        let upper: String = c.to_uppercase().collect();
        (upper.chars().count() == 1)
            .then(|| percent(rest, upper.as_bytes()))
            .flatten()
    }) {
        out.push(len);
    }
    if let Some(len) = json_escape(rest, c) {
        out.push(len);
    }
    if let Some(len) = html_reference(rest, c) {
        out.push(len);
    }
    out
}

fn hex_value(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 8)
        .then(|| u32::from_str_radix(s, 16).ok())
        .flatten()
}

fn same_char(code: u32, c: char) -> bool {
    char::from_u32(code).is_some_and(|d| fold(d) == c)
}

/// `%HH` for each byte.
fn percent(rest: &str, bytes: &[u8]) -> Option<usize> {
    let b = rest.as_bytes();
    for (i, want) in bytes.iter().enumerate() {
        let at = i * 3;
        if b.get(at) != Some(&b'%') {
            return None;
        }
        let hex = rest.get(at + 1..at + 3)?;
        if u8::from_str_radix(hex, 16).ok()? != *want {
            return None;
        }
    }
    Some(bytes.len() * 3)
}

/// `\"`, `\\`, `\/`, `\uXXXX` (a surrogate pair for characters beyond
/// the first plane).
fn json_escape(rest: &str, c: char) -> Option<usize> {
    let tail = rest.strip_prefix('\\')?;
    match tail.chars().next()? {
        '"' | '\\' | '/' if fold(tail.chars().next()?) == c => return Some(2),
        'u' | 'U' => {}
        _ => return None,
    }
    let unit = |from: usize| rest.get(from..from + 4).and_then(hex_value);
    let first = unit(2)?;
    if (0xD800..0xDC00).contains(&first) {
        rest.get(6..8).filter(|p| p.eq_ignore_ascii_case("\\u"))?;
        let second = unit(8)?;
        let code = 0x10000 + ((first - 0xD800) << 10) + (second.checked_sub(0xDC00)?);
        return same_char(code, c).then_some(12);
    }
    same_char(first, c).then_some(6)
}

/// `&#NN;`, `&#xHH;` and the named references servers use for symbols.
fn html_reference(rest: &str, c: char) -> Option<usize> {
    let tail = rest.strip_prefix('&')?;
    let end = tail.find(';').filter(|e| *e <= 10)?;
    let name = &tail[..end];
    let code = if let Some(num) = name.strip_prefix('#') {
        match num.strip_prefix(['x', 'X']) {
            Some(hex) => hex_value(hex)?,
            None => num.parse().ok()?,
        }
    } else {
        let named = match name.to_ascii_lowercase().as_str() {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "num" => '#',
            "dollar" => '$',
            "percnt" => '%',
            "ast" | "midast" => '*',
            "commat" => '@',
            "excl" => '!',
            "plus" => '+',
            "tilde" => '~',
            "nbsp" => '\u{a0}',
            _ => return None,
        };
        u32::from(named)
    };
    same_char(code, c).then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(secret: &str, code: &str) -> Redactor {
        Redactor::new(Arc::new(Secret::new(secret.into())), code)
    }

    #[test]
    fn whole_values_and_every_six_character_start_are_hidden() {
        let r = redactor("Zq9*Secret#Cut~Test$42", "ABCDEFGHIJKLMNOPQRSTUVWXY27");
        assert_eq!(
            r.scrubbed("echo Zq9*Secret#Cut~Test$42 and ABCDEFGHIJKLMNOPQRSTUVWXY27."),
            "echo <secret> and <integration code>."
        );
        // Cut after 6, 10 and 21 characters (as a 400-character cap would).
        assert_eq!(r.scrubbed("…Zq9*Se"), "…<secret>");
        assert_eq!(r.scrubbed("x Zq9*Secret"), "x <secret>");
        assert_eq!(r.scrubbed("ABCDEFGHIJKLMNOPQRSTU…"), "<integration code>…");
        // Five characters are not a recognisable start; other text stays.
        assert_eq!(r.scrubbed("Zq9*S ABCDE"), "Zq9*S ABCDE");
        // A value that continues differently keeps what differs.
        assert_eq!(r.scrubbed("Zq9*SecXYZ"), "<secret>XYZ");
        let short = redactor("äöü€", "ab");
        assert_eq!(short.scrubbed("xäöü€y äöü ab"), "x<secret>y äöü ab");
    }

    #[test]
    fn every_spelling_a_server_uses_is_hidden() {
        let r = redactor("Zs4&x#Q$7%k+m<\"'/~@é", "");
        for echo in [
            // JSON, as serde and .NET write it.
            "Zs4&x#Q$7%k+m<\\\"'\\/~@é",
            "Zs4\\u0026x#Q$7%k\\u002Bm\\u003C\\u0022\\u0027/~@\\u00e9",
            // HTML, named and numeric.
            "Zs4&amp;x#Q$7%k+m&lt;&quot;&#39;/~@é",
            "Zs4&#38;x&#x23;Q&#36;7&#37;k&#43;m&#60;&#34;&#x27;&#47;~@&#233;",
            // Percent-encoded (either case of hex), and case-folded.
            "Zs4%26x%23Q%247%25k%2Bm%3C%22%27%2F~%40%C3%A9",
            "zs4%26X%23q%247%25K%2bM%3c%22%27%2f%7e%40%c3%a9",
            "ZS4&X#Q$7%K+M<\"'/~@É",
        ] {
            let out = r.scrubbed(&format!("before {echo} after"));
            assert_eq!(out, "before <secret> after", "{echo}");
        }
    }

    #[test]
    fn a_run_that_only_shares_five_characters_stays() {
        let r = redactor("Abc12&xyz-secret-value", "");
        assert_eq!(r.scrubbed("Abc12 and abc12&"), "Abc12 and <secret>");
        assert_eq!(r.scrubbed("Abc12%2"), "Abc12%2");
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        /// What a server might do with a secret it echoes.
        fn encode(secret: &str, how: u8) -> String {
            let each = |f: &dyn Fn(char) -> String| secret.chars().map(f).collect::<String>();
            let pct = |c: char| {
                let mut b = [0u8; 4];
                c.encode_utf8(&mut b)
                    .bytes()
                    .map(|x| format!("%{x:02X}"))
                    .collect::<String>()
            };
            match how % 9 {
                0 => secret.to_string(),
                // JSON as serde writes it, and with every symbol escaped (.NET).
                1 => serde_json::to_string(secret)
                    .unwrap()
                    .trim_matches('"')
                    .to_string(),
                2 => each(&|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_string()
                    } else {
                        format!("\\u{:04x}", c as u32)
                    }
                }),
                // HTML, named where a name exists, else numeric.
                3 => each(&|c| match c {
                    '&' => "&amp;".into(),
                    '<' => "&lt;".into(),
                    '>' => "&gt;".into(),
                    '"' => "&quot;".into(),
                    '\'' => "&#39;".into(),
                    c => c.to_string(),
                }),
                4 => each(&|c| format!("&#x{:x};", c as u32)),
                // Percent-encoded: the symbols only, or every character.
                5 => url::form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
                6 => each(&pct),
                7 => secret.to_lowercase(),
                _ => secret.to_uppercase(),
            }
        }

        const SECRET_CHARS: &str =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789*#$~@&%+<>\"'!";
        const FILLER: &[char] = &[
            ' ', '.', ',', ';', ':', '(', ')', '[', ']', '{', '}', '=', '|',
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(
                std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
            ))]

            /// A secret at any offset, in any spelling, cut anywhere after
            /// its first six characters: no six consecutive characters of it
            /// (in any case) leave in the scrubbed text.
            #[test]
            fn no_six_characters_of_a_secret_survive_any_spelling(
                picks in proptest::collection::vec(0..SECRET_CHARS.len(), 25),
                before in proptest::collection::vec(0..FILLER.len(), 0..40),
                after in proptest::collection::vec(0..FILLER.len(), 0..40),
                how in 0u8..9,
                cut in proptest::option::of(0usize..200),
            ) {
                let chars: Vec<char> = SECRET_CHARS.chars().collect();
                let secret: String = picks.iter().map(|i| chars[*i]).collect();
                let fill = |v: &[usize]| v.iter().map(|i| FILLER[*i]).collect::<String>();
                let head = fill(&before);
                let mut text = format!("{head}{}{}", encode(&secret, how), fill(&after));
                if let Some(cut) = cut {
                    // An answer cut short (as a 400-character cap does).
                    let keep = (head.chars().count() + 6 * 12 + cut).min(text.chars().count());
                    text = text.chars().take(keep).collect();
                }
                let r = Redactor::new(Arc::new(Secret::new(secret.clone())), "");
                let out = r.scrubbed(&text).replace("<secret>", "\u{0}").to_lowercase();
                let lower: Vec<char> = secret.to_lowercase().chars().collect();
                for w in lower.windows(6) {
                    let w: String = w.iter().collect();
                    prop_assert!(!out.contains(&w), "{w:?} left in {out:?} (from {text:?})");
                }
            }

            /// Scrubbing hides; it never touches text without a six-character
            /// start of the secret, so what is parsed could never have changed.
            #[test]
            fn text_without_the_secrets_start_is_left_exactly_as_it_was(
                text in "[ -~]{0,120}",
                picks in proptest::collection::vec(0..SECRET_CHARS.len(), 25),
            ) {
                let chars: Vec<char> = SECRET_CHARS.chars().collect();
                let secret: String = picks.iter().map(|i| chars[*i]).collect();
                let start: String = secret.chars().take(6).collect::<String>().to_lowercase();
                prop_assume!(!text.to_lowercase().contains(&start));
                let r = Redactor::new(Arc::new(Secret::new(secret)), "");
                let decoded_start = r.scrubbed(&text);
                // Percent, JSON or HTML spellings of the start are the only
                // other way it changes; plain text of another start stays.
                if !text.contains(['%', '\\', '&', '+']) {
                    prop_assert_eq!(decoded_start, text);
                }
            }
        }
    }
}
