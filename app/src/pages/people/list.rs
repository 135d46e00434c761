//! The people of the community, and inviting someone new.

use leptos::prelude::*;
use linli_shared::api::{InviteReply, NewInvite, PersonRow, paths};
use linli_shared::policy::Role;

use super::{api_error, name_of, role_name};
use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Route};
use crate::widgets::qr::Qr;

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
        async move { app.api::<Vec<PersonRow>>("GET", paths::PEOPLE, None).await }
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
                <select id="people-role" prop:value=move || role_filter.get() on:change=move |ev| role_filter.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("所有身份", "All roles")}</option>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str()>{move || role_name(lang.get(), r)}</option>
                    }).collect_view()}
                </select>
                <label class="sr" for="people-grid">{move || lang.get().t("网格", "Grid")}</label>
                // The grid shown is the grid the list is filtered by, however often the
                // community's grids are drawn anew: the select's value is the signal's, and
                // each option drawn says whether it is the one chosen.
                <select id="people-grid" prop:value=move || grid_filter.get() on:change=move |ev| grid_filter.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("所有网格", "All grids")}</option>
                    {move || community.get().map(|c| c.grids).unwrap_or_default().into_iter().map(|g| {
                        let sel = grid_filter.with_untracked(|c| *c == g.id);
                        view! { <option value=g.id.clone() prop:selected=sel>{g.name.clone()}</option> }
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
    let party = RwSignal::new(String::new());
    let seat_title = RwSignal::new(String::new());
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
        let Some(role) = Role::parse(&r) else {
            return;
        };
        let worker = role == Role::GridWorker;
        let body = serde_json::to_value(NewInvite {
            role,
            name: n.trim().to_string(),
            phone: phone.get_untracked(),
            flat: flat.get_untracked(),
            birth_year,
            lives_alone: alone.get_untracked(),
            grid: if worker { String::new() } else { g.clone() },
            household: None,
            grids: if worker { vec![g] } else { vec![] },
            expires_in_days: None,
            seat: linli_shared::policy::Party::parse(&party.get_untracked()).map(|p| {
                linli_shared::domain::people::Seat {
                    party: p,
                    title: seat_title.get_untracked().trim().to_string(),
                }
            }),
        })
        .ok();
        leptos::task::spawn_local(async move {
            match app.api::<InviteReply>("POST", paths::INVITES, body).await {
                Ok(inv) => {
                    invite.set(Some(inv));
                    name.set(String::new());
                    phone.set(String::new());
                    flat.set(String::new());
                    birth.set(String::new());
                    alone.set(false);
                    party.set(String::new());
                    seat_title.set(String::new());
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
                <div class="field">
                    <label for="np-party">{move || lang.get().t("四方会谈代表（可选）", "Represents at the four-party talks (optional)")}</label>
                    <select id="np-party" prop:value=move || party.get() on:change=move |ev| party.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("不代表任何一方", "No party")}</option>
                        {linli_shared::policy::Party::ALL.into_iter().map(|p| view! {
                            <option value=p.as_str()>{move || crate::pages::talks::side_name(lang.get(), linli_shared::domain::talks::Side::Party(p))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || !party.get().is_empty()>
                    <div class="field">
                        <label for="np-seat-title">{move || lang.get().t("职务（如 业委会主任）", "Title (e.g. owners' committee chair)")}</label>
                        <input id="np-seat-title" prop:value=move || seat_title.get() on:input=move |ev| seat_title.set(event_target_value(&ev)) maxlength="30"/>
                    </div>
                </Show>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>{move || lang.get().t("生成邀请码", "Make an invite code")}</button>
            </form>
            {move || invite.get().map(|i| view! { <InviteCard invite=i/> })}
        </details>
    }
}
