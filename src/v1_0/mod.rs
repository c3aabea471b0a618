//! DVS API version 1.0.0 (feature `v1_0`).

/// The client and types generated from `openapi/dvs-1.0.0.json`.
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    dead_code,
    unreachable_patterns,
    rustdoc::all
)]
pub(crate) mod raw {
    include!(concat!(env!("OUT_DIR"), "/dvs_v1_0.rs"));
}
