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
}

impl From<&form::SecretState> for SecretState {
    fn from(s: &form::SecretState) -> SecretState {
        SecretState {
            present: s.present,
            length: s.length,
            lints: s.lints.clone(),
        }
    }
}

/// What a paste filled: values for the visible fields, the secret's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pasted {
    pub zone: Option<String>,
    pub username: Option<String>,
    pub integration_code: Option<String>,
    pub secret: Option<SecretState>,
    pub fields: Vec<Field>,
    pub is_block: bool,
}

impl From<&form::Pasted> for Pasted {
    fn from(p: &form::Pasted) -> Pasted {
        Pasted {
            zone: p.zone.clone(),
            username: p.username.clone(),
            integration_code: p.integration_code.clone(),
            secret: p.secret.as_ref().map(SecretState::from),
            fields: p.fields.clone(),
            is_block: p.is_block,
        }
    }
}
