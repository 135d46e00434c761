// Micro-grants 微创投 on phones: a resident proposes, a resident reviewer on the panel scores,
// staff fund it, the proposer spends with a receipt photo, and another resident's phone sees
// the fund's balance drop and the receipt. Two phones of the gallery's leader, offline, each
// spend what the ledger they hold affords alone; back online, exactly one is refused, with a
// message on that phone and the entry kept there as a draft to correct, while nothing else
// written offline is lost. The fund and proposal pages pass an axe-core audit. A resident joins
// the gallery's self-governing group offline and its leader records a meeting both phones see.
// Exports: staff download the requests register (a demo subject named in it), a grid worker
// her grids' only, a resident the public registers naming nobody; the page passes axe-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import {
  ROOT, ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  screenshot, pageErrors, elderMisfits, setOffline, go, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const RECEIPT = join(ROOT, "server", "demo", "fixed.jpg");

let relay, browser;

async function phone(name, code) {
  const p = await newPhone(browser, relay, name);
  await enrolAs(p, code);
  return p;
}

/** Yuan shown as `¥1,234.50` → fen. */
function fen(text) {
  const m = text.replace(/[,\s]/g, "").match(/-?¥?(-?\d+)\.(\d\d)/);
  assert.ok(m, `an amount in ${text}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

async function amount(p, testid) {
  return fen(await p.page.locator(`[data-testid=${testid}]`).first().innerText());
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

test("a resident proposes, the panel scores, staff fund it, it spends with a receipt, and a resident's phone sees the balance drop", async () => {
  const wang = await phone("wang", "WANGXY72");
  const zhao = await phone("zhao", "ZHAXS3R5");
  const staff = await phone("staff", "STAFFZH2");

  // 王秀英 proposes to the open call.
  await go(wang, "#/grants");
  await wang.page.locator("[data-testid=propose-form]").waitFor({ timeout: 20_000 });
  const title = `单元门口长椅 ${Date.now() % 100000}`;
  await wang.page.fill("#propose-title", title);
  await wang.page.fill("#propose-what", "在7号楼门口放两张长椅，老人等车可以坐。");
  await wang.page.fill("#propose-why", "老人多，门口没有地方坐。");
  await wang.page.fill("#propose-place", "7号楼门口");
  await wang.page.fill("#propose-line0", "长椅");
  await wang.page.fill("#propose-amount0", "abc");
  await wang.page.locator("[data-testid=propose-form] button[type=submit]").click();
  // Bad input: a message, and nothing typed is lost.
  await wang.page.locator("[data-testid=propose-error]", { hasText: "金额" }).waitFor();
  assert.equal(await wang.page.inputValue("#propose-title"), title);
  await wang.page.fill("#propose-amount0", "1200");
  await wang.page.fill("#propose-line1", "安装");
  await wang.page.fill("#propose-amount1", "300");
  await wang.page.fill("#propose-households", "12");
  await wang.page.locator("[data-testid=propose-form] button[type=submit]").click();
  await wang.page.locator("[data-testid=proposal-title]", { hasText: title }).waitFor();
  const proposal = wang.page.url().split("#/proposal/")[1];
  await waitSynced(wang);

  // 赵晓松 (a resident on the panel) scores it; his support is his own.
  await go(zhao, `#/proposal/${proposal}`);
  await zhao.page.locator("[data-testid=proposal-title]", { hasText: title }).waitFor({ timeout: 20_000 });
  await zhao.page.locator("[data-testid=support]").click();
  await zhao.page.locator("[data-testid=supports]", { hasText: "1" }).waitFor();
  for (let i = 0; i < 4; i++) await zhao.page.selectOption(`#score-${i}`, "4");
  await zhao.page.fill("#review-comment", "很实用。");
  // Staff, on the panel too, send their review first: it reaches 赵's phone mid-form, and
  // his scores stay as he chose them (his form once was made anew as the call changed).
  await go(staff, `#/proposal/${proposal}`);
  await staff.page.locator("[data-testid=review-form]").waitFor({ timeout: 20_000 });
  for (let i = 0; i < 4; i++) await staff.page.selectOption(`#score-${i}`, "4");
  await staff.page.fill("#review-comment", "预算清楚，工期短。");
  await staff.page.locator("[data-testid=review-form] button[type=submit]").click();
  await waitSynced(staff);
  await zhao.page.locator("ul.reviews li", { hasText: "预算清楚，工期短。" }).waitFor({ timeout: 20_000 });
  for (let i = 0; i < 4; i++) assert.equal(await zhao.page.inputValue(`#score-${i}`), "4", `his score ${i} shows`);
  // What the screen shows is what goes out: his review is recorded, not refused as unscored
  // (a form made anew showed the old choices while holding none).
  await zhao.page.locator("[data-testid=review-form] button[type=submit]").click();
  await zhao.page.locator("ul.reviews li", { hasText: "很实用。" }).waitFor({ timeout: 20_000 });
  await zhao.page.locator("[data-testid=mean-score]", { hasText: "4.0" }).waitFor();
  await waitSynced(zhao);
  // Before the decision: what the fund holds, as his phone shows it.
  await go(zhao, "#/fund");
  await zhao.page.locator("[data-testid=fund-available]").waitFor({ timeout: 20_000 });
  const available0 = await amount(zhao, "fund-available");
  const cash0 = await amount(zhao, "fund-cash");

  // Staff fund it: the decision with reasons, and the allocation in the ledger.
  await go(staff, `#/proposal/${proposal}`);
  await staff.page.locator("ul.reviews li", { hasText: "很实用。" }).waitFor({ timeout: 20_000 });
  await staff.page.locator("[data-testid=mean-score]", { hasText: "4.0" }).waitFor({ timeout: 20_000 });
  await staff.page.fill("#decide-reasons", "惠及老人，预算合理。");
  await staff.page.click("[data-testid=fund-it]");
  await staff.page.locator("[data-testid=decision][data-outcome=funded]").waitFor();
  await waitSynced(staff);

  // The proposer sees the decision and spends with a receipt photo.
  await wang.page.locator("[data-testid=decision]", { hasText: "惠及老人" }).waitFor({ timeout: 20_000 });
  await wang.page.locator("[data-testid=spend-form]").waitFor({ timeout: 20_000 });
  await wang.page.selectOption("#spend-line", "长椅");
  await wang.page.fill("#spend-amount", "980.50");
  await wang.page.fill("#spend-note", "长椅两张");
  await wang.page.setInputFiles("#spend-receipts", RECEIPT);
  await wang.page.locator("[data-testid=spend-form] .thumbs img").waitFor();
  await wang.page.locator("[data-testid=spend-form] button[type=submit]").click();
  await wang.page.locator("[data-testid=spend-done]").waitFor();
  await waitSynced(wang);
  await wang.page.locator("[data-testid=project-remaining]", { hasText: "519.50" }).waitFor();

  // 赵's phone: the allocation left the available balance, the spending left the fund's cash,
  // and the receipt is there for everyone to see.
  await zhao.page.waitForFunction(
    ([a0]) => {
      const el = document.querySelector("[data-testid=fund-available]");
      return el && Number(el.textContent.replace(/[^\d]/g, "")) === a0 - 150000;
    },
    [available0],
    { timeout: 20_000 }
  );
  await zhao.page.waitForFunction(
    ([c0]) => {
      const el = document.querySelector("[data-testid=fund-cash]");
      return el && Number(el.textContent.replace(/[^\d]/g, "")) === c0 - 98050;
    },
    [cash0],
    { timeout: 20_000 }
  );
  const entry = zhao.page.locator("[data-testid=entries] li[data-kind=spending]", { hasText: "长椅两张" });
  await entry.waitFor();
  await entry.locator("[data-testid=photo]").waitFor({ timeout: 20_000 });
  await screenshot(zhao, "grants-fund-after-spending");
  // The sub-district office's CSV: built on the phone from the ledger it holds.
  const [download] = await Promise.all([
    zhao.page.waitForEvent("download"),
    zhao.page.click("[data-testid=csv-ledger]"),
  ]);
  const csv = readFileSync(await download.path(), "utf8");
  // A resident's file has the ledger's columns without anyone's name (names are staff's).
  assert.ok(csv.startsWith("\uFEFFdate,type,amount_yuan,project,line,note,receipts\r\n"), csv.slice(0, 80));
  assert.match(csv, /spending,-980\.50,[^,]*单元门口长椅[^,]*,长椅,长椅两张/);
  assert.match(csv, /allocation,1500\.00,[^,]*单元门口长椅/);
  for (const name of ["王秀英", "张建国"]) assert.ok(!csv.includes(name), `no ${name} in a resident's ledger`);
  for (const p of [wang, zhao, staff]) await p.context.close();
});

test("two phones offline each spend what is affordable alone: exactly one is refused, kept as a draft with a message, and nothing else is lost", async () => {
  const a = await phone("wang-a", "WANGXY72");
  const b = await phone("wang-b", "WANGXY72");
  // Both open the stairwell gallery 王秀英 leads.
  for (const p of [a, b]) {
    await go(p, "#/fund");
    await p.page.locator("[data-testid=projects] a", { hasText: "楼道美术馆" }).click({ timeout: 20_000 });
    await p.page.locator("[data-testid=spend-form]").waitFor({ timeout: 20_000 });
  }
  const gallery = a.page.url().split("#/proposal/")[1];
  // The frames line has 1,200 yuan left: each phone alone can spend 800.
  await a.page.locator("[data-testid=lines] tr", { hasText: "画框与挂轨" }).waitFor();
  for (const p of [a, b]) await p.context.setOffline(true);
  for (const [p, note] of [[a, "画框A"], [b, "画框B"]]) {
    await p.page.selectOption("#spend-line", "画框与挂轨");
    await p.page.fill("#spend-amount", "800");
    await p.page.fill("#spend-note", note);
    await p.page.locator("[data-testid=spend-form] button[type=submit]").click();
    await p.page.locator("[data-testid=spend-done]").waitFor();
    await p.page.locator("[data-testid=fund-pending]").waitFor();
  }
  // Phone B also posts a progress update offline: it must survive the refusal.
  await b.page.fill("#update-text", "第18个楼道也想加入。");
  await b.page.locator("form:has(#update-text) button[type=submit]").click();
  await b.page.locator("[data-testid=updates] li", { hasText: "第18个楼道" }).waitFor();

  // A comes back first: accepted.
  await a.context.setOffline(false);
  await waitSynced(a);
  // Then B: its spend would overdraw the line; the relay refuses it and tells this phone why.
  await b.context.setOffline(false);
  await b.page.locator("[data-testid=notice]", { hasText: "另一笔账先到了" }).waitFor({ timeout: 30_000 });
  const draft = b.page.locator("[data-testid=refused-draft]", { hasText: "画框B" });
  await draft.waitFor({ timeout: 20_000 });
  await screenshot(b, "grants-refused-draft");
  await waitSynced(b);
  // B shows the line as the relay holds it: A's 800 spent, not B's.
  await b.page.locator("[data-testid=lines] tr", { hasText: "画框与挂轨" }).locator("td", { hasText: "5,600.00" }).waitFor({ timeout: 20_000 });
  assert.equal(await a.page.locator("[data-testid=refused-draft]").count(), 0, "phone A was not refused");
  // Nothing else lost: B's progress update reached A.
  await a.page.locator("[data-testid=updates] li", { hasText: "第18个楼道" }).waitFor({ timeout: 20_000 });
  // B corrects the draft to what is left, and it is accepted.
  await draft.locator("input").fill("400");
  await draft.locator("button[type=submit]").click();
  await waitSynced(b);
  await b.page.locator("[data-testid=refused-draft]").waitFor({ state: "detached", timeout: 20_000 });
  await a.page.locator("[data-testid=lines] tr", { hasText: "画框与挂轨" }).locator("td", { hasText: "6,000.00" }).nth(1).waitFor({ timeout: 20_000 });
  assert.ok(gallery);
  for (const p of [a, b]) await p.context.close();
});

test("the fund and a project's pages pass an axe-core audit in both modes and languages, and in elder mode every text is at least 20 px and every target 48 x 48", async () => {
  const p = await phone("audit", "ZHAXS3R5");
  const { page } = p;
  // Elder mode: the transparency page readable (every text ≥ 20 px, every target ≥ 48 × 48).
  const misfits = [];
  for (const elder of [false, true]) {
    for (const lang of ["zh-CN", "en"]) {
      await page.evaluate(([e, l]) => {
        localStorage.setItem("linli.elder", e ? "1" : "0");
        localStorage.setItem("linli.lang", l);
      }, [elder, lang]);
      await page.reload();
      await page.locator("nav.tabbar").waitFor();
      const mode = `${elder ? "elder" : "normal"} ${lang}`;
      await go(p, "#/fund");
      await page.locator("[data-testid=fund-available]").waitFor({ timeout: 20_000 });
      await audit(page, `fund, ${mode}`);
      if (elder) misfits.push(...(await page.evaluate(elderMisfits)).map((m) => `fund: ${m}`));
      await go(p, "#/grants");
      await page.locator("[data-testid=proposals] li").first().waitFor();
      await audit(page, `grants, ${mode}`);
      await page.locator("[data-testid=proposals] a", { hasText: "楼道美术馆" }).click();
      await page.locator("[data-testid=households]", { hasText: "12 → 86" }).waitFor({ timeout: 20_000 });
      await audit(page, `project, ${mode}`);
      if (elder) misfits.push(...(await page.evaluate(elderMisfits)).map((m) => `project: ${m}`));
      await screenshot(p, `review-grants-project-${elder ? "elder" : "normal"}-${lang}`);
    }
  }
  assert.deepEqual([...new Set(misfits)], [], "elder mode misfits");
  await p.context.close();
});

test("a resident joins the gallery's group offline, its leader records a meeting, and both phones see the member and the group active", async () => {
  const zhao = await phone("zhao-groups", "ZHAXS3R5");
  const wang = await phone("wang-groups", "WANGXY72");
  const GROUP = "楼道美术馆志愿小组";
  await go(zhao, "#/groups");
  await zhao.page.locator("[data-testid=groups-active]", { hasText: "近30天活跃" }).waitFor({ timeout: 20_000 });
  await zhao.page.locator("[data-testid=group-row]", { hasText: GROUP }).click();
  const join = zhao.page.locator("[data-testid=group-join]");
  await join.waitFor();
  assert.equal((await join.innerText()).trim(), "加入");
  await waitSynced(zhao);
  await setOffline(zhao, true);
  await join.click();
  await zhao.page.locator("[data-testid=group-join]", { hasText: "退出" }).waitFor();
  await zhao.page.locator("[data-testid=group-members]", { hasText: "赵晓松" }).waitFor();
  await setOffline(zhao, false);
  await waitSynced(zhao);
  // The leader's phone: the new member, then a meeting recorded with a bad date first.
  await go(wang, "#/groups");
  await wang.page.locator("[data-testid=group-row]", { hasText: GROUP }).click();
  await wang.page.locator("[data-testid=group-members]", { hasText: "赵晓松" }).waitFor({ timeout: 20_000 });
  await wang.page.fill("#ga-title", "十二月换展：孩子们的画");
  await wang.page.fill("#ga-date", "2099-01-01");
  await wang.page.locator("[data-testid=group-record]").click();
  await wang.page.locator("#ga-err", { hasText: "不能是将来" }).waitFor();
  assert.equal(await wang.page.inputValue("#ga-title"), "十二月换展：孩子们的画", "what was typed is kept");
  const today = await wang.page.evaluate(() => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
  await wang.page.fill("#ga-date", today);
  await wang.page.locator("[data-testid=group-record]").click();
  await wang.page.locator("[data-testid=group-activities] li", { hasText: "十二月换展" }).waitFor();
  await waitSynced(wang);
  await audit(wang.page, "group page, leader");
  await zhao.page.locator("[data-testid=group-activities] li", { hasText: "十二月换展" }).waitFor({ timeout: 20_000 });
  await go(zhao, "#/groups");
  const row = zhao.page.locator("[data-testid=group-row]", { hasText: GROUP });
  await row.locator("[data-testid=group-state]", { hasText: "活跃" }).waitFor();
  await audit(zhao.page, "groups list");
  await zhao.context.close();
  await wang.context.close();
});

/** Downloads a register from the exports page and reads the file. */
async function exportCsv(p, register) {
  const [download] = await Promise.all([
    p.page.waitForEvent("download"),
    p.page.click(`[data-testid=export-${register}]`),
  ]);
  return readFileSync(await download.path(), "utf8");
}

/** The rows of a CSV file (the header first), without the byte-order mark. */
function csvLines(csv) {
  return csv.replace(/^\uFEFF/, "").split("\r\n").filter((l) => l);
}

test("exports: staff download the requests register with the subjects, a grid worker gets her grids only, a resident the public registers naming nobody, and the page passes axe in both languages", async () => {
  // Staff: the requests register, built on the phone, names the demo's subjects.
  const staff = await phone("export-staff", "STAFFZH2");
  await go(staff, "#/more");
  await staff.page.locator("[data-testid=hub-tile]", { has: staff.page.locator("strong", { hasText: /^导出$/ }) }).click();
  await staff.page.locator("[data-testid=registers] li").first().waitFor();
  const rows = staff.page.locator("[data-register=requests] [data-testid=export-rows]");
  await staff.page.waitForFunction(
    () => Number(document.querySelector("[data-register=requests] [data-testid=export-rows]")?.textContent.replace(/\D/g, "")) >= 42,
    null,
    { timeout: 30_000 }
  );
  // The button's accessible name says which register.
  await staff.page.getByRole("button", { name: "下载诉求登记表 CSV" }).waitFor();
  const csv = await exportCsv(staff, "requests");
  assert.ok(csv.startsWith("\uFEFF"), "a byte-order mark first");
  const lines = csvLines(csv);
  assert.equal(
    lines[0],
    "ref,category,colour,grid,status,filed_at,answered_at,resolved_at,on_time,rating,subject,subject_name,flat,phone,filed_by_name"
  );
  assert.equal(lines.length - 1, Number((await rows.innerText()).replace(/\D/g, "")));
  assert.ok(
    lines.some((l) => /^#\w+,clutter,\w+,g07,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,p-wang,王秀英,7-2-301,138 0573 2201,/.test(l)),
    "王秀英's clutter request with her name, flat and phone"
  );
  // Staff choose a scope: one grid's requests only.
  await staff.page.selectOption("[data-testid=export-scope]", "g03");
  const g03 = csvLines(await exportCsv(staff, "requests")).slice(1);
  assert.ok(g03.length > 0 && g03.every((l) => l.split(",")[3] === "g03"), "grid 3's requests only");

  // The grid worker of grids 7 and 8: her grids' requests with their people, nobody else's.
  const li = await phone("export-worker", "GRDWRK78");
  await go(li, "#/exports");
  await li.page.locator("[data-register=requests]").waitFor({ timeout: 20_000 });
  const mine = csvLines(await exportCsv(li, "requests"));
  assert.ok(mine.length > 1);
  assert.ok(mine.slice(1).every((l) => ["g07", "g08"].includes(l.split(",")[3])), "her grids only");
  assert.ok(mine.some((l) => l.includes("王秀英")), "her grid's resident");
  assert.ok(!mine.some((l) => l.includes("赵晓松")), "nobody of grid 3");
  await li.context.close();

  // A resident (王秀英, on no grid's team): the public registers only, naming nobody else.
  const wang = await phone("export-resident", "WANGXY72");
  await go(wang, "#/exports");
  await wang.page.locator("[data-register=events]").waitFor({ timeout: 20_000 });
  const offered = await wang.page.locator("[data-testid=registers] li").evaluateAll((els) => els.map((e) => e.dataset.register));
  assert.deepEqual(offered, ["ledger", "projects", "events", "works", "trainings", "charters", "resources", "childrens-drawings"]);
  assert.equal(await wang.page.locator("[data-testid=export-scope]").count(), 0, "no scope for a resident");
  const events = await exportCsv(wang, "events");
  assert.equal(
    csvLines(events)[0],
    "date,title,kind,starts_at,ends_at,place,capacity,signed_up,seated,waiting,checked_in,no_shows,hours"
  );
  assert.ok(csvLines(events).length > 10, "the year's events");
  // The charter and rules: a row per adopted version, the community charter's revision among
  // them, and nobody who recorded it.
  const charters = csvLines(await exportCsv(wang, "charters"));
  assert.equal(charters[0], "adopted_on,title,version,in_force,decision,text");
  assert.ok(charters.some((l) => l.includes(",水榭花都社区公约,2,yes,")), "the charter's revision in force");
  for (const register of ["events", "ledger", "projects", "works", "trainings", "charters", "childrens-drawings"]) {
    const text = await exportCsv(wang, register);
    // A session's trainer is public (张建国 of the staff teaches two); its participants are not.
    const names = register === "trainings"
      ? ["赵晓松", "陈小雨", "王秀英", "李红梅", "p-wang"]
      : ["赵晓松", "陈小雨", "张建国", "李红梅", "p-wang"];
    for (const name of names) {
      assert.ok(!text.includes(name), `no ${name} in a resident's ${register}`);
    }
  }
  await wang.context.close();

  // The page passes axe-core in both languages (staff's, with the scope).
  for (const lang of ["zh-CN", "en"]) {
    await staff.page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await staff.page.reload();
    await staff.page.locator("[data-register=requests]").waitFor({ timeout: 20_000 });
    if (lang === "en") {
      await staff.page.getByRole("button", { name: "Download the requests register as CSV" }).waitFor();
    }
    await audit(staff.page, `exports, ${lang}`);
    await screenshot(staff, `review-exports-${lang}`);
  }
  await staff.context.close();
});

test("no phone logged an error", () => {
  assert.deepEqual(pageErrors(), []);
});
