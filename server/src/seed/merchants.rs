//! Merchant credit 商户信用积分 for the demo and the scale seeding: the shops along the
//! community's streets, each with its frontage duties 门前三包, and their inspections by the
//! grid's team and grid workers, about twice a month. As in the seed article, frontages get
//! better over the period: deductions (boxes piled at the door, goods on the pavement) are
//! common at first and rare by the end, so scores dip early and climb back past 100. The talks'
//! merchant representative 吴春生 (`p-merchant`) keeps the convenience store: his record names
//! him, so his phone shows it, with his answers to some deductions.

use linli_shared::domain::merchant::{
    DEFAULT_DUTIES, EntryDraft, ShopDraft, create, inspect, respond,
};
use linli_shared::ids::DocumentId;
use linli_shared::time::{DAY, HOUR, MINUTE, Millis, shanghai_day, shanghai_day_start};

use super::{Rng, SeedError};
use crate::hub::HubCtx;

/// A shop: its name, its frontage address, its grid, and the merchant who has a phone.
pub(super) struct Shop {
    pub name: String,
    pub place: String,
    pub grid: String,
    pub subject: Option<String>,
}

/// Who inspects a grid's shops (its team and grid workers): grid, person, name.
pub(super) struct Inspector {
    pub grid: String,
    pub person: String,
    pub name: String,
}

/// The demo's shops: a convenience store, a breakfast shop, a fruit shop, a barber, a
/// pharmacy, a parcel station… on the estate's streets, across grids. The first is 吴春生's.
pub(super) const DEMO_SHOPS: &[(&str, &str, &str)] = &[
    ("春生便利店", "水榭路12号", "g07"),
    ("老王早餐店", "水榭路18号", "g07"),
    ("鲜果多水果店", "花都街3号", "g08"),
    ("时尚理发店", "花都街9号", "g08"),
    ("仁心大药房", "南湖大道166号", "g03"),
    ("邻里快递驿站", "南湖大道172号", "g03"),
    ("小杨生煎", "水榭路26号", "g01"),
    ("好邻居洗衣店", "花都街15号", "g12"),
    ("绿叶菜场摊位", "南湖大道180号", "g15"),
    ("宠爱宠物店", "水榭路40号", "g15"),
];

/// Deductions: a reason and the points taken.
const DEDUCTIONS: &[(&str, i64)] = &[
    ("门前堆放纸箱杂物，影响行人通行", -5),
    ("占道摆放货架经营", -8),
    ("门前地面油污未清理", -3),
    ("店外乱贴小广告", -2),
    ("门前绿化带内堆放杂物", -4),
    ("电动车在店门口乱停放", -3),
    ("垃圾未分类，直接堆在门口", -5),
    ("快递包裹堆在人行道上", -6),
    ("夜间门前噪音扰民，居民反映", -10),
];

/// Additions: a reason and the points given.
const ADDITIONS: &[(&str, i64)] = &[
    ("门前整洁，三包责任落实到位", 2),
    ("主动清理门前积水，方便居民通行", 3),
    ("整改及时，门前已恢复整洁", 3),
    ("门前花箱养护良好", 2),
    ("主动劝导顾客规范停车", 3),
    ("配合社区开展垃圾分类宣传", 5),
];

/// The merchant's answers to a deduction.
const RESPONSES: &[&str] = &[
    "已整改，以后纸箱当天回收。",
    "那天进货多，已经收进店里了，下次注意。",
    "已安排店员每天早晚各清扫一次。",
    "收到，已提醒员工。",
];

/// Writes each shop's record and its inspections over `[from, to)`, about `per_month`
/// inspections a month, by the shop's grid's inspectors; returns the documents written.
#[allow(clippy::too_many_arguments)]
pub(super) fn seed(
    ctx: &mut HubCtx<'_>,
    shops: &[Shop],
    inspectors: &[Inspector],
    from: Millis,
    to: Millis,
    per_month: u64,
    photo: Option<&str>,
    rng: &mut Rng,
    ids: &mut dyn FnMut(&mut Rng) -> DocumentId,
) -> Result<Vec<DocumentId>, SeedError> {
    let span = (to - from).max(DAY);
    let months = (span / (30 * DAY)).max(1) as u64;
    let mut written = Vec::new();
    for shop in shops {
        let here: Vec<&Inspector> = inspectors.iter().filter(|i| i.grid == shop.grid).collect();
        let doc = ids(rng);
        let count = months * per_month;
        // Times first, oldest first, so the record reads in order.
        let slot = span / count as i64;
        let mut times: Vec<Millis> = (0..count)
            .map(|k| {
                // A day within its slot, during opening hours (9:00 to 17:59).
                let day = from + (k as i64 * span) / count as i64 + rng.below(slot as u64) as i64;
                shanghai_day_start(shanghai_day(day))
                    + 9 * HOUR
                    + rng.below(9) as i64 * HOUR
                    + rng.below(60) as i64 * MINUTE
            })
            .filter(|at| (from..to).contains(at))
            .collect();
        times.sort_unstable();
        let draft = ShopDraft {
            grid: shop.grid.clone(),
            subject: shop.subject.clone().unwrap_or_default(),
            name: shop.name.clone(),
            place: shop.place.clone(),
            duties: DEFAULT_DUTIES.iter().map(|d| d.to_string()).collect(),
        };
        let outs = ctx.relay.local_change(ctx.store, doc, |d| {
            create(d, &draft, from)?;
            if here.is_empty() {
                return Ok(());
            }
            for (k, at) in times.iter().enumerate() {
                // Deductions from about one in two at the start to one in seven by the end.
                let t = (at - from) as f64 / span as f64;
                let deduct = (rng.below(100) as f64) < 55.0 - 40.0 * t;
                let (reason, points) = if deduct {
                    DEDUCTIONS[rng.below(DEDUCTIONS.len() as u64) as usize]
                } else {
                    ADDITIONS[rng.below(ADDITIONS.len() as u64) as usize]
                };
                let who = here[rng.below(here.len() as u64) as usize];
                let photos = match photo {
                    Some(h) if deduct && k % 5 == 0 => vec![h.to_string()],
                    _ => Vec::new(),
                };
                let entry = inspect(
                    d,
                    &who.person,
                    &who.name,
                    &EntryDraft {
                        points,
                        reason: reason.into(),
                        photos,
                    },
                    *at,
                )?;
                // A merchant with a phone answers most deductions within a day or two.
                if shop.subject.is_some() && deduct && rng.below(3) > 0 {
                    let text = RESPONSES[rng.below(RESPONSES.len() as u64) as usize];
                    let answered = (*at + DAY + rng.below(24) as i64 * HOUR).min(to - MINUTE);
                    respond(d, &entry, text, answered.max(*at))?;
                }
            }
            Ok(())
        })?;
        ctx.emit(outs);
        written.push(doc);
    }
    Ok(written)
}

/// The demo's shops, the first one 吴春生's.
pub(super) fn demo_shops() -> Vec<Shop> {
    DEMO_SHOPS
        .iter()
        .enumerate()
        .map(|(i, (name, place, grid))| Shop {
            name: (*name).into(),
            place: (*place).into(),
            grid: (*grid).into(),
            subject: (i == 0).then(|| "p-merchant".to_string()),
        })
        .collect()
}

/// The scale community's shops: the demo's names along more streets, `n` in all, round the
/// grids (the first still 吴春生's).
pub(super) fn scale_shops(n: usize, grids: usize) -> Vec<Shop> {
    const STREETS: &[&str] = &["水榭路", "花都街", "南湖大道", "嘉禾路", "文昌路"];
    (0..n)
        .map(|i| {
            let (name, _, _) = DEMO_SHOPS[i % DEMO_SHOPS.len()];
            let round = i / DEMO_SHOPS.len();
            Shop {
                name: if round == 0 {
                    name.to_string()
                } else {
                    format!("{name}（{}店）", round + 1)
                },
                place: format!("{}{}号", STREETS[i % STREETS.len()], 2 + 2 * i),
                grid: format!("g{:02}", 1 + i % grids),
                subject: (i == 0).then(|| "p-merchant".to_string()),
            }
        })
        .collect()
}
