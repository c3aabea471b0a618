//! The product categories of the ValueTopup catalog.

use super::raw::types;

/// A product category (the `categoryId` filter of the product list:
/// `client.products(|q| q.category_id(Category::Rtr))`).
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

/// A category as the `category_id` of the product list's query.
impl From<Category> for types::CategoryId {
    fn from(category: Category) -> Self {
        Self::try_from(category.id()).expect("every category is documented")
    }
}
