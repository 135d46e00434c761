//! What a person does to a call, as data.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::{CallDraft, Outcome, decide, open_call, review, set_call};
use crate::domain::ModelError;
use crate::domain::fund::Fen;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CallCommand {
    Open {
        draft: CallDraft,
    },
    Set {
        deadline: Option<Millis>,
        closed: Option<bool>,
        panel: Option<Vec<String>>,
    },
    Review {
        proposal: String,
        reviewer: String,
        by_name: String,
        scores: Vec<i64>,
        comment: String,
        revision: bool,
    },
    Decide {
        proposal: String,
        outcome: Outcome,
        amount: Fen,
        reasons: String,
        by: String,
        by_name: String,
    },
}

impl CallCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            CallCommand::Open { draft } => open_call(doc, draft, now),
            CallCommand::Set {
                deadline,
                closed,
                panel,
            } => set_call(doc, *deadline, *closed, panel.as_deref()),
            CallCommand::Review {
                proposal,
                reviewer,
                by_name,
                scores,
                comment,
                revision,
            } => review(
                doc, proposal, reviewer, by_name, scores, comment, *revision, now,
            ),
            CallCommand::Decide {
                proposal,
                outcome,
                amount,
                reasons,
                by,
                by_name,
            } => decide(doc, proposal, *outcome, *amount, reasons, by, by_name, now),
        }
    }
}
