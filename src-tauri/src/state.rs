//! The app's state: one HTTPS client for every check, the setup form (which
//! holds the secret after its one crossing), the last check for the
//! support report, and the demo tenant when the technician asked for it.
//!
//! Test hooks: an installer build takes none from its environment. Debug
//! builds (what the E2E tests drive) and builds with the `env-routing`
//! feature (the start-up benchmark) honour `AUTOTASK_CONNECT_CONNECT_TO`,
//! `AUTOTASK_CONNECT_CA_CERT` and `AUTOTASK_CONNECT_DEMO`, with a banner, and
//! write `AUTOTASK_CONNECT_READY_FILE`. The
//! demo tenant runs inside the app on loopback, with a namespace of its own:
//! from "Try the demo tenant" until the demo ends (Leave the demo, Clear
//! form, a paste of real values), the form's checks, the saved profiles
//! listed and every check of them go to the demo and its own ledger, folder
//! and in-memory store; nothing of the demo reaches the real credential
//! store, `profiles.json` or lockout ledger, and the demo keeps no header
//! value of any request. When it ends, its profiles and passing check go.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use autotask_simulator::Simulator;

use autotask_connect::check::Report;
use autotask_connect::credentials::Secret;
use autotask_connect::form::{Fields, Form, Surroundings};
use autotask_connect::lockout::Ledger;
use autotask_connect::profile::{ProfileError, Profiles};
use autotask_connect::store::config::{Config, ConfigError};
use autotask_connect::store::keyring;
use autotask_connect::store::keyring::Keyring;
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_connect::view;
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

/// Whether this build reads its test hooks (routing, trust, demo, ready
/// file) from its environment. Never in what the installers ship.
pub(crate) const HONOURS_TEST_HOOKS: bool = cfg!(any(debug_assertions, feature = "env-routing"));

/// The demo tenant started inside the app: a simulator on loopback, and the
/// client that reaches it (its CA trusted only by this client).
pub(crate) struct DemoSession {
    _simulator: Simulator,
    transport: Transport,
    /// The demo's own lockout ledger: its refusals are nobody's real logins.
    ledger: Ledger,
    /// The demo's saved profiles: a folder of its own (removed when the
    /// demo ends) and secrets in memory, never the real store.
    profiles: Profiles,
    folder: PathBuf,
    pub port: u16,
}

/// The demo's simulator keeps this many requests, without header values.
const DEMO_LOG: usize = 50;

impl Drop for DemoSession {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

pub(crate) struct AppState {
    /// Built on a thread at start-up (loading the system's root
    /// certificates takes a while), so the window does not wait for it.
    transport: Arc<OnceLock<Transport>>,
    transport_config: TransportConfig,
    routed_to: Option<String>,
    demo: Option<Demo>,
    setup_problem: Option<String>,
    /// Where to write the time to interactive (the start-up benchmark).
    ready_file: Option<std::ffi::OsString>,
    form: Mutex<Form>,
    last: Mutex<Option<LastCheck>>,
    /// The hand-off's Copy buttons (opened on first use).
    clipper: Clipper,
    started: Instant,
    /// The demo tenant, while the technician is in it.
    demo_session: Mutex<Option<Arc<DemoSession>>>,
    /// The last store health check found the credential store usable.
    store_ok: AtomicBool,
}

impl AppState {
    /// Reads the environment: connect overrides and extra CA (tests and the
    /// demo tenant), the demo credentials.
    pub(crate) fn from_env(started: Instant) -> AppState {
        AppState::configured(started, HONOURS_TEST_HOOKS)
    }

    /// `from_env`, with the build's choice made explicit (and testable).
    fn configured(started: Instant, honours_test_hooks: bool) -> AppState {
        let mut problems = Vec::new();
        let config = if honours_test_hooks {
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
            .filter(|_| honours_test_hooks)
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
            ready_file: std::env::var_os(ENV_READY_FILE).filter(|_| honours_test_hooks),
            form: Mutex::new(Form::new()),
            last: Mutex::new(None),
            clipper: Clipper::system(),
            started,
            demo_session: Mutex::new(None),
            store_ok: AtomicBool::new(true),
        }
    }

    /// Starts the in-app demo tenant (once per demo) and returns it.
    pub(crate) async fn demo_session(&self) -> Result<Arc<DemoSession>, String> {
        if let Some(d) = self.demo() {
            return Ok(d);
        }
        let failed = |e: &dyn std::fmt::Display| format!("The demo tenant could not start: {e}");
        let simulator = Simulator::start_private(DEMO_LOG)
            .await
            .map_err(|e| failed(&e))?;
        let transport = Transport::new(TransportConfig {
            connect_to: vec![simulator.connect_to().parse().map_err(|e| failed(&e))?],
            extra_roots_pem: Some(simulator.ca_pem().as_bytes().to_vec()),
            ..TransportConfig::default()
        })
        .map_err(|e| failed(&e))?;
        let folder = std::env::temp_dir().join(format!(
            "autotask-connect-demo-{}-{}",
            std::process::id(),
            simulator.port()
        ));
        let session = Arc::new(DemoSession {
            port: simulator.port(),
            _simulator: simulator,
            transport,
            ledger: Ledger::in_memory(),
            profiles: Profiles::new(Config::at(folder.clone()), Ok(Keyring::demo())),
            folder,
        });
        let mut slot = self.demo_session.lock().unwrap_or_else(|p| p.into_inner());
        Ok(slot.get_or_insert(session).clone())
    }

    fn demo(&self) -> Option<Arc<DemoSession>> {
        self.demo_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn in_demo(&self) -> bool {
        self.demo().is_some()
    }

    /// Ends the demo: its routing, profiles, folder and ledger go, and the
    /// form forgets its passing check. Whether there was one.
    pub(crate) fn end_demo(&self) -> bool {
        let ended = self
            .demo_session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .is_some();
        if ended {
            self.form().end_demo();
        }
        ended
    }

    /// Where the form's checks go: the demo tenant while the technician is
    /// in it, otherwise Autotask.
    pub(crate) fn form_transport(&self) -> Transport {
        match self.demo() {
            Some(d) => d.transport.clone(),
            None => self.transport().clone(),
        }
    }

    /// The lockout ledger for the form's and the profiles' checks: the
    /// demo's own while the technician is in it, otherwise the one every
    /// face shares.
    pub(crate) fn form_ledger(&self) -> Result<Ledger, ConfigError> {
        match self.demo() {
            Some(d) => Ok(d.ledger.clone()),
            None => Ok(Ledger::file(Config::locate()?)),
        }
    }

    /// The saved profiles the window works on: the demo's own while the
    /// technician is in it, otherwise the real ones. Blocking.
    pub(crate) fn profiles(&self) -> Result<Profiles, ProfileError> {
        match self.demo() {
            Some(d) => Ok(d.profiles.clone()),
            None => Profiles::open(),
        }
    }

    /// Where a saved profile's checks go (the demo's profiles to the demo).
    pub(crate) fn profile_transport(&self) -> Transport {
        self.form_transport()
    }

    pub(crate) fn set_store_ok(&self, ok: bool) {
        self.store_ok.store(ok, Ordering::SeqCst);
    }

    /// The form's state as the page renders it.
    pub(crate) fn form_state(&self) -> view::FormState {
        let demo = self.demo();
        let backend = match &demo {
            Some(d) => d.profiles.keyring().map(|k| k.backend()).unwrap_or(""),
            None => keyring::native_backend(),
        };
        let state = self.form().state(Surroundings {
            store_ok: demo.is_some() || self.store_ok.load(Ordering::SeqCst),
            store_backend: backend,
            demo: demo.is_some(),
        });
        view::FormState::from(&state)
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
        if let Some(path) = &self.ready_file {
            let ms = self.started.elapsed().as_millis();
            let _ = std::fs::write(path, format!("{ms}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An installer build ignores the variables that would route the
    /// credentials to another host, trust another CA, fill in a demo or
    /// overwrite a file; a debug build obeys them, and says so.
    #[test]
    #[allow(unsafe_code)] // sets the environment: this crate's only test that touches it
    fn an_installer_build_takes_no_test_hook_from_its_environment() {
        let ca = tempfile_ca();
        let ready = ca.with_extension("ready");
        std::fs::write(&ready, "a file of yours\n").unwrap();
        // SAFETY: this crate's only test that touches the environment.
        unsafe {
            std::env::set_var("AUTOTASK_CONNECT_CONNECT_TO", "::127.0.0.1:9");
            std::env::set_var("AUTOTASK_CONNECT_CA_CERT", &ca);
            std::env::set_var(
                ENV_DEMO,
                r#"{"zone":"ww5.autotask.net","username":"u@x.y","secret":"s","integration_code":"C"}"#,
            );
            std::env::set_var(ENV_READY_FILE, &ready);
        }
        let installed = AppState::configured(Instant::now(), false);
        assert!(installed.transport_config.connect_to.is_empty());
        assert!(installed.transport_config.extra_roots_pem.is_none());
        let info = installed.info();
        assert_eq!((info.routed_to, info.demo.is_some()), (None, false));
        installed.mark_ready();
        assert_eq!(
            std::fs::read_to_string(&ready).unwrap(),
            "a file of yours\n"
        );

        let debug = AppState::configured(Instant::now(), true);
        assert_eq!(debug.info().routed_to.as_deref(), Some("127.0.0.1:9"));
        assert!(debug.transport_config.extra_roots_pem.is_some());
        assert!(debug.info().demo.is_some());
        debug.mark_ready();
        assert_ne!(
            std::fs::read_to_string(&ready).unwrap(),
            "a file of yours\n"
        );
        let _ = std::fs::remove_file(ca);
        let _ = std::fs::remove_file(ready);
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
