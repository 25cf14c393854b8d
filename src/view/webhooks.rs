//! `webhooks --json` (README) and the window's Webhooks section: one shape
//! for both; and the offline signature check's answer.

use serde::Serialize;

use super::check::{Step, Tenant};
use super::status::Problem;
use crate::check::{self, WebhookProblem};
use crate::webhook::{Signature, UrlProblem};

/// The latest undelivered callout of a webhook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastError {
    pub at: String,
    pub message: String,
}

/// One webhook: `{"id","name","url","active","ready","subscribed_fields",
/// "url_problems","errors_last_30_days","last_error","problems"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: u64,
    pub name: String,
    /// Scheme, host and path: never the query, where tokens live.
    pub url: String,
    pub active: Option<bool>,
    pub ready: Option<bool>,
    /// `null`: not counted (not readable, or the run's request limit).
    pub subscribed_fields: Option<u32>,
    pub url_problems: Vec<&'static str>,
    pub errors_last_30_days: usize,
    pub last_error: Option<LastError>,
    /// Everything wrong with it; empty when it is fine.
    pub problems: Vec<Problem>,
}

impl From<&check::WebhookStatus> for Webhook {
    fn from(w: &check::WebhookStatus) -> Webhook {
        Webhook {
            id: w.webhook.id,
            name: w.webhook.name.clone(),
            url: w.shown_url.clone(),
            active: w.webhook.active,
            ready: w.webhook.ready,
            subscribed_fields: w.subscribed_fields,
            url_problems: crate::webhook::url_problems(&w.webhook.url)
                .into_iter()
                .map(UrlProblem::code)
                .collect(),
            errors_last_30_days: w.errors.len(),
            last_error: w.errors.first().map(|e| LastError {
                at: e.at.clone(),
                message: e.message.clone(),
            }),
            problems: w
                .problems
                .iter()
                .map(|p: &WebhookProblem| Problem {
                    kind: p.code(),
                    message: p.sentence(),
                })
                .collect(),
        }
    }
}

/// One entity's webhooks: `{"entity","webhook_entity","read","problem","webhooks"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityWebhooks {
    pub entity: &'static str,
    pub webhook_entity: String,
    pub read: bool,
    pub problem: Option<String>,
    pub webhooks: Vec<Webhook>,
}

/// The error log: `{"read","entries","unattributed","problem"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorLog {
    pub read: bool,
    pub entries: Option<usize>,
    pub unattributed: Option<usize>,
    pub problem: Option<String>,
}

/// `webhooks --json`: `{"ok","sign_in","requests","request_limit","problems",
/// "tenant","steps","entities","error_log"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WebhookReport {
    /// Signed in, read something, and no webhook has a problem (exit 0).
    pub ok: bool,
    pub sign_in: &'static str,
    pub requests: usize,
    pub request_limit: usize,
    /// How many webhooks have a problem.
    pub problems: usize,
    pub tenant: Option<Tenant>,
    /// Network, zone and authentication, as in `check --json`.
    pub steps: Vec<Step>,
    pub entities: Vec<EntityWebhooks>,
    pub error_log: Option<ErrorLog>,
}

impl From<&check::WebhookReport> for WebhookReport {
    fn from(r: &check::WebhookReport) -> WebhookReport {
        WebhookReport {
            ok: r.ok(),
            sign_in: r.sign_in.code(),
            requests: r.requests,
            request_limit: check::MAX_WEBHOOK_REQUESTS,
            problems: r.with_problems(),
            tenant: r.tenant.as_ref().map(Tenant::from),
            steps: r.steps.iter().map(Step::from).collect(),
            entities: r
                .entities
                .iter()
                .map(|e| EntityWebhooks {
                    entity: e.entity,
                    webhook_entity: e.webhook_entity.clone(),
                    read: e.problem.is_none(),
                    problem: e.problem.clone(),
                    webhooks: e.webhooks.iter().map(Webhook::from).collect(),
                })
                .collect(),
            error_log: r.error_log.as_ref().map(|l| match l {
                check::ErrorLog::Read {
                    entries,
                    unattributed,
                } => ErrorLog {
                    read: true,
                    entries: Some(*entries),
                    unattributed: Some(*unattributed),
                    problem: None,
                },
                check::ErrorLog::NotRead(why) => ErrorLog {
                    read: false,
                    entries: None,
                    unattributed: None,
                    problem: Some(why.clone()),
                },
            }),
        }
    }
}

/// `webhook-signature --json` and the window's check: `{"matches","result","message"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignatureCheck {
    pub matches: bool,
    /// `matches`, `matches_without_trailing_newline`, `does_not_match`, `malformed`.
    pub result: &'static str,
    pub message: &'static str,
}

impl From<Signature> for SignatureCheck {
    fn from(s: Signature) -> SignatureCheck {
        SignatureCheck {
            matches: s.matches(),
            result: s.code(),
            message: s.sentence(),
        }
    }
}
