//! The network between the technician and Autotask: a first TLS handshake
//! that takes long, one that never finishes, and an HTTPS proxy that only
//! sees `CONNECT` (a real one, written here: it tunnels to the simulator).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use autotask_connect::check::{Report, Status::*, StepId};
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_simulator::{ConnectionFault, ConnectionFaultKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::cli::cli;
use crate::support::*;

/// A transport with the production timeouts (the CLI's and the app's).
fn production_like(sim: &Simulator) -> Transport {
    Transport::new(TransportConfig {
        connect_to: vec![sim.connect_to().parse().unwrap()],
        extra_roots_pem: Some(sim.ca_pem().as_bytes().to_vec()),
        ..TransportConfig::default()
    })
    .unwrap()
}

fn slow_first_handshake(sim: &Simulator, sni: &str, delay: Duration) {
    sim.add_connection_fault(ConnectionFault {
        sni: Some(sni.into()),
        times: Some(1),
        kind: ConnectionFaultKind::SlowHandshake(delay),
    });
}

async fn demo_check(transport: &Transport) -> Report {
    run_check(transport, Ask::demo(demo::USERNAME)).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_first_handshake_with_the_lookup_host_still_passes() {
    let env = env().await;
    slow_first_handshake(
        &env.sim,
        "webservices.autotask.net",
        Duration::from_secs(12),
    );
    let report = demo_check(&production_like(&env.sim)).await;
    assert_ladder(&report, [Passed, Passed, Passed, Passed, Passed, Passed]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_first_handshake_with_the_tenants_zone_still_passes() {
    let env = env().await;
    slow_first_handshake(
        &env.sim,
        "webservices5.autotask.net",
        Duration::from_secs(12),
    );
    let report = demo_check(&production_like(&env.sim)).await;
    assert_ladder(&report, [Passed, Passed, Passed, Passed, Passed, Passed]);
    assert_eq!(
        carrying(&env.sim, demo::SECRET),
        7,
        "one sign-in, six probes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handshake_that_never_finishes_is_named_with_how_long_we_waited() {
    let env = env_with(World::demo(), Duration::from_secs(2)).await;
    slow_first_handshake(
        &env.sim,
        "webservices5.autotask.net",
        Duration::from_secs(30),
    );
    let report = demo_check(&env.transport).await;
    assert_ladder(
        &report,
        [Failed, Passed, Skipped, Skipped, Skipped, Skipped],
    );
    let network = step(&report, StepId::Network);
    assert_eq!(
        network.message,
        "TLS: webservices5.autotask.net accepted the connection, but the secure handshake did \
         not finish within 1.8 s. No credentials were sent."
    );
    // The exchange that timed out is in the record, with its failure.
    assert_eq!(network.http.len(), 1, "{:?}", network.http);
    assert!(
        network.http[0]
            .url
            .contains("webservices5.autotask.net/ATServicesRest")
    );
    assert_eq!(network.http[0].status, None);
    assert!(network.http[0].failure.is_some());
    assert_eq!(carrying(&env.sim, demo::SECRET), 0);
}

/// A CONNECT proxy on loopback that tunnels every target to `upstream` and
/// records the request lines it saw.
async fn connect_proxy(upstream: u16) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                log.lock().unwrap().push(text.clone());
                if !text.starts_with("CONNECT ") {
                    let _ = client.write_all(b"HTTP/1.1 405 Only CONNECT\r\n\r\n").await;
                    return;
                }
                let mut server = tokio::net::TcpStream::connect(("127.0.0.1", upstream))
                    .await
                    .unwrap();
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (port, seen)
}

/// The CLI's check of the demo user through `proxy` (HTTPS_PROXY), trusting
/// the simulator's CA with --ca-cert and no connect override.
async fn check_through(sim: &Simulator, proxy: &str) -> crate::cli::Run {
    let ca = tempfile::tempdir().unwrap();
    let ca_path = sim.write_ca(ca.path()).unwrap().display().to_string();
    cli(
        &[
            "--ca-cert",
            &ca_path,
            "check",
            "--json",
            "--username",
            demo::USERNAME,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ],
        &[
            ("AUTOTASK_SECRET", demo::SECRET),
            ("HTTPS_PROXY", proxy),
            ("NO_PROXY", ""),
        ],
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_through_a_connect_proxy_shows_the_proxy_only_host_names() {
    let env = env().await;
    let (port, seen) = connect_proxy(env.sim.port()).await;
    let proxy = format!("http://127.0.0.1:{port}");
    let run = check_through(&env.sim, &proxy).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.json()["steps"][0]["message"],
        format!(
            "Reached webservices.autotask.net and webservices5.autotask.net over HTTPS \
             (certificates verified, trusting an extra CA as well as the system's, through the \
             proxy {proxy})."
        )
        .as_str()
    );
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|h| h.lines().next().unwrap()).collect();
    assert!(
        lines.contains(&"CONNECT webservices.autotask.net:443 HTTP/1.1")
            && lines.contains(&"CONNECT webservices5.autotask.net:443 HTTP/1.1"),
        "{lines:?}"
    );
    for head in &seen {
        assert!(
            !head.contains(demo::SECRET) && !head.contains(demo::INTEGRATION_CODE),
            "the proxy saw a credential: {head}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_proxy_is_named_without_its_password() {
    let env = env().await;
    // A port nothing listens on: bound, then closed.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = format!("http://proxyuser:Pr0xy-Passw0rd@127.0.0.1:{closed}");
    let run = check_through(&env.sim, &proxy).await;
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let network = &json["steps"][0];
    assert_eq!(network["status"], "failed");
    let message = network["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "Proxy: no connection to webservices.autotask.net through the proxy \
             http://127.0.0.1:{closed} (gave up after "
        )),
        "{message}"
    );
    assert!(message.ends_with("No credentials were sent."), "{message}");
    assert!(network["fix"].as_str().unwrap().contains("HTTPS_PROXY"));
    assert!(!run.stdout.contains("Pr0xy-Passw0rd") && !run.stderr.contains("Pr0xy-Passw0rd"));
}

/// Trust comes from the system and `--ca-cert`, never from SSL_CERT_FILE or
/// SSL_CERT_DIR (which would replace the system's roots); and whenever
/// traffic is routed elsewhere, standard error says where.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_cannot_add_trust_and_routing_is_announced() {
    let env = env().await;
    let ca = tempfile::tempdir().unwrap();
    let ca_path = env.sim.write_ca(ca.path()).unwrap().display().to_string();
    let connect_to = env.sim.connect_to();
    let args = |with_ca: bool| {
        let mut a = vec!["--connect-to", connect_to.as_str()];
        if with_ca {
            a.extend(["--ca-cert", ca_path.as_str()]);
        }
        a.extend([
            "check",
            "--json",
            "--username",
            demo::USERNAME,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ]);
        a
    };
    let ca_dir = ca.path().display().to_string();
    let untrusted = cli(
        &args(false),
        &[
            ("AUTOTASK_SECRET", demo::SECRET),
            ("SSL_CERT_FILE", &ca_path),
            ("SSL_CERT_DIR", &ca_dir),
        ],
        None,
    )
    .await;
    assert_eq!(untrusted.status, 1, "{}", untrusted.stdout);
    let network = &untrusted.json()["steps"][0];
    assert!(
        network["message"]
            .as_str()
            .unwrap()
            .contains("comes from an authority this computer does not trust"),
        "{network}"
    );
    assert_eq!(carrying(&env.sim, demo::SECRET), 0);
    assert_eq!(
        untrusted.stderr,
        format!(
            "Note: connections for every Autotask host go to 127.0.0.1:{} (--connect-to); \
             credentials go there too.\n",
            env.sim.port()
        )
    );

    let trusted = cli(&args(true), &[("AUTOTASK_SECRET", demo::SECRET)], None).await;
    assert_eq!(trusted.status, 0, "{}", trusted.stdout);
    // The result says what "verified" rested on.
    assert_eq!(
        trusted.json()["steps"][0]["message"],
        format!(
            "Reached webservices.autotask.net and webservices5.autotask.net over HTTPS \
             (certificates verified, trusting an extra CA as well as the system's, connecting to \
             127.0.0.1:{} instead).",
            env.sim.port()
        )
        .as_str()
    );
    assert!(
        trusted.stderr.ends_with(&format!(
            "Note: certificates issued by {ca_path} are trusted as well as the system's \
             (--ca-cert).\n"
        )),
        "{}",
        trusted.stderr
    );
}
