//! The practice roadmap 实践路径图谱: the diagnosis (the profile staff gave and what Linli
//! already knows: open requests by category and colour, weak indicators) and the plan as a
//! timeline × theme chart with its table and summary (`view`, `chart`); staff edit the profile
//! and the plan, draft it from the diagnosis and publish it (`edit`). Progress is read from the
//! linked documents and the indicators (`linli_shared::domain::roadmap::progress`), never
//! ticked. Everything is read from this phone's summaries: it works offline.

pub mod chart;
pub mod edit;
pub mod view;

use leptos::prelude::*;
use linli_shared::cases::matching::{OpenRequest, Reading};
use linli_shared::domain::Summary;
use linli_shared::domain::roadmap::Roadmap;
use linli_shared::domain::roadmap::progress::{Detail, Status, action_status};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

pub use edit::RoadmapEditPage;
pub use view::RoadmapPage;

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Route};

/// The roadmap this phone holds (the newest, if several: one per year).
pub fn roadmap(app: &App) -> Option<(DocumentId, Roadmap)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Roadmap(r) => Some((*id, r.clone())),
        _ => None,
    });
    v.sort_by(|a, b| {
        (a.1.start.as_str(), a.1.created_at).cmp(&(b.1.start.as_str(), b.1.created_at))
    });
    v.pop()
}

pub fn is_staff(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

/// The hub's line, for whoever holds a roadmap (staff always: they start one).
pub fn tile_line(app: &App, l: Lang) -> Option<String> {
    match roadmap(app) {
        Some((_, r)) => Some(match l {
            Lang::Zh => format!("{} 个阶段 · 自 {} 起", r.phases.len(), r.start),
            Lang::En => format!("{} phases · from {}", r.phases.len(), r.start),
        }),
        None if is_staff(app) => Some(l.t("从诊断生成规划", "Plan from a diagnosis").into()),
        None => None,
    }
}

/// An action's status from the linked document's summary on this phone, and the route that
/// opens that document.
pub fn status_of(
    app: &App,
    a: &linli_shared::domain::roadmap::Action,
) -> (Status, Detail, Option<Route>) {
    let id = DocumentId::parse(&a.doc).ok();
    let linked = id.and_then(|id| app.summary(&id, Clone::clone));
    let (s, d) = action_status(a, linked.as_ref(), app.now());
    let route = id.zip(linked.as_ref()).and_then(|(id, s)| match s {
        Summary::Talk(_) => Some(Route::Talk(id)),
        Summary::TalkSeries(_) => Some(Route::Talks),
        Summary::GrantCall(_) => Some(Route::Grants),
        Summary::Event(_) => Some(Route::Event(id)),
        Summary::Works(_) => Some(Route::Work(id)),
        Summary::Patrols(p) => Some(Route::Grid(p.grid.clone())),
        Summary::Sorting(l) => Some(Route::Sorting(l.grid.clone())),
        _ => None,
    });
    (s, d, route)
}

/// The status's icon (never colour alone).
pub fn icon(s: Status) -> &'static str {
    match s {
        Status::Done => "✓",
        Status::UnderWay => "◐",
        Status::Planned => "○",
        Status::NotLinked => "–",
        Status::Unknown => "?",
    }
}

/// The open requests this phone holds, as matching reads them, with their category and colour.
pub fn open_requests(app: &App) -> Vec<data::Item> {
    data::requests_where(app, app.now(), |r| r.status().is_open())
}

pub fn as_open<'a>(items: &'a [data::Item]) -> Vec<OpenRequest<'a>> {
    items
        .iter()
        .map(|i| OpenRequest {
            category: &i.req.category,
            title: &i.req.title,
            description: &i.req.description,
        })
        .collect()
}

/// The indicators the diagnosis reads (staff and grid workers; empty for others).
pub fn readings(app: &App) -> Vec<Reading> {
    if !crate::pages::indicators::sees_all(app) {
        return Vec::new();
    }
    let index = crate::pages::indicators::index(app, &linli_shared::indicators::Scope::Community);
    let period = linli_shared::indicators::Period::last_days(app.now(), 90);
    let mut ids: Vec<u8> = linli_shared::cases::matching::RULES
        .iter()
        .map(|(id, _, _)| *id)
        .chain([2, 11])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|id| Reading {
            id,
            now: index.value(id, period),
            before: index.value(id, period.previous()),
        })
        .collect()
}
