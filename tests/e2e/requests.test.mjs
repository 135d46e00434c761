// Requests as people use them on a phone: a volunteer files for an elder offline with a photo;
// the grid worker finds it in the queue and answers from a template; the elder's phone shows the
// answer, reads it aloud and rates it. A neighbour typing the same problem is offered to follow
// it. Bad input gets a clear message and loses nothing. Every page passes an axe-core audit, in
// normal and elder mode, in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import {
  ROOT, ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  waitControlled, card, goHome, screenshot, enrolHeadless,
  pageErrors, elderMisfits, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const PHOTO = join(ROOT, "server", "demo", "clutter.jpg");

let relay, browser, staffToken, staff;

async function api(path, body) {
  const r = await fetch(relay.url + path, {
    method: body ? "POST" : "GET",
    headers: { "content-type": "application/json", authorization: `Bearer ${staffToken}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  const j = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

/** A phone whose speech synthesis is recorded instead of spoken. */
async function phone(name, code) {
  const p = await newPhone(browser, relay, name);
  await p.context.addInitScript(() => {
    window.__spoken = [];
    if (window.speechSynthesis) {
      window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
      window.speechSynthesis.cancel = () => {};
    }
  });
  await p.page.reload();
  if (code) await enrolAs(p, code);
  return p;
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  relay = await startRelay();
  browser = await launchBrowser();
  staffToken = await (await enrolHeadless(relay, "STAFFZH2")).token();
  // 王秀英 consents (in person, before staff) to 陈小雨 helping her: recorded by staff.
  staff = await phone("staff", "STAFFZH2");
  await staff.page.evaluate(() => (location.hash = "#/people"));
  await staff.page.locator("[data-testid=people] a", { hasText: "王秀英" }).first().click();
  await staff.page.selectOption("#grant-vol", { label: "陈小雨" });
  await staff.page.locator("form.grant button[type=submit]").click();
  await staff.page.locator("[data-testid=consents] li", { hasText: "陈小雨" }).waitFor();
  await waitSynced(staff);
  // The staff phone stays open until the volunteer holds her record (the first test).
});

after(async () => {
  await browser?.close();
  if (relay) {
    await stopRelay(relay);
    removeData(relay);
  }
});

test("a volunteer files for an elder offline with a photo; the grid worker answers; the elder hears it and rates it", async () => {
  // The elder's and the worker's phones enrol first, then the volunteer's: her first sync
  // alone must bring the elder's record and consent.
  const elder = await phone("wang", "WANGXY72");
  // Her own phone shows the consent: the relay holds it.
  await elder.page.evaluate(() => (location.hash = "#/settings"));
  await elder.page.locator("[data-testid=consents] li", { hasText: "陈小雨" }).waitFor({ timeout: 30_000 });
  await elder.page.evaluate(() => (location.hash = "#/"));
  const worker = await phone("li", "GRDWRK78");
  const volunteer = await phone("chen", "CHENXY25");
  await waitControlled(volunteer);

  // In the stairwell, no signal.
  await volunteer.page.evaluate(() => (location.hash = "#/elders"));
  // Her record and consent come with the volunteer's first sync (30 s: on a loaded machine).
  await volunteer.page.locator(".card.elder", { hasText: "王秀英" }).waitFor({ timeout: 30_000 });
  await staff.context.close();
  await volunteer.context.setOffline(true);
  await volunteer.page.locator(".card.elder", { hasText: "王秀英" }).locator("button.primary").click();
  const title = `楼梯扶手松动 ${Date.now() % 100000}`;
  await volunteer.page.fill("#f-title", title);
  await volunteer.page.fill("#f-desc", "三楼到四楼的扶手一摇就晃，王阿姨不敢下楼。");
  await volunteer.page.selectOption("#f-cat", "aging");
  await volunteer.page.locator('label[for="f-colour-red"]').click();
  await volunteer.page.setInputFiles("#f-photos", PHOTO);
  await volunteer.page.locator(".thumbs img").waitFor();
  await volunteer.page.waitForFunction(() => document.querySelector("#f-grid").value === "g07");
  await volunteer.page.locator("form button[type=submit].big").click();
  await volunteer.page.locator("[data-testid=detail-title]", { hasText: title }).waitFor();
  await volunteer.page.locator("[data-testid=photo]").waitFor();

  // Reload with no network: the shell from the service worker, the request and photo from the phone.
  await volunteer.page.reload();
  await volunteer.page.locator("[data-testid=detail-title]", { hasText: title }).waitFor();
  await volunteer.page.locator("[data-testid=photo]").waitFor();
  await volunteer.page.locator("[data-testid=proxy]", { hasText: "代 王秀英" }).waitFor();
  await screenshot(volunteer, "volunteer-offline-with-photo");
  await volunteer.context.setOffline(false);
  await waitSynced(volunteer);

  // The grid worker: the new red request is in the queue before everything due later.
  await goHome(worker);
  await card(worker, title).waitFor({ timeout: 20_000 });
  const dues = await worker.page.$$eval("[data-testid=request-card]", (cards) =>
    cards.map((c) => ({ title: c.querySelector(".card-title").textContent, late: c.classList.contains("overdue") }))
  );
  const at = dues.findIndex((d) => d.title === title);
  assert.ok(dues.slice(0, at).every((d) => d.late || d.title !== title), "only overdue or earlier deadlines come first");
  await card(worker, title).click();
  await worker.page.locator("[data-testid=photo]").waitFor({ timeout: 20_000 });
  await worker.page.selectOption("#template", { index: 2 });
  const answer = await worker.page.inputValue("#answer");
  assert.ok(answer.length > 5, "the template filled the answer");
  await worker.page.locator("form:has(#answer) button[type=submit]").click();
  await worker.page.click("[data-testid=set-resolved]");
  await waitSynced(worker);

  // The elder's own phone: the answer, read aloud, then her rating.
  await goHome(elder);
  await card(elder, title).click();
  await elder.page.locator("[data-testid=history]", { hasText: answer }).waitFor({ timeout: 20_000 });
  await elder.page.locator("[data-testid=detail-status]", { hasText: "已办结" }).waitFor();
  await elder.page.locator("[data-testid=read-aloud]").click();
  const spoken = await elder.page.evaluate(() => window.__spoken);
  assert.ok(spoken.some((t) => t.includes(title) && t.includes(answer)), `read aloud: ${spoken}`);
  // A rating sent with no stars chosen gets a message, not a rating.
  await elder.page.locator("form:has(#rate-comment) button[type=submit]").click();
  await elder.page.locator("#rate-err", { hasText: "1 到 5" }).waitFor();
  await elder.page.locator('label[for="star-5"]').click();
  await elder.page.fill("#rate-comment", "很快就修好了，谢谢！");
  await elder.page.locator("form:has(#rate-comment) button[type=submit]").click();
  await elder.page.locator("[data-testid=rating]", { hasText: "★★★★★" }).waitFor();
  // Thanked, and not invited to rate a second time.
  await elder.page.locator("[data-testid=rated]").waitFor();
  assert.equal(await elder.page.locator("#rate-comment").count(), 0);
  await waitSynced(elder);
  await worker.page.locator("[data-testid=rating]", { hasText: "很快就修好了" }).waitFor({ timeout: 20_000 });
  // Her bell has news.
  await elder.page.locator("[data-testid=bell]").click();
  await elder.page.locator("[data-testid=notes] li", { hasText: title }).first().waitFor();
  await screenshot(elder, "elder-notes");
  for (const p of [volunteer, worker, elder]) await p.context.close();
});

test("typing a near-copy of an open request in the same grid offers to follow the original", async () => {
  const zhao = await phone("zhao", "ZHAXS3R5");
  const original = `5号楼门口电动车乱停堵住通道 ${Date.now() % 1000}`;
  await zhao.page.evaluate(() => (location.hash = "#/file"));
  await zhao.page.fill("#f-title", original);
  await zhao.page.selectOption("#f-cat", "parking");
  await zhao.page.waitForFunction(() => document.querySelector("#f-grid").value === "g03");
  await zhao.page.locator("form button[type=submit].big").click();
  await zhao.page.locator("[data-testid=detail-title]").waitFor();
  await waitSynced(zhao);

  const inv = await api("/api/invites", { role: "resident", name: "钱美华", flat: "5-2-402", grid: "g03" });
  const neighbour = await phone("qian", null);
  await neighbour.page.fill("#invite-code", inv.code);
  await neighbour.page.locator("form button[type=submit]").click();
  await neighbour.page.locator("nav.tabbar").waitFor({ timeout: 30_000 });
  await waitSynced(neighbour);
  await neighbour.page.evaluate(() => (location.hash = "#/file"));
  await neighbour.page.waitForFunction(() => document.querySelector("#f-grid").value === "g03");
  await neighbour.page.fill("#f-title", "5号楼门口电动车乱停");
  await neighbour.page.locator("[data-testid=duplicates] li", { hasText: "5号楼门口电动车乱停堵住通道" }).waitFor({ timeout: 10_000 });
  await screenshot(neighbour, "duplicate-hint");
  await neighbour.page.locator("[data-testid=follow]").first().click();
  await neighbour.page.locator("[data-testid=notice]", { hasText: "已关注" }).waitFor();
  await waitSynced(neighbour);
  // The original counts the follow.
  await goHome(zhao);
  await card(zhao, original).click();
  await zhao.page.locator("[data-testid=followers]", { hasText: "1" }).waitFor({ timeout: 20_000 });
  await zhao.context.close();
  await neighbour.context.close();
});

test("bad input gets a clear message and nothing typed is lost", async () => {
  const p = await phone("wang2", "WANGXY72");
  const { page } = p;
  await page.evaluate(() => (location.hash = "#/file"));
  await page.fill("#f-desc", "楼下的路灯坏了三天");
  await page.locator("form button[type=submit].big").click();
  await page.locator("#f-title-err", { hasText: "请填写标题" }).waitFor();
  await page.locator("#f-cat-err", { hasText: "请选择类别" }).waitFor();
  // Focus moves from 提交 to the first field in error, so the person lands where to fix it.
  await page.waitForFunction(() => document.activeElement?.id === "f-title");
  assert.equal(await page.inputValue("#f-desc"), "楼下的路灯坏了三天", "the description is kept");
  await page.fill("#f-title", "长".repeat(61));
  await page.locator("form button[type=submit].big").click();
  await page.locator("#f-title-err", { hasText: "标题太长" }).waitFor();
  assert.equal((await page.inputValue("#f-title")).length, 61, "the long title is kept to edit");

  // A phone number typed into the public title is pointed out as it is typed (masked), refused
  // on 提交 with a plain message, and moved to the private details in one tap.
  await page.fill("#f-title", "路灯坏了 有事打139 1234 5678");
  await page.locator("[data-testid=pii-guard]", { hasText: "139 **** **78" }).waitFor();
  await page.locator("[data-testid=pii-guard]", { hasText: "手机号码" }).waitFor();
  await page.locator("form button[type=submit].big").click();
  await page.locator("#f-title-err", { hasText: "好像有手机号码" }).waitFor();
  await page.getByRole("button", { name: "移到详细描述" }).click();
  assert.equal(await page.inputValue("#f-title"), "路灯坏了 有事打");
  assert.equal(await page.inputValue("#f-desc"), "楼下的路灯坏了三天\n139 1234 5678");
  await page.locator("[data-testid=pii-guard] p").waitFor({ state: "detached" });

  await page.setInputFiles("#f-photos", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("不是图片") });
  await page.locator("#f-photos-err", { hasText: "不是图片" }).waitFor();
  await page.setInputFiles("#f-photos", { name: "huge.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(31 * 1024 * 1024, 1) });
  await page.locator("#f-photos-err", { hasText: "太大" }).waitFor();
  await page.setInputFiles("#f-photos", [PHOTO, PHOTO, PHOTO, PHOTO].map((f, i) => ({ name: `p${i}.jpg`, mimeType: "image/jpeg", buffer: readFileSync(f) })));
  await page.locator("#f-photos-err", { hasText: "最多 3 张" }).waitFor();

  // Everything typed survives a reload.
  await page.reload();
  await page.locator("#f-desc").waitFor();
  assert.equal(await page.inputValue("#f-desc"), "楼下的路灯坏了三天\n139 1234 5678");

  await p.context.close();
});

test("every page passes an axe-core audit, in normal and elder mode, in both languages", async () => {
  const p = await phone("audit", "WANGXY72");
  const { page } = p;
  for (const elder of [false, true]) {
    for (const lang of ["zh-CN", "en"]) {
      await page.evaluate(([e, l]) => {
        localStorage.setItem("linli.elder", e ? "1" : "0");
        localStorage.setItem("linli.lang", l);
      }, [elder, lang]);
      await page.reload();
      await page.locator("nav.tabbar").waitFor();
      const mode = `${elder ? "elder" : "normal"} ${lang}`;
      await goHome(p);
      await page.locator("[data-testid=request-card]").first().waitFor();
      await audit(page, `home, ${mode}`);
      await screenshot(p, `review-home-${elder ? "elder" : "normal"}-${lang}`);
      await page.locator("[data-testid=request-card]").first().click();
      await page.locator("[data-testid=detail-title]").waitFor();
      await audit(page, `request, ${mode}`);
      await screenshot(p, `review-request-${elder ? "elder" : "normal"}-${lang}`);
      await page.evaluate(() => (location.hash = "#/file"));
      await page.locator("main.file form").waitFor();
      await audit(page, `filing, ${mode}`);
      await screenshot(p, `review-filing-${elder ? "elder" : "normal"}-${lang}`);
      await page.evaluate(() => (location.hash = "#/settings"));
      await page.locator("main.settings").waitFor();
      await audit(page, `settings, ${mode}`);
      await screenshot(p, `review-settings-${elder ? "elder" : "normal"}-${lang}`);
    }
  }
  await p.context.close();
});

test("elder mode: every text at least 20 px and every target 48 x 48, reading aloud stays on the list, 不急 can be chosen, and neighbours see only the kind of problem", async () => {
  const p = await phone("wang-elder", "WANGXY72");
  const { page } = p;
  await page.evaluate(() => localStorage.setItem("linli.elder", "1"));
  await page.reload();
  await page.locator("nav.tabbar").waitFor();
  const misfits = [];
  const measure = async (screen) => misfits.push(...(await page.evaluate(elderMisfits)).map((m) => `${screen}: ${m}`));

  await goHome(p);
  await page.locator("[data-testid=request-card]").first().waitFor();
  await measure("home");
  // 朗读 on a card reads it and stays on the list.
  await page.locator("[data-testid=request-card] .card-actions button").first().click();
  await page.waitForFunction(() => window.__spoken.length > 0);
  assert.equal(await page.evaluate(() => location.hash), "#/");

  await page.locator("[data-testid=request-card] a.card-link").first().click();
  await page.locator("[data-testid=detail-title]").waitFor();
  await measure("request");
  await page.evaluate(() => (location.hash = "#/notes"));
  await page.locator("main.notes").waitFor();
  await measure("notifications");
  await page.evaluate(() => (location.hash = "#/settings"));
  await page.locator("main.settings").waitFor();
  await measure("settings");

  // Three steps: what, where, how urgent; her own words stay off the public title.
  await page.evaluate(() => (location.hash = "#/file"));
  await page.locator("main.file form").waitFor();
  await measure("filing, step 1");
  await page.locator('label[for="e-cat-clutter"]').click();
  await page.fill("#e-desc", "我一个人住，楼道里堆满了纸箱，晚上看不清");
  await page.locator("form button[type=submit].big").click();
  await page.locator("#e-place").fill("7号楼2单元");
  await measure("filing, step 2");
  await page.locator("form button[type=submit].big").click();
  await page.locator('label[for="e-colour-blue"]').click();
  await measure("filing, step 3");
  const shown = await page.locator("[data-testid=elder-public-title]").textContent();
  const publicTitle = shown.match(/「(.+?)」/)[1];
  assert.ok(!/一个人|纸箱/.test(publicTitle), `the public title carries her words: ${publicTitle}`);
  await page.locator("form button[type=submit].big").click();
  await page.locator("[data-testid=detail-title]").waitFor();
  assert.equal((await page.locator("[data-testid=detail-title]").textContent()).trim(), publicTitle);
  await page.locator("[data-testid=detail-description]", { hasText: "一个人住" }).waitFor();
  await page.locator(".chip.blue").first().waitFor();

  assert.deepEqual(misfits, []);
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
