//! What crosses from Rust to the webview: the core's views
//! (`autotask_connect::view`, shared with the CLI's `--json`), the one error
//! view `{kind, message, field[, lints][, reason]}` every command returns, and the shell's
//! own few payloads below. A secret never crosses: the page gets
//! `SecretState` (present, length, lints) and a profile's `has_secret`.

use autotask_connect::error::Error;
use autotask_connect::profile::ProfileError;
use autotask_connect::view::{self, ErrorView};
use serde::Serialize;

/// The error every command returns: the core's error view, the same the CLI
/// prints with `--json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub(crate) struct IpcError(pub(crate) ErrorView);

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        let mut view = ErrorView::from(&e);
        match window_words(&e) {
            Words::Instead(text) => view.message = text.to_string(),
            Words::Then(text) => {
                view.message.push(' ');
                view.message.push_str(text);
            }
            Words::Core => {}
        }
        IpcError(view)
    }
}

/// How the window says an error the core states for every face.
enum Words {
    Core,
    /// The window's own sentence, which names its buttons.
    Instead(&'static str),
    /// What to do here, after the core's sentence.
    Then(&'static str),
}

fn window_words(e: &Error) -> Words {
    match e {
        Error::CheckRequired { failed: true } => Words::Instead(
            "The last check did not pass, so these credentials were not saved. Fix what it \
             reports and test again, or choose Save untested.",
        ),
        Error::CheckRequired { failed: false } => Words::Instead(
            "Test the connection first: Save stores only credentials that passed the check, \
             exactly as tested. To keep them without testing, choose Save untested.",
        ),
        Error::HandoffNeedsCheck => Words::Instead(
            "Test the connection first: the values to copy come from the last check of exactly \
             these fields and this choice of who uses the API user.",
        ),
        Error::Profile(ProfileError::NotFound(_)) => {
            Words::Then("Saved profiles lists the ones there are.")
        }
        Error::Profile(ProfileError::Exists(_)) => {
            Words::Then("To change that profile's secret instead, use Rotate secret on it.")
        }
        Error::Profile(ProfileError::NoSecret(_)) => {
            Words::Then("Use Rotate secret on it to store one.")
        }
        _ => Words::Core,
    }
}

impl From<ProfileError> for IpcError {
    fn from(e: ProfileError) -> IpcError {
        IpcError::from(Error::from(e))
    }
}

impl IpcError {
    /// For failures of the shell itself (a task that died).
    pub(crate) fn internal(message: impl Into<String>) -> IpcError {
        IpcError(ErrorView::new("internal", message))
    }

    /// "Use in a script" for a demo profile: it lives only in this window.
    pub(crate) fn demo_only() -> IpcError {
        IpcError(ErrorView::new(
            "demo_only",
            "The demo's profiles live only inside this window, until you leave the demo: no \
             script or AI agent can use them. Leave the demo and save a real profile for that.",
        ))
    }

    /// A link the page asked to open that is not Autotask's.
    pub(crate) fn link_refused() -> IpcError {
        IpcError(ErrorView::new(
            "link_refused",
            "Only Autotask's own pages (https://…autotask.net) open from here.",
        ))
    }
}

// The shell's own payloads, in the views' one casing (snake_case).

/// What the page learns about the app at start.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct AppInfo {
    pub version: String,
    pub os: String,
    /// When Autotask hosts are routed elsewhere (demo tenant, tests): where.
    pub routed_to: Option<String>,
    /// The demo tenant's visible credentials (its secret stays in Rust).
    pub demo: Option<DemoView>,
    /// A problem with the app's own set-up (bad CA file, no config folder).
    pub setup_problem: Option<String>,
    pub store_backend: String,
    pub config_path: Option<String>,
    /// The ladder's rows in order, with their titles (the page keeps no copy).
    pub steps: Vec<StepTitle>,
    /// The demo tenant's users and what each one shows, for its banner.
    pub demo_users: Vec<DemoUser>,
    /// The short list of entities an integration may need, and the ones
    /// checked (read) when nothing is chosen.
    pub common_entities: &'static [&'static str],
    pub default_entities: &'static [&'static str],
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct StepTitle {
    pub id: &'static str,
    pub title: &'static str,
}

impl StepTitle {
    pub(crate) fn all() -> Vec<StepTitle> {
        autotask_connect::check::StepId::ALL
            .iter()
            .map(|&id| StepTitle {
                id: id.code(),
                title: id.title(),
            })
            .collect()
    }
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct DemoUser {
    pub username: &'static str,
    pub shows: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct DemoView {
    pub zone: String,
    pub username: String,
    pub integration_code: String,
}

/// The demo tenant started inside the app, and the form filled for it
/// (its secret is held in Rust: the form state says so).
#[derive(Serialize)]
pub(crate) struct DemoStarted {
    pub fields: view::Fields,
    /// Where the demo answers: `127.0.0.1:PORT`, inside this app.
    pub route: String,
}

/// The demo tenant's credentials in the form (its secret held in Rust).
#[derive(Serialize)]
pub(crate) struct DemoFill {
    pub fields: view::Fields,
}

#[cfg(test)]
mod tests {
    use super::*;
    use autotask_connect::check::InputError;
    use autotask_connect::credentials::{Credentials, Secret};
    use autotask_connect::lockout::GuardError;
    use autotask_connect::store::keyring::StoreError;
    use autotask_connect::zone;
    use serde_json::json;

    fn json(e: impl Into<IpcError>) -> serde_json::Value {
        serde_json::to_value(e.into()).unwrap()
    }

    /// The JSON of every kind the page handles, pinned.
    #[test]
    fn error_json_is_pinned() {
        let zone = zone::parse("autotask.net.example.com").unwrap_err();
        assert_eq!(
            json(Error::from(zone)),
            json!({
                "kind": "invalid_zone",
                "message": "\"autotask.net.example.com\" is not an Autotask address: it belongs to example.com, not to autotask.net. Your Autotask portal address looks like https://ww5.autotask.net/.",
                "field": "zone",
                "reason": "not_autotask",
            })
        );
        let lints = Credentials::parse("", Secret::new("x".into()), "ABCDEFGHIJKLMNOPQRSTUVWXYZ1")
            .unwrap_err();
        let v = json(Error::from(InputError::Lints(lints)));
        assert_eq!(v["kind"], "invalid_input");
        assert_eq!(v["field"], "username");
        assert_eq!(v["lints"][0]["code"], "username.blank");
        assert_eq!(v["lints"][0]["severity"], "error");
        let pinned = [
            (
                json(Error::CheckRequired { failed: false }),
                "check_required",
                None,
            ),
            (
                json(ProfileError::NotFound("A".into())),
                "profile_not_found",
                None,
            ),
            (
                json(ProfileError::Exists("A".into())),
                "profile_exists",
                None,
            ),
            (
                json(ProfileError::NoSecret("A".into())),
                "profile_without_secret",
                None,
            ),
            (
                json(ProfileError::from(GuardError::LockoutRisk {
                    failures: 2,
                    wait_minutes: 9,
                })),
                "lockout_risk",
                None,
            ),
            (
                json(ProfileError::Store(StoreError::NoSession {
                    detail: "d".into(),
                })),
                "store_no_session",
                None,
            ),
            (
                json(ProfileError::Store(StoreError::NoProvider {
                    detail: "d".into(),
                })),
                "store_no_provider",
                None,
            ),
            (
                json(ProfileError::Store(StoreError::NoDefaultCollection {
                    detail: "d".into(),
                })),
                "store_no_default_collection",
                None,
            ),
            (
                json(ProfileError::Store(StoreError::Locked {
                    detail: "d".into(),
                })),
                "store_locked",
                None,
            ),
            (
                json(ProfileError::Store(StoreError::AccessDenied {
                    detail: "d".into(),
                })),
                "store_access_denied",
                None,
            ),
            (json(IpcError::link_refused()), "link_refused", None),
            (
                json(Error::from(
                    autotask_connect::vendors::find("acme").unwrap_err(),
                )),
                "unknown_vendor",
                None,
            ),
            (
                json(Error::from(InputError::IntegrationCodeNotUsed {
                    vendor: "Cloud Depot".into(),
                })),
                "integration_code_not_used",
                Some("integration_code"),
            ),
            (json(Error::HandoffNeedsCheck), "handoff_needs_check", None),
            (
                json(crate::clipboard::ClipboardError::Unavailable("d".into())),
                "clipboard_unavailable",
                None,
            ),
            (
                json(crate::clipboard::ClipboardError::Refused("d".into())),
                "clipboard_refused",
                None,
            ),
        ];
        // The sentence the technician reads, exactly, per kind.
        let messages: std::collections::BTreeMap<&str, &str> = [
            ("check_required", "Test the connection first: Save stores only credentials that passed the check, exactly as tested. To keep them without testing, choose Save untested."),
            ("profile_not_found", "There is no profile named \"A\". Saved profiles lists the ones there are."),
            ("profile_exists", "A profile named \"A\" already exists (names that differ only in upper and lower case are one name: Windows keeps them in one Credential Manager item). Choose another name. To change that profile's secret instead, use Rotate secret on it."),
            ("profile_without_secret", "Profile \"A\" has no secret in the credential store (it may have been removed by another program). Use Rotate secret on it to store one."),
            ("lockout_risk", "Autotask refused these credentials 2 times in the last 15 minutes. Autotask locks an API user after repeated failures, so Autotask Connect stops before a third attempt for 9 more minutes. Check the secret you have first: generating a new one in Autotask stops every integration that uses the old one."),
            ("store_no_session", "There is no D-Bus session, so the Secret Service (the keyring that holds secrets on Linux) cannot be reached. Run Autotask Connect inside your desktop session; on a server or over SSH, start one with `dbus-run-session -- bash` and unlock a keyring in it (`gnome-keyring-daemon --unlock`)."),
            ("store_no_provider", "No Secret Service provider is running, so there is nowhere safe to keep the secret. Install and start one — on Debian/Ubuntu `sudo apt install gnome-keyring`, then log out and back in (KeePassXC with its Secret Service integration also works)."),
            ("store_no_default_collection", "The keyring has no default collection to store secrets in. Open Passwords and Keys (Seahorse), create a password keyring (File › New › Password Keyring) and set it as the default, then try again."),
            ("store_locked", "The keyring is locked and could not be unlocked here. Unlock it — log in to the desktop session, open Passwords and Keys and unlock the login keyring, or run `gnome-keyring-daemon --unlock` — then try again."),
            ("store_access_denied", "Access to the credential store was refused (on macOS: the keychain prompt was denied). Allow Autotask Connect to use the login keychain, then try again."),
            ("link_refused", "Only Autotask's own pages (https://…autotask.net) open from here."),
            ("unknown_vendor", "\"acme\" is not a known vendor. Known vendors: custom, support-fusion, cloud-depot, proxuma, cyrisma, connect-ui, squaredup, other-vendor."),
            ("integration_code_not_used", "Leave the integration code out: this API user's tracking identifier belongs to Cloud Depot, and only Cloud Depot has its code. A test with any other code would be a failed login that counts towards locking the user."),
            ("handoff_needs_check", "Test the connection first: the values to copy come from the last check of exactly these fields and this choice of who uses the API user."),
            ("clipboard_unavailable", "There is no clipboard to copy to on this computer (d). Nothing was copied or lost: enter the value in the vendor's form by hand."),
            ("clipboard_refused", "The clipboard refused the value (d); perhaps a clipboard manager blocked it. Nothing was lost: try Copy again, or enter the value in the vendor's form by hand."),
        ]
        .into_iter()
        .collect();
        assert_eq!(messages.len(), pinned.len());
        for (v, kind, field) in pinned {
            assert_eq!(v["kind"], kind, "{v}");
            assert_eq!(v["field"], json!(field), "{v}");
            assert_eq!(v["message"], messages[kind], "{kind}");
            assert_eq!(
                v.as_object().unwrap().len(),
                3,
                "exactly kind, message, field (lints only when the inputs are at fault): {v}"
            );
        }
    }
}
