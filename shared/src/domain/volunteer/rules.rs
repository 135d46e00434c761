//! Who may change a volunteer's record: the volunteer (the record's `subject`) creates it,
//! writes its profile, appends entries in their own name and rewrites their own entries while
//! unconfirmed; only staff confirm (and staff write anything else). Nobody but staff deletes
//! or changes a confirmed entry. For every writer: each entry is well formed (its own fields
//! only, a known kind, 1 to 600 minutes, a note without personal numbers), and nobody confirms
//! their own hours.

use std::collections::BTreeSet;

use automerge::{Automerge, ObjId, ObjType, Prop, ROOT, ReadDoc};

use super::{EntryKind, minutes_ok};
use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, list_maps};
use crate::domain::{Verdict, Write};

/// The entries (ids) already confirmed.
pub(super) fn confirmed(doc: &Automerge) -> BTreeSet<String> {
    get_obj(doc, &ROOT, "entries", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .filter(|e| doc.get(e, "confirmed_at").ok().flatten().is_some())
                .map(|e| e.to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn entry_of(after: &Automerge, path: &[Prop]) -> Option<ObjId> {
    crate::docutil::list_entry(after, path, "entries")
}

fn is_entries(p: &Prop) -> bool {
    matches!(p, Prop::Map(k) if k == "entries")
}

const PROFILE: [&str; 5] = [
    "name",
    "age_group",
    "organisation",
    "availability",
    "skills",
];
const CONFIRM: [&str; 3] = ["confirmed_by", "confirmed_by_name", "confirmed_at"];

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        new,
        prior,
        after,
        touches,
        ..
    } = *w;
    if new.subject.as_deref() != Some(p.person.as_str()) {
        return Err((
            RefusalCode::NotAllowed,
            "only the volunteer and staff write a volunteer's record".into(),
        ));
    }
    let confirmed = prior
        .and_then(|pr| pr.get::<BTreeSet<String>>())
        .cloned()
        .unwrap_or_default();
    for t in touches {
        let ok = match t.path.as_slice() {
            // The root on creation; afterwards the profile's fields only.
            [] => creating || (!t.delete && t.key.as_deref().is_some_and(|k| PROFILE.contains(&k))),
            // The skills list, rewritten.
            [Prop::Map(k), ..] if k == "skills" => !t.delete || t.in_new_object || creating,
            // A new entry appended (never a deletion).
            [e] if is_entries(e) => t.insert && t.creates.is_some() && !t.delete,
            [e, Prop::Seq(_), ..] if is_entries(e) => match entry_of(after, &t.path) {
                Some(id) => {
                    !t.delete
                        && !confirmed.contains(&id.to_string())
                        && !t.key.as_deref().is_some_and(|k| CONFIRM.contains(&k))
                        && get_str(after, &id, "by").is_some_and(|by| by == p.person)
                }
                None => false,
            },
            _ => false,
        };
        if !ok {
            return Err((
                RefusalCode::FieldNotAllowed,
                "a volunteer writes their profile and their own entries until staff confirm them; only staff confirm".into(),
            ));
        }
    }
    Ok(())
}

/// Every entry the changes touched is well formed, and nobody confirms their own hours.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let mut entries: Vec<ObjId> = w
        .touches
        .iter()
        .filter_map(|t| entry_of(after, &t.path))
        .collect();
    if (w.creating
        || w.touches
            .iter()
            .any(|t| matches!(t.path.as_slice(), [e] if is_entries(e))))
        && let Some(list) = get_obj(after, &ROOT, "entries", ObjType::List)
    {
        entries.extend(list_maps(after, &list));
    }
    entries.sort();
    entries.dedup();
    let subject = w.new.subject.as_deref().unwrap_or_default();
    for e in entries {
        check_entry(after, &e, subject)?;
    }
    Ok(())
}

fn check_entry(after: &Automerge, e: &ObjId, subject: &str) -> Verdict {
    let bad = |why: String| Err((RefusalCode::BadEvent, why));
    if let Some(extra) = after.keys(e).find(|k| {
        !matches!(
            k.as_str(),
            "kind"
                | "at"
                | "minutes"
                | "elder"
                | "request"
                | "note"
                | "by"
                | "confirmed_by"
                | "confirmed_by_name"
                | "confirmed_at"
        )
    }) {
        return bad(format!("a service entry has no field `{extra}`"));
    }
    if get_str(after, e, "kind")
        .and_then(|k| EntryKind::parse(&k))
        .is_none()
    {
        return bad("a service entry is a proxy filing, a visit or other help".into());
    }
    if get_i64(after, e, "at").is_none() || get_str(after, e, "by").is_none_or(|b| b.is_empty()) {
        return bad("a service entry says who and when".into());
    }
    if !get_i64(after, e, "minutes").is_some_and(minutes_ok) {
        return bad("a service entry is 1 to 600 minutes".into());
    }
    let note = get_str(after, e, "note").unwrap_or_default();
    if let Some(found) = crate::pii::find(&note).first() {
        return Err((
            RefusalCode::PersonalData,
            format!(
                "a service entry's note holds a {} (its certificate is shown to a school)",
                found.kind.as_str()
            ),
        ));
    }
    let by = get_str(after, e, "by").unwrap_or_default();
    if let Some(confirmer) = get_str(after, e, "confirmed_by") {
        if confirmer == subject || confirmer == by {
            return Err((
                RefusalCode::NotAllowed,
                "nobody confirms their own hours".into(),
            ));
        }
        if get_i64(after, e, "confirmed_at").is_none() {
            return bad("a confirmation says when".into());
        }
    }
    Ok(())
}
