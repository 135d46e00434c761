//! Drafting a plan from the diagnosis: the article's three phases (组织重构/基础设施 3 months,
//! 规则建设 4 months, 文化培育 5 months) filled with the actions this community's open
//! requests, indicators and profile call for, each with its reason in plain words, and the
//! cases from the library that match the problems each phase takes on. Staff then edit it.

use crate::cases::Tag;
use crate::cases::matching::{Need, OpenRequest, Reading, needs, rank};

use super::form::{ActionDraft, PhaseDraft, PlanDraft, ProfileDraft, TargetDraft};
use super::model::{Module, OwnerRole, Profile, Reason};

/// A drafted plan and, per phase, the matched cases with why they match.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub plan: PlanDraft,
    /// Per phase: (case id, explanation zh, explanation en).
    pub cases: Vec<Vec<(String, String, String)>>,
}

/// The problems each default phase takes on (for its matched cases).
const PHASE_TAGS: [&[Tag]; 3] = [
    &[
        Tag::Clutter,
        Tag::OldEstate,
        Tag::ElderlyAlone,
        Tag::DigitalDivide,
        Tag::Parking,
    ],
    &[
        Tag::Garbage,
        Tag::PropertyDispute,
        Tag::OwnersCommittee,
        Tag::Vending,
        Tag::Merchants,
    ],
    &[
        Tag::NeighbourhoodCulture,
        Tag::MicroGrant,
        Tag::Volunteers,
        Tag::ParticipatoryPlanning,
    ],
];

/// The share of residents 60+ from which aging-friendly works are proposed.
pub const ELDERS_PCT: u32 = 20;
/// Below this many groups, the first phase builds the organisation first.
pub const FEW_GROUPS: u32 = 5;

fn action(title: &str, module: Module, role: OwnerRole, why: Reason) -> ActionDraft {
    ActionDraft {
        title: title.into(),
        module: Some(module),
        owner_role: Some(role),
        why: why.code(),
        ..ActionDraft::default()
    }
}

fn target(id: u8, value: f64) -> TargetDraft {
    TargetDraft {
        indicator: id.to_string(),
        value: super::form::format_tenths((value * 10.0).round() as i64),
    }
}

fn reading(readings: &[Reading], id: u8) -> Option<f64> {
    readings
        .iter()
        .find(|r| r.id == id)
        .and_then(|r| r.now.number())
}

/// Proposes a plan from the diagnosis: the profile staff gave, the open requests and the
/// indicators' readings. The plan starts in `start` (`YYYY-MM`).
pub fn draft_plan(
    profile: &Profile,
    requests: &[OpenRequest<'_>],
    readings: &[Reading],
    title: &str,
    start: &str,
) -> Proposal {
    let found = needs(requests, readings);
    let count = |tag: Tag| -> u32 {
        found
            .iter()
            .find(|n| n.tag == tag)
            .and_then(|n| {
                n.evidence.iter().find_map(|e| match e {
                    crate::cases::matching::Evidence::Requests { count, .. } => Some(*count as u32),
                    _ => None,
                })
            })
            .unwrap_or(0)
    };
    let by_requests = |tag: Tag| -> Option<Reason> {
        let n = count(tag);
        (n > 0).then_some(Reason::Requests { tag, n })
    };
    let weak = |id: u8, below: f64| -> Option<Reason> {
        reading(readings, id)
            .filter(|v| *v < below)
            .map(|v| Reason::Indicator {
                id,
                value: v.round() as i64,
            })
    };

    // Phase 1: organisation and infrastructure.
    let mut p1 = Vec::new();
    p1.push(action(
        "每周三四方会谈",
        Module::Talks,
        OwnerRole::PartyBranch,
        if profile.groups < FEW_GROUPS {
            Reason::FewGroups { n: profile.groups }
        } else {
            Reason::Default
        },
    ));
    if let Some(r) = by_requests(Tag::Clutter) {
        p1.push(action(
            "楼道堆物巡查计划",
            Module::Patrols,
            OwnerRole::GridWorkers,
            r,
        ));
    }
    if profile.elders_pct >= ELDERS_PCT {
        p1.push(action(
            "适老化改造",
            Module::Works,
            OwnerRole::Staff,
            Reason::Elders {
                pct: profile.elders_pct,
            },
        ));
    } else if let Some(r) = by_requests(Tag::ElderlyAlone) {
        p1.push(action("适老化改造", Module::Works, OwnerRole::Staff, r));
    }
    if let Some(r) = by_requests(Tag::OldEstate) {
        p1.push(action(
            "老旧设施维修",
            Module::Works,
            OwnerRole::Property,
            r,
        ));
    }
    if let Some(r) = weak(9, 50.0).or_else(|| by_requests(Tag::DigitalDivide)) {
        p1.push(action(
            "代际数字桥梁培训",
            Module::Training,
            OwnerRole::Volunteers,
            r,
        ));
    }

    // Phase 2: rules.
    let mut p2 = vec![action(
        "议定居民公约",
        Module::Talks,
        OwnerRole::Staff,
        Reason::Default,
    )];
    if let Some(r) = by_requests(Tag::Garbage).or_else(|| {
        reading(readings, 29)
            .filter(|v| *v > 20.0)
            .map(|v| Reason::Indicator {
                id: 29,
                value: v.round() as i64,
            })
    }) {
        p2.push(action(
            "垃圾分类督导",
            Module::Sorting,
            OwnerRole::Volunteers,
            r,
        ));
    }
    for (tag, title) in [
        (Tag::Parking, "停车问题专题协商"),
        (Tag::PropertyDispute, "物业服务专题协商"),
        (Tag::Vending, "占道经营专题协商"),
    ] {
        if let Some(r) = by_requests(tag) {
            p2.push(action(title, Module::Talks, OwnerRole::Staff, r));
        }
    }
    if let Some(r) = by_requests(Tag::OwnersCommittee) {
        p2.push(action(
            "业委会议事规则培训",
            Module::Training,
            OwnerRole::OwnersCommittee,
            r,
        ));
    }

    // Phase 3: culture.
    let participation = weak(12, 20.0);
    let mut p3 = vec![action(
        "睦邻文化节",
        Module::Event,
        OwnerRole::Staff,
        participation
            .or_else(|| by_requests(Tag::NeighbourhoodCulture))
            .unwrap_or(Reason::Default),
    )];
    p3.push(action(
        "微创投提案征集",
        Module::GrantCall,
        OwnerRole::Staff,
        participation
            .or_else(|| weak(23, 50.0))
            .unwrap_or(Reason::Default),
    ));
    if let Some(r) = reading(readings, 25)
        .zip(
            readings
                .iter()
                .find(|r| r.id == 25)
                .and_then(|r| r.before.number()),
        )
        .filter(|(now, before)| *before > 0.0 && *now <= before * 0.8)
        .map(|(now, _)| Reason::Indicator {
            id: 25,
            value: now.round() as i64,
        })
    {
        p3.push(action(
            "志愿者培训",
            Module::Training,
            OwnerRole::Volunteers,
            r,
        ));
    }

    // Targets: the article's on-time rate, and activity doubled.
    let on_time = reading(readings, 2).map_or(93.0, |v| v.max(93.0));
    let active = reading(readings, 11).map(|v| (v * 2.0).max(1.0));
    let mut t3 = vec![target(
        12,
        reading(readings, 12).map_or(20.0, |v| (v * 2.0).clamp(20.0, 100.0)),
    )];
    if let Some(a) = active {
        t3.push(target(11, a));
    }

    let phase =
        |name: &str, theme: &str, start: u32, months: u32, actions, targets, i: usize| PhaseDraft {
            name: name.into(),
            theme: theme.into(),
            start: (start + 1).to_string(),
            months: months.to_string(),
            actions,
            targets,
            cases: cases_for(&found, i).into_iter().map(|c| c.0).collect(),
        };
    let plan = PlanDraft {
        title: title.into(),
        start: start.into(),
        profile: ProfileDraft {
            households: nz(profile.households),
            elders_pct: nz(profile.elders_pct),
            grids: nz(profile.grids),
            groups: nz(profile.groups),
            problems: profile.problems.clone(),
        },
        phases: vec![
            phase(
                "组织重构",
                "基础设施与组织",
                0,
                3,
                p1,
                vec![target(2, 90.0)],
                0,
            ),
            phase(
                "规则建设",
                "规则与数字化闭环",
                3,
                4,
                p2,
                vec![target(2, on_time)],
                1,
            ),
            phase("文化培育", "邻里文化与居民自治", 7, 5, p3, t3, 2),
        ],
    };
    Proposal {
        cases: (0..3).map(|i| cases_for(&found, i)).collect(),
        plan,
    }
}

fn nz(v: u32) -> String {
    if v == 0 { String::new() } else { v.to_string() }
}

/// The best three cases for the needs a default phase takes on, with why.
fn cases_for(found: &[Need], phase: usize) -> Vec<(String, String, String)> {
    let tags = PHASE_TAGS[phase];
    let mine: Vec<Need> = found
        .iter()
        .filter(|n| tags.contains(&n.tag))
        .cloned()
        .collect();
    rank(&mine)
        .into_iter()
        .filter(|m| tags.contains(&m.case.tags[0]))
        .take(3)
        .map(|m| (m.case.id.to_string(), m.explain(true), m.explain(false)))
        .collect()
}
