use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::*;
use crate::api::RefusalCode;
use crate::domain::Summary;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::DAY;

/// 2026-12-20 14:00 Shanghai.
const NOW: Millis = 1_797_746_400_000;

fn principal(role: Role, person: &str) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: if role == Role::GridWorker {
            vec!["g01".into()]
        } else {
            Vec::new()
        },
        consents: Vec::new(),
        home_grid: Some("g01".into()),
        name: Some(format!("名{person}")),
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        household_of: &|p| Some(format!("h-{p}")),
        now: Some(NOW),
        grids: None,
        name_of: &|p| (p != "p-nobody").then(|| format!("名{p}")),
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

fn code(r: Result<(), Refusal>) -> RefusalCode {
    r.expect_err("refused").code
}

fn draft() -> DrawingDraft {
    DrawingDraft {
        nickname: "朵朵".into(),
        age: "8".into(),
        school: "实验小学三（2）班".into(),
        title: "会发光的楼道".into(),
        proposes: "楼道里装上感应灯，晚上回家不怕黑".into(),
        place: "7号楼".into(),
        photos: vec!["a".repeat(64)],
        consent_keep: true,
        consent_publish: true,
    }
}

fn guardian(person: &str) -> Guardian {
    Guardian {
        person: person.into(),
        name: format!("名{person}"),
        household: format!("h-{person}"),
    }
}

fn create(by: &str, g: &str, d: DrawingDraft) -> DrawingCommand {
    DrawingCommand::Create {
        draft: Box::new(d),
        guardian: guardian(g),
        consent_at: None,
        by: by.into(),
        by_name: format!("名{by}"),
    }
}

fn run(doc: &Automerge, actor: u8, c: &DrawingCommand, at: Millis) -> Automerge {
    let mut d = doc.fork().with_actor(ActorId::from(vec![actor; 16]));
    c.apply(&mut d, at).unwrap();
    d
}

/// A drawing filed by its guardian `p-mum`.
fn filed() -> Automerge {
    run(
        &Automerge::new(),
        1,
        &create("p-mum", "p-mum", draft()),
        NOW,
    )
}

fn review(status: Status, shown: bool) -> DrawingCommand {
    DrawingCommand::Review {
        status,
        works: String::new(),
        note: String::new(),
        shown,
    }
}

#[test]
fn a_guardian_files_for_their_own_child_and_not_for_another_guardian() {
    let mum = principal(Role::Resident, "p-mum");
    let empty = Automerge::new();
    assert_eq!(check(&mum, &empty, &filed()), Ok(()));
    let other = run(&empty, 1, &create("p-mum", "p-dad", draft()), NOW);
    assert_eq!(code(check(&mum, &empty, &other)), RefusalCode::NotAllowed);
    // Staff file it for a guardian on record, from the paper form.
    let staff = principal(Role::Staff, "p-staff");
    let paper = run(&empty, 2, &create("p-staff", "p-dad", draft()), NOW);
    assert_eq!(check(&staff, &empty, &paper), Ok(()));
    // A volunteer or a grid worker does not file one for someone else's child.
    let vol = principal(Role::Volunteer, "p-vol");
    let by_vol = run(&empty, 3, &create("p-vol", "p-dad", draft()), NOW);
    assert!(check(&vol, &empty, &by_vol).is_err());
}

#[test]
fn the_guardian_is_named_as_the_relays_records_do() {
    let staff = principal(Role::Staff, "p-staff");
    let empty = Automerge::new();
    let mut c = create("p-staff", "p-dad", draft());
    if let DrawingCommand::Create { guardian, .. } = &mut c {
        guardian.name = "张三".into();
    }
    let d = run(&empty, 2, &c, NOW);
    assert_eq!(code(check(&staff, &empty, &d)), RefusalCode::BadName);
    // A guardian with no record at all.
    let d = run(&empty, 2, &create("p-staff", "p-nobody", draft()), NOW);
    assert_eq!(code(check(&staff, &empty, &d)), RefusalCode::BadName);
    // A household not the guardian's.
    let mut c = create("p-staff", "p-dad", draft());
    if let DrawingCommand::Create { guardian, .. } = &mut c {
        guardian.household = "h-other".into();
    }
    let d = run(&empty, 2, &c, NOW);
    assert_eq!(code(check(&staff, &empty, &d)), RefusalCode::NotAllowed);
}

#[test]
fn nobody_but_staff_adopts() {
    let d = filed();
    let adopted = run(&d, 1, &review(Status::Adopted, true), NOW);
    for p in [
        principal(Role::Resident, "p-mum"),
        principal(Role::Resident, "p-neighbour"),
        principal(Role::GridWorker, "p-worker"),
    ] {
        assert!(check(&p, &d, &adopted).is_err(), "{:?}", p.role);
    }
    let staff = principal(Role::Staff, "p-staff");
    let by_staff = run(&d, 2, &review(Status::Adopted, true), NOW);
    assert_eq!(check(&staff, &d, &by_staff), Ok(()));
    assert!(Drawing::read(&by_staff).unwrap().public());
}

#[test]
fn nobody_but_the_guardian_withdraws_and_the_withdrawal_wins_over_a_concurrent_review() {
    let d = filed();
    let withdrawn = run(&d, 1, &DrawingCommand::Withdraw, NOW + 1);
    assert_eq!(
        check(&principal(Role::Resident, "p-mum"), &d, &withdrawn),
        Ok(())
    );
    let by_neighbour = run(&d, 3, &DrawingCommand::Withdraw, NOW + 1);
    assert_eq!(
        code(check(
            &principal(Role::Resident, "p-neighbour"),
            &d,
            &by_neighbour
        )),
        RefusalCode::NotAllowed
    );
    // Staff show it while the guardian, offline, withdraws: merged, it is not shown.
    let mut shown = run(&d, 2, &review(Status::Adopted, true), NOW + 2);
    shown.merge(&mut withdrawn.clone()).unwrap();
    let merged = Drawing::read(&shown).unwrap();
    assert!(!merged.public());
    assert_eq!(merged.status, Status::Adopted);
    // The guardian may not turn publish back on, nor write anything else.
    let mut again = withdrawn.fork().with_actor(ActorId::from(vec![1u8; 16]));
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "publish", true))
        .unwrap();
    assert!(check(&principal(Role::Resident, "p-mum"), &withdrawn, &again).is_err());
    let mut note = d.fork().with_actor(ActorId::from(vec![1u8; 16]));
    note.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "status", "adopted"))
        .unwrap();
    assert_eq!(
        code(check(&principal(Role::Resident, "p-mum"), &d, &note)),
        RefusalCode::FieldNotAllowed
    );
}

#[test]
fn staff_cannot_publish_without_the_guardians_consent_nor_undo_a_withdrawal() {
    let staff = principal(Role::Staff, "p-staff");
    let mut no = draft();
    no.consent_publish = false;
    let d = run(&Automerge::new(), 1, &create("p-mum", "p-mum", no), NOW);
    // The command itself does not show it.
    let reviewed = run(&d, 2, &review(Status::Adopted, true), NOW);
    assert!(!Drawing::read(&reviewed).unwrap().shown);
    // Written by hand: refused.
    let mut forced = d.fork().with_actor(ActorId::from(vec![2u8; 16]));
    forced
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "shown", true))
        .unwrap();
    assert_eq!(
        code(check(&staff, &d, &forced)),
        RefusalCode::FieldNotAllowed
    );
    let mut publish = d.fork().with_actor(ActorId::from(vec![2u8; 16]));
    publish
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "publish", true))
        .unwrap();
    assert_eq!(
        code(check(&staff, &d, &publish)),
        RefusalCode::FieldNotAllowed
    );
    let w = run(&filed(), 1, &DrawingCommand::Withdraw, NOW);
    let mut undo = w.fork().with_actor(ActorId::from(vec![2u8; 16]));
    undo.transact::<_, _, automerge::AutomergeError>(|tx| tx.delete(ROOT, "withdrawn_at"))
        .unwrap();
    assert_eq!(code(check(&staff, &w, &undo)), RefusalCode::FieldNotAllowed);
}

#[test]
fn unknown_or_oversize_fields_and_times_far_from_the_relays_clock_are_refused() {
    let staff = principal(Role::Staff, "p-staff");
    let d = filed();
    let edit = |f: &dyn Fn(&mut automerge::transaction::Transaction<'_>)| {
        let mut a = d.fork().with_actor(ActorId::from(vec![2u8; 16]));
        let mut tx = a.transaction();
        f(&mut tx);
        tx.commit();
        a
    };
    let extra = edit(&|tx| {
        tx.put(ROOT, "phone", "x").unwrap();
    });
    assert_eq!(
        code(check(&staff, &d, &extra)),
        RefusalCode::FieldNotAllowed
    );
    let long = edit(&|tx| {
        tx.put(ROOT, "proposes", "画".repeat(PROPOSES_MAX + 1))
            .unwrap();
    });
    assert_eq!(code(check(&staff, &d, &long)), RefusalCode::TooLarge);
    let full_name = edit(&|tx| {
        tx.put(ROOT, "nickname", "欧阳小明明明明").unwrap();
    });
    assert_eq!(code(check(&staff, &d, &full_name)), RefusalCode::TooLarge);
    let digits = edit(&|tx| {
        tx.put(ROOT, "nickname", "小明2").unwrap();
    });
    assert_eq!(
        code(check(&staff, &d, &digits)),
        RefusalCode::FieldNotAllowed
    );
    let old = edit(&|tx| {
        tx.put(ROOT, "age", 18).unwrap();
    });
    assert_eq!(code(check(&staff, &d, &old)), RefusalCode::FieldNotAllowed);
    let photos = edit(&|tx| {
        crate::docutil::put_strings(tx, &ROOT, "photos", &["a".into(), "b".into()]).unwrap();
    });
    assert_eq!(code(check(&staff, &d, &photos)), RefusalCode::TooLarge);
    let phone = edit(&|tx| {
        tx.put(ROOT, "proposes", "打电话13812345678").unwrap();
    });
    assert_eq!(code(check(&staff, &d, &phone)), RefusalCode::PersonalData);
    let empty = Automerge::new();
    let future = run(
        &empty,
        1,
        &create("p-mum", "p-mum", draft()),
        NOW + 30 * DAY,
    );
    assert_eq!(
        code(check(&principal(Role::Resident, "p-mum"), &empty, &future)),
        RefusalCode::BadTime
    );
}

#[test]
fn an_unpublished_drawing_is_read_by_staff_and_the_household_only() {
    let d = filed();
    let scope = Scope::read(&d);
    assert!(principal(Role::Staff, "p-staff").may_read(&scope));
    assert!(principal(Role::Resident, "p-mum").may_read(&scope));
    let mut dad = principal(Role::Resident, "p-dad");
    dad.household = Some("h-p-mum".into());
    assert!(dad.may_read(&scope), "the guardian's household");
    for p in [
        principal(Role::Resident, "p-neighbour"),
        principal(Role::Volunteer, "p-vol"),
        principal(Role::GridWorker, "p-worker"),
    ] {
        assert!(!p.may_read(&scope), "{:?}", p.role);
    }
    // Even shown, the drawing itself stays theirs: residents read the gallery.
    let shown = run(&d, 2, &review(Status::Adopted, true), NOW);
    assert!(!principal(Role::Resident, "p-neighbour").may_read(&Scope::read(&shown)));
    assert!(principal(Role::Resident, "p-neighbour").may_read(&Scope {
        kind: Some(DocKind::DrawingGallery),
        ..Scope::default()
    }));
}

#[test]
fn the_gallery_shows_only_reviewed_published_drawings_and_never_the_guardian() {
    let id = crate::ids::DocumentId::from_bytes([7; 16]);
    let key = gallery_key(&id);
    let mut g = Automerge::new();
    gallery::create(&mut g).unwrap();
    let d = filed();
    let read = |d: &Automerge| Drawing::read(d).unwrap();
    gallery::update(&mut g, &key, Some(&read(&d)), NOW).unwrap();
    let gal = Gallery::read(&g).unwrap();
    assert!(gal.entries.is_empty(), "not reviewed yet");
    assert_eq!(gal.counts(), (1, 0));
    let shown = run(&d, 2, &review(Status::Adopted, true), NOW);
    gallery::update(&mut g, &key, Some(&read(&shown)), NOW).unwrap();
    let gal = Gallery::read(&g).unwrap();
    assert_eq!(gal.counts(), (1, 1));
    assert_eq!(gal.entries[0].nickname, "朵朵");
    assert_eq!(
        gal.entries[0].photo.as_deref(),
        Some("a".repeat(64).as_str())
    );
    let json = serde_json::to_string(&Summary::of(&g)).unwrap();
    assert!(
        !json.contains("p-mum") && !json.contains("名p-mum"),
        "{json}"
    );
    assert_eq!(GalleryKind::photos(&g), vec!["a".repeat(64)]);
    // Withdrawn: the entry goes, the tally stays.
    let withdrawn = run(&shown, 1, &DrawingCommand::Withdraw, NOW);
    gallery::update(&mut g, &key, Some(&read(&withdrawn)), NOW).unwrap();
    let gal = Gallery::read(&g).unwrap();
    assert!(gal.entries.is_empty());
    assert_eq!(gal.counts(), (1, 1));
    // Erased: the tally goes too.
    gallery::update(&mut g, &key, None, NOW).unwrap();
    assert_eq!(Gallery::read(&g).unwrap().counts(), (0, 0));
    // Nobody writes the gallery by hand, staff included.
    let mut forged = g.fork().with_actor(ActorId::from(vec![2u8; 16]));
    forged
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "schema", 2))
        .unwrap();
    assert!(check(&principal(Role::Staff, "p-staff"), &g, &forged).is_err());
}

#[test]
fn erasing_the_guardian_takes_the_childs_drawing_with_them() {
    let mut d = run(&filed(), 2, &review(Status::Adopted, true), NOW);
    assert!(DocKind::Drawing.outlives_people());
    assert!(DocKind::Drawing.anonymise(&mut d, "p-other").is_none());
    let photos = DocKind::Drawing
        .anonymise(&mut d, "p-mum")
        .unwrap()
        .unwrap();
    assert_eq!(photos, vec!["a".repeat(64)]);
    assert!(Drawing::read(&d).is_err(), "nothing of the child is left");
    assert_eq!(Summary::of(&d), Summary::Other);
    let scope = Scope::read(&d);
    assert!(!principal(Role::Resident, "p-mum").may_read(&scope));
    assert!(principal(Role::Staff, "p-staff").may_read(&scope));
    // Staff who collected a drawing: their name goes, the drawing stays.
    let mut paper = run(
        &Automerge::new(),
        2,
        &create("p-staff", "p-dad", draft()),
        NOW,
    );
    DocKind::Drawing
        .anonymise(&mut paper, "p-staff")
        .unwrap()
        .unwrap();
    let left = Drawing::read(&paper).unwrap();
    assert_eq!(
        (left.collected_by.as_str(), left.nickname.as_str()),
        ("", "朵朵")
    );
}

#[test]
fn the_form_explains_each_problem_and_a_summary_round_trips() {
    let bad = DrawingDraft {
        nickname: "小明123".into(),
        age: "20".into(),
        proposes: " ".into(),
        ..DrawingDraft::default()
    };
    assert_eq!(
        bad.problems(),
        vec![
            DrawingError::NicknameDigits,
            DrawingError::BadAge,
            DrawingError::ProposesEmpty,
            DrawingError::ConsentMissing,
        ]
    );
    let mut long = draft();
    long.nickname = "欧阳娜娜娜娜娜".into();
    assert_eq!(
        long.problems(),
        vec![DrawingError::NicknameTooLong { max: NICKNAME_MAX }]
    );
    assert!(draft().problems().is_empty());
    assert!(
        Automerge::new()
            .fork()
            .transact::<_, _, automerge::AutomergeError>(|_| Ok(()))
            .is_ok()
    );
    let s = Summary::of(&filed());
    let back: Summary = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
    let Summary::Drawing(d) = s else {
        panic!("a drawing")
    };
    assert_eq!((d.age, d.status, d.publish), (8, Status::Collected, true));
    assert_eq!(d.consent_at, NOW);
    for e in [DrawingError::BadAge, DrawingError::ConsentMissing] {
        assert!(!e.text(true).is_empty() && !e.text(false).is_empty());
    }
}
