//! The account balance, in cents, moved as DVS's balance table says:
//! CREATED authorizes (available → holding), CANCELLED / REJECTED / DECLINED
//! void (holding → available), COMPLETED captures (holding → captured),
//! REVERSED credits back (captured → available). The sum of the three never
//! changes.

use serde_json::{json, Value};

/// One balance. `captured` is what completed transactions debited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ledger {
    pub(crate) id: i64,
    pub(crate) unit: &'static str,
    pub(crate) available: i64,
    pub(crate) holding: i64,
    pub(crate) captured: i64,
}

impl Ledger {
    pub(crate) fn new(available_cents: i64) -> Self {
        Self {
            id: 1,
            unit: "USD",
            available: available_cents,
            holding: 0,
            captured: 0,
        }
    }

    /// Moves `cents` from available to holding; false (and nothing moves)
    /// when available is short.
    pub(crate) fn authorize(&mut self, cents: i64) -> bool {
        if cents > self.available {
            return false;
        }
        self.available -= cents;
        self.holding += cents;
        true
    }

    /// Returns a hold to available.
    pub(crate) fn void(&mut self, cents: i64) {
        let cents = cents.min(self.holding);
        self.holding -= cents;
        self.available += cents;
    }

    /// Debits a hold.
    pub(crate) fn capture(&mut self, cents: i64) {
        let cents = cents.min(self.holding);
        self.holding -= cents;
        self.captured += cents;
    }

    /// Credits a captured amount back to available.
    pub(crate) fn reverse(&mut self, cents: i64) {
        let cents = cents.min(self.captured);
        self.captured -= cents;
        self.available += cents;
    }

    pub(crate) fn json(&self) -> Value {
        json!({
            "id": self.id,
            "unit_type": "CURRENCY",
            "unit": self.unit,
            "available": self.available as f64 / 100.0,
            "holding": self.holding as f64 / 100.0,
            "credit_limit": 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn movements_conserve_the_total() {
        let mut l = Ledger::new(1000);
        assert!(l.authorize(300));
        assert_eq!((l.available, l.holding), (700, 300));
        l.capture(300);
        assert_eq!((l.holding, l.captured), (0, 300));
        l.reverse(300);
        assert_eq!((l.available, l.captured), (1000, 0));
        assert!(!l.authorize(1001));
        assert!(l.authorize(1000));
        l.void(1000);
        assert_eq!(l.available + l.holding + l.captured, 1000);
        assert_eq!(l.available, 1000);
    }
}
