//! A rotation's outcome, said the same way by both faces.

use crate::check::{Report, SignIn};
use crate::vendors::Vendor;

/// Whether a rotation's new secret replaces the stored one: after a pass,
/// and whenever Autotask accepted it (a new secret generated in Autotask
/// has already stopped the old one; keeping that would be the worse choice
/// even when another step, such as permissions, failed).
pub fn rotation_replaces(report: &Report) -> bool {
    report.passed || report.sign_in == SignIn::Accepted
}

/// A rotation's outcome: whether the new secret replaced the stored one,
/// and what became of it.
#[derive(Clone, Debug)]
pub struct Rotation {
    pub name: String,
    pub vendor: &'static Vendor,
    pub report: Report,
    pub replaced: bool,
}

impl Rotation {
    /// One sentence for both faces: replaced or kept, and why, keeping
    /// "refused" apart from "never sent".
    pub fn outcome(&self) -> String {
        let name = &self.name;
        match (self.replaced, self.report.sign_in) {
            (true, SignIn::NotSent) => format!(
                "The new secret replaced the one stored for \u{201c}{name}\u{201d}. It was not \
                 tested here: only {vendor} can sign in as this API user, and its own test \
                 verifies it.",
                vendor = self.vendor.name
            ),
            (true, _) if self.report.passed => format!(
                "The new secret works and replaced the one stored for \u{201c}{name}\u{201d}."
            ),
            (true, _) => format!(
                "Autotask accepted the new secret, and it replaced the one stored for \
                 \u{201c}{name}\u{201d}; the check found other problems (see above)."
            ),
            (false, SignIn::Refused) => format!(
                "Autotask refused the new secret; the one stored for \u{201c}{name}\u{201d} was \
                 kept. If you generated this secret in Autotask just now, the stored one no \
                 longer works either: paste the new one again exactly."
            ),
            (false, SignIn::NoVerdict) => format!(
                "The new secret was sent, but no answer said whether Autotask accepts it; the one \
                 stored for \u{201c}{name}\u{201d} was kept. Test again when the problem above \
                 is gone."
            ),
            (false, _) => format!(
                "The new secret was not sent: the check stopped before it (see above). Nothing \
                 changed; the one stored for \u{201c}{name}\u{201d} was kept."
            ),
        }
    }
}
