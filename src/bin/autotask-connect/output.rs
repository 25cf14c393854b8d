//! What the CLI prints: one JSON document with `--json`, otherwise text a
//! technician reads, with the ladder appearing step by step.

use std::io::Write;
use std::sync::Mutex;

use autotask_connect::check::{Report, Status, Step, StepId};
use autotask_connect::credentials::{Field, Lint};
use autotask_connect::error::Error;
use autotask_connect::report;
use autotask_connect::zone::ZoneSummary;
use serde::Serialize;
use serde_json::json;

pub struct Output {
    json: bool,
}

/// Prints finished steps in ladder order, as soon as all before them are done.
struct LivePrinter {
    done: Vec<Option<Step>>,
    next: usize,
}

impl LivePrinter {
    fn see(&mut self, step: &Step) {
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
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    fn print_json(&self, value: &impl Serialize) {
        let text = serde_json::to_string_pretty(value).expect("serializable");
        println!("{text}");
    }

    pub fn zone(&self, summary: &ZoneSummary) {
        if self.json {
            self.print_json(summary);
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
    pub fn begin_check(&self, lints: &[Lint]) -> Box<dyn Fn(&Step) + Send + Sync> {
        if self.json {
            return Box::new(|_: &Step| {});
        }
        if !lints.is_empty() {
            let r = Report {
                passed: true,
                tenant: None,
                steps: vec![],
                usage: None,
                entities: vec![],
                lints: lints.to_vec(),
            };
            print!("{}", report::lints_text(&r));
            println!();
        }
        println!("Autotask connection check");
        let printer = Mutex::new(LivePrinter {
            done: vec![None; StepId::ALL.len()],
            next: 0,
        });
        Box::new(move |step: &Step| printer.lock().expect("printer").see(step))
    }

    pub fn report(&self, report: &Report) {
        if self.json {
            self.print_json(report);
        } else {
            print!("{}", report::summary_text(report));
        }
    }

    pub fn error(&self, e: &Error) {
        if let Error::Input(lints) = e {
            if self.json {
                self.print_json(&json!({"error": {
                    "kind": e.kind(),
                    "message": e.to_string(),
                    "field": e.field(),
                    "lints": lints,
                }}));
            } else {
                for l in lints {
                    eprintln!("{}: {} {}", l.field.label(), l.message, l.fix);
                }
            }
            return;
        }
        self.error_kind(e.kind(), &e.to_string(), e.field());
    }

    pub fn error_kind(&self, kind: &str, message: &str, field: Option<Field>) {
        if self.json {
            self.print_json(&json!({"error": {"kind": kind, "message": message, "field": field}}));
        } else {
            eprintln!("autotask-connect: {message}");
        }
    }
}
