//! Filing a request: what a person types, who files it for whom, and the new document.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT};
use serde::{Deserialize, Serialize};

use super::{Colour, limits};
use crate::domain::errors::chars;
use crate::domain::{DocKind, InputError, ModelError, SCHEMA, doc_kind};
use crate::time::Millis;

/// What a person types to file a request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDraft {
    pub title: String,
    pub description: String,
    pub category: String,
    pub colour: Option<Colour>,
    pub grid: String,
    /// Photos (content hashes), at most three.
    #[serde(default)]
    pub photos: Vec<String>,
}

impl RequestDraft {
    /// Every problem with the draft at once, so the form can mark each field.
    pub fn problems(&self) -> Vec<InputError> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            out.push(InputError::TitleEmpty);
        } else if chars(title) > limits::TITLE_MAX {
            out.push(InputError::TitleTooLong {
                len: chars(title),
                max: limits::TITLE_MAX,
            });
        }
        if let Some(f) = crate::pii::find(title).first() {
            out.push(InputError::PersonalData { what: f.kind });
        }
        let dlen = chars(self.description.trim());
        if dlen > limits::DESCRIPTION_MAX {
            out.push(InputError::DescriptionTooLong {
                len: dlen,
                max: limits::DESCRIPTION_MAX,
            });
        }
        if self.category.trim().is_empty() {
            out.push(InputError::CategoryMissing);
        }
        if self.grid.trim().is_empty() {
            out.push(InputError::GridMissing);
        }
        if self.photos.len() > limits::PHOTOS_MAX {
            out.push(InputError::TooManyPhotos {
                max: limits::PHOTOS_MAX,
            });
        }
        out
    }
}

/// Who files a request, and for whom. `filed_by` differs from `subject` when a volunteer files
/// for an elder (代办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// Person id of whoever pressed "send".
    pub filed_by: String,
    /// Person id of the resident the request is about.
    pub subject: String,
    /// Household id of `subject`.
    pub household: String,
}

/// Files a request and signs it with the filer's name (see [`append_event_named`]).
pub fn file_request_named(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    filed_by_name: &str,
    now: Millis,
) -> Result<(), ModelError> {
    file(doc, draft, filing, filed_by_name, "", now)
}

/// Files a request that came from somewhere else in Linli (`source`: a patrol's finding,
/// `patrols:<log id>:<round id>:<finding>`), signed with the filer's name.
pub fn file_request_from(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    filed_by_name: &str,
    source: &str,
    now: Millis,
) -> Result<(), ModelError> {
    file(doc, draft, filing, filed_by_name, source, now)
}

/// Writes a new request into an empty document.
pub fn file_request(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    now: Millis,
) -> Result<(), ModelError> {
    file(doc, draft, filing, "", "", now)
}

fn file(
    doc: &mut Automerge,
    draft: &RequestDraft,
    filing: &Filing,
    filed_by_name: &str,
    source: &str,
    now: Millis,
) -> Result<(), ModelError> {
    if let Some(problem) = draft.problems().into_iter().next() {
        return Err(problem.into());
    }
    if doc_kind(doc).is_some() {
        return Err(ModelError::NotEmpty("request"));
    }
    let colour = draft.colour.unwrap_or(Colour::Yellow);
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "kind", DocKind::Request.as_str())?;
        tx.put(ROOT, "schema", SCHEMA)?;
        tx.put(ROOT, "title", draft.title.trim())?;
        let desc = tx.put_object(ROOT, "description", ObjType::Text)?;
        tx.splice_text(&desc, 0, 0, draft.description.trim())?;
        tx.put(ROOT, "category", draft.category.trim())?;
        tx.put(ROOT, "colour", colour.as_str())?;
        tx.put(ROOT, "grid", draft.grid.trim())?;
        tx.put(ROOT, "household", filing.household.as_str())?;
        tx.put(ROOT, "subject", filing.subject.as_str())?;
        tx.put(ROOT, "filed_by", filing.filed_by.as_str())?;
        if !filed_by_name.is_empty() {
            tx.put(ROOT, "filed_by_name", filed_by_name)?;
        }
        tx.put(ROOT, "filed_at", now)?;
        if !source.is_empty() {
            tx.put(ROOT, "source", source)?;
        }
        tx.put_object(ROOT, "events", ObjType::List)?;
        let photos = tx.put_object(ROOT, "photos", ObjType::List)?;
        for (i, h) in draft.photos.iter().enumerate() {
            tx.insert(&photos, i, h.as_str())?;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(())
}
