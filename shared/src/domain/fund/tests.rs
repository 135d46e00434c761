use automerge::{ActorId, Automerge};

use super::*;
use crate::policy::{Principal, Role};
use crate::rules::{Before, Ctx, check_changes};

const YUAN: Fen = 100;

fn fund() -> Automerge {
    let mut doc = Automerge::new().with_actor(ActorId::from(vec![1]));
    create_fund(&mut doc, "微创投", DEFAULT_OPENING, "p-staff", "", 1_000).unwrap();
    let mut alloc = NewEntry::new(EntryType::Allocation, 20_000 * YUAN, "p-staff", "");
    alloc.project = "gallery".into();
    alloc.title = "楼道美术馆".into();
    alloc.leader = "p-lead".into();
    alloc.lines = vec![
        ("frames".into(), 12_000 * YUAN),
        ("paint".into(), 8_000 * YUAN),
    ];
    add_entry(&mut doc, &alloc, 2_000).unwrap();
    doc
}

fn spend(by: &str, line: &str, amount: Fen) -> NewEntry {
    let mut e = NewEntry::new(EntryType::Spending, amount, by, "");
    e.project = "gallery".into();
    e.line = line.into();
    e
}

fn principal(person: &str, role: Role) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some("h-1".into()),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: None,
        name: None,
        party: None,
        team_grids: Vec::new(),
        actor_prefix: Vec::new(),
    }
}

/// What the relay says of `doc` changed from `base` by `who`.
fn verdict(base: &Automerge, doc: &Automerge, who: &Principal) -> Result<(), RefusalCode> {
    let changes: Vec<automerge::Change> = doc.get_changes(&base.get_heads());
    let before = Before::for_changes(base, &changes);
    check_changes(who, &Ctx::none(), &before, doc, &changes).map_err(|r| r.code)
}

use crate::api::RefusalCode;

#[test]
fn balances_follow_allocations_spending_cofunding_and_refunds() {
    let mut doc = fund();
    add_entry(&mut doc, &spend("p-lead", "frames", 3_000 * YUAN), 3_000).unwrap();
    let mut co = NewEntry::new(EntryType::Cofunding, 500 * YUAN, "p-res", "");
    co.project = "gallery".into();
    add_entry(&mut doc, &co, 4_000).unwrap();
    let mut refund = NewEntry::new(EntryType::Refund, 1_000 * YUAN, "p-staff", "");
    refund.project = "gallery".into();
    add_entry(&mut doc, &refund, 5_000).unwrap();
    let l = Ledger::read(&doc).unwrap();
    assert_eq!(l.available(), (150_000 - 20_000 + 1_000) * YUAN);
    let p = l.project("gallery").unwrap();
    assert_eq!(p.remaining(), (20_000 + 500 - 3_000 - 1_000) * YUAN);
    assert_eq!(p.line("frames"), Some((12_000 * YUAN, 3_000 * YUAN)));
    // Cash is what came in minus what was spent, and is available plus every project's rest.
    assert_eq!(l.cash(), (150_000 + 500 - 3_000) * YUAN);
    assert_eq!(l.cash(), l.available() + p.remaining());
    assert!(l.check().is_ok());
}

#[test]
fn a_phone_refuses_before_writing_what_would_overdraw_the_ledger_it_holds() {
    let mut doc = fund();
    let heads = doc.get_heads();
    let over_line = add_entry(&mut doc, &spend("p-lead", "paint", 8_001 * YUAN), 3_000);
    assert!(matches!(
        over_line,
        Err(ModelError::Ledger(Overdraft::Line { .. }))
    ));
    let mut alloc = NewEntry::new(EntryType::Allocation, 200_000 * YUAN, "p-staff", "");
    alloc.project = "b".into();
    alloc.title = "b".into();
    alloc.leader = "p-b".into();
    alloc.lines = vec![("all".into(), 200_000 * YUAN)];
    assert!(matches!(
        add_entry(&mut doc, &alloc, 3_000),
        Err(ModelError::Ledger(Overdraft::Fund(_)))
    ));
    assert!(matches!(
        add_entry(&mut doc, &spend("p-lead", "nope", 1), 3_000),
        Err(ModelError::Ledger(Overdraft::Entry(
            EntryError::NoLine { .. }
        )))
    ));
    assert_eq!(doc.get_heads(), heads, "nothing written");
}

#[test]
fn a_line_is_exceeded_only_after_staff_record_an_approval() {
    let mut doc = fund();
    add_entry(&mut doc, &spend("p-lead", "paint", 8_000 * YUAN), 3_000).unwrap();
    assert!(add_entry(&mut doc, &spend("p-lead", "paint", 100 * YUAN), 3_500).is_err());
    let mut ok = NewEntry::new(EntryType::Approval, 500 * YUAN, "p-staff", "");
    ok.project = "gallery".into();
    ok.line = "paint".into();
    add_entry(&mut doc, &ok, 4_000).unwrap();
    add_entry(&mut doc, &spend("p-lead", "paint", 100 * YUAN), 4_500).unwrap();
    let l = Ledger::read(&doc).unwrap();
    // The approval moved no money.
    assert_eq!(l.cash(), (150_000 - 8_100) * YUAN);
}

#[test]
fn two_spends_each_affordable_alone_overdraw_together_and_the_relay_refuses_the_second() {
    let base = fund();
    let mut a = base.fork().with_actor(ActorId::from(vec![2]));
    let mut b = base.fork().with_actor(ActorId::from(vec![3]));
    add_entry(&mut a, &spend("p-lead", "frames", 9_000 * YUAN), 3_000).unwrap();
    add_entry(&mut b, &spend("p-lead", "frames", 9_000 * YUAN), 3_000).unwrap();
    let lead = principal("p-lead", Role::Resident);
    assert_eq!(verdict(&base, &a, &lead), Ok(()));
    let mut merged = a.clone();
    merged.merge(&mut b.clone()).unwrap();
    assert_eq!(verdict(&a, &merged, &lead), Err(RefusalCode::Overdrawn));
}

#[test]
fn who_writes_what_in_the_ledger() {
    let base = fund();
    let resident = principal("p-res", Role::Resident);
    let staff = principal("p-staff", Role::Staff);
    let write = |e: NewEntry| {
        let mut d = base.fork().with_actor(ActorId::from(vec![9]));
        add_entry(&mut d, &e, 3_000).unwrap();
        d
    };
    // A resident co-funds in her own name, not in another's.
    let mut co = NewEntry::new(EntryType::Cofunding, 100 * YUAN, "p-res", "");
    co.project = "gallery".into();
    assert_eq!(verdict(&base, &write(co.clone()), &resident), Ok(()));
    co.by = "p-other".into();
    assert_eq!(
        verdict(&base, &write(co), &resident),
        Err(RefusalCode::BadEvent)
    );
    // Income is staff's; a resident who does not lead the project cannot spend from it.
    let income = NewEntry::new(EntryType::Income, 100 * YUAN, "p-res", "");
    assert_eq!(
        verdict(&base, &write(income), &resident),
        Err(RefusalCode::NotAllowed)
    );
    assert_eq!(
        verdict(&base, &write(spend("p-res", "frames", 1)), &resident),
        Err(RefusalCode::NotAllowed)
    );
    // Staff too write only in their own name and cannot change a written entry.
    assert_eq!(
        verdict(&base, &write(spend("p-lead", "frames", 1)), &staff),
        Err(RefusalCode::BadEvent)
    );
    let mut edited = base.fork().with_actor(ActorId::from(vec![9]));
    let list = crate::docutil::get_obj(
        &edited,
        &automerge::ROOT,
        "entries",
        automerge::ObjType::List,
    )
    .unwrap();
    let first = crate::docutil::list_maps(&edited, &list)[0].clone();
    edited
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            automerge::transaction::Transactable::put(tx, &first, "amount", 1_i64)
        })
        .unwrap();
    assert_eq!(
        verdict(&base, &edited, &staff),
        Err(RefusalCode::FieldNotAllowed)
    );
}

#[test]
fn amounts_read_as_yuan_and_print_with_separators() {
    assert_eq!(parse_yuan("150000"), Some(15_000_000));
    assert_eq!(parse_yuan("1,234.5"), Some(123_450));
    assert_eq!(parse_yuan("¥0.05"), Some(5));
    assert_eq!(parse_yuan("-3"), None);
    assert_eq!(parse_yuan("1.234"), None);
    assert_eq!(parse_yuan("abc"), None);
    assert_eq!(yuan(15_000_000), "150,000.00");
    assert_eq!(yuan(-5), "-0.05");
}

#[test]
fn erasure_keeps_every_amount_and_drops_the_erased_persons_name() {
    let mut doc = fund();
    let mut s = spend("p-lead", "frames", 100 * YUAN);
    s.by_name = "王秀英".into();
    add_entry(&mut doc, &s, 3_000).unwrap();
    let before = Ledger::read(&doc).unwrap();
    let out = <Kind as DocType>::anonymise(&mut doc, "p-lead")
        .unwrap()
        .unwrap();
    assert!(out.is_empty(), "receipts stay: the community's record");
    let after = Ledger::read(&doc).unwrap();
    assert_eq!(after.cash(), before.cash());
    assert!(after.check().is_ok());
    assert!(
        after
            .entries
            .iter()
            .all(|e| e.by != "p-lead" && e.leader != "p-lead")
    );
    assert!(after.entries.iter().all(|e| e.by_name != "王秀英"));
    assert!(<Kind as DocType>::anonymise(&mut doc, "p-nobody").is_none());
}

#[test]
fn a_resident_writes_at_most_fifty_entries_a_day() {
    let mut base = fund();
    let now = 10 * crate::time::DAY;
    for i in 0..rules::ENTRIES_PER_DAY_MAX {
        let co = NewEntry::new(EntryType::Cofunding, 100, "p-res", "");
        add_entry(&mut base, &co, now - 1_000 + i as i64).unwrap();
    }
    let mut more = base.fork().with_actor(ActorId::from(vec![9]));
    add_entry(
        &mut more,
        &NewEntry::new(EntryType::Cofunding, 100, "p-res", ""),
        now,
    )
    .unwrap();
    let changes = more.get_changes(&base.get_heads());
    let before = Before::for_changes(&base, &changes);
    let ctx = Ctx {
        now: Some(now),
        ..Ctx::none()
    };
    let who = principal("p-res", Role::Resident);
    let r = check_changes(&who, &ctx, &before, &more, &changes).map_err(|r| r.code);
    assert_eq!(r, Err(RefusalCode::Quota));
    // A day later there is room again.
    let ctx = Ctx {
        now: Some(now + crate::time::DAY),
        ..Ctx::none()
    };
    let mut later = base.fork().with_actor(ActorId::from(vec![9]));
    add_entry(
        &mut later,
        &NewEntry::new(EntryType::Cofunding, 100, "p-res", ""),
        now + crate::time::DAY,
    )
    .unwrap();
    let changes = later.get_changes(&base.get_heads());
    assert!(check_changes(&who, &ctx, &before, &later, &changes).is_ok());
}
