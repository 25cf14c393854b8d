//! `profile …`: save, list, show, rename, delete, check, rotate and secret.

use std::sync::Arc;

use autotask_connect::check::{Door, Entity, Request};
use autotask_connect::profile::{ProfileName, Profiles, VendorProfile, blocking};

use crate::error::Error;
use crate::output::Output;
use crate::{Cli, ProfileCommand, exec, read_secret, transport, vendor_arg};

pub(crate) async fn command(
    cli: &Cli,
    command: &ProfileCommand,
    out: &Output,
) -> Result<u8, Error> {
    let profiles = blocking(Profiles::open).await?;
    match command {
        ProfileCommand::Save {
            name,
            username,
            integration_code,
            vendor,
            zone,
            check: with_check,
            answers,
            entities,
            replace,
            secret_stdin,
            ..
        } => {
            // Without --vendor: your own integration (custom), as before.
            let vendor = vendor_arg(vendor.as_deref())?;
            let name = ProfileName::parse(name)?;
            let request = Request::parse(
                vendor,
                zone.as_deref().unwrap_or(""),
                username,
                integration_code.as_deref().unwrap_or(""),
            )?;
            let entities = Entity::for_vendor(vendor, entities)?;
            let secret = read_secret(*secret_stdin)?;
            let plan = request.plan(Arc::new(secret), entities.clone())?;
            let draft = VendorProfile::from_plan(name, &plan).needing(&entities);
            let report = if *with_check {
                let transport = transport(cli)?;
                let observe = out.begin_check(plan.lints());
                let report = Door::new(&profiles.ledger(), &transport)
                    .consent(answers.consent(false))
                    .check(&plan, &*observe)
                    .await?;
                if !report.passed {
                    out.saved(None, Some(&report));
                    return Ok(1);
                }
                Some(report)
            } else {
                None
            };
            drop(plan);
            let replace = *replace;
            let this = profiles.clone();
            let (draft, report, view) = tokio::task::spawn_blocking(move || {
                let view = this.save_vendor(&draft, report.as_ref(), replace);
                (draft, report, view)
            })
            .await
            .expect("save");
            drop(draft);
            out.saved(Some(&view?), report.as_ref());
            Ok(0)
        }
        ProfileCommand::List { .. } => {
            let listing = blocking(move || profiles.list()).await?;
            out.listing(&listing);
            Ok(0)
        }
        ProfileCommand::Show { name, .. } => {
            let name = name.clone();
            let view = blocking(move || profiles.show(&name)).await?;
            out.profile(&view);
            Ok(0)
        }
        ProfileCommand::Rename { old, new, .. } => {
            let new = ProfileName::parse(new)?;
            let old = old.clone();
            let (view, leftover) = blocking(move || profiles.rename(&old, &new)).await?;
            out.renamed(&view, leftover.as_ref());
            Ok(0)
        }
        ProfileCommand::Delete { name, .. } => {
            let name = name.clone();
            let deleted = blocking(move || profiles.delete(&name)).await?;
            out.deleted(&deleted);
            Ok(0)
        }
        ProfileCommand::Rotate {
            name,
            entities,
            force,
            answers,
            secret_stdin,
            ..
        } => {
            let transport = transport(cli)?;
            let entities = Entity::chosen(entities)?;
            let secret = read_secret(*secret_stdin)?;
            let observe = out.begin_check(&[]);
            let rotation = profiles
                .rotate(
                    &transport,
                    name,
                    secret,
                    entities,
                    answers.consent(*force),
                    &*observe,
                )
                .await?;
            out.rotated(&rotation);
            Ok(if rotation.report.passed { 0 } else { 1 })
        }
        ProfileCommand::Secret { name, reveal } => {
            exec::print_secret(profiles, name, *reveal).await
        }
        ProfileCommand::Check {
            name,
            entities,
            force,
            answers,
            ..
        } => {
            let transport = transport(cli)?;
            let entities = Entity::chosen(entities)?;
            let observe = out.begin_check(&[]);
            let report = profiles
                .check(
                    &transport,
                    name,
                    entities,
                    answers.consent(*force),
                    &*observe,
                )
                .await?;
            out.report(&report);
            Ok(if report.passed { 0 } else { 1 })
        }
    }
}
