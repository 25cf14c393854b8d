//! The CLI's own errors and words: what only a command line can say (an
//! environment variable, a flag, another command to run). The core's errors
//! arrive in `Core` and keep their kind; the CLI adds its hint to their
//! message by kind, once, in `view`.

use autotask_connect::error::Error as CoreError;
use autotask_connect::profile::ProfileError;
use autotask_connect::view::ErrorView;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(
        "No secret was given. Put it in the environment variable AUTOTASK_SECRET, or pipe it on \
         standard input with --secret-stdin. It is never accepted as an argument, where other \
         users of this computer could see it."
    )]
    SecretMissing,
    #[error("The secret could not be read from standard input: {0}")]
    SecretUnreadable(#[source] std::io::Error),
    #[error("{0}")]
    Usage(String),
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
        "No webhook secret key was given. Put the secret key the webhook was created with in the \
         environment variable AUTOTASK_WEBHOOK_SECRET; it is never accepted as an argument."
    )]
    WebhookKeyMissing,
}

/// Everything the core's `?` turns into its error becomes the CLI's too.
macro_rules! through_core {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Error {
                Error::Core(CoreError::from(e))
            }
        }
    )*};
}
through_core!(
    ProfileError,
    autotask_connect::check::InputError,
    autotask_connect::check::EntityError,
    autotask_connect::check::Refusal,
    autotask_connect::check::ZoneLookupError,
    autotask_connect::lockout::GuardError,
    autotask_connect::store::keyring::StoreError,
    autotask_connect::store::config::ConfigError,
    autotask_connect::transport::OptionsError,
    autotask_connect::transport::TransportSetupError,
    autotask_connect::vendors::UnknownVendor,
    autotask_connect::zone::ZoneError,
    autotask_connect::limits::WriteEntityError,
);

impl Error {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Core(e) => e.kind(),
            Error::SecretMissing => "secret_missing",
            Error::SecretUnreadable(_) => "secret_unreadable",
            Error::Usage(_) => "usage",
            Error::ProfileUnusable(p) => p.kind(),
            Error::SecretToTerminal(_) => "secret_to_terminal",
            Error::CommandNotFound { .. } => "command_not_found",
            Error::CommandNotStarted { .. } => "command_not_started",
            Error::ZoneUnknown { .. } => "zone_unknown",
            Error::WebhookKeyMissing => "webhook_key_missing",
        }
    }

    /// 2 when the caller's input is at fault, 1 when something failed;
    /// `exec` uses the shells' 127 (command not found) and 126 (found but
    /// could not be run).
    pub(crate) fn exit_status(&self) -> i32 {
        match self {
            Error::Core(e) => e.exit_status(),
            Error::ProfileUnusable(_) | Error::SecretToTerminal(_) => 2,
            Error::CommandNotFound { .. } => 127,
            Error::CommandNotStarted { .. } => 126,
            Error::ZoneUnknown { .. } => 1,
            Error::SecretMissing
            | Error::SecretUnreadable(_)
            | Error::Usage(_)
            | Error::WebhookKeyMissing => 2,
        }
    }

    /// The one error view (`{kind, message, field, …}`), in the CLI's words
    /// (the output goes through [`Error::view_in`], which knows the command).
    #[cfg(test)]
    pub(crate) fn view(&self) -> ErrorView {
        self.view_in(None)
    }

    /// The view for a command that runs `gateway`'s profile (`exec
    /// --gateway`, `serve`): a gateway asks nothing, so a flag that says yes
    /// belongs on the profile's own check instead.
    pub(crate) fn view_in(&self, gateway: Option<&str>) -> ErrorView {
        let mut view = match self {
            Error::Core(e) => ErrorView::from(e),
            own => {
                let mut v = ErrorView::new(own.kind(), own.to_string());
                if matches!(own, Error::SecretMissing | Error::SecretUnreadable(_)) {
                    v.field = Some(autotask_connect::credentials::Field::Secret);
                }
                v
            }
        };
        if let Some(hint) = self.hint(gateway) {
            view.message.push(' ');
            view.message.push_str(&hint);
        }
        view
    }

    /// What to run or add on the command line, for the core's kinds.
    fn hint(&self, gateway: Option<&str>) -> Option<String> {
        let profile = match self {
            Error::Core(CoreError::Profile(p)) | Error::ProfileUnusable(p) => Some(p),
            _ => None,
        };
        let named = profile.and_then(|p| match p {
            ProfileError::NotFound(_) => {
                Some("`autotask-connect profile list` shows the saved ones.".into())
            }
            ProfileError::Exists(_) => {
                Some("To change its secret instead: `autotask-connect profile rotate`.".into())
            }
            ProfileError::NoSecret(name) => Some(format!(
                "Store one with `autotask-connect profile rotate \"{name}\"`."
            )),
            _ => None,
        });
        if named.is_some() {
            return named;
        }
        let flag = match self.kind() {
            "lockout_risk" | "guard_record_unreadable" => "--force",
            "person_login" => "--person-login",
            "secret_length" => "--secret-length-ok",
            _ => return None,
        };
        Some(match (flag, gateway) {
            ("--force", None) => "To try anyway, repeat with --force.".into(),
            (flag, None) => format!("To send it anyway, add {flag}."),
            (flag, Some(name)) => format!(
                "Check the profile once: `autotask-connect profile check '{}' {flag}`; once it \
                 passes, the gateway starts without asking.",
                name.replace('\'', r"'\''")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI's words, pinned: hints name its commands and flags; the
    /// core's sentence comes first, unchanged.
    #[test]
    fn hints_follow_the_core_sentence() {
        let e = Error::from(ProfileError::NotFound("A".into()));
        assert_eq!(e.kind(), "profile_not_found");
        assert_eq!(
            e.view().message,
            "There is no profile named \"A\". `autotask-connect profile list` shows the saved ones."
        );
        let e = Error::ProfileUnusable(ProfileError::NoSecret("A".into()));
        assert_eq!(e.exit_status(), 2);
        assert_eq!(
            e.view().message,
            "Profile \"A\" has no secret in the credential store (it may have been removed by \
             another program). Store one with `autotask-connect profile rotate \"A\"`."
        );
        let e = Error::from(autotask_connect::lockout::GuardError::LockoutRisk {
            failures: 2,
            wait_minutes: 9,
        });
        assert!(
            e.view()
                .message
                .ends_with("the old one. To try anyway, repeat with --force."),
            "{}",
            e.view().message
        );
        let e = Error::SecretMissing;
        assert_eq!(e.view().kind, "secret_missing");
        assert_eq!(
            e.view().field,
            Some(autotask_connect::credentials::Field::Secret)
        );
        assert_eq!(
            Error::CommandNotFound {
                command: "x".into()
            }
            .exit_status(),
            127
        );
    }
}
