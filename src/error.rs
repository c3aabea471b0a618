//! The crate's one error type, and the DVS error codes.

use std::time::Duration;

/// A DVS error code (the `code` of an error body), open to codes added later.
///
/// ```
/// use dvs::ErrorCode;
/// let code = ErrorCode::from_code(1007001);
/// assert_eq!(code, ErrorCode::ExternalIdAlreadyUsed);
/// assert_eq!(code.http_status(), Some(400));
/// assert_eq!(ErrorCode::from_code(1234567), ErrorCode::Unknown(1234567));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 1000400: the request was malformed.
    BadRequest,
    /// 1000401: credentials missing or invalid.
    Unauthorized,
    /// 1000404: no such resource.
    NotFound,
    /// 1000429: too many requests.
    TooManyRequests,
    /// 1003001: the product is not available to the account.
    ProductNotAvailable,
    /// 1003002: the requested amount is out of the product's range.
    AmountOutOfRange,
    /// 1003003: the requested unit is not valid for the product.
    InvalidUnit,
    /// 1003101: no benefits defined for the available products.
    BenefitsNotDefined,
    /// 1003201: no such promotion.
    PromotionNotFound,
    /// 1003301: no such campaign.
    CampaignNotFound,
    /// 1005003: the credit party's mobile number is invalid.
    InvalidCreditPartyMobileNumber,
    /// 1005004: no such service.
    ServiceNotFound,
    /// 1005005: no such country.
    CountryNotFound,
    /// 1005006: no such operator.
    OperatorNotFound,
    /// 1005503: the sender's mobile number is invalid.
    InvalidSenderMobileNumber,
    /// 1006001: not enough balance.
    InsufficientBalance,
    /// 1006003: the debit party's mobile number is invalid.
    InvalidDebitPartyMobileNumber,
    /// 1006009: no such account balance.
    BalanceNotFound,
    /// 1006503: the beneficiary's mobile number is invalid.
    InvalidBeneficiaryMobileNumber,
    /// 1007001: the `external_id` was already used by another transaction.
    ExternalIdAlreadyUsed,
    /// 1007002: the transaction was already confirmed.
    AlreadyConfirmed,
    /// 1007004: the transaction can no longer be confirmed.
    CannotBeConfirmed,
    /// 1007005: the transaction was already cancelled.
    AlreadyCancelled,
    /// 1007007: the transaction can no longer be cancelled.
    CannotBeCancelled,
    /// 1007500: the operator does not support this method.
    MethodNotSupported,
    /// 1008004: no such transaction.
    TransactionNotFound,
    /// 1009001: unexpected error at DVS.
    Unexpected,
    /// 1009503: DVS is unavailable; retry later.
    ServiceUnavailable,
    /// A code this version of the crate does not know.
    Unknown(i64),
}

const CODES: &[(i64, ErrorCode, u16)] = &[
    (1000400, ErrorCode::BadRequest, 400),
    (1000401, ErrorCode::Unauthorized, 401),
    (1000404, ErrorCode::NotFound, 404),
    (1000429, ErrorCode::TooManyRequests, 429),
    (1003001, ErrorCode::ProductNotAvailable, 404),
    (1003002, ErrorCode::AmountOutOfRange, 400),
    (1003003, ErrorCode::InvalidUnit, 400),
    (1003101, ErrorCode::BenefitsNotDefined, 404),
    (1003201, ErrorCode::PromotionNotFound, 404),
    (1003301, ErrorCode::CampaignNotFound, 404),
    (1005003, ErrorCode::InvalidCreditPartyMobileNumber, 400),
    (1005004, ErrorCode::ServiceNotFound, 404),
    (1005005, ErrorCode::CountryNotFound, 404),
    (1005006, ErrorCode::OperatorNotFound, 404),
    (1005503, ErrorCode::InvalidSenderMobileNumber, 400),
    (1006001, ErrorCode::InsufficientBalance, 400),
    (1006003, ErrorCode::InvalidDebitPartyMobileNumber, 400),
    (1006009, ErrorCode::BalanceNotFound, 404),
    (1006503, ErrorCode::InvalidBeneficiaryMobileNumber, 400),
    (1007001, ErrorCode::ExternalIdAlreadyUsed, 400),
    (1007002, ErrorCode::AlreadyConfirmed, 400),
    (1007004, ErrorCode::CannotBeConfirmed, 400),
    (1007005, ErrorCode::AlreadyCancelled, 400),
    (1007007, ErrorCode::CannotBeCancelled, 400),
    (1007500, ErrorCode::MethodNotSupported, 400),
    (1008004, ErrorCode::TransactionNotFound, 404),
    (1009001, ErrorCode::Unexpected, 500),
    (1009503, ErrorCode::ServiceUnavailable, 503),
];

impl ErrorCode {
    /// Every code DVS documents, in order.
    pub fn documented() -> impl Iterator<Item = ErrorCode> {
        CODES.iter().map(|(_, c, _)| *c)
    }

    /// The code of a number.
    pub fn from_code(code: i64) -> Self {
        CODES
            .iter()
            .find(|(n, _, _)| *n == code)
            .map_or(Self::Unknown(code), |(_, c, _)| *c)
    }

    /// The number DVS sends.
    pub fn code(&self) -> i64 {
        match self {
            Self::Unknown(n) => *n,
            known => CODES
                .iter()
                .find(|(_, c, _)| c == known)
                .map(|(n, _, _)| *n)
                .expect("every known code is in the table"),
        }
    }

    /// The HTTP status DVS documents for the code.
    pub fn http_status(&self) -> Option<u16> {
        CODES.iter().find(|(_, c, _)| c == self).map(|(_, _, s)| *s)
    }

    /// A retry may succeed (rate limited, or DVS temporarily unavailable).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::TooManyRequests | Self::ServiceUnavailable)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// One entry of a DVS error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiErrorItem {
    /// The code.
    pub code: ErrorCode,
    /// DVS's message (may change without notice; do not match on it).
    pub message: String,
}

/// What is known of a transaction call whose response was not received.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Not a transaction call: nothing changed on the server.
    NotApplicable,
    /// The request may or may not have been applied. Look the transaction up
    /// before doing anything else: by its `external_id` after a create, by
    /// its id after a confirm or cancel.
    #[non_exhaustive]
    Unknown {
        /// The transaction's `external_id`, when the call had one (for a
        /// ValueTopup purchase: its `correlationId`).
        external_id: Option<String>,
        /// The transaction's id, when the call was about an existing
        /// transaction (confirm, cancel).
        transaction_id: Option<i64>,
    },
}

impl Outcome {
    /// Unknown outcome of a create, found again by its `external_id`.
    pub(crate) fn unknown_create(external_id: &str) -> Self {
        Self::Unknown {
            external_id: Some(external_id.to_string()),
            transaction_id: None,
        }
    }

    /// Unknown outcome of a confirm or cancel of transaction `id`.
    pub(crate) fn unknown_action(id: i64) -> Self {
        Self::Unknown {
            external_id: None,
            transaction_id: Some(id),
        }
    }
}

/// The transaction that already holds an `external_id`, carried by
/// [`Error::ExternalIdAlreadyUsed`]. Read it with
/// [`Error::existing_transaction`] as the client's transaction type (for
/// example `dvs::v1_21::Transaction`).
pub struct ExistingTransaction(Box<dyn ExistingTx>);

trait ExistingTx: std::any::Any + std::fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: std::any::Any + std::fmt::Debug + Send + Sync> ExistingTx for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl ExistingTransaction {
    pub(crate) fn new<T: std::any::Any + std::fmt::Debug + Send + Sync>(tx: T) -> Self {
        Self(Box::new(tx))
    }

    /// The transaction as `T`, when it is of that type.
    pub fn get<T: std::any::Any>(&self) -> Option<&T> {
        (*self.0).as_any().downcast_ref()
    }
}

impl std::fmt::Debug for ExistingTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transaction's own `Debug` (a PIN never shows in it).
        self.0.fmt(f)
    }
}

/// The crate's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input refused before anything was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The parameter or field.
        field: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// DVS answered with an error status.
    #[error("DVS answered {status}: {}", describe(.errors))]
    Api {
        /// The HTTP status.
        status: u16,
        /// The parsed error body (empty when the body was not DVS's).
        errors: Vec<ApiErrorItem>,
    },
    /// Rate limited (HTTP 429 or code 1000429), after the retries allowed.
    #[error("rate limited by DVS{}", .retry_after.map(|d| format!(" (retry after {d:?})")).unwrap_or_default())]
    RateLimited {
        /// How long DVS asked to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// No response in time.
    #[error("timed out{}", outcome_note(.outcome))]
    Timeout {
        /// For transaction calls: the outcome is unknown.
        outcome: Outcome,
    },
    /// The connection failed, or the answer to a transaction call could not
    /// be read (an undecodable body, an undocumented success status): in
    /// both cases the call may have been applied.
    #[error("transport error{}: {source}", outcome_note(.outcome))]
    Transport {
        /// For transaction calls sent before the failure: the outcome is unknown.
        outcome: Outcome,
        /// The cause.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A response that could not be decoded. The message never quotes the
    /// value that did not fit (it may be a secret such as a PIN).
    #[error("could not decode the response at `{path}`: {message}")]
    Decode {
        /// JSON path of the failing value (`.` for the whole body).
        path: String,
        /// What was wrong (the expected type; never the value received).
        message: String,
    },
    /// Prepay Nation ValueTopup answered with a failure `responseCode`
    /// (anything but `"000"` success and `"852"` in progress).
    #[cfg(feature = "valuetopup")]
    #[error("ValueTopup answered {code}{}: {message}{}", .status.map(|s| format!(" (HTTP {s})")).unwrap_or_default(), .correlation_id.as_ref().map(|c| format!(" (correlationId {c})")).unwrap_or_default())]
    ValueTopup {
        /// The HTTP status (200 when the failure came in a 200 envelope);
        /// `None` when only the envelope's code could be read (its payload
        /// did not decode) and the status was not kept.
        status: Option<u16>,
        /// The `responseCode`.
        code: crate::valuetopup::ResponseCode,
        /// The `responseMessage` (may change without notice; do not match on it).
        message: String,
        /// The purchase's `correlationId`, for purchases and status checks.
        correlation_id: Option<String>,
    },
    /// The `external_id` is already held by a transaction that differs from
    /// the one requested (another product, credit party, amount...). Nothing
    /// was created: use a new `external_id` for a new order, or resend the
    /// same order unchanged to get the existing transaction back.
    #[error("external_id `{external_id}` is already used by transaction {} for a different order ({} differ{})", .transaction_id.map_or_else(|| "(id unknown)".to_string(), |i| i.to_string()), .differences.join(", "), if .differences.len() == 1 { "s" } else { "" })]
    ExternalIdAlreadyUsed {
        /// The `external_id` requested.
        external_id: String,
        /// The id of the transaction that holds it.
        transaction_id: Option<i64>,
        /// The request fields whose values differ from the transaction's
        /// (names only, e.g. `credit_party_identifier.mobile_number`).
        differences: Vec<String>,
        /// The transaction that holds the `external_id`.
        existing: ExistingTransaction,
    },
    /// A transaction did not reach a final status before the deadline.
    #[error("transaction {id} not final before the deadline (last status {last_status})")]
    NotFinal {
        /// Transaction id.
        id: i64,
        /// The last status class seen.
        last_status: crate::StatusClass,
    },
}

/// A decoding error's message without the values it quotes.
///
/// Serde's messages echo the value that did not fit (``invalid type:
/// integer `48151623`, expected a string``); when that value is a PIN or
/// another secret, the message would carry it into logs. Every quoted value
/// is dropped, whatever the field: the path and the expected type stay,
/// which is what a caller needs to see what went wrong.
pub(crate) fn redact_values(message: &str) -> String {
    // What serde and serde_json print before an offending value.
    const BACKTICKED: &[&str] = &[
        "integer `",
        "floating point `",
        "boolean `",
        "unknown variant `",
    ];
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    'scan: while !rest.is_empty() {
        for marker in BACKTICKED {
            if let Some(after) = rest.strip_prefix(marker) {
                out.push_str(&marker[..marker.len() - 2]);
                rest = match *marker {
                    // A variant name may hold anything; serde follows it
                    // with "`, expected ..." or "`, there are no variants".
                    "unknown variant `" => after.find("`, ").map_or("", |i| &after[i + 1..]),
                    _ => after.find('`').map_or("", |i| &after[i + 1..]),
                };
                continue 'scan;
            }
        }
        if let Some(after) = rest.strip_prefix("character `") {
            out.push_str("character");
            // One character (possibly a backtick), then the closing one.
            let mut chars = after.chars();
            chars.next();
            rest = chars.as_str().strip_prefix('`').unwrap_or("");
            continue;
        }
        if let Some(after) = rest.strip_prefix("string \"") {
            out.push_str("string");
            // A Rust-escaped string literal: skip to its unescaped end.
            let mut chars = after.char_indices();
            let mut end = after.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &after[end..];
            continue;
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn describe(errors: &[ApiErrorItem]) -> String {
    if errors.is_empty() {
        return "no DVS error body".into();
    }
    errors
        .iter()
        .map(|e| format!("{} {}", e.code, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn outcome_note(outcome: &Outcome) -> String {
    match outcome {
        Outcome::NotApplicable => String::new(),
        Outcome::Unknown {
            transaction_id: Some(id),
            ..
        } => format!(" (the outcome is unknown: read transaction {id} back by its id)"),
        Outcome::Unknown { .. } => {
            " (the transaction's outcome is unknown: look it up by external_id)".to_string()
        }
    }
}

impl Error {
    /// The DVS error codes of an [`Error::Api`] (empty otherwise).
    pub fn codes(&self) -> Vec<ErrorCode> {
        match self {
            Self::Api { errors, .. } => errors.iter().map(|e| e.code).collect(),
            _ => Vec::new(),
        }
    }

    /// True when one of the DVS codes is `code`.
    pub fn has_code(&self, code: ErrorCode) -> bool {
        self.codes().contains(&code)
    }

    /// The HTTP status of an [`Error::Api`], and 429 for
    /// [`Error::RateLimited`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::RateLimited { .. } => Some(429),
            #[cfg(feature = "valuetopup")]
            Self::ValueTopup { status, .. } => *status,
            _ => None,
        }
    }

    /// A retry of the same call may succeed. For calls that create or
    /// confirm transactions, never retry blindly: the client's transaction
    /// methods recover by `external_id` instead.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout { .. } | Self::Transport { .. } => true,
            Self::Api { status, errors } => {
                *status == 429 || *status == 503 || errors.iter().any(|e| e.code.is_retryable())
            }
            #[cfg(feature = "valuetopup")]
            Self::ValueTopup { status, .. } => matches!(status, Some(429 | 503)),
            _ => false,
        }
    }

    /// True when a transaction call may have been applied without the client
    /// knowing: look the transaction up by `external_id`.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::Timeout {
                outcome: Outcome::Unknown { .. }
            } | Self::Transport {
                outcome: Outcome::Unknown { .. },
                ..
            }
        )
    }

    /// The transaction that already holds the `external_id`, read as the
    /// client's transaction type `T`, for an [`Error::ExternalIdAlreadyUsed`].
    ///
    /// ```no_run
    /// # async fn run(client: dvs::v1_21::Client, tx: dvs::NewTransaction) {
    /// match client.create_transaction(&tx, dvs::Mode::Async).await {
    ///     Err(e @ dvs::Error::ExternalIdAlreadyUsed { .. }) => {
    ///         let existing = e.existing_transaction::<dvs::v1_21::Transaction>();
    ///         println!("{:?}", existing.and_then(|t| t.transaction_id()));
    ///     }
    ///     _ => {}
    /// }
    /// # }
    /// ```
    pub fn existing_transaction<T: std::any::Any>(&self) -> Option<&T> {
        match self {
            Self::ExternalIdAlreadyUsed { existing, .. } => existing.get(),
            _ => None,
        }
    }

    /// A decoding error; the message loses every value it quotes (see
    /// [`redact_values`]).
    pub(crate) fn decode(path: impl Into<String>, message: &str) -> Self {
        Self::Decode {
            path: path.into(),
            message: redact_values(message),
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_round_trips() {
        let codes: Vec<i64> = ErrorCode::documented().map(|c| c.code()).collect();
        assert_eq!(codes.len(), 28);
        assert_eq!(codes.first(), Some(&1000400));
        assert_eq!(codes.last(), Some(&1009503));
        for n in codes {
            assert_eq!(ErrorCode::from_code(n).code(), n);
            assert!(ErrorCode::from_code(n).http_status().is_some());
        }
        assert_eq!(ErrorCode::from_code(1).http_status(), None);
    }

    #[test]
    fn decode_messages_never_quote_values() {
        for (raw, redacted) in [
            (
                "invalid type: integer `48151623`, expected a string",
                "invalid type: integer, expected a string",
            ),
            (
                "invalid type: string \"4815-1623\", expected struct Pin at line 1 column 9",
                "invalid type: string, expected struct Pin at line 1 column 9",
            ),
            (
                r#"invalid value: string "a\"b`c", expected x"#,
                "invalid value: string, expected x",
            ),
            (
                "invalid type: floating point `4815.5`, expected a string",
                "invalid type: floating point, expected a string",
            ),
            (
                "invalid type: boolean `true`, expected i64",
                "invalid type: boolean, expected i64",
            ),
            (
                "invalid type: character ```, expected i64",
                "invalid type: character, expected i64",
            ),
            (
                "unknown variant `S3CR`3T`, expected one of `A`, `B`",
                "unknown variant, expected one of `A`, `B`",
            ),
            ("missing field `code`", "missing field `code`"),
            ("unterminated string \"abc", "unterminated string"),
        ] {
            assert_eq!(redact_values(raw), redacted, "{raw}");
        }
        assert_eq!(
            redact_values("invalid type: character `x`, expected i64"),
            "invalid type: character, expected i64"
        );
    }

    #[test]
    fn retryable() {
        let api = |status, code| Error::Api {
            status,
            errors: vec![ApiErrorItem {
                code: ErrorCode::from_code(code),
                message: String::new(),
            }],
        };
        assert!(api(503, 1009503).is_retryable());
        assert!(api(429, 1000429).is_retryable());
        assert!(!api(400, 1007001).is_retryable());
        assert!(!api(404, 1008004).is_retryable());
        assert!(!Error::invalid("page", "must be at least 1").is_retryable());
        assert!(api(400, 1007001).has_code(ErrorCode::ExternalIdAlreadyUsed));
        let shown = api(404, 1008004).to_string();
        assert!(
            shown.contains("404") && shown.contains("1008004"),
            "{shown}"
        );
    }
}
