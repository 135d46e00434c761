//! Who may change a community's own case: staff only (the rules engine lets staff past
//! [`check`]). For every writer, staff included: known fields only, written in the writer's
//! own name, a title, something done, and one to five known problems.

use automerge::{ObjType, ROOT, ReadDoc};

use crate::api::RefusalCode;
use crate::cases::Tag;
use crate::docutil::{Fields, get_obj, get_strings};
use crate::domain::{Verdict, Write};

pub(super) fn check(_w: &Write<'_>) -> Verdict {
    Err((
        RefusalCode::NotAllowed,
        "staff write the community's own cases".into(),
    ))
}

/// What holds for every writer, staff included.
pub(super) fn check_everyone(w: &Write<'_>, root_fields: &[&str]) -> Verdict {
    let after = w.after;
    let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
    if let Some(extra) = after
        .keys(&ROOT)
        .find(|k| !root_fields.contains(&k.as_str()))
    {
        return bad(format!("a case has no field `{extra}`"));
    }
    let f = Fields::of(after, &ROOT);
    let by = f.str("by").unwrap_or_default();
    if w.creating && by != w.p.person {
        return Err((
            RefusalCode::BadName,
            "a case is written in the writer's own name".into(),
        ));
    }
    if f.str("title").is_none_or(|t| t.trim().is_empty()) {
        return bad("a case has a title".into());
    }
    if f.str("done").is_none_or(|t| t.trim().is_empty()) {
        return bad("a case says what was done".into());
    }
    let Some(list) = get_obj(after, &ROOT, "tags", ObjType::List) else {
        return bad("a case lists the problems it addresses".into());
    };
    let tags = get_strings(after, &ROOT, "tags");
    if tags.len() != after.length(&list) {
        return bad("`tags` holds only text".into());
    }
    if tags.is_empty() {
        return bad("a case addresses at least one problem".into());
    }
    if let Some(t) = tags.iter().find(|t| Tag::parse(t).is_none()) {
        return bad(format!("`{t}` is not a problem of the library"));
    }
    crate::domain::field_note::edit_signed_by_writer(w)?;
    Ok(())
}
