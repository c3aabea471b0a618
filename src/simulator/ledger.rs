//! The account balance, in exact decimals of its currency, moved as DVS's balance table says:
//! CREATED authorizes (available → holding), CANCELLED / REJECTED / DECLINED
//! void (holding → available), COMPLETED captures (holding → captured),
//! REVERSED credits back (captured → available). The sum of the three never
//! changes.

use rust_decimal::Decimal;
use serde_json::{json, Value};

/// One balance. `captured` is what completed transactions debited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ledger {
    pub(crate) id: i64,
    pub(crate) unit: &'static str,
    pub(crate) available: Decimal,
    pub(crate) holding: Decimal,
    pub(crate) captured: Decimal,
}

impl Ledger {
    pub(crate) fn new(available: Decimal) -> Self {
        Self {
            id: 1,
            unit: "USD",
            available,
            holding: Decimal::ZERO,
            captured: Decimal::ZERO,
        }
    }

    /// Moves `amount` from available to holding; false (and nothing moves)
    /// when available is short.
    pub(crate) fn authorize(&mut self, amount: Decimal) -> bool {
        if amount > self.available {
            return false;
        }
        self.available -= amount;
        self.holding += amount;
        true
    }

    /// Returns a hold to available.
    pub(crate) fn void(&mut self, amount: Decimal) {
        let amount = amount.min(self.holding);
        self.holding -= amount;
        self.available += amount;
    }

    /// Debits a hold.
    pub(crate) fn capture(&mut self, amount: Decimal) {
        let amount = amount.min(self.holding);
        self.holding -= amount;
        self.captured += amount;
    }

    /// Credits a captured amount back to available.
    pub(crate) fn reverse(&mut self, amount: Decimal) {
        let amount = amount.min(self.captured);
        self.captured -= amount;
        self.available += amount;
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "unit_type": "CURRENCY",
            "unit": self.unit,
            "available": self.available,
            "holding": self.holding,
            "credit_limit": 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movements_conserve_the_total() {
        let d = |cents: i64| Decimal::new(cents, 2);
        let mut l = Ledger::new(d(1000));
        assert!(l.authorize(d(301)));
        assert_eq!((l.available, l.holding), (d(699), d(301)));
        l.capture(d(301));
        assert_eq!((l.holding, l.captured), (d(0), d(301)));
        l.reverse(d(301));
        assert_eq!((l.available, l.captured), (d(1000), d(0)));
        assert!(!l.authorize(d(1001)));
        assert!(l.authorize(d(1000)));
        l.void(d(1000));
        assert_eq!(l.available + l.holding + l.captured, d(1000));
        assert_eq!(l.available, d(1000));
        // Exact: a tenth of a cent held ten thousand times is ten dollars.
        let mut l = Ledger::new(Decimal::from(10));
        for _ in 0..10_000 {
            assert!(l.authorize(Decimal::new(1, 3)));
        }
        assert_eq!((l.available, l.holding), (Decimal::ZERO, Decimal::from(10)));
    }
}
