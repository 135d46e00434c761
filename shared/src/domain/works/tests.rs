use automerge::{ActorId, Automerge};

use super::*;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};

fn principal(role: Role, person: &str, grids: &[&str]) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: None,
        grids: grids.iter().map(|g| g.to_string()).collect(),
        consents: Vec::new(),
        home_grid: None,
        name: None,
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
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

fn draft() -> WorkDraft {
    WorkDraft {
        title: "7号楼顶层屋面防水翻修".into(),
        category: Some(Category::Leak),
        grid: "g07".into(),
        place: "7号楼屋顶".into(),
        cost: "38,600".into(),
        contractor: "嘉禾防水工程公司".into(),
        requests: vec!["k1".into()],
        ..Default::default()
    }
}

fn created(by: &str) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    WorksCommand::Create {
        draft: Box::new(draft()),
        by: by.into(),
        by_name: String::new(),
    }
    .apply(&mut d, 1_000)
    .unwrap();
    d
}

fn updated(before: &Automerge, actor: u8, by: &str, status: Status) -> Automerge {
    let mut d = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    WorksCommand::Update {
        status,
        note: "已完工，雨后复查无渗漏".into(),
        photos: vec!["h-after".into()],
        by: by.into(),
        by_name: String::new(),
    }
    .apply(&mut d, 2_000)
    .unwrap();
    d
}

#[test]
fn a_work_needs_a_title_a_kind_and_an_amount_in_yuan_and_keeps_no_phone_numbers() {
    let d = WorkDraft {
        title: "楼道灯 联系13812345678".into(),
        cost: "3千".into(),
        ..Default::default()
    };
    let p = d.problems();
    assert!(p.contains(&InputError::CategoryMissing));
    assert!(p.contains(&InputError::BadAmount));
    assert!(
        p.iter()
            .any(|e| matches!(e, InputError::PersonalData { .. }))
    );
    assert_eq!(draft().cost_fen(), Some(3_860_000));
    let too_much = WorkDraft {
        cost: "2000000".into(),
        ..draft()
    };
    assert_eq!(too_much.problems(), vec![InputError::BadAmount]);
    assert_eq!(
        WorkDraft {
            cost: String::new(),
            ..draft()
        }
        .cost_fen(),
        Some(0)
    );
}

#[test]
fn its_status_is_the_last_updates_and_after_photos_are_those_that_finished_it() {
    let w = Work::read(&created("p-staff")).unwrap();
    assert_eq!((w.status(), w.done_at()), (Status::Planned, None));
    assert_eq!(w.cost_fen, 3_860_000);
    let doc = updated(&created("p-staff"), 2, "p-li", Status::InProgress);
    let doc = updated(&doc, 2, "p-li", Status::Done);
    let w = Work::read(&doc).unwrap();
    assert_eq!(w.status(), Status::Done);
    assert_eq!(w.done_at(), Some(2_000));
    assert_eq!(w.photos_after(), vec!["h-after".to_string()]);
}

#[test]
fn staff_and_the_grids_worker_keep_a_work_and_a_worker_only_adds_progress_in_their_name() {
    let staff = principal(Role::Staff, "p-staff", &[]);
    let li = principal(Role::GridWorker, "p-li", &["g07"]);
    let other = principal(Role::GridWorker, "p-wu", &["g12"]);
    let resident = principal(Role::Resident, "p-wang", &[]);
    let empty = Automerge::new();
    assert_eq!(check(&staff, &empty, &created("p-staff")), Ok(()));
    assert_eq!(check(&li, &empty, &created("p-li")), Ok(()));
    assert_eq!(
        check(&li, &empty, &created("p-staff")).unwrap_err().code,
        RefusalCode::BadName
    );
    assert_eq!(
        check(&other, &empty, &created("p-wu")).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    assert_eq!(
        check(&resident, &empty, &created("p-wang"))
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
    let base = created("p-staff");
    let done = updated(&base, 2, "p-li", Status::Done);
    assert_eq!(check(&li, &base, &done), Ok(()));
    assert_eq!(
        check(&li, &base, &updated(&base, 2, "p-staff", Status::Done))
            .unwrap_err()
            .code,
        RefusalCode::BadName
    );
    assert_eq!(
        check(&other, &base, &updated(&base, 3, "p-wu", Status::Done))
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
    // Only staff revise what the work is (its cost, say).
    let mut revised = base.fork().with_actor(ActorId::from(vec![2u8; 16]));
    WorksCommand::Revise {
        draft: Box::new(WorkDraft {
            cost: "1".into(),
            ..draft()
        }),
    }
    .apply(&mut revised, 3_000)
    .unwrap();
    assert_eq!(
        check(&li, &base, &revised).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(check(&staff, &base, &revised), Ok(()));
    // Everyone reads it.
    assert!(resident.may_read(&Scope::read(&base)));
}

#[test]
fn nobody_writes_a_phone_number_into_a_works_public_text_or_an_unknown_status() {
    let staff = principal(Role::Staff, "p-staff", &[]);
    let base = created("p-staff");
    let mut leaky = base.fork().with_actor(ActorId::from(vec![2u8; 16]));
    leaky
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "description", "施工队电话13812345678")?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&staff, &base, &leaky).unwrap_err().code,
        RefusalCode::PersonalData
    );
    let mut odd = base.fork().with_actor(ActorId::from(vec![2u8; 16]));
    odd.transact::<_, _, automerge::AutomergeError>(|tx| {
        let list = tx.get(ROOT, "updates")?.unwrap().1;
        let u = tx.insert_object(&list, 0, ObjType::Map)?;
        tx.put(&u, "status", "abandoned")?;
        tx.put(&u, "at", 5i64)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        check(&staff, &base, &odd).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
}
