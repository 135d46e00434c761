//! Staff: the community's settings, kept in the community document (so every phone has them
//! offline): answer windows per colour (calendar hours or working days, with the holiday
//! table and the dates staff add to it), request categories, answer templates.

use leptos::prelude::*;
use linli_shared::domain::community::calendar::{self, TABLE_YEARS};
use linli_shared::domain::community::{CommunityCommand, DayKind, DeadlineMode, WORKDAYS_MAX};
use linli_shared::domain::requests::Colour;
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, shanghai_day};

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Notice};

/// What a number field of the settings shows: the community's value, which it follows as the
/// community changes, except while the person is in the field (a change arriving then, theirs
/// or anyone's, is shown once they leave it) or while it holds a wrong value kept on purpose.
/// It once took its value from the community itself, so any change to the community (another
/// colour, a category, a first sync) overwrote a number being typed.
#[derive(Clone, Copy)]
struct Followed {
    community: Memo<String>,
    shown: RwSignal<String>,
    editing: RwSignal<bool>,
    keep: Signal<bool>,
}

impl Followed {
    fn new(community: Memo<String>, keep: Signal<bool>) -> Self {
        let f = Followed {
            community,
            shown: RwSignal::new(community.get_untracked()),
            editing: RwSignal::new(false),
            keep,
        };
        Effect::new(move |_| {
            community.track();
            f.catch_up();
        });
        f
    }

    /// Shows the community's value unless the person is in the field or a wrong value is kept.
    fn catch_up(self) {
        if self.editing.get_untracked() || self.keep.get_untracked() {
            return;
        }
        let now = self.community.get_untracked();
        if self.shown.with_untracked(|s| *s != now) {
            self.shown.set(now);
        }
    }

    fn focus(self) {
        self.editing.set(true);
    }

    fn blur(self) {
        self.editing.set(false);
        self.catch_up();
    }
}

#[component]
pub fn CommunitySettings() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let doc = move || {
        app.session
            .with(|s| s.as_ref().and_then(|s| s.community_doc.clone()))
            .and_then(|d| DocumentId::parse(&d).ok())
    };
    let community = Memo::new(move |_| data::community(&app));
    let edit = move |command: CommunityCommand| {
        if let Some(d) = doc()
            && let Err(e) = app.send(d, command)
        {
            app.notice.set(Some(Notice::Error(e.to_string())));
        }
    };
    let new_zh = RwSignal::new(String::new());
    let new_en = RwSignal::new(String::new());
    let new_template = RwSignal::new(String::new());
    view! {
        <section class="card community-settings" aria-labelledby="cs-title">
            <h3 id="cs-title">{move || lang.get().t("社区设置", "Community settings")}</h3>
            <fieldset class="field">
                <legend>{move || lang.get().t("各颜色的答复时限（小时）", "Answer window per colour (hours)")}</legend>
                {Colour::ALL.into_iter().map(|c| {
                    let id = format!("dl-{}", c.as_str());
                    let input_id = id.clone();
                    let hours = Followed::new(
                        Memo::new(move |_| community.with(|x| x.as_ref().map(|x| x.deadlines.hours(c).to_string())).unwrap_or_default()),
                        Signal::stored(false),
                    );
                    view! {
                        <label for=id class="inline">{move || lang.get().colour(c)}</label>
                        <input id=input_id type="number" min="1" max="2160" inputmode="numeric"
                            prop:value=move || hours.shown.get()
                            on:focus=move |_| hours.focus()
                            on:blur=move |_| hours.blur()
                            on:change=move |ev| {
                                if let Ok(h) = event_target_value(&ev).parse::<i64>() {
                                    edit(CommunityCommand::SetDeadline { colour: c, hours: h });
                                }
                            }/>
                    }
                }).collect_view()}
            </fieldset>
            <WorkingDays community edit/>
            <form class="field" novalidate on:submit=move |ev| {
                ev.prevent_default();
                let (zh, en) = (new_zh.get_untracked(), new_en.get_untracked());
                if zh.trim().is_empty() { return; }
                let id = format!("c{}", linli_shared::ids::hex(&crate::platform::random_bytes::<3>()));
                let en = if en.trim().is_empty() { zh.clone() } else { en };
                edit(CommunityCommand::AddCategory { id, zh, en });
                new_zh.set(String::new());
                new_en.set(String::new());
            }>
                <p class="muted">{move || {
                    let l = lang.get();
                    community.get().map(|c| c.categories.into_iter().map(|c| if l == Lang::Zh { c.zh } else { c.en }).collect::<Vec<_>>().join("、")).unwrap_or_default()
                }}</p>
                <label for="cat-zh">{move || lang.get().t("新增类别（中文）", "New category (Chinese)")}</label>
                <input id="cat-zh" prop:value=move || new_zh.get() on:input=move |ev| new_zh.set(event_target_value(&ev))/>
                <label for="cat-en">{move || lang.get().t("英文名称（可选）", "English name (optional)")}</label>
                <input id="cat-en" prop:value=move || new_en.get() on:input=move |ev| new_en.set(event_target_value(&ev))/>
                <button type="submit">{move || lang.get().t("添加类别", "Add category")}</button>
            </form>
            <div class="field">
                <h4>{move || lang.get().t("答复模板", "Answer templates")}</h4>
                <ul class="rows">
                    {move || community.get().map(|c| c.templates).unwrap_or_default().into_iter().enumerate().map(|(i, t)| view! {
                        <li>
                            <span>{t}</span>
                            <button type="button" aria-label=move || lang.get().t("删除这个模板", "Remove this template")
                                on:click=move |_| edit(CommunityCommand::RemoveTemplate { index: i })>"×"</button>
                        </li>
                    }).collect_view()}
                </ul>
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    let t = new_template.get_untracked();
                    if t.trim().is_empty() { return; }
                    edit(CommunityCommand::AddTemplate { text: t });
                    new_template.set(String::new());
                }>
                    <label for="tpl">{move || lang.get().t("新增模板", "New template")}</label>
                    <input id="tpl" prop:value=move || new_template.get() on:input=move |ev| new_template.set(event_target_value(&ev))/>
                    <button type="submit">{move || lang.get().t("添加模板", "Add template")}</button>
                </form>
            </div>
        </section>
    }
}

/// The years within the next three months that the shipped holiday table does not cover
/// (they count Monday to Friday, with only the dates staff add).
fn unknown_years(now: i64) -> Vec<i32> {
    let today = shanghai_day(now);
    let mut years: Vec<i32> = [today, shanghai_day(now + 90 * DAY)]
        .into_iter()
        .filter(|d| !calendar::table_covers(*d))
        .map(|d| linli_shared::time::civil_from_days(d).0)
        .collect();
    years.dedup();
    years
}

/// The deadline mode, the working days per colour, and the holiday table with staff's dates.
#[component]
fn WorkingDays(
    community: Memo<Option<linli_shared::domain::community::Community>>,
    edit: impl Fn(CommunityCommand) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let cfg = move || community.get().map(|c| c.deadlines).unwrap_or_default();
    let mode = move || cfg().mode;
    let days_error = RwSignal::new(None::<Colour>);
    let new_date = RwSignal::new(String::new());
    let new_kind = RwSignal::new(DayKind::Holiday);
    let date_error = RwSignal::new(false);
    let covered = TABLE_YEARS
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join("、");
    let covered_en = TABLE_YEARS
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = move || {
        app.clock.track();
        unknown_years(app.now())
    };
    let staff_dates = move || {
        let c = cfg();
        let mut v: Vec<(String, DayKind)> = c
            .extra_holidays
            .into_iter()
            .map(|d| (d, DayKind::Holiday))
            .chain(c.extra_workdays.into_iter().map(|d| (d, DayKind::Workday)))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    view! {
        <fieldset class="field" data-testid="deadline-mode">
            <legend>{move || lang.get().t("时限计算方式", "How answer windows count")}</legend>
            <label for="dl-mode-calendar" class="check">
                <input type="radio" id="dl-mode-calendar" name="dl-mode"
                    prop:checked=move || mode() == DeadlineMode::Calendar
                    on:change=move |_| edit(CommunityCommand::SetDeadlineMode { mode: DeadlineMode::Calendar })/>
                {move || lang.get().t("按自然时间（小时，含周末和节假日）", "Calendar time (hours, weekends and holidays included)")}
            </label>
            <label for="dl-mode-workdays" class="check">
                <input type="radio" id="dl-mode-workdays" name="dl-mode"
                    prop:checked=move || mode() == DeadlineMode::WorkingDays
                    on:change=move |_| edit(CommunityCommand::SetDeadlineMode { mode: DeadlineMode::WorkingDays })/>
                {move || lang.get().t("按工作日（不含周末和法定节假日，含调休上班日）", "Working days (no weekends or public holidays; make-up working days count)")}
            </label>
            <p class="muted">{move || lang.get().t(
                "按工作日时，诉求在提交日之后的第 N 个工作日结束时（24:00）到期。",
                "In working days, a request is due at the end (24:00) of the N-th working day after the day it was filed.",
            )}</p>
        </fieldset>
        <fieldset class="field" data-testid="workdays">
            <legend>{move || lang.get().t("各颜色的答复时限（工作日）", "Answer window per colour (working days)")}</legend>
            {Colour::ALL.into_iter().map(|c| {
                let id = format!("wd-{}", c.as_str());
                let input_id = id.clone();
                // A wrong number stays as typed, with its message, until it is put right.
                let days = Followed::new(
                    Memo::new(move |_| community.with(|x| x.as_ref().map(|x| x.deadlines.workdays.days(c).to_string())).unwrap_or_default()),
                    Signal::derive(move || days_error.get() == Some(c)),
                );
                view! {
                    <label for=id class="inline">{move || lang.get().colour(c)}</label>
                    <input id=input_id type="number" min="1" max=WORKDAYS_MAX.to_string() inputmode="numeric"
                        aria-label=move || match lang.get() {
                            Lang::Zh => format!("{}：工作日数", lang.get().colour(c)),
                            Lang::En => format!("{}: working days", lang.get().colour(c)),
                        }
                        aria-invalid=move || (days_error.get() == Some(c)).to_string()
                        aria-describedby="wd-err"
                        prop:value=move || days.shown.get()
                        on:focus=move |_| days.focus()
                        on:blur=move |_| days.blur()
                        on:change=move |ev| {
                            match event_target_value(&ev).trim().parse::<i64>() {
                                Ok(days) if (1..=WORKDAYS_MAX).contains(&days) => {
                                    days_error.set(None);
                                    edit(CommunityCommand::SetWorkdays { colour: c, days });
                                }
                                // Keep what was typed; say what is wrong.
                                _ => days_error.set(Some(c)),
                            }
                        }/>
                }
            }).collect_view()}
            <p id="wd-err" class="field-error" role="alert">{move || days_error.get().map(|c| match lang.get() {
                Lang::Zh => format!("{}：工作日数应为 1 到 {WORKDAYS_MAX} 的整数", lang.get().colour(c)),
                Lang::En => format!("{}: working days must be a whole number from 1 to {WORKDAYS_MAX}", lang.get().colour(c)),
            })}</p>
        </fieldset>
        <div class="field" data-testid="holiday-table">
            <h4>{move || lang.get().t("节假日表", "Holiday table")}</h4>
            <p class="muted" data-testid="table-years">{move || match lang.get() {
                Lang::Zh => format!("已内置国务院办公厅公布的 {covered} 年放假和调休上班安排。"),
                Lang::En => format!("Built in: the State Council's public holidays and make-up working days for {covered_en}."),
            }}</p>
            {move || {
                let years = unknown();
                (!years.is_empty()).then(|| {
                    let list = years.iter().map(i32::to_string).collect::<Vec<_>>();
                    view! {
                        <p class="note" role="note" data-testid="table-unknown-years">{move || match lang.get() {
                            Lang::Zh => format!(
                                "内置节假日表不含 {} 年：该年按周一至周五计算工作日，只另算您在下面添加的日期。请在国务院办公厅公布安排后，添加该年全部放假日期和调休上班日期。",
                                list.join("、")),
                            Lang::En => format!(
                                "The built-in holiday table does not cover {}: that year counts Monday to Friday, plus only the dates you add below. Once the State Council publishes its schedule, add all of that year's holidays and make-up working days.",
                                list.join(", ")),
                        }}</p>
                    }
                })
            }}
            <ul class="rows" data-testid="staff-dates">
                {move || staff_dates().into_iter().map(|(date, kind)| {
                    let shown = date.clone();
                    let label = date.clone();
                    view! {
                        <li>
                            <span>{shown}" "{move || match kind {
                                DayKind::Holiday => lang.get().t("放假", "holiday"),
                                DayKind::Workday => lang.get().t("调休上班", "make-up working day"),
                            }}</span>
                            <button type="button"
                                aria-label=move || match lang.get() {
                                    Lang::Zh => format!("删除 {label}"),
                                    Lang::En => format!("Remove {label}"),
                                }
                                on:click=move |_| edit(CommunityCommand::RemoveCalendarDate { date: date.clone() })>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                let typed = new_date.get_untracked();
                match calendar::parse_date(&typed) {
                    Some(day) => {
                        date_error.set(false);
                        edit(CommunityCommand::AddCalendarDate { date: calendar::format_day(day), day: new_kind.get_untracked() });
                        new_date.set(String::new());
                    }
                    None => date_error.set(true),
                }
            }>
                <label for="cal-date">{move || lang.get().t("日期（年-月-日）", "Date (YYYY-MM-DD)")}</label>
                <input id="cal-date" inputmode="numeric" placeholder="2027-02-08" autocomplete="off"
                    aria-invalid=move || date_error.get().to_string()
                    aria-describedby="cal-date-err"
                    prop:value=move || new_date.get()
                    on:input=move |ev| new_date.set(event_target_value(&ev))/>
                <label for="cal-kind">{move || lang.get().t("这一天是", "This day is")}</label>
                <select id="cal-kind" on:change=move |ev| new_kind.set(if event_target_value(&ev) == "workday" { DayKind::Workday } else { DayKind::Holiday })>
                    <option value="holiday" selected=move || new_kind.get() == DayKind::Holiday>{move || lang.get().t("放假（法定节假日）", "A public holiday")}</option>
                    <option value="workday" selected=move || new_kind.get() == DayKind::Workday>{move || lang.get().t("调休上班（补班日）", "A make-up working day")}</option>
                </select>
                <p id="cal-date-err" class="field-error" role="alert">{move || date_error.get().then(|| lang.get().t(
                    "日期格式应为 年-月-日，例如 2027-02-08（2000 至 2100 年）",
                    "Write the date as YYYY-MM-DD, e.g. 2027-02-08 (years 2000 to 2100)",
                ))}</p>
                <button type="submit">{move || lang.get().t("添加日期", "Add date")}</button>
            </form>
        </div>
    }
}
