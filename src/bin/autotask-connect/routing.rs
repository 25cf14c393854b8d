//! Where the CLI connects and whom it trusts: `--connect-to`/`--ca-cert`,
//! and in a debug build only their environment variables. Every command
//! that reaches Autotask gets its HTTPS client here, with a note on
//! standard error whenever Autotask might not be the peer.

use std::path::PathBuf;
use std::time::Duration;

use crate::Cli;
use crate::error::Error;
use autotask_connect::transport::{Transport, TransportConfig};

/// Whether this build reads routing and trust from its environment
/// (`AUTOTASK_CONNECT_CONNECT_TO`, `AUTOTASK_CONNECT_CA_CERT`): only a debug
/// build, what `cargo test` drives. A release build, what the installers
/// ship, takes them only as `--connect-to`/`--ca-cert`: a variable set once by
/// someone else (a login script, an RMM's global environment) would silently
/// send every later run's stored secrets elsewhere, whereas whoever writes the
/// command line could as well run `profile secret`.
const HONOURS_ENV_ROUTING: bool = cfg!(debug_assertions);

/// Where routing and trust came from, for the note on standard error.
#[derive(Debug, PartialEq)]
struct Routing {
    connect_to: Vec<String>,
    connect_to_from: &'static str,
    ca_cert: Option<PathBuf>,
    ca_cert_from: &'static str,
}

impl Routing {
    /// The options as given; in a build that honours the environment, the
    /// variables fill in what the command line left out, and are named.
    fn from_options(
        cli_connect_to: &[String],
        cli_ca_cert: Option<&std::path::Path>,
        env: impl Fn(&str) -> Option<std::ffi::OsString>,
        honours_env: bool,
    ) -> Routing {
        let mut routing = Routing {
            connect_to: cli_connect_to.to_vec(),
            connect_to_from: "--connect-to",
            ca_cert: cli_ca_cert.map(PathBuf::from),
            ca_cert_from: "--ca-cert",
        };
        if !honours_env {
            return routing;
        }
        if routing.connect_to.is_empty()
            && let Some(v) = env("AUTOTASK_CONNECT_CONNECT_TO").and_then(|v| v.into_string().ok())
        {
            routing.connect_to = v
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            routing.connect_to_from = "AUTOTASK_CONNECT_CONNECT_TO";
        }
        if routing.ca_cert.is_none()
            && let Some(v) = env("AUTOTASK_CONNECT_CA_CERT").filter(|v| !v.is_empty())
        {
            routing.ca_cert = Some(PathBuf::from(v));
            routing.ca_cert_from = "AUTOTASK_CONNECT_CA_CERT";
        }
        routing
    }
}

pub(crate) fn transport(cli: &Cli) -> Result<Transport, Error> {
    let routing = Routing::from_options(
        &cli.connect_to,
        cli.ca_cert.as_deref(),
        |name| std::env::var_os(name),
        HONOURS_ENV_ROUTING,
    );
    let config = TransportConfig::from_options(
        &routing.connect_to,
        routing.ca_cert.as_deref(),
        Duration::from_secs(cli.timeout),
    )?;
    // Whoever reads the output must know when Autotask was not the peer,
    // and which option or variable made it so.
    for rule in &config.connect_to {
        eprintln!(
            "Note: connections for {} go to {}:{} ({}); credentials go there too.",
            rule.from_host.as_deref().unwrap_or("every Autotask host"),
            rule.to_host.as_deref().unwrap_or("the same host"),
            rule.to_port.unwrap_or(443),
            routing.connect_to_from,
        );
    }
    if let Some(ca) = &routing.ca_cert {
        eprintln!(
            "Note: certificates issued by {} are trusted as well as the system's ({}).",
            ca.display(),
            routing.ca_cert_from,
        );
    }
    Ok(Transport::new(config)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_hook(name: &str) -> Option<std::ffi::OsString> {
        match name {
            "AUTOTASK_CONNECT_CONNECT_TO" => Some("::127.0.0.1:9,a:1:b:2".into()),
            "AUTOTASK_CONNECT_CA_CERT" => Some("/tmp/interceptor-ca.pem".into()),
            _ => None,
        }
    }

    /// A release build (what the installers ship) takes routing and trust
    /// only from its command line, whatever the environment says.
    #[test]
    fn a_release_build_takes_no_routing_or_trust_from_its_environment() {
        let shipped = Routing::from_options(&[], None, every_hook, false);
        assert_eq!((shipped.connect_to.len(), shipped.ca_cert), (0, None));
        let explicit = Routing::from_options(
            &["::127.0.0.1:7".into()],
            Some(std::path::Path::new("/ca.pem")),
            every_hook,
            false,
        );
        assert_eq!(explicit.connect_to, ["::127.0.0.1:7"]);
        assert_eq!(explicit.connect_to_from, "--connect-to");
        assert_eq!(explicit.ca_cert_from, "--ca-cert");
    }

    /// A debug build (the tests) reads the variables, and names them in the
    /// note rather than an option that was not given; options still win.
    #[test]
    fn a_debug_build_names_the_variable_it_followed() {
        let from_env = Routing::from_options(&[], None, every_hook, true);
        assert_eq!(from_env.connect_to, ["::127.0.0.1:9", "a:1:b:2"]);
        assert_eq!(from_env.connect_to_from, "AUTOTASK_CONNECT_CONNECT_TO");
        assert_eq!(
            from_env.ca_cert.as_deref(),
            Some(std::path::Path::new("/tmp/interceptor-ca.pem"))
        );
        assert_eq!(from_env.ca_cert_from, "AUTOTASK_CONNECT_CA_CERT");
        let options_win = Routing::from_options(
            &["::127.0.0.1:7".into()],
            Some(std::path::Path::new("/ca.pem")),
            every_hook,
            true,
        );
        assert_eq!(options_win.connect_to, ["::127.0.0.1:7"]);
        assert_eq!(options_win.ca_cert_from, "--ca-cert");
    }
}
