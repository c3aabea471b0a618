//! Prepay Nation ValueTopup API v2 (feature `valuetopup`).

/// The code generated from `openapi/valuetopup-2.json` (see `build.rs`).
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
    include!(concat!(env!("OUT_DIR"), "/valuetopup_v2.rs"));
}

crate::raw::raw_module!(
    generated,
    "Prepay Nation ValueTopup API v2",
    "Every response is the `{responseCode, responseMessage, payLoad}` envelope; error \
     statuses decode as the operation's envelope too. Response types accept values outside \
     documented lengths and ranges."
);
