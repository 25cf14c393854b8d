//! The commands the page can invoke: each takes state, calls the core, and
//! converts the error once (into [`IpcError`]). No logic lives here.

use autotask_connect::check::{self, Consent, Door, Report, Step};
use autotask_connect::credentials::{Field, Lint, Secret};
use autotask_connect::form::{Fields, Form, SecretSource, Subject};
use autotask_connect::handoff::{self, Handoff};
use autotask_connect::profile::{ProfileError, ProfileName, ProfileView, Profiles, blocking};
use autotask_connect::report::{self, Context};
use autotask_connect::store::keyring;
use autotask_connect::vendors::{self, Kind};
use autotask_connect::view;
use autotask_connect::zone;
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;
use tauri_plugin_opener::OpenerExt;

use crate::clipboard::ClipboardError;
use crate::ipc::{AppInfo, DemoFill, DemoStarted, IpcError};
use crate::state::{AppState, LastCheck};

type Result<T> = std::result::Result<T, IpcError>;

#[tauri::command]
pub(crate) fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// The page calls this once its form is interactive (start-up benchmark).
#[tauri::command]
pub(crate) fn app_ready(state: State<'_, AppState>) {
    state.mark_ready();
}

/// The zone as the technician types; `None` for an empty field (discover).
#[tauri::command]
pub(crate) fn derive_zone(input: String) -> Result<Option<view::ZoneSummary>> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    let zone = zone::parse(&input).map_err(autotask_connect::error::Error::from)?;
    Ok(Some(view::ZoneSummary::from(&zone.summary())))
}

/// The form's state as the page renders it (at start-up).
#[tauri::command]
pub(crate) fn form_state(state: State<'_, AppState>) -> view::FormState {
    state.form_state()
}

/// What was typed (the fields, "Save without a passing test"): the lints of
/// the fields and the form's state after it. A username the ledger has seen
/// pass is not called a person's login.
#[tauri::command]
pub(crate) fn form_edited(
    state: State<'_, AppState>,
    fields: Fields,
    untested: bool,
) -> view::Answer<Vec<Lint>> {
    let lints = match state.form_ledger() {
        Ok(ledger) => Form::lint_knowing(&fields, &ledger),
        Err(_) => Form::lint(&fields),
    };
    state.form().edited(fields, untested);
    answer(&state, lints)
}

/// Pairs a command's result with the form's state after it.
fn answer<T: Serialize>(state: &AppState, result: T) -> view::Answer<T> {
    view::Answer {
        result,
        form: state.form_state(),
    }
}

/// The one crossing of a typed secret. It never comes back.
#[tauri::command]
pub(crate) fn set_secret(state: State<'_, AppState>, secret: Secret) -> view::FormState {
    state.form().set_secret(secret);
    state.form_state()
}

/// A pasted block spread over the form. Real values pasted while in the
/// demo end the demo first: they are not the demo's to test.
#[tauri::command]
pub(crate) fn paste_block(
    state: State<'_, AppState>,
    text: String,
    focused: Field,
) -> view::Answer<view::Pasted> {
    if state.in_demo() && autotask_connect::paste::names_a_real_user(&text, demo_usernames()) {
        state.end_demo();
    }
    let pasted = state.form().paste(&text, focused);
    answer(&state, view::Pasted::from(&pasted))
}

fn demo_usernames() -> impl Fn(&str) -> bool {
    |u: &str| {
        autotask_simulator::demo::USERS
            .iter()
            .any(|(demo, _)| demo.eq_ignore_ascii_case(u))
    }
}

/// Ends the demo: checks go to Autotask again, and the demo's profiles and
/// passing check are gone.
#[tauri::command]
pub(crate) fn leave_demo(state: State<'_, AppState>) -> view::FormState {
    state.end_demo();
    state.form_state()
}

/// Starts the demo tenant inside the app (loopback) and fills the form with
/// its credentials. Until the demo ends, the form, the profiles listed and
/// their checks are the demo's own, apart from everything real.
#[tauri::command]
pub(crate) async fn start_demo(state: State<'_, AppState>) -> Result<view::Answer<DemoStarted>> {
    use autotask_simulator::demo;
    let session = state.demo_session().await.map_err(IpcError::internal)?;
    let fields = Fields {
        zone: format!("https://ww{}.autotask.net/", demo::ZONE),
        username: demo::USERNAME.to_string(),
        integration_code: demo::INTEGRATION_CODE.to_string(),
        vendor: vendors::CUSTOM.to_string(),
        entities: vec![],
    };
    {
        let mut form = state.form();
        form.clear();
        form.hold(Secret::new(demo::SECRET.to_string()), SecretSource::Demo);
        form.show_fields(fields.clone());
    }
    Ok(answer(
        &state,
        DemoStarted {
            fields: view::Fields::from(&fields),
            route: format!("127.0.0.1:{}", session.port),
        },
    ))
}

/// Fills the demo tenant's credentials; its secret is set on the Rust side.
#[tauri::command]
pub(crate) fn use_demo(state: State<'_, AppState>) -> Result<view::Answer<DemoFill>> {
    let (fields, secret) = state
        .demo_credentials()
        .ok_or_else(|| IpcError::internal("No demo tenant is running."))?;
    state.form().hold(secret, SecretSource::Demo);
    Ok(answer(
        &state,
        DemoFill {
            fields: view::Fields::from(&fields),
        },
    ))
}

/// What the technician answered to the door's questions (the page asks,
/// with the safe answer as the default, and sends the yes it got).
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
pub(crate) struct Answers {
    #[serde(default)]
    person_login: bool,
    #[serde(default)]
    secret_length: bool,
    #[serde(default)]
    force: bool,
}

impl From<Answers> for Consent {
    fn from(a: Answers) -> Consent {
        Consent {
            person_login: a.person_login,
            secret_length: a.secret_length,
            force: a.force,
        }
    }
}

/// Runs the check on the form, streaming each step to the page, through
/// the one door (it asks before a risky send: the page answers in `consent`).
#[tauri::command]
pub(crate) async fn run_check(
    state: State<'_, AppState>,
    fields: Fields,
    consent: Answers,
    on_step: Channel<view::Step>,
) -> Result<view::Answer<view::Report>> {
    // The secret's generation is read with the plan: a secret typed while
    // the check runs is not the one its report vouches for.
    let (plan, generation) = {
        let mut form = state.form();
        form.show_fields(fields.clone());
        (form.plan(&fields)?, form.secret_generation())
    };
    let ledger = state.form_ledger().map_err(ProfileError::from)?;
    let transport = state.form_transport();
    let report = Door::new(&ledger, &transport)
        .consent(consent.into())
        .check(&plan, &|s: &Step| {
            let _ = on_step.send(view::Step::from(s));
        })
        .await
        .map_err(autotask_connect::error::Error::from)?;
    state
        .form()
        .record(fields.clone(), generation, report.clone());
    state.remember(LastCheck {
        report: report.clone(),
        vendor: plan.vendor().id.clone(),
        zone_input: fields.zone,
        username: fields.username,
        integration_code: fields.integration_code,
        at: autotask_connect::store::config::now(),
    });
    Ok(answer(&state, view::Report::from(&report)))
}

/// The presets for "Who will use this API user?", with their guides.
#[tauri::command]
pub(crate) fn vendors() -> Vec<view::Vendor> {
    vendors::all().iter().map(view::Vendor::from).collect()
}

/// The values for the chosen vendor's form, from the last passing check of
/// exactly these fields (the secret's value is `null`).
#[tauri::command]
pub(crate) fn form_handoff(state: State<'_, AppState>, fields: Fields) -> Result<view::Handoff> {
    Ok(view::Handoff::from(&state.form().handoff(&fields)?))
}

/// The values for a saved profile's vendor form (the secret's value is `null`).
#[tauri::command]
pub(crate) async fn profile_handoff(
    state: State<'_, AppState>,
    name: String,
) -> Result<view::Handoff> {
    Ok(view::Handoff::from(&saved_handoff(&state, name).await?))
}

async fn saved_handoff(
    state: &AppState,
    name: String,
) -> std::result::Result<Handoff, autotask_connect::error::Error> {
    use autotask_connect::credentials::Username;
    let profiles = profiles(state).await?;
    let view = blocking(move || profiles.show(&name)).await?;
    let vendor = vendors::find(&view.vendor)?;
    let entered = view
        .tenant
        .as_ref()
        .map(|t| t.api_url.clone())
        .or(view.zone_input.clone());
    let zone = match entered.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(z) => Some(zone::parse(z)?),
    };
    let mut lints = Vec::new();
    let username = Username::parse(&view.username, &mut lints)
        .ok_or(autotask_connect::check::InputError::Lints(lints))?;
    let zone = check::zone_for(&state.profile_transport(), zone, &username).await?;
    let code = (!vendor.bound && !view.integration_code.is_empty())
        .then_some(view.integration_code.as_str());
    Ok(handoff::build(
        vendor,
        &handoff::Source {
            zone,
            username: username.as_str(),
            integration_code: code,
        },
    ))
}

/// Where a Copy button's value comes from.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", tag = "from")]
pub(crate) enum CopySource {
    /// The form, after a passing check of exactly these fields.
    Form { fields: Fields },
    /// A saved profile; its secret is read from the credential store now.
    Profile { name: String },
}

/// Copies one hand-off value to the clipboard, in Rust: for the secret,
/// marked sensitive and cleared after the delay if still there.
#[tauri::command]
pub(crate) async fn copy_value(
    state: State<'_, AppState>,
    source: CopySource,
    index: usize,
) -> Result<view::Copied> {
    let handoff = match &source {
        CopySource::Form { fields } => state.form().handoff(fields)?,
        CopySource::Profile { name } => saved_handoff(&state, name.clone()).await?,
    };
    let field = handoff
        .fields
        .get(index)
        .ok_or_else(|| IpcError::internal("There is no such value to copy."))?
        .clone();
    let clipper = state.clipper();
    if field.kind == Kind::Secret {
        let secret = match source {
            CopySource::Form { fields } => state.form().secret_for_handoff(&fields)?,
            CopySource::Profile { name } => {
                let profiles = profiles(&state).await?;
                let (_, _, secret) = blocking(move || profiles.load(&name)).await?;
                std::sync::Arc::new(secret)
            }
        };
        clipper.copy_secret(secret.expose())?;
        return Ok(view::Copied {
            label: field.label,
            sensitive: true,
            clears_in_seconds: Some(clipper.clear_after().as_secs()),
        });
    }
    let value = field
        .value
        .ok_or_else(|| IpcError::internal("This value is not known yet."))?;
    clipper.copy(&value)?;
    Ok(view::Copied {
        label: field.label,
        sensitive: false,
        clears_in_seconds: None,
    })
}

impl From<ClipboardError> for IpcError {
    fn from(e: ClipboardError) -> IpcError {
        IpcError(view::ErrorView::new(e.kind(), e.to_string()))
    }
}

/// The redacted support report of the last check.
#[tauri::command]
pub(crate) fn report_text(state: State<'_, AppState>) -> Result<String> {
    let last = state
        .last()
        .ok_or_else(|| IpcError::internal("Run a check first."))?;
    Ok(report::support_text(
        &last.report,
        &Context {
            app: format!("Autotask Connect {}", env!("CARGO_PKG_VERSION")),
            os: report::os_description(),
            zone_input: Some(last.zone_input),
            username: last.username,
            integration_code: last.integration_code,
            at: last.at,
            checklist: vendors::find(&last.vendor)
                .map(|v| v.checklist())
                .unwrap_or_default(),
        },
    ))
}

/// Copy report: the redacted support report onto the clipboard, from Rust
/// (WebKitGTK refuses the page's own clipboard).
#[tauri::command]
pub(crate) fn copy_report(state: State<'_, AppState>) -> Result<()> {
    let text = report_text(state.clone())?;
    Ok(state.clipper().copy(&text)?)
}

/// Copies text that holds no secret (a script snippet): the same clipboard
/// as every other copy, not the page's.
#[tauri::command]
pub(crate) fn copy_text(state: State<'_, AppState>, text: String) -> Result<()> {
    Ok(state.clipper().copy(&text)?)
}

/// Where Save report… wrote the report; `None` when the technician cancelled.
#[derive(Serialize)]
pub(crate) struct ReportSaved {
    path: Option<String>,
}

/// Save report…: the redacted support report, to a file the technician
/// picks in the system's save dialog.
#[tauri::command]
pub(crate) async fn save_report(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<ReportSaved> {
    use tauri_plugin_dialog::DialogExt;
    let text = report_text(state)?;
    let name = format!(
        "Autotask connection report {}.txt",
        autotask_connect::store::config::now()
            .get(..10)
            .unwrap_or("")
    );
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Save the connection report")
            .set_file_name(name)
            .add_filter("Text", &["txt"])
            .blocking_save_file()
    })
    .await
    .map_err(|e| IpcError::internal(e.to_string()))?;
    let Some(picked) = picked else {
        return Ok(ReportSaved { path: None });
    };
    let path = picked
        .into_path()
        .map_err(|e| IpcError::internal(format!("The report could not be saved there: {e}")))?;
    std::fs::write(&path, text).map_err(|e| {
        IpcError::internal(format!(
            "The report could not be saved to {}: {e}",
            path.display()
        ))
    })?;
    Ok(ReportSaved {
        path: Some(path.display().to_string()),
    })
}

/// Clear form: the held secret, the last check and the saved profile shown
/// are dropped in Rust too, and a demo ends.
#[tauri::command]
pub(crate) fn clear_form(state: State<'_, AppState>) -> view::FormState {
    state.end_demo();
    state.form().clear();
    state.form_state()
}

/// "Use zone N": the fields with the zone the last passing check found;
/// that check still vouches for them, so Save needs no second login.
#[tauri::command]
pub(crate) fn adopt_found_zone(
    state: State<'_, AppState>,
    fields: Fields,
) -> Result<view::Answer<view::Fields>> {
    let moved = state
        .form()
        .adopt_found_zone(&fields)
        .ok_or_else(|| IpcError::from(autotask_connect::error::Error::HandoffNeedsCheck))?;
    Ok(answer(&state, view::Fields::from(&moved)))
}

/// The saved profiles the window works on: the demo's own in the demo.
async fn profiles(state: &AppState) -> std::result::Result<Profiles, ProfileError> {
    if state.in_demo() {
        return state.profiles();
    }
    blocking(Profiles::open).await
}

#[tauri::command]
pub(crate) async fn save_profile(
    state: State<'_, AppState>,
    name: String,
    fields: Fields,
    untested: bool,
    replace: bool,
) -> Result<view::Answer<view::Saved>> {
    let (new_profile, report) = state.form().new_profile(&name, &fields, untested)?;
    let profiles = profiles(&state).await?;
    // The check that vouched for it comes back with the saved profile.
    let (view, report) = blocking(move || {
        profiles
            .save_vendor(&new_profile, report.as_ref(), replace)
            .map(|view| (view, report))
    })
    .await?;
    // What the form shows now: the saved profile, with the zone that worked.
    let shown = Fields {
        zone: view.zone_input.clone().unwrap_or(fields.zone.clone()),
        ..fields
    };
    state.form().after_save(&view.name, shown);
    Ok(answer(
        &state,
        view::Saved::new(Some(&view), report.as_ref()),
    ))
}

#[tauri::command]
pub(crate) async fn list_profiles(state: State<'_, AppState>) -> Result<view::Listing> {
    let profiles = profiles(&state).await?;
    let listing = blocking(move || profiles.list()).await?;
    Ok(view::Listing::from(&listing))
}

/// Load: the form shows the saved profile; its secret stays in the store.
#[tauri::command]
pub(crate) async fn load_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<view::Answer<view::Profile>> {
    let profiles = profiles(&state).await?;
    let profile = blocking(move || profiles.show(&name)).await?;
    state.form().load(
        &profile.name,
        Fields::shown_for(&profile),
        profile.has_secret == Some(true),
    );
    Ok(answer(&state, view::Profile::from(&profile)))
}

/// "Use in a script": snippets that call the CLI; none holds the secret.
/// The demo's profiles live only inside this window: no script reaches them.
#[tauri::command]
pub(crate) async fn script_snippets(
    state: State<'_, AppState>,
    name: String,
) -> Result<view::Snippets> {
    if state.in_demo() {
        return Err(IpcError::demo_only());
    }
    let profile = blocking(move || Profiles::open()?.show(&name)).await?;
    Ok(view::Snippets::from(
        &autotask_connect::script::profile_snippets(&profile),
    ))
}

#[tauri::command]
pub(crate) async fn rename_profile(
    state: State<'_, AppState>,
    old: String,
    new: String,
) -> Result<view::Answer<view::Renamed>> {
    let new = ProfileName::parse(&new)?;
    let profiles = profiles(&state).await?;
    let from = old.clone();
    let (profile, leftover) = blocking(move || profiles.rename(&from, &new)).await?;
    state.form().profile_renamed(&old, &profile.name);
    Ok(answer(
        &state,
        view::Renamed::from((&profile, leftover.as_ref())),
    ))
}

#[tauri::command]
pub(crate) async fn delete_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<view::Answer<view::Deleted>> {
    let profiles = profiles(&state).await?;
    let deleted = blocking(move || profiles.delete(&name)).await?;
    state.form().profile_deleted(&deleted.name);
    Ok(answer(&state, view::Deleted::from(&deleted)))
}

/// Checks a saved profile with its stored secret.
#[tauri::command]
pub(crate) async fn check_profile(
    state: State<'_, AppState>,
    name: String,
    consent: Answers,
    on_step: Channel<view::Step>,
) -> Result<view::Answer<view::Report>> {
    let profiles = profiles(&state).await?;
    let report = profiles
        .check(
            &state.profile_transport(),
            &name,
            // What the integration needs, as saved with the profile.
            vec![],
            consent.into(),
            &|s: &Step| {
                let _ = on_step.send(view::Step::from(s));
            },
        )
        .await?;
    state
        .form()
        .record_other(Subject::Profile(name.clone()), report.passed);
    state
        .remember_profile_check(&profiles, &name, &report)
        .await;
    Ok(answer(&state, view::Report::from(&report)))
}

/// Replaces a saved profile's secret with the one in the form, after
/// checking it; the stored one stays if the check fails.
#[tauri::command]
pub(crate) async fn rotate_profile(
    state: State<'_, AppState>,
    name: String,
    consent: Answers,
    on_step: Channel<view::Step>,
) -> Result<view::Answer<view::Rotated>> {
    let secret = state.form().secret()?;
    let profiles = profiles(&state).await?;
    let rotation = profiles
        .rotate(
            &state.profile_transport(),
            &name,
            secret,
            vec![],
            consent.into(),
            &|s: &Step| {
                let _ = on_step.send(view::Step::from(s));
            },
        )
        .await?;
    {
        let mut form = state.form();
        form.after_rotation();
        form.record_other(Subject::Rotation(name.clone()), rotation.replaced);
    }
    state
        .remember_profile_check(&profiles, &name, &rotation.report)
        .await;
    Ok(answer(&state, view::Rotated::from(&rotation)))
}

/// The webhook doctor for a saved profile, with its stored secret, through
/// the one door (it asks before a risky send: the page answers in `consent`).
#[tauri::command]
pub(crate) async fn profile_webhooks(
    state: State<'_, AppState>,
    name: String,
    consent: Answers,
) -> Result<view::WebhookReport> {
    let profiles = blocking(Profiles::open).await?;
    let report = profiles
        .webhooks(state.transport(), &name, consent.into())
        .await?;
    Ok(view::WebhookReport::from(&report))
}

/// Checks a callout's signature against its payload and the webhook's
/// secret key, offline. The key crosses from the page once and never back.
#[tauri::command]
pub(crate) fn check_signature(
    payload: String,
    signature: String,
    key: Secret,
) -> Result<view::SignatureCheck> {
    if key.is_empty() {
        return Err(IpcError(view::ErrorView::new(
            "webhook_key_missing",
            "Paste the webhook's secret key: the one it was created with.",
        )));
    }
    Ok(view::SignatureCheck::from(
        autotask_connect::webhook::verify_signature(payload.as_bytes(), &signature, &key),
    ))
}

#[tauri::command]
pub(crate) async fn store_health(
    state: State<'_, AppState>,
) -> Result<view::Answer<view::StoreHealth>> {
    let health = tokio::task::spawn_blocking(keyring::native_health)
        .await
        .map_err(|e| IpcError::internal(e.to_string()))?;
    state.set_store_ok(health.ok);
    Ok(answer(&state, view::StoreHealth::from(&health)))
}

/// Opens an Autotask page in the system browser; nothing else opens.
#[tauri::command]
pub(crate) fn open_link(app: tauri::AppHandle, url: String) -> Result<()> {
    let url = zone::allowed_link(&url).ok_or_else(IpcError::link_refused)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| IpcError::internal(format!("The browser could not be opened: {e}")))
}

impl From<check::EntityError> for IpcError {
    fn from(e: check::EntityError) -> IpcError {
        IpcError::from(autotask_connect::error::Error::from(e))
    }
}

impl AppState {
    /// Keeps a saved profile's check for the support report.
    async fn remember_profile_check(&self, profiles: &Profiles, name: &str, report: &Report) {
        let profiles = profiles.clone();
        let name = name.to_string();
        let shown: std::result::Result<ProfileView, ProfileError> =
            blocking(move || profiles.show(&name)).await;
        if let Ok(view) = shown {
            self.remember(LastCheck {
                report: report.clone(),
                vendor: view.vendor.clone(),
                zone_input: view.zone_input.unwrap_or_default(),
                username: view.username,
                integration_code: view.integration_code,
                at: autotask_connect::store::config::now(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window's signature check (RFC 2202's HMAC-SHA1 case 2): each
    /// kind of input gets its exact answer, and no key is an error, not a
    /// verdict.
    #[test]
    fn the_signature_check_answers_each_input() {
        const PAYLOAD: &str = "what do ya want for nothing?";
        const SIGNATURE: &str = "sha1=7/zfauXrL6LSdBbV8YTfnCWafHk=";
        let check = |payload: &str, signature: &str, key: &str| {
            check_signature(payload.into(), signature.into(), Secret::new(key.into()))
        };
        let result = |payload, signature, key| {
            let view = check(payload, signature, key).unwrap();
            (view.matches, view.result)
        };
        assert_eq!(result(PAYLOAD, SIGNATURE, "Jefe"), (true, "matches"));
        let copied = format!("{PAYLOAD}\n");
        assert_eq!(
            result(&copied, SIGNATURE, "Jefe"),
            (true, "matches_without_trailing_newline")
        );
        assert_eq!(
            result(PAYLOAD, SIGNATURE, "jefe"),
            (false, "does_not_match")
        );
        assert_eq!(result(PAYLOAD, "sha1=abc", "Jefe"), (false, "malformed"));
        let missing = check(PAYLOAD, SIGNATURE, "").unwrap_err().0;
        assert_eq!(missing.kind, "webhook_key_missing");
        assert_eq!(
            missing.message,
            "Paste the webhook's secret key: the one it was created with."
        );
    }
}
