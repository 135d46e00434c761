//! A request as read from its document, and what follows from its history: status, first
//! answer, rating, the colour now and the deadline.

use automerge::{Automerge, ObjId, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use super::{Colour, Event, EventKind, EventType, Status, limits};
use crate::docutil::{Fields, list_maps, list_strings};
use crate::domain::community::DeadlineConfig;
use crate::domain::{DocKind, ModelError};
use crate::time::Millis;

/// A request as read from its document: everything the UI shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub title: String,
    pub description: String,
    pub category: String,
    /// The colour it was filed with (see [`Request::colour_now`]).
    pub colour: Colour,
    /// Photos filed with it (content hashes).
    pub photos: Vec<String>,
    pub grid: String,
    pub household: String,
    pub subject: String,
    pub filed_by: String,
    /// The filer's name as they signed it (may be empty).
    pub filed_by_name: String,
    pub filed_at: Millis,
    /// Where it came from in Linli (a patrol's finding), empty when a person filed it.
    #[serde(default)]
    pub source: String,
    /// History in a deterministic order: by time, then by object id.
    pub events: Vec<Event>,
}

impl Request {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        let root = Fields::of(doc, &ROOT);
        let found = root.str("kind");
        if found.as_deref() != Some(DocKind::Request.as_str()) {
            let expected = DocKind::Request.as_str();
            return Err(ModelError::WrongKind { expected, found });
        }
        let s = |k: &'static str| root.str(k).ok_or(ModelError::Malformed(k));
        let colour = Colour::parse(&s("colour")?).ok_or(ModelError::Malformed("colour"))?;
        let mut events = Vec::new();
        if let Some(list) = root.obj("events", ObjType::List) {
            for ev in list_maps(doc, &list) {
                if let Some(e) = read_event(doc, &ev) {
                    events.push(e);
                }
            }
        }
        events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        Ok(Request {
            title: s("title")?,
            description: root.str("description").unwrap_or_default(),
            category: s("category")?,
            colour,
            photos: root
                .obj("photos", ObjType::List)
                .map(|l| read_photo_list(doc, &l))
                .unwrap_or_default(),
            grid: s("grid")?,
            household: s("household")?,
            subject: s("subject")?,
            filed_by: s("filed_by")?,
            filed_by_name: root.str("filed_by_name").unwrap_or_default(),
            filed_at: root
                .i64("filed_at")
                .ok_or(ModelError::Malformed("filed_at"))?,
            source: root.str("source").unwrap_or_default(),
            events,
        })
    }

    /// The status after folding the history in order.
    pub fn status(&self) -> Status {
        let mut status = Status::Filed;
        for e in &self.events {
            match &e.kind {
                EventKind::Status { to } => status = *to,
                EventKind::Answer { .. } if status < Status::Answered => status = Status::Answered,
                EventKind::Reopen { .. } => status = Status::Accepted,
                _ => {}
            }
        }
        status
    }

    /// When it was last resolved, if it is resolved now.
    pub fn resolved_at(&self) -> Option<Millis> {
        if self.status() != Status::Resolved {
            return None;
        }
        self.events.iter().rev().find_map(|e| match e.kind {
            EventKind::Status {
                to: Status::Resolved,
            } => Some(e.at),
            _ => None,
        })
    }

    /// Whether it may be reopened at `now`: resolved, within 30 days.
    pub fn may_reopen(&self, now: Millis) -> bool {
        self.resolved_at()
            .is_some_and(|at| now - at <= limits::REOPEN_DAYS * crate::time::DAY)
    }

    /// Whether it was ever reopened.
    pub fn reopened(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Reopen { .. }))
    }

    /// Whether the person rated it since it was last resolved (then the rating form gives way
    /// to thanks; a reopened and resolved-again request can be rated again).
    pub fn rated_since_resolved(&self) -> bool {
        let resolved = self.events.iter().rposition(|e| {
            matches!(
                e.kind,
                EventKind::Status {
                    to: Status::Resolved
                }
            )
        });
        let rated = self
            .events
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Rate { .. }));
        match (resolved, rated) {
            (Some(r), Some(k)) => k > r,
            _ => false,
        }
    }

    /// The latest rating: (stars, comment).
    pub fn rating(&self) -> Option<(u8, &str)> {
        self.events.iter().rev().find_map(|e| match &e.kind {
            EventKind::Rate { stars, comment } => Some((*stars, comment.as_str())),
            _ => None,
        })
    }

    /// When the first substantive answer was given: what counts for the on-time rate.
    pub fn first_answer_at(&self) -> Option<Millis> {
        self.events.iter().find_map(|e| match e.kind {
            EventKind::Answer {
                substantive: true, ..
            } => Some(e.at),
            _ => None,
        })
    }

    /// The latest answer's text, for cards and notifications.
    pub fn last_answer(&self) -> Option<&str> {
        self.events.iter().rev().find_map(|e| match &e.kind {
            EventKind::Answer { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }

    /// The colour now: the filed one, or the last re-colouring.
    pub fn colour_now(&self) -> Colour {
        self.events
            .iter()
            .rev()
            .find_map(|e| match e.kind {
                EventKind::Recolour { to, .. } => Some(to),
                _ => None,
            })
            .unwrap_or(self.colour)
    }

    /// When the answer clock started: filing, or the last reopening.
    pub fn clock_start(&self) -> Millis {
        self.events
            .iter()
            .rev()
            .find_map(|e| match e.kind {
                EventKind::Reopen { .. } => Some(e.at),
                _ => None,
            })
            .unwrap_or(self.filed_at)
    }

    /// The first substantive answer since the clock started (after a reopening, a new answer
    /// is owed).
    pub fn answer_since_clock(&self) -> Option<Millis> {
        let start = self.clock_start();
        self.events.iter().find_map(|e| match e.kind {
            EventKind::Answer {
                substantive: true, ..
            } if e.at >= start => Some(e.at),
            _ => None,
        })
    }

    /// When the colour's answer window closes (from filing, or from the last reopening; a
    /// re-colouring changes the window, not the start).
    /// In calendar hours or working days, as the community counts them
    /// ([`super::deadline::due_at`]).
    pub fn deadline(&self, config: &DeadlineConfig) -> Millis {
        super::deadline::due_at(self.clock_start(), self.colour_now(), config)
    }
}

/// The photo hashes in an object's `photos` list.
fn read_photo_list(doc: &Automerge, list: &ObjId) -> Vec<String> {
    let mut photos = list_strings(doc, list);
    photos.truncate(limits::PHOTOS_MAX);
    photos
}

fn read_event(doc: &Automerge, ev: &ObjId) -> Option<Event> {
    let f = Fields::of(doc, ev);
    let ty = f.str("type")?;
    let text = || f.str("text").unwrap_or_default();
    // A newer client's entry type: skipped by this reader, kept in the document.
    let kind = match EventType::parse(&ty)? {
        EventType::Status => EventKind::Status {
            to: Status::parse(&f.str("to")?)?,
        },
        EventType::Answer => EventKind::Answer {
            text: text(),
            substantive: f.bool("substantive").unwrap_or(true),
        },
        EventType::Detail => EventKind::Detail { text: text() },
        EventType::Recolour => EventKind::Recolour {
            to: Colour::parse(&f.str("to")?)?,
            reason: f.str("reason").unwrap_or_default(),
        },
        EventType::Reopen => EventKind::Reopen {
            reason: f.str("reason").unwrap_or_default(),
        },
        EventType::Rate => EventKind::Rate {
            stars: u8::try_from(f.i64("stars")?).ok()?,
            comment: f.str("comment").unwrap_or_default(),
        },
    };
    Some(Event {
        id: ev.to_string(),
        at: f.i64("at")?,
        by: f.str("by").unwrap_or_default(),
        by_name: f.str("by_name").unwrap_or_default(),
        kind,
        photos: f
            .obj("photos", ObjType::List)
            .map(|l| read_photo_list(doc, &l))
            .unwrap_or_default(),
    })
}
