//! A figure's records `#/ind/<id>`: the figure for the dashboard's period and scope, then the
//! documents it counted (its numerator) and, for a share, those it was counted out of (its
//! denominator), each opening its own page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::ids::DocumentId;
use linli_shared::indicators::{Figure, Value, def};

use super::{date_text, period_text, record, scope_name, selection, visible};
use crate::i18n::Lang;
use crate::platform;
use crate::state::App;

/// How many rows a list shows before "show all".
const FIRST: usize = 50;

#[component]
pub fn RecordsPage(id: u8) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let sel = selection(&app);
    let allowed = visible(&app).iter().any(|d| d.id == id);
    let fig = RwSignal::new(None::<Figure>);
    let period = sel.period.period(app.now());
    let scope = sel.scope.clone();
    Effect::new(move |_| {
        app.version.track();
        if !allowed {
            return;
        }
        let scope = scope.clone();
        spawn_local(async move {
            platform::after_paint().await;
            let kept = super::latest(app, scope, true).await;
            // The page may be gone by now.
            let _ = fig.try_set(Some(kept.index.figure(id, period)));
        });
    });
    let Some(d) = def(id).filter(|_| allowed) else {
        return view! {
            <main class="page ind-records">
                <p><a class="row-link" href="#/indicators">{move || lang.get().t("‹ 指标", "‹ Indicators")}</a></p>
                <p class="empty">{move || lang.get().t("这项指标不对你公开。", "This figure is not shown to you.")}</p>
            </main>
        }
        .into_any();
    };
    let scope_text = sel.scope.clone();
    view! {
        <main class="page ind-records" data-testid="ind-records"
            data-ready=move || if fig.with(Option::is_some) { "1" } else { "0" }>
            <p><a class="row-link" href="#/indicators">{move || lang.get().t("‹ 指标", "‹ Indicators")}</a></p>
            <h2 data-testid="ind-records-title">{move || lang.get().t(d.zh, d.en)}</h2>
            <p class="hint">
                {move || scope_name(lang.get(), &scope_text)}" · "{period_text(period)}" · "
                {move || sel.period.name(lang.get())}
            </p>
            <details class="ind-def">
                <summary>{move || lang.get().t("定义", "Definition")}</summary>
                <p>{move || lang.get().t(d.def_zh, d.def_en)}</p>
                <p class="hint" lang="en">{d.how}</p>
            </details>
            {move || match fig.get() {
                None => view! { <p class="loading" aria-busy="true">{move || lang.get().t("正在计算…", "Computing…")}</p> }.into_any(),
                Some(f) => view! { <FigureRecords f/> }.into_any(),
            }}
        </main>
    }
    .into_any()
}

#[component]
fn FigureRecords(f: Figure) -> impl IntoView {
    let lang = expect_context::<App>().lang;
    let value = f.value;
    let share = matches!(value, Value::Ratio { .. }) || !f.denominator.is_empty();
    let (num, den) = (f.numerator, f.denominator);
    let n_num = num.len();
    let n_den = den.len();
    view! {
        <p class="big" data-testid="ind-records-value">{move || value.text(lang.get() == Lang::Zh)}</p>
        {(value == Value::CommunityWide).then(|| view! {
            <p class="hint">{move || lang.get().t("这项指标只在社区层面统计：请在指标页选择“全社区”。", "This figure is kept for the whole community only: pick the whole community on the dashboard.")}</p>
        })}
        <section aria-labelledby="num-h" data-testid="numerator">
            <h3 id="num-h">
                {move || if share { lang.get().t("计入（分子）", "Counted (numerator)") } else { lang.get().t("计入的记录", "Counted") }}
                {format!(" · {n_num}")}
            </h3>
            <RecordList ids=num/>
        </section>
        {share.then(|| view! {
            <section aria-labelledby="den-h" data-testid="denominator">
                <h3 id="den-h">{move || lang.get().t("总数（分母）", "Out of (denominator)")}{format!(" · {n_den}")}</h3>
                <RecordList ids=den/>
            </section>
        })}
    }
}

#[component]
fn RecordList(ids: Vec<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = RwSignal::new(false);
    let total = ids.len();
    view! {
        {(total == 0).then(|| view! { <p class="empty">{move || lang.get().t("没有记录。", "No records.")}</p> })}
        <ul class="list ind-record-list">
            {move || {
                let l = lang.get();
                let n = if all.get() { total } else { total.min(FIRST) };
                ids.iter().take(n).map(|id| {
                    let r = record(&app, *id, l);
                    let date = r.date.map(date_text);
                    view! {
                        <li class="card ind-record" data-kind=r.kind>
                            {match r.route {
                                Some(route) => view! { <a class="card-link" href=route.hash() data-testid="record">
                                    <span class="card-title">{r.title.clone()}</span>
                                    {date.clone().map(|d| view! { <span class="meta">{d}</span> })}
                                </a> }.into_any(),
                                None => view! { <span class="card-link">
                                    <span class="card-title">{r.title.clone()}</span>
                                    {date.clone().map(|d| view! { <span class="meta">{d}</span> })}
                                </span> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
        <Show when=move || { !all.get() && total > FIRST }>
            <button type="button" on:click=move |_| all.set(true)>
                {move || match lang.get() {
                    Lang::Zh => format!("显示全部 {total} 条"),
                    Lang::En => format!("Show all {total}"),
                }}
            </button>
        </Show>
    }
}
