//! Events 睦邻活动: upcoming events on a resident's home screen (read aloud in elder mode), the
//! events page (upcoming and past), one event (details, seats left, the waitlist, your place,
//! signing up and cancelling offline, a calendar file, your check-in code as a QR code), staff's
//! form (new, edit, repeat next month) and the organiser's door page (tick names, type a code,
//! check out; present and absent counted), all working offline.
//!
//! The rule shown to everyone: seats go to the first sign-ups in the order the relay accepted
//! them (`shared::domain::event`), so a sign-up made offline is 待确认 until it reaches the
//! relay, and 已报名 is shown only when the relay's roster gives a seat.

use leptos::prelude::*;
use linli_shared::domain::event::{
    DESCRIPTION_MAX, Event, EventCommand, EventDraft, EventError, Per, Place, Roster, TITLE_MAX,
    Template, VolunteerRole, checkin_code, ics,
};
use linli_shared::domain::{InputError, Summary};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::{Photo, PhotoPicker};

impl Lang {
    pub fn event_template(self, t: Template) -> &'static str {
        match t {
            Template::Festival => self.t("睦邻文化节", "Neighbourhood festival"),
            Template::Potluck => self.t("百家宴", "Potluck"),
            Template::Garden => self.t("阳台花园竞赛", "Balcony garden contest"),
            Template::Zongzi => self.t("粽香传情", "Zongzi for elders"),
            Template::Other => self.t("其他", "Other"),
        }
    }

    pub fn event_error(self, e: &EventError) -> String {
        match (self, e) {
            (Lang::Zh, EventError::EndsBeforeStarts) => "结束时间要晚于开始时间".into(),
            (Lang::En, EventError::EndsBeforeStarts) => "The end must be after the start".into(),
            (Lang::Zh, EventError::ClosesBeforeOpens) => "报名截止要晚于报名开始".into(),
            (Lang::En, EventError::ClosesBeforeOpens) => "Sign-up must close after it opens".into(),
            (Lang::Zh, EventError::BadCapacity) => "名额是 1 到 2000 之间的整数".into(),
            (Lang::En, EventError::BadCapacity) => "Seats are a whole number, 1 to 2000".into(),
            (Lang::Zh, EventError::BadRole) => "志愿岗位要有名称，人数 1 到 50".into(),
            (Lang::En, EventError::BadRole) => {
                "A volunteer role needs a name and 1 to 50 people".into()
            }
            (Lang::Zh, EventError::TooManyRoles) => "志愿岗位最多 10 个".into(),
            (Lang::En, EventError::TooManyRoles) => "At most 10 volunteer roles".into(),
            (Lang::Zh, EventError::CapacityBelowSeats { seats }) => {
                format!("已有 {seats} 人报名成功，名额不能少于 {seats}")
            }
            (Lang::En, EventError::CapacityBelowSeats { seats }) => {
                format!("{seats} people have seats: there cannot be fewer than {seats}")
            }
            (Lang::Zh, EventError::AlreadySignedUp) => "已经报过名了".into(),
            (Lang::En, EventError::AlreadySignedUp) => "Already signed up".into(),
            (Lang::Zh, EventError::NotOpen) => "现在不在报名时间内".into(),
            (Lang::En, EventError::NotOpen) => "Sign-up is not open now".into(),
            (Lang::Zh, EventError::NoSignUp) => "没有这条报名".into(),
            (Lang::En, EventError::NoSignUp) => "No such sign-up".into(),
            (Lang::Zh, EventError::UnknownCode) => "没有找到这个签到码的报名".into(),
            (Lang::En, EventError::UnknownCode) => "No sign-up has this check-in code".into(),
            (Lang::Zh, EventError::AlreadyIn) => "已经签到了".into(),
            (Lang::En, EventError::AlreadyIn) => "Already checked in".into(),
            (Lang::Zh, EventError::NotIn) => "还没有签到".into(),
            (Lang::En, EventError::NotIn) => "Not checked in".into(),
        }
    }

    fn place_word(self, p: Option<Place>) -> String {
        match p {
            Some(Place::Seated) => self.t("已报名", "You're in").into(),
            Some(Place::Waiting(n)) => match self {
                Lang::Zh => format!("候补第 {n} 位"),
                Lang::En => format!("Waitlist, number {n}"),
            },
            Some(Place::Pending) => self
                .t("待确认：联网后确认", "Pending: confirmed when back online")
                .into(),
            None => self.t("未报名", "Not signed up").into(),
        }
    }
}

/// The rule, as the help text says it.
fn rule(l: Lang) -> &'static str {
    l.t(
        "名额按报名到达服务器的先后顺序分配，不看手机上的时间：前面的人报名成功，其余的按顺序候补；有人取消时，第一位候补自动转为报名成功。离线时报名显示“待确认”，联网后确认。显示“已报名”后，名额不会被收回。",
        "Seats go in the order sign-ups reach the server, not by the phones' clocks: the first ones get seats, the rest wait in that order; when someone cancels, the first on the waitlist gets the seat. A sign-up made offline shows as pending until back online. Once you are shown \"You're in\", the seat is yours.",
    )
}

/// Every event this phone holds, soonest first.
pub fn events(app: &App) -> Vec<(DocumentId, Event)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Event(e) => Some((*id, e.clone())),
        _ => None,
    });
    // Soonest first, then by id: the order firstpaint.js paints too.
    v.sort_by_key(|a| (a.1.starts_at, a.0.to_string()));
    v
}

/// The roster of an event (the relay's acceptance order), if this phone holds it.
pub fn roster(app: &App, id: &DocumentId) -> Option<Roster> {
    let key = id.to_string();
    app.each_summary(|_, s| match s {
        Summary::Roster(r) if r.event == key => Some(r.clone()),
        _ => None,
    })
    .into_iter()
    .next()
}

fn me(app: &App) -> (String, String, Option<Role>) {
    app.session.with(|s| {
        s.as_ref()
            .map(|s| {
                (
                    s.person.clone(),
                    s.household.clone().unwrap_or_default(),
                    Some(s.role),
                )
            })
            .unwrap_or_default()
    })
}

fn is_staff(app: &App) -> bool {
    me(app).2 == Some(Role::Staff)
}

/// "12-20 14:00–17:00 · 中心花园"
fn when_where(l: Lang, e: &Event) -> String {
    let end = linli_shared::time::LocalDateTime::shanghai(e.ends_at);
    let _ = l;
    format!(
        "{}–{:02}:{:02} · {}",
        linli_shared::time::LocalDateTime::shanghai(e.starts_at).format_short(),
        end.hour,
        end.minute,
        e.place
    )
}

/// Remembers that this phone showed a sign-up waiting, so that its promotion is told once.
fn note_waiting(signup: &str, place: Option<Place>) -> bool {
    let key = format!("linli.ev.wait.{signup}");
    match place {
        Some(Place::Waiting(_)) => {
            platform::ls_set(&key, "1");
            false
        }
        Some(Place::Seated) => platform::ls_get(&key).is_some(),
        _ => false,
    }
}

/// On a resident's home screen: the next events, soonest first (as `firstpaint.js` paints it).
#[component]
pub fn UpcomingCard() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let shown = Memo::new(move |_| {
        let now = app.now();
        let role = me(&app).2;
        if !matches!(role, Some(Role::Resident | Role::Volunteer)) {
            return Vec::new();
        }
        events(&app)
            .into_iter()
            .filter(|(_, e)| e.starts_at > now)
            .take(3)
            .collect::<Vec<_>>()
    });
    let aloud = Signal::derive(move || {
        let l = lang.get();
        shown
            .get()
            .iter()
            .map(|(_, e)| format!("{}，{}", e.title, when_where(l, e)))
            .collect::<Vec<_>>()
            .join("。")
    });
    move || {
        let v = shown.get();
        (!v.is_empty()).then(|| {
            view! {
                <section class="card my-events" aria-labelledby="my-events-h" data-testid="my-events">
                    <h2 id="my-events-h">{move || lang.get().t("近期活动", "Coming events")}</h2>
                    <ul class="rows">
                        {v.into_iter().map(|(id, e)| {
                            let l = lang.get();
                            view! {
                                <li>
                                    <a href=Route::Event(id).hash() class="row-link" data-testid="my-event-link">
                                        <strong>{e.title.clone()}</strong>
                                        <span>{when_where(l, &e)}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <Show when=move || app.elder.get()>
                        <crate::widgets::read_aloud::ReadAloud text=aloud/>
                    </Show>
                </section>
            }
        })
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let all = Memo::new(move |_| events(&app));
    let past = RwSignal::new(false);
    let shown = move || {
        let now = app.now();
        let mut v: Vec<(DocumentId, Event)> = all
            .get()
            .into_iter()
            .filter(|(_, e)| (e.ends_at < now) == past.get())
            .collect();
        if past.get() {
            v.reverse();
        }
        v
    };
    view! {
        <main class="page events">
            <h2>{move || lang.get().t("睦邻活动", "Events")}</h2>
            <Show when=move || is_staff(&app)>
                <a class="button primary big" href=Route::NewEvent(None).hash() data-testid="new-event">
                    {move || lang.get().t("发布活动", "New event")}
                </a>
            </Show>
            <div class="filters" role="group" aria-label=move || lang.get().t("活动时间", "When")>
                <button type="button" aria-pressed=move || (!past.get()).to_string() on:click=move |_| past.set(false)>
                    {move || lang.get().t("即将举行", "Upcoming")}
                </button>
                <button type="button" aria-pressed=move || past.get().to_string() data-testid="past-events" on:click=move |_| past.set(true)>
                    {move || lang.get().t("往期活动", "Past")}
                </button>
            </div>
            <ul class="cards">
                {move || shown().into_iter().map(|(id, e)| {
                    let l = lang.get();
                    let r = roster(&app, &id);
                    let meta = format!("{} · {}", l.event_template(e.template), when_where(l, &e));
                    let seats = match l {
                        Lang::Zh => format!("余 {} 个名额", e.seats_left(r.as_ref())),
                        Lang::En => format!("{} seats left", e.seats_left(r.as_ref())),
                    };
                    view! {
                        <li class="card">
                            <a href=Route::Event(id).hash() data-testid="event-card">
                                <strong>{e.title.clone()}</strong>
                                <span class="meta">{meta}</span>
                                <span class="meta">{seats}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || shown().is_empty()>
                <p class="empty">{move || lang.get().t("这里还没有活动。", "No events here yet.")}</p>
            </Show>
        </main>
    }
}

/// Sends a command and reports, keeping the page as it is on a problem.
fn send(app: App, id: DocumentId, c: EventCommand, problem: RwSignal<String>) {
    let lang = app.lang;
    match app.send(id, c) {
        Ok(saving) => {
            problem.set(String::new());
            leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => app.notice.set(Some(Notice::Saved)),
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            });
        }
        Err(linli_shared::domain::ModelError::Input(e)) => {
            problem.set(lang.get_untracked().input_error(&e))
        }
        Err(e) => problem.set(e.to_string()),
    }
}

#[component]
pub fn EventPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let event = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Event(e) => Some(e.clone()),
            _ => None,
        })
        .flatten()
    });
    let problem = RwSignal::new(String::new());
    // Whom to sign up: oneself, or (a volunteer) an elder who consents.
    let whom = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    // What the sign-up form offers, as memos: the form is made once and stays while sign-up is
    // open, and its selects keep what was chosen when a document arrives (the page's details
    // are redrawn at every change, since the roster is read from the whole store).
    let here = Memo::new(move |_| event.with(Option::is_some));
    let choices = Memo::new(move |_| {
        let l = lang.get();
        let (person, household, my_role) = me(&app);
        let elders = if my_role == Some(Role::Volunteer) {
            data::elders(&app)
        } else {
            Vec::new()
        };
        event.with(|e| {
            let Some(e) = e else { return Vec::new() };
            std::iter::once((person, household, l.t("我自己", "Myself").to_string()))
                .chain(elders.into_iter().map(|(_, p)| (p.id, p.household, p.name)))
                .filter(|(p, h, _)| e.live_signup(p, h).is_none())
                .collect::<Vec<(String, String, String)>>()
        })
    });
    let roles = Memo::new(move |_| {
        event.with(|e| {
            e.as_ref()
                .map(|e| e.roles.iter().map(|vr| vr.role.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let may_sign = Memo::new(move |_| {
        // Sign-up opens and closes with time: checked again whenever a document changes, as
        // the page's details are.
        app.version.track();
        let now = app.now();
        let open = event.with(|e| {
            e.as_ref()
                .is_some_and(|e| now >= e.opens_at && now <= e.closes_at && e.ends_at > now)
        });
        open && me(&app).2.is_some() && choices.with(|c| !c.is_empty())
    });
    // What the selects show is what Sign up uses: the choice, or the first one when the choice
    // is no longer offered (that elder was just signed up).
    let chosen = Memo::new(move |_| {
        let pick = whom.get();
        choices.with(|c| {
            c.iter()
                .find(|(p, _, _)| *p == pick)
                .or_else(|| c.first())
                .map(|(p, _, _)| p.clone())
                .unwrap_or_default()
        })
    });
    let chosen_role = Memo::new(move |_| {
        let r = role.get();
        if roles.with(|v| v.contains(&r)) {
            r
        } else {
            String::new()
        }
    });
    let sign_up = move |_| {
        let pick = chosen.get_untracked();
        let Some((p, h, _)) =
            choices.with_untracked(|c| c.iter().find(|(p, _, _)| *p == pick).cloned())
        else {
            return;
        };
        let (me_id, _, _) = me(&app);
        let name = if p == me_id {
            data::me(&app).map(|m| m.name).unwrap_or_default()
        } else {
            data::elders(&app)
                .into_iter()
                .find(|(_, x)| x.id == p)
                .map(|(_, x)| x.name)
                .unwrap_or_default()
        };
        send(
            app,
            id,
            EventCommand::SignUp {
                person: p,
                household: h,
                name,
                by: me_id,
                role: chosen_role.get_untracked(),
            },
            problem,
        );
    };
    // The details down to one's own sign-ups, redrawn at every change.
    let details = move || {
        event.get().map(|e| {
            let l = lang.get();
            let now = app.now();
            let r = roster(&app, &id);
            let (person, household, my_role) = me(&app);
            let elders = if my_role == Some(Role::Volunteer) { data::elders(&app) } else { Vec::new() };
            let st = e.standing(r.as_ref(), "");
            // Each: the sign-up, whose, its place, its role, and whether this phone may cancel it
            // (the person's own, or one this person wrote).
            let mine: Vec<(String, String, Option<Place>, String, bool)> = std::iter::once((person.clone(), household.clone(), l.t("我", "Me").to_string()))
                .chain(elders.iter().map(|(_, p)| (p.id.clone(), p.household.clone(), p.name.clone())))
                .filter_map(|(p, h, name)| {
                    let s = e.live_signup(&p, &h).filter(|s| s.person == p || e.per == Per::Household)?;
                    let place = e.place(r.as_ref(), &s.id);
                    let may_cancel = s.person == p || s.by == person;
                    Some((s.id.clone(), name, place, s.role.clone(), may_cancel))
                })
                .collect();
            let promoted = mine.iter().any(|(sid, _, place, _, _)| note_waiting(sid, *place));
            let waiting = st.waitlist.len();
            let seats_line = match l {
                Lang::Zh => format!("共 {} 个名额，余 {} 个 · 候补 {} 人", e.capacity, e.seats_left(r.as_ref()), waiting),
                Lang::En => format!("{} seats, {} left · {} waiting", e.capacity, e.seats_left(r.as_ref()), waiting),
            };
            let per = match e.per { Per::Person => l.t("按人报名", "People sign up"), Per::Household => l.t("按户报名（一户一个名额）", "Households sign up (one seat each)") };
            view! {
                <h2 data-testid="event-title">{e.title.clone()}</h2>
                <Show when=move || promoted>
                    <p class="banner" role="status" data-testid="promoted">
                        {move || lang.get().t("你已从候补转为报名成功", "You're off the waitlist")}
                    </p>
                </Show>
                <dl class="facts">
                    <dt>{l.t("类型", "Kind")}</dt><dd>{l.event_template(e.template)}</dd>
                    <dt>{l.t("时间地点", "When and where")}</dt><dd>{when_where(l, &e)}</dd>
                    <dt>{l.t("报名时间", "Sign-up")}</dt><dd>{format!("{} – {}", l.time(e.opens_at), l.time(e.closes_at))}</dd>
                    <dt>{l.t("名额", "Seats")}</dt><dd data-testid="event-seats">{seats_line}</dd>
                    <dt>{l.t("报名方式", "Who signs up")}</dt><dd>{per}</dd>
                </dl>
                <p class="description">{e.description.clone()}</p>
                {(!e.photos.is_empty()).then(|| view! {
                    <div class="photos">{e.photos.iter().cloned().map(|h| view! { <Photo hash=h doc=id/> }).collect_view()}</div>
                })}
                {(!e.roles.is_empty()).then(|| view! {
                    <section aria-labelledby="ev-roles">
                        <h3 id="ev-roles">{l.t("志愿岗位", "Volunteer roles")}</h3>
                        <ul class="rows">
                            {e.roles.iter().map(|vr| {
                                let taken = e.standing(r.as_ref(), &vr.role).seated.len();
                                view! { <li>{format!("{} {taken}/{}", vr.role, vr.count)}</li> }
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <section aria-labelledby="ev-mine">
                    <h3 id="ev-mine">{l.t("我的报名", "My sign-up")}</h3>
                    {mine.is_empty().then(|| view! { <p data-testid="my-place">{l.place_word(None)}</p> })}
                    <ul class="rows">
                        {mine.into_iter().map(|(sid, name, place, srole, may_cancel)| {
                            let code = checkin_code(&id.to_string(), &sid);
                            let cancel_id = sid.clone();
                            let label = match l { Lang::Zh => format!("签到码 {code}"), Lang::En => format!("Check-in code {code}") };
                            view! {
                                <li data-testid="my-signup">
                                    <strong>{name}{(!srole.is_empty()).then(|| format!(" · {srole}"))}</strong>
                                    <span class=format!("status place-{}", match place { Some(Place::Seated) => "seated", Some(Place::Waiting(_)) => "waiting", _ => "pending" }) data-testid="my-place">{l.place_word(place)}</span>
                                    {matches!(place, Some(Place::Seated)).then(|| view! {
                                        <crate::widgets::qr::Qr text=code.clone() label=label.clone()/>
                                        <span data-testid="checkin-code">{label}</span>
                                    })}
                                    {(may_cancel && e.ends_at > now).then(|| view! {
                                        <button type="button" data-testid="cancel-signup" on:click=move |_| send(app, id, EventCommand::Cancel { signup: cancel_id.clone() }, problem)>
                                            {move || lang.get().t("取消报名", "Cancel my sign-up")}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    };
    // What follows the form: the rule, the calendar, the organiser's and staff's links.
    let links = move || {
        event.get().map(|e| {
            let l = lang.get();
            let (person, _, my_role) = me(&app);
            let staff = my_role == Some(Role::Staff);
            let organiser = staff || e.organisers.contains(&person);
            let calendar = move |_| {
                let text = ics::ics(&id.to_string(), &e, app.now());
                crate::pages::grants::download(&format!("{}.ics", e.title), "text/calendar", &text);
            };
            view! {
                <p class="hint" data-testid="event-rule">{rule(l)}</p>
                <button type="button" data-testid="add-calendar" on:click=calendar>
                    {move || lang.get().t("加入手机日历", "Add to calendar")}
                </button>
                {organiser.then(|| view! {
                    <a class="button" href=Route::EventDoor(id).hash() data-testid="to-door">{l.t("签到", "Check-in at the door")}</a>
                })}
                {staff.then(|| view! {
                    <a class="button" href=Route::EditEvent(id).hash() data-testid="edit-event">{l.t("修改活动", "Edit the event")}</a>
                    <a class="button" href=Route::NewEvent(Some(id)).hash() data-testid="repeat-event">{l.t("下月再办一次", "Repeat next month")}</a>
                })}
            }
        })
    };
    view! {
        <Show
            when=move || here.get()
            fallback=move || view! { <NotSynced/> }
        >
            <main class="page event">
                {details}
                <Show when=move || may_sign.get()>
                    <form class="event-signup" novalidate on:submit=move |ev| { ev.prevent_default(); }>
                        <Show when=move || choices.with(|c| c.len() > 1)>
                            <label for="ev-whom">{move || lang.get().t("为谁报名", "Sign up whom")}</label>
                            <select id="ev-whom" prop:value=move || chosen.get() on:change=move |ev| whom.set(event_target_value(&ev))>
                                {move || choices.get().into_iter().map(|(p, _, n)| {
                                    let sel = p == chosen.get_untracked();
                                    view! { <option value=p selected=sel>{n}</option> }
                                }).collect_view()}
                            </select>
                        </Show>
                        <Show when=move || roles.with(|r| !r.is_empty())>
                            <label for="ev-role">{move || lang.get().t("报名身份", "Sign up as")}</label>
                            <select id="ev-role" prop:value=move || chosen_role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                                <option value="">{move || lang.get().t("参加活动", "A participant")}</option>
                                {move || roles.get().into_iter().map(|vr| {
                                    let sel = vr == chosen_role.get_untracked();
                                    let shown = vr.clone();
                                    view! { <option value=vr selected=sel>{move || format!("{} {}", lang.get().t("志愿者：", "Volunteer: "), shown)}</option> }
                                }).collect_view()}
                            </select>
                        </Show>
                        <button type="button" class="primary big" data-testid="sign-up" on:click=sign_up>
                            {move || lang.get().t("报名", "Sign up")}
                        </button>
                    </form>
                </Show>
                <p class="field-error" role="alert" data-testid="event-error">{move || problem.get()}</p>
                {links}
            </main>
        </Show>
    }
}

/// The organiser's page at the door: the seated list with ticks, a code to type (or read from
/// the QR code by the phone's own scanner), check-out, and who is present or absent.
#[component]
pub fn DoorPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let event = Memo::new(move |_| {
        app.summary(&id, |s| match s {
            Summary::Event(e) => Some(e.clone()),
            _ => None,
        })
        .flatten()
    });
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let check_in = move |person: String| {
        let (me_id, _, _) = me(&app);
        send(
            app,
            id,
            EventCommand::CheckIn { person, by: me_id },
            problem,
        );
    };
    let by_code = move || {
        let Some(e) = event.get_untracked() else {
            return;
        };
        match e.by_code(&id.to_string(), &code.get_untracked()) {
            Some(s) => {
                check_in(s.person.clone());
                code.set(String::new());
            }
            None => problem.set(lang.get_untracked().event_error(&EventError::UnknownCode)),
        }
    };
    // A photo of the QR code (the phone's camera): read on the phone, offline.
    let scan = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            match platform::image::read_qr(&file).await {
                Ok(Some(text)) => {
                    code.set(text);
                    by_code();
                }
                _ => problem.set(
                    lang.get_untracked()
                        .t(
                            "没有读到二维码，请再拍一次或输入签到码",
                            "No QR code was read: take it again or type the code",
                        )
                        .to_string(),
                ),
            }
        });
    };
    let here = Memo::new(move |_| event.with(Option::is_some));
    // The roster is read from the whole store: a memo, so that what is shown is redrawn when
    // it or the event changes (a check-in), not at every document.
    let roster = Memo::new(move |_| roster(&app, &id));
    // Who is seated.
    let seated = move |e: &Event| -> Vec<(String, String, String)> {
        roster.with(|r| {
            e.pools()
                .iter()
                .flat_map(|p| e.standing(r.as_ref(), p).seated)
                .filter_map(|sid| {
                    e.signup(&sid)
                        .map(|s| (s.person.clone(), s.name.clone(), s.role.clone()))
                })
                .collect()
        })
    };
    let head = move || {
        event.get().map(|e| {
            let l = lang.get();
            let seated = seated(&e);
            let present = seated
                .iter()
                .filter(|(p, _, _)| e.presence(p).is_some())
                .count();
            let absent = seated.len() - present;
            let counts = match l {
                Lang::Zh => format!("已到 {present} 人 · 未到 {absent} 人"),
                Lang::En => format!("{present} present · {absent} absent"),
            };
            view! {
                <h2>{format!("{} · {}", l.t("签到", "Check-in"), e.title)}</h2>
                <p data-testid="door-counts" role="status">{counts}</p>
            }
        })
    };
    let rows = move || {
        event.get().map(|e| {
            let l = lang.get();
            view! {
                <ul class="rows">
                    {seated(&e).into_iter().map(|(person, name, srole)| {
                        let presence = e.presence(&person);
                        let (p1, p2) = (person.clone(), person.clone());
                        let shown = if name.is_empty() { l.t("（未署名）", "(no name)").to_string() } else { name };
                        let label = match l { Lang::Zh => format!("{shown} 已到"), Lang::En => format!("{shown} is here") };
                        view! {
                            <li data-testid="door-row">
                                <label>
                                    <input type="checkbox" data-testid="door-tick" aria-label=label prop:checked=presence.is_some()
                                        disabled=presence.is_some()
                                        on:change=move |_| check_in(p1.clone())/>
                                    <span>{shown.clone()}{(!srole.is_empty()).then(|| format!(" · {srole}"))}</span>
                                </label>
                                {match presence {
                                    Some((i, None)) => view! {
                                        <span class="meta">{format!("{} {}", l.t("签到", "in"), l.time(i))}</span>
                                        <button type="button" data-testid="door-out" on:click=move |_| send(app, id, EventCommand::CheckOut { person: p2.clone() }, problem)>
                                            {l.t("签退", "Check out")}
                                        </button>
                                    }.into_any(),
                                    Some((i, Some(o))) => view! {
                                        <span class="meta">{format!("{}–{} · {:.1} {}", l.time(i), l.time(o), e.hours(&person), l.t("小时", "h"))}</span>
                                    }.into_any(),
                                    None => view! { <span></span> }.into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    };
    // The code field and the scanner are made once, beside what is redrawn: a check-in arriving
    // (every few seconds at a busy door) no longer takes the focus and the keyboard from the
    // organiser typing the next code.
    view! {
        <Show
            when=move || here.get()
            fallback=move || view! { <NotSynced/> }
        >
            <main class="page door">
                {head}
                <form class="door-code" novalidate on:submit=move |ev| { ev.prevent_default(); by_code(); }>
                    <label for="door-code">{move || lang.get().t("签到码（扫码或输入）", "Check-in code (scanned or typed)")}</label>
                    <input id="door-code" autocomplete="off" autocapitalize="characters" prop:value=move || code.get()
                        aria-describedby="door-err" on:input=move |ev| code.set(event_target_value(&ev))/>
                    <button type="submit" class="primary" data-testid="door-code-submit">{move || lang.get().t("签到", "Check in")}</button>
                </form>
                <div class="field">
                    <label for="door-scan">{move || lang.get().t("拍照扫描签到二维码", "Scan a check-in QR code with the camera")}</label>
                    <input id="door-scan" type="file" accept="image/*" capture="environment" data-testid="door-scan"
                        aria-describedby="door-err" on:change=scan/>
                </div>
                <p id="door-err" class="field-error" role="alert">{move || problem.get()}</p>
                {rows}
            </main>
        </Show>
    }
}

/// Staff's form: a new event (or the next month's of `repeat`), or, with `existing`, an edit.
#[component]
pub fn EventForm(existing: Option<DocumentId>, repeat: Option<DocumentId>) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let read = |id: Option<DocumentId>| {
        id.and_then(|id| {
            app.summary(&id, |s| match s {
                Summary::Event(e) => Some(e.clone()),
                _ => None,
            })
            .flatten()
        })
    };
    let start = match (
        read(existing),
        repeat.and_then(|r| read(Some(r)).map(|e| (r, e))),
    ) {
        (Some(e), _) => EventDraft::of(&e),
        (None, Some((r, e))) => EventDraft::next_month(&r, &e),
        _ => EventDraft {
            capacity: "30".into(),
            ..EventDraft::default()
        },
    };
    let d = RwSignal::new(start);
    let roles_text = RwSignal::new(
        d.get_untracked()
            .roles
            .iter()
            .map(|r| format!("{} {}", r.role, r.count))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let organisers_text = RwSignal::new(d.get_untracked().organisers.join(" "));
    let problems = RwSignal::new(Vec::<InputError>::new());
    let photos = RwSignal::new(Vec::<String>::new());
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let mut draft = d.get_untracked();
        if existing.is_none() {
            draft.photos = photos.get_untracked();
        }
        let shots = draft.photos.clone();
        draft.roles = roles_text
            .get_untracked()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (role, count) = l.trim().rsplit_once(' ').unwrap_or((l.trim(), "0"));
                VolunteerRole {
                    role: role.trim().to_string(),
                    count: count.trim().parse().unwrap_or(0),
                }
            })
            .collect();
        draft.organisers = organisers_text
            .get_untracked()
            .split([' ', ',', '，'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            platform::focus_first_invalid();
            return;
        }
        let (id, command) = match existing {
            Some(id) => (
                id,
                EventCommand::Revise {
                    draft: Box::new(draft),
                },
            ),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                EventCommand::Create {
                    draft: Box::new(draft),
                    by: session.person.clone(),
                    by_name: data::me(&app).map(|m| m.name).unwrap_or_default(),
                },
            ),
        };
        match app.send(id, command) {
            Ok(saving) => leptos::task::spawn_local(async move {
                match saving.done().await {
                    Ok(()) => {
                        if existing.is_none() && !shots.is_empty() {
                            app.attach_photos(id, shots);
                        }
                        app.notice.set(Some(Notice::Saved));
                        app.go(Route::Event(id));
                    }
                    Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
                }
            }),
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let problem = move || problems.with(|p| lang.get().input_errors(p));
    let invalid =
        move |f: fn(&InputError) -> bool| move || problems.with(|p| p.iter().any(f)).to_string();
    let text = move |id: &'static str,
                     label: (&'static str, &'static str),
                     get: fn(&EventDraft) -> String,
                     set: fn(&mut EventDraft, String),
                     kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || lang.get().t(label.0, label.1)}</label>
                <input id=id type=kind prop:value=move || d.with(get) aria-describedby="ef-err"
                    on:input=move |ev| d.update(|x| set(x, event_target_value(&ev)))/>
            </div>
        }
    };
    view! {
        <main class="page event-form">
            <h2>{move || if existing.is_some() { lang.get().t("修改活动", "Edit the event") } else { lang.get().t("发布活动", "New event") }}</h2>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="ef-template">{move || lang.get().t("活动类型", "Kind of event")}</label>
                    <select id="ef-template" aria-invalid=invalid(|e| matches!(e, InputError::CategoryMissing)) aria-describedby="ef-err"
                        on:change=move |ev| {
                            let t = Template::parse(&event_target_value(&ev));
                            d.update(|x| {
                                x.template = t;
                                if x.title.trim().is_empty() && let Some(t) = t && t != Template::Other {
                                    x.title = Lang::Zh.event_template(t).to_string();
                                }
                            });
                        }>
                        <option value="">{move || lang.get().t("选择类型", "Choose a kind")}</option>
                        {Template::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str() selected=move || d.with_untracked(|x| x.template == Some(t))>{move || lang.get().event_template(t)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="ef-title">{move || lang.get().t("活动名称（全社区可见）", "Title (the whole community sees it)")}</label>
                    <input id="ef-title" maxlength=TITLE_MAX.to_string() prop:value=move || d.with(|x| x.title.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::TitleEmpty | InputError::TitleTooLong { .. } | InputError::PersonalData { .. }))
                        aria-describedby="ef-err"
                        on:input=move |ev| d.update(|x| x.title = event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="ef-desc">{move || lang.get().t("活动介绍（全社区可见）", "Description (the whole community sees it)")}</label>
                    <textarea id="ef-desc" rows="3" maxlength=DESCRIPTION_MAX.to_string() prop:value=move || d.with(|x| x.description.clone())
                        on:input=move |ev| d.update(|x| x.description = event_target_value(&ev))></textarea>
                </div>
                {text("ef-place", ("地点", "Place"), |x| x.place.clone(), |x, v| x.place = v, "text")}
                {text("ef-starts", ("开始时间", "Starts"), |x| x.starts.clone(), |x, v| x.starts = v, "datetime-local")}
                {text("ef-ends", ("结束时间", "Ends"), |x| x.ends.clone(), |x, v| x.ends = v, "datetime-local")}
                {text("ef-opens", ("报名开始", "Sign-up opens"), |x| x.opens.clone(), |x, v| x.opens = v, "datetime-local")}
                {text("ef-closes", ("报名截止", "Sign-up closes"), |x| x.closes.clone(), |x, v| x.closes = v, "datetime-local")}
                <div class="field">
                    <label for="ef-capacity">{move || lang.get().t("名额", "Seats")}</label>
                    <input id="ef-capacity" inputmode="numeric" prop:value=move || d.with(|x| x.capacity.clone())
                        aria-invalid=invalid(|e| matches!(e, InputError::Event(EventError::BadCapacity | EventError::CapacityBelowSeats { .. })))
                        aria-describedby="ef-err"
                        on:input=move |ev| d.update(|x| x.capacity = event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="ef-per">{move || lang.get().t("报名方式", "Who signs up")}</label>
                    <select id="ef-per" on:change=move |ev| d.update(|x| x.per = Per::parse(&event_target_value(&ev)).unwrap_or_default())>
                        <option value="person" selected=move || d.with_untracked(|x| x.per == Per::Person)>{move || lang.get().t("按人", "People")}</option>
                        <option value="household" selected=move || d.with_untracked(|x| x.per == Per::Household)>{move || lang.get().t("按户", "Households")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="ef-roles">{move || lang.get().t("志愿岗位（每行一个：岗位 人数）", "Volunteer roles (one a line: role count)")}</label>
                    <textarea id="ef-roles" rows="3" prop:value=move || roles_text.get()
                        aria-invalid=invalid(|e| matches!(e, InputError::Event(EventError::BadRole | EventError::TooManyRoles)))
                        on:input=move |ev| roles_text.set(event_target_value(&ev))></textarea>
                </div>
                <div class="field">
                    <label for="ef-organisers">{move || lang.get().t("签到负责人（成员编号，空格分隔）", "Who checks people in (person ids, space-separated)")}</label>
                    <input id="ef-organisers" prop:value=move || organisers_text.get()
                        on:input=move |ev| organisers_text.set(event_target_value(&ev))/>
                </div>
                {existing.is_none().then(|| view! { <PhotoPicker photos id="ef-photos"/> })}
                <p id="ef-err" class="field-error" role="alert">{problem}</p>
                <p class="hint">{move || rule(lang.get())}</p>
                <button type="submit" class="primary big" data-testid="save-event">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </main>
    }
}

/// What an event's pages show before the event has reached this phone.
#[component]
fn NotSynced() -> impl IntoView {
    let lang = expect_context::<App>().lang;
    view! { <main class="page"><p class="empty">{move || lang.get().t("这个活动还没有同步到本机。", "This event has not synced to this phone yet.")}</p></main> }
}
