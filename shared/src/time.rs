//! Time as plain numbers. `shared/` never reads a clock: callers pass `now`.
//!
//! All instants are milliseconds since the Unix epoch (UTC). Wall-clock display uses
//! China Standard Time (Asia/Shanghai, UTC+8, no daylight saving since 1991).

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

/// Asia/Shanghai's offset from UTC.
pub const SHANGHAI_OFFSET: Millis = 8 * HOUR;

/// A calendar date and time of day in Asia/Shanghai.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl LocalDateTime {
    /// The Shanghai wall-clock time of an instant.
    pub fn shanghai(at: Millis) -> Self {
        let local = at + SHANGHAI_OFFSET;
        let days = local.div_euclid(DAY);
        let in_day = local.rem_euclid(DAY);
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (in_day / HOUR) as u32,
            minute: ((in_day % HOUR) / MINUTE) as u32,
        }
    }

    /// `2026-11-26 18:05`
    pub fn format(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }

    /// `11-26 18:05`: for cards, where the year is obvious.
    pub fn format_short(&self) -> String {
        format!(
            "{:02}-{:02} {:02}:{:02}",
            self.month, self.day, self.hour, self.minute
        )
    }
}

/// The instant at which a Shanghai calendar day starts.
pub fn shanghai_midnight(year: i32, month: u32, day: u32) -> Millis {
    days_from_civil(year, month, day) * DAY - SHANGHAI_OFFSET
}

/// The Shanghai calendar day of an instant, as days since 1970-01-01 (the inverse of
/// [`shanghai_day_start`]).
pub fn shanghai_day(at: Millis) -> i64 {
    (at + SHANGHAI_OFFSET).div_euclid(DAY)
}

/// The instant at which a Shanghai calendar day (days since 1970-01-01) starts.
pub fn shanghai_day_start(day: i64) -> Millis {
    day * DAY - SHANGHAI_OFFSET
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shanghai_is_eight_hours_ahead_of_utc() {
        // 2026-11-26T16:30:00Z is 2026-11-27 00:30 in Shanghai.
        let at = days_from_civil(2026, 11, 26) * DAY + 16 * HOUR + 30 * MINUTE;
        assert_eq!(LocalDateTime::shanghai(at).format(), "2026-11-27 00:30");
    }

    #[test]
    fn midnight_in_shanghai_is_four_pm_utc_the_day_before() {
        let m = shanghai_midnight(2026, 1, 1);
        assert_eq!(
            LocalDateTime::shanghai(m),
            LocalDateTime {
                year: 2026,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0
            }
        );
        assert_eq!(m, days_from_civil(2025, 12, 31) * DAY + 16 * HOUR);
    }

    proptest! {
        #[test]
        fn civil_days_round_trip(days in -1_000_000i64..1_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
