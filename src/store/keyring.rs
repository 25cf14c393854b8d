//! The operating system's credential store: Windows Credential Manager,
//! the macOS login keychain, the Linux Secret Service. One item per profile:
//! service `autotask-connect`, account = the profile name.
//!
//! Every call here blocks (D-Bus round trips, keychain prompts): async
//! callers run them with `spawn_blocking`. Nothing here ever falls back to
//! a file: when the store cannot be used, the caller gets a [`StoreError`]
//! saying why and what to do.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use serde::Serialize;

use crate::credentials::Secret;

/// The service name every profile's item is stored under: a public
/// contract (other tools read secrets by it).
pub(crate) const SERVICE: &str = "autotask-connect";

/// Where health probes are written, apart from real profiles.
const PROBE_SERVICE: &str = "autotask-connect-health-probe";

/// Windows Credential Manager persistence for new items: `Local` keeps the
/// secret on this computer. The store's default, `Enterprise`, roams it to
/// every computer the user's domain profile reaches.
const WINDOWS_PERSISTENCE: &str = "Local";

/// Whether the native store tells item names apart by case. Credential
/// Manager does not (`Contoso@autotask-connect` and `contoso@autotask-connect`
/// are one item); the keychain and the Secret Service match exactly.
pub(crate) fn native_names_ignore_case() -> bool {
    cfg!(target_os = "windows")
}

/// A profile name as Credential Manager compares item names: each character
/// upper-cased by its simple (one-character) mapping, as Windows' own
/// `RtlUpcaseUnicodeChar` does, so "Müller" and "MÜLLER" are one name while
/// "ß" stays itself. Profiles are kept unique by it on every system, so a
/// set of profiles moves between systems without two becoming one item.
pub(crate) fn fold_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(u), None) => u,
                _ => c,
            }
        })
        .collect()
}

/// Why the credential store cannot be used, by what the technician can do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
// One vocabulary: `store_problem.kind` in JSON is the error's own kind.
#[serde(tag = "kind")]
pub enum StoreError {
    #[error(
        "There is no D-Bus session, so the Secret Service (the keyring that holds secrets on \
         Linux) cannot be reached. Run Autotask Connect inside your desktop session; on a server \
         or over SSH, start one with `dbus-run-session -- bash` and unlock a keyring in it \
         (`gnome-keyring-daemon --unlock`)."
    )]
    #[serde(rename = "store_no_session")]
    NoSession { detail: String },
    #[error(
        "No Secret Service provider is running, so there is nowhere safe to keep the secret. \
         Install and start one — on Debian/Ubuntu `sudo apt install gnome-keyring`, then log out \
         and back in (KeePassXC with its Secret Service integration also works)."
    )]
    #[serde(rename = "store_no_provider")]
    NoProvider { detail: String },
    #[error(
        "The keyring has no default collection to store secrets in. Open Passwords and Keys \
         (Seahorse), create a password keyring (File › New › Password Keyring) and set it as \
         the default, then try again."
    )]
    #[serde(rename = "store_no_default_collection")]
    NoDefaultCollection { detail: String },
    #[error(
        "The keyring is locked and could not be unlocked here. Unlock it — log in to the desktop \
         session, open Passwords and Keys and unlock the login keyring, or run \
         `gnome-keyring-daemon --unlock` — then try again."
    )]
    #[serde(rename = "store_locked")]
    Locked { detail: String },
    #[error(
        "Access to the credential store was refused (on macOS: the keychain prompt was denied). \
         Allow Autotask Connect to use the login keychain, then try again."
    )]
    #[serde(rename = "store_access_denied")]
    AccessDenied { detail: String },
    #[error(
        "The credential store holds an item for this profile that is not a readable secret. \
         Delete the profile and save it again with the secret from Autotask."
    )]
    #[serde(rename = "store_unreadable")]
    Unreadable { detail: String },
    #[error("The credential store failed: {detail}")]
    #[serde(rename = "store_failed")]
    Platform { detail: String },
}

impl StoreError {
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::NoSession { .. } => "store_no_session",
            StoreError::NoProvider { .. } => "store_no_provider",
            StoreError::NoDefaultCollection { .. } => "store_no_default_collection",
            StoreError::Locked { .. } => "store_locked",
            StoreError::AccessDenied { .. } => "store_access_denied",
            StoreError::Unreadable { .. } => "store_unreadable",
            StoreError::Platform { .. } => "store_failed",
        }
    }
}

fn detail_of(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

/// Classifies a keyring error. The platform errors are matched on the
/// Secret Service's own error types and D-Bus error names where possible.
fn classify(e: keyring_core::Error) -> StoreError {
    use keyring_core::Error as K;
    match e {
        K::NoStorageAccess(inner) => {
            let detail = detail_of(inner.as_ref());
            let lower = detail.to_ascii_lowercase();
            if cfg!(target_os = "linux") && (lower.contains("locked") || lower.contains("prompt")) {
                StoreError::Locked { detail }
            } else if cfg!(target_os = "linux") && lower.contains("result not returned") {
                StoreError::NoDefaultCollection { detail }
            } else if cfg!(target_os = "linux") {
                StoreError::Locked { detail }
            } else {
                StoreError::AccessDenied { detail }
            }
        }
        K::PlatformFailure(inner) => classify_platform(detail_of(inner.as_ref())),
        K::BadEncoding(_) | K::BadDataFormat(..) => StoreError::Unreadable {
            detail: "the stored value is not text".into(),
        },
        other => StoreError::Platform {
            detail: other.to_string(),
        },
    }
}

fn classify_platform(detail: String) -> StoreError {
    let lower = detail.to_ascii_lowercase();
    if !cfg!(target_os = "linux") {
        return StoreError::Platform { detail };
    }
    if lower.contains("serviceunknown")
        || lower.contains("service unknown")
        || lower.contains("org.freedesktop.secrets was not provided")
        || lower.contains("no secret service provider")
    {
        StoreError::NoProvider { detail }
    } else if lower.contains("failed to connect")
        || lower.contains("dbus_session_bus_address")
        || lower.contains("address")
        || lower.contains("no such file or directory")
        || lower.contains("connection refused")
    {
        StoreError::NoSession { detail }
    } else if lower.contains("nosuchobject") || lower.contains("no such object") {
        StoreError::NoDefaultCollection { detail }
    } else if lower.contains("prompt") || lower.contains("locked") || lower.contains("dismissed") {
        StoreError::Locked { detail }
    } else {
        StoreError::Platform { detail }
    }
}

/// A credential store: the native one, or keyring-core's in-memory mock
/// for unit tests. Each instance is independent (no process-wide default).
#[derive(Clone)]
pub struct Keyring {
    store: Arc<CredentialStore>,
    backend: &'static str,
    names_ignore_case: bool,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("backend", &self.backend)
            .finish()
    }
}

/// The native store's name, for `doctor` and the README.
pub fn native_backend() -> &'static str {
    if cfg!(target_os = "windows") {
        "Windows Credential Manager"
    } else if cfg!(target_os = "macos") {
        "macOS login keychain"
    } else {
        "Secret Service (D-Bus)"
    }
}

impl Keyring {
    /// Connects to the operating system's store. Blocking.
    pub fn native() -> Result<Keyring, StoreError> {
        #[cfg(target_os = "linux")]
        let store: Result<Arc<CredentialStore>, _> =
            zbus_secret_service_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>);
        #[cfg(target_os = "windows")]
        let store: Result<Arc<CredentialStore>, _> =
            windows_native_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>);
        #[cfg(target_os = "macos")]
        let store: Result<Arc<CredentialStore>, _> =
            apple_native_keyring_store::keychain::Store::new().map(|s| s as Arc<CredentialStore>);
        #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
        let store: Result<Arc<CredentialStore>, keyring_core::Error> = Err(
            keyring_core::Error::NotSupportedByStore("no credential store on this platform".into()),
        );
        Ok(Keyring {
            store: store.map_err(classify)?,
            backend: native_backend(),
            names_ignore_case: native_names_ignore_case(),
        })
    }

    /// An in-memory store (keyring-core's mock) for unit tests.
    pub fn in_memory() -> Keyring {
        Keyring {
            store: keyring_core::mock::Store::new().expect("mock store") as Arc<CredentialStore>,
            backend: "in-memory (tests only)",
            names_ignore_case: false,
        }
    }

    /// The demo tenant's store: in memory, gone when the technician leaves
    /// the demo or closes the app. Never the operating system's store.
    pub fn demo() -> Keyring {
        Keyring {
            store: keyring_core::mock::Store::new().expect("mock store") as Arc<CredentialStore>,
            backend: "demo tenant's memory (gone when you leave the demo)",
            names_ignore_case: false,
        }
    }

    /// An in-memory store that, like Credential Manager, treats names that
    /// differ only by case as one item: the Windows decisions, testable anywhere.
    #[cfg(test)]
    pub(crate) fn in_memory_ignoring_case() -> Keyring {
        Keyring {
            store: keyring_core::mock::Store::new().expect("mock store") as Arc<CredentialStore>,
            backend: "in-memory, names ignore case (tests only)",
            names_ignore_case: true,
        }
    }

    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Whether profile names `a` and `b` are one item in this store, so
    /// that writing one and deleting the other would delete both.
    pub(crate) fn same_item(&self, a: &str, b: &str) -> bool {
        a == b || (self.names_ignore_case && fold_name(a) == fold_name(b))
    }

    fn entry(&self, service: &str, account: &str) -> Result<Entry, StoreError> {
        // The in-memory stand-in for a store that ignores case folds names,
        // so that two spellings reach one item as they do in Credential Manager.
        let folded;
        let account = if self.names_ignore_case && self.backend != native_backend() {
            folded = fold_name(account);
            folded.as_str()
        } else {
            account
        };
        let label = format!("Autotask Connect: API secret of profile \"{account}\"");
        let target = format!("{account}@{service}");
        let mut modifiers: HashMap<&str, &str> = HashMap::new();
        if self.backend == native_backend() {
            if cfg!(target_os = "linux") {
                modifiers.insert("label", &label);
            }
            // Python keyring on Windows looks for "user@service" targets.
            if cfg!(target_os = "windows") {
                modifiers.insert("target", &target);
                modifiers.insert("persistence", WINDOWS_PERSISTENCE);
            }
        }
        let modifiers = (!modifiers.is_empty()).then_some(&modifiers);
        self.store
            .build(service, account, modifiers)
            .map_err(classify)
    }

    /// Stores (or replaces) the secret of profile `account`.
    pub fn set(&self, account: &str, secret: &Secret) -> Result<(), StoreError> {
        self.entry(SERVICE, account)?
            .set_password(secret.expose())
            .map_err(classify)
    }

    /// The secret of profile `account`, `None` when there is no item.
    pub fn get(&self, account: &str) -> Result<Option<Secret>, StoreError> {
        match self.entry(SERVICE, account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    /// Whether profile `account` has an item. A credential lookup, not a
    /// read: listing profiles does not pull every secret into this process
    /// (the Secret Service answers from a search of attributes).
    pub fn has(&self, account: &str) -> Result<bool, StoreError> {
        match self.entry(SERVICE, account)?.get_credential() {
            Ok(_) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(classify(e)),
        }
    }

    /// Deletes the item; `false` when there was none.
    pub fn delete(&self, account: &str) -> Result<bool, StoreError> {
        match self.entry(SERVICE, account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(classify(e)),
        }
    }

    /// Writes, reads back and deletes a probe item: proof the store works,
    /// where a mere read of a missing item would prove nothing.
    pub(crate) fn self_test(&self) -> Result<(), StoreError> {
        let account = format!("probe-{}", std::process::id());
        let value = format!(
            "probe-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        );
        let entry = self.entry(PROBE_SERVICE, &account)?;
        entry.set_password(&value).map_err(classify)?;
        let read = entry.get_password().map_err(classify);
        let deleted = entry.delete_credential().map_err(classify);
        match read {
            Ok(v) if v == value => deleted,
            Ok(_) => Err(StoreError::Platform {
                detail: "the probe item read back differently from what was written".into(),
            }),
            Err(e) => Err(e),
        }
    }
}

/// The store's state as `doctor` reports it.
#[derive(Clone, Debug)]
pub struct StoreHealth {
    pub backend: &'static str,
    pub ok: bool,
    pub problem: Option<StoreError>,
    /// The problem's sentence (with the fix), when there is one.
    pub message: Option<String>,
}

/// Connects to the native store and runs the self-test. Blocking.
pub fn native_health() -> StoreHealth {
    let result = Keyring::native().and_then(|k| k.self_test());
    let message = result.as_ref().err().map(ToString::to_string);
    StoreHealth {
        backend: native_backend(),
        ok: result.is_ok(),
        problem: result.err(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_round_trip() {
        let k = Keyring::in_memory();
        assert!(k.get("a").unwrap().is_none());
        k.set("a", &Secret::new(" exact *#$~@ bytes ".into()))
            .unwrap();
        assert_eq!(k.get("a").unwrap().unwrap().expose(), " exact *#$~@ bytes ");
        assert!(k.has("a").unwrap());
        assert!(!k.has("b").unwrap());
        assert!(k.delete("a").unwrap());
        assert!(!k.has("a").unwrap());
        assert!(!k.delete("a").unwrap());
        k.self_test().unwrap();
    }

    #[test]
    fn names_that_differ_by_case_are_one_item_only_where_the_store_ignores_case() {
        let windows_like = Keyring::in_memory_ignoring_case();
        assert!(windows_like.same_item("Contoso", "contoso"));
        assert!(windows_like.same_item("Müller Zürich", "MÜLLER ZÜRICH"));
        assert!(!windows_like.same_item("Contoso", "Contoso 2"));
        let exact = Keyring::in_memory();
        assert!(exact.same_item("Contoso", "Contoso"));
        assert!(!exact.same_item("Contoso", "contoso"));
        assert_eq!(native_names_ignore_case(), cfg!(target_os = "windows"));
    }

    #[test]
    fn linux_errors_are_classified_by_what_to_do() {
        if !cfg!(target_os = "linux") {
            return;
        }
        let p = |s: &str| classify_platform(s.to_string()).kind();
        assert_eq!(
            p(
                "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files"
            ),
            "store_no_provider"
        );
        assert_eq!(
            p("zbus error: I/O error: Failed to connect to address"),
            "store_no_session"
        );
        assert_eq!(p("something else entirely"), "store_failed");
    }

    #[test]
    fn a_store_problem_in_json_has_the_errors_own_kind() {
        let d = || "d".to_string();
        for e in [
            StoreError::NoSession { detail: d() },
            StoreError::NoProvider { detail: d() },
            StoreError::NoDefaultCollection { detail: d() },
            StoreError::Locked { detail: d() },
            StoreError::AccessDenied { detail: d() },
            StoreError::Unreadable { detail: d() },
            StoreError::Platform { detail: d() },
        ] {
            assert_eq!(serde_json::to_value(&e).unwrap()["kind"], e.kind());
        }
    }
}
