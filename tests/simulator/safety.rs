//! Money safety of the facade against the simulator: a reused
//! `external_id`, and transaction calls whose caller's future is dropped
//! while a loopback proxy holds the request (the way a load balancer lets a
//! request finish after the client went away).

use crate::support::{self, gtm_number, gtm_recharge};
use dvs::simulator::Simulator;
use dvs::v1_21::{Client, Transaction};
use dvs::{Credentials, Error, Mode, NewTransaction, RetryPolicy, StatusClass};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

fn facade(base_url: &str, sim: &Simulator) -> Client {
    let (key, secret) = sim.credentials();
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::new(key, secret))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .read_timeout(Duration::from_secs(5))
        .transaction_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_reused_external_id_for_another_number_is_refused_with_the_existing_transaction() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let client = facade(&sim.base_url(), &sim);
    let first = NewTransaction::new("dup-1", product).credit_party_mobile_number(gtm_number("100"));
    let created = client
        .create_transaction(&first, Mode::Async)
        .await
        .unwrap();

    // Same external_id, same product, another number: another order.
    let other = NewTransaction::new("dup-1", product).credit_party_mobile_number(gtm_number("999"));
    let err = client
        .create_transaction(&other, Mode::Async)
        .await
        .unwrap_err();
    match &err {
        Error::ExternalIdAlreadyUsed {
            external_id,
            transaction_id,
            differences,
            ..
        } => {
            assert_eq!(external_id, "dup-1");
            assert_eq!(*transaction_id, created.transaction_id());
            assert_eq!(differences, &["credit_party_identifier.mobile_number"]);
        }
        other => panic!("expected ExternalIdAlreadyUsed, got {other:?}"),
    }
    let existing = err
        .existing_transaction::<Transaction>()
        .expect("the existing transaction, as the client's type");
    assert_eq!(existing.transaction_id(), created.transaction_id());
    assert_eq!(
        serde_json::to_value(existing).unwrap()["credit_party_identifier"]["mobile_number"],
        gtm_number("100").as_str()
    );
    let shown = err.to_string();
    assert!(
        shown.contains("dup-1") && shown.contains("credit_party_identifier.mobile_number"),
        "{shown}"
    );
    assert!(!err.outcome_unknown());

    // The same order sent again is the existing transaction.
    let again = client
        .create_transaction(&first, Mode::Async)
        .await
        .unwrap();
    assert_eq!(again.transaction_id(), created.transaction_id());

    assert_eq!(sim.transactions().len(), 1, "one transaction only");
    assert_eq!(sim.creates_received("dup-1"), 3);
}

// ----- a loopback proxy -----------------------------------------------------------

/// A request as the proxy read it (the facade tests' raw reader).
type Request = crate::facade_support::RawRequest;

/// `METHOD /path` of a request.
fn line(r: &Request) -> String {
    format!("{} {}", r.method, r.path())
}

/// Forwards every request to the simulator. The first request whose
/// `METHOD /path` is `held` waits for [`Proxy::release`], is then forwarded
/// (and applied upstream) but its answer is lost: the client's connection is
/// closed without a response.
struct Proxy {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    release: Arc<tokio::sync::Semaphore>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(upstream: SocketAddr, held: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let release = Arc::new(tokio::sync::Semaphore::new(0));
        let held_once = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let held = Arc::new(held);
        let task = {
            let (log, release) = (log.clone(), release.clone());
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (log, release, held_once, held) = (
                        log.clone(),
                        release.clone(),
                        held_once.clone(),
                        held.clone(),
                    );
                    tokio::spawn(async move {
                        let mut stream = stream;
                        let Some(request) = read_request(&mut stream).await else {
                            return;
                        };
                        let line = line(&request);
                        log.lock().unwrap().push(line.clone());
                        let hold = line == *held
                            && !held_once.swap(true, std::sync::atomic::Ordering::SeqCst);
                        if hold {
                            // Held until released, whether or not the
                            // client is still there.
                            let _permit = release.acquire().await.unwrap();
                            let _ = forward(upstream, &request).await;
                            log.lock()
                                .unwrap()
                                .push(format!("{line} applied, answer lost"));
                            return;
                        }
                        let answer = forward(upstream, &request).await;
                        let _ = stream.write_all(&answer).await;
                        let _ = stream.shutdown().await;
                    });
                }
            })
        };
        Self {
            addr,
            log,
            release,
            task,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    fn release(&self) {
        self.release.add_permits(1);
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits (bounded) until the log holds `line` after the held request.
    async fn wait_for(&self, line: &str, after: &str) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            let log = self.log();
            if let Some(i) = log.iter().position(|l| l == after) {
                if log[i..].iter().any(|l| l == line) {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Sends `request` upstream and returns the raw HTTP/1.1 answer to relay.
async fn forward(upstream: SocketAddr, request: &Request) -> Vec<u8> {
    let http = dvs::http_client_builder()
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut outgoing = http.request(method, format!("http://{upstream}{}", request.target));
    for (k, v) in &request.headers {
        if !matches!(k.as_str(), "host" | "content-length" | "connection") {
            outgoing = outgoing.header(k, v);
        }
    }
    let response = outgoing.body(request.body.clone()).send().await.unwrap();
    let status = response.status().as_u16();
    let mut head = format!("HTTP/1.1 {status} X\r\n");
    for (k, v) in response.headers() {
        if !matches!(
            k.as_str(),
            "content-length" | "connection" | "transfer-encoding"
        ) {
            head.push_str(&format!("{k}: {}\r\n", v.to_str().unwrap()));
        }
    }
    let body = response.bytes().await.unwrap();
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut answer = head.into_bytes();
    answer.extend_from_slice(&body);
    answer
}

use crate::facade_support::read_request;

// ----- dropped futures ------------------------------------------------------------

#[tokio::test]
async fn a_dropped_create_still_completes_and_is_returned_without_a_second_create() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let proxy = Proxy::start(sim.addr(), "POST /v1/async/transactions".into()).await;
    let client = facade(&proxy.base_url(), &sim);
    let order =
        NewTransaction::new("drop-future-1", product).credit_party_mobile_number(gtm_number("100"));

    // The caller gives up while the proxy holds the create: its future is dropped.
    let gave_up = tokio::time::timeout(
        Duration::from_millis(300),
        client.create_transaction(&order, Mode::Async),
    )
    .await;
    assert!(gave_up.is_err(), "the create was still held");
    assert!(sim.transactions().is_empty(), "nothing applied yet");

    // The proxy lets the create through (it is applied, its answer lost):
    // the client's own task recovers it by external_id.
    proxy.release();
    assert!(
        proxy
            .wait_for(
                "GET /v1/transactions",
                "POST /v1/async/transactions applied, answer lost"
            )
            .await,
        "the recovery look-up ran after the caller went away: {:?}",
        proxy.log()
    );
    assert_eq!(sim.transactions().len(), 1);

    // Asking again for the same order returns the transaction that exists.
    let tx = client
        .create_transaction(&order, Mode::Async)
        .await
        .unwrap();
    let recorded = sim.transaction_by_external_id("drop-future-1").unwrap();
    assert_eq!(tx.transaction_id(), Some(recorded.id));
    assert_eq!(tx.external_id, "drop-future-1");
    assert_eq!(sim.transactions().len(), 1, "exactly one transaction");
    assert_eq!(sim.creates_received("drop-future-1"), 1);
    let posts = proxy
        .log()
        .iter()
        .filter(|l| l.as_str() == "POST /v1/async/transactions")
        .count();
    assert_eq!(posts, 1, "no second create on the wire: {:?}", proxy.log());
}

#[tokio::test]
async fn a_dropped_confirm_or_cancel_still_completes_and_is_read_back() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let direct = facade(&sim.base_url(), &sim);
    let created = |external_id: &'static str| {
        let direct = direct.clone();
        async move {
            let order = NewTransaction::new(external_id, product)
                .credit_party_mobile_number(gtm_number("100"));
            direct
                .create_transaction(&order, Mode::Async)
                .await
                .unwrap()
                .transaction_id()
                .unwrap()
        }
    };

    // Confirm.
    let id = created("drop-confirm-1").await;
    let path = format!("POST /v1/async/transactions/{id}/confirm");
    let proxy = Proxy::start(sim.addr(), path.clone()).await;
    let client = facade(&proxy.base_url(), &sim);
    let gave_up = tokio::time::timeout(
        Duration::from_millis(300),
        client.confirm_transaction(id, Mode::Async),
    )
    .await;
    assert!(gave_up.is_err(), "the confirm was still held");
    assert_eq!(sim.transaction(id).unwrap().class, StatusClass::Created);
    proxy.release();
    assert!(
        proxy
            .wait_for(
                &format!("GET /v1/transactions/{id}"),
                &format!("{path} applied, answer lost")
            )
            .await,
        "the confirm's read-back ran after the caller went away: {:?}",
        proxy.log()
    );
    assert_ne!(sim.transaction(id).unwrap().class, StatusClass::Created);

    // Cancel.
    let id = created("drop-cancel-1").await;
    let path = format!("POST /v1/transactions/{id}/cancel");
    let proxy = Proxy::start(sim.addr(), path.clone()).await;
    let client = facade(&proxy.base_url(), &sim);
    let gave_up =
        tokio::time::timeout(Duration::from_millis(300), client.cancel_transaction(id)).await;
    assert!(gave_up.is_err(), "the cancel was still held");
    proxy.release();
    assert!(
        proxy
            .wait_for(
                &format!("GET /v1/transactions/{id}"),
                &format!("{path} applied, answer lost")
            )
            .await,
        "the cancel's read-back ran after the caller went away: {:?}",
        proxy.log()
    );
    assert_eq!(sim.transaction(id).unwrap().class, StatusClass::Cancelled);
}
