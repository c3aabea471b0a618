//! A storm of reads against DVS's rate limit, on a loopback simulator, and
//! the figures: requests on the wire per success, completions, time.
//!
//! ```sh
//! cargo run --release --example bench_storm --features simulator
//! ```
//!
//! 200 reads start at once from clones of one client; the simulator allows
//! 20 requests per second per key (a fixed window, then 429 with
//! `Retry-After`). The floor is 200 / 20 = 10 windows: about 9 s.

use dvs::simulator::{Simulator, SimulatorConfig};
use std::time::{Duration, Instant};

const READS: usize = 200;
const LIMIT: u32 = 20;
const WINDOW: Duration = Duration::from_secs(1);

fn main() {
    // The simulator runs on a runtime and thread of its own, as a server in
    // another process would.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sim = server
        .block_on(Simulator::start(
            SimulatorConfig::default().rate_limit(LIMIT, WINDOW),
        ))
        .expect("the simulator starts");
    let client_rt = tokio::runtime::Runtime::new().unwrap();
    let (key, secret) = sim.credentials();
    let client = client_rt.block_on(async {
        dvs::v1_21::Client::builder()
            .base_url(sim.base_url())
            .credentials(dvs::Credentials::new(key, secret))
            .build()
            .unwrap()
    });

    let started = Instant::now();
    let results = client_rt.block_on(async {
        let reads = (0..READS).map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let t = Instant::now();
                (client.service(1).await, t.elapsed())
            })
        });
        futures::future::join_all(reads).await
    });
    let elapsed = started.elapsed();
    let results: Vec<_> = results.into_iter().map(|r| r.unwrap()).collect();
    let completed = results.iter().filter(|(r, _)| r.is_ok()).count();
    let failed = results.len() - completed;
    let on_the_wire = sim.requests_received();
    let limited = sim.requests_rate_limited();
    let slowest = results.iter().map(|(_, d)| *d).max().unwrap_or_default();
    let floor =
        Duration::from_secs_f64((READS as f64 / f64::from(LIMIT) - 1.0) * WINDOW.as_secs_f64());

    println!("storm: {READS} concurrent reads, limit {LIMIT} per {WINDOW:?}");
    println!("  completed:             {completed} of {READS} ({failed} failed)");
    println!("  requests on the wire:  {on_the_wire} ({limited} answered 429)");
    println!(
        "  requests per success:  {:.3} (goal: at most 1.2)",
        on_the_wire as f64 / completed.max(1) as f64
    );
    println!(
        "  time for the storm:    {:.2} s (floor {:.0} s); slowest read {:.2} s",
        elapsed.as_secs_f64(),
        floor.as_secs_f64(),
        slowest.as_secs_f64()
    );
    if let Some((Err(e), _)) = results.iter().find(|(r, _)| r.is_err()) {
        println!("  first failure: {e}");
    }
}
