//! Who may change a grid's document: staff everything (they assign the team); the grid's
//! workers its buildings and its patrol plan; nobody else anything. For every writer: a team
//! seat is one of the three, and names the person as the relay's records do.

use automerge::{ObjType, ReadDoc};

use super::{GridInfo, Position, Round};
use crate::api::RefusalCode;
use crate::docutil::get_obj;
use crate::domain::{Verdict, Write};

pub(super) fn check(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        new,
        touches,
        ..
    } = *w;
    if creating {
        return Err((RefusalCode::NotAllowed, "only staff create a grid".into()));
    }
    let worker = p.works_grid(new.grid.as_deref());
    for t in touches {
        let allowed = worker && matches!(t.top(), Some("buildings" | "plan"));
        if !allowed {
            return Err((
                RefusalCode::FieldNotAllowed,
                format!(
                    "a {} may not change `{}` of a grid",
                    p.role.as_str(),
                    t.top().unwrap_or("?")
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn check_everyone(w: &Write<'_>) -> Verdict {
    let after = w.after;
    if let Some(team) = get_obj(after, &automerge::ROOT, "team", ObjType::Map)
        && let Some(bad) = after.keys(&team).find(|k| Position::parse(k).is_none())
    {
        return Err((
            RefusalCode::FieldNotAllowed,
            format!("a grid's team has no seat `{bad}`"),
        ));
    }
    if let Some(plan) = get_obj(after, &automerge::ROOT, "plan", ObjType::Map)
        && let Some(bad) = after.keys(&plan).find(|k| Round::parse(k).is_none())
    {
        return Err((
            RefusalCode::FieldNotAllowed,
            format!("a grid's plan has no round `{bad}`"),
        ));
    }
    let info = GridInfo::read(after).map_err(|e| (RefusalCode::Malformed, e.to_string()))?;
    // Days outside 1–7 are dropped by the reader: refuse them instead of hiding them.
    let days_written: usize = Round::ALL
        .iter()
        .filter_map(|r| {
            let plan = get_obj(after, &automerge::ROOT, "plan", ObjType::Map)?;
            let l = get_obj(after, &plan, r.as_str(), ObjType::List)?;
            Some(after.length(&l))
        })
        .sum();
    let days_read: usize = info.plan.iter().map(|(_, d)| d.len()).sum();
    if days_written != days_read {
        return Err((
            RefusalCode::FieldNotAllowed,
            "a plan lists weekdays 1 to 7, each once".into(),
        ));
    }
    let touched_team = w.touches.iter().any(|t| t.top() == Some("team"));
    if touched_team {
        for m in &info.team {
            if !m.name.is_empty() && (w.ctx.name_of)(&m.person).as_deref() != Some(m.name.as_str())
            {
                return Err((
                    RefusalCode::BadName,
                    format!("`{}` is not the name on record of `{}`", m.name, m.person),
                ));
            }
        }
    }
    Ok(())
}
