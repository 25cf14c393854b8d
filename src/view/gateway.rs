//! What the local gateway says itself: its error bodies (`{"error": kind,
//! …}`, with Autotask's own `errors` list so that clients printing it show
//! the sentence) and the gateways `status` lists.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::limits;
use crate::store::gateways::{GatewayRecord, GatewayState};

/// The body of the gateway's own answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GatewayError {
    /// `invalid_token`, `host_not_allowed`, `not_found`,
    /// `method_not_allowed`, `read_only`, `budget_exhausted`,
    /// `credentials_refused`, `request_too_large`, `autotask_unreachable`,
    /// `autotask_timeout`, `redirect_not_followed`.
    pub error: &'static str,
    pub message: String,
    /// The message again, where Autotask's clients look for its texts.
    pub errors: Vec<String>,
    /// `budget_exhausted`: seconds until a request is free (also `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
    /// `budget_exhausted`: the session's requests per hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<u64>,
    /// `read_only`: the entity the request would have changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// `read_only`: the entities this gateway may write (`[]`: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writable_entities: Option<Vec<String>>,
}

impl From<&limits::GatewayError> for GatewayError {
    fn from(e: &limits::GatewayError) -> GatewayError {
        let message = e.message();
        let (budget, entity, writable) = match e {
            limits::GatewayError::BudgetExhausted { budget, .. } => (Some(*budget), None, None),
            limits::GatewayError::ReadOnly {
                entity, writable, ..
            } => (None, Some(entity.clone()), Some(writable.clone())),
            _ => (None, None, None),
        };
        GatewayError {
            error: e.kind(),
            errors: vec![message.clone()],
            message,
            retry_after_s: e.retry_after_s(),
            budget,
            entity,
            writable_entities: writable,
        }
    }
}

/// A running gateway, as `status --json` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GatewayStatus {
    pub profile: String,
    pub pid: u32,
    pub url: String,
    pub started_at: String,
    /// `serving`, or `credentials_refused` (it sends nothing more).
    pub state: &'static str,
    pub read_only: bool,
    pub write_entities: Vec<String>,
    pub budget: u64,
    pub requests: u64,
    pub last_hour: u64,
    pub refused: u64,
    pub tenant_threshold: Option<u64>,
    /// `last_hour` as a percentage of the tenant's hourly threshold (one
    /// decimal); `null` when the threshold is unknown.
    pub share_of_hour_percent: Option<f64>,
    pub entities: BTreeMap<String, u64>,
}

/// `last_hour` of `threshold`, in percent with one decimal.
pub(crate) fn share_of_hour(last_hour: u64, threshold: Option<u64>) -> Option<f64> {
    let t = threshold.filter(|t| *t > 0)?;
    Some((last_hour as f64 * 1000.0 / t as f64).round() / 10.0)
}

impl From<&GatewayRecord> for GatewayStatus {
    fn from(r: &GatewayRecord) -> GatewayStatus {
        GatewayStatus {
            profile: r.profile.clone(),
            pid: r.pid,
            url: r.url.clone(),
            started_at: r.started_at.clone(),
            state: match r.state {
                GatewayState::Serving => "serving",
                GatewayState::CredentialsRefused => "credentials_refused",
            },
            read_only: r.read_only,
            write_entities: r.write_entities.clone(),
            budget: r.budget,
            requests: r.requests,
            last_hour: r.last_hour,
            refused: r.refused,
            tenant_threshold: r.tenant_threshold,
            share_of_hour_percent: share_of_hour(r.last_hour, r.tenant_threshold),
            entities: r.entities.clone(),
        }
    }
}

/// `zoneInformation` as the gateway answers it itself, in Autotask's own
/// casing (clients read it as Autotask's answer): its REST base as the
/// zone's, so that a client that looks its zone up stays on the gateway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayZone {
    pub zone_name: String,
    /// `http://127.0.0.1:PORT/ATServicesRest/` (clients append `V1.0/`).
    pub url: String,
    pub web_url: String,
}
