//! One drawing: as its family and staff hold it (with staff's review controls and the
//! guardian's withdrawal), or as the gallery shows it to everyone else.

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::drawing::{Drawing, DrawingCommand, GalleryEntry, NOTE_MAX, Status};
use linli_shared::ids::DocumentId;

use super::DrawingPicture;
use super::{gallery, is_staff};
use crate::i18n::Lang;
use crate::state::{App, Notice, Route};

/// The works a drawing led to, linked when this phone holds it.
fn works_link(app: &App, l: Lang, works: &str) -> Option<AnyView> {
    let id = DocumentId::parse(works).ok()?;
    let title = crate::pages::works::works(app)
        .into_iter()
        .find(|(w, _)| *w == id)
        .map(|(_, w)| w.title)
        .unwrap_or_else(|| l.t("一项设施工程", "A facility work").to_string());
    Some(
        view! {
            <p class="works-link">
                {l.t("促成的工程：", "Led to the work: ")}
                <a href=Route::Work(id).hash() data-testid="drawing-works">{title}</a>
            </p>
        }
        .into_any(),
    )
}

fn age_text(l: Lang, age: i64) -> String {
    match l {
        Lang::Zh => format!("{age} 岁"),
        Lang::En => format!("age {age}"),
    }
}

/// What every drawing page shows: the photo, the child, what it proposes, where, the status.
fn shown_part(l: Lang, photo: Option<(String, DocumentId)>, e: GalleryEntry) -> impl IntoView {
    view! {
        <h2 data-testid="drawing-title">{if e.title.is_empty() { format!("{} · {}", e.nickname, age_text(l, e.age)) } else { format!("{} · {} {}", e.title, e.nickname, age_text(l, e.age)) }}</h2>
        <p><span class=format!("status drawing-{}", e.status.as_str()) data-testid="drawing-status">{l.drawing_status(e.status)}</span></p>
        {photo.map(|(h, doc)| view! { <DrawingPicture hash=h doc large=true/> })}
        <p class="description" data-testid="drawing-proposes">{e.proposes.clone()}</p>
        <dl class="facts">
            {(!e.school.is_empty()).then(|| view! { <dt>{l.t("学校 / 班级", "School / class")}</dt><dd>{e.school.clone()}</dd> })}
            {(!e.place.is_empty()).then(|| view! { <dt>{l.t("画的地方", "Place")}</dt><dd>{e.place.clone()}</dd> })}
        </dl>
    }
}

/// What the family's copy shows as the gallery would.
fn entry_of(d: &Drawing) -> GalleryEntry {
    GalleryEntry {
        key: String::new(),
        nickname: d.nickname.clone(),
        age: d.age,
        school: d.school.clone(),
        title: d.title.clone(),
        proposes: d.proposes.clone(),
        place: d.place.clone(),
        photo: d.photo.clone(),
        status: d.status,
        works: d.works.clone(),
        created_at: d.created_at,
    }
}

/// A drawing as the gallery shows it (everyone).
#[component]
pub fn ShownDrawingPage(key: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let entry = Memo::new(move |_| {
        gallery(&app).and_then(|(gid, g)| {
            g.entries
                .into_iter()
                .find(|e| e.key == key)
                .map(|e: GalleryEntry| (gid, e))
        })
    });
    move || {
        let l = lang.get();
        match entry.get() {
            None => view! { <main class="page"><a href=Route::Drawings.hash() class="back">{l.t("‹ 孩子们的画", "‹ Children's drawings")}</a><p class="empty">{l.t("这幅画没有公开展示，或还没有同步到本机。", "This drawing is not shown, or has not synced to this phone yet.")}</p></main> }.into_any(),
            Some((gid, e)) => view! {
                <main class="page drawing">
                    <a href=Route::Drawings.hash() class="back">{l.t("‹ 孩子们的画", "‹ Children's drawings")}</a>
                    {shown_part(l, e.photo.clone().map(|h| (h, gid)), e.clone())}
                    {works_link(&app, l, &e.works)}
                </main>
            }.into_any(),
        }
    }
}

/// A drawing as its family and staff hold it.
#[component]
pub fn DrawingPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let drawing = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Drawing(d) => Some(d.clone()),
            _ => None,
        })
        .flatten()
    });
    // The forms are outside the details' closure, which runs again whenever the drawing
    // changes: a form inside it was made anew each time (and, once the drawing led to a work,
    // whenever any document changed), losing what staff had chosen and typed.
    let here = Memo::new(move |_| drawing.with(Option::is_some));
    let staff = Memo::new(move |_| here.get() && is_staff(&app));
    let may_withdraw = Memo::new(move |_| {
        let me = app
            .session
            .with(|s| s.as_ref().map(|s| s.person.clone()))
            .unwrap_or_default();
        drawing.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.guardian == me && d.publish && d.withdrawn_at.is_none())
        })
    });
    let details = move || {
        let l = lang.get();
        match drawing.get() {
            None => view! { <p class="empty">{l.t("这幅画还没有同步到本机。", "This drawing has not synced to this phone yet.")}</p> }.into_any(),
            Some(d) => {
                let shown = if d.public() {
                    l.t("已在社区内公开展示（只显示小名和年龄）", "Shown in the community (nickname and age only)")
                } else if d.withdrawn_at.is_some() {
                    l.t("监护人已撤回展示", "The guardian withdrew it from display")
                } else if d.publish {
                    l.t("监护人同意展示，等待社区评审", "The guardian agreed to show it; awaiting review")
                } else {
                    l.t("不公开展示，只有社区工作者和家人能看到", "Not shown: only staff and the family see it")
                };
                view! {
                    {shown_part(l, d.photo.clone().map(|h| (h, id)), entry_of(&d))}
                    <p data-testid="drawing-shown">{shown}</p>
                    // In a closure of its own: the work's title is read from the whole index.
                    {let w = d.works.clone(); move || works_link(&app, lang.get(), &w)}
                    {(!d.review_note.is_empty()).then(|| view! { <p class="note"><strong>{l.t("社区评审意见：", "Staff's note: ")}</strong>{d.review_note.clone()}</p> })}
                    <dl class="facts">
                        <dt>{l.t("监护人", "Guardian")}</dt><dd>{d.guardian_name.clone()}</dd>
                        <dt>{l.t("同意保存", "Consent to keep")}</dt><dd>{l.time(d.consent_at)}</dd>
                        <dt>{l.t("登记", "Filed")}</dt><dd>{format!("{} · {}", l.time(d.created_at), d.collected_by_name)}</dd>
                    </dl>
                }.into_any()
            }
        }
    };
    view! {
        <main class=move || if here.get() { "page drawing" } else { "page" }>
            <a href=Route::Drawings.hash() class="back">{move || lang.get().t("‹ 孩子们的画", "‹ Children's drawings")}</a>
            {details}
            <Show when=move || may_withdraw.get()>
                <Withdraw id/>
            </Show>
            <Show when=move || staff.get()>
                {drawing.get_untracked().map(|d| view! { <Review id d drawing/> })}
            </Show>
        </main>
    }
}

/// The guardian withdraws the drawing from display (offline too; final).
#[component]
fn Withdraw(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let withdraw = move |_| match app.send(id, DrawingCommand::Withdraw) {
        Ok(saving) => leptos::task::spawn_local(async move {
            match saving.done().await {
                Ok(()) => app.notice.set(Some(Notice::Saved)),
                Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
            }
        }),
        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
    };
    view! {
        <section class="withdraw" aria-labelledby="dr-withdraw">
            <h3 id="dr-withdraw">{move || lang.get().t("撤回展示", "Withdraw from display")}</h3>
            <p class="hint">{move || lang.get().t("撤回后，这幅画不再向居民展示，且不能恢复；社区仍保存它用于评审。", "Once withdrawn, residents no longer see it, for good; staff keep it for the review.")}</p>
            <button type="button" class="danger" data-testid="drawing-withdraw" on:click=withdraw>
                {move || lang.get().t("撤回展示", "Withdraw from display")}
            </button>
        </section>
    }
}

/// Staff's review: status, the works it led to, a note, shown to residents. Made once, from
/// the drawing as it is then; what staff choose and type stays while documents arrive.
#[component]
fn Review(id: DocumentId, d: Drawing, drawing: Memo<Option<Drawing>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let status = RwSignal::new(d.status);
    let works = RwSignal::new(d.works.clone());
    let note = RwSignal::new(d.review_note.clone());
    // Whether the guardian agrees to show it follows the drawing (a withdrawal arriving).
    let may_show = Memo::new(move |_| {
        drawing.with(|d| {
            d.as_ref()
                .is_some_and(|d| d.publish && d.withdrawn_at.is_none())
        })
    });
    let shown =
        RwSignal::new(d.shown || (may_show.get_untracked() && d.status == Status::Collected));
    let problem = RwSignal::new(String::new());
    // The works it may link, as they arrive; the choice stays on screen as the list changes.
    let all_works = Memo::new(move |_| crate::pages::works::works(&app));
    let submit = move || {
        let command = DrawingCommand::Review {
            status: status.get_untracked(),
            works: works.get_untracked(),
            note: note.get_untracked(),
            shown: shown.get_untracked(),
        };
        match app.send(id, command) {
            Ok(saving) => {
                problem.set(String::new());
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => app.notice.set(Some(Notice::Saved)),
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
            }
            Err(linli_shared::domain::ModelError::Input(e)) => {
                problem.set(lang.get_untracked().input_error(&e))
            }
            Err(e) => problem.set(e.to_string()),
        }
    };
    view! {
        <form class="drawing-review" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3>{move || lang.get().t("社区评审", "Staff's review")}</h3>
            <label for="dr-rv-status">{move || lang.get().t("状态", "Status")}</label>
            <select id="dr-rv-status" data-testid="drawing-review-status" prop:value=move || status.get().as_str() on:change=move |ev| {
                if let Some(s) = Status::parse(&event_target_value(&ev)) { status.set(s); }
            }>
                {Status::ALL.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=s == d.status>{move || lang.get().drawing_status(s)}</option>
                }).collect_view()}
            </select>
            <label for="dr-rv-works">{move || lang.get().t("促成的设施工程（可不选）", "The facility work it led to (optional)")}</label>
            <select id="dr-rv-works" data-testid="drawing-review-works" prop:value=move || works.get() on:change=move |ev| works.set(event_target_value(&ev))>
                <option value="">{move || lang.get().t("无", "None")}</option>
                {move || all_works.get().into_iter().map(|(wid, w)| {
                    let v = wid.to_string();
                    // A property, set each time the list is drawn: the option chosen stays
                    // chosen wherever the list puts it.
                    let sel = works.with_untracked(|c| *c == v);
                    view! { <option value=v prop:selected=sel>{w.title}</option> }
                }).collect_view()}
            </select>
            <label for="dr-rv-note">{move || lang.get().t("评审意见（家人可见）", "Note (the family sees it)")}</label>
            <textarea id="dr-rv-note" rows="2" maxlength=NOTE_MAX.to_string() prop:value=move || note.get()
                aria-describedby="dr-rv-err"
                on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            <label class="check">
                <input type="checkbox" data-testid="drawing-review-shown" prop:checked=move || shown.get() disabled=move || !may_show.get()
                    on:change=move |ev| shown.set(event_target_checked(&ev))/>
                {move || if may_show.get() { lang.get().t("在社区内展示（只显示小名和年龄）", "Show in the community (nickname and age only)") } else { lang.get().t("监护人未同意展示，不能展示", "The guardian did not agree to show it: it cannot be shown") }}
            </label>
            <p id="dr-rv-err" class="field-error" role="alert">{move || problem.get()}</p>
            <button type="submit" class="primary" data-testid="drawing-review-save">{move || lang.get().t("保存评审", "Save the review")}</button>
        </form>
    }
}
