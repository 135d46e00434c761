//! Who may change what in a request (ARCHITECTURE.md, "Documents"): the household and
//! consenting volunteers write the title and description, grid workers the colour and status,
//! and everyone appends history entries of their role only, in their own name.

use std::collections::HashSet;

use automerge::{Automerge, Change, ObjId, ObjType, Prop, ReadDoc};

use super::limits;
use super::{EventKind, EventType, Request};
use crate::api::RefusalCode;
use crate::docutil::{get_obj, get_str, list_maps};
use crate::domain::{Scope, Verdict, Write};
use crate::policy::{Principal, Role};
use crate::rules::Ctx;

/// Whether one of `changes` may add a reopening (writes an entry `type` that is `reopen` or
/// not a plain string): only then do the rules need the request as it was.
pub(super) fn may_reopen(changes: &[Change]) -> bool {
    use automerge::legacy::{Key, OpType};
    changes.iter().any(|c| {
        c.decode().operations.iter().any(|op| {
            matches!(&op.key, Key::Map(k) if k == "type")
                && !matches!(&op.action, OpType::Put(automerge::ScalarValue::Str(v)) if v.as_str() != EventType::Reopen.as_str())
        })
    })
}

fn owns(p: &Principal, scope: &Scope) -> bool {
    scope.subject.as_deref() == Some(p.person.as_str())
        || (p.household.is_some() && p.household == scope.household)
        || (p.role == Role::Volunteer
            && scope
                .subject
                .as_ref()
                .is_some_and(|s| p.consents.contains(s)))
}

fn works(p: &Principal, scope: &Scope) -> bool {
    p.role == Role::GridWorker && scope.grid.as_ref().is_some_and(|g| p.grids.contains(g))
}

/// Which history entries a person may add to a request.
fn may_add_event(p: &Principal, scope: &Scope, ty: Option<EventType>) -> bool {
    match ty {
        Some(EventType::Status | EventType::Answer | EventType::Recolour) => works(p, scope),
        Some(EventType::Detail) => owns(p, scope) || works(p, scope),
        Some(EventType::Reopen | EventType::Rate) => owns(p, scope),
        None => false,
    }
}

/// Which changes a person other than staff may make to a request.
pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        ctx,
        creating,
        old,
        new,
        after,
        touches,
        ..
    } = *w;
    if creating {
        check_new_request(p, ctx, new, after)?;
    } else {
        if old != new {
            return Err((
                RefusalCode::ScopeChange,
                "only staff move a request to another grid, household or person".into(),
            ));
        }
        for t in touches {
            let allowed = match (t.top(), t.path.len()) {
                (Some("title" | "description"), 0) => owns(p, new),
                (Some("description"), _) => owns(p, new),
                (Some("category"), 0) => owns(p, new) || works(p, new),
                (Some("colour"), 0) => works(p, new),
                // Appending a history entry: a new map inserted into the list.
                (Some("events"), 1) => t.insert && t.creates.is_some() && !t.delete,
                // Filling in the entry created in this same batch (checked below).
                (Some("events"), _) => t.in_new_object,
                // Adding a photo to the request: its owners.
                (Some("photos"), 1) => owns(p, new) && t.insert && !t.delete,
                _ => false,
            };
            if !allowed {
                let field = t.top().unwrap_or("?");
                return Err((
                    RefusalCode::FieldNotAllowed,
                    format!(
                        "a {} may not change `{field}` of this request",
                        p.role.as_str()
                    ),
                ));
            }
        }
    }
    let photo_count =
        |obj: &ObjId| get_obj(after, obj, "photos", ObjType::List).map_or(0, |l| after.length(&l));
    if photo_count(&automerge::ROOT) > limits::PHOTOS_MAX {
        return Err((
            RefusalCode::TooManyPhotos,
            format!("at most {} photos", limits::PHOTOS_MAX),
        ));
    }
    // Every history entry added in this batch: in the writer's own name, of a kind their role
    // may add, and well formed (a rating of 1–5, a reason given, a reopening in time).
    let new_events: HashSet<&str> = touches
        .iter()
        .filter(|t| {
            matches!(t.path.first(), Some(Prop::Map(k)) if k == "events") && t.path.len() == 1
        })
        .filter_map(|t| t.creates.as_deref())
        .collect();
    let read_after = Request::read(after).ok();
    let read_before = w.prior.and_then(|p| p.get::<Request>());
    let Some(list) = get_obj(after, &automerge::ROOT, "events", ObjType::List) else {
        return Ok(());
    };
    for ev in list_maps(after, &list) {
        let id = ev.to_string();
        if !creating && !new_events.contains(id.as_str()) {
            continue;
        }
        let by = get_str(after, &ev, "by").unwrap_or_default();
        let ty = get_str(after, &ev, "type").unwrap_or_default();
        if by != p.person {
            return Err((
                RefusalCode::BadEvent,
                format!("an entry must be in the writer's name, not `{by}`"),
            ));
        }
        let known = EventType::parse(&ty);
        let fields = known.map_or(&[][..], EventType::fields);
        if let Some(extra) = after.keys(&ev).find(|k| {
            !matches!(k.as_str(), "type" | "at" | "by" | "by_name" | "photos")
                && !fields.contains(&k.as_str())
        }) {
            return Err((
                RefusalCode::BadEvent,
                format!("a `{ty}` entry has no field `{extra}`"),
            ));
        }
        if !may_add_event(p, new, known) {
            return Err((
                RefusalCode::BadEvent,
                format!("a {} may not add `{ty}` to this request", p.role.as_str()),
            ));
        }
        if photo_count(&ev) > limits::PHOTOS_MAX {
            return Err((
                RefusalCode::TooManyPhotos,
                format!("at most {} photos", limits::PHOTOS_MAX),
            ));
        }
        let event = read_after
            .as_ref()
            .and_then(|r| r.events.iter().find(|e| e.id == id))
            .ok_or_else(|| {
                (
                    RefusalCode::BadEvent,
                    format!("the `{ty}` entry is malformed"),
                )
            })?;
        event
            .kind
            .clone()
            .validated()
            .map_err(|e| (RefusalCode::BadEvent, e.to_string()))?;
        // Nothing answers a request before it was filed.
        if let Some(r) = &read_after
            && event.at
                < r.filed_at
                    .saturating_sub(crate::domain::limits::CLOCK_TOLERANCE)
        {
            return Err((
                RefusalCode::BadTime,
                format!("a `{ty}` entry dated before the request was filed"),
            ));
        }
        if matches!(event.kind, EventKind::Reopen { .. })
            && !read_before.is_some_and(|r| r.may_reopen(event.at))
        {
            return Err((
                RefusalCode::BadEvent,
                format!(
                    "only a request resolved in the last {} days can be reopened",
                    limits::REOPEN_DAYS
                ),
            ));
        }
    }
    Ok(())
}

fn check_new_request(p: &Principal, ctx: &Ctx<'_>, new: &Scope, after: &Automerge) -> Verdict {
    let filed_by = get_str(after, &automerge::ROOT, "filed_by").unwrap_or_default();
    if filed_by != p.person {
        return Err((
            RefusalCode::BadFiling,
            "a request is filed in the filer's own name".into(),
        ));
    }
    let subject = new.subject.clone().unwrap_or_default();
    let household = new.household.clone().unwrap_or_default();
    let ok = match p.role {
        Role::Staff => true,
        Role::Resident => subject == p.person && p.household.as_deref() == Some(household.as_str()),
        Role::Volunteer => {
            (subject == p.person && p.household.as_deref() == Some(household.as_str()))
                || (p.consents.contains(&subject)
                    && (ctx.household_of)(&subject).as_deref() == Some(household.as_str()))
        }
        Role::GridWorker => {
            works(p, new)
                && (subject == p.person
                    || (ctx.household_of)(&subject).as_deref() == Some(household.as_str()))
        }
    };
    if ok {
        Ok(())
    } else {
        Err((
            RefusalCode::BadFiling,
            format!(
                "a {} may not file a request for `{subject}`",
                p.role.as_str()
            ),
        ))
    }
}

/// Whether a change to a request can change what its board entry says (title, category,
/// colour, status): reading the whole request is skipped for the rest (added details, photos).
pub(super) fn may_change_board_entry(change: &Change) -> bool {
    use automerge::legacy::{Key, ObjectId, OpType};
    change.decode().operations.iter().any(|op| {
        let key = match &op.key {
            Key::Map(k) => Some(k.as_str()),
            Key::Seq(_) => None,
        };
        match (&op.obj, &op.action, key) {
            (_, OpType::Delete, _) => true,
            (ObjectId::Root, _, Some("events" | "photos" | "description")) => false,
            (ObjectId::Root, _, _) => true,
            (_, OpType::Put(automerge::ScalarValue::Str(v)), Some("type")) => {
                v.as_str() != EventType::Detail.as_str()
            }
            (_, OpType::Put(_) | OpType::Make(_), Some("type")) => true,
            _ => false,
        }
    })
}
