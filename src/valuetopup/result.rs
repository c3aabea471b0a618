//! What a purchase delivered: the transaction payload as a typed view.

use super::raw::types;
use rust_decimal::Decimal;

/// A secret value (a gift card's number or PIN, an eSIM activation code, a
/// bill payment token): whoever reads it can redeem it. `Debug` never shows
/// it; read it with [`Secret::expose`] only where it is handed to the
/// beneficiary.
///
/// ```
/// let s = dvs::valuetopup::Secret::new("LQ2Z-9XKD");
/// assert_eq!(s.expose(), "LQ2Z-9XKD");
/// assert_eq!(format!("{s:?}"), "[redacted]");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The outcome of a purchase: done (successfully), or still in progress.
///
/// A purchase that failed is an [`Error::ValueTopup`](crate::Error::ValueTopup)
/// (its `responseCode` and message); one whose outcome could not be learnt
/// before the polling deadline is an error for which
/// [`Error::outcome_unknown`](crate::Error::outcome_unknown) is true.
/// `Pending` is neither a success nor a failure: the vendor said `"852"`
/// (in progress) and had not said more by the deadline. Ask again later with
/// [`Client::transaction_status`](super::Client::transaction_status) or
/// [`Client::await_purchase`](super::Client::await_purchase); never buy
/// again with a new `correlationId` while a purchase is pending.
///
/// ```
/// # fn show(outcome: dvs::valuetopup::PurchaseOutcome) {
/// use dvs::valuetopup::{Delivery, PurchaseOutcome};
/// match outcome {
///     PurchaseOutcome::Completed(purchase) => match purchase.delivery() {
///         Some(Delivery::Pins(pins)) => println!("{} PIN(s)", pins.len()),
///         Some(other) => println!("delivered: {other:?}"),
///         None => println!("transaction {:?}", purchase.transaction_id),
///     },
///     PurchaseOutcome::Pending { correlation_id, .. } => {
///         println!("{correlation_id} is still in progress; check it later")
///     }
///     _ => {} // the enum is `#[non_exhaustive]`
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
// One value per purchase: not worth a box in every match.
#[allow(clippy::large_enum_variant)]
pub enum PurchaseOutcome {
    /// `"000"`: the purchase succeeded.
    Completed(Purchase),
    /// `"852"`: still in progress when the polling deadline passed.
    Pending {
        /// The purchase's `correlationId` (the caller's, or the one the
        /// client generated), to ask its status later.
        correlation_id: String,
        /// The vendor's `responseMessage`, when sent.
        message: Option<String>,
    },
}

impl PurchaseOutcome {
    /// The purchase's `correlationId`.
    pub fn correlation_id(&self) -> &str {
        match self {
            Self::Completed(p) => &p.correlation_id,
            Self::Pending { correlation_id, .. } => correlation_id,
        }
    }

    /// The purchase, when completed.
    pub fn completed(&self) -> Option<&Purchase> {
        match self {
            Self::Completed(p) => Some(p),
            Self::Pending { .. } => None,
        }
    }

    /// True while in progress.
    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending { .. })
    }
}

/// A successful purchase (the `payLoad` of a `"000"` answer of a purchase or
/// of the status call). `Debug` redacts PINs, card numbers, activation codes
/// and tokens.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Purchase {
    /// The `correlationId` the purchase was sent (or looked up) with.
    pub correlation_id: String,
    /// The vendor's transaction id (the key of the gift card fetch).
    pub transaction_id: Option<i64>,
    /// When the transaction was made, as the vendor formats it.
    pub transaction_date: Option<String>,
    /// Amount charged to the wallet.
    pub invoice_amount: Option<Decimal>,
    /// Face value bought.
    pub face_value: Option<Decimal>,
    /// Discount.
    pub discount: Option<Decimal>,
    /// Fee.
    pub fee: Option<Decimal>,
    /// The SKU bought, as the generated type reads it.
    pub product: Option<types::TransactionProduct>,
    /// The vendor's `responseMessage`, when sent.
    pub message: Option<String>,
    /// What was delivered, most specific first (see [`Purchase::delivery`]).
    pub deliveries: Vec<Delivery>,
}

impl Purchase {
    pub(crate) fn from_raw(
        correlation_id: String,
        message: Option<String>,
        tx: types::Transaction,
    ) -> Self {
        Self {
            correlation_id,
            transaction_id: tx.transaction_id,
            transaction_date: tx.transaction_date,
            invoice_amount: tx.invoice_amount,
            face_value: tx.face_value,
            discount: tx.discount,
            fee: tx.fee,
            product: tx.product,
            message,
            deliveries: Delivery::all_of(
                tx.esim_detail,
                tx.gift_card_detail,
                tx.pins,
                tx.bill_payment_detail,
                tx.sim_info,
                tx.topup_detail,
            ),
        }
    }

    /// The main thing delivered: the most specific detail block the payload
    /// carries (eSIM, gift card, PINs, bill payment, SIM, then top-up), or
    /// `None` when it carries none. The vendor's answers may carry empty
    /// blocks for other categories; blocks whose fields are all empty are
    /// ignored.
    pub fn delivery(&self) -> Option<&Delivery> {
        self.deliveries.first()
    }

    /// The PINs delivered (empty unless a PIN product).
    pub fn pins(&self) -> &[DeliveredPin] {
        self.deliveries
            .iter()
            .find_map(|d| match d {
                Delivery::Pins(p) => Some(p.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// One kind of value a purchase delivered, from the transaction payload's
/// detail blocks.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Delivery {
    /// An eSIM to install (`esimDetail`).
    Esim(EsimDetails),
    /// A gift card (`giftCardDetail`).
    GiftCard(GiftCard),
    /// PINs (`pins`).
    Pins(Vec<DeliveredPin>),
    /// A bill payment (`billPaymentDetail`).
    BillPayment(BillPaymentDetails),
    /// A SIM (`simInfo`).
    Sim(SimDetails),
    /// A real-time top-up (`topupDetail`).
    TopUp(TopUpDetails),
}

fn text(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn secret(s: Option<String>) -> Option<Secret> {
    text(s).map(Secret)
}

fn number(n: Option<Decimal>) -> Option<Decimal> {
    n.filter(|n| !n.is_zero())
}

impl Delivery {
    fn all_of(
        esim: Option<types::EsimDetail>,
        gift_card: Option<types::GiftCardDetail>,
        pins: Vec<types::Pin>,
        bill: Option<types::BillPaymentDetail>,
        sim: Option<types::SimInfo>,
        topup: Option<types::TopupDetail>,
    ) -> Vec<Self> {
        let pins: Vec<_> = pins
            .into_iter()
            .map(DeliveredPin::from_raw)
            .filter(|p| !p.is_empty())
            .collect();
        [
            EsimDetails::read(esim).map(Self::Esim),
            GiftCard::read(gift_card).map(Self::GiftCard),
            (!pins.is_empty()).then_some(Self::Pins(pins)),
            BillPaymentDetails::read(bill).map(Self::BillPayment),
            SimDetails::read(sim).map(Self::Sim),
            TopUpDetails::read(topup).map(Self::TopUp),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A detail block of the transaction payload, read from its generated type:
/// every field through `text` (blank is absent), `secret` (likewise, and
/// redacted) or `number` (zero is absent). The block is a delivery when one
/// of its `shown by` fields is present: vendors send empty blocks of other
/// categories.
macro_rules! detail_block {
    (
        $(#[$meta:meta])*
        $name:ident from $raw:ident, shown by [$($key:ident),+] {
            $($(#[$field_meta:meta])* $field:ident: $ty:ty = $read:ident,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$field_meta])* pub $field: Option<$ty>,)+
        }

        impl $name {
            pub(crate) fn from_raw(raw: types::$raw) -> Self {
                Self { $($field: $read(raw.$field),)+ }
            }

            /// The block, unless it is missing or empty.
            fn read(raw: Option<types::$raw>) -> Option<Self> {
                raw.map(Self::from_raw)
                    .filter(|block| $(block.$key.is_some())||+)
            }
        }
    };
}

/// A PIN delivered by a PIN purchase. The code is a [`dvs::Pin`](crate::Pin)
/// (`code` = `pinNumber`, `serial` = `controlNumber`): `Debug` never shows it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DeliveredPin {
    /// The PIN and its control (serial) number.
    pub pin: crate::Pin,
    /// Value of the PIN.
    pub delivered_amount: Option<Decimal>,
    /// Currency of the value.
    pub delivered_currency_code: Option<String>,
    /// Expiry, as the vendor formats it.
    pub expiration_date: Option<String>,
}

impl DeliveredPin {
    fn from_raw(p: types::Pin) -> Self {
        Self {
            pin: crate::Pin::new(text(p.pin_number), text(p.control_number)),
            delivered_amount: number(p.delivered_amount),
            delivered_currency_code: text(p.delivered_currency_code),
            expiration_date: text(p.expiration_date),
        }
    }

    fn is_empty(&self) -> bool {
        self.pin.code().is_none() && self.pin.serial.is_none() && self.delivered_amount.is_none()
    }

    /// The PIN code (secret).
    pub fn code(&self) -> Option<&str> {
        self.pin.code()
    }
}

detail_block! {
    /// A gift card: the `giftCardDetail` of a purchase, or the answer of the
    /// gift card fetch. The card number and PIN are [`Secret`]s.
    GiftCard from GiftCardDetail, shown by [card_number, pin, certificate_link] {
        /// Card number (secret: it can redeem the card).
        card_number: Secret = secret,
        /// Card PIN (secret).
        pin: Secret = secret,
        /// Expiry, as the vendor formats it.
        expiration_date: String = text,
        /// Address of the card's certificate.
        certificate_link: String = text,
    }
}

detail_block! {
    /// How to install an eSIM (`esimDetail`). The activation, confirmation and
    /// QR codes are [`Secret`]s: whoever has them can install the eSIM.
    EsimDetails from EsimDetail, shown by [iccid, activation_code, qr_code_string, qr_code_link] {
        /// ICCID: the key of [`Client::esim_status`](super::Client::esim_status).
        iccid: String = text,
        /// Activation code (secret).
        activation_code: Secret = secret,
        /// SM-DP+ server address.
        smdp_address: String = text,
        /// Confirmation code (secret).
        confirmation_code: Secret = secret,
        /// Content of the installation QR code (secret).
        qr_code_string: Secret = secret,
        /// Address of the installation QR code image.
        qr_code_link: String = text,
    }
}

detail_block! {
    /// A bill payment's biller details (`billPaymentDetail`). The token (for
    /// example a prepaid electricity token) is a [`Secret`].
    BillPaymentDetails from BillPaymentDetail, shown by [account_number, token, unit, received_narration] {
        /// Bill account number.
        account_number: String = text,
        /// Token issued by the biller (secret).
        token: Secret = secret,
        /// Units bought.
        unit: String = text,
        /// Biller's narration.
        received_narration: String = text,
    }
}

detail_block! {
    /// A SIM's details (`simInfo`).
    SimDetails from SimInfo, shown by [sim_number, mobile_number] {
        /// SIM number.
        sim_number: String = text,
        /// Language.
        language: String = text,
        /// ZIP code.
        zip_code: String = text,
        /// Mobile number assigned.
        mobile_number: String = text,
    }
}

detail_block! {
    /// A top-up's delivery details (`topupDetail`).
    TopUpDetails from TopupDetail, shown by [local_currency_amount, operator_transaction_id] {
        /// Amount delivered, in local currency.
        local_currency_amount: Decimal = number,
        /// Sales tax, in local currency.
        sales_tax_amount: Decimal = number,
        /// Delivered amount without tax.
        local_currency_amount_excluding_tax: Decimal = number,
        /// Local currency.
        destination_currency: String = text,
        /// The operator's transaction reference.
        operator_transaction_id: String = text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(json: serde_json::Value) -> types::Transaction {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn empty_blocks_are_ignored_and_the_specific_one_comes_first() {
        let t = tx(serde_json::json!({
            "transactionId": 7,
            "topupDetail": {"localCurrencyAmount": 0, "destinationCurrency": ""},
            "pins": [{"pinNumber": "9981-2231", "controlNumber": "C1", "deliveredAmount": 10}],
            "giftCardDetail": {"cardNumber": "", "pin": ""},
            "simInfo": {},
            "billPaymentDetail": null
        }));
        let p = Purchase::from_raw("c-1".into(), None, t);
        assert_eq!(p.deliveries.len(), 1);
        assert_eq!(p.pins()[0].code(), Some("9981-2231"));
        let shown = format!("{p:?}");
        assert!(!shown.contains("9981"), "{shown}");
        assert!(shown.contains("C1"), "{shown}");
    }

    #[test]
    fn no_detail_block_is_no_delivery() {
        let p = Purchase::from_raw("c".into(), None, types::Transaction::default());
        assert!(p.delivery().is_none() && p.pins().is_empty());
    }
}
