//! Acknowledged means durable: a change the relay has confirmed survives `kill -9` of the
//! relay process (it commits, fsync or PostgreSQL's commit, before it replies). The same
//! scenario runs on each store: the embedded redb file and PostgreSQL. And while PostgreSQL
//! is away, the relay acknowledges nothing, then goes on by itself once it is back.

use crate::common;

use axum::http::StatusCode;
use common::*;
use linli_shared::domain::requests::{Colour, Filing, RequestDraft};
use linli_shared::ids::DocumentId;

#[tokio::test]
async fn every_change_the_relay_confirmed_survives_kill_9() {
    survives_kill_9(&[]).await;
}

#[tokio::test]
async fn every_change_the_relay_confirmed_on_postgres_survives_kill_9() {
    let Some(pg) = pg::Cluster::start_blocking() else {
        return;
    };
    let url = pg.database("durability");
    survives_kill_9(&["--store", &url]).await;
}

/// Files a request (the `n`th) from `dev`'s phone and sends it; returns its id.
async fn file(dev: &TestDevice, conn: &mut Conn, household: &str, n: i64) -> DocumentId {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    let id = DocumentId::from_bytes(b);
    let draft = RequestDraft {
        title: format!("第{n}条"),
        description: String::new(),
        category: "other".into(),
        colour: Some(Colour::Blue),
        grid: "g07".into(),
        photos: Vec::new(),
    };
    let filing = Filing {
        filed_by: dev.person(),
        subject: dev.person(),
        household: household.to_string(),
    };
    conn.change(id, |d| {
        linli_shared::domain::requests::file_request(d, &draft, &filing, now_ms() + n)
    })
    .await;
    id
}

/// Runs a blocking step of the test cluster (stopping or restarting it) off the runtime.
async fn on_blocking_thread(mut pg: pg::Cluster, step: fn(&mut pg::Cluster)) -> pg::Cluster {
    tokio::task::spawn_blocking(move || {
        step(&mut pg);
        pg
    })
    .await
    .unwrap()
}

/// The relay process's resident memory (Linux's `VmRSS`).
fn relay_rss_bytes(relay: &ProcessRelay) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", relay.child.id())).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb * 1024
}

/// Sends up to `count` binary frames of `size` bytes, stopping at the first the socket does
/// not take within 2 s (the peer stopped reading); returns (frames sent, count).
async fn send_until_it_stalls(conn: &mut Conn, size: usize, count: usize) -> (usize, usize) {
    use futures_util::SinkExt;
    for i in 0..count {
        let frame = tokio_tungstenite::tungstenite::Message::Binary(vec![0x5a; size].into());
        let sent = tokio::time::timeout(std::time::Duration::from_secs(2), conn.ws.send(frame));
        if !matches!(sent.await, Ok(Ok(()))) {
            return (i, count);
        }
    }
    (count, count)
}

/// How long PostgreSQL stays away in the test below (the 30 s).
const PG_AWAY_SECS: u64 = 30;

/// PostgreSQL stops for 30 s under a running relay. Meanwhile the relay acknowledges nothing
/// (the phone's request stays unconfirmed, its other traffic goes on: the socket stays open),
/// `/api/health` says 503 "unreachable" within a second, and a phone that keeps sending is
/// no longer read once 4 MiB of its frames wait (the relay's memory stays bounded). When PostgreSQL is back on the
/// same port, the same relay process (not restarted) commits and confirms the request by
/// itself, its health is 200 again, and another phone receives the request: it is in
/// PostgreSQL.
#[tokio::test]
async fn while_postgres_is_away_nothing_is_acknowledged_and_the_relay_goes_on_by_itself() {
    let Some(pg) = pg::Cluster::start_blocking() else {
        return;
    };
    let url = pg.database("away");
    let dir = tempfile::tempdir().unwrap();
    let mut relay = ProcessRelay::start_with_args(dir.path(), 0, &["--store", &url]);
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut flood = zhao.connect(&relay).await;
    flood.settle().await;
    let household = wang.session["household"].as_str().unwrap().to_string();
    let before = file(&wang, &mut conn, &household, 0).await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&before) == 0, 20)
            .await,
        "confirmed while PostgreSQL is up"
    );

    let pg = on_blocking_thread(pg, pg::Cluster::stop).await;
    let away = tokio::time::Instant::now();
    let during = file(&wang, &mut conn, &household, 1).await;
    let health = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        relay.api("GET", "/api/health", None, None),
    )
    .await
    .expect("health answers at once while PostgreSQL is away");
    assert_eq!(health.0, StatusCode::SERVICE_UNAVAILABLE, "{:?}", health.1);
    assert_eq!(health.1["store"], "unreachable");
    // Another phone keeps sending meanwhile: the relay stops reading its socket once 4 MiB
    // wait unhandled (`--max-unhandled-bytes`), so its memory does not grow with what is sent.
    let rss = relay_rss_bytes(&relay);
    let (sent, of) = send_until_it_stalls(&mut flood, 1 << 20, 48).await;
    let grew = relay_rss_bytes(&relay).saturating_sub(rss);
    assert!(
        sent < of,
        "the relay stopped reading: all {of} MiB went out ({sent} sent)"
    );
    assert!(
        grew < 24 << 20,
        "the relay's memory grew by {} MiB while {sent} MiB were sent",
        grew >> 20
    );
    let left = PG_AWAY_SECS.saturating_sub(away.elapsed().as_secs());
    assert!(
        !conn
            .pump_until(|c| c.core.unconfirmed(&during) == 0, left)
            .await,
        "nothing is acknowledged while PostgreSQL is away"
    );
    assert!(
        conn.closed.is_none(),
        "the phone's socket stays open: {:?}",
        conn.closed
    );
    assert!(
        relay.child.try_wait().unwrap().is_none(),
        "the relay did not exit"
    );

    let pg = on_blocking_thread(pg, pg::Cluster::restart).await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&during) == 0, 30)
            .await,
        "the request filed while PostgreSQL was away is confirmed once it is back"
    );
    assert!(relay.child.try_wait().unwrap().is_none(), "the same relay");
    assert_eq!(
        relay.api("GET", "/api/health", None, None).await.0,
        StatusCode::OK
    );
    let staff = enrol(&relay, ZHANG).await;
    let mut s = staff.connect(&relay).await;
    assert!(
        s.pump_until(|c| c.holds(&before) && c.holds(&during), 20)
            .await,
        "another phone receives both requests"
    );
    relay.kill9();
    drop(pg);
}

/// A relay with nothing to write while PostgreSQL stops and comes back: its health says 503
/// while PostgreSQL is away and 200 once it is back, found by the health call's own ping (no
/// write needs to fail first, and none needs to succeed after).
#[tokio::test]
async fn an_idle_relay_reports_postgres_away_and_back_on_its_health() {
    let Some(pg) = pg::Cluster::start_blocking() else {
        return;
    };
    let url = pg.database("idle");
    let dir = tempfile::tempdir().unwrap();
    let relay = ProcessRelay::start_with_args(dir.path(), 0, &["--store", &url]);
    let health = async || relay.api("GET", "/api/health", None, None).await;
    assert_eq!(health().await.0, StatusCode::OK);
    let pg = on_blocking_thread(pg, pg::Cluster::stop).await;
    let (status, body) = health().await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body:?}");
    assert!(body["store_away_since_ms"].as_i64().unwrap() > 0);
    let pg = on_blocking_thread(pg, pg::Cluster::restart).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    while health().await.0 != StatusCode::OK {
        assert!(
            tokio::time::Instant::now() < deadline,
            "health is 200 again once PostgreSQL is back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    relay.kill9();
    drop(pg);
}

/// The relay's own session to PostgreSQL is cut (`pg_terminate_backend`, as a network
/// failure would leave it) and, before it connects again, another session takes the relay's
/// lock on the database. The relay then acknowledges nothing, rather than write without its
/// lock, and says so on `/api/health`; once the lock is let go, it takes it and goes on.
#[tokio::test]
async fn a_relay_whose_session_was_cut_waits_for_its_lock_before_it_writes_again() {
    let Some(pg) = pg::Cluster::start_blocking() else {
        return;
    };
    let url = pg.database("cut");
    let dir = tempfile::tempdir().unwrap();
    let relay = ProcessRelay::start_with_args(dir.path(), 0, &["--store", &url]);
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let household = wang.session["household"].as_str().unwrap().to_string();
    let before = file(&wang, &mut conn, &household, 0).await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&before) == 0, 20)
            .await
    );

    // Cut the relay's session, then hold its lock (the relay is idle: it finds its session
    // gone only when it next needs the store).
    // The admin session lives on a thread of its own (the blocking client must not be
    // dropped inside the async runtime, also when the test fails): it holds the lock until
    // `release` is dropped.
    let admin_url = url.clone();
    let (locked_tx, locked) = tokio::sync::oneshot::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
        let cut = admin
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                &[],
            )
            .unwrap();
        assert_eq!(cut.len(), 1, "the relay has one session");
        admin
            .execute("SELECT pg_advisory_lock($1)", &[&0x6c_69_6e_6c_69_i64])
            .unwrap();
        let _ = locked_tx.send(());
        let _ = released.recv();
    });
    locked.await.expect("the lock is taken");

    let during = file(&wang, &mut conn, &household, 1).await;
    assert!(
        !conn
            .pump_until(|c| c.core.unconfirmed(&during) == 0, 5)
            .await,
        "nothing is acknowledged while another session holds the lock"
    );
    let health = relay.api("GET", "/api/health", None, None).await;
    assert_eq!(health.0, StatusCode::SERVICE_UNAVAILABLE, "{:?}", health.1);

    drop(release);
    tokio::task::spawn_blocking(move || holder.join().unwrap())
        .await
        .unwrap();
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&during) == 0, 30)
            .await,
        "confirmed once the lock is let go"
    );
    assert_eq!(
        relay.api("GET", "/api/health", None, None).await.0,
        StatusCode::OK
    );
    relay.kill9();
    drop(pg);
}

/// Twenty requests confirmed, `kill -9`, a restart over the same store: a phone that connects
/// then receives all twenty.
async fn survives_kill_9(store: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let relay = ProcessRelay::start_with_args(dir.path(), 0, store);
    let port = relay.addr.port();
    let wang = enrol(&relay, WANG).await;
    let mut conn = wang.connect(&relay).await;
    let household = wang.session["household"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(file(&wang, &mut conn, &household, n).await);
    }
    // Wait for the relay's confirmation of every one, then kill it at once.
    assert!(
        conn.pump_until(|c| ids.iter().all(|id| c.core.unconfirmed(id) == 0), 20)
            .await
    );
    relay.kill9();

    let relay = ProcessRelay::start_with_args(dir.path(), port, store);
    let staff = enrol(&relay, ZHANG).await;
    let mut s = staff.connect(&relay).await;
    assert!(
        s.pump_until(|c| ids.iter().all(|id| c.holds(id)), 20).await,
        "all 20 confirmed requests are there after the restart"
    );
}
