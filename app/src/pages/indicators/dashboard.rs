//! The dashboard `#/indicators`: the activity index first, then the figures by group, each
//! with the previous period beside it, a twelve-week line and its definition one tap away.

use leptos::prelude::*;
use leptos::task::spawn_local;
use linli_shared::indicators::{
    Activity, ActivityMonth, Card, Def, Group, Index, Period, Scope, TREND_WEEKS, Value, def,
    part_name,
};
use linli_shared::policy::Role;

use super::chart::{LineChart, gist};
use super::{
    Kept, PeriodSel, Sel, cached_cards, change, day_text, keep_cards, latest, measure,
    measure_span, parse_day, perf, period_text, remember, scope_name, scopes, selection, visible,
    week_label,
};
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Route};

/// The activity index of the period and of the last twelve months.
#[derive(Debug, Clone, PartialEq)]
struct ActivityView {
    now: Activity,
    months: Vec<ActivityMonth>,
}

impl ActivityView {
    fn of(index: &Index, period: Period) -> Self {
        ActivityView {
            now: index.activity(period),
            months: index.activity_months(12),
        }
    }
}

/// A card's weekly values.
type Trend = Vec<(Period, Value)>;

/// A figure in the order shown: its id, the number of its group, its card (figure, parts and
/// previous period), its trend line (worked out after every card's figure is shown).
type Slot = (u8, usize, RwSignal<Option<Card>>, RwSignal<Option<Trend>>);

/// What one selection shows: each figure's card in a signal of its own, so a card that is
/// computed (or changes) redraws only itself.
#[derive(Clone, Copy)]
struct Shown {
    cards: StoredValue<Vec<Slot>>,
    /// How many groups are drawn (they are drawn in turn as their figures come).
    groups: RwSignal<usize>,
    activity: RwSignal<Option<ActivityView>>,
    /// The figures are of the summaries this phone holds now.
    ready: RwSignal<bool>,
    /// Bumped for every new run: a run that sees another number stops.
    run: StoredValue<u64>,
}

impl Shown {
    fn card(&self, id: u8) -> (RwSignal<Option<Card>>, RwSignal<Option<Trend>>) {
        self.cards.with_value(|c| {
            c.iter()
                .find(|(i, _, _, _)| *i == id)
                .map(|(_, _, s, t)| (*s, *t))
                .expect("a card for every figure shown")
        })
    }

    fn clear(&self) {
        self.cards.with_value(|c| {
            for (_, _, s, t) in c {
                s.set(None);
                t.set(None);
            }
        });
        self.activity.set(None);
    }

    /// Shows `card`, and its trend if it has one (what did not change is left as it is).
    fn show(&self, mut card: Card) {
        let (s, t) = self.card(card.fig.id);
        if let Some(trend) = card.trend.take()
            && t.with_untracked(|t| t.as_ref() != Some(&trend))
        {
            t.set(Some(trend));
        }
        if s.with_untracked(|c| c.as_ref() != Some(&card)) {
            s.set(Some(card));
        }
    }

    /// Shows the trend of figure `id`.
    fn show_trend(&self, id: u8, trend: Trend) {
        let (_, t) = self.card(id);
        if t.with_untracked(|t| t.as_ref() != Some(&trend)) {
            t.set(Some(trend));
        }
    }

    /// Whether run `run` was replaced, or the page is gone (its values disposed).
    fn stale(&self, run: u64) -> bool {
        self.run.try_get_value() != Some(run)
    }
}

/// After the summaries change, how long they must stay unchanged before the figures are
/// computed again (meanwhile the last figures stay on screen, marked as updating).
const QUIET_MS: i32 = 600;

/// Shows the cards of `kept` for the selection in two passes: every card's figure, parts and
/// previous period one by one (each drawn before the next), then every card's twelve weeks.
/// It works in slices of about [`super::SLICE_MS`] between which the browser paints and
/// handles input. Cards computed before come from the cache. False when the run was replaced
/// meanwhile.
///
/// Measures (`performance`): `linli:indicators:figures`, until every figure is shown;
/// `linli:indicators:all`, until every trend is drawn too; `linli:indicators:compute`, the
/// time spent computing alone (drawing and the browser's turns left out), from the same start.
async fn show_cards(sel: &Sel, period: Period, kept: &Kept, shown: Shown, run: u64) -> bool {
    let activity = ActivityView::of(&kept.index, period);
    if shown
        .activity
        .with_untracked(|a| a.as_ref() != Some(&activity))
    {
        shown.activity.set(Some(activity));
    }
    let cached = cached_cards(&sel.scope, period, kept.version);
    let ids: Vec<(u8, usize)> = shown
        .cards
        .with_value(|c| c.iter().map(|(i, g, _, _)| (*i, *g)).collect());
    perf("mark", &["linli:indicators:all:start"]);
    perf("mark", &["linli:indicators:figures:start"]);
    let mut computing = 0.0;
    let mut out: Vec<Card> = Vec::with_capacity(ids.len());
    let mut slices = platform::Slices::new(super::SLICE_MS);
    for (i, (id, group)) in ids.iter().copied().enumerate() {
        if shown.groups.get_untracked() <= group {
            shown.groups.set(group + 1);
        }
        if slices.pause().await && shown.stale(run) {
            return false;
        }
        let card = match cached
            .as_ref()
            .and_then(|c| c.get(i))
            .filter(|c| c.fig.id == id)
        {
            Some(c) => c.clone(),
            None => {
                let t = platform::now();
                let c = kept.index.card(id, period);
                computing += platform::now() - t;
                c
            }
        };
        shown.show(card.clone());
        platform::settle().await;
        if shown.stale(run) {
            return false;
        }
        out.push(card);
    }
    measure("linli:indicators:figures");
    for card in out.iter_mut().filter(|c| c.trend.is_none()) {
        if card.fig.value == Value::CommunityWide {
            card.trend = Some(Vec::new());
            continue;
        }
        if slices.pause().await && shown.stale(run) {
            return false;
        }
        let t = platform::now();
        let trend = kept.index.trend(card.fig.id, period, TREND_WEEKS);
        computing += platform::now() - t;
        shown.show_trend(card.fig.id, trend.clone());
        card.trend = Some(trend);
        platform::settle().await;
        if shown.stale(run) {
            return false;
        }
    }
    measure("linli:indicators:all");
    measure_span(
        "linli:indicators:compute",
        "linli:indicators:all:start",
        computing,
    );
    if cached.is_none() {
        keep_cards(&sel.scope, period, kept.version, out);
    }
    true
}

async fn compute(app: App, sel: Sel, shown: Shown, run: u64) {
    // The skeleton paints first; the work starts after.
    platform::after_paint().await;
    if run == 1 {
        measure("linli:indicators:mount");
    }
    if shown.stale(run) {
        return;
    }
    let period = sel.period.period(app.now());
    // The index kept from before (even of older summaries) shows at once.
    let kept = latest(app, sel.scope.clone(), false).await;
    if shown.stale(run) || !show_cards(&sel, period, &kept, shown, run).await {
        return;
    }
    if !kept.fresh {
        // The summaries changed since: once they rest, the figures are computed again (a
        // change meanwhile starts a new run and this one stops).
        platform::sleep_ms(QUIET_MS).await;
        if shown.stale(run) {
            return;
        }
        let kept = latest(app, sel.scope.clone(), true).await;
        if shown.stale(run) || !show_cards(&sel, period, &kept, shown, run).await {
            return;
        }
        if !kept.fresh {
            return;
        }
    }
    shown.ready.set(true);
}

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    perf("mark", &["linli:indicators:mount:start"]);
    let app = expect_context::<App>();
    let lang = app.lang;
    let sel = RwSignal::new(selection(&app));
    let defs: Vec<&'static Def> = visible(&app);
    let groups: Vec<(Group, Vec<&'static Def>)> = Group::ALL
        .iter()
        .map(|g| (*g, defs.iter().copied().filter(|d| d.group == *g).collect()))
        .filter(|(_, v): &(Group, Vec<&'static Def>)| !v.is_empty())
        .collect();
    // The cards in the order they show, each with the number of its group.
    let order: Vec<(usize, u8)> = groups
        .iter()
        .enumerate()
        .flat_map(|(i, (_, defs))| defs.iter().map(move |d| (i, d.id)))
        .collect();
    let shown = Shown {
        cards: StoredValue::new(
            order
                .iter()
                .map(|(g, id)| (*id, *g, RwSignal::new(None), RwSignal::new(None)))
                .collect(),
        ),
        groups: RwSignal::new(1),
        activity: RwSignal::new(None),
        ready: RwSignal::new(false),
        run: StoredValue::new(0),
    };
    let last = StoredValue::new(None::<Sel>);
    Effect::new(move |_| {
        app.version.track();
        let s = sel.get();
        remember(&s);
        // A new selection starts from the skeleton; new summaries keep the figures shown
        // until their update is ready.
        if last.get_value().as_ref() != Some(&s) {
            shown.clear();
            last.set_value(Some(s.clone()));
        }
        shown.ready.set(false);
        let run = shown.run.get_value() + 1;
        shown.run.set_value(run);
        spawn_local(compute(app, s, shown, run));
    });
    let all = super::sees_all(&app);
    let staff = app
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff));
    let period = Memo::new(move |_| sel.with(|s| s.period.period(app.now())));
    view! {
        <main class="page indicators" data-testid="indicators"
            data-ready=move || if shown.ready.get() { "1" } else { "0" }
            aria-busy=move || if shown.ready.get() { "false" } else { "true" }>
            <h2>{move || lang.get().t("指标", "Indicators")}</h2>
            <p class="hint">{move || if all {
                lang.get().t("30项关键指标，由本机持有的记录计算；点一项可查看它统计了哪些记录。", "The 30 key indicators, computed from the records this phone holds; tap one to see the records it counts.")
            } else {
                lang.get().t(
                    "公开的指标：你家诉求的按时答复率（本机只有你家的诉求），以及全社区的活动场次和基金使用。",
                    "Public figures: on-time answers to your household's requests (this phone holds only yours), and the community's events held and fund use.",
                )
            }}</p>
            <Controls sel/>
            <p class="hint" data-testid="ind-period">{move || {
                let p = period.get();
                match lang.get() {
                    Lang::Zh => format!("{}（与上一期 {} 比较）", period_text(p), period_text(p.previous())),
                    Lang::En => format!("{} (compared with {})", period_text(p), period_text(p.previous())),
                }
            }}</p>
            <p class="hint ind-updating" data-testid="ind-updating" aria-live="polite">
                {move || (!shown.ready.get()).then(|| lang.get().t("正在计算最新数字…", "Working out the latest figures…"))}
            </p>
            <Show when=move || all>
                <ActivitySection shown/>
            </Show>
            // A group is drawn when its first figure is about to show (the first at once), so
            // the page's first paint holds one group's cards, not thirty (drawing none at first
            // was slower: each group then cost a stall of its own).
            {groups.into_iter().enumerate().map(|(i, (g, defs))| {
                let (zh, en) = g.names();
                let hid = format!("grp-{}", g.as_str());
                let labelled = hid.clone();
                view! {
                    <Show when=move || { shown.groups.get() > i }>
                        <section class="ind-group" aria-labelledby=labelled.clone()>
                            <h3 id=hid.clone()>{move || lang.get().t(zh, en)}</h3>
                            <ul class="cards ind-cards">
                                {defs.iter().map(|d| view! { <FigureCard d=*d shown/> }).collect_view()}
                            </ul>
                        </section>
                    </Show>
                }
            }).collect_view()}
            <Show when=move || staff && sel.with(|s| s.scope == Scope::Community)>
                <GridsSideBySide sel/>
            </Show>
        </main>
    }
}

/// The period and scope pickers; a custom range keeps what was typed when it is wrong.
#[component]
fn Controls(sel: RwSignal<Sel>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let custom = RwSignal::new(matches!(sel.get_untracked().period, PeriodSel::Custom(..)));
    let (from0, to0) = {
        let p = sel.get_untracked().period.period(app.now());
        (
            day_text(linli_shared::time::shanghai_day(p.from)),
            day_text(linli_shared::time::shanghai_day(p.to - 1)),
        )
    };
    let from = RwSignal::new(from0);
    let to = RwSignal::new(to0);
    let error = RwSignal::new(None::<(&'static str, &'static str)>);
    let apply = move || {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        match (parse_day(&f), parse_day(&t)) {
            (Some(a), Some(b)) if a <= b && b - a < 3660 => {
                error.set(None);
                sel.update(|s| s.period = PeriodSel::Custom(a, b));
            }
            (Some(a), Some(b)) if a > b => error.set(Some((
                "开始日期晚于结束日期，请改一下。",
                "The start date is after the end date: please change one.",
            ))),
            (Some(_), Some(_)) => {
                error.set(Some(("时间段最长十年。", "A period is at most ten years.")))
            }
            _ => error.set(Some((
                "请填写有效的日期，例如 2026-11-01。",
                "Please enter real dates, e.g. 2026-11-01.",
            ))),
        }
    };
    let scopes = scopes(&app);
    let many = scopes.len() > 1;
    let scope_key = |s: &Scope| match s {
        Scope::Community => String::new(),
        Scope::Grid(g) => g.clone(),
    };
    let options = scopes.clone();
    view! {
        <div class="ind-controls">
            <label for="ind-period-select">{move || lang.get().t("统计期", "Period")}</label>
            <select id="ind-period-select" data-testid="ind-period-select"
                prop:value=move || if custom.get() { "custom".to_string() } else { sel.with(|s| s.period.key()) }
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if v == "custom" {
                        custom.set(true);
                    } else if let Some(p) = PeriodSel::from_key(&v) {
                        custom.set(false);
                        error.set(None);
                        sel.update(|s| s.period = p);
                    }
                }>
                {PeriodSel::CHOICES.into_iter().map(|p| view! {
                    <option value=p.key() selected=move || !custom.get() && sel.with(|s| s.period == p)>{move || p.name(lang.get())}</option>
                }).collect_view()}
                <option value="custom" selected=move || custom.get()>{move || lang.get().t("自定义日期", "Custom dates")}</option>
            </select>
            <Show when=move || custom.get()>
                <div class="ind-dates">
                    <label for="ind-from">{move || lang.get().t("从", "From")}</label>
                    <input id="ind-from" type="date" prop:value=move || from.get()
                        aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                        aria-describedby="ind-dates-error"
                        on:change=move |ev| { from.set(event_target_value(&ev)); apply(); }/>
                    <label for="ind-to">{move || lang.get().t("到", "To")}</label>
                    <input id="ind-to" type="date" prop:value=move || to.get()
                        aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                        aria-describedby="ind-dates-error"
                        on:change=move |ev| { to.set(event_target_value(&ev)); apply(); }/>
                </div>
                <p id="ind-dates-error" class="field-error" role="alert" data-testid="ind-dates-error">
                    {move || error.get().map(|(zh, en)| lang.get().t(zh, en))}
                </p>
            </Show>
            {if many {
                view! {
                    <label for="ind-scope">{move || lang.get().t("范围", "Scope")}</label>
                    <select id="ind-scope" data-testid="ind-scope"
                        prop:value=move || sel.with(|s| scope_key(&s.scope))
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            sel.update(|s| s.scope = if v.is_empty() { Scope::Community } else { Scope::Grid(v) });
                        }>
                        {options.into_iter().map(|s| {
                            let key = scope_key(&s);
                            let this = s.clone();
                            view! { <option value=key selected=move || sel.with(|x| x.scope == this)>{move || scope_name(lang.get(), &s)}</option> }
                        }).collect_view()}
                    </select>
                }.into_any()
            } else {
                view! {
                    <p class="ind-scope-one">{move || lang.get().t("范围：", "Scope: ")}{move || sel.with(|s| scope_name(lang.get(), &s.scope))}</p>
                }.into_any()
            }}
        </div>
    }
}

/// The activity index 社区活跃度: now, the baseline month, the target at twice it, and the
/// last twelve months against the target.
#[component]
fn ActivitySection(shown: Shown) -> impl IntoView {
    let lang = expect_context::<App>().lang;
    view! {
        <section class="card activity" aria-labelledby="activity-h" data-testid="activity">
            <h3 id="activity-h">{move || lang.get().t("社区活跃度", "Activity index")}</h3>
            {move || {
                let l = lang.get();
                match shown.activity.get() {
                    None => view! { <p class="loading">{l.t("正在计算…", "Computing…")}</p> }.into_any(),
                    Some(a) => activity_view(l, a).into_any(),
                }
            }}
        </section>
    }
}

fn month_label(l: Lang, m: &ActivityMonth) -> String {
    match l {
        Lang::Zh => format!("{}年{}月", m.year, m.month),
        Lang::En => format!("{}-{:02}", m.year, m.month),
    }
}

fn activity_view(l: Lang, a: ActivityView) -> impl IntoView {
    let base = Index::baseline(&a.months).copied();
    let target = base.and_then(|b| b.activity.index).map(|i| i * 2.0);
    let now = a.now.index;
    let sentence = match (now, target) {
        (None, _) => l
            .t(
                "无数据：本机还没有住户名册。",
                "No data: this phone holds no roll of households.",
            )
            .to_string(),
        (Some(n), Some(t)) => {
            let gap = a.now.gap_to(t).unwrap_or(0.0);
            match (l, gap > 0.0) {
                (Lang::Zh, true) => format!("活跃度 {n:.1}，目标 {t:.1}，还差 {gap:.0}%"),
                (Lang::En, true) => format!("Activity {n:.1}, target {t:.1}, {gap:.0}% to go"),
                (Lang::Zh, false) => format!("活跃度 {n:.1}，已达到目标 {t:.1}"),
                (Lang::En, false) => format!("Activity {n:.1}, target {t:.1} reached"),
            }
        }
        (Some(n), None) => match l {
            Lang::Zh => format!("活跃度 {n:.1}，还没有可作基线的月份"),
            Lang::En => format!("Activity {n:.1}; no baseline month yet"),
        },
    };
    let baseline = base.map(|b| {
        let v = b.activity.index.unwrap_or(0.0);
        match l {
            Lang::Zh => format!(
                "基线：{} 活跃度 {v:.1}；目标为基线的 2 倍。",
                month_label(l, &b)
            ),
            Lang::En => format!(
                "Baseline: {}, activity {v:.1}; the target is twice the baseline.",
                month_label(l, &b)
            ),
        }
    });
    let detail = match l {
        Lang::Zh => format!(
            "本期活跃住户 {} / {} 户，平均参与 {:.1} 类。",
            a.now.active, a.now.households, a.now.kinds
        ),
        Lang::En => format!(
            "{} of {} households active this period, {:.1} kinds of participation each.",
            a.now.active, a.now.households, a.now.kinds
        ),
    };
    let points: Vec<Option<f64>> = a.months.iter().map(|m| m.activity.index).collect();
    let texts: Vec<(Option<f64>, String)> = a
        .months
        .iter()
        .map(|m| {
            (
                m.activity.index,
                m.activity.index.map_or_else(
                    || l.t("无数据", "no data").to_string(),
                    |i| format!("{i:.1}"),
                ),
            )
        })
        .collect();
    let label = match (l, target) {
        (Lang::Zh, Some(t)) => format!("社区活跃度，近12个月：{}；目标 {t:.1}", gist(l, &texts)),
        (Lang::En, Some(t)) => format!(
            "Activity index, last 12 months: {}; target {t:.1}",
            gist(l, &texts)
        ),
        (Lang::Zh, None) => format!("社区活跃度，近12个月：{}", gist(l, &texts)),
        (Lang::En, None) => format!("Activity index, last 12 months: {}", gist(l, &texts)),
    };
    let mut rows: Vec<(String, String)> = a
        .months
        .iter()
        .zip(&texts)
        .map(|(m, t)| (month_label(l, m), t.1.clone()))
        .collect();
    if let Some(t) = target {
        rows.push((l.t("目标", "Target").into(), format!("{t:.1}")));
    }
    let first = a
        .months
        .first()
        .map(|m| month_label(l, m))
        .unwrap_or_default();
    let last = a
        .months
        .last()
        .map(|m| month_label(l, m))
        .unwrap_or_default();
    view! {
        <p class="big" data-testid="activity-now">
            {now.map_or_else(|| l.t("无数据", "no data").to_string(), |n| format!("{n:.1}"))}
        </p>
        <p data-testid="activity-sentence"><strong>{sentence}</strong></p>
        <p class="hint">{detail}</p>
        {baseline.map(|b| view! { <p class="hint" data-testid="activity-baseline">{b}</p> })}
        <LineChart label points target rows axis=Some((first, last))
            head=("月份", "Month", "活跃度", "Activity") height=90.0 class="activity-chart"/>
        <p class="legend hint">
            <span class="key-line" aria-hidden="true"></span>{l.t(" 活跃度 ", " activity ")}
            <span class="key-target" aria-hidden="true"></span>{l.t(" 目标（基线的 2 倍）", " target (2× baseline)")}
        </p>
    }
}

/// One figure's card: its name and value (a link to its records), the previous period, its
/// twelve weeks, its parts, and its definition.
#[component]
fn FigureCard(d: &'static Def, shown: Shown) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let id = d.id;
    // A resident's or volunteer's phone holds no other household's requests: their on-time
    // rate is their own household's, and says so (events and the fund are everyone's).
    let (zh, en) = if id == 2 && !super::sees_all(&app) {
        (
            "按时答复率（你家的诉求）",
            "On-time answer rate (your household's requests)",
        )
    } else {
        (d.zh, d.en)
    };
    let (card, trend) = shown.card(id);
    let href = Route::Indicator(id).hash();
    view! {
        <li class="card ind-card" data-testid="ind-card" data-id=id.to_string()
            data-group=d.group.as_str()>
            <a class="card-link" href=href data-testid="ind-link">
                <span class="card-title">{move || lang.get().t(zh, en)}</span>
                <strong class="ind-value" data-testid="ind-value">
                    {move || card.get().map_or_else(|| "…".to_string(), |c| c.fig.value.text(lang.get() == Lang::Zh))}
                </strong>
            </a>
            {move || {
                // Drawn again in the other language when it changes.
                lang.track();
                card.get().map(|c| view! { <CardBody d c trend/> })
            }}
            <details class="ind-def">
                <summary>{move || lang.get().t("定义", "Definition")}</summary>
                <p>{move || lang.get().t(d.def_zh, d.def_en)}</p>
                <p class="hint" lang="en">{d.how}</p>
            </details>
        </li>
    }
}

#[component]
fn CardBody(d: &'static Def, c: Card, trend: RwSignal<Option<Trend>>) -> impl IntoView {
    let lang = expect_context::<App>().lang;
    let l = lang.get_untracked();
    let zh = l == Lang::Zh;
    if c.fig.value == Value::CommunityWide {
        return view! {
            <p class="hint">{l.t("这项指标只在社区层面统计。", "This figure is kept for the whole community only.")}</p>
        }
        .into_any();
    }
    let (delta, better) = change(d, c.prev, c.fig.value);
    let (arrow, class, words) = match (delta, better) {
        (Some(x), Some(true)) => (
            if x > 0.0 { "▲" } else { "▼" },
            "arrow good",
            l.t("，向好", ", for the better"),
        ),
        (Some(x), Some(false)) => (
            if x > 0.0 { "▲" } else { "▼" },
            "arrow bad",
            l.t("，变差", ", for the worse"),
        ),
        (Some(_), None) => ("＝", "arrow same", l.t("，持平", ", unchanged")),
        _ => ("", "arrow", ""),
    };
    let name = l.t(d.zh, d.en);
    // The line comes after every figure is shown; its place is kept meanwhile.
    let line = move || match trend.get() {
        None => view! { <div class="spark chart spark-wait" aria-hidden="true"></div> }.into_any(),
        Some(trend) => {
            let texts: Vec<(Option<f64>, String)> = trend
                .iter()
                .map(|(_, v)| (v.number(), v.text(zh)))
                .collect();
            let label = match l {
                Lang::Zh => format!("{name}，近12周：{}", gist(l, &texts)),
                Lang::En => format!("{name}, last 12 weeks: {}", gist(l, &texts)),
            };
            let rows: Vec<(String, String)> = trend
                .iter()
                .map(|(p, v)| (week_label(*p), v.text(zh)))
                .collect();
            let points: Vec<Option<f64>> = trend.iter().map(|(_, v)| v.number()).collect();
            view! {
                <LineChart label points rows head=("周（起）", "Week of", "数值", "Value") height=30.0 class="spark"/>
            }
            .into_any()
        }
    };
    let parts = c.fig.parts.clone();
    view! {
        <p class="ind-prev" data-testid="ind-prev">
            {l.t("上一期 ", "Previous ")}{c.prev.text(zh)}" "
            <span class=class aria-hidden="true">{arrow}</span>
            <span class="sr">{words}</span>
        </p>
        {line}
        {(!parts.is_empty()).then(|| view! {
            <ul class="parts" data-testid="ind-parts">
                {parts.into_iter().map(|p| {
                    let (pz, pe) = part_name(p.key);
                    view! { <li><span>{l.t(pz, pe)}</span>" "<strong>{p.value.text(zh)}</strong></li> }
                }).collect_view()}
            </ul>
        })}
    }
    .into_any()
}

/// Staff: the grids side by side on a few key figures, the lagging grid of each marked.
#[component]
fn GridsSideBySide(sel: RwSignal<Sel>) -> impl IntoView {
    const COLS: [u8; 6] = [2, 5, 26, 27, 28, 29];
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = RwSignal::new(None::<Vec<(String, Vec<Value>)>>);
    let busy = RwSignal::new(false);
    let start = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let period = sel.with_untracked(|s| s.period.period(app.now()));
        let grids = crate::pages::grid::my_grids(&app);
        spawn_local(async move {
            let mut out = Vec::new();
            for g in grids {
                let kept = latest(app, Scope::Grid(g.clone()), true).await;
                out.push((
                    g,
                    COLS.iter()
                        .map(|id| kept.index.value(*id, period))
                        .collect(),
                ));
            }
            // The page may be gone by now.
            let _ = rows.try_set(Some(out));
            let _ = busy.try_set(false);
        });
    };
    // Another period: the table is computed again when asked.
    Effect::new(move |_| {
        sel.track();
        rows.set(None);
    });
    view! {
        <section class="card side-by-side" aria-labelledby="sbs-h" data-testid="grids-side-by-side">
            <h3 id="sbs-h">{move || lang.get().t("网格对比", "Grids side by side")}</h3>
            <Show when=move || rows.with(Option::is_none)>
                <button type="button" data-testid="sbs-compute" on:click=start disabled=move || busy.get()>
                    {move || if busy.get() { lang.get().t("正在计算…", "Computing…") } else { lang.get().t("计算各网格的关键指标", "Compute the grids' key figures") }}
                </button>
            </Show>
            {move || rows.get().map(|rows| {
                let l = lang.get();
                let zh = l == Lang::Zh;
                // Per column, the worst value among the grids with data (when they differ).
                let lag: Vec<Option<f64>> = COLS.iter().enumerate().map(|(i, id)| {
                    let d = def(*id)?;
                    let vals: Vec<f64> = rows.iter().filter_map(|r| r.1[i].number()).collect();
                    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    (vals.len() > 1 && hi - lo > 1e-9).then(|| if d.better == linli_shared::indicators::Better::Higher { lo } else { hi })
                }).collect();
                view! {
                    <div class="table-wrap">
                        <table data-testid="sbs-table">
                            <caption class="sr">{l.t("各网格关键指标，落后的一格已标出", "Key figures per grid, the lagging cell marked")}</caption>
                            <thead><tr>
                                <th scope="col">{l.t("网格", "Grid")}</th>
                                {COLS.iter().map(|id| {
                                    let d = def(*id);
                                    view! { <th scope="col">{d.map(|d| l.t(d.zh, d.en))}</th> }
                                }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(g, vals)| view! {
                                    <tr>
                                        <th scope="row"><a href=Route::Grid(g.clone()).hash()>{l.grid_name(&g)}</a></th>
                                        {vals.into_iter().enumerate().map(|(i, v)| {
                                            let lagging = lag[i].is_some_and(|w| v.number().is_some_and(|n| (n - w).abs() < 1e-9));
                                            view! {
                                                <td class:lag=lagging>
                                                    {v.text(zh)}
                                                    {lagging.then(|| view! { " "<span class="lag-tag">{l.t("落后", "lagging")}</span> })}
                                                </td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        </section>
    }
}
