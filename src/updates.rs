//! Whether the app offers updates, and where they come from: the window
//! checks (tauri-plugin-updater, each package signed with the project's
//! update key), `doctor` reports the same facts. The CLI is updated with the
//! app: the installers ship both.
//!
//! An administrator turns updates off for every user of a computer, where
//! only an administrator can write:
//! - Linux: `/etc/autotask-connect/policy.json` with `{"updates": false}`
//! - macOS: `/Library/Application Support/autotask-connect/policy.json`, the same
//! - Windows: `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Autotask Connect`, DWORD
//!   `DisableUpdates` = 1 (what Group Policy and Intune write)
//!
//! Nothing in the user's environment or files changes this, nor where
//! updates come from.

use std::path::Path;

/// Where the installers look for updates: the manifest the release workflow
/// publishes with each release (`src-tauri/tauri.conf.json`'s
/// `plugins.updater.endpoints` says the same; a test keeps them equal).
pub const RELEASES_ENDPOINT: &str =
    "https://github.com/autotask-connect/autotask-connect/releases/latest/download/latest.json";

/// The administrator's policy file on Linux.
pub const LINUX_POLICY_FILE: &str = "/etc/autotask-connect/policy.json";
/// The administrator's policy file on macOS.
pub const MACOS_POLICY_FILE: &str = "/Library/Application Support/autotask-connect/policy.json";
/// The policy key on Windows (under HKEY_LOCAL_MACHINE) and its value.
pub const WINDOWS_POLICY_KEY: &str = r"SOFTWARE\Policies\Autotask Connect";
pub const WINDOWS_POLICY_VALUE: &str = "DisableUpdates";

/// The update setting of this computer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Updates {
    /// The window offers updates from `from`.
    On { from: String },
    /// An administrator turned them off; `by` names the setting, `why` says
    /// what it holds.
    Off { by: String, why: String },
}

impl Updates {
    pub fn enabled(&self) -> bool {
        matches!(self, Updates::On { .. })
    }

    /// One line for people: `doctor`'s and the window's.
    pub fn describe(&self) -> String {
        match self {
            Updates::On { from } => format!(
                "on: the app offers new versions from {from}, signed with Autotask Connect's \
                 update key, and installs one only when you click Install (the command-line \
                 tool is updated with it)"
            ),
            Updates::Off { by, why } => format!("off: {why} ({by})"),
        }
    }
}

/// This computer's setting.
pub fn policy() -> Updates {
    policy_for(RELEASES_ENDPOINT)
}

/// This computer's setting, updates coming from `endpoint` when on.
pub fn policy_for(endpoint: &str) -> Updates {
    let on = || Updates::On {
        from: endpoint.to_string(),
    };
    #[cfg(target_os = "windows")]
    {
        let by = format!(r"HKEY_LOCAL_MACHINE\{WINDOWS_POLICY_KEY}\{WINDOWS_POLICY_VALUE}");
        match windows::disable_updates() {
            Some(0) | None => on(),
            Some(_) => Updates::Off {
                by,
                why: "turned off by your administrator".into(),
            },
        }
    }
    #[cfg(not(target_os = "windows"))]
    {
        let file = if cfg!(target_os = "macos") {
            MACOS_POLICY_FILE
        } else {
            LINUX_POLICY_FILE
        };
        from_policy_file(Path::new(file)).unwrap_or_else(on)
    }
}

/// `None` when the file does not exist (no policy); otherwise what it says.
/// A file that is there but unreadable or not the expected JSON turns
/// updates off: it can only be an administrator's, and they meant something.
pub fn from_policy_file(path: &Path) -> Option<Updates> {
    let by = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(Updates::Off {
                by,
                why: format!("your administrator's policy file could not be read ({e})"),
            });
        }
    };
    match serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("updates").cloned())
    {
        Some(serde_json::Value::Bool(true)) => None,
        Some(serde_json::Value::Bool(false)) => Some(Updates::Off {
            by,
            why: "turned off by your administrator".into(),
        }),
        _ => Some(Updates::Off {
            by,
            why: "your administrator's policy file is not {\"updates\": true|false}".into(),
        }),
    }
}

#[cfg(target_os = "windows")]
mod windows {
    /// The `DisableUpdates` DWORD under the policy key, if set.
    #[allow(unsafe_code)] // RegGetValueW writes one DWORD into a local, sized by us
    pub(super) fn disable_updates() -> Option<u32> {
        use windows_sys::Win32::System::Registry::{
            HKEY_LOCAL_MACHINE, RRF_RT_REG_DWORD, RegGetValueW,
        };
        let wide = |s: &str| s.encode_utf16().chain([0]).collect::<Vec<u16>>();
        let key = wide(super::WINDOWS_POLICY_KEY);
        let value = wide(super::WINDOWS_POLICY_VALUE);
        let mut data: u32 = 0;
        let mut size = std::mem::size_of::<u32>() as u32;
        // SAFETY: both names are NUL-terminated UTF-16 that outlive the call;
        // `data` is a u32 and `size` says so, and RRF_RT_REG_DWORD accepts
        // only a 4-byte value.
        let status = unsafe {
            RegGetValueW(
                HKEY_LOCAL_MACHINE,
                key.as_ptr(),
                value.as_ptr(),
                RRF_RT_REG_DWORD,
                std::ptr::null_mut(),
                (&mut data as *mut u32).cast(),
                &mut size,
            )
        };
        (status == 0).then_some(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn an_administrators_file_turns_updates_off_and_says_where() {
        let off = file(r#"{"updates": false}"#);
        let Some(Updates::Off { by, why }) = from_policy_file(off.path()) else {
            panic!("off");
        };
        assert_eq!(by, off.path().display().to_string());
        assert_eq!(why, "turned off by your administrator");
        assert_eq!(from_policy_file(file(r#"{"updates": true}"#).path()), None);
        assert_eq!(
            from_policy_file(Path::new("/nonexistent/autotask-connect/policy.json")),
            None
        );
    }

    #[test]
    fn a_policy_file_that_says_something_else_keeps_updates_off() {
        for text in ["", "off", r#"{"updates": "no"}"#, r#"{"update": false}"#] {
            let f = file(text);
            assert!(
                matches!(from_policy_file(f.path()), Some(Updates::Off { .. })),
                "{text:?}"
            );
        }
    }

    /// The policy key Group Policy and Intune write, read back through
    /// `policy_for` (under Wine via scripts/check-other-os, natively on the
    /// Windows CI runner). A value that was there before is put back.
    #[test]
    #[cfg(target_os = "windows")]
    fn the_windows_policy_key_turns_updates_off() {
        let reg = |args: &[&str]| {
            std::process::Command::new("reg")
                .args(args)
                .output()
                .expect("reg.exe")
        };
        let key = format!(r"HKLM\{WINDOWS_POLICY_KEY}");
        let before = windows::disable_updates();
        let set = |value: &str| {
            let out = reg(&[
                "add",
                &key,
                "/v",
                WINDOWS_POLICY_VALUE,
                "/t",
                "REG_DWORD",
                "/d",
                value,
                "/f",
            ]);
            assert!(out.status.success(), "reg add: {out:?}");
        };
        set("1");
        let off = policy_for("https://example.invalid/latest.json");
        set("0");
        let zero = policy_for("https://example.invalid/latest.json");
        match before {
            Some(v) => set(&v.to_string()),
            None => {
                reg(&["delete", &key, "/v", WINDOWS_POLICY_VALUE, "/f"]);
            }
        }
        assert_eq!(
            off,
            Updates::Off {
                by: format!(r"HKEY_LOCAL_MACHINE\{WINDOWS_POLICY_KEY}\{WINDOWS_POLICY_VALUE}"),
                why: "turned off by your administrator".into(),
            }
        );
        assert!(zero.enabled());
    }

    #[test]
    fn on_says_where_updates_come_from() {
        let on = Updates::On {
            from: RELEASES_ENDPOINT.into(),
        };
        assert!(on.enabled());
        assert!(on.describe().starts_with(&format!(
            "on: the app offers new versions from {RELEASES_ENDPOINT}, signed"
        )));
    }
}
