//! The transaction flows that must never lose or duplicate a transaction,
//! written once for every API version.

use crate::{Error, ErrorCode, NewTransaction, StatusClass};
use std::future::Future;
use std::time::{Duration, Instant};

/// What the flows read of a version's transaction type.
pub(crate) trait TxView: std::fmt::Debug + Send + Sync + 'static {
    fn tx_id(&self) -> Option<i64>;
    fn tx_external_id(&self) -> &str;
    fn tx_class(&self) -> StatusClass;
    /// The transaction as DVS showed it, for comparing with a request.
    fn tx_json(&self) -> serde_json::Value;
}

/// The transaction found under `new`'s `external_id`, if it is the order
/// `new` describes; [`Error::ExternalIdAlreadyUsed`] when it is another one.
pub(crate) fn same_order<T: TxView>(new: &NewTransaction, tx: T) -> Result<T, Error> {
    let differences = new.differences(&tx.tx_json());
    if differences.is_empty() {
        return Ok(tx);
    }
    tracing::warn!(
        external_id = new.external_id(),
        transaction_id = tx.tx_id(),
        ?differences,
        "external id already used by a different order"
    );
    Err(Error::ExternalIdAlreadyUsed {
        external_id: new.external_id().to_string(),
        transaction_id: tx.tx_id(),
        differences,
        existing: crate::ExistingTransaction::new(tx),
    })
}

/// The create may have been applied without our seeing the answer.
fn maybe_applied(e: &Error) -> bool {
    e.outcome_unknown() || e.status().is_some_and(|s| s >= 500)
}

/// Marks an error of a create that may have been applied (a 5xx) as an
/// unknown outcome, so callers know to look the transaction up.
fn outcome_unknown(err: Error, external_id: &str) -> Error {
    if err.outcome_unknown() {
        return err;
    }
    Error::Transport {
        outcome: crate::Outcome::unknown_create(external_id),
        source: Box::new(err),
    }
}

/// Creates a transaction so that it exists exactly once.
///
/// `external_id` is the idempotency key. When the outcome of a create is
/// unknown (timeout, connection lost after sending, 5xx) or DVS answers
/// 1007001 (external id already used), the transaction is looked up by
/// `external_id` and returned if it is the order `new` describes (else
/// [`Error::ExternalIdAlreadyUsed`]). A create is sent again only when the
/// look-up proves no transaction exists; DVS refuses a second transaction
/// with the same `external_id`, so even a late first create cannot make two.
pub(crate) async fn create<T, S, SF, L, LF>(
    new: &NewTransaction,
    send: S,
    lookup: L,
) -> Result<T, Error>
where
    T: TxView,
    S: Fn() -> SF,
    SF: Future<Output = Result<T, Error>>,
    L: Fn() -> LF,
    LF: Future<Output = Result<Option<T>, Error>>,
{
    const SENDS: usize = 3;
    let mut last = None;
    for _ in 0..SENDS {
        let err = match send().await {
            Ok(tx) => return Ok(tx),
            Err(e) => e,
        };
        let duplicate = err.has_code(ErrorCode::ExternalIdAlreadyUsed);
        if !duplicate && !maybe_applied(&err) {
            return Err(err);
        }
        tracing::info!(
            external_id = new.external_id(),
            duplicate,
            "create outcome unknown or external id in use; looking the transaction up"
        );
        match lookup().await {
            Ok(Some(tx)) => return same_order(new, tx),
            // DVS says the reference is used but shows no transaction: do not
            // guess; report the conflict.
            Ok(None) if duplicate => return Err(err),
            // Proven absent: sending again is safe.
            Ok(None) => last = Some(err),
            // Still unknown: the error says so (outcome unknown).
            Err(_) => return Err(outcome_unknown(err, new.external_id())),
        }
    }
    Err(last.expect("at least one send"))
}

/// Confirms (or cancels) a transaction, recovering a lost response by
/// reading the transaction back. `done_code` is the DVS code meaning the
/// action was already applied (1007002 for confirm, 1007005 for cancel).
pub(crate) async fn act<T, S, SF, G, GF>(
    id: i64,
    done_code: ErrorCode,
    send: S,
    get: G,
) -> Result<T, Error>
where
    T: TxView,
    S: Fn() -> SF,
    SF: Future<Output = Result<T, Error>>,
    G: Fn() -> GF,
    GF: Future<Output = Result<T, Error>>,
{
    let err = match send().await {
        Ok(tx) => return Ok(tx),
        Err(e) => e,
    };
    if err.has_code(done_code) {
        return get().await;
    }
    if !maybe_applied(&err) {
        return Err(err);
    }
    let Ok(tx) = get().await else {
        // Neither the answer nor the read-back came: say so, with the id.
        if err.outcome_unknown() {
            return Err(err);
        }
        return Err(Error::Transport {
            outcome: crate::Outcome::unknown_action(id),
            source: Box::new(err),
        });
    };
    if tx.tx_class() != StatusClass::Created {
        return Ok(tx);
    }
    // Still CREATED: the action did not land. Sending it again is safe: a
    // duplicate is answered with `done_code`.
    match send().await {
        Ok(tx) => Ok(tx),
        Err(e) if e.has_code(done_code) => get().await,
        Err(e) => Err(e),
    }
}

/// Polls until the transaction's status is final, with capped exponential
/// backoff, or the deadline passes. Each read is cut off at the deadline:
/// the call never outlasts it by more than a scheduling delay.
pub(crate) async fn await_final<T, G, GF>(id: i64, deadline: Duration, get: G) -> Result<T, Error>
where
    T: TxView,
    G: Fn() -> GF,
    GF: Future<Output = Result<T, Error>>,
{
    let started = Instant::now();
    let mut delay = Duration::from_millis(250);
    let mut last_status = StatusClass::Unknown {
        id: 0,
        message: None,
    };
    loop {
        let left = deadline.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, get()).await {
            Ok(Ok(tx)) if tx.tx_class().is_final() => return Ok(tx),
            Ok(Ok(tx)) => last_status = tx.tx_class(),
            Ok(Err(e)) if e.is_retryable() => {}
            Ok(Err(e)) => return Err(e),
            // The read did not answer within what was left of the deadline.
            Err(_) => return Err(Error::NotFinal { id, last_status }),
        }
        if started.elapsed() + delay > deadline {
            return Err(Error::NotFinal { id, last_status });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(15));
    }
}

/// Checks a callback against the transaction as DVS reports it now.
/// Callbacks are not signed: anyone who knows the URL can post one.
pub(crate) async fn verify_callback<T, G, GF>(claimed: T, get: G) -> Result<T, Error>
where
    T: TxView,
    G: FnOnce(i64) -> GF,
    GF: Future<Output = Result<T, Error>>,
{
    let id = claimed
        .tx_id()
        .ok_or_else(|| Error::invalid("callback", "carries no transaction id"))?;
    let actual = get(id).await?;
    if actual.tx_external_id() != claimed.tx_external_id() {
        return Err(Error::invalid(
            "callback",
            "external_id differs from the transaction's",
        ));
    }
    let (claimed_class, actual_class) = (claimed.tx_class(), actual.tx_class());
    if claimed_class != actual_class && !claimed_class.can_change_to(&actual_class) {
        return Err(Error::invalid(
            "callback",
            format!("claims status {claimed_class}, DVS reports {actual_class}"),
        ));
    }
    Ok(actual)
}

/// Runs a transaction call in a task of the client, so that the request in
/// flight and its recovery finish even when the caller's future is dropped.
pub(crate) async fn detached<T, F>(outcome: crate::Outcome, call: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
{
    match tokio::spawn(call).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(Error::Transport {
            outcome,
            source: "the runtime shut down before the call finished".into(),
        }),
    }
}

/// Most finished creates kept for a caller that went away, per client.
const UNCLAIMED_MAX: usize = 1024;

/// The creates of a client by `external_id`: those in flight, and those
/// that finished after their caller went away (a dropped future), kept
/// until the same order is asked for again.
pub(crate) struct Creates<T> {
    slots: std::sync::Mutex<std::collections::HashMap<String, Slot<T>>>,
    generation: std::sync::atomic::AtomicU64,
}

/// `None` while the create runs; then the transaction, or `None` if it failed.
type Settled<T> = Option<Option<T>>;

struct Slot<T> {
    generation: u64,
    settled: tokio::sync::watch::Receiver<Settled<T>>,
}

impl<T> Default for Creates<T> {
    fn default() -> Self {
        Self {
            slots: std::sync::Mutex::default(),
            generation: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl<T: TxView + Clone> Creates<T> {
    /// Creates `new` with `start`'s future, run in a task of its own that
    /// finishes even if this future is dropped. While a create of the same
    /// `external_id` runs, or when one finished unclaimed, no request is
    /// sent: its transaction is returned if it is the order `new`
    /// describes ([`Error::ExternalIdAlreadyUsed`] otherwise).
    pub(crate) async fn run<F, Fut>(
        self: &std::sync::Arc<Self>,
        new: &NewTransaction,
        start: F,
    ) -> Result<T, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, Error>> + Send + 'static,
    {
        let key = new.external_id().to_string();
        loop {
            let existing = {
                let slots = self.slots.lock().expect("not poisoned");
                slots.get(&key).map(|s| (s.generation, s.settled.clone()))
            };
            let Some((generation, mut settled)) = existing else {
                break;
            };
            // Another create of this external_id: wait for it to settle.
            while settled.borrow_and_update().is_none() {
                if settled.changed().await.is_err() {
                    break;
                }
            }
            let value = settled.borrow().clone();
            self.remove(&key, generation);
            if let Some(Some(tx)) = value {
                tracing::info!(
                    external_id = new.external_id(),
                    "returning the transaction of an earlier create of this external id"
                );
                return same_order(new, tx);
            }
            // It failed: nothing to reuse; create as usual.
        }

        let generation = self
            .generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (publish, settled) = tokio::sync::watch::channel(None);
        self.slots.lock().expect("not poisoned").insert(
            key.clone(),
            Slot {
                generation,
                settled,
            },
        );
        let (answer, answered) = tokio::sync::oneshot::channel();
        let call = start();
        let creates = self.clone();
        tokio::spawn(async move {
            let mut cleanup = RemoveOnDrop {
                creates: &creates,
                key: &key,
                generation,
                keep: false,
            };
            let result = call.await;
            let created = result.as_ref().ok().cloned();
            publish.send_replace(Some(created.clone()));
            if answer.send(result).is_err() && created.is_some() {
                // The caller went away: keep the transaction for the next
                // create of the same order.
                cleanup.keep = true;
                tracing::info!(
                    external_id = %key,
                    "a create finished after its caller went away; kept for the next create of this external id"
                );
            }
        });
        match answered.await {
            Ok(result) => result,
            Err(_) => Err(Error::Transport {
                outcome: crate::Outcome::unknown_create(new.external_id()),
                source: "the create task ended without an answer".into(),
            }),
        }
    }

    fn remove(&self, key: &str, generation: u64) {
        let mut slots = self.slots.lock().expect("not poisoned");
        if slots.get(key).is_some_and(|s| s.generation == generation) {
            slots.remove(key);
        }
    }

    /// Bounds the creates kept unclaimed: drops the oldest settled ones.
    fn trim(&self) {
        let mut slots = self.slots.lock().expect("not poisoned");
        while slots.len() > UNCLAIMED_MAX {
            let oldest = slots
                .iter()
                .filter(|(_, s)| s.settled.borrow().is_some())
                .min_by_key(|(_, s)| s.generation)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => slots.remove(&k),
                None => break,
            };
        }
    }
}

/// Removes a create's slot when its task ends, unless it is kept unclaimed.
struct RemoveOnDrop<'a, T: TxView + Clone> {
    creates: &'a Creates<T>,
    key: &'a str,
    generation: u64,
    keep: bool,
}

impl<T: TxView + Clone> Drop for RemoveOnDrop<'_, T> {
    fn drop(&mut self) {
        if self.keep {
            self.creates.trim();
        } else {
            self.creates.remove(self.key, self.generation);
        }
    }
}
