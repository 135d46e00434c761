//! What is new since this person last looked: answers, status changes and passed deadlines of
//! the requests they filed, and news of the ones they follow. Worked out on the phone after
//! every sync.

use leptos::prelude::*;

use crate::data::{self, NoteKind};
use crate::i18n::Lang;
use crate::state::{App, Route};

/// The bell in the top bar, with a badge counting what is new.
#[component]
pub fn Bell() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let count = Memo::new(move |_| {
        app.clock.track();
        data::notes(&app, app.seen_at.get(), app.now()).len()
    });
    view! {
        <a
            href=Route::Notes.hash()
            class="bell"
            data-testid="bell"
            aria-label=move || match lang.get() {
                Lang::Zh => format!("消息，{} 条新消息", count.get()),
                Lang::En => format!("Notifications, {} new", count.get()),
            }
        >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.8V3.5a1.5 1.5 0 0 0-3 0v.7A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"></path></svg>
            <Show when=move || { count.get() > 0 }>
                <span class="badge" aria-hidden="true" data-testid="badge">{move || count.get().min(99)}</span>
            </Show>
        </a>
    }
}

#[component]
pub fn NotesPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // What was new when the page opened stays marked as new while it is open.
    let since = app.seen_at.get_untracked();
    let notes = Memo::new(move |_| {
        app.clock.track();
        data::notes(&app, since.min(app.now() - 30 * 86_400_000), app.now())
    });
    app.mark_seen();
    view! {
        <main class="page notes">
            <h2>{move || lang.get().t("消息", "Notifications")}</h2>
            <Show when=move || notes.with(|n| !n.is_empty()) fallback=move || view! {
                <p class="empty">{move || lang.get().t("最近没有新消息。", "Nothing new lately.")}</p>
            }>
                <ul class="rows" data-testid="notes">
                    {move || notes.get().into_iter().map(|n| {
                        let fresh = n.at > since;
                        let text = move || {
                            let l = lang.get();
                            match &n.what {
                                NoteKind::Answered(t) => format!("{}：{}", l.t("有了答复", "Answered"), t),
                                NoteKind::Status(s) => format!("{}{}", l.t("状态：", "Status: "), l.status(*s)),
                                NoteKind::Overdue => l.t("已超过答复期限，已提醒社区工作者", "Past its deadline; staff have been alerted").to_string(),
                            }
                        };
                        let title = n.title.clone();
                        let at = n.at;
                        // One layout for every row: the request and the "new" tag on the
                        // first line (the tag never wraps alone), what happened, then when.
                        let body = view! {
                            <span class="note-head">
                                <strong>{title}</strong>
                                {fresh.then(|| view! { <span class="tag">{move || lang.get().t("新", "new")}</span> })}
                            </span>
                            <span class="note-text">{text}</span>
                            <span class="muted note-time">{move || lang.get().time(at)}</span>
                        };
                        match n.doc {
                            Some(id) => view! { <li><a class="row-link" href=Route::Request(id).hash()>{body}</a></li> }.into_any(),
                            None => view! { <li>{body}</li> }.into_any(),
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </main>
    }
}
