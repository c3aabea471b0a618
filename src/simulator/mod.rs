//! An in-process DVS 1.21.0 sandbox (feature `simulator`): a stateful HTTP
//! server on `127.0.0.1` that behaves as the vendor documents its sandbox,
//! for tests and demos that must run offline and without an account.
//!
//! - All 26 operations of DVS 1.21.0 under `/v1` (the deprecated
//!   `GET /lookup/mobile-number/{mobile_number}` answers as the POST
//!   look-up does), answering bodies that follow the spec's response
//!   schemas, with the six `X-*` paging headers and `X-Ratelimit-Limit` /
//!   `X-Ratelimit-Remaining` on every response. Header names are sent in
//!   the case the reference writes them (`X-Total-Pages`, not
//!   `x-total-pages`), for clients that compare them case-sensitively.
//! - A catalog generated deterministically from a seed: the eight services
//!   and their subservices, about 40 countries plus the regional codes `GXX`
//!   (Global) and `EXX` (Europe), operators, products of all five types,
//!   promotions, campaigns and benefit types.
//! - Transactions as in the sandbox: the credit party's last three digits
//!   choose the outcome (see the table below), the balance moves as the
//!   balance table says, callbacks are posted on every status change.
//! - Basic authentication, rate limiting, and faults on demand: added
//!   latency, a share of 503s, and dropping the connection of a create after
//!   the transaction was recorded.
//!
//! ```no_run
//! use dvs::simulator::{Simulator, SimulatorConfig};
//! use std::time::Duration;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = Simulator::start(
//!     SimulatorConfig::default()
//!         .seed(7)
//!         .time_factor(0.01), // documented delays 100 times shorter
//! )
//! .await?;
//! let base_url = sim.base_url(); // "http://127.0.0.1:PORT/v1"
//! let (key, secret) = sim.credentials();
//! // ... point a client at base_url with Basic auth key:secret ...
//! sim.advance(Duration::from_secs(61 * 60)); // unconfirmed transactions expire
//! println!("{:?}", sim.balances());
//! # let _ = (base_url, key, secret);
//! # Ok(())
//! # }
//! ```
//!
//! # The suffix table
//!
//! The last three digits of the credit party identifier (`mobile_number`
//! or `account_number`, as the product requires) choose the outcome:
//!
//! | suffix | final status | delay after confirmation |
//! | --- | --- | --- |
//! | `100` `200` `300` | COMPLETED (PIN-less) | `1XX` ≥ 3 s, `2XX` ≥ 20 s, `3XX` ≥ 5 min |
//! | `101` `201` `301` | COMPLETED (with a PIN) | |
//! | `102` `202` `302` | DECLINED-INVALID-CREDIT-PARTY | |
//! | `103` `203` `303` | DECLINED-BARRED-CREDIT-PARTY | |
//! | `104` `204` `304` | DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE | |
//! | `105` `205` `305` | DECLINED-DUPLICATED-TRANSACTION | |
//! | `106` `206` `306` | DECLINED | |
//! | `107` `207` `307` | DECLINED-EXCEPTION | |
//!
//! Products without a credit party (gift cards, eSIMs) always complete,
//! with a PIN, after 3 s; any other suffix completes PIN-less after 3 s.
//! Delays are multiplied by the time factor; the transaction is SUBMITTED
//! 1 s (scaled) after confirmation and final at the delay.
//!
//! # Status ids
//!
//! See [`status_id`]: class id × 10000, plus a reason code for detailed
//! statuses (COMPLETED 70000, DECLINED-INVALID-CREDIT-PARTY 90201).

#![cfg_attr(docsrs, doc(cfg(feature = "simulator")))]

mod callbacks;
mod catalog;
mod clock;
mod http;
mod ledger;
mod rng;
mod state;
mod transactions;

pub use transactions::status_id;

use crate::{ErrorCode, Status, StatusClass};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use state::{Knobs, Shared, SharedParts};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// An error answer: a DVS code and message.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The error with DVS's documented description.
    pub(crate) fn code(code: ErrorCode) -> Self {
        let message = match code {
            ErrorCode::BadRequest => "Bad Request",
            ErrorCode::Unauthorized => "Unauthorized",
            ErrorCode::NotFound => "Resource not found",
            ErrorCode::TooManyRequests => "Too many requests",
            ErrorCode::ProductNotAvailable => "Product is not available in your account",
            ErrorCode::AmountOutOfRange => "Requested product amount is out of range",
            ErrorCode::InvalidUnit => "Requested product unit is invalid",
            ErrorCode::PromotionNotFound => "Promotion not found",
            ErrorCode::CampaignNotFound => "Campaign not found",
            ErrorCode::InvalidCreditPartyMobileNumber => "Credit party mobile number is invalid",
            ErrorCode::ServiceNotFound => "Service not found",
            ErrorCode::CountryNotFound => "Country not found",
            ErrorCode::OperatorNotFound => "Operator not found",
            ErrorCode::InsufficientBalance => "Insufficient balance",
            ErrorCode::ExternalIdAlreadyUsed => "Transaction external ID has already been used",
            ErrorCode::AlreadyConfirmed => "Transaction has already been confirmed",
            ErrorCode::CannotBeConfirmed => "Transaction can no longer be confirmed",
            ErrorCode::AlreadyCancelled => "Transaction has already been cancelled",
            ErrorCode::CannotBeCancelled => "Transaction can no longer be cancelled",
            ErrorCode::MethodNotSupported => "Method not supported by operator",
            ErrorCode::TransactionNotFound => "Transaction not found",
            ErrorCode::ServiceUnavailable => "Service unavailable, please retry later",
            _ => "Unexpected error, please contact our support team",
        };
        Self::new(code, message)
    }

    pub(crate) fn status(&self) -> u16 {
        self.code.http_status().unwrap_or(400)
    }

    pub(crate) fn body(&self) -> Value {
        json!({"errors": [{"code": self.code.code(), "message": self.message}]})
    }
}

/// How to start a [`Simulator`]. Every method returns the changed config.
///
/// ```
/// use dvs::simulator::SimulatorConfig;
/// use std::time::Duration;
///
/// let config = SimulatorConfig::default()
///     .seed(42)
///     .catalog_size(500)
///     .time_factor(0.001)
///     .credentials("my-key", "my-secret")
///     .starting_balance(dvs::Decimal::from(250))
///     .rate_limit(100, Duration::from_secs(1));
/// # let _ = config;
/// ```
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    seed: u64,
    catalog_size: usize,
    port: u16,
    key: String,
    secret: String,
    any_credentials: bool,
    starting_balance: Decimal,
    callback_attempts: u32,
    callback_backoff: Duration,
    knobs: Knobs,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            catalog_size: Self::DEFAULT_CATALOG_SIZE,
            port: 0,
            key: Self::DEFAULT_KEY.to_string(),
            secret: Self::DEFAULT_SECRET.to_string(),
            any_credentials: false,
            starting_balance: Decimal::from(10_000),
            callback_attempts: 5,
            callback_backoff: Duration::from_secs(1),
            knobs: Knobs {
                time_factor: 1.0,
                latency: Duration::ZERO,
                unavailable_share: 0.0,
                drop_share: 0.0,
                drop_next: 0,
                rate_limit: 1000,
                rate_window: Duration::from_secs(60),
            },
        }
    }
}

impl SimulatorConfig {
    /// The API key accepted by default.
    pub const DEFAULT_KEY: &'static str = "simulator-key";
    /// The API secret accepted by default.
    pub const DEFAULT_SECRET: &'static str = "simulator-secret";
    /// Products in the default catalog.
    pub const DEFAULT_CATALOG_SIZE: usize = 2000;
    /// The largest catalog.
    pub const MAX_CATALOG_SIZE: usize = 100_000;

    /// The seed of the catalog and of the fault dice (default 1). The same
    /// seed and size give the same catalog.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Number of products, clamped to `1..=100_000` (default 2,000).
    pub fn catalog_size(mut self, products: usize) -> Self {
        self.catalog_size = products.clamp(1, Self::MAX_CATALOG_SIZE);
        self
    }

    /// Multiplies every documented delay: processing (`1XX` 3 s, `2XX` 20 s,
    /// `3XX` 5 min), the 180-second hold of synchronous calls, and callback
    /// retry backoff. Default 1.0; `0.001` makes a 5-minute delay 300 ms.
    /// The 60-minute confirmation window is not scaled: move the clock
    /// with [`Simulator::advance`].
    pub fn time_factor(mut self, factor: f64) -> Self {
        self.knobs.time_factor = if factor.is_finite() {
            factor.max(0.0)
        } else {
            1.0
        };
        self
    }

    /// The Basic credentials (API key and secret) the simulator accepts;
    /// default [`Self::DEFAULT_KEY`] and [`Self::DEFAULT_SECRET`].
    pub fn credentials(mut self, key: impl Into<String>, secret: impl Into<String>) -> Self {
        self.key = key.into();
        self.secret = secret.into();
        self.any_credentials = false;
        self
    }

    /// Accept any non-empty Basic key and secret (requests without Basic
    /// credentials are still refused with 401).
    pub fn any_credentials(mut self) -> Self {
        self.any_credentials = true;
        self
    }

    /// The account's starting balance in USD (default 10,000; a negative
    /// amount counts as 0).
    pub fn starting_balance(mut self, usd: Decimal) -> Self {
        self.starting_balance = usd.max(Decimal::ZERO);
        self
    }

    /// At most `limit` requests per API key in each `window` (default 1,000
    /// per 60 s); past it, 429 with code 1000429 and `Retry-After`.
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.knobs.rate_limit = limit;
        self.knobs.rate_window = window.max(Duration::from_millis(1));
        self
    }

    /// Latency added to every request (default none).
    pub fn latency(mut self, latency: Duration) -> Self {
        self.knobs.latency = latency;
        self
    }

    /// Share of requests (0.0 to 1.0) answered 503 with code 1009503 before
    /// anything is done (default 0).
    pub fn unavailable_share(mut self, share: f64) -> Self {
        self.knobs.unavailable_share = share.clamp(0.0, 1.0);
        self
    }

    /// Share of transaction creates (0.0 to 1.0) whose connection is closed
    /// without a response after the transaction was recorded (default 0).
    pub fn drop_after_create_share(mut self, share: f64) -> Self {
        self.knobs.drop_share = share.clamp(0.0, 1.0);
        self
    }

    /// Attempts per callback, the first included (default 5).
    pub fn callback_attempts(mut self, attempts: u32) -> Self {
        self.callback_attempts = attempts.max(1);
        self
    }

    /// First callback retry backoff, doubled at each retry and multiplied
    /// by the time factor (default 1 s).
    pub fn callback_backoff(mut self, backoff: Duration) -> Self {
        self.callback_backoff = backoff;
        self
    }

    /// Port to listen on, on 127.0.0.1 (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

/// A balance as the simulator holds it, in exact amounts of `unit`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Balance {
    /// The balance id (`id` in `GET /balances`).
    pub id: i64,
    /// The currency.
    pub unit: String,
    /// Available for new transactions.
    pub available: Decimal,
    /// Held for transactions in progress.
    pub holding: Decimal,
    /// Debited by completed transactions (not shown by the API).
    pub captured: Decimal,
}

impl Balance {
    /// `available + holding + captured`: constant whatever transactions do.
    pub fn total(&self) -> Decimal {
        self.available + self.holding + self.captured
    }
}

/// A transaction as the simulator holds it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct TransactionSnapshot {
    /// The transaction id.
    pub id: i64,
    /// The caller's reference.
    pub external_id: String,
    /// The product.
    pub product_id: i64,
    /// The detailed status.
    pub status: Status,
    /// The status id (see [`status_id`]).
    pub status_id: i64,
    /// The status class.
    pub class: StatusClass,
    /// Wholesale price plus fee: what the balance holds, captures or
    /// credits back.
    pub amount: Decimal,
    /// When it was created (simulator clock).
    pub created: DateTime<Utc>,
    /// When it was confirmed.
    pub confirmed: Option<DateTime<Utc>>,
    /// The transaction as the API returns it.
    pub body: Value,
}

/// Balances and transactions read at one instant ([`Simulator::snapshot`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Snapshot {
    /// The balances.
    pub balances: Vec<Balance>,
    /// Every transaction, oldest first.
    pub transactions: Vec<TransactionSnapshot>,
}

/// One callback: a status change posted to a transaction's `callback_url`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CallbackRecord {
    /// The transaction.
    pub transaction_id: i64,
    /// Its `external_id`.
    pub external_id: String,
    /// The status the callback reports.
    pub status: Status,
    /// Where it is posted.
    pub url: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// A 2xx answer was received.
    pub delivered: bool,
    /// The HTTP status of the last attempt (`None`: no answer).
    pub last_http_status: Option<u16>,
}

/// Why a control action was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// No transaction has this id.
    #[error("no transaction {0}")]
    NotFound(i64),
    /// Only a COMPLETED transaction can be reversed.
    #[error("transaction {id} is {status}, not COMPLETED")]
    NotCompleted {
        /// The transaction.
        id: i64,
        /// Its status.
        status: Status,
    },
}

/// A running simulator. It listens on `127.0.0.1` until dropped.
///
/// Needs a Tokio runtime (it spawns its server, scheduler and callback
/// tasks on the runtime it is started on).
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// Generates the catalog, binds `127.0.0.1` (port 0 unless
    /// [`SimulatorConfig::port`] says otherwise) and starts serving.
    pub async fn start(config: SimulatorConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let catalog = catalog::Catalog::generate(config.seed, config.catalog_size, Utc::now());
        let shared = Shared::new(SharedParts {
            catalog,
            starting_balance: config.starting_balance,
            seed: config.seed,
            knobs: config.knobs,
            key: config.key,
            secret: config.secret,
            any_credentials: config.any_credentials,
            callback_attempts: config.callback_attempts,
            callback_backoff: config.callback_backoff,
        });
        let tasks = vec![
            tokio::spawn(http::serve(listener, Arc::clone(&shared))),
            tokio::spawn(state::scheduler(Arc::clone(&shared))),
        ];
        Ok(Self {
            shared,
            addr,
            tasks,
        })
    }

    /// The base URL for clients: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key and secret the simulator accepts (with
    /// [`SimulatorConfig::any_credentials`], any non-empty pair works too).
    pub fn credentials(&self) -> (String, String) {
        (self.shared.key.clone(), self.shared.secret.clone())
    }

    /// The value of an `Authorization` header the simulator accepts.
    pub fn authorization(&self) -> String {
        use base64::Engine as _;
        let pair = format!("{}:{}", self.shared.key, self.shared.secret);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }

    /// Number of products in the catalog.
    pub fn catalog_size(&self) -> usize {
        self.shared.catalog.products.len()
    }

    /// The ids of the catalog's products of a type, in catalog order.
    pub fn product_ids(&self, product_type: &impl crate::AnyProductType) -> Vec<i64> {
        self.shared
            .catalog
            .products
            .iter()
            .filter(|p| p.kind.as_str() == product_type.as_str())
            .map(|p| p.id)
            .collect()
    }

    // ---- inspection ------------------------------------------------------

    /// The balances, now.
    pub fn balances(&self) -> Vec<Balance> {
        let st = self.shared.lock();
        let l = &st.ledger;
        vec![Balance {
            id: l.id,
            unit: l.unit.to_string(),
            available: l.available,
            holding: l.holding,
            captured: l.captured,
        }]
    }

    fn snapshot_of(&self, tx: &transactions::Tx) -> TransactionSnapshot {
        let cat = &self.shared.catalog;
        TransactionSnapshot {
            id: tx.id,
            external_id: tx.external_id.clone(),
            product_id: cat.products[tx.product].id,
            status: tx.status.clone(),
            status_id: tx.status_id(),
            class: tx.class(),
            amount: tx.hold,
            created: tx.created,
            confirmed: tx.confirmed,
            body: tx.json(cat),
        }
    }

    /// Every transaction, oldest first.
    pub fn transactions(&self) -> Vec<TransactionSnapshot> {
        let st = self.shared.lock();
        st.txs.iter().map(|tx| self.snapshot_of(tx)).collect()
    }

    /// The balances and every transaction, read at one instant (so that
    /// balances and statuses agree).
    pub fn snapshot(&self) -> Snapshot {
        let st = self.shared.lock();
        let l = &st.ledger;
        Snapshot {
            balances: vec![Balance {
                id: l.id,
                unit: l.unit.to_string(),
                available: l.available,
                holding: l.holding,
                captured: l.captured,
            }],
            transactions: st.txs.iter().map(|tx| self.snapshot_of(tx)).collect(),
        }
    }

    /// One transaction.
    pub fn transaction(&self, id: i64) -> Option<TransactionSnapshot> {
        let st = self.shared.lock();
        let idx = self.shared.tx_index(&st, id)?;
        Some(self.snapshot_of(&st.txs[idx]))
    }

    /// The transaction with this `external_id`.
    pub fn transaction_by_external_id(&self, external_id: &str) -> Option<TransactionSnapshot> {
        let st = self.shared.lock();
        let idx = *st.by_external.get(external_id)?;
        Some(self.snapshot_of(&st.txs[idx]))
    }

    /// How many create requests (async or sync, answered or not, duplicates
    /// included) carried this `external_id`.
    pub fn creates_received(&self, external_id: &str) -> u32 {
        self.shared
            .lock()
            .creates_received
            .get(external_id)
            .copied()
            .unwrap_or(0)
    }

    /// Requests received so far, of every kind (rate limited ones included).
    pub fn requests_received(&self) -> u64 {
        self.shared
            .requests_received
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Requests answered 429 (rate limit) so far.
    pub fn requests_rate_limited(&self) -> u64 {
        self.shared
            .requests_rate_limited
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Every callback so far, in the order they were queued.
    pub fn callbacks(&self) -> Vec<CallbackRecord> {
        self.shared.lock().callbacks.clone()
    }

    /// Number of callbacks delivered (answered 2xx).
    pub fn callbacks_delivered(&self) -> usize {
        self.shared
            .lock()
            .callbacks
            .iter()
            .filter(|c| c.delivered)
            .count()
    }

    /// The simulator's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    // ---- control ---------------------------------------------------------

    /// Moves the clock forward and runs every step that falls due: expired
    /// unconfirmed transactions are cancelled, confirmed ones move on.
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
        self.shared.process_due(self.shared.clock.now());
        self.shared.bump();
        self.shared.wake.notify_one();
    }

    /// Reverses a COMPLETED transaction (as DT One does manually in rare
    /// cases): REVERSED, the amount credited back to available, a callback.
    pub fn reverse(&self, id: i64) -> Result<TransactionSnapshot, ControlError> {
        match self.shared.reverse(id) {
            Ok(_) => Ok(self.transaction(id).ok_or(ControlError::NotFound(id))?),
            Err(None) => Err(ControlError::NotFound(id)),
            Err(Some(status)) => Err(ControlError::NotCompleted { id, status }),
        }
    }

    /// Waits (in real time, at most `timeout`) until the transaction's
    /// status is final; returns it as it is then.
    pub async fn wait_final(&self, id: i64, timeout: Duration) -> Option<TransactionSnapshot> {
        let mut changes = self.shared.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let tx = self.transaction(id)?;
            if tx.class.is_final() || tokio::time::Instant::now() >= deadline {
                return Some(tx);
            }
            let _ = tokio::time::timeout_at(deadline, changes.changed()).await;
        }
    }

    /// Waits (in real time, at most `timeout`) until `n` callbacks have
    /// been delivered; returns whether they were.
    pub async fn wait_callbacks(&self, n: usize, timeout: Duration) -> bool {
        let mut changes = self.shared.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.callbacks_delivered() >= n {
                return true;
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                return self.callbacks_delivered() >= n;
            }
        }
    }

    /// Sets the time factor for what is scheduled from now on.
    pub fn set_time_factor(&self, factor: f64) {
        self.shared.lock().knobs.time_factor = if factor.is_finite() {
            factor.max(0.0)
        } else {
            1.0
        };
    }

    /// Sets the latency added to every request.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().knobs.latency = latency;
    }

    /// Sets the share of requests answered 503 / 1009503.
    pub fn set_unavailable_share(&self, share: f64) {
        self.shared.lock().knobs.unavailable_share = share.clamp(0.0, 1.0);
    }

    /// Sets the share of creates whose connection is dropped after the
    /// transaction was recorded.
    pub fn set_drop_after_create_share(&self, share: f64) {
        self.shared.lock().knobs.drop_share = share.clamp(0.0, 1.0);
    }

    /// Drops the connection of the next `n` creates after recording their
    /// transactions (on top of the share).
    pub fn drop_next_creates(&self, n: u32) {
        self.shared.lock().knobs.drop_next = n;
    }

    /// Sets the rate limit (requests per API key per window); windows
    /// start anew.
    pub fn set_rate_limit(&self, limit: u32, window: Duration) {
        let mut st = self.shared.lock();
        st.knobs.rate_limit = limit;
        st.knobs.rate_window = window.max(Duration::from_millis(1));
        st.windows.clear();
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shared.shutdown.send_replace(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}
