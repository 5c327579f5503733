/**
 * What the planner adds to the report stage's params beyond the runs: the notes file's text
 * (so editing notes.md reruns the report, and only the report) and the stage graph to draw.
 * @module
 */
import { dirname, join } from "node:path";
import type { Json } from "../../pipelines/types.ts";
import { type GraphNodeLike, type StageGraph, stageGraphParam } from "./stage_graph_param.ts";

/** The part of a resolved config this needs. */
export interface ReportPlanConfig {
  name: string;
  /** The config file's path; `report.notes` is relative to its folder. */
  path: string;
  /** `report:` after validation. */
  report: Json;
}

/**
 * Builds `{ notes?: { file, text }, graph }` for the report stage of `config`. The notes are read
 * now; `graph` is a getter that describes the stages when first read (the report's key, its run):
 * `status` of a big sweep never does. Copy it with its property descriptors, not by spreading.
 * @param stages every stage the report depends on, directly or not
 * @param reportInputs the report stage's inputs (drawn as its incoming edges)
 * @throws Error when `report.notes` names a file that cannot be read, saying how to fix it
 */
export function reportPlanParams(
  config: ReportPlanConfig,
  stages: readonly GraphNodeLike[],
  reportInputs: Record<string, { id: string }>,
): { notes?: { file: string; text: string }; readonly graph: StageGraph } {
  let described: StageGraph | undefined;
  const graph = {
    get graph(): StageGraph {
      return described ??= stageGraphParam([
        ...stages,
        { id: `report:${config.name}`, kind: "report", inputs: reportInputs },
      ]);
    },
  };
  const option = (config.report as { notes?: string | { file: string } } | null)?.notes;
  if (option === undefined) return graph;
  const file = typeof option === "string" ? option : option.file;
  const path = join(dirname(config.path), file);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? `${path} does not exist: create it beside the config, or remove report.notes`
      : `${path} cannot be read: ${(error as Error).message}`;
    throw new Error(`Cannot read report.notes of ${config.path} as ${why}`);
  }
  return Object.defineProperties(
    { notes: { file, text } },
    Object.getOwnPropertyDescriptors(graph),
  ) as { notes: { file: string; text: string } } & typeof graph;
}
