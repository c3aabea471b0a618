#![cfg(feature = "v1_21")]
//! Money is exact end to end: amounts, prices, fees and rates are decoded
//! from the JSON number's text into `Decimal` and written back as the same
//! number, in a product, in a transaction, in a create request; a ranged
//! product's range refuses an amount before anything is sent.

mod facade_support;

use dvs::v1_21::raw::{types, unions::Product};
use dvs::v1_21::Client;
use dvs::{AmountRange, AmountValue, Credentials, Decimal, Error, Mode, RetryPolicy};
use facade_support::*;
use rust_decimal_macros::dec;
use serde_json::Value;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The amounts every test runs on, as the JSON text DVS would send.
const AMOUNTS: [&str; 5] = [
    "7.75",
    "0.1",
    "1e-7",
    "12345678901234567890.12",
    "0.30000000000000000001",
];

/// The JSON number of `text`, exactly as written.
fn num(text: &str) -> Value {
    let v: Value = serde_json::from_str(text).unwrap();
    assert_eq!(v.to_string(), text, "the test's own JSON keeps the text");
    v
}

/// The exact value of `text`.
fn exact(text: &str) -> Decimal {
    Decimal::from_str_exact(text)
        .or_else(|_| Decimal::from_scientific(text))
        .unwrap()
}

/// How an amount is written back: as it came, except that an exponent is
/// written out (`1e-7` becomes `0.0000001`, the same number).
fn written(text: &str) -> String {
    match text {
        "1e-7" => "0.0000001".to_string(),
        t => t.to_string(),
    }
}

/// `value` at `pointer` of the JSON `text` is the number `expected` wrote.
fn assert_written(text: &str, pointer: &str, expected: &str) {
    let v: Value = serde_json::from_str(text).unwrap();
    let got = v
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} in {text}"));
    assert_eq!(got.to_string(), written(expected), "{pointer}");
    assert_eq!(exact(&got.to_string()), exact(expected), "{pointer}");
}

#[test]
fn every_product_amount_decodes_and_encodes_exactly() {
    let fixed = fixture("v1_21", "products.json")[0].clone();
    assert_eq!(fixed["type"], "FIXED_VALUE_RECHARGE");
    let ranged = fixture("v1_21", "products.json")[1].clone();
    assert_eq!(ranged["type"], "RANGED_VALUE_RECHARGE");
    for text in AMOUNTS {
        let mut p = fixed.clone();
        for pointer in [
            "/destination/amount",
            "/source/amount",
            "/prices/wholesale/amount",
            "/prices/wholesale/fee",
            "/prices/retail/amount",
            "/rates/base",
            "/rates/retail",
            "/benefits/0/amount/base",
        ] {
            *p.pointer_mut(pointer).unwrap() = num(text);
        }
        let json_in = serde_json::to_string(&p).unwrap();
        assert!(json_in.contains(&format!("\"amount\":{text}")), "{json_in}");

        // Decoded exactly, by the generated types and by the facade.
        let product: Product = serde_json::from_str(&json_in).unwrap();
        let Product::FixedValueRecharge(f) = &product else {
            panic!("{product:?}")
        };
        let d = exact(text);
        assert_eq!(f.destination.amount, d);
        assert_eq!(f.source.amount, d);
        assert_eq!(f.prices.wholesale.amount, d);
        assert_eq!(f.prices.wholesale.fee, d);
        assert_eq!(f.prices.retail.as_ref().unwrap().amount, Some(d));
        assert_eq!((f.rates.base, f.rates.retail), (d, Some(d)));
        assert_eq!(f.benefits.as_ref().unwrap()[0].amount.base, d);
        assert_eq!(product.destination().unwrap().value, AmountValue::Fixed(d));
        // As written, not only numerically (the scale is kept).
        if !text.contains('e') {
            assert_eq!(f.destination.amount.to_string(), text);
        }

        // Encoded again: the same numbers.
        let json_out = serde_json::to_string(&product).unwrap();
        for pointer in [
            "/destination/amount",
            "/prices/wholesale/fee",
            "/prices/retail/amount",
            "/rates/retail",
            "/benefits/0/amount/base",
        ] {
            assert_written(&json_out, pointer, text);
        }

        // A range too: the facade's typed range is exact.
        let mut r = ranged.clone();
        r["destination"]["amount"]["min"] = num(text);
        r["destination"]["amount"]["max"] = num("99999999999999999999999.99");
        r["destination"]["amount"]["increment"] = num(text);
        let product: Product = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        let range = *product.destination().unwrap().range().unwrap();
        assert_eq!(
            (range.min, range.max, range.increment),
            (Some(d), Some(exact("99999999999999999999999.99")), Some(d))
        );
        assert!(range.check(d + d + d).is_ok(), "{text}: min + 2 steps");
    }
}

#[test]
fn every_transaction_amount_decodes_and_encodes_exactly() {
    let base = fixture("v1_21", "transaction.json");
    for text in AMOUNTS {
        let mut t = base.clone();
        for pointer in [
            "/prices/wholesale/amount",
            "/prices/retail/fee",
            "/rates/wholesale",
            // In an untagged union (fixed or ranged benefit).
            "/benefits/0/amount/base",
            "/benefits/0/amount/total_including_tax",
        ] {
            *t.pointer_mut(pointer).unwrap() = num(text);
        }
        let json_in = serde_json::to_string(&t).unwrap();
        let d = exact(text);
        // From the text and from a `serde_json::Value`: both exact.
        let from_text: types::Transaction = serde_json::from_str(&json_in).unwrap();
        let from_value: types::Transaction = serde_json::from_value(t.clone()).unwrap();
        assert_eq!(from_text, from_value);
        let prices = from_text.prices.as_ref().unwrap();
        assert_eq!(prices.wholesale.amount, d);
        assert_eq!(prices.retail.as_ref().unwrap().fee, Some(d));
        assert_eq!(from_text.rates.as_ref().unwrap().wholesale, d);
        let benefits = from_text.benefits.as_ref().unwrap();
        let types::TransactionBenefitsItem::FixedBenefit(b) = &benefits[0] else {
            panic!("{benefits:?}")
        };
        assert_eq!((b.amount.base, b.amount.total_including_tax), (d, d));

        let json_out = serde_json::to_string(&from_text).unwrap();
        for pointer in [
            "/prices/wholesale/amount",
            "/prices/retail/fee",
            "/rates/wholesale",
            "/benefits/0/amount/base",
        ] {
            assert_written(&json_out, pointer, text);
        }
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v1", server.uri()))
        .credentials(Credentials::new(KEY, SECRET))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .read_timeout(Duration::from_secs(5))
        .transaction_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// The transaction DVS answers to a create of `amount` GTQ of product 31204.
fn created(external_id: &str, amount: &str) -> Value {
    let mut t = fixture("v1_21", "transaction.json");
    t["external_id"] = external_id.into();
    t["product"]["id"] = 31204.into();
    t["credit_party_identifier"]["mobile_number"] = "+50212345100".into();
    t["requested_values"]["destination"] =
        serde_json::json!({"unit_type": "CURRENCY", "unit": "GTQ", "amount": num(amount)});
    t
}

#[tokio::test]
async fn a_create_sends_the_amount_as_written_and_reads_the_answer_exactly() {
    for (i, text) in AMOUNTS.iter().enumerate() {
        let server = MockServer::start().await;
        let external_id = format!("exact-{i}");
        Mock::given(method("POST"))
            .and(path("/v1/async/transactions"))
            .respond_with(ResponseTemplate::new(201).set_body_json(created(&external_id, text)))
            .mount(&server)
            .await;
        let tx = dvs::NewTransaction::new(&external_id, 31204)
            .credit_party_mobile_number("+50212345100")
            .destination_amount("GTQ", exact(text));
        let done = client(&server)
            .create_transaction(&tx, Mode::Async)
            .await
            .unwrap();
        let shown = done.requested_values.as_ref().unwrap();
        assert_eq!(shown.destination.as_ref().unwrap().amount, exact(text));

        let received = requests(&server).await;
        assert_eq!(lines(&received), ["POST /v1/async/transactions"]);
        // The body's text carries the number as written.
        let sent = std::str::from_utf8(&received[0].body).unwrap();
        assert!(
            sent.contains(&format!("\"amount\":{}", written(text))),
            "{sent}"
        );
        assert_written(sent, "/destination/amount", text);
    }
}

/// A ranged product whose destination is 7.75..=775 GTQ in steps of 1.
fn ranged_product() -> Value {
    let mut p = fixture("v1_21", "products.json")[1].clone();
    p["id"] = 31204.into();
    p["destination"] = serde_json::json!({"unit_type": "CURRENCY", "unit": "GTQ",
        "amount": {"min": num("7.75"), "max": 775, "increment": 1}});
    p
}

#[test]
fn a_range_accepts_min_plus_whole_steps_only() {
    let range = AmountRange::new(Some(dec!(7.75)), Some(dec!(775)), Some(dec!(1)));
    // The maximum is inclusive even off the steps.
    for ok in [dec!(7.75), dec!(8.75), dec!(774.75), dec!(775), dec!(7.750)] {
        assert!(range.check(ok).is_ok(), "{ok}");
    }
    let err = range.check(dec!(25)).unwrap_err();
    let Error::InvalidInput { field, reason } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*field, "amount");
    assert!(
        reason.contains("(25 - 7.75) is not a multiple of the step 1"),
        "{reason}"
    );
    assert!(reason.contains("7.75..=775 (step 1)"), "{reason}");
    for (bad, why) in [
        (dec!(7.74), "below the minimum 7.75"),
        (dec!(775.75), "above the maximum 775"),
        (
            dec!(774.5),
            "(774.5 - 7.75) is not a multiple of the step 1",
        ),
        (dec!(8.7500001), "is not a multiple"),
    ] {
        let reason = range.check(bad).unwrap_err().to_string();
        assert!(reason.contains(why), "{bad}: {reason}");
    }
    // Exact where binary floats are not: 0.1 + 0.2 is a step of 0.1 from 0.
    let tenths = AmountRange::new(Some(dec!(0)), None, Some(dec!(0.1)));
    assert!(tenths.check(dec!(0.1) + dec!(0.2)).is_ok());
    // Without bounds or step, anything goes.
    assert!(AmountRange::default().check(dec!(123.456)).is_ok());
}

#[tokio::test]
async fn an_amount_the_range_refuses_is_never_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/products/31204"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ranged_product()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created("in-range", "8.75")))
        .mount(&server)
        .await;
    let client = client(&server);
    let product = client.product(31204, None).await.unwrap().value;
    let range = *product.destination().unwrap().range().unwrap();
    assert_eq!(range.to_string(), "7.75..=775 (step 1)");
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/v1/async/transactions"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created("in-range", "8.75")))
        .mount(&server)
        .await;

    let refused = product
        .new_transaction("out-of-steps")
        .credit_party_mobile_number("+50212345100")
        .destination_amount("GTQ", dec!(25));
    let err = client
        .create_transaction(&refused, Mode::Async)
        .await
        .unwrap_err();
    let Error::InvalidInput { field, reason } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*field, "destination.amount");
    for part in ["7.75", "775", "step 1", "(25 - 7.75)"] {
        assert!(reason.contains(part), "{part}: {reason}");
    }
    assert!(!err.is_retryable());
    assert!(
        requests(&server).await.is_empty(),
        "nothing is sent for a refused amount"
    );

    // An amount the range accepts goes out, as written.
    let accepted = product
        .new_transaction("in-range")
        .credit_party_mobile_number("+50212345100")
        .destination_amount("GTQ", dec!(8.75));
    client
        .create_transaction(&accepted, Mode::Async)
        .await
        .unwrap();
    let received = requests(&server).await;
    assert_eq!(lines(&received), ["POST /v1/async/transactions"]);
    let sent = body(&received[0]);
    assert_eq!(sent["destination"]["amount"].to_string(), "8.75");
    assert_eq!(sent["product_id"], 31204);
}
