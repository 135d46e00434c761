// Children's drawings 童眼看社区: a parent files her grandchild's drawing with a photo offline
// (the form explains bad input and keeps what was typed), reloads offline and it is still
// there; back online, staff see it, adopt it and link it to a facility work, and her phone says
// 已采纳 with the work linked. The register, a drawing and the form pass an axe-core audit in
// both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  ROOT, ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs,
  waitSynced, waitControlled, setOffline, screenshot, pageErrors,
  audit, go,
} from "./harness.mjs";

const PHOTO = join(ROOT, "server", "demo", "fixed.jpg");
const IDEA = "楼下放一个能挡雨的书架（测试）";

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



test("a parent files a drawing with a photo offline, keeps it over an offline reload, staff adopt it and link a work", async () => {
  const wang = await phone("wang", "WANGXY72");
  const w = wang.page;
  await waitControlled(wang);
  await go(wang, "#/more");
  await w.locator("[data-testid=hub-tile]", { hasText: "孩子们的画" }).click();
  await w.locator("[data-testid=drawings-count]", { hasText: "已收集 126 幅，采纳 8 幅" }).waitFor({ timeout: 30_000 });
  await w.locator("[data-testid=drawing-card]").first().waitFor();
  await setOffline(wang, true);
  await w.locator("[data-testid=sync][data-online=false]").waitFor();
  await w.locator("[data-testid=new-drawing]").click();
  await w.locator("#dr-nick").waitFor();
  // Bad input: explained, nothing typed lost.
  await w.fill("#dr-nick", "王小明2");
  await w.fill("#dr-age", "20");
  await w.fill("#dr-proposes", IDEA);
  await w.locator("[data-testid=save-drawing]").click();
  const err = w.locator("#dr-err");
  await err.filter({ hasText: "小名里不能有数字" }).waitFor();
  await err.filter({ hasText: "年龄请填" }).waitFor();
  await err.filter({ hasText: "需要监护人同意" }).waitFor();
  assert.equal(await w.inputValue("#dr-proposes"), IDEA);
  await w.fill("#dr-nick", "妞妞");
  await w.fill("#dr-age", "6");
  await w.setInputFiles("#dr-photo", PHOTO);
  await w.locator(".photos-field img.thumb").waitFor({ timeout: 15_000 });
  await w.locator("[data-testid=drawing-consent-keep]").check();
  await w.locator("[data-testid=drawing-consent-publish]").check();
  await w.locator("[data-testid=save-drawing]").click();
  await w.locator("[data-testid=drawing-proposes]", { hasText: IDEA }).waitFor();
  const id = w.url().split("#/drawing/")[1];
  assert.ok(id, "on the drawing's page");
  await w.locator("[data-testid=drawing-status]", { hasText: "已收集" }).waitFor();
  // Saved on the phone (IndexedDB) before the reload.
  await w.locator("[data-testid=sync][data-saving='0']").waitFor();
  await w.waitForFunction(() => Number(document.querySelector("[data-testid=sync]").dataset.unconfirmed) > 0);
  await w.reload();
  await w.locator("nav.tabbar").waitFor();
  await go(wang, `#/drawing/${id}`);
  await w.locator("[data-testid=drawing-proposes]", { hasText: IDEA }).waitFor({ timeout: 30_000 });
  await w.locator("[data-testid=photo]").waitFor({ timeout: 15_000 });
  await w.locator("[data-testid=drawing-withdraw]").waitFor();
  await audit(w, "her drawing, offline");
  await go(wang, "#/drawings");
  await w.locator("[data-testid=drawing-card]", { hasText: IDEA }).waitFor();

  // Back online: it reaches the relay (the photo too); staff adopt it and link a work.
  await setOffline(wang, false);
  await waitSynced(wang, 60_000);
  const zhang = await phone("zhang", "STAFFZH2");
  const z = zhang.page;
  await go(zhang, `#/drawing/${id}`);
  await z.locator("[data-testid=drawing-proposes]", { hasText: IDEA }).waitFor({ timeout: 30_000 });
  await z.locator("[data-testid=photo]").waitFor({ timeout: 30_000 });
  await z.selectOption("#dr-rv-status", "adopted");
  await z.selectOption("#dr-rv-works", { index: 1 });
  const work = (await z.locator("#dr-rv-works option:checked").textContent()).trim();
  assert.equal(await z.locator("[data-testid=drawing-review-shown]").isChecked(), true);
  await z.fill("#dr-rv-note", "纳入微更新计划");
  await z.locator("[data-testid=drawing-review-save]").click();
  await z.locator("[data-testid=drawing-status]", { hasText: "已采纳" }).waitFor();
  await z.locator("[data-testid=drawing-works]", { hasText: work }).waitFor();
  await waitSynced(zhang, 60_000);
  await screenshot(zhang, "review-drawing-staff-zh-CN");
  await go(wang, `#/drawing/${id}`);
  await w.locator("[data-testid=drawing-status]", { hasText: "已采纳" }).waitFor({ timeout: 30_000 });
  await w.locator("[data-testid=drawing-works]", { hasText: work }).waitFor();
  for (const p of [zhang, wang]) await p.context.close();
});

test("the register, a drawing and the form pass an axe-core audit in both languages", async () => {
  const p = await phone("audit", "STAFFZH2");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/drawings");
    await page.locator("[data-testid=drawing-card]").nth(20).waitFor({ timeout: 30_000 });
    await page.locator("[data-testid=drawings-count]", { hasText: lang === "en" ? "adopted" : "采纳" }).waitFor();
    await audit(page, `register, ${lang}`);
    await screenshot(p, `review-drawings-${lang}`);
    await page.selectOption("#dr-status", "adopted");
    await page.locator("[data-testid=drawing-card]").first().click();
    await page.locator("[data-testid=drawing-review-save]").waitFor();
    await audit(page, `an adopted drawing as staff see it, ${lang}`);
    await go(p, "#/drawing-new");
    await page.locator("#dr-nick").waitFor();
    await page.fill("#dr-age", "x");
    await page.locator("[data-testid=save-drawing]").click();
    await page.locator("#dr-err").filter({ hasText: /\S/ }).waitFor();
    await audit(page, `form with an error, ${lang}`);
    await screenshot(p, `review-drawing-form-${lang}`);
    await go(p, "#/drawings");
  }
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
