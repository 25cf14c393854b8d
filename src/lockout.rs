//! The lockout guard: one record of refused logins per Autotask username,
//! kept in the config file and shared by the window, every CLI command and
//! every profile that uses that username. Autotask locks an API user after
//! repeated failed logins, which stops every integration using it.
//!
//! An attempt is reserved, under the config file's lock, *before* the
//! request that carries the secret goes out, and settled after it; so two
//! windows, a double click or a script running beside the window cannot
//! both pass the guard on the same count. At most one attempt per username
//! is in flight; a third refused login within 15 minutes needs `force`.

use crate::check::{Blame, Report, Status, StepId};
use crate::store::config::{self, Config, ConfigError, ConfigFile, LoginRecord, PendingLogin};

/// How long failed logins count towards the lockout guard.
pub(crate) const GUARD_WINDOW_SECS: u64 = 15 * 60;
/// Failed logins within the window after which another attempt needs `force`.
pub(crate) const GUARD_FAILURES: usize = 2;

/// "1 more minute", "14 more minutes".
pub(crate) fn more_minutes(n: u64) -> String {
    if n == 1 {
        "1 more minute".into()
    } else {
        format!("{n} more minutes")
    }
}

/// Why the guard does not let an attempt go out.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(
        "Autotask refused these credentials {failures} times in the last 15 minutes. Autotask \
         locks an API user after repeated failures, so Autotask Connect stops before a third \
         attempt for {}. Check the secret you have first: generating a new one in Autotask stops \
         every integration that uses the old one.",
        more_minutes(*.wait_minutes)
    )]
    LockoutRisk { failures: usize, wait_minutes: u64 },
    #[error(
        "A connection check with this API username is already running (in this window, another \
         window or a script). Wait for it to finish, then try again: two sign-ins at once could \
         both be refused and count towards Autotask's lockout."
    )]
    LoginInProgress,
    /// The guard's record could not be read or written.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl GuardError {
    pub fn kind(&self) -> &'static str {
        match self {
            GuardError::LockoutRisk { .. } => "lockout_risk",
            GuardError::LoginInProgress => "login_in_progress",
            GuardError::Config(c) => c.kind(),
        }
    }

    /// A refusal is the caller's to resolve (wait, or `--force`): 2.
    pub fn exit_status(&self) -> i32 {
        match self {
            GuardError::Config(_) => 1,
            _ => 2,
        }
    }
}

/// Whether the check's failure was Autotask refusing the login.
fn refused_login(report: &Report) -> bool {
    report.steps.iter().any(|s| {
        s.id == StepId::Authentication
            && s.status == Status::Failed
            && (matches!(
                s.blame,
                Some(Blame::Secret | Blame::Licence | Blame::Locked)
            ) || s.http.iter().any(|x| x.status == Some(401)))
    })
}

/// The refusal for `recent` failed logins (Unix seconds) at `now`.
fn lockout_risk(recent: &[u64], now: u64) -> GuardError {
    let oldest = recent.iter().min().copied().unwrap_or(now);
    let wait = (oldest + GUARD_WINDOW_SECS).saturating_sub(now);
    GuardError::LockoutRisk {
        failures: recent.len(),
        wait_minutes: wait.div_ceil(60).max(1),
    }
}

/// How long an unsettled attempt counts as still running (a check takes at
/// most three 20 s levels); older ones are attempts whose outcome was lost
/// (the process ended), still counted as possible refusals.
const IN_FLIGHT_SECS: u64 = 90;

/// The key of a username in the guard: Autotask's usernames ignore case.
fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// A reserved attempt: settle it with the check's report.
#[must_use = "an attempt that is never settled counts as a possible refusal for 15 minutes"]
#[derive(Debug)]
pub(crate) struct Attempt {
    config: Config,
    key: String,
    id: u64,
}

/// The refused (and unsettled) logins of `username` still inside the window,
/// including those recorded on profiles by earlier versions.
fn recent(file: &ConfigFile, username: &str, now: u64) -> (Vec<u64>, usize) {
    let key = key(username);
    let fresh = |t: &u64| now.saturating_sub(*t) < GUARD_WINDOW_SECS;
    let mut times: Vec<u64> = file
        .logins
        .get(&key)
        .map(|r| {
            r.refused
                .iter()
                .copied()
                .chain(r.pending.iter().map(|p| p.at))
                .filter(fresh)
                .collect()
        })
        .unwrap_or_default();
    times.extend(
        file.profiles
            .values()
            .filter(|p| key == self::key(&p.username))
            .flat_map(|p| p.failed_logins.iter().copied())
            .filter(fresh),
    );
    let in_flight = file
        .logins
        .get(&key)
        .map(|r| {
            r.pending
                .iter()
                .filter(|p| now.saturating_sub(p.at) < IN_FLIGHT_SECS)
                .count()
        })
        .unwrap_or(0);
    (times, in_flight)
}

/// The refused (and unsettled) logins of `username` still in the window
/// (Unix seconds), and how many attempts are in flight: what `status` shows.
pub(crate) fn recent_logins(file: &ConfigFile, username: &str, now: u64) -> (Vec<u64>, usize) {
    recent(file, username, now)
}

/// Refused logins of `username` in the window, as profile views show them.
pub(crate) fn recent_refusals(file: &ConfigFile, username: &str) -> usize {
    recent(file, username, config::unix_now()).0.len()
}

/// Reserves one login attempt for `username`, or refuses it: while another
/// is in flight, or after two refusals within 15 minutes unless `force`.
/// Blocking (takes the config file's lock).
pub(crate) fn reserve(config: &Config, username: &str, force: bool) -> Result<Attempt, GuardError> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = (u64::from(std::process::id()) << 32)
        | COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let key = key(username);
    config.update(|file| {
        let now = config::unix_now();
        let (times, in_flight) = recent(file, username, now);
        if !force {
            if in_flight > 0 {
                return Err(GuardError::LoginInProgress);
            }
            if times.len() >= GUARD_FAILURES {
                return Err(lockout_risk(&times, now));
            }
        }
        let record = file.logins.entry(key.clone()).or_default();
        prune(record, now);
        record.pending.push(PendingLogin { id, at: now });
        Ok::<_, GuardError>(())
    })?;
    Ok(Attempt {
        config: config.clone(),
        key,
        id,
    })
}

fn prune(record: &mut LoginRecord, now: u64) {
    let fresh = |t: u64| now.saturating_sub(t) < GUARD_WINDOW_SECS;
    record.refused.retain(|t| fresh(*t));
    record.pending.retain(|p| fresh(p.at));
}

impl Attempt {
    /// Records the outcome: a refused login counts; an accepted one clears
    /// the username's record; a check that never signed in changes nothing.
    /// Blocking.
    pub(crate) fn settle(self, report: &Report) -> Result<(), ConfigError> {
        let accepted = report.steps.iter().any(|s| {
            s.id == StepId::Authentication && matches!(s.status, Status::Passed | Status::Warning)
        });
        let refused = refused_login(report);
        self.config.update(|file| {
            let now = config::unix_now();
            if accepted {
                file.logins.remove(&self.key);
                for p in file.profiles.values_mut() {
                    if key(&p.username) == self.key {
                        p.failed_logins.clear();
                    }
                }
                return Ok::<_, ConfigError>(());
            }
            let record = file.logins.entry(self.key.clone()).or_default();
            record.pending.retain(|p| p.id != self.id);
            if refused {
                record.refused.push(now);
            }
            prune(record, now);
            if record.refused.is_empty() && record.pending.is_empty() {
                file.logins.remove(&self.key);
            }
            Ok(())
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Blame, Step};

    fn report(auth: Status, blame: Option<Blame>) -> Report {
        Report {
            passed: auth != Status::Failed,
            tenant: None,
            steps: vec![Step {
                id: StepId::Authentication,
                status: auth,
                message: String::new(),
                blame,
                fix: None,
                details: None,
                link: None,
                http: vec![],
            }],
            usage: None,
            entities: vec![],
            lints: vec![],
        }
    }

    fn refused() -> Report {
        report(Status::Failed, Some(Blame::Secret))
    }

    #[test]
    fn a_third_refusal_needs_force_and_a_pass_clears_the_username() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::at(dir.path().to_path_buf());
        for _ in 0..2 {
            reserve(&c, "User@Contoso.com", false)
                .unwrap()
                .settle(&refused())
                .unwrap();
        }
        // Per username, whatever its case, whichever face asks.
        let e = reserve(&c, "user@contoso.com ", false).unwrap_err();
        assert_eq!(e.kind(), "lockout_risk");
        assert!(
            e.to_string().contains("refused these credentials 2 times"),
            "{e}"
        );
        assert!(
            reserve(&c, "other@contoso.com", false).is_ok_and(|a| a.settle(&refused()).is_ok())
        );
        let forced = reserve(&c, "user@contoso.com", true).unwrap();
        forced.settle(&report(Status::Passed, None)).unwrap();
        let (file, _) = c.load().unwrap();
        assert_eq!(recent_refusals(&file, "USER@contoso.com"), 0);
        assert_eq!(recent_refusals(&file, "other@contoso.com"), 1);
    }

    #[test]
    fn an_attempt_is_reserved_before_it_is_sent_so_a_second_one_waits() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::at(dir.path().to_path_buf());
        let first = reserve(&c, "user@contoso.com", false).unwrap();
        let e = reserve(&c, "user@contoso.com", false).unwrap_err();
        assert_eq!(e.kind(), "login_in_progress");
        // A check that never signed in (network down) leaves no mark.
        first.settle(&report(Status::Skipped, None)).unwrap();
        let (file, _) = c.load().unwrap();
        assert!(file.logins.is_empty());
        reserve(&c, "user@contoso.com", false)
            .unwrap()
            .settle(&refused())
            .unwrap();
    }

    #[test]
    fn an_attempt_whose_outcome_was_lost_still_counts() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::at(dir.path().to_path_buf());
        let now = config::unix_now();
        c.update(|file| {
            file.logins.insert(
                "user@contoso.com".into(),
                LoginRecord {
                    refused: vec![now - 60],
                    pending: vec![PendingLogin {
                        id: 7,
                        at: now - IN_FLIGHT_SECS - 1,
                    }],
                },
            );
            Ok::<_, ConfigError>(())
        })
        .unwrap();
        assert_eq!(
            reserve(&c, "user@contoso.com", false).unwrap_err().kind(),
            "lockout_risk"
        );
    }
}
