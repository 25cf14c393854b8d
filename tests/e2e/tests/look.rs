//! How the window looks and is reached: painting, 200 % and dark, the
//! keyboard alone. Run with `scripts/e2e` (one window at a time).

use std::time::Duration;

use autotask_connect_e2e::*;
use thirtyfour::prelude::*;

/// The app's web process paints on the CPU (src-tauri/src/rendering.rs):
/// WebKit's switch is in its environment unless the user opted out.
#[tokio::test]
async fn the_page_is_painted_without_gl_compositing_unless_asked() {
    fn web_process_env() -> String {
        let out = std::process::Command::new("pgrep")
            .args(["-n", "WebKitWebProces"])
            .output()
            .unwrap();
        let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
        String::from_utf8_lossy(&environ).replace('\0', "\n")
    }
    let tenant = Tenant::new().await;
    let app = App::launch("rendering", &tenant.env()).await;
    assert!(
        web_process_env()
            .lines()
            .any(|l| l == "WEBKIT_DISABLE_COMPOSITING_MODE=1")
    );
    app.quit().await;

    let mut env = tenant.env();
    env.push(("AUTOTASK_CONNECT_GPU_COMPOSITING".into(), "1".into()));
    let app = App::launch("rendering-gl", &env).await;
    assert!(!web_process_env().contains("WEBKIT_DISABLE_COMPOSITING_MODE"));
    app.wait_for(By::Css("#ladder li"), "the form").await;
    app.quit().await;
}

#[tokio::test]
async fn readable_at_200_percent_and_dark_when_the_system_is() {
    let tenant = Tenant::new().await;
    tenant.knows_api_user(demo::USERNAME);
    let mut env = tenant.env();
    env.push(("GTK_THEME".into(), "Adwaita:dark".into()));
    let app = App::launch("appearance", &env).await;
    fill(
        &app,
        "",
        demo::USERNAME,
        WRONG_SECRET,
        demo::INTEGRATION_CODE,
    )
    .await;
    test_connection(&app).await;
    let background: String = app
        .driver
        .execute(
            "return getComputedStyle(document.body).backgroundColor;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    let channels: Vec<u32> = background
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    assert!(
        channels.iter().all(|c| *c < 80),
        "not a dark page: {background}"
    );
    app.screenshot("dark").await;

    // 200 % zoom with the keyboard (Ctrl+= is 20 % a step): one column,
    // nothing wider than the window, the blamed field and its fix still there.
    let body = app.driver.find(By::Tag("body")).await.unwrap();
    for _ in 0..5 {
        body.send_keys(Key::Control + "=").await.unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let (css_width, overflow): (f64, bool) = app
        .driver
        .execute(
            "const d = document.documentElement;
             return [d.clientWidth, d.scrollWidth > d.clientWidth + 1];",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(
        css_width < 700.0,
        "the zoom did not happen: {css_width} CSS px wide"
    );
    assert!(!overflow, "the page scrolls sideways at 200 %");
    let (blamed, messages) = app.blamed("secret").await;
    assert!(blamed && messages.contains("Paste the secret again exactly as it was generated."));
    app.driver
        .execute(
            "document.getElementById('field-secret').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    app.screenshot("zoom-200").await;
    app.quit().await;
}

#[tokio::test]
async fn keyboard_alone_reaches_every_input_in_order() {
    let tenant = Tenant::new().await;
    let app = App::launch("keyboard", &tenant.env()).await;
    // Show is live once something is typed to show.
    // 25 characters: no warning (and its More button) under the field.
    app.type_into(SECRET, "Typed*Secret#2026~xY7$kQ2").await;
    app.field(URL).await.click().await.unwrap();
    let order = [
        "username",
        "secret",
        "secret-toggle",
        "integration_code",
        "needs-toggle",
        "test",
    ];
    for expected in order {
        app.driver
            .active_element()
            .await
            .unwrap()
            .send_keys(Key::Tab)
            .await
            .unwrap();
        let id = app
            .driver
            .active_element()
            .await
            .unwrap()
            .id()
            .await
            .unwrap();
        assert_eq!(id.as_deref(), Some(expected));
    }
    app.quit().await;
}
