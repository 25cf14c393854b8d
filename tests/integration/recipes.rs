//! What a vendor needs and what the API user is (issue 22): each gap
//! between a recipe and the security level named in the technician's terms,
//! each class of integration code, and the API user's own Resource record,
//! read with its own credentials (also where the level cannot read
//! Resources).

use autotask_connect::check::{ApiUser, Blame, Status, StepId};
use autotask_connect::rest::ResourceRecord;
use autotask_simulator::Access;
use serde_json::Value;

use crate::support::*;

fn gaps_of(report: &autotask_connect::check::Report) -> String {
    let perms = step(report, StepId::Permissions);
    assert_eq!(perms.status, Status::Failed, "{}", perms.message);
    assert_eq!(perms.blame, Some(Blame::Permissions));
    perms.fix.clone().unwrap()
}

/// Every kind of gap, each said as the permission the security level page
/// names, what the level has now, and both places it is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_recipe_gap_is_named_in_the_technicians_terms() {
    let env = env().await;
    // Needs View, has none (and a webhook entity: "Can create Webhooks").
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::NO_PERMISSIONS).entities(&["Tickets", "TicketWebhooks:write"]),
    )
    .await;
    assert_eq!(
        gaps_of(&report),
        "Tickets: needs View, has none: check both the Service Desk object permission and the \
         Web Services API category. Ticket Webhooks: needs View, Add and Edit, has none: check \
         both \"Can create Webhooks\" under Other and the Web Services API category."
    );
    // Needs Add and Edit, has View only.
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::READ_ONLY).entities(&["Companies:write", "Contacts"]),
    )
    .await;
    assert_eq!(
        gaps_of(&report),
        "Companies: needs Add and Edit, has View only: check both the CRM object permission and \
         the Web Services API category."
    );
    // Needs Add and Edit, has View of some records only.
    env.sim.world(|w| {
        w.user_mut(demo::USERNAME)
            .access
            .insert("ticketnotes".into(), Access::RestrictedReadOnly)
    });
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).entities(&["TicketNotes:write"]),
    )
    .await;
    assert_eq!(
        gaps_of(&report),
        "Ticket Notes: needs Add and Edit, has View of some records only: check both the Service \
         Desk object permission and the Web Services API category."
    );
    // Where Autotask's answer cannot be read there is no gap to name.
    env.sim.add_fault(
        autotask_simulator::Fault::new(autotask_simulator::Action::respond(
            200,
            "application/json",
            "{}",
        ))
        .on_path("Contracts/entityInformation"),
    );
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::USERNAME).entities(&["Contracts:write"]),
    )
    .await;
    let perms = step(&report, StepId::Permissions);
    assert_eq!(perms.status, Status::Warning, "{}", perms.message);
    assert!(perms.fix.is_none(), "{:?}", perms.fix);
}

/// A vendor's recipe is what its check reads when nothing else is named,
/// and the gaps come from it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendors_recipe_is_what_its_check_verifies() {
    let t = Routed::new().await;
    t.env.sim.world(|w| {
        w.tenant_mut("demo")
            .integration_codes
            .push(SQUAREDUP_CODE.into())
    });
    let run = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "squaredup",
                "--username",
                demo::NO_PERMISSIONS,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    let v = run.json();
    let probed: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity"].as_str().unwrap())
        .collect();
    assert_eq!(
        probed,
        [
            "Companies",
            "Tickets",
            "Contracts",
            "Projects",
            "Resources",
            "SurveyResults"
        ]
    );
    let fix = v["steps"][4]["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(
            "Companies: needs View, has none: check both the CRM object permission and the Web \
             Services API category. Tickets: needs View, has none: check both the Service Desk"
        ),
        "{fix}"
    );
    assert!(
        fix.ends_with(
            "Survey Results: needs View, has none: check both its object permission and the Web \
             Services API category."
        ),
        "{fix}"
    );
    // SquaredUp reads only: a user that may only read meets its recipe.
    let run = t
        .run(
            &[
                "check",
                "--json",
                "--vendor",
                "squaredup",
                "--username",
                demo::READ_ONLY,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
}

const SQUAREDUP_CODE: &str = "FWAABGUO7E7BBHD3PQMLWCGLGY";

/// The three classes of integration code: a vendor that keeps it (nothing
/// carrying the secret or a code leaves), one that publishes it (the full
/// check runs with the published code), and Autotask's generated code
/// (the full check runs with the code given, and none given is refused
/// with where Autotask shows it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_code_class_gets_its_check() {
    let t = Routed::new().await;
    t.env.sim.world(|w| {
        w.tenant_mut("demo")
            .integration_codes
            .push(SQUAREDUP_CODE.into())
    });
    let check = async |vendor: &str, code: Option<&str>| {
        let mut args = vec![
            "check",
            "--json",
            "--vendor",
            vendor,
            "--username",
            demo::USERNAME,
        ];
        if let Some(c) = code {
            args.extend(["--integration-code", c]);
        }
        t.env.sim.clear_requests();
        t.run(&args, Some(demo::SECRET)).await
    };
    let codes_sent = || -> Vec<String> {
        t.env
            .sim
            .requests()
            .iter()
            .filter_map(|r| r.header("ApiIntegrationCode").map(str::to_string))
            .collect()
    };

    // vendor_keeps: zone only, nothing carrying a code or the secret.
    let run = check("proxuma", None).await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.json()["sign_in"], "not_sent");
    assert_eq!(run.json()["api_user"], Value::Null, "nothing was read");
    assert!(codes_sent().is_empty());
    assert_eq!(carrying(&t.env.sim, demo::SECRET), 0);

    // vendor_publishes: no code given, the published one signs in.
    let run = check("squaredup", None).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let v = run.json();
    assert_eq!(v["sign_in"], "accepted");
    assert_eq!(v["vendor"], "squaredup");
    let sent = codes_sent();
    assert!(!sent.is_empty());
    assert!(sent.iter().all(|c| c == SQUAREDUP_CODE), "{sent:?}");
    assert!(
        v["lints"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["code"] != "integration_code.not_published")
    );
    // Another code given: used as given, with a warning that it is not the
    // published one.
    let run = check("squaredup", Some(demo::INTEGRATION_CODE)).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    let lint = run.json()["lints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "integration_code.not_published")
        .cloned()
        .unwrap();
    assert_eq!(lint["severity"], "warning");
    assert_eq!(
        lint["message"],
        "This is not the integration code SquaredUp publishes (FWAABGUO7E7BBHD3PQMLWCGLGY)."
    );
    assert!(
        codes_sent()
            .iter()
            .all(|c| c.as_str() == demo::INTEGRATION_CODE)
    );

    // autotask_generates: the code given signs in; none given is refused
    // before anything is sent, saying where Autotask generates it.
    let run = check("cyrisma", Some(demo::INTEGRATION_CODE)).await;
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json()["sign_in"], "accepted");
    let run = check("cyrisma", Some("")).await;
    assert_eq!(run.status, 2, "{}{}", run.stdout, run.stderr);
    let e = &run.json()["error"];
    assert_eq!(e["kind"], "invalid_input");
    let lint = &e["lints"][0];
    assert_eq!(lint["code"], "integration_code.blank");
    let fix = lint["fix"].as_str().unwrap();
    assert!(fix.contains("Autotask generates the code"), "{fix}");
    assert!(!fix.contains("vendor gives you"), "{fix}");
    assert!(t.env.sim.requests().is_empty(), "refused before sending");
}

fn tenant_step(report: &autotask_connect::check::Report) -> &autotask_connect::check::Step {
    step(report, StepId::Tenant)
}

/// The API user's own record: read with its own credentials after the
/// sign-in, shown in the tenant step; a level that cannot read Resources is
/// said, not failed; what to act on is a warning with the fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_users_own_record_is_read_and_shown_in_the_tenant_step() {
    let env = env().await;
    let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME)).await;
    assert!(report.passed);
    assert_eq!(
        report.api_user,
        Some(ApiUser::Read(ResourceRecord {
            active: Some(true),
            license_type: Some(7),
            email: Some("integrations@demo-msp.example".into()),
        }))
    );
    let tenant = tenant_step(&report);
    assert_eq!(tenant.status, Status::Passed);
    assert_eq!(
        tenant.message,
        "Company 0, your own company in Autotask, is \"Demo MSP (simulated)\". The API user's own \
         record: active, API User licence. Autotask sends its notices for this user (a lockout, \
         the request limit) to integrations@demo-msp.example."
    );
    // One GET of Resources, filtered by the username, after the sign-in.
    let requests = env.sim.requests();
    let reads: Vec<usize> = requests
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_for("/Resources/query?search="))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(reads.len(), 1);
    assert!(requests[reads[0]].carries("userName"));
    assert!(requests[reads[0]].method == "GET");
    let sign_in = requests
        .iter()
        .position(|r| r.is_for("ThresholdInformation"))
        .unwrap();
    assert!(
        sign_in < reads[0],
        "read only after Autotask accepted the sign-in"
    );
    assert_eq!(
        tenant
            .http
            .iter()
            .filter(|x| x.url.contains("Resources/query"))
            .count(),
        1
    );

    // A level that cannot read Resources: said clearly, the step passes.
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::NO_RESOURCES).entities(&["Tickets"]),
    )
    .await;
    assert!(report.passed, "{:#?}", report.steps);
    assert_eq!(report.api_user, Some(ApiUser::NotReadable));
    let tenant = tenant_step(&report);
    assert_eq!(tenant.status, Status::Passed);
    assert!(
        tenant.message.ends_with(
            "This API user's security level cannot read Resources, so its own record (active, \
             licence, e-mail for notices) is not shown."
        ),
        "{}",
        tenant.message
    );
    // Also when Autotask says it with a 403.
    env.sim.world(|w| w.behaviour.permission_error_status = 403);
    let (report, _) = run_check(
        &env.transport,
        Ask::demo(demo::NO_RESOURCES).entities(&["Tickets"]),
    )
    .await;
    assert_eq!(report.api_user, Some(ApiUser::NotReadable));

    // No e-mail for notices, and another licence: a warning with the fix.
    env.sim.world(|w| {
        let u = w.user_mut(demo::USERNAME);
        u.email = None;
        u.license_type = 3;
    });
    let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME)).await;
    assert!(report.passed);
    let tenant = tenant_step(&report);
    assert_eq!(tenant.status, Status::Warning);
    assert!(
        tenant.message.ends_with(
            "The API user's own record: active, licence type 3, not the API User licence (7). It \
             has no e-mail address, so nobody hears of a lockout or of the request limit."
        ),
        "{}",
        tenant.message
    );
    assert_eq!(
        tenant.fix.as_deref(),
        Some(
            "Edit the API user: give it an e-mail address someone reads (Autotask sends lockout \
             and threshold notices there); give the integration a user made with New API User \
             (other licences are for people)."
        )
    );
    // An answer that is no query envelope: said, nothing invented.
    env.sim.add_fault(
        autotask_simulator::Fault::new(autotask_simulator::Action::respond(
            200,
            "application/json",
            r#"{"item": null}"#,
        ))
        .on_path("/Resources/query"),
    );
    let (report, _) = run_check(&env.transport, Ask::demo(demo::READ_ONLY)).await;
    assert_eq!(
        report.api_user,
        Some(ApiUser::Unknown(
            "Autotask's answer could not be read".into()
        ))
    );
    // The view says it was not read, and why.
    let view = serde_json::to_value(autotask_connect::view::Report::from(&report)).unwrap();
    assert_eq!(view["api_user"]["read"], false);
    assert_eq!(
        view["api_user"]["message"],
        "The API user's own record could not be read: Autotask's answer could not be read."
    );
}
