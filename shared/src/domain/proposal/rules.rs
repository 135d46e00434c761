//! Who may change what in a proposal: the proposer (or the volunteer who filed it for an
//! elder) writes its content, updates and closing report; staff too; every person adds or
//! removes only their own support (+1); everything is signed in the writer's own name.

use automerge::{Prop, ReadDoc};

use super::Proposal;
use crate::api::RefusalCode;
use crate::docutil::get_str;
use crate::domain::{Verdict, Write};
use crate::policy::Role;

/// For everyone, staff included.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        ctx,
        creating,
        after,
        touches,
        ..
    } = *w;
    let Ok(proposal) = Proposal::read(after) else {
        return Err((RefusalCode::Malformed, "not a proposal".into()));
    };
    if creating && proposal.filed_by != p.person {
        return Err((
            RefusalCode::BadFiling,
            "a proposal is filed in the filer's own name".into(),
        ));
    }
    // The proposer's name is theirs in the relay's records (a volunteer writes the elder's).
    if let Some(name) = (ctx.name_of)(&proposal.proposer)
        && !proposal.proposer_name.is_empty()
        && proposal.proposer_name != name
    {
        return Err((
            RefusalCode::BadName,
            "not the proposer's name on record".into(),
        ));
    }
    for t in touches {
        // Updates and the closing report written now are in the writer's name.
        let entry = match t.path.first() {
            Some(Prop::Map(k)) if k == "updates" && t.path.len() >= 2 => true,
            Some(Prop::Map(k)) if k == "closing" => true,
            _ => false,
        };
        if entry && t.key.as_deref() == Some("by") && !t.delete {
            let by = get_str(after, &t.obj, "by").unwrap_or_default();
            if by != p.person {
                return Err((
                    RefusalCode::BadEvent,
                    format!("an entry must be in the writer's name, not `{by}`"),
                ));
            }
        }
        // A support is the supporter's own, and the time it was given.
        if matches!(t.path.as_slice(), [Prop::Map(k)] if k == "supports") && !t.delete {
            let at = t.key.as_deref().and_then(|k| match after.get(&t.obj, k) {
                Ok(Some((automerge::Value::Scalar(v), _))) => match v.as_ref() {
                    automerge::ScalarValue::Int(n) | automerge::ScalarValue::Timestamp(n) => {
                        Some(*n)
                    }
                    _ => None,
                },
                _ => None,
            });
            if !at.is_some_and(|at| ctx.time_ok(at)) {
                return Err((
                    RefusalCode::BadTime,
                    "a support is the time it was given".into(),
                ));
            }
        }
    }
    Ok(())
}

/// For everyone but staff.
pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        old,
        new,
        after,
        touches,
        ..
    } = *w;
    let proposal = Proposal::read(after).map_err(|e| (RefusalCode::Malformed, e.to_string()))?;
    if creating {
        let subject = new.subject.as_deref().unwrap_or_default();
        let ok = subject == p.person
            || (p.role == Role::Volunteer && p.consents.iter().any(|c| c == subject));
        return if ok {
            Ok(())
        } else {
            Err((
                RefusalCode::BadFiling,
                format!("a {} may not propose for `{subject}`", p.role.as_str()),
            ))
        };
    }
    if old != new {
        return Err((
            RefusalCode::ScopeChange,
            "a proposal's proposer does not change".into(),
        ));
    }
    let leads = proposal.leads(&p.person)
        || (p.role == Role::Volunteer && p.consents.contains(&proposal.proposer));
    let closed = w
        .prior
        .and_then(|p| p.get::<bool>())
        .copied()
        .unwrap_or(false);
    for t in touches {
        let allowed = match (t.top(), t.path.len()) {
            (Some("title" | "what" | "why" | "place" | "households"), 0) => leads,
            (Some("lines" | "photos"), _) => leads,
            (Some("supports"), 1) => t.key.as_deref() == Some(p.person.as_str()),
            (Some("updates"), 1) => leads && t.insert && t.creates.is_some() && !t.delete,
            (Some("updates"), _) => leads && t.in_new_object && !t.delete,
            (Some("closing"), 0) => leads && t.creates.is_some() && !closed,
            (Some("closing"), _) => leads && t.in_new_object && !t.delete,
            _ => false,
        };
        if !allowed {
            let field = t.top().unwrap_or("?");
            return Err((
                RefusalCode::FieldNotAllowed,
                format!(
                    "a {} may not change `{field}` of this proposal",
                    p.role.as_str()
                ),
            ));
        }
    }
    Ok(())
}
