//! The local gateway (issue 23): scripts and AI agents use a saved profile
//! without ever holding its secret. It listens on loopback, takes requests
//! that carry its session token, puts the profile's real credentials in
//! their place and forwards them to the profile's zone over HTTPS, within
//! the limits in [`crate::limits`], and hides every echo of the secret and
//! the code in what it answers.
//!
//! The session opens at the door ([`crate::check::Door::open`]): the same
//! lints, questions, lockout reservation and settlement as any check, with
//! a run that stops after the sign-in. After that, [`forward`] is the one
//! other code that sends the credentials; a 401 it gets stops the gateway
//! for good and is recorded in the lockout ledger.

mod forward;
mod log;
mod serve;

use std::path::PathBuf;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::check::{Door, Observer, Plan, SignIn};
use crate::error::Error;
use crate::limits::{self, Limits, WritePolicy};
use crate::profile::{self, Profiles, blocking};
use crate::store::gateways::Registration;
use crate::transport::Transport;

/// The largest answer passed on: a page of 500 records with every field
/// runs to a few MiB, far above what the check's own calls allow.
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// How a gateway runs: `--write`, `--write-entity`, `--budget`, `--log`,
/// `--port` (0: any free port).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub writes: WritePolicy,
    pub budget: Option<u64>,
    pub log: Option<PathBuf>,
    pub port: u16,
}

/// A running gateway. It serves until [`Gateway::close`] (or drop).
pub struct Gateway {
    shared: Arc<serve::Shared>,
    tasks: Tasks,
    /// What went wrong that does not stop it (it could not register for
    /// `status`), for the face to say.
    pub notes: Vec<String>,
}

struct Tasks {
    server: tokio::task::JoinHandle<()>,
    publisher: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Tasks {
    fn drop(&mut self) {
        self.server.abort();
        if let Some(p) = &self.publisher {
            p.abort();
        }
    }
}

/// `atgw_` and 256 random bits in hex: the session token.
fn new_token() -> Result<Zeroizing<String>, Error> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut bytes[..]).map_err(|e| Error::GatewayNotStarted {
        reason: format!("no random numbers for its token ({e})"),
    })?;
    let mut token = Zeroizing::new(String::with_capacity(5 + 64));
    token.push_str("atgw_");
    for b in bytes.iter() {
        token.push_str(&format!("{b:02x}"));
    }
    Ok(token)
}

/// Opens a gateway for profile `name`. Everything that can fail without
/// Autotask is tried first (the profile, the port, the log file), so that
/// none of it costs a sign-in; then the door opens the session.
pub async fn open(
    profiles: &Profiles,
    transport: &Transport,
    name: &str,
    options: Options,
    observe: Observer<'_>,
) -> Result<Gateway, Error> {
    let this = profiles.clone();
    let wanted = name.to_string();
    let (key, record, secret) = blocking(move || this.load(&wanted)).await?;
    let plan = Profiles::check_plan(&record, secret, Vec::new())?;
    let input = match plan {
        Plan::Full { input, .. } => input,
        Plan::Bound(bound) => {
            return Err(Error::GatewayNeedsIntegrationCode {
                name: key,
                vendor: bound.vendor.name.clone(),
            });
        }
    };
    let token = new_token()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .map_err(|e| Error::GatewayNotStarted {
            reason: format!("port {} on 127.0.0.1 cannot be used ({e})", options.port),
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::GatewayNotStarted {
            reason: format!("its port is not known ({e})"),
        })?
        .port();
    let log = match &options.log {
        Some(path) => Some(log::Log::open(path).map_err(|source| Error::GatewayLog {
            path: path.display().to_string(),
            source,
        })?),
        None => None,
    };

    let opening = Door::new(&profiles.ledger(), transport)
        .vouched(profile::vouches_for_stored_secret(&record))
        .open(input, observe)
        .await?;
    let Some(session) = opening.session else {
        let report = opening.report;
        let message = report
            .first_failure()
            .map(|s| match &s.fix {
                Some(fix) => format!("{} {fix}", s.message),
                None => s.message.clone(),
            })
            .unwrap_or_else(|| "Autotask did not accept the sign-in.".into());
        return Err(Error::GatewayNotOpened {
            name: key,
            refused: report.sign_in == SignIn::Refused,
            message,
        });
    };
    let budget = options
        .budget
        .unwrap_or_else(|| limits::default_budget(session.usage().map(|u| u.limit)));
    let limits = Limits {
        writes: options.writes,
        budget,
    };
    let shared = Arc::new(serve::Shared::new(
        key,
        session,
        transport.with_max_body(MAX_ANSWER_BYTES),
        token,
        port,
        limits,
        log,
    ));
    let server = tokio::spawn(serve::accept(listener, shared.clone()));
    let mut notes = Vec::new();
    let first = shared.record();
    let config = profiles.config().clone();
    let registered = tokio::task::spawn_blocking(move || Registration::register(&config, &first))
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    let publisher = match registered {
        Ok(registration) => Some(tokio::spawn(serve::publish(shared.clone(), registration))),
        Err(e) => {
            notes.push(format!(
                "`autotask-connect status` will not list this gateway: its record could not be \
                 written ({e})."
            ));
            None
        }
    };
    Ok(Gateway {
        shared,
        tasks: Tasks { server, publisher },
        notes,
    })
}

impl Gateway {
    /// What a client sets: the REST base, the token as `AUTOTASK_SECRET`,
    /// the placeholders and the limits (see [`limits::environment`]).
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        self.shared.environment()
    }

    pub fn port(&self) -> u16 {
        self.shared.port()
    }

    /// The REST base clients call.
    pub fn url(&self) -> String {
        self.shared.url()
    }

    pub fn limits(&self) -> &Limits {
        self.shared.limits()
    }

    /// Stops serving (requests in flight are cut) and removes its record.
    pub async fn close(mut self) {
        self.tasks.server.abort();
        let _ = (&mut self.tasks.server).await;
        if let Some(p) = self.tasks.publisher.as_mut() {
            p.abort();
            let _ = p.await;
        }
    }
}
