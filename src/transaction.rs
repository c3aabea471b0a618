//! Creating transactions: the request, validated before it is sent.

use crate::product::decimal;
use crate::{validate, AmountRange, Error};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

/// The party objects of a transaction request and the fields DVS defines
/// for each (both API versions; `additional_identifier` is 1.21.0 only).
const PARTIES: &[(&str, &[&str])] = &[
    ("credit_party_identifier", PARTY_IDENTIFIER),
    ("debit_party_identifier", PARTY_IDENTIFIER),
    ("sender", PERSON),
    ("beneficiary", PERSON),
    ("statement_identifier", &["reference", "due_date"]),
    ("additional_identifier", &["purchaser_id"]),
];

const PARTY_IDENTIFIER: &[&str] = &["mobile_number", "account_number", "account_qualifier"];

const PERSON: &[&str] = &[
    "last_name",
    "first_name",
    "middle_name",
    "nationality_country_iso_code",
    "mobile_number",
    "email",
    "address_text",
    "address_city",
    "address_country_iso_code",
    "address_postal_code",
];

/// How DVS processes a create or confirm (1.21.0; 1.0.0 has one mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Mode {
    /// DVS answers at once; the final status comes by polling or callback.
    #[default]
    Async,
    /// DVS holds the request up to 180 s to answer with a final status.
    Sync,
}

/// Which side of a ranged transaction the request fixes (the request's
/// `calculation_mode`; every API version has these two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CalculationMode {
    SourceAmount,
    DestinationAmount,
}

impl CalculationMode {
    fn as_str(self) -> &'static str {
        match self {
            Self::SourceAmount => "SOURCE_AMOUNT",
            Self::DestinationAmount => "DESTINATION_AMOUNT",
        }
    }
}

/// A transaction to create. `external_id` is your unique reference: it is
/// what makes a create safe to recover when its response is lost.
///
/// ```
/// let tx = dvs::NewTransaction::new("order-1042", 1234)
///     .credit_party_mobile_number("+6595123100")
///     .auto_confirm(true);
/// assert!(tx.validate().is_ok());
/// assert!(dvs::NewTransaction::new("", 1).validate().is_err());
/// assert!(dvs::NewTransaction::new("x", 1).credit_party_mobile_number("6595").validate().is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewTransaction {
    external_id: String,
    product_id: i64,
    auto_confirm: bool,
    calculation_mode: Option<CalculationMode>,
    source: Option<(String, String, Decimal)>,
    destination: Option<(String, String, Decimal)>,
    source_range: Option<AmountRange>,
    destination_range: Option<AmountRange>,
    callback_url: Option<String>,
    parties: Map<String, Value>,
}

impl NewTransaction {
    /// A transaction of `product_id` with your reference `external_id`
    /// (1 to 40 characters, unique in your account).
    pub fn new(external_id: impl Into<String>, product_id: i64) -> Self {
        Self {
            external_id: external_id.into(),
            product_id,
            auto_confirm: false,
            calculation_mode: None,
            source: None,
            destination: None,
            source_range: None,
            destination_range: None,
            callback_url: None,
            parties: Map::new(),
        }
    }

    /// Your reference.
    pub fn external_id(&self) -> &str {
        &self.external_id
    }

    /// The product.
    pub fn product_id(&self) -> i64 {
        self.product_id
    }

    /// Create and confirm in one call (default false: confirm separately
    /// within 60 minutes).
    pub fn auto_confirm(mut self, yes: bool) -> Self {
        self.auto_confirm = yes;
        self
    }

    /// For a ranged product: the sender pays `amount` of `unit` (e.g. `USD`).
    pub fn source_amount(mut self, unit: impl Into<String>, amount: Decimal) -> Self {
        self.calculation_mode = Some(CalculationMode::SourceAmount);
        self.source = Some(("CURRENCY".into(), unit.into(), amount));
        self
    }

    /// For a ranged product: the beneficiary gets `amount` of `unit`.
    ///
    /// ```
    /// use dvs::{AmountRange, Decimal, NewTransaction};
    /// let range = AmountRange::new(Some(Decimal::new(775, 2)), Some(Decimal::from(775)), Some(Decimal::ONE));
    /// let tx = NewTransaction::new("order-1", 7).credit_party_mobile_number("+50212345100")
    ///     .destination_range(Some(range));
    /// assert!(tx.clone().destination_amount("GTQ", Decimal::new(875, 2)).validate().is_ok());
    /// assert!(tx.destination_amount("GTQ", Decimal::from(25)).validate().is_err());
    /// ```
    pub fn destination_amount(mut self, unit: impl Into<String>, amount: Decimal) -> Self {
        self.calculation_mode = Some(CalculationMode::DestinationAmount);
        self.destination = Some(("CURRENCY".into(), unit.into(), amount));
        self
    }

    /// The range the product accepts for the source amount:
    /// [`NewTransaction::validate`], and so every create, refuses a source
    /// amount outside it before anything is sent. Set by a product's
    /// `new_transaction`.
    pub fn source_range(mut self, range: Option<AmountRange>) -> Self {
        self.source_range = range;
        self
    }

    /// The range the product accepts for the destination amount (see
    /// [`NewTransaction::source_range`]).
    pub fn destination_range(mut self, range: Option<AmountRange>) -> Self {
        self.destination_range = range;
        self
    }

    /// Where DVS posts status changes.
    pub fn callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// The beneficiary's mobile number (E.164), as most mobile products need.
    pub fn credit_party_mobile_number(self, number: impl Into<String>) -> Self {
        self.party_field("credit_party_identifier", "mobile_number", number.into())
    }

    /// The beneficiary's account number (bill payments).
    pub fn credit_party_account_number(self, number: impl Into<String>) -> Self {
        self.party_field("credit_party_identifier", "account_number", number.into())
    }

    /// Another field of a party object the product requires
    /// (`sender`, `beneficiary`, `debit_party_identifier`,
    /// `credit_party_identifier`, `statement_identifier`,
    /// `additional_identifier`), e.g. `("sender", "first_name", "Ana")`.
    /// A party or field name DVS does not define is refused by
    /// [`NewTransaction::validate`], before anything is sent.
    pub fn party_field(mut self, party: &str, field: &str, value: impl Into<String>) -> Self {
        let entry = self
            .parties
            .entry(party.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(o) = entry {
            o.insert(field.to_string(), Value::String(value.into()));
        }
        self
    }

    /// Checks what can be checked before sending.
    pub fn validate(&self) -> Result<(), Error> {
        validate::external_id(&self.external_id)?;
        if self.product_id < 1 {
            return Err(Error::invalid("product_id", "must be at least 1"));
        }
        for (party, fields) in &self.parties {
            let Some((party_name, known)) = PARTIES.iter().find(|(p, _)| p == party) else {
                return Err(Error::invalid(
                    "party",
                    format!(
                        "`{party}` is not a party of a transaction (one of {})",
                        PARTIES
                            .iter()
                            .map(|(p, _)| *p)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            };
            for (field, value) in fields.as_object().into_iter().flatten() {
                if !known.contains(&field.as_str()) {
                    return Err(Error::invalid(
                        party_name,
                        format!("unknown field `{field}` (DVS defines {})", known.join(", ")),
                    ));
                }
                if field == "mobile_number" {
                    let name = match party.as_str() {
                        "credit_party_identifier" => "credit_party_identifier.mobile_number",
                        "debit_party_identifier" => "debit_party_identifier.mobile_number",
                        "sender" => "sender.mobile_number",
                        _ => "beneficiary.mobile_number",
                    };
                    validate::mobile_number(name, value.as_str().unwrap_or_default())?;
                }
            }
        }
        for (what, amount, range) in [
            ("source", &self.source, &self.source_range),
            ("destination", &self.destination, &self.destination_range),
        ] {
            if let Some((_, unit, a)) = amount {
                validate::currency(
                    if what == "source" {
                        "source.unit"
                    } else {
                        "destination.unit"
                    },
                    unit,
                )?;
                let field = if what == "source" {
                    "source.amount"
                } else {
                    "destination.amount"
                };
                if *a <= Decimal::ZERO {
                    return Err(Error::invalid(field, "must be a positive number"));
                }
                if let Some(range) = range {
                    range.check_field(field, *a)?;
                }
            }
        }
        if let Some(url) = &self.callback_url {
            let parsed = reqwest::Url::parse(url)
                .map_err(|e| Error::invalid("callback_url", e.to_string()))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::invalid("callback_url", "must be http or https"));
            }
        }
        Ok(())
    }

    /// The names of the request's fields whose values differ from those of
    /// `shown`, a transaction as DVS returned it. Only what both carry is
    /// compared: the product, the requested amount of the side the request
    /// fixes (unit and amount), the calculation mode where the transaction
    /// shows it, and every party field the request sets that the transaction
    /// shows (mobile numbers compared without `+`, other text without case
    /// and surrounding white space). `auto_confirm` is not shown by DVS, and
    /// `callback_url` says where to report, not what is bought: neither is
    /// compared.
    pub(crate) fn differences(&self, shown: &Value) -> Vec<String> {
        let mut out = Vec::new();
        let shown_product = shown
            .pointer("/product/id")
            .or_else(|| shown.get("product_id"))
            .and_then(Value::as_i64);
        if shown_product.is_some_and(|p| p != self.product_id) {
            out.push("product_id".to_string());
        }
        if let (Some(mode), Some(shown_mode)) = (
            &self.calculation_mode,
            shown.get("calculation_mode").and_then(Value::as_str),
        ) {
            if mode.as_str() != shown_mode {
                out.push("calculation_mode".to_string());
            }
        }
        for (key, amount) in [("source", &self.source), ("destination", &self.destination)] {
            let Some((_, unit, amount)) = amount else {
                continue;
            };
            let Some(requested) = shown.get("requested_values").and_then(|r| r.get(key)) else {
                continue;
            };
            if let Some(u) = requested.get("unit").and_then(Value::as_str) {
                if u != unit {
                    out.push(format!("{key}.unit"));
                }
            }
            if let Some(a) = requested.get("amount").and_then(decimal) {
                // Numerically: `25` and `25.00` are the same amount.
                if a != *amount {
                    out.push(format!("{key}.amount"));
                }
            }
        }
        for (party, fields) in &self.parties {
            for (field, value) in fields.as_object().into_iter().flatten() {
                let Some(mine) = value.as_str() else {
                    continue;
                };
                let Some(theirs) = shown
                    .get(party)
                    .and_then(|p| p.get(field))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                let same = if field == "mobile_number" {
                    mine.trim().trim_start_matches('+') == theirs.trim().trim_start_matches('+')
                } else {
                    mine.trim().to_lowercase() == theirs.trim().to_lowercase()
                };
                if !same {
                    out.push(format!("{party}.{field}"));
                }
            }
        }
        out
    }

    /// The JSON body DVS expects.
    pub(crate) fn to_json(&self, with_callback: bool) -> Value {
        let mut body = json!({
            "external_id": self.external_id,
            "product_id": self.product_id,
            "auto_confirm": self.auto_confirm,
        });
        let o = body.as_object_mut().expect("object");
        if let Some(mode) = &self.calculation_mode {
            o.insert("calculation_mode".into(), json!(mode.as_str()));
        }
        for (key, amount) in [("source", &self.source), ("destination", &self.destination)] {
            if let Some((unit_type, unit, amount)) = amount {
                o.insert(
                    key.into(),
                    json!({"unit_type": unit_type, "unit": unit, "amount": amount}),
                );
            }
        }
        if with_callback {
            if let Some(url) = &self.callback_url {
                o.insert("callback_url".into(), json!(url));
            }
        }
        for (k, v) in &self.parties {
            o.insert(k.clone(), v.clone());
        }
        body
    }

    /// The body as a version's generated request type.
    pub(crate) fn to_request<T: serde::de::DeserializeOwned>(
        &self,
        with_callback: bool,
    ) -> Result<T, Error> {
        self.validate()?;
        let body = self.to_json(with_callback);
        serde_path_to_error::deserialize(body).map_err(|e| Error::InvalidInput {
            field: "transaction",
            reason: format!("at `{}`: {}", e.path(), e.inner()),
        })
    }
}
