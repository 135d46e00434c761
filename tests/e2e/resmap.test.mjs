// The community resource map 社区资源地图: a resident opens the map once online, then offline
// (reloaded without signal) taps 7号楼 and sees what is there; still offline she offers her own
// talent (the form explains the missing consent and keeps what she typed); back online, staff
// and her neighbour see it on the map; she withdraws it and it leaves her neighbour's map;
// staff correct a space's hours on its edit page and the neighbour sees them. The
// map and the form pass an axe-core audit in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs,
  waitSynced, waitControlled, setOffline, screenshot, pageErrors,
  audit, go,
} from "./harness.mjs";

const SKILL = "剪纸教学（测试）";
const HOURS = "周二至周日 9:00-17:30";

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



const item = (page, text) => page.locator("[data-testid=resmap-list-building] [data-testid=resmap-item]", { hasText: text });

test("a resident uses the map offline, offers a talent offline, staff and a neighbour see it, she withdraws it", async () => {
  const wang = await phone("wang", "WANGXY72");
  const w = wang.page;
  await waitControlled(wang);
  await go(wang, "#/more");
  await w.locator("[data-testid=hub-tile]", { hasText: "社区资源地图" }).click();
  await item(w, "楼道美术馆").first().waitFor({ timeout: 30_000 });
  await waitSynced(wang, 60_000);

  // No signal, and the app reloaded: the map is still there.
  await setOffline(wang, true);
  await w.locator("[data-testid=sync][data-online=false]").waitFor();
  await w.reload();
  await w.locator("nav.tabbar").waitFor();
  await go(wang, "#/resmap");
  const b7 = w.locator("[data-testid=resmap-building][data-building='7号楼']");
  await b7.waitFor({ timeout: 30_000 });
  // The stored plan and places are read just after the first screen: until then the map may be
  // the schematic one, redrawn under a tap when they arrive.
  await w.locator("[data-testid=resmap-list-building] [data-testid=resmap-item]", { hasText: "架空层画廊" })
    .waitFor({ timeout: 30_000 });
  const label = await b7.getAttribute("aria-label");
  assert.match(label, /^7号楼 · .+ · \d+ 项资源$/);
  await b7.click();
  const gallery = w.locator("[data-testid=resmap-selected] [data-testid=resmap-item]", { hasText: "架空层画廊" });
  await gallery.waitFor();
  assert.equal(await b7.getAttribute("aria-pressed"), "true");
  // The legend filters, in words.
  await w.locator("[data-testid=filter-space]").uncheck();
  await gallery.waitFor({ state: "detached" });
  await w.locator("[data-testid=filter-space]").check();
  await gallery.waitFor();

  // Her own talent, offline: the missing consent is explained, nothing typed lost.
  await w.locator("[data-testid=resource-new]").click();
  await w.fill("#rf-name", SKILL);
  await w.fill("#rf-desc", "周末教孩子们剪窗花。");
  await w.selectOption("#rf-building", "7号楼");
  await w.locator("[data-testid=save-resource]").click();
  await w.locator("#rf-err", { hasText: "请勾选同意" }).waitFor();
  assert.equal(await w.inputValue("#rf-name"), SKILL);
  await w.reload();
  await w.locator("#rf-name").waitFor({ timeout: 30_000 });
  assert.equal(await w.inputValue("#rf-name"), SKILL, "the draft survives a reload");
  await w.locator("#rf-consent").check();
  await w.locator("[data-testid=save-resource]").click();
  await w.locator("[data-testid=resource-name]", { hasText: SKILL }).waitFor();
  await w.locator("[data-testid=resource-person]", { hasText: "王秀英" }).waitFor();
  await w.locator("[data-testid=sync][data-saving='0']").waitFor();

  // Back online: staff and her neighbour see it on the map.
  await setOffline(wang, false);
  await waitSynced(wang, 60_000);
  const zhang = await phone("zhang", "STAFFZH2");
  await go(zhang, "#/resmap");
  await item(zhang.page, SKILL).first().waitFor({ timeout: 30_000 });
  const zhao = await phone("zhao", "ZHAXS3R5");
  await go(zhao, "#/resmap");
  await item(zhao.page, SKILL).first().waitFor({ timeout: 30_000 });

  // She withdraws it: it leaves her neighbour's map; staff keep the record.
  await w.locator("[data-testid=resource-withdraw]").click();
  await w.locator("[data-testid=resource-withdrawn]").waitFor();
  await waitSynced(wang, 60_000);
  await item(zhao.page, SKILL).first().waitFor({ state: "detached", timeout: 30_000 });
  await item(zhang.page, SKILL).first().waitFor({ state: "detached", timeout: 30_000 });
  await screenshot(zhao, "review-resmap-resident-zh-CN");

  // Staff correct a space's opening hours on its edit page (filled with the record); the
  // neighbour's phone shows the new hours.
  const z = zhang.page;
  await item(z, "楼道美术馆").first().locator("a").first().click();
  await z.locator("[data-testid=resource-edit]").click();
  await z.locator("#rf-hours").waitFor();
  assert.match(await z.inputValue("#rf-name"), /^楼道美术馆/, "the form starts from the record");
  assert.equal(await z.locator("#rf-type").count(), 0, "the type is the record's");
  await z.fill("#rf-hours", HOURS);
  await z.locator("[data-testid=save-resource]").click();
  await z.locator("dd", { hasText: HOURS }).waitFor();
  await waitSynced(zhang, 60_000);
  await item(zhao.page, "楼道美术馆").first().locator("a").first().click();
  await zhao.page.locator("dd", { hasText: HOURS }).waitFor({ timeout: 30_000 });
  for (const p of [wang, zhang, zhao]) await p.context.close();
});

test("the map, a resource and the form pass an axe-core audit in both languages", async () => {
  const p = await phone("audit", "STAFFZH2");
  const { page } = p;
  for (const lang of ["zh-CN", "en"]) {
    await page.evaluate((l) => localStorage.setItem("linli.lang", l), lang);
    await page.reload();
    await page.locator("nav.tabbar").waitFor();
    await go(p, "#/resmap");
    await item(page, lang === "en" ? "楼道美术馆" : "楼道美术馆").first().waitFor({ timeout: 30_000 });
    await page.locator("[data-testid=resmap-building]").first().click();
    await audit(page, `map, ${lang}`);
    await screenshot(p, `review-resmap-${lang}`);
    await item(page, "楼道美术馆").first().locator("a").first().click();
    await page.locator("[data-testid=resource-name]").waitFor();
    await audit(page, `a resource, ${lang}`);
    await page.locator("[data-testid=resource-edit]").click();
    await page.locator("#rf-name").waitFor();
    await audit(page, `staff's edit form, ${lang}`);
    await go(p, "#/resource-new");
    await page.locator("#rf-name").waitFor();
    await page.locator("[data-testid=save-resource]").click();
    await page.locator("#rf-err").filter({ hasText: /\S/ }).waitFor();
    await audit(page, `form with an error, ${lang}`);
    await go(p, "#/siteplan");
    await page.locator("[data-testid=siteplan-geojson]").fill("{\"type\":\"Feature\"}");
    await page.locator("[data-testid=siteplan-read]").click();
    await page.locator("[data-testid=siteplan-preview] .field-error").waitFor();
    await audit(page, `site plan import with an error, ${lang}`);
    await page.locator("[data-testid=siteplan-geojson]").fill("");
  }
  await p.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
