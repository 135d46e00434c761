//! Garbage-sorting inspections 垃圾分类督导 for one grid: recording an inspection at a bin point
//! (offline, kept as a draft while typed), the mixed findings still waiting for a reminder (a
//! grid worker picks the household from the grid's records, words the reminder plainly and may
//! ask a volunteer to visit), the reminders still open with what became of them (read, visited)
//! and a follow-up inspection that closes one, and the rate of mixed disposal per month (a
//! chart with its table) and per building. What a household and a volunteer see is in `home`.

pub mod home;

use leptos::prelude::*;
use linli_shared::api::VolunteerRow;
use linli_shared::domain::InputError;
use linli_shared::domain::grid::GridInfo;
use linli_shared::domain::patrols::month_of;
use linli_shared::domain::sorting::{
    Inspection, InspectionDraft, NOTE_MAX, NewReminder, POINT_MAX, REMINDER_TEXT_MAX, RateRow,
    Reminder, ReminderCommand, SortResult, SortingCommand, by_building, by_month,
};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Saving};
use crate::widgets::photos::{Photo, PhotoPicker};

impl Lang {
    pub fn sort_result(self, r: SortResult) -> &'static str {
        match r {
            SortResult::Sorted => self.t("分类正确", "Sorted well"),
            SortResult::Mixed => self.t("混投", "Mixed"),
        }
    }
}

/// Tells the person "saved" once the phone's storage holds the edit, then runs `then`.
fn after_saved(app: App, saving: Saving, then: impl FnOnce() + 'static) {
    leptos::task::spawn_local(async move {
        match saving.done().await {
            Ok(()) => {
                then();
                app.notice.set(Some(Notice::Saved));
            }
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    });
}

/// Every inspection of a grid, from all of its logs, with the log it is in; newest first.
fn inspections_of(app: &App, grid: &str) -> Vec<(DocumentId, Inspection)> {
    let mut v: Vec<(DocumentId, Inspection)> = data::sorting_logs(app, grid)
        .into_iter()
        .flat_map(|(id, l)| l.inspections.into_iter().map(move |i| (id, i)))
        .collect();
    v.sort_by_key(|(_, i)| std::cmp::Reverse(i.at));
    v
}

/// The grid's reminders this phone holds, newest first.
pub fn reminders_of(app: &App, grid: &str) -> Vec<(DocumentId, Reminder)> {
    let mut v: Vec<(DocumentId, Reminder)> = data::reminders(app)
        .into_iter()
        .filter(|(_, r)| r.grid == grid)
        .collect();
    v.sort_by_key(|(_, r)| std::cmp::Reverse(r.at));
    v
}

/// What a mixed finding at `point` on `day` tells the household, in plain words.
fn reminder_words(l: Lang, point: &str, at: i64) -> String {
    let d = linli_shared::time::LocalDateTime::shanghai(at);
    match l {
        Lang::Zh => format!(
            "您好！{}月{}日在{point}检查时，发现厨余垃圾和其他垃圾混在一起投放。请把厨余垃圾（剩饭菜、果皮）沥干后单独投进绿色桶，其他垃圾投进灰色桶。谢谢您的配合！有疑问可以找网格员。",
            d.month, d.day
        ),
        Lang::En => format!(
            "Hello! On {}/{} at {point} we found kitchen waste mixed with other waste. Please drain kitchen waste (leftovers, peels) and put it in the green bin on its own, and other waste in the grey bin. Thank you! Ask your grid worker if anything is unclear.",
            d.month, d.day
        ),
    }
}

/// A follow-up being recorded: the reminder it follows up and where.
#[derive(Debug, Clone, PartialEq)]
struct FollowUp {
    reminder: DocumentId,
    building: String,
    point: String,
    flat: String,
}

#[component]
pub fn SortingPage(grid: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let g = StoredValue::new(grid);
    let info = Memo::new(move |_| data::grid(&app, &g.get_value()).map(|(_, i)| i));
    let inspections = Memo::new(move |_| inspections_of(&app, &g.get_value()));
    let reminders = Memo::new(move |_| reminders_of(&app, &g.get_value()));
    let worker = move || {
        app.session.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.role == Role::Staff
                    || (s.role == Role::GridWorker && s.grids.contains(&g.get_value()))
            })
        })
    };
    let follow = RwSignal::new(None::<FollowUp>);
    let roster = roster(app);
    // Mixed findings of the last two weeks with no reminder yet (older ones are history).
    let awaiting = Memo::new(move |_| {
        let since = app.now() - 14 * linli_shared::time::DAY;
        inspections.with(|v| {
            v.iter()
                .filter(|(_, i)| i.awaits_reminder() && i.at >= since)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <main class="page sorting">
            <h2>{move || format!("{} · {}", lang.get().grid_name(&g.get_value()), lang.get().t("垃圾分类督导", "Garbage sorting"))}</h2>
            <InspectForm grid=g.get_value() info follow/>
            <Show when=move || worker() && awaiting.with(|v| !v.is_empty())>
                <section class="awaiting" aria-labelledby="aw-title">
                    <h3 id="aw-title">{move || lang.get().t("待提醒的混投", "Mixed findings to remind")}</h3>
                    <ul class="rows">
                        // Keyed by finding: a teammate's inspection or reminder arriving adds or
                        // takes away a form, and leaves the others as they are being filled in
                        // (a finding's place, time and flat never change once recorded).
                        <For
                            each=move || awaiting.get()
                            key=|(log, i)| (*log, i.id.clone())
                            children=move |(log, i)| view! { <RemindForm log inspection=i grid=g.get_value() roster/> }
                        />
                    </ul>
                </section>
            </Show>
            <OpenReminders reminders follow/>
            <Rates inspections/>
            <section aria-labelledby="ins-title">
                <h3 id="ins-title">{move || lang.get().t("最近的检查", "Recent inspections")}</h3>
                <ul class="rows inspections">
                    {move || inspections.get().into_iter().take(30).map(|(log, i)| {
                        let l = lang.get();
                        let who = if i.by_name.is_empty() { i.by.clone() } else { i.by_name.clone() };
                        let follow_up = (!i.follows.is_empty()).then(|| l.t("复查", "follow-up"));
                        view! {
                            <li data-testid="inspection" class:mixed=i.result == SortResult::Mixed>
                                <strong>{format!("{} · {}", i.building, i.point)}</strong>
                                <span class="meta">{format!("{} · {} · {}", l.sort_result(i.result), l.time(i.at), who)}</span>
                                <span class="meta">{i.flat.clone()}" "{follow_up}</span>
                                <span class="meta">{i.note.clone()}</span>
                                <div class="photos">
                                    {i.photos.iter().cloned().map(|h| view! { <Photo hash=h doc=log/> }).collect_view()}
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <Show when=move || inspections.with(Vec::is_empty)>
                    <p class="empty">{move || lang.get().t("还没有检查记录。", "No inspections recorded yet.")}</p>
                </Show>
            </section>
        </main>
    }
}

/// What the inspection form holds, kept as a draft while it is filled in.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
struct Draft {
    building: String,
    point: String,
    result: Option<SortResult>,
    flat: String,
    note: String,
    photos: Vec<String>,
}

/// Recording an inspection (or a follow-up of a reminder), offline if need be.
#[component]
fn InspectForm(
    grid: String,
    info: Memo<Option<GridInfo>>,
    follow: RwSignal<Option<FollowUp>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = StoredValue::new(format!("sorting:{grid}"));
    let g = StoredValue::new(grid);
    let kept: Draft = app
        .draft(&key.get_value())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let building = RwSignal::new(kept.building);
    let point = RwSignal::new(kept.point);
    let result = RwSignal::new(kept.result);
    let flat = RwSignal::new(kept.flat);
    let note = RwSignal::new(kept.note);
    let photos = RwSignal::new(kept.photos);
    let problems = RwSignal::new(Vec::<InputError>::new());
    Effect::new(move |first: Option<()>| {
        let d = Draft {
            building: building.get(),
            point: point.get(),
            result: result.get(),
            flat: flat.get(),
            note: note.get(),
            photos: photos.get(),
        };
        if first.is_some() {
            let json = serde_json::to_string(&d).unwrap_or_default();
            app.set_draft(&key.get_value(), &json);
        }
    });
    // A follow-up fills in where to look.
    Effect::new(move |_| {
        if let Some(f) = follow.get() {
            building.set(f.building);
            point.set(f.point);
            flat.set(f.flat);
            result.set(None);
            platform::focus("si-result-sorted");
        }
    });
    // Bin points already used in this building, to pick from.
    let points = Memo::new(move |_| {
        let b = building.get();
        let mut v: Vec<String> = inspections_of(&app, &g.get_value())
            .into_iter()
            .filter(|(_, i)| i.building == b)
            .map(|(_, i)| i.point)
            .collect();
        v.sort();
        v.dedup();
        v
    });
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let following = follow.get_untracked();
        let draft = InspectionDraft {
            building: building.get_untracked(),
            point: point.get_untracked(),
            result: result.get_untracked(),
            flat: flat.get_untracked(),
            note: note.get_untracked(),
            photos: photos.get_untracked(),
            reminder: String::new(),
            follows: following
                .as_ref()
                .map(|f| f.reminder.to_string())
                .unwrap_or_default(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        problems.set(Vec::new());
        let now = app.now();
        let month = month_of(now);
        let grid = g.get_value();
        let existing = data::sorting_logs(&app, &grid)
            .into_iter()
            .find(|(_, l)| l.month == month)
            .map(|(id, _)| id);
        let log =
            existing.unwrap_or_else(|| DocumentId::from_bytes(platform::random_bytes::<16>()));
        let opened = match existing {
            Some(_) => Ok(None),
            None => app
                .send(log, SortingCommand::Open { grid, month })
                .map(Some),
        };
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let sorted = draft.result == Some(SortResult::Sorted);
        let shots = draft.photos.clone();
        let saved = opened.and_then(|_| {
            app.send(
                log,
                SortingCommand::Inspect {
                    by: session.person.clone(),
                    by_name: name.clone(),
                    draft,
                },
            )
        });
        // A follow-up that finds the bins sorted closes the reminder.
        let saved = saved.and_then(|s| match &following {
            Some(f) if sorted => app
                .send(f.reminder, ReminderCommand::Close { by_name: name })
                .map(|_| s),
            _ => Ok(s),
        });
        match saved {
            Ok(saving) => after_saved(app, saving, move || {
                if !shots.is_empty() {
                    app.attach_photos(log, shots);
                }
                app.clear_draft(&key.get_value());
                point.set(String::new());
                result.set(None);
                flat.set(String::new());
                note.set(String::new());
                photos.set(Vec::new());
                follow.set(None);
            }),
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    let invalid = move |e: InputError| move || problems.with(|p| p.contains(&e));
    view! {
        <section class="inspect" aria-labelledby="si-title">
            <h3 id="si-title">{move || match follow.get() {
                Some(f) => format!("{} · {}", lang.get().t("复查", "Follow-up"), f.flat),
                None => lang.get().t("记录一次检查", "Record an inspection").to_string(),
            }}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="si-building">{move || lang.get().t("楼栋", "Building")}</label>
                    <select id="si-building" prop:value=move || building.get()
                        aria-invalid=move || invalid(InputError::BuildingMissing)().to_string()
                        aria-describedby="si-err"
                        on:change=move |ev| building.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("选择楼栋", "Choose a building")}</option>
                        {move || info.get().map(|i| i.buildings).unwrap_or_default().into_iter().map(|b| {
                            let sel = b == building.get_untracked();
                            view! { <option value=b.clone() selected=sel>{b.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="si-point">{move || lang.get().t("投放点", "Bin point")}</label>
                    <input id="si-point" list="si-points" maxlength=POINT_MAX.to_string()
                        prop:value=move || point.get()
                        aria-invalid=move || invalid(InputError::PointMissing)().to_string()
                        aria-describedby="si-err"
                        on:input=move |ev| point.set(event_target_value(&ev))/>
                    <datalist id="si-points">
                        {move || points.get().into_iter().map(|p| view! { <option value=p/> }).collect_view()}
                    </datalist>
                </div>
                <fieldset class="field" aria-describedby="si-err">
                    <legend>{move || lang.get().t("检查结果", "What you found")}</legend>
                    {SortResult::ALL.into_iter().map(|r| view! {
                        <label class="choice">
                            <input type="radio" name="si-result" id=format!("si-result-{}", r.as_str())
                                prop:checked=move || result.get() == Some(r)
                                on:change=move |_| result.set(Some(r))/>
                            {move || lang.get().sort_result(r)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <Show when=move || result.get() == Some(SortResult::Mixed)>
                    <div class="field">
                        <label for="si-flat">{move || lang.get().t("哪一户（能确定时填门牌，如 7-2-301）", "Which flat (when you can tell, e.g. 7-2-301)")}</label>
                        <input id="si-flat" prop:value=move || flat.get()
                            on:input=move |ev| flat.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <div class="field">
                    <label for="si-note">{move || lang.get().t("备注（只有网格团队看得到）", "Note (only the grid's team sees it)")}</label>
                    <textarea id="si-note" rows="2" maxlength=NOTE_MAX.to_string() prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <PhotoPicker photos id="si-photos"/>
                <p id="si-err" class="field-error" role="alert">{problem}</p>
                <button type="submit" class="primary big" data-testid="save-inspection">
                    {move || lang.get().t("保存检查记录", "Save the inspection")}
                </button>
                <Show when=move || follow.get().is_some()>
                    <button type="button" on:click=move |_| follow.set(None)>
                        {move || lang.get().t("取消复查", "Not a follow-up")}
                    </button>
                </Show>
            </form>
        </section>
    }
}

/// The households of the grid this phone holds records of: (household, "flat name").
fn households(app: &App, grid: &str) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = data::people(app)
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| p.grid == grid && !p.household.is_empty())
        .map(|p| (p.household, p.flat, p.name))
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.2.cmp(&b.2)));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

/// Where the community's volunteers, as the relay last listed them, are kept for offline use.
const ROSTER_KEY: &str = "linli.volunteers";

/// The community's volunteers as last fetched (kept on the phone for a stairwell without
/// signal), fetched again when the phone is online.
fn roster(app: App) -> RwSignal<Vec<VolunteerRow>> {
    let kept: Vec<VolunteerRow> = platform::ls_get(ROSTER_KEY)
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let roster = RwSignal::new(kept);
    if app.sync.get_untracked().online {
        leptos::task::spawn_local(async move {
            if let Ok(rows) = app
                .api::<Vec<VolunteerRow>>("GET", linli_shared::api::paths::VOLUNTEERS, None)
                .await
            {
                if let Ok(json) = serde_json::to_string(&rows) {
                    platform::ls_set(ROSTER_KEY, &json);
                }
                roster.try_set(rows);
            }
        });
    }
    roster
}

/// The volunteers this phone knows of: the community's roster, and those named in the
/// consents of the records it holds.
fn volunteers(app: &App, roster: &[VolunteerRow]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = data::people(app)
        .into_iter()
        .flat_map(|(doc, _)| data::consents_of(app, &doc))
        .filter(|c| c.withdrawn_at.is_none() && !c.volunteer_name.is_empty())
        .map(|c| (c.volunteer, c.volunteer_name))
        .chain(roster.iter().map(|r| (r.id.clone(), r.name.clone())))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Sending the household of a mixed finding a reminder (a grid worker; staff).
#[component]
fn RemindForm(
    log: DocumentId,
    inspection: Inspection,
    grid: String,
    roster: RwSignal<Vec<VolunteerRow>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let i = StoredValue::new(inspection);
    let g = StoredValue::new(grid);
    let homes = Memo::new(move |_| households(&app, &g.get_value()));
    let matched = i.with_value(|i| {
        homes
            .get_untracked()
            .into_iter()
            .find(|(_, f, _)| !i.flat.is_empty() && *f == i.flat)
            .map(|(h, _, _)| h)
            .unwrap_or_default()
    });
    let household = RwSignal::new(matched);
    let text =
        RwSignal::new(i.with_value(|i| reminder_words(lang.get_untracked(), &i.point, i.at)));
    // The volunteers to choose from, as a memo: its options are redrawn only when the list
    // changes, not whenever a document arrives.
    let vols = Memo::new(move |_| roster.with(|r| volunteers(&app, r)));
    let volunteer = RwSignal::new(String::new());
    // What the select shows is what is sent: the choice while it is still offered.
    let chosen_vol = Memo::new(move |_| {
        let v = volunteer.get();
        if vols.with(|all| all.iter().any(|(id, _)| *id == v)) {
            v
        } else {
            String::new()
        }
    });
    let problem = RwSignal::new(String::new());
    let uid = i.with_value(|i| i.id.replace(['@', '.'], "-"));
    let (hid, tid, vid, eid) = (
        format!("rm-h-{uid}"),
        format!("rm-t-{uid}"),
        format!("rm-v-{uid}"),
        format!("rm-e-{uid}"),
    );
    let send = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let l = lang.get_untracked();
        let h = household.get_untracked();
        if h.is_empty() {
            problem.set(
                l.t(
                    "请选择要提醒的住户",
                    "Please choose the household to remind",
                )
                .into(),
            );
            return;
        }
        let words = text.get_untracked();
        if words.trim().is_empty() || words.trim().chars().count() > REMINDER_TEXT_MAX {
            problem.set(l.input_error(&InputError::TextTooLong {
                len: words.trim().chars().count(),
                max: REMINDER_TEXT_MAX,
            }));
            return;
        }
        let v = chosen_vol.get_untracked();
        let vol = vols.with_untracked(|all| all.iter().find(|(id, _)| *id == v).cloned());
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let id = DocumentId::from_bytes(platform::random_bytes::<16>());
        let (building, point, flat, ins) = i.with_value(|i| {
            (
                i.building.clone(),
                i.point.clone(),
                i.flat.clone(),
                i.id.clone(),
            )
        });
        let flat = if flat.is_empty() {
            homes
                .get_untracked()
                .into_iter()
                .find(|(x, _, _)| *x == h)
                .map(|(_, f, _)| f)
                .unwrap_or_default()
        } else {
            flat
        };
        let sent = app
            .send(
                id,
                ReminderCommand::Send(Box::new(NewReminder {
                    grid: g.get_value(),
                    household: h,
                    building,
                    point,
                    flat,
                    text: words,
                    by: session.person.clone(),
                    by_name: name,
                    volunteer: vol,
                })),
            )
            .and_then(|_| {
                app.send(
                    log,
                    SortingCommand::LinkReminder {
                        inspection: ins,
                        reminder: id.to_string(),
                    },
                )
            });
        match sent {
            Ok(saving) => after_saved(app, saving, || ()),
            Err(e) => problem.set(e.to_string()),
        }
    };
    let head = move || {
        let l = lang.get();
        i.with_value(|i| format!("{} · {} · {} {}", i.building, i.point, l.time(i.at), i.flat))
    };
    view! {
        <li class="remind" data-testid="awaiting">
            <p><strong>{head}</strong></p>
            <label for=hid.clone()>{move || lang.get().t("提醒哪一户", "Household to remind")}</label>
            <select id=hid prop:value=move || household.get() on:change=move |ev| household.set(event_target_value(&ev))>
                <option value="">{move || lang.get().t("选择住户", "Choose a household")}</option>
                {move || homes.get().into_iter().map(|(h, flat, name)| {
                    let sel = h == household.get_untracked();
                    view! { <option value=h selected=sel>{format!("{flat} {name}")}</option> }
                }).collect_view()}
            </select>
            <label for=tid.clone()>{move || lang.get().t("提醒的话（住户会在手机上看到，长辈模式可朗读）", "What the household reads (elder mode reads it aloud)")}</label>
            <textarea id=tid rows="4" maxlength=REMINDER_TEXT_MAX.to_string() prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <label for=vid.clone()>{move || lang.get().t("请志愿者上门指导（可不选）", "Ask a volunteer to visit (optional)")}</label>
            <select id=vid prop:value=move || chosen_vol.get() on:change=move |ev| volunteer.set(event_target_value(&ev))>
                <option value="">{move || lang.get().t("不需要", "No visit")}</option>
                {move || vols.get().into_iter().map(|(id, name)| {
                    let sel = id == chosen_vol.get_untracked();
                    view! { <option value=id selected=sel>{name}</option> }
                }).collect_view()}
            </select>
            <p id=eid class="field-error" role="alert">{move || problem.get()}</p>
            <button type="button" class="primary" data-testid="send-reminder" on:click=move |_| send()>
                {move || lang.get().t("发送提醒", "Send the reminder")}
            </button>
        </li>
    }
}

/// Reminders not yet closed: read or not, visited or not; a follow-up closes one.
#[component]
fn OpenReminders(
    reminders: Memo<Vec<(DocumentId, Reminder)>>,
    follow: RwSignal<Option<FollowUp>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let open = move || {
        reminders
            .get()
            .into_iter()
            .filter(|(_, r)| r.is_open())
            .collect::<Vec<_>>()
    };
    view! {
        <section class="reminders" aria-labelledby="or-title">
            <h3 id="or-title">{move || lang.get().t("未结的提醒", "Open reminders")}</h3>
            <ul class="rows">
                {move || open().into_iter().map(|(id, r)| {
                    let l = lang.get();
                    let read = match r.read_at {
                        Some(t) => format!("{} {}", l.t("住户已读", "read"), l.time(t)),
                        None => l.t("住户未读", "not read yet").to_string(),
                    };
                    let visit = if r.volunteer_name.is_empty() {
                        String::new()
                    } else if let Some(t) = r.visited_at {
                        format!("{} {} {}", r.volunteer_name, l.t("已上门", "visited"), l.time(t))
                    } else {
                        format!("{} {}", r.volunteer_name, l.t("待上门", "to visit"))
                    };
                    let f = FollowUp {
                        reminder: id,
                        building: r.building.clone(),
                        point: r.point.clone(),
                        flat: r.flat.clone(),
                    };
                    view! {
                        <li data-testid="open-reminder">
                            <strong>{format!("{} · {}", r.flat, r.point)}</strong>
                            <span class="meta">{format!("{} {}", l.t("提醒于", "sent"), l.time(r.at))}</span>
                            <span class="meta" data-testid="reminder-read">{read}</span>
                            <span class="meta">{visit}</span>
                            <span class="meta">{r.visit_note.clone()}</span>
                            <button type="button" class="primary" data-testid="follow-up"
                                on:click=move |_| follow.set(Some(f.clone()))>
                                {move || lang.get().t("复查", "Follow up")}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || open().is_empty()>
                <p class="empty">{move || lang.get().t("没有未结的提醒。", "No open reminders.")}</p>
            </Show>
        </section>
    }
}

/// The rate of mixed disposal per month (a chart and its table) and per building.
#[component]
fn Rates(inspections: Memo<Vec<(DocumentId, Inspection)>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let months = Memo::new(move |_| {
        let all = inspections.get();
        let mut m = by_month(all.iter().map(|(_, i)| i));
        let skip = m.len().saturating_sub(12);
        m.drain(..skip);
        m
    });
    let buildings = Memo::new(move |_| by_building(inspections.get().iter().map(|(_, i)| i)));
    let pct = move |r: &RateRow| match r.percent() {
        Some(p) => format!("{p}%"),
        None => lang.get().t("无数据", "no data").to_string(),
    };
    let summary = move || {
        let m = months.get();
        let l = lang.get();
        match (
            m.first().and_then(RateRow::percent),
            m.last().and_then(RateRow::percent),
        ) {
            (Some(a), Some(b)) if m.len() > 1 => match l {
                Lang::Zh => format!(
                    "混投率从{}的{a}%变为{}的{b}%。",
                    m[0].key,
                    m[m.len() - 1].key
                ),
                Lang::En => format!(
                    "Mixed disposal went from {a}% in {} to {b}% in {}.",
                    m[0].key,
                    m[m.len() - 1].key
                ),
            },
            _ => l
                .t(
                    "检查还不够多，暂无趋势。",
                    "Not enough inspections for a trend yet.",
                )
                .to_string(),
        }
    };
    view! {
        <section class="rates" aria-labelledby="rt-title">
            <h3 id="rt-title">{move || lang.get().t("混投率", "Rate of mixed disposal")}</h3>
            <p data-testid="rate-summary">{summary}</p>
            <svg class="chart" viewBox="0 0 360 140" role="img" aria-labelledby="rt-title rt-desc" width="100%">
                <desc id="rt-desc">{summary}</desc>
                {move || {
                    let m = months.get();
                    let n = m.len().max(1) as f64;
                    let w = 340.0 / n;
                    m.into_iter().enumerate().map(|(k, r)| {
                        let p = f64::from(r.percent().unwrap_or(0));
                        let h = p * 1.0;
                        let x = 10.0 + k as f64 * w;
                        view! {
                            <g>
                                <rect x=x + w * 0.15 y=120.0 - h width=w * 0.7 height=h class="bar"></rect>
                                <text x=x + w / 2.0 y=134.0 text-anchor="middle" font-size="9">{r.key[5..].to_string()}</text>
                                <text x=x + w / 2.0 y=116.0 - h text-anchor="middle" font-size="9">{format!("{}", r.percent().unwrap_or(0))}</text>
                            </g>
                        }
                    }).collect_view()
                }}
            </svg>
            <details>
                <summary>{move || lang.get().t("按月的表格", "As a table, by month")}</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{move || lang.get().t("月份", "Month")}</th>
                        <th scope="col">{move || lang.get().t("检查次数", "Inspections")}</th>
                        <th scope="col">{move || lang.get().t("混投", "Mixed")}</th>
                        <th scope="col">{move || lang.get().t("混投率", "Rate")}</th>
                    </tr></thead>
                    <tbody>
                        {move || months.get().into_iter().map(|r| view! {
                            <tr><th scope="row">{r.key.clone()}</th><td>{r.inspected}</td><td>{r.mixed}</td><td>{pct(&r)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            <table data-testid="rate-buildings">
                <caption>{move || lang.get().t("各楼栋", "Per building")}</caption>
                <thead><tr>
                    <th scope="col">{move || lang.get().t("楼栋", "Building")}</th>
                    <th scope="col">{move || lang.get().t("检查次数", "Inspections")}</th>
                    <th scope="col">{move || lang.get().t("混投率", "Rate")}</th>
                </tr></thead>
                <tbody>
                    {move || buildings.get().into_iter().map(|r| view! {
                        <tr><th scope="row">{r.key.clone()}</th><td>{r.inspected}</td><td>{pct(&r)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
