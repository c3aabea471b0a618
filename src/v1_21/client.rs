//! The DVS 1.21.0 client.

use super::generated as g;
use super::{Product, Transaction};
use crate::convert::{self, localized, n32, positive, to_raw};
use crate::flows;
use crate::{
    validate, CallSettings, ClientBuilder, DiscoveryFilter, Error, ErrorCode, Item, Localized,
    Mode, NewTransaction, Outcome, Paginator, ProductFilter, PromotionFilter, TransactionFilter,
};
use g::types;
use std::time::Duration;

/// A credit party to look up: a mobile number or an account number.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreditParty {
    /// A mobile number (E.164).
    MobileNumber(String),
    /// An account number, with its qualifier when the product needs one.
    AccountNumber {
        /// The account number.
        number: String,
        /// Its qualifier.
        qualifier: Option<String>,
    },
}

impl CreditParty {
    fn to_json(&self) -> Result<serde_json::Value, Error> {
        Ok(match self {
            Self::MobileNumber(n) => {
                validate::mobile_number("credit_party_identifier.mobile_number", n)?;
                serde_json::json!({"mobile_number": n})
            }
            Self::AccountNumber { number, qualifier } => {
                if number.trim().is_empty() || number.chars().count() > 90 {
                    return Err(Error::invalid(
                        "credit_party_identifier.account_number",
                        "must be 1 to 90 characters, not blank",
                    ));
                }
                let mut v = serde_json::json!({"account_number": number});
                if let Some(q) = qualifier {
                    v["account_qualifier"] = q.clone().into();
                }
                v
            }
        })
    }
}

/// The DVS 1.21.0 client: discovery, transactions that never double-spend,
/// look-ups. Cheap to clone; clones share one connection pool.
///
/// ```no_run
/// use dvs::{v1_21, Credentials, Environment, Mode, NewTransaction, ProductFilter};
/// # async fn run() -> Result<(), dvs::Error> {
/// let client = v1_21::Client::builder()
///     .environment(Environment::Sandbox)
///     .credentials(Credentials::new("key", "secret"))
///     .build()?;
/// let (products, _malformed) = client.products(ProductFilter::new().country("GTM"))?.collect_split().await?;
/// let tx = NewTransaction::new("order-1042", products[0].id())
///     .credit_party_mobile_number("+50212345100")
///     .auto_confirm(true);
/// let created = client.create_transaction(&tx, Mode::Async).await?;
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
        f.debug_struct("v1_21::Client")
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

    /// Refuses transaction filters this version does not have (none).
    fn check_transaction_filter(_filter: &TransactionFilter) -> Result<(), Error> {
        Ok(())
    }

    /// The transaction filters only this version has: `subservice_id`.
    fn version_transaction_filters<'a>(
        req: g::builder::GetTransactions<'a>,
        f: &TransactionFilter,
    ) -> Result<g::builder::GetTransactions<'a>, Error> {
        Ok(match f.subservice_id {
            Some(s) => req.subservice_id(to_raw::<types::SubServiceId>("subservice_id", s)?),
            None => req,
        })
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

    /// Services (only `country_iso_code` filters this list).
    pub fn services(
        &self,
        filter: DiscoveryFilter,
    ) -> Result<Paginator<Item<types::Service>>, Error> {
        filter.validate()?;
        if filter.service_id.is_some() || filter.subservice_id.is_some() {
            return Err(Error::invalid(
                "service_id",
                "services are filtered by country only",
            ));
        }
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, filter) = (raw.clone(), filter.clone());
            async move {
                let mut req = raw
                    .get_services()
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

    /// Countries (filtered by service and subservice).
    pub fn countries(
        &self,
        filter: DiscoveryFilter,
    ) -> Result<Paginator<Item<types::Country>>, Error> {
        filter.validate()?;
        if filter.country_iso_code.is_some() {
            return Err(Error::invalid(
                "country_iso_code",
                "not a filter of countries",
            ));
        }
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, filter) = (raw.clone(), filter.clone());
            async move {
                let mut req = raw
                    .get_countries()
                    .page(n32("page", page)?)
                    .per_page(n32("per_page", per_page)?);
                if let Some(s) = filter.service_id {
                    req = req.service_id(to_raw::<types::ServiceId>("service_id", s)?);
                }
                if let Some(s) = filter.subservice_id {
                    req = req.subservice_id(to_raw::<types::SubServiceId>("subservice_id", s)?);
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// Operators.
    pub fn operators(
        &self,
        filter: DiscoveryFilter,
    ) -> Result<Paginator<Item<types::Operator>>, Error> {
        filter.validate()?;
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
                if let Some(s) = filter.service_id {
                    req = req.service_id(to_raw::<types::ServiceId>("service_id", s)?);
                }
                if let Some(s) = filter.subservice_id {
                    req = req.subservice_id(to_raw::<types::SubServiceId>("subservice_id", s)?);
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// Promotions (localized with [`PromotionFilter::language`]).
    pub fn promotions(
        &self,
        filter: PromotionFilter,
    ) -> Result<Paginator<Item<types::Promotion>>, Error> {
        filter.validate()?;
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
                if let Some(l) = filter.language {
                    req = req.accept_language(l);
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// One promotion, optionally localized (`Accept-Language`).
    pub async fn promotion(
        &self,
        id: i64,
        language: Option<&str>,
    ) -> Result<Localized<types::Promotion>, Error> {
        let id = to_raw::<types::PromotionId>("promotion_id", positive("promotion_id", id)?)?;
        let mut req = self.raw.get_promotion_by_id().promotion_id(id);
        if let Some(l) = language {
            req = req.accept_language(l.to_string());
        }
        localized(req.send().await)
    }

    /// Active campaigns.
    pub fn campaigns(
        &self,
        filter: PromotionFilter,
    ) -> Result<Paginator<Item<types::Campaign>>, Error> {
        filter.validate()?;
        if filter.language.is_some() {
            return Err(Error::invalid("language", "campaigns are not localized"));
        }
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, filter) = (raw.clone(), filter.clone());
            async move {
                let mut req = raw
                    .get_campaigns()
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

    /// One campaign.
    pub async fn campaign(&self, id: i64) -> Result<types::Campaign, Error> {
        let id = to_raw::<types::CampaignId>("campaign_id", positive("campaign_id", id)?)?;
        convert::value(self.raw.get_campaign_by_id().campaign_id(id).send().await)
    }

    /// Products, of every type; a type this crate does not know comes as
    /// [`Product::Unknown`], and a product that does not decode as
    /// [`Item::Malformed`] (the rest of its page decodes).
    ///
    /// ```no_run
    /// # async fn run(client: dvs::v1_21::Client) -> Result<(), dvs::Error> {
    /// use futures::StreamExt;
    /// let mut items = std::pin::pin!(client
    ///     .products(dvs::ProductFilter::new().region("GTM"))?
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
                if let Some(s) = filter.subservice_id {
                    req = req.subservice_id(to_raw::<types::SubServiceId>("subservice_id", s)?);
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
                if let Some(l) = &filter.language {
                    req = req.accept_language(l.clone());
                }
                convert::page(req.send().await)
            }
        }))
    }

    /// One product, optionally localized (`Accept-Language`).
    pub async fn product(
        &self,
        id: i64,
        language: Option<&str>,
    ) -> Result<Localized<Product>, Error> {
        let id = to_raw::<types::ProductId>("product_id", positive("product_id", id)?)?;
        let mut req = self.raw.get_product_by_id().product_id(id);
        if let Some(l) = language {
            req = req.accept_language(l.to_string());
        }
        localized(req.send().await)
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
    pub async fn create_transaction(
        &self,
        tx: &NewTransaction,
        mode: Mode,
    ) -> Result<Transaction, Error> {
        tx.validate()?;
        let (this, new) = (self.clone(), tx.clone());
        self.creates
            .run(tx, move || async move { this.create_now(&new, mode).await })
            .await
    }

    /// The create flow, run by [`Client::create_transaction`]'s task.
    async fn create_now(&self, tx: &NewTransaction, mode: Mode) -> Result<Transaction, Error> {
        // Only the asynchronous create takes a callback URL in 1.21.0.
        let body: types::TransactionRequest = tx.to_request(mode == Mode::Async)?;
        let outcome = Outcome::unknown_create(tx.external_id());
        flows::create(
            tx,
            || {
                let (body, outcome) = (body.clone(), outcome.clone());
                async move {
                    let r = match mode {
                        Mode::Async => self.raw.post_transaction_async().body(body).send().await,
                        Mode::Sync => self.raw.post_transaction_sync().body(body).send().await,
                    };
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
    pub async fn confirm_transaction(&self, id: i64, mode: Mode) -> Result<Transaction, Error> {
        positive("transaction_id", id)?;
        let this = self.clone();
        flows::detached(Outcome::unknown_action(id), async move {
            this.confirm_now(id, mode).await
        })
        .await
    }

    /// The confirm flow, run by [`Client::confirm_transaction`]'s task.
    async fn confirm_now(&self, id: i64, mode: Mode) -> Result<Transaction, Error> {
        let tid =
            to_raw::<types::TransactionId>("transaction_id", positive("transaction_id", id)?)?;
        flows::act(
            id,
            ErrorCode::AlreadyConfirmed,
            || {
                let tid = tid.clone();
                async move {
                    let r = match mode {
                        Mode::Async => {
                            self.raw
                                .post_transaction_confirm_async()
                                .transaction_id(tid)
                                .send()
                                .await
                        }
                        Mode::Sync => {
                            self.raw
                                .post_transaction_confirm_sync()
                                .transaction_id(tid)
                                .send()
                                .await
                        }
                    };
                    Ok(convert::result(r, Outcome::unknown_action(id))?.into_inner())
                }
            },
            || self.transaction(id),
        )
        .await
    }

    // ----- look-ups --------------------------------------------------------

    /// Operators a mobile number may belong to (`POST /lookup/mobile-number`).
    ///
    /// DVS also keeps a deprecated form with the number in the path,
    /// `GET /lookup/mobile-number/{mobile_number}`; it answers the same. The
    /// facade does not use it; it is there for code ported from clients that
    /// call it, as `get_lookup_mobile_number` on [`Client::raw`].
    pub fn lookup_mobile_number(
        &self,
        mobile_number: &str,
    ) -> Result<Paginator<Item<types::MobileNumberOperator>>, Error> {
        validate::mobile_number("mobile_number", mobile_number)?;
        let raw = self.raw.clone();
        let number = mobile_number.to_string();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, number) = (raw.clone(), number.clone());
            async move {
                let body: types::MobileNumberLookupRequest = to_raw(
                    "body",
                    serde_json::json!({"mobile_number": number, "page": page, "per_page": per_page}),
                )?;
                convert::page(raw.post_lookup_mobile_number().body(body).send().await)
            }
        }))
    }

    /// Statements of an account, for a bill payment product.
    pub fn statement_inquiry(
        &self,
        product_id: i64,
        account_number: &str,
        account_qualifier: Option<&str>,
    ) -> Result<Paginator<Item<types::Statement>>, Error> {
        positive("product_id", product_id)?;
        let mut base = CreditParty::AccountNumber {
            number: account_number.to_string(),
            qualifier: account_qualifier.map(str::to_string),
        }
        .to_json()?;
        base["product_id"] = product_id.into();
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, mut body) = (raw.clone(), base.clone());
            async move {
                body["page"] = page.into();
                body["per_page"] = per_page.into();
                let body: types::StatementInquiryRequest = to_raw("body", body)?;
                convert::page(raw.post_lookup_statement_inquiry().body(body).send().await)
            }
        }))
    }

    /// Benefits a credit party has left, for a service.
    pub fn credit_party_benefits(
        &self,
        service_id: i64,
        party: &CreditParty,
    ) -> Result<Paginator<Item<types::CreditPartyBenefit>>, Error> {
        positive("service_id", service_id)?;
        let base = serde_json::json!({"service_id": service_id, "credit_party_identifier": party.to_json()?});
        let raw = self.raw.clone();
        Ok(Paginator::new(move |page, per_page| {
            let (raw, mut body) = (raw.clone(), base.clone());
            async move {
                body["page"] = page.into();
                body["per_page"] = per_page.into();
                let body: types::CreditPartyBenefitsRequest = to_raw("body", body)?;
                convert::page(
                    raw.post_lookup_credit_party_benefits()
                        .body(body)
                        .send()
                        .await,
                )
            }
        }))
    }

    /// The status of a credit party's subscription, for a service.
    pub async fn credit_party_status(
        &self,
        service_id: i64,
        party: &CreditParty,
    ) -> Result<types::CreditPartyStatus, Error> {
        positive("service_id", service_id)?;
        let body: types::CreditPartyStatusRequest = to_raw(
            "body",
            serde_json::json!({"service_id": service_id, "credit_party_identifier": party.to_json()?}),
        )?;
        convert::value(
            self.raw
                .post_lookup_credit_party_status()
                .body(body)
                .send()
                .await,
        )
    }
}
