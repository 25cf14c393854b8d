use super::judges::*;
use super::run::{network_failed, redact_step};
use super::*;
use crate::credentials::Credentials;
use crate::credentials::Secret;
use crate::redact::Redactor;
use crate::rest::{AccessLevel, Body, Exchange, Failure, Usage};
use crate::transport::Layer;
use crate::transport::TransportError;
use crate::zone::Zone;
use serde_json::Value;
use serde_json::json;
use std::sync::Arc;

fn creds(username: &str) -> Credentials {
    Credentials::parse(
        username,
        Secret::new("Zq9-unique-secret-value-2".into()),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
    )
    .unwrap()
    .0
}

fn x() -> Exchange {
    Exchange {
        method: "GET",
        url: "https://webservices5.autotask.net/ATServicesRest/V1.0/ThresholdInformation".into(),
        status: None,
        errors: vec![],
        elapsed_ms: 0,
        failure: None,
    }
}

fn status(code: u16, errors: &[&str]) -> Result<Value, Failure> {
    Err(Failure::Status {
        status: code,
        errors: errors.iter().map(|s| s.to_string()).collect(),
        retry_after: None,
        body: Body::Json(json!({ "errors": errors })),
    })
}

const KEY: &str = "k3jd8f0aq2mz7xw@contoso.com";

/// Judged for a username that has passed here before (an API user).
fn auth(result: Result<Value, Failure>, username: &str) -> Step {
    judged(result, username, true)
}

fn judged(result: Result<Value, Failure>, username: &str, passed_before: bool) -> Step {
    judge_authentication(
        x(),
        &result,
        Zone::Numbered(5),
        &creds(username),
        "https://ww5.autotask.net/",
        passed_before,
    )
    .0
}

#[test]
fn error_table_maps_to_step_and_blame() {
    let cases: Vec<(Step, Status, Option<Blame>)> = vec![
        (
            auth(status(401, &[]), KEY),
            Status::Failed,
            Some(Blame::Secret),
        ),
        (
            auth(status(401, &[]), "jane.doe@contoso.com"),
            Status::Failed,
            Some(Blame::Secret),
        ),
        // Never seen to pass here: a new API user before a wrong secret.
        (
            judged(status(401, &[]), KEY, false),
            Status::Failed,
            Some(Blame::NewUser),
        ),
        (
            judged(status(401, &[]), "jane.doe@contoso.com", false),
            Status::Failed,
            Some(Blame::NewUser),
        ),
        (
            auth(
                status(
                    401,
                    &[
                        "The user account has been locked. Please see your Autotask Administrator for details.",
                    ],
                ),
                KEY,
            ),
            Status::Failed,
            Some(Blame::Locked),
        ),
        (
            auth(status(500, &["IntegrationCode is invalid."]), KEY),
            Status::Failed,
            Some(Blame::IntegrationCode),
        ),
        (
            auth(status(403, &[]), KEY),
            Status::Failed,
            Some(Blame::Licence),
        ),
        (
            auth(
                status(
                    500,
                    &[
                        "The logged in Resource does not have the adequate permissions to access this entity type.",
                    ],
                ),
                KEY,
            ),
            Status::Failed,
            Some(Blame::Licence),
        ),
        (
            auth(status(429, &["Itgenatr005 thread threshold"]), KEY),
            Status::Failed,
            Some(Blame::RateLimit),
        ),
        (
            auth(status(429, &[]), KEY),
            Status::Failed,
            Some(Blame::RateLimit),
        ),
        (
            auth(status(404, &[]), KEY),
            Status::Failed,
            Some(Blame::Zone),
        ),
        (auth(status(503, &["down"]), KEY), Status::Failed, None),
        (
            auth(
                Err(Failure::Redirect {
                    status: 302,
                    location: Some("https://evil.example/".into()),
                }),
                KEY,
            ),
            Status::Failed,
            Some(Blame::Network),
        ),
        (
            auth(
                Err(Failure::Unreadable {
                    status: 200,
                    body: Body::Html(Some("Login".into())),
                    reason: "html".into(),
                }),
                KEY,
            ),
            Status::Failed,
            Some(Blame::Network),
        ),
        (
            auth(
                Ok(
                    json!({"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":5}),
                ),
                KEY,
            ),
            Status::Passed,
            None,
        ),
    ];
    for (i, (step, want_status, want_blame)) in cases.into_iter().enumerate() {
        assert_eq!(
            (step.status, step.blame),
            (want_status, want_blame),
            "case {i}: {}",
            step.message
        );
        if step.status == Status::Failed {
            assert!(step.fix.is_some(), "case {i} has no fix");
        }
    }
}

#[test]
fn a_401_says_it_will_not_retry() {
    let s = auth(status(401, &[]), KEY);
    assert!(s.message.contains("will not retry"), "{}", s.message);
    // The one thing to do first; generating a new secret (which breaks
    // every integration using the old one) only in the details.
    assert_eq!(
        s.fix.as_deref(),
        Some("Paste the secret again exactly as it was generated.")
    );
    assert!(
        s.details
            .unwrap()
            .starts_with("If nobody has it any more: ")
    );
}

#[test]
fn a_locked_user_is_for_an_administrator_and_a_persons_login_may_be_a_new_api_user() {
    let locked = auth(
        status(
            401,
            &[
                "The user account has been locked. Please see your Autotask Administrator for details.",
            ],
        ),
        KEY,
    );
    assert_eq!(
        locked.fix.as_deref(),
        Some("Ask an Autotask administrator to unlock the API user, then test once.")
    );
    // Sent only after a yes ("it is an API user"): new, or a person's login.
    let person = judged(status(401, &[]), "jane.doe@contoso.com", false);
    assert!(
        person.message.contains("If this is a new API user")
            && person
                .message
                .contains("a person's login is never accepted"),
        "{}",
        person.message
    );
    assert!(
        person
            .details
            .unwrap()
            .contains("Username (Key) from its Credentials section")
    );
}

#[test]
fn rate_limit_mentions_retry_after() {
    let f = Err(Failure::Status {
        status: 429,
        errors: vec![],
        retry_after: Some("120".into()),
        body: Body::Empty,
    });
    assert!(auth(f, KEY).message.contains("wait 120 s"));
}

#[test]
fn usage_thresholds() {
    let u = |used| Usage {
        used,
        limit: 10_000,
        window_minutes: 60,
        percent: used / 100,
    };
    assert_eq!(judge_usage(Some(&u(100))).status, Status::Passed);
    assert!(judge_usage(Some(&u(5_000))).message.contains("50 %"));
    let busy = judge_usage(Some(&u(7_500)));
    assert_eq!(
        (busy.status, busy.blame),
        (Status::Warning, Some(Blame::RateLimit))
    );
    assert_eq!(judge_usage(None).status, Status::Warning);
}

#[test]
fn permissions_from_entity_information() {
    let info = |q: Value| Ok(json!({"info": {"canQuery": true, "userAccessForQuery": q}}));
    let (s, rows) = judge_permissions(
        vec![
            ("Companies".into(), x(), info(json!(1))),
            ("Tickets".into(), x(), info(json!("Restricted"))),
        ],
        &[],
        "",
    );
    assert_eq!(
        (s.status, s.blame),
        (Status::Warning, Some(Blame::Permissions))
    );
    assert_eq!(rows[1].query, Some(AccessLevel::Restricted));
    let (s, _) = judge_permissions(
        vec![
            ("Companies".into(), x(), info(json!(0))),
            (
                "Contacts".into(),
                x(),
                status(
                    500,
                    &["The logged in Resource does not have the adequate permissions"],
                ),
            ),
        ],
        &[],
        "",
    );
    assert_eq!(
        (s.status, s.blame),
        (Status::Failed, Some(Blame::Permissions))
    );
    assert!(s.message.contains("Companies, Contacts"), "{}", s.message);
    let (s, _) = judge_permissions(vec![("Tickts".into(), x(), status(404, &[]))], &[], "");
    assert_eq!(s.status, Status::Failed);
    assert!(s.message.contains("Tickts"));
}

#[test]
fn a_write_need_fails_where_autotask_says_the_user_may_only_read() {
    let info = |q: u8, c: u8, u: u8| {
        Ok(json!({"info": {"canQuery": true, "userAccessForQuery": q,
            "userAccessForCreate": c, "userAccessForUpdate": u}}))
    };
    let needs = Entity::list(&["Tickets:write".into(), "Companies".into()]).unwrap();
    let (s, _) = judge_permissions(
        vec![
            ("Tickets".into(), x(), info(1, 0, 0)),
            ("Companies".into(), x(), info(1, 0, 0)),
        ],
        &needs,
        "",
    );
    assert_eq!(
        (s.status, s.blame),
        (Status::Failed, Some(Blame::Permissions))
    );
    assert_eq!(
        s.message,
        "The integration needs to create or edit Tickets, and the API user may only read them \
         (query access: Tickets all, Companies all)."
    );
    assert_eq!(
        s.fix.as_deref(),
        Some(
            "Tickets: needs Add and Edit, has View only: check both the Service Desk object \
             permission and the Web Services API category."
        )
    );
    // Read needs only: the same answers pass; where Autotask allows
    // writing, the finding says so.
    let (s, _) = judge_permissions(
        vec![
            ("Tickets".into(), x(), info(1, 1, 1)),
            ("Companies".into(), x(), info(1, 0, 0)),
        ],
        &Entity::list(&["Tickets:write".into(), "Companies".into()]).unwrap(),
        "",
    );
    assert_eq!(s.status, Status::Passed);
    assert_eq!(
        s.message,
        "Query access: Tickets all, Companies all; can write: Tickets."
    );
}

#[test]
fn entity_needs_are_spelled_as_the_cli_takes_them() {
    let e = Entity::list(&[
        "Tickets".into(),
        "tickets:WRITE".into(),
        "Companies:read".into(),
    ])
    .unwrap();
    let spelled: Vec<String> = e.iter().map(Entity::spelled).collect();
    assert_eq!(spelled, ["Tickets:write", "Companies"]);
    assert!(Entity::parse("Tickets:delete").is_err());
    assert!(Entity::parse(":write").is_err());
    assert!(Entity::chosen(&[]).unwrap().is_empty());
    assert_eq!(Entity::list(&[]).unwrap().len(), 4);
}

#[test]
fn tenant_line_of_business_and_permissions() {
    let (s, name) = judge_tenant(
        x(),
        &Ok(json!({"item": {"id": 0, "companyName": "Contoso"}})),
        "",
    );
    assert_eq!(
        (s.status, name.as_deref()),
        (Status::Passed, Some("Contoso"))
    );
    let (s, _) = judge_tenant(x(), &Ok(json!({"item": null})), "");
    assert_eq!(
        (s.status, s.blame),
        (Status::Warning, Some(Blame::Permissions))
    );
    let (s, _) = judge_tenant(x(), &status(403, &[]), "");
    assert_eq!(
        (s.status, s.blame),
        (Status::Warning, Some(Blame::Permissions))
    );
}

#[test]
fn entity_names_are_validated_and_deduplicated() {
    let list = Entity::list(&["Tickets".into(), "tickets".into(), "Companies".into()]).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(Entity::list(&[]).unwrap().len(), 4);
    assert!(Entity::parse("../Companies").is_err());
    assert!(Entity::parse("Tickets?x=1").is_err());
    assert!(Entity::parse("").is_err());
}

#[test]
fn redactor_removes_secret_and_code() {
    let r = Redactor::new(
        Arc::new(Secret::new("Zq9-unique-secret-value-25".into())),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
    );
    let mut step = Step::new(
        StepId::Tenant,
        Status::Failed,
        "echo Zq9-unique-secret-value-25 and ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
    )
    .fix("cut: Zq9-uniq");
    step.http.push(Exchange {
        method: "GET",
        url: "https://webservices5.autotask.net/x".into(),
        status: Some(500),
        errors: vec!["ABCDEFGHIJ…".into()],
        elapsed_ms: 1,
        failure: Some("Zq9-unique-secret".into()),
    });
    redact_step(&r, &mut step);
    assert_eq!(step.message, "echo <secret> and <integration code>");
    assert_eq!(step.fix.as_deref(), Some("cut: <secret>"));
    assert_eq!(step.http[0].errors, ["<integration code>…"]);
    assert_eq!(step.http[0].failure.as_deref(), Some("<secret>"));
}

#[test]
fn network_layer_failure_blames_network() {
    let t = TransportError {
        layer: Layer::Dns,
        host: "webservices5.autotask.net".into(),
        message: "DNS: x".into(),
        detail: "x".into(),
        sent: false,
    };
    let s = network_failed(&t);
    assert_eq!((s.status, s.blame), (Status::Failed, Some(Blame::Network)));
}

#[test]
fn a_new_users_refusal_says_wait_first_and_never_generate_first() {
    let step = judged(status(401, &[]), KEY, false);
    assert!(
        step.message.starts_with(
            "Autotask refused the sign-in at webservices5.autotask.net (HTTP 401). This username \
             has not passed a check on this computer yet: a new API user takes about 5 minutes"
        ),
        "{}",
        step.message
    );
    let fix = step.fix.unwrap();
    assert!(fix.contains("wait 5 minutes"), "{fix}");
    assert!(!fix.contains("Generate"), "{fix}");
    // The secret comes second, behind More.
    assert!(step.details.unwrap().contains("the secret is wrong"));
    // Once it has passed here, a refusal is the secret.
    let step = judged(status(401, &[]), KEY, true);
    assert_eq!(step.blame, Some(Blame::Secret));
    assert!(!step.message.contains("5 minutes"), "{}", step.message);
}

#[test]
fn what_became_of_the_secret_is_judged_apart_from_the_step() {
    let sent = |sent| {
        Err(Failure::Transport(TransportError {
            layer: Layer::Timeout,
            host: "webservices5.autotask.net".into(),
            message: "x".into(),
            detail: "x".into(),
            sent,
        }))
    };
    for (result, expected) in [
        (Ok(json!({})), SignIn::Accepted),
        (status(401, &[]), SignIn::Refused),
        (status(403, &[]), SignIn::Refused),
        (
            status(500, &["IntegrationCode is invalid."]),
            SignIn::Refused,
        ),
        (
            status(
                500,
                &["The logged in Resource does not have the adequate permissions"],
            ),
            SignIn::Refused,
        ),
        (status(429, &[]), SignIn::NoVerdict),
        (status(503, &["down"]), SignIn::NoVerdict),
        (sent(true), SignIn::NoVerdict),
        (sent(false), SignIn::FailedBeforeSending),
    ] {
        assert_eq!(judge_sign_in(&result), expected, "{result:?}");
    }
}
