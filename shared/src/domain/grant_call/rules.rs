//! Who may change what in a call: staff write everything (the call, its panel and the
//! decisions); a panel member writes only their own review of a proposal (scores 1–5 and a
//! comment); nobody else writes anything. A reviewer cannot fund: decisions are staff's.

use automerge::Prop;

use super::{Call, DEADLINE_AHEAD_MAX};
use crate::api::RefusalCode;
use crate::domain::{Verdict, Write};

/// For everyone, staff included: deadlines near the relay's clock, scores of 1 to 5, and
/// decisions in the writer's own name.
pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        ctx,
        after,
        touches,
        ..
    } = *w;
    let call = Call::read(after).map_err(|e| (RefusalCode::Malformed, e.to_string()))?;
    if touches
        .iter()
        .any(|t| t.path.is_empty() && t.key.as_deref() == Some("deadline"))
        && let Some(now) = ctx.now
        && (call.deadline > now + DEADLINE_AHEAD_MAX
            || call.deadline < now - crate::domain::limits::BACKDATE_MAX)
    {
        return Err((
            RefusalCode::BadTime,
            "a deadline within a year of the relay's clock".into(),
        ));
    }
    for (_, reviews) in &call.reviews {
        if reviews
            .iter()
            .any(|r| r.scores.iter().any(|s| !(0..=5).contains(s)))
        {
            return Err((RefusalCode::BadEvent, "a score is 1 to 5".into()));
        }
    }
    for t in touches {
        if matches!(t.path.first(), Some(Prop::Map(k)) if k == "decisions")
            && t.key.as_deref() == Some("by")
            && !t.delete
        {
            let by = crate::docutil::get_str(after, &t.obj, "by").unwrap_or_default();
            if by != p.person {
                return Err((
                    RefusalCode::BadEvent,
                    format!("a decision must be in the writer's name, not `{by}`"),
                ));
            }
        }
    }
    Ok(())
}

/// For everyone but staff: only a panel member's own review.
pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        after,
        touches,
        ..
    } = *w;
    if creating {
        return Err((RefusalCode::NotAllowed, "only staff open a call".into()));
    }
    let call = Call::read(after).map_err(|e| (RefusalCode::Malformed, e.to_string()))?;
    let on_panel = call.panel.contains(&p.person);
    for t in touches {
        let mine = |k: &str| k.split_once(' ').is_some_and(|(_, r)| r == p.person);
        let own_review = match t.path.as_slice() {
            // reviews/<proposal> <me> written, or what is inside it.
            [Prop::Map(r)] if r == "reviews" => t.key.as_deref().is_some_and(mine),
            [Prop::Map(r), Prop::Map(k), ..] if r == "reviews" => mine(k),
            _ => false,
        };
        if !(on_panel && own_review) {
            let field = t.top().unwrap_or("?");
            return Err((
                RefusalCode::FieldNotAllowed,
                if field == "decisions" {
                    "only staff decide on funding".to_string()
                } else if field == "reviews" {
                    "only the call's panel reviews, each in their own name".to_string()
                } else {
                    format!("a {} may not change `{field}` of a call", p.role.as_str())
                },
            ));
        }
    }
    Ok(())
}
