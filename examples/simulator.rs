//! Runs the DVS sandbox simulator on 127.0.0.1, for clients in any language.
//!
//! ```sh
//! cargo run --example simulator -- --port 8080
//! ```
//!
//! Options: `--port N` (default 8080), `--seed N`, `--products N` (catalog
//! size, up to 100000), `--time-factor F` (multiplies the documented
//! delays), `--key K --secret S` (accept only these credentials; by default
//! any non-empty Basic key and secret is accepted), `--balance USD`,
//! `--rate-limit N` (requests per minute per key), `--latency MS` (added
//! to every request before it is answered, in milliseconds; default 0).
//!
//! ```sh
//! cargo run --example simulator -- --port 8080 --latency 250
//! ```
//!
//! Stop it with Ctrl-C.

use dvs::simulator::{Simulator, SimulatorConfig};
use std::time::Duration;

fn usage() -> ! {
    eprintln!(
        "usage: simulator [--port N] [--seed N] [--products N] [--time-factor F] \
         [--key K --secret S] [--balance USD] [--rate-limit N] [--latency MS]"
    );
    std::process::exit(2)
}

fn value<T: std::str::FromStr>(args: &mut impl Iterator<Item = String>, flag: &str) -> T {
    let Some(raw) = args.next() else {
        eprintln!("{flag} needs a value");
        usage()
    };
    raw.parse().unwrap_or_else(|_| {
        eprintln!("{flag}: invalid value {raw:?}");
        usage()
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = SimulatorConfig::default().port(8080).any_credentials();
    let mut key: Option<String> = None;
    let mut secret: Option<String> = None;
    let mut latency = Duration::ZERO;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => config = config.port(value(&mut args, "--port")),
            "--seed" => config = config.seed(value(&mut args, "--seed")),
            "--products" => config = config.catalog_size(value(&mut args, "--products")),
            "--time-factor" => config = config.time_factor(value(&mut args, "--time-factor")),
            "--balance" => config = config.starting_balance(value(&mut args, "--balance")),
            "--rate-limit" => {
                config =
                    config.rate_limit(value(&mut args, "--rate-limit"), Duration::from_secs(60))
            }
            "--latency" => {
                latency = Duration::from_millis(value(&mut args, "--latency"));
                config = config.latency(latency)
            }
            "--key" => key = Some(value(&mut args, "--key")),
            "--secret" => secret = Some(value(&mut args, "--secret")),
            "-h" | "--help" => usage(),
            other => {
                eprintln!("unknown option {other}");
                usage()
            }
        }
    }
    let fixed = match (key, secret) {
        (Some(k), Some(s)) => {
            config = config.credentials(k, s);
            true
        }
        (None, None) => false,
        _ => {
            eprintln!("--key and --secret go together");
            usage()
        }
    };
    let sim = Simulator::start(config).await?;
    let (key, secret) = sim.credentials();
    println!("DVS simulator (API 1.21.0) listening");
    println!("  base URL:    {}", sim.base_url());
    if fixed {
        println!("  credentials: Basic, key {key:?}, secret {secret:?}");
    } else {
        println!("  credentials: Basic, any non-empty key and secret");
    }
    println!("  catalog:     {} products", sim.catalog_size());
    if !latency.is_zero() {
        println!(
            "  latency:     {} ms added to every request",
            latency.as_millis()
        );
    }
    println!(
        "  try:         curl -u {key}:{secret} '{}/products?per_page=2'",
        sim.base_url()
    );
    println!("Ctrl-C stops it.");
    std::future::pending::<()>().await;
    Ok(())
}
