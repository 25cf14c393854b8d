//! Vendor presets: the vendor-bound check (network and zone only, nothing
//! carrying the secret or a code), the `vendors` and `check --vendor`
//! contracts, and profiles that record their vendor (`handoff`: handoff.rs).

use std::sync::Arc;

use autotask_connect::check::{Door, Entity, Plan, Request, Status, StepId};
use autotask_connect::credentials::Secret;
use autotask_connect::lockout::Ledger;
use autotask_connect::vendors;
use serde_json::json;

use crate::cli::{Run, cli};
use crate::support::*;

/// Requests that carried a `Secret` or `ApiIntegrationCode` header.
pub(crate) fn authenticated_requests(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.header("Secret").is_some() || r.header("ApiIntegrationCode").is_some())
        .count()
}

const KNOWN: &str = "Known vendors: custom, support-fusion, cloud-depot, proxuma, cyrisma, \
                     connect-ui, squaredup, other-vendor.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_bound_check_sends_neither_the_secret_nor_a_code() {
    let env = env().await;
    for (zone_input, vendor) in [
        (None, "cloud-depot"),
        (Some("https://ww5.autotask.net/"), "support-fusion"),
        (Some("ww2.autotask.net"), "proxuma"),
    ] {
        env.sim.clear_requests();
        let plan = Request::parse(
            vendors::find(vendor).unwrap(),
            zone_input.unwrap_or(""),
            demo::USERNAME,
            "",
        )
        .and_then(|r| {
            r.plan(
                Arc::new(Secret::new(demo::SECRET.into())),
                Entity::list(&[]).unwrap(),
            )
        })
        .unwrap();
        let ledger = Ledger::in_memory();
        let report = Door::new(&ledger, &env.transport)
            .check(&plan, &|_| {})
            .await
            .unwrap();
        assert!(report.passed, "{vendor}: {report:#?}");
        let statuses: Vec<Status> = report.steps.iter().map(|s| s.status).collect();
        let zone_status = if zone_input == Some("ww2.autotask.net") {
            // The tenant is in zone 5: said, and the discovered zone used.
            Status::Warning
        } else {
            Status::Passed
        };
        assert_eq!(
            statuses,
            [
                Status::Passed,
                zone_status,
                Status::Skipped,
                Status::Skipped,
                Status::Skipped,
                Status::Skipped
            ],
            "{vendor}"
        );
        let name = &vendors::find(vendor).unwrap().name;
        assert_eq!(
            step(&report, StepId::Authentication).message,
            format!(
                "Not tested here: this API user's tracking identifier belongs to {name}, and only \
                 {name} has its integration code. Signing in with any other code would be a failed \
                 login that counts towards locking the user, so the secret was not sent. {name}'s \
                 own test verifies it."
            )
        );
        let tenant = report.tenant.as_ref().unwrap();
        assert_eq!(tenant.ci, Some(30595));
        assert_eq!(tenant.web_url, "https://ww5.autotask.net/");
        assert_eq!(
            tenant.api_url,
            "https://webservices5.autotask.net/ATServicesRest/V1.0/"
        );
        assert_eq!(tenant.company_name, None, "no company 0 was read");
        let requests = env.sim.requests();
        assert_eq!(requests.len(), 1, "{vendor}: zoneInformation only");
        assert!(requests[0].target.contains("zoneInformation"));
        assert_eq!(authenticated_requests(&env.sim), 0, "{vendor}");
        assert_eq!(carrying(&env.sim, demo::SECRET), 0, "{vendor}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_bound_check_of_an_unknown_username_fails_at_the_zone() {
    let env = env().await;
    let plan = Request::parse(
        vendors::find("cloud-depot").unwrap(),
        "",
        "zzzzzzzzzzzzzzz@nowhere.example",
        "",
    )
    .and_then(|r| r.plan(Arc::new(Secret::new(demo::SECRET.into())), vec![]))
    .unwrap();
    let ledger = Ledger::in_memory();
    let report = Door::new(&ledger, &env.transport)
        .check(&plan, &|_| {})
        .await
        .unwrap();
    assert!(!report.passed);
    let zone = step(&report, StepId::Zone);
    assert_eq!(zone.status, Status::Failed);
    assert!(
        zone.message
            .starts_with("Autotask does not know this username"),
        "{}",
        zone.message
    );
    assert_eq!(
        step(&report, StepId::Authentication).status,
        Status::Skipped
    );
    assert_eq!(authenticated_requests(&env.sim), 0);
}

#[test]
fn a_vendor_bound_plan_lints_the_secret_and_refuses_a_code() {
    let cloud_depot = vendors::find("cloud-depot").unwrap();
    let plan = |secret: &str, code: &str| {
        Request::parse(cloud_depot, "", demo::USERNAME, code)
            .and_then(|r| r.plan(Arc::new(Secret::new(secret.into())), vec![]))
            .map_err(autotask_connect::error::Error::from)
    };
    let e = plan(demo::SECRET, "DEMOSIMULATEDTRACKINGID0027").unwrap_err();
    assert_eq!(e.kind(), "integration_code_not_used");
    assert_eq!(e.exit_status(), 2);
    assert_eq!(
        e.field(),
        Some(autotask_connect::credentials::Field::IntegrationCode)
    );
    assert_eq!(
        e.to_string(),
        "Leave the integration code out: this API user's tracking identifier belongs to Cloud \
         Depot, and only Cloud Depot has its code. A test with any other code would be a failed \
         login that counts towards locking the user."
    );
    let codes = |p: &Plan| p.lints().iter().map(|l| l.code).collect::<Vec<_>>();
    assert_eq!(codes(&plan(demo::SECRET, "").unwrap()), Vec::<&str>::new());
    let sensitive = plan("Abc+defghijklmnopqrstuvwx", "").unwrap();
    assert_eq!(codes(&sensitive), ["secret.form_sensitive_characters"]);
    assert_eq!(
        sensitive.lints()[0].message,
        "The API secret contains a character that some web forms and URL encodings change or \
         drop (one of + % & < > \" ' \\ `)."
    );
    assert_eq!(
        codes(&plan("Abcdefghijklmnopqrstuvwxy", "").unwrap()),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(&plan(" Abcdefghijklmnopqrstuvwx", "").unwrap()),
        ["secret.surrounding_whitespace"]
    );
    let short = plan("Abcdefghijklmnopqrst", "").unwrap();
    assert_eq!(codes(&short), ["secret.unexpected_length"]);
    assert_eq!(
        short.lints()[0].message,
        "The API secret is 20 characters long; Autotask generates 25, so it may be cut short or \
         have something extra."
    );
    let e = plan("", "").unwrap_err();
    assert_eq!(e.kind(), "invalid_input");
    assert_eq!(
        e.field(),
        Some(autotask_connect::credentials::Field::Secret)
    );
    // A vendor whose form takes a code needs one, as your own integration does.
    let e = Request::parse(vendors::find("cyrisma").unwrap(), "", demo::USERNAME, "")
        .and_then(|r| r.plan(Arc::new(Secret::new(demo::SECRET.into())), vec![]))
        .unwrap_err();
    assert_eq!(e.kind(), "invalid_input");
    assert_eq!(
        e.field(),
        Some(autotask_connect::credentials::Field::IntegrationCode)
    );
}

// ------------------------------------------------------------------ CLI

#[tokio::test]
async fn vendors_lists_the_presets() {
    let run = cli(&["vendors", "--json"], &[], None).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    let list = run.json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "custom",
            "support-fusion",
            "cloud-depot",
            "proxuma",
            "cyrisma",
            "connect-ui",
            "squaredup",
            "other-vendor"
        ]
    );
    assert_eq!(
        list[4],
        json!({"id": "cyrisma", "name": "Cyrisma", "bound": false, "code_class": "autotask_generates", "fields": [
            {"label": "Domain", "kind": "api_url"},
            {"label": "API Username", "kind": "username"},
            {"label": "Secret", "kind": "secret"},
            {"label": "API Integration Code", "kind": "integration_code"},
        ]})
    );
    for v in list.as_array().unwrap() {
        // The keys, whatever order serde_json keeps them in.
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["bound", "code_class", "fields", "id", "name"], "{v}");
        // A vendor-bound preset is exactly one whose vendor keeps the code.
        assert_eq!(v["bound"], v["code_class"] == "vendor_keeps", "{v}");
    }
    let classes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code_class"].as_str().unwrap())
        .collect();
    assert_eq!(
        classes,
        [
            "autotask_generates",
            "vendor_keeps",
            "vendor_keeps",
            "vendor_keeps",
            "autotask_generates",
            "autotask_generates",
            "vendor_publishes",
            "vendor_keeps"
        ]
    );
    let text = cli(&["vendors"], &[], None).await;
    assert_eq!(text.status, 0);
    assert!(
        text.stdout
            .contains("cloud-depot     Cloud Depot (vendor-bound: no integration code)"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("asks for: Username (Key), Password (Secret)")
    );
    assert!(
        text.stdout.contains(
            "squaredup       SquaredUp (publishes its integration code: FWAABGUO7E7BBHD3PQMLWCGLGY)"
        ),
        "{}",
        text.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_with_a_bound_vendor_needs_no_code_and_sends_no_secret() {
    let t = Routed::new().await;
    let run = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "cloud-depot",
                "--username",
                demo::USERNAME,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let v = run.json();
    assert_eq!(v["vendor"], "cloud-depot");
    assert_eq!(v["passed"], true);
    assert_eq!(v["tenant"]["ci"], 30595);
    let steps: Vec<(&str, &str)> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("network", "passed"),
            ("zone", "passed"),
            ("authentication", "skipped"),
            ("tenant", "skipped"),
            ("permissions", "skipped"),
            ("usage", "skipped")
        ]
    );
    for s in &v["steps"].as_array().unwrap()[2..] {
        let m = s["message"].as_str().unwrap();
        assert!(m.starts_with("Not tested here: "), "{m}");
        assert!(m.contains("Cloud Depot"), "{m}");
    }
    assert!(
        v["steps"][2]["message"]
            .as_str()
            .unwrap()
            .ends_with("Cloud Depot's own test verifies it.")
    );
    assert_eq!(authenticated_requests(&t.env.sim), 0);
    assert_eq!(carrying(&t.env.sim, demo::SECRET), 0);
    assert!(!run.stdout.contains(demo::SECRET));

    // Text mode says who it is for and that nothing was tested beyond the zone.
    let text = t
        .run(
            &["check", "--vendor", "proxuma", "--username", demo::USERNAME],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(text.status, 0, "{}{}", text.stdout, text.stderr);
    assert!(text.stdout.starts_with("For: Proxuma\n"), "{}", text.stdout);
    assert!(text.stdout.contains("Not tested here"), "{}", text.stdout);
    assert!(
        text.stdout.contains(
            "Result: USERNAME AND ZONE CONFIRMED.\nThe secret was not tested here: Proxuma's own \
             test verifies it.\n\nNot tested here: check these in Autotask:\n  - Security \
             level: A copy of API User (system) (API-only)"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.ends_with(
            "  - API Tracking Identifier: Integration Vendor: Proxuma - Resource Planning & \
             Project Management.\n"
        ),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("PASSED"), "{}", text.stdout);
    assert_eq!(authenticated_requests(&t.env.sim), 0);

    // An unknown username fails at the zone: exit status 1.
    let unknown = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "cloud-depot",
                "--username",
                "zzzzzzzzzzzzzzz@nowhere.example",
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(unknown.status, 1);
    assert_eq!(unknown.json()["steps"][1]["status"], "failed");
    assert_eq!(unknown.json()["vendor"], "cloud-depot");
    assert_eq!(authenticated_requests(&t.env.sim), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_with_a_vendor_taking_a_code_runs_the_whole_ladder() {
    let t = Routed::new().await;
    let run = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "cyrisma",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let v = run.json();
    assert_eq!(v["vendor"], "cyrisma");
    assert!(
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "passed"),
        "{v}"
    );
    assert_eq!(v["tenant"]["company_name"], "Demo MSP (simulated)");
    // `--vendor custom` is today's check, with the vendor named.
    let custom = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "custom",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(custom.status, 0);
    assert_eq!(custom.json()["vendor"], "custom");
    // Without --vendor the JSON is as it always was.
    let plain = t
        .run(
            &[
                "check",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(plain.status, 0);
    assert!(plain.json().get("vendor").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_vendor_input_exits_2_before_any_network_io() {
    let t = Routed::new().await;
    let error = |run: &Run| run.json()["error"].clone();
    for args in [
        &[
            "check",
            "--json",
            "--vendor",
            "acme",
            "--username",
            demo::USERNAME,
        ][..],
        &[
            "handoff",
            "--json",
            "--vendor",
            "acme",
            "--username",
            demo::USERNAME,
        ],
        &[
            "profile",
            "save",
            "X",
            "--json",
            "--vendor",
            "acme",
            "--username",
            demo::USERNAME,
        ],
    ] {
        let run = t.run(args, Some(demo::SECRET)).await;
        assert_eq!(run.status, 2, "{args:?}");
        assert_eq!(
            error(&run),
            json!({"kind": "unknown_vendor", "message": format!("\"acme\" is not a known vendor. {KNOWN}"), "field": null}),
            "{args:?}"
        );
    }
    let text = t
        .run(
            &[
                "check",
                "--vendor",
                "Cloud Depot",
                "--username",
                demo::USERNAME,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(text.status, 2);
    assert_eq!(
        text.stderr,
        format!("autotask-connect: \"Cloud Depot\" is not a known vendor. {KNOWN}\n")
    );

    // A bound vendor takes no integration code: refused, not sent.
    let with_code = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "support-fusion",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(with_code.status, 2);
    assert_eq!(
        error(&with_code),
        json!({"kind": "integration_code_not_used", "field": "integration_code", "message":
            "Leave the integration code out: this API user's tracking identifier belongs to Support \
             Fusion, and only Support Fusion has its code. A test with any other code would be a \
             failed login that counts towards locking the user."})
    );
    // A vendor taking a code needs one.
    let no_code = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "connect-ui",
                "--username",
                demo::USERNAME,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(no_code.status, 2);
    assert_eq!(error(&no_code)["kind"], "invalid_input");
    assert_eq!(
        error(&no_code)["lints"][0]["code"],
        "integration_code.blank"
    );
    // A hostile zone is refused before anything is sent, for the bound check and the hand-off.
    for args in [
        &[
            "check",
            "--json",
            "--vendor",
            "cloud-depot",
            "--username",
            demo::USERNAME,
            "--zone",
            "ww5.autotask.net.evil.example",
        ][..],
        &[
            "handoff",
            "--json",
            "--vendor",
            "cloud-depot",
            "--username",
            demo::USERNAME,
            "--zone",
            "ww5.autotask.net.evil.example",
        ],
    ] {
        let run = t.run(args, Some(demo::SECRET)).await;
        assert_eq!(run.status, 2, "{args:?}");
        assert_eq!(error(&run)["kind"], "invalid_zone", "{args:?}");
        assert_eq!(error(&run)["field"], "zone", "{args:?}");
    }
    // A profile name and --username together: usage.
    let both = t
        .run(
            &["handoff", "--json", "Depot", "--username", demo::USERNAME],
            None,
        )
        .await;
    assert_eq!(both.status, 2);
    assert_eq!(error(&both)["kind"], "usage");
    // Without --vendor, --integration-code is required as before.
    let plain = t
        .run(
            &["check", "--json", "--username", demo::USERNAME],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(plain.status, 2);
    assert_eq!(error(&plain)["kind"], "usage");
    assert!(t.env.sim.requests().is_empty(), "bad input made requests");
}

/// Outside the Secret Service session: re-runs test `name` inside one and
/// returns true (the caller returns). Inside: returns false.
#[cfg(target_os = "linux")]
fn reran_in_secret_service(name: &str) -> bool {
    if std::env::var_os("_WSS_INNER").is_some() {
        return false;
    }
    run_in_secret_service(&format!("vendors::{name}"), &[]);
    true
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_records_its_vendor() {
    if reran_in_secret_service("a_profile_records_its_vendor") {
        return;
    }
    let t = Routed::new().await;
    let saved = t
        .run(
            &[
                "profile",
                "save",
                "Depot",
                "--json",
                "--vendor",
                "cloud-depot",
                "--username",
                demo::USERNAME,
                "--check",
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(saved.status, 0, "{}{}", saved.stdout, saved.stderr);
    assert_eq!(saved.json()["profile"]["vendor"], "cloud-depot");
    assert_eq!(saved.json()["profile"]["integration_code"], "");
    assert_eq!(
        saved.json()["profile"]["last_check"]["message"],
        "The username and zone were confirmed; the secret was not tested (only the vendor can \
         sign in as this API user)."
    );
    assert_eq!(authenticated_requests(&t.env.sim), 0);
    let refused = t
        .run(
            &[
                "profile",
                "save",
                "Depot2",
                "--json",
                "--vendor",
                "cloud-depot",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(refused.status, 2);
    assert_eq!(refused.json()["error"]["kind"], "integration_code_not_used");

    // A profile saved the old way (no vendor in profiles.json) reads as custom.
    let old = t
        .run(
            &[
                "profile",
                "save",
                "Mine",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(old.status, 0, "{}", old.stderr);
    let file = std::fs::read_to_string(t.config.path().join("profiles.json")).unwrap();
    let on_disk: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert!(
        on_disk["profiles"]["Mine"].get("vendor").is_none(),
        "{file}"
    );
    assert_eq!(on_disk["profiles"]["Depot"]["vendor"], "cloud-depot");
    let show = t.run(&["profile", "show", "Mine", "--json"], None).await;
    assert_eq!(show.json()["vendor"], "custom");
    let list = t.run(&["profile", "list", "--json"], None).await;
    let vendors: Vec<(String, String)> = list.json()["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["vendor"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        vendors,
        [
            ("Depot".to_string(), "cloud-depot".to_string()),
            ("Mine".to_string(), "custom".to_string())
        ]
    );

    // Checking the saved bound profile sends nothing secret either.
    t.env.sim.clear_requests();
    let check = t.run(&["profile", "check", "Depot", "--json"], None).await;
    assert_eq!(check.status, 0, "{}", check.stdout);
    assert_eq!(check.json()["steps"][2]["status"], "skipped");
    assert_eq!(authenticated_requests(&t.env.sim), 0);

    let text = t.run(&["profile", "check", "Depot"], None).await;
    assert_eq!(text.status, 0);
    assert!(
        text.stdout.ends_with(
            "Result: USERNAME AND ZONE CONFIRMED.\nThe secret was not tested here: the vendor's \
             own test verifies it.\n"
        ),
        "{}",
        text.stdout
    );
    // A rotation stores the new secret without claiming it works.
    let rotated = t
        .run(
            &["profile", "rotate", "Depot"],
            Some("Ab1*Rotated#Secret~xY7$kQ"),
        )
        .await;
    assert_eq!(rotated.status, 0, "{}", rotated.stdout);
    assert!(
        rotated.stdout.ends_with(
            "The new secret replaced the one stored for “Depot”. It was not tested here: only \
             Cloud Depot can sign in as this API user, and its own test verifies it.\n"
        ),
        "{}",
        rotated.stdout
    );
    assert!(!rotated.stdout.contains("works"), "{}", rotated.stdout);
    assert_eq!(authenticated_requests(&t.env.sim), 0);

    // The hand-off of a saved profile uses the zone its check found.
    let h = t.run(&["handoff", "Depot", "--json"], None).await;
    assert_eq!(h.status, 0, "{}", h.stderr);
    assert_eq!(h.json()["vendor"], "cloud-depot");
    assert_eq!(h.json()["fields"][0]["value"], demo::USERNAME);
    let h = t
        .run(&["handoff", "Mine", "--json", "--vendor", "cyrisma"], None)
        .await;
    assert_eq!(h.status, 0, "{}", h.stderr);
    assert_eq!(
        h.json()["fields"][0]["value"],
        "https://webservices5.autotask.net"
    );
    assert_eq!(h.json()["fields"][3]["value"], demo::INTEGRATION_CODE);
    let missing = t.run(&["handoff", "Nope", "--json"], None).await;
    assert_eq!(missing.status, 2);
    assert_eq!(missing.json()["error"]["kind"], "profile_not_found");
}
