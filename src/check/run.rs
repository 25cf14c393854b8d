//! The run driver: the order of calls, what each step says while it runs,
//! and what stops the ladder.

use tokio::sync::Semaphore;

use super::input::{BoundInput, CheckInput};
use super::judges::{
    NEW_USER_WAIT_SECS, judge_api_user, judge_authentication, judge_permissions, judge_sign_in,
    judge_tenant, judge_usage, with_api_user,
};
use super::types::{Blame, EntityAccess, Observer, Report, SignIn, Status, Step, StepId, Tenant};
use super::zone::{ZoneNext, decide_zone};
use crate::credentials::Lint;
use crate::redact::Redactor;
use crate::rest::{self, Failure, Usage};
use crate::transport::{Transport, TransportError};
use crate::zone::{DISCOVERY_HOST, Zone, ZoneInput};

/// Our own cap on concurrent probes, whatever the entity list.
const MAX_CONCURRENT_PROBES: usize = 6;

// ------------------------------------------------------------- redaction

/// Everything a step says, scrubbed as it leaves the check: answers are
/// read as Autotask sent them, and only what is said about them is hidden.
pub(super) fn redact_step(redactor: &Redactor, step: &mut Step) {
    redactor.scrub(&mut step.message);
    for text in [step.fix.as_mut(), step.details.as_mut()]
        .into_iter()
        .flatten()
    {
        redactor.scrub(text);
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
pub(super) fn entered(zone: Option<ZoneInput>) -> (Option<Zone>, bool) {
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

/// How far a run goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Depth {
    /// The whole ladder: a connection check.
    Full,
    /// The zone and the one sign-in (with the tenant's usage), nothing
    /// after it: what opens a gateway, whose later requests are its clients'.
    SignIn,
}

/// Runs the check; `observe` sees every step start and finish.
/// `passed_before`: the ledger has seen this username pass (an API user).
/// Only the door ([`super::gate`]) calls it.
pub(super) async fn run(
    transport: &Transport,
    input: &CheckInput,
    passed_before: bool,
    depth: Depth,
    observe: Observer<'_>,
) -> Report {
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
                let sign_in = judge_sign_in(&result);
                return finish(ladder, None, None, vec![], &input.lints, sign_in);
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
            return finish(
                ladder,
                None,
                None,
                vec![],
                &input.lints,
                SignIn::FailedBeforeSending,
            );
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
        return finish(
            ladder,
            Some(tenant_base),
            None,
            vec![],
            &input.lints,
            SignIn::FailedBeforeSending,
        );
    }

    let web_url = tenant_base.web_url.clone();
    let sign_in = judge_sign_in(&auth);
    let (auth_step, usage) =
        judge_authentication(auth_x, &auth, zone, creds, &web_url, passed_before);
    let auth_ok = auth_step.status != Status::Failed;
    ladder.emit(auth_step);
    if !auth_ok {
        ladder.skip_from(StepId::Tenant, "authentication did not succeed.");
        return finish(
            ladder,
            Some(tenant_base),
            None,
            vec![],
            &input.lints,
            sign_in,
        );
    }
    if depth == Depth::SignIn {
        for id in [StepId::Tenant, StepId::Permissions] {
            ladder.emit(Step::skipped(id, "not needed to open a gateway."));
        }
        ladder.emit(judge_usage(usage.as_ref()));
        return finish(
            ladder,
            Some(tenant_base),
            usage,
            vec![],
            &input.lints,
            sign_in,
        );
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
    // Company 0 and the API user's own record: one step, the tenant's.
    let tenant_probe = async {
        let company = async {
            let _permit = limiter.acquire().await.expect("semaphore open");
            rest::authenticated_get(transport, zone, "Companies/0", creds).await
        };
        let identity = async {
            let _permit = limiter.acquire().await.expect("semaphore open");
            let path = rest::own_resource_path(&creds.username);
            rest::authenticated_get(transport, zone, &path, creds).await
        };
        let ((x, r), (id_x, id_r)) = tokio::join!(company, identity);
        let (step, name) = judge_tenant(x, &r, &web_url);
        let api_user = judge_api_user(&id_r);
        let step = with_api_user(step, &api_user, id_x);
        (observe_final(step), name, api_user)
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
    let ((tenant_step, company, api_user), (perm_step, access)) =
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
    let mut report = finish(ladder, Some(tenant), usage, access, &input.lints, sign_in);
    report.api_user = Some(api_user.scrubbed(&redactor));
    report
}

/// Why a step of a vendor-bound user's check does not run.
fn not_tested_here(id: StepId, vendor: &str) -> Step {
    let message = match id {
        StepId::Authentication => format!(
            "Not tested here: this API user's tracking identifier belongs to {vendor}, and only \
             {vendor} has its integration code. Signing in with any other code would be a failed \
             login that counts towards locking the user, so the secret was not sent. {vendor}'s \
             own test verifies it."
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
/// Only the door ([`super::gate`]) calls it.
pub(super) async fn run_bound(
    transport: &Transport,
    input: &BoundInput,
    observe: Observer<'_>,
) -> Report {
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
    finish(ladder, tenant, None, vec![], &input.lints, SignIn::NotSent)
}

fn finish(
    ladder: Ladder<'_>,
    tenant: Option<Tenant>,
    usage: Option<Usage>,
    entities: Vec<EntityAccess>,
    lints: &[Lint],
    sign_in: SignIn,
) -> Report {
    let passed = ladder.steps.iter().all(|s| s.status != Status::Failed);
    let retest_after_s = ladder
        .steps
        .iter()
        .any(|s| s.blame == Some(Blame::NewUser))
        .then_some(NEW_USER_WAIT_SECS);
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
        api_user: None,
        lints: lints.to_vec(),
        sign_in,
        retest_after_s,
    }
}

/// The transport failure of a call that never reached the server.
pub(super) fn unreached_by<T>(result: &Result<T, Failure>) -> Option<TransportError> {
    match result {
        Err(Failure::Transport(t)) if !t.sent => Some(t.clone()),
        _ => None,
    }
}

pub(super) fn network_failed(t: &TransportError) -> Step {
    Step::new(StepId::Network, Status::Failed, t.message.clone()).blaming(Blame::Network, t.fix())
}
