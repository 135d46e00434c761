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
//! - **PostgreSQL away.** If the connection is lost (PostgreSQL stopped or restarting, the
//!   network gone), every call connects again and retries until PostgreSQL answers, with a
//!   pause growing to one second: the hub thread waits, so nothing is acknowledged
//!   meanwhile, phones keep their changes and show them waiting, and the relay goes on by
//!   itself once PostgreSQL is back (a commit in flight is applied again whole). `/api/health`
//!   says so meanwhile ([`PgStore::away`]). Errors other than a lost connection still stop
//!   the relay.
//! - Plain TCP without TLS (`NoTls`): meant for a database on the same host or a private
//!   network. TLS to a remote database is for a later change.
//! - After an erasure, the next start runs `VACUUM FULL` on the table ([`PgStore::compact`]):
//!   the table is rewritten into new files, so the erased rows leave its heap files. They stay
//!   in PostgreSQL's write-ahead log and in backups until those are recycled.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// Where and how to connect again after PostgreSQL went away.
    config: postgres::Config,
    /// The session with its prepared statements; `None` while PostgreSQL is away. `Store::get`
    /// and `scan_prefix` take `&self`, the client needs `&mut` for every query, and only the
    /// hub thread uses the store: a `RefCell` is enough.
    session: RefCell<Option<Session>>,
    staged: Staged,
    /// Since when PostgreSQL has been unreachable (0: it is not), for the relay's health.
    away: Arc<AtomicU64>,
}

/// One connection to PostgreSQL, holding the relay's lock, with its prepared statements.
struct Session {
    client: Client,
    get: Statement,
    scan_range: Statement,
    scan_from: Statement,
    upsert: Statement,
    delete: Statement,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(format!("PostgreSQL: {e}"))
}

/// Whether an error means the connection to PostgreSQL is gone (the server stopped or
/// restarts, the network dropped): the store then connects again and retries. Anything else
/// (a statement PostgreSQL refused, a wrong password) is an error the relay stops on.
fn connection_lost(e: &postgres::Error) -> bool {
    use std::error::Error as _;
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        // Class 08: connection exception; 57P01–57P03: the server shuts down, crashed, or
        // is still starting.
        let code = code.code();
        return code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03");
    }
    // No SQLSTATE: an I/O error on the socket (refused, reset, timed out).
    let mut source = e.source();
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
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

/// Why a session could not be opened.
enum OpenError {
    /// PostgreSQL is unreachable, or going down or up: try again later.
    Away(postgres::Error),
    /// Connecting again, the relay's lock is still held: by this relay's old session, which
    /// PostgreSQL has not yet noticed is gone (after a network failure), or by another relay.
    /// Either way nothing may be written: try again later.
    Locked,
    /// Anything else: stop.
    Fatal(StoreError),
}

impl From<postgres::Error> for OpenError {
    fn from(e: postgres::Error) -> Self {
        if connection_lost(&e) {
            OpenError::Away(e)
        } else {
            OpenError::Fatal(io(e))
        }
    }
}

/// How long a store waits between two attempts to reach PostgreSQL again: from
/// [`RETRY_FIRST`], doubling, up to [`RETRY_MOST`].
const RETRY_FIRST: Duration = Duration::from_millis(50);
const RETRY_MOST: Duration = Duration::from_secs(1);

/// How often the log says the relay is still waiting for PostgreSQL.
const AWAY_LOG_EVERY: Duration = Duration::from_secs(10);

impl Session {
    /// Connects, takes the relay's lock on the database (at start, waiting up to
    /// [`LOCK_WAIT`] for another relay's; connecting again, trying once), creates the table if
    /// absent and prepares the statements.
    fn open(config: &postgres::Config, again: bool) -> Result<Session, OpenError> {
        let mut client = config.connect(NoTls)?;
        // Notices off: "relation already exists" would be logged at every start.
        client.batch_execute(
            "SET synchronous_commit = on;
             SET client_min_messages = warning;",
        )?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            let row = client.query_one("SELECT pg_try_advisory_lock($1)", &[&RELAY_LOCK])?;
            if row.get::<_, bool>(0) {
                break;
            }
            if again || Instant::now() > deadline {
                return Err(OpenError::Locked);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Under the lock: two relays starting at once never race to create it.
        client.batch_execute(
            "CREATE TABLE IF NOT EXISTS linli_kv (key bytea PRIMARY KEY, value bytea NOT NULL)",
        )?;
        let get = client.prepare("SELECT value FROM linli_kv WHERE key = $1")?;
        let scan_range = client
            .prepare("SELECT key, value FROM linli_kv WHERE key >= $1 AND key < $2 ORDER BY key")?;
        let scan_from =
            client.prepare("SELECT key, value FROM linli_kv WHERE key >= $1 ORDER BY key")?;
        let upsert = client.prepare(
            "INSERT INTO linli_kv (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[])
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        let delete = client.prepare("DELETE FROM linli_kv WHERE key = ANY($1::bytea[])")?;
        Ok(Session {
            client,
            get,
            scan_range,
            scan_from,
            upsert,
            delete,
        })
    }

    fn rows(
        &mut self,
        statement: &Statement,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Entries, postgres::Error> {
        Ok(self
            .client
            .query(statement, params)?
            .into_iter()
            .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, Vec<u8>>(1)))
            .collect())
    }

    /// Applies `writes` in one transaction; returns once PostgreSQL committed it.
    fn apply(
        &mut self,
        writes: &BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    ) -> Result<(), postgres::Error> {
        let mut tx = self.client.transaction()?;
        // Written keys go in upserts of at most UPSERT_BYTES each (a store seeded at scale
        // commits hundreds of MB at once; one statement's parameters would all sit in memory
        // twice, and PostgreSQL takes at most 1 GB per parameter), all in the one transaction.
        let (mut keys, mut values, mut bytes) = (Vec::new(), Vec::new(), 0usize);
        let mut gone = Vec::new();
        for (k, v) in writes {
            match v {
                Some(v) => {
                    keys.push(k.as_slice());
                    values.push(v.as_slice());
                    bytes += k.len() + v.len();
                    if bytes >= UPSERT_BYTES {
                        tx.execute(&self.upsert, &[&keys, &values])?;
                        keys.clear();
                        values.clear();
                        bytes = 0;
                    }
                }
                None => gone.push(k.as_slice()),
            }
        }
        if !keys.is_empty() {
            tx.execute(&self.upsert, &[&keys, &values])?;
        }
        if !gone.is_empty() {
            tx.execute(&self.delete, &[&gone])?;
        }
        // With synchronous_commit on, COMMIT returns once the WAL record is flushed.
        tx.commit()
    }
}

impl PgStore {
    /// Connects to the database at `url`, creates the table if absent and takes the relay's
    /// lock on the database. Fails at once if PostgreSQL is unreachable (a relay does not
    /// start without its store). Must not be called from async code (see the module doc).
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut config: postgres::Config = url.parse().map_err(io)?;
        // An unreachable host fails in seconds, and a connection whose peer vanished without
        // a word (a cable, a crashed host) is noticed by TCP keepalives in about 40 s,
        // rather than a query waiting for hours.
        config
            .connect_timeout(Duration::from_secs(5))
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(20))
            .keepalives_interval(Duration::from_secs(5))
            .keepalives_retries(4);
        let session = match Session::open(&config, false) {
            Ok(s) => s,
            Err(OpenError::Away(e)) => return Err(io(e)),
            Err(OpenError::Fatal(e)) => return Err(e),
            Err(OpenError::Locked) => {
                return Err(StoreError::Io(
                    "another relay is using this PostgreSQL database (one relay per database)"
                        .into(),
                ));
            }
        };
        Ok(Self {
            config,
            session: RefCell::new(Some(session)),
            staged: Staged::default(),
            away: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Since when (milliseconds since the Unix epoch) PostgreSQL has been unreachable, 0 when
    /// it is not: shared with the relay's health endpoint.
    pub fn away(&self) -> Arc<AtomicU64> {
        self.away.clone()
    }

    /// Runs `f` on the session. If the connection to PostgreSQL is lost, before or during
    /// `f`, this connects again (waiting as long as it takes, with a growing pause up to
    /// [`RETRY_MOST`]) and runs `f` again: the hub thread waits meanwhile, so nothing is
    /// acknowledged while PostgreSQL is away, and everything waiting goes on once it is
    /// back. Any other error is returned (the relay stops).
    fn with_session<T>(
        &self,
        mut f: impl FnMut(&mut Session) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        let mut lost: Option<(Instant, Instant)> = None; // (since, last logged)
        let mut pause = RETRY_FIRST;
        loop {
            let mut slot = self.session.borrow_mut();
            let error = match slot.as_mut() {
                Some(session) => match f(session) {
                    Ok(v) => {
                        self.mark_back();
                        return Ok(v);
                    }
                    Err(e) if connection_lost(&e) => {
                        *slot = None;
                        e.to_string()
                    }
                    Err(e) => return Err(io(e)),
                },
                None => match Session::open(&self.config, true) {
                    Ok(session) => {
                        *slot = Some(session);
                        continue;
                    }
                    Err(OpenError::Away(e)) => e.to_string(),
                    Err(OpenError::Locked) => "PostgreSQL answers, but the relay's lock on the \
                        database is still held (by this relay's old session, or another relay)"
                        .to_string(),
                    Err(OpenError::Fatal(e)) => return Err(e),
                },
            };
            drop(slot);
            let now = Instant::now();
            match &mut lost {
                None => {
                    lost = Some((now, now));
                    self.mark_away();
                    tracing::warn!(
                        "PostgreSQL is unreachable ({error}); nothing is acknowledged until it \
                         is back, and the relay keeps trying"
                    );
                }
                Some((since, logged)) if now.duration_since(*logged) >= AWAY_LOG_EVERY => {
                    *logged = now;
                    tracing::warn!(
                        "still waiting for PostgreSQL after {:.0} s ({error})",
                        since.elapsed().as_secs_f64()
                    );
                }
                Some(_) => {}
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(RETRY_MOST);
        }
    }

    /// PostgreSQL answered: the store is no longer away (logged if it was).
    fn mark_back(&self) {
        let since = self.away.swap(0, Ordering::AcqRel);
        if since != 0 {
            tracing::warn!(
                "PostgreSQL is back after {:.1} s; the relay goes on",
                (crate::hub::now_ms() as u64).saturating_sub(since) as f64 / 1000.0
            );
        }
    }

    /// Records since when PostgreSQL is away, unless it already is.
    fn mark_away(&self) {
        let now = crate::hub::now_ms().max(1) as u64;
        let _ = self
            .away
            .compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire);
    }

    /// Whether PostgreSQL answers right now, without waiting for it: for the relay's health.
    /// An empty query on the session (at most two seconds), or, while PostgreSQL is away, one
    /// attempt to connect again. If it does not answer, the session is dropped and the store
    /// counts as away until a call reaches PostgreSQL again (this one or a later one).
    pub fn ping(&self) -> bool {
        let mut slot = self.session.borrow_mut();
        let alive = match slot.as_mut() {
            Some(s) => s.client.is_valid(Duration::from_secs(2)).is_ok(),
            None => match Session::open(&self.config, true) {
                Ok(s) => {
                    *slot = Some(s);
                    true
                }
                Err(_) => false,
            },
        };
        if alive {
            self.mark_back();
        } else {
            *slot = None;
            self.mark_away();
        }
        alive
    }

    /// The bytes the table takes on disk, with its index and its TOAST table.
    pub fn table_bytes(&self) -> Result<u64, StoreError> {
        self.with_session(|s| {
            s.client
                .query_one("SELECT pg_total_relation_size('linli_kv')", &[])
                .map(|row| row.get::<_, i64>(0).max(0) as u64)
        })
    }

    /// Commits what is staged, then rewrites the table (`VACUUM FULL`): deleted rows leave its
    /// files. Locks the table while it runs; slow on a large store.
    pub fn compact(&mut self) -> Result<(), StoreError> {
        self.commit()?;
        self.with_session(|s| s.client.batch_execute("VACUUM FULL linli_kv"))
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
}

impl Store for PgStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        if let Some(v) = self.staged.get(key) {
            return Ok(v.cloned());
        }
        self.with_session(|s| {
            let row = s.client.query_opt(&s.get, &[&key])?;
            Ok(row.map(|r| r.get::<_, Vec<u8>>(0)))
        })
    }

    fn scan_prefix(&self, prefix: &[u8]) -> Result<Entries, StoreError> {
        let end = prefix_end(prefix);
        let committed = self.with_session(|s| match &end {
            Some(end) => {
                let statement = s.scan_range.clone();
                s.rows(&statement, &[&prefix, &end.as_slice()])
            }
            None => {
                let statement = s.scan_from.clone();
                s.rows(&statement, &[&prefix])
            }
        })?;
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

    /// Applies the staged writes in one transaction. If PostgreSQL goes away before the
    /// commit is known to have landed, the same writes are applied again, whole, in a new
    /// transaction once it is back: the writes are puts and deletes of whole keys, so
    /// applying them twice leaves the same table.
    fn commit(&mut self) -> Result<(), StoreError> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let writes = self.staged.take();
        self.with_session(|s| s.apply(&writes))
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
