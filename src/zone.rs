//! Zones: turn anything a technician pastes where the zone belongs into the
//! tenant's Autotask hosts, and refuse everything that is not Autotask's
//! before any network I/O.
//!
//! Autotask puts every tenant in one zone: portal `wwN.autotask.net`, API
//! `webservicesN.autotask.net` (same N), or the pre-release hosts `prde` and
//! `pres` that serve both. `webservices.autotask.net` answers zone look-ups
//! for every tenant but is nobody's zone. New zones keep appearing, so the
//! zone number is never checked against a list: any `wwN`/`webservicesN`
//! under `autotask.net` is accepted.
//!
//! The parser is deliberately our own rather than a URL library's: URL
//! parsers repair input (strip tabs, turn `\` into `/`, decode `%2e`, map
//! full-width dots) and we want to *refuse* anything odd and say why.

use std::fmt;

/// The host that answers `zoneInformation` for any tenant.
pub(crate) const DISCOVERY_HOST: &str = "webservices.autotask.net";

/// Autotask's domain: every host we ever talk to ends with it.
const DOMAIN: &str = "autotask.net";

/// Inputs longer than this are not a pasted URL.
const MAX_INPUT_CHARS: usize = 2048;

/// The REST version we pin: the service also advertises `V2.0`, which does
/// not answer `zoneInformation`; clients that took the newest version broke.
pub(crate) const REST_VERSION: &str = "V1.0";

/// A tenant's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zone {
    /// `wwN.autotask.net` / `webservicesN.autotask.net`.
    Numbered(u32),
    /// `prde.autotask.net`: a pre-release zone, one host for portal and API.
    Prde,
    /// `pres.autotask.net`: a pre-release zone, one host for portal and API.
    Pres,
}

impl Zone {
    /// The host the REST API is served from, e.g. `webservices5.autotask.net`.
    pub fn api_host(self) -> String {
        match self {
            Zone::Numbered(n) => format!("webservices{n}.{DOMAIN}"),
            Zone::Prde => format!("prde.{DOMAIN}"),
            Zone::Pres => format!("pres.{DOMAIN}"),
        }
    }

    /// The REST base every call is built on, ending in `/`.
    pub fn api_url(self) -> String {
        format!("https://{}/ATServicesRest/{REST_VERSION}/", self.api_host())
    }

    /// The portal (web UI) address, ending in `/`.
    pub fn web_url(self) -> String {
        match self {
            Zone::Numbered(n) => format!("https://ww{n}.{DOMAIN}/"),
            Zone::Prde | Zone::Pres => format!("https://{}/", self.api_host()),
        }
    }

    pub fn number(self) -> Option<u32> {
        match self {
            Zone::Numbered(n) => Some(n),
            Zone::Prde | Zone::Pres => None,
        }
    }
}

impl fmt::Display for Zone {
    /// How a technician recognizes the zone: by the number in the portal URL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Numbered(n) => write!(f, "zone {n}"),
            Zone::Prde => write!(f, "pre-release zone prde"),
            Zone::Pres => write!(f, "pre-release zone pres"),
        }
    }
}

/// What a pasted zone input means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoneInput {
    /// The input names a tenant's zone.
    Zone(Zone),
    /// The input is the discovery host: the zone has to be looked up from the
    /// API username.
    Discover,
}

impl ZoneInput {
    /// What is stored and printed for the input: the zone's portal address,
    /// or the discovery host. Never the pasted URL itself, whose path or
    /// query string may say more than the zone (and end up in a report sent
    /// to a vendor).
    pub(crate) fn canonical(self) -> String {
        match self {
            ZoneInput::Zone(z) => z.web_url(),
            ZoneInput::Discover => DISCOVERY_HOST.to_string(),
        }
    }
}

/// The canonical form of a stored or pasted zone input; `None` when it is
/// blank or not an Autotask zone.
pub(crate) fn canonical(input: &str) -> Option<String> {
    match input.trim() {
        "" => None,
        z => parse(z).ok().map(ZoneInput::canonical),
    }
}

/// What `autotask-connect zone --json` prints; field names are a public contract.
#[derive(Debug, PartialEq, Eq)]
pub struct ZoneSummary {
    pub api_host: String,
    pub api_url: String,
    /// `null` for the discovery host, which has no portal.
    pub web_url: Option<String>,
    /// The zone number, `null` for `prde`/`pres` and for the discovery host.
    pub zone_number: Option<u32>,
    /// `true` when the input was the discovery host.
    pub discover: bool,
    pub message: String,
}

impl ZoneInput {
    pub fn summary(self) -> ZoneSummary {
        match self {
            ZoneInput::Zone(zone) => ZoneSummary {
                api_host: zone.api_host(),
                api_url: zone.api_url(),
                web_url: Some(zone.web_url()),
                zone_number: zone.number(),
                discover: false,
                message: format!(
                    "Autotask {zone}: portal {}, API {}.",
                    zone.web_url(),
                    zone.api_host()
                ),
            },
            ZoneInput::Discover => ZoneSummary {
                api_host: DISCOVERY_HOST.to_string(),
                api_url: format!("https://{DISCOVERY_HOST}/ATServicesRest/{REST_VERSION}/"),
                web_url: None,
                zone_number: None,
                discover: true,
                message: DISCOVER_MESSAGE.to_string(),
            },
        }
    }
}

pub(crate) const DISCOVER_MESSAGE: &str = "webservices.autotask.net is Autotask's zone look-up host, \
not a tenant's zone: the zone will be discovered from the API username.";

/// Why an input is not an Autotask zone. Every message says what was wrong
/// and what to paste instead; none of them needs the input echoed back
/// beyond the host we refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error(
        "The Autotask URL is empty. Paste the address of any Autotask page you are logged in to \
         (for example https://ww5.autotask.net/), or the API zone (webservices5)."
    )]
    Empty,
    #[error("The Autotask URL is too long ({0} characters) to be an Autotask address.")]
    TooLong(usize),
    #[error(
        "The Autotask URL contains a control character (a tab, line break or similar). \
         Copy the address again from the browser's address bar."
    )]
    ControlCharacter,
    #[error(
        "The Autotask URL contains an invisible character (such as a zero-width space or a text \
         direction mark), which can disguise another address. Type the address instead of pasting it."
    )]
    InvisibleCharacter,
    #[error(
        "The Autotask URL contains a space. Copy the address again, or type it, for example \
         ww5.autotask.net."
    )]
    InnerWhitespace,
    #[error(
        "The Autotask URL contains a backslash (\\), which browsers treat as a slash and which \
         can hide the real host. Autotask addresses never contain one."
    )]
    Backslash,
    #[error(
        "\"{0}:\" is not a web address. Paste an https:// address of an Autotask page, for \
         example https://ww5.autotask.net/."
    )]
    UnsupportedScheme(String),
    #[error(
        "The Autotask URL has no host name. Paste it including the host, for example https://ww5.autotask.net/."
    )]
    NoHost,
    #[error(
        "The Autotask URL has a user name before the host (\"…@{real_host}\"): that address \
         leads to {real_host}, not to Autotask. This is a common phishing trick; paste the \
         address from your own browser's address bar instead."
    )]
    UserInfo { real_host: String },
    #[error(
        "The Autotask URL names port {0}. Autotask is only reached over HTTPS on port 443; \
         remove \":{0}\"."
    )]
    Port(String),
    #[error(
        "\"{0}\" is an IP address. Autotask is reached by name (wwN.autotask.net or \
         webservicesN.autotask.net) so that its certificate can be checked."
    )]
    IpAddress(String),
    #[error(
        "The host contains letters that are not plain ASCII (for example a Cyrillic \"а\" or a \
         full-width dot) that can imitate autotask.net. Type the address by hand: ww5.autotask.net."
    )]
    NonAscii,
    #[error(
        "The host contains percent-encoding (%), which can disguise another address. Autotask \
         host names never need it."
    )]
    PercentEncoded,
    #[error("The host contains \"{0}\", which cannot appear in a host name.")]
    InvalidCharacter(char),
    #[error("The host \"{0}\" has an empty or overlong part between its dots.")]
    BadLabel(String),
    #[error(
        "\"{host}\" is not an Autotask address: it belongs to {owner}, not to autotask.net. \
         Your Autotask portal address looks like https://ww5.autotask.net/."
    )]
    NotAutotask { host: String, owner: String },
    #[error(
        "\"{0}\" is an autotask.net address but not a tenant's zone. Open Autotask, log in, and \
         paste the address from the browser (it starts with wwN.autotask.net), or the API zone \
         (webservicesN.autotask.net)."
    )]
    NotAZone(String),
    #[error(
        "\"{0}\" has a zone number starting with 0. Autotask zone hosts look like ww5 or \
         webservices5, without leading zeros."
    )]
    LeadingZero(String),
    #[error("\"{0}\" is not a zone number Autotask could have.")]
    ZoneNumberOutOfRange(String),
    #[error(
        "\"{0}\" is not something we recognize as an Autotask zone. Paste your portal address \
         (https://wwN.autotask.net/…) or the API zone (webservicesN); zone names such as \
         \"America East\" cannot be turned into a host reliably."
    )]
    Unrecognized(String),
}

impl ZoneError {
    /// A stable identifier of the reason, for scripts (`reason` in JSON).
    pub fn code(&self) -> &'static str {
        match self {
            ZoneError::Empty => "empty",
            ZoneError::TooLong(_) => "too_long",
            ZoneError::ControlCharacter => "control_character",
            ZoneError::InvisibleCharacter => "invisible_character",
            ZoneError::InnerWhitespace => "whitespace",
            ZoneError::Backslash => "backslash",
            ZoneError::UnsupportedScheme(_) => "scheme",
            ZoneError::NoHost => "no_host",
            ZoneError::UserInfo { .. } => "user_info",
            ZoneError::Port(_) => "port",
            ZoneError::IpAddress(_) => "ip_address",
            ZoneError::NonAscii => "non_ascii",
            ZoneError::PercentEncoded => "percent_encoded",
            ZoneError::InvalidCharacter(_) => "invalid_character",
            ZoneError::BadLabel(_) => "bad_label",
            ZoneError::NotAutotask { .. } => "not_autotask",
            ZoneError::NotAZone(_) => "not_a_zone",
            ZoneError::LeadingZero(_) => "leading_zero",
            ZoneError::ZoneNumberOutOfRange(_) => "zone_number",
            ZoneError::Unrecognized(_) => "unrecognized",
        }
    }
}

/// Characters that render as nothing but change what a host is.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Trims what surrounds a pasted address: white space, invisible marks, and
/// one pair of wrapping quotes or angle brackets (as mail clients add).
fn trim_wrapping(input: &str) -> &str {
    let mut s = input.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    for (open, close) in [('<', '>'), ('"', '"'), ('\'', '\''), ('(', ')'), ('[', ']')] {
        if s.len() >= 2 && s.starts_with(open) && s.ends_with(close) {
            s = s[open.len_utf8()..s.len() - close.len_utf8()]
                .trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
            break;
        }
    }
    s
}

/// Parse what a technician pasted where the zone belongs.
pub fn parse(input: &str) -> Result<ZoneInput, ZoneError> {
    let s = trim_wrapping(input);
    if s.is_empty() {
        return Err(ZoneError::Empty);
    }
    let chars = s.chars().count();
    if chars > MAX_INPUT_CHARS {
        return Err(ZoneError::TooLong(chars));
    }
    if s.chars().any(char::is_control) {
        return Err(ZoneError::ControlCharacter);
    }
    if s.chars().any(is_invisible) {
        return Err(ZoneError::InvisibleCharacter);
    }
    if s.chars().any(char::is_whitespace) {
        // "America East" is a zone *name*, not a mangled address.
        if !s.contains(['.', '/', ':']) {
            return Err(ZoneError::Unrecognized(display_host(s)));
        }
        return Err(ZoneError::InnerWhitespace);
    }
    if s.contains('\\') {
        return Err(ZoneError::Backslash);
    }

    let rest = strip_scheme(s)?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.is_empty() {
        return Err(ZoneError::NoHost);
    }
    if let Some(at) = authority.rfind('@') {
        let real = split_port(&authority[at + 1..]).0;
        return Err(ZoneError::UserInfo {
            real_host: display_host(real),
        });
    }
    if authority.starts_with('[') {
        return Err(ZoneError::IpAddress(display_host(authority)));
    }
    if authority.matches(':').count() > 1 {
        // Bare IPv6 ("::1") or a mangled port ("host:443:443").
        let ipv6 = authority
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        return Err(if ipv6 {
            ZoneError::IpAddress(display_host(authority))
        } else {
            ZoneError::Port(display_host(
                &authority[authority.find(':').unwrap_or(0) + 1..],
            ))
        });
    }
    let (host, port) = split_port(authority);
    if let Some(port) = port
        && !port.is_empty()
        && port != "443"
    {
        return Err(ZoneError::Port(display_host(port)));
    }
    parse_host(host)
}

/// Strips `https://`, `http://` or `//`; refuses any other scheme.
fn strip_scheme(s: &str) -> Result<&str, ZoneError> {
    if let Some(pos) = s.find("://") {
        let scheme = &s[..pos];
        let is_scheme = !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            return match scheme.to_ascii_lowercase().as_str() {
                "https" | "http" => Ok(&s[pos + 3..]),
                other => Err(ZoneError::UnsupportedScheme(display_host(other))),
            };
        }
    }
    if let Some(rest) = s.strip_prefix("//") {
        return Ok(rest);
    }
    // "javascript:…", "mailto:…", "data:…": a scheme without "//". A host with
    // a port ("ww5.autotask.net:443") has a dot before the colon or digits after it.
    if let Some(colon) = s.find(':') {
        let before = &s[..colon];
        let after = &s[colon + 1..];
        let looks_like_scheme = !before.is_empty()
            && !before.contains(['.', '/', '@'])
            && before.starts_with(|c: char| c.is_ascii_alphabetic())
            && !after.starts_with(|c: char| c.is_ascii_digit())
            && !after.is_empty();
        if looks_like_scheme {
            return Err(ZoneError::UnsupportedScheme(display_host(before)));
        }
    }
    Ok(s)
}

/// Splits `host:port` at the last colon.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    match authority.rfind(':') {
        Some(i) => (&authority[..i], Some(&authority[i + 1..])),
        None => (authority, None),
    }
}

/// A refused host, shortened and made safe to show in a message.
fn display_host(s: &str) -> String {
    const MAX: usize = 80;
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() > MAX {
        let short: String = clean.chars().take(MAX).collect();
        format!("{short}…")
    } else {
        clean
    }
}

fn parse_host(raw: &str) -> Result<ZoneInput, ZoneError> {
    if raw.is_empty() {
        return Err(ZoneError::NoHost);
    }
    if raw.contains('%') {
        return Err(ZoneError::PercentEncoded);
    }
    if !raw.is_ascii() {
        return Err(ZoneError::NonAscii);
    }
    // One trailing dot is the absolute form of the same DNS name.
    let host = raw.strip_suffix('.').unwrap_or(raw).to_ascii_lowercase();
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
    {
        return Err(ZoneError::InvalidCharacter(c));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.is_empty() || l.len() > 63) {
        return Err(ZoneError::BadLabel(display_host(&host)));
    }
    if looks_like_ip(&labels) {
        return Err(ZoneError::IpAddress(display_host(&host)));
    }
    if labels.len() == 1 {
        return parse_zone_label(labels[0], &host);
    }
    match host.strip_suffix(DOMAIN) {
        Some("") => Err(ZoneError::NotAZone(host.clone())),
        Some(sub) if sub.ends_with('.') => {
            let sub = &sub[..sub.len() - 1];
            if sub.contains('.') {
                return Err(ZoneError::NotAZone(display_host(&host)));
            }
            parse_zone_label(sub, &host).map_err(|e| match e {
                ZoneError::Unrecognized(_) => ZoneError::NotAZone(display_host(&host)),
                other => other,
            })
        }
        _ => Err(ZoneError::NotAutotask {
            owner: owner_of(&labels),
            host: display_host(&host),
        }),
    }
}

/// The registrable-looking tail of a host, to tell the technician whose
/// address it really is (`autotask.net.example.com` belongs to `example.com`).
fn owner_of(labels: &[&str]) -> String {
    let n = labels.len();
    display_host(&labels[n.saturating_sub(2)..].join("."))
}

/// Hosts that a URL parser would read as an IPv4 address: the last label is
/// a number (decimal, octal or `0x` hex), as in `127.1` or `0x7f000001`.
fn looks_like_ip(labels: &[&str]) -> bool {
    let last = labels[labels.len() - 1];
    let is_number = |l: &str| {
        let hex = l.strip_prefix("0x").or_else(|| l.strip_prefix("0X"));
        match hex {
            Some(h) => h.chars().all(|c| c.is_ascii_hexdigit()),
            None => l.chars().all(|c| c.is_ascii_digit()),
        }
    };
    // A lone number is a zone number ("5"), not an address.
    labels.len() > 1 && is_number(last)
        || labels.len() == 1 && (last.starts_with("0x") || last.len() > 4) && is_number(last)
}

/// One label: `wwN`, `webservicesN`, `N`, `prde`, `pres`, `webservices`.
fn parse_zone_label(label: &str, whole: &str) -> Result<ZoneInput, ZoneError> {
    match label {
        "webservices" => return Ok(ZoneInput::Discover),
        "prde" => return Ok(ZoneInput::Zone(Zone::Prde)),
        "pres" => return Ok(ZoneInput::Zone(Zone::Pres)),
        _ => {}
    }
    let digits = label
        .strip_prefix("webservices")
        .or_else(|| label.strip_prefix("ww"))
        .unwrap_or(label);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(ZoneError::Unrecognized(display_host(whole)));
    }
    if digits.starts_with('0') {
        return Err(ZoneError::LeadingZero(display_host(whole)));
    }
    // Four digits leave room for far more zones than exist; more is noise.
    match digits.parse::<u32>() {
        Ok(n) if digits.len() <= 4 => Ok(ZoneInput::Zone(Zone::Numbered(n))),
        _ => Err(ZoneError::ZoneNumberOutOfRange(display_host(whole))),
    }
}

/// Reads the API base Autotask returned from `zoneInformation` (`url`) or a
/// portal address (`webUrl`). This is untrusted network input: it goes
/// through the same parser as what a technician pastes, so a response can
/// never send credentials anywhere but an Autotask zone host.
pub(crate) fn parse_discovered(url: &str) -> Result<Zone, ZoneError> {
    match parse(url)? {
        ZoneInput::Zone(zone) => Ok(zone),
        ZoneInput::Discover => Err(ZoneError::NotAZone(DISCOVERY_HOST.to_string())),
    }
}

/// Whether the page may open `url` in the system browser: HTTPS on
/// Autotask's own hosts only (a tenant's portal, Autotask's help pages),
/// no user name, no port. Returns the URL to open.
pub fn allowed_link(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = authority.to_ascii_lowercase();
    // Plain labels only: letters, digits, inner hyphens; no punycode.
    let plain_label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with("xn--")
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let ok = !url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && !authority.contains(['@', ':', '%'])
        && (host == DOMAIN || host.ends_with(".autotask.net"))
        && host.split('.').all(plain_label);
    ok.then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_zone_keeps_no_path_or_query() {
        assert_eq!(
            canonical(
                "https://ww5.autotask.net/Mvc/Framework/Navigation.mvc/Landing?ticketId=42&token=x"
            )
            .as_deref(),
            Some("https://ww5.autotask.net/")
        );
        assert_eq!(
            canonical(" webservices29.autotask.net/atservicesrest/v1.0/ ").as_deref(),
            Some("https://ww29.autotask.net/")
        );
        assert_eq!(
            canonical("https://webservices.autotask.net/").as_deref(),
            Some("webservices.autotask.net")
        );
        assert_eq!(canonical("  "), None);
        assert_eq!(canonical("https://evil.example/"), None);
    }

    #[test]
    fn only_autotask_links_open() {
        for good in [
            "https://ww5.autotask.net/",
            "https://www.autotask.net/help/Content/4_Admin/1CompanySettings_Users/ResourcesUsersHR/Resources/API_User_Add_Edit.htm",
        ] {
            assert_eq!(allowed_link(good).as_deref(), Some(good));
        }
        for bad in [
            "http://ww5.autotask.net/",
            "https://ww5.autotask.net.evil.example/",
            "https://ww5.autotask.net@evil.example/",
            "https://ww5.autotask.net:8443/",
            "https://myautotask.net/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://ww5.autotask.net/\\evil",
            "https://ww5..autotask.net/",
            "https://xn--ww5.autotask.net/",
            "https://-ww5.autotask.net/",
        ] {
            assert_eq!(allowed_link(bad), None, "{bad}");
        }
    }

    fn zone(input: &str) -> Zone {
        match parse(input) {
            Ok(ZoneInput::Zone(z)) => z,
            other => panic!("{input:?} gave {other:?}"),
        }
    }

    #[test]
    fn every_form_a_technician_pastes_means_zone_5() {
        for input in [
            "https://ww5.autotask.net/",
            "ww5.autotask.net/Mvc/Framework/Navigation.mvc/Landing",
            "https://ww5.autotask.net/Autotask/AutotaskExtend/ExecuteCommand.aspx?Code=OpenTicketDetail&TicketID=1",
            "webservices5",
            "ww5",
            "5",
            "webservices5.autotask.net",
            "https://webservices5.autotask.net/ATServicesRest/V1.0/",
            "https://webservices5.autotask.net/ATServicesRest/",
            "https://webservices5.autotask.net/atservicesrest/v1.0/Companies/0",
            "https://webservices5.autotask.net/ATServices/1.6/atws.asmx",
            "  https://WW5.AUTOTASK.NET/  ",
            "HTTP://ww5.autotask.net",
            "http://webservices5.autotask.net:443/",
            "ww5.autotask.net:443",
            "ww5.autotask.net.",
            "<https://ww5.autotask.net/>",
            "\"ww5.autotask.net\"",
            "\u{feff}ww5.autotask.net\u{200b}",
            "//ww5.autotask.net/x",
            "ww5.autotask.net?x=1",
            "ww5.autotask.net#top",
        ] {
            assert_eq!(zone(input), Zone::Numbered(5), "{input:?}");
        }
    }

    #[test]
    fn zone_hosts_and_urls() {
        let z = Zone::Numbered(29);
        assert_eq!(z.api_host(), "webservices29.autotask.net");
        assert_eq!(
            z.api_url(),
            "https://webservices29.autotask.net/ATServicesRest/V1.0/"
        );
        assert_eq!(z.web_url(), "https://ww29.autotask.net/");
        assert_eq!(zone("https://prde.autotask.net/"), Zone::Prde);
        assert_eq!(zone("PRES"), Zone::Pres);
        assert_eq!(Zone::Prde.web_url(), "https://prde.autotask.net/");
        assert_eq!(
            Zone::Pres.api_url(),
            "https://pres.autotask.net/ATServicesRest/V1.0/"
        );
    }

    #[test]
    fn no_list_of_zone_numbers_decides_validity() {
        for n in [1, 2, 6, 7, 13, 29, 31, 57, 118, 9999] {
            assert_eq!(zone(&format!("ww{n}.autotask.net")), Zone::Numbered(n));
            assert_eq!(zone(&format!("webservices{n}")), Zone::Numbered(n));
        }
    }

    #[test]
    fn discovery_host_means_discover() {
        for input in [
            "webservices.autotask.net",
            "https://webservices.autotask.net/ATServicesRest/V1.0/",
            "webservices",
        ] {
            assert_eq!(parse(input), Ok(ZoneInput::Discover), "{input:?}");
        }
        let summary = ZoneInput::Discover.summary();
        assert!(summary.discover);
        assert_eq!(summary.web_url, None);
    }

    #[test]
    fn hostile_and_wrong_inputs_are_refused_with_a_reason() {
        use ZoneError as E;
        type Expect = fn(&ZoneError) -> bool;
        let cases: Vec<(&str, Expect)> = vec![
            ("", |e| *e == E::Empty),
            ("   ", |e| *e == E::Empty),
            (
                "autotask.net.example.com",
                |e| matches!(e, E::NotAutotask { owner, .. } if owner == "example.com"),
            ),
            ("ww5.autotask.net.example.com", |e| {
                matches!(e, E::NotAutotask { .. })
            }),
            (
                "myautotask.net",
                |e| matches!(e, E::NotAutotask { owner, .. } if owner == "myautotask.net"),
            ),
            ("ww5.myautotask.net", |e| matches!(e, E::NotAutotask { .. })),
            (
                "https://ww5.autotask.net@example.com/",
                |e| matches!(e, E::UserInfo { real_host } if real_host == "example.com"),
            ),
            ("ww5.autotask.net@example.com", |e| {
                matches!(e, E::UserInfo { .. })
            }),
            ("https://user:pw@ww5.autotask.net/", |e| {
                matches!(e, E::UserInfo { .. })
            }),
            ("127.0.0.1", |e| matches!(e, E::IpAddress(_))),
            ("https://10.1.2.3/ATServicesRest", |e| {
                matches!(e, E::IpAddress(_))
            }),
            ("[::1]", |e| matches!(e, E::IpAddress(_))),
            ("https://[2001:db8::1]:443/", |e| {
                matches!(e, E::IpAddress(_))
            }),
            ("0x7f000001", |e| matches!(e, E::IpAddress(_))),
            ("2130706433", |e| matches!(e, E::IpAddress(_))),
            ("ww5.autotask.net:8443", |e| *e == E::Port("8443".into())),
            ("https://ww5.autotask.net:80/", |e| {
                *e == E::Port("80".into())
            }),
            ("ww5.autotask.net:abc", |e| matches!(e, E::Port(_))),
            ("ww5.autotask.net:443:443", |e| matches!(e, E::Port(_))),
            ("::1", |e| matches!(e, E::IpAddress(_))),
            ("ftp://ww5.autotask.net", |e| {
                *e == E::UnsupportedScheme("ftp".into())
            }),
            ("javascript:alert(1)", |e| {
                *e == E::UnsupportedScheme("javascript".into())
            }),
            ("ww5.autotask.net\\@example.com", |e| *e == E::Backslash),
            ("ww5.auto\ttask.net", |e| *e == E::ControlCharacter),
            ("ww5.autotask.net\n/x", |e| *e == E::ControlCharacter),
            ("ww5.autotask .net", |e| *e == E::InnerWhitespace),
            ("ww5.aut\u{200b}otask.net", |e| *e == E::InvisibleCharacter),
            ("ww5.autotаsk.net", |e| *e == E::NonAscii), // Cyrillic а
            ("ww5。autotask。net", |e| *e == E::NonAscii),
            ("ww5.autotask%2enet", |e| *e == E::PercentEncoded),
            ("ww5..autotask.net", |e| matches!(e, E::BadLabel(_))),
            ("ww5.autotask_net", |e| *e == E::InvalidCharacter('_')),
            ("autotask.net", |e| matches!(e, E::NotAZone(_))),
            ("www.autotask.net", |e| matches!(e, E::NotAZone(_))),
            ("evil.ww5.autotask.net", |e| matches!(e, E::NotAZone(_))),
            ("ww05.autotask.net", |e| matches!(e, E::LeadingZero(_))),
            ("ww0", |e| matches!(e, E::LeadingZero(_))),
            ("webservices123456", |e| {
                matches!(e, E::ZoneNumberOutOfRange(_))
            }),
            ("America East", |e| matches!(e, E::Unrecognized(_))),
            ("AE02", |e| matches!(e, E::Unrecognized(_))),
            ("https://", |e| *e == E::NoHost),
            ("https:///path", |e| *e == E::NoHost),
        ];
        for (input, ok) in cases {
            match parse(input) {
                Err(e) => assert!(ok(&e), "{input:?} gave {e:?}"),
                Ok(z) => panic!("{input:?} was accepted as {z:?}"),
            }
        }
        let long = format!("ww5.autotask.net/{}", "a".repeat(10_000));
        assert!(matches!(parse(&long), Err(ZoneError::TooLong(_))));
    }

    #[test]
    fn messages_name_the_real_host() {
        let e = parse("https://ww5.autotask.net@evil.example/").unwrap_err();
        assert!(e.to_string().contains("evil.example"), "{e}");
        let e = parse("autotask.net.example.com").unwrap_err();
        assert!(e.to_string().contains("example.com"), "{e}");
    }

    #[test]
    fn discovered_urls_go_through_the_same_gate() {
        assert_eq!(
            parse_discovered("https://webservices2.autotask.net/ATServicesRest/"),
            Ok(Zone::Numbered(2))
        );
        assert!(parse_discovered("https://webservices2.evil.example/ATServicesRest/").is_err());
        assert!(parse_discovered("https://webservices.autotask.net/ATServicesRest/").is_err());
    }
}
