//! Balance conservation: over random sequences of creates, confirms,
//! cancels, reversals and clock moves, available + holding + captured
//! never changes, holding is exactly what unfinished transactions hold and
//! captured exactly what completed ones cost.

use crate::support::{self, create_body, gtm_number, Api};
use dvs::simulator::{ControlError, Simulator, SimulatorConfig};
use dvs::Decimal;
use dvs::StatusClass;
use proptest::prelude::*;
use rust_decimal_macros::dec;
use serde_json::json;
use std::time::Duration;

#[derive(Clone, Debug)]
enum Op {
    Create {
        auto_confirm: bool,
        product: usize,
        suffix: usize,
        sync: bool,
    },
    Confirm(usize),
    Cancel(usize),
    Reverse(usize),
    Advance(u64),
    Settle,
}

const SUFFIXES: &[&str] = &["100", "101", "102", "106", "200", "300"];
const START: Decimal = dec!(60.00);

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<bool>(), 0..2usize, 0..SUFFIXES.len(), prop::bool::weighted(0.15))
            .prop_map(|(auto_confirm, product, suffix, sync)| Op::Create { auto_confirm, product, suffix, sync }),
        2 => (0..16usize).prop_map(Op::Confirm),
        2 => (0..16usize).prop_map(Op::Cancel),
        1 => (0..16usize).prop_map(Op::Reverse),
        2 => prop::sample::select(vec![1u64, 4, 25, 400, 3700]).prop_map(Op::Advance),
        1 => Just(Op::Settle),
    ]
}

/// The invariants, on one consistent snapshot.
fn check(sim: &Simulator, step: usize, op: &Op) {
    let snap = sim.snapshot();
    let b = &snap.balances[0];
    assert_eq!(b.total(), START, "step {step} ({op:?}): {b:?}");
    assert!(
        !b.available.is_sign_negative()
            && !b.holding.is_sign_negative()
            && !b.captured.is_sign_negative(),
        "{b:?}"
    );
    let held: Decimal = snap
        .transactions
        .iter()
        .filter(|t| {
            matches!(
                t.class,
                StatusClass::Created | StatusClass::Confirmed | StatusClass::Submitted
            )
        })
        .map(|t| t.amount)
        .sum();
    let captured: Decimal = snap
        .transactions
        .iter()
        .filter(|t| t.class == StatusClass::Completed)
        .map(|t| t.amount)
        .sum();
    assert_eq!(b.holding, held, "step {step} ({op:?}): holding");
    assert_eq!(b.captured, captured, "step {step} ({op:?}): captured");
}

async fn run(ops: Vec<Op>) {
    let (sim, api) = support::start(
        SimulatorConfig::default()
            .catalog_size(200)
            .time_factor(0.0005)
            .starting_balance(START),
    )
    .await;
    let products = [
        api.product("type=FIXED_VALUE_RECHARGE&country_iso_code=GTM")
            .await["id"]
            .clone(),
        api.product("type=FIXED_VALUE_PIN_PURCHASE").await["id"].clone(),
    ];
    let mut ids: Vec<i64> = Vec::new();
    let pick = |ids: &[i64], i: usize| (!ids.is_empty()).then(|| ids[i % ids.len()]);
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Create {
                auto_confirm,
                product,
                suffix,
                sync,
            } => {
                let mut body = create_body(
                    &format!("p-{step}"),
                    0,
                    &gtm_number(SUFFIXES[*suffix]),
                    *auto_confirm,
                );
                body["product_id"] = products[*product].clone();
                let path = if *sync {
                    "/sync/transactions"
                } else {
                    "/async/transactions"
                };
                let r = api.post(path, body).await;
                match r.status {
                    201 => ids.push(r.body["id"].as_i64().unwrap()),
                    400 => assert_eq!(r.code(), 1006001, "{}", r.body),
                    other => panic!("create: {other} {}", r.body),
                }
            }
            Op::Confirm(i) => {
                if let Some(id) = pick(&ids, *i) {
                    let r = api
                        .post(&format!("/async/transactions/{id}/confirm"), json!({}))
                        .await;
                    assert!(
                        r.status == 202 || [1007002, 1007004].contains(&r.code()),
                        "{}",
                        r.body
                    );
                }
            }
            Op::Cancel(i) => {
                if let Some(id) = pick(&ids, *i) {
                    let r = api
                        .post(&format!("/transactions/{id}/cancel"), json!({}))
                        .await;
                    assert!(
                        r.status == 202 || [1007005, 1007007].contains(&r.code()),
                        "{}",
                        r.body
                    );
                }
            }
            Op::Reverse(i) => {
                if let Some(id) = pick(&ids, *i) {
                    match sim.reverse(id) {
                        Ok(tx) => assert_eq!(tx.class, StatusClass::Reversed),
                        Err(ControlError::NotCompleted { status, .. }) => {
                            assert_ne!(status.class(), Some(StatusClass::Completed))
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            Op::Advance(secs) => sim.advance(Duration::from_secs(*secs)),
            Op::Settle => tokio::time::sleep(Duration::from_millis(3)).await,
        }
        check(&sim, step, op);
        check_http(&api).await;
    }
}

/// What the API shows never exceeds the start, and is never negative.
async fn check_http(api: &Api) {
    let (available, holding) = api.balance().await;
    assert!(!available.is_sign_negative() && !holding.is_sign_negative());
    assert!(available + holding <= START);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn balance_is_conserved_at_every_step(ops in prop::collection::vec(op(), 1..24)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(ops));
    }
}
