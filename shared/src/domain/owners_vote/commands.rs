//! What people do to a vote and to a flat's sheet, as data.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::model::{
    RollEntry, VoteDraft, cast, close_sheet, close_vote, create_sheet, create_vote,
};
use crate::domain::ModelError;
use crate::domain::talks::vote::{Choice, Outcome};
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum VoteCommand {
    /// Staff start a vote over a roll (into an empty document).
    Create {
        draft: VoteDraft,
        roll: Vec<RollEntry>,
    },
    /// Staff close the vote and publish its result.
    Close { result: Outcome },
}

impl VoteCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            VoteCommand::Create { draft, roll } => create_vote(doc, draft, roll, now),
            VoteCommand::Close { result } => close_vote(doc, result, now),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum SheetCommand {
    /// Staff create a flat's sheet for a vote (into an empty document).
    Create {
        vote: String,
        entry: RollEntry,
        opens_at: Millis,
        closes_at: Millis,
    },
    /// An owner casts on their phone (`paper: false`), or a collector enters a paper ballot.
    Cast {
        by: String,
        #[serde(default)]
        by_name: String,
        choice: Choice,
        paper: bool,
    },
    /// Staff close the sheet with its vote.
    Close,
}

impl SheetCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            SheetCommand::Create {
                vote,
                entry,
                opens_at,
                closes_at,
            } => create_sheet(doc, vote, entry, *opens_at, *closes_at, now),
            SheetCommand::Cast {
                by,
                by_name,
                choice,
                paper,
            } => cast(doc, by, by_name, *choice, *paper, now),
            SheetCommand::Close => close_sheet(doc, now),
        }
    }
}
