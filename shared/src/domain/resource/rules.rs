//! Who may change a resource. Residents (and volunteers and grid workers, as residents)
//! record only their own talent, with the consent box ticked, and afterwards only withdraw
//! it; staff record and edit any resource (the rules engine lets staff past [`check`]). For
//! every writer, staff included: known fields only, the type never changes, a talent names
//! its person with a consent (her own, or a dated paper one naming her as the relay's
//! records do), a withdrawal is never undone and nobody publishes a resource again after its
//! creation.

use automerge::{ObjType, Prop, ROOT, ReadDoc};

use crate::api::RefusalCode;
use crate::docutil::{Fields, get_obj, get_strings};
use crate::domain::talks::RESIDENTS;
use crate::domain::{Verdict, Write};

use super::{Before, Consent, ResourceType, paper_date_ok};

/// What a person changes when she withdraws her talent.
const WITHDRAWAL: &[&str] = &["withdrawn_at", "withdrawn_by", "audience"];

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let p = w.p;
    let f = Fields::of(w.after, &ROOT);
    if w.creating {
        if f.str("type").as_deref() != Some(ResourceType::Talent.as_str()) {
            return Err((
                RefusalCode::NotAllowed,
                "only staff record spaces and facilities; a resident offers her own talent".into(),
            ));
        }
        if w.new.subject.as_deref() != Some(p.person.as_str())
            || f.str("consent").as_deref() != Some(Consent::Own.as_str())
        {
            return Err((
                RefusalCode::NotAllowed,
                "a resident offers only her own talent, never a neighbour's".into(),
            ));
        }
        return Ok(());
    }
    if w.old.subject.as_deref() != Some(p.person.as_str()) {
        return Err((
            RefusalCode::NotAllowed,
            "only staff change a resource that is not one's own talent".into(),
        ));
    }
    for t in w.touches {
        let ok = t.path.is_empty()
            && t.key.as_deref().is_some_and(|k| WITHDRAWAL.contains(&k))
            && (t.key.as_deref() != Some("audience") || t.delete);
        if !ok {
            return Err((
                RefusalCode::FieldNotAllowed,
                "a person withdraws her talent; staff edit what it says".into(),
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
        return bad(format!("a resource has no field `{extra}`"));
    }
    let f = Fields::of(after, &ROOT);
    let Some(rtype) = f.str("type").and_then(|t| ResourceType::parse(&t)) else {
        return bad("a resource is a space, a facility or a talent".into());
    };
    let before = w.prior.and_then(|p| p.get::<Before>());
    if !w.creating && before.and_then(|b| b.rtype).is_some_and(|t| t != rtype) {
        return bad("a resource's type never changes".into());
    }
    if f.str("name").is_none_or(|n| n.trim().is_empty()) {
        return bad("a resource has a name".into());
    }
    if after.get(&ROOT, "links").ok().flatten().is_some() {
        let Some(l) = get_obj(after, &ROOT, "links", ObjType::List) else {
            return bad("`links` is a list".into());
        };
        if get_strings(after, &ROOT, "links").len() != after.length(&l) {
            return bad("`links` holds only document ids".into());
        }
    }
    if f.has("x") != f.has("y") || (f.has("x") && (f.i64("x").is_none() || f.i64("y").is_none())) {
        return bad("a point is two whole metres, `x` and `y`".into());
    }
    let by = f.str("by").unwrap_or_default();
    if w.creating && by != w.p.person {
        return Err((
            RefusalCode::BadName,
            "a resource is recorded in the writer's own name".into(),
        ));
    }
    let audience = f.str("audience");
    if audience.as_deref().is_some_and(|a| a != RESIDENTS) {
        return bad("a resource is published to residents or to nobody".into());
    }
    // Nobody publishes after creation: so a withdrawal (which removes `audience`) wins over
    // any edit made meanwhile, offline or not.
    let publishes = w
        .touches
        .iter()
        .any(|t| t.path.is_empty() && t.key.as_deref() == Some("audience") && !t.delete);
    if !w.creating && publishes {
        return bad("a resource is published once, when it is recorded".into());
    }
    let withdrawn = f.has("withdrawn_at");
    if before.is_some_and(|b| b.withdrawn) && !withdrawn {
        return bad("a withdrawal is never undone".into());
    }
    if withdrawn && audience.is_some() {
        return bad("a withdrawn resource reaches nobody but staff and its person".into());
    }
    let withdrawal_signed = w
        .touches
        .iter()
        .any(|t| t.path.is_empty() && t.key.as_deref() == Some("withdrawn_by") && !t.delete);
    if withdrawal_signed && f.str("withdrawn_by").as_deref() != Some(w.p.person.as_str()) {
        return Err((
            RefusalCode::BadName,
            "a withdrawal is signed by who withdraws".into(),
        ));
    }
    if !w.creating && w.old.subject != w.new.subject {
        return bad("a resource's person never changes".into());
    }
    if w.creating && audience.is_none() {
        return bad("a resource is recorded to be seen".into());
    }
    match rtype {
        ResourceType::Space | ResourceType::Facility => {
            if ["subject", "person_name", "consent", "consent_date"]
                .iter()
                .any(|k| f.has(k))
            {
                return bad("a space or facility names no person".into());
            }
            if withdrawn {
                return bad("only a talent is withdrawn".into());
            }
        }
        ResourceType::Talent => {
            let Some(subject) = w.new.subject.clone() else {
                return bad("a talent names its person".into());
            };
            let person_name = f.str("person_name").unwrap_or_default();
            match f.str("consent").and_then(|c| Consent::parse(&c)) {
                None => return bad("a talent is offered only with its person's consent".into()),
                Some(Consent::Own) => {
                    if w.creating && subject != w.p.person {
                        return bad("a talent of one's own is one's own".into());
                    }
                    if w.creating && w.p.name.as_ref().is_some_and(|n| *n != person_name) {
                        return Err((
                            RefusalCode::BadName,
                            "a talent carries its person's name as the relay's records have it"
                                .into(),
                        ));
                    }
                }
                Some(Consent::Paper) => {
                    if w.creating {
                        let date = f.str("consent_date").unwrap_or_default();
                        let now = w.ctx.now.unwrap_or(i64::MAX / 2);
                        if !paper_date_ok(&date, now) {
                            return bad(
                                "a talent recorded for someone else carries the date of her \
                                 consent on paper, not in the future"
                                    .into(),
                            );
                        }
                        if subject == w.p.person {
                            return bad("one's own talent needs no paper".into());
                        }
                        if (w.ctx.name_of)(&subject).is_some_and(|n| n != person_name) {
                            return Err((
                                RefusalCode::BadName,
                                "a talent carries its person's name as the relay's records \
                                 have it"
                                    .into(),
                            ));
                        }
                    }
                }
            }
        }
    }
    // An operation below the root is only inside the links list.
    if w.touches
        .iter()
        .any(|t| matches!(t.path.first(), Some(Prop::Map(k)) if k != "links"))
    {
        return bad("a resource's only list is its links".into());
    }
    Ok(())
}
