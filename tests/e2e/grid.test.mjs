// The grid's daily work as its people do it: staff seat a resident as a grid's building
// leader; his phone, offline in a stairwell, logs a morning round with a finding and a photo
// (a phone number typed into the finding is caught first), turns the finding into a request in
// one tap, and comes back online; the grid worker sees the round, the photo and the request,
// linked both ways. A grid worker offline records a mixed bin, reminds the household, whose
// phone shows the reminder; a follow-up closes it. A grid worker registers a facility work from
// a request and finishes it with an after photo, which a resident of another grid sees. The
// Community page and the grid's pages pass an axe-core audit in both languages. The indicators
// 指标: staff offline see the figures, open the on-time rate's records and one request, and
// see a request filed offline counted once the figures are worked out again; a
// resident sees the public set, a grid worker her grids; the dashboard and a figure's records
// pass axe-core in both languages and fit elder mode.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import {
  ROOT, ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  waitControlled, setOffline, screenshot, pageErrors, goHome, elderMisfits, go, audit, fileRequest, photoShown,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const PHOTO = join(ROOT, "server", "demo", "clutter.jpg");
const FINDING = "13号楼2单元楼道堆放旧沙发";

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

test("a building leader logs a round offline with a finding and a photo, makes it a request, and the grid worker sees both linked", async () => {
  const staff = await phone("staff", "STAFFZH2");
  const zhao = await phone("zhao", "ZHAXS3R5");
  const li = await phone("li", "GRDWRK78");

  // Staff seat 赵晓松 as grid 7's building leader.
  await go(staff, "#/g/g07");
  await staff.page.locator("#seat-building_leader").waitFor();
  await staff.page.waitForFunction(() => [...document.querySelectorAll("#seat-building_leader option")].some((o) => o.textContent === "赵晓松"));
  const value = await staff.page.locator("#seat-building_leader option", { hasText: "赵晓松" }).getAttribute("value");
  await staff.page.selectOption("#seat-building_leader", value);
  await waitSynced(staff);

  // His phone is given the grid at once: grid 7 appears on his Community page.
  await go(zhao, "#/more");
  await zhao.page.locator("[data-testid=hub-tile]", { hasText: "第7网格" }).waitFor({ timeout: 30_000 });
  await waitControlled(zhao);
  await go(zhao, "#/g/g07");
  await zhao.page.locator("[data-testid=team]", { hasText: "赵晓松" }).waitFor();

  // In the stairwell, without signal.
  await setOffline(zhao, true);
  await zhao.page.locator("[data-testid=sync][data-online=false]").waitFor();
  await zhao.page.locator("[data-testid=log-round]").click();
  await zhao.page.locator("main.log-round form").waitFor();
  await zhao.page.locator("label.choice", { hasText: "早巡" }).click();
  await zhao.page.fill("#fd-text", `${FINDING} 车主电话13812345678`);
  await zhao.page.locator("[data-testid=pii-guard]", { hasText: "手机号码" }).waitFor();
  await zhao.page.getByRole("button", { name: /移到备注/ }).click();
  assert.equal(await zhao.page.inputValue("#fd-text"), `${FINDING} 车主电话`);
  assert.equal(await zhao.page.inputValue("#log-note"), "13812345678");
  await zhao.page.fill("#fd-text", FINDING);
  await zhao.page.fill("#fd-place", "13号楼2单元3楼");
  await zhao.page.setInputFiles("#fd-photos", { name: "sofa.jpg", mimeType: "image/jpeg", buffer: readFileSync(PHOTO) });
  await zhao.page.locator("main.log-round img").first().waitFor();
  await zhao.page.getByRole("button", { name: "加入这条发现" }).click();
  await zhao.page.locator("[data-testid=draft-finding]", { hasText: FINDING }).waitFor();
  await zhao.page.fill("#log-note", "已劝导住户本周内清走");
  await zhao.page.getByRole("button", { name: "保存巡查记录" }).click();
  const round = zhao.page.locator("[data-testid=round]", { hasText: "已劝导住户本周内清走" });
  await round.waitFor();
  // One tap: the finding becomes a request, still offline.
  await round.locator("[data-testid=to-request]").click();
  await round.locator("[data-testid=finding-request]").waitFor();
  await screenshot(zhao, "review-grid-offline-zh-CN");

  // Back online: everything reaches the relay.
  await setOffline(zhao, false);
  await waitSynced(zhao, 60_000);

  // The grid worker sees the round, its photo, and the request it became.
  await go(li, "#/g/g07");
  const seen = li.page.locator("[data-testid=round]", { hasText: "已劝导住户本周内清走" });
  await seen.waitFor({ timeout: 30_000 });
  await seen.locator("[data-testid=finding]", { hasText: FINDING }).waitFor();
  await li.page.waitForFunction(() => [...document.querySelectorAll("[data-testid=finding] img")].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: 30_000 });
  await seen.locator("[data-testid=finding-request]").click();
  await li.page.locator("[data-testid=detail-title]", { hasText: FINDING }).waitFor();
  await li.page.locator("[data-testid=from-patrol] a").click();
  await li.page.locator("main.grid h2", { hasText: "第7网格" }).waitFor();
  // The week's table counts the round.
  const week = await li.page.locator("[data-testid=week] tbody tr").first().textContent();
  assert.match(week, /早巡/);

  for (const p of [staff, zhao, li]) await p.context.close();
});

test("a grid worker offline records a mixed bin and reminds the household, whose phone shows it; a follow-up closes it", async () => {
  const li = await phone("li-sorting", "GRDWRK78");
  const wang = await phone("wang-sorting", "WANGXY72");
  const POINT = "7号楼西门投放点";

  // At the bin point, without signal: the inspection, then the reminder to the household
  // the flat belongs to (her record is on the grid worker's phone), with a volunteer's visit.
  await go(li, "#/g/g07");
  await li.page.locator("[data-testid=sorting-link]").click();
  await li.page.locator("main.sorting #si-building").waitFor();
  await waitControlled(li);
  await setOffline(li, true);
  await li.page.locator("[data-testid=sync][data-online=false]").waitFor();
  // Bad input is explained, and nothing typed is lost.
  await li.page.fill("#si-point", POINT);
  await li.page.locator("[data-testid=save-inspection]").click();
  await li.page.locator("#si-err", { hasText: "请选择楼栋" }).waitFor();
  assert.equal(await li.page.inputValue("#si-point"), POINT);
  await li.page.selectOption("#si-building", "7号楼");
  await li.page.locator("label.choice", { hasText: "混投" }).click();
  await li.page.fill("#si-flat", "7-2-301");
  await li.page.fill("#si-note", "其他垃圾桶里有整袋剩饭菜");
  await li.page.locator("[data-testid=save-inspection]").click();
  const item = li.page.locator("[data-testid=awaiting]", { hasText: POINT });
  await item.waitFor();
  // The form is ready for the next bin (it empties once the save is done, which may come a
  // moment after the list shows the entry: a condition, not a single read).
  await li.page.waitForFunction(() => document.querySelector("#si-point").value === "", null, { timeout: 10_000 });
  const household = item.locator("select").first();
  assert.notEqual(await household.inputValue(), "", "the flat picks the household");
  await item.locator("select").nth(1).selectOption({ label: "陈小雨" });
  await item.locator("[data-testid=send-reminder]").click();
  const open = li.page.locator("[data-testid=open-reminder]", { hasText: POINT });
  await open.waitFor();
  await open.locator("[data-testid=reminder-read]", { hasText: "住户未读" }).waitFor();
  await setOffline(li, false);
  await waitSynced(li, 60_000);

  // Her phone shows it in plain words on the home screen; she says she has read it.
  await goHome(wang);
  const reminder = wang.page.locator("[data-testid=reminder]", { hasText: POINT });
  await reminder.waitFor({ timeout: 30_000 });
  assert.match(await reminder.textContent(), /绿色桶/);
  await reminder.locator("[data-testid=reminder-ok]").click();
  await reminder.waitFor({ state: "detached" });
  await waitSynced(wang);

  // The grid worker sees it read; a week later her follow-up finds the bins sorted and the
  // reminder is closed.
  await open.locator("[data-testid=reminder-read]", { hasText: "住户已读" }).waitFor({ timeout: 30_000 });
  await open.locator("[data-testid=follow-up]").click();
  assert.equal(await li.page.inputValue("#si-point"), POINT);
  await li.page.locator("label.choice", { hasText: "分类正确" }).click();
  await li.page.locator("[data-testid=save-inspection]").click();
  await open.waitFor({ state: "detached" });
  await waitSynced(li);
  for (const p of [li, wang]) await p.context.close();
});

test("a grid worker registers a facility work from a request in one tap and finishes it with an after photo, keeping what she typed while a new request arrives; a resident of another grid sees it done", async () => {
  const li = await phone("li-works", "GRDWRK78");
  const zhao = await phone("zhao-works", "ZHAXS3R5");

  // From a request of her queue, one tap: the form comes filled in from it.
  await goHome(li);
  const first = li.page.locator("[data-testid=request-card]").first();
  await first.waitFor();
  await first.locator("a.card-link").click();
  const title = (await li.page.locator("[data-testid=detail-title]").textContent()).trim();
  await li.page.locator("[data-testid=to-work]").click();
  await li.page.locator("[data-testid=work-from]", { hasText: title }).waitFor();
  assert.equal(await li.page.inputValue("#wf-title"), title);
  await li.page.fill("#wf-title", `${title}（维修）`);
  await li.page.selectOption("#wf-cat", "leak");
  await li.page.fill("#wf-place", "13号楼2单元");
  await li.page.fill("#wf-contractor", "物业工程部");
  // An amount that is not one is explained; nothing typed is lost.
  await li.page.fill("#wf-cost", "3千");
  await li.page.locator("[data-testid=save-work]").click();
  await li.page.locator("#wf-err", { hasText: "金额请写成元" }).waitFor();
  assert.equal(await li.page.inputValue("#wf-contractor"), "物业工程部");
  await li.page.fill("#wf-cost", "3,200");
  await li.page.locator("[data-testid=save-work]").click();
  await li.page.locator("[data-testid=work-title]", { hasText: `${title}（维修）` }).waitFor();
  await li.page.locator("[data-testid=work-status]", { hasText: "待施工" }).waitFor();
  await li.page.locator("[data-testid=work-request]", { hasText: title }).waitFor();

  // Finished: the after photo and a note, for the whole community.
  await li.page.selectOption("#wu-status", "done");
  await li.page.fill("#wu-note", "已修复，雨后复查无渗漏");
  // Meanwhile a resident of her grid files a request. It reaches her phone while she is in the
  // form, and what she chose and typed stays: the page does not make the form anew when any
  // document changes (it did, and under load her first sync wiped the picked photo).
  const wang = await phone("wang-works", "WANGXY72");
  const arriving = "3号楼楼道灯又不亮了";
  await fileRequest(wang, { title: arriving });
  await li.page.waitForFunction(
    (title) =>
      new Promise((resolve) => {
        const req = indexedDB.open("linli");
        req.onerror = () => resolve(false);
        req.onsuccess = () => {
          const db = req.result;
          const all = db.transaction("index").objectStore("index").getAll();
          all.onsuccess = () => {
            db.close();
            resolve(all.result.some((s) => (JSON.parse(s).request || {}).title === title));
          };
          all.onerror = () => {
            db.close();
            resolve(false);
          };
        };
      }),
    arriving,
    { polling: 200, timeout: 60_000 },
  );
  assert.equal(await li.page.inputValue("#wu-status"), "done", "the chosen progress stays");
  assert.equal(await li.page.inputValue("#wu-note"), "已修复，雨后复查无渗漏", "the typed note stays");
  await li.page.setInputFiles("#wu-photos", { name: "after.jpg", mimeType: "image/jpeg", buffer: readFileSync(PHOTO) });
  await photoShown(li, "main.work form.work-update");
  await li.page.locator("[data-testid=save-progress]").click();
  await li.page.locator("[data-testid=work-status]", { hasText: "已完工" }).waitFor();
  await li.page.locator("[data-testid=work-update]", { hasText: "雨后复查无渗漏" }).waitFor();
  await waitSynced(li, 60_000);

  // A resident of grid 3 sees it finished, with the photo.
  await go(zhao, "#/works");
  const card = zhao.page.locator("[data-testid=work-card]", { hasText: `${title}（维修）` });
  await card.waitFor({ timeout: 30_000 });
  await card.click();
  await zhao.page.locator("[data-testid=work-status]", { hasText: "已完工" }).waitFor();
  await zhao.page.waitForFunction(() => [...document.querySelectorAll("[data-testid=after-photos] img")].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: 30_000 });
  for (const p of [li, zhao, wang]) await p.context.close();
});

test("the Community page and the grid pages pass an axe-core audit in both languages", async () => {
  const p = await phone("audit", "GRDWRK78");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/more");
    await page.locator("[data-testid=hub-tile]").first().waitFor();
    await audit(page, `community, ${lang}`);
    await go(p, "#/grids");
    await page.locator("[data-testid=grid-card]").first().waitFor();
    await audit(page, `grids, ${lang}`);
    await go(p, "#/g/g07");
    await page.locator("[data-testid=round]").first().waitFor();
    await audit(page, `grid, ${lang}`);
    await screenshot(p, `review-grid-${lang}`);
    await go(p, "#/g/g07/log");
    await page.locator("main.log-round form").waitFor();
    await page.locator("label.choice", { hasText: lang === "en" ? "Midday visits" : "午访" }).click();
    await audit(page, `log a round, ${lang}`);
    await screenshot(p, `review-grid-log-${lang}`);
    await go(p, "#/g/g07/sorting");
    await page.locator("[data-testid=rate-buildings] tbody tr").first().waitFor();
    await audit(page, `garbage sorting, ${lang}`);
    await screenshot(p, `review-sorting-${lang}`);
    await go(p, "#/works");
    await page.locator("[data-testid=work-card]").first().waitFor();
    await audit(page, `facility works, ${lang}`);
    await page.locator("[data-testid=work-card]").first().click();
    await page.locator("[data-testid=work-title]").waitFor();
    await audit(page, `a facility work, ${lang}`);
    await screenshot(p, `review-work-${lang}`);
    await go(p, "#/work-new");
    await page.locator("#wf-title").waitFor();
    await audit(page, `register a work, ${lang}`);
  }
  await p.context.close();
});

test("staff offline open the indicators: the on-time rate is a percentage, it opens its records, and one of them is its request", async () => {
  const staff = await phone("staff-indicators", "STAFFZH2");
  const { page } = staff;
  // Online first, until the phone holds the community's requests (the rate has data).
  await go(staff, "#/indicators");
  await page.waitForFunction(() => {
    const v = document.querySelector("main.indicators[data-ready='1'] [data-testid=ind-card][data-id='2'] [data-testid=ind-value]");
    return v && /%$/.test(v.textContent);
  }, null, { timeout: 60_000 });
  await waitSynced(staff);
  await waitControlled(staff);

  // Offline: the app starts from the phone alone and the dashboard computes on it.
  await setOffline(staff, true);
  await go(staff, "#/more");
  await page.reload();
  await page.locator("[data-testid=sync][data-online=false]").waitFor();
  // By its address: the Community tab's tiles can still move while the phone's store is read
  // after an offline start (a tile whose module has data appears), so a click may land on a
  // neighbour; the resident's test below taps the tile.
  await go(staff, "#/indicators");
  // The first screen's records come first and the rest of the phone's store just after: the
  // figures are computed again when it has arrived, so wait for the rate, do not read it once.
  await page.waitForFunction(() => {
    const v = document.querySelector("main.indicators[data-ready='1'] [data-testid=ind-card][data-id='2'] [data-testid=ind-value]");
    return v && /^\d+(\.\d)?%$/.test(v.textContent);
  }, null, { timeout: 60_000 });
  const ontime = page.locator("[data-testid=ind-card][data-id='2']");
  assert.equal(await page.locator("[data-testid=ind-card]").count(), 30);
  await page.locator("[data-testid=activity-sentence]", { hasText: "活跃度" }).waitFor();
  assert.equal(await page.locator("[data-testid=activity] svg[role=img]").count(), 1);
  await page.locator("[data-testid=activity]").scrollIntoViewIfNeeded();
  await screenshot(staff, "review-indicators-zh-CN");

  // The figure opens its records: counted, and out of what.
  await ontime.locator("[data-testid=ind-link]").click();
  await page.locator("main.ind-records[data-ready='1']").waitFor();
  assert.match(await page.locator("[data-testid=ind-records-title]").textContent(), /按时响应率/);
  await page.locator("[data-testid=numerator] h3", { hasText: "计入（分子）" }).waitFor();
  await page.locator("[data-testid=denominator] h3", { hasText: "总数（分母）" }).waitFor();
  await screenshot(staff, "review-indicator-records-zh-CN");
  await page.locator("[data-testid=denominator] [data-testid=record]").first().click();
  await page.locator("[data-testid=detail-title]").waitFor();
  assert.match(await page.evaluate(() => location.hash), /^#\/r\//);

  // Still offline, a request filed on this phone: the dashboard's figures (kept from the last
  // visit, and shown while the new ones are worked out) come to count it.
  // Requests received (card 1), read only once the figures are of the records the phone holds.
  const received = ([sel, n]) => {
    const v = document.querySelector(sel);
    const count = v ? Number(v.textContent.replace(/,/g, "")) : null;
    return n === undefined ? count !== null : count === n;
  };
  const RECEIVED = "main.indicators[data-ready='1'] [data-testid=ind-card][data-id='1'] [data-testid=ind-value]";
  await go(staff, "#/indicators");
  await page.waitForFunction(received, [RECEIVED], { timeout: 60_000 });
  const before = await page.evaluate((sel) => Number(document.querySelector(sel).textContent.replace(/,/g, "")), RECEIVED);
  assert.ok(Number.isInteger(before), `requests received is a count: ${before}`);
  await fileRequest(staff, { title: `指标 楼道灯不亮 ${Date.now() % 100000}`, colour: "yellow", grid: "g07" });
  await go(staff, "#/indicators");
  await page.waitForFunction(received, [RECEIVED, before + 1], { timeout: 60_000 });
  await setOffline(staff, false);
  await staff.context.close();
});

test("a resident sees only the public indicators of the community", async () => {
  const wang = await phone("wang-indicators", "WANGXY72");
  const { page } = wang;
  await go(wang, "#/more");
  await page.locator("[data-testid=hub-tile]", { hasText: "指标" }).click();
  await page.locator("main.indicators[data-ready='1']").waitFor({ timeout: 60_000 });
  const ids = await page.locator("[data-testid=ind-card]").evaluateAll((cards) => cards.map((c) => c.dataset.id));
  assert.deepEqual(ids, ["2", "13", "23"]);
  assert.equal(await page.locator("[data-testid=activity]").count(), 0);
  assert.equal(await page.locator("#ind-scope").count(), 0);
  // A figure outside the public set is not shown by its address either.
  await go(wang, "#/ind/11");
  await page.locator("main.ind-records p.empty").waitFor();
  await wang.context.close();
});

test("a grid worker sees her grids' indicators, and the figures kept for the community say so", async () => {
  const li = await phone("li-indicators", "GRDWRK78");
  const { page } = li;
  await go(li, "#/indicators");
  await page.locator("main.indicators[data-ready='1']").waitFor({ timeout: 60_000 });
  const scopes = await page.locator("#ind-scope option").evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(scopes, ["g07", "g08"]);
  assert.equal(await page.locator("[data-testid=ind-card]").count(), 30);
  assert.equal(await page.locator("[data-testid=ind-card][data-id='13'] [data-testid=ind-value]").textContent(), "仅社区层面");
  assert.equal(await page.locator("[data-testid=grids-side-by-side]").count(), 0);
  await page.selectOption("#ind-scope", "g08");
  await page.locator("main.indicators[data-ready='1']").waitFor();
  assert.match(await page.locator("[data-testid=ind-card][data-id='28'] [data-testid=ind-value]").textContent(), /%$|无数据/);
  await li.context.close();
});

test("the indicators dashboard and a figure's records pass an axe-core audit in both languages", async () => {
  const p = await phone("audit-indicators", "STAFFZH2");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/indicators");
    await page.waitForFunction(() => {
      const v = document.querySelector("main.indicators[data-ready='1'] [data-testid=ind-card][data-id='2'] [data-testid=ind-value]");
      return v && /%$/.test(v.textContent);
    }, null, { timeout: 60_000 });
    // A definition and a chart's table open, and the grids side by side computed.
    await page.locator("[data-testid=ind-card][data-id='2'] details.ind-def summary").click();
    await page.locator("[data-testid=activity] details.data-table summary").click();
    // The table is built when its <details> opens.
    await page.locator("[data-testid=activity] details.data-table table tbody tr").first().waitFor();
    await page.locator("[data-testid=sbs-compute]").click();
    await page.locator("[data-testid=sbs-table] tbody tr").first().waitFor({ timeout: 60_000 });
    await audit(page, `indicators, ${lang}`);
    await screenshot(p, `review-indicators-full-${lang}`);
    // A custom range the wrong way round says so and keeps what was typed.
    await page.selectOption("#ind-period-select", "custom");
    await page.fill("#ind-from", "2026-11-30");
    await page.fill("#ind-to", "2026-11-01");
    await page.locator("[data-testid=ind-dates-error]", { hasText: lang === "en" ? "after the end date" : "晚于结束日期" }).waitFor();
    assert.equal(await page.inputValue("#ind-from"), "2026-11-30");
    await audit(page, `indicators with a bad range, ${lang}`);
    await page.selectOption("#ind-period-select", "30");
    await page.locator("main.indicators[data-ready='1']").waitFor();
    await go(p, "#/ind/2");
    await page.locator("main.ind-records[data-ready='1'] [data-testid=record]").first().waitFor();
    await audit(page, `an indicator's records, ${lang}`);
  }
  // Elder mode: every text at least 20 px and every target 48 × 48, the charts included.
  await page.evaluate(() => {
    localStorage.setItem("linli.elder", "1");
    localStorage.setItem("linli.lang", "zh-CN");
  });
  await page.reload();
  await page.locator("nav.tabbar").waitFor();
  await go(p, "#/indicators");
  await page.locator("main.indicators[data-ready='1']").waitFor({ timeout: 60_000 });
  await page.locator("[data-testid=sbs-compute]").click();
  await page.locator("[data-testid=sbs-table] tbody tr").first().waitFor({ timeout: 60_000 });
  await audit(page, "indicators, elder mode");
  const misfits = (await page.evaluate(elderMisfits)).map((m) => `indicators: ${m}`);
  await page.locator("[data-testid=activity]").scrollIntoViewIfNeeded();
  await screenshot(p, "review-indicators-elder-zh-CN");
  await go(p, "#/ind/2");
  await page.locator("main.ind-records[data-ready='1'] [data-testid=record]").first().waitFor();
  misfits.push(...(await page.evaluate(elderMisfits)).map((m) => `records: ${m}`));
  assert.deepEqual([...new Set(misfits)], [], "elder mode misfits");
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
