//! Self-governing groups 自治组织 for the demo and the scale seeding. The seed article set out
//! to grow twelve: stairwell autonomy groups, the youth volunteers' "digital bridge" team,
//! interest clubs. Each has a leader from its residents, members who joined over the year (a
//! few left), and the leader's record of what it did: monthly meetings, its events, the
//! micro-grant proposal it filed (the stairwell gallery 楼道美术馆, led by 王秀英, links its
//! proposal). Two groups have gone quiet, so "active groups" is not simply all of them.

use linli_shared::domain::DocKind;
use linli_shared::domain::group::{
    ActivityDraft, ActivityKind, GroupDraft, GroupKind, create, join, leave, record,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, LocalDateTime, Millis};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// A person who may lead or join: id, name, grid.
pub(super) struct Neighbour {
    pub id: String,
    pub name: String,
    pub grid: String,
}

/// The demo's twelve groups: name, kind, what it is for, and its monthly meeting's title.
const GROUPS: &[(&str, GroupKind, &str, &str)] = &[
    (
        "楼道美术馆志愿小组",
        GroupKind::Interest,
        "把17个单元楼道布置成居民书画展示空间，每月换展一次。",
        "换展与布展",
    ),
    (
        "7号楼楼道自治小组",
        GroupKind::Stairwell,
        "7号楼的楼道事自己管：不堆物、灯常亮、每月一次楼道议事。",
        "楼道议事会",
    ),
    (
        "代际数字桥梁青年志愿队",
        GroupKind::Volunteers,
        "青少年志愿者结对独居老人，教用手机、代为反映诉求。",
        "结对走访与手机课堂",
    ),
    (
        "阳台花园兴趣社",
        GroupKind::Interest,
        "交换种子、分享养护经验，筹办阳台花园竞赛。",
        "种植分享会",
    ),
    (
        "垃圾分类督导队",
        GroupKind::Volunteers,
        "早晚高峰在投放点值守，劝导分类投放。",
        "督导排班会",
    ),
    (
        "3号楼楼道自治小组",
        GroupKind::Stairwell,
        "3号楼的邻里互助和楼道整洁。",
        "楼道议事会",
    ),
    (
        "夕阳红合唱团",
        GroupKind::Interest,
        "每周排练，节庆演出。",
        "合唱排练",
    ),
    (
        "太极拳晨练队",
        GroupKind::Interest,
        "每天早晨在中心花园练太极，欢迎新手。",
        "晨练教学",
    ),
    (
        "百家宴筹备组",
        GroupKind::Other,
        "筹办一年一度的百家宴：报名、场地、菜单和清洁。",
        "筹备会",
    ),
    (
        "平安巡逻志愿队",
        GroupKind::Volunteers,
        "夜间协助网格员巡逻，关注独居老人门窗水电。",
        "巡逻排班",
    ),
    (
        "亲子手工坊",
        GroupKind::Interest,
        "周末带孩子做手工，作品参加童眼看社区展览。",
        "手工活动",
    ),
    (
        "12号楼楼道自治小组",
        GroupKind::Stairwell,
        "12号楼电梯和楼道的日常维护协调。",
        "楼道议事会",
    ),
];

/// The proposal of the micro-grants seed a group's record links, by its title.
fn proposal_titled(ctx: &mut HubCtx<'_>, title: &str) -> Option<DocumentId> {
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Proposal))
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter().find(|id| {
        ctx.relay
            .document(ctx.store, id)
            .ok()
            .flatten()
            .and_then(|d| linli_shared::docutil::get_str(&d, &automerge::ROOT, "title"))
            .is_some_and(|t| t == title)
    })
}

/// Writes `count` groups (the demo's twelve, then numbered copies) over `[from, to)`: leaders
/// and members from `people`, monthly activities (the last two groups quiet for the final
/// quarter); returns the documents written.
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    count: usize,
    people: &[Neighbour],
    staff: (&str, &str),
    (from, to): (Millis, Millis),
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<Vec<DocumentId>, SeedError> {
    if people.len() < 4 {
        return Ok(Vec::new());
    }
    let gallery = proposal_titled(ctx, "楼道美术馆");
    let months = ((to - from) / (30 * DAY)).max(1);
    let mut written = Vec::new();
    for i in 0..count {
        let (name, kind, about, meeting) = GROUPS[i % GROUPS.len()];
        let round = i / GROUPS.len();
        let name = if round == 0 {
            name.to_string()
        } else {
            format!("{name}（{}）", round + 1)
        };
        // 王秀英 leads the gallery; the others a neighbour each, in turn.
        let leader = if i == 0 {
            &people[0]
        } else {
            &people[(i * 5 + 1) % people.len()]
        };
        let draft = GroupDraft {
            name,
            kind,
            about: about.into(),
            leader: leader.id.clone(),
            leader_name: leader.name.clone(),
        };
        // Members: the leader first, then 6 to 25 neighbours over the period (a stairwell
        // group's from the leader's grid when it has a few).
        let size = 6 + rng.below(20) as usize;
        let local: Vec<&Neighbour> = people.iter().filter(|p| p.grid == leader.grid).collect();
        let pool: Vec<&Neighbour> = if kind == GroupKind::Stairwell && local.len() >= 3 {
            local
        } else {
            people.iter().collect()
        };
        let mut members: Vec<&Neighbour> = vec![leader];
        for k in 0..size {
            let n = pool[(i * 11 + k * 7 + 3) % pool.len()];
            if !members.iter().any(|m| m.id == n.id) {
                members.push(n);
            }
        }
        let quiet = i % GROUPS.len() >= GROUPS.len() - 2;
        let last = if quiet { to - 100 * DAY } else { to - DAY };
        let doc = ids(rng);
        let outs = ctx.relay.local_change(ctx.store, doc, |d| {
            create(d, &draft, from)?;
            for (k, m) in members.iter().enumerate() {
                let joined = from + (k as i64 * (to - from)) / (2 * members.len() as i64);
                join(d, &m.id, &m.name, joined)?;
                // About one in eight leave again a few months later.
                if k > 0 && rng.below(8) == 0 {
                    leave(d, &m.id, (joined + 90 * DAY).min(to - HOUR))?;
                }
            }
            for month in 0..months {
                let at = from + month * 30 * DAY + (3 + rng.below(20) as i64) * DAY + 19 * HOUR;
                if at >= last {
                    break;
                }
                record(
                    d,
                    &leader.id,
                    &leader.name,
                    &ActivityDraft {
                        kind: ActivityKind::Meeting,
                        at,
                        title: format!("{}月{meeting}", LocalDateTime::shanghai(at).month),
                        doc: String::new(),
                        note: String::new(),
                    },
                    at,
                )?;
            }
            if i == 0
                && let Some(p) = gallery
            {
                let at = (from + 40 * DAY).min(to - DAY);
                record(
                    d,
                    staff.0,
                    staff.1,
                    &ActivityDraft {
                        kind: ActivityKind::Proposal,
                        at,
                        title: "微创投提案：楼道美术馆".into(),
                        doc: p.to_string(),
                        note: "获资助，17个单元楼道已布展".into(),
                    },
                    at,
                )?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
        written.push(doc);
    }
    Ok(written)
}
