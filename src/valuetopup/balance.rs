//! The wallet balance, with the vendor's sign convention made explicit.

use crate::Error;

/// The wallet balance (`GET /account/balance`), in the wallet's currency.
///
/// ValueTopup sends one signed number whose meaning depends on the account's
/// terms: on **prepaid** terms it is **negative** and its magnitude is the
/// money available; on **credit** terms it is **positive** and is the amount
/// owed. This type says which, so that a prepaid balance is never read as a
/// debt (or the reverse). Zero is [`Balance::Zero`]: nothing available on
/// prepaid terms, nothing owed on credit terms.
///
/// ```
/// use dvs::valuetopup::Balance;
///
/// let prepaid = Balance::from_wire(-250.75).unwrap();
/// assert_eq!(prepaid, Balance::Prepaid { available: 250.75 });
/// assert_eq!(prepaid.available(), Some(250.75));
///
/// let credit = Balance::from_wire(1200.0).unwrap();
/// assert_eq!(credit, Balance::Credit { owed: 1200.0 });
/// assert_eq!(credit.available(), None);
///
/// assert_eq!(Balance::from_wire(0.0).unwrap(), Balance::Zero);
/// assert_eq!(prepaid.wire_value(), -250.75);
/// assert!(Balance::from_wire(f64::NAN).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Balance {
    /// Prepaid terms: funds available (the wire value was negative).
    Prepaid {
        /// Available funds, positive.
        available: f64,
    },
    /// Credit terms: the amount owed (the wire value was positive).
    Credit {
        /// Amount owed, positive.
        owed: f64,
    },
    /// Exactly zero: no prepaid funds, or nothing owed on credit.
    Zero,
}

impl Balance {
    /// The balance of the number the API sends.
    pub fn from_wire(value: f64) -> Result<Self, Error> {
        if !value.is_finite() {
            return Err(Error::Decode {
                path: "payLoad".into(),
                message: format!("balance {value} is not a finite number"),
            });
        }
        Ok(if value < 0.0 {
            Self::Prepaid { available: -value }
        } else if value > 0.0 {
            Self::Credit { owed: value }
        } else {
            Self::Zero
        })
    }

    /// The number the API sent (negative: prepaid funds; positive: owed).
    pub fn wire_value(&self) -> f64 {
        match self {
            Self::Prepaid { available } => -available,
            Self::Credit { owed } => *owed,
            Self::Zero => 0.0,
        }
    }

    /// Prepaid funds available, on prepaid terms (`Some(0.0)` for zero).
    pub fn available(&self) -> Option<f64> {
        match self {
            Self::Prepaid { available } => Some(*available),
            Self::Zero => Some(0.0),
            Self::Credit { .. } => None,
        }
    }

    /// The amount owed, on credit terms (`Some(0.0)` for zero).
    pub fn owed(&self) -> Option<f64> {
        match self {
            Self::Credit { owed } => Some(*owed),
            Self::Zero => Some(0.0),
            Self::Prepaid { .. } => None,
        }
    }
}
