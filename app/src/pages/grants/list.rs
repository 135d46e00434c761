//! Calls and proposals: the open call (its deadline on the relay's clock, its published
//! criteria), proposing to it (for oneself, or a volunteer for a consenting elder), every
//! proposal with its support and score, and the funded projects; staff open and close calls.

use leptos::prelude::*;
use linli_shared::domain::fund::parse_yuan;
use linli_shared::domain::grant_call::{CallCommand, CallDraft, default_criteria};
use linli_shared::domain::proposal::{ProposalCommand, ProposalDraft, Proposer};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::time::DAY;

use super::{calls, fund, money, name_or, proposals};
use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

fn new_id() -> DocumentId {
    DocumentId::from_bytes(platform::random_bytes::<16>())
}

#[component]
pub fn GrantsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let staff = move || {
        app.session
            .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
    };
    let all_calls = Memo::new(move |_| calls(&app));
    let all = Memo::new(move |_| proposals(&app));
    let f = Memo::new(move |_| fund(&app));
    let open = Memo::new(move |_| {
        app.clock.track();
        all_calls
            .get()
            .into_iter()
            .find(|(_, c)| c.is_open(app.now()))
    });
    let open_id = Memo::new(move |_| open.with(|o| o.as_ref().map(|(id, _)| *id)));
    view! {
        <main class="page grants">
            <h2>{move || lang.get().t("微创投", "Micro-grants")}</h2>
            <p><a class="row-link" href="#/fund" data-testid="to-fund">{move || lang.get().t("基金公开台账 ›", "The fund's public ledger ›")}</a></p>
            {move || f.get().map(|(_, l)| view! {
                <p class="big">{move || lang.get().t("基金可用余额 ", "Fund available ")}<strong>{money(l.available())}</strong></p>
            })}
            // The section (and the proposing form in it) is made anew only when another call
            // opens; what the call shows follows its changes (reviews, decisions), and the form
            // keeps what is being typed and chosen.
            {move || match open_id.get() {
                Some(cid) => view! {
                    <section class="card" aria-labelledby="call-h">
                        {move || open.get().map(|(_, c)| {
                            let deadline = c.deadline;
                            let criteria = c.criteria.join("；");
                            view! {
                                <h3 id="call-h" data-testid="open-call">{c.title.clone()}</h3>
                                <p>{move || lang.get().t("截止：", "Deadline: ")}{move || lang.get().time(deadline)}</p>
                                <p class="meta">{move || lang.get().t("评审标准：", "Criteria: ")}{criteria.clone()}</p>
                            }
                        })}
                        <Show when=staff>
                            <button type="button" on:click=move |_| {
                                if let Err(e) = app.send(cid, CallCommand::Set { deadline: None, closed: Some(true), panel: None }) {
                                    app.notice.set(Some(Notice::Error(e.to_string())));
                                }
                            }>{move || lang.get().t("结束征集", "Close the call")}</button>
                        </Show>
                        <ProposeForm call=cid/>
                    </section>
                }.into_any(),
                None => view! {
                    <p class="hint">{move || lang.get().t("现在没有开放的征集。", "No call is open now.")}</p>
                }.into_any(),
            }}
            <Show when=staff>
                <OpenCallForm/>
            </Show>
            <section aria-labelledby="proposals-h">
                <h3 id="proposals-h">{move || lang.get().t("提案与项目", "Proposals and projects")}</h3>
                <ul class="list" data-testid="proposals">
                    {move || {
                        let cs = all_calls.get();
                        let ledger = f.get().map(|(_, l)| l);
                        all.get().into_iter().map(|(id, p)| {
                            let pid = id.to_string();
                            let call = cs.iter().find(|(c, _)| c.to_string() == p.call).map(|(_, c)| c.clone());
                            let score = call.as_ref().and_then(|c| c.mean_score_x10(&pid));
                            let decided = call.as_ref().and_then(|c| c.decision(&pid).map(|d| d.outcome));
                            let acc = ledger.as_ref().and_then(|l| l.project(&pid));
                            let funded = acc.is_some();
                            let households = p.households().last().map(|h| h.1).unwrap_or(0);
                            let who = name_or(&app, &p.proposer, &p.proposer_name);
                            let supports = p.supports.len();
                            let closed = p.closing.is_some();
                            let href = Route::Proposal(id).hash();
                            view! {
                                <li class="card">
                                    <a class="card-link" href=href>
                                        <span class="card-title">{p.draft.title.clone()}</span>
                                        <span class="card-meta">
                                            <span>{who}</span>
                                            <span>{move || {
                                                let l = lang.get();
                                                let state = match (closed, funded, decided) {
                                                    (true, _, _) => l.t("已结项", "Closed"),
                                                    (_, true, _) => l.t("实施中", "Running"),
                                                    (_, false, Some(linli_shared::domain::grant_call::Outcome::NotFunded)) => l.t("未获资助", "Not funded"),
                                                    _ => l.t("评审中", "Under review"),
                                                };
                                                let score = score.map(|s| format!(" · {}.{}分", s / 10, s % 10)).unwrap_or_default();
                                                match l {
                                                    Lang::Zh => format!("{state} · {supports}人支持 · {households}户参与{score}"),
                                                    Lang::En => format!("{state} · {supports} support · {households} households{score}"),
                                                }
                                            }}</span>
                                        </span>
                                        {acc.clone().map(|a| view! { <span class="card-meta"><span>{move || lang.get().t("剩余预算 ", "Remaining ")}{money(a.remaining())}</span></span> })}
                                    </a>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
            </section>
        </main>
    }
}

/// Proposing: what, why, where, up to three budget lines, households, for oneself or (a
/// volunteer) for a consenting elder.
#[component]
fn ProposeForm(call: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let field = |key: &'static str| {
        let k = format!("grant.{key}");
        let s = RwSignal::new(app.draft(&k).unwrap_or_default());
        Effect::new(move |_| s.with(|v| app.set_draft(&k, v)));
        s
    };
    let title = field("title");
    let what = field("what");
    let why = field("why");
    let place = field("place");
    let households = field("households");
    let lines: Vec<(RwSignal<String>, RwSignal<String>)> = (0..3)
        .map(|i| {
            let n = RwSignal::new(app.draft(&format!("grant.line{i}")).unwrap_or_default());
            let a = RwSignal::new(app.draft(&format!("grant.amount{i}")).unwrap_or_default());
            Effect::new(move |_| n.with(|v| app.set_draft(&format!("grant.line{i}"), v)));
            Effect::new(move |_| a.with(|v| app.set_draft(&format!("grant.amount{i}"), v)));
            (n, a)
        })
        .collect();
    let elders = Memo::new(move |_| data::elders(&app));
    let for_whom = RwSignal::new(String::new());
    // An elder who no longer consents leaves the list: the proposal is then for oneself, as the
    // screen shows.
    Effect::new(move |_| {
        let gone = elders.with(|l| {
            for_whom.with_untracked(|w| !w.is_empty() && !l.iter().any(|(_, e)| e.id == *w))
        });
        if gone {
            for_whom.set(String::new());
        }
    });
    let error = RwSignal::new(None::<String>);
    let lines2 = lines.clone();
    let send = move || {
        let Some(s) = app.session.get_untracked() else {
            return;
        };
        let l = lang.get_untracked();
        let mut budget = Vec::new();
        for (n, a) in &lines2 {
            let (n, a) = (n.get_untracked(), a.get_untracked());
            if n.trim().is_empty() && a.trim().is_empty() {
                continue;
            }
            match parse_yuan(&a) {
                Some(fen) if fen > 0 && !n.trim().is_empty() => {
                    budget.push((n.trim().chars().take(40).collect::<String>(), fen))
                }
                _ => {
                    error.set(Some(
                        l.t(
                            "每个预算科目都要有名称和大于0的金额（元）。",
                            "Each budget line needs a name and an amount above 0 (yuan).",
                        )
                        .into(),
                    ));
                    platform::focus_first_invalid();
                    return;
                }
            }
        }
        if budget.is_empty() {
            error.set(Some(
                l.t("请至少写一个预算科目。", "Give at least one budget line.")
                    .into(),
            ));
            return;
        }
        let draft = ProposalDraft {
            title: title.get_untracked(),
            what: what.get_untracked(),
            why: why.get_untracked(),
            place: place.get_untracked(),
            lines: budget,
            households: households.get_untracked().trim().parse().unwrap_or(0),
            photos: Vec::new(),
        };
        if let Some(e) = draft.problems().first() {
            error.set(Some(l.input_error(e)));
            platform::focus_first_invalid();
            return;
        }
        let me_name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let target = for_whom.get_untracked();
        let (person, name) = if target.is_empty() {
            (s.person.clone(), me_name.clone())
        } else {
            let name = elders
                .get_untracked()
                .into_iter()
                .find(|(_, e)| e.id == target)
                .map(|(_, e)| e.name)
                .unwrap_or_default();
            (target, name)
        };
        let who = Proposer {
            person,
            name,
            filed_by: s.person.clone(),
            filed_by_name: me_name,
        };
        let id = new_id();
        match app.send(
            id,
            ProposalCommand::Propose {
                call: call.to_string(),
                draft,
                who,
            },
        ) {
            Ok(saving) => {
                error.set(None);
                leptos::task::spawn_local(async move {
                    if saving.done().await.is_ok() {
                        for k in [
                            "title",
                            "what",
                            "why",
                            "place",
                            "households",
                            "line0",
                            "line1",
                            "line2",
                            "amount0",
                            "amount1",
                            "amount2",
                        ] {
                            app.clear_draft(&format!("grant.{k}"));
                        }
                        app.go(Route::Proposal(id));
                    }
                });
            }
            Err(linli_shared::domain::ModelError::Input(e)) => error.set(Some(l.input_error(&e))),
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let text = |id: &'static str,
                zh: &'static str,
                en: &'static str,
                s: RwSignal<String>,
                area: bool| {
        view! {
            <label for=id>{move || lang.get().t(zh, en)}</label>
            {if area {
                view! { <textarea id=id rows="3" prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))></textarea> }.into_any()
            } else {
                view! { <input id=id prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev))/> }.into_any()
            }}
        }
    };
    view! {
        <form class="form" novalidate data-testid="propose-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h4>{move || lang.get().t("我来提案", "Propose a project")}</h4>
            <Show when=move || !elders.get().is_empty()>
                <label for="propose-for">{move || lang.get().t("为谁提案", "Proposing for")}</label>
                <select id="propose-for" prop:value=move || for_whom.get() on:change=move |ev| for_whom.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("我自己", "Myself")}</option>
                    // A property, set each time the list is drawn: the person chosen stays
                    // chosen wherever the list puts them.
                    {move || elders.get().into_iter().map(|(_, e)| {
                        let sel = for_whom.with_untracked(|w| *w == e.id);
                        view! { <option value=e.id.clone() prop:selected=sel>{e.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </Show>
            {text("propose-title", "项目名称", "Project name", title, false)}
            {text("propose-what", "做什么", "What", what, true)}
            {text("propose-why", "为什么", "Why", why, true)}
            {text("propose-place", "在哪里", "Where", place, false)}
            <fieldset>
                <legend>{move || lang.get().t("预算科目（元）", "Budget lines (yuan)")}</legend>
                {lines.into_iter().enumerate().map(|(i, (n, a))| {
                    let nid = format!("propose-line{i}");
                    let aid = format!("propose-amount{i}");
                    view! {
                        <div class="line-row">
                            <label for=nid.clone()>{move || match lang.get() { Lang::Zh => format!("科目{}", i + 1), Lang::En => format!("Line {}", i + 1) }}</label>
                            <input id=nid prop:value=move || n.get() on:input=move |ev| n.set(event_target_value(&ev))/>
                            <label for=aid.clone()>{move || match lang.get() { Lang::Zh => format!("科目{}金额", i + 1), Lang::En => format!("Line {} amount", i + 1) }}</label>
                            <input id=aid inputmode="decimal" prop:value=move || a.get() on:input=move |ev| a.set(event_target_value(&ev))/>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {text("propose-households", "一开始参与的家庭数", "Households taking part at the start", households, false)}
            <p class="field-error" role="alert" data-testid="propose-error">{move || error.get()}</p>
            <button type="submit">{move || lang.get().t("提交提案", "Submit the proposal")}</button>
        </form>
    }
}

/// Staff open a call: title, deadline (days from now), panel (person ids).
#[component]
fn OpenCallForm() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let title = RwSignal::new(String::new());
    let days = RwSignal::new("30".to_string());
    let panel = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let l = lang.get_untracked();
        let Ok(d) = days.get_untracked().trim().parse::<i64>() else {
            error.set(Some(
                l.t(
                    "截止天数请填 1–365 的整数。",
                    "Days until the deadline: a whole number 1–365.",
                )
                .into(),
            ));
            return;
        };
        if !(1..=365).contains(&d) {
            error.set(Some(
                l.t(
                    "截止天数请填 1–365 的整数。",
                    "Days until the deadline: a whole number 1–365.",
                )
                .into(),
            ));
            return;
        }
        let mut members: Vec<String> = panel
            .get_untracked()
            .split([',', '，', ' '])
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        if let Some(s) = app.session.get_untracked()
            && !members.contains(&s.person)
        {
            members.insert(0, s.person);
        }
        let draft = CallDraft {
            title: title.get_untracked(),
            criteria: default_criteria(),
            deadline: app.now() + d * DAY,
            panel: members,
        };
        match app.send(new_id(), CallCommand::Open { draft }) {
            Ok(_) => {
                error.set(None);
                title.set(String::new());
            }
            Err(linli_shared::domain::ModelError::Input(e)) => error.set(Some(l.input_error(&e))),
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="card form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
            <h3>{move || lang.get().t("开启一期征集（社区工作者）", "Open a call (staff)")}</h3>
            <label for="call-title">{move || lang.get().t("名称", "Title")}</label>
            <input id="call-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="call-days">{move || lang.get().t("几天后截止", "Days until the deadline")}</label>
            <input id="call-days" inputmode="numeric" prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
            <label for="call-panel">{move || lang.get().t("评审组成员（人员编号，逗号分隔）", "Review panel (person ids, comma separated)")}</label>
            <input id="call-panel" prop:value=move || panel.get() on:input=move |ev| panel.set(event_target_value(&ev))/>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit">{move || lang.get().t("开启征集", "Open the call")}</button>
        </form>
    }
}
