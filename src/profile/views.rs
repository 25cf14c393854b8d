//! What profile operations answer with: a profile as shown (never the
//! secret), a listing, a delete's outcome, and what a technician saves.

use std::sync::Arc;

use super::ProfileName;
use crate::check::{Blame, Entity, Plan, SignIn, StepId, Tenant};
use crate::credentials::{Credentials, Secret};
use crate::store::config::Notice;
use crate::store::keyring::StoreError;
use crate::vendors::Vendor;
use crate::zone;

/// A profile as shown to the technician: never the secret, only whether
/// the store holds one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileView {
    pub name: String,
    /// Who uses the API user: a preset id (`custom` for your own integration).
    pub vendor: String,
    pub username: String,
    pub integration_code: String,
    pub zone_input: Option<String>,
    pub tenant: Option<Tenant>,
    pub last_check: Option<LastCheck>,
    /// What the integration needs (`Tickets:write`); empty: the defaults.
    pub entities: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Whether the credential store holds the secret; `null` when the store
    /// could not be asked.
    pub has_secret: Option<bool>,
    /// Failed logins in the last 15 minutes (the lockout guard counts them).
    pub recent_failed_logins: usize,
    /// Something half-done that needs repairing, in words.
    pub problem: Option<String>,
}

/// Everything `profile list` reports.
#[derive(Clone, Debug)]
pub struct Listing {
    pub profiles: Vec<ProfileView>,
    pub config_path: String,
    pub store_problem: Option<StoreError>,
    pub notice: Option<Notice>,
}

/// The outcome of a delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deleted {
    pub name: String,
    pub removed_profile: bool,
    pub removed_secret: bool,
}

/// What a technician wants to save.
#[derive(Debug)]
pub struct NewProfile {
    pub name: ProfileName,
    pub credentials: Credentials,
    /// What was entered as the zone (already validated), if anything.
    pub zone_input: Option<String>,
}

/// A profile for a vendor's product (or your own integration): a
/// vendor-bound API user has no integration code.
#[derive(Debug)]
pub struct VendorProfile {
    pub name: ProfileName,
    pub vendor: &'static Vendor,
    pub username: String,
    pub secret: Arc<Secret>,
    /// `None` exactly when the vendor is bound.
    pub integration_code: Option<String>,
    pub zone_input: Option<String>,
    /// What the integration needs (`Tickets:write`); empty: the defaults.
    pub entities: Vec<String>,
}

impl VendorProfile {
    /// Saves what the integration needs with the profile; the vendor's
    /// default entities (its recipe, else the default four) are not written out.
    pub fn needing(mut self, entities: &[Entity]) -> VendorProfile {
        let defaults = Entity::for_vendor(self.vendor, &[]).unwrap_or_default();
        self.entities = if entities == defaults.as_slice() {
            vec![]
        } else {
            entities.iter().map(Entity::spelled).collect()
        };
        self
    }

    /// Saves the zone a passing check reached instead of the one entered
    /// (a moved tenant: the entered one no longer works).
    pub fn zone_used(mut self, zone_input: Option<String>) -> VendorProfile {
        if zone_input.is_some() {
            self.zone_input = zone_input;
        }
        self
    }

    /// What a checked (or only parsed) plan would save under `name`: the
    /// zone as entered, canonically.
    pub fn from_plan(name: ProfileName, plan: &Plan) -> VendorProfile {
        VendorProfile {
            name,
            vendor: plan.vendor(),
            username: plan.username().as_str().to_string(),
            secret: Arc::clone(plan.secret()),
            integration_code: plan.integration_code().map(|c| c.as_str().to_string()),
            zone_input: plan.zone().map(zone::ZoneInput::canonical),
            entities: vec![],
        }
    }
}

/// The outcome of a profile's last check, as the technician sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastCheck {
    /// RFC 3339, UTC.
    pub at: String,
    pub passed: bool,
    pub failed_step: Option<StepId>,
    pub blame: Option<Blame>,
    pub message: String,
    /// What became of the secret; `None` in records written before it was kept.
    pub sign_in: Option<SignIn>,
}
