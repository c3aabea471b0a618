#![cfg(feature = "v1_21")]
#![allow(non_snake_case)] // test functions are named after the spec's operationIds
//! The request the raw 1.21.0 client sends for each operation of the spec:
//! one call per operation with every parameter set, against a mock server
//! answering with a valid body; the request received is checked in code and
//! against the spec, and snapshotted under the operationId.

#[path = "../src/normalize/mod.rs"]
#[allow(dead_code)]
mod normalize;

mod plain_json;
mod request_capture;

use dvs::v1_21::raw::{types, Client, Error, ResponseValue};
use request_capture::{
    assert_no_server_fields, assert_spec_check_rejects_bad_requests, body, country, nz, operator,
    region, s, Captured, Spec,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const SPEC: &str = "dvs-1.21.0.json";

/// Every operation test, by operationId; the functions are referenced so the
/// list cannot name a test that does not exist.
const COVERED: &[(&str, fn())] = &[
    ("getServices", getServices),
    ("getServiceById", getServiceById),
    ("getCountries", getCountries),
    ("getCountryByIsoCode", getCountryByIsoCode),
    ("getOperators", getOperators),
    ("getOperatorById", getOperatorById),
    ("getBenefitTypes", getBenefitTypes),
    ("getPromotions", getPromotions),
    ("getPromotionById", getPromotionById),
    ("getCampaigns", getCampaigns),
    ("getCampaignById", getCampaignById),
    ("getProducts", getProducts),
    ("getProductById", getProductById),
    ("postTransactionAsync", postTransactionAsync),
    ("postTransactionSync", postTransactionSync),
    ("getTransactionById", getTransactionById),
    ("getTransactions", getTransactions),
    ("postTransactionConfirmAsync", postTransactionConfirmAsync),
    ("postTransactionConfirmSync", postTransactionConfirmSync),
    ("postTransactionCancel", postTransactionCancel),
    ("getBalances", getBalances),
    ("postLookupMobileNumber", postLookupMobileNumber),
    ("getLookupMobileNumber", getLookupMobileNumber),
    ("postLookupStatementInquiry", postLookupStatementInquiry),
    (
        "postLookupCreditPartyBenefits",
        postLookupCreditPartyBenefits,
    ),
    ("postLookupCreditPartyStatus", postLookupCreditPartyStatus),
];

/// [`request_capture::run`] with this version's client, spec and operations.
async fn run<T>(
    op: &str,
    expected: &str,
    status: u16,
    response: Value,
    call: impl AsyncFnOnce(&Client) -> Result<ResponseValue<T>, Error<types::Errors>>,
) -> Captured {
    let covered: Vec<&str> = COVERED.iter().map(|(name, _)| *name).collect();
    request_capture::run(
        op,
        expected,
        status,
        response,
        SPEC,
        &covered,
        Client::new_with_client,
        call,
    )
    .await
}

// Minimal valid response bodies.

fn service() -> Value {
    json!({"id": 1, "name": "Mobile", "subservices": [{"id": 11, "name": "Airtime"}]})
}

fn promotion() -> Value {
    json!({
        "id": 3021, "title": "Double airtime", "description": "Twice the airtime on top-ups.",
        "terms": null, "start_date": "2024-05-01T00:00:00Z", "end_date": "2024-05-31T23:59:59Z",
        "operator": {"id": 1452, "name": "Tigo Guatemala",
                     "country": {"iso_code": "GTM", "name": "Guatemala"}},
        "products": [{"id": 61234, "name": "Tigo 50 GTQ", "description": "50 GTQ airtime",
                      "type": "FIXED_VALUE_RECHARGE"}]
    })
}

fn campaign() -> Value {
    json!({
        "id": 88, "title": "Mother's Day", "description": "Bonus data for Mother's Day.",
        "terms": null, "start_date": "2024-05-01T00:00:00Z", "end_date": "2024-05-12T23:59:59Z",
        "products": [{"id": 61234, "name": "Tigo 50 GTQ", "description": "50 GTQ airtime",
                      "type": "FIXED_VALUE_RECHARGE", "operator": operator()}]
    })
}

fn product() -> Value {
    let currency =
        |unit: &str, amount: f64| json!({"unit_type": "CURRENCY", "unit": unit, "amount": amount});
    json!({
        "id": 61234, "name": "Tigo 50 GTQ", "description": "50 GTQ airtime", "tags": ["AIRTIME"],
        "service": {"id": 1, "name": "Mobile"}, "operator": operator(), "regions": [region()],
        "type": "FIXED_VALUE_RECHARGE", "validity": null,
        "required_debit_party_identifier_fields": [],
        "required_credit_party_identifier_fields": [["mobile_number"]],
        "required_sender_fields": [], "required_beneficiary_fields": [],
        "required_statement_identifier_fields": [], "required_additional_identifier_fields": [],
        "availability_zones": ["INTERNATIONAL"],
        "source": currency("USD", 6.5), "destination": currency("GTQ", 50.0),
        "prices": {"wholesale": {"unit_type": "CURRENCY", "unit": "USD", "amount": 6.2, "fee": 0.0},
                   "retail": null},
        "rates": {"base": 7.69, "wholesale": 8.06, "retail": null},
        "benefits": [], "promotions": []
    })
}

fn transaction(status_id: u32, class_id: u32, message: &str) -> Value {
    json!({
        "id": 4100123456_u64, "external_id": "ord-2024-05-01-000123",
        "creation_date": "2024-05-01T10:15:00Z",
        "status": {"id": status_id, "message": message, "class": {"id": class_id, "message": message}}
    })
}

fn created() -> Value {
    transaction(10000, 1, "CREATED")
}

// One test per operation.

#[tokio::test]
async fn getServices() {
    run(
        "getServices",
        "GET /services",
        200,
        json!([service()]),
        async |c| {
            c.get_services()
                .country_iso_code(s("GTM"))
                .page(2_u32)
                .per_page(25_u32)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getServiceById() {
    run(
        "getServiceById",
        "GET /services/1",
        200,
        service(),
        async |c| c.get_service_by_id().service_id(1_i64).send().await,
    )
    .await;
}

#[tokio::test]
async fn getCountries() {
    run(
        "getCountries",
        "GET /countries",
        200,
        json!([country()]),
        async |c| {
            c.get_countries()
                .service_id(1_i64)
                .subservice_id(11_i64)
                .page(1_u32)
                .per_page(100_u32)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getCountryByIsoCode() {
    run(
        "getCountryByIsoCode",
        "GET /countries/GTM",
        200,
        country(),
        async |c| {
            c.get_country_by_iso_code()
                .country_iso_code(s("GTM"))
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getOperators() {
    run(
        "getOperators",
        "GET /operators",
        200,
        json!([operator()]),
        async |c| {
            c.get_operators()
                .country_iso_code(s("GTM"))
                .service_id(1_i64)
                .subservice_id(11_i64)
                .page(1_u32)
                .per_page(50_u32)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getOperatorById() {
    run(
        "getOperatorById",
        "GET /operators/1452",
        200,
        operator(),
        async |c| c.get_operator_by_id().operator_id(1452_i64).send().await,
    )
    .await;
}

#[tokio::test]
async fn getBenefitTypes() {
    let benefit_types = json!([{"name": "TALKTIME"}, {"name": "DATA"}]);
    run(
        "getBenefitTypes",
        "GET /benefit-types",
        200,
        benefit_types,
        async |c| {
            c.get_benefit_types()
                .page(1_u32)
                .per_page(50_u32)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getPromotions() {
    let request = run(
        "getPromotions",
        "GET /promotions",
        200,
        json!([promotion()]),
        async |c| {
            c.get_promotions()
                .country_iso_code(s("GTM"))
                .operator_id(1452_i64)
                .product_id(nz(61234))
                .page(1_u32)
                .per_page(20_u32)
                .accept_language("es")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(request.header("accept-language"), Some("es"));
}

#[tokio::test]
async fn getPromotionById() {
    let request = run(
        "getPromotionById",
        "GET /promotions/3021",
        200,
        promotion(),
        async |c| {
            c.get_promotion_by_id()
                .promotion_id(nz(3021))
                .accept_language("es")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(request.header("accept-language"), Some("es"));
}

#[tokio::test]
async fn getCampaigns() {
    run(
        "getCampaigns",
        "GET /campaigns",
        200,
        json!([campaign()]),
        async |c| {
            c.get_campaigns()
                .country_iso_code(s("GTM"))
                .operator_id(1452_i64)
                .product_id(nz(61234))
                .page(1_u32)
                .per_page(20_u32)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getCampaignById() {
    run(
        "getCampaignById",
        "GET /campaigns/88",
        200,
        campaign(),
        async |c| c.get_campaign_by_id().campaign_id(nz(88)).send().await,
    )
    .await;
}

#[tokio::test]
async fn getProducts() {
    let request = run(
        "getProducts",
        "GET /products",
        200,
        json!([product()]),
        async |c| {
            c.get_products()
                .type_(s("FIXED_VALUE_RECHARGE"))
                .service_id(1_i64)
                .subservice_id(11_i64)
                .tags("AIRTIME,FEATURED")
                .country_iso_code(s("GTM"))
                .operator_id(1452_i64)
                .region(s("GT-GU"))
                .benefit_types("TALKTIME,DATA")
                .page(1_u32)
                .per_page(100_u32)
                .accept_language("es")
                .send()
                .await
        },
    )
    .await;
    // One comma-joined pair each, not one pair per item.
    assert_eq!(request.query_values("tags"), ["AIRTIME,FEATURED"]);
    assert_eq!(request.query_values("benefit_types"), ["TALKTIME,DATA"]);
    assert_eq!(request.header("accept-language"), Some("es"));
}

#[tokio::test]
async fn getProductById() {
    let request = run(
        "getProductById",
        "GET /products/61234",
        200,
        product(),
        async |c| {
            c.get_product_by_id()
                .product_id(nz(61234))
                .accept_language("es")
                .send()
                .await
        },
    )
    .await;
    assert_eq!(request.header("accept-language"), Some("es"));
}

#[tokio::test]
async fn postTransactionAsync() {
    let create: types::TransactionRequest = body(json!({
        "external_id": "ord-2024-05-01-000123",
        "product_id": 61234,
        "auto_confirm": true,
        "credit_party_identifier": {"mobile_number": "+50212345678"},
        "callback_url": "https://partner.example.com/dvs/callbacks"
    }));
    let request = run(
        "postTransactionAsync",
        "POST /async/transactions",
        201,
        created(),
        async |c| c.post_transaction_async().body(create).send().await,
    )
    .await;
    assert_no_server_fields(&request.body);
    assert_eq!(request.body["auto_confirm"], true);
    assert_eq!(
        request.body["credit_party_identifier"]["mobile_number"],
        "+50212345678"
    );
}

#[tokio::test]
async fn postTransactionSync() {
    let create: types::TransactionRequest = body(json!({
        "external_id": "ord-2024-05-01-000124",
        "product_id": 61300,
        "auto_confirm": true,
        "calculation_mode": "SOURCE_AMOUNT",
        "source": {"unit_type": "CURRENCY", "unit": "USD", "amount": 10.0},
        "credit_party_identifier": {"mobile_number": "+50212345678"}
    }));
    let completed = transaction(70000, 7, "COMPLETED");
    let request = run(
        "postTransactionSync",
        "POST /sync/transactions",
        201,
        completed,
        async |c| c.post_transaction_sync().body(create).send().await,
    )
    .await;
    assert_no_server_fields(&request.body);
    assert_eq!(request.body["source"]["amount"], 10.0);
}

#[tokio::test]
async fn getTransactionById() {
    run(
        "getTransactionById",
        "GET /transactions/4100123456",
        200,
        created(),
        async |c| {
            c.get_transaction_by_id()
                .transaction_id(4100123456_i64)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getTransactions() {
    let from = "2024-05-01T00:00:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    let to = "2024-05-01T23:59:59Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    let request = run(
        "getTransactions",
        "GET /transactions",
        200,
        json!([created()]),
        async |c| {
            c.get_transactions()
                .external_id("ord-2024-05-01-000123")
                .product_type(s("FIXED_VALUE_RECHARGE"))
                .service_id(1_i64)
                .subservice_id(11_i64)
                .country_iso_code(s("GTM"))
                .operator_id(1452_i64)
                .status_id(70000_i64)
                .credit_party_mobile_number(s("+50212345678"))
                .credit_party_account_number(s("1234567890"))
                .from_date(from)
                .to_date(to)
                .page(1_u32)
                .per_page(50_u32)
                .send()
                .await
        },
    )
    .await;
    // `+` survives the query encoding.
    assert_eq!(
        request.query_values("credit_party_mobile_number"),
        ["+50212345678"]
    );
}

#[tokio::test]
async fn postTransactionConfirmAsync() {
    let expected = "POST /async/transactions/4100123456/confirm";
    let confirmed = transaction(20000, 2, "CONFIRMED");
    run(
        "postTransactionConfirmAsync",
        expected,
        202,
        confirmed,
        async |c| {
            c.post_transaction_confirm_async()
                .transaction_id(4100123456_i64)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn postTransactionConfirmSync() {
    let expected = "POST /sync/transactions/4100123456/confirm";
    let completed = transaction(70000, 7, "COMPLETED");
    run(
        "postTransactionConfirmSync",
        expected,
        202,
        completed,
        async |c| {
            c.post_transaction_confirm_sync()
                .transaction_id(4100123456_i64)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn postTransactionCancel() {
    let expected = "POST /transactions/4100123456/cancel";
    let cancelled = transaction(40000, 4, "CANCELLED");
    run(
        "postTransactionCancel",
        expected,
        202,
        cancelled,
        async |c| {
            c.post_transaction_cancel()
                .transaction_id(4100123456_i64)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn getBalances() {
    let balances = json!([{"id": 1, "unit_type": "CURRENCY", "unit": "USD",
                           "available": 1500.0, "holding": 25.0, "credit_limit": 0.0}]);
    run("getBalances", "GET /balances", 200, balances, async |c| {
        c.get_balances()
            .unit_type(s("CURRENCY"))
            .unit("USD")
            .page(1_u32)
            .per_page(50_u32)
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn postLookupMobileNumber() {
    let lookup: types::MobileNumberLookupRequest =
        body(json!({"mobile_number": "+50212345678", "page": 1, "per_page": 10}));
    let operators = json!([{"id": 1452, "name": "Tigo Guatemala", "country": country(),
                            "regions": [region()], "identified": true}]);
    run(
        "postLookupMobileNumber",
        "POST /lookup/mobile-number",
        200,
        operators,
        async |c| c.post_lookup_mobile_number().body(lookup).send().await,
    )
    .await;
}

/// The deprecated GET look-up: the number goes in the path, its plus sign
/// as is (a path segment does not turn `+` into a space), paging in the
/// query; the answer decodes as the POST look-up's.
#[tokio::test]
async fn getLookupMobileNumber() {
    let operators = json!([{"id": 1452, "name": "Tigo Guatemala", "country": country(),
                            "regions": [region()], "identified": true}]);
    let request = run(
        "getLookupMobileNumber",
        "GET /lookup/mobile-number/+50212345678",
        200,
        operators,
        async |c| {
            let r = c
                .get_lookup_mobile_number()
                .mobile_number(s("+50212345678"))
                .page(2_u32)
                .per_page(10_u32)
                .send()
                .await?;
            assert_eq!(r.len(), 1);
            assert_eq!((r[0].id.0, r[0].identified), (1452, true));
            assert_eq!(r[0].country.iso_code.as_str(), "GTM");
            Ok(r)
        },
    )
    .await;
    assert_eq!(request.query_values("page"), ["2"]);
    assert_eq!(request.query_values("per_page"), ["10"]);
}

#[tokio::test]
async fn postLookupStatementInquiry() {
    let inquiry: types::StatementInquiryRequest = body(json!({
        "product_id": 70012, "account_number": "1234567890",
        "account_qualifier": "RESIDENTIAL", "page": 1, "per_page": 10
    }));
    let statements = json!([{"reference": "INV-2024-04-0042", "dates": {}, "balance": {}}]);
    let expected = "POST /lookup/statement-inquiry";
    run(
        "postLookupStatementInquiry",
        expected,
        200,
        statements,
        async |c| c.post_lookup_statement_inquiry().body(inquiry).send().await,
    )
    .await;
}

#[tokio::test]
async fn postLookupCreditPartyBenefits() {
    let lookup: types::CreditPartyBenefitsRequest = body(json!({
        "service_id": 1, "credit_party_identifier": {"mobile_number": "+50212345678"},
        "page": 1, "per_page": 10
    }));
    let benefits = json!([{"type": "DATA", "unit_type": "DATA", "unit": "GB", "amount": 2.5,
                           "expiration_date": null, "country": country()}]);
    let expected = "POST /lookup/credit-party-benefits";
    run(
        "postLookupCreditPartyBenefits",
        expected,
        200,
        benefits,
        async |c| {
            c.post_lookup_credit_party_benefits()
                .body(lookup)
                .send()
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn postLookupCreditPartyStatus() {
    let lookup: types::CreditPartyStatusRequest = body(json!({
        "service_id": 13, "credit_party_identifier": {"account_number": "8944500102198304826"}
    }));
    let status = json!({"installation_date": "2024-04-30T08:00:00Z", "activation_date": null});
    let expected = "POST /lookup/credit-party-status";
    run(
        "postLookupCreditPartyStatus",
        expected,
        200,
        status,
        async |c| {
            c.post_lookup_credit_party_status()
                .body(lookup)
                .send()
                .await
        },
    )
    .await;
}

/// A spec operation without a request test above fails here.
#[test]
fn every_spec_operation_has_a_request_test() {
    let operations = Spec::load(SPEC).operation_ids();
    assert_eq!(operations.len(), 26, "operations in {SPEC}");
    let spec: BTreeSet<String> = operations.into_iter().collect();
    assert_eq!(spec.len(), 26, "operationIds are unique");
    let covered: BTreeSet<String> = COVERED.iter().map(|(op, _)| op.to_string()).collect();
    assert_eq!(covered.len(), COVERED.len(), "an operation is listed twice");
    assert_eq!(covered, spec);
}

/// The spec check used above is not vacuous.
#[test]
fn the_spec_check_rejects_bad_requests() {
    assert_spec_check_rejects_bad_requests(SPEC, "postTransactionAsync", "/async/transactions");
}
