//! Joining: type (or scan) an invite code. In the demo community, pick one of its people.

use leptos::prelude::*;
use linli_shared::api::{Demo, paths};

use crate::i18n::Lang;
use crate::platform::http::{self, HttpError};
use crate::state::App;

fn error_text(l: Lang, e: &HttpError) -> String {
    match e {
        HttpError::Network(_) => l
            .t(
                "连不上服务器。加入社区需要联网，请联网后再试。",
                "Cannot reach the relay. Joining needs a connection; please try again online.",
            )
            .into(),
        HttpError::Status { status: 404, .. } => l
            .t(
                "邀请码不对，请核对后再输入。",
                "That invite code is not right; please check it.",
            )
            .into(),
        HttpError::Status { message, .. } if message.starts_with("invite_expired") => l
            .t(
                "邀请码已过期，请向社区工作人员要一个新的。",
                "The invite code has expired; ask community staff for a new one.",
            )
            .into(),
        HttpError::Status { message, .. } if message.starts_with("invite_used") => l
            .t(
                "这个邀请码已经用过了。",
                "This invite code was already used.",
            )
            .into(),
        HttpError::Status { status: 429, .. } => l
            .t(
                "尝试次数太多，请一分钟后再试。",
                "Too many attempts; try again in a minute.",
            )
            .into(),
        HttpError::Status { message, .. } => message.clone(),
    }
}

#[component]
pub fn EnrolPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // An invite link (scanned QR code) carries the code.
    let from_link = match app.route.get_untracked() {
        crate::state::Route::Join(c) => c,
        _ => String::new(),
    };
    let code = RwSignal::new(from_link);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let demo = LocalResource::new(|| async { http::get::<Demo>(paths::DEMO).await.ok() });

    let join = move |typed: String| {
        if busy.get_untracked() {
            return;
        }
        let cleaned: String = typed
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if cleaned.len() != 8 {
            error.set(Some(
                lang.get_untracked()
                    .t(
                        "邀请码是 8 位字母或数字。",
                        "An invite code has 8 letters or digits.",
                    )
                    .into(),
            ));
            crate::platform::focus_first_invalid();
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = app.enrol(&cleaned).await {
                error.try_set(Some(error_text(lang.get_untracked(), &e)));
                crate::platform::focus_first_invalid();
            }
            busy.try_set(false);
        });
    };

    // The enrolment page index.html painted: once the demo's people show here too (or after
    // 3 s without them), this page replaces it, with what was typed there and a tap on Join or
    // on a person made before the app arrived.
    let hand_over = move || {
        if !crate::platform::firstpaint::showing() {
            return;
        }
        crate::platform::next_frame(move || {
            // Not under a tap: it ends on the painted page, whose click records it (below).
            crate::platform::firstpaint::untouched(move || {
                if !crate::platform::firstpaint::showing() {
                    return;
                }
                let (typed, pending) = crate::platform::firstpaint::enrol_form();
                if let Some(t) = typed {
                    code.set(t);
                }
                crate::platform::firstpaint::take_over();
                if let Some(p) = pending {
                    join(p);
                }
            })
        });
    };
    Effect::new(move |_| {
        if demo.get().is_some() {
            hand_over();
        }
    });
    set_timeout(hand_over, std::time::Duration::from_secs(3));

    view! {
        <main class="page enrol">
            <h2>{move || lang.get().t("加入社区", "Join your community")}</h2>
            <p>{move || lang.get().t(
                "请输入社区工作人员给你的 8 位邀请码。",
                "Enter the 8-character invite code community staff gave you.",
            )}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                join(code.get_untracked());
            }>
                <label for="invite-code">{move || lang.get().t("邀请码", "Invite code")}</label>
                <input
                    id="invite-code"
                    name="invite-code"
                    autocomplete="one-time-code"
                    autocapitalize="characters"
                    maxlength="12"
                    inputmode="text"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="invite-error"
                />
                <p id="invite-error" class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { lang.get().t("正在加入…", "Joining…") } else { lang.get().t("加入", "Join") }}
                </button>
            </form>
            <Suspense fallback=|| ()>
                {move || {
                    let people = demo.get().flatten().map(|d| d.people).unwrap_or_default();
                    (!people.is_empty()).then(|| view! {
                        <section class="demo" aria-labelledby="demo-title">
                            <h3 id="demo-title">{move || lang.get().t("体验演示社区", "Try the demo community")}</h3>
                            <p>{move || lang.get().t("以下面任何一位的身份进入：", "Enter as any of these people:")}</p>
                            <ul class="personas">
                                {people.into_iter().map(|p| {
                                    let c = p.code.clone();
                                    let (zh2, en2) = (p.zh.clone(), p.en.clone());
                                    view! {
                                        <li>
                                            <button
                                                type="button"
                                                class="persona"
                                                data-code=p.code.clone()
                                                on:click=move |_| join(c.clone())
                                            >
                                                <strong>{p.name.clone()}</strong>
                                                <span>{move || if lang.get() == Lang::Zh { zh2.clone() } else { en2.clone() }}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                }}
            </Suspense>
        </main>
    }
}
