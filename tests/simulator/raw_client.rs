//! The crate's own generated client against the simulator: every product
//! decodes as a known type, a transaction goes through create, read,
//! confirm and list, and both mobile-number look-ups agree.

use crate::support::{self, create_body, gtm_number, gtm_recharge};
use dvs::simulator::Simulator;
use dvs::v1_21::raw::{self, types, unions::Product};
use dvs::{CallSettings, RetryPolicy, Timeouts};
use std::num::NonZeroU32;
use std::time::Duration;

/// A raw client with the simulator's credentials and no automatic retries.
pub fn raw_client(sim: &Simulator) -> raw::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let mut auth = reqwest::header::HeaderValue::from_str(&sim.authorization()).unwrap();
    auth.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, auth);
    let http = dvs::http_client_builder()
        .unwrap()
        .no_proxy()
        .default_headers(headers)
        .build()
        .unwrap();
    let settings = CallSettings::new(Timeouts::default(), RetryPolicy::none(), None);
    raw::Client::new_with_client(&sim.base_url(), http, settings)
}

#[tokio::test]
async fn every_product_decodes_as_a_known_type() {
    let (sim, _api) = support::start(support::config()).await;
    let raw = raw_client(&sim);
    let mut page = 1u32;
    let mut count = 0;
    let mut kinds = std::collections::BTreeSet::new();
    loop {
        let resp = raw
            .get_products()
            .per_page(NonZeroU32::new(100).unwrap())
            .page(NonZeroU32::new(page).unwrap())
            .send()
            .await
            .expect("products");
        let next = resp
            .headers()
            .get("X-Next-Page")
            .map(|v| v.to_str().unwrap().parse::<u32>().unwrap());
        for product in resp.into_inner() {
            count += 1;
            let kind = match product {
                Product::FixedValueRecharge(_) => "FIXED_VALUE_RECHARGE",
                Product::RangedValueRecharge(_) => "RANGED_VALUE_RECHARGE",
                Product::FixedValuePinPurchase(_) => "FIXED_VALUE_PIN_PURCHASE",
                Product::RangedValuePinPurchase(_) => "RANGED_VALUE_PIN_PURCHASE",
                Product::RangedValuePayment(_) => "RANGED_VALUE_PAYMENT",
                other => panic!("not decoded as a known type: {other:?}"),
            };
            kinds.insert(kind);
        }
        match next {
            Some(n) => page = n,
            None => break,
        }
    }
    assert_eq!(count, sim.catalog_size());
    assert_eq!(kinds.len(), 5, "{kinds:?}");
}

#[tokio::test]
async fn a_transaction_through_the_generated_client() {
    let (sim, api) = support::start(support::config()).await;
    let raw = raw_client(&sim);
    let product = gtm_recharge(&api).await;
    let body: types::TransactionRequest =
        serde_json::from_value(create_body("raw-1", product, &gtm_number("101"), false)).unwrap();
    let created = raw
        .post_transaction_async()
        .body(body)
        .send()
        .await
        .expect("created")
        .into_inner();
    let id = created.id.clone().expect("id").0;
    assert_eq!(created.external_id, "raw-1");
    let status = created.status.clone().expect("status");
    assert_eq!(status.id, Some(10000));
    let confirmed = raw
        .post_transaction_confirm_async()
        .transaction_id(types::TransactionId(id))
        .send()
        .await
        .expect("confirmed")
        .into_inner();
    assert_eq!(confirmed.status.and_then(|s| s.id), Some(20000));
    sim.wait_final(id, Duration::from_secs(10)).await.unwrap();
    let done = raw
        .get_transaction_by_id()
        .transaction_id(types::TransactionId(id))
        .send()
        .await
        .expect("read")
        .into_inner();
    let json = serde_json::to_value(&done).unwrap();
    assert_eq!(json["status"]["message"], "COMPLETED");
    assert!(
        json["pin"]["code"].is_string(),
        "101: a PIN: {}",
        json["pin"]
    );
    let list = raw
        .get_transactions()
        .external_id("raw-1".to_string())
        .send()
        .await
        .expect("list")
        .into_inner();
    assert_eq!(list.len(), 1);
    // An error body decodes as the DVS error.
    let err = raw
        .get_transaction_by_id()
        .transaction_id(types::TransactionId(1))
        .send()
        .await
        .expect_err("not found");
    match err {
        raw::Error::ErrorResponse(e) => {
            assert_eq!(e.status().as_u16(), 404);
            let body = serde_json::to_value(e.into_inner()).unwrap();
            assert_eq!(body["errors"][0]["code"], 1008004);
        }
        other => panic!("{other:?}"),
    }
    let balances = raw
        .get_balances()
        .send()
        .await
        .expect("balances")
        .into_inner();
    let b = serde_json::to_value(&balances[0]).unwrap();
    // Exactly the simulator's amount, as the JSON number's text.
    let expected = sim.balances()[0].available;
    assert_eq!(b["available"].to_string(), expected.to_string());
    assert_eq!(balances[0].available, expected);
}

/// The deprecated GET look-up through the generated client: the same
/// operators as the POST look-up, page by page, with the paging headers.
#[tokio::test]
async fn the_path_mobile_number_lookup_through_the_generated_client() {
    let (sim, _api) = support::start(support::config()).await;
    let raw = raw_client(&sim);
    let number = gtm_number("100");
    let body: types::MobileNumberLookupRequest =
        serde_json::from_value(serde_json::json!({"mobile_number": number, "per_page": 100}))
            .unwrap();
    let posted = raw
        .post_lookup_mobile_number()
        .body(body)
        .send()
        .await
        .expect("POST look-up")
        .into_inner();
    assert!(posted.len() >= 2, "GTM has 2 to 4 mobile operators");
    assert_eq!(posted.iter().filter(|o| o.identified).count(), 1);
    assert!(posted.iter().all(|o| o.country.iso_code.as_str() == "GTM"));

    let mut seen = Vec::new();
    let mut page = 1_u32;
    loop {
        let r = raw
            .get_lookup_mobile_number()
            .mobile_number(number.clone())
            .page(page)
            .per_page(1_u32)
            .send()
            .await
            .expect("GET look-up");
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        assert_eq!(header("X-Total"), Some(posted.len().to_string()));
        assert_eq!(header("X-Total-Pages"), Some(posted.len().to_string()));
        assert_eq!(header("X-Per-Page").as_deref(), Some("1"));
        assert_eq!(header("X-Page"), Some(page.to_string()));
        let next = header("X-Next-Page");
        let items = r.into_inner();
        assert_eq!(items.len(), 1);
        seen.extend(items);
        match next {
            Some(n) => page = n.parse().unwrap(),
            None => break,
        }
    }
    assert_eq!(
        serde_json::to_value(&seen).unwrap(),
        serde_json::to_value(&posted).unwrap()
    );
}
