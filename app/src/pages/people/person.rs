//! One person: their facts, their phones (rename, revoke, a new invite), their consents, and
//! erasure.

use leptos::prelude::*;
use linli_shared::api::{DeviceRow, InviteReply, LabelBody, PersonRow, paths};
use linli_shared::domain::people::PersonSummary;
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use super::consents::Consents;
use super::list::InviteCard;
use super::{api_error, name_of, role_name};
use crate::data;
use crate::platform::{self, http::HttpError};
use crate::state::{App, Notice, Route};

#[component]
pub fn PersonPage(id: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // Renaming or revoking a phone reloads the list of phones, not the person: the forms
    // drawn from the person's row below would be made anew, losing an unsaved seat, area or
    // consent.
    let reload = RwSignal::new(0u32);
    let person_id = id.clone();
    let row = LocalResource::new(move || {
        let pid = person_id.clone();
        async move {
            let list = app
                .api::<Vec<PersonRow>>("GET", paths::PEOPLE, None)
                .await?;
            Ok::<_, HttpError>(list.into_iter().find(|p| p.id == pid))
        }
    });
    let person_id = id.clone();
    let devices = LocalResource::new(move || {
        reload.track();
        let pid = person_id.clone();
        async move {
            app.api::<Vec<DeviceRow>>("GET", &paths::person_devices(&pid), None)
                .await
        }
    });
    let invite = RwSignal::new(None::<InviteReply>);
    let error = RwSignal::new(None::<String>);
    let confirm_erase = RwSignal::new(false);
    let pid = id.clone();
    let new_phone = move |_| {
        let pid = pid.clone();
        leptos::task::spawn_local(async move {
            match app
                .api::<InviteReply>("POST", &paths::person_invites(&pid), None)
                .await
            {
                Ok(i) => invite.set(Some(i)),
                Err(e) => error.set(Some(api_error(lang.get_untracked(), &e))),
            }
        });
    };
    let revoke = move |device: String| {
        leptos::task::spawn_local(async move {
            match app
                .api::<serde_json::Value>("POST", &paths::device_revoke(&device), None)
                .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(api_error(lang.get_untracked(), &e))),
            }
        });
    };
    let pid = id.clone();
    let erase = move |_| {
        let pid = pid.clone();
        leptos::task::spawn_local(async move {
            match app
                .api::<serde_json::Value>("POST", &paths::person_erase(&pid), None)
                .await
            {
                Ok(_) => {
                    app.notice.set(Some(Notice::Error(
                        lang.get_untracked()
                            .t("已删除此人的个人资料。", "This person's data was erased.")
                            .into(),
                    )));
                    app.go(Route::People);
                }
                Err(e) => error.set(Some(api_error(lang.get_untracked(), &e))),
            }
        });
    };
    view! {
        <main class="page person">
            <a href=Route::People.hash() class="back">{move || lang.get().t("‹ 社区成员", "‹ People")}</a>
            <Suspense fallback=|| ()>
                // Only the relay's answer rebuilds this part: the name is read in its own
                // closure, so a change to the person's document (a consent recorded here or
                // on another phone) does not dispose the forms below while they are in use.
                {move || row.get().map(|r| match r {
                    Ok(Some(p)) => {
                        let row = p.clone();
                        let name = move || name_of(&app, &row);
                        let doc = p.person_doc.as_deref().and_then(|d| DocumentId::parse(d).ok());
                        let role = p.role;
                        view! {
                            <h2>{name}</h2>
                            <p>{move || role_name(lang.get(), role)}</p>
                            // The forms edit the person's document: a phone still in its first
                            // sync may list the person before their record has arrived, and an
                            // edit then would be refused (`InputError::NotHeldYet`). They appear
                            // once it is here.
                            {doc.map(|d| {
                                let held = move || app.summary(&d, |_| ()).is_some();
                                let arriving = move || view! {
                                    <p class="muted" role="status" data-testid="record-arriving">
                                        {move || lang.get().t("此人的记录正在同步到本手机，稍候即可查看和编辑。", "This person's record is still arriving on this phone: it can be seen and edited in a moment.")}
                                    </p>
                                };
                                view! {
                                    <Show when=held fallback=arriving>
                                        <PersonFacts doc=d/>
                                        <SeatForm doc=d/>
                                        {(role == Role::Resident).then(|| view! { <AreaForm doc=d/> <Consents doc=d/> })}
                                    </Show>
                                }
                            })}
                        }.into_any()
                    }
                    Ok(None) => view! { <p>{move || lang.get().t("没有这个人。", "No such person.")}</p> }.into_any(),
                    Err(e) => view! { <p class="field-error" role="alert">{api_error(lang.get(), &e)}</p> }.into_any(),
                })}
            </Suspense>
            <section class="card">
                <h3>{move || lang.get().t("设备", "Devices")}</h3>
                <Suspense fallback=|| ()>
                    {move || devices.get().map(|d| match d {
                        Ok(list) => view! {
                            <ul class="rows" data-testid="devices">
                                {list.into_iter().map(|d| {
                                    let id = d.id.clone();
                                    let revoked = d.revoked_at.is_some();
                                    view! {
                                        <li class="device">
                                            <DeviceName id=d.id.clone() label=d.label.clone() reload/>
                                            <span class="muted">{move || lang.get().time(d.created_at)}</span>
                                            <span>{move || if revoked { lang.get().t("已停用", "Revoked") } else if d.online { lang.get().t("在线", "Online") } else { "" }}</span>
                                            {(!revoked).then(|| view! {
                                                <button type="button" data-testid="revoke" on:click=move |_| revoke(id.clone())>
                                                    {move || lang.get().t("停用（手机丢了）", "Revoke (lost phone)")}
                                                </button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="field-error">{api_error(lang.get(), &e)}</p> }.into_any(),
                    })}
                </Suspense>
                <button type="button" on:click=new_phone>{move || lang.get().t("为新手机生成邀请码", "Invite code for a new phone")}</button>
                {move || invite.get().map(|i| view! { <InviteCard invite=i/> })}
            </section>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <section class="danger">
                <h3>{move || lang.get().t("删除个人资料", "Erase personal data")}</h3>
                <p>{move || lang.get().t(
                    "依据《个人信息保护法》删除此人的姓名、电话、住址等资料：从服务器和所有设备上删除，停用其设备；其诉求保留但匿名。",
                    "Under PIPL: deletes this person's name, phone, flat and other data from the relay and every device, and revokes their devices; their requests stay, anonymised.",
                )}</p>
                <Show when=move || confirm_erase.get() fallback=move || view! {
                    <button type="button" on:click=move |_| confirm_erase.set(true)>{move || lang.get().t("删除…", "Erase…")}</button>
                }>
                    <button type="button" class="danger" data-testid="erase" on:click=erase.clone()>{move || lang.get().t("确认删除，无法恢复", "Erase for good")}</button>
                    <button type="button" on:click=move |_| confirm_erase.set(false)>{move || lang.get().t("取消", "Cancel")}</button>
                </Show>
            </section>
        </main>
    }
}

/// A device's name, which staff (or its person) can change: "奶奶的手机" says more than a
/// browser's user agent.
#[component]
fn DeviceName(id: String, label: String, reload: RwSignal<u32>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let editing = RwSignal::new(false);
    let text = RwSignal::new(label.clone());
    let error = RwSignal::new(None::<String>);
    let input_id = format!("dev-name-{id}");
    let error_id = format!("dev-name-err-{id}");
    let save = move |device: String| {
        let label = text.get_untracked();
        leptos::task::spawn_local(async move {
            let path = paths::device_label(&device);
            match app
                .api::<serde_json::Value>(
                    "POST",
                    &path,
                    serde_json::to_value(LabelBody { label }).ok(),
                )
                .await
            {
                Ok(_) => {
                    editing.try_set(false);
                    reload.try_update(|n| *n += 1);
                }
                Err(e) => {
                    error.try_set(Some(api_error(lang.get_untracked(), &e)));
                    platform::focus_first_invalid();
                }
            }
        });
    };
    let shown = label.clone();
    let (input_for, err_for, err_ref) = (input_id.clone(), error_id.clone(), error_id.clone());
    view! {
        <Show when=move || editing.get() fallback=move || {
            let shown = shown.clone();
            view! {
                <span class="device-name">{shown}</span>
                <button type="button" class="secondary" on:click=move |_| editing.set(true)>
                    {move || lang.get().t("改名", "Rename")}
                </button>
            }
        }>
            <form class="rename" novalidate on:submit={
                let id = id.clone();
                move |ev| { ev.prevent_default(); save(id.clone()); }
            }>
                <label for=input_for.clone()>{move || lang.get().t("设备名称", "Device name")}</label>
                <input id=input_id.clone() maxlength="40" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby=err_ref.clone()/>
                <button type="submit" class="primary">{move || lang.get().t("保存", "Save")}</button>
                <p id=err_for.clone() class="field-error" role="alert">{move || error.get()}</p>
            </form>
        </Show>
    }
}

#[component]
fn PersonFacts(doc: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let person = Memo::new(move |_| {
        app.summary(&doc, |s| match s {
            linli_shared::domain::Summary::Person(PersonSummary { person, .. }) => {
                Some(person.clone())
            }
            _ => None,
        })
        .flatten()
    });
    view! {
        {move || person.get().map(|p| {
            let phone = p.phone.clone();
            view! {
                <dl class="facts">
                    <dt>{move || lang.get().t("电话", "Phone")}</dt>
                    <dd><a href=format!("tel:{}", phone.replace(' ', ""))>{p.phone.clone()}</a></dd>
                    <dt>{move || lang.get().t("住址", "Flat")}</dt>
                    <dd>{p.flat.clone()}</dd>
                    <dt>{move || lang.get().t("网格", "Grid")}</dt>
                    <dd>{data::community(&app).map(|c| c.grid_name(&p.grid)).unwrap_or_else(|| p.grid.clone())}</dd>
                    {p.birth_year.map(|y| view! { <dt>{move || lang.get().t("出生年份", "Born")}</dt><dd>{y}</dd> })}
                    {p.lives_alone.then(|| view! { <dt>{move || lang.get().t("独居", "Lives alone")}</dt><dd>"✓"</dd> })}
                </dl>
            }
        })}
    }
}

/// The person's seat at the four-party talks (the party they represent and their title
/// there): staff give it, change it or take it away; the relay reads it into the person's
/// rights at once, on their connected phones too.
#[component]
fn SeatForm(doc: DocumentId) -> impl IntoView {
    use linli_shared::domain::people::{PARTY_TITLE_MAX, PersonCommand, Seat};
    use linli_shared::policy::Party;
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(doc);
    let current = Memo::new(move |_| {
        app.summary(&doc, |s| match s {
            linli_shared::domain::Summary::Person(p) => p.seat.clone(),
            _ => None,
        })
        .flatten()
    });
    let party = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let dirty = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // The form starts from the record (and follows it while nobody has typed).
    Effect::new(move |_| {
        let seat = current.get();
        if dirty.get_untracked() {
            return;
        }
        party.set(
            seat.as_ref()
                .map(|s| s.party.as_str().to_string())
                .unwrap_or_default(),
        );
        title.set(seat.map(|s| s.title).unwrap_or_default());
    });
    let save = move || {
        let l = lang.get_untracked();
        let t = title.get_untracked().trim().to_string();
        if t.chars().count() > PARTY_TITLE_MAX {
            error.set(Some(match l {
                crate::i18n::Lang::Zh => format!("职务最多 {PARTY_TITLE_MAX} 字"),
                crate::i18n::Lang::En => format!("The title: at most {PARTY_TITLE_MAX} characters"),
            }));
            return;
        }
        let seat = Party::parse(&party.get_untracked()).map(|p| Seat { party: p, title: t });
        match app.send(doc, PersonCommand::SetSeat { seat }) {
            Ok(saving) => {
                error.set(None);
                dirty.set(false);
                say_saved(saving, saved, error);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <section class="card" aria-labelledby="seat-h">
            <h3 id="seat-h">{move || lang.get().t("四方会谈席位", "Seat at the four-party talks")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); save(); } data-testid="seat-form">
                <div class="field">
                    <label for="seat-party">{move || lang.get().t("代表哪一方", "Represents")}</label>
                    <select id="seat-party" prop:value=move || party.get() on:change=move |ev| { saved.set(false); dirty.set(true); party.set(event_target_value(&ev)); }>
                        <option value="">{move || lang.get().t("不代表任何一方", "No party")}</option>
                        {Party::ALL.into_iter().map(|p| view! {
                            <option value=p.as_str()>{move || crate::pages::talks::side_name(lang.get(), linli_shared::domain::talks::Side::Party(p))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || !party.get().is_empty()>
                    <div class="field">
                        <label for="seat-title">{move || lang.get().t("职务（如 业委会主任）", "Title (e.g. owners' committee chair)")}</label>
                        <input id="seat-title" prop:value=move || title.get() on:input=move |ev| { saved.set(false); dirty.set(true); title.set(event_target_value(&ev)); } maxlength="30"/>
                    </div>
                </Show>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <p class="muted" role="status">{move || saved.get().then(|| lang.get().t("已保存，同步后生效。", "Saved; it takes effect once synced."))}</p>
                <button type="submit" class="primary" data-testid="seat-save">{move || lang.get().t("保存席位", "Save the seat")}</button>
            </form>
        </section>
    }
}

/// The exclusive floor area of the person's flat 专有面积, which owners' votes take their roll
/// from (art. 278 counts area as well as owners): staff record it from the property register.
#[component]
fn AreaForm(doc: DocumentId) -> impl IntoView {
    use linli_shared::domain::people::{AREA_MAX, PersonCommand, area_text, parse_area};
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(doc);
    let current = Memo::new(move |_| {
        app.summary(&doc, |s| match s {
            linli_shared::domain::Summary::Person(p) => p.area,
            _ => None,
        })
        .flatten()
    });
    let typed = RwSignal::new(String::new());
    let dirty = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let a = current.get();
        if !dirty.get_untracked() {
            typed.set(a.map(area_text).unwrap_or_default());
        }
    });
    let save = move || {
        let l = lang.get_untracked();
        let text = typed.get_untracked();
        let area = if text.trim().is_empty() {
            None
        } else {
            match parse_area(&text) {
                Some(a) => Some(a),
                None => {
                    error.set(Some(match l {
                        crate::i18n::Lang::Zh => format!(
                            "面积应为平方米数，大于 0、不超过 {}，最多两位小数，如 89.5",
                            AREA_MAX / 100
                        ),
                        crate::i18n::Lang::En => format!(
                            "The area is in m², above 0 and at most {}, with at most two decimals, e.g. 89.5",
                            AREA_MAX / 100
                        ),
                    }));
                    platform::focus_first_invalid();
                    return;
                }
            }
        };
        match app.send(doc, PersonCommand::SetArea { area }) {
            Ok(saving) => {
                error.set(None);
                dirty.set(false);
                say_saved(saving, saved, error);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <section class="card" aria-labelledby="area-h">
            <h3 id="area-h">{move || lang.get().t("房屋专有面积", "Floor area of the flat")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); save(); } data-testid="area-form">
                <div class="field">
                    <label for="person-area">{move || lang.get().t("专有面积（平方米，业主表决按此计票）", "Exclusive floor area (m², counted in owners' votes)")}</label>
                    <input id="person-area" inputmode="decimal" aria-describedby="person-area-error"
                        aria-invalid=move || error.with(Option::is_some).to_string()
                        prop:value=move || typed.get()
                        on:input=move |ev| { saved.set(false); dirty.set(true); typed.set(event_target_value(&ev)); }/>
                </div>
                <p id="person-area-error" class="field-error" role="alert">{move || error.get()}</p>
                <p class="muted" role="status">{move || saved.get().then(|| lang.get().t("已保存，同步后生效。", "Saved; it takes effect once synced."))}</p>
                <button type="submit" data-testid="area-save">{move || lang.get().t("保存面积", "Save the area")}</button>
            </form>
        </section>
    }
}

/// "Saved" only once the phone's storage holds the edit (a reload then keeps it).
fn say_saved(saving: crate::state::Saving, saved: RwSignal<bool>, error: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        match saving.done().await {
            Ok(()) => saved.set(true),
            Err(e) => error.set(Some(e.to_string())),
        }
    });
}
