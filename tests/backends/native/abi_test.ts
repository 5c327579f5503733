import assert from "node:assert/strict";
import { ABI_VERSION } from "../../../tasks/backends/native/_abi.ts";
import {
  ABI_MODULE,
  generatedAbiModule,
  parseAbi,
} from "../../../tasks/backends/native/gen_abi.ts";
import { openNativeLibrary } from "../../../tasks/backends/native/_library.ts";

Deno.test("_abi.ts is what gen_abi.ts generates from src/cn_abi.h", async () => {
  const onDisk = await Deno.readTextFile(ABI_MODULE);
  assert.equal(
    onDisk,
    await generatedAbiModule(),
    "src/cn_abi.h changed: run 'deno run -A tasks/backends/native/gen_abi.ts'",
  );
});

Deno.test("parseAbi() reads enums, structs and declarations and names a line it cannot read", () => {
  const def = parseAbi([
    "#define CN_ABI_VERSION 7",
    "enum cn_color {",
    "  CN_COLOR_RED = 0,",
    "  CN_COLOR_DEEP_BLUE = 3,",
    "};",
    "typedef struct cn_box_params {",
    "  int32_t width;  // in pixels",
    "  int32_t shape[4];",
    "  float scale;",
    "} cn_box_params;",
    "int32_t cn_box(const cn_box_params* p, const float* x, float* y, float alpha);",
  ].join("\n"));
  assert.deepEqual(def.defines, [["ABI_VERSION", 7]]);
  assert.deepEqual(def.enums, [{ cName: "cn_color", members: [["RED", 0], ["DEEP_BLUE", 3]] }]);
  assert.deepEqual(def.structs[0].fields.map((f) => [f.name, f.type, f.count]), [
    ["width", "int32_t", 1],
    ["shape", "int32_t", 4],
    ["scale", "float", 1],
  ]);
  assert.deepEqual(def.functions[0].params.map((p) => p.ffi), [
    "buffer",
    "buffer",
    "buffer",
    "f32",
  ]);
  assert.throws(
    () => parseAbi("enum cn_x {\n  RED = 0,\n};"),
    {
      message: "Cannot read src/cn_abi.h:2 as an enum member CN_X_NAME = <int>,: 'RED = 0,'",
    },
  );
  assert.throws(
    () => parseAbi("int64_t cn_f(int32_t n);"),
    { message: /^Cannot read src\/cn_abi\.h:1 as none of the forms the generator reads/ },
  );
});

Deno.test("the built library reports the ABI version of the header", () => {
  const r = openNativeLibrary();
  assert.ok(r.ok, r.ok ? "" : r.reason);
  if (!r.ok) return;
  assert.equal(r.library.symbols.cn_abi_version(), ABI_VERSION);
  r.library.close();
});

/** Compiles a stand-in library from `source` (no oneDNN: milliseconds) and hands its path to `body`. */
async function withFakeLibrary(source: string, body: (path: string) => void): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/fake.cpp`, source);
    const out = await new Deno.Command("g++", {
      args: ["-shared", "-fPIC", `${dir}/fake.cpp`, "-o", `${dir}/libfake.so`],
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    body(`${dir}/libfake.so`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a library of another ABI version is refused with the command that rebuilds it", async () => {
  const source = `extern "C" int cn_abi_version() { return ${ABI_VERSION + 1}; }`;
  await withFakeLibrary(source, (path) => {
    const r = openNativeLibrary(path);
    assert.deepEqual(r, {
      ok: false,
      reason: `Cannot load the native backend from ${path} as it was built for ABI version ` +
        `${ABI_VERSION + 1} and this code needs version ${ABI_VERSION}: rebuild it with ` +
        `'bash tasks/backends/native/build_native.sh --out ${path}'`,
    });
  });
});

Deno.test("a library from before ABI versions is refused as version 1", async () => {
  await withFakeLibrary(`extern "C" int cn_version() { return 20603; }`, (path) => {
    const r = openNativeLibrary(path);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.reason, /as it was built for ABI version 1 and this code needs version \d+: /);
    }
  });
});
