//! What every product has, across product types and API versions.

use crate::open_enum::open_enum;
use crate::Error;
use rust_decimal::Decimal;
use serde_json::Value;

open_enum! {
    /// A product type (the `type` field of a product).
    pub enum ProductType {
        /// A fixed denomination recharge (airtime, bundles).
        FixedValueRecharge = "FIXED_VALUE_RECHARGE",
        /// A recharge of an amount chosen within a range.
        RangedValueRecharge = "RANGED_VALUE_RECHARGE",
        /// A voucher (PIN) of fixed value.
        FixedValuePinPurchase = "FIXED_VALUE_PIN_PURCHASE",
        /// A voucher (PIN) of an amount chosen within a range.
        RangedValuePinPurchase = "RANGED_VALUE_PIN_PURCHASE",
        /// A bill or service payment of an amount chosen within a range.
        RangedValuePayment = "RANGED_VALUE_PAYMENT",
    }
}

open_enum! {
    /// A benefit type (what a product redeems into).
    pub enum BenefitType {
        /// Talk time.
        Talktime = "TALKTIME",
        /// Mobile or broadband data.
        Data = "DATA",
        /// Text messages.
        Sms = "SMS",
        /// A bill or insurance payment.
        Payment = "PAYMENT",
        /// Prepaid credits.
        Credits = "CREDITS",
    }
}

open_enum! {
    /// How the amount of a ranged product is given.
    pub enum CalculationMode {
        /// The amount the sender pays (`source`).
        SourceAmount = "SOURCE_AMOUNT",
        /// The amount the beneficiary receives (`destination`).
        DestinationAmount = "DESTINATION_AMOUNT",
    }
}

impl ProductType {
    /// The amount is chosen within a range (and a calculation mode is needed).
    pub fn is_ranged(&self) -> bool {
        self.as_str().starts_with("RANGED_")
    }

    /// The product delivers a PIN.
    pub fn is_pin(&self) -> bool {
        self.as_str().contains("_PIN_")
    }
}

/// The value of a product's source or destination.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AmountValue {
    /// A fixed amount.
    Fixed(Decimal),
    /// Any amount the range accepts.
    Range(AmountRange),
}

/// The amounts a ranged product accepts: `min..=max`, in steps of
/// `increment` from `min` when DVS gives one.
///
/// ```
/// use dvs::{AmountRange, Decimal};
/// let range = AmountRange::new(Some(Decimal::new(775, 2)), Some(Decimal::from(775)), Some(Decimal::ONE));
/// assert!(range.check(Decimal::new(875, 2)).is_ok()); // 8.75
/// assert!(range.check(Decimal::from(775)).is_ok()); // the maximum
/// let err = range.check(Decimal::from(25)).unwrap_err().to_string();
/// assert!(err.contains("7.75") && err.contains("775") && err.contains("step 1"), "{err}");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AmountRange {
    /// Smallest amount.
    pub min: Option<Decimal>,
    /// Largest amount.
    pub max: Option<Decimal>,
    /// Step between amounts, counted from `min`.
    pub increment: Option<Decimal>,
}

impl AmountRange {
    /// A range; a bound or step that is `None` is not checked.
    pub fn new(min: Option<Decimal>, max: Option<Decimal>, increment: Option<Decimal>) -> Self {
        Self {
            min,
            max,
            increment,
        }
    }

    /// Whether DVS would accept `amount` for this range: at least `min`, at
    /// most `max`, and `min` plus a whole number of `increment`s, or `max`
    /// itself (both bounds are inclusive). The error
    /// ([`Error::InvalidInput`]) names the range.
    pub fn check(&self, amount: Decimal) -> Result<(), Error> {
        self.check_field("amount", amount)
    }

    pub(crate) fn check_field(&self, field: &'static str, amount: Decimal) -> Result<(), Error> {
        let refuse =
            |why: String| Err(Error::invalid(field, format!("{why}: the range is {self}")));
        if let Some(min) = self.min {
            if amount < min {
                return refuse(format!("{amount} is below the minimum {min}"));
            }
        }
        if let Some(max) = self.max {
            if amount > max {
                return refuse(format!("{amount} is above the maximum {max}"));
            }
        }
        let at_max = self.max == Some(amount);
        if let Some(step) = self.increment.filter(|s| *s > Decimal::ZERO && !at_max) {
            let base = self.min.unwrap_or(Decimal::ZERO);
            // Exact: decimal subtraction and remainder do not round here.
            if !((amount - base) % step).is_zero() {
                return refuse(format!(
                    "({amount} - {base}) is not a multiple of the step {step}"
                ));
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for AmountRange {
    /// `7.75..=775 (step 1)`; `?` for a bound DVS did not give.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |v: Option<Decimal>| v.map_or("?".to_string(), |v| v.to_string());
        write!(f, "{}..={}", n(self.min), n(self.max))?;
        match self.increment {
            Some(step) => write!(f, " (step {step})"),
            None => Ok(()),
        }
    }
}

/// A product's source (what the sender pays) or destination (what the
/// beneficiary gets).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Amount {
    /// `CURRENCY`, or another unit type DVS adds.
    pub unit_type: String,
    /// The unit, e.g. a currency code.
    pub unit: String,
    /// The amount or range.
    pub value: AmountValue,
}

impl std::fmt::Display for Amount {
    /// `39 GTQ`, or `7.75..=775 GTQ (step 1)` for a range.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            AmountValue::Fixed(v) => write!(f, "{v} {}", self.unit),
            AmountValue::Range(r) => {
                let n = |v: Option<Decimal>| v.map_or("?".to_string(), |v| v.to_string());
                write!(f, "{}..={} {}", n(r.min), n(r.max), self.unit)?;
                match r.increment {
                    Some(step) => write!(f, " (step {step})"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// The exact value of a JSON number, from its text (`7.75`, `1e-7`, or 20
/// digits and more, as far as [`Decimal`] reaches).
pub(crate) fn decimal(v: &Value) -> Option<Decimal> {
    let Value::Number(n) = v else { return None };
    let text = n.to_string();
    Decimal::from_str_exact(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

impl Amount {
    /// The range, for a ranged amount.
    pub fn range(&self) -> Option<&AmountRange> {
        match &self.value {
            AmountValue::Range(r) => Some(r),
            AmountValue::Fixed(_) => None,
        }
    }

    /// Reads an amount object (`{unit_type, unit, amount}` where `amount` is
    /// a number or a `{min, max, increment}` range).
    pub(crate) fn from_json(v: &Value) -> Option<Self> {
        let amount = v.get("amount")?;
        let value = match amount {
            Value::Number(_) => AmountValue::Fixed(decimal(amount)?),
            Value::Object(r) => AmountValue::Range(AmountRange {
                min: r.get("min").and_then(decimal),
                max: r.get("max").and_then(decimal),
                increment: r.get("increment").and_then(decimal),
            }),
            _ => return None,
        };
        Some(Self {
            unit_type: v.get("unit_type")?.as_str()?.to_string(),
            unit: v.get("unit")?.as_str()?.to_string(),
            value,
        })
    }
}

/// Implements the accessors every product has on a version's generated
/// `Product` union, whose variants all carry the common fields.
macro_rules! product_accessors {
    ($union:ty { $($variant:ident),* }) => {
        impl $union {
            fn json(&self) -> serde_json::Value {
                serde_json::to_value(self).unwrap_or_default()
            }

            /// The product id (0 for an unknown type without a numeric id).
            pub fn id(&self) -> i64 {
                match self {
                    $(Self::$variant(p) => p.id,)*
                    Self::Unknown(v) => v.get("id").and_then(serde_json::Value::as_i64).unwrap_or_default(),
                    // A variant a refreshed spec added that this facade does not list.
                    #[allow(unreachable_patterns)]
                    _ => self.json().get("id").and_then(serde_json::Value::as_i64).unwrap_or_default(),
                }
            }

            /// The product name.
            pub fn name(&self) -> &str {
                match self {
                    $(Self::$variant(p) => &p.name,)*
                    Self::Unknown(v) => v.get("name").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    #[allow(unreachable_patterns)]
                    _ => "",
                }
            }

            /// The product description.
            pub fn description(&self) -> &str {
                match self {
                    $(Self::$variant(p) => &p.description,)*
                    Self::Unknown(v) => v.get("description").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    #[allow(unreachable_patterns)]
                    _ => "",
                }
            }

            /// The product type, also for types this crate does not know.
            pub fn product_type(&self) -> $crate::ProductType {
                match self {
                    $(Self::$variant(p) => $crate::ProductType::from(::std::convert::AsRef::<str>::as_ref(&*p.type_)),)*
                    Self::Unknown(v) => $crate::ProductType::from(
                        v.get("type").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    ),
                    #[allow(unreachable_patterns)]
                    _ => $crate::ProductType::from(
                        self.json().get("type").and_then(serde_json::Value::as_str).unwrap_or_default(),
                    ),
                }
            }

            /// The service id and name.
            pub fn service(&self) -> Option<(i64, String)> {
                let v = self.json();
                let s = v.get("service")?;
                Some((s.get("id")?.as_i64()?, s.get("name")?.as_str()?.to_string()))
            }

            /// The operator id and name.
            pub fn operator(&self) -> Option<(i64, String)> {
                let v = self.json();
                let o = v.get("operator")?;
                Some((o.get("id")?.as_i64()?, o.get("name")?.as_str()?.to_string()))
            }

            /// The operator's country code.
            pub fn country_iso_code(&self) -> Option<String> {
                let v = self.json();
                Some(v.pointer("/operator/country/iso_code")?.as_str()?.to_string())
            }

            /// Codes of the regions the product covers (empty when none are listed).
            pub fn regions(&self) -> Vec<String> {
                let v = self.json();
                v.get("regions")
                    .and_then(serde_json::Value::as_array)
                    .map(|rs| rs.iter().filter_map(|r| Some(r.get("code")?.as_str()?.to_string())).collect())
                    .unwrap_or_default()
            }

            /// The amount is chosen within a range.
            pub fn is_ranged(&self) -> bool {
                self.product_type().is_ranged()
            }

            /// What the sender pays (a fixed amount or a range).
            pub fn source(&self) -> Option<$crate::Amount> {
                $crate::Amount::from_json(self.json().get("source")?)
            }

            /// What the beneficiary receives (a fixed amount or a range).
            pub fn destination(&self) -> Option<$crate::Amount> {
                $crate::Amount::from_json(self.json().get("destination")?)
            }

            /// The credit-party fields a transaction for this product must
            /// carry: any one of the inner lists, complete (e.g.
            /// `[["mobile_number"]]`).
            pub fn required_credit_party_fields(&self) -> Vec<Vec<String>> {
                self.field_sets("required_credit_party_identifier_fields")
            }

            /// The sender fields a transaction for this product must carry.
            pub fn required_sender_fields(&self) -> Vec<Vec<String>> {
                self.field_sets("required_sender_fields")
            }

            /// The beneficiary fields a transaction for this product must carry.
            pub fn required_beneficiary_fields(&self) -> Vec<Vec<String>> {
                self.field_sets("required_beneficiary_fields")
            }

            fn field_sets(&self, key: &str) -> Vec<Vec<String>> {
                let v = self.json();
                v.get(key)
                    .and_then(serde_json::Value::as_array)
                    .map(|sets| {
                        sets.iter()
                            .map(|set| {
                                set.as_array()
                                    .map(|s| s.iter().filter_map(|f| f.as_str().map(str::to_string)).collect())
                                    .unwrap_or_default()
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            }

            /// A transaction of this product, with your reference
            /// `external_id`, that refuses before sending an amount outside
            /// the product's ranges (see
            /// [`NewTransaction::destination_range`](crate::NewTransaction::destination_range)).
            pub fn new_transaction(&self, external_id: impl Into<String>) -> $crate::NewTransaction {
                let range = |a: Option<$crate::Amount>| a.and_then(|a| a.range().copied());
                $crate::NewTransaction::new(external_id, self.id())
                    .source_range(range(self.source()))
                    .destination_range(range(self.destination()))
            }

            /// True when the crate does not know this product's type.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
    };
}
pub(crate) use product_accessors;
