//! Consents 代办授权: staff record new ones (in person or on paper) and withdraw them; the
//! person sees and withdraws their own in Settings.

use leptos::prelude::*;
use linli_shared::api::{PersonRow, paths};
use linli_shared::domain::ModelError;
use linli_shared::domain::people::{ConsentMethod, PersonCommand};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use super::name_of;
use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Notice};

/// The consents a person gave: staff record new ones (in person or on paper) and withdraw
/// them; the person sees and withdraws their own in Settings.
#[component]
pub fn Consents(doc: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let is_staff = move || {
        app.session
            .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
    };
    let list = Memo::new(move |_| data::consents_of(&app, &doc));
    let volunteer = RwSignal::new(String::new());
    let method = RwSignal::new(ConsentMethod::InPerson);
    let volunteers = LocalResource::new(move || async move {
        if !is_staff() {
            return Vec::new();
        }
        app.api::<Vec<PersonRow>>("GET", paths::PEOPLE, None)
            .await
            .map(|l| {
                l.into_iter()
                    .filter(|p| p.role == Role::Volunteer && !p.erased)
                    .collect()
            })
            .unwrap_or_default()
    });
    let me = move || {
        app.session
            .with(|s| s.as_ref().map(|s| s.person.clone()).unwrap_or_default())
    };
    let withdraw = move |v: String| {
        let withdraw = PersonCommand::WithdrawConsent {
            volunteer: v,
            by: me(),
        };
        if let Err(e) = app.send(doc, withdraw) {
            app.notice
                .set(Some(Notice::Error(error_text(lang.get_untracked(), &e))));
        }
    };
    let grant = move || {
        let v = volunteer.get_untracked();
        if v.is_empty() {
            return;
        }
        // The volunteer's name goes with the consent: the elder's phone does not hold the
        // volunteer's record, and shows this name (the relay checks it against its records).
        let volunteer_name = data::person_name(&app, &v).unwrap_or_default();
        let grant = PersonCommand::GrantConsent {
            volunteer: v,
            volunteer_name,
            by: me(),
            method: method.get_untracked(),
        };
        match app.send(doc, grant) {
            // The choice stays when the edit is refused, to try again.
            Err(e) => app
                .notice
                .set(Some(Notice::Error(error_text(lang.get_untracked(), &e)))),
            Ok(_) => {
                volunteer.try_set(String::new());
            }
        }
    };
    view! {
        <section class="card consents" aria-labelledby="consents-title">
            <h3 id="consents-title">{move || lang.get().t("代办授权", "Consents to act on their behalf")}</h3>
            <ul class="rows" data-testid="consents">
                {move || list.get().into_iter().map(|c| {
                    let v = c.volunteer.clone();
                    let active = c.active();
                    let who = data::person_name(&app, &c.volunteer)
                        .or_else(|| (!c.volunteer_name.is_empty()).then(|| c.volunteer_name.clone()))
                        .unwrap_or_else(|| lang.get_untracked().t("一位志愿者", "A volunteer").to_string());
                    view! {
                        <li>
                            <span>{who}</span>
                            <span class="muted">{move || {
                                let l = lang.get();
                                let how = match c.method { ConsentMethod::InPerson => l.t("当面", "in person"), ConsentMethod::Paper => l.t("书面", "on paper") };
                                match c.withdrawn_at {
                                    None => format!("{how} · {}", l.time(c.granted_at)),
                                    Some(w) => format!("{how} · {} · {} {}", l.time(c.granted_at), l.t("已撤回", "withdrawn"), l.time(w)),
                                }
                            }}</span>
                            {active.then(|| view! {
                                <button type="button" data-testid="withdraw" on:click=move |_| withdraw(v.clone())>{move || lang.get().t("撤回授权", "Withdraw")}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=is_staff>
                <form novalidate class="grant" on:submit=move |ev| { ev.prevent_default(); grant(); }>
                    <label for="grant-vol">{move || lang.get().t("授权给志愿者", "Consent to a volunteer")}</label>
                    <select id="grant-vol" prop:value=move || volunteer.get() on:change=move |ev| volunteer.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                        <Suspense fallback=|| ()>
                            {move || volunteers.get().unwrap_or_default().into_iter().map(|p| {
                                let n = name_of(&app, &p);
                                view! { <option value=p.id.clone()>{n}</option> }
                            }).collect_view()}
                        </Suspense>
                    </select>
                    <fieldset class="field">
                        <legend>{move || lang.get().t("授权方式", "How it was given")}</legend>
                        <label for="m-person" class="check">
                            <input type="radio" id="m-person" name="method" prop:checked=move || method.get() == ConsentMethod::InPerson on:change=move |_| method.set(ConsentMethod::InPerson)/>
                            {move || lang.get().t("本人当面确认", "In person")}
                        </label>
                        <label for="m-paper" class="check">
                            <input type="radio" id="m-paper" name="method" prop:checked=move || method.get() == ConsentMethod::Paper on:change=move |_| method.set(ConsentMethod::Paper)/>
                            {move || lang.get().t("签署书面授权书", "Signed paper form")}
                        </label>
                    </fieldset>
                    <button type="submit" class="primary">{move || lang.get().t("记录授权", "Record consent")}</button>
                </form>
            </Show>
        </section>
    }
}

/// What a refused edit says: in the person's language where it is about their input (a record
/// not on this phone yet), the model's own words otherwise.
fn error_text(l: Lang, e: &ModelError) -> String {
    match e {
        ModelError::Input(e) => l.input_error(e),
        e => e.to_string(),
    }
}
