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

/// The code of a file without its unit tests (`#[cfg(test)] mod tests`), where
/// fixtures may do what the product may not.
fn product_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    code_of(text)
}

/// Every product source file of the core, the CLI and the window's shell,
/// relative to the workspace root, with its code.
fn product_sources() -> Vec<(String, String)> {
    let root = root();
    let mut out = Vec::new();
    for dir in ["src", "src-tauri/src"] {
        // A module's unit tests in their own file (`#[cfg(test)] mod tests;`)
        // are fixtures, not product.
        for file in rust_files(&root.join(dir))
            .into_iter()
            .filter(|f| f.file_name().is_none_or(|n| n != "tests.rs"))
        {
            let name = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, product_code(&file)));
        }
    }
    assert!(out.len() > 30, "the sources were found: {}", out.len());
    out
}

/// The files whose code mentions any of `needles`.
fn files_using(needles: &[&str]) -> Vec<String> {
    product_sources()
        .into_iter()
        .filter(|(_, code)| needles.iter().any(|n| code.contains(n)))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn only_store_touches_the_credential_store() {
    let users = files_using(&[
        "keyring_core",
        "zbus_secret_service_keyring_store",
        "windows_native_keyring_store",
        "apple_native_keyring_store",
    ]);
    assert_eq!(users, ["src/store/keyring.rs"]);
}

#[test]
fn only_store_touches_the_config_file() {
    // Where the file lives, and writing any file at all.
    assert_eq!(
        files_using(&[
            "directories::",
            "AUTOTASK_CONNECT_CONFIG_DIR",
            "\"profiles.json"
        ]),
        ["src/store/config.rs"]
    );
    let writers = files_using(&[
        "fs::write",
        "fs::rename",
        "fs::remove_file",
        "fs::create_dir",
        "fs::set_permissions",
        "File::create",
        "OpenOptions",
    ]);
    assert_eq!(
        writers,
        [
            // --log FILE: a line per request, never a header or a body.
            "src/gateway/log.rs",
            "src/store/config.rs",
            // The records of the gateways running, for `status` (no token,
            // no secret), in the config folder.
            "src/store/gateways.rs",
            // Save report…: the redacted report, to the file the technician
            // picked in the system's save dialog (never a secret).
            "src-tauri/src/commands.rs",
            // The ready file the start-up benchmark asks for (ENV_READY_FILE).
            "src-tauri/src/state.rs",
        ]
    );
}

#[test]
fn only_transport_and_rest_use_the_http_client() {
    assert_eq!(
        files_using(&["reqwest", "rustls::", "hyper_util::client", "hyper::client"]),
        ["src/rest.rs", "src/transport.rs"]
    );
    // The gateway's server half, on loopback: it receives, it never connects.
    assert_eq!(files_using(&["hyper::"]), ["src/gateway/serve.rs"]);
}

#[test]
fn zone_credentials_and_paste_are_pure() {
    let graph = module_graph();
    let pure = ["zone", "credentials", "paste", "redact"];
    for module in pure {
        let outside: Vec<&String> = graph[module]
            .iter()
            .filter(|d| !pure.contains(&d.as_str()))
            .collect();
        assert!(outside.is_empty(), "{module} uses {outside:?}");
    }
    for (name, code) in product_sources() {
        if [
            "src/zone.rs",
            "src/credentials.rs",
            "src/paste.rs",
            "src/redact.rs",
        ]
        .contains(&name.as_str())
        {
            for io in [
                "std::fs",
                "std::net",
                "std::env",
                "std::process",
                "tokio",
                "reqwest",
            ] {
                assert!(!code.contains(io), "{name} uses {io}");
            }
        }
    }
}

/// `cargo tree` of one package's normal dependencies, one crate name a line.
fn dependencies_of(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(root())
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect()
}

#[test]
fn the_core_does_not_depend_on_tauri() {
    let core = dependencies_of("autotask-connect");
    assert!(core.iter().any(|c| c == "reqwest"), "{core:?}");
    let window: Vec<&String> = core
        .iter()
        .filter(|c| c.starts_with("tauri") || c.starts_with("wry") || c.starts_with("webkit2gtk"))
        .collect();
    assert!(window.is_empty(), "the core depends on {window:?}");
}

#[test]
fn the_app_is_built_without_the_cli_dependencies() {
    let app = dependencies_of("autotask-connect-app");
    assert!(app.iter().any(|c| c == "tauri"), "{app:?}");
    assert!(app.iter().any(|c| c == "autotask-connect"), "{app:?}");
    let cli: Vec<&String> = app
        .iter()
        .filter(|c| c.starts_with("clap") || *c == "rpassword")
        .collect();
    assert!(cli.is_empty(), "the app compiles in {cli:?}");
}

#[test]
fn the_domain_does_not_decide_its_json() {
    // Views (src/view/) build every JSON that leaves the process from these.
    let domain = [
        "src/check/",
        "src/profile.rs",
        "src/form.rs",
        "src/status.rs",
        "src/handoff.rs",
        "src/script.rs",
        "src/zone.rs",
    ];
    for (name, code) in product_sources() {
        if !domain.iter().any(|d| name.starts_with(d)) {
            continue;
        }
        let serializes = code
            .match_indices("Serialize")
            .any(|(at, _)| !code[..at].ends_with("De"));
        assert!(
            !serializes,
            "{name} serializes itself; add a view in src/view/"
        );
    }
}

/// The names a file brings in from a sibling module of `check/`
/// (`use super::run::{run, run_bound};` -> `run` -> ["run", "run_bound"]).
fn imports_from_sibling(code: &str, sibling: &str) -> Vec<String> {
    let mut out = Vec::new();
    let prefix = format!("super::{sibling}::");
    let mut rest = code;
    while let Some(at) = rest.find(&prefix) {
        rest = &rest[at + prefix.len()..];
        let names = match rest.strip_prefix('{') {
            Some(list) => &list[..list.find('}').unwrap_or(list.len())],
            None => &rest[..rest.find([';', '(', ' ', ',']).unwrap_or(rest.len())],
        };
        out.extend(
            names
                .split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
        );
    }
    out
}

/// Rule 5's one door: the runners are reachable from `check/gate.rs` only,
/// so every face's check, and the webhook doctor's read, goes through the
/// lints, the questions, the ledger and the settlement. Nothing else
/// imports them, they are not `pub`, and the requests that carry the
/// secret are made by the runners alone: `run.rs` (the check) and
/// `webhooks.rs` (the webhook doctor, the door's second entry).
#[test]
fn only_the_door_starts_a_check() {
    let check = root().join("src/check");
    let runners_of = [
        ("run", &["run", "run_bound"][..]),
        ("webhooks", &["run_webhooks"][..]),
    ];
    let mut starters = Vec::new();
    for file in rust_files(&check) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let code = product_code(&file);
        let mut runners: Vec<String> = Vec::new();
        for (sibling, names) in runners_of {
            runners.extend(
                imports_from_sibling(&code, sibling)
                    .into_iter()
                    .filter(|n| names.contains(&n.as_str()) || n == "*"),
            );
        }
        if !runners.is_empty() {
            starters.push((name, runners));
        }
    }
    assert_eq!(
        starters,
        [(
            "gate.rs".to_string(),
            vec![
                "run".to_string(),
                "run_bound".to_string(),
                "run_webhooks".to_string()
            ]
        )],
        "only the door may start a check or the webhook doctor"
    );
    for (file, runner) in [
        ("run.rs", "async fn run("),
        ("run.rs", "async fn run_bound("),
        ("webhooks.rs", "async fn run_webhooks("),
    ] {
        let code = std::fs::read_to_string(check.join(file)).unwrap();
        let line = code
            .lines()
            .find(|l| l.contains(runner))
            .unwrap_or_else(|| panic!("{runner} not found"));
        assert!(
            line.contains("pub(super)"),
            "{line}: visible outside check/"
        );
    }
    let module = product_code(&check.join("mod.rs"));
    for runner in ["run", "run_bound", "run_webhooks"] {
        assert!(
            !module.contains(&format!("{runner},"))
                && !module.contains(&format!("{runner}}}"))
                && !module.contains(&format!("::{runner};")),
            "check/mod.rs re-exports {runner}"
        );
    }
    assert!(
        !module.contains("pub use run::") && !module.contains("pub(crate) use run::"),
        "check/mod.rs re-exports a runner"
    );
    assert_eq!(
        files_using(&["authenticated_get("]),
        ["src/check/run.rs", "src/check/webhooks.rs", "src/rest.rs"],
        "a request that carries the secret outside the runners"
    );
    // The one other place: the gateway's forwarder, with a session only the
    // door opens (`Door::open`, after the same lints, questions, reservation
    // and settlement), sends its clients' requests with the credentials.
    assert_eq!(
        files_using(&["authenticated_request("]),
        ["src/gateway/forward.rs", "src/rest.rs"],
        "a request that carries the secret outside the runner and the gateway's forwarder"
    );
    assert_eq!(files_using(&["credential_headers("]), ["src/rest.rs"]);
    assert_eq!(
        files_using(&[".credentials()"]),
        ["src/gateway/forward.rs"],
        "a session's credentials read outside the forwarder"
    );
    // `Session { …` (a struct literal or the type's definition), as a word.
    let makes_session = |code: &str| {
        code.match_indices("Session {").any(|(at, _)| {
            !code[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    assert!(!makes_session("StoreError::NoSession { detail }"));
    for (name, code) in product_sources() {
        assert_eq!(
            makes_session(&code),
            name == "src/check/gate.rs",
            "{name}: only the door makes a session"
        );
    }
    // The finder really finds imports.
    assert_eq!(
        imports_from_sibling(
            "use super::run::{run, run_bound};\nuse super::run::x;",
            "run"
        ),
        ["run", "run_bound", "x"]
    );
}

/// Inside `check/` too, the files import each other in one direction only:
/// the door above the runner, the runner above judges, zone and input.
#[test]
fn the_check_folder_has_no_module_cycles() {
    let check = root().join("src/check");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files: Vec<String> = rust_files(&check)
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "mod" && n != "tests")
        .collect();
    for name in &files {
        let code = product_code(&check.join(format!("{name}.rs")));
        let deps = graph.entry(name.clone()).or_default();
        for other in &files {
            if other != name && code.contains(&format!("super::{other}::")) {
                deps.insert(other.clone());
            }
        }
    }
    assert!(graph["gate"].contains("run"), "{graph:#?}");
    assert!(graph["gate"].contains("webhooks"), "{graph:#?}");
    assert!(!graph["input"].contains("run"), "{graph:#?}");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "check/ files that import each other: {found:?}\n{graph:#?}"
    );
}

/// What the installers ship updates from: the release manifest `doctor`
/// names, over HTTPS only, each package checked against the project's update
/// key and the version it was signed for. Only the update test's own builds
/// (scripts/test-update, a `--config` of their own) use a loopback server.
#[test]
fn the_shipped_updater_trusts_only_the_release_server_and_the_update_key() {
    let config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src-tauri/tauri.conf.json")).unwrap(),
    )
    .unwrap();
    let updater = &config["plugins"]["updater"];
    assert_eq!(
        updater["endpoints"],
        serde_json::json!([autotask_connect::updates::RELEASES_ENDPOINT])
    );
    assert!(autotask_connect::updates::RELEASES_ENDPOINT.starts_with("https://"));
    assert_eq!(updater["requireSignedVersion"], true);
    for dangerous in [
        "dangerousInsecureTransportProtocol",
        "dangerousAcceptInvalidCerts",
        "dangerousAcceptInvalidHostnames",
        "allowDowngrades",
    ] {
        assert!(
            updater.get(dangerous).is_none(),
            "{dangerous} in the shipped config"
        );
    }
    // A minisign public key (what `tauri signer generate` writes), nothing else.
    let decoded = base64_decode(updater["pubkey"].as_str().unwrap());
    let key = String::from_utf8(decoded).unwrap();
    let lines: Vec<&str> = key.lines().collect();
    assert!(
        lines[0].starts_with("untrusted comment: minisign public key: "),
        "{key}"
    );
    assert!(lines[1].starts_with("RW") && lines[1].len() == 56, "{key}");
}

/// Standard base64 (what Tauri writes the key in), for the test above.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0);
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// No source file is over 800 lines: a file that long mixes concerns and
/// is where the next one hides (the core, the faces, the simulator, the
/// page's modules, the tests).
#[test]
fn no_source_file_is_over_800_lines() {
    let root = root();
    let mut files = Vec::new();
    for dir in ["src", "src-tauri/src", "simulator/src", "tests", "benches"] {
        files.extend(rust_files(&root.join(dir)));
    }
    for entry in std::fs::read_dir(root.join("ui")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "js") {
            files.push(path);
        }
    }
    assert!(files.len() > 60, "the sources were found: {}", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > 800).then(|| format!("{}: {lines}", f.strip_prefix(&root).unwrap().display()))
        })
        .collect();
    assert!(long.is_empty(), "over 800 lines: {long:?}");
}
