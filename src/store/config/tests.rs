use super::*;

fn record(user: &str) -> ProfileRecord {
    ProfileRecord {
        vendor: None,
        username: user.into(),
        integration_code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ1".into(),
        zone_input: None,
        tenant: None,
        last_check: None,
        created_at: now(),
        updated_at: now(),
        failed_logins: vec![],
        entities: vec![],
        deleting: false,
    }
}

#[test]
fn rfc3339_matches_known_dates() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(rfc3339(1_795_392_000 + 3_723), "2026-11-23T01:02:03Z");
}

#[test]
#[cfg(unix)]
fn a_folder_others_may_write_is_refused_and_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    c.update(|f| {
        f.profiles.insert("A".into(), record("a@b.c"));
        Ok::<_, ConfigError>(())
    })
    .unwrap();
    let before = fs::read(c.path()).unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let refused = c.load().unwrap_err();
    assert_eq!(
        refused.to_string(),
        format!(
            "{0} can be written by other accounts, so another account could change or \
             replace your profiles. Make it yours alone (`chmod 700 {0}`; `chown` it if \
             another account owns it), or set AUTOTASK_CONNECT_CONFIG_DIR to a private folder.",
            dir.path().display()
        )
    );
    assert!(matches!(
        c.update(|_| Ok::<_, ConfigError>(())),
        Err(ConfigError::UnsafeFolder { .. })
    ));
    assert_eq!(fs::read(c.path()).unwrap(), before, "nothing written");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(c.load().unwrap().0.profiles.len(), 1);
}

#[test]
fn update_writes_and_load_reads() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().join("nested"));
    assert!(c.load().unwrap().0.profiles.is_empty());
    c.update(|f| {
        f.profiles.insert("a".into(), record("u@x.example"));
        Ok::<_, ConfigError>(())
    })
    .unwrap();
    let (file, notice) = c.load().unwrap();
    assert!(notice.is_none());
    assert_eq!(file.profiles["a"].username, "u@x.example");
    let text = fs::read_to_string(c.path()).unwrap();
    assert!(text.contains("\"format\": 1"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(c.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn a_failed_update_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    c.update(|f| {
        f.profiles.insert("a".into(), record("u@x.example"));
        Ok::<_, ConfigError>(())
    })
    .unwrap();
    let before = fs::read(c.path()).unwrap();
    let r: Result<((), _), ConfigError> = c.update(|f| {
        f.profiles.clear();
        Err(ConfigError::NoLocation)
    });
    assert!(r.is_err());
    assert_eq!(fs::read(c.path()).unwrap(), before);
}

#[test]
fn an_unreadable_file_is_set_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    fs::write(c.path(), b"{\"format\": 1, \"profiles\": {\"a\": ").unwrap();
    let (file, notice) = c.load().unwrap();
    assert!(file.profiles.is_empty());
    let notice = notice.expect("reported");
    assert!(notice.set_aside.exists());
    assert_eq!(
        fs::read(&notice.set_aside).unwrap(),
        b"{\"format\": 1, \"profiles\": {\"a\": "
    );
    assert!(!c.path().exists(), "not overwritten, moved");
    assert!(notice.message.contains("could not be read"));
}

#[test]
fn a_newer_format_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    fs::write(
        c.path(),
        b"{\"format\": 2, \"profiles\": {}, \"new\": true}",
    )
    .unwrap();
    assert!(matches!(
        c.load(),
        Err(ConfigError::TooNew { found: 2, .. })
    ));
    let r: Result<((), _), ConfigError> = c.update(|_| Ok(()));
    assert!(matches!(r, Err(ConfigError::TooNew { .. })));
    assert_eq!(
        fs::read(c.path()).unwrap(),
        b"{\"format\": 2, \"profiles\": {}, \"new\": true}"
    );
    assert_eq!(
        r.unwrap_err().to_string(),
        format!(
            "{} was written by a newer version of Autotask Connect (format 2); this version \
             reads format 1. Update Autotask Connect; the file was left untouched.",
            c.path().display()
        )
    );
}

/// A newer format whose records this version could not even read is
/// still refused as newer: never set aside, never overwritten.
#[test]
fn a_newer_format_is_refused_not_set_aside_nor_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    let newer: &[u8] = b"{\"format\": 3, \"profiles\": [\"a list now\"], \"logins\": 7}\n";
    fs::write(c.path(), newer).unwrap();
    let refused = c.load().unwrap_err();
    assert_eq!(refused.kind(), "config_too_new");
    for _ in 0..2 {
        let r = c.update(|f| {
            f.profiles.insert("A".into(), record("a@b.c"));
            Ok::<_, ConfigError>(())
        });
        assert!(matches!(r, Err(ConfigError::TooNew { found: 3, .. })));
    }
    assert_eq!(fs::read(c.path()).unwrap(), newer, "not overwritten");
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [FILE_NAME, LOCK_NAME], "nothing set aside");
}

/// The golden files of `tests/golden/profiles-format-1/`.
fn golden() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/profiles-format-1");
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Every `profiles.json` ever written loads, with nothing set aside, and
/// the next write keeps every value it held.
#[test]
fn every_format_ever_written_loads() {
    let files = golden();
    assert_eq!(
        files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        [
            "1-first-profiles.json",
            "2-vendors.json",
            "3-lockout-guard.json",
            "4-needs-and-locked.json"
        ]
    );
    for (name, bytes) in files {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::at(dir.path().to_path_buf());
        fs::write(c.path(), &bytes).unwrap();
        let (file, notice) = c.load().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(notice.is_none(), "{name}: {notice:?}");
        assert!(!file.profiles.is_empty(), "{name}");
        c.update(|_| Ok::<_, ConfigError>(())).unwrap();
        let before: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let after: serde_json::Value =
            serde_json::from_slice(&fs::read(c.path()).unwrap()).unwrap();
        assert_eq!(
            before, after,
            "{name}: a value was lost or changed on rewrite"
        );
    }
}

/// The step and blame names a check could ever record are all in the
/// golden files, so renaming one breaks `every_format_ever_written_loads`.
#[test]
fn the_golden_files_hold_every_step_and_blame() {
    let mut steps = Vec::new();
    let mut blames = Vec::new();
    for (_, bytes) in golden() {
        let file: ConfigFile = serde_json::from_slice(&bytes).unwrap();
        for check in file.profiles.values().filter_map(|p| p.last_check.as_ref()) {
            steps.extend(check.failed_step);
            blames.extend(check.blame);
        }
    }
    use BlameRecord as B;
    use StepRecord as S;
    for step in [
        S::Network,
        S::Zone,
        S::Authentication,
        S::Tenant,
        S::Permissions,
        S::Usage,
    ] {
        assert!(steps.contains(&step), "{step:?}");
    }
    for blame in [
        B::Username,
        B::Secret,
        B::IntegrationCode,
        B::Zone,
        B::Licence,
        B::Locked,
        B::Permissions,
        B::Network,
        B::RateLimit,
    ] {
        assert!(blames.contains(&blame), "{blame:?}");
    }
}

#[test]
fn stale_temporaries_are_cleaned_under_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    fs::write(dir.path().join("profiles.json.tmp.999.0"), b"half").unwrap();
    c.update(|_| Ok::<_, ConfigError>(())).unwrap();
    assert!(!dir.path().join("profiles.json.tmp.999.0").exists());
}

#[test]
fn concurrent_updates_from_threads_all_survive() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::at(dir.path().to_path_buf());
    std::thread::scope(|s| {
        for i in 0..16 {
            let c = c.clone();
            s.spawn(move || {
                c.update(|f| {
                    f.profiles.insert(format!("p{i}"), record("u@x.example"));
                    Ok::<_, ConfigError>(())
                })
                .unwrap();
            });
        }
    });
    assert_eq!(c.load().unwrap().0.profiles.len(), 16);
}
