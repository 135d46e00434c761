//! What a person does to a request, as data: the page sends a command, the device's document
//! store applies it (with its clock) and saves it. Serialisable, so it can cross from the page
//! to wherever the documents live.

use automerge::Automerge;
use serde::{Deserialize, Serialize};

use super::{EventKind, Filing, RequestDraft, append_event_with_photos, file_request_from};
use crate::domain::ModelError;
use crate::time::Millis;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RequestCommand {
    /// Files a new request into an empty document, signed with the filer's name.
    File {
        draft: RequestDraft,
        filing: Filing,
        name: String,
        /// Where it came from (a patrol's finding), if not from a person's own form.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        source: String,
    },
    /// Appends a history entry (an answer, a status, a detail, a rating…) in `by`'s name.
    AddEvent {
        by: String,
        by_name: String,
        kind: EventKind,
        #[serde(default)]
        photos: Vec<String>,
    },
}

impl RequestCommand {
    pub fn apply(&self, doc: &mut Automerge, now: Millis) -> Result<(), ModelError> {
        match self {
            RequestCommand::File {
                draft,
                filing,
                name,
                source,
            } => file_request_from(doc, draft, filing, name, source, now),
            RequestCommand::AddEvent {
                by,
                by_name,
                kind,
                photos,
            } => append_event_with_photos(doc, by, by_name, now, kind.clone(), photos),
        }
    }
}
