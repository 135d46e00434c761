//! One training session: what, when, where, who teaches; the counts for everyone; a
//! resident's own line (sign up, cancel: saved on the phone at once, offline too); for staff
//! the participants by name with one tap each to mark who came, and the summary written
//! after the session.

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::training::{Place, SUMMARY_MAX, Training, TrainingCommand};
use linli_shared::ids::DocumentId;

use super::{is_staff, me, trainer, when};
use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Notice, Route};

/// Sends a command and reports, keeping the page as it is on a problem.
fn send(app: App, id: DocumentId, c: TrainingCommand, problem: RwSignal<String>) -> bool {
    let lang = app.lang;
    match app.send(id, c) {
        Ok(saving) => {
            problem.set(String::new());
            leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => app.notice.set(Some(Notice::Saved)),
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            });
            true
        }
        Err(linli_shared::domain::ModelError::Input(e)) => {
            problem.set(lang.get_untracked().input_error(&e));
            false
        }
        Err(e) => {
            problem.set(e.to_string());
            false
        }
    }
}

/// A participant's name on a staff phone (their record), else a placeholder.
fn name(app: &App, l: Lang, person: &str) -> String {
    if person == linli_shared::domain::requests::ERASED {
        return l.t("（已删除的用户）", "(erased person)").to_string();
    }
    data::person_name(app, person).unwrap_or_else(|| person.to_string())
}

#[component]
pub fn TrainingPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let session = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Training(t) => Some(t.clone()),
            _ => None,
        })
        .flatten()
    });
    let problem = RwSignal::new(String::new());
    let summary_key = format!("training-summary/{id}");
    let kept = app.draft(&summary_key);
    let summary = RwSignal::new(kept.unwrap_or_else(|| {
        session
            .get_untracked()
            .map(|t| t.summary)
            .unwrap_or_default()
    }));
    let key = StoredValue::new(summary_key);
    view! {
        <main class="page training">
            <a href=Route::School.hash() class="back">{move || lang.get().t("‹ 社区治理学院", "‹ Governance school")}</a>
            {move || match session.get() {
                None => view! { <p class="empty">{move || lang.get().t("这期培训不在本机。", "This session is not on this phone.")}</p> }.into_any(),
                Some(t) => {
                    let l = lang.get();
                    let now = app.clock.get().max(app.now());
                    let past = t.is_past(now);
                    let (seated, waiting) = t.counts();
                    let who = trainer(&t);
                    view! {
                        <h1 data-testid="training-title">{t.title.clone()}</h1>
                        <dl class="facts">
                            <dt>{l.t("时间", "When")}</dt><dd data-testid="training-when">{when(&t)}</dd>
                            {(!t.place.is_empty()).then(|| view! { <dt>{l.t("地点", "Place")}</dt><dd>{t.place.clone()}</dd> })}
                            <dt>{l.t("主题", "Topic")}</dt><dd>{l.topic(t.topic)}</dd>
                            <dt>{l.t("形式", "Method")}</dt><dd>{l.method(t.method)}</dd>
                            {(!who.is_empty()).then(|| view! { <dt>{l.t("讲师", "Trainer")}</dt><dd data-testid="training-trainer">{who}</dd> })}
                            <dt>{l.t("报名", "Signed up")}</dt>
                            <dd data-testid="training-counts">{match l {
                                Lang::Zh => format!("{seated}/{} 人{}", t.capacity, if waiting > 0 { format!("，候补 {waiting} 人") } else { String::new() }),
                                Lang::En => format!("{seated} of {}{}", t.capacity, if waiting > 0 { format!(", {waiting} waiting") } else { String::new() }),
                            }}</dd>
                            {(past && t.marked()).then(|| view! {
                                <dt>{l.t("到场", "Attended")}</dt>
                                <dd data-testid="training-attended">{match l {
                                    Lang::Zh => format!("{} 人", t.attended()),
                                    Lang::En => t.attended().to_string(),
                                }}</dd>
                            })}
                        </dl>
                        {(!t.description.is_empty()).then(|| view! { <p class="description">{t.description.clone()}</p> })}
                        {(!t.summary.is_empty()).then(|| view! {
                            <section aria-labelledby="tr-sum-h">
                                <h2 id="tr-sum-h">{l.t("培训小结", "Summary")}</h2>
                                <p class="description" data-testid="training-summary">{t.summary.clone()}</p>
                            </section>
                        })}
                        <MyLine id t=t.clone() past problem/>
                        {is_staff(&app).then(|| view! {
                            <Participants id t=t.clone() problem/>
                            <a class="button" href=Route::EditTraining(id).hash() data-testid="edit-training">{l.t("修改这期培训", "Edit the session")}</a>
                        })}
                    }.into_any()
                }
            }}
            <Show when=move || is_staff(&app) && session.with(|s| s.is_some())>
                <form class="field" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if send(app, id, TrainingCommand::Summarise { text: summary.get_untracked() }, problem) {
                        app.clear_draft(&key.get_value());
                    }
                }>
                    <label for="tr-summary">{move || lang.get().t("培训小结与资料（培训后填写）", "Summary and materials (after the session)")}</label>
                    <textarea id="tr-summary" rows="5" maxlength=SUMMARY_MAX.to_string() data-testid="training-summary-input"
                        prop:value=move || summary.get()
                        aria-describedby="tr-err"
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            app.set_draft(&key.get_value(), &v);
                            summary.set(v);
                        }></textarea>
                    <button type="submit" class="primary" data-testid="save-training-summary">{move || lang.get().t("保存小结", "Save the summary")}</button>
                </form>
            </Show>
            <p id="tr-err" class="field-error" role="alert" data-testid="training-error">{move || problem.get()}</p>
        </main>
    }
}

/// The person's own line: where they stand, and sign up or cancel.
#[component]
fn MyLine(id: DocumentId, t: Training, past: bool, problem: RwSignal<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let person = me(&app);
    let l = lang.get_untracked();
    let place = t.place(&person);
    let line = t.live_signup(&person).cloned();
    let status = match (place, line.as_ref().and_then(|s| s.attended)) {
        (_, Some(true)) => l
            .t("你参加了这期培训。", "You attended this session.")
            .to_string(),
        (_, Some(false)) => l
            .t(
                "你报了名，但没有到场。",
                "You signed up but did not attend.",
            )
            .to_string(),
        (Some(Place::Seated), None) => l.t("你已报名。", "You are signed up.").to_string(),
        (Some(Place::Waiting(n)), None) => match l {
            Lang::Zh => format!("名额已满，你在候补第 {n} 位。"),
            Lang::En => format!("The session is full: you are number {n} on the waiting list."),
        },
        (None, _) if past => l.t("这期培训已结束。", "This session is over.").to_string(),
        (None, _) => l.t("你还没有报名。", "You have not signed up.").to_string(),
    };
    let signed = place.is_some();
    let p2 = person.clone();
    view! {
        <section aria-labelledby="tr-me-h" class="my-line">
            <h2 id="tr-me-h">{l.t("我的报名", "My sign-up")}</h2>
            <p data-testid="training-my-status">{status}</p>
            {(!past && !signed).then(move || view! {
                <button class="primary big" data-testid="training-sign-up"
                    on:click=move |_| { send(app, id, TrainingCommand::SignUp { person: person.clone() }, problem); }>
                    {move || lang.get().t("报名参加", "Sign up")}
                </button>
            })}
            {(!past && signed).then(move || view! {
                <button class="big" data-testid="training-cancel"
                    on:click=move |_| { send(app, id, TrainingCommand::Cancel { person: p2.clone() }, problem); }>
                    {move || lang.get().t("取消报名", "Cancel my sign-up")}
                </button>
            })}
        </section>
    }
}

/// Staff: the participants by name, each with one tap to mark present or absent.
#[component]
fn Participants(id: DocumentId, t: Training, problem: RwSignal<String>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let l = lang.get_untracked();
    let seated: Vec<_> = t.seated().into_iter().cloned().collect();
    let waiting: Vec<_> = t.waitlist().into_iter().cloned().collect();
    view! {
        <section aria-labelledby="tr-list-h">
            <h2 id="tr-list-h">{l.t("参加者（仅社区工作者可见）", "Participants (staff only)")}</h2>
            <p class="hint">{l.t("培训后逐人点一下，标记到场或缺席。", "After the session, tap each person to mark them present or absent.")}</p>
            <ul class="rows" data-testid="training-participants">
                {seated.into_iter().map(|s| {
                    let who = name(&app, l, &s.person);
                    let person = s.person.clone();
                    let present = s.attended == Some(true);
                    let state = match s.attended {
                        Some(true) => l.t("✓ 到场", "✓ Present"),
                        Some(false) => l.t("✗ 缺席", "✗ Absent"),
                        None => l.t("未标记", "Not marked"),
                    };
                    let label = match l {
                        Lang::Zh => format!("{who}：{state}，点按改为{}", if present { "缺席" } else { "到场" }),
                        Lang::En => format!("{who}: {state}; tap to mark {}", if present { "absent" } else { "present" }),
                    };
                    view! {
                        <li data-testid="training-participant">
                            <button class="attendance" aria-pressed=present.to_string() aria-label=label data-testid="training-mark"
                                on:click=move |_| { send(app, id, TrainingCommand::Mark { person: person.clone(), attended: !present }, problem); }>
                                <span>{who}</span>" "<span class="chip">{state}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {(!waiting.is_empty()).then(|| view! {
                <h3>{l.t("候补", "Waiting list")}</h3>
                <ol class="rows">
                    {waiting.into_iter().map(|s| view! { <li>{name(&app, l, &s.person)}</li> }).collect_view()}
                </ol>
            })}
        </section>
    }
}
