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

mod name;
mod records;
mod rotation;
mod views;

pub use name::ProfileName;
pub use rotation::{Rotation, rotation_replaces};
pub use views::{Deleted, LastCheck, Listing, NewProfile, ProfileView, VendorProfile};

use records::check_record;
pub(crate) use records::vouches_for_stored_secret;

use std::sync::Arc;

use crate::check::{
    self, Consent, Door, Entity, InputError, Plan, Question, Refusal, Report, Request, Tenant,
};
use crate::credentials::Secret;
use crate::lockout::{self, GuardError, Ledger};
use crate::store::config::{self, Config, ConfigError, ConfigFile, ProfileRecord, TenantRecord};
use crate::store::keyring::{Keyring, StoreError, fold_name};
use crate::transport::Transport;
use crate::vendors;
use crate::zone;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("\"{name}\" cannot be a profile name: {reason}")]
    InvalidName { name: String, reason: &'static str },
    #[error("There is no profile named \"{0}\".")]
    NotFound(String),
    #[error(
        "A profile named \"{0}\" already exists (names that differ only in upper and lower case \
         are one name: Windows keeps them in one Credential Manager item). Choose another name."
    )]
    Exists(String),
    #[error(
        "Profile \"{0}\" has no secret in the credential store (it may have been removed by another \
         program)."
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
            Some("A delete of this profile did not finish: delete it again.".to_string())
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
    pub(crate) fn check_plan(
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
mod tests;
