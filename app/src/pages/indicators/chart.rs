//! Charts as SVG drawn in Rust (no chart library): a line through the points that have data
//! (a gap where a point has none), an optional dashed target line, `role="img"` with a label
//! that says what it shows, a `<title>`, and the same numbers as a table one tap away. No text
//! inside the SVG: it scales with the width, so labels stay HTML and grow in elder mode.

use leptos::prelude::*;

use crate::i18n::Lang;

const W: f64 = 300.0;

/// The polylines (one per run of points with data) and lone dots of `points` in a `W`×`h`
/// box, and the target's height; the scale runs from 0 (or the lowest) to the highest.
pub fn layout(points: &[Option<f64>], target: Option<f64>, h: f64) -> Layout {
    let known = points.iter().flatten().copied().chain(target);
    let (mut lo, mut hi) = known.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    lo = lo.min(0.0);
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = 3.0;
    let n = points.len().max(2) as f64 - 1.0;
    let x = |i: usize| pad + i as f64 * (W - 2.0 * pad) / n;
    let y = |v: f64| h - pad - (v - lo) / (hi - lo) * (h - 2.0 * pad);
    let mut lines = Vec::new();
    let mut dots = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(f64, f64)>, lines: &mut Vec<String>, dots: &mut Vec<(f64, f64)>| {
        match run.len() {
            0 => {}
            1 => dots.push(run[0]),
            _ => lines.push(
                run.iter()
                    .map(|(a, b)| format!("{a:.1},{b:.1}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
        run.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p {
            Some(v) => run.push((x(i), y(*v))),
            None => flush(&mut run, &mut lines, &mut dots),
        }
    }
    flush(&mut run, &mut lines, &mut dots);
    Layout {
        lines,
        dots,
        target: target.map(y),
        last: points
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, p)| p.map(|v| (x(i), y(v)))),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub lines: Vec<String>,
    pub dots: Vec<(f64, f64)>,
    pub target: Option<f64>,
    pub last: Option<(f64, f64)>,
}

/// A line chart: `label` is its accessible name (and `<title>`); `rows` the data table
/// (first column, value), under the headers `head`.
#[component]
pub fn LineChart(
    label: String,
    points: Vec<Option<f64>>,
    #[prop(default = None)] target: Option<f64>,
    rows: Vec<(String, String)>,
    head: (&'static str, &'static str, &'static str, &'static str),
    #[prop(default = 40.0)] height: f64,
    #[prop(default = "chart")] class: &'static str,
    /// The first and last point's labels, under the chart.
    #[prop(default = None)]
    axis: Option<(String, String)>,
) -> impl IntoView {
    let lang = expect_context::<crate::state::App>().lang;
    let l = layout(&points, target, height);
    let view_box = format!("0 0 {W} {height}");
    let title = label.clone();
    let rows = StoredValue::new(rows);
    let open = RwSignal::new(false);
    let details = NodeRef::<leptos::html::Details>::new();
    view! {
        <div class=format!("{class} chart")>
            <svg viewBox=view_box preserveAspectRatio="none" role="img" aria-label=label focusable="false">
                <title>{title}</title>
                {l.target.map(|t| view! {
                    <line class="target" x1="0" x2=W y1=t y2=t stroke-dasharray="6 4" vector-effect="non-scaling-stroke"/>
                })}
                {l.lines.into_iter().map(|p| view! {
                    <polyline class="line" points=p fill="none" vector-effect="non-scaling-stroke"/>
                }).collect_view()}
                {l.dots.into_iter().chain(l.last).map(|(x, y)| view! {
                    <circle class="dot" cx=x cy=y r="2.5"/>
                }).collect_view()}
            </svg>
            {axis.map(|(a, b)| view! { <p class="chart-axis" aria-hidden="true"><span>{a}</span><span>{b}</span></p> })}
            // The table is built when it is opened (a closed `<details>` shows nothing to
            // anyone, screen readers included): thirty cards' twelve rows each made drawing
            // the dashboard stall.
            <details class="data-table" node_ref=details
                on:toggle=move |_| open.set(details.get_untracked().is_some_and(|d| d.open()))>
                <summary>{move || lang.get().t("数据表", "Data table")}</summary>
                <Show when=move || open.get()>
                    <div class="table-wrap">
                        <table>
                            <thead><tr>
                                <th scope="col">{move || lang.get().t(head.0, head.1)}</th>
                                <th scope="col">{move || lang.get().t(head.2, head.3)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.with_value(|rows| rows.iter().map(|(a, b)| view! {
                                    <tr><th scope="row">{a.clone()}</th><td>{b.clone()}</td></tr>
                                }).collect_view())}
                            </tbody>
                        </table>
                    </div>
                </Show>
            </details>
        </div>
    }
}

/// "从 3 到 5，最高 6" / "from 3 to 5, highest 6": a chart's gist for its label.
pub fn gist(l: Lang, texts: &[(Option<f64>, String)]) -> String {
    let with: Vec<&(Option<f64>, String)> = texts.iter().filter(|(v, _)| v.is_some()).collect();
    let (Some(first), Some(last)) = (with.first(), with.last()) else {
        return l.t("无数据", "no data").into();
    };
    let high = with
        .iter()
        .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
        .map(|x| x.1.clone())
        .unwrap_or_default();
    match l {
        Lang::Zh => format!("从 {} 到 {}，最高 {}", first.1, last.1, high),
        Lang::En => format!("from {} to {}, highest {}", first.1, last.1, high),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn gaps_split_the_line_and_a_lone_point_is_a_dot() {
        let l = layout(&[Some(1.0), Some(2.0), None, Some(3.0), None], None, 40.0);
        assert_eq!(l.lines.len(), 1);
        assert_eq!(l.dots.len(), 1);
        assert!(l.last.is_some());
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn no_data_draws_nothing() {
        let l = layout(&[None, None], Some(2.0), 40.0);
        assert!(l.lines.is_empty() && l.dots.is_empty() && l.last.is_none());
        assert!(l.target.is_some());
    }
}
