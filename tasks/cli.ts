/**
 * Entry point: `deno task pipeline <config>` / `deno task status <config>`.
 * @module
 */
import { env } from "@tensorflow/tfjs-core";
import { runCli } from "../pipelines/cli/cli.ts";
import { project } from "./project.ts";

if (import.meta.main) {
  // tfjs prints advice to install tfjs-node on the first cpu/native tensor when it sees Node
  // APIs; the backend choice is already printed and explained per stage, so production mode
  // keeps that noise out of the log.
  env().set("PROD", true);
  Deno.exit(await runCli(project, Deno.args));
}
