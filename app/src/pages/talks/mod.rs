//! Four-party talks 四方会谈: the series (schedule, meetings, attendance per party over time)
//! and one meeting (agenda, attendance, rounds, decision with its cost split, minutes).
//! Residents see published agendas, +1 items, and read published decisions and minutes.

pub mod series;
pub mod talk;
pub mod vote;

use leptos::prelude::*;
use linli_shared::domain::Summary;
use linli_shared::domain::people::{PersonSummary, Seat};
use linli_shared::domain::requests::{EventKind, RequestCommand, RequestSummary, Status};
use linli_shared::domain::talks::split::SplitError;
use linli_shared::domain::talks::{Decision, Series, Side, Talk, TalkSummary};
use linli_shared::ids::DocumentId;

use crate::data;
use crate::i18n::Lang;
use crate::state::{App, Route};

pub use series::TalksPage;
pub use talk::TalkPage;
pub use vote::{NewVotePage, OpenVotes, VotePage, VotesPage};

/// Every talk this device holds, newest first.
pub fn talks(app: &App) -> Vec<(DocumentId, Talk)> {
    let mut v = app.each_summary(|id, s| match s {
        Summary::Talk(TalkSummary { talk }) => Some((*id, talk.clone())),
        _ => None,
    });
    v.sort_by(|a, b| (&b.1.date, &b.1.time).cmp(&(&a.1.date, &a.1.time)));
    v
}

/// The series' schedule, once synced.
pub fn series(app: &App) -> Option<(DocumentId, Series)> {
    app.each_summary(|id, s| match s {
        Summary::TalkSeries(x) => Some((*id, x.series.clone())),
        _ => None,
    })
    .into_iter()
    .next()
}

/// This person's seat at the talks, from their own record.
pub fn my_seat(app: &App) -> Option<Seat> {
    let id = app.session.with(|s| s.as_ref()?.person_doc.clone())?;
    let id = DocumentId::parse(&id).ok()?;
    app.summary(&id, |s| match s {
        Summary::Person(PersonSummary { seat, .. }) => seat.clone(),
        _ => None,
    })
    .flatten()
}

/// The side this person speaks for: staff for the residents' committee, a representative
/// for their party.
pub fn my_side(app: &App) -> Option<Side> {
    if is_staff(app) {
        Some(Side::ResidentsCommittee)
    } else {
        my_seat(app).map(|s| Side::Party(s.party))
    }
}

pub fn is_staff(app: &App) -> bool {
    app.session.with(|s| {
        s.as_ref()
            .is_some_and(|s| s.role == linli_shared::policy::Role::Staff)
    })
}

/// People with a seat this device knows (staff hold every record): id, name, seat.
pub fn representatives(app: &App) -> Vec<(String, String, Seat)> {
    let mut v = app.each_summary(|_, s| match s {
        Summary::Person(PersonSummary {
            person,
            seat: Some(seat),
            ..
        }) => Some((person.id.clone(), person.name.clone(), seat.clone())),
        _ => None,
    });
    v.sort_by(|a, b| a.2.party.cmp(&b.2.party).then(a.1.cmp(&b.1)));
    v
}

pub fn side_name(l: Lang, side: Side) -> &'static str {
    linli_shared::domain::talks::side_name(side, l == Lang::Zh)
}

/// What is wrong with a cost split, in the person's language.
pub fn split_error(l: Lang, e: &SplitError) -> String {
    use linli_shared::domain::talks::split::{percent, yuan};
    let zh = l == Lang::Zh;
    match e {
        SplitError::TotalNotPositive => l.t("请填写总金额", "Please give the total amount").into(),
        SplitError::NoPayers => l
            .t("请至少填写一个出资方", "Please give at least one payer")
            .into(),
        SplitError::TooManyPayers => l.t("出资方太多", "Too many payers").into(),
        SplitError::PayerTwice(_) => l.t("同一出资方填了两次", "A payer appears twice").into(),
        SplitError::ShareNotPositive => l
            .t(
                "每个出资方的比例和金额都应大于 0",
                "Each payer's share must be more than 0",
            )
            .into(),
        SplitError::PercentNot100 { bp } => {
            if zh {
                format!("各方比例合计 {}%，应为 100%", percent(*bp))
            } else {
                format!("The percentages add up to {}%, not 100%", percent(*bp))
            }
        }
        SplitError::AmountNotTotal { fen, total } => {
            if zh {
                format!("各方金额合计 ¥{}，应等于总额 ¥{}", yuan(*fen), yuan(*total))
            } else {
                format!(
                    "The amounts add up to ¥{}, not the total ¥{}",
                    yuan(*fen),
                    yuan(*total)
                )
            }
        }
        SplitError::AmountNotPercent { payer, .. } => {
            let name = linli_shared::domain::talks::payer_name(*payer, zh);
            if zh {
                format!("{name}的金额与比例不符")
            } else {
                format!("{name}'s amount does not match its percentage")
            }
        }
    }
}

/// `MM-DD` of a `YYYY-MM-DD` date.
pub fn short_date(date: &str) -> String {
    date.get(5..).unwrap_or(date).to_string()
}

/// The request a board key points at, among those this device holds.
pub fn request_for_key(app: &App, key: &str) -> Option<DocumentId> {
    app.each_summary(|id, s| match s {
        Summary::Request(_) if linli_shared::domain::board::board_key(id) == key => Some(*id),
        _ => None,
    })
    .into_iter()
    .next()
}

/// The talk whose agenda has this request on it (by its board key), if any: date and item.
pub fn agenda_of(app: &App, request: &DocumentId) -> Option<(DocumentId, Talk, String)> {
    let key = linli_shared::domain::board::board_key(request);
    talks(app).into_iter().find_map(|(id, t)| {
        let item = t
            .items
            .iter()
            .find(|i| i.request.as_deref() == Some(key.as_str()))?
            .id
            .clone();
        Some((id, t, item))
    })
}

/// The words a resident reads on their request when the talk decided it.
pub fn answer_words(talk: &Talk, d: &Decision) -> String {
    format!(
        "{}四方会谈决定：{}",
        short_date(&talk.date).replace('-', "月") + "日",
        d.text
    )
}

/// On every staff phone, whatever page is open: each request a talk decided is answered with
/// the decision, and resolved once the decision's action items are all done, as soon as the
/// phone holds the talk and the request (mounted once, in the top bar).
#[component]
pub fn SettleTalks() -> impl IntoView {
    let app = expect_context::<App>();
    Effect::new(move |_| {
        if !is_staff(&app) {
            return;
        }
        for (_, t) in talks(&app) {
            if t.items
                .iter()
                .any(|i| i.request.is_some() && i.decision.is_some())
            {
                settle_requests(&app, &t);
            }
        }
    });
}

/// Staff's device answers the requests the talk decided and resolves those whose action items
/// are done, through the request's own history (an `answer`, then a `resolved` status), so
/// the resident sees it as any other answer.
fn settle_requests(app: &App, talk: &Talk) {
    if !is_staff(app) {
        return;
    }
    let Some(me) = app.session.get_untracked().map(|s| s.person) else {
        return;
    };
    let my_name = data::me(app).map(|m| m.name).unwrap_or_default();
    for item in &talk.items {
        let (Some(key), Some(d)) = (&item.request, &item.decision) else {
            continue;
        };
        let Some(rid) = request_for_key(app, key) else {
            continue;
        };
        let Some(req) = app
            .summary(&rid, |s| match s {
                Summary::Request(RequestSummary { request }) => Some(request.clone()),
                _ => None,
            })
            .flatten()
        else {
            continue;
        };
        let words = answer_words(talk, d);
        let answered = req
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Answer { text, .. } if *text == words));
        let resolve = d.actions_done() && req.status().is_open();
        if (answered || !req.status().is_open()) && !resolve {
            continue;
        }
        // Stored documents are read in the background after the first screen: wait for it.
        if !app.editable(&rid) {
            app.ensure_loaded(rid);
            continue;
        }
        if !answered && req.status().is_open() {
            let _ = app.send(
                rid,
                RequestCommand::AddEvent {
                    by: me.clone(),
                    by_name: my_name.clone(),
                    kind: EventKind::Answer {
                        text: words,
                        substantive: true,
                    },
                    photos: Vec::new(),
                },
            );
        }
        if resolve {
            let _ = app.send(
                rid,
                RequestCommand::AddEvent {
                    by: me.clone(),
                    by_name: my_name.clone(),
                    kind: EventKind::Status {
                        to: Status::Resolved,
                    },
                    photos: Vec::new(),
                },
            );
        }
    }
}

/// On a request's page: "on the agenda of the talk of 12-02", linking to the talk.
#[component]
pub fn OnAgenda(id: DocumentId) -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    move || {
        agenda_of(&app, &id).map(|(tid, t, _)| {
            let date = short_date(&t.date);
            view! {
                <p class="on-agenda" data-testid="on-agenda">
                    <a href=Route::Talk(tid).hash()>{move || match lang.get() {
                        Lang::Zh => format!("已列入 {date} 四方会谈议程"),
                        Lang::En => format!("On the agenda of the talk of {date}"),
                    }}</a>
                </p>
            }
        })
    }
}

/// On the home screen: this person's action items from the talks, due date, overdue marked.
#[component]
pub fn MyActions() -> impl IntoView {
    let app = expect_context::<App>();
    let lang = app.lang;
    let rows = Memo::new(move |_| {
        let me = app.session.with(|s| s.as_ref().map(|s| s.person.clone()))?;
        let mut v: Vec<(DocumentId, String, String, String)> = talks(&app)
            .into_iter()
            .flat_map(|(id, t)| {
                t.items
                    .into_iter()
                    .filter_map(|i| i.decision)
                    .flat_map(|d| d.actions)
                    .filter(|a| a.owner == me && !a.done)
                    .map(move |a| (id, a.text, a.due, t.date.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort_by(|a, b| a.2.cmp(&b.2));
        (!v.is_empty()).then_some(v)
    });
    let today = move || {
        app.clock.track();
        let (y, m, d) =
            linli_shared::time::civil_from_days(linli_shared::time::shanghai_day(app.now()));
        format!("{y:04}-{m:02}-{d:02}")
    };
    move || {
        rows.get().map(|v| {
            view! {
                <section class="card my-actions" aria-labelledby="my-actions-h" data-testid="my-actions">
                    <h2 id="my-actions-h">{move || lang.get().t("我的会谈待办", "My action items from the talks")}</h2>
                    <ul class="rows">
                        {v.into_iter().map(|(id, text, due, _)| {
                            let late = due < today();
                            view! {
                                <li class:late=late>
                                    <a href=Route::Talk(id).hash() class="row-link">
                                        <strong>{text}</strong>
                                        <span class:late=late>{move || {
                                            let l = lang.get();
                                            if late { format!("{} {} · {}", l.t("期限", "due"), due, l.t("已超期", "overdue")) }
                                            else { format!("{} {}", l.t("期限", "due"), due) }
                                        }}</span>
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
