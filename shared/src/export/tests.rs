//! The registers from hand-made summaries: columns, quoting, the byte-order mark, the formula
//! guard, and that nobody gets personal data their role may not see.

use super::*;
use crate::domain::event::{self, Per, SignUp, Template};
use crate::domain::fund::{EntryType, NewEntry};
use crate::domain::grid::Round;
use crate::domain::merchant::{self, Merchant};
use crate::domain::patrols::{Finding, Outcome, PatrolRound, Visit};
use crate::domain::requests::{Colour, EventKind, Status};
use crate::domain::sorting::{Inspection, SortResult};
use crate::domain::talks::{Action, Decision, Item, Side, Source as ItemSource};
use crate::domain::volunteer::{AgeGroup, EntryKind};
use crate::domain::works::{Category, Update};
use crate::time::{DAY, HOUR, shanghai_midnight};

const T0: Millis = 1_780_000_000_000; // 2026-05-29 04:26 in China
const NOW: Millis = T0 + 30 * DAY;

/// Every name (and flat and phone) in the fixture but 赵晓松's (the resident exporting).
const OTHERS: [&str; 9] = [
    "王秀英",
    "7-2-301",
    "13800000001",
    "p-w",
    "李红梅",
    "刘志强",
    "陈小雨",
    "张建国",
    "8-1-202",
];

fn person(id: &str, name: &str, flat: &str, phone: &str, household: &str, grid: &str) -> Person {
    Person {
        id: id.into(),
        name: name.into(),
        phone: phone.into(),
        flat: flat.into(),
        birth_year: None,
        lives_alone: false,
        household: household.into(),
        grid: grid.into(),
    }
}

fn request(subject: &str, household: &str, grid: &str, name: &str, at: Millis) -> Request {
    Request {
        title: "楼道堆物".into(),
        description: String::new(),
        category: "=stairwell".into(),
        colour: Colour::Red,
        photos: Vec::new(),
        grid: grid.into(),
        household: household.into(),
        subject: subject.into(),
        filed_by: subject.into(),
        filed_by_name: name.into(),
        filed_at: at,
        source: String::new(),
        events: vec![
            crate::domain::requests::Event {
                id: "1@a".into(),
                at: at + HOUR,
                by: "p-l".into(),
                by_name: "李红梅".into(),
                kind: EventKind::Answer {
                    text: "已清理".into(),
                    substantive: true,
                },
                photos: Vec::new(),
            },
            crate::domain::requests::Event {
                id: "2@a".into(),
                at: at + 2 * HOUR,
                by: "p-l".into(),
                by_name: "李红梅".into(),
                kind: EventKind::Status {
                    to: Status::Resolved,
                },
                photos: Vec::new(),
            },
            crate::domain::requests::Event {
                id: "3@a".into(),
                at: at + 3 * HOUR,
                by: subject.into(),
                by_name: name.into(),
                kind: EventKind::Rate {
                    stars: 5,
                    comment: String::new(),
                },
                photos: Vec::new(),
            },
        ],
    }
}

fn ledger() -> Ledger {
    let mut doc = automerge::Automerge::new();
    crate::domain::fund::create_fund(&mut doc, "f", 10_000_000, "p-s", "", T0).unwrap();
    let mut a = NewEntry::new(EntryType::Allocation, 500_000, "p-s", "");
    a.project = "x".into();
    a.title = "楼道美术馆".into();
    a.leader = "p-w".into();
    a.lines = vec![("画框".into(), 500_000)];
    crate::domain::fund::add_entry(&mut doc, &a, T0 + DAY).unwrap();
    let mut s = NewEntry::new(EntryType::Spending, 1_234, "p-w", "");
    s.project = "x".into();
    s.line = "画框".into();
    s.note = "-画框, 两个".into();
    crate::domain::fund::add_entry(&mut doc, &s, T0 + 2 * DAY).unwrap();
    Ledger::read(&doc).unwrap()
}

fn signup(id: &str, person: &str, household: &str, name: &str) -> SignUp {
    SignUp {
        id: id.into(),
        person: person.into(),
        household: household.into(),
        name: name.into(),
        by: person.into(),
        at: T0,
        role: String::new(),
        cancelled_at: None,
    }
}

fn festival() -> Event {
    Event {
        title: "睦邻文化节".into(),
        template: Template::Festival,
        description: String::new(),
        photos: Vec::new(),
        starts_at: T0 + 3 * DAY,
        ends_at: T0 + 3 * DAY + 2 * HOUR,
        place: "中心广场".into(),
        capacity: 50,
        opens_at: T0,
        closes_at: T0 + 3 * DAY,
        per: Per::Person,
        roles: vec![event::VolunteerRole {
            role: "helper".into(),
            count: 2,
        }],
        organisers: vec!["p-z".into()],
        repeat_of: String::new(),
        created_at: T0,
        by: "p-s".into(),
        by_name: "张建国".into(),
        signups: vec![
            signup("s1", "p-w", "h-w", "王秀英"),
            signup("s2", "p-z", "h-z", "赵晓松"),
            SignUp {
                role: "helper".into(),
                ..signup("s3", "p-c", "h-c", "陈小雨")
            },
        ],
        attendance: vec![
            event::Attendance {
                id: "a1".into(),
                person: "p-w".into(),
                in_at: T0 + 3 * DAY,
                out_at: None,
                by: "p-z".into(),
            },
            event::Attendance {
                id: "a2".into(),
                person: "p-c".into(),
                in_at: T0 + 3 * DAY,
                out_at: Some(T0 + 3 * DAY + 2 * HOUR),
                by: "p-z".into(),
            },
        ],
    }
}

fn talk() -> Talk {
    Talk {
        date: "2026-06-03".into(),
        time: "14:00".into(),
        place: "会议室".into(),
        published_at: Some(T0),
        minutes_published_at: None,
        attendance: vec![
            (
                Side::ResidentsCommittee,
                crate::domain::talks::Attendance::Present,
            ),
            (
                Side::Party(crate::policy::Party::PropertyCompany),
                crate::domain::talks::Attendance::Deputy,
            ),
            (
                Side::Party(crate::policy::Party::Merchant),
                crate::domain::talks::Attendance::Absent,
            ),
        ],
        items: vec![Item {
            id: "i1".into(),
            title: "7号楼屋顶漏水".into(),
            source: ItemSource::Free,
            request: None,
            colour: None,
            due_at: None,
            order: 1,
            plus_ones: Vec::new(),
            positions: Vec::new(),
            decision: Some(Decision {
                text: "物业维修, 月底前完成".into(),
                agreed: vec![Side::ResidentsCommittee],
                total_fen: 1_000_000,
                split: Vec::new(),
                actions: vec![Action {
                    id: "a".into(),
                    text: "联系施工队".into(),
                    owner: "p-m".into(),
                    owner_name: "刘志强".into(),
                    due: "2026-06-30".into(),
                    done: true,
                }],
                decided_at: T0,
            }),
        }],
        minutes: String::new(),
    }
}

fn volunteer() -> Volunteer {
    Volunteer {
        subject: "p-c".into(),
        name: "陈小雨".into(),
        age_group: AgeGroup::Youth,
        organisation: "南湖中学".into(),
        skills: Vec::new(),
        availability: String::new(),
        created_at: T0,
        created_by: "p-c".into(),
        entries: vec![crate::domain::volunteer::Entry {
            id: "e1".into(),
            kind: EntryKind::Visit,
            at: T0 + 5 * DAY,
            minutes: 45,
            elder: Some("p-w".into()),
            request: None,
            note: String::new(),
            by: "p-c".into(),
            confirmed_by: Some("p-s".into()),
            confirmed_by_name: "张建国".into(),
            confirmed_at: Some(T0 + 6 * DAY),
        }],
    }
}

fn patrol_log() -> PatrolLog {
    PatrolLog {
        grid: "g07".into(),
        month: "2026-06".into(),
        rounds: vec![PatrolRound {
            id: "r1".into(),
            round: Round::Midday,
            by: "p-l".into(),
            by_name: "李红梅".into(),
            at: T0 + 4 * DAY,
            buildings: vec!["7".into()],
            note: String::new(),
            findings: vec![Finding {
                text: "楼道灯坏了".into(),
                place: "7号楼".into(),
                photos: Vec::new(),
                request: String::new(),
            }],
            visits: vec![Visit {
                name: "王秀英".into(),
                flat: "7-2-301".into(),
                outcome: Outcome::Well,
                note: String::new(),
            }],
        }],
    }
}

fn sorting_log() -> SortingLog {
    SortingLog {
        grid: "g07".into(),
        month: "2026-06".into(),
        inspections: vec![Inspection {
            id: "i1".into(),
            by: "p-l".into(),
            by_name: "李红梅".into(),
            at: T0 + 4 * DAY,
            building: "7".into(),
            point: "东门".into(),
            result: SortResult::Mixed,
            flat: "7-2-301".into(),
            note: String::new(),
            photos: Vec::new(),
            reminder: "r".into(),
            follows: String::new(),
        }],
    }
}

fn shop() -> Merchant {
    Merchant {
        grid: "g07".into(),
        subject: None,
        name: "好邻居便利店".into(),
        place: "7号楼底商".into(),
        duties: Vec::new(),
        created_at: T0,
        entries: vec![merchant::Entry {
            id: "m1".into(),
            at: T0 + 4 * DAY,
            by: "p-l".into(),
            by_name: "李红梅".into(),
            points: -5,
            reason: "门前堆放纸箱".into(),
            photos: Vec::new(),
            response: None,
        }],
    }
}

fn work() -> Work {
    Work {
        grid: "g07".into(),
        title: "7号楼屋顶防水".into(),
        category: Category::Leak,
        place: "7号楼".into(),
        description: String::new(),
        cost_fen: 1_000_000,
        contractor: "@防水公司".into(),
        created_at: T0 + DAY,
        by: "p-l".into(),
        by_name: "李红梅".into(),
        photos: Vec::new(),
        requests: vec!["k".into()],
        talk: String::new(),
        item: String::new(),
        updates: vec![Update {
            id: "u1".into(),
            status: crate::domain::works::Status::Done,
            note: String::new(),
            at: T0 + 10 * DAY,
            by: "p-l".into(),
            by_name: "李红梅".into(),
            photos: Vec::new(),
        }],
    }
}

fn field_note() -> crate::domain::field_note::FieldNote {
    crate::domain::field_note::FieldNote {
        title: "李奶奶家访，谈楼道照明".into(),
        body: "王秀英说晚上下楼看不清台阶, 想请物业装感应灯".into(),
        observed_at: T0 + 2 * DAY,
        place: "7号楼".into(),
        tags: vec!["独居老人".into(), "设施改造".into()],
        talk: String::new(),
        request: "r-1".into(),
        case: "C07".into(),
        photos: Vec::new(),
        by: "p-l".into(),
        by_name: "李红梅".into(),
        created_at: T0 + 2 * DAY,
        edited_at: None,
        edited_by: String::new(),
    }
}

fn training() -> crate::domain::training::Training {
    use crate::domain::training::{Method, SignUp, Topic, Training};
    let line = |id: &str, person: &str, at: Millis, attended: Option<bool>| SignUp {
        id: id.into(),
        person: person.into(),
        at,
        cancelled_at: None,
        attended,
    };
    Training {
        title: "议事规则情景模拟".into(),
        topic: Topic::MeetingRules,
        method: Method::RolePlay,
        trainer: "张亦鸣".into(),
        trainer_org: "嘉兴市业委会专家".into(),
        starts_at: T0 + 3 * DAY,
        ends_at: T0 + 3 * DAY + 2 * crate::time::HOUR,
        place: "党群服务中心".into(),
        capacity: 1,
        description: String::new(),
        summary: "演练表决".into(),
        created_at: T0,
        by: "p-x".into(),
        by_name: "张建国".into(),
        signups: vec![
            line("1@a", "p-w", T0 + DAY, Some(true)),
            line("2@a", "p-z", T0 + 2 * DAY, None),
        ],
    }
}

struct Fixture {
    requests: Vec<(DocumentId, Request)>,
    people: Vec<Person>,
    talks: Vec<Talk>,
    ledger: Ledger,
    events: Vec<(Event, Option<Roster>)>,
    volunteers: Vec<Volunteer>,
    patrols: Vec<PatrolLog>,
    sorting: Vec<SortingLog>,
    merchants: Vec<Merchant>,
    works: Vec<Work>,
    notes: Vec<crate::domain::field_note::FieldNote>,
    trainings: Vec<crate::domain::training::Training>,
    charters: Vec<crate::domain::charter::Charter>,
    resources: Vec<crate::domain::resource::Resource>,
    drawings: Vec<(DocumentId, crate::domain::drawing::Drawing)>,
    deadlines: DeadlineConfig,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            requests: vec![
                (
                    DocumentId::from_bytes([1; 16]),
                    request("p-w", "h-w", "g07", "王秀英", T0),
                ),
                (
                    DocumentId::from_bytes([2; 16]),
                    request("p-z", "h-z", "g03", "赵晓松", T0 + DAY),
                ),
            ],
            people: vec![
                person("p-w", "王秀英", "7-2-301", "13800000001", "h-w", "g07"),
                person("p-z", "赵晓松", "3-1-101", "13800000002", "h-z", "g03"),
                person("p-x", "张建国", "8-1-202", "13800000003", "h-x", "g08"),
            ],
            talks: vec![talk()],
            ledger: ledger(),
            events: vec![(festival(), None)],
            volunteers: vec![volunteer()],
            patrols: vec![patrol_log()],
            sorting: vec![sorting_log()],
            merchants: vec![shop()],
            works: vec![work()],
            notes: vec![field_note()],
            trainings: vec![training()],
            charters: vec![charter()],
            resources: resources(),
            drawings: vec![(DocumentId::from_bytes([9; 16]), drawing())],
            deadlines: DeadlineConfig::default(),
        }
    }

    fn held(&self) -> Held<'_> {
        Held {
            requests: &self.requests,
            people: &self.people,
            talks: &self.talks,
            ledger: Some(&self.ledger),
            proposals: &[],
            events: &self.events,
            volunteers: &self.volunteers,
            patrols: &self.patrols,
            sorting: &self.sorting,
            merchants: &self.merchants,
            works: &self.works,
            notes: &self.notes,
            trainings: &self.trainings,
            charters: &self.charters,
            resources: &self.resources,
            drawings: &self.drawings,
            drawing_gallery: None,
            deadlines: &self.deadlines,
            now: NOW,
            indicators: &[],
        }
    }
}

fn staff() -> Exporter {
    Exporter::new("p-s", Role::Staff)
}

fn grid_worker() -> Exporter {
    Exporter {
        grids: vec!["g03".into()],
        ..Exporter::new("p-l", Role::GridWorker)
    }
}

fn resident() -> Exporter {
    Exporter {
        household: Some("h-z".into()),
        ..Exporter::new("p-z", Role::Resident)
    }
}

fn all_time() -> Filter {
    Filter {
        from: 0,
        to: i64::MAX,
        grid: None,
    }
}

fn lines(csv: &Csv) -> Vec<&str> {
    csv.text().split("\r\n").filter(|l| !l.is_empty()).collect()
}

#[test]
fn a_field_is_quoted_when_it_must_be_and_guarded_against_formulas() {
    assert_eq!(field("画框"), "画框");
    assert_eq!(field("a,b"), "\"a,b\"");
    assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(field("two\nlines"), "\"two\nlines\"");
    assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(field("+86 138"), "'+86 138");
    assert_eq!(field("@cmd"), "'@cmd");
    assert_eq!(field("-2+3,x"), "\"'-2+3,x\"");
    // Numbers stay numbers.
    assert_eq!(field("-980.50"), "-980.50");
    assert_eq!(field("+5"), "+5");
    assert_eq!(field("-5"), "-5");
    assert_eq!(field("-"), "'-");
    assert_eq!(field("-1."), "'-1.");
    assert_eq!(field("-inf"), "'-inf");
}

#[test]
fn a_file_starts_with_the_bom_and_ends_every_line_with_crlf() {
    let mut csv = Csv::new(&["a", "b"]);
    csv.row(&["1"]);
    csv.row(&["x", "y", "too many"]);
    assert_eq!(csv.text(), "\u{feff}a,b\r\n1,\r\nx,y\r\n");
    assert_eq!(csv.rows(), 2);
    assert_eq!(csv.header(), ["a", "b"]);
}

#[test]
fn every_register_has_the_bom_and_a_header() {
    let f = Fixture::new();
    for r in Register::ALL.into_iter().chain([Register::Indicators]) {
        let csv = r.build(&f.held(), &staff(), &all_time());
        assert!(csv.text().starts_with(BOM), "{r:?}");
        assert!(!csv.header().is_empty(), "{r:?}");
        for l in lines(&csv) {
            assert!(!l.contains('\n'), "{r:?}: {l}");
        }
    }
}

#[test]
fn staff_get_the_requests_register_with_the_subjects() {
    let f = Fixture::new();
    let csv = Register::Requests.build(&f.held(), &staff(), &all_time());
    assert_eq!(
        csv.header(),
        [
            "ref",
            "category",
            "colour",
            "grid",
            "status",
            "filed_at",
            "answered_at",
            "resolved_at",
            "on_time",
            "rating",
            "subject",
            "subject_name",
            "flat",
            "phone",
            "filed_by_name"
        ]
    );
    let l = lines(&csv);
    assert_eq!(l.len(), 3);
    let short = DocumentId::from_bytes([1; 16]).short();
    assert_eq!(
        l[1],
        format!(
            "#{short},'=stairwell,red,g07,resolved,2026-05-29 04:26,2026-05-29 05:26,2026-05-29 06:26,yes,5,p-w,王秀英,7-2-301,13800000001,王秀英"
        )
    );
}

#[test]
fn a_grid_worker_sees_the_people_of_their_grids_only() {
    let f = Fixture::new();
    let csv = Register::Requests.build(&f.held(), &grid_worker(), &all_time());
    let l = lines(&csv);
    assert!(
        !l[1].contains("王秀英") && l[1].ends_with(",5,,,,,"),
        "{}",
        l[1]
    );
    assert!(l[2].contains("赵晓松"), "{}", l[2]);
    let patrols = Register::Patrols.build(&f.held(), &grid_worker(), &all_time());
    assert!(patrols.header().contains(&"walked_by".to_string()));
    assert!(!patrols.text().contains("李红梅"));
    let own = Exporter {
        grids: vec!["g07".into()],
        ..grid_worker()
    };
    let patrols = Register::Patrols.build(&f.held(), &own, &all_time());
    assert!(patrols.text().contains("李红梅"));
    // Elders visited are never named.
    assert!(!patrols.text().contains("王秀英"));
}

#[test]
fn a_residents_export_of_any_register_names_nobody_else() {
    let f = Fixture::new();
    let me = resident();
    for r in Register::ALL {
        let csv = r.build(&f.held(), &me, &all_time());
        for other in OTHERS {
            assert!(
                !csv.text().contains(other),
                "{r:?} has {other}: {}",
                csv.text()
            );
        }
    }
    // Their own request keeps their own data.
    let own = Register::Requests.build(&f.held(), &me, &all_time());
    assert!(own.text().contains("赵晓松,3-1-101"));
}

#[test]
fn a_volunteer_exports_their_own_hours_without_others_names() {
    let f = Fixture::new();
    let me = Exporter {
        household: Some("h-c".into()),
        ..Exporter::new("p-c", Role::Volunteer)
    };
    assert!(Register::VolunteerHours.offered_to(&me));
    let csv = Register::VolunteerHours.build(&f.held(), &me, &all_time());
    let l = lines(&csv);
    assert_eq!(l.len(), 3, "{l:?}");
    assert!(l[1].starts_with("陈小雨,youth,南湖中学,2026-06-01,睦邻文化节,120,2.0,yes"));
    assert!(l[2].contains("visit,45,0.8,yes"));
    assert!(!csv.text().contains("张建国") && !csv.text().contains("王秀英"));
    let staff = Register::VolunteerHours.build(&f.held(), &staff(), &all_time());
    assert!(staff.text().contains("张建国,王秀英"));
}

#[test]
fn residents_are_offered_the_public_registers_only() {
    let offered: Vec<Register> = Register::ALL
        .into_iter()
        .filter(|r| r.offered_to(&resident()))
        .collect();
    assert_eq!(
        offered,
        [
            Register::Ledger,
            Register::Projects,
            Register::Events,
            Register::Works,
            Register::Trainings,
            Register::Charters,
            Register::Resources,
            Register::Drawings
        ]
    );
    assert!(Register::ALL.iter().all(|r| r.offered_to(&staff())));
}

#[test]
fn the_ledger_has_spending_negative_and_names_only_for_staff() {
    let f = Fixture::new();
    let csv = Register::Ledger.build(&f.held(), &staff(), &all_time());
    let l = lines(&csv);
    assert_eq!(
        l[0],
        "\u{feff}date,type,amount_yuan,by,project,line,note,receipts"
    );
    assert_eq!(l.len(), 4);
    assert_eq!(
        l[3],
        "2026-05-31,spending,-12.34,王秀英,楼道美术馆,画框,\"'-画框, 两个\","
    );
    let csv = Register::Ledger.build(&f.held(), &resident(), &all_time());
    assert_eq!(
        lines(&csv)[3],
        "2026-05-31,spending,-12.34,楼道美术馆,画框,\"'-画框, 两个\","
    );
    let projects = Register::Projects.build(&f.held(), &resident(), &all_time());
    assert_eq!(
        lines(&projects)[1],
        "楼道美术馆,5000.00,0.00,12.34,0.00,4987.66,,,false"
    );
}

#[test]
fn events_count_attendance_and_name_attendees_for_staff() {
    let f = Fixture::new();
    let csv = Register::Events.build(&f.held(), &staff(), &all_time());
    let l = lines(&csv);
    assert!(
        l[1].starts_with("2026-06-01,睦邻文化节,festival,2026-06-01 04:26,2026-06-01 06:26,中心广场,50,3,0,0,2,0,2.0,"),
        "{}",
        l[1]
    );
    assert!(l[1].ends_with("陈小雨; 王秀英"), "{}", l[1]);
}

#[test]
fn talks_list_the_sides_present_and_the_decisions() {
    let f = Fixture::new();
    let csv = Register::Talks.build(&f.held(), &staff(), &all_time());
    assert_eq!(
        lines(&csv)[1],
        "2026-06-03,会议室,residents_committee; property_company,7号楼屋顶漏水,\"物业维修, 月底前完成\",10000.00,,联系施工队 (done),1/1,刘志强"
    );
}

#[test]
fn the_period_and_the_scope_narrow_the_rows() {
    let f = Fixture::new();
    let june = Filter {
        from: shanghai_midnight(2026, 6, 1),
        to: shanghai_midnight(2026, 7, 1),
        grid: None,
    };
    let held = f.held();
    assert_eq!(Register::Requests.build(&held, &staff(), &june).rows(), 0);
    assert_eq!(Register::Talks.build(&held, &staff(), &june).rows(), 1);
    assert_eq!(Register::Patrols.build(&held, &staff(), &june).rows(), 1);
    // A work finished in the period counts; one finished before it does not.
    assert_eq!(Register::Works.build(&held, &staff(), &june).rows(), 1);
    let july = Filter {
        from: shanghai_midnight(2026, 7, 1),
        to: shanghai_midnight(2026, 8, 1),
        grid: None,
    };
    assert_eq!(Register::Works.build(&held, &staff(), &july).rows(), 0);
    let g03 = Filter {
        grid: Some("g03".into()),
        ..all_time()
    };
    let csv = Register::Requests.build(&held, &staff(), &g03);
    assert_eq!(csv.rows(), 1);
    assert!(csv.text().contains("赵晓松"));
    assert_eq!(Register::Sorting.build(&held, &staff(), &g03).rows(), 0);
    assert_eq!(Register::Merchants.build(&held, &staff(), &g03).rows(), 0);
}

#[test]
fn inspections_and_merchant_credit_carry_flats_and_inspectors_for_the_grid() {
    let f = Fixture::new();
    let sorting = Register::Sorting.build(&f.held(), &staff(), &all_time());
    assert!(
        lines(&sorting)[1].ends_with("mixed,no,yes,7-2-301,李红梅"),
        "{}",
        lines(&sorting)[1]
    );
    let shops = Register::Merchants.build(&f.held(), &staff(), &all_time());
    assert_eq!(
        lines(&shops)[1],
        "好邻居便利店,g07,2026-06-02,-5,门前堆放纸箱,95,no,李红梅"
    );
    let works = Register::Works.build(&f.held(), &resident(), &all_time());
    assert_eq!(
        lines(&works)[1],
        "7号楼屋顶防水,leak,7号楼,g07,10000.00,'@防水公司,done,2026-05-30,2026-06-08,1"
    );
}

#[test]
fn the_indicators_register_has_a_row_per_indicator_from_the_index_of_its_scope() {
    use crate::domain::Summary;
    use crate::domain::requests::RequestSummary;
    use crate::indicators::{Builder, Scope};
    let f = Fixture::new();
    let mut b = Builder::new(Scope::Community, NOW);
    for (id, r) in &f.requests {
        b.add(id, &Summary::Request(RequestSummary { request: r.clone() }));
    }
    let index = b.finish();
    let held = Held {
        indicators: &[&index],
        ..f.held()
    };
    let csv = Register::Indicators.build(&held, &grid_worker(), &all_time());
    let lines = lines(&csv);
    assert_eq!(lines.len(), 31, "a header and the 30");
    assert!(lines[0].starts_with("\u{feff}id,group,indicator_zh,indicator_en,scope,from,to,value"));
    assert!(lines[1].starts_with("1,response,受理量,Requests received,community,"));
    assert!(Register::Indicators.offered_to(&grid_worker()));
    assert!(!Register::Indicators.offered_to(&resident()));
    // Without an index (nothing computed yet) the file is its header only.
    assert_eq!(
        lines_of(Register::Indicators.build(&f.held(), &staff(), &all_time())),
        1
    );
}

fn lines_of(csv: Csv) -> usize {
    lines(&csv).len()
}

#[test]
fn field_notes_name_their_author_for_staff_and_grid_workers_and_reach_no_resident() {
    let f = Fixture::new();
    let csv = Register::Notes.build(&f.held(), &staff(), &all_time());
    assert_eq!(
        csv.header(),
        [
            "observed", "title", "place", "tags", "talk", "request", "case", "text", "author"
        ]
    );
    let l = lines(&csv);
    assert_eq!(l.len(), 2);
    assert!(
        l[1].ends_with(
            ",独居老人 设施改造,,r-1,C07,\"王秀英说晚上下楼看不清台阶, 想请物业装感应灯\",李红梅"
        ),
        "{}",
        l[1]
    );
    assert!(Register::Notes.personal(&grid_worker()));
    let gw = Register::Notes.build(&f.held(), &grid_worker(), &all_time());
    assert!(gw.text().contains("李红梅"));
    // A volunteer's file: her own notes (all her phone holds), no author column.
    let vol = Exporter::new("p-l", Role::Volunteer);
    assert!(Register::Notes.offered_to(&vol) && !Register::Notes.personal(&vol));
    let own = Register::Notes.build(&f.held(), &vol, &all_time());
    assert!(!own.header().contains(&"author".to_string()));
    assert_eq!(own.rows(), 1);
    // Never offered to a resident, and empty even if her phone held one.
    assert!(!Register::Notes.offered_to(&resident()));
    assert_eq!(
        Register::Notes
            .build(&f.held(), &resident(), &all_time())
            .rows(),
        0
    );
    // Notes belong to no grid: a grid's export has none.
    let grid = Filter {
        grid: Some("g07".into()),
        ..all_time()
    };
    assert_eq!(Register::Notes.build(&f.held(), &staff(), &grid).rows(), 0);
}

#[test]
fn trainings_give_counts_to_everyone_and_names_to_staff_only() {
    let f = Fixture::new();
    let csv = Register::Trainings.build(&f.held(), &staff(), &all_time());
    assert_eq!(csv.rows(), 1);
    let h = csv.header();
    assert_eq!(h.last().map(String::as_str), Some("attended_by"));
    assert!(
        csv.text()
            .contains("meeting_rules,role_play,张亦鸣,嘉兴市业委会专家")
    );
    // One seat: 王秀英 seated and present, 赵晓松 waiting (not a participant).
    assert!(
        csv.text().contains(",1,1,1,王秀英,王秀英\r\n"),
        "{}",
        csv.text()
    );
    assert!(Register::Trainings.offered_to(&resident()));
    assert!(!Register::Trainings.personal(&resident()));
    let public = Register::Trainings.build(&f.held(), &resident(), &all_time());
    assert_eq!(public.rows(), 1);
    assert!(!public.header().iter().any(|c| c == "participants"));
    assert!(!public.text().contains("王秀英") && !public.text().contains("p-w"));
    let grid = Filter {
        grid: Some("g07".into()),
        ..all_time()
    };
    assert_eq!(
        Register::Trainings.build(&f.held(), &staff(), &grid).rows(),
        0
    );
}

fn charter() -> crate::domain::charter::Charter {
    use crate::domain::charter::{Charter, Version};
    let version = |id: &str, text: &str, at: Millis, decision: &str| Version {
        id: id.into(),
        text: text.into(),
        adopted_at: at,
        talk: String::new(),
        item: String::new(),
        decision: decision.into(),
        by: "p-x".into(),
        by_name: "张建国".into(),
    };
    Charter {
        title: "水榭花都社区公约".into(),
        created_at: T0,
        versions: vec![
            version("v1", "第一条 邻里和睦。", T0, "四方会谈通过"),
            version("v2", "第一条 邻里和睦，有事好商量。", T0 + 3 * DAY, "修订"),
        ],
    }
}

#[test]
fn the_charter_has_a_row_per_version_the_last_in_force_and_the_recorder_only_for_staff() {
    let f = Fixture::new();
    let csv = Register::Charters.build(&f.held(), &staff(), &all_time());
    assert_eq!(csv.rows(), 2);
    assert_eq!(csv.header().last().map(String::as_str), Some("recorded_by"));
    let text = csv.text();
    assert!(
        text.contains(",水榭花都社区公约,1,no,四方会谈通过,第一条 邻里和睦。,张建国"),
        "{text}"
    );
    assert!(text.contains(",水榭花都社区公约,2,yes,修订,"), "{text}");
    assert!(Register::Charters.offered_to(&resident()));
    assert!(!Register::Charters.personal(&resident()));
    let public = Register::Charters.build(&f.held(), &resident(), &all_time());
    assert_eq!(public.rows(), 2);
    assert!(!public.text().contains("张建国"));
    // Nothing for one grid: the rules are the whole community's.
    let grid = Filter {
        grid: Some("g07".into()),
        ..all_time()
    };
    assert_eq!(
        Register::Charters.build(&f.held(), &staff(), &grid).rows(),
        0
    );
    // A period that holds only the revision.
    let later = Filter {
        from: T0 + DAY,
        ..all_time()
    };
    assert_eq!(
        Register::Charters.build(&f.held(), &staff(), &later).rows(),
        1
    );
}

fn resources() -> Vec<crate::domain::resource::Resource> {
    use crate::domain::resource::{ResourceCommand, ResourceDraft, ResourceType};
    let make = |draft: ResourceDraft, by: &str, by_name: &str, withdraw: bool| {
        let mut d = automerge::Automerge::new();
        ResourceCommand::Create {
            draft: Box::new(draft),
            by: by.into(),
            by_name: by_name.into(),
        }
        .apply(&mut d, T0)
        .unwrap();
        if withdraw {
            ResourceCommand::Withdraw { by: by.into() }
                .apply(&mut d, T0 + DAY)
                .unwrap();
        }
        crate::domain::resource::Resource::read(&d).unwrap()
    };
    vec![
        make(
            ResourceDraft {
                rtype: Some(ResourceType::Space),
                name: "睦邻客厅".into(),
                building: "7号楼".into(),
                grid: "g07".into(),
                ..ResourceDraft::default()
            },
            "p-x",
            "张建国",
            false,
        ),
        make(
            ResourceDraft {
                rtype: Some(ResourceType::Talent),
                name: "书画教学".into(),
                grid: "g07".into(),
                consent: true,
                ..ResourceDraft::default()
            },
            "p-w",
            "王秀英",
            false,
        ),
        make(
            ResourceDraft {
                rtype: Some(ResourceType::Talent),
                name: "修手机".into(),
                grid: "g03".into(),
                consent: true,
                ..ResourceDraft::default()
            },
            "p-z",
            "赵晓松",
            true,
        ),
    ]
}

#[test]
fn the_resources_register_names_contacts_and_withdrawn_talents_only_for_staff() {
    let f = Fixture::new();
    let all = Filter::last_year(NOW);
    let staff_csv = Register::Resources.build(&f.held(), &staff(), &all);
    assert_eq!(staff_csv.rows(), 3, "{}", staff_csv.text());
    assert!(staff_csv.header().contains(&"contact".to_string()));
    assert!(
        staff_csv.text().contains("13800000001"),
        "王秀英's phone, from her record"
    );
    assert!(
        staff_csv.text().contains("修手机"),
        "staff keep the withdrawn one"
    );
    let resident = Exporter::new("p-w", Role::Resident);
    assert!(Register::Resources.offered_to(&resident));
    let csv = Register::Resources.build(&f.held(), &resident, &all);
    assert_eq!(csv.rows(), 2, "{}", csv.text());
    assert!(!csv.header().contains(&"contact".to_string()));
    assert!(!csv.text().contains("13800000001") && !csv.text().contains("修手机"));
    assert!(!Register::Resources.personal(&resident));
}

fn drawing() -> crate::domain::drawing::Drawing {
    use crate::domain::drawing::{Drawing, Status};
    Drawing {
        nickname: "朵朵".into(),
        age: 8,
        school: "嘉禾路小学".into(),
        title: "会发光的楼道".into(),
        proposes: "楼道里装上感应灯".into(),
        place: "7号楼".into(),
        photo: None,
        guardian: "p-w".into(),
        guardian_name: "王秀英".into(),
        household: "h-w".into(),
        consent_at: T0,
        publish: true,
        collected_by: "p-x".into(),
        collected_by_name: "张建国".into(),
        created_at: T0,
        status: Status::Adopted,
        works: "w-1".into(),
        review_note: String::new(),
        shown: true,
        withdrawn_at: None,
    }
}

#[test]
fn drawings_give_status_and_works_to_everyone_and_the_guardian_to_staff_only() {
    let f = Fixture::new();
    let csv = Register::Drawings.build(&f.held(), &staff(), &all_time());
    assert_eq!(csv.rows(), 1);
    assert!(
        csv.text().contains(",adopted,w-1,yes,王秀英,"),
        "{}",
        csv.text()
    );
    assert!(Register::Drawings.offered_to(&resident()));
    assert!(!Register::Drawings.personal(&resident()));
    let family = Register::Drawings.build(&f.held(), &resident(), &all_time());
    assert_eq!(family.rows(), 1);
    assert!(!family.header().iter().any(|c| c == "guardian"));
    assert!(!family.text().contains("王秀英") && !family.text().contains("p-w"));
    assert!(family.text().contains("朵朵,8,"));
}
