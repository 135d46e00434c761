//! `#/resource-new`: staff record a space, a facility or a talent from a consent on paper
//! (its date, the person chosen from the records); a resident offers her own talent ("我有一技
//! 之长") with the consent box in plain words. What is typed is kept as a draft at every
//! keystroke, so a reload loses nothing; bad input is explained beside the form, every
//! character kept. Saved on the phone at once; it reaches the relay when there is a
//! connection.

use leptos::prelude::*;
use linli_shared::domain::resource::{
    CAPACITY_MAX, DESCRIPTION_MAX, HOURS_MAX, NAME_MAX, ResourceCommand, ResourceDraft,
    ResourceError, ResourceType,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;

use super::{grid_name, is_staff, me, plan_to_draw};
use crate::data;
use crate::platform;
use crate::state::{App, Notice, Route};

/// The form's draft key: one for a new resource, one per resource being edited.
fn draft_key(editing: Option<DocumentId>) -> String {
    match editing {
        Some(id) => format!("resource-edit-{id}"),
        None => "resource-new".into(),
    }
}

/// `editing`: staff's `#/resource-edit/<id>`, the same form filled with what the resource says
/// (its type, its person and the consent stay the record's; the relay refuses any change to
/// them).
#[component]
pub fn ResourceForm(#[prop(optional)] editing: Option<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let staff = is_staff(&app);
    let home_grid = data::me(&app).map(|p| p.grid).unwrap_or_default();
    let key = StoredValue::new(draft_key(editing));
    let recorded = editing.and_then(|id| {
        app.summary(&id, |s| match s {
            Summary::Resource(r) => Some(ResourceDraft::of(r)),
            _ => None,
        })
        .flatten()
    });
    if editing.is_some() && (recorded.is_none() || !staff) {
        return view! {
            <main class="page resource-form">
                <a href=Route::ResourceMap.hash() class="back">{move || lang.get().t("‹ 社区资源地图", "‹ Resource map")}</a>
                <p class="empty" data-testid="resource-missing">{move || lang.get().t(
                    "本机没有这项资源，或你不能编辑它。", "This phone does not hold this resource, or you may not edit it.")}</p>
            </main>
        }
        .into_any();
    }
    let start = app
        .draft(&key.get_value())
        .and_then(|j| serde_json::from_str::<ResourceDraft>(&j).ok())
        .or(recorded)
        .unwrap_or_else(|| ResourceDraft {
            rtype: (!staff).then_some(ResourceType::Talent),
            grid: home_grid.clone(),
            ..ResourceDraft::default()
        });
    let d = RwSignal::new(start);
    Effect::new(move |first: Option<()>| {
        let json = serde_json::to_string(&d.get()).unwrap_or_default();
        if first.is_some() {
            app.set_draft(&key.get_value(), &json);
        }
    });
    let problems = RwSignal::new(Vec::<InputError>::new());
    let set = move |f: fn(&mut ResourceDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            d.update(|d| f(d, v));
        }
    };
    let buildings = plan_to_draw(&app).0;
    let grid_of = StoredValue::new(
        buildings
            .iter()
            .map(|b| (b.name.clone(), b.grid.clone()))
            .collect::<Vec<_>>(),
    );
    let people: Vec<(String, String)> = if staff {
        let mut p: Vec<(String, String)> = app.each_summary(|_, s| match s {
            Summary::Person(p) => Some((p.person.id.clone(), p.person.name.clone())),
            _ => None,
        });
        p.sort_by(|a, b| a.1.cmp(&b.1));
        p
    } else {
        Vec::new()
    };
    let people = StoredValue::new(people);
    // Links a staff member may choose: events, works, groups and trainings on this phone.
    let linkable: Vec<(String, String, &'static str, &'static str)> = if staff {
        app.each_summary(|id, s| {
            let (t, zh, en) = match s {
                Summary::Event(e) => (e.title.clone(), "活动", "event"),
                Summary::Works(w) => (w.title.clone(), "工程", "works"),
                Summary::Group(g) => (g.group.name.clone(), "自治组织", "group"),
                Summary::Training(t) => (t.title.clone(), "培训", "training"),
                _ => return None,
            };
            Some((id.to_string(), t, zh, en))
        })
    } else {
        Vec::new()
    };
    // Saved on the phone (the draft goes), then the resource's page; the relay's answer
    // arrives as a notice.
    let save = move |id: DocumentId, command: ResourceCommand| match app.send(id, command) {
        Ok(saving) => {
            problems.set(Vec::new());
            app.clear_draft(&key.get_value());
            leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => app.notice.set(Some(Notice::Saved)),
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            });
            app.go(Route::Resource(id));
        }
        Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let mut draft = d.get_untracked();
        if let Some(id) = editing {
            let found: Vec<InputError> = draft
                .problems(&draft.person, app.now())
                .into_iter()
                .filter(|p| !matches!(p, InputError::Resource(ResourceError::NoPaperDate)))
                .collect();
            if !found.is_empty() {
                problems.set(found);
                platform::focus_first_invalid();
                return;
            }
            let command = ResourceCommand::Edit {
                draft: Box::new(draft),
                by: session.person.clone(),
            };
            save(id, command);
            return;
        }
        if !staff {
            draft.rtype = Some(ResourceType::Talent);
            draft.person = String::new();
        }
        if draft.rtype == Some(ResourceType::Talent) && draft.person.is_empty() {
            draft.person_name = String::new();
        }
        if draft.rtype != Some(ResourceType::Talent) {
            draft.person = String::new();
            draft.consent = false;
        }
        let found = draft.problems(&session.person, app.now());
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let id = DocumentId::from_bytes(platform::random_bytes::<16>());
        let command = ResourceCommand::Create {
            draft: Box::new(draft),
            by: session.person.clone(),
            by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
        };
        save(id, command);
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    let invalid =
        move |f: fn(&InputError) -> bool| move || problems.with(|p| p.iter().any(f)).to_string();
    let talent = move || d.with(|d| d.rtype == Some(ResourceType::Talent));
    let for_other = move || staff && talent() && d.with(|d| !d.person.is_empty());
    let me_id = me(&app);
    view! {
        <main class="page resource-form">
            <a href=Route::ResourceMap.hash() class="back">{move || lang.get().t("‹ 社区资源地图", "‹ Resource map")}</a>
            <h1>{move || if editing.is_some() { lang.get().t("编辑社区资源", "Edit a community resource") } else if staff { lang.get().t("登记社区资源", "Record a community resource") } else { lang.get().t("我有一技之长", "I have a skill to offer") }}</h1>
            <p class="hint">{move || if staff { lang.get().t(
                "全体居民都能看到空间和设施。社区达人只在本人同意时登记；不要写门牌和电话。",
                "Every resident sees spaces and facilities. A resident's talent only with their consent; never a flat or a phone number.")
            } else { lang.get().t(
                "会修电器、会教书画、懂健康知识？登记下来，邻居们需要时社区会联系你。你的门牌和电话不会显示，随时可以撤回。",
                "Can you fix appliances, teach painting, give health advice? Record it and the community will contact you when a neighbour needs it. Your flat and phone are never shown; you can withdraw at any time.") }}</p>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                {(staff && editing.is_none()).then(|| view! {
                    <div class="field">
                        <label for="rf-type">{move || lang.get().t("类型", "Type")}</label>
                        <select id="rf-type" data-testid="resource-type-input"
                            aria-invalid=invalid(|e| matches!(e, InputError::Resource(ResourceError::TypeMissing)))
                            aria-describedby="rf-err"
                            on:change=set(|d, v| d.rtype = ResourceType::parse(&v))>
                            <option value="" selected=move || d.with(|d| d.rtype.is_none())>{move || lang.get().t("请选择", "Choose one")}</option>
                            {ResourceType::ALL.into_iter().map(|t| view! {
                                <option value=t.as_str() selected=move || d.with(|d| d.rtype == Some(t))>{move || lang.get().resource_type(t)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="rf-name">{move || if talent() { lang.get().t("本领（如：书画教学、家电维修）", "The skill (e.g. painting lessons, appliance repair)") } else { lang.get().t("名称", "Name") }}</label>
                    <input id="rf-name" maxlength=NAME_MAX.to_string() data-testid="resource-name-input"
                        prop:value=move || d.with(|d| d.name.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. }))
                        aria-describedby="rf-err"
                        on:input=set(|d, v| d.name = v)/>
                </div>
                <div class="field">
                    <label for="rf-desc">{move || lang.get().t("介绍（可不填）", "About it (optional)")}</label>
                    <textarea id="rf-desc" rows="3" maxlength=DESCRIPTION_MAX.to_string() data-testid="resource-description-input"
                        prop:value=move || d.with(|d| d.description.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::DescriptionTooLong { .. } | InputError::PersonalData { .. }))
                        aria-describedby="rf-err"
                        on:input=set(|d, v| d.description = v)></textarea>
                </div>
                <div class="field">
                    <label for="rf-building">{move || lang.get().t("在哪栋楼", "Which building")}</label>
                    <select id="rf-building" data-testid="resource-building-input"
                        aria-invalid=invalid(|e| matches!(e, InputError::GridMissing))
                        aria-describedby="rf-err"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let g = grid_of.with_value(|gs| gs.iter().find(|(b, _)| *b == v).map(|(_, g)| g.clone()));
                            d.update(|d| {
                                d.building = v;
                                if let Some(g) = g { d.grid = g; }
                            });
                        }>
                        <option value="" selected=move || d.with(|d| d.building.is_empty())>{move || lang.get().t("不在某栋楼（只选网格）", "Not at one building")}</option>
                        {buildings.iter().map(|b| {
                            let name = b.name.clone();
                            let n2 = name.clone();
                            let label = move || format!("{} · {}", n2, grid_name(lang.get(), &grid_of.with_value(|gs| gs.iter().find(|(x, _)| *x == n2).map(|(_, g)| g.clone()).unwrap_or_default())));
                            view! { <option value=name.clone() selected=move || d.with(|d| d.building == name)>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="rf-hours">{move || if talent() { lang.get().t("什么时候方便（可不填）", "When you are available (optional)") } else { lang.get().t("开放时间（可不填）", "Opening hours (optional)") }}</label>
                    <input id="rf-hours" maxlength=HOURS_MAX.to_string() data-testid="resource-hours-input"
                        prop:value=move || d.with(|d| d.hours.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::TextTooLong { .. }))
                        aria-describedby="rf-err"
                        on:input=set(|d, v| d.hours = v)/>
                </div>
                <Show when=move || !talent()>
                    <div class="field">
                        <label for="rf-capacity">{move || lang.get().t("容量（可不填，如：30人）", "Capacity (optional, e.g. 30 people)")}</label>
                        <input id="rf-capacity" maxlength=CAPACITY_MAX.to_string()
                            prop:value=move || d.with(|d| d.capacity.clone())
                            aria-describedby="rf-err"
                            on:input=set(|d, v| d.capacity = v)/>
                    </div>
                </Show>
                {(staff && editing.is_none()).then(|| view! {
                    <Show when=talent>
                        <div class="field">
                            <label for="rf-person">{move || lang.get().t("是谁的本领", "Whose skill")}</label>
                            <select id="rf-person" data-testid="resource-person-input"
                                aria-invalid=invalid(|e| matches!(e, InputError::Resource(ResourceError::NoPerson)))
                                aria-describedby="rf-err"
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    let name = people.with_value(|p| p.iter().find(|(id, _)| *id == v).map(|(_, n)| n.clone())).unwrap_or_default();
                                    d.update(|d| { d.person = v; d.person_name = name; });
                                }>
                                <option value="" selected=move || d.with(|d| d.person.is_empty())>{move || lang.get().t("我自己", "Myself")}</option>
                                {people.get_value().into_iter().filter(|(id, _)| *id != me_id).map(|(id, name)| {
                                    let sel = id.clone();
                                    view! { <option value=id selected=move || d.with(|d| d.person == sel)>{name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <Show when=for_other>
                            <div class="field">
                                <label for="rf-date">{move || lang.get().t("书面同意书的签署日期", "Date of the signed consent form")}</label>
                                <input id="rf-date" type="date" data-testid="resource-consent-date-input"
                                    prop:value=move || d.with(|d| d.consent_date.clone())
                                    aria-invalid=invalid(|e| matches!(e, InputError::Resource(ResourceError::NoPaperDate)))
                                    aria-describedby="rf-err"
                                    on:input=set(|d, v| d.consent_date = v)/>
                            </div>
                        </Show>
                    </Show>
                })}
                <Show when=move || talent() && editing.is_none()>
                    <div class="field check">
                        <input id="rf-consent" type="checkbox" data-testid="resource-consent-input"
                            prop:checked=move || d.with(|d| d.consent)
                            aria-invalid=invalid(|e| matches!(e, InputError::Resource(ResourceError::NoConsent)))
                            aria-describedby="rf-err"
                            on:change=move |ev| { let on = event_target_checked(&ev); d.update(|d| d.consent = on); }/>
                        <label for="rf-consent">{move || if for_other() { lang.get().t(
                            "我已看到本人签字的书面同意书：同意把名字和这项本领放在社区资源地图上。",
                            "I have seen the person's signed consent form: they agree to their name and this skill on the resource map.")
                        } else { lang.get().t(
                            "我同意：社区里的邻居可以在资源地图上看到我的名字和这项本领（不显示门牌和电话）。我随时可以撤回。",
                            "I agree: neighbours may see my name and this skill on the resource map (never my flat or phone). I can withdraw at any time.") }}</label>
                    </div>
                </Show>
                {(!linkable.is_empty()).then(|| view! {
                    <details class="field">
                        <summary>{move || lang.get().t("用在哪里（关联活动、工程、组织、培训）", "Where it is used (link events, works, groups, trainings)")}</summary>
                        <ul class="checks">
                            {linkable.into_iter().map(|(id, title, zh, en)| {
                                let id2 = id.clone();
                                let id3 = id.clone();
                                let input_id = format!("rf-link-{id}");
                                view! {
                                    <li class="check">
                                        <input type="checkbox" id=input_id.clone()
                                            prop:checked=move || d.with(|d| d.links.contains(&id2))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let id = id3.clone();
                                                d.update(|d| {
                                                    d.links.retain(|l| *l != id);
                                                    if on { d.links.push(id); }
                                                });
                                            }/>
                                        <label for=input_id>{title}" "<span class="meta">{move || lang.get().t(zh, en)}</span></label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                })}
                <p id="rf-err" class="field-error" role="alert" data-testid="resource-form-error">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-resource">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </main>
    }
    .into_any()
}
