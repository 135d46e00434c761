//! Patrols 早巡午访夜谈: a grid's log of rounds for one month. Each round is appended by the
//! team member or grid worker who walked it, in their own name, offline in a stairwell if need
//! be: its kind, when, the buildings, what was found (text, where, photos; a finding becomes a
//! request in one tap and the two are linked both ways) and, at midday, the elders visited
//! with a short checklist (well, needs help, not home: follow up).
//!
//! One document per grid and month keeps a year at a dozen documents a grid; two phones that
//! each open the month's log offline make two logs, and the app reads them together.

mod report;
mod rules;

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{get_i64, get_obj, get_str, get_strings, list_maps};
use crate::domain::grid::Round;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

pub use report::{WeekRow, iso_weekday, month_of, week_report, week_start};

/// A finding's text and a round's note.
pub const TEXT_MAX: usize = 500;
/// Where a finding was (`13号楼2单元楼道`).
pub const PLACE_MAX: usize = 60;
pub const ROUNDS_MAX: usize = 400;
pub const FINDINGS_MAX: usize = 20;
pub const VISITS_MAX: usize = 40;
pub const PHOTOS_MAX: usize = 3;
pub const BUILDINGS_MAX: usize = 20;

/// How an elder was found on a midday visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 一切安好
    Well,
    /// 需要帮助: follow up.
    NeedsHelp,
    /// 不在家: follow up.
    NotHome,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Well, Outcome::NeedsHelp, Outcome::NotHome];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Well => "well",
            Outcome::NeedsHelp => "needs_help",
            Outcome::NotHome => "not_home",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether someone should go back.
    pub fn follow_up(self) -> bool {
        self != Outcome::Well
    }
}

/// Something seen on a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub text: String,
    pub place: String,
    pub photos: Vec<String>,
    /// The request it became (a document id), empty until then.
    pub request: String,
}

/// An elder visited at midday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub name: String,
    pub flat: String,
    pub outcome: Outcome,
    pub note: String,
}

/// One round walked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatrolRound {
    /// The round's object id in its log (stable).
    pub id: String,
    pub round: Round,
    pub by: String,
    pub by_name: String,
    pub at: Millis,
    pub buildings: Vec<String>,
    pub note: String,
    pub findings: Vec<Finding>,
    pub visits: Vec<Visit>,
}

/// A grid's log for a month, as a device keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatrolLog {
    pub grid: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Oldest first.
    pub rounds: Vec<PatrolRound>,
}

impl PatrolLog {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Patrols)?;
        let s = |k: &'static str| get_str(doc, &ROOT, k).ok_or(ModelError::Malformed(k));
        let mut rounds = Vec::new();
        if let Some(list) = get_obj(doc, &ROOT, "rounds", ObjType::List) {
            for r in list_maps(doc, &list) {
                if let Some(round) = read_round(doc, &r) {
                    rounds.push(round);
                }
            }
        }
        rounds.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        Ok(PatrolLog {
            grid: s("grid")?,
            month: s("month")?,
            rounds,
        })
    }

    /// Every finding with the round it was seen on.
    pub fn findings(&self) -> impl Iterator<Item = (&PatrolRound, usize, &Finding)> {
        self.rounds
            .iter()
            .flat_map(|r| r.findings.iter().enumerate().map(move |(i, f)| (r, i, f)))
    }
}

/// A round as written; `None` when it is not a well-formed one.
fn read_round(doc: &Automerge, r: &automerge::ObjId) -> Option<PatrolRound> {
    let findings = get_obj(doc, r, "findings", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .map(|f| Finding {
                    text: get_str(doc, &f, "text").unwrap_or_default(),
                    place: get_str(doc, &f, "place").unwrap_or_default(),
                    photos: get_strings(doc, &f, "photos"),
                    request: get_str(doc, &f, "request").unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let visits = get_obj(doc, r, "visits", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .filter_map(|v| {
                    Some(Visit {
                        name: get_str(doc, &v, "name").unwrap_or_default(),
                        flat: get_str(doc, &v, "flat").unwrap_or_default(),
                        outcome: Outcome::parse(&get_str(doc, &v, "outcome")?)?,
                        note: get_str(doc, &v, "note").unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(PatrolRound {
        id: r.to_string(),
        round: Round::parse(&get_str(doc, r, "round")?)?,
        by: get_str(doc, r, "by")?,
        by_name: get_str(doc, r, "by_name").unwrap_or_default(),
        at: get_i64(doc, r, "at")?,
        buildings: get_strings(doc, r, "buildings"),
        note: get_str(doc, r, "note").unwrap_or_default(),
        findings,
        visits,
    })
}

/// A finding as the person types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FindingDraft {
    pub text: String,
    pub place: String,
    #[serde(default)]
    pub photos: Vec<String>,
}

/// A round as the person fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDraft {
    pub round: Round,
    pub buildings: Vec<String>,
    pub note: String,
    pub findings: Vec<FindingDraft>,
    pub visits: Vec<Visit>,
}

impl RoundDraft {
    /// What is wrong with it, each problem once, in the order of the form. A finding's text
    /// is seen by the whole team and may become a request's public title: no phone, ID or
    /// bank card numbers or plates in it.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        for f in &self.findings {
            if f.text.trim().is_empty() {
                push(&mut out, InputError::TextEmpty);
            } else if len(&f.text) > TEXT_MAX {
                push(
                    &mut out,
                    InputError::TextTooLong {
                        len: len(&f.text),
                        max: TEXT_MAX,
                    },
                );
            }
            if let Some(found) = crate::pii::find(&f.text).first() {
                push(&mut out, InputError::PersonalData { what: found.kind });
            }
            if f.photos.len() > PHOTOS_MAX {
                push(&mut out, InputError::TooManyPhotos { max: PHOTOS_MAX });
            }
        }
        if len(&self.note) > TEXT_MAX {
            push(
                &mut out,
                InputError::TextTooLong {
                    len: len(&self.note),
                    max: TEXT_MAX,
                },
            );
        }
        out
    }
}

fn push(out: &mut Vec<InputError>, e: InputError) {
    if !out.contains(&e) {
        out.push(e);
    }
}

/// What a team member or grid worker does to a month's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PatrolCommand {
    /// Opens a grid's log for a month in an empty document.
    Open { grid: String, month: String },
    /// Appends a round walked now, in `by`'s name.
    Log {
        by: String,
        by_name: String,
        draft: RoundDraft,
    },
    /// Records the request a finding became.
    LinkFinding {
        round: String,
        finding: usize,
        request: String,
    },
}

impl PatrolCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            PatrolCommand::Open { grid, month } => open_log(doc, grid, month),
            PatrolCommand::Log { by, by_name, draft } => {
                log_round(doc, by, by_name, draft, now).map(|_| ())
            }
            PatrolCommand::LinkFinding {
                round,
                finding,
                request,
            } => link_finding(doc, round, *finding, request),
        }
    }
}

/// Writes a new, empty log into an empty document.
pub fn open_log(doc: &mut Automerge, grid: &str, month: &str) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("patrols"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Patrols.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "grid", grid)?;
        tx.put(ROOT, "month", month)?;
        tx.put_object(ROOT, "rounds", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Appends a round; returns its id.
pub fn log_round(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    draft: &RoundDraft,
    now: Millis,
) -> Result<String, ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    expect_kind(doc, DocKind::Patrols)?;
    let list =
        get_obj(doc, &ROOT, "rounds", ObjType::List).ok_or(ModelError::Malformed("rounds"))?;
    let at = doc.length(&list);
    let id = doc
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            let r = tx.insert_object(&list, at, ObjType::Map)?;
            tx.put(&r, "round", draft.round.as_str())?;
            tx.put(&r, "by", by)?;
            if !by_name.is_empty() {
                tx.put(&r, "by_name", by_name)?;
            }
            tx.put(&r, "at", now)?;
            // Empty parts are left out: a grid logs about two rounds a day, most of them
            // quiet, and every operation is kept forever.
            if !draft.buildings.is_empty() {
                let b = tx.put_object(&r, "buildings", ObjType::List)?;
                for (i, s) in draft.buildings.iter().enumerate() {
                    tx.insert(&b, i, s.as_str())?;
                }
            }
            if !draft.note.trim().is_empty() {
                tx.put(&r, "note", draft.note.trim())?;
            }
            if draft.findings.is_empty() && draft.visits.is_empty() {
                return Ok(r);
            }
            let fl = tx.put_object(&r, "findings", ObjType::List)?;
            for (i, f) in draft.findings.iter().enumerate() {
                let m = tx.insert_object(&fl, i, ObjType::Map)?;
                tx.put(&m, "text", f.text.trim())?;
                tx.put(&m, "place", f.place.trim())?;
                let p = tx.put_object(&m, "photos", ObjType::List)?;
                for (j, h) in f.photos.iter().enumerate() {
                    tx.insert(&p, j, h.as_str())?;
                }
                tx.put(&m, "request", "")?;
            }
            let vl = tx.put_object(&r, "visits", ObjType::List)?;
            for (i, v) in draft.visits.iter().enumerate() {
                let m = tx.insert_object(&vl, i, ObjType::Map)?;
                tx.put(&m, "name", v.name.trim())?;
                tx.put(&m, "flat", v.flat.trim())?;
                tx.put(&m, "outcome", v.outcome.as_str())?;
                tx.put(&m, "note", v.note.trim())?;
            }
            Ok(r)
        })
        .map_err(|f| f.error)?
        .result;
    Ok(id.to_string())
}

/// Records the request finding `finding` of round `round` became.
pub fn link_finding(
    doc: &mut Automerge,
    round: &str,
    finding: usize,
    request: &str,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Patrols)?;
    let list =
        get_obj(doc, &ROOT, "rounds", ObjType::List).ok_or(ModelError::Malformed("rounds"))?;
    let r = list_maps(doc, &list)
        .into_iter()
        .find(|r| r.to_string() == round)
        .ok_or(ModelError::Malformed("round"))?;
    let fl =
        get_obj(doc, &r, "findings", ObjType::List).ok_or(ModelError::Malformed("findings"))?;
    let f = list_maps(doc, &fl)
        .into_iter()
        .nth(finding)
        .ok_or(ModelError::Malformed("finding"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(&f, "request", request)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The patrols kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "patrols";
    type Summary = PatrolLog;
    type Command = PatrolCommand;

    fn apply(doc: &mut Automerge, command: &PatrolCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<PatrolLog> {
        PatrolLog::read(doc).ok()
    }

    /// The grid's team, its grid workers, staff. (Visits name elders: not the residents'.)
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        let grid = scope.grid.as_deref();
        p.is_staff() || p.works_grid(grid) || p.on_team(grid)
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .grid
            .is_none()
            .then_some("a patrol log names its grid")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (_, "text" | "note") => TEXT_MAX,
            (_, "place") => PLACE_MAX,
            (Some("buildings"), "*") => crate::domain::grid::BUILDING_MAX,
            (Some("photos"), "*") => ID_MAX,
            (_, "name" | "by_name") => NAME_MAX,
            (_, "flat") => crate::domain::people::FLAT_MAX,
            (_, "month") => 7,
            (_, "round" | "by" | "outcome" | "request") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "rounds" => ROUNDS_MAX,
            "findings" => FINDINGS_MAX,
            "visits" => VISITS_MAX,
            "photos" => PHOTOS_MAX,
            "buildings" => BUILDINGS_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    /// A finding's text is read by the whole team and becomes a request's title.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["text"];

    fn photos(doc: &Automerge) -> Vec<String> {
        PatrolLog::read(doc)
            .map(|l| {
                l.rounds
                    .into_iter()
                    .flat_map(|r| r.findings.into_iter().flat_map(|f| f.photos))
                    .collect()
            })
            .unwrap_or_default()
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's rounds stay (the grid's record), unsigned.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign(doc, "rounds", person, false)
    }

    /// A visit to an erased person stays (the grid's record of its rounds, its outcome
    /// counted) without her name, her flat or the note about her.
    fn unname(doc: &mut Automerge, name: &str) -> Option<Result<(), ModelError>> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let visits: Vec<automerge::ObjId> = get_obj(doc, &ROOT, "rounds", ObjType::List)
            .map(|rounds| {
                list_maps(doc, &rounds)
                    .iter()
                    .filter_map(|r| get_obj(doc, r, "visits", ObjType::List))
                    .flat_map(|l| list_maps(doc, &l))
                    .filter(|v| get_str(doc, v, "name").as_deref().map(str::trim) == Some(name))
                    .collect()
            })
            .unwrap_or_default();
        if visits.is_empty() {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                for v in &visits {
                    for field in ["name", "flat", "note"] {
                        tx.put(v, field, "")?;
                    }
                }
                Ok(())
            })
            .map(drop)
            .map_err(|f| f.error.into()),
        )
    }
}

#[cfg(test)]
mod tests;
