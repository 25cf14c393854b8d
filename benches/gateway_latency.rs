//! The local gateway's cost (issue 23): the latency it adds to a request
//! against the same request sent straight to Autotask, with the simulator
//! adding 50 ms to every answer, and the memory of the running gateway.
//!
//! The gateway is the shipped CLI's `serve`, a process of its own, so its
//! resident memory is its own. Both clients keep their connection open, as
//! any client library does, and take turns request by request, so a slow
//! moment of this machine falls on both. Needs a Secret Service (the saved
//! profile's secret is stored as in real use): `scripts/bench gateway` runs
//! it inside `scripts/with-secret-service`.
//!
//! `cargo bench --bench gateway_latency` prints a Markdown table;
//! `scripts/bench` writes it into BENCHMARKS.md.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use autotask_simulator::{Simulator, demo};

const BIN: &str = env!("CARGO_BIN_EXE_autotask-connect");
const LATENCY_MS: u64 = 50;
const RUNS: usize = 60;
const PATH: &str = "ATServicesRest/V1.0/Companies/0";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A value in kB from /proc/PID/status (`VmRSS`, `VmHWM`).
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} for process {pid}"))
}

async fn timed(request: reqwest::RequestBuilder) -> Duration {
    let started = Instant::now();
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let body = answer.bytes().await.unwrap();
    let took = started.elapsed();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    took
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = Simulator::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = sim.write_ca(dir.path()).unwrap();
    let config = dir.path().join("config");
    let cli = |args: &[&str]| {
        let mut c = Command::new(BIN);
        c.args(["--connect-to", &sim.connect_to(), "--ca-cert"])
            .arg(&ca)
            .args(args)
            .env("AUTOTASK_CONNECT_CONFIG_DIR", &config)
            .env_remove("AUTOTASK_SECRET");
        c
    };
    let saved = cli(&[
        "profile",
        "save",
        "Bench",
        "--username",
        demo::USERNAME,
        "--integration-code",
        demo::INTEGRATION_CODE,
        "--zone",
        "ww5",
    ])
    .env("AUTOTASK_SECRET", demo::SECRET)
    .output()
    .unwrap();
    assert!(
        saved.status.success(),
        "profile save (is a Secret Service running?): {}",
        String::from_utf8_lossy(&saved.stderr)
    );

    let mut serve = cli(&["serve", "Bench", "--budget", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stdout.take().unwrap()).lines();
    let (mut base, mut token) = (None, None);
    while base.is_none() || token.is_none() {
        let line = lines
            .next()
            .expect("serve printed its environment")
            .unwrap();
        match line.split_once('=') {
            Some(("AUTOTASK_API_URL", v)) => base = Some(v.to_string()),
            Some(("AUTOTASK_SECRET", v)) => token = Some(v.to_string()),
            _ => {}
        }
    }
    let (base, token) = (base.unwrap(), token.unwrap());
    let idle_kb = status_kb(serve.id(), "VmRSS");

    sim.set_latency(Duration::from_millis(LATENCY_MS));
    let direct_client = reqwest::Client::builder()
        .resolve(
            "webservices5.autotask.net",
            ([127, 0, 0, 1], sim.port()).into(),
        )
        .tls_certs_merge(reqwest::Certificate::from_pem_bundle(sim.ca_pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let gateway_client = reqwest::Client::new();
    let direct = || {
        direct_client
            .get(format!("https://webservices5.autotask.net/{PATH}"))
            .header("ApiIntegrationCode", demo::INTEGRATION_CODE)
            .header("UserName", demo::USERNAME)
            .header("Secret", demo::SECRET)
    };
    let through = || {
        gateway_client
            .get(format!("{base}Companies/0"))
            .header("ApiIntegrationCode", "placeholder")
            .header("UserName", "placeholder")
            .header("Secret", &token)
    };
    // Warm-up: connections opened (TLS included), not counted.
    for _ in 0..3 {
        timed(direct()).await;
        timed(through()).await;
    }
    let (mut d, mut g, mut added) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let a = timed(direct()).await;
        let b = timed(through()).await;
        d.push(a);
        g.push(b);
        added.push(b.saturating_sub(a));
    }
    let busy_kb = status_kb(serve.id(), "VmRSS");
    let peak_kb = status_kb(serve.id(), "VmHWM");
    // Our own child, by its handle.
    serve.kill().unwrap();
    serve.wait().unwrap();

    let max_added = *added.iter().max().unwrap();
    println!(
        "| latency per request | requests (each way) | direct median | through the gateway median | \
         added, median of pairs | added, max | target |"
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {LATENCY_MS} ms | {RUNS} | {:.1} ms | {:.1} ms | {:.2} ms | {:.1} ms | ≤ 5 ms median added |",
        ms(median(d)),
        ms(median(g)),
        ms(median(added)),
        ms(max_added),
    );
    println!();
    println!("| gateway process (`serve`) | resident memory |");
    println!("|---|---|");
    println!(
        "| signed in, before any request | {:.1} MiB |",
        idle_kb as f64 / 1024.0
    );
    println!(
        "| after {} requests | {:.1} MiB (peak {:.1} MiB) |",
        RUNS + 3,
        busy_kb as f64 / 1024.0,
        peak_kb as f64 / 1024.0
    );
}
