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

