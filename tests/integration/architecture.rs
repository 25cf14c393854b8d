//! ARCHITECTURE.md's structural invariants, read from the source tree: a
//! change that breaks one fails here with what broke.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The source without comments: a module named in a doc link is not a
/// dependency. A `//` preceded by `:` is a URL inside a string, not a comment.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut cut = line.len();
            let bytes = line.as_bytes();
            for i in 0..bytes.len().saturating_sub(1) {
                if bytes[i] == b'/' && bytes[i + 1] == b'/' && (i == 0 || bytes[i - 1] != b':') {
                    cut = i;
                    break;
                }
            }
            &line[..cut]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The core's module a file belongs to: `check/run.rs` is `check`; the two
/// halves of `store/` are modules of their own (`store::config`).
fn module_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [lib] if lib == "lib" => None,
        [first, ..] if first == "bin" => None,
        [store, sub] if store == "store" && sub != "mod" => Some(format!("store::{sub}")),
        [first, ..] => Some(first.clone()),
        [] => None,
    }
}

/// The modules a file names through `crate::…` paths (`use` or inline).
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let preceded_by_ident = rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + "crate::".len()..];
        if preceded_by_ident {
            continue; // `autotask_connect::…` in a doc test, `some_crate::`
        }
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let first = ident(rest);
        if first == "store" {
            let after = &rest["store".len()..];
            if let Some(sub) = after.strip_prefix("::") {
                let sub = ident(sub);
                if !sub.is_empty() && sub.chars().next().unwrap().is_lowercase() {
                    out.insert(format!("store::{sub}"));
                    continue;
                }
            }
        }
        if !first.is_empty() {
            out.insert(first);
        }
    }
    out
}

/// The core's module graph, from the imports of `src/` (the CLI binary excluded).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let Some(module) = module_of(relative) else {
            continue;
        };
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let deps = graph.entry(module.clone()).or_default();
        for dep in crate_references(&code) {
            if dep != module {
                deps.insert(dep);
            }
        }
    }
    graph
}

/// Every cycle's modules (strongly connected components of two or more).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Tarjan's algorithm over the module names.
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        out: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.graph.contains_key(w) {
                    continue;
                }
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                loop {
                    let w = self.stack.pop().unwrap();
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.out.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.out
}

#[test]
fn the_module_graph_has_no_cycles() {
    let graph = module_graph();
    // The graph is really read: the driver's own folder and its layers show.
    assert!(graph["check"].contains("rest"), "{graph:#?}");
    assert!(graph["profile"].contains("store::config"), "{graph:#?}");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "modules that import each other (read top to bottom: zone/credentials/paste -> \
         transport -> rest -> check -> report; store -> lockout -> profile -> form; error at \
         the top): {found:?}\n{graph:#?}"
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.into(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c"]]);
    let refs = crate_references(&code_of(
        "use crate::check::{Report};\nlet x = crate::store::config::now(); // crate::zone\n\
         autotask_connect::error::Error",
    ));
    assert_eq!(
        refs,
        ["check", "store::config"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}
