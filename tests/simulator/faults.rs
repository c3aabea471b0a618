//! Faults for client tests (latency, 503s, a connection dropped after the
//! create was recorded) and callbacks with their retries.

use crate::support::{self, create_body, gtm_number, gtm_recharge, spec};
use dvs::Status;
use reqwest::Method;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn added_latency() {
    let (sim, api) = support::start(support::config()).await;
    sim.set_latency(Duration::from_millis(200));
    let started = Instant::now();
    api.get("/balances").await.expect(200);
    assert!(started.elapsed() >= Duration::from_millis(200));
    sim.set_latency(Duration::ZERO);
    let (_sim2, api2) = support::start(support::config().latency(Duration::from_millis(120))).await;
    let started = Instant::now();
    api2.get("/services").await.expect(200);
    assert!(started.elapsed() >= Duration::from_millis(120));
}

#[tokio::test]
async fn a_share_of_503s() {
    let (sim, api) = support::start(support::config().unavailable_share(1.0)).await;
    let r = api.get("/products").await.expect_error(503, 1009503);
    assert!(r.header("Retry-After").is_some());
    api.create(create_body("u-1", 10001, &gtm_number("100"), true))
        .await
        .expect_error(503, 1009503);
    assert!(sim.transactions().is_empty(), "a 503 applies nothing");
    assert_eq!(sim.creates_received("u-1"), 0);

    sim.set_unavailable_share(0.5);
    let mut ok = 0;
    let mut unavailable = 0;
    for _ in 0..40 {
        match api.get("/benefit-types").await.status {
            200 => ok += 1,
            503 => unavailable += 1,
            other => panic!("{other}"),
        }
    }
    assert!(
        ok > 5 && unavailable > 5,
        "{ok} ok, {unavailable} unavailable"
    );
    sim.set_unavailable_share(0.0);
    api.get("/benefit-types").await.expect(200);
}

#[tokio::test]
async fn connection_dropped_after_the_create_was_recorded() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    sim.drop_next_creates(1);
    let http = dvs::http_client_builder()
        .unwrap()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    let result = http
        .post(format!("{}/async/transactions", api.base))
        .header("Authorization", &api.auth)
        .json(&create_body("drop-1", product, &gtm_number("100"), true))
        .send()
        .await;
    let err = result.expect_err("no response: the connection was closed");
    assert!(!err.is_timeout(), "closed, not timed out: {err:?}");
    assert!(err.status().is_none());
    assert!(started.elapsed() < Duration::from_secs(3));
    // The transaction exists: a client recovers it by external_id.
    assert_eq!(sim.creates_received("drop-1"), 1);
    let tx = sim.transaction_by_external_id("drop-1").expect("recorded");
    let list = api
        .get("/transactions?external_id=drop-1")
        .await
        .expect(200);
    assert_eq!(list.items().len(), 1);
    assert_eq!(list.items()[0]["id"].as_i64(), Some(tx.id));
    // Sending it again is refused: no second transaction.
    api.create(create_body("drop-1", product, &gtm_number("100"), true))
        .await
        .expect_error(400, 1007001);
    assert_eq!(sim.creates_received("drop-1"), 2);
    assert_eq!(sim.transactions().len(), 1);
    // The knob was for one create only.
    api.create(create_body("drop-2", product, &gtm_number("100"), true))
        .await
        .expect(201);

    // The generated client sees a communication error too, also on the
    // synchronous endpoint.
    sim.set_drop_after_create_share(1.0);
    let raw = crate::raw_client::raw_client(&sim);
    let body: dvs::v1_21::raw::types::TransactionRequest =
        serde_json::from_value(create_body("drop-3", product, &gtm_number("100"), true)).unwrap();
    let err = raw
        .post_transaction_sync()
        .body(body)
        .send()
        .await
        .expect_err("dropped");
    assert!(
        matches!(err, dvs::v1_21::raw::Error::CommunicationError(_)),
        "{err:?}"
    );
    assert!(sim.transaction_by_external_id("drop-3").is_some());
    // Confirms and reads are not dropped.
    sim.set_drop_after_create_share(0.0);
    api.get("/balances").await.expect(200);
}

#[tokio::test]
async fn dropped_connections_with_a_share() {
    let (sim, api) = support::start(support::config().drop_after_create_share(1.0)).await;
    let product = gtm_recharge(&api).await;
    for i in 0..3 {
        let r = api
            .http
            .post(format!("{}/async/transactions", api.base))
            .header("Authorization", &api.auth)
            .json(&create_body(
                &format!("share-{i}"),
                product,
                &gtm_number("100"),
                false,
            ))
            .send()
            .await;
        assert!(r.is_err());
    }
    assert_eq!(sim.transactions().len(), 3);
    // A refused create is answered (nothing was recorded).
    api.create(create_body("share-0", product, &gtm_number("100"), false))
        .await
        .expect_error(400, 1007001);
}

async fn callback_bodies(server: &MockServer, path: &str) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == path)
        .map(|r| serde_json::from_slice(&r.body).expect("callback body is JSON"))
        .collect()
}

#[tokio::test]
async fn callbacks_on_every_status_change_with_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cb"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cb"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let (sim, api) = support::start(
        support::config()
            .callback_attempts(3)
            .callback_backoff(Duration::from_millis(20)),
    )
    .await;
    let product = gtm_recharge(&api).await;
    let url = format!("{}/cb", server.uri());
    let mut body = create_body("cb-1", product, &gtm_number("100"), false);
    body["callback_url"] = json!(url);
    let created = api.create(body).await.expect(201);
    assert_eq!(created.body["callback_url"], json!(url));
    let id = created.body["id"].as_i64().unwrap();
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect(202);
    assert!(
        sim.wait_callbacks(3, Duration::from_secs(10)).await,
        "{:?}",
        sim.callbacks()
    );
    sim.reverse(id).unwrap();
    assert!(
        sim.wait_callbacks(4, Duration::from_secs(10)).await,
        "{:?}",
        sim.callbacks()
    );

    let records = sim.callbacks();
    let statuses: Vec<&Status> = records.iter().map(|r| &r.status).collect();
    assert_eq!(
        statuses,
        [
            &Status::Confirmed,
            &Status::Submitted,
            &Status::Completed,
            &Status::Reversed
        ]
    );
    assert_eq!(records[0].attempts, 3, "two 500s, then delivered");
    assert!(records
        .iter()
        .all(|r| r.delivered && r.url == url && r.transaction_id == id));
    assert!(records[1..].iter().all(|r| r.attempts == 1));
    assert_eq!(records[3].last_http_status, Some(204));

    // What the endpoint received: the transaction, in order, per the spec.
    let bodies = callback_bodies(&server, "/cb").await;
    let messages: Vec<&str> = bodies
        .iter()
        .map(|b| b["status"]["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "CONFIRMED",
            "CONFIRMED",
            "CONFIRMED",
            "SUBMITTED",
            "COMPLETED",
            "REVERSED"
        ]
    );
    for b in &bodies {
        spec().validate(
            &Method::POST,
            "/v1/async/transactions",
            201,
            &Default::default(),
            b,
        );
        assert_eq!(b["id"].as_i64(), Some(id));
    }

    // Retries are bounded.
    let down = format!("{}/down", server.uri());
    let mut body = create_body("cb-2", product, &gtm_number("102"), true);
    body["callback_url"] = json!(down);
    api.create(body).await.expect(201);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let done: Vec<_> = sim
            .callbacks()
            .into_iter()
            .filter(|r| r.url == down && r.attempts == 3)
            .collect();
        if done.len() == 3 {
            assert!(done
                .iter()
                .all(|r| !r.delivered && r.last_http_status == Some(503)));
            break;
        }
        assert!(Instant::now() < deadline, "{:?}", sim.callbacks());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        callback_bodies(&server, "/down").await.len(),
        9,
        "3 changes × 3 attempts"
    );
    let last = sim
        .callbacks()
        .into_iter()
        .rev()
        .find(|r| r.url == down)
        .unwrap();
    assert_eq!(last.status, Status::DeclinedInvalidCreditParty);
}

#[tokio::test]
async fn callbacks_for_cancel_expiry_and_rejection() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let (sim, api) = support::start(support::config().starting_balance(dec!(20.0))).await;
    let product = gtm_recharge(&api).await;
    let url = format!("{}/hook", server.uri());
    let with_cb = |ext: &str| {
        let mut b = create_body(ext, product, &gtm_number("100"), false);
        b["callback_url"] = json!(url);
        b
    };
    let cancelled = api.create(with_cb("cb-cancel")).await.expect(201).body["id"]
        .as_i64()
        .unwrap();
    api.post(&format!("/transactions/{cancelled}/cancel"), json!({}))
        .await
        .expect(202);
    api.create(with_cb("cb-expire")).await.expect(201);
    sim.advance(Duration::from_secs(61 * 60));
    // Now spend more than the balance holds: REJECTED, with a callback.
    let mut n = 0;
    loop {
        let r = api.create(with_cb(&format!("cb-spend-{n}"))).await;
        n += 1;
        if r.status == 400 {
            assert_eq!(r.code(), 1006001);
            break;
        }
        assert!(n < 50, "the balance never ran out");
    }
    let expected_delivered = 3;
    assert!(
        sim.wait_callbacks(expected_delivered, Duration::from_secs(10))
            .await
    );
    let statuses: Vec<Status> = sim.callbacks().into_iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Cancelled,
            Status::Cancelled,
            Status::RejectedInsufficientBalance
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_under_load() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let api = std::sync::Arc::new(api);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..10 {
        let api = std::sync::Arc::clone(&api);
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..20 {
                let suffix = ["100", "102", "200"][(worker + i) % 3];
                let r = api
                    .create(create_body(
                        &format!("load-{worker}-{i}"),
                        product,
                        &gtm_number(suffix),
                        true,
                    ))
                    .await
                    .expect(201);
                ids.push(r.body["id"].as_i64().unwrap());
            }
            ids
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.extend(t.await.unwrap());
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 200, "every create got its own transaction");
    for id in &ids {
        sim.wait_final(*id, Duration::from_secs(10)).await.unwrap();
    }
    let snap = sim.snapshot();
    assert!(snap.transactions.iter().all(|t| t.class.is_final()));
    let b = &snap.balances[0];
    assert_eq!(b.total(), dec!(10_000));
    assert!(b.holding.is_zero());
    let completed: dvs::Decimal = snap
        .transactions
        .iter()
        .filter(|t| t.status == Status::Completed)
        .map(|t| t.amount)
        .sum();
    assert_eq!(b.captured, completed);
}

#[tokio::test]
async fn stops_when_dropped() {
    let (sim, api) = support::start(support::config()).await;
    api.get("/balances").await.expect(200);
    let addr = sim.addr();
    assert_eq!(sim.base_url(), format!("http://{addr}/v1"));
    drop(sim);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::net::TcpStream::connect(addr).await {
            Err(_) => break,
            Ok(_) => {
                assert!(Instant::now() < deadline, "still listening on {addr}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}
