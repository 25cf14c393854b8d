//! Check wall time against the simulator with injected per-request latency,
//! as a ratio to the network floor: the number of sequential round-trip
//! levels the check needs times the latency. Each run uses a fresh client,
//! so TLS handshakes are included as they are for a real first check, and
//! goes through the door with a lockout ledger in a file, as every face's.
//!
//! `cargo bench --bench check_latency` prints a Markdown table;
//! `scripts/bench` writes it into BENCHMARKS.md.

use std::time::{Duration, Instant};

use std::sync::Arc;

use autotask_connect::check::{Door, Entity, Request};
use autotask_connect::credentials::Secret;
use autotask_connect::lockout::Ledger;
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_connect::vendors;
use autotask_simulator::{Simulator, demo};

/// One check through the door (lints, questions, the ledger, the run, the
/// settlement), with the ledger every face uses: a file of its own.
async fn one(sim: &Simulator, zone_input: Option<&str>, ledger: &Ledger) -> Duration {
    let transport = Transport::new(TransportConfig {
        connect_to: vec![sim.connect_to().parse().unwrap()],
        extra_roots_pem: Some(sim.ca_pem().as_bytes().to_vec()),
        ..TransportConfig::default()
    })
    .unwrap();
    let plan = Request::parse(
        vendors::custom(),
        zone_input.unwrap_or(""),
        demo::USERNAME,
        demo::INTEGRATION_CODE,
    )
    .unwrap()
    .plan(
        Arc::new(Secret::new(demo::SECRET.into())),
        Entity::list(&[]).unwrap(),
    )
    .unwrap();
    let started = Instant::now();
    let report = Door::new(ledger, &transport)
        .check(&plan, &|_| {})
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(report.passed, "bench check failed: {report:?}");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes --bench; a filter argument is ignored.
    let sim = Simulator::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::file(autotask_connect::store::config::Config::at(
        dir.path().to_path_buf(),
    ));
    println!("| latency per request | zone | levels | floor | median (n) | max | median / floor |");
    println!("|---|---|---|---|---|---|---|");
    for (latency_ms, runs) in [(50u64, 15usize), (200, 7)] {
        sim.set_latency(Duration::from_millis(latency_ms));
        for (label, zone_input, levels) in [
            ("pasted (ww5)", Some("https://ww5.autotask.net/"), 3u32),
            ("discovered", None, 3u32),
        ] {
            // One warm-up run (process-level caches), not counted.
            one(&sim, zone_input, &ledger).await;
            let mut times = Vec::with_capacity(runs);
            for _ in 0..runs {
                times.push(one(&sim, zone_input, &ledger).await);
            }
            let floor = Duration::from_millis(latency_ms) * levels;
            let max = *times.iter().max().unwrap();
            let med = median(times);
            println!(
                "| {latency_ms} ms | {label} | {levels} | {} ms | {:.1} ms ({runs}) | {:.1} ms | {:.3}× |",
                floor.as_millis(),
                med.as_secs_f64() * 1000.0,
                max.as_secs_f64() * 1000.0,
                med.as_secs_f64() / floor.as_secs_f64()
            );
        }
    }
}
