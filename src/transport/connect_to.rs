//! A connect override in curl's `--connect-to` syntax: where the TCP
//! connection goes, never which host TLS verifies.

use std::str::FromStr;

use super::HTTPS_PORT;

/// One `--connect-to HOST1:PORT1:HOST2:PORT2` rule. Empty HOST1/PORT1 match
/// any; empty HOST2/PORT2 keep the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectTo {
    pub from_host: Option<String>,
    pub from_port: Option<u16>,
    pub to_host: Option<String>,
    pub to_port: Option<u16>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "\"{spec}\" is not a connect override: use HOST1:PORT1:HOST2:PORT2 (like curl's --connect-to), \
     for example ::127.0.0.1:8443 ({reason})"
)]
pub struct ConnectToError {
    spec: String,
    reason: &'static str,
}

impl FromStr for ConnectTo {
    type Err = ConnectToError;

    fn from_str(spec: &str) -> Result<ConnectTo, ConnectToError> {
        let err = |reason| ConnectToError {
            spec: spec.to_string(),
            reason,
        };
        // Split on colons outside [IPv6] brackets.
        let mut parts = Vec::new();
        let mut current = String::new();
        let mut in_brackets = false;
        for c in spec.trim().chars() {
            match c {
                '[' => in_brackets = true,
                ']' => in_brackets = false,
                ':' if !in_brackets => {
                    parts.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        parts.push(current);
        if parts.len() != 4 {
            return Err(err("it needs exactly four parts separated by colons"));
        }
        let host = |s: &str| -> Option<String> {
            let s = s.trim_start_matches('[').trim_end_matches(']');
            (!s.is_empty()).then(|| s.to_ascii_lowercase())
        };
        let port = |s: &str| -> Result<Option<u16>, ConnectToError> {
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .map(Some)
                .ok_or_else(|| err("a port is not a number from 1 to 65535"))
        };
        Ok(ConnectTo {
            from_host: host(&parts[0]),
            from_port: port(&parts[1])?,
            to_host: host(&parts[2]),
            to_port: port(&parts[3])?,
        })
    }
}

impl ConnectTo {
    pub(super) fn applies_to(&self, host: &str) -> bool {
        self.from_host
            .as_deref()
            .is_none_or(|h| h.eq_ignore_ascii_case(host))
            && self.from_port.is_none_or(|p| p == HTTPS_PORT)
    }
}

/// Parses a comma-separated list, as `AUTOTASK_CONNECT_CONNECT_TO` holds.
pub(crate) fn parse_connect_to_list(list: &str) -> Result<Vec<ConnectTo>, ConnectToError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}
