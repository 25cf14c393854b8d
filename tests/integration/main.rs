//! Integration tests: the core library and the CLI against the Autotask
//! simulator over real HTTPS (test CA, Autotask host names, connect
//! override), as ripgrep arranges them: one binary, one module per area.

mod check;
mod cli;
mod faults;
mod hostile;
mod leaks;
mod properties;
mod store;
mod support;
mod vendors;
