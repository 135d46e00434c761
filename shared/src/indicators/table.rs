//! The 30 key indicators as `../shared/INDICATORS.md` defines them: one row each, with its
//! names and definition in both languages and how Linli computes it from the documents.

use serde::{Deserialize, Serialize};

/// The seven groups of indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Response,
    Inclusion,
    Participation,
    CoGovernance,
    Initiative,
    Grid,
    Environment,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::Response,
        Group::Inclusion,
        Group::Participation,
        Group::CoGovernance,
        Group::Initiative,
        Group::Grid,
        Group::Environment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Response => "response",
            Group::Inclusion => "inclusion",
            Group::Participation => "participation",
            Group::CoGovernance => "co_governance",
            Group::Initiative => "initiative",
            Group::Grid => "grid",
            Group::Environment => "environment",
        }
    }

    /// (zh-CN, English)
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Group::Response => ("响应", "Response"),
            Group::Inclusion => ("包容", "Inclusion"),
            Group::Participation => ("参与", "Participation"),
            Group::CoGovernance => ("共治", "Co-governance"),
            Group::Initiative => ("自治", "Initiative"),
            Group::Grid => ("网格", "Grid"),
            Group::Environment => ("环境", "Environment"),
        }
    }
}

/// How a figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of things (requests, events, households).
    Count,
    /// A share: numerator ÷ denominator.
    Percent,
    /// Hours (a median time, or volunteer hours).
    Hours,
    /// A mean rating, 1–5 stars.
    Stars,
    /// Money, in fen.
    Yuan,
}

/// Whether a higher figure is better (for the arrow beside the previous period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// One indicator: a row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Def {
    /// 1–30, as numbered in INDICATORS.md.
    pub id: u8,
    pub group: Group,
    pub zh: &'static str,
    pub en: &'static str,
    /// The definition, zh-CN.
    pub def_zh: &'static str,
    /// The definition, English (INDICATORS.md's words).
    pub def_en: &'static str,
    /// How Linli computes it from the documents (English; shown under the definition).
    pub how: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// Computed per grid too (else only for the whole community: its records have no grid).
    pub per_grid: bool,
    /// Shown to residents (the small public set).
    pub public: bool,
    /// The article's figure, as it states it (empty when it gives none).
    pub article: &'static str,
}

// One argument per column of INDICATORS.md's table, so each row below reads like the table.
#[allow(clippy::too_many_arguments)]
const fn row(
    id: u8,
    group: Group,
    names: (&'static str, &'static str),
    defs: (&'static str, &'static str),
    how: &'static str,
    (unit, better): (Unit, Better),
    (per_grid, public): (bool, bool),
    article: &'static str,
) -> Def {
    Def {
        id,
        group,
        zh: names.0,
        en: names.1,
        def_zh: defs.0,
        def_en: defs.1,
        how,
        unit,
        better,
        per_grid,
        public,
        article,
    }
}

use Better::{Higher, Lower};
use Group::*;
use Unit::*;

/// Every indicator, in INDICATORS.md's order (`TABLE[i].id == i + 1`).
pub const TABLE: [Def; 30] = [
    row(
        1,
        Response,
        ("受理量", "Requests received"),
        ("统计期内提交的诉求数", "Requests filed in the period"),
        "Requests whose filing time falls in the period.",
        (Count, Higher),
        (true, false),
        "412 a year",
    ),
    row(
        2,
        Response,
        ("按时响应率", "On-time answer rate"),
        (
            "在时限内首次实质答复的诉求 ÷ 时限截止在统计期内的诉求",
            "Answered within deadline ÷ requests whose deadline fell in the period",
        ),
        "Requests whose answer window (by colour, from filing or the last reopening) closed in the period; of them, those whose first substantive answer came by the deadline. A request resolved without an answer counts as on time.",
        (Percent, Higher),
        (true, true),
        "93%",
    ),
    row(
        3,
        Response,
        ("响应时长", "Median time to answer"),
        (
            "从提交到首次答复的小时数中位数（分颜色）",
            "Median hours from filing to answer, per colour",
        ),
        "Requests first answered in the period: hours from filing to the first substantive answer; the median overall and per colour (red, yellow, blue).",
        (Hours, Lower),
        (true, false),
        "",
    ),
    row(
        4,
        Response,
        ("办结率", "Resolution rate"),
        ("已办结 ÷ 受理", "Resolved ÷ received"),
        "Of the requests filed in the period, those resolved now.",
        (Percent, Higher),
        (true, false),
        "",
    ),
    row(
        5,
        Response,
        ("超期未办", "Overdue open"),
        (
            "期末时超过时限仍未答复的未办结诉求",
            "Open requests past their deadline, now",
        ),
        "At the end of the period (now, for a period that ends today): requests filed before it, not resolved, with no substantive answer since their clock started, whose deadline has passed.",
        (Count, Lower),
        (true, false),
        "",
    ),
    row(
        6,
        Inclusion,
        ("满意度", "Satisfaction"),
        (
            "对已办结诉求的平均评分（1–5星）",
            "Mean rating (1–5) given on resolved requests",
        ),
        "Ratings given in the period (the latest rating of each request).",
        (Stars, Higher),
        (true, false),
        "",
    ),
    row(
        7,
        Inclusion,
        ("老年诉求占比", "Elders' share"),
        (
            "涉及60岁及以上居民的诉求 ÷ 全部诉求",
            "Requests concerning residents aged 60+ ÷ all",
        ),
        "Requests filed in the period whose subject was 60 or older in the year of filing (birth year on the person's record).",
        (Percent, Higher),
        (true, false),
        "",
    ),
    row(
        8,
        Inclusion,
        ("代办占比", "Proxy share"),
        (
            "老年诉求中由志愿者代为提交的比例",
            "Of elders' requests, those filed by a volunteer on their behalf",
        ),
        "Elders' requests filed in the period by someone the elder consented to (a volunteer), not by the elder, nor from a patrol.",
        (Percent, Higher),
        (true, false),
        "",
    ),
    row(
        9,
        Inclusion,
        ("老年自助率", "Elders' self-service"),
        (
            "登记的60岁以上居民中本人至少提交过一次诉求的比例",
            "Registered 60+ residents who filed at least once themselves ÷ registered 60+",
        ),
        "Residents 60 or older at the end of the period who filed a request for themselves in the period ÷ all registered residents 60 or older.",
        (Percent, Higher),
        (true, false),
        "23%",
    ),
    row(
        10,
        Inclusion,
        ("重复诉求率", "Reopen rate"),
        (
            "办结后30天内被重开或再次提交的诉求 ÷ 已办结",
            "Resolved requests reopened or filed again within 30 days ÷ resolved",
        ),
        "Requests resolved in the period that were reopened, or whose household filed another request of the same category within 30 days of the resolution.",
        (Percent, Lower),
        (true, false),
        "",
    ),
    row(
        11,
        Participation,
        ("活跃住户", "Active households"),
        (
            "统计期内有任何参与行为的住户",
            "Households with any action in the period",
        ),
        "Households with any action in the period: a request filed, rated or followed up; an event sign-up or attendance; a proposal filed or supported, co-funding; a position at a talk, a vote cast, a self-governing group joined or its activity led; volunteering.",
        (Count, Higher),
        (true, false),
        "12 → 86",
    ),
    row(
        12,
        Participation,
        ("参与率", "Participation rate"),
        ("活跃住户 ÷ 住户总数", "Active households ÷ households"),
        "Active households ÷ the households on record (from the residents' records).",
        (Percent, Higher),
        (true, false),
        "",
    ),
    row(
        13,
        Participation,
        ("活动场次", "Events held"),
        ("统计期内举办的活动", "Events that took place"),
        "Events whose start falls in the period and has passed.",
        (Count, Higher),
        (false, true),
        "16 a year",
    ),
    row(
        14,
        Participation,
        ("参与人次", "Event attendance"),
        ("记录在案的参与人次", "Attendances recorded"),
        "Check-ins recorded by organisers at events held in the period (per grid: of the grid's residents).",
        (Count, Higher),
        (true, false),
        "",
    ),
    row(
        15,
        Participation,
        ("新参与住户", "New households"),
        (
            "首次参与发生在统计期内的住户",
            "Households whose first-ever action falls in the period",
        ),
        "Households whose earliest action on record (as for active households) falls in the period.",
        (Count, Higher),
        (true, false),
        "",
    ),
    row(
        16,
        CoGovernance,
        ("四方会谈", "Four-party talks held"),
        ("统计期内召开的会谈", "Meetings held"),
        "Talks dated in the period, on or before today, with attendance recorded.",
        (Count, Higher),
        (false, false),
        "weekly",
    ),
    row(
        17,
        CoGovernance,
        ("各方出席率", "Attendance by party"),
        (
            "各方出席 ÷ 应邀（下降是预警）",
            "Per party: present ÷ invited (a falling line is a warning)",
        ),
        "Talks held in the period; per party, those it attended (in person or by a deputy) ÷ those it was invited to (attendance recorded for it). The headline is all parties together.",
        (Percent, Higher),
        (false, false),
        "merchants fell",
    ),
    row(
        18,
        CoGovernance,
        ("决议落实率", "Decisions carried out"),
        (
            "已落实的决议 ÷ 统计期内到期的决议",
            "Decisions done ÷ decisions due in the period",
        ),
        "Decisions whose last action item falls due in the period (a decision without action items: the day it was taken); done when every action item is done.",
        (Percent, Higher),
        (false, false),
        "",
    ),
    row(
        19,
        CoGovernance,
        ("自治组织", "Active self-governing groups"),
        (
            "统计期内有活动的自治组织",
            "Groups with an activity in the period",
        ),
        "Self-governing groups with an activity (a meeting, an event, a proposal) held in the period.",
        (Count, Higher),
        (false, false),
        "12 planned",
    ),
    row(
        20,
        CoGovernance,
        ("治理顾问", "Advisers engaged"),
        (
            "参与会谈或提案评审的顾问",
            "Advisers who took part in a meeting or proposal",
        ),
        "Persons seated as advisers who, in the period, stated a position or backed an item at a talk, reviewed a proposal on a call's panel, or supported a proposal.",
        (Count, Higher),
        (false, false),
        "27",
    ),
    row(
        21,
        Initiative,
        ("微创投提案", "Proposals filed"),
        ("提交的微创投提案", "Micro-grant proposals filed"),
        "Proposals filed in the period.",
        (Count, Higher),
        (false, false),
        "",
    ),
    row(
        22,
        Initiative,
        ("获资助", "Proposals funded"),
        ("获批资助的提案", "Proposals approved for funding"),
        "Proposals a call decided to fund in the period.",
        (Count, Higher),
        (false, false),
        "17",
    ),
    row(
        23,
        Initiative,
        ("基金使用率", "Fund use"),
        ("已支出 ÷ 基金总额", "Spent ÷ fund (150,000 yuan)"),
        "Spending recorded in the period (less refunds) ÷ the money the fund received up to the end of the period (income, contributions, co-funding).",
        (Percent, Higher),
        (false, true),
        "",
    ),
    row(
        24,
        Initiative,
        ("居民众筹", "Residents' co-funding"),
        (
            "居民为决议和提案筹集的金额",
            "Yuan raised from residents for decisions and proposals",
        ),
        "Residents' co-funding entries in the fund's ledger in the period, plus the crowdfunded share of talk decisions taken in the period.",
        (Yuan, Higher),
        (false, false),
        "10% of a decision",
    ),
    row(
        25,
        Initiative,
        ("志愿时长", "Volunteer hours"),
        ("记录的志愿服务时长", "Hours logged"),
        "Confirmed hours in the period: events a volunteer was checked in and out of by the organiser, and service entries staff confirmed (not the 待确认 ones).",
        (Hours, Higher),
        (false, false),
        "",
    ),
    row(
        26,
        Grid,
        ("微痛点", "Micro pain points solved"),
        ("网格层面办结的诉求", "Grid-level requests resolved"),
        "Requests resolved in the period within the grid: not taken onto a four-party talk's agenda.",
        (Count, Higher),
        (true, false),
        "213",
    ),
    row(
        27,
        Grid,
        ("48小时响应", "48-hour answer rate"),
        (
            "48小时内答复的网格层面诉求 ÷ 提交数",
            "Grid-level requests answered within 48 h ÷ filed",
        ),
        "Grid-level requests filed in the period (not on a talk's agenda); of them, those with a substantive answer within 48 hours of filing.",
        (Percent, Higher),
        (true, false),
        "90%",
    ),
    row(
        28,
        Grid,
        ("巡访覆盖", "Patrol coverage"),
        (
            "巡访记录（早巡、午访、夜谈）÷ 计划",
            "Patrol logs (morning round, midday visit, evening talk) ÷ planned",
        ),
        "Rounds planned by each grid's plan on the days of the period up to today; of them, those walked that day.",
        (Percent, Higher),
        (true, false),
        "",
    ),
    row(
        29,
        Environment,
        ("混投率", "Mixed-disposal rate"),
        (
            "发现混投的垃圾分类督导 ÷ 督导次数",
            "Garbage inspections with mixed disposal ÷ inspections",
        ),
        "Routine inspections in the period (not follow-ups of a reminder) that found mixed disposal ÷ routine inspections.",
        (Percent, Lower),
        (true, false),
        "fell ~70%",
    ),
    row(
        30,
        Environment,
        ("设施改造", "Facility works done"),
        (
            "完成的设施改造（维修、适老化、照明）",
            "Facility works completed (repairs, aging-friendly changes, lighting)",
        ),
        "Works whose last update marked them done in the period; per category.",
        (Count, Higher),
        (true, false),
        "12 + 7 + 8",
    ),
];

/// The row of indicator `id` (1–30).
pub fn def(id: u8) -> Option<&'static Def> {
    TABLE.get(usize::from(id).checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_numbers_its_thirty_rows_in_order() {
        for (i, d) in TABLE.iter().enumerate() {
            assert_eq!(usize::from(d.id), i + 1);
            assert!(!d.zh.is_empty() && !d.en.is_empty() && !d.how.is_empty());
        }
        assert_eq!(def(2).unwrap().en, "On-time answer rate");
        assert!(def(0).is_none() && def(31).is_none());
    }
}
