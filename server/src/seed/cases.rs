//! The community's own cases 本社区案例 for the demo: four things 水榭花都 tried in its
//! practice year, written up by its staff member (张建国) in the library's shape from the
//! article's own figures, so the library shows them beside the shipped cases and matching
//! finds them for the community's open problems. The scale seeding writes one a year.

use linli_shared::domain::local_case::{CaseCommand, CaseDraft};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, Millis};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// (days before now written, title, tags, problem, done, results, source).
type Case = (
    i64,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const CASES: [Case; 4] = [
    (
        40,
        "四轮协商：健身器材更新的三方分摊",
        &["property-dispute", "owners-committee"],
        "中心花园的健身器材底座松动多年，物业、业委会和居民各执一词，谁出钱始终谈不拢。",
        "把它排进每周三的四方会谈（党支部、居委会、业委会、物业），四轮协商：第一轮摆事实和维修报价，第二轮各方说能出多少，第三轮请社区治理顾问算公共收益账户，第四轮表决分摊方案，会后公示。",
        "形成“物业出资60%、社区基金补贴30%、居民众筹10%”的方案，器材更新完成；此后公共收益账户又用于儿童游乐区改造和8处楼道照明升级。",
        "四方会谈纪要；田野笔记",
    ),
    (
        30,
        "楼道美术馆：退休教师的一个提案",
        &["clutter", "micro-grant", "neighbourhood-culture"],
        "楼道堆物清了又堆，靠劝说和突击清理维持不了多久。",
        "退休教师王阿姨向微创投（15万元种子基金）提交“楼道美术馆”提案：居民清出楼道，挂上自己的书画，楼组长和志愿者轮流值守、换展。",
        "17个单元楼道改造成居民书画展示空间，参与的家庭从12户增至86户，改造过的楼道不再堆物。",
        "微创投项目档案；田野笔记",
    ),
    (
        20,
        "垃圾分类：提醒到户，志愿者上门",
        &["garbage", "volunteers"],
        "投放点混投严重，张贴告示和广播提醒效果有限。",
        "督导员记录混投的投放点和楼栋，提醒推送到户，再由志愿者上门劝导；复查时同一点位分好了，提醒就关闭。",
        "混合投放率下降近七成，垃圾分类准确率提升明显。",
        "垃圾分类督导台账",
    ),
    (
        10,
        "代际数字桥梁：青少年志愿者帮长者反映诉求",
        &["digital-divide", "elderly-alone", "volunteers"],
        "60岁以上居民中只有23%能熟练用小程序反映诉求，老年人的需求表达不充分。",
        "借鉴嘉兴业委会培训的做法，培训青少年志愿者，在老人同意后陪着老人、替老人填写诉求；记录上写明是谁代谁提交的，老人随时可以撤回同意。",
        "独居老人的诉求由志愿者代为提交后进入网格员的队列，按三色时限答复。",
        "志愿服务记录；田野笔记",
    ),
];

fn write(
    ctx: &mut HubCtx<'_>,
    id: DocumentId,
    c: &Case,
    staff: (&str, &str),
    at: Millis,
) -> Result<(), SeedError> {
    let (_, title, tags, problem, done, results, source) = *c;
    let draft = CaseDraft {
        title: title.into(),
        place: "水榭花都".into(),
        years: "2025–2026".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        problem: problem.into(),
        done: done.into(),
        results: results.into(),
        source: source.into(),
        from: String::new(),
    };
    let outs = ctx.relay.local_change(ctx.store, id, |d| {
        CaseCommand::Create {
            draft: Box::new(draft),
            by: staff.0.into(),
            by_name: staff.1.into(),
        }
        .apply(d, at)
    })?;
    ctx.emit(outs);
    Ok(())
}

/// The demo's four own cases.
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    now: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    for c in &CASES {
        write(ctx, ids(), c, staff, now - c.0 * DAY)?;
    }
    Ok(())
}

/// One case a year for `years` before `end` (the demo's, in turn).
pub(super) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    years: i64,
    end: Millis,
    rng: &mut Rng,
) -> Result<(), SeedError> {
    for year in 0..years {
        let c = &CASES[year as usize % CASES.len()];
        let at = end - (years - year) * 365 * DAY + 300 * DAY;
        write(ctx, rng.id(), c, staff, at.min(end - DAY))?;
    }
    Ok(())
}
