//! Volunteers against the real relay: the youth volunteer 陈小雨 (`CHENXY25`) reads her own
//! record and logs her help, but cannot confirm her own hours nor change an entry staff
//! confirmed; staff confirm; a resident never receives a volunteer's record.

use super::common::*;
use linli_shared::automerge::Automerge;
use linli_shared::automerge::transaction::Transactable;
use linli_shared::domain::volunteer::{EntryDraft, EntryKind, Volunteer, VolunteerCommand};
use linli_shared::domain::{DocKind, ModelError};
use linli_shared::ids::DocumentId;

/// The demo's record of volunteer `person`.
async fn record(relay: &TestRelay, person: &'static str) -> DocumentId {
    relay
        .on_hub(move |ctx| {
            ctx.relay
                .documents()
                .filter(|(_, m)| {
                    m.scope.kind == Some(DocKind::Volunteer)
                        && m.scope.subject.as_deref() == Some(person)
                })
                .map(|(id, _)| *id)
                .min()
        })
        .await
        .expect("a demo volunteer's record")
}

fn run(c: VolunteerCommand) -> impl FnOnce(&mut Automerge) -> Result<(), ModelError> {
    move |d| c.apply(d, now_ms())
}

fn visit() -> EntryDraft {
    EntryDraft {
        kind: EntryKind::Visit,
        at: now_ms() - 3_600_000,
        minutes: 60,
        elder: "p-wang".into(),
        request: String::new(),
        note: "陪王阿姨聊天".into(),
    }
}

#[tokio::test]
async fn a_volunteer_cannot_confirm_their_own_hours_but_staff_can() {
    let relay = TestRelay::start().await;
    let id = record(&relay, "p-chen").await;
    let chen = enrol(&relay, CHEN).await;
    let mut c = chen.connect(&relay).await;
    assert!(c.pump_until(|c| c.holds(&id), 10).await, "her own record");
    // She logs a visit: accepted, 待确认.
    c.change_confirmed(
        id,
        run(VolunteerCommand::Log {
            by: chen.person(),
            draft: visit(),
        }),
    )
    .await;
    let v = Volunteer::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    let entry = v
        .entries
        .iter()
        .rev()
        .find(|e| !e.confirmed() && e.note == "陪王阿姨聊天")
        .expect("her visit")
        .id
        .clone();
    // She confirms it herself: refused.
    let code = c
        .change_refused(
            id,
            run(VolunteerCommand::Confirm {
                entry: entry.clone(),
                by: chen.person(),
                by_name: "陈小雨".into(),
            }),
        )
        .await;
    assert_eq!(code, "not_allowed");
    let v = Volunteer::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert!(!v.entry(&entry).unwrap().confirmed());
    // Staff confirm it.
    let zhang = enrol(&relay, ZHANG).await;
    let mut s = zhang.connect(&relay).await;
    assert!(s.pump_until(|c| c.holds(&id), 10).await);
    s.change_confirmed(
        id,
        run(VolunteerCommand::Confirm {
            entry: entry.clone(),
            by: zhang.person(),
            by_name: "张建国".into(),
        }),
    )
    .await;
    let v = Volunteer::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    let e = v.entry(&entry).unwrap();
    assert_eq!(
        (e.confirmed(), e.confirmed_by_name.as_str()),
        (true, "张建国")
    );
}

#[tokio::test]
async fn a_volunteer_cannot_edit_a_confirmed_entry() {
    let relay = TestRelay::start().await;
    let id = record(&relay, "p-chen").await;
    let before = Volunteer::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    let done = before
        .entries
        .iter()
        .find(|e| e.confirmed())
        .expect("a confirmed entry in the demo")
        .clone();
    let chen = enrol(&relay, CHEN).await;
    let mut c = chen.connect(&relay).await;
    assert!(c.pump_until(|c| c.holds(&id), 10).await);
    let target = done.id.clone();
    let code = c
        .change_refused(id, move |d| {
            let e = d.import_obj(&target).unwrap();
            d.transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                tx.put(&e, "minutes", 600_i64)?;
                Ok(())
            })
            .map_err(|f| f.error)?;
            Ok(())
        })
        .await;
    assert_eq!(code, "field_not_allowed");
    let after = Volunteer::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(after.entry(&done.id).unwrap().minutes, done.minutes);
}

#[tokio::test]
async fn a_resident_cannot_read_another_persons_volunteer_record() {
    let relay = TestRelay::start().await;
    let id = record(&relay, "p-chen").await;
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    assert!(!w.holds(&id), "not 陈小雨's record");
    let records: Vec<DocumentId> = relay
        .on_hub(|ctx| {
            ctx.relay
                .documents()
                .filter(|(_, m)| m.scope.kind == Some(DocKind::Volunteer))
                .map(|(id, _)| *id)
                .collect()
        })
        .await;
    assert!(records.len() >= 2);
    assert!(records.iter().all(|r| !w.holds(r)), "nor any other");
}
