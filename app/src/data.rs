//! Read models: what the views show, from the summaries of the documents this device holds
//! (`state::App::summary`; kept beside each document in storage).

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::board::Board;
use linli_shared::domain::board::BoardSummary;
use linli_shared::domain::community::Community;
use linli_shared::domain::community::CommunitySummary;
use linli_shared::domain::people::PersonSummary;
use linli_shared::domain::people::{Consent, Person};
use linli_shared::domain::requests::Request;
use linli_shared::domain::requests::RequestSummary;
use linli_shared::domain::requests::deadline::{self, Assessment};
use linli_shared::ids::DocumentId;
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
    app.summary(&id, |s| match s {
        Summary::Community(CommunitySummary { community }) => Some(community.clone()),
        _ => None,
    })
    .flatten()
}

/// This person's own record, if this device holds it.
pub fn me(app: &App) -> Option<Person> {
    let id = app.session.with(|s| s.as_ref()?.person_doc.clone())?;
    let id = DocumentId::parse(&id).ok()?;
    app.summary(&id, |s| match s {
        Summary::Person(PersonSummary { person, .. }) => Some(person.clone()),
        _ => None,
    })
    .flatten()
}

/// A person's name, if this device may see it; otherwise `None`.
pub fn person_name(app: &App, person: &str) -> Option<String> {
    app.each_summary(|_, s| match s {
        Summary::Person(PersonSummary { person: p, .. }) if p.id == person => Some(p.name.clone()),
        _ => None,
    })
    .into_iter()
    .next()
}

/// Every request this device holds, assessed at `now`.
pub fn requests(app: &App, now: i64) -> Vec<Item> {
    requests_where(app, now, |_| true)
}

/// The requests that pass `keep` (checked before anything is copied: years of closed
/// requests cost nothing on the way to the few that show), assessed at `now`.
pub fn requests_where(app: &App, now: i64, keep: impl Fn(&Request) -> bool) -> Vec<Item> {
    let cfg = community(app).map(|c| c.deadlines).unwrap_or_default();
    app.each_summary(|id, s| {
        let Summary::Request(RequestSummary { request }) = s else {
            return None;
        };
        if !keep(request) {
            return None;
        }
        let due = deadline::assess(request, &cfg, now);
        Some(Item {
            id: *id,
            req: request.clone(),
            due,
        })
    })
}

/// "My requests": those of my household (residents, volunteers), newest first.
pub fn mine(app: &App, now: i64) -> Vec<Item> {
    let household = app
        .session
        .with(|s| s.as_ref().and_then(|s| s.household.clone()));
    let person = app.session.with(|s| s.as_ref().map(|s| s.person.clone()));
    let mut v = requests_where(app, now, |r| {
        Some(&r.household) == household.as_ref() || Some(&r.filed_by) == person.as_ref()
    });
    v.sort_by_key(|i| std::cmp::Reverse(i.req.filed_at));
    v
}

/// The queue: open requests of my grids (staff: all grids), overdue first, then by deadline.
pub fn queue(app: &App, now: i64) -> Vec<Item> {
    let (role, grids) = app
        .session
        .with(|s| s.as_ref().map(|s| (s.role, s.grids.clone())))
        .unwrap_or((Role::Resident, Vec::new()));
    let mut v = requests_where(app, now, |r| {
        r.status().is_open() && (role == Role::Staff || grids.contains(&r.grid))
    });
    v.sort_by(|a, b| deadline::queue_order((&a.req, &a.due), (&b.req, &b.due)));
    v
}

/// Every person record this device holds, with its document id.
pub fn people(app: &App) -> Vec<(DocumentId, Person)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Person(PersonSummary { person, .. }) => Some((*id, person.clone())),
        _ => None,
    });
    v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    v
}

/// The consents recorded in a person's record.
pub fn consents_of(app: &App, doc: &DocumentId) -> Vec<Consent> {
    app.summary(doc, |s| match s {
        Summary::Person(PersonSummary { consents, .. }) => consents.clone(),
        _ => Vec::new(),
    })
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

/// The public board of a grid, if this device holds it.
pub fn board(app: &App, grid: &str) -> Option<(DocumentId, Board)> {
    app.each_summary(|id, s| match s {
        Summary::Board(BoardSummary { board }) if board.grid == grid => Some((*id, board.clone())),
        _ => None,
    })
    .into_iter()
    .next()
}

/// How many others follow (+1) a request.
pub fn followers(app: &App, id: &DocumentId, grid: &str) -> usize {
    let key = linli_shared::domain::board::board_key(id);
    board(app, grid)
        .and_then(|(_, b)| b.entry(&key).map(|e| e.follows.len()))
        .unwrap_or(0)
}

/// Every board entry this person follows, with its grid's board id.
pub fn followed(app: &App) -> Vec<(DocumentId, linli_shared::domain::board::BoardEntry)> {
    let Some(me) = app.session.with(|s| s.as_ref().map(|s| s.person.clone())) else {
        return Vec::new();
    };
    app.each_summary(|id, s| match s {
        Summary::Board(BoardSummary { board }) => Some((*id, board.clone())),
        _ => None,
    })
    .into_iter()
    .flat_map(|(id, b)| {
        b.entries
            .into_iter()
            .filter(|e| e.follows.iter().any(|(p, _)| *p == me))
            .map(move |e| (id, e))
            .collect::<Vec<_>>()
    })
    .collect()
}

/// Something new about a request this person filed or follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub at: i64,
    pub title: String,
    pub what: NoteKind,
    /// The request, when this device holds it (followed ones are only on the board).
    pub doc: Option<DocumentId>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoteKind {
    Answered(String),
    Status(linli_shared::domain::requests::Status),
    Overdue,
}

/// What changed since `since` on this person's requests (answers, status changes, deadlines
/// passed) and on requests they follow (status changes), newest first.
pub fn notes(app: &App, since: i64, now: i64) -> Vec<Note> {
    use linli_shared::domain::requests::EventKind;
    let me = app
        .session
        .with(|s| s.as_ref().map(|s| s.person.clone()))
        .unwrap_or_default();
    let mut out = Vec::new();
    for item in mine(app, now) {
        for e in &item.req.events {
            if e.at <= since || e.by == me {
                continue;
            }
            let what = match &e.kind {
                EventKind::Answer { text, .. } => NoteKind::Answered(text.clone()),
                EventKind::Status { to } => NoteKind::Status(*to),
                _ => continue,
            };
            out.push(Note {
                at: e.at,
                title: item.req.title.clone(),
                what,
                doc: Some(item.id),
            });
        }
        let d = item.due;
        if d.due.is_overdue() && d.due_at > since {
            out.push(Note {
                at: d.due_at,
                title: item.req.title.clone(),
                what: NoteKind::Overdue,
                doc: Some(item.id),
            });
        }
    }
    for (_, entry) in followed(app) {
        let followed_at = entry
            .follows
            .iter()
            .find(|(p, _)| *p == me)
            .map_or(0, |(_, at)| *at);
        // The relay stamps each change of what the entry says.
        if entry.updated_at > since && entry.updated_at > followed_at {
            out.push(Note {
                at: entry.updated_at,
                title: entry.title.clone(),
                what: NoteKind::Status(entry.status),
                doc: None,
            });
        }
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.at));
    out
}

/// Every grid's document this device holds, by grid id.
pub fn grids(app: &App) -> Vec<(DocumentId, linli_shared::domain::grid::GridInfo)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Grid(g) => Some((*id, g.clone())),
        _ => None,
    });
    v.sort_by(|a, b| a.1.grid.cmp(&b.1.grid));
    v
}

/// One grid's document.
pub fn grid(app: &App, grid: &str) -> Option<(DocumentId, linli_shared::domain::grid::GridInfo)> {
    grids(app).into_iter().find(|(_, g)| g.grid == grid)
}

/// The grids whose team this person is on (from the grids' documents this device holds).
pub fn my_team_grids(app: &App) -> Vec<String> {
    let Some(me) = app.session.with(|s| s.as_ref().map(|s| s.person.clone())) else {
        return Vec::new();
    };
    grids(app)
        .into_iter()
        .filter(|(_, g)| g.has_member(&me))
        .map(|(_, g)| g.grid)
        .collect()
}

/// A request this phone holds.
pub fn request(app: &App, id: &DocumentId) -> Option<linli_shared::domain::requests::Request> {
    app.summary(id, |s| match s {
        Summary::Request(RequestSummary { request }) => Some(request.clone()),
        _ => None,
    })
    .flatten()
}

/// A grid's garbage-sorting logs (one per month, more when two phones opened one offline).
pub fn sorting_logs(
    app: &App,
    grid: &str,
) -> Vec<(DocumentId, linli_shared::domain::sorting::SortingLog)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Sorting(l) if l.grid == grid => Some((*id, l.clone())),
        _ => None,
    });
    v.sort_by(|a, b| a.1.month.cmp(&b.1.month));
    v
}

/// Every garbage-sorting reminder this phone holds (its household's, the visits asked of this
/// volunteer, its grids').
pub fn reminders(app: &App) -> Vec<(DocumentId, linli_shared::domain::sorting::Reminder)> {
    app.each_summary(|id, s| match s {
        Summary::Reminder(r) => Some((*id, r.clone())),
        _ => None,
    })
}

/// A grid's patrol logs (one per month, more when two phones opened one offline).
pub fn patrol_logs(
    app: &App,
    grid: &str,
) -> Vec<(DocumentId, linli_shared::domain::patrols::PatrolLog)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Patrols(l) if l.grid == grid => Some((*id, l.clone())),
        _ => None,
    });
    v.sort_by(|a, b| a.1.month.cmp(&b.1.month));
    v
}

#[cfg(test)]
mod tests {
    use linli_shared::domain::community::calendar;

    /// The first paint (app/firstpaint.js) counts working days before any wasm runs, from its
    /// own copy of the holiday table: it must be this one.
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn the_first_paint_carries_the_same_holiday_table() {
        let js = include_str!("../firstpaint.js");
        let list = |dates: Vec<String>| {
            dates
                .iter()
                .map(|d| format!("\"{d}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let holidays = format!(
            "var TABLE_HOLIDAYS = [{}];",
            list(calendar::table_holidays().collect())
        );
        let workdays = format!(
            "var TABLE_WORKDAYS = [{}];",
            list(calendar::table_workdays().collect())
        );
        assert!(js.contains(&holidays), "firstpaint.js: {holidays}");
        assert!(js.contains(&workdays), "firstpaint.js: {workdays}");
    }
}
