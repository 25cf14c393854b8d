//! The window's one state (issue 21): a demo that touches nothing real, the
//! action bar and the way to the field to fix at 800×600, and a paste that
//! says where each value went. Run with `scripts/e2e` (one window at a time).

use autotask_connect_e2e::*;
use thirtyfour::prelude::*;

/// The bytes of the real profiles file, or `None` when there is none.
fn real_config(tenant: &Tenant) -> Option<Vec<u8>> {
    std::fs::read(tenant.config.path().join("profiles.json")).ok()
}

/// Demo → save → a refused demo login → restart: the real credential
/// store and the real profiles file (profiles and lockout ledger) are
/// exactly as they were, and the demo's profile is gone with the demo.
#[tokio::test]
async fn the_demo_saves_and_refuses_only_in_its_own_namespace() {
    let tenant = Tenant::new().await;
    let before = real_config(&tenant);
    let app = App::launch("demo-namespace", &tenant.env()).await;
    app.click("Try the demo tenant").await;
    app.wait_text(By::Id("demo-banner"), "simulated inside this app")
        .await;
    assert_eq!(test_connection(&app).await, "Connection works.");
    app.save_as("Demo only").await;
    // Saved, in the demo's own list.
    let listed = app.wait_text(By::Id("profiles"), "Demo only").await;
    assert!(listed.contains("Demo only"), "{listed}");
    app.wait_text(By::Id("profiles-note"), "kept in this window only")
        .await;
    // Said in the demo's words: its secret is in the demo's memory, and the
    // check on screen still describes what was saved.
    app.wait_text(By::Id("secret-held"), "demo tenant's memory")
        .await;
    let outcome = app.outcome().await;
    assert!(!outcome.contains("before your last change"), "{outcome}");
    app.screenshot("demo-saved").await;
    assert_eq!(secret_tool("Demo only"), None, "the real store got it");
    assert_eq!(
        real_config(&tenant),
        before,
        "the real profiles file changed"
    );

    // A refused demo login counts in the demo's ledger, never the real one.
    app.type_into(SECRET, WRONG_SECRET).await;
    assert_ne!(test_connection(&app).await, "Connection works.");
    assert_eq!(
        real_config(&tenant),
        before,
        "a demo refusal reached the ledger"
    );
    assert_eq!(tenant.sim.requests().len(), 0, "the demo left the app");

    // Leaving the demo takes its profiles with it; nothing real changed.
    app.click("Leave the demo").await;
    app.wait_text(By::Id("profiles-note"), "No saved profiles yet")
        .await;
    assert_eq!(secret_tool("Demo only"), None);
    assert_eq!(real_config(&tenant), before, "leaving the demo wrote");
    app.quit().await;

    let app = App::launch("demo-namespace-restart", &tenant.env()).await;
    app.wait_text(By::Id("profiles-note"), "No saved profiles yet")
        .await;
    let profiles = app
        .eval("return document.getElementById('profiles').textContent;")
        .await;
    assert!(!profiles.to_string().contains("Demo only"), "{profiles}");
    assert_eq!(secret_tool("Demo only"), None);
    assert_eq!(real_config(&tenant), before);
    app.quit().await;
}

/// At 800×600 after a result: scrolled down, the action bar keeps Test, the
/// verdict and Save in view; "Fix the highlighted … field" takes the
/// technician into that field.
#[tokio::test]
async fn at_800x600_the_action_bar_and_the_field_to_fix_are_one_step_away() {
    let tenant = Tenant::new().await;
    tenant.knows_api_user(demo::USERNAME);
    let app = App::launch("action-bar", &tenant.env()).await;
    app.driver.set_window_rect(0, 0, 800, 600).await.unwrap();
    // No result yet: no bar, whatever the scroll.
    app.eval("window.scrollTo(0, document.body.scrollHeight); return 0;")
        .await;
    assert!(!bar_shown(&app).await, "a bar before any result");

    fill(
        &app,
        "",
        demo::USERNAME,
        WRONG_SECRET,
        demo::INTEGRATION_CODE,
    )
    .await;
    assert_ne!(test_connection(&app).await, "Connection works.");
    let jump = app
        .wait_for(By::Css("button.jump"), "Fix the highlighted")
        .await;
    assert_eq!(
        jump.text().await.unwrap(),
        "Fix the highlighted “API secret” field."
    );
    app.centred(jump).await.click().await.unwrap();
    assert_eq!(app.focused().await, "secret", "the jump ends in the field");
    let in_view = app
        .eval(
            "const r = document.getElementById('secret').getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight;",
        )
        .await;
    assert_eq!(
        in_view,
        serde_json::Value::Bool(true),
        "the field is in view"
    );

    app.type_into(SECRET, demo::SECRET).await;
    assert_eq!(test_connection(&app).await, "Connection works.");
    app.eval("window.scrollTo(0, document.body.scrollHeight); return 0;")
        .await;
    assert!(bar_shown(&app).await, "no bar after scrolling down");
    let bar = app
        .eval(
            "const s = document.getElementById('bar-save').getBoundingClientRect();
             return [document.getElementById('bar-verdict').textContent,
                     !document.getElementById('bar-save').disabled,
                     s.top >= 0 && s.bottom <= window.innerHeight];",
        )
        .await;
    assert_eq!(bar, serde_json::json!(["Connection works.", true, true]));
    app.screenshot("800x600-action-bar").await;
    // A name of its own: the E2E run shares one keyring between tests.
    app.eval(
        "const n = document.getElementById('profile-name'); n.value = 'Action bar';
         n.dispatchEvent(new Event('input', { bubbles: true })); return 0;",
    )
    .await;
    app.driver
        .find(By::Id("bar-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.wait_text(By::Id("save-status"), "Saved “Action bar”")
        .await;
    app.quit().await;
}

/// Whether the action bar is on screen (it is `display: none` otherwise).
async fn bar_shown(app: &App) -> bool {
    // The observer reports on the next frame; give it two.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.eval("return getComputedStyle(document.getElementById('action-bar')).display !== 'none';")
        .await
        == serde_json::Value::Bool(true)
}

/// A secret pasted with its label into the username field goes to the
/// secret, held by the app, without its label; the page says so in a line.
#[tokio::test]
async fn a_labelled_secret_pasted_into_the_username_is_held_and_said() {
    let tenant = Tenant::new().await;
    let app = App::launch("paste-one", &tenant.env()).await;
    fill(
        &app,
        "webservices5",
        demo::USERNAME,
        "",
        demo::INTEGRATION_CODE,
    )
    .await;
    set_clipboard(&format!("Password (Secret) {}", demo::SECRET));
    let user = app.field(USER).await;
    user.click().await.unwrap();
    user.send_keys(Key::End).await.unwrap();
    user.send_keys(Key::Control + "v").await.unwrap();
    let note = app.wait_text(By::Id("paste-note"), "held by the app").await;
    assert_eq!(
        note,
        "Pasted the value after “Password (Secret)” into “API secret”: held by the app and not \
         shown."
    );
    assert_eq!(
        app.value(USER).await,
        demo::USERNAME,
        "the username changed"
    );
    assert_eq!(app.value(SECRET).await, "", "the secret is in the page");
    assert!(!app.page_contents().await.contains(demo::SECRET));
    app.screenshot("paste-labelled-secret").await;
    assert_eq!(test_connection(&app).await, "Connection works.");
    app.quit().await;
}

#[tokio::test]
async fn the_demo_tenant_fills_itself() {
    let tenant = Tenant::new().await;
    let mut env = tenant.env();
    env.push(tenant.demo_env());
    let app = App::launch("demo", &env).await;
    app.wait_text(By::Id("demo-banner"), "simulated on this computer")
        .await;
    app.click("Fill in the demo credentials").await;
    app.wait_text(By::Id("secret-held"), "demo secret").await;
    assert_eq!(test_connection(&app).await, "Connection works.");
    assert!(!app.page_contents().await.contains(demo::SECRET));
    app.screenshot("demo").await;
    app.quit().await;
}

/// "Try the demo tenant" starts a simulated Autotask inside the app: the
/// demo's checks (a wrong secret included) never reach the routed "real"
/// Autotask; after "Leave the demo" they do.
#[tokio::test]
async fn the_demo_tenant_runs_inside_the_app_and_only_for_its_own_secret() {
    let tenant = Tenant::new().await;
    let app = App::launch("in-app-demo", &tenant.env()).await;
    app.click("Try the demo tenant").await;
    app.wait_text(By::Id("demo-banner"), "simulated inside this app")
        .await;
    app.wait_text(By::Id("secret-held"), "demo secret").await;
    assert_eq!(test_connection(&app).await, "Connection works.");
    assert_eq!(
        tenant.sim.requests().len(),
        0,
        "the demo stayed inside the app"
    );
    app.screenshot("in-app-demo").await;

    app.type_into(SECRET, "Another*Secret#2026~abcde").await;
    assert_ne!(test_connection(&app).await, "Connection works.");
    assert_eq!(
        tenant.sim.requests().len(),
        0,
        "a wrong secret tried in the demo"
    );

    app.click("Leave the demo").await;
    assert_ne!(test_connection(&app).await, "Connection works.");
    assert_eq!(
        tenant
            .sim
            .requests()
            .iter()
            .filter(|r| r.header("Secret") == Some("Another*Secret#2026~abcde"))
            .count(),
        1,
        "after leaving the demo, the form's check goes to Autotask"
    );
    app.quit().await;
}
