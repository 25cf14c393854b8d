//! Where profiles live: the secret in the operating system's credential
//! store ([`keyring`]), everything else in a config file ([`config`]).
//! These two modules are the only code that touches either. Beside the
//! config file, [`gateways`] keeps the records of the gateways running.

pub mod config;
pub mod gateways;
pub mod keyring;
