use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};

pub(crate) fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: vec!["g07".into()],
        consents: Vec::new(),
        home_grid: Some("g07".into()),
        name: None,
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn names(person: &str) -> Option<String> {
    match person {
        "p-dang" => Some("党建平".into()),
        "p-lou" => Some("楼美华".into()),
        _ => None,
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        household_of: &|_| None,
        now: None,
        grids: None,
        name_of: &names,
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

fn run(before: &Automerge, actor: u8, command: GridCommand) -> Automerge {
    let mut d = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    command.apply(&mut d).unwrap();
    d
}

pub(crate) fn g07() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    create_grid(&mut d, "g07", &["13号楼".into(), "14号楼".into()]).unwrap();
    let d = run(
        &d,
        1,
        GridCommand::SetMember {
            position: Position::PartyMember,
            person: "p-dang".into(),
            name: "党建平".into(),
        },
    );
    run(
        &d,
        1,
        GridCommand::SetMember {
            position: Position::BuildingLeader,
            person: "p-lou".into(),
            name: "楼美华".into(),
        },
    )
}

#[test]
fn staff_assign_the_team_and_the_relay_learns_its_members() {
    let staff = principal(Role::Staff, "p-staff");
    let empty = Automerge::new();
    let d = g07();
    assert_eq!(check(&staff, &empty, &d), Ok(()));
    assert_eq!(
        Kind::team(&d),
        Some(vec!["p-dang".to_string(), "p-lou".to_string()])
    );
    let info = GridInfo::read(&d).unwrap();
    assert_eq!(info.buildings, vec!["13号楼", "14号楼"]);
    assert_eq!(info.planned(Round::Midday), &[1, 2, 3, 4, 5]);
    let cleared = run(
        &d,
        1,
        GridCommand::ClearMember {
            position: Position::PartyMember,
        },
    );
    assert_eq!(Kind::team(&cleared), Some(vec!["p-lou".to_string()]));
}

#[test]
fn a_grid_worker_plans_rounds_and_lists_buildings_but_never_seats_the_team() {
    let d = g07();
    let worker = principal(Role::GridWorker, "p-li");
    let plan = run(
        &d,
        2,
        GridCommand::SetPlan {
            round: Round::Evening,
            days: vec![5, 1, 3],
        },
    );
    assert_eq!(check(&worker, &d, &plan), Ok(()));
    assert_eq!(
        GridInfo::read(&plan).unwrap().planned(Round::Evening),
        &[1, 3, 5]
    );
    let buildings = run(
        &d,
        2,
        GridCommand::SetBuildings {
            buildings: vec!["13号楼".into()],
        },
    );
    assert_eq!(check(&worker, &d, &buildings), Ok(()));
    let seat = run(
        &d,
        2,
        GridCommand::SetMember {
            position: Position::Steward,
            person: "p-li".into(),
            name: String::new(),
        },
    );
    assert_eq!(
        check(&worker, &d, &seat).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let mut elsewhere = worker.clone();
    elsewhere.grids = vec!["g08".into()];
    elsewhere.home_grid = None;
    assert_eq!(
        check(&elsewhere, &d, &plan).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // A team member (a resident) changes nothing of the grid's document.
    let mut leader = principal(Role::Resident, "p-lou");
    leader.team_grids = vec!["g07".into()];
    assert_eq!(
        check(&leader, &d, &plan).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let empty = Automerge::new();
    assert_eq!(
        check(&worker, &empty, &g07()).unwrap_err().code,
        RefusalCode::NotAllowed
    );
}

#[test]
fn a_seat_names_its_person_as_the_relays_records_do_and_a_plan_holds_weekdays_only() {
    let staff = principal(Role::Staff, "p-staff");
    let d = g07();
    let misnamed = run(
        &d,
        1,
        GridCommand::SetMember {
            position: Position::Steward,
            person: "p-lou".into(),
            name: "物业经理".into(),
        },
    );
    assert_eq!(
        check(&staff, &d, &misnamed).unwrap_err().code,
        RefusalCode::BadName
    );
    let mut raw = d.fork().with_actor(ActorId::from(vec![3u8; 16]));
    raw.transact::<_, _, automerge::AutomergeError>(|tx| {
        let plan = match tx.get(ROOT, "plan")? {
            Some((_, id)) => id,
            None => unreachable!(),
        };
        let l = tx.put_object(&plan, "morning", ObjType::List)?;
        tx.insert(&l, 0, 9i64)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        check(&staff, &d, &raw).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
}

#[test]
fn the_grids_residents_and_team_read_it_and_other_grids_do_not() {
    let scope = Scope::read(&g07());
    let resident = principal(Role::Resident, "p-x");
    assert!(Kind::may_read(&resident, &scope));
    let mut elsewhere = resident.clone();
    elsewhere.home_grid = Some("g08".into());
    assert!(!Kind::may_read(&elsewhere, &scope));
    elsewhere.team_grids = vec!["g07".into()];
    assert!(Kind::may_read(&elsewhere, &scope));
}
