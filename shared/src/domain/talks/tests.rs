//! The talk's commands and write rules, and convergence of minutes edited on many phones.

use automerge::{ActorId, Automerge};

use super::split::{Payer, Share};
use super::*;
use crate::api::RefusalCode;
use crate::policy::{Party, Principal, Role};
use crate::rules::{Before, Ctx, Refusal, check_changes};

fn who(role: Role, person: &str, party: Option<Party>) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some("h-1".into()),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: Some("g01".into()),
        name: None,
        party,
        team_grids: Vec::new(),
        actor_prefix: Vec::new(),
    }
}

fn staff() -> Principal {
    who(Role::Staff, "p-staff", None)
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    check_changes(
        p,
        &Ctx::none(),
        &Before::for_changes(before, &changes),
        after,
        &changes,
    )
}

fn run(doc: &mut Automerge, c: TalkCommand) {
    c.apply(doc, 1_000).unwrap();
}

/// A talk with one item, `published` or not.
fn talk(published: bool) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    run(
        &mut d,
        TalkCommand::Create {
            date: "2026-12-02".into(),
            time: "14:30".into(),
            place: "社区议事厅".into(),
        },
    );
    run(
        &mut d,
        TalkCommand::AddItem {
            id: "i1".into(),
            title: "健身器材更新".into(),
            source: Source::Free,
            request: None,
            colour: None,
            due_at: None,
        },
    );
    if published {
        run(&mut d, TalkCommand::Publish);
    }
    d
}

fn say(side: Side, by: &str) -> TalkCommand {
    TalkCommand::Say {
        item: "i1".into(),
        side,
        round: 1,
        stance: Stance::Position,
        text: "同意更新".into(),
        by: by.into(),
        by_name: String::new(),
    }
}

const PROPERTY: Side = Side::Party(Party::PropertyCompany);
const OWNERS: Side = Side::Party(Party::OwnersCommittee);

fn gym(bps: [i64; 3]) -> TalkCommand {
    let payers = [
        Payer::Side(PROPERTY),
        Payer::CommunityFund,
        Payer::Crowdfunding,
    ];
    let fen = split::allocate(4_800_000, &bps);
    TalkCommand::Decide {
        item: "i1".into(),
        text: "更新健身器材".into(),
        agreed: vec![PROPERTY, OWNERS, Side::ResidentsCommittee],
        total_fen: 4_800_000,
        split: (0..3)
            .map(|i| Share {
                payer: payers[i],
                bp: bps[i],
                fen: fen[i],
            })
            .collect(),
        actions: vec![ActionDraft {
            text: "采购安装".into(),
            owner: "p-manager".into(),
            owner_name: "物业刘经理".into(),
            due: "2026-12-20".into(),
        }],
    }
}

#[test]
fn a_representative_writes_positions_for_their_own_party_only() {
    let before = talk(false);
    let rep = who(Role::Resident, "p-rep", Some(Party::PropertyCompany));
    let mut own = before.fork();
    run(&mut own, say(PROPERTY, "p-rep"));
    assert_eq!(check(&rep, &before, &own), Ok(()));
    let mut other = before.fork();
    run(&mut other, say(OWNERS, "p-rep"));
    assert_eq!(
        check(&rep, &before, &other).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let mut forged = before.fork();
    run(&mut forged, say(PROPERTY, "p-someone"));
    assert_eq!(
        check(&rep, &before, &forged).unwrap_err().code,
        RefusalCode::BadEvent
    );
    let read = Talk::read(&own).unwrap();
    assert_eq!(read.items[0].positions[0].side, PROPERTY);
}

#[test]
fn a_resident_writes_no_position_decision_or_attendance() {
    let before = talk(true);
    let resident = who(Role::Resident, "p-res", None);
    for c in [
        say(Side::ResidentsCommittee, "p-res"),
        gym([6_000, 3_000, 1_000]),
        TalkCommand::Attend {
            side: OWNERS,
            attendance: Attendance::Present,
        },
        TalkCommand::EditMinutes {
            text: "我来写".into(),
        },
    ] {
        let mut after = before.fork();
        run(&mut after, c.clone());
        assert!(check(&resident, &before, &after).is_err(), "{c:?}");
    }
}

#[test]
fn a_resident_adds_only_their_own_plus_one_and_only_once_published() {
    let resident = who(Role::Resident, "p-res", None);
    let plus = |person: &str| TalkCommand::PlusOne {
        item: "i1".into(),
        person: person.into(),
        on: true,
    };
    let draft = talk(false);
    let mut early = draft.fork();
    run(&mut early, plus("p-res"));
    assert!(check(&resident, &draft, &early).is_err());
    let published = talk(true);
    let mut own = published.fork();
    run(&mut own, plus("p-res"));
    assert_eq!(check(&resident, &published, &own), Ok(()));
    let mut other = published.fork();
    run(&mut other, plus("p-other"));
    assert!(check(&resident, &published, &other).is_err());
    assert_eq!(Talk::read(&own).unwrap().items[0].plus_ones.len(), 1);
}

#[test]
fn residents_read_a_talk_once_published_and_representatives_before() {
    let resident = who(Role::Resident, "p-res", None);
    let rep = who(Role::Resident, "p-rep", Some(Party::Merchant));
    let draft = crate::domain::Scope::read(&talk(false));
    let public = crate::domain::Scope::read(&talk(true));
    assert!(!resident.may_read(&draft));
    assert!(resident.may_read(&public));
    assert!(rep.may_read(&draft));
    assert!(staff().may_read(&draft));
}

#[test]
fn staff_record_a_split_that_adds_up_and_nobody_records_one_that_does_not() {
    let before = talk(true);
    let mut good = before.fork();
    run(&mut good, gym([6_000, 3_000, 1_000]));
    assert_eq!(check(&staff(), &before, &good), Ok(()));
    let d = Talk::read(&good).unwrap().items[0]
        .decision
        .clone()
        .unwrap();
    assert_eq!(d.split.len(), 3);
    assert_eq!(d.split[0].fen, 2_880_000);
    // The command itself refuses 60/30/5 …
    let mut bad = before.fork();
    assert!(matches!(
        gym([6_000, 3_000, 500]).apply(&mut bad, 1_000),
        Err(crate::domain::ModelError::Input(
            crate::domain::InputError::Split(SplitError::PercentNot100 { bp: 9_500 })
        ))
    ));
    // … and a device that writes it anyway is refused by the relay, staff included.
    let mut forged = good.fork();
    {
        use automerge::transaction::Transactable;
        let items =
            crate::docutil::get_obj(&forged, &automerge::ROOT, "items", automerge::ObjType::Map)
                .unwrap();
        let item = crate::docutil::get_obj(&forged, &items, "i1", automerge::ObjType::Map).unwrap();
        let dec =
            crate::docutil::get_obj(&forged, &item, "decision", automerge::ObjType::Map).unwrap();
        let mut tx = forged.transaction();
        tx.put(&dec, "total_fen", 4_900_000i64).unwrap();
        tx.commit();
    }
    assert_eq!(
        check(&staff(), &good, &forged).unwrap_err().code,
        RefusalCode::BadSplit
    );
}

#[test]
fn only_the_owner_marks_an_action_item_done() {
    let mut before = talk(true);
    run(&mut before, gym([6_000, 3_000, 1_000]));
    let done = TalkCommand::ActionDone {
        item: "i1".into(),
        action: "a1".into(),
        done: true,
    };
    let mut after = before.fork();
    run(&mut after, done);
    let owner = who(Role::Resident, "p-manager", Some(Party::PropertyCompany));
    assert_eq!(check(&owner, &before, &after), Ok(()));
    let other = who(Role::Resident, "p-x", Some(Party::PropertyCompany));
    assert!(check(&other, &before, &after).is_err());
    let d = Talk::read(&after).unwrap().items[0]
        .decision
        .clone()
        .unwrap();
    assert!(d.actions_done());
}

#[test]
fn representatives_edit_the_minutes_until_they_are_published() {
    let before = talk(true);
    let rep = who(Role::Resident, "p-rep", Some(Party::OwnersCommittee));
    let mut after = before.fork();
    run(
        &mut after,
        TalkCommand::EditMinutes {
            text: "纪要".into(),
        },
    );
    assert_eq!(check(&rep, &before, &after), Ok(()));
    let mut closed = after.fork();
    run(&mut closed, TalkCommand::PublishMinutes);
    let mut late = closed.fork();
    run(
        &mut late,
        TalkCommand::EditMinutes {
            text: "纪要补充".into(),
        },
    );
    assert!(check(&rep, &closed, &late).is_err());
}

#[test]
fn minutes_holding_a_phone_number_are_kept_as_a_draft_but_never_published() {
    let before = talk(true);
    let rep = who(Role::Resident, "p-rep", Some(Party::OwnersCommittee));
    let mut draft = before.fork();
    run(
        &mut draft,
        TalkCommand::EditMinutes {
            text: "有事请联系王师傅 13812345678".into(),
        },
    );
    // While a draft only staff and the representatives read it: the edit is kept.
    assert_eq!(check(&rep, &before, &draft), Ok(()));
    let mut published = draft.fork();
    run(&mut published, TalkCommand::PublishMinutes);
    let refused = check(&staff(), &draft, &published).unwrap_err();
    assert_eq!(refused.code, RefusalCode::PersonalData);
    assert_eq!(
        minutes_personal_data("有事请联系王师傅 13812345678"),
        Some(crate::pii::PiiKind::Mobile)
    );
    // Without the number they publish, and staff cannot slip one in afterwards.
    let mut clean = draft.fork();
    run(
        &mut clean,
        TalkCommand::EditMinutes {
            text: "有事请联系王师傅（电话见居委会）".into(),
        },
    );
    let mut ok = clean.fork();
    run(&mut ok, TalkCommand::PublishMinutes);
    assert_eq!(check(&staff(), &clean, &ok), Ok(()));
    let mut late = ok.fork();
    run(
        &mut late,
        TalkCommand::EditMinutes {
            text: "有事请联系王师傅 13812345678".into(),
        },
    );
    assert_eq!(
        check(&staff(), &ok, &late).unwrap_err().code,
        RefusalCode::PersonalData
    );
}

#[test]
fn the_draft_minutes_say_who_came_what_was_said_and_who_pays() {
    let mut d = talk(true);
    run(
        &mut d,
        TalkCommand::Attend {
            side: Side::Party(Party::Merchant),
            attendance: Attendance::Absent,
        },
    );
    run(&mut d, say(PROPERTY, "p-rep"));
    run(&mut d, gym([6_000, 3_000, 1_000]));
    let m = draft_minutes(&Talk::read(&d).unwrap(), true);
    for part in [
        "商户代表: 缺席",
        "物业公司 · 意见",
        "物业公司 60% (¥28800)",
        "社区基金 30%",
        "居民众筹 10%",
        "采购安装",
    ] {
        assert!(m.contains(part), "{part} in {m}");
    }
}

/// A small deterministic generator (no randomness in `shared`'s tests).
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    *seed >> 33
}

#[test]
fn concurrent_offline_edits_of_minutes_and_action_items_on_n_replicas_converge() {
    for n in 2..=5u8 {
        let mut seed = u64::from(n) * 7919;
        let mut base = talk(true);
        run(&mut base, gym([6_000, 3_000, 1_000]));
        run(
            &mut base,
            TalkCommand::EditMinutes {
                text: "会议纪要\n".into(),
            },
        );
        let mut phones: Vec<Automerge> = (0..n)
            .map(|i| base.fork().with_actor(ActorId::from(vec![i + 10; 16])))
            .collect();
        let mut typed: Vec<String> = Vec::new();
        for (i, phone) in phones.iter_mut().enumerate() {
            for k in 0..3 {
                let now = Talk::read(phone).unwrap().minutes;
                let chars: Vec<char> = now.chars().collect();
                // Somewhere outside the words already typed (a person types between words).
                let gaps: Vec<usize> = (0..=chars.len())
                    .filter(|&g| {
                        let open = chars[..g].iter().filter(|c| **c == '[').count();
                        open == chars[..g].iter().filter(|c| **c == ']').count()
                    })
                    .collect();
                let at = gaps[(lcg(&mut seed) as usize) % gaps.len()];
                let word = format!("[{i}-{k}]");
                let text: String = chars[..at]
                    .iter()
                    .chain(word.chars().collect::<Vec<_>>().iter())
                    .chain(chars[at..].iter())
                    .collect();
                run(phone, TalkCommand::EditMinutes { text });
                typed.push(word);
            }
            run(
                phone,
                TalkCommand::ActionDone {
                    item: "i1".into(),
                    action: "a1".into(),
                    done: i % 2 == 0,
                },
            );
        }
        // Every phone meets every other, in different orders.
        let snapshot: Vec<Automerge> = phones.iter().map(Automerge::fork).collect();
        for (i, phone) in phones.iter_mut().enumerate() {
            for j in (0..snapshot.len()).rev() {
                if j != i {
                    phone.merge(&mut snapshot[j].fork()).unwrap();
                }
            }
        }
        let first = Talk::read(&phones[0]).unwrap();
        for p in &phones {
            assert_eq!(Talk::read(p).unwrap(), first, "replicas differ with {n}");
        }
        for w in &typed {
            assert!(
                first.minutes.contains(w.as_str()),
                "{w} lost in {}",
                first.minutes
            );
        }
    }
}
