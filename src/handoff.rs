//! The hand-off: every value a vendor's form asks for, in its order, with its
//! label, written the way that vendor wants it (pure).
//!
//! The secret's value is never part of a hand-off: its entry is `null`. Only
//! the desktop app's Copy button reads it, in Rust, at the moment of copying.

use crate::vendors::{Kind, Vendor};
use crate::zone::Zone;

/// One field of the vendor's form and what goes into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoffField {
    pub label: String,
    pub kind: Kind,
    /// `None` for the secret (never shown), and for a value not known.
    pub value: Option<String>,
}

/// `{"vendor": ID, "fields": [{"label","kind","value"}], "checklist"}`: a
/// public contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handoff {
    pub vendor: String,
    pub fields: Vec<HandoffField>,
    /// What nothing here tested and the technician checks in Autotask: the
    /// vendor's whole recipe for a vendor-bound user (its check sends no
    /// secret), else what the API cannot show.
    pub checklist: Vec<String>,
}

/// What the values are made from.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub zone: Zone,
    pub username: &'a str,
    /// The integration code, for a vendor whose form asks for one (a
    /// vendor's published code when none is given).
    pub integration_code: Option<&'a str>,
}

/// A value of `kind`; `None` for the secret and for a missing code.
pub fn value(kind: Kind, source: &Source<'_>) -> Option<String> {
    let host = source.zone.api_host();
    match kind {
        Kind::ApiUrl => Some(format!("https://{host}")),
        Kind::ApiUrlSlash => Some(format!("https://{host}/")),
        Kind::RestUrl => Some(source.zone.api_url()),
        Kind::ZoneName => Some(
            host.split('.')
                .next()
                .expect("a host has a first label")
                .to_string(),
        ),
        Kind::ApiHost => Some(host),
        Kind::Username => Some(source.username.to_string()),
        Kind::IntegrationCode => source.integration_code.map(str::to_string),
        Kind::Secret => None,
    }
}

/// The vendor's form filled from `source`.
pub fn build(vendor: &Vendor, source: &Source<'_>) -> Handoff {
    let source = Source {
        integration_code: source.integration_code.or(vendor.published_code()),
        ..*source
    };
    Handoff {
        vendor: vendor.id.clone(),
        fields: vendor
            .fields
            .iter()
            .map(|f| HandoffField {
                label: f.label.clone(),
                kind: f.kind,
                value: value(f.kind, &source),
            })
            .collect(),
        checklist: vendor.checklist(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::find;

    fn values(vendor: &str, zone: u32, code: Option<&str>) -> Vec<(String, Option<String>)> {
        let source = Source {
            zone: Zone::Numbered(zone),
            username: "k3jd8f0aq2mz7xw@contoso.com",
            integration_code: code,
        };
        build(find(vendor).unwrap(), &source)
            .fields
            .into_iter()
            .map(|f| (f.label, f.value))
            .collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    /// Every vendor's values, exactly as its guide writes them.
    #[test]
    fn each_vendor_gets_its_own_format() {
        let user = s("k3jd8f0aq2mz7xw@contoso.com");
        assert_eq!(
            values("support-fusion", 2, None),
            [
                ("API URL".into(), s("https://webservices2.autotask.net/")),
                ("API Username".into(), user.clone()),
                ("API Secret".into(), None),
            ]
        );
        assert_eq!(
            values("cyrisma", 5, Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")),
            [
                ("Domain".into(), s("https://webservices5.autotask.net")),
                ("API Username".into(), user.clone()),
                ("Secret".into(), None),
                (
                    "API Integration Code".into(),
                    s("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")
                ),
            ]
        );
        assert_eq!(
            values("connect-ui", 3, Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")),
            [
                ("API Zone".into(), s("webservices3")),
                (
                    "API Integration Code".into(),
                    s("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")
                ),
                ("API Username".into(), user.clone()),
                ("API Secret".into(), None),
            ]
        );
        assert_eq!(
            values("cloud-depot", 17, None),
            [
                ("Username (Key)".into(), user.clone()),
                ("Password (Secret)".into(), None),
            ]
        );
        assert_eq!(
            values("proxuma", 29, None),
            [("Client ID".into(), user.clone()), ("Secret".into(), None)]
        );
        assert_eq!(
            values("custom", 5, Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")),
            [
                (
                    "API URL".into(),
                    s("https://webservices5.autotask.net/ATServicesRest/V1.0/")
                ),
                ("Zone host".into(), s("webservices5.autotask.net")),
                ("API username (key)".into(), user),
                ("API secret".into(), None),
                (
                    "API integration code (tracking identifier)".into(),
                    s("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")
                ),
            ]
        );
    }

    /// A published code fills the code field when none is given.
    #[test]
    fn a_published_code_is_handed_off() {
        assert_eq!(
            values("squaredup", 14, None),
            [
                ("Zone URL".into(), s("https://webservices14.autotask.net")),
                ("API Username".into(), s("k3jd8f0aq2mz7xw@contoso.com")),
                (
                    "API Integration Code".into(),
                    s("FWAABGUO7E7BBHD3PQMLWCGLGY")
                ),
                ("API Secret".into(), None),
            ]
        );
        let h = build(
            find("proxuma").unwrap(),
            &Source {
                zone: Zone::Numbered(5),
                username: "u",
                integration_code: None,
            },
        );
        assert_eq!(h.checklist, find("proxuma").unwrap().checklist());
    }

    #[test]
    fn pre_release_zones_keep_their_host() {
        let source = Source {
            zone: Zone::Prde,
            username: "u",
            integration_code: None,
        };
        assert_eq!(value(Kind::ZoneName, &source).as_deref(), Some("prde"));
        assert_eq!(
            value(Kind::ApiUrlSlash, &source).as_deref(),
            Some("https://prde.autotask.net/")
        );
    }
}
