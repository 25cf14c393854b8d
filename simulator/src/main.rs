//! `autotask-simulator`: the Autotask simulator as a standalone process, for
//! the demo tenant and for trying the CLI by hand. Loopback only.

use std::time::Duration;

use autotask_simulator::{Simulator, World, demo};

const USAGE: &str = "usage: autotask-simulator [--port N] [--latency-ms N] [--ca-out PATH]

Serves a simulated Autotask (demo tenant in zone 5) over HTTPS on 127.0.0.1.
Prints one JSON line with the port, the CA certificate path and the demo
credentials, then runs until interrupted.";

fn arg_value(args: &[String], name: &str) -> Result<Option<String>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .cloned()
            .map(Some)
            .ok_or_else(|| format!("{name} needs a value")),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    let parsed = (|| -> Result<(u16, u64, Option<String>), String> {
        let port = arg_value(&args, "--port")?
            .map(|p| p.parse().map_err(|_| format!("bad port {p}")))
            .transpose()?
            .unwrap_or(0);
        let latency = arg_value(&args, "--latency-ms")?
            .map(|p| p.parse().map_err(|_| format!("bad latency {p}")))
            .transpose()?
            .unwrap_or(0);
        Ok((port, latency, arg_value(&args, "--ca-out")?))
    })();
    let (port, latency, ca_out) = match parsed {
        Ok(v) => v,
        Err(e) => {
            eprintln!("autotask-simulator: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let sim = match Simulator::start_with(World::demo(), port).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("autotask-simulator: cannot start: {e}");
            std::process::exit(1);
        }
    };
    sim.set_latency(Duration::from_millis(latency));
    let ca_path = match ca_out {
        Some(p) => {
            let p = std::path::PathBuf::from(p);
            std::fs::write(&p, sim.ca_pem()).map(|_| p)
        }
        None => sim.write_ca(&std::env::temp_dir()).map(|p| {
            let unique = p.with_file_name(format!("autotask-simulator-{}-ca.pem", sim.port()));
            let _ = std::fs::rename(&p, &unique);
            unique
        }),
    };
    let ca_path = match ca_path {
        Ok(p) => p,
        Err(e) => {
            eprintln!("autotask-simulator: cannot write the CA certificate: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "{}",
        serde_json::json!({
            "port": sim.port(),
            "ca": ca_path,
            "connect_to": sim.connect_to(),
            "demo": {
                "username": demo::USERNAME,
                "secret": demo::SECRET,
                "integration_code": demo::INTEGRATION_CODE,
                "zone": format!("https://ww{}.autotask.net/", demo::ZONE),
            }
        })
    );
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("signal handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
