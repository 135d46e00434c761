//! Planned versus done: for a week (Monday to Sunday, Shanghai time), per round, how many
//! rounds the grid's plan asked for and how many planned slots a logged round filled. A
//! round walked on a day it was not planned counts as extra, never as making up a missed one.

use serde::{Deserialize, Serialize};

use super::PatrolRound;
use crate::domain::grid::{GridInfo, Round};
use crate::time::{Millis, civil_from_days, shanghai_day, shanghai_day_start};

/// One round kind's week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRow {
    pub round: Round,
    /// Slots the plan asked for (days, up to today within the week when it is this week).
    pub planned: u32,
    /// Planned slots filled by at least one logged round.
    pub done: u32,
    /// Rounds walked on days they were not planned.
    pub extra: u32,
}

/// ISO weekday (1 = Monday … 7 = Sunday) of a Shanghai calendar day (days since 1970-01-01,
/// a Thursday).
pub fn iso_weekday(day: i64) -> u8 {
    ((day + 3).rem_euclid(7) + 1) as u8
}

/// The Shanghai day (days since 1970-01-01) on which the week containing `at` starts.
pub fn week_start(at: Millis) -> i64 {
    let day = shanghai_day(at);
    day - i64::from(iso_weekday(day)) + 1
}

/// The `YYYY-MM` of an instant, Shanghai time (which month's log a round goes into).
pub fn month_of(at: Millis) -> String {
    let (y, m, _) = civil_from_days(shanghai_day(at));
    format!("{y:04}-{m:02}")
}

/// The week starting on Shanghai day `monday`, counted up to `now` (days after today are
/// not yet due), from the grid's plan and every round logged (from all of its logs).
pub fn week_report<'a>(
    grid: &GridInfo,
    rounds: impl IntoIterator<Item = &'a PatrolRound>,
    monday: i64,
    now: Millis,
) -> Vec<WeekRow> {
    let today = shanghai_day(now);
    let days: Vec<i64> = (monday..monday + 7).filter(|d| *d <= today).collect();
    let walked: Vec<(Round, i64)> = rounds
        .into_iter()
        .filter(|r| r.at >= shanghai_day_start(monday) && r.at < shanghai_day_start(monday + 7))
        .map(|r| (r.round, shanghai_day(r.at)))
        .collect();
    Round::ALL
        .into_iter()
        .map(|round| {
            let plan = grid.planned(round);
            let planned_days: Vec<i64> = days
                .iter()
                .copied()
                .filter(|d| plan.contains(&iso_weekday(*d)))
                .collect();
            let done = planned_days
                .iter()
                .filter(|d| walked.iter().any(|(r, wd)| *r == round && wd == *d))
                .count() as u32;
            let extra = walked
                .iter()
                .filter(|(r, wd)| *r == round && !plan.contains(&iso_weekday(*wd)))
                .count() as u32;
            WeekRow {
                round,
                planned: planned_days.len() as u32,
                done,
                extra,
            }
        })
        .collect()
}
