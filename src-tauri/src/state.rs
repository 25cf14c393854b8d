//! The app's state: one HTTPS client for every check, the setup form (which
//! holds the secret after its one crossing), the last check for the
//! support report, and how the environment configured the app.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use autotask_connect::check::Report;
use autotask_connect::credentials::Secret;
use autotask_connect::form::{Fields, Form};
use autotask_connect::store::config::Config;
use autotask_connect::store::keyring;
use autotask_connect::transport::{Transport, TransportConfig};
use serde::Deserialize;

use crate::clipboard::Clipper;
use crate::ipc::{AppInfo, DemoView};

/// The demo tenant's credentials, handed over by `scripts/run` from the
/// simulator it started (`AUTOTASK_CONNECT_DEMO`, JSON). They are public
/// sample values; the secret still only ever moves into the form.
#[derive(Deserialize)]
struct Demo {
    zone: String,
    username: String,
    secret: String,
    integration_code: String,
}

fn build_transport(config: TransportConfig) -> Transport {
    Transport::new(config)
        .or_else(|_| Transport::new(TransportConfig::default()))
        .expect("an HTTPS client with the default configuration")
}

pub const ENV_DEMO: &str = "AUTOTASK_CONNECT_DEMO";
/// Written when the form is interactive: the start-up benchmark's signal.
pub const ENV_READY_FILE: &str = "AUTOTASK_CONNECT_READY_FILE";

pub struct LastCheck {
    pub report: Report,
    pub zone_input: String,
    pub username: String,
    pub integration_code: String,
    pub at: String,
}

pub struct AppState {
    /// Built on a thread at start-up (loading the system's root
    /// certificates takes a while), so the window does not wait for it.
    transport: Arc<OnceLock<Transport>>,
    transport_config: TransportConfig,
    routed_to: Option<String>,
    demo: Option<Demo>,
    setup_problem: Option<String>,
    form: Mutex<Form>,
    last: Mutex<Option<LastCheck>>,
    /// The hand-off's Copy buttons (opened on first use).
    clipper: Clipper,
    started: Instant,
}

impl AppState {
    /// Reads the environment: connect overrides and extra CA (tests and the
    /// demo tenant), the demo credentials.
    pub fn from_env(started: Instant) -> AppState {
        let mut problems = Vec::new();
        let config = TransportConfig::from_env().unwrap_or_else(|e| {
            problems.push(format!("The connection settings are not usable: {e}"));
            TransportConfig::default()
        });
        let routed_to = config.is_redirected().then(|| {
            config
                .connect_to
                .iter()
                .map(|r| {
                    format!(
                        "{}:{}",
                        r.to_host.as_deref().unwrap_or("(same host)"),
                        r.to_port
                            .map(|p| p.to_string())
                            .unwrap_or_else(|| "443".into())
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        });
        if let Some(pem) = &config.extra_roots_pem
            && let Err(e) = reqwest::Certificate::from_pem_bundle(pem)
        {
            problems.push(format!("The extra CA certificate is not usable: {e}"));
        }
        let transport = Arc::new(OnceLock::new());
        let building = transport.clone();
        let for_thread = config.clone();
        std::thread::spawn(move || {
            let _ = building.set(build_transport(for_thread));
        });
        let demo = std::env::var(ENV_DEMO)
            .ok()
            .and_then(|v| serde_json::from_str::<Demo>(&v).ok());
        if let Err(e) = Config::locate() {
            problems.push(e.to_string());
        }
        AppState {
            transport,
            transport_config: config,
            routed_to,
            demo,
            setup_problem: (!problems.is_empty()).then(|| problems.join(" ")),
            form: Mutex::new(Form::new()),
            last: Mutex::new(None),
            clipper: Clipper::system(),
            started,
        }
    }

    /// The one HTTPS client (waits for the start-up thread if needed).
    pub fn transport(&self) -> &Transport {
        self.transport
            .get_or_init(|| build_transport(self.transport_config.clone()))
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            os: autotask_connect::report::os_description(),
            routed_to: self.routed_to.clone(),
            demo: self.demo.as_ref().map(|d| DemoView {
                zone: d.zone.clone(),
                username: d.username.clone(),
                integration_code: d.integration_code.clone(),
            }),
            setup_problem: self.setup_problem.clone(),
            store_backend: keyring::native_backend().to_string(),
            config_path: Config::locate()
                .ok()
                .map(|c| c.path().display().to_string()),
        }
    }

    pub fn form(&self) -> MutexGuard<'_, Form> {
        self.form.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn clipper(&self) -> &Clipper {
        &self.clipper
    }

    pub fn remember(&self, last: LastCheck) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(last);
    }

    pub fn last(&self) -> Option<LastCheck> {
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|l| LastCheck {
                report: l.report.clone(),
                zone_input: l.zone_input.clone(),
                username: l.username.clone(),
                integration_code: l.integration_code.clone(),
                at: l.at.clone(),
            })
    }

    pub fn demo_credentials(&self) -> Option<(Fields, Secret)> {
        self.demo.as_ref().map(|d| {
            (
                Fields {
                    zone: d.zone.clone(),
                    username: d.username.clone(),
                    integration_code: d.integration_code.clone(),
                    vendor: String::new(),
                },
                Secret::new(d.secret.clone()),
            )
        })
    }

    pub fn mark_ready(&self) {
        if let Some(path) = std::env::var_os(ENV_READY_FILE) {
            let ms = self.started.elapsed().as_millis();
            let _ = std::fs::write(path, format!("{ms}\n"));
        }
    }
}
