//! Transaction statuses: the documented status classes with their ids, and
//! the detailed statuses, both open to values DVS adds later.
//!
//! Integration logic should branch on the [`StatusClass`]; the detailed
//! [`Status`] says why (for example which party a rejection is about).
//!
//! ```
//! use dvs::{Status, StatusClass};
//!
//! let class = StatusClass::from_id(9);
//! assert_eq!(class, StatusClass::Declined);
//! assert!(class.is_final() && !class.is_success());
//!
//! let status: Status = "DECLINED-INVALID-CREDIT-PARTY".into();
//! assert_eq!(status.class(), Some(StatusClass::Declined));
//! assert_eq!(Status::from("DECLINED-SOMETHING-NEW").class(), Some(StatusClass::Declined));
//! ```

use crate::open_enum::open_enum;

/// The class of a transaction status, with the ids DVS documents.
///
/// Final classes are `COMPLETED`, `REJECTED`, `CANCELLED` and `DECLINED`.
/// `COMPLETED` is final "almost always": in rare cases DVS reverses a
/// completed transaction, which then becomes `REVERSED` (and a callback is
/// sent). See [`StatusClass::can_change_to`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusClass {
    /// 1: created, waiting for confirmation (at most 60 minutes).
    Created,
    /// 2: confirmed, being sent to the receiving partner.
    Confirmed,
    /// 3: refused by DVS's own rules (balance, limits, invalid party...).
    Rejected,
    /// 4: cancelled by the sender before confirmation.
    Cancelled,
    /// 5: submitted to the receiving partner; not final.
    Submitted,
    /// 7: delivered.
    Completed,
    /// 8: a completed transaction that was reversed; the amount is credited back.
    Reversed,
    /// 9: refused by the receiving partner.
    Declined,
    /// A class id this version of the crate does not know.
    Unknown {
        /// The class id.
        id: i64,
        /// The class message, when known.
        message: Option<String>,
    },
}

impl StatusClass {
    /// The class of a documented id; [`StatusClass::Unknown`] otherwise.
    pub fn from_id(id: i64) -> Self {
        match id {
            1 => Self::Created,
            2 => Self::Confirmed,
            3 => Self::Rejected,
            4 => Self::Cancelled,
            5 => Self::Submitted,
            7 => Self::Completed,
            8 => Self::Reversed,
            9 => Self::Declined,
            id => Self::Unknown { id, message: None },
        }
    }

    /// The class of an id and message as DVS sends them; an unknown id keeps
    /// its message.
    pub fn from_parts(id: i64, message: &str) -> Self {
        match Self::from_id(id) {
            Self::Unknown { id, .. } => Self::Unknown {
                id,
                message: Some(message.to_string()),
            },
            known => known,
        }
    }

    /// The class of a class name (`"COMPLETED"`), if documented.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "CREATED" => Self::Created,
            "CONFIRMED" => Self::Confirmed,
            "REJECTED" => Self::Rejected,
            "CANCELLED" => Self::Cancelled,
            "SUBMITTED" => Self::Submitted,
            "COMPLETED" => Self::Completed,
            "REVERSED" => Self::Reversed,
            "DECLINED" => Self::Declined,
            _ => return None,
        })
    }

    /// The documented id.
    pub fn id(&self) -> i64 {
        match self {
            Self::Created => 1,
            Self::Confirmed => 2,
            Self::Rejected => 3,
            Self::Cancelled => 4,
            Self::Submitted => 5,
            Self::Completed => 7,
            Self::Reversed => 8,
            Self::Declined => 9,
            Self::Unknown { id, .. } => *id,
        }
    }

    /// The class name as DVS writes it.
    pub fn name(&self) -> &str {
        match self {
            Self::Created => "CREATED",
            Self::Confirmed => "CONFIRMED",
            Self::Rejected => "REJECTED",
            Self::Cancelled => "CANCELLED",
            Self::Submitted => "SUBMITTED",
            Self::Completed => "COMPLETED",
            Self::Reversed => "REVERSED",
            Self::Declined => "DECLINED",
            Self::Unknown { message, .. } => message.as_deref().unwrap_or("UNKNOWN"),
        }
    }

    /// No further status follows (except `COMPLETED` → `REVERSED`, rare).
    /// An unknown class is not final: keep polling or ask support.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Rejected | Self::Cancelled | Self::Declined | Self::Reversed
        )
    }

    /// The value was delivered (`COMPLETED`).
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Completed)
    }

    /// The transaction failed and the held amount was returned.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Rejected | Self::Cancelled | Self::Declined)
    }

    /// Whether DVS documents a move from `self` to `next`, including the rare
    /// `COMPLETED` → `REVERSED`.
    pub fn can_change_to(&self, next: &StatusClass) -> bool {
        use StatusClass::*;
        matches!(
            (self, next),
            (Created, Confirmed | Rejected | Cancelled)
                | (Confirmed, Submitted | Completed | Declined | Rejected)
                | (Submitted, Completed | Declined)
                | (Completed, Reversed)
        )
    }
}

impl std::fmt::Display for StatusClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name(), self.id())
    }
}

open_enum! {
    /// A detailed transaction status (the `status.message` DVS sends).
    pub enum Status {
        /// Created.
        Created = "CREATED",
        /// Confirmed.
        Confirmed = "CONFIRMED",
        /// Rejected, no more detail.
        Rejected = "REJECTED",
        /// Rejected: the credit party is invalid.
        RejectedInvalidCreditParty = "REJECTED-INVALID-CREDIT-PARTY",
        /// Rejected: the credit party is barred.
        RejectedBarredCreditParty = "REJECTED-BARRED-CREDIT-PARTY",
        /// Rejected: the credit party cannot take this product.
        RejectedIneligibleCreditParty = "REJECTED-INELIGIBLE-CREDIT-PARTY",
        /// Rejected: the debit party is invalid.
        RejectedInvalidDebitParty = "REJECTED-INVALID-DEBIT-PARTY",
        /// Rejected: the debit party is barred.
        RejectedBarredDebitParty = "REJECTED-BARRED-DEBIT-PARTY",
        /// Rejected: the credit party's cumulative amount limit.
        RejectedLimitationsOnCreditPartyAmount = "REJECTED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT",
        /// Rejected: the credit party's cumulative count limit.
        RejectedLimitationsOnCreditPartyQuantity = "REJECTED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY",
        /// Rejected: the operator is unavailable.
        RejectedOperatorCurrentlyUnavailable = "REJECTED-OPERATOR-CURRENTLY-UNAVAILABLE",
        /// Rejected: not enough balance on the account.
        RejectedInsufficientBalance = "REJECTED-INSUFFICIENT-BALANCE",
        /// Cancelled.
        Cancelled = "CANCELLED",
        /// Submitted to the receiving partner.
        Submitted = "SUBMITTED",
        /// Completed.
        Completed = "COMPLETED",
        /// Reversed after completion.
        Reversed = "REVERSED",
        /// Declined, no more detail.
        Declined = "DECLINED",
        /// Declined: the credit party is invalid.
        DeclinedInvalidCreditParty = "DECLINED-INVALID-CREDIT-PARTY",
        /// Declined: the credit party is barred.
        DeclinedBarredCreditParty = "DECLINED-BARRED-CREDIT-PARTY",
        /// Declined: the credit party cannot take this product.
        DeclinedIneligibleCreditParty = "DECLINED-INELIGIBLE-CREDIT-PARTY",
        /// Declined: the debit party is invalid.
        DeclinedInvalidDebitParty = "DECLINED-INVALID-DEBIT-PARTY",
        /// Declined: the debit party is barred.
        DeclinedBarredDebitParty = "DECLINED-BARRED-DEBIT-PARTY",
        /// Declined: the operator's cumulative amount limit.
        DeclinedLimitationsOnOperatorAmount = "DECLINED-LIMITATIONS-ON-OPERATOR-AMOUNT",
        /// Declined: the credit party's cumulative amount limit.
        DeclinedLimitationsOnCreditPartyAmount = "DECLINED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT",
        /// Declined: the customer's cumulative amount limit.
        DeclinedLimitationsOnCustomerAmount = "DECLINED-LIMITATIONS-ON-CUSTOMER-AMOUNT",
        /// Declined: the operator's cumulative count limit.
        DeclinedLimitationsOnOperatorQuantity = "DECLINED-LIMITATIONS-ON-OPERATOR-QUANTITY",
        /// Declined: the credit party's cumulative count limit.
        DeclinedLimitationsOnCreditPartyQuantity = "DECLINED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY",
        /// Declined: the customer's cumulative count limit.
        DeclinedLimitationsOnCustomerQuantity = "DECLINED-LIMITATIONS-ON-CUSTOMER-QUANTITY",
        /// Declined: a duplicate of another transaction.
        DeclinedDuplicatedTransaction = "DECLINED-DUPLICATED-TRANSACTION",
        /// Declined: the operator is unavailable.
        DeclinedOperatorCurrentlyUnavailable = "DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE",
        /// Declined: an error at the receiving partner (seen in the sandbox).
        DeclinedException = "DECLINED-EXCEPTION",
    }
}

impl Status {
    /// The class this status belongs to, read from its name (`DECLINED-…`
    /// belongs to `DECLINED`, also for detailed statuses added later).
    /// Prefer the class id DVS sends beside the status where you have it.
    pub fn class(&self) -> Option<StatusClass> {
        let name = self.as_str();
        let head = name.split('-').next().unwrap_or(name);
        StatusClass::from_name(head)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_ids_round_trip() {
        for id in [1, 2, 3, 4, 5, 7, 8, 9] {
            let class = StatusClass::from_id(id);
            assert!(!matches!(class, StatusClass::Unknown { .. }));
            assert_eq!(class.id(), id);
            assert_eq!(StatusClass::from_name(class.name()), Some(class));
        }
        assert_eq!(
            StatusClass::from_parts(6, "PENDING-REVIEW"),
            StatusClass::Unknown {
                id: 6,
                message: Some("PENDING-REVIEW".into())
            }
        );
    }

    #[test]
    fn final_and_success() {
        let finals: Vec<i64> = [1, 2, 3, 4, 5, 7, 8, 9]
            .into_iter()
            .filter(|id| StatusClass::from_id(*id).is_final())
            .collect();
        assert_eq!(finals, [3, 4, 7, 8, 9]);
        assert!(StatusClass::Completed.is_success());
        assert!(!StatusClass::Reversed.is_success());
        assert!(!StatusClass::from_id(42).is_final());
    }

    #[test]
    fn completed_can_turn_reversed_but_not_back() {
        assert!(StatusClass::Completed.can_change_to(&StatusClass::Reversed));
        assert!(!StatusClass::Reversed.can_change_to(&StatusClass::Completed));
        assert!(StatusClass::Created.can_change_to(&StatusClass::Cancelled));
        assert!(!StatusClass::Confirmed.can_change_to(&StatusClass::Cancelled));
    }

    #[test]
    fn every_documented_status_is_known_and_classed() {
        assert_eq!(Status::KNOWN.len(), 31);
        for name in Status::KNOWN {
            let status = Status::from(*name);
            assert!(status.is_known(), "{name}");
            assert_eq!(status.as_str(), *name);
            assert!(status.class().is_some(), "{name}");
        }
        let new = Status::from("REJECTED-NEW-RULE");
        assert!(matches!(&new, Status::Unknown(v) if v.as_str() == "REJECTED-NEW-RULE"));

        assert_eq!(new.class(), Some(StatusClass::Rejected));
        let json = serde_json::to_string(&Status::DeclinedLimitationsOnCustomerQuantity).unwrap();
        assert_eq!(json, "\"DECLINED-LIMITATIONS-ON-CUSTOMER-QUANTITY\"");
        let back: Status = serde_json::from_str("\"SOMETHING\"").unwrap();
        assert!(matches!(&back, Status::Unknown(v) if v.as_str() == "SOMETHING"));
    }
}
