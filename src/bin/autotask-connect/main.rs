//! `autotask-connect`: the command-line interface over the core library, a
//! stable interface for scripts and RMM tools.
//!
//! Exit status: 0 the check passed (warnings allowed) or the command
//! succeeded; 1 the check failed or an operation failed; 2 bad input or
//! usage. With `--json`, exactly one JSON document goes to standard output,
//! errors included (`{"error":{"kind","message"}}`).

mod error;
mod exec;
mod gateway;
mod handoff;
mod output;
mod profile;
mod routing;
mod webhooks;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use std::sync::Arc;

use crate::error::Error;
use autotask_connect::check::{Consent, Door, Entity, InputError, Plan, Request};
use autotask_connect::credentials::Secret;
use autotask_connect::lockout::Ledger;
use autotask_connect::profile::{ProfileError, Profiles, blocking};
use autotask_connect::store::config::Config;
use autotask_connect::store::keyring;
use autotask_connect::vendors::{self, Vendor};
use autotask_connect::zone;
use clap::{Args, CommandFactory, Parser, Subcommand};

use handoff::HandoffArgs;
use output::Output;
use routing::transport;
use webhooks::{SignatureArgs, WebhooksArgs};

#[derive(Parser)]
#[command(
    name = "autotask-connect",
    version,
    about = "Set up and test Autotask PSA API access",
    long_about = "Set up and test Autotask PSA API access: derive and discover the API zone, run a \
                  staged connection check that says which input is wrong and how to fix it in \
                  Autotask.\n\nThe secret is read from AUTOTASK_SECRET or, with --secret-stdin, from \
                  standard input; never from an argument."
)]
struct Cli {
    /// Connect somewhere else for an Autotask host, like curl's --connect-to
    /// (HOST1:PORT1:HOST2:PORT2; empty HOST1/PORT1 match any). TLS still
    /// verifies the Autotask host name. Repeatable.
    // No `env =` here: routing and trust come only from the command line in
    // a release build (see `Routing::from_options`).
    #[arg(
        long = "connect-to",
        global = true,
        value_delimiter = ',',
        value_name = "SPEC"
    )]
    connect_to: Vec<String>,

    /// An extra CA certificate (PEM) to trust in addition to the system's.
    #[arg(long = "ca-cert", global = true, value_name = "PEM")]
    ca_cert: Option<PathBuf>,

    /// Give up on any one request after this many seconds.
    #[arg(
        long,
        global = true,
        env = "AUTOTASK_CONNECT_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = 20,
        value_parser = clap::value_parser!(u64).range(1..=600)
    )]
    timeout: u64,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the Autotask hosts for a pasted URL or zone name (no network).
    Zone {
        /// A portal URL, any Autotask page, webservicesN, an API or SOAP URL…
        #[arg(allow_hyphen_values = true)]
        input: String,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Run the staged connection check.
    Check(CheckArgs),
    /// List who can use an API user: your own integration and the vendor presets.
    Vendors {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// The values to enter in a vendor's form, in its order and format (never the secret).
    Handoff(HandoffArgs),
    /// This integration's webhooks: active, ready, fields, callback URL and undelivered callouts.
    #[command(
        long_about = "Reads this integration's webhooks on Companies, Contacts, Tickets, \
                      TicketNotes and ConfigurationItems with the API user's own credentials \
                      (a saved profile's stored secret, or AUTOTASK_SECRET / --secret-stdin): \
                      whether each is active and ready, how many fields it subscribes, what keeps \
                      Autotask from calling its URL (not https, localhost, a private or \
                      link-local address), and its undelivered callouts of the last 30 days from \
                      the webhook error log. Autotask shows webhooks and their error log only to \
                      the integration (code) that created them. Read-only: one request at a \
                      time, at most 12, nothing written; the same lints, questions and lockout \
                      guard as a check.\n\nExit status: 0 when every webhook is fine, 1 when \
                      any has a problem or they could not be read, 2 bad input."
    )]
    Webhooks(WebhooksArgs),
    /// Check a webhook callout's X-Hook-Signature against its payload, offline.
    #[command(
        long_about = "Checks that a callout's payload is what Autotask signed: HMAC-SHA1 of the \
                      payload with the webhook's secret key, base64, as Autotask's \
                      X-Hook-Signature header carries it (sha1=…). The payload comes from \
                      --payload-file or standard input, exactly as received; the webhook's \
                      secret key from AUTOTASK_WEBHOOK_SECRET (never an argument). Nothing is \
                      sent anywhere.\n\nExit status: 0 it matches, 1 it does not, 2 bad input \
                      (no key, or not an X-Hook-Signature)."
    )]
    WebhookSignature(SignatureArgs),
    /// Saved profiles: the secret in the OS credential store, the rest in a config file.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Report the credential store backend, its health, and the config location.
    Doctor {
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Run a command with a saved profile in its environment only (or,
    /// with --gateway, behind a local gateway: recommended for AI agents).
    #[command(
        long_about = "Run COMMAND with a saved profile in its environment, and only there: \
                      AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE, \
                      AUTOTASK_API_URL, AUTOTASK_API_HOST, AUTOTASK_WEB_URL and AUTOTASK_PROFILE. \
                      The secret goes from the credential store straight into the child's \
                      environment: never into a file, an argument, or this process's own \
                      environment.\n\nWith --gateway COMMAND never gets the secret: \
                      AUTOTASK_API_URL is a gateway on 127.0.0.1 for COMMAND's lifetime, \
                      AUTOTASK_SECRET a token for this session, the username and code \
                      placeholders; the gateway signs the requests with the profile, read-only \
                      unless --write, within --budget.\n\nExit status: COMMAND's own (128+N \
                      when a signal N ended it); 2 when the profile does not exist or has no \
                      secret; 127 when COMMAND is not found, 126 when it cannot be run.",
        after_help = "Examples:\n  autotask-connect exec --gateway Contoso -- npx some-autotask-mcp-server\n  \
                      autotask-connect exec Contoso -- python3 sync.py"
    )]
    Exec(exec::ExecArgs),
    /// Serve a saved profile to several local clients through a gateway.
    #[command(
        long_about = "Start the local gateway for a saved profile in the foreground, for \
                      several clients: prints the environment lines each client sets \
                      (AUTOTASK_API_URL, AUTOTASK_SECRET as this session's token, placeholders \
                      for the username and code, the limits) once on standard output, then \
                      serves until Ctrl-C. Read-only unless --write."
    )]
    Serve(gateway::ServeArgs),
    /// Every saved profile at a glance: zone, secret, last check, lockout guard.
    #[command(
        long_about = "One line per saved profile: the zone Autotask says the tenant lives in now \
                      (looked up from the username; no secret is sent), whether the credential \
                      store holds the secret, the last check and its age, and the lockout guard. \
                      With --check, the full connection check runs for every profile the lockout \
                      guard allows, at most 3 requests at a time per Autotask host.\n\nExit \
                      status: 0 when every profile is fine, 1 when any has a problem (or there \
                      are no profiles)."
    )]
    Status {
        /// Run the full connection check for each profile (sends the secrets).
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        answers: Answers,
        /// Print one JSON document.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    #[command(hide = true)]
    Man,
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Save a profile (secret from AUTOTASK_SECRET or --secret-stdin).
    Save {
        name: String,
        #[arg(long)]
        username: String,
        /// Not taken for a vendor-bound API user (see `autotask-connect vendors`).
        #[arg(long = "integration-code", required_unless_present = "vendor")]
        integration_code: Option<String>,
        /// Who uses the API user (see `autotask-connect vendors`); default custom.
        #[arg(long)]
        vendor: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        zone: Option<String>,
        /// Save only if the connection check passes.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        answers: Answers,
        /// Entities the integration needs (NAME, or NAME:write if it creates or
        /// edits them): checked with --check, saved with the profile.
        #[arg(long = "entity", value_name = "NAME")]
        entities: Vec<String>,
        /// Replace an existing profile of the same name (and its secret).
        #[arg(long)]
        replace: bool,
        #[arg(long = "secret-stdin")]
        secret_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// List saved profiles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one profile (whether a secret is stored, never the secret).
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Rename a profile and its secret.
    Rename {
        old: String,
        new: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a profile and its secret.
    Delete {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Replace the secret: the new one is checked first and kept only if it works.
    Rotate {
        name: String,
        #[arg(long = "entity", value_name = "NAME")]
        entities: Vec<String>,
        /// Try even after repeated failed logins (risks locking the API user).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        answers: Answers,
        #[arg(long = "secret-stdin")]
        secret_stdin: bool,
        #[arg(long)]
        json: bool,
    },
    /// Print a profile's secret alone on standard output, for `$(...)`.
    #[command(
        long_about = "Print the secret of a saved profile on standard output: exactly its \
                      characters, without a line break, so that `$(autotask-connect profile \
                      secret NAME)` (POSIX shells and PowerShell) and Python's subprocess get \
                      it unchanged. Refused when standard output is a terminal unless --reveal \
                      is given (then a line break follows it). Exit status 2 when the profile \
                      does not exist or has no secret. Prefer `autotask-connect exec`, which \
                      keeps the secret out of the calling script altogether."
    )]
    Secret {
        name: String,
        /// Print the secret even though standard output is a terminal.
        #[arg(long)]
        reveal: bool,
    },
    /// Check a saved profile with its stored secret.
    Check {
        name: String,
        #[arg(long = "entity", value_name = "NAME")]
        entities: Vec<String>,
        /// Try even after repeated failed logins (risks locking the API user).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        answers: Answers,
        #[arg(long)]
        json: bool,
    },
}

impl ProfileCommand {
    fn json(&self) -> bool {
        match self {
            ProfileCommand::Save { json, .. }
            | ProfileCommand::List { json }
            | ProfileCommand::Show { json, .. }
            | ProfileCommand::Rename { json, .. }
            | ProfileCommand::Delete { json, .. }
            | ProfileCommand::Rotate { json, .. }
            | ProfileCommand::Check { json, .. } => *json,
            ProfileCommand::Secret { .. } => false,
        }
    }
}

/// The door's questions, answered in advance (nothing is asked at a prompt:
/// scripts must say yes explicitly, or the secret is not sent).
#[derive(Args, Clone, Copy)]
struct Answers {
    /// Send the secret although the username looks like a person's login
    /// (refused otherwise: a wrong password counts towards locking them out).
    /// Not needed once the username has passed a check on this computer.
    #[arg(long = "person-login")]
    person_login: bool,
    /// Send a secret whose length is not Autotask's 25 characters (refused
    /// otherwise: it is probably cut short or has something extra).
    #[arg(long = "secret-length-ok")]
    secret_length_ok: bool,
}

impl Answers {
    fn consent(self, force: bool) -> Consent {
        Consent {
            person_login: self.person_login,
            secret_length: self.secret_length_ok,
            force,
        }
    }
}

#[derive(Args)]
struct CheckArgs {
    /// The API user's Username (Key).
    #[arg(long)]
    username: String,
    /// The API integration code (tracking identifier); not taken for a
    /// vendor-bound API user.
    #[arg(long = "integration-code", required_unless_present = "vendor")]
    integration_code: Option<String>,
    /// Who uses the API user (see `autotask-connect vendors`); default custom.
    #[arg(long)]
    vendor: Option<String>,
    /// The Autotask URL or zone; discovered from the username when omitted.
    #[arg(long, allow_hyphen_values = true)]
    zone: Option<String>,
    /// An entity whose access to check (repeatable; NAME:write when the
    /// integration creates or edits them); default Companies, Contacts,
    /// Tickets, Resources.
    #[arg(long = "entity", value_name = "NAME")]
    entities: Vec<String>,
    /// Try even after repeated failed logins (risks locking the API user).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    answers: Answers,
    /// Read the secret from standard input instead of AUTOTASK_SECRET.
    #[arg(long = "secret-stdin")]
    secret_stdin: bool,
    /// Print one JSON document.
    #[arg(long)]
    json: bool,
}

/// SSL_CERT_FILE/SSL_CERT_DIR as the CLI found them: not used for its own
/// connections, handed back to a child it runs for the user.
static TRUST_OVERRIDES: std::sync::OnceLock<Vec<(String, std::ffi::OsString)>> =
    std::sync::OnceLock::new();

#[allow(unsafe_code)] // ignore_trust_from_environment, called before any other thread exists
fn main() -> ExitCode {
    autotask_connect::core_dumps::disable();
    // SAFETY: first thing in main, before the runtime's threads start.
    let _ = TRUST_OVERRIDES
        .set(unsafe { autotask_connect::transport::ignore_trust_from_environment() });
    // Only our own arguments: what follows `--` belongs to exec's command
    // (and need not be UTF-8).
    let json = std::env::args_os()
        .take_while(|a| a != "--")
        .any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if json {
                Output::new(true).usage_error(&e.kind().to_string());
            } else {
                let _ = e.print();
            }
            return ExitCode::from(2);
        }
    };
    let out = Output::new(match &cli.command {
        Command::Zone { json, .. }
        | Command::Doctor { json }
        | Command::Vendors { json }
        | Command::Status { json, .. } => *json,
        Command::Exec(_) | Command::Serve(_) | Command::Completions { .. } | Command::Man => false,
        Command::Check(a) => a.json,
        Command::Handoff(a) => a.json,
        Command::Webhooks(a) => a.json,
        Command::WebhookSignature(a) => a.json,
        Command::Profile(p) => p.json(),
    })
    .gateway(match &cli.command {
        Command::Exec(a) if a.gateway => Some(a.name.clone()),
        Command::Serve(a) => Some(a.name.clone()),
        _ => None,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(run(&cli, &out));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            out.error(&e);
            ExitCode::from(e.exit_status() as u8)
        }
    }
}

async fn run(cli: &Cli, out: &Output) -> Result<u8, Error> {
    match &cli.command {
        Command::Zone { input, .. } => {
            let zone = zone::parse(input)?;
            out.zone(&zone.summary());
            Ok(0)
        }
        Command::Check(args) => {
            // Without --vendor: your own integration (custom), and the JSON
            // exactly as before vendors existed.
            let vendor = vendor_arg(args.vendor.as_deref())?;
            let transport = transport(cli)?;
            let plan = check_plan(vendor, args)?;
            let ledger = Ledger::file(Config::locate().map_err(ProfileError::from)?);
            let door = Door::new(&ledger, &transport).consent(args.answers.consent(args.force));
            if args.vendor.is_some() {
                out.for_vendor(vendor);
            }
            let observe = out.begin_check(plan.lints());
            let report = door.check(&plan, &*observe).await?;
            if args.vendor.is_some() {
                out.vendor_report(vendor, &report);
            } else {
                out.report(&report);
            }
            Ok(if report.passed { 0 } else { 1 })
        }
        Command::Vendors { .. } => {
            out.vendors(vendors::all());
            Ok(0)
        }
        Command::Handoff(args) => {
            let handoff = handoff::command(cli, args).await?;
            out.handoff(&handoff);
            Ok(0)
        }
        Command::Profile(command) => profile::command(cli, command, out).await,
        Command::Webhooks(args) => webhooks::doctor(cli, args, out).await,
        Command::WebhookSignature(args) => webhooks::signature(args, out),
        Command::Doctor { .. } => {
            let health = tokio::task::spawn_blocking(keyring::native_health)
                .await
                .expect("health probe");
            let config = Config::locate();
            let ok = health.ok && config.is_ok();
            let updates = autotask_connect::updates::policy();
            out.doctor(
                &health,
                config.as_ref().map_err(|e| e.to_string()),
                &updates,
            );
            Ok(if ok { 0 } else { 1 })
        }
        Command::Exec(args) => {
            let restore = TRUST_OVERRIDES.get().map(Vec::as_slice).unwrap_or(&[]);
            exec::exec(|| transport(cli), args, restore).await
        }
        Command::Serve(args) => gateway::serve(|| transport(cli), args).await,
        Command::Status { check, answers, .. } => {
            let transport = transport(cli)?;
            let profiles = blocking(Profiles::open).await?;
            let report = autotask_connect::status::gather(
                &profiles,
                &transport,
                *check,
                answers.consent(false),
            )
            .await?;
            out.status(&report);
            Ok(if report.ok { 0 } else { 1 })
        }
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "autotask-connect", &mut text);
            write_stdout(&text)
        }
        Command::Man => {
            let mut text = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut text)
                .map_err(|e| Error::Usage(format!("The man page could not be written: {e}")))?;
            write_stdout(&text)
        }
    }
}

/// Writes generated text; a reader that stops early (`| head`) is not an error.
fn write_stdout(text: &[u8]) -> Result<u8, Error> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Usage(format!(
            "The output could not be written: {e}"
        ))),
        _ => Ok(0),
    }
}

/// The secret from standard input (`--secret-stdin`) or `AUTOTASK_SECRET`.
fn read_secret(from_stdin: bool) -> Result<Secret, Error> {
    if from_stdin {
        let stdin = std::io::stdin();
        let mut value = if stdin.is_terminal() {
            rpassword::prompt_password("API secret (not shown): ")
                .map_err(Error::SecretUnreadable)?
        } else {
            let mut s = String::new();
            stdin
                .lock()
                .read_to_string(&mut s)
                .map_err(Error::SecretUnreadable)?;
            s
        };
        // One final line break is how pipes and here-strings end; it is not
        // part of the secret. Anything else is kept and linted.
        if value.ends_with("\r\n") {
            value.truncate(value.len() - 2);
        } else if value.ends_with('\n') {
            value.truncate(value.len() - 1);
        }
        return Ok(Secret::new(value));
    }
    match std::env::var("AUTOTASK_SECRET") {
        Ok(v) => Ok(Secret::new(v)),
        Err(_) => Err(Error::SecretMissing),
    }
}

/// The preset `--vendor` names (exit status 2 and the known ids otherwise).
fn vendor_arg(id: Option<&str>) -> Result<&'static Vendor, Error> {
    Ok(match id {
        Some(id) => vendors::find(id)?,
        None => vendors::custom(),
    })
}

/// `check`: a bound vendor's user takes no `--integration-code`, not even an
/// empty one.
fn check_plan(vendor: &'static Vendor, args: &CheckArgs) -> Result<Plan, Error> {
    if vendor.bound && args.integration_code.is_some() {
        return Err(InputError::IntegrationCodeNotUsed {
            vendor: vendor.name.clone(),
        }
        .into());
    }
    let request = Request::parse(
        vendor,
        args.zone.as_deref().unwrap_or(""),
        &args.username,
        args.integration_code.as_deref().unwrap_or(""),
    )?;
    let entities = Entity::for_vendor(vendor, &args.entities)?;
    let secret = read_secret(args.secret_stdin)?;
    Ok(request.plan(Arc::new(secret), entities)?)
}
