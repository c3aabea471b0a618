#![cfg(feature = "v1_21")]
//! The 1.21.0 facade (`dvs::v1_21::Client`) against loopback servers: what
//! it requests (method, path, query, body, credentials) and what it makes of
//! the answers, for paging, retries, transaction recovery by `external_id`,
//! polling, callbacks, input checks, decoding, secrets and languages.

mod facade_support;

use dvs::v1_21::{Client, CreditParty, Product, ProductType, Transaction};
use dvs::{
    Credentials, Error, ErrorCode, Mode, NewTransaction, Outcome, RetryPolicy, Status, StatusClass,
};
use facade_support::*;
use futures::StreamExt;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const V: &str = "v1_21";
const EXTERNAL_ID: &str = "co-order-2024-05-02-0031";
const PRODUCT_ID: i64 = 24410;
const TX_ID: i64 = 4102239187;
const MOBILE: &str = "+573001234567";
const CALLBACK: &str = "https://shop.example.co/dvs/callbacks";

/// Every collection of a stream is bounded: a paging loop fails the test
/// instead of hanging it.
const BOUND: Duration = Duration::from_secs(10);

fn builder(base_url: &str) -> dvs::ClientBuilder<Client> {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::new(KEY, SECRET))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .read_timeout(Duration::from_secs(5))
        .transaction_timeout(Duration::from_secs(5))
}

fn base(server: &MockServer) -> String {
    format!("{}/v1", server.uri())
}

fn client(server: &MockServer) -> Client {
    builder(&base(server)).build().unwrap()
}

/// A catch-all mock answering 200 `[]`, so that a stray request is recorded
/// (and its count asserted) rather than answered 404.
async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(u8::MAX)
        .mount(server)
        .await;
}

fn product(id: i64) -> Value {
    let mut p = fixture(V, "facade_product.json");
    p["id"] = id.into();
    p["name"] = format!("Movistar Colombia bundle {id}").into();
    p
}

fn products(n: i64) -> Vec<Value> {
    (1..=n).map(|i| product(30000 + i)).collect()
}

fn service(id: i64) -> Value {
    json!({"id": id, "name": format!("Service {id}"), "subservices": [{"id": id * 10 + 1, "name": "Airtime"}]})
}

/// A transaction of the fixture with this id, reference, product and status class.
fn tx(id: i64, external_id: &str, product_id: i64, class_id: i64) -> Value {
    let name = StatusClass::from_id(class_id).name().to_string();
    let mut t = fixture(V, "facade_transaction.json");
    t["id"] = id.into();
    t["external_id"] = external_id.into();
    t["product"]["id"] = product_id.into();
    t["status"] = json!({"id": class_id * 10000, "message": name, "class": {"id": class_id, "message": name}});
    t
}

fn new_tx() -> NewTransaction {
    NewTransaction::new(EXTERNAL_ID, PRODUCT_ID)
        .credit_party_mobile_number(MOBILE)
        .auto_confirm(true)
        .callback_url(CALLBACK)
}

/// The create body `new_tx()` must produce (an asynchronous create).
fn new_tx_body() -> Value {
    json!({
        "external_id": EXTERNAL_ID,
        "product_id": PRODUCT_ID,
        "auto_confirm": true,
        "credit_party_identifier": {"mobile_number": MOBILE},
        "callback_url": CALLBACK,
    })
}

async fn collect<T>(s: impl futures::Stream<Item = T>) -> Vec<T> {
    tokio::time::timeout(BOUND, s.collect::<Vec<_>>())
        .await
        .expect("the stream ended")
}

fn product_ids(items: Vec<Result<dvs::Item<Product>, Error>>) -> Vec<i64> {
    items.into_iter().map(|p| ok(p.unwrap()).id()).collect()
}

/// A list item that must have decoded.
fn ok<T>(item: dvs::Item<T>) -> T {
    item.into_result()
        .unwrap_or_else(|m| panic!("a malformed item: {m}"))
}

/// List items that must all have decoded.
fn decoded<T>(items: Vec<dvs::Item<T>>) -> Vec<T> {
    items.into_iter().map(ok).collect()
}

fn assert_api_error(e: &Error, status: u16, code: ErrorCode) {
    match e {
        Error::Api {
            status: s, errors, ..
        } => {
            assert_eq!(*s, status, "{e}");
            assert_eq!(
                errors.iter().map(|e| e.code).collect::<Vec<_>>(),
                [code],
                "{e}"
            );
        }
        other => panic!("expected Api {status} {code}, got {other:?}"),
    }
}

// ----- paging ------------------------------------------------------------------

#[tokio::test]
async fn listing_follows_pages_to_the_last_keeping_every_filter() {
    let server = MockServer::start().await;
    let catalog = products(250);
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(catalog.clone(), PageIn::Query))
        .mount(&server)
        .await;

    let items = collect(
        client(&server)
            .products(|q| {
                q.country_iso_code("COL")
                    .type_(ProductType::FixedValueRecharge)
                    .tags("AIRTIME,BEST_SELLER")
                    .benefit_types("DATA,SMS")
                    .service_id(1)
                    .subservice_id(11)
                    .operator_id(1528)
                    .region("COL")
            })
            .items(),
    )
    .await;

    let expected: Vec<i64> = catalog.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(product_ids(items), expected, "every item, in order");

    let received = requests(&server).await;
    assert_authenticated(&received);
    assert_eq!(pages_requested(&received), [1, 2, 3], "none past the last");
    for r in &received {
        assert_eq!(r.method.as_str(), "GET");
        assert_eq!(r.url.path(), "/v1/products");
        assert!(r.body.is_empty());
        let mut q = query(r);
        q.retain(|(k, _)| k != "page");
        q.sort();
        assert_eq!(
            q,
            [
                ("benefit_types", "DATA,SMS"),
                ("country_iso_code", "COL"),
                ("operator_id", "1528"),
                ("per_page", "100"),
                ("region", "COL"),
                ("service_id", "1"),
                ("subservice_id", "11"),
                ("tags", "AIRTIME,BEST_SELLER"),
                ("type", "FIXED_VALUE_RECHARGE"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
            "the filters on page {:?}",
            query_value(r, "page")
        );
        assert!(header(r, "accept-language").is_none());
    }
}

#[tokio::test]
async fn listing_stops_at_the_callers_page_limit() {
    let server = MockServer::start().await;
    let catalog = products(250);
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(catalog.clone(), PageIn::Query))
        .mount(&server)
        .await;
    let client = client(&server);

    let items = collect(
        client
            .products(|q| q.country_iso_code("COL"))
            .max_pages(2)
            .items(),
    )
    .await;
    assert_eq!(items.len(), 200);
    assert_eq!(
        product_ids(items),
        catalog[..200]
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);

    // The same limit with concurrent paging.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(catalog.clone(), PageIn::Query))
        .mount(&server)
        .await;
    let items = collect(client.products(|q| q).max_pages(2).concurrency(4).items()).await;
    assert_eq!(items.len(), 200);
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);

    // A start page and a limit of one: that page only.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(catalog, PageIn::Query))
        .mount(&server)
        .await;
    let items = collect(
        client
            .products(|q| q)
            .per_page(50)
            .unwrap()
            .start_page(2)
            .unwrap()
            .max_pages(1)
            .items(),
    )
    .await;
    assert_eq!(product_ids(items), (30051..=30100).collect::<Vec<_>>());
    let received = requests(&server).await;
    assert_eq!(pages_requested(&received), [2]);
    assert_eq!(query_value(&received[0], "per_page").as_deref(), Some("50"));
}

#[tokio::test]
async fn pages_carry_the_paging_and_rate_limit_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(Catalog::new((1..=5).map(service).collect(), PageIn::Query))
        .mount(&server)
        .await;
    let pages = collect(
        client(&server)
            .services(|q| q.country_iso_code("COL"))
            .per_page(2)
            .unwrap()
            .pages(),
    )
    .await;
    let summary: Vec<_> = pages
        .into_iter()
        .map(|p| {
            let p = p.unwrap();
            (
                p.items
                    .iter()
                    .map(|s| s.as_ok().unwrap().id.0)
                    .collect::<Vec<_>>(),
                p.page,
                p.per_page,
                p.total,
                p.total_pages,
                p.next_page,
                p.prev_page,
                p.rate_limit.limit,
                p.rate_limit.remaining,
                p.has_next(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                vec![1, 2],
                Some(1),
                Some(2),
                Some(5),
                Some(3),
                Some(2),
                None,
                Some(600),
                Some(587),
                true
            ),
            (
                vec![3, 4],
                Some(2),
                Some(2),
                Some(5),
                Some(3),
                Some(3),
                Some(1),
                Some(600),
                Some(587),
                true
            ),
            (
                vec![5],
                Some(3),
                Some(2),
                Some(5),
                Some(3),
                None,
                Some(2),
                Some(600),
                Some(587),
                false
            ),
        ]
    );
    let received = requests(&server).await;
    assert_authenticated(&received);
    for (r, page) in received.iter().zip(1..) {
        let mut q = query(r);
        q.sort();
        assert_eq!(
            q,
            [
                ("country_iso_code".to_string(), "COL".to_string()),
                ("page".to_string(), page.to_string()),
                ("per_page".to_string(), "2".to_string()),
            ]
        );
    }
}

#[tokio::test]
async fn a_repeated_or_backward_next_page_ends_the_stream() {
    // The server ignores `page`: always page 1, claiming a page 2.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(page_answer(
            vec![service(1), service(2)],
            Some(1),
            Some(2),
            Some(2),
        ))
        .mount(&server)
        .await;
    let items = collect(client(&server).services(|q| q).items()).await;
    assert_eq!(items.len(), 4);
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);

    // Page 2 points back to page 1.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(
            |r: &wiremock::Request| match query_value(r, "page").as_deref() {
                Some("1") => page_answer(vec![service(1)], Some(1), Some(2), None),
                _ => page_answer(vec![service(2)], Some(2), Some(1), None),
            },
        )
        .mount(&server)
        .await;
    let items = collect(client(&server).services(|q| q).items()).await;
    let ids: Vec<i64> = items.into_iter().map(|s| ok(s.unwrap()).id.0).collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);

    // No X-Page at all and the same X-Next-Page on every page.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(page_answer(vec![service(1)], None, Some(2), None))
        .mount(&server)
        .await;
    let items = collect(client(&server).services(|q| q).items()).await;
    assert_eq!(items.len(), 2);
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);
}

#[tokio::test]
async fn an_empty_page_claiming_a_next_page_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(|r: &wiremock::Request| {
            let page: u64 = query_value(r, "page").unwrap().parse().unwrap();
            let items = if page == 1 {
                vec![service(1), service(2)]
            } else {
                vec![]
            };
            page_answer(items, Some(page), Some(page + 1), None)
        })
        .mount(&server)
        .await;
    let items = collect(client(&server).services(|q| q).items()).await;
    assert_eq!(items.len(), 2);
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);

    // An empty first page that claims a next one: one request.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(page_answer(vec![], Some(1), Some(2), None))
        .mount(&server)
        .await;
    let pages = collect(client(&server).services(|q| q).pages()).await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap().items.is_empty());
    assert_eq!(pages_requested(&requests(&server).await), [1]);
}

#[tokio::test]
async fn concurrent_paging_yields_in_page_order() {
    let server = MockServer::start().await;
    // Ten pages of five; later pages answer faster than earlier ones.
    let catalog = Catalog::new((1..=50).map(service).collect(), PageIn::Query).delay(|page| {
        if page == 1 {
            Duration::ZERO
        } else {
            Duration::from_millis(u64::from(11 - page) * 25)
        }
    });
    let arrivals = catalog.arrivals();
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(catalog)
        .mount(&server)
        .await;

    let items = collect(
        client(&server)
            .services(|q| q)
            .per_page(5)
            .unwrap()
            .concurrency(4)
            .items(),
    )
    .await;
    let ids: Vec<i64> = items.into_iter().map(|s| ok(s.unwrap()).id.0).collect();
    assert_eq!(ids, (1..=50).collect::<Vec<_>>(), "items in page order");

    let received = requests(&server).await;
    assert_authenticated(&received);
    let mut pages = pages_requested(&received);
    assert_eq!(pages[0], 1, "the first page is fetched first");
    pages.sort_unstable();
    assert_eq!(
        pages,
        (1..=10).collect::<Vec<_>>(),
        "every page exactly once"
    );
    assert!(received
        .iter()
        .all(|r| query_value(r, "per_page").as_deref() == Some("5")));

    let arrivals = arrivals.lock().unwrap().clone();
    let at = |page: u32| arrivals.iter().find(|(p, _)| *p == page).unwrap().1;
    // Pages 2 to 5 are requested together (sequentially, page 3 would wait
    // for page 2's 225 ms)...
    let first_wave = (2..=5).map(at).collect::<Vec<_>>();
    let spread = first_wave.iter().max().unwrap().duration_since(at(2));
    assert!(
        spread < Duration::from_millis(200),
        "pages 2-5 spread {spread:?}"
    );
    // ...and no more than four at a time: page 6 waits for an answer
    // (the fastest of pages 2 to 5 takes 150 ms).
    let wave_start = *first_wave.iter().min().unwrap();
    let waited = at(6).duration_since(wave_start);
    assert!(
        waited >= Duration::from_millis(140),
        "page 6 after {waited:?}"
    );
}

#[tokio::test]
async fn a_page_failing_mid_stream_surfaces_its_error_and_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(products(10), PageIn::Query).failing_page(3))
        .mount(&server)
        .await;
    let client = client(&server);

    let pages = collect(client.products(|q| q).per_page(2).unwrap().pages()).await;
    assert_eq!(
        pages.len(),
        3,
        "pages 1 and 2, then the error, then the end"
    );
    let ids = |p: &Result<dvs::Page<dvs::Item<Product>>, Error>| -> Vec<i64> {
        p.as_ref()
            .unwrap()
            .items
            .iter()
            .map(|i| i.as_ok().unwrap().id())
            .collect()
    };
    assert_eq!(ids(&pages[0]), [30001, 30002]);
    assert_eq!(ids(&pages[1]), [30003, 30004]);
    let err = pages[2].as_ref().unwrap_err();
    assert_api_error(err, 500, ErrorCode::Unexpected);
    assert!(!err.is_retryable());
    assert_eq!(
        pages_requested(&requests(&server).await),
        [1, 2, 3],
        "page 4 never requested, a 500 is not retried"
    );

    // The same through `items()` and `collect_all()`.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(products(10), PageIn::Query).failing_page(3))
        .mount(&server)
        .await;
    let items = collect(client.products(|q| q).per_page(2).unwrap().items()).await;
    assert_eq!(items.len(), 5);
    assert!(items[..4].iter().all(Result::is_ok));
    assert_api_error(items[4].as_ref().unwrap_err(), 500, ErrorCode::Unexpected);
    let err = client
        .products(|q| q)
        .per_page(2)
        .unwrap()
        .collect_all()
        .await
        .unwrap_err();
    assert_api_error(&err, 500, ErrorCode::Unexpected);
    assert_eq!(
        pages_requested(&requests(&server).await),
        [1, 2, 3, 1, 2, 3]
    );
}

// ----- retries -------------------------------------------------------------------

fn too_many_requests() -> ResponseTemplate {
    dvs_error(429, 1000429, "Too many requests").insert_header("Retry-After", "1")
}

#[tokio::test]
async fn a_rate_limited_read_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(Seq::new(vec![
            too_many_requests(),
            page_answer(vec![service(1)], Some(1), None, Some(1)),
        ]))
        .mount(&server)
        .await;
    let started = Instant::now();
    let page = client(&server)
        .services(|q| q.country_iso_code("COL"))
        .first_page()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].as_ok().unwrap().id.0, 1);
    assert!(
        elapsed >= Duration::from_millis(950),
        "Retry-After: 1 honoured over the 10 ms backoff, waited {elapsed:?}"
    );
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_authenticated(&received);
    assert_eq!(received[0].url, received[1].url, "the same request again");
}

#[tokio::test]
async fn a_persisting_rate_limit_is_reported_with_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(too_many_requests())
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let err = client.services(|q| q).first_page().await.unwrap_err();
    match &err {
        Error::RateLimited { retry_after } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(1)))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 2, "max_attempts 2");

    // A wait past the policy's total deadline is not made.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(too_many_requests())
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .retry(RetryPolicy::default().with_deadline(Duration::from_millis(500)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.services(|q| q).first_page().await.unwrap_err();
    assert!(matches!(
        err,
        Error::RateLimited {
            retry_after: Some(d)
        } if d == Duration::from_secs(1)
    ));
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_unavailable_read_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/products/24410"))
        .respond_with(Seq::new(vec![
            dvs_error(503, 1009503, "Service unavailable"),
            ResponseTemplate::new(200).set_body_json(product(PRODUCT_ID)),
        ]))
        .mount(&server)
        .await;
    let found = client(&server).product(PRODUCT_ID, None).await.unwrap();
    assert_eq!(found.value.id(), PRODUCT_ID);
    let received = requests(&server).await;
    assert_eq!(lines(&received), ["GET /v1/products/24410"; 2]);
    assert_authenticated(&received);

    // Without retries, the 503 is reported as retryable with its code.
    let client = builder(&base(&server))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    server.reset().await;
    Mock::given(any())
        .respond_with(dvs_error(503, 1009503, "Service unavailable"))
        .mount(&server)
        .await;
    let err = client.product(PRODUCT_ID, None).await.unwrap_err();
    assert_api_error(&err, 503, ErrorCode::ServiceUnavailable);
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_read_whose_connection_drops_is_retried() {
    let server = TcpServer::start(|_, seen| {
        if seen.is_empty() {
            Reply::Close
        } else {
            Reply::Json(200, vec![], service(7))
        }
    })
    .await;
    let found = builder(&server.base_url())
        .build()
        .unwrap()
        .service(7)
        .await
        .unwrap();
    assert_eq!(found.id.0, 7);
    let received = server.requests();
    assert_eq!(received.len(), 2);
    for r in &received {
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("GET", "/v1/services/7")
        );
        assert_eq!(r.header("authorization"), Some(expected_auth().as_str()));
    }
}

#[tokio::test]
async fn a_read_times_out_after_the_read_timeout_with_no_outcome_at_stake() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 1))
                .set_delay(Duration::from_secs(2)),
        )
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .read_timeout(Duration::from_millis(200))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.transaction(TX_ID).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                outcome: Outcome::NotApplicable
            }
        ),
        "{err:?}"
    );
    assert!(!err.outcome_unknown());
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(
        requests(&server).await.len(),
        2,
        "a timed-out read is retried"
    );
}

#[tokio::test]
async fn pacing_spaces_requests() {
    let server = MockServer::start().await;
    let catalog = Catalog::new((1..=3).map(service).collect(), PageIn::Query);
    let arrivals = catalog.arrivals();
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(catalog)
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .min_interval(Duration::from_millis(150))
        .build()
        .unwrap();
    let started = Instant::now();
    let items = collect(client.services(|q| q).per_page(1).unwrap().items()).await;
    assert_eq!(items.len(), 3);
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(
        arrivals.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // The n-th request (from 0) has a slot no earlier than n intervals
    // after the first; on loopback, unpaced, all three take a few ms.
    for (n, (_, at)) in arrivals.iter().enumerate() {
        let after = at.duration_since(started);
        assert!(
            after >= Duration::from_millis(150) * n as u32,
            "request {n} after {after:?}"
        );
    }
}

// ----- creating transactions ---------------------------------------------------

/// Mounts the look-up by `external_id` answering `found`.
async fn mount_lookup(server: &MockServer, found: Vec<Value>) {
    Mock::given(method("GET"))
        .and(path("/v1/transactions"))
        .respond_with(page_answer(found, Some(1), None, Some(1)))
        .mount(server)
        .await;
}

/// The look-up by external id: one page of 100 with the reference only.
fn assert_lookup(r: &wiremock::Request, external_id: &str) {
    assert_eq!(
        (r.method.as_str(), r.url.path()),
        ("GET", "/v1/transactions")
    );
    let mut q = query(r);
    q.sort();
    assert_eq!(
        q,
        [
            ("external_id".to_string(), external_id.to_string()),
            ("page".to_string(), "1".to_string()),
            ("per_page".to_string(), "100".to_string()),
        ]
    );
}

#[tokio::test]
async fn create_sends_the_transaction_once_and_decodes_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            2,
        )))
        .mount(&server)
        .await;
    let created = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(created.transaction_id(), Some(TX_ID));
    assert_eq!(created.external_id, EXTERNAL_ID);
    assert_eq!(created.status_class(), StatusClass::Confirmed);
    assert_eq!(created.detailed_status(), Some(Status::Confirmed));
    assert!(!created.is_final());

    let received = requests(&server).await;
    assert_eq!(lines(&received), ["POST /v1/async/transactions"]);
    assert_authenticated(&received);
    assert_eq!(body(&received[0]), new_tx_body());
    assert_eq!(
        header(&received[0], "content-type"),
        Some("application/json")
    );
    assert!(received[0].url.query().is_none());
}

#[tokio::test]
async fn sync_create_and_confirm_use_the_sync_paths_without_callback_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/sync/transactions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            7,
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/sync/transactions/4102239187/confirm"))
        .respond_with(ResponseTemplate::new(202).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            7,
        )))
        .mount(&server)
        .await;
    let client = client(&server);
    let created = client
        .create_transaction(&new_tx().auto_confirm(false), Mode::Sync)
        .await
        .unwrap();
    assert!(created.is_success() && created.is_final());
    let confirmed = client.confirm_transaction(TX_ID, Mode::Sync).await.unwrap();
    assert_eq!(confirmed.status_class(), StatusClass::Completed);

    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        [
            "POST /v1/sync/transactions",
            "POST /v1/sync/transactions/4102239187/confirm"
        ]
    );
    assert_authenticated(&received);
    let mut expected = new_tx_body();
    expected["auto_confirm"] = false.into();
    expected.as_object_mut().unwrap().remove("callback_url");
    assert_eq!(
        body(&received[0]),
        expected,
        "1.21.0 sync create: no callback_url"
    );
    assert!(received[1].body.is_empty());
}

#[tokio::test]
async fn a_create_timing_out_is_recovered_by_external_id_with_one_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    mount_lookup(&server, vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2)]).await;
    let client = builder(&base(&server))
        .transaction_timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let started = Instant::now();
    let recovered = client
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the 300 ms timeout applied"
    );
    assert_eq!(recovered.transaction_id(), Some(TX_ID));
    assert_eq!(recovered.external_id, EXTERNAL_ID);
    assert_eq!(recovered.status_class(), StatusClass::Confirmed);

    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions", "GET /v1/transactions"],
        "exactly one create"
    );
    assert_authenticated(&received);
    assert_eq!(body(&received[0]), new_tx_body());
    assert_lookup(&received[1], EXTERNAL_ID);
}

#[tokio::test]
async fn a_create_whose_connection_drops_is_recovered_with_one_create_on_the_server() {
    let server =
        TcpServer::start(
            |request, seen| match (request.method.as_str(), request.path()) {
                // The create is read in full, recorded, and left unanswered.
                ("POST", "/v1/async/transactions") => Reply::Close,
                ("GET", "/v1/transactions") => {
                    let recorded: Vec<Value> = seen
                        .iter()
                        .filter(|r| r.method == "POST")
                        .map(|r| {
                            let body = r.json();
                            tx(
                                TX_ID,
                                body["external_id"].as_str().unwrap(),
                                body["product_id"].as_i64().unwrap(),
                                1,
                            )
                        })
                        .collect();
                    let headers = vec![
                        ("X-Page", "1".to_string()),
                        ("X-Per-Page", "100".to_string()),
                        ("X-Total", recorded.len().to_string()),
                        ("X-Total-Pages", "1".to_string()),
                    ];
                    Reply::Json(200, headers, Value::Array(recorded))
                }
                _ => Reply::Json(
                    404,
                    vec![],
                    json!({"errors": [{"code": 1000404, "message": "Not found"}]}),
                ),
            },
        )
        .await;
    let client = builder(&server.base_url()).build().unwrap();

    let recovered = client
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(recovered.transaction_id(), Some(TX_ID));
    assert_eq!(recovered.external_id, EXTERNAL_ID);
    assert_eq!(recovered.status_class(), StatusClass::Created);

    let received = server.requests();
    let summary: Vec<(&str, &str)> = received
        .iter()
        .map(|r| (r.method.as_str(), r.path()))
        .collect();
    assert_eq!(
        summary,
        [
            ("POST", "/v1/async/transactions"),
            ("GET", "/v1/transactions")
        ],
        "exactly one create"
    );
    for r in &received {
        assert_eq!(r.header("authorization"), Some(expected_auth().as_str()));
    }
    assert_eq!(received[0].json(), new_tx_body());
    let mut q = received[1].query();
    q.sort();
    assert_eq!(
        q,
        [
            ("external_id".to_string(), EXTERNAL_ID.to_string()),
            ("page".to_string(), "1".to_string()),
            ("per_page".to_string(), "100".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_create_answered_503_is_looked_up_not_resent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(dvs_error(503, 1009503, "Service unavailable"))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 1)]).await;
    let recovered = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(recovered.transaction_id(), Some(TX_ID));
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions", "GET /v1/transactions"],
        "a 503 create is not retried by the transport"
    );
    assert_lookup(&received[1], EXTERNAL_ID);
}

#[tokio::test]
async fn a_create_answered_by_a_gateway_page_is_looked_up_not_resent() {
    // A 502 whose body is not DVS's error JSON (a proxy's HTML page).
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    mount_lookup(&server, vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2)]).await;
    let recovered = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(recovered.transaction_id(), Some(TX_ID));
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions", "GET /v1/transactions"]
    );
    assert_lookup(&received[1], EXTERNAL_ID);

    // Same page, and the look-up fails too: the outcome is reported unknown.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions", "GET /v1/transactions"]
    );
}

#[tokio::test]
async fn a_create_answered_with_an_unlisted_success_status_is_looked_up() {
    // 200 where the spec lists 201: the create was applied; the client must
    // not report a plain failure.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            2,
        )))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2)]).await;
    let created = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(created.transaction_id(), Some(TX_ID));
    assert_eq!(
        lines(&requests(&server).await),
        ["POST /v1/async/transactions", "GET /v1/transactions"]
    );
}

#[tokio::test]
async fn a_create_proven_absent_is_sent_again_with_the_same_external_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(Seq::new(vec![
            ResponseTemplate::new(201)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2))
                .set_delay(Duration::from_secs(3)),
            ResponseTemplate::new(201).set_body_json(tx(TX_ID + 1, EXTERNAL_ID, PRODUCT_ID, 2)),
        ]))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![]).await;
    let client = builder(&base(&server))
        .transaction_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let created = client
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(
        created.transaction_id(),
        Some(TX_ID + 1),
        "the second create's answer"
    );

    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        [
            "POST /v1/async/transactions",
            "GET /v1/transactions",
            "POST /v1/async/transactions"
        ]
    );
    assert_lookup(&received[1], EXTERNAL_ID);
    assert_eq!(body(&received[0]), new_tx_body());
    assert_eq!(
        body(&received[2]),
        body(&received[0]),
        "same body, same external_id"
    );
}

#[tokio::test]
async fn a_create_whose_lookup_fails_reports_an_unknown_outcome() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions"))
        .respond_with(dvs_error(500, 1009001, "Unexpected error"))
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .transaction_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    assert!(
        matches!(
            &err,
            Error::Timeout {
                outcome: Outcome::Unknown { external_id: Some(e), .. }
            } if e == EXTERNAL_ID
        ),
        "{err:?}"
    );
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions", "GET /v1/transactions"],
        "never a second create while the outcome is unknown"
    );
}

#[tokio::test]
async fn a_create_whose_server_goes_down_reports_an_unknown_outcome() {
    // The create is read and dropped, then the server stops listening: the
    // look-up cannot connect.
    let server = TcpServer::start(|request, _| {
        if request.method == "POST" {
            Reply::CloseAndStop
        } else {
            Reply::Close
        }
    })
    .await;
    let client = builder(&server.base_url())
        .retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    let err = client
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    assert!(
        matches!(
            &err,
            Error::Transport {
                outcome: Outcome::Unknown { external_id: Some(e), .. },
                ..
            } if e == EXTERNAL_ID
        ),
        "{err:?}"
    );
    let posts = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1);
    let shown = err.to_string();
    assert!(shown.contains("external_id"), "{shown}");
}

#[tokio::test]
async fn external_id_already_used_returns_the_existing_transaction_of_the_same_product() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(dvs_error(400, 1007001, "External ID already used"))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7)]).await;
    let existing = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap();
    assert_eq!(existing.transaction_id(), Some(TX_ID));
    assert_eq!(existing.status_class(), StatusClass::Completed);
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions", "GET /v1/transactions"]
    );
    assert_lookup(&received[1], EXTERNAL_ID);
}

#[tokio::test]
async fn external_id_already_used_by_another_product_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(dvs_error(400, 1007001, "External ID already used"))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![tx(TX_ID, EXTERNAL_ID, 31204, 7)]).await;
    let err = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap_err();
    assert_reused(&err, &["product_id"]);
    assert_eq!(
        err.existing_transaction::<Transaction>()
            .and_then(|t| t.product.as_ref())
            .map(|p| p.id),
        Some(31204)
    );
    assert!(!err.outcome_unknown());
    assert_eq!(
        lines(&requests(&server).await),
        ["POST /v1/async/transactions", "GET /v1/transactions"]
    );

    // Used, but the look-up shows nothing: the conflict is reported, no second create.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(dvs_error(400, 1007001, "External ID already used"))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![]).await;
    let err = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap_err();
    assert_api_error(&err, 400, ErrorCode::ExternalIdAlreadyUsed);
    assert_eq!(
        lines(&requests(&server).await),
        ["POST /v1/async/transactions", "GET /v1/transactions"]
    );
}

/// `err` is [`Error::ExternalIdAlreadyUsed`] for the transaction `TX_ID`,
/// with these differences.
fn assert_reused(err: &Error, expected: &[&str]) {
    match err {
        Error::ExternalIdAlreadyUsed {
            external_id,
            transaction_id,
            differences,
            ..
        } => {
            assert_eq!(external_id, EXTERNAL_ID);
            assert_eq!(*transaction_id, Some(TX_ID));
            assert_eq!(differences, expected);
        }
        other => panic!("expected ExternalIdAlreadyUsed, got {other:?}"),
    }
    assert_eq!(
        err.existing_transaction::<Transaction>()
            .and_then(|t| t.transaction_id()),
        Some(TX_ID)
    );
    let shown = err.to_string();
    assert!(
        shown.contains(EXTERNAL_ID) && shown.contains(&TX_ID.to_string()),
        "{shown}"
    );
}

#[tokio::test]
async fn external_id_already_used_for_another_party_or_amount_is_an_error() {
    // (the existing transaction as DVS shows it, the order asked for, the differences)
    let mut other_number = tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7);
    other_number["credit_party_identifier"]["mobile_number"] = "+573009999999".into();
    let mut other_sender = tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7);
    other_sender["sender"] = json!({"first_name": "Ana", "last_name": "Ruiz"});
    let cases = [
        (
            other_number.clone(),
            new_tx(),
            vec!["credit_party_identifier.mobile_number"],
        ),
        (
            tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7),
            new_tx().source_amount("USD", dec!(5.0)),
            vec!["source.amount"],
        ),
        (
            tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7),
            new_tx().destination_amount("USD", dec!(10000.0)),
            vec!["destination.unit"],
        ),
        (
            other_sender,
            new_tx().party_field("sender", "first_name", "Luz"),
            vec!["sender.first_name"],
        ),
        (
            other_number,
            NewTransaction::new(EXTERNAL_ID, 31204).credit_party_mobile_number(MOBILE),
            vec!["product_id", "credit_party_identifier.mobile_number"],
        ),
    ];
    for (shown, order, differences) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/async/transactions"))
            .respond_with(dvs_error(400, 1007001, "External ID already used"))
            .mount(&server)
            .await;
        mount_lookup(&server, vec![shown]).await;
        let err = client(&server)
            .create_transaction(&order, Mode::Async)
            .await
            .unwrap_err();
        assert_reused(&err, &differences);
        assert_eq!(
            lines(&requests(&server).await),
            ["POST /v1/async/transactions", "GET /v1/transactions"],
            "no second create"
        );
    }

    // The same order, with the amount and the sender the transaction shows:
    // the existing transaction, as a success.
    let mut same = tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7);
    same["sender"] = json!({"first_name": "Ana", "last_name": "Ruiz"});
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(dvs_error(400, 1007001, "External ID already used"))
        .mount(&server)
        .await;
    mount_lookup(&server, vec![same]).await;
    let order =
        new_tx()
            .source_amount("USD", dec!(2.61))
            .party_field("sender", "first_name", "Ana");
    let existing = client(&server)
        .create_transaction(&order, Mode::Async)
        .await
        .unwrap();
    assert_eq!(existing.transaction_id(), Some(TX_ID));
}

#[tokio::test]
async fn a_refused_create_is_not_looked_up() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(dvs_error(400, 1003002, "Amount out of range"))
        .mount(&server)
        .await;
    catch_all(&server).await;
    let err = client(&server)
        .create_transaction(&new_tx(), Mode::Async)
        .await
        .unwrap_err();
    assert_api_error(&err, 400, ErrorCode::AmountOutOfRange);
    assert_eq!(
        lines(&requests(&server).await),
        ["POST /v1/async/transactions"]
    );
}

// ----- confirm, cancel, poll, callbacks ------------------------------------------

#[tokio::test]
async fn confirming_an_already_confirmed_transaction_returns_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions/4102239187/confirm"))
        .respond_with(dvs_error(400, 1007002, "Transaction already confirmed"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            5,
        )))
        .mount(&server)
        .await;
    let tx = client(&server)
        .confirm_transaction(TX_ID, Mode::Async)
        .await
        .unwrap();
    assert_eq!(tx.transaction_id(), Some(TX_ID));
    assert_eq!(tx.status_class(), StatusClass::Submitted);
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        [
            "POST /v1/async/transactions/4102239187/confirm",
            "GET /v1/transactions/4102239187"
        ]
    );
    assert_authenticated(&received);
    assert!(received[0].body.is_empty());
}

#[tokio::test]
async fn a_confirm_timing_out_is_read_back() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions/4102239187/confirm"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            2,
        )))
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .transaction_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let tx = client
        .confirm_transaction(TX_ID, Mode::Async)
        .await
        .unwrap();
    assert_eq!(tx.status_class(), StatusClass::Confirmed);
    assert_eq!(
        lines(&requests(&server).await),
        [
            "POST /v1/async/transactions/4102239187/confirm",
            "GET /v1/transactions/4102239187"
        ],
        "confirmed: not sent again"
    );
}

#[tokio::test]
async fn cancelling_an_already_cancelled_transaction_returns_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions/4102239187/cancel"))
        .respond_with(dvs_error(400, 1007005, "Transaction already cancelled"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            4,
        )))
        .mount(&server)
        .await;
    let tx = client(&server).cancel_transaction(TX_ID).await.unwrap();
    assert_eq!(tx.status_class(), StatusClass::Cancelled);
    assert_eq!(
        lines(&requests(&server).await),
        [
            "POST /v1/transactions/4102239187/cancel",
            "GET /v1/transactions/4102239187"
        ]
    );
}

#[tokio::test]
async fn await_final_polls_until_a_final_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(Seq::new(vec![
            ResponseTemplate::new(200).set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 1)),
            ResponseTemplate::new(200).set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2)),
            ResponseTemplate::new(200).set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7)),
        ]))
        .mount(&server)
        .await;
    let done = client(&server)
        .await_final(TX_ID, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(done.status_class(), StatusClass::Completed);
    assert_eq!(done.detailed_status(), Some(Status::Completed));
    assert!(done.is_success());
    let received = requests(&server).await;
    assert_eq!(lines(&received), ["GET /v1/transactions/4102239187"; 3]);
    assert_authenticated(&received);
}

#[tokio::test]
async fn await_final_gives_up_at_the_deadline_with_the_last_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            5,
        )))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server)
        .await_final(TX_ID, Duration::from_millis(600))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(1500));
    match &err {
        Error::NotFinal { id, last_status } => {
            assert_eq!(*id, TX_ID);
            assert_eq!(*last_status, StatusClass::Submitted);
        }
        other => panic!("expected NotFinal, got {other:?}"),
    }
    let polls = requests(&server).await.len();
    assert!((2..=3).contains(&polls), "{polls} polls within 600 ms");
}

#[tokio::test]
async fn a_confirm_whose_answer_and_read_back_are_lost_carries_the_transaction_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions/4102239187/confirm"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions/4102239187/cancel"))
        .respond_with(dvs_error(502, 0, "Bad gateway"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(dvs_error(500, 1009001, "Unexpected error"))
        .mount(&server)
        .await;
    let client = builder(&base(&server))
        .transaction_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let confirm = client
        .confirm_transaction(TX_ID, Mode::Async)
        .await
        .unwrap_err();
    let cancel = client.cancel_transaction(TX_ID).await.unwrap_err();
    for err in [confirm, cancel] {
        assert!(err.outcome_unknown(), "{err:?}");
        let outcome = match &err {
            Error::Timeout { outcome } | Error::Transport { outcome, .. } => outcome,
            other => panic!("expected an unknown outcome, got {other:?}"),
        };
        assert!(
            matches!(
                outcome,
                Outcome::Unknown {
                    transaction_id: Some(TX_ID),
                    external_id: None,
                    ..
                }
            ),
            "{outcome:?}"
        );
        let shown = err.to_string();
        assert!(shown.contains("transaction 4102239187"), "{shown}");
        assert!(!shown.contains("external_id"), "{shown}");
    }
    assert_eq!(
        lines(&requests(&server).await),
        [
            "POST /v1/async/transactions/4102239187/confirm",
            "GET /v1/transactions/4102239187",
            "POST /v1/transactions/4102239187/cancel",
            "GET /v1/transactions/4102239187",
        ]
    );
}

#[tokio::test]
async fn a_callback_is_trusted_only_when_dvs_agrees() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            7,
        )))
        .mount(&server)
        .await;
    let client = client(&server);
    let callback = |external_id: &str, class_id: i64| {
        serde_json::to_vec(&tx(TX_ID, external_id, PRODUCT_ID, class_id)).unwrap()
    };

    // Agreeing (the same status, or an earlier one that led to it).
    for class_id in [7, 2, 5] {
        let verified = client
            .verify_callback(&callback(EXTERNAL_ID, class_id))
            .await
            .unwrap();
        assert_eq!(
            verified.status_class(),
            StatusClass::Completed,
            "DVS's version"
        );
    }
    // Another reference, or a status DVS does not report.
    let err = client
        .verify_callback(&callback("someone-elses-order", 7))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "callback",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("external_id"), "{err}");
    for class_id in [9, 8, 1] {
        let err = client
            .verify_callback(&callback(EXTERNAL_ID, class_id))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    field: "callback",
                    ..
                }
            ),
            "class {class_id}: {err:?}"
        );
    }
    let received = requests(&server).await;
    assert_eq!(lines(&received), ["GET /v1/transactions/4102239187"; 7]);
    assert_authenticated(&received);

    // Not a transaction, or one without an id: refused before any request.
    server.reset().await;
    catch_all(&server).await;
    let err = client
        .verify_callback(b"{\"status\": 1}")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let mut no_id = tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7);
    no_id.as_object_mut().unwrap().remove("id");
    let err = client
        .verify_callback(&serde_json::to_vec(&no_id).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "callback",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(requests(&server).await.is_empty());
}

// ----- input checks --------------------------------------------------------------

#[tokio::test]
async fn await_final_keeps_its_deadline_when_the_server_does_not_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 5))
                .set_delay(Duration::from_secs(60)),
        )
        .mount(&server)
        .await;
    // Reads may take 30 s; the deadline is 1 s.
    let client = builder(&base(&server))
        .read_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let started = Instant::now();
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        client.await_final(TX_ID, Duration::from_secs(1)),
    )
    .await
    .expect("await_final returned near its deadline, not after the read timeout");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1800), "took {took:?}");
    match result {
        Err(Error::NotFinal { id, .. }) => assert_eq!(id, TX_ID),
        other => panic!("expected NotFinal, got {other:?}"),
    }
    assert_eq!(
        lines(&requests(&server).await),
        ["GET /v1/transactions/4102239187"]
    );
}

#[tokio::test]
async fn invalid_inputs_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    catch_all(&server).await;
    let client = client(&server);
    let field = |r: Result<(), Error>| match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    };
    let create = |tx: NewTransaction| {
        let client = client.clone();
        async move { client.create_transaction(&tx, Mode::Async).await.map(drop) }
    };

    // Mobile numbers (E.164).
    for bad in ["573001234567", "+0573001234", "+57 300 1234567", "+12345"] {
        assert_eq!(
            field(create(new_tx().credit_party_mobile_number(bad)).await),
            "credit_party_identifier.mobile_number",
            "{bad}"
        );
        assert_eq!(
            field(client.lookup_mobile_number(bad).map(drop)),
            "mobile_number"
        );
        assert_eq!(
            param(
                client
                    .transactions(move |q| q.credit_party_mobile_number(bad))
                    .first_page()
                    .await
            ),
            "credit_party_mobile_number"
        );
    }
    assert_eq!(
        field(
            client
                .credit_party_benefits(1, &CreditParty::MobileNumber("0573001".into()))
                .map(drop)
        ),
        "credit_party_identifier.mobile_number"
    );

    // Country codes.
    for bad in ["col", "CO", "COLO", "C0L"] {
        assert_eq!(
            param(
                client
                    .products(move |q| q.country_iso_code(bad))
                    .first_page()
                    .await
            ),
            "country_iso_code"
        );
        assert_eq!(
            param(
                client
                    .operators(move |q| q.country_iso_code(bad))
                    .first_page()
                    .await
            ),
            "country_iso_code"
        );
        assert_eq!(param(client.country(bad).await), "country_iso_code");
    }

    // External ids: empty, 41 characters, blank.
    for bad in [String::new(), "x".repeat(41), "   ".to_string()] {
        assert_eq!(
            field(create(NewTransaction::new(bad.clone(), PRODUCT_ID)).await),
            "external_id"
        );
        assert_eq!(
            field(client.transaction_by_external_id(&bad).await.map(drop)),
            "external_id"
        );
    }

    // External ids with control characters, or only invisible ones.
    for bad in [
        "order\u{0}1",
        "order-1\n",
        "\u{1b}[31m",
        "\u{200B}\u{FEFF}",
        " \u{2060}\t",
    ] {
        assert_eq!(
            field(create(NewTransaction::new(bad, PRODUCT_ID)).await),
            "external_id",
            "{bad:?}"
        );
    }
    let shown = create(NewTransaction::new("order\u{7}1", PRODUCT_ID))
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        shown,
        "invalid external_id: must not contain control characters (U+0007 at character 6)"
    );

    // Currency units: three upper-case letters.
    for bad in ["", "usd", "US", "USDT", "U$D"] {
        assert_eq!(
            field(create(new_tx().source_amount(bad, dec!(5.0))).await),
            "source.unit",
            "{bad}"
        );
        assert_eq!(
            field(create(new_tx().destination_amount(bad, dec!(5.0))).await),
            "destination.unit",
            "{bad}"
        );
    }
    assert_eq!(
        create(new_tx().source_amount("usd", dec!(5.0)))
            .await
            .unwrap_err()
            .to_string(),
        "invalid source.unit: `usd` is not a currency code (3 upper-case letters, e.g. `USD`)"
    );

    // Party and field names DVS does not define.
    assert_eq!(
        field(
            create(new_tx().party_field("credit_party_identifier", "mobile", "+573001234567"))
                .await
        ),
        "credit_party_identifier"
    );
    assert_eq!(
        field(create(new_tx().party_field("sender", "firstname", "Ana")).await),
        "sender"
    );
    assert_eq!(
        field(create(new_tx().party_field("beneficiary", "account_number", "12")).await),
        "beneficiary"
    );
    assert_eq!(
        field(create(new_tx().party_field("debit_party_identifier", "first_name", "Ana")).await),
        "debit_party_identifier"
    );
    assert_eq!(
        field(create(new_tx().party_field("recipient", "first_name", "Ana")).await),
        "party"
    );
    let shown = create(new_tx().party_field("sender", "firstname", "Ana"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        shown.starts_with(
            "invalid sender: unknown field `firstname` (DVS defines last_name, first_name,"
        ),
        "{shown}"
    );

    // Region codes: 2 or 3 letters, optionally a subdivision.
    for bad in ["GTMX", "123", "gtm", "G", "GT-", "GT-GUAT"] {
        assert_eq!(
            param(client.products(move |q| q.region(bad)).first_page().await),
            "region",
            "{bad}"
        );
    }

    // Page sizes and pages.
    for bad in [0, 101] {
        assert_eq!(
            field(client.products(|q| q).per_page(bad).map(drop)),
            "per_page"
        );
    }
    assert_eq!(
        field(client.balances(|q| q).start_page(0).map(drop)),
        "page"
    );

    // A search window over 24 hours, or reversed.
    let now = chrono::Utc::now();
    assert_eq!(
        param(
            client
                .transactions(move |q| q.from_date(now - chrono::Duration::hours(25)).to_date(now))
                .first_page()
                .await
        ),
        "to_date"
    );
    assert_eq!(
        param(
            client
                .transactions(move |q| q.from_date(now).to_date(now - chrono::Duration::hours(1)))
                .first_page()
                .await
        ),
        "from_date"
    );

    // A subservice without its service.
    assert_eq!(
        param(client.products(|q| q.subservice_id(11)).first_page().await),
        "subservice_id"
    );
    assert_eq!(
        param(client.countries(|q| q.subservice_id(11)).first_page().await),
        "subservice_id"
    );

    // Ids and amounts.
    assert_eq!(
        field(client.transaction(0).await.map(drop)),
        "transaction_id"
    );
    assert_eq!(
        field(client.confirm_transaction(-1, Mode::Async).await.map(drop)),
        "transaction_id"
    );
    assert_eq!(
        field(create(new_tx().destination_amount("COP", dec!(-5.0))).await),
        "destination.amount"
    );
    assert_eq!(
        field(create(new_tx().callback_url("ftp://shop.example.co/cb")).await),
        "callback_url"
    );

    assert!(
        requests(&server).await.is_empty(),
        "nothing was sent for an invalid input"
    );
}

// ----- decoding ------------------------------------------------------------------

#[tokio::test]
async fn unknown_product_types_and_statuses_decode() {
    let server = MockServer::start().await;
    let esim = json!({
        "id": 60901,
        "name": "Airalo Europe 5 GB",
        "description": "eSIM data plan, 5 GB for 30 days in 39 countries",
        "type": "FIXED_VALUE_ESIM_PURCHASE",
        "service": {"id": 6, "name": "eSIM"},
        "operator": {"id": 4410, "name": "Airalo", "country": {"name": "Europe", "iso_code": "EXX", "regions": null}, "regions": null},
        "regions": [{"name": "France", "code": "FRA"}],
        "esim": {"activation": "QR"}
    });
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(page_answer(
            vec![product(PRODUCT_ID), esim.clone()],
            Some(1),
            None,
            Some(1),
        ))
        .mount(&server)
        .await;
    let mut odd = tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7);
    odd["status"] = json!({"id": 60001, "message": "PENDING-REVIEW-MANUAL", "class": {"id": 6, "message": "PENDING-REVIEW"}});
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(odd))
        .mount(&server)
        .await;
    let client = client(&server);

    let items = decoded(client.products(|q| q).collect_all().await.unwrap());
    assert_eq!(items.len(), 2);
    assert!(matches!(items[0], Product::FixedValueRecharge(_)));
    assert_eq!(items[0].product_type(), ProductType::FixedValueRecharge);
    assert_eq!(items[0].service(), Some((1, "Mobile".to_string())));
    assert_eq!(items[0].country_iso_code().as_deref(), Some("COL"));
    assert_eq!(
        items[0].required_credit_party_fields(),
        [vec!["mobile_number".to_string()]]
    );
    let unknown = &items[1];
    assert!(unknown.is_unknown());
    assert_eq!(*unknown, Product::Unknown(esim));
    assert_eq!(unknown.id(), 60901);
    assert_eq!(unknown.name(), "Airalo Europe 5 GB");
    assert_eq!(
        unknown.product_type(),
        ProductType::from("FIXED_VALUE_ESIM_PURCHASE")
    );
    // A known value is never `Unknown`, however it is made.
    assert_eq!(
        ProductType::from("FIXED_VALUE_RECHARGE"),
        ProductType::FixedValueRecharge
    );
    assert!(!unknown.product_type().is_known());
    assert!(!unknown.is_ranged());
    assert_eq!(unknown.operator(), Some((4410, "Airalo".to_string())));
    assert_eq!(unknown.regions(), ["FRA"]);

    let t = client.transaction(TX_ID).await.unwrap();
    assert_eq!(
        t.status_class(),
        StatusClass::Unknown {
            id: 6,
            message: Some("PENDING-REVIEW".into())
        }
    );
    assert_eq!(
        t.detailed_status(),
        Some(Status::from("PENDING-REVIEW-MANUAL"))
    );
    assert!(!t.is_final() && !t.is_success());
}

#[tokio::test]
async fn a_malformed_known_product_comes_back_as_malformed_and_the_page_decodes() {
    let server = MockServer::start().await;
    let mut bad = product(30002);
    bad["destination"]["amount"] = json!("ten thousand");
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(page_answer(
            vec![product(30001), bad.clone(), product(30003)],
            Some(1),
            None,
            Some(1),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/products/30002"))
        .respond_with(ResponseTemplate::new(200).set_body_json(bad.clone()))
        .mount(&server)
        .await;
    let client = client(&server);

    let items = client.products(|q| q).collect_all().await.unwrap();
    assert_eq!(items.len(), 3, "no item dropped");
    assert_eq!(items[0].as_ok().map(Product::id), Some(30001));
    assert_eq!(items[2].as_ok().map(Product::id), Some(30003));
    let malformed = items[1].malformed().expect("the second product");
    assert_eq!(*malformed.raw(), bad, "kept as sent");
    assert_eq!(malformed.path(), "destination.amount");
    assert!(
        malformed.message().contains("FIXED_VALUE_RECHARGE"),
        "{malformed}"
    );
    assert!(
        !malformed.message().contains("10000"),
        "no value quoted: {malformed}"
    );
    let err = items[1].clone().into_decoded().unwrap_err();
    assert!(matches!(&err, Error::Decode { path, .. } if path == "destination.amount"));
    assert!(!err.is_retryable());

    let err = client.product(30002, None).await.unwrap_err();
    let Error::Decode { path, message } = &err else {
        panic!("expected Decode, got {err:?}");
    };
    assert!(
        format!("{path} {message}").contains("destination.amount"),
        "{path} {message}"
    );
}

// ----- secrets -------------------------------------------------------------------

#[tokio::test]
async fn secrets_stay_out_of_debug_and_credentials_are_sent_as_basic() {
    let server = MockServer::start().await;
    let mut pin_tx = tx(TX_ID, EXTERNAL_ID, 40117, 7);
    pin_tx["pin"] = json!({"code": "7Q4M-XK2P-93LD-HW8R", "serial": "GPCO240502001187"});
    Mock::given(method("GET"))
        .and(path("/v1/transactions/4102239187"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pin_tx))
        .mount(&server)
        .await;
    let client = client(&server);

    let secrets = [
        KEY.to_string(),
        SECRET.to_string(),
        b64(&format!("{KEY}:{SECRET}")),
        b64(KEY),
        b64(SECRET),
    ];
    let shown = format!("{client:?} {client:#?}");
    assert!(shown.contains("v1_21::Client"), "{shown}");
    for s in &secrets {
        assert!(
            !shown.contains(s.as_str()),
            "client Debug shows {s}: {shown}"
        );
    }
    let builder_shown = format!("{:?}", builder(&base(&server)));
    for s in &secrets {
        assert!(
            !builder_shown.contains(s.as_str()),
            "builder Debug shows {s}"
        );
    }

    let t = client.transaction(TX_ID).await.unwrap();
    assert_eq!(t.pin().unwrap().code(), Some("7Q4M-XK2P-93LD-HW8R"));
    let shown = format!("{t:?} {t:#?}");
    assert!(!shown.contains("7Q4M-XK2P-93LD-HW8R"), "{shown}");
    assert!(
        shown.contains("GPCO240502001187"),
        "the serial is not secret"
    );

    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        header(&received[0], "authorization"),
        Some(expected_auth().as_str())
    );
    assert!(header(&received[0], "user-agent")
        .unwrap()
        .starts_with("dvs-rust/"));

    // An error of a call carries no credentials either.
    server.reset().await;
    Mock::given(any())
        .respond_with(dvs_error(401, 1000401, "Unauthorized"))
        .mount(&server)
        .await;
    let err = client.transaction(TX_ID).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    for s in &secrets {
        assert!(!shown.contains(s.as_str()), "error shows {s}: {shown}");
    }
}

// ----- languages -----------------------------------------------------------------

#[tokio::test]
async fn accept_language_is_sent_and_content_language_exposed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(products(3), PageIn::Query).content_language("es"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/products/24410"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(product(PRODUCT_ID))
                .insert_header("Content-Language", "es"),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let pages = collect(
        client
            .products(|q| q.accept_language("es"))
            .per_page(2)
            .unwrap()
            .pages(),
    )
    .await;
    assert_eq!(pages.len(), 2);
    for p in &pages {
        assert_eq!(p.as_ref().unwrap().content_language.as_deref(), Some("es"));
    }
    let localized = client.product(PRODUCT_ID, Some("es")).await.unwrap();
    assert_eq!(localized.content_language.as_deref(), Some("es"));
    assert_eq!(localized.value.id(), PRODUCT_ID);

    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        [
            "GET /v1/products",
            "GET /v1/products",
            "GET /v1/products/24410"
        ]
    );
    for r in &received {
        assert_eq!(header(r, "accept-language"), Some("es"), "{}", r.url);
    }
}

// ----- look-ups ------------------------------------------------------------------

fn mobile_operator(id: i64) -> Value {
    json!({
        "id": id,
        "name": format!("Operator {id}"),
        "identified": id == 1528,
        "country": {"name": "Colombia", "iso_code": "COL", "regions": null},
        "regions": null
    })
}

#[tokio::test]
async fn mobile_number_lookup_pages_through_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/lookup/mobile-number"))
        .respond_with(Catalog::new(
            vec![
                mobile_operator(1528),
                mobile_operator(1529),
                mobile_operator(1530),
            ],
            PageIn::Body,
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    let found = collect(
        client
            .lookup_mobile_number(MOBILE)
            .unwrap()
            .per_page(2)
            .unwrap()
            .items(),
    )
    .await;
    let found: Vec<(i64, bool)> = found
        .into_iter()
        .map(|o| {
            let o = ok(o.unwrap());
            (o.id.0, o.identified)
        })
        .collect();
    assert_eq!(found, [(1528, true), (1529, false), (1530, false)]);

    let received = requests(&server).await;
    assert_eq!(lines(&received), ["POST /v1/lookup/mobile-number"; 2]);
    assert_authenticated(&received);
    for (r, page) in received.iter().zip(1..) {
        assert!(r.url.query().is_none(), "paging is in the body: {}", r.url);
        assert_eq!(
            body(r),
            json!({"mobile_number": MOBILE, "page": page, "per_page": 2})
        );
    }
}

#[tokio::test]
async fn a_lookup_is_retried_like_a_read_and_defaults_to_100_per_page() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/lookup/mobile-number"))
        .respond_with(Seq::new(vec![
            dvs_error(503, 1009503, "Service unavailable"),
            page_answer(vec![mobile_operator(1528)], Some(1), None, Some(1)),
        ]))
        .mount(&server)
        .await;
    let found = decoded(
        client(&server)
            .lookup_mobile_number(MOBILE)
            .unwrap()
            .collect_all()
            .await
            .unwrap(),
    );
    assert_eq!(found.len(), 1);
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    for r in &received {
        assert_eq!(
            body(r),
            json!({"mobile_number": MOBILE, "page": 1, "per_page": 100})
        );
    }
}

#[tokio::test]
async fn transactions_list_sends_every_filter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions"))
        .and(query_param("status_id", "7"))
        .respond_with(Catalog::new(
            vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7)],
            PageIn::Query,
        ))
        .mount(&server)
        .await;
    let from = chrono::DateTime::parse_from_rfc3339("2024-05-02T00:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let to = from + chrono::Duration::hours(24);
    let found: Vec<Transaction> = decoded(
        client(&server)
            .transactions(move |q| {
                q.status_id(StatusClass::Completed.id())
                    .product_type("FIXED_VALUE_RECHARGE")
                    .service_id(1)
                    .country_iso_code("COL")
                    .operator_id(1528)
                    .credit_party_mobile_number(MOBILE)
                    .from_date(from)
                    .to_date(to)
            })
            .collect_all()
            .await
            .unwrap(),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].transaction_id(), Some(TX_ID));

    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    let mut q = query(&received[0]);
    q.sort();
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(q.len(), 10, "{q:?}");
    for (k, v) in [
        ("country_iso_code", "COL"),
        ("credit_party_mobile_number", MOBILE),
        ("operator_id", "1528"),
        ("page", "1"),
        ("per_page", "100"),
        ("product_type", "FIXED_VALUE_RECHARGE"),
        ("service_id", "1"),
        ("status_id", "7"),
    ] {
        assert!(q.contains(&(k, v)), "{k}={v} missing from {q:?}");
    }
    let date = |key: &str| {
        let v = q.iter().find(|(k, _)| *k == key).unwrap().1;
        chrono::DateTime::parse_from_rfc3339(v).unwrap()
    };
    assert_eq!(date("from_date"), from);
    assert_eq!(date("to_date"), to);
}

/// The parameter named by an input refused before sending.
fn param<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidInput {
            field: "request",
            reason,
        }) => match reason.split_once(" for ") {
            // The generated builder: "conversion to `Type` for name failed".
            Some((_, rest)) => rest
                .split(' ')
                .next()
                .unwrap_or_default()
                .trim_end_matches('_')
                .to_string(),
            // A rule between parameters: "name: why".
            None => reason.split(':').next().unwrap_or_default().to_string(),
        },
        Err(Error::InvalidInput { field, .. }) => field.to_string(),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn statement_and_benefit_lookups_page_through_the_body() {
    let server = MockServer::start().await;
    // The items do not matter here (they come back as malformed): the
    // bodies sent do.
    let items: Vec<Value> = (1..=3).map(|i| json!({"n": i})).collect();
    for p in [
        "/v1/lookup/statement-inquiry",
        "/v1/lookup/credit-party-benefits",
    ] {
        Mock::given(method("POST"))
            .and(path(p))
            .respond_with(Catalog::new(items.clone(), PageIn::Body))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let statements = client
        .statement_inquiry(4021, "0012345678", Some("RES"))
        .unwrap()
        .per_page(2)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let benefits = client
        .credit_party_benefits(3, &CreditParty::MobileNumber(MOBILE.into()))
        .unwrap()
        .per_page(2)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!((statements.len(), benefits.len()), (3, 3));

    let received = requests(&server).await;
    assert_authenticated(&received);
    let bodies: Vec<(String, Value)> = received
        .iter()
        .map(|r| (r.url.path().to_string(), body(r)))
        .collect();
    assert_eq!(
        bodies,
        [
            (
                "/v1/lookup/statement-inquiry",
                json!({"product_id": 4021, "account_number": "0012345678",
                       "account_qualifier": "RES", "page": 1, "per_page": 2})
            ),
            (
                "/v1/lookup/statement-inquiry",
                json!({"product_id": 4021, "account_number": "0012345678",
                       "account_qualifier": "RES", "page": 2, "per_page": 2})
            ),
            (
                "/v1/lookup/credit-party-benefits",
                json!({"service_id": 3, "credit_party_identifier": {"mobile_number": MOBILE},
                       "page": 1, "per_page": 2})
            ),
            (
                "/v1/lookup/credit-party-benefits",
                json!({"service_id": 3, "credit_party_identifier": {"mobile_number": MOBILE},
                       "page": 2, "per_page": 2})
            ),
        ]
        .map(|(p, b)| (p.to_string(), b))
    );
}

/// The generated integer types take any `i64`; the spec's bounds of an
/// integer filter (an id of at least 1, at most 100 per page) are checked
/// before sending, for the facade and the raw client alike.
#[tokio::test]
async fn integer_filters_outside_the_spec_bounds_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(
        param(client.products(|q| q.operator_id(0)).first_page().await),
        "operator_id"
    );
    assert_eq!(
        param(client.transactions(|q| q.service_id(-4)).first_page().await),
        "service_id"
    );
    let raw = client
        .raw()
        .get_operators()
        .per_page(std::num::NonZeroU32::new(101).unwrap())
        .send()
        .await;
    match raw {
        Err(dvs::v1_21::raw::Error::InvalidRequest(reason)) => {
            assert!(
                reason.starts_with("per_page: must be at most 100"),
                "{reason}"
            )
        }
        other => panic!("expected the request refused, got {other:?}"),
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
    // In bounds, it goes out.
    client
        .products(|q| q.operator_id(1).service_id(1))
        .first_page()
        .await
        .unwrap();
    assert_eq!(requests(&server).await.len(), 1);
}
