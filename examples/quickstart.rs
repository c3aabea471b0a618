//! The quickstart: browse the catalog, look up a mobile number, send two
//! top-ups and follow them to their final status.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! Without `DVS_API_KEY` / `DVS_API_SECRET` it starts the crate's embedded
//! DVS simulator on 127.0.0.1 and says so; with them it talks to the DT One
//! sandbox. In both, the last three digits of the mobile number choose the
//! outcome: `…100` completes, `…102` is declined (invalid credit party).

use dvs::simulator::{Simulator, SimulatorConfig};
use dvs::v1_21::{Client, Product};
use dvs::{Credentials, Environment, Mode, NewTransaction};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::Duration;

const COUNTRY: &str = "GTM";
/// A Guatemalan mobile number without its last three digits.
const NUMBER_STEM: &str = "+5025512";

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("\nquickstart failed: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the simulator alive for the whole run (it stops when dropped).
    let (client, _simulator) = match Credentials::from_env() {
        Some(credentials) => {
            println!(
                "Using the DT One sandbox ({}).",
                Environment::Sandbox.base_url()
            );
            let client = Client::builder()
                .environment(Environment::Sandbox)
                .credentials(credentials)
                .build()?;
            (client, None)
        }
        None => {
            // Documented delays (10X suffixes take at least 3 s) scaled down.
            let simulator =
                Simulator::start(SimulatorConfig::default().time_factor(0.2).seed(7)).await?;
            let (key, secret) = simulator.credentials();
            println!(
                "No DVS_API_KEY / DVS_API_SECRET set: using the embedded DVS simulator at {}.",
                simulator.base_url()
            );
            let client = Client::builder()
                .base_url(simulator.base_url())
                .credentials(Credentials::new(key, secret))
                .build()?;
            (client, Some(simulator))
        }
    };

    println!("\n== Balances");
    let before = balances(&client).await?;
    for (unit, (available, holding)) in &before {
        println!("  {unit}: {available:.2} available, {holding:.2} held");
    }

    println!("\n== Products in {COUNTRY}");
    let operators = client
        .operators(|q| q.country_iso_code(COUNTRY))
        .collect_all()
        .await?;
    // A product DVS sends in a shape this crate cannot read does not fail
    // the list: it comes back apart, with its raw JSON.
    let (products, malformed) = client
        .products(|q| q.country_iso_code(COUNTRY))
        .concurrency(4)
        .collect_split()
        .await?;
    for m in &malformed {
        println!("  (a product could not be read: {m})");
    }
    println!(
        "  {} operators, {} products; one of each kind:",
        operators.len(),
        products.len()
    );
    let mut kinds: BTreeMap<String, &Product> = BTreeMap::new();
    for p in &products {
        kinds.entry(p.product_type().to_string()).or_insert(p);
    }
    for (kind, p) in &kinds {
        let amount = p.destination().map(|d| d.to_string()).unwrap_or_default();
        println!("  {kind:<26} #{:<7} {} ({amount})", p.id(), p.name());
    }

    let number = format!("{NUMBER_STEM}100");
    println!("\n== Operator of {number}");
    let found = client.lookup_mobile_number(&number)?.first_page().await?;
    for op in &found.items {
        match op {
            dvs::Item::Ok(op) => println!("  {} (#{})", op.name, op.id.0),
            other => println!("  (an operator could not be read: {other:?})"),
        }
    }

    let product = products
        .iter()
        .find(|p| p.product_type() == dvs::v1_21::ProductType::FixedValueRecharge)
        .ok_or("no fixed-value recharge product in this country")?;
    println!(
        "\n== Two top-ups of {} (#{}), confirmed in one step",
        product.name(),
        product.id()
    );
    let run_id = chrono::Utc::now().timestamp_millis();
    for (suffix, expect) in [("100", "completes"), ("102", "is declined")] {
        let number = format!("{NUMBER_STEM}{suffix}");
        let tx = NewTransaction::new(format!("quickstart-{run_id}-{suffix}"), product.id())
            .credit_party_mobile_number(&number)
            .auto_confirm(true);
        let created = client.create_transaction(&tx, Mode::Async).await?;
        let id = created
            .transaction_id()
            .ok_or("DVS returned no transaction id")?;
        print!(
            "  {number} ({expect}): #{id} {} ",
            created.status_class().name()
        );
        let done = with_progress(client.await_final(id, Duration::from_secs(120))).await?;
        let detail = done
            .detailed_status()
            .map(|s| s.to_string())
            .unwrap_or_default();
        println!(" {} ({detail})", done.status_class());
    }

    println!("\n== Balance movement");
    let after = balances(&client).await?;
    for (unit, (available, holding)) in &after {
        let (a0, h0) = before.get(unit).copied().unwrap_or_default();
        println!(
            "  {unit}: available {a0:.2} -> {available:.2} ({:+.2}), held {h0:.2} -> {holding:.2}",
            available - a0
        );
    }
    println!("\nDone.");
    Ok(())
}

/// Available and held amount per unit.
async fn balances(
    client: &Client,
) -> Result<BTreeMap<String, (dvs::Decimal, dvs::Decimal)>, dvs::Error> {
    let mut out = BTreeMap::new();
    for b in client.balances(|q| q).collect_all().await? {
        // A balance that cannot be read must not pass for a zero one.
        let b = b.into_decoded()?;
        out.insert(b.unit, (b.available, b.holding));
    }
    Ok(out)
}

/// Awaits `fut`, printing a dot every half second meanwhile.
async fn with_progress<T>(fut: impl std::future::Future<Output = T>) -> T {
    let mut fut = std::pin::pin!(fut);
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.tick().await;
    loop {
        tokio::select! {
            out = &mut fut => return out,
            _ = tick.tick() => {
                print!(".");
                let _ = std::io::stdout().flush();
            }
        }
    }
}
