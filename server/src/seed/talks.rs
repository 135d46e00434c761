//! Demo data of the four-party talks 四方会谈: the parties' representatives (each with a seat
//! in their record and, in `--demo`, a reusable invite), the weekly series (Wednesdays
//! 14:30), and a year of meetings in the spirit of the seed article: the gym equipment paid
//! 60/30/10 by the property company, the community fund and residents' crowdfunding, the
//! stairwell lights, the leaks, and merchants coming less and less.

use linli_shared::domain::people::{Person, Seat, set_seat};
use linli_shared::domain::requests::Colour;
use linli_shared::domain::talks::split::allocate;
use linli_shared::domain::talks::{
    ActionDraft, Attendance, Payer, Series, SeriesCommand, Share, Side, Source, Stance, Talk,
    TalkCommand, draft_minutes,
};
use linli_shared::ids::DocumentId;
use linli_shared::policy::{Party, Role};
use linli_shared::time::{DAY, HOUR, MINUTE, Millis, civil_from_days, shanghai_day};

use super::SeedError;
use crate::hub::HubCtx;
use crate::identity::{self, PersonRecord};

/// A party's representative in the demo.
pub struct Rep {
    pub id: &'static str,
    pub name: &'static str,
    pub party: Party,
    pub title: &'static str,
    /// Their reusable invite code in `--demo`.
    pub code: &'static str,
}

pub const REPS: &[Rep] = &[
    Rep {
        id: "p-party",
        name: "孙丽华",
        party: Party::PartyBranch,
        title: "社区党支部书记",
        code: "DANGZB26",
    },
    Rep {
        id: "p-owners",
        name: "周德明",
        party: Party::OwnersCommittee,
        title: "业委会主任",
        code: "YWHZHU26",
    },
    Rep {
        id: "p-property",
        name: "刘志强",
        party: Party::PropertyCompany,
        title: "物业项目经理",
        code: "WUYEMGR2",
    },
    Rep {
        id: "p-merchant",
        name: "吴春生",
        party: Party::Merchant,
        title: "沿街商户代表",
        code: "SHANGH26",
    },
    Rep {
        id: "p-adviser",
        name: "郑文博",
        party: Party::Adviser,
        title: "社区顾问 · 退休工程师",
        code: "GUWENZ26",
    },
];

/// The representatives' records: a person document with their seat, and a relay record.
/// `household` gives the one who lives here (the owners' committee chair) a household.
pub fn seed_reps(
    ctx: &mut HubCtx<'_>,
    new_id: &mut dyn FnMut() -> DocumentId,
    household: &dyn Fn(&str) -> String,
) -> Result<(), SeedError> {
    for r in REPS {
        let lives_here = r.party == Party::OwnersCommittee;
        let hh = lives_here.then(|| household("5-1-1101"));
        let person = Person {
            id: r.id.into(),
            name: r.name.into(),
            phone: "0573-8288 6000".into(),
            flat: if lives_here {
                "5-1-1101".into()
            } else {
                String::new()
            },
            birth_year: None,
            lives_alone: false,
            household: hh.clone().unwrap_or_default(),
            grid: if lives_here {
                "g03".into()
            } else {
                String::new()
            },
        };
        let seat = Seat {
            party: r.party,
            title: r.title.into(),
        };
        let doc = new_id();
        let outs = ctx.relay.local_change(ctx.store, doc, |d| {
            person.create(d)?;
            set_seat(d, Some(&seat))
        })?;
        ctx.emit(outs);
        identity::put_person(
            ctx.store,
            &PersonRecord {
                id: r.id.into(),
                role: Role::Resident,
                household: hh,
                grids: Vec::new(),
                person_doc: Some(doc.to_string()),
                erased: false,
            },
        )?;
    }
    Ok(())
}

/// `YYYY-MM-DD` of a time in Shanghai.
fn date(at: Millis) -> String {
    let (y, m, d) = civil_from_days(shanghai_day(at));
    format!("{y:04}-{m:02}-{d:02}")
}

/// An agenda topic of the demo year, and how the table decided it.
struct Topic {
    title: &'static str,
    source: Source,
    positions: &'static [(Party, Stance, &'static str)],
    decision: &'static str,
    /// Total in yuan and the split (payer, percent); empty when there is no cost.
    cost: (i64, &'static [(Payer, i64)]),
    action: &'static str,
    owner: usize,
}

const PROPERTY: Payer = Payer::Side(Side::Party(Party::PropertyCompany));

const TOPICS: &[Topic] = &[
    Topic {
        title: "健身器材老化更新",
        source: Source::Request,
        positions: &[
            (
                Party::PropertyCompany,
                Stance::Position,
                "器材超过使用年限，物业可承担大部分费用。",
            ),
            (
                Party::OwnersCommittee,
                Stance::Objection,
                "维修资金不宜动用，建议社区基金和居民众筹补足。",
            ),
            (
                Party::PropertyCompany,
                Stance::Revision,
                "物业出60%，社区基金30%，居民众筹10%。",
            ),
        ],
        decision: "更新小区中心花园健身器材，费用按物业60%、社区基金30%、居民众筹10%分摊。",
        cost: (
            48_000,
            &[
                (PROPERTY, 60),
                (Payer::CommunityFund, 30),
                (Payer::Crowdfunding, 10),
            ],
        ),
        action: "采购并安装新健身器材",
        owner: 2,
    },
    Topic {
        title: "楼道声控灯更换",
        source: Source::Patrol,
        positions: &[
            (
                Party::PropertyCompany,
                Stance::Position,
                "先更换12栋老楼的声控灯。",
            ),
            (
                Party::Adviser,
                Stance::Position,
                "建议改用人体感应LED灯，省电且老人夜间更安全。",
            ),
        ],
        decision: "老楼楼道灯统一更换为感应LED灯，物业承担70%，社区基金承担30%。",
        cost: (12_600, &[(PROPERTY, 70), (Payer::CommunityFund, 30)]),
        action: "更换12栋楼道灯",
        owner: 2,
    },
    Topic {
        title: "7号楼顶层漏水",
        source: Source::Request,
        positions: &[
            (
                Party::OwnersCommittee,
                Stance::Position,
                "屋面防水属于共有部分，需业主表决使用维修资金。",
            ),
            (
                Party::PropertyCompany,
                Stance::Position,
                "先做临时封堵，汛期前完成勘察。",
            ),
        ],
        decision: "物业一周内临时封堵；业委会组织7号楼业主表决使用维修资金翻修屋面。",
        cost: (0, &[]),
        action: "组织7号楼业主表决",
        owner: 1,
    },
    Topic {
        title: "沿街商户占道经营",
        source: Source::Proposal,
        positions: &[
            (
                Party::Merchant,
                Stance::Position,
                "早市时段需要摆放货架，希望划定区域。",
            ),
            (
                Party::PartyBranch,
                Stance::Revision,
                "划定早7点至9点的临时摆放区，其余时间清空。",
            ),
        ],
        decision: "划定早市临时摆放区，商户承诺9点前清空；居委会每周巡查。",
        cost: (0, &[]),
        action: "在人行道划线标示摆放区",
        owner: 2,
    },
    Topic {
        title: "电动自行车充电棚",
        source: Source::Proposal,
        positions: &[
            (
                Party::PropertyCompany,
                Stance::Position,
                "可在3号楼北侧空地建设。",
            ),
            (
                Party::OwnersCommittee,
                Stance::Objection,
                "占用绿地需先征求业主意见。",
            ),
            (
                Party::Adviser,
                Stance::Revision,
                "改用原自行车棚改造，不占绿地。",
            ),
        ],
        decision: "改造原自行车棚为充电棚，物业50%，社区基金50%。",
        cost: (36_000, &[(PROPERTY, 50), (Payer::CommunityFund, 50)]),
        action: "完成充电棚改造并验收",
        owner: 2,
    },
    Topic {
        title: "地下车库渗水",
        source: Source::Patrol,
        positions: &[(
            Party::PropertyCompany,
            Stance::Position,
            "已安排排水泵，需查明渗水点。",
        )],
        decision: "物业请专业公司检测渗水点，下次会谈通报结果。",
        cost: (0, &[]),
        action: "提交渗水检测报告",
        owner: 2,
    },
    Topic {
        title: "广场舞音量",
        source: Source::Request,
        positions: &[(
            Party::PartyBranch,
            Stance::Position,
            "与舞蹈队协商，晚8点半后降低音量。",
        )],
        decision: "舞蹈队晚8点半结束，音量控制在55分贝以下，顾问协助测量。",
        cost: (0, &[]),
        action: "与舞蹈队签订文明公约",
        owner: 0,
    },
];

/// The weekly series, Wednesdays 14:30 at the community hall.
pub fn seed_series(ctx: &mut HubCtx<'_>, id: DocumentId) -> Result<(), SeedError> {
    let set = SeriesCommand::Set {
        series: Series {
            title: "水榭花都四方会谈".into(),
            weekday: 3,
            time: "14:30".into(),
            place: "社区党群服务中心二楼议事厅".into(),
        },
    };
    let outs = ctx.relay.local_change(ctx.store, id, |d| set.apply(d, 0))?;
    ctx.emit(outs);
    Ok(())
}

/// `weeks` weekly meetings, the last on the Wednesday before `end` (all held, their minutes
/// published), and the next one scheduled with its agenda published. `request` is a resident's
/// open red request to put on the next agenda (its board key and title).
pub fn seed_talks(
    ctx: &mut HubCtx<'_>,
    new_id: &mut dyn FnMut() -> DocumentId,
    end: Millis,
    weeks: i64,
    request: Option<(String, String, Colour)>,
) -> Result<(), SeedError> {
    // The Wednesday on or before `end`'s day, 14:30 Shanghai (06:30 UTC).
    let day = shanghai_day(end);
    // 1970-01-01 was a Thursday: weekday 1 = Monday … 7 = Sunday.
    let weekday = (day + 3).rem_euclid(7) + 1;
    let mut last = day - (weekday - 3).rem_euclid(7);
    if linli_shared::time::shanghai_day_start(last) + 14 * HOUR + 30 * MINUTE > end {
        last -= 7;
    }
    let mut seed = 0x7A1C_u64;
    let mut rand = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n.max(1)
    };
    for w in (0..weeks).rev() {
        let start = linli_shared::time::shanghai_day_start(last - 7 * w) + 14 * HOUR + 30 * MINUTE;
        // Merchants came to most meetings at first, to few by the end of the year.
        let progress = (weeks - 1 - w) * 100 / weeks.max(1);
        let merchant = if (rand(100) as i64) < 90 - progress * 7 / 10 {
            Attendance::Present
        } else if rand(4) == 0 {
            Attendance::Deputy
        } else {
            Attendance::Absent
        };
        let attendance = [
            (
                Side::Party(Party::PartyBranch),
                if rand(10) < 9 {
                    Attendance::Present
                } else {
                    Attendance::Deputy
                },
            ),
            (Side::ResidentsCommittee, Attendance::Present),
            (
                Side::Party(Party::OwnersCommittee),
                if rand(10) < 8 {
                    Attendance::Present
                } else {
                    Attendance::Deputy
                },
            ),
            (
                Side::Party(Party::PropertyCompany),
                if rand(20) < 19 {
                    Attendance::Present
                } else {
                    Attendance::Absent
                },
            ),
            (Side::Party(Party::Merchant), merchant),
            (
                Side::Party(Party::Adviser),
                if rand(2) == 0 {
                    Attendance::Present
                } else {
                    Attendance::Absent
                },
            ),
        ];
        let n_items = 1 + rand(2) as usize;
        let first = (weeks - 1 - w) as usize;
        let topics: Vec<&Topic> = (0..n_items)
            .map(|k| &TOPICS[(first * 2 + k) % TOPICS.len()])
            .collect();
        let id = new_id();
        let done_by = end - 28 * DAY;
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            let at = |m: i64| start - 7 * DAY + m;
            TalkCommand::Create {
                date: date(start),
                time: "14:30".into(),
                place: "社区党群服务中心二楼议事厅".into(),
            }
            .apply(d, at(0))?;
            for (k, t) in topics.iter().enumerate() {
                TalkCommand::AddItem {
                    id: format!("i{}", k + 1),
                    title: t.title.into(),
                    source: if t.source == Source::Request {
                        Source::Patrol
                    } else {
                        t.source
                    },
                    request: None,
                    colour: None,
                    due_at: None,
                }
                .apply(d, at(HOUR))?;
            }
            TalkCommand::Publish.apply(d, start - 3 * DAY)?;
            for (side, a) in attendance {
                TalkCommand::Attend {
                    side,
                    attendance: a,
                }
                .apply(d, start)?;
            }
            for (k, t) in topics.iter().enumerate() {
                let item = format!("i{}", k + 1);
                for (n, (party, stance, text)) in t.positions.iter().enumerate() {
                    let rep = REPS
                        .iter()
                        .find(|r| r.party == *party)
                        .expect("a rep per party");
                    TalkCommand::Say {
                        item: item.clone(),
                        side: Side::Party(*party),
                        round: 1 + i64::from(*stance == Stance::Revision),
                        stance: *stance,
                        text: (*text).into(),
                        by: rep.id.into(),
                        by_name: rep.name.into(),
                    }
                    .apply(d, start + (10 + 5 * n as i64) * MINUTE)?;
                }
                let (yuan, payers) = t.cost;
                let total = yuan * 100;
                let bps: Vec<i64> = payers.iter().map(|(_, p)| p * 100).collect();
                let fen = allocate(total, &bps);
                let owner = &REPS[t.owner];
                TalkCommand::Decide {
                    item: item.clone(),
                    text: t.decision.into(),
                    agreed: Side::ALL.to_vec(),
                    total_fen: if payers.is_empty() { 0 } else { total },
                    split: payers
                        .iter()
                        .zip(bps.iter().zip(fen))
                        .map(|((payer, _), (bp, fen))| Share {
                            payer: *payer,
                            bp: *bp,
                            fen,
                        })
                        .collect(),
                    actions: vec![ActionDraft {
                        text: t.action.into(),
                        owner: owner.id.into(),
                        owner_name: owner.name.into(),
                        due: date(start + 14 * DAY),
                    }],
                }
                .apply(d, start + HOUR)?;
                if start < done_by {
                    TalkCommand::ActionDone {
                        item,
                        action: "a1".into(),
                        done: true,
                    }
                    .apply(d, start + 14 * DAY)?;
                }
            }
            let talk = Talk::read(d)?;
            TalkCommand::EditMinutes {
                text: draft_minutes(&talk, true),
            }
            .apply(d, start + 2 * HOUR)?;
            TalkCommand::PublishMinutes.apply(d, start + DAY)?;
            Ok(())
        })?;
        ctx.emit(outs);
    }
    // The next meeting: agenda published, a resident's red request first on it.
    let next = linli_shared::time::shanghai_day_start(last + 7) + 14 * HOUR + 30 * MINUTE;
    let id = new_id();
    let outs = ctx.relay.local_change(ctx.store, id, |d| {
        TalkCommand::Create {
            date: date(next),
            time: "14:30".into(),
            place: "社区党群服务中心二楼议事厅".into(),
        }
        .apply(d, end - DAY)?;
        if let Some((key, title, colour)) = &request {
            TalkCommand::AddItem {
                id: "i1".into(),
                title: title.clone(),
                source: Source::Request,
                request: Some(key.clone()),
                colour: Some(*colour),
                due_at: None,
            }
            .apply(d, end - DAY)?;
        }
        TalkCommand::AddItem {
            id: "i2".into(),
            title: "地下车库渗水检测结果通报".into(),
            source: Source::Patrol,
            request: None,
            colour: None,
            due_at: None,
        }
        .apply(d, end - DAY)?;
        TalkCommand::Publish.apply(d, end - HOUR)
    })?;
    ctx.emit(outs);
    Ok(())
}
