//! `status --check` over 30 saved profiles (30 API users of one tenant),
//! against the network floor under Autotask's concurrency limit (issue 14).
//!
//! The simulator adds 50 ms to every request. The status run may have at
//! most 3 requests in flight per Autotask host, so the floor is set by the
//! busiest host: ceil(requests to it / 3) × 50 ms, and never less than the
//! check's own 3 sequential levels (look-up, sign-in, probes). The request
//! counts are read from the simulator's log, not assumed. The
//! profiles live in a temporary config folder with keyring-core's
//! in-memory store (the credential store is not what is measured); the
//! outcome of each check is written to the config file as in real use.
//!
//! `cargo bench --bench status_check` prints a Markdown table;
//! `scripts/bench` writes it into BENCHMARKS.md.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use autotask_connect::credentials::{Credentials, Secret};
use autotask_connect::profile::{NewProfile, ProfileName, Profiles};
use autotask_connect::status::{self, MAX_PER_HOST};
use autotask_connect::store::config::Config;
use autotask_connect::store::keyring::Keyring;
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_simulator::{Simulator, demo};

const PROFILES: usize = 30;
const LATENCY_MS: u64 = 50;
const RUNS: usize = 7;

/// The demo tenant's API user `i` of 30: one API user per profile, as
/// Autotask recommends (one per integration), and as the lockout guard
/// requires for checks to run side by side (one login per username at a time).
fn username(i: usize) -> String {
    format!("bnch{i:02}x8zp4kd2q@demo-msp.example")
}

fn profiles(dir: &std::path::Path, sim: &Simulator) -> Profiles {
    sim.world(|w| {
        let base = w.user_mut(demo::USERNAME).clone();
        for i in 0..PROFILES {
            let mut user = base.clone();
            user.username = username(i);
            w.users.push(user);
        }
    });
    let p = Profiles::new(Config::at(dir.to_path_buf()), Ok(Keyring::in_memory()));
    for i in 0..PROFILES {
        let (credentials, _) = Credentials::parse(
            &username(i),
            Secret::new(demo::SECRET.into()),
            demo::INTEGRATION_CODE,
        )
        .unwrap();
        let draft = NewProfile {
            name: ProfileName::parse(&format!("Tenant {i:02}")).unwrap(),
            credentials,
            zone_input: Some("https://ww5.autotask.net/".into()),
        };
        p.save(&draft, None, false).unwrap();
    }
    p
}

/// One `status --check` with a fresh client; the wall time and the number
/// of requests each host received.
async fn one(sim: &Simulator, profiles: &Profiles) -> (Duration, HashMap<String, usize>) {
    let transport = Transport::new(TransportConfig {
        connect_to: vec![sim.connect_to().parse().unwrap()],
        extra_roots_pem: Some(sim.ca_pem().as_bytes().to_vec()),
        ..TransportConfig::default()
    })
    .unwrap();
    sim.clear_requests();
    let started = Instant::now();
    let report = status::gather(profiles, &transport, true, Default::default())
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(report.ok, "bench status failed: {:#?}", report.profiles[0]);
    assert_eq!(report.profiles.len(), PROFILES);
    let mut per_host = HashMap::new();
    for r in sim.requests() {
        *per_host.entry(r.host.clone()).or_insert(0) += 1;
    }
    (took, per_host)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = Simulator::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profiles = profiles(dir.path(), &sim);
    sim.set_latency(Duration::from_millis(LATENCY_MS));
    // One warm-up run (process-level caches), not counted.
    let (_, per_host) = one(&sim, &profiles).await;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        times.push(one(&sim, &profiles).await.0);
    }
    let (busiest, requests) = per_host
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(h, n)| (h.clone(), *n))
        .unwrap();
    let total: usize = per_host.values().sum();
    let rounds = requests.div_ceil(MAX_PER_HOST).max(3) as u32;
    let floor = Duration::from_millis(LATENCY_MS) * rounds;
    times.sort();
    let median = times[times.len() / 2];
    let max = *times.last().unwrap();
    println!(
        "| profiles | latency per request | requests (busiest host) | limit per host | floor | median (n) | max | median / floor |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {PROFILES} | {LATENCY_MS} ms | {total} ({requests} to {busiest}) | {MAX_PER_HOST} | {} ms | {:.1} ms ({RUNS}) | {:.1} ms | {:.3}× |",
        floor.as_millis(),
        median.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0,
        median.as_secs_f64() / floor.as_secs_f64()
    );
}
