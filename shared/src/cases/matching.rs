//! Matching a community's open problems to the case library, on the device, on Chinese text.
//!
//! What the phone knows goes in: its open requests (category and free text) and a few
//! indicators with the previous period's value. No word segmenter is needed: each [`Tag`]
//! has a list of words people use for it ([`WORDS`]: 堆放, 杂物, 纸箱 → clutter; 车位, 乱停 →
//! parking…), strong ones weighing 2 and hints weighing 1, and each request category adds
//! its own weight ([`CATEGORY_TAGS`]). A request is *about* a tag when the weights found in
//! its category, title and description reach 2, so `楼道灯不亮` (a hint, 楼道, alone) is not
//! clutter while `楼道堆放纸箱` is.
//!
//! Each tag then gets a need: 10 points per open request about it, and 30 per indicator
//! that is weak ([`RULES`]: elders' self-service under 50%, fund use under 50%, falling
//! attendance by party…). A case scores its main tag's need ×3 plus its other tags' ×2;
//! cases are ranked by score, then by fewer tags (the more focused case), then by id, so the
//! order is deterministic. Every match carries its evidence, which [`Evidence::text`] words
//! in either language ("12 open requests are about stairwell clutter (楼道堆物)").

use crate::indicators::{Value, def};

use super::{CASES, Case, Tag};

/// An open request, as the phone holds it.
#[derive(Debug, Clone, Copy)]
pub struct OpenRequest<'a> {
    /// The community's category id (`clutter`, `parking`, …).
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// An indicator's value in the period looked at and in the period before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub id: u8,
    pub now: Value,
    pub before: Value,
}

/// Words per tag: `(word, tag, weight)`; weight 2 decides alone, 1 is a hint that needs
/// another (a category or a second word).
pub const WORDS: &[(&str, Tag, u8)] = &[
    // Clutter 楼道堆物
    ("堆物", Tag::Clutter, 2),
    ("堆放", Tag::Clutter, 2),
    ("乱堆", Tag::Clutter, 2),
    ("杂物", Tag::Clutter, 2),
    ("纸箱", Tag::Clutter, 2),
    ("囤积", Tag::Clutter, 2),
    ("废品", Tag::Clutter, 2),
    ("旧家具", Tag::Clutter, 2),
    ("飞线", Tag::Clutter, 2),
    ("堵塞楼道", Tag::Clutter, 2),
    ("clutter", Tag::Clutter, 2),
    ("楼道", Tag::Clutter, 1),
    ("走廊", Tag::Clutter, 1),
    ("过道", Tag::Clutter, 1),
    ("楼梯口", Tag::Clutter, 1),
    ("堆", Tag::Clutter, 1),
    ("电动车", Tag::Clutter, 1),
    ("电瓶车", Tag::Clutter, 1),
    ("充电", Tag::Clutter, 1),
    ("消防通道", Tag::Clutter, 1),
    ("建筑垃圾", Tag::Clutter, 2),
    ("装修垃圾", Tag::Clutter, 2),
    ("放了", Tag::Clutter, 1),
    ("放着", Tag::Clutter, 1),
    ("堆满", Tag::Clutter, 2),
    ("楼梯间", Tag::Clutter, 1),
    ("放满", Tag::Clutter, 1),
    ("沙发", Tag::Clutter, 1),
    ("自行车", Tag::Clutter, 1),
    // Parking 停车
    ("停车", Tag::Parking, 2),
    ("车位", Tag::Parking, 2),
    ("乱停", Tag::Parking, 2),
    ("违停", Tag::Parking, 2),
    ("停放", Tag::Parking, 2),
    ("车棚", Tag::Parking, 2),
    ("parking", Tag::Parking, 2),
    ("汽车", Tag::Parking, 1),
    ("电动车", Tag::Parking, 1),
    ("电瓶车", Tag::Parking, 1),
    ("挡路", Tag::Parking, 1),
    ("外来车", Tag::Parking, 2),
    ("没地方停", Tag::Parking, 2),
    ("车辆", Tag::Parking, 1),
    ("开进", Tag::Parking, 1),
    ("私家车", Tag::Parking, 1),
    ("开不进", Tag::Parking, 1),
    ("进不来", Tag::Parking, 1),
    ("救护车", Tag::Parking, 1),
    ("消防车", Tag::Parking, 1),
    // Old estates 老旧小区改造
    ("老旧小区", Tag::OldEstate, 2),
    ("老小区", Tag::OldEstate, 2),
    ("旧改", Tag::OldEstate, 2),
    ("加装电梯", Tag::OldEstate, 2),
    ("没有电梯", Tag::OldEstate, 2),
    ("漏水", Tag::OldEstate, 2),
    ("渗水", Tag::OldEstate, 2),
    ("年久失修", Tag::OldEstate, 2),
    ("外墙", Tag::OldEstate, 2),
    ("墙皮", Tag::OldEstate, 1),
    ("管道", Tag::OldEstate, 1),
    ("下水", Tag::OldEstate, 1),
    ("坑洼", Tag::OldEstate, 1),
    ("破损", Tag::OldEstate, 1),
    ("电梯", Tag::OldEstate, 1),
    ("改造", Tag::OldEstate, 1),
    // Elders living alone 独居老人
    ("独居", Tag::ElderlyAlone, 2),
    ("空巢", Tag::ElderlyAlone, 2),
    ("孤老", Tag::ElderlyAlone, 2),
    ("一个人住", Tag::ElderlyAlone, 2),
    ("扶手", Tag::ElderlyAlone, 2),
    ("适老", Tag::ElderlyAlone, 2),
    ("助餐", Tag::ElderlyAlone, 2),
    ("老人", Tag::ElderlyAlone, 1),
    ("老年", Tag::ElderlyAlone, 1),
    ("高龄", Tag::ElderlyAlone, 1),
    ("摔倒", Tag::ElderlyAlone, 1),
    ("腿脚", Tag::ElderlyAlone, 1),
    ("无人照顾", Tag::ElderlyAlone, 2),
    ("没人照顾", Tag::ElderlyAlone, 2),
    ("子女", Tag::ElderlyAlone, 1),
    ("自己在家", Tag::ElderlyAlone, 1),
    ("大爷", Tag::ElderlyAlone, 1),
    ("奶奶", Tag::ElderlyAlone, 1),
    ("老人家", Tag::ElderlyAlone, 1),
    // Garbage sorting 垃圾分类
    ("垃圾分类", Tag::Garbage, 2),
    ("厨余", Tag::Garbage, 2),
    ("混投", Tag::Garbage, 2),
    ("垃圾桶", Tag::Garbage, 2),
    ("垃圾房", Tag::Garbage, 2),
    ("湿垃圾", Tag::Garbage, 2),
    ("干垃圾", Tag::Garbage, 2),
    ("垃圾", Tag::Garbage, 1),
    ("异味", Tag::Garbage, 1),
    ("分类", Tag::Garbage, 1),
    ("投放", Tag::Garbage, 1),
    ("混在一起", Tag::Garbage, 1),
    // Street vending 占道经营
    ("摆摊", Tag::Vending, 2),
    ("摊贩", Tag::Vending, 2),
    ("小贩", Tag::Vending, 2),
    ("地摊", Tag::Vending, 2),
    ("流动摊", Tag::Vending, 2),
    ("占道经营", Tag::Vending, 2),
    ("出摊", Tag::Vending, 2),
    ("占道", Tag::Vending, 1),
    ("叫卖", Tag::Vending, 1),
    ("油烟", Tag::Vending, 1),
    ("烧烤", Tag::Vending, 1),
    ("推车", Tag::Vending, 1),
    ("人行道", Tag::Vending, 1),
    // Property disputes 物业纠纷
    ("物业费", Tag::PropertyDispute, 2),
    ("物业公司", Tag::PropertyDispute, 2),
    ("物业不", Tag::PropertyDispute, 2),
    ("物业", Tag::PropertyDispute, 1),
    ("保安", Tag::PropertyDispute, 1),
    ("保洁", Tag::PropertyDispute, 1),
    ("不作为", Tag::PropertyDispute, 1),
    ("收费", Tag::PropertyDispute, 1),
    ("推诿", Tag::PropertyDispute, 2),
    ("说法", Tag::PropertyDispute, 1),
    ("拖着", Tag::PropertyDispute, 1),
    ("一直没修", Tag::PropertyDispute, 1),
    // Owners' committee 业委会
    ("业委会", Tag::OwnersCommittee, 2),
    ("业主委员会", Tag::OwnersCommittee, 2),
    ("业主大会", Tag::OwnersCommittee, 2),
    ("维修资金", Tag::OwnersCommittee, 2),
    ("维修基金", Tag::OwnersCommittee, 2),
    ("换届", Tag::OwnersCommittee, 2),
    ("业主", Tag::OwnersCommittee, 1),
    ("表决", Tag::OwnersCommittee, 1),
    // Digital divide 数字鸿沟
    ("智能手机", Tag::DigitalDivide, 2),
    ("小程序", Tag::DigitalDivide, 2),
    ("不会用手机", Tag::DigitalDivide, 2),
    ("不会上网", Tag::DigitalDivide, 2),
    ("扫码", Tag::DigitalDivide, 2),
    ("网上办", Tag::DigitalDivide, 2),
    ("线上", Tag::DigitalDivide, 1),
    ("手机", Tag::DigitalDivide, 1),
    ("网上", Tag::DigitalDivide, 1),
    ("不会用", Tag::DigitalDivide, 1),
    ("挂号", Tag::DigitalDivide, 1),
    ("操作", Tag::DigitalDivide, 1),
    ("弄不来", Tag::DigitalDivide, 1),
    ("不会弄", Tag::DigitalDivide, 1),
    // Volunteers 志愿者
    ("志愿者", Tag::Volunteers, 2),
    ("志愿服务", Tag::Volunteers, 2),
    ("义工", Tag::Volunteers, 2),
    ("时间银行", Tag::Volunteers, 2),
    ("人手", Tag::Volunteers, 1),
    ("值班", Tag::Volunteers, 1),
    ("积分", Tag::Volunteers, 1),
    // Merchants 商户
    ("商户", Tag::Merchants, 2),
    ("商铺", Tag::Merchants, 2),
    ("店铺", Tag::Merchants, 2),
    ("门店", Tag::Merchants, 2),
    ("门前三包", Tag::Merchants, 2),
    ("饭店", Tag::Merchants, 2),
    ("餐馆", Tag::Merchants, 2),
    ("店", Tag::Merchants, 1),
    ("油烟", Tag::Merchants, 1),
    ("门口", Tag::Merchants, 1),
    ("沿街", Tag::Merchants, 1),
    ("门外", Tag::Merchants, 1),
    ("小吃", Tag::Merchants, 1),
    // Micro-grants 微创投 / 自治金
    ("自治金", Tag::MicroGrant, 2),
    ("微创投", Tag::MicroGrant, 2),
    ("众筹", Tag::MicroGrant, 2),
    ("经费", Tag::MicroGrant, 2),
    ("基金", Tag::MicroGrant, 1),
    ("资金", Tag::MicroGrant, 1),
    ("凑钱", Tag::MicroGrant, 1),
    ("出钱", Tag::MicroGrant, 1),
    // Participatory planning 社区规划
    ("规划", Tag::ParticipatoryPlanning, 2),
    ("空地", Tag::ParticipatoryPlanning, 2),
    ("闲置", Tag::ParticipatoryPlanning, 2),
    ("社区花园", Tag::ParticipatoryPlanning, 2),
    ("口袋公园", Tag::ParticipatoryPlanning, 2),
    ("公共空间", Tag::ParticipatoryPlanning, 2),
    ("设计", Tag::ParticipatoryPlanning, 1),
    ("绿地", Tag::ParticipatoryPlanning, 1),
    ("荒", Tag::ParticipatoryPlanning, 1),
    // Neighbourhood culture 邻里文化
    ("百家宴", Tag::NeighbourhoodCulture, 2),
    ("邻里节", Tag::NeighbourhoodCulture, 2),
    ("文化节", Tag::NeighbourhoodCulture, 2),
    ("睦邻", Tag::NeighbourhoodCulture, 2),
    ("邻里", Tag::NeighbourhoodCulture, 1),
    ("邻居", Tag::NeighbourhoodCulture, 1),
    ("活动", Tag::NeighbourhoodCulture, 1),
    ("热闹", Tag::NeighbourhoodCulture, 1),
    ("聚会", Tag::NeighbourhoodCulture, 1),
    ("冷漠", Tag::NeighbourhoodCulture, 1),
];

/// What a request's category says about its tags (the community's default categories;
/// categories a community adds fall back to the words).
pub const CATEGORY_TAGS: &[(&str, Tag, u8)] = &[
    ("clutter", Tag::Clutter, 2),
    ("parking", Tag::Parking, 2),
    ("garbage", Tag::Garbage, 2),
    ("sanitation", Tag::Garbage, 1),
    ("leak", Tag::OldEstate, 2),
    ("facilities", Tag::OldEstate, 1),
    ("aging", Tag::ElderlyAlone, 2),
    ("aging", Tag::OldEstate, 1),
];

/// The weight that makes a request about a tag.
const ABOUT: u8 = 2;
/// A need's points per open request about the tag.
const PER_REQUEST: u32 = 10;
/// A need's points per weak indicator.
const PER_WEAK_INDICATOR: u32 = 30;
/// Example titles quoted per tag.
const EXAMPLES: usize = 2;

/// When an indicator is a weak spot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// Below this figure (percent, stars…, as [`Value::number`] gives it).
    Below(f64),
    /// Above it (for a figure where lower is better).
    Above(f64),
    /// Fallen by at least this share (percent) since the previous period.
    Falling(f64),
    /// Below the figure, or fallen by at least the share.
    BelowOrFalling(f64, f64),
}

/// The indicators read as weak spots, and the tags they point to.
pub const RULES: &[(u8, Rule, &[Tag])] = &[
    // 9 Elders' self-service (the article: 23% could use the old mini-program).
    (
        9,
        Rule::Below(50.0),
        &[Tag::DigitalDivide, Tag::ElderlyAlone],
    ),
    // 17 Attendance by party (the article: merchants' attendance fell).
    (
        17,
        Rule::BelowOrFalling(70.0, 15.0),
        &[Tag::Merchants, Tag::OwnersCommittee],
    ),
    // 23 Fund use.
    (23, Rule::Below(50.0), &[Tag::MicroGrant]),
    // 25 Volunteer hours: falling means volunteers are drifting away.
    (25, Rule::Falling(20.0), &[Tag::Volunteers]),
    // 12 Participation rate.
    (12, Rule::Below(20.0), &[Tag::NeighbourhoodCulture]),
    // 29 Mixed-disposal rate (lower is better).
    (29, Rule::Above(20.0), &[Tag::Garbage]),
    // 6 Satisfaction, in stars.
    (6, Rule::Below(4.0), &[Tag::PropertyDispute]),
];

/// Why a tag is a need of this community.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// `count` open requests are about `tag`; a few of their titles.
    Requests {
        tag: Tag,
        count: usize,
        examples: Vec<String>,
    },
    /// An indicator is weak: low (or high, where lower is better), or falling.
    Indicator {
        tag: Tag,
        reading: Reading,
        falling: bool,
    },
}

impl Evidence {
    pub fn tag(&self) -> Tag {
        match self {
            Evidence::Requests { tag, .. } | Evidence::Indicator { tag, .. } => *tag,
        }
    }

    /// The evidence in words, e.g. "有 12 条未办结诉求涉及楼道堆物" / "12 open requests are
    /// about stairwell clutter (楼道堆物)".
    pub fn text(&self, zh: bool) -> String {
        match self {
            Evidence::Requests {
                tag,
                count,
                examples,
            } => {
                let quoted: Vec<String> = examples.iter().map(|t| format!("“{t}”")).collect();
                match (zh, quoted.is_empty()) {
                    (true, true) => format!("有 {count} 条未办结诉求涉及{}", tag.zh()),
                    (true, false) => format!(
                        "有 {count} 条未办结诉求涉及{}（如{}）",
                        tag.zh(),
                        quoted.join("、")
                    ),
                    (false, e) => {
                        let verb = if *count == 1 {
                            "open request is"
                        } else {
                            "open requests are"
                        };
                        let eg = if e {
                            String::new()
                        } else {
                            format!(", e.g. {}", quoted.join(", "))
                        };
                        format!("{count} {verb} about {} ({}){eg}", tag.en(), tag.zh())
                    }
                }
            }
            Evidence::Indicator {
                reading, falling, ..
            } => {
                let (name_zh, name_en) = def(reading.id).map_or(("", ""), |d| (d.zh, d.en));
                match (zh, falling) {
                    (true, true) => format!(
                        "{name_zh}从 {} 降到 {}",
                        reading.before.text(true),
                        reading.now.text(true)
                    ),
                    (true, false) => format!("{name_zh}为 {}", reading.now.text(true)),
                    (false, true) => format!(
                        "{name_en} fell from {} to {}",
                        reading.before.text(false),
                        reading.now.text(false)
                    ),
                    (false, false) => format!("{name_en} is {}", reading.now.text(false)),
                }
            }
        }
    }
}

/// A problem of this community, with how pressing it is and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub tag: Tag,
    pub score: u32,
    pub evidence: Vec<Evidence>,
}

/// A case matched to this community.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub case: &'static Case,
    pub score: u32,
    /// The evidence for the case's tags, the most pressing first.
    pub reasons: Vec<Evidence>,
}

impl Match {
    /// "因为…；…" / "Because …; …".
    pub fn explain(&self, zh: bool) -> String {
        explain(&self.reasons, zh)
    }
}

fn explain(reasons: &[Evidence], zh: bool) -> String {
    let parts: Vec<String> = reasons.iter().map(|e| e.text(zh)).collect();
    if zh {
        format!("匹配原因：{}。", parts.join("；"))
    } else {
        format!("Matched because {}.", parts.join("; "))
    }
}

/// The tags a text is about, with the weight found for each (only those reaching
/// [`ABOUT`]), in [`Tag`] order. Each word counts once.
pub fn tags_in(text: &str) -> Vec<(Tag, u8)> {
    weigh(text, "")
}

fn weigh(text: &str, category: &str) -> Vec<(Tag, u8)> {
    let lower = text.to_lowercase();
    let mut w = [0u8; Tag::ALL.len()];
    for (word, tag, weight) in WORDS {
        if lower.contains(word) {
            w[*tag as usize] = w[*tag as usize].saturating_add(*weight);
        }
    }
    for (cat, tag, weight) in CATEGORY_TAGS {
        if *cat == category {
            w[*tag as usize] = w[*tag as usize].saturating_add(*weight);
        }
    }
    Tag::ALL
        .into_iter()
        .filter(|t| w[*t as usize] >= ABOUT)
        .map(|t| (t, w[t as usize]))
        .collect()
}

/// The tags one request is about (its category and its text).
pub fn request_tags(r: &OpenRequest<'_>) -> Vec<Tag> {
    let text = format!("{}\n{}", r.title, r.description);
    weigh(&text, r.category)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// Whether a reading is weak under a rule; `Some(falling)` when it is.
fn weak(rule: Rule, r: &Reading) -> Option<bool> {
    let now = r.now.number()?;
    let fell = |share: f64| {
        r.before
            .number()
            .is_some_and(|b| b > 0.0 && now <= b * (1.0 - share / 100.0))
    };
    match rule {
        Rule::Below(x) => (now < x).then_some(false),
        Rule::Above(x) => (now > x).then_some(false),
        Rule::Falling(s) => fell(s).then_some(true),
        Rule::BelowOrFalling(x, s) => {
            if fell(s) {
                Some(true)
            } else {
                (now < x).then_some(false)
            }
        }
    }
}

/// This community's needs, most pressing first (then in [`Tag`] order).
pub fn needs(requests: &[OpenRequest<'_>], readings: &[Reading]) -> Vec<Need> {
    let mut count = [0usize; Tag::ALL.len()];
    let mut examples: Vec<Vec<String>> = vec![Vec::new(); Tag::ALL.len()];
    for r in requests {
        for t in request_tags(r) {
            count[t as usize] += 1;
            let ex = &mut examples[t as usize];
            let title = r.title.trim();
            if ex.len() < EXAMPLES && !title.is_empty() && !ex.iter().any(|e| e == title) {
                ex.push(title.to_string());
            }
        }
    }
    let mut out: Vec<Need> = Tag::ALL
        .into_iter()
        .map(|tag| {
            let n = count[tag as usize];
            let mut evidence = Vec::new();
            if n > 0 {
                evidence.push(Evidence::Requests {
                    tag,
                    count: n,
                    examples: std::mem::take(&mut examples[tag as usize]),
                });
            }
            Need {
                tag,
                score: n as u32 * PER_REQUEST,
                evidence,
            }
        })
        .collect();
    for (id, rule, tags) in RULES {
        for r in readings.iter().filter(|r| r.id == *id) {
            if let Some(falling) = weak(*rule, r) {
                for tag in *tags {
                    let need = &mut out[*tag as usize];
                    need.score += PER_WEAK_INDICATOR;
                    need.evidence.push(Evidence::Indicator {
                        tag: *tag,
                        reading: *r,
                        falling,
                    });
                }
            }
        }
    }
    out.retain(|n| n.score > 0);
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.tag.cmp(&b.tag)));
    out
}

/// How well a case with these tags meets these needs: the main tag's need ×3, the others'
/// ×2, and the evidence for its tags, the most pressing first; `None` when it meets none.
fn meets(needs: &[Need], tags: &[Tag]) -> Option<(u32, Vec<Evidence>)> {
    let need = |t: Tag| needs.iter().find(|n| n.tag == t);
    let mut score = 0;
    let mut met: Vec<&Need> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        if let Some(n) = need(*t) {
            score += n.score * if i == 0 { 3 } else { 2 };
            met.push(n);
        }
    }
    met.sort_by(|a, b| b.score.cmp(&a.score).then(a.tag.cmp(&b.tag)));
    let reasons = met
        .into_iter()
        .flat_map(|n| n.evidence.iter().cloned())
        .collect();
    (score > 0).then_some((score, reasons))
}

/// The cases for these needs, best first: the main tag's need ×3, the others' ×2; ties go
/// to the case with fewer tags, then to the lower id. Cases that meet no need are left out.
pub fn rank(needs: &[Need]) -> Vec<Match> {
    let mut out: Vec<Match> = CASES
        .iter()
        .filter_map(|case| {
            let (score, reasons) = meets(needs, case.tags)?;
            Some(Match {
                case,
                score,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.case.tags.len().cmp(&b.case.tags.len()))
            .then(a.case.id.cmp(b.case.id))
    });
    out
}

/// One of the community's own cases matched to its needs (scored as [`rank`] scores the
/// library's, so the two lists can be merged by score).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnMatch {
    /// The case's document id.
    pub id: String,
    pub score: u32,
    pub reasons: Vec<Evidence>,
}

impl OwnMatch {
    /// "匹配原因：…。" / "Matched because …."
    pub fn explain(&self, zh: bool) -> String {
        explain(&self.reasons, zh)
    }
}

/// The community's own cases (document id, problems with the main one first) for these
/// needs, best first; ties go to fewer tags, then the lower id.
pub fn rank_own(needs: &[Need], own: &[(String, Vec<Tag>)]) -> Vec<OwnMatch> {
    let mut out: Vec<(usize, OwnMatch)> = own
        .iter()
        .filter_map(|(id, tags)| {
            let (score, reasons) = meets(needs, tags)?;
            Some((
                tags.len(),
                OwnMatch {
                    id: id.clone(),
                    score,
                    reasons,
                },
            ))
        })
        .collect();
    out.sort_by(|(an, a), (bn, b)| b.score.cmp(&a.score).then(an.cmp(bn)).then(a.id.cmp(&b.id)));
    out.into_iter().map(|(_, m)| m).collect()
}

/// Needs and ranked cases in one call.
pub fn matches(requests: &[OpenRequest<'_>], readings: &[Reading]) -> Vec<Match> {
    rank(&needs(requests, readings))
}
