import { hashModuleCode } from "../hashing/code_hash.ts";
import type { HashModuleCodeOptions } from "../hashing/code_hash.ts";
import { ENGINE_VERSION, fingerprintOf } from "./fingerprint.ts";
import type { FingerprintObject } from "./fingerprint.ts";
import type { StageNode } from "../types.ts";

/** A stage of the graph: one per distinct fingerprint, however many nodes produced it. */
export interface PlannedStage {
  /** The first id seen for this fingerprint (used in tables and messages). */
  id: string;
  /** Every id that produced this fingerprint (identical stages across runs or configs). */
  ids: string[];
  kind: string;
  /** The first node seen for this fingerprint. */
  node: StageNode;
  fingerprint: string;
  object: FingerprintObject;
  /** Input name → upstream stage. */
  inputs: Record<string, PlannedStage>;
  /** Run names this stage belongs to (from `node.run`, or the id after the first ':'). */
  runs: string[];
  /** Every publish target of the nodes that produced it. */
  publish: string[];
}

/** Options of {@linkcode buildStageGraph}. */
export interface BuildStageGraphOptions extends HashModuleCodeOptions {
  /** Run names of the config(s); a node without `run` whose id ends in `:<run name>` belongs to it. */
  runNames?: ReadonlySet<string>;
}

/** The run a node belongs to, for `--only` and messages; undefined for shared nodes. */
export function runOfNode(
  node: StageNode,
  runNames: ReadonlySet<string> = new Set(),
): string | undefined {
  if (node.run !== undefined) return node.run;
  const suffix = node.id.slice(node.id.indexOf(":") + 1);
  return runNames.has(suffix) ? suffix : undefined;
}

/**
 * Fingerprints every node reachable from `roots` (inputs first) and merges nodes with the same
 * fingerprint into one stage.
 * @returns the stages in a topological order (every stage after its inputs).
 * @throws {Error} when two different stages share an id, or the inputs form a cycle.
 */
export async function buildStageGraph(
  roots: readonly StageNode[],
  options: BuildStageGraphOptions = {},
): Promise<PlannedStage[]> {
  const memo = options.memo ?? new Map();
  const byNode = new Map<StageNode, Promise<PlannedStage>>();
  const byFingerprint = new Map<string, PlannedStage>();
  const byId = new Map<string, PlannedStage>();
  const order: PlannedStage[] = [];

  const visit = (node: StageNode, path: StageNode[]): Promise<PlannedStage> => {
    if (path.includes(node)) {
      throw new Error(
        `Cannot plan stage ${node.id} as its inputs form a cycle: ${
          [...path, node].map((n) => n.id).join(" → ")
        }`,
      );
    }
    let planned = byNode.get(node);
    if (!planned) byNode.set(node, planned = plan(node, [...path, node]));
    return planned;
  };

  const plan = async (node: StageNode, path: StageNode[]): Promise<PlannedStage> => {
    const inputs: Record<string, PlannedStage> = {};
    for (const [name, input] of Object.entries(node.inputs)) {
      inputs[name] = await visit(input, path);
    }
    const object: FingerprintObject = {
      engine: ENGINE_VERSION,
      kind: node.kind,
      params: node.params,
      inputs: Object.fromEntries(Object.entries(inputs).map(([name, s]) => [name, s.fingerprint])),
      code: await hashModuleCode(node.module, { memo }),
      runtime: node.runtime ?? null,
    };
    const fingerprint = fingerprintOf(object);
    const run = runOfNode(node, options.runNames);
    const same = byFingerprint.get(fingerprint);
    const clash = byId.get(node.id);
    if (clash && clash.fingerprint !== fingerprint) {
      throw new Error(
        `Cannot plan stage ${node.id} as two different stages have that id: the planner must give each its own id`,
      );
    }
    if (same) {
      if (!same.ids.includes(node.id)) same.ids.push(node.id);
      if (run !== undefined && !same.runs.includes(run)) same.runs.push(run);
      if (node.publish && !same.publish.includes(node.publish)) same.publish.push(node.publish);
      byId.set(node.id, same);
      return same;
    }
    const stage: PlannedStage = {
      id: node.id,
      ids: [node.id],
      kind: node.kind,
      node,
      fingerprint,
      object,
      inputs,
      runs: run === undefined ? [] : [run],
      publish: node.publish ? [node.publish] : [],
    };
    byFingerprint.set(fingerprint, stage);
    byId.set(node.id, stage);
    order.push(stage);
    return stage;
  };

  for (const root of roots) await visit(root, []);
  return order;
}
