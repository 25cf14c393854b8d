//! The one door before any secret leaves. Every check that could send a
//! secret, from every face and path (the form, a saved profile's test,
//! rotate, `check`, `profile save --check`, `profile check`, `profile
//! rotate`, `status --check`), starts here, and so does the webhook
//! doctor's read (`webhooks`, the window's Webhooks): this is the only code
//! that starts either (`architecture::only_the_door_starts_a_check`). Every
//! entry ([`Door::check`], [`Door::webhooks`], [`Door::open`]) goes through
//! the same stages, in order:
//!
//! 1. the lints: a [`Plan`] exists only after [`super::Request::plan`]
//!    refused every obvious paste mistake (nothing is sent);
//! 2. the questions facts cannot answer: a person's password (unless this
//!    computer has seen the username pass: only API users can sign in),
//!    and a secret of another length than Autotask's 25 (unless a passing
//!    check vouches for it);
//! 3. the lockout ledger's reservation for the username;
//! 4. the run, told what the ledger knows (a username never seen to pass
//!    may be a new API user);
//! 5. the settlement: what became of the secret is recorded.
//!
//! A vendor-bound user's check sends no secret: it skips 2, 3 and 5.
//!
//! A gateway's session opens here too ([`Door::open`]): the same stages,
//! with a run that stops after the sign-in. Its [`Session`] is what the
//! gateway's forwarder sends the credentials with; a refusal Autotask gives
//! it later is settled here as well ([`Session::refused`]).

use std::time::Duration;

use super::input::{CheckInput, InputError, Plan};
use super::run::{Depth, run, run_bound};
use super::types::{Observer, Report, SignIn};
use super::webhooks::{MAX_REQUESTS, WebhookReport, run_webhooks};
use crate::credentials::{Credentials, Field, PERSONS_LOGIN, SECRET_LENGTH, Username};
use crate::lockout::{self, GuardError, History, Ledger};
use crate::rest::Usage;
use crate::transport::Transport;
use crate::zone::{self, Zone};

/// What the technician has said yes to, for this one attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Consent {
    /// Send the password of what looks like a person's login (the
    /// window's question; `--person-login`).
    pub person_login: bool,
    /// Send a secret whose length is not Autotask's (`--secret-length-ok`).
    pub secret_length: bool,
    /// Sign in although the lockout guard would stop it (`--force`; the
    /// window's "Try anyway").
    pub force: bool,
}

/// A question only the technician can answer before the secret goes out.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Question {
    #[error(
        "\"{username}\" looks like a person's login, not an API user. Testing sends its password \
         to Autotask, and a wrong one counts towards locking that person out."
    )]
    PersonLogin { username: String },
    #[error(
        "The API secret is {length} characters long; Autotask generates 25, so it may be cut \
         short or have something extra. Testing sends it to Autotask, and a wrong one counts \
         towards locking the API user."
    )]
    SecretLength { length: usize },
}

impl Question {
    /// The stable identifier (CLI `kind`, exit status 2; the window asks).
    pub fn kind(&self) -> &'static str {
        match self {
            Question::PersonLogin { .. } => "person_login",
            Question::SecretLength { .. } => "secret_length",
        }
    }

    pub fn field(&self) -> Field {
        match self {
            Question::PersonLogin { .. } => Field::Username,
            Question::SecretLength { .. } => Field::Secret,
        }
    }

    /// How the technician can tell the answer, in Autotask's terms.
    pub fn how_to_tell(&self) -> &'static str {
        match self {
            Question::PersonLogin { .. } => {
                "To tell: in Autotask, edit the API user (Admin › Company Settings & Users › \
                 Resources/Users (HR) › Resources/Users); its Credentials section shows \
                 \"Username (Key)\". If this is exactly that value, it is an API user with a \
                 username of its own: send it. After it passes once, this computer knows it is an \
                 API user and does not ask again."
            }
            Question::SecretLength { .. } => {
                "To tell: Autotask shows a secret once, when it is generated, and its secrets are \
                 25 characters unless your administrator changed that. If you copied the whole \
                 secret from there, send it."
            }
        }
    }
}

/// Why the door did not let a check go out.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A question the technician has not answered yet: nothing was sent.
    #[error(transparent)]
    Question(Question),
    /// The lockout guard: a third refusal, one running, an unreadable record.
    #[error(transparent)]
    Guard(#[from] GuardError),
    /// What was asked cannot be done with these inputs (a vendor-bound
    /// user's webhooks): nothing was sent.
    #[error(transparent)]
    Input(#[from] InputError),
}

/// An attempt the door let through: what the ledger knew, and the
/// reservation to settle.
struct Admitted {
    passed_before: bool,
    attempt: lockout::Attempt,
}

/// The door, for one ledger and one HTTPS client.
pub struct Door<'a> {
    ledger: &'a Ledger,
    transport: &'a Transport,
    consent: Consent,
    vouched: bool,
}

impl<'a> Door<'a> {
    pub fn new(ledger: &'a Ledger, transport: &'a Transport) -> Door<'a> {
        Door {
            ledger,
            transport,
            consent: Consent::default(),
            vouched: false,
        }
    }

    /// What the technician said yes to.
    pub fn consent(mut self, consent: Consent) -> Door<'a> {
        self.consent = consent;
        self
    }

    /// The secret is one a passing check already vouches for (a saved
    /// profile's stored secret after a pass): its length is a fact.
    pub fn vouched(mut self, vouched: bool) -> Door<'a> {
        self.vouched = vouched;
        self
    }

    /// What must be asked before `plan` may run, given what the ledger
    /// knows; `None` when nothing (or everything has been answered).
    pub fn question(&self, plan: &Plan, history: &History) -> Option<Question> {
        let Plan::Full { input, .. } = plan else {
            return None; // nothing carrying the secret goes out
        };
        self.question_for(input, history)
    }

    fn question_for(&self, input: &CheckInput, history: &History) -> Option<Question> {
        let persons = input.lints.iter().any(|l| l.code == PERSONS_LOGIN);
        if persons && !history.passed && !self.consent.person_login {
            return Some(Question::PersonLogin {
                username: input.credentials.username.as_str().to_string(),
            });
        }
        let length_lint = input.lints.iter().any(|l| l.code == SECRET_LENGTH);
        if length_lint && !self.vouched && !self.consent.secret_length {
            return Some(Question::SecretLength {
                length: input.credentials.secret.expose().chars().count(),
            });
        }
        None
    }

    /// Runs the check `plan` calls for, through every stage above.
    pub async fn check(&self, plan: &Plan, observe: Observer<'_>) -> Result<Report, Refusal> {
        match plan {
            Plan::Bound(bound) => Ok(run_bound(self.transport, bound, observe).await),
            Plan::Full { input, .. } => self.through(input, Depth::Full, observe).await,
        }
    }

    /// Opens a gateway's session with `input` (a plan's, so linted): the
    /// same stages as a check, whose run ends after the sign-in. The session
    /// exists only when Autotask accepted the credentials.
    pub async fn open(&self, input: CheckInput, observe: Observer<'_>) -> Result<Opening, Refusal> {
        let report = self.through(&input, Depth::SignIn, observe).await?;
        let zone = report
            .tenant
            .as_ref()
            .and_then(|t| zone::parse_discovered(&t.api_url).ok());
        let session = match (report.sign_in, zone) {
            (SignIn::Accepted, Some(zone)) => Some(Session {
                credentials: input.credentials,
                zone,
                web_url: report.tenant.as_ref().map(|t| t.web_url.clone()),
                ledger: self.ledger.clone(),
                usage: report.usage,
            }),
            _ => None,
        };
        Ok(Opening { report, session })
    }

    /// Reads this integration's webhooks with `plan`'s credentials (the
    /// webhook doctor), through every stage above: read-only, one request
    /// at a time, at most [`MAX_REQUESTS`]. A vendor-bound user's webhooks
    /// are its vendor's to read: refused before anything is sent.
    pub async fn webhooks(&self, plan: &Plan) -> Result<WebhookReport, Refusal> {
        let input = match plan {
            Plan::Bound(bound) => {
                return Err(Refusal::Input(InputError::VendorKeepsCode {
                    vendor: bound.vendor.name.clone(),
                }));
            }
            Plan::Full { input, .. } => input,
        };
        let admitted = self.admit(input, MAX_REQUESTS as u32).await?;
        let report = run_webhooks(self.transport, input, admitted.passed_before).await;
        Door::settle(admitted.attempt, report.sign_in, report.code_refused()).await?;
        Ok(report)
    }

    async fn through(
        &self,
        input: &CheckInput,
        depth: Depth,
        observe: Observer<'_>,
    ) -> Result<Report, Refusal> {
        let levels = match depth {
            // The zone look-up, the sign-in, then the probes (the API user's
            // record among them) six at a time.
            Depth::Full => 2 + (input.entities.len() + 2).div_ceil(6) as u32,
            Depth::SignIn => 2,
        };
        let admitted = self.admit(input, levels).await?;
        let mut report = run(
            self.transport,
            input,
            admitted.passed_before,
            depth,
            observe,
        )
        .await;
        if admitted.passed_before {
            // A fact settled the guess: no "looks like a person's login".
            report.lints.retain(|l| l.code != PERSONS_LOGIN);
        }
        Door::settle(admitted.attempt, report.sign_in, report.code_refused()).await?;
        Ok(report)
    }

    /// Stages 2 and 3 for `input`: the questions, then the ledger's
    /// reservation for as long as `levels` rounds of requests can take
    /// (each within the request time limit, plus a margin).
    async fn admit(&self, input: &CheckInput, levels: u32) -> Result<Admitted, Refusal> {
        let username = input.credentials.username.as_str().to_string();
        let ledger = self.ledger.clone();
        let history = {
            let username = username.clone();
            off_the_runtime(move || lockout::history(&ledger, &username)).await?
        };
        if let Some(q) = self.question_for(input, &history) {
            return Err(Refusal::Question(q));
        }
        let running_for =
            self.transport.config().request_timeout * levels + Duration::from_secs(10);
        let (ledger, force) = (self.ledger.clone(), self.consent.force);
        let attempt =
            off_the_runtime(move || lockout::reserve(&ledger, &username, force, running_for))
                .await?;
        Ok(Admitted {
            passed_before: history.passed,
            attempt,
        })
    }

    /// Stage 5: what became of the secret. A refused integration code is
    /// Autotask's "no", but not a refused login of the user: it does not
    /// count towards the user's lockout.
    async fn settle(
        attempt: lockout::Attempt,
        sign_in: SignIn,
        code_refused: bool,
    ) -> Result<(), Refusal> {
        let settled = match sign_in {
            SignIn::Refused if code_refused => SignIn::NoVerdict,
            s => s,
        };
        off_the_runtime(move || attempt.settle(settled)).await?;
        Ok(())
    }
}

/// What opening a gateway came to: the sign-in's report (zone, network,
/// authentication and usage steps) and, when Autotask accepted the
/// credentials, the session.
pub struct Opening {
    pub report: Report,
    pub session: Option<Session>,
}

/// A profile's credentials, let out through the door for the requests a
/// local gateway forwards on its clients' behalf. Only [`Door::open`]
/// makes one, after Autotask accepted them.
pub struct Session {
    credentials: Credentials,
    zone: Zone,
    web_url: Option<String>,
    #[cfg_attr(not(feature = "gateway"), allow(dead_code))] // for Session::refused
    ledger: Ledger,
    usage: Option<Usage>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.credentials.username)
            .field("zone", &self.zone)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// For the gateway's forwarder, the one other code that sends them.
    #[cfg_attr(not(feature = "gateway"), allow(dead_code))]
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    pub fn username(&self) -> &Username {
        &self.credentials.username
    }

    /// The zone Autotask named for the username, where every request goes.
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The tenant's portal, as the zone look-up gave it.
    pub fn web_url(&self) -> String {
        self.web_url.clone().unwrap_or_else(|| self.zone.web_url())
    }

    /// The tenant's hourly usage when the session opened.
    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }

    /// Autotask refused the credentials on a later request: recorded in the
    /// ledger as the refusal it is (the gateway sends nothing more).
    #[cfg_attr(not(feature = "gateway"), allow(dead_code))]
    pub(crate) async fn refused(&self) -> Result<(), GuardError> {
        let (ledger, username) = (self.ledger.clone(), self.username().as_str().to_string());
        off_the_runtime(move || lockout::record_refusal(&ledger, &username)).await
    }
}

/// Runs a blocking ledger operation off the async runtime.
async fn off_the_runtime<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, GuardError> + Send + 'static,
) -> Result<T, GuardError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
