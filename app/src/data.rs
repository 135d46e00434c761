//! Read models: what the views show, computed from the documents this device holds.

use leptos::prelude::*;
use linli_shared::deadline::{self, Assessment};
use linli_shared::ids::DocumentId;
use linli_shared::model::{Community, DocKind, Person, Request, doc_kind};
use linli_shared::policy::Role;

use crate::state::App;

/// A request with its deadline assessment, ready for a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: DocumentId,
    pub req: Request,
    pub due: Assessment,
}

/// The community document (grids, categories, deadline settings), once it has synced.
pub fn community(app: &App) -> Option<Community> {
    let id = app.session.with(|s| s.as_ref()?.community_doc.clone())?;
    let id = DocumentId::parse(&id).ok()?;
    app.with_doc(&id, |d| Community::read(d).ok()).flatten()
}

/// This person's own record, if this device holds it.
pub fn me(app: &App) -> Option<Person> {
    let id = app.session.with(|s| s.as_ref()?.person_doc.clone())?;
    let id = DocumentId::parse(&id).ok()?;
    app.with_doc(&id, |d| Person::read(d).ok()).flatten()
}

/// A person's name, if this device may see it; otherwise `None`.
pub fn person_name(app: &App, person: &str) -> Option<String> {
    app.each_doc(|_, d| {
        (doc_kind(d) == Some(DocKind::Person))
            .then(|| Person::read(d).ok())
            .flatten()
            .filter(|p| p.id == person)
            .map(|p| p.name)
    })
    .into_iter()
    .next()
}

/// Every request this device holds, assessed at `now`.
pub fn requests(app: &App, now: i64) -> Vec<Item> {
    let cfg = community(app).map(|c| c.deadlines).unwrap_or_default();
    app.each_doc(|id, d| {
        if doc_kind(d) != Some(DocKind::Request) {
            return None;
        }
        let req = Request::read(d).ok()?;
        let due = deadline::assess(&req, &cfg, now);
        Some(Item { id: *id, req, due })
    })
}

/// "My requests": those of my household (residents, volunteers), newest first.
pub fn mine(app: &App, now: i64) -> Vec<Item> {
    let household = app
        .session
        .with(|s| s.as_ref().and_then(|s| s.household.clone()));
    let person = app.session.with(|s| s.as_ref().map(|s| s.person.clone()));
    let mut v: Vec<Item> = requests(app, now)
        .into_iter()
        .filter(|i| {
            Some(&i.req.household) == household.as_ref() || Some(&i.req.filed_by) == person.as_ref()
        })
        .collect();
    v.sort_by_key(|i| std::cmp::Reverse(i.req.filed_at));
    v
}

/// The queue: open requests of my grids (staff: all grids), overdue first, then by deadline.
pub fn queue(app: &App, now: i64) -> Vec<Item> {
    let (role, grids) = app
        .session
        .with(|s| s.as_ref().map(|s| (s.role, s.grids.clone())))
        .unwrap_or((Role::Resident, Vec::new()));
    let mut v: Vec<Item> = requests(app, now)
        .into_iter()
        .filter(|i| i.req.status().is_open())
        .filter(|i| role == Role::Staff || grids.contains(&i.req.grid))
        .collect();
    v.sort_by(|a, b| deadline::queue_order((&a.req, &a.due), (&b.req, &b.due)));
    v
}

/// Every person record this device holds, with its document id.
pub fn people(app: &App) -> Vec<(DocumentId, Person)> {
    let mut v = app.each_doc(|id, d| {
        (doc_kind(d) == Some(DocKind::Person))
            .then(|| Person::read(d).ok())
            .flatten()
            .map(|p| (*id, p))
    });
    v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    v
}

/// The consents recorded in a person's record.
pub fn consents_of(app: &App, doc: &DocumentId) -> Vec<linli_shared::model::Consent> {
    app.with_doc(doc, linli_shared::model::consents)
        .unwrap_or_default()
}

/// For a volunteer: the elders who currently consent to their help, with their records.
pub fn elders(app: &App) -> Vec<(DocumentId, Person)> {
    let Some(me) = app.session.with(|s| s.as_ref().map(|s| s.person.clone())) else {
        return Vec::new();
    };
    people(app)
        .into_iter()
        .filter(|(id, p)| {
            p.id != me
                && consents_of(app, id)
                    .iter()
                    .any(|c| c.volunteer == me && c.active())
        })
        .collect()
}
