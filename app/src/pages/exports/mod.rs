//! Exports 导出 (`#/exports`): every register this phone holds for the person's role, as CSV
//! built on the phone from the summaries (so it works offline), for a period (the last year
//! by default) and, for staff, a scope (the community or one grid). The files and who gets
//! which columns are `linli_shared::export`'s; this page gathers what the phone holds and
//! offers each file with its row count.

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::community::DeadlineConfig;
use linli_shared::domain::event::{Event, Roster};
use linli_shared::domain::fund::Ledger;
use linli_shared::domain::merchant::Merchant;
use linli_shared::domain::patrols::PatrolLog;
use linli_shared::domain::people::{Person, PersonSummary};
use linli_shared::domain::proposal::Proposal;
use linli_shared::domain::requests::{Request, RequestSummary};
use linli_shared::domain::sorting::SortingLog;
use linli_shared::domain::talks::{Talk, TalkSummary};
use linli_shared::domain::volunteer::Volunteer;
use linli_shared::domain::works::Work;
use linli_shared::export::{Csv, Exporter, Filter, Held, Register};
use linli_shared::ids::DocumentId;
use linli_shared::indicators::{Index, Scope};
use linli_shared::policy::Role;
use linli_shared::time::{DAY, Millis};

use crate::i18n::Lang;
use crate::state::App;

/// Who is exporting: the session's role, household and grids, and the grids whose team
/// this phone's grid documents list them on.
pub fn exporter(app: &App) -> Exporter {
    let team_grids = crate::data::my_team_grids(app);
    app.session.with(|s| match s {
        Some(s) => Exporter {
            person: s.person.clone(),
            role: Some(s.role),
            household: s.household.clone(),
            grids: s.grids.clone(),
            team_grids,
        },
        None => Exporter::default(),
    })
}

/// What this phone holds, gathered once for all the registers.
#[derive(Default)]
pub struct Holdings {
    requests: Vec<(DocumentId, Request)>,
    people: Vec<Person>,
    talks: Vec<Talk>,
    ledger: Option<Ledger>,
    proposals: Vec<(DocumentId, Proposal)>,
    events: Vec<(Event, Option<Roster>)>,
    volunteers: Vec<Volunteer>,
    patrols: Vec<PatrolLog>,
    sorting: Vec<SortingLog>,
    merchants: Vec<Merchant>,
    works: Vec<Work>,
    notes: Vec<linli_shared::domain::field_note::FieldNote>,
    trainings: Vec<linli_shared::domain::training::Training>,
    charters: Vec<linli_shared::domain::charter::Charter>,
    resources: Vec<linli_shared::domain::resource::Resource>,
    drawings: Vec<(DocumentId, linli_shared::domain::drawing::Drawing)>,
    drawing_gallery: Option<linli_shared::domain::drawing::Gallery>,
    deadlines: DeadlineConfig,
    now: Millis,
}

impl Holdings {
    pub fn of(app: &App) -> Self {
        let mut h = Holdings {
            deadlines: crate::data::community(app)
                .map(|c| c.deadlines)
                .unwrap_or_default(),
            now: app.now(),
            ledger: crate::pages::grants::fund(app).map(|(_, l)| l),
            proposals: crate::pages::grants::proposals(app),
            ..Holdings::default()
        };
        let mut rosters: Vec<Roster> = Vec::new();
        let mut events: Vec<(DocumentId, Event)> = Vec::new();
        app.each_summary(|id, s| {
            match s {
                Summary::Request(RequestSummary { request }) => {
                    h.requests.push((*id, request.clone()))
                }
                Summary::Person(PersonSummary { person, .. }) => h.people.push(person.clone()),
                Summary::Talk(TalkSummary { talk }) => h.talks.push(talk.clone()),
                Summary::Event(e) => events.push((*id, e.clone())),
                Summary::Roster(r) => rosters.push(r.clone()),
                Summary::Volunteer(v) => h.volunteers.push(v.clone()),
                Summary::Patrols(l) => h.patrols.push(l.clone()),
                Summary::Sorting(l) => h.sorting.push(l.clone()),
                Summary::Merchant(m) => h.merchants.push(m.merchant.clone()),
                Summary::Works(w) => h.works.push(w.clone()),
                Summary::FieldNote(n) => h.notes.push(n.clone()),
                Summary::Training(t) => h.trainings.push(t.clone()),
                Summary::Charter(c) => h.charters.push(c.clone()),
                Summary::Resource(r) => h.resources.push(r.clone()),
                Summary::Drawing(d) => h.drawings.push((*id, d.clone())),
                Summary::DrawingGallery(g) => h.drawing_gallery = Some(g.clone()),
                _ => {}
            }
            None::<()>
        });
        h.events = events
            .into_iter()
            .map(|(id, e)| {
                let id = id.to_string();
                let roster = rosters.iter().find(|r| r.event == id).cloned();
                (e, roster)
            })
            .collect();
        h
    }

    pub fn held(&self) -> Held<'_> {
        Held {
            requests: &self.requests,
            people: &self.people,
            talks: &self.talks,
            ledger: self.ledger.as_ref(),
            proposals: &self.proposals,
            events: &self.events,
            volunteers: &self.volunteers,
            patrols: &self.patrols,
            sorting: &self.sorting,
            merchants: &self.merchants,
            works: &self.works,
            notes: &self.notes,
            trainings: &self.trainings,
            charters: &self.charters,
            resources: &self.resources,
            drawings: &self.drawings,
            drawing_gallery: self.drawing_gallery.as_ref(),
            deadlines: &self.deadlines,
            now: self.now,
            indicators: &[],
        }
    }
}

/// Builds a register for this person from what the phone holds.
pub fn build(app: &App, register: Register, filter: &Filter) -> Csv {
    let holdings = Holdings::of(app);
    let who = exporter(app);
    let indexes: Vec<std::rc::Rc<Index>> = if register == Register::Indicators {
        indicator_scopes(&who, filter)
            .iter()
            .map(|s| crate::pages::indicators::index(app, s))
            .collect()
    } else {
        Vec::new()
    };
    let indexes: Vec<&Index> = indexes.iter().map(|i| i.as_ref()).collect();
    let held = Held {
        indicators: &indexes,
        ..holdings.held()
    };
    register.build(&held, &who, filter)
}

/// Whose indicators an export holds: the grid staff picked (or the community), a grid
/// worker's grids one after the other.
fn indicator_scopes(who: &Exporter, filter: &Filter) -> Vec<Scope> {
    match (&filter.grid, who.role) {
        (Some(g), _) => vec![Scope::Grid(g.clone())],
        (None, Some(Role::GridWorker)) if !who.grids.is_empty() => {
            who.grids.iter().cloned().map(Scope::Grid).collect()
        }
        _ => vec![Scope::Community],
    }
}

/// Offers a register's file as a download (`requests-2025-12-06-2026-12-06.csv`).
pub fn download(register: Register, filter: &Filter, csv: &Csv) {
    let name = format!(
        "{}-{}-{}.csv",
        register.slug(),
        linli_shared::export::date(filter.from),
        linli_shared::export::date(filter.to - 1),
    );
    crate::pages::grants::download(&name, "text/csv;charset=utf-8", csv.text());
}

/// `YYYY-MM-DD` of an instant (China time), for a date input.
fn day(at: Millis) -> String {
    linli_shared::export::date(at)
}

#[component]
pub fn ExportsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let now = app.now();
    let from = RwSignal::new(day(now - 365 * DAY));
    let to = RwSignal::new(day(now));
    let grid = RwSignal::new(String::new());
    let who = Memo::new(move |_| {
        app.version.track();
        exporter(&app)
    });
    let staff = move || who.with(Exporter::is_staff);
    // The period as typed; a date that does not parse falls back to the default.
    let filter = Memo::new(move |_| {
        let from = linli_shared::export::day_start(&from.get()).unwrap_or(now - 365 * DAY);
        let to = linli_shared::export::day_start(&to.get()).map_or(now + DAY, |d| d + DAY);
        let g = grid.get();
        Filter {
            from,
            to,
            grid: (!g.is_empty()).then_some(g),
        }
    });
    let bad_period = move || filter.with(|f| f.from >= f.to);
    let registers = move || {
        let who = who.get();
        Register::ALL
            .into_iter()
            .filter(|r| r.offered_to(&who))
            .collect::<Vec<_>>()
    };
    // A memo: the grids are read from the whole index, and the options are drawn anew only
    // when the grids change, not whenever any document does.
    let grids = Memo::new(move |_| {
        crate::data::grids(&app)
            .into_iter()
            .map(|(_, g)| g.grid)
            .collect::<Vec<_>>()
    });
    view! {
        <main class="page exports">
            <h2>{move || lang.get().t("导出", "Exports")}</h2>
            <p>{move || lang.get().t(
                "下面的登记表在本机上生成（离线也可以），为 UTF-8 CSV，可用 Excel 打开。只包含你的角色可以看到的个人信息。",
                "These registers are built on this phone (offline too) as UTF-8 CSV that Excel opens. They hold only the personal data your role may see.",
            )}</p>
            <div class="export-filters" role="group" aria-label=move || lang.get().t("导出范围", "What to export")>
                <div class="field">
                    <label for="ex-from">{move || lang.get().t("开始日期", "From")}</label>
                    <input id="ex-from" type="date" data-testid="export-from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="ex-to">{move || lang.get().t("结束日期", "To")}</label>
                    <input id="ex-to" type="date" data-testid="export-to" aria-describedby="ex-err" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </div>
                <Show when=staff>
                    <div class="field">
                        <label for="ex-grid">{move || lang.get().t("范围", "Scope")}</label>
                        // The scope shown is the scope the CSV covers: the select's value is the
                        // signal's, and each option drawn says whether it is the one chosen.
                        <select id="ex-grid" data-testid="export-scope" prop:value=move || grid.get() on:change=move |ev| grid.set(event_target_value(&ev))>
                            <option value="">{move || lang.get().t("全社区", "The whole community")}</option>
                            {move || grids.get().into_iter().map(|g| {
                                let name = lang.get().grid_name(&g);
                                let sel = grid.with_untracked(|c| *c == g);
                                view! { <option value=g.clone() prop:selected=sel>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
            </div>
            <p id="ex-err" class="field-error" role="alert">
                {move || bad_period().then(|| lang.get().t("结束日期要晚于开始日期。", "The end date must come after the start date."))}
            </p>
            <ul class="cards" data-testid="registers">
                {move || {
                    let l = lang.get();
                    let f = filter.get();
                    app.version.track();
                    let h = Holdings::of(&app);
                    let who = who.get();
                    let registers = registers();
                    // The indicators of the export's scopes (built once per version of the
                    // summaries, shared with the dashboard).
                    let indexes: Vec<std::rc::Rc<Index>> = if registers.contains(&Register::Indicators) {
                        indicator_scopes(&who, &f)
                            .iter()
                            .map(|s| crate::pages::indicators::index(&app, s))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let indexes: Vec<&Index> = indexes.iter().map(|i| i.as_ref()).collect();
                    let held = Held { indicators: &indexes, ..h.held() };
                    registers.into_iter().map(|r| {
                        let csv = r.build(&held, &who, &f);
                        let rows = csv.rows();
                        let (zh, en) = r.names();
                        let count = match l {
                            Lang::Zh => format!("{rows} 行"),
                            Lang::En => format!("{rows} rows"),
                        };
                        // "Requests register" as a title, "the requests register" in a sentence.
                        let title = match l {
                            Lang::Zh => zh.to_string(),
                            Lang::En => en[..1].to_uppercase() + &en[1..],
                        };
                        let f2 = f.clone();
                        // The button says which register: 下载诉求登记表 CSV / Download the
                        // requests register as CSV.
                        let label = match l {
                            Lang::Zh => format!("下载{zh} CSV"),
                            Lang::En => format!("Download the {en} as CSV"),
                        };
                        view! {
                            <li class="card register" data-register=r.slug()>
                                <strong>{title}</strong>
                                <span class="meta" data-testid="export-rows">{count}</span>
                                <button type="button" data-testid=format!("export-{}", r.slug()) on:click=move |_| download(r, &f2, &csv)>
                                    {label}
                                </button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
        </main>
    }
}
