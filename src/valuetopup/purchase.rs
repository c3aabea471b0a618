//! What a purchase sends: top-ups, PINs, bill payments, gift cards, eSIMs.
//!
//! Every purchase carries a `correlationId`, the caller's unique id for it:
//! the only way to learn the outcome of a purchase whose answer was lost
//! (`GET /transaction/status/{correlationId}`). When the caller gives none,
//! the client generates one and returns it with the outcome.

use super::validate;
use crate::Error;
use rust_decimal::Decimal;
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

/// Extra name/value inputs some products need (`additionalInfos`; the
/// catalog says which).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct AdditionalInfos(Vec<(String, String)>);

impl AdditionalInfos {
    fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    fn check(&self) -> Result<(), Error> {
        for (name, _) in &self.0 {
            validate::text("additional_infos.name", name, 100)?;
        }
        Ok(())
    }

    fn put(&self, body: &mut Map<String, Value>) {
        if !self.0.is_empty() {
            let list = self
                .0
                .iter()
                .map(|(n, v)| json!({"name": n, "value": v}))
                .collect();
            body.insert("additionalInfos".into(), Value::Array(list));
        }
    }
}

fn put_opt(body: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        body.insert(key.into(), Value::String(v.clone()));
    }
}

fn opt_msisdn(field: &'static str, value: &Option<String>) -> Result<Option<String>, Error> {
    value
        .as_deref()
        .map(|v| validate::msisdn(field, v))
        .transpose()
}

/// A real-time top-up of a mobile number (`POST /transaction/topup`).
///
/// ```
/// use dvs::valuetopup::TopUp;
/// let topup = TopUp::new(3101, dvs::Decimal::TEN, "18761234567")
///     .correlation_id("order-2024-0042")
///     .sender_mobile("447700900123")
///     .transaction_currency_code("JMD");
/// assert_eq!(topup.get_correlation_id(), Some("order-2024-0042"));
/// ```
#[derive(Clone, PartialEq)]
#[must_use]
pub struct TopUp {
    sku_id: i32,
    amount: Decimal,
    mobile: String,
    correlation_id: Option<String>,
    sender_mobile: Option<String>,
    boost_pin: Option<String>,
    number_of_plan_months: Option<u32>,
    transaction_currency_code: Option<String>,
    additional_infos: AdditionalInfos,
}

impl std::fmt::Debug for TopUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TopUp")
            .field("sku_id", &self.sku_id)
            .field("amount", &self.amount)
            .field("mobile", &self.mobile)
            .field("correlation_id", &self.correlation_id)
            .field("sender_mobile", &self.sender_mobile)
            .field("boost_pin", &self.boost_pin.as_ref().map(|_| "[redacted]"))
            .field("number_of_plan_months", &self.number_of_plan_months)
            .field("transaction_currency_code", &self.transaction_currency_code)
            .field("additional_infos", &self.additional_infos.0)
            .finish()
    }
}

impl TopUp {
    /// A top-up of `amount` (in the wallet currency unless
    /// [`transaction_currency_code`](Self::transaction_currency_code) says
    /// otherwise) with an RTR SKU, to `mobile` (digits with the country code;
    /// a leading `+` is dropped).
    pub fn new(sku_id: i32, amount: Decimal, mobile: impl Into<String>) -> Self {
        Self {
            sku_id,
            amount,
            mobile: mobile.into(),
            correlation_id: None,
            sender_mobile: None,
            boost_pin: None,
            number_of_plan_months: None,
            transaction_currency_code: None,
            additional_infos: AdditionalInfos::default(),
        }
    }

    /// Your unique id of the purchase (1 to 50 characters); generated when absent.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The correlation id given, if any.
    pub fn get_correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The sender's mobile number.
    pub fn sender_mobile(mut self, mobile: impl Into<String>) -> Self {
        self.sender_mobile = Some(mobile.into());
        self
    }

    /// The 4 to 6 digit account PIN of a Boost Mobile number (only for Boost
    /// Mobile). Hidden from `Debug`.
    pub fn boost_pin(mut self, pin: impl Into<String>) -> Self {
        self.boost_pin = Some(pin.into());
        self
    }

    /// Months of a plan bundle (Lyca bundles), at least 1.
    pub fn number_of_plan_months(mut self, months: u32) -> Self {
        self.number_of_plan_months = Some(months);
        self
    }

    /// The ISO 4217 currency `amount` is in (a destination currency of the
    /// SKU's `faceValueCurrency`); the wallet currency when absent.
    pub fn transaction_currency_code(mut self, code: impl Into<String>) -> Self {
        self.transaction_currency_code = Some(code.into());
        self
    }

    /// One more `additionalInfos` entry.
    pub fn additional_info(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additional_infos.push(name, value);
        self
    }

    fn body(&self, correlation_id: &str) -> Result<Value, Error> {
        validate::id("sku_id", self.sku_id)?;
        validate::amount(self.amount)?;
        let mobile = validate::subscriber_number("mobile", &self.mobile)?;
        let sender = opt_msisdn("sender_mobile", &self.sender_mobile)?;
        if let Some(pin) = &self.boost_pin {
            validate::boost_pin(pin)?;
        }
        if self.number_of_plan_months == Some(0) {
            return Err(Error::invalid(
                "number_of_plan_months",
                "must be at least 1",
            ));
        }
        let months = self
            .number_of_plan_months
            .map(|m| {
                i32::try_from(m).map_err(|_| Error::invalid("number_of_plan_months", "too large"))
            })
            .transpose()?;
        if let Some(c) = &self.transaction_currency_code {
            validate::currency(c)?;
        }
        self.additional_infos.check()?;
        let mut body = Map::new();
        body.insert("skuId".into(), self.sku_id.into());
        body.insert("amount".into(), json!(self.amount));
        body.insert("mobile".into(), mobile.into());
        body.insert("correlationId".into(), correlation_id.into());
        put_opt(&mut body, "senderMobile", &sender);
        put_opt(&mut body, "boostPin", &self.boost_pin);
        if let Some(m) = months {
            body.insert("numberOfPlanMonths".into(), m.into());
        }
        put_opt(
            &mut body,
            "transactionCurrencyCode",
            &self.transaction_currency_code,
        );
        self.additional_infos.put(&mut body);
        Ok(Value::Object(body))
    }
}

/// A PIN purchase (`POST /transaction/pin`).
///
/// ```
/// use dvs::valuetopup::PinPurchase;
/// let order = PinPurchase::new(2207).recipient("14155550123");
/// assert_eq!(order.get_correlation_id(), None); // the client generates one
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct PinPurchase {
    sku_id: i32,
    correlation_id: Option<String>,
    recipient: Option<String>,
    additional_infos: AdditionalInfos,
}

impl PinPurchase {
    /// A PIN of a PIN SKU.
    pub fn new(sku_id: i32) -> Self {
        Self {
            sku_id,
            correlation_id: None,
            recipient: None,
            additional_infos: AdditionalInfos::default(),
        }
    }

    /// Your unique id of the purchase (1 to 50 characters); generated when absent.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The correlation id given, if any.
    pub fn get_correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// A mobile number (with country code, of the PIN's country) the vendor
    /// sends the PIN to by SMS.
    pub fn recipient(mut self, mobile: impl Into<String>) -> Self {
        self.recipient = Some(mobile.into());
        self
    }

    /// One more `additionalInfos` entry.
    pub fn additional_info(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additional_infos.push(name, value);
        self
    }

    fn body(&self, correlation_id: &str) -> Result<Value, Error> {
        validate::id("sku_id", self.sku_id)?;
        let recipient = opt_msisdn("recipient", &self.recipient)?;
        self.additional_infos.check()?;
        let mut body = Map::new();
        body.insert("skuId".into(), self.sku_id.into());
        body.insert("correlationId".into(), correlation_id.into());
        put_opt(&mut body, "recipient", &recipient);
        self.additional_infos.put(&mut body);
        Ok(Value::Object(body))
    }
}

/// A bill payment (`POST /transaction/billpay`), sent as a JSON body.
///
/// ```
/// use dvs::valuetopup::BillPayment;
/// let bill = BillPayment::new(5120, dvs::Decimal::new(355, 1), "0012345678")
///     .sender_name("Ana Pérez")
///     .transaction_currency_code("USD");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct BillPayment {
    sku_id: i32,
    amount: Decimal,
    account_number: String,
    correlation_id: Option<String>,
    mobile_number: Option<String>,
    check_digits: Option<String>,
    sender_mobile: Option<String>,
    sender_name: Option<String>,
    transaction_currency_code: Option<String>,
    additional_infos: AdditionalInfos,
}

impl BillPayment {
    /// A payment of `amount` with a bill pay SKU, to `account_number` (the
    /// number on the bill, or the mobile number of a postpaid mobile bill).
    pub fn new(sku_id: i32, amount: Decimal, account_number: impl Into<String>) -> Self {
        Self {
            sku_id,
            amount,
            account_number: account_number.into(),
            correlation_id: None,
            mobile_number: None,
            check_digits: None,
            sender_mobile: None,
            sender_name: None,
            transaction_currency_code: None,
            additional_infos: AdditionalInfos::default(),
        }
    }

    /// Your unique id of the purchase (1 to 50 characters); generated when absent.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The correlation id given, if any.
    pub fn get_correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The account holder's mobile number.
    pub fn mobile_number(mut self, mobile: impl Into<String>) -> Self {
        self.mobile_number = Some(mobile.into());
        self
    }

    /// The account's check digits.
    pub fn check_digits(mut self, digits: impl Into<String>) -> Self {
        self.check_digits = Some(digits.into());
        self
    }

    /// The sender's mobile number.
    pub fn sender_mobile(mut self, mobile: impl Into<String>) -> Self {
        self.sender_mobile = Some(mobile.into());
        self
    }

    /// The sender's name.
    pub fn sender_name(mut self, name: impl Into<String>) -> Self {
        self.sender_name = Some(name.into());
        self
    }

    /// The ISO 4217 currency `amount` is in (at most 3 characters, per the
    /// spec); the wallet currency when absent.
    pub fn transaction_currency_code(mut self, code: impl Into<String>) -> Self {
        self.transaction_currency_code = Some(code.into());
        self
    }

    /// One more `additionalInfos` entry.
    pub fn additional_info(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additional_infos.push(name, value);
        self
    }

    fn body(&self, correlation_id: &str) -> Result<Value, Error> {
        validate::id("sku_id", self.sku_id)?;
        validate::amount(self.amount)?;
        validate::text("account_number", &self.account_number, 100)?;
        let mobile = opt_msisdn("mobile_number", &self.mobile_number)?;
        let sender = opt_msisdn("sender_mobile", &self.sender_mobile)?;
        if let Some(d) = &self.check_digits {
            validate::text("check_digits", d, 20)?;
        }
        if let Some(n) = &self.sender_name {
            validate::text("sender_name", n, 100)?;
        }
        if let Some(c) = &self.transaction_currency_code {
            validate::currency(c)?;
        }
        self.additional_infos.check()?;
        let mut body = Map::new();
        body.insert("skuId".into(), self.sku_id.into());
        body.insert("amount".into(), json!(self.amount));
        body.insert("accountNumber".into(), self.account_number.clone().into());
        body.insert("correlationId".into(), correlation_id.into());
        put_opt(&mut body, "mobileNumber", &mobile);
        put_opt(&mut body, "checkDigits", &self.check_digits);
        put_opt(&mut body, "senderMobile", &sender);
        put_opt(&mut body, "senderName", &self.sender_name);
        put_opt(
            &mut body,
            "transactionCurrencyCode",
            &self.transaction_currency_code,
        );
        self.additional_infos.put(&mut body);
        Ok(Value::Object(body))
    }
}

/// A gift card order (`POST /transaction/giftcard/order`). Gift cards can
/// take a while: the vendor may answer `"852"` (in progress), after which
/// the client asks the status (see [`StatusPolling`](super::StatusPolling)).
///
/// ```
/// use dvs::valuetopup::GiftCardOrder;
/// let order = GiftCardOrder::new(90011, dvs::Decimal::from(25))
///     .first_name("Ana")
///     .last_name("Pérez")
///     .recipient("14155550123");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct GiftCardOrder {
    sku_id: i32,
    amount: Decimal,
    correlation_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    recipient: Option<String>,
    transaction_currency_code: Option<String>,
    additional_infos: AdditionalInfos,
}

impl GiftCardOrder {
    /// A gift card of `amount` with a gift card SKU.
    pub fn new(sku_id: i32, amount: Decimal) -> Self {
        Self {
            sku_id,
            amount,
            correlation_id: None,
            first_name: None,
            last_name: None,
            recipient: None,
            transaction_currency_code: None,
            additional_infos: AdditionalInfos::default(),
        }
    }

    /// Your unique id of the purchase (1 to 50 characters); generated when absent.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The correlation id given, if any.
    pub fn get_correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// The recipient's first name.
    pub fn first_name(mut self, name: impl Into<String>) -> Self {
        self.first_name = Some(name.into());
        self
    }

    /// The recipient's last name.
    pub fn last_name(mut self, name: impl Into<String>) -> Self {
        self.last_name = Some(name.into());
        self
    }

    /// The recipient's mobile number.
    pub fn recipient(mut self, mobile: impl Into<String>) -> Self {
        self.recipient = Some(mobile.into());
        self
    }

    /// The ISO 4217 currency `amount` is in; the wallet currency when absent.
    pub fn transaction_currency_code(mut self, code: impl Into<String>) -> Self {
        self.transaction_currency_code = Some(code.into());
        self
    }

    /// One more `additionalInfos` entry.
    pub fn additional_info(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.additional_infos.push(name, value);
        self
    }

    fn body(&self, correlation_id: &str) -> Result<Value, Error> {
        validate::id("sku_id", self.sku_id)?;
        validate::amount(self.amount)?;
        let recipient = opt_msisdn("recipient", &self.recipient)?;
        if let Some(n) = &self.first_name {
            validate::text("first_name", n, 100)?;
        }
        if let Some(n) = &self.last_name {
            validate::text("last_name", n, 100)?;
        }
        if let Some(c) = &self.transaction_currency_code {
            validate::currency(c)?;
        }
        self.additional_infos.check()?;
        let mut body = Map::new();
        body.insert("skuId".into(), self.sku_id.into());
        body.insert("amount".into(), json!(self.amount));
        body.insert("correlationId".into(), correlation_id.into());
        put_opt(&mut body, "firstName", &self.first_name);
        put_opt(&mut body, "lastName", &self.last_name);
        put_opt(&mut body, "recipient", &recipient);
        put_opt(
            &mut body,
            "transactionCurrencyCode",
            &self.transaction_currency_code,
        );
        self.additional_infos.put(&mut body);
        Ok(Value::Object(body))
    }
}

/// An eSIM order (`POST /esim/order`).
///
/// ```
/// let order = dvs::valuetopup::EsimOrder::new(77001).correlation_id("esim-0007");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct EsimOrder {
    sku_id: i32,
    correlation_id: Option<String>,
}

impl EsimOrder {
    /// An eSIM of an eSIM SKU.
    pub fn new(sku_id: i32) -> Self {
        Self {
            sku_id,
            correlation_id: None,
        }
    }

    /// Your unique id of the purchase (1 to 50 characters); generated when absent.
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlation_id = Some(id.into());
        self
    }

    /// The correlation id given, if any.
    pub fn get_correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    fn body(&self, correlation_id: &str) -> Result<Value, Error> {
        validate::id("sku_id", self.sku_id)?;
        Ok(json!({"skuId": self.sku_id, "correlationId": correlation_id}))
    }
}

/// Which purchase operation, and its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    TopUp,
    Pin,
    BillPayment,
    GiftCard,
    Esim,
}

/// A purchase ready to send: its kind, `correlationId` and JSON body.
pub(crate) struct Order {
    pub(crate) kind: Kind,
    pub(crate) correlation_id: String,
    pub(crate) body: Value,
}

impl Order {
    fn new(
        kind: Kind,
        given: Option<&str>,
        body: impl FnOnce(&str) -> Result<Value, Error>,
    ) -> Result<Self, Error> {
        let correlation_id = match given {
            Some(id) => {
                validate::correlation_id(id)?;
                id.to_string()
            }
            None => new_correlation_id(),
        };
        let body = body(&correlation_id)?;
        Ok(Self {
            kind,
            correlation_id,
            body,
        })
    }

    pub(crate) fn top_up(t: &TopUp) -> Result<Self, Error> {
        Self::new(Kind::TopUp, t.get_correlation_id(), |c| t.body(c))
    }

    pub(crate) fn pin(p: &PinPurchase) -> Result<Self, Error> {
        Self::new(Kind::Pin, p.get_correlation_id(), |c| p.body(c))
    }

    pub(crate) fn bill(b: &BillPayment) -> Result<Self, Error> {
        Self::new(Kind::BillPayment, b.get_correlation_id(), |c| b.body(c))
    }

    pub(crate) fn gift_card(g: &GiftCardOrder) -> Result<Self, Error> {
        Self::new(Kind::GiftCard, g.get_correlation_id(), |c| g.body(c))
    }

    pub(crate) fn esim(e: &EsimOrder) -> Result<Self, Error> {
        Self::new(Kind::Esim, e.get_correlation_id(), |c| e.body(c))
    }
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

    #[test]
    fn bodies() {
        let o = Order::top_up(
            &TopUp::new(1, Decimal::from(5), "+18761234567")
                .correlation_id("c-1")
                .boost_pin("1234")
                .additional_info("email", "a@b.c"),
        )
        .unwrap();
        assert_eq!(
            o.body,
            json!({"skuId": 1, "amount": 5, "mobile": "18761234567", "correlationId": "c-1",
                   "boostPin": "1234", "additionalInfos": [{"name": "email", "value": "a@b.c"}]})
        );
        let shown = format!(
            "{:?}",
            TopUp::new(1, Decimal::from(5), "1876").boost_pin("9876")
        );
        assert!(!shown.contains("9876"), "{shown}");
        let generated = Order::esim(&EsimOrder::new(3)).unwrap();
        assert_eq!(
            generated.body["correlationId"],
            json!(generated.correlation_id)
        );
        for bad in [
            Order::top_up(&TopUp::new(0, Decimal::from(5), "18761234567")),
            Order::top_up(&TopUp::new(1, Decimal::from(-5), "18761234567")),
            Order::top_up(&TopUp::new(1, Decimal::from(5), "")),
            Order::top_up(&TopUp::new(1, Decimal::from(5), "18761234567").correlation_id("")),
            Order::top_up(
                &TopUp::new(1, Decimal::from(5), "18761234567").correlation_id("x".repeat(51)),
            ),
            Order::top_up(&TopUp::new(1, Decimal::from(5), "18761234567").boost_pin("1234567")),
            Order::top_up(&TopUp::new(1, Decimal::from(5), "18761234567").number_of_plan_months(0)),
            Order::bill(&BillPayment::new(1, Decimal::from(5), " ")),
            Order::bill(
                &BillPayment::new(1, Decimal::from(5), "1").transaction_currency_code("USDT"),
            ),
            Order::gift_card(&GiftCardOrder::new(1, Decimal::ZERO)),
            Order::pin(&PinPurchase::new(1).recipient("12")),
        ] {
            assert!(matches!(bad, Err(Error::InvalidInput { .. })));
        }
    }
}
