//! The DVS client, written once for every API version: the methods every
//! version has are here; each version module adds what only it has, and the
//! code generator adds one method per list operation of the spec.

use crate::flows::{self, TxView};
use crate::page::PageFuture;
pub(crate) use crate::validate::positive;
use crate::{CallSettings, ClientBuilder, Error, ErrorCode, Item, Outcome};
use futures::future::BoxFuture;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

/// The future of one call of the generated client, converted.
pub(crate) type Call<'a, T> = BoxFuture<'a, Result<T, Error>>;

/// What the facade's shared methods call on a version's generated client.
/// Implemented by the code generator for the generated client of each DVS
/// version; sealed.
#[allow(private_bounds)]
pub trait Operations: crate::config::private::Sealed + Clone + Send + Sync + 'static {
    /// A transaction as this version returns it.
    type Transaction: TxView + Clone + DeserializeOwned;
    /// A service.
    type Service;
    /// A country.
    type Country;
    /// An operator.
    type Operator;

    /// The version's module (`v1_21`).
    #[doc(hidden)]
    const MODULE: &'static str;
    #[doc(hidden)]
    fn connect(base_url: &str, http: reqwest::Client, settings: CallSettings) -> Self;
    #[doc(hidden)]
    fn base_url(&self) -> &str;
    #[doc(hidden)]
    fn settings(&self) -> &CallSettings;
    #[doc(hidden)]
    fn get_service(&self, id: i64) -> Call<'_, Self::Service>;
    #[doc(hidden)]
    fn get_country<'a>(&'a self, iso_code: &'a str) -> Call<'a, Self::Country>;
    #[doc(hidden)]
    fn get_operator(&self, id: i64) -> Call<'_, Self::Operator>;
    #[doc(hidden)]
    fn get_transaction(&self, id: i64) -> Call<'_, Self::Transaction>;
    #[doc(hidden)]
    fn cancel(&self, id: i64) -> Call<'_, Self::Transaction>;
    #[doc(hidden)]
    fn transactions_by_external_id<'a>(
        &'a self,
        external_id: &'a str,
    ) -> PageFuture<'a, Self::Transaction>;
}

/// A DVS client of one API version (`dvs::v1_21::Client`,
/// `dvs::v1_0::Client`): discovery, transactions that never double-spend,
/// look-ups. Cheap to clone; clones share one connection pool.
///
/// Every list operation of the version's spec is a method that takes the
/// list's filters as a function over the generated request builder, whose
/// setters check each value against the spec before anything is sent:
///
/// ```no_run
/// # async fn run(client: dvs::v1_21::Client) -> Result<(), dvs::Error> {
/// let (products, _malformed) = client
///     .products(|q| q.country_iso_code("GTM").benefit_types("DATA,SMS"))
///     .collect_split()
///     .await?;
/// let everything = client.operators(|q| q).collect_all().await?;
/// # Ok(())
/// # }
/// ```
pub struct Client<R: Operations> {
    pub(crate) raw: R,
    pub(crate) creates: Arc<flows::Creates<R::Transaction>>,
}

impl<R: Operations> Clone for Client<R> {
    fn clone(&self) -> Self {
        Self {
            raw: self.raw.clone(),
            creates: self.creates.clone(),
        }
    }
}

impl<R: Operations> std::fmt::Debug for Client<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(&format!("{}::Client", R::MODULE))
            .field("base_url", &self.raw.base_url())
            .field("settings", self.raw.settings())
            .finish()
    }
}

impl<R: Operations> crate::config::private::Sealed for Client<R> {}

impl<R: Operations> crate::FromConfig for Client<R> {
    const SANDBOX: &'static str = "https://preprod-dvs-api.dtone.com/v1";
    const PRODUCTION: &'static str = "https://dvs-api.dtone.com/v1";
    fn from_parts(base_url: String, http: reqwest::Client, settings: CallSettings) -> Self {
        Self {
            raw: R::connect(&base_url, http, settings),
            creates: Arc::default(),
        }
    }
}

impl<R: Operations> Client<R> {
    /// A builder (sandbox by default).
    pub fn builder() -> ClientBuilder<Self> {
        ClientBuilder::default()
    }

    /// The generated client underneath, for anything the facade does not cover.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        self.raw.base_url()
    }

    /// One service.
    pub async fn service(&self, id: i64) -> Result<R::Service, Error> {
        self.raw.get_service(positive("service_id", id)?).await
    }

    /// One country, by ISO code.
    pub async fn country(&self, iso_code: &str) -> Result<R::Country, Error> {
        self.raw.get_country(iso_code).await
    }

    /// One operator.
    pub async fn operator(&self, id: i64) -> Result<R::Operator, Error> {
        self.raw.get_operator(positive("operator_id", id)?).await
    }

    /// One transaction, by id.
    pub async fn transaction(&self, id: i64) -> Result<R::Transaction, Error> {
        self.raw
            .get_transaction(positive("transaction_id", id)?)
            .await
    }

    /// Cancels a transaction that is still `CREATED`, releasing the held amount.
    ///
    /// Cancellation-safe: the request and its recovery run in a task of
    /// the client even if this future is dropped. If the outcome stays
    /// unknown, the error's [`Outcome::Unknown`] carries the transaction
    /// id: read it back with [`Client::transaction`] before cancelling again.
    pub async fn cancel_transaction(&self, id: i64) -> Result<R::Transaction, Error> {
        self.act_with(id, ErrorCode::AlreadyCancelled, move |raw| async move {
            raw.cancel(id).await
        })
        .await
    }

    /// The transaction with your reference `external_id`, if any.
    ///
    /// `Ok(None)` means DVS has no such transaction. When DVS lists one
    /// that does not decode and may be it, the answer is the decoding
    /// error, never `None`: a transaction that exists must not be
    /// created again.
    pub async fn transaction_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<R::Transaction>, Error> {
        crate::validate::external_id(external_id)?;
        let page =
            crate::transport::capturing_headers(self.raw.transactions_by_external_id(external_id))
                .await?;
        let mut undecoded = None;
        for item in page.items {
            match item {
                Item::Ok(t) if t.tx_external_id() == external_id => return Ok(Some(t)),
                Item::Ok(_) => {}
                Item::Malformed(m) => {
                    let other = m
                        .raw()
                        .get("external_id")
                        .and_then(serde_json::Value::as_str)
                        .is_some_and(|e| e != external_id);
                    if !other {
                        undecoded = Some(m);
                    }
                }
            }
        }
        match undecoded {
            Some(m) => Err(m.into_error()),
            None => Ok(None),
        }
    }

    /// Polls a transaction until its status is final (capped backoff), or
    /// fails with [`Error::NotFinal`] carrying the last status seen.
    ///
    /// ```no_run
    /// # async fn run(client: dvs::v1_21::Client) -> Result<(), dvs::Error> {
    /// match client.await_final(123, std::time::Duration::from_secs(300)).await {
    ///     Ok(tx) => println!("final: {}", tx.status_class()),
    ///     Err(dvs::Error::NotFinal { last_status, .. }) => println!("still {last_status}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn await_final(&self, id: i64, deadline: Duration) -> Result<R::Transaction, Error> {
        flows::await_final(id, deadline, || self.transaction(id)).await
    }

    /// Parses a callback body (the transaction DVS posts to `callback_url`).
    /// Do not act on it before [`Client::verify_callback`]: callbacks are not
    /// signed.
    pub fn parse_callback(body: &[u8]) -> Result<R::Transaction, Error> {
        let mut de = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| Error::decode(e.path().to_string(), &e.inner().to_string()))
    }

    /// Parses a callback body and checks it against the transaction as DVS
    /// reports it (same id and `external_id`, a status that agrees), and
    /// returns DVS's version. DVS does not sign callbacks, so anyone who
    /// knows the URL can post one: never trust a callback without this.
    ///
    /// ```no_run
    /// # async fn on_callback(client: dvs::v1_21::Client, body: &[u8]) -> Result<(), dvs::Error> {
    /// // In your HTTP handler, with the raw request body:
    /// let tx = client.verify_callback(body).await?;
    /// if tx.is_success() {
    ///     // deliver the order for tx.external_id
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn verify_callback(&self, body: &[u8]) -> Result<R::Transaction, Error> {
        let claimed = Self::parse_callback(body)?;
        flows::verify_callback(claimed, |id| self.transaction(id)).await
    }

    /// The create flow with recovery by `external_id`, over one version's
    /// create call, run in a task of the client (see the versions'
    /// `create_transaction`).
    pub(crate) async fn create_with<S, SF>(
        &self,
        tx: &crate::NewTransaction,
        send: S,
    ) -> Result<R::Transaction, Error>
    where
        S: Fn(R) -> SF + Send + Sync + 'static,
        SF: std::future::Future<Output = Result<R::Transaction, Error>> + Send,
    {
        tx.validate()?;
        let (this, new) = (self.clone(), tx.clone());
        self.creates
            .run(tx, move || async move {
                flows::create(
                    &new,
                    || send(this.raw.clone()),
                    || this.transaction_by_external_id(new.external_id()),
                )
                .await
            })
            .await
    }

    /// A confirm or cancel (`done_code`: the code saying it was already
    /// done), recovered by reading the transaction back, run in a task of
    /// the client.
    pub(crate) async fn act_with<S, SF>(
        &self,
        id: i64,
        done_code: ErrorCode,
        send: S,
    ) -> Result<R::Transaction, Error>
    where
        S: Fn(R) -> SF + Send + Sync + 'static,
        SF: std::future::Future<Output = Result<R::Transaction, Error>> + Send,
    {
        positive("transaction_id", id)?;
        let this = self.clone();
        flows::detached(Outcome::unknown_action(id), async move {
            flows::act(
                id,
                done_code,
                || send(this.raw.clone()),
                || this.transaction(id),
            )
            .await
        })
        .await
    }
}

/// An id the spec types as a 32-bit number of at least 1.
pub(crate) fn id32(field: &'static str, v: i64) -> Result<std::num::NonZeroU32, Error> {
    u32::try_from(v)
        .ok()
        .and_then(std::num::NonZeroU32::new)
        .ok_or_else(|| Error::invalid(field, "must be 1 to 4294967295"))
}
