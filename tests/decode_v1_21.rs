#![cfg(feature = "v1_21")]
//! Decoding of DVS 1.21.0 bodies with the generated types: one product of
//! every type, transactions as the server returns them, error bodies, bodies
//! carrying fields and values newer than the vendored spec, and the raw
//! client decoding the same bodies over HTTP.

use dvs::v1_21::raw::{self, types, unions::Product};
use rust_decimal_macros::dec;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[allow(dead_code)]
mod decode_support;
mod plain_json;

use decode_support::{date, field_sets, strs};

const VERSION: &str = "v1_21";

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
    assert_eq!(products.len(), 5);

    let Product::FixedValueRecharge(p) = &products[0] else {
        panic!("expected FixedValueRecharge, got {:?}", products[0]);
    };
    assert_eq!(p.id, 20385);
    assert_eq!(p.type_.as_str(), "FIXED_VALUE_RECHARGE");
    assert_eq!(p.name, "Tigo Guatemala 50 GTQ");
    assert_eq!(strs(p.tags.as_deref().unwrap()), ["AIRTIME"]);
    assert_eq!(*p.service.id, 1);
    let sub = p.service.subservice.as_ref().unwrap();
    assert_eq!(sub.id.as_ref().map(|id| **id), Some(11));
    assert_eq!(sub.name.as_deref(), Some("Airtime"));
    assert_eq!(*p.operator.id, 1473);
    assert_eq!(p.operator.name, "Tigo Guatemala");
    assert_eq!(p.operator.country.iso_code.as_str(), "GTM");
    assert_eq!(p.operator.country.regions, None);
    assert_eq!(p.validity.0, None);
    assert_eq!(
        p.required_credit_party_identifier_fields,
        field_sets(&[&["mobile_number"]])
    );
    assert_eq!(p.required_debit_party_identifier_fields, None);
    assert_eq!(p.required_additional_identifier_fields, None);
    assert_eq!(strs(&p.availability_zones), ["INTERNATIONAL"]);
    assert_eq!(
        (
            p.source.amount,
            p.source.unit.as_str(),
            p.source.unit_type.as_str()
        ),
        (dec!(6.45), "USD", "CURRENCY")
    );
    assert_eq!(
        (p.destination.amount, p.destination.unit.as_str()),
        (dec!(50.0), "GTQ")
    );
    let wholesale = &p.prices.wholesale;
    assert_eq!(
        (wholesale.amount, wholesale.fee, wholesale.unit.as_str()),
        (dec!(6.72), dec!(0.0), "USD")
    );
    let retail = p.prices.retail.as_ref().unwrap();
    assert_eq!(
        (retail.amount, retail.fee),
        (Some(dec!(7.5)), Some(dec!(0.25)))
    );
    assert_eq!(retail.unit.as_deref(), Some("USD"));
    assert_eq!(
        (p.rates.base, p.rates.wholesale, p.rates.retail),
        (dec!(7.751938), dec!(7.440476), Some(dec!(6.666667)))
    );
    let benefits = p.benefits.as_ref().unwrap();
    assert_eq!(benefits.len(), 1);
    assert_eq!(benefits[0].type_.as_str(), "CREDITS");
    assert_eq!(benefits[0].unit_type.as_str(), "CURRENCY");
    assert_eq!(benefits[0].unit, "GTQ");
    assert_eq!(
        (benefits[0].amount.base, benefits[0].amount.promotion_bonus),
        (dec!(50.0), dec!(50.0))
    );
    assert_eq!(benefits[0].amount.total_including_tax, dec!(100.0));
    assert_eq!(
        benefits[0].additional_information.as_deref(),
        Some("Promotional credit valid for 7 days")
    );
    let promotions = p.promotions.as_ref().unwrap();
    assert_eq!(promotions[0].id, 3561);
    assert_eq!(promotions[0].title, "Tigo doble saldo");
    assert_eq!(promotions[0].start_date, date("2024-03-01T06:00:00Z"));
    assert_eq!(promotions[0].end_date, date("2024-03-31T05:59:59Z"));

    let Product::RangedValueRecharge(p) = &products[1] else {
        panic!("expected RangedValueRecharge, got {:?}", products[1]);
    };
    assert_eq!(p.id, 31204);
    assert_eq!(p.type_.as_str(), "RANGED_VALUE_RECHARGE");
    assert_eq!(p.tags, None);
    assert_eq!(*p.operator.id, 1122);
    assert_eq!(p.operator.country.iso_code.as_str(), "IND");
    let regions = p.regions.as_ref().unwrap();
    assert_eq!(
        regions
            .iter()
            .map(|r| (r.name.as_str(), r.code.as_str()))
            .collect::<Vec<_>>(),
        [("Delhi", "IN-DL"), ("Maharashtra", "IN-MH")]
    );
    let validity = p.validity.as_ref().unwrap();
    assert_eq!((validity.unit.as_str(), validity.quantity), ("DAY", 28));
    assert_eq!(
        strs(&p.accepted_calculation_modes),
        ["SOURCE_AMOUNT", "DESTINATION_AMOUNT"]
    );
    assert_eq!(
        p.required_sender_fields,
        Some(field_sets(&[&["first_name", "last_name"]]))
    );
    assert_eq!(
        (
            p.source.amount.min,
            p.source.amount.max,
            p.source.unit.as_str()
        ),
        (Some(dec!(0.13)), Some(dec!(64.1)), "USD")
    );
    let dest = &p.destination.amount;
    assert_eq!(
        (dest.min, dest.max, dest.increment),
        (Some(dec!(10.0)), Some(dec!(5000.0)), Some(dec!(1.0)))
    );
    assert_eq!(p.destination.unit, "INR");
    assert_eq!(
        (
            p.prices.wholesale.amount.min,
            p.prices.wholesale.amount.max,
            p.prices.wholesale.fee
        ),
        (Some(dec!(0.12)), Some(dec!(60.98)), dec!(0.0))
    );
    assert_eq!(p.prices.retail, None);
    assert_eq!(p.rates.retail, None);
    let benefit = &p.benefits.as_ref().unwrap()[0];
    assert_eq!(benefit.type_.as_str(), "CREDITS");
    assert_eq!(
        (benefit.amount.base.min, benefit.amount.base.max),
        (dec!(10.0), dec!(5000.0))
    );
    assert_eq!(benefit.amount.total_excluding_tax.max, dec!(4237.29));
    assert_eq!(p.promotions, None);

    let Product::FixedValuePinPurchase(p) = &products[2] else {
        panic!("expected FixedValuePinPurchase, got {:?}", products[2]);
    };
    assert_eq!(p.id, 40117);
    assert_eq!(p.type_.as_str(), "FIXED_VALUE_PIN_PURCHASE");
    assert_eq!(*p.service.id, 4);
    assert_eq!(p.operator.country.iso_code.as_str(), "USA");
    assert_eq!(p.required_credit_party_identifier_fields, None);
    assert_eq!(strs(&p.availability_zones), ["DOMESTIC", "INTERNATIONAL"]);
    assert_eq!(
        p.pin.usage_info.as_deref(),
        Some(
            &[
                "Go to play.google.com/redeem".to_string(),
                "Sign in and enter the code".to_string()
            ][..]
        )
    );
    let pin_validity = p.pin.validity.as_ref().unwrap();
    assert_eq!(
        (pin_validity.unit.as_str(), pin_validity.quantity),
        ("MONTH", 12)
    );
    assert_eq!(
        p.pin.terms.as_deref(),
        Some("Redeemable on Google Play US accounts only. Not refundable.")
    );
    assert_eq!(
        (p.prices.wholesale.amount, p.source.amount),
        (dec!(24.13), dec!(25.0))
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
    assert_eq!(p.id, 40562);
    assert_eq!(p.type_.as_str(), "RANGED_VALUE_PIN_PURCHASE");
    assert_eq!(strs(&p.accepted_calculation_modes), ["DESTINATION_AMOUNT"]);
    assert_eq!(
        p.required_beneficiary_fields,
        Some(field_sets(&[&["first_name", "last_name", "email"]]))
    );
    assert_eq!(
        (p.destination.amount.increment, p.destination.unit.as_str()),
        (Some(dec!(100.0)), "INR")
    );
    assert_eq!(p.prices.wholesale.fee, dec!(0.1));
    let retail = p.prices.retail.as_ref().unwrap();
    assert_eq!(
        (retail.amount.as_ref().and_then(|a| a.max), retail.fee),
        (Some(dec!(134.5)), Some(dec!(0.5)))
    );
    assert_eq!(p.pin.terms, None);
    assert_eq!(
        p.pin.usage_info.as_deref(),
        Some(&["Redeem at amazon.in/addgiftcard".to_string()][..])
    );

    let Product::RangedValuePayment(p) = &products[4] else {
        panic!("expected RangedValuePayment, got {:?}", products[4]);
    };
    assert_eq!(p.id, 52018);
    assert_eq!(p.type_.as_str(), "RANGED_VALUE_PAYMENT");
    assert_eq!(*p.service.id, 3);
    assert_eq!(*p.operator.id, 4108);
    assert_eq!(p.operator.country.iso_code.as_str(), "GTM");
    assert_eq!(
        p.required_credit_party_identifier_fields,
        field_sets(&[&["account_number"]])
    );
    assert_eq!(
        p.required_statement_identifier_fields,
        Some(field_sets(&[&["reference"]]))
    );
    assert_eq!(
        p.required_additional_identifier_fields,
        Some(field_sets(&[&["purchaser_id"]]))
    );
    assert_eq!(
        (p.destination.amount.increment, p.destination.amount.max),
        (Some(dec!(0.01)), Some(dec!(10000.0)))
    );
    assert_eq!(p.prices.wholesale.fee, dec!(0.75));
    assert_eq!(
        strs(p.payment.modes.as_deref().unwrap()),
        ["EXACT", "PARTIAL"]
    );
    let posting = p.payment.posting_period.as_ref().unwrap();
    assert_eq!(
        (
            posting.unit.as_str(),
            posting.quantity,
            posting.type_.as_str()
        ),
        ("DAY", 2, "BUSINESS")
    );
    assert!(p.payment.supports_statement_inquiry);
    assert_eq!(
        p.payment.required_inquiry_fields,
        Some(field_sets(&[&["account_number"]]))
    );
    assert_eq!(p.payment.notes.as_ref().map(Vec::len), Some(1));
    let benefit = &p.benefits.as_ref().unwrap()[0];
    assert_eq!(
        (benefit.type_.as_str(), benefit.unit.as_str()),
        ("PAYMENT", "GTQ")
    );
}

#[test]
fn forward_compatible_products_still_decode() {
    let raw_products = fixture_json("products_forward.json");
    let products = products("products_forward.json");
    assert_eq!(products.len(), 6);

    // Unknown fields everywhere, values outside documented patterns, int32
    // id beyond i32, unknown enum values kept as strings.
    let Product::FixedValueRecharge(p) = &products[0] else {
        panic!("expected FixedValueRecharge, got {:?}", products[0]);
    };
    assert_eq!(p.id, 20385);
    assert_eq!(*p.operator.id, 2_200_000_000);
    assert_eq!(p.operator.country.iso_code.as_str(), "GT");
    assert_eq!(
        strs(p.tags.as_deref().unwrap()),
        ["airtime", "BEST_SELLER_OF_THE_MONTH"]
    );
    let validity = p.validity.as_ref().unwrap();
    assert_eq!(
        (validity.unit.as_str(), validity.quantity),
        ("FORTNIGHT", 1)
    );
    assert_eq!(strs(&p.availability_zones), ["INTERNATIONAL", "SPACE"]);
    assert_eq!(p.source.unit, "usd1");
    assert_eq!(p.prices.wholesale.amount, dec!(6.72));
    let benefits = p.benefits.as_ref().unwrap();
    assert_eq!(benefits.len(), 2);
    assert_eq!(benefits[0].amount.base, dec!(50.0));
    assert_eq!(benefits[1].type_.as_str(), "CASHBACK");
    assert_eq!(benefits[1].unit_type.as_str(), "POINTS");
    assert_eq!(benefits[1].unit, "TIGO_POINTS");
    assert_eq!(p.promotions.as_ref().unwrap()[0].id, 3561);

    let Product::RangedValueRecharge(p) = &products[1] else {
        panic!("expected RangedValueRecharge, got {:?}", products[1]);
    };
    assert_eq!(p.id, 31204);
    assert_eq!(p.regions.as_ref().unwrap()[0].code.as_str(), "IN-DELHI-NCR");
    assert_eq!(
        strs(&p.accepted_calculation_modes),
        ["SOURCE_AMOUNT", "DESTINATION_AMOUNT", "RETAIL_AMOUNT"]
    );
    assert_eq!(p.validity.as_ref().unwrap().unit.as_str(), "BILLING_CYCLE");
    assert_eq!(p.benefits.as_ref().unwrap()[0].unit_type.as_str(), "POINTS");
    assert_eq!(p.destination.amount.increment, Some(dec!(1.0)));

    // A product type this crate does not know: kept whole, as received.
    let Product::Unknown(unknown) = &products[2] else {
        panic!("expected Unknown, got {:?}", products[2]);
    };
    assert_eq!(unknown, &raw_products[2]);
    assert_eq!(unknown["type"], "FIXED_VALUE_ESIM_PURCHASE");
    assert_eq!(unknown["id"], 60901);
    assert_eq!(unknown["esim"]["data"], json!({"unit": "GB", "amount": 10}));
    assert_eq!(unknown["esim"]["coverage"][1], "IND");

    let Product::FixedValuePinPurchase(p) = &products[3] else {
        panic!("expected FixedValuePinPurchase, got {:?}", products[3]);
    };
    assert_eq!(p.id, 40117);
    assert_eq!(
        strs(&p.availability_zones),
        ["DOMESTIC", "INTERNATIONAL", "SPACE"]
    );
    assert_eq!(p.pin.validity.as_ref().unwrap().unit.as_str(), "YEAR");
    assert_eq!(
        p.benefits.as_ref().unwrap()[0].type_.as_str(),
        "GAMING_CREDITS"
    );

    let Product::RangedValuePinPurchase(p) = &products[4] else {
        panic!("expected RangedValuePinPurchase, got {:?}", products[4]);
    };
    assert_eq!(p.id, 40562);
    assert_eq!(p.prices.wholesale.amount.max, Some(dec!(121.95)));

    let Product::RangedValuePayment(p) = &products[5] else {
        panic!("expected RangedValuePayment, got {:?}", products[5]);
    };
    assert_eq!(p.id, 52018);
    assert_eq!(
        strs(p.payment.modes.as_deref().unwrap()),
        ["EXACT", "PARTIAL", "INSTALLMENT"]
    );
    let posting = p.payment.posting_period.as_ref().unwrap();
    assert_eq!(
        (posting.unit.as_str(), posting.type_.as_str()),
        ("FORTNIGHT", "BANKING_HOURS")
    );
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
    id_as_string["id"] = json!("20385");
    let err = decode_error(recharge, id_as_string);
    assert!(err.contains("FIXED_VALUE_RECHARGE"), "{err}");
    assert!(err.contains("at `id`"), "{err}");
    assert!(err.contains("invalid type: string \"20385\""), "{err}");

    let mut no_prices = recharge.clone();
    no_prices.as_object_mut().unwrap().remove("prices");
    let err = decode_error(recharge, no_prices);
    assert!(err.contains("FIXED_VALUE_RECHARGE"), "{err}");
    assert!(err.contains("missing field `prices`"), "{err}");

    let mut bad_amount = recharge.clone();
    bad_amount["prices"]["wholesale"]["amount"] = json!("6.72 USD");
    let err = decode_error(recharge, bad_amount);
    assert!(err.contains("at `prices.wholesale.amount`"), "{err}");

    let mut bad_benefit = recharge.clone();
    bad_benefit["benefits"][0]["amount"]["base"] = json!({"min": 50, "max": 50});
    let err = decode_error(recharge, bad_benefit);
    // The path reaches the amount (the decimal's own message then names
    // the key of the object it found instead of a number).
    assert!(err.contains("at `benefits[0].amount.base"), "{err}");

    let payment = &fixtures[4];
    let mut bad_payment = payment.clone();
    bad_payment["payment"]["supports_statement_inquiry"] = json!("yes");
    let err = decode_error(payment, bad_payment);
    assert!(err.contains("RANGED_VALUE_PAYMENT"), "{err}");
    assert!(
        err.contains("at `payment.supports_statement_inquiry`"),
        "{err}"
    );
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
    assert_eq!(t.id.as_ref().map(|id| **id), Some(3_198_834_721));
    assert_eq!(t.external_id, "ord-2024-03-14-000187");
    assert_eq!(t.creation_date, Some(date("2024-03-14T09:21:07.412Z")));
    assert_eq!(
        t.confirmation_expiration_date,
        Some(date("2024-03-14T10:21:07.412Z"))
    );
    assert_eq!(t.confirmation_date, Some(date("2024-03-14T09:21:08.030Z")));
    let status = t.status.as_ref().unwrap();
    assert_eq!(status.id, Some(20000));
    assert_eq!(
        status.message.as_deref().map(String::as_str),
        Some("CONFIRMED")
    );
    let class = status.class.as_ref().unwrap();
    assert_eq!((class.id, class.message.as_str()), (2, "CONFIRMED"));
    assert_eq!(t.operator_reference, None);
    assert_eq!(t.pin, None);
    let product = t.product.as_ref().unwrap();
    assert_eq!(product.id, 20385);
    assert_eq!(Some(product.type_.as_str()), Some("FIXED_VALUE_RECHARGE"));
    assert_eq!(*product.operator.id, 1473);
    assert_eq!(product.pin, None);
    let prices = t.prices.as_ref().unwrap();
    assert_eq!(
        (prices.wholesale.amount, prices.wholesale.fee),
        (dec!(6.72), dec!(0.0))
    );
    assert_eq!(
        prices.wholesale.unit.as_deref().map(String::as_str),
        Some("USD")
    );
    assert_eq!(prices.retail.as_ref().unwrap().amount, Some(dec!(7.5)));
    assert_eq!(t.rates.as_ref().unwrap().wholesale, dec!(7.440476));
    let benefits = t.benefits.as_ref().unwrap();
    let types::TransactionBenefitsItem::FixedBenefit(benefit) = &benefits[0] else {
        panic!("expected a fixed benefit, got {:?}", benefits[0]);
    };
    assert_eq!(
        (benefit.type_.as_str(), benefit.amount.total_including_tax),
        ("CREDITS", dec!(100.0))
    );
    assert_eq!(t.promotions.as_ref().unwrap()[0].id, 3561);
    let requested = t.requested_values.as_ref().unwrap();
    let destination = requested.destination.as_ref().unwrap();
    assert_eq!(
        (destination.amount, destination.unit.as_str()),
        (dec!(50.0), "GTQ")
    );
    assert_eq!(
        t.adjusted_values
            .as_ref()
            .unwrap()
            .source
            .as_ref()
            .unwrap()
            .amount,
        dec!(6.45)
    );
    let sender = t.sender.as_ref().unwrap();
    assert_eq!(
        sender.first_name.as_deref().map(String::as_str),
        Some("Ana")
    );
    assert_eq!(
        sender.mobile_number.as_deref().map(String::as_str),
        Some("+14155550123")
    );
    assert_eq!(
        t.credit_party_identifier
            .as_ref()
            .unwrap()
            .mobile_number
            .as_deref()
            .map(String::as_str),
        Some("+50241234100")
    );
    assert_eq!(t.debit_party_identifier, None);
    assert_eq!(t.statement_identifier, None);
    assert_eq!(t.additional_identifier, None);
    assert_eq!(
        t.callback_url.as_deref().map(String::as_str),
        Some("https://partner.example.com/dvs/callbacks")
    );
}

#[test]
fn completed_pin_transaction_carries_code_and_serial() {
    let t = transaction("transaction_pin.json");
    assert_eq!(t.id.as_ref().map(|id| **id), Some(3_198_840_066));
    let status = t.status.as_ref().unwrap();
    assert_eq!(status.id, Some(70000));
    assert_eq!(
        status.message.as_deref().map(String::as_str),
        Some("COMPLETED")
    );
    let class = status.class.as_ref().unwrap();
    assert_eq!((class.id, class.message.as_str()), (7, "COMPLETED"));
    let pin = t.pin.as_ref().unwrap();
    assert_eq!(pin.code(), Some("7H3K-Q9PX-2MWD-RT8B"));
    assert_eq!(pin.serial.as_deref(), Some("GPUS240314009187"));
    assert_eq!(t.operator_reference.as_deref(), Some("GP-88421907"));
    let product = t.product.as_ref().unwrap();
    assert_eq!(product.id, 40117);
    assert_eq!(
        Some(product.type_.as_str()),
        Some("FIXED_VALUE_PIN_PURCHASE")
    );
    let product_pin = product.pin.as_ref().unwrap();
    assert_eq!(product_pin.usage_info.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        product_pin
            .validity
            .as_ref()
            .map(|v| (v.unit.as_str(), v.quantity)),
        Some(("MONTH", 12))
    );
    let retail = t.prices.as_ref().unwrap().retail.as_ref().unwrap();
    assert_eq!((retail.amount, retail.unit.as_ref()), (None, None));
    assert_eq!(
        t.credit_party_identifier
            .as_ref()
            .unwrap()
            .mobile_number
            .as_deref()
            .map(String::as_str),
        Some("+6595123201")
    );
    assert_eq!(t.sender, None);
}

#[test]
fn forward_compatible_transaction_still_decodes() {
    let t = transaction("transaction_forward.json");
    assert_eq!(t.id.as_ref().map(|id| **id), Some(3_198_834_721));
    let status = t.status.as_ref().unwrap();
    assert_eq!(status.id, Some(20000));
    let class = status.class.as_ref().unwrap();
    assert_eq!((class.id, class.message.as_str()), (2, "CONFIRMED"));
    let product = t.product.as_ref().unwrap();
    assert_eq!(strs(product.tags.as_deref().unwrap()), ["prepaid-airtime"]);
    assert_eq!(product.operator.country.iso_code.as_str(), "gtm");
    let prices = t.prices.as_ref().unwrap();
    assert_eq!(prices.wholesale.amount, dec!(6.72));
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
    assert_eq!(benefit.type_.as_str(), "CASHBACK");
    assert_eq!(benefit.unit_type.as_str(), "POINTS");
    assert_eq!(benefit.amount.base, dec!(50.0));
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
        ("usd1", "CRYPTO", dec!(6.45))
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
    assert_eq!(
        t.additional_identifier
            .as_ref()
            .unwrap()
            .purchaser_id
            .as_deref()
            .map(String::as_str),
        Some("p1")
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
        .external_id("ord-2024-03-14-000188")
        .product_id(std::num::NonZeroU32::new(31204).unwrap())
        .auto_confirm(true)
        .calculation_mode(dvs::v1_21::CalculationMode::DestinationAmount)
        // Generated structs are non-exhaustive: built with their builders.
        .destination(Some(
            types::TransactionRequestDestination::try_from(
                types::TransactionRequestDestination::builder()
                    .amount(dec!(500.0))
                    .unit(types::NonEmptyString::from("INR".to_string()))
                    .unit_type(dvs::v1_21::UnitType::Currency),
            )
            .unwrap(),
        ))
        .credit_party_identifier(Some(
            types::TransactionRequestCreditPartyIdentifier::try_from(
                types::TransactionRequestCreditPartyIdentifier::builder()
                    .mobile_number(Some(types::E164::from("+919876543100".to_string()))),
            )
            .unwrap(),
        ))
        .callback_url(Some(types::CallbackUrl::from(
            "https://partner.example.com/dvs/callbacks".to_string(),
        )))
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
            "callback_url",
            "credit_party_identifier",
            "destination",
            "external_id",
            "product_id",
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
    assert_eq!(body["external_id"], "ord-2024-03-14-000188");
    assert_eq!(body["product_id"], 31204);
    assert_eq!(body["auto_confirm"], true);
    insta::assert_json_snapshot!("v1_21_transaction_request", plain_json::Plain(&body));

    // The smallest request: unset options are left out, auto_confirm is sent.
    let minimal: types::TransactionRequest = types::TransactionRequest::builder()
        .external_id("ord-2024-03-14-000189")
        .product_id(std::num::NonZeroU32::new(20385).unwrap())
        .try_into()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&minimal).unwrap(),
        json!({"external_id": "ord-2024-03-14-000189", "product_id": 20385, "auto_confirm": false})
    );

    // Request-side constraints are still enforced.
    let too_long: Result<types::TransactionRequest, _> = types::TransactionRequest::builder()
        .external_id("x".repeat(41))
        .product_id(std::num::NonZeroU32::new(20385).unwrap())
        .try_into();
    assert!(too_long.is_err());
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
    // The unknown product is written back exactly as received.
    let original = fixture_json("products_forward.json");
    let reencoded = serde_json::to_value(products("products_forward.json")).unwrap();
    assert_eq!(reencoded[2], original[2]);
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
            Product::RangedValuePayment(p) => (p.id, "RangedValuePayment"),
            Product::Unknown(v) => (v["id"].as_i64().unwrap(), "Unknown"),
        })
        .collect();
    assert_eq!(
        ids_and_variants,
        [
            (20385, "FixedValueRecharge"),
            (31204, "RangedValueRecharge"),
            (60901, "Unknown"),
            (40117, "FixedValuePinPurchase"),
            (40562, "RangedValuePinPurchase"),
            (52018, "RangedValuePayment"),
        ]
    );
    let Product::FixedValueRecharge(p) = &products[0] else {
        unreachable!()
    };
    assert_eq!(strs(&p.availability_zones), ["INTERNATIONAL", "SPACE"]);
    assert_eq!(p.benefits.as_ref().unwrap()[1].type_.as_str(), "CASHBACK");
    let Product::Unknown(esim) = &products[2] else {
        unreachable!()
    };
    assert_eq!(esim["type"], "FIXED_VALUE_ESIM_PURCHASE");

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
        .and(path("/transactions/3198834721"))
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
        .transaction_id(3_198_834_721_i64)
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
