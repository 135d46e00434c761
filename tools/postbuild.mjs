// Trunk post_build hook. Runs in the staging directory before it replaces dist/:
// 1. fills the service worker's precache list and version (a hash of every precached byte,
//    so any change to the app makes a new worker);
// 2. writes brotli and gzip copies of compressible files, which the relay serves as-is.
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createHash } from "node:crypto";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) throw new Error("TRUNK_STAGING_DIR is not set: run this as a Trunk hook");
const base = process.env.TRUNK_PUBLIC_URL || "/";

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
