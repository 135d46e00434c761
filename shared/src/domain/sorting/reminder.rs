//! A reminder to a household 分类提醒: what a grid worker tells a household's phones after an
//! inspection found its waste mixed, in plain words (elder mode reads it aloud), with the
//! volunteer asked to visit and help, if any. One document per reminder, scoped to the
//! household (`household`), its grid (`grid`) and the volunteer (`subject`), so exactly those
//! phones hold it.
//!
//! Who writes what: the grid's team or a grid worker sends it (in their own name, to a
//! household of their own grid, with the volunteer's name as the relay has it); the household
//! marks it read; the volunteer records the visit; the team or a grid worker closes it when a
//! follow-up inspection finds the bins sorted. Nothing else changes after it is sent.

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use serde::{Deserialize, Serialize};

use crate::api::RefusalCode;
use crate::docutil::Fields;
use crate::domain::scope::expect_kind;
use crate::domain::{
    DocKind, DocType, InputError, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind,
};
use crate::policy::Principal;
use crate::time::Millis;

/// The reminder's words.
pub const REMINDER_TEXT_MAX: usize = 300;
/// What the volunteer noted of the visit.
pub const VISIT_NOTE_MAX: usize = 300;

/// The only topic so far.
const TOPIC: &str = "sorting";

/// A reminder, as the household's, the volunteer's and the grid's phones keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub grid: String,
    pub household: String,
    pub text: String,
    pub building: String,
    pub point: String,
    pub flat: String,
    pub at: Millis,
    pub by: String,
    pub by_name: String,
    /// The volunteer asked to visit (a person id), empty when none.
    pub volunteer: String,
    pub volunteer_name: String,
    pub read_at: Option<Millis>,
    pub visited_at: Option<Millis>,
    pub visit_note: String,
    pub closed_at: Option<Millis>,
    pub closed_by_name: String,
}

impl Reminder {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Reminder)?;
        let f = Fields::of(doc, &ROOT);
        let s = |k: &str| f.str(k).unwrap_or_default();
        Ok(Reminder {
            grid: f.str("grid").ok_or(ModelError::Malformed("grid"))?,
            household: f
                .str("household")
                .ok_or(ModelError::Malformed("household"))?,
            text: s("text"),
            building: s("building"),
            point: s("point"),
            flat: s("flat"),
            at: f.i64("at").ok_or(ModelError::Malformed("at"))?,
            by: s("by"),
            by_name: s("by_name"),
            volunteer: s("subject"),
            volunteer_name: s("volunteer_name"),
            read_at: f.i64("read_at"),
            visited_at: f.i64("visited_at"),
            visit_note: s("visit_note"),
            closed_at: f.i64("closed_at"),
            closed_by_name: s("closed_by_name"),
        })
    }

    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// A volunteer visit asked for and not yet made.
    pub fn visit_due(&self) -> bool {
        !self.volunteer.is_empty() && self.visited_at.is_none() && self.is_open()
    }
}

/// A reminder as the grid worker sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReminder {
    pub grid: String,
    pub household: String,
    pub building: String,
    pub point: String,
    pub flat: String,
    pub text: String,
    pub by: String,
    pub by_name: String,
    /// The volunteer asked to visit: person id and name.
    pub volunteer: Option<(String, String)>,
}

/// What the grid, the household and the volunteer do to a reminder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ReminderCommand {
    /// Sends a reminder (into an empty document).
    Send(Box<NewReminder>),
    /// The household has read it.
    Read,
    /// The volunteer visited and helped.
    Visited { note: String },
    /// A follow-up found the bins sorted.
    Close { by_name: String },
}

impl ReminderCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            ReminderCommand::Send(new) => {
                let NewReminder {
                    grid,
                    household,
                    building,
                    point,
                    flat,
                    text,
                    by,
                    by_name,
                    volunteer,
                } = &**new;
                if doc_kind(doc).is_some() {
                    return Err(ModelError::NotEmpty("reminder"));
                }
                let text = crate::domain::errors::check_text(text, REMINDER_TEXT_MAX)?;
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "kind", DocKind::Reminder.as_str())?;
                    tx.put(ROOT, "schema", SCHEMA)?;
                    tx.put(ROOT, "grid", grid.as_str())?;
                    tx.put(ROOT, "household", household.as_str())?;
                    tx.put(ROOT, "topic", TOPIC)?;
                    tx.put(ROOT, "text", text.as_str())?;
                    tx.put(ROOT, "building", building.trim())?;
                    tx.put(ROOT, "point", point.trim())?;
                    tx.put(ROOT, "flat", flat.trim())?;
                    tx.put(ROOT, "at", now)?;
                    tx.put(ROOT, "by", by.as_str())?;
                    tx.put(ROOT, "by_name", by_name.as_str())?;
                    if let Some((id, name)) = volunteer {
                        tx.put(ROOT, "subject", id.as_str())?;
                        tx.put(ROOT, "volunteer_name", name.as_str())?;
                    }
                    Ok(())
                })
                .map_err(|f| f.error)?;
                Ok(())
            }
            ReminderCommand::Read => put(doc, &[("read_at", now.into())]),
            ReminderCommand::Visited { note } => {
                let note = note.trim();
                let n = note.chars().count();
                if n > VISIT_NOTE_MAX {
                    return Err(InputError::TextTooLong {
                        len: n,
                        max: VISIT_NOTE_MAX,
                    }
                    .into());
                }
                put(
                    doc,
                    &[("visited_at", now.into()), ("visit_note", note.into())],
                )
            }
            ReminderCommand::Close { by_name } => put(
                doc,
                &[
                    ("closed_at", now.into()),
                    ("closed_by_name", by_name.as_str().into()),
                ],
            ),
        }
    }
}

fn put(doc: &mut Automerge, fields: &[(&str, automerge::ScalarValue)]) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Reminder)?;
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        for (k, v) in fields {
            tx.put(ROOT, *k, v.clone())?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// The reminder kind in the registry.
pub struct ReminderKind;

impl DocType for ReminderKind {
    const NAME: &'static str = "reminder";
    type Summary = Reminder;
    type Command = ReminderCommand;

    fn apply(
        doc: &mut Automerge,
        command: &ReminderCommand,
        now: Millis,
    ) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<Reminder> {
        Reminder::read(doc).ok()
    }

    /// The household, the volunteer asked to visit, the grid's team and workers, staff.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        let grid = scope.grid.as_deref();
        p.is_staff()
            || p.in_household(scope.household.as_deref())
            || scope.subject.as_deref() == Some(p.person.as_str())
            || p.works_grid(grid)
            || p.on_team(grid)
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        if scope.grid.is_none() {
            Some("a reminder names its grid")
        } else if scope.household.is_none() {
            Some("a reminder names its household")
        } else {
            None
        }
    }

    fn check(w: &Write<'_>) -> Verdict {
        let p = w.p;
        let grid = w.new.grid.as_deref();
        let team = p.works_grid(grid) || p.on_team(grid);
        if w.creating {
            if !team {
                return Err((
                    RefusalCode::NotAllowed,
                    "only the grid's team and grid workers send its households reminders".into(),
                ));
            }
            let by = Fields::of(w.after, &ROOT).str("by");
            if by.as_deref() != Some(p.person.as_str()) {
                return Err((
                    RefusalCode::BadName,
                    "a reminder is sent in the sender's own name".into(),
                ));
            }
            return Ok(());
        }
        let household = p.in_household(w.new.household.as_deref());
        let volunteer = w.new.subject.as_deref() == Some(p.person.as_str());
        for t in w.touches {
            let key = t.key.as_deref().unwrap_or("");
            let ok = t.path.is_empty()
                && !t.delete
                && match key {
                    "read_at" => household,
                    "visited_at" | "visit_note" => volunteer,
                    "closed_at" | "closed_by_name" => team,
                    _ => false,
                };
            if !ok {
                return Err((
                    RefusalCode::FieldNotAllowed,
                    format!("`{key}` of a sent reminder is not this person's to change"),
                ));
            }
        }
        Ok(())
    }

    /// For everyone, staff included: a known topic, no fields beyond its own, a household of
    /// the reminder's grid, and the volunteer's name as the relay has it.
    fn check_everyone(w: &Write<'_>) -> Verdict {
        const KNOWN: &[&str] = &[
            "kind",
            "schema",
            "grid",
            "household",
            "subject",
            "topic",
            "text",
            "building",
            "point",
            "flat",
            "at",
            "by",
            "by_name",
            "volunteer_name",
            "read_at",
            "visited_at",
            "visit_note",
            "closed_at",
            "closed_by_name",
        ];
        use automerge::ReadDoc;
        if let Some(extra) = w.after.keys(&ROOT).find(|k| !KNOWN.contains(&k.as_str())) {
            return Err((
                RefusalCode::FieldNotAllowed,
                format!("a reminder has no field `{extra}`"),
            ));
        }
        let f = Fields::of(w.after, &ROOT);
        if f.str("topic").as_deref() != Some(TOPIC) {
            return Err((
                RefusalCode::FieldNotAllowed,
                "a reminder's topic is sorting".into(),
            ));
        }
        let scope_touched =
            w.creating || w.old.household != w.new.household || w.old.grid != w.new.grid;
        if scope_touched
            && let (Some(h), Some(g)) = (w.new.household.as_deref(), w.new.grid.as_deref())
            && let Some(lives) = (w.ctx.household_grid)(h)
            && lives != g
        {
            return Err((
                RefusalCode::NotAllowed,
                format!("household {h} lives in grid {lives}, not {g}"),
            ));
        }
        let volunteer_touched = w.creating
            || w.old.subject != w.new.subject
            || w.touches
                .iter()
                .any(|t| t.key.as_deref() == Some("volunteer_name"));
        if volunteer_touched
            && let Some(v) = w.new.subject.as_deref()
            && let Some(name) = (w.ctx.name_of)(v)
            && f.str("volunteer_name").unwrap_or_default() != name
        {
            return Err((
                RefusalCode::BadName,
                "the volunteer's name is theirs as the relay has it".into(),
            ));
        }
        Ok(())
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match field {
            "text" => REMINDER_TEXT_MAX,
            "visit_note" => VISIT_NOTE_MAX,
            "point" => super::POINT_MAX,
            "building" => crate::domain::grid::BUILDING_MAX,
            "flat" => crate::domain::people::FLAT_MAX,
            "by_name" | "volunteer_name" | "closed_by_name" => NAME_MAX,
            "topic" => ID_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["at", "read_at", "visited_at", "closed_at"];
    const NAME_FIELDS: &'static [&'static str] = &["by_name", "closed_by_name"];

    const OUTLIVES_PEOPLE: bool = true;

    /// An erased sender's or volunteer's name leaves the reminder; the household's copy stays.
    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let f = Fields::of(doc, &ROOT);
        let sender = f.str("by").as_deref() == Some(person);
        let volunteer = f.str("subject").as_deref() == Some(person);
        if !sender && !volunteer {
            return None;
        }
        Some(
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                if sender {
                    tx.put(ROOT, "by", "erased")?;
                    tx.put(ROOT, "by_name", "")?;
                }
                if volunteer {
                    tx.delete(ROOT, "subject")?;
                    tx.put(ROOT, "volunteer_name", "")?;
                }
                Ok(())
            })
            .map(|_| Vec::new())
            .map_err(|f| f.error.into()),
        )
    }
}
