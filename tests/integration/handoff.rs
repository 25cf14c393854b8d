//! `handoff`: each value a vendor's form asks for, in that vendor's
//! format, from a username or a saved profile; never the secret.

use serde_json::{Value, json};

use crate::support::*;
use crate::vendors::authenticated_requests;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handoff_writes_each_value_in_the_vendors_format() {
    let t = Routed::new().await;
    let handoff = async |args: &[&str]| {
        let mut all = vec!["handoff", "--json", "--username", demo::USERNAME];
        all.extend(args);
        t.run(&all, None).await
    };
    let sf = handoff(&[
        "--zone",
        "https://ww2.autotask.net/",
        "--vendor",
        "support-fusion",
    ])
    .await;
    assert_eq!(sf.status, 0, "{}{}", sf.stdout, sf.stderr);
    assert_eq!(
        sf.json(),
        json!({"vendor": "support-fusion", "fields": [
            {"label": "API URL", "kind": "api_url_slash", "value": "https://webservices2.autotask.net/"},
            {"label": "API Username", "kind": "username", "value": demo::USERNAME},
            {"label": "API Secret", "kind": "secret", "value": null},
        ], "checklist": [
            "Security level: API User (system) Can't Read Costs.",
            "Tickets: View, Add and Edit, in both the Service Desk object permission and the Web \
             Services API category.",
            "Ticket Notes: View, Add and Edit, in both the Service Desk object permission and the \
             Web Services API category.",
            "API Tracking Identifier: Support Fusion's own identifier, set when the user is created \
             from the Integration Centre.",
        ]})
    );
    assert!(
        t.env.sim.requests().is_empty(),
        "a given zone needs no look-up"
    );
    // No zone: looked up from the username (zone 5), with no secret.
    let cy = handoff(&[
        "--vendor",
        "cyrisma",
        "--integration-code",
        demo::INTEGRATION_CODE,
    ])
    .await;
    assert_eq!(cy.status, 0, "{}{}", cy.stdout, cy.stderr);
    let values: Vec<Value> = cy.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].clone())
        .collect();
    assert_eq!(
        values,
        [
            json!("https://webservices5.autotask.net"),
            json!(demo::USERNAME),
            Value::Null,
            json!(demo::INTEGRATION_CODE)
        ]
    );
    assert_eq!(t.env.sim.requests().len(), 1);
    assert_eq!(authenticated_requests(&t.env.sim), 0);
    let cu = handoff(&[
        "--zone",
        "webservices3",
        "--vendor",
        "connect-ui",
        "--integration-code",
        demo::INTEGRATION_CODE,
    ])
    .await;
    assert_eq!(cu.json()["fields"][0]["value"], "webservices3");
    let cd = handoff(&["--zone", "ww5.autotask.net", "--vendor", "cloud-depot"]).await;
    assert_eq!(
        cd.json()["fields"],
        json!([
            {"label": "Username (Key)", "kind": "username", "value": demo::USERNAME},
            {"label": "Password (Secret)", "kind": "secret", "value": null},
        ])
    );
    // Text mode: never the secret, even when it is in the environment.
    let text = t
        .run(
            &[
                "handoff",
                "--username",
                demo::USERNAME,
                "--zone",
                "5",
                "--vendor",
                "proxuma",
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(text.status, 0);
    assert_eq!(
        text.stdout,
        format!(
            "Enter these in Proxuma:\n  Client ID: {}\n  Secret:    (the secret: not printed; copy it from the app or your password manager)\n\n\
             Not tested here: check these in Autotask:\n\
             \x20 - Security level: A copy of API User (system) (API-only) with \"Can create Webhooks\" (maximum 50) and Web Services API login with Full Permission.\n\
             \x20 - Web Services API: \"Can login to Web Services API\" ticked, with Full Permission.\n\
             \x20 - Other: \"Can create Webhooks\" ticked, webhook maximum 50.\n\
             \x20 - Lines of business: Choose the lines of business Proxuma should see.\n\
             \x20 - API Tracking Identifier: Integration Vendor: Proxuma - Resource Planning & Project Management.\n",
            demo::USERNAME
        )
    );
    // Bad input.
    let bound_code = handoff(&[
        "--zone",
        "5",
        "--vendor",
        "proxuma",
        "--integration-code",
        "X",
    ])
    .await;
    assert_eq!(bound_code.status, 2);
    assert_eq!(
        bound_code.json()["error"]["kind"],
        "integration_code_not_used"
    );
    let no_code = handoff(&["--zone", "5", "--vendor", "cyrisma"]).await;
    assert_eq!(no_code.status, 2);
    assert_eq!(
        no_code.json()["error"]["lints"][0]["code"],
        "integration_code.blank"
    );
    let unknown = t
        .run(
            &[
                "handoff",
                "--json",
                "--username",
                "zzzzzzzzzzzzzzz@nowhere.example",
                "--vendor",
                "cloud-depot",
            ],
            None,
        )
        .await;
    assert_eq!(unknown.status, 1);
    assert_eq!(
        unknown.json()["error"],
        json!({"kind": "zone_lookup_failed", "field": null, "message":
            "The zone could not be looked up: Autotask does not know this username. Use the \
             Username (Key) from the API user's Credentials section, or give the zone with --zone."})
    );
    let neither = t
        .run(&["handoff", "--json", "--vendor", "cloud-depot"], None)
        .await;
    assert_eq!(neither.status, 2);
    assert_eq!(neither.json()["error"]["kind"], "usage");
}
