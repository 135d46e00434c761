use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::policy::{Principal, Role};
use crate::rules::{Before, Ctx, check_changes};

fn principal(person: &str, role: Role) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some("h-1".into()),
        grids: Vec::new(),
        consents: vec!["p-elder".into()],
        home_grid: None,
        name: None,
        party: None,
        team_grids: Vec::new(),
        actor_prefix: Vec::new(),
    }
}

fn verdict(base: &Automerge, doc: &Automerge, who: &Principal) -> Result<(), RefusalCode> {
    let changes = doc.get_changes(&base.get_heads());
    let before = Before::for_changes(base, &changes);
    check_changes(who, &Ctx::none(), &before, doc, &changes).map_err(|r| r.code)
}

fn draft() -> ProposalDraft {
    ProposalDraft {
        title: "楼道美术馆".into(),
        what: "把楼道变成书画展示空间".into(),
        why: "邻里多交流".into(),
        place: "7号楼".into(),
        lines: vec![("画框".into(), 600_000), ("灯光".into(), 400_000)],
        households: 12,
        photos: Vec::new(),
    }
}

fn proposed(by: &str, for_: &str) -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![1]));
    let who = Proposer {
        person: for_.into(),
        name: String::new(),
        filed_by: by.into(),
        filed_by_name: String::new(),
    };
    propose(&mut doc, "call1", &draft(), &who, 1_000).unwrap();
    doc
}

#[test]
fn a_resident_proposes_for_herself_and_a_volunteer_for_a_consenting_elder_only() {
    let empty = Automerge::new();
    let wang = principal("p-wang", Role::Resident);
    assert_eq!(
        verdict(&empty, &proposed("p-wang", "p-wang"), &wang),
        Ok(())
    );
    assert_eq!(
        verdict(&empty, &proposed("p-wang", "p-zhao"), &wang),
        Err(RefusalCode::BadFiling)
    );
    let chen = principal("p-chen", Role::Volunteer);
    assert_eq!(
        verdict(&empty, &proposed("p-chen", "p-elder"), &chen),
        Ok(())
    );
    assert_eq!(
        verdict(&empty, &proposed("p-chen", "p-other"), &chen),
        Err(RefusalCode::BadFiling)
    );
}

#[test]
fn neighbours_add_only_their_own_support_and_only_the_leader_posts_updates() {
    let base = proposed("p-wang", "p-wang");
    let zhao = principal("p-zhao", Role::Resident);
    let mut plus = base.fork().with_actor(ActorId::from(vec![2]));
    support(&mut plus, "p-zhao", true, 2_000).unwrap();
    assert_eq!(verdict(&base, &plus, &zhao), Ok(()));
    let mut other = base.fork().with_actor(ActorId::from(vec![2]));
    support(&mut other, "p-wang", true, 2_000).unwrap();
    assert_eq!(
        verdict(&base, &other, &zhao),
        Err(RefusalCode::FieldNotAllowed)
    );
    let u = NewUpdate {
        text: "第5个楼道完成".into(),
        households: Some(24),
        ..NewUpdate::default()
    };
    let mut upd = base.fork().with_actor(ActorId::from(vec![2]));
    add_update(&mut upd, "p-zhao", "", &u, 3_000).unwrap();
    assert_eq!(
        verdict(&base, &upd, &zhao),
        Err(RefusalCode::FieldNotAllowed)
    );
    let mut mine = base.fork().with_actor(ActorId::from(vec![2]));
    add_update(&mut mine, "p-wang", "", &u, 3_000).unwrap();
    assert_eq!(
        verdict(&base, &mine, &principal("p-wang", Role::Resident)),
        Ok(())
    );
    let p = Proposal::read(&mine).unwrap();
    assert_eq!(p.households(), vec![(1_000, 12), (3_000, 24)]);
}

#[test]
fn the_closing_report_is_written_once() {
    let base = proposed("p-wang", "p-wang");
    let wang = principal("p-wang", Role::Resident);
    let mut closed = base.fork().with_actor(ActorId::from(vec![2]));
    close_project(&mut closed, "p-wang", "", "17个楼道完成", 5_000).unwrap();
    assert_eq!(verdict(&base, &closed, &wang), Ok(()));
    assert!(close_project(&mut closed.clone(), "p-wang", "", "again", 6_000).is_err());
    // Writing over it by hand is refused.
    let mut again = closed.fork().with_actor(ActorId::from(vec![3]));
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put_object(automerge::ROOT, "closing", ObjType::Map)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        verdict(&closed, &again, &wang),
        Err(RefusalCode::FieldNotAllowed)
    );
}

#[test]
fn erasure_removes_the_persons_support_and_name_and_keeps_the_project() {
    let mut doc = proposed("p-wang", "p-wang");
    support(&mut doc, "p-zhao", true, 2_000).unwrap();
    let u = NewUpdate {
        text: "进展".into(),
        households: Some(20),
        ..NewUpdate::default()
    };
    add_update(&mut doc, "p-wang", "王秀英", &u, 3_000).unwrap();
    <Kind as DocType>::anonymise(&mut doc, "p-zhao")
        .unwrap()
        .unwrap();
    assert!(Proposal::read(&doc).unwrap().supports.is_empty());
    <Kind as DocType>::anonymise(&mut doc, "p-wang")
        .unwrap()
        .unwrap();
    let p = Proposal::read(&doc).unwrap();
    assert_eq!(
        (p.proposer.as_str(), p.filed_by.as_str()),
        ("erased", "erased")
    );
    assert_eq!(p.updates[0].by, "erased");
    assert_eq!(p.updates[0].by_name, "");
    assert_eq!(p.households(), vec![(1_000, 12), (3_000, 20)]);
}
