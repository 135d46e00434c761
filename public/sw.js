// Linli's service worker: precaches the app shell listed at build time (tools/postbuild.mjs
// fills in the list and the version), so the app opens with no network at all. A new version
// installs in the background and waits; the page offers to reload and sends SKIP_WAITING only
// when the person agrees. Sync (/sync) and the API (/api/) always go to the network.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = "linli-shell-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    // Hashed files never change: whatever the browser just fetched for the page will do.
    // The rest (the page, the manifest, icons) is revalidated so a new version is whole.
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(PRECACHE.map((u) => new Request(u, { cache: /-[0-9a-f]{16}[._]/.test(u) ? "default" : "no-cache" })))
      )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("linli-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/sync") return;
  if (req.mode === "navigate") {
    // The shell is the same for every route: serve it from the cache, offline or not.
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match("/index.html").then((hit) => hit || fetch(req)))
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(req).then((hit) => hit || fetch(req)))
  );
});
