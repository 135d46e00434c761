// The JS reference relay for the benchmarks: @automerge/automerge-repo 2.5.6 with its WebSocket
// server adapter and on-disk storage, as an automerge-repo deployment would run it.
//   node bench/js-relay.mjs PORT DATA_DIR
import { WebSocketServer } from "ws";
import { Repo } from "@automerge/automerge-repo";
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";

const [port = "0", dir = "js-relay-data"] = process.argv.slice(2);
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(port) });
new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "js-relay",
  // A relay: it keeps and forwards what peers send or ask for, and announces nothing.
  sharePolicy: async () => false,
});
// The adapter attaches its connection handler only once the repo has read its storage id, and
// connections accepted before that are silently ignored; announce the port only after it has.
wss.on("listening", function announce() {
  if (wss.listenerCount("connection") === 0) return setTimeout(announce, 10);
  console.log(`listening ${wss.address().port}`);
});
process.on("SIGTERM", () => process.exit(0));
