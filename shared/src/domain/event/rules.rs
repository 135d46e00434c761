//! Who may change an event. Staff write what the event is. Anyone may append a sign-up for
//! themself (a volunteer for an elder who consented to them), in the person's household, in
//! their own name, within the sign-up window, and cancel their own (set `cancelled_at` once,
//! never delete). The event's organisers append attendance in their own name and set a
//! check-out. For every writer, staff included: known fields only, one live sign-up per
//! person (or household), a name that is the writer's or the person's on record, and no pool
//! given fewer seats than it already gives.

use std::collections::{BTreeSet, HashSet};

use automerge::{ObjId, Prop, ROOT, ReadDoc};

use super::{CAPACITY_MAX, Event, Per, Template};
use crate::api::RefusalCode;
use crate::docutil::{Fields, get_i64, get_str, list_entry};
use crate::domain::limits::CLOCK_TOLERANCE;
use crate::domain::{Verdict, Write};

/// What the rules need of the event before the changes.
pub(super) struct Before {
    /// Per pool: (role, seats it gives).
    seats: Vec<(String, u32)>,
    /// Sign-ups already cancelled.
    cancelled: BTreeSet<String>,
    /// Attendance entries already checked out.
    out: BTreeSet<String>,
}

impl Before {
    pub(super) fn of(e: &Event) -> Self {
        Before {
            seats: e
                .pools()
                .into_iter()
                .map(|p| {
                    let n = e.seats_given(&p);
                    (p, n)
                })
                .collect(),
            cancelled: e
                .signups
                .iter()
                .filter(|s| s.cancelled_at.is_some())
                .map(|s| s.id.clone())
                .collect(),
            out: e
                .attendance
                .iter()
                .filter(|a| a.out_at.is_some())
                .map(|a| a.id.clone())
                .collect(),
        }
    }
}

fn is(p: &Prop, name: &str) -> bool {
    matches!(p, Prop::Map(k) if k == name)
}

/// The new entries of a list the changes appended.
fn new_entries(w: &Write<'_>, list: &str) -> HashSet<ObjId> {
    w.touches
        .iter()
        .filter(|t| matches!(t.path.as_slice(), [l, Prop::Seq(_)] if is(l, list)))
        .filter(|t| t.in_new_object)
        .map(|t| t.obj.clone())
        .collect()
}

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        prior,
        after,
        touches,
        ctx,
        ..
    } = *w;
    if creating {
        return Err((RefusalCode::NotAllowed, "staff create events".into()));
    }
    let organisers = crate::docutil::get_strings(after, &ROOT, "organisers");
    let organiser = organisers.contains(&p.person);
    let before = prior.and_then(|pr| pr.get::<Before>());
    let new_signups = new_entries(w, "signups");
    let new_attendance = new_entries(w, "attendance");
    let refuse = |why: &str| Err((RefusalCode::FieldNotAllowed, why.to_string()));
    for t in touches {
        if t.delete {
            return refuse("nothing is deleted from an event: a sign-up is cancelled");
        }
        match t.path.as_slice() {
            [] => return refuse("only staff change what an event is"),
            [l] if is(l, "signups") => {
                if !(t.insert && t.creates.is_some()) {
                    return refuse("a sign-up is appended");
                }
            }
            [l, Prop::Seq(_), rest @ ..] if is(l, "signups") => {
                let Some(e) = list_entry(after, &t.path, "signups") else {
                    return refuse("a sign-up is a map");
                };
                if new_signups.contains(&e) {
                    continue;
                }
                // An existing sign-up: only its cancellation, once, by the person or whoever
                // signed them up (or a volunteer they consented to).
                let person = get_str(after, &e, "person").unwrap_or_default();
                let by = get_str(after, &e, "by").unwrap_or_default();
                let theirs = person == p.person || by == p.person || p.acts_for(Some(&person));
                let once = before.is_none_or(|b| !b.cancelled.contains(&e.to_string()));
                if !(rest.is_empty() && t.key.as_deref() == Some("cancelled_at") && theirs && once)
                {
                    return refuse("one cancels only their own sign-up, once");
                }
            }
            [l] if is(l, "attendance") => {
                if !(organiser && t.insert && t.creates.is_some()) {
                    return Err((
                        RefusalCode::NotAllowed,
                        "only the event's organisers check people in".into(),
                    ));
                }
            }
            [l, Prop::Seq(_), rest @ ..] if is(l, "attendance") => {
                let Some(e) = list_entry(after, &t.path, "attendance") else {
                    return refuse("an attendance entry is a map");
                };
                if !organiser {
                    return Err((
                        RefusalCode::NotAllowed,
                        "only the event's organisers check people in and out".into(),
                    ));
                }
                if new_attendance.contains(&e) {
                    continue;
                }
                let once = before.is_none_or(|b| !b.out.contains(&e.to_string()));
                if !(rest.is_empty() && t.key.as_deref() == Some("out_at") && once) {
                    return refuse("an organiser only checks a person out, once");
                }
            }
            _ => return refuse("only staff change what an event is"),
        }
    }
    let (opens, closes) = {
        let f = Fields::of(after, &ROOT);
        (
            f.i64("opens_at").unwrap_or(0),
            f.i64("closes_at").unwrap_or(0),
        )
    };
    for e in &new_signups {
        let person = get_str(after, e, "person").unwrap_or_default();
        if get_str(after, e, "by").as_deref() != Some(p.person.as_str()) {
            return Err((
                RefusalCode::BadName,
                "a sign-up is written in the writer's own name".into(),
            ));
        }
        if person != p.person && !p.acts_for(Some(&person)) {
            return Err((
                RefusalCode::NotAllowed,
                "one signs up oneself, or an elder who consented to one's help".into(),
            ));
        }
        let household = get_str(after, e, "household").unwrap_or_default();
        let theirs = if person == p.person {
            p.household.clone().or_else(|| (ctx.household_of)(&person))
        } else {
            (ctx.household_of)(&person)
        };
        if theirs.is_some_and(|h| h != household) {
            return Err((
                RefusalCode::NotAllowed,
                "a sign-up is in the person's own household".into(),
            ));
        }
        let at = get_i64(after, e, "at").unwrap_or(0);
        if at + CLOCK_TOLERANCE < opens || at > closes + CLOCK_TOLERANCE {
            return Err((
                RefusalCode::NotAllowed,
                "a sign-up is made while sign-up is open".into(),
            ));
        }
    }
    for e in &new_attendance {
        if get_str(after, e, "by").as_deref() != Some(p.person.as_str()) {
            return Err((
                RefusalCode::BadName,
                "a check-in is written in the organiser's own name".into(),
            ));
        }
    }
    Ok(())
}

/// For every writer, staff included.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
    if let Some(extra) = after
        .keys(&ROOT)
        .find(|k| !super::ROOT_FIELDS.contains(&k.as_str()))
    {
        return bad(format!("an event has no field `{extra}`"));
    }
    let f = Fields::of(after, &ROOT);
    if f.str("template")
        .and_then(|c| Template::parse(&c))
        .is_none()
    {
        return bad("an event is a festival, potluck, garden, zongzi or other event".into());
    }
    if f.str("per").is_some_and(|c| Per::parse(&c).is_none()) {
        return bad("a person or a household signs up".into());
    }
    if !f
        .i64("capacity")
        .is_some_and(|c| (1..=i64::from(CAPACITY_MAX)).contains(&c))
    {
        return bad(format!("an event's capacity is 1 to {CAPACITY_MAX}"));
    }
    // Every entry the changes touched is well formed.
    for (list, fields) in [
        (
            "signups",
            &[
                "person",
                "household",
                "name",
                "by",
                "at",
                "role",
                "cancelled_at",
            ][..],
        ),
        ("attendance", &["person", "in_at", "out_at", "by"][..]),
    ] {
        let mut touched: Vec<ObjId> = w
            .touches
            .iter()
            .filter_map(|t| list_entry(after, &t.path, list))
            .collect();
        touched.sort();
        touched.dedup();
        for e in touched {
            if let Some(extra) = after.keys(&e).find(|k| !fields.contains(&k.as_str())) {
                return bad(format!("an entry of `{list}` has no field `{extra}`"));
            }
            let person = get_str(after, &e, "person").unwrap_or_default();
            if person.is_empty() || get_str(after, &e, "by").is_none_or(|b| b.is_empty()) {
                return bad(format!("an entry of `{list}` says who and by whom"));
            }
            if list == "signups" {
                let name = get_str(after, &e, "name").unwrap_or_default();
                let ok = name.is_empty()
                    || Some(name.as_str()) == w.p.name.as_deref()
                    || (w.ctx.name_of)(&person).as_deref() == Some(name.as_str());
                if !ok {
                    return Err((
                        RefusalCode::BadName,
                        "a sign-up's name is the writer's or the person's on record".into(),
                    ));
                }
                if get_i64(after, &e, "at").is_none() {
                    return bad("a sign-up says when".into());
                }
            } else {
                let i = get_i64(after, &e, "in_at");
                let o = get_i64(after, &e, "out_at");
                if i.is_none() || o.is_some_and(|o| Some(o) < i) {
                    return bad("a check-out is after the check-in".into());
                }
            }
        }
    }
    let Ok(event) = Event::read(after) else {
        return bad("an event has a title and a template".into());
    };
    if event.has_double_signup() {
        return Err((
            RefusalCode::NotAllowed,
            "one live sign-up per person (or household) and event".into(),
        ));
    }
    if let Some(before) = w.prior.and_then(|pr| pr.get::<Before>()) {
        for (pool, seats) in &before.seats {
            let limit = event.limit(pool);
            if limit < *seats {
                return Err((
                    RefusalCode::NotAllowed,
                    format!("{seats} seats are given; the limit cannot go below them"),
                ));
            }
        }
    }
    Ok(())
}
