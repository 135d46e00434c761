//! The community's own cases 本社区案例: one case (`OwnCasePage`, under `#/case/<doc id>`)
//! with why it matches, what was done and its results, and for staff an edit link and the
//! export of a file to share with another community; and staff's form (`CaseForm`,
//! `#/case-new`, `#/case-edit/<id>`), which also imports such a file. What is typed is kept
//! as a draft on the phone, bad input is explained and every character kept, and the case is
//! saved on the phone at once and reaches the relay when there is a connection.

use leptos::prelude::*;
use linli_shared::cases::Tag;
use linli_shared::domain::local_case::{
    CaseCommand, CaseDraft, DONE_MAX, FROM_MAX, LocalCase, PLACE_MAX, PROBLEM_MAX, RESULTS_MAX,
    SOURCE_MAX, SharedCase, TAGS_MAX, TITLE_MAX, YEARS_MAX,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

/// Where a case is from, as a card shows it: this community, or the one that shared it.
pub fn origin(c: &LocalCase, l: Lang) -> String {
    match (c.from.is_empty(), l) {
        (true, Lang::Zh) => format!("本社区 · {}", c.place),
        (true, Lang::En) => format!("Ours · {}", c.place),
        (false, Lang::Zh) => format!("{}分享 · {}", c.from, c.place),
        (false, Lang::En) => format!("Shared by {} · {}", c.from, c.place),
    }
}

/// A case's problems as chips.
pub fn chips(c: &LocalCase, l: Lang) -> impl IntoView + use<> {
    let tags = c.tags();
    view! {
        <ul class="case-tags" aria-label=l.t("问题", "Problems")>
            {tags.into_iter().map(|t| view! {
                <li class="chip case-tag" data-tag=t.key()>{t.name(l.zh())}</li>
            }).collect_view()}
        </ul>
    }
}

fn read(app: &App, id: &DocumentId) -> Option<LocalCase> {
    app.summary(id, |s| match s {
        Summary::LocalCase(c) => Some(c.clone()),
        _ => None,
    })
    .flatten()
}

#[component]
pub fn OwnCasePage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let case = Memo::new(move |_| read(&app, &id));
    let why = Memo::new(move |_| {
        super::matched_all(&app).into_iter().find_map(|p| match p {
            super::Pick::Own(i, _, m) if i == id => Some(m),
            _ => None,
        })
    });
    let exported = RwSignal::new(false);
    let export = move |_| {
        let Some(c) = case.get_untracked() else {
            return;
        };
        let community = data::community(&app).map(|c| c.name).unwrap_or_default();
        let file = SharedCase::of(&c, &community);
        crate::pages::grants::download(&file.file_name(), "application/json", &file.to_json());
        exported.set(true);
    };
    view! {
        <main class="page case" data-testid="own-case-page">
            <a href=Route::Cases.hash() class="back">{move || lang.get().t("‹ 案例库", "‹ Case library")}</a>
            {move || {
                let l = lang.get();
                let Some(c) = case.get() else {
                    return view! {
                        <p class="empty">{l.t("这个案例还没有同步到这部手机，或已不存在。", "This case has not reached this phone yet, or no longer exists.")}</p>
                    }.into_any();
                };
                let zh = l.zh();
                let written = match l {
                    Lang::Zh => format!("{} 整理于 {}", if c.by_name.is_empty() { "社区工作者".to_string() } else { c.by_name.clone() }, crate::pages::grants::date(c.created_at)),
                    Lang::En => format!("Written up by {} on {}", if c.by_name.is_empty() { "staff".to_string() } else { c.by_name.clone() }, crate::pages::grants::date(c.created_at)),
                };
                let section = move |h: &'static str, he: &'static str, text: String, tid: &'static str| {
                    (!text.is_empty()).then(|| view! {
                        <h3>{l.t(h, he)}</h3>
                        <p class="pre-line" data-testid=tid>{text}</p>
                    })
                };
                view! {
                    <h2 data-testid="own-case-title">{c.title.clone()}</h2>
                    <dl class="case-facts">
                        <dt>{l.t("来自", "From")}</dt>
                        <dd data-testid="own-case-origin">{origin(&c, l)}</dd>
                        {(!c.years.is_empty()).then(|| view! {
                            <dt>{l.t("年份", "Years")}</dt>
                            <dd>{c.years.clone()}</dd>
                        })}
                        <dt>{l.t("问题", "Problems")}</dt>
                        <dd>{chips(&c, l)}</dd>
                    </dl>
                    {why.get().map(|m| view! {
                        <section class="case-why" aria-labelledby="case-why-h">
                            <h3 id="case-why-h">{l.t("为什么适合我们", "Why this matches us")}</h3>
                            <p data-testid="case-why">{m.explain(zh)}</p>
                        </section>
                    })}
                    {section("问题", "The problem", c.problem.clone(), "own-case-problem")}
                    {section("做法", "What was done", c.done.clone(), "own-case-done")}
                    {section("成效", "Results", c.results.clone(), "own-case-results")}
                    {section("来源", "Sources", c.source.clone(), "own-case-source")}
                    <p class="hint">{written}</p>
                }.into_any()
            }}
            <Show when=move || super::writes_cases(&app) && case.with(Option::is_some)>
                <p class="buttons">
                    <a class="button" href=Route::EditCase(id).hash() data-testid="own-case-edit">{move || lang.get().t("修改", "Edit")}</a>
                    <button type="button" on:click=export data-testid="own-case-export">{move || lang.get().t("导出分享给其他社区", "Export to share with another community")}</button>
                </p>
                <p class="hint" role="status" aria-live="polite">{move || exported.get().then(|| lang.get().t(
                    "已导出案例文件。可以通过工作群或邮件发给其他社区，对方在案例库里导入。",
                    "The case file is exported. Send it to another community by work chat or mail; they import it in their case library.",
                ))}</p>
            </Show>
        </main>
    }
}

fn draft_key(existing: Option<DocumentId>) -> String {
    match existing {
        Some(id) => format!("case-edit/{id}"),
        None => "case-new".into(),
    }
}

/// Reads a chosen file's text.
async fn file_text(file: web_sys::File) -> Option<String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    text.as_string()
}

#[component]
pub fn CaseForm(existing: Option<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let old = existing.and_then(|id| read(&app, &id));
    let key = StoredValue::new(draft_key(existing));
    let start = app
        .draft(&key.get_value())
        .and_then(|j| serde_json::from_str::<CaseDraft>(&j).ok())
        .or_else(|| old.as_ref().map(LocalCase::draft))
        .unwrap_or_else(|| CaseDraft {
            place: data::community(&app).map(|c| c.name).unwrap_or_default(),
            ..CaseDraft::default()
        });
    let case = RwSignal::new(start);
    // Every change of the form is kept as its draft.
    Effect::new(move |first: Option<()>| {
        let d = case.get();
        if first.is_some() {
            let json = serde_json::to_string(&d).unwrap_or_default();
            app.set_draft(&key.get_value(), &json);
        }
    });
    let problems = RwSignal::new(Vec::<InputError>::new());
    let import_error = RwSignal::new(None::<String>);
    let imported = RwSignal::new(false);
    let set = move |f: fn(&mut CaseDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            case.update(|d| f(d, v));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let zh = lang.get_untracked().zh();
            let Some(text) = file_text(file).await else {
                import_error.set(Some(
                    lang.get_untracked()
                        .t("读不出这个文件。", "This file cannot be read.")
                        .into(),
                ));
                return;
            };
            match SharedCase::parse(&text) {
                Ok(shared) => {
                    import_error.set(None);
                    problems.set(Vec::new());
                    case.set(shared.draft());
                    imported.set(true);
                }
                Err(e) => import_error.set(Some(e.text(zh))),
            }
        });
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let draft = case.get_untracked();
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let (id, command) = match existing {
            Some(id) => (
                id,
                CaseCommand::Edit {
                    draft: Box::new(draft),
                    by: session.person.clone(),
                },
            ),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                CaseCommand::Create {
                    draft: Box::new(draft),
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
                            app.clear_draft(&key.get_value());
                            app.notice.set(Some(Notice::Saved));
                            app.go(Route::Case(id.to_string()));
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
    let text_field = move |id: &'static str,
                           zh: &'static str,
                           en: &'static str,
                           max: usize,
                           get: fn(&CaseDraft) -> String,
                           put: fn(&mut CaseDraft, String)| {
        view! {
            <div class="field">
                <label for=id>{move || lang.get().t(zh, en)}</label>
                <input id=id maxlength=max.to_string() data-testid=id
                    prop:value=move || case.with(get)
                    aria-describedby="cf-err"
                    on:input=set(put)/>
            </div>
        }
    };
    let area = move |id: &'static str,
                     zh: &'static str,
                     en: &'static str,
                     max: usize,
                     get: fn(&CaseDraft) -> String,
                     put: fn(&mut CaseDraft, String),
                     bad: fn(&InputError) -> bool| {
        view! {
            <div class="field">
                <label for=id>{move || lang.get().t(zh, en)}</label>
                <textarea id=id rows="5" maxlength=max.to_string() data-testid=id
                    prop:value=move || case.with(get)
                    aria-invalid=invalid(bad)
                    aria-describedby="cf-err"
                    on:input=set(put)></textarea>
            </div>
        }
    };
    let back = match existing {
        Some(id) => Route::Case(id.to_string()),
        None => Route::Cases,
    };
    view! {
        <main class="page case-form">
            <a href=back.hash() class="back">{move || lang.get().t("‹ 返回", "‹ Back")}</a>
            <h1>{move || if existing.is_some() { lang.get().t("修改案例", "Edit the case") } else { lang.get().t("写一个本社区案例", "Write up a case of ours") }}</h1>
            <p class="hint">{move || lang.get().t(
                "案例库里所有人都能看到它，并会按社区的未办结诉求自动匹配。只写做法和成效，不写居民的电话、身份证号和门牌。",
                "Everyone sees it in the case library, and it is matched to the community's open requests. Write what was done and what came of it; no residents' phone or ID numbers or flats.")}</p>
            {existing.is_none().then(|| view! {
                <div class="field case-import">
                    <label for="cf-import">{move || lang.get().t("导入其他社区分享的案例文件（.json）", "Import a case file another community shared (.json)")}</label>
                    <input id="cf-import" type="file" accept=".json,application/json" data-testid="case-import" on:change=import/>
                    <p class="field-error" role="alert" data-testid="case-import-error">{move || import_error.get()}</p>
                    <Show when=move || imported.get()>
                        <p class="hint" role="status" data-testid="case-imported">{move || lang.get().t("已读入文件。请核对后保存。", "The file is read in. Check it, then save.")}</p>
                    </Show>
                </div>
            })}
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="cf-title">{move || lang.get().t("标题", "Title")}</label>
                    <input id="cf-title" maxlength=TITLE_MAX.to_string() data-testid="cf-title"
                        prop:value=move || case.with(|d| d.title.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. }))
                        aria-describedby="cf-err"
                        on:input=set(|d, v| d.title = v)/>
                </div>
                {text_field("cf-place", "地点（小区、街道）", "Place (estate, street)", PLACE_MAX, |d| d.place.clone(), |d, v| d.place = v)}
                {text_field("cf-years", "年份（如 2025–2026）", "Years (e.g. 2025–2026)", YEARS_MAX, |d| d.years.clone(), |d, v| d.years = v)}
                <fieldset class="field" aria-describedby="cf-tags-hint cf-err">
                    <legend>{move || lang.get().t("解决的问题（第一个为主要问题）", "Problems it addresses (the first is the main one)")}</legend>
                    <p id="cf-tags-hint" class="hint">{move || match lang.get() {
                        Lang::Zh => format!("选 1 到 {TAGS_MAX} 个。匹配靠它们。"),
                        Lang::En => format!("Pick 1 to {TAGS_MAX}. Matching relies on them."),
                    }}</p>
                    {Tag::ALL.into_iter().map(|t| {
                        let id = format!("cf-tag-{}", t.key());
                        let for_id = id.clone();
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id data-testid="cf-tag" value=t.key()
                                    prop:checked=move || case.with(|d| d.tags.iter().any(|k| k == t.key()))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        case.update(|d| {
                                            d.tags.retain(|k| k != t.key());
                                            if on { d.tags.push(t.key().to_string()); }
                                        });
                                    }/>
                                <label for=for_id>{move || t.name(lang.get().zh())}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                {area("cf-problem", "问题（当时遇到了什么）", "The problem (what was wrong)", PROBLEM_MAX, |d| d.problem.clone(), |d, v| d.problem = v, |_| false)}
                {area("cf-done", "做法（怎么做的）", "What was done", DONE_MAX, |d| d.done.clone(), |d, v| d.done = v,
                    |e| matches!(e, InputError::Case(linli_shared::domain::local_case::CaseError::NothingDone)))}
                {area("cf-results", "成效（最好有数字）", "Results (figures if you have them)", RESULTS_MAX, |d| d.results.clone(), |d, v| d.results = v, |_| false)}
                {text_field("cf-source", "来源（笔记、纪要、报道）", "Sources (notes, minutes, reports)", SOURCE_MAX, |d| d.source.clone(), |d, v| d.source = v)}
                <Show when=move || case.with(|d| !d.from.is_empty())>
                    {text_field("cf-from", "分享自（社区）", "Shared by (community)", FROM_MAX, |d| d.from.clone(), |d, v| d.from = v)}
                </Show>
                <p id="cf-err" class="field-error" role="alert" data-testid="case-error">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-case">{move || lang.get().t("保存案例", "Save the case")}</button>
            </form>
        </main>
    }
}
