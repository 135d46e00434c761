//! One request: colour, deadline, status, photos and history; the grid worker accepts,
//! answers (from a template, with photos), re-colours with a reason and resolves; the resident
//! (or a volunteer for an elder) adds detail, rates the result and reopens within 30 days.
//! Everything works offline; the history merges what happened on other phones meanwhile.

use leptos::prelude::*;
use linli_shared::domain::requests::RequestSummary;
use linli_shared::domain::requests::deadline;
use linli_shared::domain::requests::limits;
use linli_shared::domain::requests::{Colour, EventKind, Request, RequestCommand, Status};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use super::card::{ColourChip, due_text, spoken};
use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Saving};
use crate::widgets::photos::{Photo, PhotoPicker};
use crate::widgets::read_aloud::ReadAloud;

fn draft_key(id: &DocumentId, what: &str) -> String {
    format!("{what}.{id}")
}

/// What a history entry says, in the person's language.
pub fn event_text(l: Lang, kind: &EventKind) -> String {
    match kind {
        EventKind::Status { to } => format!("{}{}", l.t("状态改为：", "Status: "), l.status(*to)),
        EventKind::Answer { text, .. } => format!("{}{}", l.t("答复：", "Answer: "), text),
        EventKind::Detail { text } => format!("{}{}", l.t("补充说明：", "More detail: "), text),
        EventKind::Recolour { to, reason } => format!(
            "{}{}（{}）",
            l.t("紧急程度改为：", "Urgency changed to: "),
            l.colour(*to),
            reason
        ),
        EventKind::Reopen { reason } => format!("{}{}", l.t("重新打开：", "Reopened: "), reason),
        EventKind::Rate { stars, comment } => {
            let s = "★".repeat(usize::from(*stars));
            if comment.is_empty() {
                format!("{}{s}", l.t("评价：", "Rating: "))
            } else {
                format!("{}{s} {comment}", l.t("评价：", "Rating: "))
            }
        }
    }
}

#[component]
pub fn RequestPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // Opened before this phone's documents have all been read: read this one first.
    app.ensure_loaded(id);
    let req = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Request(RequestSummary { request }) => Some(request.clone()),
            _ => None,
        })
        .flatten()
    });
    let may_work = move || {
        let Some(r) = req.get() else { return false };
        app.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.role == Role::Staff || (s.role == Role::GridWorker && s.grids.contains(&r.grid))
            })
        })
    };
    let owns = move || {
        let Some(r) = req.get() else { return false };
        let consented = data::elders(&app).iter().any(|(_, e)| e.id == r.subject);
        app.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.household.as_deref() == Some(r.household.as_str())
                    || s.person == r.filed_by
                    || s.person == r.subject
                    || consented
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
            <Show when=move || (may_work() || owns()) && !app.editable(&id)>
                <p class="hint" role="status">
                    {move || lang.get().t("正在打开本机记录…", "Opening this phone's records…")}
                </p>
            </Show>
            <Show when=move || may_work() && app.editable(&id)>
                <WorkerActions id/>
            </Show>
            <Show when=move || owns() && !may_work() && app.editable(&id)>
                <OwnerActions id req/>
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
    let working_days = cfg.mode == linli_shared::domain::community::DeadlineMode::WorkingDays;
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
    let colour = req.colour_now();
    let grid_name = data::community(&app)
        .map(|c| c.grid_name(&req.grid))
        .unwrap_or_else(|| req.grid.clone());
    let proxy =
        req.filed_by != req.subject && req.subject != linli_shared::domain::requests::ERASED;
    let filer = data::person_name(&app, &req.filed_by)
        .or_else(|| (!req.filed_by_name.is_empty()).then(|| req.filed_by_name.clone()));
    let subject_name = data::person_name(&app, &req.subject);
    let category = data::community(&app)
        .and_then(|c| c.categories.into_iter().find(|c| c.id == req.category))
        .map(|c| (c.zh, c.en))
        .unwrap_or_else(|| (req.category.clone(), req.category.clone()));
    let followers = data::followers(&app, &id, &req.grid);
    // Filed from a patrol's finding: the grid's page shows the round it was found on.
    let from_patrol = req
        .source
        .starts_with("patrols:")
        .then(|| crate::state::Route::Grid(req.grid.clone()).hash());
    let rating = req.rating().map(|(s, c)| (s, c.to_string()));
    let events = req.events.clone();
    let photos = req.photos.clone();
    let r3 = req.clone();
    let speak = Signal::derive(move || spoken(lang.get(), &r3));
    let pending = move || app.unconfirmed(&id);
    let unsaved = move || app.unsaved(&id);
    view! {
        <article aria-labelledby="req-title">
            <div class="card-top">
                <ColourChip colour=colour/>
                <span class="status big" data-testid="detail-status">{move || lang.get().status(status)}</span>
            </div>
            <h2 id="req-title" data-testid="detail-title">{req.title.clone()}</h2>
            <p class="due" class:late=move || due.with(|d| d.due.due.is_overdue())>
                {move || {
                    let d = due.get();
                    format!("{} · {} {}", due_text(lang.get(), &d), lang.get().t("期限", "due"), lang.get().due_time(d.due.due_at, working_days))
                }}
            </p>
            <ReadAloud text=speak/>
            <crate::pages::talks::OnAgenda id/>
            <crate::pages::works::ForRequest id grid=req.grid.clone()/>
            <crate::pages::notes::AddNoteLink kind=linli_shared::domain::field_note::LinkKind::Request id/>
            <dl class="facts">
                <dt>{move || lang.get().t("类别", "Category")}</dt>
                <dd>{move || if lang.get() == Lang::Zh { category.0.clone() } else { category.1.clone() }}</dd>
                <dt>{move || lang.get().t("网格", "Grid")}</dt>
                <dd>{grid_name}</dd>
                <dt>{move || lang.get().t("提交时间", "Filed")}</dt>
                <dd>{move || lang.get().time(req.filed_at)}</dd>
                {proxy.then(|| view! {
                    <dt>{move || lang.get().t("代办", "Filed on behalf")}</dt>
                    <dd data-testid="proxy">{move || {
                        let f = filer.clone().unwrap_or_else(|| lang.get().t("志愿者", "a volunteer").into());
                        let s = subject_name.clone().unwrap_or_else(|| lang.get().t("居民", "a resident").into());
                        match lang.get() { Lang::Zh => format!("{f} 代 {s} 提交"), Lang::En => format!("filed by {f} for {s}") }
                    }}</dd>
                })}
                {from_patrol.map(|href| view! {
                    <dt>{move || lang.get().t("来源", "Source")}</dt>
                    <dd data-testid="from-patrol"><a href=href>{move || lang.get().t("网格巡查发现", "Found on a grid patrol")}</a></dd>
                })}
                {(followers > 0).then(|| view! {
                    <dt>{move || lang.get().t("关注", "Following")}</dt>
                    <dd data-testid="followers">{move || match lang.get() {
                        Lang::Zh => format!("另有 {followers} 户反映了同样的问题"),
                        Lang::En => format!("{followers} more households reported the same"),
                    }}</dd>
                })}
                {rating.map(|(stars, comment)| view! {
                    <dt>{move || lang.get().t("评价", "Rating")}</dt>
                    <dd data-testid="rating" aria-label=format!("{stars}/5")>{format!("{} {}", "★".repeat(usize::from(stars)), comment)}</dd>
                })}
            </dl>
            <p class="description" data-testid="detail-description">{req.description.clone()}</p>
            {(!photos.is_empty()).then(|| view! {
                <div class="photos">{photos.into_iter().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
            })}
            <p class="upload-state" data-testid="detail-upload" data-state={move || if unsaved() { "saving" } else if pending() > 0 { "saved" } else { "uploaded" }}>
                {move || if unsaved() {
                    lang.get().t("正在保存到本机…", "Saving on this phone…")
                } else if pending() > 0 {
                    lang.get().t("已保存在本机，联网后上传", "Saved on this phone; uploads when online")
                } else {
                    lang.get().t("已上传到社区", "Uploaded to the community")
                }}
            </p>
            <h3>{move || lang.get().t("办理记录", "History")}</h3>
            <ol class="history" data-testid="history">
                <li>{move || format!("{} · {}", lang.get().time(req.filed_at), lang.get().t("提交诉求", "Request filed"))}</li>
                {events.into_iter().map(|e| {
                    let who = data::person_name(&app, &e.by)
                        .or_else(|| (!e.by_name.is_empty()).then(|| e.by_name.clone()));
                    let kind_name = e.kind.event_type().as_str();
                    let photos = e.photos.clone();
                    view! {
                        <li data-kind=kind_name>
                            {move || {
                                let l = lang.get();
                                let who = who.clone().map(|w| format!(" · {w}")).unwrap_or_default();
                                format!("{} · {}{who}", l.time(e.at), event_text(l, &e.kind))
                            }}
                            {(!photos.is_empty()).then(|| view! {
                                <div class="photos">{photos.into_iter().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}

/// A text box whose content is kept as a draft per request (IndexedDB, see
/// `App::set_draft`), so nothing typed is lost, not even in a crash.
fn drafted(id: DocumentId, what: &'static str) -> RwSignal<String> {
    let app = expect_context::<App>();
    let key = draft_key(&id, what);
    let s = RwSignal::new(app.draft(&key).unwrap_or_default());
    Effect::new(move |_| s.with(|v| app.set_draft(&key, v)));
    s
}

/// Appends an entry in this person's name; `Err` carries what to show beside the field.
/// `Ok(Some(saving))` resolves once the phone's storage holds it.
fn add_event(
    app: &App,
    id: DocumentId,
    kind: EventKind,
    photos: &[String],
) -> Result<Option<Saving>, InputError> {
    let Some(s) = app.session.get_untracked() else {
        return Ok(None);
    };
    let command = RequestCommand::AddEvent {
        by: s.person,
        by_name: data::me(app).map(|m| m.name).unwrap_or_default(),
        kind,
        photos: photos.to_vec(),
    };
    match app.send(id, command) {
        Ok(saving) => {
            if !photos.is_empty() {
                app.attach_photos(id, photos.to_vec());
            }
            Ok(Some(saving))
        }
        Err(linli_shared::domain::ModelError::Input(e)) => Err(e),
        Err(e) => {
            app.notice.set(Some(Notice::Error(e.to_string())));
            Ok(None)
        }
    }
}

/// Once the entry is saved on the phone, runs `then` (which empties the form); until then
/// what was typed stays in the form and in its draft, and `busy` keeps the buttons from
/// sending it twice.
fn when_saved(
    app: App,
    saving: Option<Saving>,
    busy: RwSignal<bool>,
    then: impl FnOnce() + 'static,
) {
    let Some(saving) = saving else {
        return;
    };
    busy.set(true);
    leptos::task::spawn_local(async move {
        match saving.done().await {
            Ok(()) => then(),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
        busy.try_set(false);
    });
}

/// Empties a text box whose content was just saved as an entry, and its draft (directly:
/// the page may be gone by now), unless the person has typed something else since.
fn sent(app: &App, id: DocumentId, what: &str, text: RwSignal<String>, submitted: &str) {
    let key = draft_key(&id, what);
    if app.draft(&key).as_deref() == Some(submitted) {
        app.clear_draft(&key);
    }
    if text.try_get_untracked().as_deref() == Some(submitted) {
        text.try_set(String::new());
    }
}

#[component]
fn WorkerActions(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let answer = drafted(id, "answer");
    let reason = drafted(id, "recolour");
    let photos = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<InputError>);
    let recolour_error = RwSignal::new(None::<InputError>);
    let new_colour = RwSignal::new(Colour::Red);
    let templates = Memo::new(move |_| {
        data::community(&app)
            .map(|c| c.templates)
            .unwrap_or_default()
    });
    let busy = RwSignal::new(false);
    let send_answer = move || {
        if busy.get_untracked() {
            return;
        }
        let submitted = answer.get_untracked();
        let kind = EventKind::Answer {
            text: submitted.clone(),
            substantive: true,
        };
        match add_event(&app, id, kind, &photos.get_untracked()) {
            Ok(saving) => {
                error.set(None);
                when_saved(app, saving, busy, move || {
                    sent(&app, id, "answer", answer, &submitted);
                    photos.try_set(Vec::new());
                });
            }
            Err(e) => {
                error.set(Some(e));
                platform::focus_first_invalid();
            }
        }
    };
    let recolour = move || {
        if busy.get_untracked() {
            return;
        }
        let submitted = reason.get_untracked();
        let kind = EventKind::Recolour {
            to: new_colour.get_untracked(),
            reason: submitted.clone(),
        };
        match add_event(&app, id, kind, &[]) {
            Ok(saving) => {
                recolour_error.set(None);
                when_saved(app, saving, busy, move || {
                    sent(&app, id, "recolour", reason, &submitted);
                });
            }
            Err(e) => {
                recolour_error.set(Some(e));
                platform::focus_first_invalid();
            }
        }
    };
    let status_button = move |to: Status, zh: &'static str, en: &'static str| {
        view! {
            <button type="button" data-testid=format!("set-{}", to.as_str()) disabled=move || busy.get() on:click=move |_| { if let Ok(saving) = add_event(&app, id, EventKind::Status { to }, &[]) { when_saved(app, saving, busy, || ()); } }>
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
                <label for="template">{move || lang.get().t("常用答复", "Answer templates")}</label>
                <select id="template" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if !v.is_empty() { answer.set(v); }
                }>
                    <option value="">{move || lang.get().t("选择一个模板…", "Pick a template…")}</option>
                    {move || templates.get().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
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
                <PhotoPicker photos id="answer-photos"/>
                <button type="submit" class="primary" disabled=move || busy.get()>{move || lang.get().t("发送答复", "Send answer")}</button>
            </form>
            <details class="recolour">
                <summary>{move || lang.get().t("调整紧急程度", "Change urgency")}</summary>
                <form novalidate on:submit=move |ev| { ev.prevent_default(); recolour(); }>
                    <label for="recolour-to">{move || lang.get().t("改为", "Change to")}</label>
                    <select id="recolour-to" on:change=move |ev| {
                        if let Some(c) = Colour::parse(&event_target_value(&ev)) { new_colour.set(c); }
                    }>
                        {Colour::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{move || lang.get().colour(c)}</option> }).collect_view()}
                    </select>
                    <label for="recolour-reason">{move || lang.get().t("原因（必填）", "Reason (required)")}</label>
                    <input id="recolour-reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))
                        aria-invalid=move || recolour_error.with(Option::is_some).to_string() aria-describedby="recolour-err"/>
                    <p id="recolour-err" class="field-error" role="alert">{move || recolour_error.get().map(|e| lang.get().input_error(&e))}</p>
                    <button type="submit" disabled=move || busy.get()>{move || lang.get().t("确认调整", "Change")}</button>
                </form>
            </details>
        </section>
    }
}

#[component]
fn OwnerActions(id: DocumentId, req: Memo<Option<Request>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = drafted(id, "detail");
    let comment = drafted(id, "comment");
    let reopen_reason = drafted(id, "reopen");
    let stars = RwSignal::new(0u8);
    let error = RwSignal::new(None::<InputError>);
    let rate_error = RwSignal::new(None::<InputError>);
    let reopen_error = RwSignal::new(None::<InputError>);
    let resolved = move || req.with(|r| r.as_ref().is_some_and(|r| r.status() == Status::Resolved));
    let rated = move || req.with(|r| r.as_ref().is_some_and(Request::rated_since_resolved));
    let may_reopen = move || {
        app.clock.track();
        req.with(|r| r.as_ref().is_some_and(|r| r.may_reopen(app.now())))
    };
    let busy = RwSignal::new(false);
    let send = move || {
        if busy.get_untracked() {
            return;
        }
        let submitted = text.get_untracked();
        let kind = EventKind::Detail {
            text: submitted.clone(),
        };
        match add_event(&app, id, kind, &[]) {
            Ok(saving) => {
                error.set(None);
                when_saved(app, saving, busy, move || {
                    sent(&app, id, "detail", text, &submitted);
                });
            }
            Err(e) => {
                error.set(Some(e));
                platform::focus_first_invalid();
            }
        }
    };
    let rate = move || {
        if busy.get_untracked() {
            return;
        }
        let submitted = comment.get_untracked();
        let kind = EventKind::Rate {
            stars: stars.get_untracked(),
            comment: submitted.clone(),
        };
        match add_event(&app, id, kind, &[]) {
            Ok(saving) => {
                rate_error.set(None);
                when_saved(app, saving, busy, move || {
                    sent(&app, id, "comment", comment, &submitted);
                });
            }
            Err(e) => {
                rate_error.set(Some(e));
                platform::focus_first_invalid();
            }
        }
    };
    let reopen = move || {
        if busy.get_untracked() {
            return;
        }
        let submitted = reopen_reason.get_untracked();
        let kind = EventKind::Reopen {
            reason: submitted.clone(),
        };
        match add_event(&app, id, kind, &[]) {
            Ok(saving) => {
                reopen_error.set(None);
                when_saved(app, saving, busy, move || {
                    sent(&app, id, "reopen", reopen_reason, &submitted);
                });
            }
            Err(e) => {
                reopen_error.set(Some(e));
                platform::focus_first_invalid();
            }
        }
    };
    view! {
        <Show when=move || resolved() && rated()>
            <p class="thanks" role="status" data-testid="rated">{move || lang.get().t("谢谢你的评价！", "Thank you for your rating!")}</p>
        </Show>
        <Show when=move || resolved() && !rated()>
            <section class="actions rate" aria-labelledby="rate-title">
                <h3 id="rate-title">{move || lang.get().t("对办理结果满意吗？", "How satisfied are you?")}</h3>
                <form novalidate on:submit=move |ev| { ev.prevent_default(); rate(); }>
                    <fieldset class="stars" aria-describedby="rate-err">
                        <legend>{move || lang.get().t("评分（1–5星）", "Rating (1–5 stars)")}</legend>
                        {(1..=5u8).map(|n| {
                            let id = format!("star-{n}");
                            let input_id = id.clone();
                            view! {
                                <label for=id class:lit=move || { stars.get() >= n }>
                                    <input type="radio" name="stars" id=input_id value=n.to_string() on:change=move |_| stars.set(n)/>
                                    <span aria-hidden="true">"★"</span>
                                    <span class="sr">{move || match lang.get() { Lang::Zh => format!("{n}星"), Lang::En => format!("{n} stars") }}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <label for="rate-comment">{move || lang.get().t("想说的话（可选）", "Comment (optional)")}</label>
                    <textarea id="rate-comment" rows="2" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    <p id="rate-err" class="field-error" role="alert">{move || rate_error.get().map(|e| lang.get().input_error(&e))}</p>
                    <button type="submit" class="primary" disabled=move || busy.get()>{move || lang.get().t("提交评价", "Send rating")}</button>
                </form>
            </section>
        </Show>
        <Show when=may_reopen>
            <section class="actions reopen">
                <form novalidate on:submit=move |ev| { ev.prevent_default(); reopen(); }>
                    <label for="reopen-reason">{move || lang.get().t("问题没解决？说明原因后重新打开", "Not solved? Say why and reopen it")}</label>
                    <input id="reopen-reason" prop:value=move || reopen_reason.get() on:input=move |ev| reopen_reason.set(event_target_value(&ev))
                        aria-invalid=move || reopen_error.with(Option::is_some).to_string() aria-describedby="reopen-err"/>
                    <p id="reopen-err" class="field-error" role="alert">{move || reopen_error.get().map(|e| lang.get().input_error(&e))}</p>
                    <button type="submit" disabled=move || busy.get()>{move || lang.get().t("重新打开", "Reopen")}</button>
                </form>
            </section>
        </Show>
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
                <button type="submit" class="primary" disabled=move || busy.get()>{move || lang.get().t("补充", "Add")}</button>
            </form>
        </section>
    }
}
