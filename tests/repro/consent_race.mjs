// Not part of the test suite: a reproducer of an open finding (stop 33, 7 December 2026).
//
//   LINLI_SERVER_BIN=$PWD/target/debug/linli-server node tests/repro/consent_race.mjs [runs]
//
// A staff phone enrols (its first sync of the demo's ~1,134 documents under way), records
// 王秀英's consent to the volunteer 陈小雨 on her page, waits until its sync indicator says
// online, nothing saving and nothing unconfirmed (the harness's waitSynced), and is closed at
// once. The volunteer's phone then enrols and should list 王秀英 among the elders she helps.
// In 5 of 7 runs on 7 December it did not, for 30 s, nor after a reload; the volunteer's phone
// held every other document. In requests.test.mjs, with the staff phone kept open, the elder's
// own phone (enrolled after the grant) did not show the consent within 30 s either: the change
// never reached the relay, while the staff phone said it was confirmed. Runs with more time
// between the grant and the next phone passed more often, so it depends on timing (the staff
// phone is then in the middle of its first sync of ~1,134 documents, with the relay's offers
// going out 1,024 at a time). Not found yet: where the change stops (the client core counting
// it shared without sending it, or the relay acknowledging it during a first sync without
// applying it).
// requests.test.mjs's first scenario is marked TODO until this is fixed.
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
    await staff.context.close();
    const volunteer = await phone(browser, relay, "chen", "CHENXY25");
    await volunteer.page.evaluate(() => (location.hash = "#/elders"));
    const card = volunteer.page.locator(".card.elder", { hasText: "王秀英" });
    const shown = await card.waitFor({ timeout: 30_000 }).then(() => true, () => false);
    if (!shown) missing++;
    console.log(`run ${i + 1}: ${shown ? "the volunteer lists 王秀英" : "王秀英 missing from the volunteer's list after 30 s"}`);
  } finally {
    await browser.close();
    await H.stopRelay(relay);
    H.removeData(relay);
  }
}
console.log(`missing in ${missing} of ${runs} runs`);
process.exit(0);
