use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::domain::grid::{GridInfo, Round};
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{DAY, HOUR, shanghai_midnight};

fn principal(role: Role, person: &str, team: bool) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: if role == Role::GridWorker {
            vec!["g07".into()]
        } else {
            Vec::new()
        },
        consents: Vec::new(),
        home_grid: Some("g07".into()),
        name: None,
        team_grids: if team { vec!["g07".into()] } else { Vec::new() },
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        household_of: &|_| None,
        now: None,
        grids: None,
        name_of: &|_| None,
        household_grid: &|_| None,
    };
    check_changes(
        p,
        &ctx,
        &Before::for_changes(before, &changes),
        after,
        &changes,
    )
}

fn draft(text: &str) -> RoundDraft {
    RoundDraft {
        round: Round::Morning,
        buildings: vec!["13号楼".into()],
        note: String::new(),
        findings: vec![FindingDraft {
            text: text.into(),
            place: "13号楼2单元".into(),
            photos: Vec::new(),
        }],
        visits: Vec::new(),
    }
}

fn opened(actor: u8) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
    open_log(&mut d, "g07", "2026-12").unwrap();
    d
}

fn logged(before: &Automerge, actor: u8, by: &str, d: &RoundDraft, at: Millis) -> Automerge {
    let mut doc = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    log_round(&mut doc, by, "", d, at).unwrap();
    doc
}

#[test]
fn a_team_member_opens_the_months_log_and_appends_rounds_in_their_own_name_only() {
    let lou = principal(Role::Resident, "p-lou", true);
    let empty = Automerge::new();
    let log = opened(1);
    assert_eq!(check(&lou, &empty, &log), Ok(()));
    let mine = logged(&log, 1, "p-lou", &draft("楼道堆放纸箱"), 0);
    assert_eq!(check(&lou, &log, &mine), Ok(()));
    let forged = logged(&log, 1, "p-dang", &draft("楼道堆放纸箱"), 0);
    assert_eq!(
        check(&lou, &log, &forged).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // A resident who is not on the team, and a grid worker of another grid, keep no log.
    let neighbour = principal(Role::Resident, "p-x", false);
    assert_eq!(
        check(&neighbour, &empty, &log).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    let mut other = principal(Role::GridWorker, "p-w", false);
    other.grids = vec!["g08".into()];
    assert_eq!(
        check(&other, &log, &logged(&log, 2, "p-w", &draft("x"), 0))
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
}

#[test]
fn only_whoever_walked_a_round_changes_it_and_nobody_but_staff_deletes_one() {
    let lou = principal(Role::Resident, "p-lou", true);
    let dang = principal(Role::Resident, "p-dang", true);
    let staff = principal(Role::Staff, "p-staff", false);
    let log = logged(&opened(1), 1, "p-lou", &draft("楼道堆放纸箱"), 0);
    let round = PatrolLog::read(&log).unwrap().rounds[0].id.clone();
    let mut linked = log.fork().with_actor(ActorId::from(vec![1u8; 16]));
    link_finding(&mut linked, &round, 0, "req-1").unwrap();
    assert_eq!(check(&lou, &log, &linked), Ok(()));
    assert_eq!(
        PatrolLog::read(&linked).unwrap().rounds[0].findings[0].request,
        "req-1"
    );
    let mut theirs = log.fork().with_actor(ActorId::from(vec![2u8; 16]));
    link_finding(&mut theirs, &round, 0, "req-2").unwrap();
    assert_eq!(
        check(&dang, &log, &theirs).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let mut deleted = log.fork().with_actor(ActorId::from(vec![1u8; 16]));
    deleted
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let list = match tx.get(ROOT, "rounds")? {
                Some((_, id)) => id,
                None => unreachable!(),
            };
            tx.delete(&list, 0)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&lou, &log, &deleted).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(check(&staff, &log, &deleted), Ok(()));
}

#[test]
fn a_phone_number_in_a_finding_is_refused_and_a_visits_note_may_hold_it() {
    let lou = principal(Role::Resident, "p-lou", true);
    let log = opened(1);
    // The model refuses to write it.
    let mut doc = log.fork();
    assert!(matches!(
        log_round(
            &mut doc,
            "p-lou",
            "",
            &draft("电动车充电 车主13812345678"),
            0
        ),
        Err(ModelError::Input(InputError::PersonalData { .. }))
    ));
    // The relay refuses it from a device that writes it anyway.
    let mut raw = logged(&log, 1, "p-lou", &draft("电动车在楼道充电"), 0);
    let before = raw.clone();
    raw.transact::<_, _, automerge::AutomergeError>(|tx| {
        let list = match tx.get(ROOT, "rounds")? {
            Some((_, id)) => id,
            None => unreachable!(),
        };
        let r = match tx.get(&list, 0)? {
            Some((_, id)) => id,
            None => unreachable!(),
        };
        let fl = match tx.get(&r, "findings")? {
            Some((_, id)) => id,
            None => unreachable!(),
        };
        let f = match tx.get(&fl, 0)? {
            Some((_, id)) => id,
            None => unreachable!(),
        };
        tx.put(&f, "text", "车主电话13812345678")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        check(&lou, &before, &raw).unwrap_err().code,
        RefusalCode::PersonalData
    );
    let mut visit = draft("一切正常");
    visit.round = Round::Midday;
    visit.findings.clear();
    visit.visits.push(Visit {
        name: "王秀英".into(),
        flat: "7-2-301".into(),
        outcome: Outcome::NeedsHelp,
        note: "女儿电话 139 0573 2201，已联系".into(),
    });
    let with_visit = logged(&log, 1, "p-lou", &visit, 0);
    assert_eq!(check(&lou, &log, &with_visit), Ok(()));
    assert!(
        PatrolLog::read(&with_visit).unwrap().rounds[0].visits[0]
            .outcome
            .follow_up()
    );
}

#[test]
fn two_phones_logging_offline_keep_both_rounds() {
    let log = opened(1);
    let a = logged(&log, 1, "p-lou", &draft("楼道堆放纸箱"), 10);
    let mut b = logged(&log, 2, "p-dang", &draft("宠物粪便未清理"), 20);
    b.merge(&mut a.clone()).unwrap();
    let rounds = PatrolLog::read(&b).unwrap().rounds;
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0].by, "p-lou");
    assert_eq!(rounds[1].by, "p-dang");
}

#[test]
fn planned_versus_done_counts_each_planned_slot_once_and_extra_rounds_apart() {
    // 2026-11-30 is a Monday.
    let monday_at = shanghai_midnight(2026, 11, 30);
    let monday = week_start(monday_at + 3 * DAY);
    assert_eq!(crate::time::shanghai_day_start(monday), monday_at);
    assert_eq!(iso_weekday(monday), 1);
    assert_eq!(month_of(monday_at), "2026-11");
    assert_eq!(month_of(monday_at + DAY), "2026-12");
    let mut grid = crate::domain::grid::tests::g07();
    crate::domain::grid::GridCommand::SetPlan {
        round: Round::Evening,
        days: vec![2, 4],
    }
    .apply(&mut grid)
    .unwrap();
    let info = GridInfo::read(&grid).unwrap();
    let mut log = opened(1);
    let walk = |log: &Automerge, round: Round, day: i64| {
        let mut d = draft("无异常");
        d.round = round;
        d.findings.clear();
        logged(log, 1, "p-lou", &d, monday_at + day * DAY + 8 * HOUR)
    };
    log = walk(&log, Round::Morning, 0);
    log = walk(&log, Round::Morning, 0); // twice on Monday: one slot
    log = walk(&log, Round::Morning, 1);
    log = walk(&log, Round::Evening, 1); // Tuesday: planned
    log = walk(&log, Round::Evening, 2); // Wednesday: extra
    log = walk(&log, Round::Midday, 7); // next week: not counted
    let rounds = PatrolLog::read(&log).unwrap().rounds;
    // On Wednesday evening: three days are due.
    let now = monday_at + 2 * DAY + 20 * HOUR;
    let rows = week_report(&info, &rounds, monday, now);
    let row = |r: Round| rows.iter().find(|x| x.round == r).copied().unwrap();
    assert_eq!(
        (row(Round::Morning).planned, row(Round::Morning).done),
        (3, 2)
    );
    assert_eq!(
        (row(Round::Midday).planned, row(Round::Midday).done),
        (3, 0)
    );
    let evening = row(Round::Evening);
    assert_eq!((evening.planned, evening.done, evening.extra), (1, 1, 1));
}

#[test]
fn erasing_a_visited_elder_keeps_the_visit_and_its_outcome_without_her_name_flat_or_note() {
    let mut visit = draft("一切正常");
    visit.findings.clear();
    for (name, flat) in [("王秀英", "7-2-301"), ("赵桂兰", "7-3-502")] {
        visit.visits.push(Visit {
            name: name.into(),
            flat: flat.into(),
            outcome: Outcome::NeedsHelp,
            note: "女儿每周来一次".into(),
        });
    }
    let mut doc = logged(&opened(1), 1, "p-lou", &visit, 0);
    assert!(<Kind as DocType>::unname(&mut doc, "李四").is_none());
    <Kind as DocType>::unname(&mut doc, " 王秀英 ")
        .unwrap()
        .unwrap();
    let visits = &PatrolLog::read(&doc).unwrap().rounds[0].visits;
    assert_eq!(visits.len(), 2);
    assert_eq!(
        (
            visits[0].name.as_str(),
            visits[0].flat.as_str(),
            visits[0].note.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(visits[0].outcome, Outcome::NeedsHelp);
    assert_eq!(
        visits[1].name, "赵桂兰",
        "another elder's visit is untouched"
    );
}
