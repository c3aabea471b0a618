//! The DVS 1.0.0 client.

use super::generated as g;
use super::{Product, Transaction};
use crate::client::id32;
use crate::convert;
use crate::{Error, ErrorCode, NewTransaction, Outcome};
use g::types;

/// What only DVS 1.0.0 has (single-mode transactions); the methods every
/// version has are on [`crate::Client`], and each list of the spec is a method
/// generated from it (`products`, `operators`, `transactions`...).
///
/// ```no_run
/// use dvs::{v1_0, Credentials, Environment, NewTransaction};
/// # async fn run() -> Result<(), dvs::Error> {
/// let client = v1_0::Client::builder()
///     .environment(Environment::Sandbox)
///     .credentials(Credentials::new("key", "secret"))
///     .build()?;
/// let (products, _malformed) = client.products(|q| q.country_iso_code("GTM")).collect_split().await?;
/// let tx = NewTransaction::new("order-1042", products[0].id())
///     .credit_party_mobile_number("+50212345100")
///     .auto_confirm(true);
/// let created = client.create_transaction(&tx).await?;
/// let done = client
///     .await_final(created.transaction_id().unwrap(), std::time::Duration::from_secs(120))
///     .await?;
/// println!("{}", done.status_class());
/// # Ok(())
/// # }
/// ```
impl crate::Client<g::Client> {
    /// One promotion.
    pub async fn promotion(&self, id: i64) -> Result<types::Promotion, Error> {
        let id = id32("promotion_id", id)?;
        convert::value(self.raw.get_promotion_by_id().promotion_id(id).send().await)
    }

    /// One product.
    pub async fn product(&self, id: i64) -> Result<Product, Error> {
        let id = id32("product_id", id)?;
        convert::value(self.raw.get_product_by_id().product_id(id).send().await)
    }

    /// Creates a transaction, exactly once, even when this future is dropped.
    ///
    /// `external_id` is the idempotency key: store it with your order
    /// **before** calling. When the outcome is unknown (timeout, connection
    /// lost after sending, 5xx) or DVS answers 1007001, the transaction is
    /// looked up by `external_id` and returned if it is the same order; a
    /// second create is sent only when the look-up proves none exists.
    /// Cancellation-safe, as in 1.21.0: call again with the same
    /// [`NewTransaction`] to learn what became of a create whose outcome is
    /// unknown; never retry under a new `external_id`. Needs a Tokio runtime.
    pub async fn create_transaction(&self, tx: &NewTransaction) -> Result<Transaction, Error> {
        tx.validate()?;
        let body: types::TransactionRequest = tx.to_request(true)?;
        let outcome = Outcome::unknown_create(tx.external_id());
        self.create_with(tx, move |raw| {
            let (body, outcome) = (body.clone(), outcome.clone());
            async move {
                let r = raw.post_transaction().body(body).send().await;
                Ok(convert::result(r, outcome)?.into_inner())
            }
        })
        .await
    }

    /// Confirms a created transaction (within 60 minutes of creation). A lost
    /// response is recovered by reading the transaction back; a duplicate
    /// confirm (1007002) returns the transaction as it is. Cancellation-safe.
    pub async fn confirm_transaction(&self, id: i64) -> Result<Transaction, Error> {
        self.act_with(id, ErrorCode::AlreadyConfirmed, move |raw| async move {
            let r = raw
                .post_transaction_confirm()
                .transaction_id(id)
                .send()
                .await;
            Ok(convert::result(r, Outcome::unknown_action(id))?.into_inner())
        })
        .await
    }
}
