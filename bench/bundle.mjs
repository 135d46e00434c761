// The bundle budget: what a first visit downloads, raw / gzip / brotli, against 400 KB brotli;
// the critical path (what is fetched before the first screen paints) against 50 KB brotli;
// the service worker's precache; and, over HTTP against the real relay, that every first-load
// file is served precompressed with the right encoding, type and cache headers.
//
//   node bench/bundle.mjs [--dist DIR] [--json PATH]
//
// Environment: LINLI_SERVER_BIN (default target/release/linli-server), LINLI_DIST (default dist).
// Exit status: 0 when every header check passes (the budget is reported, never fatal),
// 1 when a header check fails, 2 when the script itself could not run.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { startRelay, stopRelay } from "./relay.mjs";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const DIST = resolve(opt("--dist", process.env.LINLI_DIST || join(ROOT, "dist")));
const SERVER = process.env.LINLI_SERVER_BIN || join(ROOT, "target", "release", "linli-server");
const OUT = resolve(opt("--json", join(here, "out", "bundle.json")));
const BUDGET = 400 * 1024; // bytes of brotli for everything the first load needs
const CRITICAL_BUDGET = 50 * 1024; // bytes of brotli fetched before the first screen paints
const LONG_MAX_AGE = 30 * 24 * 3600; // "long": at least 30 days (the relay sends a year)
const HASHED = /[-_.][0-9a-f]{16}(?=[-_.])/i; // Trunk's `name-<16 hex>.ext` / `name-<16 hex>_bg.wasm`
const started = Date.now();

// ---------------------------------------------------------------- HTTP (raw bytes, no decoding)
function get(url, headers = {}) {
  return new Promise((res, rej) => {
    const req = http.get(url, { headers, agent: false }, (r) => {
      const chunks = [];
      r.on("data", (c) => chunks.push(c));
      r.on("end", () => res({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on("error", rej);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: GET ${url}`)));
    req.on("error", rej);
  });
}

// ---------------------------------------------------------------- index.html → first-load files
function attrs(tag) {
  const out = {};
  const re = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
  let m;
  const body = tag.replace(/^<\s*[a-z0-9]+/i, "").replace(/\/?>$/, "");
  while ((m = re.exec(body))) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
  return out;
}

function firstLoad(html) {
  const refs = new Map(); // path → { path, why, integrity? }
  const add = (href, why, integrity) => {
    if (!href || /^(data:|https?:|\/\/)/.test(href)) return;
    const path = "/" + href.replace(/^\.?\//, "").split(/[?#]/)[0];
    const cur = refs.get(path);
    if (cur) {
      if (!cur.why.includes(why)) cur.why += ", " + why;
      cur.integrity ||= integrity;
    } else refs.set(path, { path, why, integrity });
  };
  add("/index.html", "the page");
  for (const tag of html.match(/<link\b[^>]*>/gi) || []) {
    const a = attrs(tag);
    const rel = (a.rel || "").toLowerCase();
    if (!a.href) continue;
    if (/\b(stylesheet|manifest|icon|apple-touch-icon|modulepreload|preload|prefetch)\b/.test(rel)) {
      add(a.href, `<link rel=${rel}${a.as ? " as=" + a.as : ""}>`, a.integrity);
    }
  }
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const a = attrs("<script " + m[1] + ">");
    if (a.src) add(a.src, "<script src>", a.integrity);
    // Trunk's inline loader: `import init from '/x.js'` and `init({ module_or_path: '/x.wasm' })`.
    for (const s of m[2].matchAll(/(?:from|import\(|module_or_path:)\s*['"]([^'"]+\.(?:m?js|wasm))['"]/g)) {
      add(s[1], s[1].endsWith(".wasm") ? "init(module_or_path)" : "inline module import");
    }
  }
  for (const tag of html.match(/<img\b[^>]*>/gi) || []) add(attrs(tag).src, "<img>");
  return [...refs.values()];
}

// What is fetched before the first screen paints: the page; render-blocking stylesheets and
// classic scripts; whatever is preloaded (fetched at once, competing with them); and, when the
// page itself has nothing to show (its body is only scripts and <noscript>), the first screen
// is the app's, so its JS and wasm too.
function criticalPath(html, files) {
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? "";
  const painted = body
    .replace(/<script\b[\s\S]*?<\/script>/gi, "")
    .replace(/<noscript\b[\s\S]*?<\/noscript>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .trim().length > 0;
  const out = [{ path: "/index.html", why: "the page" }];
  const add = (href, why) => {
    if (!href || /^(data:|https?:|\/\/)/.test(href)) return;
    const path = "/" + href.replace(/^\.?\//, "").split(/[?#]/)[0];
    if (!out.some((f) => f.path === path)) out.push({ path, why });
  };
  for (const tag of html.match(/<link\b[^>]*>/gi) || []) {
    const a = attrs(tag);
    const rel = (a.rel || "").toLowerCase();
    if (/\bstylesheet\b/.test(rel) && !/^print$/i.test(a.media || "")) add(a.href, "render-blocking stylesheet");
    if (/\b(modulepreload|preload)\b/.test(rel)) add(a.href, `<link rel=${rel}> (fetched at once)`);
  }
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
    const a = attrs("<script " + m[1] + ">");
    if (a.src && !("async" in a) && !("defer" in a) && (a.type || "").toLowerCase() !== "module") add(a.src, "render-blocking script");
  }
  if (!painted) for (const f of files) if (/\.(m?js|wasm)$/.test(f.path)) add(f.path, "the app paints the first screen");
  return { painted, files: out };
}

// ---------------------------------------------------------------- sizes
const zcache = new Map();
function sizes(path) {
  if (zcache.has(path)) return zcache.get(path);
  const file = join(DIST, path.slice(1));
  if (!existsSync(file)) {
    const s = { path, missing: true, raw: 0, gzip: 0, brotli: 0 };
    zcache.set(path, s);
    return s;
  }
  const data = readFileSync(file);
  const sib = (ext, compute) =>
    existsSync(file + ext) ? { bytes: statSync(file + ext).size, source: "precompressed" } : { bytes: compute(data).length, source: "computed" };
  const gz = sib(".gz", (d) => gzipSync(d, { level: 9 }));
  const br = sib(".br", (d) =>
    brotliCompressSync(d, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: d.length } })
  );
  const s = {
    path,
    raw: data.length,
    gzip: gz.bytes,
    gzip_source: gz.source,
    brotli: br.bytes,
    brotli_source: br.source,
    hashed: HASHED.test(path.split("/").pop()),
  };
  zcache.set(path, s);
  return s;
}

// ---------------------------------------------------------------- checks
const checks = [];
function check(file, name, ok, detail) {
  checks.push({ file, check: name, ok: !!ok, detail });
}

function maxAge(cc) {
  const m = /max-age=(\d+)/.exec(cc || "");
  return m ? Number(m[1]) : null;
}

async function checkFile(base, f, { firstLoadFile = true } = {}) {
  const s = sizes(f.path);
  const file = join(DIST, f.path.slice(1));
  if (s.missing) {
    check(f.path, "exists in dist", false, `${f.why} references ${f.path} but dist has no such file`);
    return { served: null };
  }
  const raw = readFileSync(file);
  const hasBr = existsSync(file + ".br");
  const hasGz = existsSync(file + ".gz");
  const url = base + f.path;

  const br = await get(url, { "Accept-Encoding": "br" });
  const gz = await get(url, { "Accept-Encoding": "gzip" });
  const id = await get(url, { "Accept-Encoding": "identity" });
  check(f.path, "status 200", br.status === 200 && gz.status === 200 && id.status === 200, `br ${br.status}, gzip ${gz.status}, identity ${id.status}`);

  if (hasBr) {
    const ce = br.headers["content-encoding"];
    check(f.path, "br: content-encoding br", ce === "br", `content-encoding: ${ce ?? "(none)"}`);
    check(f.path, "br: body = .br size", br.body.length === s.brotli, `body ${br.body.length} B, .br ${s.brotli} B`);
    let same = false;
    try {
      same = brotliDecompressSync(br.body).equals(raw);
    } catch {}
    check(f.path, "br: decodes to the file", same, same ? "identical" : "the .br sibling does not decode to the current file (stale?)");
  } else {
    const ce = br.headers["content-encoding"];
    check(f.path, "br: no sibling → identity", !ce && br.body.length === raw.length, `no .br in dist; content-encoding ${ce ?? "(none)"}, body ${br.body.length} B`);
  }
  if (hasGz) {
    const ce = gz.headers["content-encoding"];
    check(f.path, "gzip: content-encoding gzip", ce === "gzip", `content-encoding: ${ce ?? "(none)"}`);
    check(f.path, "gzip: body = .gz size", gz.body.length === s.gzip, `body ${gz.body.length} B, .gz ${s.gzip} B`);
    let same = false;
    try {
      same = gunzipSync(gz.body).equals(raw);
    } catch {}
    check(f.path, "gzip: decodes to the file", same, same ? "identical" : "the .gz sibling does not decode to the current file (stale?)");
  } else {
    const ce = gz.headers["content-encoding"];
    check(f.path, "gzip: no sibling → identity", !ce && gz.body.length === raw.length, `no .gz in dist; content-encoding ${ce ?? "(none)"}, body ${gz.body.length} B`);
  }
  check(
    f.path,
    "identity: raw file",
    !id.headers["content-encoding"] && id.body.equals(raw),
    `content-encoding ${id.headers["content-encoding"] ?? "(none)"}, body ${id.body.length} B, file ${raw.length} B`
  );
  if (hasBr || hasGz) {
    const vary = String(br.headers["vary"] || "");
    check(f.path, "vary: accept-encoding", /accept-encoding/i.test(vary), `vary: ${vary || "(none)"}`);
  }

  const cc = String(br.headers["cache-control"] || "");
  const age = maxAge(cc);
  if (s.hashed) {
    check(f.path, "hashed: immutable, long max-age", /immutable/.test(cc) && age !== null && age >= LONG_MAX_AGE, `cache-control: ${cc || "(none)"}`);
  } else {
    check(f.path, "not hashed: not immutable", !/immutable/.test(cc), `cache-control: ${cc || "(none)"}`);
  }

  const ct = String(br.headers["content-type"] || "");
  const want = f.path.endsWith(".wasm")
    ? /^application\/wasm\b/ // WebAssembly.instantiateStreaming refuses anything else
    : /\.m?js$/.test(f.path)
      ? /^(text|application)\/javascript\b/ // module scripts refuse anything else
      : f.path.endsWith(".css")
        ? /^text\/css\b/
        : f.path.endsWith(".html")
          ? /^text\/html\b/
          : null;
  if (want) check(f.path, "content-type", want.test(ct), `content-type: ${ct || "(none)"}`);

  if (f.integrity) {
    const [alg, ...rest] = f.integrity.trim().split(/\s+/)[0].split("-");
    const got = createHash(alg).update(raw).digest("base64");
    check(f.path, "integrity (SRI) matches", got === rest.join("-"), got === rest.join("-") ? `${alg} ok` : `index.html says ${f.integrity}, file is ${alg}-${got}`);
  }
  return { served: { br: br.body.length, gzip: gz.body.length, identity: id.body.length, cache_control: cc, content_type: ct } };
}

// ---------------------------------------------------------------- main
const fmt = (n) => (n >= 1024 * 1024 ? (n / 1048576).toFixed(2) + " MB" : n >= 1024 ? (n / 1024).toFixed(1) + " KB" : n + " B");
const pad = (s, n, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));

let relay;
let exitCode = 2;
const watchdog = setTimeout(() => {
  console.error("bundle: timed out after 180 s");
  stopRelay(relay).finally(() => process.exit(2));
}, 180_000);
for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => stopRelay(relay).finally(() => process.exit(130)));

try {
  const indexPath = join(DIST, "index.html");
  if (!existsSync(indexPath)) throw new Error(`${indexPath} not found: build the app first (trunk build --release)`);
  if (!existsSync(SERVER)) throw new Error(`${SERVER} not found: build the relay (cargo build --release -p linli-server) or set LINLI_SERVER_BIN`);
  const html = readFileSync(indexPath, "utf8");
  const files = firstLoad(html);

  // The service worker and what it precaches (downloaded in the background on the first visit).
  const swFile = existsSync(join(DIST, "sw.js")) ? join(DIST, "sw.js") : join(ROOT, "public", "sw.js");
  const swText = readFileSync(swFile, "utf8");
  const pm = /const\s+PRECACHE\s*=\s*(\[[\s\S]*?\]);/.exec(swText);
  let precacheList = [];
  try {
    precacheList = pm ? JSON.parse(pm[1]) : [];
  } catch {
    precacheList = [];
  }
  if (!precacheList.length) console.warn(`bundle: no PRECACHE list found in ${swFile} (unbuilt public/sw.js?)`);

  relay = startRelay(SERVER, DIST);
  await relay.ready;
  const base = relay.url;

  const rows = [];
  for (const f of files) {
    const { served } = await checkFile(base, f);
    rows.push({ ...sizes(f.path), why: f.why, served_br: served?.br ?? null, served_gzip: served?.gzip ?? null, cache_control: served?.cache_control ?? null, content_type: served?.content_type ?? null });
  }
  // What the browser actually navigates to: `/` (served from index.html), and the service worker.
  {
    const r = await get(base + "/", { "Accept-Encoding": "br" });
    const s = sizes("/index.html");
    check("/", "status 200", r.status === 200, `status ${r.status}`);
    check("/", "br: content-encoding br", r.headers["content-encoding"] === "br", `content-encoding: ${r.headers["content-encoding"] ?? "(none)"}`);
    check("/", "br: body = index.html.br size", r.body.length === s.brotli, `body ${r.body.length} B, .br ${s.brotli} B`);
    check("/", "not hashed: not immutable", !/immutable/.test(r.headers["cache-control"] || ""), `cache-control: ${r.headers["cache-control"] ?? "(none)"}`);
  }
  const swRow = existsSync(join(DIST, "sw.js")) ? { ...sizes("/sw.js") } : null;
  if (swRow) {
    const { served } = await checkFile(base, { path: "/sw.js", why: "service worker" });
    swRow.served_br = served?.br ?? null;
    swRow.cache_control = served?.cache_control ?? null;
  }
  // A hashed name that is not in dist (an old version's asset, asked for after a deploy): it must
  // not come back as the SPA shell marked immutable for a year.
  {
    const probe = "/linli-app-0123456789abcdef.js";
    const r = await get(base + probe, { "Accept-Encoding": "br" });
    const cc = String(r.headers["cache-control"] || "");
    check(
      probe,
      "missing hashed file not cached immutable",
      !(r.status === 200 && /immutable/.test(cc)),
      `status ${r.status}, content-type ${r.headers["content-type"] ?? "(none)"}, cache-control: ${cc || "(none)"}` +
        (r.status === 200 ? " (the index.html fallback answers a missing asset with 200)" : "")
    );
  }

  const precacheRows = [];
  for (const p of precacheList) {
    const s = sizes(p);
    const inFirst = files.some((f) => f.path === p);
    if (!inFirst && !s.missing) {
      const { served } = await checkFile(base, { path: p, why: "sw precache" });
      precacheRows.push({ ...s, served_br: served?.br ?? null, in_first_load: false });
    } else {
      if (s.missing) check(p, "exists in dist", false, `sw.js precaches ${p} but dist has no such file`);
      const row = rows.find((r) => r.path === p);
      precacheRows.push({ ...s, served_br: row?.served_br ?? null, in_first_load: inFirst });
    }
  }

  const sum = (list, k) => list.reduce((a, r) => a + (r[k] || 0), 0);
  const totals = { raw: sum(rows, "raw"), gzip: sum(rows, "gzip"), brotli: sum(rows, "brotli"), served_br: sum(rows, "served_br") };
  const precacheTotals = {
    files: precacheRows.length,
    raw: sum(precacheRows, "raw"),
    gzip: sum(precacheRows, "gzip"),
    brotli: sum(precacheRows, "brotli"),
    served_br: sum(precacheRows, "served_br"),
    not_in_first_load_served_br: sum(precacheRows.filter((r) => !r.in_first_load), "served_br"),
  };
  // sw.js installs with `cache: "reload"` (bypassing the HTTP cache): then a first visit fetches
  // every precached file a second time, the wasm included.
  const reload = /cache\s*:\s*["']reload["']/.test(swText);
  const firstVisit = {
    sw_bypasses_http_cache: reload,
    served_br_bytes: totals.served_br + (swRow?.served_br || 0) + (reload ? precacheTotals.served_br : precacheTotals.not_in_first_load_served_br),
  };
  const critical = criticalPath(html, files);
  const criticalRows = critical.files.map((f) => ({ ...sizes(f.path), why: f.why }));
  const criticalTotals = { raw: sum(criticalRows, "raw"), gzip: sum(criticalRows, "gzip"), brotli: sum(criticalRows, "brotli") };
  const failed = checks.filter((c) => !c.ok);

  // ------------------------------------------------------------ print
  console.log(`\nFirst load (from ${join(DIST, "index.html")}):`);
  const head = `${pad("file", 40)} ${pad("raw", 10, 1)} ${pad("gzip", 10, 1)} ${pad("brotli", 10, 1)} ${pad("served br", 10, 1)}  cache`;
  console.log(head + "\n" + "-".repeat(head.length + 8));
  const line = (r) =>
    console.log(
      `${pad(r.path.length > 40 ? "…" + r.path.slice(-39) : r.path, 40)} ${pad(fmt(r.raw), 10, 1)} ${pad(fmt(r.gzip) + (r.gzip_source === "computed" ? "*" : ""), 10, 1)} ${pad(
        fmt(r.brotli) + (r.brotli_source === "computed" ? "*" : ""),
        10,
        1
      )} ${pad(r.served_br == null ? "-" : fmt(r.served_br), 10, 1)}  ${r.hashed ? "immutable" : r.cache_control || ""}`
    );
  rows.forEach(line);
  console.log("-".repeat(head.length + 8));
  console.log(`${pad("total", 40)} ${pad(fmt(totals.raw), 10, 1)} ${pad(fmt(totals.gzip), 10, 1)} ${pad(fmt(totals.brotli), 10, 1)} ${pad(fmt(totals.served_br), 10, 1)}`);
  console.log("  * computed with node:zlib (no precompressed sibling in dist; the relay serves these files uncompressed: see 'served br')");
  const met = totals.brotli <= BUDGET;
  console.log(
    `\nBudget: ${fmt(totals.brotli)} brotli (${totals.brotli} B; ${totals.served_br} B on the wire with Accept-Encoding: br) of ${fmt(BUDGET)} (${BUDGET} B): ` +
      (met ? "MET" : `EXCEEDED by ${fmt(totals.brotli - BUDGET)} (${((totals.brotli / BUDGET) * 100).toFixed(0)}% of budget)`)
  );
  console.log(
    `\nCritical path (fetched before the first screen paints; ${critical.painted ? "index.html paints it" : "index.html has nothing to paint: the app paints it"}): ` +
      `${fmt(criticalTotals.brotli)} brotli (${criticalTotals.brotli} B) of ${fmt(CRITICAL_BUDGET)}: ${criticalTotals.brotli <= CRITICAL_BUDGET ? "MET" : "EXCEEDED"}`
  );
  for (const r of criticalRows) console.log(`  ${pad(r.path.length > 40 ? "…" + r.path.slice(-39) : r.path, 40)} ${pad(fmt(r.brotli), 10, 1)}  ${r.why}`);
  if (swRow) console.log(`Service worker ${swRow.path}: ${fmt(swRow.raw)} raw, ${fmt(swRow.brotli)} brotli, cache-control: ${swRow.cache_control}`);
  console.log(
    `SW precache: ${precacheTotals.files} files, ${fmt(precacheTotals.raw)} raw, ${fmt(precacheTotals.gzip)} gzip, ${fmt(precacheTotals.brotli)} brotli, ${fmt(
      precacheTotals.served_br
    )} served with br (${fmt(precacheTotals.not_in_first_load_served_br)} beyond the first load: ${precacheRows
      .filter((r) => !r.in_first_load)
      .map((r) => r.path)
      .join(", ")})`
  );
  console.log(
    `First visit in all (first load + sw.js + precache${reload ? ', which sw.js fetches again with cache: "reload"' : " beyond the first load"}): ${fmt(firstVisit.served_br_bytes)} served with br`
  );
  console.log(`\nHeader checks: ${checks.length - failed.length}/${checks.length} passed`);
  for (const c of failed) console.log(`  FAIL ${c.file}: ${c.check} — ${c.detail}`);

  const report = {
    generated: new Date().toISOString(),
    dist: DIST,
    server: SERVER,
    budget: { limit_bytes: BUDGET, measure: "brotli", total_bytes: totals.brotli, served_br_bytes: totals.served_br, met, over_by_bytes: Math.max(0, totals.brotli - BUDGET) },
    first_load: { files: rows, totals },
    critical_path: {
      limit_bytes: CRITICAL_BUDGET,
      measure: "brotli",
      painted_by_page: critical.painted,
      files: criticalRows,
      totals: criticalTotals,
      met: criticalTotals.brotli <= CRITICAL_BUDGET,
    },
    service_worker: swRow,
    precache: { source: swFile, files: precacheRows, totals: precacheTotals },
    first_visit: firstVisit,
    checks: { total: checks.length, passed: checks.length - failed.length, failed: failed.length, ok: failed.length === 0, list: checks },
    seconds: (Date.now() - started) / 1000,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(report, null, 1) + "\n");
  console.log(`\nWrote ${OUT} (${report.seconds.toFixed(1)} s)`);
  exitCode = failed.length ? 1 : 0;
} catch (e) {
  console.error("bundle: " + (e.stack || e));
  exitCode = 2;
} finally {
  await stopRelay(relay);
  clearTimeout(watchdog);
}
process.exit(exitCode);
