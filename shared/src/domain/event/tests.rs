use automerge::{ActorId, Automerge};

use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::HOUR;

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
        name: None,
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
        name_of: &|p| (p == "p-elder").then(|| "李奶奶".to_string()),
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

fn draft(capacity: u32) -> EventDraft {
    EventDraft {
        title: "百家宴".into(),
        template: Some(Template::Potluck),
        description: "每家带一道菜".into(),
        photos: Vec::new(),
        starts: local_input(START),
        ends: local_input(START + 3 * HOUR),
        place: "中心花园".into(),
        capacity: capacity.to_string(),
        opens: local_input(START - 10 * crate::time::DAY),
        closes: local_input(START - HOUR),
        per: Per::Person,
        roles: vec![VolunteerRole {
            role: "摆桌".into(),
            count: 1,
        }],
        organisers: vec!["p-org".into()],
        repeat_of: String::new(),
    }
}

fn created(capacity: u32) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![9u8; 16]));
    EventCommand::Create {
        draft: Box::new(draft(capacity)),
        by: "p-staff".into(),
        by_name: "社工".into(),
    }
    .apply(&mut d, START - 20 * crate::time::DAY)
    .unwrap();
    d
}

fn run(doc: &Automerge, actor: u8, c: EventCommand, at: Millis) -> Automerge {
    let mut d = doc.fork().with_actor(ActorId::from(vec![actor; 16]));
    c.apply(&mut d, at).unwrap();
    d
}

fn sign(person: &str) -> EventCommand {
    EventCommand::SignUp {
        person: person.into(),
        household: format!("h-{person}"),
        name: String::new(),
        by: person.into(),
        role: String::new(),
    }
}

fn id_of(doc: &Automerge, person: &str) -> String {
    let e = Event::read(doc).unwrap();
    e.signups
        .iter()
        .find(|s| s.person == person)
        .unwrap()
        .id
        .clone()
}

/// The relay's roster after it accepted `doc`'s sign-ups.
fn accepted(roster: &mut Option<Automerge>, doc: &Automerge, at: Millis) -> Roster {
    let r = roster.get_or_insert_with(|| {
        let mut r = Automerge::new();
        roster::create(&mut r, "ev").unwrap();
        r
    });
    roster::append(r, &Event::read(doc).unwrap(), at).unwrap();
    Roster::read(r).unwrap()
}

#[test]
fn seats_follow_the_roster_not_the_phones_clocks_and_offline_sign_ups_are_pending() {
    let base = created(2);
    let a = run(&base, 1, sign("p-a"), START - 5 * HOUR);
    let mut rdoc = None;
    let r = accepted(&mut rdoc, &a, 100);
    // Two phones offline: b's clock says earlier than c's, but c reaches the relay first.
    let b = run(&a, 2, sign("p-b"), START - 4 * HOUR);
    let c = run(&a, 3, sign("p-c"), START - 3 * HOUR);
    let (ib, ic) = (id_of(&b, "p-b"), id_of(&c, "p-c"));
    let eb = Event::read(&b).unwrap();
    assert_eq!(
        eb.place(Some(&r), &ib),
        Some(Place::Pending),
        "offline: pending"
    );
    let mut merged = a.fork();
    merged.merge(&mut c.fork()).unwrap();
    accepted(&mut rdoc, &merged, 200);
    merged.merge(&mut b.fork()).unwrap();
    let r = accepted(&mut rdoc, &merged, 300);
    let e = Event::read(&merged).unwrap();
    assert_eq!(e.place(Some(&r), &ic), Some(Place::Seated));
    assert_eq!(e.place(Some(&r), &ib), Some(Place::Waiting(1)));
    assert_eq!(e.seats_left(Some(&r)), 0);
    let st = e.standing(Some(&r), "");
    assert_eq!(st.seated.len(), 2);
    assert_eq!(st.waitlist, vec![ib.clone()]);
    assert!(st.pending.is_empty());
    // The roster is append-only: the same documents give the same list on every phone.
    assert_eq!(
        r.order.iter().map(|e| e.at).collect::<Vec<_>>(),
        vec![100, 200, 300]
    );
}

#[test]
fn a_cancellation_promotes_the_first_waiting_and_nobody_seated_moves_back() {
    let base = created(1);
    let mut rdoc = None;
    let a = run(&base, 1, sign("p-a"), START - 5 * HOUR);
    accepted(&mut rdoc, &a, 1);
    let b = run(&a, 2, sign("p-b"), START - 5 * HOUR);
    accepted(&mut rdoc, &b, 2);
    let c = run(&b, 3, sign("p-c"), START - 5 * HOUR);
    let r = accepted(&mut rdoc, &c, 3);
    let (ia, ib, ic) = (id_of(&c, "p-a"), id_of(&c, "p-b"), id_of(&c, "p-c"));
    let e = Event::read(&c).unwrap();
    assert_eq!(e.place(Some(&r), &ib), Some(Place::Waiting(1)));
    assert_eq!(e.place(Some(&r), &ic), Some(Place::Waiting(2)));
    let done = run(
        &c,
        1,
        EventCommand::Cancel { signup: ia.clone() },
        START - 4 * HOUR,
    );
    let e = Event::read(&done).unwrap();
    assert_eq!(e.place(Some(&r), &ia), None);
    assert_eq!(e.place(Some(&r), &ib), Some(Place::Seated), "promoted");
    assert_eq!(e.place(Some(&r), &ic), Some(Place::Waiting(1)));
    // A roster id this phone has no sign-up for yet keeps its place: nobody jumps it.
    let mut partial = e.clone();
    partial.signups.retain(|s| s.id != ib);
    assert_eq!(partial.place(Some(&r), &ic), Some(Place::Waiting(1)));
    // Lowering the capacity below the seats given is refused, on the phone too.
    let mut d2 = draft(1);
    d2.capacity = "0".into();
    let mut doc = done.fork();
    assert!(
        EventCommand::Revise {
            draft: Box::new(d2)
        }
        .apply(&mut doc, 0)
        .is_err()
    );
}

#[test]
fn one_live_sign_up_per_person_and_a_household_event_counts_households() {
    let base = created(5);
    let a = run(&base, 1, sign("p-a"), START - 5 * HOUR);
    let mut again = a.fork();
    assert!(matches!(
        sign("p-a").apply(&mut again, START - 5 * HOUR),
        Err(ModelError::Input(InputError::Event(
            EventError::AlreadySignedUp
        )))
    ));
    // After cancelling, one may sign up again.
    let ia = id_of(&a, "p-a");
    let c = run(&a, 1, EventCommand::Cancel { signup: ia }, START - 5 * HOUR);
    let back = run(&c, 1, sign("p-a"), START - 5 * HOUR);
    assert_eq!(Event::read(&back).unwrap().signups.len(), 2);
    assert!(!Event::read(&back).unwrap().has_double_signup());
    // Outside the window the phone says so.
    let mut late = base.fork();
    assert!(matches!(
        sign("p-z").apply(&mut late, START),
        Err(ModelError::Input(InputError::Event(EventError::NotOpen)))
    ));
}

#[test]
fn attendance_gives_hours_and_no_shows_after_the_end() {
    let base = created(3);
    let mut rdoc = None;
    let a = run(&base, 1, sign("p-a"), START - 5 * HOUR);
    let b = run(&a, 2, sign("p-b"), START - 5 * HOUR);
    let r = accepted(&mut rdoc, &b, 1);
    let i = run(
        &b,
        7,
        EventCommand::CheckIn {
            person: "p-a".into(),
            by: "p-org".into(),
        },
        START,
    );
    // A second organiser ticks the same person offline: one presence, the earliest.
    let i2 = run(
        &b,
        8,
        EventCommand::CheckIn {
            person: "p-a".into(),
            by: "p-org".into(),
        },
        START + HOUR / 2,
    );
    let mut m = i.fork();
    m.merge(&mut i2.fork()).unwrap();
    let o = run(
        &m,
        7,
        EventCommand::CheckOut {
            person: "p-a".into(),
        },
        START + 2 * HOUR + HOUR / 2,
    );
    let e = Event::read(&o).unwrap();
    assert_eq!(e.presence("p-a").unwrap().0, START);
    assert!((e.hours("p-a") - 2.5).abs() < 1e-9);
    assert_eq!(e.hours("p-b"), 0.0);
    assert!(
        e.no_shows(Some(&r), START + HOUR).is_empty(),
        "not ended yet"
    );
    let no: Vec<&str> = e
        .no_shows(Some(&r), START + 4 * HOUR)
        .iter()
        .map(|s| s.person.as_str())
        .collect();
    assert_eq!(no, vec!["p-b"]);
}

#[test]
fn a_check_in_code_finds_its_sign_up_typed_in_any_case() {
    let a = run(&created(3), 1, sign("p-a"), START - 5 * HOUR);
    let e = Event::read(&a).unwrap();
    let code = checkin_code("ev", &e.signups[0].id);
    assert_eq!(code.len(), 6);
    assert_eq!(e.by_code("ev", &code.to_lowercase()).unwrap().person, "p-a");
    assert_eq!(
        e.by_code("ev", &format!("LINLI:{code}")).unwrap().person,
        "p-a"
    );
    assert!(e.by_code("other", &code).is_none());
}

#[test]
fn the_calendar_file_has_utc_times_a_uid_and_escaped_folded_text() {
    let mut e = Event::read(&created(3)).unwrap();
    e.description = "带菜; 带碗, 还有\n筷子\\".repeat(4);
    let s = ics::ics("ev1", &e, START - HOUR);
    assert!(s.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{s}");
    assert!(s.contains("UID:ev1@linli\r\n"));
    // 14:00 in Shanghai is 06:00 UTC.
    assert!(s.contains("DTSTART:20261220T060000Z\r\n"), "{s}");
    assert!(s.contains("DTEND:20261220T090000Z\r\n"));
    assert!(s.contains("SUMMARY:百家宴\r\n"));
    let unfolded = s.replace("\r\n ", "");
    assert!(
        unfolded.contains("DESCRIPTION:带菜\\; 带碗\\, 还有\\n筷子\\\\带菜"),
        "{unfolded}"
    );
    for line in s.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
    assert!(s.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
}

#[test]
fn repeat_next_month_moves_every_time_a_month_on() {
    let e = Event::read(&created(3)).unwrap();
    let id = DocumentId::from_bytes([1; 16]);
    let d = EventDraft::next_month(&id, &e);
    assert_eq!(d.starts, "2027-01-20T14:00");
    assert_eq!(d.repeat_of, id.to_string());
    assert!(d.problems().is_empty());
    // 31 January becomes the last of February.
    let jan31 = parse_local("2027-01-31T10:00").unwrap();
    assert_eq!(local_input(next_month(jan31)), "2027-02-28T10:00");
}

#[test]
fn a_draft_explains_what_is_wrong() {
    let mut d = draft(3);
    d.capacity = "0".into();
    d.ends = d.starts.clone();
    d.starts = "明天".into();
    assert!(d.problems().contains(&InputError::BadDate));
    assert!(
        d.problems()
            .contains(&InputError::Event(EventError::BadCapacity))
    );
    let mut d = draft(3);
    d.ends = local_input(START - HOUR);
    assert_eq!(
        d.problems(),
        vec![InputError::Event(EventError::EndsBeforeStarts)]
    );
}

#[test]
fn the_rules_let_residents_sign_up_themselves_and_organisers_check_in() {
    let base = created(1);
    let me = principal(Role::Resident, "p-a");
    let a = run(&base, 1, sign("p-a"), START - 5 * HOUR);
    assert_eq!(check(&me, &base, &a), Ok(()));
    // Not someone else without consent.
    let other = run(&base, 1, sign("p-b"), START - 5 * HOUR);
    let e = check(&me, &base, &other).unwrap_err();
    assert_eq!(e.code, RefusalCode::BadName);
    let mut forged = base.fork().with_actor(ActorId::from(vec![1u8; 16]));
    EventCommand::SignUp {
        person: "p-b".into(),
        household: "h-p-b".into(),
        name: String::new(),
        by: "p-a".into(),
        role: String::new(),
    }
    .apply(&mut forged, START - 5 * HOUR)
    .unwrap();
    assert_eq!(
        check(&me, &base, &forged).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // A volunteer for a consenting elder, with her name on record.
    let vol = principal(Role::Volunteer, "p-vol");
    let elder = run(
        &base,
        4,
        EventCommand::SignUp {
            person: "p-elder".into(),
            household: "h-p-elder".into(),
            name: "李奶奶".into(),
            by: "p-vol".into(),
            role: String::new(),
        },
        START - 5 * HOUR,
    );
    assert_eq!(check(&vol, &base, &elder), Ok(()));
    // A resident neither checks in nor changes the capacity.
    let ci = run(
        &a,
        1,
        EventCommand::CheckIn {
            person: "p-a".into(),
            by: "p-a".into(),
        },
        START,
    );
    assert_eq!(
        check(&me, &a, &ci).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    let org = principal(Role::Resident, "p-org");
    let ci = run(
        &a,
        7,
        EventCommand::CheckIn {
            person: "p-a".into(),
            by: "p-org".into(),
        },
        START,
    );
    assert_eq!(check(&org, &a, &ci), Ok(()));
    let cap = run(
        &a,
        1,
        EventCommand::Revise {
            draft: Box::new(draft(9)),
        },
        0,
    );
    assert_eq!(
        check(&me, &a, &cap).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Staff cannot give fewer seats than are given (a forged revision past the phone's check).
    let staff = principal(Role::Staff, "p-staff");
    let two = run(&a, 2, sign("p-b"), START - 5 * HOUR);
    let mut d = draft(2);
    d.capacity = "2".into();
    let wider = run(&two, 9, EventCommand::Revise { draft: Box::new(d) }, 0);
    assert_eq!(check(&staff, &two, &wider), Ok(()));
    let mut lower = wider.fork().with_actor(ActorId::from(vec![9u8; 16]));
    lower
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            tx.put(ROOT, "capacity", 1i64)
        })
        .unwrap();
    assert_eq!(
        check(&staff, &wider, &lower).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // A second live sign-up is refused, staff's too.
    let mut twice = a.fork().with_actor(ActorId::from(vec![1u8; 16]));
    let list = get_obj(&twice, &ROOT, "signups", ObjType::List).unwrap();
    twice
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            let s = tx.insert_object(&list, 1, ObjType::Map)?;
            tx.put(&s, "person", "p-a")?;
            tx.put(&s, "household", "h-p-a")?;
            tx.put(&s, "by", "p-a")?;
            tx.put(&s, "at", START - 5 * HOUR)
        })
        .unwrap();
    assert_eq!(
        check(&me, &a, &twice).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // Cancelling one's own: yes; someone else's: no.
    let ia = id_of(&a, "p-a");
    let c = run(&a, 1, EventCommand::Cancel { signup: ia }, START - 4 * HOUR);
    assert_eq!(check(&me, &a, &c), Ok(()));
    assert!(check(&principal(Role::Resident, "p-b"), &a, &c).is_err());
}
