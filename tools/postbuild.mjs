// Trunk post_build hook. Runs in the staging directory before it replaces dist/:
// 0. makes the first screen paint from index.html alone: inlines the stylesheet, puts the
//    prerendered enrolment page (app/firstpaint.html) and its inline script (app/firstpaint.js)
//    at the top of <body>, drops Trunk's preloads of the JS and the wasm, and replaces its module
//    loader with one that starts after the first paint (after `load`, on the next frame);
// 1. fills the service worker's precache list and version (a hash of every precached byte,
//    so any change to the app makes a new worker);
// 2. writes brotli and gzip copies of compressible files, which the relay serves as-is.
import { readdirSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) throw new Error("TRUNK_STAGING_DIR is not set: run this as a Trunk hook");
const base = process.env.TRUNK_PUBLIC_URL || "/";
const appDir = process.env.TRUNK_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), "..", "app");

// ---------------------------------------------------------------- 0. first paint
{
  const pagePath = join(stage, "index.html");
  let page = readFileSync(pagePath, "utf8");
  const tags = (re) => page.match(re) || [];
  // The stylesheet, inlined (it is the only render-blocking resource, and small).
  for (const tag of tags(/<link\b[^>]*\brel="?stylesheet"?[^>]*>/gi)) {
    const m = /\bhref=(?:"([^"]+)"|'([^']+)'|([^\s>]+))/.exec(tag);
    const href = m && (m[1] ?? m[2] ?? m[3]);
    if (!href || /^(https?:)?\/\//.test(href)) continue;
    const file = join(stage, href.replace(base, "").replace(/^\//, ""));
    const css = readFileSync(file, "utf8").trim();
    page = page.replace(tag, () => `<style>${css}</style>`);
    rmSync(file);
  }
  // Nothing competes with the first paint: no preload of the JS or the wasm.
  for (const tag of tags(/<link\b[^>]*\brel="?(?:modulepreload|preload)"?[^>]*>/gi)) page = page.replace(tag, "");
  // Trunk's loader (`import init … from '/x.js'; await init({ module_or_path: '/x.wasm' })`)
  // becomes a classic script that imports the same two files once the page has painted.
  const loader = /<script\b[^>]*type=["']?module["']?[^>]*>([\s\S]*?)<\/script>/i.exec(page);
  if (!loader) throw new Error("postbuild: Trunk's module loader not found in index.html");
  const js = /from\s*['"]([^'"]+\.js)['"]/.exec(loader[1])?.[1];
  const wasm = /module_or_path:\s*['"]([^'"]+\.wasm)['"]/.exec(loader[1])?.[1];
  if (!js || !wasm) throw new Error("postbuild: cannot read the JS and wasm names from Trunk's loader");
  const start =
    `(function(){function go(){import(${JSON.stringify(js)}).then(function(m){return m.default({module_or_path:${JSON.stringify(wasm)}})` +
    `.then(function(w){window.wasmBindings=m;dispatchEvent(new CustomEvent("TrunkApplicationStarted",{detail:{wasm:w}}))})})}` +
    `function later(){requestAnimationFrame(function(){setTimeout(go,0)})}` +
    `document.readyState==="complete"?later():addEventListener("load",later)})();`;
  page = page.replace(loader[0], () => `<script>${start}</script>`);
  // The prerendered first screen and the script that completes it, first in <body>.
  const markup = readFileSync(join(appDir, "firstpaint.html"), "utf8")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/>\s+</g, "><")
    .trim();
  const script = readFileSync(join(appDir, "firstpaint.js"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("//"))
    .join("\n");
  if (!/<body[^>]*>/i.test(page)) throw new Error("postbuild: no <body> in index.html");
  page = page.replace(/<body[^>]*>/i, (b) => `${b}${markup}<script>${script}</script>`);
  writeFileSync(pagePath, page);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(stage)
  .map((p) => relative(stage, p).split("\\").join("/"))
  .filter((f) => !f.endsWith(".br") && !f.endsWith(".gz"))
  .sort();
const precache = files.filter(
  (f) => f !== "sw.js" && !f.endsWith(".map") && f !== "icons/apple-touch-icon.png"
);
const hash = createHash("sha256");
for (const f of precache) hash.update(f).update(readFileSync(join(stage, f)));
const version = hash.digest("hex").slice(0, 16);

const swPath = join(stage, "sw.js");
const sw = readFileSync(swPath, "utf8")
  .replace("__PRECACHE__", JSON.stringify(precache.map((f) => base + f)))
  .replace("__VERSION__", version);
writeFileSync(swPath, sw);

const compressible = /\.(js|wasm|css|html|webmanifest|json|svg|txt)$/;
let raw = 0, br = 0, gz = 0;
for (const f of walk(stage).map((p) => relative(stage, p))) {
  if (!compressible.test(f)) continue;
  const p = join(stage, f);
  const data = readFileSync(p);
  const b = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  const g = gzipSync(data, { level: 9 });
  writeFileSync(p + ".br", b);
  writeFileSync(p + ".gz", g);
  raw += data.length; br += b.length; gz += g.length;
}
writeFileSync(
  join(stage, "build-info.json"),
  JSON.stringify({ version, files: precache, bytes: { raw, gzip: gz, brotli: br } }, null, 1)
);
console.log(`postbuild: ${precache.length} files precached, version ${version}; raw ${raw} B, gzip ${gz} B, brotli ${br} B`);
