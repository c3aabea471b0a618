//! The DVS 1.0.0 client.

use super::generated as g;
use super::{Product, Transaction};
use crate::convert::{self, n32, positive, to_raw};
use crate::flows;
use crate::{
    validate, CallSettings, ClientBuilder, DiscoveryFilter, Error, ErrorCode, Item, NewTransaction,
    Outcome, Paginator, ProductFilter, PromotionFilter, TransactionFilter,
};
use g::types;
use std::time::Duration;

/// The DVS 1.0.0 client: discovery and transactions that never
/// double-spend (single-mode transactions, four product types). Cheap to clone; clones share one connection pool.
///
/// ```no_run
/// use dvs::{v1_0, Credentials, Environment, NewTransaction, ProductFilter};
/// # async fn run() -> Result<(), dvs::Error> {
/// let client = v1_0::Client::builder()
///     .environment(Environment::Sandbox)
///     .credentials(Credentials::new("key", "secret"))
///     .build()?;
/// let (products, _malformed) = client.products(ProductFilter::new().country("GTM"))?.collect_split().await?;
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
#[derive(Clone)]
pub struct Client {
    raw: g::Client,
    creates: std::sync::Arc<flows::Creates<Transaction>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use progenitor_client::ClientInfo as _;
        f.debug_struct("v1_0::Client")
            .field("base_url", &self.raw.baseurl())
            .field("settings", self.raw.inner())
            .finish()
    }
}

impl crate::config::private::Sealed for Client {}

impl crate::FromConfig for Client {
    fn from_parts(base_url: String, http: reqwest::Client, settings: CallSettings) -> Self {
        Self {
            raw: g::Client::new_with_client(&base_url, http, settings),
            creates: std::sync::Arc::default(),
        }
    }
}

impl Client {
    crate::shared_ops::shared_client_methods!();

    /// Refuses transaction filters DVS 1.0.0 does not have.
    fn check_transaction_filter(filter: &TransactionFilter) -> Result<(), Error> {
        if filter.subservice_id.is_some() {
            return Err(unsupported("subservice_id"));
        }
        known_type("product_type", filter.product_type.as_ref())
    }

    /// DVS 1.0.0 has no transaction filters beyond the shared ones.
    fn version_transaction_filters<'a>(
        req: g::builder::GetTransactions<'a>,
        _f: &TransactionFilter,
    ) -> Result<g::builder::GetTransactions<'a>, Error> {
        Ok(req)
    }

    /// A builder (sandbox by default).
    pub fn builder() -> ClientBuilder<Self> {
        ClientBuilder::default()
    }

    /// The generated client underneath, for anything the facade does not cover.
    pub fn raw(&self) -> &super::raw::Client {
        &self.raw
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        use progenitor_client::ClientInfo as _;
        self.raw.baseurl()
    }

    // ----- discovery -------------------------------------------------------

    /// Services.
    pub fn services(&self) -> Paginator<Item<types::Service>> {
        let raw = self.raw.clone();
        Paginator::new(move |page, per_page| {
            let raw = raw.clone();
            async move {
                let req = raw
                    .get_services()
                    .page(n32("page", page)?)
                    .per_page(n32("per_page", per_page)?);
                convert::page(req.send().await)
            }
        })
    }

    /// Countries.
    pub fn countries(&self) -> Paginator<Item<types::Country>> {
        let raw = self.raw.clone();
        Paginator::new(move |page, per_page| {
            let raw = raw.clone();
            async move {
                let req = raw
                    .get_countries()
                    .page(n32("page", page)?)
                    .per_page(n32("per_page", per_page)?);
                convert::page(req.send().await)
            }
        })
    }

    /// Operators (only `country_iso_code` filters this list in 1.0.0).
    pub fn operators(
        &self,
        filter: DiscoveryFilter,
    ) -> Result<Paginator<Item<types::Operator>>, Error> {
        filter.validate()?;
        if filter.service_id.is_some() || filter.subservice_id.is_some() {
            return Err(unsupported("service_id"));
        }
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, filter) = (raw.clone(), filter.clone());
            async move {
                let mut req = raw
                    .get_operators()
                    .page(n32("page", page)?)
                    .per_page(n32("per_page", per_page)?);
                if let Some(c) = filter.country_iso_code {
                    req = req
                        .country_iso_code(to_raw::<types::CountryIsoCode>("country_iso_code", c)?);
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// Promotions.
    pub fn promotions(
        &self,
        filter: PromotionFilter,
    ) -> Result<Paginator<Item<types::Promotion>>, Error> {
        filter.validate()?;
        if filter.language.is_some() {
            return Err(unsupported("language"));
        }
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, filter) = (raw.clone(), filter.clone());
            async move {
                let mut req = raw
                    .get_promotions()
                    .page(n32("page", page)?)
                    .per_page(n32("per_page", per_page)?);
                if let Some(c) = filter.country_iso_code {
                    req = req
                        .country_iso_code(to_raw::<types::CountryIsoCode>("country_iso_code", c)?);
                }
                if let Some(o) = filter.operator_id {
                    req = req.operator_id(to_raw::<types::OperatorId>("operator_id", o)?);
                }
                if let Some(p) = filter.product_id {
                    req = req.product_id(to_raw::<types::ProductId>("product_id", p)?);
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// One promotion.
    pub async fn promotion(&self, id: i64) -> Result<types::Promotion, Error> {
        let id = to_raw::<types::PromotionId>("promotion_id", positive("promotion_id", id)?)?;
        convert::value(self.raw.get_promotion_by_id().promotion_id(id).send().await)
    }

    /// Products, of every type; a type this crate does not know comes as
    /// [`Product::Unknown`], and a product that does not decode as
    /// [`Item::Malformed`] (the rest of its page decodes).
    ///
    /// ```no_run
    /// # async fn run(client: dvs::v1_0::Client) -> Result<(), dvs::Error> {
    /// use futures::StreamExt;
    /// let mut items = std::pin::pin!(client
    ///     .products(dvs::ProductFilter::new().region("GT-GU"))?
    ///     .concurrency(4)
    ///     .items());
    /// while let Some(item) = items.next().await {
    ///     match item? {
    ///         dvs::Item::Ok(p) => println!("{} {} {}", p.id(), p.product_type(), p.name()),
    ///         dvs::Item::Malformed(m) => eprintln!("skipped: {m}"),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn products(&self, filter: ProductFilter) -> Result<Paginator<Item<Product>>, Error> {
        filter.validate()?;
        if filter.subservice_id.is_some() {
            return Err(unsupported("subservice_id"));
        }
        if filter.language.is_some() {
            return Err(unsupported("language"));
        }
        known_type("type", filter.product_type.as_ref())?;
        if let Some(r) = &filter.region {
            validate::region_code_v1_0("region", r)?;
        }
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, filter) = (raw.clone(), filter.clone());
            async move {
                let mut req = raw
                    .get_products()
                    .page(n32("page", page)?)
                    .per_page(n32("per_page", per_page)?);
                if let Some(t) = &filter.product_type {
                    req = req.type_(to_raw::<super::ProductType>("type", t.as_str())?);
                }
                if let Some(s) = filter.service_id {
                    req = req.service_id(to_raw::<types::ServiceId>("service_id", s)?);
                }
                if let Some(tags) = filter.tags_param() {
                    req = req.tags(tags);
                }
                if let Some(c) = &filter.country_iso_code {
                    req = req
                        .country_iso_code(to_raw::<types::CountryIsoCode>("country_iso_code", c)?);
                }
                if let Some(o) = filter.operator_id {
                    req = req.operator_id(to_raw::<types::OperatorId>("operator_id", o)?);
                }
                if let Some(r) = &filter.region {
                    req = req.region(to_raw::<types::RegionCode>("region", r)?);
                }
                if let Some(b) = filter.benefit_types_param() {
                    req = req.benefit_types(b);
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// One product.
    pub async fn product(&self, id: i64) -> Result<Product, Error> {
        let id = to_raw::<types::ProductId>("product_id", positive("product_id", id)?)?;
        convert::value(self.raw.get_product_by_id().product_id(id).send().await)
    }

    // ----- transactions ----------------------------------------------------

    /// Creates a transaction, exactly once, even when this future is dropped.
    ///
    /// `external_id` is the idempotency key: store it with your order
    /// **before** calling. When the outcome is unknown (timeout, connection
    /// lost after sending, 5xx) or DVS answers 1007001, the transaction is
    /// looked up by `external_id` and returned if it is the same order; a
    /// second create is sent only when the look-up proves none exists.
    ///
    /// Cancellation-safe: the request and its recovery run in a task of the
    /// client, so dropping this future (a timeout, `select!`) does not stop a
    /// create that may already be funded. To learn what became of it (after
    /// a dropped future, a crash, or an error whose outcome is unknown, see
    /// [`Error::outcome_unknown`]), call `create_transaction` again with the
    /// same [`NewTransaction`]: it returns the transaction that exists
    /// (without a second create on the wire when this client already holds
    /// it) or creates it if none exists. Never retry under a new
    /// `external_id`.
    ///
    /// The same `external_id` for a different order (another product,
    /// credit party, amount...) is [`Error::ExternalIdAlreadyUsed`], which
    /// carries the existing transaction. Needs a Tokio runtime.
    pub async fn create_transaction(&self, tx: &NewTransaction) -> Result<Transaction, Error> {
        tx.validate()?;
        let (this, new) = (self.clone(), tx.clone());
        self.creates
            .run(tx, move || async move { this.create_now(&new).await })
            .await
    }

    /// The create flow, run by [`Client::create_transaction`]'s task.
    async fn create_now(&self, tx: &NewTransaction) -> Result<Transaction, Error> {
        let body: types::TransactionRequest = tx.to_request(true)?;
        let outcome = Outcome::unknown_create(tx.external_id());
        flows::create(
            tx,
            || {
                let (body, outcome) = (body.clone(), outcome.clone());
                async move {
                    let r = self.raw.post_transaction().body(body).send().await;
                    Ok(convert::result(r, outcome)?.into_inner())
                }
            },
            || self.transaction_by_external_id(tx.external_id()),
        )
        .await
    }

    /// Confirms a created transaction (within 60 minutes of creation). A lost
    /// response is recovered by reading the transaction back; a duplicate
    /// confirm (1007002) returns the transaction as it is.
    ///
    /// Cancellation-safe: the request and its recovery run in a task of the
    /// client even if this future is dropped. If the outcome stays unknown,
    /// the error's [`Outcome::Unknown`] carries the transaction id: read it
    /// back with [`Client::transaction`] before confirming again.
    pub async fn confirm_transaction(&self, id: i64) -> Result<Transaction, Error> {
        positive("transaction_id", id)?;
        let this = self.clone();
        flows::detached(Outcome::unknown_action(id), async move {
            this.confirm_now(id).await
        })
        .await
    }

    /// The confirm flow, run by [`Client::confirm_transaction`]'s task.
    async fn confirm_now(&self, id: i64) -> Result<Transaction, Error> {
        let tid =
            to_raw::<types::TransactionId>("transaction_id", positive("transaction_id", id)?)?;
        flows::act(
            id,
            ErrorCode::AlreadyConfirmed,
            || {
                let tid = tid.clone();
                async move {
                    let r = self
                        .raw
                        .post_transaction_confirm()
                        .transaction_id(tid)
                        .send()
                        .await;
                    Ok(convert::result(r, Outcome::unknown_action(id))?.into_inner())
                }
            },
            || self.transaction(id),
        )
        .await
    }
}

/// A product type a later API version of this crate knows but DVS 1.0.0
/// does not have (e.g. `RANGED_VALUE_PAYMENT`) is refused; a type the crate
/// does not know is sent as given.
fn known_type(field: &'static str, t: Option<&String>) -> Result<(), Error> {
    #[cfg(feature = "v1_21")]
    let later: &[&str] = <crate::v1_21::ProductType as crate::OpenEnum>::KNOWN;
    #[cfg(not(feature = "v1_21"))]
    let later: &[&str] = &[];
    match t {
        Some(t) if later.contains(&t.as_str()) && !Product::KNOWN_TAGS.contains(&t.as_str()) => {
            Err(Error::invalid(
                field,
                format!("{t} is not a product type of DVS 1.0.0"),
            ))
        }
        _ => Ok(()),
    }
}

fn unsupported(field: &'static str) -> Error {
    Error::invalid(field, "not a filter of DVS 1.0.0")
}
