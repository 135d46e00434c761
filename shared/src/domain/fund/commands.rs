//! What a person does to the fund, as data: create it (staff), or add one ledger entry.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::ledger::{Entry, EntryType, Fen};
use super::{add_entry, create_fund};
use crate::domain::ModelError;
use crate::time::Millis;

/// A ledger entry as a person writes it (the document adds its id and time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntry {
    pub kind: EntryType,
    pub amount: Fen,
    pub by: String,
    #[serde(default)]
    pub by_name: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub project: String,
    #[serde(default)]
    pub line: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub leader: String,
    #[serde(default)]
    pub lines: Vec<(String, Fen)>,
    #[serde(default)]
    pub receipts: Vec<String>,
    #[serde(default)]
    pub decision: String,
}

impl NewEntry {
    pub fn new(kind: EntryType, amount: Fen, by: &str, by_name: &str) -> Self {
        NewEntry {
            kind,
            amount,
            by: by.into(),
            by_name: by_name.into(),
            note: String::new(),
            project: String::new(),
            line: String::new(),
            title: String::new(),
            leader: String::new(),
            lines: Vec::new(),
            receipts: Vec::new(),
            decision: String::new(),
        }
    }

    /// The entry as it will read once written at `now`.
    pub fn to_entry(&self, now: Millis) -> Entry {
        Entry {
            id: "new".into(),
            kind: Some(self.kind),
            amount: self.amount,
            at: now,
            by: self.by.clone(),
            by_name: self.by_name.clone(),
            note: self.note.clone(),
            project: self.project.clone(),
            line: self.line.clone(),
            title: self.title.clone(),
            leader: self.leader.clone(),
            lines: self.lines.clone(),
            receipts: self.receipts.clone(),
            decision: self.decision.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FundCommand {
    /// Creates the fund in an empty document with its starting amount (staff).
    Create {
        name: String,
        opening: Fen,
        by: String,
        #[serde(default)]
        by_name: String,
    },
    /// Appends one ledger entry.
    Add { entry: NewEntry },
}

impl FundCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            FundCommand::Create {
                name,
                opening,
                by,
                by_name,
            } => create_fund(doc, name, *opening, by, by_name, now),
            FundCommand::Add { entry } => add_entry(doc, entry, now),
        }
    }
}
