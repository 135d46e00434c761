// Who may do what, as people meet it in the app: staff invite a new resident who joins with the
// code, staff revoke a lost phone and the phone is told at once, an elder's consent lets a
// volunteer file for her, and withdrawing it takes her data off the volunteer's phone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  card, screenshot,
  pageErrors,
} from "./harness.mjs";

let relay, browser, staff;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  relay = await startRelay();
  browser = await launchBrowser();
  staff = await newPhone(browser, relay, "staff");
  await enrolAs(staff, "STAFFZH2");
});

after(async () => {
  await browser?.close();
  if (relay) {
    await stopRelay(relay);
    removeData(relay);
  }
});

async function openPerson(phone, name) {
  await phone.page.evaluate(() => (location.hash = "#/people"));
  await phone.page.locator("[data-testid=people] a", { hasText: name }).first().click();
  await phone.page.locator("main.person h2", { hasText: name }).waitFor();
}

test("staff invite a new resident, who joins with the code on a new phone", async () => {
  const { page } = staff;
  await page.evaluate(() => (location.hash = "#/people"));
  await page.locator("details.new-person summary").click();
  await page.selectOption("#np-role", "resident");
  await page.fill("#np-name", "周桂兰");
  await page.fill("#np-phone", "139 0573 1234");
  await page.fill("#np-flat", "9-1-101");
  await page.selectOption("#np-grid", "g05");
  await page.locator("details.new-person button[type=submit]").click();
  const code = (await page.locator("[data-testid=invite-code]").getAttribute("aria-label")) ?? "";
  assert.match(code, /^[2-9A-HJ-NP-Z]{8}$/);
  assert.equal(await page.locator("[data-testid=invite] svg.qr").count(), 1, "a QR code to scan");
  await screenshot(staff, "staff-invite");

  const zhou = await newPhone(browser, relay, "zhou");
  await zhou.page.fill("#invite-code", code.toLowerCase().slice(0, 4) + "-" + code.slice(4));
  await zhou.page.locator("form button[type=submit]").click();
  await zhou.page.locator("nav.tabbar").waitFor({ timeout: 30_000 });
  await waitSynced(zhou);
  // The same code does not work twice.
  const again = await newPhone(browser, relay, "again");
  await again.page.fill("#invite-code", code);
  await again.page.locator("form button[type=submit]").click();
  // Whatever the answer, it is shown; it must say the code was used.
  await again.page.waitForFunction(() => (document.querySelector("#invite-error")?.textContent ?? "").trim() !== "", null, { timeout: 30_000 });
  assert.match(await again.page.locator("#invite-error").textContent(), /已经用过/);
  await again.context.close();

  // Her phone is listed by a name people recognise, not a user agent; staff can rename it.
  await openPerson(staff, "周桂兰");
  await page.locator("[data-testid=devices] .device-name", { hasText: "Linux PC · Chromium" }).waitFor();
  await page.locator("[data-testid=devices] button.secondary").first().click();
  await page.locator("[data-testid=devices] form.rename input").fill("周阿姨的手机");
  await page.locator("[data-testid=devices] form.rename button[type=submit]").click();
  await page.locator("[data-testid=devices] .device-name", { hasText: "周阿姨的手机" }).waitFor();

  // Staff give her a seat at the four-party talks on her page; it is in her record.
  await page.selectOption("#seat-party", "owners_committee");
  await page.fill("#seat-title", "业委会委员");
  await page.locator("[data-testid=seat-save]").click();
  await page.locator("[data-testid=seat-form] [role=status]", { hasText: "已保存" }).waitFor();
  // And her flat's floor area, which owners' votes count: a typo is explained and kept.
  await page.fill("#person-area", "89,5");
  await page.locator("[data-testid=area-save]").click();
  await page.locator("#person-area-error", { hasText: "面积应为平方米数" }).waitFor();
  assert.equal(await page.locator("#person-area").inputValue(), "89,5");
  await page.fill("#person-area", "89.5 m²");
  await page.locator("[data-testid=area-save]").click();
  await page.locator("[data-testid=area-form] [role=status]", { hasText: "已保存" }).waitFor();
  await page.reload();
  await page.locator("main.person h2", { hasText: "周桂兰" }).waitFor();
  await page.waitForFunction(() => document.querySelector("#seat-title")?.value === "业委会委员");
  await page.waitForFunction(() => document.querySelector("#person-area")?.value === "89.5");

  // Staff revoke the phone ("lost"): it is told at once.
  await page.locator("[data-testid=revoke]").first().click();
  await zhou.page.locator("[data-testid=notice]", { hasText: "已被停用" }).waitFor({ timeout: 15_000 });
  await zhou.page.waitForFunction(() => document.querySelector("[data-testid=sync]").dataset.online === "false");
  await screenshot(zhou, "revoked");
  await zhou.context.close();
});

test("an elder's consent lets a volunteer file for her, and withdrawing it takes her data away", async () => {
  const volunteer = await newPhone(browser, relay, "chen");
  await enrolAs(volunteer, "CHENXY25");
  const elder = await newPhone(browser, relay, "wang");
  await enrolAs(elder, "WANGXY72");
  await volunteer.page.evaluate(() => (location.hash = "#/elders"));
  // The elders living alone who consented on paper a year ago are hers; 王秀英 is not yet.
  await volunteer.page.locator(".card.elder").first().waitFor({ timeout: 15_000 });
  assert.equal(await volunteer.page.locator(".card.elder", { hasText: "王秀英" }).count(), 0);

  // Staff record her consent, given in person.
  await openPerson(staff, "王秀英");
  await staff.page.selectOption("#grant-vol", { label: "陈小雨" });
  await staff.page.locator("label[for=m-person]").click();
  await staff.page.locator("form.grant button[type=submit]").click();
  await staff.page.locator("[data-testid=consents] li", { hasText: "陈小雨" }).waitFor();
  await waitSynced(staff);

  // The volunteer now sees her and files for her, in a stairwell without signal.
  await volunteer.page.locator(".card.elder", { hasText: "王秀英" }).waitFor({ timeout: 15_000 });
  await volunteer.context.setOffline(true);
  await volunteer.page.locator(".card.elder", { hasText: "王秀英" }).locator("button.primary").click();
  await volunteer.page.locator("#f-for").waitFor();
  const title = `代办 楼道扶手松动 ${Date.now() % 100000}`;
  await volunteer.page.fill("#f-title", title);
  await volunteer.page.selectOption("#f-cat", "aging");
  await volunteer.page.waitForFunction(() => document.querySelector("#f-grid").value === "g07");
  await volunteer.page.locator("form button[type=submit]").click();
  await volunteer.page.locator("[data-testid=detail-title]", { hasText: title }).waitFor();
  await volunteer.context.setOffline(false);
  await waitSynced(volunteer);

  // Her own phone shows it, saying who filed it for her.
  await card(elder, title).waitFor({ timeout: 15_000 });
  await card(elder, title).click();
  await elder.page.locator(".facts", { hasText: "陈小雨 代 王秀英 提交" }).waitFor();
  await screenshot(elder, "filed-for-elder");

  // She withdraws her consent from her own phone (Settings), where it says whom she gave it
  // to by name (her phone does not hold the volunteer's record).
  await elder.page.evaluate(() => (location.hash = "#/settings"));
  await elder.page.locator("[data-testid=consents] li", { hasText: "陈小雨" }).waitFor();
  await elder.page.locator("[data-testid=withdraw]").click();
  await waitSynced(elder);
  await volunteer.page.evaluate(() => (location.hash = "#/elders"));
  try {
    await volunteer.page.locator(".card.elder").first().waitFor({ timeout: 15_000 });
    await volunteer.page.waitForFunction(
      () => ![...document.querySelectorAll(".card.elder")].some((c) => c.textContent.includes("王秀英")),
      null,
      { timeout: 15_000 },
    );
  } catch (e) {
    const dump = async (p) => p.page.evaluate(() => document.body.innerText + "\nSYNC " + JSON.stringify(document.querySelector("[data-testid=sync]").dataset));
    console.log("VOLUNTEER:\n" + (await dump(volunteer)));
    console.log("ELDER:\n" + (await dump(elder)));
    throw e;
  }
  await volunteer.page.evaluate(() => (location.hash = "#/"));
  await volunteer.page.locator("main.page h2").first().waitFor();
  assert.equal(await card(volunteer, title).count(), 0, "her request left the volunteer's phone");
  await volunteer.context.close();
  await elder.context.close();
});

test("no page errors or console errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
