//! `exec --gateway NAME -- COMMAND` and `serve NAME`: the local gateway as
//! the CLI runs it. Neither prints anything on standard output but what it
//! promises (`serve`: the environment lines; `exec --gateway`: nothing, so
//! that a child speaking a protocol there, as MCP servers do, is not
//! disturbed); everything else goes to standard error.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use crate::error::Error;
use autotask_connect::error::Error as CoreError;
use autotask_connect::gateway::{self, Gateway, Options};
use autotask_connect::limits::WritePolicy;
use autotask_connect::profile::{Profiles, blocking};
use autotask_connect::transport::Transport;
use clap::Args;

use crate::exec::{ExecArgs, child_of, run_child, unusable};

/// The limits of a gateway (`exec --gateway`, `serve`).
#[derive(Args, Clone, Default)]
pub(crate) struct LimitArgs {
    /// Let creates, updates and deletes through (the gateway is read-only
    /// without it: GET and the query verbs only).
    #[arg(long)]
    write: bool,
    /// With --write, let only these entities be written (comma-separated
    /// or repeated), e.g. Tickets,TicketNotes.
    #[arg(long = "write-entity", value_name = "ENTITY", value_delimiter = ',')]
    write_entity: Vec<String>,
    /// Requests per hour this session may send to Autotask (default: 10 %
    /// of the tenant's hourly threshold, as Autotask reports it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    budget: Option<u64>,
    /// Append one line per request (time, method, entity, status,
    /// duration) to FILE; never a header or a body.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
}

impl LimitArgs {
    /// The first limit option given, for `exec` without `--gateway`.
    pub(crate) fn given(&self) -> Option<&'static str> {
        if self.write {
            Some("--write")
        } else if !self.write_entity.is_empty() {
            Some("--write-entity")
        } else if self.budget.is_some() {
            Some("--budget")
        } else if self.log.is_some() {
            Some("--log")
        } else {
            None
        }
    }

    fn options(&self, port: u16) -> Result<Options, Error> {
        if !self.write_entity.is_empty() && !self.write {
            return Err(Error::Usage(
                "--write-entity narrows --write: give both, e.g. --write --write-entity \
                 Tickets,TicketNotes."
                    .into(),
            ));
        }
        Ok(Options {
            writes: WritePolicy::new(self.write, &self.write_entity)?,
            budget: self.budget,
            log: self.log.clone(),
            port,
        })
    }
}

/// `serve NAME [--port N]`.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// The saved profile whose credentials the gateway sends.
    pub(crate) name: String,
    /// Listen on this port of 127.0.0.1 (default: any free port).
    #[arg(long, value_name = "N", default_value_t = 0)]
    port: u16,
    #[command(flatten)]
    limits: LimitArgs,
}

async fn open(
    transport: impl FnOnce() -> Result<Transport, Error>,
    name: &str,
    options: Options,
) -> Result<Gateway, Error> {
    let transport = transport()?;
    let profiles = blocking(Profiles::open).await?;
    let gateway = gateway::open(&profiles, &transport, name, options, &|_| {})
        .await
        .map_err(|e| match e {
            CoreError::Profile(p) => unusable(p),
            other => Error::from(other),
        })?;
    for note in &gateway.notes {
        eprintln!("Note: {note}");
    }
    Ok(gateway)
}

/// What the gateway lets through, in a line.
fn limits_text(gateway: &Gateway) -> String {
    let limits = gateway.limits();
    let writes = match (limits.writes.write, limits.writes.entities.is_empty()) {
        (false, _) => "read-only".to_string(),
        (true, true) => "writes allowed".to_string(),
        (true, false) => format!("writes only {}", limits.writes.entities.join(", ")),
    };
    format!("{writes}, at most {} requests per hour", limits.budget)
}

/// `exec --gateway NAME -- COMMAND`: the gateway serves while COMMAND runs.
pub(crate) async fn exec(
    transport: impl FnOnce() -> Result<Transport, Error>,
    args: &ExecArgs,
    restore: &[(String, OsString)],
) -> Result<u8, Error> {
    let gateway = open(transport, &args.name, args.limits.options(0)?).await?;
    let mut child = child_of(&args.command, restore);
    for (name, value) in gateway.environment() {
        child.env(name, value);
    }
    let status = run_child(child, &args.command).await;
    gateway.close().await;
    status
}

/// `serve NAME`: prints the environment lines once, then serves until
/// Ctrl-C (or SIGTERM/SIGHUP from a service manager).
pub(crate) async fn serve(
    transport: impl FnOnce() -> Result<Transport, Error>,
    args: &ServeArgs,
) -> Result<u8, Error> {
    let gateway = open(transport, &args.name, args.limits.options(args.port)?).await?;
    let lines: String = gateway
        .environment()
        .iter()
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect();
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(lines.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Usage(format!("The environment lines could not be written: {e}")))?;
    drop(stdout);
    eprintln!(
        "Gateway for profile \"{}\" at {} ({}). Set the variables above for each client; \
         Ctrl-C stops it.",
        args.name,
        gateway.url(),
        limits_text(&gateway)
    );
    stopped().await;
    gateway.close().await;
    Ok(0)
}

/// Until Ctrl-C, or SIGTERM/SIGHUP on Unix.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
