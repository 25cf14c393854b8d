//! The one error view of both faces, in the shape the CLI documents:
//! `{kind, message, field}`, with `lints` when the inputs are at fault and
//! `reason` when a zone was refused.

use serde::Serialize;

use crate::check::InputError;
use crate::credentials::{Field, Lint};
use crate::error::Error;

/// An error as scripts and the page see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorView {
    /// Stable identifier scripts and the page switch on.
    pub kind: String,
    /// The sentence shown to the technician, with what to do.
    pub message: String,
    /// The form field it belongs next to, if any.
    pub field: Option<Field>,
    /// Every finding about the inputs, when the inputs are at fault (absent
    /// otherwise, as the CLI always printed it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lints: Vec<Lint>,
    /// Why a zone was refused (`ZoneError::code`), for scripts: only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

impl ErrorView {
    /// An error of a face's own (a usage mistake, a task that died).
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> ErrorView {
        ErrorView {
            kind: kind.into(),
            message: message.into(),
            field: None,
            lints: Vec::new(),
            reason: None,
        }
    }
}

impl From<&Error> for ErrorView {
    fn from(e: &Error) -> ErrorView {
        ErrorView {
            kind: e.kind().to_string(),
            message: e.to_string(),
            field: e.field(),
            lints: e.lints().to_vec(),
            reason: match e {
                Error::Input(InputError::Zone(z)) => Some(z.code()),
                _ => None,
            },
        }
    }
}
