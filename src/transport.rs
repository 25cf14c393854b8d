//! The one HTTP client, and what went wrong on the wire in words a
//! technician can act on.
//!
//! - HTTPS only, no redirects followed (a redirect would carry the
//!   credential headers to whatever host it names), every request bounded by
//!   a connect timeout and a total timeout, bodies capped in size.
//! - Tests and the demo tenant reach the simulator through the same code:
//!   a connect override in curl's `--connect-to` syntax changes only where
//!   the TCP connection goes; TLS still verifies the Autotask host name, and
//!   an extra root certificate is trusted *in addition to* the system's.
//!   There is no switch that accepts any host or skips verification.

use std::error::Error as StdError;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Serialize;

/// The only port the app connects to.
const HTTPS_PORT: u16 = 443;

mod connect_to;
pub(crate) use connect_to::parse_connect_to_list;
pub use connect_to::{ConnectTo, ConnectToError};

#[derive(Clone, Debug)]
pub struct TransportConfig {
    pub connect_to: Vec<ConnectTo>,
    /// PEM of extra root certificates, trusted in addition to the system's.
    pub extra_roots_pem: Option<Vec<u8>>,
    pub connect_timeout: Duration,
    /// Bound on a whole request: connect, send, headers and body.
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
}

/// How long connecting (TCP, proxy tunnel, TLS handshake) may take within a
/// request's `timeout`: nine tenths, so that a connection that never
/// completes is reported as one (no credentials sent) before the request's
/// own timeout would report it as an unanswered request.
pub fn connect_allowance(timeout: Duration) -> Duration {
    timeout * 9 / 10
}

impl Default for TransportConfig {
    fn default() -> TransportConfig {
        TransportConfig {
            connect_to: Vec::new(),
            extra_roots_pem: None,
            // The connection, TLS handshake included, may use most of the
            // request's allowance: a first handshake has been seen to take
            // 11.4 s (then 0.2 s), which a 10 s connect bound called a failure.
            connect_timeout: connect_allowance(Duration::from_secs(20)),
            // Autotask answers these calls in about a second; three levels
            // of 20 s bound a whole check to a minute even when it stalls.
            request_timeout: Duration::from_secs(20),
            max_body_bytes: 1024 * 1024,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TransportSetupError {
    #[error("The extra CA certificate file is not a PEM certificate: {0}")]
    BadCertificate(#[source] reqwest::Error),
    #[error("The HTTPS client could not be set up: {0}")]
    Client(#[source] reqwest::Error),
}

/// Routing or trust options that cannot be used (`--connect-to`, `--ca-cert`
/// and their environment variables).
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    #[error("{0}")]
    ConnectTo(#[from] ConnectToError),
    #[error("The CA certificate file {path} cannot be read: {source}")]
    CaCertUnreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Setup(#[from] TransportSetupError),
}

impl OptionsError {
    /// A bad `--connect-to` is a usage mistake; the rest is about the CA file.
    pub fn kind(&self) -> &'static str {
        match self {
            OptionsError::ConnectTo(_) => "usage",
            OptionsError::CaCertUnreadable { .. } | OptionsError::Setup(_) => "invalid_ca_cert",
        }
    }
}

/// A name lookup failure from our resolver, recognizable in an error chain.
#[derive(Debug, thiserror::Error)]
#[error("could not resolve {host}: {detail}")]
struct DnsFailure {
    host: String,
    detail: String,
}

/// DNS with the connect overrides applied.
struct Resolver {
    rules: Arc<Vec<ConnectTo>>,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let rule = self.rules.iter().find(|r| r.applies_to(&host)).cloned();
        Box::pin(async move {
            let (target, port) = match &rule {
                Some(r) => (
                    r.to_host.clone().unwrap_or_else(|| host.clone()),
                    r.to_port.unwrap_or(HTTPS_PORT),
                ),
                // Port 0: the connector fills in the URL's port.
                None => (host.clone(), 0),
            };
            if let Ok(ip) = target.parse::<IpAddr>() {
                let addrs: Addrs = Box::new(std::iter::once(SocketAddr::new(ip, port)));
                return Ok(addrs);
            }
            match tokio::net::lookup_host((target.as_str(), port)).await {
                Ok(found) => {
                    let found: Vec<SocketAddr> = found.collect();
                    if found.is_empty() {
                        return Err(Box::new(DnsFailure {
                            host,
                            detail: "no addresses".into(),
                        })
                            as Box<dyn StdError + Send + Sync>);
                    }
                    let addrs: Addrs = Box::new(found.into_iter());
                    Ok(addrs)
                }
                Err(e) => Err(Box::new(DnsFailure {
                    host,
                    detail: e.to_string(),
                }) as Box<dyn StdError + Send + Sync>),
            }
        })
    }
}

/// Where on the way to Autotask a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// The host name did not resolve.
    Dns,
    /// No TCP connection (refused, unreachable, timed out).
    Tcp,
    /// The TLS handshake failed (certificate or protocol).
    Tls,
    /// The request went out but no complete answer came back in time.
    Timeout,
    /// The connection broke while the answer was on its way.
    Interrupted,
    /// The answer was larger than any Autotask answer we ask for.
    TooLarge,
    /// The proxy (`HTTPS_PROXY`) could not be reached or would not connect.
    Proxy,
    /// Anything else on the wire.
    Http,
}

/// A failure below HTTP, described without credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransportError {
    pub layer: Layer,
    pub host: String,
    /// Our sentence: what failed, and what the technician can do.
    pub message: String,
    /// The underlying error, for the report (never contains headers).
    pub detail: String,
    /// Whether the request (and so any credentials) may have reached the
    /// server: false for DNS, TCP and TLS failures.
    pub sent: bool,
}

impl TransportError {
    /// What the technician can do about it, by layer.
    pub fn fix(&self) -> String {
        match self.layer {
            Layer::Dns => "Check that this computer is online and can resolve autotask.net names \
                           (DNS settings, VPN, hosts file)."
                .into(),
            Layer::Tcp => "Allow outbound HTTPS (TCP port 443) to *.autotask.net in the firewall \
                           or proxy, or try from another network."
                .into(),
            Layer::Tls => "Something between this computer and Autotask (a firewall or proxy \
                           inspecting HTTPS, or a captive portal) is probably intercepting the \
                           connection. Exempt *.autotask.net from HTTPS inspection or install the \
                           inspecting proxy's root certificate, and check the computer's date and time."
                .into(),
            Layer::Timeout | Layer::Interrupted => "Try again in a minute. If it keeps happening, \
                           check the network path to *.autotask.net (proxy, VPN, firewall)."
                .into(),
            Layer::Proxy => "Check the proxy's address (HTTPS_PROXY, or the system's proxy \
                           settings) and that it allows connections to *.autotask.net on port \
                           443; add autotask.net to NO_PROXY if this computer may connect directly."
                .into(),
            Layer::TooLarge => "Open your Autotask portal in a browser on this computer: if a \
                           proxy, login or block page appears, have *.autotask.net allowed."
                .into(),
            Layer::Http => "Try again. If it keeps happening, send the copied report to whoever \
                           runs this computer's network."
                .into(),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// An HTTP answer, whatever its status.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
    pub elapsed: Duration,
}

/// The shared HTTPS client.
#[derive(Clone)]
pub struct Transport {
    client: reqwest::Client,
    config: Arc<TransportConfig>,
    host_limits: Option<Arc<HostLimits>>,
}

/// At most `per_host` requests in flight to any one host (Autotask's
/// thread limit is 3 concurrent calls per integration code and entity; a
/// whole batch of profiles stays under it by never exceeding 3 per host).
struct HostLimits {
    per_host: usize,
    hosts: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Semaphore>>>,
}

impl HostLimits {
    async fn acquire(&self, host: &str) -> tokio::sync::OwnedSemaphorePermit {
        let semaphore = {
            let mut hosts = self.hosts.lock().expect("host limits");
            hosts
                .entry(host.to_ascii_lowercase())
                .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(self.per_host)))
                .clone()
        };
        semaphore
            .acquire_owned()
            .await
            .expect("semaphore never closed")
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .finish()
    }
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Transport, TransportSetupError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("autotask-connect/", env!("CARGO_PKG_VERSION")))
            .https_only(true)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .dns_resolver(Resolver {
                rules: Arc::new(config.connect_to.clone()),
            });
        if !config.connect_to.is_empty() {
            // An override names where to connect; a proxy would take that over.
            builder = builder.no_proxy();
        }
        if let Some(pem) = &config.extra_roots_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(TransportSetupError::BadCertificate)?;
            builder = builder.tls_certs_merge(certs);
        }
        let client = builder.build().map_err(TransportSetupError::Client)?;
        Ok(Transport {
            client,
            config: Arc::new(config),
            host_limits: None,
        })
    }

    /// The same client, allowing at most `per_host` requests in flight to
    /// any one host across every clone of the returned transport.
    pub(crate) fn with_host_limit(&self, per_host: usize) -> Transport {
        Transport {
            client: self.client.clone(),
            config: Arc::clone(&self.config),
            host_limits: Some(Arc::new(HostLimits {
                per_host: per_host.max(1),
                hosts: Default::default(),
            })),
        }
    }

    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    /// What, besides the system's roots and a direct connection, stood
    /// behind "certificate verified" (empty when nothing did): a check
    /// through an extra CA or a connect override must not read like one
    /// that reached Autotask itself.
    pub(crate) fn how_reached(&self) -> String {
        let mut out = String::new();
        if self.config.extra_roots_pem.is_some() {
            out.push_str(", trusting an extra CA as well as the system's");
        }
        for rule in &self.config.connect_to {
            out.push_str(&format!(
                ", connecting to {}:{} instead",
                rule.to_host.as_deref().unwrap_or("the same host"),
                rule.to_port.unwrap_or(HTTPS_PORT)
            ));
        }
        if let Some(proxy) = self.proxy_for(crate::zone::DISCOVERY_HOST) {
            out.push_str(&format!(", through the proxy {proxy}"));
        }
        out
    }

    /// The proxy requests to `host` go through, as the client finds it in
    /// the environment (`HTTPS_PROXY`, `ALL_PROXY`, less `NO_PROXY`), shown
    /// without any user name or password. Connect overrides bypass proxies.
    fn proxy_for(&self, host: &str) -> Option<String> {
        if !self.config.connect_to.is_empty() {
            return None;
        }
        let var = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        };
        let proxy = var(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])?;
        let excluded = var(&["NO_PROXY", "no_proxy"]).is_some_and(|list| {
            list.split(',').map(str::trim).any(|rule| {
                let rule = rule.trim_start_matches('.').to_ascii_lowercase();
                rule == "*"
                    || (!rule.is_empty() && (host == rule || host.ends_with(&format!(".{rule}"))))
            })
        });
        if excluded {
            return None;
        }
        let shown = match proxy.split_once("://") {
            Some((scheme, rest)) => {
                format!(
                    "{scheme}://{}",
                    rest.rsplit_once('@').map_or(rest, |(_, h)| h)
                )
            }
            None => proxy
                .rsplit_once('@')
                .map_or(proxy.as_str(), |(_, h)| h)
                .to_string(),
        };
        Some(shown.trim_end_matches('/').to_string())
    }

    /// Whether a plain TCP connection to where `host` is routed opens within
    /// a few seconds. Sends nothing; tells a slow handshake from no route.
    async fn tcp_answers(&self, host: &str) -> bool {
        let (target, port) = match self.config.connect_to.iter().find(|r| r.applies_to(host)) {
            Some(r) => (
                r.to_host.clone().unwrap_or_else(|| host.to_string()),
                r.to_port.unwrap_or(HTTPS_PORT),
            ),
            None => (host.to_string(), HTTPS_PORT),
        };
        matches!(
            tokio::time::timeout(
                Duration::from_secs(3),
                tokio::net::TcpStream::connect((target.as_str(), port)),
            )
            .await,
            Ok(Ok(_))
        )
    }

    /// GETs `url` (always `https://` on an Autotask host, built by the
    /// caller from a [`crate::zone::Zone`]) with `headers`.
    pub async fn get(&self, url: &str, headers: HeaderMap) -> Result<Answer, TransportError> {
        let host = url
            .strip_prefix("https://")
            .and_then(|r| r.split('/').next())
            .unwrap_or("")
            .to_string();
        // Held until the whole body is read: the request occupies its slot.
        let _slot = match &self.host_limits {
            Some(limits) => Some(limits.acquire(&host).await),
            None => None,
        };
        let started = Instant::now();
        let response = match self.client.get(url).headers(headers).send().await {
            Ok(r) => r,
            Err(e) => {
                let mut failure = classify(&e, &host, &self.config);
                let waited = seconds(started.elapsed());
                if let Some(proxy) = self.proxy_for(&host) {
                    failure = through_proxy(failure, &proxy, waited);
                } else if failure.layer == Layer::Tcp
                    && e.is_timeout()
                    && self.tcp_answers(&host).await
                {
                    // TCP connects: it was the secure handshake that took too long.
                    failure.layer = Layer::Tls;
                    failure.message = format!(
                        "TLS: {host} accepted the connection, but the secure handshake did not \
                         finish within {waited} s. No credentials were sent."
                    );
                }
                return Err(failure);
            }
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type");
        let location = header("location");
        let retry_after = header("retry-after");
        let mut response = response;
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.config.max_body_bytes {
                        return Err(TransportError {
                            layer: Layer::TooLarge,
                            message: format!(
                                "{host} sent an answer larger than {} KiB, far more than Autotask \
                                 sends for these calls; something else may be answering for it.",
                                self.config.max_body_bytes / 1024
                            ),
                            detail: format!(
                                "HTTP {status}, body over {} bytes",
                                self.config.max_body_bytes
                            ),
                            host,
                            sent: true,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(classify(&e, &host, &self.config)),
            }
        }
        Ok(Answer {
            status,
            content_type,
            location,
            retry_after,
            body,
            elapsed: started.elapsed(),
        })
    }
}

/// Builds a header value that hyper will not log or index (HPACK).
pub(crate) fn sensitive_header(value: &str) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_bytes(value.as_bytes()).ok()?;
    v.set_sensitive(true);
    Some(v)
}

/// Every cause of an error. `io::Error` hides the error it wraps from
/// `source()` (it returns the wrapped error's own source), so it is
/// unwrapped by hand: TLS errors arrive as rustls errors inside two io errors.
fn chain<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    fn next<'a>(cur: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
        match cur
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner),
            None => cur.source(),
        }
    }
    std::iter::successors(Some(e), |cur| next(*cur))
}

fn tls_sentence(e: &rustls::Error, host: &str) -> String {
    use rustls::CertificateError as C;
    let what = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "the certificate presented was issued for a different host".to_string()
            }
            C::UnknownIssuer => {
                "the certificate presented comes from an authority this computer does not trust"
                    .to_string()
            }
            C::Expired | C::ExpiredContext { .. } => {
                "the certificate presented has expired".to_string()
            }
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "the certificate presented is not valid yet".to_string()
            }
            C::Revoked => "the certificate presented has been revoked".to_string(),
            other => format!("the certificate presented was refused ({other:?})"),
        },
        other => format!("the secure connection could not be set up ({other})"),
    };
    format!("TLS: connecting to {host}, {what}. No credentials were sent.")
}

/// A duration as a technician reads it: whole seconds, or one decimal
/// below ten.
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 || s.fract() < 0.05 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

/// A failure of a request that went through a proxy, naming the proxy:
/// what failed to connect was the proxy or its tunnel, not the path we chose.
fn through_proxy(failure: TransportError, proxy: &str, waited: String) -> TransportError {
    let host = failure.host.clone();
    let message = match failure.layer {
        Layer::Dns | Layer::Tcp => format!(
            "Proxy: no connection to {host} through the proxy {proxy} (gave up after {waited} s: \
             {}). No credentials were sent.",
            failure.detail
        ),
        _ => return failure,
    };
    TransportError {
        layer: Layer::Proxy,
        message,
        ..failure
    }
}

/// Turns a client error into the layer that failed and our sentence.
fn classify(e: &reqwest::Error, host: &str, config: &TransportConfig) -> TransportError {
    let detail = chain(e)
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    let make = |layer, message: String, sent| TransportError {
        layer,
        host: host.to_string(),
        message,
        detail: detail.clone(),
        sent,
    };
    for cause in chain(e) {
        if let Some(d) = cause.downcast_ref::<DnsFailure>() {
            return make(
                Layer::Dns,
                format!(
                    "DNS: this computer could not look up {} ({}). No credentials were sent.",
                    d.host, d.detail
                ),
                false,
            );
        }
        if let Some(t) = cause.downcast_ref::<rustls::Error>() {
            return make(Layer::Tls, tls_sentence(t, host), false);
        }
    }
    let connecting = e.is_connect();
    if e.is_timeout() {
        return if connecting {
            make(
                Layer::Tcp,
                format!(
                    "TCP: no connection to {host} on port 443 within {} s. No credentials were sent.",
                    seconds(config.connect_timeout)
                ),
                false,
            )
        } else {
            make(
                Layer::Timeout,
                format!(
                    "{host} did not finish answering within {} s.",
                    seconds(config.request_timeout)
                ),
                true,
            )
        };
    }
    let io_kind = chain(e)
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .map(|io| io.kind())
        .next();
    use std::io::ErrorKind as K;
    if connecting {
        let text = detail.to_ascii_lowercase();
        let tls_stage =
            text.contains("tls") || text.contains("handshake") || text.contains("certificate");
        return match io_kind {
            Some(K::ConnectionRefused) => make(
                Layer::Tcp,
                format!(
                    "TCP: {host} refused the connection on port 443. No credentials were sent."
                ),
                false,
            ),
            Some(K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown) => make(
                Layer::Tcp,
                format!(
                    "TCP: {host} is unreachable from this computer (no route). No credentials were sent."
                ),
                false,
            ),
            _ if tls_stage || matches!(io_kind, Some(K::UnexpectedEof | K::ConnectionReset)) => {
                make(
                    Layer::Tls,
                    format!(
                        "TLS: the connection to {host} was closed during the secure handshake. No \
                     credentials were sent."
                    ),
                    false,
                )
            }
            _ => make(
                Layer::Tcp,
                format!("TCP: could not connect to {host} on port 443. No credentials were sent."),
                false,
            ),
        };
    }
    if e.is_body()
        || e.is_request()
        || matches!(
            io_kind,
            Some(K::ConnectionReset | K::UnexpectedEof | K::BrokenPipe)
        )
    {
        return make(
            Layer::Interrupted,
            format!("The connection to {host} broke before the answer was complete."),
            true,
        );
    }
    make(
        Layer::Http,
        format!("The exchange with {host} failed ({detail})."),
        true,
    )
}

/// Variables with which OpenSSL-style tools replace the system's trusted
/// certificates; the certificate loader under the HTTPS client reads them.
pub(crate) const ENV_TRUST_OVERRIDES: [&str; 2] = ["SSL_CERT_FILE", "SSL_CERT_DIR"];

/// Removes [`ENV_TRUST_OVERRIDES`] from this process's environment, so that
/// trust comes only from the operating system's store (and an explicit
/// `--ca-cert`), never from whoever set up the environment. Returns what was
/// removed, for a child process the user asked to run (`exec`).
///
/// # Safety
/// Call first thing in `main`, before any other thread exists.
#[allow(unsafe_code)] // removing environment variables is unsafe once threads exist
pub unsafe fn ignore_trust_from_environment() -> Vec<(String, std::ffi::OsString)> {
    let mut removed = Vec::new();
    for name in ENV_TRUST_OVERRIDES {
        if let Some(value) = std::env::var_os(name) {
            // SAFETY: single-threaded, as the caller guarantees.
            unsafe { std::env::remove_var(name) };
            removed.push((name.to_string(), value));
        }
    }
    removed
}

/// The environment variables that route Autotask hosts elsewhere (tests,
/// the demo tenant): part of the public interface, shared by CLI and app.
pub(crate) const ENV_CONNECT_TO: &str = "AUTOTASK_CONNECT_CONNECT_TO";
pub(crate) const ENV_CA_CERT: &str = "AUTOTASK_CONNECT_CA_CERT";

impl TransportConfig {
    /// Builds a configuration from connect overrides (each may itself be a
    /// comma-separated list) and an optional extra CA certificate file.
    pub fn from_options(
        connect_to: &[String],
        ca_cert: Option<&std::path::Path>,
        request_timeout: Duration,
    ) -> Result<TransportConfig, OptionsError> {
        let mut rules = Vec::new();
        for spec in connect_to {
            rules.extend(parse_connect_to_list(spec)?);
        }
        let extra_roots_pem = match ca_cert {
            None => None,
            Some(path) => {
                let pem = std::fs::read(path).map_err(|source| OptionsError::CaCertUnreadable {
                    path: path.display().to_string(),
                    source,
                })?;
                // Fail here, with the file named, rather than at the first request.
                reqwest::Certificate::from_pem_bundle(&pem)
                    .map_err(TransportSetupError::BadCertificate)?;
                Some(pem)
            }
        };
        Ok(TransportConfig {
            connect_to: rules,
            extra_roots_pem,
            request_timeout,
            connect_timeout: connect_allowance(request_timeout),
            ..TransportConfig::default()
        })
    }

    /// The configuration the environment asks for (`AUTOTASK_CONNECT_CONNECT_TO`,
    /// `AUTOTASK_CONNECT_CA_CERT`); what the desktop app uses.
    pub fn from_env() -> Result<TransportConfig, OptionsError> {
        let connect_to: Vec<String> = std::env::var(ENV_CONNECT_TO).ok().into_iter().collect();
        let ca = std::env::var_os(ENV_CA_CERT).filter(|v| !v.is_empty());
        TransportConfig::from_options(
            &connect_to,
            ca.as_deref().map(std::path::Path::new),
            TransportConfig::default().request_timeout,
        )
    }

    /// Whether Autotask hosts are routed somewhere other than Autotask
    /// (the demo tenant or a test): the app says so on screen.
    pub fn is_redirected(&self) -> bool {
        !self.connect_to.is_empty()
    }
}

#[cfg(test)]
mod tests;
