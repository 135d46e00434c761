//! Four-party talks against the real relay: party seats come from the person's record (only
//! staff write it), residents write no position, decision or attendance, a representative
//! speaks only for their own party, and a cost split that does not add up is refused.

use super::common::*;
use super::new_id;
use axum::http::StatusCode;
use linli_shared::domain::people::Seat;
use linli_shared::domain::talks::{
    ActionDraft, Attendance, Payer, Share, Side, Source, Stance, TalkCommand,
};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Party;
use serde_json::json;

/// Staff invite a representative of `party`; their phone enrols.
async fn representative(relay: &TestRelay, staff_token: &str, party: Party) -> TestDevice {
    let seat = Seat {
        party,
        title: "代表".into(),
    };
    let (s, inv) = relay
        .api(
            "POST",
            "/api/invites",
            Some(json!({ "role": "resident", "name": "代表甲", "grid": "g05", "seat": seat })),
            Some(staff_token),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{inv}");
    enrol(relay, inv["code"].as_str().unwrap()).await
}

fn run(c: TalkCommand) -> impl FnOnce(&mut Automerge) -> Result<(), ModelError> {
    move |d| c.apply(d, now_ms())
}

use linli_shared::automerge::Automerge;
use linli_shared::domain::ModelError;

async fn confirmed(conn: &mut Conn, id: DocumentId, c: TalkCommand) {
    conn.change_confirmed(id, run(c)).await;
}

async fn refused(
    conn: &mut Conn,
    id: DocumentId,
    edit: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
) -> String {
    conn.change_refused(id, edit).await
}

/// A meeting scheduled by staff, with one item, published or not.
async fn scheduled(staff: &mut Conn, publish: bool) -> DocumentId {
    let id = new_id();
    confirmed(
        staff,
        id,
        TalkCommand::Create {
            date: "2026-12-02".into(),
            time: "14:30".into(),
            place: "社区议事厅".into(),
        },
    )
    .await;
    confirmed(
        staff,
        id,
        TalkCommand::AddItem {
            id: "i1".into(),
            title: "健身器材更新".into(),
            source: Source::Free,
            request: None,
            colour: None,
            due_at: None,
        },
    )
    .await;
    if publish {
        confirmed(staff, id, TalkCommand::Publish).await;
    }
    id
}

fn say(side: Side, by: &str) -> TalkCommand {
    TalkCommand::Say {
        item: "i1".into(),
        side,
        round: 1,
        stance: Stance::Position,
        text: "同意".into(),
        by: by.into(),
        by_name: String::new(),
    }
}

#[tokio::test]
async fn a_representative_reads_the_draft_agenda_and_residents_only_the_published_one() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let token = zhang.token(&relay).await.unwrap();
    let rep = representative(&relay, &token, Party::OwnersCommittee).await;
    let mut staff = zhang.connect(&relay).await;
    let id = scheduled(&mut staff, false).await;
    let mut r = rep.connect(&relay).await;
    assert!(
        r.pump_until(|c| c.holds(&id), 10).await,
        "the rep gets the draft"
    );
    let wang = enrol(&relay, WANG).await;
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    assert!(!w.holds(&id), "a resident does not get a draft agenda");
    confirmed(&mut staff, id, TalkCommand::Publish).await;
    assert!(
        w.pump_until(|c| c.holds(&id), 10).await,
        "published: the resident gets it"
    );
}

#[tokio::test]
async fn a_resident_cannot_write_a_position_a_decision_or_attendance() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut staff = zhang.connect(&relay).await;
    let id = scheduled(&mut staff, true).await;
    let wang = enrol(&relay, WANG).await;
    let me = wang.person();
    let attempts = [
        say(Side::ResidentsCommittee, &me),
        TalkCommand::Decide {
            item: "i1".into(),
            text: "我决定".into(),
            agreed: vec![Side::ResidentsCommittee],
            total_fen: 0,
            split: Vec::new(),
            actions: Vec::new(),
        },
        TalkCommand::Attend {
            side: Side::Party(Party::Merchant),
            attendance: Attendance::Absent,
        },
    ];
    for c in attempts {
        let mut w = wang.connect(&relay).await;
        assert!(w.pump_until(|c| c.holds(&id), 10).await);
        let code = refused(&mut w, id, run(c.clone())).await;
        assert_eq!(code, "field_not_allowed", "{c:?}");
    }
    // Their own +1 is theirs to give.
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&id), 10).await);
    confirmed(
        &mut w,
        id,
        TalkCommand::PlusOne {
            item: "i1".into(),
            person: me,
            on: true,
        },
    )
    .await;
}

#[tokio::test]
async fn a_representative_writes_positions_for_their_own_party_only() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let token = zhang.token(&relay).await.unwrap();
    let rep = representative(&relay, &token, Party::PropertyCompany).await;
    let mut staff = zhang.connect(&relay).await;
    let id = scheduled(&mut staff, false).await;
    let mut r = rep.connect(&relay).await;
    assert!(r.pump_until(|c| c.holds(&id), 10).await);
    confirmed(
        &mut r,
        id,
        say(Side::Party(Party::PropertyCompany), &rep.person()),
    )
    .await;
    let code = refused(
        &mut r,
        id,
        run(say(Side::Party(Party::OwnersCommittee), &rep.person())),
    )
    .await;
    assert_eq!(code, "field_not_allowed");
    // The relay keeps the one it accepted, and nothing of the other.
    let doc = relay.relay_doc(id).await.unwrap();
    let talk = linli_shared::domain::talks::Talk::read(&doc).unwrap();
    assert_eq!(talk.items[0].positions.len(), 1);
    assert_eq!(
        talk.items[0].positions[0].side,
        Side::Party(Party::PropertyCompany)
    );
}

#[tokio::test]
async fn a_split_not_adding_up_to_100_percent_or_to_the_total_is_refused_even_from_staff() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut staff = zhang.connect(&relay).await;
    let id = scheduled(&mut staff, true).await;
    let property = Payer::Side(Side::Party(Party::PropertyCompany));
    let decide = |bps: [i64; 3], fen: [i64; 3]| TalkCommand::Decide {
        item: "i1".into(),
        text: "更新健身器材".into(),
        agreed: vec![Side::ResidentsCommittee],
        total_fen: 4_800_000,
        split: [property, Payer::CommunityFund, Payer::Crowdfunding]
            .into_iter()
            .zip(bps.into_iter().zip(fen))
            .map(|(payer, (bp, fen))| Share { payer, bp, fen })
            .collect(),
        actions: vec![ActionDraft {
            text: "采购".into(),
            owner: zhang.person(),
            owner_name: String::new(),
            due: "2026-12-20".into(),
        }],
    };
    // 60/30/10 of ¥48,000 is recorded.
    confirmed(
        &mut staff,
        id,
        decide([6_000, 3_000, 1_000], [2_880_000, 1_440_000, 480_000]),
    )
    .await;
    // 60/30/5, written past the form's own check, is refused; so are amounts short of the
    // total.
    for (bps, fen, why) in [
        (
            [6_000, 3_000, 500],
            [2_880_000, 1_440_000, 240_000],
            "percent",
        ),
        (
            [6_000, 3_000, 1_000],
            [2_880_000, 1_440_000, 470_000],
            "total",
        ),
    ] {
        let bad = decide(bps, fen);
        let code = refused(&mut staff, id, move |doc| {
            // What a device skipping the check would write: the decision with its split.
            let TalkCommand::Decide { split, .. } = &bad else {
                unreachable!()
            };
            decide_raw(doc, split)
        })
        .await;
        assert_eq!(code, "bad_split", "{why}");
        // A refusal makes the relay forget what this device held: its next connection is
        // offered the document again.
        staff = zhang.connect(&relay).await;
        assert!(staff.pump_until(|c| c.holds(&id), 10).await);
    }
    let doc = relay.relay_doc(id).await.unwrap();
    let d = linli_shared::domain::talks::Talk::read(&doc).unwrap().items[0]
        .decision
        .clone()
        .unwrap();
    assert_eq!(d.split[2].bp, 1_000, "the recorded split stands");
}

/// Overwrites the split of item `i1`'s decision without checking it.
fn decide_raw(doc: &mut Automerge, split: &[Share]) -> Result<(), ModelError> {
    use linli_shared::automerge::transaction::Transactable;
    use linli_shared::automerge::{ObjType, ROOT, ReadDoc};
    let obj = |doc: &Automerge, o: &linli_shared::automerge::ObjId, k: &str| match doc.get(o, k) {
        Ok(Some((_, id))) => id,
        _ => panic!("no {k}"),
    };
    let items = obj(doc, &ROOT, "items");
    let item = obj(doc, &items, "i1");
    let dec = obj(doc, &item, "decision");
    let mut tx = doc.transaction();
    let list = tx.put_object(&dec, "split", ObjType::List)?;
    for (i, s) in split.iter().enumerate() {
        let m = tx.insert_object(&list, i, ObjType::Map)?;
        tx.put(&m, "payer", s.payer.as_str())?;
        tx.put(&m, "bp", s.bp)?;
        tx.put(&m, "fen", s.fen)?;
    }
    tx.commit();
    Ok(())
}

#[tokio::test]
async fn a_seat_is_staffs_to_give_the_person_cannot_write_it_into_their_record() {
    let relay = TestRelay::start().await;
    let wang = enrol(&relay, WANG).await;
    let doc = wang.person_doc().unwrap();
    let mut w = wang.connect(&relay).await;
    assert!(w.pump_until(|c| c.holds(&doc), 10).await);
    let code = refused(&mut w, doc, |d| {
        linli_shared::domain::people::set_seat(
            d,
            Some(&Seat {
                party: Party::OwnersCommittee,
                title: "自封".into(),
            }),
        )
    })
    .await;
    assert_eq!(code, "field_not_allowed");
}

#[tokio::test]
async fn a_seat_staff_give_on_the_persons_page_takes_effect_on_their_connected_phone() {
    let relay = TestRelay::start().await;
    let zhang = enrol(&relay, ZHANG).await;
    let mut staff = zhang.connect(&relay).await;
    let id = scheduled(&mut staff, false).await;
    let wang = enrol(&relay, WANG).await;
    let record = wang.person_doc().unwrap();
    let me = wang.person();
    let mut w = wang.connect(&relay).await;
    w.settle().await;
    assert!(!w.holds(&id), "no seat: no draft agenda");
    // Staff's phone writes the seat into her record (the person page's form).
    assert!(staff.pump_until(|c| c.holds(&record), 10).await);
    staff
        .change(record, |d| {
            linli_shared::domain::people::PersonCommand::SetSeat {
                seat: Some(Seat {
                    party: Party::OwnersCommittee,
                    title: "业委会委员".into(),
                }),
            }
            .apply(d, now_ms())
        })
        .await;
    assert!(
        staff
            .pump_until(|c| c.core.unconfirmed(&record) == 0, 10)
            .await,
        "rejected {:?}",
        staff.rejected
    );
    // Her connected phone now reads the draft and speaks for the owners' committee.
    assert!(
        w.pump_until(|c| c.holds(&id), 10).await,
        "the seat gave her the draft agenda"
    );
    confirmed(&mut w, id, say(Side::Party(Party::OwnersCommittee), &me)).await;
}

#[tokio::test]
async fn the_demo_holds_a_year_of_weekly_talks_with_merchants_coming_less_and_less() {
    let relay = TestRelay::start().await;
    let talks: Vec<linli_shared::domain::talks::Talk> = relay
        .on_hub(|ctx| {
            let ids: Vec<DocumentId> = ctx
                .relay
                .documents()
                .filter(|(_, m)| m.scope.kind == Some(linli_shared::domain::DocKind::Talk))
                .map(|(id, _)| *id)
                .collect();
            ids.iter()
                .filter_map(|id| ctx.relay.document(ctx.store, id).ok().flatten())
                .filter_map(|d| linli_shared::domain::talks::Talk::read(&d).ok())
                .collect()
        })
        .await;
    let mut held: Vec<_> = talks.iter().filter(|t| !t.attendance.is_empty()).collect();
    held.sort_by(|a, b| a.date.cmp(&b.date));
    assert_eq!(held.len(), 52);
    let merchant = Side::Party(Party::Merchant);
    let came = |ts: &[&linli_shared::domain::talks::Talk]| {
        ts.iter()
            .filter(|t| t.attendance_of(merchant) == Some(Attendance::Present))
            .count()
    };
    assert!(
        came(&held[..13]) > came(&held[39..]) + 3,
        "merchants fell away"
    );
    // The gym decision split 60/30/10, and the next talk has 王秀英's red request on it.
    assert!(held.iter().flat_map(|t| &t.items).any(|i| {
        i.decision.as_ref().is_some_and(|d| {
            d.split.iter().map(|s| s.bp).collect::<Vec<_>>() == vec![6_000, 3_000, 1_000]
        })
    }));
    let next = talks.iter().find(|t| t.attendance.is_empty()).unwrap();
    assert_eq!(next.items[0].source, Source::Request);
    assert!(next.published_at.is_some());
}

#[tokio::test]
async fn a_representatives_phone_enrols_with_the_seat_staff_gave_them() {
    let relay = TestRelay::start().await;
    let owners = enrol(&relay, "YWHZHU26").await;
    let doc = owners.person_doc().unwrap();
    let mut c = owners.connect(&relay).await;
    assert!(c.pump_until(|c| c.holds(&doc), 10).await);
    let seat = linli_shared::domain::people::seat(c.core.doc(&doc).unwrap()).unwrap();
    assert_eq!(seat.party, Party::OwnersCommittee);
    // Their principal carries it: they may speak for the owners' committee on a draft agenda.
    let zhang = enrol(&relay, ZHANG).await;
    let mut staff = zhang.connect(&relay).await;
    let id = scheduled(&mut staff, false).await;
    assert!(c.pump_until(|c| c.holds(&id), 10).await);
    confirmed(
        &mut c,
        id,
        say(Side::Party(Party::OwnersCommittee), &owners.person()),
    )
    .await;
}
