//! # linli-shared: Linli's domain model and sans-IO sync core
//!
//! Everything here is pure: no sockets, no clock, no randomness, no storage engine. Callers
//! pass time (`now`), randomness (ids, seeds) and input as arguments and get effects back.
//! The same code runs natively in the relay (`server/`) and as WebAssembly in the app
//! (`app/`), and offline/online scenarios are tested deterministically on a simulated network
//! (`tests/convergence.rs`).
//!
//! - [`ids`], [`wire`]: automerge-repo's document ids and wire protocol (version "1").
//! - [`api`]: the relay's HTTP API types, close codes and refusal codes, for both sides.
//! - [`domain`]: every kind of document, one folder each (what it holds, the edits people
//!   make, who may read and write it, its summary), and the registry that lists them.
//! - [`policy`], [`rules`]: who a person is to the relay, and the rules engine that resolves
//!   changes to fields and asks the document's kind whether the writer may make them.
//! - [`relay`]: the relay's core (documents, connections, checks before storing).
//! - [`client`]: the device's core (documents on the phone, its link to the relay).
//! - [`export`]: the registers as CSV files (personal data only where the exporter may see it).
//! - [`open311`]: the open read API's answers (Open311 GeoReport v2): requests without
//!   personal data, its query and its date format.
//! - [`pii`]: the guard against personal data (phone, ID and bank card numbers, plates) in
//!   text others will see.
//! - [`store`]: the relay's storage contract and its conformance suite.
//! - [`cases`]: the local case library 本地化案例库 and its matching to open problems.
//!
//! How a change travels is told in ARCHITECTURE.md at the repository root.

pub mod api;
pub mod cases;
pub mod client;
pub mod docutil;
pub mod domain;
pub mod export;
pub mod ids;
pub mod indicators;
pub mod open311;
pub mod pii;
pub mod policy;
pub mod relay;
pub mod report;
pub mod rules;
pub mod store;
pub mod time;
pub mod wire;

pub use automerge;
