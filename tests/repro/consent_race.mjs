// Not part of the test suite: a reproducer of a finding of stop 33 (7 December 2026).
//
//   LINLI_SERVER_BIN=$PWD/target/debug/linli-server node tests/repro/consent_race.mjs [runs]
//
// A staff phone enrols (its first sync of the demo's ~1,134 documents under way), records
// 王秀英's consent to the volunteer 陈小雨 on her page, waits until its sync indicator says
// online, nothing saving and nothing unconfirmed (the harness's waitSynced), and is closed at
// once. The volunteer's phone then enrols and should list 王秀英 among the elders she helps.
//
// On 7 December afternoon it did not in 5 of 7 runs. On 7 December evening (stop 34) it was not
// reproduced: 0 of 60 runs at e455c08+660c1b4 (the relay refuses a second history; a person's
// forms wait for the record), 0 of 15 with the app without that wait, 0 of 12 with the app of
// 3df23b5; one run of 20 under heavy load (a cargo build beside it, before the relay's new
// rule was built) missed the 30 s bound, undiagnosed. On a miss it now prints the relay's audit
// (a refusal would be there), the staff phone's sync indicator when it was closed, and whether
// the elder's own phone shows the consent (the relay holds it) or not (it never arrived).
import { mkdirSync } from "node:fs";
const H = await import("../e2e/harness.mjs");

const runs = Number(process.argv[2] || 4);
async function phone(browser, relay, name, code) {
  const p = await H.newPhone(browser, relay, name);
  await p.page.reload();
  if (code) await H.enrolAs(p, code);
  return p;
}
mkdirSync(H.ARTIFACTS, { recursive: true });
let missing = 0;
for (let i = 0; i < runs; i++) {
  const relay = await H.startRelay();
  const browser = await H.launchBrowser();
  try {
    const staff = await phone(browser, relay, "staff", "STAFFZH2");
    await staff.page.evaluate(() => (location.hash = "#/people"));
    await staff.page.locator("[data-testid=people] a", { hasText: "王秀英" }).first().click();
    await staff.page.locator("#grant-vol option", { hasText: "陈小雨" }).first().waitFor({ state: "attached" });
    await staff.page.selectOption("#grant-vol", { label: "陈小雨" });
    await staff.page.locator("form.grant button[type=submit]").click();
    await staff.page.locator("[data-testid=consents] li", { hasText: "陈小雨" }).waitFor();
    await H.waitSynced(staff);
    const staffState = await staff.page.evaluate(() => ({
      sync: { ...document.querySelector("[data-testid=sync]").dataset },
      notice: document.querySelector(".notice, [role=alert]")?.textContent || "",
    }));
    await staff.context.close();
    const volunteer = await phone(browser, relay, "chen", "CHENXY25");
    await volunteer.page.evaluate(() => (location.hash = "#/elders"));
    const card = volunteer.page.locator(".card.elder", { hasText: "王秀英" });
    const shown = await card.waitFor({ timeout: 30_000 }).then(() => true, () => false);
    if (!shown) {
      missing++;
      // What the relay holds: its audit of refusals, and the elder's own phone.
      const token = await (await H.enrolHeadless(relay, "STAFFZH2")).token();
      const audit = await (await fetch(relay.url + "/api/audit", { headers: { authorization: `Bearer ${token}` } })).json();
      console.log("staff phone when closed:", JSON.stringify(staffState));
      console.log("relay audit:", JSON.stringify(audit).slice(0, 2000));
      const elder = await phone(browser, relay, "wang", "WANGXY72");
      await elder.page.evaluate(() => (location.hash = "#/settings"));
      const hers = await elder.page.locator("[data-testid=consents] li", { hasText: "陈小雨" }).waitFor({ timeout: 30_000 }).then(() => true, () => false);
      console.log(`the elder's own phone ${hers ? "shows" : "does not show"} the consent`);
      console.log("relay output:", relay.output().slice(-3000));
    }
    console.log(`run ${i + 1}: ${shown ? "the volunteer lists 王秀英" : "王秀英 missing from the volunteer's list after 30 s"}`);
  } finally {
    await browser.close();
    await H.stopRelay(relay);
    H.removeData(relay);
  }
}
console.log(`missing in ${missing} of ${runs} runs`);
process.exit(0);
