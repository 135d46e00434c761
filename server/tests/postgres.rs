//! The PostgreSQL store against a real PostgreSQL the test starts itself (see
//! `common/pg.rs`): the storage contract every store passes, and the compaction after an
//! erasure.

use crate::common;

use common::pg::Cluster;
use linli_server::store::{COMPACT_PENDING, PgStore};
use linli_shared::store::Store;

#[test]
fn pg_store_passes_the_conformance_suite() {
    let Some(pg) = Cluster::start() else {
        return;
    };
    let url = pg.database("conformance");
    linli_shared::store::conformance::run(|| PgStore::open(&url).unwrap());
}

#[test]
fn scans_under_a_prefix_of_0xff_bytes_reach_the_last_key() {
    let Some(pg) = Cluster::start() else {
        return;
    };
    let mut s = PgStore::open(&pg.database("edges")).unwrap();
    for k in [
        &[0xFE, 0xFF][..],
        &[0xFF],
        &[0xFF, 0x00],
        &[0xFF, 0xFF, 0xFF],
        b"a",
    ] {
        s.put(k, k).unwrap();
    }
    s.commit().unwrap();
    let keys = |p: &[u8]| -> Vec<Vec<u8>> {
        s.scan_prefix(p)
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    };
    assert_eq!(
        keys(&[0xFF]),
        [vec![0xFF], vec![0xFF, 0x00], vec![0xFF, 0xFF, 0xFF]]
    );
    assert_eq!(keys(&[0xFF, 0xFF]), [vec![0xFF, 0xFF, 0xFF]]);
    assert_eq!(keys(&[0xFE]), [vec![0xFE, 0xFF]]);
    assert_eq!(keys(b"").len(), 5, "the empty prefix scans everything");
}

#[test]
fn a_commit_larger_than_one_statement_lands_whole() {
    let Some(pg) = Cluster::start() else {
        return;
    };
    let url = pg.database("large");
    let mut s = PgStore::open(&url).unwrap();
    s.put(b"gone", b"x").unwrap();
    s.commit().unwrap();
    // Past one statement's worth: two upserts.
    let n = linli_server::store::UPSERT_BYTES / (1 << 20) + 2;
    for i in 0..n {
        s.put(format!("big/{i:03}").as_bytes(), &vec![i as u8; 1 << 20])
            .unwrap();
    }
    s.delete(b"gone").unwrap();
    s.commit().unwrap();
    drop(s);
    let s = PgStore::open(&url).unwrap();
    let big = s.scan_prefix(b"big/").unwrap();
    assert_eq!(big.len(), n);
    assert!(
        big.iter()
            .enumerate()
            .all(|(i, (_, v))| v.len() == 1 << 20 && v[0] == i as u8)
    );
    assert_eq!(s.get(b"gone").unwrap(), None);
}

#[test]
fn a_second_relay_on_the_same_database_is_refused() {
    let Some(pg) = Cluster::start() else {
        return;
    };
    let url = pg.database("lock");
    let first = PgStore::open(&url).unwrap();
    let second = PgStore::open(&url)
        .err()
        .expect("refused while the first is open");
    assert!(second.to_string().contains("another relay"), "{second}");
    drop(first);
    PgStore::open(&url).expect("open once the first let go");
}

/// How many times `needle` occurs in the files of a database's directory (its tables and
/// indexes; not the write-ahead log), after a checkpoint wrote every dirty page out.
fn occurrences_on_disk(pg: &Cluster, url: &str, needle: &[u8]) -> usize {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).unwrap();
    admin.batch_execute("CHECKPOINT").unwrap();
    let oid: u32 = admin
        .query_one(
            "SELECT oid FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .unwrap()
        .get(0);
    std::fs::read_dir(pg.data_dir().join("base").join(oid.to_string()))
        .unwrap()
        .flatten()
        .map(|f| std::fs::read(f.path()).unwrap_or_default())
        .map(|bytes| bytes.windows(needle.len()).filter(|w| *w == needle).count())
        .sum()
}

#[test]
fn a_compaction_asked_for_by_an_erasure_takes_deleted_records_out_of_the_table_files_once() {
    let Some(pg) = Cluster::start() else {
        return;
    };
    let url = pg.database("vacuum");
    let mut store = PgStore::open(&url).unwrap();
    let secret = "王秀英 13812345678 7-2-301";
    for i in 0..2_000 {
        let v = format!("{secret} {i:06} {}", "x".repeat(200));
        store
            .put(format!("doc/{i:06}").as_bytes(), v.as_bytes())
            .unwrap();
    }
    store.put(b"keep", b"still here").unwrap();
    store.commit().unwrap();
    store.delete_prefix(b"doc/").unwrap();
    store.commit().unwrap();
    let count = || occurrences_on_disk(&pg, &url, secret.as_bytes());
    assert!(
        count() > 0,
        "deleted rows stay in the heap files until vacuumed"
    );
    assert_eq!(store.compact_if_pending().unwrap(), None, "not asked for");
    store.put(COMPACT_PENDING, b"").unwrap();
    store.commit().unwrap();
    let (before, after) = store.compact_if_pending().unwrap().unwrap();
    assert!(after < before / 4, "{before} → {after}");
    assert_eq!(
        count(),
        0,
        "none of the deleted rows is left in the table's files"
    );
    assert_eq!(
        store.get(b"keep").unwrap().as_deref(),
        Some(&b"still here"[..])
    );
    assert_eq!(store.compact_if_pending().unwrap(), None, "once");
}

/// The relay's own start on PostgreSQL, inside an async runtime (the test's, single-threaded):
/// the store is opened off the runtime, the community is seeded on the hub thread, the token
/// key stays in the data directory, and a second start over the same database (once the first
/// let go of it) finds the community seeded and issues no new first-staff invite.
#[tokio::test]
async fn the_relay_starts_on_postgres_from_async_code_and_finds_its_community_again() {
    let Some(pg) = Cluster::start_blocking() else {
        return;
    };
    let url = pg.database("relay");
    let dir = tempfile::tempdir().unwrap();
    let config = linli_server::config::Config {
        data: dir.path().to_path_buf(),
        store: Some(url),
        dist: None,
        ..Default::default()
    };
    let first = linli_server::start(config.clone()).await.unwrap();
    assert!(first.bootstrap_code.is_some(), "a fresh store");
    let records = first
        .state
        .hub
        .call(|ctx| ctx.store.scan_prefix(b"relay/").unwrap().len())
        .await
        .unwrap();
    assert!(records > 0, "the relay's records are in PostgreSQL");
    assert!(dir.path().join("token.key").is_file());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "and nothing else"
    );
    drop(first);
    // The first hub lets go of its connection as its thread ends; the second start waits
    // for the database's lock (a bounded wait).
    let second = linli_server::start(config).await.unwrap();
    assert_eq!(second.bootstrap_code, None, "the same community");
}
