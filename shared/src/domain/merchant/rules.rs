//! Who may change a merchant's record: staff create it and write its shop fields; the grid's
//! team and grid workers append inspections in their own name; the merchant (the record's
//! `subject`) writes only a response to an entry, once. Nobody but staff rewrites or deletes
//! an entry. For every writer: each entry is well formed (its own fields only, points nonzero
//! within ±20, a reason without personal numbers: the merchant and the team read it).

use std::collections::{BTreeSet, HashSet};

use automerge::{Automerge, ObjId, ObjType, Prop, ROOT, ReadDoc};

use super::points_ok;
use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, list_maps};
use crate::domain::{Verdict, Write};

/// The entries (ids) that already hold a response.
pub(super) fn answered(doc: &Automerge) -> BTreeSet<String> {
    get_obj(doc, &ROOT, "entries", ObjType::List)
        .map(|l| {
            list_maps(doc, &l)
                .into_iter()
                .filter(|e| doc.get(e, "response").ok().flatten().is_some())
                .map(|e| e.to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The entry (a map in `entries`) an operation lands in, if any.
fn entry_of(after: &Automerge, path: &[Prop]) -> Option<ObjId> {
    crate::docutil::list_entry(after, path, "entries")
}

fn is_entries(p: &Prop) -> bool {
    matches!(p, Prop::Map(k) if k == "entries")
}

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
    if creating {
        return Err((
            RefusalCode::NotAllowed,
            "staff open a merchant's record".into(),
        ));
    }
    let grid = new.grid.as_deref();
    let inspector = p.works_grid(grid) || p.on_team(grid);
    let merchant = new.subject.as_deref() == Some(p.person.as_str());
    if !inspector && !merchant {
        return Err((
            RefusalCode::NotAllowed,
            "only the grid's team and grid workers inspect a merchant, and only the merchant answers".into(),
        ));
    }
    let answered = prior
        .and_then(|pr| pr.get::<BTreeSet<String>>())
        .cloned()
        .unwrap_or_default();
    // Entries appended by these changes.
    let new_entries: HashSet<ObjId> = touches
        .iter()
        .filter(|t| matches!(t.path.as_slice(), [e, Prop::Seq(_)] if is_entries(e)))
        .filter(|t| t.in_new_object)
        .map(|t| t.obj.clone())
        .collect();
    for t in touches {
        let ok = match t.path.as_slice() {
            // The shop's own fields: staff only.
            [] => false,
            // A new entry appended (never a deletion or an overwrite).
            [e] if is_entries(e) => inspector && t.insert && t.creates.is_some() && !t.delete,
            [e, Prop::Seq(_), rest @ ..] if is_entries(e) => match entry_of(after, &t.path) {
                // Inside a new entry: the inspector's own, in their own name.
                Some(id) if new_entries.contains(&id) => {
                    inspector
                        && !t.delete
                        && get_str(after, &id, "by").is_some_and(|by| by == p.person)
                }
                // An entry already there: only the merchant's response, once.
                Some(id) => {
                    merchant
                        && !t.delete
                        && match rest {
                            [] => {
                                t.key.as_deref() == Some("response")
                                    && t.creates.is_some()
                                    && !answered.contains(&id.to_string())
                            }
                            [Prop::Map(r)] => r == "response" && t.in_new_object,
                            _ => false,
                        }
                }
                None => false,
            },
            _ => false,
        };
        if !ok {
            return Err((
                RefusalCode::FieldNotAllowed,
                "an inspection is appended by the grid's team in their own name, never changed; the merchant only answers it once".into(),
            ));
        }
    }
    Ok(())
}

/// Every entry the changes touched is well formed, for every writer.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let mut entries: Vec<ObjId> = w
        .touches
        .iter()
        .filter_map(|t| entry_of(after, &t.path))
        .collect();
    // Entries created by an insert into the list itself.
    if w.touches
        .iter()
        .any(|t| matches!(t.path.as_slice(), [e] if is_entries(e)) || w.creating)
        && let Some(list) = get_obj(after, &ROOT, "entries", ObjType::List)
    {
        entries.extend(list_maps(after, &list));
    }
    entries.sort();
    entries.dedup();
    for e in entries {
        check_entry(after, &e)?;
    }
    Ok(())
}

fn check_entry(after: &Automerge, e: &ObjId) -> Verdict {
    let bad = |why: String| Err((RefusalCode::BadEvent, why));
    if let Some(extra) = after.keys(e).find(|k| {
        !matches!(
            k.as_str(),
            "at" | "by" | "by_name" | "points" | "reason" | "photos" | "response"
        )
    }) {
        return bad(format!("an inspection has no field `{extra}`"));
    }
    if get_i64(after, e, "at").is_none() || get_str(after, e, "by").is_none_or(|b| b.is_empty()) {
        return bad("an inspection says who and when".into());
    }
    if !get_i64(after, e, "points").is_some_and(points_ok) {
        return bad("an inspection's points are nonzero, at most ±20".into());
    }
    let reason = get_str(after, e, "reason").unwrap_or_default();
    if reason.trim().is_empty() {
        return bad("an inspection gives its reason".into());
    }
    if let Some(found) = crate::pii::find(&reason).first() {
        return Err((
            RefusalCode::PersonalData,
            format!(
                "an inspection's reason holds a {} (the merchant and the team read it)",
                found.kind.as_str()
            ),
        ));
    }
    if after.get(e, "response").ok().flatten().is_some() {
        let Some(r) = get_obj(after, e, "response", ObjType::Map) else {
            return bad("a response is a text and a time".into());
        };
        if let Some(extra) = after
            .keys(&r)
            .find(|k| !matches!(k.as_str(), "text" | "at"))
        {
            return bad(format!("a response has no field `{extra}`"));
        }
        if get_str(after, &r, "text").is_none_or(|t| t.trim().is_empty())
            || get_i64(after, &r, "at").is_none()
        {
            return bad("a response is a text and a time".into());
        }
    }
    Ok(())
}
