//! Filters of the ValueTopup catalog calls.

use super::validate;
use crate::Error;

/// A product category (the `categoryId` filter of the product list).
///
/// ```
/// use dvs::valuetopup::Category;
/// assert_eq!(Category::GiftCard.id(), 6);
/// assert_eq!(Category::from_id(7), Some(Category::Esim));
/// assert_eq!(Category::from_id(3), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// 1: PINs.
    Pin,
    /// 2: real-time top-ups (RTR).
    Rtr,
    /// 4: bill payments.
    BillPay,
    /// 5: SIMs.
    Sim,
    /// 6: gift cards.
    GiftCard,
    /// 7: eSIMs.
    Esim,
}

impl Category {
    const ALL: [(i32, Category); 6] = [
        (1, Self::Pin),
        (2, Self::Rtr),
        (4, Self::BillPay),
        (5, Self::Sim),
        (6, Self::GiftCard),
        (7, Self::Esim),
    ];

    /// The id the API uses.
    pub fn id(self) -> i32 {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map(|(n, _)| *n)
            .expect("every category is in the table")
    }

    /// The category of an id, if documented.
    pub fn from_id(id: i32) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == id).map(|(_, c)| *c)
    }
}

/// Filters of [`Client::operators`](super::Client::operators).
///
/// ```
/// let filter = dvs::valuetopup::OperatorFilter::new().country("IN");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct OperatorFilter {
    /// One operator.
    pub operator_id: Option<i32>,
    /// The operators of one country (ISO code, e.g. `IN`).
    pub country_code: Option<String>,
}

impl OperatorFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// One operator.
    pub fn operator(mut self, id: i32) -> Self {
        self.operator_id = Some(id);
        self
    }

    /// The operators of one country.
    pub fn country(mut self, code: impl Into<String>) -> Self {
        self.country_code = Some(code.into());
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Some(id) = self.operator_id {
            validate::id("operator_id", id)?;
        }
        if let Some(c) = &self.country_code {
            validate::country(c)?;
        }
        Ok(())
    }
}

/// Filters of [`Client::products`](super::Client::products).
///
/// ```
/// use dvs::valuetopup::{Category, ProductFilter};
/// let filter = ProductFilter::new().country("JM").category(Category::Rtr);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct ProductFilter {
    /// The products of one operator.
    pub operator_id: Option<i32>,
    /// The products of one category.
    pub category: Option<Category>,
    /// The products of one country.
    pub country_code: Option<String>,
}

impl ProductFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// The products of one operator.
    pub fn operator(mut self, id: i32) -> Self {
        self.operator_id = Some(id);
        self
    }

    /// The products of one category.
    pub fn category(mut self, category: Category) -> Self {
        self.category = Some(category);
        self
    }

    /// The products of one country.
    pub fn country(mut self, code: impl Into<String>) -> Self {
        self.country_code = Some(code.into());
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Some(id) = self.operator_id {
            validate::id("operator_id", id)?;
        }
        if let Some(c) = &self.country_code {
            validate::country(c)?;
        }
        Ok(())
    }
}

/// Filters of [`Client::skus`](super::Client::skus) (every product but gift cards).
///
/// ```
/// let filter = dvs::valuetopup::SkuFilter::new().product(3101);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct SkuFilter {
    /// The SKUs of one product.
    pub product_id: Option<i32>,
    /// One SKU.
    pub sku_id: Option<i32>,
}

impl SkuFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// The SKUs of one product.
    pub fn product(mut self, id: i32) -> Self {
        self.product_id = Some(id);
        self
    }

    /// One SKU.
    pub fn sku(mut self, id: i32) -> Self {
        self.sku_id = Some(id);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Some(id) = self.product_id {
            validate::id("product_id", id)?;
        }
        if let Some(id) = self.sku_id {
            validate::id("sku_id", id)?;
        }
        Ok(())
    }
}

/// Filters and paging of [`Client::gift_card_skus`](super::Client::gift_card_skus).
///
/// ```
/// let filter = dvs::valuetopup::GiftCardSkuFilter::new().country("US").page_size(50);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct GiftCardSkuFilter {
    /// The SKUs of one product.
    pub product_id: Option<i32>,
    /// One SKU.
    pub sku_id: Option<i32>,
    /// The SKUs of one country (ISO code, e.g. `IN`).
    pub country_code: Option<String>,
    /// SKUs per page, 1 to 100 (the vendor's default is 100).
    pub page_size: Option<u32>,
    /// The cursor of the first page (a SKU id); from the start when absent.
    pub start_cursor: Option<i32>,
}

impl GiftCardSkuFilter {
    /// No filter, from the start, the vendor's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// The SKUs of one product.
    pub fn product(mut self, id: i32) -> Self {
        self.product_id = Some(id);
        self
    }

    /// One SKU.
    pub fn sku(mut self, id: i32) -> Self {
        self.sku_id = Some(id);
        self
    }

    /// The SKUs of one country.
    pub fn country(mut self, code: impl Into<String>) -> Self {
        self.country_code = Some(code.into());
        self
    }

    /// SKUs per page, 1 to 100.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Start at this cursor (a SKU id) instead of the beginning.
    pub fn start_cursor(mut self, cursor: i32) -> Self {
        self.start_cursor = Some(cursor);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Some(id) = self.product_id {
            validate::id("product_id", id)?;
        }
        if let Some(id) = self.sku_id {
            validate::id("sku_id", id)?;
        }
        if let Some(c) = &self.country_code {
            validate::country(c)?;
        }
        if let Some(n) = self.page_size {
            validate::page_size(n)?;
        }
        if let Some(c) = self.start_cursor {
            if c < 0 {
                return Err(Error::invalid("cursor", "must not be negative"));
            }
        }
        Ok(())
    }
}
