//! The `{responseCode, responseMessage, payLoad}` envelope, unwrapped.
//!
//! `"000"` is success; `"852"` is "in progress" (never an error, never a
//! success); any other code is an [`Error::ValueTopup`].

use super::raw::types;
use super::{ResponseCode, StatusPolling};
use crate::{Error, Outcome};
use progenitor_client::{Error as RawError, ResponseValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::time::Instant;

/// What every generated envelope type gives.
pub(crate) trait Envelope: Sized {
    /// What a success carries.
    type Payload;
    fn code(&self) -> &str;
    fn message(&self) -> Option<&str>;
    /// The payload of a success (`None` when a required one is missing).
    fn payload(self) -> Option<Self::Payload>;
}

macro_rules! envelope {
    ($($t:ident => $p:ty;)*) => {$(
        impl Envelope for types::$t {
            type Payload = $p;
            fn code(&self) -> &str {
                &self.response_code
            }
            fn message(&self) -> Option<&str> {
                self.response_message.as_deref()
            }
            fn payload(self) -> Option<$p> {
                self.pay_load
            }
        }
    )*};
}

envelope! {
    BalanceResponse => rust_decimal::Decimal;
    BillPayAccountResponse => types::BillPayAccountDetail;
    CostEstimateResponse => types::CostEstimate;
    CountryListResponse => Vec<types::Country>;
    ErrorListResponse => Vec<types::ErrorDefinition>;
    EsimStatusResponse => Vec<types::EsimBundleStatus>;
    GiftCardDetailResponse => types::GiftCardDetail;
    MobileLookupResponse => Vec<types::MobileLookupResult>;
    OperatorListResponse => Vec<types::Operator>;
    ProductListResponse => Vec<types::Product>;
    PromotionListResponse => Vec<types::Promotion>;
    SkuExchangeRateResponse => types::SkuExchangeRate;
    SkuListResponse => Vec<types::Sku>;
}

/// One page of gift card SKUs and its paging values.
pub(crate) struct GiftCardPage {
    pub(crate) items: Vec<types::Sku>,
    pub(crate) next: Option<i64>,
    pub(crate) next_cursor: Option<i64>,
}

impl Envelope for types::GiftCardSkuListResponse {
    type Payload = GiftCardPage;
    fn code(&self) -> &str {
        &self.response_code
    }
    fn message(&self) -> Option<&str> {
        self.response_message.as_deref()
    }
    fn payload(self) -> Option<GiftCardPage> {
        Some(GiftCardPage {
            items: self.pay_load?,
            next: self.next,
            next_cursor: self.next_cursor,
        })
    }
}

/// The payload of a purchase may be missing from a success: an empty
/// transaction then (the outcome, success, is known).
impl Envelope for types::TransactionResponse {
    type Payload = types::Transaction;
    fn code(&self) -> &str {
        &self.response_code
    }
    fn message(&self) -> Option<&str> {
        self.response_message.as_deref()
    }
    fn payload(self) -> Option<types::Transaction> {
        Some(self.pay_load.unwrap_or_default())
    }
}

/// A failure code as an error.
pub(crate) fn failure<R: Envelope>(
    status: Option<u16>,
    envelope: &R,
    correlation_id: Option<&str>,
) -> Error {
    Error::ValueTopup {
        status,
        code: ResponseCode::from(envelope.code()),
        message: envelope.message().unwrap_or_default().to_string(),
        correlation_id: correlation_id.map(str::to_string),
    }
}

/// An error status that carried an envelope (429 is rate limiting).
pub(crate) fn error_status<R: Envelope>(
    rv: ResponseValue<R>,
    correlation_id: Option<&str>,
) -> Error {
    let status = rv.status().as_u16();
    if status == 429 {
        return Error::RateLimited {
            retry_after: crate::transport::retry_after(rv.headers()),
        };
    }
    failure(Some(status), &rv.into_inner(), correlation_id)
}

/// The code and message of an answer whose payload did not decode (for
/// example a failure sent with `"payLoad": null` where a list is declared).
pub(crate) struct Bare {
    pub(crate) code: ResponseCode,
    pub(crate) message: Option<String>,
}

impl Bare {
    pub(crate) fn parse(bytes: &[u8]) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        Some(Self {
            code: ResponseCode::from(v.get("responseCode")?.as_str()?),
            message: v
                .get("responseMessage")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
        })
    }

    /// The failure, when the code is one (the status is not known here).
    pub(crate) fn failure(&self, correlation_id: Option<&str>) -> Option<Error> {
        self.code.is_failure().then(|| Error::ValueTopup {
            status: None,
            code: self.code.clone(),
            message: self.message.clone().unwrap_or_default(),
            correlation_id: correlation_id.map(str::to_string),
        })
    }
}

/// Runs a call that changes nothing and unwraps its envelope. An `"852"`
/// answer is no answer yet: the call is asked again with the polling
/// backoff, and [`Error::Timeout`] ends the wait at the polling deadline.
pub(crate) async fn read<R, F, Fut>(polling: &StatusPolling, send: F) -> Result<R::Payload, Error>
where
    R: Envelope + DeserializeOwned + Serialize,
    F: Fn() -> Fut,
    Fut: Future<Output = Result<ResponseValue<R>, RawError<R>>>,
{
    let started = Instant::now();
    let mut asks = 0;
    loop {
        match send().await {
            Ok(rv) => {
                let status = rv.status().as_u16();
                let envelope = rv.into_inner();
                let code = ResponseCode::from(envelope.code());
                if code.is_success() {
                    return envelope.payload().ok_or_else(|| Error::Decode {
                        path: "payLoad".into(),
                        message: "missing from a successful answer".into(),
                    });
                }
                if code.is_failure() {
                    return Err(failure(Some(status), &envelope, None));
                }
                tracing::debug!("in progress (852); asking again");
            }
            Err(RawError::ErrorResponse(rv)) => return Err(error_status(rv, None)),
            // The payload did not decode; the code may still say enough.
            Err(RawError::InvalidResponsePayload(bytes, err)) => match Bare::parse(&bytes) {
                Some(bare) if bare.code.is_in_progress() => {
                    tracing::debug!("in progress (852); asking again");
                }
                Some(bare) if bare.code.is_failure() => {
                    return Err(bare.failure(None).expect("a failure code"))
                }
                _ => {
                    return Err(crate::convert::error::<R, R>(
                        RawError::InvalidResponsePayload(bytes, err),
                        Outcome::NotApplicable,
                    ))
                }
            },
            Err(e) => return Err(crate::convert::error::<R, R>(e, Outcome::NotApplicable)),
        }
        asks += 1;
        let wait = polling.backoff(asks);
        if started.elapsed() + wait > polling.deadline {
            return Err(Error::Timeout {
                outcome: Outcome::NotApplicable,
            });
        }
        tokio::time::sleep(wait).await;
    }
}
