//! The requests of the demo community: the seed article's daily life, used by the demo
//! (`--demo`) and by the five-year community (`--demo-scale`).

use linli_shared::domain::community::DeadlineConfig;
use linli_shared::domain::requests::{
    Colour, EventKind, Filing, RequestDraft, Status, append_event_named, file_request_named,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, Millis};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// Requests from the seed's daily life: (category, colour, title, description).
pub(crate) const DEMO_REQUESTS: &[(&str, Colour, &str, &str)] = &[
    (
        "clutter",
        Colour::Yellow,
        "楼道堆放纸箱杂物",
        "二楼楼梯口堆了很多纸箱，老人上下楼不方便，也有消防隐患。",
    ),
    (
        "pets",
        Colour::Blue,
        "楼上狗叫扰民",
        "晚上十点后楼上的狗经常叫，影响休息。",
    ),
    (
        "facilities",
        Colour::Red,
        "健身器材松动有危险",
        "小区中心花园的太空漫步机底座松动，孩子在上面玩很危险。",
    ),
    (
        "leak",
        Colour::Red,
        "外墙渗水到卧室",
        "连续下雨后卧室北墙渗水，墙皮脱落。",
    ),
    (
        "facilities",
        Colour::Yellow,
        "楼道灯不亮",
        "3单元4楼到6楼的感应灯坏了一周了，晚上看不见。",
    ),
    (
        "sanitation",
        Colour::Yellow,
        "垃圾桶周边脏乱",
        "东门垃圾房周边有积水和异味。",
    ),
    (
        "garbage",
        Colour::Blue,
        "建议增加厨余垃圾桶",
        "早高峰厨余垃圾桶总是满的，建议增加一个。",
    ),
    (
        "noise",
        Colour::Yellow,
        "夜间装修噪音",
        "隔壁单元晚上九点后还在电钻施工。",
    ),
    (
        "parking",
        Colour::Blue,
        "电动车乱停堵消防通道",
        "5号楼前电动车停在消防通道上。",
    ),
    (
        "aging",
        Colour::Yellow,
        "单元门口需要扶手",
        "单元门口三级台阶没有扶手，老人进出不方便。",
    ),
    (
        "clutter",
        Colour::Red,
        "楼道堆放电瓶车充电",
        "有人把电瓶车推进楼道充电，很危险。",
    ),
    (
        "facilities",
        Colour::Blue,
        "儿童游乐区地垫破损",
        "滑梯下面的地垫破了一个洞。",
    ),
    (
        "leak",
        Colour::Yellow,
        "楼顶水箱漏水",
        "顶楼楼道天花板一直滴水。",
    ),
    (
        "other",
        Colour::Blue,
        "希望组织百家宴",
        "去年的百家宴很热闹，希望今年还能办。",
    ),
];

/// Who a request of the archive concerns.
pub(crate) struct Filer {
    pub id: String,
    pub name: String,
    pub grid: String,
    pub household: String,
    /// The volunteer who files for them, when they consented to one: (id, name).
    pub proxy: Option<(String, String)>,
    /// Files for themself. An elder who does not is filed for by the volunteer they
    /// consented to, or else by the grid worker at a visit (the article: 23% of elders
    /// filed themselves).
    pub files_self: bool,
}

/// How many requests the demo's year holds before its last fortnight (the article's 412 in
/// a year, less the 42 of the last fortnight that `demo` files in every state).
pub(crate) const ARCHIVE: usize = 370;

/// The year of requests before the last fortnight: filed evenly from 13 to 364 days ago,
/// every one answered and nearly all resolved; one in 25 answered after its colour's
/// deadline (with the fortnight's overdue ones, the article's 93% on time); most residents
/// rate the answer, and a few reopen it. Elders who consented to a volunteer are mostly filed
/// for by them; other elders, but for those who file themselves, by the grid worker at a
/// visit. Returns the documents written.
pub(crate) fn seed_archive(
    ctx: &mut HubCtx<'_>,
    filers: &[Filer],
    now: Millis,
    rng: &mut Rng,
    new_id: &mut dyn FnMut() -> DocumentId,
) -> Result<Vec<DocumentId>, SeedError> {
    let mut written = Vec::with_capacity(ARCHIVE);
    let mut last: std::collections::HashMap<(usize, &str), Millis> = Default::default();
    for k in 0..ARCHIVE {
        let days_ago = 13 + (k as i64 * 351) / ARCHIVE as i64;
        let filed_at = now - days_ago * DAY + (8 + rng.below(12) as i64) * HOUR;
        // A household rarely meets the same problem twice in six weeks: pick again if so.
        let mut pick = || {
            let t = DEMO_REQUESTS[rng.below(DEMO_REQUESTS.len() as u64) as usize];
            (t, rng.below(filers.len() as u64) as usize)
        };
        let (mut template, mut w) = pick();
        for _ in 0..8 {
            let recent = last
                .get(&(w, template.0))
                .is_some_and(|at| filed_at - at < 42 * DAY);
            if !recent {
                break;
            }
            (template, w) = pick();
        }
        last.insert((w, template.0), filed_at);
        let (category, colour, title, description) = template;
        let who = &filers[w];
        let (worker, worker_name) = if who.grid == "g07" || who.grid == "g08" {
            ("p-li", "李红梅")
        } else {
            ("p-zhang", "张建国")
        };
        let (filed_by, filer_name) = match &who.proxy {
            Some((id, name)) if rng.below(3) > 0 => (id.clone(), name.clone()),
            _ if who.files_self => (who.id.clone(), who.name.clone()),
            _ => (worker.to_string(), worker_name.to_string()),
        };
        let window = DeadlineConfig::default().hours(colour) * HOUR;
        // Most within two days (the article: 90% of grid-level requests in 48 hours), a few
        // non-urgent ones later but within their window, one in 25 late.
        let answered = if k % 25 == 7 {
            filed_at + window + (6 + rng.below(40) as i64) * HOUR
        } else if colour != Colour::Red && rng.below(10) == 0 {
            filed_at + 48 * HOUR + rng.below((window / 2 / HOUR) as u64) as i64 * HOUR
        } else {
            filed_at + (1 + rng.below(40) as i64) * HOUR
        };
        let resolved = answered + (12 + rng.below(84) as i64) * HOUR;
        let draft = RequestDraft {
            title: title.into(),
            description: description.into(),
            category: category.into(),
            colour: Some(colour),
            grid: who.grid.clone(),
            photos: Vec::new(),
        };
        let filing = Filing {
            filed_by,
            subject: who.id.clone(),
            household: who.household.clone(),
        };
        let stars = [5u8, 5, 4, 5, 4, 3, 5, 4, 2, 5][rng.below(10) as usize];
        let rated = rng.below(100) < 60;
        let still_open = k % 90 == 45;
        let id = new_id();
        let outs = ctx.relay.local_change(ctx.store, id, |doc| {
            file_request_named(doc, &draft, &filing, &filer_name, filed_at)?;
            let step =
                |doc: &mut _, at, kind| append_event_named(doc, worker, worker_name, at, kind);
            step(
                doc,
                filed_at + HOUR,
                EventKind::Status {
                    to: Status::Accepted,
                },
            )?;
            step(
                doc,
                answered,
                EventKind::Answer {
                    text: ANSWERS[k % ANSWERS.len()].into(),
                    substantive: true,
                },
            )?;
            if still_open {
                // Waiting for a part: in progress for weeks, answered in time.
                return step(
                    doc,
                    answered + HOUR,
                    EventKind::Status {
                        to: Status::InProgress,
                    },
                );
            }
            step(
                doc,
                resolved,
                EventKind::Status {
                    to: Status::Resolved,
                },
            )?;
            if rated {
                append_event_named(
                    doc,
                    &who.id,
                    &who.name,
                    resolved + 6 * HOUR,
                    EventKind::Rate {
                        stars,
                        comment: if stars >= 4 {
                            "处理及时，谢谢！"
                        } else {
                            "还可以更快些。"
                        }
                        .into(),
                    },
                )?;
            }
            if rated && stars <= 2 {
                append_event_named(
                    doc,
                    &who.id,
                    &who.name,
                    resolved + 8 * HOUR,
                    EventKind::Reopen {
                        reason: "没过几天又出现了。".into(),
                    },
                )?;
                step(
                    doc,
                    resolved + 30 * HOUR,
                    EventKind::Answer {
                        text: "已再次上门处理，并请物业加强巡查。".into(),
                        substantive: true,
                    },
                )?;
                step(
                    doc,
                    resolved + 50 * HOUR,
                    EventKind::Status {
                        to: Status::Resolved,
                    },
                )?;
            }
            Ok(())
        })?;
        ctx.emit(outs);
        written.push(id);
    }
    Ok(written)
}

/// Grid workers' answers, as they write them.
const ANSWERS: &[&str] = &[
    "已联系物业安排处理，预计本周内完成。",
    "已上门查看，明天安排师傅维修。",
    "已转交物业，今天下午处理。",
    "已和相关住户沟通，会注意。",
    "已登记，本周网格巡查时一并处理。",
    "已协调清运，请大家配合。",
];
