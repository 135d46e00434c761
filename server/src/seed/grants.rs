//! The micro-grants 微创投 of the demo community: the seed article's 150,000-yuan fund, the
//! call whose 17 funded projects (the stairwell gallery 楼道美术馆 among them, reaching 17
//! stairwells with the households taking part growing from 12 to 86) are at different stages,
//! and an open call with proposals under review. Used by `--demo` and `--demo-scale`.

use linli_shared::domain::fund::{self, EntryType, Fen, NewEntry};
use linli_shared::domain::grant_call::{self, CallDraft, Outcome};
use linli_shared::domain::proposal::{self, NewUpdate, ProposalDraft, Proposer};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, Millis};

use super::{SeedError, new_id};
use crate::hub::HubCtx;

const YUAN: Fen = 100;

/// Where a project stands.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    /// Funded, nothing spent yet.
    Funded,
    /// Spending and reporting.
    Running,
    /// Done, with a closing report.
    Closed,
}

/// Budget lines: (what for, yuan).
type Lines = &'static [(&'static str, Fen)];

/// The funded projects: title, what, budget lines (yuan), stage, households over time.
const PROJECTS: &[(&str, &str, Lines, Stage, &[i64])] = &[
    (
        "楼道美术馆",
        "退休教师王阿姨发起：把17个单元楼道改造成居民书画展示空间，每月换展。",
        &[
            ("画框与挂轨", 6_000),
            ("楼道灯光", 4_000),
            ("布展材料", 2_000),
        ],
        Stage::Running,
        &[12, 24, 41, 58, 73, 86],
    ),
    (
        "童眼看社区",
        "与中小学合作，孩子们画出社区改造建议图。",
        &[("画材", 3_000), ("展览", 5_000)],
        Stage::Closed,
        &[30, 126],
    ),
    (
        "共享工具屋",
        "居民捐出闲置工具，登记借还，修修补补不求人。",
        &[("工具柜", 5_000), ("首批工具", 4_000)],
        Stage::Running,
        &[15, 40],
    ),
    (
        "屋顶菜园",
        "3号楼屋顶种菜，老人孩子一起照料。",
        &[("种植箱与土", 6_000), ("滴灌", 4_000)],
        Stage::Running,
        &[8, 22],
    ),
    (
        "长者午餐互助",
        "独居老人午餐由邻居轮流送达。",
        &[("餐盒与保温箱", 5_000), ("志愿者保险", 10_000)],
        Stage::Running,
        &[20, 35],
    ),
    (
        "楼道照明义务检修队",
        "居民电工带队，检修楼道感应灯。",
        &[("灯具备件", 4_000), ("工具", 2_000)],
        Stage::Closed,
        &[6, 18],
    ),
    (
        "垃圾分类积分站",
        "分类投放换积分，积分换日用品。",
        &[("积分兑换品", 6_500), ("宣传", 3_000)],
        Stage::Running,
        &[40, 120],
    ),
    (
        "宠物友好公约",
        "养宠家庭共订公约，设置便便箱。",
        &[("便便箱", 3_000), ("宣传", 2_000)],
        Stage::Closed,
        &[25, 60],
    ),
    (
        "旧物交换集市",
        "每月一次旧物交换。",
        &[("场地布置", 2_500), ("宣传", 1_500)],
        Stage::Closed,
        &[30, 95],
    ),
    (
        "代际数字课堂",
        "青少年志愿者教长辈用手机。",
        &[("教材", 3_000), ("设备", 4_000)],
        Stage::Running,
        &[10, 32],
    ),
    (
        "口袋花园",
        "把中心花园角落改成口袋花园。",
        &[("苗木", 7_000), ("座椅", 4_000)],
        Stage::Funded,
        &[18],
    ),
    (
        "雨棚与晾衣架改造",
        "统一安装安全雨棚和晾衣架。",
        &[("材料", 6_000), ("安装", 2_500)],
        Stage::Funded,
        &[12],
    ),
    (
        "社区读书角",
        "居委会一楼开设读书角，居民捐书。",
        &[("书架", 4_000), ("首批图书", 2_000)],
        Stage::Closed,
        &[14, 52],
    ),
    (
        "电动车安全充电宣传",
        "楼道充电危险，宣传并引导集中充电。",
        &[("宣传品", 2_500), ("活动", 2_000)],
        Stage::Closed,
        &[50, 210],
    ),
    (
        "邻里节",
        "一年一度的邻里节。",
        &[("活动物料", 6_000), ("场地", 3_000)],
        Stage::Running,
        &[60, 140],
    ),
    (
        "无障碍扶手加装",
        "单元门口台阶加装扶手。",
        &[("扶手", 9_000), ("安装", 3_000)],
        Stage::Funded,
        &[9],
    ),
    (
        "社区口述史",
        "记录老居民的社区故事。",
        &[("录音设备", 2_500), ("印刷", 3_000)],
        Stage::Running,
        &[7, 19],
    ),
];

/// Proposals of the open call, under review.
const OPEN: &[(&str, &str, Lines)] = &[
    (
        "儿童游乐区遮阳棚",
        "夏天滑梯太烫，加装遮阳棚。",
        &[("遮阳棚", 8_000)],
    ),
    (
        "楼组长茶话会",
        "每月一次楼组长茶话会，交流楼道事务。",
        &[("茶点", 1_200), ("场地", 800)],
    ),
    ("阳台种花比赛", "评选最美阳台。", &[("奖品", 1_500)]),
];

/// Seeds the fund, a past call with its funded projects, and an open call. `people` are
/// (person id, name) of residents who lead projects; the first leads the gallery. `staff` is
/// who records the ledger.
pub(crate) fn seed_grants(
    ctx: &mut HubCtx<'_>,
    people: &[(String, String)],
    staff: (&str, &str),
    receipt: Option<&str>,
) -> Result<(), SeedError> {
    let now = ctx.now;
    let start: Millis = now - 300 * DAY;
    let (staff_id, staff_name) = staff;
    // The past call, closed, and the open one.
    let past = new_id();
    let panel = vec![staff_id.to_string()]
        .into_iter()
        .chain(people.iter().skip(1).take(3).map(|(p, _)| p.clone()))
        .collect::<Vec<_>>();
    let criteria = grant_call::default_criteria();
    let outs = ctx.relay.local_change(ctx.store, past, |d| {
        grant_call::open_call(
            d,
            &CallDraft {
                title: "2026年“微创投”第一期".into(),
                criteria: criteria.clone(),
                deadline: start + 30 * DAY,
                panel: panel.clone(),
            },
            start,
        )?;
        grant_call::set_call(d, None, Some(true), None)
    })?;
    ctx.emit(outs);
    let open = new_id();
    let outs = ctx.relay.local_change(ctx.store, open, |d| {
        grant_call::open_call(
            d,
            &CallDraft {
                title: "2026年“微创投”第二期".into(),
                criteria: criteria.clone(),
                deadline: now + 30 * DAY,
                panel: panel.clone(),
            },
            now - 10 * DAY,
        )
    })?;
    ctx.emit(outs);
    // The fund: the starting amount, and the social enterprise's share of its revenue.
    let fund_id = new_id();
    let outs = ctx.relay.local_change(ctx.store, fund_id, |d| {
        fund::create_fund(
            d,
            "水榭花都微创投基金",
            fund::DEFAULT_OPENING,
            staff_id,
            staff_name,
            start,
        )?;
        let mut income = NewEntry::new(EntryType::Income, 3_600 * YUAN, staff_id, staff_name);
        income.note = "社会企业运营共享空间收益反哺 revenue share".into();
        fund::add_entry(d, &income, start + 120 * DAY)
    })?;
    ctx.emit(outs);
    for (n, (title, what, lines, stage, households)) in PROJECTS.iter().enumerate() {
        let (leader, leader_name) = &people[n % people.len()];
        let id: DocumentId = new_id();
        let proposed_at = start + (2 + n as i64) * DAY;
        let draft = ProposalDraft {
            title: (*title).into(),
            what: (*what).into(),
            why: "让更多邻居参与社区的事。".into(),
            place: "水榭花都".into(),
            lines: lines
                .iter()
                .map(|(l, y)| (l.to_string(), y * YUAN))
                .collect(),
            households: households[0],
            photos: Vec::new(),
        };
        let total = draft.total();
        let who = Proposer {
            person: leader.clone(),
            name: leader_name.clone(),
            filed_by: leader.clone(),
            filed_by_name: leader_name.clone(),
        };
        let funded_at = start + 40 * DAY + n as i64 * DAY;
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            proposal::propose(d, &past.to_string(), &draft, &who, proposed_at)?;
            for (k, (_, supporter)) in people.iter().enumerate().skip(1).take(2 + n % 4) {
                let _ = supporter;
                proposal::support(d, &people[k].0, true, proposed_at + DAY)?;
            }
            if *stage == Stage::Funded {
                return Ok(());
            }
            let steps = households.len().max(2) as i64;
            for (k, h) in households.iter().enumerate().skip(1) {
                let at = funded_at + (k as i64) * (200 * DAY / steps);
                let text = if n == 0 {
                    format!(
                        "第{}个楼道布展完成，参与家庭{h}户。",
                        (k * 17) / (households.len() - 1)
                    )
                } else {
                    format!("进展：参与家庭{h}户。")
                };
                let milestone = if n == 0 && k == households.len() - 1 {
                    "17个楼道全部布展".to_string()
                } else {
                    String::new()
                };
                proposal::add_update(
                    d,
                    leader,
                    leader_name,
                    &NewUpdate {
                        text,
                        households: Some(*h),
                        photos: receipt.map(|r| vec![r.to_string()]).unwrap_or_default(),
                        milestone,
                    },
                    at,
                )?;
            }
            if *stage == Stage::Closed {
                proposal::close_project(
                    d,
                    leader,
                    leader_name,
                    "项目完成，账目见基金台账，剩余资金已退回基金。",
                    funded_at + 230 * DAY,
                )?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
        if let Some(r) = receipt {
            crate::blobs::link(ctx.store, r, &id)?;
            crate::blobs::link(ctx.store, r, &fund_id)?;
        }
        let pid = id.to_string();
        let outs = ctx.relay.local_change(ctx.store, past, |d| {
            for (k, (reviewer, name)) in panel.iter().map(|p| (p, p)).enumerate() {
                let _ = name;
                grant_call::review(
                    d,
                    &pid,
                    reviewer,
                    "",
                    &[4 + ((n + k) % 2) as i64, 4, 3 + ((n + k) % 3) as i64, 4],
                    "方案清楚，居民参与度高。",
                    false,
                    start + 32 * DAY,
                )?;
            }
            grant_call::decide(
                d,
                &pid,
                Outcome::Funded,
                total,
                "符合征集方向，预算合理。",
                staff_id,
                staff_name,
                funded_at,
            )
        })?;
        ctx.emit(outs);
        // The ledger: the allocation, spending with receipts, co-funding, refunds.
        let outs = ctx.relay.local_change(ctx.store, fund_id, |d| {
            let mut a = NewEntry::new(EntryType::Allocation, total, staff_id, staff_name);
            a.project = pid.clone();
            a.title = (*title).into();
            a.leader = leader.clone();
            a.lines = draft.lines.clone();
            a.note = "评审通过 funded".into();
            fund::add_entry(d, &a, funded_at)?;
            if *stage == Stage::Funded {
                return Ok(());
            }
            // Running projects have spent about 60–80% of each line; closed ones all but a
            // little, which they refunded.
            for (k, (line, amount)) in draft.lines.iter().enumerate() {
                let share = match stage {
                    Stage::Closed => 95,
                    _ if n == 0 => [80, 78, 45][k % 3],
                    _ => 60 + (n as i64 * 7 + k as i64 * 5) % 20,
                };
                let spent = amount * share / 100 / 100 * 100;
                let mut s = NewEntry::new(EntryType::Spending, spent, leader, leader_name);
                s.project = pid.clone();
                s.line = line.clone();
                s.note = format!("{line} 发票");
                s.receipts = receipt.map(|r| vec![r.to_string()]).unwrap_or_default();
                fund::add_entry(d, &s, funded_at + (20 + 15 * k as i64) * DAY)?;
            }
            if n % 3 == 0 {
                let (neighbour, name) = &people[(n + 5) % people.len()];
                let mut c = NewEntry::new(EntryType::Cofunding, 200 * YUAN, neighbour, name);
                c.project = pid.clone();
                c.note = "居民众筹 co-funding".into();
                fund::add_entry(d, &c, funded_at + 30 * DAY)?;
            }
            if *stage == Stage::Closed {
                let l = fund::Ledger::read(d).expect("the fund");
                let rest = l.project(&pid).map_or(0, |p| p.remaining());
                if rest > 0 {
                    let mut r = NewEntry::new(EntryType::Refund, rest, staff_id, staff_name);
                    r.project = pid.clone();
                    r.note = "结余退回 unspent, returned".into();
                    fund::add_entry(d, &r, funded_at + 231 * DAY)?;
                }
            }
            Ok(())
        })?;
        ctx.emit(outs);
    }
    // The open call's proposals, scored by part of the panel.
    for (n, (title, what, lines)) in OPEN.iter().enumerate() {
        let (leader, leader_name) = &people[(n + 7) % people.len()];
        let id = new_id();
        let draft = ProposalDraft {
            title: (*title).into(),
            what: (*what).into(),
            why: "居民提议。".into(),
            place: "水榭花都".into(),
            lines: lines
                .iter()
                .map(|(l, y)| (l.to_string(), y * YUAN))
                .collect(),
            households: 5 + n as i64 * 3,
            photos: Vec::new(),
        };
        let who = Proposer {
            person: leader.clone(),
            name: leader_name.clone(),
            filed_by: leader.clone(),
            filed_by_name: leader_name.clone(),
        };
        let outs = ctx.relay.local_change(ctx.store, id, |d| {
            proposal::propose(
                d,
                &open.to_string(),
                &draft,
                &who,
                now - (8 - n as i64) * DAY,
            )?;
            proposal::support(d, &people[(n + 2) % people.len()].0, true, now - DAY)
        })?;
        ctx.emit(outs);
        if n == 0 {
            let pid = id.to_string();
            let reviewer = panel[1].clone();
            let outs = ctx.relay.local_change(ctx.store, open, |d| {
                grant_call::review(
                    d,
                    &pid,
                    &reviewer,
                    "",
                    &[5, 4, 4, 3],
                    "很需要。",
                    false,
                    now - DAY,
                )
            })?;
            ctx.emit(outs);
        }
    }
    Ok(())
}
