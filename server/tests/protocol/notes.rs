//! Field notes against the real relay: residents never receive one (nor learn one exists), a
//! volunteer holds only her own, staff and grid workers hold every note, and a person's new
//! notes of a day are bounded.

use super::common::*;
use super::new_id;
use linli_shared::domain::DocKind;
use linli_shared::domain::field_note::{DAILY_MAX, NoteCommand, NoteDraft};
use linli_shared::ids::DocumentId;
use linli_shared::wire::Message;

fn note(title: &str, by: &str, by_name: &str) -> NoteCommand {
    let today = linli_shared::domain::community::calendar::format_day(
        linli_shared::time::shanghai_day(now_ms()),
    );
    NoteCommand::Create {
        draft: Box::new(NoteDraft {
            title: title.into(),
            body: "王奶奶说楼道灯坏了一周，晚上不敢下楼。".into(),
            date: today,
            tags: vec!["独居老人".into()],
            ..Default::default()
        }),
        by: by.into(),
        by_name: by_name.into(),
    }
}

/// An empty sync message (what a phone sends to ask for a document it does not hold).
fn empty_sync() -> Vec<u8> {
    use linli_shared::automerge::sync::SyncDoc;
    linli_shared::automerge::Automerge::new()
        .generate_sync_message(&mut linli_shared::automerge::sync::State::new())
        .map(|m| m.encode())
        .unwrap()
}

/// The field notes a phone holds.
fn notes_held(c: &Conn) -> Vec<DocumentId> {
    c.core
        .doc_ids()
        .filter(|id| {
            c.core
                .doc(id)
                .is_some_and(|d| linli_shared::domain::doc_kind(d) == Some(DocKind::FieldNote))
        })
        .copied()
        .collect()
}

#[tokio::test]
async fn a_resident_never_receives_a_field_note_not_even_its_existence() {
    let relay = TestRelay::start().await;
    let li = enrol(&relay, LI).await;
    let zhao = enrol(&relay, ZHAO).await;
    let mut l = li.connect(&relay).await;
    l.settle().await;
    // The demo's notes reach the grid worker.
    assert!(notes_held(&l).len() >= 30, "{}", notes_held(&l).len());
    let visit = new_id();
    l.change_confirmed(visit, |doc| {
        note("午访7号楼王奶奶", "p-li", "李红梅").apply(doc, now_ms())
    })
    .await;
    // 赵晓松 is a resident and on grid 3's team: none of the notes reaches his phone.
    let mut z = zhao.connect(&relay).await;
    z.settle().await;
    assert!(z.core.doc_ids().count() > 0, "he holds his own documents");
    assert!(notes_held(&z).is_empty());
    // Asking for the note by its id is answered as for an id nobody uses.
    let unknown = new_id();
    for id in [visit, unknown] {
        z.send_raw(
            Message::Request {
                sender_id: "x".into(),
                target_id: "relay".into(),
                document_id: id,
                data: empty_sync(),
            }
            .encode(),
        )
        .await;
    }
    assert!(
        z.pump_until(
            |c| c.unavailable.contains(&visit) && c.unavailable.contains(&unknown),
            10
        )
        .await
    );
    assert!(!z.holds(&visit));
    // Nor may he write one.
    let mine = new_id();
    let code = z
        .change_refused(mine, |doc| {
            note("我也想记一条", "p-zhao", "赵晓松").apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "not_allowed");
    assert!(relay.relay_doc(mine).await.is_none());
}

#[tokio::test]
async fn a_volunteer_holds_only_her_own_notes_and_staff_hold_every_one() {
    let relay = TestRelay::start().await;
    let chen = enrol(&relay, CHEN).await;
    let li = enrol(&relay, LI).await;
    let staff = enrol(&relay, ZHANG).await;
    let mut l = li.connect(&relay).await;
    l.settle().await;
    let his = new_id();
    l.change_confirmed(his, |doc| {
        note("夜谈：8号楼新租户", "p-li", "李红梅").apply(doc, now_ms())
    })
    .await;
    let mut c = chen.connect(&relay).await;
    c.settle().await;
    let held = notes_held(&c);
    assert!(!held.is_empty(), "the demo's notes by 陈小雨 reach her");
    for id in &held {
        let n = linli_shared::domain::field_note::FieldNote::read(c.core.doc(id).unwrap()).unwrap();
        assert_eq!(n.by, "p-chen", "{}", n.title);
    }
    assert!(!c.holds(&his));
    // Her new note reaches staff and the grid worker, and stays hers.
    let hers = new_id();
    c.change_confirmed(hers, |doc| {
        note("陪王奶奶学用手机", "p-chen", "陈小雨").apply(doc, now_ms())
    })
    .await;
    let mut s = staff.connect(&relay).await;
    assert!(s.pump_until(|s| s.holds(&hers) && s.holds(&his), 20).await);
    s.settle().await;
    // Staff hold the demo's 38 notes and these two; several demo notes link a talk or a
    // request that staff hold too.
    let all = notes_held(&s);
    assert_eq!(all.len(), 38 + 2);
    let linked = all
        .iter()
        .filter_map(|id| linli_shared::domain::field_note::FieldNote::read(s.core.doc(id)?).ok())
        .filter(|n| {
            [&n.talk, &n.request]
                .into_iter()
                .filter_map(|d| DocumentId::parse(d).ok())
                .any(|d| s.holds(&d))
        })
        .count();
    assert!(linked >= 10, "{linked} notes linked to a talk or request");
    assert!(l.pump_until(|l| l.holds(&hers), 10).await);
    // She cannot sign a note as someone else.
    let forged = new_id();
    let code = c
        .change_refused(forged, |doc| note("冒名", "p-li", "").apply(doc, now_ms()))
        .await;
    assert_eq!(code, "not_allowed");
}

#[tokio::test]
async fn new_notes_beyond_a_persons_daily_quota_are_refused() {
    let relay = TestRelay::start().await;
    let li = enrol(&relay, LI).await;
    let mut l = li.connect(&relay).await;
    l.settle().await;
    for i in 0..DAILY_MAX {
        let id = new_id();
        l.change_confirmed(id, |doc| {
            note(&format!("第{i}条"), "p-li", "李红梅").apply(doc, now_ms())
        })
        .await;
    }
    let over = new_id();
    let code = l
        .change_refused(over, |doc| {
            note("超出配额", "p-li", "李红梅").apply(doc, now_ms())
        })
        .await;
    assert_eq!(code, "quota");
    assert!(relay.relay_doc(over).await.is_none());
}
