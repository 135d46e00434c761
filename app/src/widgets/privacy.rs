//! The guard against personal data in public text, as the person types: a phone, ID card or
//! bank card number or a licence plate in a field others will see is pointed out at once
//! (masked), with a button that moves it to the private field beside it. The relay refuses
//! such text anyway ([`linli_shared::pii`]); this is so nobody has to find out from a refusal.

use leptos::prelude::*;
use linli_shared::pii;

use crate::state::App;

/// Watches `text` (a public field); `private` is where the numbers can go instead, and
/// `private_name` names that field in both languages ("the details").
#[component]
pub fn PersonalDataGuard(
    text: RwSignal<String>,
    private: RwSignal<String>,
    private_name: (&'static str, &'static str),
    /// The element id (the public field's `aria-describedby` names it).
    id: &'static str,
) -> impl IntoView {
    let lang = expect_context::<App>().lang;
    let found = Memo::new(move |_| {
        text.with(|t| {
            pii::find(t)
                .into_iter()
                .map(|f| (f.kind, pii::mask(&t[f.start..f.end])))
                .collect::<Vec<_>>()
        })
    });
    let move_out = move |_| {
        let (kept, taken) = pii::take_out(&text.get_untracked());
        if taken.is_empty() {
            return;
        }
        private.update(|d| {
            let trimmed = d.trim_end().len();
            d.truncate(trimmed);
            if !d.is_empty() {
                d.push('\n');
            }
            d.push_str(&taken.join(" "));
        });
        text.set(kept);
    };
    view! {
        <div id=id class="pii-guard" role="status" data-testid="pii-guard">
            <Show when=move || found.with(|f| !f.is_empty())>
                <p>{move || {
                    let l = lang.get();
                    let what = found.get().into_iter().map(|(k, masked)| match l {
                        crate::i18n::Lang::Zh => format!("“{masked}”像是{}", l.pii(k)),
                        crate::i18n::Lang::En => format!("“{masked}” looks like {}", l.pii(k)),
                    }).collect::<Vec<_>>().join(l.t("；", "; "));
                    match l {
                        crate::i18n::Lang::Zh => format!("{what}。这里的内容会公开给邻居看。"),
                        crate::i18n::Lang::En => format!("{what}. What you type here is shown to neighbours."),
                    }
                }}</p>
                <button type="button" class="primary" on:click=move_out>{move || {
                    let l = lang.get();
                    match l {
                        crate::i18n::Lang::Zh => format!("移到{}", private_name.0),
                        crate::i18n::Lang::En => format!("Move it to {}", private_name.1),
                    }
                }}</button>
            </Show>
        </div>
    }
}
