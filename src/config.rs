//! Building a client: environment, credentials, timeouts, retries, pacing.

use crate::transport::{CallSettings, RetryPolicy, Timeouts};
use crate::Error;
use std::marker::PhantomData;
use std::time::Duration;

/// Where the API is: the vendor's sandbox or production (those of the
/// client being built), or another address.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// DT One's pre-production sandbox (`https://preprod-dvs-api.dtone.com/v1`).
    Sandbox,
    /// Production (`https://dvs-api.dtone.com/v1`).
    Production,
    /// Another base URL (for example the crate's simulator), up to and
    /// including the `/v1` prefix where the server has one.
    Custom(String),
}

impl Environment {
    /// The base URL of DVS in this environment, without a trailing slash (a
    /// ValueTopup client uses its own addresses: `valuetopup::SANDBOX` and
    /// `valuetopup::PRODUCTION`).
    pub fn base_url(&self) -> &str {
        match self {
            Self::Sandbox => "https://preprod-dvs-api.dtone.com/v1",
            Self::Production => "https://dvs-api.dtone.com/v1",
            Self::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// API key and secret (HTTP Basic). `Debug` shows neither.
#[derive(Clone)]
pub struct Credentials {
    key: String,
    secret: String,
}

impl Credentials {
    /// A key and its secret.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// `DVS_API_KEY` and `DVS_API_SECRET` from the environment, when both are
    /// set and not empty.
    pub fn from_env() -> Option<Self> {
        Self::from_env_vars("DVS_API_KEY", "DVS_API_SECRET")
    }

    /// The values of two environment variables, when both are set and not empty.
    pub(crate) fn from_env_vars(key: &str, secret: &str) -> Option<Self> {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Some(Self::new(var(key)?, var(secret)?))
    }

    fn header(&self) -> Result<reqwest::header::HeaderValue, Error> {
        use base64::Engine as _;
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.key, self.secret));
        let mut value = reqwest::header::HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|_| Error::invalid("credentials", "not valid in an HTTP header"))?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials([redacted])")
    }
}

/// A client version that a [`ClientBuilder`] can build.
pub trait FromConfig: Sized + private::Sealed {
    /// The vendor's sandbox, for [`Environment::Sandbox`].
    #[doc(hidden)]
    const SANDBOX: &'static str;
    /// The vendor's production address, for [`Environment::Production`].
    #[doc(hidden)]
    const PRODUCTION: &'static str;
    #[doc(hidden)]
    fn from_parts(base_url: String, http: reqwest::Client, settings: CallSettings) -> Self;
}

pub(crate) mod private {
    pub trait Sealed {}
}

/// Builds a client of one API version: `dvs::v1_21::Client::builder()`.
///
/// ```
/// use std::time::Duration;
/// let client = dvs::v1_21::Client::builder()
///     .environment(dvs::Environment::Sandbox)
///     .credentials(dvs::Credentials::new("key", "secret"))
///     .read_timeout(Duration::from_secs(10))
///     .retry(dvs::RetryPolicy::default().with_max_attempts(3))
///     .min_interval(Duration::from_millis(50))
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("secret"));
/// ```
#[must_use]
pub struct ClientBuilder<C> {
    environment: Environment,
    credentials: Option<Credentials>,
    timeouts: Timeouts,
    connect_timeout: Duration,
    retry: RetryPolicy,
    min_interval: Option<Duration>,
    user_agent: String,
    _client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("credentials", &self.credentials)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("min_interval", &self.min_interval)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl<C: FromConfig> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            environment: Environment::Sandbox,
            credentials: None,
            timeouts: Timeouts::default(),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            min_interval: None,
            user_agent: concat!("dvs-rust/", env!("CARGO_PKG_VERSION")).to_string(),
            _client: PhantomData,
        }
    }
}

impl<C: FromConfig> ClientBuilder<C> {
    /// Where to connect (default: the sandbox).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// A custom base URL (shorthand for [`Environment::Custom`]).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.environment(Environment::Custom(url.into()))
    }

    /// API key and secret. Without them, requests are sent unauthenticated
    /// (DVS answers 401).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Timeout of reads and look-ups (default 30 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.read = timeout;
        self
    }

    /// Timeout of asynchronous transaction create, confirm and cancel (default 60 s).
    pub fn transaction_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.transaction = timeout;
        self
    }

    /// Timeout of synchronous transaction calls (default 190 s; DVS holds
    /// them open up to 180 s). Values under 180 s are allowed: the outcome
    /// of a timed-out call is then recovered by `external_id`.
    pub fn sync_transaction_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.sync_transaction = timeout;
        self
    }

    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Automatic retries of reads and look-ups (default: 4 attempts within 30 s).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Client-side pacing: at least this long between two requests.
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = Some(interval);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Builds the client: one connection pool; TLS 1.2 or newer through rustls
    /// (ring provider, the platform's roots) or, with the `native-tls`
    /// feature, the platform's TLS library.
    pub fn build(self) -> Result<C, Error> {
        // Sandbox and production are the addresses of the client's vendor:
        // a ValueTopup client never sends its credentials to DVS.
        let base_url = match &self.environment {
            Environment::Sandbox => C::SANDBOX,
            Environment::Production => C::PRODUCTION,
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
        .to_string();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::invalid("base_url", format!("`{base_url}`: {e}")))?;
        if !matches!(parsed.scheme(), "https" | "http") {
            return Err(Error::invalid("base_url", "must be http or https"));
        }
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(credentials) = &self.credentials {
            headers.insert(reqwest::header::AUTHORIZATION, credentials.header()?);
        }
        if parsed.scheme() == "https" && !crate::tls::HTTPS {
            return Err(Error::invalid(
                "base_url",
                "https needs the `rustls` or the `native-tls` feature",
            ));
        }
        let http = crate::tls::http_client_builder()?
            .default_headers(headers)
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(|e| Error::Transport {
                outcome: crate::Outcome::NotApplicable,
                source: Box::new(e),
            })?;
        let settings = CallSettings::new(self.timeouts, self.retry, self.min_interval);
        Ok(C::from_parts(base_url, http, settings))
    }
}
