//! A hello-world Tauri 2 window: the floor Autotask Connect is measured
//! against. Its page signals "interactive" the same way the app's does.

use std::time::Instant;

#[tauri::command]
fn app_ready(started: tauri::State<'_, Instant>) {
    if let Some(path) = std::env::var_os("AUTOTASK_CONNECT_READY_FILE") {
        let _ = std::fs::write(path, format!("{}\n", started.elapsed().as_millis()));
    }
}

fn main() {
    tauri::Builder::default()
        .manage(Instant::now())
        .invoke_handler(tauri::generate_handler![app_ready])
        .run(tauri::generate_context!())
        .expect("floor window");
}
