//! The case library 案例库: documented Chinese community cases shipped in the app
//! (`linli_shared::cases`), searchable on Chinese text and filterable by problem, and, for
//! staff and grid workers, the cases matched to this community's open requests and weak
//! indicators, each with why it matches (`library`); one case with its place, years, what
//! was done, results as reported and its sources (`case`). It is data in the wasm: it works
//! offline. Beside it, the community's own cases (documents of kind `local_case`, written by
//! staff or imported from a file another community shared), matched the same way (`own`).

pub mod case;
pub mod library;
pub mod own;

use leptos::prelude::*;
use linli_shared::cases::matching::{self, Match, Need, OpenRequest, OwnMatch, RULES, Reading};
use linli_shared::domain::Summary;
use linli_shared::domain::local_case::LocalCase;
use linli_shared::ids::DocumentId;
use linli_shared::indicators::{Period, Scope};
use linli_shared::policy::Role;

pub use case::CasePage;
pub use library::CasesPage;
pub use own::CaseForm;

use crate::data;
use crate::i18n::Lang;
use crate::state::App;

/// The period the indicators are read over (against the one before it).
const DAYS: i64 = 90;

/// Whether this person sees the cases matched to the community (staff and grid workers).
pub fn sees_matches(app: &App) -> bool {
    crate::pages::indicators::sees_all(app)
}

/// The indicators matching reads, this period and the one before, for the community.
fn readings(app: &App, now: i64) -> Vec<Reading> {
    let index = crate::pages::indicators::index(app, &Scope::Community);
    let period = Period::last_days(now, DAYS);
    let mut ids: Vec<u8> = RULES.iter().map(|(id, _, _)| *id).collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| Reading {
            id,
            now: index.value(id, period),
            before: index.value(id, period.previous()),
        })
        .collect()
}

/// This community's needs: its open requests this phone holds and its indicators (empty for
/// those who do not see matches).
fn needs(app: &App) -> Vec<Need> {
    if !sees_matches(app) {
        return Vec::new();
    }
    let now = app.now();
    let open = data::requests_where(app, now, |r| r.status().is_open());
    let requests: Vec<OpenRequest<'_>> = open
        .iter()
        .map(|i| OpenRequest {
            category: &i.req.category,
            title: &i.req.title,
            description: &i.req.description,
        })
        .collect();
    matching::needs(&requests, &readings(app, now))
}

/// The library's cases matched to the open requests this phone holds and the community's
/// indicators, best first (empty for those who do not see matches).
pub fn matched(app: &App) -> Vec<Match> {
    matching::rank(&needs(app))
}

/// The community's own cases this phone holds, newest first.
pub fn own_cases(app: &App) -> Vec<(DocumentId, LocalCase)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::LocalCase(c) => Some((*id, c.clone())),
        _ => None,
    });
    v.sort_by(|a, b| b.1.created_at.cmp(&a.1.created_at).then(a.0.cmp(&b.0)));
    v
}

/// A case matched to this community: from the library or its own.
#[derive(Clone, PartialEq)]
pub enum Pick {
    Library(Match),
    Own(DocumentId, LocalCase, OwnMatch),
}

impl Pick {
    pub fn score(&self) -> u32 {
        match self {
            Pick::Library(m) => m.score,
            Pick::Own(_, _, m) => m.score,
        }
    }

    pub fn explain(&self, zh: bool) -> String {
        match self {
            Pick::Library(m) => m.explain(zh),
            Pick::Own(_, _, m) => m.explain(zh),
        }
    }
}

/// Every case matched to this community, the library's and its own, best first (its own
/// first on a tie: what worked here is the nearest example).
pub fn matched_all(app: &App) -> Vec<Pick> {
    let needs = needs(app);
    if needs.is_empty() {
        return Vec::new();
    }
    let own = own_cases(app);
    let tagged: Vec<(String, Vec<linli_shared::cases::Tag>)> = own
        .iter()
        .map(|(id, c)| (id.to_string(), c.tags()))
        .collect();
    let mut out: Vec<Pick> = matching::rank_own(&needs, &tagged)
        .into_iter()
        .filter_map(|m| {
            let (id, c) = own.iter().find(|(id, _)| id.to_string() == m.id)?;
            Some(Pick::Own(*id, c.clone(), m))
        })
        .collect();
    out.extend(matching::rank(&needs).into_iter().map(Pick::Library));
    // A stable sort keeps its own before the library's on a tie.
    out.sort_by_key(|p| std::cmp::Reverse(p.score()));
    out
}

/// Whether this person writes the community's own cases (staff).
pub fn writes_cases(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

impl Lang {
    pub fn zh(self) -> bool {
        self == Lang::Zh
    }
}
