//! Staff: the people of the community (from the relay's records and their person documents),
//! inviting someone new (a code to read out and a QR code to scan), a person's devices (revoke
//! a lost phone), the consents they gave, and erasure. Needs a connection: only the relay can
//! enrol, revoke or erase.

use leptos::prelude::*;
use linli_shared::domain::people::ConsentMethod;
use linli_shared::domain::people::PersonSummary;
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use serde::Deserialize;
use serde_json::json;

use crate::data;
use crate::i18n::Lang;
use crate::platform::{self, http::HttpError};
use crate::state::{App, Notice, Route};
use crate::views::qr::Qr;

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct PersonRow {
    pub id: String,
    pub role: Role,
    pub household: Option<String>,
    pub grids: Vec<String>,
    pub person_doc: Option<String>,
    #[serde(default)]
    pub erased: bool,
    pub devices: usize,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct InviteReply {
    pub code: String,
    pub person: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
struct DeviceRow {
    id: String,
    label: String,
    created_at: i64,
    revoked_at: Option<i64>,
    online: bool,
}

pub fn role_name(l: Lang, r: Role) -> &'static str {
    match r {
        Role::Resident => l.t("居民", "Resident"),
        Role::Volunteer => l.t("志愿者", "Volunteer"),
        Role::GridWorker => l.t("网格员", "Grid worker"),
        Role::Staff => l.t("社区工作者", "Staff"),
    }
}

fn api_error(l: Lang, e: &HttpError) -> String {
    match e {
        HttpError::Network(_) => l
            .t("需要联网才能操作。", "This needs a connection.")
            .to_string(),
        HttpError::Status { message, .. } => message.clone(),
    }
}

/// The name of the person a relay record points at, from their document if this device has it.
fn name_of(app: &App, row: &PersonRow) -> String {
    let doc = row
        .person_doc
        .as_deref()
        .and_then(|d| DocumentId::parse(d).ok());
    doc.and_then(|d| {
        app.summary(&d, |s| match s {
            linli_shared::domain::Summary::Person(PersonSummary { person, .. }) => {
                Some(person.name.clone())
            }
            _ => None,
        })
        .flatten()
    })
    .unwrap_or_else(|| row.id.clone())
}

#[component]
pub fn InviteCard(invite: InviteReply) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let link = format!("{}/#/join/{}", platform::origin(), invite.code);
    let spaced = format!("{} {}", &invite.code[..4], &invite.code[4..]);
    view! {
        <section class="invite" aria-labelledby="invite-title" data-testid="invite">
            <h3 id="invite-title">{move || lang.get().t("邀请码", "Invite code")}</h3>
            <p class="code" data-testid="invite-code" aria-label=invite.code.clone()>{spaced}</p>
            <Qr text=link label=lang.get_untracked().t("扫码加入的二维码", "QR code to join").to_string()/>
            <p class="hint">{move || {
                let l = lang.get();
                format!("{} {}", l.t("只能用一次，有效期至", "Works once, until"), l.time(invite.expires_at))
            }}</p>
        </section>
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let reload = RwSignal::new(0u32);
    let rows = LocalResource::new(move || {
        reload.track();
        async move { app.api::<Vec<PersonRow>>("GET", "/api/people", None).await }
    });
    // Find someone among hundreds: by name (or flat), role and grid; sorted by name.
    let query = RwSignal::new(String::new());
    let role_filter = RwSignal::new(String::new());
    let grid_filter = RwSignal::new(String::new());
    let community = Memo::new(move |_| crate::data::community(&app));
    let shown = move |list: Vec<PersonRow>| {
        let q = query.get().trim().to_lowercase();
        let role = role_filter.get();
        let grid = grid_filter.get();
        let mut keep: Vec<(String, PersonRow)> = list
            .into_iter()
            .filter(|p| !p.erased)
            .filter(|p| role.is_empty() || p.role.as_str() == role)
            .filter(|p| grid.is_empty() || p.grids.contains(&grid))
            .map(|p| (name_of(&app, &p), p))
            .filter(|(n, p)| {
                q.is_empty()
                    || n.to_lowercase().contains(&q)
                    || p.household
                        .as_deref()
                        .is_some_and(|h| h.to_lowercase().contains(&q))
            })
            .collect();
        keep.sort_by(|(a, _), (b, _)| {
            let order = js_sys::JsString::from(a.as_str()).locale_compare(
                b,
                &js_sys::Array::of1(&"zh-CN".into()),
                &js_sys::Object::new(),
            );
            order.cmp(&0)
        });
        keep.into_iter().map(|(_, p)| p).collect::<Vec<_>>()
    };
    view! {
        <main class="page people">
            <h2>{move || lang.get().t("社区成员", "People")}</h2>
            <NewPerson on_done=move || reload.update(|n| *n += 1)/>
            <h3>{move || lang.get().t("已登记", "Enrolled")}</h3>
            <div class="filters people-filters" role="search">
                <label class="sr" for="people-q">{move || lang.get().t("按姓名或房号查找", "Find by name or flat")}</label>
                <input id="people-q" type="search" data-testid="people-search"
                    placeholder=move || lang.get().t("姓名或房号", "Name or flat")
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <label class="sr" for="people-role">{move || lang.get().t("身份", "Role")}</label>
                <select id="people-role" on:change=move |ev| role_filter.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("所有身份", "All roles")}</option>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str()>{move || role_name(lang.get(), r)}</option>
                    }).collect_view()}
                </select>
                <label class="sr" for="people-grid">{move || lang.get().t("网格", "Grid")}</label>
                <select id="people-grid" on:change=move |ev| grid_filter.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("所有网格", "All grids")}</option>
                    {move || community.get().map(|c| c.grids).unwrap_or_default().into_iter().map(|g| view! {
                        <option value=g.id.clone()>{g.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <Suspense fallback=move || view! { <p class="loading">{move || lang.get().t("加载中…", "Loading…")}</p> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <p class="field-error" role="alert">{api_error(lang.get(), &e)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="rows" data-testid="people">
                            {shown(list).into_iter().map(|p| {
                                // Read in its own closure: a document arriving re-renders the
                                // name, not the whole list.
                                let row = p.clone();
                                let name = move || name_of(&app, &row);
                                let role = p.role;
                                let devices = p.devices;
                                view! {
                                    <li>
                                        <a href=Route::Person(p.id.clone()).hash() class="row-link">
                                            <strong>{name}</strong>
                                            <span>{move || role_name(lang.get(), role)}</span>
                                            <span class="muted">{move || match lang.get() {
                                                Lang::Zh => format!("{devices} 台设备"),
                                                Lang::En => format!("{devices} devices"),
                                            }}</span>
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn NewPerson(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let role = RwSignal::new("resident".to_string());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let flat = RwSignal::new(String::new());
    let grid = RwSignal::new(String::new());
    let birth = RwSignal::new(String::new());
    let alone = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let invite = RwSignal::new(None::<InviteReply>);
    let busy = RwSignal::new(false);
    let community = Memo::new(move |_| data::community(&app));
    let submit = move || {
        let l = lang.get_untracked();
        let n = name.get_untracked();
        if n.trim().is_empty() {
            error.set(Some(l.t("请填写姓名", "Please give a name").into()));
            return;
        }
        let r = role.get_untracked();
        let g = grid.get_untracked();
        if matches!(r.as_str(), "resident" | "volunteer" | "grid_worker") && g.is_empty() {
            error.set(Some(l.t("请选择网格", "Please choose a grid").into()));
            return;
        }
        let birth_year = birth.get_untracked().trim().parse::<i64>().ok();
        if !birth.get_untracked().trim().is_empty()
            && !birth_year.is_some_and(|y| (1900..=2030).contains(&y))
        {
            error.set(Some(
                l.t(
                    "出生年份应为四位数字，如 1954",
                    "Birth year: four digits, e.g. 1954",
                )
                .into(),
            ));
            return;
        }
        error.set(None);
        busy.set(true);
        let body = json!({
            "role": r,
            "name": n.trim(),
            "phone": phone.get_untracked(),
            "flat": flat.get_untracked(),
            "grid": if r == "grid_worker" { String::new() } else { g.clone() },
            "grids": if r == "grid_worker" { vec![g] } else { vec![] },
            "birth_year": birth_year,
            "lives_alone": alone.get_untracked(),
        });
        leptos::task::spawn_local(async move {
            match app
                .api::<InviteReply>("POST", "/api/invites", Some(body))
                .await
            {
                Ok(inv) => {
                    invite.set(Some(inv));
                    name.set(String::new());
                    phone.set(String::new());
                    flat.set(String::new());
                    birth.set(String::new());
                    alone.set(false);
                    on_done();
                }
                Err(e) => error.set(Some(api_error(lang.get_untracked(), &e))),
            }
            busy.set(false);
        });
    };
    let roles = [
        ("resident", "居民", "Resident"),
        ("volunteer", "志愿者", "Volunteer"),
        ("grid_worker", "网格员", "Grid worker"),
        ("staff", "社区工作者", "Staff"),
    ];
    view! {
        <details class="card new-person">
            <summary>{move || lang.get().t("邀请新成员", "Invite someone")}</summary>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="np-role">{move || lang.get().t("身份", "Role")}</label>
                    <select id="np-role" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                        {roles.into_iter().map(|(v, zh, en)| view! { <option value=v>{move || lang.get().t(zh, en)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="np-name">{move || lang.get().t("姓名", "Name")}</label>
                    <input id="np-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) maxlength="40"/>
                </div>
                <div class="field">
                    <label for="np-phone">{move || lang.get().t("电话", "Phone")}</label>
                    <input id="np-phone" type="tel" prop:value=move || phone.get() on:input=move |ev| phone.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="np-flat">{move || lang.get().t("住址（楼-单元-室）", "Flat (building-unit-room)")}</label>
                    <input id="np-flat" prop:value=move || flat.get() on:input=move |ev| flat.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="np-grid">{move || if role.get() == "grid_worker" { lang.get().t("负责网格", "Grid worked") } else { lang.get().t("所在网格", "Grid") }}</label>
                    <select id="np-grid" prop:value=move || grid.get() on:change=move |ev| grid.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                        {move || community.get().map(|c| c.grids).unwrap_or_default().into_iter().map(|g| view! { <option value=g.id.clone()>{g.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="np-birth">{move || lang.get().t("出生年份（可选）", "Birth year (optional)")}</label>
                    <input id="np-birth" inputmode="numeric" prop:value=move || birth.get() on:input=move |ev| birth.set(event_target_value(&ev))/>
                </div>
                <label for="np-alone" class="check">
                    <input id="np-alone" type="checkbox" prop:checked=move || alone.get() on:change=move |ev| alone.set(event_target_checked(&ev))/>
                    {move || lang.get().t("独居", "Lives alone")}
                </label>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>{move || lang.get().t("生成邀请码", "Make an invite code")}</button>
            </form>
            {move || invite.get().map(|i| view! { <InviteCard invite=i/> })}
        </details>
    }
}

#[component]
pub fn PersonPage(id: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let reload = RwSignal::new(0u32);
    let person_id = id.clone();
    let row = LocalResource::new(move || {
        reload.track();
        let pid = person_id.clone();
        async move {
            let list = app
                .api::<Vec<PersonRow>>("GET", "/api/people", None)
                .await?;
            Ok::<_, HttpError>(list.into_iter().find(|p| p.id == pid))
        }
    });
    let person_id = id.clone();
    let devices = LocalResource::new(move || {
        reload.track();
        let pid = person_id.clone();
        async move {
            app.api::<Vec<DeviceRow>>("GET", &format!("/api/people/{pid}/devices"), None)
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
                .api::<InviteReply>("POST", &format!("/api/people/{pid}/invites"), None)
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
                .api::<serde_json::Value>("POST", &format!("/api/devices/{device}/revoke"), None)
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
                .api::<serde_json::Value>("POST", &format!("/api/people/{pid}/erase"), None)
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
                            {doc.map(|d| view! { <PersonFacts doc=d/> })}
                            {doc.filter(|_| role == Role::Resident).map(|d| view! { <Consents doc=d/> })}
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
            let path = format!("/api/devices/{device}/label");
            match app
                .api::<serde_json::Value>("POST", &path, Some(json!({ "label": label })))
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
        app.api::<Vec<PersonRow>>("GET", "/api/people", None)
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
        let by = me();
        let now = app.now();
        if let Err(e) = app.change(doc, |d| {
            linli_shared::domain::people::withdraw_consent(d, &v, &by, now)
        }) {
            app.notice.set(Some(Notice::Error(e.to_string())));
        }
    };
    let grant = move || {
        let v = volunteer.get_untracked();
        if v.is_empty() {
            return;
        }
        let by = me();
        let now = app.now();
        let m = method.get_untracked();
        if let Err(e) = app.change(doc, |d| {
            linli_shared::domain::people::grant_consent(d, &v, &by, m, now)
        }) {
            app.notice.set(Some(Notice::Error(e.to_string())));
        }
        volunteer.try_set(String::new());
    };
    let name =
        move |person: &str| data::person_name(&app, person).unwrap_or_else(|| person.to_string());
    view! {
        <section class="card consents" aria-labelledby="consents-title">
            <h3 id="consents-title">{move || lang.get().t("代办授权", "Consents to act on their behalf")}</h3>
            <ul class="rows" data-testid="consents">
                {move || list.get().into_iter().map(|c| {
                    let v = c.volunteer.clone();
                    let active = c.active();
                    let who = name(&c.volunteer);
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
