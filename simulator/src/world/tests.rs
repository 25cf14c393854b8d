//! The world's own tests: Autotask's answers as the simulator models them.

use super::*;

fn get(world: &mut World, host: &str, target: &str, headers: &[(&str, &str)]) -> SimResponse {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (resp, slot) = world.handle(&SimRequest {
        method: "GET",
        host,
        target,
        headers: &headers,
        body: b"",
    });
    if let Some(slot) = slot {
        world.finish(slot);
    }
    resp
}

fn creds<'a>(user: &'a str, secret: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("ApiIntegrationcode", demo::INTEGRATION_CODE),
        ("UserName", user),
        ("Secret", secret),
    ]
}

fn body(r: &SimResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

#[test]
fn zone_information_for_known_and_unknown_users() {
    let mut w = World::demo();
    let r = get(
        &mut w,
        "webservices.autotask.net",
        "/ATServicesRest/V1.0/zoneInformation?user=k3jd8f0aq2mz7xw%40demo-msp.example",
        &[],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        body(&r)["url"],
        "https://webservices5.autotask.net/ATServicesRest/"
    );
    assert_eq!(body(&r)["webUrl"], "https://ww5.autotask.net/");
    let r = get(
        &mut w,
        "webservices2.autotask.net",
        "/atservicesrest/v1.0/zoneinformation?user=nobody%40x.example",
        &[],
    );
    assert_eq!(r.status, 500);
    assert_eq!(body(&r)["errors"][0], ZONE_UNKNOWN);
    let r = get(
        &mut w,
        "webservices.autotask.net",
        "/ATServicesRest/V2.0/zoneInformation?user=k3jd8f0aq2mz7xw%40demo-msp.example",
        &[],
    );
    assert_eq!(r.status, 404, "V2.0 does not answer zone look-ups");
}

#[test]
fn authentication_outcomes() {
    let mut w = World::demo();
    let host = "webservices5.autotask.net";
    let path = "/ATServicesRest/V1.0/ThresholdInformation";
    assert_eq!(
        get(&mut w, host, path, &creds(demo::USERNAME, demo::SECRET)).status,
        200
    );
    assert_eq!(
        get(&mut w, host, path, &creds(demo::USERNAME, "wrong")).status,
        401
    );
    assert_eq!(
        get(
            &mut w,
            "webservices6.autotask.net",
            path,
            &creds(demo::USERNAME, demo::SECRET)
        )
        .status,
        401
    );
    assert_eq!(
        get(&mut w, host, path, &creds(demo::REGULAR_USER, demo::SECRET)).status,
        401
    );
    let mut bad_code = creds(demo::USERNAME, demo::SECRET);
    bad_code[0].1 = "WRONGCODE";
    let r = get(&mut w, host, path, &bad_code);
    assert_eq!(
        (r.status, body(&r)["errors"][0].clone()),
        (500, json!(CODE_INVALID))
    );
    assert_eq!(
        get(&mut w, host, path, &[("Authorization", "Basic eDp5")]).status,
        401
    );
}

#[test]
fn repeated_wrong_secrets_lock_the_user() {
    let mut w = World::demo();
    let host = "webservices5.autotask.net";
    let path = "/ATServicesRest/V1.0/Version";
    for _ in 0..5 {
        assert_eq!(
            get(&mut w, host, path, &creds(demo::USERNAME, "nope")).status,
            401
        );
    }
    let r = get(&mut w, host, path, &creds(demo::USERNAME, demo::SECRET));
    assert_eq!(r.status, 401);
    assert!(String::from_utf8_lossy(&r.body).contains("locked"));
}

#[test]
fn permissions_and_line_of_business() {
    let mut w = World::demo();
    let host = "webservices5.autotask.net";
    let r = get(
        &mut w,
        host,
        "/ATServicesRest/V1.0/Companies/0",
        &creds(demo::NO_PERMISSIONS, demo::SECRET),
    );
    assert_eq!(r.status, 500);
    assert!(
        body(&r)["errors"][0]
            .as_str()
            .unwrap()
            .contains("adequate permissions")
    );
    let r = get(
        &mut w,
        host,
        "/ATServicesRest/V1.0/Tickets/entityInformation",
        &creds(demo::NO_PERMISSIONS, demo::SECRET),
    );
    assert_eq!(body(&r)["info"]["userAccessForQuery"], 0);
    let r = get(
        &mut w,
        host,
        "/ATServicesRest/V1.0/Companies/0",
        &creds(demo::RESTRICTED, demo::SECRET),
    );
    assert_eq!((r.status, body(&r)["item"].clone()), (200, Value::Null));
    w.behaviour.access_as_strings = true;
    let r = get(
        &mut w,
        host,
        "/ATServicesRest/V1.0/Tickets/entityInformation",
        &creds(demo::RESTRICTED, demo::SECRET),
    );
    assert_eq!(body(&r)["info"]["userAccessForQuery"], "Restricted");
}

#[test]
fn hourly_limit_and_thread_threshold() {
    let mut w = World::demo();
    let host = "webservices5.autotask.net";
    w.tenant_mut("busy").requests_used = 10_000;
    let r = get(
        &mut w,
        host,
        "/ATServicesRest/V1.0/Version",
        &creds(demo::BUSY, demo::SECRET),
    );
    assert_eq!(r.status, 429);
    assert!(
        r.headers
            .iter()
            .any(|(k, v)| k == "Retry-After" && v == "60")
    );

    let headers: Vec<(String, String)> = creds(demo::USERNAME, demo::SECRET)
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let req = SimRequest {
        method: "GET",
        host,
        target: "/ATServicesRest/V1.0/Companies/0",
        headers: &headers,
        body: b"",
    };
    let held: Vec<Slot> = (0..3).map(|_| w.handle(&req).1.unwrap()).collect();
    let (r, slot) = w.handle(&req);
    assert_eq!(r.status, 429);
    assert!(slot.is_none());
    assert!(String::from_utf8_lossy(&r.body).contains("Itgenatr005"));
    assert_eq!(w.peak_in_flight("Companies"), 3);
    for s in held {
        w.finish(s);
    }
    assert_eq!(w.handle(&req).0.status, 200);
}

fn query(w: &mut World, user: &str, code: &str, target: &str) -> SimResponse {
    let mut h = creds(user, demo::SECRET);
    h[0].1 = code;
    get(w, "webservices5.autotask.net", target, &h)
}

fn search(filter: &str) -> String {
    let encoded: String = filter
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("query?search={encoded}")
}

#[test]
fn resources_webhooks_and_the_error_log_are_queried() {
    let mut w = World::demo();
    let me = search(&format!(
        r#"{{"filter":[{{"op":"eq","field":"userName","value":"{}"}}]}}"#,
        demo::USERNAME
    ));
    let r = query(
        &mut w,
        demo::USERNAME,
        demo::INTEGRATION_CODE,
        &format!("/ATServicesRest/V1.0/Resources/{me}"),
    );
    assert_eq!(r.status, 200);
    let item = &body(&r)["items"][0];
    assert_eq!(item["userName"], demo::USERNAME);
    assert_eq!(item["licenseType"], 7);
    assert_eq!(item["isActive"], true);
    assert_eq!(item["email"], "integrations@demo-msp.example");
    // A level without Resources: Autotask's permission error.
    let r = query(
        &mut w,
        demo::NO_RESOURCES,
        demo::INTEGRATION_CODE,
        &format!("/ATServicesRest/V1.0/Resources/{me}"),
    );
    assert_eq!(r.status, 500);
    assert!(
        body(&r)["errors"][0]
            .as_str()
            .unwrap()
            .contains("adequate permissions")
    );

    let all = search(r#"{"filter":[{"op":"gte","field":"id","value":0}]}"#);
    let r = query(
        &mut w,
        demo::USERNAME,
        demo::INTEGRATION_CODE,
        &format!("/ATServicesRest/V1.0/ContactWebhooks/{all}"),
    );
    let hook = &body(&r)["items"][0];
    assert_eq!(
        (hook["id"].clone(), hook["isActive"].clone()),
        (json!(5), json!(false))
    );
    assert!(hook["webhookGUID"].is_string());
    // Another integration code sees none of this integration's webhooks.
    w.tenant_mut("demo")
        .integration_codes
        .push("OTHERINTEGRATIONCODE000001".into());
    let r = query(
        &mut w,
        demo::USERNAME,
        "OTHERINTEGRATIONCODE000001",
        &format!("/ATServicesRest/V1.0/ContactWebhooks/{all}"),
    );
    assert_eq!(body(&r)["items"], json!([]));
    let fields = search(
        r#"{"filter":[{"op":"in","field":"webhookID","value":[2,5]},{"op":"eq","field":"isSubscribedField","value":true}]}"#,
    );
    let r = query(
        &mut w,
        demo::USERNAME,
        demo::INTEGRATION_CODE,
        &format!("/ATServicesRest/V1.0/ConfigurationItemWebhookFields/{fields}"),
    );
    assert_eq!(
        body(&r)["items"],
        json!([]),
        "asset watch subscribes nothing"
    );
    let log = search(
        r#"{"filter":[{"op":"gte","field":"createDateTime","value":"2000-01-01T00:00:00Z"}]}"#,
    );
    let r = query(
        &mut w,
        demo::USERNAME,
        demo::INTEGRATION_CODE,
        &format!("/ATServicesRest/V1.0/WebhookEventErrorLogs/{log}"),
    );
    let items = body(&r)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["contactWebhookID"], 5);
    // Out of range: Autotask's 500 for MaxRecords.
    let r = query(
        &mut w,
        demo::USERNAME,
        demo::INTEGRATION_CODE,
        &format!(
            "/ATServicesRest/V1.0/TicketWebhooks/{}",
            search(r#"{"MaxRecords":0,"filter":[{"op":"exist","field":"id"}]}"#)
        ),
    );
    assert_eq!(r.status, 500);
}

#[test]
fn percent_decoding() {
    assert_eq!(percent_decode("a%40b.example"), "a@b.example");
    assert_eq!(percent_decode("%"), "%");
    assert_eq!(percent_decode("100%2"), "100%2");
}
