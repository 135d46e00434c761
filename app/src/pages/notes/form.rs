//! Writing a field note (or editing one: its author, or staff). What is typed is kept as a
//! draft on the phone (IndexedDB, within a fraction of a second of each keystroke), so a
//! reload or a lost connection loses nothing; bad input is explained and every character kept;
//! the note itself is saved on the phone at once and reaches the relay when there is a
//! connection. From a request's or a talk's page the link is filled in.

use leptos::prelude::*;
use linli_shared::domain::InputError;
use linli_shared::domain::Summary;
use linli_shared::domain::field_note::{
    BODY_MAX, CASE_MAX, FIXED_TAGS, FieldNote, LinkKind, NoteCommand, NoteDraft, PLACE_MAX,
    TITLE_MAX,
};
use linli_shared::domain::requests::RequestSummary;
use linli_shared::ids::DocumentId;
use serde::{Deserialize, Serialize};

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::PhotoPicker;

/// What the form keeps as its draft: the note and the free tags as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Kept {
    draft: NoteDraft,
    #[serde(default)]
    free: String,
}

fn draft_key(existing: Option<DocumentId>, link: Option<(LinkKind, DocumentId)>) -> String {
    match (existing, link) {
        (Some(id), _) => format!("note-edit/{id}"),
        (None, Some((k, id))) => format!("note-new/{}/{id}", k.as_str()),
        (None, None) => "note-new".into(),
    }
}

/// Free tags as typed: separated by spaces, commas or 、.
fn free_tags(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .map(|t| t.trim().trim_start_matches('#').to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn is_fixed(tag: &str) -> bool {
    FIXED_TAGS.iter().any(|(zh, _)| *zh == tag)
}

/// The form's starting point: the kept draft, else the note being edited, else a new note of
/// today with its link filled in.
fn start(
    app: &App,
    key: &str,
    old: Option<&FieldNote>,
    link: Option<(LinkKind, DocumentId)>,
) -> Kept {
    if let Some(kept) = app
        .draft(key)
        .and_then(|j| serde_json::from_str::<Kept>(&j).ok())
    {
        return kept;
    }
    if let Some(n) = old {
        let draft = n.draft();
        let free = draft
            .tags
            .iter()
            .filter(|t| !is_fixed(t))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        return Kept { draft, free };
    }
    let mut draft = NoteDraft {
        date: linli_shared::export::date(app.now()),
        ..NoteDraft::default()
    };
    match link {
        Some((LinkKind::Talk, id)) => draft.talk = id.to_string(),
        Some((LinkKind::Request, id)) => {
            draft.request = id.to_string();
            if let Some(r) = data::request(app, &id) {
                draft.title = r.title;
            }
        }
        _ => {}
    }
    Kept {
        draft,
        free: String::new(),
    }
}

/// The requests this phone holds, newest first, as (id, title), at most 60.
fn requests(app: &App) -> Vec<(String, String, i64)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Request(RequestSummary { request }) => {
            Some((id.to_string(), request.title.clone(), request.filed_at))
        }
        _ => None,
    });
    v.sort_by_key(|(_, _, at)| std::cmp::Reverse(*at));
    v.truncate(60);
    v
}

#[component]
pub fn NoteForm(
    existing: Option<DocumentId>,
    link: Option<(LinkKind, DocumentId)>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let old: Option<FieldNote> = existing.and_then(|id| {
        app.summary(&id, |s| match s {
            Summary::FieldNote(n) => Some(n.clone()),
            _ => None,
        })
        .flatten()
    });
    let key = StoredValue::new(draft_key(existing, link));
    let kept = start(&app, &key.get_value(), old.as_ref(), link);
    let note = RwSignal::new(kept.draft);
    let free = RwSignal::new(kept.free);
    let photos = RwSignal::new(note.get_untracked().photos.clone());
    let old_photos = StoredValue::new(old.as_ref().map(|n| n.photos.clone()).unwrap_or_default());
    // Every change of the form is kept as its draft.
    Effect::new(move |first: Option<()>| {
        let mut d = note.get();
        d.photos = photos.get();
        let kept = Kept {
            draft: d,
            free: free.get(),
        };
        if first.is_some() {
            let json = serde_json::to_string(&kept).unwrap_or_default();
            app.set_draft(&key.get_value(), &json);
        }
    });
    let talks: Vec<(String, String)> = {
        let mut t = crate::pages::talks::talks(&app);
        t.sort_by(|a, b| b.1.date.cmp(&a.1.date));
        t.into_iter()
            .take(60)
            .map(|(id, t)| (id.to_string(), t.date))
            .collect()
    };
    let mut reqs = requests(&app);
    // The linked request stays in the list even if it is older than those shown.
    let linked = note.get_untracked().request;
    if !linked.is_empty() && !reqs.iter().any(|(id, _, _)| *id == linked) {
        let title = DocumentId::parse(&linked)
            .ok()
            .and_then(|id| data::request(&app, &id))
            .map(|r| r.title)
            .unwrap_or_default();
        reqs.insert(0, (linked.clone(), title, 0));
    }
    let problems = RwSignal::new(Vec::<InputError>::new());
    let set = move |f: fn(&mut NoteDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            note.update(|d| f(d, v));
        }
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let mut draft = note.get_untracked();
        draft.photos = photos.get_untracked();
        draft.tags.retain(|t| is_fixed(t));
        draft.tags.extend(free_tags(&free.get_untracked()));
        let found = draft.problems(app.now());
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let (id, command) = match existing {
            Some(id) => (
                id,
                NoteCommand::Edit {
                    draft: Box::new(draft.clone()),
                    by: session.person.clone(),
                },
            ),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                NoteCommand::Create {
                    draft: Box::new(draft.clone()),
                    by: session.person.clone(),
                    by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
                },
            ),
        };
        match app.send(id, command) {
            Ok(saving) => {
                problems.set(Vec::new());
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => {
                            let new: Vec<String> = draft
                                .photos
                                .iter()
                                .filter(|h| !old_photos.get_value().contains(h))
                                .cloned()
                                .collect();
                            if !new.is_empty() {
                                app.attach_photos(id, new);
                            }
                            app.clear_draft(&key.get_value());
                            app.notice.set(Some(Notice::Saved));
                            app.go(Route::Note(id));
                        }
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    let invalid =
        move |f: fn(&InputError) -> bool| move || problems.with(|p| p.iter().any(f)).to_string();
    let today = linli_shared::export::date(app.now());
    view! {
        <main class="page note-form">
            <a href=Route::FieldNotes.hash() class="back">{move || lang.get().t("‹ 田野笔记", "‹ Field notes")}</a>
            <h1>{move || if existing.is_some() { lang.get().t("修改笔记", "Edit the note") } else { lang.get().t("写一篇田野笔记", "Write a field note") }}</h1>
            <p class="hint">{move || lang.get().t(
                "只有社区工作者、网格员和你自己能看到。写下所见所闻，不必写居民的电话和门牌。",
                "Only staff, grid workers and you see it. Write what you saw; residents' phone numbers and flats are not needed.")}</p>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="nf-title">{move || lang.get().t("标题", "Title")}</label>
                    <input id="nf-title" maxlength=TITLE_MAX.to_string() data-testid="note-title-input"
                        prop:value=move || note.with(|d| d.title.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. }))
                        aria-describedby="nf-err"
                        on:input=set(|d, v| d.title = v)/>
                </div>
                <div class="field">
                    <label for="nf-date">{move || lang.get().t("观察日期", "Date observed")}</label>
                    <input id="nf-date" type="date" max=today data-testid="note-date-input"
                        prop:value=move || note.with(|d| d.date.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::BadDate))
                        aria-describedby="nf-date-hint nf-err"
                        on:input=set(|d, v| d.date = v)/>
                    <p id="nf-date-hint" class="hint">{move || lang.get().t("过去一年内的某一天，不能是将来。", "A day within the past year, not in the future.")}</p>
                </div>
                <div class="field">
                    <label for="nf-place">{move || lang.get().t("地点（可不填）", "Place (optional)")}</label>
                    <input id="nf-place" maxlength=PLACE_MAX.to_string()
                        prop:value=move || note.with(|d| d.place.clone())
                        aria-describedby="nf-err"
                        on:input=set(|d, v| d.place = v)/>
                </div>
                <div class="field">
                    <label for="nf-body">{move || lang.get().t("笔记内容", "What you observed")}</label>
                    <textarea id="nf-body" rows="8" maxlength=BODY_MAX.to_string() data-testid="note-body-input"
                        prop:value=move || note.with(|d| d.body.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::DescriptionTooLong { .. }))
                        aria-describedby="nf-err"
                        on:input=set(|d, v| d.body = v)></textarea>
                </div>
                <fieldset class="field">
                    <legend>{move || lang.get().t("标签", "Tags")}</legend>
                    {FIXED_TAGS.into_iter().enumerate().map(|(i, (zh, _))| {
                        let id = format!("nf-tag-{i}");
                        let for_id = id.clone();
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id
                                    prop:checked=move || note.with(|d| d.tags.iter().any(|t| t == zh))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        note.update(|d| {
                                            d.tags.retain(|t| t != zh);
                                            if on { d.tags.push(zh.to_string()); }
                                        });
                                    }/>
                                <label for=for_id>{move || lang.get().note_tag(zh)}</label>
                            </div>
                        }
                    }).collect_view()}
                    <label for="nf-free">{move || lang.get().t("其他标签（用空格或逗号分开）", "Other tags (separated by spaces or commas)")}</label>
                    <input id="nf-free" prop:value=move || free.get()
                        aria-invalid=invalid(|e| matches!(e, InputError::TooManyTags { .. } | InputError::TextTooLong { .. }))
                        aria-describedby="nf-err"
                        on:input=move |ev| free.set(event_target_value(&ev))/>
                </fieldset>
                <fieldset class="field">
                    <legend>{move || lang.get().t("关联（可不选）", "Linked to (optional)")}</legend>
                    <label for="nf-talk">{move || lang.get().note_link(LinkKind::Talk)}</label>
                    <select id="nf-talk" on:change=set(|d, v| d.talk = v)>
                        <option value="">{move || lang.get().t("无", "None")}</option>
                        {talks.into_iter().map(|(id, date)| {
                            let sel = note.with_untracked(|d| d.talk == id);
                            view! { <option value=id selected=sel>{move || match lang.get() {
                                Lang::Zh => format!("{date} 四方会谈"),
                                Lang::En => format!("Four-party talk of {date}"),
                            }}</option> }
                        }).collect_view()}
                    </select>
                    <label for="nf-request">{move || lang.get().note_link(LinkKind::Request)}</label>
                    <select id="nf-request" data-testid="note-request-select" on:change=set(|d, v| d.request = v)>
                        <option value="">{move || lang.get().t("无", "None")}</option>
                        {reqs.into_iter().map(|(id, title, _)| {
                            let sel = note.with_untracked(|d| d.request == id);
                            let title = if title.is_empty() { id.clone() } else { title };
                            view! { <option value=id selected=sel>{title}</option> }
                        }).collect_view()}
                    </select>
                    <label for="nf-case">{move || lang.get().note_link(LinkKind::Case)}</label>
                    <select id="nf-case" data-testid="note-case-select" on:change=set(|d, v| d.case = v)>
                        <option value="">{move || lang.get().t("无", "None")}</option>
                        {
                            // The case library's cases, under the ids notes keep (`C05`); a
                            // note's id the library does not have stays choosable.
                            let current = note.with_untracked(|d| d.case.trim().to_string());
                            let mut ids: Vec<(String, String)> = linli_shared::cases::CASES
                                .iter()
                                .map(|c| {
                                    let id = c.id.to_uppercase();
                                    let title = format!("{id} · {}", c.title(lang.get_untracked() == Lang::Zh));
                                    (id, title)
                                })
                                .collect();
                            if !current.is_empty()
                                && current.len() <= CASE_MAX
                                && !ids.iter().any(|(id, _)| id.eq_ignore_ascii_case(&current))
                            {
                                ids.push((current.clone(), current.clone()));
                            }
                            ids.into_iter().map(|(id, title)| {
                                let sel = id.eq_ignore_ascii_case(&current);
                                view! { <option value=id selected=sel>{title}</option> }
                            }).collect_view()
                        }
                    </select>
                </fieldset>
                <PhotoPicker photos id="nf-photos"/>
                <p id="nf-err" class="field-error" role="alert" data-testid="note-error">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-note">{move || lang.get().t("保存笔记", "Save the note")}</button>
            </form>
        </main>
    }
}
