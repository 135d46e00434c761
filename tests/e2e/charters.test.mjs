// Charter and rules 社区公约 as a resident reads them: from the Community page, the 9 documents
// the community adopted; the community charter in force with the talk that adopted it and its
// earlier version. The list and a document pass an axe-core audit in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs,
  screenshot, pageErrors, go, audit,
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

test("a resident reads the 9 adopted rules documents and the charter's versions, audited in both languages", async () => {
  const p = await newPhone(browser, relay, "wang");
  await enrolAs(p, "WANGXY72");
  const { page } = p;
  await go(p, "#/more");
  await page.locator("[data-testid=hub-tile]", { hasText: "社区公约" }).click();
  await page.locator("[data-testid=charter-card]").nth(8).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator("[data-testid=charter-card]").count(), 9);
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/charters");
    await page.locator("[data-testid=charter-card]").nth(8).waitFor({ timeout: 30_000 });
    await audit(page, `charters, ${lang}`);
    await page.locator("[data-testid=charter-card]", { hasText: "水榭花都社区公约" }).click();
    await page.locator("[data-testid=charter-text]", { hasText: "第八条" }).waitFor();
    await page.locator("details.card").first().waitFor();
    await audit(page, `the community charter, ${lang}`);
    await screenshot(p, `review-charter-${lang}`);
  }
  // A resident adopts nothing: no form on her phone.
  assert.equal(await page.locator("#ch-text").count(), 0);
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
