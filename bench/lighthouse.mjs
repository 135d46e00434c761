// Lighthouse 12.2.3, default mobile config (Moto G Power emulation, simulated slow 4G and 4x CPU
// throttling), on what a first visitor sees: the enrolment page at `/` of the real relay with
// its demo community, from a fresh browser profile.
//
//   node bench/lighthouse.mjs [--runs N] [--tiny]
//     --runs N  N runs, each in a fresh Chromium; reports Lighthouse's median run (default 1)
//     --tiny    one run, accessibility only: a quick check that the pipeline works
//
// Writes bench/out/lighthouse.json and bench/out/lighthouse.html (the median run's full report).
// Environment: LINLI_SERVER_BIN (default target/release/linli-server), LINLI_DIST (default dist),
// CHROME_PATH (default /usr/bin/chromium), LINLI_LH_RUN_TIMEOUT_MS (one run's bound, default 150000).
// Exit status: 0 when Lighthouse produced scores (low scores are reported, not fatal), 2 otherwise.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
import * as chromeLauncher from "chrome-launcher";
import { startRelay, stopRelay } from "./relay.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, "..");
const args = process.argv.slice(2);
const TINY = args.includes("--tiny");
const runsArg = args.indexOf("--runs");
const RUNS = TINY ? 1 : Math.max(1, Number(runsArg >= 0 ? args[runsArg + 1] : 1) || 1);
const CATEGORIES = TINY ? ["accessibility"] : ["performance", "accessibility", "best-practices"];
const DIST = resolve(process.env.LINLI_DIST || join(ROOT, "dist"));
const SERVER = process.env.LINLI_SERVER_BIN || join(ROOT, "target", "release", "linli-server");
const CHROME = process.env.CHROME_PATH || "/usr/bin/chromium";
process.env.CHROME_PATH = CHROME;
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu"];
const OUT_DIR = join(here, "out");
const RUN_TIMEOUT = Number(process.env.LINLI_LH_RUN_TIMEOUT_MS) || 150_000; // one Lighthouse run
const TOTAL_TIMEOUT = TINY ? 75_000 : 60_000 + RUNS * RUN_TIMEOUT;
const started = Date.now();

// ---------------------------------------------------------------- Chromium
const chromes = new Set();
async function killChrome(chrome) {
  if (!chrome) return;
  chromes.delete(chrome);
  try {
    await Promise.race([chrome.kill(), new Promise((r) => setTimeout(r, 5_000))]);
  } catch {}
  // chrome-launcher starts Chromium detached in its own process group; make sure it is gone.
  try {
    process.kill(-chrome.pid, "SIGKILL");
  } catch {}
  try {
    process.kill(chrome.pid, "SIGKILL");
  } catch {}
}

let relay;
async function cleanup() {
  await Promise.all([...chromes].map(killChrome));
  await stopRelay(relay);
}

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([promise, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${what} timed out after ${ms / 1000} s`)), ms)))]).finally(() =>
    clearTimeout(t)
  );
}

async function oneRun(url, i) {
  const t0 = Date.now();
  const chrome = await withTimeout(chromeLauncher.launch({ chromePath: CHROME, chromeFlags: CHROME_FLAGS, logLevel: "silent" }), 30_000, "Chromium launch");
  chromes.add(chrome);
  try {
    const result = await withTimeout(
      lighthouse(url, {
        port: chrome.port,
        logLevel: "error",
        output: "html",
        onlyCategories: CATEGORIES,
        maxWaitForLoad: 45_000,
        maxWaitForFcp: 30_000,
      }),
      RUN_TIMEOUT,
      `Lighthouse run ${i + 1}`
    );
    if (!result?.lhr) throw new Error(`Lighthouse run ${i + 1} returned no result`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse run ${i + 1}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const perf = lhr.categories.performance?.score;
    console.log(
      `run ${i + 1}/${RUNS}: ` +
        CATEGORIES.map((c) => `${c} ${score(lhr.categories[c]?.score)}`).join(", ") +
        (perf !== undefined ? `, LCP ${ms(metric(lhr, "largest-contentful-paint"))}, TBT ${ms(metric(lhr, "total-blocking-time"))}` : "") +
        ` (${((Date.now() - t0) / 1000).toFixed(1)} s)`
    );
    return { lhr, html: result.report };
  } finally {
    await killChrome(chrome);
  }
}

// ---------------------------------------------------------------- reading the result
const score = (s) => (s === null || s === undefined ? "n/a" : Math.round(s * 100));
const ms = (v) => (v === null || v === undefined ? "n/a" : `${Math.round(v)} ms`);
const metric = (lhr, id) => lhr.audits[id]?.numericValue ?? null;

function failing(lhr, category) {
  const cat = lhr.categories[category];
  if (!cat) return [];
  return cat.auditRefs
    .map((ref) => ({ ref, a: lhr.audits[ref.id] }))
    .filter(({ a }) => a && a.score !== null && a.score < 1 && (a.scoreDisplayMode === "binary" || a.scoreDisplayMode === "numeric" || a.scoreDisplayMode === "metricSavings"))
    .map(({ ref, a }) => ({
      id: a.id,
      title: a.title,
      score: a.score,
      weight: ref.weight,
      displayValue: a.displayValue ?? null,
      items: (a.details?.items || []).slice(0, 8).map((it) => ({
        selector: it.node?.selector ?? undefined,
        snippet: it.node?.snippet ?? undefined,
        explanation: it.node?.explanation ?? undefined,
        url: it.url ?? it.scriptUrl ?? it.source?.url ?? undefined,
        description: typeof it.description === "string" ? it.description : undefined,
      })),
    }));
}

// Performance audits that say something could be saved: opportunities (bytes / ms) and
// diagnostics with metric savings (LH 12 puts e.g. TBT savings on bootup-time, long-tasks).
function opportunities(lhr) {
  const cat = lhr.categories.performance;
  if (!cat) return [];
  return cat.auditRefs
    .filter((ref) => ref.group !== "metrics" && ref.group !== "hidden")
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a && a.scoreDisplayMode !== "error" && a.scoreDisplayMode !== "notApplicable")
    .map((a) => {
      const ms = Math.max(a.details?.overallSavingsMs ?? 0, ...Object.entries(a.metricSavings || {}).filter(([k]) => k !== "CLS").map(([, v]) => v || 0));
      return {
        id: a.id,
        title: a.title,
        kind: a.details?.type === "opportunity" ? "opportunity" : "diagnostic",
        score: a.score,
        savings_ms: ms,
        savings_bytes: a.details?.overallSavingsBytes ?? 0,
        metric_savings: a.metricSavings ?? null,
        displayValue: a.displayValue ?? null,
      };
    })
    .filter((o) => o.savings_ms > 0 || o.savings_bytes > 0 || (o.score !== null && o.score < 0.9 && o.kind === "opportunity"))
    .map((o) => ({ ...o, passed: o.score === null || o.score >= 0.9 }))
    // Failing audits first, then passed ones that still carry a metric-savings estimate.
    .sort((x, y) => x.passed - y.passed || y.savings_ms - x.savings_ms || y.savings_bytes - x.savings_bytes);
}

// Audits Lighthouse could not compute (a gatherer or the trace engine failed).
function errored(lhr) {
  return Object.values(lhr.audits)
    .filter((a) => a.scoreDisplayMode === "error")
    .map((a) => ({ id: a.id, error: a.errorMessage }));
}

function requests(lhr) {
  return (lhr.audits["network-requests"]?.details?.items || []).map((i) => ({
    url: i.url.replace(/^https?:\/\/[^/]+/, ""),
    mime: i.mimeType,
    transfer_bytes: i.transferSize,
    resource_bytes: i.resourceSize,
    status: i.statusCode,
  }));
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

// ---------------------------------------------------------------- main
let exitCode = 2;
const watchdog = setTimeout(() => {
  console.error(`lighthouse: everything timed out after ${TOTAL_TIMEOUT / 1000} s; killing Chromium and the relay`);
  cleanup().finally(() => process.exit(2));
}, TOTAL_TIMEOUT);
for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => cleanup().finally(() => process.exit(130)));

try {
  if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST}/index.html not found: build the app first (trunk build --release)`);
  if (!existsSync(SERVER)) throw new Error(`${SERVER} not found: build the relay or set LINLI_SERVER_BIN`);
  if (!existsSync(CHROME)) throw new Error(`${CHROME} not found: set CHROME_PATH`);
  relay = startRelay(SERVER, DIST, { demo: true });
  await relay.ready;
  const url = relay.url + "/";
  console.log(`Lighthouse 12 mobile on ${url} (enrolment page, fresh profile): ${RUNS} run(s), ${CATEGORIES.join(", ")}${TINY ? " [tiny]" : ""}`);

  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun(url, i));
  const lhrs = runs.map((r) => r.lhr);
  const best = TINY || !lhrs[0].categories.performance ? runs[0] : runs[lhrs.indexOf(computeMedianRun(lhrs))] || runs[0];
  const lhr = best.lhr;

  const metrics = {
    lcp_ms: metric(lhr, "largest-contentful-paint"),
    tbt_ms: metric(lhr, "total-blocking-time"),
    fcp_ms: metric(lhr, "first-contentful-paint"),
    speed_index_ms: metric(lhr, "speed-index"),
    cls: metric(lhr, "cumulative-layout-shift"),
    tti_ms: metric(lhr, "interactive"),
  };
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null]));
  const report = {
    generated: new Date().toISOString(),
    lighthouse_version: lhr.lighthouseVersion,
    url,
    final_url: lhr.finalDisplayedUrl,
    tiny: TINY,
    runs: RUNS,
    median_run: runs.indexOf(best) + 1,
    config: {
      form_factor: lhr.configSettings.formFactor,
      throttling_method: lhr.configSettings.throttlingMethod,
      throttling: lhr.configSettings.throttling,
      screen: lhr.configSettings.screenEmulation,
      chrome: CHROME,
      chrome_flags: CHROME_FLAGS,
      user_agent: lhr.environment?.hostUserAgent,
      benchmark_index: lhr.environment?.benchmarkIndex,
    },
    scores,
    metrics: TINY ? null : metrics,
    per_run: lhrs.map((l) => ({
      scores: Object.fromEntries(CATEGORIES.map((c) => [c, l.categories[c]?.score ?? null])),
      lcp_ms: metric(l, "largest-contentful-paint"),
      tbt_ms: metric(l, "total-blocking-time"),
      fcp_ms: metric(l, "first-contentful-paint"),
      speed_index_ms: metric(l, "speed-index"),
      cls: metric(l, "cumulative-layout-shift"),
      benchmark_index: l.environment?.benchmarkIndex,
    })),
    medians_over_runs:
      RUNS > 1 && !TINY
        ? {
            performance: median(lhrs.map((l) => l.categories.performance?.score)),
            lcp_ms: median(lhrs.map((l) => metric(l, "largest-contentful-paint"))),
            tbt_ms: median(lhrs.map((l) => metric(l, "total-blocking-time"))),
          }
        : null,
    observed_unthrottled: TINY
      ? null
      : (({ observedFirstContentfulPaint: fcp, observedLargestContentfulPaint: lcp, observedSpeedIndex: si, observedLoad: load, timeToFirstByte }) => ({
          fcp_ms: fcp,
          lcp_ms: lcp,
          speed_index_ms: si,
          load_ms: load,
          simulated_ttfb_ms: timeToFirstByte,
        }))(lhr.audits.metrics?.details?.items?.[0] || {}),
    failing: {
      accessibility: failing(lhr, "accessibility"),
      "best-practices": failing(lhr, "best-practices"),
    },
    opportunities: opportunities(lhr),
    errored_audits: errored(lhr),
    // Evidence that the audited page had rendered (an empty page passes accessibility vacuously).
    audit_counts: Object.fromEntries(
      CATEGORIES.map((c) => {
        const n = { passed: 0, failed: 0, not_applicable: 0, manual: 0, informative: 0, error: 0 };
        for (const ref of lhr.categories[c]?.auditRefs || []) {
          const a = lhr.audits[ref.id];
          const m = a.scoreDisplayMode;
          if (m === "notApplicable") n.not_applicable++;
          else if (m === "manual") n.manual++;
          else if (m === "informative") n.informative++;
          else if (m === "error") n.error++;
          else if (a.score === 1 || (m === "numeric" && a.score >= 0.9) || (m === "metricSavings" && a.score >= 0.9)) n.passed++;
          else n.failed++;
        }
        return [c, n];
      })
    ),
    dom_elements: lhr.audits["dom-size"]?.numericValue ?? null,
    requests: requests(lhr),
    run_warnings: lhr.runWarnings,
    seconds: null,
  };
  report.seconds = (Date.now() - started) / 1000;

  mkdirSync(OUT_DIR, { recursive: true });
  const base = TINY ? "lighthouse-tiny" : "lighthouse";
  writeFileSync(join(OUT_DIR, `${base}.json`), JSON.stringify(report, null, 1) + "\n");
  writeFileSync(join(OUT_DIR, `${base}.html`), best.html);

  // ------------------------------------------------------------ summary
  console.log(`\nScores (${RUNS > 1 ? `median run ${report.median_run} of ${RUNS}` : "one run"}):`);
  for (const c of CATEGORIES) console.log(`  ${c.padEnd(15)} ${score(scores[c])}`);
  if (!TINY) {
    console.log("Metrics (simulated mobile):");
    console.log(`  LCP ${ms(metrics.lcp_ms)}, TBT ${ms(metrics.tbt_ms)}, FCP ${ms(metrics.fcp_ms)}, Speed Index ${ms(metrics.speed_index_ms)}, CLS ${metrics.cls?.toFixed(3)}, TTI ${ms(metrics.tti_ms)}`);
    const o = report.observed_unthrottled;
    console.log(`  observed on this machine, unthrottled: FCP ${ms(o.fcp_ms)}, LCP ${ms(o.lcp_ms)}, Speed Index ${ms(o.speed_index_ms)}`);
    if (report.medians_over_runs) {
      const m = report.medians_over_runs;
      console.log(`  medians over ${RUNS} runs: performance ${score(m.performance)}, LCP ${ms(m.lcp_ms)}, TBT ${ms(m.tbt_ms)}`);
    }
  }
  const ac = report.audit_counts.accessibility;
  console.log(
    `Accessibility audits: ${ac.passed} passed, ${ac.failed} failed, ${ac.not_applicable} not applicable, ${ac.manual} manual` +
      (report.dom_elements !== null ? `; the page had ${report.dom_elements} DOM elements` : "")
  );
  if (ac.passed < 5) console.log("  WARNING: almost nothing was audited: did the page render?");
  for (const [cat, list] of Object.entries(report.failing)) {
    if (!lhr.categories[cat]) continue;
    console.log(`Failing ${cat} audits: ${list.length ? "" : "none"}`);
    for (const f of list) {
      console.log(`  - ${f.id}: ${f.title}${f.displayValue ? ` (${f.displayValue})` : ""}${f.weight === 0 ? " [weight 0: not in the score]" : ""}`);
      for (const it of f.items.slice(0, 3)) console.log(`      ${it.selector || it.url || it.description || ""}${it.snippet ? "  " + it.snippet.slice(0, 120) : ""}`);
    }
  }
  if (!TINY) {
    console.log(`Top performance opportunities: ${report.opportunities.length ? "" : "none"}`);
    for (const o of report.opportunities.slice(0, 8)) {
      const sav = [o.savings_ms ? `~${Math.round(o.savings_ms)} ms` : "", o.savings_bytes ? `${Math.round(o.savings_bytes / 1024)} KiB` : ""].filter(Boolean).join(", ");
      console.log(`  - ${o.id} (${o.passed ? "passed " : ""}${o.kind}): ${o.title} — ${sav || "no estimate"}${o.displayValue ? ` [${o.displayValue}]` : ""}`);
    }
  }
  if (report.errored_audits.length) {
    console.log(`Audits Lighthouse could not compute: ${report.errored_audits.length}`);
    for (const e of report.errored_audits) console.log(`  - ${e.id}: ${String(e.error).slice(0, 140)}`);
  }
  if (lhr.runWarnings?.length) console.log("Run warnings:\n  " + lhr.runWarnings.join("\n  "));
  console.log(`\nWrote ${join(OUT_DIR, TINY ? "lighthouse-tiny.json" : "lighthouse.json")} and its .html (${report.seconds.toFixed(1)} s)`);
  exitCode = 0;
} catch (e) {
  console.error("lighthouse: " + (e.stack || e));
  exitCode = 2;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(exitCode);
