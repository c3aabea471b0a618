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
/// use dvs::valuetopup::StatusPolling;
/// let polling = StatusPolling::new(
///     Duration::from_millis(500),
///     Duration::from_secs(15),
///     Duration::from_secs(60),
/// );
/// assert_eq!(polling.with_deadline(Duration::ZERO).max_backoff, Duration::from_secs(15));
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
        Self::new(
            Duration::from_secs(1),
            Duration::from_secs(15),
            Duration::from_secs(150),
        )
    }
}

impl StatusPolling {
    /// A policy: the first ask after `initial_backoff`, each wait doubled up
    /// to `max_backoff`, no ask after `deadline`.
    pub fn new(initial_backoff: Duration, max_backoff: Duration, deadline: Duration) -> Self {
        Self {
            initial_backoff,
            max_backoff,
            deadline,
        }
    }

    /// This policy with another deadline. `Duration::ZERO` asks once, at
    /// once: a purchase answered `"852"` then comes back pending.
    pub fn with_deadline(self, deadline: Duration) -> Self {
        Self { deadline, ..self }
    }

    /// The wait before ask number `n` (1-based).
    pub(crate) fn backoff(&self, n: u32) -> Duration {
        crate::transport::doubling_backoff(self.initial_backoff, self.max_backoff, n)
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
    const SANDBOX: &'static str = SANDBOX;
    const PRODUCTION: &'static str = PRODUCTION;
    fn from_parts(base_url: String, http: reqwest::Client, settings: CallSettings) -> Self {
        Self::from_parts(&base_url, http, settings)
    }
}

/// `VALUETOPUP_USERNAME` and `VALUETOPUP_PASSWORD` from the environment,
/// when both are set and not empty.
pub fn credentials_from_env() -> Option<Credentials> {
    Credentials::from_env_vars("VALUETOPUP_USERNAME", "VALUETOPUP_PASSWORD")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn default_waits_double_from_one_second_up_to_fifteen() {
        let p = StatusPolling::default();
        let waits = [1, 2, 3, 40].map(|n| p.backoff(n));
        assert_eq!(waits, [1, 2, 4, 15].map(Duration::from_secs));
    }

    #[test]
    fn environments() {
        let client = Client::builder().base_url(format!("{PRODUCTION}/")).build();
        assert_eq!(client.unwrap().base_url(), PRODUCTION);
        // The shared environments name this vendor's addresses, never DVS's.
        for (environment, url) in [
            (crate::Environment::Production, PRODUCTION),
            (crate::Environment::Sandbox, SANDBOX),
        ] {
            let client = Client::builder().environment(environment).build().unwrap();
            assert_eq!(client.base_url(), url);
        }
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
