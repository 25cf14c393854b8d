//! `autotask-connect status`: every saved profile at a glance, the way
//! `gh auth status` shows accounts. For each profile: the zone Autotask
//! says the tenant lives in now (looked up from the username; no secret is
//! sent), whether the credential store holds the secret (asked without
//! reading it where the store allows), the last check and its age, and the
//! lockout guard. With `check`, the full connection check runs for every
//! profile the guard allows, at most [`MAX_PER_HOST`] requests in flight to
//! any one Autotask host. It also lists the gateways running (`exec
//! --gateway`, `serve`), from their records in the config folder.
//!
//! Its JSON document (`view::StatusReport`) is a public contract (README.md).

use crate::check::{Consent, Entity, Report, SignIn, Tenant};
use crate::credentials::Username;
use crate::error::Error;
use crate::lockout::{GUARD_FAILURES, GUARD_WINDOW_SECS, History};
use crate::profile::{Profiles, blocking};
use crate::rest::{self, Failure};
use crate::script::known_zone;
use crate::store::config::{self, ConfigFile, Notice, ProfileRecord};
use crate::store::gateways::{self, GatewayRecord, GatewayState};
use crate::store::keyring::StoreError;
use crate::transport::Transport;
use crate::zone::Zone;

/// Requests in flight to one Autotask host, at most: Autotask's thread
/// limit (3 concurrent calls per integration code and entity).
pub const MAX_PER_HOST: usize = 3;

/// Everything `status` reports.
#[derive(Clone, Debug)]
pub struct StatusReport {
    /// `true` when there is at least one profile and none has a problem.
    pub ok: bool,
    pub config_path: String,
    /// Why the credential store could not be asked, if it could not.
    pub store_problem: Option<StoreError>,
    pub notice: Option<Notice>,
    /// Whether the full check ran (`--check`).
    pub checked: bool,
    pub profiles: Vec<ProfileStatus>,
    /// The gateways running on this computer now.
    pub gateways: Vec<GatewayRecord>,
}

#[derive(Clone, Debug)]
pub struct ProfileStatus {
    pub name: String,
    /// `true` when `problems` is empty.
    pub ok: bool,
    pub username: String,
    pub zone: ZoneStatus,
    /// Whether the store holds the secret; `null` when it could not be asked.
    pub secret_stored: Option<bool>,
    pub last_check: Option<LastCheck>,
    pub lockout_guard: GuardStatus,
    /// The check that just ran (`--check`), `null` otherwise or when it
    /// could not run (see `problems`).
    pub check: Option<Report>,
    /// What is wrong, each with a stable `kind`; empty when all is fine.
    pub problems: Vec<Problem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneStatus {
    /// The REST base the profile uses: from its last passing check, else
    /// from the zone entered; `null` when it was to be discovered.
    pub saved_api_url: Option<String>,
    /// What Autotask says now; `null` when the look-up failed.
    pub api_url: Option<String>,
    pub web_url: Option<String>,
    pub zone_name: Option<String>,
    /// The tenant is now in another zone than the profile's.
    pub moved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastCheck {
    /// RFC 3339, UTC.
    pub at: String,
    /// Seconds since `at` (`null` if `at` cannot be read).
    pub age_seconds: Option<u64>,
    pub passed: bool,
    pub message: String,
    pub sign_in: Option<SignIn>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardStatus {
    /// Refused logins in the last 15 minutes.
    pub recent_failed_logins: usize,
    /// Whether a check would be refused now without `--force`.
    pub blocking: bool,
    /// Minutes until it stops blocking, when it blocks.
    pub minutes_left: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `zone_moved`, `username_unknown`, `zone_lookup_failed`,
    /// `secret_missing`, `store_unavailable`, `delete_unfinished`,
    /// `last_check_failed`, `lockout_guard`, `check_failed`, `check_not_run`,
    /// `credentials_refused` (a gateway of the profile stopped).
    pub kind: &'static str,
    pub message: String,
}

fn problem(kind: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        kind,
        message: message.into(),
    }
}

/// Unix seconds of an RFC 3339 `YYYY-MM-DDTHH:MM:SSZ` time (what
/// [`config::rfc3339`] writes).
pub(crate) fn parse_rfc3339(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // days_from_civil (proleptic Gregorian), the inverse of config::rfc3339.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

/// "just now", "5 min ago", "3 h ago", "2 d ago".
pub fn age_text(seconds: u64) -> String {
    match seconds {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => format!("{} d ago", seconds / 86_400),
    }
}

/// The guard's state from the refused logins of a username (Unix seconds;
/// a time after `now` counts as `now`, as the guard counts it).
fn guard_from(recent: &[u64], now: u64) -> GuardStatus {
    let recent: Vec<u64> = recent
        .iter()
        .map(|t| (*t).min(now))
        .filter(|t| now.saturating_sub(*t) < GUARD_WINDOW_SECS)
        .collect();
    let blocking = recent.len() >= GUARD_FAILURES;
    let minutes_left = blocking.then(|| {
        let oldest = recent.iter().min().copied().unwrap_or(now);
        oldest
            .saturating_add(GUARD_WINDOW_SECS)
            .saturating_sub(now)
            .div_ceil(60)
            .max(1)
    });
    GuardStatus {
        recent_failed_logins: recent.len(),
        blocking,
        minutes_left,
    }
}

/// The guard of a profile's username: one per Autotask username, shared by
/// every profile that uses it (see `lockout`).
/// A record the guard cannot read blocks like a lockout risk (it needs
/// `--force`), with no time to wait.
fn guard_status(file: &ConfigFile, username: &str, now: u64) -> GuardStatus {
    let history = History::of(file, username, now);
    let mut guard = guard_from(&history.recent, now);
    if history.unreadable.is_some() {
        guard.blocking = true;
    }
    guard
}

/// What the zone look-up found for one profile.
enum Lookup {
    Found {
        zone: Zone,
        web_url: String,
        zone_name: Option<String>,
    },
    Unknown,
    Failed(String),
    NotAsked,
}

async fn look_up(transport: &Transport, username: &str) -> Lookup {
    let Some(username) = Username::parse(username, &mut Vec::new()) else {
        return Lookup::Unknown;
    };
    match rest::zone_information(transport, &username).await.1 {
        Ok(info) => Lookup::Found {
            zone: info.zone,
            web_url: info.web_url,
            zone_name: info.zone_name,
        },
        Err(f @ Failure::Status { status: 500, .. })
            if f.error_text().contains(rest::ZONE_UNKNOWN_TEXT) =>
        {
            Lookup::Unknown
        }
        Err(Failure::Transport(t)) => Lookup::Failed(t.message),
        Err(f) => Lookup::Failed(match f.status() {
            Some(s) => format!("Autotask's zone look-up answered HTTP {s}."),
            None => "Autotask's zone look-up gave no usable answer.".into(),
        }),
    }
}

/// Whether and how the full check ran for one profile.
enum Checked {
    /// `status` without `--check`.
    NotAsked,
    Ran(Box<Report>),
    /// Not run because of a problem judged from the record (no secret,
    /// the lockout guard, an unfinished delete).
    Skipped,
    /// It could not start, for this reason.
    NotRun(String),
}

/// What the check found about the zone: the tenant it reached.
fn lookup_from_tenant(tenant: Option<&Tenant>) -> Lookup {
    match tenant.and_then(|t| {
        crate::zone::parse_discovered(&t.api_url)
            .ok()
            .map(|z| (z, t))
    }) {
        Some((zone, t)) => Lookup::Found {
            zone,
            web_url: t.web_url.clone(),
            zone_name: t.zone_name.clone(),
        },
        None => Lookup::NotAsked,
    }
}

/// Judges one profile (pure): the record as it is now, the saved zone
/// from before any check, what the store and the look-up said.
#[allow(clippy::too_many_arguments)] // one pure verdict from every finding, each named
fn judge(
    name: &str,
    record: &ProfileRecord,
    saved_zone: Option<Zone>,
    secret_stored: Option<bool>,
    lookup: Lookup,
    checked: Checked,
    lockout_guard: GuardStatus,
    now: u64,
) -> ProfileStatus {
    let mut problems = Vec::new();
    let quoted = crate::script::sh_quote(name);
    let mut zone = ZoneStatus {
        saved_api_url: saved_zone.map(Zone::api_url),
        api_url: None,
        web_url: None,
        zone_name: None,
        moved: false,
    };
    match lookup {
        Lookup::Found {
            zone: found,
            web_url,
            zone_name,
        } => {
            zone.api_url = Some(found.api_url());
            zone.web_url = Some(web_url.clone());
            zone.zone_name = zone_name;
            if let Some(saved) = saved_zone.filter(|s| *s != found) {
                zone.moved = true;
                problems.push(problem(
                    "zone_moved",
                    format!(
                        "The tenant moved: Autotask now serves it from {found} ({web_url}), but \
                         the profile uses {saved}. Run `autotask-connect profile check {quoted}` \
                         to record the new zone (scripts using `exec` then get it)."
                    ),
                ));
            }
        }
        Lookup::Unknown => problems.push(problem(
            "username_unknown",
            "Autotask does not know this API username any more (the API user may have been \
             deleted or renamed). Save the profile again with the Username (Key) from the API \
             user's Credentials section.",
        )),
        Lookup::Failed(why) => problems.push(problem(
            "zone_lookup_failed",
            format!("The zone could not be looked up: {why}"),
        )),
        Lookup::NotAsked => {}
    }
    match secret_stored {
        Some(true) => {}
        Some(false) => problems.push(problem(
            "secret_missing",
            format!(
                "The credential store has no secret for this profile (another program may have \
                 removed it). Store one with `autotask-connect profile rotate {quoted}`."
            ),
        )),
        None => problems.push(problem(
            "store_unavailable",
            "The credential store could not be asked whether it holds the secret.",
        )),
    }
    if record.deleting {
        problems.push(problem(
            "delete_unfinished",
            format!(
                "A delete of this profile did not finish. Run `autotask-connect profile delete \
                 {quoted}` again."
            ),
        ));
    }
    if lockout_guard.blocking && lockout_guard.minutes_left.is_none() {
        problems.push(problem(
            "lockout_guard",
            format!(
                "The lockout guard's record of this API user in the profiles file cannot be read, \
                 so checks stop until one is forced. Make sure the API user is not locked in \
                 Autotask, then run `autotask-connect profile check {quoted} --force` once."
            ),
        ));
    } else if lockout_guard.blocking {
        problems.push(problem(
            "lockout_guard",
            format!(
                "Autotask refused this API user's login {} times in the last 15 minutes; checks \
                 stop for {} so the API user is not locked. Fix the secret \
                 (`autotask-connect profile rotate {quoted}`).",
                lockout_guard.recent_failed_logins,
                crate::lockout::more_minutes(lockout_guard.minutes_left.unwrap_or(1))
            ),
        ));
    }
    let check = match checked {
        Checked::Ran(report) => {
            if !report.passed {
                problems.push(problem(
                    "check_failed",
                    report
                        .first_failure()
                        .map(|s| s.message.clone())
                        .unwrap_or_else(|| "The check did not pass.".into()),
                ));
            }
            Some(*report)
        }
        Checked::NotRun(why) => {
            problems.push(problem("check_not_run", why));
            None
        }
        // Not checked because of a problem named above.
        Checked::Skipped => None,
        Checked::NotAsked => {
            if let Some(c) = record.last_check.as_ref().filter(|c| !c.passed) {
                problems.push(problem(
                    "last_check_failed",
                    format!("The last check did not pass: {}", c.message),
                ));
            }
            None
        }
    };
    let last_check = record.last_check.as_ref().map(|c| LastCheck {
        at: c.at.clone(),
        age_seconds: parse_rfc3339(&c.at).map(|t| now.saturating_sub(t)),
        passed: c.passed,
        message: c.message.clone(),
        sign_in: c.sign_in.map(SignIn::from),
    });
    ProfileStatus {
        name: name.to_string(),
        ok: problems.is_empty(),
        username: record.username.clone(),
        zone,
        secret_stored,
        last_check,
        lockout_guard,
        check,
        problems,
    }
}

/// Gathers the status of every profile; with `check`, checks each one the
/// lockout guard allows (and records the outcome, as `profile check` does).
/// `consent` is what the caller said yes to for every profile it checks
/// (`--person-login`, `--secret-length-ok`); a profile the door would ask
/// about is not checked, and says why.
pub async fn gather(
    profiles: &Profiles,
    transport: &Transport,
    check: bool,
    consent: Consent,
) -> Result<StatusReport, Error> {
    let transport = transport.with_host_limit(MAX_PER_HOST);
    let this = profiles.clone();
    let (file, notice, stored, store_problem) = blocking(move || {
        let (file, notice) = this.config().load()?;
        let keyring = this.keyring();
        let store_problem = keyring.as_ref().err().and_then(|e| match e {
            crate::profile::ProfileError::Store(s) => Some(s.clone()),
            _ => None,
        });
        let stored: Vec<Option<bool>> = file
            .profiles
            .keys()
            .map(|name| keyring.as_ref().ok().and_then(|k| k.has(name).ok()))
            .collect();
        Ok((file, notice, stored, store_problem))
    })
    .await?;
    let now = config::unix_now();
    let entries: Vec<(String, ProfileRecord, Option<bool>)> = file
        .profiles
        .clone()
        .into_iter()
        .zip(stored)
        .map(|((n, r), s)| (n, r, s))
        .collect();
    // The lockout guard allows one login per Autotask username at a time:
    // profiles sharing a username are checked one after another, different
    // usernames side by side.
    let mut by_username: std::collections::BTreeMap<String, Vec<_>> = Default::default();
    for entry in entries {
        by_username
            .entry(entry.1.username.trim().to_lowercase())
            .or_default()
            .push(entry);
    }

    let file_ref = &file;
    let one = |(name, record, stored): (String, ProfileRecord, Option<bool>)| {
        let transport = transport.clone();
        async move {
            let saved_zone = known_zone(&record);
            let guard_blocks = guard_status(file_ref, &record.username, now).blocking;
            if check && stored == Some(true) && !guard_blocks && !record.deleting {
                let report = profiles
                    .check(
                        &transport,
                        &name,
                        Entity::list(&[]).expect("the default entities are valid"),
                        Consent {
                            force: false,
                            ..consent
                        },
                        &|_| {},
                    )
                    .await;
                let report = match report {
                    Ok(r) => r,
                    // It could not run (the secret vanished, the guard tripped
                    // since we looked, the record cannot be used): say why.
                    Err(e) => {
                        let lookup = look_up(&transport, &record.username).await;
                        let outcome = Checked::NotRun(e.to_string());
                        return (name, record, saved_zone, stored, lookup, outcome);
                    }
                };
                let lookup = lookup_from_tenant(report.tenant.as_ref());
                let lookup = match lookup {
                    Lookup::NotAsked => look_up(&transport, &record.username).await,
                    found => found,
                };
                (
                    name,
                    record,
                    saved_zone,
                    stored,
                    lookup,
                    Checked::Ran(Box::new(report)),
                )
            } else {
                let lookup = look_up(&transport, &record.username).await;
                let outcome = if check {
                    Checked::Skipped
                } else {
                    Checked::NotAsked
                };
                (name, record, saved_zone, stored, lookup, outcome)
            }
        }
    };
    let one = &one;
    let groups = by_username.into_values().map(|group| async move {
        let mut done = Vec::with_capacity(group.len());
        for entry in group {
            done.push(one(entry).await);
        }
        done
    });
    let mut results: Vec<_> = futures_util::future::join_all(groups)
        .await
        .into_iter()
        .flatten()
        .collect();
    results.sort_by(|a, b| a.0.cmp(&b.0));

    // After checks the records changed (last check, failed logins): read them again.
    let fresh = if check {
        let this = profiles.clone();
        Some(blocking(move || Ok(this.config().load()?.0)).await?)
    } else {
        None
    };
    let this = profiles.clone();
    let running = blocking(move || Ok(gateways::live(this.config()))).await?;
    let now = config::unix_now();
    let guards = fresh.as_ref().unwrap_or(&file);
    let statuses: Vec<ProfileStatus> = results
        .into_iter()
        .map(|(name, record, saved_zone, stored, lookup, report)| {
            let record = fresh
                .as_ref()
                .and_then(|f| f.profiles.get(&name).cloned())
                .unwrap_or(record);
            // A passing check recorded the zone it reached: a move it
            // followed is settled.
            let saved_zone = match &report {
                Checked::Ran(r) if r.passed => known_zone(&record),
                _ => saved_zone,
            };
            let guard = guard_status(guards, &record.username, now);
            let mut status = judge(
                &name, &record, saved_zone, stored, lookup, report, guard, now,
            );
            stopped_gateways(&mut status, &running);
            status
        })
        .collect();
    Ok(StatusReport {
        ok: !statuses.is_empty() && statuses.iter().all(|s| s.ok),
        config_path: profiles.config().path().display().to_string(),
        store_problem,
        notice,
        checked: check,
        profiles: statuses,
        gateways: running,
    })
}

/// A gateway of the profile that Autotask's refusal stopped is the
/// profile's problem: its secret no longer works.
fn stopped_gateways(status: &mut ProfileStatus, running: &[GatewayRecord]) {
    for g in running
        .iter()
        .filter(|g| g.profile == status.name && g.state == GatewayState::CredentialsRefused)
    {
        status.problems.push(problem(
            "credentials_refused",
            format!(
                "The gateway at {} (process {}) stopped: Autotask refused the profile's \
                 credentials, so it sends nothing more. Check the profile \
                 (`autotask-connect profile check {}`), then start the gateway again.",
                g.url,
                g.pid,
                crate::script::sh_quote(&status.name)
            ),
        ));
        status.ok = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::config::CheckRecord;

    fn record() -> ProfileRecord {
        ProfileRecord {
            vendor: None,
            username: "k3jd8f0aq2mz7xw@contoso.com".into(),
            integration_code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ1".into(),
            zone_input: Some("ww6.autotask.net".into()),
            tenant: None,
            last_check: None,
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
            failed_logins: vec![],
            entities: vec![],
            deleting: false,
        }
    }

    #[test]
    fn rfc3339_round_trips_with_the_config_writer() {
        for t in [
            0u64,
            951_782_400,
            1_764_633_600,
            1_796_169_599,
            4_102_444_800,
        ] {
            assert_eq!(parse_rfc3339(&config::rfc3339(t)), Some(t));
        }
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-12-01 00:00:00Z",
            "yesterday",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(age_text(59), "just now");
        assert_eq!(age_text(3 * 3600 + 5), "3 h ago");
    }

    #[test]
    fn a_moved_tenant_is_named_with_both_zones() {
        let r = record();
        let s = judge(
            "Moved",
            &r,
            known_zone(&r),
            Some(true),
            Lookup::Found {
                zone: Zone::Numbered(29),
                web_url: "https://ww29.autotask.net/".into(),
                zone_name: Some("Australia".into()),
            },
            Checked::NotAsked,
            guard_from(&[], 0),
            0,
        );
        assert!(!s.ok);
        assert!(s.zone.moved);
        assert_eq!(
            s.zone.saved_api_url.as_deref(),
            Some("https://webservices6.autotask.net/ATServicesRest/V1.0/")
        );
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, "zone_moved");
        assert!(s.problems[0].message.contains("zone 29"));
        assert!(s.problems[0].message.contains("zone 6"));
    }

    #[test]
    fn a_healthy_profile_has_no_problems_and_a_failed_last_check_is_one() {
        let mut r = record();
        let found = || Lookup::Found {
            zone: Zone::Numbered(6),
            web_url: "https://ww6.autotask.net/".into(),
            zone_name: None,
        };
        let at = config::rfc3339(1_000_000);
        r.last_check = Some(CheckRecord {
            at: at.clone(),
            passed: true,
            failed_step: None,
            blame: None,
            message: "The check passed.".into(),
            sign_in: None,
        });
        let s = judge(
            "A",
            &r,
            known_zone(&r),
            Some(true),
            found(),
            Checked::NotAsked,
            guard_from(&[], 1_000_120),
            1_000_120,
        );
        assert!(s.ok, "{:?}", s.problems);
        assert_eq!(s.last_check.unwrap().age_seconds, Some(120));
        r.last_check.as_mut().unwrap().passed = false;
        let s = judge(
            "A",
            &r,
            known_zone(&r),
            Some(true),
            found(),
            Checked::NotAsked,
            guard_from(&[], 1_000_120),
            1_000_120,
        );
        assert_eq!(s.problems[0].kind, "last_check_failed");
        // A fresh check supersedes the last one.
        let s = judge(
            "A",
            &r,
            known_zone(&r),
            Some(true),
            found(),
            Checked::Skipped,
            guard_from(&[], 1_000_120),
            1_000_120,
        );
        assert!(s.ok);
    }

    #[test]
    fn missing_secret_guard_and_unknown_user_are_each_named() {
        let r = record();
        let refused = [1000, 1100];
        let s = judge(
            "B",
            &r,
            None,
            Some(false),
            Lookup::Unknown,
            Checked::NotAsked,
            guard_from(&refused, 1200),
            1200,
        );
        let kinds: Vec<&str> = s.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            ["username_unknown", "secret_missing", "lockout_guard"]
        );
        assert_eq!(
            s.lockout_guard,
            GuardStatus {
                recent_failed_logins: 2,
                blocking: true,
                minutes_left: Some(12),
            }
        );
        // Failures older than the window no longer count.
        let s = judge(
            "B",
            &r,
            None,
            Some(true),
            Lookup::NotAsked,
            Checked::NotAsked,
            guard_from(&refused, 1000 + 901),
            1000 + 901,
        );
        assert!(!s.lockout_guard.blocking);
        assert!(s.ok);
    }
}
