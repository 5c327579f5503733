import type { PlannedStage } from "../graph/stage_graph.ts";
import type { CodeHashes } from "../hashing/code_hash.ts";
import type { Json } from "../types.ts";
import { describeStage } from "./stage_result.ts";

/** An input of a {@linkcode StageTask}: the upstream stage, and its entry when already known. */
export interface TaskInput {
  id: string;
  /** The upstream stage's key: `keys/<key>` names its entry once it has completed. */
  key: string;
  /** The upstream entry's fingerprint, when it was done before the task was handed over. */
  fingerprint?: string;
  /** The digest of that entry's outputs (with `fingerprint`). */
  digest?: string;
}

/**
 * What an executor is handed: a stage's static description, enough to bring it up to date in
 * any process that sees the checkout and the cache (this one, a child, a cluster node). Inputs
 * that had not completed when it was handed over are found through their keys' pointers, so the
 * task can be queued before its inputs have run (its fingerprint is known only then). JSON.
 */
export interface StageTask {
  format: 1;
  id: string;
  /** `train:x (run x)`, for messages. */
  label: string;
  key: string;
  kind: string;
  /** Stage module URL. */
  module: string;
  /** Name → URL of the modules the stage uses. */
  uses: Record<string, string>;
  params: Json;
  runtime: Json;
  /** The code set as planned: the process running the task checks its checkout still has it. */
  code: CodeHashes;
  /** The packages that code imports → their versions as planned (checked likewise). */
  packages: Record<string, string>;
  untracked: string[];
  inputs: Record<string, TaskInput>;
  /** Run even when a valid entry exists (forced, or code not fully tracked). */
  recompute: boolean;
  /** Why it runs, as far as the planner could tell (logged first). */
  reasons: string[];
}

/** Options of {@linkcode stageTask}. */
export interface StageTaskOptions {
  /** Input name → its entry, for inputs already done (others are resolved where the task runs). */
  done: Record<string, { fingerprint: string; digest: string } | undefined>;
  recompute: boolean;
  reasons: string[];
}

/** The task of a planned stage. */
export function stageTask(stage: PlannedStage, options: StageTaskOptions): StageTask {
  const inputs: Record<string, TaskInput> = {};
  for (const [name, input] of Object.entries(stage.inputs)) {
    inputs[name] = { id: input.id, key: input.key, ...options.done[name] };
  }
  return {
    format: 1,
    id: stage.id,
    label: describeStage(stage),
    key: stage.key,
    kind: stage.kind,
    module: stage.node.module.href,
    uses: Object.fromEntries(
      Object.entries(stage.node.uses ?? {}).map(([name, url]) => [name, url.href]),
    ),
    params: stage.params,
    runtime: stage.runtime,
    code: stage.code,
    packages: stage.packages,
    untracked: stage.untracked,
    inputs,
    recompute: options.recompute,
    reasons: options.reasons,
  };
}
