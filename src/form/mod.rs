//! The setup form as the desktop app keeps it between actions: the one
//! place its state lives. The page sends what was typed and renders the
//! [`FormState`] every form command answers with; it keeps no rules.
//!
//! The secret crosses from the page once per value: typed (on change) or
//! found in a pasted block. It stays here, and the check, Save and Rotate
//! use it from here; nothing ever sends it back. Save stores exactly what
//! the last check tested: the same fields and the same secret, and only if
//! that check passed — unless the technician explicitly saves untested.

mod state;

pub use state::{FormState, LastResult, SaveState, Subject, Surroundings};

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
    /// The fields as the window shows a saved profile after Load: the zone
    /// entered (or the portal its check reached), and the integration's
    /// needs spelled out (the default entities when none were saved), as
    /// the page's own fields will read.
    pub fn shown_for(p: &crate::profile::ProfileView) -> Fields {
        let vendor = vendors::find(&p.vendor).unwrap_or_else(|_| vendors::custom());
        Fields {
            zone: p
                .zone_input
                .clone()
                .or_else(|| p.tenant.as_ref().map(|t| t.web_url.clone()))
                .unwrap_or_default(),
            username: p.username.clone(),
            integration_code: if vendor.bound {
                String::new()
            } else {
                p.integration_code.clone()
            },
            vendor: vendor.id.clone(),
            entities: if p.entities.is_empty() {
                crate::check::DEFAULT_ENTITIES
                    .iter()
                    .map(|e| e.to_string())
                    .collect()
            } else {
                p.entities.clone()
            },
        }
    }

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
    /// Where it came from; a held secret (pasted, the demo's) is not in the
    /// page's field, and Show cannot reveal it.
    pub source: SecretSource,
}

/// Where the held secret came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SecretSource {
    #[default]
    None,
    Typed,
    Pasted,
    Demo,
}

impl SecretSource {
    pub fn code(self) -> &'static str {
        match self {
            SecretSource::None => "none",
            SecretSource::Typed => "typed",
            SecretSource::Pasted => "pasted",
            SecretSource::Demo => "demo",
        }
    }
}

/// What a paste filled: values for the visible fields, and only the
/// state of the secret; the one line that says which line filled what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pasted {
    pub zone: Option<String>,
    pub username: Option<String>,
    pub integration_code: Option<String>,
    /// A pasted secret is held here now (never sent back to the page).
    pub secret: Option<SecretState>,
    /// The secret field takes the pasted text as if typed (the page has it
    /// already; nothing crosses back).
    pub type_into_secret: bool,
    pub fields: Vec<Field>,
    pub is_block: bool,
    pub account: String,
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
    source: SecretSource,
    /// Changes whenever the secret does, so a check of an older secret
    /// cannot vouch for a newer one.
    generation: SecretGeneration,
    tested: Option<Tested>,
    /// The fields as the page last reported them, and its "Save without a
    /// passing test" choice.
    fields: Fields,
    untested: bool,
    /// The saved profile the form shows (just saved or loaded), until a
    /// field or the secret changes: Test connection then tests it.
    shown: Option<Shown>,
    /// Whose was the last result on screen (the form's, or a profile's).
    last: Option<(Subject, bool)>,
    /// What the save line says after the last event.
    note: state::Note,
    /// The check on screen passed for exactly what was then saved: while the
    /// form shows that profile unchanged, the result still describes it.
    saved_as_tested: bool,
}

/// A saved profile shown in the form, and the fields as they were then.
struct Shown {
    name: String,
    fields: Fields,
}

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    /// Takes the secret from the page. An empty value clears it; a new one
    /// means the form no longer shows a saved profile.
    pub fn set_secret(&mut self, secret: Secret) -> SecretState {
        self.hold(secret, SecretSource::Typed)
    }

    /// Holds a secret the page never had (pasted, the demo's).
    pub fn hold(&mut self, secret: Secret, source: SecretSource) -> SecretState {
        self.generation.0 += 1;
        self.secret = (!secret.is_empty()).then(|| Arc::new(secret));
        self.source = if self.secret.is_some() {
            source
        } else {
            SecretSource::None
        };
        if self.secret.is_some() && self.shown.take().is_some() {
            self.note = state::Note::ChangedFromSaved;
        }
        self.secret_state()
    }

    pub fn clear_secret(&mut self) {
        self.generation.0 += 1;
        self.secret = None;
        self.source = SecretSource::None;
    }

    pub(crate) fn secret_state(&self) -> SecretState {
        match &self.secret {
            None => SecretState {
                present: false,
                length: 0,
                lints: vec![],
                source: SecretSource::None,
            },
            Some(s) => {
                let mut lints = Vec::new();
                s.lint(&mut lints);
                SecretState {
                    present: true,
                    length: s.expose().chars().count(),
                    lints,
                    source: self.source,
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
        self.saved_as_tested = false;
        self.last = Some((Subject::Form, report.passed));
        self.note = state::Note::Checked;
        self.tested = Some(Tested {
            fields,
            generation,
            report,
        });
    }

    /// A saved profile's check (or a new secret's for it) is now the
    /// result on screen: the form's own check no longer is.
    pub fn record_other(&mut self, subject: Subject, passed: bool) {
        self.last = Some((subject, passed));
    }

    /// What the page typed: the fields, and "Save without a passing test".
    /// A change of the fields means the form no longer shows a saved profile.
    pub fn edited(&mut self, fields: Fields, untested: bool) {
        if let Some(shown) = &self.shown
            && shown.fields != fields
        {
            self.shown = None;
            self.note = state::Note::ChangedFromSaved;
        }
        self.fields = fields;
        self.untested = untested;
    }

    /// The fields a command was given (a check, Use zone N), keeping the
    /// "Save without a passing test" choice.
    pub fn show_fields(&mut self, fields: Fields) {
        self.edited(fields, self.untested);
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
        self.show_fields(moved.clone());
        Some(moved)
    }

    /// Clear form: no secret, no saved profile shown, and no check vouches
    /// for anything.
    pub fn clear(&mut self) {
        *self = Form::default();
    }

    /// After a save the form shows the saved profile (Test connection tests
    /// it) and forgets the secret; so does the page.
    pub fn after_save(&mut self, name: &str, fields: Fields) {
        self.saved_as_tested =
            self.current() && self.tested.as_ref().is_some_and(|t| t.report.passed);
        self.clear_secret();
        self.tested = None;
        self.untested = false;
        self.shown = Some(Shown {
            name: name.to_string(),
            fields: fields.clone(),
        });
        self.fields = fields;
        self.note = state::Note::Saved(name.to_string());
    }

    /// After a rotation replaced the stored secret, the form forgets the
    /// one it held for it.
    pub fn after_rotation(&mut self) {
        self.clear_secret();
    }

    /// Load: the form shows a saved profile, its secret stays in the store.
    pub fn load(&mut self, name: &str, fields: Fields, has_secret: bool) {
        *self = Form::default();
        self.shown = has_secret.then(|| Shown {
            name: name.to_string(),
            fields: fields.clone(),
        });
        self.fields = fields;
        self.note = state::Note::Loaded(name.to_string());
    }

    /// The demo ended: no check of it vouches for anything, no demo profile
    /// is shown, and the demo's secret goes (one typed meanwhile stays).
    pub fn end_demo(&mut self) {
        self.tested = None;
        self.last = None;
        self.shown = None;
        self.note = state::Note::Fresh;
        if self.source == SecretSource::Demo {
            self.clear_secret();
        }
    }

    /// A saved profile was renamed or deleted in the list.
    pub fn profile_renamed(&mut self, old: &str, new: &str) {
        if let Some(shown) = self.shown.as_mut().filter(|s| s.name == old) {
            shown.name = new.to_string();
            self.note = state::Note::Renamed(new.to_string());
        }
    }

    pub fn profile_deleted(&mut self, name: &str) {
        if self.shown.as_ref().is_some_and(|s| s.name == name) {
            self.shown = None;
            self.note = state::Note::Deleted(name.to_string());
        }
    }

    /// A paste into `focused`: a block spread over the form, one value into
    /// the field its shape belongs to, or nowhere; a secret found stays here.
    pub fn paste(&mut self, text: &str, focused: Field) -> Pasted {
        let placement = paste::place(text, focused);
        let account = placement.account(focused);
        let mut pasted = Pasted {
            zone: None,
            username: None,
            integration_code: None,
            secret: None,
            type_into_secret: false,
            fields: vec![],
            is_block: false,
            account,
        };
        match placement {
            paste::Placement::Block(found) => {
                pasted.fields = found.fields();
                pasted.is_block = true;
                pasted.zone = found.zone;
                pasted.username = found.username;
                pasted.integration_code = found.integration_code;
                pasted.secret = found.secret.map(|s| self.hold(s, SecretSource::Pasted));
            }
            paste::Placement::Single {
                field, value, held, ..
            } => {
                pasted.fields = vec![field];
                match field {
                    Field::Zone => pasted.zone = Some(value),
                    Field::Username => pasted.username = Some(value),
                    Field::IntegrationCode => pasted.integration_code = Some(value),
                    Field::Secret if held => {
                        pasted.secret = Some(self.hold(Secret::new(value), SecretSource::Pasted));
                    }
                    Field::Secret => pasted.type_into_secret = true,
                }
            }
            paste::Placement::Nowhere => {}
        }
        pasted
    }
}

#[cfg(test)]
mod tests;
