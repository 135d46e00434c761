//! Acknowledged means durable: a change the relay has confirmed survives `kill -9` of the
//! relay process (it commits, fsync or PostgreSQL's commit, before it replies). The same
//! scenario runs on each store: the embedded redb file and PostgreSQL.

use crate::common;

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
            filed_by: wang.person(),
            subject: wang.person(),
            household: household.clone(),
        };
        conn.change(id, |d| {
            linli_shared::domain::requests::file_request(d, &draft, &filing, now_ms() + n)
        })
        .await;
        ids.push(id);
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
