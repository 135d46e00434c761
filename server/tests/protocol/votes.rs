//! Owners' votes against the real relay: a resident writes only their own flat's ballot and
//! never after the close, a collector only in their grid, only staff start a vote, and a
//! resident never receives another flat's sheet (its floor area and ballots).

use super::common::*;
use super::new_id;
use linli_shared::automerge::Automerge;
use linli_shared::domain::ModelError;
use linli_shared::domain::owners_vote::{
    Choice, Matter, RollEntry, SheetCommand, VoteCommand, VoteDraft,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, MINUTE};

async fn confirmed(
    conn: &mut Conn,
    id: DocumentId,
    edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
) {
    conn.change_confirmed(id, edit).await;
}

async fn refused(
    conn: &mut Conn,
    id: DocumentId,
    edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
) -> String {
    conn.change_refused(id, edit).await
}

fn household(d: &TestDevice) -> String {
    d.session["household"].as_str().unwrap().to_string()
}

struct Opened {
    vote: DocumentId,
    /// 王秀英's flat in grid g07, 赵晓松's in g03.
    wang_sheet: DocumentId,
    zhao_sheet: DocumentId,
}

/// Staff open a vote on two flats: 王秀英's (7-2-301, grid g07) and 赵晓松's (3-1-502, g03).
async fn opened(staff: &mut Conn, wang: &TestDevice, zhao: &TestDevice) -> Opened {
    let now = now_ms();
    let roll = vec![
        RollEntry {
            flat: "7-2-301".into(),
            area: 8_960,
            household: household(wang),
            grid: "g07".into(),
        },
        RollEntry {
            flat: "3-1-502".into(),
            area: 12_840,
            household: household(zhao),
            grid: "g03".into(),
        },
    ];
    let draft = VoteDraft {
        question: "出租3号楼架空层作为快递驿站".into(),
        matter: Matter::ChangeSharedParts,
        talk: None,
        item: None,
        opens_at: now - MINUTE,
        closes_at: now + 7 * DAY,
    };
    let vote = new_id();
    let (d, r) = (draft.clone(), roll.clone());
    confirmed(staff, vote, move |doc| {
        VoteCommand::Create { draft: d, roll: r }.apply(doc, now_ms())
    })
    .await;
    let mut sheets = Vec::new();
    for entry in roll {
        let id = new_id();
        let c = SheetCommand::Create {
            vote: vote.to_string(),
            entry,
            opens_at: draft.opens_at,
            closes_at: draft.closes_at,
        };
        confirmed(staff, id, move |doc| c.apply(doc, now_ms())).await;
        sheets.push(id);
    }
    Opened {
        vote,
        wang_sheet: sheets[0],
        zhao_sheet: sheets[1],
    }
}

fn cast(by: String, choice: Choice, paper: bool) -> SheetCommand {
    SheetCommand::Cast {
        by,
        by_name: String::new(),
        choice,
        paper,
    }
}

#[tokio::test]
async fn a_resident_gets_the_vote_and_their_own_sheet_but_never_another_flats() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let (wang, zhao) = (enrol(&relay, WANG).await, enrol(&relay, ZHAO).await);
    let mut staff = zhang.connect(&relay).await;
    let v = opened(&mut staff, &wang, &zhao).await;
    let mut w = wang.connect(&relay).await;
    assert!(
        w.pump_until(|c| c.holds(&v.vote) && c.holds(&v.wang_sheet), 10)
            .await,
        "the question and the resident's own sheet"
    );
    w.settle().await;
    assert!(
        !w.holds(&v.zhao_sheet),
        "another flat's area and ballots stay with its household, its grid's collectors and staff"
    );
}

#[tokio::test]
async fn a_resident_cannot_write_another_flats_ballot_or_one_after_the_close() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let (wang, zhao) = (enrol(&relay, WANG).await, enrol(&relay, ZHAO).await);
    let mut staff = zhang.connect(&relay).await;
    let v = opened(&mut staff, &wang, &zhao).await;
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&v.wang_sheet), 10).await);
    // Their own flat's ballot is theirs to cast.
    let c = cast(wang.person(), Choice::Yes, false);
    confirmed(&mut w, v.wang_sheet, move |d| c.apply(d, now_ms())).await;
    // Under someone else's key on their own sheet: refused.
    let c = cast(zhao.person(), Choice::No, false);
    let code = refused(&mut w, v.wang_sheet, move |d| c.apply(d, now_ms())).await;
    assert_eq!(code, "bad_ballot");
    // Another flat's sheet, which the relay never sent: written blind, refused.
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    let entry = RollEntry {
        flat: "3-1-502".into(),
        area: 12_840,
        household: household(&zhao),
        grid: "g03".into(),
    };
    let me = wang.person();
    let code = refused(&mut w, v.zhao_sheet, move |d| {
        SheetCommand::Create {
            vote: v.vote.to_string(),
            entry,
            opens_at: now_ms() - MINUTE,
            closes_at: now_ms() + DAY,
        }
        .apply(d, now_ms())?;
        cast(me, Choice::Yes, false).apply(d, now_ms())
    })
    .await;
    assert_eq!(code, "not_allowed");
    // Staff close the vote's sheets: a ballot after is refused.
    confirmed(&mut staff, v.wang_sheet, |d| {
        SheetCommand::Close.apply(d, now_ms())
    })
    .await;
    let mut w = wang.connect(&relay).await;
    assert!(
        w.pump_until(
            |c| c.core.doc(&v.wang_sheet).is_some_and(|d| {
                linli_shared::domain::owners_vote::Sheet::read(d)
                    .is_ok_and(|s| s.closed_at.is_some())
            }),
            10
        )
        .await
    );
    // Written as a phone whose check was skipped (the app refuses it before sending).
    let me = wang.person();
    let code = refused(&mut w, v.wang_sheet, move |d| {
        use linli_shared::automerge::transaction::Transactable;
        use linli_shared::automerge::{ObjType, ROOT, ReadDoc};
        let mut tx = d.transaction();
        let b = tx.get(ROOT, "ballots").unwrap().unwrap().1;
        let m = tx
            .put_object(&b, format!("7-2-301|{me}"), ObjType::Map)
            .unwrap();
        tx.put(&m, "choice", "no").unwrap();
        tx.put(&m, "at", now_ms()).unwrap();
        tx.put(&m, "by", me.as_str()).unwrap();
        tx.put(&m, "by_name", "").unwrap();
        tx.put(&m, "paper", false).unwrap();
        tx.commit();
        Ok(())
    })
    .await;
    assert_eq!(code, "vote_closed");
    // The relay kept the first ballot only.
    let doc = relay.relay_doc(v.wang_sheet).await.unwrap();
    let sheet = linli_shared::domain::owners_vote::Sheet::read(&doc).unwrap();
    assert_eq!(sheet.ballots.len(), 1);
    assert_eq!(sheet.counted().unwrap().choice, Choice::Yes);
}

#[tokio::test]
async fn a_collector_enters_paper_ballots_in_their_grid_only() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let (wang, zhao) = (enrol(&relay, WANG).await, enrol(&relay, ZHAO).await);
    let li = enrol(&relay, LI).await; // grid worker of g07 and g08
    let mut staff = zhang.connect(&relay).await;
    let v = opened(&mut staff, &wang, &zhao).await;
    let mut l = li.connect(&relay).await;
    assert!(l.pump_until(|c| c.holds(&v.wang_sheet), 10).await);
    let c = cast(li.person(), Choice::No, true);
    confirmed(&mut l, v.wang_sheet, move |d| c.apply(d, now_ms())).await;
    l.settle().await;
    assert!(!l.holds(&v.zhao_sheet), "g03 is not Li's grid");
    let entry = RollEntry {
        flat: "3-1-502".into(),
        area: 12_840,
        household: household(&zhao),
        grid: "g03".into(),
    };
    let me = li.person();
    let code = refused(&mut l, v.zhao_sheet, move |d| {
        SheetCommand::Create {
            vote: v.vote.to_string(),
            entry,
            opens_at: now_ms() - MINUTE,
            closes_at: now_ms() + DAY,
        }
        .apply(d, now_ms())?;
        cast(me, Choice::Yes, true).apply(d, now_ms())
    })
    .await;
    assert_eq!(code, "not_allowed");
    // The owner's phone then overrides the paper entry for the flat.
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&v.wang_sheet), 10).await);
    let c = cast(wang.person(), Choice::Yes, false);
    confirmed(&mut w, v.wang_sheet, move |d| c.apply(d, now_ms())).await;
    let doc = relay.relay_doc(v.wang_sheet).await.unwrap();
    let sheet = linli_shared::domain::owners_vote::Sheet::read(&doc).unwrap();
    assert_eq!(sheet.ballots.len(), 2);
    assert_eq!(sheet.counted().unwrap().by, wang.person());
}

#[tokio::test]
async fn a_resident_cannot_start_a_vote() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    let now = now_ms();
    let roll = vec![RollEntry {
        flat: "7-2-301".into(),
        area: 8_960,
        household: household(&wang),
        grid: "g07".into(),
    }];
    let draft = VoteDraft {
        question: "我要表决".into(),
        matter: Matter::Other,
        talk: None,
        item: None,
        opens_at: now,
        closes_at: now + DAY,
    };
    let code = refused(&mut w, new_id(), move |d| {
        VoteCommand::Create { draft, roll }.apply(d, now_ms())
    })
    .await;
    assert_eq!(code, "not_allowed");
}

#[tokio::test]
async fn the_demo_has_a_closed_roof_vote_that_passed_and_an_open_rental_vote_her_flat_has_not_voted_in()
 {
    use linli_shared::domain::owners_vote::{Sheet, Vote};
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    let ids: Vec<DocumentId> = w.core.doc_ids().copied().collect();
    let votes: Vec<(DocumentId, Vote)> = ids
        .iter()
        .filter_map(|id| Some((*id, Vote::read(w.core.doc(id)?).ok()?)))
        .collect();
    let sheets: Vec<Sheet> = ids
        .iter()
        .filter_map(|id| Sheet::read(w.core.doc(id)?).ok())
        .collect();
    assert_eq!(votes.len(), 2, "{votes:?}");
    let roof = votes
        .iter()
        .find(|(_, v)| v.matter == Matter::UseFund)
        .unwrap();
    let r = roof.1.result.expect("published");
    assert!(r.quorum && r.passed, "{r:?}");
    assert!(roof.1.talk.is_some(), "from the talk decision on the leaks");
    let rental = votes
        .iter()
        .find(|(_, v)| v.matter == Matter::ChangeSharedParts)
        .unwrap();
    assert!(rental.1.is_open(now_ms()));
    // Her phone holds her own flat's sheet of each vote, and no other flat's.
    assert_eq!(sheets.len(), 2);
    assert!(sheets.iter().all(|s| s.flat == "7-2-301"));
    let hers = sheets
        .iter()
        .find(|s| s.vote == rental.0.to_string())
        .unwrap();
    assert!(hers.counted().is_none(), "she has not voted yet");
    // Staff see the rental vote's partial ballots, some from paper.
    let zhang = enrol(&relay, ZHANG).await;
    let mut s = zhang.connect(&relay).await;
    s.settle().await;
    let all: Vec<Sheet> = s
        .core
        .doc_ids()
        .filter_map(|id| Sheet::read(s.core.doc(id)?).ok())
        .filter(|x| x.vote == rental.0.to_string())
        .collect();
    let counted = all.iter().filter_map(|x| x.counted()).count();
    assert!(
        counted > 0 && counted * 2 < all.len(),
        "{counted} of {}",
        all.len()
    );
    assert!(all.iter().filter_map(|x| x.counted()).any(|b| b.paper));
}
