//! The grid's daily work for the demo and the scale seeding: each grid's document (its iron
//! triangle, buildings, plan) and its patrol logs, month by month, in the seed article's
//! numbers: rounds walked to plan about nine days in ten, the midday round visiting the
//! grid's elders who live alone (up to five a day, in turn), and 213 micro pain points found over the demo year
//! (楼道堆物, 宠物扰民…), most settled on the spot.

use linli_shared::domain::grid::{GridCommand, GridInfo, Position, Round, default_plan};
use linli_shared::domain::patrols::{
    FindingDraft, Outcome, RoundDraft, Visit, iso_weekday, log_round, month_of, open_log,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{HOUR, MINUTE, Millis, shanghai_day, shanghai_day_start};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// Micro pain points 微痛点 a round finds, and what was done on the spot.
const FINDINGS: &[(&str, &str)] = &[
    ("楼道堆放纸箱杂物，影响通行", "已劝导住户当场清理"),
    ("宠物粪便未及时清理", "已提醒养犬住户，张贴文明养犬提示"),
    ("电动车在楼道内充电", "已劝离，告知集中充电桩位置"),
    ("楼道声控灯不亮", "已报物业维修"),
    ("消防通道被私家车占用", "已联系车主挪车"),
    ("垃圾桶满溢，周边有异味", "已通知保洁加收一次"),
    ("单元门禁闭门器损坏，门关不上", "已报物业维修"),
    ("绿化带被占用种菜", "已与住户沟通，约定本周恢复"),
    ("外墙小广告乱贴", "已清理"),
    ("楼顶晾晒区私拉电线", "已拆除，提醒注意用电安全"),
    ("健身器材螺丝松动", "已报物业加固"),
    ("雨后地下车库入口积水", "已报物业疏通排水口"),
];

/// Notes of a round without findings.
const QUIET: &[&str] = &[
    "巡查一切正常",
    "无异常，与楼道保洁员沟通了本周安排",
    "正常，提醒住户关好单元门",
];

/// One seat of a grid's team.
pub(super) struct Seat {
    pub grid: String,
    pub position: Position,
    pub person: String,
    pub name: String,
}

/// An elder the midday round visits.
pub(super) struct Elder {
    pub grid: String,
    pub name: String,
    pub flat: String,
}

/// Writes the 18 grids' documents and their patrol logs for the days `[from, to)`.
/// `findings_total` micro pain points are spread over all rounds; `ids` gives document ids.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    grids: usize,
    seats: &[Seat],
    elders: &[Elder],
    from: Millis,
    to: Millis,
    findings_total: u64,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<(), SeedError> {
    let first_day = shanghai_day(from);
    let last_day = shanghai_day(to);
    let rounds_per_day = 2.0; // 7 + 5 + 2 planned a week, about two a day
    let total_rounds = ((last_day - first_day) as f64 * rounds_per_day * grids as f64) as u64;
    for g in 1..=grids {
        let grid = format!("g{g:02}");
        let doc = ids(rng);
        let buildings = vec![format!("{}号楼", 2 * g - 1), format!("{}号楼", 2 * g)];
        let team: Vec<&Seat> = seats.iter().filter(|s| s.grid == grid).collect();
        let outs = ctx.relay.local_change(ctx.store, doc, |d| {
            GridCommand::Create {
                grid: grid.clone(),
                buildings: buildings.clone(),
            }
            .apply(d)?;
            for s in &team {
                GridCommand::SetMember {
                    position: s.position,
                    person: s.person.clone(),
                    name: s.name.clone(),
                }
                .apply(d)?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
        let plan = GridInfo {
            grid: grid.clone(),
            team: Vec::new(),
            buildings: buildings.clone(),
            plan: default_plan(),
        };
        let walkers: Vec<(&str, &str)> = team
            .iter()
            .map(|s| (s.person.as_str(), s.name.as_str()))
            .collect();
        if walkers.is_empty() {
            continue;
        }
        let visited: Vec<&Elder> = elders.iter().filter(|e| e.grid == grid).collect();
        // One log per month, written in one go.
        let mut day = first_day;
        while day < last_day {
            let month = month_of(shanghai_day_start(day));
            let mut end = day;
            while end < last_day && month_of(shanghai_day_start(end)) == month {
                end += 1;
            }
            let log = ids(rng);
            let outs = ctx.relay.local_change(ctx.store, log, |d| {
                open_log(d, &grid, &month)?;
                for day in day..end {
                    for round in Round::ALL {
                        if !plan.planned(round).contains(&iso_weekday(day)) || rng.below(10) == 0 {
                            continue; // not planned, or missed (about one in ten)
                        }
                        let (by, by_name) = walkers[rng.below(walkers.len() as u64) as usize];
                        let start = match round {
                            Round::Morning => 7 * HOUR,
                            Round::Midday => 12 * HOUR,
                            Round::Evening => 19 * HOUR,
                        };
                        let at = shanghai_day_start(day) + start + rng.below(50) as i64 * MINUTE;
                        let mut draft = RoundDraft {
                            round,
                            buildings: Vec::new(),
                            note: String::new(),
                            findings: Vec::new(),
                            visits: Vec::new(),
                        };
                        if round == Round::Midday {
                            // Up to five elders a day, in turn.
                            let n = visited.len();
                            let today = (0..n.min(5)).map(|k| visited[(day as usize * 5 + k) % n]);
                            for e in today {
                                let outcome = match rng.below(20) {
                                    0 => Outcome::NotHome,
                                    1 => Outcome::NeedsHelp,
                                    _ => Outcome::Well,
                                };
                                draft.visits.push(Visit {
                                    name: e.name.clone(),
                                    flat: e.flat.clone(),
                                    outcome,
                                    note: match outcome {
                                        Outcome::Well => String::new(),
                                        Outcome::NotHome => {
                                            "敲门无人应答，电话联系后得知去女儿家".into()
                                        }
                                        Outcome::NeedsHelp => {
                                            "膝盖不适，需要有人帮忙买菜，已联系志愿者".into()
                                        }
                                    },
                                });
                            }
                        }
                        if rng.below(total_rounds.max(1)) < findings_total {
                            let (text, done) = FINDINGS[rng.below(FINDINGS.len() as u64) as usize];
                            let b = &buildings[rng.below(2) as usize];
                            draft.findings.push(FindingDraft {
                                text: text.into(),
                                place: format!("{b}{}单元", 1 + rng.below(3)),
                                photos: Vec::new(),
                            });
                            draft.note = done.into();
                        } else if draft.visits.is_empty() {
                            draft.note = QUIET[rng.below(QUIET.len() as u64) as usize].into();
                        }
                        log_round(d, by, by_name, &draft, at)?;
                    }
                }
                Ok(())
            })?;
            ctx.emit(outs);
            day = end;
        }
    }
    Ok(())
}
