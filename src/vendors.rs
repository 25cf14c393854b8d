//! Who will use the API user: the technician's own integration, or a
//! vendor's product. The presets are data (`vendors.json`, read once): per
//! vendor, the fields its settings form asks for in its order, each with the
//! vendor's own label and the format of its value, whether the API user is
//! vendor-bound, and how to create the user for it.
//!
//! A **vendor-bound** API user has "Integration Vendor: X" as its tracking
//! identifier: only vendor X has the integration code. Nobody else can sign
//! in as that user, so its check never sends the secret (see
//! [`crate::check::run_bound`]).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// Today's behaviour: the technician's own integration, with a Custom
/// (Internal Integration) code.
pub const CUSTOM: &str = "custom";

/// What one field of a vendor's form holds, and so how its value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `https://webservices5.autotask.net` (no trailing slash).
    ApiUrl,
    /// `https://webservices5.autotask.net/`.
    ApiUrlSlash,
    /// `https://webservices5.autotask.net/ATServicesRest/V1.0/`: the REST base.
    RestUrl,
    /// `webservices5`: the zone as the host's first label.
    ZoneName,
    /// `webservices5.autotask.net`.
    ApiHost,
    Username,
    Secret,
    IntegrationCode,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorField {
    /// The label exactly as the vendor's form writes it.
    pub label: String,
    pub kind: Kind,
}

/// How to create the API user for this vendor, in our own words.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// Where in Autotask the user is created.
    #[serde(rename = "where")]
    pub where_: String,
    pub security_level: String,
    /// Whether the security level needs "Can create Webhooks".
    pub webhooks: bool,
    pub line_of_business: Option<String>,
    /// How long a brand-new API user may take before it works.
    pub ready_after_minutes: u32,
    /// The guide, one step a line.
    pub steps: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    /// The API user's tracking identifier belongs to the vendor: no
    /// integration code is asked for, and the secret cannot be tested here.
    pub bound: bool,
    /// Which API tracking identifier to choose in Autotask.
    pub tracking_identifier: String,
    pub fields: Vec<VendorField>,
    pub setup: Setup,
}

impl Vendor {
    /// The display name used in sentences ("Enter these in …").
    pub fn form_name(&self) -> &str {
        if self.id == CUSTOM {
            "your integration"
        } else {
            &self.name
        }
    }
}

/// An id that is not in the presets.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{id}\" is not a known vendor. Known vendors: {known}.")]
pub struct UnknownVendor {
    pub id: String,
    pub known: String,
}

static VENDORS: LazyLock<Vec<Vendor>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("vendors.json")).expect("src/vendors.json is valid")
});

/// Every preset, in the order the window offers them.
pub fn all() -> &'static [Vendor] {
    &VENDORS
}

/// The preset with this id (exact, lower case).
pub fn find(id: &str) -> Result<&'static Vendor, UnknownVendor> {
    let id = id.trim();
    all()
        .iter()
        .find(|v| v.id == id)
        .ok_or_else(|| UnknownVendor {
            id: id.chars().take(80).collect(),
            known: ids().join(", "),
        })
}

pub fn ids() -> Vec<&'static str> {
    all().iter().map(|v| v.id.as_str()).collect()
}

/// Your own integration: today's behaviour.
pub fn custom() -> &'static Vendor {
    find(CUSTOM).expect("the custom preset exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(id: &str) -> Vec<(&'static str, Kind)> {
        find(id)
            .unwrap()
            .fields
            .iter()
            .map(|f| (f.label.as_str(), f.kind))
            .collect()
    }

    /// The presets against the vendors' own setup guides (shared/seeds):
    /// each form's labels, order and value formats, and who holds the code.
    #[test]
    fn presets_match_the_vendors_guides() {
        use Kind::*;
        assert_eq!(
            ids(),
            [
                "custom",
                "support-fusion",
                "cloud-depot",
                "proxuma",
                "cyrisma",
                "connect-ui",
                "other-vendor"
            ]
        );
        // Seed 000: Settings › Autotask asks API URL (with the trailing
        // slash), API Username, API Secret; the user is made from the
        // Integration Centre's vendor list.
        assert_eq!(
            form("support-fusion"),
            [
                ("API URL", ApiUrlSlash),
                ("API Username", Username),
                ("API Secret", Secret)
            ]
        );
        // Seed 002: "Username (Key)" and "Password (Secret)"; Cloud Depot
        // picked in the Integration Vendors list.
        assert_eq!(
            form("cloud-depot"),
            [("Username (Key)", Username), ("Password (Secret)", Secret)]
        );
        // Seed 004: only a Client ID and a secret; Integration Vendor Proxuma.
        assert_eq!(
            form("proxuma"),
            [("Client ID", Username), ("Secret", Secret)]
        );
        // Seed 003: Domain = https://webservicesN.autotask.net (no slash),
        // then the API username, secret and API integration code.
        assert_eq!(
            form("cyrisma"),
            [
                ("Domain", ApiUrl),
                ("API Username", Username),
                ("Secret", Secret),
                ("API Integration Code", IntegrationCode)
            ]
        );
        // Seed 001: zone (webservices3), integration code, username, secret.
        assert_eq!(
            form("connect-ui"),
            [
                ("API Zone", ZoneName),
                ("API Integration Code", IntegrationCode),
                ("API Username", Username),
                ("API Secret", Secret)
            ]
        );
        let bound: Vec<&str> = all()
            .iter()
            .filter(|v| v.bound)
            .map(|v| v.id.as_str())
            .collect();
        assert_eq!(
            bound,
            ["support-fusion", "cloud-depot", "proxuma", "other-vendor"]
        );
        // A bound vendor's form never asks for a code; the others do.
        for v in all() {
            let asks = v.fields.iter().any(|f| f.kind == IntegrationCode);
            assert_eq!(asks, !v.bound, "{}", v.id);
            assert_eq!(
                v.fields.iter().filter(|f| f.kind == Secret).count(),
                1,
                "{}",
                v.id
            );
            assert!(!v.setup.steps.is_empty(), "{}", v.id);
        }
        // The setup notes the guides insist on.
        let sf = find("support-fusion").unwrap();
        assert_eq!(
            sf.setup.security_level,
            "API User (system) Can't Read Costs"
        );
        assert!(sf.setup.where_.ends_with("Integration Centre"));
        let px = find("proxuma").unwrap();
        assert!(px.setup.webhooks);
        assert!(px.setup.security_level.contains("maximum 50"));
        assert!(
            px.tracking_identifier
                .contains("Proxuma - Resource Planning")
        );
        let cd = find("cloud-depot").unwrap();
        assert!(
            cd.setup
                .line_of_business
                .as_deref()
                .unwrap()
                .contains("all of them")
        );
        assert!(
            cd.setup
                .steps
                .iter()
                .any(|s| s.contains("Integration Vendors list"))
        );
        assert!(all().iter().all(|v| v.setup.ready_after_minutes == 5));
    }

    #[test]
    fn an_unknown_id_names_the_known_ones() {
        let e = find("cloud depot").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"cloud depot\" is not a known vendor. Known vendors: custom, support-fusion, \
             cloud-depot, proxuma, cyrisma, connect-ui, other-vendor."
        );
        assert_eq!(find(" cloud-depot ").unwrap().name, "Cloud Depot");
        assert!(find("Cloud-Depot").is_err(), "ids are exact");
        assert!(!custom().bound);
    }
}
