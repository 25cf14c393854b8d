//! The config file: everything about a profile except its secret.
//!
//! - One location shared by the CLI and the desktop app: the platform's
//!   config directory (`~/.config/autotask-connect` on Linux,
//!   `~/Library/Application Support/autotask-connect` on macOS,
//!   `%APPDATA%\autotask-connect` on Windows), or `AUTOTASK_CONNECT_CONFIG_DIR`.
//! - Versioned (`"format": 1`); a newer format is never overwritten.
//! - Written atomically: temporary file, fsync, rename, fsync of the
//!   directory. A crash or a kill leaves the old file or the new one.
//! - Writers take an exclusive lock on `profiles.lock` and re-read before
//!   changing anything, so two processes saving different profiles at the
//!   same moment both survive.
//! - A file that cannot be read is renamed aside with a timestamp and
//!   reported, never overwritten.
//! - Its records are types of their own, not the check's: the names below
//!   are the file's format, whatever the domain calls things later. Every
//!   format ever written loads (`tests/golden/`); the profile module converts
//!   records to and from the domain types.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Overrides the config directory: a public contract.
pub(crate) const ENV_CONFIG_DIR: &str = "AUTOTASK_CONNECT_CONFIG_DIR";
pub(crate) const FILE_NAME: &str = "profiles.json";
const LOCK_NAME: &str = "profiles.lock";
const TEMP_PREFIX: &str = "profiles.json.tmp.";
pub(crate) const FORMAT: u32 = 1;

/// A step of the check, as the file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRecord {
    Network,
    Zone,
    Authentication,
    Tenant,
    Permissions,
    Usage,
}

/// The input a check blamed, as the file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlameRecord {
    Username,
    Secret,
    IntegrationCode,
    Zone,
    Licence,
    /// Written since the lockout headline (an administrator unlocks the user).
    Locked,
    Permissions,
    Network,
    RateLimit,
    /// Written since the new-user wait: a 401 for a username never seen to pass.
    NewUser,
}

/// What became of the secret in a check, as the file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInRecord {
    Accepted,
    Refused,
    NoVerdict,
    NotSent,
    FailedBeforeSending,
}

/// Who a profile's credentials belong to, from its last passing check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRecord {
    pub zone_name: Option<String>,
    pub api_url: String,
    pub web_url: String,
    pub ci: Option<u64>,
    pub company_name: Option<String>,
}

/// The outcome of the last check of a profile's stored secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRecord {
    /// RFC 3339, UTC.
    pub at: String,
    pub passed: bool,
    pub failed_step: Option<StepRecord>,
    pub blame: Option<BlameRecord>,
    pub message: String,
    /// Absent from files written before sign-in outcomes were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<SignInRecord>,
}

/// A profile as the file holds it. Never a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRecord {
    /// Who uses the API user (a preset id); absent means `custom`, which is
    /// how profiles saved before vendors existed read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    pub username: String,
    /// Empty for a vendor-bound API user (only the vendor has the code).
    pub integration_code: String,
    /// What the technician entered as the zone, if anything.
    #[serde(default)]
    pub zone_input: Option<String>,
    /// Who the credentials belong to, from the last passing check.
    #[serde(default)]
    pub tenant: Option<TenantRecord>,
    #[serde(default)]
    pub last_check: Option<CheckRecord>,
    pub created_at: String,
    pub updated_at: String,
    /// Refused logins as versions before the per-username guard recorded
    /// them (Unix seconds): still counted, no longer written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_logins: Vec<u64>,
    /// What the integration needs, as `--entity` spells it (`Tickets:write`);
    /// empty means the default entities, read only. Absent from older files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    /// Set while a delete is under way: if it stops half-way, the profile
    /// stays listed as such and deleting it again finishes the job.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleting: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFile {
    pub format: u32,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileRecord>,
    /// The lockout guard, per Autotask username (lower case): see `lockout`.
    /// Absent from files written before it (they read as empty). A record
    /// that cannot be read is kept as it is (the guard says so), rather
    /// than the whole file being set aside.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "lenient_logins"
    )]
    pub logins: BTreeMap<String, LoginEntry>,
}

/// Where a `logins` value that is not an object at all is kept.
pub const UNREADABLE_LOGINS: &str = "*";

/// `logins` as written, or, when it is not an object, kept whole under
/// [`UNREADABLE_LOGINS`].
fn lenient_logins<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, LoginEntry>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| {
                let entry = serde_json::from_value::<LoginRecord>(v.clone())
                    .map(LoginEntry::Record)
                    .unwrap_or(LoginEntry::Unreadable(v));
                (k, entry)
            })
            .collect(),
        serde_json::Value::Null => BTreeMap::new(),
        other => BTreeMap::from([(UNREADABLE_LOGINS.to_string(), LoginEntry::Unreadable(other))]),
    })
}

/// One username's record in the guard, or what was found instead of one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LoginEntry {
    Record(LoginRecord),
    /// Hand-edited or damaged: kept as found until a forced attempt replaces it.
    Unreadable(serde_json::Value),
}

/// Login attempts of one Autotask username, for the lockout guard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRecord {
    /// When Autotask refused a login (Unix seconds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<u64>,
    /// Attempts reserved and not yet settled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<PendingLogin>,
    /// When Autotask last accepted this username (Unix seconds): only an
    /// API user can sign in to the REST API, so this one is one. Absent
    /// from files written before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLogin {
    pub id: u64,
    pub at: u64,
    /// Until when it counts as running: the check's own time limit.
    /// Absent from files written before it (90 s then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "No config directory could be found for this user (no home directory). Set \
         AUTOTASK_CONNECT_CONFIG_DIR to a folder Autotask Connect may write to."
    )]
    NoLocation,
    #[error(
        "Could not {action} {path}: {source}. Check that the folder exists and you may write to it."
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path} was written by a newer version of Autotask Connect (format {found}); this version \
         reads format {FORMAT}. Update Autotask Connect; the file was left untouched."
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error(
        "{dir} {reason}, so another account could change or replace your profiles. Make it yours \
         alone (`chmod 700 {dir}`; `chown` it if another account owns it), or set \
         AUTOTASK_CONNECT_CONFIG_DIR to a private folder."
    )]
    UnsafeFolder { dir: PathBuf, reason: &'static str },
}

impl ConfigError {
    /// The stable identifier scripts and the page switch on.
    pub fn kind(&self) -> &'static str {
        match self {
            ConfigError::TooNew { .. } => "config_too_new",
            ConfigError::UnsafeFolder { .. } => "config_folder_unsafe",
            ConfigError::NoLocation | ConfigError::Io { .. } => "config_unwritable",
        }
    }
}

/// Something the user should know about the file, reported with the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub message: String,
    /// Where an unreadable file was moved.
    pub set_aside: PathBuf,
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> ConfigError {
    let path = path.to_path_buf();
    move |source| ConfigError::Io {
        action,
        path,
        source,
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time (civil-from-days, proleptic Gregorian).
pub(crate) fn rfc3339(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn now() -> String {
    rfc3339(unix_now())
}

/// The config directory and the operations on its file.
#[derive(Clone, Debug)]
pub struct Config {
    dir: PathBuf,
}

impl Config {
    /// `AUTOTASK_CONNECT_CONFIG_DIR`, else the platform's config directory.
    pub fn locate() -> Result<Config, ConfigError> {
        if let Some(dir) = std::env::var_os(ENV_CONFIG_DIR).filter(|d| !d.is_empty()) {
            return Ok(Config::at(PathBuf::from(dir)));
        }
        let base = directories::BaseDirs::new().ok_or(ConfigError::NoLocation)?;
        Ok(Config::at(base.config_dir().join("autotask-connect")))
    }

    pub fn at(dir: PathBuf) -> Config {
        Config { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    fn ensure_dir(&self) -> Result<(), ConfigError> {
        if self.dir.is_dir() {
            return Ok(());
        }
        fs::create_dir_all(&self.dir).map_err(io_err("create the folder", &self.dir))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700))
                .map_err(io_err("restrict the folder", &self.dir))?;
        }
        Ok(())
    }

    /// Refuses a folder that others may write to or that another account
    /// owns: whoever can write there can replace the file between our reads.
    #[allow(unsafe_code)] // geteuid: no safe wrapper in std
    fn check_folder(&self) -> Result<(), ConfigError> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let meta = match fs::metadata(&self.dir) {
                Ok(m) => m,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(io_err("inspect", &self.dir)(e)),
            };
            let unsafe_because = |reason| {
                Err(ConfigError::UnsafeFolder {
                    dir: self.dir.clone(),
                    reason,
                })
            };
            // SAFETY: geteuid has no arguments and cannot fail.
            if meta.uid() != unsafe { libc::geteuid() } {
                return unsafe_because("belongs to another account");
            }
            if meta.mode() & 0o022 != 0 {
                return unsafe_because("can be written by other accounts");
            }
        }
        Ok(())
    }

    /// Reads the file without locking (a rename is atomic, so a reader sees
    /// a whole old or new file). A missing file is an empty configuration.
    pub fn load(&self) -> Result<(ConfigFile, Option<Notice>), ConfigError> {
        self.check_folder()?;
        match self.read()? {
            Read::Ok(file) => Ok((file, None)),
            Read::Missing => Ok((ConfigFile::empty(), None)),
            // Setting a file aside is a write: do it under the lock.
            Read::Unreadable(_) => {
                let mut notice = None;
                let file = self.locked(|file, n| {
                    notice = n;
                    Ok::<_, ConfigError>(file.clone())
                })?;
                Ok((file, notice))
            }
        }
    }

    /// Changes the file under the exclusive lock: re-reads it, applies `f`,
    /// and writes it back atomically if `f` succeeded.
    pub(crate) fn update<R, E: From<ConfigError>>(
        &self,
        f: impl FnOnce(&mut ConfigFile) -> Result<R, E>,
    ) -> Result<(R, Option<Notice>), E> {
        let mut notice = None;
        let mut result = None;
        self.locked(|file, n| {
            notice = n;
            let r = f(file)?;
            self.write(file)?;
            result = Some(r);
            Ok::<_, E>(())
        })?;
        Ok((result.expect("set on success"), notice))
    }

    /// Runs `f` holding the lock, with the current file (an unreadable one
    /// set aside first).
    fn locked<R, E: From<ConfigError>>(
        &self,
        f: impl FnOnce(&mut ConfigFile, Option<Notice>) -> Result<R, E>,
    ) -> Result<R, E> {
        self.ensure_dir()?;
        self.check_folder()?;
        let lock_path = self.dir.join(LOCK_NAME);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err("open", &lock_path))?;
        lock.lock().map_err(io_err("lock", &lock_path))?;
        self.remove_stale_temporaries();
        let (mut file, notice) = match self.read()? {
            Read::Ok(file) => (file, None),
            Read::Missing => (ConfigFile::empty(), None),
            Read::Unreadable(reason) => (ConfigFile::empty(), Some(self.set_aside(&reason)?)),
        };
        let r = f(&mut file, notice);
        drop(lock);
        r
    }

    fn read(&self) -> Result<Read, ConfigError> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Missing),
            Err(e) => return Err(io_err("read", &path)(e)),
        };
        #[derive(Deserialize)]
        struct Version {
            format: u32,
        }
        match serde_json::from_slice::<Version>(&bytes) {
            Ok(v) if v.format > FORMAT => {
                return Err(ConfigError::TooNew {
                    path,
                    found: v.format,
                });
            }
            Ok(_) => {}
            Err(e) => return Ok(Read::Unreadable(e.to_string())),
        }
        match serde_json::from_slice::<ConfigFile>(&bytes) {
            Ok(file) => Ok(Read::Ok(file)),
            Err(e) => Ok(Read::Unreadable(e.to_string())),
        }
    }

    fn set_aside(&self, reason: &str) -> Result<Notice, ConfigError> {
        let path = self.path();
        let stamp = now().replace(':', "");
        let mut aside = self.dir.join(format!("{FILE_NAME}.unreadable-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            aside = self.dir.join(format!("{FILE_NAME}.unreadable-{stamp}-{n}"));
            n += 1;
        }
        fs::rename(&path, &aside).map_err(io_err("set aside", &path))?;
        Ok(Notice {
            message: format!(
                "The profiles file could not be read ({reason}). It was kept as {} and a new one \
                 started; secrets are still in the credential store. Restore or fix that file to \
                 get the old profiles back.",
                aside.display()
            ),
            set_aside: aside,
        })
    }

    /// Temporary files left by a writer that was killed before its rename.
    /// Only called under the lock, so no live writer owns them.
    fn remove_stale_temporaries(&self) {
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }

    fn write(&self, file: &ConfigFile) -> Result<(), ConfigError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut bytes = serde_json::to_vec_pretty(file).expect("serializable");
        bytes.push(b'\n');
        let tmp = self.dir.join(format!(
            "{TEMP_PREFIX}{}.{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| -> std::io::Result<()> {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut f = options.open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            Ok(())
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(io_err("write", &tmp)(e));
        }
        let target = self.path();
        // Test seam, compiled out of release builds: lets a test kill a
        // writer exactly between the write and the rename.
        #[cfg(debug_assertions)]
        if let Some(ms) = std::env::var("AUTOTASK_CONNECT_TEST_PAUSE_BEFORE_RENAME_MS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        if let Err(e) = fs::rename(&tmp, &target) {
            let _ = fs::remove_file(&tmp);
            return Err(io_err("replace", &target)(e));
        }
        // The rename itself must reach the disk for "old or new" to hold after a crash.
        #[cfg(unix)]
        fs::File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(io_err("sync", &self.dir))?;
        Ok(())
    }
}

enum Read {
    Ok(ConfigFile),
    Missing,
    Unreadable(String),
}

impl ConfigFile {
    pub fn empty() -> ConfigFile {
        ConfigFile {
            format: FORMAT,
            profiles: BTreeMap::new(),
            logins: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests;
