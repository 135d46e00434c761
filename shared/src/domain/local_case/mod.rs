//! The community's own cases 本社区案例: what this community tried and learnt, written up by
//! its staff in the case library's shape (place, years, the problems it addresses, what was
//! done, results) so that it sits beside the shipped library ([`crate::cases`]), is matched to
//! open problems the same way, and can be shared with another community as a file
//! ([`SharedCase`]: exported here, imported there, with where it came from kept). One
//! document per case.
//!
//! Staff and grid workers read them, as they use the library (its tile is theirs); their text
//! is public text all the same (no phone, ID or bank card numbers, no plates), since a case is
//! meant to be shared beyond the community. Only staff write them ([`rules`]).

mod rules;
mod share;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use serde::{Deserialize, Serialize};

pub use share::{FORMAT, ImportError, SharedCase};

use crate::cases::Tag;
use crate::docutil::{Fields, get_strings};
use crate::domain::errors::chars;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::{Principal, Role};
use crate::time::Millis;

pub const TITLE_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
/// `2025–2026`, `2025年3月起`.
pub const YEARS_MAX: usize = 20;
pub const PROBLEM_MAX: usize = 1_000;
pub const DONE_MAX: usize = 2_000;
pub const RESULTS_MAX: usize = 1_000;
/// Where it is documented (the field notes, the talks' minutes, a news report).
pub const SOURCE_MAX: usize = 300;
/// The community a shared case came from.
pub const FROM_MAX: usize = 60;
/// The problems one case addresses, the main one first (as the library's cases).
pub const TAGS_MAX: usize = 5;
/// New cases one staff member writes or imports in a day: a morning's import of a
/// neighbour's handful is a dozen; more is a script.
pub const DAILY_MAX: u32 = 30;

/// What is wrong with a case as typed, beyond lengths and personal numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum CaseError {
    #[error("a case names at least one problem it addresses")]
    NoProblemTag,
    #[error("a case says what was done")]
    NothingDone,
}

impl CaseError {
    pub fn text(self, zh: bool) -> &'static str {
        match (self, zh) {
            (CaseError::NoProblemTag, true) => "请至少选一个它解决的问题，匹配靠它。",
            (CaseError::NoProblemTag, false) => {
                "Pick at least one problem it addresses: matching relies on it."
            }
            (CaseError::NothingDone, true) => "请写下当时是怎么做的。",
            (CaseError::NothingDone, false) => "Please say what was done.",
        }
    }
}

/// One of the community's own cases, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalCase {
    pub title: String,
    pub place: String,
    pub years: String,
    /// Tag keys ([`Tag::key`]), the main problem first. Unknown keys (a newer app's) are kept
    /// in the document and skipped by [`LocalCase::tags`].
    pub tags: Vec<String>,
    pub problem: String,
    pub done: String,
    pub results: String,
    pub source: String,
    /// The community it was shared from; empty for this community's own.
    pub from: String,
    pub by: String,
    pub by_name: String,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
}

impl LocalCase {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::LocalCase)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        Ok(LocalCase {
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            place: s("place"),
            years: s("years"),
            tags: get_strings(doc, &ROOT, "tags"),
            problem: s("problem"),
            done: s("done"),
            results: s("results"),
            source: s("source"),
            from: s("from"),
            by: f.str("by").ok_or(ModelError::Malformed("by"))?,
            by_name: s("by_name"),
            created_at: f.i64("created_at").unwrap_or_default(),
            edited_at: f.i64("edited_at"),
        })
    }

    /// The problems it addresses, known ones only, the main one first.
    pub fn tags(&self) -> Vec<Tag> {
        self.tags.iter().filter_map(|t| Tag::parse(t)).collect()
    }

    /// All its text, lower-cased: what a search looks in (the tags' names in both languages).
    pub fn haystack(&self) -> String {
        let mut s = self.draft().public_texts().map(|t| t.as_str()).join("\n");
        for t in self.tags() {
            s.push('\n');
            s.push_str(t.zh());
            s.push('\n');
            s.push_str(t.en());
        }
        s.to_lowercase()
    }

    /// Whether a search box's text finds it: every word in its text, or naming one of its
    /// problems the way people say it (as [`crate::cases::search`]).
    pub fn found_by(&self, query: &str) -> bool {
        let hay = self.haystack();
        let tags = self.tags();
        query
            .split(|c: char| c.is_whitespace() || "，。、；：,.;:!?！？".contains(c))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .all(|w| {
                hay.contains(w.as_str())
                    || crate::cases::matching::tags_in(&w)
                        .iter()
                        .any(|(t, _)| tags.contains(t))
            })
    }

    /// The case as its form shows it for an edit.
    pub fn draft(&self) -> CaseDraft {
        CaseDraft {
            title: self.title.clone(),
            place: self.place.clone(),
            years: self.years.clone(),
            tags: self.tags.clone(),
            problem: self.problem.clone(),
            done: self.done.clone(),
            results: self.results.clone(),
            source: self.source.clone(),
            from: self.from.clone(),
        }
    }
}

/// A case as staff fill it in (or as a shared file brings it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CaseDraft {
    pub title: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub years: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub from: String,
}

impl CaseDraft {
    /// The tags as they will be stored: known keys, each once, in the order picked.
    pub fn tags(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &self.tags {
            if Tag::parse(t).is_some() && !out.contains(t) {
                out.push(t.clone());
            }
        }
        out
    }

    /// What is wrong with it, each problem once, in the order of the form.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| chars(s.trim());
        if self.title.trim().is_empty() {
            out.push(InputError::TitleEmpty);
        } else if len(&self.title) > TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: len(&self.title),
                max: TITLE_MAX,
            });
        }
        let tags = self.tags();
        if tags.is_empty() {
            out.push(InputError::Case(CaseError::NoProblemTag));
        } else if tags.len() > TAGS_MAX {
            out.push(InputError::TooManyTags { max: TAGS_MAX });
        }
        if self.done.trim().is_empty() {
            out.push(InputError::Case(CaseError::NothingDone));
        }
        let long = [
            (&self.place, PLACE_MAX),
            (&self.years, YEARS_MAX),
            (&self.problem, PROBLEM_MAX),
            (&self.done, DONE_MAX),
            (&self.results, RESULTS_MAX),
            (&self.source, SOURCE_MAX),
            (&self.from, FROM_MAX),
        ]
        .into_iter()
        .find(|(s, max)| len(s) > *max);
        if let Some((s, max)) = long {
            out.push(InputError::TextTooLong { len: len(s), max });
        }
        for text in self.public_texts() {
            if let Some(found) = crate::pii::find(text).first() {
                let e = InputError::PersonalData { what: found.kind };
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    fn public_texts(&self) -> [&String; 8] {
        [
            &self.title,
            &self.place,
            &self.years,
            &self.problem,
            &self.done,
            &self.results,
            &self.source,
            &self.from,
        ]
    }
}

/// What staff do to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CaseCommand {
    /// Writes a new case into an empty document, in `by`'s name.
    Create {
        draft: Box<CaseDraft>,
        by: String,
        by_name: String,
    },
    /// Rewrites what the case says: `by` is who edits.
    Edit { draft: Box<CaseDraft>, by: String },
}

impl CaseCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            CaseCommand::Create { draft, by, by_name } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("local_case"));
                }
                write(doc, draft, now, Some((by, by_name)), None)
            }
            CaseCommand::Edit { draft, by } => {
                let was = LocalCase::read(doc)?;
                write(doc, draft, now, None, Some((&was, by)))
            }
        }
    }
}

/// Writes the case; an edit writes only the fields that changed, so two phones editing
/// different fields offline both keep theirs.
fn write(
    doc: &mut Automerge,
    draft: &CaseDraft,
    now: Millis,
    created: Option<(&String, &String)>,
    edit: Option<(&LocalCase, &String)>,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    let tags = draft.tags();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if let Some((by, by_name)) = created {
            tx.put(ROOT, "kind", DocKind::LocalCase.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "by", by.as_str())?;
            if !by_name.is_empty() {
                tx.put(ROOT, "by_name", by_name.as_str())?;
            }
            tx.put(ROOT, "created_at", now)?;
        }
        let was = edit.map(|(w, _)| w);
        let strings = [
            ("title", draft.title.as_str(), was.map(|w| w.title.as_str())),
            ("place", &draft.place, was.map(|w| w.place.as_str())),
            ("years", &draft.years, was.map(|w| w.years.as_str())),
            ("problem", &draft.problem, was.map(|w| w.problem.as_str())),
            ("done", &draft.done, was.map(|w| w.done.as_str())),
            ("results", &draft.results, was.map(|w| w.results.as_str())),
            ("source", &draft.source, was.map(|w| w.source.as_str())),
            ("from", &draft.from, was.map(|w| w.from.as_str())),
        ];
        crate::docutil::put_changed_strings(tx, &ROOT, &strings, &["title", "done"])?;
        if was.is_none_or(|w| w.tags != tags) {
            crate::docutil::put_strings(tx, &ROOT, "tags", &tags)?;
        }
        if let Some((_, by)) = edit {
            tx.put(ROOT, "edited_at", now)?;
            tx.put(ROOT, "edited_by", by.as_str())?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Every field a case's root may hold.
const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "by",
    "by_name",
    "created_at",
    "title",
    "place",
    "years",
    "tags",
    "problem",
    "done",
    "results",
    "source",
    "from",
    "edited_at",
    "edited_by",
];

/// The community's-own-case kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "local_case";
    type Summary = LocalCase;
    type Command = CaseCommand;

    fn apply(doc: &mut Automerge, command: &CaseCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<LocalCase> {
        LocalCase::read(doc).ok()
    }

    /// Staff and grid workers: those the case library is for.
    fn may_read(p: &Principal, _scope: &Scope) -> bool {
        matches!(p.role, Role::Staff | Role::GridWorker)
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_everyone(w, ROOT_FIELDS)
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            // A tag key (`participatory-planning` is the longest).
            (Some("tags"), "*") => 30,
            (_, "title") => TITLE_MAX,
            (_, "place") => PLACE_MAX,
            (_, "years") => YEARS_MAX,
            (_, "problem") => PROBLEM_MAX,
            (_, "done") => DONE_MAX,
            (_, "results") => RESULTS_MAX,
            (_, "source") => SOURCE_MAX,
            (_, "from") => FROM_MAX,
            (_, "by_name") => NAME_MAX,
            (_, "by" | "edited_by") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "tags").then_some(TAGS_MAX)
    }

    const DAILY_MAX: Option<u32> = Some(DAILY_MAX);
    const TIME_FIELDS: &'static [&'static str] = &["created_at", "edited_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &[
        "title", "place", "years", "problem", "done", "results", "source", "from",
    ];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased writer's cases stay (the community's record), without their name.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign_author(doc, person, &[])
    }
}

#[cfg(test)]
mod tests;
