//! The fund's ledger: append-only entries in integer fen, and the balances they add up to.
//!
//! Two kinds of account: the fund's **available** money (not yet allocated to any project) and
//! each project's **remaining budget** (allocated or co-funded, not yet spent), with each of
//! its budget lines. Allocations and refunds move money between the two; income, decision
//! contributions and co-funding bring money in; spending takes it out. The fund's **cash** is
//! the sum of every entry's effect (money in minus money spent), and equals available plus
//! every project's remaining budget. The relay refuses a change after which any account would
//! be negative (ARCHITECTURE.md, "The ledger rule").

use std::collections::BTreeMap;

use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_obj, get_strings, list_maps};
use crate::time::Millis;

/// Integer fen (1 yuan = 100 fen).
pub type Fen = i64;

/// The largest amount one entry may carry: 100 million yuan. Sums stay far from overflow.
pub const AMOUNT_MAX: Fen = 10_000_000_000;

/// What kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryType {
    /// Money the community earns for the fund (the starting amount, a social enterprise's
    /// share of its revenue). Staff.
    Income,
    /// A four-party decision's cost split putting a share into the fund. Staff.
    Contribution,
    /// Money from the available balance to a funded project, split into budget lines. Staff.
    Allocation,
    /// Money a project spends against one of its budget lines, with receipt photos. The
    /// project's leader or staff.
    Spending,
    /// A resident's own co-funding: to a project (its remaining budget) or to the fund. In
    /// the resident's own name.
    Cofunding,
    /// A project's unspent money returned to the available balance. Staff.
    Refund,
    /// Staff's recorded approval to spend more on a budget line than it was allotted (moves
    /// no money: the project's remaining budget still bounds it).
    Approval,
}

impl EntryType {
    pub const ALL: [EntryType; 7] = [
        EntryType::Income,
        EntryType::Contribution,
        EntryType::Allocation,
        EntryType::Spending,
        EntryType::Cofunding,
        EntryType::Refund,
        EntryType::Approval,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryType::Income => "income",
            EntryType::Contribution => "contribution",
            EntryType::Allocation => "allocation",
            EntryType::Spending => "spending",
            EntryType::Cofunding => "cofunding",
            EntryType::Refund => "refund",
            EntryType::Approval => "approval",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Written by staff only.
    pub fn staff_only(self) -> bool {
        matches!(
            self,
            EntryType::Income
                | EntryType::Contribution
                | EntryType::Allocation
                | EntryType::Refund
                | EntryType::Approval
        )
    }

    /// The fields an entry of this type may carry beyond `type`, `amount`, `at`, `by`,
    /// `by_name` and `note`.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            EntryType::Income => &[],
            EntryType::Contribution => &["decision"],
            EntryType::Allocation => &["project", "title", "leader", "lines"],
            EntryType::Spending => &["project", "line", "receipts"],
            EntryType::Cofunding => &["project"],
            EntryType::Refund => &["project"],
            EntryType::Approval => &["project", "line"],
        }
    }

    /// What the entry does to the fund's cash (money in, money out, or neither).
    pub fn cash_sign(self) -> i64 {
        match self {
            EntryType::Income | EntryType::Contribution | EntryType::Cofunding => 1,
            EntryType::Spending => -1,
            EntryType::Allocation | EntryType::Refund | EntryType::Approval => 0,
        }
    }
}

/// One ledger entry as read from the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The entry's object id in the document (stable, unique).
    pub id: String,
    /// `None` for a type this version does not know (read, counted as nothing).
    pub kind: Option<EntryType>,
    pub amount: Fen,
    pub at: Millis,
    pub by: String,
    #[serde(default)]
    pub by_name: String,
    #[serde(default)]
    pub note: String,
    /// The project it concerns (allocation, spending, refund, approval; co-funding to a
    /// project).
    #[serde(default)]
    pub project: String,
    /// The budget line (spending, approval).
    #[serde(default)]
    pub line: String,
    /// An allocation: the project's title and leader, and its budget lines.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub lines: Vec<(String, Fen)>,
    /// A spending's receipt photos (content hashes).
    #[serde(default)]
    pub receipts: Vec<String>,
    /// A contribution: the decision it comes from.
    #[serde(default)]
    pub decision: String,
}

/// What is wrong with an entry, as the relay and the forms see it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("an amount is a whole number of fen above 0 and at most {max}")]
    Amount { max: Fen },
    #[error("an entry of an unknown type")]
    UnknownType,
    #[error("a `{0}` entry needs `{1}`")]
    Missing(&'static str, &'static str),
    #[error("an allocation's budget lines add up to {lines}, not its amount {amount}")]
    LinesDiffer { lines: Fen, amount: Fen },
    #[error("at most {max} budget lines")]
    TooManyLines { max: usize },
    #[error("the project `{0}` has no allocation")]
    NoProject(String),
    #[error("the project `{project}` has no budget line `{line}`")]
    NoLine { project: String, line: String },
    #[error("an allocation to `{0}` names another leader than the first")]
    LeaderChanged(String),
}

/// The most budget lines a project has.
pub const LINES_MAX: usize = 20;
/// The most receipt photos on one spending.
pub const RECEIPTS_MAX: usize = 3;

impl Entry {
    /// Checks what an entry must say, alone.
    pub fn validate(&self) -> Result<(), EntryError> {
        let kind = self.kind.ok_or(EntryError::UnknownType)?;
        if self.amount <= 0 || self.amount > AMOUNT_MAX {
            // An approval may raise a line by any positive amount too.
            return Err(EntryError::Amount { max: AMOUNT_MAX });
        }
        let need = |v: &str, field: &'static str| {
            if v.trim().is_empty() {
                Err(EntryError::Missing(kind.as_str(), field))
            } else {
                Ok(())
            }
        };
        match kind {
            EntryType::Allocation => {
                need(&self.project, "project")?;
                need(&self.title, "title")?;
                need(&self.leader, "leader")?;
                if self.lines.is_empty() {
                    return Err(EntryError::Missing("allocation", "lines"));
                }
                if self.lines.len() > LINES_MAX {
                    return Err(EntryError::TooManyLines { max: LINES_MAX });
                }
                if self.lines.iter().any(|(_, a)| *a < 0 || *a > AMOUNT_MAX) {
                    return Err(EntryError::Amount { max: AMOUNT_MAX });
                }
                let sum: Fen = self.lines.iter().map(|(_, a)| a).sum();
                if sum != self.amount {
                    return Err(EntryError::LinesDiffer {
                        lines: sum,
                        amount: self.amount,
                    });
                }
            }
            EntryType::Spending | EntryType::Approval => {
                need(&self.project, "project")?;
                need(&self.line, "line")?;
            }
            EntryType::Refund => need(&self.project, "project")?,
            EntryType::Income | EntryType::Contribution | EntryType::Cofunding => {}
        }
        Ok(())
    }
}

/// A funded project as the ledger sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectAccount {
    pub project: String,
    pub title: String,
    /// Everyone named as leader by an allocation (one, in practice).
    pub leaders: Vec<String>,
    pub allocated: Fen,
    pub cofunded: Fen,
    pub spent: Fen,
    pub refunded: Fen,
    /// Per budget line: (line, allotted + approved, spent).
    pub lines: Vec<(String, Fen, Fen)>,
}

impl ProjectAccount {
    pub fn remaining(&self) -> Fen {
        self.allocated + self.cofunded - self.spent - self.refunded
    }

    pub fn line(&self, line: &str) -> Option<(Fen, Fen)> {
        self.lines
            .iter()
            .find(|(l, _, _)| l == line)
            .map(|(_, cap, spent)| (*cap, *spent))
    }
}

/// The whole fund as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub name: String,
    pub entries: Vec<Entry>,
}

/// Which account a ledger would overdraw.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Overdraft {
    #[error("the fund's available balance would be {0} fen")]
    Fund(Fen),
    #[error("project `{project}`'s remaining budget would be {remaining} fen")]
    Project { project: String, remaining: Fen },
    #[error(
        "budget line `{line}` of project `{project}` would be over by {over} fen without an approval"
    )]
    Line {
        project: String,
        line: String,
        over: Fen,
    },
    #[error(transparent)]
    Entry(#[from] EntryError),
}

impl Ledger {
    pub fn read(doc: &Automerge) -> Option<Ledger> {
        crate::domain::scope::expect_kind(doc, crate::domain::DocKind::Fund).ok()?;
        let root = Fields::of(doc, &ROOT);
        let mut entries = Vec::new();
        if let Some(list) = root.obj("entries", ObjType::List) {
            for e in list_maps(doc, &list) {
                entries.push(read_entry(doc, &e));
            }
        }
        Some(Ledger {
            name: root.str("name").unwrap_or_default(),
            entries,
        })
    }

    /// Entries in the order they happened (time, then id), the order every replica agrees on.
    pub fn ordered(&self) -> Vec<&Entry> {
        let mut v: Vec<&Entry> = self.entries.iter().collect();
        v.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        v
    }

    /// The fund's cash: the sum of every entry's effect (money in minus money spent).
    pub fn cash(&self) -> Fen {
        self.entries
            .iter()
            .filter_map(|e| Some(e.kind?.cash_sign() * e.amount))
            .sum()
    }

    /// Money not yet allocated to any project.
    pub fn available(&self) -> Fen {
        self.entries
            .iter()
            .map(|e| match e.kind {
                Some(EntryType::Income | EntryType::Contribution) => e.amount,
                Some(EntryType::Cofunding) if e.project.is_empty() => e.amount,
                Some(EntryType::Allocation) => -e.amount,
                Some(EntryType::Refund) => e.amount,
                _ => 0,
            })
            .sum()
    }

    /// Money that came in (income, contributions, co-funding).
    pub fn raised(&self) -> Fen {
        self.entries
            .iter()
            .filter(|e| e.kind.is_some_and(|k| k.cash_sign() > 0))
            .map(|e| e.amount)
            .sum()
    }

    /// Every project that has an allocation, in the order of its first allocation.
    pub fn projects(&self) -> Vec<ProjectAccount> {
        let mut order: Vec<String> = Vec::new();
        let mut accounts: BTreeMap<String, ProjectAccount> = BTreeMap::new();
        for e in self.ordered() {
            if e.kind == Some(EntryType::Allocation) && !accounts.contains_key(&e.project) {
                order.push(e.project.clone());
                accounts.insert(
                    e.project.clone(),
                    ProjectAccount {
                        project: e.project.clone(),
                        title: e.title.clone(),
                        leaders: Vec::new(),
                        allocated: 0,
                        cofunded: 0,
                        spent: 0,
                        refunded: 0,
                        lines: Vec::new(),
                    },
                );
            }
            let Some(a) = accounts.get_mut(&e.project) else {
                continue;
            };
            let mut add_line = |line: &str, cap: Fen, spent: Fen| match a
                .lines
                .iter_mut()
                .find(|(l, _, _)| l == line)
            {
                Some(l) => {
                    l.1 += cap;
                    l.2 += spent;
                }
                None => a.lines.push((line.to_string(), cap, spent)),
            };
            match e.kind {
                Some(EntryType::Allocation) => {
                    for (line, amount) in &e.lines {
                        add_line(line, *amount, 0);
                    }
                    a.allocated += e.amount;
                    if !a.leaders.contains(&e.leader) {
                        a.leaders.push(e.leader.clone());
                    }
                }
                Some(EntryType::Approval) => add_line(&e.line, e.amount, 0),
                Some(EntryType::Spending) => {
                    add_line(&e.line, 0, e.amount);
                    a.spent += e.amount;
                }
                Some(EntryType::Cofunding) => a.cofunded += e.amount,
                Some(EntryType::Refund) => a.refunded += e.amount,
                _ => {}
            }
        }
        order
            .into_iter()
            .filter_map(|p| accounts.remove(&p))
            .collect()
    }

    pub fn project(&self, project: &str) -> Option<ProjectAccount> {
        self.projects().into_iter().find(|p| p.project == project)
    }

    /// Whether this person leads the project (named by an allocation to it).
    pub fn leads(&self, person: &str, project: &str) -> bool {
        self.entries.iter().any(|e| {
            e.kind == Some(EntryType::Allocation) && e.project == project && e.leader == person
        })
    }

    /// The ledger rule: every entry well formed and referring to what exists, the available
    /// balance, every project's remaining budget and every budget line at or above zero.
    /// Order does not matter: the balances are sums, so every replica holding the same
    /// entries reaches the same verdict.
    pub fn check(&self) -> Result<(), Overdraft> {
        let projects = self.projects();
        for e in &self.entries {
            e.validate()?;
            let kind = e.kind.ok_or(EntryError::UnknownType)?;
            let needs_project = matches!(
                kind,
                EntryType::Spending | EntryType::Refund | EntryType::Approval
            ) || (kind == EntryType::Cofunding && !e.project.is_empty());
            if needs_project {
                let Some(p) = projects.iter().find(|p| p.project == e.project) else {
                    return Err(EntryError::NoProject(e.project.clone()).into());
                };
                if matches!(kind, EntryType::Spending | EntryType::Approval)
                    && !self.entries.iter().any(|a| {
                        a.kind == Some(EntryType::Allocation)
                            && a.project == e.project
                            && a.lines.iter().any(|(l, _)| l == &e.line)
                    })
                {
                    return Err(EntryError::NoLine {
                        project: p.project.clone(),
                        line: e.line.clone(),
                    }
                    .into());
                }
            }
            if kind == EntryType::Allocation
                && let Some(p) = projects.iter().find(|p| p.project == e.project)
                && p.leaders.len() > 1
            {
                return Err(EntryError::LeaderChanged(e.project.clone()).into());
            }
        }
        let available = self.available();
        if available < 0 {
            return Err(Overdraft::Fund(available));
        }
        for p in &projects {
            if p.remaining() < 0 {
                return Err(Overdraft::Project {
                    project: p.project.clone(),
                    remaining: p.remaining(),
                });
            }
            for (line, cap, spent) in &p.lines {
                if spent > cap {
                    return Err(Overdraft::Line {
                        project: p.project.clone(),
                        line: line.clone(),
                        over: spent - cap,
                    });
                }
            }
        }
        Ok(())
    }
}

fn read_entry(doc: &Automerge, e: &automerge::ObjId) -> Entry {
    let f = Fields::of(doc, e);
    let lines = get_obj(doc, e, "lines", ObjType::Map)
        .map(|m| {
            doc.map_range(&m, ..)
                .map(|item| {
                    let amount = match item.value {
                        automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => n,
                        automerge::ValueRef::Scalar(automerge::ScalarValueRef::Uint(n)) => {
                            i64::try_from(n).unwrap_or(i64::MAX)
                        }
                        // Not an amount: counted as an impossible one, which the rule refuses.
                        _ => -1,
                    };
                    (item.key.to_string(), amount)
                })
                .collect()
        })
        .unwrap_or_default();
    let receipts = get_strings(doc, e, "receipts");
    Entry {
        id: e.to_string(),
        kind: f.str("type").and_then(|t| EntryType::parse(&t)),
        // An amount that is not an integer reads as 0, which no entry may carry.
        amount: f.i64("amount").unwrap_or(0),
        at: f.i64("at").unwrap_or(0),
        by: f.str("by").unwrap_or_default(),
        by_name: f.str("by_name").unwrap_or_default(),
        note: f.str("note").unwrap_or_default(),
        project: f.str("project").unwrap_or_default(),
        line: f.str("line").unwrap_or_default(),
        title: f.str("title").unwrap_or_default(),
        leader: f.str("leader").unwrap_or_default(),
        decision: f.str("decision").unwrap_or_default(),
        lines,
        receipts,
    }
}

/// Reads `"1234.5"` or `"1,234.50"` yuan as fen; `None` for anything else (negative, more
/// than two decimals, not a number, above [`AMOUNT_MAX`]).
pub fn parse_yuan(s: &str) -> Option<Fen> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let s = s.strip_prefix('¥').unwrap_or(&s).trim();
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) || whole.len() > 9 {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    let fen = w * 100 + f;
    (fen <= AMOUNT_MAX).then_some(fen)
}

/// Fen as yuan: `150000.00`, with thousands separators: `150,000.00`.
pub fn yuan(fen: Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}
