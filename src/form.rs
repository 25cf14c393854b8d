//! The setup form as the desktop app keeps it between actions.
//!
//! The secret crosses from the page once per value: typed (on change) or
//! found in a pasted block. It stays here, and the check, Save and Rotate
//! use it from here; nothing ever sends it back. Save stores exactly what
//! the last check tested: the same fields and the same secret, and only if
//! that check passed — unless the technician explicitly saves untested.

use std::sync::Arc;

use serde::Deserialize;

use crate::check::{Entity, InputError, Plan, Report, Request, Tenant};
use crate::credentials::PERSONS_LOGIN;
use crate::credentials::{Field, IntegrationCode, Lint, Secret, Username};
use crate::error::Error;
use crate::handoff::{self, Handoff};
use crate::lockout::{self, Ledger};
use crate::paste;
use crate::profile::{ProfileName, VendorProfile};
use crate::vendors::{self, Vendor};
use crate::zone;

/// The form's visible fields (everything but the secret), as the page sends
/// them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Fields {
    pub zone: String,
    pub username: String,
    pub integration_code: String,
    /// Who will use the API user: a preset id; empty means `custom`.
    #[serde(default)]
    pub vendor: String,
    /// What the integration needs (`Tickets`, `Tickets:write`); empty: the
    /// default entities, read only. Part of what a check vouches for.
    #[serde(default)]
    pub entities: Vec<String>,
}

impl Fields {
    /// The chosen preset.
    pub fn vendor(&self) -> Result<&'static Vendor, InputError> {
        match self.vendor.trim() {
            "" => Ok(vendors::custom()),
            id => Ok(vendors::find(id)?),
        }
    }

    /// The check these fields ask for, before the secret.
    fn request(&self) -> Result<Request, InputError> {
        Request::parse(
            self.vendor()?,
            &self.zone,
            &self.username,
            &self.integration_code,
        )
    }
}

/// The zone a passing check found the tenant in.
pub(crate) fn tenant_zone(tenant: &Tenant) -> Option<zone::Zone> {
    match zone::parse(&tenant.api_url) {
        Ok(zone::ZoneInput::Zone(z)) => Some(z),
        _ => None,
    }
}

/// What the page may know about the held secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretState {
    pub present: bool,
    pub length: usize,
    pub lints: Vec<Lint>,
}

/// What a paste filled: values for the visible fields, and only the
/// state of the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pasted {
    pub zone: Option<String>,
    pub username: Option<String>,
    pub integration_code: Option<String>,
    pub secret: Option<SecretState>,
    pub fields: Vec<Field>,
    pub is_block: bool,
}

struct Tested {
    fields: Fields,
    generation: SecretGeneration,
    report: Report,
}

/// Which secret a check was given: read when the check starts, so that a
/// secret typed while it runs is not vouched for by its report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SecretGeneration(u64);

#[derive(Default)]
pub struct Form {
    secret: Option<Arc<Secret>>,
    /// Changes whenever the secret does, so a check of an older secret
    /// cannot vouch for a newer one.
    generation: SecretGeneration,
    tested: Option<Tested>,
}

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    /// Takes the secret from the page. An empty value clears it.
    pub fn set_secret(&mut self, secret: Secret) -> SecretState {
        self.generation.0 += 1;
        self.secret = (!secret.is_empty()).then(|| Arc::new(secret));
        self.secret_state()
    }

    pub fn clear_secret(&mut self) {
        self.generation.0 += 1;
        self.secret = None;
    }

    pub(crate) fn secret_state(&self) -> SecretState {
        match &self.secret {
            None => SecretState {
                present: false,
                length: 0,
                lints: vec![],
            },
            Some(s) => {
                let mut lints = Vec::new();
                s.lint(&mut lints);
                SecretState {
                    present: true,
                    length: s.expose().chars().count(),
                    lints,
                }
            }
        }
    }

    /// Lints of the visible fields that have something in them (an empty
    /// field the technician has not reached yet is not an error yet).
    pub fn lint(fields: &Fields) -> Vec<Lint> {
        let mut lints = Vec::new();
        if !fields.username.is_empty() {
            Username::parse(&fields.username, &mut lints);
        }
        let bound = fields.vendor().is_ok_and(|v| v.bound);
        if !fields.integration_code.is_empty() && !bound {
            IntegrationCode::parse(&fields.integration_code, &mut lints);
        }
        lints
    }

    /// [`Form::lint`], less the guess a fact has settled: a username the
    /// ledger has seen pass is an API user, whatever it looks like. Blocking
    /// (reads the ledger).
    pub fn lint_knowing(fields: &Fields, ledger: &Ledger) -> Vec<Lint> {
        let mut lints = Form::lint(fields);
        let known = || lockout::history(ledger, fields.username.trim()).is_ok_and(|h| h.passed);
        if lints.iter().any(|l| l.code == PERSONS_LOGIN) && known() {
            lints.retain(|l| l.code != PERSONS_LOGIN);
        }
        lints
    }

    /// The secret held now; take it with [`Form::plan`], before the
    /// check runs, and hand it back to [`Form::record`].
    pub fn secret_generation(&self) -> SecretGeneration {
        self.generation
    }

    /// The check for the chosen vendor, from the fields and the held secret.
    pub fn plan(&self, fields: &Fields) -> Result<Plan, Error> {
        let secret = self
            .secret
            .clone()
            .unwrap_or_else(|| Arc::new(Secret::new(String::new())));
        let request = fields.request()?;
        let entities = Entity::for_vendor(fields.vendor()?, &fields.entities)?;
        Ok(request.plan(secret, entities)?)
    }

    /// The last check, if it passed and tested exactly these fields (the
    /// same choice of vendor included) and the held secret.
    fn passed_check_of(&self, fields: &Fields) -> Result<&Tested, Error> {
        self.tested
            .as_ref()
            .filter(|t| t.generation == self.generation && t.fields == *fields && t.report.passed)
            .ok_or(Error::HandoffNeedsCheck)
    }

    /// The values to enter in the chosen vendor's form, from the last
    /// passing check of exactly these fields. The secret's value is `None`.
    pub fn handoff(&self, fields: &Fields) -> Result<Handoff, Error> {
        let tested = self.passed_check_of(fields)?;
        let vendor = fields.vendor()?;
        let zone = tested
            .report
            .tenant
            .as_ref()
            .and_then(tenant_zone)
            .ok_or(Error::HandoffNeedsCheck)?;
        let code = fields.integration_code.trim();
        Ok(handoff::build(
            vendor,
            &handoff::Source {
                zone,
                username: fields.username.trim(),
                integration_code: (!vendor.bound && !code.is_empty()).then_some(code),
            },
        ))
    }

    /// The held secret, for the hand-off's Copy button: only after a
    /// passing check of exactly these fields and this secret.
    pub fn secret_for_handoff(&self, fields: &Fields) -> Result<Arc<Secret>, Error> {
        self.passed_check_of(fields)?;
        self.secret.clone().ok_or(Error::HandoffNeedsCheck)
    }

    /// Remembers what a check of `fields` and the secret of `generation`
    /// found.
    pub fn record(&mut self, fields: Fields, generation: SecretGeneration, report: Report) {
        self.tested = Some(Tested {
            fields,
            generation,
            report,
        });
    }

    /// The held secret, for rotating a saved profile to it.
    pub fn secret(&self) -> Result<Arc<Secret>, Error> {
        let secret = self
            .secret
            .clone()
            .unwrap_or_else(|| Arc::new(Secret::new(String::new())));
        let mut lints = Vec::new();
        if !secret.lint(&mut lints) {
            return Err(InputError::Lints(lints).into());
        }
        Ok(secret)
    }

    /// What Save stores. Without `untested`, only what the last check
    /// tested and passed: the same fields and the same secret.
    pub fn new_profile(
        &self,
        name: &str,
        fields: &Fields,
        untested: bool,
    ) -> Result<(VendorProfile, Option<Report>), Error> {
        let name = ProfileName::parse(name)?;
        let plan = self.plan(fields)?;
        let report = if untested {
            None
        } else {
            let tested = self
                .tested
                .as_ref()
                .filter(|t| t.generation == self.generation && t.fields == *fields)
                .ok_or(Error::CheckRequired { failed: false })?;
            if !tested.report.passed {
                return Err(Error::CheckRequired { failed: true });
            }
            Some(tested.report.clone())
        };
        // Save what was used: a check that found the tenant in another zone
        // than the one entered vouches for that zone, not the stale one.
        let zone_used = report
            .as_ref()
            .and_then(|r| r.tenant.as_ref())
            .and_then(tenant_zone)
            .map(|z| z.web_url());
        let entities = Entity::for_vendor(fields.vendor()?, &fields.entities)?;
        Ok((
            VendorProfile::from_plan(name, &plan)
                .zone_used(zone_used)
                .needing(&entities),
            report,
        ))
    }

    /// "Use zone N": the fields with the zone the last passing check of
    /// them found, and that check kept as a check of the new fields (the
    /// zone it reached is the one it tested). `None` when there is no such
    /// check or the zone did not move.
    pub fn adopt_found_zone(&mut self, fields: &Fields) -> Option<Fields> {
        let tested = self.passed_check_of(fields).ok()?;
        let found = tested
            .report
            .tenant
            .as_ref()
            .and_then(tenant_zone)?
            .web_url();
        if zone::canonical(&fields.zone).as_ref() == Some(&found) {
            return None;
        }
        let moved = Fields {
            zone: found,
            ..fields.clone()
        };
        if let Some(t) = self.tested.as_mut() {
            t.fields = moved.clone();
        }
        Some(moved)
    }

    /// Clear form: no secret, and no check vouches for anything.
    pub fn clear(&mut self) {
        self.clear_secret();
        self.tested = None;
    }

    /// After a save the page forgets the secret; so does the form.
    pub fn after_save(&mut self) {
        self.clear_secret();
        self.tested = None;
    }

    /// Spreads a pasted block over the form; a secret found in it stays here.
    pub fn paste(&mut self, text: &str) -> Pasted {
        let found = paste::recognize(text);
        let fields = found.fields();
        let is_block = found.is_block();
        let secret = match found.secret {
            Some(s) if is_block => Some(self.set_secret(s)),
            _ => None,
        };
        Pasted {
            zone: found.zone.filter(|_| is_block),
            username: found.username.filter(|_| is_block),
            integration_code: found.integration_code.filter(|_| is_block),
            secret,
            fields: if is_block { fields } else { vec![] },
            is_block,
        }
    }
}

#[cfg(test)]
mod tests {
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
                "Test the connection first: the values to copy come from the last check of \
                 exactly these fields and this choice of who uses the API user."
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
        f.after_save();
        assert!(!f.secret_state().present);
        assert_eq!(f.plan(&fields()).unwrap_err().field(), Some(Field::Secret));
    }

    #[test]
    fn a_pasted_block_fills_fields_and_keeps_the_secret() {
        let mut f = Form::new();
        let p = f.paste("Zone: webservices5\nUsername: k3jd8f0aq2mz7xw@contoso.com\nSecret: Zq9-unique-secret-value-25\nIntegration code: ABCDEFGHIJKLMNOPQRSTUVWXYZ1");
        assert!(p.is_block);
        assert_eq!(p.username.as_deref(), Some("k3jd8f0aq2mz7xw@contoso.com"));
        assert_eq!(p.secret.as_ref().unwrap().length, 26);
        let shown = format!("{p:?}");
        assert!(!shown.contains("Zq9"), "{shown}");
        let plan = f.plan(&fields()).unwrap();
        assert_eq!(plan.secret().expose(), "Zq9-unique-secret-value-25");
        // A single value is an ordinary paste into one field.
        let single = f.paste("k3jd8f0aq2mz7xw@contoso.com");
        assert!(!single.is_block && single.username.is_none());
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
}
