//! What the window shows about the form, decided here once: whether Save
//! can work and why not, what the save line says, whose result is on
//! screen and whether the form has changed since, the saved profile the
//! form shows, a moved zone to offer, and whether the hand-off is there.

use super::{Form, SecretState, tenant_zone};
use crate::check::StepId;
use crate::check::{Blame, Status};
use crate::vendors;
use crate::zone;

/// Whose result a check's outcome is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The values in the form.
    Form,
    /// A saved profile, with its stored secret.
    Profile(String),
    /// A new secret for a saved profile.
    Rotation(String),
}

/// The last result on screen: its subject, whether it passed, and whether
/// the form has changed since (only a check of the form can go stale).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastResult {
    pub subject: Subject,
    pub passed: bool,
    pub stale: bool,
}

/// Save: whether it can work, why not, whether "Save without a passing
/// test" is offered, and the line under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaveState {
    pub enabled: bool,
    /// Why Save cannot work (its tooltip); `None` when it can.
    pub reason: Option<String>,
    /// "Save without a passing test" is offered only without a passing test.
    pub offer_untested: bool,
    pub status: String,
    /// `ok` after a pass or a save; empty otherwise.
    pub tone: &'static str,
}

/// Everything the window shows about the form. The page renders it and
/// keeps no rules of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormState {
    pub secret: SecretState,
    /// The saved profile the form shows: with no secret held, Test
    /// connection tests it with its stored secret.
    pub saved_profile: Option<String>,
    pub last: Option<LastResult>,
    pub save: SaveState,
    /// After a passing check that reached another zone: "Use zone N".
    pub moved_zone: Option<u32>,
    /// The values to enter in the vendor's form can be shown (a passing
    /// check of exactly these fields and this secret).
    pub handoff: bool,
    /// The form's checks go to the demo tenant inside the app.
    pub demo: bool,
    /// Where this form's profiles keep their secrets: the credential store,
    /// or the demo's memory.
    pub store: String,
}

/// What the save line says after the last event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) enum Note {
    #[default]
    Fresh,
    /// A check of the form ran: its outcome decides the line.
    Checked,
    /// The form showed a saved profile and then changed.
    ChangedFromSaved,
    Saved(String),
    Loaded(String),
    Renamed(String),
    Deleted(String),
}

/// Where the window stands: what the form's state depends on beyond the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Surroundings<'a> {
    /// The credential store works (the store health check passed).
    pub store_ok: bool,
    /// "Windows Credential Manager", "Secret Service"…
    pub store_backend: &'a str,
    pub demo: bool,
}

const SAVE_AFTER_A_PASS: &str = "Save is available once the connection test passes.";

impl Form {
    /// Whether the last check tested exactly these fields and this secret.
    pub(super) fn current(&self) -> bool {
        self.tested
            .as_ref()
            .is_some_and(|t| t.generation == self.generation && t.fields == self.fields)
    }

    /// The form shows, unchanged, the profile just saved from a passing
    /// check of exactly these values: that check still describes it.
    fn shows_what_was_tested(&self) -> bool {
        self.saved_as_tested
            && self
                .shown
                .as_ref()
                .is_some_and(|s| s.fields == self.fields && self.secret.is_none())
    }

    /// The state of the form, for the window.
    pub fn state(&self, around: Surroundings<'_>) -> FormState {
        let current = self.current();
        let passed = current && self.tested.as_ref().is_some_and(|t| t.report.passed);
        let can = passed || self.untested;
        let reason = if !around.store_ok {
            Some("The credential store is not available: see the banner above.".to_string())
        } else if !can {
            Some("Test the connection first, or tick “Save without a passing test”.".to_string())
        } else {
            None
        };
        let (status, tone) = self.save_line(passed, current, around.store_backend);
        FormState {
            secret: self.secret_state(),
            saved_profile: self
                .shown
                .as_ref()
                .filter(|_| self.secret.is_none())
                .map(|s| s.name.clone()),
            last: self.last.as_ref().map(|(subject, passed)| LastResult {
                subject: subject.clone(),
                passed: *passed,
                stale: *subject == Subject::Form && !current && !self.shows_what_was_tested(),
            }),
            save: SaveState {
                enabled: around.store_ok && can,
                reason,
                offer_untested: !passed,
                status,
                tone,
            },
            moved_zone: self.moved_zone().filter(|_| passed),
            handoff: passed,
            demo: around.demo,
            store: around.store_backend.to_string(),
        }
    }

    /// The line under Save, from the last event and the check's outcome.
    fn save_line(&self, passed: bool, current: bool, backend: &str) -> (String, &'static str) {
        use Note::*;
        match &self.note {
            Saved(name) => (
                format!("Saved “{name}”. Its secret is in the {backend}."),
                "ok",
            ),
            Loaded(name) => (format!("Loaded “{name}”."), ""),
            Renamed(name) => (format!("Renamed to “{name}”."), "ok"),
            Deleted(name) => (format!("Deleted “{name}”."), ""),
            ChangedFromSaved => ("The form changed: test it to save these values.".into(), ""),
            Checked if passed => {
                let vendor =
                    vendors::find(self.fields.vendor.trim()).unwrap_or_else(|_| vendors::custom());
                if vendor.bound {
                    (
                        format!(
                            "Username and zone confirmed: these can be saved for {} (the secret \
                             is not tested here).",
                            vendor.name
                        ),
                        "ok",
                    )
                } else {
                    (
                        "The test passed: these credentials can be saved.".into(),
                        "ok",
                    )
                }
            }
            Checked if !current && self.tested.as_ref().is_some_and(|t| t.report.passed) => (
                "The form changed since the last test: test again before saving.".into(),
                "",
            ),
            Checked if current => (
                "Save is available once the connection test passes (or tick “Save without a \
                 passing test”)."
                    .into(),
                "",
            ),
            Checked | Fresh => (SAVE_AFTER_A_PASS.into(), ""),
        }
    }

    /// The zone number a passing check of these fields reached, when it is
    /// not the one entered (Autotask moved the tenant).
    fn moved_zone(&self) -> Option<u32> {
        let tested = self.tested.as_ref().filter(|_| self.current())?;
        let moved = tested.report.steps.iter().any(|s| {
            s.id == StepId::Zone && s.status == Status::Warning && s.blame == Some(Blame::Zone)
        });
        let found = tested.report.tenant.as_ref().and_then(tenant_zone)?;
        if !moved || zone::canonical(&self.fields.zone).as_ref() == Some(&found.web_url()) {
            return None;
        }
        match found {
            zone::Zone::Numbered(n) => Some(n),
            _ => None,
        }
    }
}
