//! The commands the page can invoke: each takes state, calls the core, and
//! converts the error once (into [`IpcError`]). No logic lives here.

use autotask_connect::check::{self, Consent, Door, Report, Step};
use autotask_connect::credentials::{Lint, Secret};
use autotask_connect::form::{Fields, Form};
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
use crate::ipc::{AppInfo, DemoFill, DemoStarted, IpcError, Renamed};
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

#[tauri::command]
pub(crate) fn lint_fields(state: State<'_, AppState>, fields: Fields) -> Vec<Lint> {
    match state.form_ledger() {
        Ok(ledger) => Form::lint_knowing(&fields, &ledger),
        Err(_) => Form::lint(&fields),
    }
}

/// The one crossing of a typed secret. It never comes back.
#[tauri::command]
pub(crate) fn set_secret(state: State<'_, AppState>, secret: Secret) -> view::SecretState {
    view::SecretState::from(&state.form().set_secret(secret))
}

#[tauri::command]
pub(crate) fn paste_block(state: State<'_, AppState>, text: String) -> view::Pasted {
    view::Pasted::from(&state.form().paste(&text))
}

/// The form's checks go to Autotask again.
#[tauri::command]
pub(crate) fn leave_demo(state: State<'_, AppState>) {
    state.set_form_on_demo(false);
}

/// Starts the demo tenant inside the app (loopback) and fills the form with
/// its credentials. The form's checks go there until `leave_demo`; saved
/// profiles are never checked against it.
#[tauri::command]
pub(crate) async fn start_demo(state: State<'_, AppState>) -> Result<DemoStarted> {
    use autotask_simulator::demo;
    let session = state.demo_session().await.map_err(IpcError::internal)?;
    let secret = state
        .form()
        .set_secret(Secret::new(demo::SECRET.to_string()));
    state.set_form_on_demo(true);
    Ok(DemoStarted {
        fields: view::Fields::from(&Fields {
            zone: format!("https://ww{}.autotask.net/", demo::ZONE),
            username: demo::USERNAME.to_string(),
            integration_code: demo::INTEGRATION_CODE.to_string(),
            vendor: String::new(),
            entities: vec![],
        }),
        secret: view::SecretState::from(&secret),
        route: format!("127.0.0.1:{}", session.port),
    })
}

/// Fills the demo tenant's credentials; its secret is set on the Rust side.
#[tauri::command]
pub(crate) fn use_demo(state: State<'_, AppState>) -> Result<DemoFill> {
    let (fields, secret) = state
        .demo_credentials()
        .ok_or_else(|| IpcError::internal("No demo tenant is running."))?;
    Ok(DemoFill {
        fields: view::Fields::from(&fields),
        secret: view::SecretState::from(&state.form().set_secret(secret)),
    })
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
) -> Result<view::Report> {
    // The secret's generation is read with the plan: a secret typed while
    // the check runs is not the one its report vouches for.
    let (plan, generation) = {
        let form = state.form();
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
    Ok(view::Report::from(&report))
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
    let view = blocking(move || Profiles::open()?.show(&name)).await?;
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
    let zone = check::zone_for(state.transport(), zone, &username).await?;
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

/// What the page learns about a copy: never the value.
#[derive(Serialize)]
pub(crate) struct Copied {
    label: String,
    sensitive: bool,
    /// When the clipboard is cleared (if it still holds the secret then).
    clears_in_seconds: Option<u64>,
}

/// Copies one hand-off value to the clipboard, in Rust: for the secret,
/// marked sensitive and cleared after the delay if still there.
#[tauri::command]
pub(crate) async fn copy_value(
    state: State<'_, AppState>,
    source: CopySource,
    index: usize,
) -> Result<Copied> {
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
                let (_, _, secret) = blocking(move || Profiles::open()?.load(&name)).await?;
                std::sync::Arc::new(secret)
            }
        };
        clipper.copy_secret(secret.expose())?;
        return Ok(Copied {
            label: field.label,
            sensitive: true,
            clears_in_seconds: Some(clipper.clear_after().as_secs()),
        });
    }
    let value = field
        .value
        .ok_or_else(|| IpcError::internal("This value is not known yet."))?;
    clipper.copy(&value)?;
    Ok(Copied {
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

/// Clear form: the held secret and the last check are dropped in Rust too.
#[tauri::command]
pub(crate) fn clear_form(state: State<'_, AppState>) {
    state.form().clear();
}

/// "Use zone N": the fields with the zone the last passing check found;
/// that check still vouches for them, so Save needs no second login.
#[tauri::command]
pub(crate) fn adopt_found_zone(state: State<'_, AppState>, fields: Fields) -> Result<view::Fields> {
    state
        .form()
        .adopt_found_zone(&fields)
        .map(|f| view::Fields::from(&f))
        .ok_or_else(|| IpcError::from(autotask_connect::error::Error::HandoffNeedsCheck))
}

#[tauri::command]
pub(crate) async fn save_profile(
    state: State<'_, AppState>,
    name: String,
    fields: Fields,
    untested: bool,
    replace: bool,
) -> Result<view::Profile> {
    let (new_profile, report) = state.form().new_profile(&name, &fields, untested)?;
    let view =
        blocking(move || Profiles::open()?.save_vendor(&new_profile, report.as_ref(), replace))
            .await?;
    state.form().after_save();
    Ok(view::Profile::from(&view))
}

#[tauri::command]
pub(crate) async fn list_profiles() -> Result<view::Listing> {
    let listing = blocking(|| Profiles::open()?.list()).await?;
    Ok(view::Listing::from(&listing))
}

#[tauri::command]
pub(crate) async fn load_profile(name: String) -> Result<view::Profile> {
    let profile = blocking(move || Profiles::open()?.show(&name)).await?;
    Ok(view::Profile::from(&profile))
}

/// "Use in a script": snippets that call the CLI; none holds the secret.
#[tauri::command]
pub(crate) async fn script_snippets(name: String) -> Result<view::Snippets> {
    let profile = blocking(move || Profiles::open()?.show(&name)).await?;
    Ok(view::Snippets::from(
        &autotask_connect::script::profile_snippets(&profile),
    ))
}

#[tauri::command]
pub(crate) async fn rename_profile(old: String, new: String) -> Result<Renamed> {
    let new = ProfileName::parse(&new)?;
    let (profile, leftover) = blocking(move || Profiles::open()?.rename(&old, &new)).await?;
    Ok(Renamed {
        profile: view::Profile::from(&profile),
        warning: leftover.map(|e| format!("The old name's secret could not be removed: {e}")),
    })
}

#[tauri::command]
pub(crate) async fn delete_profile(name: String) -> Result<view::Deleted> {
    let deleted = blocking(move || Profiles::open()?.delete(&name)).await?;
    Ok(view::Deleted::from(&deleted))
}

/// Checks a saved profile with its stored secret.
#[tauri::command]
pub(crate) async fn check_profile(
    state: State<'_, AppState>,
    name: String,
    consent: Answers,
    on_step: Channel<view::Step>,
) -> Result<view::Report> {
    let profiles = blocking(Profiles::open).await?;
    let report = profiles
        .check(
            state.transport(),
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
        .remember_profile_check(&profiles, &name, &report)
        .await;
    Ok(view::Report::from(&report))
}

/// Replaces a saved profile's secret with the one in the form, after
/// checking it; the stored one stays if the check fails.
#[tauri::command]
pub(crate) async fn rotate_profile(
    state: State<'_, AppState>,
    name: String,
    consent: Answers,
    on_step: Channel<view::Step>,
) -> Result<view::Rotated> {
    let secret = state.form().secret()?;
    let profiles = blocking(Profiles::open).await?;
    let rotation = profiles
        .rotate(
            state.transport(),
            &name,
            secret,
            vec![],
            consent.into(),
            &|s: &Step| {
                let _ = on_step.send(view::Step::from(s));
            },
        )
        .await?;
    if rotation.replaced {
        state.form().after_save();
    }
    state
        .remember_profile_check(&profiles, &name, &rotation.report)
        .await;
    Ok(view::Rotated::from(&rotation))
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
pub(crate) async fn store_health() -> Result<view::StoreHealth> {
    let health = tokio::task::spawn_blocking(keyring::native_health)
        .await
        .map_err(|e| IpcError::internal(e.to_string()))?;
    Ok(view::StoreHealth::from(&health))
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
