import assert from "node:assert/strict";
import { openNativeLibrary } from "../../../tasks/backends/native/_library.ts";
import { packConvParams } from "../../../tasks/backends/native/_abi.ts";

const hint = "install oneDNN with 'sudo apt-get install libdnnl-dev' (Homebrew: " +
  "'brew install onednn'), then run 'deno task setup' to build the shim";

Deno.test("openNativeLibrary() explains a missing library and how to install it", () => {
  const r = openNativeLibrary("/nonexistent/libcnnlab_native.so");
  assert.deepEqual(r, {
    ok: false,
    reason:
      `Cannot load the native backend as /nonexistent/libcnnlab_native.so does not exist: ${hint}`,
  });
});

Deno.test("openNativeLibrary() reports a file that is not a loadable library", () => {
  const path = Deno.makeTempFileSync({ suffix: ".so" });
  try {
    Deno.writeTextFileSync(path, "not a library");
    const r = openNativeLibrary(path);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.ok(r.reason.startsWith(`Cannot load the native backend from ${path} as `), r.reason);
      assert.ok(r.reason.endsWith(hint), r.reason);
    }
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("openNativeLibrary() loads the built shim and reports oneDNN's version", () => {
  const r = openNativeLibrary();
  assert.ok(r.ok, r.ok ? "" : r.reason);
  if (r.ok) {
    assert.match(r.library.onednnVersion, /^\d+\.\d+\.\d+$/);
    assert.ok(r.library.threads >= 1);
    r.library.close();
  }
});

Deno.test("a failing shim call throws the oneDNN message instead of crashing", () => {
  const r = openNativeLibrary();
  assert.ok(r.ok);
  if (!r.ok) return;
  // A 3x3 filter on a 1x1 input with no padding has no valid output: oneDNN rejects it.
  const p = packConvParams({
    n: 1,
    ih: 1,
    iw: 1,
    ic: 1,
    oh: 1,
    ow: 1,
    oc: 1,
    kh: 3,
    kw: 3,
    sh: 1,
    sw: 1,
    dh: 1,
    dw: 1,
    padTop: 0,
    padLeft: 0,
    padBottom: 0,
    padRight: 0,
    groups: 1,
    hasBias: 0,
    activation: 0,
    alpha: 0,
  });
  const status = r.library.symbols.cn_conv_fwd(
    p,
    new Float32Array(1),
    new Float32Array(9),
    new Float32Array(1),
    new Float32Array(1),
  );
  assert.equal(status, -1);
  assert.throws(
    () => r.library.check(status),
    /^Error: Native backend kernel failed in conv2d forward: oneDNN status/,
  );
  r.library.close();
});

Deno.test("registerNativeBackend() without --allow-ffi says which flags to add", async () => {
  const script = new URL("./_print_registration.ts", import.meta.url).pathname;
  const config = new URL("../../../deno.json", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "--allow-read", "--allow-env", "--allow-run", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
  assert.equal(result.ok, false);
  assert.match(result.reason, /^Cannot load the native backend from .*libcnnlab_native\.so as /);
  assert.ok(
    result.reason.endsWith(": run with --allow-read --allow-ffi --allow-env --allow-run (or -A)"),
    result.reason,
  );
});

Deno.test("registerNativeBackend() without the library gives the install command", async () => {
  const script = new URL("./_print_registration.ts", import.meta.url).pathname;
  const config = new URL("../../../deno.json", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "-A", script],
    env: { CNNLAB_NATIVE_LIB: "/nonexistent/libcnnlab_native.so" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
  assert.deepEqual(result, {
    ok: false,
    reason:
      `Cannot load the native backend as /nonexistent/libcnnlab_native.so does not exist: ${hint}`,
  });
});

Deno.test("build_native.sh skips the compile when the library carries the sources' build id", async () => {
  const script =
    new URL("../../../tasks/backends/native/build_native.sh", import.meta.url).pathname;
  const run = () => new Deno.Command("bash", { args: [script], stdout: "piped" }).output();
  assert.equal((await run()).code, 0); // compiles only if a source changed since the last build
  const again = await run();
  assert.equal(again.code, 0);
  assert.match(
    new TextDecoder().decode(again.stdout),
    /^native backend: .*libcnnlab_native\.so is up to date \(build [0-9a-f]{64}\)\n$/,
  );
});
