// End-to-end harness: the real relay on a free loopback port with a fresh data directory,
// Debian's Chromium driven by playwright-core, one browser context per phone.
// Every wait is for a condition, never a fixed sleep.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { webcrypto } from "node:crypto";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, "..", "..");
const SERVER = process.env.LINLI_SERVER_BIN || join(ROOT, "target", "debug", "linli-server");
const DIST = process.env.LINLI_DIST || join(ROOT, "dist");
export const ARTIFACTS = join(ROOT, "tests", "e2e", "artifacts");

/**
 * A data directory holding the seeded demo community, made once per relay binary and copied
 * for each test file: seeding the demo takes the debug relay 10–20 s, and every e2e file
 * starts from the same community (each still gets its own copy, its own relay and port).
 * Made by the relay itself (`--demo` on an empty directory, then a graceful stop), kept in the
 * temporary directory under a name holding the binary's size and time, so a rebuilt relay
 * seeds again; older copies are removed.
 */
export async function demoTemplate() {
  const st = statSync(SERVER);
  const name = `linli-e2e-demo-${st.size}-${Math.floor(st.mtimeMs)}`;
  const template = join(tmpdir(), name);
  if (existsSync(join(template, "ready"))) return template;
  for (const old of readdirSync(tmpdir())) {
    if (old.startsWith("linli-e2e-demo-") && old !== name) rmSync(join(tmpdir(), old), { recursive: true, force: true });
  }
  const seeding = mkdtempSync(join(tmpdir(), "linli-e2e-seeding-"));
  const relay = await launchRelay({ dir: seeding, port: 0, demo: true, extra: [] });
  await stopRelay(relay, "SIGTERM");
  writeFileSync(join(seeding, "ready"), "");
  try {
    renameSync(seeding, template);
  } catch {
    // Another run made it meanwhile: use theirs.
    rmSync(seeding, { recursive: true, force: true });
  }
  return template;
}

/** Starts the relay; resolves once it prints its address. `port` 0 picks a free one. With
 * `demo` and no `data`, it starts on a fresh copy of the seeded demo community. */
export async function startRelay({ data, port = 0, demo = true, extra = [] } = {}) {
  if (demo && !data) {
    const dir = mkdtempSync(join(tmpdir(), "linli-e2e-"));
    cpSync(await demoTemplate(), dir, { recursive: true });
    rmSync(join(dir, "ready"), { force: true });
    return launchRelay({ dir, port, demo, extra });
  }
  const dir = data || mkdtempSync(join(tmpdir(), "linli-e2e-"));
  return launchRelay({ dir, port, demo, extra });
}

function launchRelay({ dir, port, demo, extra }) {
  // Every phone of a test file comes from 127.0.0.1, as a whole community behind one NAT
  // would: enrolments per address are not what these tests are about (server/tests/hostile.rs is).
  const args = ["--addr", `127.0.0.1:${port}`, "--data", dir, "--dist", DIST, "--enrol-per-address", "1000", ...extra];
  if (demo) args.push("--demo");
  const child = spawn(SERVER, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 60_000);
    const onData = (buf) => {
      out += buf.toString();
      const m = out.match(/open (http:\/\/127\.0\.0\.1:(\d+))\//);
      if (m) {
        clearTimeout(timer);
        const bootstrap = (out.match(/invite code ([0-9A-Z]{8})/) || [])[1];
        resolve({ child, url: m[1], port: Number(m[2]), data: dir, bootstrap, output: () => out });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (b) => (out += b.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!/open http/.test(out)) reject(new Error(`relay exited with ${code}:\n${out}`));
    });
  });
}

/** Stops the relay: `SIGTERM` (graceful) or `SIGKILL` (a crash). Resolves when it has exited. */
export function stopRelay(relay, signal = "SIGTERM") {
  return new Promise((resolve) => {
    if (relay.child.exitCode !== null || relay.child.signalCode !== null) return resolve();
    relay.child.once("exit", () => resolve());
    relay.child.kill(signal);
  });
}

export function removeData(relay) {
  rmSync(relay.data, { recursive: true, force: true });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A phone: its own browser context (own IndexedDB, own service worker), phone-sized. */
export async function newPhone(browser, relay, name) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const page = await context.newPage();
  page.name = name;
  watchErrors(page);
  await page.goto(relay.url + "/");
  const phone = { context, page, name };
  PHONES.push(phone);
  return phone;
}

const PHONES = [];

/** Every error any phone of this test file has logged (each file ends with a test that
 *  asserts there are none: a panic in the app is a failure wherever it happens). */
export function pageErrors() {
  return PHONES.flatMap((p) => p.page.errors.map((e) => `${p.name}: ${e}`));
}

/** Collects a page's errors in `page.errors` (the browser's own reports of failed
 *  connections while offline are expected, and left out). */
export function watchErrors(page) {
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && !/WebSocket connection to|Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(m.text())) {
      page.errors.push(m.text());
    }
  });
}

/** A phone whose browser profile lives on disk, in a Chromium process of its own that a test
 *  can kill (`killPhone`) and start again on the same profile. Resolves once connected. */
export async function launchOnDisk(profile, name = "phone") {
  const child = spawn(
    process.env.CHROMIUM || "/usr/bin/chromium",
    [
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--no-first-run", "--disable-quic", "--lang=zh-CN", "--window-size=390,844",
      `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank",
    ],
    // Its own process group, so a kill takes the renderers and helpers with it.
    { detached: true, stdio: ["ignore", "ignore", "pipe"] }
  );
  let err = "";
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err}`)), 60_000);
    child.stderr.on("data", (b) => {
      err += b.toString();
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code}:\n${err}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  const page = context.pages()[0] || (await context.newPage());
  await page.setViewportSize({ width: 390, height: 844 });
  page.name = name;
  watchErrors(page);
  const phone = { child, browser, context, page, name };
  PHONES.push(phone);
  return phone;
}

/** Kills a phone's whole browser at once (SIGKILL to its process group), as a crash or the
 *  phone's system would; resolves when the browser process has gone. */
export async function killPhone(phone) {
  const gone = new Promise((resolve) => {
    if (phone.child.exitCode !== null || phone.child.signalCode !== null) resolve();
    else phone.child.once("exit", () => resolve());
  });
  try {
    process.kill(-phone.child.pid, "SIGKILL");
  } catch {}
  await gone;
}

/** Waits until the app has taken over the enrolment page that index.html painted. A tap in
 *  the instant the app replaces it can land on neither (seen once in CI); the first-paint
 *  tests prove separately that a tap made before the app arrives is kept. */
async function appTookOver(phone) {
  await phone.page.locator("#prepaint").waitFor({ state: "detached", timeout: 60_000 });
}

/** Enrols a phone with one of the demo community's invite codes. */
export async function enrolAs(phone, code) {
  await appTookOver(phone);
  await phone.page.locator(`button.persona[data-code="${code}"]`).click();
  await joined(phone, code);
}

/** Enrols a phone with an invite code typed in (one not among the demo's ready-made people). */
export async function enrolByCode(phone, code) {
  await appTookOver(phone);
  await phone.page.fill("#invite-code", code);
  await phone.page.locator("form button[type=submit]").click();
  await joined(phone, code);
}

/** Waits for the enrolled shell and the community's data (grids, categories); when the shell
 *  does not come, fails with what the enrolment page showed (its button, its error, whether
 *  the painted first screen was still up) and a screenshot, not only a timeout. */
async function joined(phone, code) {
  const { page } = phone;
  try {
    await page.locator("nav.tabbar").waitFor({ timeout: 30_000 });
  } catch (e) {
    const seen = await page
      .evaluate(() => ({
        url: location.href,
        prepaint: !!document.getElementById("prepaint"),
        button: document.querySelector("form button[type=submit]")?.textContent,
        error: document.getElementById("invite-error")?.textContent,
        personas: document.querySelectorAll("button.persona").length,
      }))
      .catch((x) => ({ evaluate: String(x) }));
    await screenshot(phone, `enrol-failed-${code}`).catch(() => {});
    throw new Error(`${phone.name} did not join with ${code}: ${JSON.stringify(seen)}; page errors: ${JSON.stringify(page.errors)}\n${e.message}`);
  }
  await waitSynced(phone);
  await page.locator(".brand", { hasText: "水榭花都" }).waitFor({ timeout: 30_000 });
}

/** Waits until the sync indicator says online, nothing is being saved on the phone and
 *  nothing saved waits to upload (`unconfirmed` counts only what storage has committed). */
export async function waitSynced(phone, timeout = 30_000) {
  await phone.page.waitForFunction(
    () => {
      const s = document.querySelector("[data-testid=sync]");
      return s && s.dataset.online === "true" && s.dataset.saving === "0" && s.dataset.unconfirmed === "0";
    },
    null,
    { timeout }
  );
}

/** Waits until the page is controlled by the service worker (so it can reload offline). */
export async function waitControlled(phone, timeout = 30_000) {
  await phone.page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, { timeout });
}

export async function setOffline(phone, offline) {
  await phone.context.setOffline(offline);
  // The browser fires online/offline events; the app reconnects on "online" by itself.
}

export function card(phone, title) {
  return phone.page.locator("[data-testid=request-card]", { hasText: title });
}

export async function openRequest(phone, title) {
  await card(phone, title).first().click();
  await phone.page.locator("[data-testid=detail-title]").waitFor();
}

export async function goHome(phone) {
  await phone.page.evaluate(() => (location.hash = "#/"));
  await phone.page.locator("main.page h2").first().waitFor();
}

/** Files a request through the form; `grid` picks its grid (a phone without a grid of its own,
 * such as staff's, has none chosen). */
export async function fileRequest(phone, { title, description = "", category = "facilities", colour = "red", grid = null }) {
  const { page } = phone;
  await page.evaluate(() => (location.hash = "#/file"));
  await page.locator("#f-title").waitFor();
  await page.fill("#f-title", title);
  if (description) await page.fill("#f-desc", description);
  await page.selectOption("#f-cat", category);
  await page.locator(`label[for="f-colour-${colour}"]`).click();
  if (grid) await page.selectOption("#f-grid", grid);
  else await page.waitForFunction(() => document.querySelector("#f-grid").value !== "");
  await page.locator("form button[type=submit]").click();
  await page.locator("[data-testid=detail-title]", { hasText: title }).waitFor();
  return page.url().split("#/r/")[1];
}

export async function screenshot(phone, name) {
  await phone.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Waits until the photo picked in the form `form` shows as a thumbnail (it is resized, then
 *  kept in IndexedDB, behind whatever the phone is writing, such as its first sync: 60 s). If
 *  it does not come, fails with what the photo field says (its error, whether it is still
 *  busy) and a screenshot, not only a timeout. */
export async function photoShown(phone, form) {
  try {
    await phone.page.locator(`${form} .photos-field img`).first().waitFor({ timeout: 60_000 });
  } catch (e) {
    const field = await phone.page.evaluate((form) => {
      const f = document.querySelector(`${form} .photos-field`);
      if (!f) return { field: "(gone)" };
      const input = f.querySelector("input[type=file]");
      return {
        error: (f.querySelector(".field-error") || {}).textContent || "",
        busy: input ? input.disabled : null,
        text: f.innerText.slice(0, 200),
      };
    }, form);
    await screenshot(phone, `photo-not-shown-${phone.name}`).catch(() => {});
    throw new Error(`the picked photo did not show: ${JSON.stringify(field)}\n${e.message}`);
  }
}

/** A device key and session for a non-browser client (e.g. the JS automerge-repo peer). */
export async function enrolHeadless(relay, code) {
  const subtle = webcrypto.subtle;
  const keys = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const raw = Buffer.from(await subtle.exportKey("raw", keys.publicKey));
  const post = async (path, body) => {
    const r = await fetch(relay.url + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const j = await r.json();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  const session = await post("/api/enrol", { code, public_key: raw.toString("base64url"), label: "node test" });
  const token = async () => {
    const { challenge } = await post("/api/auth/challenge", { device: session.device });
    const msg = Buffer.concat([Buffer.from("linli-auth-v1:"), Buffer.from(challenge, "base64url")]);
    const sig = Buffer.from(await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, msg));
    return (await post("/api/auth/token", { device: session.device, challenge, signature: sig.toString("base64url") })).token;
  };
  return { session, token };
}

/** In the page: every visible piece of text under 20 px and every target under 48 x 48. */
export function elderMisfits() {
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && !el.closest(".sr, [aria-hidden=true]");
  };
  const what = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\s+/g, ".") : ""} "${(el.textContent || el.value || "").trim().slice(0, 16)}"`;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || ["SCRIPT", "STYLE", "svg", "SVG"].includes(el.tagName)) continue;
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (text && size < 20) out.push(`text ${size}px: ${what(el)}`);
  }
  for (const el of document.querySelectorAll("a[href], button, select, textarea, input")) {
    if (!shown(el)) continue;
    // A radio, checkbox or file input is tapped through its label.
    const target = el.matches("input[type=radio], input[type=checkbox], input[type=file]")
      ? el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el
      : el;
    const r = target.getBoundingClientRect();
    if (r.width < 47.5 || r.height < 47.5) out.push(`target ${Math.round(r.width)}x${Math.round(r.height)}: ${what(target)}`);
  }
  return out;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the page and fails with the violations (rule: first three targets). */
export async function audit(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  const v = result.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  assert.deepEqual(v, [], `${label}: axe violations`);
}

/** Goes to a route of the app on this phone, as a link would. */
export async function go(phone, hash) {
  await phone.page.evaluate((h) => (location.hash = h), hash);
}
