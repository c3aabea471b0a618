//! What every generated client carries and does around each request:
//! per-call-class timeouts, pacing, bounded retries of reads, tracing.
//!
//! The generated clients call these through progenitor's `ClientHooks`
//! (implemented in `raw.rs`), so the raw clients and the facade behave alike.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// How a call is treated: its timeout, and whether it may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallClass {
    /// Discovery and other reads: short timeout, retried.
    Read,
    /// Look-ups and estimates (POST that changes nothing): short timeout, retried.
    Lookup,
    /// Asynchronous transaction writes: never re-sent.
    TransactionWrite,
    /// Synchronous transaction writes, held open by DVS up to 180 s: never re-sent.
    SyncTransactionWrite,
}

impl CallClass {
    /// The class of a generated operation, by its (snake case) operation id.
    pub(crate) fn of(operation_id: &str) -> Self {
        if operation_id.starts_with("get_") {
            Self::Read
        } else if operation_id.starts_with("post_lookup") || operation_id == "post_cost_estimate" {
            Self::Lookup
        } else if operation_id.ends_with("_sync") {
            Self::SyncTransactionWrite
        } else {
            Self::TransactionWrite
        }
    }

    fn retryable(self) -> bool {
        matches!(self, Self::Read | Self::Lookup)
    }
}

/// Timeouts per call class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Reads and look-ups.
    pub read: Duration,
    /// Asynchronous transaction create, confirm, cancel.
    pub transaction: Duration,
    /// Synchronous transaction create and confirm (DVS holds them up to 180 s).
    pub sync_transaction: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            read: Duration::from_secs(30),
            transaction: Duration::from_secs(60),
            sync_transaction: Duration::from_secs(190),
        }
    }
}

/// Automatic retries of reads and look-ups on 429, 503 (DVS codes 1000429 and
/// 1009503 come with those statuses) and connection errors. Transaction
/// writes are never retried here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// First backoff; doubled at each retry. Each wait is drawn at random
    /// between half of it and all of it (jitter), so that calls that failed
    /// together do not come back together.
    pub initial_backoff: Duration,
    /// Cap of one backoff.
    pub max_backoff: Duration,
    /// No retry starts after this much time since the first attempt.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No automatic retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// A policy with `max_attempts` attempts in all.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// A policy with this first backoff.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// A policy with this total deadline.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    fn backoff(&self, retry: u32) -> Duration {
        doubling_backoff(self.initial_backoff, self.max_backoff, retry)
    }

    /// [`backoff`](Self::backoff) with jitter: between half of it and all of it.
    fn jittered_backoff(&self, retry: u32) -> Duration {
        let full = self.backoff(retry);
        full / 2 + full.mul_f64(random_unit() / 2.0)
    }
}

/// The wait before try `n` (1-based) of a backoff that starts at `initial`
/// and doubles up to `max`.
pub(crate) fn doubling_backoff(initial: Duration, max: Duration, n: u32) -> Duration {
    let factor = 2u32.saturating_pow(n.saturating_sub(1));
    initial.saturating_mul(factor).min(max)
}

/// A number in `[0, 1)` from a per-process random sequence (jitter only:
/// not for anything secret).
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    if x == 0 {
        // First use: a seed from the standard library's per-process keys.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0);
        x = h.finish();
        STATE.store(x, Ordering::Relaxed);
    }
    // splitmix64
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// What a client does around each call: timeouts per call class, automatic
/// retries of reads, client-side pacing. Shared by every clone of a client.
///
/// The client as a whole also follows DVS's rate limit: when a response
/// says the window is spent (a 429, with or without `Retry-After`, or
/// `X-Ratelimit-Remaining: 0` with `X-Ratelimit-Reset`), no call of the
/// client (or of its clones) sends anything until the window should have
/// reopened (plus a little jitter); then one request goes first and its
/// `X-Ratelimit-Remaining` says how many may follow. Before the first
/// response, one request goes alone for the same reason. A call whose wait
/// would pass the retry policy's deadline fails with
/// [`Error::RateLimited`](crate::Error::RateLimited) without sending.
///
/// The facade's builder makes one; a raw client is given one at
/// construction (`raw::Client::new_with_client(url, http, CallSettings::default())`).
#[derive(Clone)]
pub struct CallSettings(Arc<InnerState>);

struct InnerState {
    timeouts: Timeouts,
    retry: RetryPolicy,
    min_interval: Option<Duration>,
    next_slot: tokio::sync::Mutex<Option<Instant>>,
    gate: RateGate,
}

impl std::fmt::Debug for CallSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallSettings")
            .field("timeouts", &self.0.timeouts)
            .field("retry", &self.0.retry)
            .field("min_interval", &self.0.min_interval)
            .finish()
    }
}

impl Default for CallSettings {
    fn default() -> Self {
        Self::new(Timeouts::default(), RetryPolicy::default(), None)
    }
}

impl CallSettings {
    /// Settings with these timeouts, retry policy and minimum interval
    /// between two requests of the client (`None`: no pacing).
    pub fn new(timeouts: Timeouts, retry: RetryPolicy, min_interval: Option<Duration>) -> Self {
        Self(Arc::new(InnerState {
            timeouts,
            retry,
            min_interval,
            next_slot: tokio::sync::Mutex::new(None),
            gate: RateGate::default(),
        }))
    }

    fn timeout(&self, class: CallClass) -> Duration {
        match class {
            CallClass::Read | CallClass::Lookup => self.0.timeouts.read,
            CallClass::TransactionWrite => self.0.timeouts.transaction,
            CallClass::SyncTransactionWrite => self.0.timeouts.sync_transaction,
        }
    }

    /// Waits for this client's next request slot (client-side pacing).
    async fn pace(&self) {
        let Some(interval) = self.0.min_interval else {
            return;
        };
        let wait = {
            let mut next = self.0.next_slot.lock().await;
            let now = Instant::now();
            let at = next.map_or(now, |n| n.max(now));
            *next = Some(at + interval);
            at.saturating_duration_since(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Before sending: drop the generator's `api-version` header (DVS does
    /// not document it; an unknown header the vendor might one day interpret
    /// is a risk on a payments API) and set the call class's timeout. Refuses
    /// (before anything is sent) a query that breaks a rule between
    /// parameters, which the spec's types cannot check one by one.
    pub(crate) fn prepare(
        &self,
        request: &mut reqwest::Request,
        operation_id: &str,
        bounds: &[(&str, &str, i64, i64)],
    ) -> Result<(), String> {
        check_query(request.url(), operation_id, bounds)?;
        request.headers_mut().remove("api-version");
        *request.timeout_mut() = Some(self.timeout(CallClass::of(operation_id)));
        Ok(())
    }

    /// Sends a request, retrying reads and look-ups as the policy allows.
    /// An error response whose body is not the API's error shape (a proxy's
    /// HTML page, an empty body) gets one from `error_body`, so that its
    /// status, `Retry-After` and text survive decoding.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &str,
        error_body: ErrorBody,
    ) -> reqwest::Result<reqwest::Response> {
        let response = self.send(http, request, operation_id).await?;
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            if status.is_success() {
                let _ = CAPTURED_HEADERS
                    .try_with(|slot| *slot.borrow_mut() = Some(response.headers().clone()));
            }
            return Ok(response);
        }
        let version = response.version();
        let mut headers = response.headers().clone();
        let bytes = response.bytes().await?;
        let body = match error_body(status.as_u16(), &bytes) {
            Some(body) => {
                headers.insert(
                    reqwest::header::CONTENT_TYPE,
                    reqwest::header::HeaderValue::from_static("application/json"),
                );
                body
            }
            None => bytes.to_vec(),
        };
        headers.remove(reqwest::header::CONTENT_LENGTH);
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers;
        Ok(reqwest::Response::from(rebuilt))
    }

    async fn send(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &str,
    ) -> reqwest::Result<reqwest::Response> {
        let class = CallClass::of(operation_id);
        let policy = self.0.retry;
        let span = tracing::debug_span!(
            "dvs.request",
            operation = operation_id,
            method = %request.method(),
            path = request.url().path(),
        );
        self.execute_with_retries(http, request, class, policy)
            .instrument(span)
            .await
    }

    async fn execute_with_retries(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        class: CallClass,
        policy: RetryPolicy,
    ) -> reqwest::Result<reqwest::Response> {
        let started = Instant::now();
        let deadline = started.checked_add(policy.deadline);
        let mut attempt = 1;
        let mut request = request;
        loop {
            let retry_copy = if class.retryable() && attempt < policy.max_attempts {
                request.try_clone()
            } else {
                None
            };
            let permit = match self.0.gate.admit(deadline, &policy).await {
                Ok(permit) => permit,
                Err(wait) => {
                    tracing::debug!(
                        wait_ms = wait.as_millis() as u64,
                        "rate-limit window spent past the deadline; not sent"
                    );
                    return Ok(not_sent_rate_limited(wait));
                }
            };
            self.pace().await;
            let result = http.execute(request).await;
            if let Ok(resp) = &result {
                permit.observe(resp.status().as_u16(), resp.headers(), &policy);
            }
            let Some(next) = retry_copy else {
                return result;
            };
            let wait = match &result {
                // The gate holds the next attempt (of this call and of all
                // others) until the window reopens.
                Ok(resp) if resp.status().as_u16() == 429 => self.0.gate.blocked_for(),
                Ok(resp) if is_retryable_status(resp.status().as_u16()) => {
                    retry_after(resp.headers()).unwrap_or_else(|| policy.jittered_backoff(attempt))
                }
                Ok(_) => return result,
                Err(e) if e.is_connect() || e.is_timeout() || e.is_request() => {
                    policy.jittered_backoff(attempt)
                }
                Err(_) => return result,
            };
            if started.elapsed().saturating_add(wait) > policy.deadline {
                return result;
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            drop(result);
            if !(wait.is_zero() || self.0.gate.is_blocked()) {
                tokio::time::sleep(wait).await;
            }
            attempt += 1;
            request = next;
        }
    }
}

/// The answer to a call the rate-limit gate did not let through before its
/// deadline: a 429 in the API's error shape, as DVS would have answered.
fn not_sent_rate_limited(wait: Duration) -> reqwest::Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let body = serde_json::json!({"errors": [{
        "code": 1000429,
        "message": "not sent: the client's rate-limit window is spent",
    }]});
    let mut response = http::Response::new(body.to_string().into_bytes());
    *response.status_mut() = http::StatusCode::TOO_MANY_REQUESTS;
    let headers = response.headers_mut();
    headers.insert(
        reqwest::header::CONTENT_TYPE,
        reqwest::header::HeaderValue::from_static("application/json"),
    );
    headers.insert(reqwest::header::RETRY_AFTER, secs.max(1).into());
    reqwest::Response::from(response)
}

/// What the client knows of DVS's rate-limit window, shared by every call
/// of a client and its clones.
#[derive(Default)]
struct RateGate {
    state: std::sync::Mutex<GateState>,
    changed: tokio::sync::Notify,
}

#[derive(Default)]
struct GateState {
    /// Nothing is sent before this instant: the server said the window is spent.
    blocked_until: Option<Instant>,
    budget: Budget,
    /// Requests sent and not answered yet.
    in_flight: u64,
    /// 429s in a row (the backoff when the server does not say how long).
    strikes: u32,
}

/// How many requests may start before a response says more.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
enum Budget {
    /// No response yet (or the window just reopened): one request at a time.
    #[default]
    Unknown,
    /// The server sends no rate-limit headers: no limit known.
    Unlimited,
    /// What is left of the window, by the last response, less the requests
    /// in flight.
    Left(u64),
}

/// Where a call stands at the gate.
enum Admission {
    Go,
    SleepUntil(Instant),
    AwaitResponse,
}

impl GateState {
    fn admission(&mut self, now: Instant) -> Admission {
        match self.blocked_until {
            Some(until) if until > now => return Admission::SleepUntil(until),
            Some(_) => {
                // The window should have reopened: one request finds out.
                self.blocked_until = None;
                self.budget = Budget::Unknown;
            }
            None => {}
        }
        let go = match self.budget {
            Budget::Unlimited => true,
            Budget::Left(n) if n > 0 => {
                self.budget = Budget::Left(n - 1);
                true
            }
            Budget::Left(_) | Budget::Unknown => self.in_flight == 0,
        };
        if go {
            self.in_flight += 1;
            Admission::Go
        } else {
            Admission::AwaitResponse
        }
    }
}

impl RateGate {
    /// Waits until a request may be sent; `Err(wait)` when that would be
    /// after `deadline`.
    async fn admit(
        &self,
        deadline: Option<Instant>,
        policy: &RetryPolicy,
    ) -> Result<GatePermit<'_>, Duration> {
        loop {
            let changed = self.changed.notified();
            let mut changed = std::pin::pin!(changed);
            changed.as_mut().enable();
            let now = Instant::now();
            let admission = self.lock().admission(now);
            match admission {
                Admission::Go => {
                    return Ok(GatePermit {
                        gate: self,
                        done: false,
                    })
                }
                Admission::SleepUntil(until) => {
                    // Jitter: waiters do not all wake at the same instant.
                    let span = until.saturating_duration_since(now);
                    let jitter = (span / 10)
                        .clamp(Duration::from_millis(5), Duration::from_millis(250))
                        .mul_f64(random_unit());
                    let wake = until + jitter;
                    if deadline.is_some_and(|d| wake > d) {
                        return Err(wake.saturating_duration_since(now));
                    }
                    tokio::time::sleep_until(wake.into()).await;
                }
                Admission::AwaitResponse => {
                    let limit = deadline.unwrap_or_else(|| {
                        now.checked_add(policy.max_backoff)
                            .unwrap_or(now + Duration::from_secs(60))
                    });
                    if tokio::time::timeout_at(limit.into(), changed)
                        .await
                        .is_err()
                        && deadline.is_some_and(|d| Instant::now() >= d)
                    {
                        let blocked = self.blocked_for();
                        return Err(blocked.max(policy.initial_backoff));
                    }
                }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long the gate is closed from now (zero when open).
    fn blocked_for(&self) -> Duration {
        self.lock().blocked_until.map_or(Duration::ZERO, |u| {
            u.saturating_duration_since(Instant::now())
        })
    }

    fn is_blocked(&self) -> bool {
        !self.blocked_for().is_zero()
    }
}

/// A request let through the gate; answered (or dropped), it frees its place.
struct GatePermit<'a> {
    gate: &'a RateGate,
    done: bool,
}

impl GatePermit<'_> {
    /// Learns from a response's status and rate-limit headers.
    fn observe(mut self, status: u16, headers: &reqwest::header::HeaderMap, policy: &RetryPolicy) {
        let now = Instant::now();
        {
            let mut st = self.gate.lock();
            st.in_flight = st.in_flight.saturating_sub(1);
            let remaining = header_u64(headers, "x-ratelimit-remaining");
            if status == 429 {
                st.strikes = st.strikes.saturating_add(1);
                let wait =
                    retry_after(headers).unwrap_or_else(|| policy.jittered_backoff(st.strikes));
                block(&mut st, now, wait);
                st.budget = Budget::Left(0);
            } else {
                st.strikes = 0;
                match remaining {
                    Some(left) => {
                        let in_flight = st.in_flight;
                        st.budget = Budget::Left(left.saturating_sub(in_flight));
                        if left == 0 {
                            if let Some(reset) = ratelimit_reset(headers) {
                                block(&mut st, now, reset);
                            }
                        }
                    }
                    None if st.budget == Budget::Unknown => st.budget = Budget::Unlimited,
                    None => {}
                }
            }
        }
        self.done = true;
        self.gate.changed.notify_waiters();
    }
}

fn block(st: &mut GateState, now: Instant, wait: Duration) {
    let until = now
        .checked_add(wait)
        .unwrap_or(now + Duration::from_secs(86_400));
    st.blocked_until = Some(st.blocked_until.map_or(until, |u| u.max(until)));
}

impl Drop for GatePermit<'_> {
    fn drop(&mut self) {
        if !self.done {
            // No response (a connection error, or the call was dropped).
            let mut st = self.gate.lock();
            st.in_flight = st.in_flight.saturating_sub(1);
            drop(st);
            self.gate.changed.notify_waiters();
        }
    }
}

/// A header holding a whole number.
pub(crate) fn header_u64(headers: &reqwest::header::HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The `Content-Language` of a response, when sent.
pub(crate) fn content_language(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(reqwest::header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `X-Ratelimit-Reset`: seconds until the window reopens, or (a number
/// past a billion) the Unix time at which it does.
fn ratelimit_reset(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = header_u64(headers, "x-ratelimit-reset")?;
    if value < 1_000_000_000 {
        return Some(Duration::from_secs(value));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    Some(Duration::from_secs(value.saturating_sub(now)))
}

tokio::task_local! {
    /// Where the transport leaves the headers of a success response, for a
    /// list page whose body must be decoded item by item.
    static CAPTURED_HEADERS: std::cell::RefCell<Option<reqwest::header::HeaderMap>>;
}

/// Runs `fut` (one list page's call) keeping its success response's
/// headers for [`captured_headers`].
pub(crate) async fn capturing_headers<F: std::future::Future>(fut: F) -> F::Output {
    CAPTURED_HEADERS
        .scope(std::cell::RefCell::new(None), fut)
        .await
}

/// The headers of the last success response of the current
/// [`capturing_headers`] call.
pub(crate) fn captured_headers() -> Option<reqwest::header::HeaderMap> {
    CAPTURED_HEADERS
        .try_with(|slot| slot.borrow_mut().take())
        .ok()
        .flatten()
}

/// Gives an error response the API's error shape when its body has another
/// one; `None` keeps the body as it is.
pub(crate) type ErrorBody = fn(status: u16, body: &[u8]) -> Option<Vec<u8>>;

/// The text of a body that is not the API's error shape, for a message.
fn body_text(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        format!("HTTP {status} with an empty body")
    } else {
        format!(
            "HTTP {status}: {}",
            text.chars().take(200).collect::<String>()
        )
    }
}

/// DVS errors are `{"errors": [{"code", "message"}]}` with a numeric code
/// and a message. Every error status must keep its status and class
/// whatever its body, so the body is put in that exact shape before the
/// generated client decodes it: a DVS-like body is read leniently (a code
/// that is a number or a numeric string, a missing or non-text message,
/// entries that are not objects); anything else becomes one error of code 0
/// carrying the body's text. `None`: the body already has the exact shape.
pub(crate) fn dvs_error_body(status: u16, body: &[u8]) -> Option<Vec<u8>> {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let items = parsed
        .as_ref()
        .and_then(|v| v.get("errors"))
        .and_then(serde_json::Value::as_array);
    let errors: Vec<serde_json::Value> = match items {
        Some(items) => {
            if items.iter().all(is_exact_dvs_error) {
                return None;
            }
            items.iter().map(lenient_dvs_error).collect()
        }
        None => vec![serde_json::json!({"code": 0, "message": body_text(status, body)})],
    };
    serde_json::to_vec(&serde_json::json!({ "errors": errors })).ok()
}

/// An entry the generated error type decodes as it is: `code` an integer,
/// `message` a string.
fn is_exact_dvs_error(item: &serde_json::Value) -> bool {
    item.get("code").is_some_and(|c| c.as_i64().is_some())
        && item
            .get("message")
            .is_some_and(serde_json::Value::is_string)
}

/// One entry of a DVS-like error body in the exact shape.
fn lenient_dvs_error(item: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    let code = match item.get("code") {
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .unwrap_or(0);
    let message = match (item, item.get("message")) {
        (_, Some(Value::String(m))) => m.clone(),
        // A bare string entry: its text is the message.
        (Value::String(s), None) => s.chars().take(200).collect(),
        (_, None | Some(Value::Null)) => String::new(),
        (_, Some(other)) => other.to_string().chars().take(200).collect(),
    };
    serde_json::json!({"code": code, "message": message})
}

/// ValueTopup answers with its envelope; anything else becomes an envelope
/// whose code is `HTTP<status>`.
#[cfg(any(feature = "valuetopup", test))]
pub(crate) fn envelope_error_body(status: u16, body: &[u8]) -> Option<Vec<u8>> {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    if parsed
        .as_ref()
        .and_then(|v| v.get("responseCode"))
        .is_some()
    {
        return None;
    }
    let message = body_text(status, body);
    serde_json::to_vec(&serde_json::json!({
        "responseCode": format!("HTTP{status}"),
        "responseMessage": message,
    }))
    .ok()
}

fn is_retryable_status(status: u16) -> bool {
    status == 429 || status == 503
}

/// `Retry-After` in seconds (DVS does not send HTTP dates).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// What the generated types cannot check of a query: the spec's bounds of
/// an integer parameter (`bounds`: operation, parameter, minimum, maximum), and
/// DVS's rules between parameters: a subservice is looked for within its
/// service, and a transaction search spans at most 24 hours, `from_date`
/// not after `to_date`.
fn check_query(
    url: &reqwest::Url,
    operation_id: &str,
    bounds: &[(&str, &str, i64, i64)],
) -> Result<(), String> {
    let value = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    for (_, name, min, max) in bounds.iter().filter(|(op, ..)| *op == operation_id) {
        if let Some(v) = value(name).and_then(|v| v.parse::<i64>().ok()) {
            if v < *min {
                return Err(format!("{name}: must be at least {min}, not {v}"));
            }
            if v > *max {
                return Err(format!("{name}: must be at most {max}, not {v}"));
            }
        }
    }
    if value("subservice_id").is_some() && value("service_id").is_none() {
        return Err("subservice_id: needs service_id".into());
    }
    let date = |name: &str| value(name).and_then(|v| chrono::DateTime::parse_from_rfc3339(&v).ok());
    if let (Some(from), Some(to)) = (date("from_date"), date("to_date")) {
        let (from, to) = (from.to_utc(), to.to_utc());
        if let Err(crate::Error::InvalidInput { field, reason }) =
            crate::validate::date_window(Some(from), Some(to))
        {
            return Err(format!("{field}: {reason}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_classes() {
        for (operation, class) in [
            ("get_products", CallClass::Read),
            // The deprecated GET form of the mobile-number look-up: a read.
            ("get_lookup_mobile_number", CallClass::Read),
            ("post_lookup_mobile_number", CallClass::Lookup),
            ("post_transaction_sync", CallClass::SyncTransactionWrite),
            (
                "post_transaction_confirm_sync",
                CallClass::SyncTransactionWrite,
            ),
            ("post_transaction_async", CallClass::TransactionWrite),
            ("post_transaction", CallClass::TransactionWrite),
            ("post_transaction_cancel", CallClass::TransactionWrite),
        ] {
            assert_eq!(CallClass::of(operation), class, "{operation}");
        }
        assert!(!CallClass::of("post_transaction_confirm").retryable());
    }

    #[test]
    fn foreign_error_bodies_get_the_api_shape() {
        assert_eq!(
            dvs_error_body(400, br#"{"errors":[{"code":1000400,"message":"x"}]}"#),
            None
        );
        let fixed: serde_json::Value =
            serde_json::from_slice(&dvs_error_body(502, b"<html>Bad Gateway</html>").unwrap())
                .unwrap();
        assert_eq!(fixed["errors"][0]["code"], 0);
        assert_eq!(
            fixed["errors"][0]["message"],
            "HTTP 502: <html>Bad Gateway</html>"
        );
        let empty: serde_json::Value =
            serde_json::from_slice(&dvs_error_body(429, b"").unwrap()).unwrap();
        assert_eq!(empty["errors"][0]["message"], "HTTP 429 with an empty body");
        assert_eq!(envelope_error_body(200, br#"{"responseCode":"101"}"#), None);
        let env: serde_json::Value =
            serde_json::from_slice(&envelope_error_body(503, b"down").unwrap()).unwrap();
        assert_eq!(env["responseCode"], "HTTP503");
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1), Duration::from_millis(200));
        assert_eq!(p.backoff(2), Duration::from_millis(400));
        assert_eq!(p.backoff(10), Duration::from_secs(5));
    }
}
