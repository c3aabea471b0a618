//! Building a ValueTopup client: environment, credentials, timeouts,
//! retries, pacing and status polling.

use super::Client;
use crate::transport::CallSettings;
use crate::Credentials;
use std::time::Duration;

/// The sandbox, the default base URL of [`Client::builder`].
///
/// ```
/// assert_eq!(dvs::valuetopup::SANDBOX, "https://sandbox.valuetopup.com/api/v2");
/// ```
pub const SANDBOX: &str = "https://sandbox.valuetopup.com/api/v2";

/// Production. The reference does not print the production address (the
/// spec marks it `x-url-unverified`): confirm it with Prepay Nation, or pass
/// the address they give you to
/// [`base_url`](crate::ClientBuilder::base_url) (up to and including the
/// `/api/v2` prefix).
pub const PRODUCTION: &str = "https://www.valuetopup.com/api/v2";

/// How a purchase whose outcome is not known yet is resolved: the client
/// asks `GET /transaction/status/{correlationId}` after `initial_backoff`,
/// then again with the wait doubled each time up to `max_backoff`, and
/// stops once the next ask would start after `deadline` (counted from the
/// first ask's wait). It never sends the purchase again.
///
/// The same policy applies when a read answers `"852"` (in progress): the
/// read is asked again (reads change nothing).
///
/// ```
/// use std::time::Duration;
/// let polling = dvs::valuetopup::StatusPolling::default()
///     .with_initial_backoff(Duration::from_millis(500))
///     .with_deadline(Duration::from_secs(60));
/// assert_eq!(polling.max_backoff, Duration::from_secs(15));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusPolling {
    /// Wait before the first status ask (default 1 s).
    pub initial_backoff: Duration,
    /// Cap of one wait (default 15 s).
    pub max_backoff: Duration,
    /// No ask starts after this much time (default 150 s: the vendor allows
    /// a purchase 2 minutes).
    pub deadline: Duration,
}

impl Default for StatusPolling {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(15),
            deadline: Duration::from_secs(150),
        }
    }
}

impl StatusPolling {
    /// This policy with another first wait.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// This policy with another cap of one wait.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// This policy with another deadline. `Duration::ZERO` asks once, at
    /// once: a purchase answered `"852"` then comes back pending.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The wait before ask number `n` (1-based).
    pub(crate) fn backoff(&self, n: u32) -> Duration {
        let factor = 2u32.saturating_pow(n.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Builds a [`Client`]: `dvs::valuetopup::Client::builder()`, the shared
/// [`dvs::ClientBuilder`](crate::ClientBuilder) starting from the
/// ValueTopup [`SANDBOX`] and a 130 s timeout of purchases and cost
/// estimates (its `transaction_timeout`: the vendor holds a purchase up to
/// 2 minutes; a purchase that times out is resolved by its
/// `correlationId`, never sent again). Retries (its `retry`) apply to reads
/// and status checks only; purchases are never retried. Status polling is
/// the client's ([`Client::with_status_polling`]).
///
/// ```
/// use std::time::Duration;
/// use dvs::valuetopup::{self, Client, StatusPolling};
///
/// let client = Client::builder()
///     .base_url(valuetopup::SANDBOX)
///     .credentials(dvs::Credentials::new("user", "password"))
///     .read_timeout(Duration::from_secs(10))
///     .transaction_timeout(Duration::from_secs(130))
///     .retry(dvs::RetryPolicy::default().with_max_attempts(3))
///     .build()
///     .unwrap()
///     .with_status_polling(StatusPolling::default().with_deadline(Duration::from_secs(90)));
/// assert_eq!(client.base_url(), "https://sandbox.valuetopup.com/api/v2");
/// assert!(!format!("{client:?}").contains("password"));
/// ```
pub type ClientBuilder = crate::ClientBuilder<Client>;

impl crate::config::private::Sealed for Client {}

impl crate::FromConfig for Client {
    fn from_parts(base_url: String, http: reqwest::Client, settings: CallSettings) -> Self {
        Self::from_parts(&base_url, http, settings)
    }
}

/// `VALUETOPUP_USERNAME` and `VALUETOPUP_PASSWORD` from the environment,
/// when both are set and not empty.
pub fn credentials_from_env() -> Option<Credentials> {
    let user = std::env::var("VALUETOPUP_USERNAME")
        .ok()
        .filter(|v| !v.is_empty())?;
    let password = std::env::var("VALUETOPUP_PASSWORD")
        .ok()
        .filter(|v| !v.is_empty())?;
    Some(Credentials::new(user, password))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = StatusPolling::default();
        assert_eq!(p.backoff(1), Duration::from_secs(1));
        assert_eq!(p.backoff(2), Duration::from_secs(2));
        assert_eq!(p.backoff(3), Duration::from_secs(4));
        assert_eq!(p.backoff(40), Duration::from_secs(15));
    }

    #[test]
    fn environments() {
        let client = Client::builder().base_url(format!("{PRODUCTION}/")).build();
        assert_eq!(client.unwrap().base_url(), PRODUCTION);
        let err = Client::builder().base_url("ftp://x").build().unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "base_url",
                ..
            }
        ));
    }
}
