//! Money safety of the facade against the simulator: a reused
//! `external_id`.

use crate::support::{self, gtm_number, gtm_recharge};
use dvs::simulator::Simulator;
use dvs::v1_21::{Client, Transaction};
use dvs::{Credentials, Error, Mode, NewTransaction, RetryPolicy};
use std::time::Duration;

fn facade(base_url: &str, sim: &Simulator) -> Client {
    let (key, secret) = sim.credentials();
    Client::builder()
        .base_url(base_url)
        .credentials(Credentials::new(key, secret))
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .read_timeout(Duration::from_secs(5))
        .transaction_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_reused_external_id_for_another_number_is_refused_with_the_existing_transaction() {
    let (sim, api) = support::start(support::config()).await;
    let product = gtm_recharge(&api).await;
    let client = facade(&sim.base_url(), &sim);
    let first = NewTransaction::new("dup-1", product).credit_party_mobile_number(gtm_number("100"));
    let created = client
        .create_transaction(&first, Mode::Async)
        .await
        .unwrap();

    // Same external_id, same product, another number: another order.
    let other = NewTransaction::new("dup-1", product).credit_party_mobile_number(gtm_number("999"));
    let err = client
        .create_transaction(&other, Mode::Async)
        .await
        .unwrap_err();
    match &err {
        Error::ExternalIdAlreadyUsed {
            external_id,
            transaction_id,
            differences,
            ..
        } => {
            assert_eq!(external_id, "dup-1");
            assert_eq!(*transaction_id, created.transaction_id());
            assert_eq!(differences, &["credit_party_identifier.mobile_number"]);
        }
        other => panic!("expected ExternalIdAlreadyUsed, got {other:?}"),
    }
    let existing = err
        .existing_transaction::<Transaction>()
        .expect("the existing transaction, as the client's type");
    assert_eq!(existing.transaction_id(), created.transaction_id());
    assert_eq!(
        serde_json::to_value(existing).unwrap()["credit_party_identifier"]["mobile_number"],
        gtm_number("100").as_str()
    );
    let shown = err.to_string();
    assert!(
        shown.contains("dup-1") && shown.contains("credit_party_identifier.mobile_number"),
        "{shown}"
    );
    assert!(!err.outcome_unknown());

    // The same order sent again is the existing transaction.
    let again = client
        .create_transaction(&first, Mode::Async)
        .await
        .unwrap();
    assert_eq!(again.transaction_id(), created.transaction_id());

    assert_eq!(sim.transactions().len(), 1, "one transaction only");
    assert_eq!(sim.creates_received("dup-1"), 3);
}
