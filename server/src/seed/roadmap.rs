//! The practice roadmap 实践路径图谱 for the demo and the scale seeding: 水榭花都's year as the
//! article tells it. Phase 1 组织重构 (3 months): the "1+3+N" platform, the four-party talks
//! every Wednesday, the 27 advisers, the grids' iron triangles. Phase 2 规则建设 (4 months):
//! the three-colour requests, the 9 charter documents, garbage-sorting supervision. Phase 3 文化
//! 培育 (5 months): the micro-grants, the stairwell gallery, the neighbourhood festival, 童眼看
//! 社区. Actions link the year's real talks, call, events, works, patrol and sorting logs, so
//! the roadmap's progress shows from their data; targets are the article's (93% on time,
//! activity doubled).

use linli_shared::domain::roadmap::{
    ActionDraft, Module, OwnerRole, PhaseDraft, PlanDraft, ProfileDraft, RoadmapCommand,
    TargetDraft,
};
use linli_shared::domain::{DocKind, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, Millis, civil_from_days, shanghai_day};

use super::SeedError;
use crate::hub::HubCtx;

/// A document an action may link to: its module's kinds, when it happened, a title to match.
pub(super) struct Linkable {
    id: DocumentId,
    kind: DocKind,
    at: Millis,
    title: String,
}

/// Every document of the kinds actions link to, read once.
pub(super) fn linkables(ctx: &mut HubCtx<'_>) -> Vec<Linkable> {
    let kinds = [
        DocKind::TalkSeries,
        DocKind::Talk,
        DocKind::GrantCall,
        DocKind::Event,
        DocKind::Works,
        DocKind::Patrols,
        DocKind::Sorting,
    ];
    let ids: Vec<(DocumentId, DocKind)> = ctx
        .relay
        .documents()
        .filter_map(|(id, m)| m.scope.kind.filter(|k| kinds.contains(k)).map(|k| (*id, k)))
        .collect();
    let month = |m: &str| {
        linli_shared::domain::community::calendar::parse_date(&format!("{m}-01"))
            .map(linli_shared::time::shanghai_day_start)
    };
    ids.into_iter()
        .filter_map(|(id, kind)| {
            let doc = ctx.relay.document(ctx.store, &id).ok()??;
            let (at, title) = match Summary::of(&doc) {
                Summary::TalkSeries(s) => (0, s.series.title),
                Summary::Talk(t) => (
                    linli_shared::domain::community::calendar::parse_date(&t.talk.date)
                        .map(linli_shared::time::shanghai_day_start)?,
                    String::new(),
                ),
                Summary::GrantCall(c) => (c.call.opened_at, c.call.title),
                Summary::Event(e) => (e.starts_at, e.title),
                Summary::Works(w) => (w.created_at, w.title),
                Summary::Patrols(p) => (month(&p.month)?, p.grid),
                Summary::Sorting(s) => (month(&s.month)?, s.grid),
                _ => return None,
            };
            Some(Linkable {
                id,
                kind,
                at,
                title,
            })
        })
        .collect()
}

/// (title, module, owner: staff or a body, the word a linked document's title holds).
type Act = (&'static str, Module, Option<OwnerRole>, &'static str);

const PHASES: [(&str, &str, u32, u32, &[Act]); 3] = [
    (
        "组织重构",
        "1+3+N 协作平台与基础设施",
        0,
        3,
        &[
            (
                "搭建“1+3+N”协作平台，每周三召开四方会谈",
                Module::Talks,
                Some(OwnerRole::PartyBranch),
                "",
            ),
            (
                "聘请 27 名社区治理顾问",
                Module::Talks,
                Some(OwnerRole::Advisers),
                "-",
            ),
            (
                "18 个网格铁三角早巡、午访、夜谈",
                Module::Patrols,
                Some(OwnerRole::IronTriangle),
                "",
            ),
            ("楼道声控灯更换", Module::Works, None, "灯"),
            ("适老化改造：扶手与坡道", Module::Works, None, "扶手"),
        ],
    ),
    (
        "规则建设",
        "数字化治理闭环与社区规则",
        3,
        4,
        &[
            (
                "三色诉求分级处理（48 小时 / 5 天 / 15 天）",
                Module::Patrols,
                Some(OwnerRole::GridWorkers),
                "",
            ),
            ("议定 9 项社区公约", Module::Talks, None, ""),
            (
                "垃圾分类督导：提醒推送与志愿者上门",
                Module::Sorting,
                Some(OwnerRole::Volunteers),
                "",
            ),
            (
                "治理学院：议事规则与财务监管培训",
                Module::Training,
                Some(OwnerRole::OwnersCommittee),
                "-",
            ),
        ],
    ),
    (
        "文化培育",
        "邻里文化与居民自治",
        7,
        5,
        &[
            (
                "微创投：15 万元种子基金征集提案",
                Module::GrantCall,
                None,
                "",
            ),
            (
                "楼道美术馆：17 个单元楼道",
                Module::GrantCall,
                Some(OwnerRole::Volunteers),
                "-",
            ),
            ("每月睦邻文化节", Module::Event, None, "睦邻文化节"),
            ("粽香传情：为独居老人包粽子", Module::Event, None, "粽香"),
            (
                "童眼看社区：收集孩子们的改造建议图",
                Module::Event,
                Some(OwnerRole::Staff),
                "-",
            ),
        ],
    ),
];

/// Targets per phase: (indicator, value).
const TARGETS: [&[(u8, &str)]; 3] = [
    &[(2, "90"), (28, "80")],
    &[(2, "93"), (29, "15")],
    &[(11, "600"), (13, "16"), (12, "30")],
];

/// The case library's first case whose main problem is each tag, per phase.
fn cases(phase: usize) -> Vec<String> {
    use linli_shared::cases::{CASES, Tag};
    let tags: &[Tag] = match phase {
        0 => &[Tag::Clutter, Tag::ElderlyAlone],
        1 => &[Tag::Garbage, Tag::OwnersCommittee],
        _ => &[Tag::MicroGrant, Tag::NeighbourhoodCulture],
    };
    tags.iter()
        .filter_map(|t| CASES.iter().find(|c| c.tags[0] == *t))
        .map(|c| c.id.to_string())
        .collect()
}

fn month_of(at: Millis) -> String {
    let (y, m, _) = civil_from_days(shanghai_day(at));
    format!("{y}-{m:02}")
}

/// Seeds one roadmap whose plan starts in the month of `start`; actions link the documents of
/// `docs` that fall in their phase (by title word where one is given; `-` links none).
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    docs: &[Linkable],
    title: &str,
    staff: (&str, &str),
    start: Millis,
    now: Millis,
    published: bool,
    id: DocumentId,
) -> Result<(), SeedError> {
    let first = month_of(start);
    let month_start = |n: u32| -> Millis {
        let (y, m) = linli_shared::domain::roadmap::model::parse_month(&first)
            .map(|f| linli_shared::domain::roadmap::model::add_months(f, n))
            .unwrap_or((2026, 1));
        linli_shared::time::shanghai_midnight(y, m, 1)
    };
    let mut phases = Vec::new();
    for (i, (name, theme, at, months, acts)) in PHASES.into_iter().enumerate() {
        let (from, to) = (month_start(at), month_start(at + months));
        let mut taken: Vec<DocumentId> = Vec::new();
        let actions = acts
            .iter()
            .map(|(title, module, role, word)| {
                let link = (*word != "-")
                    .then(|| {
                        docs.iter()
                            .filter(|d| module.kinds().contains(&d.kind))
                            .filter(|d| !taken.contains(&d.id))
                            .filter(|d| word.is_empty() || d.title.contains(word))
                            // The series first, then the earliest in the phase, else the
                            // nearest to it (the demo keeps only recent patrol logs).
                            .min_by_key(|d| {
                                let off = if d.at < from {
                                    from - d.at
                                } else if d.at >= to {
                                    d.at - to + 1
                                } else {
                                    0
                                };
                                (d.kind != DocKind::TalkSeries, off, d.at)
                            })
                    })
                    .flatten();
                if let Some(l) = link {
                    taken.push(l.id);
                }
                ActionDraft {
                    title: (*title).into(),
                    module: Some(*module),
                    doc: link.map(|l| l.id.to_string()).unwrap_or_default(),
                    owner: if role.is_none() {
                        staff.0.into()
                    } else {
                        String::new()
                    },
                    owner_name: if role.is_none() {
                        staff.1.into()
                    } else {
                        String::new()
                    },
                    owner_role: *role,
                    why: String::new(),
                }
            })
            .collect();
        phases.push(PhaseDraft {
            name: name.into(),
            theme: theme.into(),
            start: (at + 1).to_string(),
            months: months.to_string(),
            actions,
            targets: TARGETS[i]
                .iter()
                .map(|(id, v)| TargetDraft {
                    indicator: id.to_string(),
                    value: (*v).into(),
                })
                .collect(),
            cases: cases(i),
        });
    }
    let plan = PlanDraft {
        title: title.into(),
        start: first,
        profile: ProfileDraft {
            households: "1860".into(),
            elders_pct: "26".into(),
            grids: "18".into(),
            groups: "3".into(),
            problems: "楼道堆物、建筑垃圾成堆，健身器材破损；居民对公共事务冷漠；老年人不会用小程序；垃圾混投。".into(),
        },
        phases,
    };
    let outs = ctx.relay.local_change(ctx.store, id, |d| {
        RoadmapCommand::Save {
            plan: Box::new(plan),
            by: staff.0.into(),
            by_name: staff.1.into(),
        }
        .apply(d, now)?;
        if published {
            RoadmapCommand::Publish { on: true }.apply(d, now)?;
        }
        Ok(())
    })?;
    ctx.emit(outs);
    Ok(())
}

/// The demo's roadmap: the practice year that began about a year before `now`, published.
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    now: Millis,
    id: DocumentId,
) -> Result<(), SeedError> {
    let docs = linkables(ctx);
    seed(
        ctx,
        &docs,
        "水榭花都实践路径图谱",
        staff,
        now - 365 * DAY,
        now - DAY,
        true,
        id,
    )
}

/// The benchmark community's roadmaps: a plan per year, the last one published.
pub(super) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    years: i64,
    end: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    let docs = linkables(ctx);
    for y in 0..years {
        let start = end - (years - y) * 365 * DAY;
        let (year, _, _) = civil_from_days(shanghai_day(start));
        seed(
            ctx,
            &docs,
            &format!("{year} 年度实践路径图谱"),
            staff,
            start,
            (start + 365 * DAY).min(end) - DAY,
            y == years - 1,
            ids(),
        )?;
    }
    Ok(())
}
