import { canonicalJson } from "../hashing/canonical_json.ts";
import { type CodeHashes, hashStageCode } from "../hashing/code_hash.ts";
import type { HashStageCodeOptions } from "../hashing/code_hash.ts";
import { sha256 } from "../hashing/sha256.ts";
import type { Json, StageNode } from "../types.ts";
import { ENGINE_VERSION, type FingerprintObject } from "./fingerprint.ts";

/** A stage of the graph: one per distinct stage, however many nodes (runs, configs) produced it. */
export interface PlannedStage {
  /** The id shown in tables and messages (qualified as `config/id` when two configs clash). */
  id: string;
  /** Every id that produced this stage (identical stages across runs or configs). */
  ids: string[];
  /** Where "why will it run" records live: `config/id` for every config that has this stage. */
  recordIds: string[];
  /** The configs that have this stage, in the order given. */
  configs: string[];
  kind: string;
  /** The first node seen for this stage. */
  node: StageNode;
  /** The params as JSON (what the fingerprint holds). */
  params: Json;
  runtime: Json;
  /** The stage's code set: its module, the modules it uses and their local imports. */
  code: CodeHashes;
  /** The packages that code imports → their resolved versions. */
  packages: Record<string, string>;
  /** Why the code set may be incomplete; non-empty means never restored from the cache. */
  untracked: string[];
  /**
   * What is known before anything runs: SHA-256 of kind, params, code, runtime and the inputs'
   * keys. Equal keys are one stage. The fingerprint (cache key) replaces the inputs' keys by the
   * digests of their outputs, known once they are fresh or have run.
   */
  key: string;
  /** Input name → upstream stage. */
  inputs: Record<string, PlannedStage>;
  /** Run names this stage belongs to (qualified like the id when it is). */
  runs: string[];
  /** Every publish target of the nodes that produced it. */
  publish: string[];
}

/** The nodes one config's planner produced. */
export interface NodeGroup {
  /** Config name; used to qualify ids that clash with another config's different stage. */
  config: string;
  nodes: readonly StageNode[];
}

/** Options of {@linkcode buildStageGraph}. */
export interface BuildStageGraphOptions extends HashStageCodeOptions {
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
 * The fingerprint object of a stage once its inputs' output digests are known (from a planned
 * stage, or from a stage task on a cluster node, which carries the same fields).
 */
export function fingerprintObject(
  stage: Pick<PlannedStage, "kind" | "params" | "code" | "packages" | "runtime">,
  inputDigests: Record<string, string>,
): FingerprintObject {
  return {
    engine: ENGINE_VERSION,
    kind: stage.kind,
    params: stage.params,
    inputs: inputDigests,
    code: stage.code,
    packages: stage.packages,
    runtime: stage.runtime,
  };
}

/**
 * Hashes the code of every node reachable from the groups' nodes (inputs first), gives each a
 * key, and merges nodes with equal keys into one stage. Ids must be unique within a config;
 * where two configs use one id for different stages, both are shown as `config/id` (and their
 * runs as `config/run`).
 * @returns the stages in a topological order (every stage after its inputs).
 * @throws {Error} when one config has two different stages with the same id, when two stages
 *   publish to the same folder, or when the inputs form a cycle.
 */
export async function buildStageGraph(
  groups: readonly NodeGroup[],
  options: BuildStageGraphOptions = {},
): Promise<PlannedStage[]> {
  const memo = options.memo ?? new Map();
  const byNode = new Map<StageNode, Promise<PlannedStage>>();
  const byKey = new Map<string, PlannedStage>();
  const order: PlannedStage[] = [];
  // id → key → configs, to find clashes across configs after everything is keyed.
  const idUse = new Map<string, Map<string, Set<string>>>();
  const perConfigIds = new Map<string, Map<string, string>>();

  const visit = (node: StageNode, config: string, path: StageNode[]): Promise<PlannedStage> => {
    if (path.includes(node)) {
      throw new Error(
        `Cannot plan stage ${node.id} as its inputs form a cycle: ${
          [...path, node].map((n) => n.id).join(" → ")
        }`,
      );
    }
    let planned = byNode.get(node);
    if (!planned) byNode.set(node, planned = plan(node, config, [...path, node]));
    return planned;
  };

  const plan = async (node: StageNode, config: string, path: StageNode[]) => {
    const inputs: Record<string, PlannedStage> = {};
    for (const [name, input] of Object.entries(node.inputs)) {
      inputs[name] = await visit(input, config, path);
    }
    const roots = [node.module, ...Object.values(node.uses ?? {})];
    const code = await hashStageCode(roots, { memo });
    const params = JSON.parse(canonicalJson(node.params)) as Json;
    const runtime = node.runtime ?? null;
    const key = sha256(canonicalJson({
      engine: ENGINE_VERSION,
      kind: node.kind,
      params,
      inputs: Object.fromEntries(Object.entries(inputs).map(([name, s]) => [name, s.key])),
      code: code.files,
      packages: code.packages,
      untracked: code.untracked,
      runtime,
      uses: Object.keys(node.uses ?? {}).sort(),
    }));
    const ids = perConfigIds.get(config) ?? new Map<string, string>();
    perConfigIds.set(config, ids);
    const earlier = ids.get(node.id);
    if (earlier !== undefined && earlier !== key) {
      throw new Error(
        `Cannot plan stage ${node.id} as two different stages of config '${config}' have that id: the planner must give each its own id`,
      );
    }
    ids.set(node.id, key);
    const uses = idUse.get(node.id) ?? new Map<string, Set<string>>();
    idUse.set(node.id, uses);
    uses.set(key, (uses.get(key) ?? new Set()).add(config));
    const run = runOfNode(node, options.runNames);
    const recordId = `${config}/${node.id}`;
    const same = byKey.get(key);
    if (same) {
      if (!same.ids.includes(node.id)) same.ids.push(node.id);
      if (!same.recordIds.includes(recordId)) same.recordIds.push(recordId);
      if (!same.configs.includes(config)) same.configs.push(config);
      if (run !== undefined && !same.runs.includes(run)) same.runs.push(run);
      if (node.publish && !same.publish.includes(node.publish)) same.publish.push(node.publish);
      return same;
    }
    const stage: PlannedStage = {
      id: node.id,
      ids: [node.id],
      recordIds: [recordId],
      configs: [config],
      kind: node.kind,
      node,
      params,
      runtime,
      code: code.files,
      packages: code.packages,
      untracked: code.untracked,
      key,
      inputs,
      runs: run === undefined ? [] : [run],
      publish: node.publish ? [node.publish] : [],
    };
    byKey.set(key, stage);
    order.push(stage);
    return stage;
  };

  for (const group of groups) {
    for (const node of group.nodes) await visit(node, group.config, []);
  }
  qualifyClashingIds(order, idUse);
  checkPublishTargets(order);
  return order;
}

/** Shows `config/id` (and `config/run`) where one id names different stages in two configs. */
function qualifyClashingIds(
  stages: PlannedStage[],
  idUse: Map<string, Map<string, Set<string>>>,
): void {
  for (const stage of stages) {
    if ((idUse.get(stage.id)?.size ?? 0) < 2) continue;
    const config = stage.configs[0];
    stage.ids = stage.ids.map((id) => `${config}/${id}`);
    stage.id = stage.ids[0];
    stage.runs = stage.runs.map((run) => `${config}/${run}`);
  }
}

/** @throws {Error} when two different stages would publish into the same folder. */
function checkPublishTargets(stages: PlannedStage[]): void {
  const owner = new Map<string, PlannedStage>();
  for (const stage of stages) {
    for (const target of stage.publish) {
      const other = owner.get(target);
      if (other !== undefined && other !== stage) {
        throw new Error(
          `Cannot plan as ${other.id} and ${stage.id} would both publish to ${target}: give one of the configs its own 'name:'`,
        );
      }
      owner.set(target, stage);
    }
  }
}
