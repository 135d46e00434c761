//! `#/cases`: the matched cases first ("for our community", staff and grid workers: the
//! library's and the community's own), then the community's own cases and the whole library,
//! both found by one search box that works on Chinese text and a filter by problem; staff
//! write or import an own case from here.

use leptos::prelude::*;
use linli_shared::cases::{self, Case, Tag};

use super::Pick;
use crate::i18n::Lang;
use crate::state::{App, Route};

/// Matched cases shown at the top.
const TOP: usize = 5;

/// A case's problems as chips.
pub fn tag_chips(case: &'static Case, l: Lang) -> impl IntoView {
    view! {
        <ul class="case-tags" aria-label=l.t("问题", "Problems")>
            {case.tags.iter().map(|t| view! {
                <li class="chip case-tag" data-tag=t.key()>{t.name(l.zh())}</li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let query = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let matches = Memo::new(move |_| {
        app.version.track();
        super::matched_all(&app)
    });
    let own = Memo::new(move |_| {
        let t = tag.with(|t| Tag::parse(t));
        let q = query.get();
        super::own_cases(&app)
            .into_iter()
            .filter(|(_, c)| t.is_none_or(|t| c.tags().contains(&t)) && c.found_by(&q))
            .collect::<Vec<_>>()
    });
    let own_any = Memo::new(move |_| !super::own_cases(&app).is_empty());
    let found = Memo::new(move |_| {
        let t = tag.with(|t| Tag::parse(t));
        query
            .with(|q| cases::search(q))
            .into_iter()
            .filter(|c| t.is_none_or(|t| c.tags.contains(&t)))
            .collect::<Vec<_>>()
    });
    view! {
        <main class="page cases">
            <h2>{move || lang.get().t("本地化案例库", "Local case library")}</h2>
            <p class="hint">{move || match lang.get() {
                Lang::Zh => format!("{} 个有据可查的国内社区案例，存在手机里，离线也能看。", cases::CASES.len()),
                Lang::En => format!("{} documented Chinese community cases, kept on this phone: readable offline.", cases::CASES.len()),
            }}</p>
            <Show when=move || super::sees_matches(&app)>
                <section class="case-matches" aria-labelledby="cases-ours">
                    <h3 id="cases-ours">{move || lang.get().t("适合我们社区", "For our community")}</h3>
                    <p class="hint">{move || lang.get().t(
                        "按本社区未办结的诉求和近90天的指标匹配。",
                        "Matched to this community's open requests and its indicators over the last 90 days.",
                    )}</p>
                    {move || {
                        let l = lang.get();
                        let m = matches.get();
                        if m.is_empty() {
                            return view! {
                                <p class="empty" data-testid="cases-none">{l.t(
                                    "目前没有未办结的诉求或薄弱指标可以匹配。",
                                    "No open requests or weak indicators to match yet.",
                                )}</p>
                            }.into_any();
                        }
                        view! {
                            <ol class="cards">
                                {m.into_iter().take(TOP).map(|m| {
                                    let why = m.explain(l.zh());
                                    let (href, title, place, years, ours) = match m {
                                        Pick::Library(m) => (
                                            Route::Case(m.case.id.into()).hash(),
                                            m.case.title(l.zh()).to_string(),
                                            m.case.city(l.zh()).to_string(),
                                            m.case.years.to_string(),
                                            false,
                                        ),
                                        Pick::Own(id, c, _) => (
                                            Route::Case(id.to_string()).hash(),
                                            c.title.clone(),
                                            super::own::origin(&c, l),
                                            c.years.clone(),
                                            true,
                                        ),
                                    };
                                    view! {
                                        <li class="card" data-testid="case-match" data-own=ours.then_some("1")>
                                            <a class="card-link" href=href>
                                                <strong class="card-title">{title}</strong>
                                                <span class="card-meta">
                                                    <span>{place}</span>
                                                    <span>{years}</span>
                                                </span>
                                            </a>
                                            <p class="why" data-testid="case-why">{why}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </section>
            </Show>
            <Show when=move || super::writes_cases(&app)>
                <p class="buttons">
                    <a class="button" href=Route::NewCase.hash() data-testid="case-new">{move || lang.get().t("写一个本社区案例，或导入分享的案例", "Write up a case of ours, or import a shared one")}</a>
                </p>
            </Show>
            <Show when=move || own_any.get()>
                <section class="case-own" aria-labelledby="cases-own">
                    <h3 id="cases-own">{move || lang.get().t("本社区案例", "Our own cases")}</h3>
                    <ul class="cards" aria-label=move || lang.get().t("本社区案例列表", "Our own cases")>
                        {move || {
                            let l = lang.get();
                            own.get().into_iter().map(|(id, c)| view! {
                                <li class="card" data-testid="own-case-row">
                                    <a class="card-link" href=Route::Case(id.to_string()).hash()>
                                        <strong class="card-title">{c.title.clone()}</strong>
                                        <span class="card-meta">
                                            <span>{super::own::origin(&c, l)}</span>
                                            <span>{c.years.clone()}</span>
                                        </span>
                                    </a>
                                    {super::own::chips(&c, l)}
                                </li>
                            }).collect_view()
                        }}
                    </ul>
                </section>
            </Show>
            <section class="case-all" aria-labelledby="cases-all">
                <h3 id="cases-all">{move || lang.get().t("全部案例", "All cases")}</h3>
                <div class="case-search">
                    <div class="field">
                        <label for="case-q">{move || lang.get().t("搜索（地名、做法、问题）", "Search (place, practice, problem)")}</label>
                        <input id="case-q" type="search" data-testid="case-search" autocomplete="off"
                            placeholder=move || lang.get().t("如：停车难、楼道、自治金", "e.g. parking, stairwell, 自治金")
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="case-tag">{move || lang.get().t("按问题筛选", "Filter by problem")}</label>
                        <select id="case-tag" data-testid="case-tag" on:change=move |ev| tag.set(event_target_value(&ev))>
                            <option value="" selected=move || tag.with(String::is_empty)>{move || lang.get().t("全部问题", "All problems")}</option>
                            {Tag::ALL.into_iter().map(|t| view! {
                                <option value=t.key() selected=move || tag.with(|x| x == t.key())>{move || t.name(lang.get().zh())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <p class="hint" role="status" aria-live="polite" data-testid="case-count">{move || match lang.get() {
                    Lang::Zh => format!("找到 {} 个案例", found.with(Vec::len)),
                    Lang::En => format!("{} cases found", found.with(Vec::len)),
                }}</p>
                <ul class="cards" aria-label=move || lang.get().t("案例列表", "Cases")>
                    {move || {
                        let l = lang.get();
                        found.get().into_iter().map(|c| view! {
                            <li class="card" data-testid="case-row">
                                <a class="card-link" href=Route::Case(c.id.into()).hash()>
                                    <strong class="card-title">{c.title(l.zh())}</strong>
                                    <span class="card-meta">
                                        <span>{format!("{} · {}", c.city(l.zh()), c.place(l.zh()))}</span>
                                        <span>{c.years}</span>
                                    </span>
                                </a>
                                {tag_chips(c, l)}
                            </li>
                        }).collect_view()
                    }}
                </ul>
            </section>
        </main>
    }
}
