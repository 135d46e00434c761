//! The case library 案例库: documented Chinese community cases shipped in the app
//! (`linli_shared::cases`), searchable on Chinese text and filterable by problem, and, for
//! staff and grid workers, the cases matched to this community's open requests and weak
//! indicators, each with why it matches (`library`); one case with its place, years, what
//! was done, results as reported and its sources (`case`). It is data in the wasm: it works
//! offline.

pub mod case;
pub mod library;

use linli_shared::cases::matching::{self, Match, OpenRequest, RULES, Reading};
use linli_shared::indicators::{Period, Scope};

pub use case::CasePage;
pub use library::CasesPage;

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

/// The cases matched to the open requests this phone holds and the community's indicators,
/// best first (empty for those who do not see matches).
pub fn matched(app: &App) -> Vec<Match> {
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
    matching::matches(&requests, &readings(app, now))
}

impl Lang {
    pub fn zh(self) -> bool {
        self == Lang::Zh
    }
}
