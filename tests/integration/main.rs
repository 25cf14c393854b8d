//! Integration tests: the core library and the CLI against the Autotask
//! simulator over real HTTPS (test CA, Autotask host names, connect
//! override), as ripgrep arranges them: one binary, one module per area.

mod architecture;
mod check;
mod cli;
#[cfg(target_os = "linux")] // a private gnome-keyring on D-Bus
mod door;
mod faults;
#[cfg(target_os = "linux")] // a private gnome-keyring on D-Bus
mod gateway;
mod handoff;
mod hostile;
#[cfg(target_os = "linux")] // a private gnome-keyring on D-Bus
mod leaks;
mod network;
mod properties;
mod recipes;
#[cfg(target_os = "linux")] // a private gnome-keyring on D-Bus
mod scripts;
#[cfg(target_os = "linux")] // a private gnome-keyring on D-Bus
mod store;
mod support;
mod vendors;
mod webhooks;
#[cfg(target_os = "windows")]
mod windows;
