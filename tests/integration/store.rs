//! Profiles against the real credential store: gnome-keyring's Secret
//! Service in a private D-Bus session. A test that needs it re-runs itself
//! inside `scripts/with-secret-service`, so `cargo test` never touches the
//! developer's own keyring. Secrets are read back with `secret-tool` and
//! Python's `keyring`, using only the names README.md documents.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use serde_json::Value;

use crate::cli::{Run, cli};
use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_autotask-connect");
const SECRET: &str = "Zq9*Secret#Store~Test$42@x";

/// Outside the Secret Service session: re-runs test `name` inside one and
/// returns true (the caller returns). Inside: returns false.
fn reran_in_secret_service(name: &str) -> bool {
    if std::env::var_os("_WSS_INNER").is_some() {
        return false;
    }
    run_in_secret_service(&format!("store::{name}"), &[]);
    true
}

fn secret_tool(name: &str) -> Option<String> {
    let out = StdCommand::new("secret-tool")
        .args(["lookup", "service", "autotask-connect", "username", name])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn python_keyring(name: &str) -> Option<String> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv/bin/python");
    assert!(python.exists(), "Python keyring missing: run scripts/setup");
    let out = StdCommand::new(python)
        .current_dir("/")
        .args([
            "-c",
            "import keyring,sys; v=keyring.get_password('autotask-connect', sys.argv[1]); sys.stdout.write('' if v is None else v); sys.exit(0 if v is not None else 3)",
            name,
        ])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn config(&self) -> String {
        self.dir.path().display().to_string()
    }
    async fn run(&self, args: &[&str], secret: Option<&str>) -> Run {
        let config = self.config();
        let mut env = vec![("AUTOTASK_CONNECT_CONFIG_DIR", config.as_str())];
        if let Some(s) = secret {
            env.push(("AUTOTASK_SECRET", s));
        }
        cli(args, &env, None).await
    }
    async fn save(&self, name: &str, secret: &str) -> Run {
        self.run(
            &[
                "profile",
                "save",
                name,
                "--json",
                "--username",
                "k3jd8f0aq2mz7xw@contoso.com",
                "--integration-code",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
                "--zone",
                "https://ww5.autotask.net/",
            ],
            Some(secret),
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_secret_is_readable_by_other_tools_and_nowhere_else() {
    if reran_in_secret_service("a_saved_secret_is_readable_by_other_tools_and_nowhere_else") {
        return;
    }
    let home = Home::new();
    let saved = home.save("Contoso – Halo", SECRET).await;
    assert_eq!(saved.status, 0, "{}{}", saved.stdout, saved.stderr);
    assert_eq!(saved.json()["saved"], true);
    assert_eq!(secret_tool("Contoso – Halo").as_deref(), Some(SECRET));
    assert_eq!(python_keyring("Contoso – Halo").as_deref(), Some(SECRET));

    let show = home
        .run(&["profile", "show", "Contoso – Halo", "--json"], None)
        .await;
    assert_eq!(show.status, 0);
    assert_eq!(show.json()["has_secret"], true);
    assert_eq!(show.json()["username"], "k3jd8f0aq2mz7xw@contoso.com");
    let list = home.run(&["profile", "list", "--json"], None).await;
    assert_eq!(list.json()["profiles"].as_array().unwrap().len(), 1);
    for run in [&saved, &show, &list] {
        assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET));
    }
    for entry in files_under(home.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !contains_bytes(&bytes, SECRET.as_bytes()),
            "secret found in {}",
            entry.display()
        );
    }
    let doctor = home.run(&["doctor", "--json"], None).await;
    assert_eq!(doctor.status, 0, "{}", doctor.stdout);
    assert_eq!(doctor.json()["store"]["ok"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_and_delete_move_both_halves() {
    if reran_in_secret_service("rename_and_delete_move_both_halves") {
        return;
    }
    let home = Home::new();
    assert_eq!(home.save("Old", SECRET).await.status, 0);
    let again = home.save("old", "other-secret-value").await;
    assert_eq!(again.status, 2);
    assert_eq!(again.json()["error"]["kind"], "profile_exists");
    assert_eq!(
        secret_tool("Old").as_deref(),
        Some(SECRET),
        "an existing secret is never overwritten by accident"
    );

    let renamed = home
        .run(&["profile", "rename", "Old", "New", "--json"], None)
        .await;
    assert_eq!(renamed.status, 0, "{}", renamed.stdout);
    assert_eq!(secret_tool("New").as_deref(), Some(SECRET));
    assert_eq!(secret_tool("Old"), None);

    let deleted = home
        .run(&["profile", "delete", "New", "--json"], None)
        .await;
    assert_eq!(deleted.status, 0);
    assert_eq!(deleted.json()["removed_secret"], true);
    assert_eq!(secret_tool("New"), None);
    let missing = home
        .run(&["profile", "delete", "New", "--json"], None)
        .await;
    assert_eq!(missing.status, 2);
    assert_eq!(missing.json()["error"]["kind"], "profile_not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_removed_behind_our_back_is_reported_and_repairable() {
    if reran_in_secret_service("a_secret_removed_behind_our_back_is_reported_and_repairable") {
        return;
    }
    let home = Home::new();
    assert_eq!(home.save("A", SECRET).await.status, 0);
    let cleared = StdCommand::new("secret-tool")
        .args(["clear", "service", "autotask-connect", "username", "A"])
        .status()
        .unwrap();
    assert!(cleared.success());
    let show = home
        .run(&["profile", "show", "A", "--json"], None)
        .await
        .json();
    assert_eq!(show["has_secret"], false);
    assert!(show["problem"].as_str().unwrap().contains("no secret"));
    let check = home.run(&["profile", "check", "A", "--json"], None).await;
    assert_eq!(check.status, 1);
    assert_eq!(check.json()["error"]["kind"], "profile_without_secret");
    let deleted = home
        .run(&["profile", "delete", "A", "--json"], None)
        .await
        .json();
    assert_eq!(
        (
            deleted["removed_profile"].clone(),
            deleted["removed_secret"].clone()
        ),
        (Value::Bool(true), Value::Bool(false))
    );
}

struct SimHome {
    home: Home,
    env: Env,
    ca: tempfile::TempDir,
}

impl SimHome {
    async fn new() -> SimHome {
        let env = env().await;
        let ca = tempfile::tempdir().unwrap();
        env.sim.write_ca(ca.path()).unwrap();
        SimHome {
            home: Home::new(),
            env,
            ca,
        }
    }
    async fn run(&self, args: &[&str], secret: Option<&str>) -> Run {
        let connect_to = self.env.sim.connect_to();
        let ca = self
            .ca
            .path()
            .join("autotask-simulator-ca.pem")
            .display()
            .to_string();
        let mut all = vec![
            "--connect-to",
            connect_to.as_str(),
            "--ca-cert",
            ca.as_str(),
        ];
        all.extend(args);
        self.home.run(&all, secret).await
    }
    async fn save_demo(&self, name: &str, secret: &str, check: bool) -> Run {
        let mut args = vec![
            "profile",
            "save",
            name,
            "--json",
            "--username",
            demo::USERNAME,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ];
        if check {
            args.push("--check");
        }
        self.run(&args, Some(secret)).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_with_check_saves_only_a_working_secret() {
    if reran_in_secret_service("save_with_check_saves_only_a_working_secret") {
        return;
    }
    let s = SimHome::new().await;
    let bad = s.save_demo("Demo", "Wrong*Secret#0000~aaaaaaa", true).await;
    assert_eq!(bad.status, 1, "{}", bad.stdout);
    assert_eq!(bad.json()["saved"], false);
    assert_eq!(secret_tool("Demo"), None);

    let good = s.save_demo("Demo", demo::SECRET, true).await;
    assert_eq!(good.status, 0, "{}", good.stdout);
    let json = good.json();
    assert_eq!(
        json["profile"]["tenant"]["web_url"],
        "https://ww5.autotask.net/"
    );
    assert_eq!(json["profile"]["last_check"]["passed"], true);
    assert_eq!(secret_tool("Demo").as_deref(), Some(demo::SECRET));

    let check = s.run(&["profile", "check", "Demo", "--json"], None).await;
    assert_eq!(check.status, 0, "{}", check.stdout);
    assert_eq!(check.json()["passed"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_tests_the_new_secret_before_replacing() {
    if reran_in_secret_service("rotate_tests_the_new_secret_before_replacing") {
        return;
    }
    let s = SimHome::new().await;
    // Stored untested with an outdated secret, as after a regeneration in Autotask.
    assert_eq!(
        s.save_demo("Demo", "Outdated*Secret#000~aaaaa", false)
            .await
            .status,
        0
    );
    let wrong = s
        .run(
            &["profile", "rotate", "Demo", "--json"],
            Some("Wrong*Secret#0000~bbbbbbb"),
        )
        .await;
    assert_eq!(wrong.status, 1);
    assert_eq!(wrong.json()["rotated"], false);
    // Refused, not "not tested": and what that means for the stored one.
    assert_eq!(wrong.json()["check"]["sign_in"], "refused");
    assert!(
        wrong.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Autotask refused the new secret; the one stored for “Demo” was kept."),
        "{}",
        wrong.stdout
    );
    assert_eq!(
        secret_tool("Demo").as_deref(),
        Some("Outdated*Secret#000~aaaaa"),
        "kept"
    );

    let right = s
        .run(&["profile", "rotate", "Demo", "--json"], Some(demo::SECRET))
        .await;
    assert_eq!(right.status, 0, "{}", right.stdout);
    assert_eq!(right.json()["rotated"], true);
    assert_eq!(
        secret_tool("Demo").as_deref(),
        Some(demo::SECRET),
        "replaced"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lockout_guard_stops_a_third_failed_login() {
    if reran_in_secret_service("the_lockout_guard_stops_a_third_failed_login") {
        return;
    }
    let s = SimHome::new().await;
    let wrong = "Wrong*Secret#0000~ccccccc";
    assert_eq!(s.save_demo("Demo", wrong, false).await.status, 0);
    for _ in 0..2 {
        let r = s.run(&["profile", "check", "Demo", "--json"], None).await;
        assert_eq!(r.status, 1);
    }
    assert_eq!(carrying(&s.env.sim, wrong), 2);
    let third = s.run(&["profile", "check", "Demo", "--json"], None).await;
    assert_eq!(third.status, 2, "{}", third.stdout);
    assert_eq!(third.json()["error"]["kind"], "lockout_risk");
    assert!(
        third.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--force")
    );
    assert_eq!(carrying(&s.env.sim, wrong), 2, "the guard sent nothing");
    let shown = s
        .run(&["profile", "show", "Demo", "--json"], None)
        .await
        .json();
    assert_eq!(shown["recent_failed_logins"], 2);
    let forced = s
        .run(&["profile", "check", "Demo", "--force", "--json"], None)
        .await;
    assert_eq!(forced.status, 1);
    assert_eq!(carrying(&s.env.sim, wrong), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_of_different_profiles_all_survive() {
    if reran_in_secret_service("concurrent_saves_of_different_profiles_all_survive") {
        return;
    }
    let home = Home::new();
    for round in 0..2 {
        let saves = (0..50).map(|i| {
            let home = &home;
            async move {
                let name = format!("p{round}-{i:02}");
                let secret = format!("secret-{round}-{i:02}-value");
                let r = home.save(&name, &secret).await;
                assert_eq!(r.status, 0, "{name}: {}{}", r.stdout, r.stderr);
            }
        });
        futures_util::future::join_all(saves).await;
    }
    let list = home.run(&["profile", "list", "--json"], None).await.json();
    let names: Vec<&str> = list["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 100, "{names:?}");
    for (round, i) in [(0, 0), (0, 49), (1, 7), (1, 49)] {
        assert_eq!(
            secret_tool(&format!("p{round}-{i:02}")),
            Some(format!("secret-{round}-{i:02}-value"))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_writer_killed_between_write_and_rename_leaves_the_old_file() {
    if reran_in_secret_service("a_writer_killed_between_write_and_rename_leaves_the_old_file") {
        return;
    }
    let home = Home::new();
    assert_eq!(home.save("Before", SECRET).await.status, 0);
    let before = std::fs::read(home.dir.path().join("profiles.json")).unwrap();
    let mut writer = StdCommand::new(BIN)
        .args([
            "profile",
            "save",
            "During",
            "--username",
            "k3jd8f0aq2mz7xw@contoso.com",
            "--integration-code",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        ])
        .env("AUTOTASK_CONNECT_CONFIG_DIR", home.config())
        .env("AUTOTASK_SECRET", "during-secret-value")
        .env("AUTOTASK_CONNECT_TEST_PAUSE_BEFORE_RENAME_MS", "30000")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the new file is written and synced, then kill before the rename.
    let temp = loop {
        let found = std::fs::read_dir(home.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("profiles.json.tmp.")
            });
        if let Some(p) =
            found.filter(|p| std::fs::metadata(p).map(|m| m.len() > 0).unwrap_or(false))
        {
            break p;
        }
        assert!(writer.try_wait().unwrap().is_none(), "writer ended early");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    writer.kill().unwrap();
    writer.wait().unwrap();
    assert_eq!(
        std::fs::read(home.dir.path().join("profiles.json")).unwrap(),
        before,
        "old file intact"
    );
    assert!(temp.exists());
    let list = home.run(&["profile", "list", "--json"], None).await;
    assert_eq!(list.status, 0);
    let names: Vec<String> = list.json()["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["Before"]);
    assert_eq!(home.save("After", SECRET).await.status, 0);
    assert!(!temp.exists(), "the next writer removed the leftover");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_kills_never_leave_an_unreadable_config() {
    if reran_in_secret_service("random_kills_never_leave_an_unreadable_config") {
        return;
    }
    let home = Home::new();
    let mut confirmed: Vec<String> = Vec::new();
    for i in 0..50u64 {
        let name = format!("k{i:02}");
        let mut writer = StdCommand::new(BIN)
            .args([
                "profile",
                "save",
                &name,
                "--username",
                "k3jd8f0aq2mz7xw@contoso.com",
                "--integration-code",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
            ])
            .env("AUTOTASK_CONNECT_CONFIG_DIR", home.config())
            .env("AUTOTASK_SECRET", "kill-secret-value")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread kills over the whole save (start-up, keyring call, write, rename).
        let delay = (i * 7919) % 60;
        tokio::time::sleep(Duration::from_millis(delay)).await;
        let _ = writer.kill();
        let finished = writer.wait().unwrap().success();
        let list = home.run(&["profile", "list", "--json"], None).await;
        assert_eq!(
            list.status, 0,
            "after kill {i}: {}{}",
            list.stdout, list.stderr
        );
        let json = list.json();
        assert!(
            json["notice"].is_null(),
            "after kill {i} the file was unreadable: {json}"
        );
        let names: Vec<String> = json["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect();
        for c in &confirmed {
            assert!(names.contains(c), "{c} lost after kill {i}");
        }
        if finished {
            assert!(names.contains(&name));
        }
        confirmed = names;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_config_is_set_aside_and_reported() {
    if reran_in_secret_service("a_corrupted_config_is_set_aside_and_reported") {
        return;
    }
    let home = Home::new();
    assert_eq!(home.save("A", SECRET).await.status, 0);
    let path = home.dir.path().join("profiles.json");
    std::fs::write(&path, b"not json at all").unwrap();
    let text = home.run(&["profile", "list"], None).await;
    assert_eq!(text.status, 0);
    assert!(text.stderr.contains("kept as"), "{}", text.stderr);
    std::fs::write(&path, b"{\"format\":1,\"profiles\":{\"A\":{\"username\":").unwrap();
    let list = home.run(&["profile", "list", "--json"], None).await;
    assert_eq!(list.status, 0);
    let json = list.json();
    let aside = PathBuf::from(json["notice"]["set_aside"].as_str().unwrap());
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        b"{\"format\":1,\"profiles\":{\"A\":{\"username\":"
    );
    assert!(
        json["notice"]["message"]
            .as_str()
            .unwrap()
            .contains("could not be read")
    );
    assert_eq!(json["profiles"].as_array().unwrap().len(), 0);
    assert_eq!(home.save("B", SECRET).await.status, 0);
    assert!(aside.exists(), "never overwritten");
}

// ------------------------------------------------ broken credential stores

/// Runs `autotask-connect ARGS` under `sh -c SETUP; exec ...` in a fresh
/// private D-Bus session made by `dbus-run-session` with `config`.
fn in_session(setup: &str, session_config: Option<&Path>, args: &[&str], config_dir: &Path) -> Run {
    let base = tempfile::tempdir().unwrap();
    let run_dir = base.path().join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    std::fs::set_permissions(
        &run_dir,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let mut cmd = StdCommand::new("dbus-run-session");
    if let Some(c) = session_config {
        cmd.arg(format!("--config-file={}", c.display()));
    }
    let script = format!("{setup}\nexec \"$@\"");
    cmd.args(["--", "sh", "-c", &script, "sh", BIN])
        .args(args)
        .env("XDG_DATA_HOME", base.path().join("data"))
        .env("XDG_RUNTIME_DIR", &run_dir)
        .env("XDG_CACHE_HOME", base.path().join("cache"))
        .env("HOME", base.path())
        .env("AUTOTASK_CONNECT_CONFIG_DIR", config_dir)
        .env("AUTOTASK_SECRET", SECRET)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("_WSS_INNER");
    let out = cmd.output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `doctor` and `profile save` in a broken environment: both name the
/// problem, exit non-zero, and nothing is written anywhere.
fn assert_store_problem(run_doctor: impl Fn(&[&str], &Path) -> Run, kind: &str, words: &str) {
    let config = tempfile::tempdir().unwrap();
    let doctor = run_doctor(&["doctor", "--json"], config.path());
    assert_eq!(doctor.status, 1, "{}{}", doctor.stdout, doctor.stderr);
    let json: Value = serde_json::from_str(&doctor.stdout).unwrap();
    assert_eq!(json["ok"], false);
    // One vocabulary: the problem's kind is the error kind `profile save` exits with.
    assert_eq!(json["store"]["problem"]["kind"], kind);
    let message = json["store"]["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
    let text = run_doctor(&["doctor"], config.path());
    assert!(text.stdout.contains("NOT USABLE"), "{}", text.stdout);
    let save = run_doctor(
        &[
            "profile",
            "save",
            "A",
            "--json",
            "--username",
            "k3jd8f0aq2mz7xw@contoso.com",
            "--integration-code",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        ],
        config.path(),
    );
    assert_eq!(save.status, 1, "{}", save.stdout);
    let json: Value = serde_json::from_str(&save.stdout).unwrap();
    assert_eq!(json["error"]["kind"], kind);
    assert!(!json.to_string().contains(SECRET));
    assert!(
        !config.path().join("profiles.json").exists(),
        "no plain-text fallback, no half profile"
    );
}

#[test]
fn no_dbus_session_is_named() {
    assert_store_problem(
        |args, config| {
            let out = StdCommand::new(BIN)
                .args(args)
                .env_remove("DBUS_SESSION_BUS_ADDRESS")
                .env("XDG_RUNTIME_DIR", "/nonexistent-runtime-dir")
                .env("AUTOTASK_CONNECT_CONFIG_DIR", config)
                .env("AUTOTASK_SECRET", SECRET)
                .output()
                .unwrap();
            Run {
                status: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        },
        "store_no_session",
        "no D-Bus session",
    );
}

#[test]
fn a_session_without_a_secret_service_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services");
    std::fs::create_dir_all(&services).unwrap();
    let conf = dir.path().join("session.conf");
    std::fs::write(
        &conf,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>
<servicedir>{}</servicedir>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>"#,
            services.display()
        ),
    )
    .unwrap();
    assert_store_problem(
        |args, config| in_session("", Some(&conf), args, config),
        "store_no_provider",
        "No Secret Service provider",
    );
}

#[test]
fn a_keyring_without_a_default_collection_is_named() {
    assert_store_problem(
        |args, config| {
            in_session(
                "eval \"$(gnome-keyring-daemon --start --components=secrets)\"; sleep 0.3",
                None,
                args,
                config,
            )
        },
        "store_no_default_collection",
        "no default collection",
    );
}

#[test]
fn a_locked_keyring_is_named() {
    let setup = format!(
        "eval \"$(printf pw | gnome-keyring-daemon --unlock --components=secrets)\"; sleep 0.3; \
         AUTOTASK_CONNECT_CONFIG_DIR=$(mktemp -d) {BIN} doctor >/dev/null; \
         dbus-send --session --dest=org.freedesktop.secrets --type=method_call --print-reply \
           /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock \
           array:objpath:/org/freedesktop/secrets/collection/login >/dev/null"
    );
    assert_store_problem(
        |args, config| in_session(&setup, None, args, config),
        "store_locked",
        "is locked",
    );
}

#[test]
fn a_whole_home_holds_the_secret_in_no_file() {
    // Everything under one HOME: config, keyring files (password-protected),
    // caches. After save, show, check and rotate, no file holds the secret.
    let home = tempfile::tempdir().unwrap();
    let script = format!(
        "set -e; unset AUTOTASK_CONNECT_CONFIG_DIR; \
         {BIN} profile save Home --username k3jd8f0aq2mz7xw@contoso.com --integration-code ABCDEFGHIJKLMNOPQRSTUVWXYZ1 >/dev/null; \
         {BIN} profile show Home --json >/dev/null; {BIN} profile list >/dev/null; \
         test \"$(secret-tool lookup service autotask-connect username Home)\" = \"$AUTOTASK_SECRET\"; \
         test -f \"$HOME/.config/autotask-connect/profiles.json\""
    );
    let out = StdCommand::new(WITH_SECRET_SERVICE)
        .args(["sh", "-c", &script])
        .env("WSS_BASE", home.path())
        .env("HOME", home.path())
        .env("WSS_KEYRING_PASSWORD", "a-real-keyring-password")
        .env("AUTOTASK_SECRET", SECRET)
        .env_remove("_WSS_INNER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let files = files_under(home.path());
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().contains("keyrings")),
        "the keyring lives in this HOME: {files:?}"
    );
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !contains_bytes(&bytes, SECRET.as_bytes()),
            "secret found in {}",
            f.display()
        );
    }
}
