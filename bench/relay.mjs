// The relay under test for the Node benchmarks (bundle, Lighthouse): started on a free loopback
// port with a fresh data directory; `ready` resolves once it listens, so a watchdog can stop it
// even while it starts. Always stopped with `stopRelay` (the data directory goes with it).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function startRelay(SERVER, DIST, { demo = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), "linli-bench-"));
  const argv = ["--addr", "127.0.0.1:0", "--data", data, "--dist", DIST];
  if (demo) argv.push("--demo");
  const child = spawn(SERVER, argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } });
  const relay = { child, data, url: null };
  let out = "";
  relay.ready = new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`relay did not print its address within 60 s:\n${out}`)), 60_000);
    const onData = (buf) => {
      out += buf.toString();
      const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m && !relay.url) {
        clearTimeout(timer);
        relay.url = m[1];
        res(relay);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => (clearTimeout(timer), rej(new Error(`cannot start ${SERVER}: ${e.message}`))));
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      if (!relay.url) rej(new Error(`relay exited (${code ?? sig}) before listening:\n${out}`));
    });
  });
  return relay;
}

export function stopRelay(relay) {
  if (!relay) return Promise.resolve();
  return new Promise((res) => {
    const done = () => {
      rmSync(relay.data, { recursive: true, force: true });
      res();
    };
    if (relay.child.exitCode !== null || relay.child.signalCode !== null) return done();
    const hard = setTimeout(() => relay.child.kill("SIGKILL"), 5_000);
    relay.child.once("exit", () => (clearTimeout(hard), done()));
    relay.child.kill("SIGTERM");
  });
}
