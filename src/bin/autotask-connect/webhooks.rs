//! `webhooks` (the webhook doctor, through the one door) and
//! `webhook-signature` (the offline X-Hook-Signature check).

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use autotask_connect::check::{Door, Request};
use autotask_connect::credentials::Secret;
use autotask_connect::lockout::Ledger;
use autotask_connect::profile::{ProfileError, Profiles, blocking};
use autotask_connect::store::config::Config;
use clap::{ArgGroup, Args};

use crate::error::Error;
use crate::output::Output;
use crate::{Answers, Cli, read_secret, transport, vendor_arg};

#[derive(Args)]
#[command(group(ArgGroup::new("who").required(true).args(["name", "username"])))]
pub(crate) struct WebhooksArgs {
    /// A saved profile (its stored secret).
    name: Option<String>,
    /// The API user's Username (Key), instead of a profile.
    #[arg(long, conflicts_with = "name")]
    username: Option<String>,
    /// The integration code that created the webhooks.
    #[arg(long = "integration-code", conflicts_with = "name")]
    integration_code: Option<String>,
    /// Who uses the API user (see `autotask-connect vendors`); default custom.
    #[arg(long, conflicts_with = "name")]
    vendor: Option<String>,
    /// The Autotask URL or zone; discovered from the username when omitted.
    #[arg(long, allow_hyphen_values = true, conflicts_with = "name")]
    zone: Option<String>,
    /// Try even after repeated failed logins (risks locking the API user).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    answers: Answers,
    /// Read the secret from standard input instead of AUTOTASK_SECRET.
    #[arg(long = "secret-stdin", conflicts_with = "name")]
    secret_stdin: bool,
    /// Print one JSON document.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Args)]
pub(crate) struct SignatureArgs {
    /// The callout's X-Hook-Signature header (sha1=…), as received.
    #[arg(long, allow_hyphen_values = true)]
    signature: String,
    /// The payload, byte for byte as received; standard input when omitted.
    #[arg(long = "payload-file", value_name = "FILE")]
    payload_file: Option<PathBuf>,
    /// Print one JSON document.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Reads this integration's webhooks with the API user's own credentials;
/// exit status 1 when any has a problem.
pub(crate) async fn doctor(cli: &Cli, args: &WebhooksArgs, out: &Output) -> Result<u8, Error> {
    let transport = transport(cli)?;
    let consent = args.answers.consent(args.force);
    let report = match &args.name {
        Some(name) => {
            let profiles = blocking(Profiles::open).await?;
            profiles.webhooks(&transport, name, consent).await?
        }
        None => {
            let vendor = vendor_arg(args.vendor.as_deref())?;
            let request = Request::parse(
                vendor,
                args.zone.as_deref().unwrap_or(""),
                args.username.as_deref().unwrap_or(""),
                args.integration_code.as_deref().unwrap_or(""),
            )?;
            let secret = read_secret(args.secret_stdin)?;
            let plan = request.plan(Arc::new(secret), vec![])?;
            let ledger = Ledger::file(Config::locate().map_err(ProfileError::from)?);
            Door::new(&ledger, &transport)
                .consent(consent)
                .webhooks(&plan)
                .await?
        }
    };
    out.webhooks(&report);
    Ok(if report.ok() { 0 } else { 1 })
}

/// Checks a pasted payload against its X-Hook-Signature, offline; the key
/// comes only from the environment, never from an argument.
pub(crate) fn signature(args: &SignatureArgs, out: &Output) -> Result<u8, Error> {
    let payload = match &args.payload_file {
        Some(path) => std::fs::read(path).map_err(|e| {
            Error::Usage(format!(
                "The payload file {} could not be read: {e}",
                path.display()
            ))
        })?,
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::Usage(format!("The payload could not be read: {e}")))?;
            bytes
        }
    };
    let key = std::env::var("AUTOTASK_WEBHOOK_SECRET")
        .ok()
        .filter(|k| !k.is_empty())
        .map(Secret::new)
        .ok_or(Error::WebhookKeyMissing)?;
    let verdict = autotask_connect::webhook::verify_signature(&payload, &args.signature, &key);
    out.signature(verdict);
    Ok(match verdict {
        autotask_connect::webhook::Signature::Malformed => 2,
        v if v.matches() => 0,
        _ => 1,
    })
}
