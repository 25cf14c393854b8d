//! The wire: TLS with the certificate chosen from the client's SNI, a small
//! HTTP/1.1 server written by hand so that faults (resets, stalls, slow and
//! endless bodies) can be injected exactly where a real network fails, and
//! a record of every request received.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::LazyConfigAcceptor;

use crate::tls::{Authority, Presented};
use crate::world::{SimRequest, SimResponse, World};

/// A request as it arrived, secrets included: tests assert on them (for
/// example, that a wrong secret reached Autotask exactly once).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The TLS server name the client asked for.
    pub sni: Option<String>,
    /// The `Host` header, without port.
    pub host: String,
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// The body, as sent (queries, creates and updates have one).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether `needle` appears anywhere in the request line or headers.
    pub fn carries(&self, needle: &str) -> bool {
        self.target.contains(needle)
            || self
                .headers
                .iter()
                .any(|(k, v)| k.contains(needle) || v.contains(needle))
    }

    /// Whether the path (case-insensitively) contains `fragment`.
    pub fn is_for(&self, fragment: &str) -> bool {
        self.target
            .to_ascii_lowercase()
            .contains(&fragment.to_ascii_lowercase())
    }
}

/// What a matching request gets instead of (or on top of) Autotask's answer.
#[derive(Clone, Debug)]
pub enum Action {
    /// Extra latency before the answer (adds to the global latency).
    Delay(Duration),
    /// Read the request, then reset the connection without answering.
    ResetBeforeResponse,
    /// Send the headers and half the body, then reset the connection.
    ResetMidResponse,
    /// Read the request and never answer.
    Stall,
    /// Send Autotask's answer `chunk` bytes at a time, one chunk per `every`.
    SlowBody { chunk: usize, every: Duration },
    /// A 200 whose chunked body never ends.
    EndlessBody,
    /// A canned answer.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// A 200 JSON answer of this many bytes.
    Oversized(usize),
    /// A hostile or debugging server: `status` with every request header
    /// (the secret among them) quoted back in a JSON error and in `Location`
    /// and `Retry-After`, after `pad` characters, so that a client's cut of
    /// the text can land anywhere inside a value.
    EchoHeaders { status: u16, pad: usize },
}

impl Action {
    pub fn respond(status: u16, content_type: &str, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }
    pub fn redirect(location: &str) -> Action {
        Action::Respond {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: String::new(),
        }
    }
    pub fn rate_limited(retry_after: Option<u64>) -> Action {
        let mut headers = vec![("Content-Type".into(), "application/json".into())];
        if let Some(s) = retry_after {
            headers.push(("Retry-After".into(), s.to_string()));
        }
        Action::Respond {
            status: 429,
            headers,
            body:
                r#"{"errors":["Request limit exceeded: 10000 requests in the last 60 minutes."]}"#
                    .into(),
        }
    }
}

/// A fault injected into matching requests.
#[derive(Clone, Debug)]
pub struct Fault {
    /// Only requests whose `Host` equals this (case-insensitive).
    pub host: Option<String>,
    /// Only requests whose path contains this (case-insensitive).
    pub path: Option<String>,
    /// How many requests it applies to; `None` for all.
    pub times: Option<u32>,
    pub action: Action,
}

impl Fault {
    pub fn new(action: Action) -> Fault {
        Fault {
            host: None,
            path: None,
            times: None,
            action,
        }
    }
    pub fn on_host(mut self, host: &str) -> Fault {
        self.host = Some(host.to_ascii_lowercase());
        self
    }
    pub fn on_path(mut self, path: &str) -> Fault {
        self.path = Some(path.to_ascii_lowercase());
        self
    }
    pub fn times(mut self, n: u32) -> Fault {
        self.times = Some(n);
        self
    }
    fn matches(&self, host: &str, target: &str) -> bool {
        self.times != Some(0)
            && self
                .host
                .as_deref()
                .is_none_or(|h| h.eq_ignore_ascii_case(host))
            && self
                .path
                .as_deref()
                .is_none_or(|p| target.to_ascii_lowercase().contains(p))
    }
}

/// A fault at connection time, chosen by the server name the client asks for.
#[derive(Clone, Debug)]
pub struct ConnectionFault {
    pub sni: Option<String>,
    pub times: Option<u32>,
    pub kind: ConnectionFaultKind,
}

#[derive(Clone, Copy, Debug)]
pub enum ConnectionFaultKind {
    /// Present another certificate.
    Present(Presented),
    /// Close the TCP connection after the client's hello, with no answer.
    CloseDuringHandshake,
    /// Answer the client's hello only after this long (a first handshake
    /// slowed by an inspecting firewall or a revocation check).
    SlowHandshake(Duration),
}

/// How much of each request the simulator keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Log {
    /// Every request whole, for tests to inspect.
    Full,
    /// The app's demo tenant: at most this many of the latest requests, and
    /// of their headers only the names, no body: it keeps nothing a
    /// technician typed.
    Private(usize),
}

pub(crate) struct Shared {
    pub world: Mutex<World>,
    pub faults: Mutex<Vec<Fault>>,
    pub connection_faults: Mutex<Vec<ConnectionFault>>,
    pub log: Log,
    pub requests: Mutex<Vec<RecordedRequest>>,
    pub latency: Mutex<Duration>,
    pub authority: Authority,
    pub connections: AtomicU64,
    /// Requests being answered now, and the most there ever were at once.
    pub in_flight: AtomicU64,
    pub max_in_flight: AtomicU64,
}

fn take_matching<T: Clone>(
    list: &Mutex<Vec<T>>,
    times: impl Fn(&mut T) -> &mut Option<u32>,
    matches: impl Fn(&T) -> bool,
) -> Option<T> {
    let mut list = list.lock().expect("faults");
    let found = list.iter_mut().find(|f| matches(f))?;
    if let Some(n) = times(found) {
        *n -= 1;
    }
    Some(found.clone())
}

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        shared.connections.fetch_add(1, Ordering::Relaxed);
        let shared = shared.clone();
        tokio::spawn(async move {
            let _ = connection(tcp, shared).await;
        });
    }
}

async fn connection(tcp: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let _ = tcp.set_nodelay(true);
    let start = LazyConfigAcceptor::new(rustls::server::Acceptor::default(), tcp).await?;
    let sni = start
        .client_hello()
        .server_name()
        .map(str::to_ascii_lowercase);
    let fault = take_matching(
        &shared.connection_faults,
        |f| &mut f.times,
        |f| f.times != Some(0) && f.sni.as_deref().is_none_or(|s| Some(s) == sni.as_deref()),
    );
    let presented = match fault.map(|f| f.kind) {
        Some(ConnectionFaultKind::CloseDuringHandshake) => {
            drop(start);
            return Ok(());
        }
        Some(ConnectionFaultKind::Present(p)) => p,
        Some(ConnectionFaultKind::SlowHandshake(d)) => {
            tokio::time::sleep(d).await;
            Presented::Autotask
        }
        None => Presented::Autotask,
    };
    let mut tls = start
        .into_stream(shared.authority.config(presented))
        .await?;
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let Some((request, consumed)) = read_request(&mut tls, &mut buf, sni.as_deref()).await?
        else {
            return Ok(());
        };
        buf.drain(..consumed);
        {
            let mut log = shared.requests.lock().expect("requests");
            match shared.log {
                Log::Full => log.push(request.clone()),
                Log::Private(keep) => {
                    let mut kept = request.clone();
                    for (_, value) in &mut kept.headers {
                        value.clear();
                    }
                    kept.body.clear();
                    log.push(kept);
                    let over = log.len().saturating_sub(keep);
                    log.drain(..over);
                }
            }
        }
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);

        let global = *shared.latency.lock().expect("latency");
        let mut delay = global;
        for f in shared.faults.lock().expect("faults").iter_mut() {
            if let Action::Delay(d) = f.action
                && f.matches(&request.host, &request.target)
            {
                delay += d;
                if let Some(n) = f.times.as_mut() {
                    *n -= 1;
                }
            }
        }
        let fault = take_matching(
            &shared.faults,
            |f| &mut f.times,
            |f| !matches!(f.action, Action::Delay(_)) && f.matches(&request.host, &request.target),
        );

        let (response, slot) = match &fault {
            Some(Fault {
                action:
                    Action::Respond {
                        status,
                        headers,
                        body,
                    },
                ..
            }) => (
                SimResponse {
                    status: *status,
                    headers: headers.clone(),
                    body: body.clone().into_bytes(),
                },
                None,
            ),
            Some(Fault {
                action: Action::EchoHeaders { status, pad },
                ..
            }) => {
                let echoed: String = request
                    .headers
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}; "))
                    .collect();
                let text = format!("{}{echoed}", "p".repeat(*pad));
                (
                    SimResponse {
                        status: *status,
                        headers: vec![
                            ("Content-Type".into(), "application/json".into()),
                            (
                                "Location".into(),
                                format!("https://{}/{echoed}", request.host),
                            ),
                            ("Retry-After".into(), echoed.clone()),
                        ],
                        body: serde_json::json!({ "errors": [text] })
                            .to_string()
                            .into_bytes(),
                    },
                    None,
                )
            }
            Some(Fault {
                action: Action::Oversized(n),
                ..
            }) => {
                let mut body = br#"{"errors":[""#.to_vec();
                body.resize(*n, b'x');
                (
                    SimResponse {
                        status: 200,
                        headers: vec![("Content-Type".into(), "application/json".into())],
                        body,
                    },
                    None,
                )
            }
            _ => {
                let mut world = shared.world.lock().expect("world");
                world.handle(&SimRequest {
                    method: &request.method,
                    host: &request.host,
                    target: &request.target,
                    headers: &request.headers,
                    body: &request.body,
                })
            }
        };
        tokio::time::sleep(delay).await;
        let outcome = write_with_fault(&mut tls, &response, fault.map(|f| f.action)).await;
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        if let Some(slot) = slot {
            shared.world.lock().expect("world").finish(slot);
        }
        match outcome {
            Ok(true) => continue,
            Ok(false) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// Reads one request: its head, and its body when `Content-Length` says
/// it has one.
/// `None` when the client closed the connection between requests.
async fn read_request<S: AsyncRead + Unpin>(
    io: &mut S,
    buf: &mut Vec<u8>,
    sni: Option<&str>,
) -> std::io::Result<Option<(RecordedRequest, usize)>> {
    loop {
        let parsed = {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(buf) {
                Ok(httparse::Status::Complete(head_len)) => Some(Some((
                    head_len,
                    req.method.unwrap_or("").to_string(),
                    req.path.unwrap_or("").to_string(),
                    req.headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_string(),
                                String::from_utf8_lossy(h.value).into_owned(),
                            )
                        })
                        .collect::<Vec<_>>(),
                ))),
                Ok(httparse::Status::Partial) if buf.len() < 64 * 1024 => None,
                _ => Some(None),
            }
        };
        let (head_len, method, target, headers) = match parsed {
            None => {
                if io.read_buf(buf).await? == 0 {
                    return Ok(None);
                }
                continue;
            }
            Some(None) => return Ok(None),
            Some(Some(p)) => p,
        };
        let body_len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while buf.len() < head_len + body_len {
            if io.read_buf(buf).await? == 0 {
                return Ok(None);
            }
        }
        let host = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.split(':').next().unwrap_or("").to_ascii_lowercase())
            .or_else(|| sni.map(str::to_string))
            .unwrap_or_default();
        let recorded = RecordedRequest {
            sni: sni.map(str::to_string),
            host,
            method,
            target,
            headers,
            body: buf[head_len..head_len + body_len].to_vec(),
        };
        return Ok(Some((recorded, head_len + body_len)));
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        421 => "Misdirected Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn head(response: &SimResponse, length: Option<usize>) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nServer: autotask-simulator\r\n",
        response.status,
        reason(response.status)
    );
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match length {
        Some(n) => head.push_str(&format!("Content-Length: {n}\r\n")),
        None => head.push_str("Transfer-Encoding: chunked\r\n"),
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Writes the answer, or the fault instead. `Ok(false)` ends the connection.
async fn write_with_fault(
    tls: &mut tokio_rustls::server::TlsStream<TcpStream>,
    response: &SimResponse,
    action: Option<Action>,
) -> std::io::Result<bool> {
    let body = &response.body;
    match action {
        Some(Action::ResetBeforeResponse) => {
            reset(tls);
            Ok(false)
        }
        Some(Action::ResetMidResponse) => {
            tls.write_all(&head(response, Some(body.len().max(64))))
                .await?;
            tls.write_all(&body[..body.len() / 2]).await?;
            tls.flush().await?;
            tokio::time::sleep(Duration::from_millis(20)).await;
            reset(tls);
            Ok(false)
        }
        Some(Action::Stall) => {
            // Hold the connection until the client gives up.
            let mut sink = [0u8; 256];
            let _ = tokio::time::timeout(Duration::from_secs(600), tls.read(&mut sink)).await;
            Ok(false)
        }
        Some(Action::SlowBody { chunk, every }) => {
            tls.write_all(&head(response, Some(body.len()))).await?;
            tls.flush().await?;
            for part in body.chunks(chunk.max(1)) {
                tokio::time::sleep(every).await;
                tls.write_all(part).await?;
                tls.flush().await?;
            }
            Ok(true)
        }
        Some(Action::EndlessBody) => {
            let ok = SimResponse::json(200, serde_json::Value::Null);
            tls.write_all(&head(&ok, None)).await?;
            tls.write_all(b"1\r\n[\r\n").await?;
            loop {
                tls.write_all(b"10\r\n{\"items\":[1,2,3]\r\n").await?;
                tls.flush().await?;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        _ => {
            let mut out = head(response, Some(body.len()));
            out.extend_from_slice(body);
            tls.write_all(&out).await?;
            tls.flush().await?;
            Ok(true)
        }
    }
}

fn reset(tls: &tokio_rustls::server::TlsStream<TcpStream>) {
    let _ = tls.get_ref().0.set_zero_linger();
}
