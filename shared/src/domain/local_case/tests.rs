use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::*;
use crate::api::RefusalCode;
use crate::cases::matching::{self, OpenRequest};
use crate::domain::grid::tests::principal;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{HOUR, shanghai_midnight};

/// 2026-06-10 10:00 in Shanghai.
fn t0() -> Millis {
    shanghai_midnight(2026, 6, 10) + 10 * HOUR
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

fn draft() -> CaseDraft {
    CaseDraft {
        title: "楼道美术馆：退休教师发起，17个单元楼道变画廊".into(),
        place: "水榭花都".into(),
        years: "2025–2026".into(),
        tags: vec![
            "clutter".into(),
            "micro-grant".into(),
            "clutter".into(),
            "no-such-tag".into(),
        ],
        problem: "楼道堆物反复清理反复堆。".into(),
        done: "微创投支持王阿姨的提案，居民自己布展、轮流值守。".into(),
        results: "17个单元改造完成，参与家庭从12户增至86户。".into(),
        source: "田野笔记；四方会谈纪要".into(),
        from: String::new(),
    }
}

fn created(by: &str) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    CaseCommand::Create {
        draft: Box::new(draft()),
        by: by.into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    d
}

#[test]
fn a_case_keeps_its_text_and_known_problems_once_in_the_order_picked() {
    let d = created("p-staff");
    let c = LocalCase::read(&d).unwrap();
    assert_eq!(c.tags, vec!["clutter", "micro-grant"]);
    assert_eq!(c.tags(), vec![Tag::Clutter, Tag::MicroGrant]);
    assert_eq!((c.by.as_str(), c.created_at), ("p-staff", t0()));
    assert_eq!(Kind::summarise(&d), Some(c.clone()));
    // Found by its words in Chinese and by a problem said the way people say it.
    assert!(c.found_by("美术馆"));
    assert!(c.found_by("楼道 画廊"));
    assert!(c.found_by("micro-grants"));
    assert!(!c.found_by("停车"));
}

#[test]
fn a_case_needs_a_title_a_problem_and_what_was_done_and_no_personal_numbers() {
    let d = CaseDraft {
        title: " ".into(),
        tags: vec!["nothing-known".into()],
        ..Default::default()
    };
    assert_eq!(
        d.problems(),
        vec![
            InputError::TitleEmpty,
            InputError::Case(CaseError::NoProblemTag),
            InputError::Case(CaseError::NothingDone),
        ]
    );
    let mut d = draft();
    d.results = "联系王阿姨 13812345678".into();
    assert!(matches!(
        d.problems().as_slice(),
        [InputError::PersonalData { .. }]
    ));
    let mut d = draft();
    d.done = "字".repeat(DONE_MAX + 1);
    assert_eq!(
        d.problems(),
        vec![InputError::TextTooLong {
            len: DONE_MAX + 1,
            max: DONE_MAX
        }]
    );
    // A bad draft writes nothing.
    let mut doc = Automerge::new();
    assert!(
        CaseCommand::Create {
            draft: Box::new(d),
            by: "p-staff".into(),
            by_name: String::new()
        }
        .apply(&mut doc, t0())
        .is_err()
    );
    assert_eq!(doc_kind(&doc), None);
}

#[test]
fn only_staff_write_a_case_in_their_own_name_and_staff_and_grid_workers_read_it() {
    let empty = Automerge::new();
    for role in [Role::Resident, Role::Volunteer, Role::GridWorker] {
        let r = check(&principal(role, "p-x"), &empty, &created("p-x"));
        assert_eq!(r.unwrap_err().code, RefusalCode::NotAllowed, "{role:?}");
        assert_eq!(
            Kind::may_read(&principal(role, "p-x"), &Scope::default()),
            role == Role::GridWorker,
            "{role:?}"
        );
    }
    assert!(Kind::may_read(
        &principal(Role::Staff, "p-staff"),
        &Scope::default()
    ));
    assert_eq!(
        check(
            &principal(Role::Staff, "p-staff"),
            &empty,
            &created("p-staff")
        ),
        Ok(())
    );
    let r = check(
        &principal(Role::Staff, "p-staff"),
        &empty,
        &created("p-other"),
    );
    assert_eq!(r.unwrap_err().code, RefusalCode::BadName);
}

#[test]
fn an_edit_is_signed_by_its_editor_and_writes_only_what_changed() {
    let case = created("p-staff");
    let mut d = case.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let mut dr = LocalCase::read(&d).unwrap().draft();
    dr.results.push_str("后续：又有3个单元申请加入。");
    CaseCommand::Edit {
        draft: Box::new(dr.clone()),
        by: "p-staff2".into(),
    }
    .apply(&mut d, t0() + crate::time::MINUTE)
    .unwrap();
    assert_eq!(
        check(&principal(Role::Staff, "p-staff2"), &case, &d),
        Ok(())
    );
    // Only the results and the edit's signature were written.
    let changes = d.get_changes(&case.get_heads());
    let ops: usize = changes.iter().map(|c| c.len()).sum();
    assert!(ops <= 4, "{ops} operations for one changed field");
    let c = LocalCase::read(&d).unwrap();
    assert_eq!(c.edited_at, Some(t0() + crate::time::MINUTE));
    assert_eq!(c.by, "p-staff");
    // Signed as another staff member: refused.
    let mut forged = case.fork().with_actor(ActorId::from(vec![3u8; 16]));
    CaseCommand::Edit {
        draft: Box::new(dr),
        by: "p-staff".into(),
    }
    .apply(&mut forged, t0() + crate::time::MINUTE)
    .unwrap();
    let r = check(&principal(Role::Staff, "p-staff2"), &case, &forged);
    assert_eq!(r.unwrap_err().code, RefusalCode::BadName);
}

#[test]
fn unknown_fields_unknown_problems_and_no_problem_are_refused_for_staff_too() {
    let case = created("p-staff");
    let staff = principal(Role::Staff, "p-staff");
    let mut d = case.fork().with_actor(ActorId::from(vec![4u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "phone", "x"))
        .unwrap();
    assert_eq!(
        check(&staff, &case, &d).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    for tags in [vec!["parking", "flying-cars"], vec![]] {
        let mut d = case.fork().with_actor(ActorId::from(vec![5u8; 16]));
        let tags: Vec<String> = tags.into_iter().map(String::from).collect();
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            crate::docutil::put_strings(tx, &ROOT, "tags", &tags)
        })
        .unwrap();
        assert_eq!(
            check(&staff, &case, &d).unwrap_err().code,
            RefusalCode::FieldNotAllowed,
            "{tags:?}"
        );
    }
    let mut d = case.fork().with_actor(ActorId::from(vec![6u8; 16]));
    d.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "done", "字".repeat(DONE_MAX + 1))
    })
    .unwrap();
    assert_eq!(
        check(&staff, &case, &d).unwrap_err().code,
        RefusalCode::TooLarge
    );
}

#[test]
fn a_case_s_times_are_bounded_by_the_relay_s_clock() {
    let empty = Automerge::new();
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    CaseCommand::Create {
        draft: Box::new(draft()),
        by: "p-staff".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0() + 3 * crate::time::DAY)
    .unwrap();
    let r = check(&principal(Role::Staff, "p-staff"), &empty, &d);
    assert_eq!(r.unwrap_err().code, RefusalCode::BadTime);
}

#[test]
fn erasing_the_writer_keeps_the_case_unsigned() {
    let mut d = created("p-staff");
    assert!(Kind::anonymise(&mut d, "p-nobody").is_none());
    assert!(matches!(Kind::anonymise(&mut d, "p-staff"), Some(Ok(v)) if v.is_empty()));
    let c = LocalCase::read(&d).unwrap();
    assert_eq!((c.by.as_str(), c.by_name.as_str()), ("erased", ""));
    assert!(c.done.contains("王阿姨"));
}

#[test]
fn a_shared_file_round_trips_names_its_community_and_carries_nobody() {
    let c = LocalCase::read(&created("p-staff")).unwrap();
    let file = SharedCase::of(&c, "水榭花都");
    let json = file.to_json();
    assert!(!json.contains("p-staff"), "no person's id travels");
    let back = SharedCase::parse(&json).unwrap();
    assert_eq!(back, file);
    let d = back.draft();
    assert_eq!(d.from, "水榭花都");
    assert_eq!(d.tags, vec!["clutter", "micro-grant"]);
    assert!(d.problems().is_empty());
    assert_eq!(
        file.file_name(),
        "案例-楼道美术馆：退休教师发起，17个单元楼道.json"
    );
    // Re-shared by the importing community: the origin stays named.
    let imported = LocalCase {
        from: "水榭花都".into(),
        ..c
    };
    assert_eq!(SharedCase::of(&imported, "南湖社区").community, "水榭花都");
}

#[test]
fn a_file_that_is_not_a_shared_case_is_explained() {
    assert!(matches!(
        SharedCase::parse("<html>"),
        Err(ImportError::NotACase(_))
    ));
    assert!(matches!(
        SharedCase::parse(r#"{"format":"something","title":"x"}"#),
        Err(ImportError::NotACase(_))
    ));
    assert!(matches!(
        SharedCase::parse(r#"{"format":"linli-case/2","community":"a","title":"x"}"#),
        Err(ImportError::NewerFormat(_))
    ));
    assert_eq!(
        SharedCase::parse(&" ".repeat(70_000)),
        Err(ImportError::TooLarge)
    );
    // A BOM (a file saved by a Windows editor) is fine.
    let ok = format!(
        "\u{feff}{}",
        r#"{"format":"linli-case/1","community":"南湖","title":"t","tags":["parking"],"done":"d"}"#
    );
    assert_eq!(SharedCase::parse(&ok).unwrap().community, "南湖");
}

#[test]
fn own_cases_are_matched_to_open_problems_like_the_library_s() {
    let c = LocalCase::read(&created("p-staff")).unwrap();
    let reqs = [OpenRequest {
        category: "",
        title: "楼道堆放纸箱杂物",
        description: "",
    }];
    let needs = matching::needs(&reqs, &[]);
    let own = [("doc-1".to_string(), c.tags())];
    let m = matching::rank_own(&needs, &own);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].id, "doc-1");
    assert!(
        m[0].explain(true).contains("楼道堆物"),
        "{}",
        m[0].explain(true)
    );
    // A case about parking only is not matched to stairwell clutter.
    let parking = [("doc-2".to_string(), vec![Tag::Parking])];
    assert!(matching::rank_own(&needs, &parking).is_empty());
}

#[test]
fn personal_numbers_in_any_of_its_public_text_are_found_for_staff_too() {
    let case = created("p-staff");
    for field in ["title", "problem", "done", "results", "source", "from"] {
        let mut d = case.fork().with_actor(ActorId::from(vec![9u8; 16]));
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, field, "有事找王阿姨 13812345678")
        })
        .unwrap();
        let changes = d.get_changes(&case.get_heads());
        assert!(
            crate::rules::personal_data_in(&d, &changes).is_some(),
            "{field}"
        );
        let r = check(&principal(Role::Staff, "p-staff"), &case, &d);
        assert_eq!(r.unwrap_err().code, RefusalCode::PersonalData, "{field}");
    }
}
