use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{DAY, shanghai_midnight};

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
        household_grid: &|h| match h {
            "h-wang" | "h-p-res" => Some("g07".into()),
            "h-far" => Some("g12".into()),
            _ => None,
        },
        name_of: &|p| (p == "p-chen").then(|| "陈小雨".to_string()),
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

fn draft(result: SortResult, flat: &str) -> InspectionDraft {
    InspectionDraft {
        building: "7号楼".into(),
        point: "7号楼东侧投放点".into(),
        result: Some(result),
        flat: flat.into(),
        ..Default::default()
    }
}

fn opened(actor: u8) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
    open_log(&mut d, "g07", "2026-12").unwrap();
    d
}

fn inspected(
    before: &Automerge,
    actor: u8,
    by: &str,
    d: &InspectionDraft,
    at: Millis,
) -> Automerge {
    let mut doc = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    inspect(&mut doc, by, "", d, at).unwrap();
    doc
}

#[test]
fn an_inspection_needs_a_building_a_bin_point_and_a_result_and_keeps_what_was_typed() {
    let d = InspectionDraft {
        note: "x".repeat(NOTE_MAX + 1),
        ..Default::default()
    };
    assert_eq!(
        d.problems(),
        vec![
            InputError::BuildingMissing,
            InputError::PointMissing,
            InputError::ResultMissing,
            InputError::TextTooLong {
                len: NOTE_MAX + 1,
                max: NOTE_MAX
            },
        ]
    );
    let mut log = opened(1);
    assert!(matches!(
        inspect(&mut log, "p-lou", "", &d, 0),
        Err(ModelError::Input(InputError::BuildingMissing))
    ));
    let log = inspected(&log, 1, "p-lou", &draft(SortResult::Mixed, "7-2-301"), 5);
    let read = SortingLog::read(&log).unwrap();
    assert_eq!(read.inspections.len(), 1);
    let i = &read.inspections[0];
    assert_eq!(
        (i.building.as_str(), i.flat.as_str(), i.result),
        ("7号楼", "7-2-301", SortResult::Mixed)
    );
    assert!(i.awaits_reminder());
}

#[test]
fn the_grids_team_and_workers_keep_its_log_and_nobody_of_another_grid_writes_it() {
    let lou = principal(Role::Resident, "p-lou", true);
    let empty = Automerge::new();
    let log = opened(1);
    assert_eq!(check(&lou, &empty, &log), Ok(()));
    let mine = inspected(&log, 1, "p-lou", &draft(SortResult::Sorted, ""), 0);
    assert_eq!(check(&lou, &log, &mine), Ok(()));
    let forged = inspected(&log, 1, "p-dang", &draft(SortResult::Sorted, ""), 0);
    assert_eq!(
        check(&lou, &log, &forged).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let neighbour = principal(Role::Resident, "p-x", false);
    assert_eq!(
        check(&neighbour, &empty, &log).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    let mut other_team = principal(Role::Resident, "p-y", false);
    other_team.team_grids = vec!["g08".into()];
    assert_eq!(
        check(
            &other_team,
            &log,
            &inspected(&log, 2, "p-y", &draft(SortResult::Mixed, ""), 0)
        )
        .unwrap_err()
        .code,
        RefusalCode::NotAllowed
    );
}

#[test]
fn a_grid_worker_records_the_reminder_of_anyones_inspection_but_changes_nothing_else() {
    let lou = principal(Role::Resident, "p-lou", true);
    let li = principal(Role::GridWorker, "p-li", false);
    let dang = principal(Role::Resident, "p-dang", true);
    let log = inspected(
        &opened(1),
        1,
        "p-lou",
        &draft(SortResult::Mixed, "7-2-301"),
        0,
    );
    let id = SortingLog::read(&log).unwrap().inspections[0].id.clone();
    let mut linked = log.fork().with_actor(ActorId::from(vec![3u8; 16]));
    link_reminder(&mut linked, &id, "rem-1").unwrap();
    assert_eq!(check(&li, &log, &linked), Ok(()));
    assert_eq!(check(&lou, &log, &linked), Ok(()));
    assert_eq!(
        check(&dang, &log, &linked).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert!(!SortingLog::read(&linked).unwrap().inspections[0].awaits_reminder());
    // The result is the inspector's: a grid worker does not turn a mixed finding into a
    // sorted one.
    let mut changed = log.fork().with_actor(ActorId::from(vec![3u8; 16]));
    changed
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let list = tx.get(ROOT, "inspections")?.unwrap().1;
            let i = tx.get(&list, 0)?.unwrap().1;
            tx.put(&i, "result", "sorted")?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&li, &log, &changed).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // For everyone: a known result only.
    let mut odd = log.fork().with_actor(ActorId::from(vec![1u8; 16]));
    odd.transact::<_, _, automerge::AutomergeError>(|tx| {
        let list = tx.get(ROOT, "inspections")?.unwrap().1;
        let i = tx.get(&list, 0)?.unwrap().1;
        tx.put(&i, "result", "terrible")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        check(&lou, &log, &odd).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
}

#[test]
fn the_mixed_rate_counts_routine_inspections_per_building_and_month_and_no_data_is_not_zero() {
    let mk = |building: &str, result, at, follows: &str| Inspection {
        id: String::new(),
        by: "p".into(),
        by_name: String::new(),
        at,
        building: building.into(),
        point: String::new(),
        result,
        flat: String::new(),
        note: String::new(),
        photos: Vec::new(),
        reminder: String::new(),
        follows: follows.into(),
    };
    let june = shanghai_midnight(2026, 6, 3);
    let july = shanghai_midnight(2026, 7, 3);
    let all = vec![
        mk("7号楼", SortResult::Mixed, june, ""),
        mk("7号楼", SortResult::Sorted, june + DAY, ""),
        mk("7号楼", SortResult::Sorted, june + 2 * DAY, ""),
        mk("8号楼", SortResult::Mixed, july, ""),
        // A follow-up looks at one household on purpose: not counted.
        mk("8号楼", SortResult::Sorted, july + DAY, "rem-1"),
    ];
    let b = by_building(&all);
    assert_eq!(b.len(), 2);
    assert_eq!(
        (b[0].inspected, b[0].mixed, b[0].percent()),
        (3, 1, Some(33))
    );
    assert_eq!(
        (b[1].inspected, b[1].mixed, b[1].percent()),
        (1, 1, Some(100))
    );
    let m = by_month(&all);
    assert_eq!(
        m.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["2026-06", "2026-07"]
    );
    let none = RateRow {
        key: "x".into(),
        inspected: 0,
        mixed: 0,
    };
    assert_eq!(none.percent(), None);
}

fn sent(actor: u8, by: &str, household: &str, volunteer: Option<(&str, &str)>) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
    ReminderCommand::Send(Box::new(NewReminder {
        grid: "g07".into(),
        household: household.into(),
        building: "7号楼".into(),
        point: "7号楼东侧投放点".into(),
        flat: "7-2-301".into(),
        text: "您好，昨天7号楼东侧投放点发现厨余垃圾混投，请把厨余垃圾单独投进绿色桶，谢谢！"
            .into(),
        by: by.into(),
        by_name: String::new(),
        volunteer: volunteer.map(|(a, b)| (a.into(), b.into())),
    }))
    .apply(&mut d, 0)
    .unwrap();
    d
}

fn then(before: &Automerge, actor: u8, c: ReminderCommand) -> Automerge {
    let mut d = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    c.apply(&mut d, 10).unwrap();
    d
}

#[test]
fn a_grid_worker_reminds_a_household_of_their_own_grid_and_names_the_volunteer_as_on_record() {
    let li = principal(Role::GridWorker, "p-li", false);
    let empty = Automerge::new();
    let ok = sent(1, "p-li", "h-wang", Some(("p-chen", "陈小雨")));
    assert_eq!(check(&li, &empty, &ok), Ok(()));
    let r = Reminder::read(&ok).unwrap();
    assert!(r.visit_due() && r.is_open() && r.read_at.is_none());
    // A household of another grid is not this grid's to remind.
    assert_eq!(
        check(&li, &empty, &sent(1, "p-li", "h-far", None))
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
    // The volunteer's name is theirs; the sender is the writer.
    assert_eq!(
        check(
            &li,
            &empty,
            &sent(1, "p-li", "h-wang", Some(("p-chen", "别人")))
        )
        .unwrap_err()
        .code,
        RefusalCode::BadName
    );
    assert_eq!(
        check(&li, &empty, &sent(1, "p-other", "h-wang", None))
            .unwrap_err()
            .code,
        RefusalCode::BadName
    );
    // A resident off the team sends nobody reminders.
    let res = principal(Role::Resident, "p-res", false);
    assert_eq!(
        check(&res, &empty, &sent(1, "p-res", "h-wang", None))
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
}

#[test]
fn the_household_marks_it_read_the_volunteer_the_visit_and_the_grid_closes_it_nothing_more() {
    let li = principal(Role::GridWorker, "p-li", false);
    let mut wang = principal(Role::Resident, "p-wang", false);
    wang.household = Some("h-wang".into());
    let mut chen = principal(Role::Volunteer, "p-chen", false);
    chen.household = Some("h-chen".into());
    let base = sent(1, "p-li", "h-wang", Some(("p-chen", "陈小雨")));
    let read = then(&base, 2, ReminderCommand::Read);
    assert_eq!(check(&wang, &base, &read), Ok(()));
    assert_eq!(
        check(&chen, &base, &read).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let visited = then(
        &read,
        3,
        ReminderCommand::Visited {
            note: "一起把厨余垃圾分出来了".into(),
        },
    );
    assert_eq!(check(&chen, &read, &visited), Ok(()));
    assert_eq!(
        check(&wang, &read, &visited).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let closed = then(
        &visited,
        1,
        ReminderCommand::Close {
            by_name: String::new(),
        },
    );
    assert_eq!(check(&li, &visited, &closed), Ok(()));
    assert_eq!(
        check(&wang, &visited, &closed).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let r = Reminder::read(&closed).unwrap();
    assert!(!r.is_open() && !r.visit_due() && r.read_at.is_some());
    // The household does not rewrite the words it was sent.
    let mut rewritten = base.fork().with_actor(ActorId::from(vec![2u8; 16]));
    rewritten
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "text", "没有这回事")?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&wang, &base, &rewritten).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Who holds it: the household, the volunteer, the grid; not a neighbour.
    let scope = Scope::read(&base);
    assert!(wang.may_read(&scope) && chen.may_read(&scope) && li.may_read(&scope));
    assert!(!principal(Role::Resident, "p-x", false).may_read(&scope));
}
