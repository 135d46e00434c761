//! Facility works 设施改造, for everyone to see: the list with this year's count per kind (the
//! article's leaks, aging-friendly changes and lights), one work with its progress, photos
//! before and after, cost and contractor, and the requests and the talk decision that led to
//! it; staff and the grid's workers register a work (from a request in one tap) and record its
//! progress, offline if need be.

use leptos::prelude::*;
use linli_shared::domain::InputError;
use linli_shared::domain::works::{
    Category, DESCRIPTION_MAX, NOTE_MAX, Status, TITLE_MAX, Work, WorkDraft, WorksCommand,
};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::pages::grants::money;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::{Photo, PhotoPicker};

impl Lang {
    pub fn work_category(self, c: Category) -> &'static str {
        match c {
            Category::Leak => self.t("漏水维修", "Leak repair"),
            Category::Aging => self.t("适老化改造", "Aging-friendly change"),
            Category::Lighting => self.t("照明", "Lighting"),
            Category::Other => self.t("其他", "Other"),
        }
    }

    pub fn work_status(self, s: Status) -> &'static str {
        match s {
            Status::Planned => self.t("待施工", "Planned"),
            Status::InProgress => self.t("施工中", "In progress"),
            Status::Done => self.t("已完工", "Done"),
        }
    }
}

/// Every work this phone holds, newest first.
pub fn works(app: &App) -> Vec<(DocumentId, Work)> {
    let mut v = app.each_summary(|id, s| match s {
        linli_shared::domain::Summary::Works(w) => Some((*id, w.clone())),
        _ => None,
    });
    v.sort_by_key(|(_, w)| std::cmp::Reverse(w.created_at));
    v
}

/// Whether this person keeps the works of `grid` (staff: every work; a grid worker: their
/// grid's).
fn keeps(app: &App, grid: &str) -> bool {
    app.session.with(|s| {
        s.as_ref().is_some_and(|s| {
            s.role == Role::Staff
                || (s.role == Role::GridWorker && s.grids.iter().any(|g| g == grid))
        })
    })
}

fn may_register(app: &App) -> bool {
    app.session.with(|s| {
        s.as_ref()
            .is_some_and(|s| matches!(s.role, Role::Staff | Role::GridWorker))
    })
}

/// This year's finished works per kind, for the sentence at the top.
fn done_this_year(app: &App, all: &[(DocumentId, Work)]) -> Vec<(Category, usize)> {
    let year = linli_shared::time::LocalDateTime::shanghai(app.now()).year;
    Category::ALL
        .into_iter()
        .map(|c| {
            let n = all
                .iter()
                .filter(|(_, w)| w.category == c)
                .filter(|(_, w)| {
                    w.done_at().is_some_and(|t| {
                        linli_shared::time::LocalDateTime::shanghai(t).year == year
                    })
                })
                .count();
            (c, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[component]
pub fn WorksPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = Memo::new(move |_| works(&app));
    let category = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let shown = move || {
        let (c, s) = (category.get(), status.get());
        all.get()
            .into_iter()
            .filter(|(_, w)| c.is_empty() || w.category.as_str() == c)
            .filter(|(_, w)| s.is_empty() || w.status().as_str() == s)
            .collect::<Vec<_>>()
    };
    let summary = move || {
        let l = lang.get();
        let done = done_this_year(&app, &all.get());
        if done.is_empty() {
            return l
                .t("今年还没有完工的工程。", "No works finished this year yet.")
                .to_string();
        }
        let parts: Vec<String> = done
            .into_iter()
            .map(|(c, n)| match l {
                Lang::Zh => format!("{}{n}项", l.work_category(c)),
                Lang::En => format!("{n} × {}", l.work_category(c).to_lowercase()),
            })
            .collect();
        match l {
            Lang::Zh => format!("今年已完工：{}。", parts.join("、")),
            Lang::En => format!("Finished this year: {}.", parts.join(", ")),
        }
    };
    view! {
        <main class="page works">
            <h2>{move || lang.get().t("设施改造", "Facility works")}</h2>
            <p data-testid="works-summary">{summary}</p>
            <Show when=move || may_register(&app)>
                <a class="button primary big" href=Route::NewWork(None).hash() data-testid="new-work">
                    {move || lang.get().t("登记一项工程", "Register a work")}
                </a>
            </Show>
            <div class="filters" role="group" aria-label=move || lang.get().t("筛选", "Filters")>
                <label for="w-cat" class="sr">{move || lang.get().t("按类别筛选", "Filter by kind")}</label>
                <select id="w-cat" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("全部类别", "All kinds")}</option>
                    {Category::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{move || lang.get().work_category(c)}</option> }).collect_view()}
                </select>
                <label for="w-status" class="sr">{move || lang.get().t("按进度筛选", "Filter by progress")}</label>
                <select id="w-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("全部进度", "Any progress")}</option>
                    {Status::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || lang.get().work_status(s)}</option> }).collect_view()}
                </select>
            </div>
            <ul class="cards">
                {move || shown().into_iter().map(|(id, w)| {
                    let l = lang.get();
                    let meta = format!("{} · {} · {}", l.work_category(w.category), w.place, money(w.cost_fen));
                    view! {
                        <li class="card">
                            <a href=Route::Work(id).hash() data-testid="work-card">
                                <strong>{w.title.clone()}</strong>
                                <span class="meta">{meta}</span>
                                <span class=format!("status work-{}", w.status().as_str())>{l.work_status(w.status())}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || shown().is_empty()>
                <p class="empty">{move || lang.get().t("没有符合条件的工程。", "No works match.")}</p>
            </Show>
        </main>
    }
}

/// The requests a work came from, as this phone can show them: (title, the request's page if
/// this phone holds it).
fn linked_requests(app: &App, w: &Work) -> Vec<(String, Option<DocumentId>)> {
    let board = (!w.grid.is_empty())
        .then(|| data::board(app, &w.grid))
        .flatten();
    w.requests
        .iter()
        .map(|key| {
            let id = crate::pages::talks::request_for_key(app, key);
            let title = id
                .and_then(|id| data::request(app, &id).map(|r| r.title))
                .or_else(|| {
                    board
                        .as_ref()
                        .and_then(|(_, b)| b.entry(key).map(|e| e.title.clone()))
                })
                .unwrap_or_default();
            (title, id)
        })
        .collect()
}

#[component]
pub fn WorkPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let work = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            linli_shared::domain::Summary::Works(w) => Some(w.clone()),
            _ => None,
        })
        .flatten()
    });
    // The form is outside the details' closure: that closure runs again whenever any document
    // on the phone changes (the linked requests and talks are read from the whole index), and
    // a form inside it was made anew each time, losing what the person had chosen, typed and
    // picked (a grid worker's first sync, still arriving while she recorded progress).
    let keeps_it =
        Memo::new(move |_| work.with(|w| w.as_ref().is_some_and(|w| keeps(&app, &w.grid))));
    let staff = Memo::new(move |_| {
        work.with(Option::is_some)
            && app
                .session
                .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
    });
    let current = Memo::new(move |_| work.with(|w| w.as_ref().map(|w| w.status())));
    let details = move || {
        match work.get() {
        None => view! { <p class="empty">{lang.get().t("这项工程还没有同步到本机。", "This work has not synced to this phone yet.")}</p> }.into_any(),
        Some(w) => {
            let l = lang.get();
            let requests = linked_requests(&app, &w);
            let decision = (!w.talk.is_empty())
                .then(|| DocumentId::parse(&w.talk).ok())
                .flatten()
                .and_then(|t| {
                    crate::pages::talks::talks(&app).into_iter().find(|(tid, _)| *tid == t)
                })
                .and_then(|(tid, t)| {
                    let d = t.items.iter().find(|i| i.id == w.item)?.decision.clone()?;
                    Some((tid, t.date.clone(), d.text))
                });
            let after = w.photos_after();
            let grid = if w.grid.is_empty() { l.t("全社区", "Whole community").to_string() } else { l.grid_name(&w.grid) };
            view! {
                    <h2 data-testid="work-title">{w.title.clone()}</h2>
                    <p><span class=format!("status work-{}", w.status().as_str()) data-testid="work-status">{l.work_status(w.status())}</span></p>
                    <dl class="facts">
                        <dt>{l.t("类别", "Kind")}</dt><dd>{l.work_category(w.category)}</dd>
                        <dt>{l.t("地点", "Where")}</dt><dd>{format!("{grid} · {}", w.place)}</dd>
                        <dt>{l.t("费用", "Cost")}</dt><dd>{money(w.cost_fen)}</dd>
                        <dt>{l.t("施工单位", "Contractor")}</dt><dd>{w.contractor.clone()}</dd>
                        <dt>{l.t("登记", "Registered")}</dt><dd>{format!("{} · {}", l.time(w.created_at), w.by_name)}</dd>
                        {w.done_at().map(|t| view! { <dt>{l.t("完工", "Finished")}</dt><dd>{l.time(t)}</dd> })}
                    </dl>
                    <p class="description">{w.description.clone()}</p>
                    {(!w.photos.is_empty()).then(|| view! {
                        <h3>{l.t("施工前", "Before")}</h3>
                        <div class="photos">{w.photos.iter().cloned().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
                    })}
                    {(!after.is_empty()).then(|| view! {
                        <h3>{l.t("完工后", "After")}</h3>
                        <div class="photos" data-testid="after-photos">{after.into_iter().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
                    })}
                    {(!requests.is_empty() || decision.is_some()).then(|| view! {
                        <section aria-labelledby="w-why">
                            <h3 id="w-why">{l.t("缘起", "What led to it")}</h3>
                            <ul class="rows">
                                {requests.into_iter().map(|(title, rid)| {
                                    let title = if title.is_empty() { l.t("一条居民诉求", "A resident's request").to_string() } else { title };
                                    match rid {
                                        Some(rid) => view! { <li><a href=Route::Request(rid).hash() data-testid="work-request">{title}</a></li> }.into_any(),
                                        None => view! { <li data-testid="work-request">{title}</li> }.into_any(),
                                    }
                                }).collect_view()}
                                {decision.map(|(tid, date, text)| view! {
                                    <li><a href=Route::Talk(tid).hash() data-testid="work-decision">{format!("{} {date}: {text}", l.t("四方会谈决定", "Four-party talk decision"))}</a></li>
                                })}
                            </ul>
                        </section>
                    })}
                    <section aria-labelledby="w-progress">
                        <h3 id="w-progress">{l.t("进度", "Progress")}</h3>
                        <ol class="rows timeline">
                            {w.updates.iter().rev().map(|u| view! {
                                <li data-testid="work-update">
                                    <strong>{l.work_status(u.status)}</strong>
                                    <span class="meta">{format!("{} · {}", l.time(u.at), u.by_name)}</span>
                                    <span>{u.note.clone()}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
            }.into_any()
        }
    }
    };
    view! {
        <main class="page work">
            {details}
            <Show when=move || keeps_it.get()>
                <UpdateForm id current/>
            </Show>
            <Show when=move || staff.get()>
                <a class="button" href=Route::EditWork(id).hash()>{move || lang.get().t("修改工程信息", "Edit the work")}</a>
            </Show>
        </main>
    }
}

/// Recording progress (staff, the grid's workers), offline if need be.
#[component]
fn UpdateForm(id: DocumentId, current: Memo<Option<Status>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // The step after a status, which the form offers first.
    let after = |s: Status| match s {
        Status::Planned => Status::InProgress,
        _ => Status::Done,
    };
    let next = after(current.get_untracked().unwrap_or(Status::Planned));
    let status = RwSignal::new(next);
    let note = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<String>::new());
    let problem = RwSignal::new(String::new());
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let shots = photos.get_untracked();
        let saved = status.get_untracked();
        let command = WorksCommand::Update {
            status: saved,
            note: note.get_untracked(),
            photos: shots.clone(),
            by: session.person,
            by_name: name,
        };
        match app.send(id, command) {
            Ok(saving) => {
                problem.set(String::new());
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => {
                            if !shots.is_empty() {
                                app.attach_photos(id, shots);
                            }
                            // The form stays: it offers the step after the one recorded.
                            status.try_set(after(saved));
                            note.try_set(String::new());
                            photos.try_set(Vec::new());
                            app.notice.set(Some(Notice::Saved));
                        }
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
            }
            Err(linli_shared::domain::ModelError::Input(e)) => {
                problem.set(lang.get_untracked().input_error(&e))
            }
            Err(e) => problem.set(e.to_string()),
        }
    };
    view! {
        <form class="work-update" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3>{move || lang.get().t("记录进度", "Record progress")}</h3>
            <label for="wu-status">{move || lang.get().t("进度", "Progress")}</label>
            <select id="wu-status" prop:value=move || status.get().as_str() on:change=move |ev| {
                if let Some(s) = Status::parse(&event_target_value(&ev)) { status.set(s); }
            }>
                {Status::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=s == next>{move || lang.get().work_status(s)}</option>
                }).collect_view()}
            </select>
            <label for="wu-note">{move || lang.get().t("说明（全社区可见）", "Note (the whole community sees it)")}</label>
            <textarea id="wu-note" rows="2" maxlength=NOTE_MAX.to_string() prop:value=move || note.get()
                aria-describedby="wu-err"
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            <PhotoPicker photos id="wu-photos"/>
            <p id="wu-err" class="field-error" role="alert">{move || problem.get()}</p>
            <button type="submit" class="primary" data-testid="save-progress">{move || lang.get().t("保存进度", "Save progress")}</button>
        </form>
    }
}

/// Registering a work (from a request, when `request` is given) or, with `existing`, staff
/// revising one.
#[component]
pub fn WorkForm(existing: Option<DocumentId>, request: Option<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let old: Option<Work> = existing.and_then(|id| {
        app.summary(&id, |s| match s {
            linli_shared::domain::Summary::Works(w) => Some(w.clone()),
            _ => None,
        })
        .flatten()
    });
    let from = request.and_then(|r| data::request(&app, &r).map(|q| (r, q)));
    let my_grids: Vec<String> = {
        let staff = app
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff));
        if staff {
            data::grids(&app).into_iter().map(|(_, g)| g.grid).collect()
        } else {
            app.session
                .with(|s| s.as_ref().map(|s| s.grids.clone()))
                .unwrap_or_default()
        }
    };
    let staff = app
        .session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff));
    let title = RwSignal::new(
        old.as_ref()
            .map(|w| w.title.clone())
            .or_else(|| from.as_ref().map(|(_, q)| q.title.clone()))
            .unwrap_or_default(),
    );
    let category = RwSignal::new(old.as_ref().map(|w| w.category).or_else(|| {
        from.as_ref().and_then(|(_, q)| match q.category.as_str() {
            "leak" => Some(Category::Leak),
            "facilities" => Some(Category::Lighting),
            _ => None,
        })
    }));
    let grid = RwSignal::new(
        old.as_ref()
            .map(|w| w.grid.clone())
            .or_else(|| from.as_ref().map(|(_, q)| q.grid.clone()))
            .or_else(|| (!staff).then(|| my_grids.first().cloned()).flatten())
            .unwrap_or_default(),
    );
    let place = RwSignal::new(old.as_ref().map(|w| w.place.clone()).unwrap_or_default());
    let description = RwSignal::new(
        old.as_ref()
            .map(|w| w.description.clone())
            .unwrap_or_default(),
    );
    let cost = RwSignal::new(
        old.as_ref()
            .filter(|w| w.cost_fen > 0)
            .map(|w| linli_shared::domain::fund::yuan(w.cost_fen))
            .unwrap_or_default(),
    );
    let contractor = RwSignal::new(
        old.as_ref()
            .map(|w| w.contractor.clone())
            .unwrap_or_default(),
    );
    let photos = RwSignal::new(Vec::<String>::new());
    // Decisions of the talks this phone holds, newest first: (talk, item, "date: text").
    let decisions: Vec<(String, String, String)> = crate::pages::talks::talks(&app)
        .into_iter()
        .flat_map(|(tid, t)| {
            t.items
                .into_iter()
                .filter_map(|i| Some((i.id, i.decision?.text)))
                .map(move |(item, text)| (tid.to_string(), item, format!("{}：{text}", t.date)))
                .collect::<Vec<_>>()
        })
        .take(60)
        .collect();
    let decision = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<InputError>::new());
    let private = RwSignal::new(String::new());
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let (talk, item) = decision
            .get_untracked()
            .split_once('|')
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .unwrap_or_default();
        let draft = WorkDraft {
            title: title.get_untracked(),
            category: category.get_untracked(),
            grid: grid.get_untracked(),
            place: place.get_untracked(),
            description: description.get_untracked(),
            cost: cost.get_untracked(),
            contractor: contractor.get_untracked(),
            photos: photos.get_untracked(),
            requests: request
                .map(|r| vec![linli_shared::domain::board::board_key(&r)])
                .unwrap_or_default(),
            talk,
            item,
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let (id, command) = match existing {
            Some(id) => (
                id,
                WorksCommand::Revise {
                    draft: Box::new(draft.clone()),
                },
            ),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                WorksCommand::Create {
                    draft: Box::new(draft.clone()),
                    by: session.person.clone(),
                    by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
                },
            ),
        };
        match app.send(id, command) {
            Ok(saving) => leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => {
                        if existing.is_none() && !draft.photos.is_empty() {
                            app.attach_photos(id, draft.photos.clone());
                        }
                        app.notice.set(Some(Notice::Saved));
                        app.go(Route::Work(id));
                    }
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            }),
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    let invalid =
        move |f: fn(&InputError) -> bool| move || problems.with(|p| p.iter().any(f)).to_string();
    let from_title = from.as_ref().map(|(_, q)| q.title.clone());
    view! {
        <main class="page work-form">
            <h2>{move || if existing.is_some() { lang.get().t("修改工程信息", "Edit the work") } else { lang.get().t("登记一项工程", "Register a work") }}</h2>
            {from_title.map(|t| view! { <p class="hint" data-testid="work-from">{move || lang.get().t("来自诉求：", "From the request: ")}{t.clone()}</p> })}
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="wf-title">{move || lang.get().t("工程名称（全社区可见）", "What (the whole community sees it)")}</label>
                    <input id="wf-title" maxlength=TITLE_MAX.to_string() prop:value=move || title.get()
                        aria-invalid=invalid(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. } | InputError::PersonalData { .. }))
                        aria-describedby="wf-title-pii wf-err"
                        on:input=move |ev| title.set(event_target_value(&ev))/>
                    <crate::widgets::privacy::PersonalDataGuard text=title private
                        private_name=("备注", "a note") id="wf-title-pii"/>
                </div>
                <div class="field">
                    <label for="wf-cat">{move || lang.get().t("类别", "Kind")}</label>
                    <select id="wf-cat" aria-invalid=invalid(|e| matches!(e, InputError::CategoryMissing)) aria-describedby="wf-err"
                        on:change=move |ev| category.set(Category::parse(&event_target_value(&ev)))>
                        <option value="">{move || lang.get().t("选择类别", "Choose a kind")}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get_untracked() == Some(c)>{move || lang.get().work_category(c)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="wf-grid">{move || lang.get().t("网格", "Grid")}</label>
                    <select id="wf-grid" disabled=existing.is_some() on:change=move |ev| grid.set(event_target_value(&ev))>
                        {staff.then(|| view! { <option value="" selected=move || grid.get_untracked().is_empty()>{move || lang.get().t("全社区", "Whole community")}</option> })}
                        {my_grids.into_iter().map(|g| {
                            let sel = g == grid.get_untracked();
                            let value = g.clone();
                            view! { <option value=value selected=sel>{move || lang.get().grid_name(&g)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="wf-place">{move || lang.get().t("地点", "Where")}</label>
                    <input id="wf-place" prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="wf-desc">{move || lang.get().t("说明（全社区可见）", "Description (the whole community sees it)")}</label>
                    <textarea id="wf-desc" rows="3" maxlength=DESCRIPTION_MAX.to_string() prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="wf-cost">{move || lang.get().t("费用（元）", "Cost (yuan)")}</label>
                    <input id="wf-cost" inputmode="decimal" prop:value=move || cost.get()
                        aria-invalid=invalid(|e| matches!(e, InputError::BadAmount)) aria-describedby="wf-err"
                        on:input=move |ev| cost.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="wf-contractor">{move || lang.get().t("施工单位", "Contractor")}</label>
                    <input id="wf-contractor" prop:value=move || contractor.get() on:input=move |ev| contractor.set(event_target_value(&ev))/>
                </div>
                {existing.is_none().then(|| view! {
                    <div class="field">
                        <label for="wf-talk">{move || lang.get().t("来自哪次会谈决定（可不选）", "From a talk decision (optional)")}</label>
                        <select id="wf-talk" on:change=move |ev| decision.set(event_target_value(&ev))>
                            <option value="">{move || lang.get().t("无", "None")}</option>
                            {decisions.into_iter().map(|(t, i, text)| view! { <option value=format!("{t}|{i}")>{text}</option> }).collect_view()}
                        </select>
                    </div>
                    <PhotoPicker photos id="wf-photos"/>
                })}
                <p id="wf-err" class="field-error" role="alert">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-work">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </main>
    }
}

/// On a request's page: the works it led to and, for staff and the grid's workers, registering
/// one from it in one tap.
#[component]
pub fn ForRequest(id: DocumentId, grid: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = linli_shared::domain::board::board_key(&id);
    let linked = Memo::new(move |_| {
        works(&app)
            .into_iter()
            .filter(|(_, w)| w.requests.contains(&key))
            .collect::<Vec<_>>()
    });
    let may = keeps(&app, &grid);
    view! {
        {move || linked.get().into_iter().map(|(wid, w)| {
            let l = lang.get();
            view! {
                <p class="works-link" data-testid="request-work">
                    <a href=Route::Work(wid).hash()>{format!("{}：{} · {}", l.t("设施工程", "Facility work"), w.title, l.work_status(w.status()))}</a>
                </p>
            }
        }).collect_view()}
        {may.then(|| view! {
            <a class="button" href=Route::NewWork(Some(id)).hash() data-testid="to-work">
                {move || lang.get().t("登记为设施工程", "Register as a facility work")}
            </a>
        })}
    }
}
