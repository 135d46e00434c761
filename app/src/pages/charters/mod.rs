//! Charter and rules 社区公约, for everyone: the community's rules documents with the version in
//! force and when and by which talk it was adopted; one document with its text and every
//! earlier version; staff record a new document or adopt a new version (linked to a talk's
//! decision), offline if need be.

use leptos::prelude::*;
use linli_shared::domain::charter::{
    Charter, CharterCommand, DECISION_MAX, TEXT_MAX, TITLE_MAX, VersionDraft,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

/// Every rules document this phone holds, by title.
pub fn charters(app: &App) -> Vec<(DocumentId, Charter)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Charter(c) => Some((*id, c.clone())),
        _ => None,
    });
    v.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    v
}

fn is_staff(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

fn day(at: linli_shared::time::Millis) -> String {
    linli_shared::export::date(at)
}

/// The hub's line: how many documents are in force.
pub fn tile_line(app: &App, l: Lang) -> Option<String> {
    let n = charters(app).len();
    (n > 0).then(|| match l {
        Lang::Zh => format!("已通过 {n} 项规范性文件"),
        Lang::En => format!("{n} rules documents adopted"),
    })
}

#[component]
pub fn ChartersPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = Memo::new(move |_| charters(&app));
    view! {
        <main class="page charters">
            <a href=Route::Hub.hash() class="back">{move || lang.get().t("‹ 社区", "‹ Community")}</a>
            <h1>{move || lang.get().t("社区公约", "Charter and rules")}</h1>
            <p role="status" data-testid="charter-count">{move || {
                let n = all.with(Vec::len);
                match lang.get() {
                    Lang::Zh => format!("共 {n} 项，均经四方会谈通过"),
                    Lang::En => format!("{n} documents, each adopted at a four-party talk"),
                }
            }}</p>
            <ul class="cards">
                {move || all.get().into_iter().map(|(id, c)| {
                    let l = lang.get();
                    let meta = match (c.current(), l) {
                        (Some(v), Lang::Zh) => format!("第 {} 版 · {} 通过", c.versions.len(), day(v.adopted_at)),
                        (Some(v), Lang::En) => format!("Version {} · adopted {}", c.versions.len(), day(v.adopted_at)),
                        (None, _) => String::new(),
                    };
                    view! {
                        <li class="card">
                            <a href=Route::Charter(id).hash() data-testid="charter-card">
                                <strong>{format!("《{}》", c.title)}</strong>
                                <span class="meta">{meta}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || is_staff(&app)>
                <AdoptForm existing=None/>
            </Show>
        </main>
    }
}

#[component]
pub fn CharterPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let charter = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Charter(c) => Some(c.clone()),
            _ => None,
        })
        .flatten()
    });
    view! {
        <main class="page charter">
            <a href=Route::Charters.hash() class="back">{move || lang.get().t("‹ 社区公约", "‹ Charter and rules")}</a>
            {move || match charter.get() {
                None => view! { <p class="empty">{move || lang.get().t("这份文件不在本机。", "This document is not on this phone.")}</p> }.into_any(),
                Some(c) => {
                    let l = lang.get();
                    // The talk, when this phone holds it (a resident: once its agenda is published).
                    let talk_link = |talk: &str| {
                        DocumentId::parse(talk)
                            .ok()
                            .filter(|t| app.summary(t, |_| ()).is_some())
                    };
                    let versions = c.versions.clone();
                    let current = versions.last().cloned();
                    let older: Vec<_> = versions.iter().rev().skip(1).cloned().collect();
                    view! {
                        <h1 data-testid="charter-title">{format!("《{}》", c.title)}</h1>
                        {current.map(|v| {
                            let talk = talk_link(&v.talk);
                            view! {
                                <p class="muted">{match l {
                                    Lang::Zh => format!("现行第 {} 版 · {} 通过", versions.len(), day(v.adopted_at)),
                                    Lang::En => format!("Version {} in force · adopted {}", versions.len(), day(v.adopted_at)),
                                }}</p>
                                <p class="description" data-testid="charter-text">{v.text.clone()}</p>
                                {(!v.decision.is_empty()).then(|| view! { <p><strong>{l.t("通过决定：", "Decision: ")}</strong>{v.decision.clone()}</p> })}
                                {talk.map(|t| view! { <p><a href=Route::Talk(t).hash() data-testid="charter-talk">{l.t("查看通过它的四方会谈", "The four-party talk that adopted it")}</a></p> })}
                            }
                        })}
                        {(!older.is_empty()).then(|| view! {
                            <section aria-labelledby="ch-older">
                                <h2 id="ch-older">{l.t("历史版本", "Earlier versions")}</h2>
                                {older.into_iter().enumerate().map(|(i, v)| view! {
                                    <details class="card">
                                        <summary>{match l {
                                            Lang::Zh => format!("第 {} 版 · {} 通过", versions.len() - 1 - i, day(v.adopted_at)),
                                            Lang::En => format!("Version {} · adopted {}", versions.len() - 1 - i, day(v.adopted_at)),
                                        }}</summary>
                                        <p class="description">{v.text.clone()}</p>
                                    </details>
                                }).collect_view()}
                            </section>
                        })}
                    }.into_any()
                }
            }}
            <Show when=move || is_staff(&app) && charter.with(Option::is_some)>
                <AdoptForm existing=Some(id)/>
            </Show>
        </main>
    }
}

/// Staff: a new document (`existing` none) or a new version of one, adopted now.
#[component]
fn AdoptForm(existing: Option<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let title = RwSignal::new(String::new());
    let text = RwSignal::new(
        existing
            .and_then(|id| {
                app.summary(&id, |s| match s {
                    Summary::Charter(c) => c.current().map(|v| v.text.clone()),
                    _ => None,
                })
                .flatten()
            })
            .unwrap_or_default(),
    );
    let decision = RwSignal::new(String::new());
    let talk = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<InputError>::new());
    let talks: Vec<(String, String)> = {
        let mut t = crate::pages::talks::talks(&app);
        t.sort_by(|a, b| b.1.date.cmp(&a.1.date));
        t.into_iter()
            .take(30)
            .map(|(id, t)| (id.to_string(), t.date))
            .collect()
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let version = VersionDraft {
            text: text.get_untracked(),
            talk: talk.get_untracked(),
            item: String::new(),
            decision: decision.get_untracked(),
        };
        let mut found = version.problems();
        if existing.is_none() && title.get_untracked().trim().is_empty() {
            found.insert(0, InputError::TitleEmpty);
        }
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let by_name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let (id, command) = match existing {
            Some(id) => (
                id,
                CharterCommand::Adopt {
                    version,
                    by: session.person.clone(),
                    by_name,
                },
            ),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                CharterCommand::Create {
                    title: title.get_untracked(),
                    version,
                    by: session.person.clone(),
                    by_name,
                },
            ),
        };
        match app.send(id, command) {
            Ok(saving) => {
                problems.set(Vec::new());
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => {
                            app.notice.set(Some(Notice::Saved));
                            app.go(Route::Charter(id));
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
    view! {
        <form class="charter-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{move || if existing.is_some() { lang.get().t("通过新版本", "Adopt a new version") } else { lang.get().t("登记一项新文件", "Record a new document") }}</h2>
            {existing.is_none().then(|| view! {
                <label for="ch-title">{move || lang.get().t("文件名称", "Title")}</label>
                <input id="ch-title" maxlength=TITLE_MAX.to_string() aria-describedby="ch-err"
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            })}
            <label for="ch-text">{move || lang.get().t("全文（全社区可见）", "Full text (the whole community sees it)")}</label>
            <textarea id="ch-text" rows="8" maxlength=TEXT_MAX.to_string() aria-describedby="ch-err"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <label for="ch-talk">{move || lang.get().t("通过它的四方会谈", "The four-party talk that adopted it")}</label>
            <select id="ch-talk" on:change=move |ev| talk.set(event_target_value(&ev))>
                <option value="">{move || lang.get().t("无", "None")}</option>
                {talks.into_iter().map(|(id, date)| view! { <option value=id>{date}</option> }).collect_view()}
            </select>
            <label for="ch-decision">{move || lang.get().t("决定（可不填）", "The decision (optional)")}</label>
            <input id="ch-decision" maxlength=DECISION_MAX.to_string() aria-describedby="ch-err"
                prop:value=move || decision.get() on:input=move |ev| decision.set(event_target_value(&ev))/>
            <p id="ch-err" class="field-error" role="alert">{problem}</p>
            <button type="submit" class="primary">{move || lang.get().t("保存", "Save")}</button>
        </form>
    }
}
