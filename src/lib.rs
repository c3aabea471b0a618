#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
// Without a DVS version, the DVS facade's shared parts are unused.
#![cfg_attr(
    not(any(feature = "v1_21", feature = "v1_0")),
    allow(dead_code, unused_imports)
)]

mod config;
mod convert;
mod error;
mod filters;
mod flows;
mod open_enum;
mod page;
mod pin;
mod product;
mod raw;
mod shared_ops;
mod status;
mod transaction;
mod transport;
mod validate;

pub use config::{ClientBuilder, Credentials, Environment, FromConfig};
pub use convert::Localized;
pub use error::{ApiErrorItem, Error, ErrorCode, Outcome};
pub use filters::{DiscoveryFilter, ProductFilter, PromotionFilter, TransactionFilter};
pub use page::{Page, Paginator, RateLimit};
pub use pin::Pin;
pub use product::{Amount, AmountValue, BenefitType, CalculationMode, ProductType};
pub use status::{Status, StatusClass};
pub use transaction::{Mode, NewTransaction};
pub use transport::{CallSettings, RetryPolicy, Timeouts};

#[cfg(feature = "v1_21")]
pub mod v1_21;

#[cfg(feature = "v1_0")]
pub mod v1_0;

#[cfg(feature = "valuetopup")]
pub mod valuetopup;

#[cfg(feature = "simulator")]
pub mod simulator;
