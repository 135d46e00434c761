#!/usr/bin/env node
// Linli at five years' scale, in headless Chromium on a phone-sized context.
//
//   node bench/scale.mjs [--residents N] [--edits K] [--grid G | --staff] [--disk] [--tiny]
//
// The relay seeds a deterministic five-year community (`linli-server --demo-scale N`), cached
// under bench/out/scale-N/ (reseeded when missing or incomplete) and copied to a scratch
// directory for each run, so enrolments and edits never touch the cache. Then one grid worker's
// phone (grid 7: the seed's reusable invite GRDWRK57; another grid G: a new-phone invite for the
// seeded worker p-gwGG, issued through the staff API with the seed's staff invite STAFFBG2;
// --staff: the staff member STAFFBG2, who holds everything):
//   1. first full sync of a new device: enrolment until the device holds everything (time,
//      WebSocket bytes both ways, documents received);
//   2. IndexedDB size after the sync (navigator.storage.estimate, and bytes per object store);
//   3. cold start offline (service worker), with 4x CPU slowdown and without: navigation start
//      to the first card of the grid queue on screen;
//   4. K answers written offline through the UI, then reconnection: bytes until the sync
//      indicator shows everything confirmed;
//   5. the indicators dashboard offline with 4x CPU slowdown: the tap to every figure shown,
//      the app's own measures of the index and the 30 figures, the stalls meanwhile.
// --tiny: N=300, K=3, one cold start of each kind, as staff (the test suite runs it so it cannot
// rot). Staff, because at N=300 the whole community has only a handful of open requests (those
// of the last two weeks), so one grid's queue is usually empty and there is nothing to answer;
// staff see every open request through the same queue and the same controls.
// The phone is a Playwright browser context (tests/e2e/harness.mjs), which is off the record:
// its IndexedDB lives in memory. --disk uses a profile on disk instead (as a phone's would be).
// Writes bench/out/scale.json (--tiny: bench/out/scale-tiny.json, so the test suite never
// overwrites real figures) and prints a summary. Uses the release relay and the built app
// (target/release/linli-server, dist/); never builds anything. --seed-only: only make sure the
// seed is in bench/out/scale-N/ (the test suite seeds while the app's release build compiles).
// Every wait is bounded; the browser and the relay are always stopped, also on error.
import { spawn, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
process.env.LINLI_SERVER_BIN ||= join(ROOT, "target", "release", "linli-server");
process.env.LINLI_DIST ||= join(ROOT, "dist");
// The harness reads the two variables above when it is loaded.
const H = await import("../tests/e2e/harness.mjs");

const SERVER = process.env.LINLI_SERVER_BIN;
const DIST = process.env.LINLI_DIST;
const OUT = join(ROOT, "bench", "out");
const GRID7_CODE = "GRDWRK57"; // reusable, seeded: the grid worker of grid 7
const STAFF_CODE = "STAFFBG2"; // reusable, seeded: staff
const STALL_WINDOW_MS = 10_000; // watched for main-thread stalls after a cold start's first card
const USAGE = "usage: node bench/scale.mjs [--residents N] [--edits K] [--grid G | --staff] [--disk] [--tiny] [--seed-only]";

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = { residents: 20000, edits: 20, grid: 7, staff: false, coldRuns: 3, tiny: false };
  let residentsSet = false, editsSet = false, roleSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === "--residents") (o.residents = num()), (residentsSet = true);
    else if (a === "--edits") (o.edits = num()), (editsSet = true);
    else if (a === "--grid") (o.grid = num()), (roleSet = true);
    else if (a === "--staff") (o.staff = true), (roleSet = true);
    else if (a === "--tiny") o.tiny = true;
    else if (a === "--disk") o.disk = true;
    else if (a === "--seed-only") o.seedOnly = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (${USAGE})`);
  }
  if (o.tiny) {
    if (!residentsSet) o.residents = 300;
    if (!editsSet) o.edits = 3;
    if (!roleSet) o.staff = true;
    o.coldRuns = 1;
  }
  if (o.staff && o.grid !== 7) throw new Error("--grid and --staff exclude each other");
  if (o.grid > 18) throw new Error("--grid: the community has grids 1 to 18");
  // Time limits grow with the community (a 20,000-resident first sync may take minutes).
  const scale = Math.max(1, o.residents / 1000);
  o.limits = {
    seedMs: Math.max(120_000, 20 * scale * 1000),
    syncMs: Math.max(120_000, 180 * scale * 1000),
    coldMs: Math.max(60_000, 30 * scale * 1000),
    editMs: Math.max(30_000, 3 * scale * 1000),
    reconnectMs: Math.max(60_000, 6 * scale * 1000),
    // Nothing received and nothing new stored for this long: the first sync is over.
    quietMs: 3_000,
    pollMs: 500,
  };
  return o;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const now = () => performance.now();
const pause = (ms) => new Promise((r) => setTimeout(r, ms)); // only as a polling interval
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 0) => (x == null ? x : Math.round(x * 10 ** d) / 10 ** d);
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const mb = (b) => `${(b / 1048576).toFixed(2)} MB`;
const log = (...a) => console.log(`[scale ${new Date().toISOString().slice(11, 19)}]`, ...a);

/** Runs `step` and rethrows its failure with the step's name, so a broken step is obvious. */
async function step(name, fn) {
  const t = now();
  const c0 = cpuSnapshot();
  log(`${name}…`);
  try {
    const r = await fn();
    const c1 = cpuSnapshot();
    const wall = (now() - t) / 1000;
    if (c0 && c1) {
      const mine = c1.mine - c0.mine, busy = c1.busy - c0.busy;
      CPU_BY_STEP[name] = {
        wall_s: round(wall, 1),
        this_run_cpu_s: round(mine, 1),
        relay_cpu_s: round(c1.relay - c0.relay, 1),
        other_cpu_s: round(Math.max(0, busy - mine), 1),
        iowait_s: round(c1.iowait - c0.iowait, 1),
        // Writes to disk: all of them, and this run's (relay, Chromium's IndexedDB), in MB.
        disk_written_mb: round((c1.diskWritten - c0.diskWritten) / 1048576, 1),
        this_run_written_mb: round((c1.mineWritten - c0.mineWritten) / 1048576, 1),
        relay_written_mb: round((c1.relayWritten - c0.relayWritten) / 1048576, 1),
      };
    }
    log(`${name}: done in ${wall.toFixed(1)} s${CPU_BY_STEP[name]?.other_cpu_s > 0.2 * wall ? ` (other processes used ${CPU_BY_STEP[name].other_cpu_s} CPU-s meanwhile)` : ""}`);
    return r;
  } catch (e) {
    e.message = `step "${name}" failed: ${e.message}`;
    throw e;
  }
}

// CPU time per step: this run (this process and everything under it: relay, Chromium) and the
// rest of the machine. The machine has two cores and other work runs on it: a step during
// which other processes took much CPU is not a clean figure.
const CPU_BY_STEP = {};
const RELAY_PID = { pid: null };
const TICK = 100; // USER_HZ, what /proc reports times in (getconf CLK_TCK)

function cpuSnapshot() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7]; // user nice system irq softirq steal
    const iowait = f[4];
    // Sectors (512 B) written to whole disks (not partitions: names without a trailing digit
    // after a letter-only base, e.g. vda, sda, nvme0n1).
    let diskWritten = 0;
    for (const line of readFileSync("/proc/diskstats", "utf8").split("\n")) {
      const x = line.trim().split(/\s+/);
      if (x.length > 10 && /^(vd[a-z]+|sd[a-z]+|xvd[a-z]+|nvme\d+n\d+)$/.test(x[2])) diskWritten += Number(x[9]) * 512;
    }
    const procs = new Map();
    let relayT = 0;
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const st = readFileSync(`/proc/${pid}/stat`, "utf8");
        const rest = st.slice(st.lastIndexOf(")") + 2).split(" ");
        // rest[1] = ppid; rest[11], rest[12] = utime, stime (a process that ends within a step
        // is missed, which counts its time as other processes')
        procs.set(Number(pid), { ppid: Number(rest[1]), t: Number(rest[11]) + Number(rest[12]) });
        if (Number(pid) === RELAY_PID.pid) relayT = Number(rest[11]) + Number(rest[12]);
      } catch {}
    }
    const mineSet = new Set([process.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, p] of procs) if (!mineSet.has(pid) && mineSet.has(p.ppid)) mineSet.add(pid), (grew = true);
    }
    let mine = 0, mineWritten = 0, relayWritten = 0;
    for (const pid of mineSet) {
      mine += procs.get(pid)?.t ?? 0;
      try {
        // Bytes handed to the page cache for writing (a page rewritten before writeback counts
        // each time): the relay's store and Chromium's IndexedDB, mostly.
        const io = readFileSync(`/proc/${pid}/io`, "utf8");
        const w = Number((io.match(/^write_bytes: (\d+)/m) || [])[1] || 0) - Number((io.match(/^cancelled_write_bytes: (\d+)/m) || [])[1] || 0);
        mineWritten += w;
        if (pid === RELAY_PID.pid) relayWritten += w;
      } catch {}
    }
    return { busy: busy / TICK, mine: mine / TICK, relay: relayT / TICK, iowait: iowait / TICK, diskWritten, mineWritten, relayWritten };
  } catch {
    return null; // not Linux: no figures
  }
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
async function until(what, timeoutMs, probe, pollMs = 200) {
  const deadline = now() + timeoutMs;
  const fail = () => new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  for (;;) {
    // A probe that hangs (a page whose main thread never comes back) still ends at the deadline.
    let timer;
    const late = new Promise((_, reject) => (timer = setTimeout(() => reject(fail()), Math.max(0, deadline - now()) + 1_000)));
    const v = await Promise.race([probe(), late]).finally(() => clearTimeout(timer));
    if (v) return v;
    if (now() > deadline) throw fail();
    await pause(pollMs);
  }
}

/** Bytes in a directory: apparent size (`du -sb`), or blocks allocated on disk (`du -sk`). */
function duBytes(dir, allocated = false) {
  try {
    const n = Number(execFileSync("du", [allocated ? "-sk" : "-sb", dir], { encoding: "utf8" }).split(/\s/)[0]);
    return allocated ? n * 1024 : n;
  } catch {
    return null;
  }
}

function fileInfo(path) {
  try {
    const s = statSync(path);
    return { path, mtime: s.mtime.toISOString(), bytes: s.size };
  } catch {
    return { path, missing: true };
  }
}

function distVersion() {
  try {
    return JSON.parse(readFileSync(join(DIST, "build-info.json"), "utf8")).version;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The seeded relay

/** Seeds `dir` with the benchmark community of `n` residents unless a complete seed is there. */
async function ensureSeed(n, limits) {
  const dir = join(OUT, `scale-${n}`);
  const marker = join(dir, "seeded.json");
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, "utf8"));
    log(`reusing the seed in ${dir} (seeded ${m.at} in ${(m.seed_ms / 1000).toFixed(1)} s)`);
    // Kept, not reseeded: delete the directory to reseed with a newer relay.
    const stale = statSync(SERVER).mtime > new Date(m.at);
    if (stale) log(`note: ${SERVER} is newer than this seed (delete ${dir} to reseed with it)`);
    return { dir, reused: true, server_newer_than_seed: stale, ...m };
  }
  // A missing marker means no seed or an interrupted one: start over.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = now();
  const child = spawn(SERVER, ["--demo-scale", String(n), "--data", dir, "--addr", "127.0.0.1:0", "--dist", DIST], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  let out = "";
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`seeding ${n} residents took over ${limits.seedMs} ms:\n${out}`)), limits.seedMs);
      const onData = (b) => {
        out += b.toString();
        if (/open http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the relay exited with ${code} while seeding:\n${out}`));
      });
    });
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }
  const seed_ms = Math.round(now() - t0);
  const m = { residents: n, seed_ms, at: new Date().toISOString(), data_bytes: duBytes(dir), server: fileInfo(SERVER) };
  writeFileSync(marker, JSON.stringify(m, null, 1));
  log(`seeded ${n} residents in ${(seed_ms / 1000).toFixed(1)} s (${mb(m.data_bytes)})`);
  return { dir, reused: false, ...m };
}

// ---------------------------------------------------------------------------------------------
// In the page

/** Installed before every navigation: when the shell, the first queue card and the empty-queue
 *  message first appear (performance.now(), i.e. ms since navigation start). */
function coldStartProbe() {
  const b = (window.__bench = { t: {}, sockets: [], events: [], long: [] });
  performance.setResourceTimingBufferSize(10_000);
  // Main-thread stalls: a timer chained every 10 ms that fires over 50 ms late means the page
  // could not have answered a tap meanwhile. [start, duration] in ms since navigation start.
  // (A heartbeat, not the Long Tasks API: its entries arrive after the task, so a probe can miss
  // the one that just ended.)
  b.beat = performance.now();
  const tick = () => {
    const t = performance.now();
    if (t - b.beat > 60) b.long.push([Math.round(b.beat), Math.round(t - b.beat)]);
    b.beat = t;
    setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
  for (const e of ["online", "offline"]) addEventListener(e, () => b.events.push({ event: e, ms: Math.round(performance.now()) }));
  // Every socket's opening and closing (code, reason), to explain reconnections.
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const rec = { opened_ms: Math.round(performance.now()) };
      b.sockets.push(rec);
      this.addEventListener("close", (e) => Object.assign(rec, { closed_ms: Math.round(performance.now()), code: e.code, reason: e.reason, clean: e.wasClean }));
    }
  };
  const mark = (k) => {
    if (b.t[k] == null) b.t[k] = performance.now();
  };
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top < innerHeight;
  };
  const painted = (k) => requestAnimationFrame(() => setTimeout(() => mark(k), 0));
  const check = () => {
    if (b.t.shell == null && document.querySelector("nav.tabbar")) mark("shell");
    if (b.t.card == null && visible(document.querySelector("[data-testid=request-card]"))) {
      mark("card");
      painted("card_painted");
    }
    if (b.t.empty == null && visible(document.querySelector("main.page > p.empty"))) {
      mark("empty");
      painted("empty_painted");
    }
    if (b.t.card != null && b.t.shell != null) obs.disconnect();
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
}

/** The number of records in the `docs` store (opens its own connection to the app's DB). Its
 *  read transaction waits behind the app's queued writes, so during a first sync it can take
 *  seconds: the progress samples are sparse then, not wrong. */
async function idbDocCount() {
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open("linli");
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
    r.onupgradeneeded = () => {
      // The app has not created it yet: do not create it in its place.
      r.transaction.abort();
    };
  }).catch(() => null);
  if (!db) return 0;
  try {
    if (!db.objectStoreNames.contains("docs")) return 0;
    return await new Promise((res, rej) => {
      const q = db.transaction("docs").objectStore("docs").count();
      q.onsuccess = () => res(q.result);
      q.onerror = () => rej(q.error);
    });
  } finally {
    db.close();
  }
}

/** Records and bytes per object store (values: bytes of binary values, UTF-8 of strings,
 *  JSON of the rest; keys: UTF-8 of string keys), plus the browser's own estimate. */
async function idbSizes() {
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open("linli");
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const enc = new TextEncoder();
  const size = (v) => {
    if (v == null) return 0;
    if (v instanceof ArrayBuffer) return v.byteLength;
    if (ArrayBuffer.isView(v)) return v.byteLength;
    if (typeof v === "string") return enc.encode(v).length;
    if (v instanceof Blob) return v.size;
    try {
      return enc.encode(JSON.stringify(v) ?? "").length;
    } catch {
      return 0;
    }
  };
  const stores = {};
  try {
    for (const name of db.objectStoreNames) {
      stores[name] = await new Promise((res, rej) => {
        const s = { records: 0, value_bytes: 0, key_bytes: 0, largest_value: 0 };
        const c = db.transaction(name).objectStore(name).openCursor();
        c.onsuccess = () => {
          const cur = c.result;
          if (!cur) return res(s);
          const n = size(cur.value);
          s.records++;
          s.value_bytes += n;
          s.key_bytes += size(cur.key);
          s.largest_value = Math.max(s.largest_value, n);
          cur.continue();
        };
        c.onerror = () => rej(c.error);
      });
    }
  } finally {
    db.close();
  }
  const est = await navigator.storage.estimate();
  return { estimate: { usage: est.usage, quota: est.quota, usageDetails: est.usageDetails || null }, stores };
}

/** The sync indicator's state. */
function syncState() {
  const s = document.querySelector("[data-testid=sync]");
  if (!s) return null;
  return {
    online: s.dataset.online === "true",
    unconfirmed: Number(s.dataset.unconfirmed),
    // `sync ok` = online, nothing unconfirmed and nothing being saved (shell.rs).
    ok: s.classList.contains("ok"),
    text: s.textContent,
  };
}

// ---------------------------------------------------------------------------------------------
// WebSocket traffic through the Chrome DevTools Protocol

async function wsMeter(phone) {
  const cdp = await phone.context.newCDPSession(phone.page);
  await cdp.send("Network.enable");
  const m = {
    cdp,
    sent: 0, received: 0, framesSent: 0, framesReceived: 0, sockets: 0,
    lastFrameAt: 0,
    // Per connection since the last reset: frames and bytes by message type, each way.
    conns: new Map(),
    // Documents named in frames each way since the last reset.
    docsReceived: new Set(),
    docsSent: new Set(),
    t0: now(),
    reset() {
      m.sent = m.received = m.framesSent = m.framesReceived = m.sockets = 0;
      m.lastFrameAt = m.t0 = now();
      m.conns = new Map();
      m.docsReceived = new Set();
      m.docsSent = new Set();
    },
    snapshot() {
      return { bytes_sent: m.sent, bytes_received: m.received, frames_sent: m.framesSent, frames_received: m.framesReceived, sockets_opened: m.sockets };
    },
    connections() {
      return [...m.conns.values()].map((c) => ({ ...c, opened_ms: Math.round(c.opened_ms), closed_ms: c.closed_ms == null ? null : Math.round(c.closed_ms) }));
    },
  };
  const conn = (id) => {
    if (!m.conns.has(id)) m.conns.set(id, { opened_ms: now() - m.t0, closed_ms: null, sent: {}, received: {} });
    return m.conns.get(id);
  };
  const tally = (side, type, n) => {
    const t = (side[type] ||= { frames: 0, bytes: 0 });
    t.frames++;
    t.bytes += n;
  };
  // Binary frames (opcode 2) carry base64; text frames (opcode 1) the text itself.
  const payload = (r) => (r.opcode === 2 ? Buffer.from(r.payloadData || "", "base64") : Buffer.from(r.payloadData || "", "utf8"));
  cdp.on("Network.webSocketCreated", (e) => {
    m.sockets++;
    conn(e.requestId);
  });
  cdp.on("Network.webSocketClosed", (e) => {
    if (m.conns.has(e.requestId)) conn(e.requestId).closed_ms = now() - m.t0;
  });
  cdp.on("Network.webSocketFrameReceived", (e) => {
    const b = payload(e.response);
    m.received += b.length;
    m.framesReceived++;
    m.lastFrameAt = now();
    tally(conn(e.requestId).received, messageType(b), b.length);
    const doc = documentId(b);
    if (doc) m.docsReceived.add(doc);
  });
  cdp.on("Network.webSocketFrameSent", (e) => {
    const b = payload(e.response);
    m.sent += b.length;
    m.framesSent++;
    m.lastFrameAt = now();
    tally(conn(e.requestId).sent, messageType(b), b.length);
    const doc = documentId(b);
    if (doc) m.docsSent.add(doc);
  });
  return m;
}

/** The `type` of an automerge-repo message (a CBOR map with a text key "type"), or "?". */
function messageType(b) {
  const at = b.indexOf(TYPE_KEY);
  if (at < 0) return "?";
  const h = b[at + TYPE_KEY.length];
  if ((h & 0xe0) !== 0x60 || (h & 0x1f) >= 24) return "?";
  const start = at + TYPE_KEY.length + 1;
  return b.subarray(start, start + (h & 0x1f)).toString("utf8");
}
const TYPE_KEY = Buffer.from([0x64, 0x74, 0x79, 0x70, 0x65]); // CBOR text(4) "type"

/** The `documentId` of an automerge-repo message (base58check text), or null. */
function documentId(b) {
  const at = b.indexOf(DOC_KEY);
  if (at < 0) return null;
  let i = at + DOC_KEY.length;
  const h = b[i++];
  if ((h & 0xe0) !== 0x60) return null;
  let len = h & 0x1f;
  if (len === 24) len = b[i++];
  else if (len > 24) return null;
  return b.subarray(i, i + len).toString("latin1");
}
const DOC_KEY = Buffer.concat([Buffer.from([0x6a]), Buffer.from("documentId")]); // CBOR text(10)

/** Takes the phone off the network or back on. Playwright's `setOffline` alone is not enough
 *  here: with our own DevTools session attached to the page, a page loaded while offline sees
 *  `navigator.onLine === true` and never gets the `online` event (checked on Chromium 156), so
 *  the app would reconnect only on its backoff timer. The same emulation on our session too
 *  keeps what the page is told true. */
async function setOffline(phone, meter, offline) {
  const ours = () => meter.cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  // Back online: our session first, so the network works when the page hears `online`.
  if (!offline) await ours();
  await phone.context.setOffline(offline);
  if (offline) await ours();
}

// ---------------------------------------------------------------------------------------------
// The measurements

/** 1. Enrol a new phone and wait until it holds everything its grid worker may read. */
async function firstSync(phone, meter, code, limits, partial = {}) {
  const { page } = phone;
  await page.locator("#invite-code").waitFor({ timeout: 30_000 });
  await page.fill("#invite-code", code);
  meter.reset();
  const pageT0 = await page.evaluate(() => performance.now());
  const t0 = now();
  await page.locator("form button[type=submit]").click();
  await page.locator("nav.tabbar").waitFor({ timeout: limits.syncMs });
  const enrolledMs = now() - t0;
  // Done when the indicator says online with nothing unconfirmed or being saved and nothing
  // has gone over the socket for `quietMs` (the app acknowledges a document only once it is
  // stored, so the last frame follows the last save). Only the indicator is read meanwhile:
  // counting IndexedDB records while the app writes slowed the sync down (each count queues
  // behind, and ahead of, the app's write transactions), so the store is counted once, after.
  let okAt = null, samples = 0;
  const progress = (partial.progress = []);
  partial.sockets_now = () => page.evaluate(() => window.__bench.sockets).catch(() => null);
  await until("the first sync to finish", limits.syncMs, async () => {
    const s = await page.evaluate(syncState);
    const t = now();
    samples++;
    // A sample every 5 s (and a line on the console every 30 s) to show the pace.
    if (progress.length === 0 || t - t0 - progress[progress.length - 1].ms >= 5_000) {
      progress.push({ ms: Math.round(t - t0), docs_received: meter.docsReceived.size, docs_answered: meter.docsSent.size, bytes_received: meter.received, bytes_sent: meter.sent, sockets: meter.sockets });
      if (progress.length % 6 === 0) log(`   ${((t - t0) / 1000).toFixed(0)} s: ${meter.docsReceived.size} documents received, ${mb(meter.received)}, ${kb(meter.sent)} sent, ${meter.sockets} socket(s)`);
    }
    if (s && s.ok && s.online && s.unconfirmed === 0) okAt ??= t;
    else okAt = null;
    return okAt !== null && meter.docsReceived.size > 0 && t - meter.lastFrameAt >= limits.quietMs;
  }, limits.pollMs);
  const doneAt = Math.max(meter.lastFrameAt, okAt);
  const traffic = meter.snapshot();
  const count = await page.evaluate(idbDocCount);
  progress.push({ ms: Math.round(doneAt - t0), docs_received: meter.docsReceived.size, docs_stored: count });
  const cards = await page.locator("[data-testid=request-card]").count();
  const sockets = await page.evaluate(() => window.__bench.sockets);
  // How long the page could not answer a tap meanwhile: its main-thread stalls since the invite
  // was submitted (over 50 ms each).
  const long = await page.evaluate((since) => window.__bench.long.filter(([s, d]) => s + d >= since), pageT0);
  return {
    ms: Math.round(doneAt - t0),
    main_thread_stalls: { count: long.length, total_ms: long.reduce((a, [, d]) => a + d, 0), longest_ms: Math.max(0, ...long.map(([, d]) => d)) },
    enrolled_ms: Math.round(enrolledMs),
    last_frame_ms: Math.round(meter.lastFrameAt - t0),
    documents: count,
    queue_cards: cards,
    ...traffic,
    documents_received: meter.docsReceived.size,
    bytes_received_per_document: round(traffic.bytes_received / Math.max(1, count)),
    progress,
    probes: samples,
    // Each WebSocket the page opened during the sync, with how it closed (ms since page load),
    // and what went over each (ms since the invite was submitted).
    sockets,
    connections: meter.connections(),
  };
}

/** A phone with its profile on disk (IndexedDB on disk), set up like the harness's `newPhone`. */
async function diskPhone(relay, name) {
  const { chromium } = await import("playwright-core");
  const dir = mkdtempSync(join(tmpdir(), "linli-scale-profile-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const page = context.pages()[0] || (await context.newPage());
  page.name = name;
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket connection to|Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(m.text())) page.errors.push(m.text());
  });
  await page.goto(relay.url + "/");
  const browser = {
    version: () => execFileSync(process.env.CHROMIUM || "/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim() + " (profile on disk)",
    close: async () => {
      await context.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { browser, phone: { context, page, name } };
}

/** The invite the grid worker of `grid` enrols with: the seed's own for grid 7, otherwise a
 *  new-phone invite for the seeded worker, from the staff API. */
async function workerInvite(relay, grid) {
  if (grid === 7) return GRID7_CODE;
  const token = await (await H.enrolHeadless(relay, STAFF_CODE)).token();
  const person = `p-gw${String(grid).padStart(2, "0")}`;
  const r = await fetch(`${relay.url}/api/people/${person}/invites`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  const j = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`invite for ${person}: ${r.status} ${JSON.stringify(j)}`);
  return j.code;
}

/** 3. One cold start: reload offline and wait for the queue (or its empty message). */
async function coldStart(phone, cdp, rate, limits) {
  const { page } = phone;
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  try {
    await page.reload({ waitUntil: "commit", timeout: limits.coldMs });
    const handle = await page.waitForFunction(
      () => {
        const t = window.__bench && window.__bench.t;
        return t && (t.card_painted != null || t.empty_painted != null) ? t : null;
      },
      null,
      { timeout: limits.coldMs, polling: 100 }
    );
    const t = await handle.jsonValue();
    // When the main thread next got round to a request from outside (a tap would wait as long).
    const responsive = await page.evaluate(() => performance.now());
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      return n ? { dom_content_loaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, transfer_size: n.transferSize, from_sw: n.workerStart > 0 } : null;
    });
    const cards = await page.locator("[data-testid=request-card]").count();
    // After the first screen the app reads every stored document into its sync core in the
    // background (and a tap waits while it works). The app does not show when that is over, so
    // watch a fixed window instead: the main-thread stalls in the STALL_WINDOW_MS after the
    // first card.
    const first = t.card ?? t.empty;
    const long = await until("the stall window after a cold start", limits.coldMs, () =>
      page.evaluate(([first, win]) => {
        const b = window.__bench;
        const now = performance.now();
        // A heartbeat overdue now is a stall not yet recorded: wait for it.
        return now - first >= win && now - b.beat < 60 ? b.long : null;
      }, [first, STALL_WINDOW_MS]), 250);
    const after = long.filter(([s, d]) => s + d > first && s < first + STALL_WINDOW_MS);
    const onLine = await page.evaluate(() => navigator.onLine);
    if (onLine) throw new Error("the page loaded offline believes it is online (navigator.onLine)");
    return {
      cpu_slowdown: rate,
      ms: Math.round(t.card_painted ?? t.empty_painted),
      first_card_in_dom_ms: round(t.card),
      shell_ms: round(t.shell),
      responsive_ms: Math.round(responsive),
      // Stalls over 50 ms in the window after the first card: how many, how long in all, and
      // when the last one ended (ms since navigation start).
      stalls_after_first_screen: {
        window_ms: STALL_WINDOW_MS,
        count: after.length,
        total_ms: after.reduce((a, [, d]) => a + d, 0),
        longest_ms: Math.max(0, ...after.map(([, d]) => d)),
        busy_until_ms: Math.max(Math.round(t.card_painted ?? t.empty_painted), ...after.map(([s, d]) => s + d)),
        stalls: after,
      },
      queue_empty: t.card_painted == null,
      queue_cards: cards,
      navigation: nav && { ...nav, dom_content_loaded: round(nav.dom_content_loaded), load: round(nav.load) },
    };
  } finally {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  }
}

/**
 * 5. The indicators dashboard, offline: a cold start to the first card, then the Indicators tab
 * (`#/indicators`, the last 30 days, the whole community for staff, grid G for its worker) until
 * every figure is shown (`main.indicators[data-ready='1']`). Reports the app's own measures
 * (`linli:indicators:build`: the index from every summary the phone holds, built in slices
 * between which the browser runs; the app builds it in the background once the stored
 * documents are read, so `warm_build_ms` is that build during the wait before the tap and
 * `build_ms` any build after the tap; `...:figures`: every figure with its parts and previous
 * period drawn, card by card in slices too; `...:all`: until their 12-week trends are drawn as
 * well; `...:compute`: the computing alone within it), the time from the tap to the last figure, and the main-thread
 * stalls over 50 ms meanwhile (what a tap would wait) and during the background build. The tap
 * comes once the background build is done (or after the cold-start limit without one).
 */
async function dashboard(phone, cdp, rate, limits) {
  const { page } = phone;
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  try {
    await page.reload({ waitUntil: "commit", timeout: limits.coldMs });
    await page.waitForFunction(
      () => {
        const t = window.__bench && window.__bench.t;
        return t && (t.card_painted != null || t.empty_painted != null);
      },
      null,
      { timeout: limits.coldMs, polling: 100 }
    );
    // After a cold start the app reads every stored document into its sync core in the
    // background (stalls of up to a second at 4x, measured in step 3): tap once that is over,
    // so the stalls below are the dashboard's own.
    await page.waitForFunction(
      (win) => {
        const b = window.__bench;
        const first = b && b.t && (b.t.card ?? b.t.empty);
        return first != null && performance.now() - first >= win;
      },
      STALL_WINDOW_MS,
      { timeout: limits.coldMs, polling: 250 }
    );
    // Staff's and grid workers' phones build the dashboard's index in the background once the
    // stored documents are read: tap once it is there (as a phone open for a while is), or
    // when it does not come.
    const warmed = await page
      .waitForFunction(() => performance.getEntriesByName("linli:indicators:build", "measure").length > 0, null, {
        timeout: limits.coldMs,
        polling: 250,
      })
      .then(() => true, () => false);
    const before = await page.evaluate(() => {
      const m = (n) => performance.getEntriesByName(n, "measure").map((e) => Math.round(e.duration));
      const b = window.__bench;
      // The stalls while the background build ran (they are the build's own: the reading of
      // the stored documents is over before it starts).
      const span = performance.getEntriesByName("linli:indicators:build", "measure")[0];
      const long = span ? (b.long || []).filter(([s, d]) => s + d > span.startTime && s < span.startTime + span.duration) : [];
      const warm = { warm_build_ms: m("linli:indicators:build"), warm_stalls: long };
      performance.clearMeasures();
      location.hash = "#/indicators";
      return { t0: performance.now(), warm };
    });
    const t0 = before.t0;
    const warmStalls = before.warm.warm_stalls;
    await page.locator("main.indicators[data-ready='1']").waitFor({ timeout: limits.coldMs });
    const r = await page.evaluate((t0) => {
      const m = (n) => performance.getEntriesByName(n, "measure").map((e) => Math.round(e.duration));
      const long = ((window.__bench && window.__bench.long) || []).filter(([s, d]) => s + d > t0);
      return {
        ready_ms: Math.round(performance.now() - t0),
        build_ms: m("linli:indicators:build"),
        mount_ms: m("linli:indicators:mount"),
        // When the page painted its skeleton and when its figures began, from the tap.
        marks: Object.fromEntries(["linli:indicators:mount:end", "linli:indicators:all:start", "linli:indicators:all:end"].map((n) => [n, performance.getEntriesByName(n, "mark").map((e) => Math.round(e.startTime - t0))])),
        all_ms: m("linli:indicators:all"),
        // Every figure with its parts and previous period shown (the trends come after), and
        // the computing alone within `all` (drawing and the browser's turns left out).
        figures_ms: m("linli:indicators:figures"),
        compute_ms: m("linli:indicators:compute"),
        cards: document.querySelectorAll("[data-testid=ind-card]").length,
        stalls: long,
      };
    }, t0);
    return {
      cpu_slowdown: rate,
      ...r,
      warmed,
      warm_build_ms: before.warm.warm_build_ms,
      warm_stalls: { count: warmStalls.length, total_ms: warmStalls.reduce((a, [, d]) => a + d, 0), longest_ms: Math.max(0, ...warmStalls.map(([, d]) => d)) },
      stalls: { count: r.stalls.length, total_ms: r.stalls.reduce((a, [, d]) => a + d, 0), longest_ms: Math.max(0, ...r.stalls.map(([, d]) => d)), list: r.stalls.map(([st, d]) => [Math.round(st - t0), d]) },
    };
  } finally {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    // Back to the queue, as the next step expects to find it.
    await page.evaluate(() => (location.hash = "#/"));
    await page.locator("[data-testid=request-card]").first().waitFor({ timeout: limits.coldMs }).catch(() => {});
  }
}

/** 4. K answers offline through the UI, then reconnection. */
async function offlineEditsAndReconnect(phone, meter, k, limits) {
  const { page } = phone;
  const ids = await page.$$eval("[data-testid=request-card]", (cs) => cs.map((c) => c.dataset.id));
  if (ids.length === 0) throw new Error("the grid queue is empty: no request to answer");
  const base = (await page.evaluate(syncState)).unconfirmed;
  const storedBefore = (await page.evaluate(idbSizes)).stores;
  const edits = [];
  const stamp = Date.now() % 100000;
  for (let i = 0; i < k; i++) {
    const id = ids[i % ids.length];
    const text = `基准测试答复 ${stamp}-${i}：已安排人员上门查看。`;
    const t0 = now();
    // Tap the card in the queue, write the answer, send it, go back to the queue.
    await page.locator(`[data-testid=request-card][data-id="${id}"] a.card-link`).click({ timeout: limits.editMs });
    await page.locator("#answer").waitFor({ timeout: limits.editMs });
    const t1 = now();
    await page.fill("#answer", text);
    await page.locator("form:has(#answer) button[type=submit]").click({ timeout: limits.editMs });
    await page.locator("[data-testid=history] li[data-kind=answer]", { hasText: text }).waitFor({ timeout: limits.editMs });
    await page.waitForFunction(
      (n) => Number(document.querySelector("[data-testid=sync]")?.dataset.unconfirmed) >= n,
      base + i + 1,
      { timeout: limits.editMs, polling: 50 }
    );
    const t2 = now();
    await page.locator("a.back").click({ timeout: limits.editMs });
    await page.locator("[data-testid=request-card]").first().waitFor({ timeout: limits.editMs });
    const t3 = now();
    edits.push({ open_ms: t1 - t0, answer_ms: t2 - t1, back_ms: t3 - t2, total_ms: t3 - t0 });
  }
  const unconfirmed = (await page.evaluate(syncState)).unconfirmed;
  // What the edits added to the phone's storage (documents: appended change chunks; the read
  // model: the summaries rewritten): the nearest we get to the size of the changes themselves.
  const storedAfter = (await page.evaluate(idbSizes)).stores;
  const grew = (name) => (storedAfter[name]?.value_bytes ?? 0) - (storedBefore[name]?.value_bytes ?? 0);

  // Back online: the app reconnects on the browser's `online` event.
  meter.reset();
  const pageT0 = await page.evaluate(() => performance.now());
  const t0 = now();
  await setOffline(phone, meter, false);
  let confirmedAt = null;
  await until("every offline edit to be confirmed", limits.reconnectMs, async () => {
    const s = await page.evaluate(syncState);
    if (s && s.online && s.ok && s.unconfirmed === 0) confirmedAt ??= now();
    else confirmedAt = null;
    return confirmedAt !== null;
  }, 50);
  const atConfirmed = meter.snapshot();
  // When the page heard it was online and opened its socket, after the network came back.
  const { sockets, online, api } = await page.evaluate((t) => ({
    sockets: window.__bench.sockets.filter((s) => s.opened_ms >= t),
    online: window.__bench.events.find((e) => e.event === "online" && e.ms >= t - 1),
    api: performance.getEntriesByType("resource").filter((r) => r.startTime >= t && /\/api\//.test(r.name))
      .map((r) => ({ path: new URL(r.name).pathname, start_ms: Math.round(r.startTime - t), end_ms: Math.round(r.responseEnd - t), status: r.responseStatus })),
  }), pageT0);
  // Whatever still trickles in after the indicator turned (e.g. the relay's last replies).
  await until("the socket to go quiet after reconnecting", limits.reconnectMs, async () => now() - meter.lastFrameAt >= limits.quietMs, limits.pollMs);
  const total = meter.snapshot();
  const sum = (f) => edits.reduce((a, e) => a + f(e), 0);
  return {
    edits: k,
    distinct_requests: Math.min(k, ids.length),
    unconfirmed_before: unconfirmed,
    stored_growth: { docs_bytes: grew("docs"), docs_bytes_per_edit: round(grew("docs") / k), index_bytes: grew("index"), sync_bytes: grew("sync") },
    edit_ms: {
      mean_total: round(sum((e) => e.total_ms) / k),
      median_total: round(median(edits.map((e) => e.total_ms))),
      mean_open_request: round(sum((e) => e.open_ms) / k),
      mean_answer_saved: round(sum((e) => e.answer_ms) / k),
      mean_back_to_queue: round(sum((e) => e.back_ms) / k),
      all_edits: round(sum((e) => e.total_ms)),
      each_total: edits.map((e) => round(e.total_ms)),
    },
    reconnect: {
      confirmed_ms: Math.round(confirmedAt - t0),
      online_event_ms: online ? Math.round(online.ms - pageT0) : null,
      socket_created_ms: sockets.length ? Math.round(sockets[0].opened_ms - pageT0) : null,
      // From the socket's opening: the sync itself, without the sign-in and without a retry
      // when the first sign-in request raced the emulated network coming back (status 0).
      confirmed_after_socket_ms: sockets.length ? Math.round(confirmedAt - t0 - (sockets[0].opened_ms - pageT0)) : null,
      // The sign-in before the socket: challenge and token (ms after the network came back).
      api_requests: api,
      ...atConfirmed,
      bytes_sent_per_edit: round(atConfirmed.bytes_sent / k),
      bytes_received_per_edit: round(atConfirmed.bytes_received / k),
      until_quiet: total,
      sockets,
      connections: meter.connections(),
    },
  };
}

// ---------------------------------------------------------------------------------------------

// The test suite's --tiny runs must not overwrite the real figures.
const outFile = (opts) => join(OUT, opts.tiny ? "scale-tiny.json" : opts.disk ? "scale-disk.json" : "scale.json");

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = now();
  mkdirSync(OUT, { recursive: true });
  if (opts.seedOnly) {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: build the relay first`);
    const seed = await ensureSeed(opts.residents, opts.limits);
    log(`seed ready in ${seed.dir}`);
    return;
  }
  for (const f of [SERVER, join(DIST, "index.html")]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build the relay (release) and the app first`);
  }
  const result = {
    at: new Date().toISOString(),
    residents: opts.residents,
    edits: opts.edits,
    tiny: opts.tiny,
    disk: !!opts.disk,
    server: fileInfo(SERVER),
    dist_version_start: distVersion(),
    // Two cores shared with whatever else runs: the load says how quiet the machine was.
    loadavg_start: loadavg().map((x) => round(x, 2)),
    chromium: null,
  };
  log(`N=${opts.residents} residents, K=${opts.edits} edits, ${opts.coldRuns} cold start(s) of each kind`);

  const seed = await step("seed", () => ensureSeed(opts.residents, opts.limits));
  result.seed = { dir: seed.dir, reused: seed.reused, seed_ms: seed.seed_ms, seeded_at: seed.at, seeded_by: seed.server, server_newer_than_seed: !!seed.server_newer_than_seed, data_bytes: duBytes(seed.dir), data_bytes_on_disk: duBytes(seed.dir, true) };

  let relay, browser, phone, scratch;
  const phone_errors = () => (phone ? phone.page.errors : []);
  // Ctrl-C or a kill: stop the relay and the browser before leaving.
  const onSignal = async (sig) => {
    log(`${sig}: stopping`);
    await browser?.close().catch(() => {});
    if (relay) await H.stopRelay(relay);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    // A scratch copy: this run's enrolment and edits must not change the cached seed.
    scratch = mkdtempSync(join(tmpdir(), `linli-scale-${opts.residents}-`));
    await step("copy the seed to a scratch directory", () => {
      cpSync(seed.dir, scratch, { recursive: true, dereference: true });
      // Write the copy out now: its writeback would otherwise compete with IndexedDB's writes
      // during the first sync.
      execFileSync("sync");
    });
    const r0 = now();
    relay = await step("start the relay", () => H.startRelay({ data: scratch, demo: false }));
    result.relay_start_ms = Math.round(now() - r0);
    RELAY_PID.pid = relay.child.pid;
    result.who = opts.staff ? "staff (STAFFBG2)" : `grid worker of grid ${opts.grid}${opts.grid === 7 ? " (GRDWRK57)" : ""}`;
    const code = opts.staff ? STAFF_CODE : await step(`invite for the ${result.who}`, () => workerInvite(relay, opts.grid));
    if (opts.disk) ({ browser, phone } = await diskPhone(relay, "grid-worker"));
    else {
      browser = await H.launchBrowser();
      phone = await H.newPhone(browser, relay, "grid-worker");
    }
    result.chromium = browser.version();
    result.indexeddb_on_disk = !!opts.disk;
    phone.page.setDefaultTimeout(opts.limits.editMs);
    await phone.context.addInitScript(coldStartProbe);
    await phone.page.reload();
    const meter = await wsMeter(phone);

    const partial = {};
    try {
      result.first_sync = await step("1. first sync", () => firstSync(phone, meter, code, opts.limits, partial));
    } catch (e) {
      // What the device had got by then, and how its connections ended.
      result.first_sync_unfinished = { progress: partial.progress, ...meter.snapshot(), sockets: await partial.sockets_now?.(), connections: meter.connections() };
      throw e;
    }
    result.idb = await step("2. IndexedDB size", () => phone.page.evaluate(idbSizes));

    await step("wait for the service worker", () => H.waitControlled(phone));
    await setOffline(phone, meter, true);
    await step("reload offline once (warm-up, not measured)", () => coldStart(phone, meter.cdp, 1, opts.limits));
    const cold = { throttled: [], unthrottled: [] };
    for (let i = 0; i < opts.coldRuns; i++) {
      cold.throttled.push(await step(`3. cold start offline, 4x CPU slowdown, run ${i + 1}`, () => coldStart(phone, meter.cdp, 4, opts.limits)));
    }
    for (let i = 0; i < opts.coldRuns; i++) {
      cold.unthrottled.push(await step(`3. cold start offline, no slowdown, run ${i + 1}`, () => coldStart(phone, meter.cdp, 1, opts.limits)));
    }
    cold.throttled_median_ms = median(cold.throttled.map((c) => c.ms));
    cold.unthrottled_median_ms = median(cold.unthrottled.map((c) => c.ms));
    cold.throttled_busy_until_median_ms = median(cold.throttled.map((c) => c.stalls_after_first_screen.busy_until_ms));
    cold.unthrottled_busy_until_median_ms = median(cold.unthrottled.map((c) => c.stalls_after_first_screen.busy_until_ms));
    result.cold_start = cold;
    const dash = [];
    for (let i = 0; i < opts.coldRuns; i++) {
      dash.push(await step(`5. indicators dashboard offline, 4x CPU slowdown, run ${i + 1}`, () => dashboard(phone, meter.cdp, 4, opts.limits)));
    }
    const sum = (v) => v.reduce((a, b) => a + b, 0);
    result.indicators = { runs: dash, ready_median_ms: median(dash.map((d) => d.ready_ms)), build_median_ms: median(dash.map((d) => sum(d.build_ms))), all_median_ms: median(dash.map((d) => sum(d.all_ms))), figures_median_ms: median(dash.map((d) => sum(d.figures_ms))), compute_median_ms: median(dash.map((d) => sum(d.compute_ms))) };

    result.offline_edits = await step(`4. ${opts.edits} offline edits and reconnection`, () =>
      offlineEditsAndReconnect(phone, meter, opts.edits, opts.limits)
    );
    result.page_errors = phone.page.errors;
    result.relay_log = relay.output().split("\n").filter((l) => l && !/^Linli is running/.test(l)).slice(-40);
    if (!opts.disk) await phone.context.close();
  } catch (e) {
    // Keep what was measured, and say where it broke.
    result.error = e.message;
    result.page_errors = phone_errors();
    result.cpu_by_step = CPU_BY_STEP;
    writeFileSync(outFile(opts), JSON.stringify(result, null, 1) + "\n");
    throw e;
  } finally {
    await browser?.close().catch(() => {});
    if (relay) await H.stopRelay(relay);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  result.dist_version_end = distVersion();
  result.loadavg_end = loadavg().map((x) => round(x, 2));
  result.cpu_by_step = CPU_BY_STEP;
  result.total_ms = Math.round(now() - started);
  result.out = outFile(opts);
  writeFileSync(result.out, JSON.stringify(result, null, 1) + "\n");
  summary(result);
}

function closes(sockets) {
  const by = {};
  for (const s of sockets) if (s.code != null) by[`${s.code} ${s.reason}`] = (by[`${s.code} ${s.reason}`] || 0) + 1;
  return Object.entries(by).map(([k, n]) => `${n}× ${k}`).join(", ") || "none";
}

function shortStep(name) {
  const run = (name.match(/run (\d+)/) || [])[1];
  if (name.startsWith("1.")) return "sync";
  if (name.startsWith("2.")) return "idb";
  if (name.startsWith("3.")) return `cold${/4x/.test(name) ? "4x" : "1x"}#${run}`;
  if (name.startsWith("4.")) return "edits";
  if (name.startsWith("5.")) return `dash#${run}`;
  return name;
}

function summary(r) {
  const f = r.first_sync, c = r.cold_start, e = r.offline_edits, docs = r.idb.stores.docs || {};
  const lines = [
    ``,
    `Linli at five years, N=${r.residents} residents (${r.who}, phone viewport, headless Chromium ${r.chromium}; IndexedDB ${r.indexeddb_on_disk ? "on disk" : "in memory (off-the-record context)"})`,
    `  seed          ${r.seed.reused ? "reused" : "generated"}; generation took ${(r.seed.seed_ms / 1000).toFixed(1)} s, relay data ${mb(r.seed.data_bytes)} (${mb(r.seed.data_bytes_on_disk)} on disk); relay start ${r.relay_start_ms} ms`,
    `  first sync    ${(f.ms / 1000).toFixed(1)} s to hold ${f.documents} documents (${f.queue_cards} open in the queue); received ${mb(f.bytes_received)} in ${f.frames_received} frames, sent ${kb(f.bytes_sent)} in ${f.frames_sent} frames`,
    `                ${f.sockets.length} connection(s); closed by the relay: ${closes(f.sockets)}; main thread stalled ${(f.main_thread_stalls.total_ms / 1000).toFixed(1)} s in ${f.main_thread_stalls.count} stalls over 50 ms (longest ${f.main_thread_stalls.longest_ms} ms)`,
    `  IndexedDB     estimate ${mb(r.idb.estimate.usage)}${r.idb.estimate.usageDetails?.indexedDB != null ? ` (indexedDB ${mb(r.idb.estimate.usageDetails.indexedDB)})` : ""}; docs store ${docs.records} records, ${mb(docs.value_bytes)}; ` +
      Object.entries(r.idb.stores).filter(([n]) => n !== "docs").map(([n, s]) => `${n} ${s.records}/${kb(s.value_bytes)}`).join(", "),
    `  cold start    offline, 4x CPU: ${c.throttled.map((x) => x.ms).join(", ")} ms (median ${c.throttled_median_ms}); no slowdown: ${c.unthrottled.map((x) => x.ms).join(", ")} ms (median ${c.unthrottled_median_ms})${c.throttled[0].queue_empty ? " [queue empty: measured to the empty-queue message]" : ""}`,
    `                stalls over 50 ms in the ${STALL_WINDOW_MS / 1000} s after the first card (total ms, last one ended at ms): ` +
      `4x CPU ${c.throttled.map((x) => `${x.stalls_after_first_screen.total_ms}/${x.stalls_after_first_screen.busy_until_ms}`).join(", ")}; ` +
      `no slowdown ${c.unthrottled.map((x) => `${x.stalls_after_first_screen.total_ms}/${x.stalls_after_first_screen.busy_until_ms}`).join(", ")}`,
    `  indicators    offline, 4x CPU, tap to every figure: ${r.indicators.runs.map((d) => d.ready_ms).join(", ")} ms (median ${r.indicators.ready_median_ms}); index built in the background before the tap in ${r.indicators.runs.map((d) => d.warm_build_ms.join("+") || "-").join(", ")} ms (stalls over 50 ms meanwhile: ${r.indicators.runs.map((d) => `${d.warm_stalls.count}/${d.warm_stalls.total_ms}/${d.warm_stalls.longest_ms}`).join(", ")}), after the tap in ${r.indicators.runs.map((d) => d.build_ms.join("+") || "-").join(", ")} ms, the page's skeleton to its first paint in ${r.indicators.runs.map((d) => d.mount_ms.join("+")).join(", ")} ms, the 30 figures shown in ${r.indicators.runs.map((d) => d.figures_ms.join("+")).join(", ")} ms, with their trends in ${r.indicators.runs.map((d) => d.all_ms.join("+")).join(", ")} ms, of which computing ${r.indicators.runs.map((d) => d.compute_ms.join("+")).join(", ")} ms; stalls over 50 ms (count/total/longest): ${r.indicators.runs.map((d) => `${d.stalls.count}/${d.stalls.total_ms}/${d.stalls.longest_ms}`).join(", ")}`,
    `  offline edits ${e.edits} answers on ${e.distinct_requests} requests, ${e.edit_ms.mean_total} ms each (open ${e.edit_ms.mean_open_request}, answer saved ${e.edit_ms.mean_answer_saved}, back to queue ${e.edit_ms.mean_back_to_queue})`,
    `  edit size     documents in IndexedDB grew by ${e.stored_growth.docs_bytes} B (${e.stored_growth.docs_bytes_per_edit} B/edit)`,
    `  reconnect     confirmed in ${e.reconnect.confirmed_ms} ms (socket opened at ${e.reconnect.socket_created_ms} ms${e.reconnect.api_requests.some((a) => a.status === 0) ? ", after a failed first sign-in request and the app's 1 s retry" : ""}); sent ${kb(e.reconnect.bytes_sent)} (${e.reconnect.bytes_sent_per_edit} B/edit), received ${kb(e.reconnect.bytes_received)}; until quiet: sent ${kb(e.reconnect.until_quiet.bytes_sent)}, received ${kb(e.reconnect.until_quiet.bytes_received)}`,
    `  page errors   ${r.page_errors.length ? r.page_errors.join(" | ") : "none"}`,
    `  relay CPU     ${Object.entries(r.cpu_by_step).filter(([n]) => /^[14]\./.test(n)).map(([n, c]) => `${shortStep(n)} ${c.relay_cpu_s} s`).join(", ")}`,
    `  contention    other processes' CPU-s / wall s: ${Object.entries(r.cpu_by_step).filter(([n]) => /^\d\./.test(n)).map(([n, c]) => `${shortStep(n)} ${c.other_cpu_s}/${c.wall_s}`).join(", ")}`,
    `                iowait; MB written to the disk / by this run to the page cache (relay, browser): ${Object.entries(r.cpu_by_step).filter(([n]) => /^[14]\./.test(n)).map(([n, c]) => `${shortStep(n)} ${c.iowait_s} s; ${c.disk_written_mb} / ${c.this_run_written_mb} (${c.relay_written_mb}, ${round(c.this_run_written_mb - c.relay_written_mb, 1)})`).join("; ")}`,
    `  machine       load average ${r.loadavg_start.join(" ")} at the start, ${r.loadavg_end.join(" ")} at the end; app ${r.dist_version_start}${r.dist_version_end !== r.dist_version_start ? ` → ${r.dist_version_end} (rebuilt during the run!)` : ""}`,
    `  total         ${(r.total_ms / 1000).toFixed(1)} s; wrote ${r.out}`,
  ];
  console.log(lines.join("\n"));
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exitCode = 1;
});
