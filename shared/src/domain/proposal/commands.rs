//! What a person does to a proposal, as data.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::{NewUpdate, ProposalDraft, Proposer, add_update, close_project, propose, support};
use crate::domain::ModelError;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ProposalCommand {
    /// A new proposal to the call `call`.
    Propose {
        call: String,
        draft: ProposalDraft,
        who: Proposer,
    },
    /// `person` supports (+1) it, or stops.
    Support { person: String, on: bool },
    /// A progress update of the funded project.
    Update {
        by: String,
        by_name: String,
        update: NewUpdate,
    },
    /// The closing report.
    Close {
        by: String,
        by_name: String,
        text: String,
    },
}

impl ProposalCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            ProposalCommand::Propose { call, draft, who } => propose(doc, call, draft, who, now),
            ProposalCommand::Support { person, on } => support(doc, person, *on, now),
            ProposalCommand::Update {
                by,
                by_name,
                update,
            } => add_update(doc, by, by_name, update, now),
            ProposalCommand::Close { by, by_name, text } => {
                close_project(doc, by, by_name, text, now)
            }
        }
    }
}
