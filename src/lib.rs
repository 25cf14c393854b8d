//! Autotask Connect's core: everything the CLI and the desktop app do, with
//! no dependency on Tauri or a display. Modules in reading order:
//!
//! - [`zone`]: what a pasted URL means; refuses anything not Autotask's (pure).
//! - [`credentials`]: username, secret, integration code, and their lints (pure).
//! - [`paste`]: the four inputs recognized in a pasted block of text (pure).
//! - [`redact`]: the secret and the code hidden in every spelling, in text
//!   that leaves the process (pure).
//! - [`transport`]: the one HTTPS client; network failures by layer.
//! - [`rest`]: Autotask's REST calls and the reading of its answers.
//! - [`check`]: the staged connection check (the ladder).
//! - [`vendors`]: who uses the API user: the presets (`vendors.json`) per vendor.
//! - [`handoff`]: each value a vendor's form asks for, in its format (pure).
//! - [`report`]: the ladder as text, and the redacted support report.
//! - [`store`]: the OS credential store and the config file (the only code touching either).
//! - [`profile`]: saved profiles and their operations (save, rename, delete, rotate, check).
//! - [`lockout`]: the lockout guard, one per Autotask username, kept in the config file.
//! - [`form`]: the setup form's state: the secret handed over once, and Save
//!   storing exactly what the last check tested.
//! - [`script`]: a profile used by scripts and AI agents: the environment
//!   `exec` gives a child, and the window's "Use in a script" snippets, which
//!   call the CLI by its installed path (pure but for finding that path).
//! - [`status`]: every profile at a glance (zone moved? secret stored? guard?),
//!   and the gateways running.
//! - [`limits`]: what the local gateway lets through, and its own answers (pure).
//! - [`gateway`]: the local gateway (`exec --gateway`, `serve`): clients use
//!   a profile through it without holding its secret (feature `gateway`).
//! - [`error`]: errors by what the user can do, with stable kinds.
//! - [`webhook`]: an integration's webhooks as Autotask lists them, what
//!   keeps Autotask from delivering, and the offline signature check (pure).
//! - [`view`]: every JSON that leaves the process (CLI and window), built
//!   from the domain types above.
//! - [`core_dumps`]: turned off at start-up, so a crash writes no secret to disk.
//! - [`updates`]: whether the app offers updates and from where (an
//!   administrator's policy can turn them off); `doctor` reports it.

pub mod check;
pub mod core_dumps;
pub mod credentials;
pub mod error;
pub mod form;
#[cfg(feature = "gateway")]
pub mod gateway;
pub mod handoff;
pub mod limits;
pub mod lockout;
pub mod paste;
pub mod profile;
mod redact;
pub mod report;
pub mod rest;
pub mod script;
pub mod status;
pub mod store;
pub mod transport;
pub mod updates;
pub mod vendors;
pub mod view;
pub mod webhook;
pub mod zone;
