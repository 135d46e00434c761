// Events as the community uses them, with one relay and one browser for the whole file: staff
// publish an event of two seats with 赵晓松 checking people in; he takes a seat; 王秀英 and
// 陈小雨, both offline, sign up for the last seat (each phone says 待确认), come online, and
// every phone converges on one seated list and one waitlist by the relay's order; the seated
// one cancels and the waitlisted phone is told it is off the waitlist; the organiser checks her
// in by a photo of her check-in QR code (a mistyped code explained first), ticks himself
// offline and syncs; the door counts agree on the
// staff phone. 陈小雨's choice of an elder to sign up stays on screen when his sign-up
// arrives. The events page and an event page pass an axe-core audit. 陈小雨's volunteer
// page and certificate show the hours of the demo's events the organiser checked her in and
// out of; staff confirm a visit she logs and her total grows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  setOffline, screenshot, go, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const TITLE = "楼道百家宴（测试）";

let relay, browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  relay = await startRelay();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (relay) {
    stopRelay(relay);
    removeData(relay);
  }
});

/// A Shanghai wall-clock time `ms` from now, as a datetime-local input takes it.
function local(ms) {
  return new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16);
}

const place = (p) => p.page.locator("[data-testid=my-place]").first().textContent();
const seats = (p) => p.page.locator("[data-testid=event-seats]").textContent();

test("two phones offline take the last seat and converge by the relay's order; a cancellation promotes the waitlisted; the organiser checks in by code and offline by ticking", async () => {
  const staff = await newPhone(browser, relay, "staff");
  await enrolAs(staff, "STAFFZH2");
  // Staff publish the event: a kind left out is explained, and nothing typed is lost.
  await go(staff, "#/ev-new");
  await staff.page.fill("#ef-title", TITLE);
  await staff.page.fill("#ef-place", "7号楼架空层");
  await staff.page.fill("#ef-starts", local(2 * 86400_000));
  await staff.page.fill("#ef-ends", local(2 * 86400_000 + 3 * 3600_000));
  await staff.page.fill("#ef-opens", local(-3600_000));
  await staff.page.fill("#ef-closes", local(86400_000));
  await staff.page.fill("#ef-capacity", "2");
  await staff.page.fill("#ef-organisers", "p-zhao");
  await staff.page.locator("[data-testid=save-event]").click();
  await staff.page.locator("#ef-err", { hasText: "请选择类别" }).waitFor();
  assert.equal(await staff.page.inputValue("#ef-title"), TITLE);
  await staff.page.selectOption("#ef-template", "potluck");
  await staff.page.locator("[data-testid=save-event]").click();
  await staff.page.locator("[data-testid=event-title]", { hasText: TITLE }).waitFor();
  const hash = await staff.page.evaluate(() => location.hash);
  const id = hash.split("/").pop();
  await waitSynced(staff);

  const zhao = await newPhone(browser, relay, "zhao");
  await enrolAs(zhao, "ZHAXS3R5");
  const wang = await newPhone(browser, relay, "wang");
  await enrolAs(wang, "WANGXY72");
  const chen = await newPhone(browser, relay, "chen");
  await enrolAs(chen, "CHENXY25");
  for (const p of [zhao, wang, chen]) {
    await go(p, `#/ev/${id}`);
    await p.page.locator("[data-testid=event-title]", { hasText: TITLE }).waitFor({ timeout: 30_000 });
  }
  // 陈小雨, a volunteer, chooses one of her elders to sign up.
  const whom = chen.page.locator("#ev-whom");
  await whom.locator("option").nth(1).waitFor({ state: "attached", timeout: 30_000 });
  const herself = await whom.locator("option").first().getAttribute("value");
  const elder = await whom.locator("option").nth(1).getAttribute("value");
  await whom.selectOption(elder);
  // 赵晓松 takes the first seat online.
  await zhao.page.locator("[data-testid=sign-up]").click();
  await zhao.page.waitForFunction(() => document.querySelector("[data-testid=my-place]")?.textContent === "已报名", null, { timeout: 30_000 });
  await waitSynced(zhao);
  // His sign-up reaches her phone, which redraws the event; the form beside it stays, and her
  // choice with it. Back to herself for the rest of the scenario.
  await chen.page.waitForFunction(() => /余 1 个/.test(document.querySelector("[data-testid=event-seats]")?.textContent || ""), null, { timeout: 30_000 });
  assert.equal(await whom.inputValue(), elder, "the chosen elder stays chosen when a document arrives");
  await whom.selectOption(herself);

  // Both others, offline, for the last seat: pending on each phone.
  for (const p of [wang, chen]) {
    await p.page.waitForFunction(() => /余 1 个/.test(document.querySelector("[data-testid=event-seats]")?.textContent || ""), null, { timeout: 30_000 });
    await setOffline(p, true);
    await p.page.locator("[data-testid=sync][data-online=false]").waitFor();
    await p.page.locator("[data-testid=sign-up]").click();
    await p.page.waitForFunction(() => /待确认/.test(document.querySelector("[data-testid=my-place]")?.textContent || ""));
  }
  // Back online together: one seat, one waitlist, the same on every phone.
  await Promise.all([setOffline(wang, false), setOffline(chen, false)]);
  await Promise.all([waitSynced(wang, 60_000), waitSynced(chen, 60_000)]);
  const settled = (p) => p.page.waitForFunction(
    () => /已报名|候补第 1 位/.test(document.querySelector("[data-testid=my-place]")?.textContent || "") &&
      /候补 1 人/.test(document.querySelector("[data-testid=event-seats]")?.textContent || ""),
    null, { timeout: 30_000 });
  await Promise.all([settled(wang), settled(chen), settled(zhao)]);
  const places = [await place(wang), await place(chen)];
  assert.deepEqual([...places].sort(), ["候补第 1 位", "已报名"], `one seat, one waiting: ${places}`);
  assert.equal(await seats(wang), await seats(chen));
  assert.equal(await seats(wang), await seats(zhao));
  const [seated, waiting] = places[0] === "已报名" ? [wang, chen] : [chen, wang];
  await screenshot(waiting, "events-waitlist-zh-CN");

  // The seated one cancels: the waitlisted phone is told.
  await seated.page.locator("[data-testid=cancel-signup]").click();
  await waitSynced(seated);
  await waiting.page.locator("[data-testid=promoted]", { hasText: "你已从候补转为报名成功" }).waitFor({ timeout: 30_000 });
  await waiting.page.waitForFunction(() => document.querySelector("[data-testid=my-place]")?.textContent === "已报名");
  const code = (await waiting.page.locator("[data-testid=checkin-code]").textContent()).replace(/^签到码 /, "");
  assert.match(code, /^[2-9A-Z]{6}$/);
  assert.equal(await waiting.page.locator("svg.qr").count(), 1, "the code as a QR code too");

  // At the door: a mistyped code is explained; her QR code, photographed, checks her in (read
  // on the organiser's phone); then, offline, he ticks himself.
  const qr = await waiting.page.locator("svg.qr").screenshot();
  await go(zhao, `#/ev-door/${id}`);
  await zhao.page.locator("[data-testid=door-counts]").waitFor();
  await zhao.page.fill("#door-code", code === "ZZZZZZ" ? "YYYYYY" : "ZZZZZZ");
  await zhao.page.locator("[data-testid=door-code-submit]").click();
  await zhao.page.locator("#door-err", { hasText: "没有找到这个签到码的报名" }).waitFor();
  await zhao.page.setInputFiles("#door-scan", { name: "qr.png", mimeType: "image/png", buffer: qr });
  await zhao.page.locator("[data-testid=door-counts]", { hasText: "已到 1 人 · 未到 1 人" }).waitFor({ timeout: 30_000 });
  await setOffline(zhao, true);
  await zhao.page.locator("[data-testid=sync][data-online=false]").waitFor();
  await zhao.page.locator("[data-testid=door-row]", { hasText: "赵晓松" }).locator("[data-testid=door-tick]").check();
  await zhao.page.locator("[data-testid=door-counts]", { hasText: "已到 2 人 · 未到 0 人" }).waitFor();
  await setOffline(zhao, false);
  await waitSynced(zhao, 60_000);
  // Staff's phone counts the same.
  await go(staff, `#/ev-door/${id}`);
  await staff.page.locator("[data-testid=door-counts]", { hasText: "已到 2 人 · 未到 0 人" }).waitFor({ timeout: 30_000 });
  await screenshot(staff, "events-door-zh-CN");
  for (const p of [staff, zhao, wang, chen]) await p.context.close();
});

test("the events page and an event page pass an axe-core audit in both languages", async () => {
  const p = await newPhone(browser, relay, "audit");
  await enrolAs(p, "WANGXY72");
  const { page } = p;
  // The demo's coming events are on her home screen.
  await page.locator("[data-testid=my-events] [data-testid=my-event-link]").first().waitFor({ timeout: 30_000 });
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await go(p, "#/events");
    await page.locator("[data-testid=event-card]").first().waitFor({ timeout: 30_000 });
    await audit(page, `events ${lang}`);
    await page.locator("[data-testid=event-card]").first().click();
    await page.locator("[data-testid=event-title]").waitFor();
    await audit(page, `event ${lang}`);
  }
  await p.context.close();
});

test("a volunteer's hours: the events the organiser checked her in and out of are on her page and certificate; staff confirm a logged visit and the total grows", async () => {
  const chen = await newPhone(browser, relay, "chen-hours");
  await enrolAs(chen, "CHENXY25");
  const hours = async () => parseFloat(await chen.page.locator("[data-testid=hours-total]").textContent());
  await go(chen, "#/volunteers");
  // The demo's events she volunteered at, checked in and out by the organiser.
  await chen.page.locator("[data-testid=activity]", { hasText: "活动：" }).first().waitFor({ timeout: 30_000 });
  const before = await hours();
  assert.ok(before > 0, `hours ${before}`);
  // She logs a visit: 待确认, not counted.
  await chen.page.locator("[data-testid=log-save]").waitFor({ timeout: 30_000 });
  await chen.page.fill("#vl-min", "90");
  await chen.page.fill("#vl-note", "陪王阿姨聊天（测试）");
  await chen.page.locator("[data-testid=log-save]").click();
  await chen.page.locator("[data-testid=activity]", { hasText: "陪王阿姨聊天（测试）" }).filter({ hasText: "待确认" }).waitFor();
  await waitSynced(chen);
  assert.equal(await hours(), before);
  await audit(chen.page, "a volunteer's own page");
  // Staff confirm it from their list of volunteers.
  const staff = await newPhone(browser, relay, "staff-hours");
  await enrolAs(staff, "STAFFZH2");
  await go(staff, "#/volunteers");
  await staff.page.locator("[data-testid=volunteer-row]", { hasText: "陈小雨" }).waitFor({ timeout: 30_000 });
  await audit(staff.page, "staff's list of volunteers");
  await staff.page.locator("[data-testid=volunteer-row]", { hasText: "陈小雨" }).click();
  const row = staff.page.locator("[data-testid=activity]", { hasText: "陪王阿姨聊天（测试）" });
  await row.locator("[data-testid=confirm-entry]").click({ timeout: 30_000 });
  await staff.page.locator("[data-testid=activity]", { hasText: "陪王阿姨聊天（测试）" }).filter({ hasText: "张建国" }).waitFor();
  await waitSynced(staff);
  // Her total grows by an hour and a half, and the certificate says the same.
  await chen.page.waitForFunction(
    (b) => Math.abs(parseFloat(document.querySelector("[data-testid=hours-total]")?.textContent || "0") - (b + 1.5)) < 0.11,
    before, { timeout: 30_000 });
  const total = await chen.page.locator("[data-testid=hours-total]").textContent();
  await chen.page.locator("[data-testid=certificate-link]").click();
  await chen.page.locator("[data-testid=certificate-total]", { hasText: total }).waitFor();
  await chen.page.locator("[data-testid=certificate-row]", { hasText: "活动：" }).first().waitFor();
  await chen.page.locator("[data-testid=certificate-row]", { hasText: "张建国" }).first().waitFor();
  await audit(chen.page, "the certificate of hours");
  await screenshot(chen, "volunteer-certificate-zh-CN");
  for (const p of [chen, staff]) await p.context.close();
});
