//! One meeting: its agenda (from requests, patrols, proposals or typed), attendance per party,
//! rounds of positions per item, the decision with its action items and cost split, and the
//! minutes that everyone at the table edits together (a text CRDT: offline edits merge).
//! Residents read the published agenda (and +1 its items), decisions and minutes.

use std::collections::BTreeSet;

use leptos::prelude::*;
use linli_shared::domain::talks::split::{allocate, parse_percent, parse_yuan, percent, yuan};
use linli_shared::domain::talks::{
    ActionDraft, Attendance, Decision, Item, Payer, Share, Side, Source, Stance, TalkCommand,
    TalkSummary, attendance_name, check_split, draft_minutes, payer_name, stance_name,
};
use linli_shared::domain::{ModelError, Summary};
use linli_shared::ids::DocumentId;

use super::{is_staff, my_side, representatives, side_name};
use crate::data;
use crate::i18n::Lang;
use crate::pages::requests::card::ColourChip;
use crate::platform;
use crate::state::{App, Notice, Route};

fn send(
    app: &App,
    id: DocumentId,
    c: TalkCommand,
    error: Option<RwSignal<Option<String>>>,
) -> bool {
    match app.send(id, c) {
        Ok(_) => {
            if let Some(e) = error {
                e.set(None);
            }
            true
        }
        Err(ModelError::Input(e)) => {
            let words = app.lang.get_untracked().input_error(&e);
            match error {
                Some(s) => s.set(Some(words)),
                None => app.notice.set(Some(Notice::Error(words))),
            }
            false
        }
        Err(e) => {
            app.notice.set(Some(Notice::Error(e.to_string())));
            false
        }
    }
}

fn source_name(l: Lang, s: Source) -> &'static str {
    match s {
        Source::Request => l.t("居民诉求", "Resident's request"),
        Source::Patrol => l.t("巡查发现", "Patrol"),
        Source::Proposal => l.t("居民提议", "Resident's proposal"),
        Source::Free => l.t("临时动议", "Raised at the table"),
    }
}

#[component]
pub fn TalkPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let talk = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Talk(TalkSummary { talk }) => Some(talk.clone()),
            _ => None,
        })
        .flatten()
    });
    let item_ids = Memo::new(move |_| {
        talk.with(|t| {
            t.as_ref()
                .map(|t| t.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let published =
        Memo::new(move |_| talk.with(|t| t.as_ref().is_some_and(|t| t.published_at.is_some())));
    let staff = move || is_staff(&app);
    let side = move || my_side(&app);
    let editable = move || app.editable(&id);
    view! {
        <main class="page talk">
            <a href=Route::Talks.hash() class="back">{move || lang.get().t("‹ 四方会谈", "‹ Four-party talks")}</a>
            {move || match talk.get() {
                None => view! { <p class="empty">{move || lang.get().t("这次会谈不在本机。", "This talk is not on this phone.")}</p> }.into_any(),
                Some(t) => {
                    let published = t.published_at.is_some();
                    view! {
                        <h1 data-testid="talk-title">{move || match lang.get() {
                            Lang::Zh => format!("{} 四方会谈", t.date),
                            Lang::En => format!("Four-party talk of {}", t.date),
                        }}</h1>
                        <p class="muted">{format!("{} · {}", t.time, t.place)}</p>
                        <p class="chip" data-testid="talk-state">{move || {
                            let l = lang.get();
                            if published { l.t("议程已公示", "Agenda published") } else { l.t("草稿，尚未公示", "Draft, not yet published") }
                        }}</p>
                        <Show when=move || staff() && !published && editable()>
                            <button class="primary" data-testid="publish" on:click=move |_| { send(&app, id, TalkCommand::Publish, None); }>
                                {move || lang.get().t("公示议程", "Publish the agenda")}
                            </button>
                        </Show>
                    }.into_any()
                }
            }}
            <section aria-labelledby="agenda-h">
                <h2 id="agenda-h">{move || lang.get().t("议程", "Agenda")}</h2>
                <ol class="agenda" data-testid="agenda">
                    // Keyed by item: a position or a decision arriving redraws what an item
                    // shows, never the forms someone is typing into (see `ItemView`).
                    <For each=move || item_ids.get() key=|iid| iid.clone() children=move |iid: String| view! {
                        <li><ItemView id talk item_id=iid published/></li>
                    }/>
                </ol>
                <Show when=move || staff() && editable()>
                    <AddItem id/>
                </Show>
            </section>
            <AttendanceForm id talk/>
            <Minutes id talk/>
            <crate::pages::notes::AddNoteLink kind=linli_shared::domain::field_note::LinkKind::Talk id/>
            <Show when=move || !editable() && (staff() || side().is_some())>
                <p class="hint" role="status">{move || lang.get().t("正在打开本机记录…", "Opening this phone's records…")}</p>
            </Show>
        </main>
    }
}

#[component]
fn AddItem(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let title = RwSignal::new(String::new());
    let source = RwSignal::new("request".to_string());
    let request = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let open = Memo::new(move |_| {
        app.clock.track();
        data::queue(&app, app.now())
    });
    let submit = move || {
        let src = Source::parse(&source.get_untracked()).unwrap_or(Source::Free);
        let picked = (src == Source::Request)
            .then(|| {
                open.get_untracked()
                    .into_iter()
                    .find(|i| i.id.to_string() == request.get_untracked())
            })
            .flatten();
        if src == Source::Request && picked.is_none() {
            error.set(Some(
                lang.get_untracked()
                    .t("请选择一条诉求", "Please choose a request")
                    .into(),
            ));
            return;
        }
        let typed = title.get_untracked();
        let c = TalkCommand::AddItem {
            id: format!(
                "i{}",
                platform::random_bytes::<4>()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            ),
            title: if typed.trim().is_empty() {
                picked
                    .as_ref()
                    .map(|p| p.req.title.clone())
                    .unwrap_or_default()
            } else {
                typed
            },
            source: src,
            request: picked
                .as_ref()
                .map(|p| linli_shared::domain::board::board_key(&p.id)),
            colour: picked.as_ref().map(|p| p.req.colour_now()),
            due_at: picked.as_ref().map(|p| p.due.due_at),
        };
        if send(&app, id, c, Some(error)) {
            title.set(String::new());
            request.set(String::new());
        }
    };
    view! {
        <details class="card add-item" open>
            <summary>{move || lang.get().t("添加议题", "Add an item")}</summary>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="ai-source">{move || lang.get().t("来源", "Source")}</label>
                    <select id="ai-source" prop:value=move || source.get() on:change=move |ev| source.set(event_target_value(&ev))>
                        {Source::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || source_name(lang.get(), s)}</option> }).collect_view()}
                    </select>
                </div>
                <Show when=move || source.get() == "request">
                    <div class="field">
                        <label for="ai-request">{move || lang.get().t("诉求", "Request")}</label>
                        <select id="ai-request" prop:value=move || request.get() on:change=move |ev| request.set(event_target_value(&ev))>
                            <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                            {move || open.get().into_iter().map(|i| {
                                let label = format!("{} · {}", lang.get().colour(i.req.colour_now()), i.req.title);
                                view! { <option value=i.id.to_string()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </Show>
                <div class="field">
                    <label for="ai-title">{move || lang.get().t("议题（从诉求添加时可留空）", "Item (may be left empty for a request)")}</label>
                    <input id="ai-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) maxlength="100"/>
                </div>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" data-testid="add-item">{move || lang.get().t("加入议程", "Add to the agenda")}</button>
            </form>
        </details>
    }
}

/// One agenda item. What it shows is redrawn as its document changes; the forms beside it
/// (a party's position, staff's decision) are made once and stay while they apply, so a
/// position, a +1 or any other document arriving mid-sentence loses nothing typed.
#[component]
fn ItemView(
    id: DocumentId,
    talk: Memo<Option<linli_shared::domain::talks::Talk>>,
    item_id: String,
    published: Memo<bool>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let item = Memo::new({
        let item_id = item_id.clone();
        move |_| {
            talk.with(|t| {
                t.as_ref()
                    .and_then(|t| t.items.iter().find(|i| i.id == item_id).cloned())
            })
        }
    });
    let decided =
        Memo::new(move |_| item.with(|i| i.as_ref().is_some_and(|i| i.decision.is_some())));
    let round = Memo::new(move |_| item.with(|i| i.as_ref().map_or(1, Item::round)));
    let editable = Memo::new(move |_| app.editable(&id));
    let may_say = Memo::new(move |_| my_side(&app).is_some() && !decided.get() && editable.get());
    let may_decide = Memo::new(move |_| is_staff(&app) && !decided.get() && editable.get());
    let shown = move || {
        item.get()
            .map(|item| view! { <ItemBody id item published=published.get()/> })
    };
    let decision = Memo::new(move |_| item.with(|i| i.as_ref().and_then(|i| i.decision.clone())));
    let (i1, i2, i3) = (item_id.clone(), item_id.clone(), item_id);
    let decision = move || {
        decision
            .get()
            .map(|decision| view! { <DecisionView id item=i3.clone() decision/> })
    };
    view! {
        <article class="card item" data-testid="agenda-item">
            {shown}
            <Show when=move || may_say.get()>
                <SayForm id item=i1.clone() round/>
            </Show>
            {decision}
            <Show when=move || may_decide.get()>
                <DecideForm id item=i2.clone()/>
            </Show>
        </article>
    }
}

/// What an item shows: its title and source, the +1s, and the rounds of positions.
#[component]
fn ItemBody(id: DocumentId, item: Item, published: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let me = app
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.person.clone()))
        .unwrap_or_default();
    let plus = item.plus_ones.len();
    let mine = item.plus_ones.iter().any(|(p, _)| *p == me);
    let iid = item.id.clone();
    let source = item.source;
    let colour = item.colour;
    let due = item.due_at;
    let rounds: BTreeSet<i64> = item.positions.iter().map(|p| p.round).collect();
    let positions = item.positions.clone();
    let staff = is_staff(&app);
    let may_plus = published && !staff && my_side(&app).is_none();
    view! {
        <h3>{item.title.clone()}</h3>
        <p class="muted">
            {move || source_name(lang.get(), source)}
            {colour.map(|c| view! { " " <ColourChip colour=c/> })}
            {due.map(|d| view! { <span>{move || format!(" · {} {}", lang.get().t("期限", "due"), lang.get().time(d))}</span> })}
        </p>
        <p class="plus-ones">
            <span data-testid="plus-count">{move || match lang.get() { Lang::Zh => format!("{plus} 人希望讨论"), Lang::En => format!("{plus} asked to discuss it") }}</span>
            {may_plus.then(|| {
                let iid = iid.clone();
                let me = me.clone();
                view! {
                    <button aria-pressed=if mine { "true" } else { "false" } data-testid="plus-one" on:click=move |_| {
                        send(&app, id, TalkCommand::PlusOne { item: iid.clone(), person: me.clone(), on: !mine }, None);
                    }>{move || if mine { lang.get().t("取消 +1", "Take back +1") } else { lang.get().t("+1 请讨论", "+1 please discuss") }}</button>
                }
            })}
        </p>
        {rounds.into_iter().map(|r| {
            let ps: Vec<_> = positions.iter().filter(|p| p.round == r).cloned().collect();
            view! {
                <section class="round">
                    <h4>{move || match lang.get() { Lang::Zh => format!("第 {r} 轮", ), Lang::En => format!("Round {r}") }}</h4>
                    <ul>
                        {ps.into_iter().map(|p| view! {
                            <li data-testid="position">
                                <strong>{move || format!("{} · {}", side_name(lang.get(), p.side), stance_name(p.stance, lang.get() == Lang::Zh))}</strong>
                                ": " {p.text.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        }).collect_view()}
    }
}

#[component]
fn SayForm(id: DocumentId, item: String, round: Memo<i64>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = RwSignal::new(String::new());
    let stance = RwSignal::new("position".to_string());
    let next = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let fid = format!("say-{item}");
    let submit = move || {
        let Some(side) = my_side(&app) else { return };
        let c = TalkCommand::Say {
            item: item.clone(),
            side,
            round: round.get_untracked() + i64::from(next.get_untracked()),
            stance: Stance::parse(&stance.get_untracked()).unwrap_or(Stance::Position),
            text: text.get_untracked(),
            by: app
                .session
                .get_untracked()
                .map(|s| s.person)
                .unwrap_or_default(),
            by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
        };
        if send(&app, id, c, Some(error)) {
            text.set(String::new());
            next.set(false);
        }
    };
    let (f1, f2, f3) = (
        format!("{fid}-text"),
        format!("{fid}-stance"),
        format!("{fid}-next"),
    );
    view! {
        <form novalidate class="say" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <div class="field">
                <label for=f2.clone()>{move || match my_side(&app) { Some(s) => format!("{} · {}", side_name(lang.get(), s), lang.get().t("发言类型", "says")), None => String::new() }}</label>
                <select id=f2 prop:value=move || stance.get() on:change=move |ev| stance.set(event_target_value(&ev))>
                    {Stance::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || stance_name(s, lang.get() == Lang::Zh)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=f1.clone()>{move || lang.get().t("意见内容", "What your party says")}</label>
                <textarea id=f1 prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) maxlength="1000"></textarea>
            </div>
            <label for=f3.clone() class="check">
                <input id=f3.clone() type="checkbox" prop:checked=move || next.get() on:change=move |ev| next.set(event_target_checked(&ev))/>
                {move || match lang.get() { Lang::Zh => format!("开始第 {} 轮", round.get() + 1), Lang::En => format!("Start round {}", round.get() + 1) }}
            </label>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <button type="submit" data-testid="say">{move || lang.get().t("记录发言", "Record")}</button>
        </form>
    }
}

#[component]
fn DecisionView(id: DocumentId, item: String, decision: Decision) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let me = app
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.person.clone()))
        .unwrap_or_default();
    let staff = is_staff(&app);
    let d = decision.clone();
    view! {
        <section class="decision" data-testid="decision">
            <h4>{move || lang.get().t("决定", "Decision")}</h4>
            <p class="decision-text" data-testid="decision-text">{d.text.clone()}</p>
            {(!d.agreed.is_empty()).then(|| {
                let agreed = d.agreed.clone();
                view! { <p class="muted">{move || {
                    let l = lang.get();
                    let names: Vec<&str> = agreed.iter().map(|s| side_name(l, *s)).collect();
                    format!("{}{}", l.t("同意：", "Agreed: "), names.join(l.t("、", ", ")))
                }}</p> }
            })}
            {(!d.split.is_empty()).then(|| {
                let split = d.split.clone();
                let total = d.total_fen;
                view! {
                    <table class="split" data-testid="split">
                        <caption>{move || format!("{} ¥{}", lang.get().t("费用分摊，总额", "Cost split of"), yuan(total))}</caption>
                        <thead><tr>
                            <th scope="col">{move || lang.get().t("出资方", "Payer")}</th>
                            <th scope="col">{move || lang.get().t("比例", "Share")}</th>
                            <th scope="col">{move || lang.get().t("金额", "Amount")}</th>
                        </tr></thead>
                        <tbody>{split.into_iter().map(|s| view! {
                            <tr>
                                <th scope="row">{move || payer_name(s.payer, lang.get() == Lang::Zh)}</th>
                                <td>{format!("{}%", percent(s.bp))}</td>
                                <td>{format!("¥{}", yuan(s.fen))}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }
            })}
            <super::vote::DecisionVotes talk=id item=item.clone()/>
            <ul class="actions">
                {d.actions.clone().into_iter().map(|a| {
                    let may = (staff || a.owner == me) && app.editable(&id);
                    let (item, aid, done) = (item.clone(), a.id.clone(), a.done);
                    let cid = format!("done-{item}-{aid}");
                    view! {
                        <li data-testid="action">
                            <label for=cid.clone() class="check">
                                <input id=cid.clone() type="checkbox" prop:checked=done disabled=!may on:change=move |ev| {
                                    send(&app, id, TalkCommand::ActionDone { item: item.clone(), action: aid.clone(), done: event_target_checked(&ev) }, None);
                                }/>
                                {format!("{} · {} · ", a.text, a.owner_name)}
                                {move || format!("{} {}", lang.get().t("期限", "due"), a.due)}
                            </label>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One action item being typed into the decision form.
#[derive(Clone, Copy)]
struct ActionRow {
    key: u32,
    text: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
}

impl ActionRow {
    fn new(key: u32) -> Self {
        Self {
            key,
            text: RwSignal::new(String::new()),
            owner: RwSignal::new(String::new()),
            due: RwSignal::new(String::new()),
        }
    }
}

#[component]
fn DecideForm(id: DocumentId, item: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = RwSignal::new(String::new());
    let agreed: Vec<(Side, RwSignal<bool>)> = Side::ALL
        .into_iter()
        .map(|s| (s, RwSignal::new(false)))
        .collect();
    let total = RwSignal::new(String::new());
    let shares: Vec<(Payer, RwSignal<String>)> = Payer::all()
        .into_iter()
        .map(|p| (p, RwSignal::new(String::new())))
        .collect();
    // Action items: as many rows as the decision needs (a row left empty is ignored).
    let rows = RwSignal::new(vec![ActionRow::new(0)]);
    let next_row = StoredValue::new(1u32);
    let error = RwSignal::new(None::<String>);
    let reps = Memo::new(move |_| representatives(&app));
    let fid = format!("dec-{item}");
    let shares2 = shares.clone();
    // The amounts each percentage gives of the total, shown as the person types.
    let preview = move || {
        let total = parse_yuan(&total.get())?;
        let typed: Vec<(Payer, i64)> = shares2
            .iter()
            .filter_map(|(p, s)| parse_percent(&s.get()).map(|bp| (*p, bp)))
            .collect();
        let fen = allocate(total, &typed.iter().map(|x| x.1).collect::<Vec<_>>());
        Some(
            typed
                .iter()
                .zip(fen)
                .map(|((p, _), f)| {
                    format!("{} ¥{}", payer_name(*p, lang.get() == Lang::Zh), yuan(f))
                })
                .collect::<Vec<_>>()
                .join(" · "),
        )
    };
    let agreed2 = agreed.clone();
    let shares3 = shares.clone();
    let submit = move || {
        let l = lang.get_untracked();
        let typed: Vec<(Payer, String)> = shares3
            .iter()
            .map(|(p, s)| (*p, s.get_untracked()))
            .filter(|(_, s)| !s.trim().is_empty())
            .collect();
        let total_text = total.get_untracked();
        let mut split = Vec::new();
        let mut total_fen = 0;
        if !typed.is_empty() || !total_text.trim().is_empty() {
            let Some(t) = parse_yuan(&total_text) else {
                error.set(Some(
                    l.t(
                        "总金额应为数字，如 48000",
                        "The total is a number, e.g. 48000",
                    )
                    .into(),
                ));
                return;
            };
            let mut bps = Vec::new();
            for (p, s) in &typed {
                let Some(bp) = parse_percent(s) else {
                    error.set(Some(match l {
                        Lang::Zh => format!("{}的比例应为数字，如 60", payer_name(*p, true)),
                        Lang::En => {
                            format!("{}'s share is a number, e.g. 60", payer_name(*p, false))
                        }
                    }));
                    return;
                };
                bps.push(bp);
            }
            let fen = allocate(t, &bps);
            split = typed
                .iter()
                .zip(bps.iter().zip(fen))
                .map(|((payer, _), (bp, fen))| Share {
                    payer: *payer,
                    bp: *bp,
                    fen,
                })
                .collect();
            total_fen = t;
            if let Err(e) = check_split(total_fen, &split) {
                error.set(Some(super::split_error(l, &e)));
                return;
            }
        }
        let mut actions = Vec::new();
        for (n, row) in rows.get_untracked().iter().enumerate() {
            if row.text.get_untracked().trim().is_empty() {
                continue;
            }
            let o = row.owner.get_untracked();
            if o.is_empty() {
                error.set(Some(match l {
                    Lang::Zh => format!("请选择第 {} 项待办的负责人", n + 1),
                    Lang::En => format!("Please choose who carries out action item {}", n + 1),
                }));
                return;
            }
            if !linli_shared::domain::talks::valid_date(&row.due.get_untracked()) {
                error.set(Some(match l {
                    Lang::Zh => format!("请填写第 {} 项待办的期限", n + 1),
                    Lang::En => format!("Please give action item {} a due date", n + 1),
                }));
                return;
            }
            let owner_name = reps
                .get_untracked()
                .into_iter()
                .find(|r| r.0 == o)
                .map(|r| r.1)
                .or_else(|| data::me(&app).filter(|m| m.id == o).map(|m| m.name))
                .unwrap_or_default();
            actions.push(ActionDraft {
                text: row.text.get_untracked(),
                owner: o,
                owner_name,
                due: row.due.get_untracked(),
            });
        }
        let c = TalkCommand::Decide {
            item: item.clone(),
            text: text.get_untracked(),
            agreed: agreed2
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(s, _)| *s)
                .collect(),
            total_fen,
            split,
            actions,
        };
        send(&app, id, c, Some(error));
    };
    let me = data::me(&app);
    let ids = (format!("{fid}-text"), format!("{fid}-total"));
    let fid2 = fid.clone();
    let add_row = move |_| {
        let n = next_row.get_value();
        next_row.set_value(n + 1);
        rows.update(|r| r.push(ActionRow::new(n)));
    };
    view! {
        <details class="decide">
            <summary data-testid="decide-open">{move || lang.get().t("记录决定", "Record the decision")}</summary>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); } data-testid="decide-form">
                <div class="field">
                    <label for=ids.0.clone()>{move || lang.get().t("决定内容", "The decision")}</label>
                    <textarea id=ids.0.clone() prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) maxlength="1000"></textarea>
                </div>
                <fieldset>
                    <legend>{move || lang.get().t("同意的各方", "Parties that agreed")}</legend>
                    {agreed.into_iter().map(|(s, on)| {
                        let cid = format!("{fid}-agree-{}", s.as_str());
                        view! {
                            <label for=cid.clone() class="check">
                                <input id=cid.clone() type="checkbox" prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev))/>
                                {move || side_name(lang.get(), s)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>{move || lang.get().t("费用分摊（可选）", "Cost split (optional)")}</legend>
                    <div class="field">
                        <label for=ids.1.clone()>{move || lang.get().t("总金额（元）", "Total (yuan)")}</label>
                        <input id=ids.1.clone() inputmode="decimal" prop:value=move || total.get() on:input=move |ev| total.set(event_target_value(&ev)) data-testid="split-total"/>
                    </div>
                    {shares.into_iter().map(|(p, s)| {
                        let cid = format!("{fid}-pay-{}", p.as_str());
                        view! {
                            <div class="field share">
                                <label for=cid.clone()>{move || format!("{} (%)", payer_name(p, lang.get() == Lang::Zh))}</label>
                                <input id=cid inputmode="decimal" prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev)) data-testid=format!("split-{}", p.as_str())/>
                            </div>
                        }
                    }).collect_view()}
                    <p class="muted" aria-live="polite">{preview}</p>
                </fieldset>
                <fieldset>
                    <legend>{move || lang.get().t("待办事项", "Action items")}</legend>
                    <For each=move || rows.get() key=|r| r.key children=move |row: ActionRow| {
                            let me = me.clone();
                            let rid = format!("{fid2}-{}", row.key);
                            let key = row.key;
                            let number = move || rows.with(|r| r.iter().position(|x| x.key == key).map_or(0, |i| i + 1));
                            view! {
                                <div class="action-row" data-testid="action-row">
                                    <div class="field">
                                        <label for=format!("{rid}-action")>{move || match lang.get() { Lang::Zh => format!("事项 {}", number()), Lang::En => format!("Action {}", number()) }}</label>
                                        <input id=format!("{rid}-action") prop:value=move || row.text.get() on:input=move |ev| row.text.set(event_target_value(&ev)) maxlength="200"/>
                                    </div>
                                    <div class="field">
                                        <label for=format!("{rid}-owner")>{move || match lang.get() { Lang::Zh => format!("事项 {} 负责人", number()), Lang::En => format!("Who carries out action {}", number()) }}</label>
                                        <select id=format!("{rid}-owner") prop:value=move || row.owner.get() on:change=move |ev| row.owner.set(event_target_value(&ev))>
                                            <option value="">{move || lang.get().t("请选择", "Choose one")}</option>
                                            {me.map(|m| view! { <option value=m.id.clone()>{format!("{} · {}", m.name, "居委会")}</option> })}
                                            {move || reps.get().into_iter().map(|(pid, name, seat)| view! {
                                                <option value=pid>{format!("{name} · {}", seat.title)}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for=format!("{rid}-due")>{move || match lang.get() { Lang::Zh => format!("事项 {} 期限", number()), Lang::En => format!("Action {} due", number()) }}</label>
                                        <input id=format!("{rid}-due") type="date" prop:value=move || row.due.get() on:input=move |ev| row.due.set(event_target_value(&ev))/>
                                    </div>
                                    <Show when=move || rows.with(|r| r.len() > 1)>
                                        <button type="button" class="link" on:click=move |_| rows.update(|r| r.retain(|x| x.key != key))
                                            aria-label=move || match lang.get() { Lang::Zh => format!("删除事项 {}", number()), Lang::En => format!("Remove action {}", number()) }>
                                            {move || lang.get().t("删除", "Remove")}
                                        </button>
                                    </Show>
                                </div>
                            }
                        }/>
                    <button type="button" on:click=add_row data-testid="add-action">{move || lang.get().t("再加一项待办", "Add another action item")}</button>
                </fieldset>
                <p class="field-error" role="alert" data-testid="decide-error">{move || error.get()}</p>
                <button type="submit" class="primary" data-testid="decide">{move || lang.get().t("记录决定", "Record the decision")}</button>
            </form>
        </details>
    }
}

#[component]
fn AttendanceForm(
    id: DocumentId,
    talk: Memo<Option<linli_shared::domain::talks::Talk>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let staff = Memo::new(move |_| is_staff(&app) && app.editable(&id));
    view! {
        <section aria-labelledby="att-one-h" class="attendance-one">
            <h2 id="att-one-h">{move || lang.get().t("出席", "Attendance")}</h2>
            <ul class="rows" data-testid="talk-attendance">
                {Side::ALL.into_iter().map(|s| {
                    let now = move || talk.get().and_then(|t| t.attendance_of(s));
                    let sid = format!("att-{}", s.as_str());
                    view! {
                        <li>
                            <label for=sid.clone()>{move || side_name(lang.get(), s)}</label>
                            {move || if staff.get() {
                                let sid = sid.clone();
                                view! {
                                    <select id=sid prop:value=move || now().map(|a| a.as_str()).unwrap_or("") on:change=move |ev| {
                                        if let Some(a) = Attendance::parse(&event_target_value(&ev)) {
                                            send(&app, id, TalkCommand::Attend { side: s, attendance: a }, None);
                                        }
                                    }>
                                        <option value="">{move || lang.get().t("未记录", "Not recorded")}</option>
                                        {Attendance::ALL.into_iter().map(|a| view! { <option value=a.as_str()>{move || attendance_name(a, lang.get() == Lang::Zh)}</option> }).collect_view()}
                                    </select>
                                }.into_any()
                            } else {
                                view! { <span id=sid.clone()>{move || now().map(|a| attendance_name(a, lang.get() == Lang::Zh)).unwrap_or("—")}</span> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The minutes: staff and representatives edit them together until staff publish them;
/// then everyone reads them, prints them or takes them as Markdown.
#[component]
fn Minutes(id: DocumentId, talk: Memo<Option<linli_shared::domain::talks::Talk>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let text = Memo::new(move |_| talk.get().map(|t| t.minutes).unwrap_or_default());
    let published =
        Memo::new(move |_| talk.get().is_some_and(|t| t.minutes_published_at.is_some()));
    // A memo: the editor below is made anew only when this changes, not whenever a document
    // arrives (`editable` reads the whole store), which would take the focus from the person
    // typing.
    let may_edit = Memo::new(move |_| {
        (is_staff(&app) || my_side(&app).is_some()) && !published.get() && app.editable(&id)
    });
    let draft = move |_| {
        if let Some(t) = talk.get_untracked() {
            let md = draft_minutes(&t, lang.get_untracked() == Lang::Zh);
            send(&app, id, TalkCommand::EditMinutes { text: md }, None);
        }
    };
    // Personal data in the minutes: pointed out while they are a draft (only the table reads
    // them), and the minutes are not published until it is gone (the relay refuses it too).
    let found = Memo::new(move |_| {
        text.with(|t| {
            linli_shared::pii::find(t)
                .into_iter()
                .map(|f| (f.kind, linli_shared::pii::mask(&t[f.start..f.end])))
                .collect::<Vec<_>>()
        })
    });
    let pii_words = move || {
        let l = lang.get();
        let what = found
            .get()
            .into_iter()
            .map(|(k, masked)| match l {
                Lang::Zh => format!("“{masked}”像是{}", l.pii(k)),
                Lang::En => format!("“{masked}” looks like {}", l.pii(k)),
            })
            .collect::<Vec<_>>()
            .join(l.t("；", "; "));
        match l {
            Lang::Zh => format!("{what}。纪要公开后全体居民都能看到，公开前请删去。"),
            Lang::En => format!(
                "{what}. Every resident reads the published minutes: take it out before publishing."
            ),
        }
    };
    let publish = move |_| {
        if found.with_untracked(|f| f.is_empty()) {
            send(&app, id, TalkCommand::PublishMinutes, None);
        } else {
            platform::focus_first_invalid();
        }
    };
    let markdown = move || {
        let t = talk.get()?;
        let body = js_sys::encode_uri_component(&t.minutes);
        Some((
            format!("data:text/markdown;charset=utf-8,{body}"),
            format!("minutes-{}.md", t.date),
        ))
    };
    view! {
        <section aria-labelledby="minutes-h" class="minutes">
            <h2 id="minutes-h">{move || lang.get().t("会议纪要", "Minutes")}</h2>
            {move || if may_edit.get() {
                view! {
                    <div>
                        <label for="minutes-text">{move || lang.get().t("纪要（多台手机可同时编辑，离线也可以）", "Minutes (several phones may edit at once, offline too)")}</label>
                        <textarea id="minutes-text" rows="12" data-testid="minutes-text" aria-describedby="minutes-pii" aria-invalid=move || (!found.with(|f| f.is_empty())).to_string() prop:value=move || text.get() on:input=move |ev| {
                            send(&app, id, TalkCommand::EditMinutes { text: event_target_value(&ev) }, None);
                        }></textarea>
                        <p id="minutes-pii" class="pii-guard" role="status" data-testid="minutes-pii">
                            {move || (!found.with(|f| f.is_empty())).then(pii_words)}
                        </p>
                        <div class="buttons">
                            <button on:click=draft data-testid="draft-minutes">{move || lang.get().t("按记录生成草稿", "Draft from the record")}</button>
                            <Show when=move || is_staff(&app)>
                                <button class="primary" data-testid="publish-minutes" on:click=publish>
                                    {move || lang.get().t("公开纪要", "Publish the minutes")}
                                </button>
                            </Show>
                        </div>
                    </div>
                }.into_any()
            } else if published.get() {
                view! {
                    <div>
                        <pre class="minutes-text" data-testid="minutes-published">{move || text.get()}</pre>
                        <div class="buttons no-print">
                            <button on:click=move |_| { let _ = platform::window().print(); }>{move || lang.get().t("打印", "Print")}</button>
                            {move || markdown().map(|(href, name)| view! {
                                <a class="button" href=href download=name>{move || lang.get().t("导出 Markdown", "Export as Markdown")}</a>
                            })}
                        </div>
                    </div>
                }.into_any()
            } else {
                view! { <p class="muted">{move || lang.get().t("纪要尚未公开。", "The minutes are not published yet.")}</p> }.into_any()
            }}
        </section>
    }
}
