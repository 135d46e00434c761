//! A request as a card in a list, and the small pieces every requests page shares: the colour
//! chip (in words and with a shape, never by colour alone), the deadline line, and the text
//! read aloud in elder mode.

use leptos::prelude::*;
use linli_shared::domain::requests::deadline::Due;
use linli_shared::domain::requests::{Colour, Request};

use crate::data::Item;
use crate::i18n::Lang;
use crate::state::{App, Route};
use crate::widgets::read_aloud::ReadAloud;

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
        _ => l.due_countdown(&item.due),
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
    let colour = item.req.colour_now();
    let speak = {
        let r = item.req.clone();
        Signal::derive(move || spoken(lang.get(), &r))
    };
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
            // Beside the link, not in it: reading aloud must not open the request.
            <Show when=move || app.elder.get()>
                <div class="card-actions">
                    <ReadAloud text=speak/>
                </div>
            </Show>
        </li>
    }
}

/// Text for reading a request aloud.
pub fn spoken(l: Lang, r: &Request) -> String {
    let mut s = format!(
        "{}。{}。{}。",
        r.title,
        l.status(r.status()),
        l.colour(r.colour_now())
    );
    if let Some(a) = r.last_answer() {
        s.push_str(l.t("答复：", "Answer: "));
        s.push_str(a);
    }
    s
}
