//! Lists of requests: "my requests" for residents and volunteers, the queue for grid workers
//! and staff. Each card says the colour in words and with a shape, never by colour alone.

use leptos::prelude::*;
use linli_shared::deadline::Due;
use linli_shared::model::Colour;
use linli_shared::policy::Role;

use crate::data::{self, Item};
use crate::i18n::Lang;
use crate::state::{App, Route};

pub fn colour_class(c: Colour) -> &'static str {
    match c {
        Colour::Red => "chip red",
        Colour::Yellow => "chip yellow",
        Colour::Blue => "chip blue",
    }
}

pub fn colour_icon(c: Colour) -> &'static str {
    match c {
        Colour::Red => "◆",
        Colour::Yellow => "▲",
        Colour::Blue => "●",
    }
}

#[component]
pub fn ColourChip(colour: Colour) -> impl IntoView {
    let app = expect_context::<App>();
    view! {
        <span class=colour_class(colour)>
            <span aria-hidden="true">{colour_icon(colour)}</span>
            " "
            {move || app.lang.get().colour(colour)}
        </span>
    }
}

/// The deadline line of a card: countdown, or how the answer came.
pub fn due_text(l: Lang, item: &Item) -> String {
    match item.due.due {
        Due::AnsweredOnTime => l.t("已按时答复", "Answered on time").into(),
        Due::AnsweredLate => l.t("已答复（超时）", "Answered late").into(),
        _ => l.countdown(item.due.remaining),
    }
}

#[component]
pub fn RequestCard(item: Item) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let id = item.id;
    let overdue = item.due.due.is_overdue();
    let soon = item.due.due == Due::DueSoon;
    let status = item.req.status();
    let colour = item.req.colour;
    let title = item.req.title.clone();
    let item2 = item.clone();
    let pending = move || app.unconfirmed(&id) > 0;
    view! {
        <li class="card" class:overdue=overdue data-testid="request-card" data-id=id.to_string()>
            <a href=Route::Request(id).hash() class="card-link">
                <div class="card-top">
                    <ColourChip colour=colour/>
                    <span class="status" data-testid="status">{move || lang.get().status(status)}</span>
                </div>
                <h3 class="card-title">{title}</h3>
                <div class="card-meta">
                    <span class="due" class:warn=soon class:late=overdue>
                        {move || {
                            let l = lang.get();
                            let mark = if overdue { "⚠ " } else { "" };
                            format!("{mark}{}", due_text(l, &item2))
                        }}
                    </span>
                    <span class="upload" data-testid="upload-state">
                        {move || if pending() {
                            lang.get().t("待上传", "Not uploaded yet")
                        } else {
                            ""
                        }}
                    </span>
                </div>
            </a>
        </li>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let role = move || app.session.with(|s| s.as_ref().map(|s| s.role));
    let items = Memo::new(move |_| {
        app.clock.track();
        let now = app.now();
        match role() {
            Some(Role::GridWorker) | Some(Role::Staff) => data::queue(&app, now),
            _ => data::mine(&app, now),
        }
    });
    let heading = move || match role() {
        Some(Role::GridWorker) => lang.get().t("我的网格队列", "My grid queue"),
        Some(Role::Staff) => lang.get().t("全部未办结诉求", "All open requests"),
        _ => lang.get().t("我的诉求", "My requests"),
    };
    let overdue = move || items.with(|v| v.iter().filter(|i| i.due.due.is_overdue()).count());
    view! {
        <main class="page">
            <h2>{heading}</h2>
            <Show when=move || { overdue() > 0 }>
                <p class="overdue-summary" role="note">
                    {move || match lang.get() {
                        Lang::Zh => format!("⚠ {} 条已超期", overdue()),
                        Lang::En => format!("⚠ {} overdue", overdue()),
                    }}
                </p>
            </Show>
            <Show
                when=move || items.with(|v| !v.is_empty())
                fallback=move || view! {
                    <p class="empty">{move || match role() {
                        Some(Role::GridWorker) | Some(Role::Staff) => lang.get().t("队列是空的。", "The queue is empty."),
                        _ => lang.get().t("还没有诉求。点下方“提交诉求”告诉我们遇到的问题。", "No requests yet. Tap “File a request” below to tell us about a problem."),
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
        </main>
    }
}
