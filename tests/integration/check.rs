//! The check against the simulator: every row of Autotask's error table
//! ends at the right step, blaming the right input, and the wrong secret
//! reaches Autotask exactly once.

use std::time::Duration;

use autotask_connect::check::{Blame, SignIn, Status::*, StepId};
use autotask_simulator::{Access, Action, Fault};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_user_passes_and_shows_the_tenant() {
    let env = env().await;
    let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME)).await;
    assert_ladder(&report, [Passed; 6]);
    assert!(report.passed);
    let t = report.tenant.as_ref().unwrap();
    assert_eq!(t.zone_name.as_deref(), Some("Demo Zone (simulated)"));
    assert_eq!(
        t.api_url,
        "https://webservices5.autotask.net/ATServicesRest/V1.0/"
    );
    assert_eq!(t.web_url, "https://ww5.autotask.net/");
    assert_eq!(t.ci, Some(30595));
    assert_eq!(t.company_name.as_deref(), Some("Demo MSP (simulated)"));
    let usage = report.usage.unwrap();
    assert_eq!(usage.limit, 10_000);
    assert_eq!(report.entities.len(), 4);

    let requests = env.sim.requests();
    // The zone look-up carries no credentials; every credentialed request
    // goes to the tenant's API host, and no URL carries the secret.
    let lookup = requests
        .iter()
        .find(|r| r.is_for("zoneInformation"))
        .unwrap();
    assert_eq!(lookup.host, "webservices.autotask.net");
    assert!(lookup.header("Secret").is_none() && lookup.header("ApiIntegrationCode").is_none());
    for r in &requests {
        assert!(!r.target.contains(demo::SECRET) && !r.target.contains("Demo*Secret"));
        if r.header("Secret").is_some() {
            assert_eq!(r.host, "webservices5.autotask.net");
            assert_eq!(r.sni.as_deref(), Some("webservices5.autotask.net"));
            assert_eq!(r.header("ApiIntegrationCode"), Some(demo::INTEGRATION_CODE));
            assert_eq!(r.header("UserName"), Some(demo::USERNAME));
            assert!(r.header("Authorization").is_none(), "no HTTP Basic auth");
            assert!(
                r.target.starts_with("/ATServicesRest/V1.0/"),
                "{}",
                r.target
            );
        }
    }
    assert_eq!(
        carrying(&env.sim, demo::SECRET),
        7,
        "threshold + company 0 + the API user's own record + 4 entities"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_zone_that_matches_passes() {
    let env = env().await;
    for zone in [
        "https://ww5.autotask.net/Mvc/Framework/Navigation.mvc/Landing",
        "webservices5",
        "webservices.autotask.net",
    ] {
        let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME).zone(zone)).await;
        assert_ladder(&report, [Passed; 6]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_reaches_autotask_exactly_once() {
    for zone in [None, Some("https://ww5.autotask.net/")] {
        let env = env().await;
        let wrong = "Wrong*Secret#0000~aaaaaaaa";
        let mut ask = Ask::demo(demo::USERNAME).secret(wrong);
        ask.zone = zone;
        let (report, _) = run_check(&env.transport, ask).await;
        assert_ladder(&report, [Passed, Passed, Failed, Skipped, Skipped, Skipped]);
        let auth = step(&report, StepId::Authentication);
        assert_eq!(auth.blame, Some(Blame::Secret));
        assert_eq!(
            auth.fix.as_deref(),
            Some("Paste the secret again exactly as it was generated.")
        );
        assert!(auth.details.as_ref().unwrap().contains("Generate Secret"));
        assert_eq!(auth.http[0].status, Some(401));
        assert_eq!(carrying(&env.sim, wrong), 1, "zone {zone:?}");
        assert_eq!(
            env.sim.world(|w| w.user_mut(demo::USERNAME).failed_logins),
            1
        );
        assert!(!report.passed);
    }
}

/// A tenant moved to another zone, its old URL pasted, and a wrong secret:
/// the secret goes out once, to the zone Autotask names, never first to the
/// stale one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_pasted_zone_and_a_wrong_secret_send_it_once() {
    let env = env().await;
    let wrong = "Wrong*Secret#0000~aaaaaaaa";
    let old = format!("https://ww{}.autotask.net/", demo::MOVED_FROM_ZONE);
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::MOVED).secret(wrong).zone(&old),
    )
    .await;
    assert_ladder(
        &report,
        [Passed, Warning, Failed, Skipped, Skipped, Skipped],
    );
    assert_eq!(step(&report, StepId::Zone).blame, Some(Blame::Zone));
    assert_eq!(
        step(&report, StepId::Authentication).blame,
        Some(Blame::Secret)
    );
    let carried: Vec<String> = env
        .sim
        .requests()
        .iter()
        .filter(|r| r.header("Secret").is_some())
        .map(|r| r.host.clone())
        .collect();
    assert_eq!(carried, ["webservices29.autotask.net"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_with_a_json_401_body_still_blames_the_secret() {
    let env = env().await;
    env.sim
        .world(|w| w.behaviour.wrong_secret_body = Some(r#"{"errors":["Unauthorized"]}"#.into()));
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).secret("nope-nope-nope"),
    )
    .await;
    let auth = step(&report, StepId::Authentication);
    assert_eq!((auth.status, auth.blame), (Failed, Some(Blame::Secret)));
    assert_eq!(auth.http[0].errors, ["Unauthorized"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_username_fails_at_zone_and_sends_no_secret() {
    let env = env().await;
    let typed_email = "jane.smith@contoso.com";
    let (report, _) = run_check(&env.transport, Ask::demo(typed_email)).await;
    assert_ladder(
        &report,
        [Passed, Failed, Skipped, Skipped, Skipped, Skipped],
    );
    let zone = step(&report, StepId::Zone);
    assert_eq!(zone.blame, Some(Blame::Username));
    assert!(
        zone.message.contains("does not know this username"),
        "{}",
        zone.message
    );
    assert!(zone.message.contains("person's e-mail"), "{}", zone.message);
    assert!(zone.details.as_ref().unwrap().contains("General tab"));
    assert_eq!(zone.http[0].status, Some(500));
    assert_eq!(
        carrying(&env.sim, demo::SECRET),
        0,
        "no zone known, nothing sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_username_with_a_pasted_zone_still_blames_the_username() {
    let env = env().await;
    let (report, _) = run_check(
        &env.transport,
        Ask::demo("zzzzzzzzzzzzzzz@contoso.com").zone("ww5.autotask.net"),
    )
    .await;
    assert_ladder(
        &report,
        [Passed, Failed, Skipped, Skipped, Skipped, Skipped],
    );
    assert_eq!(step(&report, StepId::Zone).blame, Some(Blame::Username));
    assert!(carrying(&env.sim, demo::SECRET) <= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_integration_code_is_blamed() {
    let env = env().await;
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).code("ABCDEFGHIJKLMNOPQRSTUVWXYZ9"),
    )
    .await;
    assert_ladder(&report, [Passed, Passed, Failed, Skipped, Skipped, Skipped]);
    let auth = step(&report, StepId::Authentication);
    assert_eq!(auth.blame, Some(Blame::IntegrationCode));
    assert!(
        auth.message.contains("IntegrationCode is invalid."),
        "{}",
        auth.message
    );
    assert_eq!(
        auth.fix.as_deref(),
        Some("Copy the API Tracking Identifier again, whole (usually 27 characters).")
    );
    assert!(
        auth.details
            .as_ref()
            .unwrap()
            .contains("Custom (Internal Integration)")
    );
    assert_eq!(auth.http[0].status, Some(500));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_login_refused_after_a_yes_may_be_a_new_api_user_and_says_both() {
    let env = env().await;
    // Sent only because the technician said it is an API user.
    let (report, _) = run_check(&env.transport, Ask::demo(demo::REGULAR_USER).never_passed()).await;
    assert_ladder(&report, [Passed, Passed, Failed, Skipped, Skipped, Skipped]);
    let auth = step(&report, StepId::Authentication);
    assert_eq!(auth.blame, Some(Blame::NewUser));
    assert!(
        auth.message.contains("If this is a new API user")
            && auth.message.contains("a person's login is never accepted"),
        "{}",
        auth.message
    );
    assert!(
        auth.details
            .as_ref()
            .unwrap()
            .contains("not a person's e-mail address")
    );
    assert_eq!(report.sign_in, SignIn::Refused);
    assert_eq!(carrying(&env.sim, demo::SECRET), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_permissions_fails_at_permissions() {
    for status in [500, 403] {
        let env = env().await;
        env.sim
            .world(|w| w.behaviour.permission_error_status = status);
        let (report, _) = run_check(&env.transport, Ask::demo(demo::NO_PERMISSIONS)).await;
        assert_ladder(&report, [Passed, Passed, Passed, Warning, Failed, Passed]);
        let perms = step(&report, StepId::Permissions);
        assert_eq!(perms.blame, Some(Blame::Permissions));
        assert!(
            perms
                .message
                .contains("Companies, Contacts, Tickets, Resources"),
            "{}",
            perms.message
        );
        assert_eq!(
            perms.fix.as_deref(),
            Some(
                "Companies: needs View, has none: check both the CRM object permission and the Web \
                 Services API category. Contacts: needs View, has none: check both the CRM object \
                 permission and the Web Services API category. Tickets: needs View, has none: \
                 check both the Service Desk object permission and the Web Services API category. \
                 Resources: needs View, has none: check both the Admin object permission and the \
                 Web Services API category."
            )
        );
        assert!(perms.details.as_ref().unwrap().contains("Security Levels"));
        assert_eq!(
            step(&report, StepId::Tenant).blame,
            Some(Blame::Permissions)
        );
        assert_eq!(report.first_failure().unwrap().id, StepId::Permissions);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restricted_access_and_line_of_business_warn() {
    for as_strings in [false, true] {
        let env = env().await;
        env.sim
            .world(|w| w.behaviour.access_as_strings = as_strings);
        let (report, _) = run_check(&env.transport, Ask::demo(demo::RESTRICTED)).await;
        assert_ladder(&report, [Passed, Passed, Passed, Warning, Warning, Passed]);
        assert!(report.passed, "warnings do not fail the check");
        assert!(
            step(&report, StepId::Tenant)
                .message
                .contains("lines of business")
        );
        assert!(
            step(&report, StepId::Permissions)
                .message
                .contains("Restricted access to Tickets")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_near_its_hourly_limit_warns() {
    let env = env().await;
    let (report, _) = run_check(&env.transport, Ask::demo(demo::BUSY)).await;
    assert_ladder(&report, [Passed, Passed, Passed, Passed, Passed, Warning]);
    let usage = step(&report, StepId::Usage);
    assert_eq!(usage.blame, Some(Blame::RateLimit));
    assert!(
        usage.message.contains("8,601 of 10,000"),
        "{}",
        usage.message
    );
    assert!(report.passed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_past_its_hourly_limit_fails_with_retry_after() {
    let env = env().await;
    env.sim
        .world(|w| w.tenant_mut("busy").requests_used = 10_000);
    let (report, _) = run_check(&env.transport, Ask::demo(demo::BUSY)).await;
    assert_ladder(&report, [Passed, Passed, Failed, Skipped, Skipped, Skipped]);
    let auth = step(&report, StepId::Authentication);
    assert_eq!(auth.blame, Some(Blame::RateLimit));
    assert!(auth.message.contains("wait 60 s"), "{}", auth.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_tenant_with_the_old_url_uses_the_discovered_zone() {
    let env = env().await;
    let old = format!("https://ww{}.autotask.net/", demo::MOVED_FROM_ZONE);
    let (report, _) = run_check(&env.transport, Ask::demo(demo::MOVED).zone(&old)).await;
    assert_ladder(&report, [Passed, Warning, Passed, Passed, Passed, Passed]);
    let zone = step(&report, StepId::Zone);
    assert_eq!(zone.blame, Some(Blame::Zone));
    assert!(
        zone.message.contains("zone 6") && zone.message.contains("zone 29"),
        "{}",
        zone.message
    );
    assert!(
        zone.fix
            .as_ref()
            .unwrap()
            .contains("https://ww29.autotask.net/")
    );
    assert!(report.passed);
    let t = report.tenant.unwrap();
    assert_eq!(
        t.api_url,
        "https://webservices29.autotask.net/ATServicesRest/V1.0/"
    );
    // Nothing goes to the old zone: the look-up named the right one first.
    let to_old = env
        .sim
        .requests()
        .iter()
        .filter(|r| r.host == "webservices6.autotask.net")
        .count();
    assert_eq!(to_old, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zone_that_does_not_exist_is_corrected_not_blamed_on_the_secret() {
    let env = env().await;
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).zone("webservices99"),
    )
    .await;
    assert_ladder(&report, [Passed, Warning, Passed, Passed, Passed, Passed]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_user_is_reported_as_locked() {
    let env = env().await;
    let (report, _) = run_check(&env.transport, Ask::demo(demo::LOCKED)).await;
    let auth = step(&report, StepId::Authentication);
    assert_eq!((auth.status, auth.blame), (Failed, Some(Blame::Locked)));
    assert!(auth.message.contains("locked"), "{}", auth.message);
    assert!(auth.fix.as_ref().unwrap().contains("unlock"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brand_new_user_is_told_to_wait_before_anything_about_its_secret() {
    let env = env().await;
    let (report, _) = run_check(&env.transport, Ask::demo(demo::NEW_USER).never_passed()).await;
    let auth = step(&report, StepId::Authentication);
    assert_eq!((auth.status, auth.blame), (Failed, Some(Blame::NewUser)));
    let first_line = auth
        .message
        .split(". ")
        .take(2)
        .collect::<Vec<_>>()
        .join(". ");
    assert!(
        first_line.contains("a new API user takes about 5 minutes"),
        "{}",
        auth.message
    );
    assert!(
        !auth.message.contains("wrong") && !auth.message.contains("Generate"),
        "{}",
        auth.message
    );
    assert_eq!(
        auth.fix.as_deref(),
        Some(
            "If the API user was created in the last few minutes, wait 5 minutes, then test once."
        )
    );
    // The timed re-test, and the refusal kept apart from "not sent".
    assert_eq!(report.retest_after_s, Some(300));
    assert_eq!(report.sign_in, SignIn::Refused);
    // The same refusal for a username that has passed here is its secret.
    let (report, _) = run_check(&env.transport, Ask::demo(demo::NEW_USER)).await;
    let auth = step(&report, StepId::Authentication);
    assert_eq!(auth.blame, Some(Blame::Secret));
    assert_eq!(report.retest_after_s, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ladder_streams_each_step_from_running_to_final() {
    let env = env().await;
    let (report, seen) = run_check(&env.transport, Ask::demo(demo::USERNAME)).await;
    for id in StepId::ALL {
        let events: Vec<_> = seen
            .iter()
            .filter(|s| s.id == id)
            .map(|s| s.status)
            .collect();
        assert_eq!(events.first(), Some(&Running), "{id:?}: {events:?}");
        assert_eq!(events.last(), Some(&step(&report, id).status), "{id:?}");
        assert_eq!(events.len(), 2, "{id:?}: {events:?}");
    }
    assert_eq!(seen[0].id, StepId::Network);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_entities_stay_under_three_concurrent_calls_per_entity() {
    let env = env().await;
    env.sim.set_latency(Duration::from_millis(80));
    let entities = [
        "Companies",
        "Contacts",
        "Tickets",
        "Resources",
        "Projects",
        "Tasks",
        "ConfigurationItems",
        "Contracts",
        "TimeEntries",
        "Opportunities",
        "TicketNotes",
        "tickets",
    ];
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).entities(&entities),
    )
    .await;
    assert_ladder(&report, [Passed; 6]);
    assert_eq!(report.entities.len(), 11, "duplicates removed");
    let throttled = env.sim.requests().len();
    assert_eq!(
        throttled,
        1 + 1 + 1 + 1 + 11,
        "no request was refused or retried"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_entity_is_named() {
    let env = env().await;
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).entities(&["Tickts"]),
    )
    .await;
    let perms = step(&report, StepId::Permissions);
    assert_eq!(perms.status, Failed);
    assert!(perms.message.contains("Tickts"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_security_level_without_one_entity_names_it() {
    let env = env().await;
    env.sim.world(|w| {
        w.user_mut(demo::USERNAME)
            .access
            .insert("contacts".into(), Access::None);
    });
    let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME)).await;
    let perms = step(&report, StepId::Permissions);
    assert_eq!(
        (perms.status, perms.blame),
        (Failed, Some(Blame::Permissions))
    );
    assert!(
        perms
            .message
            .starts_with("The API user cannot read Contacts "),
        "{}",
        perms.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_thread_threshold_on_a_probe_is_a_rate_limit_warning() {
    let env = env().await;
    env.sim.add_fault(
        Fault::new(Action::Respond {
            status: 429,
            headers: vec![],
            body: r#"{"errors":["Itgenatr005: thread threshold exceeded"]}"#.into(),
        })
        .on_path("Tickets/entityInformation"),
    );
    let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME)).await;
    let perms = step(&report, StepId::Permissions);
    assert_eq!(
        (perms.status, perms.blame),
        (Warning, Some(Blame::RateLimit))
    );
    assert!(perms.message.contains("3 calls"), "{}", perms.message);
}
