// The case library 案例库 on a phone: staff open #/cases and see the demo community's matched
// cases first, each explained by the demo's own open requests (their count and titles); they
// search the library in Chinese, filter it by problem, and open a case with its results as
// reported and its sources. The library and a case pass an axe-core audit in both languages,
// and in elder mode every text is at least 20 px and every target 48 x 48.
// The practice report 实践报告 on the same staff phone, offline: drafted from the demo's year in
// the article's structure, a figure opens its records for the report's period, a paragraph
// rewritten in place keeps its figures and survives an offline reload, the draft comes back
// on request, the Markdown export links every figure, Chromium prints it to a PDF with the
// print stylesheet (the report alone), and the page passes axe in both
// languages (English in elder mode, with its sizes).
// The community's own cases 本社区案例 on a staff phone, offline: the demo's own cases sit
// beside the library's; a case written up on the phone (bad input explained, the draft kept
// over a reload) is matched to the demo's open problems and says why; it is exported as a file
// and a file another community shared is imported (a file that is not one is explained).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, screenshot,
  pageErrors, elderMisfits, setOffline, waitControlled, waitSynced,
  audit, go,
} from "./harness.mjs";


// The demo's request titles (server/src/seed/requests.rs): an explanation quotes some.
const DEMO_TITLES = [
  "楼道堆放纸箱杂物", "楼上狗叫扰民", "健身器材松动有危险", "外墙渗水到卧室", "楼道灯不亮",
  "垃圾桶周边脏乱", "建议增加厨余垃圾桶", "夜间装修噪音", "电动车乱停堵消防通道", "单元门口需要扶手",
  "楼道堆放电瓶车充电", "儿童游乐区地垫破损", "楼顶水箱漏水", "希望组织百家宴",
];

let relay, browser;



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

test("staff offline draft the practice report: every figure opens its records, an edit keeps its figures across a reload, Markdown export, printed to PDF by Chromium, axe in both languages", async () => {
  const staff = await newPhone(browser, relay, "report-staff");
  await enrolAs(staff, "STAFFZH2");
  const { page } = staff;
  await waitSynced(staff, 60_000);
  await waitControlled(staff);
  await setOffline(staff, true);
  await go(staff, "#/more");
  await page.locator("[data-testid=hub-tile]", { hasText: "实践报告" }).click();
  await page.locator("[data-testid=report][data-ready='1']").waitFor({ timeout: 60_000 });
  const sheet = page.locator("[data-testid=report-sheet]");
  assert.equal(await sheet.locator("h1").innerText(), "水榭花都社区实践报告");
  assert.deepEqual(
    await sheet.locator("h2").allInnerTexts(),
    ["一、背景", "二、目标", "三、做法：问题 → 行动 → 结果", "四、成效", "五、问题与不足", "六、反思", "七、展望", "八、一个开放的问题"],
  );
  // No figure reads "no data" or a bare 0: a sentence without data is left out.
  const text = await sheet.innerText();
  assert.doesNotMatch(text, /无数据/);
  // The requests received: a computed figure that opens its records for the report's year.
  const received = sheet.locator("a.fig[data-fig=i1]").first();
  const n = await received.innerText();
  assert.match(n, /^\d+$/);
  assert.ok(Number(n) > 0);
  await received.click();
  await page.waitForFunction(() => location.hash === "#/ind/1");
  await page.locator("[data-testid=ind-records][data-ready='1']").waitFor({ timeout: 30_000 });
  assert.equal(await page.locator("[data-testid=ind-records-value]").innerText(), n);
  assert.equal(await page.locator("[data-testid=numerator] [data-testid=record]").count() > 0, true);
  // Back to the report: rewrite a paragraph around its figures, offline.
  await go(staff, "#/report");
  await page.locator("[data-testid=report][data-ready='1']").waitFor({ timeout: 60_000 });
  const para = page.locator("p[data-para='res.requests']");
  await para.focus();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("（已与台账核对）");
  await page.locator("[data-testid=report-period]").focus();
  await page.locator("[data-testid=report-restore]").waitFor();
  await page.reload();
  await page.locator("[data-testid=report][data-ready='1']").waitFor({ timeout: 60_000 });
  await page.locator("p[data-para='res.requests']", { hasText: "（已与台账核对）" }).waitFor();
  assert.equal(await page.locator("p[data-para='res.requests'] a.fig[data-fig=i1]").innerText(), n,
    "the edited paragraph keeps its computed figure");
  // The Markdown export holds the edit and links each figure to its records.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-testid=report-md]").click(),
  ]);
  const md = readFileSync(await download.path(), "utf8");
  assert.match(md, /^# 水榭花都社区实践报告\n/);
  assert.match(md, new RegExp(`\\[\\*\\*${n}\\*\\*\\]\\([^)]*#/ind/1\\)`));
  assert.match(md, /（已与台账核对）/);
  // Printed by Chromium: the print stylesheet leaves the report alone on the page (no tab
  // bar, no buttons), and the PDF holds it on its A4 pages.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("nav.tabbar").isVisible(), false, "the tab bar is not printed");
  assert.equal(await page.locator("[data-testid=report-md]").isVisible(), false, "buttons are not printed");
  assert.equal(await sheet.locator("h1").isVisible(), true, "the report is printed");
  const pdf = await page.pdf({ format: "A4", printBackground: false });
  await page.emulateMedia({ media: "screen" });
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
  assert.ok(pages >= 2, `the printed report has ${pages} page(s)`);
  await audit(page, "report, zh-CN");
  await screenshot(staff, "review-report-zh-CN");
  // Back to the draft.
  await page.locator("[data-testid=report-restore]").click();
  await page.locator("p[data-para='res.requests']", { hasText: "（已与台账核对）" }).waitFor({ state: "detached" });
  // In English and elder mode: every text at least 20 px, every target (figures too) 48 x 48.
  await setMode(staff, { elder: true, lang: "en" });
  await go(staff, "#/report");
  await page.locator("[data-testid=report][data-ready='1']").waitFor({ timeout: 60_000 });
  assert.equal(await sheet.locator("h2").first().innerText(), "1. Background");
  await audit(page, "report, en, elder mode");
  assert.deepEqual([...new Set(await page.evaluate(elderMisfits))], [], "elder mode misfits on the report");
  await screenshot(staff, "review-report-en");
  await staff.context.close();
});

test("staff offline write up a case of their own, it is matched to the open problems, exported as a file, and a case another community shared is imported", async () => {
  const staff = await newPhone(browser, relay, "own-cases");
  await enrolAs(staff, "STAFFZH2");
  const { page } = staff;
  await waitSynced(staff, 60_000);
  await waitControlled(staff);
  await setOffline(staff, true);
  await go(staff, "#/cases");
  // The demo's own cases, found by the same search as the library's.
  await page.locator("[data-testid=own-case-row]").nth(3).waitFor({ timeout: 30_000 });
  await page.fill("[data-testid=case-search]", "美术馆");
  await page.locator("[data-testid=own-case-row]", { hasText: "楼道美术馆" }).waitFor();
  assert.equal(await page.locator("[data-testid=own-case-row]").count(), 1);
  await page.fill("[data-testid=case-search]", "");

  // Writing one up: what is missing is explained and nothing typed is lost, over a reload too.
  await page.locator("[data-testid=case-new]").click();
  await page.fill("[data-testid=cf-title]", "楼道堆物：楼组长带头的周六清理日");
  await page.locator("#cf-tag-clutter").check();
  await page.fill("[data-testid=cf-results]", "三个月里有11个单元不再堆物。");
  await page.locator("[data-testid=save-case]").click();
  await page.locator("[data-testid=case-error]", { hasText: "请写下当时是怎么做的" }).waitFor();
  assert.equal(await page.locator("[data-testid=cf-done]").getAttribute("aria-invalid"), "true");
  await page.fill("[data-testid=cf-done]", "每月第一个周六，楼组长和网格员带着志愿者逐层清理，清出的旧物放到跳蚤市场。");
  // The draft is stored within 150 ms of the last keystroke: reload once it is.
  await page.waitForFunction(() => new Promise((resolve) => {
    const open = indexedDB.open("linli");
    open.onsuccess = () => {
      const all = open.result.transaction("drafts").objectStore("drafts").getAll();
      all.onsuccess = () => resolve(JSON.stringify(all.result).includes("每月第一个周六"));
      all.onerror = () => resolve(false);
    };
    open.onerror = () => resolve(false);
  }));
  await page.reload();
  await page.locator("[data-testid=cf-done]").waitFor();
  assert.equal(await page.locator("[data-testid=cf-title]").inputValue(), "楼道堆物：楼组长带头的周六清理日");
  assert.match(await page.locator("[data-testid=cf-done]").inputValue(), /^每月第一个周六/);
  assert.equal(await page.locator("#cf-tag-clutter").isChecked(), true);
  await page.locator("[data-testid=save-case]").click();
  await page.locator("[data-testid=own-case-page] [data-testid=own-case-title]", { hasText: "周六清理日" }).waitFor();
  // Matched to the demo's stairwell clutter, with the count of its open requests.
  await page.locator("[data-testid=case-why]", { hasText: /有 \d+ 条未办结诉求涉及楼道堆物/ }).waitFor({ timeout: 30_000 });
  await page.locator("[data-testid=own-case-origin]", { hasText: "本社区" }).waitFor();

  // Exported as a file to share: the case's text and problems, nobody's id.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-testid=own-case-export]").click(),
  ]);
  const shared = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(shared.format, "linli-case/1");
  assert.equal(shared.community, "水榭花都");
  assert.deepEqual(shared.tags, ["clutter"]);
  assert.doesNotMatch(JSON.stringify(shared), /p-zhang|张建国/);

  // A file another community shared, imported: it keeps where it came from.
  const theirs = join(ARTIFACTS, "shared-case.json");
  writeFileSync(theirs, JSON.stringify({ ...shared, community: "南湖社区", title: "南湖社区的周六清理日" }));
  const notACase = join(ARTIFACTS, "not-a-case.json");
  writeFileSync(notACase, "这不是案例");
  await go(staff, "#/case-new");
  await page.locator("[data-testid=case-import]").setInputFiles(notACase);
  await page.locator("[data-testid=case-import-error]", { hasText: "这不是邻里导出的案例文件" }).waitFor();
  await page.locator("[data-testid=case-import]").setInputFiles(theirs);
  await page.locator("[data-testid=case-imported]").waitFor();
  assert.equal(await page.locator("[data-testid=cf-title]").inputValue(), "南湖社区的周六清理日");
  assert.equal(await page.locator("[data-testid=cf-from]").inputValue(), "南湖社区");
  await audit(page, "case form, zh-CN");
  await page.locator("[data-testid=save-case]").click();
  await page.locator("[data-testid=own-case-origin]", { hasText: "南湖社区分享" }).waitFor();
  await audit(page, "own case, zh-CN");

  // Back online, both reach the relay.
  await setOffline(staff, false);
  await waitSynced(staff, 60_000);
  await setMode(staff, { elder: false, lang: "en" });
  await go(staff, "#/cases");
  await page.locator("[data-testid=own-case-row]", { hasText: "南湖社区的周六清理日" }).waitFor({ timeout: 30_000 });
  await page.locator("[data-testid=own-case-row]", { hasText: "Shared by 南湖社区" }).waitFor();
  await audit(page, "library with own cases, en");
  await screenshot(staff, "review-own-cases-en");
  await staff.context.close();
});

test("no page error on any phone of this file", () => {
  assert.deepEqual(pageErrors(), []);
});
