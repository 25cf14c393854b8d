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

/// `vendors --json`, one vendor: `{"id","name","bound","fields":[{"label","kind"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VendorSummary {
    pub id: String,
    pub name: String,
    pub bound: bool,
    pub fields: Vec<VendorField>,
}

impl From<&vendors::Vendor> for VendorSummary {
    fn from(v: &vendors::Vendor) -> VendorSummary {
        VendorSummary {
            id: v.id.clone(),
            name: v.name.clone(),
            bound: v.bound,
            fields: v.fields.iter().map(VendorField::from).collect(),
        }
    }
}

/// How to create the API user for a vendor (the window's guide).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    #[serde(rename = "where")]
    pub where_: String,
    pub security_level: String,
    pub webhooks: bool,
    pub line_of_business: Option<String>,
    pub ready_after_minutes: u32,
    pub steps: Vec<String>,
}

/// A vendor as the window's "Who will use this API user?" and its guide use it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vendor {
    pub id: String,
    pub name: String,
    pub bound: bool,
    pub tracking_identifier: String,
    pub fields: Vec<VendorField>,
    pub setup: Setup,
}

impl From<&vendors::Vendor> for Vendor {
    fn from(v: &vendors::Vendor) -> Vendor {
        let s = &v.setup;
        Vendor {
            id: v.id.clone(),
            name: v.name.clone(),
            bound: v.bound,
            tracking_identifier: v.tracking_identifier.clone(),
            fields: v.fields.iter().map(VendorField::from).collect(),
            setup: Setup {
                where_: s.where_.clone(),
                security_level: s.security_level.clone(),
                webhooks: s.webhooks,
                line_of_business: s.line_of_business.clone(),
                ready_after_minutes: s.ready_after_minutes,
                steps: s.steps.clone(),
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

/// `handoff --json`: `{"vendor": ID, "fields": [{"label","kind","value"}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Handoff {
    pub vendor: String,
    pub fields: Vec<HandoffField>,
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
