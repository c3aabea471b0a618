//! What every product has, across product types and API versions.

use crate::Error;
use crate::OpenEnum;
use rust_decimal::Decimal;
use serde_json::Value;

/// A product type of any API version (`v1_21::ProductType`,
/// `v1_0::ProductType`): what a product type's wire value says about it.
///
/// ```
/// # #[cfg(feature = "v1_21")] {
/// use dvs::AnyProductType;
/// use dvs::v1_21::ProductType;
/// assert!(ProductType::RangedValuePinPurchase.is_ranged());
/// assert!(ProductType::RangedValuePinPurchase.is_pin());
/// assert!(!ProductType::FixedValueRecharge.is_ranged());
/// # }
/// ```
pub trait AnyProductType: OpenEnum {
    /// The amount is chosen within a range (and a calculation mode is needed).
    fn is_ranged(&self) -> bool {
        self.as_str().starts_with("RANGED_")
    }

    /// The product delivers a PIN.
    fn is_pin(&self) -> bool {
        self.as_str().contains("_PIN_")
    }
}

/// A benefit type of any API version (`v1_21::BenefitType`,
/// `v1_0::BenefitType`), as product filters take it.
pub trait AnyBenefitType: OpenEnum {}

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

/// Helpers of the accessors generated on each version's `Product` and
/// `Transaction` (see `src/codegen.rs`): typed fields of known variants, and
/// the raw JSON of an unknown product type, read by key.
pub(crate) mod read {
    use super::{Amount, AmountValue};
    use rust_decimal::Decimal;
    use serde_json::Value;

    /// An array field, whether the generator made it `Vec<T>` or
    /// `Option<Vec<T>>` (none: empty).
    pub(crate) trait Items<T> {
        fn items(&self) -> &[T];
    }

    impl<T> Items<T> for Vec<T> {
        fn items(&self) -> &[T] {
            self
        }
    }

    impl<T> Items<T> for Option<Vec<T>> {
        fn items(&self) -> &[T] {
            self.as_deref().unwrap_or_default()
        }
    }

    pub(crate) fn items<T>(field: &impl Items<T>) -> &[T] {
        field.items()
    }

    /// A decimal field, required or not.
    pub(crate) trait DecimalField {
        fn decimal(&self) -> Option<Decimal>;
    }

    impl DecimalField for Decimal {
        fn decimal(&self) -> Option<Decimal> {
            Some(*self)
        }
    }

    impl DecimalField for Option<Decimal> {
        fn decimal(&self) -> Option<Decimal> {
            *self
        }
    }

    pub(crate) fn decimal(field: &impl DecimalField) -> Option<Decimal> {
        field.decimal()
    }

    /// An amount from its typed parts.
    pub(crate) fn amount(
        unit_type: &impl std::fmt::Display,
        unit: &impl std::fmt::Display,
        value: Option<AmountValue>,
    ) -> Option<Amount> {
        Some(Amount {
            unit_type: unit_type.to_string(),
            unit: unit.to_string(),
            value: value?,
        })
    }

    /// `(id, name)` of a JSON object such as a product's `service`.
    pub(crate) fn json_id_name(v: Option<&Value>) -> Option<(i64, String)> {
        let v = v?;
        Some((v.get("id")?.as_i64()?, v.get("name")?.as_str()?.to_string()))
    }

    /// The region codes of a product's JSON.
    pub(crate) fn json_region_codes(v: &Value) -> Vec<String> {
        v.get("regions")
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| Some(r.get("code")?.as_str()?.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The field sets under `key` of a product's JSON.
    pub(crate) fn json_field_sets(v: &Value, key: &str) -> Vec<Vec<String>> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|sets| {
                sets.iter()
                    .map(|set| {
                        set.as_array()
                            .map(|s| {
                                s.iter()
                                    .filter_map(|f| f.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A transaction of a product, bounded by the product's ranges.
    pub(crate) fn new_transaction(
        external_id: impl Into<String>,
        product_id: i64,
        source: Option<Amount>,
        destination: Option<Amount>,
    ) -> crate::NewTransaction {
        let range = |a: Option<Amount>| a.and_then(|a| a.range().copied());
        crate::NewTransaction::new(external_id, product_id)
            .source_range(range(source))
            .destination_range(range(destination))
    }
}
