//! The relay's integration tests, each against a real relay process on a free port (and, for
//! the PostgreSQL store, a real PostgreSQL the tests start): one test binary, so the test
//! suite links once and compiles the helpers in `common/` once (`autotests = false` in
//! Cargo.toml; a new file here must be named below).

mod common;

mod durability;
mod hostile;
mod postgres;
mod protocol;
mod rate;
mod sizes;
