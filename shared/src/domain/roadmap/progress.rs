//! Progress from the data, not from ticked boxes: an action's status is read from the summary
//! of the document it links to (a talk held, a call closed, an event held, works done…), and a
//! target's from the indicator's current value.

use serde::{Deserialize, Serialize};

use super::model::{Action, Target};
use crate::domain::Summary;
use crate::indicators::{Better, Value, def};
use crate::time::Millis;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No document carries it out yet.
    NotLinked,
    /// Linked, but this device does not hold the document (or it is of another module).
    Unknown,
    Planned,
    UnderWay,
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotLinked => "not_linked",
            Status::Unknown => "unknown",
            Status::Planned => "planned",
            Status::UnderWay => "under_way",
            Status::Done => "done",
        }
    }

    pub fn name(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Status::NotLinked, true) => "未关联",
            (Status::NotLinked, false) => "Not linked",
            (Status::Unknown, true) => "无数据",
            (Status::Unknown, false) => "No data",
            (Status::Planned, true) => "未开始",
            (Status::Planned, false) => "Planned",
            (Status::UnderWay, true) => "进行中",
            (Status::UnderWay, false) => "Under way",
            (Status::Done, true) => "已完成",
            (Status::Done, false) => "Done",
        }
    }
}

/// What the linked document says, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Detail {
    None,
    /// A series of talks exists (every Wednesday…).
    Series,
    TalkHeld {
        date: String,
    },
    TalkPlanned {
        date: String,
    },
    CallOpen,
    CallClosed {
        funded: usize,
    },
    EventHeld {
        checked_in: usize,
    },
    EventOn,
    EventPlanned,
    Works(crate::domain::works::Status),
    Rounds {
        n: usize,
    },
    Inspections {
        n: usize,
    },
    /// The document is of a kind this action's module does not use.
    WrongModule,
}

impl Detail {
    pub fn text(&self, zh: bool) -> String {
        use crate::domain::works::Status as W;
        match (self, zh) {
            (Detail::None, _) => String::new(),
            (Detail::Series, true) => "会谈已排期，按周召开".into(),
            (Detail::Series, false) => "Talks scheduled weekly".into(),
            (Detail::TalkHeld { date }, true) => format!("{date} 已召开"),
            (Detail::TalkHeld { date }, false) => format!("Held on {date}"),
            (Detail::TalkPlanned { date }, true) => format!("定于 {date} 召开"),
            (Detail::TalkPlanned { date }, false) => format!("Set for {date}"),
            (Detail::CallOpen, true) => "征集进行中".into(),
            (Detail::CallOpen, false) => "Call open".into(),
            (Detail::CallClosed { funded }, true) => format!("征集已截止，资助 {funded} 项"),
            (Detail::CallClosed { funded }, false) => format!("Call closed, {funded} funded"),
            (Detail::EventHeld { checked_in }, true) => {
                format!("已举办，{checked_in} 人签到")
            }
            (Detail::EventHeld { checked_in }, false) => {
                format!("Held, {checked_in} checked in")
            }
            (Detail::EventOn, true) => "正在进行".into(),
            (Detail::EventOn, false) => "On now".into(),
            (Detail::EventPlanned, true) => "报名中或待举办".into(),
            (Detail::EventPlanned, false) => "Coming up".into(),
            (Detail::Works(W::Planned), true) => "待施工".into(),
            (Detail::Works(W::Planned), false) => "Not started".into(),
            (Detail::Works(W::InProgress), true) => "施工中".into(),
            (Detail::Works(W::InProgress), false) => "In progress".into(),
            (Detail::Works(W::Done), true) => "已完工".into(),
            (Detail::Works(W::Done), false) => "Done".into(),
            (Detail::Rounds { n }, true) => format!("已巡访 {n} 次"),
            (Detail::Rounds { n }, false) => format!("{n} rounds walked"),
            (Detail::Inspections { n }, true) => format!("已督导 {n} 次"),
            (Detail::Inspections { n }, false) => format!("{n} inspections"),
            (Detail::WrongModule, true) => "关联的文档不属于该模块".into(),
            (Detail::WrongModule, false) => "The linked document is of another module".into(),
        }
    }
}

/// An action's status from its linked document's summary (`None`: not on this device).
pub fn action_status(a: &Action, linked: Option<&Summary>, now: Millis) -> (Status, Detail) {
    if a.doc.is_empty() {
        return (Status::NotLinked, Detail::None);
    }
    let Some(s) = linked else {
        return (Status::Unknown, Detail::None);
    };
    if !s.kind().is_some_and(|k| a.module.kinds().contains(&k)) {
        return (Status::Unknown, Detail::WrongModule);
    }
    let today = crate::time::shanghai_day(now);
    match s {
        Summary::TalkSeries(_) => (Status::UnderWay, Detail::Series),
        Summary::Talk(t) => {
            let t = &t.talk;
            let held = t.minutes_published_at.is_some() || !t.attendance.is_empty();
            let past = crate::domain::event::parse_local(&format!("{}T00:00", t.date))
                .is_some_and(|d| crate::time::shanghai_day(d) < today);
            let date = t.date.clone();
            if held || past {
                (Status::Done, Detail::TalkHeld { date })
            } else {
                (Status::Planned, Detail::TalkPlanned { date })
            }
        }
        Summary::GrantCall(c) => {
            let c = &c.call;
            if c.is_open(now) {
                (Status::UnderWay, Detail::CallOpen)
            } else if c.closed || now >= c.deadline {
                let funded = c
                    .decisions
                    .iter()
                    .filter(|(_, d)| d.outcome == crate::domain::grant_call::Outcome::Funded)
                    .count();
                (Status::Done, Detail::CallClosed { funded })
            } else {
                (Status::Planned, Detail::CallOpen)
            }
        }
        Summary::Event(e) => {
            if now >= e.ends_at || (!e.attendance.is_empty() && now >= e.starts_at) {
                let checked_in = e.attendance.len();
                (Status::Done, Detail::EventHeld { checked_in })
            } else if now >= e.starts_at {
                (Status::UnderWay, Detail::EventOn)
            } else {
                (Status::Planned, Detail::EventPlanned)
            }
        }
        Summary::Works(w) => {
            use crate::domain::works::Status as W;
            let st = w.status();
            let s = match st {
                W::Planned => Status::Planned,
                W::InProgress => Status::UnderWay,
                W::Done => Status::Done,
            };
            (s, Detail::Works(st))
        }
        Summary::Patrols(p) => {
            let n = p.rounds.len();
            let s = if n == 0 {
                Status::Planned
            } else {
                Status::UnderWay
            };
            (s, Detail::Rounds { n })
        }
        Summary::Sorting(l) => {
            let n = l.inspections.len();
            let s = if n == 0 {
                Status::Planned
            } else {
                Status::UnderWay
            };
            (s, Detail::Inspections { n })
        }
        _ => (Status::Unknown, Detail::WrongModule),
    }
}

/// A target against the indicator's current value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetProgress {
    pub target: Target,
    pub current: Value,
    /// Reached (for a figure where lower is better: at or under the target).
    pub met: Option<bool>,
    /// How far along, 0–100 (for the bar); `None` without data.
    pub percent: Option<u32>,
}

pub fn target_progress(t: &Target, current: Value) -> TargetProgress {
    let goal = t.value();
    let better = def(t.indicator).map_or(Better::Higher, |d| d.better);
    let now = current.number();
    let met = now.map(|v| match better {
        Better::Higher => v >= goal,
        Better::Lower => v <= goal,
    });
    let percent = now.map(|v| {
        let p = match better {
            Better::Higher if goal > 0.0 => v / goal * 100.0,
            Better::Lower if v > 0.0 => goal / v * 100.0,
            _ => 100.0,
        };
        p.clamp(0.0, 100.0).round() as u32
    });
    TargetProgress {
        target: *t,
        current,
        met,
        percent,
    }
}

/// How many of a phase's linked actions are done, of those linked.
pub fn done_count(statuses: &[Status]) -> (usize, usize) {
    let linked = statuses
        .iter()
        .filter(|s| !matches!(s, Status::NotLinked))
        .count();
    let done = statuses.iter().filter(|s| **s == Status::Done).count();
    (done, linked)
}
