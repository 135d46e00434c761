//! The fold, the tally, the commands and the write rules of owners' votes.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ObjType, ROOT, ReadDoc};

use super::*;
use crate::api::RefusalCode;
use crate::policy::{Principal, Role};
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{DAY, HOUR};

const T0: Millis = 1_800_000_000_000;

fn ballot(by: &str, at: Millis, paper: bool, choice: Choice) -> Ballot {
    Ballot {
        choice,
        at,
        by: by.into(),
        by_name: String::new(),
        paper,
    }
}

#[test]
fn the_owners_own_phone_beats_a_later_paper_entry() {
    let b = [
        ballot("p-leader", T0 + 5 * HOUR, true, Choice::No),
        ballot("p-owner", T0, false, Choice::Yes),
    ];
    assert_eq!(fold(&b).unwrap().by, "p-owner");
    // In any order.
    let r = [b[1].clone(), b[0].clone()];
    assert_eq!(fold(&r).unwrap().by, "p-owner");
}

#[test]
fn between_paper_entries_the_later_wins_and_a_tie_goes_to_the_greater_writer() {
    let later = [
        ballot("p-b", T0, true, Choice::No),
        ballot("p-a", T0 + 1, true, Choice::Yes),
    ];
    assert_eq!(fold(&later).unwrap().choice, Choice::Yes);
    let tie = [
        ballot("p-b", T0, true, Choice::No),
        ballot("p-a", T0, true, Choice::Yes),
    ];
    assert_eq!(fold(&tie).unwrap().by, "p-b");
    let tie_rev = [tie[1].clone(), tie[0].clone()];
    assert_eq!(fold(&tie_rev).unwrap().by, "p-b");
    assert!(fold(&[]).is_none());
}

fn roll() -> Vec<RollEntry> {
    // Twelve flats of building 7 (grid g07) of 100 m² each but the first, of 150 m².
    (0..12)
        .map(|i| RollEntry {
            flat: format!("7-1-{}0{}", 1 + i / 2, 1 + i % 2),
            area: if i == 0 { 15_000 } else { 10_000 },
            household: format!("h-{i}"),
            grid: "g07".into(),
        })
        .collect()
}

fn draft(matter: Matter) -> VoteDraft {
    VoteDraft {
        question: "使用维修资金修缮12栋屋面渗漏".into(),
        matter,
        talk: Some("talk-1".into()),
        item: Some("i1".into()),
        opens_at: T0,
        closes_at: T0 + 14 * DAY,
    }
}

fn new_doc(actor: u8) -> Automerge {
    Automerge::new().with_actor(ActorId::from(vec![actor; 16]))
}

fn vote_doc(matter: Matter) -> Automerge {
    let mut d = new_doc(1);
    VoteCommand::Create {
        draft: draft(matter),
        roll: roll(),
    }
    .apply(&mut d, T0 - HOUR)
    .unwrap();
    d
}

fn sheet_doc(entry: &RollEntry) -> Automerge {
    let mut d = new_doc(2);
    SheetCommand::Create {
        vote: "vote-1".into(),
        entry: entry.clone(),
        opens_at: T0,
        closes_at: T0 + 14 * DAY,
    }
    .apply(&mut d, T0 - HOUR)
    .unwrap();
    d
}

fn cast_on(doc: &mut Automerge, by: &str, choice: Choice, paper: bool, at: Millis) {
    SheetCommand::Cast {
        by: by.into(),
        by_name: String::new(),
        choice,
        paper,
    }
    .apply(doc, at)
    .unwrap();
}

#[test]
fn two_collectors_and_the_owner_offline_count_the_flat_once_and_the_owner_counts() {
    let entry = &roll()[0];
    let base = sheet_doc(entry);
    let mut leader_a = base.fork().with_actor(ActorId::from(vec![3u8; 16]));
    let mut leader_b = base.fork().with_actor(ActorId::from(vec![4u8; 16]));
    let mut owner = base.fork().with_actor(ActorId::from(vec![5u8; 16]));
    cast_on(&mut leader_a, "p-leader-a", Choice::No, true, T0 + 3 * HOUR);
    cast_on(&mut leader_b, "p-leader-b", Choice::No, true, T0 + 2 * HOUR);
    cast_on(&mut owner, "p-owner", Choice::Yes, false, T0 + HOUR);
    let mut one = leader_a.fork();
    one.merge(&mut leader_b).unwrap();
    one.merge(&mut owner).unwrap();
    let mut other = owner.fork();
    other.merge(&mut leader_a).unwrap();
    other.merge(&mut leader_b).unwrap();
    let (s1, s2) = (Sheet::read(&one).unwrap(), Sheet::read(&other).unwrap());
    assert_eq!(s1, s2);
    assert_eq!(s1.ballots.len(), 3);
    assert_eq!(s1.counted().unwrap().by, "p-owner");
    let c = counted("vote-1", &[s1]);
    assert_eq!(c.len(), 1);
    assert_eq!(c["7-1-101"], (15_000, Choice::Yes));
    // Without the owner, two paper entries still count once: the later one.
    let mut papers = leader_a.fork();
    papers.merge(&mut leader_b).unwrap();
    let s = Sheet::read(&papers).unwrap();
    assert_eq!(counted("vote-1", &[s.clone(), s.clone()]).len(), 1);
    assert_eq!(s.counted().unwrap().by, "p-leader-a");
}

#[test]
fn the_tally_is_decide_over_the_folded_ballots() {
    let vote = Vote::read(&vote_doc(Matter::UseFund)).unwrap();
    assert_eq!(
        vote.electorate,
        Electorate {
            area: 125_000,
            owners: 12
        }
    );
    let mut sheets = Vec::new();
    let mut expected = BTreeMap::new();
    for (i, e) in roll().iter().enumerate().take(9) {
        let mut d = sheet_doc(e);
        let choice = if i < 5 { Choice::Yes } else { Choice::No };
        // A paper entry saying the opposite, which the owner's phone overrides.
        cast_on(&mut d, "p-leader", Choice::Abstain, true, T0 + 2 * HOUR);
        cast_on(&mut d, &format!("p-owner-{i}"), choice, false, T0 + HOUR);
        sheets.push(Sheet::read(&d).unwrap());
        expected.insert(e.flat.clone(), (e.area, choice));
    }
    // A sheet of another vote is not counted.
    let mut stray = sheet_doc(&roll()[11]);
    cast_on(&mut stray, "p-x", Choice::Yes, false, T0 + HOUR);
    let mut s = Sheet::read(&stray).unwrap();
    s.vote = "vote-2".into();
    sheets.push(s);
    let t = tally("vote-1", &vote, &sheets);
    assert_eq!(t, decide(Matter::UseFund, vote.electorate, &expected));
    assert_eq!((t.participating_owners, t.yes_owners), (9, 5));
    assert!(t.quorum && t.passed);
    assert!(result_consistent(vote.matter, vote.electorate, &t));
    // The same numbers under three quarters do not pass, and the published result must say so.
    assert!(!result_consistent(
        Matter::ChangeSharedParts,
        vote.electorate,
        &t
    ));
}

#[test]
fn judge_agrees_with_decide_on_every_small_case() {
    for matter in Matter::ALL {
        for yes in 0..6 {
            for no in 0..(6 - yes) {
                let mut b = BTreeMap::new();
                for i in 0..yes + no {
                    let c = if i < yes { Choice::Yes } else { Choice::No };
                    b.insert(format!("f{i}"), (10_000 + i as i64 * 1_000, c));
                }
                let e = Electorate {
                    area: 80_000,
                    owners: 6,
                };
                let d = decide(matter, e, &b);
                assert_eq!(judge(matter, e, &d), d, "{matter:?} {yes} {no}");
            }
        }
    }
}

#[test]
fn a_draft_closes_after_it_opens_within_ninety_days() {
    let mut d = draft(Matter::Other);
    assert!(d.check(T0 - HOUR).is_ok());
    d.closes_at = T0;
    assert_eq!(
        d.check(T0 - HOUR),
        Err(InputError::Vote(VoteError::ClosesBeforeOpens))
    );
    d.closes_at = T0 + 91 * DAY;
    assert_eq!(
        d.check(T0 - HOUR),
        Err(InputError::Vote(VoteError::ClosesTooLate { days: 90 }))
    );
    d.closes_at = T0 + DAY;
    d.question = "  ".into();
    assert_eq!(d.check(T0 - HOUR), Err(InputError::TextEmpty));
    d.question = "联系13812345678".into();
    assert!(matches!(
        d.check(T0 - HOUR),
        Err(InputError::PersonalData { .. })
    ));
}

#[test]
fn the_roll_takes_one_entry_per_flat_and_lists_flats_without_an_area() {
    let (roll, missing) = roll_from_records([
        (
            "7-2-301".to_string(),
            Some(9_850),
            "h-1".into(),
            "g07".into(),
        ),
        ("7-2-301".to_string(), None, "h-1".into(), "g07".into()),
        ("3-1-502".to_string(), None, "h-2".into(), "g03".into()),
        (String::new(), Some(5_000), "h-3".into(), "g03".into()),
    ]);
    assert_eq!(roll.len(), 1);
    assert_eq!((roll[0].flat.as_str(), roll[0].area), ("7-2-301", 9_850));
    assert_eq!(roll[0].building(), "7");
    assert_eq!(missing, vec!["3-1-502".to_string()]);
    assert_eq!(electorate(&[]), Err(InputError::Vote(VoteError::EmptyRoll)));
}

#[test]
fn casting_is_refused_on_the_phone_outside_the_period() {
    let mut d = sheet_doc(&roll()[0]);
    let c = SheetCommand::Cast {
        by: "p-owner".into(),
        by_name: String::new(),
        choice: Choice::Yes,
        paper: false,
    };
    assert!(matches!(
        c.apply(&mut d, T0 - 1),
        Err(ModelError::Input(InputError::Vote(VoteError::NotOpenYet)))
    ));
    assert!(matches!(
        c.apply(&mut d, T0 + 15 * DAY),
        Err(ModelError::Input(InputError::Vote(VoteError::Closed)))
    ));
    SheetCommand::Close.apply(&mut d, T0 + DAY).unwrap();
    assert!(matches!(
        c.apply(&mut d, T0 + 2 * DAY),
        Err(ModelError::Input(InputError::Vote(VoteError::Closed)))
    ));
}

// ---- The relay's rules.

fn who(role: Role, person: &str, household: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(household.into()),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: Some("g07".into()),
        name: None,
        party: None,
        team_grids: Vec::new(),
        actor_prefix: Vec::new(),
    }
}

fn owner() -> Principal {
    who(Role::Resident, "p-owner", "h-0")
}

fn leader(grid: &str) -> Principal {
    let mut p = who(Role::Resident, "p-leader", "h-77");
    p.team_grids = vec![grid.into()];
    p
}

fn staff() -> Principal {
    who(Role::Staff, "p-staff", "")
}

fn check_at(
    p: &Principal,
    now: Millis,
    before: &Automerge,
    after: &Automerge,
) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        now: Some(now),
        ..Ctx::none()
    };
    check_changes(
        p,
        &ctx,
        &Before::for_changes(before, &changes),
        after,
        &changes,
    )
}

fn code(r: Result<(), Refusal>) -> Option<RefusalCode> {
    r.err().map(|r| r.code)
}

#[test]
fn an_owner_writes_their_own_flats_ballot_and_nothing_else() {
    let before = sheet_doc(&roll()[0]);
    let now = T0 + HOUR;
    let mut ok = before.fork();
    cast_on(&mut ok, "p-owner", Choice::Yes, false, now);
    assert_eq!(code(check_at(&owner(), now, &before, &ok)), None);
    // Another household's resident cannot even hold the sheet.
    let neighbour = who(Role::Resident, "p-n", "h-5");
    assert_eq!(
        code(check_at(&neighbour, now, &before, &ok)),
        Some(RefusalCode::NotAllowed)
    );
    // An owner writing under someone else's key.
    let mut forged = before.fork();
    cast_on(&mut forged, "p-other", Choice::Yes, false, now);
    assert_eq!(
        code(check_at(&owner(), now, &before, &forged)),
        Some(RefusalCode::BadBallot)
    );
    // An owner's ballot claiming to be paper.
    let mut paper = before.fork();
    cast_on(&mut paper, "p-owner", Choice::Yes, true, now);
    assert_eq!(
        code(check_at(&owner(), now, &before, &paper)),
        Some(RefusalCode::BadBallot)
    );
    // The roll's area.
    let mut area = before.fork();
    area.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "area", 99_000i64).map(|_| ())
    })
    .unwrap();
    assert_eq!(
        code(check_at(&owner(), now, &before, &area)),
        Some(RefusalCode::FieldNotAllowed)
    );
    // A choice that is none of the three.
    let mut odd = ok.fork();
    odd.transact::<_, _, automerge::AutomergeError>(|tx| {
        let b = tx.get(ROOT, "ballots")?.unwrap().1;
        let mine = tx.get(&b, "7-1-101|p-owner")?.unwrap().1;
        tx.put(&mine, "choice", "maybe")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        code(check_at(&owner(), now, &ok, &odd)),
        Some(RefusalCode::BadBallot)
    );
    // Nor may an owner create a sheet (only staff put a flat on a roll).
    let fresh = Automerge::new();
    assert_eq!(
        code(check_at(&owner(), now, &fresh, &before)),
        Some(RefusalCode::NotAllowed)
    );
}

#[test]
fn nobody_writes_a_ballot_after_the_close_by_the_relays_clock() {
    let before = sheet_doc(&roll()[0]);
    // Written on the phone while open, arriving after the close.
    let mut late = before.fork();
    cast_on(&mut late, "p-owner", Choice::Yes, false, T0 + 13 * DAY);
    assert_eq!(
        code(check_at(&owner(), T0 + 15 * DAY, &before, &late)),
        Some(RefusalCode::VoteClosed)
    );
    assert_eq!(
        code(check_at(&staff(), T0 + 15 * DAY, &before, &late)),
        Some(RefusalCode::BadBallot),
        "staff's key is their own"
    );
    // Closed early by staff: a collector's entry is refused too.
    let mut closed = before.fork();
    SheetCommand::Close.apply(&mut closed, T0 + DAY).unwrap();
    assert_eq!(code(check_at(&staff(), T0 + DAY, &before, &closed)), None);
    let mut entry = closed.fork();
    entry
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let b = tx.get(ROOT, "ballots")?.unwrap().1;
            let m = tx.put_object(&b, "7-1-101|p-leader", ObjType::Map)?;
            tx.put(&m, "choice", "yes")?;
            tx.put(&m, "at", T0 + HOUR)?;
            tx.put(&m, "by", "p-leader")?;
            tx.put(&m, "paper", true)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        code(check_at(&leader("g07"), T0 + 2 * DAY, &closed, &entry)),
        Some(RefusalCode::VoteClosed)
    );
}

#[test]
fn a_collector_enters_paper_ballots_only_in_their_grid() {
    let before = sheet_doc(&roll()[0]);
    let now = T0 + HOUR;
    let mut entry = before.fork();
    cast_on(&mut entry, "p-leader", Choice::No, true, now);
    assert_eq!(code(check_at(&leader("g07"), now, &before, &entry)), None);
    assert_eq!(
        code(check_at(&leader("g08"), now, &before, &entry)),
        Some(RefusalCode::NotAllowed)
    );
    let mut worker = who(Role::GridWorker, "p-leader", "h-9");
    worker.grids = vec!["g07".into()];
    assert_eq!(code(check_at(&worker, now, &before, &entry)), None);
    // A collector's entry must say it is paper.
    let mut not_paper = before.fork();
    cast_on(&mut not_paper, "p-leader", Choice::No, false, now);
    assert_eq!(
        code(check_at(&leader("g07"), now, &before, &not_paper)),
        Some(RefusalCode::BadBallot)
    );
}

#[test]
fn only_staff_start_a_vote_and_nobody_changes_it_once_open() {
    let fresh = Automerge::new();
    let v = vote_doc(Matter::ChangeSharedParts);
    assert_eq!(code(check_at(&staff(), T0 - HOUR, &fresh, &v)), None);
    assert_eq!(
        code(check_at(&owner(), T0 - HOUR, &fresh, &v)),
        Some(RefusalCode::NotAllowed)
    );
    // Changing the matter before it opens is fine, after it is not, staff included.
    let mut m = v.fork();
    m.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "matter", "use_fund").map(|_| ())
    })
    .unwrap();
    assert_eq!(code(check_at(&staff(), T0 - 1, &v, &m)), None);
    assert_eq!(
        code(check_at(&staff(), T0 + 1, &v, &m)),
        Some(RefusalCode::FieldNotAllowed)
    );
    // A period longer than 90 days.
    let mut long = draft(Matter::Other);
    long.closes_at = T0 + 120 * DAY;
    let mut d = Automerge::new();
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", "owners_vote")?;
        tx.put(ROOT, "question", "q")?;
        tx.put(ROOT, "matter", "other")?;
        tx.put(ROOT, "created_at", T0)?;
        tx.put(ROOT, "opens_at", T0)?;
        tx.put(ROOT, "closes_at", long.closes_at)?;
        let e = tx.put_object(ROOT, "electorate", ObjType::Map)?;
        tx.put(&e, "area", 100i64)?;
        tx.put(&e, "owners", 1i64)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        code(check_at(&staff(), T0, &fresh, &d)),
        Some(RefusalCode::BadTime)
    );
}

#[test]
fn a_published_result_must_read_art_278_right() {
    let v = vote_doc(Matter::ChangeSharedParts);
    let vote = Vote::read(&v).unwrap();
    // 9 of 12 flats, 7 yes: 7/9 ≥ 3/4 of the owners and 70/90 of the area.
    let honest = judge(
        vote.matter,
        vote.electorate,
        &Outcome {
            participating_area: 90_000,
            participating_owners: 9,
            yes_area: 70_000,
            yes_owners: 7,
            quorum: false,
            passed: false,
        },
    );
    assert!(honest.quorum && honest.passed);
    let mut closed = v.fork();
    VoteCommand::Close { result: honest }
        .apply(&mut closed, T0 + 15 * DAY)
        .unwrap();
    assert_eq!(code(check_at(&staff(), T0 + 15 * DAY, &v, &closed)), None);
    let mut lie = v.fork();
    VoteCommand::Close {
        result: Outcome {
            passed: false,
            ..honest
        },
    }
    .apply(&mut lie, T0 + 15 * DAY)
    .unwrap();
    assert_eq!(
        code(check_at(&staff(), T0 + 15 * DAY, &v, &lie)),
        Some(RefusalCode::BadBallot)
    );
    // Once closed, nothing changes.
    let mut again = closed.fork();
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "closed_at", T0 + 16 * DAY).map(|_| ())
        })
        .unwrap();
    assert_eq!(
        code(check_at(&staff(), T0 + 16 * DAY, &closed, &again)),
        Some(RefusalCode::VoteClosed)
    );
}

#[test]
fn a_command_round_trips_through_json() {
    let c: crate::domain::Command = SheetCommand::Cast {
        by: "p-owner".into(),
        by_name: "王".into(),
        choice: Choice::Abstain,
        paper: false,
    }
    .into();
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains(r#""doc":"vote_sheet""#), "{json}");
    assert_eq!(
        serde_json::from_str::<crate::domain::Command>(&json).unwrap(),
        c
    );
}

#[test]
fn an_erased_owners_ballot_still_counts_for_the_flat_and_no_longer_names_them() {
    let entry = &roll()[0];
    let mut doc = sheet_doc(entry);
    cast_on(&mut doc, "p-leader-a", Choice::No, true, T0 + 3 * HOUR);
    cast_on(&mut doc, "p-owner", Choice::Yes, false, T0 + HOUR);
    assert!(<SheetKind as DocType>::anonymise(&mut doc, "p-nobody").is_none());
    <SheetKind as DocType>::anonymise(&mut doc, "p-owner")
        .unwrap()
        .unwrap();
    let s = Sheet::read(&doc).unwrap();
    assert_eq!(s.ballots.len(), 2);
    assert!(s.ballots.iter().all(|b| b.by != "p-owner"));
    let counted = s.counted().unwrap();
    assert_eq!(
        (counted.by.as_str(), counted.choice, counted.paper),
        ("erased", Choice::Yes, false)
    );
    // The collector who entered paper is erased too: one erased ballot is kept, the owner's.
    <SheetKind as DocType>::anonymise(&mut doc, "p-leader-a")
        .unwrap()
        .unwrap();
    let s = Sheet::read(&doc).unwrap();
    assert_eq!(s.ballots.len(), 1);
    assert_eq!(s.counted().unwrap().choice, Choice::Yes);
}
