//! What a purchase sends: top-ups, PINs, bill payments, gift cards, eSIMs.
//!
//! Every purchase carries a `correlationId`, the caller's unique id for it:
//! the only way to learn the outcome of a purchase whose answer was lost
//! (`GET /transaction/status/{correlationId}`). When the caller gives none,
//! the client generates one and returns it with the outcome.

use super::raw::types::{self, builder};
use super::raw::Client;
use super::validate;
use crate::convert::to_raw;
use crate::Error;
use futures::future::BoxFuture;
use progenitor_client::{Error as RawError, ResponseValue};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// A new `correlationId`: `vt-`, the time in milliseconds and 64 random bits,
/// in hexadecimal (at most 31 characters). Generate and store one before
/// buying if you must be able to recover a purchase after your own process
/// crashes; otherwise the client generates one per purchase.
///
/// ```
/// let id = dvs::valuetopup::new_correlation_id();
/// assert!(id.starts_with("vt-") && id.len() <= 50);
/// assert_ne!(id, dvs::valuetopup::new_correlation_id());
/// ```
pub fn new_correlation_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    // `RandomState` is seeded from the OS; the counter and the time make two
    // ids of one process differ even if its keys repeat.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u64(millis);
    h.write_u32(std::process::id());
    format!("vt-{millis:x}-{:016x}", h.finish())
}

/// A purchase to send: one of the generated request bodies (built with its
/// setters, which check what the spec declares), the `correlationId` it is
/// sent with and its `additionalInfos`. [`TopUp`], [`PinPurchase`],
/// [`BillPayment`], [`GiftCardOrder`] and [`EsimOrder`] each start from the
/// body's required fields; [`with`](Self::with) sets any other field.
///
/// Before anything is sent, every field is checked by the same rules
/// whatever the purchase (ids from 1, amounts above 0, mobile numbers with
/// their country code, ISO 4217 codes, the lengths the spec declares), and
/// a leading `+` of a mobile number is dropped. `Debug` hides a Boost
/// Mobile PIN.
///
/// ```
/// use dvs::valuetopup::TopUp;
/// let topup = TopUp::new(3101, dvs::Decimal::TEN, "18761234567")
///     .correlation_id("order-2024-0042")
///     .with(|b| {
///         b.sender_mobile("447700900123".to_string())
///             .transaction_currency_code("JMD".to_string())
///     });
/// assert_eq!(topup.get_correlation_id(), Some("order-2024-0042"));
/// ```
#[derive(Clone)]
#[must_use]
pub struct Order<B> {
    body: B,
    correlation_id: Option<String>,
    additional_infos: Vec<(String, String)>,
}

/// A real-time top-up of a mobile number (`POST /transaction/topup`):
/// [`TopUp::new`] and the other fields of
/// [`TopupRequest`](super::raw::types::builder::TopupRequest) through
/// [`with`](Order::with).
pub type TopUp = Order<builder::TopupRequest>;
/// A PIN purchase (`POST /transaction/pin`).
///
/// ```
/// use dvs::valuetopup::PinPurchase;
/// let order = PinPurchase::new(2207).with(|b| b.recipient("14155550123".to_string()));
/// assert_eq!(order.get_correlation_id(), None); // the client generates one
/// ```
pub type PinPurchase = Order<builder::PinRequest>;
/// A bill payment (`POST /transaction/billpay`), sent as a JSON body.
///
/// ```
/// use dvs::valuetopup::BillPayment;
/// let bill = BillPayment::new(5120, dvs::Decimal::new(355, 1), "0012345678")
///     .with(|b| {
///         b.sender_name("Ana Pérez".to_string())
///             .transaction_currency_code(Some("USD".parse().unwrap()))
///     });
/// ```
pub type BillPayment = Order<builder::BillPaymentRequest>;
/// A gift card order (`POST /transaction/giftcard/order`). Gift cards can
/// take a while: the vendor may answer `"852"` (in progress), after which
/// the client asks the status (see [`StatusPolling`](super::StatusPolling)).
///
/// ```
/// use dvs::valuetopup::GiftCardOrder;
/// let order = GiftCardOrder::new(90011, dvs::Decimal::from(25)).with(|b| {
///     b.first_name("Ana".to_string())
///         .last_name("Pérez".to_string())
///         .recipient("14155550123".to_string())
/// });
/// ```
pub type GiftCardOrder = Order<builder::GiftCardOrderRequest>;
/// An eSIM order (`POST /esim/order`).
///
/// ```
/// let order = dvs::valuetopup::EsimOrder::new(77001).correlation_id("esim-0007");
/// ```
pub type EsimOrder = Order<builder::EsimOrderRequest>;

impl<B: Default> Order<B> {
    /// A body set by `set` from an empty builder.
    fn of(set: impl FnOnce(B) -> B) -> Self {
        Self {
            body: set(B::default()),
            correlation_id: None,
            additional_infos: Vec::new(),
        }
    }
}

impl<B> Order<B> {
    /// Your unique id of the purchase (1 to 50 characters); generated when absent.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The correlation id given, if any.
    pub fn get_correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// One more `additionalInfos` entry (the catalog says which products
    /// need which; an eSIM order takes none).
    pub fn additional_info(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additional_infos.push((name.into(), value.into()));
        self
    }

    /// Sets other fields of the body with the generated builder's setters.
    pub fn with(mut self, set: impl FnOnce(B) -> B) -> Self {
        self.body = set(self.body);
        self
    }
}

impl TopUp {
    /// A top-up of `amount` (in the wallet currency unless
    /// `transaction_currency_code` says otherwise) with an RTR SKU, to
    /// `mobile` (digits with the country code; a leading `+` is dropped).
    pub fn new(sku_id: i32, amount: Decimal, mobile: impl Into<String>) -> Self {
        Self::of(|b| b.sku_id(sku_id).amount(amount).mobile(mobile.into()))
    }
}

impl PinPurchase {
    /// A PIN of a PIN SKU.
    pub fn new(sku_id: i32) -> Self {
        Self::of(|b| b.sku_id(sku_id))
    }
}

impl BillPayment {
    /// A payment of `amount` with a bill pay SKU, to `account_number` (the
    /// number on the bill, or the mobile number of a postpaid mobile bill).
    pub fn new(sku_id: i32, amount: Decimal, account_number: impl Into<String>) -> Self {
        Self::of(|b| {
            b.sku_id(sku_id)
                .amount(amount)
                .account_number(account_number.into())
        })
    }
}

impl GiftCardOrder {
    /// A gift card of `amount` with a gift card SKU.
    pub fn new(sku_id: i32, amount: Decimal) -> Self {
        Self::of(|b| b.sku_id(sku_id).amount(amount))
    }
}

impl EsimOrder {
    /// An eSIM of an eSIM SKU.
    pub fn new(sku_id: i32) -> Self {
        Self::of(|b| b.sku_id(sku_id))
    }
}

pub(crate) type TxResult =
    Result<ResponseValue<types::TransactionResponse>, RawError<types::TransactionResponse>>;

mod private {
    pub trait Sealed {}
}

/// A generated purchase body builder and the operation that sends it.
pub trait Body: Clone + private::Sealed {
    #[doc(hidden)]
    type Request: Serialize
        + DeserializeOwned
        + TryFrom<Self, Error = types::error::ConversionError>;
    /// Whether the body has `additionalInfos`.
    #[doc(hidden)]
    const ADDITIONAL_INFOS: bool;
    #[doc(hidden)]
    fn send(client: &Client, body: Self::Request) -> BoxFuture<'_, TxResult>;
}

macro_rules! bodies {
    ($($body:ident => $operation:ident, $infos:literal;)*) => {$(
        impl private::Sealed for builder::$body {}
        impl Body for builder::$body {
            type Request = types::$body;
            const ADDITIONAL_INFOS: bool = $infos;
            fn send(client: &Client, body: types::$body) -> BoxFuture<'_, TxResult> {
                Box::pin(client.$operation().body(body).send())
            }
        }
    )*};
}

bodies! {
    TopupRequest => post_topup, true;
    PinRequest => post_pin_purchase, true;
    BillPaymentRequest => post_bill_payment, true;
    GiftCardOrderRequest => post_gift_card_order, true;
    EsimOrderRequest => post_esim_order, false;
}

impl<B: Body> Order<B> {
    /// The body as JSON, as the generated type serializes it.
    fn json(&self) -> Result<Map<String, Value>, Error> {
        let request = B::Request::try_from(self.body.clone())
            .map_err(|e| Error::invalid("body", e.to_string()))?;
        match serde_json::to_value(request) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(Error::invalid("body", "not a JSON object")),
        }
    }

    /// The `correlationId` to send with (the one given, or a new one) and
    /// the checked body carrying it.
    pub(crate) fn prepare(&self) -> Result<(String, B::Request), Error> {
        let mut body = self.json()?;
        let given = self.correlation_id.clone().or_else(|| {
            body.get("correlationId")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let correlation_id = match given {
            Some(id) => {
                validate::correlation_id(&id)?;
                id
            }
            None => new_correlation_id(),
        };
        body.insert("correlationId".into(), correlation_id.clone().into());
        if !self.additional_infos.is_empty() {
            if !B::ADDITIONAL_INFOS {
                return Err(Error::invalid(
                    "additional_infos",
                    "this purchase takes none",
                ));
            }
            let list = self
                .additional_infos
                .iter()
                .map(|(n, v)| json!({"name": n, "value": v}))
                .collect();
            body.insert("additionalInfos".into(), Value::Array(list));
        }
        check(&mut body)?;
        Ok((correlation_id, to_raw("body", &body)?))
    }
}

impl<B: Body> std::fmt::Debug for Order<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let body = self.json().map(|mut body| {
            if let Some(pin) = body.get_mut("boostPin") {
                *pin = "[redacted]".into();
            }
            Value::Object(body)
        });
        f.debug_struct("Order")
            .field("body", &body)
            .field("correlation_id", &self.correlation_id)
            .field("additional_infos", &self.additional_infos)
            .finish()
    }
}

/// How one body field is checked.
enum Rule {
    Id,
    Amount,
    /// A mobile number with its country code (returned without `+`).
    Msisdn,
    /// A top-up's subscriber number (returned without `+`).
    Subscriber,
    Currency,
    BoostPin,
    /// A whole number from 1.
    Count,
    /// Present text of at most this many characters.
    Text(usize),
    CorrelationId,
    AdditionalInfos,
}

/// The rule of every field a purchase or a cost estimate can carry, by its
/// JSON name, with the name errors give it.
const RULES: [(&str, &str, Rule); 16] = [
    ("skuId", "sku_id", Rule::Id),
    ("amount", "amount", Rule::Amount),
    ("mobile", "mobile", Rule::Subscriber),
    ("senderMobile", "sender_mobile", Rule::Msisdn),
    ("recipient", "recipient", Rule::Msisdn),
    ("mobileNumber", "mobile_number", Rule::Msisdn),
    (
        "transactionCurrencyCode",
        "transaction_currency_code",
        Rule::Currency,
    ),
    ("boostPin", "boost_pin", Rule::BoostPin),
    ("numberOfPlanMonths", "number_of_plan_months", Rule::Count),
    ("accountNumber", "account_number", Rule::Text(100)),
    ("checkDigits", "check_digits", Rule::Text(20)),
    ("senderName", "sender_name", Rule::Text(100)),
    ("firstName", "first_name", Rule::Text(100)),
    ("lastName", "last_name", Rule::Text(100)),
    ("correlationId", "correlation_id", Rule::CorrelationId),
    ("additionalInfos", "additional_infos", Rule::AdditionalInfos),
];

/// Checks every field of a body by its rule, dropping the `+` of mobile
/// numbers.
pub(crate) fn check(body: &mut Map<String, Value>) -> Result<(), Error> {
    for &(key, field, ref rule) in &RULES {
        let Some(value) = body.get_mut(key) else {
            continue;
        };
        let text = value.as_str().unwrap_or_default();
        match rule {
            Rule::Id => {
                let id = value
                    .as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or(0);
                validate::id(field, id)?;
            }
            Rule::Amount => {
                let amount: Decimal = serde_json::from_value(value.clone())
                    .map_err(|e| Error::invalid("amount", e.to_string()))?;
                validate::amount(amount)?;
            }
            Rule::Msisdn => *value = validate::msisdn(field, text)?.into(),
            Rule::Subscriber => *value = validate::subscriber_number(field, text)?.into(),
            Rule::Currency => crate::validate::currency(field, text)?,
            Rule::BoostPin => validate::boost_pin(text)?,
            Rule::Count => {
                if value.as_i64().unwrap_or(0) < 1 {
                    return Err(Error::invalid(field, "must be at least 1"));
                }
            }
            Rule::Text(max) => validate::text(field, text, *max)?,
            Rule::CorrelationId => validate::correlation_id(text)?,
            Rule::AdditionalInfos => {
                for info in value.as_array().into_iter().flatten() {
                    let name = info.get("name").and_then(Value::as_str).unwrap_or_default();
                    validate::text("additional_infos.name", name, 100)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let ids: std::collections::HashSet<_> = (0..1000).map(|_| new_correlation_id()).collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            validate::correlation_id(id).unwrap();
        }
    }

    fn sent<B: Body>(order: &Order<B>) -> Result<Value, Error> {
        let (cid, body) = order.prepare()?;
        let body = serde_json::to_value(body).unwrap();
        assert_eq!(body["correlationId"], json!(cid));
        Ok(body)
    }

    #[test]
    fn bodies() {
        let o = sent(
            &TopUp::new(1, Decimal::from(5), "+18761234567")
                .correlation_id("c-1")
                .with(|b| b.boost_pin(Some("1234".parse().unwrap())))
                .additional_info("email", "a@b.c"),
        )
        .unwrap();
        assert_eq!(
            o,
            json!({"skuId": 1, "amount": 5, "mobile": "18761234567", "correlationId": "c-1",
                   "boostPin": "1234", "additionalInfos": [{"name": "email", "value": "a@b.c"}]})
        );
        let shown = format!(
            "{:?}",
            TopUp::new(1, Decimal::from(5), "1876")
                .with(|b| b.boost_pin(Some("9876".parse().unwrap())))
        );
        assert!(!shown.contains("9876") && shown.contains("1876"), "{shown}");
        assert!(sent(&EsimOrder::new(3)).unwrap()["correlationId"]
            .as_str()
            .unwrap()
            .starts_with("vt-"));
        let bill = BillPayment::new(1, Decimal::from(5), "1")
            .with(|b| b.sender_mobile("+447700900123".to_string()));
        assert_eq!(sent(&bill).unwrap()["senderMobile"], json!("447700900123"));
        for bad in [
            sent(&TopUp::new(0, Decimal::from(5), "18761234567")),
            sent(&TopUp::new(1, Decimal::from(-5), "18761234567")),
            sent(&TopUp::new(1, Decimal::from(5), "")),
            sent(&TopUp::new(1, Decimal::from(5), "18761234567").correlation_id("")),
            sent(&TopUp::new(1, Decimal::from(5), "18761234567").correlation_id("x".repeat(51))),
            sent(
                &TopUp::new(1, Decimal::from(5), "18761234567")
                    .with(|b| b.boost_pin(Some("12".parse().unwrap()))),
            ),
            sent(
                &TopUp::new(1, Decimal::from(5), "18761234567")
                    .with(|b| b.boost_pin(Some("12a4".parse().unwrap()))),
            ),
            sent(
                &TopUp::new(1, Decimal::from(5), "18761234567")
                    .with(|b| b.number_of_plan_months(0)),
            ),
            sent(&BillPayment::new(1, Decimal::from(5), " ")),
            sent(
                &BillPayment::new(1, Decimal::from(5), "1")
                    .with(|b| b.transaction_currency_code(Some("usd".parse().unwrap()))),
            ),
            sent(
                &BillPayment::new(1, Decimal::from(5), "1")
                    .with(|b| b.check_digits("1".repeat(21))),
            ),
            sent(&GiftCardOrder::new(1, Decimal::ZERO)),
            sent(&GiftCardOrder::new(1, Decimal::ONE).additional_info(" ", "x")),
            sent(&PinPurchase::new(1).with(|b| b.recipient("12".to_string()))),
            sent(&EsimOrder::new(1).additional_info("a", "b")),
        ] {
            assert!(matches!(bad, Err(Error::InvalidInput { .. })), "{bad:?}");
        }
    }
}
