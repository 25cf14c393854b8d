use super::*;
use crate::check::Report;

fn fields() -> Fields {
    Fields {
        zone: "ww5.autotask.net".into(),
        username: "k3jd8f0aq2mz7xw@contoso.com".into(),
        integration_code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ1".into(),
        vendor: String::new(),
        entities: vec![],
    }
}

fn report(passed: bool) -> Report {
    Report {
        passed,
        tenant: None,
        steps: vec![],
        usage: None,
        entities: vec![],
        lints: vec![],
        sign_in: if passed {
            crate::check::SignIn::Accepted
        } else {
            crate::check::SignIn::Refused
        },
        retest_after_s: None,
        api_user: None,
    }
}

#[test]
fn save_needs_a_passing_check_of_the_same_fields_and_secret() {
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    let e = f.new_profile("A", &fields(), false).unwrap_err();
    assert_eq!(e.kind(), "check_required");
    f.record(fields(), f.secret_generation(), report(false));
    assert!(matches!(
        f.new_profile("A", &fields(), false),
        Err(Error::CheckRequired { failed: true })
    ));
    f.record(fields(), f.secret_generation(), report(true));
    let (p, r) = f.new_profile("A", &fields(), false).unwrap();
    assert_eq!(p.secret.expose(), "Zq9-unique-secret-value-25");
    assert!(r.unwrap().passed);
    // Another field or another secret: the check no longer vouches.
    let mut other = fields();
    other.integration_code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ2".into();
    assert!(f.new_profile("A", &other, false).is_err());
    f.set_secret(Secret::new("another-secret-value-xx".into()));
    assert!(f.new_profile("A", &fields(), false).is_err());
    assert!(matches!(
        f.secret_for_handoff(&fields()),
        Err(Error::HandoffNeedsCheck)
    ));
    // Untested is an explicit choice.
    let (p, r) = f.new_profile("A", &fields(), true).unwrap();
    assert!(r.is_none());
    assert_eq!(p.zone_input.as_deref(), Some("https://ww5.autotask.net/"));
}

fn moved_report() -> Report {
    use crate::check::Tenant;
    Report {
        tenant: Some(Tenant {
            zone_name: Some("Australia 2".into()),
            api_url: "https://webservices29.autotask.net/ATServicesRest/V1.0/".into(),
            web_url: "https://ww29.autotask.net/".into(),
            ci: Some(41002),
            company_name: None,
        }),
        ..report(true)
    }
}

#[test]
fn save_stores_the_zone_the_check_used_and_the_needs() {
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    let fields = Fields {
        entities: vec!["Tickets:write".into(), "Companies".into()],
        ..fields()
    };
    f.record(fields.clone(), f.secret_generation(), moved_report());
    let (p, _) = f.new_profile("A", &fields, false).unwrap();
    // Entered ww5; the check reached zone 29: that is what works.
    assert_eq!(p.zone_input.as_deref(), Some("https://ww29.autotask.net/"));
    assert_eq!(p.entities, ["Tickets:write", "Companies"]);
    // The default needs are not written out.
    let defaults = fields_with_defaults(&mut f);
    let (p, _) = f.new_profile("A", &defaults, false).unwrap();
    assert!(p.entities.is_empty());
}

fn fields_with_defaults(f: &mut Form) -> Fields {
    let fields = Fields {
        entities: crate::check::DEFAULT_ENTITIES
            .iter()
            .map(|e| e.to_string())
            .collect(),
        ..fields()
    };
    f.record(fields.clone(), f.secret_generation(), report(true));
    fields
}

#[test]
fn use_zone_n_moves_the_field_and_keeps_the_check() {
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    assert_eq!(f.adopt_found_zone(&fields()), None, "no check yet");
    f.record(fields(), f.secret_generation(), moved_report());
    let moved = f.adopt_found_zone(&fields()).unwrap();
    assert_eq!(moved.zone, "https://ww29.autotask.net/");
    // The check vouches for the moved fields: Save and the hand-off work.
    assert!(f.new_profile("A", &moved, false).is_ok());
    assert!(f.handoff(&moved).is_ok());
    assert!(f.handoff(&fields()).is_err());
    // Already there: nothing to move.
    assert_eq!(f.adopt_found_zone(&moved), None);
}

#[test]
fn a_persons_login_is_not_sent_without_a_yes_unless_it_has_passed_here() {
    use crate::check::{Consent, Door, Question};
    use crate::lockout::{History, Ledger};
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-2".into()));
    let person = Fields {
        username: "jane.doe@contoso.com".into(),
        ..fields()
    };
    let (ledger, transport) = (
        Ledger::in_memory(),
        crate::transport::Transport::new(Default::default()).unwrap(),
    );
    let door = Door::new(&ledger, &transport);
    let never = History::default();
    let q = door.question(&f.plan(&person).unwrap(), &never).unwrap();
    assert_eq!(q.kind(), "person_login");
    assert_eq!(
        q.to_string(),
        "\"jane.doe@contoso.com\" looks like a person's login, not an API user. Testing sends \
         its password to Autotask, and a wrong one counts towards locking that person out."
    );
    assert!(matches!(q, Question::PersonLogin { .. }));
    let yes = Door::new(&ledger, &transport).consent(Consent {
        person_login: true,
        ..Consent::default()
    });
    assert_eq!(yes.question(&f.plan(&person).unwrap(), &never), None);
    assert_eq!(door.question(&f.plan(&fields()).unwrap(), &never), None);
    // A fact answers it: the username passed here, so it is an API user.
    let passed = History {
        passed: true,
        ..History::default()
    };
    assert_eq!(door.question(&f.plan(&person).unwrap(), &passed), None);
    // A vendor-bound check sends no password: nothing to ask.
    let bound = Fields {
        vendor: "proxuma".into(),
        integration_code: String::new(),
        ..person
    };
    assert_eq!(door.question(&f.plan(&bound).unwrap(), &never), None);
}

#[test]
fn a_username_that_passed_here_is_not_called_a_persons_login() {
    use crate::store::config::{ConfigFile, LoginEntry, LoginRecord};
    let person = Fields {
        username: "Nango-Sync@contoso.com".into(),
        ..fields()
    };
    let codes = |lints: Vec<Lint>| lints.iter().map(|l| l.code).collect::<Vec<_>>();
    let unknown = Ledger::in_memory();
    assert_eq!(
        codes(Form::lint_knowing(&person, &unknown)),
        ["username.not_generated_key"]
    );
    let mut file = ConfigFile::empty();
    file.logins.insert(
        "nango-sync@contoso.com".into(),
        LoginEntry::Record(LoginRecord {
            passed: Some(1),
            ..LoginRecord::default()
        }),
    );
    let known = Ledger::Memory(std::sync::Arc::new(std::sync::Mutex::new(file)));
    assert!(Form::lint_knowing(&person, &known).is_empty());
}

#[test]
fn clear_drops_the_secret_and_the_check() {
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    f.record(fields(), f.secret_generation(), report(true));
    f.clear();
    assert!(!f.secret_state().present);
    assert!(f.handoff(&fields()).is_err());
    assert!(f.new_profile("A", &fields(), false).is_err());
}

#[test]
fn a_secret_typed_during_a_check_is_not_saved_with_its_report() {
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    let tested = f.secret_generation();
    // The check runs; meanwhile the technician types another secret.
    f.set_secret(Secret::new("typed-while-it-ran-value".into()));
    f.record(fields(), tested, report(true));
    assert!(matches!(
        f.new_profile("A", &fields(), false),
        Err(Error::CheckRequired { failed: false })
    ));
    assert!(matches!(
        f.secret_for_handoff(&fields()),
        Err(Error::HandoffNeedsCheck)
    ));
}

#[test]
fn the_handoff_follows_the_last_passing_check_and_the_choice() {
    use crate::check::Tenant;
    let passed = Report {
        tenant: Some(Tenant {
            zone_name: Some("Demo".into()),
            api_url: "https://webservices5.autotask.net/ATServicesRest/V1.0/".into(),
            web_url: "https://ww5.autotask.net/".into(),
            ci: Some(30595),
            company_name: None,
        }),
        ..report(true)
    };
    let cyrisma = Fields {
        vendor: "cyrisma".into(),
        ..fields()
    };
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    let e = f.handoff(&cyrisma).unwrap_err();
    assert_eq!(
        (e.kind(), e.to_string().as_str()),
        (
            "handoff_needs_check",
            "There are no values to hand off yet: they come from the last check of exactly \
             these fields and this choice of who uses the API user."
        )
    );
    f.record(cyrisma.clone(), f.secret_generation(), passed.clone());
    let h = f.handoff(&cyrisma).unwrap();
    assert_eq!(h.vendor, "cyrisma");
    let values: Vec<Option<&str>> = h.fields.iter().map(|x| x.value.as_deref()).collect();
    assert_eq!(
        values,
        [
            Some("https://webservices5.autotask.net"),
            Some("k3jd8f0aq2mz7xw@contoso.com"),
            None,
            Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")
        ]
    );
    assert_eq!(
        f.secret_for_handoff(&cyrisma).unwrap().expose(),
        "Zq9-unique-secret-value-25"
    );
    // Another choice after the check: no hand-off until the next check.
    let depot = Fields {
        vendor: "cloud-depot".into(),
        ..cyrisma.clone()
    };
    assert!(matches!(f.handoff(&depot), Err(Error::HandoffNeedsCheck)));
    assert!(matches!(
        f.secret_for_handoff(&depot),
        Err(Error::HandoffNeedsCheck)
    ));
    // A new secret, or a failed check: none either.
    f.record(cyrisma.clone(), f.secret_generation(), report(false));
    assert!(f.handoff(&cyrisma).is_err());
    f.record(cyrisma.clone(), f.secret_generation(), passed);
    f.set_secret(Secret::new("another-secret-value-xx".into()));
    assert!(f.secret_for_handoff(&cyrisma).is_err());
    // A vendor-bound choice never lints the (hidden) code; an unknown one is refused.
    let lints = Form::lint(&Fields {
        integration_code: "not a code".into(),
        ..depot
    });
    assert!(lints.is_empty(), "{lints:?}");
    let unknown = Fields {
        vendor: "acme".into(),
        ..fields()
    };
    assert_eq!(f.plan(&unknown).unwrap_err().kind(), "unknown_vendor");
}

#[test]
fn after_save_the_secret_is_gone() {
    let mut f = Form::new();
    f.set_secret(Secret::new("Zq9-unique-secret-value-25".into()));
    f.after_save("A", fields());
    assert!(!f.secret_state().present);
    assert_eq!(f.plan(&fields()).unwrap_err().field(), Some(Field::Secret));
}

#[test]
fn a_pasted_block_fills_fields_and_keeps_the_secret() {
    let mut f = Form::new();
    let p = f.paste("Zone: webservices5\nUsername: k3jd8f0aq2mz7xw@contoso.com\nSecret: Zq9-unique-secret-value-25\nIntegration code: ABCDEFGHIJKLMNOPQRSTUVWXYZ1", Field::Username);
    assert!(p.is_block);
    assert_eq!(p.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
    assert_eq!(p.secret.as_ref().unwrap().length, 26);
    let shown = format!("{p:?}");
    assert!(!shown.contains("Zq9"), "{shown}");
    let plan = f.plan(&fields()).unwrap();
    assert_eq!(plan.secret().expose(), "Zq9-unique-secret-value-25");
    assert_eq!(
        p.account,
        "Filled from the pasted text: Autotask URL from line 1 (“Zone”); API username (key) from \
         line 2 (“Username”); API secret from line 3 (“Secret”), held by the app and not shown; \
         API integration code (tracking identifier) from line 4 (“Integration code”)."
    );
    // A single value goes where its shape belongs.
    let single = f.paste("k3jd8f0aq2mz7xw@contoso.com", Field::Secret);
    assert!(!single.is_block);
    assert_eq!(
        single.username.as_deref(),
        Some("k3jd8f0aq2mz7xw@contoso.com")
    );
}

/// A single value goes to the field its shape belongs to: a secret never
/// into another field, a label never into any, and what fits nowhere is
/// said so.
#[test]
fn a_single_value_goes_where_its_shape_belongs() {
    let mut f = Form::new();
    // A secret pasted into the username field: held, never shown there.
    let p = f.paste("Zs4*kQ2w#9xY7$mN3p~aB6cD", Field::Username);
    assert_eq!(
        (p.username.as_deref(), p.fields.as_slice()),
        (None, &[Field::Secret][..])
    );
    assert_eq!(p.secret.as_ref().unwrap().source, SecretSource::Pasted);
    assert_eq!(
        p.account,
        "That looks like a secret, so it went into “API secret”: held by the app and not shown."
    );
    assert_eq!(
        f.plan(&fields()).unwrap().secret().expose(),
        "Zs4*kQ2w#9xY7$mN3p~aB6cD"
    );
    // With its label: the label is not part of it.
    let p = f.paste("Password (Secret) Zs4*kQ2w#9xY7$mN3p~aB6cE", Field::Secret);
    assert!(p.secret.is_some() && !p.type_into_secret);
    assert_eq!(
        f.plan(&fields()).unwrap().secret().expose(),
        "Zs4*kQ2w#9xY7$mN3p~aB6cE"
    );
    assert_eq!(
        p.account,
        "Pasted the value after “Password (Secret)” into “API secret”: held by the app and not shown."
    );
    // Into the secret field as it was: the page types it in itself.
    let p = f.paste("Zs4*kQ2w#9xY7$mN3p~aB6cF", Field::Secret);
    assert!(p.type_into_secret && p.secret.is_none());
    // A code, a zone and a labelled username: each to its own field.
    let p = f.paste("ABCDEFGHIJKLMNOPQRSTUVWXYZ1", Field::Username);
    assert_eq!(
        p.integration_code.as_deref(),
        Some("ABCDEFGHIJKLMNOPQRSTUVWXYZ1")
    );
    let p = f.paste("https://ww14.autotask.net/Mvc/Home", Field::Username);
    assert_eq!(
        p.zone.as_deref(),
        Some("https://ww14.autotask.net/Mvc/Home")
    );
    let p = f.paste("Username (Key): k3jd8f0aq2mz7xw@contoso.com", Field::Zone);
    assert_eq!(p.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
    // Words with spaces fit no field that never has spaces.
    let p = f.paste("see the e-mail below", Field::Username);
    assert!(p.fields.is_empty());
    assert!(p.account.starts_with("Nothing was filled"), "{}", p.account);
}

#[test]
fn secret_state_lints_without_revealing() {
    let mut f = Form::new();
    let s = f.set_secret(Secret::new(" padded-secret-value-01234 ".into()));
    assert!(s.present);
    assert_eq!(s.lints[0].code, "secret.surrounding_whitespace");
    assert!(!format!("{s:?}").contains("padded"));
    assert!(!f.set_secret(Secret::new(String::new())).present);
}

// ------------------------------------------------ the save rules, once

const AROUND: Surroundings<'static> = Surroundings {
    store_ok: true,
    store_backend: "Secret Service",
    demo: false,
};

fn passed_with_tenant(zone: &str, moved: bool) -> Report {
    use crate::check::{Blame, Status, Step, StepId, Tenant};
    let mut zone_step = Step {
        id: StepId::Zone,
        status: Status::Passed,
        message: String::new(),
        blame: None,
        fix: None,
        details: None,
        link: None,
        http: vec![],
    };
    if moved {
        zone_step.status = Status::Warning;
        zone_step.blame = Some(Blame::Zone);
    }
    Report {
        tenant: Some(Tenant {
            zone_name: None,
            api_url: format!("https://webservices{zone}.autotask.net/ATServicesRest/V1.0/"),
            web_url: format!("https://ww{zone}.autotask.net/"),
            ci: None,
            company_name: None,
        }),
        steps: vec![zone_step],
        ..report(true)
    }
}

/// A form with these fields shown and a secret typed.
fn typed() -> Form {
    let mut f = Form::new();
    f.edited(fields(), false);
    f.set_secret(Secret::new("Zq9-unique-secret-value-2".into()));
    f
}

#[test]
fn save_rule_a_fresh_form_cannot_save_and_says_why() {
    let s = typed().state(AROUND);
    assert!(!s.save.enabled);
    assert_eq!(
        s.save.reason.as_deref(),
        Some("Test the connection first, or tick “Save without a passing test”.")
    );
    assert!(s.save.offer_untested);
    assert_eq!(
        s.save.status,
        "Save is available once the connection test passes."
    );
    assert_eq!((s.last, s.handoff, s.moved_zone), (None, false, None));
}

#[test]
fn save_rule_a_passing_check_of_exactly_these_values_can_be_saved() {
    let mut f = typed();
    f.record(
        fields(),
        f.secret_generation(),
        passed_with_tenant("5", false),
    );
    let s = f.state(AROUND);
    assert!(s.save.enabled && s.save.reason.is_none() && !s.save.offer_untested);
    assert_eq!(
        (s.save.status.as_str(), s.save.tone),
        ("The test passed: these credentials can be saved.", "ok")
    );
    assert!(s.handoff);
    let last = s.last.unwrap();
    assert_eq!(
        (last.subject, last.passed, last.stale),
        (Subject::Form, true, false)
    );
    // A vendor-bound choice: saved for that vendor, the secret untested.
    let depot = Fields {
        vendor: "cloud-depot".into(),
        integration_code: String::new(),
        ..fields()
    };
    f.edited(depot.clone(), false);
    f.record(depot, f.secret_generation(), passed_with_tenant("5", false));
    assert_eq!(
        f.state(AROUND).save.status,
        "Username and zone confirmed: these can be saved for Cloud Depot (the secret is not \
         tested here)."
    );
}

#[test]
fn save_rule_a_failed_check_cannot_save_but_offers_the_untested_choice() {
    let mut f = typed();
    f.record(fields(), f.secret_generation(), report(false));
    let s = f.state(AROUND);
    assert!(!s.save.enabled && s.save.offer_untested && !s.handoff);
    assert_eq!(
        s.save.status,
        "Save is available once the connection test passes (or tick “Save without a passing \
         test”)."
    );
    // Ticked: an explicit choice, and Save works.
    f.edited(fields(), true);
    assert!(f.state(AROUND).save.enabled);
}

#[test]
fn save_rule_a_change_after_a_pass_makes_the_result_stale() {
    let mut f = typed();
    f.record(
        fields(),
        f.secret_generation(),
        passed_with_tenant("5", false),
    );
    let mut other = fields();
    other.integration_code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ2".into();
    f.edited(other, false);
    let s = f.state(AROUND);
    assert!(!s.save.enabled && !s.handoff);
    assert!(s.last.unwrap().stale);
    assert_eq!(
        s.save.status,
        "The form changed since the last test: test again before saving."
    );
    // Back to what was tested: it vouches again. Another secret does not.
    f.edited(fields(), false);
    assert!(f.state(AROUND).save.enabled);
    f.set_secret(Secret::new("Other-unique-secret-value".into()));
    assert!(!f.state(AROUND).save.enabled);
}

#[test]
fn save_rule_no_credential_store_means_no_save_whatever_passed() {
    let mut f = typed();
    f.record(
        fields(),
        f.secret_generation(),
        passed_with_tenant("5", false),
    );
    let s = f.state(Surroundings {
        store_ok: false,
        ..AROUND
    });
    assert!(!s.save.enabled);
    assert_eq!(
        s.save.reason.as_deref(),
        Some("The credential store is not available: see the banner above.")
    );
}

#[test]
fn save_rule_after_saving_the_form_shows_the_profile_until_it_changes() {
    let mut f = typed();
    f.record(
        fields(),
        f.secret_generation(),
        passed_with_tenant("5", false),
    );
    f.after_save("Contoso", fields());
    let s = f.state(AROUND);
    assert_eq!(s.saved_profile.as_deref(), Some("Contoso"));
    // The passing check on screen still describes what the form shows.
    assert_eq!(
        s.last.as_ref().map(|l| (l.passed, l.stale)),
        Some((true, false)),
        "a save made the check on screen stale"
    );
    assert_eq!(
        (s.save.status.as_str(), s.save.tone),
        (
            "Saved “Contoso”. Its secret is in the Secret Service.",
            "ok"
        )
    );
    assert!(!s.secret.present);
    // Renamed and deleted in the list: the form follows.
    f.profile_renamed("Contoso", "Contoso EU");
    assert_eq!(f.state(AROUND).saved_profile.as_deref(), Some("Contoso EU"));
    assert_eq!(f.state(AROUND).save.status, "Renamed to “Contoso EU”.");
    // A change of a field: no longer the saved profile.
    let mut other = fields();
    other.username = "abcdefghijklmno@contoso.com".into();
    f.edited(other, false);
    let s = f.state(AROUND);
    assert_eq!(s.saved_profile, None);
    assert_eq!(
        s.save.status,
        "The form changed: test it to save these values."
    );
    assert_eq!(
        s.last.map(|l| l.stale),
        Some(true),
        "the change went unsaid"
    );
}

#[test]
fn save_rule_a_loaded_profile_is_tested_until_a_secret_is_typed() {
    let mut f = Form::new();
    f.load("Contoso", fields(), true);
    let s = f.state(AROUND);
    assert_eq!(s.saved_profile.as_deref(), Some("Contoso"));
    assert_eq!(s.save.status, "Loaded “Contoso”.");
    f.set_secret(Secret::new("Zq9-unique-secret-value-2".into()));
    assert_eq!(f.state(AROUND).saved_profile, None);
    // Without a secret stored, there is nothing to test it with.
    f.load("Gone", fields(), false);
    assert_eq!(f.state(AROUND).saved_profile, None);
    f.profile_deleted("Gone");
}

#[test]
fn save_rule_a_profiles_result_is_its_own_subject_and_never_stale() {
    let mut f = typed();
    f.record_other(Subject::Profile("Contoso".into()), true);
    f.edited(Fields::default(), false);
    let last = f.state(AROUND).last.unwrap();
    assert_eq!(
        (last.subject, last.passed, last.stale),
        (Subject::Profile("Contoso".into()), true, false)
    );
    f.record_other(Subject::Rotation("Contoso".into()), false);
    assert_eq!(
        f.state(AROUND).last.unwrap().subject,
        Subject::Rotation("Contoso".into())
    );
}

#[test]
fn save_rule_a_moved_zone_is_offered_until_used() {
    let mut f = typed();
    f.record(
        fields(),
        f.secret_generation(),
        passed_with_tenant("29", true),
    );
    assert_eq!(f.state(AROUND).moved_zone, Some(29));
    let moved = f.adopt_found_zone(&fields()).unwrap();
    let s = f.state(AROUND);
    assert_eq!((s.moved_zone, s.save.enabled), (None, true));
    assert_eq!(moved.zone, "https://ww29.autotask.net/");
}

#[test]
fn save_rule_clear_forgets_everything() {
    let mut f = typed();
    f.record(
        fields(),
        f.secret_generation(),
        passed_with_tenant("5", false),
    );
    f.clear();
    assert_eq!(f.state(AROUND), Form::new().state(AROUND));
}
