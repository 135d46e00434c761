//! The per-connection message rate (issue 10, item 5): what the relay pushes to a socket
//! because of someone else's change earns that socket nothing; only answers to the relay's
//! own unasked offers (a new phone's first sync) are free.

use crate::common;

use std::time::Duration;

use automerge::{Automerge, ROOT, ReadDoc, sync, transaction::Transactable};
use common::*;
use futures_util::StreamExt;
use linli_shared::domain::requests::{Colour, Filing, RequestDraft};
use linli_shared::ids::DocumentId;
use linli_shared::wire::Message;
use tokio_tungstenite::tungstenite::Message as Ws;

fn new_id() -> DocumentId {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    DocumentId::from_bytes(b)
}

/// Reads what is already waiting on the socket (never blocks), without answering it;
/// returns the close code once the relay closed.
async fn close_code_so_far(conn: &mut Conn) -> Option<u16> {
    for _ in 0..100_000 {
        match tokio::time::timeout(Duration::ZERO, conn.ws.next()).await {
            Err(_) => return None,
            Ok(None) | Ok(Some(Err(_))) => return Some(1006),
            Ok(Some(Ok(Ws::Close(f)))) => return Some(f.map_or(1005, |f| u16::from(f.code))),
            Ok(Some(Ok(_))) => {}
        }
    }
    None
}

/// One sync message carrying the change just made to `doc`, as a phone that does not wait for
/// answers would send it.
fn change_frame(doc: &mut Automerge, id: DocumentId, i: usize) -> Vec<u8> {
    let before = doc.get_heads();
    let mut tx = doc.transaction();
    tx.put(ROOT, "description", format!("edit {i}")).unwrap();
    tx.commit();
    let chunks: Vec<Vec<u8>> = doc
        .get_changes(&before)
        .into_iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    let msg = sync::Message {
        heads: doc.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: chunks.into(),
        flags: None,
        version: sync::MessageVersion::V1,
    };
    Message::Sync {
        sender_id: "w".into(),
        target_id: "relay".into(),
        document_id: id,
        data: msg.encode(),
    }
    .encode()
}

#[tokio::test]
async fn two_writers_on_one_request_do_not_refill_each_others_rate() {
    const RATE: u32 = 20;
    let relay = TestRelay::start_with(|c| c.relay.max_messages_per_second = RATE).await;
    let wang = enrol(&relay, WANG).await;
    let mut filer = wang.connect(&relay).await;
    let id = new_id();
    let filing = Filing {
        filed_by: wang.person(),
        subject: wang.person(),
        household: wang.session["household"].as_str().unwrap().into(),
    };
    let draft = RequestDraft {
        title: "漏水".into(),
        description: "测试".into(),
        category: "other".into(),
        colour: Some(Colour::Yellow),
        grid: "g07".into(),
        photos: Vec::new(),
    };
    filer
        .change(id, |d| {
            linli_shared::domain::requests::file_request(d, &draft, &filing, now_ms())
        })
        .await;
    assert!(filer.pump_until(|c| c.core.unconfirmed(&id) == 0, 10).await);
    let base = filer.core.doc(&id).unwrap().clone();
    drop(filer);
    // Two writers (two sockets, two actors) hold the request; each edit one sends is pushed
    // to the other. Neither reads or answers anything: they only write, as fast as they can.
    let mut a = wang.connect_as(&relay, wang.actor(1)).await;
    let mut b = wang.connect_as(&relay, wang.actor(2)).await;
    // (Their first message about the request puts it in play on their socket.)
    let mut da = base.fork().with_actor(wang.actor(1));
    let mut db = base.fork().with_actor(wang.actor(2));
    // The burst is 4 s of the rate; beyond it (plus the refill over the test's few seconds and
    // the answers to the offers at join) every message must be paid for.
    let bound = 4 * RATE as usize + 400;
    let mut closed = None;
    for i in 0..bound {
        b.send_raw(change_frame(&mut db, id, i)).await;
        a.send_raw(change_frame(&mut da, id, i)).await;
        if let Some(code) = close_code_so_far(&mut a).await {
            closed = Some(code);
            break;
        }
    }
    // The last frames may still be on their way: wait (bounded) for the close, reading only.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while closed.is_none() {
        match tokio::time::timeout_at(deadline, a.ws.next()).await {
            Err(_) => break,
            Ok(None) | Ok(Some(Err(_))) => closed = Some(1006),
            Ok(Some(Ok(Ws::Close(f)))) => closed = Some(f.map_or(1005, |f| u16::from(f.code))),
            Ok(Some(Ok(_))) => {}
        }
    }
    let code = closed.unwrap_or(0);
    assert_eq!(code, 4429, "closed within {bound} messages");
    assert!(
        base.get(ROOT, "title").unwrap().is_some(),
        "the request was there to edit"
    );
}
