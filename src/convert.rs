//! From the generated client's results to the crate's: errors, pages, values.

use crate::error::{ApiErrorItem, Error, ErrorCode, Outcome};
use crate::item::Item;
use crate::page::Page;
use progenitor_client::{Error as RawError, ResponseValue};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Converts a value into a generated type through JSON (the generated
/// newtypes are transparent), reporting a refused value as invalid input.
#[cfg(feature = "valuetopup")]
pub(crate) fn to_raw<T: DeserializeOwned>(
    field: &'static str,
    value: impl Serialize,
) -> Result<T, Error> {
    let json = serde_json::to_value(value).map_err(|e| Error::invalid(field, e.to_string()))?;
    serde_path_to_error::deserialize(json).map_err(|e| Error::invalid(field, e.inner().to_string()))
}

/// A generated call's result, with the outcome to report if the response was lost.
pub(crate) fn result<T: DeserializeOwned, E: Serialize>(
    result: Result<ResponseValue<T>, RawError<E>>,
    outcome: Outcome,
) -> Result<ResponseValue<T>, Error> {
    result.map_err(|e| error::<T, E>(e, outcome))
}

/// A page of a generated list call. When the page does not decode as a
/// whole, each item is decoded on its own: one that fails comes back as
/// [`Item::Malformed`] instead of failing the page (the page's headers were
/// kept by the transport; see [`crate::transport::captured_headers`]).
pub(crate) fn page<T: DeserializeOwned, E: Serialize>(
    r: Result<ResponseValue<Vec<T>>, RawError<E>>,
) -> Result<Page<Item<T>>, Error> {
    match r {
        Ok(rv) => {
            let headers = rv.headers().clone();
            let items = rv.into_inner().into_iter().map(Item::Ok).collect();
            Ok(Page::from_parts(items, &headers))
        }
        Err(RawError::InvalidResponsePayload(bytes, err)) => {
            let items = crate::transport::captured_headers().and_then(|headers| {
                serde_json::from_slice::<Vec<Item<T>>>(&bytes)
                    .ok()
                    .map(|items| Page::from_parts(items, &headers))
            });
            match items {
                Some(page) => Ok(page),
                None => Err(error::<Vec<T>, E>(
                    RawError::InvalidResponsePayload(bytes, err),
                    Outcome::NotApplicable,
                )),
            }
        }
        Err(e) => Err(error::<Vec<T>, E>(e, Outcome::NotApplicable)),
    }
}

/// The value of a generated call.
pub(crate) fn value<T: DeserializeOwned, E: Serialize>(
    r: Result<ResponseValue<T>, RawError<E>>,
) -> Result<T, Error> {
    Ok(result(r, Outcome::NotApplicable)?.into_inner())
}

/// Maps a generated client error. `T` is the expected success type, used to
/// find the JSON path of a decoding failure.
pub(crate) fn error<T: DeserializeOwned, E: Serialize>(e: RawError<E>, outcome: Outcome) -> Error {
    match e {
        RawError::InvalidRequest(reason) => Error::InvalidInput {
            field: "request",
            reason,
        },
        RawError::CommunicationError(e)
        | RawError::InvalidUpgrade(e)
        | RawError::ResponseBodyError(e) => transport(e, outcome),
        RawError::ErrorResponse(rv) => {
            let status = rv.status().as_u16();
            let retry_after = crate::transport::retry_after(rv.headers());
            let body = serde_json::to_value(rv.into_inner()).unwrap_or_default();
            api(status, retry_after, &body)
        }
        // A transaction call whose answer cannot be read (a proxy's error
        // page, a body that is not the transaction) may have been applied.
        RawError::InvalidResponsePayload(bytes, err) => match outcome {
            Outcome::Unknown { .. } => Error::Transport {
                outcome,
                source: Box::new(decode::<T>(&bytes, &err)),
            },
            Outcome::NotApplicable => decode::<T>(&bytes, &err),
        },
        RawError::UnexpectedResponse(resp) => {
            let status = resp.status().as_u16();
            if resp.status().is_success() && matches!(outcome, Outcome::Unknown { .. }) {
                // A success status the spec does not list: applied, unread.
                return Error::Transport {
                    outcome,
                    source: format!("unexpected success status {status}").into(),
                };
            }
            let retry_after = crate::transport::retry_after(resp.headers());
            // The body is not read here (that needs an await); for a read,
            // a success status the spec does not list is reported as such.
            api(status, retry_after, &serde_json::Value::Null)
        }
        RawError::Custom(reason) => Error::Transport {
            outcome,
            source: reason.into(),
        },
    }
}

fn transport(e: reqwest::Error, outcome: Outcome) -> Error {
    if e.is_timeout() {
        Error::Timeout { outcome }
    } else {
        // A connection refused before anything was sent cannot have changed
        // anything on the server.
        let outcome = if e.is_connect() {
            Outcome::NotApplicable
        } else {
            outcome
        };
        Error::Transport {
            outcome,
            source: Box::new(e),
        }
    }
}

/// An error status with its body.
pub(crate) fn api(
    status: u16,
    retry_after: Option<std::time::Duration>,
    body: &serde_json::Value,
) -> Error {
    let errors: Vec<ApiErrorItem> = body
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| ApiErrorItem {
                    code: ErrorCode::from_code(
                        e.get("code")
                            .and_then(serde_json::Value::as_i64)
                            .unwrap_or_default(),
                    ),
                    message: e
                        .get("message")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    if status == 429 || errors.iter().any(|e| e.code == ErrorCode::TooManyRequests) {
        return Error::RateLimited { retry_after };
    }
    Error::Api { status, errors }
}

/// A decoding failure, with the JSON path of the failing value.
fn decode<T: DeserializeOwned>(bytes: &[u8], err: &serde_json::Error) -> Error {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let (path, message) = join_union_path(e.path().to_string(), e.inner().to_string());
            Error::decode(path, &message)
        }
        Ok(_) => Error::decode(".", &err.to_string()),
    }
}

/// A tagged union reports the failing field of its variant inside its
/// message (`Product of type X: at `destination.amount`: ...`); moves that
/// path onto the outer one, so `path` names the field itself.
pub(crate) fn join_union_path(outer: String, message: String) -> (String, String) {
    let Some(start) = message.find(": at `") else {
        return (outer, message);
    };
    let rest = &message[start + ": at `".len()..];
    let Some(end) = rest.find("`: ") else {
        return (outer, message);
    };
    let inner = &rest[..end];
    let path = match (outer.as_str(), inner) {
        (".", inner) => inner.to_string(),
        (outer, ".") => outer.to_string(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    };
    let message = format!("{}: {}", &message[..start], &rest[end + 3..]);
    (path, message)
}

#[cfg(test)]
mod tests {
    #[test]
    fn union_paths_are_joined() {
        let (path, message) = super::join_union_path(
            "[1]".into(),
            "Product of type FIXED_VALUE_RECHARGE: at `destination.amount`: invalid type".into(),
        );
        assert_eq!(path, "[1].destination.amount");
        assert_eq!(
            message,
            "Product of type FIXED_VALUE_RECHARGE: invalid type"
        );
        let (path, _) =
            super::join_union_path(".".into(), "Product of type X: at `prices`: missing".into());
        assert_eq!(path, "prices");
        let (path, message) =
            super::join_union_path("[0].id".into(), "invalid type: string".into());
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("[0].id", "invalid type: string")
        );
    }
}

/// A value and the `Content-Language` DVS localized it in.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Localized<T> {
    /// The value.
    pub value: T,
    /// `Content-Language` of the response, when sent.
    pub content_language: Option<String>,
}

/// The value of a localized generated call.
#[cfg(feature = "v1_21")]
pub(crate) fn localized<T: DeserializeOwned, E: Serialize>(
    r: Result<ResponseValue<T>, RawError<E>>,
) -> Result<Localized<T>, Error> {
    let rv = result(r, Outcome::NotApplicable)?;
    let content_language = crate::transport::content_language(rv.headers());
    Ok(Localized {
        value: rv.into_inner(),
        content_language,
    })
}

/// A page or page size as the generated type.
pub(crate) fn n32(field: &'static str, v: u32) -> Result<std::num::NonZeroU32, Error> {
    std::num::NonZeroU32::new(v).ok_or_else(|| Error::invalid(field, "must be at least 1"))
}
