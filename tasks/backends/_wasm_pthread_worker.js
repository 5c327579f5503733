// Runs one Emscripten pthread of tfjs-backend-wasm's threaded SIMD build inside a Deno
// node:worker_threads worker. Emscripten's worker script expects a browser worker (self,
// postMessage, synchronous importScripts); Deno's node-compat workers have none of these and do
// have `process`, which would send the script down its Node path (require("worker_threads")).
// So both scripts run inside functions whose parameters shadow those names.
import { parentPort, workerData } from "node:worker_threads";

const scriptTexts = new Map();
const scope = {
  location: { href: "file:///tfjs-backend-wasm-pthread.js" },
  onmessage: null,
};
const post = (message, transfer) => parentPort.postMessage(message, transfer);
const importScripts = (url) => {
  const text = scriptTexts.get(String(url));
  if (text === undefined) throw new Error(`pthread worker: no script preloaded for ${url}`);
  const factory = new Function(
    "self",
    "postMessage",
    "importScripts",
    "process",
    "require",
    `${text}\nreturn WasmBackendModuleThreadedSimd;`,
  )(scope, post, importScripts, undefined, undefined);
  globalThis.WasmBackendModuleThreadedSimd = factory;
};

const queue = [];
let busy = false;
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const data = queue.shift();
    if (data && data.cmd === "load" && typeof data.urlOrBlob !== "string") {
      // The main script arrives as a Blob; read it now so importScripts can stay synchronous.
      const text = await data.urlOrBlob.text();
      const url = URL.createObjectURL(data.urlOrBlob);
      scriptTexts.set(url, text);
      data.urlOrBlob = url;
    }
    scope.onmessage({ data });
  }
  busy = false;
}

// The glue calls startWorker() as a global, as it would be in a browser worker.
globalThis.startWorker = (instance) => scope.startWorker(instance);

const workerSource = await (await fetch(workerData.script)).text();
new Function("self", "postMessage", "importScripts", "process", "require", workerSource)(
  scope,
  post,
  importScripts,
  undefined,
  undefined,
);
parentPort.on("message", (data) => {
  queue.push(data);
  pump();
});
