//! The demo community 水榭花都 (`--demo`), built from the seed article's figures: 18 grids,
//! residents, a volunteer, grid workers, staff, and requests of all three colours in several
//! states; and its ready-made people, each with a reusable invite code.

use linli_shared::domain::grid::Position;
use linli_shared::domain::people::Person;
use linli_shared::domain::requests::{Colour, EventKind, Filing, RequestDraft, Status};
use linli_shared::ids::DocumentId;
use linli_shared::policy::Role;
use linli_shared::store::{Store, key};
use linli_shared::time::{DAY, HOUR, MINUTE, Millis};
use serde::Serialize;

use super::patrols::{Elder, Seat};
use super::requests::DEMO_REQUESTS;
use super::{Rng, SeedError, household_of, new_id};
use crate::hub::HubCtx;
use crate::identity::{self, Invite, PersonRecord};

/// One of the demo community's ready-made people, with a reusable invite code.
#[derive(Debug, Clone, Serialize)]
pub struct Persona {
    pub code: &'static str,
    pub person: &'static str,
    pub role: Role,
    pub name: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

pub fn personas() -> Vec<Persona> {
    vec![
        Persona {
            code: "WANGXY72",
            person: "p-wang",
            role: Role::Resident,
            name: "王秀英",
            zh: "居民 · 72岁独居 · 7号楼",
            en: "Resident · 72, lives alone · building 7",
        },
        Persona {
            code: "ZHAXS3R5",
            person: "p-zhao",
            role: Role::Resident,
            name: "赵晓松",
            zh: "居民 · 3号楼 · 第3网格楼组长",
            en: "Resident · building 3 · building leader of grid 3",
        },
        Persona {
            code: "CHENXY25",
            person: "p-chen",
            role: Role::Volunteer,
            name: "陈小雨",
            zh: "青少年志愿者 · 代际数字桥梁",
            en: "Youth volunteer · digital bridge",
        },
        Persona {
            code: "GRDWRK78",
            person: "p-li",
            role: Role::GridWorker,
            name: "李红梅",
            zh: "网格员 · 第7、8网格",
            en: "Grid worker · grids 7 and 8",
        },
        Persona {
            code: "STAFFZH2",
            person: "p-zhang",
            role: Role::Staff,
            name: "张建国",
            zh: "社区工作者 · 居委会",
            en: "Community staff · residents' committee",
        },
    ]
}

struct Resident {
    id: String,
    name: String,
    phone: String,
    flat: String,
    birth_year: i64,
    lives_alone: bool,
    grid: String,
}

fn demo_residents() -> Vec<Resident> {
    let mut out = vec![
        Resident {
            id: "p-wang".into(),
            name: "王秀英".into(),
            phone: "138 0573 2201".into(),
            flat: "7-2-301".into(),
            birth_year: 1954,
            lives_alone: true,
            grid: "g07".into(),
        },
        Resident {
            id: "p-zhao".into(),
            name: "赵晓松".into(),
            phone: "139 0573 8812".into(),
            flat: "3-1-502".into(),
            birth_year: 1989,
            lives_alone: false,
            grid: "g03".into(),
        },
    ];
    let surnames = [
        "刘", "孙", "周", "吴", "郑", "冯", "褚", "卫", "蒋", "沈", "韩", "杨",
    ];
    let given = [
        "桂兰", "志强", "美华", "国平", "丽娟", "建华", "秀珍", "海燕", "德胜", "玉梅",
    ];
    for i in 0..60usize {
        let building = 1 + (i * 7) % 36;
        let grid = 1 + (building - 1) / 2;
        out.push(Resident {
            id: format!("p-r{i:03}"),
            name: format!(
                "{}{}",
                surnames[i % surnames.len()],
                given[(i / 3) % given.len()]
            ),
            phone: format!("13{} 0573 {:04}", 5 + i % 5, 1000 + i * 37),
            flat: format!("{}-{}-{}0{}", building, 1 + i % 3, 1 + i % 6, 1 + i % 4),
            birth_year: 1940 + (i as i64 * 13) % 60,
            lives_alone: i % 7 == 0,
            grid: format!("g{grid:02}"),
        });
    }
    out
}

pub(super) fn seed_demo(ctx: &mut HubCtx<'_>) -> Result<(), SeedError> {
    let now = ctx.now;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("OS randomness");
    let household_of = |flat: &str| household_of(&salt, flat);
    let residents = demo_residents();
    let mut person_docs: Vec<DocumentId> = Vec::with_capacity(residents.len());
    // People: relay records and person documents (personal data).
    for r in &residents {
        let doc = new_id();
        person_docs.push(doc);
        let person = Person {
            id: r.id.clone(),
            name: r.name.clone(),
            phone: r.phone.clone(),
            flat: r.flat.clone(),
            birth_year: Some(r.birth_year),
            lives_alone: r.lives_alone,
            household: household_of(&r.flat),
            grid: r.grid.clone(),
        };
        let outs = ctx
            .relay
            .local_change(ctx.store, doc, |d| person.create(d))?;
        ctx.emit(outs);
        identity::put_person(
            ctx.store,
            &PersonRecord {
                id: r.id.clone(),
                role: Role::Resident,
                household: Some(household_of(&r.flat)),
                grids: Vec::new(),
                person_doc: Some(doc.to_string()),
                erased: false,
            },
        )?;
    }
    // The other personas: a volunteer (with a household of her own), a grid worker, staff.
    // The other personas: a volunteer (with a household of her own), a grid worker, staff;
    // each with a record of their own (name and phone), so others see who they are.
    let others = [
        (
            "p-chen",
            Role::Volunteer,
            "陈小雨",
            "12-1-201",
            "g06",
            vec![],
        ),
        (
            "p-li",
            Role::GridWorker,
            "李红梅",
            "",
            "",
            vec!["g07".to_string(), "g08".to_string()],
        ),
        ("p-zhang", Role::Staff, "张建国", "", "", vec![]),
    ];
    for (id, role, name, flat, grid, grids) in others {
        let household = (!flat.is_empty()).then(|| household_of(flat));
        let doc = new_id();
        let person = Person {
            id: id.into(),
            name: name.into(),
            phone: "0573-8288 0000".into(),
            flat: flat.into(),
            birth_year: None,
            lives_alone: false,
            household: household.clone().unwrap_or_default(),
            grid: grid.into(),
        };
        let outs = ctx
            .relay
            .local_change(ctx.store, doc, |d| person.create(d))?;
        ctx.emit(outs);
        identity::put_person(
            ctx.store,
            &PersonRecord {
                id: id.into(),
                role,
                household,
                grids,
                person_doc: Some(doc.to_string()),
                erased: false,
            },
        )?;
    }
    // The parties' representatives at the four-party talks: each has a reusable invite
    // (typed in, not among the personas of the first screen; README lists them).
    super::talks::seed_reps(ctx, &mut new_id, &household_of)?;
    let rep_codes = super::talks::REPS.iter().map(|r| (r.code, r.id));
    let codes: Vec<(&str, &str)> = personas()
        .iter()
        .map(|p| (p.code, p.person))
        .chain(rep_codes)
        .collect();
    for (code, person) in codes {
        identity::put_invite(
            ctx.store,
            &Invite {
                code: code.into(),
                person: person.into(),
                expires_at: now + 3650 * DAY,
                used_at: None,
                used_by: None,
                reusable: true,
                created_by: "demo".into(),
                created_at: now,
            },
        )?;
    }
    // Requests: spread over grids, colours and states; some answered in time, some overdue.
    let this_year = i64::from(linli_shared::time::LocalDateTime::shanghai(now).year);
    let mut follows: Vec<(DocumentId, String)> = Vec::new();
    for (i, (category, colour, title, description)) in
        DEMO_REQUESTS.iter().cycle().take(42).enumerate()
    {
        let ri = if i % 6 == 0 {
            0 // 王秀英, grid 7
        } else {
            (i * 5) % residents.len()
        };
        let r = &residents[ri];
        let age = (i as i64 * 7 + 3) * HOUR + (i as i64 % 5) * 17 * MINUTE;
        let filed_at: Millis = now - age;
        let draft = RequestDraft {
            title: (*title).into(),
            description: (*description).into(),
            category: (*category).into(),
            colour: Some(*colour),
            grid: r.grid.clone(),
            photos: Vec::new(),
        };
        let (worker, worker_name) = if r.grid == "g07" || r.grid == "g08" {
            ("p-li", "李红梅")
        } else {
            ("p-zhang", "张建国")
        };
        // An elder who does not file themself told the grid worker, who filed it.
        let (filed_by, filer_name) = if i % 12 == 0 {
            ("p-chen".to_string(), "陈小雨".to_string())
        } else if files_self(r, ri, this_year) {
            (r.id.clone(), r.name.clone())
        } else {
            (worker.to_string(), worker_name.to_string())
        };
        let filing = Filing {
            filed_by,
            subject: r.id.clone(),
            household: household_of(&r.flat),
        };
        let stage = i % 5;
        let mut draft = draft;
        if i < 14 {
            match *category {
                "clutter" => draft.photos = vec![photo(ctx, CLUTTER_JPG)?],
                "facilities" if title.contains("健身") => {
                    draft.photos = vec![photo(ctx, GYM_JPG)?]
                }
                "leak" => draft.photos = vec![photo(ctx, LEAK_JPG)?],
                _ => {}
            }
        }
        let fixed = photo(ctx, FIXED_JPG)?;
        let id = new_id();
        for hash in draft.photos.iter().chain(std::iter::once(&fixed)) {
            crate::blobs::link(ctx.store, hash, &id)?;
        }
        let resident = r.id.clone();
        let outs = ctx.relay.local_change(ctx.store, id, |doc| {
            linli_shared::domain::requests::file_request_named(
                doc,
                &draft,
                &filing,
                &filer_name,
                filed_at,
            )?;
            if i % 7 == 3 {
                // The grid worker judged it more urgent than filed.
                linli_shared::domain::requests::append_event_named(
                    doc,
                    worker,
                    worker_name,
                    filed_at + HOUR,
                    EventKind::Recolour {
                        to: Colour::Red,
                        reason: "涉及老人出行安全，提高紧急程度。".into(),
                    },
                )?;
            }
            if stage >= 1 {
                linli_shared::domain::requests::append_event_named(
                    doc,
                    worker,
                    worker_name,
                    filed_at + 2 * HOUR,
                    EventKind::Status {
                        to: Status::Accepted,
                    },
                )?;
            }
            if stage >= 2 {
                linli_shared::domain::requests::append_event_named(
                    doc,
                    worker,
                    worker_name,
                    filed_at + 5 * HOUR,
                    EventKind::Status {
                        to: Status::InProgress,
                    },
                )?;
            }
            if stage >= 3 {
                linli_shared::domain::requests::append_event_named(
                    doc,
                    worker,
                    worker_name,
                    filed_at + 20 * HOUR,
                    EventKind::Answer {
                        text: "已联系物业安排处理，预计本周内完成。".into(),
                        substantive: true,
                    },
                )?;
            }
            if stage >= 3 && category.contains("facilities") {
                linli_shared::domain::requests::append_event_with_photos(
                    doc,
                    worker,
                    worker_name,
                    filed_at + 30 * HOUR,
                    EventKind::Answer {
                        text: "已修好，附维修后照片。".into(),
                        substantive: false,
                    },
                    std::slice::from_ref(&fixed),
                )?;
            }
            if stage >= 4 {
                linli_shared::domain::requests::append_event_named(
                    doc,
                    worker,
                    worker_name,
                    filed_at + 40 * HOUR,
                    EventKind::Status {
                        to: Status::Resolved,
                    },
                )?;
                // Residents rate what was resolved; one was not satisfied and reopened it.
                let stars = [5u8, 4, 5, 2, 4][(i / 5) % 5];
                linli_shared::domain::requests::append_event_named(
                    doc,
                    &resident,
                    &filer_name,
                    filed_at + 44 * HOUR,
                    EventKind::Rate {
                        stars,
                        comment: if stars >= 4 {
                            "处理及时，谢谢网格员！".into()
                        } else {
                            "还是有问题。".into()
                        },
                    },
                )?;
                if stars <= 2 {
                    linli_shared::domain::requests::append_event_named(
                        doc,
                        &resident,
                        &filer_name,
                        filed_at + 45 * HOUR,
                        EventKind::Reopen {
                            reason: "修完第二天又坏了。".into(),
                        },
                    )?;
                }
            }
            Ok(())
        })?;
        ctx.emit(outs);
        // Neighbours who met the same problem follow it (+1) on the grid's board.
        if i % 4 == 1 && stage < 4 {
            follows.push((id, r.grid.clone()));
        }
    }
    // The year before the last fortnight: the elders living alone (王秀英 aside, whose
    // consent the README's walk-through records) consented on paper to 陈小雨 filing for
    // them a year ago, and the archive's requests, which make the indicators' year the
    // article's (412 requests, 93% answered on time).
    let mut filers = Vec::with_capacity(residents.len());
    for (i, (r, doc)) in residents.iter().zip(&person_docs).enumerate() {
        let proxied = r.lives_alone && r.id != "p-wang";
        if proxied {
            let outs = ctx.relay.local_change(ctx.store, *doc, |d| {
                linli_shared::domain::people::grant_consent_named(
                    d,
                    "p-chen",
                    "陈小雨",
                    "p-zhang",
                    linli_shared::domain::people::ConsentMethod::Paper,
                    now - 380 * DAY,
                )
            })?;
            ctx.emit(outs);
        }
        filers.push(super::requests::Filer {
            id: r.id.clone(),
            name: r.name.clone(),
            grid: r.grid.clone(),
            household: household_of(&r.flat),
            proxy: proxied.then(|| ("p-chen".to_string(), "陈小雨".to_string())),
            files_self: files_self(r, i, this_year),
        });
    }
    super::requests::seed_archive(
        ctx,
        &filers,
        now,
        &mut Rng(0x4152_4348_4956_4532),
        &mut new_id,
    )?;
    // Grids: each one's iron triangle from its residents (赵晓松 leads the building group of
    // grid 3), and the last eight weeks of patrols at the article's rate of 213 micro pain
    // points a year (a year of logs would make every start of the demo seconds slower).
    let positions = [
        Position::BuildingLeader,
        Position::PartyMember,
        Position::Steward,
    ];
    let mut seats = Vec::new();
    for g in 1..=super::GRIDS {
        let grid = format!("g{g:02}");
        let here = residents
            .iter()
            .filter(|r| r.grid == grid && !r.lives_alone);
        for (position, r) in positions.into_iter().zip(here) {
            seats.push(Seat {
                grid: grid.clone(),
                position,
                person: r.id.clone(),
                name: r.name.clone(),
            });
        }
    }
    let elders: Vec<Elder> = residents
        .iter()
        .filter(|r| r.lives_alone)
        .map(|r| Elder {
            grid: r.grid.clone(),
            name: r.name.clone(),
            flat: r.flat.clone(),
        })
        .collect();
    let mut rng = Rng(0x4C49_4E4C_4931_4445);
    super::patrols::seed(
        ctx,
        super::GRIDS,
        &seats,
        &elders,
        now - PATROL_WEEKS * 7 * DAY,
        now,
        213 * PATROL_WEEKS as u64 * 7 / 365,
        &mut rng,
        &mut |_| new_id(),
    )?;
    // Every resident's building is on their grid's list (王秀英's 7号楼 is in grid 7, 赵晓松's
    // 3号楼 in grid 3: the inspectors pick them from it).
    let grid_docs: Vec<(String, DocumentId)> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(linli_shared::domain::DocKind::Grid))
        .filter_map(|(id, m)| Some((m.scope.grid.clone()?, *id)))
        .collect();
    for (grid, doc) in grid_docs {
        let Some(info) = ctx
            .relay
            .document(ctx.store, &doc)
            .ok()
            .flatten()
            .and_then(|d| linli_shared::domain::grid::GridInfo::read(&d).ok())
        else {
            continue;
        };
        let mut buildings = info.buildings.clone();
        for r in residents.iter().filter(|r| r.grid == grid) {
            let b = format!("{}号楼", r.flat.split('-').next().unwrap_or_default());
            if !buildings.contains(&b) {
                buildings.push(b);
            }
        }
        if buildings != info.buildings {
            buildings.sort_by_key(|b| b.trim_end_matches("号楼").parse::<u32>().unwrap_or(0));
            let outs = ctx.relay.local_change(ctx.store, doc, |d| {
                linli_shared::domain::grid::GridCommand::SetBuildings { buildings }.apply(d)
            })?;
            ctx.emit(outs);
        }
    }
    // Garbage-sorting inspections in every grid, mixed disposal down about 70% in a year;
    // 李红梅 reminds the households of grids 7 and 8, and 王秀英 has a reminder she has not read yet, with 陈小雨 asked to visit.
    let homes: Vec<super::sorting::Home> = residents
        .iter()
        .map(|r| super::sorting::Home {
            grid: r.grid.clone(),
            household: household_of(&r.flat),
            flat: r.flat.clone(),
        })
        .collect();
    let workers: Vec<(String, String, String)> = ["g07", "g08"]
        .into_iter()
        .map(|g| (g.to_string(), "p-li".to_string(), "李红梅".to_string()))
        .collect();
    // A year in the grid worker's grids; the last eight weeks in the others (every month's
    // log is a document to write at every start of the demo).
    let (mine, others): (Vec<usize>, Vec<usize>) =
        (1..=super::GRIDS).partition(|g| matches!(g, 7 | 8));
    let year = (now - 365 * DAY, now);
    for (grids, from) in [(mine, year.0), (others, now - PATROL_WEEKS * 7 * DAY)] {
        super::sorting::seed(
            ctx,
            &grids,
            &seats,
            &workers,
            &homes,
            Some(("p-chen", "陈小雨")),
            (from, now),
            year,
            &mut rng,
            &mut |_| new_id(),
        )?;
    }
    let today = linli_shared::time::shanghai_day(now);
    let (_, _, mday) = linli_shared::time::civil_from_days(today);
    let month_start = linli_shared::time::shanghai_day_start(today - i64::from(mday) + 1);
    let at = (now - 2 * DAY).max(month_start + MINUTE).min(now);
    super::sorting::feature(
        ctx,
        &homes[0],
        ("p-li", "李红梅"),
        ("p-chen", "陈小雨"),
        at,
        new_id(),
    )?;
    // Merchant credit: ten shops on the estate's streets and a year of inspections by their
    // grids' teams (李红梅 for grids 7 and 8); 吴春生 keeps the convenience store in grid 7.
    let mut inspectors: Vec<super::merchants::Inspector> = seats
        .iter()
        .map(|s| super::merchants::Inspector {
            grid: s.grid.clone(),
            person: s.person.clone(),
            name: s.name.clone(),
        })
        .collect();
    for grid in ["g07", "g08"] {
        inspectors.push(super::merchants::Inspector {
            grid: grid.into(),
            person: "p-li".into(),
            name: "李红梅".into(),
        });
    }
    let frontage = photo(ctx, CLUTTER_JPG)?;
    super::merchants::seed(
        ctx,
        &super::merchants::demo_shops(),
        &inspectors,
        now - 365 * DAY,
        now - HOUR,
        2,
        Some(&frontage),
        &mut Rng(0x4D45_5243_4841_4E54),
        &mut |_| new_id(),
    )?;
    let boards: Vec<(String, DocumentId)> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(linli_shared::domain::DocKind::Board))
        .filter_map(|(id, m)| Some((m.scope.grid.clone()?, *id)))
        .collect();
    for (n, (request, grid)) in follows.into_iter().enumerate() {
        let Some((_, board)) = boards.iter().find(|(g, _)| *g == grid) else {
            continue;
        };
        let key = linli_shared::domain::board::board_key(&request);
        for neighbour in residents
            .iter()
            .filter(|p| p.grid == grid)
            .skip(1)
            .take(1 + n % 3)
        {
            let who = neighbour.id.clone();
            let outs = ctx.relay.local_change(ctx.store, *board, |d| {
                linli_shared::domain::board::set_follow(d, &key, &who, true, now - HOUR)
            })?;
            ctx.emit(outs);
        }
    }
    // A year of weekly talks, and the next one with 王秀英's red request on its agenda.
    super::talks::seed_series(ctx, new_id())?;
    let wangs_red = ctx
        .relay
        .documents()
        .filter(|(_, m)| {
            m.scope.kind == Some(linli_shared::domain::DocKind::Request)
                && m.scope.subject.as_deref() == Some("p-wang")
        })
        .map(|(id, _)| *id)
        .collect::<Vec<_>>()
        .into_iter()
        .find_map(|id| {
            let doc = ctx.relay.document(ctx.store, &id).ok().flatten()?;
            let r = linli_shared::domain::requests::Request::read(&doc).ok()?;
            (r.colour_now() == Colour::Red && r.resolved_at().is_none()).then(|| {
                (
                    linli_shared::domain::board::board_key(&id),
                    r.title.clone(),
                    Colour::Red,
                )
            })
        });
    super::talks::seed_talks(ctx, &mut new_id, now, 52, wangs_red)?;
    // A year of facility works (12 leaks, 7 aging-friendly changes, 8 lights), linked to the
    // talk decisions and the requests that led to them; 李红梅 records grids 7 and 8's progress.
    let workers: Vec<(String, String, String)> = ["g07", "g08"]
        .into_iter()
        .map(|g| (g.to_string(), "p-li".to_string(), "李红梅".to_string()))
        .collect();
    let mut works_rng = Rng(0x574F_524B_5332_3032);
    super::works::seed(
        ctx,
        super::GRIDS,
        ("p-zhang", "张建国"),
        &workers,
        1,
        now,
        true,
        &mut works_rng,
        &mut |_| new_id(),
    )?;
    // Field notes 田野笔记: the article's 38 notes of the year, by 张建国, 李红梅 and 陈小雨,
    // several linked to the talks and requests above.
    super::notes::seed_demo(
        ctx,
        ("p-zhang", "张建国"),
        ("p-li", "李红梅"),
        ("p-chen", "陈小雨"),
        now,
        &mut new_id,
    )?;
    // Charter and rules 社区公约: the 9 documents adopted at the talks of the rules phase.
    super::charters::seed_demo(ctx, ("p-zhang", "张建国"), now, &mut new_id)?;
    // The governance school 社区治理学院: a year of sessions (张亦鸣's role plays on meeting
    // rules and financial oversight, the new owners' committee, mediation for building
    // leaders), 王秀英 at the first one; two to come.
    let learners: Vec<String> = residents.iter().map(|r| r.id.clone()).collect();
    super::school::seed_demo(ctx, &learners, ("p-zhang", "张建国"), now, &mut new_id)?;
    // The community's own cases 本社区案例: four things it tried this year, written up by
    // 张建国 in the library's shape (the gym's three-way split, the stairwell gallery, the
    // sorting reminders, the digital bridge).
    super::cases::seed_demo(ctx, ("p-zhang", "张建国"), now, &mut new_id)?;
    // Children's drawings 童眼看社区: the 126 drawings of the local primary school and
    // kindergarten, 8 adopted and linked to the works they fit; the guardians are the
    // residents of parents' age, and 王秀英 for her grandchild (the first, with a picture).
    let parents: Vec<super::drawings::Parent> = residents
        .iter()
        .filter(|r| r.id == "p-wang" || (1978..=1995).contains(&r.birth_year))
        .map(|r| (r.id.clone(), r.name.clone(), household_of(&r.flat)))
        .collect();
    super::drawings::seed_demo(ctx, &parents, ("p-zhang", "张建国"), now, &mut new_id)?;
    // Micro-grants: the fund, its 17 funded projects (王秀英 leads the stairwell gallery) and
    // an open call whose panel has staff and residents (赵晓松 among them).
    let leaders: Vec<(String, String)> = residents
        .iter()
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    let receipt = photo(ctx, FIXED_JPG)?;
    super::grants::seed_grants(ctx, &leaders, ("p-zhang", "张建国"), Some(&receipt))?;
    // Self-governing groups: the twelve the article planned, 王秀英 leading the stairwell
    // gallery's group (its record links the funded proposal); two have gone quiet.
    let neighbours: Vec<super::groups::Neighbour> = residents
        .iter()
        .map(|r| super::groups::Neighbour {
            id: r.id.clone(),
            name: r.name.clone(),
            grid: r.grid.clone(),
        })
        .collect();
    super::groups::seed(
        ctx,
        12,
        &neighbours,
        ("p-zhang", "张建国"),
        (now - 365 * DAY, now - HOUR),
        &mut Rng(0x4752_4F55_5053_3132),
        &mut |_| new_id(),
    )?;
    // Owners' votes: every flat's floor area on record, the roof vote (closed, passed) and the
    // rental vote (open); each grid's building leader collects paper ballots.
    let collectors: Vec<super::votes::Collector<'_>> = seats
        .iter()
        .filter(|s| s.position == Position::BuildingLeader)
        .map(|s| super::votes::Collector {
            grid: &s.grid,
            person: &s.person,
            name: &s.name,
        })
        .collect();
    super::votes::seed_demo(ctx, &mut new_id, now, &collectors)?;
    // Events 睦邻活动: the article's 16 events of the year (a festival a month, the potluck
    // twice, the balcony gardens, 粽香传情), 赵晓松 checking people in, 陈小雨 and neighbours
    // in the volunteer roles; and three upcoming ones 王秀英 can sign up for.
    let neighbours: Vec<super::events::Neighbour> = residents
        .iter()
        .map(|r| super::events::Neighbour {
            person: r.id.clone(),
            name: r.name.clone(),
            household: household_of(&r.flat),
        })
        .collect();
    let mut volunteers = vec![super::events::Neighbour {
        person: "p-chen".into(),
        name: "陈小雨".into(),
        household: household_of("12-1-201"),
    }];
    volunteers.extend(
        neighbours
            .iter()
            .rev()
            .take(5)
            .map(|n| super::events::Neighbour {
                person: n.person.clone(),
                name: n.name.clone(),
                household: n.household.clone(),
            }),
    );
    let volunteer_ids: Vec<&str> = volunteers.iter().map(|v| v.person.as_str()).collect();
    let attendees: Vec<super::events::Neighbour> = neighbours
        .into_iter()
        .filter(|n| !volunteer_ids.contains(&n.person.as_str()))
        .collect();
    super::events::seed_demo(
        ctx,
        &attendees,
        &volunteers,
        ("p-zhang", "张建国"),
        &["p-zhao"],
        now,
        &mut Rng(0x4556_454E_5453_3236),
        &mut |_| new_id(),
    )?;
    // Volunteers 志愿者: 陈小雨 (youth, the digital bridge) and the neighbours in the events'
    // volunteer roles, each with a profile and a year of proxy filings and home visits for
    // the elders living alone, mostly confirmed by 张建国.
    use linli_shared::domain::volunteer::AgeGroup;
    let elders: Vec<String> = residents
        .iter()
        .filter(|r| r.lives_alone)
        .map(|r| r.id.clone())
        .collect();
    let helpers: Vec<super::volunteers::Helper> = volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| super::volunteers::Helper {
            person: v.person.clone(),
            name: v.name.clone(),
            age_group: if i < 3 {
                AgeGroup::Youth
            } else {
                AgeGroup::Adult
            },
            organisation: [
                "嘉兴市第一中学",
                "嘉兴学院",
                "嘉兴学院",
                "水榭花都志愿服务队",
            ][i.min(3)]
            .into(),
            skills: if i == 0 {
                "手机操作、代办上报、陪聊"
            } else {
                "陪聊、跑腿"
            },
            availability: if i == 0 {
                "周六上午、周三放学后"
            } else {
                "周末"
            },
            per_month: if i == 0 { 8 } else { 2 },
        })
        .collect();
    super::volunteers::seed(
        ctx,
        &helpers,
        &elders,
        ("p-zhang", "张建国"),
        now - 365 * DAY,
        now,
        &mut Rng(0x564F_4C55_4E54_3236),
        &mut |_| new_id(),
    )?;
    // The practice roadmap 实践路径图谱: the year's three phases, actions linked to the talks,
    // call, events, works, patrol and sorting logs above; published to residents.
    super::roadmap::seed_demo(ctx, ("p-zhang", "张建国"), now, new_id())?;
    // The resource map 社区资源地图: the estate's plan, its spaces and facilities linked to the
    // year's events, works, groups and trainings, and eight residents' talents with consent
    // (王秀英's painting and 赵晓松's phone help recorded by themselves).
    let building = |r: &Resident| format!("{}号楼", r.flat.split('-').next().unwrap_or_default());
    let own: Vec<(String, String, String)> = residents
        .iter()
        .filter(|r| r.id == "p-wang" || r.id == "p-zhao")
        .map(|r| (r.id.clone(), r.name.clone(), building(r)))
        .collect();
    let others: Vec<(String, String, String)> = residents
        .iter()
        .filter(|r| r.id.starts_with("p-r"))
        .step_by(9)
        .take(6)
        .map(|r| (r.id.clone(), r.name.clone(), building(r)))
        .collect();
    super::resources::seed_demo(ctx, ("p-zhang", "张建国"), &own, &others, now, &mut new_id)?;
    Ok(())
}

/// How many weeks of patrol logs the demo has.
const PATROL_WEEKS: i64 = 8;

const CLUTTER_JPG: &[u8] = include_bytes!("../../demo/clutter.jpg");
const GYM_JPG: &[u8] = include_bytes!("../../demo/gym.jpg");
const LEAK_JPG: &[u8] = include_bytes!("../../demo/leak.jpg");
const FIXED_JPG: &[u8] = include_bytes!("../../demo/fixed.jpg");

/// Stores a demo photo as the relay stores uploads; returns its content hash.
fn photo(ctx: &mut HubCtx<'_>, bytes: &[u8]) -> Result<String, SeedError> {
    use sha2::{Digest, Sha256};
    let hash = linli_shared::ids::hex(&Sha256::digest(bytes));
    ctx.store.put(&key(&["blob", &hash]), bytes)?;
    Ok(hash)
}

/// Whether a resident files requests themself: everyone under 60, and of the elders 王秀英
/// (who learned it from 陈小雨) and one in five of the rest (the article: 23% of elders).
fn files_self(r: &Resident, index: usize, this_year: i64) -> bool {
    this_year - r.birth_year < 60 || r.id == "p-wang" || index % 5 == 1
}
