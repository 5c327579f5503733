/**
 * `deno task dag <config.yaml> [--out FILE.svg|FILE.png]`: draws the stage graph of a config
 * (data → split → train/evaluate per run → report) without running anything — the picture
 * report.md links in its appendix. Without --out the SVG goes to stdout.
 * @module
 */
import { parseArgs } from "node:util";
import { env } from "@tensorflow/tfjs-core";
import { ConfigError } from "../pipelines/config/config_error.ts";
import { cacheLayout, resolveCacheDir } from "../pipelines/cache/cache_layout.ts";
import { planPipeline } from "../pipelines/graph/plan_pipeline.ts";
import { project } from "./project.ts";
import { stageGraphSvg } from "./report/figures/stage_graph_svg.ts";
import { renderPng } from "./report/render_png.ts";
import { stageGraphParam } from "./report/stage_graph_param.ts";

const USAGE = "usage: deno task dag <config.yaml> [--out FILE.svg|FILE.png]";

/**
 * Runs the command.
 * @returns the exit code: 0 ok, 2 bad arguments or config (the message says which)
 */
export async function dagCli(
  args: readonly string[],
  out: (text: string) => void = (t) => Deno.stdout.writeSync(new TextEncoder().encode(t)),
  err: (text: string) => void = (t) => console.error(t),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { out: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    out(`${USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    err(
      `Cannot draw the stage graph as one config file is needed: got ${parsed.positionals.length}\n${USAGE}`,
    );
    return 2;
  }
  const file = parsed.positionals[0];
  const target = parsed.values.out;
  if (target !== undefined && !/\.(svg|png)$/i.test(target)) {
    err(`Cannot write the stage graph to ${target} as it must end in .svg or .png\n${USAGE}`);
    return 2;
  }
  let svg: string;
  try {
    // The planner may keep file digests under the cache folder (as `deno task pipeline` does).
    const cacheDir = cacheLayout(resolveCacheDir(undefined)).root;
    const plan = await planPipeline(project, [file], { cacheDir });
    svg = stageGraphSvg(stageGraphParam(plan.stages), `Stage graph of ${plan.configs[0].name}`);
  } catch (error) {
    // A bad config (ConfigError) or a planner refusal (a backend this machine lacks).
    if (!(error instanceof Error)) throw error;
    err(error instanceof ConfigError ? error.message : error.message);
    return 2;
  }
  if (target === undefined) out(svg);
  else if (target.toLowerCase().endsWith(".png")) {
    await Deno.writeFile(target, (await renderPng(svg, { name: "the stage graph" })).png);
  } else await Deno.writeTextFile(target, svg);
  if (target !== undefined) err(`wrote ${target}`);
  return 0;
}

if (import.meta.main) {
  env().set("PROD", true);
  Deno.exit(await dagCli(Deno.args));
}
