//! The community's modules in one place (the 社区 tab): each module a tile with a line of
//! what is new in it, shown to those it is for. A new module adds one tile here instead of
//! a tab, so the tab bar keeps five places at most on a 390 px phone.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::state::{App, Route};

/// One tile: where it leads, its name, and a line of what is in it now.
struct Tile {
    route: Route,
    icon: &'static str,
    name: (&'static str, &'static str),
    line: String,
}

fn tiles(app: &App, l: Lang) -> Vec<Tile> {
    let mut out = Vec::new();
    let grids = crate::pages::grid::my_grids(app);
    if !grids.is_empty() {
        let names: Vec<String> = grids.iter().map(|g| l.grid_name(g)).collect();
        out.push(Tile {
            route: Route::Grids,
            icon: "▦",
            name: ("网格", "Grids"),
            line: match l {
                Lang::Zh => format!("早巡午访夜谈 · {}", names.join("、")),
                Lang::En => format!("Patrols · {}", names.join(", ")),
            },
        });
    }
    out
}

#[component]
pub fn HubPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    view! {
        <main class="page hub">
            <h2>{move || lang.get().t("社区", "Community")}</h2>
            <ul class="cards hub-tiles">
                {move || {
                    let l = lang.get();
                    tiles(&app, l).into_iter().map(|t| view! {
                        <li class="card">
                            <a href=t.route.hash() data-testid="hub-tile">
                                <span class="icon" aria-hidden="true">{t.icon}</span>
                                <strong>{l.t(t.name.0, t.name.1)}</strong>
                                <span class="meta">{t.line}</span>
                            </a>
                        </li>
                    }).collect_view()
                }}
            </ul>
            <Show when=move || tiles(&app, lang.get()).is_empty()>
                <p class="empty">{move || lang.get().t("这里会列出社区的议事、基金、网格和活动。", "The community's talks, fund, grids and events appear here.")}</p>
            </Show>
        </main>
    }
}
