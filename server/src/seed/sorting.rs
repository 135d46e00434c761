//! Garbage sorting 垃圾分类督导 for the demo and the scale seeding, in the seed article's
//! numbers: every building's bin point inspected once a week by the grid's team or its grid
//! worker, mixed disposal falling by about 70% over the period (from about three inspections in
//! ten to under one), and where a grid worker could tell the flat, a reminder to the household
//! in plain words, read, sometimes a volunteer's visit, and a follow-up a week later that found
//! the bins sorted and closed it. The last three weeks' reminders are still open.

use linli_shared::domain::patrols::{iso_weekday, month_of};
use linli_shared::domain::sorting::{
    InspectionDraft, NewReminder, ReminderCommand, SortResult, inspect, open_log,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, MINUTE, Millis, shanghai_day, shanghai_day_start};

use super::patrols::Seat;
use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// A household the inspections may find mixing.
pub(super) struct Home {
    pub grid: String,
    pub household: String,
    pub flat: String,
}

/// What an inspector notes of a mixed bin.
const NOTES: &[&str] = &[
    "厨余垃圾袋混有塑料瓶",
    "其他垃圾桶里有整袋剩饭菜",
    "可回收物桶里有湿垃圾",
    "纸箱未压扁，混有外卖餐盒",
];

/// A grid's buildings, as its document lists them (two a grid when it has none yet).
fn buildings_of(ctx: &mut HubCtx<'_>, grid: &str, g: usize) -> Vec<String> {
    let doc = ctx
        .relay
        .documents()
        .find(|(_, m)| {
            m.scope.kind == Some(linli_shared::domain::DocKind::Grid)
                && m.scope.grid.as_deref() == Some(grid)
        })
        .map(|(id, _)| *id);
    doc.and_then(|id| ctx.relay.document(ctx.store, &id).ok().flatten())
        .and_then(|d| linli_shared::domain::grid::GridInfo::read(&d).ok())
        .map(|i| i.buildings)
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| vec![format!("{}号楼", 2 * g - 1), format!("{}号楼", 2 * g)])
}

/// The bin point of a building.
fn point_of(building: &str) -> String {
    format!("{building}东侧投放点")
}

/// A reminder sent by `sender`, read by the household a day later, visited by the volunteer
/// (if any) two days later, closed by a follow-up a week later unless it is recent.
#[allow(clippy::too_many_arguments)]
fn remind(
    ctx: &mut HubCtx<'_>,
    id: DocumentId,
    home: &Home,
    building: &str,
    at: Millis,
    sender: (&str, &str),
    volunteer: Option<(&str, &str)>,
    open: bool,
) -> Result<(), SeedError> {
    let d = linli_shared::time::LocalDateTime::shanghai(at);
    let text = format!(
        "您好！{}月{}日在{}检查时，发现厨余垃圾和其他垃圾混在一起投放。请把厨余垃圾（剩饭菜、果皮）沥干后单独投进绿色桶，其他垃圾投进灰色桶。谢谢您的配合！有疑问可以找网格员。",
        d.month,
        d.day,
        point_of(building)
    );
    let outs = ctx.relay.local_change(ctx.store, id, |doc| {
        ReminderCommand::Send(Box::new(NewReminder {
            grid: home.grid.clone(),
            household: home.household.clone(),
            building: building.into(),
            point: point_of(building),
            flat: home.flat.clone(),
            text,
            by: sender.0.into(),
            by_name: sender.1.into(),
            volunteer: volunteer.map(|(a, b)| (a.into(), b.into())),
        }))
        .apply(doc, at + 2 * HOUR)?;
        if open {
            return Ok(());
        }
        ReminderCommand::Read.apply(doc, at + DAY)?;
        if volunteer.is_some() {
            ReminderCommand::Visited {
                note: "和住户一起把厨余垃圾分出来，讲了绿桶灰桶怎么分".into(),
            }
            .apply(doc, at + 2 * DAY)?;
        }
        ReminderCommand::Close {
            by_name: sender.1.into(),
        }
        .apply(doc, at + 7 * DAY)
    })?;
    ctx.emit(outs);
    Ok(())
}

/// Writes the sorting logs of `grids` (numbers) for the days `[from, to)`, with mixed
/// disposal falling from `trend.0` to `trend.1`, and the reminders of grids with a grid worker
/// (`workers`: grid, person, name). `volunteer` visits one reminder in three. `ids` gives
/// document ids.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    grids: &[usize],
    seats: &[Seat],
    workers: &[(String, String, String)],
    homes: &[Home],
    volunteer: Option<(&str, &str)>,
    (from, to): (Millis, Millis),
    trend: (Millis, Millis),
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<(), SeedError> {
    let first_day = shanghai_day(from);
    let last_day = shanghai_day(to);
    let trend_start = shanghai_day(trend.0);
    let span = (shanghai_day(trend.1) - trend_start).max(1);
    let mut reminders = 0u64;
    for &g in grids {
        let grid = format!("g{g:02}");
        let buildings = buildings_of(ctx, &grid, g);
        let worker = workers.iter().find(|(w, _, _)| *w == grid);
        let mut inspectors: Vec<(&str, &str)> = seats
            .iter()
            .filter(|s| s.grid == grid)
            .map(|s| (s.person.as_str(), s.name.as_str()))
            .collect();
        if let Some((_, p, n)) = worker {
            inspectors.push((p.as_str(), n.as_str()));
        }
        if inspectors.is_empty() {
            continue;
        }
        let mut day = first_day;
        while day < last_day {
            let month = month_of(shanghai_day_start(day));
            let mut end = day;
            while end < last_day && month_of(shanghai_day_start(end)) == month {
                end += 1;
            }
            let month_end = shanghai_day_start(end).min(to);
            let log = ids(rng);
            // Reminders to send once the month's log is written: (id, home, building, at).
            let mut sends: Vec<(DocumentId, usize, String, Millis)> = Vec::new();
            let outs = ctx.relay.local_change(ctx.store, log, |d| {
                open_log(d, &grid, &month)?;
                let mut follow_ups: Vec<(InspectionDraft, Millis)> = Vec::new();
                for day in day..end {
                    // Mondays.
                    if iso_weekday(day) != 1 {
                        continue;
                    }
                    // About 30% mixed at first, 70% fewer by the end.
                    let progress = ((day - trend_start) * 1000 / span).clamp(0, 1000);
                    let mixed_permille = 300 - 210 * progress / 1000;
                    for building in &buildings {
                        let (by, by_name) = inspectors[rng.below(inspectors.len() as u64) as usize];
                        let at = shanghai_day_start(day) + 7 * HOUR + rng.below(90) as i64 * MINUTE;
                        let mixed = (rng.below(1000) as i64) < mixed_permille;
                        let number = building.trim_end_matches("号楼");
                        let here: Vec<usize> = homes
                            .iter()
                            .enumerate()
                            .filter(|(_, h)| {
                                h.grid == grid && h.flat.split('-').next() == Some(number)
                            })
                            .map(|(k, _)| k)
                            .collect();
                        let home = (mixed && !here.is_empty() && rng.below(2) == 0)
                            .then(|| here[rng.below(here.len() as u64) as usize]);
                        let flat = home.map(|k| homes[k].flat.clone()).unwrap_or_default();
                        // Where the grid worker can tell the flat, a reminder goes with it.
                        let reminder = match (home, worker) {
                            (Some(k), Some(_)) => {
                                let id = ids(rng);
                                sends.push((id, k, building.clone(), at));
                                if at + 7 * DAY < month_end && at + 7 * DAY < to - 21 * DAY {
                                    follow_ups.push((
                                        InspectionDraft {
                                            building: building.clone(),
                                            point: point_of(building),
                                            result: Some(SortResult::Sorted),
                                            flat: flat.clone(),
                                            note: "复查：已分类投放".into(),
                                            follows: id.to_string(),
                                            ..Default::default()
                                        },
                                        at + 7 * DAY,
                                    ));
                                }
                                id.to_string()
                            }
                            _ => String::new(),
                        };
                        let draft = InspectionDraft {
                            building: building.clone(),
                            point: point_of(building),
                            result: Some(if mixed {
                                SortResult::Mixed
                            } else {
                                SortResult::Sorted
                            }),
                            flat,
                            note: if mixed {
                                NOTES[rng.below(NOTES.len() as u64) as usize].into()
                            } else {
                                String::new()
                            },
                            reminder,
                            ..Default::default()
                        };
                        inspect(d, by, by_name, &draft, at)?;
                    }
                }
                if let Some((_, person, name)) = worker {
                    for (draft, at) in follow_ups {
                        inspect(d, person, name, &draft, at)?;
                    }
                }
                Ok(())
            })?;
            ctx.emit(outs);
            if let Some((_, person, name)) = worker {
                for (id, k, building, at) in sends {
                    reminders += 1;
                    let visit = volunteer.filter(|_| reminders.is_multiple_of(3));
                    let open = at > to - 21 * DAY;
                    remind(
                        ctx,
                        id,
                        &homes[k],
                        &building,
                        at,
                        (person, name),
                        visit,
                        open,
                    )?;
                }
            }
            day = end;
        }
    }
    Ok(())
}

/// One more mixed finding at `at` in the home's grid (in its latest log), with an open,
/// unread reminder to the household and a visit asked of `volunteer`: what the demo's elder
/// and volunteer find on their home screens.
pub(super) fn feature(
    ctx: &mut HubCtx<'_>,
    home: &Home,
    sender: (&str, &str),
    volunteer: (&str, &str),
    at: Millis,
    id: DocumentId,
) -> Result<(), SeedError> {
    let month = month_of(at);
    let Some(log) = ctx
        .relay
        .documents()
        .filter(|(_, m)| {
            m.scope.kind == Some(linli_shared::domain::DocKind::Sorting)
                && m.scope.grid.as_deref() == Some(home.grid.as_str())
        })
        .map(|(id, _)| *id)
        .collect::<Vec<_>>()
        .into_iter()
        .find(|id| {
            ctx.relay
                .document(ctx.store, id)
                .ok()
                .flatten()
                .and_then(|d| linli_shared::domain::sorting::SortingLog::read(&d).ok())
                .is_some_and(|l| l.month == month)
        })
    else {
        return Ok(());
    };
    let building = format!("{}号楼", home.flat.split('-').next().unwrap_or_default());
    let draft = InspectionDraft {
        building: building.clone(),
        point: point_of(&building),
        result: Some(SortResult::Mixed),
        flat: home.flat.clone(),
        note: NOTES[1].into(),
        reminder: id.to_string(),
        ..Default::default()
    };
    let outs = ctx.relay.local_change(ctx.store, log, |d| {
        inspect(d, sender.0, sender.1, &draft, at).map(|_| ())
    })?;
    ctx.emit(outs);
    remind(ctx, id, home, &building, at, sender, Some(volunteer), true)
}
