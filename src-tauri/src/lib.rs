//! Autotask Connect's desktop shell: a Tauri window over the core library.
//! `commands` are adapters; `ipc` decides what crosses to the page;
//! `state` holds the one HTTPS client, the setup form and the clipboard;
//! `clipboard` copies hand-off values (a secret marked sensitive, cleared later); `update` offers
//! signed updates and installs one on the technician's click; `rendering` picks
//! how the page is painted (before any thread starts, from main).

mod clipboard;
mod commands;
mod ipc;
pub mod rendering;
mod state;
mod update;

use std::time::Instant;

use tauri::{Manager, RunEvent};

pub fn run() {
    let started = Instant::now();
    tauri::Builder::default()
        // Links open only through our own `open_link` command (Autotask's
        // hosts); no script is injected into the page to open clicked links.
        .plugin(
            tauri_plugin_opener::Builder::new()
                .open_js_links_on_click(false)
                .build(),
        )
        // The system's save dialog, used from Rust only (Save report…); the
        // page gets no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        // Signed updates (the key is in tauri.conf.json); only our own
        // commands use it, and only after the technician clicks Install.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(update::Offered::default())
        .manage(state::AppState::from_env(started))
        .setup(|app| {
            clear_clipboard_on_signals(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::app_ready,
            commands::derive_zone,
            commands::form_state,
            commands::form_edited,
            commands::set_secret,
            commands::paste_block,
            commands::use_demo,
            commands::start_demo,
            commands::leave_demo,
            commands::run_check,
            commands::report_text,
            commands::copy_report,
            commands::copy_text,
            commands::save_report,
            commands::clear_form,
            commands::adopt_found_zone,
            commands::save_profile,
            commands::list_profiles,
            commands::load_profile,
            commands::script_snippets,
            commands::rename_profile,
            commands::delete_profile,
            commands::check_profile,
            commands::rotate_profile,
            commands::store_health,
            commands::open_link,
            commands::vendors,
            commands::form_handoff,
            commands::profile_handoff,
            commands::copy_value,
            commands::profile_webhooks,
            commands::check_signature,
            update::check_update,
            update::install_update,
        ])
        .build(tauri::generate_context!())
        .expect("Autotask Connect could not start its window")
        .run(|app, event| {
            // Closing the last window and quitting both end here: a secret
            // this app copied must not outlive it on the clipboard.
            if let RunEvent::Exit = event {
                app.state::<state::AppState>().clipper().clear_now();
            }
        });
}

/// SIGTERM, SIGINT and SIGHUP (a logout, `kill`, Ctrl-C in a terminal) end
/// the app through its normal exit, so the clipboard is cleared first; the
/// exit status says which signal it was (128 + N), as the default would.
#[cfg(unix)]
fn clear_clipboard_on_signals(app: tauri::AppHandle) {
    use tokio::signal::unix::{SignalKind, signal};
    for (kind, number) in [
        (SignalKind::terminate(), 15),
        (SignalKind::interrupt(), 2),
        (SignalKind::hangup(), 1),
    ] {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let Ok(mut received) = signal(kind) else {
                return;
            };
            if received.recv().await.is_some() {
                app.state::<state::AppState>().clipper().clear_now();
                app.exit(128 + number);
            }
        });
    }
}

/// Windows and macOS windows are closed, not signalled: `RunEvent::Exit`.
#[cfg(not(unix))]
fn clear_clipboard_on_signals(_app: tauri::AppHandle) {}
