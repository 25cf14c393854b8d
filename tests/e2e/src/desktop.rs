//! The X desktop around the window, as a person and other programs see it:
//! native dialogs typed into, a clipboard manager at its worst, the app's
//! top-level window closed as a window manager does, its process's end.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::{WAIT, clipboard, set_clipboard};

/// Types into the native window titled `title` (a GTK dialog) with X
/// key events, as a person would: `keys` are xdotool key names.
pub fn native_dialog(title: &str, text: &str, keys: &[&str]) {
    let started = Instant::now();
    let id = loop {
        let out = Command::new("xdotool")
            .args(["search", "--name", title])
            .output()
            .expect("xdotool");
        let found = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .map(str::to_string);
        if let Some(id) = found {
            break id;
        }
        assert!(started.elapsed() < WAIT, "no window titled {title:?}");
        std::thread::sleep(Duration::from_millis(200));
    };
    // No window manager under Xvfb: give the dialog the keyboard directly.
    std::thread::sleep(Duration::from_millis(700));
    let run = |args: &[&str]| {
        let ok = Command::new("xdotool")
            .args(args)
            .status()
            .unwrap()
            .success();
        assert!(ok, "xdotool {args:?}");
    };
    run(&["windowfocus", "--sync", &id]);
    run(&["key", "--clearmodifiers", "ctrl+a"]);
    run(&["type", "--delay", "20", text]);
    for k in keys {
        std::thread::sleep(Duration::from_millis(200));
        run(&["key", k]);
    }
}

/// A clipboard manager at its worst, for the clipboard-at-exit tests: it
/// remembers what each new owner of the clipboard offers, ignores the
/// sensitive marker, and when an owner goes away without giving the
/// clipboard up (its window destroyed, its process ended) it puts the last
/// value back, as managers do for an app that "crashed". It stands in for
/// Windows and macOS too, whose clipboards keep what a closed app copied.
/// An owner that clears the clipboard itself (owner None) is respected.
pub struct ClipboardKeeper {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ClipboardKeeper {
    pub fn start() -> ClipboardKeeper {
        use std::sync::atomic::{AtomicBool, Ordering};
        use x11rb::connection::Connection;
        use x11rb::protocol::Event;
        use x11rb::protocol::xfixes::{ConnectionExt as _, SelectionEvent, SelectionEventMask};
        use x11rb::protocol::xproto::ConnectionExt as _;

        let (conn, screen) = x11rb::connect(None).expect("an X display");
        let root = conn.setup().roots[screen].root;
        conn.xfixes_query_version(5, 0).unwrap().reply().unwrap();
        let clipboard_atom = conn
            .intern_atom(false, b"CLIPBOARD")
            .unwrap()
            .reply()
            .unwrap()
            .atom;
        conn.xfixes_select_selection_input(
            root,
            clipboard_atom,
            SelectionEventMask::SET_SELECTION_OWNER
                | SelectionEventMask::SELECTION_WINDOW_DESTROY
                | SelectionEventMask::SELECTION_CLIENT_CLOSE,
        )
        .unwrap();
        conn.flush().unwrap();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopping = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut last: Option<String> = None;
            while !stopping.load(Ordering::SeqCst) {
                match conn.poll_for_event() {
                    Ok(Some(Event::XfixesSelectionNotify(e))) => {
                        if e.subtype == SelectionEvent::SET_SELECTION_OWNER {
                            // x11rb's NONE is 0: the owner gave the clipboard up.
                            last = (e.owner != 0).then(clipboard).flatten();
                        } else if let Some(text) = last.take() {
                            set_clipboard(&text);
                        }
                    }
                    Ok(_) => std::thread::sleep(Duration::from_millis(10)),
                    Err(_) => return,
                }
            }
        });
        ClipboardKeeper {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for ClipboardKeeper {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The app's top-level window (its title) and the process that owns it.
pub fn app_window() -> (u32, u32) {
    let out = Command::new("xdotool")
        .args(["search", "--name", "^Autotask Connect$"])
        .output()
        .expect("xdotool");
    let id: u32 = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .and_then(|l| l.trim().parse().ok())
        .expect("the app's window");
    let out = Command::new("xdotool")
        .args(["getwindowpid", &id.to_string()])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    (id, pid)
}

/// Asks the window to close as a window manager's close button does
/// (WM_DELETE_WINDOW), so the app goes through its own exit.
pub fn close_window(window: u32) {
    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt as _, EventMask};
    let (conn, _) = x11rb::connect(None).expect("an X display");
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    conn.send_event(false, window, EventMask::NO_EVENT, event)
        .unwrap();
    conn.flush().unwrap();
}

/// Waits until process `pid` has ended.
pub async fn wait_gone(pid: u32) {
    let started = Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        // A zombie has ended too (its parent, WebKitWebDriver, reaps it later).
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if state
            .rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        {
            return;
        }
        assert!(started.elapsed() < WAIT, "the app did not exit");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
