//! What a roadmap holds: the diagnosis profile, the phases with their actions and targets, and
//! the closed lists an action or an owner is chosen from.

use serde::{Deserialize, Serialize};

use crate::domain::DocKind;
use crate::time::{Millis, shanghai_midnight};

/// The module that carries an action out (a fixed list: the modules Linli has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    /// 四方会谈 (a series of four-party talks, or one talk).
    Talks,
    /// 微创投征集 (a call for micro-grant proposals).
    GrantCall,
    /// 睦邻活动 (an event).
    Event,
    /// 网格巡访 (a grid's patrol plan).
    Patrols,
    /// 社区治理学院 (a training; held as an event until trainings have their own register).
    Training,
    /// 设施改造 (facility works).
    Works,
    /// 垃圾分类督导 (garbage-sorting supervision).
    Sorting,
}

impl Module {
    pub const ALL: [Module; 7] = [
        Module::Talks,
        Module::GrantCall,
        Module::Event,
        Module::Patrols,
        Module::Training,
        Module::Works,
        Module::Sorting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Module::Talks => "talks",
            Module::GrantCall => "grant_call",
            Module::Event => "event",
            Module::Patrols => "patrols",
            Module::Training => "training",
            Module::Works => "works",
            Module::Sorting => "sorting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Module::Talks => "四方会谈",
            Module::GrantCall => "微创投征集",
            Module::Event => "睦邻活动",
            Module::Patrols => "巡访计划",
            Module::Training => "治理学院培训",
            Module::Works => "设施改造",
            Module::Sorting => "垃圾分类督导",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Module::Talks => "Four-party talks",
            Module::GrantCall => "Grant call",
            Module::Event => "Event",
            Module::Patrols => "Patrol plan",
            Module::Training => "Training",
            Module::Works => "Facility works",
            Module::Sorting => "Garbage sorting",
        }
    }

    pub fn name(self, zh: bool) -> &'static str {
        if zh { self.zh() } else { self.en() }
    }

    /// The kinds of document an action of this module may link to.
    pub fn kinds(self) -> &'static [DocKind] {
        match self {
            Module::Talks => &[DocKind::TalkSeries, DocKind::Talk],
            Module::GrantCall => &[DocKind::GrantCall],
            Module::Event | Module::Training => &[DocKind::Event],
            Module::Patrols => &[DocKind::Patrols],
            Module::Works => &[DocKind::Works],
            Module::Sorting => &[DocKind::Sorting],
        }
    }
}

/// Who carries an action out, when it is a body rather than one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OwnerRole {
    Staff,
    GridWorkers,
    IronTriangle,
    PartyBranch,
    OwnersCommittee,
    Property,
    Volunteers,
    Advisers,
}

impl OwnerRole {
    pub const ALL: [OwnerRole; 8] = [
        OwnerRole::Staff,
        OwnerRole::GridWorkers,
        OwnerRole::IronTriangle,
        OwnerRole::PartyBranch,
        OwnerRole::OwnersCommittee,
        OwnerRole::Property,
        OwnerRole::Volunteers,
        OwnerRole::Advisers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OwnerRole::Staff => "staff",
            OwnerRole::GridWorkers => "grid_workers",
            OwnerRole::IronTriangle => "iron_triangle",
            OwnerRole::PartyBranch => "party_branch",
            OwnerRole::OwnersCommittee => "owners_committee",
            OwnerRole::Property => "property",
            OwnerRole::Volunteers => "volunteers",
            OwnerRole::Advisers => "advisers",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn name(self, zh: bool) -> &'static str {
        match (self, zh) {
            (OwnerRole::Staff, true) => "居委会",
            (OwnerRole::Staff, false) => "Residents' committee",
            (OwnerRole::GridWorkers, true) => "网格员",
            (OwnerRole::GridWorkers, false) => "Grid workers",
            (OwnerRole::IronTriangle, true) => "网格铁三角",
            (OwnerRole::IronTriangle, false) => "Iron triangles",
            (OwnerRole::PartyBranch, true) => "社区党总支",
            (OwnerRole::PartyBranch, false) => "Party branch",
            (OwnerRole::OwnersCommittee, true) => "业委会",
            (OwnerRole::OwnersCommittee, false) => "Owners' committee",
            (OwnerRole::Property, true) => "物业公司",
            (OwnerRole::Property, false) => "Property company",
            (OwnerRole::Volunteers, true) => "志愿者",
            (OwnerRole::Volunteers, false) => "Volunteers",
            (OwnerRole::Advisers, true) => "治理顾问团",
            (OwnerRole::Advisers, false) => "Advisers",
        }
    }
}

/// The guided diagnosis: a few figures staff know and the main problems in their words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    pub households: u32,
    /// Share of residents aged 60 or more, in percent.
    pub elders_pct: u32,
    pub grids: u32,
    /// Self-governing groups that already exist.
    pub groups: u32,
    pub problems: String,
}

/// Why the drafted plan proposes an action, kept with it as a short code
/// (`requests:clutter:12`) so it reads in either language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `n` open requests are about the tag (a case-library tag key).
    Requests { tag: crate::cases::Tag, n: u32 },
    /// An indicator reads `value` (percent or count as [`crate::indicators::Value::number`]
    /// gives it, rounded).
    Indicator { id: u8, value: i64 },
    /// `pct`% of residents are 60 or older.
    Elders { pct: u32 },
    /// Only `n` self-governing groups exist.
    FewGroups { n: u32 },
    /// The article's default for the phase.
    Default,
}

impl Reason {
    pub fn code(self) -> String {
        match self {
            Reason::Requests { tag, n } => format!("requests:{}:{n}", tag.key()),
            Reason::Indicator { id, value } => format!("indicator:{id}:{value}"),
            Reason::Elders { pct } => format!("elders:{pct}"),
            Reason::FewGroups { n } => format!("groups:{n}"),
            Reason::Default => "default".into(),
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        let mut parts = code.split(':');
        let r = match parts.next()? {
            "requests" => Reason::Requests {
                tag: crate::cases::Tag::parse(parts.next()?)?,
                n: parts.next()?.parse().ok()?,
            },
            "indicator" => {
                let id: u8 = parts.next()?.parse().ok()?;
                crate::indicators::def(id)?;
                Reason::Indicator {
                    id,
                    value: parts.next()?.parse().ok()?,
                }
            }
            "elders" => Reason::Elders {
                pct: parts.next()?.parse().ok()?,
            },
            "groups" => Reason::FewGroups {
                n: parts.next()?.parse().ok()?,
            },
            "default" => Reason::Default,
            _ => return None,
        };
        parts.next().is_none().then_some(r)
    }

    /// In plain words: "因为有 12 件楼道堆物诉求未办结" / "Because 12 open requests are about
    /// stairwell clutter".
    pub fn text(self, zh: bool) -> String {
        match (self, zh) {
            (Reason::Requests { tag, n }, true) => {
                format!("因为有 {n} 件{}诉求未办结", tag.zh())
            }
            (Reason::Requests { tag, n }, false) => {
                let verb = if n == 1 {
                    "open request is"
                } else {
                    "open requests are"
                };
                format!("Because {n} {verb} about {}", tag.en())
            }
            (Reason::Indicator { id, value }, zh) => {
                let d = crate::indicators::def(id);
                let pct = d.is_some_and(|d| d.unit == crate::indicators::Unit::Percent);
                let v = if pct {
                    format!("{value}%")
                } else {
                    value.to_string()
                };
                match zh {
                    true => format!("因为{}只有 {v}", d.map_or("", |d| d.zh)),
                    false => format!("Because {} is only {v}", d.map_or("", |d| d.en)),
                }
            }
            (Reason::Elders { pct }, true) => format!("因为 60 岁以上居民占 {pct}%"),
            (Reason::Elders { pct }, false) => {
                format!("Because {pct}% of residents are 60 or older")
            }
            (Reason::FewGroups { n }, true) => format!("因为现有自治组织只有 {n} 个"),
            (Reason::FewGroups { n }, false) => {
                format!("Because only {n} self-governing groups exist")
            }
            (Reason::Default, true) => "文章推荐的本阶段基础行动".into(),
            (Reason::Default, false) => "The article's basic action for this phase".into(),
        }
    }
}

/// One action of a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub title: String,
    pub module: Module,
    /// The document that carries it out (its id), once there is one.
    pub doc: String,
    /// The person who owns it (id and name as the relay's records have them), or a body.
    pub owner: String,
    pub owner_name: String,
    pub owner_role: Option<OwnerRole>,
    /// Why the drafted plan proposed it ([`Reason::code`]); empty when staff added it.
    pub why: String,
}

impl Action {
    pub fn reason(&self) -> Option<Reason> {
        Reason::parse(&self.why)
    }

    /// The owner as shown: the person's name, or the body's.
    pub fn owner_text(&self, zh: bool) -> String {
        if !self.owner_name.is_empty() {
            self.owner_name.clone()
        } else {
            self.owner_role
                .map(|r| r.name(zh).to_string())
                .unwrap_or_default()
        }
    }
}

/// A target: an indicator's value to reach by the phase's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// 1–30 ([`crate::indicators::TABLE`]).
    pub indicator: u8,
    /// The value in tenths of the indicator's unit (percent, count, hours, stars, yuan).
    pub tenths: i64,
}

impl Target {
    pub fn value(&self) -> f64 {
        self.tenths as f64 / 10.0
    }
}

/// One phase of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    pub name: String,
    pub theme: String,
    /// Months after the plan's first month (0: it starts with the plan).
    pub start: u32,
    pub months: u32,
    pub actions: Vec<Action>,
    pub targets: Vec<Target>,
    /// Ids of matched cases from the case library.
    pub cases: Vec<String>,
}

/// A community's roadmap, as every phone that may hold it keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roadmap {
    pub title: String,
    /// The plan's first month, `YYYY-MM`.
    pub start: String,
    pub profile: Profile,
    pub phases: Vec<Phase>,
    /// Published to residents (its `audience` is `residents`).
    pub published: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub by: String,
    pub by_name: String,
}

/// `YYYY-MM` as (year, month).
pub fn parse_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let y: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    ((2000..=2100).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

/// The month `n` months after (year, month).
pub fn add_months((y, m): (i32, u32), n: u32) -> (i32, u32) {
    let z = y as i64 * 12 + (m as i64 - 1) + n as i64;
    ((z / 12) as i32, (z % 12) as u32 + 1)
}

impl Roadmap {
    /// The plan's first month.
    pub fn first_month(&self) -> Option<(i32, u32)> {
        parse_month(&self.start)
    }

    /// How many months the plan spans (the latest phase end).
    pub fn span(&self) -> u32 {
        self.phases
            .iter()
            .map(|p| p.start + p.months)
            .max()
            .unwrap_or(0)
    }

    /// A phase's months as instants: from its first month's first day (Shanghai) to the day
    /// after its last month.
    pub fn phase_period(&self, phase: &Phase) -> Option<crate::indicators::Period> {
        let first = self.first_month()?;
        let (y0, m0) = add_months(first, phase.start);
        let (y1, m1) = add_months(first, phase.start + phase.months);
        Some(crate::indicators::Period::new(
            shanghai_midnight(y0, m0, 1),
            shanghai_midnight(y1, m1, 1),
        ))
    }

    /// `2025-03` for the month `n` months into the plan.
    pub fn month_label(&self, n: u32) -> String {
        self.first_month()
            .map(|f| {
                let (y, m) = add_months(f, n);
                format!("{y}-{m:02}")
            })
            .unwrap_or_default()
    }
}
