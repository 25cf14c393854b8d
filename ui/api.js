// The only module that talks to Rust: every command name lives here.
// Errors arrive as { kind, message, field } (+ lints when the inputs are at fault, reason for a
// refused zone): the core's one error view (src/view/error.rs), the same as the CLI's --json.

const tauri = window.__TAURI__;

function invoke(command, args) {
  return tauri.core.invoke(command, args);
}

/** Runs a streaming command: `onStep` sees each step as it starts and ends. */
function streaming(command, args, onStep) {
  const channel = new tauri.core.Channel();
  channel.onmessage = onStep;
  return invoke(command, { ...args, onStep: channel });
}

// Form commands answer with the form's state: { result, form } (view::Answer),
// or the FormState itself; render.js draws it.

export const appInfo = () => invoke("app_info");
export const appReady = () => invoke("app_ready");
export const deriveZone = (input) => invoke("derive_zone", { input });
/** The form's state at start-up. */
export const formState = () => invoke("form_state");
/** What was typed: { result: lints, form }. */
export const formEdited = (fields, untested) => invoke("form_edited", { fields, untested });
/** Hands the secret to Rust. It never comes back; only its state does (in the form's). */
export const setSecret = (secret) => invoke("set_secret", { secret });
/** Any paste into a field: Rust decides where each value goes; `focused` is the field's id. */
export const pasteBlock = (text, focused) => invoke("paste_block", { text, focused });
export const useDemo = () => invoke("use_demo");
/** Starts the demo tenant inside the app and fills the form with its credentials. */
export const startDemo = () => invoke("start_demo");
export const leaveDemo = () => invoke("leave_demo");
/**
 * `fields.entities` is what the integration needs. `consent` is what the technician said yes to
 * when Rust's door asked: { person_login, secret_length, force } (each only after a yes).
 */
export const runCheck = (fields, consent, onStep) =>
  streaming("run_check", { fields, consent }, onStep);
export const reportText = () => invoke("report_text");
/** The report onto the clipboard, written by Rust. */
export const copyReport = () => invoke("copy_report");
/** The report to a file picked in the system's save dialog; `{ path: null }` when cancelled. */
export const saveReport = () => invoke("save_report");
/** Text that holds no secret (a script snippet) onto the clipboard, by Rust. */
export const copyText = (text) => invoke("copy_text", { text });
/** Clear form: Rust drops the held secret and the last check too. */
export const clearForm = () => invoke("clear_form");
/** "Use zone N": the fields with the zone the last passing check found. */
export const adoptFoundZone = (fields) => invoke("adopt_found_zone", { fields });
export const saveProfile = (name, fields, untested, replace) =>
  invoke("save_profile", { name, fields, untested, replace });
export const listProfiles = () => invoke("list_profiles");
export const loadProfile = (name) => invoke("load_profile", { name });
/** "Use in a script" texts for a saved profile; none holds the secret. */
export const scriptSnippets = (name) => invoke("script_snippets", { name });
export const renameProfile = (oldName, newName) => invoke("rename_profile", { old: oldName, new: newName });
export const deleteProfile = (name) => invoke("delete_profile", { name });
export const checkProfile = (name, consent, onStep) => streaming("check_profile", { name, consent }, onStep);
/** Resolves to { rotated, message, check }: whether the new secret replaced the stored one, and why. */
export const rotateProfile = (name, consent, onStep) => streaming("rotate_profile", { name, consent }, onStep);
/** The webhook doctor for a saved profile (read-only, through Rust's door: `consent` as for checks). */
export const profileWebhooks = (name, consent) => invoke("profile_webhooks", { name, consent });
/** A callout's payload against its X-Hook-Signature; the key goes to Rust once and never back. */
export const checkSignature = (payload, signature, key) => invoke("check_signature", { payload, signature, key });
export const storeHealth = () => invoke("store_health");
export const openLink = (url) => invoke("open_link", { url });
/** The presets for "Who will use this API user?" (from Rust's vendors file). */
export const vendors = () => invoke("vendors");
/** The values for the chosen vendor's form after a passing check; the secret's value is null. */
export const formHandoff = (fields) => invoke("form_handoff", { fields });
export const profileHandoff = (name) => invoke("profile_handoff", { name });
/**
 * Copies one hand-off value in Rust (a secret never comes to the page).
 * `source` is { from: "form", fields } or { from: "profile", name }.
 */
export const copyValue = (source, index) => invoke("copy_value", { source, index });
/** Whether a new version is offered: `{ state: off|current|available|unchecked, current, version, message }`. */
export const checkUpdate = () => invoke("check_update");
/** Downloads, verifies and installs the offered version, then restarts (only on the technician's click). */
export const installUpdate = () => invoke("install_update");
