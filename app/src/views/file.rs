//! Filing a request. What is typed is kept as a draft on the phone at every keystroke, so a
//! reload, a crash or a lost connection loses nothing; bad input gets a message per field and
//! keeps every character.

use leptos::prelude::*;
use linli_shared::ids::DocumentId;
use linli_shared::model::{self, Colour, Filing, InputError, RequestDraft, limits};
use serde::{Deserialize, Serialize};

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::views::requests::colour_icon;

const DRAFT_KEY: &str = "linli.draft.request";

/// Starts a draft filed for someone else (a volunteer for an elder).
pub fn file_for(person: &str) {
    let mut d = load_draft();
    d.subject = Some(person.to_string());
    d.grid = String::new();
    if let Ok(s) = serde_json::to_string(&d) {
        platform::ls_set(DRAFT_KEY, &s);
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
}

fn load_draft() -> Draft {
    platform::ls_get(DRAFT_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

#[component]
pub fn FilePage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let d = load_draft();
    let title = RwSignal::new(d.title);
    let description = RwSignal::new(d.description);
    let category = RwSignal::new(d.category);
    let colour = RwSignal::new(d.colour);
    let grid = RwSignal::new(d.grid);
    let subject = RwSignal::new(d.subject);
    let problems = RwSignal::new(Vec::<InputError>::new());
    let elders = Memo::new(move |_| data::elders(&app));

    // Default the grid to that of whoever the request is for, once their record is here.
    Effect::new(move |_| {
        let who = subject.get();
        let record = match who {
            Some(p) => elders
                .get()
                .into_iter()
                .find(|(_, e)| e.id == p)
                .map(|(_, e)| e),
            None => data::me(&app),
        };
        if grid.with_untracked(String::is_empty)
            && let Some(r) = record
        {
            grid.set(r.grid);
        }
    });
    // Keep the draft at every change.
    Effect::new(move |_| {
        let d = Draft {
            title: title.get(),
            description: description.get(),
            category: category.get(),
            colour: colour.get(),
            grid: grid.get(),
            subject: subject.get(),
        };
        if let Ok(s) = serde_json::to_string(&d) {
            platform::ls_set(DRAFT_KEY, &s);
        }
    });

    let community = Memo::new(move |_| data::community(&app));
    let problem = move |f: fn(&InputError) -> bool| {
        move || problems.with(|p| p.iter().find(|e| f(e)).map(|e| lang.get().input_error(e)))
    };
    let title_problem =
        problem(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. }));
    let desc_problem = problem(|e| matches!(e, InputError::DescriptionTooLong { .. }));
    let cat_problem = problem(|e| matches!(e, InputError::CategoryMissing));
    let grid_problem = problem(|e| matches!(e, InputError::GridMissing));

    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let draft = RequestDraft {
            title: title.get_untracked(),
            description: description.get_untracked(),
            category: category.get_untracked(),
            colour: colour.get_untracked(),
            grid: grid.get_untracked(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        let elder = subject
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
        let now = app.now();
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        match app.change(id, |doc| {
            model::file_request_named(doc, &draft, &filing, &name, now)
        }) {
            Ok(()) => {
                platform::ls_remove(DRAFT_KEY);
                title.set(String::new());
                description.set(String::new());
                category.set(String::new());
                colour.set(None);
                subject.set(None);
                app.notice.set(Some(Notice::Saved));
                app.go(Route::Request(id));
            }
            Err(model::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::Error(e.to_string()))),
        }
    };

    let count = move |s: RwSignal<String>, max: usize| {
        move || {
            let n = s.with(|t| t.trim().chars().count());
            format!("{n}/{max}")
        }
    };

    view! {
        <main class="page file">
            <h2>{move || lang.get().t("提交诉求", "File a request")}</h2>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <Show when=move || elders.with(|e| !e.is_empty())>
                    <div class="field">
                        <label for="f-for">{move || lang.get().t("为谁提交", "Filed for")}</label>
                        <select
                            id="f-for"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                subject.set((!v.is_empty()).then_some(v));
                                grid.set(String::new());
                            }
                        >
                            <option value="" selected=move || subject.get().is_none()>{move || lang.get().t("我自己", "Myself")}</option>
                            {move || elders.get().into_iter().map(|(_, e)| {
                                let id = e.id.clone();
                                let sel = subject.get_untracked().as_deref() == Some(id.as_str());
                                view! { <option value=id selected=sel>{e.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="f-title">{move || lang.get().t("标题（遇到了什么问题）", "Title (what is the problem)")}</label>
                    <input
                        id="f-title"
                        name="title"
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))
                        aria-invalid=move || title_problem().is_some().to_string()
                        aria-describedby="f-title-err f-title-count"
                    />
                    <span id="f-title-count" class="count">{count(title, limits::TITLE_MAX)}</span>
                    <p id="f-title-err" class="field-error" role="alert">{title_problem}</p>
                </div>
                <div class="field">
                    <label for="f-desc">{move || lang.get().t("详细描述（可选）", "Details (optional)")}</label>
                    <textarea
                        id="f-desc"
                        name="description"
                        rows="4"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                        aria-invalid=move || desc_problem().is_some().to_string()
                        aria-describedby="f-desc-err f-desc-count"
                    ></textarea>
                    <span id="f-desc-count" class="count">{count(description, limits::DESCRIPTION_MAX)}</span>
                    <p id="f-desc-err" class="field-error" role="alert">{desc_problem}</p>
                </div>
                <div class="field">
                    <label for="f-cat">{move || lang.get().t("类别", "Category")}</label>
                    <select
                        id="f-cat"
                        name="category"
                        prop:value=move || category.get()
                        on:change=move |ev| category.set(event_target_value(&ev))
                        aria-invalid=move || cat_problem().is_some().to_string()
                        aria-describedby="f-cat-err"
                    >
                        <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                        {move || community.get().map(|c| c.categories).unwrap_or_default().into_iter().map(|c| {
                            let id = c.id.clone();
                            let selected = id == category.get_untracked();
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
                            <label for=id.clone() class=format!("colour-option {}", c.as_str())>
                                <input
                                    type="radio"
                                    id=input_id
                                    name="colour"
                                    value=c.as_str()
                                    prop:checked=move || colour.get().unwrap_or(Colour::Yellow) == c
                                    on:change=move |_| colour.set(Some(c))
                                />
                                <span aria-hidden="true">{colour_icon(c)}</span>
                                <span>{move || lang.get().colour(c)}</span>
                                <small>{move || lang.get().colour_window(c)}</small>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="f-grid">{move || lang.get().t("所在网格", "Grid")}</label>
                    <select
                        id="f-grid"
                        name="grid"
                        prop:value=move || grid.get()
                        on:change=move |ev| grid.set(event_target_value(&ev))
                        aria-invalid=move || grid_problem().is_some().to_string()
                        aria-describedby="f-grid-err"
                    >
                        <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                        {move || community.get().map(|c| c.grids).unwrap_or_default().into_iter().map(|g| {
                            let selected = g.id == grid.get_untracked();
                            view! { <option value=g.id.clone() selected=selected>{g.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p id="f-grid-err" class="field-error" role="alert">{grid_problem}</p>
                </div>
                <button type="submit" class="primary big">{move || lang.get().t("提交", "Send")}</button>
                <p class="hint">{move || lang.get().t(
                    "没有网络也可以提交：先保存在手机上，联网后自动上传。",
                    "Works without a connection: it is saved on this phone and uploaded when you are back online.",
                )}</p>
            </form>
        </main>
    }
}
