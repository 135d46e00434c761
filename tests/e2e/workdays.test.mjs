// Deadlines in working days: staff switch the community from calendar hours to working days on
// the settings page, see which years the holiday table covers, and add a date to it (a bad date
// gets a clear message and keeps what was typed). A resident's new request then counts down in
// working days on every phone: in the app, and in the first paint before any wasm, the same.
// The settings page passes an axe-core audit in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  card, goHome, fileRequest, screenshot, pageErrors, watchErrors, audit,
} from "./harness.mjs";

let relay, browser;
const held = [];

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  relay = await startRelay();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (relay) {
    await stopRelay(relay);
    removeData(relay);
  }
});

/** A phone whose wasm waits for `release()` once `hold()` is called (no service worker: it
 *  would answer the wasm from its cache), to read the first paint. */
async function heldPhone(name) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    serviceWorkers: "block",
  });
  const page = await context.newPage();
  page.name = name;
  watchErrors(page);
  const phone = { context, page, name };
  let open = () => {};
  let gate = Promise.resolve();
  phone.hold = () => (gate = new Promise((r) => (open = r)));
  phone.release = () => open();
  await context.route(/\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  held.push(phone);
  return phone;
}

const WORKING = /还剩 \d+ 个工作日/;

test("staff switch the community to working days; a new request counts down in working days, painted and in the app alike", async () => {
  const staff = await newPhone(browser, relay, "staff");
  await enrolAs(staff, "STAFFZH2");
  const { page } = staff;
  await page.evaluate(() => (location.hash = "#/settings"));
  await page.locator("[data-testid=holiday-table]").waitFor();
  // Which years the shipped table covers, in words.
  assert.match(await page.locator("[data-testid=table-years]").innerText(), /2026 年/);
  // The table holds 2026 only: from October 2026 the next three months reach a year it does
  // not cover, and staff are told how that year counts.
  if (Date.now() + 90 * 86_400_000 >= Date.UTC(2026, 11, 31, 16)) {
    assert.match(await page.locator("[data-testid=table-unknown-years]").innerText(), /不含 20\d\d 年：该年按周一至周五计算工作日/);
  }
  // Calendar hours until staff choose otherwise.
  assert.equal(await page.getByRole("radio", { name: /按自然时间/ }).isChecked(), true);
  await page.getByRole("radio", { name: /按工作日/ }).check();
  await page.waitForFunction(() => document.querySelector("#dl-mode-workdays").checked);
  assert.equal(await page.getByRole("spinbutton", { name: "紧急：工作日数" }).inputValue(), "2");

  // A bad working-day count and a bad date: a clear message, and what was typed stays.
  await page.getByRole("spinbutton", { name: "建议：工作日数" }).fill("0");
  await page.getByRole("spinbutton", { name: "建议：工作日数" }).dispatchEvent("change");
  await page.locator("#wd-err", { hasText: "1 到 60" }).waitFor();
  await page.getByRole("spinbutton", { name: "建议：工作日数" }).fill("10");
  await page.getByRole("spinbutton", { name: "建议：工作日数" }).dispatchEvent("change");
  await page.waitForFunction(() => document.querySelector("#wd-err").textContent === "");

  await page.getByRole("textbox", { name: "日期（年-月-日）" }).fill("2027-02-30");
  await page.getByRole("button", { name: "添加日期" }).click();
  await page.locator("#cal-date-err", { hasText: "年-月-日" }).waitFor();
  assert.equal(await page.locator("#cal-date").inputValue(), "2027-02-30", "what was typed is kept");
  assert.equal(await page.locator("#cal-date").getAttribute("aria-invalid"), "true");
  await page.getByRole("textbox", { name: "日期（年-月-日）" }).fill("2027-02-08");
  await page.getByRole("combobox", { name: "这一天是" }).selectOption("holiday");
  await page.getByRole("button", { name: "添加日期" }).click();
  await page.locator("[data-testid=staff-dates] li", { hasText: "2027-02-08 放假" }).waitFor();
  assert.equal(await page.locator("#cal-date").inputValue(), "");
  assert.equal(await page.getByRole("button", { name: "删除 2027-02-08" }).count(), 1);
  await page.locator("[data-testid=deadline-mode]").evaluate((e) => e.scrollIntoView());
  await screenshot(staff, "workdays-settings");
  await waitSynced(staff);
  // Accessible in both languages, with an error on screen.
  await page.getByRole("textbox", { name: "日期（年-月-日）" }).fill("明年春节");
  await page.getByRole("button", { name: "添加日期" }).click();
  await page.locator("#cal-date-err", { hasText: "年-月-日" }).waitFor();
  await audit(page, "community settings, zh-CN");
  await page.locator("button.lang").click();
  await page.getByRole("radio", { name: /^Working days/ }).waitFor();
  assert.match(await page.locator("[data-testid=table-years]").innerText(), /for 2026\./);
  await page.getByRole("spinbutton", { name: "Urgent: working days" }).waitFor();
  await audit(page, "community settings, en");
  await page.locator("button.lang").click();
  await page.getByRole("radio", { name: /按工作日/ }).waitFor();
  await page.getByRole("textbox", { name: "日期（年-月-日）" }).fill("");

  // A resident files a red request: it counts in working days on the resident's phone …
  const resident = await heldPhone("wang");
  await resident.page.goto(relay.url + "/");
  await enrolAs(resident, "WANGXY72");
  const title = `工作日 楼道灯坏了 ${Date.now() % 100000}`;
  await fileRequest(resident, { title, colour: "red" });
  await waitSynced(resident);
  await goHome(resident);
  await resident.page.waitForFunction(
    ([t, re]) => [...document.querySelectorAll("[data-testid=request-card]")].some((c) => c.textContent.includes(t) && new RegExp(re).test(c.querySelector(".due").textContent)),
    [title, WORKING.source],
    { timeout: 30_000 }
  );
  // … and in the staff's queue.
  await goHome(staff);
  await card(staff, title).waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    ([t, re]) => [...document.querySelectorAll("[data-testid=request-card]")].some((c) => c.textContent.includes(t) && new RegExp(re).test(c.querySelector(".due").textContent)),
    [title, WORKING.source],
    { timeout: 30_000 }
  );
  const dueText = await card(staff, title).locator(".due").innerText();
  assert.match(dueText, WORKING);
  await screenshot(staff, "workdays-queue");

  // The first paint, before any wasm, counts the same working days as the app, card by card.
  const dues = (sel) =>
    resident.page.$$eval(sel, (cards) => cards.map((c) => [c.dataset.id, c.querySelector(".due").textContent.replace(/\d+分钟?/, "N分")]));
  const appDues = new Map(await dues("[data-testid=request-card]"));
  resident.hold();
  await resident.page.reload();
  await resident.page.locator("#prepaint li.card", { hasText: title }).waitFor();
  assert.equal(await resident.page.evaluate(() => typeof window.wasmBindings), "undefined", "no wasm yet");
  const painted = await dues("#prepaint li.card");
  assert.match(await resident.page.locator("#prepaint li.card", { hasText: title }).locator(".due").innerText(), WORKING);
  resident.release();
  await resident.page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  assert.ok(painted.length >= 1);
  assert.deepEqual(painted, painted.map(([id]) => [id, appDues.get(id)]), "the painted countdowns are the app's");

  // Back to calendar time: the same request counts hours again.
  await page.evaluate(() => (location.hash = "#/settings"));
  await page.getByRole("radio", { name: /按自然时间/ }).check();
  await goHome(staff);
  await page.waitForFunction(
    (t) => [...document.querySelectorAll("[data-testid=request-card]")].some((c) => c.textContent.includes(t) && /还剩 1天23小时|还剩 1天22小时/.test(c.querySelector(".due").textContent)),
    title,
    { timeout: 30_000 }
  );
  await staff.context.close();
  await resident.context.close();
});

test("no page errors on any phone", () => {
  assert.deepEqual(
    [...pageErrors(), ...held.flatMap((p) => p.page.errors.map((e) => `${p.name}: ${e}`))],
    []
  );
});
