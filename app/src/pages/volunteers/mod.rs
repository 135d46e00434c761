//! Volunteers 志愿者: a volunteer's own page (their profile, hours this year and all time,
//! every activity with its date, hours and who confirmed it, logging a service entry, their
//! elders), staff's list of volunteers (youth first, with entries to confirm and a confirm
//! button), and the certificate of hours 志愿服务时长证明 a school accepts, with a print
//! stylesheet. Hours are computed on the phone from the events it holds and the record
//! ([`linli_shared::domain::volunteer::hours`]); everything is written on the phone first.

use leptos::prelude::*;
use linli_shared::domain::volunteer::{
    AgeGroup, EntryDraft, EntryKind, Hours, NOTE_MAX, PROXY_MINUTES, ProfileDraft, Source,
    Volunteer, VolunteerCommand, hours,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::time::{LocalDateTime, Millis, shanghai_midnight};

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

/// Every volunteer's record this phone holds: youth first, then by name.
pub fn volunteers(app: &App) -> Vec<(DocumentId, Volunteer)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Volunteer(v) => Some((*id, v.clone())),
        _ => None,
    });
    v.sort_by(|a, b| {
        (a.1.age_group, &a.1.name, a.0.to_string()).cmp(&(
            b.1.age_group,
            &b.1.name,
            b.0.to_string(),
        ))
    });
    v
}

fn me(app: &App) -> String {
    app.session
        .with(|s| s.as_ref().map(|s| s.person.clone()))
        .unwrap_or_default()
}

fn is_staff(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

/// This person's own record, if any.
pub fn mine(app: &App) -> Option<(DocumentId, Volunteer)> {
    let me = me(app);
    volunteers(app).into_iter().find(|(_, v)| v.subject == me)
}

/// The start of this year in Shanghai.
fn year_start(now: Millis) -> Millis {
    shanghai_midnight(LocalDateTime::shanghai(now).year, 1, 1)
}

/// A volunteer's hours from `from` to `to`, from the events this phone holds.
fn hours_of(app: &App, v: &Volunteer, from: Millis, to: Millis) -> Hours {
    let events: Vec<_> = crate::pages::events::events(app)
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    hours(&v.subject, Some(v), &events, from, to, &|p| {
        data::person_name(app, p)
    })
}

impl Lang {
    fn age_group(self, a: AgeGroup) -> &'static str {
        match a {
            AgeGroup::Youth => self.t("青少年（35岁以下）", "Youth (under 35)"),
            AgeGroup::Adult => self.t("成年", "Adult"),
            AgeGroup::Senior => self.t("长者", "Senior"),
        }
    }

    fn entry_kind(self, k: EntryKind) -> &'static str {
        match k {
            EntryKind::Proxy => self.t("代办", "Proxy filing"),
            EntryKind::Visit => self.t("上门探访", "Home visit"),
            EntryKind::Other => self.t("其他服务", "Other help"),
        }
    }

    /// "2.5 小时" / "2.5 h".
    pub fn hours(self, minutes: i64) -> String {
        let h = linli_shared::domain::volunteer::hours::minutes_to_hours(minutes);
        match self {
            Lang::Zh => format!("{h:.1} 小时"),
            Lang::En => format!("{h:.1} h"),
        }
    }

    fn day(self, at: Millis) -> String {
        let d = LocalDateTime::shanghai(at);
        format!("{}-{:02}-{:02}", d.year, d.month, d.day)
    }

    fn volunteer_error(self, e: &InputError) -> String {
        match (self, e) {
            (Lang::Zh, InputError::TitleEmpty) => "请填写姓名".into(),
            (Lang::En, InputError::TitleEmpty) => "Please give your name".into(),
            (Lang::Zh, InputError::TextEmpty) => "请写一句做了什么".into(),
            (Lang::En, InputError::TextEmpty) => "Please say what you did".into(),
            (Lang::Zh, InputError::PersonalData { what }) => {
                format!("证明会交给学校，备注里好像有{}。请删掉。", self.pii(*what))
            }
            (Lang::En, InputError::PersonalData { what }) => format!(
                "The certificate goes to a school, and the note seems to hold {}. Please remove it.",
                self.pii(*what)
            ),
            _ => self.input_error(e),
        }
    }
}

fn what(l: Lang, s: &Source) -> String {
    match s {
        Source::Event { title } => format!("{}：{title}", l.t("活动", "Event")),
        Source::Service { kind, .. } => l.entry_kind(*kind).to_string(),
    }
}

/// `#/volunteers`: staff's list; a volunteer's own page for anyone else.
#[component]
pub fn VolunteersPage() -> impl IntoView {
    let app = expect_context::<App>();
    // Memos: the page is made anew only when the role or the person's own record (its id)
    // changes, not whenever a document arrives (`mine` reads the whole store), which made the
    // registration and the log forms anew and lost what was being typed.
    let staff = Memo::new(move |_| is_staff(&app));
    let own = Memo::new(move |_| mine(&app).map(|(id, _)| id));
    move || {
        if staff.get() {
            view! { <StaffList/> }.into_any()
        } else {
            match own.get() {
                Some(id) => view! { <VolunteerPage id/> }.into_any(),
                None => view! { <Register/> }.into_any(),
            }
        }
    }
}

/// A volunteer without a record yet registers.
#[component]
fn Register() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    // The person's own name, to start from: the form is made once (not at every document),
    // so a name that arrives later (a first sync still running) is given to it as it comes.
    let known = Memo::new(move |_| data::me(&app).map(|m| m.name).unwrap_or_default());
    let name = known.get_untracked();
    view! {
        <main class="page volunteer">
            <h2>{move || lang.get().t("志愿者登记", "Volunteer registration")}</h2>
            <p class="hint">{move || lang.get().t(
                "登记后，你的代办、上门探访和活动时长会记在这里，社区确认后可打印志愿服务时长证明。",
                "Once registered, your proxy filings, home visits and event hours are kept here; once the community confirms them you can print a certificate of hours.")}</p>
            <ProfileForm doc=None name_from=known initial=ProfileDraft {
                name,
                age_group: AgeGroup::Youth,
                organisation: String::new(),
                skills: String::new(),
                availability: String::new(),
            }/>
        </main>
    }
}

/// The profile form: a new record (`doc` = `None`) or the volunteer's own. `name_from`, when
/// given, fills the name in as it becomes known, while the field is still empty.
#[component]
fn ProfileForm(
    doc: Option<DocumentId>,
    initial: ProfileDraft,
    #[prop(optional)] name_from: Option<Memo<String>>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let name = RwSignal::new(initial.name);
    if let Some(known) = name_from {
        Effect::new(move |_| {
            let n = known.get();
            if !n.is_empty() && name.with_untracked(String::is_empty) {
                name.set(n);
            }
        });
    }
    let age = RwSignal::new(initial.age_group);
    let organisation = RwSignal::new(initial.organisation);
    let skills = RwSignal::new(initial.skills);
    let availability = RwSignal::new(initial.availability);
    let problems = RwSignal::new(Vec::<InputError>::new());
    let submit = move || {
        let draft = ProfileDraft {
            name: name.get_untracked(),
            age_group: age.get_untracked(),
            organisation: organisation.get_untracked(),
            skills: skills.get_untracked(),
            availability: availability.get_untracked(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let me = me(&app);
        let (target, command) = match doc {
            Some(d) => (d, VolunteerCommand::Edit { draft }),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                VolunteerCommand::Create {
                    subject: me.clone(),
                    by: me,
                    draft,
                },
            ),
        };
        match app.send(target, command) {
            Ok(_) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::Saved));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || {
        let l = lang.get();
        problems
            .get()
            .iter()
            .map(|e| l.volunteer_error(e))
            .collect::<Vec<_>>()
            .join(" ")
    };
    view! {
        <section class="form card" aria-labelledby="vp-h">
            <h3 id="vp-h">{move || lang.get().t("我的志愿者资料", "My volunteer profile")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="vp-name">{move || lang.get().t("姓名（证明上的名字）", "Name (as on the certificate)")}</label>
                    <input id="vp-name" aria-describedby="vp-err" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="vp-age">{move || lang.get().t("年龄段", "Age group")}</label>
                    <select id="vp-age" on:change=move |ev| {
                        if let Some(a) = AgeGroup::parse(&event_target_value(&ev)) { age.set(a) }
                    }>
                        {AgeGroup::ALL.into_iter().map(|a| view! {
                            <option value=a.as_str() selected=move || age.get() == a>{move || lang.get().age_group(a)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vp-org">{move || lang.get().t("学校或单位（写在证明上）", "School or organisation (on the certificate)")}</label>
                    <input id="vp-org" aria-describedby="vp-err" prop:value=move || organisation.get()
                        on:input=move |ev| organisation.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="vp-skills">{move || lang.get().t("特长（用顿号分隔）", "Skills (separated by commas)")}</label>
                    <input id="vp-skills" aria-describedby="vp-err" prop:value=move || skills.get()
                        on:input=move |ev| skills.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="vp-avail">{move || lang.get().t("可服务时间", "When you can help")}</label>
                    <input id="vp-avail" aria-describedby="vp-err" prop:value=move || availability.get()
                        on:input=move |ev| availability.set(event_target_value(&ev))/>
                </div>
                <p id="vp-err" class="field-error" role="alert">{problem}</p>
                <button type="submit" class="primary big" data-testid="volunteer-save">{move || lang.get().t("保存资料", "Save the profile")}</button>
            </form>
        </section>
    }
}

/// A volunteer's page: hours, activities, their elders, logging help.
#[component]
pub fn VolunteerPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let record = Memo::new(move |_| {
        app.version.track();
        app.summary(&id, |s| match s {
            Summary::Volunteer(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
    });
    let own = move || record.with(|v| v.as_ref().is_some_and(|v| v.subject == me(&app)));
    let profile = Memo::new(move |_| record.with(|v| v.as_ref().map(ProfileDraft::of)));
    view! {
        <main class="page volunteer">
            {move || match record.get() {
                None => view! {
                    <h2>{move || lang.get().t("志愿者", "Volunteer")}</h2>
                    <p class="empty">{move || lang.get().t("这份志愿者记录还没有同步到本机。", "This volunteer's record has not synced to this phone yet.")}</p>
                }.into_any(),
                Some(v) => {
                    let l = lang.get();
                    let now = app.now();
                    let year = hours_of(&app, &v, year_start(now), Millis::MAX);
                    let all = hours_of(&app, &v, 0, Millis::MAX);
                    view! {
                        <h2>{format!("{} · {}", v.name, l.t("志愿者", "Volunteer"))}</h2>
                        <p class="meta">{format!("{} · {}", l.age_group(v.age_group), v.organisation)}</p>
                        <p class="meta">{format!("{}{} · {}{}", l.t("特长：", "Skills: "), v.skills.join("、"), l.t("可服务时间：", "Available: "), v.availability)}</p>
                        <section class="card balance" aria-labelledby="vh-h">
                            <h3 id="vh-h">{l.t("志愿服务时长", "Volunteer hours")}</h3>
                            <p class="big">{l.t("今年 ", "This year ")}<strong data-testid="hours-year">{l.hours(year.minutes)}</strong></p>
                            <p class="big">{l.t("累计 ", "All time ")}<strong data-testid="hours-total">{l.hours(all.minutes)}</strong></p>
                            {(all.pending > 0).then(|| view! {
                                <p class="pending" data-testid="hours-pending">{format!("{} {}", l.t("待确认（不计入）", "Waiting for confirmation (not counted)"), l.hours(all.pending))}</p>
                            })}
                            <p><a class="button" href=Route::Certificate(id).hash() data-testid="certificate-link">{l.t("打印志愿服务时长证明", "Print the certificate of hours")}</a></p>
                        </section>
                        <section aria-labelledby="va-h">
                            <h3 id="va-h">{l.t("服务记录", "Activities")}</h3>
                            <ul class="rows" data-testid="activities">
                                {all.activities.iter().rev().take(200).map(|a| {
                                    let status = if a.confirmed {
                                        format!("{}{}", l.t("确认人：", "Confirmed by "), a.confirmed_by)
                                    } else {
                                        l.t("待确认", "Waiting for confirmation").to_string()
                                    };
                                    let entry = match &a.source {
                                        Source::Service { entry, .. } if !a.confirmed => Some(entry.clone()),
                                        _ => None,
                                    };
                                    let staff = is_staff(&app) && app.editable(&id);
                                    view! {
                                        <li data-testid="activity" class:pending=!a.confirmed>
                                            <span>{l.day(a.at)}</span>" "
                                            <strong>{what(l, &a.source)}</strong>" "
                                            <span data-testid="activity-hours">{l.hours(a.minutes)}</span>" · "
                                            <span>{status}</span>
                                            {(!a.note.is_empty()).then(|| view! { <span class="meta">{format!(" · {}", a.note)}</span> })}
                                            {entry.filter(|_| staff).map(|entry| view! { <ConfirmButton doc=id entry/> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                }
            }}
            <Show when=move || own()>
                <MyElders/>
                <Show when=move || app.editable(&id) fallback=move || view! {
                    <p class="loading" aria-busy="true">{move || lang.get().t("正在打开…", "Opening…")}</p>
                }>
                    <LogForm id/>
                    <ProxyOffers id record/>
                    // Made anew only when the profile itself changes (saved here or on another
                    // phone), not when hours are logged or confirmed.
                    {move || profile.get().map(|initial| view! { <ProfileForm doc=Some(id) initial/> })}
                </Show>
            </Show>
        </main>
    }
}

/// Staff confirm an entry in their own name.
#[component]
fn ConfirmButton(doc: DocumentId, entry: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let entry = StoredValue::new(entry);
    let confirm = move |_| {
        let by = me(&app);
        let by_name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let command = VolunteerCommand::Confirm {
            entry: entry.get_value(),
            by,
            by_name,
        };
        match app.send(doc, command) {
            Ok(_) => app.notice.set(Some(Notice::Saved)),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    view! {
        <button type="button" class="primary" data-testid="confirm-entry" on:click=confirm>
            {move || lang.get().t("确认时长", "Confirm the hours")}
        </button>
    }
}

/// The elders who consent to this volunteer's help (the existing consent flow), and the
/// events' sign-up for a consenting elder.
#[component]
fn MyElders() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let elders = Memo::new(move |_| {
        app.version.track();
        let me = me(&app);
        app.each_summary(|_, s| match s {
            Summary::Person(p)
                if p.person.id != me
                    && p.consents.iter().any(|c| c.volunteer == me && c.active()) =>
            {
                Some(p.person.name.clone())
            }
            _ => None,
        })
    });
    view! {
        <section class="card" aria-labelledby="ve-h" data-testid="my-elders">
            <h3 id="ve-h">{move || lang.get().t("我结对的长者", "My elders")}</h3>
            {move || {
                let v = elders.get();
                if v.is_empty() {
                    view! { <p class="empty">{move || lang.get().t("还没有长者授权你代办。社区工作者可以在长者的资料页为你们结对。", "No elder has consented to your help yet. Staff pair you on the elder's page.")}</p> }.into_any()
                } else {
                    view! { <ul class="rows">{v.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> }.into_any()
                }
            }}
            <p>
                <a href=Route::Elders.hash()>{move || lang.get().t("代办：我的长者", "Proxy help: my elders")}</a>" · "
                <a href=Route::Events.hash()>{move || lang.get().t("和长者一起报名活动（如粽香传情）", "Sign up for an event with your elder (such as 粽香传情)")}</a>
            </p>
        </section>
    }
}

/// Requests this volunteer filed for an elder and has not logged yet: one tap logs each as
/// a proxy entry of 30 minutes (editable in the form). Only buttons, redrawn when what they
/// offer changes.
#[component]
fn ProxyOffers(id: DocumentId, record: Memo<Option<Volunteer>>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let offers = Memo::new(move |_| {
        let me = me(&app);
        record.with(|record| {
            let Some(record) = record else {
                return Vec::new();
            };
            data::requests_where(&app, app.now(), |r| r.filed_by == me && r.subject != me)
                .into_iter()
                .filter(|r| !record.logged_request(&r.id.to_string()))
                .take(10)
                .map(|r| {
                    (
                        r.id,
                        r.req.title.clone(),
                        r.req.subject.clone(),
                        r.req.filed_at,
                    )
                })
                .collect::<Vec<(DocumentId, String, String, Millis)>>()
        })
    });
    move || {
        let offers = offers.get();
        (!offers.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="vo-h" data-testid="proxy-offers">
                <h3 id="vo-h">{move || lang.get().t("记入代办时长", "Log your proxy filings")}</h3>
                <ul class="rows">
                    {offers.into_iter().map(|(req, title, elder, at)| {
                        let log = move |_| {
                            let draft = EntryDraft {
                                kind: EntryKind::Proxy,
                                at: at.max(app.now() - 29 * linli_shared::time::DAY),
                                minutes: PROXY_MINUTES,
                                elder: elder.clone(),
                                request: req.to_string(),
                                note: String::new(),
                            };
                            match app.send(id, VolunteerCommand::Log { by: me_of(&app), draft }) {
                                Ok(_) => app.notice.set(Some(Notice::Saved)),
                                Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                            }
                        };
                        view! {
                            <li>
                                <span>{title}</span>" "
                                <button type="button" on:click=log>{move || lang.get().t("记30分钟", "Log 30 minutes")}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
    }
}

fn me_of(app: &App) -> String {
    me(app)
}

/// Logging a service entry (proxy filing, visit, other).
#[component]
fn LogForm(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let kind = RwSignal::new(EntryKind::Visit);
    let minutes = RwSignal::new(String::from("60"));
    let date = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<InputError>::new());
    let submit = move || {
        let now = app.now();
        let day = date.get_untracked();
        let at = if day.trim().is_empty() {
            Some(now)
        } else {
            linli_shared::domain::event::parse_local(&format!("{}T12:00", day.trim()))
                .map(|t| t.min(now))
        };
        let Some(at) = at else {
            problems.set(vec![InputError::BadDate]);
            return;
        };
        let draft = EntryDraft {
            kind: kind.get_untracked(),
            at,
            minutes: minutes.get_untracked().trim().parse().unwrap_or(0),
            elder: String::new(),
            request: String::new(),
            note: note.get_untracked(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        match app.send(
            id,
            VolunteerCommand::Log {
                by: me(&app),
                draft,
            },
        ) {
            Ok(_) => {
                problems.set(Vec::new());
                note.set(String::new());
                app.notice.set(Some(Notice::Saved));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || {
        let l = lang.get();
        problems
            .get()
            .iter()
            .map(|e| l.volunteer_error(e))
            .collect::<Vec<_>>()
            .join(" ")
    };
    view! {
        <section class="form card" aria-labelledby="vl-h">
            <h3 id="vl-h">{move || lang.get().t("登记一次服务", "Log your help")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="vl-kind">{move || lang.get().t("服务类型", "Kind of help")}</label>
                    <select id="vl-kind" data-testid="log-kind" on:change=move |ev| {
                        if let Some(k) = EntryKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {EntryKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || lang.get().entry_kind(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="vl-date">{move || lang.get().t("日期（留空为今天）", "Date (empty: today)")}</label>
                    <input id="vl-date" type="date" aria-describedby="vl-err" prop:value=move || date.get()
                        on:input=move |ev| date.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="vl-min">{move || lang.get().t("时长（分钟）", "Minutes")}</label>
                    <input id="vl-min" inputmode="numeric" data-testid="log-minutes" aria-describedby="vl-err" prop:value=move || minutes.get()
                        on:input=move |ev| minutes.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="vl-note">{move || lang.get().t("做了什么（会写在证明上）", "What you did (shown on the certificate)")}</label>
                    <textarea id="vl-note" rows="2" maxlength=NOTE_MAX.to_string() data-testid="log-note" aria-describedby="vl-err"
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <p id="vl-err" class="field-error" role="alert">{problem}</p>
                <button type="submit" class="primary big" data-testid="log-save">{move || lang.get().t("保存，等社区确认", "Save for the community to confirm")}</button>
            </form>
        </section>
    }
}

/// Staff: every volunteer, youth first, with hours and entries to confirm.
#[component]
fn StaffList() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = Memo::new(move |_| {
        app.version.track();
        volunteers(&app)
    });
    view! {
        <main class="page volunteers">
            <h2>{move || lang.get().t("志愿者", "Volunteers")}</h2>
            <p class="hint">{move || lang.get().t(
                "青少年志愿者在前。结对：在长者的资料页登记长者对志愿者的代办授权。",
                "Youth volunteers first. To pair a volunteer with an elder, record the elder's consent on the elder's page.")}</p>
            <ul class="cards" data-testid="volunteer-list">
                {move || {
                    let l = lang.get();
                    rows.get().into_iter().map(|(id, v)| {
                        let all = hours_of(&app, &v, 0, Millis::MAX);
                        let waiting = v.to_confirm();
                        view! {
                            <li class="card">
                                <a class="card-link" href=Route::Volunteer(id).hash() data-testid="volunteer-row">
                                    <div class="card-top">
                                        <strong class="card-title">{v.name.clone()}</strong>
                                        <strong>{l.hours(all.minutes)}</strong>
                                    </div>
                                    <div class="card-meta">
                                        <span>{format!("{} · {}", l.age_group(v.age_group), v.organisation)}</span>
                                        {(waiting > 0).then(|| view! { <span data-testid="to-confirm">{match l {
                                            Lang::Zh => format!("{waiting} 条待确认"),
                                            Lang::En => format!("{waiting} to confirm"),
                                        }}</span> })}
                                    </div>
                                </a>
                                <a href=Route::People.hash()>{l.t("与长者结对（在长者资料页登记授权）", "Pair with an elder (record consent on the elder's page)")}</a>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="empty">{move || lang.get().t("还没有志愿者记录同步到本机。", "No volunteer's record has synced to this phone yet.")}</p>
            </Show>
        </main>
    }
}

/// The certificate of hours 志愿服务时长证明: one A4 page a school accepts.
#[component]
pub fn CertificatePage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let record = Memo::new(move |_| {
        app.version.track();
        app.summary(&id, |s| match s {
            Summary::Volunteer(v) => Some(v.clone()),
            _ => None,
        })
        .flatten()
    });
    let print = move |_| {
        let _ = platform::window().print();
    };
    view! {
        <main class="page certificate">
            <p class="no-print">
                <a class="back" href=Route::Volunteer(id).hash()>{move || lang.get().t("返回", "Back")}</a>" "
                <button type="button" class="primary" data-testid="print" on:click=print>{move || lang.get().t("打印", "Print")}</button>
            </p>
            {move || record.get().map(|v| {
                let l = lang.get();
                let h = hours_of(&app, &v, 0, Millis::MAX);
                let community = data::community(&app).map(|c| c.name).unwrap_or_default();
                view! {
                    <article class="certificate-sheet" data-testid="certificate">
                        <h2>{l.t("志愿服务时长证明", "Certificate of volunteer hours")}</h2>
                        <p>{match l {
                            Lang::Zh => format!("兹证明 {} 同志（{}）在{}参加志愿服务，经社区确认的服务时长如下：", v.name, v.organisation, community),
                            Lang::En => format!("This certifies that {} ({}) volunteered in {}; the hours the community confirmed are:", v.name, v.organisation, community),
                        }}</p>
                        <table class="ledger">
                            <thead><tr>
                                <th scope="col">{l.t("日期", "Date")}</th>
                                <th scope="col">{l.t("服务内容", "Activity")}</th>
                                <th scope="col">{l.t("时长", "Hours")}</th>
                                <th scope="col">{l.t("确认人", "Confirmed by")}</th>
                            </tr></thead>
                            <tbody>
                                {h.confirmed().map(|a| view! {
                                    <tr data-testid="certificate-row">
                                        <td>{l.day(a.at)}</td>
                                        <td>{what(l, &a.source)}</td>
                                        <td>{l.hours(a.minutes)}</td>
                                        <td>{a.confirmed_by.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="big">{l.t("合计 ", "Total ")}<strong data-testid="certificate-total">{l.hours(h.minutes)}</strong></p>
                        <p class="signature">{format!("{}  {}", community, l.day(app.now()))}</p>
                        <p class="meta">{l.t("（盖章处）", "(stamp)")}</p>
                    </article>
                }
            })}
        </main>
    }
}

/// The volunteer tile on the hub: a volunteer's own hours, or staff's count to confirm.
pub fn tile_line(app: &App, l: Lang) -> Option<(Route, String)> {
    if let Some((id, v)) = mine(app) {
        let h = hours_of(app, &v, 0, Millis::MAX);
        return Some((
            Route::Volunteer(id),
            match l {
                Lang::Zh => format!("我的志愿时长 {}", l.hours(h.minutes)),
                Lang::En => format!("My hours {}", l.hours(h.minutes)),
            },
        ));
    }
    let all = volunteers(app);
    let role = app.session.with(|s| s.as_ref().map(|s| s.role));
    if all.is_empty() && role != Some(Role::Volunteer) {
        return None;
    }
    let waiting: usize = all.iter().map(|(_, v)| v.to_confirm()).sum();
    Some((
        Route::Volunteers,
        match l {
            Lang::Zh => format!("{} 名志愿者 · {waiting} 条待确认", all.len()),
            Lang::En => format!("{} volunteers · {waiting} to confirm", all.len()),
        },
    ))
}

/// On an elder's home screen: "你的志愿者 / your volunteer", the volunteers they consent to
/// (the pairing, from the consents in their own record).
#[component]
pub fn YourVolunteer() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let names = Memo::new(move |_| {
        app.version.track();
        let Some(doc) = app
            .session
            .with(|s| s.as_ref().and_then(|s| s.person_doc.clone()))
            .and_then(|d| DocumentId::parse(&d).ok())
        else {
            return Vec::new();
        };
        app.summary(&doc, |s| match s {
            Summary::Person(p) => p
                .consents
                .iter()
                .filter(|c| c.active() && !c.volunteer_name.is_empty())
                .map(|c| c.volunteer_name.clone())
                .collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default()
    });
    move || {
        let v = names.get();
        (!v.is_empty()).then(|| {
            view! {
                <section class="card" aria-labelledby="yv-h" data-testid="your-volunteer">
                    <h2 id="yv-h">{move || lang.get().t("你的志愿者", "Your volunteer")}</h2>
                    <p><strong>{v.join("、")}</strong></p>
                </section>
            }
        })
    }
}
