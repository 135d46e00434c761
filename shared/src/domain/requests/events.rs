//! A request's history: status changes, answers, details, re-colourings, reopenings and
//! ratings, appended one entry at a time, each signed by who and when.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use super::{Colour, Status, limits};
use automerge::ReadDoc;

use crate::docutil::{get_obj, get_str, list_maps, list_strings};
use crate::domain::errors::{chars, check_text};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, InputError, ModelError};
use crate::time::Millis;

/// One step in a request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The automerge object id of the event: stable and identical on every replica.
    pub id: String,
    pub at: Millis,
    /// Person id of whoever did it.
    pub by: String,
    /// Their name as they signed it (may be empty).
    #[serde(default)]
    pub by_name: String,
    pub kind: EventKind,
    /// Photos attached (content hashes).
    #[serde(default)]
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The grid worker moves the request along.
    Status { to: Status },
    /// A reply to the resident. `substantive` answers count for the on-time rate.
    Answer { text: String, substantive: bool },
    /// More detail from the resident (补充说明).
    Detail { text: String },
    /// The grid worker changes the triage colour, with a reason (kept in the history).
    Recolour { to: Colour, reason: String },
    /// The resident reopens a resolved request (within 30 days), with a reason.
    Reopen { reason: String },
    /// The resident's rating of the result, 1–5, with an optional comment.
    Rate { stars: u8, comment: String },
}

/// The type of a history entry, as written in its `type` field: the one place these names
/// are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    Status,
    Answer,
    Detail,
    Recolour,
    Reopen,
    Rate,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        EventType::Status,
        EventType::Answer,
        EventType::Detail,
        EventType::Recolour,
        EventType::Reopen,
        EventType::Rate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Status => "status",
            EventType::Answer => "answer",
            EventType::Detail => "detail",
            EventType::Recolour => "recolour",
            EventType::Reopen => "reopen",
            EventType::Rate => "rate",
        }
    }

    /// A newer client's entry type parses as `None`: skipped by readers, refused by the relay.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The fields an entry of this type carries besides `type`, `at`, `by`, `by_name` and
    /// `photos`.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            EventType::Status => &["to"],
            EventType::Answer => &["text", "substantive"],
            EventType::Detail => &["text"],
            EventType::Recolour => &["to", "reason"],
            EventType::Reopen => &["reason"],
            EventType::Rate => &["stars", "comment"],
        }
    }
}

impl EventKind {
    pub fn event_type(&self) -> EventType {
        match self {
            EventKind::Status { .. } => EventType::Status,
            EventKind::Answer { .. } => EventType::Answer,
            EventKind::Detail { .. } => EventType::Detail,
            EventKind::Recolour { .. } => EventType::Recolour,
            EventKind::Reopen { .. } => EventType::Reopen,
            EventKind::Rate { .. } => EventType::Rate,
        }
    }

    /// Checks and normalises typed text; returns the kind ready to write.
    pub fn validated(self) -> Result<Self, InputError> {
        Ok(match self {
            EventKind::Status { to } => EventKind::Status { to },
            EventKind::Answer { text, substantive } => EventKind::Answer {
                text: check_text(&text, limits::TEXT_MAX)?,
                substantive,
            },
            EventKind::Detail { text } => EventKind::Detail {
                text: check_text(&text, limits::TEXT_MAX)?,
            },
            EventKind::Recolour { to, reason } => EventKind::Recolour {
                to,
                reason: check_text(&reason, limits::REASON_MAX)?,
            },
            EventKind::Reopen { reason } => EventKind::Reopen {
                reason: check_text(&reason, limits::REASON_MAX)?,
            },
            EventKind::Rate { stars, comment } => {
                if !(1..=5).contains(&stars) {
                    return Err(InputError::RatingOutOfRange { stars });
                }
                let comment = comment.trim().to_string();
                if chars(&comment) > limits::TEXT_MAX {
                    return Err(InputError::TextTooLong {
                        len: chars(&comment),
                        max: limits::TEXT_MAX,
                    });
                }
                EventKind::Rate { stars, comment }
            }
        })
    }
}

/// Appends an event to a request's history.
pub fn append_event(
    doc: &mut Automerge,
    by: &str,
    now: Millis,
    kind: EventKind,
) -> Result<(), ModelError> {
    append_event_named(doc, by, "", now, kind)
}

/// Appends an event signed with the writer's name as well (`by_name`), so that people who
/// may not read the writer's record still see who answered or who filed for them.
pub fn append_event_named(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    now: Millis,
    kind: EventKind,
) -> Result<(), ModelError> {
    append_event_with_photos(doc, by, by_name, now, kind, &[])
}

/// Appends an event with photos (content hashes of images stored outside the document).
pub fn append_event_with_photos(
    doc: &mut Automerge,
    by: &str,
    by_name: &str,
    now: Millis,
    kind: EventKind,
    photos: &[String],
) -> Result<(), ModelError> {
    let kind = kind.validated()?;
    if photos.len() > limits::PHOTOS_MAX {
        return Err(InputError::TooManyPhotos {
            max: limits::PHOTOS_MAX,
        }
        .into());
    }
    expect_kind(doc, DocKind::Request)?;
    let events =
        get_obj(doc, &ROOT, "events", ObjType::List).ok_or(ModelError::Malformed("events"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let n = tx.length(&events);
        let ev = tx.insert_object(&events, n, ObjType::Map)?;
        tx.put(&ev, "type", kind.event_type().as_str())?;
        tx.put(&ev, "at", now)?;
        tx.put(&ev, "by", by)?;
        if !by_name.is_empty() {
            tx.put(&ev, "by_name", by_name)?;
        }
        match &kind {
            EventKind::Status { to } => tx.put(&ev, "to", to.as_str())?,
            EventKind::Answer { text, substantive } => {
                tx.put(&ev, "text", text.as_str())?;
                tx.put(&ev, "substantive", *substantive)?;
            }
            EventKind::Detail { text } => tx.put(&ev, "text", text.as_str())?,
            EventKind::Recolour { to, reason } => {
                tx.put(&ev, "to", to.as_str())?;
                tx.put(&ev, "reason", reason.as_str())?;
            }
            EventKind::Reopen { reason } => tx.put(&ev, "reason", reason.as_str())?,
            EventKind::Rate { stars, comment } => {
                tx.put(&ev, "stars", i64::from(*stars))?;
                tx.put(&ev, "comment", comment.as_str())?;
            }
        }
        if !photos.is_empty() {
            let list = tx.put_object(&ev, "photos", ObjType::List)?;
            for (i, h) in photos.iter().enumerate() {
                tx.insert(&list, i, h.as_str())?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Removes a person from a request (after their erasure): who filed it, whom it concerns and
/// who wrote an entry become `erased`, the names they signed go, and so do their photos (every
/// photo of a request about them; the photos they attached to anyone else's). The request
/// itself, its household and the rest of its history stay. Returns the content hashes of the
/// photos removed, for the relay to delete their bytes.
pub fn anonymise(doc: &mut Automerge, person: &str) -> Result<Vec<String>, ModelError> {
    expect_kind(doc, DocKind::Request)?;
    let about = get_str(doc, &ROOT, "subject").as_deref() == Some(person);
    let filed = get_str(doc, &ROOT, "filed_by").as_deref() == Some(person);
    let events = get_obj(doc, &ROOT, "events", ObjType::List);
    let theirs: Vec<automerge::ObjId> = events
        .as_ref()
        .map(|l| list_maps(doc, l))
        .unwrap_or_default()
        .into_iter()
        .filter(|ev| get_str(doc, ev, "by").as_deref() == Some(person))
        .collect();
    // Photo lists to empty: the request's own (if about or by them), entries' (theirs, or all
    // if the request is about them).
    let mut lists = Vec::new();
    if about || filed {
        lists.extend(get_obj(doc, &ROOT, "photos", ObjType::List));
    }
    let entries: Vec<automerge::ObjId> = if about {
        events
            .as_ref()
            .map(|l| list_maps(doc, l))
            .unwrap_or_default()
    } else {
        theirs.clone()
    };
    lists.extend(
        entries
            .iter()
            .filter_map(|ev| get_obj(doc, ev, "photos", ObjType::List)),
    );
    let mut removed = Vec::new();
    for list in &lists {
        removed.extend(list_strings(doc, list));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if about {
            tx.put(ROOT, "subject", ERASED)?;
        }
        if filed {
            tx.put(ROOT, "filed_by", ERASED)?;
            if tx.get(ROOT, "filed_by_name")?.is_some() {
                tx.delete(ROOT, "filed_by_name")?;
            }
        }
        for ev in &theirs {
            tx.put(ev, "by", ERASED)?;
            if tx.get(ev, "by_name")?.is_some() {
                tx.delete(ev, "by_name")?;
            }
        }
        for list in &lists {
            for i in (0..tx.length(list)).rev() {
                tx.delete(list, i)?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    removed.sort();
    removed.dedup();
    Ok(removed)
}

/// Stands in for a person whose data was erased.
pub const ERASED: &str = "erased";
