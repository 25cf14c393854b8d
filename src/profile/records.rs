//! The file's records and the domain's types, converted both ways (the
//! module above both): the store knows nothing of the check, and renaming a
//! check's type changes no file.

use super::LastCheck;
use crate::check::{Blame, Report, SignIn, StepId, Tenant};
use crate::store::config::{
    self, BlameRecord, CheckRecord, ProfileRecord, SignInRecord, StepRecord, TenantRecord,
};
use crate::vendors;

// The file's records and the domain's types, converted both ways here (the
// module above both): the store knows nothing of the check, and renaming a
// check's type changes no file.

impl From<StepId> for StepRecord {
    fn from(id: StepId) -> StepRecord {
        match id {
            StepId::Network => StepRecord::Network,
            StepId::Zone => StepRecord::Zone,
            StepId::Authentication => StepRecord::Authentication,
            StepId::Tenant => StepRecord::Tenant,
            StepId::Permissions => StepRecord::Permissions,
            StepId::Usage => StepRecord::Usage,
        }
    }
}

impl From<StepRecord> for StepId {
    fn from(r: StepRecord) -> StepId {
        match r {
            StepRecord::Network => StepId::Network,
            StepRecord::Zone => StepId::Zone,
            StepRecord::Authentication => StepId::Authentication,
            StepRecord::Tenant => StepId::Tenant,
            StepRecord::Permissions => StepId::Permissions,
            StepRecord::Usage => StepId::Usage,
        }
    }
}

impl From<Blame> for BlameRecord {
    fn from(b: Blame) -> BlameRecord {
        match b {
            Blame::Username => BlameRecord::Username,
            Blame::Secret => BlameRecord::Secret,
            Blame::IntegrationCode => BlameRecord::IntegrationCode,
            Blame::Zone => BlameRecord::Zone,
            Blame::Licence => BlameRecord::Licence,
            Blame::Locked => BlameRecord::Locked,
            Blame::Permissions => BlameRecord::Permissions,
            Blame::Network => BlameRecord::Network,
            Blame::RateLimit => BlameRecord::RateLimit,
            Blame::NewUser => BlameRecord::NewUser,
        }
    }
}

impl From<BlameRecord> for Blame {
    fn from(r: BlameRecord) -> Blame {
        match r {
            BlameRecord::Username => Blame::Username,
            BlameRecord::Secret => Blame::Secret,
            BlameRecord::IntegrationCode => Blame::IntegrationCode,
            BlameRecord::Zone => Blame::Zone,
            BlameRecord::Licence => Blame::Licence,
            BlameRecord::Locked => Blame::Locked,
            BlameRecord::Permissions => Blame::Permissions,
            BlameRecord::Network => Blame::Network,
            BlameRecord::RateLimit => Blame::RateLimit,
            BlameRecord::NewUser => Blame::NewUser,
        }
    }
}

impl From<&Tenant> for TenantRecord {
    fn from(t: &Tenant) -> TenantRecord {
        TenantRecord {
            zone_name: t.zone_name.clone(),
            api_url: t.api_url.clone(),
            web_url: t.web_url.clone(),
            ci: t.ci,
            company_name: t.company_name.clone(),
        }
    }
}

impl From<&TenantRecord> for Tenant {
    fn from(r: &TenantRecord) -> Tenant {
        Tenant {
            zone_name: r.zone_name.clone(),
            api_url: r.api_url.clone(),
            web_url: r.web_url.clone(),
            ci: r.ci,
            company_name: r.company_name.clone(),
        }
    }
}

impl From<SignIn> for SignInRecord {
    fn from(s: SignIn) -> SignInRecord {
        match s {
            SignIn::Accepted => SignInRecord::Accepted,
            SignIn::Refused => SignInRecord::Refused,
            SignIn::NoVerdict => SignInRecord::NoVerdict,
            SignIn::NotSent => SignInRecord::NotSent,
            SignIn::FailedBeforeSending => SignInRecord::FailedBeforeSending,
        }
    }
}

impl From<SignInRecord> for SignIn {
    fn from(r: SignInRecord) -> SignIn {
        match r {
            SignInRecord::Accepted => SignIn::Accepted,
            SignInRecord::Refused => SignIn::Refused,
            SignInRecord::NoVerdict => SignIn::NoVerdict,
            SignInRecord::NotSent => SignIn::NotSent,
            SignInRecord::FailedBeforeSending => SignIn::FailedBeforeSending,
        }
    }
}

impl From<&CheckRecord> for LastCheck {
    fn from(r: &CheckRecord) -> LastCheck {
        LastCheck {
            at: r.at.clone(),
            passed: r.passed,
            failed_step: r.failed_step.map(StepId::from),
            blame: r.blame.map(Blame::from),
            message: r.message.clone(),
            sign_in: r.sign_in.map(SignIn::from),
        }
    }
}

pub(super) fn check_record(report: &Report) -> CheckRecord {
    let failure = report.first_failure();
    CheckRecord {
        at: config::now(),
        passed: report.passed,
        failed_step: failure.map(|s| s.id.into()),
        blame: failure.and_then(|s| s.blame).map(BlameRecord::from),
        message: match failure {
            Some(s) => s.message.clone(),
            None if !report.tested_the_secret() => {
                "The username and zone were confirmed; the secret was not tested (only the vendor \
                 can sign in as this API user)."
                    .into()
            }
            None => "The check passed.".into(),
        },
        sign_in: Some(report.sign_in.into()),
    }
}

/// Whether a passing check vouches for the secret the store holds: the
/// last check describes it (rotate replaces it only after a pass), and that
/// check signed in with it.
pub(super) fn vouches_for_stored_secret(record: &ProfileRecord) -> bool {
    record.last_check.as_ref().is_some_and(|c| {
        c.passed
            && match c.sign_in {
                Some(s) => s == SignInRecord::Accepted,
                // Written before outcomes were kept: a pass signed in unless
                // the vendor keeps the code.
                None => !vendors::find(record.vendor.as_deref().unwrap_or(vendors::CUSTOM))
                    .is_ok_and(|v| v.bound),
            }
    })
}
