//! `handoff`: what to type into the vendor's form, from a saved profile or
//! a username; the secret's value is never printed.

use autotask_connect::check::{self, InputError};
use autotask_connect::credentials::{IntegrationCode, Username};
use autotask_connect::handoff::{self, Handoff};
use autotask_connect::profile::{Profiles, blocking};
use autotask_connect::zone;
use clap::{ArgGroup, Args};

use crate::error::Error;
use crate::{Cli, transport, vendor_arg};

#[derive(Args)]
#[command(group(ArgGroup::new("who").required(true).args(["name", "username"])))]
pub(crate) struct HandoffArgs {
    /// A saved profile.
    name: Option<String>,
    /// The API user's Username (Key), instead of a profile.
    #[arg(long, conflicts_with = "name")]
    username: Option<String>,
    /// The Autotask URL or zone; looked up from the username when omitted.
    #[arg(long, allow_hyphen_values = true, conflicts_with = "name")]
    zone: Option<String>,
    /// For a vendor whose form asks for one (and your own integration).
    #[arg(long = "integration-code", conflicts_with = "name")]
    integration_code: Option<String>,
    /// Whose form (see `autotask-connect vendors`); default the profile's
    /// vendor, or custom.
    #[arg(long)]
    vendor: Option<String>,
    /// Print one JSON document.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `handoff`: the vendor's form filled from a profile or from the options.
pub(crate) async fn command(cli: &Cli, args: &HandoffArgs) -> Result<Handoff, Error> {
    let (vendor, zone_input, username, code) = match &args.name {
        Some(name) => {
            let profiles = blocking(Profiles::open).await?;
            let name = name.clone();
            let view = blocking(move || profiles.show(&name)).await?;
            let vendor = vendor_arg(Some(args.vendor.as_deref().unwrap_or(&view.vendor)))?;
            let zone = view
                .tenant
                .as_ref()
                .map(|t| t.api_url.clone())
                .or(view.zone_input.clone());
            let code = (!view.integration_code.is_empty()).then_some(view.integration_code);
            (vendor, zone, view.username, code)
        }
        None => {
            let vendor = vendor_arg(args.vendor.as_deref())?;
            (
                vendor,
                args.zone.clone(),
                args.username.clone().unwrap_or_default(),
                args.integration_code.clone(),
            )
        }
    };
    let mut lints = Vec::new();
    let username = Username::parse(&username, &mut lints);
    let code = match (vendor.bound, code) {
        (true, Some(_)) if args.name.is_none() => {
            return Err(InputError::IntegrationCodeNotUsed {
                vendor: vendor.name.clone(),
            }
            .into());
        }
        (true, _) => None,
        (false, code) => IntegrationCode::parse(code.as_deref().unwrap_or(""), &mut lints),
    };
    let username = match username {
        Some(u) if vendor.bound || code.is_some() => u,
        _ => return Err(InputError::Lints(lints).into()),
    };
    let zone = match zone_input.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(z) => Some(zone::parse(z)?),
    };
    let zone = match zone {
        Some(zone::ZoneInput::Zone(z)) => z,
        other => check::zone_for(&transport(cli)?, other, &username).await?,
    };
    Ok(handoff::build(
        vendor,
        &handoff::Source {
            zone,
            username: username.as_str(),
            integration_code: code.as_ref().map(IntegrationCode::as_str),
        },
    ))
}
