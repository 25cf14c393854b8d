//! Shared set-up: a simulator and a transport that reaches it through the
//! production code path.

use std::time::Duration;

use autotask_connect::check::{Consent, Door, Entity, Report, Request, Status, Step, StepId};
use autotask_connect::credentials::Secret;
use autotask_connect::lockout::Ledger;
use autotask_connect::store::config::{ConfigFile, LoginEntry, LoginRecord};
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_connect::vendors;
pub(crate) use autotask_simulator::{Simulator, World, demo};

use crate::cli::{Run, cli};

pub(crate) struct Env {
    pub sim: Simulator,
    pub transport: Transport,
}

pub(crate) fn transport_to(sim: &Simulator, timeout: Duration) -> Transport {
    Transport::new(TransportConfig {
        connect_to: vec![sim.connect_to().parse().unwrap()],
        extra_roots_pem: Some(sim.ca_pem().as_bytes().to_vec()),
        connect_timeout: autotask_connect::transport::connect_allowance(timeout),
        request_timeout: timeout,
        ..TransportConfig::default()
    })
    .unwrap()
}

pub(crate) async fn env() -> Env {
    env_with(World::demo(), Duration::from_secs(10)).await
}

pub(crate) async fn env_with(world: World, timeout: Duration) -> Env {
    let sim = Simulator::start_with(world, 0).await.unwrap();
    let transport = transport_to(&sim, timeout);
    Env { sim, transport }
}

pub(crate) struct Ask<'a> {
    pub username: &'a str,
    pub secret: &'a str,
    pub code: &'a str,
    pub zone: Option<&'a str>,
    pub entities: Vec<&'a str>,
    /// Whether the ledger has seen this username pass (an API user, not a
    /// new one). Most tests judge a known API user's check.
    pub known: bool,
}

impl<'a> Ask<'a> {
    pub(crate) fn demo(username: &'a str) -> Ask<'a> {
        Ask {
            username,
            secret: demo::SECRET,
            code: demo::INTEGRATION_CODE,
            zone: None,
            entities: vec![],
            known: true,
        }
    }
    /// A username this computer has never seen pass.
    pub(crate) fn never_passed(mut self) -> Self {
        self.known = false;
        self
    }
    pub(crate) fn secret(mut self, s: &'a str) -> Self {
        self.secret = s;
        self
    }
    pub(crate) fn code(mut self, c: &'a str) -> Self {
        self.code = c;
        self
    }
    pub(crate) fn zone(mut self, z: &'a str) -> Self {
        self.zone = Some(z);
        self
    }
    pub(crate) fn entities(mut self, e: &[&'a str]) -> Self {
        self.entities = e.to_vec();
        self
    }
}

/// A ledger of its own (in memory), knowing `username` as an API user when
/// `known`.
pub(crate) fn ledger_for(username: &str, known: bool) -> Ledger {
    let mut file = ConfigFile::empty();
    if known {
        file.logins.insert(
            username.trim().to_lowercase(),
            LoginEntry::Record(LoginRecord {
                passed: Some(1),
                ..LoginRecord::default()
            }),
        );
    }
    Ledger::Memory(std::sync::Arc::new(std::sync::Mutex::new(file)))
}

/// Runs a check through the door, every question answered yes: for tests
/// of what the check finds (the door's own tests are in door.rs).
pub(crate) async fn run_check(transport: &Transport, ask: Ask<'_>) -> (Report, Vec<Step>) {
    let entities: Vec<String> = ask.entities.iter().map(|s| s.to_string()).collect();
    let plan = Request::parse(
        vendors::custom(),
        ask.zone.unwrap_or(""),
        ask.username,
        ask.code,
    )
    .expect("valid request")
    .plan(
        std::sync::Arc::new(Secret::new(ask.secret.to_string())),
        Entity::list(&entities).unwrap(),
    )
    .expect("valid credentials");
    let seen = std::sync::Mutex::new(Vec::new());
    let observe = |s: &Step| seen.lock().unwrap().push(s.clone());
    let ledger = ledger_for(ask.username, ask.known);
    let report = Door::new(&ledger, transport)
        .consent(YES)
        .check(&plan, &observe)
        .await
        .expect("the door lets it through");
    (report, seen.into_inner().unwrap())
}

/// Every question answered yes (not the lockout guard).
pub(crate) const YES: Consent = Consent {
    person_login: true,
    secret_length: true,
    force: false,
};

pub(crate) fn step(report: &Report, id: StepId) -> &Step {
    report.steps.iter().find(|s| s.id == id).unwrap()
}

/// Asserts the statuses of all six steps, in ladder order.
#[track_caller]
pub(crate) fn assert_ladder(report: &Report, statuses: [Status; 6]) {
    let got: Vec<Status> = report.steps.iter().map(|s| s.status).collect();
    assert_eq!(
        got,
        statuses.to_vec(),
        "ladder:\n{}",
        report
            .steps
            .iter()
            .map(|s| format!("{:?} {:?} {:?}: {}", s.id, s.status, s.blame, s.message))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// How many requests reaching the simulator carried `secret`.
pub(crate) fn carrying(sim: &Simulator, secret: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.header("Secret") == Some(secret))
        .count()
}

/// Every file under `dir` (not following links).
#[cfg(target_os = "linux")] // used by the Secret Service tests only
pub(crate) fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() && !p.is_symlink() {
            out.extend(files_under(&p));
        } else if p.is_file() {
            out.push(p);
        }
    }
    out
}

/// Whether `needle` occurs in `haystack`.
#[cfg(target_os = "linux")]
pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Starts a command in a private D-Bus session with an unlocked gnome-keyring.
#[cfg(target_os = "linux")]
pub(crate) const WITH_SECRET_SERVICE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/with-secret-service");

/// Runs one test of this binary (its full path, `module::name`) inside
/// `scripts/with-secret-service` with `envs` added, asserts that it ran and
/// passed, and returns what it printed.
#[cfg(target_os = "linux")]
pub(crate) fn run_in_secret_service(test: &str, envs: &[(&str, &std::ffi::OsStr)]) -> String {
    let out = std::process::Command::new(WITH_SECRET_SERVICE)
        .arg(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "{test} failed in the Secret Service session:\n{text}"
    );
    assert!(text.contains("1 passed"), "{test} did not run:\n{text}");
    text
}

/// The CLI routed to a simulator of its own, with a config folder of its own.
pub(crate) struct Routed {
    pub(crate) env: Env,
    ca: tempfile::TempDir,
    pub(crate) config: tempfile::TempDir,
}

impl Routed {
    pub(crate) async fn new() -> Routed {
        let env = env().await;
        let ca = tempfile::tempdir().unwrap();
        env.sim.write_ca(ca.path()).unwrap();
        Routed {
            env,
            ca,
            config: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) async fn run(&self, args: &[&str], secret: Option<&str>) -> Run {
        let connect_to = self.env.sim.connect_to();
        let ca = self
            .ca
            .path()
            .join("autotask-simulator-ca.pem")
            .display()
            .to_string();
        let config = self.config.path().display().to_string();
        let mut all = vec!["--connect-to", &connect_to, "--ca-cert", &ca];
        all.extend(args);
        let mut env = vec![("AUTOTASK_CONNECT_CONFIG_DIR", config.as_str())];
        if let Some(s) = secret {
            env.push(("AUTOTASK_SECRET", s));
        }
        cli(&all, &env, None).await
    }
}
