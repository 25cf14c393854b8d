//! `status --json` (README): every profile at a glance.

use serde::Serialize;

use super::check::Report;
use super::gateway::GatewayStatus;
use crate::check::SignIn;
use crate::status;
use crate::store::config::Notice;
use crate::store::keyring::StoreError;

#[derive(Clone, Debug, Serialize)]
pub struct StatusReport {
    pub ok: bool,
    pub config_path: String,
    pub store_problem: Option<StoreError>,
    pub notice: Option<Notice>,
    pub checked: bool,
    pub profiles: Vec<ProfileStatus>,
    /// The gateways running now (`exec --gateway`, `serve`).
    pub gateways: Vec<GatewayStatus>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProfileStatus {
    pub name: String,
    pub ok: bool,
    pub username: String,
    pub zone: ZoneStatus,
    pub secret_stored: Option<bool>,
    pub last_check: Option<LastCheckStatus>,
    pub lockout_guard: GuardStatus,
    /// The check's JSON, as `check --json`.
    pub check: Option<Report>,
    pub problems: Vec<Problem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZoneStatus {
    pub saved_api_url: Option<String>,
    pub api_url: Option<String>,
    pub web_url: Option<String>,
    pub zone_name: Option<String>,
    pub moved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastCheckStatus {
    pub at: String,
    pub age_seconds: Option<u64>,
    pub passed: bool,
    pub message: String,
    /// `accepted`, `refused`, `no_verdict`, `not_sent`,
    /// `failed_before_sending`; `null` for records older than it.
    pub sign_in: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GuardStatus {
    pub recent_failed_logins: usize,
    pub blocking: bool,
    pub minutes_left: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: &'static str,
    pub message: String,
}

impl From<&status::StatusReport> for StatusReport {
    fn from(r: &status::StatusReport) -> StatusReport {
        StatusReport {
            ok: r.ok,
            config_path: r.config_path.clone(),
            store_problem: r.store_problem.clone(),
            notice: r.notice.clone(),
            checked: r.checked,
            profiles: r.profiles.iter().map(ProfileStatus::from).collect(),
            gateways: r.gateways.iter().map(GatewayStatus::from).collect(),
        }
    }
}

impl From<&status::ProfileStatus> for ProfileStatus {
    fn from(p: &status::ProfileStatus) -> ProfileStatus {
        let z = &p.zone;
        let g = &p.lockout_guard;
        ProfileStatus {
            name: p.name.clone(),
            ok: p.ok,
            username: p.username.clone(),
            zone: ZoneStatus {
                saved_api_url: z.saved_api_url.clone(),
                api_url: z.api_url.clone(),
                web_url: z.web_url.clone(),
                zone_name: z.zone_name.clone(),
                moved: z.moved,
            },
            secret_stored: p.secret_stored,
            last_check: p.last_check.as_ref().map(|c| LastCheckStatus {
                at: c.at.clone(),
                age_seconds: c.age_seconds,
                passed: c.passed,
                message: c.message.clone(),
                sign_in: c.sign_in.map(SignIn::code),
            }),
            lockout_guard: GuardStatus {
                recent_failed_logins: g.recent_failed_logins,
                blocking: g.blocking,
                minutes_left: g.minutes_left,
            },
            check: p.check.as_ref().map(Report::from),
            problems: p
                .problems
                .iter()
                .map(|x| Problem {
                    kind: x.kind,
                    message: x.message.clone(),
                })
                .collect(),
        }
    }
}
