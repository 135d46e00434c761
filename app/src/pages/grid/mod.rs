//! The grid's daily work: the grids a person looks after (staff all, grid workers theirs, a
//! team member their team's), a grid's page (its iron triangle, buildings, plan, planned
//! versus done this week and last, follow-ups, recent rounds with their findings, each of
//! which becomes a request in one tap), and logging a round (`log`), offline if need be.

pub mod log;

use leptos::prelude::*;
use linli_shared::domain::grid::{GridCommand, GridInfo, Position, Round};
use linli_shared::domain::patrols::{
    PatrolCommand, PatrolLog, PatrolRound, week_report, week_start,
};
use linli_shared::domain::requests::{Filing, RequestCommand, RequestDraft};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::time::DAY;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::Photo;

impl Lang {
    pub fn round(self, r: Round) -> &'static str {
        match r {
            Round::Morning => self.t("早巡", "Morning round"),
            Round::Midday => self.t("午访", "Midday visits"),
            Round::Evening => self.t("夜谈", "Evening talk"),
        }
    }

    pub fn position(self, p: Position) -> &'static str {
        match p {
            Position::PartyMember => self.t("党员", "Party member"),
            Position::BuildingLeader => self.t("楼组长", "Building leader"),
            Position::Steward => self.t("物业管家", "Property steward"),
        }
    }

    pub fn weekday(self, d: u8) -> &'static str {
        const ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let i = usize::from(d.clamp(1, 7) - 1);
        self.t(ZH[i], EN[i])
    }

    pub fn grid_name(self, grid: &str) -> String {
        let n = grid.trim_start_matches('g').trim_start_matches('0');
        match self {
            Lang::Zh => format!("第{n}网格"),
            Lang::En => format!("Grid {n}"),
        }
    }
}

/// The grids this person looks after.
pub fn my_grids(app: &App) -> Vec<String> {
    let (role, mut grids) = app
        .session
        .with(|s| s.as_ref().map(|s| (s.role, s.grids.clone())))
        .unwrap_or((Role::Resident, Vec::new()));
    if role == Role::Staff {
        return data::grids(app).into_iter().map(|(_, g)| g.grid).collect();
    }
    if role != Role::GridWorker {
        grids.clear();
    }
    grids.extend(data::my_team_grids(app));
    grids.sort();
    grids.dedup();
    grids
}

/// Every round of a grid, from all of its logs, with the log it is in; newest first.
fn rounds_of(app: &App, grid: &str) -> Vec<(DocumentId, PatrolRound)> {
    let mut v: Vec<(DocumentId, PatrolRound)> = data::patrol_logs(app, grid)
        .into_iter()
        .flat_map(|(id, l): (DocumentId, PatrolLog)| l.rounds.into_iter().map(move |r| (id, r)))
        .collect();
    v.sort_by_key(|(_, r)| std::cmp::Reverse(r.at));
    v
}

#[component]
pub fn GridsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let cards = move || {
        let now = app.now();
        my_grids(&app)
            .into_iter()
            .map(|g| {
                let info = data::grid(&app, &g).map(|(_, i)| i);
                let rounds = rounds_of(&app, &g);
                let (planned, done) = info.as_ref().map_or((0, 0), |i| {
                    week_report(i, rounds.iter().map(|(_, r)| r), week_start(now), now)
                        .iter()
                        .fold((0, 0), |(p, d), r| (p + r.planned, d + r.done))
                });
                (g, info, planned, done)
            })
            .collect::<Vec<_>>()
    };
    view! {
        <main class="page grids">
            <h2>{move || lang.get().t("网格", "Grids")}</h2>
            <p class="hint">{move || lang.get().t("早巡、午访、夜谈：本周计划与完成。", "Morning rounds, midday visits, evening talks: planned and done this week.")}</p>
            <ul class="cards grid-cards">
                {move || cards().into_iter().map(|(g, info, planned, done)| {
                    let l = lang.get();
                    let team = info.as_ref().map(|i| i.team.iter().map(|m| format!("{} {}", l.position(m.position), m.name)).collect::<Vec<_>>().join(" · ")).unwrap_or_default();
                    let buildings = info.as_ref().map(|i| i.buildings.join("、")).unwrap_or_default();
                    let week = match l {
                        Lang::Zh => format!("本周巡查 {done}/{planned}"),
                        Lang::En => format!("This week {done}/{planned} rounds"),
                    };
                    view! {
                        <li class="card">
                            <a href=Route::Grid(g.clone()).hash() data-testid="grid-card">
                                <strong>{l.grid_name(&g)}</strong>
                                <span class="meta">{buildings}</span>
                                <span class="meta">{team}</span>
                                <span class="meta">{week}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || my_grids(&app).is_empty()>
                <p class="empty">{move || lang.get().t("还没有同步到网格信息。", "No grid has synced to this phone yet.")}</p>
            </Show>
        </main>
    }
}

#[component]
pub fn GridPage(grid: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let g = StoredValue::new(grid);
    let info = Memo::new(move |_| data::grid(&app, &g.get_value()));
    let role = move || app.session.with(|s| s.as_ref().map(|s| s.role));
    let me = move || {
        app.session
            .with(|s| s.as_ref().map(|s| s.person.clone()).unwrap_or_default())
    };
    let may_plan = move || {
        role() == Some(Role::Staff)
            || (role() == Some(Role::GridWorker)
                && app
                    .session
                    .with(|s| s.as_ref().is_some_and(|s| s.grids.contains(&g.get_value()))))
    };
    let may_log = move || may_plan() || data::my_team_grids(&app).contains(&g.get_value());
    let rounds = Memo::new(move |_| rounds_of(&app, &g.get_value()));
    view! {
        <main class="page grid">
            <h2>{move || lang.get().grid_name(&g.get_value())}</h2>
            {move || match info.get() {
                None => view! { <p class="empty">{lang.get().t("这个网格的信息还没有同步到本机。", "This grid has not synced to this phone yet.")}</p> }.into_any(),
                Some((doc, i)) => view! {
                    <Team doc info=i.clone() staff=role() == Some(Role::Staff)/>
                    <p class="buildings">{lang.get().t("楼栋：", "Buildings: ")}{i.buildings.join("、")}</p>
                    <Plan doc info=i.clone() editable=may_plan()/>
                    <Week info=i rounds/>
                }.into_any(),
            }}
            <Show when=may_log>
                <a class="button primary big" href=move || Route::GridLog(g.get_value()).hash() data-testid="log-round">
                    {move || lang.get().t("记录一次巡查", "Log a round")}
                </a>
            </Show>
            <Show when=may_log>
                <a class="button big" href=move || Route::Sorting(g.get_value()).hash() data-testid="sorting-link">
                    {move || {
                        let open = crate::pages::sorting::reminders_of(&app, &g.get_value()).iter().filter(|(_, r)| r.is_open()).count();
                        let l = lang.get();
                        match (open, l) {
                            (0, _) => l.t("垃圾分类督导", "Garbage sorting").to_string(),
                            (n, Lang::Zh) => format!("垃圾分类督导 · {n} 条提醒未结"),
                            (n, Lang::En) => format!("Garbage sorting · {n} open reminders"),
                        }
                    }}
                </a>
            </Show>
            <FollowUps rounds/>
            <section aria-labelledby="rounds-title">
                <h3 id="rounds-title">{move || lang.get().t("最近的巡查", "Recent rounds")}</h3>
                <ul class="rounds">
                    {move || rounds.get().into_iter().take(20).map(|(log, r)| {
                        let mine = r.by == me() || role() == Some(Role::Staff);
                        view! { <RoundItem log round=r mine grid=g.get_value()/> }
                    }).collect_view()}
                </ul>
                <Show when=move || rounds.with(Vec::is_empty)>
                    <p class="empty">{move || lang.get().t("还没有巡查记录。", "No rounds logged yet.")}</p>
                </Show>
            </section>
        </main>
    }
}

/// The iron triangle; staff fill its seats from the community's people.
#[component]
fn Team(doc: DocumentId, info: GridInfo, staff: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let people = Memo::new(move |_| {
        let mut v: Vec<(String, String)> = data::people(&app)
            .into_iter()
            .map(|(_, p)| (p.id, p.name))
            .filter(|(_, n)| !n.is_empty())
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    });
    let seat = move |position: Position, current: Option<String>| {
        let on_change = move |ev: leptos::ev::Event| {
            let person = event_target_value(&ev);
            let command = if person.is_empty() {
                GridCommand::ClearMember { position }
            } else {
                let name = people
                    .get_untracked()
                    .into_iter()
                    .find(|(id, _)| *id == person)
                    .map(|(_, n)| n)
                    .unwrap_or_default();
                GridCommand::SetMember {
                    position,
                    person,
                    name,
                }
            };
            if let Err(e) = app.send(doc, command) {
                app.notice.set(Some(Notice::NotSaved(e.to_string())));
            }
        };
        let id = format!("seat-{}", position.as_str());
        view! {
            <label for=id.clone()>{move || lang.get().position(position)}</label>
            <select id=id on:change=on_change>
                <option value="" selected=current.is_none()>{move || lang.get().t("（空缺）", "(vacant)")}</option>
                {move || people.get().into_iter().map(|(pid, name)| {
                    let sel = current.as_deref() == Some(pid.as_str());
                    view! { <option value=pid selected=sel>{name}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <section class="team" aria-labelledby="team-title">
            <h3 id="team-title">{move || lang.get().t("铁三角", "Iron triangle")}</h3>
            {if staff {
                view! {
                    <div class="seats">
                        {Position::ALL.into_iter().map(|p| seat(p, info.member(p).map(|m| m.person.clone()))).collect_view()}
                    </div>
                }.into_any()
            } else {
                view! {
                    <dl class="seats" data-testid="team">
                        {Position::ALL.into_iter().map(|p| {
                            let name = info.member(p).map(|m| m.name.clone());
                            view! {
                                <dt>{move || lang.get().position(p)}</dt>
                                <dd>{move || name.clone().unwrap_or_else(|| lang.get().t("空缺", "vacant").to_string())}</dd>
                            }
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

/// Which rounds on which weekdays; the grid's workers and staff change it.
#[component]
fn Plan(doc: DocumentId, info: GridInfo, editable: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let toggle = move |round: Round, day: u8, days: Vec<u8>| {
        let mut d = days;
        if let Some(i) = d.iter().position(|x| *x == day) {
            d.remove(i);
        } else {
            d.push(day);
        }
        if let Err(e) = app.send(doc, GridCommand::SetPlan { round, days: d }) {
            app.notice.set(Some(Notice::NotSaved(e.to_string())));
        }
    };
    view! {
        <table class="plan">
            <caption>{move || lang.get().t("巡查计划", "Patrol plan")}</caption>
            <thead><tr>
                <th scope="col">{move || lang.get().t("轮次", "Round")}</th>
                {(1..=7u8).map(|d| view! { <th scope="col">{move || lang.get().weekday(d)}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {Round::ALL.into_iter().map(|round| {
                    let days = info.planned(round).to_vec();
                    view! {
                        <tr>
                            <th scope="row">{move || lang.get().round(round)}</th>
                            {(1..=7u8).map(|d| {
                                let on = days.contains(&d);
                                let days = days.clone();
                                if editable {
                                    view! { <td><input type="checkbox" checked=on
                                        aria-label=move || format!("{} {}", lang.get().round(round), lang.get().weekday(d))
                                        on:change=move |_| toggle(round, d, days.clone())/></td> }.into_any()
                                } else {
                                    view! { <td>{if on { "✓" } else { "" }}</td> }.into_any()
                                }
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Planned versus done, this week and last.
#[component]
fn Week(info: GridInfo, rounds: Memo<Vec<(DocumentId, PatrolRound)>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = move || {
        let now = app.now();
        let this = week_start(now);
        let all = rounds.get();
        let it = || all.iter().map(|(_, r)| r);
        let current = week_report(&info, it(), this, now);
        let last = week_report(&info, it(), this - 7, now);
        current.into_iter().zip(last).collect::<Vec<_>>()
    };
    view! {
        <table class="week" data-testid="week">
            <caption>{move || lang.get().t("计划与完成", "Planned and done")}</caption>
            <thead><tr>
                <th scope="col">{move || lang.get().t("轮次", "Round")}</th>
                <th scope="col">{move || lang.get().t("本周（至今）", "This week (so far)")}</th>
                <th scope="col">{move || lang.get().t("上周", "Last week")}</th>
            </tr></thead>
            <tbody>
                {move || rows().into_iter().map(|(now, last)| {
                    let l = lang.get();
                    let cell = |r: linli_shared::domain::patrols::WeekRow| {
                        let extra = if r.extra > 0 { match l { Lang::Zh => format!("（另加 {}）", r.extra), Lang::En => format!(" (+{} extra)", r.extra) } } else { String::new() };
                        format!("{}/{}{extra}", r.done, r.planned)
                    };
                    view! {
                        <tr>
                            <th scope="row">{l.round(now.round)}</th>
                            <td>{cell(now)}</td>
                            <td>{cell(last)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Elders found not home or needing help in the last two weeks.
#[component]
fn FollowUps(rounds: Memo<Vec<(DocumentId, PatrolRound)>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let items = move || {
        let since = app.now() - 14 * DAY;
        rounds
            .get()
            .into_iter()
            .filter(|(_, r)| r.at >= since)
            .flat_map(|(_, r)| {
                let at = r.at;
                r.visits
                    .into_iter()
                    .filter(|v| v.outcome.follow_up())
                    .map(move |v| (at, v))
            })
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || !items().is_empty()>
            <section class="follow-ups" aria-labelledby="fu-title">
                <h3 id="fu-title">{move || lang.get().t("需要回访", "To follow up")}</h3>
                <ul>
                    {move || items().into_iter().map(|(at, v)| {
                        let l = lang.get();
                        let what = match v.outcome {
                            linli_shared::domain::patrols::Outcome::NotHome => l.t("不在家", "not home"),
                            _ => l.t("需要帮助", "needs help"),
                        };
                        view! { <li><strong>{v.name}</strong>" "{v.flat}" · "{what}" · "{l.time(at)}<span class="meta">{v.note}</span></li> }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}

/// One round and its findings; whoever walked it turns a finding into a request in one tap.
#[component]
fn RoundItem(log: DocumentId, round: PatrolRound, mine: bool, grid: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let r = StoredValue::new(round);
    let grid = StoredValue::new(grid);
    let head = move || {
        let l = lang.get();
        r.with_value(|r| {
            let who = if r.by_name.is_empty() {
                r.by.clone()
            } else {
                r.by_name.clone()
            };
            format!("{} · {} · {}", l.round(r.round), l.time(r.at), who)
        })
    };
    view! {
        <li class="round" data-testid="round">
            <p class="head">{head}</p>
            <p class="note">{move || r.with_value(|r| r.note.clone())}</p>
            {move || {
                let visits = r.with_value(|r| r.visits.len());
                (visits > 0).then(|| {
                    let l = lang.get();
                    match l {
                        Lang::Zh => format!("走访 {visits} 位长辈"),
                        Lang::En => format!("{visits} elders visited"),
                    }
                })
            }}
            <ul class="findings">
                {r.with_value(|round| round.findings.clone()).into_iter().enumerate().map(|(i, f)| {
                    let request = DocumentId::parse(&f.request).ok();
                    let photos = f.photos.clone();
                    let text = f.text.clone();
                    let place = f.place.clone();
                    view! {
                        <li class="finding" data-testid="finding">
                            <span class="text">{f.text.clone()}</span>
                            <span class="meta">{f.place.clone()}</span>
                            <div class="photos">
                                {photos.into_iter().map(|h| view! { <Photo hash=h doc=log/> }).collect_view()}
                            </div>
                            {match request {
                                Some(id) => view! {
                                    <a href=Route::Request(id).hash() data-testid="finding-request">{move || lang.get().t("已转为诉求 →", "Became a request →")}</a>
                                }.into_any(),
                                None if mine => view! {
                                    <button type="button" class="primary" data-testid="to-request"
                                        on:click=move |_| to_request(app, log, r.with_value(|r| r.id.clone()), i, &text, &place, &grid.get_value())>
                                        {move || lang.get().t("转为诉求", "Make it a request")}
                                    </button>
                                }.into_any(),
                                None => ().into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </li>
    }
}

/// The community category a finding most likely belongs to.
fn category_for(text: &str) -> &'static str {
    const WORDS: &[(&str, &str)] = &[
        ("宠物", "pets"),
        ("犬", "pets"),
        ("堆", "clutter"),
        ("杂物", "clutter"),
        ("纸箱", "clutter"),
        ("漏", "leak"),
        ("渗", "leak"),
        ("积水", "sanitation"),
        ("垃圾", "garbage"),
        ("停车", "parking"),
        ("车位", "parking"),
        ("占用", "parking"),
        ("噪", "noise"),
        ("灯", "facilities"),
        ("损坏", "facilities"),
        ("坏", "facilities"),
        ("松动", "facilities"),
        ("充电", "facilities"),
    ];
    WORDS
        .iter()
        .find(|(w, _)| text.contains(w))
        .map_or("other", |(_, c)| c)
}

/// Files the finding as a request in this grid, in the walker's name, and links the two.
fn to_request(
    app: App,
    log: DocumentId,
    round: String,
    finding: usize,
    text: &str,
    place: &str,
    grid: &str,
) {
    let Some(session) = app.session.get_untracked() else {
        return;
    };
    let l = app.lang.get_untracked();
    let title: String = text
        .chars()
        .take(linli_shared::domain::requests::limits::TITLE_MAX)
        .collect();
    let description = match l {
        Lang::Zh => format!("巡查发现（{place}）：{text}"),
        Lang::En => format!("Found on a patrol ({place}): {text}"),
    };
    let draft = RequestDraft {
        title,
        description,
        category: category_for(text).into(),
        colour: None,
        grid: grid.into(),
        photos: Vec::new(),
    };
    let filing = Filing {
        filed_by: session.person.clone(),
        subject: session.person.clone(),
        household: session.household.clone().unwrap_or_default(),
    };
    let id = DocumentId::from_bytes(platform::random_bytes::<16>());
    let name = data::me(&app).map(|m| m.name).unwrap_or_default();
    let command = RequestCommand::File {
        draft,
        filing,
        name,
        source: format!("patrols:{log}:{round}:{finding}"),
    };
    let linked = app.send(id, command).and_then(|_| {
        app.send(
            log,
            PatrolCommand::LinkFinding {
                round,
                finding,
                request: id.to_string(),
            },
        )
    });
    match linked {
        Ok(_) => app.notice.set(Some(Notice::Saved)),
        Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
    }
}
