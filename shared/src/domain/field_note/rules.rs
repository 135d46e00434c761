//! Who may change a field note: grid workers and volunteers write their own notes (in their
//! own name) and edit only those; staff write and edit any (the rules engine lets staff past
//! [`check`]). For every writer, staff included: known fields only, the author is the scope's
//! subject and never changes, a title and a date, tags and photos as lists of strings, an
//! edit signed by its editor.

use automerge::{ObjType, Prop, ROOT, ReadDoc};

use crate::api::RefusalCode;
use crate::docutil::{Fields, get_obj, get_strings};
use crate::domain::{Verdict, Write};
use crate::policy::Role;

/// The fields an author changes when she edits her note.
const EDITABLE: &[&str] = &[
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

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let p = w.p;
    if !matches!(p.role, Role::GridWorker | Role::Volunteer) {
        return Err((
            RefusalCode::NotAllowed,
            "staff, grid workers and volunteers write field notes".into(),
        ));
    }
    let by = Fields::of(w.after, &ROOT).str("by");
    if by.as_deref() != Some(p.person.as_str()) {
        return Err((
            RefusalCode::NotAllowed,
            "a grid worker or volunteer writes and edits only her own notes".into(),
        ));
    }
    if w.creating {
        return Ok(());
    }
    for t in w.touches {
        let ok = match t.path.as_slice() {
            [] => t.key.as_deref().is_some_and(|k| EDITABLE.contains(&k)),
            // Inside the tags or photos list it rewrites.
            [Prop::Map(k), ..] => matches!(k.as_str(), "tags" | "photos"),
            _ => false,
        };
        if !ok {
            return Err((
                RefusalCode::FieldNotAllowed,
                "an edit changes what the note says, never who wrote it or when".into(),
            ));
        }
    }
    Ok(())
}

/// What holds for every writer, staff included.
pub(super) fn check_everyone(w: &Write<'_>, root_fields: &[&str]) -> Verdict {
    let after = w.after;
    let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
    if let Some(extra) = after
        .keys(&ROOT)
        .find(|k| !root_fields.contains(&k.as_str()))
    {
        return bad(format!("a field note has no field `{extra}`"));
    }
    let f = Fields::of(after, &ROOT);
    let by = f.str("by").unwrap_or_default();
    if by.is_empty() || w.new.subject.as_deref() != Some(by.as_str()) {
        return Err((
            RefusalCode::BadName,
            "a field note's subject is its author".into(),
        ));
    }
    if w.creating && by != w.p.person {
        return Err((
            RefusalCode::BadName,
            "a field note is written in the writer's own name".into(),
        ));
    }
    if !w.creating && w.old.subject != w.new.subject {
        return bad("a field note's author never changes".into());
    }
    if f.str("title").is_none_or(|t| t.trim().is_empty()) {
        return bad("a field note has a title".into());
    }
    if f.i64("observed_at").is_none() {
        return bad("a field note says when it was observed".into());
    }
    for list in ["tags", "photos"] {
        if after.get(&ROOT, list).ok().flatten().is_none() {
            continue;
        }
        let Some(l) = get_obj(after, &ROOT, list, ObjType::List) else {
            return bad(format!("`{list}` is a list"));
        };
        if get_strings(after, &ROOT, list).len() != after.length(&l) {
            return bad(format!("`{list}` holds only text"));
        }
    }
    edit_signed_by_writer(w)?;
    Ok(())
}

/// An edit signs `edited_by` with its writer's own id (every writer, staff included).
pub(crate) fn edit_signed_by_writer(w: &Write<'_>) -> Verdict {
    let signed = w
        .touches
        .iter()
        .any(|t| t.path.is_empty() && t.key.as_deref() == Some("edited_by") && !t.delete);
    if signed && Fields::of(w.after, &ROOT).str("edited_by").as_deref() != Some(w.p.person.as_str())
    {
        return Err((
            RefusalCode::BadName,
            "an edit is signed by its editor".into(),
        ));
    }
    Ok(())
}
