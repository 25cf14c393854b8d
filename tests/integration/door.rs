//! The one door before any secret leaves (rule 5), tried on every path that
//! can send one: the window's form, a saved profile's test and rotate (the
//! core calls its commands make), and the CLI's `check`, `profile save
//! --check`, `profile check`, `profile rotate` and `status --check`. Each
//! path without the technician's yes sends nothing that carries the secret:
//! the simulator's own log is the witness.

use std::sync::Arc;

use autotask_connect::check::{Blame, Consent, Door, Entity, Refusal, Request, SignIn};
use autotask_connect::credentials::Secret;
use autotask_connect::form::{Fields, Form};
use autotask_connect::lockout::Ledger;
use autotask_connect::profile::{ProfileError, Profiles};
use autotask_connect::store::config::Config;
use autotask_connect::store::keyring::Keyring;
use autotask_connect::vendors;
use serde_json::Value;

use crate::cli::Run;
use crate::support::*;

/// Outside the Secret Service session: re-runs test `name` inside one.
fn reran_in_secret_service(name: &str) -> bool {
    if std::env::var_os("_WSS_INNER").is_some() {
        return false;
    }
    run_in_secret_service(&format!("door::{name}"), &[]);
    true
}

/// One computer (the routed CLI's config folder, holding the profiles and
/// the lockout ledger, and the simulator), seen from the door's tests.
type Computer = Routed;

impl Computer {
    fn profiles(&self) -> Profiles {
        Profiles::new(
            Config::at(self.config.path().to_path_buf()),
            Keyring::native(),
        )
    }

    /// How many requests that reached Autotask carried `secret` (a check
    /// that signs in makes several).
    fn sent(&self, secret: &str) -> usize {
        carrying(&self.env.sim, secret)
    }

    /// How many sign-ins (the one call each check makes first with the
    /// secret) reached Autotask with `secret`.
    fn sign_ins(&self, secret: &str) -> usize {
        self.env
            .sim
            .requests()
            .iter()
            .filter(|r| r.header("Secret") == Some(secret))
            .filter(|r| r.target.contains("ThresholdInformation"))
            .count()
    }

    /// Saves a profile without testing it (nothing is sent).
    async fn save_untested(&self, name: &str, username: &str, secret: &str) {
        let run = self
            .run(
                &[
                    "profile",
                    "save",
                    name,
                    "--username",
                    username,
                    "--integration-code",
                    demo::INTEGRATION_CODE,
                    "--json",
                ],
                Some(secret),
            )
            .await;
        assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    }
}

fn kind(run: &Run) -> String {
    run.json()["error"]["kind"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {}{}", run.stdout, run.stderr))
        .to_string()
}

fn form_fields(username: &str) -> Fields {
    Fields {
        zone: String::new(),
        username: username.into(),
        integration_code: demo::INTEGRATION_CODE.into(),
        vendor: String::new(),
        entities: vec![],
    }
}

/// A person's password goes nowhere on any of the eight paths without a
/// yes, and each refusal says how to say it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_path_sends_a_persons_password_without_a_yes() {
    if reran_in_secret_service("no_path_sends_a_persons_password_without_a_yes") {
        return;
    }
    let pc = Computer::new().await;
    let person = demo::REGULAR_USER;
    pc.save_untested("Person", person, demo::SECRET).await;
    let profiles = pc.profiles();
    let ledger = profiles.ledger();

    // 1. The window's form (what run_check does).
    let mut form = Form::new();
    form.set_secret(Secret::new(demo::SECRET.into()));
    let plan = form.plan(&form_fields(person)).unwrap();
    let refused = Door::new(&ledger, &pc.env.transport)
        .check(&plan, &|_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Refusal::Question(q) if q.kind() == "person_login"),
        "{refused}"
    );
    // 2. A saved profile's test (check_profile), 3. rotate (rotate_profile).
    let e = profiles
        .check(
            &pc.env.transport,
            "Person",
            vec![],
            Consent::default(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert!(matches!(&e, ProfileError::Question(_)), "{e}");
    let e = profiles
        .rotate(
            &pc.env.transport,
            "Person",
            Secret::new("Next*Secret#2026~xY7$kQ2w".into()),
            vec![],
            Consent::default(),
            &|_| {},
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "person_login");
    // 4.–8. The CLI.
    let cli_check = [
        "check",
        "--json",
        "--username",
        person,
        "--integration-code",
        demo::INTEGRATION_CODE,
    ];
    let save = [
        "profile",
        "save",
        "Person2",
        "--check",
        "--json",
        "--username",
        person,
        "--integration-code",
        demo::INTEGRATION_CODE,
    ];
    for (args, secret) in [
        (&cli_check[..], Some(demo::SECRET)),
        (&save[..], Some(demo::SECRET)),
        (&["profile", "check", "Person", "--json"][..], None),
        (
            &["profile", "rotate", "Person", "--json"][..],
            Some("Next*Secret#2026~xY7$kQ2w"),
        ),
    ] {
        let run = pc.run(args, secret).await;
        assert_eq!(run.status, 2, "{args:?}: {}", run.stdout);
        assert_eq!(kind(&run), "person_login", "{args:?}");
        assert!(
            run.json()["error"]["message"]
                .as_str()
                .unwrap()
                .ends_with("To send it anyway, add --person-login."),
            "{args:?}"
        );
    }
    let status = pc.run(&["status", "--check", "--json"], None).await;
    assert_eq!(status.status, 1, "{}", status.stdout);
    let problems = &status.json()["profiles"][0]["problems"];
    assert!(
        problems
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "check_not_run"
                && p["message"]
                    .as_str()
                    .unwrap()
                    .contains("looks like a person's login")),
        "{problems}"
    );
    // Eight paths, and not one request carried the password.
    assert_eq!(pc.sent(demo::SECRET), 0);
    assert_eq!(pc.sent("Next*Secret#2026~xY7$kQ2w"), 0);
    assert!(
        pc.profiles().show("Person2").is_err(),
        "nothing saved either"
    );

    // With the yes, each sends it once (and Autotask refuses a person).
    let run = pc
        .run(
            &[&cli_check[..], &["--person-login"]].concat(),
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert_eq!(run.json()["sign_in"], "refused");
    assert_eq!(pc.sent(demo::SECRET), 1);
}

/// A Connect-style form's API user with a username of its own: one yes,
/// once; after it passes, this computer knows it is an API user and no
/// face asks again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_user_with_its_own_username_is_asked_about_once() {
    if reran_in_secret_service("an_api_user_with_its_own_username_is_asked_about_once") {
        return;
    }
    let pc = Computer::new().await;
    let check = |extra: &'static [&'static str]| {
        let mut args = vec![
            "check",
            "--json",
            "--vendor",
            "connect-ui",
            "--username",
            demo::DESCRIPTIVE,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ];
        args.extend(extra);
        args
    };
    let asked = pc.run(&check(&[]), Some(demo::SECRET)).await;
    assert_eq!(kind(&asked), "person_login");
    let yes = pc
        .run(&check(&["--person-login"]), Some(demo::SECRET))
        .await;
    assert_eq!(yes.status, 0, "{}", yes.stdout);
    assert_eq!(yes.json()["sign_in"], "accepted");
    // From now on, as smooth as any other API user: every path.
    let again = pc.run(&check(&[]), Some(demo::SECRET)).await;
    assert_eq!(again.status, 0, "{}", again.stdout);
    let saved = pc
        .run(
            &[
                "profile",
                "save",
                "Nango",
                "--vendor",
                "connect-ui",
                "--check",
                "--json",
                "--username",
                demo::DESCRIPTIVE,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(saved.status, 0, "{}", saved.stdout);
    let profiles = pc.profiles();
    profiles
        .check(
            &pc.env.transport,
            "Nango",
            vec![],
            Consent::default(),
            &|_| {},
        )
        .await
        .unwrap();
    let status = pc.run(&["status", "--check", "--json"], None).await;
    assert_eq!(status.status, 0, "{}", status.stdout);
    // The window's form too.
    let mut form = Form::new();
    form.set_secret(Secret::new(demo::SECRET.into()));
    let plan = form.plan(&form_fields(demo::DESCRIPTIVE)).unwrap();
    let report = Door::new(&profiles.ledger(), &pc.env.transport)
        .check(&plan, &|_| {})
        .await
        .unwrap();
    assert!(report.passed);
    assert_eq!(pc.sign_ins(demo::SECRET), 6);
}

/// Obvious paste mistakes stop every path before anything is sent; a secret
/// of another length than Autotask's is a question, answered by a passing
/// check once one vouches for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lints_and_the_length_question_come_before_anything_is_sent() {
    if reran_in_secret_service("lints_and_the_length_question_come_before_anything_is_sent") {
        return;
    }
    let pc = Computer::new().await;
    let labelled = "Password (Secret) Demo*Secret#2026~xY7$kQ2w";
    let check = [
        "check",
        "--json",
        "--username",
        demo::USERNAME,
        "--integration-code",
        demo::INTEGRATION_CODE,
    ];
    let run = pc.run(&check, Some(labelled)).await;
    assert_eq!((run.status, kind(&run)), (2, "invalid_input".into()));
    assert_eq!(
        run.json()["error"]["lints"][0]["code"],
        "secret.label_included"
    );
    // Your own integration too, not only vendor-bound users.
    pc.save_untested("Mine", demo::USERNAME, demo::SECRET).await;
    let rotate = pc
        .run(&["profile", "rotate", "Mine", "--json"], Some(labelled))
        .await;
    assert_eq!((rotate.status, kind(&rotate)), (2, "invalid_input".into()));
    let mut form = Form::new();
    form.set_secret(Secret::new(labelled.into()));
    let e = form.plan(&form_fields(demo::USERNAME)).unwrap_err();
    assert_eq!(e.lints()[0].code, "secret.label_included");
    assert_eq!(pc.sent(labelled), 0);

    // A tenant whose administrator made secrets 30 characters long.
    let long = "Long*Secret#2026~xY7$kQ2wAbCdE";
    pc.env
        .sim
        .world(|w| w.user_mut(demo::USERNAME).secret = long.into());
    let run = pc.run(&check, Some(long)).await;
    assert_eq!((run.status, kind(&run)), (2, "secret_length".into()));
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("To send it anyway, add --secret-length-ok."),
    );
    assert_eq!(pc.sent(long), 0);
    let save = pc
        .run(
            &[
                "profile",
                "save",
                "Long",
                "--check",
                "--secret-length-ok",
                "--json",
                "--username",
                demo::USERNAME,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(long),
        )
        .await;
    assert_eq!(save.status, 0, "{}", save.stdout);
    // The stored secret passed: its length is a fact now, not a question.
    let check = pc.run(&["profile", "check", "Long", "--json"], None).await;
    assert_eq!(check.status, 0, "{}", check.stdout);
    assert_eq!(pc.sign_ins(long), 2);
}

/// A refusal for a username this computer has never seen pass reads as a
/// new API user first (with the re-test time); "refused" is kept apart
/// from "not sent" in the check, the saved last check and rotate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_waits_and_refused_is_never_not_tested() {
    if reran_in_secret_service("a_new_user_waits_and_refused_is_never_not_tested") {
        return;
    }
    let pc = Computer::new().await;
    let run = pc
        .run(
            &[
                "check",
                "--json",
                "--username",
                demo::NEW_USER,
                "--integration-code",
                demo::INTEGRATION_CODE,
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(run.status, 1, "{}", run.stdout);
    let json = run.json();
    assert_eq!(
        (&json["sign_in"], &json["retest_after_s"]),
        (&Value::from("refused"), &Value::from(300))
    );
    assert_eq!(json["steps"][2]["blame"], "new_user");

    // Rotate: refused by Autotask, and never sent, say different things.
    pc.save_untested("Depot", demo::USERNAME, demo::SECRET)
        .await;
    let refused = pc
        .run(
            &["profile", "rotate", "Depot", "--json"],
            Some("Wrong*Secret#0000~ddddddd"),
        )
        .await;
    assert_eq!(refused.json()["check"]["sign_in"], "refused");
    assert!(
        refused.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Autotask refused the new secret"),
    );
    // Autotask's zone look-up is down: the check stops before the sign-in.
    pc.env.sim.add_fault(
        autotask_simulator::Fault::new(autotask_simulator::Action::Respond {
            status: 503,
            headers: vec![],
            body: String::new(),
        })
        .on_host("webservices.autotask.net"),
    );
    let unsent = pc
        .run(
            &["profile", "rotate", "Depot", "--json"],
            Some("Next*Secret#2026~xY7$kQ2w"),
        )
        .await;
    pc.env.sim.clear_faults();
    let unsent = unsent.json();
    assert_eq!(
        unsent["check"]["sign_in"], "failed_before_sending",
        "{unsent}"
    );
    assert!(
        unsent["message"]
            .as_str()
            .unwrap()
            .starts_with("The new secret was not sent"),
        "{unsent}"
    );
    assert_eq!(pc.sent("Next*Secret#2026~xY7$kQ2w"), 0);
    // The saved last check keeps what happened.
    let profiles = pc.profiles();
    let report = profiles
        .check(
            &pc.env.transport,
            "Depot",
            vec![],
            Consent::default(),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(report.sign_in, SignIn::Accepted);
    let shown = pc.run(&["profile", "show", "Depot", "--json"], None).await;
    assert_eq!(shown.json()["last_check"]["sign_in"], "accepted");
}

/// The ledger lives in a file anyone can edit: a time in the future counts
/// as now (a wait of at most 15 minutes), and a record that cannot be read
/// refuses with a way out, never a crash nor a file set aside.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_edited_ledger_cannot_be_turned_against_its_user() {
    let pc = Computer::new().await;
    let file = pc.config.path().join("profiles.json");
    let key = demo::USERNAME;
    std::fs::write(
        &file,
        format!(
            r#"{{"format": 1, "profiles": {{}}, "logins": {{"{key}": {{"refused": [18446744073709551615, 9999999999]}}}}}}"#
        ),
    )
    .unwrap();
    let check = [
        "check",
        "--json",
        "--username",
        key,
        "--integration-code",
        demo::INTEGRATION_CODE,
    ];
    let run = pc.run(&check, Some(demo::SECRET)).await;
    assert_eq!(kind(&run), "lockout_risk", "{}", run.stdout);
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("for 15 more minutes"),
        "{}",
        run.stdout
    );
    std::fs::write(
        &file,
        format!(r#"{{"format": 1, "profiles": {{}}, "logins": {{"{key}": {{"refused": -1}}}}}}"#),
    )
    .unwrap();
    let run = pc.run(&check, Some(demo::SECRET)).await;
    assert_eq!(
        (run.status, kind(&run)),
        (2, "guard_record_unreadable".into())
    );
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .ends_with("To try anyway, repeat with --force.")
    );
    assert_eq!(pc.sent(demo::SECRET), 0);
    let forced = pc
        .run(&[&check[..], &["--force"]].concat(), Some(demo::SECRET))
        .await;
    assert_eq!(forced.status, 0, "{}", forced.stdout);
    let after: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(after["logins"][key]["passed"].is_u64(), "{after}");
    let aside = std::fs::read_dir(pc.config.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("unreadable")
        })
        .count();
    assert_eq!(aside, 0);
}

/// Redaction hides what leaves and never alters what is parsed: a secret
/// that begins like Autotask's own answer (`{"item`) used to blank part of
/// company 0's JSON before it was read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_contains_the_secrets_start_is_read_unchanged() {
    let env = env().await;
    let secret = r#"{"item*Secret#2026~xY7$kQ"#;
    env.sim
        .world(|w| w.user_mut(demo::USERNAME).secret = secret.into());
    let (report, _) = run_check(&env.transport, Ask::demo(demo::USERNAME).secret(secret)).await;
    assert!(report.passed, "{report:#?}");
    assert_eq!(
        report.tenant.unwrap().company_name.as_deref(),
        Some("Demo MSP (simulated)")
    );
    // And the vendor-bound door lets nothing through the ledger at all.
    let plan = Request::parse(vendors::find("proxuma").unwrap(), "", demo::USERNAME, "")
        .unwrap()
        .plan(
            Arc::new(Secret::new(secret.into())),
            Entity::list(&[]).unwrap(),
        )
        .unwrap();
    let ledger = Ledger::in_memory();
    let report = Door::new(&ledger, &env.transport)
        .check(&plan, &|_| {})
        .await
        .unwrap();
    assert_eq!(report.sign_in, SignIn::NotSent);
    assert_eq!(report.steps[2].blame, None::<Blame>);
}

/// The webhook doctor is the door's second entry: the same questions, the
/// same lockout guard, a saved profile's stored secret (no check recorded),
/// and nothing at all sent for a vendor-bound profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_doctor_goes_through_the_door() {
    if reran_in_secret_service("the_webhook_doctor_goes_through_the_door") {
        return;
    }
    let pc = Computer::new().await;
    let doctor = async |username: &str, secret: &str, extra: &[&str]| {
        let mut args = vec![
            "webhooks",
            "--json",
            "--username",
            username,
            "--integration-code",
            demo::INTEGRATION_CODE,
        ];
        args.extend(extra);
        pc.run(&args, Some(secret)).await
    };
    // A person's login: asked about, nothing sent; yes sends it.
    let run = doctor(demo::DESCRIPTIVE, demo::SECRET, &[]).await;
    assert_eq!((run.status, kind(&run)), (2, "person_login".into()));
    assert_eq!(pc.sent(demo::SECRET), 0);
    let run = doctor(demo::DESCRIPTIVE, demo::SECRET, &["--person-login"]).await;
    assert_eq!(run.status, 1, "the demo's webhooks have problems");
    assert_eq!(run.json()["sign_in"], "accepted");
    // A secret of another length: asked about.
    let short = "Short*Secret#2026";
    let run = doctor(demo::USERNAME, short, &[]).await;
    assert_eq!((run.status, kind(&run)), (2, "secret_length".into()));
    assert_eq!(pc.sent(short), 0);
    // Two refused sign-ins, then the lockout guard: the third is not sent.
    let wrong = "Wrong*Secret#0000~aaaaaaa";
    for _ in 0..2 {
        let run = doctor(demo::USERNAME, wrong, &[]).await;
        assert_eq!(run.status, 1, "{}", run.stdout);
        assert_eq!(run.json()["sign_in"], "refused");
    }
    let run = doctor(demo::USERNAME, wrong, &[]).await;
    assert_eq!((run.status, kind(&run)), (2, "lockout_risk".into()));
    assert_eq!(pc.sent(wrong), 2, "the third was not sent");

    // A saved profile: its stored secret; a webhook read is not a check.
    pc.save_untested("Demo", demo::USERNAME, demo::SECRET).await;
    let before = pc.sent(demo::SECRET);
    let run = pc
        .run(&["webhooks", "Demo", "--json", "--force"], None)
        .await;
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json()["sign_in"], "accepted");
    assert!(pc.sent(demo::SECRET) > before);
    let shown = pc.run(&["profile", "show", "Demo", "--json"], None).await;
    assert_eq!(shown.json()["last_check"], Value::Null);

    // A vendor-bound profile: refused before anything is sent.
    let saved = pc
        .run(
            &[
                "profile",
                "save",
                "Depot",
                "--vendor",
                "cloud-depot",
                "--username",
                demo::USERNAME,
                "--json",
            ],
            Some(demo::SECRET),
        )
        .await;
    assert_eq!(saved.status, 0, "{}{}", saved.stdout, saved.stderr);
    let requests = pc.env.sim.requests().len();
    let run = pc.run(&["webhooks", "Depot", "--json"], None).await;
    assert_eq!((run.status, kind(&run)), (2, "vendor_keeps_code".into()));
    assert_eq!(pc.env.sim.requests().len(), requests, "nothing was sent");
}
