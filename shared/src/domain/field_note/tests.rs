use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::search::{Filter, select, tag_counts};
use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::shanghai_midnight;

/// 2026-06-10 10:00 in Shanghai.
fn t0() -> Millis {
    shanghai_midnight(2026, 6, 10) + 10 * HOUR
}

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: None,
        grids: vec!["g01".into()],
        consents: Vec::new(),
        home_grid: Some("g01".into()),
        name: None,
        team_grids: vec!["g01".into()],
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        now: Some(t0()),
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

fn draft() -> NoteDraft {
    NoteDraft {
        title: "3号楼楼道堆物第二轮协商".into(),
        body: "物业管家先讲消防要求，楼组长补充了老人的顾虑，最后约定周六一起清理。".into(),
        date: "2026-06-09".into(),
        place: "3号楼一单元".into(),
        tags: vec!["楼道堆物".into(), " 议事协商 ".into(), "楼道堆物".into()],
        talk: "talk-1".into(),
        ..Default::default()
    }
}

fn created(by: &str) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    NoteCommand::Create {
        draft: Box::new(draft()),
        by: by.into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    d
}

fn edited(before: &Automerge, actor: u8, by: &str) -> Automerge {
    let mut d = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    let mut dr = FieldNote::read(&d).unwrap().draft();
    dr.body.push_str("补记：周六清出旧家具三件。");
    NoteCommand::Edit {
        draft: Box::new(dr),
        by: by.into(),
    }
    .apply(&mut d, t0() + 10 * crate::time::MINUTE)
    .unwrap();
    d
}

#[test]
fn a_note_keeps_its_fields_tags_once_and_its_day_at_noon() {
    let d = created("p-gw");
    let n = FieldNote::read(&d).unwrap();
    assert_eq!(n.tags, vec!["楼道堆物", "议事协商"]);
    assert_eq!(n.observed_at, shanghai_midnight(2026, 6, 9) + 12 * HOUR);
    assert_eq!((n.by.as_str(), n.created_at), ("p-gw", t0()));
    assert_eq!(n.links(), vec![LinkKind::Talk]);
    assert_eq!(n.edited_at, None);
    // The draft of a note gives the note back.
    assert_eq!(n.draft().date, "2026-06-09");
    assert_eq!(Kind::summarise(&d), Some(n));
    assert_eq!(tag_en("楼道堆物"), "stairwell clutter");
    assert_eq!(tag_en("百家宴"), "百家宴");
}

#[test]
fn today_is_not_later_than_now_and_the_future_or_last_year_is_a_bad_date() {
    let mut d = draft();
    d.date = "2026-06-10".into();
    assert_eq!(d.observed_at(t0()), Some(t0()));
    d.date = "2026-06-11".into();
    assert_eq!(d.problems(t0()), vec![InputError::BadDate]);
    d.date = "2025-06-01".into();
    assert_eq!(d.problems(t0()), vec![InputError::BadDate]);
    d.date = "2026-6-1".into();
    assert_eq!(d.problems(t0()), vec![InputError::BadDate]);
}

#[test]
fn a_note_needs_a_title_and_bounded_text_and_tags() {
    let d = NoteDraft {
        title: " ".into(),
        body: "字".repeat(BODY_MAX + 1),
        date: "2026-06-01".into(),
        tags: (0..=TAGS_MAX).map(|i| format!("标签{i}")).collect(),
        photos: vec!["h".into(); PHOTOS_MAX + 1],
        ..Default::default()
    };
    assert_eq!(
        d.problems(t0()),
        vec![
            InputError::TitleEmpty,
            InputError::DescriptionTooLong {
                len: BODY_MAX + 1,
                max: BODY_MAX
            },
            InputError::TooManyTags { max: TAGS_MAX },
            InputError::TooManyPhotos { max: PHOTOS_MAX },
        ]
    );
    let mut doc = Automerge::new();
    let r = NoteCommand::Create {
        draft: Box::new(d),
        by: "p".into(),
        by_name: String::new(),
    }
    .apply(&mut doc, t0());
    assert!(matches!(r, Err(ModelError::Input(InputError::TitleEmpty))));
    assert_eq!(doc_kind(&doc), None);
}

#[test]
fn residents_never_read_a_note_and_a_volunteer_reads_only_her_own() {
    let scope = |subject: &str| Scope {
        kind: Some(DocKind::FieldNote),
        subject: Some(subject.into()),
        ..Scope::default()
    };
    let resident = principal(Role::Resident, "p-res");
    assert!(!resident.may_read(&scope("p-res")));
    assert!(!resident.may_read(&scope("p-gw")));
    let vol = principal(Role::Volunteer, "p-vol");
    assert!(vol.may_read(&scope("p-vol")));
    assert!(!vol.may_read(&scope("p-gw")));
    assert!(principal(Role::GridWorker, "p-gw2").may_read(&scope("p-vol")));
    assert!(principal(Role::Staff, "p-staff").may_read(&scope("p-vol")));
}

#[test]
fn a_resident_cannot_create_a_note() {
    let r = check(
        &principal(Role::Resident, "p-res"),
        &Automerge::new(),
        &created("p-res"),
    );
    assert_eq!(r.unwrap_err().code, RefusalCode::NotAllowed);
}

#[test]
fn grid_workers_and_volunteers_create_notes_in_their_own_name_only() {
    let empty = Automerge::new();
    assert_eq!(
        check(
            &principal(Role::GridWorker, "p-gw"),
            &empty,
            &created("p-gw")
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &principal(Role::Volunteer, "p-vol"),
            &empty,
            &created("p-vol")
        ),
        Ok(())
    );
    // A volunteer signing as someone else: she could not even read it.
    let r = check(
        &principal(Role::Volunteer, "p-vol"),
        &empty,
        &created("p-gw"),
    );
    assert_eq!(r.unwrap_err().code, RefusalCode::NotAllowed);
    // A grid worker could read it, but a note is written in the writer's own name.
    let r = check(
        &principal(Role::GridWorker, "p-gw2"),
        &empty,
        &created("p-gw"),
    );
    assert_eq!(r.unwrap_err().code, RefusalCode::BadName);
    // Staff too write in their own name.
    let r = check(&principal(Role::Staff, "p-staff"), &empty, &created("p-gw"));
    assert_eq!(r.unwrap_err().code, RefusalCode::BadName);
}

#[test]
fn a_volunteer_cannot_edit_another_s_note_but_staff_edit_any() {
    let note = created("p-gw");
    let by_vol = edited(&note, 2, "p-vol");
    assert!(check(&principal(Role::Volunteer, "p-vol"), &note, &by_vol).is_err());
    let by_gw2 = edited(&note, 3, "p-gw2");
    assert_eq!(
        check(&principal(Role::GridWorker, "p-gw2"), &note, &by_gw2)
            .unwrap_err()
            .code,
        RefusalCode::NotAllowed
    );
    let own = edited(&note, 4, "p-gw");
    assert_eq!(
        check(&principal(Role::GridWorker, "p-gw"), &note, &own),
        Ok(())
    );
    let by_staff = edited(&note, 5, "p-staff");
    assert_eq!(
        check(&principal(Role::Staff, "p-staff"), &note, &by_staff),
        Ok(())
    );
    let n = FieldNote::read(&by_staff).unwrap();
    assert_eq!((n.by.as_str(), n.edited_by.as_str()), ("p-gw", "p-staff"));
    assert!(n.body.ends_with("三件。"));
    // An edit signed as someone else is refused, staff's too.
    let forged = edited(&note, 6, "p-gw");
    assert_eq!(
        check(&principal(Role::Staff, "p-staff"), &note, &forged)
            .unwrap_err()
            .code,
        RefusalCode::BadName
    );
}

#[test]
fn an_author_cannot_rewrite_who_wrote_it_or_when() {
    let note = created("p-gw");
    for (key, value) in [("created_at", t0() - HOUR), ("schema", 2)] {
        let mut d = note.fork().with_actor(ActorId::from(vec![7u8; 16]));
        d.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, key, value))
            .unwrap();
        let r = check(&principal(Role::GridWorker, "p-gw"), &note, &d);
        assert_eq!(r.unwrap_err().code, RefusalCode::FieldNotAllowed, "{key}");
    }
    // Handing the note to someone else: refused for staff as well.
    let mut d = note.fork().with_actor(ActorId::from(vec![8u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "by", "p-other")?;
        tx.put(ROOT, "subject", "p-other")
    })
    .unwrap();
    let r = check(&principal(Role::Staff, "p-staff"), &note, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::FieldNotAllowed);
}

#[test]
fn an_unknown_or_oversized_field_is_refused() {
    let note = created("p-gw");
    let mut d = note.fork().with_actor(ActorId::from(vec![2u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "phone", "x"))
        .unwrap();
    let r = check(&principal(Role::Staff, "p-staff"), &note, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::FieldNotAllowed);
    let mut d = note.fork().with_actor(ActorId::from(vec![3u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "body", "字".repeat(BODY_MAX + 1))
    })
    .unwrap();
    let r = check(&principal(Role::GridWorker, "p-gw"), &note, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::TooLarge);
    let mut d = note.fork().with_actor(ActorId::from(vec![4u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        let l = tx.put_object(ROOT, "tags", automerge::ObjType::List)?;
        for i in 0..=TAGS_MAX {
            tx.insert(&l, i, format!("t{i}"))?;
        }
        Ok(())
    })
    .unwrap();
    let r = check(&principal(Role::GridWorker, "p-gw"), &note, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::TooLarge);
}

#[test]
fn a_note_s_times_are_bounded_by_the_relay_s_clock() {
    // Written "a year and a half ago" by a phone whose clock is wrong.
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    NoteCommand::Create {
        draft: Box::new(draft()),
        by: "p-gw".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    let mut late = d.fork().with_actor(ActorId::from(vec![2u8; 16]));
    late.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "observed_at", t0() - 500 * DAY)
    })
    .unwrap();
    let r = check(&principal(Role::GridWorker, "p-gw"), &d, &late);
    assert_eq!(r.unwrap_err().code, RefusalCode::BadTime);
    let mut ahead = d.fork().with_actor(ActorId::from(vec![3u8; 16]));
    ahead
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "observed_at", t0() + DAY))
        .unwrap();
    let r = check(&principal(Role::Staff, "p-staff"), &d, &ahead);
    assert_eq!(r.unwrap_err().code, RefusalCode::BadTime);
}

#[test]
fn erasing_the_author_keeps_the_note_unsigned() {
    let mut d = created("p-gw");
    assert!(Kind::anonymise(&mut d, "p-other").is_none());
    let photos = Kind::anonymise(&mut d, "p-gw").unwrap().unwrap();
    assert!(photos.is_empty());
    let n = FieldNote::read(&d).unwrap();
    assert_eq!((n.by.as_str(), n.by_name.as_str()), ("erased", ""));
    assert_eq!(Scope::read(&d).subject.as_deref(), Some("erased"));
    assert_eq!(n.title, "3号楼楼道堆物第二轮协商");
}

fn note(title: &str, body: &str, tags: &[&str], day: u32, request: &str) -> FieldNote {
    FieldNote {
        title: title.into(),
        body: body.into(),
        observed_at: shanghai_midnight(2026, 5, day),
        place: String::new(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        talk: String::new(),
        request: request.into(),
        case: String::new(),
        photos: Vec::new(),
        by: "p".into(),
        by_name: String::new(),
        created_at: 0,
        edited_at: None,
        edited_by: String::new(),
    }
}

#[test]
fn the_register_finds_chinese_words_anywhere_newest_first() {
    let notes = [
        note(
            "健身器材第四轮协商",
            "物业出资60%，社区基金30%",
            &["议事协商"],
            3,
            "",
        ),
        note(
            "独居老人李奶奶家访",
            "她说楼道太暗，想装灯",
            &["独居老人"],
            9,
            "r-1",
        ),
        note(
            "楼道灯坏了",
            "Lights out in building 7",
            &["设施改造"],
            5,
            "r-2",
        ),
    ];
    let all: Vec<(usize, &FieldNote)> = notes.iter().enumerate().collect();
    let ids =
        |f: &Filter| -> Vec<usize> { select(all.clone(), f).into_iter().map(|(i, _)| i).collect() };
    assert_eq!(ids(&Filter::default()), vec![1, 2, 0]);
    let q = |s: &str| Filter {
        query: s.into(),
        ..Filter::default()
    };
    // 楼道 in a body and in a title; two words must both be there.
    assert_eq!(ids(&q("楼道")), vec![1, 2]);
    assert_eq!(ids(&q("楼道 老人")), vec![1]);
    assert_eq!(ids(&q("基金")), vec![0]);
    assert_eq!(ids(&q("LIGHTS")), vec![2]);
    assert_eq!(ids(&q("协商")), vec![0]);
    assert!(ids(&q("宠物")).is_empty());
    let by_tag = Filter {
        tag: Some("独居老人".into()),
        ..Filter::default()
    };
    assert_eq!(ids(&by_tag), vec![1]);
    let linked = Filter {
        link: Some(Some(LinkKind::Request)),
        ..Filter::default()
    };
    assert_eq!(ids(&linked), vec![1, 2]);
    let unlinked = Filter {
        link: Some(None),
        ..Filter::default()
    };
    assert_eq!(ids(&unlinked), vec![0]);
    let counts = tag_counts(notes.iter());
    assert_eq!(counts.len(), 3);
    assert!(counts.iter().all(|(_, n)| *n == 1));
}
