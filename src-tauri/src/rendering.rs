//! How the page is painted. On Linux, WebKitGTK composites pages with
//! OpenGL by default; for one form, CPU painting is plenty and, measured on
//! the same machine (BENCHMARKS.md), costs the web process far less memory
//! (software GL keeps a texture per layer and tile). It also avoids the
//! blank windows GL compositing gives on some drivers (tauri#5143).
//! `AUTOTASK_CONNECT_GPU_COMPOSITING=1` keeps WebKit's default.
//!
//! WebKit's own switch is an environment variable read when the page's
//! settings are created, so the page never starts in compositing mode
//! (changing the setting on the live webview instead made the form ~15 ms
//! slower to become interactive than with GL; the variable makes it ~20 ms
//! faster). Programs the app starts inherit it; only WebKitGTK ones
//! (a browser opened for a link) read it, and it only changes how they paint.

/// Chooses CPU painting unless the user asked otherwise.
///
/// # Safety
/// Sets a process environment variable: call it before any other thread
/// exists (first thing in `main`).
#[allow(unsafe_code)] // setting an environment variable is unsafe once threads exist
pub unsafe fn choose() {
    if cfg!(target_os = "linux")
        && std::env::var_os("AUTOTASK_CONNECT_GPU_COMPOSITING").is_none_or(|v| v != "1")
        && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
    {
        // SAFETY: the caller guarantees no other thread exists yet.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}
