// The walking skeleton, as people would use it: a resident (phone A) and a grid worker
// (phone B) against the real relay; offline filing, reloads without network, answers, merges
// of concurrent offline edits, a relay restart, a brand-new phone, and a JS automerge-repo peer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, newPhone, enrolAs, waitSynced,
  waitControlled, setOffline, card, openRequest, goHome, fileRequest, screenshot, enrolHeadless,
  pageErrors,
} from "./harness.mjs";

let relay, browser, A, B;
const title = `E2E 3单元楼道灯不亮 ${Date.now() % 100000}`;
let docId;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  relay = await startRelay();
  browser = await launchBrowser();
  A = await newPhone(browser, relay, "A");
  B = await newPhone(browser, relay, "B");
  await enrolAs(A, "WANGXY72"); // 王秀英, resident, grid 7
  await enrolAs(B, "GRDWRK78"); // 李红梅, grid worker of grids 7 and 8
  await waitControlled(A);
  await waitControlled(B);
});

after(async () => {
  await browser?.close();
  if (relay) {
    await stopRelay(relay);
    removeData(relay);
  }
});

test("a request filed offline survives an offline reload and reaches the grid worker when back online", async () => {
  await setOffline(A, true);
  await A.page.waitForFunction(() => document.querySelector("[data-testid=sync]").dataset.online === "false");
  docId = await fileRequest(A, { title, description: "晚上上下楼看不见，老人容易摔倒。", colour: "red" });
  assert.ok(docId, "the app shows the new request");
  await A.page.locator("[data-testid=detail-upload]", { hasText: "已保存在本机" }).waitFor();

  // Reload with no network at all: the shell comes from the service worker, the request from IndexedDB.
  await A.page.reload();
  await goHome(A);
  await card(A, title).waitFor();
  // The card shows from the stored summary at once; "not uploaded" once the documents are read.
  await card(A, title).filter({ hasText: "待上传" }).waitFor();
  await screenshot(A, "a-offline-after-reload");

  await setOffline(A, false);
  await waitSynced(A);
  await card(B, title).waitFor({ timeout: 15_000 });
  // The worker's queue is sorted by deadline: a fresh red request is not behind later deadlines.
  const first = await B.page.locator("[data-testid=request-card]").first().innerText();
  assert.ok(first.includes(title) || /超期/.test(first), `queue starts with the new request or an overdue one: ${first}`);
  await screenshot(B, "b-queue");
});

test("the grid worker's answer and status reach the resident", async () => {
  await openRequest(B, title);
  await B.page.click("[data-testid=set-accepted]");
  await B.page.fill("#answer", "已安排电工明天上午维修。");
  await B.page.locator("form:has(#answer) button[type=submit]").click();
  await waitSynced(B);
  await openRequest(A, title);
  await A.page.locator("[data-testid=detail-status]", { hasText: "已答复" }).waitFor({ timeout: 15_000 });
  await A.page.locator("[data-testid=history]", { hasText: "已安排电工明天上午维修" }).waitFor();
  await screenshot(A, "a-answered");
});

test("concurrent offline edits on both phones both survive the merge", async () => {
  await setOffline(A, true);
  await setOffline(B, true);
  await A.page.fill("#detail", "补充：4楼到6楼都不亮。");
  await A.page.locator("form:has(#detail) button[type=submit]").click();
  await A.page.locator("[data-testid=history]", { hasText: "4楼到6楼" }).waitFor();
  await B.page.click("[data-testid=set-in_progress]");
  await B.page.locator("[data-testid=detail-status]", { hasText: "处理中" }).waitFor();
  await setOffline(A, false);
  await setOffline(B, false);
  await waitSynced(A);
  await waitSynced(B);
  for (const phone of [A, B]) {
    await phone.page.locator("[data-testid=history]", { hasText: "4楼到6楼" }).waitFor({ timeout: 15_000 });
    await phone.page.locator("[data-testid=detail-status]", { hasText: "处理中" }).waitFor({ timeout: 15_000 });
  }
});

test("a relay restart on the same data loses nothing and a new phone receives everything", async () => {
  const port = relay.port;
  const data = relay.data;
  await stopRelay(relay, "SIGKILL");
  await A.page.waitForFunction(() => document.querySelector("[data-testid=sync]").dataset.online === "false");
  // An edit while the relay is down: it waits on the phone.
  await A.page.fill("#detail", "重启期间的补充。");
  await A.page.locator("form:has(#detail) button[type=submit]").click();
  relay = await startRelay({ data, port });
  await waitSynced(A, 45_000);
  await waitSynced(B, 45_000);
  await B.page.locator("[data-testid=history]", { hasText: "重启期间的补充" }).waitFor({ timeout: 15_000 });

  const C = await newPhone(browser, relay, "C");
  await enrolAs(C, "STAFFZH2");
  await card(C, title).waitFor({ timeout: 20_000 });
  await openRequest(C, title);
  for (const text of ["已安排电工明天上午维修", "4楼到6楼", "重启期间的补充"]) {
    await C.page.locator("[data-testid=history]", { hasText: text }).waitFor();
  }
  await C.page.locator("[data-testid=detail-status]", { hasText: "处理中" }).waitFor();
  await screenshot(C, "c-new-phone");
  await C.context.close();
});

test("an unmodified JS automerge-repo client reads the request through the relay", async () => {
  const { Repo } = await import("@automerge/automerge-repo");
  const { WebSocketClientAdapter } = await import("@automerge/automerge-repo-network-websocket");
  const staff = await enrolHeadless(relay, "STAFFZH2");
  const token = await staff.token();
  const adapter = new WebSocketClientAdapter(`ws://127.0.0.1:${relay.port}/sync?token=${token}`);
  const repo = new Repo({ network: [adapter] });
  try {
    const handle = await repo.find(`automerge:${docId}`, { signal: AbortSignal.timeout(20_000) });
    const doc = handle.doc();
    // automerge 3 hands scalar strings out as ImmutableString.
    assert.equal(String(doc.kind), "request");
    assert.equal(String(doc.title), title);
    assert.equal(String(doc.grid), "g07");
    assert.ok(doc.events.length >= 4, "the history came along");
  } finally {
    await repo.shutdown();
  }
});

test("no page errors on any phone", () => {
  assert.deepEqual(pageErrors(), []);
});
