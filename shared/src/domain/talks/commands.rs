//! What people do to a talk, as data.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use super::model::item_obj;
use super::split::{Share, check_split};
use super::{Attendance, RESIDENTS, Side, Source, Stance, create_talk, limits};
use crate::docutil::{get_obj, get_str};
use crate::domain::errors::check_text;
use crate::domain::requests::Colour;
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, InputError, ModelError};
use crate::time::Millis;

/// An action item as the decision form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub text: String,
    pub owner: String,
    #[serde(default)]
    pub owner_name: String,
    pub due: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum TalkCommand {
    /// Staff schedule a meeting (into an empty document).
    Create {
        date: String,
        time: String,
        place: String,
    },
    /// Staff put an item on the agenda. `id` is chosen by the device (unique per talk).
    AddItem {
        id: String,
        title: String,
        source: Source,
        #[serde(default)]
        request: Option<String>,
        #[serde(default)]
        colour: Option<Colour>,
        #[serde(default)]
        due_at: Option<Millis>,
    },
    /// Staff publish the agenda to residents (公示).
    Publish,
    /// A resident asks for an item to be discussed (+1), or takes it back.
    PlusOne {
        item: String,
        person: String,
        on: bool,
    },
    /// Staff record a side's attendance.
    Attend { side: Side, attendance: Attendance },
    /// A side's position, objection or revised proposal on an item, in a round.
    Say {
        item: String,
        side: Side,
        round: i64,
        stance: Stance,
        text: String,
        by: String,
        by_name: String,
    },
    /// Staff record the decision on an item.
    Decide {
        item: String,
        text: String,
        agreed: Vec<Side>,
        #[serde(default)]
        total_fen: i64,
        #[serde(default)]
        split: Vec<Share>,
        #[serde(default)]
        actions: Vec<ActionDraft>,
    },
    /// An action item is done (its owner or staff), or not.
    ActionDone {
        item: String,
        action: String,
        done: bool,
    },
    /// The minutes become `text` (a character diff against what the phone has, so
    /// concurrent edits on other phones merge).
    EditMinutes { text: String },
    /// Staff publish the minutes.
    PublishMinutes,
}

/// `YYYY-MM-DD`, a plausible date.
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.char_indices()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

/// `HH:MM`.
pub fn valid_clock(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60)
}

fn tx<F>(doc: &mut Automerge, f: F) -> Result<(), ModelError>
where
    F: FnOnce(
        &mut automerge::transaction::Transaction<'_>,
    ) -> Result<(), automerge::AutomergeError>,
{
    doc.transact::<_, _, automerge::AutomergeError>(|t| f(t))
        .map_err(|f| f.error)?;
    Ok(())
}

impl TalkCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        if !matches!(self, TalkCommand::Create { .. }) {
            expect_kind(doc, DocKind::Talk)?;
        }
        match self {
            TalkCommand::Create { date, time, place } => {
                if !valid_date(date) {
                    return Err(InputError::BadDate.into());
                }
                if !valid_clock(time) {
                    return Err(InputError::BadClock.into());
                }
                let place = check_text(place, limits::PLACE_MAX)?;
                create_talk(doc, date, time, &place, now)
            }
            TalkCommand::AddItem {
                id,
                title,
                source,
                request,
                colour,
                due_at,
            } => {
                let title = check_text(title, limits::TITLE_MAX)?;
                let items = get_obj(doc, &ROOT, "items", ObjType::Map)
                    .ok_or(ModelError::Malformed("items"))?;
                let order = doc.length(&items) as i64 + 1;
                tx(doc, |t| {
                    let it = t.put_object(&items, id.as_str(), ObjType::Map)?;
                    t.put(&it, "title", title.as_str())?;
                    t.put(&it, "source", source.as_str())?;
                    t.put(&it, "order", order)?;
                    if let Some(r) = request {
                        t.put(&it, "request", r.as_str())?;
                    }
                    if let Some(c) = colour {
                        t.put(&it, "colour", c.as_str())?;
                    }
                    if let Some(d) = due_at {
                        t.put(&it, "due_at", *d)?;
                    }
                    t.put_object(&it, "plus_ones", ObjType::Map)?;
                    t.put_object(&it, "positions", ObjType::List)?;
                    Ok(())
                })
            }
            TalkCommand::Publish => tx(doc, |t| {
                t.put(ROOT, "audience", RESIDENTS)?;
                t.put(ROOT, "published_at", now)?;
                Ok(())
            }),
            TalkCommand::PlusOne { item, person, on } => {
                let it = item_obj(doc, item)?;
                let map = get_obj(doc, &it, "plus_ones", ObjType::Map)
                    .ok_or(ModelError::Malformed("plus_ones"))?;
                tx(doc, |t| {
                    if *on {
                        t.put(&map, person.as_str(), now)
                    } else {
                        t.delete(&map, person.as_str())
                    }
                })
            }
            TalkCommand::Attend { side, attendance } => {
                let map = get_obj(doc, &ROOT, "attendance", ObjType::Map)
                    .ok_or(ModelError::Malformed("attendance"))?;
                tx(doc, |t| t.put(&map, side.as_str(), attendance.as_str()))
            }
            TalkCommand::Say {
                item,
                side,
                round,
                stance,
                text,
                by,
                by_name,
            } => {
                let text = check_text(text, limits::TEXT_MAX)?;
                let it = item_obj(doc, item)?;
                let list = get_obj(doc, &it, "positions", ObjType::List)
                    .ok_or(ModelError::Malformed("positions"))?;
                let at = doc.length(&list);
                tx(doc, |t| {
                    let p = t.insert_object(&list, at, ObjType::Map)?;
                    t.put(&p, "party", side.as_str())?;
                    t.put(&p, "round", (*round).max(1))?;
                    t.put(&p, "stance", stance.as_str())?;
                    t.put(&p, "text", text.as_str())?;
                    t.put(&p, "by", by.as_str())?;
                    t.put(&p, "by_name", by_name.as_str())?;
                    t.put(&p, "at", now)?;
                    Ok(())
                })
            }
            TalkCommand::Decide {
                item,
                text,
                agreed,
                total_fen,
                split,
                actions,
            } => {
                let text = check_text(text, limits::TEXT_MAX)?;
                if !split.is_empty() || *total_fen != 0 {
                    check_split(*total_fen, split).map_err(InputError::Split)?;
                }
                for a in actions {
                    check_text(&a.text, limits::TEXT_MAX)?;
                    if !valid_date(&a.due) {
                        return Err(InputError::BadDate.into());
                    }
                }
                let it = item_obj(doc, item)?;
                tx(doc, |t| {
                    let d = t.put_object(&it, "decision", ObjType::Map)?;
                    t.put(&d, "text", text.as_str())?;
                    let ag = t.put_object(&d, "agreed", ObjType::List)?;
                    for (i, s) in agreed.iter().enumerate() {
                        t.insert(&ag, i, s.as_str())?;
                    }
                    if !split.is_empty() {
                        t.put(&d, "total_fen", *total_fen)?;
                        let sl = t.put_object(&d, "split", ObjType::List)?;
                        for (i, s) in split.iter().enumerate() {
                            let m = t.insert_object(&sl, i, ObjType::Map)?;
                            t.put(&m, "payer", s.payer.as_str())?;
                            t.put(&m, "bp", s.bp)?;
                            t.put(&m, "fen", s.fen)?;
                        }
                    }
                    let am = t.put_object(&d, "actions", ObjType::Map)?;
                    for (i, a) in actions.iter().enumerate() {
                        let m = t.put_object(&am, format!("a{}", i + 1).as_str(), ObjType::Map)?;
                        t.put(&m, "text", a.text.trim())?;
                        t.put(&m, "owner", a.owner.as_str())?;
                        t.put(&m, "owner_name", a.owner_name.as_str())?;
                        t.put(&m, "due", a.due.as_str())?;
                        t.put(&m, "done", false)?;
                    }
                    t.put(&d, "decided_at", now)?;
                    Ok(())
                })
            }
            TalkCommand::ActionDone { item, action, done } => {
                let it = item_obj(doc, item)?;
                let a = get_obj(doc, &it, "decision", ObjType::Map)
                    .and_then(|d| get_obj(doc, &d, "actions", ObjType::Map))
                    .and_then(|m| get_obj(doc, &m, action, ObjType::Map))
                    .ok_or(ModelError::Malformed("actions"))?;
                tx(doc, |t| t.put(&a, "done", *done))
            }
            TalkCommand::EditMinutes { text } => {
                let n = text.chars().count();
                if n > limits::MINUTES_MAX {
                    return Err(InputError::TextTooLong {
                        len: n,
                        max: limits::MINUTES_MAX,
                    }
                    .into());
                }
                let m = get_obj(doc, &ROOT, "minutes", ObjType::Text)
                    .ok_or(ModelError::Malformed("minutes"))?;
                if get_str(doc, &ROOT, "minutes").as_deref() == Some(text.as_str()) {
                    return Ok(());
                }
                tx(doc, |t| t.update_text(&m, text))
            }
            TalkCommand::PublishMinutes => tx(doc, |t| t.put(ROOT, "minutes_published_at", now)),
        }
    }
}
