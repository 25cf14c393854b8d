//! The check as text: the ladder a technician reads in a terminal, and the
//! support report they paste into a vendor's ticket. Neither ever holds the
//! secret; the support report also redacts the integration code.

use std::fmt::Write;

use crate::check::{Report, Status, Step, thousands};
use crate::credentials::{Lint, Severity, redact_middle};

/// A step's status as a fixed-width word.
pub(crate) fn status_word(status: Status) -> &'static str {
    match status {
        Status::Pending => "....",
        Status::Running => "....",
        Status::Passed => "PASS",
        Status::Warning => "WARN",
        Status::Failed => "FAIL",
        Status::Skipped => "SKIP",
    }
}

/// Writes `prefix` + `text`, wrapped at `width`, continuation lines indented.
fn wrap(out: &mut String, prefix: &str, text: &str, indent: &str) {
    let mut line = prefix.to_string();
    let mut fresh = true;
    for word in text.split_whitespace() {
        if !fresh && line.chars().count() + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(out, "{line}");
            line = indent.to_string();
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        line.push_str(word);
        fresh = false;
    }
    let _ = writeln!(out, "{line}");
}

const WIDTH: usize = 100;
const INDENT: &str = "                        ";

/// One rung of the ladder, wrapped for a terminal.
pub fn step_text(step: &Step) -> String {
    let mut out = String::new();
    let prefix = format!("{}  {:<16}  ", status_word(step.status), step.id.title());
    wrap(&mut out, &prefix, &step.message, INDENT);
    if matches!(step.status, Status::Failed | Status::Warning) {
        if let Some(blame) = step.blame {
            let blame = blame.code();
            wrap(&mut out, INDENT, &format!("Blames: {blame}"), INDENT);
        }
        if let Some(fix) = &step.fix {
            wrap(&mut out, INDENT, &format!("Fix: {fix}"), INDENT);
        }
        if let Some(details) = &step.details {
            wrap(&mut out, INDENT, details, INDENT);
        }
        if let Some(link) = &step.link {
            let _ = writeln!(out, "{INDENT}See: {link}");
        }
    }
    out
}

/// The summary under the ladder: the verdict and who the tenant is.
pub fn summary_text(report: &Report) -> String {
    let mut out = String::new();
    let warnings = report
        .steps
        .iter()
        .filter(|s| s.status == Status::Warning)
        .count();
    if let Some(t) = report.tenant.as_ref().filter(|_| report.passed) {
        let _ = writeln!(out);
        if let Some(name) = &t.company_name {
            let _ = writeln!(out, "Tenant:      {name}");
        }
        if let Some(zone) = &t.zone_name {
            let _ = writeln!(out, "Zone:        {zone}");
        }
        let _ = writeln!(out, "Portal:      {}", t.web_url);
        let _ = writeln!(out, "API:         {}", t.api_url);
        if let Some(ci) = t.ci {
            let _ = writeln!(out, "Database id: {ci}");
        }
        if let Some(u) = &report.api_user {
            wrap(&mut out, "API user:    ", &u.sentence(), "             ");
        }
    }
    if let Some(u) = &report.usage {
        let _ = writeln!(
            out,
            "API usage:   {} of {} requests in the last {} minutes ({} %)",
            thousands(u.used),
            thousands(u.limit),
            u.window_minutes,
            u.percent
        );
    }
    let _ = writeln!(out);
    match report.first_failure() {
        None if warnings == 0 => {
            let _ = writeln!(out, "Result: PASSED.");
        }
        None => {
            let _ = writeln!(
                out,
                "Result: PASSED with {warnings} warning{}.",
                if warnings == 1 { "" } else { "s" }
            );
        }
        Some(step) => {
            let _ = writeln!(
                out,
                "Result: FAILED at {}. Fix that first; the steps after it depend on it.",
                step.id.title().to_lowercase()
            );
        }
    }
    out
}

/// Input warnings, as shown before the ladder.
pub fn lints_text(lints: &[Lint]) -> String {
    let mut out = String::new();
    for l in lints {
        let kind = match l.severity {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
        };
        wrap(
            &mut out,
            "",
            &format!("{kind} ({}): {} {}", l.field.label(), l.message, l.fix),
            "    ",
        );
    }
    out
}

/// What became of the secret, in words: refused, not sent and never
/// judged are different stories for whoever reads a ticket.
pub fn sign_in_text(sign_in: crate::check::SignIn) -> &'static str {
    use crate::check::SignIn;
    match sign_in {
        SignIn::Accepted => "yes; Autotask accepted it",
        SignIn::Refused => "yes; Autotask refused it",
        SignIn::NoVerdict => "yes; no answer said whether Autotask accepts it",
        SignIn::NotSent => "no; nothing carrying it was sent (by design)",
        SignIn::FailedBeforeSending => "no; the check stopped before it could be sent",
    }
}

/// The operating system, as a support engineer wants it: the distribution
/// name on Linux, plus OS family and architecture everywhere.
pub fn os_description() -> String {
    let base = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    #[cfg(target_os = "linux")]
    if let Ok(release) = std::fs::read_to_string("/etc/os-release")
        && let Some(name) = release.lines().find_map(|l| l.strip_prefix("PRETTY_NAME="))
    {
        return format!("{} ({base})", name.trim_matches('"'));
    }
    base
}

/// Facts about where the check ran, for a support ticket.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub app: String,
    pub os: String,
    /// What was entered as the zone, as typed.
    pub zone_input: Option<String>,
    pub username: String,
    pub integration_code: String,
    /// When the check ran (RFC 3339).
    pub at: String,
    /// What the technician checks in Autotask because nothing here tested
    /// it (the vendor's recipe, for a vendor-bound user).
    pub checklist: Vec<String>,
}

/// The report for a vendor's support ticket: every step with its status,
/// HTTP codes and Autotask's error texts, plus app, OS and zone. The secret
/// never appears; the integration code is redacted.
pub fn support_text(report: &Report, ctx: &Context) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Autotask Connect — connection check report");
    let _ = writeln!(out, "App:               {}", ctx.app);
    let _ = writeln!(out, "Operating system:  {}", ctx.os);
    if !ctx.at.is_empty() {
        let _ = writeln!(out, "Checked at:        {}", ctx.at);
    }
    let _ = writeln!(
        out,
        "Zone entered:      {}",
        ctx.zone_input
            .as_deref()
            .and_then(crate::zone::canonical)
            .as_deref()
            .unwrap_or("(none: discovered from the username)")
    );
    let _ = writeln!(out, "API username:      {}", ctx.username);
    let _ = writeln!(
        out,
        "Integration code:  {}",
        if ctx.integration_code.is_empty() {
            "(none)".to_string()
        } else {
            redact_middle(&ctx.integration_code)
        }
    );
    let _ = writeln!(out, "Secret:            (not included)");
    if let Some(t) = &report.tenant {
        let _ = writeln!(
            out,
            "Tenant:            zone {} · API {} · portal {} · database {}",
            t.zone_name.as_deref().unwrap_or("?"),
            t.api_url,
            t.web_url,
            t.ci.map(|c| c.to_string()).unwrap_or_else(|| "?".into())
        );
    }
    if let Some(u) = &report.api_user {
        let _ = writeln!(out, "API user record:   {}", u.sentence());
    }
    let _ = writeln!(
        out,
        "Result:            {}",
        match (report.passed, report.tested_the_secret()) {
            (true, true) => "passed",
            (true, false) => "username and zone confirmed; the secret was not tested",
            (false, _) => "failed",
        }
    );
    let _ = writeln!(out, "Secret sent:       {}", sign_in_text(report.sign_in));
    let _ = writeln!(out);
    // One line per fact, unwrapped: ticket systems wrap text themselves.
    for step in &report.steps {
        let _ = writeln!(
            out,
            "{}  {}: {}",
            status_word(step.status),
            step.id.title(),
            step.message
        );
        if let Some(blame) = step.blame {
            let blame = blame.code();
            let _ = writeln!(out, "      Blames: {blame}");
        }
        if let Some(fix) = step.fix.as_ref().filter(|_| step.status != Status::Passed) {
            let _ = writeln!(out, "      Fix: {fix}");
            if let Some(details) = &step.details {
                let _ = writeln!(out, "      {details}");
            }
        }
        for x in &step.http {
            let status = x
                .status
                .map(|s| format!("HTTP {s}"))
                .unwrap_or_else(|| "no answer".into());
            let _ = write!(
                out,
                "{INDENT}{} {} → {status} ({} ms)",
                x.method, x.url, x.elapsed_ms
            );
            if !x.errors.is_empty() {
                let _ = write!(out, " — Autotask said: \"{}\"", x.errors.join("\"; \""));
            }
            if let Some(f) = &x.failure {
                let _ = write!(out, " — {f}");
            }
            let _ = writeln!(out);
        }
    }
    if !report.lints.is_empty() {
        let _ = writeln!(out);
        out.push_str(&lints_text(&report.lints));
    }
    if !ctx.checklist.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Not tested here: check these in Autotask:");
        for line in &ctx.checklist {
            let _ = writeln!(out, "  - {line}");
        }
    }
    let code = ctx.integration_code.trim();
    if code.len() >= 4 {
        out = out.replace(code, "<integration code>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{StepId, Tenant};

    fn report() -> Report {
        Report {
            passed: false,
            tenant: Some(Tenant {
                zone_name: Some("America East".into()),
                api_url: "https://webservices5.autotask.net/ATServicesRest/V1.0/".into(),
                web_url: "https://ww5.autotask.net/".into(),
                ci: Some(30595),
                company_name: None,
            }),
            steps: vec![crate::check::Step {
                id: StepId::Authentication,
                status: Status::Failed,
                message: "Autotask refused the secret.".into(),
                blame: Some(crate::check::Blame::Secret),
                fix: Some("Generate a new secret.".into()),
                details: None,
                link: None,
                http: vec![crate::rest::Exchange {
                    method: "GET",
                    url:
                        "https://webservices5.autotask.net/ATServicesRest/V1.0/ThresholdInformation"
                            .into(),
                    status: Some(401),
                    errors: vec!["IntegrationCode ABCDEFGHIJKLMNOPQRSTUVWXYZ1 bad".into()],
                    elapsed_ms: 12,
                    failure: None,
                }],
            }],
            usage: None,
            entities: vec![],
            lints: vec![],
            sign_in: crate::check::SignIn::Refused,
            retest_after_s: None,
            api_user: None,
        }
    }

    #[test]
    fn support_report_has_codes_and_redacts() {
        let text = support_text(
            &report(),
            &Context {
                app: "autotask-connect 0.1.0".into(),
                os: "linux".into(),
                zone_input: Some("ww5.autotask.net".into()),
                username: "k3jd8f0aq2mz7xw@contoso.com".into(),
                integration_code: "ABCDEFGHIJKLMNOPQRSTUVWXYZ1".into(),
                at: String::new(),
                checklist: vec![],
            },
        );
        assert!(text.contains("HTTP 401"), "{text}");
        assert!(
            text.contains("FAIL  Authentication: Autotask refused the secret."),
            "{text}"
        );
        assert!(text.contains("AB…Z1 (27 characters)"), "{text}");
        assert!(!text.contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ1"), "{text}");
        assert!(text.contains("Blames: secret"));
    }

    #[test]
    fn a_check_that_never_sent_the_secret_does_not_report_it_passed() {
        let ctx = Context {
            app: "autotask-connect 0.1.0".into(),
            os: "linux".into(),
            zone_input: None,
            username: "k3jd8f0aq2mz7xw@contoso.com".into(),
            integration_code: String::new(),
            at: String::new(),
            checklist: crate::vendors::find("proxuma").unwrap().checklist(),
        };
        let step = |id, status| crate::check::Step {
            id,
            status,
            message: String::new(),
            blame: None,
            fix: None,
            details: None,
            link: None,
            http: vec![],
        };
        let bound = Report {
            passed: true,
            sign_in: crate::check::SignIn::NotSent,
            steps: vec![
                step(StepId::Zone, Status::Passed),
                step(StepId::Authentication, Status::Skipped),
            ],
            ..report()
        };
        let text = support_text(&bound, &ctx);
        assert!(
            text.contains(
                "Result:            username and zone confirmed; the secret was not tested\n"
            ),
            "{text}"
        );
        assert!(text.contains("Integration code:  (none)\n"), "{text}");
        assert!(
            text.contains(
                "Not tested here: check these in Autotask:\n  - Security level: A copy of API User \
                 (system) (API-only)"
            ),
            "{text}"
        );
        assert!(
            text.contains("  - Other: \"Can create Webhooks\" ticked, webhook maximum 50.\n"),
            "{text}"
        );
        assert!(
            text.contains("Secret sent:       no; nothing carrying it was sent (by design)\n"),
            "{text}"
        );
        let full = Report {
            steps: vec![step(StepId::Authentication, Status::Passed)],
            sign_in: crate::check::SignIn::Accepted,
            ..bound
        };
        assert!(support_text(&full, &ctx).contains("Result:            passed\n"));
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn summary_names_the_first_failure() {
        assert!(summary_text(&report()).contains("FAILED at authentication"));
    }
}
