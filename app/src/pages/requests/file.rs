//! Filing a request. What is typed is kept as a draft on the phone (IndexedDB, within a fraction
//! of a second of each keystroke; photos too), so a reload, a crash or a lost connection loses
//! nothing; the draft is cleared only once the request itself is saved. Bad input gets a message per
//! field and keeps every character. While the title is typed, similar open requests of the
//! same grid are offered ("this is the same — follow it"). In elder mode the form becomes three
//! big steps: what is wrong → where → send.

use leptos::prelude::*;
use linli_shared::domain::InputError;
use linli_shared::domain::board::BoardCommand;
use linli_shared::domain::requests::limits;
use linli_shared::domain::requests::{Colour, Filing, RequestCommand, RequestDraft};
use linli_shared::ids::DocumentId;
use serde::{Deserialize, Serialize};

use crate::data;
use crate::i18n::Lang;
use crate::pages::requests::card::{ColourChip, colour_icon};
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::PhotoPicker;
use crate::widgets::privacy::PersonalDataGuard;

const DRAFT_KEY: &str = "request";

/// Starts a draft filed for someone else (a volunteer for an elder).
pub fn file_for(app: &App, person: &str) {
    let mut d = load_draft(app);
    d.subject = Some(person.to_string());
    d.grid = String::new();
    if let Ok(s) = serde_json::to_string(&d) {
        app.set_draft(DRAFT_KEY, &s);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Draft {
    title: String,
    description: String,
    category: String,
    colour: Option<Colour>,
    grid: String,
    /// For whom (a volunteer filing for an elder); `None` for oneself.
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    photos: Vec<String>,
    /// Elder mode: which of the three steps.
    #[serde(default)]
    step: u8,
    /// Elder mode: where (building, floor), added to the description.
    #[serde(default)]
    place: String,
}

fn load_draft(app: &App) -> Draft {
    app.draft(DRAFT_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// The form's state, kept as a draft at every change.
#[derive(Clone, Copy)]
struct Form {
    title: RwSignal<String>,
    description: RwSignal<String>,
    category: RwSignal<String>,
    colour: RwSignal<Option<Colour>>,
    grid: RwSignal<String>,
    subject: RwSignal<Option<String>>,
    photos: RwSignal<Vec<String>>,
    step: RwSignal<u8>,
    place: RwSignal<String>,
    problems: RwSignal<Vec<InputError>>,
    /// The request is being written to the phone's storage (the button says so).
    saving: RwSignal<bool>,
}

impl Form {
    fn load(app: &App) -> Form {
        let d = load_draft(app);
        Form {
            title: RwSignal::new(d.title),
            description: RwSignal::new(d.description),
            category: RwSignal::new(d.category),
            colour: RwSignal::new(d.colour),
            grid: RwSignal::new(d.grid),
            subject: RwSignal::new(d.subject),
            photos: RwSignal::new(d.photos),
            step: RwSignal::new(d.step),
            place: RwSignal::new(d.place),
            problems: RwSignal::new(Vec::new()),
            saving: RwSignal::new(false),
        }
    }

    fn draft(&self) -> Draft {
        Draft {
            title: self.title.get(),
            description: self.description.get(),
            category: self.category.get(),
            colour: self.colour.get(),
            grid: self.grid.get(),
            subject: self.subject.get(),
            photos: self.photos.get(),
            step: self.step.get(),
            place: self.place.get(),
        }
    }

    /// Empties the form and its draft (the page may be gone by then: signals are set only if
    /// they still exist).
    fn clear(&self, app: &App) {
        app.clear_draft(DRAFT_KEY);
        self.title.try_set(String::new());
        self.description.try_set(String::new());
        self.category.try_set(String::new());
        self.colour.try_set(None);
        self.subject.try_set(None);
        self.photos.try_set(Vec::new());
        self.step.try_set(0);
        self.place.try_set(String::new());
    }

    fn problem(
        self,
        lang: RwSignal<Lang>,
        f: fn(&InputError) -> bool,
    ) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        let problems = self.problems;
        move || problems.with(|p| p.iter().find(|e| f(e)).map(|e| lang.get().input_error(e)))
    }
}

/// Files the form's request; returns to its page, or marks what is wrong.
fn submit(
    app: App,
    form: Form,
    elders: Memo<Vec<(DocumentId, linli_shared::domain::people::Person)>>,
) {
    let Some(session) = app.session.get_untracked() else {
        return;
    };
    if form.saving.get_untracked() {
        // A second tap while the first is being saved files nothing twice.
        return;
    }
    let place = form.place.get_untracked();
    let mut description = form.description.get_untracked();
    if !place.trim().is_empty() {
        let l = app.lang.get_untracked();
        description = format!(
            "{}{}{}\n{description}",
            l.t("位置：", "Where: "),
            place.trim(),
            ""
        );
    }
    let mut title = form.title.get_untracked();
    if title.trim().is_empty() && app.elder.get_untracked() {
        // In elder mode the public title is the kind of problem alone (shown to her on the
        // last step): titles go on the grid's board, and her own words must not.
        title = data::community(&app)
            .and_then(|c| {
                c.categories
                    .into_iter()
                    .find(|c| c.id == form.category.get_untracked())
            })
            .map(|c| c.zh)
            .unwrap_or_default();
    }
    let draft = RequestDraft {
        title,
        description,
        category: form.category.get_untracked(),
        colour: form.colour.get_untracked(),
        grid: form.grid.get_untracked(),
        photos: form.photos.get_untracked(),
    };
    let found = draft.problems();
    if !found.is_empty() {
        form.problems.set(found);
        platform::focus_first_invalid();
        return;
    }
    form.problems.set(Vec::new());
    let elder = form
        .subject
        .get_untracked()
        .and_then(|p| elders.get_untracked().into_iter().find(|(_, e)| e.id == p));
    let filing = match &elder {
        Some((_, e)) => Filing {
            filed_by: session.person.clone(),
            subject: e.id.clone(),
            household: e.household.clone(),
        },
        None => Filing {
            filed_by: session.person.clone(),
            subject: session.person.clone(),
            household: session
                .household
                .clone()
                .unwrap_or_else(|| format!("h-{}", session.person)),
        },
    };
    let id = DocumentId::from_bytes(platform::random_bytes::<16>());
    let name = data::me(&app).map(|m| m.name).unwrap_or_default();
    form.saving.set(true);
    app.notice.set(Some(Notice::Saving));
    leptos::task::spawn_local(async move {
        // The draft is on disk before the request is even made: from the moment the person
        // sees "saving…", the request is on the phone as a draft, as a request, or both.
        let _ = app.write_drafts().await;
        let command = RequestCommand::File {
            draft: draft.clone(),
            filing,
            name,
            source: String::new(),
        };
        let saving = match app.send(id, command) {
            Ok(saving) => saving,
            Err(e) => {
                form.saving.try_set(false);
                match e {
                    linli_shared::domain::ModelError::Input(e) => {
                        app.notice.set(None);
                        form.problems.try_set(vec![e]);
                        platform::focus_first_invalid();
                    }
                    e => app.notice.set(Some(Notice::Error(e.to_string()))),
                }
                return;
            }
        };
        // "Saved" only once IndexedDB has committed the request; until then the form (and
        // its draft) stay as typed, so a crash in between loses nothing.
        match saving.done().await {
            Ok(()) => {
                if !draft.photos.is_empty() {
                    app.attach_photos(id, draft.photos.clone());
                }
                // The draft goes before the notice: a crash after "saved" must not bring the
                // filed request back as a draft to send twice.
                form.clear(&app);
                let _ = app.write_drafts().await;
                form.saving.try_set(false);
                app.notice.set(Some(Notice::Saved));
                app.go(Route::Request(id));
            }
            Err(e) => {
                // Not on the phone: forget the half-made request; the form still holds it all.
                app.discard(id);
                form.saving.try_set(false);
                app.notice.set(Some(Notice::NotSaved(e.to_string())));
            }
        }
    });
}

#[component]
pub fn FilePage() -> impl IntoView {
    let app = expect_context::<App>();
    let form = Form::load(&app);
    let elders = Memo::new(move |_| data::elders(&app));
    // Default the grid to that of whoever the request is for, once their record is here.
    Effect::new(move |_| {
        let who = form.subject.get();
        let record = match who {
            Some(p) => elders
                .get()
                .into_iter()
                .find(|(_, e)| e.id == p)
                .map(|(_, e)| e),
            None => data::me(&app),
        };
        if form.grid.with_untracked(String::is_empty)
            && let Some(r) = record
        {
            form.grid.set(r.grid);
        }
    });
    Effect::new(move |_| {
        let draft = form.draft();
        // An untouched form is no draft (nothing to restore).
        let value = if draft == Draft::default() {
            String::new()
        } else {
            serde_json::to_string(&draft).unwrap_or_default()
        };
        app.set_draft(DRAFT_KEY, &value);
    });
    view! {
        <main class="page file">
            {move || if app.elder.get() {
                view! { <ElderFiling form elders/> }.into_any()
            } else {
                view! { <FullForm form elders/> }.into_any()
            }}
        </main>
    }
}

#[component]
fn FullForm(
    form: Form,
    elders: Memo<Vec<(DocumentId, linli_shared::domain::people::Person)>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let community = Memo::new(move |_| data::community(&app));
    let title_problem = form.problem(lang, |e| {
        matches!(
            e,
            InputError::TitleEmpty
                | InputError::TitleTooLong { .. }
                | InputError::PersonalData { .. }
        )
    });
    let desc_problem = form.problem(lang, |e| matches!(e, InputError::DescriptionTooLong { .. }));
    let cat_problem = form.problem(lang, |e| matches!(e, InputError::CategoryMissing));
    let grid_problem = form.problem(lang, |e| matches!(e, InputError::GridMissing));
    let count = move |s: RwSignal<String>, max: usize| {
        move || format!("{}/{max}", s.with(|t| t.trim().chars().count()))
    };
    view! {
        <h2>{move || lang.get().t("提交诉求", "File a request")}</h2>
        <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(app, form, elders); }>
            <Show when=move || elders.with(|e| !e.is_empty())>
                <div class="field">
                    <label for="f-for">{move || lang.get().t("为谁提交", "Filed for")}</label>
                    <select id="f-for" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.subject.set((!v.is_empty()).then_some(v));
                        form.grid.set(String::new());
                    }>
                        <option value="" selected=move || form.subject.get().is_none()>{move || lang.get().t("我自己", "Myself")}</option>
                        {move || elders.get().into_iter().map(|(_, e)| {
                            let id = e.id.clone();
                            let sel = form.subject.get_untracked().as_deref() == Some(id.as_str());
                            view! { <option value=id selected=sel>{e.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <div class="field">
                <label for="f-title">{move || lang.get().t("标题（遇到了什么问题）", "Title (what is the problem)")}</label>
                <input id="f-title" name="title"
                    prop:value=move || form.title.get()
                    on:input=move |ev| form.title.set(event_target_value(&ev))
                    aria-invalid=move || title_problem().is_some().to_string()
                    aria-describedby="f-title-err f-title-count f-title-public f-title-pii"/>
                <span id="f-title-count" class="count">{count(form.title, limits::TITLE_MAX)}</span>
                <p id="f-title-public" class="hint">{move || lang.get().t("标题会给同网格的邻居看到（用于合并同类问题），详细描述只有办理人员能看到。", "Neighbours in your grid see the title (to join up the same problem); only those handling it see the details.")}</p>
                <p id="f-title-err" class="field-error" role="alert">{title_problem}</p>
                <PersonalDataGuard text=form.title private=form.description
                    private_name=("详细描述", "the details") id="f-title-pii"/>
            </div>
            <Duplicates form/>
            <div class="field">
                <label for="f-desc">{move || lang.get().t("详细描述（可选）", "Details (optional)")}</label>
                <textarea id="f-desc" name="description" rows="4"
                    prop:value=move || form.description.get()
                    on:input=move |ev| form.description.set(event_target_value(&ev))
                    aria-invalid=move || desc_problem().is_some().to_string()
                    aria-describedby="f-desc-err f-desc-count"></textarea>
                <VoiceInput target=form.description/>
                <span id="f-desc-count" class="count">{count(form.description, limits::DESCRIPTION_MAX)}</span>
                <p id="f-desc-err" class="field-error" role="alert">{desc_problem}</p>
            </div>
            <div class="field">
                <label for="f-cat">{move || lang.get().t("类别", "Category")}</label>
                <select id="f-cat" name="category"
                    prop:value=move || form.category.get()
                    on:change=move |ev| form.category.set(event_target_value(&ev))
                    aria-invalid=move || cat_problem().is_some().to_string()
                    aria-describedby="f-cat-err">
                    <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                    {move || community.get().map(|c| c.categories).unwrap_or_default().into_iter().map(|c| {
                        let id = c.id.clone();
                        let selected = id == form.category.get_untracked();
                        view! { <option value=id selected=selected>{move || if lang.get() == Lang::Zh { c.zh.clone() } else { c.en.clone() }}</option> }
                    }).collect_view()}
                </select>
                <p id="f-cat-err" class="field-error" role="alert">{cat_problem}</p>
            </div>
            <fieldset class="field colours">
                <legend>{move || lang.get().t("紧急程度", "How urgent")}</legend>
                {Colour::ALL.into_iter().map(|c| {
                    let id = format!("f-colour-{}", c.as_str());
                    let input_id = id.clone();
                    view! {
                        <label for=id class=format!("colour-option {}", c.as_str())>
                            <input type="radio" id=input_id name="colour" value=c.as_str()
                                prop:checked=move || form.colour.get().unwrap_or(Colour::Yellow) == c
                                on:change=move |_| form.colour.set(Some(c))/>
                            <span aria-hidden="true">{colour_icon(c)}</span>
                            <span>{move || lang.get().colour(c)}</span>
                            <small>{move || lang.get().colour_window(c)}</small>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="f-grid">{move || lang.get().t("所在网格", "Grid")}</label>
                <select id="f-grid" name="grid"
                    prop:value=move || form.grid.get()
                    on:change=move |ev| form.grid.set(event_target_value(&ev))
                    aria-invalid=move || grid_problem().is_some().to_string()
                    aria-describedby="f-grid-err">
                    <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                    {move || community.get().map(|c| c.grids).unwrap_or_default().into_iter().map(|g| {
                        let selected = g.id == form.grid.get_untracked();
                        view! { <option value=g.id.clone() selected=selected>{g.name.clone()}</option> }
                    }).collect_view()}
                </select>
                <p id="f-grid-err" class="field-error" role="alert">{grid_problem}</p>
            </div>
            <PhotoPicker photos=form.photos id="f-photos"/>
            <button type="submit" class="primary big" disabled=move || form.saving.get() aria-busy=move || form.saving.get().to_string()>
                {move || if form.saving.get() { lang.get().t("正在保存…", "Saving…") } else { lang.get().t("提交", "Send") }}
            </button>
            <p class="hint">{move || lang.get().t(
                "没有网络也可以提交：先保存在手机上，联网后自动上传。",
                "Works without a connection: it is saved on this phone and uploaded when you are back online.",
            )}</p>
        </form>
    }
}

/// Similar open requests of the same grid, from its public board: "the same? follow it".
#[component]
fn Duplicates(form: Form) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let similar = Memo::new(move |_| {
        let title = form.title.get();
        if title.trim().chars().count() < 2 {
            return Vec::new();
        }
        let Some((board_id, board)) = data::board(&app, &form.grid.get()) else {
            return Vec::new();
        };
        let me = app
            .session
            .with(|s| s.as_ref().map(|s| s.person.clone()).unwrap_or_default());
        // Not the household's own requests: those it already follows by filing them.
        let own: std::collections::HashSet<String> = app
            .each_summary(|id, s| {
                matches!(s, linli_shared::domain::Summary::Request(_))
                    .then(|| linli_shared::domain::board::board_key(id))
            })
            .into_iter()
            .collect();
        linli_shared::domain::requests::similar_open(&board, &title, &form.category.get())
            .into_iter()
            .filter(|(e, _)| !own.contains(&e.key))
            .map(|(e, _)| (board_id, e.clone(), e.follows.iter().any(|(p, _)| *p == me)))
            .collect::<Vec<_>>()
    });
    let follow = move |board: DocumentId, key: String| {
        let Some(me) = app.session.get_untracked().map(|s| s.person) else {
            return;
        };
        let follow = BoardCommand::Follow {
            key,
            person: me,
            on: true,
        };
        if let Ok(saving) = app.send(board, follow) {
            leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => app.notice.set(Some(Notice::Followed)),
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            });
        }
    };
    view! {
        <Show when=move || similar.with(|s| !s.is_empty())>
            <section class="duplicates" aria-labelledby="dup-title" data-testid="duplicates">
                <h3 id="dup-title">{move || lang.get().t("是同一件事吗？", "Is it the same problem?")}</h3>
                <p class="hint">{move || lang.get().t("附近已有类似的诉求在办理。如果是同一件事，关注它即可，不用重复提交。", "Similar requests nearby are being handled. If it is the same, follow it instead of filing again.")}</p>
                <ul class="rows">
                    {move || similar.get().into_iter().map(|(board, e, following)| {
                        let key = e.key.clone();
                        let n = e.follows.len();
                        view! {
                            <li>
                                <ColourChip colour=e.colour/>
                                <strong>{e.title.clone()}</strong>
                                <span class="muted">{move || format!("{} · {}", lang.get().status(e.status), match lang.get() { Lang::Zh => format!("{n}户关注"), Lang::En => format!("{n} following") })}</span>
                                {if following {
                                    view! { <span class="tag">{move || lang.get().t("已关注", "Following")}</span> }.into_any()
                                } else {
                                    view! {
                                        <button type="button" data-testid="follow" on:click=move |_| follow(board, key.clone())>
                                            {move || lang.get().t("是同一件事，关注它 (+1)", "The same: follow it (+1)")}
                                        </button>
                                    }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// A microphone button that appends what is said to `target` (where the browser can listen).
#[component]
pub fn VoiceInput(target: RwSignal<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let listening = RwSignal::new(false);
    let listen = move |_| {
        listening.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(text) = platform::listen(lang.get_untracked().code()).await
                && !text.is_empty()
            {
                target.update(|t| {
                    if !t.is_empty() {
                        t.push(' ');
                    }
                    t.push_str(&text);
                });
            }
            listening.set(false);
        });
    };
    view! {
        <Show when=platform::can_listen>
            <button type="button" class="voice" on:click=listen disabled=move || listening.get()>
                <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11h-2Z"></path></svg>
                {move || if listening.get() { lang.get().t("正在听…", "Listening…") } else { lang.get().t("说一说", "Speak") }}
            </button>
        </Show>
    }
}

/// Elder mode: three big steps, plain words.
#[component]
fn ElderFiling(
    form: Form,
    elders: Memo<Vec<(DocumentId, linli_shared::domain::people::Person)>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let community = Memo::new(move |_| data::community(&app));
    let cat_problem = form.problem(lang, |e| {
        matches!(e, InputError::CategoryMissing | InputError::TitleEmpty)
    });
    let step = form.step;
    let next = move || {
        if step.get_untracked() == 0 && form.category.with_untracked(String::is_empty) {
            form.problems.set(vec![InputError::CategoryMissing]);
            return;
        }
        form.problems.set(Vec::new());
        step.update(|s| *s = (*s + 1).min(2));
    };
    view! {
        <h2>{move || match step.get() {
            0 => lang.get().t("第1步：遇到了什么问题？", "Step 1: what is wrong?"),
            1 => lang.get().t("第2步：在哪里？", "Step 2: where?"),
            _ => lang.get().t("第3步：确认发送", "Step 3: send"),
        }}</h2>
        <ol class="steps" aria-label=move || lang.get().t("提交步骤", "Steps")>
            {(0..3u8).map(|i| view! { <li class:done=move || { step.get() >= i } aria-current=move || if step.get() == i { "step" } else { "false" }>{i + 1}</li> }).collect_view()}
        </ol>
        <form novalidate on:submit=move |ev| { ev.prevent_default(); if step.get_untracked() == 2 { submit(app, form, elders) } else { next() } }>
            <Show when=move || step.get() == 0>
                <fieldset class="big-choices" aria-describedby="e-cat-err">
                    <legend>{move || lang.get().t("选一个最接近的", "Pick the closest")}</legend>
                    {move || community.get().map(|c| c.categories).unwrap_or_default().into_iter().map(|c| {
                        let id = format!("e-cat-{}", c.id);
                        let input_id = id.clone();
                        let value = c.id.clone();
                        let v2 = c.id.clone();
                        view! {
                            <label for=id class="big-choice" class:chosen=move || form.category.get() == v2>
                                <input type="radio" name="e-cat" id=input_id value=value.clone()
                                    prop:checked=move || form.category.get() == value
                                    on:change={let v = c.id.clone(); move |_| form.category.set(v.clone())}/>
                                <span>{move || if lang.get() == Lang::Zh { c.zh.clone() } else { c.en.clone() }}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <p id="e-cat-err" class="field-error" role="alert">{cat_problem}</p>
                <div class="field">
                    <label for="e-desc">{move || lang.get().t("具体说说（可以按“说一说”用语音）", "Tell us more (you can speak)")}</label>
                    <textarea id="e-desc" rows="3" prop:value=move || form.description.get() on:input=move |ev| form.description.set(event_target_value(&ev))></textarea>
                    <VoiceInput target=form.description/>
                </div>
            </Show>
            <Show when=move || step.get() == 1>
                <div class="field">
                    <label for="e-place">{move || lang.get().t("在哪里？比如：7号楼2单元3楼", "Where? e.g. building 7, unit 2, 3rd floor")}</label>
                    <input id="e-place" prop:value=move || form.place.get() on:input=move |ev| form.place.set(event_target_value(&ev))/>
                    <VoiceInput target=form.place/>
                </div>
                <div class="field">
                    <label for="e-grid">{move || lang.get().t("网格", "Grid")}</label>
                    <select id="e-grid" prop:value=move || form.grid.get() on:change=move |ev| form.grid.set(event_target_value(&ev))>
                        {move || community.get().map(|c| c.grids).unwrap_or_default().into_iter().map(|g| {
                            let selected = g.id == form.grid.get_untracked();
                            view! { <option value=g.id.clone() selected=selected>{g.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <Show when=move || step.get() == 2>
                <fieldset class="field elder-colours">
                    <legend>{move || lang.get().t("有多急？", "How urgent is it?")}</legend>
                    {[
                        (Colour::Red, "很急：漏水、漏电、有危险", "Urgent: a leak, electricity, danger"),
                        (Colour::Yellow, "尽快：这几天要解决", "Soon: within a few days"),
                        (Colour::Blue, "不急：是个建议，有空再办", "Not urgent: a suggestion, when there is time"),
                    ].into_iter().map(|(c, zh, en)| {
                        let id = format!("e-colour-{}", c.as_str());
                        let input_id = id.clone();
                        view! {
                            <label for=id class="check big-check">
                                <input type="radio" name="e-colour" id=input_id
                                    prop:checked=move || form.colour.get() == Some(c)
                                    on:change=move |_| form.colour.set(Some(c))/>
                                <span aria-hidden="true">{colour_icon(c)}</span>
                                {move || lang.get().t(zh, en)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <PhotoPicker photos=form.photos id="e-photos"/>
                <h3 class="summary-title">{move || lang.get().t("你要提交的内容", "What you will send")}</h3>
                <p class="summary" data-testid="elder-summary">{move || {
                    let cat = community.get().and_then(|c| c.categories.into_iter().find(|c| c.id == form.category.get())).map(|c| if lang.get() == Lang::Zh { c.zh } else { c.en }).unwrap_or_default();
                    format!("{cat} · {} · {}", form.place.get(), form.description.get())
                }}</p>
                // What neighbours will see: only the kind of problem, never her own words.
                <p class="hint" data-testid="elder-public-title">{move || {
                    let cat = community.get().and_then(|c| c.categories.into_iter().find(|c| c.id == form.category.get())).map(|c| c.zh).unwrap_or_default();
                    match lang.get() {
                        Lang::Zh => format!("邻居只会看到标题「{cat}」，你说的具体内容只有办理的人能看到。"),
                        Lang::En => format!("Neighbours see only the title “{cat}”; what you said is seen only by those handling it."),
                    }
                }}</p>
                <p class="field-error" role="alert">{move || form.problems.with(|p| p.first().map(|e| lang.get().input_error(e)))}</p>
            </Show>
            <div class="buttons">
                <Show when=move || { step.get() > 0 }>
                    <button type="button" class="secondary big" on:click=move |_| step.update(|s| *s = s.saturating_sub(1))>{move || lang.get().t("上一步", "Back")}</button>
                </Show>
                <button type="submit" class="primary big" disabled=move || form.saving.get() aria-busy=move || form.saving.get().to_string()>
                    {move || if form.saving.get() { lang.get().t("正在保存…", "Saving…") } else if step.get() == 2 { lang.get().t("发送", "Send") } else { lang.get().t("下一步", "Next") }}
                </button>
            </div>
        </form>
    }
}
