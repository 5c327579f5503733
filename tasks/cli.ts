/**
 * Entry point: `deno task pipeline <config>` / `deno task status <config>`.
 * @module
 */
import { runCli } from "../pipelines/cli.ts";
import { project } from "./project.ts";

if (import.meta.main) {
  Deno.exit(await runCli(project, Deno.args));
}
