//! What the client does with answers that are odd, hostile or plentiful:
//! error bodies in an unexpected DVS-like shape, secrets in values that do
//! not decode, paging headers at the limits of their type, list items that
//! do not decode, and a storm of reads against a rate limit. Every server is
//! a loopback one started here (wiremock or the simulator).

#[path = "facade_support/mod.rs"]
mod facade_support;

use dvs::{Credentials, Error, ErrorCode, Item, Mode, NewTransaction, RetryPolicy};
use facade_support::*;
use futures::StreamExt;
use serde_json::{json, Value};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const BOUND: Duration = Duration::from_secs(20);
const TX_ID: i64 = 4102239187;
const PIN: &str = "48151623";

fn base(server: &MockServer) -> String {
    format!("{}/v1", server.uri())
}

fn v1_21(server: &MockServer, retry: RetryPolicy) -> dvs::v1_21::Client {
    dvs::v1_21::Client::builder()
        .base_url(base(server))
        .credentials(Credentials::new(KEY, SECRET))
        .retry(retry)
        .read_timeout(Duration::from_secs(5))
        .transaction_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn v1_0(server: &MockServer) -> dvs::v1_0::Client {
    dvs::v1_0::Client::builder()
        .base_url(base(server))
        .credentials(Credentials::new(KEY, SECRET))
        .retry(RetryPolicy::none())
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// A catch-all answering 200 `[]`, so that a stray request is recorded.
async fn catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .with_priority(u8::MAX)
        .mount(server)
        .await;
}

fn transaction(version: &str, class_id: i64) -> Value {
    let mut t = fixture(version, "facade_transaction.json");
    t["id"] = TX_ID.into();
    let name = dvs::StatusClass::from_id(class_id).name().to_string();
    t["status"] = json!({"id": class_id * 10000, "message": name, "class": {"id": class_id, "message": name}});
    t
}

// ----- error bodies in an odd DVS-like shape ------------------------------------

#[tokio::test]
async fn odd_error_bodies_keep_their_status_and_class() {
    let cases = [
        (
            404,
            json!({"errors": [{"code": 1008004}]}),
            ErrorCode::TransactionNotFound,
            false,
        ),
        (
            503,
            json!({"errors": [{"code": "1009503", "message": "Service unavailable"}]}),
            ErrorCode::ServiceUnavailable,
            true,
        ),
        (
            500,
            json!({"errors": [{"code": 1009001, "message": null}, "boom"]}),
            ErrorCode::Unexpected,
            false,
        ),
        (
            400,
            json!({"errors": [{"code": 1000400.0, "message": {"text": "bad"}}]}),
            ErrorCode::BadRequest,
            false,
        ),
    ];
    for (status, body, code, retryable) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v1/transactions/{TX_ID}")))
            .respond_with(ResponseTemplate::new(status).set_body_json(&body))
            .mount(&server)
            .await;
        let err = v1_21(&server, RetryPolicy::none())
            .transaction(TX_ID)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{body}: {err}");
        assert!(err.has_code(code), "{body}: {err:?}");
        assert_eq!(err.is_retryable(), retryable, "{body}: {err}");
        assert!(!err.outcome_unknown(), "{body}: {err}");
        assert!(!matches!(err, Error::Decode { .. }), "{body}: {err}");
    }

    // A 429 without a message is rate limiting, retryable.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/transactions/{TX_ID}")))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(json!({"errors": [{"code": 1000429}]})),
        )
        .mount(&server)
        .await;
    let err = v1_21(&server, RetryPolicy::none())
        .transaction(TX_ID)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.status(), Some(429));
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_create_refused_with_an_odd_body_is_refused_and_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"errors": [{"code": 1003001}]})),
        )
        .mount(&server)
        .await;
    catch_all(&server).await;
    let new = NewTransaction::new("refused-0001", 24410)
        .credit_party_mobile_number("+573001234567")
        .auto_confirm(true);
    let err = v1_21(&server, RetryPolicy::default())
        .create_transaction(&new, Mode::Async)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(err.has_code(ErrorCode::ProductNotAvailable), "{err:?}");
    assert!(!err.outcome_unknown(), "refused, not unknown: {err}");
    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/async/transactions"],
        "sent once, no look-up"
    );
    assert_eq!(body(&received[0])["external_id"], "refused-0001");
}

#[tokio::test]
async fn await_final_rides_out_an_outage_answered_with_odd_bodies() {
    let server = MockServer::start().await;
    let outage = ResponseTemplate::new(503)
        .set_body_json(json!({"errors": [{"code": "1009503", "message": "down"}]}));
    Mock::given(method("GET"))
        .and(path(format!("/v1/transactions/{TX_ID}")))
        .respond_with(Seq::new(vec![
            outage.clone(),
            outage,
            ResponseTemplate::new(200).set_body_json(transaction("v1_21", 7)),
        ]))
        .mount(&server)
        .await;
    let tx = v1_21(&server, RetryPolicy::none())
        .await_final(TX_ID, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(tx.transaction_id(), Some(TX_ID));
    assert!(tx.is_final() && tx.is_success());
    assert_eq!(requests(&server).await.len(), 3);
}

// ----- secrets in values that do not decode -------------------------------------

#[tokio::test]
async fn a_pin_that_does_not_decode_never_reaches_error_text() {
    let shapes = [
        json!({"code": 48151623, "serial": "SN-1"}),
        json!({"code": 48151623.5, "serial": "SN-1"}),
        json!(PIN),
        json!({"code": [PIN], "serial": "SN-1"}),
    ];
    for pin in shapes {
        let mut t = transaction("v1_21", 7);
        t["pin"] = pin.clone();
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/v1/transactions/{TX_ID}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(&t))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/transactions"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([t.clone()])))
            .mount(&server)
            .await;
        let client = v1_21(&server, RetryPolicy::none());

        let err = client.transaction(TX_ID).await.unwrap_err();
        let Error::Decode { path, message } = &err else {
            panic!("expected Decode, got {err:?}");
        };
        assert!(path.starts_with("pin"), "the path stays: {path}");
        assert!(
            message.contains("expected"),
            "the expected type stays: {message}"
        );
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(PIN), "{pin}: {shown}");
        }

        let err = dvs::v1_21::Client::parse_callback(t.to_string().as_bytes()).unwrap_err();
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(PIN), "{pin}: {shown}");
        }

        let items = client.transactions(|q| q).collect_all().await.unwrap();
        let malformed = items[0]
            .malformed()
            .expect("the transaction does not decode");
        assert!(malformed.path().starts_with("pin"), "{malformed}");
        for shown in [malformed.to_string(), format!("{:?}", items[0])] {
            assert!(!shown.contains(PIN), "{pin}: {shown}");
        }
    }
}

// ----- hostile paging headers ----------------------------------------------------

#[tokio::test]
async fn paging_headers_at_the_limits_of_their_type_do_not_panic() {
    let server = MockServer::start().await;
    for page in 1..=3u64 {
        let mut answer = ResponseTemplate::new(200)
            .set_body_json(
                json!([{"id": page, "name": format!("Service {page}"), "subservices": []}]),
            )
            .insert_header("X-Total", u64::MAX.to_string())
            .insert_header("X-Total-Pages", "3")
            .insert_header("X-Per-Page", u64::MAX.to_string())
            .insert_header("X-Page", page.to_string());
        if page < 3 {
            answer = answer.insert_header("X-Next-Page", (page + 1).to_string());
        }
        Mock::given(method("GET"))
            .and(path("/v1/services"))
            .and(wiremock::matchers::query_param("page", page.to_string()))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    let client = v1_21(&server, RetryPolicy::none());
    let pages = tokio::time::timeout(
        BOUND,
        client
            .services(|q| q)
            .per_page(1)
            .unwrap()
            .concurrency(2)
            .pages()
            .collect::<Vec<_>>(),
    )
    .await
    .expect("paging ends");
    let ids: Vec<i64> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().items)
        .map(|s| s.ok().unwrap().id.0)
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(pages_requested(&requests(&server).await), [1, 2, 3]);
}

#[tokio::test]
async fn a_retry_after_at_the_limit_of_its_type_does_not_panic() {
    let server = MockServer::start().await;
    let unavailable = |retry_after: String| {
        ResponseTemplate::new(503)
            .insert_header("Retry-After", retry_after)
            .set_body_json(json!({"errors": [{"code": 1009503, "message": "down"}]}))
    };
    Mock::given(method("GET"))
        .and(path("/v1/services/1"))
        .respond_with(Seq::new(vec![
            // A second passes before the next answer's wait is added up.
            unavailable("1".into()),
            unavailable(u64::MAX.to_string()),
        ]))
        .mount(&server)
        .await;
    let err = v1_21(&server, RetryPolicy::default())
        .service(1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        requests(&server).await.len(),
        2,
        "a wait past the deadline is not made"
    );
}

// ----- list items that do not decode ----------------------------------------------

/// `sent` with one item that cannot decode inserted second: the first item
/// with every field but `type` (which selects a product's variant) replaced
/// by an object.
fn with_malformed(sent: &[Value]) -> Vec<Value> {
    let mut bad = sent[0].clone();
    for (key, value) in bad.as_object_mut().expect("an object") {
        if key != "type" {
            *value = json!({"not": "valid"});
        }
    }
    let mut out = vec![sent[0].clone(), bad];
    out.extend(sent[1..].iter().cloned());
    out
}

/// Every item is there, in order; the second is malformed and kept as sent.
fn assert_one_malformed<T: std::fmt::Debug>(label: &str, items: &[Item<T>], sent: &[Value]) {
    assert_eq!(items.len(), sent.len(), "{label}: no item dropped");
    for (i, item) in items.iter().enumerate() {
        if i == 1 {
            let m = item
                .malformed()
                .unwrap_or_else(|| panic!("{label}: {item:?}"));
            assert_eq!(m.raw(), &sent[1], "{label}: kept as sent");
            assert!(!m.path().is_empty() && m.path() != ".", "{label}: {m}");
        } else {
            assert!(item.as_ok().is_some(), "{label} item {i}: {item:?}");
        }
    }
}

/// Mounts `items` at `/v1/{list}`, one page.
async fn serve_list(server: &MockServer, list: &str, items: &[Value]) {
    Mock::given(method("GET"))
        .and(path(format!("/v1/{list}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(Value::Array(items.to_vec()))
                .insert_header("X-Page", "1")
                .insert_header("X-Total-Pages", "1"),
        )
        .mount(server)
        .await;
}

/// Valid items of every list, as the simulator serves them.
async fn simulator_lists() -> Vec<(&'static str, Vec<Value>)> {
    let sim = dvs::simulator::Simulator::start(dvs::simulator::SimulatorConfig::default())
        .await
        .unwrap();
    let http = dvs::http_client_builder().unwrap().build().unwrap();
    let mut out = Vec::new();
    for list in [
        "services",
        "countries",
        "operators",
        "promotions",
        "campaigns",
        "products",
        "benefit-types",
        "balances",
    ] {
        let items: Vec<Value> = http
            .get(format!("{}/{list}?per_page=3", sim.base_url()))
            .header("Authorization", sim.authorization())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(!items.is_empty(), "{list}");
        // At least two valid items around the malformed one.
        let items = if items.len() == 1 {
            vec![items[0].clone(), items[0].clone()]
        } else {
            items
        };
        out.push((list, with_malformed(&items)));
    }
    out
}

#[tokio::test]
async fn one_malformed_item_does_not_fail_its_page_in_any_list_v1_21() {
    let server = MockServer::start().await;
    let lists = simulator_lists().await;
    for (list, items) in &lists {
        serve_list(&server, list, items).await;
    }
    let transactions = with_malformed(&[transaction("v1_21", 7), transaction("v1_21", 9)]);
    serve_list(&server, "transactions", &transactions).await;
    let c = v1_21(&server, RetryPolicy::none());
    let sent = |name: &str| lists.iter().find(|(l, _)| *l == name).unwrap().1.clone();

    let services = c.services(|q| q).collect_all().await.unwrap();
    assert_one_malformed("services", &services, &sent("services"));
    let countries = c.countries(|q| q).collect_all().await.unwrap();
    assert_one_malformed("countries", &countries, &sent("countries"));
    let operators = c.operators(|q| q).collect_all().await.unwrap();
    assert_one_malformed("operators", &operators, &sent("operators"));
    let promotions = c.promotions(|q| q).collect_all().await.unwrap();
    assert_one_malformed("promotions", &promotions, &sent("promotions"));
    let campaigns = c.campaigns(|q| q).collect_all().await.unwrap();
    assert_one_malformed("campaigns", &campaigns, &sent("campaigns"));
    let products = c.products(|q| q).collect_all().await.unwrap();
    assert_one_malformed("products", &products, &sent("products"));
    let benefit_types = c.benefit_types(|q| q).collect_all().await.unwrap();
    assert_one_malformed("benefit types", &benefit_types, &sent("benefit-types"));
    let balances = c.balances(|q| q).collect_all().await.unwrap();
    assert_one_malformed("balances", &balances, &sent("balances"));
    let txs = c.transactions(|q| q).collect_all().await.unwrap();
    assert_one_malformed("transactions", &txs, &transactions);

    // Apart, through `collect_split`, and one by one through `items()`.
    let (ok, malformed) = c.products(|q| q).collect_split().await.unwrap();
    assert_eq!((ok.len(), malformed.len()), (sent("products").len() - 1, 1));
    let streamed: Vec<_> = c.services(|q| q).items().collect().await;
    assert_eq!(streamed.len(), sent("services").len());
    assert!(streamed.iter().all(Result::is_ok));
}

#[tokio::test]
async fn one_malformed_item_does_not_fail_its_page_in_any_list_v1_0() {
    let server = MockServer::start().await;
    let lists = simulator_lists().await;
    let sent = |name: &str| lists.iter().find(|(l, _)| *l == name).unwrap().1.clone();
    for list in [
        "services",
        "countries",
        "operators",
        "promotions",
        "benefit-types",
        "balances",
    ] {
        serve_list(&server, list, &sent(list)).await;
    }
    let products = with_malformed(&[
        fixture("v1_0", "facade_product.json"),
        fixture("v1_0", "facade_product.json"),
    ]);
    serve_list(&server, "products", &products).await;
    let transactions = with_malformed(&[transaction("v1_0", 7), transaction("v1_0", 9)]);
    serve_list(&server, "transactions", &transactions).await;
    let c = v1_0(&server);

    assert_one_malformed(
        "services",
        &c.services(|q| q).collect_all().await.unwrap(),
        &sent("services"),
    );
    assert_one_malformed(
        "countries",
        &c.countries(|q| q).collect_all().await.unwrap(),
        &sent("countries"),
    );
    let operators = c.operators(|q| q).collect_all().await.unwrap();
    assert_one_malformed("operators", &operators, &sent("operators"));
    let promotions = c.promotions(|q| q).collect_all().await.unwrap();
    assert_one_malformed("promotions", &promotions, &sent("promotions"));
    let got = c.products(|q| q).collect_all().await.unwrap();
    assert_one_malformed("products", &got, &products);
    let benefit_types = c.benefit_types(|q| q).collect_all().await.unwrap();
    assert_one_malformed("benefit types", &benefit_types, &sent("benefit-types"));
    assert_one_malformed(
        "balances",
        &c.balances(|q| q).collect_all().await.unwrap(),
        &sent("balances"),
    );
    let txs = c.transactions(|q| q).collect_all().await.unwrap();
    assert_one_malformed("transactions", &txs, &transactions);
}

#[tokio::test]
async fn a_malformed_transaction_with_the_reference_is_never_reported_absent() {
    let server = MockServer::start().await;
    let mut t = transaction("v1_21", 7);
    t["external_id"] = "order-77".into();
    t["status"] = json!("not a status");
    serve_list(&server, "transactions", &[t]).await;
    let err = v1_21(&server, RetryPolicy::none())
        .transaction_by_external_id("order-77")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path.starts_with("status")),
        "{err:?}"
    );
}

// ----- a storm of reads against a rate limit -------------------------------------

/// A fixed-window rate limit: `limit` requests per `window`, then 429 with
/// `Retry-After` (whole seconds, rounded up), `X-Ratelimit-*` on every answer.
struct Limited {
    limit: u64,
    window: Duration,
    state: Mutex<(Option<Instant>, u64)>,
}

impl Respond for Limited {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut st = self.state.lock().unwrap();
        let now = Instant::now();
        let start = match st.0 {
            Some(s) if now.duration_since(s) < self.window => s,
            _ => {
                *st = (Some(now), 0);
                now
            }
        };
        st.1 += 1;
        let remaining = self.limit.saturating_sub(st.1);
        let answer = if st.1 <= self.limit {
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": 1, "name": "Mobile", "subservices": []}))
        } else {
            let left = self.window.saturating_sub(now.duration_since(start));
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            ResponseTemplate::new(429)
                .insert_header("Retry-After", secs.to_string())
                .set_body_json(
                    json!({"errors": [{"code": 1000429, "message": "Too many requests"}]}),
                )
        };
        answer
            .insert_header("X-Ratelimit-Limit", self.limit.to_string())
            .insert_header("X-Ratelimit-Remaining", remaining.to_string())
    }
}

#[tokio::test]
async fn a_storm_of_reads_is_paced_by_the_rate_limit() {
    const READS: usize = 24;
    const LIMIT: u64 = 6;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/services/1"))
        .respond_with(Limited {
            limit: LIMIT,
            window: Duration::from_secs(1),
            state: Mutex::new((None, 0)),
        })
        .mount(&server)
        .await;
    let client = v1_21(&server, RetryPolicy::default());
    let reads = (0..READS).map(|i| {
        // Clones share the pacing.
        let client = client.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(i as u64 % 3)).await;
            client.service(1).await
        }
    });
    let results = tokio::time::timeout(Duration::from_secs(30), futures::future::join_all(reads))
        .await
        .expect("the storm ends");
    let completed = results.iter().filter(|r| r.is_ok()).count();
    let on_the_wire = requests(&server).await.len();
    eprintln!("{on_the_wire} requests on the wire for {completed} successes");
    assert_eq!(
        completed,
        READS,
        "every read completes: {:?}",
        results.iter().find(|r| r.is_err())
    );
    assert!(
        on_the_wire * 10 <= completed * 12,
        "{on_the_wire} requests for {completed} successes"
    );
}
