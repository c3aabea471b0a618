//! Building a ValueTopup client: environment, credentials, timeouts,
//! retries, pacing and status polling.

use super::Client;
use crate::transport::CallSettings;
use crate::{Credentials, Error, RetryPolicy};
use std::time::Duration;

/// Where the ValueTopup API is.
///
/// ```
/// use dvs::valuetopup::Environment;
/// assert_eq!(Environment::Sandbox.base_url(), "https://sandbox.valuetopup.com/api/v2");
/// assert_eq!(Environment::Custom("http://127.0.0.1:8080/api/v2/".into()).base_url(), "http://127.0.0.1:8080/api/v2");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// The sandbox (`https://sandbox.valuetopup.com/api/v2`).
    Sandbox,
    /// Production (`https://www.valuetopup.com/api/v2`). The reference does
    /// not print the production address (the spec marks it
    /// `x-url-unverified`): confirm it with Prepay Nation, or use
    /// [`Environment::Custom`] with the address they give you.
    Production,
    /// Another base URL, up to and including the `/api/v2` prefix.
    Custom(String),
}

impl Environment {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Self::Sandbox => "https://sandbox.valuetopup.com/api/v2",
            Self::Production => "https://www.valuetopup.com/api/v2",
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

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

/// What the shared builder makes; the ValueTopup builder adds its own parts.
pub(crate) struct Parts {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    pub(crate) settings: CallSettings,
}

impl crate::config::private::Sealed for Parts {}

impl crate::FromConfig for Parts {
    fn from_parts(base_url: String, http: reqwest::Client, settings: CallSettings) -> Self {
        Self {
            base_url,
            http,
            settings,
        }
    }
}

/// Builds a [`Client`]: `dvs::valuetopup::Client::builder()`. The same
/// conventions as [`dvs::ClientBuilder`](crate::ClientBuilder), with
/// ValueTopup's [`Environment`]s and [`StatusPolling`].
///
/// ```
/// use std::time::Duration;
/// use dvs::valuetopup::{Client, Environment, StatusPolling};
///
/// let client = Client::builder()
///     .environment(Environment::Sandbox)
///     .credentials(dvs::Credentials::new("user", "password"))
///     .read_timeout(Duration::from_secs(10))
///     .purchase_timeout(Duration::from_secs(130))
///     .retry(dvs::RetryPolicy::default().with_max_attempts(3))
///     .status_polling(StatusPolling::default().with_deadline(Duration::from_secs(90)))
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url(), "https://sandbox.valuetopup.com/api/v2");
/// assert!(!format!("{client:?}").contains("password"));
/// ```
#[must_use]
pub struct ClientBuilder {
    inner: crate::ClientBuilder<Parts>,
    environment: Environment,
    polling: StatusPolling,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("valuetopup::ClientBuilder")
            .field("environment", &self.environment)
            .field("polling", &self.polling)
            .field("shared", &self.inner)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            // The vendor holds a purchase up to 2 minutes.
            inner: crate::ClientBuilder::default().transaction_timeout(Duration::from_secs(130)),
            environment: Environment::Sandbox,
            polling: StatusPolling::default(),
        }
    }
}

impl ClientBuilder {
    /// Where to connect (default: the sandbox).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// A custom base URL (shorthand for [`Environment::Custom`]).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// Account user name and password (HTTP Basic). `Debug` shows neither.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.inner = self.inner.credentials(credentials);
        self
    }

    /// Timeout of reads, look-ups and status checks (default 30 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.read_timeout(timeout);
        self
    }

    /// Timeout of purchases and cost estimates (default 130 s; the vendor
    /// holds a purchase up to 2 minutes). A purchase that times out is
    /// resolved by its `correlationId`, never sent again.
    pub fn purchase_timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.transaction_timeout(timeout);
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.connect_timeout(timeout);
        self
    }

    /// Automatic retries of reads and status checks on 429, 503 and
    /// connection errors (default: 4 attempts within 30 s). Purchases are
    /// never retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.inner = self.inner.retry(retry);
        self
    }

    /// Client-side pacing: at least this long between two requests.
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.inner = self.inner.min_interval(interval);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.inner = self.inner.user_agent(user_agent);
        self
    }

    /// How purchases of unknown outcome (and `"852"` answers) are resolved.
    pub fn status_polling(mut self, polling: StatusPolling) -> Self {
        self.polling = polling;
        self
    }

    /// Builds the client: one connection pool, rustls with TLS 1.2 or newer.
    pub fn build(self) -> Result<Client, Error> {
        let parts = self
            .inner
            .base_url(self.environment.base_url().to_string())
            .build()?;
        Ok(Client::from_parts(parts, self.polling))
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
        assert_eq!(
            Environment::Production.base_url(),
            "https://www.valuetopup.com/api/v2"
        );
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
