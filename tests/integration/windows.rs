//! Windows: profiles against the real Windows Credential Manager, through the
//! CLI as a script runs it. Runs under Wine on Linux (`scripts/check-other-os`)
//! and natively on a Windows CI runner. Stored items are read back through
//! Credential Manager's own API by target name (`NAME@autotask-connect`), the
//! name README.md documents for other tools.

use std::collections::HashMap;

use keyring_core::api::CredentialStoreApi;
use serde_json::Value;

use crate::cli::{Run, cli};

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    async fn run(&self, args: &[&str], secret: Option<&str>) -> Run {
        let config = self.dir.path().display().to_string();
        let mut env = vec![("AUTOTASK_CONNECT_CONFIG_DIR", config.as_str())];
        if let Some(s) = secret {
            env.push(("AUTOTASK_SECRET", s));
        }
        cli(args, &env, None).await
    }
    async fn save(&self, name: &str, secret: &str) -> Value {
        let run = self
            .run(
                &[
                    "profile",
                    "save",
                    name,
                    "--username",
                    "k3jd8f0aq2mz7xw@demo-msp.example",
                    "--integration-code",
                    "DEMOSIMULATEDTRACKINGID0027",
                    "--zone",
                    "https://ww5.autotask.net/",
                    "--json",
                ],
                Some(secret),
            )
            .await;
        assert_eq!(run.status, 0, "{} {}", run.stdout, run.stderr);
        run.json()
    }
}

/// The item Credential Manager holds under `NAME@autotask-connect`: its
/// secret and its attributes (persistence among them), or `None`.
fn credential_manager(name: &str) -> Option<(String, HashMap<String, String>)> {
    let store = windows_native_keyring_store::Store::new().unwrap();
    let target = format!("{name}@autotask-connect");
    let entry = store
        .build(
            "autotask-connect",
            name,
            Some(&HashMap::from([("target", target.as_str())])),
        )
        .unwrap();
    match entry.get_password() {
        Ok(secret) => Some((secret, entry.get_attributes().unwrap())),
        Err(keyring_core::Error::NoEntry) => None,
        Err(e) => panic!("Credential Manager: {e}"),
    }
}

fn unique(name: &str) -> String {
    format!("{name} {}", std::process::id())
}

#[tokio::test]
async fn a_saved_secret_stays_on_this_computer() {
    let home = Home::new();
    let name = unique("Local persistence");
    home.save(&name, "Win*Secret#2026~$kQ2w'\"").await;
    let (secret, attributes) = credential_manager(&name).expect("an item");
    assert_eq!(secret, "Win*Secret#2026~$kQ2w'\"");
    // Local, not the store's default Enterprise (which roams with the user's domain profile).
    assert_eq!(attributes["persistence"], "Local");
    assert_eq!(
        home.run(&["profile", "delete", &name], None).await.status,
        0
    );
    assert!(credential_manager(&name).is_none());
}

#[tokio::test]
async fn renaming_by_case_only_keeps_the_secret() {
    let home = Home::new();
    let old = unique("Contoso");
    let new = old.to_lowercase();
    home.save(&old, "Case*Secret#2026~xY7").await;
    let run = home
        .run(&["profile", "rename", &old, &new, "--json"], None)
        .await;
    assert_eq!(run.status, 0, "{} {}", run.stdout, run.stderr);
    assert_eq!(run.json()["profile"]["name"], new.as_str());
    let shown = home.run(&["profile", "show", &new, "--json"], None).await;
    assert_eq!(shown.json()["has_secret"], true, "{}", shown.stdout);
    let (secret, _) = credential_manager(&new).expect("the secret survives");
    assert_eq!(secret, "Case*Secret#2026~xY7");
    assert_eq!(home.run(&["profile", "delete", &new], None).await.status, 0);
    assert!(credential_manager(&new).is_none());
}

#[tokio::test]
async fn a_long_secret_and_a_non_ascii_name_round_trip() {
    let home = Home::new();
    let name = unique("Müller & Söhne – Zürich 株式会社");
    // 512 characters, the longest the app takes: far past Autotask's 25, and
    // 1,026 bytes of UTF-16 in Credential Manager's 2,560-byte blob.
    let secret: String = "Aa1*#$~@ü".chars().cycle().take(512).collect();
    let saved = home.save(&name, &secret).await;
    assert_eq!(saved["profile"]["name"], name.as_str());
    let (stored, _) = credential_manager(&name).expect("an item");
    assert_eq!(stored, secret);
    let listed = home.run(&["profile", "list", "--json"], None).await.json();
    assert_eq!(listed["profiles"][0]["name"], name.as_str(), "{listed}");
    assert_eq!(
        home.run(&["profile", "delete", &name], None).await.status,
        0
    );
    assert!(credential_manager(&name).is_none());
}

#[tokio::test]
async fn the_config_file_lives_under_appdata() {
    // An empty override is no override: the default location.
    let run = cli(
        &["doctor", "--json"],
        &[("AUTOTASK_CONNECT_CONFIG_DIR", "")],
        None,
    )
    .await;
    let json = run.json();
    let appdata = std::env::var("APPDATA").expect("APPDATA is set on Windows");
    assert_eq!(
        json["config"]["dir"],
        format!("{appdata}\\autotask-connect").as_str(),
        "{json}"
    );
    assert_eq!(json["store"]["backend"], "Windows Credential Manager");
}

/// Credential Manager folds case beyond ASCII: "Müller" and "MÜLLER" are one
/// item there, so the second name is refused, naming the first, and the
/// first profile's secret is untouched.
#[tokio::test]
async fn names_one_credential_manager_item_would_hold_are_refused() {
    let home = Home::new();
    let name = unique("Müller");
    let other = name.to_uppercase();
    home.save(&name, "Fold*Secret#2026~xY7$kQ2").await;
    let (through_other, _) = credential_manager(&other).expect("one item for both spellings");
    assert_eq!(through_other, "Fold*Secret#2026~xY7$kQ2");
    let run = home
        .run(
            &[
                "profile",
                "save",
                &other,
                "--username",
                "k3jd8f0aq2mz7xw@demo-msp.example",
                "--integration-code",
                "DEMOSIMULATEDTRACKINGID0027",
                "--json",
            ],
            Some("Other*Secret#2026~xY7$kQ"),
        )
        .await;
    assert_eq!(run.status, 2, "{} {}", run.stdout, run.stderr);
    assert_eq!(run.json()["error"]["kind"], "profile_exists");
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("\"{name}\" already exists")),
        "{}",
        run.stdout
    );
    let (kept, _) = credential_manager(&name).unwrap();
    assert_eq!(kept, "Fold*Secret#2026~xY7$kQ2");
    assert_eq!(
        home.run(&["profile", "delete", &name], None).await.status,
        0
    );
}
