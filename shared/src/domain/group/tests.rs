use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::DAY;

const T0: Millis = 1_760_000_000_000;

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: Some("g07".into()),
        name: None,
        team_grids: Vec::new(),
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

fn draft() -> GroupDraft {
    GroupDraft {
        name: "7号楼楼道自治小组".into(),
        kind: GroupKind::Stairwell,
        about: "管好7号楼的楼道：不堆物、灯常亮、每月一次楼道议事".into(),
        leader: "p-wang".into(),
        leader_name: String::new(),
    }
}

fn opened() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![9u8; 16]));
    create(&mut d, &draft(), T0).unwrap();
    d
}

fn by(doc: &Automerge, actor: u8) -> Automerge {
    doc.fork().with_actor(ActorId::from(vec![actor; 16]))
}

fn meeting(at: Millis, title: &str) -> ActivityDraft {
    ActivityDraft {
        kind: ActivityKind::Meeting,
        at,
        title: title.into(),
        doc: String::new(),
        note: String::new(),
    }
}

#[test]
fn people_join_and_leave_and_the_group_counts_its_members_now_and_then() {
    let mut doc = opened();
    join(&mut doc, "p-zhao", "赵", T0 + DAY).unwrap();
    join(&mut doc, "p-chen", "陈", T0 + 2 * DAY).unwrap();
    assert!(
        matches!(
            join(&mut doc, "p-zhao", "赵", T0 + 3 * DAY),
            Err(ModelError::NotEmpty("membership"))
        ),
        "a member does not join twice"
    );
    leave(&mut doc, "p-zhao", T0 + 10 * DAY).unwrap();
    join(&mut doc, "p-zhao", "赵", T0 + 20 * DAY).unwrap();
    let s = Kind::summarise(&doc).unwrap();
    assert_eq!(s.members, 2);
    assert_eq!(s.group.members.len(), 3, "the first membership stays, left");
    assert_eq!(s.group.members_at(T0 + 5 * DAY), 2);
    assert_eq!(s.group.members_at(T0 + 15 * DAY), 1);
    assert!(s.group.membership("p-zhao").is_some());
    assert!(leave(&mut doc, "p-nobody", T0 + 21 * DAY).is_err());
}

#[test]
fn a_group_is_active_in_a_period_when_it_recorded_an_activity_held_then() {
    let mut doc = opened();
    let a = record(
        &mut doc,
        "p-wang",
        "",
        &meeting(T0 + 5 * DAY, "三月楼道议事会"),
        T0 + 6 * DAY,
    )
    .unwrap();
    let g = Group::read(&doc).unwrap();
    assert_eq!(g.activities[0].id, a);
    assert!(g.active_in(T0, T0 + 30 * DAY));
    assert!(!g.active_in(T0 + 30 * DAY, T0 + 60 * DAY));
    assert!(
        !g.active_in(T0, T0 + 5 * DAY),
        "the period's end is excluded"
    );
    let quiet = Group::read(&opened()).unwrap();
    assert_eq!(active_groups(&[&g, &quiet], T0, T0 + 30 * DAY), 1);
    assert_eq!(
        Kind::summarise(&doc).unwrap().last_activity,
        Some(T0 + 5 * DAY)
    );
}

#[test]
fn a_draft_explains_a_missing_name_a_date_in_the_future_and_a_phone_number() {
    assert_eq!(
        GroupDraft {
            name: " ".into(),
            ..draft()
        }
        .problems(),
        vec![InputError::TitleEmpty]
    );
    let mut future = meeting(T0 + 2 * DAY, "议事会");
    assert_eq!(future.problems(T0), vec![InputError::BadDate]);
    future.at = T0 - DAY;
    future.note = "联系13812345678".into();
    assert!(matches!(
        future.problems(T0).as_slice(),
        [InputError::PersonalData { .. }]
    ));
}

#[test]
fn anyone_joins_in_their_own_name_but_not_someone_else() {
    let doc = opened();
    let zhao = principal(Role::Resident, "p-zhao");
    let mut mine = by(&doc, 1);
    join(&mut mine, "p-zhao", "", T0 + DAY).unwrap();
    check(&zhao, &doc, &mine).unwrap();
    let mut forged = by(&doc, 1);
    join(&mut forged, "p-chen", "", T0 + DAY).unwrap();
    assert_eq!(
        check(&zhao, &doc, &forged).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Leaving is the member's own, once.
    let mut left = by(&mine, 1);
    leave(&mut left, "p-zhao", T0 + 2 * DAY).unwrap();
    check(&zhao, &mine, &left).unwrap();
    let chen = principal(Role::Resident, "p-chen");
    assert_eq!(
        check(&chen, &mine, &left).unwrap_err().code,
        RefusalCode::FieldNotAllowed,
        "nobody removes another member"
    );
    let mut again = by(&left, 1);
    let m = Group::read(&left).unwrap().members[0].id.clone();
    let list = get_obj(&again, &ROOT, "members", ObjType::List).unwrap();
    let entry = list_maps(&again, &list)
        .into_iter()
        .find(|e| e.to_string() == m)
        .unwrap();
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(&entry, "left_at", T0 + 3 * DAY))
        .unwrap();
    assert_eq!(
        check(&zhao, &left, &again).unwrap_err().code,
        RefusalCode::FieldNotAllowed,
        "a leaving is written once"
    );
}

#[test]
fn only_the_leader_records_activities_and_writes_about_and_only_staff_name_the_leader() {
    let doc = opened();
    let wang = principal(Role::Resident, "p-wang");
    let zhao = principal(Role::Resident, "p-zhao");
    let mut rec = by(&doc, 2);
    record(&mut rec, "p-wang", "", &meeting(T0, "楼道议事"), T0).unwrap();
    check(&wang, &doc, &rec).unwrap();
    let mut theirs = by(&doc, 3);
    record(&mut theirs, "p-zhao", "", &meeting(T0, "楼道议事"), T0).unwrap();
    assert_eq!(
        check(&zhao, &doc, &theirs).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    let mut about = by(&doc, 2);
    edit(
        &mut about,
        &GroupDraft {
            about: "每月第一个周六楼道议事".into(),
            ..draft()
        },
    )
    .unwrap();
    check(&wang, &doc, &about).unwrap();
    let mut crowned = by(&doc, 3);
    edit(
        &mut crowned,
        &GroupDraft {
            leader: "p-zhao".into(),
            ..draft()
        },
    )
    .unwrap();
    assert_eq!(
        check(&zhao, &doc, &crowned).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(
        check(&wang, &doc, &crowned).unwrap_err().code,
        RefusalCode::FieldNotAllowed,
        "the leader does not hand the group on: staff do"
    );
    let staff = principal(Role::Staff, "p-staff");
    check(&staff, &doc, &crowned).unwrap();
    let mut made = Automerge::new().with_actor(ActorId::from(vec![4u8; 16]));
    create(&mut made, &draft(), T0).unwrap();
    assert_eq!(
        check(&zhao, &Automerge::new(), &made).unwrap_err().code,
        RefusalCode::NotAllowed
    );
}

#[test]
fn a_forged_second_membership_or_an_eleventh_join_is_refused_even_from_staff() {
    let doc = opened();
    let staff = principal(Role::Staff, "p-staff");
    let mut twice = by(&doc, 5);
    let list = get_obj(&twice, &ROOT, "members", ObjType::List).unwrap();
    twice
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            for i in 0..2 {
                let m = tx.insert_object(&list, i, ObjType::Map)?;
                tx.put(&m, "by", "p-zhao")?;
                tx.put(&m, "joined_at", T0)?;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&staff, &doc, &twice).unwrap_err().code,
        RefusalCode::BadEvent
    );
    let mut many = by(&doc, 5);
    for i in 0..JOINS_MAX as i64 {
        join(&mut many, "p-zhao", "", T0 + i).unwrap();
        leave(&mut many, "p-zhao", T0 + i).unwrap();
    }
    check(&staff, &doc, &many).unwrap();
    assert!(join(&mut many, "p-zhao", "", T0 + 100).is_err());
    let list = get_obj(&many, &ROOT, "members", ObjType::List).unwrap();
    let before = many.fork();
    let n = many.length(&list);
    many.transact::<_, _, automerge::AutomergeError>(|tx| {
        let m = tx.insert_object(&list, n, ObjType::Map)?;
        tx.put(&m, "by", "p-zhao")?;
        tx.put(&m, "joined_at", T0 + 200)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        check(&staff, &before, &many).unwrap_err().code,
        RefusalCode::Quota
    );
}

#[test]
fn erasing_a_member_removes_their_memberships_and_unsigns_what_they_recorded() {
    let mut doc = opened();
    join(&mut doc, "p-wang", "王", T0).unwrap();
    join(&mut doc, "p-zhao", "赵", T0).unwrap();
    record(&mut doc, "p-wang", "王", &meeting(T0, "议事"), T0).unwrap();
    assert!(Kind::anonymise(&mut doc, "p-nobody").is_none());
    Kind::anonymise(&mut doc, "p-wang").unwrap().unwrap();
    let g = Group::read(&doc).unwrap();
    assert_eq!(g.members.len(), 1);
    assert_eq!(g.members[0].person, "p-zhao");
    assert_eq!(g.leader, "");
    assert_eq!(g.activities[0].by, "erased");
    assert_eq!(g.activities.len(), 1, "what the group did stays");
}
