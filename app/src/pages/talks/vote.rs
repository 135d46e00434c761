//! Owners' votes 业主表决: one vote (the question, the thresholds of art. 278 drawn plainly, the
//! live tally on the phones that hold the flats' sheets, the published result), a resident's
//! own ballot (large buttons, readable in elder mode), a collector's roll for entering paper
//! ballots flat by flat offline, staff closing it; and starting a vote from a talk decision.

use leptos::prelude::*;
use linli_shared::domain::owners_vote::{
    Choice, Matter, Outcome, RollEntry, Sheet, SheetCommand, SheetSummary, Vote, VoteCommand,
    VoteDraft, VoteError, VoteSummary, building_of, electorate, percent, roll_from_records, tally,
};
use linli_shared::domain::people::PersonSummary;
use linli_shared::domain::{ModelError, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, Millis};

use super::is_staff;
use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

/// What is wrong with a vote or a ballot, in the person's language.
pub fn vote_error(l: Lang, e: &VoteError) -> String {
    let zh = l == Lang::Zh;
    match e {
        VoteError::ClosesBeforeOpens => l
            .t(
                "截止时间应晚于开始时间",
                "The vote must close after it opens",
            )
            .into(),
        VoteError::ClosesTooLate { days } => {
            if zh {
                format!("表决期最长 {days} 天，请提前截止时间")
            } else {
                format!("A vote closes at most {days} days after it starts")
            }
        }
        VoteError::ClosesInThePast => l
            .t("截止时间已经过了", "The closing time has passed")
            .into(),
        VoteError::EmptyRoll => l
            .t(
                "没有登记了建筑面积的房屋，无法发起表决",
                "No flat on record has a floor area: there is nobody to vote",
            )
            .into(),
        VoteError::RollTooLarge { max } => {
            if zh {
                format!("一次表决最多 {max} 户")
            } else {
                format!("At most {max} flats in one vote")
            }
        }
        VoteError::BadArea => l
            .t(
                "建筑面积应在 0.01 到 10000 平方米之间",
                "A floor area is 0.01 to 10,000 m²",
            )
            .into(),
        VoteError::Closed => l
            .t(
                "表决已截止，不能再投票",
                "The vote has closed: no more ballots",
            )
            .into(),
        VoteError::NotOpenYet => l.t("表决还没开始", "The vote has not opened yet").into(),
    }
}

pub fn matter_name(l: Lang, m: Matter) -> &'static str {
    match m {
        Matter::UseFund => l.t(
            "使用建筑物及其附属设施的维修资金",
            "Using the maintenance fund",
        ),
        Matter::RaiseFund => l.t("筹集维修资金", "Raising the maintenance fund"),
        Matter::Rebuild => l.t("改建、重建建筑物", "Rebuilding or reconstructing buildings"),
        Matter::ChangeSharedParts => l.t(
            "改变共有部分的用途或利用共有部分从事经营活动",
            "Changing the use of shared parts or renting them out",
        ),
        Matter::Other => l.t("其他共同决定事项", "Another matter for the owners"),
    }
}

/// The approval threshold in words.
fn threshold_words(l: Lang, m: Matter) -> &'static str {
    if m.special() {
        l.t("四分之三以上（≥75%）", "three quarters or more (≥ 75%)")
    } else {
        l.t("过半数（>50%）", "more than half (> 50%)")
    }
}

fn choice_name(l: Lang, c: Choice) -> &'static str {
    match c {
        Choice::Yes => l.t("同意", "Yes"),
        Choice::No => l.t("反对", "No"),
        Choice::Abstain => l.t("弃权", "Abstain"),
    }
}

/// Every vote this device holds, newest first.
pub fn votes(app: &App) -> Vec<(DocumentId, Vote)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::OwnersVote(VoteSummary { vote }) => Some((*id, vote.clone())),
        _ => None,
    });
    v.sort_by_key(|b| std::cmp::Reverse(b.1.opens_at));
    v
}

/// Every sheet of this vote this device holds (its own flat's, or its grid's, or all for
/// staff), sorted by flat.
pub fn sheets(app: &App, vote: &DocumentId) -> Vec<(DocumentId, Sheet)> {
    let key = vote.to_string();
    let mut v = app.each_summary(|id, s| match s {
        Summary::VoteSheet(SheetSummary { sheet }) if sheet.vote == key => {
            Some((*id, sheet.clone()))
        }
        _ => None,
    });
    v.sort_by(|a, b| a.1.flat.cmp(&b.1.flat));
    v
}

/// The votes a talk's decision sent to the owners.
pub fn votes_for(app: &App, talk: &DocumentId, item: &str) -> Vec<(DocumentId, Vote)> {
    let t = talk.to_string();
    votes(app)
        .into_iter()
        .filter(|(_, v)| v.talk.as_deref() == Some(t.as_str()) && v.item.as_deref() == Some(item))
        .collect()
}

fn my_household(app: &App) -> Option<String> {
    app.session.with(|s| s.as_ref()?.household.clone())
}

fn me(app: &App) -> (String, String) {
    let id = app
        .session
        .with(|s| s.as_ref().map(|s| s.person.clone()))
        .unwrap_or_default();
    let name = data::me(app).map(|m| m.name).unwrap_or_default();
    (id, name)
}

fn report(app: &App, r: Result<(), ModelError>, error: RwSignal<Option<String>>) -> bool {
    match r {
        Ok(()) => {
            error.set(None);
            true
        }
        Err(ModelError::Input(e)) => {
            error.set(Some(app.lang.get_untracked().input_error(&e)));
            false
        }
        Err(e) => {
            app.notice.set(Some(Notice::Error(e.to_string())));
            false
        }
    }
}

fn area_m2(a: i64) -> String {
    format!("{}.{:02}", a / 100, a % 100)
}

fn pct(part: i64, whole: i64) -> String {
    percent(part, whole).map_or("—".into(), |p| format!("{p:.1}%"))
}

/// `YYYY-MM-DD HH:MM` in Shanghai time.
fn when(at: Millis) -> String {
    let day = linli_shared::time::shanghai_day(at);
    let (y, m, d) = linli_shared::time::civil_from_days(day);
    let in_day = at + linli_shared::time::SHANGHAI_OFFSET - day * DAY;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        in_day / 3_600_000,
        (in_day / 60_000) % 60
    )
}

/// Parses a `datetime-local` value (`YYYY-MM-DDTHH:MM`, Shanghai time).
fn parse_local(s: &str) -> Option<Millis> {
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-');
    let y: i32 = d.next()?.parse().ok()?;
    let m: u32 = d.next()?.parse().ok()?;
    let dd: u32 = d.next()?.parse().ok()?;
    let mut t = time.split(':');
    let hh: i64 = t.next()?.parse().ok()?;
    let mm: i64 = t.next()?.parse().ok()?;
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&dd)
        || !(0..=23).contains(&hh)
        || !(0..=59).contains(&mm)
    {
        return None;
    }
    let day = linli_shared::time::days_from_civil(y, m, dd);
    Some(linli_shared::time::shanghai_day_start(day) + hh * 3_600_000 + mm * 60_000)
}

fn local_value(at: Millis) -> String {
    when(at).replacen(' ', "T", 1)
}

/// One ratio against its threshold, drawn as a bar with the mark, and said in words.
#[component]
fn Ratio(
    label: String,
    part: i64,
    whole: i64,
    /// The threshold in percent (drawn as a mark).
    mark: f64,
    ok: bool,
    testid: &'static str,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let p = percent(part, whole).unwrap_or(0.0);
    // Drawn in SVG attributes: the content security policy allows no inline styles.
    let width = format!("{}", p.clamp(0.0, 100.0));
    let at = format!("{mark}");
    view! {
        <div class="ratio" data-testid=testid>
            <p>
                <span>{label.clone()}</span>" "
                <strong data-testid=format!("{testid}-pct")>{pct(part, whole)}</strong>" "
                <span class=if ok { "chip ok" } else { "chip" }>{move || if ok { lang.get().t("✓ 达到", "✓ reached") } else { lang.get().t("✗ 未达到", "✗ not reached") }}</span>
            </p>
            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=format!("{label} {} / {mark}%", pct(part, whole))>
                <rect class="track" x="0" y="2" width="100" height="6" rx="3"></rect>
                <rect class="fill" x="0" y="2" width=width height="6" rx="3"></rect>
                <rect class="mark" x=at.clone() y="0" width="0.8" height="10"></rect>
            </svg>
        </div>
    }
}

/// The tally (live or published): participation against two thirds, approval against the
/// matter's threshold, each by area and by owners.
#[component]
fn TallyView(vote: Vote, outcome: Outcome, published: bool) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let e = vote.electorate;
    let o = outcome;
    let special = vote.matter.special();
    let mark = if special { 75.0 } else { 50.0 };
    let j = linli_shared::domain::owners_vote::judge(vote.matter, e, &o);
    let area_q = 3 * i128::from(o.participating_area) >= 2 * i128::from(e.area);
    let owners_q = 3 * i128::from(o.participating_owners) >= 2 * i128::from(e.owners);
    let appr = |y: i64, of: i64| {
        let (y, of) = (i128::from(y), i128::from(of));
        if special { 4 * y >= 3 * of } else { 2 * y > of }
    };
    let l = lang.get_untracked();
    view! {
        <section class="card tally" aria-labelledby="tally-h" data-testid=if published { "result" } else { "tally" }>
            <h2 id="tally-h">{move || if published { lang.get().t("表决结果（已公布）", "Result (published)") } else { lang.get().t("实时计票", "Live tally") }}</h2>
            <p class="verdict" data-testid="verdict">{move || {
                let l = lang.get();
                match (j.quorum, j.passed, published) {
                    (_, true, true) => l.t("✓ 通过", "✓ Passed"),
                    (_, false, true) => l.t("✗ 未通过", "✗ Not passed"),
                    (true, true, false) => l.t("目前：达到通过条件", "So far: would pass"),
                    (true, false, false) => l.t("目前：参与已够，同意不足", "So far: enough took part, not enough yes"),
                    (false, _, false) => l.t("目前：参与人数或面积不足三分之二", "So far: fewer than two thirds took part"),
                }
            }}</p>
            <p class="muted" data-testid="counted">{move || match lang.get() {
                Lang::Zh => format!("已计 {} 户 / 共 {} 户；同意 {} 户", o.participating_owners, e.owners, o.yes_owners),
                Lang::En => format!("{} of {} flats counted; {} yes", o.participating_owners, e.owners, o.yes_owners),
            }}</p>
            <h3>{move || lang.get().t("参与表决（需 ≥ 三分之二）", "Taking part (needs ≥ two thirds)")}</h3>
            <Ratio label=l.t("专有面积", "By floor area").into() part=o.participating_area whole=e.area mark=66.7 ok=area_q testid="part-area"/>
            <Ratio label=l.t("业主人数", "By owners").into() part=o.participating_owners whole=e.owners mark=66.7 ok=owners_q testid="part-owners"/>
            <h3>{move || format!("{}{}", lang.get().t("同意 · 需占参与表决的", "Yes · needs, of those taking part, "), threshold_words(lang.get(), vote.matter))}</h3>
            <Ratio label=l.t("专有面积", "By floor area").into() part=o.yes_area whole=o.participating_area mark=mark ok=appr(o.yes_area, o.participating_area) testid="yes-area"/>
            <Ratio label=l.t("业主人数", "By owners").into() part=o.yes_owners whole=o.participating_owners mark=mark ok=appr(o.yes_owners, o.participating_owners) testid="yes-owners"/>
        </section>
    }
}

#[component]
pub fn VotePage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let vote = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::OwnersVote(VoteSummary { vote }) => Some(vote.clone()),
            _ => None,
        })
        .flatten()
    });
    let all = Memo::new(move |_| sheets(&app, &id));
    let household = move || my_household(&app);
    let mine = Memo::new(move |_| {
        let h = household()?;
        all.get().into_iter().find(|(_, s)| s.household == h)
    });
    let others = Memo::new(move |_| {
        let h = household();
        all.get()
            .into_iter()
            .filter(|(_, s)| Some(&s.household) != h.as_ref())
            .collect::<Vec<_>>()
    });
    view! {
        <main class="page vote">
            <a href=Route::Votes.hash() class="back">{move || lang.get().t("‹ 业主表决", "‹ Owners' votes")}</a>
            {move || match vote.get() {
                None => view! { <p class="empty">{move || lang.get().t("这次表决不在本机。", "This vote is not on this phone.")}</p> }.into_any(),
                Some(v) => {
                    let closed = v.closed_at.is_some();
                    let v2 = v.clone();
                    let v3 = v.clone();
                    let live = move || {
                        let s: Vec<Sheet> = all.get().into_iter().map(|(_, s)| s).collect();
                        // A phone holding only its own flat's sheet has no tally to show.
                        (!others.get().is_empty() || is_staff(&app)).then(|| tally(&id.to_string(), &v2, &s))
                    };
                    view! {
                        <h1 data-testid="vote-question">{v.question.clone()}</h1>
                        <p class="chip" data-testid="vote-state">{move || {
                            let l = lang.get();
                            if closed { l.t("已截止", "Closed") }
                            else if app.now() < v.opens_at { l.t("未开始", "Not open yet") }
                            else { l.t("表决中", "Open") }
                        }}</p>
                        <dl class="facts">
                            <dt>{move || lang.get().t("事项", "Matter")}</dt>
                            <dd>{move || matter_name(lang.get(), v.matter)}</dd>
                            <dt>{move || lang.get().t("表决期", "Period")}</dt>
                            <dd>{format!("{} – {}", when(v.opens_at), when(v.closes_at))}</dd>
                            <dt>{move || lang.get().t("通过条件", "To pass")}</dt>
                            <dd>{move || {
                                let l = lang.get();
                                format!("{}{}",
                                    l.t("参与表决的专有面积和业主人数均 ≥ 三分之二；同意的面积和人数均占参与表决的", "owners holding ≥ two thirds of the area and ≥ two thirds of the owners take part; yes from "),
                                    threshold_words(l, v.matter))
                            }}</dd>
                        </dl>
                        {v.talk.clone().and_then(|t| DocumentId::parse(&t).ok()).map(|t| view! {
                            <p><a href=Route::Talk(t).hash()>{move || lang.get().t("来自四方会谈的决定", "From a four-party talk's decision")}</a></p>
                        })}
                        {v.result.map(|r| view! { <TallyView vote=v3.clone() outcome=r published=true/> })}
                        {move || (!closed).then(|| live().map(|o| view! { <TallyView vote=v.clone() outcome=o published=false/> }))}
                    }.into_any()
                }
            }}
            {move || mine.get().map(|(sid, s)| view! { <MyBallot sheet_id=sid sheet=s/> })}
            <Show when=move || !others.get().is_empty()>
                <Roll vote=id sheets=others/>
            </Show>
            <Show when=move || is_staff(&app) && vote.get().is_some_and(|v| v.closed_at.is_none())>
                <CloseVote id vote sheets=all/>
            </Show>
        </main>
    }
}

/// A resident's own flat: the counted ballot and three large buttons.
#[component]
fn MyBallot(sheet_id: DocumentId, sheet: Sheet) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let error = RwSignal::new(None::<String>);
    let counted = sheet.counted().cloned();
    let open = sheet.is_open(app.now());
    let flat = sheet.flat.clone();
    let cast = move |c: Choice| {
        let (by, by_name) = me(&app);
        let r = app
            .send(
                sheet_id,
                SheetCommand::Cast {
                    by,
                    by_name,
                    choice: c,
                    paper: false,
                },
            )
            .map(|_| ());
        report(&app, r, error);
    };
    view! {
        <section class="card my-ballot" aria-labelledby="my-ballot-h" data-testid="my-ballot">
            <h2 id="my-ballot-h">{move || match lang.get() {
                Lang::Zh => format!("我家（{flat}）的表决票"),
                Lang::En => format!("My flat's ballot ({flat})"),
            }}</h2>
            <p data-testid="my-counted">{
                let counted = counted.clone();
                move || {
                    let l = lang.get();
                    match &counted {
                        None => l.t("还没有投票", "Not voted yet").to_string(),
                        Some(b) => format!("{}{}{}",
                            l.t("已计入：", "Counted: "),
                            choice_name(l, b.choice),
                            if b.paper { l.t("（楼组长代录纸质票）", " (paper ballot entered by a collector)") } else { l.t("（本人手机投票）", " (on the owner's phone)") }),
                    }
                }
            }</p>
            <Show when=move || open>
                <div class="buttons vote-buttons">
                    {Choice::ALL.into_iter().map(|c| view! {
                        <button class="primary big" data-testid=format!("cast-{}", c.as_str()) on:click=move |_| cast(c)>
                            {move || choice_name(lang.get(), c)}
                        </button>
                    }).collect_view()}
                </div>
            </Show>
            <p class="field-error" role="alert" data-testid="ballot-error">{move || error.get()}</p>
        </section>
    }
}

/// Whether a flat matches what was typed in the roll's filter: a building (`7`), the start of
/// a flat (`7-2`), or a room (`301`).
fn roll_matches(flat: &str, f: &str) -> bool {
    f.is_empty()
        || building_of(flat) == f
        || (f.contains('-') && flat.starts_with(f))
        || flat.rsplit('-').next() == Some(f)
}

/// A collector's (or staff's) roll: every flat their phone holds, filterable, with the counted
/// ballot and buttons to enter a paper ballot.
#[component]
fn Roll(vote: DocumentId, sheets: Memo<Vec<(DocumentId, Sheet)>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let _ = vote;
    let filter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let rows = move || {
        let f = filter.get();
        let f = f.trim();
        sheets
            .get()
            .into_iter()
            .filter(|(_, s)| roll_matches(&s.flat, f))
            .collect::<Vec<_>>()
    };
    let enter = move |sid: DocumentId, c: Choice| {
        let (by, by_name) = me(&app);
        let r = app
            .send(
                sid,
                SheetCommand::Cast {
                    by,
                    by_name,
                    choice: c,
                    paper: true,
                },
            )
            .map(|_| ());
        report(&app, r, error);
    };
    view! {
        <section class="card roll" aria-labelledby="roll-h" data-testid="roll">
            <h2 id="roll-h">{move || lang.get().t("纸质票录入 · 房号名册", "Paper ballots · the roll")}</h2>
            <div class="field">
                <label for="roll-filter">{move || lang.get().t("按楼号或房号筛选", "Filter by building or flat")}</label>
                <input id="roll-filter" inputmode="numeric" prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) data-testid="roll-filter"/>
            </div>
            <p class="field-error" role="alert" data-testid="roll-error">{move || error.get()}</p>
            <ul class="rows">
                {move || rows().into_iter().map(|(sid, s)| {
                    let counted = s.counted().cloned();
                    let open = s.is_open(app.now());
                    let flat = s.flat.clone();
                    view! {
                        <li data-testid="roll-row" data-flat=s.flat.clone()>
                            <p>
                                <strong>{s.flat.clone()}</strong>" "
                                <span class="muted">{format!("{} m²", area_m2(s.area))}</span>" "
                                <span data-testid="row-counted">{move || {
                                    let l = lang.get();
                                    match &counted {
                                        None => l.t("未投", "not voted").to_string(),
                                        Some(b) => format!("{}{}", choice_name(l, b.choice), if b.paper { l.t("·纸质", " · paper") } else { l.t("·本人", " · owner") }),
                                    }
                                }}</span>
                            </p>
                            <Show when=move || open>
                                <div class="buttons">
                                    {Choice::ALL.into_iter().map(|c| {
                                        let flat = flat.clone();
                                        view! {
                                            <button data-testid=format!("paper-{}", c.as_str()) aria-label=move || format!("{} {} {}", flat, lang.get().t("纸质票：", "paper ballot:"), choice_name(lang.get(), c)) on:click=move |_| enter(sid, c)>
                                                {move || choice_name(lang.get(), c)}
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Staff close the vote: the sheets are closed and the tally is published.
#[component]
fn CloseVote(
    id: DocumentId,
    vote: Memo<Option<Vote>>,
    sheets: Memo<Vec<(DocumentId, Sheet)>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let error = RwSignal::new(None::<String>);
    let close = move |_| {
        let Some(v) = vote.get_untracked() else {
            return;
        };
        let all = sheets.get_untracked();
        let list: Vec<Sheet> = all.iter().map(|(_, s)| s.clone()).collect();
        let result = tally(&id.to_string(), &v, &list);
        for (sid, _) in &all {
            let _ = app.send(*sid, SheetCommand::Close);
        }
        let r = app.send(id, VoteCommand::Close { result }).map(|_| ());
        report(&app, r, error);
    };
    view! {
        <section class="card">
            <p class="muted">{move || lang.get().t("截止并公布结果：之后不再接受任何表决票。", "Close and publish the result: no ballot is taken after.")}</p>
            <button class="primary" data-testid="close-vote" on:click=close>{move || lang.get().t("截止并公布结果", "Close and publish the result")}</button>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// Staff start a vote, from a talk decision or not: the roll is every flat on record with its
/// floor area.
#[component]
pub fn NewVotePage(from: Option<(DocumentId, String)>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let draft_key = "vote-new";
    let saved: Option<(String, String)> = app
        .draft(draft_key)
        .and_then(|s| serde_json::from_str(&s).ok());
    let question = RwSignal::new(saved.as_ref().map(|s| s.0.clone()).unwrap_or_default());
    let matter = RwSignal::new(saved.map(|s| s.1).unwrap_or_else(|| "use_fund".into()));
    let now = app.now();
    let opens = RwSignal::new(local_value(now - now % 60_000));
    let closes = RwSignal::new(local_value(now - now % 60_000 + 14 * DAY));
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let v = serde_json::to_string(&(question.get(), matter.get())).unwrap_or_default();
        app.set_draft(draft_key, &v);
    });
    let roll = Memo::new(move |_| {
        roll_from_records(app.each_summary(|_, s| match s {
            Summary::Person(PersonSummary { person, area, .. }) => Some((
                person.flat.clone(),
                *area,
                person.household.clone(),
                person.grid.clone(),
            )),
            _ => None,
        }))
    });
    let from = StoredValue::new(from);
    let submit = move || {
        let from2 = from.get_value();
        let Some(m) = Matter::parse(&matter.get_untracked()) else {
            return;
        };
        let (Some(o), Some(c)) = (
            parse_local(&opens.get_untracked()),
            parse_local(&closes.get_untracked()),
        ) else {
            error.set(Some(
                lang.get_untracked()
                    .t(
                        "请填写开始和截止时间",
                        "Please give the opening and closing times",
                    )
                    .into(),
            ));
            return;
        };
        let draft = VoteDraft {
            question: question.get_untracked(),
            matter: m,
            talk: from2.as_ref().map(|f| f.0.to_string()),
            item: from2.as_ref().map(|f| f.1.clone()),
            opens_at: o,
            closes_at: c,
        };
        let (entries, _) = roll.get_untracked();
        // Checked before anything is written, so a mistake keeps the form as typed.
        let check = draft
            .check(app.now())
            .and_then(|_| electorate(&entries).map(|_| ()));
        if let Err(e) = check {
            error.set(Some(lang.get_untracked().input_error(&e)));
            return;
        }
        let id = DocumentId::from_bytes(platform::random_bytes::<16>());
        let r = app
            .send(
                id,
                VoteCommand::Create {
                    draft: draft.clone(),
                    roll: entries.clone(),
                },
            )
            .map(|_| ());
        if !report(&app, r, error) {
            return;
        }
        for entry in entries {
            let sid = DocumentId::from_bytes(platform::random_bytes::<16>());
            let _ = app.send(
                sid,
                SheetCommand::Create {
                    vote: id.to_string(),
                    entry,
                    opens_at: o,
                    closes_at: c,
                },
            );
        }
        app.set_draft(draft_key, "");
        app.go(Route::Vote(id));
    };
    let flats = move || roll.get().0.len();
    let missing = move || roll.get().1;
    let area = move || roll.get().0.iter().map(|e: &RollEntry| e.area).sum::<i64>();
    view! {
        <main class="page new-vote">
            <a href=Route::Talks.hash() class="back">{move || lang.get().t("‹ 四方会谈", "‹ Four-party talks")}</a>
            <h1>{move || lang.get().t("发起业主表决", "Start an owners' vote")}</h1>
            <Show when=move || is_staff(&app) fallback=move || view! { <p class="empty">{move || lang.get().t("只有社区工作者能发起表决。", "Only staff start a vote.")}</p> }>
                <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); } data-testid="vote-form">
                    <div class="field">
                        <label for="vote-question">{move || lang.get().t("表决事项（公开）", "The question (public)")}</label>
                        <textarea id="vote-question" maxlength="200" prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev)) data-testid="vote-question-input"></textarea>
                    </div>
                    <div class="field">
                        <label for="vote-matter">{move || lang.get().t("事项类别（决定通过条件）", "Kind of matter (sets the threshold)")}</label>
                        <select id="vote-matter" prop:value=move || matter.get() on:change=move |ev| matter.set(event_target_value(&ev)) data-testid="vote-matter">
                            {Matter::ALL.into_iter().map(|m| view! {
                                <option value=m.as_str()>{move || format!("{} · {}", matter_name(lang.get(), m), threshold_words(lang.get(), m))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="vote-opens">{move || lang.get().t("开始时间", "Opens")}</label>
                        <input id="vote-opens" type="datetime-local" prop:value=move || opens.get() on:input=move |ev| opens.set(event_target_value(&ev)) data-testid="vote-opens"/>
                    </div>
                    <div class="field">
                        <label for="vote-closes">{move || lang.get().t("截止时间（最长 90 天）", "Closes (at most 90 days)")}</label>
                        <input id="vote-closes" type="datetime-local" prop:value=move || closes.get() on:input=move |ev| closes.set(event_target_value(&ev)) data-testid="vote-closes"/>
                    </div>
                    <p class="muted" data-testid="vote-roll">{move || match lang.get() {
                        Lang::Zh => format!("表决名册：{} 户，专有面积合计 {} m²（取自居民登记）", flats(), area_m2(area())),
                        Lang::En => format!("The roll: {} flats, {} m² in all (from the residents' records)", flats(), area_m2(area())),
                    }}</p>
                    <Show when=move || !missing().is_empty()>
                        <p class="warning" role="note">{move || match lang.get() {
                            Lang::Zh => format!("{} 户没有登记建筑面积，不在名册中：{}", missing().len(), missing().join("、")),
                            Lang::En => format!("{} flats have no floor area on record and are not on the roll: {}", missing().len(), missing().join(", ")),
                        }}</p>
                    </Show>
                    <p class="field-error" role="alert" data-testid="vote-error">{move || error.get()}</p>
                    <button type="submit" class="primary" data-testid="vote-create">{move || lang.get().t("发起表决", "Start the vote")}</button>
                </form>
            </Show>
        </main>
    }
}

/// Under a talk's decision: the owners' votes it led to, with their result once closed; for
/// staff, a link to start one.
#[component]
pub fn DecisionVotes(talk: DocumentId, item: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let item2 = item.clone();
    let list = Memo::new(move |_| votes_for(&app, &talk, &item2));
    view! {
        <div class="decision-votes" data-testid="decision-votes">
            {move || list.get().into_iter().map(|(vid, v)| view! {
                <p>
                    <a href=Route::Vote(vid).hash() data-testid="decision-vote">{move || {
                        let l = lang.get();
                        match &v.result {
                            None => format!("{}{}", l.t("已交业主表决：", "Goes to owners' vote: "), v.question),
                            Some(r) => format!("{}{} · {} {}/{} {}",
                                l.t("业主表决结果：", "Owners' vote: "),
                                if r.passed { l.t("通过", "passed") } else { l.t("未通过", "not passed") },
                                l.t("同意面积", "yes by area"), pct(r.yes_area, r.participating_area),
                                pct(r.yes_owners, r.participating_owners), l.t("同意人数", "yes by owners")),
                        }
                    }}</a>
                </p>
            }).collect_view()}
            <Show when=move || is_staff(&app)>
                <a class="button" href=Route::NewVote(Some((talk, item.clone()))).hash() data-testid="start-vote">{move || lang.get().t("交业主表决", "Send to an owners' vote")}</a>
            </Show>
        </div>
    }
}

/// Every owners' vote: the open ones, then the closed ones with their result (everyone reads
/// the questions and the results; the ballots stay with each flat).
#[component]
pub fn VotesPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let list = Memo::new(move |_| {
        app.clock.track();
        let now = app.now();
        let mut v = votes(&app);
        v.sort_by_key(|(_, x)| (!x.is_open(now), std::cmp::Reverse(x.opens_at)));
        v
    });
    view! {
        <main class="page votes">
            <a href=Route::Hub.hash() class="back">{move || lang.get().t("‹ 社区", "‹ Community")}</a>
            <h1>{move || lang.get().t("业主表决", "Owners' votes")}</h1>
            <Show when=move || is_staff(&app)>
                <a class="button" href=Route::NewVote(None).hash() data-testid="new-vote">{move || lang.get().t("发起业主表决", "Start an owners' vote")}</a>
            </Show>
            <ul class="rows" data-testid="votes">
                {move || list.get().into_iter().map(|(id, v)| {
                    let open = v.is_open(app.now());
                    view! {
                        <li>
                            <a href=Route::Vote(id).hash() class="row-link" data-testid="vote-row">
                                <strong>{v.question.clone()}</strong>
                                <span>{move || {
                                    let l = lang.get();
                                    match (&v.result, open) {
                                        (Some(r), _) => format!("{}{}", l.t("已截止 · ", "Closed · "), if r.passed { l.t("通过", "passed") } else { l.t("未通过", "not passed") }),
                                        (None, true) => format!("{}{}", l.t("表决中 · 截止 ", "Open · closes "), when(v.closes_at)),
                                        (None, false) => l.t("未开始或待公布", "Not open, or awaiting its result").to_string(),
                                    }
                                }}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </main>
    }
}

/// On a resident's home screen: the open votes their flat has a sheet in.
#[component]
pub fn OpenVotes() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = Memo::new(move |_| {
        app.clock.track();
        let h = my_household(&app)?;
        let now = app.now();
        let v: Vec<(DocumentId, Vote, bool)> = votes(&app)
            .into_iter()
            .filter(|(_, v)| v.is_open(now))
            .filter_map(|(id, v)| {
                let mine = sheets(&app, &id)
                    .into_iter()
                    .find(|(_, s)| s.household == h)?;
                Some((id, v, mine.1.counted().is_some()))
            })
            .collect();
        (!v.is_empty()).then_some(v)
    });
    move || {
        rows.get().map(|v| view! {
            <section class="card open-votes" aria-labelledby="open-votes-h" data-testid="open-votes">
                <h2 id="open-votes-h">{move || lang.get().t("业主表决进行中", "Owners' votes open")}</h2>
                <ul class="rows">
                    {v.into_iter().map(|(id, vote, voted)| view! {
                        <li>
                            <a href=Route::Vote(id).hash() class="row-link" data-testid="open-vote">
                                <strong>{vote.question.clone()}</strong>
                                <span>{move || {
                                    let l = lang.get();
                                    if voted { l.t("已投票，可修改", "Voted; you may change it") } else { l.t("请投票", "Please vote") }
                                }}</span>
                            </a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
