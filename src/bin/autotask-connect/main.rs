//! `autotask-connect`: the command-line interface over the core library, a
//! stable interface for scripts and RMM tools.
//!
//! Exit status: 0 the check passed (warnings allowed) or the command
//! succeeded; 1 the check failed or an operation failed; 2 bad input or
//! usage. With `--json`, exactly one JSON document goes to standard output,
//! errors included (`{"error":{"kind","message"}}`).

mod output;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use autotask_connect::check::{self, CheckInput, Entity};
use autotask_connect::credentials::{Credentials, Secret};
use autotask_connect::error::Error;
use autotask_connect::transport::{Transport, TransportConfig};
use autotask_connect::zone;
use clap::{Args, Parser, Subcommand};

use output::Output;

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
    #[arg(
        long = "connect-to",
        global = true,
        env = "AUTOTASK_CONNECT_CONNECT_TO",
        value_delimiter = ',',
        value_name = "SPEC"
    )]
    connect_to: Vec<String>,

    /// An extra CA certificate (PEM) to trust in addition to the system's.
    #[arg(
        long = "ca-cert",
        global = true,
        env = "AUTOTASK_CONNECT_CA_CERT",
        value_name = "PEM"
    )]
    ca_cert: Option<PathBuf>,

    /// Give up on any one request after this many seconds.
    #[arg(
        long,
        global = true,
        env = "AUTOTASK_CONNECT_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = 30,
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
}

#[derive(Args)]
struct CheckArgs {
    /// The API user's Username (Key).
    #[arg(long)]
    username: String,
    /// The API integration code (tracking identifier).
    #[arg(long = "integration-code")]
    integration_code: String,
    /// The Autotask URL or zone; discovered from the username when omitted.
    #[arg(long, allow_hyphen_values = true)]
    zone: Option<String>,
    /// An entity whose access to check (repeatable); default Companies,
    /// Contacts, Tickets, Resources.
    #[arg(long = "entity", value_name = "NAME")]
    entities: Vec<String>,
    /// Read the secret from standard input instead of AUTOTASK_SECRET.
    #[arg(long = "secret-stdin")]
    secret_stdin: bool,
    /// Print one JSON document.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().collect();
    let json = raw.iter().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if json {
                Output::new(true).error_kind("usage", &e.kind().to_string(), None);
            } else {
                let _ = e.print();
            }
            return ExitCode::from(2);
        }
    };
    let out = Output::new(match &cli.command {
        Command::Zone { json, .. } => *json,
        Command::Check(a) => a.json,
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
            let transport = transport(cli)?;
            let input = check_input(args)?;
            let observe = out.begin_check(&input.lints);
            let report = check::run(&transport, &input, &*observe).await;
            out.report(&report);
            Ok(if report.passed { 0 } else { 1 })
        }
    }
}

fn transport(cli: &Cli) -> Result<Transport, Error> {
    let config = TransportConfig::from_options(
        &cli.connect_to,
        cli.ca_cert.as_deref(),
        Duration::from_secs(cli.timeout),
    )?;
    Ok(Transport::new(config)?)
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

fn check_input(args: &CheckArgs) -> Result<CheckInput, Error> {
    // Refuse a bad zone before anything else: no network I/O for it.
    let zone = match args.zone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(z) => Some(zone::parse(z)?),
    };
    let entities = Entity::list(&args.entities)?;
    let secret = read_secret(args.secret_stdin)?;
    let (credentials, lints) =
        Credentials::parse(&args.username, secret, &args.integration_code).map_err(Error::Input)?;
    Ok(CheckInput {
        zone,
        credentials,
        entities,
        lints,
    })
}
