//! The hand-off's Copy buttons: values go onto the system clipboard from
//! Rust, so the secret never crosses back to the page.
//!
//! A secret is marked sensitive where the platform has a marker (Windows:
//! excluded from clipboard history and cloud sync; macOS: the concealed type;
//! Linux: the password-manager hint clipboard managers honour), and cleared
//! after a delay, but only if the clipboard still holds it: something the
//! technician copied in between is left alone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zeroize::Zeroizing;

/// How long a copied secret stays on the clipboard.
pub(crate) const DEFAULT_CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Debug builds only (the E2E tests): seconds before a copied secret is
/// cleared. Release builds always use [`DEFAULT_CLEAR_AFTER`].
pub(crate) const ENV_CLEAR_SECONDS: &str = "AUTOTASK_CONNECT_CLIPBOARD_CLEAR_SECONDS";

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ClipboardError {
    #[error(
        "There is no clipboard to copy to on this computer ({0}). Nothing was copied or lost: \
         enter the value in the vendor's form by hand."
    )]
    Unavailable(String),
    #[error(
        "The clipboard refused the value ({0}); perhaps a clipboard manager blocked it. Nothing \
         was lost: try Copy again, or enter the value in the vendor's form by hand."
    )]
    Refused(String),
}

impl ClipboardError {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            ClipboardError::Unavailable(_) => "clipboard_unavailable",
            ClipboardError::Refused(_) => "clipboard_refused",
        }
    }
}

/// The clipboard itself, behind a trait so the clearing rules are tested
/// without a display.
pub(crate) trait Board: Send {
    fn set(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError>;
    /// The text the clipboard holds now, if it holds text.
    fn get(&mut self) -> Option<String>;
    fn clear(&mut self) -> Result<(), ClipboardError>;
}

/// The operating system's clipboard (arboard), opened on first use and
/// kept open: on X11 this process serves what it copied while it is.
#[derive(Default)]
pub(crate) struct SystemBoard {
    inner: Option<arboard::Clipboard>,
}

fn describe(e: &arboard::Error) -> String {
    // arboard's messages name the platform's failure, never the content.
    e.to_string()
}

impl SystemBoard {
    fn open(&mut self) -> Result<&mut arboard::Clipboard, ClipboardError> {
        if self.inner.is_none() {
            let cb =
                arboard::Clipboard::new().map_err(|e| ClipboardError::Unavailable(describe(&e)))?;
            self.inner = Some(cb);
        }
        Ok(self.inner.as_mut().expect("opened"))
    }
}

impl Board for SystemBoard {
    fn set(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError> {
        let cb = self.open()?;
        let set = cb.set();
        let set = if sensitive { mark_sensitive(set) } else { set };
        set.text(text.to_string())
            .map_err(|e| ClipboardError::Refused(describe(&e)))
    }

    fn get(&mut self) -> Option<String> {
        self.open().ok()?.get_text().ok()
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        self.open()?
            .clear()
            .map_err(|e| ClipboardError::Refused(describe(&e)))
    }
}

#[cfg(target_os = "linux")]
fn mark_sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtLinux;
    set.exclude_from_history()
}

#[cfg(target_os = "windows")]
fn mark_sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtWindows;
    set.exclude_from_history().exclude_from_cloud()
}

#[cfg(target_os = "macos")]
fn mark_sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtApple;
    set.exclude_from_history()
}

#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
fn mark_sensitive(set: arboard::Set<'_>) -> arboard::Set<'_> {
    set
}

/// Copies values, and clears a copied secret later if it is still there:
/// after the delay, or when the app exits first (window closed, quit, or a
/// signal), whichever comes first.
pub(crate) struct Clipper {
    board: Arc<Mutex<Box<dyn Board>>>,
    /// The secret this app put on the clipboard and has not cleared yet.
    /// Only a copy that succeeded replaces it: a failed copy leaves the
    /// clipboard, and so the pending clear, as they were.
    pending: Arc<Mutex<Option<Pending>>>,
    /// Counts successful copies: a clear scheduled for an older copy of the
    /// same secret does not cut a newer one short.
    copies: Arc<AtomicU64>,
    clear_after: Duration,
}

/// A copied secret waiting to be cleared: which copy put it there, and the
/// value to compare the clipboard with (zeroed when dropped).
struct Pending {
    copy: u64,
    value: Zeroizing<String>,
}

impl Clipper {
    pub(crate) fn new(board: Box<dyn Board>, clear_after: Duration) -> Clipper {
        Clipper {
            board: Arc::new(Mutex::new(board)),
            pending: Arc::new(Mutex::new(None)),
            copies: Arc::new(AtomicU64::new(0)),
            clear_after,
        }
    }

    /// The system clipboard with the delay for this build.
    pub(crate) fn system() -> Clipper {
        Clipper::new(Box::<SystemBoard>::default(), clear_after_from_env())
    }

    pub(crate) fn clear_after(&self) -> Duration {
        self.clear_after
    }

    /// Puts a plain value on the clipboard.
    pub(crate) fn copy(&self, text: &str) -> Result<(), ClipboardError> {
        let mut board = lock(&self.board);
        board.set(text, false)?;
        // The secret is no longer on the clipboard: nothing left to clear.
        self.copies.fetch_add(1, Ordering::SeqCst);
        *lock(&self.pending) = None;
        Ok(())
    }

    /// Puts a secret on the clipboard, marked sensitive, and clears it
    /// after the delay if the clipboard still holds it then.
    pub(crate) fn copy_secret(&self, secret: &str) -> Result<(), ClipboardError> {
        let this_copy = {
            let mut board = lock(&self.board);
            board.set(secret, true)?;
            let this_copy = self.copies.fetch_add(1, Ordering::SeqCst) + 1;
            *lock(&self.pending) = Some(Pending {
                copy: this_copy,
                value: Zeroizing::new(secret.to_string()),
            });
            this_copy
        };
        let board = Arc::clone(&self.board);
        let pending = Arc::clone(&self.pending);
        let delay = self.clear_after;
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            clear_if_still_held(&board, &pending, Some(this_copy));
        });
        Ok(())
    }

    /// At exit: clears the secret this app copied if the clipboard still
    /// holds it, whatever is left of its delay (on Windows and macOS the
    /// clipboard keeps it after the app is gone; on Linux a clipboard
    /// manager may take it over from an app that went away).
    pub(crate) fn clear_now(&self) {
        clear_if_still_held(&self.board, &self.pending, None);
    }
}

fn lock<T: ?Sized>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Clears the pending secret (only `copy`'s, if given) when the clipboard
/// still holds exactly it; what anyone copied since is left alone.
fn clear_if_still_held(
    board: &Mutex<Box<dyn Board>>,
    pending: &Mutex<Option<Pending>>,
    copy: Option<u64>,
) {
    let mut board = lock(board);
    let mut pending = lock(pending);
    if copy.is_some_and(|c| pending.as_ref().map(|p| p.copy) != Some(c)) {
        return;
    }
    let Some(secret) = pending.take() else {
        return;
    };
    let held = board.get().map(Zeroizing::new);
    if held.as_deref().map(String::as_str) == Some(secret.value.as_str()) {
        let _ = board.clear();
    }
}

/// The clearing delay: 30 s; a debug build may shorten it for tests.
fn clear_after_from_env() -> Duration {
    if cfg!(debug_assertions)
        && let Some(secs) = std::env::var(ENV_CLEAR_SECONDS)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|s| (1..=3600).contains(s))
    {
        return Duration::from_secs(secs);
    }
    DEFAULT_CLEAR_AFTER
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clipboard in memory that records what was marked sensitive.
    #[derive(Clone, Default)]
    struct Fake(Arc<Mutex<(Option<String>, bool)>>);

    impl Board for Fake {
        fn set(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError> {
            *self.0.lock().unwrap() = (Some(text.to_string()), sensitive);
            Ok(())
        }
        fn get(&mut self) -> Option<String> {
            self.0.lock().unwrap().0.clone()
        }
        fn clear(&mut self) -> Result<(), ClipboardError> {
            *self.0.lock().unwrap() = (None, false);
            Ok(())
        }
    }

    fn held(f: &Fake) -> (Option<String>, bool) {
        f.0.lock().unwrap().clone()
    }

    const DELAY: Duration = Duration::from_millis(150);
    const PAST: Duration = Duration::from_millis(450);

    #[test]
    fn a_secret_is_marked_and_cleared_after_the_delay() {
        let fake = Fake::default();
        let c = Clipper::new(Box::new(fake.clone()), DELAY);
        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        assert_eq!(
            held(&fake),
            (Some("Zq9-unique-secret-value-25".into()), true)
        );
        std::thread::sleep(PAST);
        assert_eq!(held(&fake).0, None);
    }

    #[test]
    fn something_copied_in_between_is_left_alone() {
        let fake = Fake::default();
        let c = Clipper::new(Box::new(fake.clone()), DELAY);
        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        // Another program copies something.
        fake.clone()
            .set("a note of the technician's", false)
            .unwrap();
        std::thread::sleep(PAST);
        assert_eq!(held(&fake).0.as_deref(), Some("a note of the technician's"));
    }

    #[test]
    fn a_plain_value_is_not_marked_nor_cleared_and_cancels_the_pending_clear() {
        let fake = Fake::default();
        let c = Clipper::new(Box::new(fake.clone()), DELAY);
        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        c.copy("https://webservices5.autotask.net").unwrap();
        assert_eq!(
            held(&fake),
            (Some("https://webservices5.autotask.net".into()), false)
        );
        std::thread::sleep(PAST);
        assert_eq!(
            held(&fake).0.as_deref(),
            Some("https://webservices5.autotask.net")
        );
    }

    /// A board whose next `set` fails, as a clipboard manager that blocks
    /// a value would make it.
    #[derive(Clone, Default)]
    struct Flaky(Fake, Arc<std::sync::atomic::AtomicBool>);

    impl Board for Flaky {
        fn set(&mut self, text: &str, sensitive: bool) -> Result<(), ClipboardError> {
            if self.1.swap(false, Ordering::SeqCst) {
                return Err(ClipboardError::Refused("blocked".into()));
            }
            self.0.set(text, sensitive)
        }
        fn get(&mut self) -> Option<String> {
            self.0.get()
        }
        fn clear(&mut self) -> Result<(), ClipboardError> {
            self.0.clear()
        }
    }

    #[test]
    fn a_failed_copy_keeps_the_earlier_pending_clear() {
        for secret_copy in [false, true] {
            let flaky = Flaky::default();
            let c = Clipper::new(Box::new(flaky.clone()), DELAY);
            c.copy_secret("Zq9-unique-secret-value-25").unwrap();
            flaky.1.store(true, Ordering::SeqCst);
            let failed = if secret_copy {
                c.copy_secret("another-secret-value-26")
            } else {
                c.copy("https://webservices5.autotask.net")
            };
            assert_eq!(failed.unwrap_err().kind(), "clipboard_refused");
            assert_eq!(
                held(&flaky.0).0.as_deref(),
                Some("Zq9-unique-secret-value-25")
            );
            std::thread::sleep(PAST);
            assert_eq!(held(&flaky.0).0, None, "secret copy failed: {secret_copy}");
        }
    }

    #[test]
    fn at_exit_a_secret_still_held_is_cleared_at_once_and_anything_else_left() {
        let fake = Fake::default();
        let c = Clipper::new(Box::new(fake.clone()), Duration::from_secs(30));
        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        c.clear_now();
        assert_eq!(held(&fake).0, None);

        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        fake.clone()
            .set("a note of the technician's", false)
            .unwrap();
        c.clear_now();
        assert_eq!(held(&fake).0.as_deref(), Some("a note of the technician's"));

        c.copy("https://webservices5.autotask.net").unwrap();
        c.clear_now();
        assert_eq!(
            held(&fake).0.as_deref(),
            Some("https://webservices5.autotask.net")
        );
    }

    #[test]
    fn copying_the_secret_again_restarts_the_delay() {
        let fake = Fake::default();
        let c = Clipper::new(Box::new(fake.clone()), Duration::from_millis(300));
        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        c.copy_secret("Zq9-unique-secret-value-25").unwrap();
        // The first copy's clear is due now; the second copy's is not.
        std::thread::sleep(Duration::from_millis(200));
        assert!(held(&fake).0.is_some(), "cleared early");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(held(&fake).0, None);
    }

    #[test]
    fn no_clipboard_is_a_message_that_names_what_to_do() {
        struct Broken;
        impl Board for Broken {
            fn set(&mut self, _: &str, _: bool) -> Result<(), ClipboardError> {
                Err(ClipboardError::Unavailable("no display".into()))
            }
            fn get(&mut self) -> Option<String> {
                None
            }
            fn clear(&mut self) -> Result<(), ClipboardError> {
                Ok(())
            }
        }
        let c = Clipper::new(Box::new(Broken), DELAY);
        let e = c.copy_secret("Zq9-unique-secret-value-25").unwrap_err();
        assert_eq!(e.kind(), "clipboard_unavailable");
        assert_eq!(
            e.to_string(),
            "There is no clipboard to copy to on this computer (no display). Nothing was copied or \
             lost: enter the value in the vendor's form by hand."
        );
        assert!(!e.to_string().contains("Zq9"));
        let refused = ClipboardError::Refused("the owner went away".into());
        assert_eq!(refused.kind(), "clipboard_refused");
        assert_eq!(
            refused.to_string(),
            "The clipboard refused the value (the owner went away); perhaps a clipboard manager \
             blocked it. Nothing was lost: try Copy again, or enter the value in the vendor's form \
             by hand."
        );
    }
}
