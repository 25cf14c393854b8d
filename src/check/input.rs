//! What a check needs, and the one way every face (the CLI's options, the
//! window's fields, a saved profile's record) turns its inputs into it:
//! [`Request::parse`], then [`Request::plan`] with the secret.

use std::sync::Arc;

use crate::credentials::{Credentials, Field, IntegrationCode, Lint, Secret, Severity, Username};
use crate::vendors::{UnknownVendor, Vendor};
use crate::zone::{self, ZoneError, ZoneInput};

/// Inputs that cannot make a check: refused before anything touches the
/// network (exit status 2 in the CLI, a message under the field in the window).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The zone input is not an Autotask zone.
    #[error("{0}")]
    Zone(#[from] ZoneError),
    /// One or more credential fields cannot be used (see the lints).
    #[error("{}", first_error_message(.0))]
    Lints(Vec<Lint>),
    #[error("{0}")]
    Entity(#[from] EntityError),
    /// `--vendor` (or a saved profile) names no preset.
    #[error("{0}")]
    UnknownVendor(#[from] UnknownVendor),
    #[error(
        "Leave the integration code out: this API user's tracking identifier belongs to {vendor}, \
         and only {vendor} has its code. A test with any other code would be a failed login that \
         counts towards locking the user."
    )]
    IntegrationCodeNotUsed { vendor: String },
    #[error(
        "This API user's tracking identifier belongs to {vendor}, and only {vendor} has its \
         integration code. Autotask shows a webhook only to the integration that created it, so \
         only {vendor} can read its webhooks and their error log: ask {vendor}."
    )]
    VendorKeepsCode { vendor: String },
}

fn first_error_message(lints: &[Lint]) -> String {
    lints
        .iter()
        .find(|l| l.severity == Severity::Error)
        .or(lints.first())
        .map(|l| format!("{} {}", l.message, l.fix))
        .unwrap_or_else(|| "The input is not valid.".into())
}

impl InputError {
    /// The stable identifier scripts and the page switch on.
    pub fn kind(&self) -> &'static str {
        match self {
            InputError::Zone(_) => "invalid_zone",
            InputError::Lints(_) => "invalid_input",
            InputError::Entity(_) => "invalid_entity",
            InputError::UnknownVendor(_) => "unknown_vendor",
            InputError::IntegrationCodeNotUsed { .. } => "integration_code_not_used",
            InputError::VendorKeepsCode { .. } => "vendor_keeps_code",
        }
    }

    /// The form field the error belongs next to.
    pub fn field(&self) -> Option<Field> {
        match self {
            InputError::Zone(_) => Some(Field::Zone),
            InputError::Lints(lints) => lints
                .iter()
                .find(|l| l.severity == Severity::Error)
                .map(|l| l.field),
            InputError::IntegrationCodeNotUsed { .. } => Some(Field::IntegrationCode),
            InputError::Entity(_)
            | InputError::UnknownVendor(_)
            | InputError::VendorKeepsCode { .. } => None,
        }
    }

    /// Every finding about the inputs, when they are at fault.
    pub fn lints(&self) -> &[Lint] {
        match self {
            InputError::Lints(lints) => lints,
            _ => &[],
        }
    }
}

/// An entity the integration needs, as Autotask spells it in URLs
/// (`Tickets`, `Companies`), and whether it must create or edit them too.
/// Written `Tickets` (read) or `Tickets:write`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    name: String,
    write: bool,
}

pub const DEFAULT_ENTITIES: [&str; 4] = ["Companies", "Contacts", "Tickets", "Resources"];

/// What integrations commonly need, for the window's short list (the CLI
/// takes any entity name). Webhook entities are what vendors such as
/// Proxuma create.
pub const COMMON_ENTITIES: [&str; 15] = [
    "Companies",
    "Contacts",
    "Tickets",
    "TicketNotes",
    "TimeEntries",
    "Resources",
    "Projects",
    "Tasks",
    "Contracts",
    "ConfigurationItems",
    "Opportunities",
    "CompanyWebhooks",
    "ContactWebhooks",
    "TicketWebhooks",
    "ConfigurationItemWebhooks",
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "\"{0}\" is not an Autotask entity name: use the plural name from Autotask's API, letters and \
     digits only, such as Tickets or ConfigurationItems (add :write if the integration creates or \
     edits them)."
)]
pub struct EntityError(pub String);

impl Entity {
    pub fn parse(raw: &str) -> Result<Entity, EntityError> {
        let s = raw.trim();
        let (name, write) = match s.rsplit_once(':') {
            Some((name, need)) if need.eq_ignore_ascii_case("write") => (name, true),
            Some((name, need)) if need.eq_ignore_ascii_case("read") => (name, false),
            _ => (s, false),
        };
        let ok = !name.is_empty()
            && name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(Entity {
                name: name.to_string(),
                write,
            })
        } else {
            Err(EntityError(raw.chars().take(80).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Whether the integration creates or edits these records.
    pub fn needs_write(&self) -> bool {
        self.write
    }

    /// As written in `--entity` and in a saved profile.
    pub fn spelled(&self) -> String {
        if self.write {
            format!("{}:write", self.name)
        } else {
            self.name.clone()
        }
    }

    /// `names` parsed and de-duplicated, or none when none is named (a saved
    /// profile then uses what it was saved with).
    pub fn chosen(names: &[String]) -> Result<Vec<Entity>, EntityError> {
        if names.is_empty() {
            Ok(vec![])
        } else {
            Entity::list(names)
        }
    }

    /// What a check for `vendor` reads: `names` when any are named, else
    /// the vendor's recipe (what its guide says it needs), else the
    /// default four.
    pub fn for_vendor(vendor: &Vendor, names: &[String]) -> Result<Vec<Entity>, EntityError> {
        let recipe: Vec<String> = vendor
            .recipe
            .as_ref()
            .map(|r| {
                r.entities
                    .iter()
                    .map(|e| match e.access {
                        crate::vendors::Access::Read => e.entity.clone(),
                        crate::vendors::Access::Write => format!("{}:write", e.entity),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if names.is_empty() {
            Entity::list(&recipe)
        } else {
            Entity::list(names)
        }
    }

    /// `names` parsed and de-duplicated (case-insensitively; a write need
    /// wins over a read one); the default four when empty.
    pub fn list(names: &[String]) -> Result<Vec<Entity>, EntityError> {
        let mut out: Vec<Entity> = Vec::new();
        let defaults: Vec<String> = DEFAULT_ENTITIES.iter().map(|s| s.to_string()).collect();
        for name in if names.is_empty() { &defaults } else { names } {
            let e = Entity::parse(name)?;
            match out
                .iter_mut()
                .find(|o| o.name.eq_ignore_ascii_case(&e.name))
            {
                Some(o) => o.write |= e.write,
                None => out.push(e),
            }
        }
        Ok(out)
    }
}

/// What the check needs: made only by [`Request::plan`], which lints it.
#[derive(Debug)]
pub struct CheckInput {
    /// What was pasted as the zone; `None` (or the discovery host) means
    /// discover it from the username.
    pub(crate) zone: Option<ZoneInput>,
    pub(crate) credentials: Credentials,
    pub(crate) entities: Vec<Entity>,
    /// Input warnings to carry into the report.
    pub(crate) lints: Vec<Lint>,
}

/// What the check of a vendor-bound API user needs. It has no integration
/// code (only the vendor has it), so it cannot make an authenticated call:
/// [`run_bound`] has nothing to sign in with. The secret is here to be
/// linted and scrubbed from answers, never to be sent.
#[derive(Debug)]
pub struct BoundInput {
    pub(crate) zone: Option<ZoneInput>,
    pub(crate) vendor: &'static Vendor,
    pub(crate) username: Username,
    pub(crate) secret: Arc<Secret>,
    pub(crate) lints: Vec<Lint>,
}

/// The check for one vendor's API user: the full ladder for a vendor whose
/// form takes an integration code (and for your own integration), the
/// network and zone only for a vendor-bound user.
#[derive(Debug)]
pub enum Plan {
    Full {
        vendor: &'static Vendor,
        input: CheckInput,
    },
    Bound(BoundInput),
}

/// A check's inputs as a face was given them, parsed except the secret and
/// the entities ([`Entity::list`]). The order of refusals is the same for
/// every face: an integration code given for a vendor-bound user, the zone,
/// then (in [`Request::plan`]) the credentials' lints. A face reads the
/// secret between the two, so a bad zone is named before a missing secret.
#[derive(Debug)]
pub struct Request {
    vendor: &'static Vendor,
    zone: Option<ZoneInput>,
    username: String,
    integration_code: String,
}

impl Request {
    /// `zone` blank means "discover it from the username"; `integration_code`
    /// blank means none (a vendor's published code, for a vendor that
    /// publishes one).
    pub fn parse(
        vendor: &'static Vendor,
        zone: &str,
        username: &str,
        integration_code: &str,
    ) -> Result<Request, InputError> {
        if vendor.bound && !integration_code.trim().is_empty() {
            return Err(InputError::IntegrationCodeNotUsed {
                vendor: vendor.name.clone(),
            });
        }
        let zone = match zone.trim() {
            "" => None,
            z => Some(zone::parse(z)?),
        };
        let integration_code = match vendor.published_code() {
            Some(published) if integration_code.trim().is_empty() => published,
            _ => integration_code,
        };
        Ok(Request {
            vendor,
            zone,
            username: username.to_string(),
            integration_code: integration_code.to_string(),
        })
    }

    /// The zone entered, parsed (what a profile records, canonically).
    pub fn zone(&self) -> Option<ZoneInput> {
        self.zone
    }

    /// Lints the credentials with `secret`: a vendor-bound user's plan has
    /// no integration code (and reads no entities); the others need one.
    pub fn plan(self, secret: Arc<Secret>, entities: Vec<Entity>) -> Result<Plan, InputError> {
        let Request {
            vendor,
            zone,
            username,
            integration_code,
        } = self;
        // A secret typed into a vendor's web form meets that form's rules.
        let web_form = vendor.id != crate::vendors::CUSTOM;
        if !vendor.bound {
            let (credentials, mut lints) = Credentials::parse(&username, secret, &integration_code)
                .map_err(InputError::Lints)?;
            if web_form {
                crate::credentials::lint_secret_for_forms(&credentials.secret, &mut lints);
            }
            if let Some(published) = vendor.published_code()
                && credentials.integration_code.as_str() != published
            {
                lints.push(Lint::warning(
                    Field::IntegrationCode,
                    "integration_code.not_published",
                    &format!(
                        "This is not the integration code {} publishes ({published}).",
                        vendor.name
                    ),
                    "Leave the code empty to use the published one, unless the vendor gave you \
                     another.",
                ));
            }
            return Ok(Plan::Full {
                vendor,
                input: CheckInput {
                    zone,
                    credentials,
                    entities,
                    lints,
                },
            });
        }
        let mut lints = Vec::new();
        let parsed = Username::parse(&username, &mut lints);
        let secret_ok = secret.lint(&mut lints)
            && crate::credentials::lint_secret_against(
                &secret,
                &[(crate::credentials::Field::Username, &username)],
                &mut lints,
            );
        let username = parsed;
        if secret_ok && web_form {
            crate::credentials::lint_secret_for_forms(&secret, &mut lints);
        }
        match username {
            Some(username) if secret_ok => Ok(Plan::Bound(BoundInput {
                zone,
                vendor,
                username,
                secret,
                lints,
            })),
            _ => Err(InputError::Lints(lints)),
        }
    }
}

impl Plan {
    /// Whether running this plan sends the secret to Autotask (a
    /// vendor-bound user's check never does).
    pub fn sends_secret(&self) -> bool {
        matches!(self, Plan::Full { .. })
    }

    pub fn vendor(&self) -> &'static Vendor {
        match self {
            Plan::Full { vendor, .. } => vendor,
            Plan::Bound(b) => b.vendor,
        }
    }

    pub fn zone(&self) -> Option<ZoneInput> {
        match self {
            Plan::Full { input, .. } => input.zone,
            Plan::Bound(b) => b.zone,
        }
    }

    pub fn lints(&self) -> &[Lint] {
        match self {
            Plan::Full { input, .. } => &input.lints,
            Plan::Bound(b) => &b.lints,
        }
    }

    pub fn username(&self) -> &Username {
        match self {
            Plan::Full { input, .. } => &input.credentials.username,
            Plan::Bound(b) => &b.username,
        }
    }

    pub fn secret(&self) -> &Arc<Secret> {
        match self {
            Plan::Full { input, .. } => &input.credentials.secret,
            Plan::Bound(b) => &b.secret,
        }
    }

    pub fn integration_code(&self) -> Option<&IntegrationCode> {
        match self {
            Plan::Full { input, .. } => Some(&input.credentials.integration_code),
            Plan::Bound(_) => None,
        }
    }
}
