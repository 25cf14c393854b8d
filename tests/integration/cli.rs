//! The command-line interface as scripts use it: arguments, environment,
//! exit statuses and the JSON documents.

use std::process::Stdio;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::support::*;

const BIN: &str = env!("CARGO_BIN_EXE_autotask-connect");

pub(crate) struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// Runs the CLI with `args`, extra environment, and optional standard input.
/// Unless `env` names one, the config folder (profiles and the lockout
/// guard) is a fresh temporary one: never the developer's own.
pub(crate) async fn cli(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let own_config = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    if !env.iter().any(|(k, _)| *k == "AUTOTASK_CONNECT_CONFIG_DIR") {
        cmd.env("AUTOTASK_CONNECT_CONFIG_DIR", own_config.path());
    }
    cmd.args(args)
        .env_remove("AUTOTASK_SECRET")
        .env_remove("AUTOTASK_CONNECT_CONNECT_TO")
        .env_remove("AUTOTASK_CONNECT_CA_CERT")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(input.as_bytes()).await.unwrap();
        drop(pipe);
    }
    let out = child.wait_with_output().await.unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test]
async fn zone_table() {
    // (input, expected api_host, or None when it must be refused)
    let table: &[(&str, Option<&str>)] = &[
        (
            "https://ww5.autotask.net/",
            Some("webservices5.autotask.net"),
        ),
        (
            "ww5.autotask.net/Mvc/Framework/Navigation.mvc/Landing",
            Some("webservices5.autotask.net"),
        ),
        (
            "https://ww14.autotask.net/Autotask/Views/DispatcherWorkshop/Default.aspx",
            Some("webservices14.autotask.net"),
        ),
        ("webservices5", Some("webservices5.autotask.net")),
        (
            "webservices5.autotask.net",
            Some("webservices5.autotask.net"),
        ),
        (
            "https://webservices5.autotask.net/ATServicesRest/V1.0/",
            Some("webservices5.autotask.net"),
        ),
        (
            "https://webservices5.autotask.net/ATServicesRest/",
            Some("webservices5.autotask.net"),
        ),
        (
            "https://webservices5.autotask.net/atservicesrest/v1.0/Tickets/query",
            Some("webservices5.autotask.net"),
        ),
        (
            "https://webservices5.autotask.net/ATServices/1.6/atws.asmx",
            Some("webservices5.autotask.net"),
        ),
        (
            "  https://WW5.AUTOTASK.NET  ",
            Some("webservices5.autotask.net"),
        ),
        ("http://ww5.autotask.net", Some("webservices5.autotask.net")),
        (
            "WEBSERVICES29.AUTOTASK.NET",
            Some("webservices29.autotask.net"),
        ),
        ("ww29", Some("webservices29.autotask.net")),
        ("ww1.autotask.net", Some("webservices1.autotask.net")),
        ("ww2.autotask.net", Some("webservices2.autotask.net")),
        ("ww6.autotask.net", Some("webservices6.autotask.net")),
        ("ww12.autotask.net", Some("webservices12.autotask.net")),
        ("ww31.autotask.net", Some("webservices31.autotask.net")),
        ("https://prde.autotask.net/", Some("prde.autotask.net")),
        ("pres.autotask.net", Some("pres.autotask.net")),
        ("PRDE", Some("prde.autotask.net")),
        ("ww5.autotask.net:443", Some("webservices5.autotask.net")),
        ("ww5.autotask.net.", Some("webservices5.autotask.net")),
        (
            "<https://ww5.autotask.net/>",
            Some("webservices5.autotask.net"),
        ),
        ("5", Some("webservices5.autotask.net")),
        ("webservices.autotask.net", Some("webservices.autotask.net")),
        ("", None),
        ("autotask.net.example.com", None),
        ("ww5.autotask.net.example.com", None),
        ("myautotask.net", None),
        ("ww5.myautotask.net", None),
        ("autotask.net", None),
        ("www.autotask.net", None),
        ("https://ww5.autotask.net@example.com/", None),
        ("ww5.autotask.net@example.com", None),
        ("https://user:pass@ww5.autotask.net/", None),
        ("127.0.0.1", None),
        ("https://192.168.1.10/ATServicesRest/", None),
        ("[::1]", None),
        ("https://[2001:db8::1]/", None),
        ("ww5.autotask.net:8443", None),
        ("https://webservices5.autotask.net:444/", None),
        ("ftp://ww5.autotask.net", None),
        ("javascript:alert(1)", None),
        ("ww5.autotаsk.net", None),
        ("ww5.autotask.net\\@example.com", None),
        ("ww5.autotask%2enet", None),
        ("evil.ww5.autotask.net", None),
        ("America East", None),
        ("ww05.autotask.net", None),
    ];
    assert!(table.len() > 40);
    for (input, expected) in table {
        let run = cli(&["zone", "--json", input], &[], None).await;
        let json = run.json();
        match expected {
            Some(host) => {
                assert_eq!(run.status, 0, "{input:?}: {}", run.stdout);
                assert_eq!(json["api_host"], *host, "{input:?}");
                assert_eq!(
                    json["api_url"],
                    format!("https://{host}/ATServicesRest/V1.0/"),
                    "{input:?}"
                );
            }
            None => {
                assert_eq!(run.status, 2, "{input:?} was accepted: {}", run.stdout);
                assert_eq!(json["error"]["kind"], "invalid_zone", "{input:?}");
                assert!(json["error"]["message"].as_str().unwrap().len() > 20);
            }
        }
    }
    let portal = cli(&["zone", "--json", "ww5.autotask.net"], &[], None)
        .await
        .json();
    assert_eq!(portal["web_url"], "https://ww5.autotask.net/");
    let lookup = cli(&["zone", "--json", "webservices.autotask.net"], &[], None)
        .await
        .json();
    assert_eq!(lookup["discover"], true);
    assert_eq!(lookup["web_url"], Value::Null);
}

#[tokio::test]
async fn zone_text_mode_and_usage_errors() {
    let run = cli(&["zone", "ww5.autotask.net"], &[], None).await;
    assert_eq!(run.status, 0);
    assert!(
        run.stdout
            .contains("https://webservices5.autotask.net/ATServicesRest/V1.0/")
    );
    let run = cli(&["zone", "evil.example"], &[], None).await;
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("not an Autotask address"),
        "{}",
        run.stderr
    );
    let run = cli(&["check", "--json", "--no-such-flag"], &[], None).await;
    assert_eq!(run.status, 2);
    assert_eq!(run.json()["error"]["kind"], "usage");
    // There is no way to pass the secret as an argument.
    let run = cli(
        &[
            "check",
            "--username",
            "a@b.example",
            "--integration-code",
            "X",
            "--secret",
            "s3cret",
        ],
        &[],
        None,
    )
    .await;
    assert_eq!(run.status, 2);
}

struct Tenant {
    env: Env,
    connect_to: String,
    ca: tempfile::TempDir,
    /// One config folder (profiles, the lockout ledger) for this tenant's
    /// checks: what one computer remembers between runs.
    config: tempfile::TempDir,
}

impl Tenant {
    async fn new() -> Tenant {
        let env = env().await;
        let connect_to = env.sim.connect_to();
        let ca = tempfile::tempdir().unwrap();
        env.sim.write_ca(ca.path()).unwrap();
        Tenant {
            env,
            connect_to,
            ca,
            config: tempfile::tempdir().unwrap(),
        }
    }

    fn ca_path(&self) -> String {
        self.ca
            .path()
            .join("autotask-simulator-ca.pem")
            .display()
            .to_string()
    }

    async fn check(&self, username: &str, secret: &str, zone: Option<&str>, extra: &[&str]) -> Run {
        let ca = self.ca_path();
        let mut args = vec![
            "--connect-to",
            &self.connect_to,
            "--ca-cert",
            &ca,
            "check",
            "--json",
            "--username",
            username,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ];
        if let Some(z) = zone {
            args.extend(["--zone", z]);
        }
        args.extend(extra);
        let config = self.config.path().display().to_string();
        cli(
            &args,
            &[
                ("AUTOTASK_SECRET", secret),
                ("AUTOTASK_CONNECT_CONFIG_DIR", config.as_str()),
            ],
            None,
        )
        .await
    }
}

fn failing(json: &Value) -> (String, Value) {
    let step = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "failed")
        .unwrap_or_else(|| panic!("no failed step: {json}"));
    (
        step["id"].as_str().unwrap().to_string(),
        step["blame"].clone(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_json_for_each_situation() {
    let t = Tenant::new().await;
    let good = t.check(demo::USERNAME, demo::SECRET, None, &[]).await;
    assert_eq!(good.status, 0, "{}", good.stdout);
    let json = good.json();
    assert_eq!(json["passed"], true);
    assert_eq!(
        json["tenant"]["api_url"],
        "https://webservices5.autotask.net/ATServicesRest/V1.0/"
    );
    assert_eq!(json["tenant"]["web_url"], "https://ww5.autotask.net/");
    assert_eq!(json["tenant"]["ci"], 30595);
    assert_eq!(json["tenant"]["zone_name"], "Demo Zone (simulated)");
    let ids: Vec<&str> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "network",
            "zone",
            "authentication",
            "tenant",
            "permissions",
            "usage"
        ]
    );
    for s in json["steps"].as_array().unwrap() {
        for key in ["id", "status", "message", "blame", "fix"] {
            assert!(s.get(key).is_some(), "step lacks {key}: {s}");
        }
    }

    // (username, secret, zone, exit status, (failing step, blame))
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        i32,
        Option<(&'a str, &'a str)>,
    );
    let cases: &[Case] = &[
        // It passed above: an API user, so a refusal is its secret.
        (
            demo::USERNAME,
            "Wrong*Secret#0000~aaaaaaa",
            None,
            1,
            Some(("authentication", "secret")),
        ),
        (
            "jane.smith@contoso.com",
            demo::SECRET,
            None,
            1,
            Some(("zone", "username")),
        ),
        (
            demo::REGULAR_USER,
            demo::SECRET,
            None,
            1,
            Some(("authentication", "new_user")),
        ),
        (
            demo::NO_PERMISSIONS,
            demo::SECRET,
            None,
            1,
            Some(("permissions", "permissions")),
        ),
        (demo::BUSY, demo::SECRET, None, 0, None),
        (
            demo::MOVED,
            demo::SECRET,
            Some("https://ww6.autotask.net/"),
            0,
            None,
        ),
    ];
    for (user, secret, zone, status, failure) in cases {
        // A person's login is sent only when asked for (see below).
        let person = user.split('@').next().unwrap().len() != 15;
        let extra: &[&str] = if person { &["--person-login"] } else { &[] };
        let run = t.check(user, secret, *zone, extra).await;
        assert_eq!(run.status, *status, "{user}: {}", run.stdout);
        let json = run.json();
        if let Some((step, blame)) = failure {
            assert_eq!(
                failing(&json),
                (step.to_string(), Value::from(*blame)),
                "{user}"
            );
        }
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{user}: secret echoed"
        );
    }
    let busy = t.check(demo::BUSY, demo::SECRET, None, &[]).await.json();
    assert_eq!(busy["steps"][5]["status"], "warning");
    assert_eq!(busy["steps"][5]["blame"], "rate_limit");
    let moved = t
        .check(
            demo::MOVED,
            demo::SECRET,
            Some("https://ww6.autotask.net/"),
            &[],
        )
        .await
        .json();
    assert_eq!(moved["steps"][1]["status"], "warning");
    assert_eq!(moved["steps"][1]["blame"], "zone");
    assert_eq!(moved["tenant"]["web_url"], "https://ww29.autotask.net/");

    let code = t.check(demo::USERNAME, demo::SECRET, None, &[]).await;
    assert_eq!(code.status, 0);
    let wrong_code = {
        let ca = t.ca_path();
        cli(
            &[
                "--connect-to",
                &t.connect_to,
                "--ca-cert",
                &ca,
                "check",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ9",
            ],
            &[("AUTOTASK_SECRET", demo::SECRET)],
            None,
        )
        .await
    };
    assert_eq!(wrong_code.status, 1);
    assert_eq!(
        failing(&wrong_code.json()),
        ("authentication".into(), Value::from("integration_code"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wrong_secret_reaches_autotask_once_per_cli_check() {
    let t = Tenant::new().await;
    let wrong = "Wrong*Secret#0000~bbbbbbb";
    let run = t
        .check(demo::USERNAME, wrong, Some("ww5.autotask.net"), &[])
        .await;
    assert_eq!(run.status, 1);
    assert_eq!(carrying(&t.env.sim, wrong), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_from_standard_input_and_text_mode() {
    let t = Tenant::new().await;
    let ca = t.ca_path();
    let args = [
        "--connect-to",
        &t.connect_to,
        "--ca-cert",
        &ca,
        "check",
        "--secret-stdin",
        "--username",
        demo::USERNAME,
        "--integration-code",
        demo::INTEGRATION_CODE,
    ];
    let run = cli(&args, &[], Some(&format!("{}\n", demo::SECRET))).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("PASS  Authentication"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Result: PASSED."));
    assert!(!run.stdout.contains(demo::SECRET));
    // Environment variables configure the overrides too.
    let run = cli(
        &["check", "--json", "--username", demo::USERNAME, "--integration-code", demo::INTEGRATION_CODE],
        &[
            ("AUTOTASK_SECRET", demo::SECRET),
            ("AUTOTASK_CONNECT_CONNECT_TO", &format!("webservices.autotask.net:443:127.0.0.1:{0},webservices5.autotask.net:443:127.0.0.1:{0}", t.env.sim.port())),
            ("AUTOTASK_CONNECT_CA_CERT", &ca),
        ],
        None,
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_exits_2_before_any_network_io() {
    let t = Tenant::new().await;
    let missing = {
        let ca = t.ca_path();
        cli(
            &[
                "--connect-to",
                &t.connect_to,
                "--ca-cert",
                &ca,
                "check",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            &[],
            None,
        )
        .await
    };
    assert_eq!(missing.status, 2);
    assert_eq!(missing.json()["error"]["kind"], "secret_missing");
    assert_eq!(missing.json()["error"]["field"], "secret");

    let hostile = t
        .check(
            demo::USERNAME,
            demo::SECRET,
            Some("https://ww5.autotask.net@evil.example/"),
            &[],
        )
        .await;
    assert_eq!(hostile.status, 2);
    assert_eq!(hostile.json()["error"]["kind"], "invalid_zone");
    assert!(
        hostile.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("evil.example")
    );

    let blank = t.check("  ", demo::SECRET, None, &[]).await;
    assert_eq!(blank.status, 2);
    assert_eq!(blank.json()["error"]["kind"], "invalid_input");
    assert_eq!(blank.json()["error"]["field"], "username");
    assert_eq!(blank.json()["error"]["lints"][0]["code"], "username.blank");

    let bad_entity = t
        .check(
            demo::USERNAME,
            demo::SECRET,
            None,
            &["--entity", "../Companies"],
        )
        .await;
    assert_eq!(bad_entity.status, 2);
    assert_eq!(bad_entity.json()["error"]["kind"], "invalid_entity");

    let secret_newline = t.check(demo::USERNAME, "abc\ndef", None, &[]).await;
    assert_eq!(secret_newline.status, 2);
    assert_eq!(secret_newline.json()["error"]["field"], "secret");

    // A check behind a bad global option: refused before anything is sent.
    let check_with = async |option: &str, value: &str| {
        cli(
            &[
                option,
                value,
                "check",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                "X",
            ],
            &[("AUTOTASK_SECRET", "x")],
            None,
        )
        .await
    };
    let bad_override = check_with("--connect-to", "nonsense").await;
    assert_eq!(bad_override.status, 2);
    assert_eq!(bad_override.json()["error"]["kind"], "usage");

    let bad_ca = check_with("--ca-cert", "/nonexistent/ca.pem").await;
    assert_eq!(bad_ca.status, 2);
    assert_eq!(bad_ca.json()["error"]["kind"], "invalid_ca_cert");

    assert!(
        t.env.sim.requests().is_empty(),
        "bad input made network requests"
    );
}

/// One lockout guard per username, kept in the config folder: shared by
/// every `check` run, reserved before the secret goes out, so a third
/// refused login needs --force and two checks at once cannot both sign in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_lockout_guard_per_username_across_cli_runs() {
    let t = Tenant::new().await;
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().display().to_string();
    let ca = t.ca_path();
    let check = |username: &'static str, secret: &'static str, force: bool| {
        let (connect_to, ca, dir) = (t.connect_to.clone(), ca.clone(), dir.clone());
        async move {
            let mut args = vec![
                "--connect-to",
                connect_to.as_str(),
                "--ca-cert",
                ca.as_str(),
                "check",
                "--json",
                "--username",
                username,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ];
            if force {
                args.push("--force");
            }
            cli(
                &args,
                &[
                    ("AUTOTASK_SECRET", secret),
                    ("AUTOTASK_CONNECT_CONFIG_DIR", dir.as_str()),
                ],
                None,
            )
            .await
        }
    };
    const WRONG: &str = "Wrong*Secret#0000~guard12";
    for _ in 0..2 {
        assert_eq!(check(demo::USERNAME, WRONG, false).await.status, 1);
    }
    let third = check(demo::USERNAME, WRONG, false).await;
    assert_eq!(third.status, 2, "{}", third.stdout);
    assert_eq!(third.json()["error"]["kind"], "lockout_risk");
    assert_eq!(carrying(&t.env.sim, WRONG), 2, "the third was not sent");
    assert_eq!(check(demo::USERNAME, WRONG, true).await.status, 1);
    assert_eq!(carrying(&t.env.sim, WRONG), 3);

    // Two runs at once for one username: the second waits its turn.
    t.env.sim.set_latency(std::time::Duration::from_millis(400));
    let (a, b) = tokio::join!(
        check(demo::NO_PERMISSIONS, demo::SECRET, false),
        check(demo::NO_PERMISSIONS, demo::SECRET, false)
    );
    let mut kinds: Vec<String> = [a, b]
        .iter()
        .map(|r| match r.status {
            2 => r.json()["error"]["kind"].as_str().unwrap().to_string(),
            s => format!("ran ({s})"),
        })
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["login_in_progress", "ran (1)"]);
}

/// What the integration needs: `--entity NAME:write` fails where Autotask
/// says the user may only read, and "can write" is reported where it may.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_need_is_checked_against_autotask() {
    let t = Tenant::new().await;
    let needs = [
        "--entity",
        "Tickets:write",
        "--entity",
        "TicketWebhooks:write",
    ];
    let run = t.check(demo::READ_ONLY, demo::SECRET, None, &needs).await;
    assert_eq!(run.status, 1, "{}", run.stdout);
    let json = run.json();
    assert_eq!(
        failing(&json),
        ("permissions".to_string(), Value::from("permissions"))
    );
    let perms = &json["steps"][4];
    assert_eq!(
        perms["message"],
        "The integration needs to create or edit Tickets, TicketWebhooks, and the API user may only \
         read them (query access: Tickets all, TicketWebhooks all)."
    );
    assert_eq!(
        perms["fix"],
        "Tickets: needs Add and Edit, has View only: check both the Service Desk object permission \
         and the Web Services API category. Ticket Webhooks: needs Add and Edit, has View only: \
         check both \"Can create Webhooks\" under Other and the Web Services API category."
    );
    // The same needs for a user who may write them pass, and say so.
    let run = t.check(demo::USERNAME, demo::SECRET, None, &needs).await;
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(
        run.json()["steps"][4]["message"],
        "Query access: Tickets all, TicketWebhooks all; can write: Tickets, TicketWebhooks."
    );
    // Reading only is what the read-only user can do.
    let run = t
        .check(
            demo::READ_ONLY,
            demo::SECRET,
            None,
            &["--entity", "Tickets"],
        )
        .await;
    assert_eq!(run.status, 0, "{}", run.stdout);
}

/// A username that looks like a person's login: the CLI does not send its
/// password unless told to (`--person-login`), and says how.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_password_is_sent_only_with_person_login() {
    let t = Tenant::new().await;
    let run = t.check(demo::REGULAR_USER, demo::SECRET, None, &[]).await;
    assert_eq!(run.status, 2, "{}", run.stdout);
    let json = run.json();
    assert_eq!(json["error"]["kind"], "person_login", "{json}");
    assert_eq!(
        json["error"]["message"],
        "\"jane.doe@demo-msp.example\" looks like a person's login, not an API user. Testing \
         sends its password to Autotask, and a wrong one counts towards locking that person out. \
         To tell: in Autotask, edit the API user (Admin › Company Settings & Users › \
         Resources/Users (HR) › Resources/Users); its Credentials section shows \"Username \
         (Key)\". If this is exactly that value, it is an API user with a username of its own: \
         send it. After it passes once, this computer knows it is an API user and does not ask \
         again. To send it anyway, add --person-login."
    );
    assert!(
        !t.env.sim.requests().iter().any(|r| r.carries(demo::SECRET)),
        "nothing carried the password"
    );
    let run = t
        .check(demo::REGULAR_USER, demo::SECRET, None, &["--person-login"])
        .await;
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_eq!(
        t.env
            .sim
            .requests()
            .iter()
            .filter(|r| r.carries(demo::SECRET))
            .count(),
        1
    );
}
