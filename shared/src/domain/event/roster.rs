//! An event's roster 报名顺序: the order in which the relay accepted its sign-ups, and when. A
//! derived document written only by the relay (the event kind's projection, like a grid's
//! board): one per event, found by the event's id in its `subject`. The seats and the waitlist
//! are read from it by the rule in [`super::Event::standing`], so every phone, whatever its
//! clock, shows the same list once it holds the same documents.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use super::Event;
use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, list_maps};
use crate::domain::scope::expect_kind;
use crate::domain::{DocKind, DocType, ModelError, SCHEMA, Scope, Verdict, Write, doc_kind};
use crate::policy::Principal;
use crate::time::Millis;

/// One sign-up as the relay accepted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The sign-up's id in the event document.
    pub id: String,
    /// Its pool: a volunteer role, or empty for a participant.
    #[serde(default)]
    pub role: String,
    /// The relay's time when it accepted it.
    pub at: Millis,
}

/// A roster as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    /// The event's document id.
    pub event: String,
    /// In the relay's acceptance order.
    pub order: Vec<RosterEntry>,
}

impl Roster {
    pub fn read(doc: &Automerge) -> Result<Self, ModelError> {
        expect_kind(doc, DocKind::Roster)?;
        let order = get_obj(doc, &ROOT, "order", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter_map(|e| {
                        Some(RosterEntry {
                            id: get_str(doc, &e, "id")?,
                            role: get_str(doc, &e, "role").unwrap_or_default(),
                            at: get_i64(doc, &e, "at").unwrap_or(0),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Roster {
            event: get_str(doc, &ROOT, "subject").unwrap_or_default(),
            order,
        })
    }
}

/// Creates the empty roster of `event`.
pub fn create(doc: &mut Automerge, event: &str) -> Result<(), ModelError> {
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("roster"));
    }
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Roster.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "subject", event)?;
        tx.put_object(ROOT, "order", ObjType::List)?;
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Appends the event's sign-ups the roster does not list yet, at `now` (the relay's clock).
/// Several new at once (a batch from one phone) go in the order they were made, then by id.
pub fn append(doc: &mut Automerge, event: &Event, now: Millis) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Roster)?;
    let list = get_obj(doc, &ROOT, "order", ObjType::List).ok_or(ModelError::Malformed("order"))?;
    let listed: std::collections::HashSet<String> = list_maps(doc, &list)
        .into_iter()
        .filter_map(|e| get_str(doc, &e, "id"))
        .collect();
    let mut new: Vec<&super::SignUp> = event
        .signups
        .iter()
        .filter(|s| !listed.contains(&s.id))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    new.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let start = doc.length(&list);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        for (i, s) in new.iter().enumerate() {
            let e = tx.insert_object(&list, start + i, ObjType::Map)?;
            tx.put(&e, "id", s.id.as_str())?;
            if !s.role.is_empty() {
                tx.put(&e, "role", s.role.as_str())?;
            }
            tx.put(&e, "at", now)?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}

/// Nothing a person does to a roster: only the relay writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RosterCommand {}

/// The roster kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "roster";
    type Summary = Roster;
    type Command = RosterCommand;

    fn apply(
        _doc: &mut Automerge,
        command: &RosterCommand,
        _now: Millis,
    ) -> Result<(), ModelError> {
        match *command {}
    }

    fn summarise(doc: &Automerge) -> Option<Roster> {
        Roster::read(doc).ok()
    }

    /// Everyone who may read the event: its sign-up order, by sign-up ids only.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        scope
            .subject
            .is_none()
            .then_some("a roster names its event")
    }

    fn check(_w: &Write<'_>) -> Verdict {
        Err((RefusalCode::NotAllowed, "a roster is the relay's".into()))
    }

    /// Nobody, staff included: the order is the relay's acceptance order.
    fn check_everyone(_w: &Write<'_>) -> Verdict {
        Err((RefusalCode::NotAllowed, "a roster is the relay's".into()))
    }

    /// A roster serves one event.
    fn projection_group(scope: &Scope) -> Option<String> {
        scope.subject.clone()
    }
}
