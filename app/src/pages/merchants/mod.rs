//! Merchant credit 商户信用积分: the ranking of the shops this phone holds (staff all, a grid's
//! team and grid workers their grids'), with each shop's score, its trend over the last 90
//! days and its last inspection; a shop's page with its frontage duties 门前三包, its history
//! (points, reason, photo, who, when, the merchant's response), a form to record an
//! inspection and, for the merchant themself, a response form per entry; staff open and edit
//! shops; and the merchant's card on their home screen. Everything is written on the phone
//! first and reaches the relay when it can.

use leptos::prelude::*;
use linli_shared::domain::InputError;
use linli_shared::domain::merchant::{
    BASE_SCORE, DEFAULT_DUTIES, Entry, EntryDraft, Merchant, MerchantCommand, MerchantSummary,
    POINTS_MAX, REASON_MAX, RESPONSE_MAX, ShopDraft,
};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::time::DAY;

use crate::data;
use crate::i18n::Lang;
use crate::platform;
use crate::state::{App, Notice, Route};
use crate::widgets::photos::{Photo, PhotoPicker};

/// The trend a list shows: the points of the last 90 days.
const TREND_DAYS: i64 = 90;

/// Every shop's record this phone holds, best score first.
pub fn merchants(app: &App) -> Vec<(DocumentId, MerchantSummary)> {
    let mut v = app.each_summary(|id, s| match s {
        linli_shared::domain::Summary::Merchant(m) => Some((*id, m.clone())),
        _ => None,
    });
    v.sort_by(|a, b| {
        b.1.score
            .cmp(&a.1.score)
            .then_with(|| a.1.merchant.name.cmp(&b.1.merchant.name))
    });
    v
}

fn me(app: &App) -> String {
    app.session
        .with(|s| s.as_ref().map(|s| s.person.clone()))
        .unwrap_or_default()
}

/// The shops whose merchant this person is.
pub fn my_shops(app: &App) -> Vec<(DocumentId, MerchantSummary)> {
    let me = me(app);
    merchants(app)
        .into_iter()
        .filter(|(_, m)| m.merchant.subject.as_deref() == Some(me.as_str()))
        .collect()
}

/// Whether this person inspects the shops of `grid`: staff, its grid workers, its team.
fn inspects(app: &App, grid: &str) -> bool {
    let (role, grids) = app
        .session
        .with(|s| s.as_ref().map(|s| (s.role, s.grids.clone())))
        .unwrap_or((Role::Resident, Vec::new()));
    role == Role::Staff
        || (role == Role::GridWorker && grids.iter().any(|g| g == grid))
        || data::my_team_grids(app).iter().any(|g| g == grid)
}

fn is_staff(app: &App) -> bool {
    app.session
        .with(|s| s.as_ref().is_some_and(|s| s.role == Role::Staff))
}

impl Lang {
    /// "+3 分" / "−5 分" / "+3 pts" / "−5 pts" (a true minus sign, read aloud as minus).
    pub fn points(self, p: i64) -> String {
        let sign = if p < 0 { "−" } else { "+" };
        match self {
            Lang::Zh => format!("{sign}{} 分", p.abs()),
            Lang::En => format!("{sign}{} pts", p.abs()),
        }
    }

    /// The trend in words and an arrow, never by colour alone.
    pub fn trend(self, t: i64) -> String {
        match (self, t.signum()) {
            (Lang::Zh, 1) => format!("↑ 近90天 +{t}"),
            (Lang::Zh, -1) => format!("↓ 近90天 −{}", t.abs()),
            (Lang::Zh, _) => "→ 近90天持平".into(),
            (Lang::En, 1) => format!("↑ +{t} in 90 days"),
            (Lang::En, -1) => format!("↓ −{} in 90 days", t.abs()),
            (Lang::En, _) => "→ level over 90 days".into(),
        }
    }

    /// What is wrong with an inspection or a response, in words (the reason is not public
    /// text: the merchant and the grid's team read it).
    fn merchant_error(self, e: &InputError) -> String {
        match (self, e) {
            (Lang::Zh, InputError::PersonalData { what }) => format!(
                "商户和网格团队都看得到检查原因，里面好像有{}。请删掉。",
                self.pii(*what)
            ),
            (Lang::En, InputError::PersonalData { what }) => format!(
                "The merchant and the grid's team read the reason, and it seems to hold {}. Please remove it.",
                self.pii(*what)
            ),
            (Lang::Zh, InputError::TextEmpty) => "请写明原因".into(),
            (Lang::En, InputError::TextEmpty) => "Please give the reason".into(),
            (Lang::Zh, InputError::TitleEmpty) => "请填写店名".into(),
            (Lang::En, InputError::TitleEmpty) => "Please give the shop's name".into(),
            _ => self.input_error(e),
        }
    }
}

fn who(e: &Entry) -> String {
    if e.by_name.is_empty() {
        e.by.clone()
    } else {
        e.by_name.clone()
    }
}

/// The ranking: staff see every shop, a team member or grid worker their grids'.
#[component]
pub fn MerchantsPage() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = Memo::new(move |_| merchants(&app));
    view! {
        <main class="page merchants">
            <h2>{move || lang.get().t("商户信用", "Merchant credit")}</h2>
            <p class="hint">{move || match lang.get() {
                Lang::Zh => format!("门前三包：卫生整洁、秩序良好、绿化美化。每家商户基础分 {BASE_SCORE} 分，每次检查加分或扣分。"),
                Lang::En => format!("Frontage duties: clean, orderly, green. Every shop starts at {BASE_SCORE}; each inspection adds or removes points."),
            }}</p>
            <ol class="cards ranking" data-testid="ranking" aria-label=move || lang.get().t("信用分排行", "Ranking by score")>
                {move || {
                    let now = app.now();
                    rows.get().into_iter().enumerate().map(|(i, (id, s))| {
                        let l = lang.get();
                        let trend = l.trend(s.merchant.trend(now - TREND_DAYS * DAY));
                        let last = match s.last_at {
                            Some(at) => format!("{}{}", l.t("最近检查 ", "Last inspected "), l.time(at)),
                            None => l.t("尚未检查", "Not inspected yet").to_string(),
                        };
                        let score = match l {
                            Lang::Zh => format!("{} 分", s.score),
                            Lang::En => format!("{} pts", s.score),
                        };
                        view! {
                            <li class="card">
                                <a class="card-link" href=Route::Merchant(id).hash() data-testid="merchant-row">
                                    <div class="card-top">
                                        <strong class="card-title">{format!("{}. {}", i + 1, s.merchant.name)}</strong>
                                        <strong class="score" data-testid="merchant-score">{score}</strong>
                                    </div>
                                    <div class="card-meta">
                                        <span>{format!("{} · {}", s.merchant.place, l.grid_name(&s.merchant.grid))}</span>
                                        <span>{trend}</span>
                                    </div>
                                    <div class="card-meta"><span>{last}</span></div>
                                </a>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="empty">{move || lang.get().t("还没有同步到商户信息。", "No shop has synced to this phone yet.")}</p>
            </Show>
            <Show when=move || is_staff(&app)>
                <ShopForm doc=None initial=ShopDraft {
                    duties: DEFAULT_DUTIES.iter().map(|d| d.to_string()).collect(),
                    ..ShopDraft::default()
                }/>
            </Show>
        </main>
    }
}

/// The merchant's card on their home screen: their score, linking to their record.
#[component]
pub fn MyShop() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let shops = Memo::new(move |_| my_shops(&app));
    move || {
        let v = shops.get();
        (!v.is_empty()).then(|| {
            view! {
                <section class="card my-shop" aria-labelledby="my-shop-h" data-testid="my-shop">
                    <h2 id="my-shop-h">{move || lang.get().t("我的商户信用", "My shop's credit")}</h2>
                    <ul class="rows">
                        {v.into_iter().map(|(id, s)| {
                            let l = lang.get();
                            let open = s.open_responses;
                            view! {
                                <li>
                                    <a href=Route::Merchant(id).hash() class="row-link" data-testid="my-shop-link">
                                        <strong>{s.merchant.name.clone()}</strong>
                                        <span data-testid="my-shop-score">{match l {
                                            Lang::Zh => format!("信用分 {}", s.score),
                                            Lang::En => format!("Score {}", s.score),
                                        }}</span>
                                        {(open > 0).then(|| view! {
                                            <span class="meta">{match l {
                                                Lang::Zh => format!("{open} 条扣分待回复"),
                                                Lang::En => format!("{open} deduction(s) to answer"),
                                            }}</span>
                                        })}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// One shop: score, duties, history, and what this person may do with it.
#[component]
pub fn MerchantPage(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    app.ensure_loaded(id);
    let summary = Memo::new(move |_| {
        app.version.track();
        app.summary(&id, |s| match s {
            linli_shared::domain::Summary::Merchant(m) => Some(m.clone()),
            _ => None,
        })
        .flatten()
    });
    let mine = move || {
        summary.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.merchant.subject.as_deref() == Some(me(&app).as_str()))
        })
    };
    let may_inspect = move || {
        summary
            .with(|s| s.as_ref().map(|s| s.merchant.grid.clone()))
            .is_some_and(|g| inspects(&app, &g))
    };
    // Memos: `editable` reads the whole store, so a closure calling it runs again whenever any
    // document on the phone changes (a first sync still arriving); what depends on these is
    // made anew only when their value changes.
    let editable = Memo::new(move |_| app.editable(&id));
    let answer = Memo::new(move |_| mine() && editable.get());
    let staff_edits =
        Memo::new(move |_| is_staff(&app) && summary.with(Option::is_some) && editable.get());
    // The entries shown, newest first, by id: an entry arriving adds its own item and leaves
    // the others (and the answer the merchant is typing in one of them) as they are.
    let entry_ids = Memo::new(move |_| {
        summary.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.merchant
                        .entries
                        .iter()
                        .rev()
                        .take(100)
                        .map(|e| e.id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    // The staff's form starts from the shop as it is when the form is made, and then keeps
    // what staff type while inspections and answers arrive.
    let shop = move || {
        summary.with_untracked(|s| {
            s.as_ref()
                .map(|s| {
                    let m: &Merchant = &s.merchant;
                    ShopDraft {
                        grid: m.grid.clone(),
                        subject: m.subject.clone().unwrap_or_default(),
                        name: m.name.clone(),
                        place: m.place.clone(),
                        duties: m.duties.clone(),
                    }
                })
                .unwrap_or_default()
        })
    };
    view! {
        <main class="page merchant">
            {move || match summary.get() {
                None => view! {
                    <h2>{move || lang.get().t("商户信用", "Merchant credit")}</h2>
                    <p class="empty">{move || lang.get().t("这家商户的记录还没有同步到本机。", "This shop's record has not synced to this phone yet.")}</p>
                }.into_any(),
                Some(s) => {
                    let m = s.merchant.clone();
                    let l = lang.get();
                    let trend = l.trend(m.trend(app.now() - TREND_DAYS * DAY));
                    view! {
                        <h2>{m.name.clone()}</h2>
                        <p class="meta">{format!("{} · {}", m.place, l.grid_name(&m.grid))}</p>
                        <p class="score-line">
                            <span>{l.t("信用分 ", "Score ")}</span>
                            <strong class="score" data-testid="score">{s.score}</strong>
                            <span>{format!(" · {trend} · ")}</span>
                            <span>{match l {
                                Lang::Zh => format!("共 {} 次检查", s.count),
                                Lang::En => format!("{} inspections", s.count),
                            }}</span>
                        </p>
                        <section class="duties" aria-labelledby="duties-h">
                            <h3 id="duties-h">{l.t("门前三包", "Frontage duties")}</h3>
                            <ul>{m.duties.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                        </section>
                    }.into_any()
                }
            }}
            <Show when=move || summary.with(Option::is_some) && (may_inspect() || mine()) && !editable.get()>
                <p class="loading" aria-busy="true">{move || lang.get().t("正在打开…", "Opening…")}</p>
            </Show>
            <Show when=move || may_inspect() && editable.get()>
                <InspectForm id/>
            </Show>
            <section class="merchant-history" aria-labelledby="history-h">
                <h3 id="history-h">{move || lang.get().t("检查记录", "Inspections")}</h3>
                <ul class="merchant-entries">
                    <For each=move || entry_ids.get() key=|eid: &String| eid.clone() children=move |eid: String| view! {
                        <EntryItem doc=id summary entry=eid answer/>
                    }/>
                </ul>
                <Show when=move || summary.with(|s| s.as_ref().is_some_and(|s| s.count == 0))>
                    <p class="empty">{move || lang.get().t("还没有检查记录。", "No inspections yet.")}</p>
                </Show>
            </section>
            <Show when=move || staff_edits.get()>
                <ShopForm doc=Some(id) initial=shop()/>
            </Show>
        </main>
    }
}

/// One entry of a shop's history; the merchant answers it here. What it shows follows the
/// entry (an answer arriving); the answer form is made once and stays until the entry is
/// answered, so nothing typed, nor the focus, is lost when another document arrives.
#[component]
fn EntryItem(
    doc: DocumentId,
    summary: Memo<Option<MerchantSummary>>,
    entry: String,
    answer: Memo<bool>,
) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let found = Memo::new({
        let entry = entry.clone();
        move |_| {
            summary.with(|s| {
                s.as_ref()
                    .and_then(|s| s.merchant.entries.iter().find(|e| e.id == entry).cloned())
            })
        }
    });
    // What was recorded (written once) apart from the answer, which arrives later.
    let recorded = Memo::new(move |_| {
        found.get().map(|mut e| {
            e.response = None;
            e
        })
    });
    let response = Memo::new(move |_| found.with(|e| e.as_ref().and_then(|e| e.response.clone())));
    let negative = move || recorded.with(|e| e.as_ref().is_some_and(|e| e.points < 0));
    let shown = move || {
        recorded.get().map(|e| {
            let points = e.points;
            let at = e.at;
            let by = who(&e);
            view! {
                <p class="entry-top">
                    <strong class="points" data-testid="entry-points">{move || lang.get().points(points)}</strong>
                    <span class="reason">{e.reason.clone()}</span>
                </p>
                <div class="photos">
                    {e.photos.into_iter().map(|h| view! { <Photo hash=h doc/> }).collect_view()}
                </div>
                <p class="meta">{move || format!("{} · {}", by, lang.get().time(at))}</p>
            }
        })
    };
    view! {
        <li class="entry" class:negative=negative data-testid="entry">
            {shown}
            {move || response.get().map(|r| view! {
                <p class="response" data-testid="entry-response">
                    <span>{move || lang.get().t("商户回复：", "Merchant's response: ")}</span>
                    {r.text.clone()}
                    <span class="meta">{format!(" · {}", lang.get().time(r.at))}</span>
                </p>
            })}
            <Show when=move || answer.get() && found.with(|e| e.as_ref().is_some_and(|e| e.response.is_none()))>
                <RespondForm doc entry=entry.clone()/>
            </Show>
        </li>
    }
}

/// The merchant's answer to one entry, kept as a draft while typed.
#[component]
fn RespondForm(doc: DocumentId, entry: String) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = StoredValue::new(format!("merchant-response:{doc}:{entry}"));
    let text = RwSignal::new(app.draft(&key.get_value()).unwrap_or_default());
    Effect::new(move |first: Option<()>| {
        let t = text.get();
        if first.is_some() {
            app.set_draft(&key.get_value(), &t);
        }
    });
    let problem = RwSignal::new(None::<InputError>);
    // Ids from the entry's object id ("3@ab12…"), safe for an HTML id.
    let field = format!(
        "resp-{}",
        entry
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    );
    let err = format!("{field}-err");
    let entry = StoredValue::new(entry);
    let submit = move || {
        let t = text.get_untracked();
        let command = MerchantCommand::Respond {
            entry: entry.get_value(),
            text: t,
        };
        match app.send(doc, command) {
            Ok(_) => {
                problem.set(None);
                app.clear_draft(&key.get_value());
                app.notice.set(Some(Notice::Saved));
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problem.set(Some(e)),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    view! {
        <form class="respond" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <label for=field.clone()>{move || lang.get().t("回复这条记录（只回复一次）", "Answer this entry (once)")}</label>
            <textarea id=field.clone() rows="2" maxlength=RESPONSE_MAX.to_string() data-testid="response-text"
                aria-describedby=err.clone()
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <p id=err class="field-error" role="alert">{move || problem.get().map(|e| lang.get().merchant_error(&e))}</p>
            <button type="submit" class="primary">{move || lang.get().t("提交回复", "Send the answer")}</button>
        </form>
    }
}

/// What the inspection form holds, kept as a draft while it is filled in.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
struct Draft {
    points: i64,
    reason: String,
    photos: Vec<String>,
}

/// Recording an inspection: points (−20 … +20, chosen or stepped), the reason, a photo.
#[component]
fn InspectForm(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let key = StoredValue::new(format!("merchant:{id}"));
    let kept: Draft = app
        .draft(&key.get_value())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let points = RwSignal::new(kept.points);
    let reason = RwSignal::new(kept.reason);
    let photos = RwSignal::new(kept.photos);
    Effect::new(move |first: Option<()>| {
        let d = Draft {
            points: points.get(),
            reason: reason.get(),
            photos: photos.get(),
        };
        if first.is_some() {
            let json = serde_json::to_string(&d).unwrap_or_default();
            app.set_draft(&key.get_value(), &json);
        }
    });
    let problems = RwSignal::new(Vec::<InputError>::new());
    let step = move |by: i64| {
        points.update(|p| {
            let mut n = (*p + by).clamp(-POINTS_MAX, POINTS_MAX);
            if n == 0 {
                n += by.signum();
            }
            *p = n;
        })
    };
    let submit = move || {
        let Some(session) = app.session.get_untracked() else {
            return;
        };
        let draft = EntryDraft {
            points: points.get_untracked(),
            reason: reason.get_untracked(),
            photos: photos.get_untracked(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let attached = draft.photos.clone();
        let name = data::me(&app).map(|m| m.name).unwrap_or_default();
        let command = MerchantCommand::Inspect {
            by: session.person.clone(),
            by_name: name,
            draft,
        };
        match app.send(id, command) {
            Ok(_) => {
                if !attached.is_empty() {
                    app.attach_photos(id, attached);
                }
                problems.set(Vec::new());
                points.set(0);
                reason.set(String::new());
                photos.set(Vec::new());
                app.clear_draft(&key.get_value());
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
            .map(|e| l.merchant_error(e))
            .collect::<Vec<_>>()
            .join(" ")
    };
    view! {
        <section class="inspect" aria-labelledby="inspect-h">
            <h3 id="inspect-h">{move || lang.get().t("记录一次检查", "Record an inspection")}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field points-field">
                    <label for="mi-points">{move || lang.get().t("加分或扣分", "Points added or removed")}</label>
                    <div class="stepper">
                        <button type="button" class="primary" on:click=move |_| step(-1)
                            aria-label=move || lang.get().t("扣一分", "One point less")>"−"</button>
                        <select id="mi-points" aria-describedby="mi-err"
                            prop:value=move || points.get().to_string()
                            on:change=move |ev| points.set(event_target_value(&ev).parse().unwrap_or(0))>
                            <option value="0" selected=move || points.get() == 0>{move || lang.get().t("请选择", "Choose")}</option>
                            {(-POINTS_MAX..=POINTS_MAX).filter(|p| *p != 0).map(|p| view! {
                                <option value=p.to_string() selected=move || points.get() == p>{move || lang.get().points(p)}</option>
                            }).collect_view()}
                        </select>
                        <button type="button" class="primary" on:click=move |_| step(1)
                            aria-label=move || lang.get().t("加一分", "One point more")>"+"</button>
                    </div>
                </div>
                <div class="field">
                    <label for="mi-reason">{move || lang.get().t("原因（必填，商户看得到）", "Reason (required; the merchant sees it)")}</label>
                    <textarea id="mi-reason" rows="2" maxlength=REASON_MAX.to_string() aria-describedby="mi-err"
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <PhotoPicker photos id="mi-photos"/>
                <p id="mi-err" class="field-error" role="alert">{problem}</p>
                <button type="submit" class="primary big">{move || lang.get().t("保存检查记录", "Save the inspection")}</button>
            </form>
        </section>
    }
}

/// Staff open a shop (`doc` = `None`) or edit one: name, place, grid, duties, and the
/// merchant who has a phone.
#[component]
fn ShopForm(doc: Option<DocumentId>, initial: ShopDraft) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let p = if doc.is_some() { "se" } else { "sn" };
    let ids = StoredValue::new([
        format!("{p}-name"),
        format!("{p}-place"),
        format!("{p}-grid"),
        format!("{p}-duties"),
        format!("{p}-subject"),
        format!("{p}-err"),
    ]);
    let id = move |i: usize| ids.with_value(|v| v[i].clone());
    let name = RwSignal::new(initial.name);
    let place = RwSignal::new(initial.place);
    let grid = RwSignal::new(initial.grid);
    let duties = RwSignal::new(initial.duties.join("\n"));
    let subject = RwSignal::new(initial.subject);
    let problems = RwSignal::new(Vec::<InputError>::new());
    let grids = Memo::new(move |_| {
        data::community(&app)
            .map(|c| c.grids.into_iter().map(|g| g.id).collect::<Vec<_>>())
            .unwrap_or_default()
    });
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
        let draft = ShopDraft {
            grid: grid.get_untracked(),
            subject: subject.get_untracked(),
            name: name.get_untracked(),
            place: place.get_untracked(),
            duties: duties.get_untracked().lines().map(str::to_string).collect(),
        };
        let found = draft.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let (target, command) = match doc {
            Some(d) => (d, MerchantCommand::Edit { draft }),
            None => (
                DocumentId::from_bytes(platform::random_bytes::<16>()),
                MerchantCommand::Create { draft },
            ),
        };
        match app.send(target, command) {
            Ok(_) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::Saved));
                if doc.is_none() {
                    app.go(Route::Merchant(target));
                }
            }
            Err(linli_shared::domain::ModelError::Input(e)) => problems.set(vec![e]),
            Err(e) => app.notice.set(Some(Notice::NotSaved(e.to_string()))),
        }
    };
    let heading = if doc.is_some() {
        ("修改商户信息", "Edit the shop")
    } else {
        ("新增商户", "Add a shop")
    };
    view! {
        <section class="shop-form" aria-labelledby=format!("{p}-h")>
            <h3 id=format!("{p}-h")>{move || lang.get().t(heading.0, heading.1)}</h3>
            <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <label for=id(0)>{move || lang.get().t("店名", "Shop name")}</label>
                <input id=id(0) aria-describedby=id(5) prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for=id(1)>{move || lang.get().t("门前地址", "Frontage address")}</label>
                <input id=id(1) prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev))/>
                {(doc.is_none()).then(|| view! {
                    <label for=id(2)>{move || lang.get().t("所在网格", "Grid")}</label>
                    <select id=id(2) prop:value=move || grid.get() on:change=move |ev| grid.set(event_target_value(&ev))>
                        <option value="">{move || lang.get().t("请选择网格", "Choose a grid")}</option>
                        {move || grids.get().into_iter().map(|g| {
                            let label = lang.get().grid_name(&g);
                            let sel = grid.get_untracked() == g;
                            view! { <option value=g selected=sel>{label}</option> }
                        }).collect_view()}
                    </select>
                })}
                <label for=id(3)>{move || lang.get().t("门前三包责任（每行一条）", "Frontage duties (one a line)")}</label>
                <textarea id=id(3) rows="3" prop:value=move || duties.get() on:input=move |ev| duties.set(event_target_value(&ev))></textarea>
                <label for=id(4)>{move || lang.get().t("商户本人（已邀请的成员）", "The merchant (an invited person)")}</label>
                <select id=id(4) prop:value=move || subject.get() on:change=move |ev| subject.set(event_target_value(&ev))>
                    <option value="">{move || lang.get().t("（暂无）", "(none yet)")}</option>
                    {move || people.get().into_iter().map(|(pid, n)| {
                        let sel = subject.get_untracked() == pid;
                        view! { <option value=pid selected=sel>{n}</option> }
                    }).collect_view()}
                </select>
                <p id=id(5) class="field-error" role="alert">{move || {
                    let l = lang.get();
                    problems.get().iter().map(|e| l.merchant_error(e)).collect::<Vec<_>>().join(" ")
                }}</p>
                <button type="submit" class="primary">{move || lang.get().t("保存", "Save")}</button>
            </form>
        </section>
    }
}
