//! Every JSON document that leaves the process — the CLI's `--json` output
//! and the window's payloads — is built here from domain types, by
//! conversion. The domain types do not decide their own JSON: renaming a
//! field of a check's report cannot change a script's contract. Each view's
//! keys are pinned by a golden JSON in `tests/golden/views/`.

mod catalogue;
mod check;
mod error;
mod form;
mod gateway;
mod profile;
mod status;
mod webhooks;

pub use catalogue::{
    Flow, Handoff, HandoffField, Recipe, RecipeEntity, Setup, Snippets, StoreHealth, Updates,
    Vendor, VendorField, VendorSummary, ZoneSummary,
};
pub use check::{ApiUser, EntityAccess, Report, Step, Tenant};
pub use error::ErrorView;
pub use form::{Answer, Fields, FormState, LastResult, Pasted, SaveState, SecretState};
pub use gateway::{GatewayError, GatewayStatus, GatewayZone};
pub use profile::{Copied, Deleted, LastCheck, Listing, Profile, Renamed, Rotated, Saved};
pub use status::{GuardStatus, LastCheckStatus, Problem, ProfileStatus, StatusReport, ZoneStatus};
pub use webhooks::{EntityWebhooks, ErrorLog, LastError, SignatureCheck, Webhook, WebhookReport};

#[cfg(test)]
mod tests;
