//! The community resource map 社区资源地图 for the demo: 水榭花都's site plan (its grids'
//! buildings laid out as an estate: three grids to a row along the central road, slabs facing
//! south, the party-and-people service centre by the south gate, the central garden in the
//! middle), twelve spaces and facilities linked to the year's events, works, groups and
//! trainings where they fit, and eight residents with a skill to offer 社区达人, each with
//! consent: 王秀英 (the retired teacher of the stairwell gallery, painting) and 赵晓松 recorded
//! their own; staff recorded the others from signed consent forms. `--demo-scale` seeds the
//! plan and a small set in the same way.

use linli_shared::domain::DocKind;
use linli_shared::domain::Summary;
use linli_shared::domain::grid::GridInfo;
use linli_shared::domain::resource::{ResourceCommand, ResourceDraft, ResourceType};
use linli_shared::domain::site_plan::layout::rect;
use linli_shared::domain::site_plan::{Building, Landmark, LandmarkKind, PlanCommand, Source};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, Millis};

use super::SeedError;
use crate::hub::HubCtx;

/// The service centre's building on the plan (not a residential building: no grid lists it,
/// it is drawn in the first grid).
pub(super) const CENTRE: &str = "党群服务中心";

/// The community's grids with their buildings, as their documents list them.
fn grid_buildings(ctx: &mut HubCtx<'_>) -> Vec<(String, Vec<String>)> {
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Grid))
        .map(|(id, _)| *id)
        .collect();
    let mut out: Vec<(String, Vec<String>)> = ids
        .into_iter()
        .filter_map(|id| {
            let d = ctx.relay.document(ctx.store, &id).ok()??;
            let g = GridInfo::read(&d).ok()?;
            Some((g.grid, g.buildings))
        })
        .collect();
    out.sort();
    out
}

/// The estate: grids three to a row, each grid's slabs (40 m by 14 m) stacked north to south
/// in pairs, 60 m between grids; the central road between the two halves; the service centre
/// by the south gate. Returns the buildings and the landmarks.
pub(super) fn estate(grids: &[(String, Vec<String>)]) -> (Vec<Building>, Vec<Landmark>) {
    const W: i64 = 40;
    const D: i64 = 14;
    const PER_ROW: usize = 3;
    let block_w = 2 * W + 12;
    let mut buildings = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut top = 0;
    let mut right = 0;
    for (row, chunk) in grids.chunks(PER_ROW).enumerate() {
        // The central road runs between the first and the second row of grids.
        if row == 1 {
            top += 40;
        }
        let mut tallest = 0;
        for (col, (grid, bs)) in chunk.iter().enumerate() {
            let left = col as i64 * (block_w + 30);
            let mine: Vec<&String> = bs.iter().filter(|b| !seen.contains(b)).collect();
            for (i, b) in mine.iter().enumerate() {
                seen.push((*b).clone());
                let x = left + (i % 2) as i64 * (W + 12);
                let y = top + (i / 2) as i64 * (D + 22);
                buildings.push(Building {
                    name: (*b).clone(),
                    grid: grid.clone(),
                    pts: rect((x, y), W, D),
                });
                right = right.max(x + W);
            }
            tallest = tallest.max(mine.len().div_ceil(2).max(1) as i64 * (D + 22));
        }
        top += tallest + 20;
    }
    let road_y = buildings
        .iter()
        .filter(|b| grids.first().is_some_and(|(g, _)| *g == b.grid))
        .flat_map(|b| b.pts.iter().map(|p| p.1))
        .max()
        .unwrap_or(0)
        + 30;
    // The service centre, south of everything, by the south gate.
    let first_grid = grids.first().map(|(g, _)| g.clone()).unwrap_or_default();
    buildings.push(Building {
        name: CENTRE.into(),
        grid: first_grid,
        pts: vec![
            (right / 2 - 30, top + 10),
            (right / 2 + 30, top + 10),
            (right / 2 + 30, top + 40),
            (right / 2 - 30, top + 40),
        ],
    });
    let landmarks = vec![
        Landmark {
            kind: LandmarkKind::Road,
            name: "中心路".into(),
            pts: vec![(-10, road_y), (right + 10, road_y)],
        },
        Landmark {
            kind: LandmarkKind::Road,
            name: "南北主路".into(),
            pts: vec![(right / 2, -10), (right / 2, top + 60)],
        },
        Landmark {
            kind: LandmarkKind::Green,
            name: "中心花园".into(),
            pts: rect((right / 2 - 35, road_y - 14), 70, 28),
        },
        Landmark {
            kind: LandmarkKind::Gate,
            name: "南门".into(),
            pts: vec![(right / 2, top + 60)],
        },
        Landmark {
            kind: LandmarkKind::Gate,
            name: "北门".into(),
            pts: vec![(right / 2, -10)],
        },
    ];
    (buildings, landmarks)
}

/// Documents a resource may be linked to: `(id, title)` of events, works, groups, trainings.
fn linkables(ctx: &mut HubCtx<'_>) -> Vec<(DocumentId, String)> {
    let kinds = [
        DocKind::Event,
        DocKind::Works,
        DocKind::Group,
        DocKind::Training,
    ];
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind.is_some_and(|k| kinds.contains(&k)))
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter()
        .filter_map(|id| {
            let d = ctx.relay.document(ctx.store, &id).ok()??;
            let title = match Summary::of(&d) {
                Summary::Event(e) => e.title,
                Summary::Works(w) => w.title,
                Summary::Group(g) => g.group.name,
                Summary::Training(t) => t.title,
                _ => return None,
            };
            Some((id, title))
        })
        .collect()
}

/// Up to `n` documents whose title holds one of `words`, by id.
fn linked(all: &[(DocumentId, String)], words: &[&str], n: usize) -> Vec<String> {
    all.iter()
        .filter(|(_, t)| words.iter().any(|w| t.contains(w)))
        .take(n)
        .map(|(id, _)| id.to_string())
        .collect()
}

/// A space or facility: (type, name, building index or name, hours, capacity, what, link words).
struct Place {
    rtype: ResourceType,
    name: &'static str,
    building: &'static str,
    hours: &'static str,
    capacity: &'static str,
    description: &'static str,
    links: &'static [&'static str],
}

const PLACES: [Place; 12] = [
    Place {
        rtype: ResourceType::Space,
        name: "党群服务中心活动室",
        building: CENTRE,
        hours: "周一至周六 8:30-20:30",
        capacity: "60人",
        description: "二楼多功能厅，有投影和音响。社区治理学院的培训、四方会谈都在这里。",
        links: &["议事规则", "财务监管", "业委会"],
    },
    Place {
        rtype: ResourceType::Space,
        name: "睦邻客厅",
        building: CENTRE,
        hours: "每天 9:00-21:00",
        capacity: "30人",
        description: "一楼的客厅，有茶水、书架和棋牌桌，睦邻文化节的筹备会常在这里开。",
        links: &["睦邻", "百家宴"],
    },
    Place {
        rtype: ResourceType::Space,
        name: "楼道美术馆·架空层画廊",
        building: "7号楼",
        hours: "全天开放",
        capacity: "",
        description: "7号楼架空层改成的画廊，展出居民的书画，是“楼道美术馆”项目的第一站。",
        links: &["楼道美术馆"],
    },
    Place {
        rtype: ResourceType::Space,
        name: "屋顶花园",
        building: "12号楼",
        hours: "每天 7:00-19:00",
        capacity: "20人",
        description: "阳台花园竞赛的展示地，认养的花箱由楼里的居民轮流照看。",
        links: &["阳台花园"],
    },
    Place {
        rtype: ResourceType::Space,
        name: "3号楼架空层议事角",
        building: "3号楼",
        hours: "每天 8:00-20:00",
        capacity: "15人",
        description: "楼组长召集楼道堆物、宠物扰民等小事协商的地方。",
        links: &[],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "健身角",
        building: "5号楼",
        hours: "全天开放",
        capacity: "",
        description: "四方会谈协商更新的健身器材：物业出资60%、社区基金补贴30%、居民众筹10%。",
        links: &["健身"],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "儿童游乐区",
        building: "15号楼",
        hours: "每天 7:00-20:00",
        capacity: "",
        description: "用公共收益改造的儿童游乐区，地面换成了软垫。",
        links: &["儿童"],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "AED 自动体外除颤器",
        building: CENTRE,
        hours: "24小时",
        capacity: "",
        description: "挂在党群服务中心一楼门厅，值班人员接受过使用培训。",
        links: &[],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "快递柜",
        building: "1号楼",
        hours: "24小时",
        capacity: "",
        description: "南门附近的智能快递柜，120格。",
        links: &[],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "快递柜（北区）",
        building: "20号楼",
        hours: "24小时",
        capacity: "",
        description: "北区的快递柜，80格。",
        links: &[],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "电动自行车充电桩",
        building: "9号楼",
        hours: "24小时",
        capacity: "20个车位",
        description: "集中充电，楼道里不再飞线充电。",
        links: &["充电", "飞线"],
    },
    Place {
        rtype: ResourceType::Facility,
        name: "楼道照明（已升级）",
        building: "26号楼",
        hours: "",
        capacity: "",
        description: "公共收益升级的8处楼道照明之一，声控加光控。",
        links: &["照明"],
    },
];

/// A talent: (name, what, when, links words).
const TALENTS: [(&str, &str, &str, &[&str]); 8] = [
    (
        "书画教学",
        "退休美术老师，楼道美术馆的发起人，周末教孩子和老人画画写字。",
        "周六上午",
        &["楼道美术馆"],
    ),
    (
        "手机和电脑设置",
        "帮邻居装软件、设置手机字体和健康码，也会修路由器。",
        "工作日晚上",
        &[],
    ),
    (
        "家电和电路维修",
        "退休电工，小家电、插座、灯具都会修，只收材料费。",
        "每天下午",
        &["照明"],
    ),
    (
        "健康讲座",
        "社区医院退休医生，可以讲高血压、糖尿病的日常管理。",
        "每月一次",
        &["健康"],
    ),
    (
        "包粽子和面点",
        "端午节“粽香传情”的带头人，教年轻家庭包粽子。",
        "节日前",
        &["粽"],
    ),
    (
        "法律咨询",
        "退休律师，可以解答物业纠纷、遗产继承等常见问题。",
        "周三下午",
        &[],
    ),
    (
        "园艺",
        "阳台花园竞赛的评委，教大家种花养草。",
        "周末",
        &["阳台花园"],
    ),
    (
        "英语辅导",
        "大学退休教师，可以给小学生辅导英语。",
        "周日下午",
        &[],
    ),
];

/// Seeds the plan, the places and the talents. `own` are the two residents who recorded their
/// own talent (id, name, building); `others` the residents staff recorded from paper
/// consents (id, name, building).
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    own: &[(String, String, String)],
    others: &[(String, String, String)],
    now: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    let grids = grid_buildings(ctx);
    let (buildings, landmarks) = estate(&grids);
    let plan_at = now - 200 * DAY;
    let outs = ctx.relay.local_change(ctx.store, ids(), |d| {
        PlanCommand::Save {
            buildings: buildings.clone(),
            landmarks,
            source: Source::Schematic,
            by: staff.0.into(),
            by_name: staff.1.into(),
        }
        .apply(d, plan_at)
    })?;
    ctx.emit(outs);
    let grid_of = |b: &str| {
        buildings
            .iter()
            .find(|x| x.name == b)
            .map(|x| x.grid.clone())
    };
    let all = linkables(ctx);
    for (i, p) in PLACES.iter().enumerate() {
        // A building the seeded grids do not have (a small community): the centre instead.
        let building = if grid_of(p.building).is_some() {
            p.building
        } else {
            CENTRE
        };
        let draft = ResourceDraft {
            rtype: Some(p.rtype),
            name: p.name.into(),
            description: p.description.into(),
            building: building.into(),
            grid: grid_of(building).unwrap_or_default(),
            hours: p.hours.into(),
            capacity: p.capacity.into(),
            links: linked(&all, p.links, 3),
            ..ResourceDraft::default()
        };
        let at = plan_at + i as i64 * DAY + 10 * HOUR;
        let outs = ctx.relay.local_change(ctx.store, ids(), |d| {
            ResourceCommand::Create {
                draft: Box::new(draft),
                by: staff.0.into(),
                by_name: staff.1.into(),
            }
            .apply(d, at)
        })?;
        ctx.emit(outs);
    }
    let people = own
        .iter()
        .map(|p| (p, true))
        .chain(others.iter().map(|p| (p, false)));
    for (i, ((person, name, building), mine)) in people.enumerate() {
        let Some((skill, what, when, words)) = TALENTS.get(i) else {
            break;
        };
        let at = now - (90 - 7 * i as i64) * DAY + 15 * HOUR;
        let building = if grid_of(building).is_some() {
            building.clone()
        } else {
            CENTRE.to_string()
        };
        let draft = ResourceDraft {
            rtype: Some(ResourceType::Talent),
            name: (*skill).into(),
            description: (*what).into(),
            grid: grid_of(&building).unwrap_or_default(),
            building,
            hours: (*when).into(),
            links: linked(&all, words, 2),
            person: if mine { String::new() } else { person.clone() },
            person_name: if mine { String::new() } else { name.clone() },
            consent_date: linli_shared::export::date(at - 3 * DAY),
            consent: true,
            ..ResourceDraft::default()
        };
        let (by, by_name) = if mine {
            (person.clone(), name.clone())
        } else {
            (staff.0.to_string(), staff.1.to_string())
        };
        let outs = ctx.relay.local_change(ctx.store, ids(), |d| {
            ResourceCommand::Create {
                draft: Box::new(draft),
                by,
                by_name,
            }
            .apply(d, at)
        })?;
        ctx.emit(outs);
    }
    Ok(())
}

/// `--demo-scale`: the plan of its grids, and the same places and a talent per grid for the
/// first eight grids, recorded by staff from paper consents.
pub(super) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    people: &[(String, String, String)],
    end: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    seed_demo(ctx, staff, &[], people, end - DAY, ids)
}
