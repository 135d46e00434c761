//! The 朗读 / "Read aloud" button of elder mode: the phone's speech synthesis reads a text in
//! the person's language.

use leptos::prelude::*;

use crate::platform;
use crate::state::App;

#[component]
pub fn ReadAloud(text: Signal<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    view! {
        <button
            type="button"
            class="speak"
            data-testid="read-aloud"
            on:click=move |_| {
                platform::speak(&text.get_untracked(), lang.get_untracked().code());
            }
        >
            <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4Zm-2.5-9v2.1a7 7 0 0 1 0 13.8V21a9 9 0 0 0 0-18Z"></path></svg>
            {move || lang.get().t("朗读", "Read aloud")}
        </button>
    }
}
