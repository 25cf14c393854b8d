//! The gateway's own answers instead of Autotask's, each with a stable
//! `error` kind an agent can act on.

use super::{ENV_SECRET, REST_BASE, Route, WritePolicy};

/// The gateway's own answer instead of Autotask's, each with a stable
/// `error` kind an agent can act on (never a bare 500).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayError {
    /// No session token, or another one.
    InvalidToken,
    /// A `Host` other than the gateway's own (a rebinding web page).
    HostNotAllowed,
    NotFound,
    MethodNotAllowed {
        method: String,
    },
    ReadOnly {
        method: String,
        entity: String,
        /// What `--write-entity` allows; empty when nothing may be written.
        writable: Vec<String>,
    },
    BudgetExhausted {
        budget: u64,
        retry_after_s: u64,
    },
    /// Autotask refused the profile's credentials: nothing more is sent.
    CredentialsRefused,
    RequestTooLarge {
        limit: usize,
    },
    /// Autotask could not be reached or broke off (the transport's sentence).
    Unreachable {
        message: String,
    },
    /// Autotask did not answer in time; the request may have been carried out.
    TimedOut {
        message: String,
    },
    /// Autotask answered with a redirect, which is never followed.
    Redirected {
        status: u16,
    },
}

impl GatewayError {
    pub fn kind(&self) -> &'static str {
        match self {
            GatewayError::InvalidToken => "invalid_token",
            GatewayError::HostNotAllowed => "host_not_allowed",
            GatewayError::NotFound => "not_found",
            GatewayError::MethodNotAllowed { .. } => "method_not_allowed",
            GatewayError::ReadOnly { .. } => "read_only",
            GatewayError::BudgetExhausted { .. } => "budget_exhausted",
            GatewayError::CredentialsRefused => "credentials_refused",
            GatewayError::RequestTooLarge { .. } => "request_too_large",
            GatewayError::Unreachable { .. } => "autotask_unreachable",
            GatewayError::TimedOut { .. } => "autotask_timeout",
            GatewayError::Redirected { .. } => "redirect_not_followed",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            GatewayError::InvalidToken | GatewayError::CredentialsRefused => 401,
            GatewayError::HostNotAllowed => 421,
            GatewayError::NotFound => 404,
            GatewayError::MethodNotAllowed { .. } => 405,
            GatewayError::ReadOnly { .. } => 403,
            GatewayError::BudgetExhausted { .. } => 429,
            GatewayError::RequestTooLarge { .. } => 413,
            GatewayError::Unreachable { .. } | GatewayError::Redirected { .. } => 502,
            GatewayError::TimedOut { .. } => 504,
        }
    }

    /// What happened and what to do, for the agent or the person reading.
    pub fn message(&self) -> String {
        match self {
            GatewayError::InvalidToken => format!(
                "This is an Autotask Connect gateway: send its session token (the {ENV_SECRET} it \
                 gave you) in the Secret header or as Authorization: Bearer."
            ),
            GatewayError::HostNotAllowed => {
                "The gateway answers only requests addressed to 127.0.0.1 or localhost.".into()
            }
            GatewayError::NotFound => format!(
                "The gateway forwards Autotask's REST API only: paths under {REST_BASE}, without \
                 dot segments or encoded slashes."
            ),
            GatewayError::MethodNotAllowed { method } => format!(
                "{method} is not a method of Autotask's REST API (GET, POST, PUT, PATCH, DELETE)."
            ),
            GatewayError::ReadOnly {
                method,
                entity,
                writable,
            } => {
                let what = format!("{method} on {entity} would change Autotask data");
                if writable.is_empty() {
                    format!(
                        "{what}, and this gateway is read-only: GET and the query verbs pass; \
                         create, update and delete need the gateway to be started with --write. \
                         Do not retry: ask the person running it."
                    )
                } else {
                    format!(
                        "{what}; this gateway writes only {}. Do not retry: ask the person \
                         running it to add the entity with --write-entity.",
                        writable.join(", ")
                    )
                }
            }
            GatewayError::BudgetExhausted {
                budget,
                retry_after_s,
            } => format!(
                "This session has sent its budget of {budget} requests in the last hour (the \
                 tenant's hourly limit is shared by every integration). Wait {retry_after_s} s \
                 before the next request."
            ),
            GatewayError::CredentialsRefused => "Autotask refused the profile's credentials, so \
                 the gateway sends nothing more (repeated refusals lock the API user). Do not \
                 retry: the person running it must check the profile (autotask-connect profile \
                 check NAME) and start the gateway again."
                .into(),
            GatewayError::RequestTooLarge { limit } => format!(
                "The request body is larger than the gateway passes on ({} MiB).",
                limit / (1024 * 1024)
            ),
            GatewayError::Unreachable { message } => {
                format!("Autotask could not be reached: {message}")
            }
            GatewayError::TimedOut { message } => format!(
                "{message} A create, update or delete may have been carried out: check before \
                 sending it again."
            ),
            GatewayError::Redirected { status } => format!(
                "Autotask answered HTTP {status} with a redirect; the gateway never follows one \
                 (it would carry the credentials elsewhere)."
            ),
        }
    }

    /// Seconds to wait before retrying, when waiting helps.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            GatewayError::BudgetExhausted { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        }
    }

    /// The read-only refusal for `route`.
    pub fn read_only(method: &str, route: &Route, writes: &WritePolicy) -> GatewayError {
        GatewayError::ReadOnly {
            method: format!("{} ({})", method.to_ascii_uppercase(), route.verb.word()),
            entity: route.entity.clone(),
            writable: if writes.write {
                writes.entities.clone()
            } else {
                Vec::new()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::MAX_REQUEST_BYTES;
    use super::*;

    #[test]
    fn every_answer_of_the_gateway_has_a_kind_a_status_and_a_sentence() {
        let all = [
            GatewayError::InvalidToken,
            GatewayError::HostNotAllowed,
            GatewayError::NotFound,
            GatewayError::MethodNotAllowed {
                method: "TRACE".into(),
            },
            GatewayError::ReadOnly {
                method: "POST (create)".into(),
                entity: "Tickets".into(),
                writable: vec![],
            },
            GatewayError::BudgetExhausted {
                budget: 5,
                retry_after_s: 3599,
            },
            GatewayError::CredentialsRefused,
            GatewayError::RequestTooLarge {
                limit: MAX_REQUEST_BYTES,
            },
            GatewayError::Unreachable {
                message: "TCP: no route.".into(),
            },
            GatewayError::TimedOut {
                message: "It did not answer.".into(),
            },
            GatewayError::Redirected { status: 302 },
        ];
        let mut kinds: Vec<&str> = all.iter().map(GatewayError::kind).collect();
        kinds.dedup();
        assert_eq!(kinds.len(), all.len());
        for e in &all {
            assert!(e.status() >= 400 && e.status() != 500, "{e:?}");
            assert!(e.message().ends_with('.'), "{e:?}: {}", e.message());
        }
        assert_eq!(all[5].retry_after_s(), Some(3599));
        assert_eq!(all[6].retry_after_s(), None);
    }
}
