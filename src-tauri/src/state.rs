//! The app's state: one HTTPS client for every check, the setup form (which
//! holds the secret after its one crossing), the last check for the
//! support report, and the demo tenant when the technician asked for it.
//!
//! Routing and trust: an installer build takes none from its environment.
//! Debug builds (what the E2E tests drive) and builds with the `env-routing`
//! feature (the start-up benchmark) honour `AUTOTASK_CONNECT_CONNECT_TO`,
//! `AUTOTASK_CONNECT_CA_CERT` and `AUTOTASK_CONNECT_DEMO`, with a banner. The
//! demo tenant runs inside the app on loopback; only the form's checks, from
//! "Try the demo tenant" until "Leave the demo", go to it: whatever is typed
//! there stays in this process. Saved profiles always go to Autotask.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use autotask_simulator::Simulator;

use autotask_connect::check::Report;
use autotask_connect::credentials::Secret;
use autotask_connect::form::{Fields, Form};
use autotask_connect::lockout::Ledger;
use autotask_connect::store::config::{Config, ConfigError};
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

pub(crate) const ENV_DEMO: &str = "AUTOTASK_CONNECT_DEMO";
/// Written when the form is interactive: the start-up benchmark's signal.
pub(crate) const ENV_READY_FILE: &str = "AUTOTASK_CONNECT_READY_FILE";

pub(crate) struct LastCheck {
    pub report: Report,
    /// Who uses the API user (a preset id): the support report's checklist.
    pub vendor: String,
    pub zone_input: String,
    pub username: String,
    pub integration_code: String,
    pub at: String,
}

/// Whether this build reads routing and trust from its environment.
pub(crate) const HONOURS_ENV_ROUTING: bool = cfg!(any(debug_assertions, feature = "env-routing"));

/// The demo tenant started inside the app: a simulator on loopback, and the
/// client that reaches it (its CA trusted only by this client).
pub(crate) struct DemoSession {
    _simulator: Simulator,
    transport: Transport,
    /// The demo's own lockout ledger: its refusals are nobody's real logins.
    ledger: Ledger,
    pub port: u16,
}

pub(crate) struct AppState {
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
    demo_session: Mutex<Option<Arc<DemoSession>>>,
    /// The form's checks go to the in-app demo (the technician chose it).
    form_on_demo: AtomicBool,
}

impl AppState {
    /// Reads the environment: connect overrides and extra CA (tests and the
    /// demo tenant), the demo credentials.
    pub(crate) fn from_env(started: Instant) -> AppState {
        AppState::configured(started, HONOURS_ENV_ROUTING)
    }

    /// `from_env`, with the build's choice made explicit (and testable).
    fn configured(started: Instant, honours_env_routing: bool) -> AppState {
        let mut problems = Vec::new();
        let config = if honours_env_routing {
            TransportConfig::from_env().unwrap_or_else(|e| {
                problems.push(format!("The connection settings are not usable: {e}"));
                TransportConfig::default()
            })
        } else {
            TransportConfig::default()
        };
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
        let transport = Arc::new(OnceLock::new());
        let building = transport.clone();
        let for_thread = config.clone();
        std::thread::spawn(move || {
            let _ = building.set(build_transport(for_thread));
        });
        let demo = std::env::var(ENV_DEMO)
            .ok()
            .filter(|_| honours_env_routing)
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
            demo_session: Mutex::new(None),
            form_on_demo: AtomicBool::new(false),
        }
    }

    /// Starts the in-app demo tenant (once) and returns it.
    pub(crate) async fn demo_session(&self) -> Result<Arc<DemoSession>, String> {
        if let Some(d) = self
            .demo_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Ok(d);
        }
        let simulator = Simulator::start()
            .await
            .map_err(|e| format!("The demo tenant could not start: {e}"))?;
        let transport = Transport::new(TransportConfig {
            connect_to: vec![
                simulator
                    .connect_to()
                    .parse()
                    .map_err(|e| format!("The demo tenant could not start: {e}"))?,
            ],
            extra_roots_pem: Some(simulator.ca_pem().as_bytes().to_vec()),
            ..TransportConfig::default()
        })
        .map_err(|e| format!("The demo tenant could not start: {e}"))?;
        let session = Arc::new(DemoSession {
            port: simulator.port(),
            _simulator: simulator,
            transport,
            ledger: Ledger::in_memory(),
        });
        let mut slot = self.demo_session.lock().unwrap_or_else(|p| p.into_inner());
        Ok(slot.get_or_insert(session).clone())
    }

    /// Routes the form's checks to the in-app demo, or back to Autotask.
    pub(crate) fn set_form_on_demo(&self, on_demo: bool) {
        self.form_on_demo.store(on_demo, Ordering::SeqCst);
    }

    /// Where the form's checks go: the demo tenant while the technician is
    /// in it, otherwise Autotask. Saved profiles never go to the demo.
    pub(crate) fn form_transport(&self) -> Transport {
        let demo = self
            .demo_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match demo {
            Some(d) if self.form_on_demo.load(Ordering::SeqCst) => d.transport.clone(),
            _ => self.transport().clone(),
        }
    }

    /// The lockout ledger for the form's checks: the demo's own while the
    /// technician is in it, otherwise the one every face shares.
    pub(crate) fn form_ledger(&self) -> Result<Ledger, ConfigError> {
        let demo = self
            .demo_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match demo {
            Some(d) if self.form_on_demo.load(Ordering::SeqCst) => Ok(d.ledger.clone()),
            _ => Ok(Ledger::file(Config::locate()?)),
        }
    }

    /// The one HTTPS client (waits for the start-up thread if needed).
    pub(crate) fn transport(&self) -> &Transport {
        self.transport
            .get_or_init(|| build_transport(self.transport_config.clone()))
    }

    pub(crate) fn info(&self) -> AppInfo {
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
            steps: crate::ipc::StepTitle::all(),
            common_entities: &autotask_connect::check::COMMON_ENTITIES,
            default_entities: &autotask_connect::check::DEFAULT_ENTITIES,
            demo_users: autotask_simulator::demo::USERS
                .iter()
                .map(|&(username, shows)| crate::ipc::DemoUser { username, shows })
                .collect(),
        }
    }

    pub(crate) fn form(&self) -> MutexGuard<'_, Form> {
        self.form.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn clipper(&self) -> &Clipper {
        &self.clipper
    }

    pub(crate) fn remember(&self, last: LastCheck) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(last);
    }

    pub(crate) fn last(&self) -> Option<LastCheck> {
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|l| LastCheck {
                report: l.report.clone(),
                vendor: l.vendor.clone(),
                zone_input: l.zone_input.clone(),
                username: l.username.clone(),
                integration_code: l.integration_code.clone(),
                at: l.at.clone(),
            })
    }

    pub(crate) fn demo_credentials(&self) -> Option<(Fields, Secret)> {
        self.demo.as_ref().map(|d| {
            (
                Fields {
                    zone: d.zone.clone(),
                    username: d.username.clone(),
                    integration_code: d.integration_code.clone(),
                    vendor: String::new(),
                    entities: vec![],
                },
                Secret::new(d.secret.clone()),
            )
        })
    }

    pub(crate) fn mark_ready(&self) {
        if let Some(path) = std::env::var_os(ENV_READY_FILE) {
            let ms = self.started.elapsed().as_millis();
            let _ = std::fs::write(path, format!("{ms}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An installer build ignores the variables that would route the
    /// credentials to another host or trust another CA; a debug build obeys
    /// them, and says so.
    #[test]
    #[allow(unsafe_code)] // sets the environment: this crate's only test that touches it
    fn an_installer_build_takes_no_routing_from_its_environment() {
        let ca = tempfile_ca();
        // SAFETY: this crate's only test that touches the environment.
        unsafe {
            std::env::set_var("AUTOTASK_CONNECT_CONNECT_TO", "::127.0.0.1:9");
            std::env::set_var("AUTOTASK_CONNECT_CA_CERT", &ca);
            std::env::set_var(
                ENV_DEMO,
                r#"{"zone":"ww5.autotask.net","username":"u@x.y","secret":"s","integration_code":"C"}"#,
            );
        }
        let installed = AppState::configured(Instant::now(), false);
        assert!(installed.transport_config.connect_to.is_empty());
        assert!(installed.transport_config.extra_roots_pem.is_none());
        let info = installed.info();
        assert_eq!((info.routed_to, info.demo.is_some()), (None, false));

        let debug = AppState::configured(Instant::now(), true);
        assert_eq!(debug.info().routed_to.as_deref(), Some("127.0.0.1:9"));
        assert!(debug.transport_config.extra_roots_pem.is_some());
        assert!(debug.info().demo.is_some());
        let _ = std::fs::remove_file(ca);
    }

    fn tempfile_ca() -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("autotask-connect-ca-{}.pem", std::process::id()));
        std::fs::write(
            &path,
            autotask_simulator::tls::Authority::generate()
                .unwrap()
                .ca_pem,
        )
        .unwrap();
        path
    }
}
