//! Volunteers: the elders who consent to their help, with what is needed to visit and call,
//! and a way to file a request for each (代办).

use leptos::prelude::*;

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Route};

#[component]
pub fn EldersPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let elders = Memo::new(move |_| data::elders(&app));
    view! {
        <main class="page elders">
            <h2>{move || lang.get().t("我帮助的长辈", "Elders I help")}</h2>
            <Show
                when=move || elders.with(|e| !e.is_empty())
                fallback=move || view! {
                    <p class="empty">{move || lang.get().t(
                        "还没有长辈授权你代办。授权由长辈本人或社区工作者登记。",
                        "No elder has given you consent yet. Consent is recorded by the elder or by community staff.",
                    )}</p>
                }
            >
                <ul class="cards">
                    {move || elders.get().into_iter().map(|(_, p)| {
                        let person = p.id.clone();
                        let phone = p.phone.replace(' ', "");
                        view! {
                            <li class="card elder">
                                <h3>{p.name.clone()}</h3>
                                <p>{p.flat.clone()}{p.lives_alone.then(|| view! { <span class="tag">{move || lang.get().t("独居", "lives alone")}</span> })}</p>
                                <div class="buttons">
                                    <a class="button" href=format!("tel:{phone}")>{move || lang.get().t("打电话", "Call")}</a>
                                    <button type="button" class="primary" on:click=move |_| {
                                        crate::pages::requests::file::file_for(&app, &person);
                                        app.go(Route::File);
                                    }>{move || lang.get().t("代为提交诉求", "File a request for them")}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <p class="hint">{move || if lang.get() == Lang::Zh {
                "代办的诉求会写明“由你代提交”，长辈和家人能看到处理进度。"
            } else {
                "Requests you file say “filed by you for them”; the elder and their family can follow them."
            }}</p>
        </main>
    }
}
