//! The leak audit: every CLI flow (check, save, show, list, check a profile,
//! status, exec, rotate, delete, doctor, failures and bad input) runs with a recognizable
//! secret; then stdout, stderr, the JSON, every file under HOME (config and
//! the password-protected keyring) and every process's arguments — sampled
//! while the flows ran — are scanned for it. Zero hits.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::{Run, cli};
use crate::support::*;

const CANARY: &str = "LEAK-canary-7Qz#x$~@Sec25";
const CANARY_NEW: &str = "LEAK-canary-NEW-8Rk*Sec25";

/// Samples every process's command line until stopped; returns what held a canary.
fn watch_arguments(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut hits = Vec::new();
        let mut samples = 0u64;
        while !stop.load(Ordering::Relaxed) {
            for e in std::fs::read_dir("/proc").unwrap().flatten() {
                if let Ok(cmdline) = std::fs::read(e.path().join("cmdline")) {
                    let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                    if text.contains("LEAK-canary") {
                        hits.push(text);
                    }
                }
            }
            samples += 1;
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(samples > 10, "the argument watcher barely ran");
        hits
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_flow_leaks_the_secret_anywhere() {
    // Its own private keyring with a real password, all under one HOME.
    if std::env::var_os("_WSS_INNER").is_none() {
        let home = tempfile::tempdir().unwrap();
        let text = run_in_secret_service(
            "leaks::no_flow_leaks_the_secret_anywhere",
            &[
                ("WSS_BASE", home.path().as_os_str()),
                ("WSS_KEYRING_PASSWORD", "a-real-keyring-password".as_ref()),
                ("LEAK_AUDIT_HOME", home.path().as_os_str()),
            ],
        );
        // The whole HOME after the session: config, keyring files, caches.
        for f in files_under(home.path()) {
            let bytes = std::fs::read(&f).unwrap_or_default();
            for canary in [CANARY, CANARY_NEW] {
                assert!(
                    !contains_bytes(&bytes, canary.as_bytes()),
                    "{canary} found in {}",
                    f.display()
                );
            }
        }
        assert!(
            !text.contains("LEAK-canary"),
            "the inner run printed a canary"
        );
        return;
    }
    let home = std::env::var("LEAK_AUDIT_HOME").unwrap();
    let env = env().await;
    env.sim
        .world(|w| w.user_mut(demo::USERNAME).secret = CANARY.into());
    let ca = tempfile::tempdir().unwrap();
    env.sim.write_ca(ca.path()).unwrap();
    let ca = ca
        .path()
        .join("autotask-simulator-ca.pem")
        .display()
        .to_string();
    let connect = env.sim.connect_to();
    let g = |args: &[&str]| -> Vec<String> {
        let mut v = vec![
            "--connect-to".to_string(),
            connect.clone(),
            "--ca-cert".into(),
            ca.clone(),
        ];
        v.extend(args.iter().map(|s| s.to_string()));
        v
    };
    let u = demo::USERNAME;
    let c = demo::INTEGRATION_CODE;
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_arguments(stop.clone());

    let mut runs: Vec<Run> = Vec::new();
    let run = |args: Vec<String>, secret: Option<&'static str>, stdin: Option<&'static str>| {
        let home = home.clone();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut e = vec![("HOME", home.as_str()), ("AUTOTASK_CONNECT_CONFIG_DIR", "")];
            if let Some(s) = secret {
                e.push(("AUTOTASK_SECRET", s));
            }
            cli(&args, &e, stdin).await
        }
    };
    // (arguments, AUTOTASK_SECRET, standard input, exit status)
    type Flow = (Vec<String>, Option<&'static str>, Option<&'static str>, i32);
    let flows: Vec<Flow> = vec![
        (
            g(&[
                "check",
                "--username",
                u,
                "--integration-code",
                c,
                "--zone",
                "ww5.autotask.net",
            ]),
            Some(CANARY),
            None,
            0,
        ),
        (
            g(&["check", "--json", "--username", u, "--integration-code", c]),
            Some(CANARY),
            None,
            0,
        ),
        (
            g(&[
                "check",
                "--json",
                "--secret-stdin",
                "--username",
                u,
                "--integration-code",
                c,
            ]),
            None,
            Some("LEAK-canary-7Qz#x$~@Sec25\n"),
            0,
        ),
        (
            g(&["check", "--json", "--username", u, "--integration-code", c]),
            Some(CANARY_NEW),
            None,
            1,
        ),
        (
            g(&[
                "check",
                "--json",
                "--username",
                "jane.smith@contoso.com",
                "--integration-code",
                c,
                "--person-login",
            ]),
            Some(CANARY),
            None,
            1,
        ),
        (
            g(&[
                "check",
                "--json",
                "--username",
                u,
                "--integration-code",
                "WRONGCODEWRONGCODEWRONGCODE",
            ]),
            Some(CANARY),
            None,
            1,
        ),
        (
            g(&[
                "check",
                "--json",
                "--username",
                u,
                "--integration-code",
                c,
                "--zone",
                "evil.example",
            ]),
            Some(CANARY),
            None,
            2,
        ),
        (
            g(&["check", "--json", "--username", "", "--integration-code", c]),
            Some(CANARY),
            None,
            2,
        ),
        (
            g(&[
                "profile",
                "save",
                "Leak",
                "--check",
                "--json",
                "--username",
                u,
                "--integration-code",
                c,
            ]),
            Some(CANARY),
            None,
            0,
        ),
        (g(&["profile", "show", "Leak", "--json"]), None, None, 0),
        (g(&["profile", "show", "Leak"]), None, None, 0),
        (g(&["profile", "list", "--json"]), None, None, 0),
        (g(&["profile", "list"]), None, None, 0),
        (g(&["profile", "check", "Leak", "--json"]), None, None, 0),
        (g(&["profile", "check", "Leak"]), None, None, 0),
        (g(&["status", "--json"]), None, None, 0),
        (g(&["status", "--check", "--json"]), None, None, 0),
        (g(&["status", "--check"]), None, None, 0),
        (g(&["exec", "Leak", "--", "true"]), None, None, 0),
        (
            g(&["exec", "Leak", "--", "sh", "-c", "exit 3"]),
            None,
            None,
            3,
        ),
        (g(&["exec", "Nobody", "--", "env"]), None, None, 2),
        (
            g(&["profile", "rotate", "Leak", "--json"]),
            Some(CANARY_NEW),
            None,
            1,
        ),
        (
            g(&["profile", "rename", "Leak", "Leak2", "--json"]),
            None,
            None,
            0,
        ),
        (g(&["doctor", "--json"]), None, None, 0),
        (g(&["profile", "delete", "Leak2", "--json"]), None, None, 0),
        // Vendors: the bound check, its profile, and the hand-offs.
        (
            g(&[
                "check",
                "--json",
                "--vendor",
                "cloud-depot",
                "--username",
                u,
            ]),
            Some(CANARY),
            None,
            0,
        ),
        (
            g(&["check", "--vendor", "cloud-depot", "--username", u]),
            Some(CANARY),
            None,
            0,
        ),
        (
            g(&[
                "check",
                "--json",
                "--vendor",
                "cloud-depot",
                "--username",
                u,
                "--integration-code",
                c,
            ]),
            Some(CANARY),
            None,
            2,
        ),
        (
            g(&[
                "profile",
                "save",
                "LeakVendor",
                "--check",
                "--json",
                "--vendor",
                "proxuma",
                "--username",
                u,
            ]),
            Some(CANARY),
            None,
            0,
        ),
        (
            g(&["handoff", "LeakVendor", "--json"]),
            Some(CANARY),
            None,
            0,
        ),
        (g(&["handoff", "LeakVendor"]), Some(CANARY), None, 0),
        (
            g(&["profile", "rotate", "LeakVendor"]),
            Some(CANARY_NEW),
            None,
            0,
        ),
        (
            g(&[
                "handoff",
                "--username",
                u,
                "--vendor",
                "cyrisma",
                "--integration-code",
                c,
            ]),
            Some(CANARY),
            None,
            0,
        ),
        (
            g(&["profile", "delete", "LeakVendor", "--json"]),
            None,
            None,
            0,
        ),
    ];
    for (args, secret, stdin, status) in flows {
        let r = run(args.clone(), secret, stdin).await;
        assert_eq!(r.status, status, "{args:?}: {}{}", r.stdout, r.stderr);
        runs.push(r);
    }
    // A rotation that succeeds: the tenant's secret changed in Autotask.
    run(
        g(&[
            "profile",
            "save",
            "Leak3",
            "--json",
            "--username",
            u,
            "--integration-code",
            c,
        ]),
        Some(CANARY),
        None,
    )
    .await;
    // exec: the child has the secret; its parent (the CLI) holds it in
    // neither its environment nor its arguments. The child prints both of
    // its parent's, and a digest of its own secret, for the scans below.
    let digest = |secret: &str| {
        let out = std::process::Command::new("sh")
            .args(["-c", "printf %s \"$S\" | sha256sum"])
            .env("S", secret)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let exec = run(
        g(&[
            "exec",
            "Leak3",
            "--",
            "sh",
            "-c",
            "printf %s \"$AUTOTASK_SECRET\" | sha256sum; \
             tr '\\0' '\\n' < /proc/$PPID/environ 2>/dev/null || echo environ-unreadable; \
             tr '\\0' ' ' < /proc/$PPID/cmdline",
        ]),
        None,
        None,
    )
    .await;
    assert_eq!(exec.status, 0, "{}", exec.stderr);
    assert!(exec.stdout.starts_with(&digest(CANARY)), "{}", exec.stdout);
    // The CLI makes itself undumpable (core_dumps.rs), which also closes its
    // environ to non-root processes: unreadable is as good as clean.
    assert!(
        (exec.stdout.contains("\nHOME=") || exec.stdout.contains("environ-unreadable"))
            && exec.stdout.contains(" exec Leak3 -- sh -c "),
        "the parent's environment and arguments were read: {}",
        exec.stdout
    );
    runs.push(exec);
    // The window's "Use in a script" snippets for this profile.
    let profiles = autotask_connect::profile::Profiles::new(
        autotask_connect::store::config::Config::at(
            std::path::Path::new(&home).join(".config/autotask-connect"),
        ),
        autotask_connect::store::keyring::Keyring::native(),
    );
    let view = profiles.show("Leak3").unwrap();
    assert_eq!(view.has_secret, Some(true));
    let snippets = serde_json::to_string(&autotask_connect::view::Snippets::from(
        &autotask_connect::script::profile_snippets(&view),
    ))
    .unwrap();
    assert!(snippets.contains("exec Leak3 --") || snippets.contains("\"Leak3\""));
    assert!(!snippets.contains("LEAK-canary"), "{snippets}");
    // profile secret: the one flow whose output is the secret, exactly.
    let secret = run(g(&["profile", "secret", "Leak3"]), None, None).await;
    assert_eq!((secret.status, secret.stdout.as_str()), (0, CANARY));
    assert_eq!(secret.stderr, "");

    env.sim
        .world(|w| w.user_mut(demo::USERNAME).secret = CANARY_NEW.into());
    let rotated = run(
        g(&["profile", "rotate", "Leak3", "--json"]),
        Some(CANARY_NEW),
        None,
    )
    .await;
    assert_eq!(rotated.status, 0, "{}", rotated.stdout);
    runs.push(rotated);
    runs.push(run(g(&["profile", "delete", "Leak3", "--json"]), None, None).await);

    stop.store(true, Ordering::Relaxed);
    let argument_hits = watcher.join().unwrap();
    assert!(
        argument_hits.is_empty(),
        "a secret appeared in process arguments: {argument_hits:?}"
    );
    for (i, r) in runs.iter().enumerate() {
        for canary in [CANARY, CANARY_NEW, "LEAK-canary"] {
            assert!(!r.stdout.contains(canary), "run {i} stdout: {}", r.stdout);
            assert!(!r.stderr.contains(canary), "run {i} stderr: {}", r.stderr);
        }
    }
    // The canary did reach Autotask (the audit is not vacuous).
    assert!(carrying(&env.sim, CANARY) >= 5);
}

/// The app's demo tenant keeps what it must for its banner and nothing a
/// technician typed in a header: the latest few requests, header names
/// without values.
#[tokio::test]
async fn the_demo_tenants_log_is_bounded_and_holds_no_header_value() {
    let sim = autotask_simulator::Simulator::start_private(3)
        .await
        .unwrap();
    let transport = transport_to(&sim, std::time::Duration::from_secs(10));
    let typed = "Typed*Secret#2026~qwertyu";
    for _ in 0..3 {
        run_check(
            &transport,
            Ask::demo(autotask_simulator::demo::USERNAME).secret(typed),
        )
        .await;
    }
    let log = sim.requests();
    assert_eq!(log.len(), 3, "bounded to the latest 3");
    for r in &log {
        assert!(!r.carries(typed), "{r:?}");
        assert!(r.headers.iter().all(|(_, v)| v.is_empty()), "{r:?}");
    }
    // The names stay: the log still shows which requests carried a secret.
    assert!(
        log.iter().any(|r| r.header("Secret") == Some("")),
        "{log:?}"
    );
}
