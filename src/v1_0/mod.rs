//! DVS API version 1.0.0 (feature `v1_0`).

/// The code generated from `openapi/dvs-1.0.0.json` (see `build.rs`).
#[allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    dead_code,
    unreachable_patterns,
    rustdoc::all
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/dvs_v1_0.rs"));
}

crate::raw::raw_module!(generated, "1.0.0");
