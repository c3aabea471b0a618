//! DVS API version 1.21.0 (feature `v1_21`).

crate::raw::dvs_version!("dvs_v1_21.rs", "DVS 1.21.0");

mod client;

pub use client::CreditParty;
