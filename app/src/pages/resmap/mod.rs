//! The community resource map 社区资源地图 at `#/resmap`: the site plan (staff's, or a
//! schematic one drawn from the grids' buildings when there is none) as an accessible SVG,
//! each building a focusable shape saying what is there; a legend that is also the filter;
//! a text summary; and the same content as a list by building. One resource at
//! `#/resource/<id>` with where it is used, the form at `#/resource-new` (staff: a space, a
//! facility or a talent with a paper consent; a resident: her own talent), and staff's
//! import and adjust page at `#/siteplan`. Everything is read from this phone's documents:
//! it works offline, and no map tiles are fetched.

pub mod form;
pub mod plan;
pub mod resource;

pub use form::ResourceForm;
pub use plan::SitePlanPage;
pub use resource::ResourcePage;

use std::collections::BTreeMap;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::resource::map::{Item, at_buildings, counts};
use linli_shared::domain::resource::{Resource, ResourceType};
use linli_shared::domain::site_plan::layout::schematic;
use linli_shared::domain::site_plan::{Building, Landmark, LandmarkKind, SitePlan};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Route};

impl Lang {
    pub fn resource_type(self, t: ResourceType) -> &'static str {
        let (zh, en) = t.label();
        self.t(zh, en)
    }
}

/// The plan this phone holds (the newest), with its document id.
pub fn site_plan(app: &App) -> Option<(DocumentId, SitePlan)> {
    app.each_summary(|id, s| match s {
        Summary::SitePlan(p) => Some((*id, p.clone())),
        _ => None,
    })
    .into_iter()
    .max_by_key(|(_, p)| p.updated_at)
}

/// The grids this phone holds, with their buildings.
pub fn grid_buildings(app: &App) -> Vec<(String, Vec<String>)> {
    data::grids(app)
        .into_iter()
        .map(|(_, g)| (g.grid, g.buildings))
        .collect()
}

/// The plan to draw: staff's, or the schematic one from the grids' buildings (and the
/// buildings resources name that no grid this phone holds lists). `true` when schematic.
pub fn plan_to_draw(app: &App) -> (Vec<Building>, Vec<Landmark>, bool) {
    if let Some((_, p)) = site_plan(app) {
        return (p.buildings, p.landmarks, false);
    }
    let mut grids = grid_buildings(app);
    for (_, r) in resources(app) {
        if r.building.is_empty() || grids.iter().any(|(_, bs)| bs.contains(&r.building)) {
            continue;
        }
        match grids.iter_mut().find(|(g, _)| *g == r.grid) {
            Some((_, bs)) => bs.push(r.building.clone()),
            None => grids.push((r.grid.clone(), vec![r.building.clone()])),
        }
    }
    (schematic(&grids), Vec::new(), true)
}

/// Every resource this phone holds.
pub fn resources(app: &App) -> Vec<(String, Resource)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Resource(r) => Some((id.to_string(), r.clone())),
        _ => None,
    });
    v.sort_by(|a, b| (a.1.rtype, &a.1.name).cmp(&(b.1.rtype, &b.1.name)));
    v
}

/// Merchants this phone holds: `(id, name, place)`.
pub fn merchants(app: &App) -> Vec<(String, String, String)> {
    app.each_summary(|id, s| match s {
        Summary::Merchant(m) => Some((
            id.to_string(),
            m.merchant.name.clone(),
            m.merchant.place.clone(),
        )),
        _ => None,
    })
}

pub(crate) fn is_staff(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

pub(crate) fn me(app: &App) -> String {
    app.session
        .with(|s| s.as_ref().map(|s| s.person.clone()).unwrap_or_default())
}

/// A linked document as a link: its page and its title, when this phone holds it.
pub fn doc_link(app: &App, id: &str) -> Option<(Route, String, (&'static str, &'static str))> {
    let doc = DocumentId::parse(id).ok()?;
    app.summary(&doc, |s| match s {
        Summary::Event(e) => Some((Route::Event(doc), e.title.clone(), ("活动", "event"))),
        Summary::Works(w) => Some((Route::Work(doc), w.title.clone(), ("工程", "works"))),
        Summary::Group(g) => Some((
            Route::Group(doc),
            g.group.name.clone(),
            ("自治组织", "group"),
        )),
        Summary::Training(t) => Some((Route::Training(doc), t.title.clone(), ("培训", "training"))),
        Summary::Merchant(m) => Some((
            Route::Merchant(doc),
            m.merchant.name.clone(),
            ("商户", "merchant"),
        )),
        _ => None,
    })
    .flatten()
}

/// A marker's one-character word for a type (the legend spells it out).
fn glyph(t: Option<ResourceType>) -> &'static str {
    match t {
        Some(ResourceType::Space) => "空",
        Some(ResourceType::Facility) => "设",
        Some(ResourceType::Talent) => "达",
        None => "商",
    }
}

/// The hub's line.
pub fn tile_line(app: &App, l: Lang) -> String {
    let all = resources(app);
    let [(_, s), (_, f), (_, t)] = counts(&all);
    match l {
        Lang::Zh => format!("空间 {s} · 设施 {f} · 社区达人 {t}"),
        Lang::En => format!("{s} spaces · {f} facilities · {t} talents"),
    }
}

/// `3号楼 · 第7网格 · 2 项资源`
fn building_label(l: Lang, b: &Building, n: usize) -> String {
    match l {
        Lang::Zh => format!("{} · {} · {n} 项资源", b.name, grid_name(l, &b.grid)),
        Lang::En => format!("{} · {} · {n} resources", b.name, grid_name(l, &b.grid)),
    }
}

/// `g07` → `第7网格` / `grid 7` (other ids as they are).
pub fn grid_name(l: Lang, grid: &str) -> String {
    match grid.trim_start_matches('g').parse::<u32>() {
        Ok(n) => match l {
            Lang::Zh => format!("第{n}网格"),
            Lang::En => format!("grid {n}"),
        },
        Err(_) => grid.to_string(),
    }
}

fn points(pts: &[(i64, i64)]) -> String {
    pts.iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a filter shows: the three types and merchants.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shown {
    space: bool,
    facility: bool,
    talent: bool,
    merchant: bool,
}

impl Shown {
    fn of(&self, item: &Item) -> bool {
        match item {
            Item::Resource { rtype, .. } => match rtype {
                ResourceType::Space => self.space,
                ResourceType::Facility => self.facility,
                ResourceType::Talent => self.talent,
            },
            Item::Merchant { .. } => self.merchant,
        }
    }
}

fn item_route(item: &Item) -> Option<Route> {
    let id = DocumentId::parse(item.id()).ok()?;
    Some(match item {
        Item::Resource { .. } => Route::Resource(id),
        Item::Merchant { .. } => Route::Merchant(id),
    })
}

fn item_type(l: Lang, item: &Item) -> &'static str {
    match item {
        Item::Resource { rtype, .. } => l.resource_type(*rtype),
        Item::Merchant { .. } => l.t("商户", "merchant"),
    }
}

fn item_name(item: &Item) -> String {
    match item {
        Item::Resource { name, .. } | Item::Merchant { name, .. } => name.clone(),
    }
}

#[component]
pub fn ResourceMapPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let shown = RwSignal::new(Shown {
        space: true,
        facility: true,
        talent: true,
        merchant: true,
    });
    let selected = RwSignal::new(Option::<String>::None);
    // The plan and what is at each building: redrawn when a document changes.
    let model = Memo::new(move |_| {
        app.version.get();
        let (buildings, landmarks, schematic) = plan_to_draw(&app);
        let names: Vec<String> = buildings.iter().map(|b| b.name.clone()).collect();
        let res = resources(&app);
        let at = at_buildings(&names, &res, &merchants(&app));
        let elsewhere: Vec<(String, Resource)> = res
            .iter()
            .filter(|(_, r)| r.offered() && !names.contains(&r.building))
            .cloned()
            .collect();
        (
            buildings,
            landmarks,
            schematic,
            at,
            counts(&res),
            elsewhere,
            res,
        )
    });
    let filtered = move |at: &BTreeMap<String, Vec<Item>>, b: &str| -> Vec<Item> {
        let s = shown.get();
        at.get(b)
            .map(|v| v.iter().filter(|i| s.of(i)).cloned().collect())
            .unwrap_or_default()
    };
    let toggle = move |f: fn(&mut Shown) -> &mut bool| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            shown.update(|s| *f(s) = on);
        }
    };
    view! {
        <main class="page resmap">
            <a href=Route::Hub.hash() class="back">{move || lang.get().t("‹ 社区", "‹ Community")}</a>
            <h1>{move || lang.get().t("社区资源地图", "Community resource map")}</h1>
            <p class="muted">{move || lang.get().t(
                "社区里的空间、设施、商户和愿意帮忙的社区达人，标在小区平面图上。点一栋楼，看看那里有什么。",
                "The community's spaces, facilities, merchants and residents with a skill to offer, on the estate's plan. Tap a building to see what is there.")}</p>
            <p class="actions">
                <a class="button primary" href=Route::NewResource.hash() data-testid="resource-new">{move || if is_staff(&app) {
                    lang.get().t("登记资源", "Record a resource")
                } else {
                    lang.get().t("我有一技之长", "I have a skill to offer")
                }}</a>
                <Show when=move || is_staff(&app)>
                    <a class="button" href=Route::SitePlan.hash() data-testid="siteplan-link">{move || lang.get().t("平面图：导入与调整", "Site plan: import and adjust")}</a>
                </Show>
            </p>
            <p role="status" data-testid="resmap-summary">{move || model.with(|(b, _, _, at, c, elsewhere, _)| {
                let [(_, s), (_, f), (_, t)] = *c;
                let places = at.len();
                let m: usize = at.values().flatten().filter(|i| matches!(i, Item::Merchant { .. })).count();
                match lang.get() {
                    Lang::Zh => format!("共 {} 项资源：空间 {s} 处、设施 {f} 处、社区达人 {t} 位{}；{} 栋楼中有 {places} 栋标有资源{}。",
                        s + f + t,
                        if m > 0 { format!("，另有商户 {m} 家") } else { String::new() },
                        b.len(),
                        if elsewhere.is_empty() { String::new() } else { format!("，{} 项在楼栋之外", elsewhere.len()) }),
                    Lang::En => format!("{} resources: {s} spaces, {f} facilities, {t} resident talents{}; {places} of {} buildings have some{}.",
                        s + f + t,
                        if m > 0 { format!(", and {m} merchants") } else { String::new() },
                        b.len(),
                        if elsewhere.is_empty() { String::new() } else { format!(", {} elsewhere", elsewhere.len()) }),
                }
            })}</p>
            <fieldset class="legend resmap-legend">
                <legend>{move || lang.get().t("图例（勾选即显示）", "Legend (tick to show)")}</legend>
                <label class="check"><input type="checkbox" checked data-testid="filter-space" on:change=toggle(|s| &mut s.space)/>
                    <span class="marker m-space" aria-hidden="true">"空"</span>{move || lang.get().t("空间", "Spaces")}</label>
                <label class="check"><input type="checkbox" checked data-testid="filter-facility" on:change=toggle(|s| &mut s.facility)/>
                    <span class="marker m-facility" aria-hidden="true">"设"</span>{move || lang.get().t("设施", "Facilities")}</label>
                <label class="check"><input type="checkbox" checked data-testid="filter-talent" on:change=toggle(|s| &mut s.talent)/>
                    <span class="marker m-talent" aria-hidden="true">"达"</span>{move || lang.get().t("社区达人", "Resident talents")}</label>
                <label class="check"><input type="checkbox" checked data-testid="filter-merchant" on:change=toggle(|s| &mut s.merchant)/>
                    <span class="marker m-merchant" aria-hidden="true">"商"</span>{move || lang.get().t("商户", "Merchants")}</label>
            </fieldset>
            {move || model.with(|(buildings, landmarks, schematic, at, _, _, _)| {
                let l = lang.get();
                if buildings.is_empty() {
                    return view! { <p class="empty" data-testid="resmap-empty">{l.t(
                        "本机还没有网格的楼栋名单，暂时画不出平面图。",
                        "This phone holds no grid's buildings yet: no plan to draw.")}</p> }.into_any();
                }
                let ((x0, y0), (x1, y1)) = linli_shared::domain::site_plan::bounds(
                    buildings.iter().flat_map(|b| b.pts.iter()).chain(landmarks.iter().flat_map(|l| l.pts.iter())));
                let pad = 12;
                let vb = format!("{} {} {} {}", x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
                let grids: Vec<String> = {
                    let mut g: Vec<String> = buildings.iter().map(|b| b.grid.clone()).collect();
                    g.sort();
                    g.dedup();
                    g
                };
                let tint = move |grid: &str| format!("tint-{}", grids.iter().position(|g| g == grid).unwrap_or(0) % 6);
                let lms = landmarks.iter().map(|lm| {
                    let pts = points(&lm.pts);
                    let name = lm.name.clone();
                    match lm.kind {
                        LandmarkKind::Road => view! { <polyline class="road" points=pts><title>{name}</title></polyline> }.into_any(),
                        LandmarkKind::Green => view! { <polygon class="green" points=pts><title>{name}</title></polygon> }.into_any(),
                        LandmarkKind::Gate => {
                            let (x, y) = lm.pts.first().copied().unwrap_or_default();
                            view! { <g class="gate"><rect x=x - 4 y=y - 4 width="8" height="8"/><text x=x + 6 y=y + 4 class="gate-label">{name}</text></g> }.into_any()
                        }
                    }
                }).collect_view();
                let shapes = buildings.iter().map(|b| {
                    let items = filtered(at, &b.name);
                    let n = items.len();
                    let label = building_label(l, b, n);
                    let (cx, cy) = b.centre();
                    let name = b.name.clone();
                    let pick = name.clone();
                    let pick2 = name.clone();
                    let n1 = name.clone();
                    let n2 = name.clone();
                    let is_sel = move || selected.with(|s| s.as_deref() == Some(n1.as_str()));
                    let is_sel2 = move || selected.with(|s| s.as_deref() == Some(n2.as_str()));
                    let title = label.clone();
                    let markers = items.iter().take(4).enumerate().map(|(i, it)| {
                        let t = match it { Item::Resource { rtype, .. } => Some(*rtype), Item::Merchant { .. } => None };
                        let cls = match t { Some(ResourceType::Space) => "marker m-space", Some(ResourceType::Facility) => "marker m-facility", Some(ResourceType::Talent) => "marker m-talent", None => "marker m-merchant" };
                        let mx = cx - 15 + 10 * i as i64;
                        view! { <g class=cls aria-hidden="true"><circle cx=mx cy=cy + 3 r="4.5"/><text x=mx y=cy + 5 class="marker-glyph">{glyph(t)}</text></g> }
                    }).collect_view();
                    view! {
                        <g class="building" class:selected=is_sel>
                            <polygon class=format!("bld {}", tint(&b.grid)) points=points(&b.pts)
                                tabindex="0" role="button" aria-label=label data-testid="resmap-building" data-building=name.clone()
                                aria-pressed=move || is_sel2().to_string()
                                on:click=move |_| selected.set(Some(pick.clone()))
                                on:keydown=move |ev| {
                                    if ev.key() == "Enter" || ev.key() == " " {
                                        ev.prevent_default();
                                        selected.set(Some(pick2.clone()));
                                    }
                                }>
                                <title>{title}</title>
                            </polygon>
                            <text x=cx y=cy - 2 class="bld-label" aria-hidden="true">{name}</text>
                            {markers}
                        </g>
                    }
                }).collect_view();
                view! {
                    <figure class="resmap-figure">
                        <svg viewBox=vb class="site-plan" role="group" preserveAspectRatio="xMidYMid meet"
                            aria-label=l.t("小区平面图：每栋楼可以点开", "Site plan: each building can be opened") data-testid="resmap-svg">
                            {lms}
                            {shapes}
                        </svg>
                        <figcaption class="hint">{if *schematic {
                            l.t("示意图：按网格排列楼栋，不是实际位置。", "Schematic: buildings laid out grid by grid, not where they stand.")
                        } else {
                            l.t("小区平面图（社区工作者绘制或导入）。", "Site plan (drawn or imported by staff).")
                        }}</figcaption>
                    </figure>
                }.into_any()
            })}
            <section class="resmap-selected" aria-live="polite" data-testid="resmap-selected">
                {move || selected.get().map(|b| {
                    let l = lang.get();
                    let items = model.with(|(_, _, _, at, _, _, _)| filtered(at, &b));
                    let grid = model.with(|(bs, ..)| bs.iter().find(|x| x.name == b).map(|x| x.grid.clone()).unwrap_or_default());
                    view! {
                        <h2>{format!("{b} · {}", grid_name(l, &grid))}</h2>
                        {if items.is_empty() {
                            view! { <p class="empty">{l.t("这栋楼还没有标出资源。", "Nothing marked at this building yet.")}</p> }.into_any()
                        } else {
                            view! { <ul class="cards">{items.into_iter().map(|it| item_card(&app, l, it)).collect_view()}</ul> }.into_any()
                        }}
                    }
                })}
            </section>
            <section class="resmap-list">
                <h2>{move || lang.get().t("按楼栋列出", "By building")}</h2>
                {move || model.with(|(buildings, _, _, at, _, elsewhere, _)| {
                    let l = lang.get();
                    let s = shown.get();
                    let mut blocks: Vec<AnyView> = buildings.iter().filter_map(|b| {
                        let items = filtered(at, &b.name);
                        (!items.is_empty()).then(|| view! {
                            <h3>{format!("{} · {}", b.name, grid_name(l, &b.grid))}</h3>
                            <ul class="cards" data-testid="resmap-list-building">{items.into_iter().map(|it| item_card(&app, l, it)).collect_view()}</ul>
                        }.into_any())
                    }).collect();
                    let other: Vec<(String, Resource)> = elsewhere.iter().filter(|(_, r)| match r.rtype {
                        ResourceType::Space => s.space, ResourceType::Facility => s.facility, ResourceType::Talent => s.talent,
                    }).cloned().collect();
                    if !other.is_empty() {
                        blocks.push(view! {
                            <h3>{l.t("楼栋之外", "Elsewhere")}</h3>
                            <ul class="cards">{other.into_iter().map(|(id, r)| item_card(&app, l, Item::Resource { id, rtype: r.rtype, name: r.name })).collect_view()}</ul>
                        }.into_any());
                    }
                    if blocks.is_empty() {
                        blocks.push(view! { <p class="empty">{l.t("还没有登记资源。", "No resources recorded yet.")}</p> }.into_any());
                    }
                    blocks.collect_view()
                })}
            </section>
        </main>
    }
}

/// One thing as a card: its name, its type in words, and (for a resource) where it is used.
fn item_card(app: &App, l: Lang, item: Item) -> impl IntoView + use<> {
    let route = item_route(&item);
    let kind = item_type(l, &item);
    let name = item_name(&item);
    let used: Vec<(Route, String)> = match &item {
        Item::Resource { id, .. } => DocumentId::parse(id)
            .ok()
            .and_then(|d| {
                app.summary(&d, |s| match s {
                    Summary::Resource(r) => Some(r.links.clone()),
                    _ => None,
                })
                .flatten()
            })
            .unwrap_or_default()
            .iter()
            .filter_map(|id| doc_link(app, id).map(|(r, t, _)| (r, t)))
            .collect(),
        Item::Merchant { .. } => Vec::new(),
    };
    view! {
        <li class="card" data-testid="resmap-item">
            {match route {
                Some(r) => view! { <a href=r.hash()><strong>{name}</strong><span class="meta">{kind}</span></a> }.into_any(),
                None => view! { <span><strong>{name}</strong><span class="meta">{kind}</span></span> }.into_any(),
            }}
            {(!used.is_empty()).then(|| view! {
                <p class="meta">{l.t("用于：", "Used for: ")}
                    {used.into_iter().map(|(r, t)| view! { <a href=r.hash() class="used-link">{t}</a>" " }).collect_view()}
                </p>
            })}
        </li>
    }
}
