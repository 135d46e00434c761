use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::*;
use crate::api::RefusalCode;
use crate::domain::{DocKind, Summary};
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{DAY, HOUR};

/// 2026-12-20 14:00 Shanghai.
const START: Millis = 1_797_746_400_000;

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: Vec::new(),
        consents: if role == Role::Volunteer {
            vec!["p-elder".into()]
        } else {
            Vec::new()
        },
        home_grid: None,
        name: (person == "p-staff").then(|| "社工".to_string()),
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        household_of: &|p| Some(format!("h-{p}")),
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

fn draft(capacity: &str) -> TrainingDraft {
    TrainingDraft {
        title: "议事规则情景模拟".into(),
        topic: Some(Topic::MeetingRules),
        method: Method::RolePlay,
        trainer: "张亦鸣".into(),
        trainer_org: "嘉兴市业委会专家".into(),
        starts: local_input(START),
        ends: local_input(START + 2 * HOUR),
        place: "党群服务中心二楼".into(),
        capacity: capacity.into(),
        description: "模拟一次业主大会".into(),
    }
}

fn created(capacity: u32) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![9u8; 16]));
    TrainingCommand::Create {
        draft: Box::new(draft(&capacity.to_string())),
        by: "p-staff".into(),
        by_name: "社工".into(),
    }
    .apply(&mut d, START - 20 * DAY)
    .unwrap();
    d
}

fn run(doc: &Automerge, actor: u8, c: TrainingCommand, at: Millis) -> Automerge {
    let mut d = doc.fork().with_actor(ActorId::from(vec![actor; 16]));
    c.apply(&mut d, at).unwrap();
    d
}

fn sign(person: &str) -> TrainingCommand {
    TrainingCommand::SignUp {
        person: person.into(),
    }
}

fn code(r: Result<(), Refusal>) -> RefusalCode {
    r.expect_err("refused").code
}

#[test]
fn staff_create_a_session_and_a_resident_cannot() {
    let staff = principal(Role::Staff, "p-staff");
    let empty = Automerge::new();
    let doc = created(20);
    check(&staff, &empty, &doc).unwrap();
    let t = Training::read(&doc).unwrap();
    assert_eq!(
        (t.topic, t.method, t.trainer.as_str()),
        (Topic::MeetingRules, Method::RolePlay, "张亦鸣")
    );
    let resident = principal(Role::Resident, "p-a");
    let mut own = Automerge::new();
    TrainingCommand::Create {
        draft: Box::new(draft("20")),
        by: "p-a".into(),
        by_name: String::new(),
    }
    .apply(&mut own, START - DAY)
    .unwrap();
    assert_eq!(
        code(check(&resident, &empty, &own)),
        RefusalCode::NotAllowed
    );
    // Nor may a resident revise what the session is.
    let mut d = draft("20");
    d.title = "改了".into();
    let revised = run(
        &doc,
        1,
        TrainingCommand::Revise { draft: Box::new(d) },
        START - DAY,
    );
    assert_eq!(
        code(check(&resident, &doc, &revised)),
        RefusalCode::FieldNotAllowed
    );
    assert!(check(&staff, &doc, &revised).is_ok());
}

#[test]
fn a_resident_signs_up_only_in_their_own_name_and_cancels_only_their_own_line() {
    let doc = created(20);
    let a = principal(Role::Resident, "p-a");
    let mine = run(&doc, 1, sign("p-a"), START - DAY);
    assert!(check(&a, &doc, &mine).is_ok());
    let theirs = run(&doc, 1, sign("p-b"), START - DAY);
    assert_eq!(code(check(&a, &doc, &theirs)), RefusalCode::NotAllowed);
    // A volunteer signs up the elder who consented to them, nobody else.
    let v = principal(Role::Volunteer, "p-v");
    let elder = run(&doc, 2, sign("p-elder"), START - DAY);
    assert!(check(&v, &doc, &elder).is_ok());
    assert!(check(&v, &doc, &theirs).is_err());
    // Cancelling someone else's line is refused; one's own is allowed, once.
    let b = run(&mine, 3, sign("p-b"), START - DAY);
    let cancel_a = run(
        &b,
        3,
        TrainingCommand::Cancel {
            person: "p-a".into(),
        },
        START - HOUR,
    );
    let bp = principal(Role::Resident, "p-b");
    assert_eq!(
        code(check(&bp, &b, &cancel_a)),
        RefusalCode::FieldNotAllowed
    );
    assert!(check(&a, &b, &cancel_a).is_ok());
    // A second live sign-up of the same person is refused even for staff.
    let mut twice = mine.fork().with_actor(ActorId::from(vec![4u8; 16]));
    let list = get_obj(&twice, &ROOT, "signups", ObjType::List).unwrap();
    twice
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let s = tx.insert_object(&list, 1, ObjType::Map)?;
            tx.put(&s, "person", "p-a")?;
            tx.put(&s, "at", START - DAY)?;
            Ok(())
        })
        .unwrap();
    let staff = principal(Role::Staff, "p-staff");
    assert_eq!(code(check(&staff, &mine, &twice)), RefusalCode::NotAllowed);
    assert!(
        TrainingCommand::SignUp {
            person: "p-a".into()
        }
        .apply(&mut mine.fork(), START - DAY)
        .is_err()
    );
}

#[test]
fn only_staff_mark_attendance_and_write_the_summary() {
    let doc = created(20);
    let signed = run(&doc, 1, sign("p-a"), START - DAY);
    let mark = TrainingCommand::Mark {
        person: "p-a".into(),
        attended: true,
    };
    let marked = run(&signed, 2, mark, START + 3 * HOUR);
    let a = principal(Role::Resident, "p-a");
    assert_eq!(code(check(&a, &signed, &marked)), RefusalCode::NotAllowed);
    let staff = principal(Role::Staff, "p-staff");
    assert!(check(&staff, &signed, &marked).is_ok());
    let t = Training::read(&marked).unwrap();
    assert_eq!((t.attended(), t.marked()), (1, true));
    // A resident cannot slip `attended` into their own new line either.
    let mut sneaky = doc.fork().with_actor(ActorId::from(vec![5u8; 16]));
    let list = get_obj(&sneaky, &ROOT, "signups", ObjType::List).unwrap();
    sneaky
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let s = tx.insert_object(&list, 0, ObjType::Map)?;
            tx.put(&s, "person", "p-a")?;
            tx.put(&s, "at", START - DAY)?;
            tx.put(&s, "attended", true)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(code(check(&a, &doc, &sneaky)), RefusalCode::NotAllowed);
    let summed = run(
        &marked,
        2,
        TrainingCommand::Summarise {
            text: "演练了表决程序".into(),
        },
        START + 4 * HOUR,
    );
    assert_eq!(
        code(check(&a, &marked, &summed)),
        RefusalCode::FieldNotAllowed
    );
    assert!(check(&staff, &marked, &summed).is_ok());
    assert_eq!(Training::read(&summed).unwrap().summary, "演练了表决程序");
}

#[test]
fn seats_go_by_time_the_rest_wait_and_a_cancellation_moves_the_first_up() {
    let doc = created(2);
    let a = run(&doc, 1, sign("p-a"), START - 3 * DAY);
    let b = run(&a, 2, sign("p-b"), START - 2 * DAY);
    let c = run(&b, 3, sign("p-c"), START - DAY);
    let t = Training::read(&c).unwrap();
    assert_eq!(t.counts(), (2, 1));
    assert_eq!(t.place("p-c"), Some(Place::Waiting(1)));
    assert_eq!(t.place("p-a"), Some(Place::Seated));
    let gone = run(
        &c,
        1,
        TrainingCommand::Cancel {
            person: "p-a".into(),
        },
        START - HOUR,
    );
    let t = Training::read(&gone).unwrap();
    assert_eq!(t.place("p-c"), Some(Place::Seated), "promoted");
    assert_eq!(t.place("p-a"), None);
    assert_eq!(t.counts(), (2, 0));
    // The capacity is not lowered below the seats given: on the phone and at the relay.
    assert!(
        TrainingCommand::Revise {
            draft: Box::new(draft("1"))
        }
        .apply(&mut gone.fork(), START - HOUR)
        .is_err()
    );
    let mut lowered = gone.fork().with_actor(ActorId::from(vec![6u8; 16]));
    lowered
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "capacity", 1))
        .unwrap();
    let staff = principal(Role::Staff, "p-staff");
    assert_eq!(
        code(check(&staff, &gone, &lowered)),
        RefusalCode::NotAllowed
    );
    // Signing up after the session ended is refused on the phone and at the relay.
    assert!(sign("p-d").apply(&mut c.fork(), START + 3 * HOUR).is_err());
    let mut late = c.fork().with_actor(ActorId::from(vec![7u8; 16]));
    let list = get_obj(&late, &ROOT, "signups", ObjType::List).unwrap();
    late.transact::<_, _, automerge::AutomergeError>(|tx| {
        let s = tx.insert_object(&list, 3, ObjType::Map)?;
        tx.put(&s, "person", "p-d")?;
        tx.put(&s, "at", START + 3 * HOUR)?;
        Ok(())
    })
    .unwrap();
    let d = principal(Role::Resident, "p-d");
    assert_eq!(code(check(&d, &c, &late)), RefusalCode::NotAllowed);
}

#[test]
fn oversize_and_unknown_fields_are_refused() {
    let doc = created(20);
    let staff = principal(Role::Staff, "p-staff");
    let mut extra = doc.fork().with_actor(ActorId::from(vec![1u8; 16]));
    extra
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "phone", "x"))
        .unwrap();
    assert_eq!(
        code(check(&staff, &doc, &extra)),
        RefusalCode::FieldNotAllowed
    );
    let mut long = doc.fork().with_actor(ActorId::from(vec![2u8; 16]));
    long.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "title", "长".repeat(TITLE_MAX + 1))
    })
    .unwrap();
    assert!(check(&staff, &doc, &long).is_err());
    let mut topic = doc.fork().with_actor(ActorId::from(vec![3u8; 16]));
    topic
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "topic", "cooking"))
        .unwrap();
    assert_eq!(
        code(check(&staff, &doc, &topic)),
        RefusalCode::FieldNotAllowed
    );
    // An unknown field in a resident's own line.
    let mut line = doc.fork().with_actor(ActorId::from(vec![4u8; 16]));
    let list = get_obj(&line, &ROOT, "signups", ObjType::List).unwrap();
    line.transact::<_, _, automerge::AutomergeError>(|tx| {
        let s = tx.insert_object(&list, 0, ObjType::Map)?;
        tx.put(&s, "person", "p-a")?;
        tx.put(&s, "at", START - DAY)?;
        tx.put(&s, "name", "王秀英")?;
        Ok(())
    })
    .unwrap();
    let a = principal(Role::Resident, "p-a");
    assert_eq!(code(check(&a, &doc, &line)), RefusalCode::FieldNotAllowed);
    // The relay bounds the times a writer sets by its clock, through the kind's hooks.
    assert!(DocKind::Training.time_fields().contains(&"at"));
    assert!(DocKind::Training.time_fields().contains(&"cancelled_at"));
    assert_eq!(DocKind::Training.daily_max(), Some(DAILY_MAX));
    assert_eq!(DocKind::Training.name_fields(), &["by_name"]);
}

#[test]
fn the_time_of_a_sign_up_is_bounded_by_the_relays_clock() {
    let doc = created(20);
    let ahead = run(&doc, 1, sign("p-a"), START - DAY);
    let a = principal(Role::Resident, "p-a");
    let changes = ahead.get_changes(&doc.get_heads());
    // The relay's clock says a week earlier than the phone claims.
    let now = START - 8 * DAY;
    let ctx = Ctx {
        household_of: &|p| Some(format!("h-{p}")),
        now: Some(now),
        grids: None,
        name_of: &|_| None,
        household_grid: &|_| None,
    };
    let r = check_changes(
        &a,
        &ctx,
        &Before::for_changes(&doc, &changes),
        &ahead,
        &changes,
    );
    assert!(r.is_err(), "a sign-up dated a week ahead of the relay");
    let ctx = Ctx {
        now: Some(START - DAY),
        ..ctx
    };
    assert!(
        check_changes(
            &a,
            &ctx,
            &Before::for_changes(&doc, &changes),
            &ahead,
            &changes
        )
        .is_ok()
    );
}

#[test]
fn the_form_explains_bad_input_and_keeps_what_was_typed() {
    let mut d = draft("二十");
    d.title = "  ".into();
    d.ends = local_input(START - HOUR);
    let p = d.problems();
    assert!(p.contains(&InputError::TitleEmpty));
    assert!(p.contains(&InputError::Event(EventError::BadCapacity)));
    assert!(p.contains(&InputError::Event(EventError::EndsBeforeStarts)));
    let mut doc = Automerge::new();
    let r = TrainingCommand::Create {
        draft: Box::new(d.clone()),
        by: "p-staff".into(),
        by_name: "社工".into(),
    }
    .apply(&mut doc, START);
    assert!(r.is_err());
    assert_eq!(d.capacity, "二十", "the draft keeps what was typed");
    let mut no_topic = draft("20");
    no_topic.topic = None;
    assert_eq!(no_topic.problems(), vec![InputError::CategoryMissing]);
    let mut phone = draft("20");
    phone.description = "报名请打13812345678".into();
    assert!(matches!(
        phone.problems().as_slice(),
        [InputError::PersonalData { .. }]
    ));
    // A draft survives JSON (the form keeps it in storage) and edits round-trip.
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(serde_json::from_str::<TrainingDraft>(&json).unwrap(), d);
    let t = Training::read(&created(20)).unwrap();
    assert_eq!(TrainingDraft::of(&t), draft("20"));
}

#[test]
fn the_summary_counts_seats_waiting_and_attendance_and_names_nobody() {
    let doc = created(2);
    let a = run(&doc, 1, sign("p-a"), START - 3 * DAY);
    let b = run(&a, 2, sign("p-b"), START - 2 * DAY);
    let c = run(&b, 3, sign("p-c"), START - DAY);
    let m = run(
        &c,
        4,
        TrainingCommand::Mark {
            person: "p-a".into(),
            attended: true,
        },
        START + 3 * HOUR,
    );
    let m = run(
        &m,
        4,
        TrainingCommand::Mark {
            person: "p-b".into(),
            attended: false,
        },
        START + 3 * HOUR,
    );
    let Summary::Training(t) = Summary::of(&m) else {
        panic!("a training summary");
    };
    assert_eq!(t.counts(), (2, 1));
    assert_eq!(t.attended(), 1);
    assert!(t.is_past(START + 2 * HOUR) && !t.is_past(START));
    let json = serde_json::to_string(&Summary::Training(t.clone())).unwrap();
    assert!(json.contains(r#""kind":"training""#));
    assert!(!json.contains("name\":\"王"), "no names in the session");
    assert_eq!(
        serde_json::from_str::<Summary>(&json).unwrap(),
        Summary::Training(t)
    );
}

#[test]
fn erasure_anonymises_a_persons_line_and_keeps_the_counts() {
    let doc = created(5);
    let a = run(&doc, 1, sign("p-a"), START - 2 * DAY);
    let mut b = run(&a, 2, sign("p-b"), START - DAY);
    b = run(
        &b,
        3,
        TrainingCommand::Mark {
            person: "p-a".into(),
            attended: true,
        },
        START + 3 * HOUR,
    );
    let mut d = b.fork();
    assert!(DocKind::Training.outlives_people());
    assert!(DocKind::Training.anonymise(&mut d, "p-a").unwrap().is_ok());
    let t = Training::read(&d).unwrap();
    assert!(t.signups.iter().all(|s| s.person != "p-a"));
    assert_eq!(t.counts(), (2, 0));
    assert_eq!(t.attended(), 1);
    assert!(DocKind::Training.anonymise(&mut d, "p-x").is_none());
    assert!(
        DocKind::Training
            .anonymise(&mut d, "p-staff")
            .unwrap()
            .is_ok()
    );
    assert_eq!(Training::read(&d).unwrap().by_name, "");
}
