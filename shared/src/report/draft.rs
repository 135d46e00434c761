//! Assembling the draft from the indicators: each sentence is words around computed
//! figures, and a sentence whose figure has no data is left out rather than printed as 0.

use super::{Fig, Link, Para, Report, Section, Span, day_words};
use crate::indicators::{Index, Period, TABLE, Value, def, part_name};
use crate::time::{DAY, civil_from_days, days_from_civil, shanghai_day, shanghai_day_start};

/// What the report counts that the indicators do not keep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra {
    /// The community's name.
    pub community: String,
    /// Field notes written in the period.
    pub field_notes: u64,
    /// Rules documents with a version adopted in the period.
    pub charters: u64,
    /// Governance-school sessions held in the period.
    pub trainings: u64,
    /// Children's drawings collected in the period, and of them those adopted.
    pub drawings: u64,
    pub drawings_adopted: u64,
}

/// A bit of a sentence: words, or a figure that may have no data.
enum Bit {
    T(String),
    F(Option<Fig>),
}

fn t(s: impl Into<String>) -> Bit {
    Bit::T(s.into())
}

/// Writes one language's draft.
struct W<'a> {
    x: &'a Index,
    zh: bool,
}

impl W<'_> {
    fn l(&self, zh: &'static str, en: &'static str) -> &'static str {
        if self.zh { zh } else { en }
    }

    fn link(id: u8, p: Period) -> Link {
        Link::Indicator {
            id,
            from: shanghai_day(p.from),
            to: shanghai_day(p.to - 1),
        }
    }

    /// Indicator `id` over `p`, keyed `i<id><tag>`; `None` without data, and for an amount
    /// of nothing (0 talks, ¥0: a report does not list what did not happen; a share of 0%
    /// is kept).
    fn fig(&self, id: u8, tag: &str, p: Period) -> Option<Fig> {
        let v = self.x.value(id, p);
        let nothing = matches!(
            v,
            Value::Count { n: 0 } | Value::Fen { fen: 0 } | Value::Minutes { m: 0 }
        );
        (v.has_data() && !nothing).then(|| Fig {
            key: format!("i{id}{tag}"),
            text: v.text(self.zh),
            link: Self::link(id, p),
        })
    }

    /// One part of indicator `id` (a party, a category) over `p`.
    fn part(&self, id: u8, key: &str, tag: &str, p: Period) -> Option<Fig> {
        let f = self.x.figure(id, p);
        let v = f.parts.iter().find(|x| x.key == key)?.value;
        v.has_data().then(|| Fig {
            key: format!("i{id}.{key}{tag}"),
            text: v.text(self.zh),
            link: Self::link(id, p),
        })
    }

    /// A count the indicators do not keep, linked to its register (`None` when zero).
    fn count(&self, key: &str, n: u64, register: &'static str) -> Option<Fig> {
        (n > 0).then(|| Fig {
            key: key.to_string(),
            text: n.to_string(),
            link: Link::Register(register),
        })
    }

    /// The activity index of month `m` (the period's part of it), linked to the month's
    /// active households.
    fn activity(&self, key: &str, m: Period) -> Option<(Fig, Fig, f64)> {
        let a = self.x.activity(m);
        let index = a.index.filter(|_| a.active > 0)?;
        Some((
            Fig {
                key: format!("{key}.index"),
                text: format!("{index:.1}"),
                link: Self::link(11, m),
            },
            Fig {
                key: format!("{key}.active"),
                text: if self.zh {
                    format!("{} 户", a.active)
                } else {
                    format!("{} households", a.active)
                },
                link: Self::link(11, m),
            },
            index,
        ))
    }
}

/// Adds the sentence to `out` unless one of its figures has no data; says whether it did.
fn sentence(out: &mut Vec<Span>, bits: Vec<Bit>) -> bool {
    if bits.iter().any(|b| matches!(b, Bit::F(None))) {
        return false;
    }
    for b in bits {
        match b {
            Bit::T(s) => match out.last_mut() {
                Some(Span::Text(prev)) => prev.push_str(&s),
                _ => out.push(Span::Text(s)),
            },
            Bit::F(Some(f)) => out.push(Span::Fig(f)),
            Bit::F(None) => {}
        }
    }
    true
}

fn para(key: &str, spans: Vec<Span>) -> Option<Para> {
    (!spans.is_empty()).then(|| Para {
        key: key.to_string(),
        spans,
        edited: false,
    })
}

/// The calendar months of `p`, each cut to `p`, with its name.
fn months(p: Period, zh: bool) -> Vec<(Period, String, bool)> {
    let (y0, m0, _) = civil_from_days(shanghai_day(p.from));
    let (y1, m1, _) = civil_from_days(shanghai_day(p.to - 1));
    let n = ((y1 - y0) * 12 + m1 as i32 - m0 as i32 + 1).max(1) as u32;
    Period::months_to(p.to - 1, n)
        .into_iter()
        .map(|(y, m)| {
            let whole = Period::month(y, m);
            let cut = Period::new(whole.from.max(p.from), whole.to.min(p.to));
            let name = if zh {
                format!("{y}年{m}月")
            } else {
                let day = day_words(days_from_civil(y, m, 1), false);
                day.split_once(' ')
                    .map_or(day.clone(), |(_, rest)| rest.to_string())
            };
            (cut, name, cut == whole)
        })
        .collect()
}

/// The draft of the report for `period`, in Chinese (`zh`) or English, from the community's
/// indicators `x` and the counts in `extra`.
pub fn draft(x: &Index, period: Period, extra: &Extra, zh: bool) -> Report {
    let w = W { x, zh };
    let p = period;
    let l = |a: &'static str, b: &'static str| w.l(a, b);
    let from_day = shanghai_day(p.from);
    let to_day = shanghai_day(p.to - 1);
    let mid = shanghai_day_start((from_day + to_day + 1) / 2);
    let (h1, h2) = (Period::new(p.from, mid), Period::new(mid, p.to));
    let quarter = 91 * DAY;
    let (q1, q4) = (
        Period::new(p.from, (p.from + quarter).min(p.to)),
        Period::new((p.to - quarter).max(p.from), p.to),
    );
    let months = months(p, zh);
    // The first month with any activity, and the last whole month (else the last).
    let first = months
        .iter()
        .find_map(|(m, name, _)| w.activity("a.first", *m).map(|a| (name.clone(), a)));
    let last = months
        .iter()
        .rev()
        .find(|(_, _, whole)| *whole)
        .or(months.last())
        .and_then(|(m, name, _)| w.activity("a.last", *m).map(|a| (name.clone(), a)));
    let community = if extra.community.is_empty() {
        l("本社区", "The community").to_string()
    } else {
        extra.community.clone()
    };
    let mut sections = Vec::new();

    // ---- 1. Background.
    let mut bg = Vec::new();
    let households = x.activity(p).households;
    if households > 0 {
        let n = Fig {
            key: "households".into(),
            text: if zh {
                format!("{households} 户")
            } else {
                format!("{households} households")
            },
            link: W::link(12, p),
        };
        sentence(
            &mut bg,
            vec![
                t(format!(
                    "{community}{}",
                    l("在邻里登记了 ", " has registered ")
                )),
                Bit::F(Some(n)),
                t(l("。", " on Linli. ")),
            ],
        );
    }
    if sentence(
        &mut bg,
        vec![
            t(l(
                "这一周期居民共提交诉求 ",
                "In this period residents filed ",
            )),
            Bit::F(w.fig(1, "", p)),
            t(l(" 件", " requests")),
        ],
    ) && !sentence(
        &mut bg,
        vec![
            t(l(
                "，其中涉及60岁以上老人的占 ",
                "; those concerning residents aged 60+ were ",
            )),
            Bit::F(w.fig(7, "", p)),
            t(l("。", ". ")),
        ],
    ) {
        sentence(&mut bg, vec![t(l("。", ". "))]);
    }
    if let Some((name, (index, active, _))) = &first {
        sentence(
            &mut bg,
            vec![
                t(if zh {
                    format!("起步的{name}，有过任何参与的住户 ")
                } else {
                    format!("At the start, in {name}, ")
                }),
                Bit::F(Some(active.clone())),
                t(l(
                    "，社区活跃度 ",
                    " took part in anything; the activity index was ",
                )),
                Bit::F(Some(index.clone())),
                t(l("。", ".")),
            ],
        );
    }
    let mut paras: Vec<Para> = para("bg.1", bg).into_iter().collect();
    if paras.is_empty() {
        paras.push(Para {
            key: "bg.1".into(),
            spans: vec![Span::Text(
                l(
                    "这部手机上还没有这一周期的数据。",
                    "This phone holds no data for this period yet.",
                )
                .into(),
            )],
            edited: false,
        });
    }
    sections.push(Section {
        key: "background",
        title: l("一、背景", "1. Background").into(),
        paras,
    });

    // ---- 2. Goals.
    let mut goals = Vec::new();
    if let Some((_, (index, _, a0))) = &first {
        sentence(
            &mut goals,
            vec![
                t(l(
                    "首要目标是六个月内让社区活跃度翻一番：从 ",
                    "The first goal was to double community activity in six months: from ",
                )),
                Bit::F(Some(index.clone())),
                t(if zh {
                    format!(" 提高到 {:.1}。", a0 * 2.0)
                } else {
                    format!(" to {:.1}. ", a0 * 2.0)
                }),
            ],
        );
    }
    sentence(
        &mut goals,
        vec![t(l(
            "诉求按红、黄、蓝三色分级，在各自时限内答复；四方会谈每周召开，决议按期落实；居民自己的提案有钱可用。",
            "Requests triaged red, yellow and blue and answered within each colour's time; the four-party talks held weekly and their decisions carried out on time; money for residents' own proposals.",
        ))],
    );
    sections.push(Section {
        key: "goals",
        title: l("二、目标", "2. Goals").into(),
        paras: para("goals.1", goals).into_iter().collect(),
    });

    // ---- 3. What was done: problem → action → result.
    let mut done = Vec::new();
    let mut s = Vec::new();
    sentence(
        &mut s,
        vec![t(l(
            "问题：公共事务牵涉党支部、居委会、业委会、物业和商户，各方需要坐到一张桌子上。",
            "Problem: common matters involve the party branch, the residents' committee, the owners' committee, the property company and the merchants, who need one table. ",
        ))],
    );
    if sentence(
        &mut s,
        vec![
            t(l("做法：召开四方会谈 ", "Action: ")),
            Bit::F(w.fig(16, "", p)),
            t(l(" 次", " four-party talks held")),
        ],
    ) && !sentence(
        &mut s,
        vec![
            t(l("，", "; governance advisers taking part: ")),
            Bit::F(w.fig(20, "", p)),
            t(l(" 位治理顾问参与议事或评审。", ". ")),
        ],
    ) {
        sentence(&mut s, vec![t(l("。", ". "))]);
    }
    sentence(
        &mut s,
        vec![
            t(l(
                "结果：到期决议的落实率 ",
                "Result: decisions carried out on time ",
            )),
            Bit::F(w.fig(18, "", p)),
            t(l("。", ". ")),
        ],
    );
    sentence(
        &mut s,
        vec![
            t(l("居民为决议和提案众筹 ", "Residents co-funded ")),
            Bit::F(w.fig(24, "", p)),
            t(l("。", ".")),
        ],
    );
    done.extend(para("act.talks", s));

    let mut s = Vec::new();
    sentence(
        &mut s,
        vec![
            t(l(
                "问题：上半段诉求的按时响应率为 ",
                "Problem: in the first half, requests answered on time were ",
            )),
            Bit::F(w.fig(2, ".h1", h1)),
            t(l("。", ". ")),
        ],
    );
    let patrols = sentence(
        &mut s,
        vec![
            t(l(
                "做法：诉求分红黄蓝三色限时答复，网格员早巡、午访、夜谈（巡访覆盖 ",
                "Action: requests answered by colour within set times; grid workers' morning rounds, midday visits and evening talks (coverage ",
            )),
            Bit::F(w.fig(28, "", p)),
            t(l("）。", "). ")),
        ],
    );
    if !patrols {
        sentence(
            &mut s,
            vec![t(l(
                "做法：诉求分红黄蓝三色限时答复。",
                "Action: requests answered by colour within set times. ",
            ))],
        );
    }
    if sentence(
        &mut s,
        vec![
            t(l("结果：下半段按时响应率 ", "Result: in the second half, ")),
            Bit::F(w.fig(2, ".h2", h2)),
            t(l("", " on time")),
        ],
    ) && !sentence(
        &mut s,
        vec![
            t(l("，网格解决“微痛点” ", "; the grids solved ")),
            Bit::F(w.fig(26, "", p)),
            t(l(" 件。", " micro pain points.")),
        ],
    ) {
        sentence(&mut s, vec![t(l("。", "."))]);
    }
    done.extend(para("act.requests", s));

    let mut s = Vec::new();
    if sentence(
        &mut s,
        vec![
            t(l(
                "问题：最初一个季度垃圾混投率 ",
                "Problem: in the first quarter, mixed disposal was found in ",
            )),
            Bit::F(w.fig(29, ".q1", q1)),
            t(l("。", " of inspections. ")),
        ],
    ) {
        sentence(
            &mut s,
            vec![t(l(
                "做法：督导员定点检查，混投提醒到户，志愿者上门劝导。",
                "Action: inspections at the bin points, a reminder to the household, a volunteer's visit. ",
            ))],
        );
        sentence(
            &mut s,
            vec![
                t(l(
                    "结果：最后一个季度混投率 ",
                    "Result: in the last quarter, ",
                )),
                Bit::F(w.fig(29, ".q4", q4)),
                t(l("。", ".")),
            ],
        );
    }
    done.extend(para("act.sorting", s));

    let mut s = Vec::new();
    if let Some((name, (_, active, _))) = &first {
        sentence(
            &mut s,
            vec![
                t(if zh {
                    format!("问题：{name}，有参与的住户只有 ")
                } else {
                    format!("Problem: in {name}, only ")
                }),
                Bit::F(Some(active.clone())),
                t(l("。", " took part. ")),
            ],
        );
    }
    let mut action = vec![t(l("做法：", "Action: "))];
    let mut any = false;
    for (id, zh_s, en_s) in [
        (22, ("微创投资助提案 ", " 个"), ("", " proposals funded")),
        (13, ("举办睦邻活动 ", " 场"), ("", " events")),
        (19, ("", " 个自治组织保持活动"), ("", " active groups")),
        (25, ("志愿服务 ", ""), ("", " of volunteering")),
    ] {
        if let Some(f) = w.fig(id, "", p) {
            if any {
                action.push(t(l("，", ", ")));
            }
            action.push(t(if zh { zh_s.0 } else { en_s.0 }));
            action.push(Bit::F(Some(f)));
            action.push(t(if zh { zh_s.1 } else { en_s.1 }));
            any = true;
        }
    }
    if let Some(f) = w.count("trainings", extra.trainings, "school") {
        action.push(t(if any {
            l("，社区治理学院培训 ", ", ")
        } else {
            l("社区治理学院培训 ", "")
        }));
        action.push(Bit::F(Some(f)));
        action.push(t(l(" 期", " governance-school sessions")));
        any = true;
    }
    if any {
        action.push(t(l("。", ". ")));
        sentence(&mut s, action);
    }
    if let Some((name, (_, active, _))) = &last {
        sentence(
            &mut s,
            vec![
                t(if zh {
                    format!("结果：{name}有参与的住户 ")
                } else {
                    format!("Result: in {name}, ")
                }),
                Bit::F(Some(active.clone())),
                t(l("。", " took part.")),
            ],
        );
    }
    done.extend(para("act.culture", s));
    sections.push(Section {
        key: "actions",
        title: l(
            "三、做法：问题 → 行动 → 结果",
            "3. What was done: problem → action → result",
        )
        .into(),
        paras: done,
    });

    // ---- 4. Results.
    let mut res = Vec::new();
    let mut s = Vec::new();
    if sentence(
        &mut s,
        vec![
            t(l("受理诉求 ", "Requests received: ")),
            Bit::F(w.fig(1, "", p)),
            t(l(" 件，按时响应率 ", "; answered on time: ")),
            Bit::F(w.fig(2, "", p)),
        ],
    ) {
        sentence(
            &mut s,
            vec![
                t(l("（上一周期 ", " (previous period ")),
                Bit::F(w.fig(2, ".prev", p.previous())),
                t(l("）", ")")),
            ],
        );
    }
    if !s.is_empty() {
        sentence(
            &mut s,
            vec![t(l("，办结率 ", "; resolved: ")), Bit::F(w.fig(4, "", p))],
        );
        sentence(
            &mut s,
            vec![
                t(l("，居民评价 ", "; residents' rating ")),
                Bit::F(w.fig(6, "", p)),
            ],
        );
        sentence(&mut s, vec![t(l("。", ". "))]);
    }
    sentence(
        &mut s,
        vec![
            t(l(
                "48小时内响应的网格诉求占 ",
                "Grid requests answered within 48 hours: ",
            )),
            Bit::F(w.fig(27, "", p)),
            t(l("。", ". ")),
        ],
    );
    res.extend(para("res.requests", s));

    let mut s = Vec::new();
    if sentence(
        &mut s,
        vec![
            t(l("完成设施改造 ", "Facility works completed: ")),
            Bit::F(w.fig(30, "", p)),
            t(l(" 项", "")),
        ],
    ) {
        let mut parts = vec![t(l("：", ": "))];
        let mut any = false;
        for key in ["leak", "aging", "lighting"] {
            if let Some(f) = w.part(30, key, "", p) {
                let (zh_n, en_n) = part_name(key);
                if any {
                    parts.push(t(l("、", ", ")));
                }
                parts.push(t(format!("{} ", if zh { zh_n } else { en_n })));
                parts.push(Bit::F(Some(f)));
                any = true;
            }
        }
        if any {
            sentence(&mut s, parts);
        }
        sentence(&mut s, vec![t(l("。", ". "))]);
    }
    sentence(
        &mut s,
        vec![
            t(l("举办活动 ", "Events held: ")),
            Bit::F(w.fig(13, "", p)),
            t(l(" 场，参与 ", "; attendances: ")),
            Bit::F(w.fig(14, "", p)),
            t(l(" 人次。", ". ")),
        ],
    );
    sentence(
        &mut s,
        vec![
            t(l("资助居民提案 ", "Proposals funded: ")),
            Bit::F(w.fig(22, "", p)),
            t(l(" 个，基金支出 ", "; spent from the fund: ")),
            Bit::F(w.fig(23, "", p)),
            t(l("。", ". ")),
        ],
    );
    sentence(
        &mut s,
        vec![
            t(l("记录田野笔记 ", "Field notes written: ")),
            Bit::F(w.count("notes", extra.field_notes, "field-notes")),
            t(l(" 篇。", ". ")),
        ],
    );
    sentence(
        &mut s,
        vec![
            t(l(
                "通过或修订社区公约 ",
                "Charter and rules adopted or revised: ",
            )),
            Bit::F(w.count("charters", extra.charters, "charters")),
            t(l(" 项。", ".")),
        ],
    );
    if extra.drawings > 0 {
        sentence(
            &mut s,
            vec![
                t(l("孩子们画了 ", "Children drew ")),
                Bit::F(w.count("drawings", extra.drawings, "drawings")),
                t(l(
                    " 幅改造建议图，其中 ",
                    " drawings of what they would change; ",
                )),
                Bit::F(Some(Fig {
                    key: "drawings.adopted".into(),
                    text: extra.drawings_adopted.to_string(),
                    link: Link::Register("drawings"),
                })),
                t(l(" 处被采纳。", " were adopted.")),
            ],
        );
    }
    res.extend(para("res.works", s));

    let mut s = Vec::new();
    if let (Some((n0, (i0, a0, v0))), Some((n1, (i1, a1, _)))) = (&first, &last) {
        sentence(
            &mut s,
            vec![
                t(if zh {
                    format!("有参与的住户从{n0}的 ")
                } else {
                    "Households taking part went from ".to_string()
                }),
                Bit::F(Some(a0.clone())),
                t(if zh {
                    format!(" 变为{n1}的 ")
                } else {
                    format!(" in {n0} to ")
                }),
                Bit::F(Some(a1.clone())),
                t(if zh {
                    "；社区活跃度从 ".to_string()
                } else {
                    format!(" in {n1}; the activity index from ")
                }),
                Bit::F(Some(i0.clone())),
                t(l(" 到 ", " to ")),
                Bit::F(Some(i1.clone())),
                t(if zh {
                    format!("（翻番目标 {:.1}）。", v0 * 2.0)
                } else {
                    format!(" (the doubling target: {:.1}).", v0 * 2.0)
                }),
            ],
        );
    }
    res.extend(para("res.activity", s));
    sections.push(Section {
        key: "results",
        title: l("四、成效", "4. Results").into(),
        paras: res,
    });

    // ---- 5. Problems and failures.
    let mut problems: Vec<Para> = Vec::new();
    let mut first_problem: Option<&'static str> = None;
    let mut note = |key: &'static str, spans: Vec<Span>, problems: &mut Vec<Para>| {
        if let Some(pa) = para(&format!("prob.{key}"), spans) {
            first_problem.get_or_insert(key);
            problems.push(pa);
        }
    };
    // A party whose attendance fell most between the halves (10 points or more).
    let parts = |h: Period| x.figure(17, h).parts;
    let (p1, p2) = (parts(h1), parts(h2));
    let mut worst: Option<(&'static str, f64)> = None;
    for a in &p1 {
        let Some(b) = p2.iter().find(|b| b.key == a.key) else {
            continue;
        };
        if let (Some(va), Some(vb)) = (a.value.number(), b.value.number()) {
            let drop = va - vb;
            if drop >= 10.0 && worst.is_none_or(|(_, d)| drop > d) {
                worst = Some((a.key, drop));
            }
        }
    }
    if let Some((key, _)) = worst {
        let (zh_n, en_n) = part_name(key);
        let mut s = Vec::new();
        sentence(
            &mut s,
            vec![
                t(if zh {
                    format!("{zh_n}在四方会谈的出席率从上半段的 ")
                } else {
                    format!("{en_n}' attendance at the four-party talks fell from ")
                }),
                Bit::F(w.part(17, key, ".h1", h1)),
                t(l(" 降到下半段的 ", " in the first half to ")),
                Bit::F(w.part(17, key, ".h2", h2)),
                t(l("。", " in the second.")),
            ],
        );
        note("attendance", s, &mut problems);
    }
    let low = |id: u8, below: f64| {
        x.value(id, p)
            .number()
            .is_some_and(|v| v < below)
            .then(|| w.fig(id, "", p))
            .flatten()
    };
    if let Some(f) = low(9, 50.0) {
        let mut s = Vec::new();
        sentence(
            &mut s,
            vec![
                t(l(
                    "60岁以上的登记居民中，自己提交过诉求的只有 ",
                    "Of registered residents aged 60+, only ",
                )),
                Bit::F(Some(f)),
                t(l(
                    "，多数仍靠家人或志愿者代办。",
                    " filed a request themselves; most still rely on family or volunteers.",
                )),
            ],
        );
        note("elders", s, &mut problems);
    }
    if let Some(f) = w
        .fig(5, "", p)
        .filter(|_| matches!(x.value(5, p), Value::Count { n } if n > 0))
    {
        let mut s = Vec::new();
        sentence(
            &mut s,
            vec![
                t(l("目前仍有 ", "")),
                Bit::F(Some(f)),
                t(l(
                    " 件诉求超期未办。",
                    " requests are open past their deadline now.",
                )),
            ],
        );
        note("overdue", s, &mut problems);
    }
    if let Some(f) = low(18, 80.0) {
        let mut s = Vec::new();
        sentence(
            &mut s,
            vec![
                t(l("到期决议只落实了 ", "Only ")),
                Bit::F(Some(f)),
                t(l("。", " of the decisions due were carried out.")),
            ],
        );
        note("decisions", s, &mut problems);
    }
    if let Some(f) = low(28, 80.0) {
        let mut s = Vec::new();
        sentence(
            &mut s,
            vec![
                t(l("网格巡访只完成了计划的 ", "Grid patrols covered only ")),
                Bit::F(Some(f)),
                t(l("。", " of the plan.")),
            ],
        );
        note("patrols", s, &mut problems);
    }
    if x.value(10, p).number().is_some_and(|v| v >= 10.0) {
        let mut s = Vec::new();
        sentence(
            &mut s,
            vec![
                t(l(
                    "办结后又重复提出的诉求占 ",
                    "Requests raised again after being resolved: ",
                )),
                Bit::F(w.fig(10, "", p)),
                t(l("。", ".")),
            ],
        );
        note("reopened", s, &mut problems);
    }
    let missing: Vec<&str> = TABLE
        .iter()
        .filter(|d| x.value(d.id, p) == Value::NoData)
        .map(|d| if zh { d.zh } else { d.en })
        .collect();
    if !missing.is_empty() {
        let list = missing.join(l("、", ", "));
        problems.push(Para {
            key: "prob.nodata".into(),
            spans: vec![Span::Text(if zh {
                format!("这部手机上没有以下指标的数据，报告没有写到：{list}。")
            } else {
                format!("This phone holds no data for these indicators, so the report leaves them out: {list}.")
            })],
            edited: false,
        });
    }
    if problems.is_empty() {
        problems.push(Para {
            key: "prob.none".into(),
            spans: vec![Span::Text(
                l(
                    "数据里没有发现明显的短板。（请补充工作中遇到的困难。）",
                    "The data show no clear weak spot. (Add the difficulties met in the work.)",
                )
                .into(),
            )],
            edited: false,
        });
    }
    sections.push(Section {
        key: "problems",
        title: l("五、问题与不足", "5. Problems and failures").into(),
        paras: problems,
    });

    // ---- 6. Reflection: what moved most, for the better and for the worse.
    let mut best: Option<(u8, f64)> = None;
    let mut worse: Option<(u8, f64)> = None;
    for d in TABLE.iter() {
        let (Some(a), Some(b)) = (
            x.value(d.id, p.previous()).number(),
            x.value(d.id, p).number(),
        ) else {
            continue;
        };
        if a.abs() < 1e-9 {
            continue;
        }
        let mut rel = (b - a) / a.abs();
        if d.better == crate::indicators::Better::Lower {
            rel = -rel;
        }
        if rel > 0.0 && best.is_none_or(|(_, r)| rel > r) {
            best = Some((d.id, rel));
        }
        if rel < 0.0 && worse.is_none_or(|(_, r)| rel < r) {
            worse = Some((d.id, rel));
        }
    }
    let mut s = Vec::new();
    let moved = |s: &mut Vec<Span>, id: u8, zh_lead: &str, en_lead: &str| {
        let d = def(id).expect("table ids");
        sentence(
            s,
            vec![
                t(if zh {
                    format!("{zh_lead}“{}”：从 ", d.zh)
                } else {
                    format!("{en_lead} \"{}\": from ", d.en)
                }),
                Bit::F(w.fig(id, ".prev", p.previous())),
                t(l(" 到 ", " to ")),
                Bit::F(w.fig(id, "", p)),
                t(l("。", ". ")),
            ],
        )
    };
    if let Some((id, _)) = best {
        moved(
            &mut s,
            id,
            "与上一周期相比，进步最大的是",
            "Against the previous period, the most improved was",
        );
    }
    if let Some((id, _)) = worse {
        moved(&mut s, id, "退步最大的是", "The one that slipped most was");
    }
    sentence(
        &mut s,
        vec![t(l(
            "（请补充：哪些做法起了作用，哪些没有，为什么。）",
            "(Add: which practices worked, which did not, and why.)",
        ))],
    );
    sections.push(Section {
        key: "reflection",
        title: l("六、反思", "6. Reflection").into(),
        paras: para("refl.1", s).into_iter().collect(),
    });

    // ---- 7. Outlook.
    let mut s = Vec::new();
    if let Some((_, (index, _, v))) = &last {
        sentence(
            &mut s,
            vec![
                t(l(
                    "下一周期，把社区活跃度从 ",
                    "Next period: take the activity index from ",
                )),
                Bit::F(Some(index.clone())),
                t(if zh {
                    format!(" 再提高到 {:.1}；", v * 2.0)
                } else {
                    format!(" to {:.1}; ", v * 2.0)
                }),
            ],
        );
    }
    sentence(
        &mut s,
        vec![t(l(
            "把上面列出的短板写进实践路径图谱的下一阶段，每项配一个看得见的指标。",
            "put each weak spot above into the next phase of the roadmap, each with an indicator to watch.",
        ))],
    );
    sections.push(Section {
        key: "outlook",
        title: l("七、展望", "7. Outlook").into(),
        paras: para("outlook.1", s).into_iter().collect(),
    });

    // ---- 8. An open question, from the first weak spot.
    let q = match first_problem {
        Some("attendance") => l(
            "当一方越来越少出席，四方会谈怎样才能让它重新觉得值得来？",
            "When one party comes less and less, how can the four-party talks become worth its while again?",
        ),
        Some("elders") => l(
            "怎样让更多老人自己用得上，而不只是靠别人代办？",
            "How can more elders use it themselves, not only through someone filing for them?",
        ),
        Some("overdue") | Some("decisions") => l(
            "答应居民的事，怎样才能件件按时兑现？",
            "How can every promise made to residents be kept on time?",
        ),
        _ => l(
            "没有专职人员推动时，社区的活跃还能不能持续下去？",
            "Would the community stay active without paid staff pushing it?",
        ),
    };
    sections.push(Section {
        key: "question",
        title: l("八、一个开放的问题", "8. An open question").into(),
        paras: para("question.1", vec![Span::Text(q.into())])
            .into_iter()
            .collect(),
    });

    Report {
        title: if zh {
            format!("{community}社区实践报告")
        } else {
            format!("{community}: practice report")
        },
        subtitle: format!("{} – {}", day_words(from_day, zh), day_words(to_day, zh)),
        sections,
    }
}
