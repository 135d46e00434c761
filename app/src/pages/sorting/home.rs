//! What garbage-sorting reminders put on a home screen: for a household, the reminders its grid
//! sent it, in plain words (read aloud in elder mode), until it says it has read them; for a
//! volunteer, the visits they were asked to make, with a note of how it went.

use leptos::prelude::*;
use linli_shared::domain::sorting::{Reminder, ReminderCommand, VISIT_NOTE_MAX};
use linli_shared::ids::DocumentId;

use super::after_saved;
use crate::data;
use crate::state::App;
use crate::widgets::read_aloud::ReadAloud;

#[component]
pub fn MyReminders() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let mine = Memo::new(move |_| {
        let (person, household) = app
            .session
            .with(|s| s.as_ref().map(|s| (s.person.clone(), s.household.clone())))
            .unwrap_or_default();
        let all = data::reminders(&app);
        let mut to_read: Vec<(DocumentId, Reminder)> = all
            .iter()
            .filter(|(_, r)| {
                Some(&r.household) == household.as_ref() && r.is_open() && r.read_at.is_none()
            })
            .cloned()
            .collect();
        to_read.sort_by_key(|(_, r)| std::cmp::Reverse(r.at));
        let mut visits: Vec<(DocumentId, Reminder)> = all
            .into_iter()
            .filter(|(_, r)| r.volunteer == person && r.visit_due())
            .collect();
        visits.sort_by_key(|(_, r)| r.at);
        (to_read, visits)
    });
    view! {
        <Show when=move || !mine.with(|(a, _)| a.is_empty())>
            <section class="card reminders-home" aria-labelledby="rh-title" data-testid="my-reminders">
                <h2 id="rh-title">{move || lang.get().t("网格提醒", "A reminder from your grid")}</h2>
                <ul class="rows">
                    {move || mine.get().0.into_iter().map(|(id, r)| {
                        let l = lang.get();
                        let from = if r.by_name.is_empty() { l.t("网格员", "your grid worker").to_string() } else { r.by_name.clone() };
                        let words = r.text.clone();
                        let speak = Signal::derive(move || words.clone());
                        view! {
                            <li data-testid="reminder">
                                <p class="reminder-text">{r.text.clone()}</p>
                                <p class="meta">{format!("{} · {} · {}", r.point, from, l.time(r.at))}</p>
                                <Show when=move || app.elder.get()>
                                    <ReadAloud text=speak/>
                                </Show>
                                <button type="button" class="primary" data-testid="reminder-ok"
                                    on:click=move |_| match app.send(id, ReminderCommand::Read) {
                                        Ok(saving) => after_saved(app, saving, || ()),
                                        Err(e) => app.notice.set(Some(crate::state::Notice::NotSaved(e.to_string()))),
                                    }>
                                    {move || lang.get().t("我知道了", "Got it")}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || !mine.with(|(_, v)| v.is_empty())>
            <section class="card visits-home" aria-labelledby="vh-title" data-testid="my-visits">
                <h2 id="vh-title">{move || lang.get().t("请您上门指导垃圾分类", "Sorting visits asked of you")}</h2>
                <ul class="rows">
                    // Keyed by reminder: one read or visited elsewhere leaves the notes being
                    // typed into the others (what a visit shows never changes once sent).
                    <For each=move || mine.with(|(_, v)| v.clone()) key=|(id, _)| *id children=|(id, r)| view! { <Visit id r/> }/>
                </ul>
            </section>
        </Show>
    }
}

#[component]
fn Visit(id: DocumentId, r: Reminder) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let note = RwSignal::new(String::new());
    let field = format!("visit-note-{id}");
    let done = move || match app.send(
        id,
        ReminderCommand::Visited {
            note: note.get_untracked(),
        },
    ) {
        Ok(saving) => after_saved(app, saving, || ()),
        Err(e) => app
            .notice
            .set(Some(crate::state::Notice::NotSaved(e.to_string()))),
    };
    view! {
        <li data-testid="visit">
            <strong>{format!("{} · {}", r.flat, r.point)}</strong>
            <p class="meta">{r.text.clone()}</p>
            <label for=field.clone()>{move || lang.get().t("上门情况（可不填）", "How it went (optional)")}</label>
            <input id=field maxlength=VISIT_NOTE_MAX.to_string() prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))/>
            <button type="button" class="primary" data-testid="visited" on:click=move |_| done()>
                {move || lang.get().t("已上门", "Visited")}
            </button>
        </li>
    }
}
