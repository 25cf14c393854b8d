//! `--log FILE`: one line per request the gateway answered, appended:
//! `time method entity status duration`. Never a header, a path, a query
//! or a body (they can hold the token, record ids and customers' data).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(super) struct Log {
    file: Mutex<File>,
}

impl Log {
    /// Opens `path` for appending (created readable by this account only).
    pub(super) fn open(path: &Path) -> std::io::Result<Log> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(Log {
            file: Mutex::new(options.open(path)?),
        })
    }

    /// Writes one line; a log that cannot be written does not stop requests.
    pub(super) fn line(&self, method: &str, entity: Option<&str>, status: u16, took: Duration) {
        let text = line(SystemTime::now(), method, entity, status, took);
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = file.write_all(text.as_bytes());
    }
}

/// `2026-12-04T09:00:00.123Z GET Companies 200 53ms`.
fn line(at: SystemTime, method: &str, entity: Option<&str>, status: u16, took: Duration) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = crate::store::config::rfc3339(since.as_secs());
    let time = format!(
        "{}.{:03}Z",
        seconds.trim_end_matches('Z'),
        since.subsec_millis()
    );
    // Methods are HTTP tokens; anything else is not written as it came.
    let method: String = method
        .chars()
        .take(16)
        .map(|c| if c.is_ascii_alphabetic() { c } else { '?' })
        .collect();
    format!(
        "{time} {method} {} {status} {}ms\n",
        entity.unwrap_or("-"),
        took.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_holds_the_time_method_entity_status_and_duration_only() {
        let at = UNIX_EPOCH + Duration::from_millis(1_796_374_800_123);
        assert_eq!(
            line(
                at,
                "POST",
                Some("Companies"),
                200,
                Duration::from_millis(53)
            ),
            "2026-12-04T09:00:00.123Z POST Companies 200 53ms\n"
        );
        assert_eq!(
            line(at, "GET", None, 401, Duration::ZERO),
            "2026-12-04T09:00:00.123Z GET - 401 0ms\n"
        );
    }
}
