//! The local gateway (issue 23) as scripts and AI agents use it: `exec
//! --gateway` and `serve` against a real gnome-keyring (each test re-runs
//! itself in `scripts/with-secret-service`) and the simulator over HTTPS.
//! The clients are small Python scripts with unchanged Autotask client code:
//! they read `AUTOTASK_*` and send Autotask's three headers.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::time::Duration;

use autotask_simulator::{Action, Fault};
use serde_json::Value;

use crate::scripts::Setup;
use crate::support::*;

fn reran_in_secret_service(name: &str) -> bool {
    if std::env::var_os("_WSS_INNER").is_some() {
        return false;
    }
    run_in_secret_service(&format!("gateway::{name}"), &[]);
    true
}

/// The client: a script any Autotask integration could be. `list` reads
/// what it was given, lists companies (following `nextPageUrl`), reads
/// company 0 and the version (which the simulator answers by quoting the
/// request's headers), tries to create a ticket, then calls Autotask
/// directly with its environment, as a client that ignores
/// `AUTOTASK_API_URL` would. `burst` sends 10 queries at once, then reads
/// company 0 until something other than 200 comes back.
const CLIENT: &str = r#"
import json, os, socket, ssl, sys, threading, urllib.error, urllib.request

base = os.environ["AUTOTASK_API_URL"]
headers = {
    "ApiIntegrationCode": os.environ["AUTOTASK_INTEGRATION_CODE"],
    "UserName": os.environ["AUTOTASK_USERNAME"],
    "Secret": os.environ["AUTOTASK_SECRET"],
    "Content-Type": "application/json",
}
seen = []

def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            status, got, text = r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        status, got, text = e.code, e.headers, e.read().decode()
    got = {k.lower(): v for k, v in got.items()}
    seen.append({"method": method, "url": url, "status": status, "headers": got, "body": text})
    return status, got, text

def direct(host, target, port, ca):
    # Straight to "Autotask" (the simulator, as curl --connect-to would).
    context = ssl.create_default_context(cafile=ca)
    with socket.create_connection(("127.0.0.1", port)) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            lines = [f"GET {target} HTTP/1.1", f"Host: {host}", "Connection: close"]
            lines += [f"{k}: {v}" for k, v in headers.items()]
            tls.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += tls.recv(4096)
            head, body = answer.split(b"\r\n\r\n", 1)
            length = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")]
            while length and len(body) < length[0]:
                body += tls.recv(4096)
            return int(head.split(b" ")[1]), body.decode()

mode = sys.argv[1]
if mode == "list":
    companies = []
    status, _, text = call("POST", base + "Companies/query",
                           {"MaxRecords": 2, "filter": [{"op": "gte", "field": "id", "value": 0}]})
    while True:
        page = json.loads(text)
        companies += [c["companyName"] for c in page["items"]]
        following = page["pageDetails"]["nextPageUrl"]
        if not following:
            break
        status, _, text = call("GET", following)
    company_zero = call("GET", base + "Companies/0")[0]
    version = call("GET", base + "Version")[0]
    create = call("POST", base + "Tickets", {"title": "Printer on fire", "companyID": 1})
    port, ca = int(sys.argv[2]), sys.argv[3]
    direct_answers = [
        direct("webservices5.autotask.net", "/ATServicesRest/V1.0/Companies/0", port, ca),
        direct("webservices.autotask.net",
               "/ATServicesRest/V1.0/zoneInformation?user=" + headers["UserName"], port, ca),
    ]
    with open("/proc/self/environ", "rb") as f:
        environ = f.read().decode(errors="replace")
    with open("/proc/self/cmdline", "rb") as f:
        cmdline = f.read().decode(errors="replace")
    # The parent: the gateway itself, running while this child does.
    with open("/proc/%d/cmdline" % os.getppid(), "rb") as f:
        parent = f.read().decode(errors="replace")
    with open("/proc/%d/environ" % os.getppid(), "rb") as f:
        parent_environ = f.read().decode(errors="replace")
    print(json.dumps({
        "parent": parent, "parent_environ": parent_environ,
        "companies": companies, "company_zero": company_zero, "version": version,
        "create": {"status": create[0], "body": json.loads(create[2])},
        "direct": direct_answers, "environ": environ, "cmdline": cmdline, "argv": sys.argv,
        "seen": seen,
    }))
elif mode == "burst":
    results = [None] * 10
    def one(i):
        results[i] = call("POST", base + "Companies/query", {"filter": [{"op": "gte", "field": "id", "value": 0}]})[0]
    threads = [threading.Thread(target=one, args=(i,)) for i in range(10)]
    for t in threads: t.start()
    for t in threads: t.join()
    after = []
    for _ in range(10):
        status, got, text = call("GET", base + "Companies/0")
        after.append(status)
        if status != 200:
            refusal = {"body": json.loads(text), "retry_after": got.get("retry-after")}
            break
    print(json.dumps({"burst": results, "after": after, "refusal": refusal}))
"#;

/// What would give away `value`: its start of 6 characters (what the
/// redactor hides in every spelling) and every run of 8 of its characters
/// that is not a plain word (the demo secret holds "Secret", the demo code
/// "TRACKING").
fn parts(value: &str) -> Vec<String> {
    let chars: Vec<char> = value.to_lowercase().chars().collect();
    let mut out = vec![chars[..6].iter().collect::<String>()];
    out.extend(
        chars
            .windows(8)
            .filter(|w| !w.iter().all(|c| c.is_ascii_alphabetic()))
            .map(|w| w.iter().collect::<String>()),
    );
    out
}

/// Asserts that nothing of the profile's secret or integration code, in
/// any case, is in `text`.
#[track_caller]
fn holds_nothing_of_the_credentials(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for part in parts(demo::SECRET)
        .into_iter()
        .chain(parts(demo::INTEGRATION_CODE))
    {
        assert!(!lower.contains(&part), "{what} holds {part:?}:\n{text}");
    }
}

/// The client script, written where the child can read it.
fn client(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("client.py");
    std::fs::write(&path, CLIENT).unwrap();
    path.display().to_string()
}

/// Runs the client's `list` under `exec --gateway Contoso` with `flags`:
/// its JSON, and the CLI's run (for its standard error).
async fn list_through_gateway(s: &Setup, script: &str, flags: &[&str]) -> (Value, crate::cli::Run) {
    let port = s.env.sim.port().to_string();
    let ca = s.ca_path().display().to_string();
    let mut args = vec!["exec", "--gateway", "Contoso"];
    args.extend(flags);
    args.extend(["--", "python3", script, "list", &port, &ca]);
    let r = s.run(&args).await;
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    let out: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    (out, r)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_lists_companies_through_the_gateway_and_holds_nothing_of_the_secret() {
    if reran_in_secret_service(
        "a_child_lists_companies_through_the_gateway_and_holds_nothing_of_the_secret",
    ) {
        return;
    }
    let s = Setup::new().await;
    s.save("Contoso", demo::USERNAME, None).await;
    let sim = &s.env.sim;
    // A debugging server that quotes the request's headers back.
    sim.add_fault(
        Fault::new(Action::EchoHeaders {
            status: 500,
            pad: 3,
        })
        .on_path("/Version"),
    );
    let dir = tempfile::tempdir().unwrap();
    let script = client(&dir);
    let log = dir.path().join("gateway.log");

    let log_arg = log.display().to_string();
    let (out, r) = list_through_gateway(&s, &script, &["--log", &log_arg]).await;

    // Unchanged client code lists every company, across pages.
    assert_eq!(
        out["companies"],
        serde_json::json!([
            "Demo MSP (simulated)",
            "Contoso Ltd (simulated)",
            "Fabrikam Inc (simulated)",
            "Northwind Traders (simulated)"
        ])
    );
    let urls: Vec<&str> = out["seen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["url"].as_str().unwrap())
        .collect();
    assert!(
        urls.iter().all(|u| u.starts_with("http://127.0.0.1:")),
        "every call went to the gateway, the next page too: {urls:?}"
    );
    assert_eq!(out["company_zero"], 200);
    assert_eq!(out["version"], 500, "the echo came through, scrubbed");
    // Read-only by default: the create never reached Autotask.
    assert_eq!(out["create"]["status"], 403);
    assert_eq!(out["create"]["body"]["error"], "read_only");
    assert_eq!(out["create"]["body"]["entity"], "Tickets");
    let posts_to_tickets = sim
        .requests()
        .iter()
        .filter(|q| q.method == "POST" && q.is_for("/V1.0/Tickets"))
        .count();
    assert_eq!(posts_to_tickets, 0);

    // Its environment, arguments and every answer (headers and bodies).
    holds_nothing_of_the_credentials("the child's output", &r.stdout);
    let environ = out["environ"].as_str().unwrap();
    assert!(environ.contains("AUTOTASK_SECRET=atgw_"), "{environ}");
    assert!(environ.contains("AUTOTASK_GATEWAY=1"), "{environ}");
    assert!(
        environ.contains("AUTOTASK_GATEWAY_READ_ONLY=1"),
        "{environ}"
    );
    assert!(!environ.contains(demo::USERNAME), "{environ}");
    // The parent keeps nothing in its own environment either.
    let parent = out["parent"].as_str().unwrap();
    assert!(
        parent.contains("--gateway"),
        "the parent is the CLI: {parent}"
    );
    let parent_environ = out["parent_environ"].as_str().unwrap();
    assert!(!parent_environ.is_empty());
    holds_nothing_of_the_credentials("the parent's environment", parent_environ);
    holds_nothing_of_the_credentials("the CLI's standard error", &r.stderr);

    // Called directly with its environment, Autotask hears of no real user.
    let direct = out["direct"].as_array().unwrap();
    assert_eq!(direct[0][0], 500, "{direct:?}");
    assert_eq!(
        direct[1][0], 500,
        "an unknown user for the zone look-up: {direct:?}"
    );
    let token_requests: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|q| q.target.contains("gateway%40autotask-connect.invalid") || q.carries("atgw_"))
        .collect();
    assert_eq!(token_requests.len(), 2, "the two direct calls were seen");
    for q in &token_requests {
        assert!(
            !q.carries(demo::USERNAME) && !q.carries(demo::SECRET),
            "{q:?}"
        );
        assert!(!q.carries(demo::INTEGRATION_CODE), "{q:?}");
    }
    assert_eq!(sim.world(|w| w.user_mut(demo::USERNAME).failed_logins), 0);
    // The secret went out once to sign in, then with each forwarded request.
    let forwarded = sim
        .requests()
        .iter()
        .filter(|q| q.header("Secret") == Some(demo::SECRET))
        .count();
    assert_eq!(
        forwarded,
        1 + 2 + 1 + 1,
        "sign-in, two pages, company 0, version"
    );

    // --log: one line per request, time method entity status duration.
    let lines = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = lines.lines().collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    let fields: Vec<Vec<&str>> = lines.iter().map(|l| l.split(' ').collect()).collect();
    assert!(
        fields.iter().all(|f| f.len() == 5 && f[4].ends_with("ms")),
        "{lines:?}"
    );
    assert_eq!(
        fields
            .iter()
            .map(|f| (f[1], f[2], f[3]))
            .collect::<Vec<_>>(),
        [
            ("POST", "Companies", "200"),
            ("GET", "Companies", "200"),
            ("GET", "Companies", "200"),
            ("GET", "Version", "500"),
            ("POST", "Tickets", "403"),
        ]
    );
    let text = lines.join("\n");
    assert!(!text.contains("atgw_") && !text.contains("query") && !text.contains("Printer"));
    holds_nothing_of_the_credentials("the log", &text);

    // With --write (and the entity allowed), the create goes through.
    let before = sim.world(|w| w.records("demo").count("Tickets"));
    let flags = ["--write", "--write-entity", "Tickets,TicketNotes"];
    let (out, r) = list_through_gateway(&s, &script, &flags).await;
    assert_eq!(out["create"]["status"], 200, "{}", out["create"]);
    assert!(out["create"]["body"]["itemId"].is_u64());
    assert_eq!(
        sim.world(|w| w.records("demo").count("Tickets")),
        before + 1
    );
    assert!(
        out["environ"]
            .as_str()
            .unwrap()
            .contains("AUTOTASK_GATEWAY_WRITE_ENTITIES=Tickets,TicketNotes")
    );
    holds_nothing_of_the_credentials("the second child's output", &r.stdout);

    // --write-entity narrows --write: Tickets is not among them, so refused.
    let flags = ["--write", "--write-entity", "TicketNotes"];
    let (out, _) = list_through_gateway(&s, &script, &flags).await;
    assert_eq!(out["create"]["status"], 403, "{}", out["create"]);
    assert_eq!(out["create"]["body"]["error"], "read_only");
    assert_eq!(
        sim.world(|w| w.records("demo").count("Tickets")),
        before + 1,
        "nothing more was created"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_answers_429_at_its_cap_and_an_entity_never_has_more_than_3_in_flight() {
    if reran_in_secret_service(
        "the_budget_answers_429_at_its_cap_and_an_entity_never_has_more_than_3_in_flight",
    ) {
        return;
    }
    let s = Setup::new().await;
    s.save("Contoso", demo::USERNAME, None).await;
    let sim = &s.env.sim;
    // Slow enough that 10 requests at once would overlap.
    sim.set_latency(Duration::from_millis(150));
    sim.world(|w| w.reset_peaks());
    let dir = tempfile::tempdir().unwrap();
    let script = client(&dir);
    let r = s
        .run(&[
            "exec",
            "--gateway",
            "Contoso",
            "--budget",
            "13",
            "--",
            "python3",
            &script,
            "burst",
        ])
        .await;
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    let out: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    // All 10 answered (queued, not failed), never more than 3 at Autotask.
    assert_eq!(out["burst"], serde_json::json!(vec![200; 10]), "{out}");
    assert_eq!(sim.world(|w| w.peak_in_flight("companies")), 3);
    // 13 requests allowed: 10, then 3 more; the 14th is refused.
    assert_eq!(
        out["after"],
        serde_json::json!([200, 200, 200, 429]),
        "{out}"
    );
    let refusal = &out["refusal"];
    assert_eq!(refusal["body"]["error"], "budget_exhausted");
    assert_eq!(refusal["body"]["budget"], 13);
    let wait = refusal["body"]["retry_after_s"].as_u64().unwrap();
    assert!((3500..=3600).contains(&wait), "{wait}");
    assert_eq!(refusal["retry_after"], wait.to_string());
    let sent = sim
        .requests()
        .iter()
        .filter(|q| q.header("Secret") == Some(demo::SECRET) && q.is_for("/Companies"))
        .count();
    assert_eq!(sent, 13, "nothing past the budget reached Autotask");
}

/// One request to the gateway at `port`, as a client sends it.
fn request(port: u16, method: &str, path: &str, token: &str) -> (u16, Value) {
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = if method == "POST" {
        "{\"filter\":[]}"
    } else {
        ""
    };
    write!(
        tcp,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nSecret: {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    tcp.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_stops_the_gateway_and_status_shows_it() {
    if reran_in_secret_service("a_refused_login_stops_the_gateway_and_status_shows_it") {
        return;
    }
    let s = Setup::new().await;
    s.save("Contoso", demo::USERNAME, None).await;
    let sim = &s.env.sim;

    // serve: the environment lines once on standard output, then serve.
    let mut serve = s
        .command(&["serve", "Contoso"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let mut env = std::collections::BTreeMap::new();
    while env.len() < 12 {
        let line = lines.next().expect("an environment line").unwrap();
        let (k, v) = line.split_once('=').unwrap();
        env.insert(k.to_string(), v.to_string());
    }
    let url = &env["AUTOTASK_API_URL"];
    let port: u16 = url["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let token = env["AUTOTASK_SECRET"].clone();
    assert!(token.starts_with("atgw_") && token.len() == 69, "{token}");
    assert_eq!(env["AUTOTASK_USERNAME"], "gateway@autotask-connect.invalid");
    let path = "/ATServicesRest/V1.0/Companies/0";
    let ask = move |method: &'static str, path: &'static str| {
        let token = token.clone();
        tokio::task::spawn_blocking(move || request(port, method, path, &token))
    };
    assert_eq!(ask("GET", path).await.unwrap().0, 200);
    let (status, body) = ask("GET", path).await.unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, body) =
        tokio::task::spawn_blocking(move || request(port, "GET", path, "atgw_wrong"))
            .await
            .unwrap();
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_token"))
    );

    // The secret is regenerated in Autotask while the gateway runs.
    sim.world(|w| w.user_mut(demo::USERNAME).secret = "Regenerated*Secret#2026~x".into());
    let sent = || {
        sim.requests()
            .iter()
            .filter(|q| q.header("Secret") == Some(demo::SECRET))
            .count()
    };
    let before = sent();
    let (status, body) = ask("GET", path).await.unwrap();
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("credentials_refused")),
        "{body}"
    );
    assert_eq!(sent(), before + 1);
    for (method, path) in [
        ("GET", path),
        ("POST", "/ATServicesRest/V1.0/Companies/query"),
        ("GET", "/ATServicesRest/V1.0/Tickets/1"),
    ] {
        let (status, body) = ask(method, path).await.unwrap();
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("credentials_refused"))
        );
    }
    assert_eq!(
        sent(),
        before + 1,
        "nothing more reached Autotask after the 401"
    );
    assert_eq!(sim.world(|w| w.user_mut(demo::USERNAME).failed_logins), 1);

    // status shows the stopped gateway, and the ledger counted the refusal.
    let mut doc = Value::Null;
    for _ in 0..50 {
        let r = s.run(&["status", "--json"]).await;
        doc = r.json();
        if doc["gateways"][0]["state"] == "credentials_refused" {
            assert_eq!(r.status, 1);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let g = &doc["gateways"][0];
    assert_eq!(g["state"], "credentials_refused", "{doc:#}");
    assert_eq!(g["profile"], "Contoso");
    assert_eq!(g["url"], url.as_str());
    assert_eq!(g["requests"], 3, "{g}");
    // The wrong token, and three after the refusal (the 401 itself was sent).
    assert_eq!(g["refused"], 4, "{g}");
    assert_eq!(g["entities"]["Companies"], 3, "{g}");
    assert_eq!(g["read_only"], true);
    assert_eq!(g["budget"], 1000, "10 % of the simulator's 10,000");
    let profile = &doc["profiles"][0];
    assert_eq!(profile["lockout_guard"]["recent_failed_logins"], 1);
    assert!(
        profile["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "credentials_refused"),
        "{profile:#}"
    );
    let text = s.run(&["status"]).await.stdout;
    assert!(
        text.contains("STOPPED: Autotask refused the credentials"),
        "{text}"
    );

    // Ctrl-C ends it cleanly; status lists it no more.
    #[allow(unsafe_code)] // kill(2) on the child this test started
    // SAFETY: a valid pid of our own child and a valid signal.
    unsafe {
        libc::kill(serve.id() as libc::pid_t, libc::SIGINT);
    }
    let status = serve.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    serve
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    holds_nothing_of_the_credentials("serve's standard error", &stderr);
    assert_eq!(
        s.run(&["status", "--json"]).await.json()["gateways"],
        serde_json::json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_cannot_sign_in_does_not_start_its_command() {
    if reran_in_secret_service("a_gateway_that_cannot_sign_in_does_not_start_its_command") {
        return;
    }
    let s = Setup::new().await;
    let sim = &s.env.sim;
    // A wrong secret: one sign-in, refused, counted; the command never runs.
    let r = s
        .run_env(
            &[
                "profile",
                "save",
                "Wrong",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            &[("AUTOTASK_SECRET", "Wrong*Secret#2026~xY7$kQ2")],
        )
        .await;
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = s
        .run(&["exec", "--gateway", "Wrong", "--", "sh", "-c", "echo RAN"])
        .await;
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("RAN"), "{}", r.stdout);
    assert!(r.stderr.contains("did not start"), "{}", r.stderr);
    assert_eq!(carrying(sim, "Wrong*Secret#2026~xY7$kQ2"), 1);
    let shown = s.run(&["profile", "show", "Wrong", "--json"]).await.json();
    assert_eq!(shown["recent_failed_logins"], 1, "{shown:#}");

    // A vendor-bound API user: no code to sign in with, nothing sent.
    let r = s
        .run_env(
            &[
                "profile",
                "save",
                "Depot",
                "--vendor",
                "cloud-depot",
                "--username",
                demo::USERNAME,
            ],
            &[("AUTOTASK_SECRET", demo::SECRET)],
        )
        .await;
    assert_eq!(r.status, 0, "{}", r.stderr);
    let r = s.run(&["exec", "--gateway", "Depot", "--", "true"]).await;
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("Cloud Depot"), "{}", r.stderr);
    assert_eq!(carrying(sim, demo::SECRET), 0);

    // The limits are a gateway's: without --gateway they are a mistake.
    let r = s
        .run(&["exec", "Depot", "--budget", "5", "--", "true"])
        .await;
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--budget applies to a gateway only"),
        "{}",
        r.stderr
    );
    let r = s
        .run(&[
            "exec",
            "--gateway",
            "Depot",
            "--write-entity",
            "Tickets",
            "--",
            "true",
        ])
        .await;
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert_eq!(carrying(sim, demo::SECRET), 0);
}
