//! Indicators on hand-made summaries whose answers are worked out by hand in the comments.

use super::*;
use crate::domain::Summary;
use crate::domain::event::{Attendance as Checkin, Event, Per, SignUp, Template};
use crate::domain::fund::FundSummary;
use crate::domain::fund::ledger::{Entry, EntryType, Ledger};
use crate::domain::grid::{GridInfo, Round};
use crate::domain::patrols::{PatrolLog, PatrolRound};
use crate::domain::people::{Person, PersonSummary};
use crate::domain::requests::{Colour, Event as Step, EventKind, Request, RequestSummary, Status};
use crate::domain::sorting::{Inspection, SortResult, SortingLog};
use crate::domain::talks::{Action, Attendance, Decision, Item, Payer, Share, Side, Source};
use crate::domain::talks::{Talk, TalkSummary};
use crate::domain::works::{Category, Status as WorkStatus, Update, Work};
use crate::policy::Party;
use crate::time::{DAY, HOUR, MINUTE, shanghai_midnight};

/// Monday 2026-11-02, 00:00 Shanghai.
pub(crate) fn t0() -> Millis {
    shanghai_midnight(2026, 11, 2)
}

pub(crate) fn id(n: u8) -> DocumentId {
    DocumentId::from_bytes([n; 16])
}

pub(crate) fn step(at: Millis, by: &str, kind: EventKind) -> Step {
    Step {
        id: format!("e{at}"),
        at,
        by: by.into(),
        by_name: String::new(),
        kind,
        photos: Vec::new(),
    }
}

pub(crate) fn answer(at: Millis) -> Step {
    step(
        at,
        "p-li",
        EventKind::Answer {
            text: "已安排".into(),
            substantive: true,
        },
    )
}

pub(crate) fn resolved(at: Millis) -> Step {
    step(
        at,
        "p-li",
        EventKind::Status {
            to: Status::Resolved,
        },
    )
}

pub(crate) fn request(
    filed_at: Millis,
    colour: Colour,
    subject: &str,
    events: Vec<Step>,
) -> Request {
    Request {
        title: "楼道灯坏了".into(),
        description: String::new(),
        category: "facilities".into(),
        colour,
        photos: Vec::new(),
        grid: "g07".into(),
        household: format!("h-{subject}"),
        subject: subject.into(),
        filed_by: subject.into(),
        filed_by_name: String::new(),
        filed_at,
        source: String::new(),
        events,
    }
}

pub(crate) fn req(r: Request) -> Summary {
    Summary::Request(RequestSummary { request: r })
}

pub(crate) fn person(
    pid: &str,
    household: &str,
    birth_year: Option<i64>,
    consents: &[&str],
) -> Summary {
    Summary::Person(PersonSummary {
        person: Person {
            id: pid.into(),
            name: pid.into(),
            phone: String::new(),
            flat: String::new(),
            birth_year,
            lives_alone: false,
            household: household.into(),
            grid: "g07".into(),
        },
        consents: consents
            .iter()
            .map(|v| crate::domain::people::Consent {
                volunteer: (*v).into(),
                volunteer_name: String::new(),
                granted_at: 0,
                granted_by: pid.into(),
                method: crate::domain::people::ConsentMethod::Paper,
                withdrawn_at: None,
                withdrawn_by: None,
            })
            .collect(),
        seat: None,
        area: None,
    })
}

pub(crate) fn index(scope: Scope, now: Millis, docs: &[Summary]) -> Index {
    let mut b = Builder::new(scope, now);
    for (i, s) in docs.iter().enumerate() {
        b.add(&id(i as u8 + 1), s);
    }
    b.finish()
}

fn month() -> Period {
    Period::new(t0(), t0() + 30 * DAY)
}

fn ratio(v: Value) -> (u64, u64) {
    match v {
        Value::Ratio { num, den } => (num, den),
        other => panic!("not a share: {other:?}"),
    }
}

#[test]
fn response_figures_count_received_on_time_median_resolved_and_overdue() {
    let t = t0();
    let docs = [
        // Red, answered after 10 h (on time), resolved.
        req(request(
            t,
            Colour::Red,
            "p-a",
            vec![answer(t + 10 * HOUR), resolved(t + 20 * HOUR)],
        )),
        // Red, answered after 50 h: late.
        req(request(
            t + DAY,
            Colour::Red,
            "p-b",
            vec![answer(t + DAY + 50 * HOUR)],
        )),
        // Yellow, never answered: due after 5 days, overdue at the end of the month.
        req(request(t + 2 * DAY, Colour::Yellow, "p-c", vec![])),
        // Blue, answered after 30 h: on time (15 days).
        req(request(
            t + 3 * DAY,
            Colour::Blue,
            "p-d",
            vec![answer(t + 3 * DAY + 30 * HOUR)],
        )),
    ];
    let x = index(Scope::Community, t + 30 * DAY, &docs);
    let p = month();
    assert_eq!(x.value(1, p), Value::Count { n: 4 });
    // Every deadline fell in the month; two of four met it.
    let on_time = x.figure(2, p);
    assert_eq!(ratio(on_time.value), (2, 4));
    assert_eq!(on_time.value.text(true), "50%");
    assert_eq!(on_time.numerator, vec![id(4), id(1)]);
    assert_eq!(on_time.denominator.len(), 4);
    // Minutes to answer: 600, 3000, 1800 → median 1800 (30 h); red 600 and 3000 → 1800.
    let median = x.figure(3, p);
    assert_eq!(median.value, Value::Minutes { m: 1800 });
    assert_eq!(median.value.text(false), "30 h");
    assert_eq!(median.parts[0].value, Value::Minutes { m: 1800 });
    assert_eq!(median.parts[1].value, Value::NoData, "no yellow answered");
    assert_eq!(ratio(x.value(4, p)), (1, 4));
    let overdue = x.figure(5, p);
    assert_eq!(overdue.value, Value::Count { n: 1 });
    assert_eq!(overdue.numerator, vec![id(3)]);
    // The previous month had none of it: counts are 0, shares have no data.
    assert_eq!(x.value(1, p.previous()), Value::Count { n: 0 });
    assert_eq!(x.value(2, p.previous()), Value::NoData);
}

#[test]
fn overdue_requests_are_counted_at_the_end_of_each_week_until_answered_or_resolved() {
    let t = t0();
    let docs = [
        // Red (due after 48 h), answered on day 10: overdue at the end of week 1.
        req(request(t, Colour::Red, "p-a", vec![answer(t + 10 * DAY)])),
        // Yellow (due after 5 days), resolved on day 20 unanswered: weeks 1 and 2.
        req(request(
            t + DAY,
            Colour::Yellow,
            "p-b",
            vec![resolved(t + 20 * DAY)],
        )),
        // Yellow, never answered: from week 2 on.
        req(request(t + 3 * DAY, Colour::Yellow, "p-c", vec![])),
        // Answered on time: never overdue.
        req(request(
            t + 4 * DAY,
            Colour::Red,
            "p-d",
            vec![answer(t + 4 * DAY + HOUR)],
        )),
    ];
    let now = t + 35 * DAY;
    let x = index(Scope::Community, now, &docs);
    let weeks: Vec<u64> = Period::new(t, t + 35 * DAY)
        .weeks(5)
        .into_iter()
        .map(|w| match x.value(5, w) {
            Value::Count { n } => n,
            other => panic!("a count: {other:?}"),
        })
        .collect();
    // Ends of weeks: day 7 (a, b), 14 (b, c), 21 (c), 28 (c), 35 (c).
    assert_eq!(weeks, vec![2, 2, 1, 1, 1]);
    assert_eq!(
        x.figure(5, Period::new(t, t + 7 * DAY)).numerator,
        vec![id(1), id(2)],
        "the earliest deadline first"
    );
}

#[test]
fn a_card_is_its_figure_and_parts_without_records_beside_the_previous_period() {
    let t = t0();
    let docs = [
        person("p-a", "h-p-a", Some(1950), &["p-v"]),
        req(request(
            t - 20 * DAY,
            Colour::Red,
            "p-a",
            vec![answer(t - 19 * DAY)],
        )),
        req(request(
            t + DAY,
            Colour::Red,
            "p-a",
            vec![answer(t + DAY + HOUR)],
        )),
        req(request(t + 2 * DAY, Colour::Yellow, "p-b", vec![])),
    ];
    let x = index(Scope::Community, t + 30 * DAY, &docs);
    let p = month();
    for id in 1..=30 {
        let fig = x.figure(id, p);
        let card = x.card(id, p);
        assert_eq!(card.fig.value, fig.value, "indicator {id}");
        assert_eq!(card.fig.parts, fig.parts, "indicator {id}");
        assert!(card.fig.numerator.is_empty() && card.fig.denominator.is_empty());
        assert_eq!(card.prev, x.value(id, p.previous()), "indicator {id}");
        assert_eq!(card.trend, None, "the trend comes apart");
    }
    assert_eq!(x.card(1, p).fig.value, Value::Count { n: 2 });
    assert_eq!(x.card(1, p).prev, Value::Count { n: 1 });
    // In a grid's scope a community-wide figure says so, before and now.
    let g = index(Scope::Grid("g07".into()), t + 30 * DAY, &docs);
    let events = g.card(13, p);
    assert_eq!(
        (events.fig.value, events.prev),
        (Value::CommunityWide, Value::CommunityWide)
    );
}

#[test]
fn a_deadline_still_ahead_is_not_yet_counted_as_missed() {
    let t = t0();
    // Blue, filed a day before `now`, unanswered: its window has 14 days left.
    let docs = [req(request(t, Colour::Blue, "p-a", vec![]))];
    let x = index(Scope::Community, t + DAY, &docs);
    assert_eq!(
        x.value(2, Period::new(t - DAY, t + 30 * DAY)),
        Value::NoData
    );
    assert_eq!(x.value(5, Period::new(t, t + DAY)), Value::Count { n: 0 });
}

#[test]
fn no_data_is_never_shown_as_zero() {
    let x = index(Scope::Community, t0(), &[]);
    for f in x.all(month()) {
        assert_eq!(f.value, Value::NoData, "indicator {}", f.id);
        assert!(!f.value.has_data());
    }
    assert_eq!(Value::NoData.text(true), "无数据");
    assert_eq!(x.activity(month()).index, None);
}

#[test]
fn elders_share_proxy_share_and_self_service_read_birth_years_and_consents() {
    let t = t0();
    let mut proxy = request(t + HOUR, Colour::Yellow, "p-old", vec![]);
    proxy.filed_by = "p-vol".into();
    let docs = [
        person("p-old", "h1", Some(1950), &["p-vol"]),
        person("p-old2", "h2", Some(1955), &[]),
        person("p-young", "h3", Some(1990), &[]),
        req(request(t, Colour::Yellow, "p-old", vec![])),
        req(proxy),
        req(request(t + 2 * HOUR, Colour::Yellow, "p-young", vec![])),
        // Nobody's record: its age is unknown, so it is in no share.
        req(request(t + 3 * HOUR, Colour::Yellow, "p-unknown", vec![])),
    ];
    let x = index(Scope::Community, t + 40 * DAY, &docs);
    let p = month();
    // Ages known for 3 requests, 2 concern an elder.
    assert_eq!(ratio(x.value(7, p)), (2, 3));
    // Of the 2, one filed by the consented volunteer.
    assert_eq!(ratio(x.value(8, p)), (1, 2));
    // Two registered elders (76 and 71 in 2026); p-old filed once for herself.
    let self_service = x.figure(9, p);
    assert_eq!(ratio(self_service.value), (1, 2));
    assert_eq!(self_service.denominator.len(), 2);
}

#[test]
fn the_reopen_rate_counts_reopenings_and_the_same_problem_filed_again_within_30_days() {
    let t = t0();
    let reopened = request(
        t,
        Colour::Red,
        "p-a",
        vec![
            answer(t + HOUR),
            resolved(t + DAY),
            step(
                t + 2 * DAY,
                "p-a",
                EventKind::Reopen {
                    reason: "又坏了".into(),
                },
            ),
        ],
    );
    let docs = [
        req(reopened),
        req(request(
            t,
            Colour::Red,
            "p-b",
            vec![answer(t + HOUR), resolved(t + DAY)],
        )),
        // p-b's household files the same category 9 days after the resolution.
        req(request(t + 10 * DAY, Colour::Red, "p-b", vec![])),
        req(request(
            t,
            Colour::Red,
            "p-c",
            vec![answer(t + HOUR), resolved(t + DAY)],
        )),
    ];
    let x = index(Scope::Community, t + 40 * DAY, &docs);
    assert_eq!(ratio(x.value(10, month())), (2, 3));
}

pub(crate) fn event(starts_at: Millis, signups: Vec<SignUp>, attendance: Vec<Checkin>) -> Summary {
    Summary::Event(Event {
        title: "百家宴".into(),
        template: Template::Potluck,
        description: String::new(),
        photos: Vec::new(),
        starts_at,
        ends_at: starts_at + 2 * HOUR,
        place: String::new(),
        capacity: 50,
        opens_at: starts_at - 10 * DAY,
        closes_at: starts_at,
        per: Per::Person,
        roles: Vec::new(),
        organisers: Vec::new(),
        repeat_of: String::new(),
        created_at: starts_at - 10 * DAY,
        by: "p-zhang".into(),
        by_name: String::new(),
        signups,
        attendance,
    })
}

pub(crate) fn signup(person: &str, household: &str, at: Millis) -> SignUp {
    SignUp {
        id: format!("s-{person}"),
        person: person.into(),
        household: household.into(),
        name: String::new(),
        by: person.into(),
        at,
        role: String::new(),
        cancelled_at: None,
    }
}

pub(crate) fn checkin(person: &str, at: Millis) -> Checkin {
    Checkin {
        id: format!("c-{person}"),
        person: person.into(),
        in_at: at,
        out_at: Some(at + HOUR),
        by: "p-zhang".into(),
    }
}

#[test]
fn active_and_new_households_and_the_activity_index_count_kinds_of_participation() {
    let t = t0();
    let p = month();
    let mut support = crate::domain::proposal::Proposal {
        call: String::new(),
        proposer: "p-x".into(),
        proposer_name: String::new(),
        filed_by: "p-x".into(),
        filed_by_name: String::new(),
        at: t - 60 * DAY,
        draft: crate::domain::proposal::ProposalDraft::default(),
        supports: vec![("p-b".into(), t + 5 * DAY)],
        updates: Vec::new(),
        closing: None,
    };
    support.draft.title = "阳台花园".into();
    let docs = [
        person("p-a", "h-p-a", None, &[]),
        person("p-b", "h-p-b", None, &[]),
        person("p-c", "h-p-c", None, &[]),
        person("p-d", "h-p-d", None, &[]),
        // h1: a request and an event sign-up in the month (two kinds; first ever).
        req(request(t + DAY, Colour::Blue, "p-a", vec![])),
        event(
            t + 20 * DAY,
            vec![signup("p-a", "h-p-a", t + 2 * DAY)],
            vec![checkin("p-d", t + 20 * DAY)],
        ),
        // h2: a request months ago, a proposal supported in the month.
        req(request(t - 90 * DAY, Colour::Blue, "p-b", vec![])),
        Summary::Proposal(crate::domain::proposal::ProposalSummary { proposal: support }),
    ];
    let x = index(Scope::Community, t + 30 * DAY, &docs);
    // Active: h1, h2, h4 (checked in at the event); h3 did nothing.
    assert_eq!(x.value(11, p), Value::Count { n: 3 });
    assert_eq!(ratio(x.value(12, p)), (3, 4));
    // New: h1 and h4; h2's first action was 90 days ago.
    assert_eq!(x.value(15, p), Value::Count { n: 2 });
    // Kinds: h1 request + event, h2 proposal, h4 event → 4/3 per household;
    // 3 of 4 households → 75 × 4/3 = 100.
    let a = x.activity(p);
    assert_eq!((a.active, a.households), (3, 4));
    assert!((a.index.unwrap() - 100.0).abs() < 1e-9);
    assert!((a.gap_to(200.0).unwrap() - 50.0).abs() < 1e-9);
    assert_eq!(a.gap_to(80.0), Some(0.0));
    // Events held (the one that started) and check-ins.
    assert_eq!(x.value(13, p), Value::Count { n: 1 });
    assert_eq!(x.value(14, p), Value::Count { n: 1 });
    // The baseline month is the first with any activity.
    let months = x.activity_months(6);
    assert_eq!(months.len(), 6);
    let base = Index::baseline(&months).unwrap();
    assert_eq!((base.year, base.month), (2026, 8));
}

pub(crate) fn talk(date: &str, attendance: Vec<(Side, Attendance)>, items: Vec<Item>) -> Summary {
    Summary::Talk(TalkSummary {
        talk: Talk {
            date: date.into(),
            time: "19:00".into(),
            place: String::new(),
            published_at: None,
            minutes_published_at: None,
            attendance,
            items,
            minutes: String::new(),
        },
    })
}

pub(crate) fn decided(id: &str, at: Millis, actions: Vec<(&str, bool)>, split: Vec<Share>) -> Item {
    Item {
        id: id.into(),
        title: "充电桩".into(),
        source: Source::Free,
        request: None,
        colour: None,
        due_at: None,
        order: 0,
        plus_ones: Vec::new(),
        positions: Vec::new(),
        decision: Some(Decision {
            text: "安装".into(),
            agreed: Vec::new(),
            total_fen: 0,
            split,
            actions: actions
                .into_iter()
                .enumerate()
                .map(|(i, (due, done))| Action {
                    id: format!("a{i}"),
                    text: "施工".into(),
                    owner: String::new(),
                    owner_name: String::new(),
                    due: due.into(),
                    done,
                })
                .collect(),
            decided_at: at,
        }),
    }
}

#[test]
fn talks_held_attendance_by_party_decisions_carried_out_and_crowdfunding() {
    let t = t0();
    let merchant = Side::Party(Party::Merchant);
    let docs = [
        talk(
            "2026-11-04",
            vec![
                (Side::Party(Party::PartyBranch), Attendance::Present),
                (merchant, Attendance::Absent),
                (Side::Party(Party::OwnersCommittee), Attendance::Deputy),
            ],
            vec![
                // Due in the month, one of two actions done: not carried out.
                decided(
                    "i1",
                    t + 2 * DAY,
                    vec![("2026-11-10", true), ("2026-11-20", false)],
                    vec![],
                ),
                // No action items: carried out when decided; 10% crowdfunded.
                decided(
                    "i2",
                    t + 2 * DAY,
                    vec![],
                    vec![Share {
                        payer: Payer::Crowdfunding,
                        bp: 1_000,
                        fen: 50_000,
                    }],
                ),
            ],
        ),
        // Planned after `now`: not held. Without attendance: not held either.
        talk("2026-12-30", vec![(merchant, Attendance::Present)], vec![]),
        talk("2026-11-11", vec![], vec![]),
    ];
    let x = index(Scope::Community, t + 30 * DAY, &docs);
    let p = month();
    assert_eq!(x.value(16, p), Value::Count { n: 1 });
    let att = x.figure(17, p);
    assert_eq!(ratio(att.value), (2, 3));
    let by = |k: &str| att.parts.iter().find(|x| x.key == k).unwrap().value;
    assert_eq!(ratio(by("merchant")), (0, 1));
    assert_eq!(by("adviser"), Value::NoData);
    assert_eq!(ratio(x.value(18, p)), (1, 2));
    assert_eq!(x.value(24, p), Value::Fen { fen: 50_000 });
}

fn entry(kind: EntryType, amount: i64, at: Millis) -> Entry {
    Entry {
        id: format!("{at}"),
        kind: Some(kind),
        amount,
        at,
        by: "p-zhang".into(),
        by_name: String::new(),
        note: String::new(),
        project: String::new(),
        line: String::new(),
        title: String::new(),
        leader: String::new(),
        lines: Vec::new(),
        receipts: Vec::new(),
        decision: String::new(),
    }
}

#[test]
fn fund_use_is_spending_less_refunds_over_what_the_fund_received() {
    let t = t0();
    let ledger = Ledger {
        name: "社区基金".into(),
        entries: vec![
            entry(EntryType::Income, 15_000_000, t - 100 * DAY),
            entry(EntryType::Spending, 3_000_000, t + DAY),
            entry(EntryType::Refund, 500_000, t + 2 * DAY),
            entry(EntryType::Cofunding, 100_000, t + 3 * DAY),
            // After the month: neither spent nor received in it.
            entry(EntryType::Income, 9_000_000, t + 40 * DAY),
        ],
    };
    let x = index(
        Scope::Community,
        t + 50 * DAY,
        &[Summary::Fund(FundSummary { ledger })],
    );
    // 25,000 yuan of 151,000.
    assert_eq!(ratio(x.value(23, month())), (2_500_000, 15_100_000));
    assert_eq!(x.value(23, month()).text(true), "17%");
    assert_eq!(x.value(24, month()), Value::Fen { fen: 100_000 });
}

fn round(kind: Round, at: Millis) -> PatrolRound {
    PatrolRound {
        id: format!("r{at}"),
        round: kind,
        by: "p-li".into(),
        by_name: String::new(),
        at,
        buildings: Vec::new(),
        note: String::new(),
        findings: Vec::new(),
        visits: Vec::new(),
    }
}

pub(crate) fn inspection(at: Millis, result: SortResult, follows: &str) -> Inspection {
    Inspection {
        id: format!("i{at}"),
        by: "p-li".into(),
        by_name: String::new(),
        at,
        building: "7".into(),
        point: String::new(),
        result,
        flat: String::new(),
        note: String::new(),
        photos: Vec::new(),
        reminder: String::new(),
        follows: follows.into(),
    }
}

pub(crate) fn work(grid: &str, category: Category, status: WorkStatus, at: Millis) -> Summary {
    Summary::Works(Work {
        grid: grid.into(),
        title: "楼道灯".into(),
        category,
        place: String::new(),
        description: String::new(),
        cost_fen: 0,
        contractor: String::new(),
        created_at: at - DAY,
        by: "p-li".into(),
        by_name: String::new(),
        photos: Vec::new(),
        requests: Vec::new(),
        talk: String::new(),
        item: String::new(),
        updates: vec![Update {
            id: "u".into(),
            status,
            note: String::new(),
            at,
            by: "p-li".into(),
            by_name: String::new(),
            photos: Vec::new(),
        }],
    })
}

#[test]
fn patrol_coverage_mixed_disposal_and_works_done_per_grid() {
    let t = t0();
    let grid = GridInfo {
        grid: "g07".into(),
        team: Vec::new(),
        buildings: Vec::new(),
        plan: vec![
            (Round::Morning, vec![1, 2, 3, 4, 5, 6, 7]),
            (Round::Midday, vec![]),
            (Round::Evening, vec![]),
        ],
    };
    let log = PatrolLog {
        grid: "g07".into(),
        month: "2026-11".into(),
        rounds: vec![
            round(Round::Morning, t + 8 * HOUR),
            round(Round::Morning, t + DAY + 8 * HOUR),
            round(Round::Morning, t + 3 * DAY + 8 * HOUR),
            // Not planned: counts for nothing.
            round(Round::Evening, t + 2 * DAY + 19 * HOUR),
        ],
    };
    let sorting = SortingLog {
        grid: "g07".into(),
        month: "2026-11".into(),
        inspections: vec![
            inspection(t + HOUR, SortResult::Mixed, ""),
            inspection(t + 2 * HOUR, SortResult::Sorted, ""),
            inspection(t + 3 * HOUR, SortResult::Sorted, ""),
            // A follow-up of a reminder is not a routine inspection.
            inspection(t + DAY, SortResult::Mixed, "reminder-doc"),
        ],
    };
    let docs = [
        Summary::Grid(grid),
        Summary::Patrols(log),
        Summary::Sorting(sorting),
        work("g07", Category::Leak, WorkStatus::Done, t + DAY),
        work("g07", Category::Lighting, WorkStatus::Done, t + 2 * DAY),
        work("g07", Category::Aging, WorkStatus::InProgress, t + 2 * DAY),
        work("g08", Category::Aging, WorkStatus::Done, t + 2 * DAY),
        // The community's shared spaces: in no grid.
        work("", Category::Lighting, WorkStatus::Done, t + 2 * DAY),
    ];
    // Four days, the first from midnight of the first walk: 3 of 4 mornings walked.
    let four = Period::new(t - 10 * DAY, t + 4 * DAY);
    let g7 = index(Scope::Grid("g07".into()), t + 30 * DAY, &docs);
    let cover = g7.figure(28, four);
    assert_eq!(ratio(cover.value), (3, 4));
    assert_eq!(ratio(cover.parts[0].value), (3, 4));
    assert_eq!(cover.parts[2].value, Value::NoData, "no evening planned");
    assert_eq!(ratio(g7.value(29, month())), (1, 3));
    let works = g7.figure(30, month());
    assert_eq!(works.value, Value::Count { n: 2 });
    assert_eq!(
        works.parts.iter().map(|p| p.value).collect::<Vec<_>>(),
        vec![
            Value::Count { n: 1 },
            Value::Count { n: 0 },
            Value::Count { n: 1 },
            Value::Count { n: 0 },
        ]
    );
    // The community counts every grid's works and the shared spaces'.
    let all = index(Scope::Community, t + 30 * DAY, &docs);
    assert_eq!(all.value(30, month()), Value::Count { n: 4 });
    // A grid's scope keeps community-wide indicators out, saying so.
    assert_eq!(g7.value(13, month()), Value::CommunityWide);
    assert_eq!(Value::CommunityWide.text(false), "community only");
}

#[test]
fn a_grids_scope_counts_only_its_own_requests() {
    let t = t0();
    let mut other = request(t, Colour::Red, "p-b", vec![]);
    other.grid = "g08".into();
    let docs = [req(request(t, Colour::Red, "p-a", vec![])), req(other)];
    let x = index(Scope::Grid("g07".into()), t + DAY, &docs);
    assert_eq!(x.figure(1, month()).numerator, vec![id(1)]);
}

#[test]
fn periods_step_back_by_their_length_and_weeks_start_on_monday() {
    let t = t0();
    let p = Period::new(t, t + 30 * DAY);
    assert_eq!(p.previous(), Period::new(t - 30 * DAY, t));
    assert_eq!(p.days(), 30);
    let weeks = p.weeks(3);
    assert_eq!(weeks.len(), 3);
    // The last instant is Tuesday 12-01; its week started Monday 11-30, cut at `to`.
    assert_eq!(weeks[2], Period::new(t + 28 * DAY, t + 30 * DAY));
    assert_eq!(weeks[1], Period::new(t + 21 * DAY, t + 28 * DAY));
    let last30 = Period::last_days(t + 12 * HOUR + 5 * MINUTE, 30);
    assert_eq!(last30, Period::new(t - 29 * DAY, t + DAY));
    assert_eq!(
        Period::month(2026, 12),
        Period::new(
            shanghai_midnight(2026, 12, 1),
            shanghai_midnight(2027, 1, 1)
        )
    );
    assert_eq!(
        Period::months_to(t, 3),
        vec![(2026, 9), (2026, 10), (2026, 11)]
    );
}

#[test]
fn values_read_as_people_write_them() {
    assert_eq!(Value::Ratio { num: 93, den: 100 }.text(true), "93%");
    assert_eq!(Value::Ratio { num: 1, den: 200 }.text(true), "0.5%");
    assert_eq!(Value::Stars { sum: 23, n: 5 }.text(true), "4.6★");
    assert_eq!(Value::Minutes { m: 750 }.text(true), "12.5 小时");
    assert_eq!(Value::Fen { fen: 15_000_000 }.text(true), "¥150,000");
    assert_eq!(Value::Count { n: 0 }.text(true), "0");
}

#[test]
fn rows_for_an_export_hold_numbers_shares_and_say_no_data() {
    let t = t0();
    let docs = [req(request(t, Colour::Red, "p-a", vec![answer(t + HOUR)]))];
    let x = index(Scope::Community, t + 30 * DAY, &docs);
    let rows = super::rows(&x, month());
    assert_eq!(rows.len(), 30);
    assert_eq!(rows[0][7], "1", "requests received");
    assert_eq!(
        rows[1][7..11],
        ["100.0", "percent", "1", "1"].map(String::from)
    );
    assert_eq!(
        rows[12][7..9],
        ["", "no data"].map(String::from),
        "no events held"
    );
    assert_eq!(
        rows[0][5..7],
        ["2026-11-02", "2026-12-01"].map(String::from)
    );
}

#[test]
fn a_governance_school_sign_up_and_attendance_count_as_training_participation() {
    use crate::domain::training::{Method, SignUp as Line, Topic, Training};
    let t = t0();
    let p = month();
    let line = |person: &str, at: Millis, attended: Option<bool>| Line {
        id: format!("l-{person}"),
        person: person.into(),
        at,
        cancelled_at: None,
        attended,
    };
    let session = Training {
        title: "议事规则情景模拟".into(),
        topic: Topic::MeetingRules,
        method: Method::RolePlay,
        trainer: "张亦鸣".into(),
        trainer_org: String::new(),
        // Signed up before the month, held in it.
        starts_at: t + 3 * DAY,
        ends_at: t + 3 * DAY + 2 * HOUR,
        place: String::new(),
        capacity: 30,
        description: String::new(),
        summary: String::new(),
        created_at: t - 20 * DAY,
        by: "p-zhang".into(),
        by_name: String::new(),
        signups: vec![
            line("p-a", t - 10 * DAY, Some(true)),
            line("p-b", t - 10 * DAY, Some(false)),
        ],
    };
    let docs = [
        person("p-a", "h-p-a", None, &[]),
        person("p-b", "h-p-b", None, &[]),
        Summary::Training(session),
    ];
    let x = index(Scope::Community, t + 30 * DAY, &docs);
    // In the month: h-p-a attended (training); h-p-b signed up before it and stayed away.
    assert_eq!(x.value(11, p), Value::Count { n: 1 });
    let a = x.activity(p);
    assert_eq!((a.active, a.households), (1, 2));
    assert!((a.index.unwrap() - 50.0).abs() < 1e-9, "{a:?}");
    // The month before: both signed up.
    assert_eq!(x.value(11, p.previous()), Value::Count { n: 2 });
}

#[test]
fn an_index_built_a_unit_at_a_time_is_the_one_built_at_once() {
    let t = t0();
    let mut docs = vec![
        person("p-a", "h-p-a", Some(1950), &["p-v"]),
        person("p-b", "h-p-b", Some(1990), &[]),
    ];
    for (i, subject) in ["p-a", "p-b", "p-a", "p-b", "p-a"].iter().enumerate() {
        let at = t + i as Millis * 3 * DAY;
        let mut r = request(at, Colour::Yellow, subject, vec![answer(at + HOUR)]);
        if i % 2 == 0 {
            r.events.push(resolved(at + DAY));
        }
        docs.push(req(r));
    }
    let now = t + 30 * DAY;
    let whole = index(Scope::Community, now, &docs);
    let mut b = Builder::new(Scope::Community, now);
    for (i, s) in docs.iter().enumerate() {
        b.add(&id(i as u8 + 1), s);
    }
    let mut f = b.finishing();
    let mut calls = 0;
    while !f.step(1) {
        calls += 1;
        assert!(calls < 10_000, "finishing ends");
    }
    assert!(f.done());
    assert!(
        calls > docs.len(),
        "the work comes in units of about a document: {calls}"
    );
    let sliced = f.index();
    for p in [month(), month().previous(), Period::last_days(now, 365)] {
        assert_eq!(sliced.all(p), whole.all(p));
        assert_eq!(sliced.activity(p), whole.activity(p));
    }
    assert_eq!(sliced.activity_months(12), whole.activity_months(12));
    assert_eq!(whole.value(1, month()), Value::Count { n: 5 });
}

#[test]
fn a_long_list_of_facts_sorted_in_chunks_comes_out_in_time_order() {
    let t = t0();
    // More requests than one unit of the sort takes, filed newest first.
    let n = 9_000i64;
    let docs: Vec<Summary> = (0..n)
        .map(|i| req(request(t + (n - i) * MINUTE, Colour::Yellow, "p-a", vec![])))
        .collect();
    let mut b = Builder::new(Scope::Community, t + 30 * DAY);
    for (i, s) in docs.iter().enumerate() {
        let mut raw = [0u8; 16];
        raw[..8].copy_from_slice(&(i as u64).to_be_bytes());
        b.add(&DocumentId::from_bytes(raw), s);
    }
    let x = b.finish();
    assert_eq!(x.facts[1].len(), n as usize);
    assert!(
        x.facts[1]
            .windows(2)
            .all(|w| (w[0].at, w[0].doc) <= (w[1].at, w[1].doc)),
        "sorted by time"
    );
    assert_eq!(x.value(1, month()), Value::Count { n: n as u64 });
}
