//! Saved profiles, as `profile show/list/save/rename/delete --json` and the
//! window's profile list show them. Never a secret: `has_secret` only.

use serde::Serialize;

use super::check::Tenant;
use crate::check::{Blame, SignIn, StepId};
use crate::profile;
use crate::store::config::Notice;
use crate::store::keyring::StoreError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastCheck {
    pub at: String,
    pub passed: bool,
    pub failed_step: Option<&'static str>,
    pub blame: Option<&'static str>,
    pub message: String,
    /// What became of the secret (`null` in records older than it).
    pub sign_in: Option<&'static str>,
}

impl From<&profile::LastCheck> for LastCheck {
    fn from(c: &profile::LastCheck) -> LastCheck {
        LastCheck {
            at: c.at.clone(),
            passed: c.passed,
            failed_step: c.failed_step.map(StepId::code),
            blame: c.blame.map(Blame::code),
            message: c.message.clone(),
            sign_in: c.sign_in.map(SignIn::code),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub name: String,
    pub vendor: String,
    pub username: String,
    pub integration_code: String,
    pub zone_input: Option<String>,
    pub tenant: Option<Tenant>,
    pub last_check: Option<LastCheck>,
    pub entities: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    pub has_secret: Option<bool>,
    pub recent_failed_logins: usize,
    pub problem: Option<String>,
}

impl From<&profile::ProfileView> for Profile {
    fn from(p: &profile::ProfileView) -> Profile {
        Profile {
            name: p.name.clone(),
            vendor: p.vendor.clone(),
            username: p.username.clone(),
            integration_code: p.integration_code.clone(),
            zone_input: p.zone_input.clone(),
            tenant: p.tenant.as_ref().map(Tenant::from),
            last_check: p.last_check.as_ref().map(LastCheck::from),
            entities: p.entities.clone(),
            created_at: p.created_at.clone(),
            updated_at: p.updated_at.clone(),
            has_secret: p.has_secret,
            recent_failed_logins: p.recent_failed_logins,
            problem: p.problem.clone(),
        }
    }
}

/// A renamed profile, for both faces: `profile rename --json` and the
/// window's Rename. `{"renamed", "profile", "leftover_secret", "warning"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub renamed: bool,
    pub profile: Profile,
    /// Why the old name's secret is still in the store, if it is.
    pub leftover_secret: Option<StoreError>,
    /// The same, in a sentence.
    pub warning: Option<String>,
}

impl From<(&profile::ProfileView, Option<&StoreError>)> for Renamed {
    fn from((p, leftover): (&profile::ProfileView, Option<&StoreError>)) -> Renamed {
        Renamed {
            renamed: true,
            profile: Profile::from(p),
            leftover_secret: leftover.cloned(),
            warning: leftover.map(|e| format!("The old name's secret could not be removed: {e}")),
        }
    }
}

/// A rotation, for both faces: `profile rotate --json` and the window's
/// Rotate. `{"rotated", "message", "check"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rotated {
    /// Whether the new secret replaced the stored one.
    pub rotated: bool,
    /// Replaced or kept, and why (refused is not "never sent").
    pub message: String,
    pub check: super::check::Report,
}

impl From<&profile::Rotation> for Rotated {
    fn from(r: &profile::Rotation) -> Rotated {
        Rotated {
            rotated: r.replaced,
            message: r.outcome(),
            check: super::check::Report::from(&r.report),
        }
    }
}

/// A save, for both faces: `profile save --json` and the window's Save.
/// `{"saved", "profile", "check"}`: the check that vouched for it (none for
/// a save without a check).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Saved {
    pub saved: bool,
    pub profile: Option<Profile>,
    pub check: Option<super::check::Report>,
}

impl Saved {
    pub fn new(
        profile: Option<&profile::ProfileView>,
        check: Option<&crate::check::Report>,
    ) -> Saved {
        Saved {
            saved: profile.is_some(),
            profile: profile.map(Profile::from),
            check: check.map(super::check::Report::from),
        }
    }
}

/// A copy to the clipboard (the window's hand-off): what was copied and
/// when a copied secret is cleared; never the value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Copied {
    pub label: String,
    pub sensitive: bool,
    /// When the clipboard is cleared (if it still holds the secret then).
    pub clears_in_seconds: Option<u64>,
}

/// `profile list --json`.
#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    pub profiles: Vec<Profile>,
    pub config_path: String,
    pub store_problem: Option<StoreError>,
    pub notice: Option<Notice>,
}

impl From<&profile::Listing> for Listing {
    fn from(l: &profile::Listing) -> Listing {
        Listing {
            profiles: l.profiles.iter().map(Profile::from).collect(),
            config_path: l.config_path.clone(),
            store_problem: l.store_problem.clone(),
            notice: l.notice.clone(),
        }
    }
}

/// `profile delete --json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deleted {
    pub name: String,
    pub removed_profile: bool,
    pub removed_secret: bool,
}

impl From<&profile::Deleted> for Deleted {
    fn from(d: &profile::Deleted) -> Deleted {
        Deleted {
            name: d.name.clone(),
            removed_profile: d.removed_profile,
            removed_secret: d.removed_secret,
        }
    }
}
