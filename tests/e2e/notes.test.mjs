// Field notes 田野笔记 as their writers use them: the grid worker, offline, opens a request of
// her queue and writes a field note from it (the link filled in; a missing title explained and
// the text typed kept), reloads the app offline and finds the note; back online, staff open
// the register from the Community page and find it by a Chinese word of its text. A resident's
// Community page has no field notes. The register, a note and the form pass an axe-core audit
// in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  waitControlled, setOffline, screenshot, pageErrors, goHome, go, audit,
} from "./harness.mjs";

const require = createRequire(import.meta.url);
const TITLE = "回访：扶手松动的那户";
const BODY = "老人说三楼扶手螺丝松了，上下楼要扶墙。已拍照，约物业周四来紧固。";
const WORD = "螺丝";

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

test("a grid worker writes a note offline from a request, it survives an offline reload, and staff find it by a Chinese search", async () => {
  const li = await phone("li", "GRDWRK78");
  await goHome(li);
  const first = li.page.locator("[data-testid=request-card]").first();
  await first.waitFor({ timeout: 30_000 });
  const rid = await first.getAttribute("data-id");
  await waitSynced(li, 60_000);
  await waitControlled(li);

  // In a stairwell, without signal.
  await setOffline(li, true);
  await li.page.locator("[data-testid=sync][data-online=false]").waitFor();
  await go(li, `#/r/${rid}`);
  await li.page.locator("[data-testid=detail-title]").waitFor();
  await li.page.locator("[data-testid=add-note]").click();
  await li.page.locator("#nf-title").waitFor();
  assert.equal(await li.page.inputValue("#nf-request"), rid, "the request is linked");
  // The title left empty: explained, and the text typed is kept.
  await li.page.fill("#nf-title", "");
  await li.page.fill("#nf-body", BODY);
  await li.page.locator("[data-testid=save-note]").click();
  await li.page.locator("#nf-err", { hasText: "请填写标题" }).waitFor();
  assert.equal(await li.page.inputValue("#nf-body"), BODY);
  await li.page.fill("#nf-title", TITLE);
  await li.page.locator("label", { hasText: "独居老人" }).click();
  // A case of the library it reminds her of, picked from the list (offline: it is in the app).
  await li.page.selectOption("#nf-case", "C09");
  await li.page.locator("[data-testid=save-note]").click();
  await li.page.locator("[data-testid=note-title]", { hasText: TITLE }).waitFor();
  await li.page.locator("[data-testid=note-request]").waitFor();
  assert.equal(await li.page.locator("[data-testid=note-case] a").getAttribute("href"), "#/case/c09");

  // The app reloaded offline: the note is on the phone.
  await li.page.reload();
  await li.page.locator("nav.tabbar").waitFor();
  await go(li, "#/field-notes");
  await li.page.locator("[data-testid=note-card]", { hasText: TITLE }).waitFor({ timeout: 30_000 });

  // Back online, it reaches the relay.
  await setOffline(li, false);
  await waitSynced(li, 60_000);

  // Staff open the register from the Community page and find it by a word of its text.
  const zhang = await phone("zhang", "STAFFZH2");
  // Her phone's first sync brings every note, hers among them: on a loaded machine this takes
  // longer than the first screen of notes (the search follows the notes as they arrive).
  await waitSynced(zhang, 90_000);
  await go(zhang, "#/more");
  await zhang.page.locator("[data-testid=hub-tile]", { hasText: "田野笔记" }).click();
  await zhang.page.locator("[data-testid=note-card]").nth(30).waitFor({ timeout: 30_000 });
  await zhang.page.fill("#fn-q", WORD);
  const found = zhang.page.locator("[data-testid=note-card]", { hasText: TITLE });
  await found.waitFor({ timeout: 90_000 });
  assert.equal(await zhang.page.locator("[data-testid=note-card]").count(), 1);
  await zhang.page.locator("[data-testid=note-count]", { hasText: "找到 1 篇" }).waitFor();
  await found.click();
  await zhang.page.locator("[data-testid=note-body]", { hasText: BODY }).waitFor();
  await zhang.page.locator("[data-testid=edit-note]").waitFor();
  await screenshot(zhang, "review-field-note-zh-CN");

  // A resident's Community page has no field notes.
  const wang = await phone("wang", "WANGXY72");
  await go(wang, "#/more");
  await wang.page.locator("[data-testid=hub-tile]").first().waitFor();
  assert.equal(await wang.page.locator("[data-testid=hub-tile]", { hasText: "田野笔记" }).count(), 0);

  for (const p of [li, zhang, wang]) await p.context.close();
});

test("the register, a note and the form pass an axe-core audit in both languages", async () => {
  const p = await phone("audit", "STAFFZH2");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/field-notes");
    await page.locator("[data-testid=note-card]").nth(30).waitFor({ timeout: 30_000 });
    await audit(page, `register, ${lang}`);
    await screenshot(p, `review-field-notes-${lang}`);
    await page.locator("[data-testid=note-card]").first().click();
    await page.locator("[data-testid=note-title]").waitFor();
    await audit(page, `note, ${lang}`);
    await go(p, "#/note-new");
    await page.locator("#nf-title").waitFor();
    await page.locator("[data-testid=save-note]").click();
    await page.locator("#nf-err").filter({ hasText: /\S/ }).waitFor();
    await audit(page, `form with an error, ${lang}`);
    await screenshot(p, `review-note-form-${lang}`);
  }
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
