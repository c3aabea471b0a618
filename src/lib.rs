#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

#[cfg(feature = "v1_21")]
pub mod v1_21;

#[cfg(feature = "v1_0")]
pub mod v1_0;

#[cfg(test)]
#[path = "normalize/mod.rs"]
#[allow(dead_code)]
mod normalize;
