//! The relay's stores, behind `linli_shared::store::Store`:
//!
//! - [`RedbStore`] (the default): one redb file, `linli.redb`, in the data directory.
//! - [`PgStore`]: a table in a PostgreSQL database (`--store postgres://…`).
//!
//! [`AnyStore`] is the one the relay opened, as the hub holds it. Both pass the conformance
//! suite (`linli_shared::store::conformance`), both stage writes and make them durable in one
//! commit before the hub replies.

mod pg;
mod redb;

use std::path::Path;

use linli_shared::store::{Entries, Store, StoreError};

pub use self::pg::{PgStore, UPSERT_BYTES, is_url as is_postgres_url, prefix_end};
pub use self::redb::RedbStore;

/// Set by an erasure: the next start compacts the store ([`AnyStore::compact_if_pending`]),
/// so that the erased records leave its files.
pub const COMPACT_PENDING: &[u8] = b"relay/compact-pending";

/// The store the relay runs on.
pub enum AnyStore {
    Redb(RedbStore),
    /// Boxed: its client and prepared statements are several times the size of redb's handle.
    Postgres(Box<PgStore>),
}

impl AnyStore {
    /// Opens the store the configuration names: PostgreSQL at `store` if it is a
    /// `postgres://` URL, else the redb file in `data`. Blocking: never call it from async
    /// code (the PostgreSQL client runs a runtime of its own).
    pub fn open(store: Option<&str>, data: &Path) -> Result<Self, StoreError> {
        match store {
            Some(url) => Ok(Self::Postgres(Box::new(PgStore::open(url)?))),
            None => Ok(Self::Redb(RedbStore::open(data)?)),
        }
    }

    /// Compacts the store if an erasure asked for it since the last start (redb: compacts
    /// the file; PostgreSQL: `VACUUM FULL` of the table): `Some((bytes before, bytes
    /// after))` when it did.
    pub fn compact_if_pending(&mut self, data: &Path) -> Result<Option<(u64, u64)>, StoreError> {
        match self {
            Self::Redb(s) => s.compact_if_pending(&data.join("linli.redb")),
            Self::Postgres(s) => s.compact_if_pending(),
        }
    }

    /// Since when (milliseconds since the Unix epoch; 0 when it is not) the store has been
    /// unreachable: only PostgreSQL can be away and come back (redb's failures stop the relay).
    pub fn away(&self) -> Option<std::sync::Arc<std::sync::atomic::AtomicU64>> {
        match self {
            Self::Redb(_) => None,
            Self::Postgres(s) => Some(s.away()),
        }
    }

    /// Whether the store answers right now, without waiting for it (PostgreSQL: an empty
    /// query; redb: always).
    pub fn ping(&self) -> bool {
        match self {
            Self::Redb(_) => true,
            Self::Postgres(s) => s.ping(),
        }
    }

    /// What the store is, for the log.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::Redb(_) => "redb",
            Self::Postgres(_) => "PostgreSQL",
        }
    }
}

impl Store for AnyStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            Self::Redb(s) => s.get(key),
            Self::Postgres(s) => s.get(key),
        }
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError> {
        match self {
            Self::Redb(s) => s.scan_prefix(prefix),
            Self::Postgres(s) => s.scan_prefix(prefix),
        }
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        match self {
            Self::Redb(s) => s.put(key, value),
            Self::Postgres(s) => s.put(key, value),
        }
    }

    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
        match self {
            Self::Redb(s) => s.delete(key),
            Self::Postgres(s) => s.delete(key),
        }
    }

    fn delete_prefix(&mut self, prefix: &[u8]) -> Result<(), StoreError> {
        match self {
            Self::Redb(s) => s.delete_prefix(prefix),
            Self::Postgres(s) => s.delete_prefix(prefix),
        }
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        match self {
            Self::Redb(s) => s.commit(),
            Self::Postgres(s) => s.commit(),
        }
    }

    fn is_dirty(&self) -> bool {
        match self {
            Self::Redb(s) => s.is_dirty(),
            Self::Postgres(s) => s.is_dirty(),
        }
    }
}
