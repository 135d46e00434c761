//! The governance school 社区治理学院 for the demo: a year of sessions in the article's spirit.
//! 嘉兴市业委会专家 张亦鸣 teaches meeting rules 议事规则 and financial oversight 财务监管 by role
//! play 情景模拟; the new 业委会 members have a session on their duties; the building leaders
//! learn mediation; garbage-sorting supervisors and the digital bridge have theirs. Ten were
//! held (with sign-ups, attendance and a summary each; 王秀英 attended the first, 赵晓松 the
//! mediation training), two are coming. `--demo-scale` repeats the year's programme every
//! year among its residents.

use linli_shared::domain::event::local_input;
use linli_shared::domain::training::{Method, Topic, TrainingCommand, TrainingDraft};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, Millis};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// One session of the programme: (day of the year, or days from now when negative,
/// title, topic, method, trainer, organisation, place, seats, summary).
struct Session {
    day: i64,
    title: &'static str,
    topic: Topic,
    method: Method,
    trainer: &'static str,
    org: &'static str,
    place: &'static str,
    capacity: u32,
    summary: &'static str,
}

const EXPERT: &str = "张亦鸣";
const EXPERT_ORG: &str = "嘉兴市业委会专家";
const HALL: &str = "党群服务中心二楼多功能厅";

const PROGRAMME: [Session; 12] = [
    Session {
        day: 20,
        title: "议事规则情景模拟（一）：怎样开好一次业主大会",
        topic: Topic::MeetingRules,
        method: Method::RolePlay,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: HALL,
        capacity: 40,
        summary: "分组扮演业委会、物业和业主，模拟健身器材更新的业主大会：议题公示、发言限时、先讨论后表决。讲义《议事规则十条》放在居委会前台。",
    },
    Session {
        day: 45,
        title: "财务监管：读懂物业公共收益账目",
        topic: Topic::Finance,
        method: Method::RolePlay,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: HALL,
        capacity: 40,
        summary: "用去年的公共收益账目做练习：电梯广告、停车费收入怎么入账，哪些支出要经业主大会。学员找出了三处需要物业解释的科目。",
    },
    Session {
        day: 70,
        title: "新任业委会委员履职培训",
        topic: Topic::Committee,
        method: Method::Lecture,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: "居委会会议室",
        capacity: 15,
        summary: "讲解业委会的职责边界、印章管理和会议记录；委员们整理出本届任期的五件要事。",
    },
    Session {
        day: 95,
        title: "楼组长矛盾调解实务",
        topic: Topic::Mediation,
        method: Method::Workshop,
        trainer: "",
        org: "南湖区人民调解委员会",
        place: HALL,
        capacity: 36,
        summary: "以楼道堆物、宠物扰民两个真实案例练习“先听、再问、后议”的调解步骤；每个网格两位楼组长参加。",
    },
    Session {
        day: 120,
        title: "垃圾分类督导员培训",
        topic: Topic::Sorting,
        method: Method::Lecture,
        trainer: "",
        org: "南湖区垃圾分类工作专班",
        place: "3号垃圾分类亭旁",
        capacity: 30,
        summary: "现场讲解湿垃圾破袋、外卖餐盒倒净再投；督导员练习怎样友善地提醒住户。",
    },
    Session {
        day: 150,
        title: "议事规则情景模拟（二）：四方会谈的表决",
        topic: Topic::MeetingRules,
        method: Method::RolePlay,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: HALL,
        capacity: 40,
        summary: "模拟一次四方会谈：费用分摊方案（物业60%、社区基金30%、居民众筹10%）怎样提出、修改和表决。",
    },
    Session {
        day: 180,
        title: "代际数字桥梁：帮长辈用手机办事",
        topic: Topic::Digital,
        method: Method::Workshop,
        trainer: "张建国",
        org: "水榭花都居委会",
        place: "社区图书角",
        capacity: 24,
        summary: "青少年志愿者和长辈结对，练习在手机上提交诉求、查看答复和报名活动。",
    },
    Session {
        day: 210,
        title: "财务监管（二）：维修基金的使用与公示",
        topic: Topic::Finance,
        method: Method::RolePlay,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: HALL,
        capacity: 40,
        summary: "以外墙渗漏维修为例，演练维修基金使用的申请、表决、公示和验收。",
    },
    Session {
        day: 245,
        title: "矛盾调解：相邻关系纠纷",
        topic: Topic::Mediation,
        method: Method::Workshop,
        trainer: "",
        org: "南湖区人民调解委员会",
        place: "居委会会议室",
        capacity: 24,
        summary: "漏水、噪音、占用公共空间三类纠纷的调解练习，整理了一份常用话术。",
    },
    Session {
        day: 290,
        title: "业委会履职：物业合同续签前的准备",
        topic: Topic::Committee,
        method: Method::Lecture,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: "居委会会议室",
        capacity: 20,
        summary: "梳理物业服务评价、业主意见征集和合同条款的比对方法。",
    },
    Session {
        day: -10,
        title: "议事规则情景模拟（三）：业主大会的书面表决",
        topic: Topic::MeetingRules,
        method: Method::RolePlay,
        trainer: EXPERT,
        org: EXPERT_ORG,
        place: HALL,
        capacity: 40,
        summary: "",
    },
    Session {
        day: -24,
        title: "数字化工具：线上议事与公示",
        topic: Topic::Digital,
        method: Method::Workshop,
        trainer: "张建国",
        org: "水榭花都居委会",
        place: "社区图书角",
        capacity: 24,
        summary: "",
    },
];

/// Writes one session: created three weeks before it starts, `signups` signing up in the
/// fortnight before, and for a session already held at `now` attendance and its summary.
#[allow(clippy::too_many_arguments)]
fn write(
    ctx: &mut HubCtx<'_>,
    id: DocumentId,
    s: &Session,
    starts: Millis,
    staff: (&str, &str),
    signups: &[String],
    absent: &dyn Fn(usize) -> bool,
    now: Millis,
) -> Result<(), SeedError> {
    let ends = starts + 2 * HOUR;
    let draft = TrainingDraft {
        title: s.title.into(),
        topic: Some(s.topic),
        method: s.method,
        trainer: s.trainer.into(),
        trainer_org: s.org.into(),
        starts: local_input(starts),
        ends: local_input(ends),
        place: s.place.into(),
        capacity: s.capacity.to_string(),
        description: String::new(),
    };
    let created = (starts - 21 * DAY).min(now - HOUR);
    let held = ends <= now;
    let outs = ctx.relay.local_change(ctx.store, id, |d| {
        TrainingCommand::Create {
            draft: Box::new(draft),
            by: staff.0.into(),
            by_name: staff.1.into(),
        }
        .apply(d, created)?;
        for (i, person) in signups.iter().enumerate() {
            let at = (starts - 14 * DAY + i as i64 * 7 * HOUR).min(now - HOUR);
            TrainingCommand::SignUp {
                person: person.clone(),
            }
            .apply(d, at.max(created + HOUR))?;
        }
        if held {
            // The seated are marked; the waiting did not get a seat.
            for (i, person) in signups.iter().take(s.capacity as usize).enumerate() {
                TrainingCommand::Mark {
                    person: person.clone(),
                    attended: !absent(i),
                }
                .apply(d, ends + HOUR)?;
            }
            if !s.summary.is_empty() {
                TrainingCommand::Summarise {
                    text: s.summary.into(),
                }
                .apply(d, ends + 2 * HOUR)?;
            }
        }
        Ok(())
    })?;
    ctx.emit(outs);
    Ok(())
}

/// The day a programme's session starts, at 14:00 (Shanghai), in a year starting at `start`
/// (a negative day counts from `now`).
fn starts_at(s: &Session, start: Millis, now: Millis) -> Millis {
    let base = if s.day < 0 {
        now - s.day * DAY
    } else {
        start + s.day * DAY
    };
    let t = linli_shared::time::LocalDateTime::shanghai(base);
    linli_shared::time::shanghai_midnight(t.year, t.month, t.day) + 14 * HOUR
}

/// The demo's year of the school before `now` (and two sessions to come), among `people`
/// (the demo's residents' ids, 王秀英 and 赵晓松 first), run by `staff`.
pub(super) fn seed_demo(
    ctx: &mut HubCtx<'_>,
    people: &[String],
    staff: (&str, &str),
    now: Millis,
    ids: &mut dyn FnMut() -> DocumentId,
) -> Result<(), SeedError> {
    let start = now - 330 * DAY;
    let mut rng = Rng(0x5343_484F_4F4C_3236);
    let others: Vec<String> = people
        .iter()
        .filter(|p| *p != "p-wang" && *p != "p-zhao")
        .cloned()
        .collect();
    for (n, s) in PROGRAMME.iter().enumerate() {
        let starts = starts_at(s, start, now);
        let upcoming = s.day < 0;
        let want = if upcoming {
            (s.capacity as usize / 3).min(others.len())
        } else {
            (s.capacity as usize * (60 + rng.below(35) as usize) / 100).min(others.len())
        };
        let mut who: Vec<String> = Vec::with_capacity(want + 1);
        // 王秀英 at the first session, 赵晓松 (a building leader) at the mediation training.
        match n {
            0 => who.push("p-wang".into()),
            3 => who.push("p-zhao".into()),
            _ => {}
        }
        let offset = rng.below(others.len().max(1) as u64) as usize;
        for i in 0..others.len() {
            let p = &others[(offset + i * 7) % others.len()];
            if who.len() >= want + usize::from(n == 0 || n == 3) {
                break;
            }
            if !who.contains(p) {
                who.push(p.clone());
            }
        }
        // About one in six seated did not come (never the two named above).
        let absent = |i: usize| i > 0 && (i * 5 + n).is_multiple_of(6);
        write(ctx, ids(), s, starts, staff, &who, &absent, now)?;
    }
    Ok(())
}

/// `years` of the programme before `end` among `people`: each year's ten sessions held.
pub(super) fn seed_scale(
    ctx: &mut HubCtx<'_>,
    staff: (&str, &str),
    people: &[String],
    years: i64,
    end: Millis,
    rng: &mut Rng,
) -> Result<(), SeedError> {
    if people.is_empty() {
        return Ok(());
    }
    let start = end - years * 365 * DAY;
    for year in 0..years {
        let base = start + year * 365 * DAY;
        for s in PROGRAMME.iter().filter(|s| s.day >= 0) {
            let starts = starts_at(s, base, end);
            if starts + 2 * HOUR > end {
                continue;
            }
            let want =
                (s.capacity as usize * (60 + rng.below(35) as usize) / 100).min(people.len());
            let offset = rng.below(people.len() as u64) as usize;
            let who: Vec<String> = (0..want)
                .map(|i| people[(offset + i * 13) % people.len()].clone())
                .collect();
            let mut who_unique = Vec::with_capacity(who.len());
            for p in who {
                if !who_unique.contains(&p) {
                    who_unique.push(p);
                }
            }
            let seed = (rng.next() % 6) as usize;
            let absent = move |i: usize| (seed + i * 5).is_multiple_of(6);
            write(ctx, rng.id(), s, starts, staff, &who_unique, &absent, end)?;
        }
    }
    Ok(())
}
