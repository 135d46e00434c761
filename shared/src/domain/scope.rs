//! What every document says about itself at its root: its kind, its schema version, and the
//! scope fields (`grid`, `household`, `subject`) the relay reads to decide who may hold it.

use automerge::{Automerge, ROOT};
use serde::{Deserialize, Serialize};

use crate::docutil::{Fields, get_str};
use crate::domain::{DocKind, ModelError};

/// Schema version written into every document; readers accept this and older.
pub const SCHEMA: i64 = 1;

/// The kind written at a document's root, if any.
pub fn doc_kind(doc: &Automerge) -> Option<DocKind> {
    get_str(doc, &ROOT, "kind").and_then(|k| DocKind::parse(&k))
}

/// Fails unless the document is of `kind`.
pub(crate) fn expect_kind(doc: &Automerge, kind: DocKind) -> Result<(), ModelError> {
    let found = get_str(doc, &ROOT, "kind");
    if found.as_deref() == Some(kind.as_str()) {
        Ok(())
    } else {
        Err(ModelError::WrongKind {
            expected: kind.as_str(),
            found,
        })
    }
}

/// The scope fields the relay reads from any document to decide who may hold it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub kind: Option<DocKind>,
    pub grid: Option<String>,
    pub household: Option<String>,
    pub subject: Option<String>,
    /// Who beyond the kind's own readers may hold it, when the kind uses it (a talk whose
    /// agenda is published says `residents`). Only kinds that read it give it a meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

impl Scope {
    pub fn read(doc: &Automerge) -> Self {
        let root = Fields::of(doc, &ROOT);
        Scope {
            kind: root.str("kind").and_then(|k| DocKind::parse(&k)),
            grid: root.str("grid"),
            household: root.str("household"),
            subject: root.str("subject"),
            audience: root.str("audience"),
        }
    }
}
