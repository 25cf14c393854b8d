//! Each view's keys and values, pinned by a golden JSON in
//! `tests/golden/views/`: a change to what scripts or the page read fails here.

use super::*;
use crate::check::{self, Blame, StepId};
use crate::credentials::{Credentials, Secret};
use crate::error::Error;
use crate::profile;
use crate::rest::{AccessLevel, Exchange, Usage};

fn golden(name: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/views")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn assert_golden(name: &str, view: &impl serde::Serialize) {
    let got = serde_json::to_value(view).unwrap();
    assert_eq!(
        got,
        golden(name),
        "{name} changed; the view as it is now:\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

fn tenant() -> check::Tenant {
    check::Tenant {
        zone_name: Some("America East 3".into()),
        api_url: "https://webservices5.autotask.net/ATServicesRest/V1.0/".into(),
        web_url: "https://ww5.autotask.net/".into(),
        ci: Some(30595),
        company_name: Some("Demo MSP".into()),
    }
}

fn report() -> check::Report {
    let lints = Credentials::parse(
        "k3jd8f0aq2mz7xw@demo-msp.example",
        Secret::new(" Demo*Secret#2026~xY7$kQ2w".into()),
        "DEMOSIMULATEDTRACKINGID0027",
    )
    .unwrap()
    .1;
    check::Report {
        passed: false,
        tenant: Some(tenant()),
        steps: vec![
            check::Step {
                id: StepId::Authentication,
                status: check::Status::Failed,
                message: "Autotask refused the username and secret (HTTP 401).".into(),
                blame: Some(Blame::Secret),
                fix: Some("Paste the secret again exactly as it was generated.".into()),
                details: Some("If nobody has it any more: generate a new one.".into()),
                link: Some("https://ww5.autotask.net/".into()),
                http: vec![Exchange {
                    method: "GET",
                    url:
                        "https://webservices5.autotask.net/ATServicesRest/V1.0/ThresholdInformation"
                            .into(),
                    status: Some(401),
                    errors: vec![],
                    elapsed_ms: 312,
                    failure: None,
                }],
            },
            check::Step {
                id: StepId::Usage,
                status: check::Status::Skipped,
                message: "Skipped: authentication did not succeed.".into(),
                blame: None,
                fix: None,
                details: None,
                link: None,
                http: vec![],
            },
        ],
        usage: Some(Usage {
            used: 1200,
            limit: 10000,
            window_minutes: 60,
            percent: 12,
        }),
        entities: vec![check::EntityAccess {
            entity: "Tickets".into(),
            query: Some(AccessLevel::All),
            create: None,
            update: None,
            delete: None,
            problem: Some("cannot be created".into()),
        }],
        lints,
        sign_in: check::SignIn::Refused,
        retest_after_s: None,
        api_user: Some(check::ApiUser::Read(crate::rest::ResourceRecord {
            active: Some(true),
            license_type: Some(7),
            email: Some("integrations@demo-msp.example".into()),
        })),
    }
}

#[test]
fn the_report_view_is_the_documented_check_json() {
    assert_golden("report.json", &Report::from(&report()));
}

fn profile_view() -> profile::ProfileView {
    profile::ProfileView {
        name: "Contoso".into(),
        vendor: "custom".into(),
        username: "k3jd8f0aq2mz7xw@contoso.com".into(),
        integration_code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ1".into(),
        zone_input: Some("https://ww5.autotask.net/".into()),
        tenant: Some(tenant()),
        last_check: Some(profile::LastCheck {
            at: "2026-05-04T09:12:44Z".into(),
            passed: false,
            failed_step: Some(StepId::Authentication),
            blame: Some(Blame::Secret),
            message: "Autotask refused the username and secret (HTTP 401).".into(),
            sign_in: Some(check::SignIn::Refused),
        }),
        entities: vec!["Tickets:write".into(), "Companies".into()],
        created_at: "2026-05-04T09:00:00Z".into(),
        updated_at: "2026-05-04T09:12:44Z".into(),
        has_secret: Some(true),
        recent_failed_logins: 1,
        problem: None,
    }
}

#[test]
fn the_profile_views_are_pinned() {
    assert_golden("profile.json", &Profile::from(&profile_view()));
    let listing = profile::Listing {
        profiles: vec![profile_view()],
        config_path: "/home/tech/.config/autotask-connect/profiles.json".into(),
        store_problem: None,
        notice: None,
    };
    assert_golden("listing.json", &Listing::from(&listing));
    let deleted = profile::Deleted {
        name: "Contoso".into(),
        removed_profile: true,
        removed_secret: false,
    };
    assert_golden("deleted.json", &Deleted::from(&deleted));
}

/// One envelope per operation, for both faces: `profile save --json` and
/// the window's Save give `{"saved", "profile", "check"}`; a copy says what
/// and until when, never the value.
#[test]
fn the_save_and_copy_envelopes_are_pinned() {
    let saved = serde_json::to_value(Saved::new(Some(&profile_view()), Some(&report()))).unwrap();
    assert_eq!(
        saved,
        serde_json::json!({
            "saved": true,
            "profile": golden("profile.json"),
            "check": golden("report.json"),
        })
    );
    let refused = serde_json::to_value(Saved::new(None, Some(&report()))).unwrap();
    assert_eq!(
        refused,
        serde_json::json!({"saved": false, "profile": null, "check": golden("report.json")})
    );
    let untested = serde_json::to_value(Saved::new(Some(&profile_view()), None)).unwrap();
    assert_eq!(untested["check"], serde_json::Value::Null);
    let copied = Copied {
        label: "API secret".into(),
        sensitive: true,
        clears_in_seconds: Some(30),
    };
    assert_eq!(
        serde_json::to_value(copied).unwrap(),
        serde_json::json!({"label": "API secret", "sensitive": true, "clears_in_seconds": 30})
    );
}

#[test]
fn one_error_view_for_both_faces() {
    let zone = Error::from(crate::zone::parse("autotask.net.example.com").unwrap_err());
    let lints = Error::from(check::InputError::Lints(
        Credentials::parse(
            "",
            Secret::new("Zq9-unique-secret-value-2".into()),
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        )
        .unwrap_err(),
    ));
    let plain = Error::HandoffNeedsCheck;
    let views: Vec<ErrorView> = [zone, lints, plain].iter().map(ErrorView::from).collect();
    assert_golden("errors.json", &views);
    assert_golden(
        "error-of-a-face.json",
        &ErrorView::new("internal", "No demo tenant is running."),
    );
}

#[test]
fn the_form_views_hold_only_the_secrets_state() {
    let mut form = crate::form::Form::new();
    let pasted = form.paste(
        "Zone: webservices5\nUsername: k3jd8f0aq2mz7xw@contoso.com\nSecret: Zq9-unique-secret-value-2\nIntegration code: ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        crate::credentials::Field::Username,
    );
    let view = Pasted::from(&pasted);
    assert!(!serde_json::to_string(&view).unwrap().contains("Zq9"));
    assert_golden("pasted.json", &view);
    let state = form.set_secret(Secret::new(" padded-secret-value-01234 ".into()));
    assert_golden("secret-state.json", &SecretState::from(&state));
    // The form's state, as every form command answers it.
    form.record_other(crate::form::Subject::Profile("Contoso".into()), true);
    let around = crate::form::Surroundings {
        store_ok: true,
        store_backend: "Secret Service",
        demo: false,
    };
    let view = FormState::from(&form.state(around));
    assert_golden("form-state.json", &view);
    assert!(!serde_json::to_string(&view).unwrap().contains("padded"));
    let fields = crate::form::Fields {
        zone: "https://ww5.autotask.net/".into(),
        username: "k3jd8f0aq2mz7xw@demo-msp.example".into(),
        integration_code: "DEMOSIMULATEDTRACKINGID0027".into(),
        vendor: String::new(),
        entities: vec!["Tickets:write".into()],
    };
    assert_golden("fields.json", &Fields::from(&fields));
}

/// The CLI's documented shapes of `handoff`, `vendors` and `zone` (README),
/// which the window reads too.
#[test]
fn the_handoff_vendor_and_zone_views_are_the_public_shapes() {
    let cloud_depot = crate::vendors::find("cloud-depot").unwrap();
    let source = crate::handoff::Source {
        zone: crate::zone::Zone::Numbered(5),
        username: "k3jd8f0aq2mz7xw@contoso.com",
        integration_code: None,
    };
    assert_eq!(
        serde_json::to_value(Handoff::from(&crate::handoff::build(cloud_depot, &source))).unwrap(),
        serde_json::json!({
            "vendor": "cloud-depot",
            "fields": [
                {"label": "Username (Key)", "kind": "username", "value": "k3jd8f0aq2mz7xw@contoso.com"},
                {"label": "Password (Secret)", "kind": "secret", "value": null}
            ],
            "checklist": [
                "Lines of business: If you use lines of business, Cloud Depot suggests associating \
                 the user with all of them.",
                "API Tracking Identifier: Integration Vendor: Cloud Depot (its code stays with \
                 Cloud Depot)."
            ]
        })
    );
    // `vendors --json`: every preset, its code class and its form.
    let summaries: Vec<VendorSummary> = crate::vendors::all()
        .iter()
        .map(VendorSummary::from)
        .collect();
    assert_golden("vendors.json", &summaries);
    let zone = crate::zone::parse("https://ww5.autotask.net/Autotask/Home.aspx").unwrap();
    assert_golden("zone.json", &ZoneSummary::from(&zone.summary()));
    // The window's vendor keeps the file's keys (`where` included).
    let vendor = serde_json::to_value(Vendor::from(cloud_depot)).unwrap();
    // Sorted: with the whole workspace built, serde_json keeps insertion order.
    let mut keys: Vec<&String> = vendor["setup"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "flows",
            "line_of_business",
            "ready_after_minutes",
            "security_level",
            "source",
            "steps",
            "webhooks",
            "where"
        ]
    );
    let mut keys: Vec<&String> = vendor.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "bound",
            "checklist",
            "code_class",
            "code_source",
            "fields",
            "id",
            "name",
            "published_code",
            "recipe",
            "setup",
            "tracking_identifier"
        ]
    );
    let squaredup =
        serde_json::to_value(Vendor::from(crate::vendors::find("squaredup").unwrap())).unwrap();
    assert_eq!(squaredup["published_code"], "FWAABGUO7E7BBHD3PQMLWCGLGY");
    assert_eq!(
        squaredup["recipe"]["entities"][0],
        serde_json::json!({"entity": "Companies", "access": "read"})
    );
}

#[test]
fn the_status_view_is_the_documented_status_json() {
    use crate::status;
    let report = status::StatusReport {
        ok: false,
        config_path: "/home/tech/.config/autotask-connect/profiles.json".into(),
        store_problem: None,
        notice: None,
        checked: true,
        profiles: vec![status::ProfileStatus {
            name: "Contoso".into(),
            ok: false,
            username: "k3jd8f0aq2mz7xw@contoso.com".into(),
            zone: status::ZoneStatus {
                saved_api_url: Some(
                    "https://webservices6.autotask.net/ATServicesRest/V1.0/".into(),
                ),
                api_url: Some("https://webservices29.autotask.net/ATServicesRest/V1.0/".into()),
                web_url: Some("https://ww29.autotask.net/".into()),
                zone_name: None,
                moved: true,
            },
            secret_stored: Some(true),
            last_check: Some(status::LastCheck {
                at: "2026-05-04T09:12:44Z".into(),
                age_seconds: Some(120),
                passed: true,
                message: "The check passed.".into(),
                sign_in: Some(check::SignIn::Accepted),
            }),
            lockout_guard: status::GuardStatus {
                recent_failed_logins: 0,
                blocking: false,
                minutes_left: None,
            },
            check: Some(report()),
            problems: vec![status::Problem {
                kind: "zone_moved",
                message: "The tenant moved to zone 29.".into(),
            }],
        }],
        gateways: vec![crate::store::gateways::GatewayRecord {
            profile: "Contoso".into(),
            pid: 4242,
            url: "http://127.0.0.1:4100/ATServicesRest/V1.0/".into(),
            started_at: "2026-05-04T09:00:00Z".into(),
            updated_at: "2026-05-04T09:14:00Z".into(),
            state: crate::store::gateways::GatewayState::CredentialsRefused,
            read_only: false,
            write_entities: vec!["Tickets".into(), "TicketNotes".into()],
            budget: 1000,
            tenant_threshold: Some(10_000),
            requests: 140,
            last_hour: 125,
            refused: 3,
            entities: [("Companies".to_string(), 100), ("Tickets".to_string(), 40)]
                .into_iter()
                .collect(),
        }],
    };
    let view = serde_json::to_value(StatusReport::from(&report)).unwrap();
    assert_eq!(view["profiles"][0]["check"], golden("report.json"));
    let mut without_check = view.clone();
    without_check["profiles"][0]["check"] = serde_json::Value::Null;
    assert_eq!(without_check, golden("status.json"));
}

/// `webhooks --json` (README), which the window's Webhooks section reads too.
#[test]
fn the_webhook_report_view_is_the_documented_webhooks_json() {
    use crate::check::{EntityWebhooks, ErrorLog, WebhookProblem, WebhookReport, WebhookStatus};
    use crate::webhook::{ErrorEntry, UrlProblem, Webhook};
    let hook = |id, name: &str, url: &str, active, ready| Webhook {
        id,
        name: name.into(),
        url: url.into(),
        active: Some(active),
        ready: Some(ready),
        guid: Some(format!("guid-{id}")),
    };
    let error = ErrorEntry {
        at: "2026-12-03T08:15:00.000Z".into(),
        message: "Unable to connect to the remote server".into(),
        webhook: Some(("Contacts", 5)),
        guid: None,
    };
    let report = WebhookReport {
        sign_in: check::SignIn::Accepted,
        steps: vec![check::Step {
            id: StepId::Authentication,
            status: check::Status::Passed,
            message: "Autotask accepted the username, secret and integration code at \
                      webservices5.autotask.net."
                .into(),
            blame: None,
            fix: None,
            details: None,
            link: None,
            http: vec![],
        }],
        tenant: Some(tenant()),
        entities: vec![
            EntityWebhooks {
                entity: "Companies",
                webhook_entity: "CompanyWebhooks".into(),
                webhooks: vec![],
                problem: Some(
                    "the API user's security level cannot read CompanyWebhooks (HTTP 500)".into(),
                ),
            },
            EntityWebhooks {
                entity: "Contacts",
                webhook_entity: "ContactWebhooks".into(),
                webhooks: vec![WebhookStatus {
                    webhook: hook(
                        5,
                        "Contact export",
                        "http://192.168.10.20:8080/hooks",
                        false,
                        true,
                    ),
                    shown_url: "http://192.168.10.20:8080/hooks".into(),
                    subscribed_fields: Some(1),
                    errors: vec![error.clone()],
                    problems: vec![
                        WebhookProblem::Inactive,
                        WebhookProblem::Url(UrlProblem::NotHttps),
                        WebhookProblem::Url(UrlProblem::PrivateAddress),
                        WebhookProblem::Undelivered {
                            count: 1,
                            latest_at: error.at.clone(),
                            latest: error.message.clone(),
                        },
                    ],
                }],
                problem: None,
            },
            EntityWebhooks {
                entity: "Tickets",
                webhook_entity: "TicketWebhooks".into(),
                webhooks: vec![WebhookStatus {
                    webhook: hook(
                        7,
                        "PSA ticket sync",
                        "https://hooks.example.com/t?token=x",
                        true,
                        true,
                    ),
                    shown_url: "https://hooks.example.com/t (query hidden)".into(),
                    subscribed_fields: None,
                    errors: vec![],
                    problems: vec![],
                }],
                problem: None,
            },
        ],
        error_log: Some(ErrorLog::Read {
            entries: 2,
            unattributed: 1,
        }),
        requests: 9,
    };
    assert_golden("webhooks.json", &super::WebhookReport::from(&report));
    assert_golden(
        "signature.json",
        &[
            crate::webhook::Signature::Matches,
            crate::webhook::Signature::MatchesWithoutTrailingNewline,
            crate::webhook::Signature::DoesNotMatch,
            crate::webhook::Signature::Malformed,
        ]
        .map(SignatureCheck::from),
    );
}

#[test]
fn the_gateways_own_answers_are_pinned() {
    use crate::limits::GatewayError as E;
    let all = [
        E::InvalidToken,
        E::HostNotAllowed,
        E::NotFound,
        E::MethodNotAllowed {
            method: "TRACE".into(),
        },
        E::ReadOnly {
            method: "POST (create)".into(),
            entity: "Tickets".into(),
            writable: vec![],
        },
        E::ReadOnly {
            method: "DELETE (delete)".into(),
            entity: "Companies".into(),
            writable: vec!["Tickets".into(), "TicketNotes".into()],
        },
        E::BudgetExhausted {
            budget: 5,
            retry_after_s: 3597,
        },
        E::CredentialsRefused,
        E::RequestTooLarge {
            limit: crate::limits::MAX_REQUEST_BYTES,
        },
        E::Unreachable {
            message: "TCP: webservices5.autotask.net refused the connection on port 443.".into(),
        },
        E::TimedOut {
            message: "webservices5.autotask.net did not finish answering within 20 s.".into(),
        },
        E::Redirected { status: 302 },
    ];
    let views: Vec<GatewayError> = all.iter().map(GatewayError::from).collect();
    assert_golden("gateway-errors.json", &views);
    assert_golden(
        "gateway-zone.json",
        &GatewayZone {
            zone_name: "Autotask Connect gateway".into(),
            url: "http://127.0.0.1:4100/ATServicesRest/".into(),
            web_url: "https://ww5.autotask.net/".into(),
        },
    );
}

#[test]
fn the_updates_view_is_doctors_updates_json() {
    let views = [
        Updates::from(&crate::updates::Updates::On {
            from: crate::updates::RELEASES_ENDPOINT.into(),
        }),
        Updates::from(&crate::updates::Updates::Off {
            by: crate::updates::LINUX_POLICY_FILE.into(),
            why: "turned off by your administrator".into(),
        }),
    ];
    assert_golden("updates.json", &views);
}
