//! The simulator's state and the state machine of seed 002: create (hold),
//! confirm, the scheduled CONFIRMED → SUBMITTED → final steps, cancel,
//! expiry after 60 minutes, and reversal through the control handle.

use super::callbacks;
use super::catalog::Catalog;
use super::clock::{scaled, Clock};
use super::ledger::Ledger;
use super::rng::Rng;
use super::transactions::{class_of, price, validate_request, CreateRequest, Tx};
use super::{ApiError, CallbackRecord};
use crate::{ErrorCode, Status, StatusClass};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Notify};

/// Settings that can change while the simulator runs.
#[derive(Clone, Debug)]
pub(crate) struct Knobs {
    pub(crate) time_factor: f64,
    pub(crate) latency: Duration,
    pub(crate) unavailable_share: f64,
    pub(crate) drop_share: f64,
    pub(crate) drop_next: u32,
    pub(crate) rate_limit: u32,
    pub(crate) rate_window: Duration,
}

/// The outcome of counting one request against its key's rate window.
pub(crate) struct RateCheck {
    pub(crate) allowed: bool,
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    pub(crate) retry_after_s: u64,
}

pub(crate) struct State {
    pub(crate) ledger: Ledger,
    pub(crate) txs: Vec<Tx>,
    pub(crate) by_external: HashMap<String, usize>,
    /// Transactions that still move (CREATED, CONFIRMED, SUBMITTED).
    pub(crate) active: BTreeSet<usize>,
    pub(crate) creates_received: HashMap<String, u32>,
    pub(crate) callbacks: Vec<CallbackRecord>,
    queues: HashMap<usize, mpsc::UnboundedSender<(usize, Value)>>,
    pub(crate) rng: Rng,
    pub(crate) knobs: Knobs,
    pub(crate) windows: HashMap<String, (Instant, u32)>,
}

pub(crate) struct Shared {
    pub(crate) catalog: Catalog,
    state: Mutex<State>,
    pub(crate) clock: Clock,
    pub(crate) key: String,
    pub(crate) secret: String,
    pub(crate) any_credentials: bool,
    pub(crate) first_tx_id: i64,
    pub(crate) callback_attempts: u32,
    pub(crate) callback_backoff: Duration,
    /// Bumped on every change of a transaction or callback record, and on
    /// every clock advance.
    pub(crate) changed: watch::Sender<u64>,
    /// Wakes the scheduler (new deadline, clock advanced).
    pub(crate) wake: Notify,
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) runtime: tokio::runtime::Handle,
    pub(crate) http: reqwest::Client,
    /// Requests received, and those of them answered 429.
    pub(crate) requests_received: std::sync::atomic::AtomicU64,
    pub(crate) requests_rate_limited: std::sync::atomic::AtomicU64,
}

/// Waits until the simulator is shut down.
pub(crate) async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}

pub(crate) struct SharedParts {
    pub(crate) catalog: Catalog,
    pub(crate) starting_balance: rust_decimal::Decimal,
    pub(crate) seed: u64,
    pub(crate) knobs: Knobs,
    pub(crate) key: String,
    pub(crate) secret: String,
    pub(crate) any_credentials: bool,
    pub(crate) callback_attempts: u32,
    pub(crate) callback_backoff: Duration,
}

impl Shared {
    pub(crate) fn new(parts: SharedParts) -> Arc<Self> {
        let mut rng = Rng::derive(parts.seed, 9);
        let first_tx_id = 3_000_000_000 + rng.range(1, 99_999_999);
        Arc::new(Shared {
            catalog: parts.catalog,
            state: Mutex::new(State {
                ledger: Ledger::new(parts.starting_balance),
                txs: Vec::new(),
                by_external: HashMap::new(),
                active: BTreeSet::new(),
                creates_received: HashMap::new(),
                callbacks: Vec::new(),
                queues: HashMap::new(),
                rng,
                knobs: parts.knobs,
                windows: HashMap::new(),
            }),
            clock: Clock::default(),
            key: parts.key,
            secret: parts.secret,
            any_credentials: parts.any_credentials,
            first_tx_id,
            callback_attempts: parts.callback_attempts.max(1),
            callback_backoff: parts.callback_backoff,
            changed: watch::Sender::new(0),
            wake: Notify::new(),
            shutdown: watch::Sender::new(false),
            runtime: tokio::runtime::Handle::current(),
            http: crate::tls::client_builder_lenient()
                .no_proxy()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            requests_received: Default::default(),
            requests_rate_limited: Default::default(),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn bump(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub(crate) fn knobs(&self) -> Knobs {
        self.lock().knobs.clone()
    }

    pub(crate) fn tx_index(&self, st: &State, id: i64) -> Option<usize> {
        let idx = usize::try_from(id.checked_sub(self.first_tx_id)?).ok()?;
        (idx < st.txs.len()).then_some(idx)
    }

    /// Counts a request against its key's fixed window.
    pub(crate) fn rate_check(&self, key: &str) -> RateCheck {
        use std::sync::atomic::Ordering::Relaxed;
        self.requests_received.fetch_add(1, Relaxed);
        let mut st = self.lock();
        let (limit, window) = (st.knobs.rate_limit, st.knobs.rate_window);
        let now = Instant::now();
        let entry = st.windows.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let left = window.saturating_sub(now.duration_since(entry.0));
        if entry.1 > limit {
            self.requests_rate_limited.fetch_add(1, Relaxed);
        }
        RateCheck {
            allowed: entry.1 <= limit,
            limit,
            remaining: limit.saturating_sub(entry.1),
            retry_after_s: left.as_secs() + u64::from(left.subsec_nanos() > 0),
        }
    }

    /// Rolls the dice for a 503.
    pub(crate) fn roll_unavailable(&self) -> bool {
        let mut st = self.lock();
        let share = st.knobs.unavailable_share;
        st.rng.chance(share)
    }

    /// Whether this create's connection is to be dropped after recording.
    pub(crate) fn roll_drop(&self) -> bool {
        let mut st = self.lock();
        if st.knobs.drop_next > 0 {
            st.knobs.drop_next -= 1;
            return true;
        }
        let share = st.knobs.drop_share;
        st.rng.chance(share)
    }

    pub(crate) fn note_create(&self, external_id: &str) {
        let mut st = self.lock();
        *st.creates_received
            .entry(external_id.to_string())
            .or_insert(0) += 1;
    }

    // ---- the state machine ----------------------------------------------

    /// Creates a transaction; with `auto_confirm` confirms it at once.
    /// Returns the transaction's index.
    pub(crate) fn create(self: &Arc<Self>, req: &CreateRequest) -> Result<usize, ApiError> {
        validate_request(req)?;
        let now = self.clock.now();
        let mut st = self.lock();
        self.process_due_locked(&mut st, now);
        if st.by_external.contains_key(&req.external_id) {
            return Err(ApiError::code(ErrorCode::ExternalIdAlreadyUsed));
        }
        let Some(pidx) = self.catalog.product_index(req.product_id) else {
            return Err(ApiError::code(ErrorCode::ProductNotAvailable));
        };
        let p = &self.catalog.products[pidx];
        let priced = price(&self.catalog, p, req)?;
        let idx = st.txs.len();
        let id = self.first_tx_id + idx as i64;
        let mut tx = Tx::new(id, req, pidx, p, priced, now);
        let held = st.ledger.authorize(tx.hold);
        if !held {
            // Recorded as rejected (findable by external_id), answered 1006001.
            tx.status = Status::RejectedInsufficientBalance;
            st.by_external.insert(tx.external_id.clone(), idx);
            st.txs.push(tx);
            self.enqueue_callback(&mut st, idx);
            self.bump();
            return Err(ApiError::code(ErrorCode::InsufficientBalance));
        }
        st.by_external.insert(tx.external_id.clone(), idx);
        st.txs.push(tx);
        st.active.insert(idx);
        if req.auto_confirm.unwrap_or(false) {
            self.confirm_locked(&mut st, idx, now);
        }
        self.bump();
        self.wake.notify_one();
        Ok(idx)
    }

    fn confirm_locked(self: &Arc<Self>, st: &mut State, idx: usize, now: DateTime<Utc>) {
        let factor = st.knobs.time_factor;
        let tx = &mut st.txs[idx];
        tx.confirmed = Some(now);
        let total = scaled(tx.plan.delay_s, factor);
        let submit = scaled(1.0, factor).min(total);
        tx.submit_at = Some(now + submit);
        tx.final_at = Some(now + total);
        self.transition(st, idx, Status::Confirmed);
    }

    pub(crate) fn confirm(self: &Arc<Self>, id: i64) -> Result<usize, ApiError> {
        let (mut st, idx, now) = self.current(id)?;
        match st.txs[idx].class() {
            StatusClass::Created => {
                self.confirm_locked(&mut st, idx, now);
                self.wake.notify_one();
                Ok(idx)
            }
            StatusClass::Cancelled | StatusClass::Rejected => {
                Err(ApiError::code(ErrorCode::CannotBeConfirmed))
            }
            _ => Err(ApiError::code(ErrorCode::AlreadyConfirmed)),
        }
    }

    pub(crate) fn cancel(self: &Arc<Self>, id: i64) -> Result<usize, ApiError> {
        let (mut st, idx, _) = self.current(id)?;
        match st.txs[idx].class() {
            StatusClass::Created => {
                self.transition(&mut st, idx, Status::Cancelled);
                Ok(idx)
            }
            StatusClass::Cancelled => Err(ApiError::code(ErrorCode::AlreadyCancelled)),
            _ => Err(ApiError::code(ErrorCode::CannotBeCancelled)),
        }
    }

    /// The state, brought up to date, with the index of transaction `id`.
    fn current(
        self: &Arc<Self>,
        id: i64,
    ) -> Result<(MutexGuard<'_, State>, usize, DateTime<Utc>), ApiError> {
        let now = self.clock.now();
        let mut st = self.lock();
        self.process_due_locked(&mut st, now);
        let idx = self
            .tx_index(&st, id)
            .ok_or(ApiError::code(ErrorCode::TransactionNotFound))?;
        Ok((st, idx, now))
    }

    /// COMPLETED → REVERSED (the control handle's reversal).
    pub(crate) fn reverse(self: &Arc<Self>, id: i64) -> Result<usize, Option<Status>> {
        let now = self.clock.now();
        let mut st = self.lock();
        self.process_due_locked(&mut st, now);
        let idx = self.tx_index(&st, id).ok_or(None)?;
        if st.txs[idx].class() != StatusClass::Completed {
            return Err(Some(st.txs[idx].status.clone()));
        }
        self.transition(&mut st, idx, Status::Reversed);
        Ok(idx)
    }

    /// Applies a status: moves the balance, sets what a final status
    /// carries, queues the callback.
    fn transition(self: &Arc<Self>, st: &mut State, idx: usize, status: Status) {
        let new_class = class_of(&status);
        let State {
            ledger,
            txs,
            active,
            ..
        } = st;
        let tx = &mut txs[idx];
        let was_held = tx.is_active();
        match new_class {
            StatusClass::Cancelled | StatusClass::Rejected | StatusClass::Declined if was_held => {
                ledger.void(tx.hold)
            }
            StatusClass::Completed if was_held => {
                ledger.capture(tx.hold);
                tx.operator_reference = Some(format!("SIM{}", tx.id));
                if tx.plan.pin {
                    let code = format!(
                        "{:016}",
                        (tx.id as u64).wrapping_mul(2_654_435_761) % 10_000_000_000_000_000
                    );
                    let code = code
                        .as_bytes()
                        .chunks(4)
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect::<Vec<_>>()
                        .join("-");
                    tx.pin = Some((code, format!("SN{}", tx.id)));
                }
            }
            StatusClass::Reversed => ledger.reverse(tx.hold),
            _ => {}
        }
        tx.status = status;
        if !tx.is_active() {
            active.remove(&idx);
        }
        self.enqueue_callback(st, idx);
        self.bump();
    }

    /// Runs every step that is due at `now`: expiries, submissions, final
    /// statuses. Returns whether anything changed.
    pub(crate) fn process_due(self: &Arc<Self>, now: DateTime<Utc>) -> bool {
        let mut st = self.lock();
        self.process_due_locked(&mut st, now)
    }

    pub(crate) fn process_due_locked(self: &Arc<Self>, st: &mut State, now: DateTime<Utc>) -> bool {
        let mut changed = false;
        let due: Vec<usize> = st
            .active
            .iter()
            .copied()
            .filter(|&i| next_step(&st.txs[i]).is_some_and(|t| t <= now))
            .collect();
        for idx in due {
            // A transaction may take several steps at once (clock advanced).
            while let Some(at) = next_step(&st.txs[idx]) {
                if at > now {
                    break;
                }
                let tx = &st.txs[idx];
                let next = match tx.class() {
                    StatusClass::Created => Status::Cancelled,
                    StatusClass::Confirmed => Status::Submitted,
                    _ => tx.plan.final_status.clone(),
                };
                self.transition(st, idx, next);
                changed = true;
            }
        }
        changed
    }

    /// When the next scheduled step is due.
    pub(crate) fn next_due(&self) -> Option<DateTime<Utc>> {
        let st = self.lock();
        st.active
            .iter()
            .filter_map(|&i| next_step(&st.txs[i]))
            .min()
    }

    // ---- callbacks -------------------------------------------------------

    fn enqueue_callback(self: &Arc<Self>, st: &mut State, idx: usize) {
        let Some(url) = st.txs[idx].callback_url.clone() else {
            return;
        };
        let tx = &st.txs[idx];
        let body = tx.json(&self.catalog);
        let record = st.callbacks.len();
        st.callbacks.push(CallbackRecord {
            transaction_id: tx.id,
            external_id: tx.external_id.clone(),
            status: tx.status.clone(),
            url: url.clone(),
            attempts: 0,
            delivered: false,
            last_http_status: None,
        });
        let sender = st.queues.entry(idx).or_insert_with(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            self.runtime
                .spawn(callbacks::worker(Arc::clone(self), url, rx));
            tx
        });
        let _ = sender.send((record, body));
    }

    pub(crate) fn record_attempt(&self, record: usize, http_status: Option<u16>, delivered: bool) {
        let mut st = self.lock();
        if let Some(r) = st.callbacks.get_mut(record) {
            r.attempts += 1;
            r.last_http_status = http_status;
            r.delivered = delivered;
        }
        drop(st);
        self.bump();
    }
}

/// The time of a transaction's next automatic step, if any.
fn next_step(tx: &Tx) -> Option<DateTime<Utc>> {
    match tx.class() {
        StatusClass::Created => Some(tx.expires),
        StatusClass::Confirmed => tx.submit_at,
        StatusClass::Submitted => tx.final_at,
        _ => None,
    }
}

/// Runs due steps whenever one falls due or the clock moves.
pub(crate) async fn scheduler(shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        if *shutdown.borrow_and_update() {
            return;
        }
        let now = shared.clock.now();
        shared.process_due(now);
        let wait = shared
            .next_due()
            .map_or(Duration::from_secs(1), |at| super::clock::until(now, at))
            .min(Duration::from_secs(1));
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = shared.wake.notified() => {}
            _ = shutdown.changed() => return,
        }
    }
}
