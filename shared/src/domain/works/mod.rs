//! Facility works 设施改造: a repair, an aging-friendly change or a light, from the problem to
//! the finished job, for the whole community to see (the article's 12 buildings' leaks, 7
//! aging-friendly changes and 8 stairwell lights). One document per work: what, which kind,
//! where, the cost and the contractor, photos before, the requests (by their board keys) and
//! the talk decision that led to it, and its progress as an append-only list of updates (status,
//! a note, photos; the last one's status is the work's), so two phones updating offline both
//! keep their update.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::api::RefusalCode;
use crate::docutil::{Fields, get_i64, get_obj, get_str, get_strings, list_maps};
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

pub const TITLE_MAX: usize = 60;
pub const PLACE_MAX: usize = 60;
pub const DESCRIPTION_MAX: usize = 500;
pub const CONTRACTOR_MAX: usize = 60;
pub const NOTE_MAX: usize = 300;
pub const PHOTOS_MAX: usize = 3;
pub const REQUESTS_MAX: usize = 10;
pub const UPDATES_MAX: usize = 100;
/// The most a work may cost, in fen (one million yuan): a typo of three zeros is caught.
pub const COST_MAX: i64 = 100_000_000;

/// What kind of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 漏水维修: roofs, walls, pipes.
    Leak,
    /// 适老化改造: handrails, ramps, seats.
    Aging,
    /// 照明: stairwell and path lights.
    Lighting,
    Other,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Leak,
        Category::Aging,
        Category::Lighting,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Leak => "leak",
            Category::Aging => "aging",
            Category::Lighting => "lighting",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Where a work stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待施工
    Planned,
    /// 施工中
    InProgress,
    /// 已完工
    Done,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Planned, Status::InProgress, Status::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One step of a work's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub id: String,
    pub status: Status,
    pub note: String,
    pub at: Millis,
    pub by: String,
    pub by_name: String,
    pub photos: Vec<String>,
}

/// A work, as every phone keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    /// The grid it is in; empty for the community's shared spaces.
    pub grid: String,
    pub title: String,
    pub category: Category,
    pub place: String,
    pub description: String,
    pub cost_fen: i64,
    pub contractor: String,
    pub created_at: Millis,
    pub by: String,
    pub by_name: String,
    /// Photos before the work.
    pub photos: Vec<String>,
    /// The requests that led to it, by their board keys (a request's id stays private).
    pub requests: Vec<String>,
    /// The talk (document id) and agenda item whose decision led to it, if any.
    pub talk: String,
    pub item: String,
    /// Oldest first.
    pub updates: Vec<Update>,
}

impl Work {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Works)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        let mut updates: Vec<Update> = get_obj(doc, &ROOT, "updates", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|u| {
                        Some(Update {
                            id: u.to_string(),
                            status: Status::parse(&get_str(doc, &u, "status")?)?,
                            note: get_str(doc, &u, "note").unwrap_or_default(),
                            at: get_i64(doc, &u, "at")?,
                            by: get_str(doc, &u, "by").unwrap_or_default(),
                            by_name: get_str(doc, &u, "by_name").unwrap_or_default(),
                            photos: get_strings(doc, &u, "photos"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        updates.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        Ok(Work {
            grid: s("grid"),
            title: f.str("title").ok_or(ModelError::Malformed("title"))?,
            category: f
                .str("category")
                .and_then(|c| Category::parse(&c))
                .ok_or(ModelError::Malformed("category"))?,
            place: s("place"),
            description: s("description"),
            cost_fen: f.i64("cost_fen").unwrap_or(0),
            contractor: s("contractor"),
            created_at: f.i64("created_at").unwrap_or(0),
            by: s("by"),
            by_name: s("by_name"),
            photos: get_strings(doc, &ROOT, "photos"),
            requests: get_strings(doc, &ROOT, "requests"),
            talk: s("talk"),
            item: s("item"),
            updates,
        })
    }

    /// The last update's status (planned until the first one).
    pub fn status(&self) -> Status {
        self.updates.last().map_or(Status::Planned, |u| u.status)
    }

    /// When it was finished, if it is.
    pub fn done_at(&self) -> Option<Millis> {
        (self.status() == Status::Done).then(|| self.updates.last().map_or(0, |u| u.at))
    }

    /// Photos after the work: those of the updates that finished it.
    pub fn photos_after(&self) -> Vec<String> {
        self.updates
            .iter()
            .filter(|u| u.status == Status::Done)
            .flat_map(|u| u.photos.iter().cloned())
            .collect()
    }
}

/// A work as staff (or a grid worker) register it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WorkDraft {
    pub title: String,
    pub category: Option<Category>,
    #[serde(default)]
    pub grid: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub description: String,
    /// The cost as typed, in yuan (`3200`, `3,200.50`); empty when not known yet.
    #[serde(default)]
    pub cost: String,
    #[serde(default)]
    pub contractor: String,
    #[serde(default)]
    pub photos: Vec<String>,
    #[serde(default)]
    pub requests: Vec<String>,
    #[serde(default)]
    pub talk: String,
    #[serde(default)]
    pub item: String,
}

impl WorkDraft {
    /// The cost in fen, if what was typed is one (empty is 0).
    pub fn cost_fen(&self) -> Option<i64> {
        if self.cost.trim().is_empty() {
            return Some(0);
        }
        crate::domain::fund::ledger::parse_yuan(&self.cost).filter(|f| (0..=COST_MAX).contains(f))
    }

    /// What is wrong with it, each problem once, in the order of the form. The title and the
    /// description are read by the whole community: no phone, ID or bank card numbers or plates.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let len = |s: &str| s.trim().chars().count();
        if self.title.trim().is_empty() {
            out.push(InputError::TitleEmpty);
        } else if len(&self.title) > TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: len(&self.title),
                max: TITLE_MAX,
            });
        }
        if self.category.is_none() {
            out.push(InputError::CategoryMissing);
        }
        for (text, max) in [(&self.place, PLACE_MAX), (&self.contractor, CONTRACTOR_MAX)] {
            if len(text) > max {
                out.push(InputError::TextTooLong {
                    len: len(text),
                    max,
                });
            }
        }
        if len(&self.description) > DESCRIPTION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: len(&self.description),
                max: DESCRIPTION_MAX,
            });
        }
        for text in [&self.title, &self.description, &self.place] {
            if let Some(found) = crate::pii::find(text).first() {
                let e = InputError::PersonalData { what: found.kind };
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        if self.cost_fen().is_none() {
            out.push(InputError::BadAmount);
        }
        if self.photos.len() > PHOTOS_MAX {
            out.push(InputError::TooManyPhotos { max: PHOTOS_MAX });
        }
        out
    }
}

/// What staff and grid workers do to a work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum WorksCommand {
    /// Registers a work (into an empty document), in `by`'s name.
    Create {
        draft: Box<WorkDraft>,
        by: String,
        by_name: String,
    },
    /// Rewrites what the work is (staff): title, kind, place, description, cost, contractor.
    Revise { draft: Box<WorkDraft> },
    /// Records progress: a status, a note, photos (after photos when it is done).
    Update {
        status: Status,
        note: String,
        photos: Vec<String>,
        by: String,
        by_name: String,
    },
}

impl WorksCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            WorksCommand::Create { draft, by, by_name } => {
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("works"));
                }
                write(doc, draft, Some((by, by_name, now)))
            }
            WorksCommand::Revise { draft } => {
                expect_kind(doc, DocKind::Works)?;
                write(doc, draft, None)
            }
            WorksCommand::Update {
                status,
                note,
                photos,
                by,
                by_name,
            } => {
                expect_kind(doc, DocKind::Works)?;
                let n = note.trim().chars().count();
                if n > NOTE_MAX {
                    return Err(InputError::TextTooLong {
                        len: n,
                        max: NOTE_MAX,
                    }
                    .into());
                }
                if let Some(found) = crate::pii::find(note).first() {
                    return Err(InputError::PersonalData { what: found.kind }.into());
                }
                if photos.len() > PHOTOS_MAX {
                    return Err(InputError::TooManyPhotos { max: PHOTOS_MAX }.into());
                }
                let list = get_obj(doc, &ROOT, "updates", ObjType::List)
                    .ok_or(ModelError::Malformed("updates"))?;
                let at = doc.length(&list);
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    let u = tx.insert_object(&list, at, ObjType::Map)?;
                    tx.put(&u, "status", status.as_str())?;
                    if !note.trim().is_empty() {
                        tx.put(&u, "note", note.trim())?;
                    }
                    tx.put(&u, "at", now)?;
                    tx.put(&u, "by", by.as_str())?;
                    tx.put(&u, "by_name", by_name.as_str())?;
                    if !photos.is_empty() {
                        crate::docutil::put_strings(tx, &u, "photos", photos)?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
        }
    }
}

/// Writes what a work is; `created` (by, name, time) when it is being registered.
fn write(
    doc: &mut Automerge,
    draft: &WorkDraft,
    created: Option<(&String, &String, Millis)>,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    let category = draft.category.ok_or(InputError::CategoryMissing)?;
    let cost = draft.cost_fen().ok_or(InputError::BadAmount)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if let Some((by, by_name, now)) = created {
            tx.put(ROOT, "kind", DocKind::Works.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            if !draft.grid.is_empty() {
                tx.put(ROOT, "grid", draft.grid.as_str())?;
            }
            tx.put(ROOT, "created_at", now)?;
            tx.put(ROOT, "by", by.as_str())?;
            tx.put(ROOT, "by_name", by_name.as_str())?;
            tx.put_object(ROOT, "updates", ObjType::List)?;
            if !draft.photos.is_empty() {
                crate::docutil::put_strings(tx, &ROOT, "photos", &draft.photos)?;
            }
            if !draft.requests.is_empty() {
                crate::docutil::put_strings(tx, &ROOT, "requests", &draft.requests)?;
            }
            if !draft.talk.is_empty() {
                tx.put(ROOT, "talk", draft.talk.as_str())?;
                tx.put(ROOT, "item", draft.item.as_str())?;
            }
        }
        tx.put(ROOT, "title", draft.title.trim())?;
        tx.put(ROOT, "category", category.as_str())?;
        tx.put(ROOT, "place", draft.place.trim())?;
        tx.put(ROOT, "description", draft.description.trim())?;
        tx.put(ROOT, "cost_fen", cost)?;
        tx.put(ROOT, "contractor", draft.contractor.trim())?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

const ROOT_FIELDS: &[&str] = &[
    "kind",
    "schema",
    "grid",
    "title",
    "category",
    "place",
    "description",
    "cost_fen",
    "contractor",
    "created_at",
    "by",
    "by_name",
    "photos",
    "requests",
    "talk",
    "item",
    "updates",
];

/// The facility-works kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "works";
    type Summary = Work;
    type Command = WorksCommand;

    fn apply(doc: &mut Automerge, command: &WorksCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Work> {
        Work::read(doc).ok()
    }

    /// Everyone in the community: what is repaired, where, for how much and by whom.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    /// Staff register and revise works; a grid worker registers one in their own grid and
    /// records progress of their grid's works, in their own name; nobody else writes.
    fn check(w: &Write<'_>) -> Verdict {
        let p = w.p;
        if !p.works_grid(w.new.grid.as_deref()) {
            return Err((
                RefusalCode::NotAllowed,
                "staff and the grid's workers keep its works".into(),
            ));
        }
        if w.creating {
            return match Fields::of(w.after, &ROOT).str("by") {
                Some(by) if by == p.person => Ok(()),
                _ => Err((
                    RefusalCode::BadName,
                    "a work is registered in the writer's own name".into(),
                )),
            };
        }
        for t in w.touches {
            use automerge::Prop;
            let ok = match t.path.as_slice() {
                // A new update appended (never a deletion or an overwrite).
                [Prop::Map(k)] if k == "updates" => t.insert && t.creates.is_some() && !t.delete,
                // Inside the update it is writing now.
                [Prop::Map(k), Prop::Seq(_), ..] if k == "updates" => t.in_new_object,
                _ => false,
            };
            if !ok {
                return Err((
                    RefusalCode::FieldNotAllowed,
                    "a grid worker adds progress; only staff revise a work".into(),
                ));
            }
        }
        if let Some(list) = get_obj(w.after, &ROOT, "updates", ObjType::List) {
            let theirs = list_maps(w.after, &list).into_iter().all(|u| {
                let new = w
                    .touches
                    .iter()
                    .any(|t| t.creates.as_deref() == Some(&u.to_string()));
                !new || get_str(w.after, &u, "by").as_deref() == Some(p.person.as_str())
            });
            if !theirs {
                return Err((
                    RefusalCode::BadName,
                    "progress is recorded in the writer's own name".into(),
                ));
            }
        }
        Ok(())
    }

    /// For everyone, staff included: known fields, a known kind and statuses, a cost within
    /// bounds.
    fn check_everyone(w: &Write<'_>) -> Verdict {
        let after = w.after;
        let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
        if let Some(extra) = after
            .keys(&ROOT)
            .find(|k| !ROOT_FIELDS.contains(&k.as_str()))
        {
            return bad(format!("a work has no field `{extra}`"));
        }
        let f = Fields::of(after, &ROOT);
        if f.str("category")
            .and_then(|c| Category::parse(&c))
            .is_none()
        {
            return bad("a work is a leak, aging, lighting or other work".into());
        }
        if f.i64("cost_fen")
            .is_some_and(|c| !(0..=COST_MAX).contains(&c))
        {
            return bad(format!("a work's cost is 0 to {COST_MAX} fen"));
        }
        if let Some(list) = get_obj(after, &ROOT, "updates", ObjType::List) {
            for u in list_maps(after, &list) {
                if let Some(extra) = after.keys(&u).find(|k| {
                    !matches!(
                        k.as_str(),
                        "status" | "note" | "at" | "by" | "by_name" | "photos"
                    )
                }) {
                    return bad(format!("an update has no field `{extra}`"));
                }
                if get_str(after, &u, "status")
                    .and_then(|s| Status::parse(&s))
                    .is_none()
                {
                    return bad("an update's status is planned, in_progress or done".into());
                }
            }
        }
        Ok(())
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match field {
            "title" => TITLE_MAX,
            "place" => PLACE_MAX,
            "description" => DESCRIPTION_MAX,
            "contractor" => CONTRACTOR_MAX,
            "note" => NOTE_MAX,
            "by_name" => NAME_MAX,
            "category" | "status" | "talk" | "item" | "*" => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        Some(match field {
            "photos" => PHOTOS_MAX,
            "requests" => REQUESTS_MAX,
            "updates" => UPDATES_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["created_at", "at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name"];
    /// Read by the whole community.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title", "description", "place", "note"];

    fn photos(doc: &Automerge) -> Vec<String> {
        Work::read(doc)
            .map(|w| {
                w.photos
                    .into_iter()
                    .chain(w.updates.into_iter().flat_map(|u| u.photos))
                    .collect()
            })
            .unwrap_or_default()
    }

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased person's name leaves the works they registered or updated; the works stay.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        crate::domain::erasure::unsign(doc, "updates", person, true)
    }
}

#[cfg(test)]
mod tests;
