//! Measures the facade's paging and per-call overhead against a loopback
//! server, and prints the figures.
//!
//! ```sh
//! cargo run --release --example bench_paging
//! ```
//!
//! 1. Crawl the embedded simulator's catalog of 5,000 products (50 pages of
//!    100), the simulator adding 50 ms to every response (its `--latency
//!    50`): sequentially, then with `concurrency(8)`. The first page must
//!    arrive before the number of pages is known, so the floor is
//!    (1 + ceil((pages - 1) / 8)) x 50 ms = 400 ms.
//! 2. Per-call overhead: the facade's `first_page()` against a plain reqwest +
//!    serde_json call decoding the same page into the same types, on the same
//!    endpoint without added latency.

use std::time::{Duration, Instant};

const PRODUCTS: usize = 5_000;
const PER_PAGE: usize = 100;
const LATENCY: Duration = Duration::from_millis(50);

fn catalog() -> Vec<serde_json::Value> {
    let template: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../tests/fixtures/v1_21/products.json")).unwrap();
    (0..PRODUCTS)
        .map(|i| {
            let mut p = template[i % template.len()].clone();
            p["id"] = (100_000 + i).into();
            p["name"] = format!("Product {i}").into();
            p
        })
        .collect()
}

/// A minimal HTTP/1.1 server on 127.0.0.1 answering `GET /v1/products?page=N`
/// with precomputed pages after `latency`: it costs next to nothing, so the
/// figures measure the client.
struct Server {
    uri: String,
}

impl Server {
    fn uri(&self) -> String {
        self.uri.clone()
    }
}

fn serve(latency: Duration) -> Server {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let catalog = catalog();
    let pages = PRODUCTS.div_ceil(PER_PAGE);
    let responses: Vec<Vec<u8>> = (1..=pages)
        .map(|page| {
            let items = &catalog[(page - 1) * PER_PAGE..(page * PER_PAGE).min(PRODUCTS)];
            let body = serde_json::to_vec(items).unwrap();
            let mut head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 x-total: {PRODUCTS}\r\nx-total-pages: {pages}\r\nx-per-page: {PER_PAGE}\r\nx-page: {page}\r\n",
                body.len()
            );
            if page < pages {
                head += &format!("x-next-page: {}\r\n", page + 1);
            }
            if page > 1 {
                head += &format!("x-prev-page: {}\r\n", page - 1);
            }
            head += "\r\n";
            [head.into_bytes(), body].concat()
        })
        .collect();
    let responses = std::sync::Arc::new(responses);
    // The server runs on a thread and runtime of its own, as a server in
    // another process would: its work does not delay the client's tasks.
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    std_listener.set_nonblocking(true).unwrap();
    let uri = format!("http://{}", std_listener.local_addr().unwrap());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    std::thread::spawn(move || {
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let responses = responses.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        // One request: GET, headers only.
                        let end = loop {
                            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                break i + 4;
                            }
                            match socket.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        let head = String::from_utf8_lossy(&buf[..end]).to_string();
                        buf.drain(..end);
                        let page: usize = head
                            .split_once("page=")
                            .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(1);
                        tokio::time::sleep(latency).await;
                        let resp = &responses[page.clamp(1, responses.len()) - 1];
                        if socket.write_all(resp).await.is_err() {
                            return;
                        }
                    }
                });
            }
        })
    });
    Server { uri }
}

fn make_client(server: &Server) -> dvs::v1_21::Client {
    dvs::v1_21::Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .credentials(dvs::Credentials::new("bench-key", "bench-secret"))
        .build()
        .unwrap()
}

/// The simulator with `latency` added to every response, on a thread and
/// runtime of its own, as a server in another process would be: its work
/// does not delay the client's tasks. Returns a client of it.
fn simulator(latency: Duration) -> dvs::v1_21::Client {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let config = dvs::simulator::SimulatorConfig::default()
                .catalog_size(PRODUCTS)
                .rate_limit(1_000_000, Duration::from_secs(60))
                .latency(latency);
            let sim = dvs::simulator::Simulator::start(config).await.unwrap();
            tx.send((sim.base_url(), sim.credentials())).unwrap();
            // Serve until the process ends.
            std::future::pending::<()>().await;
            drop(sim);
        });
    });
    let (url, (key, secret)) = rx.recv().unwrap();
    dvs::v1_21::Client::builder()
        .base_url(url)
        .credentials(dvs::Credentials::new(key, secret))
        .build()
        .unwrap()
}

async fn crawl(client: &dvs::v1_21::Client, concurrency: usize) -> (Duration, usize) {
    let started = Instant::now();
    let items = client
        .products(|q| q)
        .concurrency(concurrency)
        .collect_all()
        .await
        .unwrap();
    (started.elapsed(), items.len())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    // 1. Crawl the simulator, with latency.
    let client = simulator(LATENCY);
    let _warm = crawl(&client, 8).await;
    let mut seq = Vec::new();
    let mut conc = Vec::new();
    for _ in 0..3 {
        let (d, n) = crawl(&client, 1).await;
        assert_eq!(n, PRODUCTS);
        seq.push(d);
        let (d, n) = crawl(&client, 8).await;
        assert_eq!(n, PRODUCTS);
        conc.push(d);
    }
    let (seq, conc) = (median(seq), median(conc));
    let pages = PRODUCTS.div_ceil(PER_PAGE) as u32;
    let floor = LATENCY * (1 + (pages - 1).div_ceil(8));
    println!(
        "crawl of the simulator's {PRODUCTS} products ({pages} pages, +{LATENCY:?} per response), median of 3:"
    );
    println!(
        "  sequential      {:>8.1} ms   floor {:.0} ms, ratio to floor {:.2}x",
        seq.as_secs_f64() * 1e3,
        (LATENCY * pages).as_secs_f64() * 1e3,
        seq.as_secs_f64() / (LATENCY * pages).as_secs_f64()
    );
    println!(
        "  concurrency(8)  {:>8.1} ms   floor {:.0} ms, ratio to floor {:.2}x, speed-up {:.1}x",
        conc.as_secs_f64() * 1e3,
        floor.as_secs_f64() * 1e3,
        conc.as_secs_f64() / floor.as_secs_f64(),
        seq.as_secs_f64() / conc.as_secs_f64()
    );

    // 2. Per-call overhead, no added latency.
    let server = serve(Duration::ZERO);
    let client = make_client(&server);
    let http = dvs::http_client_builder().unwrap().build().unwrap();
    let url = format!("{}/v1/products?page=1&per_page=100", server.uri());
    const CALLS: usize = 40;
    const ROUNDS: usize = 31;
    let paginator = client.products(|q| q);
    for _ in 0..30 {
        paginator.first_page().await.unwrap();
        plain(&http, &url).await;
    }
    // Short blocks, side by side, their order alternating; the overhead is
    // the median of the blocks' ratios, so a drift of the machine's speed
    // during the run weighs on both sides alike.
    let mut facade = Vec::new();
    let mut baseline = Vec::new();
    let mut ratios = Vec::new();
    for round in 0..ROUNDS {
        let mut pair = [Duration::ZERO; 2];
        for step in 0..2 {
            let started = Instant::now();
            let side = (round + step) % 2;
            for _ in 0..CALLS {
                if side == 0 {
                    std::hint::black_box(paginator.first_page().await.unwrap());
                } else {
                    std::hint::black_box(plain(&http, &url).await);
                }
            }
            pair[side] = started.elapsed() / CALLS as u32;
        }
        facade.push(pair[0]);
        baseline.push(pair[1]);
        ratios.push(pair[0].as_secs_f64() / pair[1].as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[ratios.len() / 2];
    let (facade, baseline) = (median(facade), median(baseline));
    println!(
        "one page of {PER_PAGE} products, no added latency, {ROUNDS} side-by-side blocks of {CALLS} calls:"
    );
    println!(
        "  reqwest + serde_json  {:>8.1} µs per call (median)",
        baseline.as_secs_f64() * 1e6
    );
    println!(
        "  facade first_page()   {:>8.1} µs per call (median)   overhead {:+.1}% (median of the blocks' ratios)",
        facade.as_secs_f64() * 1e6,
        (ratio - 1.0) * 100.0
    );
}

/// The same call without the facade: reqwest, then serde_json into the same
/// product type.
async fn plain(http: &reqwest::Client, url: &str) -> Vec<dvs::v1_21::Product> {
    let resp = http
        .get(url)
        .basic_auth("bench-key", Some("bench-secret"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let bytes = resp.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
