//! Requests 诉求: what a resident (or a volunteer for an elder) files, its three-colour
//! deadline, its history of answers and status changes, and its entry on the grid's board.

mod colour;
mod commands;
pub mod deadline;
mod events;
mod filing;
mod request;
mod rules;
mod similar;
#[cfg(test)]
mod tests;

use automerge::{Automerge, Change};
use serde::{Deserialize, Serialize};

use crate::domain::board;
use crate::domain::{DocKind, DocType, ModelError, Prior, Projection, Scope, Verdict, Write};
use crate::ids::DocumentId;
use crate::policy::Principal;
use crate::time::Millis;

pub use colour::{Colour, Status};
pub use commands::RequestCommand;
pub use events::{
    ERASED, Event, EventKind, EventType, anonymise, append_event, append_event_named,
    append_event_with_photos,
};
pub use filing::{Filing, RequestDraft, file_request, file_request_from, file_request_named};
pub use request::Request;
pub use similar::{similar_open, similarity};

/// Limits on what a person types into a request; each breach has its own message in the UI.
pub mod limits {
    pub const TITLE_MAX: usize = 60;
    pub const DESCRIPTION_MAX: usize = 2_000;
    /// An answer's, a detail's or a rating's text.
    pub const TEXT_MAX: usize = 2_000;
    pub const REASON_MAX: usize = 200;
    /// Photos per request and per answer.
    pub const PHOTOS_MAX: usize = 3;
    /// Days after resolution within which a resident may reopen.
    pub const REOPEN_DAYS: i64 = 30;

    // A new request with the longest title and description fits in one change.
    const _: () = assert!(crate::domain::limits::CHANGE_OPS_MAX > 2 * DESCRIPTION_MAX + TITLE_MAX);
}

/// What a device keeps of a request (stored as `{"kind":"request","request":{…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub request: Request,
}

/// The request kind in the registry.
pub struct Kind;

impl DocType for Kind {
    const NAME: &'static str = "request";
    type Summary = RequestSummary;
    type Command = RequestCommand;

    fn apply(doc: &mut Automerge, command: &RequestCommand, now: Millis) -> Result<(), ModelError> {
        command.apply(doc, now)
    }

    fn summarise(doc: &Automerge) -> Option<RequestSummary> {
        Some(RequestSummary {
            request: Request::read(doc).ok()?,
        })
    }

    /// The request's photos and those of its history entries.
    fn photos(doc: &Automerge) -> Vec<String> {
        Request::read(doc)
            .map(|r| {
                r.photos
                    .into_iter()
                    .chain(r.events.into_iter().flat_map(|e| e.photos))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The subject's household, volunteers the subject consented to, grid workers of its
    /// grid, and staff.
    fn may_read(p: &Principal, scope: &Scope) -> bool {
        p.is_staff()
            || p.works_grid(scope.grid.as_deref())
            || p.in_household(scope.household.as_deref())
            || p.acts_for(scope.subject.as_deref())
    }

    fn scope_missing(scope: &Scope) -> Option<&'static str> {
        (scope.grid.is_none() || scope.household.is_none() || scope.subject.is_none())
            .then_some("a request needs a grid, a household and a subject")
    }

    fn check(w: &Write<'_>) -> Verdict {
        rules::check(w)
    }

    /// The request as it was, only when a change adds a reopening (judged against when it
    /// was resolved).
    fn prior(doc: &Automerge, changes: &[Change]) -> Option<Prior> {
        rules::may_reopen(changes)
            .then(|| Request::read(doc).ok().map(Prior::new))
            .flatten()
    }

    fn field_limit(parent: Option<&str>, field: &str) -> Option<usize> {
        use crate::domain::limits::{ID_MAX, NAME_MAX};
        Some(match (parent, field) {
            (_, "title") => limits::TITLE_MAX,
            (_, "description") => limits::DESCRIPTION_MAX,
            (_, "text" | "comment") => limits::TEXT_MAX,
            (_, "reason") => limits::REASON_MAX,
            (_, "filed_by_name") => NAME_MAX,
            (Some("photos"), "*") => ID_MAX,
            (_, "category" | "colour" | "status" | "filed_by" | "to") => ID_MAX,
            _ => return None,
        })
    }

    fn list_limit(field: &str) -> Option<usize> {
        (field == "photos").then_some(limits::PHOTOS_MAX)
    }

    const TIME_FIELDS: &'static [&'static str] = &["filed_at", "at"];
    const NAME_FIELDS: &'static [&'static str] = &["filed_by_name", "by_name"];
    /// The title goes on the grid's board; the description and answers stay with those
    /// handling the request.
    const PUBLIC_TEXT_FIELDS: &'static [&'static str] = &["title"];

    fn projects(changes: &[Change]) -> bool {
        changes.iter().any(rules::may_change_board_entry)
    }

    /// The request's entry on its grid's board.
    fn projection(id: &DocumentId, doc: &Automerge, now: Millis) -> Option<Projection> {
        let req = Request::read(doc).ok()?;
        let grid = req.grid.clone();
        let key = board::board_key(id);
        Some(Projection {
            kind: DocKind::Board,
            group: grid.clone(),
            create: Box::new(move |d| board::create_board(d, &grid)),
            update: Box::new(move |d| board::update_board(d, &key, &req, now)),
            forgets: false,
        })
    }

    const OUTLIVES_PEOPLE: bool = true;

    fn anonymise(doc: &mut Automerge, person: &str) -> Option<Result<Vec<String>, ModelError>> {
        let req = Request::read(doc).ok()?;
        let named = req.subject == person
            || req.filed_by == person
            || req.events.iter().any(|e| e.by == person);
        named.then(|| anonymise(doc, person))
    }
}
