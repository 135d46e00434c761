//! Charter and rules 社区公约 for the demo: the 9 rules documents 水榭花都 adopted in its rules
//! phase (the article's four months after the first three), each adopted at a four-party talk;
//! where a talk's decision is about the same thing (the square dancing's volume, the shops'
//! morning racks, the e-bike shed) the version names that decision. The community charter was
//! revised once, late in the year.

use linli_shared::domain::DocKind;
use linli_shared::domain::charter::{CharterCommand, VersionDraft};
use linli_shared::domain::talks::Talk;
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, Millis};

use super::SeedError;
use crate::hub::HubCtx;

/// (day of the practice year adopted, title, text, a word of the talk item that decided it).
const CHARTERS: [(i64, &str, &str, &str); 9] = [
    (
        96,
        "水榭花都社区公约",
        "第一条 邻里和睦，互相尊重，有事好商量。\n第二条 爱护公共设施，损坏照价赔偿。\n第三条 楼道、消防通道保持畅通，不堆放杂物。\n第四条 文明养宠，外出牵绳，及时清理。\n第五条 垃圾分类投放，不乱扔乱倒。\n第六条 关心独居老人，遇到困难主动帮一把。\n第七条 公共事务通过四方会谈协商决定。",
        "",
    ),
    (
        103,
        "楼道公共空间管理规定",
        "一、楼道、楼梯间属全体业主共有，任何人不得长期占用。\n二、纸箱、旧家具等杂物当天清运；确需暂放的，不超过三天并告知楼组长。\n三、电动车不得进楼道停放或充电。\n四、楼组长每月组织一次楼道清理，网格员早巡时检查。",
        "",
    ),
    (
        110,
        "电动自行车停放充电管理规定",
        "一、电动自行车一律在改造后的充电棚停放充电。\n二、严禁飞线充电、进楼入户充电。\n三、充电棚由物业管理，费用按月公示。",
        "充电棚",
    ),
    (
        124,
        "沿街商户门前三包公约",
        "一、包门前卫生：门前无垃圾、无污水。\n二、包门前秩序：早7点至9点可在划定区域摆放货架，9点前清空，其余时间不占道经营。\n三、包门前绿化：爱护门前树木花草。\n四、商户信用积分按月公布。",
        "商户",
    ),
    (
        131,
        "广场舞文明公约",
        "一、活动时间为晚7点至8点半。\n二、音量不超过55分贝，由社区顾问不定期测量。\n三、活动结束后清理场地。",
        "广场舞",
    ),
    (
        145,
        "文明养犬公约",
        "一、犬只外出必须牵绳，大型犬佩戴嘴套。\n二、及时清理犬只粪便。\n三、晚十点后关好阳台门，减少犬吠扰民。\n四、邻里间有矛盾先沟通，楼组长协助调解。",
        "",
    ),
    (
        159,
        "垃圾分类投放守则",
        "一、早7点至9点、晚6点至8点定时定点投放。\n二、湿垃圾破袋投放，外卖餐盒倒净再投。\n三、督导员发现混投时提醒住户，必要时志愿者上门讲解。",
        "",
    ),
    (
        173,
        "四方会谈议事规则",
        "一、四方会谈每周三召开，党支部、居委会、业委会、物业各派代表参加。\n二、议题提前三天公示，居民可以旁听。\n三、每个议题先陈述、再讨论、后表决，发言不超过五分钟。\n四、决定写入会议纪要并公示，行动事项明确责任人和期限。",
        "",
    ),
    (
        187,
        "社区基金使用管理办法",
        "一、社区基金用于居民提案的微创投项目和公共设施补贴。\n二、单笔支出超过五千元须经四方会谈决定。\n三、每笔收支在基金台账公示，附票据照片。\n四、项目结束后提交成果报告。",
        "",
    ),
];

/// The revision of the community charter late in the year: (day, text).
const REVISION: (i64, &str) = (
    300,
    "第一条 邻里和睦，互相尊重，有事好商量。\n第二条 爱护公共设施，损坏照价赔偿。\n第三条 楼道、消防通道保持畅通，不堆放杂物。\n第四条 文明养宠，外出牵绳，及时清理。\n第五条 垃圾分类投放，不乱扔乱倒。\n第六条 关心独居老人，遇到困难主动帮一把。\n第七条 公共事务通过四方会谈协商决定。\n第八条 年轻家庭与长辈结对，帮助长辈使用手机办事。",
);

/// Every talk: (id, its day's start, its items as (id, title, decision)).
type Held = (DocumentId, Millis, Vec<(String, String, String)>);

fn talks(ctx: &mut HubCtx<'_>) -> Vec<Held> {
    let ids: Vec<DocumentId> = ctx
        .relay
        .documents()
        .filter(|(_, m)| m.scope.kind == Some(DocKind::Talk))
        .map(|(id, _)| *id)
        .collect();
    ids.into_iter()
        .filter_map(|id| {
            let t = Talk::read(&ctx.relay.document(ctx.store, &id).ok()??).ok()?;
            let day = linli_shared::domain::community::calendar::parse_date(&t.date)?;
            let items = t
                .items
                .into_iter()
                .filter_map(|i| Some((i.id, i.title, i.decision?.text)))
                .collect();
            Some((id, linli_shared::time::shanghai_day_start(day), items))
        })
        .collect()
}

/// The talk that adopted a version on `at`: one whose item about `word` was decided (the
/// nearest), else the talk nearest before it.
fn adopted_at_talk(talks: &[Held], word: &str, at: Millis) -> VersionDraft {
    let decided = (!word.is_empty())
        .then(|| {
            talks
                .iter()
                .flat_map(|(id, day, items)| items.iter().map(move |i| (id, day, i)))
                .filter(|(_, _, (_, title, _))| title.contains(word))
                .min_by_key(|(_, day, _)| (**day - at).abs())
        })
        .flatten();
    match decided {
        Some((id, _, (item, _, decision))) => VersionDraft {
            talk: id.to_string(),
            item: item.clone(),
            decision: decision.clone(),
            ..VersionDraft::default()
        },
        None => {
            let talk = talks
                .iter()
                .filter(|(_, day, _)| *day <= at)
                .max_by_key(|(_, day, _)| *day);
            VersionDraft {
                talk: talk.map(|t| t.0.to_string()).unwrap_or_default(),
                decision: "四方会谈审议通过，公示七天无异议后生效。".into(),
                ..VersionDraft::default()
            }
        }
    }
}

/// The demo's 9 adopted rules documents over the year before `now`, recorded by `staff`.
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    now: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    let talks = talks(ctx);
    let start = now - 330 * DAY;
    for (i, (day, title, text, word)) in CHARTERS.into_iter().enumerate() {
        let at = start + day * DAY + 15 * HOUR;
        let version = VersionDraft {
            text: text.into(),
            ..adopted_at_talk(&talks, word, at)
        };
        let revised = (i == 0).then(|| {
            let at = (start + REVISION.0 * DAY + 15 * HOUR).min(now - HOUR);
            (
                at,
                VersionDraft {
                    text: REVISION.1.into(),
                    ..adopted_at_talk(&talks, "", at)
                },
            )
        });
        write(
            ctx,
            ids(),
            title,
            version,
            revised.into_iter().collect(),
            staff,
            at,
        )?;
    }
    Ok(())
}

/// `years` of rules before `end`: the nine documents adopted in the first year (at the talks
/// that decided them, where one did), and the community charter revised once every later
/// year, as the article's was at its year's end.
pub(super) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    years: i64,
    end: Millis,
    rng: &mut super::Rng,
) -> Result<(), SeedError> {
    let talks = talks(ctx);
    let start = end - years * 365 * DAY;
    for (i, (day, title, text, word)) in CHARTERS.into_iter().enumerate() {
        let at = start + day * DAY + 15 * HOUR;
        if at >= end {
            continue;
        }
        let version = VersionDraft {
            text: text.into(),
            ..adopted_at_talk(&talks, word, at)
        };
        let revisions: Vec<(Millis, VersionDraft)> = if i == 0 {
            (1..years)
                .map(|y| start + y * 365 * DAY + REVISION.0 * DAY + 15 * HOUR)
                .filter(|at| *at < end)
                .enumerate()
                .map(|(n, at)| {
                    let text = format!("{}\n（第{}次修订）", REVISION.1, n + 1);
                    (
                        at,
                        VersionDraft {
                            text,
                            ..adopted_at_talk(&talks, "", at)
                        },
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        write(ctx, rng.id(), title, version, revisions, staff, at)?;
    }
    Ok(())
}

/// Writes one rules document: adopted at `at`, then each revision in turn.
fn write(
    ctx: &mut HubCtx<'_>,
    id: DocumentId,
    title: &str,
    version: VersionDraft,
    revisions: Vec<(Millis, VersionDraft)>,
    staff: (&str, &str),
    at: Millis,
) -> Result<(), SeedError> {
    let outs = ctx.relay.local_change(ctx.store, id, |d| {
        CharterCommand::Create {
            title: title.into(),
            version,
            by: staff.0.into(),
            by_name: staff.1.into(),
        }
        .apply(d, at)?;
        for (at, version) in revisions {
            CharterCommand::Adopt {
                version,
                by: staff.0.into(),
                by_name: staff.1.into(),
            }
            .apply(d, at)?;
        }
        Ok(())
    })?;
    ctx.emit(outs);
    Ok(())
}
