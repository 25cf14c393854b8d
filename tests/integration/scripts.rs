//! A saved profile used from scripts (issue 14): `exec`, `profile secret`
//! and `status`, against a real gnome-keyring (each test re-runs itself in
//! `scripts/with-secret-service`) and the simulator over HTTPS.

use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};

use serde_json::Value;

use crate::cli::{Run, cli};
use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_autotask-connect");

fn reran_in_secret_service(name: &str) -> bool {
    if std::env::var_os("_WSS_INNER").is_some() {
        return false;
    }
    run_in_secret_service(&format!("scripts::{name}"), &[]);
    true
}

/// A config folder of its own and a simulator, reached as the CLI would.
struct Setup {
    config: tempfile::TempDir,
    ca: tempfile::TempDir,
    env: Env,
}

impl Setup {
    async fn new() -> Setup {
        let env = env().await;
        let ca = tempfile::tempdir().unwrap();
        env.sim.write_ca(ca.path()).unwrap();
        Setup {
            config: tempfile::tempdir().unwrap(),
            ca,
            env,
        }
    }
    fn globals(&self) -> Vec<String> {
        vec![
            "--connect-to".into(),
            self.env.sim.connect_to(),
            "--ca-cert".into(),
            self.ca
                .path()
                .join("autotask-simulator-ca.pem")
                .display()
                .to_string(),
        ]
    }
    fn config_dir(&self) -> String {
        self.config.path().display().to_string()
    }
    async fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let globals = self.globals();
        let mut all: Vec<&str> = globals.iter().map(String::as_str).collect();
        all.extend(args);
        let config = self.config_dir();
        let mut e = vec![("AUTOTASK_CONNECT_CONFIG_DIR", config.as_str())];
        e.extend(env);
        cli(&all, &e, None).await
    }
    async fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[]).await
    }
    /// Saves `name` for `username` (untested) with the demo secret.
    async fn save(&self, name: &str, username: &str, zone: Option<&str>) {
        let mut args = vec![
            "profile",
            "save",
            name,
            "--json",
            "--username",
            username,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ];
        if let Some(z) = zone {
            args.extend(["--zone", z]);
        }
        let r = self
            .run_env(&args, &[("AUTOTASK_SECRET", demo::SECRET)])
            .await;
        assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    }
    /// A `std` command for the CLI with this setup's config and simulator.
    fn command(&self, args: &[&str]) -> StdCommand {
        let mut c = StdCommand::new(BIN);
        c.args(self.globals())
            .args(args)
            .env("AUTOTASK_CONNECT_CONFIG_DIR", self.config_dir())
            .env_remove("AUTOTASK_SECRET");
        c
    }
}

fn clear_secret(name: &str) {
    let cleared = StdCommand::new("secret-tool")
        .args(["clear", "service", "autotask-connect", "username", name])
        .status()
        .unwrap();
    assert!(cleared.success());
}

fn env_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.starts_with("AUTOTASK_") && !l.starts_with("AUTOTASK_CONNECT_"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_gives_the_child_the_profile_and_returns_its_status() {
    if reran_in_secret_service("exec_gives_the_child_the_profile_and_returns_its_status") {
        return;
    }
    let s = Setup::new().await;
    s.save(
        "Contoso – Halo",
        demo::USERNAME,
        Some("https://ww5.autotask.net/"),
    )
    .await;

    // A stale integration code in the caller's environment is replaced.
    let r = s
        .run_env(
            &["exec", "Contoso – Halo", "--", "env"],
            &[("AUTOTASK_INTEGRATION_CODE", "STALE")],
        )
        .await;
    assert_eq!(r.status, 0, "{}", r.stderr);
    let mut got = env_lines(&r.stdout);
    got.sort();
    let secret_line = format!("AUTOTASK_SECRET={}", demo::SECRET);
    let code_line = format!("AUTOTASK_INTEGRATION_CODE={}", demo::INTEGRATION_CODE);
    let user_line = format!("AUTOTASK_USERNAME={}", demo::USERNAME);
    let mut want = vec![
        "AUTOTASK_API_HOST=webservices5.autotask.net",
        "AUTOTASK_API_URL=https://webservices5.autotask.net/ATServicesRest/V1.0/",
        code_line.as_str(),
        "AUTOTASK_PROFILE=Contoso – Halo",
        secret_line.as_str(),
        user_line.as_str(),
        "AUTOTASK_WEB_URL=https://ww5.autotask.net/",
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(r.stderr, "");

    // SSL_CERT_FILE/SSL_CERT_DIR: ignored by autotask-connect itself, handed
    // on to the child as the caller set them.
    let r = s
        .run_env(
            &[
                "exec",
                "Contoso – Halo",
                "--",
                "sh",
                "-c",
                "echo \"$SSL_CERT_FILE\"",
            ],
            &[("SSL_CERT_FILE", "/nonexistent/callers-ca.pem")],
        )
        .await;
    assert_eq!(
        (r.status, r.stdout.as_str(), r.stderr.as_str()),
        (0, "/nonexistent/callers-ca.pem\n", "")
    );

    // Exit statuses pass through unchanged.
    for (script, status) in [("exit 0", 0), ("exit 3", 3), ("exit 255", 255)] {
        let r = s
            .run(&["exec", "Contoso – Halo", "--", "sh", "-c", script])
            .await;
        assert_eq!(r.status, status, "{script}: {}", r.stderr);
    }
    // Arguments after `--` are the child's, `--json` included.
    let r = s
        .run(&[
            "exec",
            "contoso – halo",
            "--",
            "printf",
            "%s|",
            "--json",
            "-x",
        ])
        .await;
    assert_eq!((r.status, r.stdout.as_str()), (0, "--json|-x|"));

    // A missing profile and a missing command are refused clearly.
    let r = s.run(&["exec", "Nobody", "--", "env"]).await;
    assert_eq!(r.status, 2);
    assert_eq!(
        r.stderr,
        "autotask-connect: There is no profile named \"Nobody\". `autotask-connect profile list` \
         shows the saved ones.\n"
    );
    assert_eq!(r.stdout, "");
    let r = s
        .run(&["exec", "Contoso – Halo", "--", "no-such-program-here"])
        .await;
    assert_eq!(r.status, 127);
    assert_eq!(
        r.stderr,
        "autotask-connect: Cannot run \"no-such-program-here\": no such program was found. Check \
         the name, or give its full path.\n"
    );
    // No command at all is a usage error.
    assert_eq!(s.run(&["exec", "Contoso – Halo"]).await.status, 2);

    // A secret removed from the store behind our back: refused, exit 2.
    clear_secret("Contoso – Halo");
    let r = s.run(&["exec", "Contoso – Halo", "--", "env"]).await;
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("has no secret in the credential store"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "", "the command did not run");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_discovers_an_unknown_zone_without_sending_the_secret() {
    if reran_in_secret_service("exec_discovers_an_unknown_zone_without_sending_the_secret") {
        return;
    }
    let s = Setup::new().await;
    s.save("Moved", demo::MOVED, None).await;
    let r = s
        .run(&[
            "exec",
            "Moved",
            "--",
            "sh",
            "-c",
            "echo \"$AUTOTASK_API_URL $AUTOTASK_WEB_URL\"",
        ])
        .await;
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "https://webservices29.autotask.net/ATServicesRest/V1.0/ https://ww29.autotask.net/\n"
    );
    assert_eq!(carrying(&s.env.sim, demo::SECRET), 0, "no secret was sent");
    assert!(!s.env.sim.requests().is_empty(), "the zone was looked up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_reaches_the_child_and_exec_returns_130() {
    if reran_in_secret_service("ctrl_c_reaches_the_child_and_exec_returns_130") {
        return;
    }
    use std::os::unix::process::CommandExt;
    let s = Setup::new().await;
    s.save("A", demo::USERNAME, Some("ww5")).await;
    // Its own process group, as a terminal's foreground job is.
    let mut child = s
        .command(&["exec", "A", "--", "sh", "-c", "echo ready; exec sleep 30"])
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pgid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    // What Ctrl-C does: SIGINT to every process of the foreground group.
    let sent = StdCommand::new("kill")
        .args(["-INT", "--", &format!("-{pgid}")])
        .status()
        .unwrap();
    assert!(sent.success());
    let started = std::time::Instant::now();
    let status = child.wait().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // The CLI outlived the signal and reported the child's end as a shell does.
    assert_eq!(status.code(), Some(130), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_secret_prints_exactly_the_secret_and_refuses_a_terminal() {
    if reran_in_secret_service("profile_secret_prints_exactly_the_secret_and_refuses_a_terminal") {
        return;
    }
    let s = Setup::new().await;
    s.save("O'Brien", demo::USERNAME, Some("ww5")).await;
    let r = s.run(&["profile", "secret", "O'Brien"]).await;
    assert_eq!((r.status, r.stdout.as_str()), (0, demo::SECRET));
    assert_eq!(r.stderr, "");
    // `$(...)` in a POSIX shell gets it unchanged (a `$` in it stays literal).
    let sh = StdCommand::new("sh")
        .args([
            "-c",
            "s=$(\"$BIN\" profile secret \"O'Brien\") && printf '%s' \"$s\" | sha256sum",
        ])
        .env("BIN", BIN)
        .env("AUTOTASK_CONNECT_CONFIG_DIR", s.config_dir())
        .output()
        .unwrap();
    let direct = StdCommand::new("sh")
        .args(["-c", "printf '%s' \"$S\" | sha256sum"])
        .env("S", demo::SECRET)
        .output()
        .unwrap();
    assert!(
        sh.status.success(),
        "{}",
        String::from_utf8_lossy(&sh.stderr)
    );
    assert_eq!(sh.stdout, direct.stdout);

    // On a terminal (script(1) gives the command a pseudo-terminal).
    let on_tty = |extra: &str| {
        StdCommand::new("script")
            .args([
                "-qec",
                &format!("\"$BIN\" profile secret \"O'Brien\" {extra}"),
                "/dev/null",
            ])
            .env("BIN", BIN)
            .env("AUTOTASK_CONNECT_CONFIG_DIR", s.config_dir())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let refused = on_tty("");
    let text = String::from_utf8_lossy(&refused.stdout).replace("\r\n", "\n");
    assert_eq!(refused.status.code(), Some(2), "{text}");
    assert!(!text.contains(demo::SECRET), "{text}");
    assert_eq!(
        text,
        "autotask-connect: Refusing to print the secret of profile \"O'Brien\" to a terminal, \
         where it would stay on screen and in the scroll-back. Capture it instead — POSIX shells \
         `secret=$(autotask-connect profile secret NAME)`, PowerShell `$secret = autotask-connect \
         profile secret NAME` — or use `autotask-connect exec`. To print it here anyway, add \
         --reveal.\n"
    );
    let revealed = on_tty("--reveal");
    assert_eq!(revealed.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&revealed.stdout),
        format!("{}\r\n", demo::SECRET)
    );

    let r = s.run(&["profile", "secret", "Nobody"]).await;
    assert_eq!((r.status, r.stdout.as_str()), (2, ""));
    clear_secret("O'Brien");
    let r = s.run(&["profile", "secret", "O'Brien"]).await;
    assert_eq!((r.status, r.stdout.as_str()), (2, ""));
    assert!(r.stderr.contains("has no secret"), "{}", r.stderr);
}

fn by_name<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from {doc:#}"))
}

fn kinds(p: &Value) -> Vec<String> {
    p["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_names_each_profiles_problem_and_exits_1() {
    if reran_in_secret_service("status_names_each_profiles_problem_and_exits_1") {
        return;
    }
    let s = Setup::new().await;
    let healthy = s
        .run_env(
            &[
                "profile",
                "save",
                "Healthy",
                "--check",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
                "--zone",
                "ww5",
            ],
            &[("AUTOTASK_SECRET", demo::SECRET)],
        )
        .await;
    assert_eq!(healthy.status, 0, "{}", healthy.stdout);
    s.save("Moved", demo::MOVED, Some("https://ww6.autotask.net/"))
        .await;
    s.save("Deleted secret", demo::USERNAME, Some("ww5")).await;
    clear_secret("Deleted secret");
    s.save("Locked", demo::LOCKED, Some("ww5")).await;
    for _ in 0..2 {
        let r = s.run(&["profile", "check", "Locked", "--json"]).await;
        assert_eq!(r.status, 1, "{}", r.stdout);
    }
    let sent_before = carrying(&s.env.sim, demo::SECRET);

    let r = s.run(&["status", "--json"]).await;
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    let doc = r.json();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["checked"], false);
    assert_eq!(doc["profiles"].as_array().unwrap().len(), 4);

    // The document's shape is a contract (README.md): exactly these keys.
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&doc),
        [
            "checked",
            "config_path",
            "notice",
            "ok",
            "profiles",
            "store_problem"
        ]
    );
    let h = by_name(&doc, "Healthy");
    assert_eq!(
        keys(h),
        [
            "check",
            "last_check",
            "lockout_guard",
            "name",
            "ok",
            "problems",
            "secret_stored",
            "username",
            "zone"
        ]
    );
    assert_eq!(
        keys(&h["zone"]),
        ["api_url", "moved", "saved_api_url", "web_url", "zone_name"]
    );
    assert_eq!(
        keys(&h["last_check"]),
        ["age_seconds", "at", "message", "passed", "sign_in"]
    );
    assert_eq!(
        keys(&h["lockout_guard"]),
        ["blocking", "minutes_left", "recent_failed_logins"]
    );
    assert_eq!((h["ok"].clone(), kinds(h)), (Value::Bool(true), vec![]));
    assert_eq!(h["secret_stored"], true);
    assert_eq!(h["zone"]["moved"], false);
    assert_eq!(
        h["zone"]["api_url"],
        "https://webservices5.autotask.net/ATServicesRest/V1.0/"
    );
    assert_eq!(h["last_check"]["passed"], true);
    assert!(h["last_check"]["age_seconds"].as_u64().unwrap() < 600);
    assert_eq!(h["lockout_guard"]["blocking"], false);
    assert_eq!(h["check"], Value::Null);

    let m = by_name(&doc, "Moved");
    assert_eq!(kinds(m), ["zone_moved"]);
    assert_eq!(m["zone"]["moved"], true);
    assert_eq!(
        m["zone"]["saved_api_url"],
        "https://webservices6.autotask.net/ATServicesRest/V1.0/"
    );
    assert_eq!(
        m["zone"]["api_url"],
        "https://webservices29.autotask.net/ATServicesRest/V1.0/"
    );

    let d = by_name(&doc, "Deleted secret");
    assert_eq!(kinds(d), ["secret_missing"]);
    assert_eq!(keys(&d["problems"][0]), ["kind", "message"]);
    assert_eq!(
        d["problems"][0]["message"],
        "The credential store has no secret for this profile (another program may have removed \
         it). Store one with `autotask-connect profile rotate 'Deleted secret'`."
    );
    assert_eq!(d["secret_stored"], false);

    let l = by_name(&doc, "Locked");
    assert_eq!(kinds(l), ["lockout_guard", "last_check_failed"]);
    assert_eq!(l["lockout_guard"]["recent_failed_logins"], 2);
    assert_eq!(l["lockout_guard"]["blocking"], true);
    assert!(
        l["problems"][1]["message"]
            .as_str()
            .unwrap()
            .contains("locked this API user"),
        "{l:#}"
    );
    // Without --check no secret went anywhere.
    assert_eq!(carrying(&s.env.sim, demo::SECRET), sent_before);

    // The text form: one line per profile, problems under it.
    let text = s.run(&["status"]).await;
    assert_eq!(text.status, 1);
    let lines: Vec<&str> = text
        .stdout
        .lines()
        .filter(|l| !l.starts_with("    "))
        .collect();
    assert_eq!(lines.len(), 4, "{}", text.stdout);
    assert!(text.stdout.contains("✓ Healthy\t"), "{}", text.stdout);
    assert!(text.stdout.contains("X Moved\t"), "{}", text.stdout);

    // --check: the guard keeps the locked user's secret at home; the
    // others are checked.
    let locked_before = s
        .env
        .sim
        .requests()
        .iter()
        .filter(|q| q.header("UserName") == Some(demo::LOCKED))
        .count();
    let r = s.run(&["status", "--check", "--json"]).await;
    assert_eq!(r.status, 1);
    let doc = r.json();
    assert_eq!(doc["checked"], true);
    let h = by_name(&doc, "Healthy");
    assert_eq!(h["ok"], true, "{h:#}");
    assert_eq!(h["check"]["passed"], true);
    assert_eq!(kinds(by_name(&doc, "Locked")), ["lockout_guard"]);
    assert_eq!(by_name(&doc, "Locked")["check"], Value::Null);
    assert_eq!(kinds(by_name(&doc, "Deleted secret")), ["secret_missing"]);
    let locked_after = s
        .env
        .sim
        .requests()
        .iter()
        .filter(|q| q.header("UserName") == Some(demo::LOCKED))
        .count();
    assert_eq!(locked_before, locked_after, "the guard was honoured");
    // The moved tenant's check passes in the new zone and records it.
    let m = by_name(&doc, "Moved");
    assert_eq!(m["check"]["passed"], true, "{m:#}");
    assert_eq!(
        (m["ok"].clone(), m["zone"]["moved"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    assert_eq!(
        m["zone"]["saved_api_url"],
        "https://webservices29.autotask.net/ATServicesRest/V1.0/"
    );

    // Once the broken ones are gone (and the moved one re-checked), all is well.
    for name in ["Deleted secret", "Locked"] {
        assert_eq!(s.run(&["profile", "delete", name]).await.status, 0);
    }
    let r = s.run(&["status", "--json"]).await;
    assert_eq!(r.status, 0, "{}", r.stdout);
    assert_eq!(r.json()["ok"], true);

    // No profiles at all: nothing is usable (exit 1, as `gh auth status`).
    for name in ["Healthy", "Moved"] {
        assert_eq!(s.run(&["profile", "delete", name]).await.status, 0);
    }
    let r = s.run(&["status", "--json"]).await;
    assert_eq!(r.status, 1);
    assert_eq!(r.json()["profiles"], Value::Array(vec![]));
}

/// Every "Use in a script" snippet, rendered for each system's installers,
/// calls the CLI by the exact path that installer puts it at (none of them
/// relies on PATH, which the Windows and macOS installers do not change),
/// quoted for its language.
#[test]
fn every_snippet_calls_the_installed_cli_by_its_exact_path_on_each_system() {
    use autotask_connect::script::{CliPath, Platform, snippets};
    for (platform, app, cli) in [
        // The setup .exe (per user) and the .msi (Program Files).
        (
            Platform::Windows,
            r"C:\Users\Jo O'Neil\AppData\Local\Autotask Connect\autotask-connect-app.exe",
            r"C:\Users\Jo O'Neil\AppData\Local\Autotask Connect\autotask-connect.exe",
        ),
        (
            Platform::Windows,
            r"C:\Program Files\Autotask Connect\autotask-connect-app.exe",
            r"C:\Program Files\Autotask Connect\autotask-connect.exe",
        ),
        (
            Platform::MacOs,
            "/Applications/Autotask Connect.app/Contents/MacOS/autotask-connect-app",
            "/Applications/Autotask Connect.app/Contents/Resources/autotask-connect",
        ),
        (
            Platform::Linux,
            "/usr/bin/autotask-connect-app",
            "/usr/bin/autotask-connect",
        ),
    ] {
        let found = CliPath::beside(platform, app);
        assert_eq!(found.path, cli, "{platform:?}");
        let s = snippets(
            "Contoso",
            Some("https://webservices5.autotask.net/ATServicesRest/V1.0/"),
            &found,
        );
        let ps_path = format!("'{}'", cli.replace('\'', "''"));
        assert!(
            s.powershell.contains(&format!("$Cli = {ps_path}\n")),
            "{platform:?}: {}",
            s.powershell
        );
        assert!(
            s.powershell
                .contains("$Secret = & $Cli profile secret $Name\n")
        );
        assert!(
            s.powershell
                .contains("$P = & $Cli profile show $Name --json")
        );
        let py_path = serde_json::to_string(cli).unwrap();
        assert!(
            s.python.contains(&format!("CLI = {py_path}\n")),
            "{}",
            s.python
        );
        assert!(
            s.python
                .contains("subprocess.call([CLI, \"exec\", PROFILE,")
        );
        let sh_path = format!("'{}'", cli.replace('\'', r"'\''"));
        assert!(
            s.shell
                .contains(&format!("\n{sh_path} exec 'Contoso' -- sh -c '")),
            "{}",
            s.shell
        );
        for mcp in [&s.mcp_claude, &s.mcp_vscode] {
            let doc: Value = serde_json::from_str(mcp).unwrap();
            let servers = doc
                .get("mcpServers")
                .or(doc.get("servers"))
                .unwrap()
                .as_object()
                .unwrap();
            assert_eq!(servers["autotask-Contoso"]["command"], cli, "{platform:?}");
        }
        // No snippet calls a bare `autotask-connect` that PATH would have to find.
        for text in [
            &s.powershell,
            &s.python,
            &s.shell,
            &s.mcp_claude,
            &s.mcp_vscode,
        ] {
            let calls = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter(|l| {
                    l.split(|c: char| c.is_whitespace() || c == '[' || c == '"')
                        .any(|w| w == "autotask-connect")
                })
                .collect::<Vec<_>>();
            assert!(calls.is_empty(), "{platform:?}: {calls:?}");
        }
    }
}

/// On this system the real CLI beside the test build is what the window's
/// snippets would call, and the shell snippet's first command runs it.
#[test]
#[cfg(target_os = "linux")]
fn the_linux_shell_snippet_runs_the_cli_beside_the_app() {
    use autotask_connect::script::{CliPath, Platform, snippets};
    let app = std::path::Path::new(BIN).with_file_name("autotask-connect-app");
    let cli = CliPath::beside(Platform::Linux, &app.to_string_lossy());
    assert_eq!(cli.path, BIN);
    let s = snippets("Nobody", None, &cli);
    // The snippet's command with the profile replaced by --help: it runs
    // the very binary the path names.
    let line = s.shell.lines().nth(1).unwrap();
    let command = line.replace("exec 'Nobody' -- sh -c '", "--version");
    let out = StdCommand::new("sh")
        .args(["-c", &command])
        .output()
        .unwrap();
    assert!(out.status.success(), "{command}: {out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("autotask-connect "),
        "{out:?}"
    );
}
