//! Profiles: a name the technician chooses for one tenant's API user —
//! username, integration code, zone and what the last check found — with
//! the secret in the operating system's credential store.
//!
//! Autotask shows a secret once, so no operation may lose one. Orders that
//! guarantee it:
//! - save: the secret is stored before the profile is recorded;
//! - rename: the secret is copied to the new name, the profile moved, and
//!   only then the old item deleted;
//! - rotate: the new secret is checked first and replaces the old one only
//!   if the check passes;
//! - delete: the profile is marked first, the secret deleted, the record
//!   removed last; a delete that stops half-way is listed and repairable.
//!
//! Store and config calls block; the async operations run them with
//! `spawn_blocking`.

use std::sync::Arc;

use crate::check::{
    self, Blame, Consent, Door, Entity, InputError, Plan, Question, Refusal, Report, Request,
    SignIn, StepId, Tenant,
};
use crate::credentials::{Credentials, Secret};
use crate::lockout::{self, GuardError, Ledger};
use crate::store::config::{
    self, BlameRecord, CheckRecord, Config, ConfigError, ConfigFile, Notice, ProfileRecord,
    SignInRecord, StepRecord, TenantRecord,
};
use crate::store::keyring::{Keyring, StoreError, fold_name};
use crate::transport::Transport;
use crate::vendors::{self, Vendor};
use crate::zone;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("\"{name}\" cannot be a profile name: {reason}")]
    InvalidName { name: String, reason: &'static str },
    #[error(
        "There is no profile named \"{0}\". `autotask-connect profile list` shows the saved ones."
    )]
    NotFound(String),
    #[error(
        "A profile named \"{0}\" already exists (names that differ only in upper and lower case \
         are one name: Windows keeps them in one Credential Manager item). Choose another name, \
         or change its secret with `autotask-connect profile rotate`."
    )]
    Exists(String),
    #[error(
        "Profile \"{0}\" has no secret in the credential store (it may have been removed by another \
         program). Store one with `autotask-connect profile rotate \"{0}\"`."
    )]
    NoSecret(String),
    #[error(
        "The check did not pass, so nothing was saved. Fix what the check reports, or save without --check."
    )]
    CheckFailed,
    /// The lockout guard refused the attempt.
    #[error(transparent)]
    Guard(GuardError),
    /// The door asks first: nothing was sent.
    #[error("{0} {how}", how = .0.how_to_tell())]
    Question(Question),
    /// The saved profile's fields cannot make a check.
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Config(#[from] ConfigError),
}

impl ProfileError {
    pub fn kind(&self) -> &'static str {
        match self {
            ProfileError::InvalidName { .. } => "invalid_profile_name",
            ProfileError::NotFound(_) => "profile_not_found",
            ProfileError::Exists(_) => "profile_exists",
            ProfileError::NoSecret(_) => "profile_without_secret",
            ProfileError::CheckFailed => "check_failed",
            ProfileError::Guard(g) => g.kind(),
            ProfileError::Question(q) => q.kind(),
            ProfileError::Input(i) => i.kind(),
            ProfileError::Store(e) => e.kind(),
            ProfileError::Config(c) => c.kind(),
        }
    }

    /// 2 when the caller can fix the invocation, 1 when something failed.
    pub fn exit_status(&self) -> i32 {
        match self {
            ProfileError::InvalidName { .. }
            | ProfileError::NotFound(_)
            | ProfileError::Exists(_)
            | ProfileError::Question(_)
            | ProfileError::Input(_) => 2,
            ProfileError::Guard(g) => g.exit_status(),
            _ => 1,
        }
    }
}

impl From<GuardError> for ProfileError {
    fn from(e: GuardError) -> ProfileError {
        match e {
            GuardError::Config(c) => ProfileError::Config(c),
            g => ProfileError::Guard(g),
        }
    }
}

impl From<Refusal> for ProfileError {
    fn from(e: Refusal) -> ProfileError {
        match e {
            Refusal::Question(q) => ProfileError::Question(q),
            Refusal::Guard(g) => g.into(),
            Refusal::Input(i) => ProfileError::Input(i),
        }
    }
}

/// A profile name: the credential store's account name, so kept simple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileName(String);

impl ProfileName {
    pub fn parse(raw: &str) -> Result<ProfileName, ProfileError> {
        let name = raw.trim();
        let unsafe_char = |c: char| c.is_control() || zone::is_invisible(c);
        // The name is quoted back: without what could hide or reorder text.
        let bad = |reason| ProfileError::InvalidName {
            name: raw
                .chars()
                .take(80)
                .map(|c| if unsafe_char(c) { '\u{FFFD}' } else { c })
                .collect(),
            reason,
        };
        if name.is_empty() {
            return Err(bad("it is empty"));
        }
        if name.chars().count() > 64 {
            return Err(bad("it is longer than 64 characters"));
        }
        if name.chars().any(|c| c.is_control()) {
            return Err(bad("it contains a control character"));
        }
        if name.chars().any(zone::is_invisible) {
            return Err(bad(
                "it contains an invisible or text-direction character (often pasted by accident)",
            ));
        }
        if name.starts_with('.') {
            return Err(bad("it starts with a dot"));
        }
        Ok(ProfileName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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

fn check_record(report: &Report) -> CheckRecord {
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

/// Whether a rotation's new secret replaces the stored one: after a pass,
/// and whenever Autotask accepted it (a new secret generated in Autotask
/// has already stopped the old one; keeping that would be the worse choice
/// even when another step, such as permissions, failed).
pub fn rotation_replaces(report: &Report) -> bool {
    report.passed || report.sign_in == SignIn::Accepted
}

/// A rotation's outcome: whether the new secret replaced the stored one,
/// and what became of it.
#[derive(Clone, Debug)]
pub struct Rotation {
    pub name: String,
    pub vendor: &'static Vendor,
    pub report: Report,
    pub replaced: bool,
}

impl Rotation {
    /// One sentence for both faces: replaced or kept, and why, keeping
    /// "refused" apart from "never sent".
    pub fn outcome(&self) -> String {
        let name = &self.name;
        match (self.replaced, self.report.sign_in) {
            (true, SignIn::NotSent) => format!(
                "The new secret replaced the one stored for \u{201c}{name}\u{201d}. It was not \
                 tested here: only {vendor} can sign in as this API user, and its own test \
                 verifies it.",
                vendor = self.vendor.name
            ),
            (true, _) if self.report.passed => format!(
                "The new secret works and replaced the one stored for \u{201c}{name}\u{201d}."
            ),
            (true, _) => format!(
                "Autotask accepted the new secret, and it replaced the one stored for \
                 \u{201c}{name}\u{201d}; the check found other problems (see above)."
            ),
            (false, SignIn::Refused) => format!(
                "Autotask refused the new secret; the one stored for \u{201c}{name}\u{201d} was \
                 kept. If you generated this secret in Autotask just now, the stored one no \
                 longer works either: paste the new one again exactly."
            ),
            (false, SignIn::NoVerdict) => format!(
                "The new secret was sent, but no answer said whether Autotask accepts it; the one \
                 stored for \u{201c}{name}\u{201d} was kept. Test again when the problem above \
                 is gone."
            ),
            (false, _) => format!(
                "The new secret was not sent: the check stopped before it (see above). Nothing \
                 changed; the one stored for \u{201c}{name}\u{201d} was kept."
            ),
        }
    }
}

/// Whether a passing check vouches for the secret the store holds: the
/// last check describes it (rotate replaces it only after a pass), and that
/// check signed in with it.
fn vouches_for_stored_secret(record: &ProfileRecord) -> bool {
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

/// The credential store for profiles, and the config file.
#[derive(Clone, Debug)]
pub struct Profiles {
    config: Config,
    keyring: Result<Keyring, StoreError>,
}

impl Profiles {
    pub fn new(config: Config, keyring: Result<Keyring, StoreError>) -> Profiles {
        Profiles { config, keyring }
    }

    /// The configured location and the native store. Blocking.
    pub fn open() -> Result<Profiles, ProfileError> {
        Ok(Profiles::new(Config::locate()?, Keyring::native()))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn keyring(&self) -> Result<&Keyring, ProfileError> {
        self.keyring
            .as_ref()
            .map_err(|e| ProfileError::Store(e.clone()))
    }

    fn view(&self, file: &ConfigFile, name: &str, r: &ProfileRecord) -> ProfileView {
        let has_secret = self.keyring.as_ref().ok().and_then(|k| k.has(name).ok());
        let problem = if r.deleting {
            Some(format!(
                "A delete of this profile did not finish. Run `autotask-connect profile delete \"{name}\"` again."
            ))
        } else if has_secret == Some(false) {
            Some("The credential store has no secret for this profile.".to_string())
        } else {
            None
        };
        ProfileView {
            name: name.to_string(),
            vendor: r
                .vendor
                .clone()
                .unwrap_or_else(|| vendors::CUSTOM.to_string()),
            username: r.username.clone(),
            integration_code: r.integration_code.clone(),
            // Records written before zones were stored canonically may hold a
            // pasted URL's path or query: show only the zone.
            zone_input: r.zone_input.as_deref().and_then(zone::canonical),
            tenant: r.tenant.as_ref().map(Tenant::from),
            last_check: r.last_check.as_ref().map(LastCheck::from),
            entities: r.entities.clone(),
            created_at: r.created_at.clone(),
            updated_at: r.updated_at.clone(),
            has_secret,
            recent_failed_logins: lockout::recent_refusals(file, &r.username),
            problem,
        }
    }

    /// Finds a profile by name, ignoring case as Credential Manager does
    /// (Unicode, not only ASCII): names are unique that way on every system,
    /// so two profiles can never share one Windows item.
    fn find<'a>(
        file: &'a config::ConfigFile,
        name: &str,
    ) -> Option<(&'a String, &'a ProfileRecord)> {
        file.profiles
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .or_else(|| {
                let folded = fold_name(name);
                file.profiles.iter().find(|(k, _)| fold_name(k) == folded)
            })
    }

    pub fn list(&self) -> Result<Listing, ProfileError> {
        let (file, notice) = self.config.load()?;
        Ok(Listing {
            profiles: file
                .profiles
                .iter()
                .map(|(n, r)| self.view(&file, n, r))
                .collect(),
            config_path: self.config.path().display().to_string(),
            store_problem: self.keyring.as_ref().err().cloned(),
            notice,
        })
    }

    pub fn show(&self, name: &str) -> Result<ProfileView, ProfileError> {
        let (file, _) = self.config.load()?;
        let (n, r) = Self::find(&file, name).ok_or_else(|| ProfileError::NotFound(name.into()))?;
        Ok(self.view(&file, n, r))
    }

    /// Saves a profile: the secret into the store, then the record. With a
    /// report, only a passing one is accepted, and its findings are kept.
    pub fn save(
        &self,
        draft: &NewProfile,
        report: Option<&Report>,
        replace: bool,
    ) -> Result<ProfileView, ProfileError> {
        self.save_vendor(
            &VendorProfile {
                name: draft.name.clone(),
                vendor: vendors::custom(),
                username: draft.credentials.username.as_str().to_string(),
                secret: Arc::clone(&draft.credentials.secret),
                integration_code: Some(draft.credentials.integration_code.as_str().to_string()),
                zone_input: draft.zone_input.clone(),
                entities: vec![],
            },
            report,
            replace,
        )
    }

    /// Saves a profile for a vendor (see [`Profiles::save`]); the vendor is
    /// recorded unless it is `custom`, so such files read as before.
    pub fn save_vendor(
        &self,
        draft: &VendorProfile,
        report: Option<&Report>,
        replace: bool,
    ) -> Result<ProfileView, ProfileError> {
        if report.is_some_and(|r| !r.passed) {
            return Err(ProfileError::CheckFailed);
        }
        let keyring = self.keyring()?;
        let name = draft.name.as_str();
        let ((), _) = self.config.update(|file| {
            let existing = Self::find(file, name).map(|(k, r)| (k.clone(), r.clone()));
            if let Some((key, _)) = &existing
                && (!replace || key != name)
            {
                return Err(ProfileError::Exists(key.clone()));
            }
            keyring.set(name, &draft.secret)?;
            let now = config::now();
            let record = ProfileRecord {
                vendor: (draft.vendor.id != vendors::CUSTOM).then(|| draft.vendor.id.clone()),
                username: draft.username.clone(),
                integration_code: draft.integration_code.clone().unwrap_or_default(),
                zone_input: draft.zone_input.clone(),
                tenant: report
                    .and_then(|r| r.tenant.as_ref())
                    .map(TenantRecord::from),
                last_check: report.map(check_record),
                created_at: existing
                    .map(|(_, r)| r.created_at)
                    .unwrap_or_else(|| now.clone()),
                updated_at: now,
                failed_logins: vec![],
                entities: draft.entities.clone(),
                deleting: false,
            };
            file.profiles.insert(name.to_string(), record);
            Ok(())
        })?;
        self.show(name)
    }

    /// Renames a profile and its secret. If the old item cannot be removed
    /// afterwards, the rename still stands and the leftover is reported.
    pub fn rename(
        &self,
        old: &str,
        new: &ProfileName,
    ) -> Result<(ProfileView, Option<StoreError>), ProfileError> {
        let keyring = self.keyring()?;
        let (leftover, _) = self.config.update(|file| {
            let (old_key, record) = Self::find(file, old)
                .map(|(k, r)| (k.clone(), r.clone()))
                .ok_or_else(|| ProfileError::NotFound(old.into()))?;
            if let Some((k, _)) = Self::find(file, new.as_str())
                && *k != old_key
            {
                return Err(ProfileError::Exists(k.clone()));
            }
            if let Some(secret) = keyring.get(&old_key)? {
                keyring.set(new.as_str(), &secret)?;
            }
            file.profiles.remove(&old_key);
            file.profiles.insert(
                new.as_str().to_string(),
                ProfileRecord {
                    updated_at: config::now(),
                    ..record
                },
            );
            Ok::<_, ProfileError>(old_key)
        })?;
        // Where the store ignores case (Credential Manager), "Contoso" and
        // "contoso" are one item: deleting the old name would delete the secret.
        let leftover = if keyring.same_item(&leftover, new.as_str()) {
            None
        } else {
            keyring.delete(&leftover).err()
        };
        Ok((self.show(new.as_str())?, leftover))
    }

    /// Deletes both halves. Works on half-deleted profiles and on a secret
    /// whose record is gone.
    pub fn delete(&self, name: &str) -> Result<Deleted, ProfileError> {
        let keyring = self.keyring()?;
        // Mark first: if the store fails, the profile stays listed as such.
        let (key, _) = self.config.update(|file| {
            let key = Self::find(file, name).map(|(k, _)| k.clone());
            if let Some(k) = &key {
                file.profiles.get_mut(k).expect("found").deleting = true;
            }
            Ok::<_, ProfileError>(key)
        })?;
        let account = key.clone().unwrap_or_else(|| name.to_string());
        let removed_secret = keyring.delete(&account)?;
        let (removed_profile, _) = self
            .config
            .update(|file| Ok::<_, ProfileError>(file.profiles.remove(&account).is_some()))?;
        if !removed_profile && !removed_secret {
            return Err(ProfileError::NotFound(name.into()));
        }
        Ok(Deleted {
            name: account,
            removed_profile,
            removed_secret,
        })
    }

    /// The record and the stored secret of a profile. Blocking.
    pub fn load(&self, name: &str) -> Result<(String, ProfileRecord, Secret), ProfileError> {
        let (file, _) = self.config.load()?;
        let (key, record) = Self::find(&file, name)
            .map(|(k, r)| (k.clone(), r.clone()))
            .ok_or_else(|| ProfileError::NotFound(name.into()))?;
        let secret = self
            .keyring()?
            .get(&key)?
            .ok_or_else(|| ProfileError::NoSecret(key.clone()))?;
        Ok((key, record, secret))
    }

    /// Records a check's outcome on the profile (if it still exists); with
    /// `new_secret`, stores it first — only ever after a passing check.
    fn record(
        &self,
        key: &str,
        report: &Report,
        new_secret: Option<&Secret>,
    ) -> Result<(), ProfileError> {
        let keyring = self.keyring()?;
        self.config.update(|file| {
            let Some(record) = file.profiles.get_mut(key) else {
                return Ok(());
            };
            let replaces = rotation_replaces(report);
            if let Some(secret) = new_secret.filter(|_| replaces) {
                keyring.set(key, secret)?;
                record.updated_at = config::now();
            }
            // The last check describes the stored secret: a failed rotation
            // attempt does not replace it.
            if new_secret.is_none() || replaces {
                record.last_check = Some(check_record(report));
                if report.passed {
                    record.tenant = report.tenant.as_ref().map(TenantRecord::from);
                }
            }
            Ok::<_, ProfileError>(())
        })?;
        Ok(())
    }

    /// The check of a saved profile: the same [`Request`] as every face's.
    fn check_plan(
        record: &ProfileRecord,
        secret: impl Into<Arc<Secret>>,
        entities: Vec<Entity>,
    ) -> Result<Plan, InputError> {
        let vendor = vendors::find(record.vendor.as_deref().unwrap_or(vendors::CUSTOM))?;
        // None asked for: what the integration needs, as saved with it.
        let entities = if entities.is_empty() {
            Entity::for_vendor(vendor, &record.entities)?
        } else {
            entities
        };
        Request::parse(
            vendor,
            record.zone_input.as_deref().unwrap_or(""),
            &record.username,
            &record.integration_code,
        )?
        .plan(secret.into(), entities)
    }

    /// The lockout ledger these profiles share with every face.
    pub fn ledger(&self) -> Ledger {
        Ledger::file(self.config.clone())
    }

    /// Checks a saved profile with its stored secret and records the outcome.
    pub async fn check(
        &self,
        transport: &Transport,
        name: &str,
        entities: Vec<Entity>,
        consent: Consent,
        observe: check::Observer<'_>,
    ) -> Result<Report, ProfileError> {
        let this = self.clone();
        let name_owned = name.to_string();
        let (key, record, secret) = blocking(move || this.load(&name_owned)).await?;
        let plan = Profiles::check_plan(&record, secret, entities)?;
        let report = Door::new(&self.ledger(), transport)
            .consent(consent)
            .vouched(vouches_for_stored_secret(&record))
            .check(&plan, observe)
            .await?;
        let this = self.clone();
        let recorded = report.clone();
        blocking(move || this.record(&key, &recorded, None)).await?;
        Ok(report)
    }

    /// The webhook doctor for a saved profile, with its stored secret,
    /// through the door. A vendor-bound profile is refused (only its
    /// vendor can read its webhooks); nothing is recorded on the profile.
    pub async fn webhooks(
        &self,
        transport: &Transport,
        name: &str,
        consent: Consent,
    ) -> Result<crate::check::WebhookReport, ProfileError> {
        let this = self.clone();
        let name_owned = name.to_string();
        let (_, record, secret) = blocking(move || this.load(&name_owned)).await?;
        let plan = Profiles::check_plan(&record, secret, vec![])?;
        Ok(Door::new(&self.ledger(), transport)
            .consent(consent)
            .vouched(vouches_for_stored_secret(&record))
            .webhooks(&plan)
            .await?)
    }

    /// Replaces a profile's secret after checking the new one; the old one
    /// stays unless the check passed or Autotask accepted the new one.
    pub async fn rotate(
        &self,
        transport: &Transport,
        name: &str,
        new_secret: impl Into<Arc<Secret>>,
        entities: Vec<Entity>,
        consent: Consent,
        observe: check::Observer<'_>,
    ) -> Result<Rotation, ProfileError> {
        let this = self.clone();
        let name_owned = name.to_string();
        let (key, record) = blocking(move || {
            let (file, _) = this.config.load()?;
            Self::find(&file, &name_owned)
                .map(|(k, r)| (k.clone(), r.clone()))
                .ok_or(ProfileError::NotFound(name_owned))
        })
        .await?;
        let plan = Profiles::check_plan(&record, new_secret, entities)?;
        let report = Door::new(&self.ledger(), transport)
            .consent(consent)
            .check(&plan, observe)
            .await?;
        let this = self.clone();
        let recorded = report.clone();
        let secret = Arc::clone(plan.secret());
        let name = key.clone();
        blocking(move || this.record(&key, &recorded, Some(&secret))).await?;
        Ok(Rotation {
            name,
            vendor: plan.vendor(),
            replaced: rotation_replaces(&report),
            report,
        })
    }
}

/// Runs a blocking store/config operation off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ProfileError> + Send + 'static,
) -> Result<T, ProfileError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Blame, Status, Step, StepId};

    fn profiles() -> (tempfile::TempDir, Profiles) {
        let dir = tempfile::tempdir().unwrap();
        let p = Profiles::new(
            Config::at(dir.path().to_path_buf()),
            Ok(Keyring::in_memory()),
        );
        (dir, p)
    }

    /// The secret the store holds for `name`.
    fn stored(p: &Profiles, name: &str) -> String {
        p.keyring()
            .unwrap()
            .get(name)
            .unwrap()
            .unwrap()
            .expose()
            .to_string()
    }

    fn draft(name: &str, secret: &str) -> NewProfile {
        NewProfile {
            name: ProfileName::parse(name).unwrap(),
            credentials: Credentials::parse(
                "k3jd8f0aq2mz7xw@contoso.com",
                Secret::new(secret.into()),
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
            )
            .unwrap()
            .0,
            zone_input: Some("ww5.autotask.net".into()),
        }
    }

    fn report(passed: bool, blame: Option<Blame>) -> Report {
        Report {
            passed,
            tenant: None,
            steps: vec![Step {
                id: StepId::Authentication,
                status: if passed {
                    Status::Passed
                } else {
                    Status::Failed
                },
                message: "m".into(),
                blame,
                fix: None,
                details: None,
                link: None,
                http: vec![],
            }],
            usage: None,
            entities: vec![],
            lints: vec![],
            sign_in: if passed {
                SignIn::Accepted
            } else {
                SignIn::Refused
            },
            retest_after_s: None,
            api_user: None,
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            ProfileName::parse("  Contoso – Halo ").unwrap().as_str(),
            "Contoso – Halo"
        );
        for bad in ["", "  ", ".hidden", "a\nb", &"x".repeat(65)] {
            assert!(ProfileName::parse(bad).is_err(), "{bad:?}");
        }
        // A right-to-left override would show "Contoso" for another name.
        let e = ProfileName::parse("Contoso\u{202E}cod.exe").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"Contoso\u{FFFD}cod.exe\" cannot be a profile name: it contains an invisible or \
             text-direction character (often pasted by accident)"
        );
        assert!(ProfileName::parse("Zero\u{200B}width").is_err());
    }

    #[test]
    fn save_show_list_never_expose_the_secret() {
        let (_d, p) = profiles();
        let view = p
            .save(&draft("Contoso", "Zq9-unique-secret-value-25"), None, false)
            .unwrap();
        assert_eq!(view.has_secret, Some(true));
        // Nothing a listing holds is the secret (its JSON is built from it in view).
        let shown = format!("{:?}", p.list().unwrap());
        assert!(!shown.contains("Zq9-unique"), "{shown}");
        let file = std::fs::read_to_string(p.config().path()).unwrap();
        assert!(!file.contains("Zq9-unique"), "{file}");
        assert_eq!(stored(&p, "Contoso"), "Zq9-unique-secret-value-25");
    }

    #[test]
    fn saving_over_a_name_needs_replace() {
        let (_d, p) = profiles();
        p.save(&draft("Contoso", "first-secret-value"), None, false)
            .unwrap();
        let e = p
            .save(&draft("contoso", "second-secret-value"), None, false)
            .unwrap_err();
        assert!(matches!(e, ProfileError::Exists(n) if n == "Contoso"));
        assert_eq!(stored(&p, "Contoso"), "first-secret-value");
        p.save(&draft("Contoso", "second-secret-value"), None, true)
            .unwrap();
        assert_eq!(stored(&p, "Contoso"), "second-secret-value");
    }

    #[test]
    fn a_failed_check_saves_nothing() {
        let (_d, p) = profiles();
        let e = p.save(
            &draft("A", "s3cret-value"),
            Some(&report(false, Some(Blame::Secret))),
            false,
        );
        assert!(matches!(e, Err(ProfileError::CheckFailed)));
        assert!(p.list().unwrap().profiles.is_empty());
        assert!(p.keyring().unwrap().get("A").unwrap().is_none());
    }

    /// Credential Manager folds case beyond ASCII: "Müller" and "MÜLLER"
    /// would be one Windows item, so they are one profile name everywhere,
    /// and the refusal names the profile that has it.
    #[test]
    fn names_that_would_share_a_windows_item_are_one_name() {
        let (_d, p) = profiles();
        p.save(&draft("Müller", "first-secret-value"), None, false)
            .unwrap();
        let e = p
            .save(&draft("MÜLLER", "second-secret-value"), None, false)
            .unwrap_err();
        assert!(
            matches!(&e, ProfileError::Exists(n) if n == "Müller"),
            "{e}"
        );
        assert!(e.to_string().contains("\"Müller\" already exists"), "{e}");
        // Replacing needs the same spelling: the other one is not replaced.
        assert!(matches!(
            p.save(&draft("MÜLLER", "second-secret-value"), None, true),
            Err(ProfileError::Exists(_))
        ));
        assert_eq!(stored(&p, "Müller"), "first-secret-value");
        assert_eq!(p.show("mÜller").unwrap().name, "Müller");
        p.save(&draft("Ärzte Zürich", "x-secret-value"), None, false)
            .unwrap();
        assert!(matches!(
            p.rename("Müller", &ProfileName::parse("ÄRZTE ZÜRICH").unwrap()),
            Err(ProfileError::Exists(n)) if n == "Ärzte Zürich"
        ));
        // "ß" has no one-character capital: Windows keeps it apart from "SS".
        p.save(&draft("Straße", "x-secret-value"), None, false)
            .unwrap();
        p.save(&draft("STRASSE", "x-secret-value"), None, false)
            .unwrap();
    }

    #[test]
    fn rename_moves_both_halves() {
        let (_d, p) = profiles();
        p.save(&draft("Old", "s3cret-value"), None, false).unwrap();
        let (view, leftover) = p
            .rename("old", &ProfileName::parse("New").unwrap())
            .unwrap();
        assert!(leftover.is_none());
        assert_eq!((view.name.as_str(), view.has_secret), ("New", Some(true)));
        assert!(p.keyring().unwrap().get("Old").unwrap().is_none());
        assert!(matches!(p.show("Old"), Err(ProfileError::NotFound(_))));
        p.save(&draft("Other", "x-secret-value"), None, false)
            .unwrap();
        assert!(matches!(
            p.rename("New", &ProfileName::parse("other").unwrap()),
            Err(ProfileError::Exists(_))
        ));
    }

    #[test]
    fn rename_by_case_only_keeps_the_secret_where_the_store_ignores_case() {
        // Credential Manager: "Contoso" and "contoso" are one item.
        let dir = tempfile::tempdir().unwrap();
        let p = Profiles::new(
            Config::at(dir.path().to_path_buf()),
            Ok(Keyring::in_memory_ignoring_case()),
        );
        p.save(&draft("Contoso", "s3cret-value"), None, false)
            .unwrap();
        let (view, leftover) = p
            .rename("Contoso", &ProfileName::parse("contoso").unwrap())
            .unwrap();
        assert!(leftover.is_none());
        assert_eq!(
            (view.name.as_str(), view.has_secret),
            ("contoso", Some(true))
        );
        assert_eq!(stored(&p, "contoso"), "s3cret-value");

        // The Secret Service and the keychain tell the two apart: the old
        // item goes, the new one holds the secret.
        let (_d, p) = profiles();
        p.save(&draft("Contoso", "s3cret-value"), None, false)
            .unwrap();
        p.rename("Contoso", &ProfileName::parse("contoso").unwrap())
            .unwrap();
        assert_eq!(stored(&p, "contoso"), "s3cret-value");
        assert!(p.keyring().unwrap().get("Contoso").unwrap().is_none());
    }

    #[test]
    fn delete_removes_both_halves_and_repairs_half_deleted() {
        let (_d, p) = profiles();
        p.save(&draft("A", "s3cret-value"), None, false).unwrap();
        let d = p.delete("a").unwrap();
        assert_eq!((d.removed_profile, d.removed_secret), (true, true));
        assert!(matches!(p.delete("A"), Err(ProfileError::NotFound(_))));

        // A profile whose secret vanished: listed with a problem, deletable.
        p.save(&draft("B", "s3cret-value"), None, false).unwrap();
        p.keyring().unwrap().delete("B").unwrap();
        let v = p.show("B").unwrap();
        assert_eq!(v.has_secret, Some(false));
        assert!(v.problem.is_some());
        let d = p.delete("B").unwrap();
        assert_eq!((d.removed_profile, d.removed_secret), (true, false));

        // A secret whose record vanished: deletable by name.
        p.keyring()
            .unwrap()
            .set("C", &Secret::new("orphan".into()))
            .unwrap();
        let d = p.delete("C").unwrap();
        assert_eq!((d.removed_profile, d.removed_secret), (false, true));
    }

    #[test]
    fn a_half_finished_delete_is_listed() {
        let (_d, p) = profiles();
        p.save(&draft("A", "s3cret-value"), None, false).unwrap();
        p.config
            .update(|f| {
                f.profiles.get_mut("A").unwrap().deleting = true;
                Ok::<_, ConfigError>(())
            })
            .unwrap();
        let v = p.show("A").unwrap();
        assert!(v.problem.unwrap().contains("did not finish"));
        p.delete("A").unwrap();
    }

    #[test]
    fn store_unavailable_is_an_error_not_a_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let p = Profiles::new(
            Config::at(dir.path().to_path_buf()),
            Err(StoreError::NoProvider { detail: "x".into() }),
        );
        let e = p
            .save(&draft("A", "s3cret-value"), None, false)
            .unwrap_err();
        assert_eq!(e.kind(), "store_no_provider");
        assert!(
            !p.config().path().exists(),
            "nothing written when the store is unavailable"
        );
        let listing = p.list().unwrap();
        assert!(listing.store_problem.is_some());
    }

    #[test]
    fn the_guard_is_per_username_and_survives_saving_and_earlier_records() {
        let (_d, p) = profiles();
        p.save(&draft("A", "s3cret-value"), None, false).unwrap();
        let username = "k3jd8f0aq2mz7xw@contoso.com";
        let running = std::time::Duration::from_secs(60);
        lockout::reserve(&p.ledger(), username, false, running)
            .unwrap()
            .settle(SignIn::Refused)
            .unwrap();
        // Saving (or replacing) a profile does not reset the count.
        p.save(&draft("A", "other-secret-value"), None, true)
            .unwrap();
        p.save(&draft("B", "other-secret-value"), None, false)
            .unwrap();
        assert_eq!(p.show("A").unwrap().recent_failed_logins, 1);
        assert_eq!(
            p.show("B").unwrap().recent_failed_logins,
            1,
            "same username"
        );
        // A refusal an earlier version recorded on the profile still counts.
        p.config()
            .update(|f| {
                f.profiles.get_mut("A").unwrap().failed_logins = vec![config::unix_now() - 30];
                Ok::<_, ConfigError>(())
            })
            .unwrap();
        let e = lockout::reserve(&p.ledger(), username, false, running).unwrap_err();
        assert!(matches!(e, GuardError::LockoutRisk { failures: 2, .. }));
        assert!(e.to_string().contains("2 times in the last 15 minutes"));
        // Old refusals stop counting.
        p.config()
            .update(|f| {
                f.profiles.get_mut("A").unwrap().failed_logins =
                    vec![config::unix_now() - lockout::GUARD_WINDOW_SECS - 1; 5];
                Ok::<_, ConfigError>(())
            })
            .unwrap();
        lockout::reserve(&p.ledger(), username, false, running)
            .unwrap()
            .settle(SignIn::Accepted)
            .unwrap();
        assert_eq!(p.show("A").unwrap().recent_failed_logins, 0);
    }

    /// Profiles written by every earlier version read as today's domain
    /// types: vendor, tenant, last check and the guard's counts.
    #[test]
    fn golden_files_read_as_the_domain_types() {
        let golden =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/profiles-format-1");
        let (dir, p) = profiles();
        std::fs::copy(golden.join("1-first-profiles.json"), p.config().path()).unwrap();
        let first = p.list().unwrap();
        assert!(first.notice.is_none());
        let names: Vec<&str> = first.profiles.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names.len(), 10, "{names:?}");
        let contoso = p.show("contoso").unwrap();
        assert_eq!(
            contoso.vendor, "custom",
            "before vendors: your own integration"
        );
        assert_eq!(
            contoso.zone_input.as_deref(),
            Some("https://ww5.autotask.net/"),
            "a pasted URL's path and query are not shown"
        );
        assert_eq!(
            contoso.tenant,
            Some(Tenant {
                zone_name: Some("Pre-release".into()),
                api_url: "https://webservices5.autotask.net/ATServicesRest/V1.0/".into(),
                web_url: "https://ww5.autotask.net/".into(),
                ci: Some(30595),
                company_name: Some("Contoso Ltd".into()),
            })
        );
        let fabrikam = p.show("Fabrikam").unwrap().last_check.unwrap();
        assert_eq!(
            (fabrikam.passed, fabrikam.failed_step, fabrikam.blame),
            (false, Some(StepId::Authentication), Some(Blame::Secret))
        );
        let moved = p.show("n-zone-moved").unwrap().last_check.unwrap();
        assert_eq!(
            (moved.failed_step, moved.blame),
            (Some(StepId::Zone), Some(Blame::Zone))
        );
        assert!(
            p.show("Half deleted")
                .unwrap()
                .problem
                .unwrap()
                .starts_with("A delete of this profile did not finish.")
        );

        std::fs::copy(golden.join("2-vendors.json"), p.config().path()).unwrap();
        let depot = p.show("Acme – Cloud Depot").unwrap();
        assert_eq!(
            (depot.vendor.as_str(), depot.integration_code.as_str()),
            ("cloud-depot", "")
        );
        assert!(depot.last_check.unwrap().passed);

        std::fs::copy(golden.join("3-lockout-guard.json"), p.config().path()).unwrap();
        let guarded = p.show("contoso").unwrap();
        assert_eq!(guarded.vendor, "support-fusion");
        assert_eq!(guarded.last_check.unwrap().blame, Some(Blame::Username));
        // Its refusals are long past: none counts now.
        assert_eq!(p.show("Fabrikam").unwrap().recent_failed_logins, 0);
        drop(dir);
    }

    /// A profiles file from a newer version: every operation refuses it with
    /// one clear error, and the file stays exactly as it was.
    #[test]
    fn a_newer_profiles_file_is_refused_by_every_operation() {
        let (dir, p) = profiles();
        let newer = b"{\"format\": 2, \"profiles\": {\"A\": {\"renamed\": true}}}";
        std::fs::write(p.config().path(), newer).unwrap();
        let list = p.list().unwrap_err();
        assert_eq!(list.kind(), "config_too_new");
        assert_eq!(p.show("A").unwrap_err().kind(), "config_too_new");
        let save = p
            .save(&draft("B", "some-secret-value"), None, false)
            .unwrap_err();
        assert_eq!(save.kind(), "config_too_new");
        assert_eq!(p.delete("A").unwrap_err().kind(), "config_too_new");
        assert_eq!(std::fs::read(p.config().path()).unwrap(), newer);
        let aside = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("profiles.json.")
            })
            .count();
        assert_eq!(aside, 0, "nothing set aside");
    }

    #[test]
    fn a_failed_rotation_keeps_the_old_secret() {
        let (_d, p) = profiles();
        p.save(&draft("A", "old-secret-value"), None, false)
            .unwrap();
        p.record(
            "A",
            &report(false, Some(Blame::Secret)),
            Some(&Secret::new("new-secret-value".into())),
        )
        .unwrap();
        assert_eq!(stored(&p, "A"), "old-secret-value");
        p.record(
            "A",
            &report(true, None),
            Some(&Secret::new("new-secret-value".into())),
        )
        .unwrap();
        assert_eq!(stored(&p, "A"), "new-secret-value");
    }
}
