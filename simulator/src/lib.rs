//! A local simulator of the Autotask PSA REST API for tests, end-to-end runs
//! and the app's demo tenant: real HTTPS (certificates from a test CA made at
//! start-up), Autotask's status codes and bodies as `autotask-api.md`
//! describes them, switches for the behaviours nobody has confirmed, fault
//! injection, and a record of every request.
//!
//! Clients reach it the way they reach Autotask: by Autotask host name, with
//! a connect override (`--connect-to ::127.0.0.1:PORT`) and the test CA as an
//! extra trusted root. TLS still checks the Autotask host name.

pub mod records;
pub mod server;
pub mod tls;
pub mod webhooks;
pub mod world;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use server::{Action, ConnectionFault, ConnectionFaultKind, Fault, RecordedRequest};
pub use tls::Presented;
pub use webhooks::{SimErrorLog, SimWebhook};
pub use world::{Access, Behaviour, SimZone, Tenant, User, UserKind, World, demo};

/// A running simulator. Dropping it stops the server.
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Simulator {
    /// Starts on `127.0.0.1` at an ephemeral port, with the demo world.
    pub async fn start() -> std::io::Result<Simulator> {
        Simulator::start_with(World::demo(), 0).await
    }

    /// Starts on `127.0.0.1:port` (0 picks a free port) with `world`.
    /// Loopback only: the simulator is never reachable from the network.
    pub async fn start_with(world: World, port: u16) -> std::io::Result<Simulator> {
        Simulator::start_logging(world, port, server::Log::Full).await
    }

    /// The app's demo tenant: the demo world on an ephemeral port, keeping
    /// only the latest `keep` requests and no header values (the secret a
    /// technician types while in the demo goes in a header).
    pub async fn start_private(keep: usize) -> std::io::Result<Simulator> {
        Simulator::start_logging(World::demo(), 0, server::Log::Private(keep)).await
    }

    async fn start_logging(
        world: World,
        port: u16,
        log: server::Log,
    ) -> std::io::Result<Simulator> {
        let authority = tls::Authority::generate().map_err(std::io::Error::other)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(server::Shared {
            world: Mutex::new(world),
            faults: Mutex::new(Vec::new()),
            connection_faults: Mutex::new(Vec::new()),
            log,
            requests: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            authority,
            connections: Default::default(),
            in_flight: Default::default(),
            max_in_flight: Default::default(),
        });
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(Simulator { addr, shared, task })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The connect override that sends every Autotask host here, in curl's
    /// `--connect-to HOST1:PORT1:HOST2:PORT2` form.
    pub fn connect_to(&self) -> String {
        format!("::127.0.0.1:{}", self.port())
    }

    /// The test CA's certificate (PEM).
    pub fn ca_pem(&self) -> &str {
        &self.shared.authority.ca_pem
    }

    /// Writes the test CA to `dir/autotask-simulator-ca.pem` and returns the path.
    pub fn write_ca(&self, dir: &Path) -> std::io::Result<PathBuf> {
        let path = dir.join("autotask-simulator-ca.pem");
        std::fs::write(&path, self.ca_pem())?;
        Ok(path)
    }

    /// Latency added before every answer.
    pub fn set_latency(&self, latency: Duration) {
        *self.shared.latency.lock().expect("latency") = latency;
    }

    pub fn add_fault(&self, fault: Fault) {
        self.shared.faults.lock().expect("faults").push(fault);
    }

    pub fn add_connection_fault(&self, fault: ConnectionFault) {
        self.shared
            .connection_faults
            .lock()
            .expect("faults")
            .push(fault);
    }

    pub fn clear_faults(&self) {
        self.shared.faults.lock().expect("faults").clear();
        self.shared
            .connection_faults
            .lock()
            .expect("faults")
            .clear();
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests.lock().expect("requests").clone()
    }

    pub fn clear_requests(&self) {
        self.shared.requests.lock().expect("requests").clear();
        self.shared.max_in_flight.store(0, Ordering::SeqCst);
    }

    /// The most requests that were being answered at once (since the
    /// last [`Simulator::clear_requests`]).
    pub fn max_in_flight(&self) -> u64 {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// Reads or changes the world (tenants, users, behaviour switches).
    pub fn world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.shared.world.lock().expect("world"))
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}
