import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import {
  BACKEND_NAMES,
  backendSchema,
  resolveBackend,
  useBackend,
} from "../../tasks/backends/mod.ts";

Deno.test("backendSchema accepts the six backend names and rejects others", () => {
  assert.deepEqual([...BACKEND_NAMES], ["auto", "tensorflow", "webgpu", "wasm", "cpu", "native"]);
  for (const name of BACKEND_NAMES) assert.equal(backendSchema.parse(name), name);
  assert.equal(backendSchema.safeParse("gpu").success, false);
});

Deno.test("useBackend() rejects an unknown name, listing the valid ones", async () => {
  await assert.rejects(
    useBackend("gpu"),
    new Error(
      "Cannot use backend 'gpu': valid names are auto, tensorflow, webgpu, wasm, cpu, native",
    ),
  );
});

Deno.test("useBackend('wasm') starts threaded XNNPACK wasm with the training kernels", async () => {
  const choice = await useBackend("wasm", { wasmThreads: 2 });
  assert.equal(choice.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.match(choice.detail, /^XNNPACK SIMD, \d threads?, composed conv gradients$/);
  assert.equal(tf.getKernel("Conv2DBackpropFilter", "wasm")?.kernelName, "Conv2DBackpropFilter");
  assert.notEqual(tf.getKernel("DepthwiseConv2dNativeBackpropFilter", "wasm"), undefined);
  // The global patches made while the threads started are undone.
  assert.equal(globalThis.Worker.name, "Worker");
});

Deno.test("useBackend('cpu') switches to the cpu backend and says it is slow", async () => {
  const choice = await useBackend("cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.deepEqual(choice, {
    name: "cpu",
    detail: "tfjs-backend-cpu (pure JS, slow: for tiny tests)",
  });
});

Deno.test("asking for tensorflow when tfjs-node is not installed fails with the install command", async () => {
  await assert.rejects(
    resolveBackend("tensorflow"),
    (e: Error) => {
      assert.match(e.message, /^Cannot use backend 'tensorflow' as tfjs-node is not available \(/);
      assert.match(e.message, /@tensorflow\/tfjs-node-gpu is not in the imports of deno.json/);
      assert.match(e.message, /deno install --allow-scripts=npm:@tensorflow\/tfjs-node$/);
      return true;
    },
  );
});

Deno.test("auto never picks a software WebGPU adapter and says why it skipped each backend", async () => {
  const choice = await resolveBackend("auto");
  assert.notEqual(choice.name, "tensorflow");
  assert.ok(choice.skipped !== undefined && choice.skipped.length >= 3, JSON.stringify(choice));
  assert.match(choice.skipped[0], /^tensorflow: @tensorflow\/tfjs-node-gpu is not in the imports/);
  const webgpu = choice.skipped.find((s) => s.startsWith("webgpu: "));
  if ((navigator as { gpu?: unknown }).gpu === undefined) {
    assert.equal(webgpu, "webgpu: navigator.gpu is missing: run deno with --unstable-webgpu");
  } else if (webgpu !== undefined) {
    // On machines without a GPU (CI: Mesa llvmpipe) the adapter is skipped as software.
    assert.match(
      webgpu,
      /^webgpu: (the only WebGPU adapter is a software one \(.+\)|no WebGPU adapter found)/,
    );
  }
  assert.ok(["webgpu", "native", "wasm"].includes(choice.name), choice.name);
});

Deno.test("webgpu asked for by name accepts the llvmpipe software adapter", async () => {
  if ((navigator as { gpu?: unknown }).gpu === undefined) {
    await assert.rejects(
      resolveBackend("webgpu"),
      new Error(
        "Cannot use backend 'webgpu': navigator.gpu is missing: run deno with --unstable-webgpu",
      ),
    );
    return;
  }
  const choice = await resolveBackend("webgpu");
  assert.equal(choice.name, "webgpu");
  assert.ok(choice.detail.length > 0);
});

Deno.test("a process that started the threaded wasm backend exits on its own", async () => {
  const script = `import { useBackend } from "${
    new URL("../../tasks/backends/mod.ts", import.meta.url).href
  }";
console.log((await useBackend("wasm", { wasmThreads: 2 })).detail);`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", new URL("../../deno.json", import.meta.url).pathname, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const { code, stdout } = await child.output();
  clearTimeout(timer);
  assert.equal(code, 0, "the child was killed after 30 s: XNNPACK's pthread workers kept it alive");
  assert.equal(
    new TextDecoder().decode(stdout).trim(),
    "XNNPACK SIMD, 2 threads, composed conv gradients",
  );
});
