/**
 * Entry point: `deno task pipeline <config>` / `deno task status <config>`.
 * @module
 */
// Quiets TF.js's banner here; `project.stageSetup` does the same in every stage process.
import "./quiet_tfjs.ts";
import { runCli } from "../pipelines/cli/cli.ts";
import { project } from "./project.ts";

if (import.meta.main) {
  Deno.exit(await runCli(project, Deno.args));
}
