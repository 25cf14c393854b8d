//! The window's form as the page sees it: the visible fields, and only the
//! state of the secret (present, length, lints), never the secret.

use serde::Serialize;

use crate::credentials::{Field, Lint};
use crate::form;

/// The form's visible fields (the demo tenant's, when the app fills them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fields {
    pub zone: String,
    pub username: String,
    pub integration_code: String,
    pub vendor: String,
    pub entities: Vec<String>,
}

impl From<&form::Fields> for Fields {
    fn from(f: &form::Fields) -> Fields {
        Fields {
            zone: f.zone.clone(),
            username: f.username.clone(),
            integration_code: f.integration_code.clone(),
            vendor: f.vendor.clone(),
            entities: f.entities.clone(),
        }
    }
}

/// What the page may know about the held secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecretState {
    pub present: bool,
    pub length: usize,
    pub lints: Vec<Lint>,
    /// `none`, `typed`, `pasted`, `demo`: a held secret is not in the field.
    pub source: &'static str,
}

impl From<&form::SecretState> for SecretState {
    fn from(s: &form::SecretState) -> SecretState {
        SecretState {
            present: s.present,
            length: s.length,
            lints: s.lints.clone(),
            source: s.source.code(),
        }
    }
}

/// The last result on screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastResult {
    /// `form`, `profile` or `rotation`.
    pub subject: &'static str,
    /// The saved profile's name, for `profile` and `rotation`.
    pub name: Option<String>,
    pub passed: bool,
    /// The form changed since (only a check of the form goes stale).
    pub stale: bool,
}

/// Save: whether it can work, why not, the untested choice, the line under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SaveState {
    pub enabled: bool,
    pub reason: Option<String>,
    pub offer_untested: bool,
    pub status: String,
    pub tone: &'static str,
}

/// Everything the window shows about the form, answered by every form
/// command: the page renders it and keeps no rules of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FormState {
    pub secret: SecretState,
    /// With no secret held, Test connection tests this saved profile.
    pub saved_profile: Option<String>,
    pub last: Option<LastResult>,
    pub save: SaveState,
    /// "Use zone N" after a passing check that reached another zone.
    pub moved_zone: Option<u32>,
    /// The values to enter in the vendor's form can be shown.
    pub handoff: bool,
    /// The form's checks go to the demo tenant inside the app.
    pub demo: bool,
    /// Where the form's profiles keep their secrets ("Secret Service
    /// (D-Bus)", or the demo's memory): the words the page uses for it.
    pub store: String,
}

impl From<&form::FormState> for FormState {
    fn from(f: &form::FormState) -> FormState {
        FormState {
            secret: SecretState::from(&f.secret),
            saved_profile: f.saved_profile.clone(),
            last: f.last.as_ref().map(|l| {
                let (subject, name) = match &l.subject {
                    form::Subject::Form => ("form", None),
                    form::Subject::Profile(n) => ("profile", Some(n.clone())),
                    form::Subject::Rotation(n) => ("rotation", Some(n.clone())),
                };
                LastResult {
                    subject,
                    name,
                    passed: l.passed,
                    stale: l.stale,
                }
            }),
            save: SaveState {
                enabled: f.save.enabled,
                reason: f.save.reason.clone(),
                offer_untested: f.save.offer_untested,
                status: f.save.status.clone(),
                tone: f.save.tone,
            },
            moved_zone: f.moved_zone,
            handoff: f.handoff,
            demo: f.demo,
            store: f.store.clone(),
        }
    }
}

/// A form command's answer: what it did, and the form's state after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer<T: Serialize> {
    pub result: T,
    pub form: FormState,
}

/// What a paste filled: values for the visible fields, the secret's state,
/// and the one line that says which line filled which field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pasted {
    pub zone: Option<String>,
    pub username: Option<String>,
    pub integration_code: Option<String>,
    /// Rust holds a secret from the paste (never sent back).
    pub secret: Option<SecretState>,
    /// The secret field takes the pasted text itself, as typed.
    pub type_into_secret: bool,
    pub fields: Vec<Field>,
    pub is_block: bool,
    pub account: String,
}

impl From<&form::Pasted> for Pasted {
    fn from(p: &form::Pasted) -> Pasted {
        Pasted {
            zone: p.zone.clone(),
            username: p.username.clone(),
            integration_code: p.integration_code.clone(),
            secret: p.secret.as_ref().map(SecretState::from),
            type_into_secret: p.type_into_secret,
            fields: p.fields.clone(),
            is_block: p.is_block,
            account: p.account.clone(),
        }
    }
}
