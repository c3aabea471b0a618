//! Every operation of the spec, exercised once or more, each response
//! validated against the spec (by `support::Api`), plus the helper's
//! OpenAPI → JSON Schema translation itself.

use crate::support::{self, create_body, gtm_number, gtm_recharge, spec, translate};
use serde_json::json;

#[tokio::test]
async fn every_operation_answers_as_the_spec_says() {
    let (sim, api) = support::start(support::config()).await;

    // Discovery, successes and not-found errors.
    let services = api.get("/services").await.expect(200);
    assert_eq!(services.items().len(), 8);
    api.get("/services?country_iso_code=GTM").await.expect(200);
    api.get("/services/1").await.expect(200);
    api.get("/services/99").await.expect_error(404, 1005004);
    let countries = api.get("/countries?per_page=100").await.expect(200);
    let codes: Vec<&str> = countries
        .items()
        .iter()
        .map(|c| c["iso_code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"GXX") && codes.contains(&"EXX"),
        "{codes:?}"
    );
    api.get("/countries?service_id=1&subservice_id=11")
        .await
        .expect(200);
    api.get("/countries/EXX").await.expect(200);
    api.get("/countries/IND").await.expect(200);
    api.get("/countries/ZZZ").await.expect_error(404, 1005005);
    let operators = api.get("/operators?country_iso_code=IND").await.expect(200);
    let op_id = operators.items()[0]["id"].as_i64().unwrap();
    api.get(&format!("/operators/{op_id}")).await.expect(200);
    api.get("/operators/999999")
        .await
        .expect_error(404, 1005006);
    let benefit_types = api.get("/benefit-types").await.expect(200);
    assert_eq!(benefit_types.items().len(), 5);
    let promotions = api.get("/promotions").await.expect(200);
    let promo_id = promotions.items()[0]["id"].as_i64().unwrap();
    api.get(&format!("/promotions/{promo_id}"))
        .await
        .expect(200);
    api.get("/promotions/999999")
        .await
        .expect_error(404, 1003201);
    let campaigns = api.get("/campaigns").await.expect(200);
    let campaign_id = campaigns.items()[0]["id"].as_i64().unwrap();
    api.get(&format!("/campaigns/{campaign_id}"))
        .await
        .expect(200);
    api.get("/campaigns/999999")
        .await
        .expect_error(404, 1003301);

    // Every product of the catalog, page by page (all five types).
    let mut page = 1;
    loop {
        let r = api
            .get(&format!("/products?per_page=100&page={page}"))
            .await
            .expect(200);
        match r.header_u64("X-Next-Page") {
            Some(next) => page = next,
            None => break,
        }
    }
    for t in dvs::v1_21::ProductType::KNOWN {
        let p = api.product(&format!("type={t}")).await;
        api.get(&format!("/products/{}", p["id"])).await.expect(200);
    }
    api.get("/products/999999").await.expect_error(404, 1003001);

    // Transactions: create, get, list, confirm, cancel, errors.
    let product = gtm_recharge(&api).await;
    let created = api
        .create(create_body("schema-1", product, &gtm_number("100"), false))
        .await
        .expect(201);
    let id = created.body["id"].as_i64().unwrap();
    api.get(&format!("/transactions/{id}")).await.expect(200);
    api.get("/transactions").await.expect(200);
    api.get("/transactions?external_id=schema-1")
        .await
        .expect(200);
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect(202);
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect_error(400, 1007002);
    let second = api
        .create(create_body("schema-2", product, &gtm_number("100"), false))
        .await
        .expect(201);
    let second = second.body["id"].as_i64().unwrap();
    api.post(&format!("/transactions/{second}/cancel"), json!({}))
        .await
        .expect(202);
    api.post(&format!("/transactions/{second}/cancel"), json!({}))
        .await
        .expect_error(400, 1007005);
    let sync = api
        .post(
            "/sync/transactions",
            create_body("schema-3", product, &gtm_number("100"), true),
        )
        .await
        .expect(201);
    assert_eq!(sync.body["status"]["message"], "COMPLETED", "{}", sync.body);
    let fourth = api
        .post(
            "/sync/transactions",
            create_body("schema-4", product, &gtm_number("101"), false),
        )
        .await
        .expect(201);
    let fourth = fourth.body["id"].as_i64().unwrap();
    let confirmed = api
        .post(&format!("/sync/transactions/{fourth}/confirm"), json!({}))
        .await
        .expect(202);
    assert_eq!(confirmed.body["status"]["message"], "COMPLETED");
    api.post("/sync/transactions/1/confirm", json!({}))
        .await
        .expect_error(404, 1008004);
    api.get("/transactions/1").await.expect_error(404, 1008004);
    api.create(create_body("schema-1", product, &gtm_number("100"), false))
        .await
        .expect_error(400, 1007001);

    // Balances and look-ups.
    api.get("/balances").await.expect(200);
    api.get("/balances?unit_type=CURRENCY&unit=USD")
        .await
        .expect(200);
    let lookup = api
        .post(
            "/lookup/mobile-number",
            json!({"mobile_number": gtm_number("100")}),
        )
        .await
        .expect(200);
    assert!(lookup.items().iter().any(|o| o["identified"] == true));
    api.post("/lookup/mobile-number", json!({"mobile_number": "12345"}))
        .await
        .expect_error(400, 1005003);
    let in_path = api
        .get(&format!(
            "/lookup/mobile-number/{}?per_page=100",
            gtm_number("100")
        ))
        .await
        .expect(200);
    assert_eq!(in_path.body, lookup.body);
    api.get("/lookup/mobile-number/12345")
        .await
        .expect_error(400, 1005003);
    let mut inquiry = None;
    let mut page = 1;
    'pages: loop {
        let r = api
            .get(&format!(
                "/products?type=RANGED_VALUE_PAYMENT&per_page=100&page={page}"
            ))
            .await
            .expect(200);
        for p in r.items() {
            if p["payment"]["supports_statement_inquiry"] == true {
                inquiry = Some(p["id"].as_i64().unwrap());
                break 'pages;
            }
        }
        match r.header_u64("X-Next-Page") {
            Some(n) => page = n,
            None => break,
        }
    }
    let inquiry = inquiry.expect("a payment product supporting statement inquiry");
    api.post(
        "/lookup/statement-inquiry",
        json!({"product_id": inquiry, "account_number": "ACC-778899"}),
    )
    .await
    .expect(200);
    api.post(
        "/lookup/statement-inquiry",
        json!({"product_id": product, "account_number": "ACC-778899"}),
    )
    .await
    .expect_error(400, 1007500);
    api.post(
        "/lookup/credit-party-benefits",
        json!({"service_id": 1, "credit_party_identifier": {"mobile_number": gtm_number("100")}}),
    )
    .await
    .expect(200);
    api.post(
        "/lookup/credit-party-benefits",
        json!({"service_id": 2, "credit_party_identifier": {"mobile_number": gtm_number("100")}}),
    )
    .await
    .expect_error(404, 1005004);
    api.post(
        "/lookup/credit-party-status",
        json!({"service_id": 13, "credit_party_identifier": {"mobile_number": gtm_number("100")}}),
    )
    .await
    .expect(200);

    assert_eq!(
        api.operations_seen(),
        spec().operation_ids(),
        "every operation was exercised"
    );
    assert_eq!(spec().operation_ids().len(), 26);
    drop(sim);
}

#[test]
fn nullable_and_write_only_are_translated() {
    let t = translate(&json!({"type": "string", "nullable": true}), true);
    assert_eq!(t, json!({"type": ["string", "null"]}));
    let t = translate(
        &json!({"type": "string", "enum": ["A"], "nullable": true}),
        true,
    );
    assert_eq!(t, json!({"type": ["string", "null"], "enum": ["A", null]}));
    let t = translate(
        &json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true}),
        true,
    );
    assert_eq!(
        t,
        json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/definitions/X"}]}]})
    );
    let t = translate(
        &json!({"type": "object", "properties": {
            "a": {"type": "integer", "writeOnly": true},
            "nullable": {"type": "string"}},
            "required": ["a", "nullable"]}),
        true,
    );
    assert_eq!(
        t,
        json!({"type": "object", "properties": {"a": {"type": "integer"}, "nullable": {"type": "string"}},
               "required": ["nullable"]})
    );
}

#[test]
fn the_validator_refuses_bodies_off_the_spec() {
    use reqwest::header::HeaderMap;
    use reqwest::Method;
    let bad = json!({"id": 1, "name": "Mobile"}); // subservices missing
    let result = std::panic::catch_unwind(|| {
        spec().validate(&Method::GET, "/v1/services/1", 200, &HeaderMap::new(), &bad)
    });
    assert!(result.is_err(), "a body missing a required field must fail");
    let good = json!({"id": 1, "name": "Mobile", "subservices": null});
    spec().validate(
        &Method::GET,
        "/v1/services/1",
        200,
        &HeaderMap::new(),
        &good,
    );
}
