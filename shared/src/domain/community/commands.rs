//! What staff change in the community's settings, as data.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::{add_category, add_template, remove_template, set_deadline};
use crate::domain::ModelError;
use crate::domain::requests::Colour;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CommunityCommand {
    /// The answer window of a colour, in hours (1 hour to 90 days).
    SetDeadline {
        colour: Colour,
        hours: i64,
    },
    AddCategory {
        id: String,
        zh: String,
        en: String,
    },
    AddTemplate {
        text: String,
    },
    /// Removes the answer template at `index`.
    RemoveTemplate {
        index: usize,
    },
}

impl CommunityCommand {
    pub fn apply(&self, doc: &mut Automerge, _now: Millis) -> Result<(), ModelError> {
        match self {
            CommunityCommand::SetDeadline { colour, hours } => set_deadline(doc, *colour, *hours),
            CommunityCommand::AddCategory { id, zh, en } => add_category(doc, id, zh, en),
            CommunityCommand::AddTemplate { text } => add_template(doc, text),
            CommunityCommand::RemoveTemplate { index } => remove_template(doc, *index),
        }
    }
}
