//! Gateways running on this computer, for `status`: each gateway keeps a
//! small record of itself (never its token, never a secret) in the
//! `gateways` folder beside `profiles.json`, and holds a lock on a file of
//! its own for as long as it runs. The operating system releases the lock
//! when the process ends however it ends, so a record whose lock can be
//! taken belongs to a gateway that is gone: it is not shown, and removed.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::config::Config;

const FOLDER: &str = "gateways";

/// What a running gateway says about itself. A file format read by other
/// processes of possibly other versions: fields are only ever added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GatewayRecord {
    /// The profile whose credentials it sends.
    pub profile: String,
    pub pid: u32,
    /// Its REST base, `http://127.0.0.1:PORT/ATServicesRest/V1.0/`.
    pub url: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub updated_at: String,
    pub state: GatewayState,
    pub read_only: bool,
    /// What `--write-entity` allows (empty: any, when not read-only).
    #[serde(default)]
    pub write_entities: Vec<String>,
    /// Requests per hour this session may send.
    pub budget: u64,
    /// The tenant's hourly threshold when the gateway opened, if reported.
    pub tenant_threshold: Option<u64>,
    /// Requests sent to Autotask since it started.
    pub requests: u64,
    /// Requests sent to Autotask in the last hour.
    pub last_hour: u64,
    /// Requests it answered itself (read-only, budget, token, refused login).
    pub refused: u64,
    /// Requests sent to Autotask, per entity.
    #[serde(default)]
    pub entities: BTreeMap<String, u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayState {
    /// Forwarding requests.
    Serving,
    /// Autotask refused the profile's credentials: nothing more is sent.
    CredentialsRefused,
}

fn folder(config: &Config) -> PathBuf {
    config.dir().join(FOLDER)
}

/// A gateway's place in the folder, for as long as it runs; dropping it
/// removes the record.
#[derive(Debug)]
pub struct Registration {
    json: PathBuf,
    lock_path: PathBuf,
    /// Held (locked) until drop: what tells `status` the gateway is alive.
    _lock: File,
}

impl Registration {
    /// Registers a gateway with `record`. Blocking.
    pub fn register(config: &Config, record: &GatewayRecord) -> std::io::Result<Registration> {
        let dir = folder(config);
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&dir)?;
        let id = format!("{}-{}", record.pid, sequence());
        let lock_path = dir.join(format!("{id}.lock"));
        let lock = private_file(&lock_path)?;
        lock.try_lock().map_err(std::io::Error::other)?;
        let registration = Registration {
            json: dir.join(format!("{id}.json")),
            lock_path,
            _lock: lock,
        };
        registration.update(record)?;
        Ok(registration)
    }

    /// Replaces the record (atomically: a reader sees the old or the new).
    pub fn update(&self, record: &GatewayRecord) -> std::io::Result<()> {
        let temporary = self.json.with_extension("json.tmp");
        let mut file = private_file(&temporary)?;
        file.set_len(0)?;
        file.write_all(&serde_json::to_vec(record).map_err(std::io::Error::other)?)?;
        drop(file);
        fs::rename(&temporary, &self.json)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.json);
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// A file only this account can read (0600 where modes exist).
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Tells two gateways of one process apart (tests run several).
fn sequence() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The records of the gateways running now, by profile then start; the
/// records of gateways that are gone are removed. Blocking. A folder that
/// cannot be read is no gateway.
pub fn live(config: &Config) -> Vec<GatewayRecord> {
    let dir = folder(config);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "lock") {
            continue;
        }
        let json = path.with_extension("json");
        let Ok(lock) = OpenOptions::new().write(true).open(&path) else {
            continue;
        };
        match lock.try_lock() {
            Ok(()) => {
                // Nobody holds it: that gateway has ended.
                let _ = fs::remove_file(&json);
                let _ = fs::remove_file(json.with_extension("json.tmp"));
                drop(lock);
                let _ = fs::remove_file(&path);
            }
            Err(_) => {
                if let Some(record) = fs::read(&json)
                    .ok()
                    .and_then(|b| serde_json::from_slice::<GatewayRecord>(&b).ok())
                {
                    out.push(record);
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.profile, &a.started_at, a.pid).cmp(&(&b.profile, &b.started_at, b.pid)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(profile: &str) -> GatewayRecord {
        GatewayRecord {
            profile: profile.into(),
            pid: std::process::id(),
            url: "http://127.0.0.1:4100/ATServicesRest/V1.0/".into(),
            started_at: "2026-12-04T09:00:00Z".into(),
            updated_at: "2026-12-04T09:05:00Z".into(),
            state: GatewayState::Serving,
            read_only: true,
            write_entities: vec![],
            budget: 1000,
            tenant_threshold: Some(10_000),
            requests: 12,
            last_hour: 12,
            refused: 1,
            entities: [("Companies".to_string(), 12)].into_iter().collect(),
        }
    }

    #[test]
    fn a_running_gateway_is_listed_and_an_ended_one_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::at(dir.path().to_path_buf());
        assert!(live(&config).is_empty());
        let a = Registration::register(&config, &record("A")).unwrap();
        let b = Registration::register(&config, &record("B")).unwrap();
        let mut changed = record("B");
        changed.state = GatewayState::CredentialsRefused;
        b.update(&changed).unwrap();
        let found = live(&config);
        assert_eq!(found, vec![record("A"), changed.clone()]);
        drop(a);
        assert_eq!(live(&config), vec![changed]);
        drop(b);
        assert!(live(&config).is_empty());
        assert_eq!(fs::read_dir(folder(&config)).unwrap().count(), 0);
    }

    #[test]
    fn a_stale_record_whose_lock_is_free_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::at(dir.path().to_path_buf());
        let folder = folder(&config);
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join("9-0.json"),
            serde_json::to_vec(&record("Gone")).unwrap(),
        )
        .unwrap();
        fs::write(folder.join("9-0.lock"), b"").unwrap();
        assert!(live(&config).is_empty());
        assert!(!folder.join("9-0.json").exists() && !folder.join("9-0.lock").exists());
    }

    #[test]
    fn the_record_format_is_pinned() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/gateway-record.json");
        let golden: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        let mut expected = serde_json::to_value(record("Contoso")).unwrap();
        expected["pid"] = golden["pid"].clone();
        assert_eq!(expected, golden);
        let read: GatewayRecord = serde_json::from_value(golden).unwrap();
        assert_eq!(read.profile, "Contoso");
    }
}
