//! Self-governing groups 自治组织: the community's groups with their members and how many were
//! active in the last 30 days (indicator 19); a group's page with what it is for, its leader,
//! its members, a join or leave button, and its record of activities (each linking the event
//! or proposal it was); the leader records an activity and writes what the group is about;
//! staff open groups and name their leaders. Everything is written on the phone first and
//! reaches the relay when it can.

use leptos::prelude::*;
use linli_shared::domain::group::{
    ABOUT_MAX, ActivityDraft, ActivityKind, Group, GroupCommand, GroupDraft, GroupKind,
    GroupSummary, NOTE_MAX, TITLE_MAX,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::time::{DAY, HOUR, LocalDateTime, Millis};

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};

/// "Active" on the list: an activity in the last 30 days.
const ACTIVE_DAYS: i64 = 30;

/// Every group this phone holds: active ones first, then by name.
pub fn groups(app: &App) -> Vec<(DocumentId, GroupSummary)> {
    let now = app.now();
    let mut v = app.each_summary(|id, s| match s {
        Summary::Group(g) => Some((*id, g.clone())),
        _ => None,
    });
    v.sort_by(|a, b| {
        let active = |g: &GroupSummary| g.group.active_in(now - ACTIVE_DAYS * DAY, now + HOUR);
        active(&b.1)
            .cmp(&active(&a.1))
            .then_with(|| a.1.group.name.cmp(&b.1.group.name))
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

impl Lang {
    pub fn group_kind(self, k: GroupKind) -> &'static str {
        match k {
            GroupKind::Stairwell => self.t("楼道自治小组", "Stairwell group"),
            GroupKind::Volunteers => self.t("志愿服务队", "Volunteer team"),
            GroupKind::Interest => self.t("兴趣社团", "Interest club"),
            GroupKind::Other => self.t("其他", "Other"),
        }
    }

    pub fn activity_kind(self, k: ActivityKind) -> &'static str {
        match k {
            ActivityKind::Meeting => self.t("例会", "Meeting"),
            ActivityKind::Event => self.t("活动", "Event"),
            ActivityKind::Proposal => self.t("微创投提案", "Grant proposal"),
            ActivityKind::Other => self.t("其他", "Other"),
        }
    }

    fn group_error(self, e: &InputError) -> String {
        match (self, e) {
            (Lang::Zh, InputError::TitleEmpty) => "请填写名称".into(),
            (Lang::En, InputError::TitleEmpty) => "Please give it a name".into(),
            (Lang::Zh, InputError::BadDate) => "日期应在过去一年内，不能是将来".into(),
            (Lang::En, InputError::BadDate) => {
                "The date is within the past year, not in the future".into()
            }
            _ => self.input_error(e),
        }
    }
}

/// `YYYY-MM-DD` of an instant, China time.
fn day_text(at: Millis) -> String {
    let d = LocalDateTime::shanghai(at);
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// Midday of a `YYYY-MM-DD` day, China time (no later than `now` for today); `None` when it
/// is not a date.
fn parse_day(s: &str, now: Millis) -> Option<Millis> {
    let day = linli_shared::domain::community::calendar::parse_date(s)?;
    let midnight = linli_shared::time::shanghai_day_start(day);
    let noon = midnight + 12 * HOUR;
    // Today's activity is not later than now; another day's is at its noon (a future day
    // stays in the future, and the form says so).
    Some(if (midnight..midnight + DAY).contains(&now) {
        noon.min(now)
    } else {
        noon
    })
}

/// The list: every group with its members and whether it was active lately; staff open one.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = Memo::new(move |_| {
        app.version.track();
        groups(&app)
    });
    let active = move || {
        let now = app.now();
        rows.with(|r| {
            r.iter()
                .filter(|(_, g)| g.group.active_in(now - ACTIVE_DAYS * DAY, now + HOUR))
                .count()
        })
    };
    view! {
        <main class="page groups">
            <h2>{move || lang.get().t("自治组织", "Self-governing groups")}</h2>
            <p class="hint" data-testid="groups-active">{move || match lang.get() {
                Lang::Zh => format!("共 {} 个 · 近30天活跃 {} 个（有例会、活动或提案记录）", rows.with(Vec::len), active()),
                Lang::En => format!("{} groups · {} active in the last 30 days (a meeting, event or proposal recorded)", rows.with(Vec::len), active()),
            }}</p>
            <ul class="cards" aria-label=move || lang.get().t("自治组织列表", "Groups")>
                {move || {
                    let now = app.now();
                    rows.get().into_iter().map(|(id, s)| {
                        let l = lang.get();
                        let lively = s.group.active_in(now - ACTIVE_DAYS * DAY, now + HOUR);
                        let last = match s.last_activity {
                            Some(at) => format!("{}{}", l.t("最近活动 ", "Last activity "), day_text(at)),
                            None => l.t("还没有活动记录", "No activity recorded yet").to_string(),
                        };
                        view! {
                            <li class="card">
                                <a class="card-link" href=Route::Group(id).hash() data-testid="group-row">
                                    <div class="card-top">
                                        <strong class="card-title">{s.group.name.clone()}</strong>
                                        <span class=if lively { "status group-active" } else { "status group-quiet" } data-testid="group-state">
                                            {if lively { l.t("活跃", "Active") } else { l.t("近30天无活动", "Quiet lately") }}
                                        </span>
                                    </div>
                                    <div class="card-meta">
                                        <span>{l.group_kind(s.group.kind)}</span>
                                        <span>{match l {
                                            Lang::Zh => format!("{} 名成员", s.members),
                                            Lang::En => format!("{} members", s.members),
                                        }}</span>
                                    </div>
                                    <div class="card-meta"><span>{last}</span></div>
                                </a>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="empty">{move || lang.get().t("还没有同步到自治组织。", "No group has synced to this phone yet.")}</p>
            </Show>
            <Show when=move || is_staff(&app)>
                <GroupForm doc=None initial=GroupDraft::default()/>
            </Show>
        </main>
    }
}

/// A group's page.
#[component]
pub fn GroupPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let summary = Memo::new(move |_| {
        app.version.track();
        app.summary(&id, |s| match s {
            Summary::Group(g) => Some(g.clone()),
            _ => None,
        })
        .flatten()
    });
    let leads = move || summary.with(|s| s.as_ref().is_some_and(|s| s.group.leader == me(&app)));
    let member = move || {
        summary.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.group.membership(&me(&app)).is_some())
        })
    };
    let toggle = move || {
        let person = me(&app);
        let command = if member() {
            GroupCommand::Leave { person }
        } else {
            let name = data::me(&app).map(|m| m.name).unwrap_or_default();
            GroupCommand::Join { person, name }
        };
        match app.send(id, command) {
            Ok(_) => app.notice.set(Some(Notice::Saved)),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    // The forms below are made once, from the group as it is then, and stay while members join
    // and activities are recorded (they were made anew with each change, losing what was
    // typed). Memos: `editable` reads the whole store and runs again on any document's change.
    let editable = Memo::new(move |_| app.editable(&id));
    let writes_about = Memo::new(move |_| {
        summary.with(Option::is_some) && leads() && !is_staff(&app) && editable.get()
    });
    let staff_edits =
        Memo::new(move |_| summary.with(Option::is_some) && is_staff(&app) && editable.get());
    let group = move || summary.with_untracked(|s| s.as_ref().map(|s| s.group.clone()));
    view! {
        <main class="page group">
            {move || match summary.get() {
                None => view! {
                    <h2>{move || lang.get().t("自治组织", "Self-governing group")}</h2>
                    <p class="empty">{move || lang.get().t("这个组织的记录还没有同步到本机。", "This group's record has not synced to this phone yet.")}</p>
                }.into_any(),
                Some(s) => {
                    let g = s.group.clone();
                    let l = lang.get();
                    let leader = if g.leader_name.is_empty() {
                        l.t("（暂无）", "(none yet)").to_string()
                    } else {
                        g.leader_name.clone()
                    };
                    view! {
                        <h2>{g.name.clone()}</h2>
                        <p class="meta">{format!("{} · {}{}", l.group_kind(g.kind), l.t("负责人 ", "Leader "), leader)}</p>
                        <p class="about">{g.about.clone()}</p>
                    }.into_any()
                }
            }}
            <Show when=move || summary.with(Option::is_some)>
                <section class="members" aria-labelledby="members-h">
                    <h3 id="members-h">{move || match lang.get() {
                        Lang::Zh => format!("成员（{} 人）", summary.with(|s| s.as_ref().map_or(0, |s| s.members))),
                        Lang::En => format!("Members ({})", summary.with(|s| s.as_ref().map_or(0, |s| s.members))),
                    }}</h3>
                    <p class="member-names" data-testid="group-members">{move || summary.with(|s| s.as_ref().map(|s| {
                        s.group.live_members().iter().map(|m| if m.name.is_empty() { "…".to_string() } else { m.name.clone() }).collect::<Vec<_>>().join("、")
                    }).unwrap_or_default())}</p>
                    <p class="hint">{move || lang.get().t("加入后，你的名字会显示在成员名单上，社区里的人都看得到。", "When you join, your name is on the members' list, which everyone in the community can read.")}</p>
                    <button type="button" class=move || if member() { "secondary" } else { "primary" } data-testid="group-join"
                        disabled=move || !editable.get()
                        on:click=move |_| toggle()>
                        {move || if member() { lang.get().t("退出", "Leave") } else { lang.get().t("加入", "Join") }}
                    </button>
                </section>
            </Show>
            <Show when=move || (leads() || is_staff(&app)) && editable.get()>
                <RecordForm id/>
            </Show>
            <section class="activities" aria-labelledby="activities-h">
                <h3 id="activities-h">{move || lang.get().t("活动记录", "Activities")}</h3>
                <ul class="group-activities" data-testid="group-activities">
                    {move || {
                        let l = lang.get();
                        let list = summary.with(|s| s.as_ref().map(|s| s.group.activities.clone()).unwrap_or_default());
                        list.into_iter().take(100).map(|a| {
                            let link = a.doc.as_deref().and_then(|d| DocumentId::parse(d).ok()).map(|d| match a.kind {
                                ActivityKind::Event => Route::Event(d),
                                _ => Route::Proposal(d),
                            });
                            let title = a.title.clone();
                            view! {
                                <li>
                                    <span class="meta">{format!("{} · {}", day_text(a.at), l.activity_kind(a.kind))}</span>
                                    " "
                                    {match link {
                                        Some(r) => view! { <a href=r.hash()>{title}</a> }.into_any(),
                                        None => view! { <strong>{title}</strong> }.into_any(),
                                    }}
                                    {(!a.note.is_empty()).then(|| view! { <p>{a.note.clone()}</p> })}
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
                <Show when=move || summary.with(|s| s.as_ref().is_some_and(|s| s.group.activities.is_empty()))>
                    <p class="empty">{move || lang.get().t("还没有活动记录。", "No activity recorded yet.")}</p>
                </Show>
            </section>
            <Show when=move || writes_about.get()>
                {group().map(|g| view! { <AboutForm id initial=g.about/> })}
            </Show>
            <Show when=move || staff_edits.get()>
                {group().map(|g: Group| view! { <GroupForm doc=Some(id) initial=GroupDraft {
                    name: g.name,
                    kind: g.kind,
                    about: g.about,
                    leader: g.leader,
                    leader_name: g.leader_name,
                }/> })}
            </Show>
        </main>
    }
}

/// The leader (or staff) records what the group did; the draft is kept on the phone.
#[component]
fn RecordForm(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = StoredValue::new(format!("group-activity-{id}"));
    let saved: Option<ActivityDraft> = app
        .draft(&key.get_value())
        .and_then(|j| serde_json::from_str(&j).ok());
    let saved = saved.unwrap_or_default();
    let kind = RwSignal::new(saved.kind);
    let day = RwSignal::new(if saved.at > 0 {
        day_text(saved.at)
    } else {
        day_text(app.now())
    });
    let title = RwSignal::new(saved.title);
    let link = RwSignal::new(saved.doc);
    let note = RwSignal::new(saved.note);
    let problems = RwSignal::new(Vec::<InputError>::new());
    let draft = move || ActivityDraft {
        kind: kind.get_untracked(),
        at: parse_day(&day.get_untracked(), app.now()).unwrap_or(0),
        title: title.get_untracked(),
        doc: link.get_untracked(),
        note: note.get_untracked(),
    };
    // Keep what is typed, so a reload or a lost signal loses nothing.
    Effect::new(move |_| {
        kind.track();
        day.track();
        title.track();
        link.track();
        note.track();
        if let Ok(json) = serde_json::to_string(&draft()) {
            app.set_draft(&key.get_value(), &json);
        }
    });
    // What the activity may link: the events and proposals this phone holds, newest first.
    let linkable = Memo::new(move |_| {
        app.version.track();
        let mut v: Vec<(ActivityKind, String, String, Millis)> =
            app.each_summary(|id, s| match s {
                Summary::Event(e) => Some((
                    ActivityKind::Event,
                    id.to_string(),
                    e.title.clone(),
                    e.starts_at,
                )),
                Summary::Proposal(p) => Some((
                    ActivityKind::Proposal,
                    id.to_string(),
                    p.proposal.draft.title.clone(),
                    p.proposal.at,
                )),
                _ => None,
            });
        v.sort_by_key(|x| std::cmp::Reverse(x.3));
        v
    });
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let now = app.now();
        let d = draft();
        let mut found = d.problems(now);
        if parse_day(&day.get_untracked(), now).is_none() && !found.contains(&InputError::BadDate) {
            found.insert(0, InputError::BadDate);
        }
        if !found.is_empty() {
            problems.set(found);
            platform::focus("ga-err");
            return;
        }
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let command = GroupCommand::Record {
            by: session.person.clone(),
            by_name: name,
            draft: d,
        };
        match app.send(id, command) {
            Ok(_) => {
                problems.set(Vec::new());
                title.set(String::new());
                note.set(String::new());
                link.set(String::new());
                app.clear_draft(&key.get_value());
                app.notice.set(Some(Notice::Saved));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    view! {
        <section class="record-activity" aria-labelledby="ga-h">
            <h3 id="ga-h">{move || lang.get().t("记录一次活动", "Record an activity")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label for="ga-kind">{move || lang.get().t("类型", "Kind")}</label>
                <select id="ga-kind" prop:value=move || kind.get().as_str() on:change=move |ev| {
                    if let Some(k) = ActivityKind::parse(&event_target_value(&ev)) { kind.set(k); link.set(String::new()); }
                }>
                    {move || ActivityKind::ALL.into_iter().map(|k| {
                        let sel = kind.get_untracked() == k;
                        view! { <option value=k.as_str() selected=sel>{lang.get().activity_kind(k)}</option> }
                    }).collect_view()}
                </select>
                <label for="ga-date">{move || lang.get().t("日期", "Date")}</label>
                <input id="ga-date" type="date" aria-describedby="ga-err" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                <label for="ga-title">{move || lang.get().t("标题", "Title")}</label>
                <input id="ga-title" aria-describedby="ga-err" maxlength=TITLE_MAX.to_string() prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                <Show when=move || matches!(kind.get(), ActivityKind::Event | ActivityKind::Proposal)>
                    <label for="ga-link">{move || lang.get().t("关联的活动或提案（可选）", "The event or proposal (optional)")}</label>
                    <select id="ga-link" prop:value=move || link.get() on:change=move |ev| link.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("（不关联）", "(none)")}</option>
                        {move || {
                            let want = kind.get();
                            linkable.get().into_iter().filter(|(k, ..)| *k == want).take(60).map(|(_, doc, t, _)| {
                                // A property, set each time the list is drawn: the linked
                                // document stays chosen wherever the list puts it.
                                let sel = link.get_untracked() == doc;
                                view! { <option value=doc prop:selected=sel>{t}</option> }
                            }).collect_view()
                        }}
                    </select>
                </Show>
                <label for="ga-note">{move || lang.get().t("备注（可选）", "Note (optional)")}</label>
                <textarea id="ga-note" rows="2" maxlength=NOTE_MAX.to_string() prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <p id="ga-err" class="field-error" role="alert" tabindex="-1">{move || {
                    let l = lang.get();
                    problems.get().iter().map(|e| l.group_error(e)).collect::<Vec<_>>().join(" ")
                }}</p>
                <button type="submit" class="primary" data-testid="group-record">{move || lang.get().t("保存记录", "Save")}</button>
            </form>
        </section>
    }
}

/// The leader writes what the group is for.
#[component]
fn AboutForm(id: DocumentId, initial: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let about = RwSignal::new(initial);
    let problems = RwSignal::new(Vec::<InputError>::new());
    let submit = move || {
        let Some(g) = app
            .summary(&id, |s| match s {
                Summary::Group(g) => Some(g.group.clone()),
                _ => None,
            })
            .flatten()
        else {
            return;
        };
        let draft = GroupDraft {
            name: g.name,
            kind: g.kind,
            about: about.get_untracked(),
            leader: g.leader,
            leader_name: g.leader_name,
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        match app.send(id, GroupCommand::Edit { draft }) {
            Ok(_) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::Saved));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    view! {
        <section class="group-about" aria-labelledby="gab-h">
            <h3 id="gab-h">{move || lang.get().t("组织简介", "What the group is for")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label for="gab-text">{move || lang.get().t("简介", "About")}</label>
                <textarea id="gab-text" rows="3" aria-describedby="gab-err" maxlength=ABOUT_MAX.to_string() prop:value=move || about.get() on:input=move |ev| about.set(event_target_value(&ev))></textarea>
                <p id="gab-err" class="field-error" role="alert">{move || {
                    let l = lang.get();
                    problems.get().iter().map(|e| l.group_error(e)).collect::<Vec<_>>().join(" ")
                }}</p>
                <button type="submit" class="primary">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </section>
    }
}

/// Staff open a group (`doc` = `None`) or edit one: name, kind, about, leader.
#[component]
fn GroupForm(doc: Option<DocumentId>, initial: GroupDraft) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let p = if doc.is_some() { "gre" } else { "grn" };
    let ids = StoredValue::new([
        format!("{p}-name"),
        format!("{p}-kind"),
        format!("{p}-about"),
        format!("{p}-leader"),
        format!("{p}-err"),
    ]);
    let fid = move |i: usize| ids.with_value(|v| v[i].clone());
    let name = RwSignal::new(initial.name);
    let kind = RwSignal::new(initial.kind);
    let about = RwSignal::new(initial.about);
    let leader = RwSignal::new(initial.leader);
    let problems = RwSignal::new(Vec::<InputError>::new());
    let people = Memo::new(move |_| {
        let mut v: Vec<(String, String)> = data::people(&app)
            .into_iter()
            .map(|(_, p)| (p.id, p.name))
            .filter(|(_, n)| !n.is_empty())
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    });
    let submit = move || {
        let leader_id = leader.get_untracked();
        let leader_name = people
            .get_untracked()
            .into_iter()
            .find(|(id, _)| *id == leader_id)
            .map(|(_, n)| n)
            .unwrap_or_default();
        let draft = GroupDraft {
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            about: about.get_untracked(),
            leader: leader_id,
            leader_name,
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let (target, command) = match doc {
            Some(d) => (d, GroupCommand::Edit { draft }),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                GroupCommand::Create { draft },
            ),
        };
        match app.send(target, command) {
            Ok(_) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::Saved));
                if doc.is_none() {
                    app.go(Route::Group(target));
                }
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let heading = if doc.is_some() {
        ("修改组织信息", "Edit the group")
    } else {
        ("新建自治组织", "Open a group")
    };
    view! {
        <section class="group-form" aria-labelledby=format!("{p}-h")>
            <h3 id=format!("{p}-h")>{move || lang.get().t(heading.0, heading.1)}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label for=fid(0)>{move || lang.get().t("名称", "Name")}</label>
                <input id=fid(0) aria-describedby=fid(4) prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for=fid(1)>{move || lang.get().t("类型", "Kind")}</label>
                <select id=fid(1) prop:value=move || kind.get().as_str() on:change=move |ev| if let Some(k) = GroupKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                    {move || GroupKind::ALL.into_iter().map(|k| {
                        let sel = kind.get_untracked() == k;
                        view! { <option value=k.as_str() selected=sel>{lang.get().group_kind(k)}</option> }
                    }).collect_view()}
                </select>
                <label for=fid(2)>{move || lang.get().t("简介", "About")}</label>
                <textarea id=fid(2) rows="3" maxlength=ABOUT_MAX.to_string() prop:value=move || about.get() on:input=move |ev| about.set(event_target_value(&ev))></textarea>
                <label for=fid(3)>{move || lang.get().t("负责人", "Leader")}</label>
                <select id=fid(3) prop:value=move || leader.get() on:change=move |ev| leader.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("（暂无）", "(none yet)")}</option>
                    {move || people.get().into_iter().map(|(pid, n)| {
                        let sel = leader.get_untracked() == pid;
                        view! { <option value=pid prop:selected=sel>{n}</option> }
                    }).collect_view()}
                </select>
                <p id=fid(4) class="field-error" role="alert">{move || {
                    let l = lang.get();
                    problems.get().iter().map(|e| l.group_error(e)).collect::<Vec<_>>().join(" ")
                }}</p>
                <button type="submit" class="primary">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </section>
    }
}
