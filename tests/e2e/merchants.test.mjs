// Merchant credit as its people use it: the grid worker, offline in front of the shop, records
// an inspection of −5 with a reason at 吴春生's convenience store (a reason left empty is
// explained first, and the points chosen are kept), and it reaches the relay once online; the
// merchant's phone (invite SHANGH26) shows the new score on its home screen and the entry on
// his shop's page, and he answers it (a second inspection arriving as he types takes nothing
// from his answer); the grid worker sees the answer. The ranking and a shop's page pass an
// axe-core audit in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  setOffline, screenshot, pageErrors, enrolByCode, go, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const SHOP = "春生便利店";
const REASON = "门前堆放纸箱，占用人行道";
const ANSWER = "已清理，纸箱以后当天回收";
const AGAIN = "纸箱已清走，门前整洁";

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

const score = async (page) => Number((await page.locator("[data-testid=score]").textContent()).trim());

test("a grid worker records −5 with a reason, the merchant sees his new score and answers, and the grid worker sees the answer", async () => {
  const li = await newPhone(browser, relay, "li");
  await enrolAs(li, "GRDWRK78");
  const wu = await newPhone(browser, relay, "wu");
  await enrolByCode(wu, "SHANGH26");

  // The grid worker finds the shop in her grids' ranking.
  await go(li, "#/more");
  await li.page.locator("[data-testid=hub-tile]", { hasText: "商户信用" }).click();
  await li.page.locator("[data-testid=merchant-row]", { hasText: SHOP }).click();
  await li.page.locator("main.merchant h2", { hasText: SHOP }).waitFor();
  await li.page.locator("#mi-points").waitFor();
  const before = await score(li.page);

  // In front of the shop, without signal.
  await setOffline(li, true);
  await li.page.locator("[data-testid=sync][data-online=false]").waitFor();
  // Points chosen, the reason forgotten: explained, and the points are kept.
  await li.page.selectOption("#mi-points", "-5");
  await li.page.getByRole("button", { name: "保存检查记录" }).click();
  await li.page.locator("#mi-err", { hasText: "请写明原因" }).waitFor();
  assert.equal(await li.page.inputValue("#mi-points"), "-5");
  await li.page.fill("#mi-reason", REASON);
  await li.page.getByRole("button", { name: "保存检查记录" }).click();
  const recorded = li.page.locator("[data-testid=entry]", { hasText: REASON });
  await recorded.waitFor();
  assert.match(await recorded.locator("[data-testid=entry-points]").textContent(), /−5 分/);
  await li.page.waitForFunction((s) => Number(document.querySelector("[data-testid=score]").textContent) === s, before - 5);
  // Back online: the inspection reaches the relay.
  await setOffline(li, false);
  await waitSynced(li, 60_000);

  // The merchant's home screen shows the new score; his shop's page shows the entry.
  const card = wu.page.locator("[data-testid=my-shop-score]");
  await wu.page.waitForFunction(
    (s) => document.querySelector("[data-testid=my-shop-score]")?.textContent === `信用分 ${s}`,
    before - 5,
    { timeout: 30_000 }
  );
  assert.equal(await card.textContent(), `信用分 ${before - 5}`);
  await wu.page.locator("[data-testid=my-shop-link]").click();
  await wu.page.locator("main.merchant h2", { hasText: SHOP }).waitFor();
  assert.equal(await score(wu.page), before - 5);
  const entry = wu.page.locator("[data-testid=entry]", { hasText: REASON });
  await entry.waitFor();
  // He may not inspect his own shop: no inspection form on his phone.
  assert.equal(await wu.page.locator("#mi-points").count(), 0);
  const reply = entry.locator("[data-testid=response-text]");
  await reply.fill(ANSWER);
  // While he types, the grid worker records a second inspection. It reaches his phone, and
  // his answer keeps its text and the focus: the history once was drawn anew with each change
  // to the shop, and his answer field with it.
  await li.page.selectOption("#mi-points", "3");
  await li.page.fill("#mi-reason", AGAIN);
  await li.page.getByRole("button", { name: "保存检查记录" }).click();
  await wu.page.locator("[data-testid=entry]", { hasText: AGAIN }).waitFor({ timeout: 30_000 });
  assert.equal(await reply.inputValue(), ANSWER, "his answer is kept");
  assert.ok(await reply.evaluate((e) => e === document.activeElement), "and keeps the focus");
  await entry.getByRole("button", { name: "提交回复" }).click();
  await entry.locator("[data-testid=entry-response]", { hasText: ANSWER }).waitFor();
  assert.equal(await entry.locator("[data-testid=response-text]").count(), 0, "answered once");
  await waitSynced(wu);
  await screenshot(wu, "review-merchant-zh-CN");

  // The grid worker sees his answer.
  await li.page.locator("[data-testid=entry]", { hasText: REASON })
    .locator("[data-testid=entry-response]", { hasText: ANSWER })
    .waitFor({ timeout: 30_000 });
  assert.equal(await score(li.page), before - 2, "an answer does not move the score");

  for (const p of [li, wu]) await p.context.close();
});

test("the ranking and a shop's page pass an axe-core audit in both languages", async () => {
  const p = await newPhone(browser, relay, "audit");
  await enrolAs(p, "STAFFZH2");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/merchants");
    await page.locator("[data-testid=merchant-row]").nth(9).waitFor({ timeout: 30_000 });
    await audit(page, `ranking, ${lang}`);
    await screenshot(p, `review-merchants-${lang}`);
    await page.locator("[data-testid=merchant-row]", { hasText: SHOP }).click();
    await page.locator("#mi-points").waitFor();
    await page.locator("[data-testid=entry]").first().waitFor();
    await audit(page, `shop, ${lang}`);
  }
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
