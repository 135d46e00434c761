//! The benchmark community (`--demo-scale N`): five years of a community of N residents,
//! generated deterministically (same ids, people, texts and times for the same N), about 2.5
//! requests per resident over the five years, as the benchmarks' "five years at district
//! scale" (20,000 residents give about 50,000 requests).
//!
//! People live in households of one to four in 18 grids; every resident has a person
//! document; each grid has a grid worker; requests follow the real lifecycle (accepted,
//! answered, resolved, rated, a few reopened), and those of the last two weeks are still in
//! every state. Each grid has its team (iron triangle) and five years of patrol logs
//! (`patrols`); five years of weekly four-party talks (`talks`) with their representatives.
//!
//! Invites (reusable): `GRDWRK57` is the grid worker of grid 7, `STAFFBG2` a staff member.

use linli_shared::domain::grid::Position;
use linli_shared::domain::people::Person;
use linli_shared::domain::requests::{Colour, EventKind, Filing, RequestDraft, Status};
use linli_shared::policy::Role;
use linli_shared::time::{DAY, HOUR, MINUTE, Millis};

use super::patrols::{Elder, Seat};
use super::requests::DEMO_REQUESTS;
use super::{Rng, SeedError, household_of};
use crate::hub::HubCtx;
use crate::identity::{self, Invite, PersonRecord};

/// The generated history ends here: 2026-11-01 00:00 Asia/Shanghai.
pub const END: Millis = 1_793_462_400_000;
pub const YEARS: i64 = 5;
pub const GRIDS: usize = 18;
pub const GRID_WORKER_CODE: &str = "GRDWRK57";
pub const STAFF_CODE: &str = "STAFFBG2";

struct Resident {
    id: String,
    name: String,
    grid: String,
    household: String,
    flat: String,
    lives_alone: bool,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: &[&str] = &[
    "秀英", "桂兰", "志强", "美华", "国平", "丽娟", "建华", "秀珍", "海燕", "德胜", "玉梅", "晓东",
    "文静", "子涵", "浩然", "雨萱", "建国", "淑芬", "明辉", "佳怡",
];

/// Seeds the community: people, grid workers, staff, and five years of requests.
pub fn seed(ctx: &mut HubCtx<'_>, residents: u32) -> Result<(), SeedError> {
    let mut rng = Rng(0x4C49_4E4C_4931_u64 ^ u64::from(residents));
    let salt = [0x5a; 16];
    let mut people: Vec<Resident> = Vec::with_capacity(residents as usize);
    let mut flat_no = 0u32;
    while people.len() < residents as usize {
        // A household of one to four; households go round the 36 buildings (two a grid), so
        // every grid has people at any size; a building has units of 6 floors, 3 flats each.
        let size = 1 + rng.below(4) as usize;
        let buildings = GRIDS as u32 * 2;
        let building = 1 + flat_no % buildings;
        let k = flat_no / buildings;
        let flat = format!(
            "{}-{}-{}{:02}",
            building,
            1 + k / 18,
            1 + (k % 18) / 3,
            1 + k % 3
        );
        let grid = format!("g{:02}", 1 + (building - 1) / 2);
        let household = household_of(&salt, &format!("{flat_no}:{flat}"));
        for _ in 0..size.min(residents as usize - people.len()) {
            let n = people.len();
            let name = format!(
                "{}{}",
                SURNAMES[rng.below(SURNAMES.len() as u64) as usize],
                GIVEN[rng.below(GIVEN.len() as u64) as usize]
            );
            let person = Person {
                id: format!("p-s{n:06}"),
                name: name.clone(),
                phone: format!(
                    "13{} {:04} {:04}",
                    rng.below(10),
                    rng.below(10_000),
                    n % 10_000
                ),
                flat: flat.clone(),
                birth_year: Some(1935 + rng.below(70) as i64),
                lives_alone: size == 1 && rng.below(3) == 0,
                household: household.clone(),
                grid: grid.clone(),
            };
            let doc = rng.id();
            let outs = ctx
                .relay
                .local_change(ctx.store, doc, |d| person.create(d))?;
            ctx.emit(outs);
            identity::put_person(
                ctx.store,
                &PersonRecord {
                    id: person.id.clone(),
                    role: Role::Resident,
                    household: Some(household.clone()),
                    grids: Vec::new(),
                    person_doc: Some(doc.to_string()),
                    erased: false,
                },
            )?;
            people.push(Resident {
                id: person.id,
                name,
                grid: grid.clone(),
                household: household.clone(),
                flat: flat.clone(),
                lives_alone: person.lives_alone,
            });
        }
        flat_no += 1;
    }
    // One grid worker per grid, and staff.
    for g in 1..=GRIDS {
        let person = Person {
            id: format!("p-gw{g:02}"),
            name: format!("第{g}网格网格员"),
            phone: format!("0573-8288 {:04}", 1000 + g),
            flat: String::new(),
            birth_year: None,
            lives_alone: false,
            household: String::new(),
            grid: String::new(),
        };
        let doc = rng.id();
        let outs = ctx
            .relay
            .local_change(ctx.store, doc, |d| person.create(d))?;
        ctx.emit(outs);
        identity::put_person(
            ctx.store,
            &PersonRecord {
                id: person.id,
                role: Role::GridWorker,
                household: None,
                grids: vec![format!("g{g:02}")],
                person_doc: Some(doc.to_string()),
                erased: false,
            },
        )?;
    }
    identity::put_person(
        ctx.store,
        &PersonRecord {
            id: "p-staff-bench".into(),
            role: Role::Staff,
            household: None,
            grids: Vec::new(),
            person_doc: None,
            erased: false,
        },
    )?;
    for (code, person) in [(GRID_WORKER_CODE, "p-gw07"), (STAFF_CODE, "p-staff-bench")] {
        identity::put_invite(
            ctx.store,
            &Invite {
                code: code.into(),
                person: person.into(),
                expires_at: ctx.now + 3650 * DAY,
                used_at: None,
                used_by: None,
                reusable: true,
                created_by: "demo-scale".into(),
                created_at: ctx.now,
            },
        )?;
    }
    // The parties' representatives and five years of weekly talks.
    super::talks::seed_reps(ctx, &mut || rng.id(), &|flat| household_of(&salt, flat))?;
    super::talks::seed_series(ctx, rng.id())?;
    super::talks::seed_talks(ctx, &mut || rng.id(), END, YEARS * 52, None)?;
    // Owners' votes: two a year, each over one building's flats.
    let mut vote_rng = Rng(rng.next());
    super::votes::seed_scale(ctx, &mut || rng.id(), YEARS, END, &mut vote_rng)?;
    // Requests, oldest first, evenly over five years.
    let total = u64::from(residents) * 5 / 2;
    let span = YEARS * 365 * DAY;
    for i in 0..total {
        let filed_at =
            END - span + (i as i64 * span) / total as i64 + rng.below(HOUR as u64) as i64;
        let r = &people[rng.below(people.len() as u64) as usize];
        let (category, colour, title, description) =
            DEMO_REQUESTS[rng.below(DEMO_REQUESTS.len() as u64) as usize];
        let draft = RequestDraft {
            title: title.into(),
            description: description.into(),
            category: category.into(),
            colour: Some(colour),
            grid: r.grid.clone(),
            photos: Vec::new(),
        };
        let filing = Filing {
            filed_by: r.id.clone(),
            subject: r.id.clone(),
            household: r.household.clone(),
        };
        let worker = format!("p-gw{}", &r.grid[1..]);
        let worker_name = format!("第{}网格网格员", r.grid[1..].trim_start_matches('0'));
        // Recent requests are still on their way; older ones went the whole way.
        let age = END - filed_at;
        let stage = if age < 14 * DAY { rng.below(5) } else { 4 };
        let answer_after = match colour {
            Colour::Red => 2 * HOUR + rng.below(40 * HOUR as u64) as i64,
            Colour::Yellow => 6 * HOUR + rng.below(110 * HOUR as u64) as i64,
            Colour::Blue => DAY + rng.below(13 * DAY as u64) as i64,
        };
        let stars = [5u8, 5, 4, 4, 5, 3, 5, 4, 2, 5][rng.below(10) as usize];
        let rated = rng.below(10) < 8;
        let id = rng.id();
        let outs = ctx.relay.local_change(ctx.store, id, |doc| {
            linli_shared::domain::requests::file_request_named(
                doc, &draft, &filing, &r.name, filed_at,
            )?;
            let step = |doc: &mut _, at: Millis, kind: EventKind| {
                linli_shared::domain::requests::append_event_named(
                    doc,
                    &worker,
                    &worker_name,
                    at,
                    kind,
                )
            };
            if stage >= 1 {
                let to = Status::Accepted;
                step(doc, filed_at + 30 * MINUTE, EventKind::Status { to })?;
            }
            if stage >= 2 {
                let to = Status::InProgress;
                step(doc, filed_at + HOUR, EventKind::Status { to })?;
            }
            if stage >= 3 {
                let text = "已联系物业安排处理，完成后请查看。".into();
                let kind = EventKind::Answer {
                    text,
                    substantive: true,
                };
                step(doc, filed_at + answer_after, kind)?;
            }
            if stage >= 4 {
                let to = Status::Resolved;
                step(doc, filed_at + answer_after + DAY, EventKind::Status { to })?;
                if rated {
                    let kind = EventKind::Rate {
                        stars,
                        comment: if stars >= 4 {
                            "谢谢！"
                        } else {
                            "还有问题。"
                        }
                        .into(),
                    };
                    linli_shared::domain::requests::append_event_named(
                        doc,
                        &r.id,
                        &r.name,
                        filed_at + answer_after + 2 * DAY,
                        kind,
                    )?;
                }
            }
            Ok(())
        })?;
        ctx.emit(outs);
    }
    // Each grid's team (its first three residents who do not live alone) and five years of
    // patrols, 213 micro pain points a year.
    let positions = [
        Position::BuildingLeader,
        Position::PartyMember,
        Position::Steward,
    ];
    let mut seats = Vec::new();
    for g in 1..=GRIDS {
        let grid = format!("g{g:02}");
        let here = people.iter().filter(|r| r.grid == grid && !r.lives_alone);
        for (position, r) in positions.into_iter().zip(here) {
            seats.push(Seat {
                grid: grid.clone(),
                position,
                person: r.id.clone(),
                name: r.name.clone(),
            });
        }
    }
    let elders: Vec<Elder> = people
        .iter()
        .filter(|r| r.lives_alone)
        .map(|r| Elder {
            grid: r.grid.clone(),
            name: r.name.clone(),
            flat: r.flat.clone(),
        })
        .collect();
    super::patrols::seed(
        ctx,
        GRIDS,
        &seats,
        &elders,
        END - span,
        END,
        213 * YEARS as u64,
        &mut rng,
        &mut Rng::id,
    )?;
    // Five years of garbage-sorting inspections, each grid's worker reminding the households.
    let homes: Vec<super::sorting::Home> = people
        .iter()
        .map(|r| super::sorting::Home {
            grid: r.grid.clone(),
            household: r.household.clone(),
            flat: r.flat.clone(),
        })
        .collect();
    let workers: Vec<(String, String, String)> = (1..=GRIDS)
        .map(|g| {
            (
                format!("g{g:02}"),
                format!("p-gw{g:02}"),
                format!("第{g}网格网格员"),
            )
        })
        .collect();
    let all: Vec<usize> = (1..=GRIDS).collect();
    super::sorting::seed(
        ctx,
        &all,
        &seats,
        &workers,
        &homes,
        None,
        (END - span, END),
        (END - span, END),
        &mut rng,
        &mut Rng::id,
    )?;
    // Five years of facility works, each grid's worker recording progress.
    super::works::seed(
        ctx,
        GRIDS,
        ("p-staff-bench", ""),
        &workers,
        YEARS,
        END,
        false,
        &mut rng,
        &mut Rng::id,
    )?;
    // Field notes: the practice year's 38 a year, by the grids' workers and staff.
    super::notes::seed_scale(ctx, ("p-staff-bench", ""), &workers, YEARS, END, &mut rng)?;
    // The governance school: the year's ten sessions every year, among the residents.
    let learners: Vec<String> = people.iter().map(|r| r.id.clone()).collect();
    super::school::seed_scale(ctx, ("p-staff-bench", ""), &learners, YEARS, END, &mut rng)?;
    // Charter and rules: the nine adopted in the first year, the charter revised every year.
    super::charters::seed_scale(ctx, ("p-staff-bench", ""), YEARS, END, &mut rng)?;
    // The community's own cases: one written up a year.
    super::cases::seed_scale(ctx, ("p-staff-bench", ""), YEARS, END, &mut rng)?;
    // Children's drawings: a school event's worth a year (about one drawing per 100
    // residents, a few adopted), guardians among the residents, no pictures.
    let parents: Vec<super::drawings::Parent> = people
        .iter()
        .filter(|r| !r.lives_alone)
        .map(|r| (r.id.clone(), r.name.clone(), r.household.clone()))
        .collect();
    let per_year = (people.len() / 100).clamp(10, 150);
    for year in 0..YEARS {
        super::drawings::seed(
            ctx,
            &parents,
            ("p-staff-bench", ""),
            per_year,
            per_year / 15,
            0,
            END - year * 365 * DAY,
            false,
            &mut rng,
            &mut Rng::id,
        )?;
    }
    // Merchant credit: a shop for every 500 residents (10 to 30), inspected about once a
    // month for the five years by their grid's team and grid worker.
    let mut inspectors: Vec<super::merchants::Inspector> = seats
        .iter()
        .map(|s| super::merchants::Inspector {
            grid: s.grid.clone(),
            person: s.person.clone(),
            name: s.name.clone(),
        })
        .collect();
    for g in 1..=GRIDS {
        inspectors.push(super::merchants::Inspector {
            grid: format!("g{g:02}"),
            person: format!("p-gw{g:02}"),
            name: format!("第{g}网格网格员"),
        });
    }
    let shops = (people.len() / 500).clamp(10, 30);
    super::merchants::seed(
        ctx,
        &super::merchants::scale_shops(shops, GRIDS),
        &inspectors,
        END - span,
        END,
        1,
        None,
        &mut rng,
        &mut Rng::id,
    )?;
    // Micro-grants: the fund with its funded projects, led by residents.
    let leaders: Vec<(String, String)> = people
        .iter()
        .step_by((people.len() / 40).max(1))
        .take(40)
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    if leaders.len() >= 4 {
        super::grants::seed_grants(ctx, &leaders, ("p-staff-bench", ""), None)?;
    }
    // Events: a festival a month for the five years (60 at most), each with its sign-ups
    // from a stride of at most 400 residents, a few volunteers, and attendance.
    let neighbours: Vec<super::events::Neighbour> = people
        .iter()
        .step_by((people.len() / 400).max(1))
        .take(400)
        .map(|r| super::events::Neighbour {
            person: r.id.clone(),
            name: r.name.clone(),
            household: r.household.clone(),
        })
        .collect();
    if neighbours.len() >= 10 {
        let (volunteers, attendees) = neighbours.split_at(4);
        super::events::seed_monthly(
            ctx,
            attendees,
            volunteers,
            ("p-staff-bench", ""),
            END - span,
            END,
            60,
            &mut rng,
            &mut Rng::id,
        )?;
        // Their records: a volunteer each, two entries a month over the five years (at
        // most 120 each), for the elders among the first neighbours.
        let elders: Vec<String> = attendees
            .iter()
            .take(20)
            .map(|n| n.person.clone())
            .collect();
        let helpers: Vec<super::volunteers::Helper> = volunteers
            .iter()
            .map(|v| super::volunteers::Helper {
                person: v.person.clone(),
                name: v.name.clone(),
                age_group: linli_shared::domain::volunteer::AgeGroup::Youth,
                organisation: "志愿服务队".into(),
                skills: "陪聊、代办",
                availability: "周末",
                per_month: 2,
            })
            .collect();
        super::volunteers::seed(
            ctx,
            &helpers,
            &elders,
            ("p-staff-bench", ""),
            END - span,
            END,
            &mut rng,
            &mut Rng::id,
        )?;
    }
    // Self-governing groups: one for every 400 residents (12 to 40), with members from
    // their neighbours and a meeting a month for the five years.
    let members: Vec<super::groups::Neighbour> = people
        .iter()
        .step_by((people.len() / 400).max(1))
        .map(|r| super::groups::Neighbour {
            id: r.id.clone(),
            name: r.name.clone(),
            grid: r.grid.clone(),
        })
        .collect();
    super::groups::seed(
        ctx,
        (people.len() / 400).clamp(12, 40),
        &members,
        ("p-staff-bench", ""),
        (END - span, END),
        &mut rng,
        &mut Rng::id,
    )?;
    // The roadmap: a plan per year of the five, each linking that year's documents.
    super::roadmap::seed_scale(ctx, ("p-staff-bench", ""), YEARS, END, &mut || rng.id())?;
    // The resource map: the plan of the grids, the places, and eight residents' talents.
    let talents: Vec<(String, String, String)> = people
        .iter()
        .filter(|r| !r.flat.is_empty())
        .step_by((people.len() / 8).max(1))
        .take(8)
        .map(|r| {
            let b = format!("{}号楼", r.flat.split('-').next().unwrap_or_default());
            (r.id.clone(), r.name.clone(), b)
        })
        .collect();
    super::resources::seed_scale(ctx, ("p-staff-bench", ""), &talents, END, &mut || rng.id())?;
    Ok(())
}
