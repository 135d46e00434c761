//! Facility works 设施改造 for the demo and the scale seeding, in the seed article's numbers:
//! in a year, 12 buildings' leaks repaired, 7 aging-friendly changes and 8 stairwell lights,
//! each with its cost, contractor and progress; the works a talk decided are linked to its
//! decision (the roof of 7号楼, the stairwell lights, the garage's seepage), and the demo's
//! requests about leaks and lights to the works that answered them. The newest are still under
//! way or planned.

use linli_shared::domain::DocKind;
use linli_shared::domain::requests::Request;
use linli_shared::domain::talks::Talk;
use linli_shared::domain::works::{Category, Status, WorkDraft, WorksCommand};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, Millis};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// One year's works: kind, what (with `{b}` for the building), contractor, cost in yuan.
const YEAR: &[(Category, &str, &str, i64)] = &[
    (
        Category::Leak,
        "{b}顶层屋面防水翻修",
        "嘉禾防水工程公司",
        38_600,
    ),
    (
        Category::Leak,
        "{b}外墙渗水修补",
        "嘉禾防水工程公司",
        12_400,
    ),
    (
        Category::Leak,
        "{b}地下车库顶板渗水封堵",
        "恒通建筑修缮队",
        21_800,
    ),
    (Category::Leak, "{b}楼顶水箱管道更换", "物业工程部", 6_200),
    (Category::Leak, "{b}外墙渗水修补", "嘉禾防水工程公司", 9_800),
    (Category::Leak, "{b}阳台雨水管更换", "物业工程部", 3_400),
    (
        Category::Leak,
        "{b}顶层屋面防水翻修",
        "嘉禾防水工程公司",
        35_900,
    ),
    (Category::Leak, "{b}外墙渗水修补", "恒通建筑修缮队", 11_300),
    (Category::Leak, "{b}楼顶落水口疏通改造", "物业工程部", 2_600),
    (
        Category::Leak,
        "{b}外墙窗台防水处理",
        "恒通建筑修缮队",
        7_900,
    ),
    (
        Category::Leak,
        "{b}顶层屋面防水翻修",
        "嘉禾防水工程公司",
        36_400,
    ),
    (
        Category::Leak,
        "{b}地下室墙面渗水封堵",
        "恒通建筑修缮队",
        14_700,
    ),
    (
        Category::Aging,
        "{b}单元门口无障碍坡道",
        "安康适老化改造中心",
        8_800,
    ),
    (
        Category::Aging,
        "{b}楼梯加装双侧扶手",
        "安康适老化改造中心",
        6_400,
    ),
    (Category::Aging, "中心花园休息座椅", "物业工程部", 4_200),
    (
        Category::Aging,
        "{b}单元门口无障碍坡道",
        "安康适老化改造中心",
        9_100,
    ),
    (
        Category::Aging,
        "{b}楼梯加装双侧扶手",
        "安康适老化改造中心",
        5_900,
    ),
    (
        Category::Aging,
        "独居老人家中浴室扶手（5户）",
        "安康适老化改造中心",
        3_500,
    ),
    (Category::Aging, "{b}楼梯台阶防滑条", "物业工程部", 1_800),
    (Category::Lighting, "{b}楼道声控灯更换", "物业工程部", 2_400),
    (Category::Lighting, "{b}楼道声控灯更换", "物业工程部", 2_200),
    (
        Category::Lighting,
        "中心花园步道路灯",
        "明光照明工程公司",
        12_600,
    ),
    (Category::Lighting, "{b}楼道声控灯更换", "物业工程部", 2_600),
    (
        Category::Lighting,
        "地下车库照明改造",
        "明光照明工程公司",
        18_900,
    ),
    (Category::Lighting, "{b}楼道声控灯更换", "物业工程部", 2_300),
    (Category::Lighting, "{b}单元门口照明", "物业工程部", 1_600),
    (Category::Lighting, "{b}楼道声控灯更换", "物业工程部", 2_500),
];

/// The talk item whose decision a work of this title follows, if any: the earliest decision
/// whose item title shares a word with it.
fn decisions(ctx: &mut HubCtx<'_>) -> Vec<(DocumentId, String, String, Millis)> {
    let talks: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Talk))
        .map(|(id, _)| *id)
        .collect();
    let mut out = Vec::new();
    for id in talks {
        let Some(t) = ctx
            .relay
            .document(ctx.store, &id)
            .ok()
            .flatten()
            .and_then(|d| Talk::read(&d).ok())
        else {
            continue;
        };
        for item in t.items {
            if let Some(d) = item.decision {
                out.push((id, item.id, item.title, d.decided_at));
            }
        }
    }
    out.sort_by_key(|d| d.3);
    out
}

/// The requests of a grid (or all) that a work of this kind answers, by their board keys.
fn requests_for(ctx: &mut HubCtx<'_>, category: Category, grid: &str) -> Vec<String> {
    let words: &[&str] = match category {
        Category::Leak => &["漏", "渗"],
        Category::Lighting => &["灯"],
        Category::Aging => &["扶手", "坡道"],
        Category::Other => &[],
    };
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| {
            m.scope.kind == Some(DocKind::Request) && m.scope.grid.as_deref() == Some(grid)
        })
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter()
        .filter(|id| {
            ctx.relay
                .document(ctx.store, id)
                .ok()
                .flatten()
                .and_then(|d| Request::read(&d).ok())
                .is_some_and(|r| words.iter().any(|w| r.title.contains(w)))
        })
        .take(2)
        .map(|id| linli_shared::domain::board::board_key(&id))
        .collect()
}

/// Writes `years` years of works ending at `end`, by `staff` (id, name), with progress by
/// the grid's worker where `workers` names one (grid, person, name), else by staff.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    grids: usize,
    staff: (&str, &str),
    workers: &[(String, String, String)],
    years: i64,
    end: Millis,
    link: bool,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<(), SeedError> {
    let decided = if link { decisions(ctx) } else { Vec::new() };
    let per_year = YEAR.len() as i64;
    let total = per_year * years;
    for n in 0..total {
        let (category, what, contractor, yuan) = YEAR[(n % per_year) as usize];
        let g = 1 + rng.below(grids as u64) as usize;
        let grid = format!("g{g:02}");
        let building = format!("{}号楼", 2 * g - 1 + rng.below(2) as usize);
        let title = what.replace("{b}", &building);
        let shared_space = !what.contains("{b}");
        // Spread over the period; each takes two to six weeks.
        let created = end - (years * 365 * DAY) + n * (years * 365 * DAY) / total;
        let started = created + (3 + rng.below(10) as i64) * DAY;
        let done = started + (14 + rng.below(28) as i64) * DAY;
        // The talk decision it follows: the earliest of its kind before it, once.
        let word = match category {
            Category::Leak if title.contains("屋面") => "漏水",
            Category::Leak => "渗水",
            Category::Lighting => "灯",
            Category::Aging => "-",
            Category::Other => "-",
        };
        let decision = decided
            .iter()
            .filter(|d| d.2.contains(word) && d.3 <= created)
            .nth((n / per_year) as usize);
        let requests = if link && !shared_space {
            requests_for(ctx, category, &grid)
        } else {
            Vec::new()
        };
        let draft = WorkDraft {
            title,
            category: Some(category),
            grid: if shared_space {
                String::new()
            } else {
                grid.clone()
            },
            place: if shared_space {
                "小区公共区域".into()
            } else {
                building.clone()
            },
            description: match category {
                Category::Leak => "雨季前完成，施工期间请住户留意楼道通行。".into(),
                Category::Aging => "为老年住户出行安全改造，完工后请长辈们试用并提意见。".into(),
                Category::Lighting => "更换为节能声控灯，夜间通行更安全。".into(),
                Category::Other => String::new(),
            },
            cost: yuan.to_string(),
            contractor: contractor.into(),
            requests,
            talk: decision.map(|d| d.0.to_string()).unwrap_or_default(),
            item: decision.map(|d| d.1.clone()).unwrap_or_default(),
            ..Default::default()
        };
        let (by, by_name) = workers
            .iter()
            .find(|(w, _, _)| *w == grid && !shared_space)
            .map(|(_, p, n)| (p.as_str(), n.as_str()))
            .unwrap_or(staff);
        let id = ids(rng);
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            WorksCommand::Create {
                draft: Box::new(draft),
                by: staff.0.into(),
                by_name: staff.1.into(),
            }
            .apply(d, created)?;
            if started < end {
                WorksCommand::Update {
                    status: Status::InProgress,
                    note: format!("{contractor}进场施工"),
                    photos: Vec::new(),
                    by: by.into(),
                    by_name: by_name.into(),
                }
                .apply(d, started)?;
            }
            if done < end {
                WorksCommand::Update {
                    status: Status::Done,
                    note: "已完工验收，住户代表到场确认".into(),
                    photos: Vec::new(),
                    by: by.into(),
                    by_name: by_name.into(),
                }
                .apply(d, done)?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
    }
    Ok(())
}
