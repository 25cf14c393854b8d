//! "Who will use this API user?" in the real window: a vendor-bound user is
//! checked without its secret leaving the app, and the hand-off's Copy
//! buttons put each value on the X clipboard in that vendor's format; a
//! copied secret is cleared later unless something else was copied since.
//! Run with `scripts/e2e` (one window at a time).

use std::process::Command;
use std::time::Duration;

use autotask_connect_e2e::*;
use thirtyfour::prelude::*;

/// The clearing delay the debug build is started with.
const CLEAR_SECONDS: u64 = 3;

fn env(tenant: &Tenant) -> Vec<(String, String)> {
    let mut env = tenant.env();
    env.push((
        "AUTOTASK_CONNECT_CLIPBOARD_CLEAR_SECONDS".into(),
        CLEAR_SECONDS.to_string(),
    ));
    env
}

/// Requests that carried a `Secret` or `ApiIntegrationCode` header.
fn authenticated_requests(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.header("Secret").is_some() || r.header("ApiIntegrationCode").is_some())
        .count()
}

fn labels(rows: &[(String, String)]) -> Vec<&str> {
    rows.iter().map(|(l, _)| l.as_str()).collect()
}

/// Copies a plain value and checks the clipboard holds exactly `expected`.
async fn copy_plain(app: &App, label: &str, expected: &str) {
    let said = app.copy(label).await;
    assert_eq!(said, "Copied.", "{label}");
    assert_eq!(clipboard().as_deref(), Some(expected), "{label}");
}

/// Copies the secret: exact on the clipboard, marked for clipboard managers.
async fn copy_secret(app: &App, label: &str) {
    let said = app.copy(label).await;
    assert_eq!(
        said,
        format!(
            "Copied. The clipboard will be cleared in {CLEAR_SECONDS} seconds if it still holds \
             the secret."
        )
    );
    assert_eq!(clipboard().as_deref(), Some(demo::SECRET), "{label}");
    let targets = clipboard_target(Some("TARGETS")).unwrap_or_default();
    assert!(
        targets.contains("x-kde-passwordManagerHint"),
        "not marked sensitive: {targets}"
    );
}

/// Everything the hand-off panel holds (it is built from what Rust sent).
async fn handoff_text(app: &App) -> String {
    app.driver
        .find(By::Id("handoff"))
        .await
        .unwrap()
        .prop("outerHTML")
        .await
        .unwrap()
        .unwrap_or_default()
}

fn wait_past_the_delay() -> Duration {
    Duration::from_secs(CLEAR_SECONDS) + Duration::from_millis(1500)
}

/// The measured flow: launch, choose Cloud Depot, paste username and
/// secret, test, copy both values. Every technician action is counted.
#[tokio::test]
async fn cloud_depot_without_a_code_from_launch_to_every_value_copied() {
    let tenant = Tenant::new().await;
    let app = App::launch("cloud-depot", &env(&tenant)).await;
    // Technician actions: clicks, pastes and keys, counted as performed.
    let mut actions = 0;

    // Open the choice and pick Cloud Depot: two clicks.
    app.choose(WHO, "Cloud Depot").await;
    actions += 2;
    let code = app.field(CODE).await;
    assert!(
        !code.is_displayed().await.unwrap(),
        "the integration code field is hidden for a vendor-bound user"
    );
    let guide = app
        .driver
        .find(By::Id("guide-steps"))
        .await
        .unwrap()
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(guide.contains("Integration Vendors list"), "{guide}");
    assert!(guide.contains("up to 5 minutes"), "{guide}");

    // Click into each field and paste: two actions each.
    app.type_into(USER, demo::USERNAME).await;
    actions += 2;
    app.type_into(SECRET, demo::SECRET).await;
    actions += 2;
    app.screenshot("01-filled").await;

    app.click("Test connection").await;
    actions += 1;
    let verdict = app.wait_verdict().await;
    assert_eq!(
        verdict,
        "Username and zone confirmed. The secret was not tested here: Cloud Depot's own test \
         verifies it."
    );
    assert_eq!(app.rung("network").await.0, "passed");
    assert_eq!(app.rung("zone").await.0, "passed");
    let (status, finding) = app.rung("authentication").await;
    assert_eq!(status, "skipped");
    assert!(finding.starts_with("Not tested here: "), "{finding}");
    assert!(
        finding.ends_with("Cloud Depot's own test verifies it."),
        "{finding}"
    );
    for id in ["tenant", "permissions", "usage"] {
        let (status, finding) = app.rung(id).await;
        assert_eq!(status, "skipped", "{id}");
        assert!(finding.starts_with("Not tested here: "), "{id}: {finding}");
    }
    // Zone and tenant identity, from Autotask's zone look-up.
    let outcome = app
        .wait_text(By::Id("outcome"), "Demo Zone (simulated)")
        .await;
    assert!(outcome.contains("https://ww5.autotask.net/"), "{outcome}");
    assert!(outcome.contains("30595"), "{outcome}");
    assert_eq!(
        authenticated_requests(&tenant.sim),
        0,
        "a request carried the secret or an integration code"
    );
    assert_eq!(tenant.sim.requests().len(), 1, "zoneInformation only");

    app.wait_text(By::Id("handoff-title"), "Enter these in Cloud Depot")
        .await;
    let rows = app.handoff_rows().await;
    assert_eq!(
        rows,
        [
            ("Username (Key)".to_string(), demo::USERNAME.to_string()),
            (
                "Password (Secret)".to_string(),
                "•••••••• (not shown)".to_string()
            ),
        ]
    );
    app.screenshot("02-handoff").await;
    copy_plain(&app, "Username (Key)", demo::USERNAME).await;
    actions += 1;
    copy_secret(&app, "Password (Secret)").await;
    actions += 1;
    // Into Cloud Depot's own form: click its field and paste, per value.
    let in_vendor_form = 2 * rows.len();
    println!(
        "ACTIONS cloud-depot: {actions} in Autotask Connect + {in_vendor_form} in Cloud Depot's form = {}",
        actions + in_vendor_form
    );
    assert_eq!(actions, 9);

    // The secret is cleared after the delay...
    tokio::time::sleep(wait_past_the_delay()).await;
    assert_ne!(clipboard().as_deref(), Some(demo::SECRET), "still there");
    // ...but what someone copied in between is left alone.
    copy_secret(&app, "Password (Secret)").await;
    set_clipboard("a note copied from another program");
    tokio::time::sleep(wait_past_the_delay()).await;
    assert_eq!(
        clipboard().as_deref(),
        Some("a note copied from another program")
    );
    assert!(
        !handoff_text(&app).await.contains(demo::SECRET),
        "the secret reached the hand-off"
    );

    // Another choice after the check: the hand-off is gone until the next test.
    app.choose(WHO, "Proxuma").await;
    assert!(
        !app.driver
            .find(By::Id("handoff"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    app.click("Test connection").await;
    app.wait_verdict().await;
    app.wait_text(By::Id("handoff-title"), "Enter these in Proxuma")
        .await;
    assert_eq!(labels(&app.handoff_rows().await), ["Client ID", "Secret"]);
    assert_eq!(authenticated_requests(&tenant.sim), 0);

    // Saved, the profile records Cloud Depot and copies its secret from the store.
    app.choose(WHO, "Cloud Depot").await;
    app.click("Test connection").await;
    app.wait_verdict().await;
    let name = app.field("Profile name").await;
    // Suggested from whose and what for (no company name: nothing signed in).
    assert_eq!(
        name.value().await.unwrap().as_deref(),
        Some("demo-msp.example – Cloud Depot")
    );
    name.clear().await.unwrap();
    name.send_keys("Depot E2E").await.unwrap();
    app.click("Save profile").await;
    app.wait_text(By::Id("save-status"), "Saved “Depot E2E”")
        .await;
    let profiles = app.wait_text(By::Id("profiles"), "Cloud Depot · ").await;
    assert!(
        profiles.contains("zone confirmed, secret not tested"),
        "{profiles}"
    );
    assert_eq!(secret_tool("Depot E2E").as_deref(), Some(demo::SECRET));
    // The form forgot the secret: the hand-off now copies the saved one.
    app.wait_text(By::Id("handoff-note"), "From the saved profile “Depot E2E”")
        .await;
    copy_secret(&app, "Password (Secret)").await;
    // A saved profile's own "Copy values" brings it back after it is gone.
    app.choose(WHO, "Proxuma").await;
    assert!(
        !app.driver
            .find(By::Id("handoff"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    set_clipboard("something else");
    app.click("Copy values").await;
    app.wait_text(By::Id("handoff-title"), "Enter these in Cloud Depot")
        .await;
    app.wait_text(By::Id("handoff-note"), "From the saved profile “Depot E2E”")
        .await;
    copy_plain(&app, "Username (Key)", demo::USERNAME).await;
    copy_secret(&app, "Password (Secret)").await;
    app.screenshot("03-profile-handoff").await;
    // No script snippet for a vendor-bound profile (it would sign in with
    // an empty integration code every time): the reason instead.
    app.click("Use in a script").await;
    let why = app
        .wait_text(
            By::Id("script-unavailable"),
            "No script can use this profile",
        )
        .await;
    assert!(why.contains("Cloud Depot's own integration code"), "{why}");
    for hidden in ["script-code", "script-tabs", "script-copy"] {
        assert!(
            !app.driver
                .find(By::Id(hidden))
                .await
                .unwrap()
                .is_displayed()
                .await
                .unwrap(),
            "{hidden} is shown"
        );
    }
    app.screenshot("04-no-snippets-for-a-bound-profile").await;
    app.click("Close").await;
    assert_eq!(authenticated_requests(&tenant.sim), 0);
    assert!(!app.page_contents().await.contains(demo::SECRET));
    app.quit().await;
}

/// Support Fusion, Cyrisma and the Connect UI: every value in that vendor's
/// format on the clipboard.
#[tokio::test]
async fn each_vendor_gets_every_value_in_its_format() {
    let tenant = Tenant::new().await;
    let app = App::launch("vendors", &env(&tenant)).await;
    // (option, code or "", [(label, clipboard value or None for the secret)])
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, Option<&'a str>)>);
    let cases: Vec<Case> = vec![
        (
            "Support Fusion",
            "",
            vec![
                ("API URL", Some("https://webservices5.autotask.net/")),
                ("API Username", Some(demo::USERNAME)),
                ("API Secret", None),
            ],
        ),
        (
            "Cyrisma",
            demo::INTEGRATION_CODE,
            vec![
                ("Domain", Some("https://webservices5.autotask.net")),
                ("API Username", Some(demo::USERNAME)),
                ("Secret", None),
                ("API Integration Code", Some(demo::INTEGRATION_CODE)),
            ],
        ),
        (
            "Connect UI (Nango)",
            demo::INTEGRATION_CODE,
            vec![
                ("API Zone", Some("webservices5")),
                ("API Integration Code", Some(demo::INTEGRATION_CODE)),
                ("API Username", Some(demo::USERNAME)),
                ("API Secret", None),
            ],
        ),
    ];
    for (vendor, code, expected) in cases {
        tenant.sim.clear_requests();
        app.choose(WHO, vendor).await;
        let code_field = app.field(CODE).await;
        assert_eq!(
            code_field.is_displayed().await.unwrap(),
            !code.is_empty(),
            "{vendor}: the code field is shown exactly when the form asks for a code"
        );
        app.type_into(URL, "https://ww5.autotask.net/").await;
        app.type_into(USER, demo::USERNAME).await;
        app.type_into(SECRET, demo::SECRET).await;
        if !code.is_empty() {
            app.type_into(CODE, code).await;
        }
        app.click("Test connection").await;
        let verdict = app.wait_verdict().await;
        if code.is_empty() {
            assert!(
                verdict.starts_with("Username and zone confirmed."),
                "{vendor}: {verdict}"
            );
            assert_eq!(authenticated_requests(&tenant.sim), 0, "{vendor}");
        } else {
            // A vendor that takes a code gets the whole ladder.
            assert_eq!(verdict, "Connection works.", "{vendor}");
            assert_eq!(app.rung("authentication").await.0, "passed", "{vendor}");
        }
        app.wait_text(By::Id("handoff-title"), &format!("Enter these in {vendor}"))
            .await;
        let rows = app.handoff_rows().await;
        assert_eq!(
            labels(&rows),
            expected.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            "{vendor}"
        );
        for (label, value) in &expected {
            match value {
                Some(v) => copy_plain(&app, label, v).await,
                None => copy_secret(&app, label).await,
            }
        }
        app.screenshot(&vendor.replace(' ', "-").to_lowercase())
            .await;
    }
    // Your own integration keeps today's ladder, with the generic hand-off.
    app.choose(WHO, "My own integration or script").await;
    app.type_into(CODE, demo::INTEGRATION_CODE).await;
    app.click("Test connection").await;
    assert_eq!(app.wait_verdict().await, "Connection works.");
    app.wait_text(By::Id("handoff-title"), "Enter these in your integration")
        .await;
    assert_eq!(
        app.handoff_rows().await,
        [
            (
                "API URL".to_string(),
                "https://webservices5.autotask.net/ATServicesRest/V1.0/".to_string()
            ),
            (
                "Zone host".to_string(),
                "webservices5.autotask.net".to_string()
            ),
            ("API username (key)".to_string(), demo::USERNAME.to_string()),
            ("API secret".to_string(), "•••••••• (not shown)".to_string()),
            (
                "API integration code (tracking identifier)".to_string(),
                demo::INTEGRATION_CODE.to_string()
            ),
        ]
    );
    copy_secret(&app, "API secret").await;
    // Typing in a field after the check: the hand-off goes until the next test.
    app.type_into(USER, "k3jd8f0aq2mz7xw@other.example").await;
    assert!(
        !app.driver
            .find(By::Id("handoff"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    assert!(!handoff_text(&app).await.contains(demo::SECRET));
    app.quit().await;
}

/// A vendor-bound set-up (Proxuma): the guide shows the wait, the lines of
/// business and the existing-user flow; after the test the hand-off lists
/// the recipe as a checklist nothing here tested, and the support report
/// carries it.
#[tokio::test]
async fn a_proxuma_set_up_shows_its_checklist() {
    let tenant = Tenant::new().await;
    let app = App::launch("proxuma-checklist", &env(&tenant)).await;
    app.choose(WHO, "Proxuma").await;
    let text = |id: &'static str| {
        let app = &app;
        async move {
            app.driver
                .find(By::Id(id))
                .await
                .unwrap()
                .prop("textContent")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    let guide = text("guide").await;
    for expected in [
        "Lines of business: Choose the lines of business Proxuma should see.",
        "A new API user can take up to 5 minutes before Autotask accepts it.",
        "Use an API user you already have",
        "give Proxuma a new API user instead",
    ] {
        assert!(
            guide.contains(expected),
            "{expected:?} missing from the guide"
        );
    }
    assert!(
        text("vendor-note")
            .await
            .ends_with("Autotask can take up to 5 minutes to accept a new API user.")
    );
    app.type_into(USER, demo::USERNAME).await;
    app.type_into(SECRET, demo::SECRET).await;
    let verdict = test_connection(&app).await;
    assert_eq!(
        verdict,
        "Username and zone confirmed. The secret was not tested here: Proxuma's own test \
         verifies it."
    );
    app.wait_text(By::Id("handoff-title"), "Enter these in Proxuma")
        .await;
    assert!(
        app.driver
            .find(By::Id("handoff-checklist"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    let items: Vec<String> = {
        let mut out = Vec::new();
        for li in app
            .driver
            .find_all(By::Css("#checklist-items li"))
            .await
            .unwrap()
        {
            out.push(li.text().await.unwrap());
        }
        out
    };
    assert_eq!(
        items,
        [
            "Security level: A copy of API User (system) (API-only) with \"Can create Webhooks\" \
             (maximum 50) and Web Services API login with Full Permission.",
            "Web Services API: \"Can login to Web Services API\" ticked, with Full Permission.",
            "Other: \"Can create Webhooks\" ticked, webhook maximum 50.",
            "Lines of business: Choose the lines of business Proxuma should see.",
            "API Tracking Identifier: Integration Vendor: Proxuma - Resource Planning & Project \
             Management.",
        ]
    );
    assert!(
        text("handoff-note")
            .await
            .ends_with("Proxuma's own test is the test of the secret: Autotask can take up to 5 minutes to accept a new API user.")
    );
    assert_eq!(authenticated_requests(&tenant.sim), 0);
    app.eval(
        "document.getElementById('handoff-checklist').scrollIntoView({block: 'end'}); return 0;",
    )
    .await;
    app.screenshot("01-checklist").await;
    app.click("Copy report").await;
    let report = app
        .wait_text(By::Id("report-text"), "Not tested here")
        .await;
    assert!(
        report.contains(
            "Not tested here: check these in Autotask:\n  - Security level: A copy of API User \
             (system) (API-only)"
        ),
        "{report}"
    );
    app.click("Close").await;
    app.quit().await;
}

/// How the app ends while a copied secret waits for its clear.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// The window's close button (WM_DELETE_WINDOW): the last window closed.
    Close,
    Signal(&'static str),
}

/// Copies the secret in the hand-off, then ends the app well within the 30 s
/// delay: the secret must not outlive it on the clipboard, even with a
/// clipboard manager that rescues what an app left behind.
#[tokio::test]
async fn a_copied_secret_does_not_outlive_the_app() {
    for ending in [
        Ending::Close,
        Ending::Signal("TERM"),
        Ending::Signal("INT"),
        Ending::Signal("HUP"),
    ] {
        let tenant = Tenant::new().await;
        // The release delay (30 s): only the exit can clear it in time.
        let app = App::launch(&format!("exit-{ending:?}"), &tenant.env()).await;
        app.choose(WHO, "Cloud Depot").await;
        app.type_into(USER, demo::USERNAME).await;
        app.type_into(SECRET, demo::SECRET).await;
        app.click("Test connection").await;
        app.wait_verdict().await;
        app.wait_text(By::Id("handoff-title"), "Enter these in Cloud Depot")
            .await;
        let keeper = ClipboardKeeper::start();
        let said = app.copy("Password (Secret)").await;
        assert!(said.contains("cleared in 30 seconds"), "{said}");
        assert_eq!(clipboard().as_deref(), Some(demo::SECRET), "{ending:?}");
        let (window, pid) = app_window();
        match ending {
            Ending::Close => close_window(window),
            Ending::Signal(name) => {
                let sent = Command::new("kill")
                    .args([&format!("-{name}"), &pid.to_string()])
                    .status()
                    .unwrap();
                assert!(sent.success());
            }
        }
        wait_gone(pid).await;
        // Give the keeper time to put back what it saw go away.
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_ne!(
            clipboard().as_deref(),
            Some(demo::SECRET),
            "the secret outlived the app ({ending:?})"
        );
        drop(keeper);
        // What the technician copies afterwards is theirs.
        set_clipboard("after the app");
        drop(app);
    }
}
