//! Who will use the API user: the technician's own integration, or a
//! vendor's product. The presets are data (`vendors.json`, read once): per
//! vendor, the fields its settings form asks for in its order, each with the
//! vendor's own label and the format of its value, where its integration
//! code comes from, what it needs of the API user (its recipe, with the
//! source), and how to create the user for it.
//!
//! Where the integration code comes from decides what can be tested here
//! ([`CodeClass`]): a **vendor-bound** API user ("Integration Vendor: X",
//! X keeps the code) cannot sign in with any other code, so its check never
//! sends the secret (see [`crate::check::Door`]); a vendor that publishes
//! its code, and Autotask's generated Custom code, get the full check.

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

/// Where the API user's integration code (API tracking identifier) comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeClass {
    /// "Integration Vendor: X" and only X has the code: nothing here can
    /// sign in with it.
    VendorKeeps,
    /// "Integration Vendor: X" and X publishes the code for customers to
    /// paste: it is in the preset, and the full check runs.
    VendorPublishes,
    /// Autotask generates it (Custom (Internal Integration), or an
    /// integration vendor entry made in the tenant): the technician copies it.
    AutotaskGenerates,
}

impl CodeClass {
    /// The stable identifier (`vendors --json`'s `code_class`).
    pub fn code(self) -> &'static str {
        match self {
            CodeClass::VendorKeeps => "vendor_keeps",
            CodeClass::VendorPublishes => "vendor_publishes",
            CodeClass::AutotaskGenerates => "autotask_generates",
        }
    }
}

/// The integration code's class, and for a published code the code and
/// where the vendor publishes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub class: CodeClass,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// What the integration does with an entity's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    /// Read, and create or edit.
    Write,
}

impl Access {
    pub fn code(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeEntity {
    /// As Autotask's API spells it (`Tickets`).
    pub entity: String,
    pub access: Access,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookNeed {
    /// The security level's webhook maximum the vendor asks for.
    pub maximum: Option<u32>,
}

/// What a vendor needs of the API user, as its own guide says (`source`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub source: String,
    pub entities: Vec<RecipeEntity>,
    /// The Web Services API category's permission the guide names
    /// ("Full Permission").
    pub web_services_api: Option<String>,
    /// "Can create Webhooks" (under Other), with its maximum.
    pub webhooks: Option<WebhookNeed>,
}

/// Another way through the set-up than the guide's main steps.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// `existing_user`, `lost_credentials`.
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
}

/// How to create the API user for this vendor, in our own words.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The guide these steps paraphrase.
    pub source: String,
    /// Where in Autotask the user is created.
    #[serde(rename = "where")]
    pub where_: String,
    /// `None` where the vendor's guide names none.
    pub security_level: Option<String>,
    pub line_of_business: Option<String>,
    /// How long a brand-new API user may take before it works.
    pub ready_after_minutes: u32,
    /// The guide, one step a line.
    pub steps: Vec<String>,
    pub flows: Vec<Flow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub code: Code,
    /// The code belongs to the vendor alone (`CodeClass::VendorKeeps`): no
    /// integration code is asked for, and the secret cannot be tested here.
    #[serde(skip)]
    pub bound: bool,
    /// Which API tracking identifier to choose in Autotask.
    pub tracking_identifier: String,
    pub fields: Vec<VendorField>,
    /// `None`: whoever builds the integration decides (your own, another vendor's).
    pub recipe: Option<Recipe>,
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

    /// The code this vendor publishes, for a `vendor_publishes` preset.
    pub fn published_code(&self) -> Option<&str> {
        match self.code.class {
            CodeClass::VendorPublishes => self.code.value.as_deref(),
            _ => None,
        }
    }

    /// The security level in words, also where the guide names none.
    pub fn security_level_text(&self) -> String {
        match &self.setup.security_level {
            Some(level) => level.clone(),
            None => format!("not named in {}'s guide", self.name),
        }
    }

    /// Whether the security level needs "Can create Webhooks".
    pub fn needs_webhooks(&self) -> bool {
        self.recipe.as_ref().is_some_and(|r| r.webhooks.is_some())
    }

    /// The recipe as lines to check in Autotask, where nothing here can test
    /// them: every line for a vendor-bound user; for one that signs in, what
    /// the API cannot show (the webhook maximum, lines of business).
    pub fn checklist(&self) -> Vec<String> {
        let mut out = Vec::new();
        let recipe = self.recipe.as_ref();
        if self.bound {
            if let Some(level) = &self.setup.security_level {
                out.push(format!("Security level: {level}."));
            }
            for e in recipe.map(|r| r.entities.as_slice()).unwrap_or_default() {
                let ops = match e.access {
                    Access::Read => "View",
                    Access::Write => "View, Add and Edit",
                };
                out.push(format!(
                    "{}: {ops}, in both {} and the Web Services API category.",
                    entity_words(&e.entity),
                    where_to_allow(&e.entity)
                ));
            }
            if let Some(p) = recipe.and_then(|r| r.web_services_api.as_deref()) {
                out.push(format!(
                    "Web Services API: \"Can login to Web Services API\" ticked, with {p}."
                ));
            }
        }
        if let Some(w) = recipe.and_then(|r| r.webhooks.as_ref()) {
            out.push(match w.maximum {
                Some(n) => format!("Other: \"Can create Webhooks\" ticked, webhook maximum {n}."),
                None => "Other: \"Can create Webhooks\" ticked.".to_string(),
            });
        }
        if let Some(lob) = &self.setup.line_of_business {
            out.push(format!("Lines of business: {lob}"));
        }
        if self.bound {
            out.push(format!(
                "API Tracking Identifier: {}",
                self.tracking_identifier
            ));
        }
        out
    }
}

/// Where an entity's object permission sits in a security level, as
/// Autotask's help arranges the categories (Security settings and object
/// permissions: CRM, Service Desk, Projects, Contracts, Timesheets, Admin,
/// Other). `None` where we do not know it: the sentence then names only the
/// object permission.
pub fn security_section(entity: &str) -> Option<&'static str> {
    let e = entity.to_ascii_lowercase();
    Some(match e.as_str() {
        "companies" | "contacts" | "opportunities" | "configurationitems" => "CRM",
        "tickets" | "ticketnotes" => "Service Desk",
        "projects" | "tasks" => "Projects",
        "contracts" => "Contracts",
        "timeentries" => "Timesheets",
        "resources" => "Admin",
        _ if e.ends_with("webhooks") => "Other",
        _ => return None,
    })
}

/// Where a security level allows an entity, besides the Web Services API
/// category: "the Service Desk object permission"; webhooks are allowed by
/// "Can create Webhooks" under Other (Proxuma's guide, step 8).
pub fn where_to_allow(entity: &str) -> String {
    if entity.to_ascii_lowercase().ends_with("webhooks") {
        return "\"Can create Webhooks\" under Other".to_string();
    }
    match security_section(entity) {
        Some(section) => format!("the {section} object permission"),
        None => "its object permission".to_string(),
    }
}

/// An API entity name in words: `TicketNotes` → "Ticket Notes".
pub fn entity_words(entity: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in entity.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase();
        out.push(c);
    }
    out
}

/// An id that is not in the presets.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{id}\" is not a known vendor. Known vendors: {known}.")]
pub struct UnknownVendor {
    pub id: String,
    pub known: String,
}

static VENDORS: LazyLock<Vec<Vendor>> = LazyLock::new(|| {
    let mut all: Vec<Vendor> =
        serde_json::from_str(include_str!("vendors.json")).expect("src/vendors.json is valid");
    for v in &mut all {
        v.bound = v.code.class == CodeClass::VendorKeeps;
    }
    all
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

    fn v(id: &str) -> &'static Vendor {
        find(id).unwrap()
    }

    fn text(v: &Vendor) -> String {
        let mut all = v.setup.steps.join("\n");
        for f in &v.setup.flows {
            all.push('\n');
            all.push_str(&f.steps.join("\n"));
        }
        all
    }

    fn recipe(id: &str) -> Vec<(&'static str, Access)> {
        v(id)
            .recipe
            .as_ref()
            .unwrap()
            .entities
            .iter()
            .map(|e| (e.entity.as_str(), e.access))
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
                "squaredup",
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
        // SquaredUp's plugin (ui.json): Zone URL without the slash, API
        // Username, API Integration Code, API Secret.
        assert_eq!(
            form("squaredup"),
            [
                ("Zone URL", ApiUrl),
                ("API Username", Username),
                ("API Integration Code", IntegrationCode),
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
            assert!(!v.setup.source.is_empty(), "{}", v.id);
        }
        assert!(all().iter().all(|v| v.setup.ready_after_minutes == 5));
    }

    /// Where each code comes from (issue 22): Autotask generates it for your
    /// own integration, Cyrisma (Custom (Internal Integration), seed 003) and
    /// a Connect UI (seed 001: the tracking identifier "generates your API
    /// Integration Code"); vendors keep theirs; SquaredUp publishes its own.
    #[test]
    fn each_preset_has_its_code_class() {
        let classes: Vec<(&str, &str)> = all()
            .iter()
            .map(|v| (v.id.as_str(), v.code.class.code()))
            .collect();
        assert_eq!(
            classes,
            [
                ("custom", "autotask_generates"),
                ("support-fusion", "vendor_keeps"),
                ("cloud-depot", "vendor_keeps"),
                ("proxuma", "vendor_keeps"),
                ("cyrisma", "autotask_generates"),
                ("connect-ui", "autotask_generates"),
                ("squaredup", "vendor_publishes"),
                ("other-vendor", "vendor_keeps"),
            ]
        );
        // Only a published code is in the presets, with where it is published.
        for v in all() {
            let published = v.code.class == CodeClass::VendorPublishes;
            assert_eq!(v.code.value.is_some(), published, "{}", v.id);
            assert_eq!(v.code.source.is_some(), published, "{}", v.id);
        }
        let sq = v("squaredup");
        assert_eq!(sq.published_code(), Some("FWAABGUO7E7BBHD3PQMLWCGLGY"));
        assert!(
            sq.code
                .source
                .as_deref()
                .unwrap()
                .starts_with("https://github.com/squaredup/plugins/")
        );
        assert!(!sq.bound);
        assert_eq!(v("custom").published_code(), None);
    }

    /// The claims that come from the seeds, pinned: where the user is made,
    /// the security level, the steps and flows each guide insists on, and
    /// statements the seeds do not make stay out.
    #[test]
    fn the_seeds_claims_are_pinned() {
        // Seed 000, Support Fusion.
        let sf = v("support-fusion");
        assert_eq!(
            sf.setup.security_level.as_deref(),
            Some("API User (system) Can't Read Costs")
        );
        assert!(sf.setup.where_.ends_with("Integration Centre"));
        assert!(text(sf).contains("Create API User"));
        assert!(text(sf).contains("Save Configuration, then Test Connection"));
        // The values are in the hand-off panel, above the guide: no "below".
        assert!(!text(sf).contains("below"), "{}", text(sf));
        assert!(!text(sf).contains("never see or need"));
        let lost = &sf.setup.flows[0];
        assert_eq!(lost.id, "lost_credentials");
        assert!(lost.steps[0].contains("Integration Centre"));
        assert!(lost.steps[0].contains("regenerate"));
        assert_eq!(
            recipe("support-fusion"),
            [("Tickets", Access::Write), ("TicketNotes", Access::Write)]
        );
        // Seed 002, Cloud Depot: no security level is named in its guide.
        let cd = v("cloud-depot");
        assert_eq!(cd.setup.security_level, None);
        assert_eq!(cd.security_level_text(), "not named in Cloud Depot's guide");
        assert!(
            cd.setup
                .line_of_business
                .as_deref()
                .unwrap()
                .contains("all of them")
        );
        assert!(text(cd).contains("Integration Vendors list"));
        assert!(text(cd).contains("up to 5 minutes"));
        assert!(text(cd).contains("Save Changes"));
        assert!(cd.setup.flows[0].steps[1].contains("generate a new key, a new secret, or both"));
        assert!(recipe("cloud-depot").is_empty());
        // Seed 004, Proxuma: full permissions, webhooks (at most 50), its
        // vendor entry, and an existing API user (its steps 10 to 13).
        let px = v("proxuma");
        assert!(px.needs_webhooks());
        let r = px.recipe.as_ref().unwrap();
        assert_eq!(r.webhooks.as_ref().unwrap().maximum, Some(50));
        assert_eq!(r.web_services_api.as_deref(), Some("Full Permission"));
        assert!(
            px.tracking_identifier
                .contains("Proxuma - Resource Planning & Project Management")
        );
        assert!(text(px).contains("up to 5 minutes"));
        let existing = &px.setup.flows[0];
        assert_eq!(existing.id, "existing_user");
        assert!(existing.steps[1].contains("Edit"));
        assert!(existing.steps[2].contains("Generate Key and Generate Secret"));
        // A new secret would stop another product using the same user.
        assert!(existing.steps[2].contains("new API user instead"));
        // Seed 003, Cyrisma: Custom (Internal Integration), Domain format.
        let cy = v("cyrisma");
        assert!(
            cy.tracking_identifier
                .starts_with("Custom (Internal Integration)")
        );
        assert!(text(cy).contains("Copy the code Autotask generates"));
        // Seed 001, Connect UI: the tracking identifier Autotask generates.
        let cu = v("connect-ui");
        assert!(cu.tracking_identifier.contains("Autotask generates"));
        assert!(text(cu).contains("API Security"));
        // SquaredUp's guide: Squared Up (with a space), its six read entities.
        let sq = v("squaredup");
        assert!(
            sq.tracking_identifier.contains("\"Squared Up\"")
                || text(sq).contains("\"Squared Up\"")
        );
        assert_eq!(
            recipe("squaredup"),
            [
                ("Companies", Access::Read),
                ("Tickets", Access::Read),
                ("Contracts", Access::Read),
                ("Projects", Access::Read),
                ("Resources", Access::Read),
                ("SurveyResults", Access::Read),
            ]
        );
        // No guide says a line of business left empty shows everything.
        for v in all() {
            assert!(
                !v.setup
                    .line_of_business
                    .as_deref()
                    .unwrap_or("")
                    .contains("or none"),
                "{}",
                v.id
            );
        }
    }

    #[test]
    fn a_vendor_bound_recipe_is_a_checklist() {
        assert_eq!(
            v("proxuma").checklist(),
            [
                "Security level: A copy of API User (system) (API-only) with \"Can create Webhooks\" \
                 (maximum 50) and Web Services API login with Full Permission.",
                "Web Services API: \"Can login to Web Services API\" ticked, with Full Permission.",
                "Other: \"Can create Webhooks\" ticked, webhook maximum 50.",
                "Lines of business: Choose the lines of business Proxuma should see.",
                "API Tracking Identifier: Integration Vendor: Proxuma - Resource Planning & Project \
                 Management.",
            ]
        );
        assert_eq!(
            v("support-fusion").checklist()[1],
            "Tickets: View, Add and Edit, in both the Service Desk object permission and the Web \
             Services API category."
        );
        // Cloud Depot's guide names no level: no line invents one.
        assert!(
            v("cloud-depot")
                .checklist()
                .iter()
                .all(|l| !l.starts_with("Security level"))
        );
        // A user that signs in is tested; only what the API cannot show stays.
        assert!(v("squaredup").checklist().is_empty());
        assert_eq!(
            v("custom").checklist(),
            [
                "Lines of business: If you use lines of business, associate the user with every line \
              the script must see."
            ]
        );
    }

    #[test]
    fn entity_words_and_sections() {
        assert_eq!(entity_words("TicketNotes"), "Ticket Notes");
        assert_eq!(
            entity_words("ConfigurationItemWebhooks"),
            "Configuration Item Webhooks"
        );
        assert_eq!(security_section("Tickets"), Some("Service Desk"));
        assert_eq!(security_section("companies"), Some("CRM"));
        assert_eq!(security_section("TicketWebhooks"), Some("Other"));
        assert_eq!(security_section("SurveyResults"), None);
        assert_eq!(
            where_to_allow("TicketNotes"),
            "the Service Desk object permission"
        );
        assert_eq!(
            where_to_allow("TicketWebhooks"),
            "\"Can create Webhooks\" under Other"
        );
        assert_eq!(where_to_allow("SurveyResults"), "its object permission");
    }

    #[test]
    fn an_unknown_id_names_the_known_ones() {
        let e = find("cloud depot").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"cloud depot\" is not a known vendor. Known vendors: custom, support-fusion, \
             cloud-depot, proxuma, cyrisma, connect-ui, squaredup, other-vendor."
        );
        assert_eq!(find(" cloud-depot ").unwrap().name, "Cloud Depot");
        assert!(find("Cloud-Depot").is_err(), "ids are exact");
        assert!(!custom().bound);
    }
}
