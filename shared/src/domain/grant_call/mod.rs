//! A call for micro-grant proposals 微创投征集: staff open it with published criteria, a
//! deadline and a review panel (person ids: staff, party representatives, residents); the
//! panel scores and comments each proposal here; staff record the decision (funded with an
//! amount, or not, with reasons), which the proposer reads. The money moves in the fund's
//! ledger, never here.

mod commands;
mod rules;
#[cfg(test)]
mod tests;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_obj, list_strings, map_keys};
use crate::domain::fund::Fen;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::{DAY, Millis};

pub use commands::CallCommand;

pub const CRITERIA_MAX: usize = 8;
pub const PANEL_MAX: usize = 30;
pub const COMMENT_MAX: usize = 500;
/// How far ahead a deadline may lie.
pub const DEADLINE_AHEAD_MAX: Millis = 366 * DAY;

/// The criteria published with a new call unless staff write others.
pub fn default_criteria() -> Vec<String> {
    vec![
        "惠及居民多 Benefits many residents".into(),
        "居民自己动手 Residents do it themselves".into(),
        "预算合理 Sensible budget".into(),
        "能持续 Can last".into(),
    ]
}

/// What staff write to open a call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDraft {
    pub title: String,
    pub criteria: Vec<String>,
    pub deadline: Millis,
    pub panel: Vec<String>,
}

/// One reviewer's review of one proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub reviewer: String,
    pub by_name: String,
    pub at: Millis,
    /// One score (1–5) per criterion, in the criteria's order (0: not scored).
    pub scores: Vec<i64>,
    pub comment: String,
    /// The reviewer asks the proposer for a revision.
    pub revision: bool,
}

/// The outcome staff record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Funded,
    NotFunded,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Funded => "funded",
            Outcome::NotFunded => "not_funded",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Funded, Outcome::NotFunded]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub amount: Fen,
    pub reasons: String,
    pub at: Millis,
    pub by: String,
    pub by_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub title: String,
    pub criteria: Vec<String>,
    pub opened_at: Millis,
    pub deadline: Millis,
    /// Staff closed it before its deadline.
    pub closed: bool,
    pub panel: Vec<String>,
    /// Per proposal (document id): its reviews.
    pub reviews: Vec<(String, Vec<Review>)>,
    /// Per proposal: the decision.
    pub decisions: Vec<(String, Decision)>,
}

impl Call {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::GrantCall)?;
        let root = Fields::of(doc, &ROOT);
        let strings = |key: &str| -> Vec<String> {
            root.obj(key, ObjType::List)
                .map(|l| list_strings(doc, &l))
                .unwrap_or_default()
        };
        // Reviews are keyed `<proposal> <reviewer>` in one map, so two reviewers writing at
        // once never race to create a shared per-proposal map.
        let mut reviews: Vec<(String, Vec<Review>)> = Vec::new();
        if let Some(m) = root.obj("reviews", ObjType::Map) {
            for k in map_keys(doc, &m) {
                let Some((proposal, reviewer)) = k.split_once(' ') else {
                    continue;
                };
                let Some(r) = get_obj(doc, &m, &k, ObjType::Map) else {
                    continue;
                };
                let f = Fields::of(doc, &r);
                let scores = get_obj(doc, &r, "scores", ObjType::List)
                    .map(|l| {
                        doc.list_range(&l, ..)
                            .map(|i| match i.value {
                                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => n,
                                _ => 0,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let review = Review {
                    reviewer: reviewer.to_string(),
                    by_name: f.str("by_name").unwrap_or_default(),
                    at: f.i64("at").unwrap_or(0),
                    scores,
                    comment: f.str("comment").unwrap_or_default(),
                    revision: f.bool("revision").unwrap_or(false),
                };
                match reviews.iter_mut().find(|(p, _)| p == proposal) {
                    Some((_, list)) => list.push(review),
                    None => reviews.push((proposal.to_string(), vec![review])),
                }
            }
        }
        let mut decisions = Vec::new();
        if let Some(m) = root.obj("decisions", ObjType::Map) {
            for proposal in map_keys(doc, &m) {
                let Some(d) = get_obj(doc, &m, &proposal, ObjType::Map) else {
                    continue;
                };
                let f = Fields::of(doc, &d);
                let Some(outcome) = f.str("outcome").and_then(|o| Outcome::parse(&o)) else {
                    continue;
                };
                decisions.push((
                    proposal,
                    Decision {
                        outcome,
                        amount: f.i64("amount").unwrap_or(0),
                        reasons: f.str("reasons").unwrap_or_default(),
                        at: f.i64("at").unwrap_or(0),
                        by: f.str("by").unwrap_or_default(),
                        by_name: f.str("by_name").unwrap_or_default(),
                    },
                ));
            }
        }
        Ok(Call {
            title: root.str("title").unwrap_or_default(),
            criteria: strings("criteria"),
            opened_at: root.i64("opened_at").unwrap_or(0),
            deadline: root.i64("deadline").unwrap_or(0),
            closed: root.bool("closed").unwrap_or(false),
            panel: strings("panel"),
            reviews,
            decisions,
        })
    }

    /// Open for proposals at `now` (the relay-corrected clock).
    pub fn is_open(&self, now: Millis) -> bool {
        !self.closed && now <= self.deadline
    }

    pub fn reviews_of(&self, proposal: &str) -> &[Review] {
        self.reviews
            .iter()
            .find(|(p, _)| p == proposal)
            .map_or(&[], |(_, r)| r.as_slice())
    }

    pub fn decision(&self, proposal: &str) -> Option<&Decision> {
        self.decisions
            .iter()
            .find(|(p, _)| p == proposal)
            .map(|(_, d)| d)
    }

    /// A proposal's mean score over every criterion scored, times 10 (so 4.3 is 43).
    pub fn mean_score_x10(&self, proposal: &str) -> Option<i64> {
        let scores: Vec<i64> = self
            .reviews_of(proposal)
            .iter()
            .flat_map(|r| r.scores.iter().copied().filter(|s| (1..=5).contains(s)))
            .collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<i64>() * 10 / scores.len() as i64)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSummary {
    pub call: Call,
}

/// The call kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "grant_call";
    type Summary = CallSummary;
    type Command = CallCommand;

    fn apply(doc: &mut Automerge, command: &CallCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<CallSummary> {
        Some(CallSummary {
            call: Call::read(doc).ok()?,
        })
    }

    /// Every enrolled person: criteria, scores and decisions are published.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::ID_MAX;
        Some(match (parent, field) {
            (Some("criteria"), "*") => 60,
            (Some("panel"), "*") => ID_MAX,
            (_, "title") => 60,
            (_, "comment" | "reasons") => COMMENT_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        match field {
            "criteria" | "scores" => Some(CRITERIA_MAX),
            "panel" => Some(PANEL_MAX),
            _ => None,
        }
    }

    const TIME_FIELDS: &'static [&'static str] = &["at", "opened_at"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's reviews go, and so does their seat on the panel; decisions they
    /// recorded stay, without their name.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let call = Call::read(doc).ok()?;
        let reviewed = call
            .reviews
            .iter()
            .any(|(_, rs)| rs.iter().any(|r| r.reviewer == person));
        let decided = call.decisions.iter().any(|(_, d)| d.by == person);
        let seated = call.panel.iter().any(|p| p == person);
        if !(reviewed || decided || seated) {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                if let Some(m) = get_obj(tx, &ROOT, "reviews", ObjType::Map) {
                    for (proposal, _) in &call.reviews {
                        tx.delete(&m, review_key(proposal, person))?;
                    }
                }
                if let Some(m) = get_obj(tx, &ROOT, "decisions", ObjType::Map) {
                    for (proposal, d) in &call.decisions {
                        if d.by == person
                            && let Some(o) = get_obj(tx, &m, proposal, ObjType::Map)
                        {
                            tx.put(&o, "by", crate::domain::requests::ERASED)?;
                            tx.delete(&o, "by_name")?;
                        }
                    }
                }
                if seated {
                    let panel: Vec<String> = call
                        .panel
                        .iter()
                        .filter(|p| *p != person)
                        .cloned()
                        .collect();
                    let l = tx.put_object(ROOT, "panel", ObjType::List)?;
                    for (i, p) in panel.iter().enumerate() {
                        tx.insert(&l, i, p.as_str())?;
                    }
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
}

/// Opens a call in an empty document.
pub fn open_call(doc: &mut Automerge, d: &CallDraft, now: Millis) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("grant_call"));
    }
    crate::domain::errors::check_text(&d.title, 60)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::GrantCall.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "title", d.title.trim())?;
        tx.put(ROOT, "opened_at", now)?;
        tx.put(ROOT, "deadline", d.deadline)?;
        tx.put(ROOT, "closed", false)?;
        let c = tx.put_object(ROOT, "criteria", ObjType::List)?;
        for (i, s) in d.criteria.iter().enumerate() {
            tx.insert(&c, i, s.as_str())?;
        }
        let p = tx.put_object(ROOT, "panel", ObjType::List)?;
        for (i, s) in d.panel.iter().enumerate() {
            tx.insert(&p, i, s.as_str())?;
        }
        tx.put_object(ROOT, "reviews", ObjType::Map)?;
        tx.put_object(ROOT, "decisions", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff: the deadline, closing early or reopening, and the panel.
pub fn set_call(
    doc: &mut Automerge,
    deadline: Option<Millis>,
    closed: Option<bool>,
    panel: Option<&[String]>,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::GrantCall)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if let Some(d) = deadline {
            tx.put(ROOT, "deadline", d)?;
        }
        if let Some(c) = closed {
            tx.put(ROOT, "closed", c)?;
        }
        if let Some(panel) = panel {
            let p = tx.put_object(ROOT, "panel", ObjType::List)?;
            for (i, s) in panel.iter().enumerate() {
                tx.insert(&p, i, s.as_str())?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// A panel member's review of a proposal (replacing their earlier one).
#[allow(clippy::too_many_arguments)]
pub fn review(
    doc: &mut Automerge,
    proposal: &str,
    reviewer: &str,
    by_name: &str,
    scores: &[i64],
    comment: &str,
    revision: bool,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::GrantCall)?;
    if scores.iter().any(|s| !(0..=5).contains(s)) || scores.len() > CRITERIA_MAX {
        return Err(ModelError::Malformed("scores"));
    }
    if comment.chars().count() > COMMENT_MAX {
        return Err(crate::domain::InputError::TextTooLong {
            len: comment.chars().count(),
            max: COMMENT_MAX,
        }
        .into());
    }
    let reviews =
        get_obj(doc, &ROOT, "reviews", ObjType::Map).ok_or(ModelError::Malformed("reviews"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let r = tx.put_object(&reviews, review_key(proposal, reviewer), ObjType::Map)?;
        tx.put(&r, "at", now)?;
        if !by_name.is_empty() {
            tx.put(&r, "by_name", by_name)?;
        }
        let l = tx.put_object(&r, "scores", ObjType::List)?;
        for (i, s) in scores.iter().enumerate() {
            tx.insert(&l, i, *s)?;
        }
        tx.put(&r, "comment", comment.trim())?;
        tx.put(&r, "revision", revision)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Where a reviewer's review of a proposal lives in `reviews`.
pub fn review_key(proposal: &str, reviewer: &str) -> String {
    format!("{proposal} {reviewer}")
}

/// Staff record the decision on a proposal.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    doc: &mut Automerge,
    proposal: &str,
    outcome: Outcome,
    amount: Fen,
    reasons: &str,
    by: &str,
    by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::GrantCall)?;
    let decisions =
        get_obj(doc, &ROOT, "decisions", ObjType::Map).ok_or(ModelError::Malformed("decisions"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let d = tx.put_object(&decisions, proposal, ObjType::Map)?;
        tx.put(&d, "outcome", outcome.as_str())?;
        tx.put(&d, "amount", amount.max(0))?;
        tx.put(&d, "reasons", reasons.trim())?;
        tx.put(&d, "at", now)?;
        tx.put(&d, "by", by)?;
        if !by_name.is_empty() {
            tx.put(&d, "by_name", by_name)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}
