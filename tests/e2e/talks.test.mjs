// Four-party talks 四方会谈: staff schedule a talk with a resident's red request on its agenda
// and publish it; two party representatives' phones edit the minutes offline at the same time
// and converge when they reconnect; a 60/30/5 cost split is refused with a message that keeps
// what was typed, 60/30/10 is recorded; the resident's phone shows the request on the agenda
// and then the decision as its answer, in plain words; the request resolves when the
// decision's action items (two, for two owners) are all done, with staff's phone on another
// page. Minutes holding a phone number are not published. The pages pass axe-core in both
// languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  setOffline, fileRequest, screenshot, pageErrors, audit,
} from "./harness.mjs";

let relay, browser;
/** The talk the first test scheduled. */
let heldTalk;

/** Enrols a phone with an invite code typed in (the representatives' demo invites are not
 *  among the personas on the first screen). */
async function enrolByCode(phone, code) {
  await phone.page.fill("#invite-code", code);
  await phone.page.locator("form button[type=submit]").click();
  await phone.page.locator("nav.tabbar").waitFor({ timeout: 30_000 });
  await waitSynced(phone);
  await phone.page.locator(".brand", { hasText: "水榭花都" }).waitFor({ timeout: 30_000 });
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

const TITLE = "9号楼健身器材螺丝松动，孩子差点摔倒";

test("a red request goes on a talk's agenda, the minutes merge from two offline phones, the split must add up, and the resident sees the answer and the resolution", async () => {
  // The resident files a red request.
  const wang = await newPhone(browser, relay, "wang");
  await enrolAs(wang, "WANGXY72");
  const request = await fileRequest(wang, { title: TITLE, category: "facilities", colour: "red" });
  await waitSynced(wang);

  // Staff schedule a talk (the next Wednesday by default) and put the request on it.
  const staff = await newPhone(browser, relay, "staff");
  await enrolAs(staff, "STAFFZH2");
  const sp = staff.page;
  await sp.evaluate(() => (location.hash = "#/talks"));
  await sp.locator("[data-testid=talks-schedule]", { hasText: "每周三 14:30" }).waitFor();
  // The demo's year of talks is there, with the attendance table.
  await sp.locator("[data-testid=attendance-table] tbody tr").first().waitFor();
  await audit(sp, "talks series (zh)");
  await sp.fill("#tk-place", "社区党群服务中心二楼议事厅");
  await sp.locator("[data-testid=tk-create]").click();
  await sp.locator("[data-testid=talk-title]").waitFor();
  const talk = sp.url().split("#/t/")[1];
  heldTalk = talk;
  await sp.locator(`#ai-request option[value="${request}"]`).waitFor({ state: "attached" });
  await sp.selectOption("#ai-source", "request");
  await sp.selectOption("#ai-request", request);
  await sp.locator("[data-testid=add-item]").click();
  await sp.locator("[data-testid=agenda-item]", { hasText: TITLE }).waitFor();
  await sp.selectOption("#att-merchant", "absent");
  await sp.selectOption("#att-owners_committee", "present");
  await sp.locator("[data-testid=publish]").click();
  await sp.locator("[data-testid=talk-state]", { hasText: "议程已公示" }).waitFor();
  await sp.locator("[data-testid=draft-minutes]").click();
  await sp.waitForFunction(() => document.querySelector("[data-testid=minutes-text]").value.includes("四方会谈"));
  await waitSynced(staff);

  // The resident's request says it is on the agenda; they +1 it on the published talk.
  await wang.page.evaluate((id) => (location.hash = `#/r/${id}`), request);
  const onAgenda = wang.page.locator("[data-testid=on-agenda]");
  await onAgenda.waitFor({ timeout: 30_000 });
  assert.match(await onAgenda.innerText(), /已列入 \d\d-\d\d 四方会谈议程/);
  await onAgenda.locator("a").click();
  await wang.page.locator("[data-testid=agenda-item]", { hasText: TITLE }).waitFor();
  await wang.page.locator("[data-testid=plus-one]").click();
  await wang.page.locator("[data-testid=plus-count]", { hasText: "1 人希望讨论" }).waitFor();
  await waitSynced(wang);

  // Two representatives open the talk; both lose the network and write the minutes at once.
  const owners = await newPhone(browser, relay, "owners");
  await enrolByCode(owners, "YWHZHU26");
  const property = await newPhone(browser, relay, "property");
  await enrolByCode(property, "WUYEMGR2");
  for (const rep of [owners, property]) {
    await rep.page.evaluate((id) => (location.hash = `#/t/${id}`), talk);
    await rep.page.waitForFunction(() => {
      const t = document.querySelector("[data-testid=minutes-text]");
      return t && t.value.includes("四方会谈");
    }, null, { timeout: 30_000 });
  }
  await setOffline(owners, true);
  await setOffline(property, true);
  const ownersLine = "业委会补充：建议张贴器材使用须知。";
  const propertyLine = "物业补充：本周五前完成临时加固。";
  const mo = owners.page.locator("[data-testid=minutes-text]");
  await mo.fill((await mo.inputValue()) + "\n" + ownersLine);
  const mp = property.page.locator("[data-testid=minutes-text]");
  await mp.fill(propertyLine + "\n" + (await mp.inputValue()));
  // The property company's representative states its position, offline too.
  await property.page.locator("textarea[id$='-text']").first().fill("器材超过使用年限，物业承担大部分费用。");
  await property.page.locator("[data-testid=say]").click();
  await property.page.locator("[data-testid=position]", { hasText: "物业公司" }).waitFor();
  await setOffline(owners, false);
  await setOffline(property, false);
  await waitSynced(owners);
  await waitSynced(property);
  const both = (text) => text.includes(ownersLine) && text.includes(propertyLine) && text.includes("四方会谈");
  for (const phone of [owners, property, staff]) {
    await phone.page.waitForFunction(
      ([a, b]) => {
        const v = document.querySelector("[data-testid=minutes-text]").value;
        return v.includes(a) && v.includes(b);
      },
      [ownersLine, propertyLine],
      { timeout: 30_000 }
    );
  }
  const texts = await Promise.all([owners, property, staff].map((p) => p.page.locator("[data-testid=minutes-text]").inputValue()));
  assert.ok(both(texts[0]), texts[0]);
  assert.equal(texts[0], texts[1], "the two phones converged");
  assert.equal(texts[0], texts[2], "and staff's phone too");
  await sp.locator("[data-testid=position]", { hasText: "物业公司" }).waitFor();

  // The owners' representative starts typing a position while staff fill in the decision.
  const ownersSay = owners.page.locator("textarea[id^='say-']").first();
  const ownersPosition = "业委会同意物业承担大部分费用，余下由基金和众筹分担。";
  await ownersSay.fill(ownersPosition);

  // Staff record the decision: 60/30/5 is refused with a message and keeps what was typed.
  await sp.locator("[data-testid=decide-open]").click();
  const form = sp.locator("[data-testid=decide-form]");
  await form.locator("textarea").fill("更换9号楼健身器材，物业60%、社区基金30%、居民众筹10%。");
  await form.locator("[data-testid=split-total]").fill("48000");
  await form.locator("[data-testid=split-property_company]").fill("60");
  await form.locator("[data-testid=split-community_fund]").fill("30");
  await form.locator("[data-testid=split-crowdfunding]").fill("5");
  await form.locator("input[id$='-action']").fill("采购并安装新器材");
  await form.locator("select[id$='-owner']").selectOption("p-property");
  await form.locator("input[id$='-due']").fill("2026-12-31");
  // A second action item, for the residents' committee itself.
  await form.locator("[data-testid=add-action]").click();
  const second = form.locator("[data-testid=action-row]").nth(1);
  await second.locator("input[id$='-action']").fill("张贴器材使用须知");
  await second.locator("select[id$='-owner']").selectOption({ index: 1 });
  // Meanwhile the property company states another position: it reaches the owners'
  // representative mid-sentence, then the owners' position reaches staff mid-form. Neither
  // form loses anything (each agenda item's forms once were made anew as its talk changed).
  const propertyAgain = "物业补充：周五前先做临时加固，再更换器材。";
  await property.page.locator("textarea[id^='say-']").first().fill(propertyAgain);
  await property.page.locator("[data-testid=say]").click();
  await owners.page.locator("[data-testid=position]", { hasText: propertyAgain }).waitFor({ timeout: 30_000 });
  assert.equal(await ownersSay.inputValue(), ownersPosition, "the owners' position being typed is kept");
  await owners.page.locator("[data-testid=say]").click();
  await sp.locator("[data-testid=position]", { hasText: ownersPosition }).waitFor({ timeout: 30_000 });
  assert.ok(await form.locator("[data-testid=decide]").isVisible(), "staff's decision form is still open");
  assert.equal(await form.locator("[data-testid=split-total]").inputValue(), "48000");
  assert.equal(await second.locator("input[id$='-action']").inputValue(), "张贴器材使用须知");
  await form.locator("[data-testid=decide]").click();
  await sp.locator("[data-testid=decide-error]", { hasText: "各方比例合计 95%，应为 100%" }).waitFor();

  assert.equal(await form.locator("[data-testid=split-total]").inputValue(), "48000");
  assert.equal(await form.locator("[data-testid=split-crowdfunding]").inputValue(), "5");
  assert.equal(await sp.locator("[data-testid=decision]").count(), 0);
  await form.locator("[data-testid=split-crowdfunding]").fill("10");
  // An action item without a due date is pointed out by its number.
  await form.locator("[data-testid=decide]").click();
  await sp.locator("[data-testid=decide-error]", { hasText: "请填写第 2 项待办的期限" }).waitFor();
  await second.locator("input[id$='-due']").fill("2026-12-20");
  await form.locator("[data-testid=decide]").click();
  const split = sp.locator("[data-testid=split]");
  await split.waitFor();
  const rows = await split.locator("tbody tr").allInnerTexts();
  assert.deepEqual(
    rows.map((r) => r.replace(/\s+/g, " ").trim()),
    ["物业公司 60% ¥28800", "社区基金 30% ¥14400", "居民众筹 10% ¥4800"]
  );
  await waitSynced(staff);
  await screenshot(staff, "talks-decision");
  await audit(sp, "talk page, staff (zh)");

  // The resident's phone shows the answer in plain words.
  await wang.page.evaluate((id) => (location.hash = `#/r/${id}`), request);
  await wang.page.locator("[data-testid=history] li", { hasText: "四方会谈决定：更换9号楼健身器材" }).waitFor({ timeout: 30_000 });
  assert.notEqual(await wang.page.locator("[data-testid=detail-status]").innerText(), "已办结");

  // Staff tick their own action item and leave the talk; the request stays open while the
  // property company's is not done. Once its representative ticks it, the request resolves:
  // staff's phone does it from whatever page it shows.
  assert.equal(await sp.locator("[data-testid=action]").count(), 2);
  await sp.locator("[data-testid=action]", { hasText: "张贴器材使用须知" }).locator("input").check();
  await waitSynced(staff);
  await sp.evaluate(() => (location.hash = "#/"));
  const propertyAction = property.page.locator("[data-testid=action]", { hasText: "采购并安装新器材" }).locator("input");
  await property.page.locator("[data-testid=action]", { hasText: "张贴器材使用须知" }).locator("input:checked").waitFor({ timeout: 30_000 });
  assert.notEqual(await wang.page.locator("[data-testid=detail-status]").innerText(), "已办结");
  await propertyAction.check();
  await waitSynced(property);
  await wang.page.locator("[data-testid=detail-status]", { hasText: "已办结" }).waitFor({ timeout: 30_000 });

  // The resident reads the published decision in elder mode, in both languages.
  await wang.page.evaluate(() => (location.hash = "#/settings"));
  await wang.page.locator("[data-testid=elder-mode]").check();
  await wang.page.evaluate((id) => (location.hash = `#/t/${id}`), talk);
  await wang.page.locator("[data-testid=decision-text]", { hasText: "更换9号楼健身器材" }).waitFor();
  assert.ok(await wang.page.evaluate(() => document.body.classList.contains("elder")));
  assert.equal(await wang.page.locator("[data-testid=decide-form]").count(), 0, "residents record no decision");
  assert.equal(await wang.page.locator("[data-testid=minutes-text]").count(), 0, "nor edit the minutes");
  await screenshot(wang, "talks-resident-elder");
  await audit(wang.page, "talk page, resident, elder mode (zh)");
  await wang.page.locator(".lang").first().click();
  await wang.page.locator("[data-testid=talk-title]", { hasText: "Four-party talk of" }).waitFor();
  await audit(wang.page, "talk page, resident, elder mode (en)");
  await wang.page.evaluate(() => (location.hash = "#/talks"));
  await wang.page.locator("[data-testid=attendance-table]").waitFor();
  await audit(wang.page, "talks series, resident (en)");
});

test("the minutes, once published, are read-only for residents and exportable as Markdown", async () => {
  const staff = await newPhone(browser, relay, "staff2");
  await enrolAs(staff, "STAFFZH2");
  const sp = staff.page;
  assert.ok(heldTalk, "the first test scheduled a talk");
  await sp.evaluate((id) => (location.hash = `#/t/${id}`), heldTalk);
  // A phone number in the minutes is pointed out, and keeps them from being published.
  const minutes = sp.locator("[data-testid=minutes-text]");
  await minutes.waitFor();
  const clean = await minutes.inputValue();
  await minutes.fill(clean + "\n器材供应商联系电话 13812345678");
  await sp.locator("[data-testid=minutes-pii]", { hasText: "像是手机号码" }).waitFor();
  await sp.locator("[data-testid=publish-minutes]").click();
  assert.equal(await sp.locator("[data-testid=minutes-published]").count(), 0);
  assert.match(await minutes.inputValue(), /13812345678/, "nothing typed was lost");
  await minutes.fill(clean);
  await sp.waitForFunction(() => document.querySelector("[data-testid=minutes-pii]").textContent === "");
  await sp.locator("[data-testid=publish-minutes]").click();
  await sp.locator("[data-testid=minutes-published]").waitFor();
  const link = sp.locator("a[download]");
  assert.match(await link.getAttribute("download"), /^minutes-\d{4}-\d\d-\d\d\.md$/);
  assert.match(decodeURIComponent((await link.getAttribute("href")).split(",")[1]), /业委会补充/);
  await waitSynced(staff);
  // The resident reads them, and cannot edit them.
  const wang = await newPhone(browser, relay, "wang2");
  await enrolAs(wang, "WANGXY72");
  await wang.page.evaluate((id) => (location.hash = `#/t/${id}`), heldTalk);
  await wang.page.locator("[data-testid=minutes-published]", { hasText: "物业补充" }).waitFor({ timeout: 30_000 });
  assert.equal(await wang.page.locator("[data-testid=minutes-text]").count(), 0);
});

test("no page logged an error", () => {
  assert.deepEqual(pageErrors(), []);
});
