//! The ValueTopup client.

use super::envelope::{error_status, failure, read, Bare, Envelope as _};
use super::generated as g;
use super::gift_cards::{FetchPage, GiftCardSkus, SkuPage};
use super::purchase::{check, Body};
use super::{
    validate, Balance, BillPayment, ClientBuilder, EsimOrder, GiftCard, GiftCardOrder, Order,
    PinPurchase, Purchase, PurchaseOutcome, ResponseCode, ResponseCodeInfo, StatusPolling, TopUp,
};
use crate::convert::to_raw;
use crate::{Error, Outcome};
use g::{builder, types};
use progenitor_client::{Error as RawError, ResponseValue};
use std::sync::Arc;
use std::time::Instant;

/// A request of a localizing call, in the client's language when it has one.
macro_rules! localized {
    ($client:expr, $request:expr) => {
        match &$client.language {
            Some(language) => $request.accept_language(language.to_string()),
            None => $request,
        }
    };
}

/// The Prepay Nation ValueTopup API v2 client: catalog, look-ups, and
/// purchases that are never made twice. Cheap to clone; clones share one
/// connection pool.
///
/// Every answer is the `{responseCode, responseMessage, payLoad}` envelope,
/// unwrapped: `"000"` gives the payload, any other code but `"852"` is an
/// [`Error::ValueTopup`] carrying the code ([`ResponseCode`]) and message.
/// `"852"` (in progress) is never an error and never a success: a purchase
/// still in progress at the polling deadline is [`PurchaseOutcome::Pending`];
/// a read answered `"852"` is asked again (reads change nothing) until the
/// deadline of [`StatusPolling`], then fails with [`Error::Timeout`].
///
/// **Purchases** ([`top_up`](Self::top_up), [`buy_pin`](Self::buy_pin),
/// [`pay_bill`](Self::pay_bill), [`order_gift_card`](Self::order_gift_card),
/// [`order_esim`](Self::order_esim)) carry a `correlationId`, the
/// purchase's idempotency key: yours, or one the client generates and
/// returns. A purchase is sent exactly once. When its outcome is unknown
/// (timeout, connection lost after sending, 5xx, an unexpected or unreadable
/// 2xx) or the vendor answers `"852"`, the client asks
/// `GET /transaction/status/{correlationId}` with capped backoff until the
/// deadline, as the vendor instructs, and returns what it says: the
/// purchase, its failure, [`PurchaseOutcome::Pending`], or (when the status
/// call never answered) the original error, for which
/// [`Error::outcome_unknown`] is true and whose
/// [`Outcome::Unknown`] carries the `correlationId`.
///
/// ```no_run
/// use dvs::valuetopup::{Client, Delivery, PurchaseOutcome, TopUp};
/// # async fn run() -> Result<(), dvs::Error> {
/// let client = Client::builder()
///     .credentials(dvs::Credentials::new("user", "password"))
///     .build()?;
/// println!("{:?}", client.balance().await?);
/// match client.top_up(&TopUp::new(3101, dvs::Decimal::TEN, "18761234567").correlation_id("order-42")).await? {
///     PurchaseOutcome::Completed(p) => {
///         if let Some(Delivery::TopUp(t)) = p.delivery() {
///             println!("delivered {:?} {:?}", t.local_currency_amount, t.destination_currency);
///         }
///     }
///     PurchaseOutcome::Pending { correlation_id, .. } => println!("{correlation_id}: in progress"),
///     _ => {}
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    raw: g::Client,
    polling: StatusPolling,
    language: Option<Arc<str>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use progenitor_client::ClientInfo as _;
        f.debug_struct("valuetopup::Client")
            .field("base_url", &self.raw.baseurl())
            .field("settings", self.raw.inner())
            .field("polling", &self.polling)
            .field("language", &self.language)
            .finish()
    }
}

/// What is known of a purchase while its status is asked.
enum Known {
    /// The vendor said `"852"`.
    Pending(Option<String>),
    /// Nothing: the error to return if the status never answers.
    Unknown(Error),
}

/// What one status ask says.
// One lives per status ask, briefly: boxing the settled outcome (exact
// amounts make it larger) would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Status {
    /// The purchase is completed, pending, or failed (or, for a `000` whose
    /// details do not decode, its outcome is unknown for good).
    Settled(Result<PurchaseOutcome, Error>),
    /// No answer (transport, server error, rate limiting, a page that is not
    /// the envelope): ask again.
    NotYet(Error),
}

/// A status answer that settles the purchase as failed: a failure code in
/// an answer (not a server error or rate limiting).
fn is_final_failure(e: &Error) -> bool {
    match e {
        Error::ValueTopup { status: None, .. } => true,
        Error::ValueTopup {
            status: Some(s), ..
        } => *s < 500 && *s != 429,
        _ => false,
    }
}

impl Client {
    /// A builder (the [`SANDBOX`](super::SANDBOX) by default).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
            .base_url(super::SANDBOX)
            .transaction_timeout(std::time::Duration::from_secs(130))
    }

    pub(crate) fn from_parts(
        base_url: &str,
        http: reqwest::Client,
        settings: crate::CallSettings,
    ) -> Self {
        Self {
            raw: g::Client::new_with_client(base_url, http, settings),
            polling: StatusPolling::default(),
            language: None,
        }
    }

    /// A client (sharing this one's connection pool) that resolves purchases
    /// of unknown outcome (and `"852"` answers) with `polling` instead of
    /// [`StatusPolling::default`].
    pub fn with_status_polling(&self, polling: StatusPolling) -> Self {
        Self {
            polling,
            ..self.clone()
        }
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

    /// A client (sharing this one's connection pool) that asks for texts in
    /// `language` (`Accept-Language`, e.g. `ar`) on the calls that localize:
    /// SKUs, gift card SKUs and the mobile look-up.
    ///
    /// ```
    /// let client = dvs::valuetopup::Client::builder().build().unwrap();
    /// let arabic = client.with_language("ar").unwrap();
    /// assert!(client.with_language("ar;q=1").is_err());
    /// ```
    pub fn with_language(&self, language: &str) -> Result<Self, Error> {
        validate::language(language)?;
        Ok(Self {
            language: Some(language.into()),
            ..self.clone()
        })
    }

    // ----- account ---------------------------------------------------------

    /// The wallet balance, its sign made explicit (see [`Balance`]).
    /// `GET /account/balance`.
    pub async fn balance(&self) -> Result<Balance, Error> {
        let value = read(&self.polling, || self.raw.get_account_balance().send()).await?;
        Balance::from_wire(value)
    }

    // ----- catalog ---------------------------------------------------------

    /// Every country with products. `GET /catalog/countries`.
    pub async fn countries(&self) -> Result<Vec<types::Country>, Error> {
        read(&self.polling, || self.raw.get_countries().send()).await
    }

    /// Operators. `GET /catalog/operators`. `filter` sets the query with
    /// the generated builder's setters (`|q| q` for none).
    ///
    /// ```no_run
    /// # async fn run(client: dvs::valuetopup::Client) -> Result<(), dvs::Error> {
    /// let indian = client.operators(|q| q.country_code("IN")).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn operators(
        &self,
        filter: impl Fn(builder::GetOperators<'_>) -> builder::GetOperators<'_>,
    ) -> Result<Vec<types::Operator>, Error> {
        read(&self.polling, || filter(self.raw.get_operators()).send()).await
    }

    /// Products available to the account. `GET /catalog/getproducts`.
    /// `filter` sets the query with the generated builder's setters; a
    /// [`Category`](super::Category) is a `category_id`.
    ///
    /// ```no_run
    /// # async fn run(client: dvs::valuetopup::Client) -> Result<(), dvs::Error> {
    /// use dvs::valuetopup::Category;
    /// let rtr = client.products(|q| q.country_code("JM").category_id(Category::Rtr)).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn products(
        &self,
        filter: impl Fn(builder::GetProducts<'_>) -> builder::GetProducts<'_>,
    ) -> Result<Vec<types::Product>, Error> {
        read(&self.polling, || filter(self.raw.get_products()).send()).await
    }

    /// SKUs of every product except gift cards. `GET /catalog/skus`.
    /// `filter` sets the query with the generated builder's setters
    /// (`|q| q.product_id(3101)`).
    pub async fn skus(
        &self,
        filter: impl Fn(builder::GetSkus<'_>) -> builder::GetSkus<'_>,
    ) -> Result<Vec<types::Sku>, Error> {
        read(&self.polling, || {
            localized!(self, filter(self.raw.get_skus())).send()
        })
        .await
    }

    /// Gift card SKUs, as a stream that follows the vendor's cursor
    /// (`GET /catalog/skus/giftcards`). `filter` sets the query with the
    /// generated builder's setters (`|q| q.country_code("US").page_size(50)`);
    /// the cursor is the stream's. See [`GiftCardSkus`].
    pub fn gift_card_skus(
        &self,
        filter: impl Fn(builder::GetGiftCardSkus<'_>) -> builder::GetGiftCardSkus<'_>
            + Send
            + Sync
            + 'static,
    ) -> GiftCardSkus {
        let client = self.clone();
        let filter = Arc::new(filter);
        let fetch: FetchPage = Arc::new(move |cursor| {
            let (client, filter) = (client.clone(), filter.clone());
            Box::pin(async move {
                if cursor.is_some_and(|c| c < 0) {
                    return Err(Error::invalid("cursor", "must not be negative"));
                }
                let page = read(&client.polling, || {
                    let req = filter(client.raw.get_gift_card_skus());
                    let req = match cursor {
                        Some(c) => req.cursor(c),
                        None => req,
                    };
                    localized!(client, req).send()
                })
                .await?;
                Ok(SkuPage {
                    items: page.items,
                    cursor,
                    next: page.next,
                    next_cursor: page.next_cursor,
                })
            })
        });
        GiftCardSkus::new(fetch)
    }

    /// The current exchange rate of a SKU.
    /// `GET /catalog/sku/exchangeRate/{skuId}`.
    pub async fn sku_exchange_rate(&self, sku_id: i32) -> Result<types::SkuExchangeRate, Error> {
        let request = self
            .raw
            .get_sku_exchange_rate()
            .sku_id(validate::id("sku_id", sku_id)?);
        read(&self.polling, || request.clone().send()).await
    }

    /// The response codes the API can return, with their meaning
    /// (`GET /catalog/errors`).
    pub async fn response_codes(&self) -> Result<Vec<ResponseCodeInfo>, Error> {
        let list = read(&self.polling, || self.raw.get_errors().send()).await?;
        Ok(list
            .into_iter()
            .map(|e| ResponseCodeInfo {
                code: ResponseCode::from(e.error_code.unwrap_or_default()),
                description: e.error_description.unwrap_or_default(),
            })
            .collect())
    }

    /// The bundles a product offers one mobile number (for products flagged
    /// `requireFetchBundle`). `mobile` is digits with the country code (a
    /// leading `+` is dropped). `GET /catalog/bundles/{productId}/{mobileNumber}`.
    pub async fn dynamic_bundles(
        &self,
        product_id: i32,
        mobile: &str,
    ) -> Result<Vec<types::Sku>, Error> {
        let request = self
            .raw
            .get_dynamic_bundles()
            .product_id(validate::id("product_id", product_id)?)
            .mobile_number(validate::msisdn("mobile_number", mobile)?);
        read(&self.polling, || request.clone().send()).await
    }

    // ----- promotions ------------------------------------------------------

    /// Promotions running now. `GET /promotion/current`.
    pub async fn promotions(&self) -> Result<Vec<types::Promotion>, Error> {
        read(&self.polling, || self.raw.get_promotions().send()).await
    }

    /// Promotions not started yet. `GET /promotion/upcoming`.
    pub async fn upcoming_promotions(&self) -> Result<Vec<types::Promotion>, Error> {
        read(&self.polling, || self.raw.get_upcoming_promotions().send()).await
    }

    // ----- look-ups --------------------------------------------------------

    /// The operator, products and SKUs of a mobile number given with its
    /// country code (`18761234567`; a leading `+` is dropped). The answer can
    /// be stale after number porting: let the end user confirm the operator.
    /// `GET /lookup/mobile/{mobile}`.
    pub async fn lookup_mobile(
        &self,
        mobile: &str,
    ) -> Result<Vec<types::MobileLookupResult>, Error> {
        let digits = validate::msisdn("mobile", mobile)?;
        let number: i64 = digits
            .parse()
            .map_err(|_| Error::invalid("mobile", "not a number"))?;
        read(&self.polling, || {
            localized!(self, self.raw.get_mobile_lookup().mobile(number)).send()
        })
        .await
    }

    /// The details and amount due of a bill account.
    /// `GET /lookup/billpay/fetch-account-detail`.
    pub async fn lookup_bill(
        &self,
        sku_id: i32,
        account_number: &str,
    ) -> Result<types::BillPayAccountDetail, Error> {
        validate::text("account_number", account_number, 100)?;
        let request = self
            .raw
            .get_bill_pay_lookup()
            .sku_id(validate::id("sku_id", sku_id)?)
            .account_number(account_number.to_string());
        read(&self.polling, || request.clone().send()).await
    }

    // ----- eSIM -------------------------------------------------------------

    /// The bundles on an eSIM and what is left of each.
    /// `GET /esim/status/{Iccid}`.
    pub async fn esim_status(&self, iccid: &str) -> Result<Vec<types::EsimBundleStatus>, Error> {
        validate::iccid(iccid)?;
        read(&self.polling, || {
            self.raw.get_esim_status().iccid(iccid.to_string()).send()
        })
        .await
    }

    // ----- purchases -------------------------------------------------------

    /// Tops up a mobile number (`POST /transaction/topup`). Sent once; see
    /// the [type's documentation](Self) for how an unknown outcome is resolved.
    ///
    /// ```no_run
    /// # async fn run(client: dvs::valuetopup::Client) -> Result<(), dvs::Error> {
    /// use dvs::valuetopup::TopUp;
    /// let outcome = client.top_up(&TopUp::new(3101, dvs::Decimal::TEN, "18761234567")).await?;
    /// println!("correlationId {}", outcome.correlation_id());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn top_up(&self, top_up: &TopUp) -> Result<PurchaseOutcome, Error> {
        self.purchase(top_up).await
    }

    /// Buys a PIN (`POST /transaction/pin`); the PINs are in
    /// [`Purchase::pins`]. Sent once.
    pub async fn buy_pin(&self, order: &PinPurchase) -> Result<PurchaseOutcome, Error> {
        self.purchase(order).await
    }

    /// Pays a bill (`POST /transaction/billpay`, a JSON body). Sent once.
    pub async fn pay_bill(&self, payment: &BillPayment) -> Result<PurchaseOutcome, Error> {
        self.purchase(payment).await
    }

    /// Buys a gift card (`POST /transaction/giftcard/order`). Gift cards are
    /// often answered `"852"`: the client then asks the status until the
    /// polling deadline. Sent once.
    pub async fn order_gift_card(&self, order: &GiftCardOrder) -> Result<PurchaseOutcome, Error> {
        self.purchase(order).await
    }

    /// Buys an eSIM (`POST /esim/order`); the installation details are in
    /// [`Delivery::Esim`](super::Delivery::Esim). Sent once.
    pub async fn order_esim(&self, order: &EsimOrder) -> Result<PurchaseOutcome, Error> {
        self.purchase(order).await
    }

    /// Asks the status of a purchase once
    /// (`GET /transaction/status/{correlationId}`): completed, pending, or
    /// an [`Error::ValueTopup`] with the failure code.
    pub async fn transaction_status(&self, correlation_id: &str) -> Result<PurchaseOutcome, Error> {
        validate::correlation_id(correlation_id)?;
        self.status_once(correlation_id).await
    }

    /// Asks the status of a purchase until it is no longer in progress, with
    /// the client's [`StatusPolling`] (first ask at once). At the deadline: a
    /// purchase still in progress is [`PurchaseOutcome::Pending`]; a status
    /// that never answered is [`Error::Timeout`] with
    /// [`Outcome::Unknown`] carrying the `correlationId`.
    pub async fn await_purchase(&self, correlation_id: &str) -> Result<PurchaseOutcome, Error> {
        validate::correlation_id(correlation_id)?;
        let unknown = Error::Timeout {
            outcome: Outcome::Unknown {
                external_id: Some(correlation_id.to_string()),
                transaction_id: None,
            },
        };
        self.resolve(correlation_id.to_string(), Known::Unknown(unknown), true)
            .await
    }

    /// The card number, PIN and certificate of a gift card bought earlier,
    /// by the purchase's `transactionId`. `GET /transaction/giftcard/fetch/{id}`.
    pub async fn gift_card(&self, transaction_id: i64) -> Result<GiftCard, Error> {
        validate::id("transaction_id", transaction_id)?;
        let detail = read(&self.polling, || {
            self.raw.get_gift_card().id(transaction_id).send()
        })
        .await?;
        Ok(GiftCard::from_raw(detail))
    }

    /// What buying `amount` of a SKU would cost, without buying
    /// (`POST /transaction/estimatecost`). `currency` is the ISO 4217 code
    /// `amount` is in; the wallet currency when `None`.
    pub async fn estimate_cost(
        &self,
        sku_id: i32,
        amount: rust_decimal::Decimal,
        currency: Option<&str>,
    ) -> Result<types::CostEstimate, Error> {
        let mut body = serde_json::Map::new();
        body.insert("skuId".into(), sku_id.into());
        body.insert("amount".into(), serde_json::json!(amount));
        if let Some(c) = currency {
            body.insert("transactionCurrencyCode".into(), c.into());
        }
        check(&mut body)?;
        let body: types::CostEstimateRequest = to_raw("body", body)?;
        read(&self.polling, || {
            self.raw.post_cost_estimate().body(body.clone()).send()
        })
        .await
    }

    // ----- purchase machinery ----------------------------------------------

    /// Sends a purchase once and settles its outcome.
    async fn purchase<B: Body>(&self, order: &Order<B>) -> Result<PurchaseOutcome, Error> {
        let (cid, body) = order.prepare()?;
        let unknown = |source: Box<dyn std::error::Error + Send + Sync>| Error::Transport {
            outcome: Outcome::Unknown {
                external_id: Some(cid.clone()),
                transaction_id: None,
            },
            source,
        };
        let known = match B::send(&self.raw, body).await {
            Ok(rv) => match answered(&cid, rv) {
                Ok(PurchaseOutcome::Pending { message, .. }) => Known::Pending(message),
                settled => return settled,
            },
            Err(RawError::ErrorResponse(rv)) => {
                let status = rv.status().as_u16();
                let code = ResponseCode::from(rv.code());
                // An error status whose body was not the envelope (a proxy's
                // page) gets the code `HTTP<status>`: it does not say the
                // purchase was refused.
                let synthetic = rv.code().starts_with("HTTP");
                if status == 429 || (status < 500 && code.is_failure() && !synthetic) {
                    // Refused: nothing was bought.
                    return Err(error_status(rv, Some(&cid)));
                }
                if status < 500 && code.is_in_progress() {
                    Known::Pending(rv.message().map(str::to_string))
                } else {
                    Known::Unknown(unknown(
                        format!(
                            "HTTP {status} answering a purchase (responseCode {code}: {})",
                            rv.message().unwrap_or_default()
                        )
                        .into(),
                    ))
                }
            }
            // Refused before anything was sent: nothing was bought.
            Err(RawError::CommunicationError(e)) if e.is_connect() => {
                return Err(Error::Transport {
                    outcome: Outcome::NotApplicable,
                    source: Box::new(e),
                })
            }
            Err(RawError::InvalidRequest(reason)) => {
                return Err(Error::InvalidInput {
                    field: "request",
                    reason,
                })
            }
            Err(RawError::CommunicationError(e) | RawError::ResponseBodyError(e)) => {
                Known::Unknown(if e.is_timeout() {
                    Error::Timeout {
                        outcome: Outcome::Unknown {
                            external_id: Some(cid.clone()),
                            transaction_id: None,
                        },
                    }
                } else {
                    unknown(Box::new(e))
                })
            }
            Err(RawError::UnexpectedResponse(resp)) => Known::Unknown(unknown(
                format!(
                    "unexpected HTTP status {} answering a purchase",
                    resp.status()
                )
                .into(),
            )),
            // The payload did not decode (its HTTP status is not kept): `852`
            // is pending; anything else (a failure code whose status may have
            // been 5xx, a `000` whose details cannot be read, a page that is
            // not the envelope) is settled by the status call.
            Err(RawError::InvalidResponsePayload(bytes, e)) => match Bare::parse(&bytes) {
                Some(bare) if bare.code.is_in_progress() => Known::Pending(bare.message),
                _ => Known::Unknown(unknown(
                    format!("unreadable answer to a purchase: {e}").into(),
                )),
            },
            Err(other) => Known::Unknown(unknown(other.to_string().into())),
        };
        tracing::info!(
            correlation_id = %cid,
            pending = matches!(known, Known::Pending(_)),
            "purchase outcome not known yet; asking its status (never re-sending)"
        );
        self.resolve(cid, known, false).await
    }

    /// Asks the status until the purchase settles or the deadline passes.
    async fn resolve(
        &self,
        cid: String,
        mut known: Known,
        ask_at_once: bool,
    ) -> Result<PurchaseOutcome, Error> {
        let started = Instant::now();
        let mut asks: u32 = 0;
        loop {
            if asks > 0 || !ask_at_once {
                let wait = self.polling.backoff(asks + 1);
                // The first ask always happens; later ones only before the deadline.
                if asks > 0 && started.elapsed() + wait > self.polling.deadline {
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            asks += 1;
            match self.status_answer(&cid).await {
                Status::Settled(Ok(PurchaseOutcome::Pending { message, .. })) => {
                    known = Known::Pending(message)
                }
                Status::Settled(done) => return done,
                Status::NotYet(e) => {
                    tracing::debug!(correlation_id = %cid, error = %e, "status not known yet");
                }
            }
            if started.elapsed() >= self.polling.deadline {
                break;
            }
        }
        match known {
            Known::Pending(message) => Ok(PurchaseOutcome::Pending {
                correlation_id: cid,
                message,
            }),
            Known::Unknown(e) => Err(e),
        }
    }

    /// One status ask, for [`Client::transaction_status`].
    async fn status_once(&self, cid: &str) -> Result<PurchaseOutcome, Error> {
        match self.status_answer(cid).await {
            Status::Settled(r) => r,
            Status::NotYet(e) => Err(e),
        }
    }

    /// One status ask: what it settles, or why it settles nothing.
    async fn status_answer(&self, cid: &str) -> Status {
        let r = self
            .raw
            .get_transaction_status()
            .corelation_id(cid.to_string())
            .send()
            .await;
        let pending = |message| {
            Status::Settled(Ok(PurchaseOutcome::Pending {
                correlation_id: cid.to_string(),
                message,
            }))
        };
        match r {
            Ok(rv) => Status::Settled(answered(cid, rv)),
            Err(RawError::ErrorResponse(rv)) => {
                let e = error_status(rv, Some(cid));
                if is_final_failure(&e) {
                    Status::Settled(Err(e))
                } else {
                    Status::NotYet(e)
                }
            }
            Err(RawError::InvalidResponsePayload(bytes, err)) => match Bare::parse(&bytes) {
                Some(bare) if bare.code.is_in_progress() => pending(bare.message),
                Some(bare) if bare.code.is_failure() => {
                    Status::Settled(Err(bare.failure(Some(cid)).expect("a failure code")))
                }
                // `000` with details that cannot be read: asking again would
                // read the same. The outcome stays unknown to this client;
                // the raw client can fetch the body.
                Some(_) => Status::Settled(Err(Error::Transport {
                    outcome: Outcome::Unknown {
                        external_id: Some(cid.to_string()),
                        transaction_id: None,
                    },
                    source: Box::new(unread(RawError::InvalidResponsePayload(bytes, err))),
                })),
                None => Status::NotYet(unread(RawError::InvalidResponsePayload(bytes, err))),
            },
            Err(e) => Status::NotYet(unread(e)),
        }
    }
}

/// A status call that said nothing of the purchase, as an error.
fn unread(e: RawError<types::TransactionResponse>) -> Error {
    crate::convert::error::<types::TransactionResponse, types::TransactionResponse>(
        e,
        Outcome::NotApplicable,
    )
}

/// What an answer of a purchase or of the status call (a 2xx with the
/// envelope) says: completed, pending, or failed.
fn answered(
    cid: &str,
    rv: ResponseValue<types::TransactionResponse>,
) -> Result<PurchaseOutcome, Error> {
    let status = rv.status().as_u16();
    let envelope = rv.into_inner();
    let code = ResponseCode::from(envelope.code());
    let message = envelope.message().map(str::to_string);
    if code.is_success() {
        let tx = envelope.payload().unwrap_or_default();
        Ok(PurchaseOutcome::Completed(Purchase::from_raw(
            cid.to_string(),
            message,
            tx,
        )))
    } else if code.is_in_progress() {
        Ok(PurchaseOutcome::Pending {
            correlation_id: cid.to_string(),
            message,
        })
    } else {
        Err(failure(Some(status), &envelope, Some(cid)))
    }
}
