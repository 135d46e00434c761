// The first screen paints without wasm: a new visitor gets the enrolment page from index.html
// itself; an enrolled phone gets the shell and its stored cards from IndexedDB through the
// inline script; when the wasm arrives the app takes over the same screen (once, without a
// shift). The wasm is held back by a route that answers only when the test says so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import {
  ARTIFACTS, startRelay, stopRelay, removeData, launchBrowser, enrolAs, waitSynced, fileRequest,
  goHome, screenshot, watchErrors, pageErrors, enrolByCode,
} from "./harness.mjs";

let relay, browser;
const held = [];

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

/** A phone (as harness.newPhone) whose wasm waits for `release()`. No service worker: it would
 *  answer the wasm from its cache, out of the route's reach. */
async function heldPhone(name, { init } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    serviceWorkers: "block",
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.name = name;
  watchErrors(page);
  const phone = { context, page, name, held: false };
  let open = () => {};
  let gate = Promise.resolve();
  phone.hold = () => {
    phone.held = true;
    gate = new Promise((r) => (open = r));
  };
  phone.release = () => {
    phone.held = false;
    open();
  };
  await context.route(/\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  held.push(phone);
  return phone;
}

/** The shape of an element as a person and the styles see it: tags, classes, ids, roles and
 *  labels, text (in the page; for comparing the painted page with the app's). */
function shapeOf(el) {
  const keep = ["id", "class", "role", "type", "for", "aria-label", "aria-labelledby", "aria-describedby", "aria-invalid", "data-code", "maxlength", "inputmode", "autocomplete"];
  const walk = (n) => {
    if (n.nodeType === 3) return n.textContent;
    if (n.nodeType !== 1) return "";
    const attrs = keep.filter((a) => n.hasAttribute(a)).map((a) => `${a}=${n.getAttribute(a)}`).join(" ");
    return `<${n.tagName.toLowerCase()}${attrs ? " " + attrs : ""}>${[...n.childNodes].map(walk).join("")}</>`;
  };
  return walk(el);
}

/** Watches for the app's swap of #prepaint: in the same task, notes the time, the cards that
 *  replaced the painted ones (`read`, as a string of a function of a card) and where the first
 *  card and the heading are; then the time of the next frame. */
const watchTakeOver = (page, read) =>
  page.evaluate(([read, shape]) => {
    const card = new Function("return " + read)();
    const shapeOf = new Function("return " + shape)();
    const box = (sel) => {
      const r = document.querySelector(sel)?.getBoundingClientRect();
      return r && { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    new MutationObserver((_, obs) => {
      if (document.getElementById("prepaint")) return;
      obs.disconnect();
      window.tookOver = {
        at: performance.now(),
        cards: [...document.querySelectorAll("[data-testid=request-card]")].map(card),
        boxes: [box("[data-testid=request-card]"), box("main.page > h2")],
        escalation: document.querySelector("details.escalation summary")?.textContent ?? null,
        main: shapeOf(document.querySelector("main")),
        header: shapeOf(document.querySelector("header.topbar")),
      };
      requestAnimationFrame(() => (window.tookOver.nextFrame = performance.now()));
    }).observe(document.body, { childList: true });
  }, [read.toString(), shapeOf.toString()]);

/** The layout shifts (as CLS sums them) in the frame that showed the app's screen in place of
 *  the painted one (later frames are the app's own updates, e.g. closed requests read after). */
const shiftsAtTakeOver = async (page) => {
  await page.waitForFunction(() => window.tookOver?.nextFrame !== undefined);
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const { at, nextFrame } = window.tookOver;
        new PerformanceObserver((list) => {
          let sum = 0;
          for (const e of list.getEntries()) if (e.startTime >= at && e.startTime < nextFrame && !e.hadRecentInput) sum += e.value;
          resolve(sum);
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(0), 500);
      })
  );
};

/** Whether this phone has stored at least `n` requests for its first screen (IndexedDB,
 *  read-only; for page.waitForFunction). */
// Waits for the painted queue's first card; if it does not come, fails with what the painted
// page showed and what the paint script reported (window.linliPrepaintProblems).
async function paintedCard(page, selector = "#prepaint li.card") {
  try {
    await page.locator(selector).first().waitFor();
  } catch (e) {
    const why = await page.evaluate(() => ({
      problems: window.linliPrepaintProblems || null,
      prepaint: (document.getElementById("prepaint") || { innerText: "(gone)" }).innerText.slice(0, 600),
      hash: location.hash,
    }));
    throw new Error(`no painted ${selector}: ${JSON.stringify(why)}\n${e.message}`);
  }
}

// Whether the summary of document `id` is stored (what the painted page reads).
function isStored(id) {
  return new Promise((resolve) => {
    const req = indexedDB.open("linli");
    req.onerror = () => resolve(false);
    req.onsuccess = () => {
      const db = req.result;
      const one = db.transaction("index").objectStore("index").get(id);
      one.onsuccess = () => {
        db.close();
        resolve(one.result !== undefined);
      };
      one.onerror = () => {
        db.close();
        resolve(false);
      };
    };
  });
}

/** Whether this phone has stored at least `n` open requests of the grids `grids` (what a grid
 *  worker's painted queue shows; for page.waitForFunction with `[n, grids]`). */
function storedOpenAtLeast([n, grids]) {
  return new Promise((resolve) => {
    const req = indexedDB.open("linli");
    req.onerror = () => resolve(false);
    req.onsuccess = () => {
      const db = req.result;
      const all = db.transaction("index").objectStore("index").getAll();
      all.onsuccess = () => {
        db.close();
        const open = all.result.map((s) => JSON.parse(s)).filter((v) => {
          if (v.kind !== "request" || !grids.includes(v.request.grid)) return false;
          let status = "filed";
          for (const e of v.request.events) {
            const k = e.kind || {};
            if (k.type === "status") status = k.to;
            else if (k.type === "reopen") status = "accepted";
          }
          return status !== "resolved";
        });
        resolve(open.length >= n);
      };
    };
  });
}

function storedAtLeast(n) {
  return new Promise((resolve) => {
    const req = indexedDB.open("linli");
    req.onerror = () => resolve(false);
    req.onsuccess = () => {
      const db = req.result;
      const all = db.transaction("index").objectStore("index").getAll();
      all.onsuccess = () => {
        db.close();
        resolve(all.result.filter((s) => JSON.parse(s).kind === "request").length >= n);
      };
    };
  });
}

test("a new visitor sees the enrolment page, with accessible names, before any wasm; a tap made then is kept", async () => {
  const p = await heldPhone("visitor");
  const { page } = p;
  p.hold();
  await page.goto(relay.url + "/");
  await page.getByRole("heading", { name: "加入社区" }).waitFor();
  await page.getByRole("textbox", { name: "邀请码" }).waitFor();
  await page.getByRole("button", { name: "加入", exact: true }).waitFor();
  // The demo community's people, from /api/demo, each a button with a name.
  await page.locator("#prepaint button.persona").first().waitFor();
  assert.equal(await page.locator("#prepaint button.persona").count(), 5);
  await page.getByRole("button", { name: /王秀英/ }).waitFor();
  assert.equal(await page.evaluate(() => typeof window.wasmBindings), "undefined", "no wasm yet");
  assert.equal(await page.locator("#prepaint").count(), 1);
  // The stylesheet is in the page: the painted screen is styled.
  assert.equal(await page.locator("header.topbar").evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(15, 118, 110)");
  await screenshot(p, "firstpaint-enrol-without-wasm");

  // A wrong code is answered at once; a tap on a person waits for the app, which enrols with it.
  await page.getByRole("textbox", { name: "邀请码" }).fill("abc");
  await page.getByRole("button", { name: "加入", exact: true }).click();
  await page.locator("#invite-error", { hasText: "8 位" }).waitFor();
  await page.locator("#prepaint button.persona[data-code=CHENXY25]").click();
  p.release();
  await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  await page.locator("nav.tabbar").waitFor({ timeout: 30_000 });
  await page.locator(".brand", { hasText: "水榭花都" }).waitFor({ timeout: 30_000 });
  // The wasm was asked for only after the first paint.
  const order = await page.evaluate(() => ({
    paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
    wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.startTime ?? null,
  }));
  assert.ok(order.paint !== null && order.wasm !== null && order.wasm > order.paint, JSON.stringify(order));
  await p.context.close();
});

test("a finger down on a painted person when the app arrives: the page is not replaced under it, and the tap enrols", async () => {
  const p = await heldPhone("visitor-tap");
  const { page } = p;
  p.hold();
  await page.goto(relay.url + "/");
  const person = page.locator("#prepaint button.persona[data-code=CHENXY25]");
  await person.waitFor();
  const box = await person.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  p.release();
  // The app is ready to take over, and waits for the finger.
  await page.waitForFunction(() => window.linliTakeOverWaiting === true, null, { timeout: 30_000 });
  assert.equal(await page.locator("#prepaint button.persona[data-code=CHENXY25]").count(), 1, "still the painted page");
  await page.mouse.up();
  await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  await page.locator("nav.tabbar").waitFor({ timeout: 30_000 });
  // Enrolled as the volunteer 陈小雨 the finger chose: her tab bar has the elders she helps.
  await page.getByRole("navigation").getByRole("link", { name: /长辈/ }).waitFor({ timeout: 30_000 });
  await p.context.close();
});

test("the painted enrolment page speaks the remembered language and elder mode", async () => {
  const p = await heldPhone("visitor-en", {
    init: () => {
      localStorage.setItem("linli.lang", "en");
      localStorage.setItem("linli.elder", "1");
    },
  });
  const { page } = p;
  p.hold();
  await page.goto(relay.url + "/");
  await page.getByRole("heading", { name: "Join your community" }).waitFor();
  await page.getByRole("textbox", { name: "Invite code" }).waitFor();
  await page.getByRole("button", { name: "中文: switch to Chinese" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.ok(await page.evaluate(() => document.body.classList.contains("elder")));
  await page.locator("#prepaint button.persona").first().waitFor();
  assert.match(await page.locator("#prepaint").innerText(), /Try the demo community/);
  const painted = await page.evaluate(
    (shape) => {
      const shapeOf = new Function("return " + shape)();
      return { main: shapeOf(document.querySelector("#prepaint main")), header: shapeOf(document.querySelector("#prepaint header")) };
    },
    shapeOf.toString()
  );
  const box = await page.locator("#prepaint main.page h2").boundingBox();
  await watchTakeOver(page, () => null);
  p.release();
  await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  // The painted page is the app's enrolment page: the same elements, names and words.
  const app = await page.evaluate(() => window.tookOver);
  assert.match(painted.main, /Invite code.*class=persona/s);
  assert.equal(painted.main, app.main);
  assert.equal(painted.header, app.header);
  assert.deepEqual(app.boxes[1], box, "the heading did not move");
  assert.equal(await shiftsAtTakeOver(page), 0, "no layout shift");
  await page.getByRole("heading", { name: "Join your community" }).waitFor();
  assert.equal(await page.locator("h2").count(), 1);
  await p.context.close();
});

test("an enrolled phone paints its shell and stored cards from storage without wasm; the app then takes them over once, in place", async () => {
  const p = await heldPhone("wang");
  const { page } = p;
  await page.goto(relay.url + "/");
  await enrolAs(p, "WANGXY72");
  const title = `首屏 楼道堆物 ${Date.now() % 100000}`;
  await fileRequest(p, { title, colour: "yellow", category: "facilities" });
  await waitSynced(p);
  await goHome(p);
  await page.locator("[data-testid=request-card]", { hasText: title }).waitFor();
  const appCards = () =>
    page.$$eval("[data-testid=request-card]", (cards) =>
      cards.map((c) => ({ id: c.dataset.id, title: c.querySelector(".card-title").textContent, status: c.querySelector(".status").textContent }))
    );
  const stored = await appCards();
  assert.ok(stored.length >= 1);

  // Reload with the wasm held back: everything on screen comes from index.html and storage.
  p.hold();
  await page.reload();
  await paintedCard(page);
  assert.equal(await page.evaluate(() => typeof window.wasmBindings), "undefined", "no wasm yet");
  await page.locator("#prepaint .brand", { hasText: "水榭花都" }).waitFor();
  await page.getByRole("navigation", { name: "主菜单" }).waitFor();
  await page.getByRole("heading", { name: "我的诉求" }).waitFor();
  const painted = await page.$$eval("#prepaint li.card", (cards) =>
    cards.map((c) => ({ id: c.dataset.id, title: c.querySelector(".card-title").textContent, status: c.querySelector(".status").textContent }))
  );
  // Every open request (closed ones are read just after the first screen, by the app too).
  const ids = new Set(painted.map((c) => c.id));
  assert.deepEqual(stored.filter((c) => c.status !== "已办结" && !ids.has(c.id)), [], "every open request is painted");
  const ours = page.locator("#prepaint li.card", { hasText: title });
  assert.match(await ours.innerText(), /一般/);
  assert.match(await ours.innerText(), /已提交/);
  assert.match(await ours.innerText(), /还剩 4天23小时|还剩 4天22小时/);
  const before = await page.locator("#prepaint li.card").first().boundingBox();
  // Her unread garbage-sorting reminder is painted above them, as the app shows it.
  await page.locator("#prepaint [data-testid=reminder]", { hasText: "绿色桶" }).first().waitFor();
  // And the demo's coming events, as the app's card shows them.
  await page.locator("#prepaint [data-testid=my-events] [data-testid=my-event-link]").first().waitFor();
  const heading = await page.locator("#prepaint main > h2").boundingBox();
  await screenshot(p, "firstpaint-cards-without-wasm");

  // The wasm arrives: the app's own cards replace the painted ones, once each, where they were.
  await watchTakeOver(page, (c) => ({
    id: c.dataset.id,
    title: c.querySelector(".card-title").textContent,
    status: c.querySelector(".status").textContent,
  }));
  p.release();
  await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  assert.deepEqual(await page.evaluate(() => window.tookOver.cards), painted, "the app's first screen has the painted cards, in their order");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=request-card]").length >= n, stored.length);
  const after = await appCards();
  assert.equal(new Set(after.map((c) => c.id)).size, after.length, "no card twice");
  assert.equal(await page.locator("li.card").count(), after.length, "no painted card left");
  assert.equal(await page.locator("nav.tabbar").count(), 1);
  assert.equal(await page.locator("header.topbar").count(), 1);
  assert.equal(await page.locator("main").count(), 1);
  assert.deepEqual(await page.evaluate(() => window.tookOver.boxes), [before, heading], "the first card and the heading did not move");
  assert.equal(await shiftsAtTakeOver(page), 0, "no layout shift");
  await p.context.close();
});

test("a grid worker's queue paints in the queue's order, in English and elder mode, and the app takes it over in place", async () => {
  const p = await heldPhone("li", { init: () => (window.cardText = (c) => [c.dataset.id, c.querySelector(".chip").textContent, c.querySelector(".status").textContent, c.querySelector(".due").textContent.replace(/\d+ min/, "N min")].join(" | ")) });
  const { page } = p;
  await page.goto(relay.url + "/");
  await enrolAs(p, "GRDWRK78");
  // Some of the queue is stored (the rest may still be on its way: both paints read the same):
  // open requests of her grids, the ones her painted queue shows (the first ones stored may
  // all be resolved).
  await page.waitForFunction(() => document.querySelectorAll("[data-testid=request-card]").length >= 3, null, { timeout: 30_000 });
  await page.waitForFunction(storedOpenAtLeast, [3, ["7", "8"]], { polling: 100, timeout: 30_000 });
  await page.evaluate(() => {
    localStorage.setItem("linli.lang", "en");
    localStorage.setItem("linli.elder", "1");
  });
  p.hold();
  await page.reload();
  await paintedCard(page);
  await page.getByRole("heading", { name: "My grid queue" }).waitFor();
  await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: /Grid queue/ }).waitFor();
  assert.ok(await page.evaluate(() => document.body.classList.contains("elder")));
  const painted = await page.$$eval("#prepaint li.card", (cards) => cards.map(window.cardText));
  const box = await page.locator("#prepaint li.card").first().boundingBox();
  // What replaces the painted screen, read in the same task as the swap (the relay may send
  // more documents right after).
  await watchTakeOver(page, (c) => window.cardText(c));
  p.release();
  await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  const app = await page.evaluate(() => window.tookOver.cards);
  assert.ok(painted.length >= 3, `the queue has cards: ${painted.length}`);
  assert.deepEqual(painted, app.slice(0, 30), "the same cards, words and countdowns (to the minute's tick), in the queue's order");
  assert.deepEqual(await page.evaluate(() => window.tookOver.boxes[0]), box, "the first card did not move");
  assert.equal(await shiftsAtTakeOver(page), 0, "no layout shift");
  await p.context.close();
});

test("staff: the queue of every grid under a remembered filter, with the overdue line, paints as the app shows it", async () => {
  const p = await heldPhone("zhang", { init: () => (window.cardText = (c) => [c.dataset.id, c.querySelector(".chip").textContent, c.querySelector(".status").textContent, c.querySelector(".due").textContent.replace(/\d+分/, "N分")].join(" | ")) });
  const { page } = p;
  await page.goto(relay.url + "/");
  await enrolAs(p, "STAFFZH2");
  // An urgent request is shown and stored (the app shows a card as soon as its document
  // arrives; its summary reaches storage with the next write), and so is everything shown.
  const red = page.locator("[data-testid=request-card]", { has: page.locator(".chip.red") }).first();
  await red.waitFor({ timeout: 30_000 });
  const redId = await red.getAttribute("data-id");
  assert.ok(redId, "a request card carries its document id");
  await page.waitForFunction(isStored, redId, { polling: 100, timeout: 30_000 });
  const shown = await page.locator("[data-testid=request-card]").count();
  await page.waitForFunction(storedAtLeast, shown, { polling: 100, timeout: 30_000 });
  await page.evaluate(() => localStorage.setItem("linli.queue.filters", JSON.stringify({ colour: "red", status: "", category: "" })));
  p.hold();
  await page.reload();
  await paintedCard(page);
  await page.getByRole("heading", { name: "全部未办结诉求" }).waitFor();
  const painted = await page.$$eval("#prepaint li.card", (cards) => cards.map(window.cardText));
  const summary = await page.locator("#prepaint details.escalation summary").innerText();
  const colour = await page.locator("#prepaint #q-colour").evaluate((s) => s.selectedOptions[0].textContent);
  const box = await page.locator("#prepaint li.card").first().boundingBox();
  await watchTakeOver(page, (c) => window.cardText(c));
  p.release();
  await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
  assert.ok(painted.length >= 1 && painted.every((c) => c.includes("紧急")), painted.join("\n"));
  assert.deepEqual(painted, (await page.evaluate(() => window.tookOver.cards)).slice(0, 30));
  assert.equal(summary, await page.evaluate(() => window.tookOver.escalation));
  assert.equal(colour, "紧急");
  assert.deepEqual(await page.evaluate(() => window.tookOver.boxes[0]), box, "the first card did not move");
  assert.equal(await shiftsAtTakeOver(page), 0, "no layout shift");
  await p.context.close();
});

test("a merchant's shop score and a representative's action items from the talks paint before the wasm, and the app takes them over in place", async () => {
  // Whether what the card shows is stored (what the painted page reads): a merchant summary
  // whose subject is this phone's person, or a talk with an open action item they own. Any
  // summary of the kind is not enough: the app shows the card from the summaries it holds in
  // memory, a moment before the one it needs is written.
  const hasStored = (kind) =>
    new Promise((resolve) => {
      const req = indexedDB.open("linli");
      req.onerror = () => resolve(false);
      req.onsuccess = () => {
        const db = req.result;
        const tx = db.transaction(["meta", "index"]);
        let session = null;
        let all = [];
        tx.objectStore("meta").get("session").onsuccess = (e) => {
          try {
            session = JSON.parse(e.target.result);
          } catch {
            session = null;
          }
        };
        tx.objectStore("index").getAll().onsuccess = (e) => (all = e.target.result.map((s) => JSON.parse(s)));
        tx.oncomplete = () => {
          db.close();
          if (!session) return resolve(false);
          const me = session.person;
          resolve(
            all.some((s) =>
              kind === "merchant"
                ? s.kind === "merchant" && s.merchant && s.merchant.subject === me
                : s.kind === "talk" &&
                  (s.talk.items || []).some((i) => ((i.decision && i.decision.actions) || []).some((a) => a.owner === me && !a.done)),
            ),
          );
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          resolve(false);
        };
      };
    });
  // 吴春生 keeps a shop; 周德明 (owners' committee) carries out decisions of the talks.
  for (const [code, card, kind] of [["SHANGH26", "my-shop", "merchant"], ["YWHZHU26", "my-actions", "talk"]]) {
    const p = await heldPhone(code);
    const { page } = p;
    await page.goto(relay.url + "/");
    await enrolByCode(p, code);
    await goHome(p);
    await page.locator(`[data-testid=${card}]`).waitFor({ timeout: 30_000 });
    await page.waitForFunction(hasStored, kind, { polling: 100, timeout: 30_000 });
    const shown = await page.locator(`[data-testid=${card}] li`).allInnerTexts();
    p.hold();
    await page.reload();
    await paintedCard(page, `#prepaint [data-testid=${card}]`);
    assert.equal(await page.evaluate(() => typeof window.wasmBindings), "undefined", "no wasm yet");
    assert.deepEqual(await page.locator(`#prepaint [data-testid=${card}] li`).allInnerTexts(), shown, `${card}: painted as the app shows it`);
    const heading = await page.locator("#prepaint main > h2").boundingBox();
    await watchTakeOver(page, () => null);
    p.release();
    await page.locator("#prepaint").waitFor({ state: "detached", timeout: 30_000 });
    assert.deepEqual(await page.evaluate(() => window.tookOver.boxes[1]), heading, `${card}: the heading did not move`);
    assert.equal(await shiftsAtTakeOver(page), 0, `${card}: no layout shift`);
    await p.context.close();
  }
});

test("no page errors on any phone", () => {
  assert.deepEqual(
    [...pageErrors(), ...held.flatMap((p) => p.page.errors.map((e) => `${p.name}: ${e}`))],
    []
  );
});
