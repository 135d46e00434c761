//! The series of talks: its schedule, the meetings (staff schedule the next one), and each
//! party's attendance over time as a small chart with a table beside it.

use leptos::prelude::*;
use linli_shared::domain::talks::{Attendance, Series, SeriesCommand, Side, Talk, TalkCommand};
use linli_shared::ids::DocumentId;
use linli_shared::time::{civil_from_days, shanghai_day};

use super::{is_staff, my_seat, series, short_date, side_name, talks};
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

const WEEKDAYS: [(&str, &str); 7] = [
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
];

/// The next date (today included) falling on ISO `weekday`, as `YYYY-MM-DD`.
pub fn next_on(now: i64, weekday: u8) -> String {
    let day = shanghai_day(now);
    let today = (day + 3).rem_euclid(7) + 1;
    let d = day + (i64::from(weekday) - today).rem_euclid(7);
    let (y, m, dd) = civil_from_days(d);
    format!("{y:04}-{m:02}-{dd:02}")
}

/// One quarter's attendance: its label, and per side (present %, deputy %).
pub type Quarter = (String, Vec<(Side, u32, u32)>);

/// Per side, per quarter of the held meetings: (label, present %, deputy %).
pub fn attendance_by_quarter(held: &[Talk]) -> Vec<Quarter> {
    let mut quarters: Vec<(String, Vec<&Talk>)> = Vec::new();
    for t in held {
        let (y, m) = (
            t.date.get(..4).unwrap_or(""),
            t.date
                .get(5..7)
                .and_then(|m| m.parse::<u32>().ok())
                .unwrap_or(1),
        );
        let label = format!("{y} Q{}", (m - 1) / 3 + 1);
        match quarters.last_mut() {
            Some((l, v)) if *l == label => v.push(t),
            _ => quarters.push((label, vec![t])),
        }
    }
    quarters
        .into_iter()
        .map(|(label, ts)| {
            let n = ts.len().max(1) as u32;
            let per = Side::ALL
                .into_iter()
                .map(|s| {
                    let count =
                        |a| ts.iter().filter(|t| t.attendance_of(s) == Some(a)).count() as u32;
                    (
                        s,
                        count(Attendance::Present) * 100 / n,
                        count(Attendance::Deputy) * 100 / n,
                    )
                })
                .collect();
            (label, per)
        })
        .collect()
}

#[component]
pub fn TalksPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = Memo::new(move |_| talks(&app));
    let sched = Memo::new(move |_| series(&app));
    let held = Memo::new(move |_| {
        let mut v: Vec<Talk> = all
            .get()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| !t.attendance.is_empty())
            .collect();
        v.sort_by(|a, b| a.date.cmp(&b.date));
        v
    });
    let seat = move || my_seat(&app);
    view! {
        <main class="page talks">
            <h1>{move || lang.get().t("四方会谈", "Four-party talks")}</h1>
            <p class="muted" data-testid="talks-schedule">{move || sched.get().map(|(_, s)| {
                let l = lang.get();
                let (zh, en) = WEEKDAYS[usize::from(s.weekday.clamp(1, 7) - 1)];
                match l {
                    Lang::Zh => format!("{}：每周{} {}，{}", s.title, zh.trim_start_matches("星期"), s.time, s.place),
                    Lang::En => format!("{}: every {en} at {}, {}", s.title, s.time, s.place),
                }
            })}</p>
            {move || seat().map(|s| view! {
                <p class="chip seat" data-testid="my-seat">{move || format!("{} · {}", side_name(lang.get(), Side::Party(s.party)), s.title)}</p>
            })}
            <Show when=move || is_staff(&app)>
                <Schedule sched/>
            </Show>
            <section aria-labelledby="talks-list-h">
                <h2 id="talks-list-h">{move || lang.get().t("会谈", "Meetings")}</h2>
                <ul class="rows" data-testid="talks-list">
                    {move || all.get().into_iter().take(20).map(|(id, t)| {
                        let published = t.published_at.is_some();
                        let minutes = t.minutes_published_at.is_some();
                        let n = t.items.len();
                        view! {
                            <li>
                                <a href=Route::Talk(id).hash() class="row-link">
                                    <strong>{format!("{} {}", t.date, t.time)}</strong>
                                    <span>{t.items.first().map(|i| i.title.clone()).unwrap_or_default()}</span>
                                    <span class="muted">{move || {
                                        let l = lang.get();
                                        let state = if minutes { l.t("纪要已公开", "minutes published") }
                                            else if published { l.t("议程已公示", "agenda published") }
                                            else { l.t("草稿", "draft") };
                                        match l { Lang::Zh => format!("{n} 项议题 · {state}"), Lang::En => format!("{n} items · {state}") }
                                    }}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <AttendanceView held/>
        </main>
    }
}

#[component]
fn Schedule(sched: Memo<Option<(DocumentId, Series)>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let weekday = move || sched.get().map_or(3, |(_, s)| s.weekday);
    let date = RwSignal::new(next_on(app.now(), weekday()));
    let time = RwSignal::new(
        sched
            .get_untracked()
            .map_or("14:30".into(), |(_, s)| s.time),
    );
    let place = RwSignal::new(
        sched
            .get_untracked()
            .map_or(String::new(), |(_, s)| s.place),
    );
    let error = RwSignal::new(None::<String>);
    let new_day = RwSignal::new(weekday().to_string());
    let submit = move || {
        let id = DocumentId::from_bytes(platform::random_bytes::<16>());
        let c = TalkCommand::Create {
            date: date.get_untracked().trim().to_string(),
            time: time.get_untracked().trim().to_string(),
            place: place.get_untracked(),
        };
        match app.send(id, c) {
            Ok(_) => {
                error.set(None);
                app.go(Route::Talk(id));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => {
                error.set(Some(lang.get_untracked().input_error(&e)));
            }
            Err(e) => app.notice.set(Some(Notice::Error(e.to_string()))),
        }
    };
    let set_day = move || {
        let Some((id, mut s)) = sched.get_untracked() else {
            return;
        };
        s.weekday = new_day.get_untracked().parse().unwrap_or(3);
        if let Err(e) = app.send(id, SeriesCommand::Set { series: s }) {
            app.notice.set(Some(Notice::Error(e.to_string())));
        }
    };
    view! {
        <details class="card schedule" open>
            <summary>{move || lang.get().t("安排一次会谈", "Schedule a talk")}</summary>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="tk-date">{move || lang.get().t("日期", "Date")}</label>
                    <input id="tk-date" type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="tk-time">{move || lang.get().t("时间", "Time")}</label>
                    <input id="tk-time" type="time" prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="tk-place">{move || lang.get().t("地点", "Place")}</label>
                    <input id="tk-place" prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev)) maxlength="60"/>
                </div>
                <p class="field-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" data-testid="tk-create">{move || lang.get().t("安排会谈", "Schedule")}</button>
            </form>
            <form novalidate class="inline" on:submit=move |ev| { ev.prevent_default(); set_day(); }>
                <label for="tk-weekday">{move || lang.get().t("每周例会日", "Weekly on")}</label>
                <select id="tk-weekday" prop:value=move || new_day.get() on:change=move |ev| new_day.set(event_target_value(&ev))>
                    {WEEKDAYS.iter().enumerate().map(|(i, (zh, en))| {
                        let (zh, en) = (*zh, *en);
                        view! { <option value=(i + 1).to_string()>{move || lang.get().t(zh, en)}</option> }
                    }).collect_view()}
                </select>
                <button type="submit">{move || lang.get().t("修改例会日", "Change the day")}</button>
            </form>
        </details>
    }
}

/// Attendance per party by quarter: a small line chart, and the same as a table.
#[component]
fn AttendanceView(held: Memo<Vec<Talk>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = Memo::new(move |_| attendance_by_quarter(&held.get()));
    let colours = [
        "#b3261e", "#555", "#1d6fb8", "#2e7d32", "#e07000", "#7b3fa0",
    ];
    view! {
        <section aria-labelledby="att-h" class="attendance" data-testid="attendance">
            <h2 id="att-h">{move || lang.get().t("各方出席率", "Attendance by party")}</h2>
            {move || {
                let r = rows.get();
                if r.is_empty() {
                    return view! { <p class="empty">{move || lang.get().t("还没有开过会。", "No meetings held yet.")}</p> }.into_any();
                }
                let w = 300.0f64;
                let h = 100.0f64;
                let step = if r.len() > 1 { w / (r.len() - 1) as f64 } else { w };
                let lines = Side::ALL.into_iter().enumerate().map(|(k, side)| {
                    let pts: Vec<String> = r.iter().enumerate().map(|(i, (_, per))| {
                        let p = per.iter().find(|(s, _, _)| *s == side).map_or(0, |x| x.1);
                        format!("{:.0},{:.0}", i as f64 * step, h - f64::from(p))
                    }).collect();
                    view! { <polyline points=pts.join(" ") fill="none" stroke=colours[k] stroke-width="2"/> }
                }).collect_view();
                let merchant_trend = {
                    let first = r.first().and_then(|(_, p)| p.iter().find(|x| x.0 == Side::Party(linli_shared::policy::Party::Merchant)).map(|x| x.1)).unwrap_or(0);
                    let last = r.last().and_then(|(_, p)| p.iter().find(|x| x.0 == Side::Party(linli_shared::policy::Party::Merchant)).map(|x| x.1)).unwrap_or(0);
                    (first, last)
                };
                let rr = r.clone();
                view! {
                    <figure>
                        <svg viewBox="-4 -4 308 108" class="chart" role="img" aria-label=move || match lang.get() {
                            Lang::Zh => format!("各方按季度出席率折线图；商户代表从 {}% 变为 {}%，详见下表", merchant_trend.0, merchant_trend.1),
                            Lang::En => format!("Attendance by quarter; merchants went from {}% to {}%; the table below has the figures", merchant_trend.0, merchant_trend.1),
                        }>
                            {lines}
                        </svg>
                        <figcaption class="legend">
                            {Side::ALL.into_iter().enumerate().map(|(k, s)| view! {
                                <span><span class=format!("swatch s{k}") aria-hidden="true"></span>{move || side_name(lang.get(), s)}</span>
                            }).collect_view()}
                        </figcaption>
                    </figure>
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || lang.get().t("出席率表", "Attendance table")>
                        <table data-testid="attendance-table">
                            <caption>{move || lang.get().t("出席率（委派代表另计）", "Present (deputies in brackets)")}</caption>
                            <thead><tr>
                                <th scope="col">{move || lang.get().t("季度", "Quarter")}</th>
                                {Side::ALL.into_iter().map(|s| view! { <th scope="col">{move || side_name(lang.get(), s)}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rr.into_iter().map(|(label, per)| view! {
                                    <tr>
                                        <th scope="row">{label}</th>
                                        {per.into_iter().map(|(_, p, d)| view! {
                                            <td>{if d > 0 { format!("{p}% ({d}%)") } else { format!("{p}%") }}</td>
                                        }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="muted">{move || held.get().last().map(|t| match lang.get() {
                Lang::Zh => format!("最近一次：{}", short_date(&t.date)),
                Lang::En => format!("Latest: {}", short_date(&t.date)),
            })}</p>
        </section>
    }
}
