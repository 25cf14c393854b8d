//! What the CLI prints: one JSON document with `--json`, otherwise text a
//! technician reads, with the ladder appearing step by step.

use std::io::Write;
use std::sync::Mutex;

use crate::error::Error;
use autotask_connect::check::{InputError, Report, Status, Step, StepId, WebhookReport};
use autotask_connect::credentials::Lint;
use autotask_connect::error::Error as CoreError;
use autotask_connect::handoff::Handoff;
use autotask_connect::profile::{Deleted, Listing, ProfileView, Rotation};
use autotask_connect::report;
use autotask_connect::status::{StatusReport, age_text};
use autotask_connect::store::keyring::{StoreError, StoreHealth};
use autotask_connect::vendors::{self, Kind, Vendor};
use autotask_connect::view::{self, ErrorView};
use autotask_connect::zone::ZoneSummary;
use serde::Serialize;
use serde_json::json;

/// The check's summary. A check that never sent the secret (a vendor-bound
/// API user) says what it confirmed instead of "PASSED".
fn summary(report: &Report, vendor: Option<&Vendor>) -> String {
    let text = report::summary_text(report);
    if !report.passed || report.tested_the_secret() {
        return text;
    }
    let who = vendor.map_or("the vendor's".to_string(), |v| format!("{}'s", v.name));
    text.replacen("Result: PASSED", "Result: USERNAME AND ZONE CONFIRMED", 1)
        + &format!("The secret was not tested here: {who} own test verifies it.\n")
}

pub(crate) struct Output {
    json: bool,
    /// The profile of a gateway command (`exec --gateway`, `serve`), whose
    /// questions are answered by checking the profile first.
    gateway: Option<String>,
}

/// Prints finished steps in ladder order, as soon as all before them are done.
struct LivePrinter {
    /// The lints and the heading, printed with the first step.
    preamble: Option<String>,
    done: Vec<Option<Step>>,
    next: usize,
}

impl LivePrinter {
    fn see(&mut self, step: &Step) {
        if let Some(preamble) = self.preamble.take() {
            print!("{preamble}");
        }
        if matches!(step.status, Status::Pending | Status::Running) {
            return;
        }
        let i = StepId::ALL
            .iter()
            .position(|id| *id == step.id)
            .unwrap_or(0);
        self.done[i] = Some(step.clone());
        let mut stdout = std::io::stdout().lock();
        while let Some(Some(s)) = self.done.get(self.next) {
            let _ = stdout.write_all(report::step_text(s).as_bytes());
            self.next += 1;
        }
        let _ = stdout.flush();
    }
}

impl Output {
    pub(crate) fn new(json: bool) -> Output {
        Output {
            json,
            gateway: None,
        }
    }

    pub(crate) fn gateway(mut self, profile: Option<String>) -> Output {
        self.gateway = profile;
        self
    }

    fn print_json(&self, value: &impl Serialize) {
        let text = serde_json::to_string_pretty(value).expect("serializable");
        println!("{text}");
    }

    pub(crate) fn zone(&self, summary: &ZoneSummary) {
        if self.json {
            self.print_json(&view::ZoneSummary::from(summary));
            return;
        }
        println!("{}", summary.message);
        println!("  API host:  {}", summary.api_host);
        println!("  REST URL:  {}", summary.api_url);
        if let Some(web) = &summary.web_url {
            println!("  Portal:    {web}");
        }
    }

    /// Announces the check and returns the observer that prints the ladder
    /// live (text mode) or stays silent (JSON).
    /// The live ladder in text mode. Nothing is printed until the first
    /// step: a check the door refuses (a question, the lockout guard)
    /// prints only its error.
    pub(crate) fn begin_check(&self, lints: &[Lint]) -> Box<dyn Fn(&Step) + Send + Sync> {
        if self.json {
            return Box::new(|_: &Step| {});
        }
        let mut preamble = String::new();
        if !lints.is_empty() {
            preamble.push_str(&report::lints_text(lints));
            preamble.push('\n');
        }
        preamble.push_str("Autotask connection check\n");
        let printer = Mutex::new(LivePrinter {
            preamble: Some(preamble),
            done: vec![None; StepId::ALL.len()],
            next: 0,
        });
        Box::new(move |step: &Step| printer.lock().expect("printer").see(step))
    }

    pub(crate) fn report(&self, report: &Report) {
        if self.json {
            self.print_json(&view::Report::from(report));
        } else {
            print!("{}", summary(report, None));
        }
    }

    /// A check run with `--vendor`: the report's JSON gains `"vendor"`.
    pub(crate) fn vendor_report(&self, vendor: &Vendor, report: &Report) {
        if self.json {
            let mut value = serde_json::to_value(view::Report::from(report)).expect("serializable");
            value["vendor"] = json!(vendor.id);
            self.print_json(&value);
        } else {
            print!("{}", summary(report, Some(vendor)));
            if !report.tested_the_secret() {
                print!("{}", checklist_text(&vendor.checklist()));
            }
        }
    }

    /// Text mode: who the check is for, before the ladder.
    pub(crate) fn for_vendor(&self, vendor: &Vendor) {
        if !self.json {
            println!("For: {}", vendor.name);
        }
    }

    pub(crate) fn vendors(&self, all: &[Vendor]) {
        if self.json {
            let list: Vec<_> = all.iter().map(view::VendorSummary::from).collect();
            self.print_json(&list);
            return;
        }
        for v in all {
            let fields: Vec<&str> = v.fields.iter().map(|f| f.label.as_str()).collect();
            let code = match (v.bound, v.published_code()) {
                (true, _) => " (vendor-bound: no integration code)".to_string(),
                (false, Some(code)) => format!(" (publishes its integration code: {code})"),
                (false, None) => String::new(),
            };
            println!(
                "{:<16}{}{code}\n{:<16}asks for: {}",
                v.id,
                v.name,
                "",
                fields.join(", ")
            );
        }
    }

    pub(crate) fn handoff(&self, h: &Handoff) {
        if self.json {
            self.print_json(&view::Handoff::from(h));
            return;
        }
        let vendor = vendors::find(&h.vendor).expect("a hand-off names a known vendor");
        println!("Enter these in {}:", vendor.form_name());
        let width = h
            .fields
            .iter()
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(0)
            + 1;
        for f in &h.fields {
            let value = match (&f.value, f.kind) {
                (Some(v), _) => v.clone(),
                (None, Kind::Secret) => {
                    "(the secret: not printed; copy it from the app or your password manager)"
                        .to_string()
                }
                (None, _) => "(not known)".to_string(),
            };
            println!("  {:<width$} {value}", format!("{}:", f.label));
        }
        print!("{}", checklist_text(&h.checklist));
    }

    pub(crate) fn webhooks(&self, r: &WebhookReport) {
        if self.json {
            self.print_json(&view::WebhookReport::from(r));
            return;
        }
        println!(
            "Webhooks of this integration (read with the API user's own credentials; nothing was changed)"
        );
        for s in &r.steps {
            if s.status == Status::Failed {
                print!("{}", report::step_text(s));
            }
        }
        for e in &r.entities {
            match (&e.problem, e.webhooks.is_empty()) {
                (Some(p), _) => println!("{:<20}not read: {p}", e.entity),
                (None, true) => println!("{:<20}none", e.entity),
                (None, false) => {
                    for w in &e.webhooks {
                        let fields = match w.subscribed_fields {
                            Some(n) => {
                                format!("{n} subscribed field{}", if n == 1 { "" } else { "s" })
                            }
                            None => "subscribed fields not counted".into(),
                        };
                        let state = |v: Option<bool>, yes: &str, no: &str| match v {
                            Some(true) => yes.to_string(),
                            Some(false) => no.to_string(),
                            None => format!("{yes}?"),
                        };
                        println!(
                            "{:<20}{} (id {}): {}, {}, {fields}, {}",
                            e.entity,
                            w.webhook.name,
                            w.webhook.id,
                            state(w.webhook.active, "active", "INACTIVE"),
                            state(w.webhook.ready, "ready", "NOT READY"),
                            w.shown_url
                        );
                        for p in &w.problems {
                            println!("{:<20}  ! {}", "", p.sentence());
                        }
                    }
                }
            }
        }
        match &r.error_log {
            Some(autotask_connect::check::ErrorLog::Read {
                entries,
                unattributed,
            }) => {
                print!(
                    "Error log (last 30 days): {entries} undelivered callout{}",
                    if *entries == 1 { "" } else { "s" }
                );
                if *unattributed > 0 {
                    print!(", {unattributed} of them for no webhook listed here");
                }
                println!(".");
            }
            Some(autotask_connect::check::ErrorLog::NotRead(why)) => {
                println!("Error log (last 30 days): not read: {why}.")
            }
            None => {}
        }
        println!(
            "Requests: {} (at most {}).",
            r.requests,
            autotask_connect::check::MAX_WEBHOOK_REQUESTS
        );
        let problems = r.with_problems();
        println!(
            "{}",
            if r.ok() && r.entities.iter().all(|e| e.webhooks.is_empty()) {
                "Result: this integration has no webhooks on these entities.".to_string()
            } else if r.ok() {
                "Result: every webhook is fine.".to_string()
            } else if r.sign_in != autotask_connect::check::SignIn::Accepted {
                "Result: NOT READ: the sign-in did not succeed.".to_string()
            } else if problems > 0 {
                format!(
                    "Result: {problems} webhook{} {} a problem.",
                    if problems == 1 { "" } else { "s" },
                    if problems == 1 { "has" } else { "have" }
                )
            } else {
                "Result: NOT READ: no webhook entity could be read.".to_string()
            }
        );
    }

    pub(crate) fn signature(&self, s: autotask_connect::webhook::Signature) {
        if self.json {
            self.print_json(&view::SignatureCheck::from(s));
        } else {
            println!("{}", s.sentence());
        }
    }

    pub(crate) fn saved(&self, view: Option<&ProfileView>, check: Option<&Report>) {
        if self.json {
            self.print_json(&view::Saved::new(view, check));
            return;
        }
        if let Some(r) = check {
            print!("{}", summary(r, None));
        }
        match view {
            Some(v) => println!(
                "Saved profile \"{}\"; its secret is in the credential store (service \"autotask-connect\", account \"{}\").",
                v.name, v.name
            ),
            None => println!("Nothing was saved: the check did not pass."),
        }
    }

    pub(crate) fn listing(&self, listing: &Listing) {
        if self.json {
            self.print_json(&view::Listing::from(listing));
            return;
        }
        if let Some(n) = &listing.notice {
            eprintln!("Note: {}", n.message);
        }
        if let Some(p) = &listing.store_problem {
            eprintln!("Credential store unavailable: {p}");
        }
        if listing.profiles.is_empty() {
            println!("No saved profiles ({}).", listing.config_path);
            return;
        }
        for v in &listing.profiles {
            let last = match &v.last_check {
                Some(c) if c.passed => format!("checked {} passed", c.at),
                Some(c) => format!("checked {} FAILED", c.at),
                None => "never checked".into(),
            };
            let secret = match v.has_secret {
                Some(true) => "secret stored",
                Some(false) => "NO SECRET",
                None => "secret: store unavailable",
            };
            let zone = v
                .tenant
                .as_ref()
                .map(|t| t.web_url.clone())
                .or_else(|| v.zone_input.clone())
                .unwrap_or_else(|| "zone not yet known".into());
            println!("{}\t{}\t{}\t{}\t{}", v.name, v.username, zone, secret, last);
            if let Some(p) = &v.problem {
                println!("    ! {p}");
            }
        }
    }

    pub(crate) fn profile(&self, v: &ProfileView) {
        if self.json {
            self.print_json(&view::Profile::from(v));
            return;
        }
        println!("Profile:           {}", v.name);
        if v.vendor != vendors::CUSTOM {
            let name = vendors::find(&v.vendor)
                .map(|x| x.name.as_str())
                .unwrap_or(&v.vendor);
            println!("Used by:           {name}");
        }
        println!("API username:      {}", v.username);
        if v.integration_code.is_empty() && v.vendor != vendors::CUSTOM {
            println!("Integration code:  (the vendor's own; not needed)");
        } else {
            println!("Integration code:  {}", v.integration_code);
        }
        println!(
            "Zone entered:      {}",
            v.zone_input.as_deref().unwrap_or("(discovered)")
        );
        if let Some(t) = &v.tenant {
            println!("Portal:            {}", t.web_url);
            println!("API:               {}", t.api_url);
            if let Some(ci) = t.ci {
                println!("Database id:       {ci}");
            }
        }
        println!(
            "Secret:            {}",
            match v.has_secret {
                Some(true) => "stored in the credential store",
                Some(false) => "MISSING from the credential store",
                None => "unknown (credential store unavailable)",
            }
        );
        if let Some(c) = &v.last_check {
            println!("Last check:        {} — {}", c.at, c.message);
        }
        if let Some(p) = &v.problem {
            println!("Problem:           {p}");
        }
    }

    pub(crate) fn renamed(&self, v: &ProfileView, leftover: Option<&StoreError>) {
        if self.json {
            self.print_json(&view::Renamed::from((v, leftover)));
            return;
        }
        println!("Renamed to \"{}\".", v.name);
        if let Some(e) = leftover {
            eprintln!("The old name's secret could not be removed from the credential store: {e}");
        }
    }

    pub(crate) fn deleted(&self, d: &Deleted) {
        if self.json {
            self.print_json(&view::Deleted::from(d));
            return;
        }
        println!(
            "Deleted \"{}\" ({}{}).",
            d.name,
            if d.removed_profile {
                "profile"
            } else {
                "no profile record"
            },
            if d.removed_secret {
                " and its secret"
            } else {
                "; no secret was stored"
            }
        );
    }

    pub(crate) fn rotated(&self, r: &Rotation) {
        if self.json {
            self.print_json(&view::Rotated::from(r));
            return;
        }
        print!("{}", summary(&r.report, None));
        println!("{}", r.outcome());
    }

    pub(crate) fn doctor(
        &self,
        health: &StoreHealth,
        config: Result<&autotask_connect::store::config::Config, String>,
        updates: &autotask_connect::updates::Updates,
    ) {
        let config_json = match &config {
            Ok(c) => json!({"dir": c.dir(), "path": c.path(), "exists": c.path().exists()}),
            Err(e) => json!({"error": e}),
        };
        if self.json {
            self.print_json(&json!({
                "ok": health.ok && config.is_ok(),
                "store": view::StoreHealth::from(health),
                "config": config_json,
                "updates": view::Updates::from(updates),
            }));
            return;
        }
        println!("Credential store:  {}", health.backend);
        match &health.message {
            None => println!("Store health:      OK (wrote, read back and deleted a probe item)"),
            Some(m) => println!("Store health:      NOT USABLE — {m}"),
        }
        match config {
            Ok(c) => println!("Config file:       {}", c.path().display()),
            Err(e) => println!("Config file:       {e}"),
        }
        println!("Updates:           {}", updates.describe());
    }

    pub(crate) fn status(&self, r: &StatusReport) {
        if self.json {
            self.print_json(&view::StatusReport::from(r));
            return;
        }
        if let Some(n) = &r.notice {
            eprintln!("Note: {}", n.message);
        }
        if let Some(p) = &r.store_problem {
            eprintln!("Credential store unavailable: {p}");
        }
        if r.profiles.is_empty() {
            println!("No saved profiles ({}).", r.config_path);
            return;
        }
        for p in &r.profiles {
            let zone = match (&p.zone.api_url, &p.zone.saved_api_url) {
                (Some(now), _) => host_of(now),
                (None, Some(saved)) => format!("{} (not confirmed)", host_of(saved)),
                (None, None) => "zone unknown".into(),
            };
            let secret = match p.secret_stored {
                Some(true) => "secret stored",
                Some(false) => "NO SECRET",
                None => "secret: store unavailable",
            };
            let last = match (&p.check, &p.last_check) {
                (Some(c), _) if c.passed => "check passed now".to_string(),
                (Some(_), _) => "check FAILED now".to_string(),
                (None, Some(c)) => format!(
                    "last check {} {}",
                    if c.passed { "passed" } else { "FAILED" },
                    c.age_seconds.map(age_text).unwrap_or_else(|| c.at.clone())
                ),
                (None, None) => "never checked".into(),
            };
            let guard = if p.lockout_guard.blocking {
                format!(
                    "guard: BLOCKING ({} refused logins)",
                    p.lockout_guard.recent_failed_logins
                )
            } else {
                format!(
                    "guard: {} refused login(s)",
                    p.lockout_guard.recent_failed_logins
                )
            };
            println!(
                "{} {}\t{}\t{}\t{}\t{}\t{}",
                if p.ok { "✓" } else { "X" },
                p.name,
                p.username,
                zone,
                secret,
                last,
                guard
            );
            for problem in &p.problems {
                println!("    ! {}", problem.message);
            }
        }
        if !r.gateways.is_empty() {
            println!("Gateways running:");
        }
        for g in r.gateways.iter().map(view::GatewayStatus::from) {
            let state = match g.state {
                "serving" if g.read_only => "serving, read-only".to_string(),
                "serving" if g.write_entities.is_empty() => "serving, writes allowed".to_string(),
                "serving" => format!("serving, writes only {}", g.write_entities.join(", ")),
                _ => "STOPPED: Autotask refused the credentials".to_string(),
            };
            let share = match (g.share_of_hour_percent, g.tenant_threshold) {
                (Some(p), Some(t)) => format!(", {p} % of the tenant's {t} per hour"),
                _ => String::new(),
            };
            println!(
                "  {} {} (process {})\t{state}\t{} requests, {} in the last hour{share} \
                 (budget {})",
                g.profile, g.url, g.pid, g.requests, g.last_hour, g.budget
            );
        }
    }

    /// `{"error": {kind, message, field, lints}}` (and `reason` for a refused
    /// zone): the one error view the window gets too.
    pub(crate) fn error(&self, e: &Error) {
        let error = e.view_in(self.gateway.as_deref());
        if self.json {
            self.print_json(&json!({ "error": error }));
        } else if let Error::Core(CoreError::Input(InputError::Lints(lints))) = e {
            for l in lints {
                eprintln!("{}: {} {}", l.field.label(), l.message, l.fix);
            }
        } else {
            eprintln!("autotask-connect: {}", error.message);
        }
    }

    /// A usage mistake found before any command ran.
    pub(crate) fn usage_error(&self, message: &str) {
        self.print_json(&json!({ "error": ErrorView::new("usage", message) }));
    }
}

/// The lines nothing here tested, to check in Autotask.
fn checklist_text(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nNot tested here: check these in Autotask:\n");
    for l in lines {
        out.push_str(&format!("  - {l}\n"));
    }
    out
}

/// `webservices5.autotask.net` from its REST base URL.
fn host_of(api_url: &str) -> String {
    api_url
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap_or(api_url)
        .to_string()
}
