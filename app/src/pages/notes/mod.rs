//! Field notes 田野笔记 (staff, grid workers, volunteers; never residents): the register,
//! newest first, searched in Chinese over the title, text, place and tags and filtered by tag
//! and by what a note is linked to; one note with its links to the talk or request it is
//! about; the form (new or edit), kept as a draft while it is typed and saved offline if need
//! be. The register is at `#/field-notes` (`#/notes` is what is new).

pub mod form;

pub use form::NoteForm;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::field_note::search::{Filter, select, tag_counts};
use linli_shared::domain::field_note::{FIXED_TAGS, FieldNote, LinkKind, tag_en};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Route};
use crate::widgets::photos::Photo;

impl Lang {
    pub fn note_tag(self, tag: &str) -> String {
        match self {
            Lang::Zh => tag.to_string(),
            Lang::En => tag_en(tag).to_string(),
        }
    }

    pub fn note_link(self, k: LinkKind) -> &'static str {
        match k {
            LinkKind::Talk => self.t("四方会谈", "Four-party talk"),
            LinkKind::Request => self.t("居民诉求", "Resident's request"),
            LinkKind::Case => self.t("案例库", "Case library"),
        }
    }
}

/// Every field note this phone holds (staff and grid workers: all; a volunteer: her own).
pub fn notes(app: &App) -> Vec<(DocumentId, FieldNote)> {
    app.each_summary(|id, s| match s {
        Summary::FieldNote(n) => Some((*id, n.clone())),
        _ => None,
    })
}

/// Whether this person writes field notes (staff, grid workers, volunteers).
pub fn writes_notes(app: &App) -> bool {
    app.session.with(|s| {
        s.as_ref()
            .is_some_and(|s| matches!(s.role, Role::Staff | Role::GridWorker | Role::Volunteer))
    })
}

/// Whether this person may edit `note` (its author, or staff).
fn may_edit(app: &App, note: &FieldNote) -> bool {
    app.session.with(|s| {
        s.as_ref()
            .is_some_and(|s| s.role == Role::Staff || (writes_notes(app) && s.person == note.by))
    })
}

/// The author's name as the register shows it.
fn author(app: &App, l: Lang, n: &FieldNote) -> String {
    if n.by == "erased" {
        return l.t("（已删除的用户）", "(erased person)").to_string();
    }
    if !n.by_name.is_empty() {
        return n.by_name.clone();
    }
    data::person_name(app, &n.by).unwrap_or_else(|| n.by.clone())
}

/// `YYYY-MM-DD` of the day a note describes.
fn day(at: linli_shared::time::Millis) -> String {
    linli_shared::export::date(at)
}

/// The hub's line: how many notes and the newest one's day.
pub fn tile_line(app: &App, l: Lang) -> Option<String> {
    if !writes_notes(app) {
        return None;
    }
    let all = notes(app);
    let newest = all.iter().map(|(_, n)| n.observed_at).max();
    Some(match (newest, l) {
        (Some(t), Lang::Zh) => format!("共 {} 篇 · 最近 {}", all.len(), day(t)),
        (Some(t), Lang::En) => format!("{} notes · latest {}", all.len(), day(t)),
        (None, Lang::Zh) => "记录协商与走访".to_string(),
        (None, Lang::En) => "Record talks and visits".to_string(),
    })
}

#[component]
pub fn NotesRegister() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = Memo::new(move |_| notes(&app));
    let query = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let filter = move || Filter {
        query: query.get(),
        tag: Some(tag.get()).filter(|t| !t.is_empty()),
        link: match link.get().as_str() {
            "" => None,
            "none" => Some(None),
            k => LinkKind::parse(k).map(Some),
        },
    };
    let shown = Memo::new(move |_| {
        let f = filter();
        all.with(|a| {
            select(a.iter().map(|(id, n)| (*id, n)), &f)
                .into_iter()
                .map(|(id, n)| (id, n.clone()))
                .collect::<Vec<_>>()
        })
    });
    // The fixed tags first, then those in use, each once.
    let tags = Memo::new(move |_| {
        let mut out: Vec<String> = FIXED_TAGS.iter().map(|(zh, _)| zh.to_string()).collect();
        for (t, _) in all.with(|a| tag_counts(a.iter().map(|(_, n)| n))) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    });
    let count = move || {
        let (n, total) = (shown.with(Vec::len), all.with(Vec::len));
        match lang.get() {
            Lang::Zh if n == total => format!("共 {total} 篇"),
            Lang::Zh => format!("找到 {n} 篇（共 {total} 篇）"),
            Lang::En if n == total => format!("{total} notes"),
            Lang::En => format!("{n} of {total} notes"),
        }
    };
    view! {
        <main class="page field-notes">
            <a href=Route::Hub.hash() class="back">{move || lang.get().t("‹ 社区", "‹ Community")}</a>
            <h1>{move || lang.get().t("田野笔记", "Field notes")}</h1>
            <p class="muted">{move || lang.get().t(
                "记录协商、走访和活动中的所见所闻。笔记可能涉及居民个人情况，居民看不到。",
                "What we saw in talks, visits and events. Notes may describe residents, so residents never see them.")}</p>
            <Show when=move || writes_notes(&app)>
                <a class="button primary big" href=Route::NewNote(None).hash() data-testid="new-note">
                    {move || lang.get().t("写一篇笔记", "Write a note")}
                </a>
            </Show>
            <div class="filters" role="search">
                <label for="fn-q">{move || lang.get().t("搜索标题、内容、地点、标签", "Search titles, text, places, tags")}</label>
                <input id="fn-q" type="search" data-testid="note-search" prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
                <label for="fn-tag">{move || lang.get().t("按标签筛选", "Filter by tag")}</label>
                // The tag shown is the tag the notes are filtered by, however often the tags are
                // drawn anew: the select's value is the signal's, and each option drawn says
                // whether it is the one chosen.
                <select id="fn-tag" prop:value=move || tag.get() on:change=move |ev| tag.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("全部标签", "All tags")}</option>
                    {move || tags.get().into_iter().map(|t| {
                        let value = t.clone();
                        let sel = tag.with_untracked(|c| *c == t);
                        view! { <option value=value prop:selected=sel>{move || lang.get().note_tag(&t)}</option> }
                    }).collect_view()}
                </select>
                <label for="fn-link">{move || lang.get().t("按关联筛选", "Filter by link")}</label>
                <select id="fn-link" prop:value=move || link.get() on:change=move |ev| link.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("全部", "All")}</option>
                    {LinkKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || lang.get().note_link(k)}</option>
                    }).collect_view()}
                    <option value="none">{move || lang.get().t("无关联", "Not linked")}</option>
                </select>
            </div>
            <p role="status" data-testid="note-count">{count}</p>
            <ul class="cards">
                {move || shown.get().into_iter().map(|(id, n)| {
                    let l = lang.get();
                    let tags = n.tags.iter().map(|t| l.note_tag(t)).collect::<Vec<_>>().join(" · ");
                    let meta = format!("{} · {}", day(n.observed_at), author(&app, l, &n));
                    view! {
                        <li class="card">
                            <a href=Route::Note(id).hash() data-testid="note-card">
                                <strong>{n.title.clone()}</strong>
                                <span class="meta">{meta}</span>
                                {(!tags.is_empty()).then(|| view! { <span class="meta">{tags}</span> })}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="empty">{move || lang.get().t("没有符合条件的笔记。", "No notes match.")}</p>
            </Show>
        </main>
    }
}

#[component]
pub fn NotePage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let note = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::FieldNote(n) => Some(n.clone()),
            _ => None,
        })
        .flatten()
    });
    view! {
        <main class="page field-note">
            <a href=Route::FieldNotes.hash() class="back">{move || lang.get().t("‹ 田野笔记", "‹ Field notes")}</a>
            {move || match note.get() {
                None => view! { <p class="empty">{move || lang.get().t("这篇笔记不在本机。", "This note is not on this phone.")}</p> }.into_any(),
                Some(n) => {
                    let l = lang.get();
                    let talk = DocumentId::parse(&n.talk).ok().map(|t| {
                        let date = crate::pages::talks::talks(&app)
                            .into_iter()
                            .find(|(tid, _)| *tid == t)
                            .map(|(_, talk)| talk.date);
                        (t, date)
                    });
                    let request = DocumentId::parse(&n.request).ok().map(|r| {
                        (r, data::request(&app, &r).map(|q| q.title))
                    });
                    let edited = n.edited_at.map(|t| l.time(t));
                    view! {
                        <h1 data-testid="note-title">{n.title.clone()}</h1>
                        <dl class="facts">
                            <dt>{l.t("日期", "Date")}</dt><dd data-testid="note-date">{day(n.observed_at)}</dd>
                            {(!n.place.is_empty()).then(|| view! { <dt>{l.t("地点", "Place")}</dt><dd>{n.place.clone()}</dd> })}
                            <dt>{l.t("记录人", "Written by")}</dt><dd>{author(&app, l, &n)}</dd>
                            {edited.map(|t| view! { <dt>{l.t("最后修改", "Last edited")}</dt><dd>{t}</dd> })}
                            {(!n.tags.is_empty()).then(|| view! {
                                <dt>{l.t("标签", "Tags")}</dt>
                                <dd>{n.tags.iter().map(|t| view! { <span class="chip">{l.note_tag(t)}</span>" " }).collect_view()}</dd>
                            })}
                        </dl>
                        <p class="note-body description" data-testid="note-body">{n.body.clone()}</p>
                        {(!n.photos.is_empty()).then(|| view! {
                            <div class="photos">{n.photos.iter().cloned().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
                        })}
                        {(!n.links().is_empty()).then(|| view! {
                            <section aria-labelledby="fn-links">
                                <h2 id="fn-links">{l.t("关联", "Linked to")}</h2>
                                <ul class="rows">
                                    {talk.map(|(t, date)| view! {
                                        <li><a href=Route::Talk(t).hash() data-testid="note-talk">{match (date, l) {
                                            (Some(d), Lang::Zh) => format!("{d} 四方会谈"),
                                            (Some(d), Lang::En) => format!("Four-party talk of {d}"),
                                            (None, _) => l.t("一次四方会谈", "A four-party talk").to_string(),
                                        }}</a></li>
                                    })}
                                    {request.map(|(r, title)| view! {
                                        <li><a href=Route::Request(r).hash() data-testid="note-request">{format!("{}：{}",
                                            l.t("诉求", "Request"),
                                            title.unwrap_or_else(|| l.t("（不在本机）", "(not on this phone)").to_string()))}</a></li>
                                    })}
                                    {(!n.case.is_empty()).then(|| {
                                        let label = format!("{} {}", l.t("案例", "Case"), n.case);
                                        match linli_shared::cases::by_id(&n.case.trim().to_lowercase()) {
                                            Some(c) => view! {
                                                <li data-testid="note-case"><a href=Route::Case(c.id.to_string()).hash()>
                                                    {format!("{label}：{}", c.title(l == Lang::Zh))}
                                                </a></li>
                                            }.into_any(),
                                            None => view! { <li data-testid="note-case">{label}</li> }.into_any(),
                                        }
                                    })}
                                </ul>
                            </section>
                        })}
                        {may_edit(&app, &n).then(|| view! {
                            <a class="button" href=Route::EditNote(id).hash() data-testid="edit-note">{l.t("修改笔记", "Edit the note")}</a>
                        })}
                    }.into_any()
                }
            }}
        </main>
    }
}

/// On a request's or a talk's page: "add a field note" about it, for those who write notes.
#[component]
pub fn AddNoteLink(kind: LinkKind, id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    writes_notes(&app).then(|| {
        view! {
            <p class="note-link">
                <a class="button" href=Route::NewNote(Some((kind, id))).hash() data-testid="add-note">
                    {move || lang.get().t("＋ 写一篇田野笔记", "+ Add a field note")}
                </a>
            </p>
        }
    })
}
