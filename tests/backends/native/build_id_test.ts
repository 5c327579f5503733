import assert from "node:assert/strict";
import {
  NATIVE_SOURCE_DIR,
  nativeSourceBuildId,
  parseBuildFlags,
  readLibraryBuildId,
} from "../../../tasks/backends/native/build_id.ts";
import { ensureNativeLibrary } from "../../../tasks/backends/native/_ensure_library.ts";
import { defaultLibraryPath, openNativeLibrary } from "../../../tasks/backends/native/_library.ts";

/**
 * A temp copy of the shim's sources (`dir`) and a path for a library beside it (`lib`, outside
 * the sources), removed after `body`.
 */
async function withSourceCopy(body: (dir: string, lib: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-native-" });
  const dir = `${root}/src`;
  try {
    await Deno.mkdir(dir);
    for (const e of Deno.readDirSync(NATIVE_SOURCE_DIR)) {
      if (e.isFile) await Deno.copyFile(`${NATIVE_SOURCE_DIR}${e.name}`, `${dir}/${e.name}`);
    }
    await body(dir, `${root}/libcopy.so`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("the built library carries the build id its sources and flags give", async () => {
  const expected = await nativeSourceBuildId();
  assert.match(expected, /^[0-9a-f]{64}$/);
  assert.equal(readLibraryBuildId(defaultLibraryPath()), expected);
  const r = openNativeLibrary();
  assert.ok(r.ok, r.ok ? "" : r.reason);
  if (r.ok) {
    assert.equal(r.library.buildId, expected);
    r.library.close();
  }
});

Deno.test("parseBuildFlags() drops comments and splits on whitespace", () => {
  assert.deepEqual(parseBuildFlags("# why\n-O3 -fopenmp  # inline\n\n\t-ldnnl\n"), [
    "-O3",
    "-fopenmp",
    "-ldnnl",
  ]);
});

Deno.test("editing a source file, the flags file or the extra flags changes the build id", async () => {
  const original = await nativeSourceBuildId();
  await withSourceCopy(async (dir) => {
    assert.equal(await nativeSourceBuildId(dir), original, "a copy has the same id");
    await Deno.writeTextFile(`${dir}/conv.cpp`, "// a comment\n", { append: true });
    const edited = await nativeSourceBuildId(dir);
    assert.notEqual(edited, original);
    await Deno.writeTextFile(`${dir}/build_flags.txt`, "-DCNNLAB_TEST_FLAG\n", { append: true });
    const flagged = await nativeSourceBuildId(dir);
    assert.notEqual(flagged, edited);
  });
  const before = Deno.env.get("CNNLAB_NATIVE_CXXFLAGS");
  Deno.env.set("CNNLAB_NATIVE_CXXFLAGS", "-DCNNLAB_TEST_FLAG");
  try {
    assert.notEqual(await nativeSourceBuildId(), original);
  } finally {
    if (before === undefined) Deno.env.delete("CNNLAB_NATIVE_CXXFLAGS");
    else Deno.env.set("CNNLAB_NATIVE_CXXFLAGS", before);
  }
});

Deno.test("a stale library is refused with the command that rebuilds it", async () => {
  await withSourceCopy(async (dir, lib) => {
    await Deno.writeTextFile(`${dir}/unary.cpp`, "// edited\n", { append: true });
    await Deno.copyFile(defaultLibraryPath(), lib);
    const built = readLibraryBuildId(lib)!;
    const expected = await nativeSourceBuildId(dir);
    const r = await ensureNativeLibrary({ libraryPath: lib, sourceDir: dir, rebuild: false });
    assert.deepEqual(r, {
      ok: false,
      reason: `Cannot use the native backend as ${lib} was built from other sources or flags ` +
        `(build ${built.slice(0, 12)}, sources ${expected.slice(0, 12)}): rebuild it with ` +
        `'bash tasks/backends/native/build_native.sh --out ${lib} --src ${dir}'`,
    });
  });
});

Deno.test("a stale library whose rebuild fails is refused with the compiler's complaint", async () => {
  await withSourceCopy(async (dir, lib) => {
    await Deno.writeTextFile(`${dir}/build_flags.txt`, "--no-such-flag\n", { append: true });
    await Deno.copyFile(defaultLibraryPath(), lib);
    const lines: string[] = [];
    const r = await ensureNativeLibrary({
      libraryPath: lib,
      sourceDir: dir,
      log: (l) => lines.push(l),
    });
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^native backend: .* was built from other sources or flags .*; rebuilding with 'bash tasks\/backends\/native\/build_native\.sh --out /,
    );
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(
        r.reason,
        /and rebuilding it failed \(.*no-such-flag.*\): fix that, then run 'bash tasks\/backends\/native\/build_native\.sh --out /,
      );
    }
  });
});

Deno.test("a stale library is rebuilt from its sources, then carries their id", async () => {
  await withSourceCopy(async (dir, lib) => {
    await Deno.writeTextFile(`${dir}/pad.cpp`, "// edited\n", { append: true });
    await Deno.copyFile(defaultLibraryPath(), lib);
    const expected = await nativeSourceBuildId(dir);
    const lines: string[] = [];
    const r = await ensureNativeLibrary({
      libraryPath: lib,
      sourceDir: dir,
      log: (l) => lines.push(l),
    });
    assert.deepEqual(r, { ok: true, path: lib, buildId: expected, rebuilt: true });
    assert.equal(lines.length, 1);
    assert.equal(readLibraryBuildId(lib), expected);
    const opened = openNativeLibrary(lib);
    assert.ok(opened.ok, opened.ok ? "" : opened.reason);
    if (opened.ok) {
      assert.equal(opened.library.buildId, expected);
      opened.library.close();
    }
    const again = await ensureNativeLibrary({ libraryPath: lib, sourceDir: dir });
    assert.deepEqual(again, { ok: true, path: lib, buildId: expected, rebuilt: false });
  });
});

/** registerNativeBackend()'s outcome in a fresh process with `env`. */
async function registrationWith(env: Record<string, string>): Promise<Record<string, unknown>> {
  const script = new URL("./_print_registration.ts", import.meta.url).pathname;
  const config = new URL("../../../deno.json", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "-A", script],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

Deno.test("registerNativeBackend() reports the build id and honours CNNLAB_THREADS", async () => {
  const r = await registrationWith({ CNNLAB_THREADS: "1" });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.buildId, await nativeSourceBuildId());
  assert.equal(r.threads, 1);
  const bad = await registrationWith({ CNNLAB_THREADS: "two" });
  assert.deepEqual(bad, {
    ok: false,
    reason: "Cannot use CNNLAB_THREADS=two: it must be a positive integer (threads per process)",
  });
});
