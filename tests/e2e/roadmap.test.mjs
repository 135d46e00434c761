// The practice roadmap 实践路径图谱 as staff use it: from the Community page, 水榭花都's plan
// (the article's three phases) as a chart whose table alternative lists the phases; an action
// linked to the year's facility works shows its status from the works' data and opens it.
// Offline, staff change a phase's length (a bad length explained, what was typed kept), reload
// the app offline and find the change. The roadmap and its editor pass an axe-core audit in
// both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs,
  waitSynced, waitControlled, setOffline, screenshot, pageErrors, go, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);

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

function phaseRow(page, name) {
  return page.locator("[data-testid=rm-table] tbody tr", { has: page.locator("th", { hasText: name }) });
}

test("staff read the plan with progress from data, edit a phase offline and keep it over an offline reload; audited in both languages", async () => {
  const z = await newPhone(browser, relay, "zhang");
  await enrolAs(z, "STAFFZH2");
  const { page } = z;
  await go(z, "#/more");
  await page.locator("[data-testid=hub-tile]", { hasText: "实践路径图谱" }).click();
  await page.locator("[data-testid=rm-phase]").nth(2).waitFor({ timeout: 30_000 });

  // The chart's table alternative lists the article's three phases.
  const names = await page.locator("[data-testid=rm-table] tbody th").allTextContents();
  assert.deepEqual(names, ["组织重构", "规则建设", "文化培育"]);
  await phaseRow(page, "组织重构").locator("td", { hasText: "3 个月" }).waitFor({ state: "attached" });
  await page.locator("[data-testid=rm-summary]", { hasText: "规划共 3 个阶段" }).waitFor();

  // An action linked to the year's stairwell-light works: its status comes from the works.
  const light = page.locator("[data-testid=rm-action]", { hasText: "楼道声控灯更换" });
  await light.locator("[data-testid=rm-status]", { hasText: /已完工|施工中|待施工/ }).waitFor({ timeout: 30_000 });
  const status = await light.getAttribute("data-status");
  assert.ok(["done", "under_way", "planned"].includes(status), status);
  await light.locator("[data-testid=rm-open-doc]").click();
  await page.locator("[data-testid=work-title]", { hasText: "灯" }).waitFor();
  const workStatus = await page.locator("[data-testid=work-status]").textContent();
  const expected = { done: "已完工", under_way: "施工中", planned: "待施工" }[status];
  assert.ok(workStatus.includes(expected), `${workStatus} vs ${status}`);
  await screenshot(z, "review-roadmap-work-zh-CN");

  // In a stairwell, without signal: change the first phase's length.
  await waitSynced(z, 60_000);
  await waitControlled(z);
  await setOffline(z, true);
  await page.locator("[data-testid=sync][data-online=false]").waitFor();
  await go(z, "#/roadmap");
  await page.locator("[data-testid=rm-edit]").click();
  await page.locator("#rm-p0-months").waitFor();
  assert.equal(await page.inputValue("#rm-p0-months"), "3");
  await page.fill("#rm-p0-theme", "1+3+N 协作平台（延长）");
  for (const [typed, says] of [["0", "1 到 24"], ["三", "整数"], ["30", "1 到 24"]]) {
    await page.fill("#rm-p0-months", typed);
    await page.locator("[data-testid=rm-save]").click();
    await page.locator("#rm-p0-months-err", { hasText: says }).waitFor();
    assert.equal(await page.inputValue("#rm-p0-months"), typed, "what was typed is kept");
    assert.equal(await page.inputValue("#rm-p0-theme"), "1+3+N 协作平台（延长）");
  }
  await page.fill("#rm-p0-months", "4");
  await page.locator("#rm-p0-months-err:empty").waitFor({ state: "attached" });
  await page.locator("[data-testid=rm-save]").click();
  await page.locator("[data-testid=rm-table]").waitFor({ state: "attached" });
  await phaseRow(page, "组织重构").locator("td", { hasText: "4 个月" }).waitFor({ state: "attached" });

  // The app reloaded offline: the change is on the phone.
  await page.reload();
  await page.locator("nav.tabbar").waitFor();
  await go(z, "#/roadmap");
  await phaseRow(page, "组织重构").locator("td", { hasText: "4 个月" }).waitFor({ state: "attached", timeout: 30_000 });
  await phaseRow(page, "组织重构").locator("td", { hasText: "（延长）" }).waitFor({ state: "attached" });

  // Back online, it reaches the relay.
  await setOffline(z, false);
  await waitSynced(z, 60_000);

  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(z, "#/roadmap");
    await page.locator("[data-testid=rm-phase]").nth(2).waitFor({ timeout: 30_000 });
    await audit(page, `roadmap, ${lang}`);
    await screenshot(z, `review-roadmap-${lang}`);
    await go(z, "#/roadmap-edit");
    await page.locator("#rm-p2-months").waitFor();
    await audit(page, `roadmap editor, ${lang}`);
  }
  await z.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
