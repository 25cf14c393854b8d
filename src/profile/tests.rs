use super::*;
use crate::check::{Blame, Status, Step, StepId};
use crate::credentials::Credentials;
use crate::lockout::SignIn;

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
            .starts_with("A delete of this profile did not finish:")
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
