//! `exec NAME -- COMMAND` and `profile secret NAME`: the two ways a script
//! gets a saved profile's secret without it being in a file or an argument.
//!
//! `exec` follows `op run` and `aws-vault exec`: the secret goes from the
//! credential store into the child's environment only. The child stays in
//! this process's group, so a Ctrl-C from the terminal reaches it directly;
//! this process only survives it (SIGINT and SIGQUIT are caught, not
//! forwarded, so the child does not get them twice), passes on SIGTERM and
//! SIGHUP (what service managers and RMM timeouts send to the process they
//! started), and returns the child's exit status unchanged.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};

use crate::error::Error;
use autotask_connect::credentials::Username;
use autotask_connect::profile::{ProfileError, Profiles, blocking};
use autotask_connect::rest;
use autotask_connect::script::{self, ENV_NAMES, ENV_SECRET, ExecEnvironment, ZoneFacts};
use autotask_connect::store::config::ProfileRecord;
use autotask_connect::transport::Transport;

/// A profile that does not exist or has no secret: exit status 2 here.
fn unusable(e: ProfileError) -> Error {
    match e {
        ProfileError::NotFound(_) | ProfileError::NoSecret(_) => Error::ProfileUnusable(e),
        other => Error::from(other),
    }
}

/// The profile's zone: recorded, entered, or else looked up (no secret
/// sent; only then is a connection made).
async fn zone_facts(
    transport: impl FnOnce() -> Result<Transport, Error>,
    name: &str,
    record: &ProfileRecord,
) -> Result<ZoneFacts, Error> {
    if let Some(zone) = script::known_zone(record) {
        return Ok(ZoneFacts::for_record(zone, record.tenant.as_ref()));
    }
    let transport = transport()?;
    let unknown = |reason: String| Error::ZoneUnknown {
        name: name.to_string(),
        reason,
    };
    let username = Username::parse(&record.username, &mut Vec::new())
        .ok_or_else(|| unknown("the saved username cannot be used.".into()))?;
    match rest::zone_information(&transport, &username).await.1 {
        Ok(info) => {
            let mut facts = ZoneFacts::of(info.zone);
            facts.web_url = info.web_url;
            Ok(facts)
        }
        Err(rest::Failure::Transport(t)) => Err(unknown(t.message)),
        Err(f) => Err(unknown(match f.status() {
            Some(s) => format!("it answered HTTP {s}."),
            None => "it gave no usable answer.".into(),
        })),
    }
}

/// Runs `command` with profile `name`. `transport` is built only if the
/// zone has to be looked up; `restore` are variables this process removed
/// from its own environment at start (SSL_CERT_FILE/DIR) that belong to the
/// child's.
pub(crate) async fn run(
    transport: impl FnOnce() -> Result<Transport, Error>,
    name: &str,
    command: &[OsString],
    restore: &[(String, OsString)],
) -> Result<u8, Error> {
    let profiles = blocking(Profiles::open).await?;
    let wanted = name.to_string();
    let (key, record, secret) = blocking(move || profiles.load(&wanted))
        .await
        .map_err(unusable)?;
    let zone = zone_facts(transport, &key, &record).await?;
    let env = ExecEnvironment::new(&key, &record, &zone);

    let (program, args) = command.split_first().expect("clap requires a command");
    let shown = program.to_string_lossy().into_owned();
    let mut child = tokio::process::Command::new(program);
    child.args(args);
    child.envs(restore.iter().map(|(k, v)| (k, v)));
    for name in ENV_NAMES {
        child.env_remove(name);
    }
    for (name, value) in &env.set {
        child.env(name, value);
    }
    child.env(ENV_SECRET, secret.expose());
    drop(secret);

    let signals = Signals::catch()?;
    let spawned = child.spawn();
    // The command (and its copy of the secret) is not needed any more.
    drop(child);
    let mut spawned = spawned.map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::CommandNotFound { command: shown },
        _ => Error::CommandNotStarted {
            command: shown,
            source,
        },
    })?;
    let status = signals
        .wait(&mut spawned)
        .await
        .map_err(|source| Error::CommandNotStarted {
            command: program.to_string_lossy().into_owned(),
            source,
        })?;
    Ok(exit_code(status))
}

/// The child's exit status as a shell reports it: its code, or 128 + the
/// signal that ended it.
fn exit_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return match u8::try_from(code) {
            Ok(c) => c,
            // Windows exit codes are 32 bits (0xC000013A after Ctrl-C):
            // keep them whole rather than truncate them.
            Err(_) => std::process::exit(code),
        };
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return (128 + signal).clamp(0, 255) as u8;
        }
    }
    1
}

/// Signals this process must survive while its child runs.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    quit: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Signals {
    /// Installs handlers before the child starts (a handled signal, unlike
    /// an ignored one, is reset to its default in the child).
    fn catch() -> Result<Signals, Error> {
        let failed = |e: std::io::Error| Error::CommandNotStarted {
            command: "the signal handlers".into(),
            source: e,
        };
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt()).map_err(failed)?,
                quit: signal(SignalKind::quit()).map_err(failed)?,
                terminate: signal(SignalKind::terminate()).map_err(failed)?,
                hangup: signal(SignalKind::hangup()).map_err(failed)?,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = failed;
            Ok(Signals {})
        }
    }

    #[cfg(unix)]
    #[allow(unsafe_code)] // kill(2) to pass a signal on to our own child: no safe wrapper
    async fn wait(
        mut self,
        child: &mut tokio::process::Child,
    ) -> std::io::Result<std::process::ExitStatus> {
        let pass_on = |child: &tokio::process::Child, signal: libc::c_int| {
            if let Some(pid) = child.id() {
                // SAFETY: kill(2) with our own child's pid and a valid signal.
                unsafe {
                    libc::kill(pid as libc::pid_t, signal);
                }
            }
        };
        loop {
            tokio::select! {
                status = child.wait() => return status,
                // The terminal sent these to the whole group, the child included.
                _ = self.interrupt.recv() => {}
                _ = self.quit.recv() => {}
                _ = self.terminate.recv() => pass_on(child, libc::SIGTERM),
                _ = self.hangup.recv() => pass_on(child, libc::SIGHUP),
            }
        }
    }

    #[cfg(not(unix))]
    async fn wait(
        self,
        child: &mut tokio::process::Child,
    ) -> std::io::Result<std::process::ExitStatus> {
        // Windows sends Ctrl-C to every process on the console: the child
        // gets it; this process only has to outlive it.
        loop {
            tokio::select! {
                status = child.wait() => return status,
                _ = tokio::signal::ctrl_c() => {}
            }
        }
    }
}

/// `profile secret NAME [--reveal]`.
pub(crate) async fn print_secret(
    profiles: Profiles,
    name: &str,
    reveal: bool,
) -> Result<u8, Error> {
    let to_terminal = std::io::stdout().is_terminal();
    if to_terminal && !reveal {
        return Err(Error::SecretToTerminal(name.to_string()));
    }
    let wanted = name.to_string();
    let (_, _, secret) = blocking(move || profiles.load(&wanted))
        .await
        .map_err(unusable)?;
    let mut stdout = std::io::stdout().lock();
    // Exactly the secret: a pipe or `$(...)` gets it byte for byte. On a
    // terminal (--reveal) a line break keeps the prompt off it.
    let written = stdout
        .write_all(secret.expose().as_bytes())
        .and_then(|()| {
            if to_terminal {
                stdout.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| stdout.flush());
    drop(secret);
    written.map_err(|e| Error::Usage(format!("The secret could not be written: {e}")))?;
    Ok(0)
}
