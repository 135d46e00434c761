//! The plan as staff type it: every field a string as typed, so a bad figure is explained
//! beside its field and nothing typed is lost; [`PlanDraft::parse`] turns it into the plan.

use serde::{Deserialize, Serialize};

use super::model::{Action, Module, OwnerRole, Phase, Profile, Reason, Roadmap, Target};
use super::{
    ACTIONS_MAX, CASES_MAX, HORIZON_MAX, MONTHS_MAX, NAME_MAX, PHASES_MAX, PROBLEMS_MAX,
    TARGETS_MAX, THEME_MAX, TITLE_MAX,
};
use crate::domain::limits;

/// What is wrong with a field of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PlanError {
    #[error("this field is empty")]
    Empty,
    #[error("{len} characters; at most {max}")]
    TooLong { len: usize, max: usize },
    #[error("not a whole number")]
    NotANumber,
    #[error("a phase lasts 1 to {max} months")]
    MonthsOutOfRange { max: u32 },
    #[error("a phase starts within the plan's first {max} months")]
    StartOutOfRange { max: u32 },
    #[error("a share is 0 to 100 percent")]
    PercentOutOfRange,
    #[error("a month is YYYY-MM")]
    BadMonth,
    #[error("no module chosen")]
    ModuleMissing,
    #[error("no such indicator")]
    UnknownIndicator,
    #[error("a target is a number")]
    BadTarget,
    #[error("at most {max}")]
    TooMany { max: usize },
    #[error("public text holds a {}", what.as_str())]
    PersonalData { what: crate::pii::PiiKind },
}

impl PlanError {
    /// In plain words, zh-CN or English.
    pub fn text(self, zh: bool) -> String {
        match (self, zh) {
            (PlanError::Empty, true) => "请填写这一项".into(),
            (PlanError::Empty, false) => "Please fill this in".into(),
            (PlanError::TooLong { len, max }, true) => format!("太长：{len} 字，最多 {max} 字"),
            (PlanError::TooLong { len, max }, false) => {
                format!("Too long: {len} characters, at most {max}")
            }
            (PlanError::NotANumber, true) => "请填写整数，如 3".into(),
            (PlanError::NotANumber, false) => "Please type a whole number, e.g. 3".into(),
            (PlanError::MonthsOutOfRange { max }, true) => {
                format!("阶段时长应为 1 到 {max} 个月")
            }
            (PlanError::MonthsOutOfRange { max }, false) => {
                format!("A phase lasts 1 to {max} months")
            }
            (PlanError::StartOutOfRange { max }, true) => {
                format!("开始月份应在规划的前 {max} 个月内")
            }
            (PlanError::StartOutOfRange { max }, false) => {
                format!("A phase starts within the plan's first {max} months")
            }
            (PlanError::PercentOutOfRange, true) => "比例应在 0 到 100 之间".into(),
            (PlanError::PercentOutOfRange, false) => "A share is 0 to 100".into(),
            (PlanError::BadMonth, true) => "月份格式应为 年-月，如 2026-03".into(),
            (PlanError::BadMonth, false) => "A month is year-month, e.g. 2026-03".into(),
            (PlanError::ModuleMissing, true) => "请选择由哪个模块执行".into(),
            (PlanError::ModuleMissing, false) => "Please choose the module".into(),
            (PlanError::UnknownIndicator, true) => "请从 30 项指标中选择".into(),
            (PlanError::UnknownIndicator, false) => "Please choose one of the 30 indicators".into(),
            (PlanError::BadTarget, true) => "目标值应为数字，如 93".into(),
            (PlanError::BadTarget, false) => "A target is a number, e.g. 93".into(),
            (PlanError::TooMany { max }, true) => format!("最多 {max} 项"),
            (PlanError::TooMany { max }, false) => format!("At most {max}"),
            (PlanError::PersonalData { .. }, true) => {
                "公开内容不能包含手机号、身份证号、银行卡号或车牌".into()
            }
            (PlanError::PersonalData { .. }, false) => {
                "Public text may not hold a phone, ID or bank card number or a plate".into()
            }
        }
    }
}

/// Which field a problem is about (phase, action and target by their place in the form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Start,
    Households,
    Elders,
    Grids,
    Groups,
    Problems,
    Phases,
    PhaseName(usize),
    PhaseTheme(usize),
    PhaseStart(usize),
    PhaseMonths(usize),
    Actions(usize),
    ActionTitle(usize, usize),
    ActionModule(usize, usize),
    Targets(usize),
    TargetIndicator(usize, usize),
    TargetValue(usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProfileDraft {
    pub households: String,
    pub elders_pct: String,
    pub grids: String,
    pub groups: String,
    pub problems: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ActionDraft {
    pub title: String,
    pub module: Option<Module>,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub owner_name: String,
    #[serde(default)]
    pub owner_role: Option<OwnerRole>,
    #[serde(default)]
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TargetDraft {
    /// The indicator's id as chosen (`2`).
    pub indicator: String,
    /// The value as typed (`93`, `93.5`).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PhaseDraft {
    pub name: String,
    pub theme: String,
    /// The first month, counted from 1 (month 1 is the plan's first month), as typed.
    pub start: String,
    /// The length in months, as typed.
    pub months: String,
    #[serde(default)]
    pub actions: Vec<ActionDraft>,
    #[serde(default)]
    pub targets: Vec<TargetDraft>,
    #[serde(default)]
    pub cases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlanDraft {
    pub title: String,
    /// `YYYY-MM`.
    pub start: String,
    pub profile: ProfileDraft,
    pub phases: Vec<PhaseDraft>,
}

/// The plan as checked: what is written into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub title: String,
    pub start: String,
    pub profile: Profile,
    pub phases: Vec<Phase>,
}

fn text(
    out: &mut Vec<(Field, PlanError)>,
    f: Field,
    s: &str,
    max: usize,
    required: bool,
) -> String {
    let t = s.trim();
    let n = t.chars().count();
    if required && n == 0 {
        out.push((f, PlanError::Empty));
    } else if n > max {
        out.push((f, PlanError::TooLong { len: n, max }));
    } else if let Some(found) = crate::pii::find(t).first() {
        out.push((f, PlanError::PersonalData { what: found.kind }));
    }
    t.to_string()
}

fn number(out: &mut Vec<(Field, PlanError)>, f: Field, s: &str) -> Option<u32> {
    let t = s.trim();
    if t.is_empty() {
        return Some(0);
    }
    match t.parse::<u32>() {
        Ok(n) if n <= 1_000_000 => Some(n),
        _ => {
            out.push((f, PlanError::NotANumber));
            None
        }
    }
}

/// A phase length as typed: a whole number of 1 to [`MONTHS_MAX`] months.
pub fn parse_months(s: &str) -> Result<u32, PlanError> {
    match s.trim().parse::<u32>() {
        Err(_) => Err(PlanError::NotANumber),
        Ok(n) if n == 0 || n > MONTHS_MAX => Err(PlanError::MonthsOutOfRange { max: MONTHS_MAX }),
        Ok(n) => Ok(n),
    }
}

/// A target value as typed, in tenths.
pub fn parse_tenths(s: &str) -> Option<i64> {
    let v: f64 = s.trim().replace(['%', ','], "").parse().ok()?;
    (v.is_finite() && (0.0..=1e9).contains(&v)).then(|| (v * 10.0).round() as i64)
}

impl PlanDraft {
    /// Every problem, in the order of the form.
    pub fn problems(&self) -> Vec<(Field, PlanError)> {
        self.check().err().unwrap_or_default()
    }

    /// The plan, or every problem in the order of the form.
    pub fn parse(&self) -> Result<Plan, Vec<(Field, PlanError)>> {
        self.check()
    }

    fn check(&self) -> Result<Plan, Vec<(Field, PlanError)>> {
        let mut out = Vec::new();
        let title = text(&mut out, Field::Title, &self.title, TITLE_MAX, true);
        if super::model::parse_month(&self.start).is_none() {
            out.push((Field::Start, PlanError::BadMonth));
        }
        let p = &self.profile;
        let households = number(&mut out, Field::Households, &p.households).unwrap_or(0);
        let elders_pct = number(&mut out, Field::Elders, &p.elders_pct).unwrap_or(0);
        if elders_pct > 100 {
            out.push((Field::Elders, PlanError::PercentOutOfRange));
        }
        let grids = number(&mut out, Field::Grids, &p.grids).unwrap_or(0);
        let groups = number(&mut out, Field::Groups, &p.groups).unwrap_or(0);
        let problems = text(&mut out, Field::Problems, &p.problems, PROBLEMS_MAX, false);
        if self.phases.len() > PHASES_MAX {
            out.push((Field::Phases, PlanError::TooMany { max: PHASES_MAX }));
        }
        let mut phases = Vec::new();
        for (i, ph) in self.phases.iter().enumerate() {
            let name = text(&mut out, Field::PhaseName(i), &ph.name, NAME_MAX, true);
            let theme = text(&mut out, Field::PhaseTheme(i), &ph.theme, THEME_MAX, false);
            let start = match ph.start.trim().parse::<u32>() {
                Ok(n) if (1..=HORIZON_MAX).contains(&n) => n - 1,
                Ok(_) => {
                    out.push((
                        Field::PhaseStart(i),
                        PlanError::StartOutOfRange { max: HORIZON_MAX },
                    ));
                    0
                }
                Err(_) => {
                    out.push((Field::PhaseStart(i), PlanError::NotANumber));
                    0
                }
            };
            let months = parse_months(&ph.months).unwrap_or_else(|e| {
                out.push((Field::PhaseMonths(i), e));
                1
            });
            if ph.actions.len() > ACTIONS_MAX {
                out.push((Field::Actions(i), PlanError::TooMany { max: ACTIONS_MAX }));
            }
            let mut actions = Vec::new();
            for (j, a) in ph.actions.iter().enumerate() {
                let title = text(
                    &mut out,
                    Field::ActionTitle(i, j),
                    &a.title,
                    TITLE_MAX,
                    true,
                );
                let Some(module) = a.module else {
                    out.push((Field::ActionModule(i, j), PlanError::ModuleMissing));
                    continue;
                };
                let owner = a.owner.trim();
                actions.push(Action {
                    title,
                    module,
                    doc: a.doc.trim().chars().take(limits::ID_MAX).collect(),
                    owner: owner.chars().take(limits::ID_MAX).collect(),
                    owner_name: if owner.is_empty() {
                        String::new()
                    } else {
                        a.owner_name.trim().chars().take(limits::NAME_MAX).collect()
                    },
                    owner_role: if owner.is_empty() { a.owner_role } else { None },
                    why: Reason::parse(&a.why).map(Reason::code).unwrap_or_default(),
                });
            }
            if ph.targets.len() > TARGETS_MAX {
                out.push((Field::Targets(i), PlanError::TooMany { max: TARGETS_MAX }));
            }
            let mut targets = Vec::new();
            for (j, t) in ph.targets.iter().enumerate() {
                let id = t.indicator.trim().parse::<u8>().ok();
                let def = id.and_then(crate::indicators::def);
                if def.is_none() {
                    out.push((Field::TargetIndicator(i, j), PlanError::UnknownIndicator));
                }
                let tenths = parse_tenths(&t.value);
                if tenths.is_none() {
                    out.push((Field::TargetValue(i, j), PlanError::BadTarget));
                }
                if let (Some(d), Some(tenths)) = (def, tenths) {
                    if d.unit == crate::indicators::Unit::Percent && tenths > 1000 {
                        out.push((Field::TargetValue(i, j), PlanError::PercentOutOfRange));
                    }
                    targets.push(Target {
                        indicator: d.id,
                        tenths,
                    });
                }
            }
            let cases = ph
                .cases
                .iter()
                .filter(|c| crate::cases::CASES.iter().any(|k| k.id == c.as_str()))
                .take(CASES_MAX)
                .cloned()
                .collect();
            phases.push(Phase {
                name,
                theme,
                start,
                months,
                actions,
                targets,
                cases,
            });
        }
        if !out.is_empty() {
            return Err(out);
        }
        Ok(Plan {
            title,
            start: self.start.trim().to_string(),
            profile: Profile {
                households,
                elders_pct,
                grids,
                groups,
                problems,
            },
            phases,
        })
    }

    /// The draft of a saved roadmap, to edit it.
    pub fn of(r: &Roadmap) -> PlanDraft {
        let n = |v: u32| if v == 0 { String::new() } else { v.to_string() };
        PlanDraft {
            title: r.title.clone(),
            start: r.start.clone(),
            profile: ProfileDraft {
                households: n(r.profile.households),
                elders_pct: n(r.profile.elders_pct),
                grids: n(r.profile.grids),
                groups: n(r.profile.groups),
                problems: r.profile.problems.clone(),
            },
            phases: r
                .phases
                .iter()
                .map(|p| PhaseDraft {
                    name: p.name.clone(),
                    theme: p.theme.clone(),
                    start: (p.start + 1).to_string(),
                    months: p.months.to_string(),
                    actions: p
                        .actions
                        .iter()
                        .map(|a| ActionDraft {
                            title: a.title.clone(),
                            module: Some(a.module),
                            doc: a.doc.clone(),
                            owner: a.owner.clone(),
                            owner_name: a.owner_name.clone(),
                            owner_role: a.owner_role,
                            why: a.why.clone(),
                        })
                        .collect(),
                    targets: p
                        .targets
                        .iter()
                        .map(|t| TargetDraft {
                            indicator: t.indicator.to_string(),
                            value: format_tenths(t.tenths),
                        })
                        .collect(),
                    cases: p.cases.clone(),
                })
                .collect(),
        }
    }
}

/// `93` for 930 tenths, `4.5` for 45.
pub fn format_tenths(t: i64) -> String {
    if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        format!("{}.{}", t / 10, (t % 10).abs())
    }
}
