//! A talk as read from its document, and its creation.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use super::Side;
use super::split::{Payer, Share};
use crate::docutil::{Fields, get_obj, list_maps, list_strings, map_keys};
use crate::domain::requests::Colour;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, ModelError, SCHEMA, doc_kind};
use crate::time::Millis;

/// Where an agenda item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A resident's request 诉求 (linked by its board key, which does not reveal its id).
    Request,
    /// Something seen on a patrol.
    Patrol,
    /// A resident's proposal.
    Proposal,
    /// Typed freely at the table.
    Free,
}

impl Source {
    pub const ALL: [Source; 4] = [
        Source::Request,
        Source::Patrol,
        Source::Proposal,
        Source::Free,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Request => "request",
            Source::Patrol => "patrol",
            Source::Proposal => "proposal",
            Source::Free => "free",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Source::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A side's attendance at one meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    /// Sent a deputy.
    Deputy,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::Present, Attendance::Deputy, Attendance::Absent];

    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Present => "present",
            Attendance::Deputy => "deputy",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Attendance::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a side says in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Position,
    Objection,
    /// A revised proposal.
    Revision,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Position, Stance::Objection, Stance::Revision];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Position => "position",
            Stance::Objection => "objection",
            Stance::Revision => "revision",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Stance::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One side's say on an item in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub side: Side,
    pub round: i64,
    pub stance: Stance,
    pub text: String,
    pub by: String,
    pub by_name: String,
    pub at: Millis,
}

/// An action item of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub text: String,
    /// Person id of whoever carries it out.
    pub owner: String,
    pub owner_name: String,
    /// `YYYY-MM-DD`.
    pub due: String,
    pub done: bool,
}

/// The decision on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    pub agreed: Vec<Side>,
    /// The cost in fen (0: no cost split).
    pub total_fen: i64,
    pub split: Vec<Share>,
    pub actions: Vec<Action>,
    pub decided_at: Millis,
}

impl Decision {
    /// Every action item is done (and there is at least one).
    pub fn actions_done(&self) -> bool {
        !self.actions.is_empty() && self.actions.iter().all(|a| a.done)
    }
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub source: Source,
    /// For an item from a request: the request's board key (`board::board_key`), its colour
    /// and deadline when it was put on the agenda.
    pub request: Option<String>,
    pub colour: Option<Colour>,
    pub due_at: Option<Millis>,
    pub order: i64,
    /// Who asked for it to be discussed (+1), with when.
    pub plus_ones: Vec<(String, Millis)>,
    pub positions: Vec<Position>,
    pub decision: Option<Decision>,
}

impl Item {
    /// The current round: the highest round anyone spoke in (1 before anyone did).
    pub fn round(&self) -> i64 {
        self.positions.iter().map(|p| p.round).max().unwrap_or(1)
    }
}

/// A meeting as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talk {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    pub place: String,
    /// When staff published the agenda to residents (公示).
    pub published_at: Option<Millis>,
    /// When staff published the minutes.
    pub minutes_published_at: Option<Millis>,
    pub attendance: Vec<(Side, Attendance)>,
    pub items: Vec<Item>,
    pub minutes: String,
}

impl Talk {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Talk)?;
        let root = Fields::of(doc, &ROOT);
        let mut attendance = Vec::new();
        if let Some(a) = root.obj("attendance", ObjType::Map) {
            let f = Fields::of(doc, &a);
            for side in Side::ALL {
                if let Some(v) = f.str(side.as_str()).and_then(|v| Attendance::parse(&v)) {
                    attendance.push((side, v));
                }
            }
        }
        let mut items = Vec::new();
        if let Some(map) = root.obj("items", ObjType::Map) {
            for id in map_keys(doc, &map) {
                if let Some(obj) = get_obj(doc, &map, &id, ObjType::Map) {
                    items.push(read_item(doc, id, &obj));
                }
            }
        }
        items.sort_by(|a, b| a.order.cmp(&b.order).then(a.id.cmp(&b.id)));
        Ok(Talk {
            date: root.str("date").unwrap_or_default(),
            time: root.str("time").unwrap_or_default(),
            place: root.str("place").unwrap_or_default(),
            published_at: root.i64("published_at"),
            minutes_published_at: root.i64("minutes_published_at"),
            attendance,
            items,
            minutes: root.str("minutes").unwrap_or_default(),
        })
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn attendance_of(&self, side: Side) -> Option<Attendance> {
        self.attendance
            .iter()
            .find(|(s, _)| *s == side)
            .map(|(_, a)| *a)
    }
}

fn read_item(doc: &Automerge, id: String, obj: &ObjId) -> Item {
    let f = Fields::of(doc, obj);
    let plus_ones = f
        .obj("plus_ones", ObjType::Map)
        .map(|m| {
            let pf = Fields::of(doc, &m);
            map_keys(doc, &m)
                .into_iter()
                .map(|p| {
                    let at = pf.i64(&p).unwrap_or(0);
                    (p, at)
                })
                .collect()
        })
        .unwrap_or_default();
    let positions = f
        .obj("positions", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .iter()
                .filter_map(|p| read_position(doc, p))
                .collect()
        })
        .unwrap_or_default();
    Item {
        title: f.str("title").unwrap_or_default(),
        source: f
            .str("source")
            .and_then(|s| Source::parse(&s))
            .unwrap_or(Source::Free),
        request: f.str("request").filter(|r| !r.is_empty()),
        colour: f.str("colour").and_then(|c| Colour::parse(&c)),
        due_at: f.i64("due_at"),
        order: f.i64("order").unwrap_or(0),
        plus_ones,
        positions,
        decision: f
            .obj("decision", ObjType::Map)
            .and_then(|d| read_decision(doc, &d)),
        id,
    }
}

pub(super) fn read_position(doc: &Automerge, obj: &ObjId) -> Option<Position> {
    let f = Fields::of(doc, obj);
    Some(Position {
        side: Side::parse(&f.str("party")?)?,
        round: f.i64("round")?,
        stance: Stance::parse(&f.str("stance")?)?,
        text: f.str("text")?,
        by: f.str("by")?,
        by_name: f.str("by_name").unwrap_or_default(),
        at: f.i64("at")?,
    })
}

/// A decision as written; `None` when malformed.
pub(super) fn read_decision(doc: &Automerge, obj: &ObjId) -> Option<Decision> {
    let f = Fields::of(doc, obj);
    let agreed = f
        .obj("agreed", ObjType::List)
        .map(|l| {
            list_strings(doc, &l)
                .iter()
                .filter_map(|s| Side::parse(s))
                .collect()
        })
        .unwrap_or_default();
    let split = f
        .obj("split", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .iter()
                .map(|s| {
                    let sf = Fields::of(doc, s);
                    Some(Share {
                        payer: Payer::parse(&sf.str("payer")?)?,
                        bp: sf.i64("bp")?,
                        fen: sf.i64("fen")?,
                    })
                })
                .collect::<Option<Vec<Share>>>()
        })
        .unwrap_or(Some(Vec::new()))?;
    let mut actions = Vec::new();
    if let Some(m) = f.obj("actions", ObjType::Map) {
        for id in map_keys(doc, &m) {
            if let Some(a) = get_obj(doc, &m, &id, ObjType::Map) {
                let af = Fields::of(doc, &a);
                actions.push(Action {
                    text: af.str("text").unwrap_or_default(),
                    owner: af.str("owner").unwrap_or_default(),
                    owner_name: af.str("owner_name").unwrap_or_default(),
                    due: af.str("due").unwrap_or_default(),
                    done: af.bool("done").unwrap_or(false),
                    id,
                });
            }
        }
    }
    actions.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
    Some(Decision {
        text: f.str("text")?,
        agreed,
        total_fen: f.i64("total_fen").unwrap_or(0),
        split,
        actions,
        decided_at: f.i64("decided_at").unwrap_or(0),
    })
}

/// Creates a meeting in an empty document.
pub fn create_talk(
    doc: &mut Automerge,
    date: &str,
    time: &str,
    place: &str,
    now: Millis,
) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("talk"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Talk.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "date", date)?;
        tx.put(ROOT, "time", time)?;
        tx.put(ROOT, "place", place)?;
        tx.put(ROOT, "created_at", now)?;
        // Created up front, so phones writing into them concurrently write into the same ones.
        tx.put_object(ROOT, "attendance", ObjType::Map)?;
        tx.put_object(ROOT, "items", ObjType::Map)?;
        tx.put_object(ROOT, "minutes", ObjType::Text)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Reads the agenda item map `items/<id>` (for commands).
pub(super) fn item_obj(doc: &Automerge, item: &str) -> Result<ObjId, ModelError> {
    get_obj(doc, &ROOT, "items", ObjType::Map)
        .and_then(|m| get_obj(doc, &m, item, ObjType::Map))
        .ok_or(ModelError::Malformed("items"))
}
