//! Field notes 田野笔记: what staff, grid workers and volunteers observe while they work (how a
//! negotiation went, what an elder said on a visit, who came to the festival), dated, tagged
//! and linked to the talk, the request or the case (from the case library, by its id) it is
//! about. The article's team wrote 38 in a year. One document per note.
//!
//! Notes may describe people, so they are never shown to residents: staff and grid workers
//! read every note, a volunteer reads her own ([`Kind::may_read`]). The author (`by`, also the
//! scope's `subject` so the relay can tell a volunteer's own notes) writes and edits her note;
//! staff may edit any ([`rules`]).

mod rules;
pub mod search;

pub(crate) use rules::edit_signed_by_writer;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_strings};
use crate::domain::community::calendar::parse_date;
use crate::domain::errors::chars;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::{Principal, Role};
use crate::time::{DAY, HOUR, Millis};

pub const TITLE_MAX: usize = 60;
/// About two printed pages of Chinese: a long note from a four-round negotiation fits.
pub const BODY_MAX: usize = 5_000;
pub const PLACE_MAX: usize = 60;
pub const TAG_MAX: usize = 20;
pub const TAGS_MAX: usize = 8;
pub const PHOTOS_MAX: usize = 3;
/// A case library id (`C01`…).
pub const CASE_MAX: usize = 20;
/// New notes one person may write in a day (the relay counts them as they arrive): a busy
/// day of visits is a handful; more is a script.
pub const DAILY_MAX: u32 = 20;

/// The tags every community starts with, as stored (Chinese) and in English. Free tags are
/// kept as typed.
pub const FIXED_TAGS: [(&str, &str); 10] = [
    ("议事协商", "negotiation"),
    ("楼道堆物", "stairwell clutter"),
    ("宠物扰民", "pet nuisance"),
    ("独居老人", "elders living alone"),
    ("网格巡查", "patrols"),
    ("睦邻活动", "neighbourhood events"),
    ("微创投", "micro-grants"),
    ("设施改造", "facility works"),
    ("垃圾分类", "garbage sorting"),
    ("代际互助", "between generations"),
];

/// A tag's English name when it is one of [`FIXED_TAGS`], else the tag as typed.
pub fn tag_en(tag: &str) -> &str {
    FIXED_TAGS
        .iter()
        .find(|(zh, _)| *zh == tag)
        .map_or(tag, |(_, en)| en)
}

/// What a note is linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A four-party talk (a meeting document).
    Talk,
    /// A resident's request.
    Request,
    /// A case of the case library.
    Case,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::Talk, LinkKind::Request, LinkKind::Case];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Talk => "talk",
            LinkKind::Request => "request",
            LinkKind::Case => "case",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A field note, as a device keeps it (its summary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldNote {
    pub title: String,
    pub body: String,
    /// When what it describes happened (noon of the day, Shanghai).
    pub observed_at: Millis,
    pub place: String,
    pub tags: Vec<String>,
    /// The talk's document id, if linked.
    pub talk: String,
    /// The request's document id, if linked.
    pub request: String,
    /// The case library id (`C01`), if linked.
    pub case: String,
    pub photos: Vec<String>,
    /// The author (`erased` once erased).
    pub by: String,
    pub by_name: String,
    pub created_at: Millis,
    /// The last edit, if any, and who made it.
    pub edited_at: Option<Millis>,
    pub edited_by: String,
}

impl FieldNote {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::FieldNote)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        Ok(FieldNote {
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            body: s("body"),
            observed_at: f
                .i64("observed_at")
                .ok_or(ModelError::Malformed("observed_at"))?,
            place: s("place"),
            tags: get_strings(doc, &ROOT, "tags"),
            talk: s("talk"),
            request: s("request"),
            case: s("case"),
            photos: get_strings(doc, &ROOT, "photos"),
            by: f.str("by").ok_or(ModelError::Malformed("by"))?,
            by_name: s("by_name"),
            created_at: f.i64("created_at").unwrap_or_default(),
            edited_at: f.i64("edited_at"),
            edited_by: s("edited_by"),
        })
    }

    /// The kinds of link it has.
    pub fn links(&self) -> Vec<LinkKind> {
        [
            (LinkKind::Talk, &self.talk),
            (LinkKind::Request, &self.request),
            (LinkKind::Case, &self.case),
        ]
        .into_iter()
        .filter(|(_, id)| !id.is_empty())
        .map(|(k, _)| k)
        .collect()
    }

    /// The note as its form shows it for an edit.
    pub fn draft(&self) -> NoteDraft {
        let day = crate::time::shanghai_day(self.observed_at);
        NoteDraft {
            title: self.title.clone(),
            body: self.body.clone(),
            date: crate::domain::community::calendar::format_day(day),
            place: self.place.clone(),
            tags: self.tags.clone(),
            talk: self.talk.clone(),
            request: self.request.clone(),
            case: self.case.clone(),
            photos: self.photos.clone(),
        }
    }
}

/// A note as its author fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NoteDraft {
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// The day it describes, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub talk: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub case: String,
    #[serde(default)]
    pub photos: Vec<String>,
}

impl NoteDraft {
    /// The instant the note describes: noon of its day, or now for today (not later than
    /// now); `None` when the date is not one or lies outside the relay's bounds (in the
    /// future, or more than a year ago).
    pub fn observed_at(&self, now: Millis) -> Option<Millis> {
        let day = parse_date(&self.date)?;
        let midnight = crate::time::shanghai_day_start(day);
        let at = if (midnight..midnight + DAY).contains(&now) {
            (midnight + 12 * HOUR).min(now)
        } else {
            midnight + 12 * HOUR
        };
        let lo = now - crate::domain::limits::BACKDATE_MAX + DAY;
        (lo..=now).contains(&at).then_some(at)
    }

    /// The tags as they will be stored: trimmed, empty ones and repeats left out.
    pub fn tags(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &self.tags {
            let t = t.trim().trim_start_matches('#').trim();
            if !t.is_empty() && !out.iter().any(|o| o == t) {
                out.push(t.to_string());
            }
        }
        out
    }

    /// What is wrong with it, each problem once, in the order of the form.
    pub fn problems(&self, now: Millis) -> Vec<InputError> {
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
        if self.observed_at(now).is_none() {
            out.push(InputError::BadDate);
        }
        if len(&self.body) > BODY_MAX {
            out.push(InputError::DescriptionTooLong {
                len: len(&self.body),
                max: BODY_MAX,
            });
        }
        let mut too_long = Vec::new();
        if len(&self.place) > PLACE_MAX {
            too_long.push((len(&self.place), PLACE_MAX));
        }
        if let Some(t) = self.tags().iter().find(|t| chars(t) > TAG_MAX) {
            too_long.push((chars(t), TAG_MAX));
        }
        if len(&self.case) > CASE_MAX {
            too_long.push((len(&self.case), CASE_MAX));
        }
        if let Some((len, max)) = too_long.into_iter().next() {
            out.push(InputError::TextTooLong { len, max });
        }
        if self.tags().len() > TAGS_MAX {
            out.push(InputError::TooManyTags { max: TAGS_MAX });
        }
        if self.photos.len() > PHOTOS_MAX {
            out.push(InputError::TooManyPhotos { max: PHOTOS_MAX });
        }
        out
    }
}

/// What an author (or staff) does to a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum NoteCommand {
    /// Writes a new note into an empty document, in `by`'s name.
    Create {
        draft: Box<NoteDraft>,
        by: String,
        by_name: String,
    },
    /// Rewrites what the note says (its author, or staff): `by` is who edits.
    Edit { draft: Box<NoteDraft>, by: String },
}

impl NoteCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            NoteCommand::Create { draft, by, by_name } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("field_note"));
                }
                write(doc, draft, now, Some((by, by_name)), None)
            }
            NoteCommand::Edit { draft, by } => {
                let was = FieldNote::read(doc)?;
                write(doc, draft, now, None, Some((&was, by)))
            }
        }
    }
}

/// Writes the note: `created` (author, name) when it is new, `edit` (the note as it was, the
/// editor) when it is rewritten. An edit writes only the fields that changed, so two phones
/// editing different fields offline both keep theirs.
fn write(
    doc: &mut Automerge,
    draft: &NoteDraft,
    now: Millis,
    created: Option<(&String, &String)>,
    edit: Option<(&FieldNote, &String)>,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems(now).into_iter().next() {
        return Err(problem.into());
    }
    let observed_at = draft.observed_at(now).ok_or(InputError::BadDate)?;
    let tags = draft.tags();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if let Some((by, by_name)) = created {
            tx.put(ROOT, "kind", DocKind::FieldNote.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "subject", by.as_str())?;
            tx.put(ROOT, "by", by.as_str())?;
            if !by_name.is_empty() {
                tx.put(ROOT, "by_name", by_name.as_str())?;
            }
            tx.put(ROOT, "created_at", now)?;
        }
        let was = edit.map(|(w, _)| w);
        let strings = [
            ("title", draft.title.trim(), was.map(|w| w.title.as_str())),
            ("body", draft.body.trim(), was.map(|w| w.body.as_str())),
            ("place", draft.place.trim(), was.map(|w| w.place.as_str())),
            ("talk", draft.talk.trim(), was.map(|w| w.talk.as_str())),
            (
                "request",
                draft.request.trim(),
                was.map(|w| w.request.as_str()),
            ),
            ("case", draft.case.trim(), was.map(|w| w.case.as_str())),
        ];
        crate::docutil::put_changed_strings(tx, &ROOT, &strings, &["title"])?;
        if was.is_none_or(|w| w.observed_at != observed_at) {
            tx.put(ROOT, "observed_at", observed_at)?;
        }
        if was.is_none_or(|w| w.tags != tags) {
            crate::docutil::put_strings(tx, &ROOT, "tags", &tags)?;
        }
        if was.is_none_or(|w| w.photos != draft.photos) {
            crate::docutil::put_strings(tx, &ROOT, "photos", &draft.photos)?;
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

/// Every field a note's root may hold.
const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "subject",
    "by",
    "by_name",
    "created_at",
    "title",
    "body",
    "observed_at",
    "place",
    "tags",
    "talk",
    "request",
    "case",
    "photos",
    "edited_at",
    "edited_by",
];

/// The field-note kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "field_note";
    type Summary = FieldNote;
    type Command = NoteCommand;

    fn apply(doc: &mut Automerge, command: &NoteCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<FieldNote> {
        FieldNote::read(doc).ok()
    }

    /// Staff and grid workers read every note; a volunteer reads her own. Never residents, not
    /// even of their own grid: notes may describe people.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        match p.role {
            Role::Staff | Role::GridWorker => true,
            Role::Volunteer => scope.subject.as_deref() == Some(p.person.as_str()),
            _ => false,
        }
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .subject
            .is_none()
            .then_some("a field note names its author as its subject")
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
            (Some("tags"), "*") => TAG_MAX,
            (Some("photos"), "*") => ID_MAX,
            (_, "title") => TITLE_MAX,
            (_, "body") => BODY_MAX,
            (_, "place") => PLACE_MAX,
            (_, "case") => CASE_MAX,
            (_, "by_name") => NAME_MAX,
            (_, "by" | "edited_by" | "subject" | "talk" | "request") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "tags" => TAGS_MAX,
            "photos" => PHOTOS_MAX,
            _ => return None,
        })
    }

    const DAILY_MAX: Option<u32> = Some(DAILY_MAX);
    const TIME_FIELDS: &'static [&'static str] = &["created_at", "observed_at", "edited_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];

    fn photos(doc: &Automerge) -> Vec<String> {
        FieldNote::read(doc).map(|n| n.photos).unwrap_or_default()
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased author's notes stay (the community's record of how its work went), but no
    /// longer say who wrote them: the author and the subject become `erased`, the name goes;
    /// an erased editor's id leaves the note too. The photos stay with the note.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign_author(doc, person, &["subject"])
    }
}

#[cfg(test)]
mod tests;
