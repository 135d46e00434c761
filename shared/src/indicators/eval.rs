//! An [`Index`] of dated facts answers every indicator for any period.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Figure, Kind, Part, Period, Scope, Value, def};
use crate::domain::grid::Round;
use crate::domain::patrols::iso_weekday;
use crate::domain::requests::Colour;
use crate::domain::talks::Side;
use crate::domain::works::Category;
use crate::ids::DocumentId;
use crate::time::{Millis, civil_from_days, shanghai_day};

/// One dated fact: a request filed, a deadline met or missed, a check-in…
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fact {
    pub at: Millis,
    /// The document it comes from (an index into [`Index::docs`]).
    pub doc: u32,
    /// Whom it is about, for distinct counts (a household, a group, an adviser).
    pub who: u32,
    /// For a share: counted in the numerator.
    pub hit: bool,
    /// For parts: a colour, a party, a category, a kind of participation.
    pub part: u8,
    /// A quantity (minutes, stars, fen).
    pub v: i64,
}

impl Fact {
    pub(super) fn new(at: Millis, doc: u32) -> Self {
        Fact {
            at,
            doc,
            who: 0,
            hit: false,
            part: 0,
            v: 0,
        }
    }
    pub(super) fn who(self, who: u32) -> Self {
        Fact { who, ..self }
    }
    pub(super) fn hit(self, hit: bool) -> Self {
        Fact { hit, ..self }
    }
    pub(super) fn part(self, part: u8) -> Self {
        Fact { part, ..self }
    }
    pub(super) fn v(self, v: i64) -> Self {
        Fact { v, ..self }
    }
}

/// A request as "overdue open" (5) judges it at the end of a period.
#[derive(Debug, Clone, Copy)]
pub(super) struct OpenReq {
    pub doc: u32,
    pub filed_at: Millis,
    pub due: Millis,
    pub answered: Option<Millis>,
    pub resolved: Option<Millis>,
}

impl OpenReq {
    /// When it stopped being open: answered or resolved, whichever came first.
    pub(super) fn closed(&self) -> Millis {
        self.answered
            .unwrap_or(Millis::MAX)
            .min(self.resolved.unwrap_or(Millis::MAX))
    }
}

/// A grid's patrol plan, counted from the first day it logged a round.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub grid: String,
    pub first: i64,
    /// Per round (its index in [`Round::ALL`]), the ISO weekdays it is planned on.
    pub plan: Vec<(u8, Vec<u8>)>,
}

/// The facts of one scope, sorted by time: ask it for any indicator and period.
#[derive(Debug, Clone)]
pub struct Index {
    scope: Scope,
    now: Millis,
    docs: Vec<DocumentId>,
    doc_ids: HashMap<DocumentId, u32>,
    pub(super) facts: Vec<Vec<Fact>>,
    pub(super) have: [bool; 31],
    pub(super) households: u64,
    pub(super) participation: Vec<Fact>,
    pub(super) first: Vec<Fact>,
    pub(super) received: Vec<Fact>,
    /// Every request, sorted by when it stopped being open ([`OpenReq::closed`]): those open
    /// at a moment are a short tail.
    pub(super) open: Vec<OpenReq>,
    /// Residents with a birth year: (their self-filing id in fact 9, birth year, record).
    pub(super) elders: Vec<(u32, i64, u32)>,
    /// The birth year of each self-filing id of [`Index::elders`] (`i64::MAX` for none).
    pub(super) births: Vec<i64>,
    pub(super) plans: Vec<Plan>,
    /// Per grid, the rounds walked: (round, day).
    pub(super) walked: HashMap<String, HashSet<(u8, i64)>>,
}

/// How much of a figure to work out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// The value alone.
    Value,
    /// The value and its parts (per colour, party, category…).
    Parts,
    /// The value, its parts and the documents counted.
    Records,
}

/// The weeks of a card's trend line.
pub const TREND_WEEKS: usize = 12;

/// One dashboard card's numbers ([`Index::card`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The figure, without its records.
    pub fig: Figure,
    /// The previous period's value.
    pub prev: Value,
    /// Week by week up to the period's end, once worked out ([`Index::trend`]); none for a
    /// figure kept for the whole community only, in a grid's scope.
    pub trend: Option<Vec<(Period, Value)>>,
}

/// The activity index of a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Households with any action.
    pub active: u64,
    /// Households on record.
    pub households: u64,
    /// The mean number of distinct kinds of participation per active household.
    pub kinds: f64,
    /// Active households per 100 households × `kinds`; `None` without households on record.
    pub index: Option<f64>,
}

/// The activity index of one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ActivityMonth {
    pub year: i32,
    pub month: u32,
    pub activity: Activity,
}

impl Activity {
    /// Where the community stands against `target`: the share still missing (0 once
    /// reached), e.g. 1.8 against 3.2 is 44%.
    pub fn gap_to(&self, target: f64) -> Option<f64> {
        let now = self.index?;
        (target > 0.0).then(|| ((target - now) / target * 100.0).max(0.0))
    }
}

impl Index {
    pub(super) fn empty(scope: Scope, now: Millis) -> Self {
        Index {
            scope,
            now,
            docs: Vec::new(),
            doc_ids: HashMap::new(),
            facts: vec![Vec::new(); 31],
            have: [false; 31],
            households: 0,
            participation: Vec::new(),
            first: Vec::new(),
            received: Vec::new(),
            open: Vec::new(),
            elders: Vec::new(),
            births: Vec::new(),
            plans: Vec::new(),
            walked: HashMap::new(),
        }
    }

    /// The short number of a document in this index.
    pub(super) fn doc(&mut self, id: DocumentId) -> u32 {
        if let Some(&i) = self.doc_ids.get(&id) {
            return i;
        }
        let i = self.docs.len() as u32;
        self.docs.push(id);
        self.doc_ids.insert(id, i);
        i
    }

    /// Its lists (the indicators' facts 0–30, then participation, first actions and money
    /// received, then the requests as open), each with its length, for [`Index::sort`].
    pub(super) fn lists(&self) -> Vec<(usize, usize)> {
        self.facts
            .iter()
            .chain([&self.participation, &self.first, &self.received])
            .map(Vec::len)
            .chain([self.open.len()])
            .enumerate()
            .collect()
    }

    /// Sorts list `i` (see [`Index::lists`]) by time, or only a range of it: facts by when
    /// they happened, requests by when they stopped being open.
    pub(super) fn sort(&mut self, i: usize, range: Option<(usize, usize)>) {
        if i == self.facts.len() + 3 {
            let v = match range {
                Some((from, to)) => &mut self.open[from..to],
                None => &mut self.open[..],
            };
            v.sort_by_key(|r| (r.closed(), r.doc));
            return;
        }
        let v = match i.checked_sub(self.facts.len()) {
            None => &mut self.facts[i],
            Some(0) => &mut self.participation,
            Some(1) => &mut self.first,
            Some(_) => &mut self.received,
        };
        let v = match range {
            Some((from, to)) => &mut v[from..to],
            None => &mut v[..],
        };
        v.sort_by_key(|f| (f.at, f.doc));
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Every indicator for `period`, in the table's order, with their records.
    pub fn all(&self, period: Period) -> Vec<Figure> {
        (1..=30).map(|id| self.figure(id, period)).collect()
    }

    /// Indicator `id` (1–30) for `period`, with the documents it was counted from.
    pub fn figure(&self, id: u8, period: Period) -> Figure {
        self.compute(id, period, Detail::Records)
    }

    /// Indicator `id`'s value alone (no records): for the previous period and trends.
    pub fn value(&self, id: u8, period: Period) -> Value {
        self.compute(id, period, Detail::Value).value
    }

    /// Indicator `id` week by week: the `weeks` weeks ending with `period`'s last.
    pub fn trend(&self, id: u8, period: Period, weeks: usize) -> Vec<(Period, Value)> {
        period
            .weeks(weeks)
            .into_iter()
            .map(|w| (w, self.value(id, w)))
            .collect()
    }

    /// What a dashboard's card of indicator `id` shows for `period`: the figure with its
    /// parts but not its records (those are listed when the figure is opened), and the
    /// previous period's value. Its trend comes apart ([`Index::trend`], [`TREND_WEEKS`]), so
    /// that a dashboard shows every figure before it draws any line.
    pub fn card(&self, id: u8, period: Period) -> Card {
        let fig = self.compute(id, period, Detail::Parts);
        Card {
            prev: if fig.value == Value::CommunityWide {
                Value::CommunityWide
            } else {
                self.value(id, period.previous())
            },
            fig,
            trend: None,
        }
    }

    /// The activity index 社区活跃度 of `period`.
    pub fn activity(&self, period: Period) -> Activity {
        let mut kinds: HashMap<u32, u8> = HashMap::new();
        for f in slice(&self.participation, period) {
            *kinds.entry(f.who).or_default() |= 1 << f.part;
        }
        let active = kinds.len() as u64;
        let mean = if active == 0 {
            0.0
        } else {
            kinds.values().map(|m| m.count_ones() as f64).sum::<f64>() / active as f64
        };
        Activity {
            active,
            households: self.households,
            kinds: mean,
            index: (self.households > 0)
                .then(|| active as f64 * 100.0 / self.households as f64 * mean),
        }
    }

    /// The activity index month by month: the `n` calendar months up to this one.
    pub fn activity_months(&self, n: u32) -> Vec<ActivityMonth> {
        Period::months_to(self.now, n)
            .into_iter()
            .map(|(year, month)| {
                let p = Period::month(year, month);
                ActivityMonth {
                    year,
                    month,
                    activity: self.activity(Period::new(p.from, p.to.min(self.now + 1))),
                }
            })
            .collect()
    }

    /// The baseline month: the first of `months` with any activity (the roadmap's default
    /// aim is to double its index within six months).
    pub fn baseline(months: &[ActivityMonth]) -> Option<&ActivityMonth> {
        months
            .iter()
            .find(|m| m.activity.index.is_some_and(|i| i > 0.0))
    }

    fn records(&self, facts: &[Fact], keep: impl Fn(&Fact) -> bool) -> Vec<DocumentId> {
        let mut seen = HashSet::new();
        facts
            .iter()
            .rev()
            .filter(|f| keep(f) && seen.insert(f.doc))
            .map(|f| self.docs[f.doc as usize])
            .collect()
    }

    fn compute(&self, id: u8, p: Period, detail: Detail) -> Figure {
        let rec = detail == Detail::Records;
        let parts = detail != Detail::Value;
        let mut fig = Figure {
            id,
            value: Value::NoData,
            numerator: Vec::new(),
            denominator: Vec::new(),
            parts: Vec::new(),
        };
        let Some(d) = def(id) else {
            return fig;
        };
        if !d.per_grid && matches!(self.scope, Scope::Grid(_)) {
            fig.value = Value::CommunityWide;
            return fig;
        }
        if !self.have[usize::from(id)] {
            return fig;
        }
        let facts = slice(&self.facts[usize::from(id)], p);
        let records = |keep: &dyn Fn(&Fact) -> bool| {
            if rec {
                self.records(facts, keep)
            } else {
                Vec::new()
            }
        };
        match id {
            1 | 13 | 14 | 16 | 21 | 22 | 26 => {
                fig.value = Value::Count {
                    n: facts.len() as u64,
                };
                fig.numerator = records(&|_| true);
            }
            30 => {
                fig.value = Value::Count {
                    n: facts.len() as u64,
                };
                fig.numerator = records(&|_| true);
                if parts {
                    fig.parts = Category::ALL
                        .iter()
                        .map(|c| Part {
                            key: c.as_str(),
                            value: Value::Count {
                                n: facts.iter().filter(|f| f.part == *c as u8).count() as u64,
                            },
                        })
                        .collect();
                }
            }
            2 | 4 | 7 | 8 | 10 | 18 | 27 | 29 => {
                fig.value = ratio(facts.iter().filter(|f| f.hit).count(), facts.len());
                fig.numerator = records(&|f| f.hit);
                fig.denominator = records(&|_| true);
            }
            17 => {
                fig.value = ratio(facts.iter().filter(|f| f.hit).count(), facts.len());
                fig.numerator = records(&|f| f.hit);
                fig.denominator = records(&|_| true);
                if parts {
                    fig.parts = Side::ALL
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let of: Vec<&Fact> =
                                facts.iter().filter(|f| f.part == i as u8).collect();
                            Part {
                                key: s.as_str(),
                                value: ratio(of.iter().filter(|f| f.hit).count(), of.len()),
                            }
                        })
                        .collect();
                }
            }
            3 => {
                fig.value = median(facts.iter().map(|f| f.v));
                fig.numerator = records(&|_| true);
                if parts {
                    fig.parts = [Colour::Red, Colour::Yellow, Colour::Blue]
                        .iter()
                        .map(|c| Part {
                            key: c.as_str(),
                            value: median(facts.iter().filter(|f| f.part == *c as u8).map(|f| f.v)),
                        })
                        .collect();
                }
            }
            6 => {
                let n = facts.len() as u64;
                let sum: i64 = facts.iter().map(|f| f.v).sum();
                fig.value = if n == 0 {
                    Value::NoData
                } else {
                    Value::Stars {
                        sum: sum.max(0) as u64,
                        n,
                    }
                };
                fig.numerator = records(&|_| true);
            }
            5 => {
                let end = p.to.min(self.now);
                let open = &self.open[self.open.partition_point(|r| r.closed() < end)..];
                let overdue: Vec<&OpenReq> = open
                    .iter()
                    .filter(|r| r.filed_at < end && r.due < end)
                    .collect();
                fig.value = Value::Count {
                    n: overdue.len() as u64,
                };
                if rec {
                    let mut v = overdue;
                    v.sort_by_key(|r| r.due);
                    fig.numerator = v.iter().map(|r| self.docs[r.doc as usize]).collect();
                }
            }
            9 => {
                let year = i64::from(civil_from_days(shanghai_day(p.to - 1)).0);
                // Born in `born` or before: 60 or older in the period's last year.
                let born = year - 60;
                let elder = |f: &Fact| self.births.get(f.who as usize).is_some_and(|b| *b <= born);
                let elders = self.elders.iter().filter(|e| e.1 <= born);
                let mut filed: Vec<u32> =
                    facts.iter().filter(|f| elder(f)).map(|f| f.who).collect();
                filed.sort_unstable();
                filed.dedup();
                fig.value = ratio(filed.len(), elders.clone().count());
                if rec {
                    fig.numerator = self.records(facts, elder);
                    fig.denominator = elders.map(|e| self.docs[e.2 as usize]).collect();
                }
            }
            11 | 12 => {
                let part = slice(&self.participation, p);
                let mut by_kind: HashMap<u8, HashSet<u32>> = HashMap::new();
                if parts {
                    for f in part {
                        by_kind.entry(f.part).or_default().insert(f.who);
                    }
                }
                let active: HashSet<u32> = part.iter().map(|f| f.who).collect();
                fig.value = if id == 11 {
                    Value::Count {
                        n: active.len() as u64,
                    }
                } else {
                    ratio(active.len(), self.households as usize)
                };
                if rec {
                    fig.numerator = self.records(part, |_| true);
                }
                if parts {
                    fig.parts = Kind::ALL
                        .iter()
                        .map(|k| Part {
                            key: k.as_str(),
                            value: Value::Count {
                                n: by_kind.get(&(*k as u8)).map_or(0, |s| s.len() as u64),
                            },
                        })
                        .collect();
                }
            }
            15 => {
                let first = slice(&self.first, p);
                fig.value = Value::Count {
                    n: first.len() as u64,
                };
                if rec {
                    fig.numerator = self.records(first, |_| true);
                }
            }
            19 | 20 => {
                let who: HashSet<u32> = facts.iter().map(|f| f.who).collect();
                fig.value = Value::Count {
                    n: who.len() as u64,
                };
                fig.numerator = records(&|_| true);
            }
            23 => {
                let spent: i64 = facts.iter().map(|f| f.v).sum();
                let received: i64 = self
                    .received
                    .iter()
                    .take_while(|f| f.at < p.to)
                    .map(|f| f.v)
                    .sum();
                fig.value = if received > 0 {
                    Value::Ratio {
                        num: spent.max(0) as u64,
                        den: received as u64,
                    }
                } else {
                    Value::NoData
                };
                fig.numerator = records(&|_| true);
            }
            24 => {
                fig.value = Value::Fen {
                    fen: facts.iter().map(|f| f.v).sum(),
                };
                fig.numerator = records(&|_| true);
            }
            25 => {
                fig.value = Value::Minutes {
                    m: facts.iter().map(|f| f.v).sum(),
                };
                fig.numerator = records(&|_| true);
            }
            28 => {
                let (num, den, parts) = self.patrol_coverage(p);
                fig.value = ratio(num, den);
                fig.numerator = records(&|_| true);
                fig.parts = Round::ALL
                    .iter()
                    .zip(parts)
                    .map(|(r, (n, d))| Part {
                        key: r.as_str(),
                        value: ratio(n, d),
                    })
                    .collect();
            }
            _ => {}
        }
        fig
    }

    /// Rounds walked on the day planned ÷ rounds planned, on the days of `p` up to today,
    /// from each grid's first logged round; and the same per round.
    fn patrol_coverage(&self, p: Period) -> (usize, usize, [(usize, usize); 3]) {
        let today = shanghai_day(self.now);
        let from = shanghai_day(p.from);
        let to = shanghai_day(p.to - 1).min(today);
        let (mut num, mut den) = (0, 0);
        let mut parts = [(0, 0); 3];
        let none = HashSet::new();
        for plan in &self.plans {
            let walked = self.walked.get(&plan.grid).unwrap_or(&none);
            for day in from.max(plan.first)..=to {
                let wd = iso_weekday(day);
                for (round, days) in &plan.plan {
                    if !days.contains(&wd) {
                        continue;
                    }
                    den += 1;
                    parts[usize::from(*round)].1 += 1;
                    if walked.contains(&(*round, day)) {
                        num += 1;
                        parts[usize::from(*round)].0 += 1;
                    }
                }
            }
        }
        (num, den, parts)
    }
}

/// The facts of `p` in facts sorted by time.
fn slice(facts: &[Fact], p: Period) -> &[Fact] {
    let a = facts.partition_point(|f| f.at < p.from);
    let b = facts.partition_point(|f| f.at < p.to);
    &facts[a..b.max(a)]
}

fn ratio(num: usize, den: usize) -> Value {
    if den == 0 {
        Value::NoData
    } else {
        Value::Ratio {
            num: num as u64,
            den: den as u64,
        }
    }
}

fn median(values: impl Iterator<Item = i64>) -> Value {
    let mut v: Vec<i64> = values.collect();
    if v.is_empty() {
        return Value::NoData;
    }
    v.sort_unstable();
    let n = v.len();
    let m = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    };
    Value::Minutes { m }
}
