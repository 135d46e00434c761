use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT};

use super::progress::{Detail, Status, action_status, target_progress};
use super::*;
use crate::cases::matching::{OpenRequest, Reading};
use crate::domain::Summary;
use crate::indicators::Value;
use crate::policy::Role;
use crate::rules::{Before, Ctx, Refusal, check_changes};
use crate::time::{HOUR, MINUTE, shanghai_midnight};

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
        team_grids: Vec::new(),
        party: None,
        actor_prefix: Vec::new(),
    }
}

fn check(p: &Principal, before: &Automerge, after: &Automerge) -> Result<(), Refusal> {
    let changes = after.get_changes(&before.get_heads());
    let ctx = Ctx {
        now: Some(t0() + 5 * MINUTE),
        name_of: &|p| (p == "p-zhou").then(|| "周主任".to_string()),
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

fn plan() -> PlanDraft {
    PlanDraft {
        title: "水榭花都 2026 实践路径".into(),
        start: "2026-03".into(),
        profile: ProfileDraft {
            households: "1860".into(),
            elders_pct: "28".into(),
            grids: "18".into(),
            groups: "3".into(),
            problems: "楼道堆物多，居民参与少".into(),
        },
        phases: vec![PhaseDraft {
            name: "组织重构".into(),
            theme: "1+3+N 协作平台".into(),
            start: "1".into(),
            months: "3".into(),
            actions: vec![ActionDraft {
                title: "每周三四方会谈".into(),
                module: Some(Module::Talks),
                owner: "p-zhou".into(),
                owner_name: "周主任".into(),
                ..ActionDraft::default()
            }],
            targets: vec![TargetDraft {
                indicator: "2".into(),
                value: "93".into(),
            }],
            cases: vec![crate::cases::CASES[0].id.to_string()],
        }],
    }
}

fn saved(p: &PlanDraft) -> Automerge {
    let mut d = Automerge::new().with_actor(ActorId::from(vec![1u8; 16]));
    RoadmapCommand::Save {
        plan: Box::new(p.clone()),
        by: "p-zhou".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    d
}

fn edited(
    before: &Automerge,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>),
) -> Automerge {
    let mut d = before.fork().with_actor(ActorId::from(vec![2u8; 16]));
    let mut tx = d.transaction();
    f(&mut tx);
    tx.commit();
    d
}

#[test]
fn a_saved_plan_reads_back_as_typed() {
    let d = saved(&plan());
    let r = Roadmap::read(&d).unwrap();
    assert_eq!(r.profile.households, 1860);
    assert_eq!(r.profile.elders_pct, 28);
    assert_eq!(r.phases.len(), 1);
    assert_eq!((r.phases[0].start, r.phases[0].months), (0, 3));
    assert_eq!(r.phases[0].targets[0].tenths, 930);
    assert_eq!(r.phases[0].actions[0].owner_text(true), "周主任");
    assert!(!r.published);
    assert_eq!(PlanDraft::of(&r), plan());
    assert_eq!(r.month_label(3), "2026-06");
}

#[test]
fn staff_write_the_roadmap_and_residents_and_grid_workers_cannot() {
    let empty = Automerge::new();
    let d = saved(&plan());
    assert!(check(&principal(Role::Staff, "p-zhou"), &empty, &d).is_ok());
    for role in [Role::Resident, Role::Volunteer, Role::GridWorker] {
        let e = check(&principal(role, "p-x"), &empty, &d).unwrap_err();
        assert_eq!(e.code, RefusalCode::NotAllowed, "{role:?}");
        let mut again = d.fork().with_actor(ActorId::from(vec![3u8; 16]));
        let mut p = plan();
        p.phases[0].months = "5".into();
        RoadmapCommand::Save {
            plan: Box::new(p),
            by: "p-x".into(),
            by_name: String::new(),
        }
        .apply(&mut again, t0())
        .unwrap();
        assert!(check(&principal(role, "p-x"), &d, &again).is_err());
    }
}

#[test]
fn unknown_fields_bad_lengths_and_false_owner_names_are_refused_even_from_staff() {
    let staff = principal(Role::Staff, "p-zhou");
    let d = saved(&plan());
    let extra = edited(&d, |tx| {
        tx.put(ROOT, "secret", "x").unwrap();
    });
    assert_eq!(
        check(&staff, &d, &extra).unwrap_err().code,
        RefusalCode::FieldNotAllowed
    );
    for months in [0i64, 25] {
        let bad = edited(&d, |tx| {
            let l = crate::docutil::get_obj(tx, &ROOT, "phases", automerge::ObjType::List).unwrap();
            let p = crate::docutil::list_maps(tx, &l)[0].clone();
            tx.put(&p, "months", months).unwrap();
        });
        assert!(check(&staff, &d, &bad).is_err(), "{months} months");
    }
    let liar = edited(&d, |tx| {
        let l = crate::docutil::get_obj(tx, &ROOT, "phases", automerge::ObjType::List).unwrap();
        let p = crate::docutil::list_maps(tx, &l)[0].clone();
        let al = crate::docutil::get_obj(tx, &p, "actions", automerge::ObjType::List).unwrap();
        let a = crate::docutil::list_maps(tx, &al)[0].clone();
        tx.put(&a, "owner_name", "别人").unwrap();
    });
    assert!(check(&staff, &d, &liar).is_err());
    let long = edited(&d, |tx| {
        tx.put(ROOT, "title", "长".repeat(TITLE_MAX + 1)).unwrap();
    });
    assert!(check(&staff, &d, &long).is_err());
    let unpublished_to_all = edited(&d, |tx| {
        tx.put(ROOT, "audience", "everyone").unwrap();
    });
    assert!(check(&staff, &d, &unpublished_to_all).is_err());
}

#[test]
fn residents_read_only_a_published_roadmap() {
    let mut d = saved(&plan());
    let scope = Scope::read(&d);
    assert!(!Kind::may_read(&principal(Role::Resident, "p-r"), &scope));
    assert!(!Kind::may_read(&principal(Role::Volunteer, "p-v"), &scope));
    assert!(Kind::may_read(&principal(Role::GridWorker, "p-g"), &scope));
    assert!(Kind::may_read(&principal(Role::Staff, "p-s"), &scope));
    RoadmapCommand::Publish { on: true }
        .apply(&mut d, t0())
        .unwrap();
    assert!(Kind::may_read(
        &principal(Role::Resident, "p-r"),
        &Scope::read(&d)
    ));
    assert!(Roadmap::read(&d).unwrap().published);
    RoadmapCommand::Publish { on: false }
        .apply(&mut d, t0())
        .unwrap();
    assert!(!Kind::may_read(
        &principal(Role::Resident, "p-r"),
        &Scope::read(&d)
    ));
}

#[test]
fn a_phase_length_that_is_not_1_to_24_months_is_explained_and_nothing_is_saved() {
    for (typed, err) in [
        ("三", PlanError::NotANumber),
        ("", PlanError::NotANumber),
        ("0", PlanError::MonthsOutOfRange { max: 24 }),
        ("25", PlanError::MonthsOutOfRange { max: 24 }),
    ] {
        let mut p = plan();
        p.phases[0].months = typed.into();
        assert_eq!(p.problems(), vec![(Field::PhaseMonths(0), err)], "{typed}");
        let mut d = Automerge::new();
        assert!(
            RoadmapCommand::Save {
                plan: Box::new(p),
                by: "p".into(),
                by_name: String::new()
            }
            .apply(&mut d, t0())
            .is_err()
        );
        assert_eq!(crate::domain::doc_kind(&d), None);
    }
    let mut p = plan();
    p.phases[0].months = "24".into();
    p.profile.elders_pct = "120".into();
    p.profile.problems = "联系 13812345678".into();
    p.phases[0].targets[0].indicator = "31".into();
    let problems = p.problems();
    assert!(problems.contains(&(Field::Elders, PlanError::PercentOutOfRange)));
    assert!(matches!(
        problems[1],
        (Field::Problems, PlanError::PersonalData { .. })
    ));
    assert!(problems.contains(&(Field::TargetIndicator(0, 0), PlanError::UnknownIndicator)));
    assert!(
        PlanError::MonthsOutOfRange { max: 24 }
            .text(true)
            .contains("1 到 24")
    );
}

fn req<'a>(category: &'a str, title: &'a str) -> OpenRequest<'a> {
    OpenRequest {
        category,
        title,
        description: "",
    }
}

#[test]
fn draft_plan_follows_the_articles_phases_and_explains_each_action() {
    let titles: Vec<String> = (0..12).map(|i| format!("{i}号楼楼道堆放纸箱")).collect();
    let mut requests: Vec<OpenRequest<'_>> =
        titles.iter().map(|t| req("clutter", t.as_str())).collect();
    requests.push(req("other", "垃圾分类混投严重"));
    let readings = [Reading {
        id: 12,
        now: Value::Ratio { num: 8, den: 100 },
        before: Value::Ratio { num: 9, den: 100 },
    }];
    let profile = Profile {
        households: 1860,
        elders_pct: 28,
        grids: 18,
        groups: 3,
        problems: String::new(),
    };
    let p = draft_plan(&profile, &requests, &readings, "规划", "2026-03");
    let ph = &p.plan.phases;
    let lengths: Vec<(&str, &str, &str)> = ph
        .iter()
        .map(|p| (p.name.as_str(), p.start.as_str(), p.months.as_str()))
        .collect();
    assert_eq!(
        lengths,
        vec![
            ("组织重构", "1", "3"),
            ("规则建设", "4", "4"),
            ("文化培育", "8", "5")
        ]
    );
    let find = |i: usize, m: Module| {
        ph[i]
            .actions
            .iter()
            .find(|a| a.module == Some(m))
            .map(|a| Reason::parse(&a.why).unwrap().text(true))
    };
    assert_eq!(
        find(0, Module::Patrols).as_deref(),
        Some("因为有 12 件楼道堆物诉求未办结")
    );
    assert_eq!(
        find(0, Module::Works).as_deref(),
        Some("因为 60 岁以上居民占 28%")
    );
    assert_eq!(
        find(0, Module::Talks).as_deref(),
        Some("因为现有自治组织只有 3 个")
    );
    assert_eq!(find(2, Module::Event).as_deref(), Some("因为参与率只有 8%"));
    assert_eq!(
        find(2, Module::GrantCall).as_deref(),
        Some("因为参与率只有 8%")
    );
    assert!(find(1, Module::Sorting).is_some());
    // The infrastructure phase's cases answer the clutter; every case explains itself.
    assert!(!p.cases[0].is_empty());
    let first = crate::cases::CASES
        .iter()
        .find(|c| c.id == p.cases[0][0].0)
        .unwrap();
    assert_eq!(first.tags[0], crate::cases::Tag::Clutter);
    assert!(p.cases[0][0].1.contains("楼道堆物"), "{}", p.cases[0][0].1);
    assert_eq!(ph[0].cases[0], p.cases[0][0].0);
    // The draft saves as it is.
    assert!(p.plan.problems().is_empty(), "{:?}", p.plan.problems());
    // A community with few elders and no clutter gets neither action.
    let calm = draft_plan(
        &Profile {
            elders_pct: 10,
            groups: 8,
            ..profile
        },
        &[],
        &[],
        "规划",
        "2026-03",
    );
    assert!(
        calm.plan.phases[0]
            .actions
            .iter()
            .all(|a| a.module != Some(Module::Patrols) && a.module != Some(Module::Works))
    );
    assert_eq!(
        Reason::parse(&calm.plan.phases[0].actions[0].why),
        Some(Reason::Default)
    );
}

fn works(status: Option<crate::domain::works::Status>) -> Summary {
    use crate::domain::works::{Category, WorkDraft, WorksCommand};
    let mut d = Automerge::new();
    WorksCommand::Create {
        draft: Box::new(WorkDraft {
            title: "3号楼扶手".into(),
            category: Some(Category::Aging),
            ..Default::default()
        }),
        by: "p".into(),
        by_name: String::new(),
    }
    .apply(&mut d, t0())
    .unwrap();
    if let Some(s) = status {
        WorksCommand::Update {
            status: s,
            note: String::new(),
            photos: Vec::new(),
            by: "p".into(),
            by_name: String::new(),
        }
        .apply(&mut d, t0() + HOUR)
        .unwrap();
    }
    Summary::of(&d)
}

fn act(module: Module, doc: &str) -> Action {
    Action {
        title: "x".into(),
        module,
        doc: doc.into(),
        owner: String::new(),
        owner_name: String::new(),
        owner_role: None,
        why: String::new(),
    }
}

#[test]
fn an_actions_status_comes_from_its_documents_summary() {
    use crate::domain::works::Status as W;
    let a = act(Module::Works, "doc-1");
    let now = t0() + 2 * HOUR;
    assert_eq!(
        action_status(&act(Module::Works, ""), None, now).0,
        Status::NotLinked
    );
    assert_eq!(action_status(&a, None, now).0, Status::Unknown);
    assert_eq!(
        action_status(&a, Some(&works(None)), now).0,
        Status::Planned
    );
    assert_eq!(
        action_status(&a, Some(&works(Some(W::InProgress))), now).0,
        Status::UnderWay
    );
    let (s, d) = action_status(&a, Some(&works(Some(W::Done))), now);
    assert_eq!((s, d.text(true).as_str()), (Status::Done, "已完工"));
    // Linked to a document of another module: no status is made up.
    assert_eq!(
        action_status(
            &act(Module::Event, "doc-1"),
            Some(&works(Some(W::Done))),
            now
        ),
        (Status::Unknown, Detail::WrongModule)
    );
    // A talk is done once held (attendance or minutes), planned before its day.
    let talk = |date: &str, minutes: bool| {
        Summary::Talk(crate::domain::talks::TalkSummary {
            talk: crate::domain::talks::Talk {
                date: date.into(),
                time: "19:00".into(),
                place: String::new(),
                published_at: None,
                minutes_published_at: minutes.then_some(t0()),
                attendance: Vec::new(),
                items: Vec::new(),
                minutes: String::new(),
            },
        })
    };
    let t = act(Module::Talks, "talk-1");
    assert_eq!(
        action_status(&t, Some(&talk("2026-06-17", false)), now).0,
        Status::Planned
    );
    assert_eq!(
        action_status(&t, Some(&talk("2026-06-17", true)), now).0,
        Status::Done
    );
    assert_eq!(
        action_status(&t, Some(&talk("2026-06-03", false)), now).0,
        Status::Done
    );
}

#[test]
fn a_targets_progress_is_the_indicator_against_the_target() {
    let t = Target {
        indicator: 2,
        tenths: 930,
    };
    let p = target_progress(&t, Value::Ratio { num: 90, den: 100 });
    assert_eq!((p.met, p.percent), (Some(false), Some(97)));
    let p = target_progress(&t, Value::Ratio { num: 95, den: 100 });
    assert_eq!((p.met, p.percent), (Some(true), Some(100)));
    assert_eq!(target_progress(&t, Value::NoData).met, None);
    // Lower is better for the mixed-disposal rate.
    let mixed = Target {
        indicator: 29,
        tenths: 100,
    };
    assert_eq!(
        target_progress(&mixed, Value::Ratio { num: 8, den: 100 }).met,
        Some(true)
    );
    assert_eq!(
        target_progress(&mixed, Value::Ratio { num: 20, den: 100 }).met,
        Some(false)
    );
}

#[test]
fn erasing_an_owner_takes_their_name_out_of_the_plan() {
    let mut d = saved(&plan());
    assert!(Kind::anonymise(&mut d, "p-zhou").unwrap().is_ok());
    let r = Roadmap::read(&d).unwrap();
    assert_eq!(r.by, "");
    assert_eq!(r.phases[0].actions[0].owner_name, "");
    assert!(Kind::anonymise(&mut d, "p-nobody").is_none());
}
