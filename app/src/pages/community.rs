//! Staff: the community's settings, kept in the community document (so every phone has them
//! offline): answer windows per colour, request categories, answer templates.

use leptos::prelude::*;
use linli_shared::domain::community::CommunityCommand;
use linli_shared::domain::requests::Colour;
use linli_shared::ids::DocumentId;

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Notice};

#[component]
pub fn CommunitySettings() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let doc = move || {
        app.session
            .with(|s| s.as_ref().and_then(|s| s.community_doc.clone()))
            .and_then(|d| DocumentId::parse(&d).ok())
    };
    let community = Memo::new(move |_| data::community(&app));
    let edit = move |command: CommunityCommand| {
        if let Some(d) = doc()
            && let Err(e) = app.send(d, command)
        {
            app.notice.set(Some(Notice::Error(e.to_string())));
        }
    };
    let new_zh = RwSignal::new(String::new());
    let new_en = RwSignal::new(String::new());
    let new_template = RwSignal::new(String::new());
    view! {
        <section class="card community-settings" aria-labelledby="cs-title">
            <h3 id="cs-title">{move || lang.get().t("社区设置", "Community settings")}</h3>
            <fieldset class="field">
                <legend>{move || lang.get().t("各颜色的答复时限（小时）", "Answer window per colour (hours)")}</legend>
                {Colour::ALL.into_iter().map(|c| {
                    let id = format!("dl-{}", c.as_str());
                    let input_id = id.clone();
                    view! {
                        <label for=id class="inline">{move || lang.get().colour(c)}</label>
                        <input id=input_id type="number" min="1" max="2160" inputmode="numeric"
                            prop:value=move || community.get().map(|x| x.deadlines.hours(c).to_string()).unwrap_or_default()
                            on:change=move |ev| {
                                if let Ok(h) = event_target_value(&ev).parse::<i64>() {
                                    edit(CommunityCommand::SetDeadline { colour: c, hours: h });
                                }
                            }/>
                    }
                }).collect_view()}
            </fieldset>
            <form class="field" novalidate on:submit=move |ev| {
                ev.prevent_default();
                let (zh, en) = (new_zh.get_untracked(), new_en.get_untracked());
                if zh.trim().is_empty() { return; }
                let id = format!("c{}", linli_shared::ids::hex(&crate::platform::random_bytes::<3>()));
                let en = if en.trim().is_empty() { zh.clone() } else { en };
                edit(CommunityCommand::AddCategory { id, zh, en });
                new_zh.set(String::new());
                new_en.set(String::new());
            }>
                <p class="muted">{move || {
                    let l = lang.get();
                    community.get().map(|c| c.categories.into_iter().map(|c| if l == Lang::Zh { c.zh } else { c.en }).collect::<Vec<_>>().join("、")).unwrap_or_default()
                }}</p>
                <label for="cat-zh">{move || lang.get().t("新增类别（中文）", "New category (Chinese)")}</label>
                <input id="cat-zh" prop:value=move || new_zh.get() on:input=move |ev| new_zh.set(event_target_value(&ev))/>
                <label for="cat-en">{move || lang.get().t("英文名称（可选）", "English name (optional)")}</label>
                <input id="cat-en" prop:value=move || new_en.get() on:input=move |ev| new_en.set(event_target_value(&ev))/>
                <button type="submit">{move || lang.get().t("添加类别", "Add category")}</button>
            </form>
            <div class="field">
                <h4>{move || lang.get().t("答复模板", "Answer templates")}</h4>
                <ul class="rows">
                    {move || community.get().map(|c| c.templates).unwrap_or_default().into_iter().enumerate().map(|(i, t)| view! {
                        <li>
                            <span>{t}</span>
                            <button type="button" aria-label=move || lang.get().t("删除这个模板", "Remove this template")
                                on:click=move |_| edit(CommunityCommand::RemoveTemplate { index: i })>"×"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    let t = new_template.get_untracked();
                    if t.trim().is_empty() { return; }
                    edit(CommunityCommand::AddTemplate { text: t });
                    new_template.set(String::new());
                }>
                    <label for="tpl">{move || lang.get().t("新增模板", "New template")}</label>
                    <input id="tpl" prop:value=move || new_template.get() on:input=move |ev| new_template.set(event_target_value(&ev))/>
                    <button type="submit">{move || lang.get().t("添加模板", "Add template")}</button>
                </form>
            </div>
        </section>
    }
}
