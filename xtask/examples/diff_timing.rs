//! Times the diff engine on the two vendored DVS specs (113 KB and 162 KB):
//!
//! ```sh
//! cargo run -p xtask --release --example diff_timing
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let openapi = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi");
    let (old_path, new_path) = (
        openapi.join("dvs-1.0.0.json"),
        openapi.join("dvs-1.21.0.json"),
    );
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len() / 1024).unwrap_or(0);

    let start = Instant::now();
    let old = xtask::doc::load_openapi(&old_path).expect("dvs-1.0.0.json");
    let new = xtask::doc::load_openapi(&new_path).expect("dvs-1.21.0.json");
    let load = start.elapsed();

    const RUNS: u32 = 20;
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        findings = xtask::diff::diff(&old, &new).findings.len();
        times.push(start.elapsed());
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / RUNS;
    println!(
        "dvs-1.0.0.json ({} KiB) -> dvs-1.21.0.json ({} KiB): {findings} findings",
        size(&old_path),
        size(&new_path)
    );
    println!("loading both documents: {load:.2?}");
    println!(
        "diff over {RUNS} runs: min {:.2?}, median {:.2?}, mean {mean:.2?}, max {:.2?}",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
