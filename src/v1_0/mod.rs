//! DVS API version 1.0.0 (feature `v1_0`).

crate::raw::dvs_version!("dvs_v1_0.rs", "DVS 1.0.0");

mod client;

/// Which side of a ranged transaction the caller fixes (a request-only,
/// closed list in 1.0.0).
pub use generated::types::CalculationModes as CalculationMode;
