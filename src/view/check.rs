//! A check's report, as `check --json` documents it (README) and as the
//! window's ladder reads it: one shape for both.

use serde::Serialize;

use crate::check::{self, Blame};
use crate::credentials::Lint;
use crate::rest::{AccessLevel, Exchange, Usage};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub id: &'static str,
    pub status: &'static str,
    pub message: String,
    pub blame: Option<&'static str>,
    pub fix: Option<String>,
    pub details: Option<String>,
    pub link: Option<String>,
    pub http: Vec<Exchange>,
}

impl From<&check::Step> for Step {
    fn from(s: &check::Step) -> Step {
        Step {
            id: s.id.code(),
            status: s.status.code(),
            message: s.message.clone(),
            blame: s.blame.map(Blame::code),
            fix: s.fix.clone(),
            details: s.details.clone(),
            link: s.link.clone(),
            http: s.http.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub zone_name: Option<String>,
    pub api_url: String,
    pub web_url: String,
    pub ci: Option<u64>,
    pub company_name: Option<String>,
}

impl From<&check::Tenant> for Tenant {
    fn from(t: &check::Tenant) -> Tenant {
        Tenant {
            zone_name: t.zone_name.clone(),
            api_url: t.api_url.clone(),
            web_url: t.web_url.clone(),
            ci: t.ci,
            company_name: t.company_name.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityAccess {
    pub entity: String,
    pub query: Option<AccessLevel>,
    pub create: Option<AccessLevel>,
    pub update: Option<AccessLevel>,
    pub delete: Option<AccessLevel>,
    pub problem: Option<String>,
}

impl From<&check::EntityAccess> for EntityAccess {
    fn from(e: &check::EntityAccess) -> EntityAccess {
        EntityAccess {
            entity: e.entity.clone(),
            query: e.query,
            create: e.create,
            update: e.update,
            delete: e.delete,
            problem: e.problem.clone(),
        }
    }
}

/// The API user's own record: `{"read", "active", "license_type",
/// "api_user_licence", "email", "message"}`; `read` is `false` when it
/// could not be read (`message` says why: often a security level that
/// cannot read Resources).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiUser {
    pub read: bool,
    pub active: Option<bool>,
    pub license_type: Option<u64>,
    /// Whether the licence is the API User licence (type 7).
    pub api_user_licence: Option<bool>,
    /// Where Autotask sends lockout and threshold notices for this user.
    pub email: Option<String>,
    pub message: String,
}

impl From<&check::ApiUser> for ApiUser {
    fn from(u: &check::ApiUser) -> ApiUser {
        let message = u.sentence();
        match u {
            check::ApiUser::Read(r) => ApiUser {
                read: true,
                active: r.active,
                license_type: r.license_type,
                api_user_licence: r.license_type.map(|t| t == check::API_USER_LICENCE),
                email: r.email.clone(),
                message,
            },
            _ => ApiUser {
                read: false,
                active: None,
                license_type: None,
                api_user_licence: None,
                email: None,
                message,
            },
        }
    }
}

/// `check --json`: `{"passed", "sign_in", "retest_after_s", "tenant", "api_user", "steps",
/// "usage", "entities", "lints"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub passed: bool,
    /// What became of the secret: `accepted`, `refused` (Autotask said no),
    /// `no_verdict` (sent, no answer that judges it), `not_sent` (nothing
    /// carrying it went out), `failed_before_sending`.
    pub sign_in: &'static str,
    /// A brand-new API user: test again after this many seconds.
    pub retest_after_s: Option<u64>,
    pub tenant: Option<Tenant>,
    /// `null` when the check did not sign in (or for a vendor-bound user).
    pub api_user: Option<ApiUser>,
    pub steps: Vec<Step>,
    pub usage: Option<Usage>,
    pub entities: Vec<EntityAccess>,
    pub lints: Vec<Lint>,
}

impl From<&check::Report> for Report {
    fn from(r: &check::Report) -> Report {
        Report {
            passed: r.passed,
            sign_in: r.sign_in.code(),
            retest_after_s: r.retest_after_s,
            tenant: r.tenant.as_ref().map(Tenant::from),
            api_user: r.api_user.as_ref().map(ApiUser::from),
            steps: r.steps.iter().map(Step::from).collect(),
            usage: r.usage,
            entities: r.entities.iter().map(EntityAccess::from).collect(),
            lints: r.lints.clone(),
        }
    }
}
