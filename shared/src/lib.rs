//! # linli-shared: Linli's domain model and sans-IO sync core
//!
//! Everything here is pure: no sockets, no clock, no randomness, no storage engine. Callers
//! pass time (`now`), randomness (ids, seeds) and input as arguments and get effects back.
//! The same code runs natively in the relay (`server/`) and as WebAssembly in the app
//! (`app/`), and offline/online scenarios are tested deterministically on a simulated network
//! (`tests/convergence.rs`).
//!
//! - [`ids`], [`wire`]: automerge-repo's document ids and wire protocol (version "1").
//! - [`model`]: what each kind of document holds and the edits people make.
//! - [`deadline`]: three-colour answer windows, countdowns and escalation, clock as argument.
//! - [`policy`], [`rules`]: who may read which document, and which changes a person may make.
//! - [`relay`]: the relay's core (documents, connections, checks before storing).
//! - [`client`]: the device's core (documents on the phone, its link to the relay).
//! - [`store`]: the relay's storage contract and its conformance suite.
//!
//! How a change travels is told in ARCHITECTURE.md at the repository root.

pub mod client;
pub mod deadline;
pub mod docutil;
pub mod ids;
pub mod model;
pub mod policy;
pub mod relay;
pub mod rules;
pub mod store;
pub mod time;
pub mod wire;

pub use automerge;
