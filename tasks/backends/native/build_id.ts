/**
 * The identity of a native build: SHA-256 over the shim's sources and the compiler command line,
 * computed here exactly as build_native.sh computes it before compiling it into the library
 * (`cn_build_id()`), so a library built from other sources or flags is recognized before use.
 *
 * The hashed text: `cnnlab-native-build 1\n`, then for every regular file of `src/` sorted by
 * name `file <name> <bytes>\n<content>\n`, then `compiler <path>\n`, `version <first line of
 * its --version>\n` and `flags <flags>\n` (src/build_flags.txt without comments, then
 * $CNNLAB_NATIVE_CXXFLAGS, one space apart).
 * @module
 */
import { createHash } from "node:crypto";
import { envVar } from "./_library.ts";

/** The folder build_native.sh compiles by default. */
export const NATIVE_SOURCE_DIR: string = new URL("./src/", import.meta.url).pathname;

/** The flags file's name inside the source folder (the flags' only home). */
export const BUILD_FLAGS_FILE = "build_flags.txt";

/** Words of a flags text: `#` comments dropped, split on whitespace. */
export function parseBuildFlags(text: string): string[] {
  return text.split("\n").map((l) => l.replace(/#.*/, "")).join(" ").split(/\s+/).filter((w) =>
    w !== ""
  );
}

/**
 * The compiler build_native.sh runs: `$CXX` or `g++`, looked up on PATH as the shell's
 * `command -v` does, and the first line of its `--version`.
 * @throws Error when it cannot be found or run.
 */
export async function nativeCompiler(): Promise<{ path: string; version: string }> {
  const name = envVar("CXX") || "g++";
  const path = name.includes("/") ? name : findOnPath(name);
  if (path === null) {
    throw new Error(
      `Cannot compute the native build id as the compiler '${name}' is not on PATH: install one ` +
        `with 'sudo apt-get install g++'`,
    );
  }
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(path, { args: ["--version"], stdout: "piped", stderr: "null" })
      .output();
  } catch (e) {
    throw new Error(
      `Cannot compute the native build id as '${path} --version' could not run: ${
        e instanceof Error ? e.message : String(e)
      }`,
    );
  }
  const version = new TextDecoder().decode(out.stdout).split("\n")[0];
  return { path, version };
}

function findOnPath(name: string): string | null {
  for (const dir of (envVar("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const info = Deno.statSync(`${dir}/${name}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return `${dir}/${name}`;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/**
 * The build id that build_native.sh would compile into a library built now from `sourceDir`
 * (default: the shim's own src/) with the current compiler and flags.
 * @throws Error when the sources cannot be read or the compiler cannot be run.
 */
export async function nativeSourceBuildId(sourceDir: string = NATIVE_SOURCE_DIR): Promise<string> {
  const dir = sourceDir.endsWith("/") ? sourceDir : `${sourceDir}/`;
  const names = [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash("sha256");
  hash.update("cnnlab-native-build 1\n");
  let flagsText = "";
  for (const name of names) {
    const content = await Deno.readFile(`${dir}${name}`);
    hash.update(`file ${name} ${content.length}\n`);
    hash.update(content);
    hash.update("\n");
    if (name === BUILD_FLAGS_FILE) flagsText = new TextDecoder().decode(content);
  }
  const { path, version } = await nativeCompiler();
  const flags = [
    ...parseBuildFlags(flagsText),
    ...parseBuildFlags(envVar("CNNLAB_NATIVE_CXXFLAGS") ?? ""),
  ];
  hash.update(`compiler ${path}\nversion ${version}\nflags ${flags.join(" ")}\n`);
  return hash.digest("hex");
}

const MARKER = "cnnlab-build-id:";

/**
 * The build id compiled into the library at `path` (read from the file, without loading it), or
 * null when the file has none (a library from before build ids, or not the shim at all).
 * @throws Error when the file cannot be read.
 */
export function readLibraryBuildId(path: string): string | null {
  const bytes = Deno.readFileSync(path);
  const marker = new TextEncoder().encode(MARKER);
  outer: for (let i = bytes.indexOf(marker[0]); i >= 0; i = bytes.indexOf(marker[0], i + 1)) {
    for (let k = 1; k < marker.length; k++) if (bytes[i + k] !== marker[k]) continue outer;
    const id = new TextDecoder().decode(bytes.subarray(i + marker.length, i + marker.length + 64));
    if (/^[0-9a-f]{64}$/.test(id)) return id;
  }
  return null;
}
