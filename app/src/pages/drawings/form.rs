//! Filing a child's drawing: a guardian for their own child (consent given in the act), or
//! staff from a school event's paper form (the guardian picked from the records, the form's
//! date). What is typed is kept as a draft on the phone at every keystroke (the photo too: it
//! is kept on the phone when picked), so a reload loses nothing; bad input is explained beside
//! the form; the drawing is saved on the phone at once and reaches the relay when online.

use leptos::prelude::*;
use linli_shared::domain::drawing::{
    DrawingCommand, DrawingDraft, DrawingError, Guardian, NICKNAME_MAX, PLACE_MAX, PROPOSES_MAX,
    SCHOOL_MAX, TITLE_MAX,
};
use linli_shared::domain::{InputError, ModelError};
use linli_shared::ids::DocumentId;
use serde::{Deserialize, Serialize};

use super::is_staff;
use crate::data;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::PhotoPicker;

const DRAFT_KEY: &str = "drawing-new";

/// What the form keeps as a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct FormDraft {
    draft: DrawingDraft,
    /// Staff: the guardian's person id and the paper form's date (`YYYY-MM-DD`).
    #[serde(default)]
    guardian: String,
    #[serde(default)]
    paper_date: String,
}

/// The paper form's date as a consent time: noon that day, never later than now, within the
/// last year.
fn paper_time(date: &str, now: i64) -> Option<i64> {
    let at = linli_shared::domain::event::parse_local(&format!("{}T12:00", date.trim()))?;
    let at = at.min(now);
    (now - at < 365 * linli_shared::time::DAY).then_some(at)
}

#[component]
pub fn DrawingForm() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let staff = is_staff(&app);
    let start = app
        .draft(DRAFT_KEY)
        .and_then(|j| serde_json::from_str::<FormDraft>(&j).ok())
        .unwrap_or_default();
    let f = RwSignal::new(start.clone());
    let photos = RwSignal::new(start.draft.photos.clone());
    Effect::new(move |first: Option<()>| {
        let mut d = f.get();
        d.draft.photos = photos.get();
        if first.is_some() {
            app.set_draft(DRAFT_KEY, &serde_json::to_string(&d).unwrap_or_default());
        }
    });
    let problems = RwSignal::new(Vec::<DrawingError>::new());
    let set = move |g: fn(&mut FormDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            f.update(|d| g(d, v));
        }
    };
    let people = if staff {
        data::people(&app)
    } else {
        Vec::new()
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let mut form = f.get_untracked();
        form.draft.photos = photos.get_untracked();
        let mut found = form.draft.problems();
        let now = app.now();
        let (guardian, consent_at) = if staff {
            let g = data::people(&app)
                .into_iter()
                .find(|(_, p)| p.id == form.guardian)
                .map(|(_, p)| Guardian {
                    person: p.id,
                    name: p.name,
                    household: p.household,
                });
            let at = paper_time(&form.paper_date, now);
            if g.is_none() || at.is_none() {
                found.push(DrawingError::GuardianMissing);
            }
            (g, at)
        } else {
            let me = data::me(&app);
            (
                Some(Guardian {
                    person: session.person.clone(),
                    name: me.map(|m| m.name).unwrap_or_default(),
                    household: session.household.clone().unwrap_or_default(),
                }),
                None,
            )
        };
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let Some(guardian) = guardian else { return };
        let id = DocumentId::from_bytes(platform::random_bytes::<16>());
        let shots = form.draft.photos.clone();
        let command = DrawingCommand::Create {
            draft: Box::new(form.draft),
            guardian,
            consent_at,
            by: session.person.clone(),
            by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
        };
        match app.send(id, command) {
            Ok(saving) => {
                problems.set(Vec::new());
                app.clear_draft(DRAFT_KEY);
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => {
                            app.attach_photos(id, shots);
                            app.notice.set(Some(Notice::Saved));
                        }
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
                app.go(Route::Drawing(id));
            }
            Err(ModelError::Input(InputError::Drawing(e))) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || {
        problems.with(|p| {
            p.iter()
                .map(|e| e.text(lang.get() == crate::i18n::Lang::Zh))
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let invalid =
        move |g: fn(&DrawingError) -> bool| move || problems.with(|p| p.iter().any(g)).to_string();
    let guardian_now = start.guardian.clone();
    view! {
        <main class="page drawing-form">
            <a href=Route::Drawings.hash() class="back">{move || lang.get().t("‹ 孩子们的画", "‹ Children's drawings")}</a>
            <h2>{move || if staff { lang.get().t("登记一幅画（纸质同意书）", "Register a drawing (paper consent)") } else { lang.get().t("提交孩子的画", "Submit your child's drawing") }}</h2>
            <p class="hint">{move || lang.get().t(
                "只写孩子的小名或名字和年龄，不写姓名全称、学号或电话。",
                "Give only the child's first name or nickname and age: no full name, student number or phone.")}</p>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <PhotoPicker photos id="dr-photo" max=1/>
                <div class="field">
                    <label for="dr-nick">{move || lang.get().t("孩子的小名（最多6个字）", "The child's nickname (up to 6 characters)")}</label>
                    <input id="dr-nick" data-testid="drawing-nickname" maxlength=NICKNAME_MAX.to_string() prop:value=move || f.get().draft.nickname
                        aria-invalid=invalid(|e| matches!(e, DrawingError::NicknameEmpty | DrawingError::NicknameTooLong { .. } | DrawingError::NicknameDigits))
                        aria-describedby="dr-err"
                        on:input=set(|d, v| d.draft.nickname = v)/>
                </div>
                <div class="field">
                    <label for="dr-age">{move || lang.get().t("年龄（3–17岁）", "Age (3–17)")}</label>
                    <input id="dr-age" data-testid="drawing-age" inputmode="numeric" prop:value=move || f.get().draft.age
                        aria-invalid=invalid(|e| matches!(e, DrawingError::BadAge)) aria-describedby="dr-err"
                        on:input=set(|d, v| d.draft.age = v)/>
                </div>
                <div class="field">
                    <label for="dr-proposes">{move || lang.get().t("这幅画想改变什么（会公开展示）", "What the drawing would change (shown publicly)")}</label>
                    <textarea id="dr-proposes" data-testid="drawing-proposes-input" rows="3" maxlength=PROPOSES_MAX.to_string() prop:value=move || f.get().draft.proposes
                        aria-invalid=invalid(|e| matches!(e, DrawingError::ProposesEmpty | DrawingError::PersonalData { .. })) aria-describedby="dr-err"
                        on:input=set(|d, v| d.draft.proposes = v)></textarea>
                </div>
                <div class="field">
                    <label for="dr-title">{move || lang.get().t("画的名字（可不填）", "The drawing's title (optional)")}</label>
                    <input id="dr-title" maxlength=TITLE_MAX.to_string() prop:value=move || f.get().draft.title on:input=set(|d, v| d.draft.title = v)/>
                </div>
                <div class="field">
                    <label for="dr-place">{move || lang.get().t("画的是哪里（楼栋或场地，可不填）", "Which place (a building or spot, optional)")}</label>
                    <input id="dr-place" maxlength=PLACE_MAX.to_string() prop:value=move || f.get().draft.place on:input=set(|d, v| d.draft.place = v)/>
                </div>
                <div class="field">
                    <label for="dr-school">{move || lang.get().t("学校或班级（可不填）", "School or class (optional)")}</label>
                    <input id="dr-school" maxlength=SCHOOL_MAX.to_string() prop:value=move || f.get().draft.school on:input=set(|d, v| d.draft.school = v)/>
                </div>
                {staff.then(|| view! {
                    <div class="field">
                        <label for="dr-guardian">{move || lang.get().t("监护人（从居民档案中选择）", "Guardian (from the residents' records)")}</label>
                        <select id="dr-guardian" data-testid="drawing-guardian"
                            aria-invalid=invalid(|e| matches!(e, DrawingError::GuardianMissing)) aria-describedby="dr-err"
                            on:change=set(|d, v| d.guardian = v)>
                            <option value="">{move || lang.get().t("选择监护人", "Choose the guardian")}</option>
                            {people.into_iter().map(|(_, p)| {
                                let sel = p.id == guardian_now;
                                view! { <option value=p.id.clone() selected=sel>{format!("{} {}", p.name, p.flat)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="dr-paper">{move || lang.get().t("纸质同意书签署日期", "Date of the paper consent")}</label>
                        <input id="dr-paper" type="date" data-testid="drawing-paper-date" prop:value=move || f.get().paper_date
                            aria-invalid=invalid(|e| matches!(e, DrawingError::GuardianMissing)) aria-describedby="dr-err"
                            on:input=set(|d, v| d.paper_date = v)/>
                    </div>
                })}
                <fieldset class="consents">
                    <legend>{move || if staff { lang.get().t("纸质同意书上监护人的选择", "What the guardian chose on the paper form") } else { lang.get().t("监护人同意", "The guardian's consent") }}</legend>
                    <label class="check">
                        <input type="checkbox" data-testid="drawing-consent-keep" prop:checked=move || f.get().draft.consent_keep
                            aria-invalid=invalid(|e| matches!(e, DrawingError::ConsentMissing)) aria-describedby="dr-err"
                            on:change=move |ev| { let c = event_target_checked(&ev); f.update(|d| d.draft.consent_keep = c); }/>
                        {move || lang.get().t("我是孩子的监护人，同意社区保存这幅画（必选）", "I am the child's guardian and agree the community keeps this drawing (required)")}
                    </label>
                    <label class="check">
                        <input type="checkbox" data-testid="drawing-consent-publish" prop:checked=move || f.get().draft.consent_publish
                            on:change=move |ev| { let c = event_target_checked(&ev); f.update(|d| d.draft.consent_publish = c); }/>
                        {move || lang.get().t("同意在社区内公开展示（只显示小名和年龄，可随时撤回）", "I agree it may be shown in the community (nickname and age only; can be withdrawn any time)")}
                    </label>
                </fieldset>
                <p id="dr-err" class="field-error" role="alert" data-testid="drawing-error">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-drawing">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </main>
    }
}
