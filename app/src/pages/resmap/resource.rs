//! `#/resource/<id>`: one resource: what and where it is, when it is open, who offers it (a
//! talent: the person's name and how she consented, never a flat or a phone), and the
//! documents where it is used, each a link. Its person (or staff, at her word) withdraws a
//! talent here, offline too.

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::resource::{Consent, ResourceCommand, ResourceType};
use linli_shared::ids::DocumentId;

use super::{doc_link, grid_name, is_staff, me};
use crate::i18n::Lang;
use crate::state::{App, Notice, Route};

#[component]
pub fn ResourcePage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let res = Memo::new(move |_| {
        app.version.get();
        app.summary(&id, |s| match s {
            Summary::Resource(r) => Some(r.clone()),
            _ => None,
        })
        .flatten()
    });
    let withdraw = move || {
        let by = me(&app);
        match app.send(id, ResourceCommand::Withdraw { by }) {
            Ok(saving) => {
                leptos::task::spawn_local(async move {
                    match saving.done().await {
                        Ok(()) => app.notice.set(Some(Notice::Saved)),
                        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                    }
                });
            }
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    view! {
        <main class="page resource">
            <a href=Route::ResourceMap.hash() class="back">{move || lang.get().t("‹ 社区资源地图", "‹ Resource map")}</a>
            {move || match res.get() {
                None => view! { <p class="empty" data-testid="resource-missing">{lang.get().t(
                    "本机没有这项资源（可能已撤回）。", "This phone does not hold this resource (it may have been withdrawn).")}</p> }.into_any(),
                Some(r) => {
                    let l = lang.get();
                    let mine = r.subject == me(&app);
                    let may_edit = is_staff(&app) && r.withdrawn_at.is_none();
                    let may_withdraw = r.rtype == ResourceType::Talent && r.withdrawn_at.is_none() && (mine || is_staff(&app));
                    let place = if r.building.is_empty() { grid_name(l, &r.grid) } else { format!("{} · {}", r.building, grid_name(l, &r.grid)) };
                    let consent = match (r.consent, l) {
                        (Some(Consent::Own), Lang::Zh) => "本人自愿登记".to_string(),
                        (Some(Consent::Own), Lang::En) => "Offered by the person herself".to_string(),
                        (Some(Consent::Paper), Lang::Zh) => format!("本人书面同意（{}）", r.consent_date),
                        (Some(Consent::Paper), Lang::En) => format!("Written consent of the person ({})", r.consent_date),
                        (None, _) => String::new(),
                    };
                    let links: Vec<AnyView> = r.links.iter().map(|id| match doc_link(&app, id) {
                        Some((route, title, (zh, en))) => view! {
                            <li><a href=route.hash() data-testid="resource-used-link">{title}</a>" "<span class="meta">{l.t(zh, en)}</span></li>
                        }.into_any(),
                        None => view! { <li class="muted">{l.t("（本机没有这份文档）", "(not on this phone)")}</li> }.into_any(),
                    }).collect();
                    view! {
                        <h1 data-testid="resource-name">{r.name.clone()}</h1>
                        <p class="meta"><span class="badge">{l.resource_type(r.rtype)}</span>" "{place}</p>
                        {r.withdrawn_at.map(|_| view! { <p class="notice" role="status" data-testid="resource-withdrawn">{l.t(
                            "已撤回：邻居们不再看得到。", "Withdrawn: neighbours no longer see it.")}</p> })}
                        {(r.rtype == ResourceType::Talent && !r.person_name.is_empty()).then(|| view! {
                            <p data-testid="resource-person">{l.t("社区达人：", "Offered by: ")}{r.person_name.clone()}
                                " "<span class="meta">{consent.clone()}</span></p>
                        })}
                        {(!r.description.is_empty()).then(|| view! { <p class="body">{r.description.clone()}</p> })}
                        <dl class="facts">
                            {(!r.hours.is_empty()).then(|| view! { <dt>{l.t("开放时间", "Hours")}</dt><dd>{r.hours.clone()}</dd> })}
                            {(!r.capacity.is_empty()).then(|| view! { <dt>{l.t("容量", "Capacity")}</dt><dd>{r.capacity.clone()}</dd> })}
                        </dl>
                        {(r.rtype == ResourceType::Talent).then(|| view! { <p class="hint">{l.t(
                            "想请达人帮忙？请联系社区工作者转达，我们不公开居民的门牌和电话。",
                            "Want their help? Ask community staff to pass it on: we never publish residents' flats or phones.")}</p> })}
                        <h2>{l.t("用在哪里", "Where it is used")}</h2>
                        {if links.is_empty() {
                            view! { <p class="empty">{l.t("还没有关联活动、工程、组织或培训。", "Not linked to any event, works, group or training yet.")}</p> }.into_any()
                        } else {
                            view! { <ul class="links">{links}</ul> }.into_any()
                        }}
                        {may_edit.then(|| view! {
                            <a class="button" href=Route::EditResource(id).hash() data-testid="resource-edit">{l.t("编辑", "Edit")}</a>
                        })}
                        {may_withdraw.then(|| view! {
                            <button type="button" class="danger" data-testid="resource-withdraw" on:click=move |_| withdraw()>
                                {if mine { l.t("撤回我的这项本领", "Withdraw my offer") } else { l.t("撤回（本人要求）", "Withdraw (at the person's request)") }}
                            </button>
                            <p class="hint">{l.t("撤回后邻居就看不到了，断网时也能撤回。", "Once withdrawn, neighbours no longer see it; works offline too.")}</p>
                        })}
                    }.into_any()
                }
            }}
        </main>
    }
}
