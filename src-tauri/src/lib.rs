//! Autotask Connect's desktop shell: a Tauri window over the core library.
//! `commands` are adapters; `ipc` decides what crosses to the page;
//! `state` holds the one HTTPS client, the setup form and the clipboard;
//! `clipboard` copies hand-off values (a secret marked sensitive, cleared later); `rendering` picks
//! how the page is painted (before any thread starts, from main).

mod clipboard;
mod commands;
mod ipc;
pub mod rendering;
mod state;

use std::time::Instant;

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
        .manage(state::AppState::from_env(started))
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::app_ready,
            commands::derive_zone,
            commands::lint_fields,
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
        ])
        .run(tauri::generate_context!())
        .expect("Autotask Connect could not start its window");
}
