//! Drives the real Autotask Connect window: tauri-driver starts Debian's
//! WebKitWebDriver, which starts the built app under Xvfb, inside a private
//! D-Bus session with an unlocked gnome-keyring (`scripts/e2e` sets that
//! up). The app reaches the simulator by Autotask host names through the
//! same connect override a technician never sees.
//!
//! Elements are found the way a person finds them: fields by their label
//! text, buttons by their caption, so the tests also prove the labels exist.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use autotask_simulator::{Action, Fault, Simulator, World, demo};
pub use desktop::*;
use serde_json::json;
use thirtyfour::prelude::*;

mod desktop;

pub const WAIT: Duration = Duration::from_secs(20);

// The form's labels, as a technician reads them (fields are found by these).
pub const WHO: &str = "Who will use this API user?";
pub const URL: &str = "Autotask URL";
pub const USER: &str = "API username (key)";
pub const SECRET: &str = "API secret";
pub const CODE: &str = "API integration code (tracking identifier)";
/// Well-formed, and refused by the simulator's tenant.
pub const WRONG_SECRET: &str = "Wrong*Secret#0000~aaaaaaa";

/// Types the four values into the form, each field cleared first.
pub async fn fill(app: &App, zone: &str, username: &str, secret: &str, code: &str) {
    app.type_into(URL, zone).await;
    app.type_into(USER, username).await;
    app.type_into(SECRET, secret).await;
    app.type_into(CODE, code).await;
}

/// Clicks Test connection and returns the verdict once the check ended.
pub async fn test_connection(app: &App) -> String {
    app.click("Test connection").await;
    app.wait_verdict().await
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The app binary the tests drive (built by `scripts/e2e`).
pub fn app_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let profile = std::env::var("E2E_PROFILE").unwrap_or_else(|_| "debug".into());
    target.join(profile).join("autotask-connect-app")
}

/// Where screenshots go: `target/test-output/e2e`.
pub fn output_dir() -> PathBuf {
    let dir = workspace().join("target/test-output/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A simulated Autotask and a private config directory for one app.
pub struct Tenant {
    pub sim: Simulator,
    pub config: tempfile::TempDir,
    ca: tempfile::TempDir,
}

impl Tenant {
    pub async fn new() -> Tenant {
        Tenant::with(World::demo()).await
    }

    pub async fn with(world: World) -> Tenant {
        assert!(
            std::env::var_os("_WSS_INNER").is_some() && std::env::var_os("DISPLAY").is_some(),
            "the E2E tests need a display and a Secret Service: run them with scripts/e2e"
        );
        let sim = Simulator::start_with(world, 0).await.unwrap();
        let ca = tempfile::tempdir().unwrap();
        sim.write_ca(ca.path()).unwrap();
        Tenant {
            sim,
            config: tempfile::tempdir().unwrap(),
            ca,
        }
    }

    /// The environment the app runs with.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AUTOTASK_CONNECT_CONNECT_TO".into(), self.sim.connect_to()),
            (
                "AUTOTASK_CONNECT_CA_CERT".into(),
                self.ca
                    .path()
                    .join("autotask-simulator-ca.pem")
                    .display()
                    .to_string(),
            ),
            (
                "AUTOTASK_CONNECT_CONFIG_DIR".into(),
                self.config.path().display().to_string(),
            ),
            ("WEBKIT_DISABLE_DMABUF_RENDERER".into(), "1".into()),
        ]
    }

    /// This computer has seen `username` pass a check (written before the
    /// app starts): a refusal of it is then its secret, not a new API user.
    pub fn knows_api_user(&self, username: &str) {
        std::fs::write(
            self.config.path().join("profiles.json"),
            json!({
                "format": 1,
                "profiles": {},
                "logins": { username.to_lowercase(): { "passed": 1 } },
            })
            .to_string(),
        )
        .unwrap();
    }

    pub fn demo_env(&self) -> (String, String) {
        (
            "AUTOTASK_CONNECT_DEMO".into(),
            json!({
                "zone": format!("https://ww{}.autotask.net/", demo::ZONE),
                "username": demo::USERNAME,
                "secret": demo::SECRET,
                "integration_code": demo::INTEGRATION_CODE,
            })
            .to_string(),
        )
    }
}

/// One running app window.
pub struct App {
    /// Not dropped implicitly: thirtyfour's drop-time teardown blocks for
    /// minutes once tauri-driver is gone (see `Drop for App`).
    pub driver: std::mem::ManuallyDrop<WebDriver>,
    tauri_driver: Child,
    test: String,
}

impl App {
    /// Starts the app with `env` and waits until its form is interactive.
    pub async fn launch(test: &str, env: &[(String, String)]) -> App {
        App::launch_binary(test, &app_binary(), env, "#ladder li").await
    }

    /// Starts `binary` through WebDriver and waits for `ready` (a CSS selector).
    pub async fn launch_binary(
        test: &str,
        binary: &Path,
        env: &[(String, String)],
        ready: &str,
    ) -> App {
        let port = free_port();
        let native = free_port();
        let log = std::fs::File::create(output_dir().join(format!("{test}-driver.log"))).unwrap();
        let tauri_driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("tauri-driver (cargo install tauri-driver --version ^2)");
        let started = Instant::now();
        // Both ports: tauri-driver answers before the WebKitWebDriver it
        // starts is listening, and a session asked for in between fails.
        for p in [port, native] {
            while std::net::TcpStream::connect(("127.0.0.1", p)).is_err() {
                assert!(started.elapsed() < WAIT, "tauri-driver did not start");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let mut caps = Capabilities::new();
        caps.set("browserName", "wry").unwrap();
        caps.set(
            "tauri:options",
            json!({ "application": binary.display().to_string() }),
        )
        .unwrap();
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .expect("a WebDriver session with the app");
        let app = App {
            driver: std::mem::ManuallyDrop::new(driver),
            tauri_driver,
            test: test.to_string(),
        };
        app.wait_for(By::Css(ready), ready).await;
        app
    }

    pub async fn wait_for(&self, by: By, what: &str) -> WebElement {
        let started = Instant::now();
        loop {
            if let Ok(e) = self.driver.find(by.clone()).await {
                return e;
            }
            assert!(started.elapsed() < WAIT, "{what} never appeared");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The input a `<label>` with exactly this text points at.
    pub async fn field(&self, label: &str) -> WebElement {
        let label_el = self
            .wait_for(
                By::XPath(format!("//label[normalize-space()='{label}']")),
                label,
            )
            .await;
        let id = label_el
            .attr("for")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("label {label:?} has no `for`"));
        self.centred(self.driver.find(By::Id(id)).await.unwrap())
            .await
    }

    /// `e` scrolled to the middle of the window, as a technician's eye and
    /// pointer find it: clear of the action bar at the window's top edge.
    pub async fn centred(&self, e: WebElement) -> WebElement {
        let _ = self
            .driver
            .execute(
                "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                vec![e.to_json().unwrap()],
            )
            .await;
        e
    }

    /// A visible button with exactly this caption.
    pub async fn button(&self, caption: &str) -> WebElement {
        let started = Instant::now();
        loop {
            let found = self
                .driver
                .find_all(By::XPath(format!(
                    "//button[normalize-space()='{caption}']"
                )))
                .await
                .unwrap_or_default();
            for b in found {
                if b.is_displayed().await.unwrap_or(false) {
                    return self.centred(b).await;
                }
            }
            assert!(started.elapsed() < WAIT, "no visible button {caption:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the visible button with this caption, again if the page
    /// re-rendered it between finding and clicking.
    pub async fn click(&self, caption: &str) {
        let started = Instant::now();
        loop {
            match self.button(caption).await.click().await {
                Ok(()) => return,
                Err(e) => assert!(started.elapsed() < WAIT, "clicking {caption:?}: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the open dialog's confirming button, whatever its caption.
    pub async fn confirm_dialog(&self) {
        self.driver
            .find(By::Id("dialog-ok"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    pub async fn type_into(&self, label: &str, text: &str) {
        let f = self.field(label).await;
        f.clear().await.unwrap();
        if !text.is_empty() {
            f.send_keys(text).await.unwrap();
        }
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, by: By, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = match self.driver.find(by.clone()).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                started.elapsed() < WAIT,
                "{by:?} never contained {needle:?}; last: {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for the check to end (the verdict appears) and returns its text.
    pub async fn wait_verdict(&self) -> String {
        let started = Instant::now();
        loop {
            if let Ok(v) = self.driver.find(By::Css("#outcome .verdict")).await {
                let ladder_done = self
                    .driver
                    .find_all(By::Css(".rung.running"))
                    .await
                    .map(|r| r.is_empty())
                    .unwrap_or(false);
                // The outcome may be drawn again between finding and reading
                // (a stale element): then look again.
                if ladder_done && let Ok(text) = v.text().await {
                    return text;
                }
            }
            if started.elapsed() >= WAIT {
                // The screen as it was (a modal dialog blocks WebDriver's
                // own screenshot), for whoever reads the failure.
                let shot = output_dir().join(format!("{}-never-finished.png", self.test));
                capture_screen(&shot);
                panic!("the check never finished (screen: {})", shot.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `passed`, `failed`… of a ladder row.
    pub async fn rung(&self, id: &str) -> (String, String) {
        let e = self
            .driver
            .find(By::Id(format!("rung-{id}")))
            .await
            .unwrap();
        let class = e.class_name().await.unwrap().unwrap_or_default();
        let status = class
            .split_whitespace()
            .find(|c| *c != "rung")
            .unwrap_or("")
            .to_string();
        let finding = e
            .find(By::Css(".finding"))
            .await
            .unwrap()
            .prop("textContent")
            .await
            .unwrap()
            .unwrap_or_default();
        (status, finding)
    }

    /// Whether the field's box is highlighted as blamed, and its messages.
    pub async fn blamed(&self, field_id: &str) -> (bool, String) {
        let wrap = self
            .driver
            .find(By::Id(format!("field-{field_id}")))
            .await
            .unwrap();
        let class = wrap.class_name().await.unwrap().unwrap_or_default();
        let messages = self
            .driver
            .find(By::Id(format!("{field_id}-messages")))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (class.split_whitespace().any(|c| c == "blamed"), messages)
    }

    pub async fn screenshot(&self, state: &str) {
        // Let the last DOM change paint before the capture.
        tokio::time::sleep(Duration::from_millis(250)).await;
        // The X screen, as a technician sees the window (WebKitWebDriver's own
        // screenshot can stall while a native dialog is open).
        let path = output_dir().join(format!("{}-{state}.png", self.test));
        assert!(capture_screen(&path), "screenshot {state} failed");
    }

    /// Everything the page holds that a secret could hide in: the DOM, every
    /// input's current value, localStorage and sessionStorage.
    pub async fn page_contents(&self) -> String {
        let source = self.driver.source().await.unwrap();
        let extra = self
            .driver
            .execute(
                "const values = [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\\n');
                 const ls = JSON.stringify(Object.assign({}, window.localStorage));
                 const ss = JSON.stringify(Object.assign({}, window.sessionStorage));
                 return values + '\\n' + ls + '\\n' + ss + '\\n' + document.body.innerText;",
                vec![],
            )
            .await
            .unwrap();
        format!("{source}\n{}", extra.json())
    }

    pub async fn quit(self) {
        let _ = WebDriver::clone(&self.driver).quit().await;
        // Drop stops tauri-driver.
    }
}

impl Drop for App {
    /// Also after a failed assertion: stop tauri-driver with SIGTERM (a
    /// killed one leaves WebKitWebDriver and the app behind).
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.tauri_driver.id().to_string()])
            .status();
        let _ = self.tauri_driver.wait();
    }
}

/// The X screen into `path` (ImageMagick's `import`); whether it worked.
fn capture_screen(path: &Path) -> bool {
    Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Reads a profile's secret from the real store, as another tool would.
pub fn secret_tool(name: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "autotask-connect", "username", name])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Puts `text` on the X clipboard (as copying from another program does).
pub fn set_clipboard(text: &str) {
    use std::io::Write;
    let mut child = Command::new("xclip")
        .args(["-selection", "clipboard", "-in"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("xclip");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    child.wait().unwrap();
}

/// What the X clipboard holds now, as another program reads it; `None`
/// when nothing owns it.
pub fn clipboard() -> Option<String> {
    clipboard_target(None)
}

/// The clipboard's content offered as `target` (`TARGETS` lists them all).
pub fn clipboard_target(target: Option<&str>) -> Option<String> {
    let mut cmd = Command::new("xclip");
    cmd.args(["-o", "-selection", "clipboard"]);
    if let Some(t) = target {
        cmd.args(["-t", t]);
    }
    let out = cmd.stderr(Stdio::null()).output().expect("xclip");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

impl App {
    /// Picks `option` (its visible text) in the `<select>` labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let select = thirtyfour::components::SelectElement::new(&self.field(label).await)
            .await
            .unwrap();
        select.select_by_exact_text(option).await.unwrap();
    }

    /// The hand-off panel's rows: (label, shown value).
    pub async fn handoff_rows(&self) -> Vec<(String, String)> {
        let mut rows = Vec::new();
        for row in self
            .driver
            .find_all(By::Css("#handoff-fields .handoff-row"))
            .await
            .unwrap()
        {
            let text = |css: &'static str| {
                let row = row.clone();
                async move { row.find(By::Css(css)).await.unwrap().text().await.unwrap() }
            };
            rows.push((text(".label").await, text(".value").await));
        }
        rows
    }

    /// Clicks the hand-off's Copy button on the row labelled `label` and
    /// returns the message shown next to it once it appears.
    pub async fn copy(&self, label: &str) -> String {
        let row = format!(
            "//div[contains(@class,'handoff-row')][span[@class='label' and normalize-space()='{label}']]"
        );
        let button = self
            .wait_for(
                By::XPath(format!("{row}//button[normalize-space()='Copy']")),
                label,
            )
            .await;
        let status = self
            .driver
            .find(By::XPath(format!(
                "{row}//p[contains(@class,'copy-status')]"
            )))
            .await
            .unwrap();
        // Clear the previous message so the new one is this click's.
        self.driver
            .execute(
                "arguments[0].textContent = '';",
                vec![status.to_json().unwrap()],
            )
            .await
            .unwrap();
        self.centred(button).await.click().await.unwrap();
        let started = Instant::now();
        loop {
            let text = status.text().await.unwrap_or_default();
            if !text.is_empty() {
                return text;
            }
            assert!(started.elapsed() < WAIT, "Copy {label} said nothing");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl App {
    /// The outcome area's text (what was tested, the verdict, what to do).
    pub async fn outcome(&self) -> String {
        self.text_of("outcome").await
    }

    /// The visible text of the element with this id.
    pub async fn text_of(&self, id: &str) -> String {
        self.driver
            .find(By::Id(id))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Saves the form as profile `name` (after a passing test) and waits
    /// until the window says it was saved.
    pub async fn save_as(&self, name: &str) {
        self.type_into("Profile name", name).await;
        self.click("Save profile").await;
        self.wait_text(
            By::Id("save-status"),
            &format!("Saved \u{201c}{name}\u{201d}"),
        )
        .await;
    }

    /// Runs `script` in the page and returns its result as JSON.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.driver
            .execute(script, vec![])
            .await
            .unwrap()
            .json()
            .clone()
    }

    /// The id of the element that has the keyboard focus ("" for none).
    pub async fn focused(&self) -> String {
        self.eval("const a = document.activeElement; return a ? (a.id || a.tagName + '.' + a.className) : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Whether the element is enabled (a button a technician can press).
    pub async fn enabled(&self, id: &str) -> bool {
        self.driver
            .find(By::Id(id))
            .await
            .unwrap()
            .is_enabled()
            .await
            .unwrap()
    }

    /// The value of the field labelled `label`.
    pub async fn value(&self, label: &str) -> String {
        self.field(label)
            .await
            .value()
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Presses keys in the element that has the focus, as a keyboard does.
    pub async fn keys(&self, keys: impl Into<TypingData>) {
        self.driver
            .action_chain()
            .send_keys(keys)
            .perform()
            .await
            .unwrap();
    }
}
