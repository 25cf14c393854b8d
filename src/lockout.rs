//! The lockout guard: one ledger of logins per Autotask username, kept in
//! the config file and shared by the window, every CLI command and every
//! profile that uses that username. Autotask locks an API user after
//! repeated failed logins, which stops every integration using it.
//!
//! An attempt is reserved, under the config file's lock, *before* the
//! request that carries the secret goes out, and settled after it; so two
//! windows, a double click or a script running beside the window cannot
//! both pass the guard on the same count. At most one attempt per username
//! is in flight; a third refused login within 15 minutes needs `force`.
//!
//! The ledger also remembers that a username has passed: only an API user
//! can sign in to the REST API, so that one is a fact, not a guess.
//!
//! The file can be edited by hand, so nothing in it is trusted: a time in
//! the future counts as now, every sum saturates, and a record that cannot
//! be read refuses the attempt with a way out (`force` replaces it) rather
//! than crash or silently forget refusals.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::store::config::{
    self, Config, ConfigError, ConfigFile, LoginEntry, LoginRecord, PendingLogin, UNREADABLE_LOGINS,
};
use crate::vendors;

/// How long failed logins count towards the lockout guard.
pub(crate) const GUARD_WINDOW_SECS: u64 = 15 * 60;
/// Failed logins within the window after which another attempt needs `force`.
pub(crate) const GUARD_FAILURES: usize = 2;
/// How long an unsettled attempt counts as running when its record does
/// not say (written by versions before `until`).
const IN_FLIGHT_SECS: u64 = 90;
/// The most an attempt may claim to be running: a hand-edited `until` far
/// in the future must not block a username for ever.
const MAX_IN_FLIGHT_SECS: u64 = 60 * 60;

/// "1 more minute", "14 more minutes".
pub(crate) fn more_minutes(n: u64) -> String {
    if n == 1 {
        "1 more minute".into()
    } else {
        format!("{n} more minutes")
    }
}

/// What became of the secret in one check: Autotask's verdict, or why
/// there was none. Kept apart everywhere a result is shown or recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// Autotask accepted the credentials.
    Accepted,
    /// Autotask answered and refused them (counts towards its lockout).
    Refused,
    /// The secret went out but no verdict came back (a time-out after
    /// sending, the request limit, a server error).
    NoVerdict,
    /// Nothing carrying the secret was sent, by design (a vendor-bound
    /// API user's check).
    NotSent,
    /// The check stopped before the secret could be sent (network, zone).
    FailedBeforeSending,
}

impl SignIn {
    /// The stable identifier (README: `sign_in`).
    pub fn code(self) -> &'static str {
        match self {
            SignIn::Accepted => "accepted",
            SignIn::Refused => "refused",
            SignIn::NoVerdict => "no_verdict",
            SignIn::NotSent => "not_sent",
            SignIn::FailedBeforeSending => "failed_before_sending",
        }
    }

    /// Whether the secret left this computer.
    pub fn was_sent(self) -> bool {
        matches!(self, SignIn::Accepted | SignIn::Refused | SignIn::NoVerdict)
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
    #[error(
        "The lockout guard's record of this username in {path} cannot be read ({detail}), so it \
         is not known how many logins Autotask refused recently. Make sure the API user is not \
         locked in Autotask, then test once anyway: that replaces the record."
    )]
    Unreadable { path: String, detail: String },
    /// The guard's record could not be read or written.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl GuardError {
    pub fn kind(&self) -> &'static str {
        match self {
            GuardError::LockoutRisk { .. } => "lockout_risk",
            GuardError::LoginInProgress => "login_in_progress",
            GuardError::Unreadable { .. } => "guard_record_unreadable",
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

    /// Whether answering "try anyway" (`force`) gets past it.
    pub fn can_be_forced(&self) -> bool {
        matches!(
            self,
            GuardError::LockoutRisk { .. } | GuardError::Unreadable { .. }
        )
    }
}

/// Where the guard keeps its ledger: the config file, shared by every
/// window and command on this computer; or memory, for the demo tenant
/// (whose refusals are nobody's real logins) and benchmarks.
#[derive(Clone, Debug)]
pub enum Ledger {
    File(Config),
    Memory(Arc<Mutex<ConfigFile>>),
}

impl Ledger {
    pub fn file(config: Config) -> Ledger {
        Ledger::File(config)
    }

    pub fn in_memory() -> Ledger {
        Ledger::Memory(Arc::new(Mutex::new(ConfigFile::empty())))
    }

    fn path(&self) -> String {
        match self {
            Ledger::File(c) => c.path().display().to_string(),
            Ledger::Memory(_) => "memory".into(),
        }
    }

    /// The ledger as it is now. Blocking.
    pub(crate) fn read(&self) -> Result<ConfigFile, GuardError> {
        match self {
            Ledger::File(c) => Ok(c.load()?.0),
            Ledger::Memory(m) => Ok(m.lock().unwrap_or_else(|e| e.into_inner()).clone()),
        }
    }

    /// Changes the ledger atomically. Blocking.
    fn update<R>(
        &self,
        f: impl FnOnce(&mut ConfigFile) -> Result<R, GuardError>,
    ) -> Result<R, GuardError> {
        match self {
            Ledger::File(c) => Ok(c.update(f)?.0),
            Ledger::Memory(m) => {
                let mut file = m.lock().unwrap_or_else(|e| e.into_inner());
                let mut copy = file.clone();
                let r = f(&mut copy)?;
                *file = copy;
                Ok(r)
            }
        }
    }
}

/// The key of a username in the guard: Autotask's usernames ignore case.
fn key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// What the ledger knows about one username.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// A check on this computer has passed with it: it is an API user.
    pub passed: bool,
    /// Refused (and unsettled) logins still inside the window, oldest first
    /// (Unix seconds, never later than now).
    pub recent: Vec<u64>,
    /// Attempts running now.
    pub in_flight: usize,
    /// Why the record could not be read, if it could not.
    pub unreadable: Option<String>,
}

impl History {
    /// What the ledger in `file` says about `username` at `now`.
    pub(crate) fn of(file: &ConfigFile, username: &str, now: u64) -> History {
        let key = key(username);
        // Times come from a file anyone could edit: the future is now.
        let at = |t: u64| t.min(now);
        let fresh = |t: u64| now.saturating_sub(at(t)) < GUARD_WINDOW_SECS;
        let mut history = History::default();
        let entry = file
            .logins
            .get(&key)
            .or_else(|| file.logins.get(UNREADABLE_LOGINS));
        match entry {
            Some(LoginEntry::Record(r)) => {
                history.passed = r.passed.is_some();
                history.recent.extend(
                    r.refused
                        .iter()
                        .chain(r.pending.iter().map(|p| &p.at))
                        .map(|t| at(*t))
                        .filter(|t| fresh(*t)),
                );
                history.in_flight = r.pending.iter().filter(|p| running(p, now)).count();
            }
            Some(LoginEntry::Unreadable(v)) => {
                history.unreadable = Some(describe(v));
            }
            None => {}
        }
        for p in file
            .profiles
            .values()
            .filter(|p| key == self::key(&p.username))
        {
            // Refusals that versions before the per-username guard recorded.
            history
                .recent
                .extend(p.failed_logins.iter().map(|t| at(*t)).filter(|t| fresh(*t)));
            // A profile whose last check signed in: recorded by versions
            // before the ledger remembered passes, too.
            let bound = vendors::find(p.vendor.as_deref().unwrap_or(vendors::CUSTOM))
                .is_ok_and(|v| v.bound);
            history.passed |= p.last_check.as_ref().is_some_and(|c| {
                c.passed
                    && match c.sign_in {
                        Some(s) => s == config::SignInRecord::Accepted,
                        None => !bound,
                    }
            });
        }
        history.recent.sort_unstable();
        history
    }

    /// The refusal for these refusals at `now`, if there are enough.
    fn lockout_risk(&self, now: u64) -> Option<GuardError> {
        (self.recent.len() >= GUARD_FAILURES).then(|| {
            let oldest = self.recent.first().copied().unwrap_or(now);
            let wait = oldest
                .saturating_add(GUARD_WINDOW_SECS)
                .saturating_sub(now)
                .min(GUARD_WINDOW_SECS);
            GuardError::LockoutRisk {
                failures: self.recent.len(),
                wait_minutes: wait.div_ceil(60).max(1),
            }
        })
    }
}

/// Whether an unsettled attempt still counts as running at `now`. Older
/// ones are attempts whose outcome was lost (the process ended): still
/// counted as possible refusals, no longer as running.
fn running(p: &PendingLogin, now: u64) -> bool {
    let at = p.at.min(now);
    let until = p
        .until
        .unwrap_or(at.saturating_add(IN_FLIGHT_SECS))
        .min(at.saturating_add(MAX_IN_FLIGHT_SECS));
    now < until
}

/// A short, quotable account of an unreadable record (it holds no secret:
/// the file never does).
fn describe(v: &serde_json::Value) -> String {
    let text = v.to_string();
    let shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        format!("found {shown}…")
    } else {
        format!("found {shown}")
    }
}

/// What the ledger knows about `username` now. Blocking.
pub fn history(ledger: &Ledger, username: &str) -> Result<History, GuardError> {
    Ok(History::of(&ledger.read()?, username, config::unix_now()))
}

/// Refused logins of `username` in the window, as profile views show them.
pub(crate) fn recent_refusals(file: &ConfigFile, username: &str) -> usize {
    History::of(file, username, config::unix_now()).recent.len()
}

/// A reserved attempt: settle it with what became of the secret.
#[must_use = "an attempt that is never settled counts as a possible refusal for 15 minutes"]
#[derive(Debug)]
pub(crate) struct Attempt {
    ledger: Ledger,
    key: String,
    id: u64,
}

/// Reserves one login attempt for `username`, running for at most
/// `running_for`, or refuses it: while another is in flight, after two
/// refusals within 15 minutes, or when its record cannot be read; each
/// unless `force`. Blocking (takes the config file's lock).
pub(crate) fn reserve(
    ledger: &Ledger,
    username: &str,
    force: bool,
    running_for: Duration,
) -> Result<Attempt, GuardError> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = (u64::from(std::process::id()) << 32)
        | COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let key = key(username);
    let path = ledger.path();
    ledger.update(|file| {
        let now = config::unix_now();
        let history = History::of(file, username, now);
        if !force {
            if history.in_flight > 0 {
                return Err(GuardError::LoginInProgress);
            }
            if let Some(detail) = history.unreadable {
                return Err(GuardError::Unreadable { path, detail });
            }
            if let Some(risk) = history.lockout_risk(now) {
                return Err(risk);
            }
        }
        let record = record_of(file, &key);
        prune(record, now);
        record.pending.push(PendingLogin {
            id,
            at: now,
            until: Some(now.saturating_add(running_for.as_secs().min(MAX_IN_FLIGHT_SECS))),
        });
        Ok(())
    })?;
    Ok(Attempt {
        ledger: ledger.clone(),
        key,
        id,
    })
}

/// Records a refusal Autotask gave outside a reserved attempt: a request
/// of a gateway whose credentials the door let out when it opened, refused
/// later (the secret was rotated or the user locked meanwhile). It counts
/// as every refusal does. Blocking.
#[cfg_attr(not(feature = "gateway"), allow(dead_code))] // the gateway's (a CLI feature)
pub(crate) fn record_refusal(ledger: &Ledger, username: &str) -> Result<(), GuardError> {
    let key = key(username);
    ledger.update(|file| {
        let now = config::unix_now();
        let record = record_of(file, &key);
        record.refused.push(now);
        prune(record, now);
        Ok(())
    })
}

/// The username's record, made readable: an unreadable one (only reached
/// with `force`) is replaced, keeping nothing it cannot read.
fn record_of<'a>(file: &'a mut ConfigFile, key: &str) -> &'a mut LoginRecord {
    file.logins.remove(UNREADABLE_LOGINS);
    let entry = file
        .logins
        .entry(key.to_string())
        .or_insert_with(|| LoginEntry::Record(LoginRecord::default()));
    if matches!(entry, LoginEntry::Unreadable(_)) {
        *entry = LoginEntry::Record(LoginRecord::default());
    }
    match entry {
        LoginEntry::Record(r) => r,
        LoginEntry::Unreadable(_) => unreachable!("replaced above"),
    }
}

fn prune(record: &mut LoginRecord, now: u64) {
    let fresh = |t: u64| now.saturating_sub(t.min(now)) < GUARD_WINDOW_SECS;
    record.refused.retain(|t| fresh(*t));
    record.refused.iter_mut().for_each(|t| *t = (*t).min(now));
    record.pending.retain(|p| fresh(p.at));
}

impl Attempt {
    /// Records what became of the secret: a refusal counts; an accepted
    /// login clears the username's refusals and remembers that it passed;
    /// anything else only ends the attempt. Blocking.
    pub(crate) fn settle(self, sign_in: SignIn) -> Result<(), GuardError> {
        self.ledger.update(|file| {
            let now = config::unix_now();
            if sign_in == SignIn::Accepted {
                for p in file.profiles.values_mut() {
                    if key(&p.username) == self.key {
                        p.failed_logins.clear();
                    }
                }
            }
            let record = record_of(file, &self.key);
            record.pending.retain(|p| p.id != self.id);
            match sign_in {
                SignIn::Accepted => {
                    record.refused.clear();
                    record.passed = Some(now);
                }
                SignIn::Refused => record.refused.push(now),
                SignIn::NoVerdict | SignIn::NotSent | SignIn::FailedBeforeSending => {}
            }
            prune(record, now);
            if record == &LoginRecord::default() {
                file.logins.remove(&self.key);
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger() -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::at(dir.path().to_path_buf());
        (dir, Ledger::file(c))
    }

    const RUNNING: Duration = Duration::from_secs(60);

    #[test]
    fn a_gateways_later_refusal_counts_like_any_other() {
        let (_d, l) = ledger();
        reserve(&l, "u@c.com", false, RUNNING)
            .unwrap()
            .settle(SignIn::Accepted)
            .unwrap();
        record_refusal(&l, "U@c.com").unwrap();
        let h = history(&l, "u@c.com").unwrap();
        assert_eq!((h.passed, h.recent.len(), h.in_flight), (true, 1, 0));
        record_refusal(&l, "u@c.com").unwrap();
        let e = reserve(&l, "u@c.com", false, RUNNING).unwrap_err();
        assert_eq!(e.kind(), "lockout_risk");
    }

    #[test]
    fn a_third_refusal_needs_force_and_a_pass_clears_the_username() {
        let (_d, l) = ledger();
        for _ in 0..2 {
            reserve(&l, "User@Contoso.com", false, RUNNING)
                .unwrap()
                .settle(SignIn::Refused)
                .unwrap();
        }
        // Per username, whatever its case, whichever face asks.
        let e = reserve(&l, "user@contoso.com ", false, RUNNING).unwrap_err();
        assert_eq!(e.kind(), "lockout_risk");
        assert!(
            e.to_string().contains("refused these credentials 2 times"),
            "{e}"
        );
        assert!(
            reserve(&l, "other@contoso.com", false, RUNNING)
                .is_ok_and(|a| a.settle(SignIn::Refused).is_ok())
        );
        assert!(!history(&l, "user@contoso.com").unwrap().passed);
        let forced = reserve(&l, "user@contoso.com", true, RUNNING).unwrap();
        forced.settle(SignIn::Accepted).unwrap();
        let (file, _) = match &l {
            Ledger::File(c) => c.load().unwrap(),
            Ledger::Memory(_) => unreachable!(),
        };
        assert_eq!(recent_refusals(&file, "USER@contoso.com"), 0);
        assert_eq!(recent_refusals(&file, "other@contoso.com"), 1);
        // It passed: an API user, remembered.
        assert!(history(&l, "USER@contoso.com").unwrap().passed);
    }

    #[test]
    fn an_attempt_is_reserved_before_it_is_sent_so_a_second_one_waits() {
        let (_d, l) = ledger();
        let first = reserve(&l, "user@contoso.com", false, RUNNING).unwrap();
        let e = reserve(&l, "user@contoso.com", false, RUNNING).unwrap_err();
        assert_eq!(e.kind(), "login_in_progress");
        // A check that never sent the secret leaves no mark.
        first.settle(SignIn::FailedBeforeSending).unwrap();
        assert!(l.read().unwrap().logins.is_empty());
        reserve(&l, "user@contoso.com", false, RUNNING)
            .unwrap()
            .settle(SignIn::Refused)
            .unwrap();
    }

    fn put(l: &Ledger, key: &str, entry: LoginEntry) {
        l.update(|file| {
            file.logins.insert(key.into(), entry);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn an_attempt_whose_outcome_was_lost_still_counts() {
        let (_d, l) = ledger();
        let now = config::unix_now();
        put(
            &l,
            "user@contoso.com",
            LoginEntry::Record(LoginRecord {
                refused: vec![now - 60],
                pending: vec![PendingLogin {
                    id: 7,
                    at: now - IN_FLIGHT_SECS - 1,
                    until: None,
                }],
                passed: None,
            }),
        );
        assert_eq!(
            reserve(&l, "user@contoso.com", false, RUNNING)
                .unwrap_err()
                .kind(),
            "lockout_risk"
        );
    }

    #[test]
    fn the_in_flight_window_follows_the_checks_own_time_limit() {
        let (_d, l) = ledger();
        let now = config::unix_now();
        // A check with a 10-minute limit started 5 minutes ago is running.
        put(
            &l,
            "user@contoso.com",
            LoginEntry::Record(LoginRecord {
                pending: vec![PendingLogin {
                    id: 7,
                    at: now - 300,
                    until: Some(now + 300),
                }],
                ..LoginRecord::default()
            }),
        );
        assert_eq!(
            reserve(&l, "user@contoso.com", false, RUNNING)
                .unwrap_err()
                .kind(),
            "login_in_progress"
        );
        // The attempt records its own limit.
        let (_d, l) = ledger();
        let a = reserve(&l, "u@contoso.com", false, Duration::from_secs(700)).unwrap();
        let file = l.read().unwrap();
        let Some(LoginEntry::Record(r)) = file.logins.get("u@contoso.com") else {
            panic!("no record")
        };
        let p = &r.pending[0];
        assert!((699..=701).contains(&(p.until.unwrap() - p.at)), "{p:?}");
        a.settle(SignIn::NoVerdict).unwrap();
    }

    #[test]
    fn times_from_the_future_count_as_now_and_nothing_overflows() {
        let (_d, l) = ledger();
        let now = config::unix_now();
        put(
            &l,
            "user@contoso.com",
            LoginEntry::Record(LoginRecord {
                refused: vec![u64::MAX, now + 315_360_000],
                pending: vec![PendingLogin {
                    id: 1,
                    at: u64::MAX,
                    until: Some(u64::MAX),
                }],
                passed: None,
            }),
        );
        // Counted as refused just now: at most 15 minutes, never 5256015.
        let e = reserve(&l, "user@contoso.com", false, RUNNING).unwrap_err();
        let h = history(&l, "user@contoso.com").unwrap();
        assert!(h.recent.iter().all(|t| *t <= config::unix_now()), "{h:?}");
        // The far-future `until` is capped: running for at most an hour.
        assert_eq!(e.kind(), "login_in_progress");
        let GuardError::LockoutRisk { wait_minutes, .. } = h.lockout_risk(now).unwrap() else {
            panic!("no risk")
        };
        assert!(wait_minutes <= 15, "{wait_minutes}");
        // Profiles from earlier versions, too.
        let (_d, l) = ledger();
        l.update(|file| {
            let mut p: config::ProfileRecord = serde_json::from_value(serde_json::json!({
                "username": "u@contoso.com", "integration_code": "X",
                "created_at": "", "updated_at": "", "failed_logins": [u64::MAX, u64::MAX]
            }))
            .unwrap();
            p.failed_logins.push(u64::MAX);
            file.profiles.insert("A".into(), p);
            Ok(())
        })
        .unwrap();
        let e = reserve(&l, "u@contoso.com", false, RUNNING).unwrap_err();
        assert!(e.to_string().contains("for 15 more minutes"), "{e}");
    }

    #[test]
    fn an_unreadable_record_refuses_with_a_way_out_and_force_replaces_it() {
        let (dir, l) = ledger();
        let Ledger::File(c) = &l else { unreachable!() };
        std::fs::write(
            c.path(),
            r#"{"format": 1, "profiles": {}, "logins": {"user@contoso.com": {"refused": "yesterday"}, "other@contoso.com": {"refused": [1]}}}"#,
        )
        .unwrap();
        let e = reserve(&l, "user@contoso.com", false, RUNNING).unwrap_err();
        assert_eq!(e.kind(), "guard_record_unreadable");
        assert!(e.can_be_forced());
        assert!(e.to_string().contains("\"refused\":\"yesterday\""), "{e}");
        assert!(e.to_string().contains("test once anyway"), "{e}");
        // Other usernames are unaffected; the file was not set aside.
        reserve(&l, "other@contoso.com", false, RUNNING)
            .unwrap()
            .settle(SignIn::NotSent)
            .unwrap();
        let aside = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("unreadable")
            })
            .count();
        assert_eq!(aside, 0);
        reserve(&l, "user@contoso.com", true, RUNNING)
            .unwrap()
            .settle(SignIn::Refused)
            .unwrap();
        assert_eq!(history(&l, "user@contoso.com").unwrap().recent.len(), 1);

        // `logins` that is not an object at all: every username is unknown.
        std::fs::write(
            c.path(),
            r#"{"format": 1, "profiles": {}, "logins": "cleared by hand"}"#,
        )
        .unwrap();
        let e = reserve(&l, "any@contoso.com", false, RUNNING).unwrap_err();
        assert_eq!(e.kind(), "guard_record_unreadable");
        reserve(&l, "any@contoso.com", true, RUNNING)
            .unwrap()
            .settle(SignIn::Accepted)
            .unwrap();
        assert!(
            history(&l, "other@contoso.com")
                .unwrap()
                .unreadable
                .is_none()
        );
    }

    #[test]
    fn the_memory_ledger_is_its_own() {
        let l = Ledger::in_memory();
        reserve(&l, "user@contoso.com", false, RUNNING)
            .unwrap()
            .settle(SignIn::Accepted)
            .unwrap();
        assert!(history(&l, "user@contoso.com").unwrap().passed);
        assert!(
            !history(&Ledger::in_memory(), "user@contoso.com")
                .unwrap()
                .passed
        );
    }
}
