// The case library 案例库 on a phone: staff open #/cases and see the demo community's matched
// cases first, each explained by the demo's own open requests (their count and titles); they
// search the library in Chinese, filter it by problem, and open a case with its results as
// reported and its sources. The library and a case pass an axe-core audit in both languages,
// and in elder mode every text is at least 20 px and every target 48 x 48.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, screenshot,
  pageErrors, elderMisfits,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// The demo's request titles (server/src/seed/requests.rs): an explanation quotes some.
const DEMO_TITLES = [
  "楼道堆放纸箱杂物", "楼上狗叫扰民", "健身器材松动有危险", "外墙渗水到卧室", "楼道灯不亮",
  "垃圾桶周边脏乱", "建议增加厨余垃圾桶", "夜间装修噪音", "电动车乱停堵消防通道", "单元门口需要扶手",
  "楼道堆放电瓶车充电", "儿童游乐区地垫破损", "楼顶水箱漏水", "希望组织百家宴",
];

let relay, browser;

async function go(p, hash) {
  await p.page.evaluate((h) => (location.hash = h), hash);
}

async function audit(page, label) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
  const v = result.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  assert.deepEqual(v, [], `${label}: axe violations`);
}

async function setMode(p, { elder, lang }) {
  await p.page.evaluate(([e, l]) => {
    localStorage.setItem("linli.elder", e ? "1" : "0");
    localStorage.setItem("linli.lang", l);
  }, [elder, lang]);
  await p.page.reload();
  await p.page.locator("nav.tabbar").waitFor();
}

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

test("staff see the demo's matched cases explained by its open requests, search in Chinese, open a case, and both pages pass axe in both languages", async () => {
  const staff = await newPhone(browser, relay, "staff");
  await enrolAs(staff, "STAFFZH2");
  const { page } = staff;

  // The hub offers the library to staff.
  await go(staff, "#/more");
  await page.locator("[data-testid=hub-tile]", { hasText: "案例库" }).click();
  await page.locator("main.cases").waitFor({ timeout: 20_000 });

  // Matched cases first, explained by the demo's own open requests.
  const why = page.locator("[data-testid=case-match] [data-testid=case-why]");
  await page.waitForFunction(
    () => [...document.querySelectorAll("[data-testid=case-why]")].some((e) => /有 \d+ 条未办结诉求涉及/.test(e.textContent)),
    null,
    { timeout: 30_000 },
  );
  const texts = await why.allInnerTexts();
  assert.ok(texts.length >= 1 && texts.length <= 5, `${texts.length} matched cases shown`);
  const first = texts[0];
  assert.match(first, /^匹配原因：有 \d+ 条未办结诉求涉及/);
  assert.ok(DEMO_TITLES.some((t) => first.includes(`“${t}”`)), `a demo request quoted in: ${first}`);
  // The demo's most frequent open problem leads: its count is the largest quoted.
  const counts = texts.map((t) => Number((t.match(/有 (\d+) 条/) || [0, 0])[1]));
  assert.ok(counts[0] >= Math.max(...counts), `counts ${counts}`);

  // Searching in Chinese: a problem as people say it finds only cases with that problem.
  const total = await page.locator("[data-testid=case-row]").count();
  assert.ok(total >= 25, `${total} cases in the library`);
  await page.fill("[data-testid=case-search]", "停车难");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=case-row]").length < n, total);
  const parking = page.locator("[data-testid=case-row]");
  const n = await parking.count();
  assert.ok(n >= 3, `${n} parking cases`);
  assert.equal(await page.locator("[data-testid=case-row]:not(:has([data-tag=parking]))").count(), 0);
  await page.locator("[data-testid=case-count]", { hasText: `找到 ${n} 个案例` }).waitFor();
  // A place name, narrowed by the problem filter.
  await page.fill("[data-testid=case-search]", "杨浦");
  await page.selectOption("[data-testid=case-tag]", "clutter");
  await page.locator("[data-testid=case-count]", { hasText: "找到 2 个案例" }).waitFor();
  await page.locator("[data-testid=case-row] a", { hasText: "鞍山路218弄" }).click();

  // One case: results as reported, a source with its quality mark, whether it was re-checked.
  await page.locator("[data-testid=case-page]").waitFor();
  await page.locator("[data-testid=case-results]", { hasText: "12户共筹4.8万元" }).waitFor();
  assert.match(await page.locator("[data-testid=case-results]").innerText(), /^据报道/);
  const src = page.locator(".case-sources a").first();
  assert.match(await src.getAttribute("href"), /^https?:\/\/sh\.chinanews\.com\//);
  await page.locator(".case-sources .case-quality", { hasText: "媒体原文" }).waitFor();
  await page.locator("[data-testid=case-checked]", { hasText: "已对照来源" }).waitFor();
  // It meets the demo's stairwell clutter, so it says why it matches us.
  await page.locator("[data-testid=case-why]", { hasText: "楼道堆物" }).waitFor({ timeout: 20_000 });
  await screenshot(staff, "review-case-c09-zh");

  // Axe in both languages; elder mode readable (every text ≥ 20 px, every target ≥ 48 × 48).
  const misfits = [];
  for (const [elder, lang] of [[false, "zh-CN"], [false, "en"], [true, "zh-CN"]]) {
    await setMode(staff, { elder, lang });
    const mode = `${elder ? "elder" : "normal"} ${lang}`;
    await go(staff, "#/cases");
    await page.locator("[data-testid=case-match]").first().waitFor({ timeout: 30_000 });
    if (lang === "en") {
      await page.locator("[data-testid=case-why]", { hasText: /^Matched because \d+ open requests? (is|are) about/ }).first().waitFor();
    }
    await audit(page, `library, ${mode}`);
    if (elder) misfits.push(...(await page.evaluate(elderMisfits)).map((m) => `library: ${m}`));
    await screenshot(staff, `review-cases-${elder ? "elder" : "normal"}-${lang}`);
    await go(staff, "#/case/c09");
    await page.locator("[data-testid=case-why]").waitFor({ timeout: 20_000 });
    await audit(page, `case, ${mode}`);
    if (elder) misfits.push(...(await page.evaluate(elderMisfits)).map((m) => `case: ${m}`));
  }
  assert.deepEqual([...new Set(misfits)], [], "elder mode misfits");
  await staff.context.close();
});

test("no page error on any phone of this file", () => {
  assert.deepEqual(pageErrors(), []);
});
