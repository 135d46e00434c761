//! Settings: language, who this device is, leaving the device.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::state::App;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let role = move || {
        app.session.with(|s| {
            s.as_ref().map(|s| match s.role {
                linli_shared::policy::Role::Resident => lang.get().t("居民", "Resident"),
                linli_shared::policy::Role::Volunteer => lang.get().t("志愿者", "Volunteer"),
                linli_shared::policy::Role::GridWorker => lang.get().t("网格员", "Grid worker"),
                linli_shared::policy::Role::Staff => lang.get().t("社区工作者", "Community staff"),
            })
        })
    };
    let confirm = RwSignal::new(false);
    // This person's record, while it holds consents. A memo: the consents are read from the
    // whole store, which changes with any document, and the section below (with its form) is
    // made anew only when this changes.
    let consents = Memo::new(move |_| {
        app.session
            .with(|s| s.as_ref().and_then(|s| s.person_doc.clone()))
            .and_then(|d| linli_shared::ids::DocumentId::parse(&d).ok())
            .filter(|d| !crate::data::consents_of(&app, d).is_empty())
    });
    view! {
        <main class="page settings">
            <h2>{move || lang.get().t("设置", "Settings")}</h2>
            // The top bar drops the last-sync time on narrow phones: it is always here.
            <p class="muted" data-testid="last-sync">{move || {
                let l = lang.get();
                match app.sync.get().last_sync {
                    Some(t) => match l {
                        Lang::Zh => format!("上次同步：{}", l.time(t)),
                        Lang::En => format!("Last synced: {}", l.time(t)),
                    },
                    None => l.t("还没有同步过", "Not synced yet").to_string(),
                }
            }}</p>
            <fieldset class="field">
                <legend>{move || lang.get().t("语言", "Language")}</legend>
                <label for="lang-zh">
                    <input type="radio" id="lang-zh" name="lang" prop:checked=move || lang.get() == Lang::Zh on:change=move |_| app.set_lang(Lang::Zh)/>
                    "中文"
                </label>
                <label for="lang-en">
                    <input type="radio" id="lang-en" name="lang" prop:checked=move || lang.get() == Lang::En on:change=move |_| app.set_lang(Lang::En)/>
                    "English"
                </label>
            </fieldset>
            <label for="elder-mode" class="check big-check">
                <input id="elder-mode" type="checkbox" data-testid="elder-mode"
                    prop:checked=move || app.elder.get()
                    on:change=move |ev| app.set_elder(event_target_checked(&ev))/>
                <span>
                    <strong>{move || lang.get().t("长辈模式", "Elder mode")}</strong>
                    <small>{move || lang.get().t("大字、高对比、三步提交、朗读", "Large text, high contrast, three-step filing, read aloud")}</small>
                </span>
            </label>
            <Show when=move || app.session.with(|s| s.as_ref().is_some_and(|s| s.role == linli_shared::policy::Role::Staff))>
                <crate::pages::community::CommunitySettings/>
            </Show>
            <dl class="facts">
                <dt>{move || lang.get().t("身份", "Role")}</dt>
                <dd data-testid="role">{role}</dd>
                <dt>{move || lang.get().t("本机", "This device")}</dt>
                // What staff see in its list (its readable name), and the start of its id
                // for when someone needs to tell two alike phones apart.
                <dd>{move || {
                    let ua = crate::platform::window().navigator().user_agent().unwrap_or_default();
                    app.session.with(|s| s.as_ref().map(|s| {
                        format!("{}（{}）", crate::platform::device_label(&ua), &s.device[..8.min(s.device.len())])
                    }))
                }}</dd>
            </dl>
            {move || consents.get().map(|d| view! { <crate::pages::people::Consents doc=d/> })}
            <section class="danger">
                <h3>{move || lang.get().t("退出本机", "Leave this device")}</h3>
                <p>{move || lang.get().t(
                    "删除本机上的全部资料。还没上传的修改会丢失。",
                    "Deletes everything on this phone. Edits not yet uploaded are lost.",
                )}</p>
                <Show
                    when=move || confirm.get()
                    fallback=move || view! {
                        <button type="button" on:click=move |_| confirm.set(true)>{move || lang.get().t("退出本机…", "Leave…")}</button>
                    }
                >
                    <p class="warn">{move || {
                        let n = app.sync.get().unconfirmed;
                        if n > 0 {
                            match lang.get() { Lang::Zh => format!("还有 {n} 条修改没上传！"), Lang::En => format!("{n} edits are not uploaded yet!") }
                        } else { String::new() }
                    }}</p>
                    <button type="button" class="danger" on:click=move |_| leptos::task::spawn_local(async move { app.leave().await })>
                        {move || lang.get().t("确认删除并退出", "Delete and leave")}
                    </button>
                    <button type="button" on:click=move |_| confirm.set(false)>{move || lang.get().t("取消", "Cancel")}</button>
                </Show>
            </section>
        </main>
    }
}
