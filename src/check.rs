//! The connection check: a ladder of steps — network, zone, authentication,
//! tenant, permissions, usage — each ending passed, warning, failed or
//! skipped, with a one-line finding, the input it blames, and the fix in
//! Autotask's terms.
//!
//! Order of calls (round-trip levels):
//! 1. `zoneInformation` (no secret).
//! 2. The one authenticated call, to the zone Autotask named (or, when the
//!    look-up could not answer, to the zone entered).
//! 3. Read-only probes, concurrently: company 0 and `entityInformation`
//!    for each entity asked about (at most two calls per entity at once,
//!    under Autotask's three), only after the secret was accepted.
//!
//! A 401 is never retried: Autotask locks users after repeated failures. An
//! unverified secret is sent once per check, in every case: never first to a
//! pasted zone that may be stale and then again to the right one.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::credentials::{Credentials, IntegrationCode, Lint, Redactor, Secret, Username};
use crate::error::Error;
use crate::rest::{self, AccessLevel, Body, EntityInfo, Exchange, Failure, Usage, ZoneInformation};
use crate::transport::{Transport, TransportError};
use crate::vendors::Vendor;
use crate::zone::{DISCOVERY_HOST, Zone, ZoneInput};

// ------------------------------------------------------------------ types

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    Network,
    Zone,
    Authentication,
    Tenant,
    Permissions,
    Usage,
}

impl StepId {
    pub const ALL: [StepId; 6] = [
        StepId::Network,
        StepId::Zone,
        StepId::Authentication,
        StepId::Tenant,
        StepId::Permissions,
        StepId::Usage,
    ];

    /// The row's title in the ladder.
    pub fn title(self) -> &'static str {
        match self {
            StepId::Network => "Network",
            StepId::Zone => "Zone",
            StepId::Authentication => "Authentication",
            StepId::Tenant => "Tenant",
            StepId::Permissions => "Permissions",
            StepId::Usage => "API usage",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Running,
    Passed,
    Warning,
    Failed,
    Skipped,
}

/// The input a finding blames: what the technician has to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Blame {
    Username,
    Secret,
    IntegrationCode,
    Zone,
    /// The API user's licence or security level (not an API-only user, no API login).
    Licence,
    /// Autotask has locked the API user: only an administrator can unlock it.
    Locked,
    /// Entity access of the security level, or lines of business.
    Permissions,
    Network,
    RateLimit,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub id: StepId,
    pub status: Status,
    pub message: String,
    pub blame: Option<Blame>,
    /// The one thing to do, in a line.
    pub fix: Option<String>,
    /// How to do it (menu paths, caveats), for whoever needs more than the line.
    pub details: Option<String>,
    /// Where the fix is made: the tenant's portal, or Autotask's help.
    pub link: Option<String>,
    /// The HTTP exchanges behind this step, for the support report.
    pub http: Vec<Exchange>,
}

impl Step {
    fn new(id: StepId, status: Status, message: impl Into<String>) -> Step {
        Step {
            id,
            status,
            message: message.into(),
            blame: None,
            fix: None,
            details: None,
            link: None,
            http: Vec::new(),
        }
    }
    fn details(mut self, details: impl Into<String>) -> Step {
        self.details = Some(details.into());
        self
    }
    fn blaming(mut self, blame: Blame, fix: impl Into<String>) -> Step {
        self.blame = Some(blame);
        self.fix = Some(fix.into());
        self
    }
    fn fix(mut self, fix: impl Into<String>) -> Step {
        self.fix = Some(fix.into());
        self
    }
    fn link(mut self, link: Option<String>) -> Step {
        self.link = link;
        self
    }
    fn with_http(mut self, exchanges: impl IntoIterator<Item = Exchange>) -> Step {
        self.http.extend(exchanges);
        self
    }
    fn skipped(id: StepId, why: &str) -> Step {
        Step::new(id, Status::Skipped, format!("Skipped: {why}"))
    }
}

/// Who the credentials belong to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub zone_name: Option<String>,
    pub api_url: String,
    pub web_url: String,
    pub ci: Option<u64>,
    /// Company 0's name, when the API user can see it.
    pub company_name: Option<String>,
}

impl Tenant {
    /// What the zone and Autotask's look-up (when it answered) say about
    /// the tenant, before company 0 is read.
    fn located(zone: Zone, info: Option<&ZoneInformation>) -> Tenant {
        Tenant {
            zone_name: info.and_then(|i| i.zone_name.clone()),
            api_url: zone.api_url(),
            web_url: info.map_or_else(|| zone.web_url(), |i| i.web_url.clone()),
            ci: info.and_then(|i| i.ci),
            company_name: None,
        }
    }
}

/// One entity's access for the API user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityAccess {
    pub entity: String,
    pub query: Option<AccessLevel>,
    pub create: Option<AccessLevel>,
    pub update: Option<AccessLevel>,
    pub delete: Option<AccessLevel>,
    /// Why the access could not be read, if it could not.
    pub problem: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub passed: bool,
    pub tenant: Option<Tenant>,
    pub steps: Vec<Step>,
    pub usage: Option<Usage>,
    pub entities: Vec<EntityAccess>,
    /// Warnings about the inputs (the check ran anyway).
    pub lints: Vec<Lint>,
}

impl Report {
    /// The first failed step: the one to fix first.
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == Status::Failed)
    }

    /// Whether the secret was sent and judged. `false` for a vendor-bound
    /// API user's check, whose `passed` only vouches for username and zone.
    pub fn tested_the_secret(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.id == StepId::Authentication && s.status != Status::Skipped)
    }
}

/// An entity the integration needs, as Autotask spells it in URLs
/// (`Tickets`, `Companies`), and whether it must create or edit them too.
/// Written `Tickets` (read) or `Tickets:write`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    name: String,
    write: bool,
}

pub const DEFAULT_ENTITIES: [&str; 4] = ["Companies", "Contacts", "Tickets", "Resources"];

/// What integrations commonly need, for the window's short list (the CLI
/// takes any entity name). Webhook entities are what vendors such as
/// Proxuma create.
pub const COMMON_ENTITIES: [&str; 15] = [
    "Companies",
    "Contacts",
    "Tickets",
    "TicketNotes",
    "TimeEntries",
    "Resources",
    "Projects",
    "Tasks",
    "Contracts",
    "ConfigurationItems",
    "Opportunities",
    "CompanyWebhooks",
    "ContactWebhooks",
    "TicketWebhooks",
    "ConfigurationItemWebhooks",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "\"{0}\" is not an Autotask entity name: use the plural name from Autotask's API, letters and \
     digits only, such as Tickets or ConfigurationItems (add :write if the integration creates or \
     edits them)."
)]
pub struct EntityError(pub String);

impl Entity {
    pub fn parse(raw: &str) -> Result<Entity, EntityError> {
        let s = raw.trim();
        let (name, write) = match s.rsplit_once(':') {
            Some((name, need)) if need.eq_ignore_ascii_case("write") => (name, true),
            Some((name, need)) if need.eq_ignore_ascii_case("read") => (name, false),
            _ => (s, false),
        };
        let ok = !name.is_empty()
            && name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(Entity {
                name: name.to_string(),
                write,
            })
        } else {
            Err(EntityError(raw.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Whether the integration creates or edits these records.
    pub fn needs_write(&self) -> bool {
        self.write
    }

    /// As written in `--entity` and in a saved profile.
    pub fn spelled(&self) -> String {
        if self.write {
            format!("{}:write", self.name)
        } else {
            self.name.clone()
        }
    }

    /// `names` parsed and de-duplicated, or none when none is named (a saved
    /// profile then uses what it was saved with).
    pub fn chosen(names: &[String]) -> Result<Vec<Entity>, EntityError> {
        if names.is_empty() {
            Ok(vec![])
        } else {
            Entity::list(names)
        }
    }

    /// `names` parsed and de-duplicated (case-insensitively; a write need
    /// wins over a read one); the default four when empty.
    pub fn list(names: &[String]) -> Result<Vec<Entity>, EntityError> {
        let mut out: Vec<Entity> = Vec::new();
        let defaults: Vec<String> = DEFAULT_ENTITIES.iter().map(|s| s.to_string()).collect();
        for name in if names.is_empty() { &defaults } else { names } {
            let e = Entity::parse(name)?;
            match out
                .iter_mut()
                .find(|o| o.name.eq_ignore_ascii_case(&e.name))
            {
                Some(o) => o.write |= e.write,
                None => out.push(e),
            }
        }
        Ok(out)
    }
}

/// What the check needs.
#[derive(Debug)]
pub struct CheckInput {
    /// What was pasted as the zone; `None` (or the discovery host) means
    /// discover it from the username.
    pub zone: Option<ZoneInput>,
    pub credentials: Credentials,
    pub entities: Vec<Entity>,
    /// Input warnings to carry into the report.
    pub lints: Vec<Lint>,
}

/// Receives every step as it starts and as it ends.
pub type Observer<'a> = &'a (dyn Fn(&Step) + Send + Sync);

// ------------------------------------------------------------ Autotask UI

const API_USERS: &str = "Admin › Company Settings & Users › Resources/Users (HR) › Resources/Users";
const SECURITY_LEVELS: &str =
    "Admin › Company Settings & Users › Resources/Users (HR) › Security Levels";
pub const HELP_API_USER: &str = "https://www.autotask.net/help/Content/4_Admin/1CompanySettings_Users/ResourcesUsersHR/Resources/API_User_Add_Edit.htm";
pub const HELP_SECURITY_LEVELS: &str = "https://www.autotask.net/help/Content/4_Admin/1CompanySettings_Users/ResourcesUsersHR/Security/System_Security_Levels.htm";

/// Autotask's limit of concurrent calls per integration code and entity.
pub const THREAD_LIMIT_PER_ENTITY: usize = 3;
/// Our own cap on concurrent probes, whatever the entity list.
const MAX_CONCURRENT_PROBES: usize = 6;

// ------------------------------------------------------------- redaction

/// A second pass over everything a step says: `rest` already scrubbed the
/// answers it read, and this catches text composed from them.
fn redact_step(redactor: &Redactor, step: &mut Step) {
    redactor.scrub(&mut step.message);
    if let Some(f) = step.fix.as_mut() {
        redactor.scrub(f);
    }
    for x in &mut step.http {
        redactor.scrub(&mut x.url);
        x.errors.iter_mut().for_each(|e| redactor.scrub(e));
        if let Some(f) = x.failure.as_mut() {
            redactor.scrub(f);
        }
    }
}

struct Ladder<'a> {
    steps: Vec<Step>,
    observe: Observer<'a>,
    redactor: &'a Redactor,
}

/// The zone entered, if it names one, and whether the discovery host was
/// entered instead.
fn entered(zone: Option<ZoneInput>) -> (Option<Zone>, bool) {
    match zone {
        Some(ZoneInput::Zone(z)) => (Some(z), false),
        Some(ZoneInput::Discover) => (None, true),
        None => (None, false),
    }
}

impl<'a> Ladder<'a> {
    /// Every step pending, then network and zone running: each check
    /// starts with the zone look-up.
    fn start(observe: Observer<'a>, redactor: &'a Redactor) -> Ladder<'a> {
        let mut ladder = Ladder {
            steps: StepId::ALL
                .iter()
                .map(|id| Step::new(*id, Status::Pending, "Waiting"))
                .collect(),
            observe,
            redactor,
        };
        ladder.running(StepId::Network, "Connecting to Autotask…");
        ladder.running(StepId::Zone, "Looking up the zone for this username…");
        ladder
    }
}

impl Ladder<'_> {
    fn emit(&mut self, mut step: Step) {
        redact_step(self.redactor, &mut step);
        (self.observe)(&step);
        let i = StepId::ALL
            .iter()
            .position(|id| *id == step.id)
            .expect("known step");
        self.steps[i] = step;
    }
    fn running(&mut self, id: StepId, what: &str) {
        self.emit(Step::new(id, Status::Running, what));
    }
    fn skip_from(&mut self, first: StepId, why: &str) {
        let start = StepId::ALL
            .iter()
            .position(|id| *id == first)
            .expect("known step");
        for id in &StepId::ALL[start..] {
            self.emit(Step::skipped(*id, why));
        }
    }
}

// ------------------------------------------------------------- the driver

/// Runs the check; `observe` sees every step start and finish.
pub async fn run(transport: &Transport, input: &CheckInput, observe: Observer<'_>) -> Report {
    let creds = &input.credentials;
    let redactor = Redactor::new(creds.secret.clone(), creds.integration_code.as_str());
    let mut ladder = Ladder::start(observe, &redactor);
    let (pasted, entered_discovery_host) = entered(input.zone);

    // Level 1: the zone look-up (no secret). The secret goes out only after
    // it, to the one zone it names: sent first to a pasted zone that turned
    // out stale, a wrong secret would have reached Autotask twice.
    let auth_path = "ThresholdInformation";
    let (disc_x, disc) = rest::zone_information(transport, &creds.username).await;

    let mut unreached: Vec<TransportError> = Vec::new();
    let disc_unreached = unreached_by(&disc);
    let (zone_step, next) = decide_zone(
        pasted,
        entered_discovery_host,
        &creds.username,
        disc_x,
        &disc,
    );

    // Level 2: the one authenticated call.
    let (zone, info, (auth_x, auth)) = match next {
        ZoneNext::Use { zone, info } => {
            ladder.emit(zone_step);
            ladder.running(StepId::Authentication, "Signing in to Autotask…");
            let auth = rest::authenticated_get(transport, zone, auth_path, creds).await;
            (zone, info, auth)
        }
        ZoneNext::UnknownUserTryPasted(p) => {
            // The look-up does not know the username; the zone entered may
            // still accept it (seen for some tenants): one sign-in decides.
            ladder.running(StepId::Authentication, "Signing in to Autotask…");
            let (x, result) = rest::authenticated_get(transport, p, auth_path, creds).await;
            if result.is_ok() {
                ladder.emit(
                    Step::new(
                        StepId::Zone,
                        Status::Warning,
                        format!(
                            "Autotask's zone look-up does not know this username, yet {} accepted \
                             it. Using the zone you entered.",
                            p.api_host()
                        ),
                    )
                    .with_http(zone_step.http.clone()),
                );
                (p, None, (x, result))
            } else {
                ladder.emit(zone_step.with_http([x]));
                ladder.emit(Step::new(
                    StepId::Network,
                    Status::Passed,
                    format!(
                        "Reached {DISCOVERY_HOST} over HTTPS (certificate verified{}).",
                        transport.how_reached()
                    ),
                ));
                ladder.skip_from(StepId::Authentication, "the zone step has to pass first.");
                return finish(ladder, None, None, vec![], &input.lints);
            }
        }
        ZoneNext::Stop => {
            let exchanges = zone_step.http.clone();
            ladder.emit(zone_step);
            let network = match disc_unreached {
                Some(t) => network_failed(&t).with_http(exchanges),
                None => Step::new(
                    StepId::Network,
                    Status::Passed,
                    format!(
                        "Reached {DISCOVERY_HOST} over HTTPS (certificate verified{}).",
                        transport.how_reached()
                    ),
                ),
            };
            let blocked_by_network = network.status == Status::Failed;
            ladder.emit(network);
            ladder.skip_from(
                StepId::Authentication,
                if blocked_by_network {
                    "Autotask could not be reached."
                } else {
                    "the zone step has to pass first."
                },
            );
            return finish(ladder, None, None, vec![], &input.lints);
        }
    };
    if let Some(t) = disc_unreached {
        unreached.push(t);
    }

    let tenant_base = Tenant::located(zone, info.as_ref());
    let api_unreached = unreached_by(&auth);
    let network = match (&api_unreached, unreached.first()) {
        (Some(t), _) => network_failed(t).with_http([auth_x.clone()]),
        (None, Some(t)) => Step::new(
            StepId::Network,
            Status::Warning,
            format!(
                "Reached {} but not Autotask's zone look-up host: {}",
                zone.api_host(),
                t.message
            ),
        )
        .blaming(Blame::Network, t.fix()),
        (None, None) => Step::new(
            StepId::Network,
            Status::Passed,
            format!(
                "Reached {DISCOVERY_HOST} and {} over HTTPS (certificates verified{}).",
                zone.api_host(),
                transport.how_reached()
            ),
        ),
    };
    ladder.emit(network);
    if api_unreached.is_some() {
        ladder.skip_from(
            StepId::Authentication,
            "Autotask's API host could not be reached, so the credentials were not sent.",
        );
        return finish(ladder, Some(tenant_base), None, vec![], &input.lints);
    }

    let web_url = tenant_base.web_url.clone();
    let (auth_step, usage) = judge_authentication(auth_x, &auth, zone, creds, &web_url);
    let auth_ok = auth_step.status != Status::Failed;
    ladder.emit(auth_step);
    if !auth_ok {
        ladder.skip_from(StepId::Tenant, "authentication did not succeed.");
        return finish(ladder, Some(tenant_base), None, vec![], &input.lints);
    }

    // Level 3: read-only probes, concurrently.
    ladder.running(StepId::Tenant, "Reading company 0 (your own company)…");
    ladder.running(StepId::Permissions, "Reading the API user's access…");
    ladder.running(StepId::Usage, "Reading the hourly request usage…");
    let limiter = Semaphore::new(MAX_CONCURRENT_PROBES);
    let observe_final = |mut step: Step| {
        redact_step(&redactor, &mut step);
        observe(&step);
        step
    };
    let tenant_probe = async {
        let _permit = limiter.acquire().await.expect("semaphore open");
        let (x, r) = rest::authenticated_get(transport, zone, "Companies/0", creds).await;
        let (step, name) = judge_tenant(x, &r, &web_url);
        (observe_final(step), name)
    };
    let permissions_probe = async {
        let probes = input.entities.iter().map(|e| async {
            let _permit = limiter.acquire().await.expect("semaphore open");
            let path = format!("{}/entityInformation", e.as_str());
            let (x, r) = rest::authenticated_get(transport, zone, &path, creds).await;
            (e.as_str().to_string(), x, r)
        });
        let results = futures_util::future::join_all(probes).await;
        let (step, access) = judge_permissions(results, &input.entities, &web_url);
        (observe_final(step), access)
    };
    let ((tenant_step, company), (perm_step, access)) =
        tokio::join!(tenant_probe, permissions_probe);
    let usage_step = judge_usage(usage.as_ref());
    // Already observed; store them in the ladder without telling twice.
    for step in [tenant_step, perm_step] {
        let i = StepId::ALL
            .iter()
            .position(|id| *id == step.id)
            .expect("known");
        ladder.steps[i] = step;
    }
    ladder.emit(usage_step);
    let tenant = Tenant {
        company_name: company,
        ..tenant_base
    };
    finish(ladder, Some(tenant), usage, access, &input.lints)
}

// ------------------------------------------------ vendor-bound API users

/// What the check of a vendor-bound API user needs. It has no integration
/// code (only the vendor has it), so it cannot make an authenticated call:
/// [`run_bound`] has nothing to sign in with. The secret is here to be
/// linted and scrubbed from answers, never to be sent.
#[derive(Debug)]
pub struct BoundInput {
    pub zone: Option<ZoneInput>,
    pub vendor: &'static Vendor,
    pub username: Username,
    pub secret: Arc<Secret>,
    pub lints: Vec<Lint>,
}

/// The check for one vendor's API user: the full ladder for a vendor whose
/// form takes an integration code (and for your own integration), the
/// network and zone only for a vendor-bound user.
#[derive(Debug)]
pub enum Plan {
    Full {
        vendor: &'static Vendor,
        input: CheckInput,
    },
    Bound(BoundInput),
}

/// The integration code was given for a vendor-bound API user.
fn bound_code_given(vendor: &Vendor) -> Error {
    Error::IntegrationCodeNotUsed {
        vendor: vendor.name.clone(),
    }
}

impl Plan {
    /// Parses and lints the inputs for `vendor`. A vendor-bound user takes no
    /// integration code (one given is refused); the others need one.
    pub fn new(
        vendor: &'static Vendor,
        zone: Option<ZoneInput>,
        username: &str,
        secret: Arc<Secret>,
        integration_code: &str,
        entities: Vec<Entity>,
    ) -> Result<Plan, Error> {
        if !vendor.bound {
            let (credentials, lints) =
                Credentials::parse(username, secret, integration_code).map_err(Error::Input)?;
            return Ok(Plan::Full {
                vendor,
                input: CheckInput {
                    zone,
                    credentials,
                    entities,
                    lints,
                },
            });
        }
        if !integration_code.trim().is_empty() {
            return Err(bound_code_given(vendor));
        }
        let mut lints = Vec::new();
        let username = Username::parse(username, &mut lints);
        let secret_ok = secret.lint(&mut lints);
        if secret_ok {
            crate::credentials::lint_secret_for_forms(&secret, &mut lints);
        }
        match username {
            Some(username) if secret_ok => Ok(Plan::Bound(BoundInput {
                zone,
                vendor,
                username,
                secret,
                lints,
            })),
            _ => Err(Error::Input(lints)),
        }
    }

    pub fn vendor(&self) -> &'static Vendor {
        match self {
            Plan::Full { vendor, .. } => vendor,
            Plan::Bound(b) => b.vendor,
        }
    }

    /// Whether running this plan sends the secret to Autotask (a
    /// vendor-bound user's check never does).
    pub fn sends_secret(&self) -> bool {
        matches!(self, Plan::Full { .. })
    }

    pub fn lints(&self) -> &[Lint] {
        match self {
            Plan::Full { input, .. } => &input.lints,
            Plan::Bound(b) => &b.lints,
        }
    }

    pub fn username(&self) -> &Username {
        match self {
            Plan::Full { input, .. } => &input.credentials.username,
            Plan::Bound(b) => &b.username,
        }
    }

    pub fn secret(&self) -> &Arc<Secret> {
        match self {
            Plan::Full { input, .. } => &input.credentials.secret,
            Plan::Bound(b) => &b.secret,
        }
    }

    pub fn integration_code(&self) -> Option<&IntegrationCode> {
        match self {
            Plan::Full { input, .. } => Some(&input.credentials.integration_code),
            Plan::Bound(_) => None,
        }
    }

    /// Runs the ladder this plan calls for.
    pub async fn run(&self, transport: &Transport, observe: Observer<'_>) -> Report {
        match self {
            Plan::Full { input, .. } => run(transport, input, observe).await,
            Plan::Bound(b) => run_bound(transport, b, observe).await,
        }
    }
}

/// The tenant's zone for a hand-off: the one entered, else Autotask's zone
/// look-up for the username (which needs no secret).
pub async fn zone_for(
    transport: &Transport,
    zone: Option<ZoneInput>,
    username: &Username,
) -> Result<Zone, Error> {
    if let Some(ZoneInput::Zone(z)) = zone {
        return Ok(z);
    }
    match rest::zone_information(transport, username).await.1 {
        Ok(info) => Ok(info.zone),
        Err(f) if is_unknown_user(&f) => Err(Error::ZoneLookup(
            "Autotask does not know this username. Use the Username (Key) from the API user's \
             Credentials section, or give the zone with --zone."
                .into(),
        )),
        Err(f) => Err(Error::ZoneLookup(format!(
            "{}. Give the zone with --zone.",
            failure_sentence(&f, DISCOVERY_HOST)
        ))),
    }
}

/// Why a step of a vendor-bound user's check does not run.
fn not_tested_here(id: StepId, vendor: &str) -> Step {
    let message = match id {
        StepId::Authentication => format!(
            "Not tested here: this API user's tracking identifier belongs to {vendor}, and only \
             {vendor} has its integration code. Signing in with any other code would be a failed \
             login that counts towards locking the user, so the secret was not sent. {vendor}'s \
             own Test button verifies it."
        ),
        StepId::Tenant => format!(
            "Not tested here: reading company 0 needs {vendor}'s integration code. The zone, \
             portal and database id come from Autotask's zone look-up."
        ),
        StepId::Permissions => format!(
            "Not tested here: reading the API user's access needs {vendor}'s integration code."
        ),
        _ => format!(
            "Not tested here: reading the hourly request usage needs {vendor}'s integration code."
        ),
    };
    Step::new(id, Status::Skipped, message)
}

/// The check of a vendor-bound API user: network and zone (`zoneInformation`
/// needs only the username) and nothing that carries the secret or a code.
pub async fn run_bound(transport: &Transport, input: &BoundInput, observe: Observer<'_>) -> Report {
    let redactor = Redactor::new(input.secret.clone(), "");
    let mut ladder = Ladder::start(observe, &redactor);
    let (pasted, entered_discovery_host) = entered(input.zone);
    let (x, disc) = rest::zone_information(transport, &input.username).await;
    let unreached = unreached_by(&disc);
    let (zone_step, next) = decide_zone(pasted, entered_discovery_host, &input.username, x, &disc);
    ladder.emit(zone_step);
    ladder.emit(match unreached {
        Some(t) => network_failed(&t),
        None => Step::new(
            StepId::Network,
            Status::Passed,
            format!(
                "Reached {DISCOVERY_HOST} over HTTPS (certificate verified{}).",
                transport.how_reached()
            ),
        ),
    });
    let tenant = match next {
        // No sign-in can tell whether the entered zone knows the username.
        ZoneNext::Stop | ZoneNext::UnknownUserTryPasted(_) => None,
        ZoneNext::Use { zone, info } => Some(Tenant::located(zone, info.as_ref())),
    };
    for id in &StepId::ALL[2..] {
        ladder.emit(not_tested_here(*id, &input.vendor.name));
    }
    finish(ladder, tenant, None, vec![], &input.lints)
}

fn finish(
    ladder: Ladder<'_>,
    tenant: Option<Tenant>,
    usage: Option<Usage>,
    entities: Vec<EntityAccess>,
    lints: &[Lint],
) -> Report {
    let passed = ladder.steps.iter().all(|s| s.status != Status::Failed);
    let mut tenant = tenant;
    if let Some(t) = tenant.as_mut() {
        for field in [t.zone_name.as_mut(), t.company_name.as_mut()]
            .into_iter()
            .flatten()
        {
            ladder.redactor.scrub(field);
        }
    }
    let mut entities = entities;
    for problem in entities.iter_mut().filter_map(|e| e.problem.as_mut()) {
        ladder.redactor.scrub(problem);
    }
    Report {
        passed,
        tenant,
        steps: ladder.steps,
        usage,
        entities,
        lints: lints.to_vec(),
    }
}

/// The transport failure of a call that never reached the server.
fn unreached_by<T>(result: &Result<T, Failure>) -> Option<TransportError> {
    match result {
        Err(Failure::Transport(t)) if !t.sent => Some(t.clone()),
        _ => None,
    }
}

fn network_failed(t: &TransportError) -> Step {
    Step::new(StepId::Network, Status::Failed, t.message.clone()).blaming(Blame::Network, t.fix())
}

// ------------------------------------------------------------------- zone

/// Level 1's authenticated call to a pasted zone: where, and what came back.
enum ZoneNext {
    Stop,
    /// Sign in to this zone.
    Use {
        zone: Zone,
        info: Option<ZoneInformation>,
    },
    /// The look-up does not know the username, but a zone was entered: one
    /// sign-in there decides whether the username is wrong.
    UnknownUserTryPasted(Zone),
}

fn is_unknown_user(f: &Failure) -> bool {
    matches!(f, Failure::Status { status: 500, .. })
        && f.error_text().contains(rest::ZONE_UNKNOWN_TEXT)
}

fn describe_zone(info: &ZoneInformation) -> String {
    let place = format!("{} ({})", info.zone, info.zone.api_host());
    match &info.zone_name {
        Some(name) => format!("\"{name}\", {place}"),
        None => place,
    }
}

fn decide_zone(
    pasted: Option<Zone>,
    entered_discovery_host: bool,
    username: &crate::credentials::Username,
    exchange: Exchange,
    disc: &Result<ZoneInformation, Failure>,
) -> (Step, ZoneNext) {
    let id = StepId::Zone;
    match (pasted, disc) {
        (_, Ok(info)) => {
            let db = info
                .ci
                .map(|ci| format!(", database {ci}"))
                .unwrap_or_default();
            let link = Some(info.web_url.clone());
            let next = ZoneNext::Use {
                zone: info.zone,
                info: Some(info.clone()),
            };
            match pasted {
                Some(p) if p != info.zone => (
                    Step::new(
                        id,
                        Status::Warning,
                        format!(
                            "The Autotask URL you entered is {p}, but Autotask says this username's \
                             tenant is in {}{db}. Using {}; nothing was sent to {p}.",
                            describe_zone(info),
                            info.zone
                        ),
                    )
                    .blaming(
                        Blame::Zone,
                        format!("Use {} as the Autotask URL.", info.web_url),
                    )
                    .details(
                        "Autotask sometimes moves a tenant to a new zone; the old address then \
                         stops working for the API.",
                    )
                    .link(link)
                    .with_http([exchange]),
                    next,
                ),
                _ => {
                    let how = if pasted.is_some() {
                        "The Autotask URL you entered matches: Autotask has this username in"
                    } else if entered_discovery_host {
                        "webservices.autotask.net only looks zones up; Autotask has this username in"
                    } else {
                        "Autotask has this username in"
                    };
                    (
                        Step::new(id, Status::Passed, format!("{how} {}{db}.", describe_zone(info)))
                            .link(link)
                            .with_http([exchange]),
                        next,
                    )
                }
            }
        }
        (_, Err(f)) if is_unknown_user(f) => (
            Step::new(
                id,
                Status::Failed,
                format!(
                    "Autotask does not know this username (\"Zone information could not be \
                     determined\").{}",
                    if username.is_generated_key() {
                        ""
                    } else {
                        " It looks like a person's e-mail address rather than the key Autotask \
                         generates for an API user."
                    }
                ),
            )
            .blaming(
                Blame::Username,
                "Paste the Username (Key) from the API user's Credentials section.",
            )
            .details(format!(
                "Not the e-mail address on its General tab: {API_USERS}, edit the API user. If the \
                 user is brand new, make sure it was saved."
            ))
            .link(Some(HELP_API_USER.into()))
            .with_http([exchange]),
            match pasted {
                Some(p) => ZoneNext::UnknownUserTryPasted(p),
                None => ZoneNext::Stop,
            },
        ),
        (Some(p), Err(f)) => {
            let why = failure_sentence(f, DISCOVERY_HOST);
            (
                Step::new(
                    id,
                    Status::Warning,
                    format!("Could not confirm the zone with Autotask's look-up ({why}). Using the zone you entered, {p}."),
                )
                .with_http([exchange]),
                ZoneNext::Use { zone: p, info: None },
            )
        }
        (None, Err(Failure::Transport(t))) if !t.sent => (
            // The network step says why; this row only says it did not run.
            Step::skipped(id, "Autotask could not be reached.").with_http([exchange]),
            ZoneNext::Stop,
        ),
        (None, Err(f)) => {
            let (blame, fix) = failure_blame_fix(f);
            let mut step = Step::new(
                id,
                Status::Failed,
                format!(
                    "The zone could not be looked up: {}.",
                    failure_sentence(f, DISCOVERY_HOST)
                ),
            )
            .with_http([exchange]);
            step.blame = blame;
            step.fix = Some(fix);
            (step, ZoneNext::Stop)
        }
    }
}

// ------------------------------------------------------ generic failures

/// One sentence for any failure: what came back.
fn failure_sentence(f: &Failure, host: &str) -> String {
    match f {
        Failure::Transport(t) => t.message.clone(),
        Failure::Redirect { status, location } => format!(
            "{host} answered HTTP {status}, a redirect to {}; it was not followed, so the credentials \
             went nowhere else",
            location.as_deref().unwrap_or("(no address)")
        ),
        Failure::Unreadable { status, reason, .. } => {
            format!("{host} answered HTTP {status} but {reason}")
        }
        Failure::Status {
            status,
            errors,
            body,
            ..
        } => {
            let said = match (errors.is_empty(), body) {
                (false, Body::Html(_)) => format!(" with {}", errors.join("; ")),
                (false, _) => format!(": \"{}\"", errors.join("\"; \"")),
                (true, _) => " with no details".to_string(),
            };
            format!("{host} answered HTTP {status}{said}")
        }
    }
}

/// For failures that are nobody's input in particular.
fn failure_blame_fix(f: &Failure) -> (Option<Blame>, String) {
    match f {
        Failure::Transport(t) => (Some(Blame::Network), t.fix()),
        Failure::Redirect { .. } => (
            Some(Blame::Network),
            "Autotask's API does not redirect; a proxy or filter on this network probably does. \
             Have *.autotask.net allowed without redirection."
                .into(),
        ),
        Failure::Unreadable {
            body: Body::Html(_),
            ..
        }
        | Failure::Status {
            body: Body::Html(_),
            ..
        } => (
            Some(Blame::Network),
            "An HTML page is not an Autotask API answer: a proxy, captive portal or web filter is \
             probably answering for autotask.net. Open your Autotask portal in a browser on this \
             computer, deal with any login or block page, or have *.autotask.net allowed."
                .into(),
        ),
        Failure::Status { status: 429, .. } => (Some(Blame::RateLimit), rate_limit_fix(f)),
        _ => (
            None,
            "Autotask reported a problem of its own. Try again in a few minutes; if it keeps \
             happening, send the copied report to Autotask support."
                .into(),
        ),
    }
}

fn is_thread_limit(f: &Failure) -> bool {
    let t = f.error_text();
    t.contains("itgenatr005") || t.contains("thread threshold")
}

fn rate_limit_sentence(f: &Failure) -> String {
    let retry = match f {
        Failure::Status {
            retry_after: Some(r),
            ..
        } => match rest::retry_after_seconds(r) {
            Some(d) => format!(" Autotask asks to wait {} s.", d.as_secs()),
            None => format!(" Autotask asks to wait until {r}."),
        },
        _ => String::new(),
    };
    if is_thread_limit(f) {
        format!(
            "Autotask refused the call: more than 3 calls were running at once for this \
             integration code and entity (thread threshold).{retry}"
        )
    } else {
        format!(
            "Autotask refused the call: the tenant has used its hourly request limit (10,000 \
             requests, shared by every integration).{retry}"
        )
    }
}

fn rate_limit_fix(f: &Failure) -> String {
    if is_thread_limit(f) {
        "Another program using the same integration code is busy with the same entity. Wait a \
         moment and test again."
            .into()
    } else {
        "Wait until the hour rolls over. The limit is shared by all integrations on the tenant: \
         find the one that polls most and slow it down."
            .into()
    }
}

fn is_permission_text(f: &Failure) -> bool {
    let t = f.error_text();
    t.contains("permission") || t.contains("not authorized") || t.contains("access denied")
}

// -------------------------------------------------------- authentication

fn judge_authentication(
    exchange: Exchange,
    result: &Result<Value, Failure>,
    zone: Zone,
    creds: &Credentials,
    web_url: &str,
) -> (Step, Option<Usage>) {
    let id = StepId::Authentication;
    let host = zone.api_host();
    let portal = Some(web_url.to_string());
    let step =
        |status, message: String| Step::new(id, status, message).with_http([exchange.clone()]);
    let f = match result {
        Ok(json) => {
            return (
                step(
                    Status::Passed,
                    format!(
                        "Autotask accepted the username, secret and integration code at {host}."
                    ),
                ),
                rest::parse_usage(json),
            );
        }
        Err(f) => f,
    };
    let once =
        " The check sent the secret once and will not retry: repeated failures lock the API user.";
    let text = f.error_text();
    let s = match f {
        Failure::Status { status: 401, .. } if text.contains("locked") => step(
            Status::Failed,
            format!("Autotask has locked this API user (\"{}\"), usually after repeated wrong secrets.", first_error(f)),
        )
        .blaming(Blame::Locked, "Ask an Autotask administrator to unlock the API user, then test once.")
        .details(format!(
            "{API_USERS}: edit the API user and clear its locked state. Then test once with the \
             secret your integration uses (a new secret would stop every integration using the \
             old one)."
        ))
        .link(portal),
        Failure::Status { status: 401, .. } if !creds.username.is_generated_key() => step(
            Status::Failed,
            format!(
                "Autotask refused the login (HTTP 401). This username is not shaped like an API \
                 user's generated key: the REST API accepts only API users.{once}"
            ),
        )
        .blaming(Blame::Username, "Use an API user's Username (Key), not a person's login.")
        .details(format!(
            "{API_USERS}, New › New API User, security level \"API User (system)\" (or a copy of \
             it), then Generate Key and Generate Secret. If this really is an API user, its secret \
             is wrong."
        ))
        .link(Some(HELP_API_USER.into())),
        Failure::Status { status: 401, .. } => step(
            Status::Failed,
            format!(
                "Autotask refused the secret for this username at {host} (HTTP 401).{once}"
            ),
        )
        .blaming(Blame::Secret, "Paste the secret again exactly as it was generated.")
        .details(format!(
            "If nobody has it any more: {API_USERS}, edit the API user, Generate Secret, and paste \
             the new one (the old one then stops working everywhere it is used). A user created in \
             the last 5 minutes may not work yet: wait, then test once."
        ))
        .link(portal),
        Failure::Status { status: 500, .. } if text.contains("integrationcode") || text.contains("integration code") => step(
            Status::Failed,
            format!("Autotask does not accept this integration code (\"{}\").", first_error(f)),
        )
        .blaming(
            Blame::IntegrationCode,
            "Copy the API Tracking Identifier again, whole (usually 27 characters).",
        )
        .details(format!(
            "{API_USERS}, edit the API user, API Tracking Identifier. For your own integration \
             choose \"Custom (Internal Integration)\"; a vendor's code works only for that \
             vendor's product."
        ))
        .link(portal),
        Failure::Status { status: 500, .. } if text.contains(rest::ZONE_UNKNOWN_TEXT) =>
        {
            step(Status::Failed, format!("Autotask does not know this username ({}).", first_error(f)))
                .blaming(Blame::Username, "Paste the Username (Key) from the API user's Credentials section.")
        }
        Failure::Status { status: 403, .. } => step(
            Status::Failed,
            format!(
                "Autotask refused API access for this user (HTTP 403{}): its security level does \
                 not allow logging in to the Web Services API.",
                quoted_errors(f)
            ),
        )
        .blaming(
            Blame::Licence,
            "Allow \"Can login to Web Services API\" in the API user's security level.",
        )
        .details(format!(
            "{SECURITY_LEVELS}: edit the API user's security level, Web Services API — or give the \
             user \"API User (system)\" or a copy of it."
        ))
        .link(Some(HELP_SECURITY_LEVELS.into())),
        Failure::Status { status: 500, .. } if is_permission_text(f) => step(
            Status::Failed,
            format!("Autotask refused the call for lack of permission (\"{}\").", first_error(f)),
        )
        .blaming(
            Blame::Licence,
            format!("{SECURITY_LEVELS}: give the API user a security level based on \"API User (system)\"."),
        )
        .link(Some(HELP_SECURITY_LEVELS.into())),
        Failure::Status { status: 429, .. } => {
            step(Status::Failed, rate_limit_sentence(f)).blaming(Blame::RateLimit, rate_limit_fix(f))
        }
        Failure::Status { status: 404, .. } => step(
            Status::Failed,
            format!("{host} has no Autotask REST API at this address (HTTP 404)."),
        )
        .blaming(
            Blame::Zone,
            "Check the Autotask URL: paste the address of your Autotask portal (wwN.autotask.net), or \
             leave it empty to discover the zone from the username.",
        ),
        other => {
            let (blame, fix) = failure_blame_fix(other);
            let mut s = step(Status::Failed, failure_sentence(other, &host) + ".");
            s.blame = blame;
            s.fix = Some(fix);
            s
        }
    };
    (s, None)
}

fn first_error(f: &Failure) -> String {
    match f {
        Failure::Status { errors, .. } if !errors.is_empty() => errors[0].clone(),
        _ => "no details".into(),
    }
}

fn quoted_errors(f: &Failure) -> String {
    match f {
        Failure::Status { errors, body, .. }
            if !errors.is_empty() && !matches!(body, Body::Html(_)) =>
        {
            format!(": \"{}\"", errors.join("\"; \""))
        }
        _ => String::new(),
    }
}

// ----------------------------------------------------------------- tenant

fn judge_tenant(
    exchange: Exchange,
    result: &Result<Value, Failure>,
    web_url: &str,
) -> (Step, Option<String>) {
    let id = StepId::Tenant;
    let base =
        |status, message: String| Step::new(id, status, message).with_http([exchange.clone()]);
    match result {
        Ok(json) => match rest::parse_company_zero(json) {
            Some(Some(name)) => (
                base(Status::Passed, format!("Company 0, your own company in Autotask, is \"{name}\".")),
                Some(name),
            ),
            Some(None) => (
                base(
                    Status::Warning,
                    "Company 0 (your own company) is hidden from this API user: its lines of business \
                     probably exclude it, so the integration will not see some records either."
                        .into(),
                )
                .blaming(
                    Blame::Permissions,
                    format!(
                        "{API_USERS}, edit the API user, and under Line of Business associate it with \
                         all lines of business the integration needs (or none, to see everything)."
                    ),
                )
                .link(Some(web_url.into())),
                None,
            ),
            None => (
                base(Status::Warning, "Autotask's answer for company 0 could not be read.".into()),
                None,
            ),
        },
        Err(f @ Failure::Status { status, .. })
            if *status == 403 || (*status == 500 && is_permission_text(f)) =>
        {
            (
                base(
                    Status::Warning,
                    format!(
                        "The API user may not read Companies (HTTP {status}{}), so the tenant's own \
                         company could not be shown.",
                        quoted_errors(f)
                    ),
                )
                .blaming(
                    Blame::Permissions,
                    format!("{SECURITY_LEVELS}: allow the API user's security level to read Companies."),
                )
                .link(Some(HELP_SECURITY_LEVELS.into())),
                None,
            )
        }
        Err(f @ Failure::Status { status: 429, .. }) => (
            base(Status::Warning, rate_limit_sentence(f)).blaming(Blame::RateLimit, rate_limit_fix(f)),
            None,
        ),
        Err(f) => {
            let (blame, fix) = failure_blame_fix(f);
            let mut s = base(Status::Failed, format!("Company 0 could not be read: {}.", failure_sentence(f, "Autotask")));
            s.blame = blame;
            s.fix = Some(fix);
            (s, None)
        }
    }
}

// ------------------------------------------------------------ permissions

fn level_word(level: Option<AccessLevel>) -> &'static str {
    match level {
        Some(AccessLevel::All) => "all",
        Some(AccessLevel::Restricted) => "restricted",
        Some(AccessLevel::None) => "none",
        None => "unknown",
    }
}

/// Whether Autotask says the user may create or edit these records.
fn can_write(a: &EntityAccess) -> bool {
    [a.create, a.update]
        .iter()
        .any(|l| matches!(l, Some(AccessLevel::All | AccessLevel::Restricted)))
}

fn judge_permissions(
    results: Vec<(String, Exchange, Result<Value, Failure>)>,
    needs: &[Entity],
    web_url: &str,
) -> (Step, Vec<EntityAccess>) {
    let _ = web_url;
    let mut access = Vec::new();
    let mut http = Vec::new();
    let mut none = Vec::new();
    let mut restricted = Vec::new();
    let mut unknown = Vec::new();
    let mut broken: Vec<(String, Failure)> = Vec::new();
    let mut limited: Option<Failure> = None;
    for (entity, x, r) in results {
        http.push(x);
        let mut row = EntityAccess {
            entity: entity.clone(),
            query: None,
            create: None,
            update: None,
            delete: None,
            problem: None,
        };
        match &r {
            Ok(json) => match rest::parse_entity_info(json) {
                Some(EntityInfo {
                    query,
                    create,
                    update,
                    delete,
                    can_query,
                }) => {
                    row.query = query;
                    row.create = create;
                    row.update = update;
                    row.delete = delete;
                    match query {
                        Some(AccessLevel::None) if can_query => none.push(entity.clone()),
                        Some(AccessLevel::Restricted) => restricted.push(entity.clone()),
                        None => {
                            row.problem =
                                Some("Autotask did not say what access this user has.".into())
                        }
                        _ => {}
                    }
                }
                None => row.problem = Some("Autotask's answer could not be read.".into()),
            },
            Err(f @ Failure::Status { status, .. })
                if *status == 403 || (*status == 500 && is_permission_text(f)) =>
            {
                row.query = Some(AccessLevel::None);
                row.problem = Some(first_error(f));
                none.push(entity.clone());
            }
            Err(Failure::Status { status: 404, .. }) => {
                row.problem = Some("Autotask has no entity by this name.".into());
                unknown.push(entity.clone());
            }
            Err(f @ Failure::Status { status: 429, .. }) => {
                row.problem = Some(rate_limit_sentence(f));
                limited = Some(f.clone());
            }
            Err(f) => {
                row.problem = Some(failure_sentence(f, "Autotask"));
                broken.push((entity.clone(), f.clone()));
            }
        }
        access.push(row);
    }
    let writable: Vec<&str> = access
        .iter()
        .filter(|a| can_write(a))
        .map(|a| a.entity.as_str())
        .collect();
    // Only where Autotask answered: an unreadable answer is reported as such.
    let cannot_write: Vec<&str> = access
        .iter()
        .filter(|a| {
            a.problem.is_none()
                && !can_write(a)
                && needs
                    .iter()
                    .any(|n| n.needs_write() && n.as_str().eq_ignore_ascii_case(&a.entity))
        })
        .map(|a| a.entity.as_str())
        .collect();
    let mut summary = access
        .iter()
        .map(|a| format!("{} {}", a.entity, level_word(a.query)))
        .collect::<Vec<_>>()
        .join(", ");
    if !writable.is_empty() {
        summary.push_str(&format!("; can write: {}", writable.join(", ")));
    }
    let id = StepId::Permissions;
    let step = if !none.is_empty() {
        Step::new(
            id,
            Status::Failed,
            format!(
                "The API user cannot read {} (query access: {summary}).",
                none.join(", ")
            ),
        )
        .blaming(
            Blame::Permissions,
            format!(
                "Allow access to {} in the API user's security level.",
                none.join(", ")
            ),
        )
        .details(format!(
            "{SECURITY_LEVELS}: edit the API user's security level (best a copy of \"API User \
             (system)\") — or give the user a level that has this access."
        ))
        .link(Some(HELP_SECURITY_LEVELS.into()))
    } else if !unknown.is_empty() {
        Step::new(
            id,
            Status::Failed,
            format!("Autotask has no entity named {} (query access: {summary}).", unknown.join(", ")),
        )
        .fix("Check the entity names: Autotask's API uses plural names such as Tickets, Companies or ConfigurationItems.")
    } else if let Some((entity, f)) = broken.first() {
        let (blame, fix) = failure_blame_fix(f);
        let mut s = Step::new(
            id,
            Status::Failed,
            format!(
                "The access to {entity} could not be read: {}.",
                failure_sentence(f, "Autotask")
            ),
        );
        s.blame = blame;
        s.fix = Some(fix);
        s
    } else if !cannot_write.is_empty() {
        Step::new(
            id,
            Status::Failed,
            format!(
                "The integration needs to create or edit {}, and the API user may only read them \
                 (query access: {summary}).",
                cannot_write.join(", ")
            ),
        )
        .blaming(
            Blame::Permissions,
            format!(
                "Allow adding and editing {} in the API user's security level.",
                cannot_write.join(", ")
            ),
        )
        .details(format!(
            "{SECURITY_LEVELS}: edit the API user's security level and allow Add and Edit for \
             these entities. Webhooks also need \"Can create Webhooks\" under Other."
        ))
        .link(Some(HELP_SECURITY_LEVELS.into()))
    } else if let Some(f) = limited {
        Step::new(
            id,
            Status::Warning,
            format!("{} (query access: {summary})", rate_limit_sentence(&f)),
        )
        .blaming(Blame::RateLimit, rate_limit_fix(&f))
    } else if !restricted.is_empty() {
        Step::new(
            id,
            Status::Warning,
            format!(
                "Restricted access to {}: the integration sees only what the security level allows \
                 (query access: {summary}).",
                restricted.join(", ")
            ),
        )
        .blaming(
            Blame::Permissions,
            "If the integration needs every record, set those entities to All in the API user's security level.",
        )
        .details(SECURITY_LEVELS)
        .link(Some(HELP_SECURITY_LEVELS.into()))
    } else if access.iter().any(|a| a.problem.is_some()) {
        Step::new(
            id,
            Status::Warning,
            format!("Some access could not be read (query access: {summary})."),
        )
    } else {
        Step::new(id, Status::Passed, format!("Query access: {summary}."))
    };
    (step.with_http(http), access)
}

// ------------------------------------------------------------------ usage

fn judge_usage(usage: Option<&Usage>) -> Step {
    let id = StepId::Usage;
    let Some(u) = usage else {
        return Step::new(
            id,
            Status::Warning,
            "Autotask did not report its request usage.",
        );
    };
    let figures = format!(
        "{} of {} requests used in the last {} minutes ({} %)",
        crate::report::thousands(u.used),
        crate::report::thousands(u.limit),
        u.window_minutes,
        u.percent
    );
    if u.percent >= 75 {
        Step::new(
            id,
            Status::Warning,
            format!(
                "{figures}. Autotask slows every integration on this tenant above 75 % and refuses \
                 calls at 100 %."
            ),
        )
        .blaming(
            Blame::RateLimit,
            "The limit is shared by every integration on the tenant. Find the one that polls most \
             and slow it down, or spread work over the hour.",
        )
    } else if u.percent >= 50 {
        Step::new(
            id,
            Status::Passed,
            format!("{figures}. Above 50 % Autotask adds a small delay to each call."),
        )
    } else {
        Step::new(id, Status::Passed, format!("{figures}."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;
    use crate::transport::Layer;
    use serde_json::json;

    fn creds(username: &str) -> Credentials {
        Credentials::parse(
            username,
            Secret::new("Zq9-unique-secret-value-25".into()),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        )
        .unwrap()
        .0
    }

    fn x() -> Exchange {
        Exchange {
            method: "GET",
            url: "https://webservices5.autotask.net/ATServicesRest/V1.0/ThresholdInformation"
                .into(),
            status: None,
            errors: vec![],
            elapsed_ms: 0,
            failure: None,
        }
    }

    fn status(code: u16, errors: &[&str]) -> Result<Value, Failure> {
        Err(Failure::Status {
            status: code,
            errors: errors.iter().map(|s| s.to_string()).collect(),
            retry_after: None,
            body: Body::Json(json!({ "errors": errors })),
        })
    }

    const KEY: &str = "k3jd8f0aq2mz7xw@contoso.com";

    fn auth(result: Result<Value, Failure>, username: &str) -> Step {
        judge_authentication(
            x(),
            &result,
            Zone::Numbered(5),
            &creds(username),
            "https://ww5.autotask.net/",
        )
        .0
    }

    #[test]
    fn error_table_maps_to_step_and_blame() {
        let cases: Vec<(Step, Status, Option<Blame>)> = vec![
            (
                auth(status(401, &[]), KEY),
                Status::Failed,
                Some(Blame::Secret),
            ),
            (
                auth(status(401, &[]), "jane.doe@contoso.com"),
                Status::Failed,
                Some(Blame::Username),
            ),
            (
                auth(
                    status(
                        401,
                        &[
                            "The user account has been locked. Please see your Autotask Administrator for details.",
                        ],
                    ),
                    KEY,
                ),
                Status::Failed,
                Some(Blame::Locked),
            ),
            (
                auth(status(500, &["IntegrationCode is invalid."]), KEY),
                Status::Failed,
                Some(Blame::IntegrationCode),
            ),
            (
                auth(status(403, &[]), KEY),
                Status::Failed,
                Some(Blame::Licence),
            ),
            (
                auth(
                    status(
                        500,
                        &[
                            "The logged in Resource does not have the adequate permissions to access this entity type.",
                        ],
                    ),
                    KEY,
                ),
                Status::Failed,
                Some(Blame::Licence),
            ),
            (
                auth(status(429, &["Itgenatr005 thread threshold"]), KEY),
                Status::Failed,
                Some(Blame::RateLimit),
            ),
            (
                auth(status(429, &[]), KEY),
                Status::Failed,
                Some(Blame::RateLimit),
            ),
            (
                auth(status(404, &[]), KEY),
                Status::Failed,
                Some(Blame::Zone),
            ),
            (auth(status(503, &["down"]), KEY), Status::Failed, None),
            (
                auth(
                    Err(Failure::Redirect {
                        status: 302,
                        location: Some("https://evil.example/".into()),
                    }),
                    KEY,
                ),
                Status::Failed,
                Some(Blame::Network),
            ),
            (
                auth(
                    Err(Failure::Unreadable {
                        status: 200,
                        body: Body::Html(Some("Login".into())),
                        reason: "html".into(),
                    }),
                    KEY,
                ),
                Status::Failed,
                Some(Blame::Network),
            ),
            (
                auth(
                    Ok(
                        json!({"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":5}),
                    ),
                    KEY,
                ),
                Status::Passed,
                None,
            ),
        ];
        for (i, (step, want_status, want_blame)) in cases.into_iter().enumerate() {
            assert_eq!(
                (step.status, step.blame),
                (want_status, want_blame),
                "case {i}: {}",
                step.message
            );
            if step.status == Status::Failed {
                assert!(step.fix.is_some(), "case {i} has no fix");
            }
        }
    }

    #[test]
    fn a_401_says_it_will_not_retry() {
        let s = auth(status(401, &[]), KEY);
        assert!(s.message.contains("will not retry"), "{}", s.message);
        // The one thing to do first; generating a new secret (which breaks
        // every integration using the old one) only in the details.
        assert_eq!(
            s.fix.as_deref(),
            Some("Paste the secret again exactly as it was generated.")
        );
        assert!(
            s.details
                .unwrap()
                .starts_with("If nobody has it any more: ")
        );
    }

    #[test]
    fn a_locked_user_is_for_an_administrator_and_a_persons_login_is_the_wrong_username() {
        let locked = auth(
            status(
                401,
                &[
                    "The user account has been locked. Please see your Autotask Administrator for details.",
                ],
            ),
            KEY,
        );
        assert_eq!(
            locked.fix.as_deref(),
            Some("Ask an Autotask administrator to unlock the API user, then test once.")
        );
        let person = auth(status(401, &[]), "jane.doe@contoso.com");
        assert_eq!(
            person.fix.as_deref(),
            Some("Use an API user's Username (Key), not a person's login.")
        );
    }

    #[test]
    fn rate_limit_mentions_retry_after() {
        let f = Err(Failure::Status {
            status: 429,
            errors: vec![],
            retry_after: Some("120".into()),
            body: Body::Empty,
        });
        assert!(auth(f, KEY).message.contains("wait 120 s"));
    }

    #[test]
    fn usage_thresholds() {
        let u = |used| Usage {
            used,
            limit: 10_000,
            window_minutes: 60,
            percent: used / 100,
        };
        assert_eq!(judge_usage(Some(&u(100))).status, Status::Passed);
        assert!(judge_usage(Some(&u(5_000))).message.contains("50 %"));
        let busy = judge_usage(Some(&u(7_500)));
        assert_eq!(
            (busy.status, busy.blame),
            (Status::Warning, Some(Blame::RateLimit))
        );
        assert_eq!(judge_usage(None).status, Status::Warning);
    }

    #[test]
    fn permissions_from_entity_information() {
        let info = |q: Value| Ok(json!({"info": {"canQuery": true, "userAccessForQuery": q}}));
        let (s, rows) = judge_permissions(
            vec![
                ("Companies".into(), x(), info(json!(1))),
                ("Tickets".into(), x(), info(json!("Restricted"))),
            ],
            &[],
            "",
        );
        assert_eq!(
            (s.status, s.blame),
            (Status::Warning, Some(Blame::Permissions))
        );
        assert_eq!(rows[1].query, Some(AccessLevel::Restricted));
        let (s, _) = judge_permissions(
            vec![
                ("Companies".into(), x(), info(json!(0))),
                (
                    "Contacts".into(),
                    x(),
                    status(
                        500,
                        &["The logged in Resource does not have the adequate permissions"],
                    ),
                ),
            ],
            &[],
            "",
        );
        assert_eq!(
            (s.status, s.blame),
            (Status::Failed, Some(Blame::Permissions))
        );
        assert!(s.message.contains("Companies, Contacts"), "{}", s.message);
        let (s, _) = judge_permissions(vec![("Tickts".into(), x(), status(404, &[]))], &[], "");
        assert_eq!(s.status, Status::Failed);
        assert!(s.message.contains("Tickts"));
    }

    #[test]
    fn a_write_need_fails_where_autotask_says_the_user_may_only_read() {
        let info = |q: u8, c: u8, u: u8| {
            Ok(json!({"info": {"canQuery": true, "userAccessForQuery": q,
                "userAccessForCreate": c, "userAccessForUpdate": u}}))
        };
        let needs = Entity::list(&["Tickets:write".into(), "Companies".into()]).unwrap();
        let (s, _) = judge_permissions(
            vec![
                ("Tickets".into(), x(), info(1, 0, 0)),
                ("Companies".into(), x(), info(1, 0, 0)),
            ],
            &needs,
            "",
        );
        assert_eq!(
            (s.status, s.blame),
            (Status::Failed, Some(Blame::Permissions))
        );
        assert_eq!(
            s.message,
            "The integration needs to create or edit Tickets, and the API user may only read them \
             (query access: Tickets all, Companies all)."
        );
        assert_eq!(
            s.fix.as_deref(),
            Some("Allow adding and editing Tickets in the API user's security level.")
        );
        // Read needs only: the same answers pass; where Autotask allows
        // writing, the finding says so.
        let (s, _) = judge_permissions(
            vec![
                ("Tickets".into(), x(), info(1, 1, 1)),
                ("Companies".into(), x(), info(1, 0, 0)),
            ],
            &Entity::list(&["Tickets:write".into(), "Companies".into()]).unwrap(),
            "",
        );
        assert_eq!(s.status, Status::Passed);
        assert_eq!(
            s.message,
            "Query access: Tickets all, Companies all; can write: Tickets."
        );
    }

    #[test]
    fn entity_needs_are_spelled_as_the_cli_takes_them() {
        let e = Entity::list(&[
            "Tickets".into(),
            "tickets:WRITE".into(),
            "Companies:read".into(),
        ])
        .unwrap();
        let spelled: Vec<String> = e.iter().map(Entity::spelled).collect();
        assert_eq!(spelled, ["Tickets:write", "Companies"]);
        assert!(Entity::parse("Tickets:delete").is_err());
        assert!(Entity::parse(":write").is_err());
        assert!(Entity::chosen(&[]).unwrap().is_empty());
        assert_eq!(Entity::list(&[]).unwrap().len(), 4);
    }

    #[test]
    fn tenant_line_of_business_and_permissions() {
        let (s, name) = judge_tenant(
            x(),
            &Ok(json!({"item": {"id": 0, "companyName": "Contoso"}})),
            "",
        );
        assert_eq!(
            (s.status, name.as_deref()),
            (Status::Passed, Some("Contoso"))
        );
        let (s, _) = judge_tenant(x(), &Ok(json!({"item": null})), "");
        assert_eq!(
            (s.status, s.blame),
            (Status::Warning, Some(Blame::Permissions))
        );
        let (s, _) = judge_tenant(x(), &status(403, &[]), "");
        assert_eq!(
            (s.status, s.blame),
            (Status::Warning, Some(Blame::Permissions))
        );
    }

    #[test]
    fn entity_names_are_validated_and_deduplicated() {
        let list = Entity::list(&["Tickets".into(), "tickets".into(), "Companies".into()]).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(Entity::list(&[]).unwrap().len(), 4);
        assert!(Entity::parse("../Companies").is_err());
        assert!(Entity::parse("Tickets?x=1").is_err());
        assert!(Entity::parse("").is_err());
    }

    #[test]
    fn redactor_removes_secret_and_code() {
        let r = Redactor::new(
            Arc::new(Secret::new("Zq9-unique-secret-value-25".into())),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        );
        let mut step = Step::new(
            StepId::Tenant,
            Status::Failed,
            "echo Zq9-unique-secret-value-25 and ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        )
        .fix("cut: Zq9-uniq");
        step.http.push(Exchange {
            method: "GET",
            url: "https://webservices5.autotask.net/x".into(),
            status: Some(500),
            errors: vec!["ABCDEFGHIJ…".into()],
            elapsed_ms: 1,
            failure: Some("Zq9-unique-secret".into()),
        });
        redact_step(&r, &mut step);
        assert_eq!(step.message, "echo <secret> and <integration code>");
        assert_eq!(step.fix.as_deref(), Some("cut: <secret>"));
        assert_eq!(step.http[0].errors, ["<integration code>…"]);
        assert_eq!(step.http[0].failure.as_deref(), Some("<secret>"));
    }

    #[test]
    fn network_layer_failure_blames_network() {
        let t = TransportError {
            layer: Layer::Dns,
            host: "webservices5.autotask.net".into(),
            message: "DNS: x".into(),
            detail: "x".into(),
            sent: false,
        };
        let s = network_failed(&t);
        assert_eq!((s.status, s.blame), (Status::Failed, Some(Blame::Network)));
    }
}
