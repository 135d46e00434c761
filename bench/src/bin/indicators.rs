//! The 30 key indicators at five years' scale, natively: every document of the community
//! (what a staff phone holds) read into the summaries the app keeps, then, several times,
//! the index built and the dashboard's work done (all 30 for the last 30 days with their
//! records, the previous 30 days, a 12-week trend of each, the activity index month by month).
//! Prints the median and the range in milliseconds; the same for grid 7's scope (a grid
//! worker's dashboard, over the whole community's summaries: an upper bound for her phone).
//!
//! ```text
//! cargo run --release -p linli-bench --bin indicators -- [--residents N | --data DIR | --demo]
//!     [--runs 5] [--out FILE] [--tiny]
//! ```
//!
//! DIR is a data directory seeded with `linli-server --demo-scale N` (bench/scale.mjs keeps
//! one in bench/out/scale-N/); it is copied, not changed. Without it, N residents (default
//! 20,000) are seeded into a scratch directory first; `--demo` (and `--tiny`, with 3 runs)
//! seeds the demo community 水榭花都 instead, whose year ends today.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use linli_shared::domain::Summary;
use linli_shared::ids::DocumentId;
use linli_shared::indicators::{Builder, Index, Period, Scope, TREND_WEEKS};
use serde_json::json;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Median and range of `v` (sorted in place).
fn stats(v: &mut [f64]) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

/// What the dashboard computes once its index is built: every card (its figure and parts,
/// the previous period), then every card's trend, then the activity index month by month.
/// Adds each indicator's time (card and trend) to `each`.
fn dashboard(x: &Index, period: Period, each: &mut [Vec<f64>; 31]) -> usize {
    let mut n = 0;
    let mut cards = Vec::new();
    for id in 1..=30u8 {
        let t = Instant::now();
        let c = x.card(id, period);
        each[usize::from(id)].push(t.elapsed().as_secs_f64() * 1000.0);
        n += c.fig.parts.len();
        cards.push(c);
    }
    for c in &mut cards {
        let t = Instant::now();
        let trend = x.trend(c.fig.id, period, TREND_WEEKS);
        *each[usize::from(c.fig.id)].last_mut().expect("timed above") +=
            t.elapsed().as_secs_f64() * 1000.0;
        n += trend.len();
        c.trend = Some(trend);
    }
    std::hint::black_box(&cards);
    n + x.activity_months(12).len()
}

/// A figure with all its records, as a tap on it lists them (the costliest of the 30).
fn records(x: &Index, period: Period) -> (u8, f64, usize) {
    (1..=30u8)
        .map(|id| {
            let t = Instant::now();
            let f = x.figure(id, period);
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            (id, ms, f.numerator.len() + f.denominator.len())
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("30 figures")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tiny = args.iter().any(|a| a == "--tiny");
    let runs: usize = arg(&args, "--runs")
        .map(|r| r.parse())
        .transpose()?
        .unwrap_or(if tiny { 3 } else { 5 })
        .max(1);
    let scratch = std::env::temp_dir().join(format!("linli-indicators-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)?;
    let mut config = linli_server::config::Config {
        data: scratch.clone(),
        dist: None,
        ..linli_server::config::Config::default()
    };
    let demo = tiny || args.iter().any(|a| a == "--demo");
    match arg(&args, "--data") {
        _ if demo => config.demo = true,
        Some(from) => {
            for e in std::fs::read_dir(PathBuf::from(&from)).context("--data DIR")? {
                let e = e?;
                if e.path().is_file() {
                    std::fs::copy(e.path(), scratch.join(e.file_name()))?;
                }
            }
        }
        None => {
            let n: u32 = arg(&args, "--residents")
                .map(|r| r.parse())
                .transpose()?
                .unwrap_or(20_000);
            config.demo_scale = Some(n);
        }
    }
    let t = Instant::now();
    let started = linli_server::start(config)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!("relay ready in {:.1} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let (clock, summaries): (i64, Vec<(DocumentId, Summary)>) = started
        .state
        .hub
        .call(|ctx| (ctx.now, ctx.summaries()))
        .await
        .map_err(|_| anyhow::anyhow!("the hub stopped"))?;
    eprintln!(
        "{} documents read into summaries in {:.1} s",
        summaries.len(),
        t.elapsed().as_secs_f64()
    );
    // The five-year community's history ends on its END; the demo's at the relay's clock.
    let now = if demo {
        clock
    } else {
        linli_server::seed::scale::END
    };
    let period = Period::last_days(now, 30);
    let mut out = serde_json::Map::new();
    out.insert("documents".into(), json!(summaries.len()));
    for (label, scope) in [
        ("community", Scope::Community),
        ("grid 7", Scope::Grid("g07".into())),
    ] {
        let (mut build, mut finish, mut compute) = (Vec::new(), Vec::new(), Vec::new());
        let (mut unit, mut slice) = (Vec::new(), Vec::new());
        let mut longest_stage = String::new();
        let mut units = 0u64;
        let mut rows = 0;
        let mut each: [Vec<f64>; 31] = std::array::from_fn(|_| Vec::new());
        let mut opened = Vec::new();
        let mut opened_id = (0u8, 0usize);
        for run in 0..runs {
            let t = Instant::now();
            let mut b = Builder::new(scope.clone(), now);
            for (id, s) in &summaries {
                b.add(id, s);
            }
            let f = Instant::now();
            let x = b.finish();
            build.push(t.elapsed().as_secs_f64() * 1000.0);
            finish.push(f.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            rows = dashboard(&x, period, &mut each);
            compute.push(t.elapsed().as_secs_f64() * 1000.0);
            let (id, ms, n) = records(&x, period);
            opened.push(ms);
            opened_id = (id, n);
            // The same work as a phone does it, a unit at a time between frames: the longest
            // unit, and the longest run of the 8 units a phone does between two looks at the
            // clock (it yields once 8 ms have passed).
            let mut b = Builder::new(scope.clone(), now);
            for (id, s) in &summaries {
                b.add(id, s);
            }
            let mut f = b.finishing();
            let (mut longest, mut longest_slice, mut n) = (0.0f64, 0.0f64, 0u64);
            let mut slice_t = Instant::now();
            loop {
                let stage = f.stage();
                let t = Instant::now();
                let done = f.step(1);
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                if ms > longest {
                    longest = ms;
                    longest_stage = format!("{stage:?}");
                }
                n += 1;
                if done || n % 8 == 0 {
                    longest_slice = longest_slice.max(slice_t.elapsed().as_secs_f64() * 1000.0);
                    slice_t = Instant::now();
                }
                if done {
                    break;
                }
            }
            unit.push(longest);
            slice.push(longest_slice);
            units = n;
            let sliced = f.index();
            // A unit at a time gives the very same figures as one go.
            if run == 0 {
                for p in [period, period.previous(), Period::last_days(now, 365)] {
                    anyhow::ensure!(
                        sliced.all(p) == x.all(p) && sliced.activity(p) == x.activity(p),
                        "{label}: the index built a unit at a time differs from the one built at once"
                    );
                }
                anyhow::ensure!(
                    sliced.activity_months(12) == x.activity_months(12),
                    "{label}: the activity by month differs between the two ways of building"
                );
            }
        }
        let (bm, bl, bh) = stats(&mut build);
        let (fm, fl, fh) = stats(&mut finish);
        let (cm, cl, ch) = stats(&mut compute);
        let (um, ul, uh) = stats(&mut unit);
        let (sm, sl, sh) = stats(&mut slice);
        let (om, ol, oh) = stats(&mut opened);
        let mut costly: Vec<(u8, f64)> = (1..=30u8)
            .map(|id| (id, stats(&mut each[usize::from(id)]).0))
            .collect();
        costly.sort_by(|a, b| b.1.total_cmp(&a.1));
        costly.truncate(5);
        println!(
            "{label:>9}: build {bm:>7.1} ms ({bl:.1}–{bh:.1}; of which finish {fm:.1}), dashboard {cm:>7.1} ms ({cl:.1}–{ch:.1}), {runs} runs, {rows} records and points"
        );
        println!(
            "{:>9}  finishing in {units} units: the longest unit {um:.2} ms ({ul:.2}–{uh:.2}; last seen in {longest_stage}), the longest 8 units {sm:.2} ms ({sl:.2}–{sh:.2})",
            ""
        );
        println!(
            "{:>9}  costliest cards (figure, previous period and trend), median ms: {}",
            "",
            costly
                .iter()
                .map(|(id, ms)| format!("#{id} {ms:.2}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "{:>9}  the costliest figure to open with its records: #{} {om:.2} ms ({ol:.2}–{oh:.2}), {} records",
            "", opened_id.0, opened_id.1
        );
        out.insert(
            label.into(),
            json!({ "build_ms": { "median": bm, "min": bl, "max": bh },
                    "finish_ms": { "median": fm, "min": fl, "max": fh },
                    "dashboard_ms": { "median": cm, "min": cl, "max": ch },
                    "finish_units": units,
                    "costliest_cards_ms": costly.iter().map(|(id, ms)| json!({ "id": id, "median": ms })).collect::<Vec<_>>(),
                    "costliest_open_ms": { "id": opened_id.0, "records": opened_id.1, "median": om, "min": ol, "max": oh },
                    "longest_unit_ms": { "median": um, "min": ul, "max": uh, "stage": longest_stage },
                    "longest_8_units_ms": { "median": sm, "min": sl, "max": sh },
                    "runs": runs }),
        );
    }
    if let Some(path) = arg(&args, "--out") {
        std::fs::write(path, serde_json::to_string_pretty(&out)?)?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
