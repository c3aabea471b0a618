//! Maintenance commands for the `dvs` crate, run as `cargo xtask ...`:
//!
//! - `refresh`: brings the vendor's current OpenAPI spec in, proves that it
//!   still normalizes, generates and compiles, and reports what changed;
//! - `diff`: compares two OpenAPI 3.0 documents by DVS's compatibility policy.
//!
//! The spec normalization and the code generation are the crate's own
//! (`src/normalize/mod.rs`, `src/codegen.rs`), compiled in here by `#[path]`
//! exactly as `build.rs` does.

#![warn(missing_docs)]

#[path = "../../src/normalize/mod.rs"]
#[allow(dead_code, missing_docs)]
mod normalize;

#[path = "../../src/codegen.rs"]
#[allow(dead_code, missing_docs)]
mod codegen;

pub mod cli;
pub mod diff;
pub mod doc;
pub mod fetch;
pub mod ignore;
pub mod manifest;
pub mod pointer;
pub mod refresh;
pub mod report;
