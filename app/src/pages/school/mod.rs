//! The governance school 社区治理学院: the register of training sessions at `#/school`
//! (upcoming first, then past; filtered by topic), one session at `#/training/<id>` (a
//! resident signs up or cancels, offline too; staff mark attendance with one tap per person
//! and write the summary), and the staff form at `#/training-new` / `#/training-edit/<id>`.
//! The participants' names are on staff's phones only (a sign-up line holds an id; staff's
//! phones hold the people's records): a resident sees the counts and their own line.

pub mod form;
pub mod session;

pub use form::TrainingForm;
pub use session::TrainingPage;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::training::{Topic, Training};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::time::Millis;

use crate::i18n::Lang;
use crate::state::{App, Route};

impl Lang {
    pub fn topic(self, t: Topic) -> &'static str {
        let (zh, en) = t.label();
        self.t(zh, en)
    }

    pub fn method(self, m: linli_shared::domain::training::Method) -> &'static str {
        let (zh, en) = m.label();
        self.t(zh, en)
    }
}

/// Every session this phone holds.
pub fn trainings(app: &App) -> Vec<(DocumentId, Training)> {
    app.each_summary(|id, s| match s {
        Summary::Training(t) => Some((*id, t.clone())),
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

/// `2026-12-20 14:00–16:00`.
pub(crate) fn when(t: &Training) -> String {
    let day = linli_shared::export::date(t.starts_at);
    let clock = |at: Millis| {
        let d = linli_shared::time::LocalDateTime::shanghai(at);
        format!("{:02}:{:02}", d.hour, d.minute)
    };
    format!("{day} {}–{}", clock(t.starts_at), clock(t.ends_at))
}

/// The trainer as shown: name and organisation.
pub(crate) fn trainer(t: &Training) -> String {
    match (t.trainer.is_empty(), t.trainer_org.is_empty()) {
        (false, false) => format!("{} · {}", t.trainer_org, t.trainer),
        (false, true) => t.trainer.clone(),
        (true, false) => t.trainer_org.clone(),
        (true, true) => String::new(),
    }
}

/// Upcoming first (soonest first), then past (latest first).
pub fn ordered(mut all: Vec<(DocumentId, Training)>, now: Millis) -> Vec<(DocumentId, Training)> {
    all.sort_by(|(_, a), (_, b)| match (a.is_past(now), b.is_past(now)) {
        (false, false) => a.starts_at.cmp(&b.starts_at),
        (true, true) => b.starts_at.cmp(&a.starts_at),
        (false, true) => std::cmp::Ordering::Less,
        (true, false) => std::cmp::Ordering::Greater,
    });
    all
}

/// The hub's line: the next session, or how many were held.
pub fn tile_line(app: &App, l: Lang) -> String {
    let now = app.now();
    let all = trainings(app);
    let held = all.iter().filter(|(_, t)| t.is_past(now)).count();
    let next = all
        .iter()
        .filter(|(_, t)| !t.is_past(now))
        .min_by_key(|(_, t)| t.starts_at);
    match (next, l) {
        (Some((_, t)), Lang::Zh) => format!(
            "下一期 {} · {}",
            linli_shared::export::date(t.starts_at),
            l.topic(t.topic)
        ),
        (Some((_, t)), Lang::En) => format!(
            "Next {} · {}",
            linli_shared::export::date(t.starts_at),
            l.topic(t.topic)
        ),
        (None, Lang::Zh) => format!("议事规则 · 财务监管 · 已办 {held} 期"),
        (None, Lang::En) => format!("Meeting rules · finance · {held} held"),
    }
}

#[component]
pub fn SchoolRegister() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let topic = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        let now = app.clock.get().max(app.now());
        let t = Topic::parse(&topic.get());
        ordered(trainings(&app), now)
            .into_iter()
            .filter(|(_, s)| t.is_none_or(|t| s.topic == t))
            .collect::<Vec<_>>()
    });
    let now = move || app.clock.get().max(app.now());
    view! {
        <main class="page school">
            <a href=Route::Hub.hash() class="back">{move || lang.get().t("‹ 社区", "‹ Community")}</a>
            <h1>{move || lang.get().t("社区治理学院", "Governance school")}</h1>
            <p class="muted">{move || lang.get().t(
                "议事规则、财务监管、业委会履职等培训。报名只用你自己的名字；参加者名单只有社区工作者看得到。",
                "Training in meeting rules, financial oversight, the owners' committee's duties and more. You sign up in your own name; only staff see the list of participants.")}</p>
            <Show when=move || is_staff(&app)>
                <a class="button primary big" href=Route::NewTraining.hash() data-testid="new-training">
                    {move || lang.get().t("新建一期培训", "New session")}
                </a>
            </Show>
            <div class="filters">
                <label for="sc-topic">{move || lang.get().t("按主题筛选", "Filter by topic")}</label>
                <select id="sc-topic" data-testid="training-topic-filter" on:change=move |ev| topic.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("全部主题", "All topics")}</option>
                    {Topic::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str()>{move || lang.get().topic(t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <p role="status" data-testid="training-count">{move || match lang.get() {
                Lang::Zh => format!("共 {} 期", shown.with(Vec::len)),
                Lang::En => format!("{} sessions", shown.with(Vec::len)),
            }}</p>
            <ul class="cards">
                {move || shown.get().into_iter().map(|(id, t)| {
                    let l = lang.get();
                    let past = t.is_past(now());
                    let (seated, waiting) = t.counts();
                    let counts = match (past && t.marked(), l) {
                        (true, Lang::Zh) => format!("报名 {seated} 人 · 到场 {} 人", t.attended()),
                        (true, Lang::En) => format!("{seated} signed up · {} attended", t.attended()),
                        (false, Lang::Zh) => format!("报名 {seated}/{} 人{}", t.capacity, if waiting > 0 { format!(" · 候补 {waiting}") } else { String::new() }),
                        (false, Lang::En) => format!("{seated}/{} signed up{}", t.capacity, if waiting > 0 { format!(" · {waiting} waiting") } else { String::new() }),
                    };
                    let status = if past { l.t("已结束", "Held") } else { l.t("即将开始", "Upcoming") };
                    let meta = format!("{} · {} · {}", when(&t), l.topic(t.topic), l.method(t.method));
                    let who = trainer(&t);
                    view! {
                        <li class="card">
                            <a href=Route::Training(id).hash() data-testid="training-card">
                                <strong>{t.title.clone()}</strong>
                                <span class="meta">{format!("{status} · {meta}")}</span>
                                {(!who.is_empty()).then(|| view! { <span class="meta">{who}</span> })}
                                <span class="meta" data-testid="training-card-counts">{counts}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="empty">{move || lang.get().t("这里还没有培训。", "No sessions here yet.")}</p>
            </Show>
        </main>
    }
}
