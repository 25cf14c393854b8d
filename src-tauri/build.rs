// Only the commands listed here exist for the page, each behind an
// `allow-<command>` permission that capabilities/default.json grants.
const COMMANDS: &[&str] = &[
    "app_info",
    "app_ready",
    "derive_zone",
    "form_state",
    "form_edited",
    "set_secret",
    "paste_block",
    "use_demo",
    "start_demo",
    "leave_demo",
    "run_check",
    "report_text",
    "save_profile",
    "list_profiles",
    "load_profile",
    "script_snippets",
    "rename_profile",
    "delete_profile",
    "check_profile",
    "rotate_profile",
    "store_health",
    "open_link",
    "vendors",
    "form_handoff",
    "profile_handoff",
    "copy_value",
    "copy_report",
    "copy_text",
    "save_report",
    "clear_form",
    "adopt_found_zone",
    "profile_webhooks",
    "check_signature",
    // Updates: offered by the page, installed only on the technician's click.
    "check_update",
    "install_update",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build");
}
