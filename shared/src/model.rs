//! The domain model: what each kind of document holds, read into plain Rust values, and the
//! edits people make, written as automerge transactions.
//!
//! Every document carries `kind` at its root; the relay uses it (and the scope fields `grid`,
//! `household`, `subject`) to decide who may read and write it. See ARCHITECTURE.md.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_bool, get_i64, get_obj, get_str, list_maps, map_keys};
use crate::time::{HOUR, Millis};

/// Schema version written into every document; readers accept this and older.
pub const SCHEMA: i64 = 1;

/// Which kind of document this is: the permission boundary (ARCHITECTURE.md, "Documents").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// The community's public data: grids, categories, deadline settings.
    Community,
    /// One resident's request 诉求 and its whole history.
    Request,
    /// One person's personal data (name, phone, flat, age) and the consents they gave.
    Person,
    /// A grid's public board: what its open requests are about (title, category, colour,
    /// status) and who follows them (+1). Written by the relay; people add their own follow.
    Board,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Community => "community",
            DocKind::Request => "request",
            DocKind::Person => "person",
            DocKind::Board => "board",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "community" => Some(DocKind::Community),
            "request" => Some(DocKind::Request),
            "person" => Some(DocKind::Person),
            "board" => Some(DocKind::Board),
            _ => None,
        }
    }
}

/// The kind written at a document's root, if any.
pub fn doc_kind(doc: &Automerge) -> Option<DocKind> {
    get_str(doc, &ROOT, "kind").and_then(|k| DocKind::parse(&k))
}

/// The triage colour 三色管理 of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// 紧急: answer within 48 hours.
    Red,
    /// 一般: within 5 days.
    Yellow,
    /// 建议: within 15 days.
    Blue,
}

impl Colour {
    pub const ALL: [Colour; 3] = [Colour::Red, Colour::Yellow, Colour::Blue];

    pub fn as_str(self) -> &'static str {
        match self {
            Colour::Red => "red",
            Colour::Yellow => "yellow",
            Colour::Blue => "blue",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "red" => Some(Colour::Red),
            "yellow" => Some(Colour::Yellow),
            "blue" => Some(Colour::Blue),
            _ => None,
        }
    }

    /// The default answer window, in hours: 48 / 120 / 360.
    pub fn default_hours(self) -> i64 {
        match self {
            Colour::Red => 48,
            Colour::Yellow => 5 * 24,
            Colour::Blue => 15 * 24,
        }
    }
}

/// Where a request stands. The order is the lifecycle's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已提交: filed, nobody has looked yet.
    Filed,
    /// 已受理: the grid worker has taken it.
    Accepted,
    /// 处理中: work is under way.
    InProgress,
    /// 已答复: the grid worker has answered.
    Answered,
    /// 已办结: done.
    Resolved,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Filed,
        Status::Accepted,
        Status::InProgress,
        Status::Answered,
        Status::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Filed => "filed",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Open means it still sits in a grid worker's queue.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved)
    }
}

/// Limits on what a person types; each breach has its own message in the UI.
pub mod limits {
    pub const TITLE_MAX: usize = 60;
    pub const DESCRIPTION_MAX: usize = 2_000;
    pub const TEXT_MAX: usize = 2_000;
    pub const REASON_MAX: usize = 200;
    /// Photos per request and per answer.
    pub const PHOTOS_MAX: usize = 3;
    /// Days after resolution within which a resident may reopen.
    pub const REOPEN_DAYS: i64 = 30;
    /// A person's, grid's, community's or category's name, and a name signed on a request or
    /// a history entry (`filed_by_name`, `by_name`).
    pub const NAME_MAX: usize = 60;
    pub const PHONE_MAX: usize = 32;
    /// A flat (building-unit-room).
    pub const FLAT_MAX: usize = 32;
    /// Ids and short codes: person, household, grid and category ids, kinds, statuses,
    /// colours, photo hashes; also every map key.
    pub const ID_MAX: usize = 100;
    /// Any other string field (checked by the relay: nothing is unbounded).
    pub const FIELD_MAX: usize = 200;
    /// Answer templates in the community document.
    pub const TEMPLATES_MAX: usize = 100;
    /// Operations in one change: a new request with the longest description fits with room to
    /// spare; a larger splice is refused before it is applied.
    pub const CHANGE_OPS_MAX: usize = 2 * DESCRIPTION_MAX + 1_000;
    /// Operations in all the changes of one message.
    pub const MESSAGE_OPS_MAX: usize = 50_000;

    /// The most characters (or bytes, for binary values) a string at `field` may hold: the
    /// field's own name, or `"*"` for an element of a list named by `parent`.
    pub fn of_field(parent: Option<&str>, field: &str) -> usize {
        match (parent, field) {
            (_, "title") => TITLE_MAX,
            (_, "description") => DESCRIPTION_MAX,
            (_, "text" | "comment") => TEXT_MAX,
            (_, "reason") => REASON_MAX,
            (_, "name" | "by_name" | "filed_by_name" | "zh" | "en" | "label") => NAME_MAX,
            (_, "phone") => PHONE_MAX,
            (_, "flat") => FLAT_MAX,
            (Some("templates"), "*") => TEXT_MAX,
            (Some("photos"), "*") => ID_MAX,
            (
                _,
                "kind" | "subject" | "household" | "grid" | "category" | "colour" | "status"
                | "filed_by" | "by" | "type" | "to" | "method" | "granted_by" | "withdrawn_by",
            ) => ID_MAX,
            _ => FIELD_MAX,
        }
    }

    /// The most elements a list named `field` may hold (`None`: not bounded here, e.g. the
    /// history, which grows one checked entry at a time).
    pub fn of_list(field: &str) -> Option<usize> {
        match field {
            "photos" => Some(PHOTOS_MAX),
            "templates" => Some(TEMPLATES_MAX),
            _ => None,
        }
    }
}

/// What is wrong with what a person typed. The UI maps each to a message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum InputError {
    #[error("the title is empty")]
    TitleEmpty,
    #[error("the title is {len} characters; at most {max}")]
    TitleTooLong { len: usize, max: usize },
    #[error("the description is {len} characters; at most {max}")]
    DescriptionTooLong { len: usize, max: usize },
    #[error("the text is empty")]
    TextEmpty,
    #[error("the text is {len} characters; at most {max}")]
    TextTooLong { len: usize, max: usize },
    #[error("no category chosen")]
    CategoryMissing,
    #[error("no grid chosen")]
    GridMissing,
    #[error("a rating is 1 to 5 stars, not {stars}")]
    RatingOutOfRange { stars: u8 },
    #[error("at most {max} photos")]
    TooManyPhotos { max: usize },
}

/// Errors of the model layer: bad input, or a document that is not what it should be.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("document is not a {expected} (kind {found:?})")]
    WrongKind {
        expected: &'static str,
        found: Option<String>,
    },
    #[error("document already holds a {0}")]
    NotEmpty(&'static str),
    #[error("document field {0} is missing or malformed")]
    Malformed(&'static str),
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn check_text(text: &str, max: usize) -> Result<String, InputError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(InputError::TextEmpty);
    }
    if chars(t) > max {
        return Err(InputError::TextTooLong { len: chars(t), max });
    }
    Ok(t.to_string())
}

/// What a person types to file a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDraft {
    pub title: String,
    pub description: String,
    pub category: String,
    pub colour: Option<Colour>,
    pub grid: String,
    /// Photos (content hashes), at most three.
    #[serde(default)]
    pub photos: Vec<String>,
}

impl RequestDraft {
    /// Every problem with the draft at once, so the form can mark each field.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            out.push(InputError::TitleEmpty);
        } else if chars(title) > limits::TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: chars(title),
                max: limits::TITLE_MAX,
            });
        }
        let dlen = chars(self.description.trim());
        if dlen > limits::DESCRIPTION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: dlen,
                max: limits::DESCRIPTION_MAX,
            });
        }
        if self.category.trim().is_empty() {
            out.push(InputError::CategoryMissing);
        }
        if self.grid.trim().is_empty() {
            out.push(InputError::GridMissing);
        }
        if self.photos.len() > limits::PHOTOS_MAX {
            out.push(InputError::TooManyPhotos {
                max: limits::PHOTOS_MAX,
            });
        }
        out
    }
}

/// Who files a request, and for whom. `filed_by` differs from `subject` when a volunteer files
/// for an elder (代办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// Person id of whoever pressed "send".
    pub filed_by: String,
    /// Person id of the resident the request is about.
    pub subject: String,
    /// Household id of `subject`.
    pub household: String,
}

/// Files a request and signs it with the filer's name (see [`append_event_named`]).
pub fn file_request_named(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    filed_by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    file(doc, draft, filing, filed_by_name, now)
}

/// Writes a new request into an empty document.
pub fn file_request(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    now: Millis,
) -> Result<(), ModelError> {
    file(doc, draft, filing, "", now)
}

fn file(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    filed_by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("request"));
    }
    let colour = draft.colour.unwrap_or(Colour::Yellow);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Request.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "title", draft.title.trim())?;
        let desc = tx.put_object(ROOT, "description", ObjType::Text)?;
        tx.splice_text(&desc, 0, 0, draft.description.trim())?;
        tx.put(ROOT, "category", draft.category.trim())?;
        tx.put(ROOT, "colour", colour.as_str())?;
        tx.put(ROOT, "grid", draft.grid.trim())?;
        tx.put(ROOT, "household", filing.household.as_str())?;
        tx.put(ROOT, "subject", filing.subject.as_str())?;
        tx.put(ROOT, "filed_by", filing.filed_by.as_str())?;
        if !filed_by_name.is_empty() {
            tx.put(ROOT, "filed_by_name", filed_by_name)?;
        }
        tx.put(ROOT, "filed_at", now)?;
        tx.put_object(ROOT, "events", ObjType::List)?;
        let photos = tx.put_object(ROOT, "photos", ObjType::List)?;
        for (i, h) in draft.photos.iter().enumerate() {
            tx.insert(&photos, i, h.as_str())?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

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

impl EventKind {
    fn type_str(&self) -> &'static str {
        match self {
            EventKind::Status { .. } => "status",
            EventKind::Answer { .. } => "answer",
            EventKind::Detail { .. } => "detail",
            EventKind::Recolour { .. } => "recolour",
            EventKind::Reopen { .. } => "reopen",
            EventKind::Rate { .. } => "rate",
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
        tx.put(&ev, "type", kind.type_str())?;
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

fn expect_kind(doc: &Automerge, kind: DocKind) -> Result<(), ModelError> {
    let found = get_str(doc, &ROOT, "kind");
    if found.as_deref() == Some(kind.as_str()) {
        Ok(())
    } else {
        Err(ModelError::WrongKind {
            expected: kind.as_str(),
            found,
        })
    }
}

/// Removes a person from a request (after their erasure): who filed it and whom it concerns
/// become `erased`; the request itself, its household and its history stay.
pub fn anonymise(doc: &mut Automerge, person: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Request)?;
    let subject = get_str(doc, &ROOT, "subject");
    let filed_by = get_str(doc, &ROOT, "filed_by");
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if subject.as_deref() == Some(person) {
            tx.put(ROOT, "subject", ERASED)?;
        }
        if filed_by.as_deref() == Some(person) {
            tx.put(ROOT, "filed_by", ERASED)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Stands in for a person whose data was erased.
pub const ERASED: &str = "erased";

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
    pub fn deadline(&self, config: &DeadlineConfig) -> Millis {
        self.clock_start() + config.hours(self.colour_now()) * HOUR
    }
}

/// The photo hashes in an object's `photos` list.
fn read_photo_list(doc: &Automerge, list: &ObjId) -> Vec<String> {
    doc.list_range(list, ..)
        .filter_map(|item| match item.value {
            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => Some(s.to_string()),
            _ => None,
        })
        .take(limits::PHOTOS_MAX)
        .collect()
}

fn read_event(doc: &Automerge, ev: &ObjId) -> Option<Event> {
    let f = Fields::of(doc, ev);
    let ty = f.str("type")?;
    let text = || f.str("text").unwrap_or_default();
    let kind = match ty.as_str() {
        "status" => EventKind::Status {
            to: Status::parse(&f.str("to")?)?,
        },
        "answer" => EventKind::Answer {
            text: text(),
            substantive: f.bool("substantive").unwrap_or(true),
        },
        "detail" => EventKind::Detail { text: text() },
        "recolour" => EventKind::Recolour {
            to: Colour::parse(&f.str("to")?)?,
            reason: f.str("reason").unwrap_or_default(),
        },
        "reopen" => EventKind::Reopen {
            reason: f.str("reason").unwrap_or_default(),
        },
        "rate" => EventKind::Rate {
            stars: u8::try_from(f.i64("stars")?).ok()?,
            comment: f.str("comment").unwrap_or_default(),
        },
        // A newer client's event kind: skipped by this reader, kept in the document.
        _ => return None,
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

/// Answer windows per colour, in hours; staff may change them per community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineConfig {
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
}

impl Default for DeadlineConfig {
    fn default() -> Self {
        Self {
            red: Colour::Red.default_hours(),
            yellow: Colour::Yellow.default_hours(),
            blue: Colour::Blue.default_hours(),
        }
    }
}

impl DeadlineConfig {
    pub fn hours(&self, colour: Colour) -> i64 {
        match colour {
            Colour::Red => self.red,
            Colour::Yellow => self.yellow,
            Colour::Blue => self.blue,
        }
    }
}

/// A grid 网格 of the community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    pub id: String,
    pub name: String,
}

/// A request category, named in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub zh: String,
    pub en: String,
}

/// The community document: public data every enrolled device holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub name: String,
    pub grids: Vec<Grid>,
    pub categories: Vec<Category>,
    pub deadlines: DeadlineConfig,
    /// Answer templates for common replies (grid workers pick one, then edit).
    #[serde(default)]
    pub templates: Vec<String>,
}

impl Community {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Community)?;
        let mut grids = Vec::new();
        if let Some(g) = get_obj(doc, &ROOT, "grids", ObjType::Map) {
            for id in map_keys(doc, &g) {
                if let Some(obj) = get_obj(doc, &g, &id, ObjType::Map) {
                    let name = get_str(doc, &obj, "name").unwrap_or_else(|| id.clone());
                    grids.push(Grid { id, name });
                }
            }
        }
        let mut categories = Vec::new();
        if let Some(c) = get_obj(doc, &ROOT, "categories", ObjType::Map) {
            for id in map_keys(doc, &c) {
                if let Some(obj) = get_obj(doc, &c, &id, ObjType::Map) {
                    categories.push(Category {
                        zh: get_str(doc, &obj, "zh").unwrap_or_else(|| id.clone()),
                        en: get_str(doc, &obj, "en").unwrap_or_else(|| id.clone()),
                        id,
                    });
                }
            }
        }
        let mut deadlines = DeadlineConfig::default();
        if let Some(d) = get_obj(doc, &ROOT, "deadlines", ObjType::Map) {
            for c in Colour::ALL {
                if let Some(h) = get_i64(doc, &d, c.as_str()).filter(|h| *h > 0) {
                    match c {
                        Colour::Red => deadlines.red = h,
                        Colour::Yellow => deadlines.yellow = h,
                        Colour::Blue => deadlines.blue = h,
                    }
                }
            }
        }
        let templates = get_obj(doc, &ROOT, "templates", ObjType::List)
            .map(|l| {
                doc.list_range(&l, ..)
                    .filter_map(|item| match item.value {
                        automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => {
                            Some(s.to_string())
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Categories in the order staff added them (the map itself is sorted by id).
        categories.sort_by_key(|c: &Category| {
            get_obj(doc, &ROOT, "categories", ObjType::Map)
                .and_then(|m| get_obj(doc, &m, &c.id, ObjType::Map))
                .and_then(|o| get_i64(doc, &o, "order"))
                .unwrap_or(i64::MAX)
        });
        Ok(Community {
            name: get_str(doc, &ROOT, "name").unwrap_or_default(),
            grids,
            categories,
            deadlines,
            templates,
        })
    }

    /// Writes a whole community into an empty document (used to seed a new install).
    pub fn create(&self, doc: &mut Automerge) -> Result<(), ModelError> {
        if doc_kind(doc).is_some() {
            return Err(ModelError::NotEmpty("community"));
        }
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "kind", DocKind::Community.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "name", self.name.as_str())?;
            let grids = tx.put_object(ROOT, "grids", ObjType::Map)?;
            for g in &self.grids {
                let o = tx.put_object(&grids, g.id.as_str(), ObjType::Map)?;
                tx.put(&o, "name", g.name.as_str())?;
            }
            let cats = tx.put_object(ROOT, "categories", ObjType::Map)?;
            for (i, c) in self.categories.iter().enumerate() {
                let o = tx.put_object(&cats, c.id.as_str(), ObjType::Map)?;
                tx.put(&o, "zh", c.zh.as_str())?;
                tx.put(&o, "en", c.en.as_str())?;
                tx.put(&o, "order", i as i64)?;
            }
            let t = tx.put_object(ROOT, "templates", ObjType::List)?;
            for (i, text) in self.templates.iter().enumerate() {
                tx.insert(&t, i, text.as_str())?;
            }
            let d = tx.put_object(ROOT, "deadlines", ObjType::Map)?;
            for c in Colour::ALL {
                tx.put(&d, c.as_str(), self.deadlines.hours(c))?;
            }
            Ok(())
        })
        .map_err(|f| f.error)?;
        Ok(())
    }

    pub fn grid_name(&self, id: &str) -> String {
        self.grids
            .iter()
            .find(|g| g.id == id)
            .map(|g| g.name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

/// Answer templates every new community starts with.
pub fn default_templates() -> Vec<String> {
    [
        "您好，已收到您的诉求，我们会尽快安排处理。",
        "已联系物业，安排维修人员上门，预计3天内完成。",
        "已到现场查看，问题已处理，请您确认。",
        "此事涉及多方，已提交每周三的四方会谈协商。",
        "已转交相关部门处理，有进展会第一时间告诉您。",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// Staff change a colour's answer window (hours).
pub fn set_deadline(doc: &mut Automerge, colour: Colour, hours: i64) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    if !(1..=24 * 90).contains(&hours) {
        return Err(ModelError::Malformed("deadline hours"));
    }
    let d =
        get_obj(doc, &ROOT, "deadlines", ObjType::Map).ok_or(ModelError::Malformed("deadlines"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.put(&d, colour.as_str(), hours))
        .map_err(|f| f.error)?;
    Ok(())
}

/// Staff add a request category (or rename one).
pub fn add_category(doc: &mut Automerge, id: &str, zh: &str, en: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let (zh, en) = (check_text(zh, 20)?, check_text(en, 40)?);
    let cats = get_obj(doc, &ROOT, "categories", ObjType::Map)
        .ok_or(ModelError::Malformed("categories"))?;
    let order = map_keys(doc, &cats).len() as i64;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let o = tx.put_object(&cats, id, ObjType::Map)?;
        tx.put(&o, "zh", zh.as_str())?;
        tx.put(&o, "en", en.as_str())?;
        tx.put(&o, "order", order)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff add an answer template.
pub fn add_template(doc: &mut Automerge, text: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let text = check_text(text, limits::TEXT_MAX)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let t = match get_obj(tx, &ROOT, "templates", ObjType::List) {
            Some(t) => t,
            None => tx.put_object(ROOT, "templates", ObjType::List)?,
        };
        let n = tx.length(&t);
        tx.insert(&t, n, text.as_str())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Staff remove an answer template.
pub fn remove_template(doc: &mut Automerge, index: usize) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Community)?;
    let t = get_obj(doc, &ROOT, "templates", ObjType::List)
        .ok_or(ModelError::Malformed("templates"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| tx.delete(&t, index))
        .map_err(|f| f.error)?;
    Ok(())
}

/// The categories every new community starts with, from the seed article's daily life.
pub fn default_categories() -> Vec<Category> {
    [
        ("clutter", "楼道堆物", "Stairwell clutter"),
        ("pets", "宠物扰民", "Pet nuisance"),
        ("facilities", "设施损坏", "Broken facilities"),
        ("leak", "渗漏", "Leaks"),
        ("sanitation", "环境卫生", "Sanitation"),
        ("garbage", "垃圾分类", "Garbage sorting"),
        ("noise", "噪音", "Noise"),
        ("parking", "停车", "Parking"),
        ("aging", "适老化", "Aging-friendly changes"),
        ("other", "其他", "Other"),
    ]
    .into_iter()
    .map(|(id, zh, en)| Category {
        id: id.into(),
        zh: zh.into(),
        en: en.into(),
    })
    .collect()
}

/// A person's own record: personal data, kept only in documents entitled devices receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The person id (`p-…`), written as the document's `subject`.
    pub id: String,
    pub name: String,
    pub phone: String,
    /// Building-unit-room, e.g. `7-2-301`.
    pub flat: String,
    pub birth_year: Option<i64>,
    pub lives_alone: bool,
    pub household: String,
    pub grid: String,
}

impl Person {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Person)?;
        let s = |k: &str| get_str(doc, &ROOT, k).unwrap_or_default();
        Ok(Person {
            id: s("subject"),
            name: s("name"),
            phone: s("phone"),
            flat: s("flat"),
            birth_year: get_i64(doc, &ROOT, "birth_year"),
            lives_alone: get_bool(doc, &ROOT, "lives_alone").unwrap_or(false),
            household: s("household"),
            grid: s("grid"),
        })
    }

    pub fn create(&self, doc: &mut Automerge) -> Result<(), ModelError> {
        if doc_kind(doc).is_some() {
            return Err(ModelError::NotEmpty("person"));
        }
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "kind", DocKind::Person.as_str())?;
            tx.put(ROOT, "schema", SCHEMA)?;
            tx.put(ROOT, "subject", self.id.as_str())?;
            tx.put(ROOT, "name", self.name.as_str())?;
            tx.put(ROOT, "phone", self.phone.as_str())?;
            tx.put(ROOT, "flat", self.flat.as_str())?;
            if let Some(y) = self.birth_year {
                tx.put(ROOT, "birth_year", y)?;
            }
            tx.put(ROOT, "lives_alone", self.lives_alone)?;
            tx.put(ROOT, "household", self.household.as_str())?;
            tx.put(ROOT, "grid", self.grid.as_str())?;
            // Created up front: two phones creating it concurrently would lose one's entries.
            tx.put_object(ROOT, "consents", ObjType::Map)?;
            Ok(())
        })
        .map_err(|f| f.error)?;
        Ok(())
    }
}

/// How an elder gave a volunteer their consent to act for them (代办授权).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Said so in person, to staff or on the elder's own phone.
    InPerson,
    /// Signed a paper form, kept by the residents' committee.
    Paper,
}

impl ConsentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::InPerson => "in_person",
            ConsentMethod::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in_person" => Some(ConsentMethod::InPerson),
            "paper" => Some(ConsentMethod::Paper),
            _ => None,
        }
    }
}

/// One consent recorded in a person's record: who may act for them, since when, how; and
/// whether (and by whom) it was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub volunteer: String,
    pub granted_at: Millis,
    pub granted_by: String,
    pub method: ConsentMethod,
    pub withdrawn_at: Option<Millis>,
    pub withdrawn_by: Option<String>,
}

impl Consent {
    pub fn active(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

/// The consents recorded in a person's record.
pub fn consents(doc: &Automerge) -> Vec<Consent> {
    let Some(map) = get_obj(doc, &ROOT, "consents", ObjType::Map) else {
        return Vec::new();
    };
    map_keys(doc, &map)
        .into_iter()
        .filter_map(|volunteer| {
            let c = get_obj(doc, &map, &volunteer, ObjType::Map)?;
            Some(Consent {
                granted_at: get_i64(doc, &c, "granted_at")?,
                granted_by: get_str(doc, &c, "granted_by").unwrap_or_default(),
                method: get_str(doc, &c, "method")
                    .and_then(|m| ConsentMethod::parse(&m))
                    .unwrap_or(ConsentMethod::InPerson),
                withdrawn_at: get_i64(doc, &c, "withdrawn_at"),
                withdrawn_by: get_str(doc, &c, "withdrawn_by"),
                volunteer,
            })
        })
        .collect()
}

/// Records that the person consents to `volunteer` acting for them (replacing any earlier,
/// withdrawn consent to the same volunteer).
pub fn grant_consent(
    doc: &mut Automerge,
    volunteer: &str,
    by: &str,
    method: ConsentMethod,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Person)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let map = match get_obj(tx, &ROOT, "consents", ObjType::Map) {
            Some(m) => m,
            None => tx.put_object(ROOT, "consents", ObjType::Map)?,
        };
        let c = tx.put_object(&map, volunteer, ObjType::Map)?;
        tx.put(&c, "granted_at", now)?;
        tx.put(&c, "granted_by", by)?;
        tx.put(&c, "method", method.as_str())?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Withdraws the consent given to `volunteer`. The record stays, marked withdrawn.
pub fn withdraw_consent(
    doc: &mut Automerge,
    volunteer: &str,
    by: &str,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Person)?;
    let c = get_obj(doc, &ROOT, "consents", ObjType::Map)
        .and_then(|m| get_obj(doc, &m, volunteer, ObjType::Map))
        .ok_or(ModelError::Malformed("consents"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(&c, "withdrawn_at", now)?;
        tx.put(&c, "withdrawn_by", by)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The scope fields the relay reads from any document to decide who may hold it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub kind: Option<DocKind>,
    pub grid: Option<String>,
    pub household: Option<String>,
    pub subject: Option<String>,
}

impl Scope {
    pub fn read(doc: &Automerge) -> Self {
        let root = Fields::of(doc, &ROOT);
        Scope {
            kind: root.str("kind").and_then(|k| DocKind::parse(&k)),
            grid: root.str("grid"),
            household: root.str("household"),
            subject: root.str("subject"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> RequestDraft {
        RequestDraft {
            title: "  3号楼楼道堆物  ".into(),
            description: "纸箱堆在二楼楼梯口".into(),
            category: "clutter".into(),
            colour: Some(Colour::Red),
            grid: "g07".into(),
            photos: Vec::new(),
        }
    }

    fn filing() -> Filing {
        Filing {
            filed_by: "p-wang".into(),
            subject: "p-wang".into(),
            household: "h-7-2-301".into(),
        }
    }

    #[test]
    fn filed_request_reads_back_trimmed_with_status_filed() {
        let mut doc = Automerge::new();
        file_request(&mut doc, &draft(), &filing(), 1_000).unwrap();
        let r = Request::read(&doc).unwrap();
        assert_eq!(r.title, "3号楼楼道堆物");
        assert_eq!(r.colour, Colour::Red);
        assert_eq!(r.status(), Status::Filed);
        assert_eq!(r.deadline(&DeadlineConfig::default()), 1_000 + 48 * HOUR);
        assert_eq!(Scope::read(&doc).grid.as_deref(), Some("g07"));
    }

    #[test]
    fn empty_and_overlong_titles_are_reported_together_with_a_missing_category() {
        let d = RequestDraft {
            title: "   ".into(),
            category: "".into(),
            ..draft()
        };
        assert_eq!(
            d.problems(),
            vec![InputError::TitleEmpty, InputError::CategoryMissing]
        );
        let long = RequestDraft {
            title: "长".repeat(61),
            ..draft()
        };
        assert_eq!(
            long.problems(),
            vec![InputError::TitleTooLong { len: 61, max: 60 }]
        );
        let mut doc = Automerge::new();
        assert!(file_request(&mut doc, &long, &filing(), 0).is_err());
        assert!(doc.get_heads().is_empty(), "nothing written on bad input");
    }

    #[test]
    fn an_answer_moves_status_to_answered_and_counts_as_first_answer() {
        let mut doc = Automerge::new();
        file_request(&mut doc, &draft(), &filing(), 0).unwrap();
        append_event(
            &mut doc,
            "w",
            10,
            EventKind::Status {
                to: Status::Accepted,
            },
        )
        .unwrap();
        append_event(
            &mut doc,
            "w",
            20,
            EventKind::Answer {
                text: "已安排清理".into(),
                substantive: true,
            },
        )
        .unwrap();
        let r = Request::read(&doc).unwrap();
        assert_eq!(r.status(), Status::Answered);
        assert_eq!(r.first_answer_at(), Some(20));
        assert_eq!(r.last_answer(), Some("已安排清理"));
    }

    #[test]
    fn a_rating_counts_until_the_request_is_reopened_and_resolved_again() {
        let mut doc = Automerge::new();
        file_request(&mut doc, &draft(), &filing(), 0).unwrap();
        let resolve = |doc: &mut Automerge, at| {
            append_event(
                doc,
                "w",
                at,
                EventKind::Status {
                    to: Status::Resolved,
                },
            )
            .unwrap();
        };
        let rate = |doc: &mut Automerge, at| {
            append_event(
                doc,
                "p-wang",
                at,
                EventKind::Rate {
                    stars: 4,
                    comment: String::new(),
                },
            )
            .unwrap();
        };
        resolve(&mut doc, 10);
        assert!(!Request::read(&doc).unwrap().rated_since_resolved());
        rate(&mut doc, 20);
        assert!(Request::read(&doc).unwrap().rated_since_resolved());
        append_event(
            &mut doc,
            "p-wang",
            30,
            EventKind::Reopen {
                reason: "又坏了".into(),
            },
        )
        .unwrap();
        resolve(&mut doc, 40);
        assert!(!Request::read(&doc).unwrap().rated_since_resolved());
        rate(&mut doc, 50);
        assert!(Request::read(&doc).unwrap().rated_since_resolved());
    }

    #[test]
    fn concurrent_detail_and_status_both_survive_a_merge() {
        let mut a = Automerge::new();
        file_request(&mut a, &draft(), &filing(), 0).unwrap();
        let mut b = a.fork();
        append_event(
            &mut a,
            "p-wang",
            5,
            EventKind::Detail {
                text: "晚上更严重".into(),
            },
        )
        .unwrap();
        append_event(
            &mut b,
            "w",
            6,
            EventKind::Status {
                to: Status::InProgress,
            },
        )
        .unwrap();
        a.merge(&mut b).unwrap();
        b.merge(&mut a.clone()).unwrap();
        let (ra, rb) = (Request::read(&a).unwrap(), Request::read(&b).unwrap());
        assert_eq!(ra, rb);
        assert_eq!(ra.events.len(), 2);
        assert_eq!(ra.status(), Status::InProgress);
    }

    #[test]
    fn a_withdrawn_consent_stays_on_record_but_is_no_longer_active() {
        let mut doc = Automerge::new();
        Person {
            id: "p-elder".into(),
            name: "王".into(),
            phone: "1".into(),
            flat: "7-2-301".into(),
            birth_year: Some(1954),
            lives_alone: true,
            household: "h-1".into(),
            grid: "g07".into(),
        }
        .create(&mut doc)
        .unwrap();
        grant_consent(&mut doc, "p-vol", "p-staff", ConsentMethod::Paper, 10).unwrap();
        assert!(consents(&doc)[0].active());
        withdraw_consent(&mut doc, "p-vol", "p-elder", 20).unwrap();
        let c = &consents(&doc)[0];
        assert!(!c.active());
        assert_eq!(
            (c.granted_by.as_str(), c.withdrawn_by.as_deref()),
            ("p-staff", Some("p-elder"))
        );
        assert_eq!(c.method, ConsentMethod::Paper);
    }

    #[test]
    fn community_round_trips_through_its_document() {
        let c = Community {
            name: "水榭花都".into(),
            grids: vec![Grid {
                id: "g01".into(),
                name: "第1网格".into(),
            }],
            categories: default_categories(),
            deadlines: DeadlineConfig::default(),
            templates: default_templates(),
        };
        let mut doc = Automerge::new();
        c.create(&mut doc).unwrap();
        let mut back = Community::read(&doc).unwrap();
        back.categories.sort_by(|a, b| a.id.cmp(&b.id));
        let mut want = c.clone();
        want.categories.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(back, want);
    }
}

/// The key of a request's entry on its grid's board: derived from the document id, so whoever
/// holds the request finds its entry, while the board does not reveal request ids.
pub fn board_key(id: &crate::ids::DocumentId) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::new()
        .chain_update(b"linli-board:")
        .chain_update(id.as_bytes())
        .finalize();
    crate::ids::hex(&d[..8])
}

/// One entry on a grid's board (public: no personal data, no document id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardEntry {
    pub key: String,
    pub title: String,
    pub category: String,
    pub colour: Colour,
    pub status: Status,
    pub filed_at: Millis,
    /// When the relay last changed what the entry says (for followers' notifications).
    pub updated_at: Millis,
    /// Person ids of those who follow it (+1), with when.
    pub follows: Vec<(String, Millis)>,
}

/// A grid's board as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub grid: String,
    pub entries: Vec<BoardEntry>,
}

impl Board {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Board)?;
        let mut entries = Vec::new();
        if let Some(map) = get_obj(doc, &ROOT, "entries", ObjType::Map) {
            for key in map_keys(doc, &map) {
                let Some(e) = get_obj(doc, &map, &key, ObjType::Map) else {
                    continue;
                };
                let follows = get_obj(doc, &e, "follows", ObjType::Map)
                    .map(|f| {
                        map_keys(doc, &f)
                            .into_iter()
                            .map(|p| {
                                let at = get_i64(doc, &f, &p).unwrap_or(0);
                                (p, at)
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                entries.push(BoardEntry {
                    title: get_str(doc, &e, "title").unwrap_or_default(),
                    category: get_str(doc, &e, "category").unwrap_or_default(),
                    colour: get_str(doc, &e, "colour")
                        .and_then(|c| Colour::parse(&c))
                        .unwrap_or(Colour::Yellow),
                    status: get_str(doc, &e, "status")
                        .and_then(|c| Status::parse(&c))
                        .unwrap_or(Status::Filed),
                    filed_at: get_i64(doc, &e, "filed_at").unwrap_or(0),
                    updated_at: get_i64(doc, &e, "updated_at").unwrap_or(0),
                    follows,
                    key,
                });
            }
        }
        Ok(Board {
            grid: get_str(doc, &ROOT, "grid").unwrap_or_default(),
            entries,
        })
    }

    pub fn entry(&self, key: &str) -> Option<&BoardEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Creates an empty board for a grid.
pub fn create_board(doc: &mut Automerge, grid: &str) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("board"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Board.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "grid", grid)?;
        tx.put_object(ROOT, "entries", ObjType::Map)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Brings a request's board entry up to date (the relay does this after every change to a
/// request); entries of requests resolved over 30 days ago are removed.
pub fn update_board(
    doc: &mut Automerge,
    key: &str,
    req: &Request,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Board)?;
    let entries =
        get_obj(doc, &ROOT, "entries", ObjType::Map).ok_or(ModelError::Malformed("entries"))?;
    let existing = get_obj(doc, &entries, key, ObjType::Map);
    let stale = req
        .resolved_at()
        .is_some_and(|at| now - at > limits::REOPEN_DAYS * crate::time::DAY);
    let status = req.status();
    let colour = req.colour_now();
    let same = existing.as_ref().is_some_and(|e| {
        get_str(doc, e, "title").as_deref() == Some(req.title.as_str())
            && get_str(doc, e, "category").as_deref() == Some(req.category.as_str())
            && get_str(doc, e, "colour").as_deref() == Some(colour.as_str())
            && get_str(doc, e, "status").as_deref() == Some(status.as_str())
    });
    if (same && !stale) || (existing.is_none() && stale) {
        return Ok(());
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if stale {
            tx.delete(&entries, key)?;
            return Ok(());
        }
        let e = match &existing {
            Some(e) => e.clone(),
            None => {
                let e = tx.put_object(&entries, key, ObjType::Map)?;
                tx.put_object(&e, "follows", ObjType::Map)?;
                tx.put(&e, "filed_at", req.filed_at)?;
                e
            }
        };
        tx.put(&e, "title", req.title.as_str())?;
        tx.put(&e, "category", req.category.as_str())?;
        tx.put(&e, "colour", colour.as_str())?;
        tx.put(&e, "status", status.as_str())?;
        tx.put(&e, "updated_at", now)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Follows (+1) or unfollows a board entry as `person`.
pub fn set_follow(
    doc: &mut Automerge,
    key: &str,
    person: &str,
    follow: bool,
    now: Millis,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Board)?;
    let follows = get_obj(doc, &ROOT, "entries", ObjType::Map)
        .and_then(|m| get_obj(doc, &m, key, ObjType::Map))
        .and_then(|e| get_obj(doc, &e, "follows", ObjType::Map))
        .ok_or(ModelError::Malformed("follows"))?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        if follow {
            tx.put(&follows, person, now)
        } else {
            tx.delete(&follows, person)
        }
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Character bigrams of a text (CJK characters, and words of letters or digits), lower case.
fn bigrams(text: &str) -> std::collections::HashSet<(char, char)> {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let mut out: std::collections::HashSet<(char, char)> =
        chars.windows(2).map(|w| (w[0], w[1])).collect();
    if chars.len() == 1 {
        out.insert((chars[0], ' '));
    }
    out
}

/// How alike two short texts are, 0.0 to 1.0: the Dice coefficient of their character bigrams.
/// Works for Chinese without a word segmenter: "楼道堆放纸箱" and "楼道里堆了纸箱" share
/// 楼道 and 纸箱.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let shared = x.intersection(&y).count();
    2.0 * shared as f64 / (x.len() + y.len()) as f64
}

/// Open board entries that look like the same problem as `title` (most alike first).
pub fn similar_open<'a>(
    board: &'a Board,
    title: &str,
    category: &str,
) -> Vec<(&'a BoardEntry, f64)> {
    let mut v: Vec<(&BoardEntry, f64)> = board
        .entries
        .iter()
        .filter(|e| e.status.is_open())
        .map(|e| {
            let mut s = similarity(title, &e.title);
            if !category.is_empty() && e.category == category {
                s += 0.1;
            }
            (e, s)
        })
        .filter(|(_, s)| *s >= 0.45)
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.truncate(3);
    v
}

#[cfg(test)]
mod board_tests {
    use super::*;

    #[test]
    fn similar_chinese_titles_score_high_and_unrelated_ones_low() {
        assert!(similarity("3号楼楼道堆放纸箱", "3号楼楼道堆了很多纸箱") > 0.5);
        assert!(similarity("楼道灯不亮", "三单元楼道灯坏了") > 0.3);
        assert!(similarity("楼道灯不亮", "狗叫扰民") < 0.1);
        assert_eq!(similarity("", "x"), 0.0);
    }

    #[test]
    fn a_board_keeps_follows_across_updates_and_drops_long_resolved_entries() {
        let mut r = Request {
            title: "健身器材松动".into(),
            description: String::new(),
            category: "facilities".into(),
            colour: Colour::Red,
            photos: Vec::new(),
            grid: "g01".into(),
            household: "h".into(),
            subject: "p".into(),
            filed_by: "p".into(),
            filed_by_name: String::new(),
            filed_at: 0,
            events: Vec::new(),
        };
        let mut doc = Automerge::new();
        create_board(&mut doc, "g01").unwrap();
        update_board(&mut doc, "k1", &r, 0).unwrap();
        set_follow(&mut doc, "k1", "p-neighbour", true, 5).unwrap();
        r.events.push(Event {
            id: "1@a".into(),
            at: 10,
            by: "w".into(),
            by_name: String::new(),
            kind: EventKind::Status {
                to: Status::Resolved,
            },
            photos: Vec::new(),
        });
        update_board(&mut doc, "k1", &r, 20).unwrap();
        let b = Board::read(&doc).unwrap();
        assert_eq!(b.entries[0].status, Status::Resolved);
        assert_eq!(b.entries[0].follows, vec![("p-neighbour".to_string(), 5)]);
        assert!(
            similar_open(&b, "健身器材松动了", "").is_empty(),
            "resolved: no longer offered"
        );
        update_board(&mut doc, "k1", &r, 10 + 31 * crate::time::DAY).unwrap();
        assert!(Board::read(&doc).unwrap().entries.is_empty());
    }
}

/// What a device shows of a document, read once when the document changes and kept beside it
/// in storage (the app's read model): the views read these, so opening the app reads small
/// records instead of loading and walking every document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Summary {
    Request {
        request: Request,
    },
    Person {
        person: Person,
        consents: Vec<Consent>,
    },
    Community {
        community: Community,
    },
    Board {
        board: Board,
    },
    /// A document this version cannot read (a newer kind, or not yet complete).
    Other,
}

impl Summary {
    pub fn of(doc: &Automerge) -> Summary {
        let read = || -> Option<Summary> {
            Some(match doc_kind(doc)? {
                DocKind::Request => Summary::Request {
                    request: Request::read(doc).ok()?,
                },
                DocKind::Person => Summary::Person {
                    person: Person::read(doc).ok()?,
                    consents: consents(doc),
                },
                DocKind::Community => Summary::Community {
                    community: Community::read(doc).ok()?,
                },
                DocKind::Board => Summary::Board {
                    board: Board::read(doc).ok()?,
                },
            })
        };
        read().unwrap_or(Summary::Other)
    }
}

#[cfg(test)]
mod summary_tests {
    use super::*;

    #[test]
    fn a_summary_survives_storage_as_json_and_matches_the_document() {
        let mut doc = Automerge::new();
        let draft = RequestDraft {
            title: "楼道灯坏了".into(),
            description: "三楼".into(),
            category: "facilities".into(),
            colour: Some(Colour::Yellow),
            grid: "g07".into(),
            photos: Vec::new(),
        };
        let filing = Filing {
            filed_by: "p-wang".into(),
            subject: "p-wang".into(),
            household: "h1".into(),
        };
        file_request(&mut doc, &draft, &filing, 1_000).unwrap();
        append_event(
            &mut doc,
            "p-li",
            2_000,
            EventKind::Answer {
                text: "明天修".into(),
                substantive: true,
            },
        )
        .unwrap();
        let s = Summary::of(&doc);
        let Summary::Request { request } = &s else {
            panic!("a request: {s:?}");
        };
        assert_eq!(request, &Request::read(&doc).unwrap());
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Summary>(&json).unwrap(), s);
        assert_eq!(Summary::of(&Automerge::new()), Summary::Other);
    }
}
