//! Start-up time and memory of Autotask Connect against the platform's
//! floor (a hello-world Tauri 2 window), measured in the same run, the same
//! way: release binaries under the same Xvfb and D-Bus session, runs
//! interleaved. Run by `scripts/bench`; prints Markdown.
//!
//! - Time to interactive: from spawning the process to the page's own
//!   "interactive" signal (both pages call `app_ready` once their script
//!   has run; the app's once its form is wired up).
//! - Memory: PSS summed over the process and its WebKit children
//!   (/proc/<pid>/smaps_rollup), 3 s after it became interactive, and for the
//!   app also after a full connection check driven through WebDriver.
//! - Renderer: the app paints on the CPU (src-tauri/src/rendering.rs), the
//!   floor composites with GL (WebKit's default); each figure is also
//!   given with the same renderer on both sides.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use autotask_connect_e2e::{App, Tenant, WAIT};
use thirtyfour::By;

const RUNS: usize = 11;

/// A release binary in the benchmark's own target directory (`scripts/bench`
/// sets CARGO_TARGET_DIR, so its routing-enabled app is never the one the
/// bundler packages from target/release).
fn release(name: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("release")
        .join(name)
}

/// PSS (KiB) of `pid` and all its descendants.
fn tree_pss(pid: u32) -> u64 {
    tree_breakdown(pid).iter().map(|(_, k)| k).sum()
}

/// (process name, PSS KiB) for `pid` and all its descendants.
fn tree_breakdown(pid: u32) -> Vec<(String, u64)> {
    let mut parents: HashMap<u32, u32> = HashMap::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) {
            // The command name is in parentheses and may contain spaces.
            if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
                let ppid = rest
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                parents.insert(p, ppid);
            }
        }
    }
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| **pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree.iter()
        .filter_map(|p| {
            let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok()?;
            let kib = rollup
                .lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())?;
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            Some((name.trim().to_string(), kib))
        })
        .collect()
}

struct Sample {
    tti_ms: f64,
    pss_kib: u64,
}

fn measure(binary: &Path, env: &[(String, String)]) -> Sample {
    let dir = tempfile::tempdir().unwrap();
    let ready = dir.path().join("ready");
    let started = Instant::now();
    let mut child = Command::new(binary)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("AUTOTASK_CONNECT_READY_FILE", &ready)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !ready.exists() {
        assert!(
            started.elapsed() < WAIT,
            "{} never became interactive",
            binary.display()
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let tti_ms = started.elapsed().as_secs_f64() * 1000.0;
    std::thread::sleep(Duration::from_secs(3));
    let pss_kib = tree_pss(child.id());
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    std::thread::sleep(Duration::from_millis(300));
    Sample { tti_ms, pss_kib }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn newest_pid(binary: &Path) -> u32 {
    let out = Command::new("pgrep")
        .args(["-n", "-f"])
        .arg(binary)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("app pid")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
#[allow(unsafe_code)] // E2E_PROFILE for the launches below; no thread of this benchmark reads it meanwhile
async fn main() {
    let app_bin = release("autotask-connect-app");
    let floor_bin = release("floor-window");
    for b in [&app_bin, &floor_bin] {
        assert!(
            b.exists(),
            "{} missing: scripts/bench builds it",
            b.display()
        );
    }
    let tenant = Tenant::new().await;
    // Identical settings for both windows except the renderer under test:
    // the E2E environment's WEBKIT_DISABLE_DMABUF_RENDERER would favour
    // whichever had it.
    let mut app_env: Vec<(String, String)> = tenant
        .env()
        .into_iter()
        .filter(|(k, _)| !k.starts_with("WEBKIT_"))
        .collect();
    app_env.push(tenant.demo_env());
    let floor_env: Vec<(String, String)> = Vec::new();
    // The same renderer on both sides: the floor painting on the CPU like
    // the app does, and the app compositing with GL like the floor does.
    let floor_cpu_env = vec![(
        "WEBKIT_DISABLE_COMPOSITING_MODE".to_string(),
        "1".to_string(),
    )];
    let mut app_gl_env = app_env.clone();
    app_gl_env.push(("AUTOTASK_CONNECT_GPU_COMPOSITING".into(), "1".into()));

    // One warm-up each (page cache), then interleaved runs.
    measure(&floor_bin, &floor_env);
    measure(&app_bin, &app_env);
    let (mut floor, mut app, mut floor_cpu, mut app_gl) = (vec![], vec![], vec![], vec![]);
    for _ in 0..RUNS {
        floor.push(measure(&floor_bin, &floor_env));
        app.push(measure(&app_bin, &app_env));
        floor_cpu.push(measure(&floor_bin, &floor_cpu_env));
        app_gl.push(measure(&app_bin, &app_gl_env));
    }

    // After a check: both windows started through WebDriver (automation
    // itself costs the web process memory), the floor idle, the app idle
    // and then after a full check of the demo tenant.
    unsafe { std::env::set_var("E2E_PROFILE", "release") };
    let mut floor_web_pss = Vec::new();
    for env in [&floor_env, &floor_cpu_env] {
        let floor_web = App::launch_binary("bench-floor", &floor_bin, env, "h1").await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        floor_web_pss.push(tree_pss(newest_pid(&floor_bin)));
        floor_web.quit().await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let web = App::launch("bench-app", &app_env).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let app_web_idle = tree_pss(newest_pid(&app_bin));
    let idle_parts = tree_breakdown(newest_pid(&app_bin));
    web.click("Fill in the demo credentials").await;
    web.click("Test connection").await;
    let verdict = web.wait_verdict().await;
    assert_eq!(verdict, "Connection works.");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = web.driver.find(By::Id("outcome")).await;
    let after_check = tree_pss(newest_pid(&app_bin));
    let check_parts = tree_breakdown(newest_pid(&app_bin));
    let parts = |v: &[(String, u64)]| {
        v.iter()
            .map(|(n, k)| format!("{n} {:.1}", *k as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!("app idle under WebDriver (MiB): {}", parts(&idle_parts));
    eprintln!("app after the check (MiB): {}", parts(&check_parts));
    web.quit().await;

    let size = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / (1024.0 * 1024.0);
    let tti = |s: &[Sample]| median(s.iter().map(|x| x.tti_ms).collect());
    let pss = |s: &[Sample]| median(s.iter().map(|x| x.pss_kib as f64 / 1024.0).collect());
    let range = |s: &[Sample]| {
        let v: Vec<f64> = s.iter().map(|x| x.tti_ms).collect();
        (
            v.iter().cloned().fold(f64::MAX, f64::min),
            v.iter().cloned().fold(0.0, f64::max),
        )
    };
    println!("| measure | floor (hello world) | Autotask Connect | ratio | target |");
    println!("|---|---|---|---|---|");
    println!(
        "| release binary | {:.2} MiB | {:.2} MiB | {:.2}× | — |",
        size(&floor_bin),
        size(&app_bin),
        size(&app_bin) / size(&floor_bin)
    );
    let row = |measure: &str, floor: String, app: String, ratio: f64, target: &str| {
        println!("| {measure} | {floor} | {app} | {ratio:.3}× | {target} |");
    };
    for (what, f, a, target) in [
        (AS_SHIPPED, &floor, &app, "≤ 1.2×"),
        (BOTH_CPU, &floor_cpu, &app, "—"),
        (BOTH_GL, &floor, &app_gl, "—"),
    ] {
        let cell = |s: &[Sample]| {
            let (lo, hi) = range(s);
            format!("{:.0} ms ({lo:.0}–{hi:.0})", tti(s))
        };
        row(
            &format!("time to interactive, median of {RUNS} (min–max), {what}"),
            cell(f),
            cell(a),
            tti(a) / tti(f),
            target,
        );
    }
    let mib = |k: f64| format!("{k:.1} MiB");
    for (what, f, a, target) in [
        (AS_SHIPPED, &floor, &app, "≤ 1.15×"),
        (BOTH_CPU, &floor_cpu, &app, "—"),
        (BOTH_GL, &floor, &app_gl, "—"),
    ] {
        row(
            &format!("PSS idle, 3 s after interactive (median), {what}"),
            mib(pss(f)),
            mib(pss(a)),
            pss(a) / pss(f),
            target,
        );
    }
    for (what, floor_idle) in [(AS_SHIPPED, floor_web_pss[0]), (BOTH_CPU, floor_web_pss[1])] {
        for (state, app_pss, target) in [
            ("app idle", app_web_idle, "—"),
            ("app after a full check", after_check, "≤ 1.15×"),
        ] {
            row(
                &format!("under WebDriver, {what}: floor idle, {state}"),
                mib(floor_idle as f64 / 1024.0),
                mib(app_pss as f64 / 1024.0),
                app_pss as f64 / floor_idle as f64,
                target,
            );
        }
    }
}

const AS_SHIPPED: &str = "as shipped (floor: WebKit's default GL compositing; app: CPU painting)";
const BOTH_CPU: &str = "both CPU painting";
const BOTH_GL: &str = "both GL compositing";
