//! Sizes checked by the relay (issue 10, item 6): every field has a limit the relay enforces,
//! whatever the phone's own checks; refusals carry the code `too_large` and the oversized
//! data reaches neither the store, nor a board, nor another device.

use crate::common;

use automerge::{Automerge, ObjType, ROOT, ReadDoc, transaction::Transactable};
use common::*;
use linli_shared::api::RefusalCode;
use linli_shared::domain::requests::{Colour, Filing, RequestDraft};
use linli_shared::ids::DocumentId;

const MB: usize = 1 << 20;

fn new_id() -> DocumentId {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    DocumentId::from_bytes(b)
}

fn filing(dev: &TestDevice) -> Filing {
    Filing {
        filed_by: dev.person(),
        subject: dev.person(),
        household: dev.session["household"].as_str().unwrap().into(),
    }
}

fn draft() -> RequestDraft {
    RequestDraft {
        title: "楼道灯不亮".into(),
        description: "三楼".into(),
        category: "other".into(),
        colour: Some(Colour::Yellow),
        grid: "g07".into(),
        photos: Vec::new(),
    }
}

/// The largest document the relay holds, saved, in bytes.
async fn largest_on_relay(relay: &TestRelay) -> usize {
    relay
        .on_hub(|ctx| {
            let ids: Vec<DocumentId> = ctx.relay.documents().map(|(id, _)| *id).collect();
            ids.iter()
                .filter_map(|id| ctx.relay.document(ctx.store, id).ok().flatten())
                .map(|d| d.save().len())
                .max()
                .unwrap_or(0)
        })
        .await
}

fn largest_on(conn: &Conn) -> usize {
    conn.core
        .doc_ids()
        .filter_map(|id| conn.core.doc(id))
        .map(|d| d.save().len())
        .max()
        .unwrap_or(0)
}

/// 王 files a proper request; 李 (the grid worker of g07, another device) holds it and the
/// board. Returns the relay, 王, his connection, 李's connection and the request.
async fn setup() -> (TestRelay, TestDevice, Conn, Conn, DocumentId) {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let li = enrol(&relay, LI).await;
    let mut conn = wang.connect(&relay).await;
    let id = new_id();
    let (d, f) = (draft(), filing(&wang));
    conn.change(id, |doc| {
        linli_shared::domain::requests::file_request(doc, &d, &f, now_ms())
    })
    .await;
    assert!(conn.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await);
    let mut other = li.connect(&relay).await;
    assert!(other.pump_until(|c| c.holds(&id), 10).await);
    (relay, wang, conn, other, id)
}

/// The refusal came with `too_large`, and nothing large went anywhere.
async fn refused_everywhere(relay: &TestRelay, conn: &mut Conn, other: &mut Conn, id: DocumentId) {
    // Generous: a 1 MB change is checked in a debug build on a loaded 2-core machine.
    assert!(
        conn.pump_until(|c| !c.rejected.is_empty() || c.closed.is_some(), 90)
            .await
    );
    assert_eq!(conn.rejected, vec![(id, RefusalCode::TooLarge.to_string())]);
    let audit = relay.audit().await;
    assert!(
        audit
            .iter()
            .any(|a| a.code == RefusalCode::TooLarge.as_str()),
        "audited"
    );
    assert!(largest_on_relay(relay).await < 100_000, "not stored");
    other.settle().await;
    assert!(largest_on(other) < 100_000, "not passed on");
}

#[tokio::test]
async fn a_3_mb_title_is_refused_with_too_large_and_reaches_no_board() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let li = enrol(&relay, LI).await;
    let mut other = li.connect(&relay).await;
    other.settle().await;
    let mut conn = wang.connect(&relay).await;
    let id = new_id();
    let (d, f) = (draft(), filing(&wang));
    // The app's own check is skipped: the title is written after filing, in the same change.
    conn.change(id, |doc| {
        let mut scratch = Automerge::new();
        linli_shared::domain::requests::file_request(&mut scratch, &d, &f, now_ms())?;
        let mut tx = doc.transaction();
        for item in scratch.map_range(ROOT, ..) {
            if let automerge::ValueRef::Scalar(s) = item.value {
                tx.put(ROOT, item.key.to_string(), s.to_owned())?;
            }
        }
        tx.put(ROOT, "title", "标".repeat(MB))?;
        let desc = tx.put_object(ROOT, "description", ObjType::Text)?;
        tx.splice_text(&desc, 0, 0, "三楼")?;
        tx.put_object(ROOT, "events", ObjType::List)?;
        tx.put_object(ROOT, "photos", ObjType::List)?;
        tx.commit();
        Ok(())
    })
    .await;
    refused_everywhere(&relay, &mut conn, &mut other, id).await;
    assert!(relay.relay_doc(id).await.is_none());
}

#[tokio::test]
async fn a_1_mb_follow_is_refused_with_too_large() {
    let (relay, wang, mut conn, mut other, id) = setup().await;
    let key = linli_shared::domain::board::board_key(&id);
    let k = key.clone();
    let board = relay
        .on_hub(move |ctx| {
            let ids: Vec<DocumentId> = ctx.relay.documents().map(|(id, _)| *id).collect();
            ids.into_iter().find(|i| {
                ctx.relay
                    .document(ctx.store, i)
                    .ok()
                    .flatten()
                    .and_then(|d| linli_shared::domain::board::Board::read(&d).ok())
                    .is_some_and(|b| b.entry(&k).is_some())
            })
        })
        .await
        .expect("the grid's board");
    let has_entry = |c: &Conn| {
        c.core.doc(&board).is_some_and(|d| {
            linli_shared::domain::board::Board::read(d).is_ok_and(|b| b.entry(&key).is_some())
        })
    };
    assert!(conn.pump_until(has_entry, 10).await);
    let me = wang.person();
    conn.change(board, |doc| {
        let entries = doc.get(ROOT, "entries")?.unwrap().1;
        let entry = doc.get(&entries, key.as_str())?.unwrap().1;
        let follows = doc.get(&entry, "follows")?.unwrap().1;
        let mut tx = doc.transaction();
        tx.put(&follows, me.as_str(), "x".repeat(MB))?;
        tx.commit();
        Ok(())
    })
    .await;
    refused_everywhere(&relay, &mut conn, &mut other, board).await;
}

#[tokio::test]
async fn a_history_entry_with_an_extra_1_mb_field_is_refused_with_too_large() {
    let (relay, wang, mut conn, mut other, id) = setup().await;
    let before = relay.relay_doc(id).await.unwrap().get_heads();
    let me = wang.person();
    conn.change(id, |doc| {
        let events = doc.get(ROOT, "events")?.unwrap().1;
        let mut tx = doc.transaction();
        let n = tx.length(&events);
        let ev = tx.insert_object(&events, n, ObjType::Map)?;
        tx.put(&ev, "type", "detail")?;
        tx.put(&ev, "at", 2)?;
        tx.put(&ev, "by", me.as_str())?;
        tx.put(&ev, "text", "三楼东")?;
        tx.put(&ev, "extra", "x".repeat(MB))?;
        tx.commit();
        Ok(())
    })
    .await;
    refused_everywhere(&relay, &mut conn, &mut other, id).await;
    assert_eq!(relay.relay_doc(id).await.unwrap().get_heads(), before);
}

#[tokio::test]
async fn a_1_mb_splice_into_a_description_is_refused_with_too_large_before_it_is_applied() {
    let (relay, _wang, mut conn, mut other, id) = setup().await;
    let before = relay.relay_doc(id).await.unwrap().get_heads();
    conn.change(id, |doc| {
        let desc = doc.get(ROOT, "description")?.unwrap().1;
        let mut tx = doc.transaction();
        tx.splice_text(&desc, 0, 0, &"x".repeat(MB))?;
        tx.commit();
        Ok(())
    })
    .await;
    refused_everywhere(&relay, &mut conn, &mut other, id).await;
    assert_eq!(relay.relay_doc(id).await.unwrap().get_heads(), before);
    // The relay was never held up: it answers at once.
    let (status, _) = relay.api("GET", "/api/health", None, None).await;
    assert!(status.is_success());
}

#[tokio::test]
async fn every_document_the_demo_seeds_is_within_the_limits() {
    let relay = TestRelay::start().await;
    let over = relay
        .on_hub(|ctx| {
            let ids: Vec<DocumentId> = ctx.relay.documents().map(|(id, _)| *id).collect();
            let mut n = 0;
            let mut over = Vec::new();
            for id in ids {
                if let Some(d) = ctx.relay.document(ctx.store, &id).ok().flatten() {
                    n += 1;
                    if let Some(e) = linli_shared::rules::oversized(&d) {
                        over.push(format!("{id}: {e}"));
                    }
                }
            }
            (n, over)
        })
        .await;
    assert!(over.0 > 10, "the demo was seeded");
    assert!(over.1.is_empty(), "{:?}", over.1);
}
