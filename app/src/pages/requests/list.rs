//! Lists of requests: "my requests" for residents and volunteers, the queue for grid workers
//! and staff. Each card says the colour in words and with a shape, never by colour alone.

use leptos::prelude::*;
use linli_shared::domain::requests::Colour;
use linli_shared::policy::Role;

use super::card::RequestCard;
use crate::data::{self, Item};
use crate::i18n::Lang;
use crate::state::App;

/// The grid worker's filters, remembered on the phone.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Filters {
    colour: String,
    status: String,
    category: String,
}

const FILTERS_KEY: &str = "linli.queue.filters";

#[component]
pub fn HomePage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let role = move || app.session.with(|s| s.as_ref().map(|s| s.role));
    let works = move || matches!(role(), Some(Role::GridWorker) | Some(Role::Staff));
    let saved: Filters = crate::platform::ls_get(FILTERS_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let colour = RwSignal::new(saved.colour);
    let status = RwSignal::new(saved.status);
    let category = RwSignal::new(saved.category);
    Effect::new(move |_| {
        let f = Filters {
            colour: colour.get(),
            status: status.get(),
            category: category.get(),
        };
        if let Ok(s) = serde_json::to_string(&f) {
            crate::platform::ls_set(FILTERS_KEY, &s);
        }
    });
    let all = Memo::new(move |_| {
        app.clock.track();
        let now = app.now();
        if works() {
            data::queue(&app, now)
        } else {
            data::mine(&app, now)
        }
    });
    let items = Memo::new(move |_| {
        let (c, st, cat) = (colour.get(), status.get(), category.get());
        all.get()
            .into_iter()
            .filter(|i| !works() || c.is_empty() || i.req.colour_now().as_str() == c)
            .filter(|i| !works() || st.is_empty() || i.req.status().as_str() == st)
            .filter(|i| !works() || cat.is_empty() || i.req.category == cat)
            .collect::<Vec<_>>()
    });
    let heading = move || match role() {
        Some(Role::GridWorker) => lang.get().t("我的网格队列", "My grid queue"),
        Some(Role::Staff) => lang.get().t("全部未办结诉求", "All open requests"),
        _ => lang.get().t("我的诉求", "My requests"),
    };
    let overdue = move || all.with(|v| v.iter().filter(|i| i.due.due.is_overdue()).count());
    let community = Memo::new(move |_| data::community(&app));
    view! {
        <main class="page">
            <crate::pages::sorting::home::MyReminders/>
            <crate::pages::talks::MyActions/>
            <crate::pages::merchants::MyShop/>
            <crate::pages::events::UpcomingCard/>
            <h2>{heading}</h2>
            <Show when=move || { overdue() > 0 && role() != Some(Role::Staff) }>
                <p class="overdue-summary" role="note">
                    {move || match lang.get() {
                        Lang::Zh => format!("⚠ {} 条已超期", overdue()),
                        Lang::En => format!("⚠ {} overdue", overdue()),
                    }}
                </p>
            </Show>
            <Show when=works>
                <div class="filters" role="group" aria-label=move || lang.get().t("筛选", "Filters")>
                    <label for="q-colour" class="sr">{move || lang.get().t("按紧急程度筛选", "Filter by urgency")}</label>
                    <select id="q-colour" prop:value=move || colour.get() on:change=move |ev| colour.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("全部颜色", "All colours")}</option>
                        {Colour::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{move || lang.get().colour(c)}</option> }).collect_view()}
                    </select>
                    <label for="q-status" class="sr">{move || lang.get().t("按状态筛选", "Filter by status")}</label>
                    <select id="q-status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("全部状态", "All statuses")}</option>
                        {linli_shared::domain::requests::Status::ALL.into_iter().filter(|s| s.is_open()).map(|s| view! { <option value=s.as_str()>{move || lang.get().status(s)}</option> }).collect_view()}
                    </select>
                    <label for="q-cat" class="sr">{move || lang.get().t("按类别筛选", "Filter by category")}</label>
                    <select id="q-cat" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("全部类别", "All categories")}</option>
                        {move || community.get().map(|c| c.categories).unwrap_or_default().into_iter().map(|c| view! { <option value=c.id.clone()>{move || if lang.get() == Lang::Zh { c.zh.clone() } else { c.en.clone() }}</option> }).collect_view()}
                    </select>
                </div>
            </Show>
            // Staff: the filters first, then what is overdue per grid, folded to one line.
            <Show when=move || role() == Some(Role::Staff)>
                <OverdueByGrid items=all/>
            </Show>
            <Show
                when=move || items.with(|v| !v.is_empty())
                fallback=move || view! {
                    <p class="empty">{move || if works() {
                        lang.get().t("队列是空的。", "The queue is empty.")
                    } else {
                        lang.get().t("还没有诉求。点下方“提交诉求”告诉我们遇到的问题。", "No requests yet. Tap “File a request” below to tell us about a problem.")
                    }}</p>
                }
            >
                <ul class="cards" aria-label=heading>
                    <For
                        each=move || items.get()
                        key=|i| (i.id, i.req.events.len(), i.req.title.clone(), i.due.due as u8, i.due.remaining / 60_000)
                        let:item
                    >
                        <RequestCard item/>
                    </For>
                </ul>
            </Show>
            // After the list: the painted first screen (index.html) has the request cards only,
            // so what the app adds below them moves nothing.
            <crate::pages::talks::OpenVotes/>
        </main>
    }
}

/// Staff: overdue requests per grid (escalation), most overdue first.
#[component]
fn OverdueByGrid(items: Memo<Vec<Item>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let by_grid = Memo::new(move |_| {
        items.with(|v| {
            linli_shared::domain::requests::deadline::overdue_by_grid(
                v.iter().map(|i| (i.req.title.clone(), &i.req, &i.due)),
            )
            .into_iter()
            .collect::<Vec<_>>()
        })
    });
    let total = move || by_grid.with(|g| g.iter().map(|(_, t)| t.len()).sum::<usize>());
    let grids = move || by_grid.with(Vec::len);
    view! {
        <details class="escalation" data-testid="overdue-by-grid">
            <summary>
                {move || match (lang.get(), total()) {
                    (Lang::Zh, 0) => "没有超期的诉求".to_string(),
                    (Lang::En, 0) => "Nothing overdue".to_string(),
                    (Lang::Zh, n) => format!("⚠ {n} 条超期未答复，分布在 {} 个网格", grids()),
                    (Lang::En, n) => format!("⚠ {n} overdue, in {} grids", grids()),
                }}
            </summary>
            <Show when=move || by_grid.with(|g| !g.is_empty())>
                <ul class="rows">
                    {move || by_grid.get().into_iter().map(|(grid, titles)| {
                        let name = data::community(&app).map(|c| c.grid_name(&grid)).unwrap_or(grid);
                        let n = titles.len();
                        view! {
                            <li>
                                <strong>{name}</strong>
                                <span class="late">{move || match lang.get() { Lang::Zh => format!("{n} 条超期"), Lang::En => format!("{n} overdue") }}</span>
                                <span class="muted">{titles.join("、")}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </details>
    }
}
