#![cfg(feature = "v1_0")]
//! Decoding of DVS 1.0.0 bodies with the generated types: one product of
//! every type, transactions as the server returns them, error bodies, bodies
//! carrying fields and values newer than the vendored spec, and the raw
//! client decoding the same bodies over HTTP.

use dvs::v1_0::raw::{self, types, unions::Product};
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[allow(dead_code)]
mod decode_support;
mod plain_json;

use decode_support::{date, field_sets, strs};

const VERSION: &str = "v1_0";

fn fixture(name: &str) -> String {
    decode_support::fixture(VERSION, name)
}

fn fixture_json(name: &str) -> Value {
    decode_support::fixture_json(VERSION, name)
}

fn products(name: &str) -> Vec<Product> {
    decode_support::decode(VERSION, name)
}

fn transaction(name: &str) -> types::Transaction {
    decode_support::decode(VERSION, name)
}

fn raw_client(server: &MockServer) -> raw::Client {
    raw::Client::new_with_client(
        &server.uri(),
        decode_support::authed_http(),
        dvs::CallSettings::default(),
    )
}

#[test]
fn every_product_type_decodes_into_its_variant() {
    let products = products("products.json");
    assert_eq!(products.len(), 4);

    let Product::FixedValueRecharge(p) = &products[0] else {
        panic!("expected FixedValueRecharge, got {:?}", products[0]);
    };
    assert_eq!(p.id, 1187);
    assert_eq!(p.type_.as_str(), "FIXED_VALUE_RECHARGE");
    assert_eq!(p.name, "Claro Guatemala 25 GTQ");
    assert_eq!(strs(p.tags.as_deref().unwrap()), ["AIRTIME"]);
    assert_eq!((*p.service.id, p.service.name.as_str()), (1, "Mobile"));
    assert_eq!(*p.operator.id, 1471);
    assert_eq!(p.operator.name, "Claro Guatemala");
    assert_eq!(p.operator.country.iso_code.as_str(), "GTM");
    let validity = p.validity.as_ref().unwrap();
    assert_eq!(
        (validity.unit.as_str(), validity.quantity),
        ("DAY", dec!(7.0))
    );
    assert_eq!(
        p.required_credit_party_identifier_fields,
        field_sets(&[&["mobile_number"]])
    );
    assert_eq!(p.required_sender_fields, None);
    assert_eq!(strs(&p.availability_zones), ["INTERNATIONAL"]);
    assert_eq!(
        (
            p.source.amount,
            p.source.unit.as_str(),
            p.source.unit_type.as_str()
        ),
        (dec!(3.23), "USD", "CURRENCY")
    );
    assert_eq!(
        (p.destination.amount, p.destination.unit.as_str()),
        (dec!(25.0), "GTQ")
    );
    assert_eq!(
        (p.prices.wholesale.amount, p.prices.wholesale.fee),
        (dec!(3.36), dec!(0.0))
    );
    let retail = p.prices.retail.as_ref().unwrap();
    assert_eq!(
        (retail.amount, retail.fee),
        (Some(dec!(3.75)), Some(dec!(0.0)))
    );
    assert_eq!(
        (p.rates.base, p.rates.wholesale, p.rates.retail),
        (dec!(7.739938), dec!(7.440476), Some(dec!(6.666667)))
    );
    let benefits = p.benefits.as_ref().unwrap();
    assert_eq!(
        benefits
            .iter()
            .map(|b| (
                b.type_.as_str(),
                b.unit_type.as_str(),
                b.unit.as_str(),
                b.amount.base
            ))
            .collect::<Vec<_>>(),
        [
            ("TALKTIME", "CURRENCY", "GTQ", dec!(25.0)),
            ("DATA", "DATA", "MB", dec!(500.0))
        ]
    );
    assert_eq!(
        benefits[1].additional_information.as_deref(),
        Some("Social media bundle")
    );
    assert_eq!(p.promotions, None);

    let Product::RangedValueRecharge(p) = &products[1] else {
        panic!("expected RangedValueRecharge, got {:?}", products[1]);
    };
    assert_eq!(p.id, 1534);
    assert_eq!(p.type_.as_str(), "RANGED_VALUE_RECHARGE");
    assert_eq!(*p.operator.id, 1610);
    assert_eq!(p.operator.country.iso_code.as_str(), "IND");
    assert_eq!(
        p.regions
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>(),
        ["IN-KA", "IN-TN"]
    );
    assert_eq!(
        p.validity.as_ref().map(|v| (v.unit.as_str(), v.quantity)),
        Some(("DAY", dec!(28.0)))
    );
    assert_eq!(
        p.required_sender_fields,
        Some(field_sets(&[&["first_name", "last_name"]]))
    );
    assert_eq!(
        (p.source.amount.min, p.source.amount.max),
        (Some(dec!(0.13)), Some(dec!(38.46)))
    );
    let dest = &p.destination.amount;
    assert_eq!(
        (dest.min, dest.max, dest.increment),
        (Some(dec!(10.0)), Some(dec!(3000.0)), Some(dec!(1.0)))
    );
    assert_eq!(p.prices.wholesale.amount.max, Some(dec!(36.59)));
    assert_eq!(p.prices.retail, None);
    assert_eq!(p.rates.retail, None);
    let benefit = &p.benefits.as_ref().unwrap()[0];
    assert_eq!(
        (benefit.amount.base.min, benefit.amount.base.max),
        (dec!(10.0), dec!(3000.0))
    );
    assert_eq!(benefit.amount.total_excluding_tax.max, dec!(2542.37));

    let Product::FixedValuePinPurchase(p) = &products[2] else {
        panic!("expected FixedValuePinPurchase, got {:?}", products[2]);
    };
    assert_eq!(p.id, 2048);
    assert_eq!(p.type_.as_str(), "FIXED_VALUE_PIN_PURCHASE");
    assert_eq!(*p.service.id, 4);
    assert_eq!(p.required_credit_party_identifier_fields, None);
    assert_eq!(p.pin.usage_info.as_ref().map(Vec::len), Some(2));
    assert_eq!(p.pin.validity, None);
    assert_eq!(
        p.pin.terms.as_deref(),
        Some("Valid for US PlayStation Network accounts only.")
    );
    assert_eq!(
        (p.prices.wholesale.amount, p.source.amount),
        (dec!(19.4), dec!(20.0))
    );
    let retail = p.prices.retail.as_ref().unwrap();
    assert_eq!(
        (
            retail.amount,
            retail.fee,
            retail.unit.as_deref(),
            retail.unit_type.as_ref()
        ),
        (None, None, None, None)
    );

    let Product::RangedValuePinPurchase(p) = &products[3] else {
        panic!("expected RangedValuePinPurchase, got {:?}", products[3]);
    };
    assert_eq!(p.id, 2310);
    assert_eq!(p.type_.as_str(), "RANGED_VALUE_PIN_PURCHASE");
    assert_eq!(p.operator.name, "Flipkart India");
    assert_eq!(
        p.required_beneficiary_fields,
        Some(field_sets(&[&["first_name", "last_name", "email"]]))
    );
    assert_eq!(p.destination.amount.increment, Some(dec!(100.0)));
    assert_eq!(p.prices.wholesale.fee, dec!(0.1));
    assert_eq!(
        p.pin
            .validity
            .as_ref()
            .map(|v| (v.unit.as_str(), v.quantity)),
        Some(("MONTH", dec!(12.0)))
    );
    assert_eq!(p.pin.terms, None);
}

#[test]
fn forward_compatible_products_still_decode() {
    let raw_products = fixture_json("products_forward.json");
    let products = products("products_forward.json");
    assert_eq!(products.len(), 6);

    let Product::FixedValueRecharge(p) = &products[0] else {
        panic!("expected FixedValueRecharge, got {:?}", products[0]);
    };
    assert_eq!(p.id, 1187);
    assert_eq!(*p.operator.id, 2_200_000_000);
    assert_eq!(p.operator.country.iso_code.as_str(), "GT");
    assert_eq!(
        strs(p.tags.as_deref().unwrap()),
        ["airtime", "BEST_SELLER_OF_THE_MONTH"]
    );
    let validity = p.validity.as_ref().unwrap();
    assert_eq!(
        (validity.unit.as_str(), validity.quantity),
        ("FORTNIGHT", dec!(1.0))
    );
    assert_eq!(strs(&p.availability_zones), ["INTERNATIONAL", "SPACE"]);
    assert_eq!(p.source.unit, "usd1");
    assert_eq!(p.prices.wholesale.amount, dec!(3.36));
    let benefits = p.benefits.as_ref().unwrap();
    assert_eq!(benefits.len(), 3);
    assert_eq!(
        (benefits[2].type_.as_str(), benefits[2].unit_type.as_str()),
        ("CASHBACK", "POINTS")
    );

    let Product::RangedValueRecharge(p) = &products[1] else {
        panic!("expected RangedValueRecharge, got {:?}", products[1]);
    };
    assert_eq!(p.id, 1534);
    assert_eq!(p.regions.as_ref().unwrap()[0].code.as_str(), "IN-DELHI-NCR");
    assert_eq!(p.validity.as_ref().unwrap().unit.as_str(), "BILLING_CYCLE");
    assert_eq!(p.benefits.as_ref().unwrap()[0].unit_type.as_str(), "POINTS");

    let Product::Unknown(unknown) = &products[2] else {
        panic!("expected Unknown, got {:?}", products[2]);
    };
    assert_eq!(unknown, &raw_products[2]);
    assert_eq!(unknown["type"], "FIXED_VALUE_ESIM_PURCHASE");
    assert_eq!(unknown["esim"]["data"], json!({"unit": "GB", "amount": 10}));

    let Product::FixedValuePinPurchase(p) = &products[3] else {
        panic!("expected FixedValuePinPurchase, got {:?}", products[3]);
    };
    assert_eq!(p.id, 2048);
    assert_eq!(
        strs(&p.availability_zones),
        ["DOMESTIC", "INTERNATIONAL", "SPACE"]
    );
    assert_eq!(
        p.benefits.as_ref().unwrap()[0].type_.as_str(),
        "GAMING_CREDITS"
    );

    let Product::RangedValuePinPurchase(p) = &products[4] else {
        panic!("expected RangedValuePinPurchase, got {:?}", products[4]);
    };
    assert_eq!(p.id, 2310);

    // A type added after 1.0.0 (bill payments) is unknown to this version.
    let Product::Unknown(payment) = &products[5] else {
        panic!("expected Unknown, got {:?}", products[5]);
    };
    assert_eq!(payment, &raw_products[5]);
    assert_eq!(payment["type"], "RANGED_VALUE_PAYMENT");
    assert_eq!(payment["id"], 52018);
    assert_eq!(payment["payment"]["supports_statement_inquiry"], true);
}

#[test]
fn a_product_without_a_known_type_is_unknown() {
    let no_type = json!({"id": 7, "name": "Mystery"});
    let decoded: Product = serde_json::from_value(no_type.clone()).unwrap();
    assert_eq!(decoded, Product::Unknown(no_type));
    let numeric_type = json!({"id": 8, "type": 5});
    let decoded: Product = serde_json::from_value(numeric_type.clone()).unwrap();
    assert_eq!(decoded, Product::Unknown(numeric_type));
}

/// Decodes `bad` alone and inside a list after a good product; both must
/// fail (a known type never falls through to `Unknown`). Returns the message.
fn decode_error(good: &Value, bad: Value) -> String {
    let alone = serde_json::from_value::<Product>(bad.clone())
        .expect_err("a malformed known product must not decode")
        .to_string();
    let list = serde_json::from_value::<Vec<Product>>(json!([good, bad]))
        .expect_err("a list with a malformed known product must not decode")
        .to_string();
    assert_eq!(alone, list, "same error alone and in a list");
    alone
}

#[test]
fn malformed_known_product_is_an_error_naming_the_field() {
    let fixtures = fixture_json("products.json");
    let recharge = &fixtures[0];

    let mut id_as_string = recharge.clone();
    id_as_string["id"] = json!("1187");
    let err = decode_error(recharge, id_as_string);
    assert!(err.contains("FIXED_VALUE_RECHARGE"), "{err}");
    assert!(err.contains("at `id`"), "{err}");
    assert!(err.contains("invalid type: string \"1187\""), "{err}");

    let mut no_prices = recharge.clone();
    no_prices.as_object_mut().unwrap().remove("prices");
    let err = decode_error(recharge, no_prices);
    assert!(err.contains("missing field `prices`"), "{err}");

    let mut bad_amount = recharge.clone();
    bad_amount["prices"]["wholesale"]["amount"] = json!("3.36 USD");
    let err = decode_error(recharge, bad_amount);
    assert!(err.contains("at `prices.wholesale.amount`"), "{err}");

    let pin = &fixtures[3];
    let mut bad_pin = pin.clone();
    bad_pin["pin"]["usage_info"] = json!("Add the voucher at flipkart.com");
    let err = decode_error(pin, bad_pin);
    assert!(err.contains("RANGED_VALUE_PIN_PURCHASE"), "{err}");
    assert!(err.contains("at `pin.usage_info`"), "{err}");
}

#[test]
fn transaction_response_without_write_only_fields_decodes() {
    let raw_json = fixture_json("transaction.json");
    for write_only in [
        "product_id",
        "auto_confirm",
        "calculation_mode",
        "source",
        "destination",
    ] {
        assert!(
            raw_json.get(write_only).is_none(),
            "fixture has {write_only}"
        );
    }
    let t = transaction("transaction.json");
    assert_eq!(t.id.as_ref().map(|id| **id), Some(1_907_551_230));
    assert_eq!(t.external_id, "ord-2021-06-02-004411");
    assert_eq!(t.creation_date, Some(date("2021-06-02T15:40:12.005Z")));
    assert_eq!(t.confirmation_date, Some(date("2021-06-02T15:40:12.610Z")));
    let status = t.status.as_ref().unwrap();
    assert_eq!(status.id, Some(20000));
    assert_eq!(
        status.message.as_deref().map(String::as_str),
        Some("CONFIRMED")
    );
    let class = status.class.as_ref().unwrap();
    assert_eq!((class.id, class.message.as_str()), (2, "CONFIRMED"));
    assert_eq!(t.pin, None);
    let product = t.product.as_ref().unwrap();
    assert_eq!(product.id, 1187);
    assert_eq!(*product.operator.id, 1471);
    assert_eq!(product.pin, None);
    let prices = t.prices.as_ref().unwrap();
    assert_eq!(
        (prices.wholesale.amount, prices.wholesale.fee),
        (dec!(3.36), dec!(0.0))
    );
    let benefits = t.benefits.as_ref().unwrap();
    assert_eq!(benefits.len(), 2);
    let types::TransactionBenefitsItem::FixedBenefit(data) = &benefits[1] else {
        panic!("expected a fixed benefit, got {:?}", benefits[1]);
    };
    assert_eq!(
        (data.type_.as_str(), data.unit.as_str(), data.amount.base),
        ("DATA", "MB", dec!(500.0))
    );
    let destination = t
        .requested_values
        .as_ref()
        .unwrap()
        .destination
        .as_ref()
        .unwrap();
    assert_eq!(
        (destination.amount, destination.unit.as_str()),
        (dec!(25.0), "GTQ")
    );
    assert_eq!(
        t.credit_party_identifier
            .as_ref()
            .unwrap()
            .mobile_number
            .as_deref()
            .map(String::as_str),
        Some("+50251234100")
    );
    assert_eq!(t.statement_identifier, None);
    assert_eq!(
        t.callback_url.as_deref().map(String::as_str),
        Some("https://partner.example.com/dvs/callbacks")
    );
}

#[test]
fn completed_pin_transaction_carries_code_and_serial() {
    let t = transaction("transaction_pin.json");
    assert_eq!(t.id.as_ref().map(|id| **id), Some(1_907_560_018));
    let status = t.status.as_ref().unwrap();
    assert_eq!(status.id, Some(70000));
    assert_eq!(
        status.message.as_deref().map(String::as_str),
        Some("COMPLETED")
    );
    let class = status.class.as_ref().unwrap();
    assert_eq!((class.id, class.message.as_str()), (7, "COMPLETED"));
    let pin = t.pin.as_ref().unwrap();
    assert_eq!(pin.code(), Some("MQ4R-T7ND-KX2P"));
    assert_eq!(pin.serial.as_deref(), Some("PSNUS2106020019"));
    assert_eq!(t.operator_reference.as_deref(), Some("PSN-5520913"));
    let product = t.product.as_ref().unwrap();
    assert_eq!(product.id, 2048);
    assert_eq!(
        product
            .pin
            .as_ref()
            .and_then(|p| p.usage_info.as_ref())
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        t.credit_party_identifier
            .as_ref()
            .unwrap()
            .mobile_number
            .as_deref()
            .map(String::as_str),
        Some("+6595123301")
    );
}

#[test]
fn forward_compatible_transaction_still_decodes() {
    let t = transaction("transaction_forward.json");
    assert_eq!(t.id.as_ref().map(|id| **id), Some(1_907_551_230));
    let class = t.status.as_ref().unwrap().class.as_ref().unwrap();
    assert_eq!((class.id, class.message.as_str()), (2, "CONFIRMED"));
    let product = t.product.as_ref().unwrap();
    assert_eq!(product.id, 1187);
    assert_eq!(strs(product.tags.as_deref().unwrap()), ["prepaid-airtime"]);
    assert_eq!(product.operator.country.iso_code.as_str(), "gtm");
    let prices = t.prices.as_ref().unwrap();
    assert_eq!(prices.wholesale.amount, dec!(3.36));
    assert_eq!(
        prices
            .retail
            .as_ref()
            .unwrap()
            .unit_type
            .as_ref()
            .map(|u| u.as_str()),
        Some("POINTS")
    );
    let types::TransactionBenefitsItem::FixedBenefit(benefit) = &t.benefits.as_ref().unwrap()[0]
    else {
        panic!("expected a fixed benefit");
    };
    assert_eq!(
        (
            benefit.type_.as_str(),
            benefit.unit_type.as_str(),
            benefit.amount.base
        ),
        ("CASHBACK", "POINTS", dec!(25.0))
    );
    let source = t
        .requested_values
        .as_ref()
        .unwrap()
        .source
        .as_ref()
        .unwrap();
    assert_eq!(
        (
            source.unit.as_str(),
            source.unit_type.as_str(),
            source.amount
        ),
        ("usd1", "CRYPTO", dec!(3.23))
    );
    assert_eq!(
        t.credit_party_identifier
            .as_ref()
            .unwrap()
            .mobile_number
            .as_deref()
            .map(String::as_str),
        Some("4123 4100")
    );
    let sender = t.sender.as_ref().unwrap();
    assert_eq!(
        sender.mobile_number.as_deref().map(String::as_str),
        Some("(415) 555-0123")
    );
    assert_eq!(
        sender
            .nationality_country_iso_code
            .as_deref()
            .map(String::as_str),
        Some("Guatemala")
    );
    assert_eq!(
        sender.address_postal_code.as_deref().map(String::as_str),
        Some("01010 zona 10")
    );
}

#[test]
fn error_body_decodes() {
    let errors: types::Errors = serde_json::from_str(&fixture("error.json")).unwrap();
    assert_eq!(errors.errors.len(), 1);
    assert_eq!(errors.errors[0].code, 1_008_004);
    assert_eq!(errors.errors[0].message, "Transaction not found");
}

#[test]
fn transaction_request_serializes_only_what_a_client_sends() {
    let request: types::TransactionRequest = types::TransactionRequest::builder()
        .external_id("ord-2021-06-02-004412")
        .product_id(std::num::NonZeroU32::new(1534).unwrap())
        .auto_confirm(true)
        .calculation_mode(types::CalculationModes::SourceAmount)
        // Generated structs are non-exhaustive: built with their builders.
        .source(Some(
            types::TransactionAmount::try_from(
                types::TransactionAmount::builder()
                    .amount(dec!(5.0))
                    .unit(types::NonEmptyString::from("USD".to_string()))
                    .unit_type(dvs::v1_0::UnitType::Currency),
            )
            .unwrap(),
        ))
        .credit_party_identifier(Some(
            types::PartyIdentifier::try_from(
                types::PartyIdentifier::builder()
                    .mobile_number(Some(types::E164::from("+919876543100".to_string()))),
            )
            .unwrap(),
        ))
        .try_into()
        .expect("a valid request");
    let body = serde_json::to_value(&request).unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "auto_confirm",
            "calculation_mode",
            "credit_party_identifier",
            "external_id",
            "product_id",
            "source",
        ]
    );
    for read_only in [
        "id",
        "status",
        "prices",
        "rates",
        "benefits",
        "product",
        "pin",
        "creation_date",
        "operator_reference",
    ] {
        assert!(body.get(read_only).is_none(), "request carries {read_only}");
    }
    assert_eq!(body["external_id"], "ord-2021-06-02-004412");
    assert_eq!(body["product_id"], 1534);
    assert_eq!(body["auto_confirm"], true);
    assert_eq!(body["calculation_mode"], "SOURCE_AMOUNT");
    insta::assert_json_snapshot!("v1_0_transaction_request", plain_json::Plain(&body));

    let minimal: types::TransactionRequest = types::TransactionRequest::builder()
        .external_id("ord-2021-06-02-004413")
        .product_id(std::num::NonZeroU32::new(1187).unwrap())
        .try_into()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&minimal).unwrap(),
        json!({"external_id": "ord-2021-06-02-004413", "product_id": 1187, "auto_confirm": false})
    );

    let blank: Result<types::TransactionRequest, _> = types::TransactionRequest::builder()
        .external_id("")
        .product_id(std::num::NonZeroU32::new(1187).unwrap())
        .try_into();
    assert!(blank.is_err());
}

#[test]
fn products_round_trip_keeps_type_tags_and_ids() {
    for name in ["products.json", "products_forward.json"] {
        let original = fixture_json(name);
        let decoded = products(name);
        let reencoded = serde_json::to_value(&decoded).unwrap();
        let original = original.as_array().unwrap();
        let reencoded = reencoded.as_array().unwrap();
        assert_eq!(reencoded.len(), original.len(), "{name}");
        for (before, after) in original.iter().zip(reencoded) {
            assert_eq!(after["type"], before["type"], "{name}");
            assert_eq!(after["id"], before["id"], "{name}");
            assert_eq!(after["name"], before["name"], "{name}");
        }
        let again: Vec<Product> = serde_json::from_value(Value::Array(reencoded.clone()))
            .unwrap_or_else(|e| panic!("re-decoding {name}: {e}"));
        assert_eq!(again, decoded, "{name}");
    }
    let original = fixture_json("products_forward.json");
    let reencoded = serde_json::to_value(products("products_forward.json")).unwrap();
    assert_eq!(reencoded[2], original[2]);
    assert_eq!(reencoded[5], original[5]);
}

#[tokio::test]
async fn raw_client_decodes_products_over_http() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/products"))
        .and(query_param("country_iso_code", "GTM"))
        .and(query_param("per_page", "100"))
        .and(header("authorization", "Basic a2V5OnNlY3JldA=="))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("products_forward.json"), "application/json")
                .insert_header("X-Total", "6"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = raw_client(&server);
    let response = client
        .get_products()
        .country_iso_code("GTM".to_string())
        .per_page(100)
        .send()
        .await
        .expect("products decode");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-total"], "6");
    let products = response.into_inner();
    let ids_and_variants: Vec<(i64, &str)> = products
        .iter()
        .map(|p| match p {
            Product::FixedValueRecharge(p) => (p.id, "FixedValueRecharge"),
            Product::RangedValueRecharge(p) => (p.id, "RangedValueRecharge"),
            Product::FixedValuePinPurchase(p) => (p.id, "FixedValuePinPurchase"),
            Product::RangedValuePinPurchase(p) => (p.id, "RangedValuePinPurchase"),
            Product::Unknown(v) => (v["id"].as_i64().unwrap(), "Unknown"),
        })
        .collect();
    assert_eq!(
        ids_and_variants,
        [
            (1187, "FixedValueRecharge"),
            (1534, "RangedValueRecharge"),
            (60901, "Unknown"),
            (2048, "FixedValuePinPurchase"),
            (2310, "RangedValuePinPurchase"),
            (52018, "Unknown"),
        ]
    );
    let Product::FixedValueRecharge(p) = &products[0] else {
        unreachable!()
    };
    assert_eq!(strs(&p.availability_zones), ["INTERNATIONAL", "SPACE"]);
    assert_eq!(p.benefits.as_ref().unwrap()[2].type_.as_str(), "CASHBACK");
    let Product::Unknown(payment) = &products[5] else {
        unreachable!()
    };
    assert_eq!(payment["type"], "RANGED_VALUE_PAYMENT");

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(sent.url.query(), Some("country_iso_code=GTM&per_page=100"));
    assert_eq!(sent.headers["accept"], "application/json");
    assert!(
        sent.headers.get("api-version").is_none(),
        "api-version header must be removed"
    );
}

#[tokio::test]
async fn raw_client_surfaces_404_as_error_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/transactions/1907551230"))
        .and(header("authorization", "Basic a2V5OnNlY3JldA=="))
        .respond_with(
            ResponseTemplate::new(404).set_body_raw(fixture("error.json"), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = raw_client(&server);
    let err = client
        .get_transaction_by_id()
        .transaction_id(1_907_551_230_i64)
        .send()
        .await
        .expect_err("404 is an error");
    let body = match err {
        raw::Error::ErrorResponse(body) => body,
        other => panic!("expected ErrorResponse, got {other:?}"),
    };
    assert_eq!(body.status(), 404);
    assert_eq!(body.errors.len(), 1);
    assert_eq!(body.errors[0].code, 1_008_004);
    assert_eq!(body.errors[0].message, "Transaction not found");
}
