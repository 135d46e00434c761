//! The community's modules in one place (the 社区 tab): each module a tile with a line of
//! what is new in it, shown to those it is for. A new module adds one tile here instead of
//! a tab, so the tab bar keeps five places at most on a 390 px phone.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::state::{App, Route};

/// One tile: where it leads, its name, and a line of what is in it now.
#[derive(Clone, PartialEq)]
struct Tile {
    route: Route,
    icon: &'static str,
    name: (&'static str, &'static str),
    line: String,
}

fn tiles(app: &App, l: Lang) -> Vec<Tile> {
    let mut out = Vec::new();
    // The four-party talks: everyone (published agendas and minutes; representatives more).
    let today = linli_shared::time::LocalDateTime::shanghai(app.now());
    let today = format!("{:04}-{:02}-{:02}", today.year, today.month, today.day);
    let talks = crate::pages::talks::talks(app);
    let next = talks
        .iter()
        .filter(|(_, t)| t.date >= today)
        .min_by(|a, b| (&a.1.date, &a.1.time).cmp(&(&b.1.date, &b.1.time)));
    out.push(Tile {
        route: Route::Talks,
        icon: "◎",
        name: ("四方会谈", "Four-party talks"),
        line: match (next, l) {
            (Some((_, t)), Lang::Zh) => format!("下一次：{} {} · {}", t.date, t.time, t.place),
            (Some((_, t)), Lang::En) => format!("Next: {} {} · {}", t.date, t.time, t.place),
            (None, Lang::Zh) => format!("已召开 {} 次", talks.len()),
            (None, Lang::En) => format!("{} talks held", talks.len()),
        },
    });
    // Owners' votes 业主表决: how many are open, for everyone.
    let votes = crate::pages::talks::vote::votes(app);
    let now_v = app.now();
    let open_votes = votes.iter().filter(|(_, v)| v.is_open(now_v)).count();
    if !votes.is_empty() {
        out.push(Tile {
            route: Route::Votes,
            icon: "☑",
            name: ("业主表决", "Owners' votes"),
            line: match (open_votes, l) {
                (0, Lang::Zh) => format!("已完成 {} 次表决", votes.len()),
                (0, Lang::En) => format!("{} votes held", votes.len()),
                (n, Lang::Zh) => format!("{n} 项表决进行中"),
                (n, Lang::En) => format!("{n} open"),
            },
        });
    }
    // The community fund 微创投: its balance, for everyone to see where every yuan went.
    if let Some((_, ledger)) = crate::pages::grants::fund(app) {
        let money = crate::pages::grants::money(ledger.available());
        out.push(Tile {
            route: Route::Fund,
            icon: "¥",
            name: ("社区基金", "Community fund"),
            line: match l {
                Lang::Zh => format!("可用余额 {money}"),
                Lang::En => format!("Available {money}"),
            },
        });
    }
    let now = app.now();
    let open = crate::pages::grants::calls(app)
        .into_iter()
        .filter(|(_, c)| !c.closed && c.deadline > now)
        .count();
    out.push(Tile {
        route: Route::Grants,
        icon: "✎",
        name: ("微创投", "Micro-grants"),
        line: match (open, l) {
            (0, Lang::Zh) => "提案与资助项目".to_string(),
            (0, Lang::En) => "Proposals and funded projects".to_string(),
            (n, Lang::Zh) => format!("{n} 个征集进行中"),
            (n, Lang::En) => format!("{n} open call(s)"),
        },
    });
    // Facility works 设施改造: what was repaired this year, for everyone.
    let works = crate::pages::works::works(app);
    if !works.is_empty() {
        let year = linli_shared::time::LocalDateTime::shanghai(app.now()).year;
        let done = works
            .iter()
            .filter(|(_, w)| {
                w.done_at()
                    .is_some_and(|t| linli_shared::time::LocalDateTime::shanghai(t).year == year)
            })
            .count();
        let going = works
            .iter()
            .filter(|(_, w)| w.status() != linli_shared::domain::works::Status::Done)
            .count();
        out.push(Tile {
            route: Route::Works,
            icon: "⚒",
            name: ("设施改造", "Facility works"),
            line: match l {
                Lang::Zh => format!("今年完工 {done} 项 · 进行中 {going} 项"),
                Lang::En => format!("{done} finished this year · {going} under way"),
            },
        });
    }
    // Events 睦邻活动: the next one, for everyone.
    let events = crate::pages::events::events(app);
    let now_e = app.now();
    let next_event = events.iter().find(|(_, e)| e.starts_at > now_e);
    out.push(Tile {
        route: Route::Events,
        icon: "❀",
        name: ("睦邻活动", "Events"),
        line: match (next_event, l) {
            (Some((_, e)), Lang::Zh) => format!("下一场：{} {}", e.title, l.time(e.starts_at)),
            (Some((_, e)), Lang::En) => format!("Next: {} {}", e.title, l.time(e.starts_at)),
            (None, Lang::Zh) => format!("已举办 {} 场", events.len()),
            (None, Lang::En) => format!("{} events held", events.len()),
        },
    });
    // Volunteers 志愿者: a volunteer's own hours, staff's entries to confirm.
    if let Some((route, line)) = crate::pages::volunteers::tile_line(app, l) {
        out.push(Tile {
            route,
            icon: "♥",
            name: ("志愿者", "Volunteers"),
            line,
        });
    }
    // Self-governing groups 自治组织: for everyone, with how many were active lately.
    let groups = crate::pages::groups::groups(app);
    if !groups.is_empty() {
        let now = app.now();
        let active = groups
            .iter()
            .filter(|(_, g)| {
                g.group.active_in(
                    now - 30 * linli_shared::time::DAY,
                    now + linli_shared::time::HOUR,
                )
            })
            .count();
        let mine = groups
            .iter()
            .filter(|(_, g)| {
                g.group
                    .membership(
                        &app.session
                            .with(|s| s.as_ref().map(|s| s.person.clone()).unwrap_or_default()),
                    )
                    .is_some()
            })
            .count();
        out.push(Tile {
            route: Route::Groups,
            icon: "◎",
            name: ("自治组织", "Groups"),
            line: match l {
                Lang::Zh if mine > 0 => format!("我参加了 {mine} 个 · 近30天活跃 {active} 个"),
                Lang::En if mine > 0 => format!("You're in {mine} · {active} active lately"),
                Lang::Zh => format!("{} 个组织 · 近30天活跃 {active} 个", groups.len()),
                Lang::En => format!("{} groups · {active} active lately", groups.len()),
            },
        });
    }
    // Charter and rules 社区公约: the rules the community adopted, for everyone.
    if let Some(line) = crate::pages::charters::tile_line(app, l) {
        out.push(Tile {
            route: Route::Charters,
            icon: "§",
            name: ("社区公约", "Charter and rules"),
            line,
        });
    }
    // The governance school 社区治理学院: training sessions, for everyone.
    out.push(Tile {
        route: Route::School,
        icon: "✎",
        name: ("社区治理学院", "Governance school"),
        line: crate::pages::school::tile_line(app, l),
    });
    // The community resource map 社区资源地图: spaces, facilities, talents, for everyone.
    out.push(Tile {
        route: Route::ResourceMap,
        icon: "⌖",
        name: ("社区资源地图", "Resource map"),
        line: crate::pages::resmap::tile_line(app, l),
    });
    // Children's drawings 童眼看社区: for everyone (residents see the shown ones and their own).
    out.push(Tile {
        route: Route::Drawings,
        icon: "✿",
        name: ("孩子们的画", "Children's drawings"),
        line: crate::pages::drawings::tile_line(app, l),
    });
    // The practice roadmap 实践路径图谱: staff and grid workers always, residents once published.
    if let Some(line) = crate::pages::roadmap::tile_line(app, l) {
        out.push(Tile {
            route: Route::Roadmap,
            icon: "➚",
            name: ("实践路径图谱", "Practice roadmap"),
            line,
        });
    }
    // Field notes 田野笔记: staff, grid workers and volunteers (never residents).
    if let Some(line) = crate::pages::notes::tile_line(app, l) {
        out.push(Tile {
            route: Route::FieldNotes,
            icon: "✍",
            name: ("田野笔记", "Field notes"),
            line,
        });
    }
    // The indicators 指标: staff and grid workers the 30 and the activity index, everyone
    // else the public few.
    let all = crate::pages::indicators::sees_all(app);
    out.push(Tile {
        route: Route::Indicators,
        icon: "▤",
        name: ("指标", "Indicators"),
        line: match (all, l) {
            (true, Lang::Zh) => "30项关键指标 · 社区活跃度".to_string(),
            (true, Lang::En) => "30 key indicators · activity index".to_string(),
            (false, Lang::Zh) => "按时答复 · 活动场次 · 基金使用".to_string(),
            (false, Lang::En) => "On-time answers · events · fund use".to_string(),
        },
    });
    let grids = crate::pages::grid::my_grids(app);
    if !grids.is_empty() {
        let names: Vec<String> = grids.iter().map(|g| l.grid_name(g)).collect();
        out.push(Tile {
            route: Route::Grids,
            icon: "▦",
            name: ("网格", "Grids"),
            line: match l {
                Lang::Zh => format!("早巡午访夜谈 · {}", names.join("、")),
                Lang::En => format!("Patrols · {}", names.join(", ")),
            },
        });
    }
    // Merchant credit 商户信用: for whoever holds shops' records (staff, grid teams and
    // workers, a merchant their own).
    let shops = crate::pages::merchants::merchants(app);
    if !shops.is_empty() {
        let mine = crate::pages::merchants::my_shops(app);
        out.push(Tile {
            route: match mine.as_slice() {
                [(id, _)] if shops.len() == 1 => Route::Merchant(*id),
                _ => Route::Merchants,
            },
            icon: "★",
            name: ("商户信用", "Merchant credit"),
            line: match (mine.first(), l) {
                (Some((_, s)), Lang::Zh) => format!("我的信用分 {}", s.score),
                (Some((_, s)), Lang::En) => format!("My score {}", s.score),
                (None, Lang::Zh) => format!("{} 家商户 · 门前三包", shops.len()),
                (None, Lang::En) => format!("{} shops · frontage duties", shops.len()),
            },
        });
    }
    // The case library 案例库: staff and grid workers, with the cases matched to the community.
    if crate::pages::cases::sees_matches(app) {
        out.push(Tile {
            route: Route::Cases,
            icon: "❖",
            name: ("案例库", "Case library"),
            line: match l {
                Lang::Zh => format!(
                    "{} 个本地化案例 · 匹配本社区问题",
                    linli_shared::cases::CASES.len()
                ),
                Lang::En => format!(
                    "{} local cases · matched to our problems",
                    linli_shared::cases::CASES.len()
                ),
            },
        });
    }
    // The practice report 实践报告: staff draft the year's report from the data.
    if app.session.with_untracked(|s| {
        s.as_ref()
            .is_some_and(|s| s.role == linli_shared::policy::Role::Staff)
    }) {
        out.push(Tile {
            route: Route::Report,
            icon: "▤",
            name: ("实践报告", "Practice report"),
            line: crate::pages::report::tile_line(l),
        });
    }
    // Exports 导出: the registers this phone holds for the person's role, as CSV.
    let who = crate::pages::exports::exporter(app);
    let registers = linli_shared::export::Register::ALL
        .into_iter()
        .filter(|r| r.offered_to(&who))
        .count();
    out.push(Tile {
        route: Route::Exports,
        icon: "⇩",
        name: ("导出", "Exports"),
        line: match l {
            Lang::Zh => format!("{registers} 个登记表 · CSV · 离线可用"),
            Lang::En => format!("{registers} registers · CSV · works offline"),
        },
    });
    out
}

#[component]
pub fn HubPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // Worked out once per change of the data; a tile whose line did not change keeps its
    // element (keyed), so a document arriving does not replace the tile under a finger.
    let list = Memo::new(move |_| {
        let l = lang.get();
        tiles(&app, l)
            .into_iter()
            .map(|t| (l, t))
            .collect::<Vec<_>>()
    });
    view! {
        <main class="page hub">
            <h2>{move || lang.get().t("社区", "Community")}</h2>
            <ul class="cards hub-tiles">
                <For
                    each=move || list.get()
                    key=|(l, t)| (t.route.hash(), l.t(t.name.0, t.name.1), t.line.clone())
                    children=|(l, t)| view! {
                        <li class="card">
                            <a href=t.route.hash() data-testid="hub-tile">
                                <span class="icon" aria-hidden="true">{t.icon}</span>
                                <strong>{l.t(t.name.0, t.name.1)}</strong>
                                <span class="meta">{t.line}</span>
                            </a>
                        </li>
                    }
                />
            </ul>
            <Show when=move || list.with(Vec::is_empty)>
                <p class="empty">{move || lang.get().t("这里会列出社区的议事、基金、网格和活动。", "The community's talks, fund, grids and events appear here.")}</p>
            </Show>
        </main>
    }
}
