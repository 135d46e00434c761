use automerge::{ActorId, Automerge, ObjId};

use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};

fn principal(role: Role, person: &str, team: &[&str]) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some(format!("h-{person}")),
        grids: if role == Role::GridWorker {
            vec!["g07".into()]
        } else {
            Vec::new()
        },
        consents: Vec::new(),
        home_grid: Some("g07".into()),
        name: None,
        team_grids: team.iter().map(|g| g.to_string()).collect(),
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

fn shop() -> ShopDraft {
    ShopDraft {
        grid: "g07".into(),
        subject: "p-merchant".into(),
        name: "春生便利店".into(),
        place: "嘉禾路88号".into(),
        duties: DEFAULT_DUTIES.iter().map(|d| d.to_string()).collect(),
    }
}

fn opened() -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![9u8; 16]));
    create(&mut d, &shop(), 1_000).unwrap();
    d
}

fn entry(points: i64, reason: &str) -> EntryDraft {
    EntryDraft {
        points,
        reason: reason.into(),
        photos: Vec::new(),
    }
}

fn inspected(before: &Automerge, actor: u8, by: &str, d: &EntryDraft, at: Millis) -> Automerge {
    let mut doc = before.fork().with_actor(ActorId::from(vec![actor; 16]));
    inspect(&mut doc, by, "", d, at).unwrap();
    doc
}

#[test]
fn the_score_is_the_base_plus_every_entrys_points_and_the_summary_counts_them() {
    let mut doc = opened();
    let m = Merchant::read(&doc).unwrap();
    assert_eq!(m.score(), BASE_SCORE);
    assert_eq!(m.duties.len(), 3);
    assert_eq!(m.subject.as_deref(), Some("p-merchant"));
    inspect(
        &mut doc,
        "p-li",
        "李红梅",
        &entry(-5, "门前堆放纸箱"),
        2_000,
    )
    .unwrap();
    inspect(
        &mut doc,
        "p-li",
        "李红梅",
        &entry(3, "整改及时，门前整洁"),
        3_000,
    )
    .unwrap();
    inspect(
        &mut doc,
        "p-li",
        "李红梅",
        &entry(-2, "占道摆放货架"),
        4_000,
    )
    .unwrap();
    let s = Kind::summarise(&doc).unwrap();
    assert_eq!(s.score, 96);
    assert_eq!(s.count, 3);
    assert_eq!(s.last_at, Some(4_000));
    assert_eq!(s.open_responses, 2, "two deductions unanswered");
    assert_eq!(s.merchant.trend(2_500), 1);
    let first = s.merchant.entries[0].id.clone();
    respond(&mut doc, &first, "已清理，以后纸箱及时回收", 5_000).unwrap();
    let s = Kind::summarise(&doc).unwrap();
    assert_eq!(s.open_responses, 1);
    assert_eq!(
        s.merchant.entry(&first).unwrap().response,
        Some(Response {
            text: "已清理，以后纸箱及时回收".into(),
            at: 5_000
        })
    );
    // Once only.
    assert!(matches!(
        respond(&mut doc, &first, "再说一次", 6_000),
        Err(ModelError::NotEmpty("response"))
    ));
}

#[test]
fn the_model_refuses_zero_or_too_many_points_an_empty_reason_and_personal_numbers() {
    assert_eq!(
        entry(0, "x").problems(),
        vec![InputError::PointsOutOfRange { max: POINTS_MAX }]
    );
    assert_eq!(
        entry(21, "x").problems(),
        vec![InputError::PointsOutOfRange { max: POINTS_MAX }]
    );
    assert!(entry(-20, "x").problems().is_empty());
    assert_eq!(entry(-5, "  ").problems(), vec![InputError::TextEmpty]);
    assert!(matches!(
        entry(-5, "店主电话13812345678").problems()[..],
        [InputError::PersonalData { .. }]
    ));
    // Building numbers, money and dates are not personal numbers.
    assert!(
        entry(-5, "12月3日 88号门前堆放50元货架")
            .problems()
            .is_empty()
    );
    let mut doc = opened();
    assert!(inspect(&mut doc, "p-li", "", &entry(0, "x"), 2_000).is_err());
    assert_eq!(Merchant::read(&doc).unwrap().entries.len(), 0);
}

#[test]
fn only_staff_open_and_edit_a_shop() {
    let staff = principal(Role::Staff, "p-zhang", &[]);
    let li = principal(Role::GridWorker, "p-li", &[]);
    let empty = Automerge::new();
    let doc = opened();
    assert_eq!(check(&staff, &empty, &doc), Ok(()));
    assert_eq!(
        check(&li, &empty, &doc).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    let mut renamed = doc.fork().with_actor(ActorId::from(vec![2u8; 16]));
    edit(
        &mut renamed,
        &ShopDraft {
            name: "春生超市".into(),
            ..shop()
        },
    )
    .unwrap();
    assert_eq!(Merchant::read(&renamed).unwrap().name, "春生超市");
    assert_eq!(
        check(&li, &doc, &renamed).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(check(&staff, &doc, &renamed), Ok(()));
}

#[test]
fn the_grids_team_and_workers_append_entries_in_their_own_name_and_never_rewrite_one() {
    let li = principal(Role::GridWorker, "p-li", &[]);
    let zhao = principal(Role::Resident, "p-zhao", &["g07"]);
    let staff = principal(Role::Staff, "p-zhang", &[]);
    let doc = opened();
    let mine = inspected(&doc, 1, "p-li", &entry(-5, "门前堆放纸箱"), 2_000);
    assert_eq!(check(&li, &doc, &mine), Ok(()));
    let teams = inspected(&doc, 3, "p-zhao", &entry(2, "门前整洁"), 2_000);
    assert_eq!(check(&zhao, &doc, &teams), Ok(()));
    let forged = inspected(&doc, 1, "p-zhao", &entry(-5, "门前堆放纸箱"), 2_000);
    assert_eq!(
        check(&li, &doc, &forged).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // A worker of another grid, and a team member of another grid, inspect nothing here.
    let mut far = principal(Role::GridWorker, "p-w", &[]);
    far.grids = vec!["g08".into()];
    let theirs = inspected(&doc, 4, "p-w", &entry(-5, "x"), 2_000);
    assert_eq!(
        check(&far, &doc, &theirs).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    let other_team = principal(Role::Resident, "p-w", &["g08"]);
    assert_eq!(
        check(&other_team, &doc, &theirs).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // Changing the points of an entry, or deleting it: staff only.
    let id = Merchant::read(&mine).unwrap().entries[0].id.clone();
    let mut rewritten = mine.fork().with_actor(ActorId::from(vec![1u8; 16]));
    let e = rewritten.import_obj(&id).unwrap();
    rewritten
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(&e, "points", 5_i64)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&li, &mine, &rewritten).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(check(&staff, &mine, &rewritten), Ok(()));
    let mut deleted = mine.fork().with_actor(ActorId::from(vec![1u8; 16]));
    deleted
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let list = get_obj(tx, &ROOT, "entries", ObjType::List).unwrap();
            tx.delete(&list, 0)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&li, &mine, &deleted).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(check(&staff, &mine, &deleted), Ok(()));
}

#[test]
fn the_merchant_answers_an_entry_once_and_cannot_add_one_or_change_points() {
    let wu = principal(Role::Resident, "p-merchant", &[]);
    let doc = inspected(&opened(), 1, "p-li", &entry(-5, "门前堆放纸箱"), 2_000);
    let id = Merchant::read(&doc).unwrap().entries[0].id.clone();
    let mut answered = doc.fork().with_actor(ActorId::from(vec![5u8; 16]));
    respond(&mut answered, &id, "已整改", 3_000).unwrap();
    assert_eq!(check(&wu, &doc, &answered), Ok(()));
    // A second answer written over the first is refused.
    let mut again = answered.fork().with_actor(ActorId::from(vec![5u8; 16]));
    let e = again.import_obj(&id).unwrap();
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let r = tx.put_object(&e, "response", ObjType::Map)?;
            tx.put(&r, "text", "改口")?;
            tx.put(&r, "at", 4_000_i64)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&wu, &answered, &again).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Their own entry, in their own name: refused.
    let own = inspected(&doc, 5, "p-merchant", &entry(20, "自评优秀"), 3_000);
    assert_eq!(
        check(&wu, &doc, &own).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Points: refused.
    let mut points = doc.fork().with_actor(ActorId::from(vec![5u8; 16]));
    let e = points.import_obj(&id).unwrap();
    points
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(&e, "points", 5_i64)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        check(&wu, &doc, &points).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Another shop's merchant answers nothing here.
    let stranger = principal(Role::Resident, "p-other", &[]);
    assert_eq!(
        check(&stranger, &doc, &answered).unwrap_err().code,
        RefusalCode::NotAllowed
    );
}

#[test]
fn for_everyone_staff_included_an_entry_is_well_formed_and_its_reason_holds_no_phone_number() {
    let staff = principal(Role::Staff, "p-zhang", &[]);
    let doc = opened();
    let bad = |edit: &dyn Fn(&mut automerge::transaction::Transaction<'_>, &ObjId)| {
        let mut d = doc.fork().with_actor(ActorId::from(vec![2u8; 16]));
        let mut tx = d.transaction();
        let list = get_obj(&tx, &ROOT, "entries", ObjType::List).unwrap();
        let e = tx.insert_object(&list, 0, ObjType::Map).unwrap();
        tx.put(&e, "at", 2_000_i64).unwrap();
        tx.put(&e, "by", "p-zhang").unwrap();
        tx.put(&e, "points", -5_i64).unwrap();
        tx.put(&e, "reason", "门前堆放纸箱").unwrap();
        edit(&mut tx, &e);
        tx.commit();
        check(&staff, &doc, &d).map_err(|r| r.code)
    };
    assert_eq!(bad(&|_, _| {}), Ok(()));
    assert_eq!(
        bad(&|tx, e| {
            tx.put(e, "points", 0_i64).unwrap();
        }),
        Err(RefusalCode::BadEvent)
    );
    assert_eq!(
        bad(&|tx, e| {
            tx.put(e, "points", -50_i64).unwrap();
        }),
        Err(RefusalCode::BadEvent)
    );
    assert_eq!(
        bad(&|tx, e| {
            tx.put(e, "stars", 5_i64).unwrap();
        }),
        Err(RefusalCode::BadEvent)
    );
    assert_eq!(
        bad(&|tx, e| {
            tx.put(e, "reason", "车主电话 138 1234 5678").unwrap();
        }),
        Err(RefusalCode::PersonalData)
    );
}

#[test]
fn who_reads_a_shops_record() {
    let scope = Scope {
        kind: Some(DocKind::Merchant),
        grid: Some("g07".into()),
        household: None,
        subject: Some("p-merchant".into()),
        audience: None,
    };
    let read = |p: &Principal| Kind::may_read(p, &scope);
    assert!(read(&principal(Role::Staff, "p-zhang", &[])));
    assert!(read(&principal(Role::GridWorker, "p-li", &[])));
    assert!(read(&principal(Role::Resident, "p-zhao", &["g07"])));
    assert!(read(&principal(Role::Resident, "p-merchant", &[])));
    // A resident of the grid, a team of another grid: no.
    assert!(!read(&principal(Role::Resident, "p-wang", &[])));
    assert!(!read(&principal(Role::Resident, "p-x", &["g08"])));
    let mut far = principal(Role::GridWorker, "p-w", &[]);
    far.grids = vec!["g08".into()];
    assert!(!read(&far));
}

#[test]
fn an_erased_inspectors_entries_stay_unsigned() {
    let mut doc = opened();
    inspect(
        &mut doc,
        "p-li",
        "李红梅",
        &entry(-5, "门前堆放纸箱"),
        2_000,
    )
    .unwrap();
    inspect(&mut doc, "p-zhao", "赵晓松", &entry(2, "门前整洁"), 3_000).unwrap();
    assert!(
        Kind::anonymise(&mut doc, "p-li")
            .unwrap()
            .unwrap()
            .is_empty()
    );
    let m = Merchant::read(&doc).unwrap();
    assert_eq!(
        (m.entries[0].by.as_str(), m.entries[0].by_name.as_str()),
        ("erased", "")
    );
    assert_eq!(m.entries[1].by, "p-zhao");
    assert_eq!(m.score(), 97, "the record keeps its points");
    assert!(Kind::anonymise(&mut doc, "p-nobody").is_none());
}
