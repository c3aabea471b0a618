//! DVS API version 1.0.0 (feature `v1_0`).

/// The code generated from `openapi/dvs-1.0.0.json` (see `build.rs`).
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    dead_code,
    unreachable_patterns,
    unused_comparisons,
    rustdoc::all
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/dvs_v1_0.rs"));
}

crate::raw::raw_module!(
    generated,
    "DVS 1.0.0",
    crate::raw::dvs_notes!(),
    crate::transport::dvs_error_body
);

mod client;

/// The DVS 1.0.0 client (see [`crate::Client`] for the methods every
/// version has).
pub type Client = crate::Client<generated::Client>;
/// A transaction as DVS returns it (responses and callbacks).
pub use generated::types::Transaction;
/// A product, selected by its `type`; [`Product::Unknown`] keeps a type
/// this crate does not know (for example `RANGED_VALUE_PAYMENT`, which came
/// after 1.0.0) as raw JSON.
pub use generated::unions::Product;

/// Where a product may be sold relative to the operator's country.
pub use generated::open::AvailabilityZones as AvailabilityZone;
/// A benefit type (what a product delivers), open to types added later.
pub use generated::open::BenefitTypes as BenefitType;
/// What a benefit amount is measured in.
pub use generated::open::BenefitUnitTypes as BenefitUnitType;
/// A product type (a product's `type`), open to types added later.
pub use generated::open::ProductTypes as ProductType;
/// Unit of a period of time.
pub use generated::open::TimeUnits as TimeUnit;
/// What a monetary amount is measured in.
pub use generated::open::UnitTypes as UnitType;
/// Which side of a ranged transaction the caller fixes (a request-only,
/// closed list in 1.0.0).
pub use generated::types::CalculationModes as CalculationMode;

impl crate::AnyProductType for ProductType {}
impl crate::AnyBenefitType for BenefitType {}
