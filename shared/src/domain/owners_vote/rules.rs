//! Who may write what in a vote and in a flat's sheet (ARCHITECTURE.md, "Documents").
//!
//! A vote: staff only; for everyone, staff included, a period that closes after it opens and
//! at most 90 days after creation (by the relay's clock), nothing but the closing once it has
//! opened, nothing at all once closed, and a published result consistent with art. 278.
//!
//! A sheet: staff create it; a member of the flat's household writes their own ballot
//! (`paper: false`), a collector of the flat's grid their own paper entry (`paper: true`),
//! under the key `<flat>|<writer>`, while the vote is open by the relay's clock; the roll
//! (flat, area, household, grid, period) never changes once the vote has opened.

use automerge::{Automerge, ObjType, Prop, ROOT, ReadDoc};

use super::limits;
use super::model::{Sheet, Vote, ballot_key, read_ballot, result_consistent};
use crate::api::RefusalCode;
use crate::docutil::{Fields, get_i64, get_obj};
use crate::domain::{Prior, Verdict, Write};
use crate::time::DAY;

/// The most a vote may stay open, in milliseconds.
const PERIOD_MAX: i64 = limits::PERIOD_MAX_DAYS * DAY;

// ---- The vote.

/// What the vote's rules need of the document before the changes.
#[derive(Debug, Clone, Copy)]
pub(super) struct VotePrior {
    opens_at: Option<i64>,
    closed: bool,
}

pub(super) fn vote_prior(doc: &Automerge) -> Option<Prior> {
    Some(Prior::new(VotePrior {
        opens_at: get_i64(doc, &ROOT, "opens_at"),
        closed: get_i64(doc, &ROOT, "closed_at").is_some(),
    }))
}

pub(super) fn check_vote(w: &Write<'_>) -> Verdict {
    if w.creating {
        return Err((
            RefusalCode::NotAllowed,
            "only staff start an owners' vote".into(),
        ));
    }
    Err((
        RefusalCode::FieldNotAllowed,
        format!("a {} may not change an owners' vote", w.p.role.as_str()),
    ))
}

pub(super) fn check_vote_everyone(w: &Write<'_>) -> Verdict {
    let Ok(vote) = Vote::read(w.after) else {
        return Err((RefusalCode::Malformed, "a malformed owners' vote".into()));
    };
    if vote.closes_at <= vote.opens_at {
        return Err((RefusalCode::BadTime, "a vote closes after it opens".into()));
    }
    if vote.closes_at > vote.created_at + PERIOD_MAX
        || w.ctx
            .now
            .is_some_and(|now| w.creating && vote.closes_at > now + PERIOD_MAX)
    {
        return Err((
            RefusalCode::BadTime,
            format!(
                "a vote closes at most {} days after it is created",
                limits::PERIOD_MAX_DAYS
            ),
        ));
    }
    if vote.electorate.area <= 0 || vote.electorate.owners <= 0 {
        return Err((RefusalCode::Malformed, "a vote needs an electorate".into()));
    }
    if !w.creating {
        let prior = w.prior.and_then(|p| p.get::<VotePrior>()).copied();
        let closed = prior.is_some_and(|p| p.closed);
        let opened = match (prior.and_then(|p| p.opens_at), w.ctx.now) {
            (Some(o), Some(now)) => now >= o,
            (Some(_), None) => false,
            (None, _) => true,
        };
        for t in w.touches {
            let top = t.top().unwrap_or("?");
            if closed {
                return Err((
                    RefusalCode::VoteClosed,
                    "a closed vote does not change".into(),
                ));
            }
            if opened && !matches!(top, "closed_at" | "result") {
                return Err((
                    RefusalCode::FieldNotAllowed,
                    format!("the vote is open: `{top}` stays as it was"),
                ));
            }
        }
    }
    match (&vote.result, vote.closed_at) {
        (Some(r), Some(_)) => {
            if !result_consistent(vote.matter, vote.electorate, r) {
                return Err((
                    RefusalCode::BadBallot,
                    "a result that does not add up or misreads art. 278".into(),
                ));
            }
        }
        (None, None) => {}
        _ => {
            return Err((
                RefusalCode::Malformed,
                "a vote is closed with its result".into(),
            ));
        }
    }
    Ok(())
}

// ---- A flat's sheet.

fn path_strs(path: &[Prop]) -> Vec<&str> {
    path.iter()
        .map(|x| match x {
            Prop::Map(k) => k.as_str(),
            Prop::Seq(_) => "#",
        })
        .collect()
}

/// The ballot key an operation writes into, if it writes into a ballot.
fn ballot_touched(t: &crate::rules::Touch) -> Option<&str> {
    match (path_strs(&t.path).as_slice(), t.key.as_deref()) {
        (["ballots"], Some(k)) => Some(k),
        (["ballots", k, ..], _) => Some(k),
        _ => None,
    }
}

pub(super) fn check_sheet(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        creating,
        old,
        new,
        after,
        touches,
        ..
    } = *w;
    if creating {
        return Err((
            RefusalCode::NotAllowed,
            "only staff put a flat on a vote's roll".into(),
        ));
    }
    if old != new {
        return Err((
            RefusalCode::ScopeChange,
            "a sheet stays with its flat".into(),
        ));
    }
    let flat = Fields::of(after, &ROOT).str("flat").unwrap_or_default();
    let own = ballot_key(&flat, &p.person);
    for t in touches {
        let Some(key) = ballot_touched(t) else {
            let top = t.top().unwrap_or("?");
            return Err((
                RefusalCode::FieldNotAllowed,
                format!("a {} may not change `{top}` of a sheet", p.role.as_str()),
            ));
        };
        if key != own {
            return Err((
                RefusalCode::BadBallot,
                format!("only your own ballot `{own}` can be written, not `{key}`"),
            ));
        }
    }
    Ok(())
}

pub(super) fn check_sheet_everyone(w: &Write<'_>) -> Verdict {
    let Write {
        p,
        ctx,
        creating,
        new,
        after,
        touches,
        ..
    } = *w;
    let Ok(sheet) = Sheet::read(after) else {
        return Err((RefusalCode::Malformed, "a malformed ballot sheet".into()));
    };
    if !(1..=limits::AREA_MAX).contains(&sheet.area) || sheet.vote.is_empty() {
        return Err((
            RefusalCode::Malformed,
            "a sheet names its vote and its flat's area".into(),
        ));
    }
    if sheet.household != new.household.clone().unwrap_or_default()
        || sheet.grid != new.grid.clone().unwrap_or_default()
    {
        return Err((
            RefusalCode::Malformed,
            "a sheet's scope is its flat's".into(),
        ));
    }
    if sheet.closes_at <= sheet.opens_at
        || (creating
            && ctx
                .now
                .is_some_and(|now| sheet.closes_at > now + PERIOD_MAX))
    {
        return Err((
            RefusalCode::BadTime,
            format!(
                "a vote closes after it opens, at most {} days after it is created",
                limits::PERIOD_MAX_DAYS
            ),
        ));
    }
    let ballots = get_obj(after, &ROOT, "ballots", ObjType::Map);
    let n_ballots = ballots.as_ref().map_or(0, |b| after.length(b));
    if n_ballots > limits::BALLOTS_MAX {
        return Err((
            RefusalCode::TooLarge,
            format!("at most {} ballots for a flat", limits::BALLOTS_MAX),
        ));
    }
    let opened = ctx.now.is_some_and(|now| now >= sheet.opens_at);
    let own = ballot_key(&sheet.flat, &p.person);
    let mut written: Vec<&str> = Vec::new();
    for t in touches {
        match ballot_touched(t) {
            None => {
                let top = t.top().unwrap_or("?");
                if creating || (top == "closed_at" && t.path.is_empty()) {
                    continue;
                }
                if top == "ballots" && t.path.is_empty() && n_ballots == 0 && !opened {
                    continue;
                }
                if opened || n_ballots > 0 {
                    return Err((
                        RefusalCode::FieldNotAllowed,
                        format!("the vote has opened: the roll's `{top}` stays as it was"),
                    ));
                }
            }
            Some(key) => {
                if t.delete && t.path.len() == 1 {
                    return Err((RefusalCode::BadBallot, "a ballot is never removed".into()));
                }
                if key != own {
                    return Err((
                        RefusalCode::BadBallot,
                        format!("a ballot is written under its writer's key `{own}`"),
                    ));
                }
                if !written.contains(&key) {
                    written.push(key);
                }
            }
        }
    }
    if written.is_empty() {
        return Ok(());
    }
    if sheet.closed_at.is_some() {
        return Err((RefusalCode::VoteClosed, "the vote is closed".into()));
    }
    if let Some(now) = ctx.now
        && (now < sheet.opens_at || now > sheet.closes_at)
    {
        return Err((
            RefusalCode::VoteClosed,
            "no ballot outside the vote's period (by the relay's clock)".into(),
        ));
    }
    let Some(map) = ballots else {
        return Err((RefusalCode::BadBallot, "no ballots".into()));
    };
    for key in written {
        let Some(obj) = get_obj(after, &map, key, ObjType::Map) else {
            return Err((RefusalCode::BadBallot, "a ballot is a record".into()));
        };
        let f = Fields::of(after, &obj);
        let Some(b) = read_ballot(&f) else {
            return Err((
                RefusalCode::BadBallot,
                "a ballot says yes, no or abstain, when, by whom, and whether on paper".into(),
            ));
        };
        if after
            .keys(&obj)
            .any(|k| !matches!(k.as_str(), "choice" | "at" | "by" | "by_name" | "paper"))
        {
            return Err((RefusalCode::BadBallot, "a ballot with extra fields".into()));
        }
        if b.by != p.person {
            return Err((
                RefusalCode::BadBallot,
                format!("a ballot must be in the writer's name, not `{}`", b.by),
            ));
        }
        let owner = p.in_household(new.household.as_deref());
        if b.paper == owner {
            return Err((
                RefusalCode::BadBallot,
                if owner {
                    "an owner's own ballot is not a paper entry".into()
                } else {
                    "a collector's entry is a paper ballot".into()
                },
            ));
        }
        if b.at > sheet.closes_at {
            return Err((
                RefusalCode::VoteClosed,
                "a ballot dated after the close".into(),
            ));
        }
    }
    Ok(())
}
