//! The webhook doctor's runner: this integration's webhooks on the five
//! entities that support them, their subscribed fields and the error log
//! of the last 30 days, read with the profile's own credentials. Only the
//! door ([`super::gate`]) starts it, after the same lints, questions and
//! ledger reservation as a check.
//!
//! Read-only (GET queries only), one request in flight at a time, at most
//! [`MAX_REQUESTS`] per run, the zone look-up and the sign-in included.
//! Order: the zone look-up (no secret); the one sign-in
//! (`ThresholdInformation`, never repeated after a refusal); only once
//! Autotask accepted it, each entity's webhooks, the error log, and the
//! subscribed fields of the entities that have webhooks (user-defined ones
//! only for a webhook with no system field, while requests are left).

use std::collections::HashMap;

use serde_json::json;

use super::input::CheckInput;
use super::judges::{judge_authentication, judge_sign_in};
use super::run::{entered, network_failed, redact_step, unreached_by};
use super::types::{Blame, SignIn, Status, Step, StepId, Tenant};
use super::zone::{ZoneNext, decide_zone};
use crate::redact::Redactor;
use crate::rest::{self, Failure};
use crate::transport::Transport;
use crate::webhook::{
    self, ENTITIES, ERROR_LOG_DAYS, ErrorEntry, UrlProblem, Webhook, count_subscribed,
    parse_error_log, parse_webhooks, url_problems,
};
use crate::zone::DISCOVERY_HOST;

/// Requests one run may send, the zone look-up and the sign-in included.
pub const MAX_REQUESTS: usize = 12;

/// What a webhook has wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebhookProblem {
    Inactive,
    NotReady,
    NoSubscribedFields,
    Url(UrlProblem),
    /// Callouts of the last 30 days that were never delivered.
    Undelivered {
        count: usize,
        latest_at: String,
        latest: String,
    },
}

impl WebhookProblem {
    /// The stable identifier (`problems[].kind` in `webhooks --json`).
    pub fn code(&self) -> &'static str {
        match self {
            WebhookProblem::Inactive => "inactive",
            WebhookProblem::NotReady => "not_ready",
            WebhookProblem::NoSubscribedFields => "no_subscribed_fields",
            WebhookProblem::Url(u) => u.code(),
            WebhookProblem::Undelivered { .. } => "undelivered",
        }
    }

    pub fn sentence(&self) -> String {
        match self {
            WebhookProblem::Inactive => "Inactive: Autotask calls nothing. It disables a webhook \
                                         after 25 failed deliveries in a row; fix the cause, then \
                                         set the webhook active again."
                .into(),
            WebhookProblem::NotReady => {
                "Not ready: Autotask does not call it yet (isReady is false).".into()
            }
            WebhookProblem::NoSubscribedFields => "No subscribed field: no change triggers it. \
                                                   Subscribe at least one field."
                .into(),
            WebhookProblem::Url(u) => u.sentence().into(),
            WebhookProblem::Undelivered {
                count,
                latest_at,
                latest,
            } => format!(
                "{count} callout{} in the last {ERROR_LOG_DAYS} days {} not delivered (the latest \
                 at {latest_at}: \"{latest}\"). The error log keeps the payloads for {ERROR_LOG_DAYS} \
                 days.",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "was" } else { "were" },
            ),
        }
    }
}

/// One webhook and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookStatus {
    pub webhook: Webhook,
    /// The callback URL without its query (tokens live there).
    pub shown_url: String,
    /// Subscribed fields, system and user-defined; `None` when they could
    /// not be counted (not readable, or the run's request limit).
    pub subscribed_fields: Option<u32>,
    /// The undelivered callouts of the last 30 days, newest first.
    pub errors: Vec<ErrorEntry>,
    pub problems: Vec<WebhookProblem>,
}

/// One entity's webhooks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityWebhooks {
    /// `Tickets`.
    pub entity: &'static str,
    /// `TicketWebhooks`.
    pub webhook_entity: String,
    pub webhooks: Vec<WebhookStatus>,
    /// Why the webhooks could not be read, if they could not.
    pub problem: Option<String>,
}

/// The webhook error log of the last 30 days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorLog {
    Read {
        entries: usize,
        /// Entries that name no webhook listed here.
        unattributed: usize,
    },
    NotRead(String),
}

/// What the webhook doctor found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookReport {
    pub sign_in: SignIn,
    /// Network, zone and authentication, as a check says them.
    pub steps: Vec<Step>,
    pub tenant: Option<Tenant>,
    /// Empty when the sign-in did not succeed.
    pub entities: Vec<EntityWebhooks>,
    pub error_log: Option<ErrorLog>,
    /// Requests sent, the zone look-up included.
    pub requests: usize,
}

impl WebhookReport {
    /// Webhooks with at least one problem.
    pub fn with_problems(&self) -> usize {
        self.entities
            .iter()
            .flat_map(|e| &e.webhooks)
            .filter(|w| !w.problems.is_empty())
            .count()
    }

    /// Signed in, read something, and no webhook has a problem.
    pub fn ok(&self) -> bool {
        self.sign_in == SignIn::Accepted
            && self.entities.iter().any(|e| e.problem.is_none())
            && self.with_problems() == 0
    }

    pub(super) fn code_refused(&self) -> bool {
        self.steps.iter().any(|s| {
            s.id == StepId::Authentication
                && s.status == Status::Failed
                && s.blame == Some(Blame::IntegrationCode)
        })
    }
}

/// Requests left in this run.
struct Budget(usize);

impl Budget {
    fn take(&mut self) -> bool {
        if self.0 < MAX_REQUESTS {
            self.0 += 1;
            true
        } else {
            false
        }
    }
}

const LIMIT_REACHED: &str = "not read: this run's limit of 12 requests was reached";

/// Why a read failed, as a sentence; and whether the run should stop
/// (the request limit, or Autotask out of reach).
fn read_failure(f: &Failure, what: &str) -> (String, bool) {
    match f {
        Failure::Status { status, .. }
            if *status == 403 || (*status == 500 && f.error_text().contains("permission")) =>
        {
            (
                format!("the API user's security level cannot read {what} (HTTP {status})"),
                false,
            )
        }
        Failure::Status { status: 429, .. } => (
            "Autotask refused it: the request limit (HTTP 429); nothing more was read".into(),
            true,
        ),
        Failure::Transport(t) => (format!("{}; nothing more was read", t.message), true),
        other => (super::judges::failure_sentence(other, "Autotask"), false),
    }
}

fn all_of(entity: &str) -> String {
    rest::query_path(
        entity,
        &json!({"filter": [{"op": "gte", "field": "id", "value": 0}]}),
    )
}

/// Runs the webhook doctor; only the door ([`super::gate`]) calls it.
pub(super) async fn run_webhooks(
    transport: &Transport,
    input: &CheckInput,
    passed_before: bool,
) -> WebhookReport {
    let creds = &input.credentials;
    let redactor = Redactor::new(creds.secret.clone(), creds.integration_code.as_str());
    let mut budget = Budget(0);
    let mut report = WebhookReport {
        sign_in: SignIn::FailedBeforeSending,
        steps: vec![],
        tenant: None,
        entities: vec![],
        error_log: None,
        requests: 0,
    };

    // The zone look-up (no secret), decided as a check decides it.
    budget.take();
    let (pasted, discovery) = entered(input.zone);
    let (x, disc) = rest::zone_information(transport, &creds.username).await;
    let disc_unreached = unreached_by(&disc);
    let (zone_step, next) = decide_zone(pasted, discovery, &creds.username, x, &disc);
    let (zone, info) = match next {
        ZoneNext::Use { zone, info } => (zone, info),
        ZoneNext::UnknownUserTryPasted(p) => (p, None),
        ZoneNext::Stop => {
            report.steps.push(match disc_unreached {
                Some(t) => network_failed(&t),
                None => reached(transport),
            });
            report.steps.push(zone_step);
            return finished(report, &budget, &redactor);
        }
    };
    report.steps.push(zone_step);
    let tenant = Tenant::located(zone, info.as_ref());
    let web_url = tenant.web_url.clone();
    report.tenant = Some(tenant);

    // The one sign-in; nothing else goes out unless Autotask accepts it.
    budget.take();
    let (x, auth) = rest::authenticated_get(transport, zone, "ThresholdInformation", creds).await;
    report.sign_in = judge_sign_in(&auth);
    report.steps.insert(
        0,
        match unreached_by(&auth) {
            Some(t) => network_failed(&t),
            None => reached(transport),
        },
    );
    let (auth_step, _) = judge_authentication(x, &auth, zone, creds, &web_url, passed_before);
    let accepted = auth_step.status != Status::Failed;
    report.steps.push(auth_step);
    if !accepted {
        return finished(report, &budget, &redactor);
    }

    // Each entity's webhooks.
    let mut stopped: Option<String> = None;
    for (entity, prefix) in ENTITIES {
        let webhook_entity = format!("{prefix}Webhooks");
        let mut row = EntityWebhooks {
            entity,
            webhook_entity: webhook_entity.clone(),
            webhooks: vec![],
            problem: None,
        };
        if let Some(why) = &stopped {
            row.problem = Some(why.clone());
        } else if !budget.take() {
            row.problem = Some(LIMIT_REACHED.into());
        } else {
            let (_, r) =
                rest::authenticated_get(transport, zone, &all_of(&webhook_entity), creds).await;
            match r.as_ref().map(parse_webhooks) {
                Ok(Some(hooks)) => {
                    row.webhooks = hooks
                        .into_iter()
                        .map(|webhook| WebhookStatus {
                            shown_url: webhook::shown_url(&webhook.url),
                            webhook,
                            subscribed_fields: None,
                            errors: vec![],
                            problems: vec![],
                        })
                        .collect();
                }
                Ok(None) => row.problem = Some("Autotask's answer could not be read".into()),
                Err(f) => {
                    let (why, stop) = read_failure(f, &webhook_entity);
                    if stop {
                        stopped = Some(why.clone());
                    }
                    row.problem = Some(why);
                }
            }
        }
        report.entities.push(row);
    }

    // The error log of the last 30 days (only this integration's callouts).
    let log = if let Some(why) = &stopped {
        Err(why.clone())
    } else if !budget.take() {
        Err(LIMIT_REACHED.to_string())
    } else {
        let since = crate::store::config::rfc3339(
            crate::store::config::unix_now().saturating_sub(ERROR_LOG_DAYS * 86_400),
        );
        let path = rest::query_path(
            "WebhookEventErrorLogs",
            &json!({"filter": [{"op": "gte", "field": "createDateTime", "value": since}]}),
        );
        let (_, r) = rest::authenticated_get(transport, zone, &path, creds).await;
        match r.as_ref().map(parse_error_log) {
            Ok(Some(entries)) => Ok(entries),
            Ok(None) => Err("Autotask's answer could not be read".to_string()),
            Err(f) => {
                let (why, stop) = read_failure(f, "WebhookEventErrorLogs");
                if stop {
                    stopped = Some(why.clone());
                }
                Err(why)
            }
        }
    };
    report.error_log = Some(match log {
        Ok(entries) => {
            let total = entries.len();
            let mut unattributed = 0;
            for e in entries {
                let owner = report
                    .entities
                    .iter_mut()
                    .flat_map(|row| {
                        let entity = row.entity;
                        row.webhooks.iter_mut().map(move |w| (entity, w))
                    })
                    .find(|(entity, w)| {
                        e.webhook == Some((*entity, w.webhook.id))
                            || (e.guid.is_some()
                                && e.guid.as_deref().map(str::to_ascii_lowercase)
                                    == w.webhook.guid.as_deref().map(str::to_ascii_lowercase))
                    });
                match owner {
                    Some((_, w)) => w.errors.push(e),
                    None => unattributed += 1,
                }
            }
            ErrorLog::Read {
                entries: total,
                unattributed,
            }
        }
        Err(why) => ErrorLog::NotRead(why),
    });

    // Subscribed fields for the entities that have webhooks: the system
    // fields of every such entity first, then the user-defined ones of a
    // webhook that subscribes no system field, while requests are left.
    let mut udf_counted: Vec<(&'static str, u64)> = Vec::new();
    for udf in [false, true] {
        for row in report
            .entities
            .iter_mut()
            .filter(|r| !r.webhooks.is_empty())
        {
            let prefix = &row.webhook_entity[..row.webhook_entity.len() - "Webhooks".len()];
            let ids: Vec<u64> = row
                .webhooks
                .iter()
                .filter(|w| !udf || w.subscribed_fields == Some(0))
                .map(|w| w.webhook.id)
                .collect();
            if ids.is_empty() || stopped.is_some() || !budget.take() {
                continue;
            }
            if udf {
                udf_counted.extend(ids.iter().map(|id| (row.entity, *id)));
            }
            let entity = if udf {
                format!("{prefix}WebhookUdfFields")
            } else {
                format!("{prefix}WebhookFields")
            };
            let path = rest::query_path(
                &entity,
                &json!({"filter": [
                    {"op": "in", "field": "webhookID", "value": ids},
                    {"op": "eq", "field": "isSubscribedField", "value": true},
                ]}),
            );
            let (_, r) = rest::authenticated_get(transport, zone, &path, creds).await;
            match r.as_ref().map(count_subscribed) {
                Ok(Some(counts)) => count_into(&mut row.webhooks, &ids, &counts, udf),
                Ok(None) => {}
                Err(f) => {
                    if read_failure(f, &entity).1 {
                        stopped = Some(read_failure(f, &entity).0);
                    }
                }
            }
        }
    }

    for row in &mut report.entities {
        for w in &mut row.webhooks {
            // No system field, and its user-defined ones not read: unknown,
            // not "none" (a webhook may subscribe only user-defined fields).
            if w.subscribed_fields == Some(0) && !udf_counted.contains(&(row.entity, w.webhook.id))
            {
                w.subscribed_fields = None;
            }
            w.problems = problems_of(w);
        }
    }
    finished(report, &budget, &redactor)
}

/// Adds the counts of one fields query to the webhooks it asked about.
fn count_into(hooks: &mut [WebhookStatus], ids: &[u64], counts: &HashMap<u64, u32>, udf: bool) {
    for w in hooks.iter_mut().filter(|w| ids.contains(&w.webhook.id)) {
        let n = counts.get(&w.webhook.id).copied().unwrap_or(0);
        w.subscribed_fields = Some(if udf {
            w.subscribed_fields.unwrap_or(0) + n
        } else {
            n
        });
    }
}

/// A webhook's problems, in the order a technician fixes them.
fn problems_of(w: &WebhookStatus) -> Vec<WebhookProblem> {
    let mut out = Vec::new();
    if w.webhook.active == Some(false) {
        out.push(WebhookProblem::Inactive);
    }
    if w.webhook.ready == Some(false) {
        out.push(WebhookProblem::NotReady);
    }
    if w.subscribed_fields == Some(0) {
        out.push(WebhookProblem::NoSubscribedFields);
    }
    out.extend(
        url_problems(&w.webhook.url)
            .into_iter()
            .map(WebhookProblem::Url),
    );
    if let Some(latest) = w.errors.first() {
        out.push(WebhookProblem::Undelivered {
            count: w.errors.len(),
            latest_at: latest.at.clone(),
            latest: latest.message.clone(),
        });
    }
    out
}

fn reached(transport: &Transport) -> Step {
    Step::new(
        StepId::Network,
        Status::Passed,
        format!(
            "Reached {DISCOVERY_HOST} over HTTPS (certificate verified{}).",
            transport.how_reached()
        ),
    )
}

/// The report as it leaves: every text scrubbed of the secret and the code.
fn finished(mut report: WebhookReport, budget: &Budget, redactor: &Redactor) -> WebhookReport {
    report.requests = budget.0;
    for step in &mut report.steps {
        redact_step(redactor, step);
    }
    for row in &mut report.entities {
        if let Some(p) = row.problem.as_mut() {
            redactor.scrub(p);
        }
        for w in &mut row.webhooks {
            redactor.scrub(&mut w.webhook.name);
            redactor.scrub(&mut w.shown_url);
            for e in &mut w.errors {
                redactor.scrub(&mut e.message);
            }
            for p in &mut w.problems {
                if let WebhookProblem::Undelivered { latest, .. } = p {
                    redactor.scrub(latest);
                }
            }
        }
    }
    if let Some(ErrorLog::NotRead(why)) = report.error_log.as_mut() {
        redactor.scrub(why);
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(url: &str, active: bool, ready: bool, fields: Option<u32>) -> WebhookStatus {
        WebhookStatus {
            webhook: Webhook {
                id: 1,
                name: "n".into(),
                url: url.into(),
                active: Some(active),
                ready: Some(ready),
                guid: None,
            },
            shown_url: url.into(),
            subscribed_fields: fields,
            errors: vec![],
            problems: vec![],
        }
    }

    #[test]
    fn every_problem_is_found_and_a_healthy_webhook_has_none() {
        assert!(problems_of(&status("https://h.example/x", true, true, Some(2))).is_empty());
        // Not counted is not "none subscribed".
        assert!(problems_of(&status("https://h.example/x", true, true, None)).is_empty());
        let mut w = status("http://10.0.0.2/x", false, false, Some(0));
        w.errors.push(ErrorEntry {
            at: "2026-12-01T10:00:00.000Z".into(),
            message: "Unable to connect".into(),
            webhook: Some(("Contacts", 1)),
            guid: None,
        });
        let codes: Vec<&str> = problems_of(&w).iter().map(WebhookProblem::code).collect();
        assert_eq!(
            codes,
            [
                "inactive",
                "not_ready",
                "no_subscribed_fields",
                "not_https",
                "private_address",
                "undelivered"
            ]
        );
        assert_eq!(
            problems_of(&w)[5].sentence(),
            "1 callout in the last 30 days was not delivered (the latest at \
             2026-12-01T10:00:00.000Z: \"Unable to connect\"). The error log keeps the payloads \
             for 30 days."
        );
    }

    #[test]
    fn the_budget_stops_at_twelve() {
        let mut b = Budget(0);
        assert_eq!((0..20).filter(|_| b.take()).count(), MAX_REQUESTS);
    }
}
