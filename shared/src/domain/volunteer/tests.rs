use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::domain::event::{Attendance, Event, Per, Template};
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{DAY, HOUR, MINUTE};

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: Some("g06".into()),
        name: Some(
            match person {
                "p-chen" => "陈小雨",
                "p-zhang" => "张建国",
                _ => "王秀英",
            }
            .into(),
        ),
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

fn profile() -> ProfileDraft {
    ProfileDraft {
        name: "陈小雨".into(),
        age_group: AgeGroup::Youth,
        organisation: "市第二中学".into(),
        skills: "手机操作、代办，陪聊".into(),
        availability: "周六上午".into(),
    }
}

fn registered() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    create(&mut d, "p-chen", "p-chen", &profile(), 1_000).unwrap();
    d
}

fn visit(at: Millis, minutes: i64) -> EntryDraft {
    EntryDraft {
        kind: EntryKind::Visit,
        at,
        minutes,
        elder: "p-wang".into(),
        request: String::new(),
        note: "陪王阿姨聊天".into(),
    }
}

fn event(title: &str, attendance: Vec<Attendance>) -> Event {
    Event {
        title: title.into(),
        template: Template::Zongzi,
        description: String::new(),
        photos: Vec::new(),
        starts_at: 0,
        ends_at: 0,
        place: String::new(),
        capacity: 10,
        opens_at: 0,
        closes_at: 0,
        per: Per::Person,
        roles: Vec::new(),
        organisers: vec!["p-zhao".into()],
        repeat_of: String::new(),
        created_at: 0,
        by: "p-zhang".into(),
        by_name: "张建国".into(),
        signups: Vec::new(),
        attendance,
    }
}

fn present(person: &str, in_at: Millis, out_at: Option<Millis>) -> Attendance {
    Attendance {
        id: format!("a-{person}-{in_at}"),
        person: person.into(),
        in_at,
        out_at,
        by: "p-zhao".into(),
    }
}

#[test]
fn the_profile_reads_back_with_its_skills_split() {
    let v = Volunteer::read(&registered()).unwrap();
    assert_eq!(v.subject, "p-chen");
    assert_eq!(v.age_group, AgeGroup::Youth);
    assert_eq!(v.skills, vec!["手机操作", "代办", "陪聊"]);
    assert_eq!(v.organisation, "市第二中学");
    let mut bad = profile();
    bad.organisation = "校".repeat(ORGANISATION_MAX + 1);
    assert!(matches!(
        bad.problems().as_slice(),
        [InputError::TextTooLong { .. }]
    ));
    assert_eq!(
        visit(1, 0).problems(),
        vec![InputError::MinutesOutOfRange { max: MINUTES_MAX }]
    );
}

#[test]
fn hours_over_a_period_count_events_and_confirmed_entries_only() {
    let year = 365 * DAY;
    let from = 10 * year;
    let to = 11 * year;
    let mut doc = registered();
    // A confirmed visit (90 min) and an unconfirmed one (60 min) in the period; a confirmed one
    // (45 min) before it.
    let a = log(&mut doc, "p-chen", &visit(from + DAY, 90)).unwrap();
    log(&mut doc, "p-chen", &visit(from + 2 * DAY, 60)).unwrap();
    let old = log(&mut doc, "p-chen", &visit(from - DAY, 45)).unwrap();
    confirm(&mut doc, &a, "p-zhang", "张建国", from + 3 * DAY).unwrap();
    confirm(&mut doc, &old, "p-zhang", "张建国", from).unwrap();
    let v = Volunteer::read(&doc).unwrap();
    assert_eq!(v.to_confirm(), 1);
    let events = [
        // Checked in and out: 2 h 30, confirmed by the organiser.
        event(
            "粽香传情",
            vec![
                present(
                    "p-chen",
                    from + 5 * DAY,
                    Some(from + 5 * DAY + 150 * MINUTE),
                ),
                present("p-wang", from + 5 * DAY, Some(from + 5 * DAY + HOUR)),
            ],
        ),
        // Checked in, never out: nothing.
        event("睦邻文化节", vec![present("p-chen", from + 6 * DAY, None)]),
        // Someone else's event.
        event(
            "百家宴",
            vec![present("p-wang", from + 7 * DAY, Some(from + 8 * DAY))],
        ),
        // After the period.
        event(
            "阳台花园竞赛",
            vec![present("p-chen", to + DAY, Some(to + DAY + HOUR))],
        ),
    ];
    let names = |p: &str| (p == "p-zhao").then(|| "赵晓松".to_string());
    let h = hours("p-chen", Some(&v), &events, from, to, &names);
    assert_eq!(h.minutes, 90 + 150);
    assert_eq!(h.pending, 60);
    assert_eq!(h.hours(), 4.0);
    assert_eq!(h.activities.len(), 3);
    assert_eq!(h.confirmed().count(), 2);
    let ev = h
        .activities
        .iter()
        .find(|a| matches!(&a.source, Source::Event { title } if title == "粽香传情"))
        .unwrap();
    assert_eq!((ev.minutes, ev.confirmed_by.as_str()), (150, "赵晓松"));
    let pending = h.activities.iter().find(|a| !a.confirmed).unwrap();
    assert_eq!(pending.confirmed_by, "");
    // All time: the older confirmed visit counts too.
    let all = hours("p-chen", Some(&v), &events, 0, Millis::MAX, &names);
    assert_eq!(all.minutes, 90 + 150 + 45 + 60);
    // Without a record: events only; an unknown organiser falls back to the event's author.
    let bare = hours("p-chen", None, &events[..1], from, to, &|_| None);
    assert_eq!(bare.minutes, 150);
    assert_eq!(bare.activities[0].confirmed_by, "张建国");
}

#[test]
fn the_volunteer_logs_and_edits_their_own_entry_until_staff_confirm_it() {
    let chen = principal(Role::Volunteer, "p-chen");
    let base = registered();
    let mut logged = base.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let id = log(&mut logged, "p-chen", &visit(5_000, 60)).unwrap();
    assert!(check(&chen, &base, &logged).is_ok(), "their own entry");
    let mut edited = logged.fork().with_actor(ActorId::from(vec![2u8; 16]));
    edit_entry(&mut edited, &id, &visit(5_000, 75)).unwrap();
    assert!(check(&chen, &logged, &edited).is_ok(), "while unconfirmed");
    // Staff confirm it; from then on the volunteer cannot change it.
    let mut confirmed = edited.fork().with_actor(ActorId::from(vec![3u8; 16]));
    confirm(&mut confirmed, &id, "p-zhang", "张建国", 6_000).unwrap();
    assert!(check(&principal(Role::Staff, "p-zhang"), &edited, &confirmed).is_ok());
    // The command refuses, and a forged change is refused by the rules.
    let mut again = confirmed.fork().with_actor(ActorId::from(vec![2u8; 16]));
    assert!(edit_entry(&mut again, &id, &visit(5_000, 600)).is_err());
    let e = again.import_obj(&id).unwrap();
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(&e, "minutes", 600_i64)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&chen, &confirmed, &again).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
}

#[test]
fn nobody_confirms_their_own_hours_and_a_resident_writes_nothing_of_anothers_record() {
    let chen = principal(Role::Volunteer, "p-chen");
    let base = registered();
    let mut logged = base.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let id = log(&mut logged, "p-chen", &visit(5_000, 60)).unwrap();
    let mut own = logged.fork().with_actor(ActorId::from(vec![2u8; 16]));
    confirm(&mut own, &id, "p-chen", "陈小雨", 6_000).unwrap();
    assert_eq!(
        check(&chen, &logged, &own).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // Not even staff confirm an entry of their own record.
    let mut mine = Automerge::new().with_actor(ActorId::from(vec![3u8; 16]));
    create(&mut mine, "p-zhang", "p-zhang", &profile(), 1_000).unwrap();
    let entry = log(&mut mine, "p-zhang", &visit(5_000, 60)).unwrap();
    let mut staff_own = mine.fork().with_actor(ActorId::from(vec![3u8; 16]));
    confirm(&mut staff_own, &entry, "p-zhang", "张建国", 6_000).unwrap();
    assert_eq!(
        check(&principal(Role::Staff, "p-zhang"), &mine, &staff_own)
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
    // A resident adds nothing to her record.
    let mut theirs = logged.fork().with_actor(ActorId::from(vec![4u8; 16]));
    log(&mut theirs, "p-wang", &visit(5_000, 60)).unwrap();
    assert_eq!(
        check(&principal(Role::Resident, "p-wang"), &logged, &theirs)
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
    // Nor opens a record for someone else.
    let mut other = Automerge::new().with_actor(ActorId::from(vec![4u8; 16]));
    create(&mut other, "p-chen", "p-wang", &profile(), 1_000).unwrap();
    assert!(
        check(
            &principal(Role::Resident, "p-wang"),
            &Automerge::new(),
            &other
        )
        .is_err()
    );
}

#[test]
fn only_the_volunteer_and_staff_read_the_record() {
    let scope = Scope::read(&registered());
    assert!(Kind::may_read(
        &principal(Role::Volunteer, "p-chen"),
        &scope
    ));
    assert!(Kind::may_read(&principal(Role::Staff, "p-zhang"), &scope));
    assert!(!Kind::may_read(
        &principal(Role::Resident, "p-wang"),
        &scope
    ));
    assert!(!Kind::may_read(
        &principal(Role::GridWorker, "p-li"),
        &scope
    ));
}
