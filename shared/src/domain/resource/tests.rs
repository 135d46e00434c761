use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::map::{at_buildings, building_in, counts};
use super::*;
use crate::api::RefusalCode;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{HOUR, MINUTE, shanghai_midnight};

/// 2026-06-10 10:00 in Shanghai.
fn t0() -> Millis {
    shanghai_midnight(2026, 6, 10) + 10 * HOUR
}

fn principal(role: Role, person: &str, name: Option<&str>) -> Principal {
    Principal {
        person: person.into(),
        role,
        household: Some("h-1".into()),
        grids: Vec::new(),
        consents: Vec::new(),
        home_grid: Some("g07".into()),
        name: name.map(Into::into),
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn wang() -> Principal {
    principal(Role::Resident, "p-wang", Some("王秀英"))
}

fn staff() -> Principal {
    principal(Role::Staff, "p-zhang", Some("张主任"))
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let names = |id: &str| match id {
        "p-wang" => Some("王秀英".to_string()),
        "p-chen" => Some("陈建国".to_string()),
        _ => None,
    };
    let ctx = Ctx {
        now: Some(t0()),
        name_of: &names,
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

fn space() -> ResourceDraft {
    ResourceDraft {
        rtype: Some(ResourceType::Space),
        name: "睦邻客厅".into(),
        description: "一楼架空层改造的客厅，有茶水和书架。".into(),
        building: "3号楼".into(),
        grid: "g07".into(),
        hours: "每天 8:00-20:00".into(),
        capacity: "30人".into(),
        links: vec!["ev-1".into(), " ev-1 ".into(), "".into()],
        ..Default::default()
    }
}

fn talent() -> ResourceDraft {
    ResourceDraft {
        rtype: Some(ResourceType::Talent),
        name: "书画教学".into(),
        description: "退休美术老师，周末可以教孩子们画画。".into(),
        building: "3号楼".into(),
        grid: "g07".into(),
        hours: "周六上午".into(),
        consent: true,
        ..Default::default()
    }
}

fn create(
    draft: ResourceDraft,
    by: &str,
    by_name: &str,
    actor: u8,
) -> Result<Automerge, ModelError> {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![actor; 16]));
    ResourceCommand::Create {
        draft: Box::new(draft),
        by: by.into(),
        by_name: by_name.into(),
    }
    .apply(&mut d, t0())?;
    Ok(d)
}

fn withdraw(d: &Automerge, by: &str, actor: u8) -> Automerge {
    let mut w = d.fork().with_actor(ActorId::from(vec![actor; 16]));
    ResourceCommand::Withdraw { by: by.into() }
        .apply(&mut w, t0() + MINUTE)
        .unwrap();
    w
}

#[test]
fn staff_record_a_space_that_everyone_reads() {
    let d = create(space(), "p-zhang", "张主任", 1).unwrap();
    check(&staff(), &Automerge::new(), &d).unwrap();
    let r = Resource::read(&d).unwrap();
    assert_eq!(r.rtype, ResourceType::Space);
    assert_eq!(r.links, vec!["ev-1".to_string()], "trimmed, repeats out");
    assert!(r.public && r.offered());
    assert_eq!(
        (r.hours.as_str(), r.capacity.as_str()),
        ("每天 8:00-20:00", "30人")
    );
    assert!(Kind::may_read(&wang(), &Scope::read(&d)));
    // The summary survives JSON as the read model stores it.
    let s = crate::domain::Summary::of(&d);
    let back: crate::domain::Summary =
        serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, crate::domain::Summary::Resource(r));
}

#[test]
fn a_resident_cannot_record_a_space_or_a_facility() {
    for rtype in [ResourceType::Space, ResourceType::Facility] {
        let d = create(
            ResourceDraft {
                rtype: Some(rtype),
                ..space()
            },
            "p-wang",
            "王秀英",
            2,
        )
        .unwrap();
        let refusal = check(&wang(), &Automerge::new(), &d).unwrap_err();
        assert_eq!(refusal.code, RefusalCode::NotAllowed, "{rtype:?}");
    }
}

#[test]
fn a_resident_offers_her_own_talent_in_her_own_name() {
    let d = create(talent(), "p-wang", "王秀英", 2).unwrap();
    check(&wang(), &Automerge::new(), &d).unwrap();
    let r = Resource::read(&d).unwrap();
    assert_eq!(
        (r.subject.as_str(), r.person_name.as_str()),
        ("p-wang", "王秀英")
    );
    assert_eq!(r.consent, Some(Consent::Own));
    assert!(r.public);
    // Under another name than the relay's records: refused.
    let forged = create(talent(), "p-wang", "王老师", 2).unwrap();
    assert_eq!(
        check(&wang(), &Automerge::new(), &forged).unwrap_err().code,
        RefusalCode::BadName
    );
    // Without the consent box the form does not save.
    let no = ResourceDraft {
        consent: false,
        ..talent()
    };
    assert!(
        no.problems("p-wang", t0())
            .contains(&InputError::Resource(ResourceError::NoConsent))
    );
    assert!(create(no, "p-wang", "王秀英", 2).is_err());
}

#[test]
fn a_resident_cannot_offer_a_neighbours_talent() {
    // Even with a paper date, a resident cannot record someone else.
    let d = create(
        ResourceDraft {
            person: "p-chen".into(),
            person_name: "陈建国".into(),
            consent_date: "2026-06-01".into(),
            ..talent()
        },
        "p-wang",
        "王秀英",
        2,
    )
    .unwrap();
    let refusal = check(&wang(), &Automerge::new(), &d).unwrap_err();
    assert_eq!(refusal.code, RefusalCode::NotAllowed);
}

#[test]
fn staff_need_a_dated_paper_consent_for_someone_elses_talent() {
    let for_chen = ResourceDraft {
        name: "电路维修".into(),
        person: "p-chen".into(),
        person_name: "陈建国".into(),
        consent_date: "2026-06-01".into(),
        ..talent()
    };
    let d = create(for_chen.clone(), "p-zhang", "张主任", 1).unwrap();
    check(&staff(), &Automerge::new(), &d).unwrap();
    let r = Resource::read(&d).unwrap();
    assert_eq!(r.consent, Some(Consent::Paper));
    assert_eq!(r.subject, "p-chen");
    // No date: the form refuses, and so does the relay for a document written around it.
    let undated = ResourceDraft {
        consent_date: String::new(),
        ..for_chen.clone()
    };
    assert!(
        undated
            .problems("p-zhang", t0())
            .contains(&InputError::Resource(ResourceError::NoPaperDate))
    );
    let mut raw = d.fork();
    raw.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "consent_date", "2026-13-01")
    })
    .unwrap();
    let mut fresh = Automerge::new();
    fresh.merge(&mut raw).unwrap();
    assert!(check(&staff(), &Automerge::new(), &fresh).is_err());
    // A date in the future is no consent yet.
    let later = ResourceDraft {
        consent_date: "2026-07-01".into(),
        ..for_chen.clone()
    };
    assert!(later.paper_date(t0()).is_none());
    // The person's name is the relay's record of it.
    let misnamed = create(
        ResourceDraft {
            person_name: "陈师傅".into(),
            ..for_chen
        },
        "p-zhang",
        "张主任",
        1,
    )
    .unwrap();
    assert_eq!(
        check(&staff(), &Automerge::new(), &misnamed)
            .unwrap_err()
            .code,
        RefusalCode::BadName
    );
}

#[test]
fn the_person_withdraws_and_the_withdrawal_wins_over_a_concurrent_edit() {
    let d = create(
        ResourceDraft {
            person: "p-wang".into(),
            person_name: "王秀英".into(),
            consent_date: "2026-06-01".into(),
            ..talent()
        },
        "p-zhang",
        "张主任",
        1,
    )
    .unwrap();
    // Staff recorded it on paper, for 王: she may withdraw it.
    let w = withdraw(&d, "p-wang", 2);
    check(&wang(), &d, &w).unwrap();
    let r = Resource::read(&w).unwrap();
    assert!(!r.public && !r.offered());
    let neighbour = principal(Role::Resident, "p-chen", None);
    assert!(!Kind::may_read(&neighbour, &Scope::read(&w)));
    assert!(Kind::may_read(&wang(), &Scope::read(&w)));
    assert!(Kind::may_read(&staff(), &Scope::read(&w)));
    // Meanwhile, offline, staff edited the description: merged, it stays withdrawn.
    let mut s = d.fork().with_actor(ActorId::from(vec![3u8; 16]));
    let mut dr = Resource::read(&s).unwrap().draft();
    dr.description = "改为周日下午".into();
    ResourceCommand::Edit {
        draft: Box::new(dr),
        by: "p-zhang".into(),
    }
    .apply(&mut s, t0() + 2 * MINUTE)
    .unwrap();
    check(&staff(), &d, &s).unwrap();
    let mut merged = w.fork();
    merged.merge(&mut s.clone()).unwrap();
    let m = Resource::read(&merged).unwrap();
    assert!(!m.public && m.withdrawn_at.is_some());
    assert_eq!(m.description, "改为周日下午");
    // Nobody re-puts `audience` on a live record either: such a put, concurrent with the
    // withdrawal, would survive the withdrawal's delete and so refuse the withdrawal.
    let mut republish = d.fork().with_actor(ActorId::from(vec![5u8; 16]));
    // (Putting the same value writes nothing, so a hostile client deletes and puts it.)
    republish
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.delete(ROOT, "audience")?;
            tx.put(ROOT, "audience", RESIDENTS)
        })
        .unwrap();
    assert_eq!(
        check(&staff(), &d, &republish).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // Nobody, staff included, publishes it again or undoes the withdrawal.
    let mut again = w.fork().with_actor(ActorId::from(vec![4u8; 16]));
    again
        .transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "audience", RESIDENTS))
        .unwrap();
    assert!(check(&staff(), &w, &again).is_err());
    let mut undo = w.fork().with_actor(ActorId::from(vec![4u8; 16]));
    undo.transact::<_, _, automerge::AutomergeError>(|tx| tx.delete(ROOT, "withdrawn_at"))
        .unwrap();
    assert!(check(&staff(), &w, &undo).is_err());
}

#[test]
fn a_neighbour_cannot_withdraw_or_edit_someone_elses_talent() {
    let d = create(talent(), "p-wang", "王秀英", 2).unwrap();
    let chen = principal(Role::Resident, "p-chen", Some("陈建国"));
    let w = withdraw(&d, "p-chen", 5);
    assert_eq!(
        check(&chen, &d, &w).unwrap_err().code,
        RefusalCode::NotAllowed
    );
    // The person herself edits nothing but the withdrawal.
    let mut e = d.fork().with_actor(ActorId::from(vec![2u8; 16]));
    e.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(ROOT, "name", "国画"))
        .unwrap();
    assert_eq!(
        check(&wang(), &d, &e).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    // A withdrawal is signed by who withdraws.
    let forged = withdraw(&d, "p-zhang", 2);
    assert_eq!(
        check(&wang(), &d, &forged).unwrap_err().code,
        RefusalCode::BadName
    );
}

#[test]
fn unknown_oversize_and_mistimed_fields_are_refused() {
    let d = create(space(), "p-zhang", "张主任", 1).unwrap();
    let edit = |f: &dyn Fn(&mut automerge::transaction::Transaction<'_>)| {
        let mut m = d.fork().with_actor(ActorId::from(vec![6u8; 16]));
        let mut tx = m.transaction();
        f(&mut tx);
        tx.commit();
        check(&staff(), &d, &m)
    };
    assert_eq!(
        edit(&|tx| {
            tx.put(ROOT, "contact", "值班室").unwrap();
        })
        .unwrap_err()
        .code,
        RefusalCode::FieldNotAllowed
    );
    assert_eq!(
        edit(&|tx| {
            tx.put(ROOT, "description", "长".repeat(DESCRIPTION_MAX + 1))
                .unwrap();
        })
        .unwrap_err()
        .code,
        RefusalCode::TooLarge
    );
    assert_eq!(
        edit(&|tx| {
            tx.put(ROOT, "created_at", t0() + 5 * HOUR).unwrap();
        })
        .unwrap_err()
        .code,
        RefusalCode::BadTime
    );
    assert_eq!(
        edit(&|tx| {
            tx.put(ROOT, "type", "talent").unwrap();
        })
        .unwrap_err()
        .code,
        RefusalCode::FieldNotAllowed
    );
    // A phone number in public text.
    assert_eq!(
        edit(&|tx| {
            tx.put(ROOT, "description", "联系13812345678").unwrap();
        })
        .unwrap_err()
        .code,
        RefusalCode::PersonalData
    );
    // A space names no person.
    assert!(
        edit(&|tx| {
            tx.put(ROOT, "subject", "p-wang").unwrap();
        })
        .is_err()
    );
    // The form says so before the relay has to.
    let phone = ResourceDraft {
        description: "找我13812345678".into(),
        ..space()
    };
    assert!(matches!(
        phone.problems("p-zhang", t0())[0],
        InputError::PersonalData { .. }
    ));
}

#[test]
fn erasure_removes_a_persons_talent_entry() {
    let d = create(talent(), "p-wang", "王秀英", 2).unwrap();
    let mut e = d.fork();
    assert!(Kind::anonymise(&mut e, "p-chen").is_none());
    Kind::anonymise(&mut e, "p-wang").unwrap().unwrap();
    let r = Resource::read(&e).unwrap();
    assert_eq!(r.subject, "erased");
    assert!(r.person_name.is_empty() && r.description.is_empty());
    assert!(!r.public && !r.offered());
    assert_eq!(r.by, "erased");
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("王秀英") && !json.contains("书画"), "{json}");
}

#[test]
fn the_map_places_resources_and_merchants_at_their_buildings() {
    let s = Resource::read(&create(space(), "p-zhang", "", 1).unwrap()).unwrap();
    let t = Resource::read(&create(talent(), "p-wang", "王秀英", 2).unwrap()).unwrap();
    let gone = Resource::read(&withdraw(
        &create(talent(), "p-wang", "王秀英", 2).unwrap(),
        "p-wang",
        2,
    ))
    .unwrap();
    let buildings: Vec<String> = ["3号楼", "13号楼"].map(String::from).to_vec();
    let res = vec![
        ("r1".to_string(), s),
        ("r2".to_string(), t),
        ("r3".to_string(), gone),
    ];
    let merchants = vec![(
        "m1".to_string(),
        "便民理发".to_string(),
        "13号楼底商".to_string(),
    )];
    let at = at_buildings(&buildings, &res, &merchants);
    let ids: Vec<&str> = at["3号楼"].iter().map(|i| i.id()).collect();
    assert_eq!(
        ids,
        vec!["r1", "r2"],
        "the withdrawn talent is not on the map"
    );
    assert_eq!(at["13号楼"][0].id(), "m1", "13号楼, not 3号楼");
    assert_eq!(building_in("中心广场", &buildings), None);
    assert_eq!(
        counts(&res),
        [
            (ResourceType::Space, 1),
            (ResourceType::Facility, 0),
            (ResourceType::Talent, 1)
        ]
    );
}

#[test]
fn staffs_edit_page_starts_from_the_record_and_changing_one_field_writes_only_that_one() {
    let d = create(space(), "p-zhang", "张主任", 1).unwrap();
    let r = Resource::read(&d).unwrap();
    let mut draft = ResourceDraft::of(&r);
    assert_eq!(
        (draft.name.as_str(), draft.hours.as_str(), draft.links.len()),
        ("睦邻客厅", "每天 8:00-20:00", 1)
    );
    draft.hours = "每天 7:30-21:00".into();
    let mut e = d.fork().with_actor(ActorId::from(vec![2; 16]));
    ResourceCommand::Edit {
        draft: Box::new(draft),
        by: "p-zhang".into(),
    }
    .apply(&mut e, t0() + MINUTE)
    .unwrap();
    check(&staff(), &d, &e).unwrap();
    let after = Resource::read(&e).unwrap();
    assert_eq!(after.hours, "每天 7:30-21:00");
    assert_eq!(
        Resource {
            hours: r.hours.clone(),
            ..after
        },
        r,
        "nothing else changed"
    );
    // A talent's draft keeps whose it is and the consent, so its edit passes the checks.
    let t = create(talent(), "p-wang", "王秀英", 3).unwrap();
    let tr = Resource::read(&t).unwrap();
    let td = ResourceDraft::of(&tr);
    assert!(td.consent && td.person == "p-wang");
    assert!(
        td.problems("p-zhang", t0())
            .iter()
            .all(|p| matches!(p, InputError::Resource(ResourceError::NoPaperDate)))
    );
}
