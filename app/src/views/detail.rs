//! One request: its colour, deadline, status and history; the grid worker answers and moves
//! it along; the resident adds detail. Works offline; the history merges whatever happened
//! on other phones meanwhile.

use leptos::prelude::*;
use linli_shared::deadline;
use linli_shared::ids::DocumentId;
use linli_shared::model::{self, EventKind, InputError, Request, Status, limits};
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice};
use crate::views::requests::{ColourChip, due_text};

fn draft_key(id: &DocumentId, what: &str) -> String {
    format!("linli.draft.{what}.{id}")
}

#[component]
pub fn RequestPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let req = Memo::new(move |_| app.with_doc(&id, |d| Request::read(d).ok()).flatten());
    let role = move || app.session.with(|s| s.as_ref().map(|s| s.role));
    let may_work = move || {
        let Some(r) = req.get() else { return false };
        app.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.role == Role::Staff || (s.role == Role::GridWorker && s.grids.contains(&r.grid))
            })
        })
    };
    let is_mine = move || {
        let Some(r) = req.get() else { return false };
        app.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.household.as_deref() == Some(r.household.as_str()) || s.person == r.filed_by
            })
        })
    };

    view! {
        <main class="page detail">
            <a href="#/" class="back">{move || lang.get().t("‹ 返回", "‹ Back")}</a>
            {move || match req.get() {
                None => view! {
                    <p class="empty">{move || lang.get().t("这条诉求不在本机。", "This request is not on this phone.")}</p>
                }.into_any(),
                Some(r) => view! { <RequestView id req=r/> }.into_any(),
            }}
            <Show when=may_work>
                <WorkerActions id/>
            </Show>
            <Show when=move || is_mine() && !may_work()>
                <AddDetail id/>
            </Show>
            <Show when=move || role().is_none()>
                <span></span>
            </Show>
        </main>
    }
}

#[component]
fn RequestView(id: DocumentId, req: Request) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let cfg = data::community(&app)
        .map(|c| c.deadlines)
        .unwrap_or_default();
    let r2 = req.clone();
    let due = Memo::new(move |_| {
        app.clock.track();
        let a = deadline::assess(&r2, &cfg, app.now());
        data::Item {
            id,
            req: r2.clone(),
            due: a,
        }
    });
    let status = req.status();
    let grid_name = data::community(&app)
        .map(|c| c.grid_name(&req.grid))
        .unwrap_or_else(|| req.grid.clone());
    let filed_by = req.filed_by.clone();
    let subject = req.subject.clone();
    let proxy = filed_by != subject;
    let by_name = move |p: &str| data::person_name(&app, p);
    let filer = by_name(&filed_by)
        .or_else(|| (!req.filed_by_name.is_empty()).then(|| req.filed_by_name.clone()));
    let subject_name = by_name(&subject);
    let category = data::community(&app)
        .and_then(|c| c.categories.into_iter().find(|c| c.id == req.category))
        .map(|c| (c.zh, c.en))
        .unwrap_or_else(|| (req.category.clone(), req.category.clone()));
    let events = req.events.clone();
    let speak_text = {
        let r = req.clone();
        move || {
            let l = lang.get_untracked();
            let mut s = format!(
                "{}。{}。{}。",
                r.title,
                l.status(r.status()),
                l.colour(r.colour)
            );
            if let Some(a) = r.last_answer() {
                s.push_str(l.t("答复：", "Answer: "));
                s.push_str(a);
            }
            s
        }
    };
    let pending = move || app.unconfirmed(&id);
    view! {
        <article aria-labelledby="req-title">
            <div class="card-top">
                <ColourChip colour=req.colour/>
                <span class="status big" data-testid="detail-status">{move || lang.get().status(status)}</span>
            </div>
            <h2 id="req-title" data-testid="detail-title">{req.title.clone()}</h2>
            <p class="due" class:late=move || due.with(|d| d.due.due.is_overdue())>
                {move || {
                    let d = due.get();
                    format!("{} · {} {}", due_text(lang.get(), &d), lang.get().t("期限", "due"), lang.get().time(d.due.due_at))
                }}
            </p>
            <dl class="facts">
                <dt>{move || lang.get().t("类别", "Category")}</dt>
                <dd>{move || if lang.get() == Lang::Zh { category.0.clone() } else { category.1.clone() }}</dd>
                <dt>{move || lang.get().t("网格", "Grid")}</dt>
                <dd>{grid_name}</dd>
                <dt>{move || lang.get().t("提交时间", "Filed")}</dt>
                <dd>{move || lang.get().time(req.filed_at)}</dd>
                {proxy.then(|| view! {
                    <dt>{move || lang.get().t("代办", "Filed on behalf")}</dt>
                    <dd>{move || {
                        let f = filer.clone().unwrap_or_else(|| lang.get().t("志愿者", "a volunteer").into());
                        let s = subject_name.clone().unwrap_or_else(|| lang.get().t("居民", "a resident").into());
                        match lang.get() { Lang::Zh => format!("{f} 代 {s} 提交"), Lang::En => format!("filed by {f} for {s}") }
                    }}</dd>
                })}
            </dl>
            <p class="description" data-testid="detail-description">{req.description.clone()}</p>
            <p class="upload-state" data-testid="detail-upload">
                {move || if pending() > 0 {
                    lang.get().t("已保存在本机，联网后上传", "Saved on this phone; uploads when online")
                } else {
                    lang.get().t("已上传到社区", "Uploaded to the community")
                }}
            </p>
            <button
                type="button"
                class="speak"
                data-testid="read-aloud"
                on:click=move |_| {
                    let l = lang.get_untracked();
                    platform::speak(&speak_text(), l.code());
                }
            >
                <span aria-hidden="true">"🔊 "</span>{move || lang.get().t("朗读", "Read aloud")}
            </button>
            <h3>{move || lang.get().t("办理记录", "History")}</h3>
            <ol class="history" data-testid="history">
                <li>{move || format!("{} · {}", lang.get().time(req.filed_at), lang.get().t("提交诉求", "Request filed"))}</li>
                {events.into_iter().map(|e| {
                    let who = data::person_name(&app, &e.by)
                        .or_else(|| (!e.by_name.is_empty()).then(|| e.by_name.clone()));
                    let kind_name = match &e.kind {
                        EventKind::Status { .. } => "status",
                        EventKind::Answer { .. } => "answer",
                        EventKind::Detail { .. } => "detail",
                    };
                    view! {
                        <li data-kind=kind_name>
                            {move || {
                                let l = lang.get();
                                let what = match &e.kind {
                                    EventKind::Status { to } => format!("{}{}", l.t("状态改为：", "Status: "), l.status(*to)),
                                    EventKind::Answer { text, .. } => format!("{}{}", l.t("答复：", "Answer: "), text),
                                    EventKind::Detail { text } => format!("{}{}", l.t("补充说明：", "More detail: "), text),
                                };
                                let who = who.clone().map(|w| format!(" · {w}")).unwrap_or_default();
                                format!("{} · {what}{who}", l.time(e.at))
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}

/// A text box whose content is kept as a draft per request, so nothing typed is lost.
fn drafted(id: DocumentId, what: &'static str) -> RwSignal<String> {
    let key = draft_key(&id, what);
    let s = RwSignal::new(platform::ls_get(&key).unwrap_or_default());
    Effect::new(move |_| {
        let v = s.get();
        if v.is_empty() {
            platform::ls_remove(&key);
        } else {
            platform::ls_set(&key, &v);
        }
    });
    s
}

#[component]
fn WorkerActions(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let answer = drafted(id, "answer");
    let error = RwSignal::new(None::<InputError>);
    let act = move |kind: EventKind| -> bool {
        let Some(s) = app.session.get_untracked() else {
            return false;
        };
        let now = app.now();
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        match app.change(id, |doc| {
            model::append_event_named(doc, &s.person, &name, now, kind)
        }) {
            Ok(()) => {
                error.set(None);
                true
            }
            Err(model::ModelError::Input(e)) => {
                error.set(Some(e));
                false
            }
            Err(e) => {
                app.notice.set(Some(Notice::Error(e.to_string())));
                false
            }
        }
    };
    let send_answer = move || {
        if act(EventKind::Answer {
            text: answer.get_untracked(),
            substantive: true,
        }) {
            answer.set(String::new());
        }
    };
    let status_button = move |to: Status, zh: &'static str, en: &'static str| {
        view! {
            <button type="button" data-testid=format!("set-{}", to.as_str()) on:click=move |_| { act(EventKind::Status { to }); }>
                {move || lang.get().t(zh, en)}
            </button>
        }
    };
    view! {
        <section class="actions" aria-labelledby="actions-title">
            <h3 id="actions-title">{move || lang.get().t("办理", "Handle")}</h3>
            <div class="buttons">
                {status_button(Status::Accepted, "受理", "Accept")}
                {status_button(Status::InProgress, "处理中", "In progress")}
                {status_button(Status::Resolved, "办结", "Resolve")}
            </div>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); send_answer(); }>
                <label for="answer">{move || lang.get().t("答复居民", "Answer the resident")}</label>
                <textarea
                    id="answer"
                    rows="3"
                    prop:value=move || answer.get()
                    on:input=move |ev| answer.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="answer-err"
                ></textarea>
                <p id="answer-err" class="field-error" role="alert">{move || error.get().map(|e| lang.get().input_error(&e))}</p>
                <p class="count">{move || format!("{}/{}", answer.with(|a| a.trim().chars().count()), limits::TEXT_MAX)}</p>
                <button type="submit" class="primary">{move || lang.get().t("发送答复", "Send answer")}</button>
            </form>
        </section>
    }
}

#[component]
fn AddDetail(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = drafted(id, "detail");
    let error = RwSignal::new(None::<InputError>);
    let send = move || {
        let Some(s) = app.session.get_untracked() else {
            return;
        };
        let now = app.now();
        let kind = EventKind::Detail {
            text: text.get_untracked(),
        };
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        match app.change(id, |doc| {
            model::append_event_named(doc, &s.person, &name, now, kind)
        }) {
            Ok(()) => {
                text.set(String::new());
                error.set(None);
            }
            Err(model::ModelError::Input(e)) => error.set(Some(e)),
            Err(e) => app.notice.set(Some(Notice::Error(e.to_string()))),
        }
    };
    view! {
        <section class="actions">
            <form novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
                <label for="detail">{move || lang.get().t("补充说明", "Add more detail")}</label>
                <textarea
                    id="detail"
                    rows="3"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="detail-err"
                ></textarea>
                <p id="detail-err" class="field-error" role="alert">{move || error.get().map(|e| lang.get().input_error(&e))}</p>
                <button type="submit" class="primary">{move || lang.get().t("补充", "Add")}</button>
            </form>
        </section>
    }
}
