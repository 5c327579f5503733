/**
 * Generates `_abi.ts` from `src/cn_abi.h`, the one definition of the shim's ABI: its version, the
 * operation enums, the parameter structs (with pack functions that lay them out as C does) and
 * the Deno FFI symbol table. `deno run -A tasks/backends/native/gen_abi.ts` rewrites the file;
 * tests/backends/native/abi_test.ts fails while it is out of date.
 * @module
 */

/** Where the header and the generated module live. */
export const ABI_HEADER = new URL("./src/cn_abi.h", import.meta.url);
export const ABI_MODULE = new URL("./_abi.ts", import.meta.url);

interface Field {
  name: string;
  type: "int32_t" | "float" | "ptr";
  /** Array length (int32_t fields only), else 1. */
  count: number;
}

interface Struct {
  cName: string;
  fields: Field[];
  pointers: boolean;
}

interface Param {
  name: string;
  ffi: "i32" | "f32" | "buffer";
  cType: string;
}

interface Func {
  name: string;
  result: "i32" | "pointer";
  params: Param[];
}

/** The parts of the header the generator understands. */
export interface AbiDefinition {
  defines: [string, number][];
  enums: { cName: string; members: [string, number][] }[];
  structs: Struct[];
  functions: Func[];
}

/** PascalCase of `cn_conv_params` → `ConvParams`. */
function pascal(cName: string): string {
  return cName.replace(/^cn_/, "").split("_").map((p) => p[0].toUpperCase() + p.slice(1)).join(
    "",
  );
}

/** camelCase of `pad_top` → `padTop`. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parses the subset of C that cn_abi.h is written in (see the header's own comment).
 * @throws Error naming the line the generator cannot read.
 */
export function parseAbi(header: string): AbiDefinition {
  const lines = header.split("\n").map((l) => l.replace(/\/\/.*$/, "").trim());
  const def: AbiDefinition = { defines: [], enums: [], structs: [], functions: [] };
  const fail = (i: number, why: string): never => {
    throw new Error(`Cannot read src/cn_abi.h:${i + 1} as ${why}: '${lines[i]}'`);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m: RegExpMatchArray | null;
    if (line === "" || line.startsWith("#pragma") || line.startsWith("#include")) continue;
    if (/^#(ifdef|endif|ifndef)/.test(line) || line === 'extern "C" {' || line === "}") continue;
    if ((m = line.match(/^#define (CN_[A-Z0-9_]+) (\d+)$/))) {
      def.defines.push([m[1].replace(/^CN_/, ""), Number(m[2])]);
    } else if ((m = line.match(/^enum (cn_[a-z0-9_]+) \{$/))) {
      const prefix = `${m[1].toUpperCase()}_`;
      const members: [string, number][] = [];
      for (i++; lines[i] !== "};"; i++) {
        if (lines[i] === "") continue;
        const e = lines[i].match(/^([A-Z0-9_]+) = (\d+),$/);
        if (!e || !e[1].startsWith(prefix)) fail(i, `an enum member ${prefix}NAME = <int>,`);
        members.push([e![1].slice(prefix.length), Number(e![2])]);
      }
      def.enums.push({ cName: m[1], members });
    } else if ((m = line.match(/^typedef struct (cn_[a-z0-9_]+) \{$/))) {
      const fields: Field[] = [];
      for (i++; !lines[i].startsWith("}"); i++) {
        if (lines[i] === "") continue;
        const f = lines[i].match(
          /^(int32_t|float|const float\*|float\*) ([a-z0-9_]+)(\[(\d+)\])?;$/,
        );
        if (!f || (f[3] && f[1] !== "int32_t")) fail(i, "a field of a supported type");
        const type = f![1].endsWith("*") ? "ptr" : f![1] as "int32_t" | "float";
        fields.push({ name: f![2], type, count: f![4] ? Number(f![4]) : 1 });
      }
      if (lines[i] !== `} ${m[1]};`) fail(i, `the end of struct ${m[1]}`);
      const pointers = fields.every((f) => f.type === "ptr");
      if (!pointers && fields.some((f) => f.type === "ptr")) {
        fail(i, `struct ${m[1]} mixing pointers and 4-byte fields`);
      }
      def.structs.push({ cName: m[1], fields, pointers });
    } else if ((m = line.match(/^(int32_t|const char\*) (cn_[a-z0-9_]+)\((.*)\);$/))) {
      const params: Param[] = [];
      if (m[3] !== "void") {
        for (const part of m[3].split(", ")) {
          const p = part.match(/^(.+?)\s?([a-z0-9_]+)$/);
          const cType = p?.[1].trim() ?? "";
          const ffi = cType === "int32_t"
            ? "i32"
            : cType === "float"
            ? "f32"
            : /^(const )?(int32_t|float|cn_[a-z0-9_]+)\*$/.test(cType)
            ? "buffer"
            : null;
          if (p === null || ffi === null) fail(i, `a parameter of a supported type ('${part}')`);
          params.push({ name: p![2], ffi: ffi!, cType });
        }
      }
      def.functions.push({ name: m[2], result: m[1] === "int32_t" ? "i32" : "pointer", params });
    } else {
      fail(i, "none of the forms the generator reads");
    }
  }
  return def;
}

function structSource(s: Struct): string {
  const name = pascal(s.cName);
  const members = s.fields.map((f) => {
    const type = f.type === "ptr" ? "Float32Array" : f.count > 1 ? "readonly number[]" : "number";
    return `  ${camel(f.name)}${f.type === "ptr" ? "?" : ""}: ${type};`;
  });
  const out = [
    `/** Fields of \`${s.cName}\`. */`,
    `export interface ${name} {`,
    ...members,
    `}`,
    "",
  ];
  if (s.pointers) {
    out.push(
      `/** \`${s.cName}\` as C lays it out: one address per field, 0 for an absent tensor. */`,
      `export function pack${name}(v: ${name}): BigUint64Array {`,
      `  const out = new BigUint64Array(${s.fields.length});`,
      ...s.fields.map((f, k) => `  out[${k}] = address(v.${camel(f.name)});`),
      `  return out;`,
      `}`,
    );
    return out.join("\n");
  }
  const words = s.fields.reduce((n, f) => n + f.count, 0);
  const body: string[] = [];
  let at = 0;
  for (const f of s.fields) {
    const key = camel(f.name);
    if (f.count > 1) {
      body.push(
        `  if (v.${key}.length > ${f.count}) throw new RangeError(\`${s.cName}.${f.name} holds at most ${f.count} values, got \${v.${key}.length}\`);`,
        `  i.set(v.${key}, ${at});`,
      );
    } else {
      body.push(`  ${f.type === "float" ? "f" : "i"}[${at}] = v.${key};`);
    }
    at += f.count;
  }
  const hasFloat = s.fields.some((f) => f.type === "float");
  out.push(
    `/** \`${s.cName}\` as C lays it out (${words} four-byte fields). */`,
    `export function pack${name}(v: ${name}): Int32Array {`,
    `  const i = new Int32Array(${words});`,
    ...(hasFloat ? [`  const f = new Float32Array(i.buffer);`] : []),
    ...body,
    `  return i;`,
    `}`,
  );
  return out.join("\n");
}

/** The TypeScript module for `header` (unformatted). */
export function abiModuleSource(header: string): string {
  const def = parseAbi(header);
  const out: string[] = [
    "// Generated from src/cn_abi.h by gen_abi.ts; do not edit (tests/backends/native/abi_test.ts",
    "// checks it is current). The header's comments document every item.",
    "",
  ];
  for (const [name, value] of def.defines) out.push(`export const ${name} = ${value};`);
  out.push("");
  for (const e of def.enums) {
    out.push(`/** \`enum ${e.cName}\`. */`);
    out.push(`export const ${pascal(e.cName)} = {`);
    for (const [k, v] of e.members) out.push(`  ${k}: ${v},`);
    out.push("} as const;", "");
  }
  if (def.structs.some((s) => s.pointers)) {
    out.push(
      "function address(t: Float32Array | undefined): bigint {",
      "  return t === undefined ? 0n : Deno.UnsafePointer.value(Deno.UnsafePointer.of(t as Float32Array<ArrayBuffer>));",
      "}",
      "",
    );
  }
  for (const s of def.structs) out.push(structSource(s), "");
  out.push("/** The shim's exported functions, as Deno.dlopen takes them. */");
  out.push("export const symbols = {");
  for (const f of def.functions) {
    const doc = f.params.map((p) => `${p.name}: ${p.cType}`).join(", ");
    out.push(`  /** (${doc}) */`);
    out.push(
      `  ${f.name}: { parameters: [${
        f.params.map((p) => `"${p.ffi}"`).join(", ")
      }], result: "${f.result}" },`,
    );
  }
  out.push("} as const satisfies Deno.ForeignLibraryInterface;", "");
  return out.join("\n");
}

/** The formatted module for the header on disk (what `_abi.ts` must contain). */
export async function generatedAbiModule(): Promise<string> {
  const source = abiModuleSource(await Deno.readTextFile(ABI_HEADER));
  const fmt = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "ts", "-"],
    cwd: new URL("../../../", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = fmt.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  const out = await fmt.output();
  if (!out.success) {
    throw new Error(
      `Cannot format the generated ABI module: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

if (import.meta.main) {
  await Deno.writeTextFile(ABI_MODULE, await generatedAbiModule());
  console.log(`wrote ${ABI_MODULE.pathname}`);
}
