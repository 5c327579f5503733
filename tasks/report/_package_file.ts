/**
 * Finds a file inside an installed npm package (node_modules), for assets that are not
 * JavaScript modules: browser builds to inline, WASM binaries, fonts.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Looks for `node_modules/<pkg>/<file>` in this module's directory and every parent, as Node's
 * resolution does (the project uses `"nodeModulesDir": "auto"`).
 * @returns the absolute path
 * @throws Error when no node_modules holds the file, saying how to install it
 */
export function packageFile(pkg: string, file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "node_modules", pkg, file);
    try {
      Deno.statSync(candidate);
      return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `Cannot find ${pkg}/${file} in any node_modules above ${fileURLToPath(import.meta.url)}: ` +
      "run `deno install` in the project root",
  );
}
