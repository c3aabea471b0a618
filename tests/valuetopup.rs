#![cfg(feature = "valuetopup")]
//! The ValueTopup facade (`dvs::valuetopup::Client`) against loopback
//! servers: what it requests for every operation (method, path, query, body,
//! credentials), how it unwraps the envelope (`000`, `852`, failure codes),
//! how it resolves a purchase whose answer was lost (status polling, never a
//! second purchase), cursor paging of gift card SKUs, tolerance of unknown
//! fields, input checks and secrets kept out of `Debug`.

use base64::Engine as _;
use dvs::valuetopup::{
    Balance, BillPayment, Category, Client, ClientBuilder, Delivery, EsimOrder, GiftCardOrder,
    PinPurchase, PurchaseOutcome, ResponseCode, StatusPolling, TopUp,
};
use dvs::{Credentials, Error, Outcome, RetryPolicy};
use futures::StreamExt;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const USER: &str = "vt-agent-7731";
const PASSWORD: &str = "vt-pass-Qx81z";
/// Every test that waits is bounded: a loop fails the test instead of hanging it.
const BOUND: Duration = Duration::from_secs(10);

fn expected_auth() -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    format!("Basic {token}")
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/valuetopup/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An envelope, with a field the spec does not declare.
fn envelope(code: &str, message: &str, payload: Value) -> Value {
    json!({"responseCode": code, "responseMessage": message, "payLoad": payload, "traceId": "t-1"})
}

fn ok(payload: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope("000", "Success", payload))
}

fn polling() -> StatusPolling {
    StatusPolling::new(
        Duration::from_millis(20),
        Duration::from_millis(80),
        Duration::from_millis(600),
    )
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::new(USER, PASSWORD))
        .read_timeout(Duration::from_secs(2))
        .transaction_timeout(Duration::from_secs(2))
        .connect_timeout(Duration::from_secs(1))
        .retry(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(10))
                .with_deadline(Duration::from_secs(1)),
        )
}

/// The client of a builder, with the tests' quick status polling.
fn build(builder: ClientBuilder) -> Client {
    builder.build().unwrap().with_status_polling(polling())
}

fn base(server: &MockServer) -> String {
    format!("{}/api/v2", server.uri())
}

fn client(server: &MockServer) -> Client {
    build(builder(&base(server)))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

fn query(r: &Request) -> BTreeMap<String, String> {
    r.url.query_pairs().into_owned().collect()
}

fn count(requests: &[Request], verb: &str, suffix: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path().ends_with(suffix))
        .count()
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, f)
        .await
        .expect("finished in time")
}

// ----- every operation's request shape ---------------------------------------

/// The canned answer of each operation, by path.
fn route(r: &Request) -> ResponseTemplate {
    let p = r.url.path().trim_start_matches("/api/v2");
    let tx = |name: &str| ok(fixture(name));
    match p {
        "/account/balance" => ok(json!(-1500.25)),
        "/catalog/countries" => ok(json!([{"countryCode": "JM", "countryName": "Jamaica",
            "region": "Caribbean", "internationalCountryCode": "1876", "areaCodes": "876",
            "numberLength": "7", "currencyCode": "JMD"}])),
        "/catalog/operators" => ok(json!([{"operatorId": 31, "operatorName": "Digicel",
            "imageUrl": "https://img.example.com/d.png", "brandColor": "red"}])),
        "/catalog/getproducts" => ok(json!([{"productId": 310, "category": "RTR",
            "productName": "Digicel Jamaica", "countryCode": "JM", "operatorId": 31,
            "operatorName": "Digicel", "imageUrl": "", "requireFetchBundle": false,
            "description": "Airtime", "tags": ["new"]}])),
        "/catalog/skus" => ok(json!([fixture("sku.json")])),
        "/catalog/skus/giftcards" => ResponseTemplate::new(200).set_body_json(json!({
            "responseCode": "000", "responseMessage": "Success",
            "payLoad": [fixture("sku.json")], "next": 0, "next_cursor": 0})),
        "/catalog/sku/exchangeRate/3101" => ok(json!({"skuId": 3101,
            "productName": "Digicel Jamaica", "currencyCode": "JMD", "exchangeRate": 142.86})),
        "/catalog/errors" => ok(json!([
            {"errorCode": "000", "errorDescription": "Success"},
            {"errorCode": "852", "errorDescription": "Transaction in progress"},
            {"errorCode": "017", "errorDescription": "Invalid mobile number", "severity": 2}])),
        "/catalog/bundles/310/18761234567" => ok(json!([fixture("sku.json")])),
        "/esim/order" => tx("transaction_esim.json"),
        "/esim/status/8944500102198304826" => ok(json!([{"name": "5 GB", "description": "",
            "initialQuantity": 5120, "remainingQuantity": 4000, "assignmentDateTime": "",
            "startTime": "", "endTime": "", "assignmentReference": "A-1", "unit": "MB",
            "activationCode": "", "smdpAddress": ""}])),
        "/lookup/mobile/18761234567" => ok(json!([{"productId": 310, "productName": "Digicel",
            "countryCode": "JM", "operatorId": 31, "operatorName": "Digicel", "imageUrl": "",
            "skus": [fixture("sku.json")]}])),
        "/lookup/billpay/fetch-account-detail" => ok(json!({"accountNumber": "0012345678",
            "customerName": "A. Pérez", "balanceDue": 35.5, "currencyCode": "JMD",
            "dueDate": "2024-05-30"})),
        "/promotion/current" | "/promotion/upcoming" => ok(json!([{"promotionId": 5,
            "promotionName": "Double", "countryTimeZone": "EST", "startDate": "", "endDate": "",
            "description": "", "restriction": "", "promotionalBalanceExpiration": "",
            "promotionMinMax": [{"currencyCode": "USD", "minAmount": 5, "maxAmount": 50}],
            "product": {"productId": 310, "productName": "Digicel", "countryCode": "JM",
                "operatorName": "Digicel"},
            "operator": {"operatorId": 31, "operatorName": "Digicel", "countryCode": "JM",
                "countryName": "Jamaica"}}])),
        "/transaction/topup" | "/transaction/status/topup-0001" => tx("transaction_topup.json"),
        "/transaction/pin" => tx("transaction_pin.json"),
        "/transaction/billpay" => tx("transaction_billpay.json"),
        "/transaction/giftcard/order" => tx("transaction_giftcard.json"),
        "/transaction/giftcard/fetch/880019999" => ok(json!({"cardNumber": "GC-5512-7781-0042",
            "pin": "PIN-GC-8831", "expirationDate": "2026-05-01", "certificateLink": ""})),
        "/transaction/estimatecost" => ok(json!({"invoiceAmount": 9.65, "faceValue": 10.0,
            "faceValueCurrency": "USD", "faceValueInWallet": 10.0, "localCurrencyAmount": 1428.6,
            "salesTaxAmount": 186.34, "localCurrencyAmountExcludingTax": 1242.26,
            "destinationCurrency": "JMD",
            "product": {"skuId": 3101, "productName": "Digicel", "productDescription": ""}})),
        _ => ResponseTemplate::new(404).set_body_json(json!({"responseCode": "404",
            "responseMessage": format!("no route {p}")})),
    }
}

fn q(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn every_operation_sends_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(route)
        .mount(&server)
        .await;
    let c = client(&server);

    // Account and catalog.
    assert_eq!(
        c.balance().await.unwrap(),
        Balance::Prepaid {
            available: dec!(1500.25)
        }
    );
    assert_eq!(
        c.countries().await.unwrap()[0].country_code.as_deref(),
        Some("JM")
    );
    assert_eq!(
        c.operators(|q| q.operator_id(31).country_code("JM"))
            .await
            .unwrap()[0]
            .operator_id,
        Some(31)
    );
    let products = c
        .products(|q| {
            q.operator_id(31)
                .category_id(Category::Rtr)
                .country_code("JM")
        })
        .await
        .unwrap();
    assert_eq!(products[0].product_id, Some(310));
    let skus = c
        .with_language("ar")
        .unwrap()
        .skus(|q| q.product_id(310).sku_id(3101))
        .await
        .unwrap();
    assert_eq!(skus[0].sku_id, Some(3101));
    let page = c
        .gift_card_skus(|q| {
            q.product_id(900)
                .sku_id(90011)
                .country_code("US")
                .page_size(50u32)
        })
        .start_cursor(10)
        .first_page()
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.next_page_cursor()), (1, None));
    assert_eq!(
        c.sku_exchange_rate(3101).await.unwrap().exchange_rate,
        Some(dec!(142.86))
    );
    let codes = c.response_codes().await.unwrap();
    assert_eq!(
        codes.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
        vec![
            ResponseCode::Success,
            ResponseCode::InProgress,
            ResponseCode::from("017")
        ]
    );
    assert_eq!(
        c.dynamic_bundles(310, "+18761234567").await.unwrap().len(),
        1
    );

    // eSIM.
    let esim = c
        .order_esim(&EsimOrder::new(77001).correlation_id("esim-0007"))
        .await
        .unwrap();
    let Some(Delivery::Esim(details)) = esim.completed().unwrap().delivery() else {
        panic!("an eSIM delivery: {esim:?}")
    };
    assert_eq!(details.iccid.as_deref(), Some("8944500102198304826"));
    assert_eq!(
        c.esim_status("8944500102198304826").await.unwrap()[0].remaining_quantity,
        Some(4000)
    );

    // Look-ups and promotions.
    assert_eq!(
        c.lookup_mobile("18761234567").await.unwrap()[0].skus.len(),
        1
    );
    assert_eq!(
        c.lookup_bill(5120, "0012345678").await.unwrap().balance_due,
        Some(dec!(35.5))
    );
    assert_eq!(c.promotions().await.unwrap()[0].promotion_id, Some(5));
    assert_eq!(c.upcoming_promotions().await.unwrap().len(), 1);

    // Purchases, status, gift card fetch, estimate.
    let topup = c
        .top_up(
            &TopUp::new(3101, dec!(10.0), "18761234567")
                .correlation_id("topup-0001")
                .with(|b| {
                    b.sender_mobile("+447700900123".to_string())
                        .transaction_currency_code("USD".to_string())
                })
                .additional_info("email", "ana@example.com"),
        )
        .await
        .unwrap();
    let Some(Delivery::TopUp(t)) = topup.completed().unwrap().delivery() else {
        panic!("a top-up delivery: {topup:?}")
    };
    assert_eq!(t.operator_transaction_id.as_deref(), Some("DGJ-77310022"));
    let pin = c
        .buy_pin(
            &PinPurchase::new(2207)
                .correlation_id("pin-0001")
                .with(|b| b.recipient("14155550123".to_string())),
        )
        .await
        .unwrap();
    assert_eq!(
        pin.completed().unwrap().pins()[0].code(),
        Some("4471-9920-3318")
    );
    let bill = c
        .pay_bill(
            &BillPayment::new(5120, dec!(35.5), "0012345678")
                .correlation_id("bill-0001")
                .with(|b| {
                    b.sender_name("Ana Pérez".to_string())
                        .transaction_currency_code(Some("JMD".parse().unwrap()))
                }),
        )
        .await
        .unwrap();
    assert!(matches!(
        bill.completed().unwrap().delivery(),
        Some(Delivery::BillPayment(_))
    ));
    let status = c.transaction_status("topup-0001").await.unwrap();
    assert_eq!(status.completed().unwrap().transaction_id, Some(880012001));
    let gift = c
        .order_gift_card(&GiftCardOrder::new(90011, dec!(25.0)).with(|b| {
            b.first_name("Ana".to_string())
                .last_name("Pérez".to_string())
                .recipient("14155550123".to_string())
        }))
        .await
        .unwrap();
    let generated = gift.correlation_id().to_string();
    assert!(generated.starts_with("vt-"), "{generated}");
    let card = c.gift_card(880019999).await.unwrap();
    assert_eq!(card.pin.as_ref().unwrap().expose(), "PIN-GC-8831");
    assert_eq!(
        c.estimate_cost(3101, dec!(10.0), Some("USD"))
            .await
            .unwrap()
            .invoice_amount,
        Some(dec!(9.65))
    );

    // What the server received, in order.
    let got = requests(&server).await;
    type Expected = (&'static str, &'static str, BTreeMap<String, String>, Value);
    let expected: Vec<Expected> = vec![
        ("GET", "/account/balance", q(&[]), Value::Null),
        ("GET", "/catalog/countries", q(&[]), Value::Null),
        (
            "GET",
            "/catalog/operators",
            q(&[("operatorId", "31"), ("countryCode", "JM")]),
            Value::Null,
        ),
        (
            "GET",
            "/catalog/getproducts",
            q(&[
                ("operatorId", "31"),
                ("categoryId", "2"),
                ("countryCode", "JM"),
            ]),
            Value::Null,
        ),
        (
            "GET",
            "/catalog/skus",
            q(&[("productId", "310"), ("skuId", "3101")]),
            Value::Null,
        ),
        (
            "GET",
            "/catalog/skus/giftcards",
            q(&[
                ("cursor", "10"),
                ("pageSize", "50"),
                ("productId", "900"),
                ("skuId", "90011"),
                ("countryCode", "US"),
            ]),
            Value::Null,
        ),
        ("GET", "/catalog/sku/exchangeRate/3101", q(&[]), Value::Null),
        ("GET", "/catalog/errors", q(&[]), Value::Null),
        (
            "GET",
            "/catalog/bundles/310/18761234567",
            q(&[]),
            Value::Null,
        ),
        (
            "POST",
            "/esim/order",
            q(&[]),
            json!({"skuId": 77001, "correlationId": "esim-0007"}),
        ),
        (
            "GET",
            "/esim/status/8944500102198304826",
            q(&[]),
            Value::Null,
        ),
        ("GET", "/lookup/mobile/18761234567", q(&[]), Value::Null),
        (
            "GET",
            "/lookup/billpay/fetch-account-detail",
            q(&[("skuId", "5120"), ("accountNumber", "0012345678")]),
            Value::Null,
        ),
        ("GET", "/promotion/current", q(&[]), Value::Null),
        ("GET", "/promotion/upcoming", q(&[]), Value::Null),
        (
            "POST",
            "/transaction/topup",
            q(&[]),
            json!({"skuId": 3101, "amount": 10.0, "mobile": "18761234567",
                   "correlationId": "topup-0001", "senderMobile": "447700900123",
                   "transactionCurrencyCode": "USD",
                   "additionalInfos": [{"name": "email", "value": "ana@example.com"}]}),
        ),
        (
            "POST",
            "/transaction/pin",
            q(&[]),
            json!({"skuId": 2207, "correlationId": "pin-0001", "recipient": "14155550123"}),
        ),
        (
            "POST",
            "/transaction/billpay",
            q(&[]),
            json!({"skuId": 5120, "amount": 35.5, "accountNumber": "0012345678",
                   "correlationId": "bill-0001", "senderName": "Ana Pérez",
                   "transactionCurrencyCode": "JMD"}),
        ),
        ("GET", "/transaction/status/topup-0001", q(&[]), Value::Null),
        (
            "POST",
            "/transaction/giftcard/order",
            q(&[]),
            json!({"skuId": 90011, "amount": 25.0, "correlationId": generated,
                   "firstName": "Ana", "lastName": "Pérez", "recipient": "14155550123"}),
        ),
        (
            "GET",
            "/transaction/giftcard/fetch/880019999",
            q(&[]),
            Value::Null,
        ),
        (
            "POST",
            "/transaction/estimatecost",
            q(&[]),
            json!({"skuId": 3101, "amount": 10.0, "transactionCurrencyCode": "USD"}),
        ),
    ];
    assert_eq!(expected.len(), 22, "one call per operation of the spec");
    assert_eq!(
        got.len(),
        expected.len(),
        "one request per call, no retries"
    );
    for (r, (verb, p, query_pairs, json_body)) in got.iter().zip(&expected) {
        let what = format!("{verb} {p}");
        assert_eq!(r.method.as_str(), *verb, "{what}");
        assert_eq!(r.url.path(), format!("/api/v2{p}"), "{what}");
        assert_eq!(&query(r), query_pairs, "{what}");
        assert_eq!(&body(r), json_body, "{what}");
        let header = |name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(header("authorization"), Some(expected_auth()), "{what}");
        assert_eq!(
            header("accept").as_deref(),
            Some("application/json"),
            "{what}"
        );
        assert_eq!(header("api-version"), None, "{what}");
        if *verb == "POST" {
            assert_eq!(
                header("content-type").as_deref(),
                Some("application/json"),
                "{what}"
            );
        }
        // Only the SKU list was asked through `with_language("ar")`.
        let language = (*p == "/catalog/skus").then_some("ar");
        assert_eq!(header("accept-language").as_deref(), language, "{what}");
    }
}

// ----- the envelope: 000, 852, failure codes ----------------------------------

#[tokio::test]
async fn balance_sign_is_explicit() {
    let server = MockServer::start().await;
    let c = client(&server);
    for (wire, expected) in [
        (
            json!(dec!(-250.50)),
            Balance::Prepaid {
                available: dec!(250.5),
            },
        ),
        (json!(1200), Balance::Credit { owed: dec!(1200.0) }),
        (json!(0), Balance::Zero),
        // Exact from the number's text, beyond what a binary float holds.
        (
            serde_json::from_str("-12345678901234567890.12").unwrap(),
            Balance::Prepaid {
                available: dec!(12345678901234567890.12),
            },
        ),
        (
            serde_json::from_str("0.1").unwrap(),
            Balance::Credit { owed: dec!(0.1) },
        ),
    ] {
        server.reset().await;
        Mock::given(path("/api/v2/account/balance"))
            .respond_with(ok(wire.clone()))
            .mount(&server)
            .await;
        let balance = c.balance().await.unwrap();
        assert_eq!(balance, expected, "{wire}");
        assert_eq!(balance.wire_value().to_string(), wire.to_string());
    }
}

#[tokio::test]
async fn failure_codes_are_errors_with_code_and_message() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/countries"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responseCode": "017", "responseMessage": "Account suspended"})))
        .mount(&server)
        .await;
    // `payLoad: null` on a list operation: the failure keeps its status.
    Mock::given(path("/api/v2/promotion/current"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responseCode": "017", "responseMessage": "Account suspended", "payLoad": null})))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/catalog/operators"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "responseCode": "104", "responseMessage": "Invalid country"})))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/transaction/topup"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responseCode": "301", "responseMessage": "Insufficient balance"})))
        .mount(&server)
        .await;
    let c = client(&server);

    let e = c.countries().await.unwrap_err();
    let Error::ValueTopup {
        status,
        code,
        message,
        correlation_id,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (*status, code, message.as_str()),
        (Some(200), &ResponseCode::from("017"), "Account suspended")
    );
    assert_eq!(correlation_id, &None);
    assert!(code.is_failure() && !e.is_retryable() && !e.outcome_unknown());
    assert!(e.to_string().contains("017"), "{e}");

    let e = c.promotions().await.unwrap_err();
    assert!(
        matches!(&e, Error::ValueTopup { status: Some(200), code, message, .. }
            if code.as_str() == "017" && message == "Account suspended"),
        "{e:?}"
    );

    let e = c.operators(|q| q.country_code("XX")).await.unwrap_err();
    assert!(
        matches!(&e, Error::ValueTopup { status: Some(400), code, .. } if code.as_str() == "104"),
        "{e:?}"
    );
    assert_eq!(e.status(), Some(400));

    // A refused purchase: the code, the correlation id, and no status call.
    let e = c
        .top_up(&TopUp::new(3101, dec!(10.0), "18761234567").correlation_id("topup-refused"))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::ValueTopup { code, correlation_id: Some(cid), .. }
            if code.as_str() == "301" && cid == "topup-refused"),
        "{e:?}"
    );
    let got = requests(&server).await;
    assert_eq!(count(&got, "GET", "/transaction/status/topup-refused"), 0);
}

/// A stateful responder: `answers[n]` for the n-th request (the last one after).
fn sequence(answers: Vec<ResponseTemplate>) -> impl Fn(&Request) -> ResponseTemplate {
    let n = AtomicUsize::new(0);
    move |_: &Request| {
        let i = n.fetch_add(1, Ordering::SeqCst).min(answers.len() - 1);
        answers[i].clone()
    }
}

fn in_progress() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "responseCode": "852", "responseMessage": "Gift Card processing is in progress."}))
}

#[tokio::test]
async fn in_progress_is_polled_by_correlation_id_then_completed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/transaction/giftcard/order"))
        .respond_with(in_progress())
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/transaction/status/gift-0042"))
        .respond_with(sequence(vec![
            in_progress(),
            in_progress(),
            ok(fixture("transaction_giftcard.json")),
        ]))
        .mount(&server)
        .await;
    let c = client(&server);
    let outcome = bounded(
        c.order_gift_card(&GiftCardOrder::new(90011, dec!(25.0)).correlation_id("gift-0042")),
    )
    .await
    .unwrap();
    let purchase = outcome.completed().expect("completed");
    assert_eq!(purchase.correlation_id, "gift-0042");
    let Some(Delivery::GiftCard(card)) = purchase.delivery() else {
        panic!("{purchase:?}")
    };
    assert_eq!(
        card.card_number.as_ref().unwrap().expose(),
        "GC-5512-7781-0042"
    );
    let got = requests(&server).await;
    assert_eq!(count(&got, "POST", "/transaction/giftcard/order"), 1);
    assert_eq!(count(&got, "GET", "/transaction/status/gift-0042"), 3);
}

#[tokio::test]
async fn still_in_progress_at_the_deadline_is_pending_never_error_nor_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/transaction/giftcard/order"))
        .respond_with(in_progress())
        .mount(&server)
        .await;
    Mock::given(path_regex("^/api/v2/transaction/status/"))
        .respond_with(in_progress())
        .mount(&server)
        .await;
    let c = client(&server);
    let started = Instant::now();
    let outcome = bounded(c.order_gift_card(&GiftCardOrder::new(90011, dec!(25.0))))
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(3));
    let PurchaseOutcome::Pending {
        correlation_id,
        message,
        ..
    } = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(correlation_id.starts_with("vt-"));
    assert_eq!(
        message.as_deref(),
        Some("Gift Card processing is in progress.")
    );
    assert!(outcome.completed().is_none() && outcome.is_pending());

    // The status call alone says pending too.
    let again = c.transaction_status(correlation_id).await.unwrap();
    assert!(again.is_pending());

    let got = requests(&server).await;
    assert_eq!(count(&got, "POST", "/transaction/giftcard/order"), 1);
    let asks = count(
        &got,
        "GET",
        &format!("/transaction/status/{correlation_id}"),
    );
    // Capped backoff within the deadline: several asks, not a busy loop.
    assert!((3..=15).contains(&asks), "{asks} status asks");
}

#[tokio::test]
async fn a_read_answered_in_progress_is_asked_again() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/countries"))
        .respond_with(sequence(vec![
            in_progress(),
            ok(json!([{"countryCode": "IN", "countryName": "India"}])),
        ]))
        .mount(&server)
        .await;
    let c = client(&server);
    let countries = bounded(c.countries()).await.unwrap();
    assert_eq!(countries[0].country_name.as_deref(), Some("India"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn server_error_or_unexpected_success_is_resolved_by_status_not_resent() {
    for answer in [
        ResponseTemplate::new(500).set_body_json(json!({
            "responseCode": "999", "responseMessage": "Internal error"})),
        ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"),
        ResponseTemplate::new(202).set_body_json(json!({"accepted": true})),
        ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"),
        ResponseTemplate::new(404).set_body_string("<html>not here</html>"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v2/transaction/topup"))
            .respond_with(answer)
            .mount(&server)
            .await;
        Mock::given(path("/api/v2/transaction/status/topup-5xx"))
            .respond_with(ok(fixture("transaction_topup.json")))
            .mount(&server)
            .await;
        let outcome = bounded(
            client(&server)
                .top_up(&TopUp::new(3101, dec!(10.0), "18761234567").correlation_id("topup-5xx")),
        )
        .await
        .unwrap();
        assert_eq!(outcome.completed().unwrap().transaction_id, Some(880012001));
        let got = requests(&server).await;
        assert_eq!(count(&got, "POST", "/transaction/topup"), 1);
        assert_eq!(count(&got, "GET", "/transaction/status/topup-5xx"), 1);
    }
}

#[tokio::test]
async fn rate_limited_purchase_is_refused_and_not_polled() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/transaction/topup"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .set_body_json(json!({"responseCode": "429", "responseMessage": "Slow down"})),
        )
        .mount(&server)
        .await;
    let e = client(&server)
        .top_up(&TopUp::new(3101, dec!(10.0), "18761234567").correlation_id("topup-429"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(7)),
        "{e:?}"
    );
    let got = requests(&server).await;
    assert_eq!(
        (got.len(), count(&got, "POST", "/transaction/topup")),
        (1, 1)
    );
}

#[tokio::test]
async fn success_with_unreadable_details_is_unknown_without_looping() {
    let server = MockServer::start().await;
    let unreadable = json!({"responseCode": "000", "responseMessage": "Success",
        "payLoad": {"transactionId": "not-a-number"}});
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(unreadable))
        .mount(&server)
        .await;
    let e = bounded(
        client(&server)
            .top_up(&TopUp::new(3101, dec!(10.0), "18761234567").correlation_id("topup-odd")),
    )
    .await
    .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    let got = requests(&server).await;
    assert_eq!(count(&got, "POST", "/transaction/topup"), 1);
    assert_eq!(count(&got, "GET", "/transaction/status/topup-odd"), 1);
}

// ----- lost answers: a raw TCP server ------------------------------------------

/// What the raw server does with a purchase (any POST).
#[derive(Clone, Copy)]
enum OnPurchase {
    /// Read it, record it, close the connection without a word.
    Drop,
    /// Read it, record it, answer nothing until the client gives up.
    Hold,
}

type StatusAnswer = Arc<dyn Fn(usize) -> (u16, String) + Send + Sync>;

/// A loopback HTTP/1.1 server that records every request (`METHOD path`
/// and body) and answers a GET with `status(n)` (n: 1-based count of GETs).
async fn raw_server(
    on_purchase: OnPurchase,
    status: StatusAnswer,
) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let gets = Arc::new(AtomicUsize::new(0));
    let log2 = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (log, status, gets) = (log2.clone(), status.clone(), gets.clone());
            tokio::spawn(serve(stream, on_purchase, status, log, gets));
        }
    });
    (format!("http://{addr}/api/v2"), log)
}

async fn serve(
    mut stream: TcpStream,
    on_purchase: OnPurchase,
    status: StatusAnswer,
    log: Arc<Mutex<Vec<(String, String)>>>,
    gets: Arc<AtomicUsize>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let line = head.lines().next().unwrap_or_default().to_string();
    let mut parts = line.split(' ');
    let verb = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).to_string();
    log.lock().unwrap().push((format!("{verb} {target}"), body));
    if verb == "POST" {
        match on_purchase {
            OnPurchase::Drop => drop(stream),
            OnPurchase::Hold => {
                // Until the client closes its end.
                while let Ok(n) = stream.read(&mut chunk).await {
                    if n == 0 {
                        break;
                    }
                }
            }
        }
        return;
    }
    let (code, text) = status(gets.fetch_add(1, Ordering::SeqCst) + 1);
    let response = format!(
        "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn pin_status() -> StatusAnswer {
    Arc::new(|n| {
        if n == 1 {
            (200, envelope("852", "In progress", Value::Null).to_string())
        } else {
            (
                200,
                envelope("000", "Success", fixture("transaction_pin.json")).to_string(),
            )
        }
    })
}

fn purchases(log: &Mutex<Vec<(String, String)>>) -> Vec<(String, String)> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|(l, _)| l.starts_with("POST "))
        .cloned()
        .collect()
}

fn status_asks(log: &Mutex<Vec<(String, String)>>, cid: &str) -> usize {
    log.lock()
        .unwrap()
        .iter()
        .filter(|(l, _)| *l == format!("GET /api/v2/transaction/status/{cid}"))
        .count()
}

#[tokio::test]
async fn dropped_connection_is_resolved_by_status_with_one_purchase() {
    let (base_url, log) = raw_server(OnPurchase::Drop, pin_status()).await;
    let c = build(builder(&base_url));
    let outcome = bounded(c.buy_pin(&PinPurchase::new(2207).correlation_id("pin-dropped-1")))
        .await
        .unwrap();
    let purchase = outcome.completed().expect("completed");
    assert_eq!(purchase.correlation_id, "pin-dropped-1");
    assert_eq!(purchase.pins()[0].code(), Some("4471-9920-3318"));
    let posts = purchases(&log);
    assert_eq!(posts.len(), 1, "exactly one purchase: {posts:?}");
    assert_eq!(posts[0].0, "POST /api/v2/transaction/pin");
    let sent: Value = serde_json::from_str(&posts[0].1).unwrap();
    assert_eq!(sent["correlationId"], "pin-dropped-1");
    assert_eq!(status_asks(&log, "pin-dropped-1"), 2, "852 once, then 000");
}

#[tokio::test]
async fn timed_out_purchase_is_resolved_by_status_with_one_purchase() {
    let (base_url, log) = raw_server(OnPurchase::Hold, pin_status()).await;
    let c = build(builder(&base_url).transaction_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    // No correlation id given: the generated one is sent, polled and returned.
    let outcome = bounded(c.buy_pin(&PinPurchase::new(2207))).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let cid = outcome.correlation_id().to_string();
    assert_eq!(outcome.completed().unwrap().pins().len(), 1);
    let posts = purchases(&log);
    assert_eq!(posts.len(), 1, "exactly one purchase: {posts:?}");
    let sent: Value = serde_json::from_str(&posts[0].1).unwrap();
    assert_eq!(sent["correlationId"], cid.as_str());
    assert_eq!(status_asks(&log, &cid), 2);
}

#[tokio::test]
async fn status_never_answering_leaves_the_outcome_unknown_with_the_correlation_id() {
    let down: StatusAnswer = Arc::new(|_| (503, "<html>down</html>".to_string()));
    let (base_url, log) = raw_server(OnPurchase::Drop, down).await;
    let c = build(builder(&base_url).retry(RetryPolicy::none()));
    let e = bounded(
        c.top_up(&TopUp::new(3101, dec!(10.0), "18761234567").correlation_id("topup-lost")),
    )
    .await
    .unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    let (Error::Transport { outcome, .. } | Error::Timeout { outcome }) = &e else {
        panic!("{e:?}")
    };
    assert!(
        matches!(
            outcome,
            Outcome::Unknown {
                external_id: Some(id),
                transaction_id: None,
                ..
            } if id == "topup-lost"
        ),
        "{outcome:?}"
    );
    assert_eq!(purchases(&log).len(), 1);
    assert!(status_asks(&log, "topup-lost") >= 2);

    // `await_purchase` reports the same when the status stays silent.
    let e = bounded(c.await_purchase("topup-lost")).await.unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(purchases(&log).len(), 1);
}

#[tokio::test]
async fn connection_refused_is_not_a_purchase_and_is_not_polled() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let c = build(builder(&format!("http://{addr}/api/v2")));
    let started = Instant::now();
    let e = bounded(c.top_up(&TopUp::new(3101, dec!(10.0), "18761234567")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                outcome: Outcome::NotApplicable,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.outcome_unknown());
    // No status polling (which would wait at least the first backoff and retry).
    assert!(started.elapsed() < Duration::from_millis(500));
}

// ----- gift card SKUs: cursor paging ---------------------------------------------

fn sku(id: i64) -> Value {
    let mut s = fixture("sku.json");
    s["skuId"] = id.into();
    s
}

/// Pages of gift card SKUs by cursor: `pages[cursor]` = (SKU ids, next_cursor).
fn cursor_pages(
    pages: Vec<(Option<i64>, Vec<i64>, Value)>,
) -> impl Fn(&Request) -> ResponseTemplate {
    move |r: &Request| {
        let cursor: Option<i64> = query(r).get("cursor").map(|c| c.parse().unwrap());
        let Some((_, ids, next)) = pages.iter().find(|(c, _, _)| *c == cursor) else {
            return ResponseTemplate::new(200)
                .set_body_json(json!({"responseCode": "000", "payLoad": []}));
        };
        let items: Vec<Value> = ids.iter().map(|i| sku(*i)).collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "responseCode": "000", "responseMessage": "Success", "payLoad": items,
            "next": next, "next_cursor": next, "pageInfo": {"v": 2}}))
    }
}

async fn cursors_asked(server: &MockServer) -> Vec<Option<String>> {
    requests(server)
        .await
        .iter()
        .map(|r| query(r).get("cursor").cloned())
        .collect()
}

#[tokio::test]
async fn gift_card_skus_follow_the_cursor_to_the_end() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/skus/giftcards"))
        .respond_with(cursor_pages(vec![
            (None, vec![101, 102, 103], json!(104)),
            (Some(104), vec![104, 105, 106], json!(107)),
            (Some(107), vec![107, 108], json!(0)),
        ]))
        .mount(&server)
        .await;
    let c = client(&server);
    let skus = bounded(
        c.gift_card_skus(|q| q.page_size(3u32).country_code("US"))
            .collect_all(),
    )
    .await
    .unwrap();
    let ids: Vec<_> = skus.iter().map(|s| s.sku_id.unwrap()).collect();
    assert_eq!(ids, vec![101, 102, 103, 104, 105, 106, 107, 108]);
    assert_eq!(
        cursors_asked(&server).await,
        vec![None, Some("104".into()), Some("107".into())]
    );
    for r in requests(&server).await {
        let q = query(&r);
        assert_eq!(q.get("pageSize").map(String::as_str), Some("3"));
        assert_eq!(q.get("countryCode").map(String::as_str), Some("US"));
    }
}

#[tokio::test]
async fn gift_card_skus_never_loop_on_a_repeated_or_cycling_cursor() {
    // Repeated: the second page points at itself.
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/skus/giftcards"))
        .respond_with(cursor_pages(vec![
            (None, vec![1, 2], json!(3)),
            (Some(3), vec![3, 4], json!(3)),
        ]))
        .mount(&server)
        .await;
    let pages: Vec<_> = bounded(
        client(&server)
            .gift_card_skus(|q| q)
            .pages()
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(cursors_asked(&server).await, vec![None, Some("3".into())]);

    // Cycling: 3 -> 5 -> 3.
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/skus/giftcards"))
        .respond_with(cursor_pages(vec![
            (None, vec![1, 2], json!(3)),
            (Some(3), vec![3, 4], json!(5)),
            (Some(5), vec![5, 6], json!(3)),
        ]))
        .mount(&server)
        .await;
    let ids: Vec<_> = bounded(
        client(&server)
            .gift_card_skus(|q| q)
            .items()
            .map(|s| s.unwrap().sku_id.unwrap())
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(ids, vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(
        cursors_asked(&server).await,
        vec![None, Some("3".into()), Some("5".into())]
    );

    // Bounded: an endless server stops at max_pages.
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/skus/giftcards"))
        .respond_with(|r: &Request| {
            let c: i64 = query(r).get("cursor").map_or(1, |c| c.parse().unwrap());
            ResponseTemplate::new(200).set_body_json(json!({
                "responseCode": "000", "payLoad": [sku(c)], "next_cursor": c + 1}))
        })
        .mount(&server)
        .await;
    let skus = bounded(
        client(&server)
            .gift_card_skus(|q| q)
            .max_pages(5)
            .collect_all(),
    )
    .await
    .unwrap();
    assert_eq!(skus.len(), 5);
    assert_eq!(requests(&server).await.len(), 5);

    // A failed page ends the stream with its error.
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/catalog/skus/giftcards"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(200).set_body_json(json!({
                "responseCode": "000", "payLoad": [sku(1)], "next_cursor": 2})),
            ResponseTemplate::new(200).set_body_json(json!({
                "responseCode": "410", "responseMessage": "Catalog unavailable"})),
        ]))
        .mount(&server)
        .await;
    let pages: Vec<_> = bounded(
        client(&server)
            .gift_card_skus(|q| q)
            .pages()
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(pages.len(), 2);
    assert!(matches!(&pages[1], Err(Error::ValueTopup { code, .. }) if code.as_str() == "410"));
}

// ----- unknown fields, input checks, secrets ---------------------------------------

#[tokio::test]
async fn unknown_fields_are_tolerated() {
    let server = MockServer::start().await;
    let mut tx = fixture("transaction_pin.json");
    tx["newBlock"] = json!({"anything": [1, 2, 3]});
    tx["pins"][0]["qr"] = json!("ignored");
    Mock::given(path("/api/v2/transaction/status/pin-0002"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responseCode": "000", "responseMessage": "Success", "payLoad": tx,
            "requestId": "r-9", "meta": {"version": "2.1"}})))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/catalog/skus"))
        .respond_with(ok(json!([fixture("sku.json")])))
        .mount(&server)
        .await;
    let c = client(&server);
    let outcome = c.transaction_status("pin-0002").await.unwrap();
    assert_eq!(
        outcome.completed().unwrap().pins()[0].code(),
        Some("4471-9920-3318")
    );
    let skus = c.skus(|q| q).await.unwrap();
    assert_eq!(skus[0].international_country_code, vec!["1876".to_string()]);
    assert_eq!(
        skus[0].max.as_ref().unwrap().delivered_amount,
        Some(dec!(10000.0))
    );
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    let long = "x".repeat(51);
    let results: Vec<Result<(), Error>> = vec![
        c.top_up(&TopUp::new(3101, dec!(10.0), "18761234567").correlation_id(long.as_str()))
            .await
            .map(drop),
        c.top_up(&TopUp::new(3101, dec!(10.0), "1876-123-4567"))
            .await
            .map(drop),
        c.top_up(&TopUp::new(3101, dec!(0.0), "18761234567"))
            .await
            .map(drop),
        c.top_up(
            &TopUp::new(3101, dec!(10.0), "18761234567")
                .with(|b| b.boost_pin(Some("12".parse().unwrap()))),
        )
        .await
        .map(drop),
        c.buy_pin(&PinPurchase::new(2207).correlation_id("has space"))
            .await
            .map(drop),
        c.buy_pin(&PinPurchase::new(0)).await.map(drop),
        c.pay_bill(&BillPayment::new(5120, dec!(35.5), ""))
            .await
            .map(drop),
        c.pay_bill(
            &BillPayment::new(5120, dec!(35.5), "1")
                .with(|b| b.transaction_currency_code(Some("usd".parse().unwrap()))),
        )
        .await
        .map(drop),
        c.order_gift_card(&GiftCardOrder::new(90011, dec!(-1.0)))
            .await
            .map(drop),
        c.order_esim(&EsimOrder::new(77001).correlation_id(""))
            .await
            .map(drop),
        c.gift_card_skus(|q| q.page_size(0u32))
            .first_page()
            .await
            .map(drop),
        c.gift_card_skus(|q| q.page_size(101u32))
            .first_page()
            .await
            .map(drop),
        c.gift_card_skus(|q| q)
            .start_cursor(-1)
            .first_page()
            .await
            .map(drop),
        c.lookup_mobile("+0123").await.map(drop),
        c.dynamic_bundles(310, "abc").await.map(drop),
        c.transaction_status(&long).await.map(drop),
        c.transaction_status("a/b").await.map(drop),
        c.esim_status("89/44").await.map(drop),
        c.sku_exchange_rate(0).await.map(drop),
        c.estimate_cost(3101, dec!(-0.01), None).await.map(drop),
        c.products(|q| q.category_id(3)).await.map(drop),
        c.products(|q| q.country_code("jamaica")).await.map(drop),
        c.operators(|q| q.country_code("JAM")).await.map(drop),
        c.top_up(&TopUp::new(3101, dec!(10.0), "18761234567").with(|b| b.number_of_plan_months(0)))
            .await
            .map(drop),
        c.pay_bill(
            &BillPayment::new(5120, dec!(35.5), "1").with(|b| b.sender_mobile("12".to_string())),
        )
        .await
        .map(drop),
        c.order_esim(&EsimOrder::new(77001).additional_info("email", "a@b.c"))
            .await
            .map(drop),
        c.with_language("").map(drop),
    ];
    for (i, r) in results.iter().enumerate() {
        assert!(matches!(r, Err(Error::InvalidInput { .. })), "#{i}: {r:?}");
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn debug_shows_no_pin_secret_or_credentials() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(route)
        .mount(&server)
        .await;
    let c = client(&server);
    let pin = c.buy_pin(&PinPurchase::new(2207)).await.unwrap();
    let gift = c
        .order_gift_card(&GiftCardOrder::new(90011, dec!(25.0)))
        .await
        .unwrap();
    let esim = c.order_esim(&EsimOrder::new(77001)).await.unwrap();
    let bill = c
        .pay_bill(&BillPayment::new(5120, dec!(35.5), "0012345678"))
        .await
        .unwrap();
    let card = c.gift_card(880019999).await.unwrap();
    let topup = TopUp::new(3101, dec!(10.0), "18761234567")
        .with(|b| b.boost_pin(Some("9137".parse().unwrap())));
    let shown = format!(
        "{pin:?} {gift:?} {esim:?} {bill:?} {card:?} {topup:?} {c:?} {:?}",
        builder("http://127.0.0.1:1/api/v2")
    );
    for secret in [
        "4471-9920-3318",
        "GC-5512-7781-0042",
        "PIN-GC-8831",
        "K2-ACT-99XY",
        "CONF-7731",
        "5521-0098-1123-4410",
        "9137",
        USER,
        PASSWORD,
        &expected_auth(),
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    // What is not secret stays visible.
    assert!(shown.contains("CTL-00981") && shown.contains("8944500102198304826"));
    assert!(shown.contains("[redacted]"));
}
