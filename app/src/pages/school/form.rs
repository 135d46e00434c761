//! The staff form for a training session (new or edit). What is typed is kept as a draft on
//! the phone at every keystroke, so a reload or a lost connection loses nothing; bad input
//! (no title, a capacity that is not a number, an end before the start) is explained beside
//! the form and every character kept; the session is saved on the phone at once and reaches
//! the relay when there is a connection.

use leptos::prelude::*;
use linli_shared::domain::event::local_input;
use linli_shared::domain::training::{
    DESCRIPTION_MAX, Method, ORG_MAX, PLACE_MAX, TITLE_MAX, TRAINER_MAX, Topic, TrainingCommand,
    TrainingDraft,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;

use crate::data;
use crate::platform;
use crate::state::{App, Notice, Route};

fn draft_key(existing: Option<DocumentId>) -> String {
    match existing {
        Some(id) => format!("training-edit/{id}"),
        None => "training-new".into(),
    }
}

#[component]
pub fn TrainingForm(existing: Option<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // Only staff create and revise sessions (the relay refuses anyone else's): no form to
    // type into for nothing.
    if !super::is_staff(&app) {
        return view! {
            <main class="page training-form">
                <a href=Route::School.hash() class="back">{move || lang.get().t("‹ 社区治理学院", "‹ Governance school")}</a>
                <p class="empty" data-testid="training-form-refused">{move || lang.get().t(
                    "培训由社区工作者安排。想开一期培训？请联系社区工作者。",
                    "Sessions are arranged by community staff. Want one? Ask community staff.")}</p>
            </main>
        }
        .into_any();
    }
    let key = StoredValue::new(draft_key(existing));
    let start = app
        .draft(&key.get_value())
        .and_then(|j| serde_json::from_str::<TrainingDraft>(&j).ok())
        .or_else(|| {
            existing.and_then(|id| {
                app.summary(&id, |s| match s {
                    Summary::Training(t) => Some(TrainingDraft::of(t)),
                    _ => None,
                })
                .flatten()
            })
        })
        .unwrap_or_else(|| {
            // A new session: next week, 14:00–16:00, 30 seats.
            let t = linli_shared::time::LocalDateTime::shanghai(
                app.now() + 7 * linli_shared::time::DAY,
            );
            let day = linli_shared::time::shanghai_midnight(t.year, t.month, t.day);
            TrainingDraft {
                starts: local_input(day + 14 * linli_shared::time::HOUR),
                ends: local_input(day + 16 * linli_shared::time::HOUR),
                capacity: "30".into(),
                ..TrainingDraft::default()
            }
        });
    let d = RwSignal::new(start);
    Effect::new(move |first: Option<()>| {
        let json = serde_json::to_string(&d.get()).unwrap_or_default();
        if first.is_some() {
            app.set_draft(&key.get_value(), &json);
        }
    });
    let problems = RwSignal::new(Vec::<InputError>::new());
    let set = move |f: fn(&mut TrainingDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            d.update(|d| f(d, v));
        }
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let draft = d.get_untracked();
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let (id, command) = match existing {
            Some(id) => (
                id,
                TrainingCommand::Revise {
                    draft: Box::new(draft),
                },
            ),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                TrainingCommand::Create {
                    draft: Box::new(draft),
                    by: session.person.clone(),
                    by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
                },
            ),
        };
        match app.send(id, command) {
            Ok(saving) => {
                problems.set(Vec::new());
                app.clear_draft(&key.get_value());
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => app.notice.set(Some(Notice::Saved)),
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
                app.go(Route::Training(id));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    let invalid =
        move |f: fn(&InputError) -> bool| move || problems.with(|p| p.iter().any(f)).to_string();
    use linli_shared::domain::event::EventError;
    view! {
        <main class="page training-form">
            <a href=Route::School.hash() class="back">{move || lang.get().t("‹ 社区治理学院", "‹ Governance school")}</a>
            <h1>{move || if existing.is_some() { lang.get().t("修改培训", "Edit the session") } else { lang.get().t("新建一期培训", "New training session") }}</h1>
            <p class="hint">{move || lang.get().t(
                "全体居民都能看到这些内容：不要写居民的电话和门牌。讲师是公开身份的专家或工作者。",
                "Every resident sees this: no residents' phone numbers or flats. The trainer is a public figure or worker.")}</p>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="tf-title">{move || lang.get().t("标题", "Title")}</label>
                    <input id="tf-title" maxlength=TITLE_MAX.to_string() data-testid="training-title-input"
                        prop:value=move || d.with(|d| d.title.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. }))
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.title = v)/>
                </div>
                <div class="field">
                    <label for="tf-topic">{move || lang.get().t("主题", "Topic")}</label>
                    <select id="tf-topic" data-testid="training-topic-input"
                        aria-invalid=invalid(|e| matches!(e, InputError::CategoryMissing))
                        aria-describedby="tf-err"
                        on:change=set(|d, v| d.topic = Topic::parse(&v))>
                        <option value="" selected=move || d.with(|d| d.topic.is_none())>{move || lang.get().t("请选择", "Choose one")}</option>
                        {Topic::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str() selected=move || d.with(|d| d.topic == Some(t))>{move || lang.get().topic(t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="tf-method">{move || lang.get().t("形式", "Method")}</label>
                    <select id="tf-method" on:change=set(|d, v| d.method = Method::parse(&v).unwrap_or_default())>
                        {Method::ALL.into_iter().map(|m| view! {
                            <option value=m.as_str() selected=move || d.with(|d| d.method == m)>{move || lang.get().method(m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="tf-trainer">{move || lang.get().t("讲师姓名", "Trainer's name")}</label>
                    <input id="tf-trainer" maxlength=TRAINER_MAX.to_string() data-testid="training-trainer-input"
                        prop:value=move || d.with(|d| d.trainer.clone())
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.trainer = v)/>
                </div>
                <div class="field">
                    <label for="tf-org">{move || lang.get().t("讲师单位或身份", "Trainer's organisation or role")}</label>
                    <input id="tf-org" maxlength=ORG_MAX.to_string()
                        prop:value=move || d.with(|d| d.trainer_org.clone())
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.trainer_org = v)/>
                </div>
                <div class="field">
                    <label for="tf-starts">{move || lang.get().t("开始时间", "Starts")}</label>
                    <input id="tf-starts" type="datetime-local" data-testid="training-starts-input"
                        prop:value=move || d.with(|d| d.starts.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::BadDate))
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.starts = v)/>
                </div>
                <div class="field">
                    <label for="tf-ends">{move || lang.get().t("结束时间", "Ends")}</label>
                    <input id="tf-ends" type="datetime-local" data-testid="training-ends-input"
                        prop:value=move || d.with(|d| d.ends.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::BadDate | InputError::Event(EventError::EndsBeforeStarts)))
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.ends = v)/>
                </div>
                <div class="field">
                    <label for="tf-place">{move || lang.get().t("地点", "Place")}</label>
                    <input id="tf-place" maxlength=PLACE_MAX.to_string()
                        prop:value=move || d.with(|d| d.place.clone())
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.place = v)/>
                </div>
                <div class="field">
                    <label for="tf-capacity">{move || lang.get().t("名额（人数）", "Seats (number of people)")}</label>
                    <input id="tf-capacity" inputmode="numeric" data-testid="training-capacity-input"
                        prop:value=move || d.with(|d| d.capacity.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::Event(EventError::BadCapacity | EventError::CapacityBelowSeats { .. })))
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.capacity = v)/>
                </div>
                <div class="field">
                    <label for="tf-desc">{move || lang.get().t("内容介绍（可不填）", "What it covers (optional)")}</label>
                    <textarea id="tf-desc" rows="4" maxlength=DESCRIPTION_MAX.to_string()
                        prop:value=move || d.with(|d| d.description.clone())
                        aria-describedby="tf-err"
                        on:input=set(|d, v| d.description = v)></textarea>
                </div>
                <p id="tf-err" class="field-error" role="alert" data-testid="training-form-error">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-training">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </main>
    }
    .into_any()
}
