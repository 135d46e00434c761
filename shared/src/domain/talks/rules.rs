//! Who may write what in a talk (ARCHITECTURE.md, "Documents"). Staff (the residents'
//! committee) write everything. A party representative adds positions for their own party
//! only, in their own name, and edits the minutes until they are published. The owner of an
//! action item marks it done. Anyone who reads a published agenda adds or removes their own
//! +1. Everyone, staff included, writes only cost splits that add up.

use std::collections::BTreeSet;

use automerge::{ObjType, Prop, ROOT, ReadDoc};

use super::model::{read_decision, read_position};
use super::split::check_split;
use super::{RESIDENTS, Side};
use crate::api::RefusalCode;
use crate::docutil::{get_i64, get_obj, get_str, list_maps};
use crate::domain::{Verdict, Write};

fn refuse(detail: impl Into<String>) -> Verdict {
    Err((RefusalCode::FieldNotAllowed, detail.into()))
}

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
        return Err((RefusalCode::NotAllowed, "only staff schedule a talk".into()));
    }
    if old != new {
        return Err((RefusalCode::ScopeChange, "only staff publish a talk".into()));
    }
    let side = p.party.map(Side::Party);
    let published = new.audience.as_deref() == Some(RESIDENTS);
    let minutes_open = get_i64(after, &ROOT, "minutes_published_at").is_none();
    let mut new_positions: BTreeSet<String> = BTreeSet::new();
    for t in touches {
        let path: Vec<&str> = t
            .path
            .iter()
            .map(|x| match x {
                Prop::Map(k) => k.as_str(),
                Prop::Seq(_) => "#",
            })
            .collect();
        match path.as_slice() {
            ["items", _, "plus_ones"] => {
                if !published {
                    return refuse("the agenda is not published yet");
                }
                if t.key.as_deref() != Some(p.person.as_str()) || t.creates.is_some() {
                    return refuse("only your own +1 can be changed");
                }
                if !t.delete {
                    let at = t.key.as_deref().and_then(|k| get_i64(after, &t.obj, k));
                    match at {
                        Some(at) if ctx.time_ok(at) => {}
                        Some(_) => {
                            return Err((RefusalCode::BadTime, "a +1 dated far from now".into()));
                        }
                        None => return refuse("a +1 is the time it was made"),
                    }
                }
            }
            ["items", _, "positions"] => {
                let Some(_) = side else {
                    return refuse(format!(
                        "a {} is not a party's representative",
                        p.role.as_str()
                    ));
                };
                if !t.insert || t.delete {
                    return refuse("positions are added, never changed or removed");
                }
                match &t.creates {
                    Some(id) => {
                        new_positions.insert(id.clone());
                    }
                    None => return refuse("a position is a record"),
                }
            }
            ["items", _, "positions", "#"] if t.in_new_object => {}
            ["minutes"] if t.key.is_none() => {
                if side.is_none() {
                    return refuse(format!("a {} may not edit the minutes", p.role.as_str()));
                }
                if !minutes_open {
                    return refuse("the minutes are published");
                }
            }
            ["items", item, "decision", "actions", action]
                if t.key.as_deref() == Some("done") && !t.delete =>
            {
                let owner = get_obj(after, &ROOT, "items", ObjType::Map)
                    .and_then(|m| get_obj(after, &m, item, ObjType::Map))
                    .and_then(|i| get_obj(after, &i, "decision", ObjType::Map))
                    .and_then(|d| get_obj(after, &d, "actions", ObjType::Map))
                    .and_then(|a| get_obj(after, &a, action, ObjType::Map))
                    .and_then(|a| get_str(after, &a, "owner"));
                if owner.as_deref() != Some(p.person.as_str()) {
                    return refuse("only its owner marks an action item done");
                }
            }
            _ => {
                let field = t.key.as_deref().or(path.first().copied()).unwrap_or("?");
                return refuse(format!(
                    "a {} may not change `{field}` of a talk",
                    p.role.as_str()
                ));
            }
        }
    }
    if new_positions.is_empty() {
        return Ok(());
    }
    // Every position added: for the writer's own party, in their own name, well formed.
    let Some(items) = get_obj(after, &ROOT, "items", ObjType::Map) else {
        return refuse("no agenda");
    };
    for key in after.keys(&items).collect::<Vec<_>>() {
        let Some(item) = get_obj(after, &items, &key, ObjType::Map) else {
            continue;
        };
        let Some(list) = get_obj(after, &item, "positions", ObjType::List) else {
            continue;
        };
        for pos in list_maps(after, &list) {
            if !new_positions.contains(&pos.to_string()) {
                continue;
            }
            let Some(read) = read_position(after, &pos) else {
                return Err((RefusalCode::BadEvent, "a malformed position".into()));
            };
            if Some(read.side) != side {
                return Err((
                    RefusalCode::FieldNotAllowed,
                    format!(
                        "a representative of {} may not speak for {}",
                        side.map_or("?", Side::as_str),
                        read.side.as_str()
                    ),
                ));
            }
            if read.by != p.person {
                return Err((
                    RefusalCode::BadEvent,
                    format!("a position must be in the writer's name, not `{}`", read.by),
                ));
            }
            if read.round < 1 || read.text.trim().is_empty() {
                return Err((
                    RefusalCode::BadEvent,
                    "a position needs a round and text".into(),
                ));
            }
            if after.keys(&pos).any(|k| {
                !matches!(
                    k.as_str(),
                    "party" | "round" | "stance" | "text" | "by" | "by_name" | "at"
                )
            }) {
                return Err((RefusalCode::BadEvent, "a position with extra fields".into()));
            }
        }
    }
    Ok(())
}

/// For every writer: the decisions written add up, and published minutes hold no personal
/// data (checked when they are published and at every later edit: while they are a draft
/// only staff and the representatives read them, and a refusal at each keystroke would take
/// back what was typed).
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    check_published_minutes(w)?;
    let touched: BTreeSet<&str> = w
        .touches
        .iter()
        .filter_map(|t| match t.path.as_slice() {
            [Prop::Map(i), Prop::Map(id), rest @ ..]
                if i == "items"
                    && (matches!(rest.first(), Some(Prop::Map(d)) if d == "decision")
                        || (rest.is_empty() && t.key.as_deref() == Some("decision"))) =>
            {
                Some(id.as_str())
            }
            _ => None,
        })
        .collect();
    if touched.is_empty() {
        return Ok(());
    }
    let Some(items) = get_obj(w.after, &ROOT, "items", ObjType::Map) else {
        return Ok(());
    };
    for id in touched {
        let Some(d) = get_obj(w.after, &items, id, ObjType::Map)
            .and_then(|i| get_obj(w.after, &i, "decision", ObjType::Map))
        else {
            continue;
        };
        let Some(decision) = read_decision(w.after, &d) else {
            return Err((
                RefusalCode::BadSplit,
                "a malformed decision or split".into(),
            ));
        };
        if decision.split.is_empty() && decision.total_fen == 0 {
            continue;
        }
        check_split(decision.total_fen, &decision.split)
            .map_err(|e| (RefusalCode::BadSplit, e.to_string()))?;
    }
    Ok(())
}

fn check_published_minutes(w: &Write<'_>) -> Verdict {
    let touched = w.touches.iter().any(|t| {
        matches!(t.path.first(), Some(Prop::Map(k)) if k == "minutes")
            || (t.path.is_empty()
                && matches!(t.key.as_deref(), Some("minutes" | "minutes_published_at")))
    });
    if !touched || get_i64(w.after, &ROOT, "minutes_published_at").is_none() {
        return Ok(());
    }
    match minutes_personal_data(&get_str(w.after, &ROOT, "minutes").unwrap_or_default()) {
        Some(kind) => Err((
            RefusalCode::PersonalData,
            format!("a {} in the published minutes", kind.as_str()),
        )),
        None => Ok(()),
    }
}

/// The first piece of personal data in minutes about to be published, if any: the app points
/// it out before it publishes, the relay refuses it.
pub fn minutes_personal_data(minutes: &str) -> Option<crate::pii::PiiKind> {
    crate::pii::find(minutes).first().map(|f| f.kind)
}
