//! Who may change a group: staff open it and write its name, kind and leader; the leader
//! writes what the group is about and records its activities in their own name; anyone in
//! the community joins in their own name and leaves (writes when, once). Nobody but staff
//! rewrites or deletes an entry. For every writer: each entry is well formed, a person holds
//! one membership at a time and joins one group at most [`super::JOINS_MAX`] times.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use automerge::{Automerge, ObjId, ObjType, Prop, ROOT, ReadDoc};

use super::{ActivityKind, JOINS_MAX};
use crate::api::RefusalCode;
use crate::docutil::{Fields, get_obj, get_str, list_maps};
use crate::domain::{Verdict, Write};

/// What the rules read of a group before the changes.
#[derive(Debug, Clone, Default)]
pub(super) struct Before {
    /// The leader then (a change cannot make its writer the leader: only staff name one).
    leader: String,
    /// Memberships already left.
    left: BTreeSet<String>,
}

impl Before {
    pub(super) fn of(doc: &Automerge) -> Self {
        let left = get_obj(doc, &ROOT, "members", ObjType::List)
            .map(|l| {
                list_maps(doc, &l)
                    .into_iter()
                    .filter(|m| doc.get(m, "left_at").ok().flatten().is_some())
                    .map(|m| m.to_string())
                    .collect()
            })
            .unwrap_or_default();
        Before {
            leader: get_str(doc, &ROOT, "leader").unwrap_or_default(),
            left,
        }
    }
}

fn is(p: &Prop, name: &str) -> bool {
    matches!(p, Prop::Map(k) if k == name)
}

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        prior,
        after,
        touches,
        ..
    } = *w;
    if creating {
        return Err((RefusalCode::NotAllowed, "staff open a group".into()));
    }
    let before = prior
        .and_then(|pr| pr.get::<Before>())
        .cloned()
        .unwrap_or_default();
    let leader = !before.leader.is_empty() && before.leader == p.person;
    // Entries created by these changes (in either list).
    let created: HashSet<ObjId> = touches
        .iter()
        .filter(|t| t.in_new_object)
        .map(|t| t.obj.clone())
        .collect();
    let refuse = |why: &str| Err((RefusalCode::FieldNotAllowed, why.to_string()));
    for t in touches {
        match t.path.as_slice() {
            // The group's own fields: the leader writes `about`; the rest is staff's.
            [] => {
                if !(leader && t.key.as_deref() == Some("about") && !t.delete) {
                    return refuse(
                        "staff name a group and its leader; the leader writes what it is about",
                    );
                }
            }
            // A new membership (anyone) or activity (the leader), never a deletion.
            [l] if is(l, "members") || is(l, "activities") => {
                let may = is(l, "members") || leader;
                if !(may && t.insert && t.creates.is_some() && !t.delete) {
                    return refuse(
                        "people join a group themselves; its leader records its activities",
                    );
                }
            }
            [l, Prop::Seq(_), rest @ ..] if is(l, "members") => {
                let Some(entry) = crate::docutil::list_entry(after, &t.path, "members") else {
                    return refuse("a membership is a person's own entry");
                };
                let own = get_str(after, &entry, "by").is_some_and(|b| b == p.person);
                let ok = own
                    && !t.delete
                    && if created.contains(&entry) {
                        true
                    } else {
                        // An existing membership: its member writes when they left, once.
                        rest.is_empty()
                            && t.key.as_deref() == Some("left_at")
                            && !before.left.contains(&entry.to_string())
                    };
                if !ok {
                    return refuse("people join and leave a group in their own name, once each");
                }
            }
            [l, Prop::Seq(_), ..] if is(l, "activities") => {
                let Some(entry) = crate::docutil::list_entry(after, &t.path, "activities") else {
                    return refuse("an activity is the leader's entry");
                };
                let ok = leader
                    && !t.delete
                    && created.contains(&entry)
                    && get_str(after, &entry, "by").is_some_and(|b| b == p.person);
                if !ok {
                    return refuse(
                        "the leader records an activity in their own name, and it is not changed",
                    );
                }
            }
            _ => return refuse("not a field of a group"),
        }
    }
    Ok(())
}

/// Every entry is well formed, and memberships add up, for every writer.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let bad = |why: String| Err((RefusalCode::BadEvent, why));
    let root = Fields::of(after, &ROOT);
    if let Some(k) = root.str("group_kind")
        && super::GroupKind::parse(&k).is_none()
    {
        return bad(format!("no kind of group `{k}`"));
    }
    if !w
        .touches
        .iter()
        .any(|t| matches!(t.top(), Some("members" | "activities")) || w.creating)
    {
        return Ok(());
    }
    if let Some(list) = get_obj(after, &ROOT, "members", ObjType::List) {
        let mut joins: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for m in list_maps(after, &list) {
            let f = Fields::of(after, &m);
            if let Some(extra) = after
                .keys(&m)
                .find(|k| !matches!(k.as_str(), "by" | "by_name" | "joined_at" | "left_at"))
            {
                return bad(format!("a membership has no field `{extra}`"));
            }
            let (Some(by), Some(_)) = (f.str("by").filter(|b| !b.is_empty()), f.i64("joined_at"))
            else {
                return bad("a membership says who joined and when".into());
            };
            let e = joins.entry(by).or_default();
            e.0 += 1;
            if !f.has("left_at") {
                e.1 += 1;
            }
        }
        if let Some((who, _)) = joins.iter().find(|(_, (_, live))| *live > 1) {
            return bad(format!("{who} is a member once at a time"));
        }
        if let Some((who, _)) = joins.iter().find(|(_, (n, _))| *n > JOINS_MAX) {
            return Err((
                RefusalCode::Quota,
                format!("{who} joined this group more than {JOINS_MAX} times"),
            ));
        }
    }
    if let Some(list) = get_obj(after, &ROOT, "activities", ObjType::List) {
        for a in list_maps(after, &list) {
            let f = Fields::of(after, &a);
            if let Some(extra) = after.keys(&a).find(|k| {
                !matches!(
                    k.as_str(),
                    "kind" | "at" | "title" | "doc" | "note" | "by" | "by_name"
                )
            }) {
                return bad(format!("an activity has no field `{extra}`"));
            }
            if f.str("kind")
                .and_then(|k| ActivityKind::parse(&k))
                .is_none()
                || f.i64("at").is_none()
                || f.str("title").is_none_or(|t| t.trim().is_empty())
                || f.str("by").is_none_or(|b| b.is_empty())
            {
                return bad("an activity says what, when, its title and who recorded it".into());
            }
        }
    }
    Ok(())
}
