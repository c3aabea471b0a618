//! What every version module shares about its generated client.

/// What the DVS fixups change, for the `raw` module docs of a DVS version.
macro_rules! dvs_notes {
    () => {
        "Differences from the vendor's document, made on purpose (see the \
fixups in the crate's `normalize` source): error statuses decode as the DVS error body \
(`types::Errors`); transaction request bodies use `TransactionRequest`; response types accept \
unknown fields, unknown enum values (the `Unknown` variant of the open enums of `open`) and values \
outside documented patterns; structs are `#[non_exhaustive]` (build them with their builders); \
`tags` and `benefit_types` take one comma-separated string; `Product` is an enum selected by \
`type` with an `Unknown` variant."
    };
}
pub(crate) use dvs_notes;

/// Declares what a DVS version module shares with the others: its generated
/// code and `raw` module, its client, its transaction and product types and
/// the open enums under their facade names.
macro_rules! dvs_version {
    ($file:literal, $version:literal) => {
        $crate::raw::raw_module!(
            include $file,
            $version,
            $crate::raw::dvs_notes!(),
            $crate::transport::dvs_error_body
        );

        #[doc = concat!("The ", $version, " client (see [`crate::Client`] for the methods every version has).")]
        pub type Client = $crate::Client<generated::Client>;
        /// A transaction as DVS returns it (responses and callbacks).
        pub use generated::types::Transaction;
        /// A product, selected by its `type`; [`Product::Unknown`] keeps a
        /// type this crate does not know as raw JSON.
        pub use generated::unions::Product;
        pub use generated::open_names::*;

        impl $crate::AnyProductType for ProductType {}
        impl $crate::AnyBenefitType for BenefitType {}
    };
}
pub(crate) use dvs_version;

/// Declares a version's public `raw` module over its private `generated`
/// module, and the client hooks every generated client gets. With
/// `include "file.rs"`, it first declares `generated` as that file of
/// `OUT_DIR`.
macro_rules! raw_module {
    (include $file:literal, $version:literal, $notes:expr, $error_body:path) => {
        /// The code generated from the version's spec (see `build.rs`).
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
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }

        $crate::raw::raw_module!(generated, $version, $notes, $error_body);
    };
    ($generated:ident, $version:literal, $notes:expr, $error_body:path) => {
        /// The low-level client generated from the vendored OpenAPI spec of
        #[doc = concat!($version, ".")]
        ///
        /// One method per operation (`client.get_products().per_page(100).send()`),
        /// request and response types as the normalized spec declares them.
        /// Its shape follows the code generator: prefer the facade where it
        /// covers what you need.
        ///
        #[doc = $notes]
        pub mod raw {
            pub use super::$generated::builder;
            pub use super::$generated::open;
            pub use super::$generated::types;
            pub use super::$generated::unions;
            pub use super::$generated::{ByteStream, Client, ClientInfo, Error, ResponseValue};
        }

        /// Timeouts, retries and pacing from the client's [`CallSettings`](crate::CallSettings);
        /// the generator's `api-version` header is dropped (see
        /// [`CallSettings`](crate::CallSettings)).
        impl progenitor_client::ClientHooks<crate::transport::CallSettings> for $generated::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo as _;
                self.inner()
                    .prepare(request, info.operation_id, $generated::QUERY_BOUNDS)
                    .map_err(progenitor_client::Error::InvalidRequest)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                use progenitor_client::ClientInfo as _;
                self.inner()
                    .execute(self.client(), request, info.operation_id, $error_body)
                    .await
            }
        }
    };
}
pub(crate) use raw_module;
