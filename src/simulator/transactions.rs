//! Transactions: status ids, the outcome the credit party's number asks
//! for, the create request and its validation, and the transaction JSON.

use super::catalog::{round2, Amt, Catalog, CreditParty, ProductDef, COUNTRIES};
use super::ApiError;
use crate::AnyProductType as _;
use crate::{ErrorCode, Status, StatusClass};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The numeric id the simulator gives a transaction status: the class id
/// times 10000, plus a reason code for detailed statuses (`0` for the plain
/// class status). Reasons: `1xx` debit party (101 invalid, 102 barred),
/// `2xx` credit party (201 invalid, 202 barred, 203 ineligible), `3xx`
/// limitations (301 operator amount, 302 credit party amount, 303 customer
/// amount, 311 operator quantity, 312 credit party quantity, 313 customer
/// quantity), 401 operator currently unavailable, 501 insufficient balance,
/// 601 duplicated transaction, 901 exception.
///
/// ```
/// use dvs::{simulator::status_id, Status};
/// assert_eq!(status_id(&Status::Completed), Some(70000));
/// assert_eq!(status_id(&Status::Confirmed), Some(20000));
/// assert_eq!(status_id(&Status::DeclinedInvalidCreditParty), Some(90201));
/// assert_eq!(status_id(&Status::RejectedInsufficientBalance), Some(30501));
/// assert_eq!(status_id(&Status::from("DECLINED-SOMETHING-NEW")), None);
/// ```
pub fn status_id(status: &Status) -> Option<i64> {
    let class = status.class()?;
    let name = status.as_str();
    let detail = name
        .strip_prefix(class.name())
        .unwrap_or(name)
        .trim_start_matches('-');
    let reason = match detail {
        "" => 0,
        "INVALID-DEBIT-PARTY" => 101,
        "BARRED-DEBIT-PARTY" => 102,
        "INVALID-CREDIT-PARTY" => 201,
        "BARRED-CREDIT-PARTY" => 202,
        "INELIGIBLE-CREDIT-PARTY" => 203,
        "LIMITATIONS-ON-OPERATOR-AMOUNT" => 301,
        "LIMITATIONS-ON-CREDIT-PARTY-AMOUNT" => 302,
        "LIMITATIONS-ON-CUSTOMER-AMOUNT" => 303,
        "LIMITATIONS-ON-OPERATOR-QUANTITY" => 311,
        "LIMITATIONS-ON-CREDIT-PARTY-QUANTITY" => 312,
        "LIMITATIONS-ON-CUSTOMER-QUANTITY" => 313,
        "OPERATOR-CURRENTLY-UNAVAILABLE" => 401,
        "INSUFFICIENT-BALANCE" => 501,
        "DUPLICATED-TRANSACTION" => 601,
        "EXCEPTION" => 901,
        _ => return None,
    };
    Some(class.id() * 10000 + reason)
}

/// The class of a status the simulator sets (always a documented one).
pub(crate) fn class_of(status: &Status) -> StatusClass {
    status.class().unwrap_or(StatusClass::Unknown {
        id: 0,
        message: None,
    })
}

/// What a confirmed transaction turns into, and how long it takes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plan {
    pub(crate) final_status: Status,
    /// Documented delay in seconds (before the time factor).
    pub(crate) delay_s: f64,
    /// A completed transaction carries a PIN.
    pub(crate) pin: bool,
}

/// The sandbox's suffix table: the last three digits of the credit party
/// identifier choose the outcome (`X00`…`X07`) and the delay (`1XX` ≥ 3 s,
/// `2XX` ≥ 20 s, `3XX` ≥ 5 min). Products without a credit party always
/// complete; other suffixes complete PIN-less after 3 s.
pub(crate) fn plan(product: &ProductDef, credit_value: Option<&str>) -> Plan {
    let pin_product = product.kind.is_pin();
    let completed = |delay_s, pin| Plan {
        final_status: Status::Completed,
        delay_s,
        pin: pin || pin_product,
    };
    if product.credit_party == CreditParty::None {
        return completed(3.0, true);
    }
    let Some(value) = credit_value else {
        return completed(3.0, false);
    };
    let digits: Vec<u8> = value.bytes().rev().take(3).collect();
    if digits.len() < 3 || !digits.iter().all(u8::is_ascii_digit) {
        return completed(3.0, false);
    }
    let (hundreds, tens, units) = (digits[2] - b'0', digits[1] - b'0', digits[0] - b'0');
    let delay_s = match hundreds {
        1 => 3.0,
        2 => 20.0,
        3 => 300.0,
        _ => return completed(3.0, false),
    };
    if tens != 0 {
        return completed(3.0, false);
    }
    let final_status = match units {
        0 => return completed(delay_s, false),
        1 => return completed(delay_s, true),
        2 => Status::DeclinedInvalidCreditParty,
        3 => Status::DeclinedBarredCreditParty,
        4 => Status::DeclinedOperatorCurrentlyUnavailable,
        5 => Status::DeclinedDuplicatedTransaction,
        6 => Status::Declined,
        7 => Status::DeclinedException,
        _ => return completed(3.0, false),
    };
    Plan {
        final_status,
        delay_s,
        pin: false,
    }
}

// ---- the create request -------------------------------------------------

#[derive(Debug, Deserialize)]
pub(crate) struct AmountReq {
    pub(crate) unit_type: String,
    pub(crate) unit: String,
    pub(crate) amount: Decimal,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct PersonReq {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    middle_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nationality_country_iso_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mobile_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address_city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address_country_iso_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address_postal_code: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct PartyReq {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) mobile_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) account_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) account_qualifier: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct StatementReq {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_date: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct AdditionalReq {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purchaser_id: Option<String>,
}

/// A transaction create body as DVS accepts it (unknown fields ignored).
#[derive(Debug, Deserialize)]
pub(crate) struct CreateRequest {
    pub(crate) external_id: String,
    pub(crate) product_id: i64,
    pub(crate) calculation_mode: Option<String>,
    pub(crate) source: Option<AmountReq>,
    pub(crate) destination: Option<AmountReq>,
    pub(crate) auto_confirm: Option<bool>,
    pub(crate) sender: Option<PersonReq>,
    pub(crate) beneficiary: Option<PersonReq>,
    pub(crate) debit_party_identifier: Option<PartyReq>,
    pub(crate) credit_party_identifier: Option<PartyReq>,
    pub(crate) statement_identifier: Option<StatementReq>,
    pub(crate) additional_identifier: Option<AdditionalReq>,
    pub(crate) callback_url: Option<String>,
}

pub(crate) fn is_e164(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('+') else {
        return false;
    };
    let b = rest.as_bytes();
    (7..=15).contains(&b.len()) && b[0] != b'0' && b.iter().all(u8::is_ascii_digit)
}

fn is_iso3(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn non_blank(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace())
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, message)
}

fn check_text(field: &str, value: &Option<String>) -> Result<(), ApiError> {
    match value {
        Some(v) if !non_blank(v) => Err(bad(format!("{field} must not be blank"))),
        _ => Ok(()),
    }
}

impl PersonReq {
    fn is_empty(&self) -> bool {
        serde_json::to_value(self).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
    }

    fn validate(&self, field: &str, bad_mobile: ErrorCode) -> Result<(), ApiError> {
        if self.is_empty() {
            return Err(bad(format!("{field} must have at least one field")));
        }
        for (name, v) in [
            ("last_name", &self.last_name),
            ("first_name", &self.first_name),
            ("middle_name", &self.middle_name),
            ("email", &self.email),
            ("address_text", &self.address_text),
            ("address_city", &self.address_city),
        ] {
            check_text(&format!("{field}.{name}"), v)?;
        }
        for (name, v) in [
            (
                "nationality_country_iso_code",
                &self.nationality_country_iso_code,
            ),
            ("address_country_iso_code", &self.address_country_iso_code),
        ] {
            if v.as_deref().is_some_and(|v| !is_iso3(v)) {
                return Err(bad(format!(
                    "{field}.{name} must be an ISO 3166 alpha-3 code"
                )));
            }
        }
        if let Some(pc) = &self.address_postal_code {
            let ok = pc.len() >= 2
                && pc.bytes().all(|b| {
                    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ' || b == b'-'
                })
                && pc.as_bytes()[0].is_ascii_alphanumeric()
                && pc.as_bytes()[pc.len() - 1].is_ascii_alphanumeric();
            if !ok {
                return Err(bad(format!("{field}.address_postal_code is invalid")));
            }
        }
        if let Some(m) = &self.mobile_number {
            if !is_e164(m) {
                return Err(ApiError::new(
                    bad_mobile,
                    format!("{field}.mobile_number is invalid"),
                ));
            }
        }
        Ok(())
    }
}

impl PartyReq {
    fn validate(&self, field: &str, bad_mobile: ErrorCode) -> Result<(), ApiError> {
        if self.mobile_number.is_none()
            && self.account_number.is_none()
            && self.account_qualifier.is_none()
        {
            return Err(bad(format!("{field} must have at least one field")));
        }
        if let Some(m) = &self.mobile_number {
            if !is_e164(m) {
                return Err(ApiError::new(
                    bad_mobile,
                    format!("{field}.mobile_number is invalid"),
                ));
            }
        }
        if let Some(a) = &self.account_number {
            if a.is_empty() || a.chars().count() > 90 || !non_blank(a) {
                return Err(bad(format!(
                    "{field}.account_number must be 1 to 90 characters"
                )));
            }
        }
        check_text(
            &format!("{field}.account_qualifier"),
            &self.account_qualifier,
        )
    }
}

/// Checks a create body against the schema's constraints (not the product).
pub(crate) fn validate_request(req: &CreateRequest) -> Result<(), ApiError> {
    let n = req.external_id.chars().count();
    if n == 0 || n > 40 || !non_blank(&req.external_id) {
        return Err(bad("external_id must be 1 to 40 characters"));
    }
    if req.product_id < 1 {
        return Err(bad("product_id must be at least 1"));
    }
    if let Some(mode) = &req.calculation_mode {
        if mode != "SOURCE_AMOUNT" && mode != "DESTINATION_AMOUNT" {
            return Err(bad(
                "calculation_mode must be SOURCE_AMOUNT or DESTINATION_AMOUNT",
            ));
        }
    }
    for (field, amount) in [("source", &req.source), ("destination", &req.destination)] {
        if let Some(a) = amount {
            if a.unit_type != "CURRENCY" {
                return Err(bad(format!("{field}.unit_type must be CURRENCY")));
            }
            if !non_blank(&a.unit) {
                return Err(bad(format!("{field}.unit must not be blank")));
            }
            if a.amount <= Decimal::ZERO {
                return Err(bad(format!("{field}.amount must be a positive number")));
            }
        }
    }
    if let Some(p) = &req.sender {
        p.validate("sender", ErrorCode::InvalidSenderMobileNumber)?;
    }
    if let Some(p) = &req.beneficiary {
        p.validate("beneficiary", ErrorCode::InvalidBeneficiaryMobileNumber)?;
    }
    if let Some(p) = &req.debit_party_identifier {
        p.validate(
            "debit_party_identifier",
            ErrorCode::InvalidDebitPartyMobileNumber,
        )?;
    }
    if let Some(p) = &req.credit_party_identifier {
        p.validate(
            "credit_party_identifier",
            ErrorCode::InvalidCreditPartyMobileNumber,
        )?;
    }
    if let Some(s) = &req.statement_identifier {
        if s.reference.is_none() && s.due_date.is_none() {
            return Err(bad("statement_identifier must have at least one field"));
        }
        check_text("statement_identifier.reference", &s.reference)?;
        if let Some(d) = &s.due_date {
            if NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(bad(
                    "statement_identifier.due_date must be a date (YYYY-MM-DD)",
                ));
            }
        }
    }
    if let Some(a) = &req.additional_identifier {
        match &a.purchaser_id {
            None => return Err(bad("additional_identifier must have at least one field")),
            Some(id) => {
                let ok = (8..=36).contains(&id.len())
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !ok {
                    return Err(bad("additional_identifier.purchaser_id is invalid"));
                }
            }
        }
    }
    if let Some(url) = &req.callback_url {
        let ok = reqwest::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return Err(bad("callback_url must be an absolute http(s) URL"));
        }
    }
    Ok(())
}

/// What a valid request for a product amounts to.
#[derive(Debug)]
pub(crate) struct Priced {
    /// Destination amount (what the beneficiary gets).
    pub(crate) dest: Decimal,
    pub(crate) requested: Value,
    pub(crate) adjusted: Value,
    /// Wholesale price plus fee: what the balance holds.
    pub(crate) hold: Decimal,
    /// The credit party identifier the suffix table reads.
    pub(crate) credit_value: Option<String>,
}

fn amount_json(unit: &str, amount: Decimal) -> Value {
    json!({"unit_type": "CURRENCY", "unit": unit, "amount": amount})
}

/// Checks a request against its product (parties, amounts) and prices it.
pub(crate) fn price(
    cat: &Catalog,
    p: &ProductDef,
    req: &CreateRequest,
) -> Result<Priced, ApiError> {
    let party = req.credit_party_identifier.as_ref();
    let credit_value = match p.credit_party {
        CreditParty::None => None,
        CreditParty::Mobile => {
            let Some(number) = party.and_then(|c| c.mobile_number.as_deref()) else {
                return Err(bad(
                    "credit_party_identifier.mobile_number is required for this product",
                ));
            };
            let country = p.country(cat);
            if !country.dial.is_empty()
                && Catalog::country_of_number(number).map(|c| COUNTRIES[c].iso3)
                    != Some(country.iso3)
            {
                return Err(ApiError::new(
                    ErrorCode::InvalidCreditPartyMobileNumber,
                    format!(
                        "Credit party mobile number is invalid: not a {} number",
                        country.name
                    ),
                ));
            }
            Some(number.to_string())
        }
        CreditParty::Account => {
            let Some(account) = party.and_then(|c| c.account_number.as_deref()) else {
                return Err(bad(
                    "credit_party_identifier.account_number is required for this product",
                ));
            };
            Some(account.to_string())
        }
    };
    if p.sender_names_required {
        let s = req.sender.as_ref();
        if s.and_then(|s| s.first_name.as_ref()).is_none()
            || s.and_then(|s| s.last_name.as_ref()).is_none()
        {
            return Err(bad(
                "sender.first_name and sender.last_name are required for this product",
            ));
        }
    }
    let (dest, requested, adjusted) = match p.dest {
        Amt::Fixed(d) => {
            let values = json!({
                "source": amount_json("USD", Catalog::source_for(p, d)),
                "destination": amount_json(p.dest_unit, d),
            });
            (d, values.clone(), values)
        }
        Amt::Range { min, max, inc } => {
            let Some(mode) = req.calculation_mode.as_deref() else {
                return Err(bad("calculation_mode is required for ranged products"));
            };
            if !p.calc_modes.contains(&mode) {
                return Err(bad(format!(
                    "calculation_mode {mode} is not accepted by this product"
                )));
            }
            let (dest, requested) = if mode == "SOURCE_AMOUNT" {
                let Some(src) = &req.source else {
                    return Err(bad("source is required with SOURCE_AMOUNT"));
                };
                if src.unit != "USD" {
                    return Err(ApiError::new(
                        ErrorCode::InvalidUnit,
                        "Requested product unit is invalid",
                    ));
                }
                let (lo, hi) = (Catalog::source_for(p, min), Catalog::source_for(p, max));
                if src.amount < lo || src.amount > hi {
                    return Err(ApiError::new(
                        ErrorCode::AmountOutOfRange,
                        "Requested product amount is out of range",
                    ));
                }
                let steps = (src.amount * p.rate_base / inc).floor();
                let dest = round2((steps * inc).clamp(min, max));
                (dest, json!({"source": amount_json("USD", src.amount)}))
            } else {
                let Some(dst) = &req.destination else {
                    return Err(bad("destination is required with DESTINATION_AMOUNT"));
                };
                if dst.unit != p.dest_unit {
                    return Err(ApiError::new(
                        ErrorCode::InvalidUnit,
                        "Requested product unit is invalid",
                    ));
                }
                // Exact: a destination is `min` plus a whole number of
                // steps, or `max` (both bounds are inclusive).
                if dst.amount < min
                    || dst.amount > max
                    || (dst.amount != max
                        && !inc.is_zero()
                        && !((dst.amount - min) % inc).is_zero())
                {
                    return Err(ApiError::new(
                        ErrorCode::AmountOutOfRange,
                        "Requested product amount is out of range",
                    ));
                }
                (
                    dst.amount,
                    json!({"destination": amount_json(p.dest_unit, dst.amount)}),
                )
            };
            let adjusted = json!({
                "source": amount_json("USD", Catalog::source_for(p, dest)),
                "destination": amount_json(p.dest_unit, dest),
            });
            (dest, requested, adjusted)
        }
    };
    let hold = Catalog::wholesale_for(p, dest) + p.fee;
    Ok(Priced {
        dest,
        requested,
        adjusted,
        hold,
        credit_value,
    })
}

// ---- the transaction record ---------------------------------------------

/// A transaction as the simulator keeps it.
#[derive(Debug)]
pub(crate) struct Tx {
    pub(crate) id: i64,
    pub(crate) external_id: String,
    pub(crate) product: usize,
    pub(crate) status: Status,
    pub(crate) created: DateTime<Utc>,
    pub(crate) expires: DateTime<Utc>,
    pub(crate) confirmed: Option<DateTime<Utc>>,
    pub(crate) plan: Plan,
    pub(crate) submit_at: Option<DateTime<Utc>>,
    pub(crate) final_at: Option<DateTime<Utc>>,
    pub(crate) hold: Decimal,
    pub(crate) dest: Decimal,
    pub(crate) requested: Value,
    pub(crate) adjusted: Value,
    pub(crate) sender: Value,
    pub(crate) beneficiary: Value,
    pub(crate) debit_party: Value,
    pub(crate) credit_party: Value,
    pub(crate) statement: Value,
    pub(crate) additional: Value,
    pub(crate) callback_url: Option<String>,
    pub(crate) operator_reference: Option<String>,
    pub(crate) pin: Option<(String, String)>,
}

fn to_json<T: Serialize>(v: &Option<T>) -> Value {
    v.as_ref()
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or(Value::Null)
}

impl Tx {
    pub(crate) fn new(
        id: i64,
        req: &CreateRequest,
        product: usize,
        p: &ProductDef,
        priced: Priced,
        now: DateTime<Utc>,
    ) -> Self {
        Tx {
            id,
            external_id: req.external_id.clone(),
            product,
            status: Status::Created,
            created: now,
            expires: now + chrono::TimeDelta::minutes(60),
            confirmed: None,
            plan: plan(p, priced.credit_value.as_deref()),
            submit_at: None,
            final_at: None,
            hold: priced.hold,
            dest: priced.dest,
            requested: priced.requested,
            adjusted: priced.adjusted,
            sender: to_json(&req.sender),
            beneficiary: to_json(&req.beneficiary),
            debit_party: to_json(&req.debit_party_identifier),
            credit_party: to_json(&req.credit_party_identifier),
            statement: to_json(&req.statement_identifier),
            additional: to_json(&req.additional_identifier),
            callback_url: req.callback_url.clone(),
            operator_reference: None,
            pin: None,
        }
    }

    pub(crate) fn class(&self) -> StatusClass {
        class_of(&self.status)
    }

    pub(crate) fn status_id(&self) -> i64 {
        status_id(&self.status).unwrap_or(0)
    }

    /// Whether the transaction still moves by itself (or by confirmation).
    pub(crate) fn is_active(&self) -> bool {
        matches!(
            self.class(),
            StatusClass::Created | StatusClass::Confirmed | StatusClass::Submitted
        )
    }

    pub(crate) fn json(&self, cat: &Catalog) -> Value {
        let p = &cat.products[self.product];
        let class = self.class();
        let date = |d: DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Millis, true);
        let mut v = json!({
            "id": self.id,
            "external_id": self.external_id,
            "creation_date": date(self.created),
            "confirmation_expiration_date": date(self.expires),
            "status": {
                "id": self.status_id(),
                "message": self.status.as_str(),
                "class": {"id": class.id(), "message": class.name()},
            },
            "operator_reference": self.operator_reference,
            "pin": match &self.pin {
                Some((code, serial)) => json!({"code": code, "serial": serial}),
                None => Value::Null,
            },
            "product": cat.transaction_product_json(p),
            "prices": Catalog::transaction_prices_json(p, self.dest),
            "rates": Catalog::rates_json(p),
            "benefits": cat.transaction_benefits_json(p, self.dest),
            "promotions": cat.product_promotions_json(p),
            "requested_values": self.requested,
            "adjusted_values": self.adjusted,
            "sender": self.sender,
            "beneficiary": self.beneficiary,
            "debit_party_identifier": self.debit_party,
            "credit_party_identifier": self.credit_party,
            "statement_identifier": self.statement,
            "additional_identifier": self.additional,
        });
        let obj = v.as_object_mut().expect("object");
        if let Some(c) = self.confirmed {
            obj.insert("confirmation_date".into(), json!(date(c)));
        }
        if let Some(url) = &self.callback_url {
            obj.insert("callback_url".into(), json!(url));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_status_has_an_id_in_its_class_range() {
        for name in Status::KNOWN {
            let status = Status::from(*name);
            let id = status_id(&status).unwrap_or_else(|| panic!("{name}"));
            let class = status.class().unwrap();
            assert_eq!(id / 10000, class.id(), "{name}");
        }
        let mut ids: Vec<i64> = Status::KNOWN
            .iter()
            .map(|n| status_id(&Status::from(*n)).unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Status::KNOWN.len(), "ids are unique");
    }

    #[test]
    fn e164() {
        assert!(is_e164("+6595123100"));
        assert!(!is_e164("6595123100"));
        assert!(!is_e164("+0595123100"));
        assert!(!is_e164("+12345"));
        assert!(!is_e164("+65951231001234567"));
    }
}
