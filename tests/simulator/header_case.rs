//! Header names exactly as they travel on the wire, read from a plain TCP
//! socket: the reference writes them in title case (`X-Total-Pages`,
//! `X-Ratelimit-Limit`) and some clients (DT One's Java client among them)
//! match them case-sensitively, so the simulator must send them that way.

use dvs::simulator::{Simulator, SimulatorConfig};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Status and header names of one HTTP/1.1 exchange, in the order and the
/// case received.
async fn exchange(sim: &Simulator, method: &str, target: &str) -> (u16, Vec<String>) {
    let mut stream = TcpStream::connect(sim.addr()).await.unwrap();
    let request = format!(
        "{method} /v1{target} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n",
        sim.addr(),
        sim.authorization()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("the simulator answers and closes")
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let names = lines
        .map(|l| l.split_once(':').expect("a header line").0.to_string())
        .collect();
    (status, names)
}

fn assert_has(names: &[String], expected: &[&str], what: &str) {
    for name in expected {
        assert!(
            names.iter().any(|n| n == name),
            "{what}: no header named exactly `{name}` in {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .all(|n| n.starts_with(|c: char| c.is_ascii_uppercase())),
        "{what}: a header name in lower case in {names:?}"
    );
}

const RATE: &[&str] = &["X-Ratelimit-Limit", "X-Ratelimit-Remaining"];

#[tokio::test]
async fn paging_and_rate_limit_headers_keep_the_documented_case() {
    let sim = Simulator::start(SimulatorConfig::default().catalog_size(50))
        .await
        .unwrap();

    let (status, names) = exchange(&sim, "GET", "/products?per_page=2&page=2").await;
    assert_eq!(status, 200);
    let paging = [
        "X-Total",
        "X-Total-Pages",
        "X-Per-Page",
        "X-Page",
        "X-Next-Page",
        "X-Prev-Page",
    ];
    assert_has(&names, &paging, "GET /products");
    assert_has(&names, RATE, "GET /products");
    assert_has(
        &names,
        &["Content-Type", "Content-Language"],
        "GET /products",
    );

    let (status, names) = exchange(&sim, "GET", "/lookup/mobile-number/+50241231100").await;
    assert_eq!(status, 200);
    assert_has(&names, &paging[..4], "GET /lookup/mobile-number/…");
    assert_has(&names, RATE, "GET /lookup/mobile-number/…");

    // Errors carry the rate-limit headers in the same case.
    let (status, names) = exchange(&sim, "GET", "/products/999999").await;
    assert_eq!(status, 404);
    assert_has(&names, RATE, "GET /products/999999");
}

#[tokio::test]
async fn rate_limited_answers_keep_the_documented_case() {
    let sim = Simulator::start(
        SimulatorConfig::default()
            .catalog_size(50)
            .rate_limit(1, Duration::from_secs(60)),
    )
    .await
    .unwrap();
    let (status, _) = exchange(&sim, "GET", "/balances").await;
    assert_eq!(status, 200);
    let (status, names) = exchange(&sim, "GET", "/balances").await;
    assert_eq!(status, 429);
    assert_has(&names, &["Retry-After"], "429");
    assert_has(&names, RATE, "429");
}
