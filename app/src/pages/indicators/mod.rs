//! The indicators dashboard 指标: the 30 key indicators and the activity index 社区活跃度,
//! computed on the phone from the summaries it holds (`linli_shared::indicators`), for a
//! period and a scope picked here; every figure opens the records it was counted from
//! (`records`), and its charts are SVG drawn in Rust with a table beside them (`chart`).
//!
//! What a person sees follows their role: staff the community and each grid (and the grids
//! side by side), grid workers their grids, residents and volunteers the small public set for
//! the community. The index is built in slices of about 8 ms between which the browser paints
//! and handles input (on staff's and grid workers' phones in the background once the stored
//! documents are read), and kept per scope when the summaries change, so the last figures show
//! at once while newer ones are worked out; the cards are computed one at a time and kept per
//! (scope, period, version), so coming back to the dashboard costs nothing.

pub mod chart;
pub mod dashboard;
pub mod records;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::ids::DocumentId;
use linli_shared::indicators::{Builder, Card, Def, Index, Period, Scope, TABLE, Value};
use linli_shared::policy::Role;
use linli_shared::time::{
    DAY, LocalDateTime, civil_from_days, days_from_civil, shanghai_day, shanghai_day_start,
};
use wasm_bindgen::JsCast;

pub use dashboard::IndicatorsPage;
pub use records::RecordsPage;

use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Route};

/// The period picked on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodSel {
    /// The last `n` days, today included.
    Last(i64),
    Month,
    Quarter,
    Year,
    /// Shanghai days, both included.
    Custom(i64, i64),
}

impl PeriodSel {
    pub const CHOICES: [PeriodSel; 7] = [
        PeriodSel::Last(7),
        PeriodSel::Last(30),
        PeriodSel::Last(90),
        PeriodSel::Month,
        PeriodSel::Quarter,
        PeriodSel::Year,
        PeriodSel::Last(365),
    ];

    /// The `<option>` value.
    pub fn key(self) -> String {
        match self {
            PeriodSel::Last(n) => n.to_string(),
            PeriodSel::Month => "month".into(),
            PeriodSel::Quarter => "quarter".into(),
            PeriodSel::Year => "year".into(),
            PeriodSel::Custom(a, b) => format!("{}~{}", day_text(a), day_text(b)),
        }
    }

    pub fn from_key(s: &str) -> Option<PeriodSel> {
        match s {
            "month" => Some(PeriodSel::Month),
            "quarter" => Some(PeriodSel::Quarter),
            "year" => Some(PeriodSel::Year),
            _ => {
                if let Some((a, b)) = s.split_once('~') {
                    let (a, b) = (parse_day(a)?, parse_day(b)?);
                    return (a <= b).then_some(PeriodSel::Custom(a, b));
                }
                s.parse::<i64>()
                    .ok()
                    .filter(|n| [7, 30, 90, 365].contains(n))
                    .map(PeriodSel::Last)
            }
        }
    }

    pub fn name(self, l: Lang) -> String {
        match (self, l) {
            (PeriodSel::Last(n), Lang::Zh) => format!("近{n}天"),
            (PeriodSel::Last(n), Lang::En) => format!("Last {n} days"),
            (PeriodSel::Month, _) => l.t("本月", "This month").into(),
            (PeriodSel::Quarter, _) => l.t("本季度", "This quarter").into(),
            (PeriodSel::Year, _) => l.t("今年", "This year").into(),
            (PeriodSel::Custom(a, b), _) => format!("{} – {}", day_text(a), day_text(b)),
        }
    }

    /// The period at `now`; a calendar month, quarter or year runs up to today.
    pub fn period(self, now: i64) -> Period {
        let today = shanghai_day(now);
        let tomorrow = shanghai_day_start(today + 1);
        let (y, m, _) = civil_from_days(today);
        let from_month = |y: i32, m: u32| shanghai_day_start(days_from_civil(y, m, 1));
        match self {
            PeriodSel::Last(n) => Period::last_days(now, n),
            PeriodSel::Month => Period::new(from_month(y, m), tomorrow),
            PeriodSel::Quarter => Period::new(from_month(y, (m - 1) / 3 * 3 + 1), tomorrow),
            PeriodSel::Year => Period::new(from_month(y, 1), tomorrow),
            PeriodSel::Custom(a, b) => {
                Period::new(shanghai_day_start(a), shanghai_day_start(b + 1))
            }
        }
    }
}

/// `YYYY-MM-DD` of a Shanghai day.
pub fn day_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A Shanghai day from `YYYY-MM-DD` (a date that exists).
pub fn parse_day(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || !(1900..=2200).contains(&y) {
        return None;
    }
    let day = days_from_civil(y, m, d);
    (civil_from_days(day) == (y, m, d)).then_some(day)
}

/// What the dashboard shows: the period and the scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sel {
    pub period: PeriodSel,
    pub scope: Scope,
}

impl Default for Sel {
    fn default() -> Self {
        Sel {
            period: PeriodSel::Last(30),
            scope: Scope::Community,
        }
    }
}

const LS_SEL: &str = "linli.indicators";

/// The selection this phone last made (kept, so a figure's records and a return to the
/// dashboard show the same period and scope), fitted to what this person may see.
pub fn selection(app: &App) -> Sel {
    let saved = platform::ls_get(LS_SEL).and_then(|s| {
        let (p, scope) = s.split_once('|')?;
        Some(Sel {
            period: PeriodSel::from_key(p)?,
            scope: if scope.is_empty() {
                Scope::Community
            } else {
                Scope::Grid(scope.to_string())
            },
        })
    });
    let mut sel = saved.unwrap_or_default();
    let scopes = scopes(app);
    if !scopes.contains(&sel.scope) {
        sel.scope = scopes.first().cloned().unwrap_or(Scope::Community);
    }
    sel
}

pub fn remember(sel: &Sel) {
    let scope = match &sel.scope {
        Scope::Community => "",
        Scope::Grid(g) => g.as_str(),
    };
    platform::ls_set(LS_SEL, &format!("{}|{scope}", sel.period.key()));
}

fn role(app: &App) -> Role {
    app.session
        .with_untracked(|s| s.as_ref().map(|s| s.role))
        .unwrap_or(Role::Resident)
}

/// Staff and grid workers see all 30; residents and volunteers the public set.
pub fn sees_all(app: &App) -> bool {
    matches!(role(app), Role::Staff | Role::GridWorker)
}

/// The scopes this person may pick: staff the community and every grid, a grid worker
/// their grids, everyone else the community.
pub fn scopes(app: &App) -> Vec<Scope> {
    match role(app) {
        Role::Staff => std::iter::once(Scope::Community)
            .chain(
                untrack(|| crate::pages::grid::my_grids(app))
                    .into_iter()
                    .map(Scope::Grid),
            )
            .collect(),
        Role::GridWorker => {
            let grids = app
                .session
                .with_untracked(|s| s.as_ref().map(|s| s.grids.clone()))
                .unwrap_or_default();
            if grids.is_empty() {
                vec![Scope::Community]
            } else {
                grids.into_iter().map(Scope::Grid).collect()
            }
        }
        _ => vec![Scope::Community],
    }
}

pub fn scope_name(l: Lang, s: &Scope) -> String {
    match s {
        Scope::Community => l.t("全社区", "Whole community").into(),
        Scope::Grid(g) => l.grid_name(g),
    }
}

/// The indicators this person sees, in the table's order.
pub fn visible(app: &App) -> Vec<&'static Def> {
    let all = sees_all(app);
    TABLE.iter().filter(|d| all || d.public).collect()
}

/// An index of one scope, with the summaries' version and the day it was built for.
struct Slot {
    version: u64,
    day: i64,
    index: Rc<Index>,
}

/// What is kept between visits: the latest index of each scope (kept when the summaries
/// change, so a figure can show at once while a newer index is built), the scopes being built
/// now, and the cards computed from each index, per (scope, period, version).
#[derive(Default)]
struct Cache {
    slots: HashMap<Scope, Slot>,
    building: HashSet<Scope>,
    cards: HashMap<(Scope, Period, u64), Rc<Vec<Card>>>,
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// How long a slice of work runs before the browser gets the thread back.
const SLICE_MS: f64 = 8.0;
/// Summaries taken between two looks at the clock.
const ADDS: usize = 64;
/// Units of the index's finishing (`Finishing::step`) between two looks at the clock: a unit
/// is about a document, or a sort of at most 8,192 facts.
const UNITS: usize = 8;

/// A kept index.
#[derive(Clone)]
pub struct Kept {
    pub index: Rc<Index>,
    /// The summaries' version it was built from.
    pub version: u64,
    /// Whether that is the version this phone holds now (and it was built today).
    pub fresh: bool,
}

/// The latest index of `scope`.
pub fn current(app: &App, scope: &Scope) -> Option<Kept> {
    let version = app.version.get_untracked();
    let day = shanghai_day(app.now());
    CACHE.with_borrow(|c| {
        c.slots.get(scope).map(|s| Kept {
            index: s.index.clone(),
            version: s.version,
            fresh: s.version == version && s.day == day,
        })
    })
}

/// The index of `scope` for the summaries this phone holds now, built here and now when it
/// is missing or older (for pages that need it at once; the dashboard uses [`latest`]).
pub fn index(app: &App, scope: &Scope) -> Rc<Index> {
    if let Some(k) = current(app, scope).filter(|k| k.fresh) {
        return k.index;
    }
    let (version, now) = begin(app);
    let mut b = Builder::new(scope.clone(), now);
    untrack(|| {
        app.each_summary(|id, s| {
            b.add(id, s);
            None::<()>
        })
    });
    let index = Rc::new(b.finish());
    built(scope, version, now, index.clone());
    index
}

/// The summaries' version and the time a build starts from (and its `performance` mark).
fn begin(app: &App) -> (u64, i64) {
    perf("mark", &["linli:indicators:build:start"]);
    (app.version.get_untracked(), app.now())
}

/// Measures a build that began at [`begin`] and keeps its index.
fn built(scope: &Scope, version: u64, now: i64, index: Rc<Index>) {
    measure("linli:indicators:build");
    let day = shanghai_day(now);
    CACHE.with_borrow_mut(|c| {
        // A build that began before another finished later than it: the newer one stays.
        if c.slots
            .get(scope)
            .is_some_and(|s| s.day == day && s.version > version)
        {
            return;
        }
        // Cards of an index that is no longer kept go with it.
        c.cards.retain(|(s, _, v), _| s != scope || *v == version);
        c.slots.insert(
            scope.clone(),
            Slot {
                version,
                day,
                index,
            },
        );
    });
}

/// An index of `scope` without holding the thread: the kept one when it is of the current
/// summaries (or any kept one when `fresh` is false), else one built in slices of about
/// [`SLICE_MS`] between which the browser paints and handles input. When another task is
/// building it already, waits for that one.
pub async fn latest(app: App, scope: Scope, fresh: bool) -> Kept {
    loop {
        if let Some(k) = current(&app, &scope).filter(|k| k.fresh || !fresh) {
            return k;
        }
        if !CACHE.with_borrow(|c| c.building.contains(&scope)) {
            return build(app, scope).await;
        }
        platform::sleep_ms(25).await;
    }
}

/// Builds the index of `scope` in slices (see [`latest`]) and keeps it.
async fn build(app: App, scope: Scope) -> Kept {
    CACHE.with_borrow_mut(|c| c.building.insert(scope.clone()));
    let (version, now) = begin(&app);
    let ids: Vec<DocumentId> = untrack(|| app.each_summary(|id, _| Some(*id)));
    let mut b = Builder::new(scope.clone(), now);
    let mut slices = platform::Slices::new(SLICE_MS);
    for chunk in ids.chunks(ADDS) {
        untrack(|| {
            for id in chunk {
                app.summary(id, |s| b.add(id, s));
            }
        });
        slices.pause().await;
    }
    let mut f = b.finishing();
    while !f.step(UNITS) {
        slices.pause().await;
    }
    let index = Rc::new(f.index());
    built(&scope, version, now, index.clone());
    CACHE.with_borrow_mut(|c| c.building.remove(&scope));
    Kept {
        fresh: app.version.get_untracked() == version,
        index,
        version,
    }
}

/// Builds the index of the scope this person sees first once the phone has read its stored
/// documents, in slices in the background, so the dashboard's first figures show at once.
/// Once per session; later changes are taken in when a page asks for the index.
pub fn warm(app: App) {
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        app.version.track();
        if done.get_value() || !app.ready.get_untracked() || !app.loaded() || !sees_all(&app) {
            return;
        }
        done.set_value(true);
        let scope = selection(&app).scope;
        leptos::task::spawn_local(async move {
            // After the first screen and the reading of the stored documents have settled.
            platform::sleep_ms(1_000).await;
            if current(&app, &scope).is_none() {
                latest(app, scope, true).await;
            }
        });
    });
}

pub fn cached_cards(scope: &Scope, period: Period, version: u64) -> Option<Rc<Vec<Card>>> {
    CACHE.with_borrow(|c| c.cards.get(&(scope.clone(), period, version)).cloned())
}

pub fn keep_cards(scope: &Scope, period: Period, version: u64, cards: Vec<Card>) {
    CACHE.with_borrow_mut(|c| {
        c.cards
            .insert((scope.clone(), period, version), Rc::new(cards))
    });
}

/// `performance.measure(name, { start, duration })`: a span of `ms` milliseconds of work
/// (added up over pieces) counted from the mark `from`.
pub fn measure_span(name: &str, from: &str, ms: f64) {
    let window = platform::window();
    let Ok(p) = js_sys::Reflect::get(&window, &"performance".into()) else {
        return;
    };
    let Ok(f) = js_sys::Reflect::get(&p, &"measure".into()) else {
        return;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return;
    };
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"start".into(), &from.into());
    let _ = js_sys::Reflect::set(&o, &"duration".into(), &ms.into());
    let _ = f.call2(&p, &name.into(), &o);
}

/// `performance.measure(name)` from `name:start` to a mark made now.
pub fn measure(name: &str) {
    let end = format!("{name}:end");
    perf("mark", &[&end]);
    perf("measure", &[name, &format!("{name}:start"), &end]);
}

/// `performance.mark` / `performance.measure` with these arguments (nothing if absent).
pub fn perf(method: &str, args: &[&str]) {
    let window = platform::window();
    let Ok(p) = js_sys::Reflect::get(&window, &"performance".into()) else {
        return;
    };
    let Ok(f) = js_sys::Reflect::get(&p, &method.into()) else {
        return;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return;
    };
    let a = js_sys::Array::new();
    for x in args {
        a.push(&(*x).into());
    }
    let _ = f.apply(&p, &a);
}

/// A document counted in a figure: its title or name, its date, and the page it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: DocumentId,
    pub title: String,
    pub date: Option<i64>,
    pub route: Option<Route>,
    pub kind: &'static str,
}

/// Looks a document's summary up and says what to show of it.
pub fn record(app: &App, id: DocumentId, l: Lang) -> Record {
    let found = app.summary(&id, |s| describe(id, s, l)).flatten();
    found.unwrap_or(Record {
        id,
        title: l
            .t("（本机没有这份记录）", "(not on this phone)")
            .to_string(),
        date: None,
        route: None,
        kind: "missing",
    })
}

fn describe(id: DocumentId, s: &Summary, l: Lang) -> Option<Record> {
    let r = |title: String, date: Option<i64>, route: Option<Route>, kind: &'static str| {
        Some(Record {
            id,
            title,
            date,
            route,
            kind,
        })
    };
    match s {
        Summary::Request(r0) => r(
            r0.request.title.clone(),
            Some(r0.request.filed_at),
            Some(Route::Request(id)),
            "request",
        ),
        Summary::Talk(t) => r(
            format!(
                "{} {} {}",
                l.t("四方会谈", "Four-party talk"),
                t.talk.date,
                t.talk.time
            ),
            None,
            Some(Route::Talk(id)),
            "talk",
        ),
        Summary::Event(e) => r(
            e.title.clone(),
            Some(e.starts_at),
            Some(Route::Event(id)),
            "event",
        ),
        Summary::Proposal(p) => r(
            p.proposal.draft.title.clone(),
            Some(p.proposal.at),
            Some(Route::Proposal(id)),
            "proposal",
        ),
        Summary::Group(g) => r(
            g.group.name.clone(),
            g.last_activity,
            Some(Route::Group(id)),
            "group",
        ),
        Summary::Works(w) => r(
            w.title.clone(),
            Some(w.created_at),
            Some(Route::Work(id)),
            "works",
        ),
        Summary::Volunteer(v) => r(
            v.name.clone(),
            Some(v.created_at),
            Some(Route::Volunteer(id)),
            "volunteer",
        ),
        Summary::Person(p) => r(
            p.person.name.clone(),
            None,
            Some(Route::Person(p.person.id.clone())),
            "person",
        ),
        Summary::Patrols(log) => r(
            format!(
                "{} {} · {}",
                l.grid_name(&log.grid),
                l.t("巡查记录", "patrol log"),
                log.month
            ),
            None,
            Some(Route::Grid(log.grid.clone())),
            "patrols",
        ),
        Summary::Sorting(log) => r(
            format!(
                "{} {} · {}",
                l.grid_name(&log.grid),
                l.t("垃圾分类督导", "sorting log"),
                log.month
            ),
            None,
            Some(Route::Sorting(log.grid.clone())),
            "sorting",
        ),
        Summary::Fund(_) => r(
            l.t("社区基金台账", "The fund's ledger").into(),
            None,
            Some(Route::Fund),
            "fund",
        ),
        Summary::GrantCall(c) => r(
            c.call.title.clone(),
            Some(c.call.deadline),
            Some(Route::Grants),
            "grant_call",
        ),
        Summary::VoteSheet(s) => r(
            format!("{} {}", l.t("表决票", "Ballot sheet"), s.sheet.flat),
            None,
            DocumentId::parse(&s.sheet.vote).ok().map(Route::Vote),
            "vote_sheet",
        ),
        Summary::Grid(g) => r(
            l.grid_name(&g.grid),
            None,
            Some(Route::Grid(g.grid.clone())),
            "grid",
        ),
        _ => r(id.to_string(), None, None, "other"),
    }
}

/// `2026-11-26`.
pub fn date_text(at: i64) -> String {
    let d = LocalDateTime::shanghai(at);
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// The period in words: "2026-11-07 – 2026-12-06".
pub fn period_text(p: Period) -> String {
    format!(
        "{} – {}",
        date_text(p.from),
        date_text((p.to - 1).max(p.from))
    )
}

/// Whether moving from `prev` to `now` is for the better: `Some(true)` better, `Some(false)`
/// worse, `None` unchanged or not comparable.
pub fn change(def: &Def, prev: Value, now: Value) -> (Option<f64>, Option<bool>) {
    let (Some(a), Some(b)) = (prev.number(), now.number()) else {
        return (None, None);
    };
    let d = b - a;
    if d.abs() < 1e-9 {
        return (Some(0.0), None);
    }
    let higher = def.better == linli_shared::indicators::Better::Higher;
    (Some(d), Some((d > 0.0) == higher))
}

/// The first day of the `weeks` in days, for a table's row.
pub fn week_label(p: Period) -> String {
    let d = LocalDateTime::shanghai(p.from);
    format!("{:02}-{:02}", d.month, d.day)
}

/// Days of a period (for "the last N days" texts).
pub fn days(p: Period) -> i64 {
    (p.to - p.from + DAY - 1) / DAY
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_shared::time::shanghai_midnight;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn periods_run_up_to_today_and_keys_round_trip() {
        let now = shanghai_midnight(2026, 12, 6) + 10 * linli_shared::time::HOUR;
        let q = PeriodSel::Quarter.period(now);
        assert_eq!(q.from, shanghai_midnight(2026, 10, 1));
        assert_eq!(q.to, shanghai_midnight(2026, 12, 7));
        assert_eq!(days(PeriodSel::Last(30).period(now)), 30);
        for p in PeriodSel::CHOICES {
            assert_eq!(PeriodSel::from_key(&p.key()), Some(p));
        }
        let c = PeriodSel::Custom(
            parse_day("2026-11-01").unwrap(),
            parse_day("2026-11-30").unwrap(),
        );
        assert_eq!(PeriodSel::from_key(&c.key()), Some(c));
        assert_eq!(days(c.period(now)), 30);
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn dates_that_do_not_exist_are_refused() {
        assert!(parse_day("2026-02-30").is_none());
        assert!(parse_day("2026-13-01").is_none());
        assert!(parse_day("").is_none());
        assert!(PeriodSel::from_key("2026-12-01~2026-11-01").is_none());
    }
}
