//! China's working-day calendar: which days are public holidays 放假 and which weekend days
//! are make-up working days 调休上班, as the State Council's General Office 国务院办公厅
//! publishes them each year, plus the dates a community's staff added themselves (so a new
//! year's schedule can be entered without a new release of the app).
//!
//! Source of the shipped table: the npm package `chinese-days` 1.5.7 (`dist/years/2026.json`,
//! its `holidays` and `workdays` keys), cross-checked date by date against the PyPI package
//! `chinese-calendar` 1.11.0 (`chinese_calendar/constants.py`, `holidays` and `workdays`);
//! both agree for 2026. Neither holds 2027 (its schedule was not in either at the time of
//! writing), so days of years outside [`TABLE_YEARS`] count Monday to Friday as working days
//! until staff add that year's dates.
//!
//! Days are counted as days since 1970-01-01 of the Asia/Shanghai calendar date
//! ([`crate::time::days_from_civil`]).

use crate::time::{civil_from_days, days_from_civil};

/// The years the shipped table covers in full.
pub const TABLE_YEARS: &[i32] = &[2026];

/// Public holidays 放假 of the shipped table, sorted.
const HOLIDAYS: &[(i32, u32, u32)] = &[
    // 元旦 New Year's Day
    (2026, 1, 1),
    (2026, 1, 2),
    (2026, 1, 3),
    // 春节 Spring Festival
    (2026, 2, 15),
    (2026, 2, 16),
    (2026, 2, 17),
    (2026, 2, 18),
    (2026, 2, 19),
    (2026, 2, 20),
    (2026, 2, 21),
    (2026, 2, 22),
    (2026, 2, 23),
    // 清明 Tomb-sweeping Day
    (2026, 4, 4),
    (2026, 4, 5),
    (2026, 4, 6),
    // 劳动节 Labour Day
    (2026, 5, 1),
    (2026, 5, 2),
    (2026, 5, 3),
    (2026, 5, 4),
    (2026, 5, 5),
    // 端午 Dragon Boat Festival
    (2026, 6, 19),
    (2026, 6, 20),
    (2026, 6, 21),
    // 中秋 Mid-autumn Festival
    (2026, 9, 25),
    (2026, 9, 26),
    (2026, 9, 27),
    // 国庆 National Day
    (2026, 10, 1),
    (2026, 10, 2),
    (2026, 10, 3),
    (2026, 10, 4),
    (2026, 10, 5),
    (2026, 10, 6),
    (2026, 10, 7),
];

/// Make-up working days 调休上班 (weekend days worked) of the shipped table, sorted.
const MAKEUP_WORKDAYS: &[(i32, u32, u32)] = &[
    (2026, 1, 4),   // Sunday, for 元旦
    (2026, 2, 14),  // Saturday, for 春节
    (2026, 2, 28),  // Saturday, for 春节
    (2026, 5, 9),   // Saturday, for 劳动节
    (2026, 9, 20),  // Sunday, for 国庆
    (2026, 10, 10), // Saturday, for 国庆
];

/// What staff may add to the table for one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday 放假: not a working day even on a weekday.
    Holiday,
    /// A make-up working day 调休上班: a working day even on a weekend.
    Workday,
}

/// The shipped table's holidays, as `YYYY-MM-DD` (for the first paint's copy and display).
pub fn table_holidays() -> impl Iterator<Item = String> {
    HOLIDAYS.iter().map(|&(y, m, d)| format_date(y, m, d))
}

/// The shipped table's make-up working days, as `YYYY-MM-DD`.
pub fn table_workdays() -> impl Iterator<Item = String> {
    MAKEUP_WORKDAYS
        .iter()
        .map(|&(y, m, d)| format_date(y, m, d))
}

fn format_date(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format_date(y, m, d)
}

/// Parses a `YYYY-MM-DD` date of the years 2000 to 2100 into a day number; `None` for
/// anything else (a day that does not exist, such as 2027-02-30, included).
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        s.get(r.clone())
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?
            .parse()
            .ok()
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let day = days_from_civil(y as i32, m, d);
    (civil_from_days(day) == (y as i32, m, d)).then_some(day)
}

/// Monday to Friday (1970-01-01 was a Thursday).
fn is_weekday(day: i64) -> bool {
    !matches!(day.rem_euclid(7), 2 | 3)
}

/// Whether the day is a working day: staff's own dates first (a date in both lists counts
/// as a working day), then the shipped table, then Monday to Friday.
pub fn is_working_day(day: i64, extra_holidays: &[String], extra_workdays: &[String]) -> bool {
    let ymd = civil_from_days(day);
    if !extra_holidays.is_empty() || !extra_workdays.is_empty() {
        let staff = |list: &[String]| list.iter().any(|s| parse_date(s) == Some(day));
        if staff(extra_workdays) {
            return true;
        }
        if staff(extra_holidays) {
            return false;
        }
    }
    if MAKEUP_WORKDAYS.binary_search(&ymd).is_ok() {
        return true;
    }
    if HOLIDAYS.binary_search(&ymd).is_ok() {
        return false;
    }
    is_weekday(day)
}

/// Whether the shipped table covers the year of this day.
pub fn table_covers(day: i64) -> bool {
    TABLE_YEARS.contains(&civil_from_days(day).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    #[test]
    fn weekdays_are_monday_to_friday() {
        // 2026-11-30 is a Monday.
        let mon = day(2026, 11, 30);
        let names: Vec<bool> = (0..7).map(|i| is_weekday(mon + i)).collect();
        assert_eq!(names, [true, true, true, true, true, false, false]);
    }

    #[test]
    fn the_table_is_sorted_and_its_make_up_days_fall_on_weekends() {
        for t in [HOLIDAYS, MAKEUP_WORKDAYS] {
            assert!(t.windows(2).all(|w| w[0] < w[1]));
        }
        for &(y, m, d) in MAKEUP_WORKDAYS {
            assert!(!is_weekday(day(y, m, d)), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2026-02-14"), Some(day(2026, 2, 14)));
        assert_eq!(parse_date(" 2027-10-01 "), Some(day(2027, 10, 1)));
        for bad in [
            "2027-02-30",
            "2027-2-3",
            "2027/02/03",
            "27-02-03xx",
            "1999-01-01",
            "",
            "２０２７-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(format_day(day(2026, 2, 14)), "2026-02-14");
    }

    #[test]
    fn staff_dates_override_the_table() {
        let sat = day(2026, 2, 14);
        assert!(is_working_day(sat, &[], &[]), "a make-up Saturday");
        assert!(!is_working_day(sat, &["2026-02-14".into()], &[]));
        assert!(!is_working_day(day(2026, 2, 16), &[], &[]), "春节");
        assert!(is_working_day(
            day(2026, 2, 16),
            &[],
            &["2026-02-16".into()]
        ));
        assert!(table_covers(sat));
        assert!(!table_covers(day(2027, 1, 1)));
    }
}
