//! The accessors generated on each version's `Product` and `Transaction`:
//! on a known variant they answer the variant's own decoded fields (read
//! directly, field by field), and they agree with what the same accessors
//! read from the raw JSON of an unknown product.

#[allow(dead_code)]
mod decode_support;

/// Field sets, required (`Vec`) or nullable (`Option<Vec>`) in the spec.
fn sets(v: impl Into<Option<Vec<Vec<String>>>>) -> Vec<Vec<String>> {
    v.into().unwrap_or_default()
}

/// Checks every product of a fixture of a version: the accessors against
/// the variant's decoded fields, then against the JSON reading.
macro_rules! check_products {
    ($version:ident, $file:expr, [$($variant:ident),*]) => {{
        use dvs::$version::{Product, ProductType};
        let products: Vec<Product> = decode_support::decode(stringify!($version), $file);
        let mut known = 0;
        for product in &products {
            match product {
                $(Product::$variant(p) => {
                    known += 1;
                    assert_eq!(product.id(), p.id);
                    assert_eq!(product.name(), p.name.as_str());
                    assert_eq!(product.description(), p.description.as_str());
                    assert_eq!(product.product_type(), ProductType::from(p.type_.to_string()));
                    assert!(product.product_type().is_known());
                    assert_eq!(
                        product.is_ranged(),
                        product.product_type().as_str().starts_with("RANGED_")
                    );
                    assert_eq!(
                        product.service(),
                        Some((i64::from(p.service.id.clone()), p.service.name.clone()))
                    );
                    assert_eq!(
                        product.operator(),
                        Some((i64::from(p.operator.id.clone()), p.operator.name.clone()))
                    );
                    assert_eq!(
                        product.country_iso_code(),
                        Some(p.operator.country.iso_code.to_string())
                    );
                    assert_eq!(
                        product.regions(),
                        p.regions
                            .iter()
                            .flatten()
                            .map(|r| r.code.to_string())
                            .collect::<Vec<_>>()
                    );
                    let source = product.source().expect("a source");
                    assert_eq!(source.unit, p.source.unit.to_string());
                    assert_eq!(source.unit_type, p.source.unit_type.to_string());
                    let destination = product.destination().expect("a destination");
                    assert_eq!(destination.unit, p.destination.unit.to_string());
                    assert_eq!(destination.unit_type, p.destination.unit_type.to_string());
                    assert_eq!(
                        source.range().is_some(),
                        product.is_ranged(),
                        "{}",
                        product.name()
                    );
                    assert_eq!(
                        product.required_credit_party_fields(),
                        sets(p.required_credit_party_identifier_fields.clone())
                    );
                    assert_eq!(
                        product.required_sender_fields(),
                        sets(p.required_sender_fields.clone())
                    );
                    assert_eq!(
                        product.required_beneficiary_fields(),
                        sets(p.required_beneficiary_fields.clone())
                    );
                    assert!(!product.is_unknown());
                })*
                Product::Unknown(_) => assert!(product.is_unknown()),
                #[allow(unreachable_patterns)]
                _ => panic!("a variant this test does not list: {product:?}"),
            }
            // The same product read from its JSON, as an unknown type is.
            let json = serde_json::to_value(product).unwrap();
            let by_json = Product::Unknown(json);
            assert_eq!(product.id(), by_json.id());
            assert_eq!(product.name(), by_json.name());
            assert_eq!(product.description(), by_json.description());
            assert_eq!(product.product_type(), by_json.product_type());
            assert_eq!(product.is_ranged(), by_json.is_ranged());
            assert_eq!(product.service(), by_json.service());
            assert_eq!(product.operator(), by_json.operator());
            assert_eq!(product.country_iso_code(), by_json.country_iso_code());
            assert_eq!(product.regions(), by_json.regions());
            assert_eq!(product.source(), by_json.source(), "{}", product.name());
            assert_eq!(product.destination(), by_json.destination(), "{}", product.name());
            assert_eq!(
                product.required_credit_party_fields(),
                by_json.required_credit_party_fields()
            );
            assert_eq!(product.required_sender_fields(), by_json.required_sender_fields());
            assert_eq!(
                product.required_beneficiary_fields(),
                by_json.required_beneficiary_fields()
            );
            assert_eq!(
                product.new_transaction("x"),
                by_json.new_transaction("x")
            );
        }
        known
    }};
}

#[cfg(feature = "v1_21")]
#[test]
fn v1_21_product_accessors_read_the_variants_fields() {
    for file in ["products.json", "products_forward.json"] {
        let known = check_products!(
            v1_21,
            file,
            [
                FixedValueRecharge,
                RangedValueRecharge,
                FixedValuePinPurchase,
                RangedValuePinPurchase,
                RangedValuePayment
            ]
        );
        assert!(known >= 5, "{file}: {known} known products");
    }
}

#[cfg(feature = "v1_0")]
#[test]
fn v1_0_product_accessors_read_the_variants_fields() {
    for file in ["products.json", "products_forward.json"] {
        let known = check_products!(
            v1_0,
            file,
            [
                FixedValueRecharge,
                RangedValueRecharge,
                FixedValuePinPurchase,
                RangedValuePinPurchase
            ]
        );
        assert!(known >= 4, "{file}: {known} known products");
    }
}

/// The transaction accessors answer the decoded fields.
macro_rules! check_transaction {
    ($version:ident, $file:literal) => {{
        use dvs::$version::Transaction;
        let t: Transaction = decode_support::decode(stringify!($version), $file);
        assert_eq!(t.transaction_id(), t.id.clone().map(i64::from));
        let status = t.status.as_ref().expect("a status");
        let class = status.class.as_ref().expect("a class");
        assert_eq!(t.status_class().id(), class.id);
        assert_eq!(
            t.detailed_status().map(|s| s.to_string()),
            status.message.as_ref().map(|m| m.to_string())
        );
        assert_eq!(t.is_final(), t.status_class().is_final());
        assert_eq!(t.pin(), t.pin.as_ref());
        t
    }};
}

#[cfg(feature = "v1_21")]
#[test]
fn v1_21_transaction_accessors_read_the_fields() {
    let t = check_transaction!(v1_21, "transaction_pin.json");
    assert!(t.pin().is_some());
    check_transaction!(v1_21, "transaction.json");
}

#[cfg(feature = "v1_0")]
#[test]
fn v1_0_transaction_accessors_read_the_fields() {
    let t = check_transaction!(v1_0, "transaction_pin.json");
    assert!(t.pin().is_some());
    check_transaction!(v1_0, "transaction.json");
}
