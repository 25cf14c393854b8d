//! The fault matrix: what the network and the server can do wrong, and for
//! each the step that fails, what it blames, that the check ends in
//! bounded time, and that credentials never go where they should not.

use std::time::{Duration, Instant};

use autotask_connect::check::{Blame, Consent, Report, Status::*, StepId};
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_simulator::{Action, ConnectionFault, ConnectionFaultKind, Fault, Presented};

use crate::support::*;

const TIMEOUT: Duration = Duration::from_secs(2);

async fn short_env() -> Env {
    env_with(World::demo(), TIMEOUT).await
}

/// Runs the good demo user and checks the run stayed bounded.
async fn good_user(env: &Env, zone: Option<&str>) -> Report {
    let started = Instant::now();
    let mut ask = Ask::demo(demo::USERNAME);
    ask.zone = zone;
    let (report, _) = run_check(&env.transport, ask).await;
    // Three round-trip levels at most, each bounded by the timeout.
    assert!(
        started.elapsed() < TIMEOUT * 3 + Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    report
}

fn network_failure(report: &Report, starts_with: &str) {
    assert_ladder(
        report,
        [Failed, Skipped, Skipped, Skipped, Skipped, Skipped],
    );
    let n = step(report, StepId::Network);
    assert_eq!(n.blame, Some(Blame::Network));
    assert!(n.message.starts_with(starts_with), "{}", n.message);
    assert!(
        n.message.contains("No credentials were sent"),
        "{}",
        n.message
    );
    assert!(n.fix.is_some());
}

fn transport_with(connect_to: &str, ca: Option<&str>) -> Transport {
    Transport::new(TransportConfig {
        connect_to: vec![connect_to.parse().unwrap()],
        extra_roots_pem: ca.map(|c| c.as_bytes().to_vec()),
        connect_timeout: TIMEOUT,
        request_timeout: TIMEOUT,
        ..TransportConfig::default()
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_failure_names_dns() {
    let env = short_env().await;
    let transport = transport_with("::no-such-host.invalid:443", Some(env.sim.ca_pem()));
    let (report, _) = run_check(&transport, Ask::demo(demo::USERNAME)).await;
    network_failure(
        &report,
        "DNS: this computer could not look up webservices.autotask.net",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_names_tcp() {
    let env = short_env().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let transport = transport_with(&format!("::127.0.0.1:{port}"), Some(env.sim.ca_pem()));
    let (report, _) = run_check(&transport, Ask::demo(demo::USERNAME)).await;
    network_failure(
        &report,
        "TCP: webservices.autotask.net refused the connection",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_faults_name_tls_and_send_nothing() {
    for (presented, words) in [
        (Presented::WrongHost, "issued for a different host"),
        (
            Presented::UnknownCa,
            "authority this computer does not trust",
        ),
        (Presented::Expired, "expired"),
    ] {
        let env = short_env().await;
        env.sim.add_connection_fault(ConnectionFault {
            sni: None,
            times: None,
            kind: ConnectionFaultKind::Present(presented),
        });
        let report = good_user(&env, None).await;
        network_failure(&report, "TLS: connecting to webservices.autotask.net");
        assert!(
            step(&report, StepId::Network).message.contains(words),
            "{presented:?}"
        );
        assert!(
            env.sim.requests().is_empty(),
            "no request crossed a refused handshake"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_outside_the_trust_store_is_refused() {
    // Without the test CA the simulator's real certificate is untrusted:
    // there is no switch that would accept it.
    let env = short_env().await;
    let transport = transport_with(&env.sim.connect_to(), None);
    let (report, _) = run_check(&transport, Ask::demo(demo::USERNAME)).await;
    network_failure(&report, "TLS:");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_closed_during_the_handshake_names_tls() {
    let env = short_env().await;
    env.sim.add_connection_fault(ConnectionFault {
        sni: None,
        times: None,
        kind: ConnectionFaultKind::CloseDuringHandshake,
    });
    let report = good_user(&env, None).await;
    network_failure(
        &report,
        "TLS: the connection to webservices.autotask.net was closed during the secure handshake",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_api_host_fails_the_network_without_sending_the_secret() {
    let env = short_env().await;
    env.sim.add_connection_fault(ConnectionFault {
        sni: Some("webservices5.autotask.net".into()),
        times: None,
        kind: ConnectionFaultKind::Present(Presented::WrongHost),
    });
    let report = good_user(&env, None).await;
    assert_ladder(
        &report,
        [Failed, Passed, Skipped, Skipped, Skipped, Skipped],
    );
    assert!(
        step(&report, StepId::Network)
            .message
            .contains("webservices5.autotask.net")
    );
    assert_eq!(carrying(&env.sim, demo::SECRET), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_lookup_host_with_a_pasted_zone_only_warns() {
    let env = short_env().await;
    env.sim.add_connection_fault(ConnectionFault {
        sni: Some("webservices.autotask.net".into()),
        times: None,
        kind: ConnectionFaultKind::Present(Presented::WrongHost),
    });
    let report = good_user(&env, Some("ww5.autotask.net")).await;
    assert_ladder(&report, [Warning, Warning, Passed, Passed, Passed, Passed]);
    assert!(report.passed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resets_fail_the_step_that_was_waiting() {
    for (path, failing) in [
        ("zoneInformation", StepId::Zone),
        ("ThresholdInformation", StepId::Authentication),
        ("Companies/0", StepId::Tenant),
    ] {
        for action in [Action::ResetBeforeResponse, Action::ResetMidResponse] {
            let env = short_env().await;
            env.sim.add_fault(Fault::new(action.clone()).on_path(path));
            let report = good_user(&env, None).await;
            let s = step(&report, failing);
            assert_eq!(
                (s.status, s.blame),
                (Failed, Some(Blame::Network)),
                "{path} {action:?}: {}",
                s.message
            );
            assert!(
                s.message.contains("broke before the answer was complete"),
                "{}",
                s.message
            );
            assert_eq!(step(&report, StepId::Network).status, Passed);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stall_past_the_timeout_ends_in_bounded_time() {
    let env = short_env().await;
    env.sim
        .add_fault(Fault::new(Action::Stall).on_path("ThresholdInformation"));
    let started = Instant::now();
    let report = good_user(&env, None).await;
    assert!(
        started.elapsed() < TIMEOUT + Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    let auth = step(&report, StepId::Authentication);
    assert_eq!((auth.status, auth.blame), (Failed, Some(Blame::Network)));
    assert!(
        auth.message.contains("did not finish answering within 2 s"),
        "{}",
        auth.message
    );
    assert_eq!(
        carrying(&env.sim, demo::SECRET),
        1,
        "no retry after a timeout either"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_never_ends_is_cut_off() {
    let env = short_env().await;
    env.sim
        .add_fault(Fault::new(Action::EndlessBody).on_path("zoneInformation"));
    let report = good_user(&env, None).await;
    let zone = step(&report, StepId::Zone);
    assert_eq!(
        (zone.status, zone.blame),
        (Failed, Some(Blame::Network)),
        "{}",
        zone.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_within_the_timeout_still_passes() {
    let env = short_env().await;
    env.sim.add_fault(
        Fault::new(Action::SlowBody {
            chunk: 16,
            every: Duration::from_millis(20),
        })
        .on_path("zoneInformation"),
    );
    let report = good_user(&env, None).await;
    assert_ladder(&report, [Passed; 6]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_is_tolerated() {
    let env = short_env().await;
    env.sim.set_latency(Duration::from_millis(150));
    let report = good_user(&env, Some("ww5.autotask.net")).await;
    assert_ladder(&report, [Passed; 6]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed_with_credentials() {
    let env = short_env().await;
    env.sim.add_fault(
        Fault::new(Action::redirect(
            "https://collector.example/ATServicesRest/V1.0/ThresholdInformation",
        ))
        .on_path("ThresholdInformation"),
    );
    let report = good_user(&env, None).await;
    let auth = step(&report, StepId::Authentication);
    assert_eq!((auth.status, auth.blame), (Failed, Some(Blame::Network)));
    assert!(
        auth.message.contains("collector.example"),
        "{}",
        auth.message
    );
    assert!(auth.message.contains("not followed"));
    assert!(
        env.sim
            .requests()
            .iter()
            .all(|r| r.host.ends_with(".autotask.net"))
    );
    assert_eq!(carrying(&env.sim, demo::SECRET), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_of_the_zone_lookup_is_not_followed_either() {
    let env = short_env().await;
    env.sim.add_fault(
        Fault::new(Action::redirect(
            "https://webservices5.autotask.net.example.com/",
        ))
        .on_path("zoneInformation"),
    );
    let report = good_user(&env, None).await;
    assert_ladder(
        &report,
        [Passed, Failed, Skipped, Skipped, Skipped, Skipped],
    );
    assert_eq!(step(&report, StepId::Zone).blame, Some(Blame::Network));
    assert_eq!(env.sim.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_with_and_without_retry_after() {
    for (retry, expect) in [(Some(120), Some("wait 120 s")), (None, None)] {
        let env = short_env().await;
        env.sim
            .add_fault(Fault::new(Action::rate_limited(retry)).on_path("ThresholdInformation"));
        let report = good_user(&env, None).await;
        let auth = step(&report, StepId::Authentication);
        assert_eq!((auth.status, auth.blame), (Failed, Some(Blame::RateLimit)));
        match expect {
            Some(words) => assert!(auth.message.contains(words), "{}", auth.message),
            None => assert!(!auth.message.contains("wait"), "{}", auth.message),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_server_errors_quote_autotask() {
    let env = short_env().await;
    env.sim.add_fault(
        Fault::new(Action::respond(
            500,
            "application/json",
            r#"{"errors":["Object reference not set to an instance of an object."]}"#,
        ))
        .on_path("ThresholdInformation"),
    );
    let report = good_user(&env, None).await;
    let auth = step(&report, StepId::Authentication);
    assert_eq!((auth.status, auth.blame), (Failed, None));
    assert!(
        auth.message.contains("Object reference not set"),
        "{}",
        auth.message
    );
    assert!(auth.fix.as_ref().unwrap().contains("Autotask support"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_pages_point_at_a_proxy() {
    for status in [200, 502] {
        let env = short_env().await;
        env.sim.add_fault(
            Fault::new(Action::respond(
                status,
                "text/html",
                "<html><head><title>Blocked by policy</title></head></html>",
            ))
            .on_path("zoneInformation"),
        );
        let report = good_user(&env, None).await;
        let zone = step(&report, StepId::Zone);
        assert_eq!(
            (zone.status, zone.blame),
            (Failed, Some(Blame::Network)),
            "{}",
            zone.message
        );
        assert!(
            zone.message.contains("Blocked by policy"),
            "{}",
            zone.message
        );
        assert!(zone.fix.as_ref().unwrap().contains("proxy"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_json_is_reported() {
    let env = short_env().await;
    env.sim.add_fault(
        Fault::new(Action::respond(200, "application/json", "{\"zoneName\": "))
            .on_path("zoneInformation"),
    );
    let report = good_user(&env, None).await;
    let zone = step(&report, StepId::Zone);
    assert_eq!(zone.status, Failed);
    assert!(zone.message.contains("not valid JSON"), "{}", zone.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_naming_a_foreign_host_is_refused() {
    let env = short_env().await;
    env.sim.add_fault(
        Fault::new(Action::respond(
            200,
            "application/json",
            r#"{"zoneName":"x","url":"https://webservices5.autotask.net.evil.example/ATServicesRest/","webUrl":"https://ww5.autotask.net/","ci":1}"#,
        ))
        .on_path("zoneInformation"),
    );
    let report = good_user(&env, None).await;
    assert_ladder(
        &report,
        [Passed, Failed, Skipped, Skipped, Skipped, Skipped],
    );
    assert!(
        step(&report, StepId::Zone)
            .message
            .contains("not an Autotask zone")
    );
    assert_eq!(carrying(&env.sim, demo::SECRET), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_answer_is_cut_off() {
    let env = short_env().await;
    env.sim
        .add_fault(Fault::new(Action::Oversized(2 * 1024 * 1024)).on_path("zoneInformation"));
    let report = good_user(&env, None).await;
    let zone = step(&report, StepId::Zone);
    assert_eq!((zone.status, zone.blame), (Failed, Some(Blame::Network)));
    assert!(
        zone.message.contains("larger than 1024 KiB"),
        "{}",
        zone.message
    );
}

/// Under every fault, rotating a saved profile to a new secret keeps the
/// stored secret and the profile as they were, and ends in bounded time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_fault_changes_a_saved_profile() {
    use autotask_connect::check::Entity;
    use autotask_connect::credentials::{Credentials, Secret};
    use autotask_connect::profile::{NewProfile, ProfileName, Profiles};
    use autotask_connect::store::config::Config;
    use autotask_connect::store::keyring::Keyring;

    type Inject = Box<dyn Fn(&Simulator)>;
    let faults: Vec<(&str, Inject)> = vec![
        (
            "reset",
            Box::new(|s| s.add_fault(Fault::new(Action::ResetBeforeResponse))),
        ),
        (
            "reset mid-response",
            Box::new(|s| s.add_fault(Fault::new(Action::ResetMidResponse))),
        ),
        (
            "stall",
            Box::new(|s| s.add_fault(Fault::new(Action::Stall).on_path("ThresholdInformation"))),
        ),
        (
            "endless body",
            Box::new(|s| s.add_fault(Fault::new(Action::EndlessBody))),
        ),
        (
            "redirect",
            Box::new(|s| {
                s.add_fault(
                    Fault::new(Action::redirect("https://evil.example/"))
                        .on_path("ThresholdInformation"),
                )
            }),
        ),
        (
            "429",
            Box::new(|s| s.add_fault(Fault::new(Action::rate_limited(Some(30))))),
        ),
        (
            "500",
            Box::new(|s| s.add_fault(Fault::new(Action::respond(500, "text/plain", "boom")))),
        ),
        (
            "html",
            Box::new(|s| {
                s.add_fault(Fault::new(Action::respond(
                    200,
                    "text/html",
                    "<title>Proxy</title>",
                )))
            }),
        ),
        (
            "invalid json",
            Box::new(|s| s.add_fault(Fault::new(Action::respond(200, "application/json", "{")))),
        ),
        (
            "oversized",
            Box::new(|s| s.add_fault(Fault::new(Action::Oversized(3 * 1024 * 1024)))),
        ),
        (
            "wrong-host certificate",
            Box::new(|s| {
                s.add_connection_fault(ConnectionFault {
                    sni: None,
                    times: None,
                    kind: ConnectionFaultKind::Present(Presented::WrongHost),
                })
            }),
        ),
        (
            "unknown CA",
            Box::new(|s| {
                s.add_connection_fault(ConnectionFault {
                    sni: None,
                    times: None,
                    kind: ConnectionFaultKind::Present(Presented::UnknownCa),
                })
            }),
        ),
        (
            "closed handshake",
            Box::new(|s| {
                s.add_connection_fault(ConnectionFault {
                    sni: None,
                    times: None,
                    kind: ConnectionFaultKind::CloseDuringHandshake,
                })
            }),
        ),
    ];
    for (name, inject) in faults {
        let env = short_env().await;
        let dir = tempfile::tempdir().unwrap();
        let profiles = Profiles::new(
            Config::at(dir.path().to_path_buf()),
            Ok(Keyring::in_memory()),
        );
        let (credentials, _) = Credentials::parse(
            demo::USERNAME,
            Secret::new(demo::SECRET.into()),
            demo::INTEGRATION_CODE,
        )
        .unwrap();
        let saved = profiles
            .save(
                &NewProfile {
                    name: ProfileName::parse("P").unwrap(),
                    credentials,
                    zone_input: Some("ww5.autotask.net".into()),
                },
                None,
                false,
            )
            .unwrap();
        inject(&env.sim);
        let started = Instant::now();
        let rotation = profiles
            .rotate(
                &env.transport,
                "P",
                Secret::new("A-new-secret-value-000000".into()),
                Entity::list(&[]).unwrap(),
                Consent { force: true, ..YES },
                &|_| {},
            )
            .await
            .unwrap();
        assert!(
            started.elapsed() < TIMEOUT * 3 + Duration::from_secs(2),
            "{name}: {:?}",
            started.elapsed()
        );
        let report = rotation.report;
        assert!(!rotation.replaced, "{name}");
        assert!(!report.passed, "{name}");
        assert_eq!(
            profiles
                .keyring()
                .unwrap()
                .get("P")
                .unwrap()
                .unwrap()
                .expose(),
            demo::SECRET,
            "{name}: secret replaced"
        );
        let after = profiles.show("P").unwrap();
        assert_eq!(
            (after.username, after.integration_code, after.zone_input),
            (
                saved.username.clone(),
                saved.integration_code.clone(),
                saved.zone_input.clone()
            ),
            "{name}"
        );
        assert_eq!(
            after.last_check, None,
            "{name}: a failed rotation is not the stored secret's check"
        );
        assert!(
            env.sim
                .requests()
                .iter()
                .all(|r| r.host.ends_with(".autotask.net")),
            "{name}"
        );
    }
}

/// A server that quotes the request's headers back (in a 500's errors, in
/// `Location` and `Retry-After`): no prefix of six characters or more of the
/// secret or the integration code reaches the report, its text or its JSON,
/// wherever the 400-character cut of an answer falls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_echoed_back_never_carry_the_secret_out() {
    let env = short_env().await;
    let prefixes = [&demo::SECRET[..6], &demo::INTEGRATION_CODE[..6]];
    let mut checked = 0;
    for (status, path) in [
        (500, "ThresholdInformation"),
        (302, "ThresholdInformation"),
        (429, "ThresholdInformation"),
        (500, "entityInformation"),
    ] {
        for pad in (280..=400).step_by(7) {
            env.sim.clear_faults();
            env.sim.add_fault(
                Fault::new(Action::EchoHeaders { status, pad })
                    .on_path(path)
                    .times(1),
            );
            let (report, _) = run_check(
                &env.transport,
                Ask::demo(demo::USERNAME).entities(&["Tickets"]),
            )
            .await;
            let quoted = env
                .sim
                .requests()
                .iter()
                .any(|r| r.target.contains(path) && r.header("Secret").is_some());
            assert!(quoted, "the echo fault was reached");
            let outputs = [
                serde_json::to_string(&autotask_connect::view::Report::from(&report)).unwrap(),
                autotask_connect::report::summary_text(&report),
            ];
            for (out, prefix) in outputs.iter().flat_map(|o| prefixes.map(|p| (o, p))) {
                assert!(
                    !out.contains(prefix),
                    "{status} on {path}, pad {pad}: {prefix:?} in {out}"
                );
            }
            env.sim.clear_requests();
            checked += 1;
        }
    }
    assert_eq!(checked, 4 * 18);
}
