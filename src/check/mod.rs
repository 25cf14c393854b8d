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
//! pasted zone that may be stale and then again to the right one. Every
//! check starts at the one door, [`Door`] (lints, questions, the lockout
//! ledger, the run, the settlement); nothing else can start one. The door's
//! second entry, [`Door::webhooks`], runs the webhook doctor (`webhooks.rs`)
//! through the same stages.

mod gaps;
mod gate;
mod input;
mod judges;
mod run;
mod types;
mod webhooks;
mod zone;

#[cfg(test)]
mod tests;

pub use gate::{Consent, Door, Opening, Question, Refusal, Session};
pub use input::{
    BoundInput, COMMON_ENTITIES, CheckInput, DEFAULT_ENTITIES, Entity, EntityError, InputError,
    Plan, Request,
};
pub use types::{
    API_USER_LICENCE, ApiUser, Blame, EntityAccess, Observer, Report, SignIn, Status, Step, StepId,
    Tenant,
};
pub use webhooks::{
    EntityWebhooks, ErrorLog, MAX_REQUESTS as MAX_WEBHOOK_REQUESTS, WebhookProblem, WebhookReport,
    WebhookStatus,
};
pub use zone::{ZoneLookupError, zone_for};

pub(crate) use judges::thousands;
