//! The zone decision: which zone the one authenticated call goes to, from
//! what was entered and what Autotask's look-up said.

use super::judges::{API_USERS, HELP_API_USER, failure_blame_fix, failure_sentence};
use super::types::{Blame, Status, Step, StepId};
use crate::credentials::Username;
use crate::rest::{self, Exchange, Failure, ZoneInformation};
use crate::transport::Transport;
use crate::zone::{DISCOVERY_HOST, Zone, ZoneInput};

/// Level 1's authenticated call to a pasted zone: where, and what came back.
pub(super) enum ZoneNext {
    Stop,
    /// Sign in to this zone.
    Use {
        zone: Zone,
        info: Option<ZoneInformation>,
    },
    /// The look-up does not know the username, but a zone was entered: one
    /// sign-in there decides whether the username is wrong.
    UnknownUserTryPasted(Zone),
}

pub(super) fn is_unknown_user(f: &Failure) -> bool {
    matches!(f, Failure::Status { status: 500, .. })
        && f.error_text().contains(rest::ZONE_UNKNOWN_TEXT)
}

fn describe_zone(info: &ZoneInformation) -> String {
    let place = format!("{} ({})", info.zone, info.zone.api_host());
    match &info.zone_name {
        Some(name) => format!("\"{name}\", {place}"),
        None => place,
    }
}

pub(super) fn decide_zone(
    pasted: Option<Zone>,
    entered_discovery_host: bool,
    username: &Username,
    exchange: Exchange,
    disc: &Result<ZoneInformation, Failure>,
) -> (Step, ZoneNext) {
    let id = StepId::Zone;
    match (pasted, disc) {
        (_, Ok(info)) => {
            let db = info
                .ci
                .map(|ci| format!(", database {ci}"))
                .unwrap_or_default();
            let link = Some(info.web_url.clone());
            let next = ZoneNext::Use {
                zone: info.zone,
                info: Some(info.clone()),
            };
            match pasted {
                Some(p) if p != info.zone => (
                    Step::new(
                        id,
                        Status::Warning,
                        format!(
                            "The Autotask URL you entered is {p}, but Autotask says this username's \
                             tenant is in {}{db}. Using {}; nothing was sent to {p}.",
                            describe_zone(info),
                            info.zone
                        ),
                    )
                    .blaming(
                        Blame::Zone,
                        format!("Use {} as the Autotask URL.", info.web_url),
                    )
                    .details(
                        "Autotask sometimes moves a tenant to a new zone; the old address then \
                         stops working for the API.",
                    )
                    .link(link)
                    .with_http([exchange]),
                    next,
                ),
                _ => {
                    let how = if pasted.is_some() {
                        "The Autotask URL you entered matches: Autotask has this username in"
                    } else if entered_discovery_host {
                        "webservices.autotask.net only looks zones up; Autotask has this username in"
                    } else {
                        "Autotask has this username in"
                    };
                    (
                        Step::new(id, Status::Passed, format!("{how} {}{db}.", describe_zone(info)))
                            .link(link)
                            .with_http([exchange]),
                        next,
                    )
                }
            }
        }
        (_, Err(f)) if is_unknown_user(f) => (
            Step::new(
                id,
                Status::Failed,
                format!(
                    "Autotask does not know this username (\"Zone information could not be \
                     determined\").{}",
                    if username.is_generated_key() {
                        ""
                    } else {
                        " It looks like a person's e-mail address rather than the key Autotask \
                         generates for an API user."
                    }
                ),
            )
            .blaming(
                Blame::Username,
                "Paste the Username (Key) from the API user's Credentials section.",
            )
            .details(format!(
                "Not the e-mail address on its General tab: {API_USERS}, edit the API user. If the \
                 user is brand new, make sure it was saved."
            ))
            .link(Some(HELP_API_USER.into()))
            .with_http([exchange]),
            match pasted {
                Some(p) => ZoneNext::UnknownUserTryPasted(p),
                None => ZoneNext::Stop,
            },
        ),
        (Some(p), Err(f)) => {
            let why = failure_sentence(f, DISCOVERY_HOST);
            (
                Step::new(
                    id,
                    Status::Warning,
                    format!("Could not confirm the zone with Autotask's look-up ({why}). Using the zone you entered, {p}."),
                )
                .with_http([exchange]),
                ZoneNext::Use { zone: p, info: None },
            )
        }
        (None, Err(Failure::Transport(t))) if !t.sent => (
            // The network step says why; this row only says it did not run.
            Step::skipped(id, "Autotask could not be reached.").with_http([exchange]),
            ZoneNext::Stop,
        ),
        (None, Err(f)) => {
            let (blame, fix) = failure_blame_fix(f);
            let mut step = Step::new(
                id,
                Status::Failed,
                format!(
                    "The zone could not be looked up: {}.",
                    failure_sentence(f, DISCOVERY_HOST)
                ),
            )
            .with_http([exchange]);
            step.blame = blame;
            step.fix = Some(fix);
            (step, ZoneNext::Stop)
        }
    }
}

/// The tenant's zone for a hand-off: the one entered, else Autotask's zone
/// look-up for the username (which needs no secret).
pub async fn zone_for(
    transport: &Transport,
    zone: Option<ZoneInput>,
    username: &Username,
) -> Result<Zone, ZoneLookupError> {
    if let Some(ZoneInput::Zone(z)) = zone {
        return Ok(z);
    }
    match rest::zone_information(transport, username).await.1 {
        Ok(info) => Ok(info.zone),
        Err(f) if is_unknown_user(&f) => Err(ZoneLookupError(
            "Autotask does not know this username. Use the Username (Key) from the API user's \
             Credentials section, or give the zone with --zone."
                .into(),
        )),
        Err(f) => Err(ZoneLookupError(format!(
            "{}. Give the zone with --zone.",
            failure_sentence(&f, DISCOVERY_HOST)
        ))),
    }
}

/// The zone for a hand-off could not be looked up from the username.
#[derive(Debug, thiserror::Error)]
#[error("The zone could not be looked up: {0}")]
pub struct ZoneLookupError(String);
