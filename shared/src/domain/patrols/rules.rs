//! Who may change a patrol log: the grid's team and grid workers open logs and append rounds
//! in their own name, and change only their own rounds (adding a finding's request link);
//! nobody but staff deletes or rewrites a round. For every writer: each round is well formed
//! (a known kind, known fields, a visit's outcome one of the three).

use automerge::{ObjId, ObjType, Prop, ReadDoc};

use super::Outcome;
use crate::api::RefusalCode;
use crate::docutil::{get_obj, get_str, list_maps};
use crate::domain::grid::Round;
use crate::domain::{Verdict, Write};

/// The round (a map in `rounds`) an operation lands in, if any.
fn round_of(after: &automerge::Automerge, path: &[Prop]) -> Option<ObjId> {
    crate::docutil::list_entry(after, path, "rounds")
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
    if !(p.works_grid(grid) || p.on_team(grid)) {
        return Err((
            RefusalCode::NotAllowed,
            "only the grid's team and grid workers keep its patrol log".into(),
        ));
    }
    for t in touches {
        let ok = match t.path.as_slice() {
            // The log's own fields: only when it is opened.
            [] => creating,
            // A new round appended (never a deletion or an overwrite).
            [Prop::Map(k)] if k == "rounds" => t.insert && t.creates.is_some() && !t.delete,
            // Inside a round: only one's own.
            [Prop::Map(k), ..] if k == "rounds" => round_of(after, &t.path)
                .and_then(|r| get_str(after, &r, "by"))
                .is_some_and(|by| by == p.person),
            _ => false,
        };
        if !ok {
            return Err((
                RefusalCode::FieldNotAllowed,
                "a patrol round is appended and changed only by whoever walked it".into(),
            ));
        }
    }
    Ok(())
}

/// Every round the changes touched is well formed.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let mut rounds: Vec<ObjId> = w
        .touches
        .iter()
        .filter_map(|t| round_of(after, &t.path))
        .collect();
    // Rounds created by an insert into the list itself.
    if w.touches
        .iter()
        .any(|t| matches!(t.path.as_slice(), [Prop::Map(k)] if k == "rounds") || t.path.is_empty())
        && let Some(list) = get_obj(after, &automerge::ROOT, "rounds", ObjType::List)
    {
        rounds.extend(list_maps(after, &list));
    }
    rounds.sort();
    rounds.dedup();
    for r in rounds {
        let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
        if let Some(extra) = after.keys(&r).find(|k| {
            !matches!(
                k.as_str(),
                "round" | "by" | "by_name" | "at" | "buildings" | "note" | "findings" | "visits"
            )
        }) {
            return bad(format!("a patrol round has no field `{extra}`"));
        }
        if get_str(after, &r, "round")
            .and_then(|s| Round::parse(&s))
            .is_none()
        {
            return bad("a round is a morning, midday or evening round".into());
        }
        if get_str(after, &r, "by").is_none_or(|b| b.is_empty()) {
            return bad("a round says who walked it".into());
        }
        if let Some(fl) = get_obj(after, &r, "findings", ObjType::List) {
            for f in list_maps(after, &fl) {
                if let Some(extra) = after
                    .keys(&f)
                    .find(|k| !matches!(k.as_str(), "text" | "place" | "photos" | "request"))
                {
                    return bad(format!("a finding has no field `{extra}`"));
                }
            }
        }
        if let Some(vl) = get_obj(after, &r, "visits", ObjType::List) {
            for v in list_maps(after, &vl) {
                if let Some(extra) = after
                    .keys(&v)
                    .find(|k| !matches!(k.as_str(), "name" | "flat" | "outcome" | "note"))
                {
                    return bad(format!("a visit has no field `{extra}`"));
                }
                if get_str(after, &v, "outcome")
                    .and_then(|o| Outcome::parse(&o))
                    .is_none()
                {
                    return bad("a visit's outcome is well, needs_help or not_home".into());
                }
            }
        }
    }
    Ok(())
}
