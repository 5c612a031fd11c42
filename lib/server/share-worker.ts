/** Worker-thread entry for prepareShare (see worker-pool.ts). Node-only. */
import { parentPort } from "node:worker_threads";
import { prepareShare } from "./share-prepare";

parentPort?.on("message", (msg: { id: number; text: string }) => {
  let result;
  try {
    result = prepareShare(msg.text);
  } catch {
    result = { ok: false as const, status: 500, error: "The share could not be prepared." };
  }
  parentPort!.postMessage({ id: msg.id, result });
});
parentPort?.postMessage({ ready: true });
