//! Who may change a sorting log: the grid's team and grid workers open logs and append
//! inspections in their own name and change only their own; a grid worker may also record the
//! reminder any inspection of their grid sent; nobody but staff deletes or rewrites an
//! inspection. For every writer: each inspection is well formed (known fields, a known result).

use automerge::{ObjId, ObjType, Prop, ReadDoc};

use super::SortResult;
use crate::api::RefusalCode;
use crate::docutil::{get_obj, get_str, list_maps};
use crate::domain::{Verdict, Write};

const FIELDS: &[&str] = &[
    "by", "by_name", "at", "building", "point", "result", "flat", "note", "photos", "reminder",
    "follows",
];

/// The inspection (a map in `inspections`) an operation lands in, if any.
fn inspection_of(after: &automerge::Automerge, path: &[Prop]) -> Option<ObjId> {
    crate::docutil::list_entry(after, path, "inspections")
}

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        new,
        after,
        touches,
        ..
    } = *w;
    let grid = new.grid.as_deref();
    let worker = p.works_grid(grid);
    if !(worker || p.on_team(grid)) {
        return Err((
            RefusalCode::NotAllowed,
            "only the grid's team and grid workers keep its sorting inspections".into(),
        ));
    }
    for t in touches {
        let ok = match t.path.as_slice() {
            // The log's own fields: only when it is opened.
            [] => creating,
            // A new inspection appended (never a deletion or an overwrite).
            [Prop::Map(k)] if k == "inspections" => t.insert && t.creates.is_some() && !t.delete,
            // Inside an inspection: one's own; a grid worker records the reminder sent.
            [Prop::Map(k), ..] if k == "inspections" => {
                let own = inspection_of(after, &t.path)
                    .and_then(|i| get_str(after, &i, "by"))
                    .is_some_and(|by| by == p.person);
                own || (worker
                    && t.path.len() == 2
                    && t.key.as_deref() == Some("reminder")
                    && !t.delete)
            }
            _ => false,
        };
        if !ok {
            return Err((
                RefusalCode::FieldNotAllowed,
                "an inspection is appended and changed only by whoever made it".into(),
            ));
        }
    }
    Ok(())
}

/// Every inspection the changes touched is well formed.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let mut touched: Vec<ObjId> = w
        .touches
        .iter()
        .filter_map(|t| inspection_of(after, &t.path))
        .collect();
    if w.touches.iter().any(|t| {
        matches!(t.path.as_slice(), [Prop::Map(k)] if k == "inspections") || t.path.is_empty()
    }) && let Some(list) = get_obj(after, &automerge::ROOT, "inspections", ObjType::List)
    {
        touched.extend(list_maps(after, &list));
    }
    touched.sort();
    touched.dedup();
    for i in touched {
        let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
        if let Some(extra) = after.keys(&i).find(|k| !FIELDS.contains(&k.as_str())) {
            return bad(format!("an inspection has no field `{extra}`"));
        }
        if get_str(after, &i, "result")
            .and_then(|s| SortResult::parse(&s))
            .is_none()
        {
            return bad("an inspection's result is sorted or mixed".into());
        }
        if get_str(after, &i, "by").is_none_or(|b| b.is_empty()) {
            return bad("an inspection says who made it".into());
        }
    }
    Ok(())
}
