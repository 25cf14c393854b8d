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
    #[error(
        "No secret was given. Put it in the environment variable AUTOTASK_SECRET, or pipe it on \
         standard input with --secret-stdin. It is never accepted as an argument, where other \
         users of this computer could see it."
    )]
    SecretMissing,
    #[error("The secret could not be read from standard input: {0}")]
    SecretUnreadable(#[source] std::io::Error),
    #[error(transparent)]
    Options(#[from] OptionsError),
    #[error(transparent)]
    TransportSetup(#[from] TransportSetupError),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Profile(ProfileError),
    #[error(
        "{}",
        if *failed {
            "The last check did not pass, so these credentials were not saved. Fix what it reports \
             and test again, or choose Save untested."
        } else {
            "Test the connection first: Save stores only credentials that passed the check, exactly \
             as tested. To keep them without testing, choose Save untested."
        }
    )]
    CheckRequired { failed: bool },
    /// `exec` and `profile secret` on a profile that does not exist or has
    /// no secret in the store: the invocation cannot be used (exit status 2).
    #[error("{0}")]
    ProfileUnusable(ProfileError),
    #[error(
        "Refusing to print the secret of profile \"{0}\" to a terminal, where it would stay on \
         screen and in the scroll-back. Capture it instead — POSIX shells \
         `secret=$(autotask-connect profile secret NAME)`, PowerShell \
         `$secret = autotask-connect profile secret NAME` — or use `autotask-connect exec`. \
         To print it here anyway, add --reveal."
    )]
    SecretToTerminal(String),
    #[error(
        "Cannot run \"{command}\": no such program was found. Check the name, or give its full path."
    )]
    CommandNotFound { command: String },
    #[error("Cannot run \"{command}\": {source}.")]
    CommandNotStarted {
        command: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "The zone of profile \"{name}\" is not known and Autotask's zone look-up failed: {reason} \
         Check the profile once (`autotask-connect profile check`) to record its zone."
    )]
    ZoneUnknown { name: String, reason: String },
    #[error(
        "Test the connection first: the values to copy come from the last check of exactly these \
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
    #[error(
        "No webhook secret key was given. Put the secret key the webhook was created with in the \
         environment variable AUTOTASK_WEBHOOK_SECRET; it is never accepted as an argument."
    )]
    WebhookKeyMissing,
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
            Error::SecretMissing => "secret_missing",
            Error::SecretUnreadable(_) => "secret_unreadable",
            Error::Options(o) => o.kind(),
            Error::Usage(_) => "usage",
            Error::TransportSetup(_) => "invalid_ca_cert",
            Error::Profile(p) => p.kind(),
            Error::CheckRequired { .. } => "check_required",
            Error::ProfileUnusable(p) => p.kind(),
            Error::SecretToTerminal(_) => "secret_to_terminal",
            Error::CommandNotFound { .. } => "command_not_found",
            Error::CommandNotStarted { .. } => "command_not_started",
            Error::ZoneUnknown { .. } => "zone_unknown",
            Error::HandoffNeedsCheck => "handoff_needs_check",
            Error::Question(q) => q.kind(),
            Error::ZoneLookup(_) => "zone_lookup_failed",
            Error::WebhookKeyMissing => "webhook_key_missing",
        }
    }

    /// The form field the error belongs next to.
    pub fn field(&self) -> Option<Field> {
        match self {
            Error::Input(i) => i.field(),
            Error::SecretMissing | Error::SecretUnreadable(_) => Some(Field::Secret),
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

    /// 2 when the caller's input is at fault, 1 when something failed;
    /// `exec` uses the shells' 127 (command not found) and 126 (found but
    /// could not be run).
    pub fn exit_status(&self) -> i32 {
        match self {
            Error::Profile(p) => p.exit_status(),
            Error::ProfileUnusable(_) | Error::SecretToTerminal(_) => 2,
            Error::CommandNotFound { .. } => 127,
            Error::CommandNotStarted { .. } => 126,
            Error::ZoneUnknown { .. } => 1,
            Error::ZoneLookup(_) => 1,
            _ => 2,
        }
    }
}
