//! Everything that crosses from Rust to the webview is decided here: the
//! one error shape `{kind, message, field, lints}`, and the few views the
//! commands return. A secret never crosses: the page gets `SecretState`
//! (present, length, lints) and `ProfileView::has_secret`.

use autotask_connect::credentials::{Field, Lint};
use autotask_connect::error::Error;
use autotask_connect::profile::ProfileError;
use serde::Serialize;

/// The error every command returns, built only here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// Stable identifier the page switches on.
    pub kind: String,
    /// The sentence shown to the technician, with what to do.
    pub message: String,
    /// The form field it belongs next to, if any.
    pub field: Option<Field>,
    /// Every finding about the inputs, when the inputs are at fault.
    pub lints: Vec<Lint>,
}

impl From<Error> for IpcError {
    fn from(e: Error) -> IpcError {
        IpcError {
            kind: e.kind().to_string(),
            message: e.to_string(),
            field: e.field(),
            lints: e.lints().to_vec(),
        }
    }
}

impl From<ProfileError> for IpcError {
    fn from(e: ProfileError) -> IpcError {
        IpcError::from(Error::from(e))
    }
}

impl IpcError {
    /// For failures of the shell itself (a task that died).
    pub fn internal(message: impl Into<String>) -> IpcError {
        IpcError {
            kind: "internal".into(),
            message: message.into(),
            field: None,
            lints: Vec::new(),
        }
    }

    /// A link the page asked to open that is not Autotask's.
    pub fn link_refused() -> IpcError {
        IpcError {
            kind: "link_refused".into(),
            message: "Only Autotask's own pages (https://…autotask.net) open from here.".into(),
            field: None,
            lints: Vec::new(),
        }
    }
}

/// What the page learns about the app at start.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
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
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoView {
    pub zone: String,
    pub username: String,
    pub integration_code: String,
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
                "lints": [],
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
            (json(Error::SecretMissing), "secret_missing", Some("secret")),
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
        for (v, kind, field) in pinned {
            assert_eq!(v["kind"], kind, "{v}");
            assert_eq!(v["field"], json!(field), "{v}");
            assert!(v["message"].as_str().unwrap().len() > 20, "{v}");
            assert_eq!(
                v.as_object().unwrap().len(),
                4,
                "exactly kind, message, field, lints: {v}"
            );
        }
    }
}
