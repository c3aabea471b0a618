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
    /// First backoff; doubled at each retry.
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
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// What a client does around each call: timeouts per call class, automatic
/// retries of reads, client-side pacing. Shared by every clone of a client.
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
    /// is a risk on a payments API) and set the call class's timeout.
    pub(crate) fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) {
        request.headers_mut().remove("api-version");
        *request.timeout_mut() = Some(self.timeout(CallClass::of(operation_id)));
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
        let mut attempt = 1;
        let mut request = request;
        loop {
            let retry_copy = if class.retryable() && attempt < policy.max_attempts {
                request.try_clone()
            } else {
                None
            };
            self.pace().await;
            let result = http.execute(request).await;
            let Some(next) = retry_copy else {
                return result;
            };
            let wait = match &result {
                Ok(resp) if is_retryable_status(resp.status().as_u16()) => {
                    retry_after(resp.headers()).unwrap_or_else(|| policy.backoff(attempt))
                }
                Ok(_) => return result,
                Err(e) if e.is_connect() || e.is_timeout() || e.is_request() => {
                    policy.backoff(attempt)
                }
                Err(_) => return result,
            };
            if started.elapsed().saturating_add(wait) > policy.deadline {
                return result;
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            drop(result);
            tokio::time::sleep(wait).await;
            attempt += 1;
            request = next;
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_classes() {
        assert_eq!(CallClass::of("get_products"), CallClass::Read);
        assert_eq!(
            CallClass::of("post_lookup_mobile_number"),
            CallClass::Lookup
        );
        assert_eq!(
            CallClass::of("post_transaction_sync"),
            CallClass::SyncTransactionWrite
        );
        assert_eq!(
            CallClass::of("post_transaction_confirm_sync"),
            CallClass::SyncTransactionWrite
        );
        assert_eq!(
            CallClass::of("post_transaction_async"),
            CallClass::TransactionWrite
        );
        assert_eq!(
            CallClass::of("post_transaction"),
            CallClass::TransactionWrite
        );
        assert_eq!(
            CallClass::of("post_transaction_cancel"),
            CallClass::TransactionWrite
        );
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
