//! The webhook doctor (issue 22) against the simulator: every problem a
//! webhook can have, read-only with one request in flight and at most 12
//! per run, the sign-in first and never twice, what a security level that
//! cannot read webhooks gets, and the offline signature helper.

use std::time::Duration;

use autotask_simulator::{SimErrorLog, SimWebhook};
use serde_json::{Value, json};

use crate::cli::cli;
use crate::support::*;

async fn doctor(t: &Routed, username: &str, secret: &str, code: &str) -> (i32, Value, String) {
    let run = t
        .run(
            &[
                "webhooks",
                "--json",
                "--username",
                username,
                "--integration-code",
                code,
            ],
            Some(secret),
        )
        .await;
    let json = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    (run.status, json, run.stdout)
}

fn webhook<'a>(v: &'a Value, entity: &str) -> &'a Value {
    v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity"] == entity)
        .unwrap_or_else(|| panic!("no {entity}"))
}

fn kinds(w: &Value) -> Vec<&str> {
    w["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect()
}

/// The demo integration: a healthy ticket webhook, a contact webhook that
/// died (inactive, plain http to a private address, three undelivered
/// callouts), and an asset webhook on localhost that is not ready and
/// subscribes nothing. Exit status 1; every problem named; the secret key
/// and the URL's token never shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_webhook_problem_is_named_and_exit_status_is_1() {
    let t = Routed::new().await;
    t.env.sim.set_latency(Duration::from_millis(20));
    let (status, v, stdout) =
        doctor(&t, demo::USERNAME, demo::SECRET, demo::INTEGRATION_CODE).await;
    assert_eq!(status, 1, "{stdout}");
    assert_eq!(v["ok"], false);
    assert_eq!(v["sign_in"], "accepted");
    assert_eq!(v["problems"], 2);
    assert_eq!(v["request_limit"], 12);
    assert_eq!(
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["webhook_entity"].as_str().unwrap())
            .collect::<Vec<_>>(),
        [
            "CompanyWebhooks",
            "ContactWebhooks",
            "TicketWebhooks",
            "TicketNoteWebhooks",
            "ConfigurationItemWebhooks"
        ]
    );
    assert_eq!(webhook(&v, "Companies")["webhooks"], json!([]));
    let tickets = &webhook(&v, "Tickets")["webhooks"][0];
    assert_eq!(
        tickets,
        &json!({
            "id": 7, "name": "PSA ticket sync",
            "url": "https://hooks.demo-msp.example/autotask/tickets (query hidden)",
            "active": true, "ready": true, "subscribed_fields": 2, "url_problems": [],
            "errors_last_30_days": 0, "last_error": null, "problems": []
        })
    );
    let contacts = &webhook(&v, "Contacts")["webhooks"][0];
    assert_eq!(
        kinds(contacts),
        ["inactive", "not_https", "private_address", "undelivered"]
    );
    assert_eq!(contacts["errors_last_30_days"], 3);
    assert_eq!(
        contacts["last_error"]["message"],
        "Unable to connect to the remote server"
    );
    assert_eq!(
        contacts["url_problems"],
        json!(["not_https", "private_address"])
    );
    let undelivered = contacts["problems"][3]["message"].as_str().unwrap();
    assert!(
        undelivered
            .starts_with("3 callouts in the last 30 days were not delivered (the latest at "),
        "{undelivered}"
    );
    let assets = &webhook(&v, "ConfigurationItems")["webhooks"][0];
    assert_eq!(
        kinds(assets),
        ["not_ready", "no_subscribed_fields", "localhost"]
    );
    assert_eq!(assets["subscribed_fields"], 0);
    assert_eq!(
        v["error_log"],
        json!({"read": true, "entries": 3, "unattributed": 0, "problem": null})
    );
    // Read-only, one at a time, and within the limit: the simulator's log.
    let requests = t.env.sim.requests();
    assert_eq!(v["requests"], requests.len());
    assert_eq!(requests.len(), 12, "every read this demo needs fits in 12");
    assert!(requests.iter().all(|r| r.method == "GET"));
    assert_eq!(t.env.sim.max_in_flight(), 1, "one request in flight");
    let sign_in = requests
        .iter()
        .position(|r| r.is_for("ThresholdInformation"))
        .unwrap();
    assert_eq!(sign_in, 1, "the zone look-up, then the sign-in, first");
    assert!(requests[0].is_for("zoneInformation"));
    assert!(requests[0].header("Secret").is_none());
    for r in &requests[2..] {
        assert!(r.is_for("/query?search="), "{}", r.target);
    }
    // Nothing secret is shown: the webhook's key, the URL's token, the API secret.
    for hidden in [
        "Sim-webhook-key",
        "t0k3n",
        demo::SECRET,
        demo::INTEGRATION_CODE,
    ] {
        assert!(!stdout.contains(hidden), "{hidden} shown");
    }
    // The text says the same, a line per webhook and per problem.
    let text = t
        .run(
            &[
                "webhooks",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(text.status, 1);
    assert!(
        text.stdout.contains(
            "Contacts            Contact export (id 5): INACTIVE, ready, 1 subscribed field, \
             http://192.168.10.20:8080/hooks/contacts"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("Error log (last 30 days): 3 undelivered callouts.\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .ends_with("Result: 2 webhooks have a problem.\n"),
        "{}",
        text.stdout
    );
    // The measure of requests in flight sees a check's concurrent probes.
    t.env.sim.clear_requests();
    let check = t
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
    assert_eq!(check.status, 0);
    assert!(t.env.sim.max_in_flight() > 1);
}

/// Webhooks on all five entities, none subscribing a system field: the run
/// stops at 12 requests and says what it did not count, never claiming
/// "no subscribed field" for a webhook whose user-defined fields it did not read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_stops_at_12_requests_and_says_what_it_did_not_read() {
    let t = Routed::new().await;
    t.env.sim.world(|w| {
        w.webhooks.clear();
        w.error_log.clear();
        for (i, entity) in [
            "Companies",
            "Contacts",
            "Tickets",
            "TicketNotes",
            "ConfigurationItems",
        ]
        .into_iter()
        .enumerate()
        {
            w.webhooks.push(SimWebhook {
                fields: vec![(1, false)],
                udf_fields: vec![(90, true)],
                ..SimWebhook::new(
                    "demo",
                    entity,
                    i as u64 + 1,
                    "udf only",
                    "https://hooks.example.com/x",
                )
            });
        }
    });
    let (status, v, stdout) =
        doctor(&t, demo::USERNAME, demo::SECRET, demo::INTEGRATION_CODE).await;
    assert_eq!(t.env.sim.requests().len(), 12, "{stdout}");
    assert_eq!(v["requests"], 12);
    // zone, sign-in, 5 lists, the error log, 4 of the 5 system-field counts.
    let counts: Vec<Value> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["webhooks"][0]["subscribed_fields"].clone())
        .collect();
    assert_eq!(
        counts,
        vec![Value::Null; 5],
        "none counted as 0 without its UDFs"
    );
    for e in v["entities"].as_array().unwrap() {
        assert!(
            !kinds(&e["webhooks"][0]).contains(&"no_subscribed_fields"),
            "{e}"
        );
    }
    assert_eq!(status, 0, "nothing wrong was found: {stdout}");
}

/// A webhook's user-defined fields count when its system fields do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_defined_fields_count_as_subscribed() {
    let t = Routed::new().await;
    t.env.sim.world(|w| {
        w.webhooks.clear();
        w.error_log.clear();
        w.webhooks.push(SimWebhook {
            fields: vec![(1, false)],
            udf_fields: vec![(90, true), (91, true)],
            ..SimWebhook::new("demo", "Tickets", 4, "udf", "https://hooks.example.com/x")
        });
    });
    let (status, v, stdout) =
        doctor(&t, demo::USERNAME, demo::SECRET, demo::INTEGRATION_CODE).await;
    assert_eq!(status, 0, "{stdout}");
    assert_eq!(
        webhook(&v, "Tickets")["webhooks"][0]["subscribed_fields"],
        2
    );
    assert_eq!(v["ok"], true);
    assert!(t.env.sim.requests().len() <= 12);
}

/// Undelivered callouts are matched to their webhook by id (Companies,
/// Contacts) or by the GUID in the payload; the rest are counted apart.
/// Another integration code sees none of this integration's webhooks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_error_log_is_matched_and_only_the_creators_to_read() {
    let t = Routed::new().await;
    t.env.sim.world(|w| {
        let ticket_guid = w
            .webhooks
            .iter()
            .find(|h| h.entity == "Tickets")
            .unwrap()
            .guid
            .clone();
        w.error_log.push(SimErrorLog {
            tenant: "demo".into(),
            id: 90,
            entity: "Tickets",
            webhook_id: 7,
            created_by_code: demo::INTEGRATION_CODE.into(),
            age_days: 2,
            error_message: "The remote server returned an error: (404) Not Found.".into(),
            guid: ticket_guid,
        });
        w.error_log.push(SimErrorLog {
            tenant: "demo".into(),
            id: 91,
            entity: "Tickets",
            webhook_id: 99,
            created_by_code: demo::INTEGRATION_CODE.into(),
            age_days: 3,
            error_message: "timeout".into(),
            guid: "no-such-webhook".into(),
        });
        w.tenant_mut("demo")
            .integration_codes
            .push("OTHERINTEGRATIONCODE000001".into());
    });
    let (_, v, _) = doctor(&t, demo::USERNAME, demo::SECRET, demo::INTEGRATION_CODE).await;
    let tickets = &webhook(&v, "Tickets")["webhooks"][0];
    assert_eq!(kinds(tickets), ["undelivered"]);
    assert_eq!(
        tickets["last_error"]["message"],
        "The remote server returned an error: (404) Not Found."
    );
    assert_eq!(v["error_log"]["entries"], 5);
    assert_eq!(v["error_log"]["unattributed"], 1);

    let (status, v, stdout) = doctor(
        &t,
        demo::USERNAME,
        demo::SECRET,
        "OTHERINTEGRATIONCODE000001",
    )
    .await;
    assert_eq!(status, 0, "{stdout}");
    for e in v["entities"].as_array().unwrap() {
        assert_eq!(e["webhooks"], json!([]), "{e}");
    }
    assert_eq!(v["error_log"]["entries"], 0);
    let text = t
        .run(
            &[
                "webhooks",
                "--username",
                demo::USERNAME,
                "--integration-code",
                "OTHERINTEGRATIONCODE000001",
            ],
            Some(demo::SECRET),
        )
        .await;
    assert!(
        text.stdout
            .ends_with("Result: this integration has no webhooks on these entities.\n"),
        "{}",
        text.stdout
    );
}

/// A refused sign-in stops the run: the secret reached Autotask once, and
/// nothing else was read. A security level that cannot read webhooks says
/// so per entity, and the run exits 1 (nothing could be checked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_sign_in_reads_nothing_else_and_an_unreadable_level_is_said() {
    let t = Routed::new().await;
    let wrong = "Wrong*Secret#0000~aaaaaaa";
    let (status, v, stdout) = doctor(&t, demo::USERNAME, wrong, demo::INTEGRATION_CODE).await;
    assert_eq!(status, 1, "{stdout}");
    assert_eq!(v["sign_in"], "refused");
    assert_eq!(v["entities"], json!([]));
    assert_eq!(v["error_log"], Value::Null);
    assert_eq!(carrying(&t.env.sim, wrong), 1, "never retried");
    assert_eq!(
        t.env.sim.requests().len(),
        2,
        "zone look-up and sign-in only"
    );
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
            ("authentication", "failed")
        ]
    );

    t.env.sim.clear_requests();
    let (status, v, stdout) = doctor(
        &t,
        demo::NO_PERMISSIONS,
        demo::SECRET,
        demo::INTEGRATION_CODE,
    )
    .await;
    assert_eq!(status, 1, "{stdout}");
    assert_eq!(v["sign_in"], "accepted");
    let companies = webhook(&v, "Companies");
    assert_eq!(companies["read"], false);
    assert_eq!(
        companies["problem"],
        "the API user's security level cannot read CompanyWebhooks (HTTP 500)"
    );
    assert_eq!(v["error_log"]["read"], false);
}

/// A vendor that keeps its code: refused before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_bound_users_webhooks_are_its_vendors_to_read() {
    let t = Routed::new().await;
    let run = t
        .run(
            &[
                "webhooks",
                "--json",
                "--vendor",
                "proxuma",
                "--username",
                demo::USERNAME,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 2, "{}{}", run.stdout, run.stderr);
    let e = &run.json()["error"];
    assert_eq!(e["kind"], "vendor_keeps_code");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .ends_with("so only Proxuma can read its webhooks and their error log: ask Proxuma."),
        "{e}"
    );
    assert!(t.env.sim.requests().is_empty());
}

/// RFC 2202's HMAC-SHA1 case 2 as Autotask's X-Hook-Signature: the
/// offline helper says matches, matches once the copied line break is
/// removed, does not match, or not a signature; the key comes only from
/// the environment and is never printed.
#[tokio::test]
async fn the_signature_helper_checks_a_pasted_payload_offline() {
    let key = "Jefe";
    let payload = "what do ya want for nothing?";
    let sig = "sha1=7/zfauXrL6LSdBbV8YTfnCWafHk=";
    let check = async |payload: &str, sig: &str, key: Option<&str>| {
        let mut env = vec![];
        if let Some(k) = key {
            env.push(("AUTOTASK_WEBHOOK_SECRET", k));
        }
        cli(
            &["webhook-signature", "--json", "--signature", sig],
            &env,
            Some(payload),
        )
        .await
    };
    let run = check(payload, sig, Some(key)).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.json(),
        json!({"matches": true, "result": "matches",
               "message": "The signature matches: Autotask sent this payload, signed with this secret key."})
    );
    let run = check(&format!("{payload}\n"), sig, Some(key)).await;
    assert_eq!(run.status, 0);
    assert_eq!(run.json()["result"], "matches_without_trailing_newline");
    let run = check(&payload.replace('?', "!"), sig, Some(key)).await;
    assert_eq!(run.status, 1);
    assert_eq!(run.json()["result"], "does_not_match");
    let run = check(payload, sig, Some("jefe")).await;
    assert_eq!(
        (run.status, run.json()["result"].clone()),
        (1, json!("does_not_match"))
    );
    let run = check(payload, "sha1=AAAA", Some(key)).await;
    assert_eq!(
        (run.status, run.json()["result"].clone()),
        (2, json!("malformed"))
    );
    let run = check(payload, sig, None).await;
    assert_eq!(run.status, 2);
    assert_eq!(run.json()["error"]["kind"], "webhook_key_missing");
    // From a file, byte for byte, and in words.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payload.json");
    std::fs::write(&file, payload).unwrap();
    let run = cli(
        &[
            "webhook-signature",
            "--signature",
            &format!("X-Hook-Signature: {sig}"),
            "--payload-file",
            file.to_str().unwrap(),
        ],
        &[("AUTOTASK_WEBHOOK_SECRET", key)],
        None,
    )
    .await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "The signature matches: Autotask sent this payload, signed with this secret key.\n"
    );
    assert!(!run.stdout.contains(key) && !run.stderr.contains(key));
}

/// A callback on a link-local address (169.254.x, fe80::) is named as such
/// through the whole run, and alone makes the exit status 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_local_callback_is_a_problem() {
    let t = Routed::new().await;
    t.env.sim.world(|w| {
        w.webhooks.clear();
        w.error_log.clear();
        for (id, url) in [
            (3, "https://169.254.169.254/hooks"),
            (4, "https://[fe80::1]/hooks"),
        ] {
            w.webhooks.push(SimWebhook {
                fields: vec![(1, true)],
                ..SimWebhook::new("demo", "Tickets", id, "link-local", url)
            });
        }
    });
    let (status, v, stdout) =
        doctor(&t, demo::USERNAME, demo::SECRET, demo::INTEGRATION_CODE).await;
    assert_eq!(status, 1, "{stdout}");
    assert_eq!(v["problems"], 2);
    let hooks = webhook(&v, "Tickets")["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 2);
    for h in hooks {
        assert_eq!(kinds(h), ["link_local"], "{h}");
        assert_eq!(h["url_problems"], json!(["link_local"]));
    }
}
