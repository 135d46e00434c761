// Owners' votes 业主表决: staff start a vote over every flat on record; two collectors of grid 7
// (its building leader and its grid worker), both offline, enter a paper ballot for 王秀英's
// flat 7-2-301; she casts her own on her phone; after sync every collector's phone and staff's
// show the flat counted once (her phone's ballot) and the same tally; staff close the vote
// and her phone shows the published result. The vote page passes axe-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  setOffline, screenshot, pageErrors, elderMisfits, enrolByCode, audit,
} from "./harness.mjs";

let relay, browser;

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

const QUESTION = "将5号楼自行车棚改建为电动车充电棚并对外出租";
const FLAT = "7-2-301";

const row = (phone) => phone.page.locator(`[data-testid=roll-row][data-flat="${FLAT}"]`);

test("paper ballots from two offline collectors and the owner's phone count the flat once, the same on every phone, and the result is published", async () => {
  // Staff start the vote; the roll is every flat on record.
  const staff = await newPhone(browser, relay, "staff");
  await enrolAs(staff, "STAFFZH2");
  const sp = staff.page;
  await sp.evaluate(() => (location.hash = "#/vote-new"));
  await sp.locator("[data-testid=vote-roll]", { hasText: /表决名册：[1-9]\d* 户/ }).waitFor({ timeout: 30_000 });
  // A period over 90 days is refused with a message and keeps what was typed.
  await sp.fill("#vote-question", QUESTION);
  await sp.selectOption("#vote-matter", "change_shared_parts");
  const opens = await sp.inputValue("#vote-opens");
  await sp.fill("#vote-closes", opens.replace(/^(\d{4})/, (y) => String(Number(y) + 1)));
  await sp.locator("[data-testid=vote-create]").click();
  await sp.locator("[data-testid=vote-error]", { hasText: "表决期最长 90 天" }).waitFor();
  assert.equal(await sp.inputValue("#vote-question"), QUESTION);
  const [date, time] = opens.split("T");
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 14);
  await sp.fill("#vote-closes", `${d.toISOString().slice(0, 10)}T${time}`);
  await sp.locator("[data-testid=vote-create]").click();
  await sp.locator("[data-testid=vote-question]", { hasText: QUESTION }).waitFor();
  const vote = sp.url().split("#/vote/")[1];
  await row(staff).waitFor();
  await waitSynced(staff, 60_000);
  await audit(sp, "vote page, staff (zh)");

  // Two collectors of grid 7 open the vote and lose the network.
  const leader = await newPhone(browser, relay, "leader");
  await enrolByCode(leader, "GRD7HEAD");
  const worker = await newPhone(browser, relay, "worker");
  await enrolAs(worker, "GRDWRK78");
  for (const c of [leader, worker]) {
    await c.page.evaluate((id) => (location.hash = `#/vote/${id}`), vote);
    await row(c).waitFor({ timeout: 30_000 });
    await waitSynced(c);
  }
  // The roll filters by building.
  await leader.page.fill("#roll-filter", "7");
  await leader.page.waitForFunction(() => [...document.querySelectorAll("[data-testid=roll-row]")].every((r) => r.dataset.flat.startsWith("7-")));
  await setOffline(leader, true);
  await setOffline(worker, true);
  await row(leader).locator("[data-testid=paper-no]").click();
  await row(leader).locator("[data-testid=row-counted]", { hasText: "反对·纸质" }).waitFor();
  await row(worker).locator("[data-testid=paper-abstain]").click();
  await row(worker).locator("[data-testid=row-counted]", { hasText: "弃权·纸质" }).waitFor();

  // The owner sees the open vote on her home screen and votes yes on her phone.
  const wang = await newPhone(browser, relay, "wang");
  await enrolAs(wang, "WANGXY72");
  await wang.page.locator("[data-testid=open-vote]", { hasText: QUESTION }).click();
  await wang.page.locator("[data-testid=my-ballot]").waitFor();
  await wang.page.locator("[data-testid=cast-yes]").click();
  await wang.page.locator("[data-testid=my-counted]", { hasText: "已计入：同意（本人手机投票）" }).waitFor();
  await waitSynced(wang);
  // Her phone holds her own flat's sheet only: no roll of the neighbours' areas and votes.
  assert.equal(await wang.page.locator("[data-testid=roll]").count(), 0);
  await audit(wang.page, "vote page, owner (zh)");

  // The collectors come back: every phone counts the flat once, as the owner voted.
  await setOffline(leader, false);
  await setOffline(worker, false);
  await waitSynced(leader);
  await waitSynced(worker);
  const tallies = [];
  for (const p of [leader, worker, staff]) {
    await row(p).locator("[data-testid=row-counted]", { hasText: "同意·本人" }).waitFor({ timeout: 30_000 });
    tallies.push(await p.page.locator("[data-testid=tally] [data-testid=counted]").innerText());
  }
  assert.match(tallies[0], /^已计 1 户 \/ 共 \d+ 户；同意 1 户$/);
  assert.deepEqual(tallies, [tallies[0], tallies[0], tallies[0]]);
  await screenshot(leader, "votes-leader");

  // Staff close the vote: the owner's phone shows the published result with both ratios.
  await sp.locator("[data-testid=close-vote]").click();
  await sp.locator("[data-testid=result] [data-testid=verdict]", { hasText: "未通过" }).waitFor();
  await waitSynced(staff, 60_000);
  await wang.page.locator("[data-testid=result] [data-testid=verdict]", { hasText: "未通过" }).waitFor({ timeout: 30_000 });
  assert.match(await wang.page.locator("[data-testid=result] [data-testid=counted]").innerText(), /^已计 1 户/);
  await wang.page.locator("[data-testid=result] [data-testid=yes-owners-pct]", { hasText: "100.0%" }).waitFor();
  // Her sheet is closed too: no more buttons.
  await wang.page.locator("[data-testid=cast-yes]").waitFor({ state: "detached", timeout: 30_000 });
  await screenshot(wang, "votes-result");

  // She reads the result in elder mode: large text and targets, in both languages.
  await wang.page.evaluate(() => (location.hash = "#/settings"));
  await wang.page.locator("[data-testid=elder-mode]").check();
  await wang.page.evaluate((id) => (location.hash = `#/vote/${id}`), vote);
  await wang.page.locator("[data-testid=result] [data-testid=verdict]", { hasText: "未通过" }).waitFor();
  assert.ok(await wang.page.evaluate(() => document.body.classList.contains("elder")));
  assert.deepEqual(await wang.page.evaluate(elderMisfits), [], "elder mode on the vote page");
  await audit(wang.page, "vote result, owner, elder mode (zh)");
  await wang.page.locator(".lang").first().click();
  await wang.page.locator("[data-testid=result] [data-testid=verdict]", { hasText: "Not passed" }).waitFor();
  await audit(wang.page, "vote result, owner, elder mode (en)");
  await screenshot(wang, "votes-result-elder");
});

test("the demo's roof vote, from a talk decision, is published with its result, and the decision shows it", async () => {
  const owner = await newPhone(browser, relay, "wang-tablet");
  await enrolAs(owner, "WANGXY72");
  const zp = owner.page;
  await zp.evaluate(() => (location.hash = "#/more"));
  await zp.locator("[data-testid=hub-tile]", { hasText: "业主表决" }).click();
  const roof = zp.locator("[data-testid=vote-row]", { hasText: "屋面防水" });
  await roof.waitFor({ timeout: 30_000 });
  assert.match(await roof.innerText(), /已截止 · 通过/);
  await roof.click();
  await zp.locator("[data-testid=result] [data-testid=verdict]", { hasText: "✓ 通过" }).waitFor();
  assert.equal(await zp.locator("[data-testid=roll]").count(), 0, "a resident gets no roll");
  await audit(zp, "the roof vote's result, resident (zh)");
  await zp.getByRole("link", { name: "来自四方会谈的决定" }).click();
  const link = zp.locator("[data-testid=decision-vote]", { hasText: "业主表决结果：通过" });
  await link.waitFor({ timeout: 30_000 });
  assert.match(await link.innerText(), /同意面积 \d+\.\d%/);
  await screenshot(owner, "votes-decision");
});

test("no page logged an error", () => {
  assert.deepEqual(pageErrors(), []);
});
