//! What a check finds: the ladder's steps, the tenant, the report.

use crate::credentials::Lint;
pub use crate::lockout::SignIn;
use crate::rest::{AccessLevel, Exchange, ResourceRecord, Usage, ZoneInformation};
use crate::zone::Zone;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepId {
    Network,
    Zone,
    Authentication,
    Tenant,
    Permissions,
    Usage,
}

impl StepId {
    pub const ALL: [StepId; 6] = [
        StepId::Network,
        StepId::Zone,
        StepId::Authentication,
        StepId::Tenant,
        StepId::Permissions,
        StepId::Usage,
    ];

    /// The stable identifier (README: a step's `id`).
    pub fn code(self) -> &'static str {
        match self {
            StepId::Network => "network",
            StepId::Zone => "zone",
            StepId::Authentication => "authentication",
            StepId::Tenant => "tenant",
            StepId::Permissions => "permissions",
            StepId::Usage => "usage",
        }
    }

    /// The row's title in the ladder.
    pub fn title(self) -> &'static str {
        match self {
            StepId::Network => "Network",
            StepId::Zone => "Zone",
            StepId::Authentication => "Authentication",
            StepId::Tenant => "Tenant",
            StepId::Permissions => "Permissions",
            StepId::Usage => "API usage",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pending,
    Running,
    Passed,
    Warning,
    Failed,
    Skipped,
}

impl Status {
    /// The stable identifier (README: a step's `status`; the window also
    /// sees `pending` and `running`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Passed => "passed",
            Status::Warning => "warning",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// The input a finding blames: what the technician has to change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blame {
    Username,
    Secret,
    IntegrationCode,
    Zone,
    /// The API user's licence or security level (not an API-only user, no API login).
    Licence,
    /// Autotask has locked the API user: only an administrator can unlock it.
    Locked,
    /// Entity access of the security level, or lines of business.
    Permissions,
    Network,
    RateLimit,
    /// Refused for a username never seen to pass here: a new API user takes
    /// a few minutes before Autotask accepts it (else the secret is wrong).
    NewUser,
}

impl Blame {
    /// The stable identifier (README: a step's `blame`).
    pub fn code(self) -> &'static str {
        match self {
            Blame::Username => "username",
            Blame::Secret => "secret",
            Blame::IntegrationCode => "integration_code",
            Blame::Zone => "zone",
            Blame::Licence => "licence",
            Blame::Locked => "locked",
            Blame::Permissions => "permissions",
            Blame::Network => "network",
            Blame::RateLimit => "rate_limit",
            Blame::NewUser => "new_user",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: StepId,
    pub status: Status,
    pub message: String,
    pub blame: Option<Blame>,
    /// The one thing to do, in a line.
    pub fix: Option<String>,
    /// How to do it (menu paths, caveats), for whoever needs more than the line.
    pub details: Option<String>,
    /// Where the fix is made: the tenant's portal, or Autotask's help.
    pub link: Option<String>,
    /// The HTTP exchanges behind this step, for the support report.
    pub http: Vec<Exchange>,
}

impl Step {
    pub(super) fn new(id: StepId, status: Status, message: impl Into<String>) -> Step {
        Step {
            id,
            status,
            message: message.into(),
            blame: None,
            fix: None,
            details: None,
            link: None,
            http: Vec::new(),
        }
    }
    pub(super) fn details(mut self, details: impl Into<String>) -> Step {
        self.details = Some(details.into());
        self
    }
    pub(super) fn blaming(mut self, blame: Blame, fix: impl Into<String>) -> Step {
        self.blame = Some(blame);
        self.fix = Some(fix.into());
        self
    }
    pub(super) fn fix(mut self, fix: impl Into<String>) -> Step {
        self.fix = Some(fix.into());
        self
    }
    pub(super) fn link(mut self, link: Option<String>) -> Step {
        self.link = link;
        self
    }
    pub(super) fn with_http(mut self, exchanges: impl IntoIterator<Item = Exchange>) -> Step {
        self.http.extend(exchanges);
        self
    }
    pub(super) fn skipped(id: StepId, why: &str) -> Step {
        Step::new(id, Status::Skipped, format!("Skipped: {why}"))
    }
}

/// Who the credentials belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tenant {
    pub zone_name: Option<String>,
    pub api_url: String,
    pub web_url: String,
    pub ci: Option<u64>,
    /// Company 0's name, when the API user can see it.
    pub company_name: Option<String>,
}

impl Tenant {
    /// What the zone and Autotask's look-up (when it answered) say about
    /// the tenant, before company 0 is read.
    pub(super) fn located(zone: Zone, info: Option<&ZoneInformation>) -> Tenant {
        Tenant {
            zone_name: info.and_then(|i| i.zone_name.clone()),
            api_url: zone.api_url(),
            web_url: info.map_or_else(|| zone.web_url(), |i| i.web_url.clone()),
            ci: info.and_then(|i| i.ci),
            company_name: None,
        }
    }
}

/// One entity's access for the API user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityAccess {
    pub entity: String,
    pub query: Option<AccessLevel>,
    pub create: Option<AccessLevel>,
    pub update: Option<AccessLevel>,
    pub delete: Option<AccessLevel>,
    /// Why the access could not be read, if it could not.
    pub problem: Option<String>,
}

/// The API user's own Resource record, read with its own credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiUser {
    Read(ResourceRecord),
    /// No Resource has this username.
    NotFound,
    /// The security level may not read Resources (not a failure: many
    /// integrations never need to).
    NotReadable,
    /// Another answer; why.
    Unknown(String),
}

impl ApiUser {
    /// What the tenant step says about it, in one or two sentences.
    pub fn sentence(&self) -> String {
        match self {
            ApiUser::Read(r) => {
                let mut parts = Vec::new();
                match r.active {
                    Some(true) => parts.push("active".to_string()),
                    Some(false) => parts.push("marked inactive".to_string()),
                    None => {}
                }
                match r.license_type {
                    Some(API_USER_LICENCE) => parts.push("API User licence".to_string()),
                    Some(n) => parts.push(format!("licence type {n}, not the API User licence (7)")),
                    None => {}
                }
                let notices = match &r.email {
                    Some(e) => format!("Autotask sends its notices for this user (a lockout, the request limit) to {e}."),
                    None => "It has no e-mail address, so nobody hears of a lockout or of the request limit.".to_string(),
                };
                if parts.is_empty() {
                    format!("The API user's own record: {notices}")
                } else {
                    format!("The API user's own record: {}. {notices}", parts.join(", "))
                }
            }
            ApiUser::NotFound => {
                "No Resource with this username was found, so the API user's own record is not shown."
                    .to_string()
            }
            ApiUser::NotReadable => "This API user's security level cannot read Resources, so its own \
                                     record (active, licence, e-mail for notices) is not shown."
                .to_string(),
            ApiUser::Unknown(why) => format!("The API user's own record could not be read: {why}."),
        }
    }
}

impl ApiUser {
    /// As it may leave the check: no text of it holds the secret or the code.
    pub(super) fn scrubbed(mut self, redactor: &crate::redact::Redactor) -> ApiUser {
        match &mut self {
            ApiUser::Read(r) => {
                if let Some(e) = r.email.as_mut() {
                    redactor.scrub(e);
                }
            }
            ApiUser::Unknown(why) => redactor.scrub(why),
            ApiUser::NotFound | ApiUser::NotReadable => {}
        }
        self
    }
}

/// Autotask's licence type of an API user (Resources' `licenseType`).
pub const API_USER_LICENCE: u64 = 7;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub passed: bool,
    pub tenant: Option<Tenant>,
    pub steps: Vec<Step>,
    pub usage: Option<Usage>,
    pub entities: Vec<EntityAccess>,
    /// The API user's own record; `None` when the check did not get to it.
    pub api_user: Option<ApiUser>,
    /// Warnings about the inputs (the check ran anyway).
    pub lints: Vec<Lint>,
    /// What became of the secret: accepted, refused, or why no verdict.
    pub sign_in: SignIn,
    /// When a re-test makes sense (a brand-new API user), in seconds.
    pub retest_after_s: Option<u64>,
}

impl Report {
    /// The first failed step: the one to fix first.
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == Status::Failed)
    }

    /// Whether Autotask refused the integration code (not the user's login).
    pub(crate) fn code_refused(&self) -> bool {
        self.steps.iter().any(|s| {
            s.id == StepId::Authentication
                && s.status == Status::Failed
                && s.blame == Some(Blame::IntegrationCode)
        })
    }

    /// Whether Autotask judged the secret. `false` for a vendor-bound API
    /// user's check, whose `passed` only vouches for username and zone.
    pub fn tested_the_secret(&self) -> bool {
        matches!(self.sign_in, SignIn::Accepted | SignIn::Refused)
    }
}

/// Receives every step as it starts and as it ends.
pub type Observer<'a> = &'a (dyn Fn(&Step) + Send + Sync);
