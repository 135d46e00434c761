//! The 30 key indicators 30项关键指标 and the community activity index 社区活跃度, computed on
//! the device from the summaries it holds (`../shared/INDICATORS.md` defines them; [`TABLE`]
//! is that table as data).
//!
//! Pure and sans-IO like the rest of `shared/`: the caller passes the summaries and `now`.
//! [`Builder`] takes every summary once and reduces it to dated *facts* (a request's filing,
//! its deadline with whether it was met, a check-in, a planned round and whether it was
//! walked…), sorted by time, for one [`Scope`]. An [`Index`] then answers any indicator for
//! any [`Period`] by looking at the facts of that period only, so the previous period and a
//! twelve-week trend cost little more than the figure itself, and every figure carries the
//! documents it was counted from ([`Figure::numerator`], [`Figure::denominator`]).
//!
//! "No data" is a value of its own ([`Value::NoData`]): an indicator whose documents this
//! device does not hold, or a share of nothing, never reads as 0%.

mod build;
mod eval;
pub mod table;
#[cfg(test)]
pub(crate) mod tests;

use serde::{Deserialize, Serialize};

pub use build::{Builder, Finishing, Stage};
pub use eval::{Activity, ActivityMonth, Card, Index, TREND_WEEKS};
pub use table::{Better, Def, Group, TABLE, Unit, def};

use crate::ids::DocumentId;
use crate::time::{
    DAY, Millis, civil_from_days, days_from_civil, shanghai_day, shanghai_day_start,
};

/// A stretch of time, `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub from: Millis,
    pub to: Millis,
}

/// The farthest instant a period reaches either way (about 2,200 years from 1970): "all
/// time" filters are clamped to it, so the arithmetic on periods never overflows.
const BOUND: Millis = 1 << 46;

impl Period {
    pub fn new(from: Millis, to: Millis) -> Self {
        let from = from.clamp(-BOUND, BOUND);
        Period {
            from,
            to: to.clamp(from, BOUND),
        }
    }

    /// The `days` whole Shanghai days up to and including today.
    pub fn last_days(now: Millis, days: i64) -> Self {
        let today = shanghai_day(now);
        Period::new(
            shanghai_day_start(today - days.max(1) + 1),
            shanghai_day_start(today + 1),
        )
    }

    /// The Shanghai calendar month `year-month`.
    pub fn month(year: i32, month: u32) -> Self {
        let (ny, nm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        Period::new(
            shanghai_day_start(days_from_civil(year, month, 1)),
            shanghai_day_start(days_from_civil(ny, nm, 1)),
        )
    }

    /// The calendar months `n` back from the one holding `at` (that one last).
    pub fn months_to(at: Millis, n: u32) -> Vec<(i32, u32)> {
        let (mut y, mut m, _) = civil_from_days(shanghai_day(at));
        let mut out = Vec::new();
        for _ in 0..n {
            out.push((y, m));
            if m == 1 {
                y -= 1;
                m = 12;
            } else {
                m -= 1;
            }
        }
        out.reverse();
        out
    }

    /// The period of the same length just before this one (what a figure is compared with).
    pub fn previous(self) -> Self {
        let len = self.to - self.from;
        Period::new(self.from - len, self.from)
    }

    /// Whole days in it (rounded up).
    pub fn days(self) -> i64 {
        (self.to - self.from + DAY - 1) / DAY
    }

    /// The `n` Monday-to-Sunday weeks (Shanghai) ending with the week that holds this
    /// period's last instant, the last one cut at `to`: the trend line.
    pub fn weeks(self, n: usize) -> Vec<Period> {
        let last = shanghai_day(self.to - 1);
        let monday = last - (last + 3).rem_euclid(7);
        (0..n as i64)
            .rev()
            .map(|k| {
                let start = monday - 7 * k;
                Period::new(
                    shanghai_day_start(start),
                    shanghai_day_start(start + 7).min(self.to),
                )
            })
            .collect()
    }
}

/// Whose indicators: the whole community's, or one grid's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    Community,
    Grid(String),
}

impl Scope {
    /// Whether a record of grid `grid` belongs to this scope (`""`: the community's shared
    /// spaces, in no grid's).
    pub fn holds(&self, grid: &str) -> bool {
        match self {
            Scope::Community => true,
            Scope::Grid(g) => g == grid,
        }
    }
}

/// A figure's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "t")]
pub enum Value {
    /// Nothing to compute from: the device holds none of its documents, or a share of nothing.
    NoData,
    /// In one grid's scope, an indicator kept for the whole community only (its records have
    /// no grid: events, talks, the fund).
    CommunityWide,
    Count {
        n: u64,
    },
    /// A share; `num ≤ den`, `den > 0`.
    Ratio {
        num: u64,
        den: u64,
    },
    /// Minutes (a median time to answer, volunteer hours): shown as hours.
    Minutes {
        m: i64,
    },
    /// A mean rating: the sum of the stars over `n` ratings.
    Stars {
        sum: u64,
        n: u64,
    },
    /// Money, in fen.
    Fen {
        fen: i64,
    },
}

impl Value {
    /// The figure as one number (a share in percent, a mean in stars, minutes in hours,
    /// fen in yuan), `None` without data: what charts draw.
    pub fn number(self) -> Option<f64> {
        match self {
            Value::NoData | Value::CommunityWide => None,
            Value::Count { n } => Some(n as f64),
            Value::Ratio { num, den } => (den > 0).then(|| num as f64 * 100.0 / den as f64),
            Value::Minutes { m } => Some(m as f64 / 60.0),
            Value::Stars { sum, n } => (n > 0).then(|| sum as f64 / n as f64),
            Value::Fen { fen } => Some(fen as f64 / 100.0),
        }
    }

    pub fn has_data(self) -> bool {
        self.number().is_some()
    }

    /// The figure as people read it: `93%`, `4.6★`, `12.5 小时`/`12.5 h`, `¥1,234`, `无数据`
    /// / `no data`.
    pub fn text(self, zh: bool) -> String {
        match self {
            Value::NoData => (if zh { "无数据" } else { "no data" }).into(),
            Value::CommunityWide => (if zh {
                "仅社区层面"
            } else {
                "community only"
            })
            .into(),
            Value::Count { n } => n.to_string(),
            Value::Ratio { .. } => {
                let p = self.number().unwrap_or(0.0);
                if p > 0.0 && p < 1.0 || p > 99.0 && p < 100.0 {
                    format!("{p:.1}%")
                } else {
                    format!("{}%", p.round() as i64)
                }
            }
            Value::Minutes { m } => {
                let h = (m as f64 / 6.0).round() / 10.0;
                if zh {
                    format!("{h} 小时")
                } else {
                    format!("{h} h")
                }
            }
            Value::Stars { .. } => format!("{:.1}★", self.number().unwrap_or(0.0)),
            Value::Fen { fen } => format!("¥{}", group_thousands(fen / 100)),
        }
    }
}

fn group_thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A part of a figure: per colour, per party, per category, per kind of participation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// A stable key (`red`, `merchant`, `lighting`, `event`…); [`part_name`] names it.
    pub key: &'static str,
    pub value: Value,
}

/// One indicator for one period and scope, with the documents it was counted from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub id: u8,
    pub value: Value,
    /// The documents counted (for a share: its numerator), each once, newest first.
    pub numerator: Vec<DocumentId>,
    /// For a share: the documents of its denominator (the numerator's among them); empty
    /// otherwise.
    pub denominator: Vec<DocumentId>,
    pub parts: Vec<Part>,
}

impl Figure {
    pub fn def(&self) -> &'static Def {
        def(self.id).expect("figures carry a table id")
    }
}

/// The kinds of participation the activity index counts (INDICATORS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Request,
    Event,
    Proposal,
    Meeting,
    Volunteering,
    Training,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Request,
        Kind::Event,
        Kind::Proposal,
        Kind::Meeting,
        Kind::Volunteering,
        Kind::Training,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Event => "event",
            Kind::Proposal => "proposal",
            Kind::Meeting => "meeting",
            Kind::Volunteering => "volunteering",
            Kind::Training => "training",
        }
    }
}

/// The name of a part's key, (zh-CN, English).
pub fn part_name(key: &str) -> (&'static str, &'static str) {
    match key {
        "red" => ("红色（紧急）", "Red (urgent)"),
        "yellow" => ("黄色（一般）", "Yellow (normal)"),
        "blue" => ("蓝色（建议）", "Blue (suggestion)"),
        "party_branch" => ("党支部", "Party branch"),
        "residents_committee" => ("居委会", "Residents' committee"),
        "owners_committee" => ("业委会", "Owners' committee"),
        "property_company" => ("物业", "Property company"),
        "merchant" => ("商户", "Merchants"),
        "adviser" => ("顾问", "Advisers"),
        "leak" => ("漏水维修", "Leak repairs"),
        "aging" => ("适老化改造", "Aging-friendly"),
        "lighting" => ("照明", "Lighting"),
        "other" => ("其他", "Other"),
        "request" => ("诉求", "Requests"),
        "event" => ("活动", "Events"),
        "proposal" => ("提案", "Proposals"),
        "meeting" => ("议事", "Meetings"),
        "volunteering" => ("志愿服务", "Volunteering"),
        "training" => ("培训", "Training"),
        "morning" => ("早巡", "Morning round"),
        "midday" => ("午访", "Midday visit"),
        "evening" => ("夜谈", "Evening talk"),
        _ => ("", ""),
    }
}

/// The header of [`rows`].
pub const ROWS_HEADER: [&str; 12] = [
    "id",
    "group",
    "indicator_zh",
    "indicator_en",
    "scope",
    "from",
    "to",
    "value",
    "unit",
    "numerator",
    "denominator",
    "previous_value",
];

/// Every indicator of `period` as rows of plain fields (for a CSV export): the value as a
/// number (a share in percent to one decimal, hours, stars, yuan; empty without data), the
/// share's numerator and denominator, and the previous period's value. Dates are Shanghai
/// calendar days, `to` inclusive.
pub fn rows(x: &Index, period: Period) -> Vec<[String; 12]> {
    let day = |at: Millis| {
        let (y, m, d) = civil_from_days(shanghai_day(at));
        format!("{y:04}-{m:02}-{d:02}")
    };
    let number = |v: Value| match v.number() {
        Some(n) if matches!(v, Value::Count { .. }) => format!("{n}"),
        Some(n) => format!("{n:.1}"),
        None => String::new(),
    };
    let scope = match x.scope() {
        Scope::Community => "community".to_string(),
        Scope::Grid(g) => g.clone(),
    };
    TABLE
        .iter()
        .map(|d| {
            let v = x.value(d.id, period);
            let (num, den) = match v {
                Value::Ratio { num, den } => (num.to_string(), den.to_string()),
                _ => (String::new(), String::new()),
            };
            let unit = match (d.unit, v) {
                (_, Value::NoData) => "no data",
                (_, Value::CommunityWide) => "community only",
                (Unit::Count, _) => "count",
                (Unit::Percent, _) => "percent",
                (Unit::Hours, _) => "hours",
                (Unit::Stars, _) => "stars",
                (Unit::Yuan, _) => "yuan",
            };
            [
                d.id.to_string(),
                d.group.as_str().to_string(),
                d.zh.to_string(),
                d.en.to_string(),
                scope.clone(),
                day(period.from),
                day(period.to - 1),
                number(v),
                unit.to_string(),
                num,
                den,
                number(x.value(d.id, period.previous())),
            ]
        })
        .collect()
}
