//! What holds for every writer of the site plan, staff included (only staff write it: the
//! kind's [`crate::domain::DocType::check`] refuses everyone else): known fields only, each
//! building a map of a name, a grid of the community and a list of whole-metre coordinates,
//! each landmark a known type.

use automerge::{ObjType, ROOT, ReadDoc};

use crate::api::RefusalCode;
use crate::docutil::{Fields, get_obj, list_maps};
use crate::domain::{Verdict, Write};

use super::LandmarkKind;

pub(super) fn check_everyone(w: &Write<'_>, root_fields: &[&str]) -> Verdict {
    let after = w.after;
    let bad = |why: String| Err((RefusalCode::FieldNotAllowed, why));
    if let Some(extra) = after
        .keys(&ROOT)
        .find(|k| !root_fields.contains(&k.as_str()))
    {
        return bad(format!("a site plan has no field `{extra}`"));
    }
    if w.new.grid.is_some() || w.new.subject.is_some() || w.new.household.is_some() {
        return bad("a site plan is the community's: no grid, subject or household".into());
    }
    for (list, fields) in [
        ("buildings", &["name", "grid", "pts"][..]),
        ("landmarks", &["type", "name", "pts"][..]),
    ] {
        if after.get(&ROOT, list).ok().flatten().is_none() {
            continue;
        }
        let Some(l) = get_obj(after, &ROOT, list, ObjType::List) else {
            return bad(format!("`{list}` is a list"));
        };
        let entries = list_maps(after, &l);
        if entries.len() != after.length(&l) {
            return bad(format!("`{list}` holds only maps"));
        }
        for e in &entries {
            if let Some(extra) = after.keys(e).find(|k| !fields.contains(&k.as_str())) {
                return bad(format!("an entry of `{list}` has no field `{extra}`"));
            }
            let f = Fields::of(after, e);
            if list == "buildings" {
                if f.str("name").is_none_or(|n| n.trim().is_empty()) {
                    return bad("a building has a name".into());
                }
                let grid = f.str("grid").unwrap_or_default();
                if let Some(grids) = w.ctx.grids
                    && !grids.is_empty()
                    && !grids.contains(&grid)
                {
                    return Err((
                        RefusalCode::UnknownGrid,
                        format!("the community has no grid `{grid}`"),
                    ));
                }
            } else if f
                .str("type")
                .and_then(|t| LandmarkKind::parse(&t))
                .is_none()
            {
                return bad("a landmark is a gate, a road or green".into());
            }
            if let Some(pts) = get_obj(after, e, "pts", ObjType::List) {
                let n = after.length(&pts);
                let ints = after
                    .list_range(&pts, ..)
                    .filter(|i| {
                        matches!(
                            i.value,
                            automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(v))
                                if v.abs() <= 100_000
                        )
                    })
                    .count();
                if ints != n || n % 2 != 0 {
                    return bad("`pts` holds pairs of whole metres".into());
                }
            } else {
                return bad("an entry of the plan has its points".into());
            }
        }
    }
    Ok(())
}
