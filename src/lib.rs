#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
// Without a DVS version, the DVS facade's shared parts are unused.
#![cfg_attr(
    not(any(feature = "v1_21", feature = "v1_0")),
    allow(dead_code, unused_imports, unused_macros)
)]

mod client;
mod config;
mod convert;
mod error;
mod flows;
mod item;
pub(crate) mod open_enum;
mod page;
mod pin;
mod product;
mod raw;
mod status;
mod tls;
mod transaction;
mod transport;
mod validate;

pub use client::{Client, Operations};
pub use config::{ClientBuilder, Credentials, Environment, FromConfig};
pub use convert::Localized;
pub use error::{ApiErrorItem, Error, ErrorCode, ExistingTransaction, Outcome};
pub use item::{Item, Malformed};
pub use open_enum::{OpenEnum, UnknownValue};
pub use page::{Page, Paginator, RateLimit};
pub use pin::Pin;
pub use product::{Amount, AmountRange, AmountValue, AnyBenefitType, AnyProductType};
/// The exact decimal type of every amount, price, fee and rate.
pub use rust_decimal::Decimal;
pub use status::{Status, StatusClass};
pub use tls::http_client_builder;
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

/// Compile-time checks of the clients' promises.
#[cfg(test)]
mod promises {
    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}

    #[test]
    fn clients_are_clone_send_sync() {
        #[cfg(feature = "v1_21")]
        clone_send_sync::<crate::v1_21::Client>();
        #[cfg(feature = "v1_0")]
        clone_send_sync::<crate::v1_0::Client>();
        #[cfg(feature = "valuetopup")]
        clone_send_sync::<crate::valuetopup::Client>();
        send_sync::<crate::Error>();
    }

    fn send_sync<T: Send + Sync + 'static>() {}
}
