// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[allow(unsafe_code)] // two environment changes, first thing, before any other thread exists
fn main() {
    autotask_connect::core_dumps::disable();
    // SAFETY: first thing in main, before any other thread exists.
    unsafe { autotask_connect::transport::ignore_trust_from_environment() };
    // SAFETY: first thing in main, before any other thread exists.
    unsafe { autotask_connect_app::rendering::choose() };
    autotask_connect_app::run();
}
