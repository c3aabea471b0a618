//! The embedded DVS sandbox simulator (`dvs::simulator`), tested through
//! HTTP only, on 127.0.0.1. Every response a test receives through
//! `support::Api` is validated against the response schema of its
//! operation and status in `openapi/dvs-1.21.0.json`.

#![cfg(all(feature = "simulator", feature = "v1_21"))]

#[path = "../src/normalize/mod.rs"]
#[allow(dead_code)]
mod normalize;

#[path = "facade_support/mod.rs"]
mod facade_support;

#[path = "simulator/support.rs"]
mod support;

#[path = "simulator/balance.rs"]
mod balance;
#[path = "simulator/catalog.rs"]
mod catalog;
#[path = "simulator/errors.rs"]
mod errors;
#[path = "simulator/faults.rs"]
mod faults;
#[path = "simulator/foreign.rs"]
mod foreign;
#[path = "simulator/header_case.rs"]
mod header_case;
#[path = "simulator/raw_client.rs"]
mod raw_client;
#[path = "simulator/safety.rs"]
mod safety;
#[path = "simulator/schema.rs"]
mod schema;
#[path = "simulator/transactions.rs"]
mod transactions;
