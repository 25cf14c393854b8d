//! The app as installed from the `.deb`: `scripts/test-package` installs it and
//! runs these tests with `E2E_APP` naming the installed binary. They are
//! ignored in the normal E2E run, which drives the debug build (whose test
//! hooks are the point of it).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use autotask_connect_e2e::*;
use thirtyfour::prelude::*;

/// A local listener that counts every connection made to it.
async fn listener() -> (u16, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((socket, _)) = l.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (port, seen)
}

/// Every test hook a debug build reads, set as an attacker who controls the
/// environment would: routing and trust to a local listener, a demo tenant,
/// a ready file that would overwrite one of the technician's files, and a
/// shorter clipboard delay.
#[tokio::test]
#[ignore = "run by scripts/test-package against the installed .deb (E2E_APP)"]
async fn the_installed_app_ignores_every_test_hook() {
    let app_path = std::env::var_os("E2E_APP").expect("E2E_APP: the installed app's binary");
    let (port, seen) = listener().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("interceptor-ca.pem");
    std::fs::write(
        &ca,
        autotask_simulator::tls::Authority::generate()
            .unwrap()
            .ca_pem,
    )
    .unwrap();
    let ready = dir.path().join("notes.txt");
    std::fs::write(&ready, "a file of yours\n").unwrap();
    let config = tempfile::tempdir().unwrap();
    let env: Vec<(String, String)> = vec![
        (
            "AUTOTASK_CONNECT_CONNECT_TO".into(),
            format!("::127.0.0.1:{port}"),
        ),
        ("AUTOTASK_CONNECT_CA_CERT".into(), ca.display().to_string()),
        (
            "AUTOTASK_CONNECT_DEMO".into(),
            serde_json::json!({
                "zone": "https://ww5.autotask.net/",
                "username": demo::USERNAME,
                "secret": demo::SECRET,
                "integration_code": demo::INTEGRATION_CODE,
            })
            .to_string(),
        ),
        (
            "AUTOTASK_CONNECT_READY_FILE".into(),
            ready.display().to_string(),
        ),
        (
            "AUTOTASK_CONNECT_CLIPBOARD_CLEAR_SECONDS".into(),
            "1".into(),
        ),
        (
            "AUTOTASK_CONNECT_CONFIG_DIR".into(),
            config.path().display().to_string(),
        ),
        ("WEBKIT_DISABLE_DMABUF_RENDERER".into(), "1".into()),
    ];
    let app = App::launch_binary(
        "installed-hooks",
        std::path::Path::new(&app_path),
        &env,
        "#ladder li",
    )
    .await;
    // No banner: neither routed nor a demo from the environment.
    let banner = app.driver.find(By::Id("demo-banner")).await.unwrap();
    assert!(
        !banner.is_displayed().await.unwrap(),
        "a routing or demo banner is shown"
    );
    assert_eq!(
        app.field(USER).await.value().await.unwrap().as_deref(),
        Some("")
    );
    fill(
        &app,
        "https://ww5.autotask.net/",
        demo::USERNAME,
        demo::SECRET,
        demo::INTEGRATION_CODE,
    )
    .await;
    test_connection(&app).await;
    let (status, finding) = app.rung("network").await;
    app.screenshot("real-hosts-only").await;
    // The network step names the real Autotask host (zone 5, as entered)
    // and nothing else: here, with no route out, "DNS: this computer could
    // not look up webservices5.autotask.net"; with one, a plain "Reached …"
    // that trusts no extra CA and connects nowhere instead. The listener
    // saw nothing.
    assert!(
        finding.contains("webservices5.autotask.net"),
        "{status}: {finding}"
    );
    for routed in ["127.0.0.1", "instead", "extra CA"] {
        assert!(!finding.contains(routed), "{status}: {finding}");
    }
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "the local listener was reached"
    );
    assert_eq!(
        std::fs::read_to_string(&ready).unwrap(),
        "a file of yours\n",
        "the ready file was written"
    );
    app.quit().await;
}

/// Runs a shell command as root: directly when this test is root (CI on
/// this machine), else through passwordless sudo (GitHub's runners), as
/// scripts/test-package installs packages.
fn as_root(command: &str) {
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let status = if root {
        std::process::Command::new("sh")
            .args(["-c", command])
            .status()
    } else {
        std::process::Command::new("sudo")
            .args(["-n", "sh", "-c", command])
            .status()
    };
    assert!(status.unwrap().success(), "as root: {command}");
}

/// The release manifest the shipped CLI names (`autotask_connect::updates`).
fn autotask_connect_updates_endpoint() -> &'static str {
    "https://github.com/autotask-connect/autotask-connect/releases/latest/download/latest.json"
}

/// `sha256sum` of a file, as dpkg and a technician would compare it.
fn sha256(path: &std::path::Path) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "sha256sum {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn installed_version() -> String {
    let out = std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "autotask-connect"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A window of the app whose process is not `old`, once one is mapped:
/// (window, process).
async fn new_window_not_of(old: u32) -> (String, u32) {
    let started = std::time::Instant::now();
    loop {
        let out = std::process::Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "^Autotask Connect$"])
            .output()
            .unwrap();
        for id in String::from_utf8_lossy(&out.stdout).lines() {
            let pid = std::process::Command::new("xdotool")
                .args(["getwindowpid", id.trim()])
                .output()
                .unwrap();
            if let Ok(pid) = String::from_utf8_lossy(&pid.stdout).trim().parse::<u32>()
                && pid != old
            {
                return (id.trim().to_string(), pid);
            }
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "no new version's window appeared"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Waits until `window` shows a painted page (a blank window has one
/// colour; the form has many), saving it as `shot`.
async fn painted(window: &str, shot: &std::path::Path) {
    let started = std::time::Instant::now();
    loop {
        let colours = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "import -window {window} '{}' && convert '{}' -format %k info:",
                shot.display(),
                shot.display()
            ))
            .output()
            .unwrap();
        let n: u32 = String::from_utf8_lossy(&colours.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        if n > 50 {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the new version's page was never painted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Clicks Install, confirms in the dialog (whose default is Not now), and
/// waits for what the banner then says.
async fn install(app: &App, expect: &str) -> String {
    // The banner's last message is cleared, so what is read is this click's.
    app.driver
        .execute(
            "document.getElementById('update-status').textContent = '';",
            vec![],
        )
        .await
        .unwrap();
    app.click("Install and restart…").await;
    app.wait_text(By::Id("dialog-title"), "Install Autotask Connect")
        .await;
    let default = app.driver.active_element().await.unwrap();
    assert_eq!(
        default.text().await.unwrap(),
        "Not now",
        "the safe answer is the default"
    );
    app.confirm_dialog().await;
    app.wait_text(By::Id("update-status"), expect).await
}

/// The installed test release N offers N+1 (scripts/test-update serves it on
/// loopback); a tampered package and a signature by another key are refused
/// with a clear message and nothing changes; the real one installs on the
/// technician's click and the new version runs, profiles and secrets kept.
#[tokio::test]
#[ignore = "run by scripts/test-update against an installed test release"]
async fn an_update_is_offered_refused_when_tampered_and_installed_on_a_click() {
    let app_path = std::path::PathBuf::from(std::env::var_os("E2E_APP").expect("E2E_APP"));
    let dir = std::path::PathBuf::from(std::env::var_os("E2E_UPDATE_DIR").expect("E2E_UPDATE_DIR"));
    let from = std::env::var("E2E_UPDATE_FROM").unwrap();
    let to = std::env::var("E2E_UPDATE_TO").unwrap();
    let www = dir.join("www");
    let deb = std::fs::read_dir(&www)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("the new version's .deb");
    let good_deb = std::fs::read(&deb).unwrap();
    let manifest = www.join("latest.json");
    let good_manifest = std::fs::read_to_string(&manifest).unwrap();

    // A saved profile and its secret, from before: the update must keep both.
    let config = tempfile::tempdir().unwrap();
    let saved = std::process::Command::new("/usr/bin/autotask-connect")
        .args([
            "profile",
            "save",
            "Kept",
            "--username",
            "k3jd8f0aq2mz7xw@contoso.com",
            "--integration-code",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
            "--zone",
            "ww5.autotask.net",
        ])
        .env("AUTOTASK_CONNECT_CONFIG_DIR", config.path())
        .env("AUTOTASK_SECRET", "Kept*Across#Update~1234$abcd")
        .output()
        .unwrap();
    assert!(saved.status.success(), "{saved:?}");
    let profiles = config.path().join("profiles.json");
    let profiles_before = std::fs::read(&profiles).unwrap();
    assert_eq!(
        secret_tool("Kept").as_deref(),
        Some("Kept*Across#Update~1234$abcd")
    );
    let binary_before = sha256(&app_path);
    assert_eq!(installed_version(), from);

    let env = vec![
        (
            "AUTOTASK_CONNECT_CONFIG_DIR".to_string(),
            config.path().display().to_string(),
        ),
        ("WEBKIT_DISABLE_DMABUF_RENDERER".into(), "1".into()),
    ];
    // An administrator's policy turns updates off: no offer, and doctor says
    // which setting did it. (This test runs as root, as the package test.)
    let policy = std::path::Path::new("/etc/autotask-connect/policy.json");
    // Refused where an administrator's setting is already there.
    assert!(
        !policy.exists(),
        "{} exists: this test would replace an administrator's setting",
        policy.display()
    );
    as_root(&format!(
        "mkdir -p /etc/autotask-connect && printf '%s' '{{\"updates\": false}}' > {}",
        policy.display()
    ));
    let doctor = |expect_on: bool| {
        let out = std::process::Command::new("/usr/bin/autotask-connect")
            .args(["doctor", "--json"])
            .env("AUTOTASK_CONNECT_CONFIG_DIR", config.path())
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["updates"]["enabled"], expect_on, "{doc}");
        doc["updates"].clone()
    };
    let off = doctor(false);
    assert_eq!(off["turned_off_by"], "/etc/autotask-connect/policy.json");
    assert_eq!(
        off["message"],
        "off: turned off by your administrator (/etc/autotask-connect/policy.json)"
    );
    let app = App::launch_binary("update", &app_path, &env, "#ladder li").await;
    let asked = app
        .driver
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke('check_update').then(done, (e) => done({ error: e }));",
            vec![],
        )
        .await
        .unwrap();
    let asked = asked.json();
    assert_eq!(asked["state"], "off", "{asked}");
    assert!(
        asked["message"]
            .as_str()
            .unwrap()
            .contains("/etc/autotask-connect/policy.json"),
        "{asked}"
    );
    assert!(
        !app.driver
            .find(By::Id("update-banner"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "an update was offered although the administrator turned updates off"
    );
    app.screenshot("00-turned-off").await;
    // Back on: the page asks again when it loads.
    as_root(&format!(
        "rm {} && rmdir --ignore-fail-on-non-empty /etc/autotask-connect",
        policy.display()
    ));
    let on = doctor(true);
    assert_eq!(on["from"], autotask_connect_updates_endpoint());
    app.driver.refresh().await.unwrap();
    let offer = app
        .wait_text(
            By::Id("update-text"),
            &format!("Autotask Connect {to} is available"),
        )
        .await;
    assert!(offer.contains(&format!("(this is {from})")), "{offer}");
    app.screenshot("01-offered").await;
    let unchanged = |what: &str| {
        assert_eq!(installed_version(), from, "{what}: the package changed");
        assert_eq!(sha256(&app_path), binary_before, "{what}: the app changed");
    };

    // A package altered on the way: refused, nothing installed.
    let mut tampered = good_deb.clone();
    tampered.push(b'x');
    std::fs::write(&deb, &tampered).unwrap();
    let said = install(&app, "refused").await;
    assert!(
        said.starts_with(
            "The update was refused: its signature does not match Autotask Connect's update key"
        ),
        "{said}"
    );
    assert!(
        said.contains("Nothing was installed; this version keeps running."),
        "{said}"
    );
    app.screenshot("02-tampered-package").await;
    unchanged("tampered package");
    std::fs::write(&deb, &good_deb).unwrap();

    // The real package with a signature by another key: refused too.
    let other = std::fs::read_to_string(dir.join("other.sig")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&good_manifest).unwrap();
    for entry in doc["platforms"].as_object_mut().unwrap().values_mut() {
        entry["signature"] = other.trim().into();
    }
    std::fs::write(&manifest, doc.to_string()).unwrap();
    let said = install(&app, "refused").await;
    assert!(
        said.starts_with(
            "The update was refused: its signature does not match Autotask Connect's update key"
        ),
        "{said}"
    );
    unchanged("another key's signature");
    std::fs::write(&manifest, &good_manifest).unwrap();

    // The real update, on the technician's click: installed, and the new
    // version is what runs.
    let (_, old_pid) = app_window();
    let clicked = std::time::Instant::now();
    app.click("Install and restart…").await;
    app.wait_text(By::Id("dialog-title"), "Install Autotask Connect")
        .await;
    app.confirm_dialog().await;
    let (window, new_pid) = new_window_not_of(old_pid).await;
    painted(&window, &output_dir().join("update-03-new-version.png")).await;
    let took = clicked.elapsed();
    println!("UPDATE-TIME {} ms", took.as_millis());
    assert_eq!(installed_version(), to);
    let running = std::path::PathBuf::from(format!("/proc/{new_pid}/exe"));
    assert_eq!(
        sha256(&running),
        sha256(&app_path),
        "the new process is not the installed binary"
    );
    assert_ne!(
        sha256(&app_path),
        binary_before,
        "the binary did not change"
    );
    assert_eq!(
        std::fs::read(&profiles).unwrap(),
        profiles_before,
        "profiles.json changed"
    );
    assert_eq!(
        secret_tool("Kept").as_deref(),
        Some("Kept*Across#Update~1234$abcd"),
        "the secret changed"
    );
    // The new version was started by the old one, not by this test's driver:
    // end it by its id.
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &new_pid.to_string()])
        .status();
    drop(app);
}
