#![cfg(feature = "v1_0")]
//! The 1.0.0 facade (`dvs::v1_0::Client`) against loopback servers, for what
//! differs from 1.21.0: one transaction mode (`POST /transactions`,
//! `POST /transactions/{id}/confirm`), four product types, and filters that
//! 1.0.0 does not have, refused before anything is sent.

mod facade_support;

use dvs::v1_0::{Client, Product, ProductType};
use dvs::{Credentials, Error, NewTransaction, RetryPolicy, StatusClass};
use facade_support::*;
use futures::StreamExt;
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const V: &str = "v1_0";
const EXTERNAL_ID: &str = "pe-recarga-2024-06-11-0458";
const PRODUCT_ID: i64 = 2291;
const TX_ID: i64 = 2811470365;
const MOBILE: &str = "+51987654321";
const CALLBACK: &str = "https://tienda.example.pe/dvs/callbacks";

fn builder(base_url: &str) -> dvs::ClientBuilder<Client> {
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::new(KEY, SECRET))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .read_timeout(Duration::from_secs(5))
        .transaction_timeout(Duration::from_secs(5))
}

fn client(server: &MockServer) -> Client {
    builder(&format!("{}/v1", server.uri())).build().unwrap()
}

fn product(id: i64) -> Value {
    let mut p = fixture(V, "facade_product.json");
    p["id"] = id.into();
    p["name"] = format!("Claro Peru bundle {id}").into();
    p
}

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
        .callback_url(CALLBACK)
}

fn new_tx_body() -> Value {
    json!({
        "external_id": EXTERNAL_ID,
        "product_id": PRODUCT_ID,
        "auto_confirm": false,
        "credit_party_identifier": {"mobile_number": MOBILE},
        "callback_url": CALLBACK,
    })
}

async fn collect<T>(s: impl futures::Stream<Item = T>) -> Vec<T> {
    tokio::time::timeout(Duration::from_secs(10), s.collect::<Vec<_>>())
        .await
        .expect("the stream ended")
}

#[tokio::test]
async fn create_and_confirm_use_the_single_mode_paths() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            1,
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions/2811470365/confirm"))
        .respond_with(ResponseTemplate::new(202).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            2,
        )))
        .mount(&server)
        .await;
    let client = client(&server);

    let created = client.create_transaction(&new_tx()).await.unwrap();
    assert_eq!(created.transaction_id(), Some(TX_ID));
    assert_eq!(created.status_class(), StatusClass::Created);
    let confirmed = client.confirm_transaction(TX_ID).await.unwrap();
    assert_eq!(confirmed.status_class(), StatusClass::Confirmed);

    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        [
            "POST /v1/transactions",
            "POST /v1/transactions/2811470365/confirm"
        ]
    );
    assert_authenticated(&received);
    assert_eq!(
        body(&received[0]),
        new_tx_body(),
        "1.0.0 takes callback_url"
    );
    assert!(received[0].url.query().is_none());
    assert!(received[1].body.is_empty());
}

#[tokio::test]
async fn a_create_timing_out_is_recovered_by_external_id_with_one_post() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 1))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions"))
        .respond_with(page_answer(
            vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 1)],
            Some(1),
            None,
            Some(1),
        ))
        .mount(&server)
        .await;
    let client = builder(&format!("{}/v1", server.uri()))
        .transaction_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let recovered = client.create_transaction(&new_tx()).await.unwrap();
    assert_eq!(recovered.transaction_id(), Some(TX_ID));

    let received = requests(&server).await;
    assert_eq!(
        lines(&received),
        ["POST /v1/transactions", "GET /v1/transactions"]
    );
    assert_eq!(body(&received[0]), new_tx_body());
    let mut q = query(&received[1]);
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
async fn external_id_already_used_and_already_confirmed_are_recovered() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions"))
        .respond_with(dvs_error(400, 1007001, "External ID already used"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions"))
        .respond_with(page_answer(
            vec![tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2)],
            Some(1),
            None,
            Some(1),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/transactions/2811470365/confirm"))
        .respond_with(dvs_error(400, 1007002, "Transaction already confirmed"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/transactions/2811470365"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tx(
            TX_ID,
            EXTERNAL_ID,
            PRODUCT_ID,
            7,
        )))
        .mount(&server)
        .await;
    let client = client(&server);

    let existing = client.create_transaction(&new_tx()).await.unwrap();
    assert_eq!(existing.transaction_id(), Some(TX_ID));
    let confirmed = client.confirm_transaction(TX_ID).await.unwrap();
    assert_eq!(confirmed.status_class(), StatusClass::Completed);

    // The reference is used by a transaction of another product, or for
    // another number: an error carrying the existing transaction.
    let other_product = NewTransaction::new(EXTERNAL_ID, 2292).credit_party_mobile_number(MOBILE);
    let other_number =
        NewTransaction::new(EXTERNAL_ID, PRODUCT_ID).credit_party_mobile_number("+51911111111");
    for (other, differences) in [
        (other_product, ["product_id"]),
        (other_number, ["credit_party_identifier.mobile_number"]),
    ] {
        let err = client.create_transaction(&other).await.unwrap_err();
        match &err {
            Error::ExternalIdAlreadyUsed {
                external_id,
                transaction_id,
                differences: found,
                ..
            } => {
                assert_eq!(external_id, EXTERNAL_ID);
                assert_eq!(*transaction_id, Some(TX_ID));
                assert_eq!(found, &differences);
            }
            other => panic!("expected ExternalIdAlreadyUsed, got {other:?}"),
        }
        assert_eq!(
            err.existing_transaction::<dvs::v1_0::Transaction>()
                .and_then(|t| t.transaction_id()),
            Some(TX_ID)
        );
        #[cfg(feature = "v1_21")]
        assert!(err
            .existing_transaction::<dvs::v1_21::Transaction>()
            .is_none());
    }

    assert_eq!(
        lines(&requests(&server).await),
        [
            "POST /v1/transactions",
            "GET /v1/transactions",
            "POST /v1/transactions/2811470365/confirm",
            "GET /v1/transactions/2811470365",
            "POST /v1/transactions",
            "GET /v1/transactions",
            "POST /v1/transactions",
            "GET /v1/transactions",
        ]
    );
}

#[tokio::test]
async fn region_codes_follow_the_1_0_pattern_and_bad_input_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server);
    for bad in ["GTM", "GTMX", "123", "GT", "gt-gu", "GT-GUAT"] {
        let reason = refused(client.products(move |q| q.region(bad)).first_page().await);
        assert!(reason.contains("region"), "{bad}: {reason}");
    }
    let bad_unit = new_tx().destination_amount("pen", dec!(20.0));
    match client.create_transaction(&bad_unit).await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "destination.unit"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let bad_field = new_tx().party_field("credit_party_identifier", "msisdn", "+51987654321");
    match client.create_transaction(&bad_field).await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "credit_party_identifier"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(
        requests(&server).await.is_empty(),
        "nothing was sent for an invalid input"
    );
}

#[tokio::test]
async fn listing_keeps_its_filters_on_every_page() {
    let server = MockServer::start().await;
    let catalog: Vec<Value> = (1..=5).map(|i| product(3000 + i)).collect();
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(Catalog::new(catalog, PageIn::Query))
        .mount(&server)
        .await;
    let items = collect(
        client(&server)
            .products(|q| {
                q.country_iso_code("PER")
                    .service_id(1)
                    .type_(ProductType::FixedValueRecharge)
                    .tags("AIRTIME,PROMO")
                    .benefit_types("TALKTIME,DATA")
            })
            .per_page(2)
            .unwrap()
            .items(),
    )
    .await;
    let ids: Vec<i64> = items
        .into_iter()
        .map(|p| p.unwrap().ok().unwrap().id())
        .collect();
    assert_eq!(ids, [3001, 3002, 3003, 3004, 3005]);

    let received = requests(&server).await;
    assert_authenticated(&received);
    assert_eq!(pages_requested(&received), [1, 2, 3]);
    for r in &received {
        let mut q = query(r);
        q.retain(|(k, _)| k != "page");
        q.sort();
        assert_eq!(
            q,
            [
                ("benefit_types", "TALKTIME,DATA"),
                ("country_iso_code", "PER"),
                ("per_page", "2"),
                ("service_id", "1"),
                ("tags", "AIRTIME,PROMO"),
                ("type", "FIXED_VALUE_RECHARGE"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    // Unfiltered lists default to 100 per page.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/v1/services"))
        .respond_with(page_answer(
            vec![json!({"id": 1, "name": "Mobile"})],
            Some(1),
            None,
            Some(1),
        ))
        .mount(&server)
        .await;
    let services = client(&server).services(|q| q).collect_all().await.unwrap();
    assert_eq!(services.len(), 1);
    let received = requests(&server).await;
    assert_eq!(lines(&received), ["GET /v1/services"]);
    let mut q = query(&received[0]);
    q.sort();
    assert_eq!(
        q,
        [
            ("page".to_string(), "1".to_string()),
            ("per_page".to_string(), "100".to_string())
        ]
    );
}

/// Filters 1.0.0 does not have (`subservice_id`, `Accept-Language`,
/// `service_id` on operators) are not setters of its generated builders, so
/// using them does not compile; a value its spec refuses, or a product type
/// that came after 1.0.0, is refused before anything is sent.
#[tokio::test]
async fn values_1_0_0_refuses_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let client = client(&server);
    let reason = refused(
        client
            .products(|q| q.type_("RANGED_VALUE_PAYMENT"))
            .first_page()
            .await,
    );
    assert!(reason.contains("type"), "{reason}");
    let reason = refused(
        client
            .products(|q| q.country_iso_code("per"))
            .first_page()
            .await,
    );
    assert!(reason.contains("country_iso_code"), "{reason}");
    // The shared checks hold in 1.0.0 too.
    match client
        .create_transaction(&NewTransaction::new(" ", 1))
        .await
    {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "external_id"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    let reason = refused(
        client
            .transactions(|q| q.product_type(ProductType::from("RANGED_VALUE_PAYMENT")))
            .first_page()
            .await,
    );
    assert!(reason.contains("product_type"), "{reason}");
    assert!(
        requests(&server).await.is_empty(),
        "nothing was sent for a refused value"
    );
    // The 1.0.0 type list is what is accepted.
    assert!(client
        .products(|q| q.type_("RANGED_VALUE_PIN_PURCHASE"))
        .first_page()
        .await
        .is_ok());
}

/// The reason of an input refused before sending.
fn refused<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidInput { reason, .. }) => reason,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[tokio::test]
async fn a_payment_product_is_unknown_to_1_0_0() {
    let server = MockServer::start().await;
    let payment = json!({
        "id": 52018,
        "name": "Enel Peru electricity bill",
        "description": "Pay an Enel Peru electricity bill",
        "type": "RANGED_VALUE_PAYMENT",
        "service": {"id": 7, "name": "Bill Payment"},
        "operator": {"id": 5120, "name": "Enel Peru", "country": {"name": "Peru", "iso_code": "PER", "regions": null}, "regions": null}
    });
    Mock::given(method("GET"))
        .and(path("/v1/products"))
        .respond_with(page_answer(
            vec![product(PRODUCT_ID), payment.clone()],
            Some(1),
            None,
            Some(1),
        ))
        .mount(&server)
        .await;
    let items: Vec<Product> = client(&server)
        .products(|q| q)
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.ok().unwrap())
        .collect();
    assert!(matches!(items[0], Product::FixedValueRecharge(_)));
    assert_eq!(items[1], Product::Unknown(payment));
    assert_eq!(items[1].id(), 52018);
    assert_eq!(items[1].name(), "Enel Peru electricity bill");
    // A type 1.0.0 does not list: kept as sent, still ranged by its name.
    assert_eq!(
        items[1].product_type(),
        ProductType::from("RANGED_VALUE_PAYMENT")
    );
    assert!(!items[1].product_type().is_known());
    assert!(items[1].is_unknown() && items[1].is_ranged());
}

#[tokio::test]
async fn callbacks_are_verified_and_secrets_stay_out_of_debug() {
    let server = MockServer::start().await;
    let mut completed = tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 7);
    completed["pin"] = json!({"code": "5521-8830-4417", "serial": "CLPE0611-0458"});
    Mock::given(method("GET"))
        .and(path("/v1/transactions/2811470365"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completed))
        .mount(&server)
        .await;
    let client = client(&server);

    let claimed = serde_json::to_vec(&tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 2)).unwrap();
    let verified = client.verify_callback(&claimed).await.unwrap();
    assert_eq!(verified.status_class(), StatusClass::Completed);
    assert_eq!(verified.pin().unwrap().code(), Some("5521-8830-4417"));
    let forged = serde_json::to_vec(&tx(TX_ID, EXTERNAL_ID, PRODUCT_ID, 9)).unwrap();
    assert!(matches!(
        client.verify_callback(&forged).await.unwrap_err(),
        Error::InvalidInput {
            field: "callback",
            ..
        }
    ));

    let shown = format!("{client:?} {verified:?}");
    assert!(shown.contains("v1_0::Client"), "{shown}");
    for secret in [
        KEY.to_string(),
        SECRET.to_string(),
        b64(&format!("{KEY}:{SECRET}")),
        "5521-8830-4417".to_string(),
    ] {
        assert!(!shown.contains(&secret), "Debug shows {secret}: {shown}");
    }
    let received = requests(&server).await;
    assert_eq!(lines(&received), ["GET /v1/transactions/2811470365"; 2]);
    assert_authenticated(&received);
}
