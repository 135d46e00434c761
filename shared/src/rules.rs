//! Write rules: what a change may do to a document, given who sent it. The relay runs
//! [`check_changes`] on every batch of incoming changes before storing or forwarding them.

use automerge::{Automerge, Change, ChangeHash};

use crate::model::{DocKind, Scope};
use crate::policy::Principal;

/// Why a change was refused. `code` is stable (the app maps it to a message in both
/// languages); `detail` is for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub detail: String,
    pub changes: Vec<ChangeHash>,
}

impl Refusal {
    pub fn new(code: &'static str, detail: impl Into<String>, changes: &[Change]) -> Self {
        Self {
            code,
            detail: detail.into(),
            changes: changes.iter().map(Change::hash).collect(),
        }
    }

    pub fn malformed(detail: String) -> Self {
        Self {
            code: "malformed",
            detail,
            changes: Vec::new(),
        }
    }
}

/// Checks a batch of new changes: `before` is the document as the relay held it, `after` the
/// trial copy with the changes applied.
pub fn check_changes(
    principal: &Principal,
    before: &Automerge,
    after: &Automerge,
    changes: &[Change],
) -> Result<(), Refusal> {
    if changes.is_empty() {
        return Ok(());
    }
    let old = Scope::read(before);
    let new = Scope::read(after);
    let Some(kind) = new.kind else {
        return Err(Refusal::new(
            "no_kind",
            "a document must say what kind it is",
            changes,
        ));
    };
    if old.kind.is_some() && old.kind != new.kind {
        return Err(Refusal::new(
            "kind_changed",
            "a document's kind cannot change",
            changes,
        ));
    }
    if kind == DocKind::Request
        && (new.grid.is_none() || new.household.is_none() || new.subject.is_none())
    {
        return Err(Refusal::new(
            "scope_missing",
            "a request needs a grid, a household and a subject",
            changes,
        ));
    }
    // The writer must be able to read what they wrote: nobody creates documents they could
    // not see, and nobody moves a document out of their own sight.
    if !principal.may_read(&new) {
        return Err(Refusal::new(
            "not_allowed",
            format!(
                "{} may not write this {}",
                principal.role.as_str(),
                kind.as_str()
            ),
            changes,
        ));
    }
    Ok(())
}
