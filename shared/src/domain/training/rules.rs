//! Who may change a training session. Staff write what the session is, mark attendance and
//! write the summary. A resident only appends a sign-up line for themself (a volunteer for an
//! elder who consented to them) before the session ends, and cancels their own line (sets
//! `cancelled_at` once, never deletes). For every writer, staff included: known fields only,
//! a known topic and method, a capacity in bounds and never below the seats it gives, an end
//! after the start, one live sign-up per person.

use std::collections::{BTreeSet, HashSet};

use automerge::{ObjId, Prop, ROOT, ReadDoc};

use super::{CAPACITY_MAX, Method, ROOT_FIELDS, SIGNUP_FIELDS, Topic, Training};
use crate::api::RefusalCode;
use crate::docutil::{Fields, get_i64, get_str, list_entry};
use crate::domain::limits::CLOCK_TOLERANCE;
use crate::domain::{Verdict, Write};

/// What the rules need of the session before the changes.
pub(crate) struct Before {
    /// Seats it gave.
    seats: u32,
    /// Lines already cancelled.
    cancelled: BTreeSet<String>,
}

impl Before {
    pub(crate) fn of(t: &Training) -> Self {
        Before {
            seats: t.counts().0 as u32,
            cancelled: t
                .signups
                .iter()
                .filter(|s| s.cancelled_at.is_some())
                .map(|s| s.id.clone())
                .collect(),
        }
    }
}

fn is(p: &Prop, name: &str) -> bool {
    matches!(p, Prop::Map(k) if k == name)
}

/// The new lines the changes appended.
fn new_lines(w: &Write<'_>) -> HashSet<ObjId> {
    w.touches
        .iter()
        .filter(|t| matches!(t.path.as_slice(), [l, Prop::Seq(_)] if is(l, "signups")))
        .filter(|t| t.in_new_object)
        .map(|t| t.obj.clone())
        .collect()
}

/// For everyone but staff (the rules engine lets staff past this).
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
        return Err((
            RefusalCode::NotAllowed,
            "staff create training sessions".into(),
        ));
    }
    let before = prior.and_then(|pr| pr.get::<Before>());
    let new = new_lines(w);
    let refuse = |why: &str| Err((RefusalCode::FieldNotAllowed, why.to_string()));
    for t in touches {
        if t.delete {
            return refuse("nothing is deleted from a session: a sign-up is cancelled");
        }
        match t.path.as_slice() {
            [l] if is(l, "signups") => {
                if !(t.insert && t.creates.is_some()) {
                    return refuse("a sign-up is appended");
                }
            }
            [l, Prop::Seq(_), rest @ ..] if is(l, "signups") => {
                let Some(e) = list_entry(after, &t.path, "signups") else {
                    return refuse("a sign-up is a map");
                };
                let key = t.key.as_deref();
                if new.contains(&e) {
                    if key == Some("attended") {
                        return Err((RefusalCode::NotAllowed, "only staff mark attendance".into()));
                    }
                    continue;
                }
                if key == Some("attended") {
                    return Err((RefusalCode::NotAllowed, "only staff mark attendance".into()));
                }
                // An existing line: only its cancellation, once, by its person (or a
                // volunteer they consented to).
                let person = get_str(after, &e, "person").unwrap_or_default();
                let theirs = person == p.person || p.acts_for(Some(&person));
                let once = before.is_none_or(|b| !b.cancelled.contains(&e.to_string()));
                if !(rest.is_empty() && key == Some("cancelled_at") && theirs && once) {
                    return refuse("one cancels only one's own sign-up, once");
                }
            }
            _ => return refuse("only staff change what a session is"),
        }
    }
    let ends = Fields::of(after, &ROOT).i64("ends_at").unwrap_or(0);
    for e in &new {
        let person = get_str(after, e, "person").unwrap_or_default();
        if person != p.person && !p.acts_for(Some(&person)) {
            return Err((
                RefusalCode::NotAllowed,
                "one signs up only oneself, or an elder who consented to one's help".into(),
            ));
        }
        let at = get_i64(after, e, "at").unwrap_or(0);
        if at > ends + CLOCK_TOLERANCE {
            return Err((
                RefusalCode::NotAllowed,
                "a sign-up is made before the session ends".into(),
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
        .find(|k| !ROOT_FIELDS.contains(&k.as_str()))
    {
        return bad(format!("a training session has no field `{extra}`"));
    }
    let f = Fields::of(after, &ROOT);
    if f.str("topic").and_then(|c| Topic::parse(&c)).is_none() {
        return bad("a session's topic is one of the school's list".into());
    }
    if f.str("method").is_some_and(|c| Method::parse(&c).is_none()) {
        return bad("a session is a role play, a lecture or a workshop".into());
    }
    if !f
        .i64("capacity")
        .is_some_and(|c| (1..=i64::from(CAPACITY_MAX)).contains(&c))
    {
        return bad(format!("a session's capacity is 1 to {CAPACITY_MAX}"));
    }
    match (f.i64("starts_at"), f.i64("ends_at")) {
        (Some(s), Some(e)) if e > s => {}
        _ => return bad("a session ends after it starts".into()),
    }
    let mut touched: Vec<ObjId> = w
        .touches
        .iter()
        .filter_map(|t| list_entry(after, &t.path, "signups"))
        .collect();
    touched.sort();
    touched.dedup();
    for e in touched {
        if let Some(extra) = after
            .keys(&e)
            .find(|k| !SIGNUP_FIELDS.contains(&k.as_str()))
        {
            return bad(format!("a sign-up has no field `{extra}`"));
        }
        if get_str(after, &e, "person").is_none_or(|p| p.is_empty()) {
            return bad("a sign-up names its person".into());
        }
        if get_i64(after, &e, "at").is_none() {
            return bad("a sign-up says when".into());
        }
        if after.get(&e, "attended").ok().flatten().is_some()
            && crate::docutil::get_bool(after, &e, "attended").is_none()
        {
            return bad("attendance is yes or no".into());
        }
    }
    let Ok(t) = Training::read(after) else {
        return bad("a session has a title and a topic".into());
    };
    if t.has_double_signup() {
        return Err((
            RefusalCode::NotAllowed,
            "one live sign-up per person and session".into(),
        ));
    }
    let seats = w.prior.and_then(|pr| pr.get::<Before>()).map(|b| b.seats);
    if let Some(seats) = seats.filter(|s| t.capacity < *s) {
        return Err((
            RefusalCode::NotAllowed,
            format!("{seats} seats are given; the capacity cannot go below them"),
        ));
    }
    Ok(())
}
