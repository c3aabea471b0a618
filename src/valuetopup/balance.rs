//! The wallet balance, with the vendor's sign convention made explicit.

use crate::Error;
use rust_decimal::Decimal;

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
/// use dvs::Decimal;
///
/// let prepaid = Balance::from_wire(Decimal::new(-25075, 2)).unwrap();
/// assert_eq!(prepaid, Balance::Prepaid { available: Decimal::new(25075, 2) });
/// assert_eq!(prepaid.available(), Some(Decimal::new(25075, 2)));
///
/// let credit = Balance::from_wire(Decimal::from(1200)).unwrap();
/// assert_eq!(credit, Balance::Credit { owed: Decimal::from(1200) });
/// assert_eq!(credit.available(), None);
///
/// assert_eq!(Balance::from_wire(Decimal::ZERO).unwrap(), Balance::Zero);
/// assert_eq!(prepaid.wire_value(), Decimal::new(-25075, 2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Balance {
    /// Prepaid terms: funds available (the wire value was negative).
    Prepaid {
        /// Available funds, positive.
        available: Decimal,
    },
    /// Credit terms: the amount owed (the wire value was positive).
    Credit {
        /// Amount owed, positive.
        owed: Decimal,
    },
    /// Exactly zero: no prepaid funds, or nothing owed on credit.
    Zero,
}

impl Balance {
    /// The balance of the number the API sends.
    pub fn from_wire(value: Decimal) -> Result<Self, Error> {
        Ok(if value < Decimal::ZERO {
            Self::Prepaid { available: -value }
        } else if value > Decimal::ZERO {
            Self::Credit { owed: value }
        } else {
            Self::Zero
        })
    }

    /// The number the API sent (negative: prepaid funds; positive: owed).
    pub fn wire_value(&self) -> Decimal {
        match self {
            Self::Prepaid { available } => -available,
            Self::Credit { owed } => *owed,
            Self::Zero => Decimal::ZERO,
        }
    }

    /// Prepaid funds available, on prepaid terms (`Some(Decimal::ZERO)` for zero).
    pub fn available(&self) -> Option<Decimal> {
        match self {
            Self::Prepaid { available } => Some(*available),
            Self::Zero => Some(Decimal::ZERO),
            Self::Credit { .. } => None,
        }
    }

    /// The amount owed, on credit terms (`Some(Decimal::ZERO)` for zero).
    pub fn owed(&self) -> Option<Decimal> {
        match self {
            Self::Credit { owed } => Some(*owed),
            Self::Zero => Some(Decimal::ZERO),
            Self::Prepaid { .. } => None,
        }
    }
}
