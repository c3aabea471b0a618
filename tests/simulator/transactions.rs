//! The transaction state machine: the suffix table with its delays,
//! auto_confirm and the two-step flow, cancel and confirm rules, expiry,
//! reversal, insufficient balance, duplicates and synchronous holds.

use crate::support::{self, create_body, gtm_number, gtm_recharge, status_of};
use dvs::simulator::{status_id, ControlError};
use dvs::{Status, StatusClass};
use rust_decimal_macros::dec;
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn each_suffix_ends_as_the_sandbox_documents() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let table = [
        ("100", "COMPLETED", 70000, false),
        ("101", "COMPLETED", 70000, true),
        ("102", "DECLINED-INVALID-CREDIT-PARTY", 90201, false),
        ("103", "DECLINED-BARRED-CREDIT-PARTY", 90202, false),
        (
            "104",
            "DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE",
            90401,
            false,
        ),
        ("105", "DECLINED-DUPLICATED-TRANSACTION", 90601, false),
        ("106", "DECLINED", 90000, false),
        ("107", "DECLINED-EXCEPTION", 90901, false),
        ("200", "COMPLETED", 70000, false),
        ("201", "COMPLETED", 70000, true),
        ("302", "DECLINED-INVALID-CREDIT-PARTY", 90201, false),
        ("306", "DECLINED", 90000, false),
    ];
    let mut ids = Vec::new();
    for (suffix, ..) in table {
        let r = api
            .create(create_body(
                &format!("suffix-{suffix}"),
                product,
                &gtm_number(suffix),
                true,
            ))
            .await
            .expect(201);
        assert_eq!(status_of(&r.body), ("CONFIRMED", 20000, 2));
        ids.push(r.body["id"].as_i64().unwrap());
    }
    for ((suffix, message, id, pin), tx_id) in table.into_iter().zip(ids) {
        sim.wait_final(tx_id, WAIT).await.unwrap();
        let tx = api.transaction(tx_id).await;
        let class = if message == "COMPLETED" { 7 } else { 9 };
        assert_eq!(status_of(&tx), (message, id, class), "suffix {suffix}");
        assert_eq!(status_id(&Status::from(message)), Some(id));
        assert_eq!(
            tx["status"]["class"]["message"],
            if class == 7 { "COMPLETED" } else { "DECLINED" }
        );
        if pin {
            assert!(
                tx["pin"]["code"].is_string() && tx["pin"]["serial"].is_string(),
                "{suffix}: {}",
                tx["pin"]
            );
        } else {
            assert!(tx["pin"].is_null(), "{suffix}");
        }
        if class == 7 {
            assert!(tx["operator_reference"].is_string());
        }
    }
}

#[tokio::test]
async fn documented_delays_on_the_simulator_clock() {
    // Real delays (time factor 1), with the clock moved by hand.
    let (sim, api) = support::start(support::config().time_factor(1.0)).await;
    let product = gtm_recharge(&api).await;
    let mut ids = Vec::new();
    for suffix in ["100", "200", "300"] {
        let r = api
            .create(create_body(
                &format!("delay-{suffix}"),
                product,
                &gtm_number(suffix),
                true,
            ))
            .await
            .expect(201);
        ids.push(r.body["id"].as_i64().unwrap());
    }
    let class = |id| sim.transaction(id).unwrap().class;
    sim.advance(Duration::from_millis(1500));
    assert_eq!(class(ids[0]), StatusClass::Submitted, "SUBMITTED after 1 s");
    sim.advance(Duration::from_millis(1600)); // 3.1 s
    assert_eq!(class(ids[0]), StatusClass::Completed, "1XX: 3 s");
    assert_eq!(class(ids[1]), StatusClass::Submitted);
    sim.advance(Duration::from_secs(17)); // 20.1 s
    assert_eq!(class(ids[1]), StatusClass::Completed, "2XX: 20 s");
    assert_eq!(class(ids[2]), StatusClass::Submitted);
    sim.advance(Duration::from_secs(270)); // 290.1 s
    assert_eq!(
        class(ids[2]),
        StatusClass::Submitted,
        "3XX: not before 5 min"
    );
    sim.advance(Duration::from_secs(10)); // 300.1 s
    assert_eq!(class(ids[2]), StatusClass::Completed, "3XX: 5 min");
    assert_eq!(status_of(&api.transaction(ids[2]).await).0, "COMPLETED");
}

#[tokio::test]
async fn products_without_a_credit_party_always_complete_with_a_pin() {
    let (sim, api) = support::start(support::config()).await;
    let gift = api.product("type=FIXED_VALUE_PIN_PURCHASE").await;
    assert_eq!(gift["required_credit_party_identifier_fields"], json!([]));
    let r = api
        .create(json!({"external_id": "gift-1", "product_id": gift["id"], "auto_confirm": true}))
        .await
        .expect(201);
    let id = r.body["id"].as_i64().unwrap();
    // Even with a "declining" number given, the outcome is COMPLETED.
    let r = api
        .create(
            json!({"external_id": "gift-2", "product_id": gift["id"], "auto_confirm": true,
                       "credit_party_identifier": {"mobile_number": "+6595123102"}}),
        )
        .await
        .expect(201);
    let id2 = r.body["id"].as_i64().unwrap();
    for id in [id, id2] {
        sim.wait_final(id, WAIT).await.unwrap();
        let tx = api.transaction(id).await;
        assert_eq!(status_of(&tx), ("COMPLETED", 70000, 7));
        assert!(tx["pin"]["code"].is_string());
        assert_eq!(tx["product"]["type"], "FIXED_VALUE_PIN_PURCHASE");
    }
}

#[tokio::test]
async fn two_step_flow_moves_the_balance_as_documented() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let (available0, holding0) = api.balance().await;
    assert_eq!((available0, holding0), (dec!(10_000), dec!(0)));
    let r = api
        .create(create_body("two-step", product, &gtm_number("100"), false))
        .await
        .expect(201);
    let tx = r.body;
    assert_eq!(status_of(&tx), ("CREATED", 10000, 1));
    assert!(tx.get("confirmation_date").is_none());
    let price = support::exact(&tx["prices"]["wholesale"]["amount"])
        + support::exact(&tx["prices"]["wholesale"]["fee"]);
    let (available, holding) = api.balance().await;
    assert_eq!(holding, price, "CREATED authorizes wholesale price and fee");
    assert_eq!(available, available0 - price);
    let id = tx["id"].as_i64().unwrap();
    // The confirmation window is 60 minutes from creation.
    let created: chrono::DateTime<chrono::Utc> =
        tx["creation_date"].as_str().unwrap().parse().unwrap();
    let expires: chrono::DateTime<chrono::Utc> = tx["confirmation_expiration_date"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(expires - created, chrono::TimeDelta::minutes(60));

    let r = api
        .post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect(202);
    assert_eq!(status_of(&r.body), ("CONFIRMED", 20000, 2));
    assert!(r.body["confirmation_date"].is_string());
    let done = sim.wait_final(id, WAIT).await.unwrap();
    assert_eq!(done.class, StatusClass::Completed);
    let (available, holding) = api.balance().await;
    assert!(holding.is_zero(), "COMPLETED captures the hold");
    assert_eq!(available, available0 - price);
    let b = &sim.balances()[0];
    assert_eq!(b.captured, done.amount);
    assert_eq!(b.total(), dec!(10_000));
}

#[tokio::test]
async fn cancel_only_from_created_and_confirm_rules() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let create =
        |ext: &'static str, auto| api.create(create_body(ext, product, &gtm_number("300"), auto));

    // CREATED → CANCELLED voids the hold; cancelling twice: 1007005;
    // confirming a cancelled one: 1007004.
    let id = create("c-1", false).await.expect(201).body["id"]
        .as_i64()
        .unwrap();
    let r = api
        .post(&format!("/transactions/{id}/cancel"), json!({}))
        .await
        .expect(202);
    assert_eq!(status_of(&r.body), ("CANCELLED", 40000, 4));
    assert_eq!(api.balance().await, (dec!(10_000), dec!(0)));
    api.post(&format!("/transactions/{id}/cancel"), json!({}))
        .await
        .expect_error(400, 1007005);
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect_error(400, 1007004);
    api.post(&format!("/sync/transactions/{id}/confirm"), json!({}))
        .await
        .expect_error(400, 1007004);

    // A confirmed one can no longer be cancelled (1007007), nor confirmed
    // again (1007002).
    let id = create("c-2", true).await.expect(201).body["id"]
        .as_i64()
        .unwrap();
    api.post(&format!("/transactions/{id}/cancel"), json!({}))
        .await
        .expect_error(400, 1007007);
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect_error(400, 1007002);

    // Final ones neither.
    let id = api
        .create(create_body("c-3", product, &gtm_number("102"), true))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    sim.wait_final(id, WAIT).await.unwrap();
    api.post(&format!("/transactions/{id}/cancel"), json!({}))
        .await
        .expect_error(400, 1007007);
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect_error(400, 1007002);

    // Unknown ids.
    api.post("/transactions/12345/cancel", json!({}))
        .await
        .expect_error(404, 1008004);
    api.post("/async/transactions/12345/confirm", json!({}))
        .await
        .expect_error(404, 1008004);
}

#[tokio::test]
async fn unconfirmed_transactions_expire_after_60_minutes() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let id = api
        .create(create_body("expire-1", product, &gtm_number("100"), false))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    sim.advance(Duration::from_secs(59 * 60));
    assert_eq!(status_of(&api.transaction(id).await).0, "CREATED");
    assert!(api.balance().await.1 > dec!(0));
    sim.advance(Duration::from_secs(2 * 60));
    let tx = api.transaction(id).await;
    assert_eq!(status_of(&tx), ("CANCELLED", 40000, 4));
    assert_eq!(
        api.balance().await,
        (dec!(10_000), dec!(0)),
        "expiry voids the hold"
    );
    api.post(&format!("/async/transactions/{id}/confirm"), json!({}))
        .await
        .expect_error(400, 1007004);
}

#[tokio::test]
async fn completed_transactions_can_be_reversed_through_the_handle() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let id = api
        .create(create_body("rev-1", product, &gtm_number("100"), true))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    sim.wait_final(id, WAIT).await.unwrap();
    assert!(api.balance().await.0 < dec!(10_000));
    let reversed = sim.reverse(id).unwrap();
    assert_eq!(reversed.status, Status::Reversed);
    assert_eq!(reversed.status_id, 80000);
    assert_eq!(
        status_of(&api.transaction(id).await),
        ("REVERSED", 80000, 8)
    );
    assert_eq!(
        api.balance().await,
        (dec!(10_000), dec!(0)),
        "REVERSED credits back"
    );
    assert!(sim.balances()[0].captured.is_zero());
    assert!(matches!(
        sim.reverse(id),
        Err(ControlError::NotCompleted { .. })
    ));
    assert_eq!(sim.reverse(42), Err(ControlError::NotFound(42)));
    // Only COMPLETED can be reversed.
    let created = api
        .create(create_body("rev-2", product, &gtm_number("100"), false))
        .await
        .expect(201)
        .body["id"]
        .as_i64()
        .unwrap();
    assert!(matches!(
        sim.reverse(created),
        Err(ControlError::NotCompleted {
            status: Status::Created,
            ..
        })
    ));
}

#[tokio::test]
async fn insufficient_balance_is_rejected_and_recorded() {
    let (sim, api) = support::start(support::config().starting_balance(dec!(1.0))).await;
    let product = api
        .product("type=FIXED_VALUE_RECHARGE&country_iso_code=USA")
        .await;
    let price = product["prices"]["wholesale"]["amount"].as_f64().unwrap();
    assert!(price > 1.0, "{price}");
    api.create(
        json!({"external_id": "poor-1", "product_id": product["id"], "auto_confirm": true,
                      "credit_party_identifier": {"mobile_number": "+12125550100"}}),
    )
    .await
    .expect_error(400, 1006001);
    let list = api
        .get("/transactions?external_id=poor-1")
        .await
        .expect(200);
    assert_eq!(list.items().len(), 1);
    assert_eq!(
        status_of(&list.items()[0]),
        ("REJECTED-INSUFFICIENT-BALANCE", 30501, 3)
    );
    assert_eq!(api.balance().await, (dec!(1), dec!(0)), "nothing moved");
    assert_eq!(sim.balances()[0].total(), dec!(1));
    // The external id is used now.
    api.create(json!({"external_id": "poor-1", "product_id": product["id"],
                      "credit_party_identifier": {"mobile_number": "+12125550100"}}))
        .await
        .expect_error(400, 1007001);
}

#[tokio::test]
async fn duplicate_external_ids_are_refused_and_counted() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    api.create(create_body("dup-1", product, &gtm_number("100"), false))
        .await
        .expect(201);
    api.create(create_body("dup-1", product, &gtm_number("100"), true))
        .await
        .expect_error(400, 1007001);
    api.post(
        "/sync/transactions",
        create_body("dup-1", product, &gtm_number("100"), true),
    )
    .await
    .expect_error(400, 1007001);
    assert_eq!(sim.creates_received("dup-1"), 3);
    assert_eq!(sim.creates_received("never"), 0);
    assert_eq!(sim.transactions().len(), 1);
    assert_eq!(
        sim.transaction_by_external_id("dup-1").unwrap().class,
        StatusClass::Created
    );
}

#[tokio::test]
async fn synchronous_calls_hold_until_final_or_the_scaled_180_seconds() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    // 1XX completes within the hold: the answer is final.
    let r = api
        .post(
            "/sync/transactions",
            create_body("sync-1", product, &gtm_number("102"), true),
        )
        .await
        .expect(201);
    assert_eq!(status_of(&r.body).0, "DECLINED-INVALID-CREDIT-PARTY");
    // 3XX (5 min) outlasts the 180 s hold: the answer is the current status.
    // (A larger factor leaves a wide margin between the two: 540 / 900 ms.)
    sim.set_time_factor(0.003);
    let started = std::time::Instant::now();
    let r = api
        .post(
            "/sync/transactions",
            create_body("sync-2", product, &gtm_number("300"), true),
        )
        .await
        .expect(201);
    assert_eq!(status_of(&r.body), ("SUBMITTED", 50000, 5));
    assert!(
        started.elapsed() >= Duration::from_millis(540),
        "held for 180 s × 0.003"
    );
    sim.set_time_factor(0.001);
    // Without auto_confirm there is nothing to wait for.
    let r = api
        .post(
            "/sync/transactions",
            create_body("sync-3", product, &gtm_number("100"), false),
        )
        .await
        .expect(201);
    assert_eq!(status_of(&r.body).0, "CREATED");
    let id = r.body["id"].as_i64().unwrap();
    let r = api
        .post(&format!("/sync/transactions/{id}/confirm"), json!({}))
        .await
        .expect(202);
    assert_eq!(status_of(&r.body), ("COMPLETED", 70000, 7));
}

#[tokio::test]
async fn ranged_products_take_an_amount_within_range() {
    let (sim, api) = support::start(support::config()).await;
    let p = api
        .product("type=RANGED_VALUE_RECHARGE&country_iso_code=GTM")
        .await;
    let id = &p["id"];
    let unit = p["destination"]["unit"].as_str().unwrap();
    let min = support::exact(&p["destination"]["amount"]["min"]);
    let max = support::exact(&p["destination"]["amount"]["max"]);
    let step = support::exact(&p["destination"]["amount"]["increment"]);
    let number = gtm_number("100");
    let body = |ext: &str, extra: serde_json::Value| {
        let mut b = json!({"external_id": ext, "product_id": id, "auto_confirm": true,
                           "credit_party_identifier": {"mobile_number": number}});
        b.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        b
    };
    api.create(body("r-0", json!({})))
        .await
        .expect_error(400, 1000400);
    api.create(body(
        "r-1",
        json!({"calculation_mode": "DESTINATION_AMOUNT",
        "destination": {"unit_type": "CURRENCY", "unit": unit, "amount": max + dec!(1000)}}),
    ))
    .await
    .expect_error(400, 1003002);
    api.create(body(
        "r-2",
        json!({"calculation_mode": "DESTINATION_AMOUNT",
        "destination": {"unit_type": "CURRENCY", "unit": "XXX", "amount": min}}),
    ))
    .await
    .expect_error(400, 1003003);
    let r = api
        .create(body(
            "r-3",
            json!({"calculation_mode": "DESTINATION_AMOUNT",
            "destination": {"unit_type": "CURRENCY", "unit": unit, "amount": min + step * dec!(10)}}),
        ))
        .await
        .expect(201);
    assert_eq!(
        support::exact(&r.body["adjusted_values"]["destination"]["amount"]),
        min + step * dec!(10)
    );
    // Off the steps: refused, exactly (no float tolerance lets it through).
    api.create(body(
        "r-5",
        json!({"calculation_mode": "DESTINATION_AMOUNT",
        "destination": {"unit_type": "CURRENCY", "unit": unit, "amount": min + step / dec!(2)}}),
    ))
    .await
    .expect_error(400, 1003002);
    // The maximum is inclusive, on the steps or not.
    assert!(!((max - min) % step).is_zero(), "{min}..={max} step {step}");
    let r = api
        .create(body(
            "r-6",
            json!({"calculation_mode": "DESTINATION_AMOUNT",
            "destination": {"unit_type": "CURRENCY", "unit": unit, "amount": max}}),
        ))
        .await
        .expect(201);
    assert_eq!(
        r.body["adjusted_values"]["destination"]["amount"].to_string(),
        max.to_string()
    );
    let r = api
        .create(body(
            "r-4",
            json!({"calculation_mode": "SOURCE_AMOUNT",
            "source": {"unit_type": "CURRENCY", "unit": "USD", "amount": 5.0}}),
        ))
        .await
        .expect(201);
    assert_eq!(
        r.body["requested_values"]["source"]["amount"].as_f64(),
        Some(5.0)
    );
    let dest = support::exact(&r.body["adjusted_values"]["destination"]["amount"]);
    assert!(dest >= min && dest <= max);
    let id = r.body["id"].as_i64().unwrap();
    sim.wait_final(id, WAIT).await.unwrap();
    // The transaction carries a fixed benefit at the chosen amount.
    let tx = api.transaction(id).await;
    assert_eq!(support::exact(&tx["benefits"][0]["amount"]["base"]), dest);
}

#[tokio::test]
async fn every_product_type_transacts() {
    let (sim, api) = support::start(support::config()).await;
    for t in dvs::v1_21::ProductType::KNOWN {
        let query = if t.contains("RECHARGE") {
            format!("type={t}&country_iso_code=GTM")
        } else {
            format!("type={t}")
        };
        let p = api.product(&query).await;
        let mut body = json!({"external_id": format!("type-{t}"), "product_id": p["id"], "auto_confirm": true});
        match p["required_credit_party_identifier_fields"][0][0].as_str() {
            Some("mobile_number") => {
                body["credit_party_identifier"] = json!({"mobile_number": gtm_number("101")})
            }
            Some("account_number") => {
                body["credit_party_identifier"] = json!({"account_number": "ACC-000100"})
            }
            _ => {}
        }
        if p["required_sender_fields"].is_array() {
            body["sender"] = json!({"first_name": "Ana", "last_name": "Lopez"});
        }
        if let Some(modes) = p["accepted_calculation_modes"].as_array() {
            let mode = modes[0].as_str().unwrap();
            body["calculation_mode"] = json!(mode);
            if mode == "DESTINATION_AMOUNT" {
                body["destination"] = json!({"unit_type": "CURRENCY", "unit": p["destination"]["unit"],
                                             "amount": p["destination"]["amount"]["min"]});
            } else {
                body["source"] = json!({"unit_type": "CURRENCY", "unit": "USD",
                                        "amount": p["source"]["amount"]["min"]});
            }
        }
        let r = api.create(body).await.expect(201);
        let id = r.body["id"].as_i64().unwrap();
        sim.wait_final(id, WAIT).await.unwrap();
        let tx = api.transaction(id).await;
        assert_eq!(status_of(&tx).0, "COMPLETED", "{t}");
        assert_eq!(tx["product"]["type"], *t);
        let pin_expected = t.contains("PIN") || t.contains("RECHARGE");
        assert_eq!(
            tx["pin"]["code"].is_string(),
            pin_expected,
            "{t}: {}",
            tx["pin"]
        );
    }
    assert!(sim.balances()[0].holding.is_zero());
}
