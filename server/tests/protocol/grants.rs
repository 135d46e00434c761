//! Micro-grants against the real relay: who writes what in the fund's ledger and in a call,
//! and the ledger rule (an overdraft is refused, and the relay keeps its balance).

use linli_shared::domain::fund::{self, EntryType, Ledger, NewEntry};
use linli_shared::domain::grant_call::{self, Call, Outcome};
use linli_shared::ids::DocumentId;

use super::common::*;
use super::{StatusCode, blob};

const YUAN: i64 = 100;
const GALLERY: &str = "楼道美术馆";

/// The fund's id as a connected device holds it.
fn fund_of(conn: &Conn) -> DocumentId {
    *conn
        .core
        .doc_ids()
        .find(|id| Ledger::read(conn.core.doc(id).unwrap()).is_some())
        .expect("every device holds the fund")
}

/// The fund's id, from the relay's own index.
async fn fund_on(relay: &TestRelay) -> DocumentId {
    relay
        .on_hub(|ctx| {
            ctx.relay
                .documents()
                .find(|(_, m)| m.scope.kind == Some(linli_shared::domain::DocKind::Fund))
                .map(|(id, _)| *id)
        })
        .await
        .expect("the demo has a fund")
}

/// The open call's id.
fn open_call_of(conn: &Conn) -> DocumentId {
    *conn
        .core
        .doc_ids()
        .find(|id| Call::read(conn.core.doc(id).unwrap()).is_ok_and(|c| !c.closed))
        .expect("the open call")
}

fn ledger(conn: &Conn, id: DocumentId) -> Ledger {
    Ledger::read(conn.core.doc(&id).unwrap()).unwrap()
}

/// The gallery's project id in the ledger.
fn gallery(l: &Ledger) -> String {
    l.projects()
        .into_iter()
        .find(|p| p.title == GALLERY)
        .expect("the gallery is funded")
        .project
}

async fn connected(relay: &TestRelay, code: &str) -> (TestDevice, Conn) {
    let fund = fund_on(relay).await;
    let dev = enrol(relay, code).await;
    let mut conn = dev.connect(relay).await;
    // Looks at the one document only: a staff phone's first sync is over a thousand documents,
    // and reading each of them after every message made this wait quadratic (too slow for the
    // bound on a loaded machine).
    assert!(
        conn.pump_until(
            |c| c.core.doc(&fund).is_some_and(|d| Ledger::read(d).is_some()),
            30
        )
        .await,
        "the fund arrives"
    );
    conn.settle().await;
    (dev, conn)
}

fn spending(by: &str, project: &str, line: &str, amount: i64) -> NewEntry {
    let mut e = NewEntry::new(EntryType::Spending, amount, by, "");
    e.project = project.into();
    e.line = line.into();
    e
}

/// Writes an entry and waits for the relay's verdict: `None` accepted, or the refusal code.
async fn write(conn: &mut Conn, id: DocumentId, e: &NewEntry) -> Option<String> {
    let before = conn.rejected.len();
    conn.change(id, |doc| fund::add_entry(doc, e, now_ms()))
        .await;
    conn.pump_until(
        |c| c.rejected.len() > before || c.core.unconfirmed(&id) == 0,
        10,
    )
    .await;
    conn.rejected.get(before).map(|(_, code)| code.clone())
}

#[tokio::test]
async fn a_resident_cannot_write_income_or_spend_from_a_project_they_do_not_lead() {
    let relay = TestRelay::start().await;
    let (zhao, mut conn) = connected(&relay, ZHAO).await;
    let id = fund_of(&conn);
    let project = gallery(&ledger(&conn, id));
    let income = NewEntry::new(EntryType::Income, 100 * YUAN, &zhao.person(), "");
    assert_eq!(
        write(&mut conn, id, &income).await.as_deref(),
        Some("not_allowed")
    );
    let (_, mut conn) = connected(&relay, ZHAO).await;
    let spend = spending(&zhao.person(), &project, "画框与挂轨", 10 * YUAN);
    assert_eq!(
        write(&mut conn, id, &spend).await.as_deref(),
        Some("not_allowed")
    );
    assert!(
        relay
            .audit()
            .await
            .iter()
            .any(|a| a.code == "not_allowed" && a.document == id.to_string())
    );
}

#[tokio::test]
async fn an_entry_in_anothers_name_is_refused() {
    let relay = TestRelay::start().await;
    let (_, mut conn) = connected(&relay, ZHAO).await;
    let id = fund_of(&conn);
    // 赵 co-funds, but signs it as 王秀英.
    let mut co = NewEntry::new(EntryType::Cofunding, 50 * YUAN, "p-wang", "");
    co.note = "冒名".into();
    assert_eq!(
        write(&mut conn, id, &co).await.as_deref(),
        Some("bad_event")
    );
    // In his own name it is accepted and raises the fund's cash.
    let (zhao, mut conn) = connected(&relay, ZHAO).await;
    let cash = ledger(&conn, id).cash();
    let co = NewEntry::new(EntryType::Cofunding, 50 * YUAN, &zhao.person(), "");
    assert_eq!(write(&mut conn, id, &co).await, None);
    let held = Ledger::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(held.cash(), cash + 50 * YUAN);
}

#[tokio::test]
async fn a_reviewer_scores_in_her_own_name_but_cannot_fund_and_a_resident_cannot_decide() {
    let relay = TestRelay::start().await;
    // 赵晓松 sits on the open call's panel.
    let (zhao, mut conn) = connected(&relay, ZHAO).await;
    let call = open_call_of(&conn);
    let c = Call::read(conn.core.doc(&call).unwrap()).unwrap();
    assert!(c.panel.contains(&zhao.person()));
    let me = zhao.person();
    conn.change(call, |d| {
        grant_call::review(
            d,
            "prop-x",
            &me,
            "",
            &[5, 4, 4, 5],
            "值得做",
            false,
            now_ms(),
        )
    })
    .await;
    assert!(
        conn.pump_until(|c| c.core.unconfirmed(&call) == 0, 10)
            .await
    );
    assert!(conn.rejected.is_empty());
    // Recording a decision (funding) is staff's.
    conn.change(call, |d| {
        grant_call::decide(
            d,
            "prop-x",
            Outcome::Funded,
            500 * YUAN,
            "好",
            &me,
            "",
            now_ms(),
        )
    })
    .await;
    let (code, _) = conn.closed_with(10).await;
    assert_eq!(code, 4403);
    assert_eq!(conn.rejected, vec![(call, "field_not_allowed".to_string())]);
    let held = Call::read(&relay.relay_doc(call).await.unwrap()).unwrap();
    assert!(held.decision("prop-x").is_none());
    assert_eq!(held.reviews_of("prop-x").len(), 1, "her review stays");
    // A resident not on the panel cannot score either.
    let (_, mut wang) = connected(&relay, WANG).await;
    wang.change(call, |d| {
        grant_call::review(
            d,
            "prop-x",
            "p-wang",
            "",
            &[1, 1, 1, 1],
            "",
            false,
            now_ms(),
        )
    })
    .await;
    let (code, _) = wang.closed_with(10).await;
    assert_eq!(code, 4403);
}

#[tokio::test]
async fn of_two_spends_each_affordable_alone_the_relay_refuses_the_one_that_overdraws() {
    let relay = TestRelay::start().await;
    // 王秀英 leads the gallery; her two phones both hold the ledger.
    let (wang, mut a) = connected(&relay, WANG).await;
    let (_, mut b) = connected(&relay, WANG).await;
    let id = fund_of(&a);
    let l = ledger(&a, id);
    let project = gallery(&l);
    let (cap, spent) = l.project(&project).unwrap().line("画框与挂轨").unwrap();
    let left = cap - spent;
    let amount = left / 2 + 100 * YUAN;
    // Phone A spends; phone B, not listening meanwhile, spends the same from what it holds.
    let e = spending(&wang.person(), &project, "画框与挂轨", amount);
    assert_eq!(write(&mut a, id, &e).await, None);
    let mut e2 = e.clone();
    e2.note = "第二台手机".into();
    assert_eq!(write(&mut b, id, &e2).await.as_deref(), Some("overdrawn"));
    let held = Ledger::read(&relay.relay_doc(id).await.unwrap()).unwrap();
    assert_eq!(
        held.project(&project).unwrap().line("画框与挂轨"),
        Some((cap, spent + amount)),
        "one spend only"
    );
    assert!(held.check().is_ok());
    // Staff cannot allocate more than the fund holds either.
    let (zhang, mut s) = connected(&relay, ZHANG).await;
    let mut alloc = NewEntry::new(
        EntryType::Allocation,
        held.available() + YUAN,
        &zhang.person(),
        "",
    );
    alloc.project = "p-new".into();
    alloc.title = "太多".into();
    alloc.leader = wang.person();
    alloc.lines = vec![("全部".into(), alloc.amount)];
    // The phone refuses it before writing; forced past that, the relay refuses it too.
    assert!(
        s.core
            .change(id, |doc| fund::add_entry(doc, &alloc, now_ms()))
            .is_err()
    );
    // Written by hand, as a modified phone would, under this device's actor.
    let mut force = s
        .core
        .doc(&id)
        .unwrap()
        .fork()
        .with_actor(s.core.actor().clone());
    let before = force.get_heads();
    {
        use linli_shared::automerge::transaction::Transactable;
        use linli_shared::automerge::{ObjType, ROOT, ReadDoc};
        let (_, list) = force.get(ROOT, "entries").unwrap().unwrap();
        force
            .transact::<_, _, linli_shared::automerge::AutomergeError>(|tx| {
                let n = tx.length(&list);
                let e = tx.insert_object(&list, n, ObjType::Map)?;
                tx.put(&e, "type", "allocation")?;
                tx.put(&e, "amount", alloc.amount)?;
                tx.put(&e, "at", now_ms())?;
                tx.put(&e, "by", zhang.person().as_str())?;
                tx.put(&e, "project", "p-new")?;
                tx.put(&e, "title", "太多")?;
                tx.put(&e, "leader", wang.person().as_str())?;
                let m = tx.put_object(&e, "lines", ObjType::Map)?;
                tx.put(&m, "全部", alloc.amount)?;
                Ok(())
            })
            .unwrap();
    }
    let changes: Vec<_> = force.get_changes(&before);
    s.change(id, |doc| doc.apply_changes(changes).map_err(Into::into))
        .await;
    s.pump_until(|c| !c.rejected.is_empty(), 10).await;
    assert_eq!(s.rejected, vec![(id, "overdrawn".to_string())]);
}

#[tokio::test]
async fn a_receipt_photo_is_served_through_the_ledger_that_names_it_to_every_resident() {
    use sha2::{Digest, Sha256};
    let relay = TestRelay::start().await;
    let (wang, mut conn) = connected(&relay, WANG).await;
    let id = fund_of(&conn);
    let project = gallery(&ledger(&conn, id));
    let png: Vec<u8> = [
        &b"\x89PNG\r\n\x1a\n"[..],
        &[0, 0, 0, 13],
        b"IHDR",
        &[
            0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xdf,
        ],
    ]
    .concat();
    let hash = linli_shared::ids::hex(&Sha256::digest(&png));
    let mut e = spending(&wang.person(), &project, "布展材料", 30 * YUAN);
    e.receipts = vec![hash.clone()];
    assert_eq!(write(&mut conn, id, &e).await, None);
    let token = wang.token(&relay).await.unwrap();
    let (s, _) = blob(&relay, "PUT", &hash, id, png.clone(), &token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let zhao = enrol(&relay, ZHAO).await;
    let token = zhao.token(&relay).await.unwrap();
    let (s, got) = blob(&relay, "GET", &hash, id, Vec::new(), &token).await;
    assert_eq!((s, got), (StatusCode::OK, png));
}
