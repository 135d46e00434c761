//! The plan as a timeline × theme chart: an SVG drawn in Rust, quarters along the x axis,
//! one row per phase (its theme) with the phase as a bar and its actions as marks (filled when
//! done, half when under way, hollow otherwise), and a line for today. The SVG is `role="img"`
//! with the plan's gist as its name; beside it a text summary and the same facts as a table.
//! In elder mode the drawing is given a narrower view box, so it (and its words) draw larger.

use leptos::prelude::*;
use linli_shared::domain::roadmap::Roadmap;
use linli_shared::domain::roadmap::model::{add_months, parse_month};
use linli_shared::domain::roadmap::progress::Status;

use crate::i18n::Lang;

/// Where the bars start (the phase names are left of it).
const LEFT: f64 = 96.0;
const ROW: f64 = 34.0;
const TOP: f64 = 22.0;

/// One phase's row as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub x: f64,
    pub w: f64,
    pub y: f64,
    /// Action marks: x and status.
    pub marks: Vec<(f64, Status)>,
}

/// The chart's geometry for a plan `width` units wide: quarter ticks (x, label), bars, and
/// the x of today if it falls in the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub ticks: Vec<(f64, String)>,
    pub bars: Vec<Bar>,
    pub today: Option<f64>,
}

/// Lays the plan out; `statuses[i]` are phase `i`'s actions' statuses, `today` the months
/// since the plan's first month (fractional).
pub fn layout(
    r: &Roadmap,
    statuses: &[Vec<Status>],
    today: Option<f64>,
    width: f64,
    zh: bool,
) -> Layout {
    let span = r.span().max(3) as f64;
    let inner = width - LEFT - 6.0;
    let x = |m: f64| LEFT + m / span * inner;
    let mut ticks = Vec::new();
    if let Some(first) = parse_month(&r.start) {
        for n in 0..=r.span().max(3) {
            let (y, m) = add_months(first, n);
            if (m - 1) % 3 == 0 {
                let q = (m - 1) / 3 + 1;
                let label = if zh {
                    format!("{}年Q{q}", y % 100)
                } else {
                    format!("Q{q} '{:02}", y % 100)
                };
                ticks.push((x(n as f64), label));
            }
        }
    }
    let bars = r
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (bx, bw) = (
                x(p.start as f64),
                (x((p.start + p.months) as f64) - x(p.start as f64)).max(2.0),
            );
            let st = statuses.get(i).cloned().unwrap_or_default();
            let n = st.len().max(1) as f64;
            let marks = st
                .into_iter()
                .enumerate()
                .map(|(j, s)| (bx + bw * (j as f64 + 0.5) / n, s))
                .collect();
            Bar {
                label: p.name.clone(),
                x: bx,
                w: bw,
                y: TOP + i as f64 * ROW,
                marks,
            }
        })
        .collect();
    Layout {
        width,
        height: TOP + r.phases.len().max(1) as f64 * ROW + 4.0,
        ticks,
        bars,
        today: today.filter(|t| *t >= 0.0 && *t <= span).map(x),
    }
}

/// The plan in one paragraph for screen readers (and everyone).
pub fn summary(r: &Roadmap, statuses: &[Vec<Status>], l: Lang) -> String {
    let parts: Vec<String> = r
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let st = statuses.get(i).map(Vec::as_slice).unwrap_or_default();
            let done = st.iter().filter(|s| **s == Status::Done).count();
            let from = r.month_label(p.start);
            match l {
                Lang::Zh => format!(
                    "第{}阶段“{}”（{}）自 {from} 起 {} 个月，{} 项行动，已完成 {done} 项",
                    i + 1,
                    p.name,
                    p.theme,
                    p.months,
                    p.actions.len()
                ),
                Lang::En => format!(
                    "phase {} “{}” ({}) from {from} for {} months, {} actions, {done} done",
                    i + 1,
                    p.name,
                    p.theme,
                    p.months,
                    p.actions.len()
                ),
            }
        })
        .collect();
    match l {
        Lang::Zh => format!("规划共 {} 个阶段：{}。", r.phases.len(), parts.join("；")),
        Lang::En => format!(
            "The plan has {} phases: {}.",
            r.phases.len(),
            parts.join("; ")
        ),
    }
}

#[component]
pub fn Timeline(roadmap: Roadmap, statuses: Vec<Vec<Status>>, today: Option<f64>) -> impl IntoView {
    let app = expect_context::<crate::state::App>();
    let lang = app.lang;
    let l = lang.get_untracked();
    // Elder mode: a narrower drawing scales everything up.
    let width = if app.elder.get_untracked() {
        300.0
    } else {
        360.0
    };
    let lay = layout(&roadmap, &statuses, today, width, l.zh());
    let gist = summary(&roadmap, &statuses, l);
    let rows: Vec<(String, String, String, String, String)> = roadmap
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let st = statuses.get(i).map(Vec::as_slice).unwrap_or_default();
            let done = st.iter().filter(|s| **s == Status::Done).count();
            (
                p.name.clone(),
                p.theme.clone(),
                format!(
                    "{} – {}",
                    roadmap.month_label(p.start),
                    roadmap.month_label(p.start + p.months - 1)
                ),
                match l {
                    Lang::Zh => format!("{} 个月", p.months),
                    Lang::En => format!("{} months", p.months),
                },
                format!("{done} / {}", p.actions.len()),
            )
        })
        .collect();
    let view_box = format!("0 0 {} {:.0}", lay.width, lay.height);
    let title = gist.clone();
    view! {
        <figure class="rm-chart" data-testid="rm-chart">
            <svg viewBox=view_box role="img" aria-label=gist.clone() focusable="false">
                <title>{title}</title>
                {lay.ticks.iter().map(|(x, label)| view! {
                    <line class="rm-tick" x1=*x x2=*x y1="14" y2=lay.height vector-effect="non-scaling-stroke"/>
                    <text class="rm-tick-label" x=*x + 2.0 y="11">{label.clone()}</text>
                }).collect_view()}
                {lay.bars.iter().map(|b| view! {
                    <text class="rm-bar-label" x="2" y=b.y + 14.0>{b.label.clone()}</text>
                    <rect class="rm-bar" x=b.x y=b.y + 2.0 width=b.w height="18" rx="4"/>
                    {b.marks.iter().map(|(x, s)| {
                        let class = format!("rm-mark rm-{}", s.as_str());
                        view! { <circle class=class cx=*x cy=b.y + 11.0 r="4.5"/> }
                    }).collect_view()}
                }).collect_view()}
                {lay.today.map(|t| view! {
                    <line class="rm-today" x1=t x2=t y1="14" y2=lay.height stroke-dasharray="3 3" vector-effect="non-scaling-stroke"/>
                })}
            </svg>
            <figcaption>
                <p class="rm-legend" aria-hidden="true">{move || lang.get().t(
                    "● 已完成  ◐ 进行中  ○ 未开始  ┆ 今天",
                    "● done  ◐ under way  ○ not started  ┆ today",
                )}</p>
                <p class="rm-summary" data-testid="rm-summary">{gist}</p>
            </figcaption>
            <details class="data-table">
                <summary>{move || lang.get().t("数据表", "Data table")}</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-label=l.t("规划数据表", "The plan as a table")>
                    <table data-testid="rm-table">
                        <thead><tr>
                            <th scope="col">{move || lang.get().t("阶段", "Phase")}</th>
                            <th scope="col">{move || lang.get().t("主题", "Theme")}</th>
                            <th scope="col">{move || lang.get().t("起止", "Months")}</th>
                            <th scope="col">{move || lang.get().t("时长", "Length")}</th>
                            <th scope="col">{move || lang.get().t("已完成行动", "Actions done")}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(a, b, c, d, e)| view! {
                                <tr><th scope="row">{a}</th><td>{b}</td><td>{c}</td><td>{d}</td><td>{e}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_shared::domain::roadmap::{Phase, Profile};

    fn plan() -> Roadmap {
        let phase = |name: &str, start, months| Phase {
            name: name.into(),
            theme: String::new(),
            start,
            months,
            actions: Vec::new(),
            targets: Vec::new(),
            cases: Vec::new(),
        };
        Roadmap {
            title: "t".into(),
            start: "2026-03".into(),
            profile: Profile::default(),
            phases: vec![phase("a", 0, 3), phase("b", 3, 4), phase("c", 7, 5)],
            published: false,
            created_at: 0,
            updated_at: 0,
            by: String::new(),
            by_name: String::new(),
        }
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn phases_follow_each_other_and_quarters_start_in_their_months() {
        let l = layout(
            &plan(),
            &[vec![Status::Done, Status::Planned]],
            Some(4.0),
            360.0,
            true,
        );
        assert_eq!(l.bars.len(), 3);
        assert!((l.bars[0].x + l.bars[0].w - l.bars[1].x).abs() < 1e-6);
        assert_eq!(l.bars[0].marks.len(), 2);
        // March 2026 starts no quarter; April, July, October and January do.
        assert_eq!(l.ticks.first().map(|t| t.1.as_str()), Some("26年Q2"));
        assert_eq!(l.ticks.len(), 4);
        assert!(l.today.is_some());
    }
}
