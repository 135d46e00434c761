// The governance school 社区治理学院: staff create a session (the form explains a missing title,
// a capacity that is not a number and an end before the start, and keeps what was typed); a
// resident signs up offline, reloads offline and is still signed up; back online, staff see her
// by name and mark her present with one tap, and her phone says she attended. The register, a
// session and the form pass an axe-core audit in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs,
  waitSynced, waitControlled, setOffline, screenshot, pageErrors, go, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const TITLE = "议事规则情景模拟（测试）";

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

async function phone(name, code) {
  const p = await newPhone(browser, relay, name);
  await enrolAs(p, code);
  return p;
}

/** A day `days` from now as a `datetime-local` value at `clock`. */
function day(days, clock) {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${clock}`;
}

test("staff create a session, a resident signs up offline and keeps it over an offline reload, staff mark her present", async () => {
  const zhang = await phone("zhang", "STAFFZH2");
  const z = zhang.page;
  await go(zhang, "#/more");
  await z.locator("[data-testid=hub-tile]", { hasText: "社区治理学院" }).click();
  await z.locator("[data-testid=training-card]").first().waitFor({ timeout: 30_000 });
  await z.locator("[data-testid=new-training]").click();
  await z.locator("#tf-title").waitFor();
  // Bad input: explained, nothing typed lost.
  await z.fill("#tf-title", "");
  await z.selectOption("#tf-topic", "meeting_rules");
  await z.selectOption("#tf-method", "role_play");
  await z.fill("#tf-trainer", "张亦鸣");
  await z.fill("#tf-org", "嘉兴市业委会专家");
  await z.fill("#tf-starts", day(7, "16:00"));
  await z.fill("#tf-ends", day(7, "14:00"));
  await z.fill("#tf-capacity", "三十");
  await z.locator("[data-testid=save-training]").click();
  const err = z.locator("#tf-err");
  await err.filter({ hasText: "请填写标题" }).waitFor();
  await err.filter({ hasText: "结束时间要晚于开始时间" }).waitFor();
  await err.filter({ hasText: "名额" }).waitFor();
  assert.equal(await z.inputValue("#tf-capacity"), "三十");
  assert.equal(await z.inputValue("#tf-trainer"), "张亦鸣");
  await z.fill("#tf-title", TITLE);
  await z.fill("#tf-ends", day(7, "16:00"));
  await z.fill("#tf-starts", day(7, "14:00"));
  await z.fill("#tf-capacity", "30");
  await z.locator("[data-testid=save-training]").click();
  await z.locator("[data-testid=training-title]", { hasText: TITLE }).waitFor();
  const id = z.url().split("#/training/")[1];
  assert.ok(id, "on the session's page");
  await waitSynced(zhang, 60_000);

  // The resident, with the app installed, then without signal.
  const wang = await phone("wang", "WANGXY72");
  const w = wang.page;
  await waitControlled(wang);
  await go(wang, "#/school");
  await w.locator("[data-testid=training-card]", { hasText: TITLE }).waitFor({ timeout: 30_000 });
  await setOffline(wang, true);
  await w.locator("[data-testid=sync][data-online=false]").waitFor();
  await w.locator("[data-testid=training-card]", { hasText: TITLE }).click();
  await w.locator("[data-testid=training-my-status]", { hasText: "你还没有报名" }).waitFor();
  await w.locator("[data-testid=training-sign-up]").click();
  await w.locator("[data-testid=training-my-status]", { hasText: "你已报名" }).waitFor();
  // A resident sees no list of participants.
  assert.equal(await w.locator("[data-testid=training-participants]").count(), 0);
  // Saved on the phone (IndexedDB) before the reload.
  await w.locator("[data-testid=sync][data-saving='0']").waitFor();
  await w.waitForFunction(() => Number(document.querySelector("[data-testid=sync]").dataset.unconfirmed) > 0);
  await w.reload();
  await w.locator("nav.tabbar").waitFor();
  await go(wang, `#/training/${id}`);
  await w.locator("[data-testid=training-my-status]", { hasText: "你已报名" }).waitFor({ timeout: 30_000 });
  await w.locator("[data-testid=training-counts]", { hasText: "1/30" }).waitFor();
  await audit(w, "a session as a resident sees it, offline");

  // Back online: it reaches the relay, staff see her by name and mark her present.
  await setOffline(wang, false);
  await waitSynced(wang, 60_000);
  const mark = z.locator("[data-testid=training-participant]", { hasText: "王秀英" }).locator("[data-testid=training-mark]");
  await mark.waitFor({ timeout: 30_000 });
  assert.equal(await mark.getAttribute("aria-pressed"), "false");
  await mark.click();
  await z.locator("[data-testid=training-participant]", { hasText: "王秀英" })
    .locator("[data-testid=training-mark][aria-pressed=true]").waitFor();
  await waitSynced(zhang, 60_000);
  await screenshot(zhang, "review-training-staff-zh-CN");
  await w.locator("[data-testid=training-my-status]", { hasText: "你参加了这期培训" }).waitFor({ timeout: 30_000 });
  for (const p of [zhang, wang]) await p.context.close();
});

test("the register, a session and the form pass an axe-core audit in both languages", async () => {
  const p = await phone("audit", "STAFFZH2");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/school");
    await page.locator("[data-testid=training-card]").nth(9).waitFor({ timeout: 30_000 });
    await audit(page, `register, ${lang}`);
    await screenshot(p, `review-school-${lang}`);
    await page.selectOption("#sc-topic", "finance");
    await page.locator("[data-testid=training-count]", { hasText: lang === "en" ? "2 sessions" : "共 2 期" }).waitFor();
    await page.locator("[data-testid=training-card]").last().click();
    await page.locator("[data-testid=training-participants]").waitFor();
    await page.locator("[data-testid=training-summary]").waitFor();
    await audit(page, `a held session as staff see it, ${lang}`);
    await screenshot(p, `review-training-${lang}`);
    await go(p, "#/training-new");
    await page.locator("#tf-title").waitFor();
    await page.fill("#tf-capacity", "x");
    await page.locator("[data-testid=save-training]").click();
    await page.locator("#tf-err").filter({ hasText: /\S/ }).waitFor();
    await audit(page, `form with an error, ${lang}`);
    await screenshot(p, `review-training-form-${lang}`);
    // The draft is kept: clear it for the next language.
    await page.evaluate(() => (location.hash = "#/school"));
  }
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
