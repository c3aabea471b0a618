//! One item of a list: decoded, or kept as sent when it does not decode.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

/// One item of a list page.
///
/// DVS may send an item this crate cannot decode (a field missing, a value
/// of another type). One such item does not fail its page: the other items
/// decode, and this one comes back as [`Item::Malformed`] with its raw JSON
/// and the reason, so that nothing is dropped without a trace. Every list
/// of the facade (products, promotions, services, countries, operators,
/// benefit types, balances, transactions...) yields `Item`s.
///
/// ```
/// use dvs::Item;
/// // A page of numbers where DVS sent one string.
/// let page: Vec<Item<u32>> = serde_json::from_str(r#"[1, "two", 3]"#).unwrap();
/// for item in &page {
///     match item {
///         Item::Ok(n) => println!("item {n}"),
///         // Log it (its raw JSON is in `m.raw()`), and tell DT One.
///         Item::Malformed(m) => println!("skipped: {m}"),
///         _ => {}
///     }
/// }
/// assert_eq!(page[1].malformed().unwrap().raw(), "two");
/// assert_eq!(page[2].as_ok(), Some(&3));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Item<T> {
    /// The item, decoded.
    Ok(T),
    /// An item that did not decode: its raw JSON and why.
    Malformed(Malformed),
}

impl<T> Item<T> {
    /// The decoded item, if it decoded.
    pub fn ok(self) -> Option<T> {
        match self {
            Self::Ok(t) => Some(t),
            Self::Malformed(_) => None,
        }
    }

    /// A reference to the decoded item, if it decoded.
    pub fn as_ok(&self) -> Option<&T> {
        match self {
            Self::Ok(t) => Some(t),
            Self::Malformed(_) => None,
        }
    }

    /// What is known of the item, if it did not decode.
    pub fn malformed(&self) -> Option<&Malformed> {
        match self {
            Self::Ok(_) => None,
            Self::Malformed(m) => Some(m),
        }
    }

    /// The item as a `Result`.
    pub fn into_result(self) -> Result<T, Malformed> {
        match self {
            Self::Ok(t) => Ok(t),
            Self::Malformed(m) => Err(m),
        }
    }

    /// The item, or [`Error::Decode`](crate::Error::Decode) naming the
    /// failing field when it did not decode.
    pub fn into_decoded(self) -> Result<T, crate::Error> {
        self.into_result().map_err(Malformed::into_error)
    }
}

/// A list item that did not decode.
///
/// `Debug` shows where and why, never the raw JSON (an item can carry a
/// secret such as a PIN); read it with [`raw`](Self::raw).
#[derive(Clone, PartialEq)]
pub struct Malformed {
    raw: serde_json::Value,
    path: String,
    message: String,
}

impl Malformed {
    /// The item as DVS sent it.
    pub fn raw(&self) -> &serde_json::Value {
        &self.raw
    }

    /// The item as DVS sent it, by value.
    pub fn into_raw(self) -> serde_json::Value {
        self.raw
    }

    /// JSON path of the failing value inside the item (`.` for the item).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong (the expected type; never the value received).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same as [`Error::Decode`](crate::Error::Decode).
    pub fn into_error(self) -> crate::Error {
        crate::Error::Decode {
            path: self.path,
            message: self.message,
        }
    }
}

impl std::fmt::Debug for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Malformed")
            .field("path", &self.path)
            .field("message", &self.message)
            .field("raw", &"[not shown]")
            .finish()
    }
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "list item not decoded at `{}`: {}",
            self.path, self.message
        )
    }
}

impl std::error::Error for Malformed {}

/// Decodes the item; when that fails, keeps the raw JSON and the reason
/// instead of failing the list.
impl<'de, T: DeserializeOwned> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(deserializer)?;
        let mut de = serde_json::Deserializer::from_str(raw.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(item) => Ok(Self::Ok(item)),
            Err(e) => {
                let (path, message) =
                    crate::convert::join_union_path(e.path().to_string(), e.inner().to_string());
                let raw = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
                Ok(Self::Malformed(Malformed {
                    raw,
                    path,
                    message: crate::error::redact_values(&message),
                }))
            }
        }
    }
}
