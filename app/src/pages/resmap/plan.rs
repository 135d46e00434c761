//! `#/siteplan` (staff): the site plan's source, saving the schematic plan as the community's,
//! importing GeoJSON (pasted or read from a file; errors explained, nothing typed lost: the
//! text is kept as a draft), and adjusting a building (move it a few metres, rename it to the
//! name its grid lists). Saved on the phone at once, to the relay when connected.

use leptos::prelude::*;
use linli_shared::domain::site_plan::geojson::{Imported, Units, import};
use linli_shared::domain::site_plan::layout::schematic;
use linli_shared::domain::site_plan::{Building, Landmark, PlanCommand, Source};
use linli_shared::ids::DocumentId;

use super::{grid_buildings, grid_name, is_staff, me, site_plan};
use crate::data;
use crate::platform;
use crate::state::{App, Notice, Route};

const DRAFT: &str = "siteplan-import";

#[component]
pub fn SitePlanPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    if !is_staff(&app) {
        return view! {
            <main class="page siteplan">
                <a href=Route::ResourceMap.hash() class="back">{move || lang.get().t("‹ 社区资源地图", "‹ Resource map")}</a>
                <p class="empty">{move || lang.get().t("平面图由社区工作者绘制。", "The site plan is drawn by community staff.")}</p>
            </main>
        }
        .into_any();
    }
    let text = RwSignal::new(app.draft(DRAFT).unwrap_or_default());
    Effect::new(move |first: Option<()>| {
        let t = text.get();
        if first.is_some() {
            app.set_draft(DRAFT, &t);
        }
    });
    let preview = RwSignal::new(Option::<Result<Imported, String>>::None);
    let current = Memo::new(move |_| {
        app.version.get();
        site_plan(&app)
    });
    let save = move |buildings: Vec<Building>, landmarks: Vec<Landmark>, source: Source| {
        let id = current
            .get_untracked()
            .map(|(id, _)| id)
            .unwrap_or_else(|| DocumentId::from_bytes(platform::random_bytes::<16>()));
        let cmd = PlanCommand::Save {
            buildings,
            landmarks,
            source,
            by: me(&app),
            by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
        };
        send(&app, id, cmd);
    };
    let read = move || {
        let l = lang.get_untracked();
        preview.set(Some(
            import(&text.get_untracked(), &grid_buildings(&app))
                .map_err(|e| e.text(l == crate::i18n::Lang::Zh)),
        ));
    };
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(v) = wasm_bindgen_futures::JsFuture::from(file.text()).await
                && let Some(s) = v.as_string()
            {
                text.set(s);
                read();
            }
        });
    };
    let picked = RwSignal::new(String::new());
    let rename = RwSignal::new(String::new());
    let nudge = move |dx: i64, dy: i64| {
        let Some((id, _)) = current.get_untracked() else {
            return;
        };
        let building = picked.get_untracked();
        if building.is_empty() {
            return;
        }
        send(
            &app,
            id,
            PlanCommand::Move {
                building,
                dx,
                dy,
                by: me(&app),
                by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
            },
        );
    };
    let do_rename = move || {
        let Some((id, plan)) = current.get_untracked() else {
            return;
        };
        let building = picked.get_untracked();
        let to = rename.get_untracked().trim().to_string();
        let Some(b) = plan.building(&building) else {
            return;
        };
        // The grid is the one that lists the new name, else the building's own.
        let grid = grid_buildings(&app)
            .into_iter()
            .find(|(_, bs)| bs.contains(&to))
            .map_or(b.grid.clone(), |(g, _)| g);
        send(
            &app,
            id,
            PlanCommand::Rename {
                building,
                to: to.clone(),
                grid,
                by: me(&app),
                by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
            },
        );
        picked.set(to);
        rename.set(String::new());
    };
    view! {
        <main class="page siteplan">
            <a href=Route::ResourceMap.hash() class="back">{move || lang.get().t("‹ 社区资源地图", "‹ Resource map")}</a>
            <h1>{move || lang.get().t("小区平面图", "Site plan")}</h1>
            <p role="status" data-testid="siteplan-source">{move || match current.get() {
                None => lang.get().t("还没有平面图：地图上显示的是按网格排列的示意图。", "No plan yet: the map shows a schematic laid out grid by grid.").to_string(),
                Some((_, p)) => match lang.get() {
                    crate::i18n::Lang::Zh => format!("当前平面图：{} 栋楼，来自{}。", p.buildings.len(), if p.source == Source::Geojson { "GeoJSON 导入" } else { "示意图" }),
                    crate::i18n::Lang::En => format!("Current plan: {} buildings, from {}.", p.buildings.len(), if p.source == Source::Geojson { "a GeoJSON import" } else { "the schematic" }),
                },
            }}</p>
            <section>
                <h2>{move || lang.get().t("用示意图作为平面图", "Use the schematic as the plan")}</h2>
                <p class="hint">{move || lang.get().t("按各网格的楼栋名单排列，之后可以逐栋移动。", "Laid out from the grids' building lists; move buildings afterwards.")}</p>
                <button type="button" data-testid="siteplan-save-schematic" on:click=move |_| {
                    save(schematic(&grid_buildings(&app)), Vec::new(), Source::Schematic);
                }>{move || lang.get().t("保存示意平面图", "Save the schematic plan")}</button>
            </section>
            <section>
                <h2>{move || lang.get().t("导入 GeoJSON", "Import GeoJSON")}</h2>
                <p class="hint">{move || lang.get().t(
                    "要素集合（FeatureCollection）：每栋楼一个多边形，属性 building 或 name 写网格名单里的楼名。坐标用经纬度（按中心换算成米），或本地坐标系的米。",
                    "A FeatureCollection: one polygon per building, its building or name property as the grid lists it. Coordinates in longitude/latitude (projected to metres around the centre) or in local metres.")}</p>
                <div class="field">
                    <label for="sp-file">{move || lang.get().t("选择文件", "Choose a file")}</label>
                    <input id="sp-file" type="file" accept=".geojson,.json,application/geo+json,application/json" on:change=on_file/>
                </div>
                <div class="field">
                    <label for="sp-text">{move || lang.get().t("或粘贴 GeoJSON", "Or paste GeoJSON")}</label>
                    <textarea id="sp-text" rows="6" data-testid="siteplan-geojson" aria-describedby="sp-err"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </div>
                <button type="button" data-testid="siteplan-read" on:click=move |_| read()>{move || lang.get().t("读取", "Read")}</button>
                <div id="sp-err" role="alert" data-testid="siteplan-preview">{move || preview.get().map(|p| match p {
                    Err(e) => view! { <p class="field-error">{e}</p> }.into_any(),
                    Ok(imp) => {
                        let l = lang.get();
                        let units = if imp.units == Units::Degrees { l.t("经纬度，已换算成米", "longitude/latitude, projected to metres") } else { l.t("米", "metres") };
                        let msg = match l {
                            crate::i18n::Lang::Zh => format!("读取到 {} 栋楼、{} 个地标（{units}）。", imp.buildings.len(), imp.landmarks.len()),
                            crate::i18n::Lang::En => format!("Read {} buildings and {} landmarks ({units}).", imp.buildings.len(), imp.landmarks.len()),
                        };
                        let Imported { buildings, landmarks, .. } = imp;
                        view! {
                            <p>{msg}</p>
                            <button type="button" class="primary" data-testid="siteplan-save-import" on:click=move |_| {
                                save(buildings.clone(), landmarks.clone(), Source::Geojson);
                                app.clear_draft(DRAFT);
                            }>{l.t("保存为平面图", "Save as the plan")}</button>
                        }.into_any()
                    }
                })}</div>
            </section>
            <Show when=move || current.with(Option::is_some)>
                <section>
                    <h2>{move || lang.get().t("调整楼栋", "Adjust a building")}</h2>
                    <div class="field">
                        <label for="sp-building">{move || lang.get().t("楼栋", "Building")}</label>
                        <select id="sp-building" data-testid="siteplan-building" on:change=move |ev| picked.set(event_target_value(&ev))>
                            <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                            {move || current.get().map(|(_, p)| p.buildings.into_iter().map(|b| {
                                let name = b.name.clone();
                                let label = format!("{} · {}", b.name, grid_name(lang.get(), &b.grid));
                                view! { <option value=name.clone() selected=move || picked.with(|x| *x == name)>{label}</option> }
                            }).collect_view())}
                        </select>
                    </div>
                    <div class="nudge" role="group" aria-label=move || lang.get().t("移动 5 米", "Move 5 metres")>
                        <button type="button" aria-label=move || lang.get().t("向西移动 5 米", "Move 5 m west") on:click=move |_| nudge(-5, 0)>"←"</button>
                        <button type="button" aria-label=move || lang.get().t("向北移动 5 米", "Move 5 m north") on:click=move |_| nudge(0, -5)>"↑"</button>
                        <button type="button" aria-label=move || lang.get().t("向南移动 5 米", "Move 5 m south") on:click=move |_| nudge(0, 5)>"↓"</button>
                        <button type="button" aria-label=move || lang.get().t("向东移动 5 米", "Move 5 m east") on:click=move |_| nudge(5, 0)>"→"</button>
                    </div>
                    <div class="field">
                        <label for="sp-rename">{move || lang.get().t("改名为（网格名单里的楼名）", "Rename to (as the grid lists it)")}</label>
                        <input id="sp-rename" prop:value=move || rename.get() on:input=move |ev| rename.set(event_target_value(&ev))/>
                    </div>
                    <button type="button" on:click=move |_| do_rename()>{move || lang.get().t("改名", "Rename")}</button>
                </section>
            </Show>
        </main>
    }
    .into_any()
}

fn send(app: &App, id: DocumentId, cmd: PlanCommand) {
    let app = *app;
    match app.send(id, cmd) {
        Ok(saving) => leptos::task::spawn_local(async move {
            match saving.done().await {
                Ok(()) => app.notice.set(Some(Notice::Saved)),
                Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
            }
        }),
        Err(linli_shared::domain::ModelError::Input(e)) => app.notice.set(Some(Notice::NotSaved(
            app.lang.get_untracked().input_error(&e),
        ))),
        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
    }
}
