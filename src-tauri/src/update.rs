//! Updates: the window offers a new version and installs it only when the
//! technician clicks Install; tauri-plugin-updater checks the package's
//! signature against the update key in tauri.conf.json (and the version it
//! was signed for, `requireSignedVersion`) before anything is installed. An
//! administrator's policy (`autotask_connect::updates`) turns all of it off.

use std::sync::Mutex;

use autotask_connect::updates::{self, Updates};
use autotask_connect::view::ErrorView;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

use crate::ipc::IpcError;

/// A build that honours test hooks (debug builds, what `cargo run` and the
/// E2E tests start, and the start-up benchmark's env-routing build) was not
/// put there by an installer: it offers no update and asks no release server
/// (so no test or measurement depends on one). Installer builds, and the
/// update test's release builds, do.
const OFFERS_UPDATES: bool = !crate::state::HONOURS_TEST_HOOKS;

/// The update found by the last check, kept for Install.
#[derive(Default)]
pub(crate) struct Offered(Mutex<Option<Update>>);

/// What the page shows about updates.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct UpdateOffer {
    /// `off`, `current`, `available` or `unchecked` (the check failed).
    pub state: &'static str,
    pub current: String,
    /// The new version, when `available`.
    pub version: Option<String>,
    /// Why it is off, or why the check failed.
    pub message: Option<String>,
}

/// Where this build's updater looks (tauri.conf.json), for the policy's
/// description.
fn endpoint(app: &AppHandle) -> String {
    app.config()
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("endpoints"))
        .and_then(|e| e.get(0))
        .and_then(|e| e.as_str())
        .unwrap_or(updates::RELEASES_ENDPOINT)
        .to_string()
}

#[tauri::command]
pub(crate) async fn check_update(
    app: AppHandle,
    offered: State<'_, Offered>,
) -> Result<UpdateOffer, IpcError> {
    let current = app.package_info().version.to_string();
    if !OFFERS_UPDATES {
        return Ok(UpdateOffer {
            state: "off",
            current,
            version: None,
            message: Some(
                "This development or test build is not updated; installed builds are.".into(),
            ),
        });
    }
    let policy = updates::policy_for(&endpoint(&app));
    if let Updates::Off { .. } = policy {
        return Ok(UpdateOffer {
            state: "off",
            current,
            version: None,
            message: Some(format!("Updates are {}.", policy.describe())),
        });
    }
    let found = match app.updater() {
        Ok(updater) => updater.check().await,
        Err(e) => Err(e),
    };
    Ok(match found {
        Ok(Some(update)) => {
            let version = update.version.clone();
            *offered.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(update);
            UpdateOffer {
                state: "available",
                current,
                version: Some(version),
                message: None,
            }
        }
        Ok(None) => UpdateOffer {
            state: "current",
            current,
            version: None,
            message: None,
        },
        // Not an alarm: offline, or the release server is down. Nothing changes.
        Err(e) => UpdateOffer {
            state: "unchecked",
            current,
            version: None,
            message: Some(format!("Could not check for a new version: {e}")),
        },
    })
}

/// Downloads the offered update, has the plugin verify its signature, installs
/// it and restarts into it. Only ever called from the page's Install button.
#[tauri::command]
pub(crate) async fn install_update(
    app: AppHandle,
    offered: State<'_, Offered>,
) -> Result<(), IpcError> {
    if !OFFERS_UPDATES || !updates::policy_for(&endpoint(&app)).enabled() {
        return Err(IpcError(ErrorView::new(
            "updates_off",
            "Updates are turned off for this build or on this computer. Nothing was installed.",
        )));
    }
    // Ask again: what was offered minutes ago may have changed, and what is
    // installed must be what the release server offers now.
    let update = match app.updater().map_err(refused)?.check().await {
        Ok(Some(update)) => update,
        Ok(None) => {
            return Err(IpcError(ErrorView::new(
                "update_gone",
                "The new version is no longer offered. Nothing was installed.",
            )));
        }
        Err(e) => return Err(refused(e)),
    };
    *offered.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    update
        .download_and_install(|_, _| {}, || {})
        .await
        .map_err(refused)?;
    // The clipboard promise holds across the restart, too.
    app.state::<crate::state::AppState>().clipper().clear_now();
    app.restart();
}

/// An update that was not installed, in words the technician can act on.
/// Whatever failed, the running version stays as it was.
fn refused(e: UpdaterError) -> IpcError {
    let kept = "Nothing was installed; this version keeps running.";
    let (kind, message) = match &e {
        UpdaterError::Minisign(_)
        | UpdaterError::Base64(_)
        | UpdaterError::SignatureUtf8(_)
        | UpdaterError::SignedVersionMismatch { .. }
        | UpdaterError::MissingSignedVersion => (
            "update_signature_refused",
            format!(
                "The update was refused: its signature does not match Autotask Connect's update \
                 key ({e}). {kept} Someone may have altered it on the way: try again later, or \
                 download the installer from the project's releases page."
            ),
        ),
        UpdaterError::InvalidUpdaterFormat => (
            "update_not_a_package",
            format!("The update was refused: the download is not an installer package. {kept}"),
        ),
        UpdaterError::AuthenticationFailed
        | UpdaterError::PackageInstallFailed
        | UpdaterError::DebInstallFailed => (
            "update_install_failed",
            format!(
                "The update was downloaded and verified, but the system's package manager did \
                 not install it (installing for every user of this computer needs an \
                 administrator's password). {kept}"
            ),
        ),
        _ => (
            "update_failed",
            format!("The update could not be downloaded or installed: {e}. {kept}"),
        ),
    };
    IpcError(ErrorView::new(kind, message))
}
