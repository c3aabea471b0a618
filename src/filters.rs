//! Filters of the list operations, validated before anything is sent.

use crate::{validate, AnyBenefitType, AnyProductType, Error, StatusClass};
use chrono::{DateTime, Utc};

/// Filters of `services`, `countries` and `operators`.
///
/// ```
/// let f = dvs::DiscoveryFilter::new().country("GTM").service(1).subservice(11);
/// assert!(f.validate().is_ok());
/// assert!(dvs::DiscoveryFilter::new().subservice(11).validate().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiscoveryFilter {
    /// Country code (ISO 3166-1 alpha-3, or `GXX`/`EXX`).
    pub country_iso_code: Option<String>,
    /// Service id.
    pub service_id: Option<i64>,
    /// Subservice id (needs `service_id`).
    pub subservice_id: Option<i64>,
}

impl DiscoveryFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only this country.
    pub fn country(mut self, iso_code: impl Into<String>) -> Self {
        self.country_iso_code = Some(iso_code.into());
        self
    }
    /// Only this service.
    pub fn service(mut self, id: i64) -> Self {
        self.service_id = Some(id);
        self
    }
    /// Only this subservice (set the service too).
    pub fn subservice(mut self, id: i64) -> Self {
        self.subservice_id = Some(id);
        self
    }
    /// Checks the values as DVS would.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(c) = &self.country_iso_code {
            validate::country_code("country_iso_code", c)?;
        }
        positive("service_id", self.service_id)?;
        positive("subservice_id", self.subservice_id)?;
        if self.subservice_id.is_some() && self.service_id.is_none() {
            return Err(Error::invalid("subservice_id", "needs service_id"));
        }
        Ok(())
    }
}

/// Filters of `promotions` and `campaigns`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PromotionFilter {
    /// Country code.
    pub country_iso_code: Option<String>,
    /// Operator id.
    pub operator_id: Option<i64>,
    /// Product id.
    pub product_id: Option<i64>,
    /// Preferred content language (`Accept-Language`), where the endpoint localizes.
    pub language: Option<String>,
}

impl PromotionFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only this country.
    pub fn country(mut self, iso_code: impl Into<String>) -> Self {
        self.country_iso_code = Some(iso_code.into());
        self
    }
    /// Only this operator.
    pub fn operator(mut self, id: i64) -> Self {
        self.operator_id = Some(id);
        self
    }
    /// Only this product.
    pub fn product(mut self, id: i64) -> Self {
        self.product_id = Some(id);
        self
    }
    /// Preferred content language, e.g. `es`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
    /// Checks the values as DVS would.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(c) = &self.country_iso_code {
            validate::country_code("country_iso_code", c)?;
        }
        positive("operator_id", self.operator_id)?;
        positive("product_id", self.product_id)
    }
}

/// Filters of `products`.
///
/// ```
/// # #[cfg(feature = "v1_21")] {
/// use dvs::v1_21::{BenefitType, ProductType};
/// use dvs::ProductFilter;
/// let f = ProductFilter::new()
///     .country("GTM")
///     .product_type(ProductType::FixedValueRecharge)
///     .benefit_types([BenefitType::Data, BenefitType::Sms]);
/// assert!(f.validate().is_ok());
/// assert_eq!(f.product_type.as_deref(), Some("FIXED_VALUE_RECHARGE"));
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProductFilter {
    /// Product type, as sent (the wire value of a version's `ProductType`).
    pub product_type: Option<String>,
    /// Service id.
    pub service_id: Option<i64>,
    /// Subservice id (needs `service_id`).
    pub subservice_id: Option<i64>,
    /// Tags (all given must match).
    pub tags: Vec<String>,
    /// Country code of the operator (`GXX` global, `EXX` Europe...).
    pub country_iso_code: Option<String>,
    /// Operator id.
    pub operator_id: Option<i64>,
    /// Products covering this country or subregion, global and regional ones included.
    pub region: Option<String>,
    /// Benefit types, as sent (wire values of a version's `BenefitType`).
    pub benefit_types: Vec<String>,
    /// Preferred content language (`Accept-Language`).
    pub language: Option<String>,
}

impl ProductFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only this type (a version's `ProductType`).
    pub fn product_type(mut self, t: impl AnyProductType) -> Self {
        self.product_type = Some(t.as_str().to_string());
        self
    }
    /// Only this service.
    pub fn service(mut self, id: i64) -> Self {
        self.service_id = Some(id);
        self
    }
    /// Only this subservice (set the service too).
    pub fn subservice(mut self, id: i64) -> Self {
        self.subservice_id = Some(id);
        self
    }
    /// Only products with these tags.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Self {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }
    /// Only this operator country.
    pub fn country(mut self, iso_code: impl Into<String>) -> Self {
        self.country_iso_code = Some(iso_code.into());
        self
    }
    /// Only this operator.
    pub fn operator(mut self, id: i64) -> Self {
        self.operator_id = Some(id);
        self
    }
    /// Products usable in this country or subregion.
    pub fn region(mut self, code: impl Into<String>) -> Self {
        self.region = Some(code.into());
        self
    }
    /// Only products with these benefit types (a version's `BenefitType`s).
    pub fn benefit_types<B: AnyBenefitType>(mut self, types: impl IntoIterator<Item = B>) -> Self {
        self.benefit_types = types.into_iter().map(|b| b.as_str().to_string()).collect();
        self
    }
    /// Preferred content language, e.g. `es`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
    /// Checks the values as DVS would.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(c) = &self.country_iso_code {
            validate::country_code("country_iso_code", c)?;
        }
        positive("service_id", self.service_id)?;
        positive("subservice_id", self.subservice_id)?;
        positive("operator_id", self.operator_id)?;
        if let Some(r) = &self.region {
            validate::region_code("region", r)?;
        }
        if self.subservice_id.is_some() && self.service_id.is_none() {
            return Err(Error::invalid("subservice_id", "needs service_id"));
        }
        if self
            .tags
            .iter()
            .any(|t| t.trim().is_empty() || t.contains(','))
        {
            return Err(Error::invalid("tags", "a tag is empty or contains a comma"));
        }
        Ok(())
    }

    pub(crate) fn tags_param(&self) -> Option<String> {
        (!self.tags.is_empty()).then(|| self.tags.join(","))
    }

    pub(crate) fn benefit_types_param(&self) -> Option<String> {
        (!self.benefit_types.is_empty()).then(|| {
            self.benefit_types
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
    }
}

/// Filters of `transactions`. Without dates or `external_id`, DVS returns the
/// transactions of the last 24 hours; a date window is at most 24 hours.
///
/// ```
/// let now = chrono::Utc::now();
/// let f = dvs::TransactionFilter::new().between(now - chrono::Duration::hours(2), now);
/// assert!(f.validate().is_ok());
/// let too_wide = dvs::TransactionFilter::new().between(now - chrono::Duration::hours(25), now);
/// assert!(too_wide.validate().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct TransactionFilter {
    /// Your reference.
    pub external_id: Option<String>,
    /// Product type, as sent (the wire value of a version's `ProductType`).
    pub product_type: Option<String>,
    /// Service id.
    pub service_id: Option<i64>,
    /// Subservice id.
    pub subservice_id: Option<i64>,
    /// Country code.
    pub country_iso_code: Option<String>,
    /// Operator id.
    pub operator_id: Option<i64>,
    /// Status class.
    pub status: Option<StatusClass>,
    /// Credit party mobile number (E.164).
    pub credit_party_mobile_number: Option<String>,
    /// Credit party account number.
    pub credit_party_account_number: Option<String>,
    /// Created at or after.
    pub from_date: Option<DateTime<Utc>>,
    /// Created at or before.
    pub to_date: Option<DateTime<Utc>>,
}

impl TransactionFilter {
    /// No filter (the last 24 hours).
    pub fn new() -> Self {
        Self::default()
    }
    /// Only the transaction with this reference.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }
    /// Only this product type (a version's `ProductType`).
    pub fn product_type(mut self, t: impl AnyProductType) -> Self {
        self.product_type = Some(t.as_str().to_string());
        self
    }
    /// Only this service.
    pub fn service(mut self, id: i64) -> Self {
        self.service_id = Some(id);
        self
    }
    /// Only this country.
    pub fn country(mut self, iso_code: impl Into<String>) -> Self {
        self.country_iso_code = Some(iso_code.into());
        self
    }
    /// Only this operator.
    pub fn operator(mut self, id: i64) -> Self {
        self.operator_id = Some(id);
        self
    }
    /// Only this status class.
    pub fn status(mut self, class: StatusClass) -> Self {
        self.status = Some(class);
        self
    }
    /// Only this credit party mobile number.
    pub fn credit_party_mobile_number(mut self, number: impl Into<String>) -> Self {
        self.credit_party_mobile_number = Some(number.into());
        self
    }
    /// Only this credit party account number.
    pub fn credit_party_account_number(mut self, number: impl Into<String>) -> Self {
        self.credit_party_account_number = Some(number.into());
        self
    }
    /// Created within `from..=to` (at most 24 hours).
    pub fn between(mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        self.from_date = Some(from);
        self.to_date = Some(to);
        self
    }
    /// Checks the values as DVS would.
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(e) = &self.external_id {
            validate::external_id(e)?;
        }
        if let Some(c) = &self.country_iso_code {
            validate::country_code("country_iso_code", c)?;
        }
        if let Some(m) = &self.credit_party_mobile_number {
            validate::mobile_number("credit_party_mobile_number", m)?;
        }
        if let Some(a) = &self.credit_party_account_number {
            if a.trim().is_empty() || a.chars().count() > 90 {
                return Err(Error::invalid(
                    "credit_party_account_number",
                    "must be 1 to 90 characters, not blank",
                ));
            }
        }
        positive("service_id", self.service_id)?;
        positive("subservice_id", self.subservice_id)?;
        positive("operator_id", self.operator_id)?;
        validate::date_window(self.from_date, self.to_date)
    }
}

fn positive(field: &'static str, v: Option<i64>) -> Result<(), Error> {
    match v {
        Some(n) if n < 1 => Err(Error::invalid(field, "must be at least 1")),
        _ => Ok(()),
    }
}
