//! What a person does on a grid's board, as data: follow (+1) a request, or stop.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::set_follow;
use crate::domain::ModelError;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum BoardCommand {
    /// `person` follows (or stops following) the entry `key`.
    Follow {
        key: String,
        person: String,
        on: bool,
    },
}

impl BoardCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            BoardCommand::Follow { key, person, on } => set_follow(doc, key, person, *on, now),
        }
    }
}
