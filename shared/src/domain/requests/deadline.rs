//! Three-colour answer windows 三色管理: when a request is due, how long is left, whether it
//! is overdue, and the order of a grid worker's queue. The clock is always an argument.
//!
//! A community counts its windows in calendar hours (the default) or in working days
//! ([`DeadlineMode`]); [`due_at`] states both rules. Everything downstream (overdue, due
//! soon, the queue order, overdue per grid) follows from the due instant.
//!
//! A device's clock can be wrong by hours. The app corrects it with the relay's clock, learned
//! at every connection ([`ClockSkew`]), and passes the corrected `now` here.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::{Colour, Request, Status};
use crate::domain::community::{DeadlineConfig, DeadlineMode};
use crate::time::{HOUR, MINUTE, Millis, shanghai_day, shanghai_day_start};

/// The longest stretch of days searched for working days: far beyond any window staff can
/// set, so only a table that marks years of days as holidays reaches it.
const SEARCH_DAYS: i64 = 3_660;

/// When a window that started at `start` (filing, or the last reopening) closes, for a
/// request of this colour.
///
/// - Calendar mode: `start` plus the colour's hours, to the millisecond.
/// - Working-day mode, N working days: let F be the Asia/Shanghai calendar day of `start`.
///   The request is due at 24:00 Shanghai time (00:00 of the next day) at the end of the
///   N-th working day strictly after F. The filing day never counts, whatever the hour and
///   whether or not it is a working day; so a request filed on a weekend or a holiday
///   starts counting from the next working day. Working days are Monday to Friday less
///   public holidays, plus make-up working days (调休上班), from the shipped table and the
///   community's own dates ([`DeadlineConfig::is_working_day`]).
pub fn due_at(start: Millis, colour: Colour, cfg: &DeadlineConfig) -> Millis {
    match cfg.mode {
        DeadlineMode::Calendar => start + cfg.hours(colour) * HOUR,
        DeadlineMode::WorkingDays => {
            let n = cfg.workdays.days(colour).max(1);
            let first = shanghai_day(start);
            let mut day = first;
            let mut counted = 0;
            while counted < n && day - first < SEARCH_DAYS {
                day += 1;
                if cfg.is_working_day(day) {
                    counted += 1;
                }
            }
            shanghai_day_start(day + 1)
        }
    }
}

/// Working days left at `now` before the deadline `due_at` (working-day mode): the working
/// days after today up to and including the due day. 0 on the due day itself, when the
/// countdown is in hours.
pub fn working_days_left(due_at: Millis, now: Millis, cfg: &DeadlineConfig) -> i64 {
    let today = shanghai_day(now);
    let due_day = shanghai_day(due_at - 1);
    let last = due_day.min(today + SEARCH_DAYS);
    ((today + 1)..=last)
        .filter(|d| cfg.is_working_day(*d))
        .count() as i64
}

/// Where a request stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// Not answered yet; more than a quarter of the window (or 12 hours) left.
    OnTrack,
    /// Not answered yet; less than a quarter of the window (or 12 hours) left.
    DueSoon,
    /// Not answered, deadline passed: escalated to staff.
    Overdue,
    /// First substantive answer came in time.
    AnsweredOnTime,
    /// First substantive answer came after the deadline.
    AnsweredLate,
}

impl Due {
    pub fn is_overdue(self) -> bool {
        self == Due::Overdue
    }
}

/// A request's deadline and where it stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub due_at: Millis,
    /// Milliseconds left until `due_at` (negative once passed).
    pub remaining: Millis,
    pub due: Due,
    /// In working-day mode, while an answer is owed and not yet overdue: the working days
    /// left after today ([`working_days_left`]); `None` otherwise (count in hours).
    pub working_days_left: Option<i64>,
}

/// Assesses a request against its colour's window at `now`.
///
/// Due soon: in calendar mode, less than a quarter of the window (at most 12 hours) left;
/// in working-day mode, the due day itself (no working day left after today).
pub fn assess(req: &Request, cfg: &DeadlineConfig, now: Millis) -> Assessment {
    let due_at = req.deadline(cfg);
    let remaining = due_at - now;
    let owed = req.answer_since_clock().is_none() && req.status() != Status::Resolved;
    let working_days_left = (cfg.mode == DeadlineMode::WorkingDays && owed && remaining >= 0)
        .then(|| working_days_left(due_at, now, cfg));
    let soon = match working_days_left {
        Some(left) => left == 0,
        None => remaining < (cfg.hours(req.colour_now()) * HOUR / 4).min(12 * HOUR),
    };
    let due = match req.answer_since_clock() {
        Some(at) if at <= due_at => Due::AnsweredOnTime,
        Some(_) => Due::AnsweredLate,
        None if req.status() == Status::Resolved => Due::AnsweredOnTime,
        None if remaining < 0 => Due::Overdue,
        None if soon => Due::DueSoon,
        None => Due::OnTrack,
    };
    Assessment {
        due_at,
        remaining,
        due,
        working_days_left,
    }
}

/// Overdue open requests per grid, for staff (escalation): grid → request ids, most overdue
/// first.
pub fn overdue_by_grid<'a, K: Clone + 'a>(
    items: impl IntoIterator<Item = (K, &'a Request, &'a Assessment)>,
) -> std::collections::BTreeMap<String, Vec<K>> {
    let mut out: std::collections::BTreeMap<String, Vec<(Millis, K)>> = Default::default();
    for (k, r, a) in items {
        if a.due.is_overdue() && r.status().is_open() {
            out.entry(r.grid.clone())
                .or_default()
                .push((a.remaining, k));
        }
    }
    out.into_iter()
        .map(|(g, mut v)| {
            v.sort_by_key(|(rem, _)| *rem);
            (g, v.into_iter().map(|(_, k)| k).collect())
        })
        .collect()
}

/// The grid worker's queue order: open requests only; unanswered before answered; overdue
/// first (most overdue first), then by deadline; ties by filing time.
pub fn queue_order(a: (&Request, &Assessment), b: (&Request, &Assessment)) -> Ordering {
    let rank = |r: &Request, s: &Assessment| -> u8 {
        match s.due {
            Due::Overdue => 0,
            Due::DueSoon | Due::OnTrack => 1,
            _ if r.status().is_open() => 2,
            _ => 3,
        }
    };
    rank(a.0, a.1)
        .cmp(&rank(b.0, b.1))
        .then(a.1.due_at.cmp(&b.1.due_at))
        .then(a.0.filed_at.cmp(&b.0.filed_at))
}

/// A countdown broken into parts, for "还剩 1天 3小时" / "超期 5小时".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Countdown {
    pub overdue: bool,
    pub days: i64,
    pub hours: i64,
    pub minutes: i64,
}

impl Countdown {
    pub fn of(remaining: Millis) -> Self {
        let overdue = remaining < 0;
        let r = remaining.abs();
        Countdown {
            overdue,
            days: r / (24 * HOUR),
            hours: (r % (24 * HOUR)) / HOUR,
            minutes: (r % HOUR) / MINUTE,
        }
    }
}

/// The difference between the relay's clock and this device's, learned at each connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClockSkew {
    /// Add this to the device's clock to get the relay's.
    pub offset: Millis,
}

impl ClockSkew {
    /// Skews under a few seconds are network noise, not a wrong clock; ignore them.
    const NOISE: Millis = 5_000;

    /// Learns the skew from one exchange: the device's clock when it sent `join` and when the
    /// `peer` reply came back, and the relay's clock in that reply.
    pub fn learn(device_sent: Millis, device_received: Millis, relay_now: Millis) -> Self {
        let midpoint = device_sent + (device_received - device_sent).max(0) / 2;
        let offset = relay_now - midpoint;
        ClockSkew {
            offset: if offset.abs() < Self::NOISE {
                0
            } else {
                offset
            },
        }
    }

    /// The relay's time, as best this device knows it.
    pub fn now(&self, device_now: Millis) -> Millis {
        device_now + self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::community::WorkdayCounts;
    use crate::domain::requests::{Event, EventKind};
    use crate::time::{DAY, LocalDateTime, shanghai_midnight};

    fn req(colour: Colour, filed_at: Millis) -> Request {
        Request {
            title: "t".into(),
            description: String::new(),
            category: "other".into(),
            colour,
            photos: Vec::new(),
            grid: "g01".into(),
            household: "h".into(),
            subject: "p".into(),
            filed_by: "p".into(),
            filed_by_name: String::new(),
            filed_at,
            source: String::new(),
            events: Vec::new(),
        }
    }

    fn answered(mut r: Request, at: Millis) -> Request {
        r.events.push(Event {
            id: "1@a".into(),
            at,
            by: "w".into(),
            by_name: String::new(),
            kind: EventKind::Answer {
                text: "ok".into(),
                substantive: true,
            },
            photos: Vec::new(),
        });
        r
    }

    const CFG: DeadlineConfig = DeadlineConfig {
        red: 48,
        yellow: 120,
        blue: 360,
        mode: DeadlineMode::Calendar,
        workdays: WorkdayCounts::DEFAULT,
        extra_holidays: Vec::new(),
        extra_workdays: Vec::new(),
    };

    #[test]
    fn each_colour_is_due_at_its_window_and_overdue_one_millisecond_later() {
        for (colour, hours) in [
            (Colour::Red, 48),
            (Colour::Yellow, 120),
            (Colour::Blue, 360),
        ] {
            let r = req(colour, 1_000);
            let due = 1_000 + hours * HOUR;
            assert_eq!(assess(&r, &CFG, due).due_at, due);
            assert_ne!(
                assess(&r, &CFG, due).due,
                Due::Overdue,
                "{colour:?} at deadline"
            );
            assert_eq!(
                assess(&r, &CFG, due + 1).due,
                Due::Overdue,
                "{colour:?} after"
            );
        }
    }

    #[test]
    fn due_soon_starts_twelve_hours_before_for_red() {
        let r = req(Colour::Red, 0);
        assert_eq!(assess(&r, &CFG, 36 * HOUR).due, Due::OnTrack);
        assert_eq!(assess(&r, &CFG, 36 * HOUR + 1).due, Due::DueSoon);
    }

    #[test]
    fn an_answer_at_the_deadline_is_on_time_and_one_after_is_late() {
        let r = req(Colour::Red, 0);
        assert_eq!(
            assess(&answered(r.clone(), 48 * HOUR), &CFG, DAY * 9).due,
            Due::AnsweredOnTime
        );
        assert_eq!(
            assess(&answered(r, 48 * HOUR + 1), &CFG, DAY * 9).due,
            Due::AnsweredLate
        );
    }

    #[test]
    fn staff_can_lengthen_a_colours_window() {
        let cfg = DeadlineConfig { red: 72, ..CFG };
        assert_eq!(
            assess(&req(Colour::Red, 0), &cfg, 60 * HOUR).due,
            Due::OnTrack
        );
    }

    #[test]
    fn deadlines_are_instants_so_shanghai_midnight_does_not_shift_them() {
        // Filed at 23:30 Shanghai time: a red request is due at 23:30 two days later.
        let filed = shanghai_midnight(2026, 11, 26) + 23 * HOUR + 30 * MINUTE;
        let a = assess(&req(Colour::Red, filed), &CFG, filed);
        assert_eq!(
            LocalDateTime::shanghai(a.due_at).format(),
            "2026-11-28 23:30"
        );
    }

    #[test]
    fn queue_puts_overdue_first_then_by_deadline_then_answered() {
        let now = 100 * HOUR;
        let overdue = req(Colour::Red, 0); // due at 48h
        let blue = req(Colour::Blue, 90 * HOUR);
        let yellow = req(Colour::Yellow, 90 * HOUR);
        let done = answered(req(Colour::Red, 99 * HOUR), 99 * HOUR);
        let mut items: Vec<(Request, Assessment)> = [blue, done, yellow, overdue]
            .into_iter()
            .map(|r| {
                let a = assess(&r, &CFG, now);
                (r, a)
            })
            .collect();
        items.sort_by(|a, b| queue_order((&a.0, &a.1), (&b.0, &b.1)));
        let colours: Vec<Colour> = items.iter().map(|(r, _)| r.colour).collect();
        assert_eq!(
            colours,
            [Colour::Red, Colour::Yellow, Colour::Blue, Colour::Red]
        );
        assert_eq!(items[0].1.due, Due::Overdue);
    }

    #[test]
    fn countdown_breaks_into_days_hours_minutes_both_ways() {
        assert_eq!(
            Countdown::of(DAY + 3 * HOUR + 5 * MINUTE),
            Countdown {
                overdue: false,
                days: 1,
                hours: 3,
                minutes: 5
            }
        );
        assert_eq!(
            Countdown::of(-(5 * HOUR)),
            Countdown {
                overdue: true,
                days: 0,
                hours: 5,
                minutes: 0
            }
        );
    }

    #[test]
    fn a_device_clock_three_hours_slow_is_corrected_by_the_relays() {
        let relay_now = 1_000 * HOUR;
        let device_now = relay_now - 3 * HOUR;
        let skew = ClockSkew::learn(device_now, device_now + 200, relay_now + 100);
        assert_eq!(skew.now(device_now + 200), relay_now + 100 + 100);
        // Judged by the device clock, a red request filed 47h ago (relay time) looks fine;
        // with the correction it is overdue as it should be at 49h.
        let r = req(Colour::Red, relay_now - 47 * HOUR);
        let later = device_now + 2 * HOUR;
        assert_eq!(assess(&r, &CFG, later).due, Due::DueSoon);
        assert_eq!(assess(&r, &CFG, skew.now(later)).due, Due::Overdue);
    }

    fn with(mut r: Request, at: Millis, kind: EventKind) -> Request {
        let id = format!("{}@e", r.events.len());
        r.events.push(Event {
            id,
            at,
            by: "w".into(),
            by_name: String::new(),
            kind,
            photos: Vec::new(),
        });
        r
    }

    #[test]
    fn re_colouring_changes_the_window_but_not_the_start() {
        let r = req(Colour::Blue, 0);
        assert_eq!(assess(&r, &CFG, 0).due_at, 360 * HOUR);
        let r = with(
            r,
            10,
            EventKind::Recolour {
                to: Colour::Red,
                reason: "漏电".into(),
            },
        );
        assert_eq!(r.colour_now(), Colour::Red);
        assert_eq!(r.colour, Colour::Blue, "as filed");
        assert_eq!(assess(&r, &CFG, 49 * HOUR).due, Due::Overdue);
    }

    #[test]
    fn a_reopened_request_owes_a_new_answer_from_the_reopening() {
        let r = answered(req(Colour::Red, 0), HOUR);
        let r = with(
            r,
            2 * HOUR,
            EventKind::Status {
                to: Status::Resolved,
            },
        );
        assert_eq!(assess(&r, &CFG, 10 * DAY).due, Due::AnsweredOnTime);
        let reopened = with(
            r,
            3 * DAY,
            EventKind::Reopen {
                reason: "又坏了".into(),
            },
        );
        assert_eq!(reopened.status(), Status::Accepted);
        let a = assess(&reopened, &CFG, 3 * DAY + HOUR);
        assert_eq!(a.due_at, 3 * DAY + 48 * HOUR);
        assert_eq!(a.due, Due::OnTrack, "the old answer does not count again");
        assert_eq!(assess(&reopened, &CFG, 6 * DAY).due, Due::Overdue);
        // The on-time rate still looks at the first answer from filing.
        assert_eq!(reopened.first_answer_at(), Some(HOUR));
    }

    #[test]
    fn reopening_is_open_for_thirty_days_after_resolution() {
        let r = with(
            req(Colour::Yellow, 0),
            DAY,
            EventKind::Status {
                to: Status::Resolved,
            },
        );
        assert!(r.may_reopen(DAY + 30 * DAY));
        assert!(!r.may_reopen(DAY + 30 * DAY + 1));
        assert!(
            !req(Colour::Yellow, 0).may_reopen(DAY),
            "only resolved requests"
        );
    }

    #[test]
    fn staff_see_overdue_requests_per_grid_most_overdue_first() {
        let mut a = req(Colour::Red, 0);
        a.grid = "g07".into();
        let mut b = req(Colour::Red, 10 * HOUR);
        b.grid = "g07".into();
        let mut c = req(Colour::Red, 0);
        c.grid = "g03".into();
        let fresh = req(Colour::Blue, 0);
        let now = 100 * HOUR;
        let all: Vec<(u8, Request)> = vec![(1, b), (2, a), (3, c), (4, fresh)];
        let assessed: Vec<(u8, &Request, Assessment)> = all
            .iter()
            .map(|(k, r)| (*k, r, assess(r, &CFG, now)))
            .collect();
        let by = overdue_by_grid(assessed.iter().map(|(k, r, a)| (*k, *r, a)));
        assert_eq!(by.get("g07"), Some(&vec![2, 1]));
        assert_eq!(by.get("g03"), Some(&vec![3]));
        assert_eq!(by.len(), 2);
    }

    #[test]
    fn network_noise_is_not_taken_for_skew() {
        assert_eq!(ClockSkew::learn(0, 800, 2_000).offset, 0);
    }

    // ---- Working days: known answers across 2026's Spring Festival and National Day (the
    // shipped table), and 2027 (not in the table: Monday to Friday, or staff's own dates).

    fn working() -> DeadlineConfig {
        DeadlineConfig {
            mode: DeadlineMode::WorkingDays,
            ..DeadlineConfig::default()
        }
    }

    /// A Shanghai wall-clock instant.
    fn at(y: i32, m: u32, d: u32, hour: i64) -> Millis {
        shanghai_midnight(y, m, d) + hour * HOUR
    }

    fn due(colour: Colour, filed: Millis, cfg: &DeadlineConfig) -> String {
        LocalDateTime::shanghai(assess(&req(colour, filed), cfg, filed).due_at).format()
    }

    #[test]
    fn spring_festival_2026_counts_the_make_up_saturday_and_skips_the_holiday() {
        let cfg = working();
        // Filed Friday 13 February: Saturday the 14th is a make-up working day (1), 15–23
        // are the holiday, Tuesday the 24th is the second: due at its end.
        assert_eq!(
            due(Colour::Red, at(2026, 2, 13, 10), &cfg),
            "2026-02-25 00:00"
        );
        // Yellow from Thursday the 12th: 13, 14 (make-up), 24, 25, 26.
        assert_eq!(
            due(Colour::Yellow, at(2026, 2, 12, 15), &cfg),
            "2026-02-27 00:00"
        );
        // Blue from the 13th: 14, 24–27, Saturday 28 (make-up), 2–6 March, 9–12 March.
        assert_eq!(
            due(Colour::Blue, at(2026, 2, 13, 10), &cfg),
            "2026-03-13 00:00"
        );
    }

    #[test]
    fn a_request_filed_on_a_holiday_starts_counting_at_the_next_working_day() {
        let cfg = working();
        // Tuesday 17 February 2026 is 春节: the 24th and the 25th count.
        assert_eq!(
            due(Colour::Red, at(2026, 2, 17, 9), &cfg),
            "2026-02-26 00:00"
        );
        // Filed late on 1 October (国庆): 8 and 9 October count.
        assert_eq!(
            due(Colour::Red, at(2026, 10, 1, 23), &cfg),
            "2026-10-10 00:00"
        );
    }

    #[test]
    fn a_request_filed_on_a_make_up_saturday_does_not_count_that_day() {
        // Saturday 28 February 2026 is worked, but the filing day never counts.
        assert_eq!(
            due(Colour::Red, at(2026, 2, 28, 10), &working()),
            "2026-03-04 00:00"
        );
    }

    #[test]
    fn national_day_2026_skips_the_golden_week_and_counts_both_make_up_days() {
        let cfg = working();
        // Wednesday 30 September: 1–7 October are the holiday; 8, 9, Saturday 10 (make-up),
        // 12, 13.
        assert_eq!(
            due(Colour::Red, at(2026, 9, 30, 16), &cfg),
            "2026-10-10 00:00"
        );
        assert_eq!(
            due(Colour::Yellow, at(2026, 9, 30, 16), &cfg),
            "2026-10-14 00:00"
        );
        // Friday 18 September: Sunday the 20th is a make-up working day, then Monday.
        assert_eq!(
            due(Colour::Red, at(2026, 9, 18, 11), &cfg),
            "2026-09-22 00:00"
        );
        // Thursday 24 September: 中秋 25–27, then Monday 28 and Tuesday 29.
        assert_eq!(
            due(Colour::Red, at(2026, 9, 24, 11), &cfg),
            "2026-09-30 00:00"
        );
    }

    #[test]
    fn a_year_outside_the_table_counts_monday_to_friday_until_staff_add_its_dates() {
        let mut cfg = working();
        let spring = at(2027, 2, 4, 10); // Thursday, before 2027's Spring Festival
        let national = at(2027, 9, 30, 10); // Thursday
        assert!(cfg.year_unknown(shanghai_day(spring)));
        assert_eq!(due(Colour::Red, spring, &cfg), "2027-02-09 00:00");
        assert_eq!(due(Colour::Red, national, &cfg), "2027-10-05 00:00");
        // Staff enter that year's schedule as the notice gives it (illustrative dates).
        for d in 8..=12 {
            cfg.extra_holidays.push(format!("2027-02-{d:02}"));
        }
        for d in 1..=7 {
            cfg.extra_holidays.push(format!("2027-10-{d:02}"));
        }
        cfg.extra_workdays.push("2027-10-09".into()); // a Saturday worked
        assert!(!cfg.year_unknown(shanghai_day(spring)));
        // Friday 5 February (1), 8–12 off, Monday 15 (2).
        assert_eq!(due(Colour::Red, spring, &cfg), "2027-02-16 00:00");
        // 1–7 October off, Friday 8 (1), Saturday 9 worked (2).
        assert_eq!(due(Colour::Red, national, &cfg), "2027-10-10 00:00");
    }

    #[test]
    fn the_working_day_countdown_counts_days_after_today_then_hours_on_the_due_day() {
        let cfg = working();
        let r = req(Colour::Red, at(2026, 2, 13, 10)); // due 2026-02-25 00:00
        let a = assess(&r, &cfg, at(2026, 2, 13, 10));
        assert_eq!((a.working_days_left, a.due), (Some(2), Due::OnTrack));
        // On a holiday only Tuesday the 24th is left.
        let a = assess(&r, &cfg, at(2026, 2, 20, 12));
        assert_eq!((a.working_days_left, a.due), (Some(1), Due::OnTrack));
        // The due day: hours, and due soon.
        let a = assess(&r, &cfg, at(2026, 2, 24, 9));
        assert_eq!(a.working_days_left, Some(0));
        assert_eq!(a.due, Due::DueSoon);
        assert_eq!(a.remaining, 15 * HOUR);
        // At 24:00 still on time; a millisecond later overdue, counted in hours.
        assert_ne!(assess(&r, &cfg, at(2026, 2, 25, 0)).due, Due::Overdue);
        let late = assess(&r, &cfg, at(2026, 2, 25, 0) + 1);
        assert_eq!((late.due, late.working_days_left), (Due::Overdue, None));
        // Answered: no countdown.
        let a = assess(&answered(r, at(2026, 2, 24, 8)), &cfg, at(2026, 2, 24, 9));
        assert_eq!((a.due, a.working_days_left), (Due::AnsweredOnTime, None));
    }

    #[test]
    fn working_days_order_the_queue_and_the_overdue_list_by_the_working_day_deadline() {
        let cfg = working();
        // A red filed just before the Spring Festival is due after a yellow filed on
        // Monday 9 February, which is overdue from 15 February.
        let red = req(Colour::Red, at(2026, 2, 13, 10)); // due 25 Feb
        let yellow = req(Colour::Yellow, at(2026, 2, 9, 10)); // 10–13, 14 (make-up): due 15 Feb
        let now = at(2026, 2, 16, 12);
        let (ar, ay) = (assess(&red, &cfg, now), assess(&yellow, &cfg, now));
        assert_eq!(ay.due, Due::Overdue);
        assert_eq!(ar.due, Due::OnTrack);
        assert_eq!(queue_order((&yellow, &ay), (&red, &ar)), Ordering::Less);
        let by = overdue_by_grid([(1, &red, &ar), (2, &yellow, &ay)]);
        assert_eq!(by.get("g01"), Some(&vec![2]));
        // By the calendar: the red (48 h) is overdue too.
        assert_eq!(assess(&red, &CFG, now).due, Due::Overdue);
    }

    #[test]
    fn calendar_mode_is_unchanged_by_the_holiday_table() {
        // Filed on 春节: calendar hours, not working days.
        let filed = at(2026, 2, 17, 9) + 30 * MINUTE;
        let a = assess(&req(Colour::Red, filed), &DeadlineConfig::default(), filed);
        assert_eq!(a.due_at, filed + 48 * HOUR);
        assert_eq!(a.working_days_left, None);
        assert_eq!(
            assess(&req(Colour::Red, filed), &CFG, filed + 36 * HOUR + 1).due,
            Due::DueSoon
        );
    }
}
