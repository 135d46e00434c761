//! The store on PostgreSQL: one table, `linli_kv (key bytea primary key, value bytea not
//! null)`, created if absent, in the database `--store postgres://…` names.
//!
//! - Writes are staged in memory ([`Staged`]), as with redb; reads see them. [`Store::commit`]
//!   applies them in one transaction (an upsert of the written keys, one statement per
//!   16 MiB, and one delete of the deleted keys) and returns once PostgreSQL has
//!   committed it. The session sets `synchronous_commit = on` whatever the server's default,
//!   so "committed" means in PostgreSQL's write-ahead log on disk: a reply never
//!   acknowledges a change that is not.
//! - `bytea` compares as bytes (no collation), so the primary key's order is the store's key
//!   order; [`Store::scan_prefix`] is one bounded range on it.
//! - One relay process per database: the store holds a session-level advisory lock while it
//!   is open, and a second relay on the same database refuses to start (several relays on
//!   one database need the cross-relay notifications of issue 17's item 3, not built).
//! - The client is the synchronous `postgres` crate. It runs its own small Tokio runtime
//!   inside, so it must never be called from async code: the relay opens the store on a
//!   blocking thread and then only the hub thread touches it.
//! - Plain TCP without TLS (`NoTls`): meant for a database on the same host or a private
//!   network. TLS to a remote database is for a later change.
//! - After an erasure, the next start runs `VACUUM FULL` on the table ([`PgStore::compact`]):
//!   the table is rewritten into new files, so the erased rows leave its heap files. They stay
//!   in PostgreSQL's write-ahead log and in backups until those are recycled.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use linli_shared::store::{Entries, Staged, Store, StoreError};
use postgres::{Client, NoTls, Statement};

use super::COMPACT_PENDING;

/// The advisory lock a relay holds on its database (an arbitrary constant: "linli" in ASCII).
const RELAY_LOCK: i64 = 0x6c_69_6e_6c_69;

/// How long opening waits for another relay's lock to be let go (a relay killed a moment
/// ago: PostgreSQL notices its closed connection and releases its lock).
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Bytes of keys and values one upsert statement carries at most (see [`Store::commit`]).
pub const UPSERT_BYTES: usize = 16 << 20;

pub struct PgStore {
    /// `Store::get` and `scan_prefix` take `&self`; the client needs `&mut` for every query.
    /// Only the hub thread uses the store, so a `RefCell` is enough.
    client: RefCell<Client>,
    get: Statement,
    scan_range: Statement,
    scan_from: Statement,
    upsert: Statement,
    delete: Statement,
    staged: Staged,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(format!("PostgreSQL: {e}"))
}

/// The first key after every key that starts with `prefix`: `prefix` with its trailing 0xFF
/// bytes cut off and its last byte then incremented. `None` when there is no such key (an
/// empty prefix, or one of only 0xFF bytes): the range then has no upper bound.
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// Whether `url` names a PostgreSQL database (`postgres://…` or `postgresql://…`).
pub fn is_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl PgStore {
    /// Connects to the database at `url`, creates the table if absent and takes the relay's
    /// lock on the database. Must not be called from async code (see the module doc).
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(io)?;
        // Notices off: "relation already exists" would be logged at every start.
        client
            .batch_execute(
                "SET synchronous_commit = on;
                 SET client_min_messages = warning;",
            )
            .map_err(io)?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            let row = client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&RELAY_LOCK])
                .map_err(io)?;
            if row.get::<_, bool>(0) {
                break;
            }
            if Instant::now() > deadline {
                return Err(StoreError::Io(
                    "another relay is using this PostgreSQL database (one relay per database)"
                        .into(),
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Under the lock: two relays starting at once never race to create it.
        client
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS linli_kv (key bytea PRIMARY KEY, value bytea NOT NULL)",
            )
            .map_err(io)?;
        let get = client
            .prepare("SELECT value FROM linli_kv WHERE key = $1")
            .map_err(io)?;
        let scan_range = client
            .prepare("SELECT key, value FROM linli_kv WHERE key >= $1 AND key < $2 ORDER BY key")
            .map_err(io)?;
        let scan_from = client
            .prepare("SELECT key, value FROM linli_kv WHERE key >= $1 ORDER BY key")
            .map_err(io)?;
        let upsert = client
            .prepare(
                "INSERT INTO linli_kv (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[])
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .map_err(io)?;
        let delete = client
            .prepare("DELETE FROM linli_kv WHERE key = ANY($1::bytea[])")
            .map_err(io)?;
        Ok(Self {
            client: RefCell::new(client),
            get,
            scan_range,
            scan_from,
            upsert,
            delete,
            staged: Staged::default(),
        })
    }

    /// The bytes the table takes on disk, with its index and its TOAST table.
    pub fn table_bytes(&self) -> Result<u64, StoreError> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT pg_total_relation_size('linli_kv')", &[])
            .map_err(io)?;
        Ok(row.get::<_, i64>(0).max(0) as u64)
    }

    /// Commits what is staged, then rewrites the table (`VACUUM FULL`): deleted rows leave its
    /// files. Locks the table while it runs; slow on a large store.
    pub fn compact(&mut self) -> Result<(), StoreError> {
        self.commit()?;
        self.client
            .borrow_mut()
            .batch_execute("VACUUM FULL linli_kv")
            .map_err(io)
    }

    /// Compacts the table if an erasure asked for it since the last start: `Some((bytes
    /// before, bytes after))` when it did.
    pub fn compact_if_pending(&mut self) -> Result<Option<(u64, u64)>, StoreError> {
        if self.get(COMPACT_PENDING)?.is_none() {
            return Ok(None);
        }
        let before = self.table_bytes()?;
        self.delete(COMPACT_PENDING)?;
        self.compact()?;
        Ok(Some((before, self.table_bytes()?)))
    }

    fn rows(
        &self,
        statement: &Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Entries, StoreError> {
        let rows = self
            .client
            .borrow_mut()
            .query(statement, params)
            .map_err(io)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, Vec<u8>>(1)))
            .collect())
    }
}

impl Store for PgStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(v) = self.staged.get(key) {
            return Ok(v.cloned());
        }
        let row = self
            .client
            .borrow_mut()
            .query_opt(&self.get, &[&key])
            .map_err(io)?;
        Ok(row.map(|r| r.get::<_, Vec<u8>>(0)))
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError> {
        let committed = match prefix_end(prefix) {
            Some(end) => self.rows(&self.scan_range, &[&prefix, &end.as_slice()])?,
            None => self.rows(&self.scan_from, &[&prefix])?,
        };
        Ok(self.staged.overlay(prefix, committed))
    }

    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.staged.put(key, value);
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
        self.staged.delete(key);
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let writes = self.staged.take();
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(io)?;
        // Written keys go in upserts of at most UPSERT_BYTES each (a store seeded at scale
        // commits hundreds of MB at once; one statement's parameters would all sit in memory
        // twice, and PostgreSQL takes at most 1 GB per parameter), all in the one transaction.
        let (mut keys, mut values, mut bytes) = (Vec::new(), Vec::new(), 0usize);
        let mut gone = Vec::new();
        for (k, v) in &writes {
            match v {
                Some(v) => {
                    keys.push(k.as_slice());
                    values.push(v.as_slice());
                    bytes += k.len() + v.len();
                    if bytes >= UPSERT_BYTES {
                        tx.execute(&self.upsert, &[&keys, &values]).map_err(io)?;
                        keys.clear();
                        values.clear();
                        bytes = 0;
                    }
                }
                None => gone.push(k.as_slice()),
            }
        }
        if !keys.is_empty() {
            tx.execute(&self.upsert, &[&keys, &values]).map_err(io)?;
        }
        if !gone.is_empty() {
            tx.execute(&self.delete, &[&gone]).map_err(io)?;
        }
        // With synchronous_commit on, COMMIT returns once the WAL record is flushed.
        tx.commit().map_err(io)?;
        Ok(())
    }

    fn is_dirty(&self) -> bool {
        !self.staged.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_ends_at_its_last_byte_below_0xff_plus_one() {
        assert_eq!(prefix_end(b"p/"), Some(b"p0".to_vec()));
        assert_eq!(prefix_end(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xFF, 0xFF]), None);
        assert_eq!(prefix_end(b""), None);
        assert!(is_url("postgres://u@h/db") && is_url("postgresql://h/db"));
        assert!(!is_url("./data"));
    }
}
