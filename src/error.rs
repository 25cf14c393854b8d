//! Errors by what the user can do about them. Each has a stable `kind`
//! (the JSON contract of the CLI and the IPC boundary), the field it
//! concerns when there is one, and whether it is the caller's input
//! (exit status 2) or something that failed (exit status 1).

use crate::check::{EntityError, InputError, Question, Refusal, ZoneLookupError};
use crate::credentials::{Field, Lint};
use crate::profile::ProfileError;
use crate::transport::{OptionsError, TransportSetupError};
use crate::vendors::UnknownVendor;
use crate::zone::ZoneError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Inputs that cannot make a check (zone, fields, entities, vendor).
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Options(#[from] OptionsError),
    #[error(transparent)]
    TransportSetup(#[from] TransportSetupError),
    #[error(transparent)]
    Profile(ProfileError),
    /// The form's save rule: only what passed is saved as tested. Each face
    /// says what to do in its own words (the window: its buttons).
    #[error(
        "{}",
        if *failed {
            "The last check of these credentials did not pass, so they were not saved."
        } else {
            "These credentials have not passed a check, so they were not saved as tested."
        }
    )]
    CheckRequired { failed: bool },
    #[error(
        "There are no values to hand off yet: they come from the last check of exactly these \
         fields and this choice of who uses the API user."
    )]
    HandoffNeedsCheck,
    /// The door asks first (a person's password, an unusual secret length):
    /// nothing was sent. Each face asks in its own way (the window's
    /// dialog; the CLI's `--person-login`, `--secret-length-ok`).
    #[error("{0} {how}", how = .0.how_to_tell())]
    Question(Question),
    /// The zone for a hand-off could not be looked up from the username.
    #[error(transparent)]
    ZoneLookup(#[from] ZoneLookupError),
}

impl From<crate::store::keyring::StoreError> for Error {
    fn from(e: crate::store::keyring::StoreError) -> Error {
        Error::Profile(ProfileError::Store(e))
    }
}

impl From<crate::store::config::ConfigError> for Error {
    fn from(e: crate::store::config::ConfigError) -> Error {
        Error::Profile(ProfileError::Config(e))
    }
}

impl From<ProfileError> for Error {
    /// Inputs a profile operation refused are the same input errors as any
    /// face's: one kind, one field, whichever way they arrived.
    fn from(e: ProfileError) -> Error {
        match e {
            ProfileError::Input(i) => Error::Input(i),
            ProfileError::Question(q) => Error::Question(q),
            p => Error::Profile(p),
        }
    }
}

impl From<ZoneError> for Error {
    fn from(e: ZoneError) -> Error {
        Error::Input(e.into())
    }
}

impl From<EntityError> for Error {
    fn from(e: EntityError) -> Error {
        Error::Input(e.into())
    }
}

impl From<UnknownVendor> for Error {
    fn from(e: UnknownVendor) -> Error {
        Error::Input(e.into())
    }
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Error {
        Error::from(ProfileError::from(e))
    }
}

impl From<crate::lockout::GuardError> for Error {
    fn from(e: crate::lockout::GuardError) -> Error {
        Error::from(ProfileError::from(e))
    }
}

impl Error {
    /// The stable identifier scripts and the UI switch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Input(i) => i.kind(),
            Error::Options(o) => o.kind(),
            Error::TransportSetup(_) => "invalid_ca_cert",
            Error::Profile(p) => p.kind(),
            Error::CheckRequired { .. } => "check_required",
            Error::HandoffNeedsCheck => "handoff_needs_check",
            Error::Question(q) => q.kind(),
            Error::ZoneLookup(_) => "zone_lookup_failed",
        }
    }

    /// The form field the error belongs next to.
    pub fn field(&self) -> Option<Field> {
        match self {
            Error::Input(i) => i.field(),
            Error::Question(q) => Some(q.field()),
            _ => None,
        }
    }

    /// Every finding about the inputs, when the inputs are at fault.
    pub fn lints(&self) -> &[Lint] {
        match self {
            Error::Input(i) => i.lints(),
            _ => &[],
        }
    }

    /// 2 when the caller's input is at fault, 1 when something failed.
    pub fn exit_status(&self) -> i32 {
        match self {
            Error::Profile(p) => p.exit_status(),
            Error::ZoneLookup(_) => 1,
            _ => 2,
        }
    }
}
