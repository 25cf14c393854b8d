//! A profile's name: the credential store's account name, so kept simple.

use super::ProfileError;
use crate::zone;

/// A profile name: the credential store's account name, so kept simple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileName(String);

impl ProfileName {
    pub fn parse(raw: &str) -> Result<ProfileName, ProfileError> {
        let name = raw.trim();
        let unsafe_char = |c: char| c.is_control() || zone::is_invisible(c);
        // The name is quoted back: without what could hide or reorder text.
        let bad = |reason| ProfileError::InvalidName {
            name: raw
                .chars()
                .take(80)
                .map(|c| if unsafe_char(c) { '\u{FFFD}' } else { c })
                .collect(),
            reason,
        };
        if name.is_empty() {
            return Err(bad("it is empty"));
        }
        if name.chars().count() > 64 {
            return Err(bad("it is longer than 64 characters"));
        }
        if name.chars().any(|c| c.is_control()) {
            return Err(bad("it contains a control character"));
        }
        if name.chars().any(zone::is_invisible) {
            return Err(bad(
                "it contains an invisible or text-direction character (often pasted by accident)",
            ));
        }
        if name.starts_with('.') {
            return Err(bad("it starts with a dot"));
        }
        Ok(ProfileName(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
