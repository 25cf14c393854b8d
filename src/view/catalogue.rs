//! Everything else the faces print or show: a pasted zone, the vendors, a
//! hand-off, the script snippets, the credential store's health.

use serde::Serialize;

use crate::handoff;
use crate::script;
use crate::store::keyring::{self, StoreError};
use crate::vendors::{self, Kind};
use crate::zone;

/// `zone --json`: `{"api_host","api_url","web_url","zone_number","discover","message"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZoneSummary {
    pub api_host: String,
    pub api_url: String,
    pub web_url: Option<String>,
    pub zone_number: Option<u32>,
    pub discover: bool,
    pub message: String,
}

impl From<&zone::ZoneSummary> for ZoneSummary {
    fn from(z: &zone::ZoneSummary) -> ZoneSummary {
        ZoneSummary {
            api_host: z.api_host.clone(),
            api_url: z.api_url.clone(),
            web_url: z.web_url.clone(),
            zone_number: z.zone_number,
            discover: z.discover,
            message: z.message.clone(),
        }
    }
}

/// One field of a vendor's form: `{"label","kind"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VendorField {
    pub label: String,
    pub kind: Kind,
}

impl From<&vendors::VendorField> for VendorField {
    fn from(f: &vendors::VendorField) -> VendorField {
        VendorField {
            label: f.label.clone(),
            kind: f.kind,
        }
    }
}

/// `vendors --json`, one vendor:
/// `{"id","name","bound","code_class","fields":[{"label","kind"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VendorSummary {
    pub id: String,
    pub name: String,
    pub bound: bool,
    /// `vendor_keeps`, `vendor_publishes` or `autotask_generates`.
    pub code_class: &'static str,
    pub fields: Vec<VendorField>,
}

impl From<&vendors::Vendor> for VendorSummary {
    fn from(v: &vendors::Vendor) -> VendorSummary {
        VendorSummary {
            id: v.id.clone(),
            name: v.name.clone(),
            bound: v.bound,
            code_class: v.code.class.code(),
            fields: v.fields.iter().map(VendorField::from).collect(),
        }
    }
}

/// One entity of a recipe: `{"entity","access"}` (`read` or `write`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecipeEntity {
    pub entity: String,
    pub access: &'static str,
}

/// What a vendor needs of the API user, with the guide that says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recipe {
    pub source: String,
    pub entities: Vec<RecipeEntity>,
    pub web_services_api: Option<String>,
    /// The webhook maximum asked for, when the vendor creates webhooks.
    pub webhook_maximum: Option<u32>,
    pub webhooks: bool,
}

impl From<&vendors::Recipe> for Recipe {
    fn from(r: &vendors::Recipe) -> Recipe {
        Recipe {
            source: r.source.clone(),
            entities: r
                .entities
                .iter()
                .map(|e| RecipeEntity {
                    entity: e.entity.clone(),
                    access: e.access.code(),
                })
                .collect(),
            web_services_api: r.web_services_api.clone(),
            webhook_maximum: r.webhooks.as_ref().and_then(|w| w.maximum),
            webhooks: r.webhooks.is_some(),
        }
    }
}

/// Another way through a vendor's set-up (an existing user, lost credentials).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
}

/// How to create the API user for a vendor (the window's guide).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    /// The guide the steps paraphrase.
    pub source: String,
    #[serde(rename = "where")]
    pub where_: String,
    /// In words, also where the vendor's guide names none.
    pub security_level: String,
    pub webhooks: bool,
    pub line_of_business: Option<String>,
    pub ready_after_minutes: u32,
    pub steps: Vec<String>,
    pub flows: Vec<Flow>,
}

/// A vendor as the window's "Who will use this API user?" and its guide use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub bound: bool,
    pub code_class: &'static str,
    /// A published code (`vendor_publishes`) and where the vendor publishes it.
    pub published_code: Option<String>,
    pub code_source: Option<String>,
    pub tracking_identifier: String,
    pub fields: Vec<VendorField>,
    pub recipe: Option<Recipe>,
    /// What to check in Autotask that nothing here tests.
    pub checklist: Vec<String>,
    pub setup: Setup,
}

impl From<&vendors::Vendor> for Vendor {
    fn from(v: &vendors::Vendor) -> Vendor {
        let s = &v.setup;
        Vendor {
            id: v.id.clone(),
            name: v.name.clone(),
            bound: v.bound,
            code_class: v.code.class.code(),
            published_code: v.published_code().map(str::to_string),
            code_source: v.code.source.clone(),
            tracking_identifier: v.tracking_identifier.clone(),
            fields: v.fields.iter().map(VendorField::from).collect(),
            recipe: v.recipe.as_ref().map(Recipe::from),
            checklist: v.checklist(),
            setup: Setup {
                source: s.source.clone(),
                where_: s.where_.clone(),
                security_level: v.security_level_text(),
                webhooks: v.needs_webhooks(),
                line_of_business: s.line_of_business.clone(),
                ready_after_minutes: s.ready_after_minutes,
                steps: s.steps.clone(),
                flows: s
                    .flows
                    .iter()
                    .map(|f| Flow {
                        id: f.id.clone(),
                        title: f.title.clone(),
                        steps: f.steps.clone(),
                    })
                    .collect(),
            },
        }
    }
}

/// One value for a vendor's form; the secret's is always `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HandoffField {
    pub label: String,
    pub kind: Kind,
    pub value: Option<String>,
}

/// `handoff --json`: `{"vendor": ID, "fields": [{"label","kind","value"}], "checklist"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Handoff {
    pub vendor: String,
    pub fields: Vec<HandoffField>,
    /// Lines to check in Autotask: not tested here.
    pub checklist: Vec<String>,
}

impl From<&handoff::Handoff> for Handoff {
    fn from(h: &handoff::Handoff) -> Handoff {
        Handoff {
            vendor: h.vendor.clone(),
            fields: h
                .fields
                .iter()
                .map(|f| HandoffField {
                    label: f.label.clone(),
                    kind: f.kind,
                    value: f.value.clone(),
                })
                .collect(),
            checklist: h.checklist.clone(),
        }
    }
}

/// The window's "Use in a script" texts; none holds the secret. For a
/// vendor-bound profile, `unavailable` says why there are none (and every
/// snippet is `null`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snippets {
    pub profile: String,
    /// The CLI each snippet calls, by its exact installed path.
    pub cli: Option<String>,
    pub unavailable: Option<String>,
    /// `exec --gateway` and `serve`: the form offered first.
    pub gateway: Option<String>,
    pub powershell: Option<String>,
    pub python: Option<String>,
    pub shell: Option<String>,
    pub mcp_claude: Option<String>,
    pub mcp_vscode: Option<String>,
}

impl From<&script::ScriptUse> for Snippets {
    fn from(s: &script::ScriptUse) -> Snippets {
        match s {
            script::ScriptUse::Snippets(s) => Snippets {
                profile: s.profile.clone(),
                cli: Some(s.cli.clone()),
                unavailable: None,
                gateway: Some(s.gateway.clone()),
                powershell: Some(s.powershell.clone()),
                python: Some(s.python.clone()),
                shell: Some(s.shell.clone()),
                mcp_claude: Some(s.mcp_claude.clone()),
                mcp_vscode: Some(s.mcp_vscode.clone()),
            },
            script::ScriptUse::NotForScripts { profile, reason } => Snippets {
                profile: profile.clone(),
                cli: None,
                unavailable: Some(reason.clone()),
                gateway: None,
                powershell: None,
                python: None,
                shell: None,
                mcp_claude: None,
                mcp_vscode: None,
            },
        }
    }
}

/// Whether the app offers updates and from where (`doctor --json`'s `updates`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Updates {
    pub enabled: bool,
    /// The manifest updates come from, when on.
    pub from: Option<String>,
    /// The administrator's setting that turned them off, when off.
    pub turned_off_by: Option<String>,
    pub message: String,
}

impl From<&crate::updates::Updates> for Updates {
    fn from(u: &crate::updates::Updates) -> Updates {
        let (from, turned_off_by) = match u {
            crate::updates::Updates::On { from } => (Some(from.clone()), None),
            crate::updates::Updates::Off { by, .. } => (None, Some(by.clone())),
        };
        Updates {
            enabled: u.enabled(),
            from,
            turned_off_by,
            message: u.describe(),
        }
    }
}

/// The credential store's state (`doctor --json`'s `store`, the window's banner).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoreHealth {
    pub backend: &'static str,
    pub ok: bool,
    pub problem: Option<StoreError>,
    pub message: Option<String>,
}

impl From<&keyring::StoreHealth> for StoreHealth {
    fn from(h: &keyring::StoreHealth) -> StoreHealth {
        StoreHealth {
            backend: h.backend,
            ok: h.ok,
            problem: h.problem.clone(),
            message: h.message.clone(),
        }
    }
}
