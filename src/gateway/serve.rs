//! The gateway's HTTP/1.1 server on loopback: one answer per request, in
//! this order: the host, the token, the route, a refused login, the
//! read-only rule, the body, the budget, the entity's turn (at most
//! [`THREADS_PER_ENTITY`] in flight), then Autotask. Its counts go to
//! `status` (the gateways folder) and, with `--log`, a line per request.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue, RETRY_AFTER};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use super::forward;
use super::log::Log;
use crate::check::Session;
use crate::limits::{
    self, Budget, GatewayError, Limits, MAX_REQUEST_BYTES, REST_BASE, Route, THREADS_PER_ENTITY,
    Unroutable,
};
use crate::redact::Redactor;
use crate::store::config;
use crate::store::gateways::{GatewayRecord, GatewayState, Registration};
use crate::transport::{Layer, Transport};
use crate::view;

/// Request headers passed on to Autotask (lower case): what a body needs
/// and impersonation, which is the client's call. Never a credential.
const PASSED_ON: [&str; 2] = ["content-type", "impersonationresourceid"];

/// What every connection shares.
pub(super) struct Shared {
    profile: String,
    session: Session,
    transport: Transport,
    token: Zeroizing<String>,
    port: u16,
    limits: Limits,
    budget: Mutex<Budget>,
    /// One queue per entity (lower case), [`THREADS_PER_ENTITY`] wide.
    lanes: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Autotask refused the credentials: nothing more is sent.
    refused_login: AtomicBool,
    redactor: Redactor,
    tally: Mutex<Tally>,
    log: Option<Log>,
    started_at: String,
    /// Bumped on every change `status` should see.
    generation: AtomicU64,
}

#[derive(Default)]
struct Tally {
    requests: u64,
    refused: u64,
    entities: BTreeMap<String, u64>,
}

impl Shared {
    pub(super) fn new(
        profile: String,
        session: Session,
        transport: Transport,
        token: Zeroizing<String>,
        port: u16,
        limits: Limits,
        log: Option<Log>,
    ) -> Shared {
        let redactor = forward::redactor(&session);
        Shared {
            profile,
            transport,
            token,
            port,
            budget: Mutex::new(Budget::new(limits.budget)),
            limits,
            lanes: Mutex::default(),
            refused_login: AtomicBool::new(false),
            redactor,
            tally: Mutex::default(),
            log,
            started_at: config::now(),
            generation: AtomicU64::new(0),
            session,
        }
    }

    pub(super) fn port(&self) -> u16 {
        self.port
    }

    pub(super) fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(super) fn url(&self) -> String {
        format!("http://127.0.0.1:{}{REST_BASE}", self.port)
    }

    /// `http://127.0.0.1:PORT/ATServicesRest/`, what the zone's addresses
    /// in answers are rewritten to.
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}/ATServicesRest/", self.port)
    }

    pub(super) fn environment(&self) -> Vec<(&'static str, String)> {
        limits::environment(
            &self.profile,
            self.port,
            &self.token,
            &self.session.web_url(),
            &self.limits,
        )
    }

    fn changed(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// What `status` shows of this gateway now.
    pub(super) fn record(&self) -> GatewayRecord {
        let tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        let last_hour = self
            .budget
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last_hour(Instant::now());
        GatewayRecord {
            profile: self.profile.clone(),
            pid: std::process::id(),
            url: self.url(),
            started_at: self.started_at.clone(),
            updated_at: config::now(),
            state: if self.refused_login.load(Ordering::SeqCst) {
                GatewayState::CredentialsRefused
            } else {
                GatewayState::Serving
            },
            read_only: !self.limits.writes.write,
            write_entities: self.limits.writes.entities.clone(),
            budget: self.limits.budget,
            tenant_threshold: self.session.usage().map(|u| u.limit),
            requests: tally.requests,
            last_hour,
            refused: tally.refused,
            entities: tally.entities.clone(),
        }
    }

    fn lane(&self, entity: &str) -> Arc<Semaphore> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
        lanes
            .entry(entity.to_ascii_lowercase())
            .or_insert_with(|| Arc::new(Semaphore::new(THREADS_PER_ENTITY)))
            .clone()
    }

    fn count_sent(&self, entity: &str) {
        let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        tally.requests += 1;
        *tally.entities.entry(entity.to_string()).or_default() += 1;
        drop(tally);
        self.changed();
    }

    fn count_refused(&self) {
        self.tally.lock().unwrap_or_else(|e| e.into_inner()).refused += 1;
        self.changed();
    }

    /// Autotask answered 401: the gateway stops sending, and the ledger
    /// records the refusal (each one Autotask gave: requests already in
    /// flight when the first came back count too).
    async fn login_refused(&self) {
        self.refused_login.store(true, Ordering::SeqCst);
        self.changed();
        if let Err(e) = self.session.refused().await {
            eprintln!(
                "autotask-connect: the refused login could not be recorded in the lockout \
                 guard: {e}"
            );
        }
    }
}

/// Accepts connections until the task is aborted (which ends them all).
pub(super) async fn accept(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, _)) = accepted else {
                    // Out of file descriptors, say: do not spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = tcp.set_nodelay(true);
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(&shared, req).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tcp), service)
                        .await;
                });
            }
            Some(_) = connections.join_next() => {}
        }
    }
}

/// Keeps the gateway's record for `status` current: at most once a second
/// when something changed, and once a minute anyway (the last hour moves).
pub(super) async fn publish(shared: Arc<Shared>, registration: Registration) {
    let mut seen = shared.generation.load(Ordering::Relaxed);
    let mut written = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let now = shared.generation.load(Ordering::Relaxed);
        if now != seen || written.elapsed() >= Duration::from_secs(60) {
            // A small file, replaced atomically: quicker than a hop to a
            // blocking thread.
            let _ = registration.update(&shared.record());
            seen = now;
            written = Instant::now();
        }
    }
}

type Answer = Response<Full<Bytes>>;

async fn handle(shared: &Shared, req: Request<Incoming>) -> Answer {
    let started = Instant::now();
    let method = req.method().as_str().to_string();
    let (entity, outcome) = answer(shared, &method, req).await;
    let response = match outcome {
        Ok(r) => r,
        Err((e, sent)) => {
            if !sent {
                shared.count_refused();
            }
            own(&e, &shared.redactor)
        }
    };
    if let Some(log) = &shared.log {
        log.line(
            &method,
            entity.as_deref(),
            response.status().as_u16(),
            started.elapsed(),
        );
    }
    response
}

/// The gateway's own answer: the error view as JSON (and `Retry-After`).
fn own(e: &GatewayError, redactor: &Redactor) -> Answer {
    let mut view = view::GatewayError::from(e);
    // Transport sentences quote what came back; nothing of a credential leaves.
    redactor.scrub(&mut view.message);
    view.errors.iter_mut().for_each(|t| redactor.scrub(t));
    let body = serde_json::to_vec(&view).expect("a view serializes");
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(e.status()).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(s) = e.retry_after_s() {
        headers.insert(RETRY_AFTER, HeaderValue::from(s));
    }
    response
}

/// An error, and whether the request went to Autotask first.
type Refusal = (GatewayError, bool);

fn header(req: &Request<Incoming>, name: impl hyper::header::AsHeaderName) -> Option<&[u8]> {
    req.headers().get(name).map(HeaderValue::as_bytes)
}

async fn answer(
    shared: &Shared,
    method: &str,
    req: Request<Incoming>,
) -> (Option<String>, Result<Answer, Refusal>) {
    let host = header(&req, HOST).and_then(|h| std::str::from_utf8(h).ok());
    if !limits::is_own_host(host, shared.port) {
        return (None, Err((GatewayError::HostNotAllowed, false)));
    }
    if !limits::carries_token(
        &shared.token,
        header(&req, "secret"),
        header(&req, AUTHORIZATION),
    ) {
        return (None, Err((GatewayError::InvalidToken, false)));
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or(req.uri().path(), |p| p.as_str());
    let route = match limits::route(method, target) {
        Ok(r) => r,
        Err(Unroutable::NotFound) => return (None, Err((GatewayError::NotFound, false))),
        Err(Unroutable::MethodNotAllowed) => {
            let method = method.to_string();
            return (
                None,
                Err((GatewayError::MethodNotAllowed { method }, false)),
            );
        }
    };
    let entity = Some(route.entity.clone());
    if route.zone_lookup {
        return (entity, Ok(zone_information(shared)));
    }
    let result = send(shared, method, &route, req).await;
    (entity, result)
}

async fn send(
    shared: &Shared,
    method: &str,
    route: &Route,
    req: Request<Incoming>,
) -> Result<Answer, Refusal> {
    let stopped = || shared.refused_login.load(Ordering::SeqCst);
    if stopped() {
        return Err((GatewayError::CredentialsRefused, false));
    }
    if !shared.limits.writes.permits(route) {
        let e = GatewayError::read_only(method, route, &shared.limits.writes);
        return Err((e, false));
    }
    let headers: Vec<(&'static str, String)> = PASSED_ON
        .iter()
        .filter_map(|name| {
            let value = req.headers().get(*name)?.to_str().ok()?;
            Some((*name, value.to_string()))
        })
        .collect();
    let body = match Limited::new(req.into_body(), MAX_REQUEST_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let e = GatewayError::RequestTooLarge {
                limit: MAX_REQUEST_BYTES,
            };
            return Err((e, false));
        }
    };
    let body =
        (!body.is_empty() || matches!(method, "POST" | "PUT" | "PATCH")).then(|| body.to_vec());
    let taken = shared
        .budget
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take(Instant::now());
    if let Err(wait) = taken {
        let e = GatewayError::BudgetExhausted {
            budget: shared.limits.budget,
            retry_after_s: limits::retry_after_seconds(wait),
        };
        return Err((e, false));
    }
    // Autotask's thread limit: wait for the entity's turn, never fail.
    let lane = shared.lane(&route.entity);
    let _turn = lane.acquire_owned().await.expect("lanes are never closed");
    if stopped() {
        // Not sent: the budget gets the request back (the latest taken,
        // which counts the same for the hour).
        shared
            .budget
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .give_back();
        return Err((GatewayError::CredentialsRefused, false));
    }
    shared.count_sent(&route.entity);
    let sent = forward::send(
        &shared.session,
        &shared.transport,
        method,
        route,
        &headers,
        body,
    )
    .await;
    let answer = match sent {
        Ok(a) => a,
        Err(t) => {
            let e = match t.layer {
                Layer::Timeout => GatewayError::TimedOut { message: t.message },
                _ => GatewayError::Unreachable { message: t.message },
            };
            return Err((e, t.sent));
        }
    };
    if answer.status == 401 {
        shared.login_refused().await;
        return Err((GatewayError::CredentialsRefused, true));
    }
    if (300..400).contains(&answer.status) {
        let status = answer.status;
        return Err((GatewayError::Redirected { status }, true));
    }
    let seen = forward::for_client(
        answer,
        &shared.redactor,
        &shared.session.zone().api_host(),
        &shared.base(),
    );
    let mut response = Response::new(Full::new(Bytes::from(seen.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(seen.status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    for (name, value) in [
        (CONTENT_TYPE, seen.content_type),
        (RETRY_AFTER, seen.retry_after),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            response.headers_mut().insert(name, v);
        }
    }
    Ok(response)
}

/// `zoneInformation` answered by the gateway: its own REST base, so a
/// client that looks its zone up through `AUTOTASK_API_URL` stays on it.
fn zone_information(shared: &Shared) -> Answer {
    let view = view::GatewayZone {
        zone_name: "Autotask Connect gateway".into(),
        url: shared.base(),
        web_url: shared.session.web_url(),
    };
    let body = serde_json::to_vec(&view).expect("a view serializes");
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
