//! The one other place that sends a profile's credentials (the door's
//! check is the first, `check/run.rs`): a client's request, with the
//! session's credentials instead of its token, to the session's zone; and
//! what the client may see of the answer.
//! `architecture::only_the_door_starts_a_check` holds it to that.

use crate::check::Session;
use crate::limits::{self, Route};
use crate::redact::Redactor;
use crate::rest;
use crate::transport::{Answer, Transport, TransportError};

/// Sends `route` with the session's credentials. `headers` are the
/// client's, as far as the gateway passes them on (never a credential).
pub(super) async fn send(
    session: &Session,
    transport: &Transport,
    method: &str,
    route: &Route,
    headers: &[(&'static str, String)],
    body: Option<Vec<u8>>,
) -> Result<Answer, TransportError> {
    rest::authenticated_request(
        transport,
        session.zone(),
        method,
        &route.path_and_query,
        headers,
        body,
        session.credentials(),
    )
    .await
}

/// What hides the session's secret and integration code in everything
/// the gateway answers.
pub(super) fn redactor(session: &Session) -> Redactor {
    let credentials = session.credentials();
    Redactor::new(
        credentials.secret.clone(),
        credentials.integration_code.as_str(),
    )
}

/// Autotask's answer as the client gets it.
#[derive(Debug)]
pub(super) struct ClientAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

/// What the client sees of `answer`: its status, content type,
/// `Retry-After` and body, every spelling of the secret's and the code's
/// start hidden (an echo of the request's headers included), and the
/// zone's page addresses (`nextPageUrl`) pointing at the gateway's `base`.
/// A body that is not UTF-8 is read as UTF-8 with replacements: bytes that
/// cannot be scrubbed are not passed on.
pub(super) fn for_client(
    answer: Answer,
    redactor: &Redactor,
    api_host: &str,
    base: &str,
) -> ClientAnswer {
    let scrubbed = |text: String| {
        let mut text = text;
        redactor.scrub(&mut text);
        text
    };
    let body = match String::from_utf8(answer.body) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let body = scrubbed(body);
    let body = limits::rewrite_zone_urls(&body, api_host, base).unwrap_or(body);
    ClientAnswer {
        status: answer.status,
        content_type: answer.content_type.map(scrubbed),
        retry_after: answer.retry_after.map(scrubbed),
        body: body.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Secret;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn the_client_sees_no_echo_of_the_credentials() {
        let secret = "Zs4*Kq9#mW2~pL7$xR5@nB8vT";
        let code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ1";
        let redactor = Redactor::new(Arc::new(Secret::new(secret.into())), code);
        let body = format!(
            r#"{{"errors":["Secret: {secret}; ApiIntegrationCode: {code}; again %5A%73%34%2A%4B%71 \u005a\u0073\u0034*kq9"],"nextPageUrl":"https://webservices5.autotask.net/ATServicesRest/V1.0/x"}}"#
        );
        let answer = Answer {
            status: 500,
            content_type: Some(format!("application/json; x={}", &secret[..8])),
            location: None,
            retry_after: Some(format!("60 {code}")),
            body: body.into_bytes(),
            elapsed: Duration::ZERO,
        };
        let seen = for_client(
            answer,
            &redactor,
            "webservices5.autotask.net",
            "http://127.0.0.1:9/ATServicesRest/",
        );
        let text = format!(
            "{} {} {}",
            String::from_utf8(seen.body.clone()).unwrap(),
            seen.content_type.unwrap(),
            seen.retry_after.unwrap()
        );
        for part in [&secret[..6], &code[..6], "Zs4*Kq", "zs4*kq"] {
            assert!(!text.contains(part), "{part} in {text}");
        }
        assert!(
            text.contains("http://127.0.0.1:9/ATServicesRest/V1.0/x"),
            "{text}"
        );
        assert_eq!(seen.status, 500);
    }

    #[test]
    fn bytes_that_are_not_text_are_replaced_not_passed_on() {
        let redactor = Redactor::new(
            Arc::new(Secret::new("Zs4*Kq9#mW2~pL7$xR5@nB8vT".into())),
            "",
        );
        let mut body = b"Zs4*Kq9".to_vec();
        body.push(0xff);
        let answer = Answer {
            status: 200,
            content_type: None,
            location: None,
            retry_after: None,
            body,
            elapsed: Duration::ZERO,
        };
        let seen = for_client(answer, &redactor, "h", "b");
        assert_eq!(String::from_utf8(seen.body).unwrap(), "<secret>\u{fffd}");
    }
}
