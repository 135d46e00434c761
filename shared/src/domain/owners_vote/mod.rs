//! Owners' votes 业主表决 (Civil Code art. 278): a decision that belongs to the owners goes to a
//! vote, one ballot per flat, cast on an owner's phone or entered from a paper list by a
//! collector of the flat's grid, offline, later synced, never counted twice.
//!
//! Two kinds of document, so that what is personal stays with those who need it:
//!
//! - `owners_vote`, one per vote, read by everyone enrolled: the question, the matter, the
//!   talk decision it came from, the period, the electorate's totals (area, owners) and, once
//!   closed, the result with both ratios. Written by staff only.
//! - `vote_sheet`, one per flat and vote (scope: the flat's `household` and `grid`), read by
//!   the flat's household, the collectors of its grid (its iron triangle and grid workers) and
//!   staff: the flat, its floor area, the period, and its `ballots`, keyed `<flat>|<writer>`.
//!   Nobody else learns a flat's area or how it voted.
//!
//! The ballot that counts for a flat is the fold of its ballots ([`fold`]): an owner's own
//! phone beats a paper entry, then the later entry, then the greater writer id. The tally is
//! [`decide`](crate::domain::talks::vote::decide) over the folded ballots.

mod commands;
mod model;
mod rules;
#[cfg(test)]
mod tests;

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use crate::domain::{DocType, InputError, ModelError, Scope, Verdict, Write};
use crate::policy::Principal;
use crate::time::Millis;

pub use crate::domain::talks::vote::{Choice, Electorate, Matter, Outcome, decide};
pub use commands::{SheetCommand, VoteCommand};
pub use model::{
    Ballot, RollEntry, Sheet, Vote, VoteDraft, ballot_key, building_of, cast, close_sheet,
    close_vote, counted, create_sheet, create_vote, electorate, fold, judge, percent,
    result_consistent, roll_from_records, tally,
};

/// Limits on a vote.
pub mod limits {
    pub const QUESTION_MAX: usize = 200;
    /// A vote closes at most this many days after it is created.
    pub const PERIOD_MAX_DAYS: i64 = 90;
    /// Flats on one roll (each gets a sheet, which counts against staff's daily quota of new
    /// documents).
    pub const ROLL_MAX: usize = 2_000;
    /// The largest floor area of a flat, in hundredths of m² (10,000 m²).
    pub const AREA_MAX: i64 = 1_000_000;
    /// Ballots on one flat's sheet (its household's phones and the collectors' entries).
    pub const BALLOTS_MAX: usize = 30;
}

/// What is wrong with a vote or a ballot as typed ([`InputError::Vote`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteError {
    #[error("the vote closes before it opens")]
    ClosesBeforeOpens,
    #[error("a vote closes at most {days} days after it is created")]
    ClosesTooLate { days: i64 },
    #[error("the closing time has passed")]
    ClosesInThePast,
    #[error("no flat on the roll has a floor area on record")]
    EmptyRoll,
    #[error("at most {max} flats on a roll")]
    RollTooLarge { max: usize },
    #[error("a floor area is 0.01 to 10,000 m²")]
    BadArea,
    #[error("the vote is closed")]
    Closed,
    #[error("the vote is not open yet")]
    NotOpenYet,
}

impl From<VoteError> for InputError {
    fn from(e: VoteError) -> Self {
        InputError::Vote(e)
    }
}

impl From<VoteError> for ModelError {
    fn from(e: VoteError) -> Self {
        ModelError::Input(InputError::Vote(e))
    }
}

/// What a device keeps of a vote (stored as `{"kind":"owners_vote","vote":{…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteSummary {
    pub vote: Vote,
}

/// What a device keeps of a flat's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetSummary {
    pub sheet: Sheet,
}

/// The vote kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "owners_vote";
    type Summary = VoteSummary;
    type Command = VoteCommand;

    fn summarise(doc: &Automerge) -> Option<VoteSummary> {
        Some(VoteSummary {
            vote: Vote::read(doc).ok()?,
        })
    }

    fn apply(doc: &mut Automerge, command: &VoteCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    /// Everyone enrolled: the question, the totals and the result name no flat.
    fn may_read(_p: &Principal, _scope: &Scope) -> bool {
        true
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check_vote(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_vote_everyone(w)
    }

    fn prior(doc: &Automerge, _changes: &[automerge::Change]) -> Option<crate::domain::Prior> {
        rules::vote_prior(doc)
    }

    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["question"];

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::ID_MAX;
        Some(match field {
            "question" => limits::QUESTION_MAX,
            "matter" | "talk" | "item" => ID_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["created_at", "closed_at"];
}

/// The flat's ballot sheet kind in the registry.
pub struct SheetKind;

impl DocType for SheetKind {
    const NAME: &'static str = "vote_sheet";
    type Summary = SheetSummary;
    type Command = SheetCommand;

    fn summarise(doc: &Automerge) -> Option<SheetSummary> {
        Some(SheetSummary {
            sheet: Sheet::read(doc).ok()?,
        })
    }

    fn apply(doc: &mut Automerge, command: &SheetCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    /// The flat's household, the collectors of its grid (its team and grid workers), staff.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff()
            || p.in_household(scope.household.as_deref())
            || p.works_grid(scope.grid.as_deref())
            || p.on_team(scope.grid.as_deref())
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        if scope.household.is_none() {
            Some("a ballot sheet names its flat's household")
        } else if scope.grid.is_none() {
            Some("a ballot sheet names its flat's grid")
        } else {
            None
        }
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check_sheet(w)
    }

    fn check_everyone(w: &Write<'_>) -> Verdict {
        rules::check_sheet_everyone(w)
    }

    fn field_limit(_parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::ID_MAX;
        Some(match field {
            "flat" => crate::domain::people::FLAT_MAX,
            "vote" | "choice" => ID_MAX,
            _ => return None,
        })
    }

    const TIME_FIELDS: &'static [&'static str] = &["created_at", "closed_at", "at"];

    const NAME_FIELDS: &'static [&'static str] = &["by_name"];

    /// A flat's ballots outlive the people who cast or entered them.
    const OUTLIVES_PEOPLE: bool = true;

    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        model::anonymise_sheet(doc, person).map(|r| r.map(|()| Vec::new()))
    }
}
