//! `#/case/<id>`: one case: where and when, its problems, why it matches this community
//! (when it does), what was done, its results as reported, and its sources with how far each
//! can be trusted and whether the figures were re-checked.

use leptos::prelude::*;
use linli_shared::cases;

use crate::state::{App, Route};

#[component]
pub fn CasePage(id: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let case = cases::by_id(&id);
    let why = {
        let id = id.clone();
        Memo::new(move |_| {
            app.version.track();
            super::matched(&app).into_iter().find(|m| m.case.id == id)
        })
    };
    let back = view! {
        <a href=Route::Cases.hash() class="back">{move || lang.get().t("‹ 案例库", "‹ Case library")}</a>
    };
    let Some(case) = case else {
        if let Ok(doc) = linli_shared::ids::DocumentId::parse(&id) {
            return view! { <super::own::OwnCasePage id=doc/> }.into_any();
        }
        return view! {
            <main class="page case">
                {back}
                <p class="empty">{move || lang.get().t("找不到这个案例。", "There is no such case.")}</p>
            </main>
        }
        .into_any();
    };
    view! {
        <main class="page case" data-testid="case-page">
            {back}
            {move || {
                let l = lang.get();
                let zh = l.zh();
                view! {
                    <h2>{case.title(zh)}</h2>
                    <dl class="case-facts">
                        <dt>{l.t("地点", "Place")}</dt>
                        <dd>{format!("{} · {}", case.city(zh), case.place(zh))}</dd>
                        <dt>{l.t("年份", "Years")}</dt>
                        <dd>{case.years}</dd>
                        <dt>{l.t("问题", "Problems")}</dt>
                        <dd>{super::library::tag_chips(case, l)}</dd>
                    </dl>
                    {why.get().map(|m| view! {
                        <section class="case-why" aria-labelledby="case-why-h">
                            <h3 id="case-why-h">{l.t("为什么适合我们", "Why this matches us")}</h3>
                            <p data-testid="case-why">{m.explain(zh)}</p>
                        </section>
                    })}
                    <h3>{l.t("做法", "What was done")}</h3>
                    <p>{case.done(zh)}</p>
                    <h3>{l.t("成效（据报道）", "Results (as reported)")}</h3>
                    <p data-testid="case-results">{case.results(zh)}</p>
                    <h3>{l.t("来源", "Sources")}</h3>
                    <ul class="case-sources">
                        {case.sources.iter().map(|s| {
                            let name = if s.title.is_empty() {
                                s.outlet.to_string()
                            } else {
                                format!("{}：{}", s.outlet, s.title)
                            };
                            view! {
                                <li>
                                    <a href=s.url target="_blank" rel="noopener noreferrer">{name}</a>
                                    <span class="muted">{if s.date.is_empty() { l.t("日期不详", "undated").to_string() } else { s.date.to_string() }}</span>
                                    <span class="chip case-quality">{s.quality.name(zh)}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="hint" data-testid="case-checked">{case.check_note(zh)}</p>
                    <p class="hint">{l.t(
                        "案例由邻里团队根据公开报道改写，数字以原报道为准。",
                        "Written up in our own words from public reports; the reports' figures are the authority.",
                    )}</p>
                }
            }}
        </main>
    }
    .into_any()
}
