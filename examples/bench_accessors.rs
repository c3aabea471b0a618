//! Measures the product accessors and prints the figures.
//!
//! ```sh
//! cargo run --release --example bench_accessors
//! ```
//!
//! On decoded products of every type, one call of each accessor that reads
//! more than a number (`service`, `operator`, `country_iso_code`, `regions`,
//! `source`, `destination`, `required_credit_party_fields`): on the typed
//! variants (fields read directly), then on the same products kept as JSON
//! (`Product::Unknown`), then serializing each typed product to JSON first,
//! which is what reading through JSON costs a typed product.

use dvs::v1_21::Product;
use std::hint::black_box;
use std::time::Instant;

const ROUNDS: usize = 20_000;

fn read_all(p: &Product) -> usize {
    let mut n = 0;
    n += p.service().map_or(0, |s| s.1.len());
    n += p.operator().map_or(0, |o| o.1.len());
    n += p.country_iso_code().map_or(0, |c| c.len());
    n += p.regions().len();
    n += p.source().map_or(0, |a| a.unit.len());
    n += p.destination().map_or(0, |a| a.unit.len());
    n += p.required_credit_party_fields().len();
    n
}

fn per_call(label: &str, products: &[Product], read: impl Fn(&Product) -> usize) -> f64 {
    let ns = time(products, read);
    println!("{label:<58} {ns:>8.0} ns per product (7 accessors)");
    ns
}

fn per_one(label: &str, products: &[Product], read: impl Fn(&Product) -> usize) -> f64 {
    let ns = time(products, read);
    println!("{label:<58} {ns:>8.1} ns per call");
    ns
}

/// Nanoseconds per product of `read`, over `ROUNDS` passes.
fn time(products: &[Product], read: impl Fn(&Product) -> usize) -> f64 {
    let started = Instant::now();
    let mut sink = 0;
    for _ in 0..ROUNDS {
        for p in products {
            sink += read(black_box(p));
        }
    }
    black_box(sink);
    started.elapsed().as_nanos() as f64 / (ROUNDS * products.len()) as f64
}

fn main() {
    let products: Vec<Product> =
        serde_json::from_str(include_str!("../tests/fixtures/v1_21/products.json")).unwrap();
    assert!(products.iter().all(|p| !p.is_unknown()));
    let as_json: Vec<Product> = products
        .iter()
        .map(|p| Product::Unknown(serde_json::to_value(p).unwrap()))
        .collect();
    println!("{} products, {} rounds", products.len(), ROUNDS);
    let typed = per_call("typed variants (fields read directly)", &products, read_all);
    let json = per_call(
        "the same kept as JSON (Product::Unknown)",
        &as_json,
        read_all,
    );
    let serialized = per_call(
        "typed variants serialized to JSON first, then read",
        &products,
        |p| read_all(&Product::Unknown(serde_json::to_value(p).unwrap())),
    );
    println!(
        "reading through JSON costs {:.1}x the typed read ({:.1}x with the serialization)",
        json / typed,
        serialized / typed
    );

    // One accessor against reading the same fields of the variant directly.
    let fixed: Vec<Product> = products
        .iter()
        .filter(|p| matches!(p, Product::FixedValueRecharge(_)))
        .cloned()
        .collect();
    let field = per_one(
        "destination of a fixed recharge, read from its fields",
        &fixed,
        |p| match p {
            Product::FixedValueRecharge(f) => {
                f.destination.unit.len() + f.destination.amount.scale() as usize
            }
            _ => 0,
        },
    );
    let accessor = per_one("the same through destination()", &fixed, |p| {
        p.destination().map_or(0, |a| {
            a.unit.len()
                + match a.value {
                    dvs::AmountValue::Fixed(d) => d.scale() as usize,
                    _ => 0,
                }
        })
    });
    let id_field = per_one(
        "id of a fixed recharge, read from its field",
        &fixed,
        |p| match p {
            Product::FixedValueRecharge(f) => f.id as usize,
            _ => 0,
        },
    );
    let id = per_one("the same through id()", &fixed, |p| p.id() as usize);
    println!(
        "destination(): {:+.0} ns over the field read (it builds an owned Amount); id(): {:+.1} ns",
        accessor - field,
        id - id_field
    );
}
