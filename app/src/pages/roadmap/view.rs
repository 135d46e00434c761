//! `#/roadmap`: the diagnosis and the plan. The profile staff gave and what this phone knows
//! (open requests by category and colour, weak indicators: staff and grid workers); the
//! timeline chart; each phase expandable to its actions (status from the linked document,
//! which opens), its targets (the indicator now against the target) and its matched cases.

use leptos::prelude::*;
use linli_shared::domain::requests::Colour;
use linli_shared::domain::roadmap::progress::{Status, target_progress};
use linli_shared::domain::roadmap::{Phase, Roadmap};
use linli_shared::indicators::{Scope, def};

use super::chart::Timeline;
use super::{icon, is_staff, roadmap, status_of};
use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Route};

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // The plan with its actions' statuses: the page redraws when either changes (a linked
    // document arriving or progressing), not at every other document's change.
    let plan = Memo::new(move |_| {
        roadmap(&app).map(|(id, r)| {
            let st: Vec<Vec<Status>> = r
                .phases
                .iter()
                .map(|p| p.actions.iter().map(|a| status_of(&app, a).0).collect())
                .collect();
            (id, r, st)
        })
    });
    view! {
        <main class="page roadmap">
            <a href=Route::Hub.hash() class="back">{move || lang.get().t("‹ 社区", "‹ Community")}</a>
            <h1>{move || lang.get().t("实践路径图谱", "Practice roadmap")}</h1>
            {move || match plan.get() {
                None => view! {
                    <p class="empty" data-testid="rm-empty">{move || lang.get().t(
                        "本机还没有社区的实践路径图谱。",
                        "This phone holds no practice roadmap yet.",
                    )}</p>
                    <Show when=move || is_staff(&app)>
                        <p><a class="button primary" href=Route::RoadmapEdit.hash() data-testid="rm-edit">{move || lang.get().t("填写诊断并生成规划", "Fill in the diagnosis and draft a plan")}</a></p>
                    </Show>
                }.into_any(),
                Some((_, r, statuses)) => view! { <Plan r statuses/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Plan(r: Roadmap, statuses: Vec<Vec<Status>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let l = lang.get();
    let today = r.first_month().map(|(y, m)| {
        let (ny, nm, nd) =
            linli_shared::time::civil_from_days(linli_shared::time::shanghai_day(app.now()));
        (ny - y) as f64 * 12.0 + nm as f64 - m as f64 + (nd as f64 - 1.0) / 30.0
    });
    let staff = is_staff(&app);
    let published = r.published;
    view! {
        <p class="muted" data-testid="rm-title">{format!("{} · {}", r.title, match (l, published) {
            (Lang::Zh, true) => "已向居民公开",
            (Lang::Zh, false) => "未公开（仅工作人员与网格员可见）",
            (Lang::En, true) => "published to residents",
            (Lang::En, false) => "not published (staff and grid workers only)",
        })}</p>
        {staff.then(|| view! {
            <p><a class="button" href=Route::RoadmapEdit.hash() data-testid="rm-edit">{l.t("编辑诊断与规划", "Edit the diagnosis and plan")}</a></p>
        })}
        <Diagnosis r=r.clone()/>
        <section aria-labelledby="rm-plan-h">
            <h2 id="rm-plan-h">{l.t("规划：时间轴 × 主题", "The plan: timeline × theme")}</h2>
            <Timeline roadmap=r.clone() statuses=statuses today/>
        </section>
        <section aria-labelledby="rm-phases-h">
            <h2 id="rm-phases-h">{l.t("各阶段", "Phases")}</h2>
            {r.phases.iter().enumerate().map(|(i, p)| view! { <PhaseCard r=r.clone() p=p.clone() i/> }).collect_view()}
        </section>
    }
}

#[component]
fn Diagnosis(r: Roadmap) -> impl IntoView {
    let app = expect_context::<App>();
    let l = app.lang.get();
    let p = r.profile.clone();
    let figure = |v: u32, unit_zh: &str, unit_en: &str| {
        if v == 0 {
            l.t("未填", "not given").to_string()
        } else {
            match l {
                Lang::Zh => format!("{v}{unit_zh}"),
                Lang::En => format!("{v}{unit_en}"),
            }
        }
    };
    // What this phone knows (staff and grid workers hold the requests and indicators).
    let knows = crate::pages::indicators::sees_all(&app);
    let open = if knows {
        super::open_requests(&app)
    } else {
        Vec::new()
    };
    let cats = data::community(&app)
        .map(|c| c.categories)
        .unwrap_or_default();
    let mut by_cat: Vec<(String, [usize; 3])> = Vec::new();
    for i in &open {
        let name = cats
            .iter()
            .find(|c| c.id == i.req.category)
            .map(|c| if l.zh() { c.zh.clone() } else { c.en.clone() })
            .unwrap_or_else(|| i.req.category.clone());
        let k = match i.req.colour_now() {
            Colour::Red => 0,
            Colour::Yellow => 1,
            Colour::Blue => 2,
        };
        match by_cat.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => c[k] += 1,
            None => {
                let mut c = [0; 3];
                c[k] = 1;
                by_cat.push((name, c));
            }
        }
    }
    by_cat.sort_by(|a, b| {
        b.1.iter()
            .sum::<usize>()
            .cmp(&a.1.iter().sum::<usize>())
            .then(a.0.cmp(&b.0))
    });
    let readings = super::readings(&app);
    let weak: Vec<String> = linli_shared::cases::matching::needs(&[], &readings)
        .into_iter()
        .flat_map(|n| n.evidence)
        .map(|e| e.text(l.zh()))
        .fold(Vec::new(), |mut v, t| {
            if !v.contains(&t) {
                v.push(t);
            }
            v
        });
    view! {
        <section aria-labelledby="rm-diag-h" class="card rm-diagnosis">
            <h2 id="rm-diag-h">{l.t("社区诊断", "Diagnosis")}</h2>
            <dl class="rm-profile" data-testid="rm-profile">
                <dt>{l.t("户数", "Households")}</dt><dd>{figure(p.households, " 户", "")}</dd>
                <dt>{l.t("60 岁以上居民占比", "Residents 60+")}</dt><dd>{figure(p.elders_pct, "%", "%")}</dd>
                <dt>{l.t("网格数", "Grids")}</dt><dd>{figure(p.grids, " 个", "")}</dd>
                <dt>{l.t("现有自治组织", "Existing groups")}</dt><dd>{figure(p.groups, " 个", "")}</dd>
            </dl>
            {(!p.problems.is_empty()).then(|| view! {
                <p><strong>{l.t("主要问题：", "Main problems: ")}</strong>{p.problems.clone()}</p>
            })}
            {knows.then(|| view! {
                <h3>{l.t("邻里已知：未办结诉求", "What Linli knows: open requests")}</h3>
                {if by_cat.is_empty() {
                    view! { <p class="muted">{l.t("本机没有未办结的诉求。", "No open requests on this phone.")}</p> }.into_any()
                } else {
                    view! {
                        // Focusable: it scrolls sideways on a narrow phone.
                        <div class="table-wrap" tabindex="0" role="region" aria-label=l.t("未办结诉求（按类别和颜色）", "Open requests by category and colour")>
                            <table data-testid="rm-open">
                                <thead><tr>
                                    <th scope="col">{l.t("类别", "Category")}</th>
                                    <th scope="col">{format!("🔴 {}", l.colour(Colour::Red))}</th>
                                    <th scope="col">{format!("🟡 {}", l.colour(Colour::Yellow))}</th>
                                    <th scope="col">{format!("🔵 {}", l.colour(Colour::Blue))}</th>
                                </tr></thead>
                                <tbody>
                                    {by_cat.into_iter().map(|(name, c)| view! {
                                        <tr><th scope="row">{name}</th><td>{c[0]}</td><td>{c[1]}</td><td>{c[2]}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
                <h3>{l.t("薄弱指标", "Weak indicators")}</h3>
                {if weak.is_empty() {
                    view! { <p class="muted">{l.t("近 90 天没有明显薄弱的指标。", "No indicator is weak over the last 90 days.")}</p> }.into_any()
                } else {
                    view! { <ul data-testid="rm-weak">{weak.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any()
                }}
            })}
            // Beside the diagnosis, what the community has to work with.
            <p><a href=Route::ResourceMap.hash() data-testid="rm-resmap-link">{l.t("社区资源地图：空间、设施、商户和社区达人 ›", "Resource map: spaces, facilities, merchants and resident talents ›")}</a></p>
        </section>
    }
}

#[component]
fn PhaseCard(r: Roadmap, p: Phase, i: usize) -> impl IntoView {
    let app = expect_context::<App>();
    let l = app.lang.get();
    let period = r.phase_period(&p);
    let now = app.now();
    let knows = crate::pages::indicators::sees_all(&app);
    let index = knows.then(|| crate::pages::indicators::index(&app, &Scope::Community));
    let matched = crate::pages::cases::matched(&app);
    let months = format!(
        "{} – {}",
        r.month_label(p.start),
        r.month_label(p.start + p.months - 1)
    );
    let head = match l {
        Lang::Zh => format!(
            "第{}阶段 · {} · {}（{} 个月）",
            i + 1,
            p.name,
            months,
            p.months
        ),
        Lang::En => format!(
            "Phase {} · {} · {} ({} months)",
            i + 1,
            p.name,
            months,
            p.months
        ),
    };
    let actions = p.actions.clone();
    let targets = p.targets.clone();
    let cases = p.cases.clone();
    view! {
        <details class="card rm-phase" data-testid="rm-phase" open=i == 0>
            <summary><strong>{head}</strong>{(!p.theme.is_empty()).then(|| view! { <span class="meta">{p.theme.clone()}</span> })}</summary>
            <h3>{l.t("行动", "Actions")}</h3>
            <ul class="rm-actions">
                {actions.into_iter().map(|a| {
                    let (s, d, route) = status_of(&app, &a);
                    let owner = a.owner_text(l.zh());
                    let why = a.reason().map(|r| r.text(l.zh()));
                    let status = format!("{} {}", icon(s), s.name(l.zh()));
                    let detail = d.text(l.zh());
                    view! {
                        <li class=format!("rm-action rm-{}", s.as_str()) data-testid="rm-action" data-status=s.as_str()>
                            <strong>{a.title.clone()}</strong>
                            <span class="meta">{a.module.name(l.zh())}{(!owner.is_empty()).then(|| format!(" · {owner}"))}</span>
                            <span class="rm-status" data-testid="rm-status">{status}{(!detail.is_empty()).then(|| format!(" · {detail}"))}</span>
                            {why.map(|w| view! { <span class="muted rm-why">{w}</span> })}
                            {route.map(|rt| view! { <a href=rt.hash() data-testid="rm-open-doc">{l.t("打开", "Open")}<span class="visually-hidden">{format!(" {}", a.title)}</span></a> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!targets.is_empty()).then(|| view! {
                <h3>{l.t("目标", "Targets")}</h3>
                <ul class="rm-targets">
                    {targets.into_iter().map(|t| {
                        let d = def(t.indicator);
                        let name = d.map(|d| if l.zh() { d.zh } else { d.en }).unwrap_or_default();
                        let current = match (&index, period) {
                            (Some(ix), Some(pp)) => ix.value(t.indicator, linli_shared::indicators::Period::new(pp.from, pp.to.min(now))),
                            _ => linli_shared::indicators::Value::NoData,
                        };
                        let tp = target_progress(&t, current);
                        let unit = if d.is_some_and(|d| d.unit == linli_shared::indicators::Unit::Percent) { "%" } else { "" };
                        let goal = format!("{}{unit}", linli_shared::domain::roadmap::form::format_tenths(t.tenths));
                        let line = match (l, knows) {
                            (Lang::Zh, true) => format!("{name}：现为 {}，目标 {goal}{}", current.text(true), match tp.met { Some(true) => " ✓ 已达成", Some(false) => "", None => "" }),
                            (Lang::En, true) => format!("{name}: now {}, target {goal}{}", current.text(false), match tp.met { Some(true) => " ✓ reached", Some(false) => "", None => "" }),
                            (Lang::Zh, false) => format!("{name}：目标 {goal}"),
                            (Lang::En, false) => format!("{name}: target {goal}"),
                        };
                        view! {
                            <li data-testid="rm-target">
                                <a href=Route::Indicator(t.indicator).hash()>{line}</a>
                                {tp.percent.filter(|_| knows).map(|pc| view! {
                                    <progress max="100" value=pc.to_string() aria-label=format!("{name} {pc}%")></progress>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(!cases.is_empty()).then(|| view! {
                <h3>{l.t("匹配案例", "Matched cases")}</h3>
                <ul class="rm-cases">
                    {cases.into_iter().filter_map(|c| {
                        let case = linli_shared::cases::CASES.iter().find(|k| k.id == c)?;
                        let why = matched.iter().find(|m| m.case.id == c).map(|m| m.explain(l.zh()));
                        Some(view! {
                            <li>
                                <a href=Route::Case(c.clone()).hash() data-testid="rm-case">{case.title(l.zh())}</a>
                                {why.map(|w| view! { <span class="muted">{w}</span> })}
                            </li>
                        })
                    }).collect_view()}
                </ul>
            })}
        </details>
    }
}
