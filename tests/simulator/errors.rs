//! Errors as documented: authentication, unknown ids, invalid numbers, bad
//! input of every kind (never a 500), paging limits and headers, filters
//! that need each other, the 24-hour window, and rate limiting.

use crate::support::{self, create_body, gtm_number, gtm_recharge};
use dvs::simulator::SimulatorConfig;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn basic_auth_is_required() {
    let (_sim, api) = support::start(support::config()).await;
    let r = api
        .send(Method::GET, "/products", None, None)
        .await
        .expect_error(401, 1000401);
    assert!(r.header("WWW-Authenticate").is_some());
    let wrong = format!("Basic {}", base64_encode("simulator-key:wrong"));
    api.send(Method::GET, "/balances", None, Some(&wrong))
        .await
        .expect_error(401, 1000401);
    api.send(Method::GET, "/balances", None, Some("Bearer abc"))
        .await
        .expect_error(401, 1000401);
    api.send(Method::GET, "/balances", None, Some("Basic !!!"))
        .await
        .expect_error(401, 1000401);
    api.get("/balances").await.expect(200);

    // Configured credentials, and "any non-empty pair".
    let (sim, api) = support::start(support::config().credentials("k1", "s1")).await;
    assert_eq!(sim.credentials(), ("k1".to_string(), "s1".to_string()));
    api.get("/balances").await.expect(200);
    let (_sim, api) = support::start(support::config().any_credentials()).await;
    let other = format!("Basic {}", base64_encode("someone:else"));
    api.send(Method::GET, "/balances", None, Some(&other))
        .await
        .expect(200);
    let empty = format!("Basic {}", base64_encode(":"));
    api.send(Method::GET, "/balances", None, Some(&empty))
        .await
        .expect_error(401, 1000401);
}

fn base64_encode(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[tokio::test]
async fn unknown_ids_have_their_codes() {
    let (_sim, api) = support::start(support::config()).await;
    api.get("/products/99999999")
        .await
        .expect_error(404, 1003001);
    api.get("/promotions/99999")
        .await
        .expect_error(404, 1003201);
    api.get("/campaigns/99999").await.expect_error(404, 1003301);
    api.get("/services/2").await.expect_error(404, 1005004);
    api.get("/countries/QQQ").await.expect_error(404, 1005005);
    api.get("/operators/99999").await.expect_error(404, 1005006);
    api.get("/transactions/3").await.expect_error(404, 1008004);
    api.create(json!({"external_id": "x-1", "product_id": 99999999}))
        .await
        .expect_error(404, 1003001);
    // Malformed ids are bad requests, not "not found".
    for path in [
        "/products/abc",
        "/products/0",
        "/products/-4",
        "/operators/1.5",
        "/transactions/x",
        "/countries/gtm",
        "/countries/GT",
    ] {
        api.get(path).await.expect_error(400, 1000400);
    }
    api.post("/transactions/abc/cancel", json!({}))
        .await
        .expect_error(400, 1000400);
    // Unknown paths.
    api.http
        .get(format!("{}/nothing-here", api.base))
        .header("Authorization", &api.auth)
        .send()
        .await
        .map(|r| assert_eq!(r.status().as_u16(), 404))
        .unwrap();
}

#[tokio::test]
async fn invalid_mobile_numbers_are_1005003() {
    let (_sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    for number in [
        "50241234100",
        "+502",
        "+0502412341",
        "+5024123410012345678",
        "+50241abc100",
    ] {
        api.create(create_body(&format!("m-{number}"), product, number, true))
            .await
            .expect_error(400, 1005003);
    }
    // A valid number of another country than the product's.
    api.create(create_body("m-sg", product, "+6595123100", true))
        .await
        .expect_error(400, 1005003);
    // Other parties have their own codes.
    let mut body = create_body("m-sender", product, &gtm_number("100"), true);
    body["sender"] = json!({"mobile_number": "123"});
    api.create(body).await.expect_error(400, 1005503);
    let mut body = create_body("m-beneficiary", product, &gtm_number("100"), true);
    body["beneficiary"] = json!({"mobile_number": "123"});
    api.create(body).await.expect_error(400, 1006503);
    let mut body = create_body("m-debit", product, &gtm_number("100"), true);
    body["debit_party_identifier"] = json!({"mobile_number": "123"});
    api.create(body).await.expect_error(400, 1006003);
    // A recharge needs a mobile number at all.
    api.create(json!({"external_id": "m-none", "product_id": product}))
        .await
        .expect_error(400, 1000400);
}

#[tokio::test]
async fn bad_input_is_400_never_500() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let bodies = [
        "".to_string(),
        "{".to_string(),
        "{\"external_id\": ".to_string(),
        "[]".to_string(),
        "null".to_string(),
        "42".to_string(),
        "\"text\"".to_string(),
        "{}".to_string(),
        json!({"external_id": 5, "product_id": product}).to_string(),
        json!({"external_id": "b-1", "product_id": "abc"}).to_string(),
        json!({"external_id": "b-2", "product_id": 1.5}).to_string(),
        json!({"external_id": "b-3", "product_id": product, "auto_confirm": "yes"}).to_string(),
        json!({"external_id": "", "product_id": product}).to_string(),
        json!({"external_id": "   ", "product_id": product}).to_string(),
        json!({"external_id": "x".repeat(41), "product_id": product}).to_string(),
        json!({"external_id": "b-4", "product_id": 0}).to_string(),
        json!({"external_id": "b-5", "product_id": product, "credit_party_identifier": "+50241234100"}).to_string(),
        json!({"external_id": "b-6", "product_id": product, "credit_party_identifier": {}}).to_string(),
        json!({"external_id": "b-7", "product_id": product, "calculation_mode": "BOTH"}).to_string(),
        json!({"external_id": "b-8", "product_id": product, "callback_url": "not a url"}).to_string(),
        json!({"external_id": "b-9", "product_id": product, "callback_url": "ftp://example.com/x"}).to_string(),
        json!({"external_id": "b-10", "product_id": product, "source": {"unit_type": "CURRENCY", "unit": "USD", "amount": -1}}).to_string(),
        json!({"external_id": "b-11", "product_id": product, "sender": {}}).to_string(),
        json!({"external_id": "b-12", "product_id": product, "statement_identifier": {"due_date": "tomorrow"}}).to_string(),
        json!({"external_id": "b-13", "product_id": product, "additional_identifier": {"purchaser_id": "short"}}).to_string(),
        json!({"external_id": "b-14", "product_id": product, "sender": {"nationality_country_iso_code": "gt"}}).to_string(),
        json!({"external_id": "b-15", "product_id": 99999999999999999999u128.to_string()}).to_string(),
        "{\"external_id\": \"b-16\", \"product_id\": 99999999999999999999}".to_string(),
        "{\"external_id\": \"b-17\", \"product_id\": 1} trailing".to_string(),
    ];
    for body in &bodies {
        for path in ["/async/transactions", "/sync/transactions"] {
            let r = api.post_raw(path, body).await;
            assert_eq!(r.status, 400, "{path} {body}: {}", r.body);
            assert_eq!(r.code(), 1000400, "{path} {body}");
        }
    }
    for path in [
        "/lookup/mobile-number",
        "/lookup/statement-inquiry",
        "/lookup/credit-party-benefits",
        "/lookup/credit-party-status",
    ] {
        for body in ["", "{", "[]", "{}", "{\"page\": \"one\"}"] {
            api.post_raw(path, body).await.expect_error(400, 1000400);
        }
    }
    api.post(
        "/lookup/mobile-number",
        json!({"mobile_number": gtm_number("100"), "per_page": 101}),
    )
    .await
    .expect_error(400, 1000400);
    api.post(
        "/lookup/credit-party-status",
        json!({"service_id": 1, "credit_party_identifier": {}}),
    )
    .await
    .expect_error(400, 1000400);
    // Nothing was recorded by any of them.
    assert!(sim.transactions().is_empty());
    // Wrong methods.
    api.send(Method::DELETE, "/products", None, Some(&api.auth.clone()))
        .await
        .expect_error(400, 1000400);
}

#[tokio::test]
async fn paging_limits_and_headers() {
    let (sim, api) = support::start(support::config()).await;
    for q in [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "per_page=101",
        "per_page=1.5",
        "page=",
    ] {
        for path in [
            "/products",
            "/services",
            "/countries",
            "/operators",
            "/benefit-types",
            "/promotions",
            "/campaigns",
            "/transactions",
            "/balances",
        ] {
            api.get(&format!("{path}?{q}"))
                .await
                .expect_error(400, 1000400);
        }
    }
    // Defaults: 50 per page.
    let r = api.get("/products").await.expect(200);
    assert_eq!(r.items().len(), 50);
    assert_eq!(r.header_u64("X-Per-Page"), Some(50));
    assert_eq!(r.header_u64("X-Page"), Some(1));
    assert_eq!(r.header_u64("X-Total"), Some(sim.catalog_size() as u64));
    assert_eq!(r.header_u64("X-Total-Pages"), Some(12));
    assert_eq!(r.header_u64("X-Next-Page"), Some(2));
    assert!(
        r.header("X-Prev-Page").is_none(),
        "no previous page on page 1"
    );
    // Middle and last pages.
    let r = api.get("/products?per_page=100&page=3").await.expect(200);
    assert_eq!(
        (r.header_u64("X-Prev-Page"), r.header_u64("X-Next-Page")),
        (Some(2), Some(4))
    );
    let r = api.get("/products?per_page=100&page=6").await.expect(200);
    assert_eq!(r.items().len(), 100);
    assert!(
        r.header("X-Next-Page").is_none(),
        "no next page on the last page"
    );
    assert_eq!(r.header_u64("X-Prev-Page"), Some(5));
    // Past the end: empty.
    let r = api.get("/products?per_page=100&page=9").await.expect(200);
    assert!(r.items().is_empty());
    assert!(r.header("X-Next-Page").is_none());
    // A single page has neither.
    let r = api.get("/benefit-types").await.expect(200);
    assert_eq!(r.header_u64("X-Total-Pages"), Some(1));
    assert!(r.header("X-Next-Page").is_none() && r.header("X-Prev-Page").is_none());
    // An empty list.
    let r = api.get("/transactions").await.expect(200);
    assert_eq!(r.header_u64("X-Total"), Some(0));
    assert!(r.header("X-Next-Page").is_none() && r.header("X-Prev-Page").is_none());
    // Look-ups page through their body.
    let r = api
        .post(
            "/lookup/mobile-number",
            json!({"mobile_number": gtm_number("100"), "per_page": 1}),
        )
        .await
        .expect(200);
    assert_eq!(r.items().len(), 1);
    assert!(r.header_u64("X-Total").unwrap() >= 2);
    assert_eq!(r.header_u64("X-Next-Page"), Some(2));
}

#[tokio::test]
async fn subservice_needs_its_service() {
    let (_sim, api) = support::start(support::config()).await;
    for path in ["/products", "/countries", "/operators", "/transactions"] {
        api.get(&format!("{path}?subservice_id=11"))
            .await
            .expect_error(400, 1000400);
        api.get(&format!("{path}?service_id=1&subservice_id=11"))
            .await
            .expect(200);
    }
    for q in [
        "type=SOMETHING",
        "benefit_types=TALKTIME,NOPE",
        "country_iso_code=gt",
        "region=in-dl",
        "service_id=0",
        "operator_id=x",
        "tags=",
    ] {
        api.get(&format!("/products?{q}"))
            .await
            .expect_error(400, 1000400);
    }
}

#[tokio::test]
async fn transaction_dates_window_is_at_most_24_hours() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let id = api
        .create(create_body("w-1", product, &gtm_number("100"), false))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    let now = sim.now();
    let fmt = |d: chrono::DateTime<chrono::Utc>| {
        d.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            .replace('+', "%2B")
    };
    let q = |from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>| {
        format!("/transactions?from_date={}&to_date={}", fmt(from), fmt(to))
    };
    let hour = chrono::TimeDelta::hours(1);
    api.get(&q(now - hour * 25, now))
        .await
        .expect_error(400, 1000400);
    api.get(&q(now, now - hour))
        .await
        .expect_error(400, 1000400);
    api.get("/transactions?from_date=yesterday")
        .await
        .expect_error(400, 1000400);
    let r = api.get(&q(now - hour * 24, now + hour)).await;
    assert_eq!(r.status, 400, "25 hours");
    let r = api.get(&q(now - hour * 23, now + hour)).await.expect(200);
    assert_eq!(r.items().len(), 1);
    assert_eq!(r.items()[0]["id"].as_i64(), Some(id));
    // Offsets are understood.
    let r = api
        .get(&format!(
            "/transactions?from_date={}",
            (now - hour).to_rfc3339().replace('+', "%2B")
        ))
        .await
        .expect(200);
    assert_eq!(r.items().len(), 1);
    // A window in the past: nothing.
    let r = api
        .get(&q(now - hour * 30, now - hour * 10))
        .await
        .expect(200);
    assert!(r.items().is_empty());
    // Default: the last 24 hours; older ones need dates or external_id.
    sim.advance(Duration::from_secs(25 * 3600));
    assert!(api
        .get("/transactions")
        .await
        .expect(200)
        .items()
        .is_empty());
    assert_eq!(
        api.get("/transactions?external_id=w-1")
            .await
            .expect(200)
            .items()
            .len(),
        1
    );
    // Other filters.
    let r = api
        .get("/transactions?external_id=w-1&status_id=40000")
        .await
        .expect(200);
    assert_eq!(r.items().len(), 1, "expired → CANCELLED");
    let r = api
        .get("/transactions?external_id=w-1&status_id=4")
        .await
        .expect(200);
    assert_eq!(r.items().len(), 1, "class ids match too");
    let number = gtm_number("100").replace('+', "%2B");
    let r = api
        .get(&format!("/transactions?external_id=w-1&credit_party_mobile_number={number}&country_iso_code=GTM&product_type=FIXED_VALUE_RECHARGE&service_id=1&subservice_id=11"))
        .await
        .expect(200);
    assert_eq!(r.items().len(), 1);
    let r = api
        .get("/transactions?external_id=w-1&country_iso_code=IND")
        .await
        .expect(200);
    assert!(r.items().is_empty());
    api.get("/transactions?credit_party_mobile_number=123")
        .await
        .expect_error(400, 1000400);
}

#[tokio::test]
async fn rate_limit_headers_and_429() {
    let (sim, api) = support::start(
        SimulatorConfig::default()
            .catalog_size(50)
            .rate_limit(5, Duration::from_secs(60)),
    )
    .await;
    for expected in (0..5).rev() {
        let r = api.get("/balances").await.expect(200);
        assert_eq!(r.header_u64("X-Ratelimit-Limit"), Some(5));
        assert_eq!(r.header_u64("X-Ratelimit-Remaining"), Some(expected));
    }
    let r = api.get("/balances").await.expect_error(429, 1000429);
    assert_eq!(r.header_u64("X-Ratelimit-Remaining"), Some(0));
    let retry_after = r.header_u64("Retry-After").unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // A new limit starts a new window.
    sim.set_rate_limit(2, Duration::from_millis(300));
    api.get("/balances").await.expect(200);
    api.get("/balances").await.expect(200);
    api.get("/balances").await.expect_error(429, 1000429);
    tokio::time::sleep(Duration::from_millis(350)).await;
    let r = api.get("/balances").await.expect(200);
    assert_eq!(r.header_u64("X-Ratelimit-Remaining"), Some(1));
}
