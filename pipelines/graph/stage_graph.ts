import { canonicalJson, canonicalSha256 } from "../hashing/canonical_json.ts";
import { type CodeHashes, hashStageCode, type StageCode } from "../hashing/code_hash.ts";
import type { HashStageCodeOptions } from "../hashing/code_hash.ts";
import { sha256 } from "../hashing/sha256.ts";
import type { Json, StageNode } from "../types.ts";
import {
  type CanonicalParts,
  ENGINE_VERSION,
  fingerprintFromParts,
  type FingerprintObject,
} from "./fingerprint.ts";

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
  /**
   * The params as JSON (what the fingerprint holds and the stage receives): a fresh normalized
   * copy of the node's params on each read, so that planning a big sweep keeps no second copy.
   */
  readonly params: Json;
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
  /**
   * Canonical JSON of `code` and `runtime`, shared by the stages that share them: the
   * fingerprint's text is assembled from them ({@linkcode stageFingerprint}), so a big sweep does
   * not re-serialize every stage's code map at every assessment.
   */
  canonical: CanonicalParts;
}

/**
 * A stage as {@linkcode buildStageGraph} makes it. A class, so `params` is a prototype getter:
 * a closure per stage would keep the whole planning state alive.
 */
class Stage implements PlannedStage {
  ids: string[];
  readonly recordIds: string[];
  readonly configs: string[];
  readonly kind: string;
  readonly code: CodeHashes;
  readonly packages: Record<string, string>;
  readonly untracked: string[];
  runs: string[];
  readonly publish: string[];

  constructor(
    public id: string,
    config: string,
    public readonly node: StageNode,
    public readonly runtime: Json,
    code: StageCode,
    public readonly key: string,
    public readonly inputs: Record<string, PlannedStage>,
    run: string | undefined,
    public readonly canonical: CanonicalParts,
  ) {
    this.ids = [id];
    this.recordIds = [`${config}/${id}`];
    this.configs = [config];
    this.kind = node.kind;
    this.code = code.files;
    this.packages = code.packages;
    this.untracked = code.untracked;
    this.runs = run === undefined ? [] : [run];
    this.publish = node.publish ? [node.publish] : [];
  }

  get params(): Json {
    return JSON.parse(canonicalJson(this.node.params)) as Json;
  }
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
 * The fingerprint of a stage once its inputs' output digests are known: equal to
 * `fingerprintOf(fingerprintObject(stage, inputDigests))`, computed from the cached parts.
 */
export function stageFingerprint(
  stage: PlannedStage,
  inputDigests: Record<string, string>,
): string {
  return fingerprintFromParts(stage.kind, stage.canonical, stage.node.params, inputDigests);
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
  const nodes = orderNodes(groups);
  const code = await hashCodeSets(nodes.map(({ node }) => node), options.memo ?? new Map());
  // Stages share their canonical parts object when code and runtime are equal; planners reuse
  // one runtime object for many nodes, so it is serialized once per object.
  const partsMemo = new Map<string, CanonicalParts>();
  const runtimeMemo = new WeakMap<object, string>();
  const runtimeJsonOf = (runtime: Json) => {
    if (runtime === null || typeof runtime !== "object") return canonicalJson(runtime);
    let json = runtimeMemo.get(runtime);
    if (json === undefined) runtimeMemo.set(runtime, json = canonicalJson(runtime));
    return json;
  };
  const byNode = new Map<StageNode, PlannedStage>();
  const byKey = new Map<string, PlannedStage>();
  const order: PlannedStage[] = [];
  // id → `config \0 key` of its first use; ids used more than once → every (config, key).
  const firstUse = new Map<string, string>();
  const moreUses = new Map<string, string[]>();
  for (const { node, config } of nodes) {
    const inputs: Record<string, PlannedStage> = {};
    for (const name in node.inputs) inputs[name] = byNode.get(node.inputs[name])!;
    const set = code.get(codeSetId(node))!;
    const runtime = node.runtime ?? null;
    const runtimeJson = runtimeJsonOf(runtime);
    const partsId = `${set.digest}\u0000${runtimeJson}`;
    let canonical = partsMemo.get(partsId);
    if (!canonical) {
      canonical = { code: set.json, packages: set.packagesJson, runtime: runtimeJson };
      partsMemo.set(partsId, canonical);
    }
    const key = nodeKey(node, inputs, set, runtimeJson);
    const use = `${config}\u0000${key}`;
    const first = firstUse.get(node.id);
    if (first === undefined) firstUse.set(node.id, use);
    else if (first !== use) {
      const uses = moreUses.get(node.id) ?? [first];
      moreUses.set(node.id, uses);
      if (uses.some((u) => u.startsWith(`${config}\u0000`) && u !== use)) {
        throw new Error(
          `Cannot plan stage ${node.id} as two different stages of config '${config}' have that id: the planner must give each its own id`,
        );
      }
      if (!uses.includes(use)) uses.push(use);
    }
    const run = runOfNode(node, options.runNames);
    const same = byKey.get(key);
    if (same) {
      const recordId = `${config}/${node.id}`;
      if (!same.ids.includes(node.id)) same.ids.push(node.id);
      if (!same.recordIds.includes(recordId)) same.recordIds.push(recordId);
      if (!same.configs.includes(config)) same.configs.push(config);
      if (run !== undefined && !same.runs.includes(run)) same.runs.push(run);
      if (node.publish && !same.publish.includes(node.publish)) same.publish.push(node.publish);
      byNode.set(node, same);
      continue;
    }
    const stage = new Stage(node.id, config, node, runtime, set.code, key, inputs, run, canonical);
    byKey.set(key, stage);
    byNode.set(node, stage);
    order.push(stage);
  }
  qualifyClashingIds(order, moreUses);
  checkPublishTargets(order);
  return order;
}

/**
 * Every node reachable from the groups, each after its inputs (depth first, in input order), with
 * the config that reached it first.
 * @throws {Error} when the inputs form a cycle, naming it.
 */
function orderNodes(groups: readonly NodeGroup[]): { node: StageNode; config: string }[] {
  const state = new Map<StageNode, "open" | "done">();
  const ordered: { node: StageNode; config: string }[] = [];
  for (const group of groups) {
    for (const root of group.nodes) {
      if (state.has(root)) continue;
      // An explicit stack (a 100,000-run report has 200,000 inputs): node and its input list.
      const stack: { node: StageNode; inputs: StageNode[]; next: number }[] = [];
      const open = (node: StageNode) => {
        state.set(node, "open");
        stack.push({ node, inputs: Object.values(node.inputs), next: 0 });
      };
      open(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < top.inputs.length) {
          const input = top.inputs[top.next++];
          const seen = state.get(input);
          if (seen === "open") {
            const path = stack.slice(stack.findIndex((f) => f.node === input)).map((f) => f.node);
            throw new Error(
              `Cannot plan stage ${input.id} as its inputs form a cycle: ${
                [...path, input].map((n) => n.id).join(" → ")
              }`,
            );
          }
          if (seen === undefined) open(input);
          continue;
        }
        stack.pop();
        state.set(top.node, "done");
        ordered.push({ node: top.node, config: group.config });
      }
    }
  }
  return ordered;
}

/** A code set: its hashes, the canonical JSON of its files and packages, and their digest. */
interface CodeSet {
  code: StageCode;
  json: string;
  packagesJson: string;
  digest: string;
}

const codeSetId = (node: StageNode) =>
  [node.module, ...Object.values(node.uses ?? {})].map((u) => u.href).join("\n");

/** Hashes each distinct code set (module + uses) once. */
async function hashCodeSets(
  nodes: readonly StageNode[],
  memo: NonNullable<HashStageCodeOptions["memo"]>,
): Promise<Map<string, CodeSet>> {
  const roots = new Map<string, URL[]>();
  for (const node of nodes) {
    const id = codeSetId(node);
    if (!roots.has(id)) roots.set(id, [node.module, ...Object.values(node.uses ?? {})]);
  }
  const sets = new Map<string, CodeSet>();
  for (const [id, urls] of roots) {
    const code = await hashStageCode(urls, { memo });
    const json = canonicalJson(code.files);
    const packagesJson = canonicalJson(code.packages);
    sets.set(id, { code, json, packagesJson, digest: sha256(`${json}\u0000${packagesJson}`) });
  }
  return sets;
}

/**
 * A node's key: SHA-256 over its kind, params, inputs' keys, code, runtime and the names of its
 * `uses`, with the params streamed (never serialized whole). Internal, never stored.
 */
function nodeKey(
  node: StageNode,
  inputs: Record<string, PlannedStage>,
  code: CodeSet,
  runtimeJson: string,
): string {
  let inputKeys = "";
  for (const name of Object.keys(inputs).sort()) inputKeys += `${name}=${inputs[name].key},`;
  const uses = node.uses ? Object.keys(node.uses).sort().join(",") : "";
  const prefix = `${ENGINE_VERSION}\u0000${node.kind}\u0000${inputKeys}\u0000${code.digest}\u0000` +
    `${JSON.stringify(code.code.untracked)}\u0000${runtimeJson}\u0000${uses}\u0000`;
  return canonicalSha256(node.params, prefix);
}

/**
 * Shows `config/id` (and `config/run`) where one id names different stages in two configs.
 * @param moreUses id → every `config \0 key` it was used with, for ids used more than once.
 */
function qualifyClashingIds(stages: PlannedStage[], moreUses: Map<string, string[]>): void {
  if (moreUses.size === 0) return;
  for (const stage of stages) {
    const uses = moreUses.get(stage.id) ?? [];
    if (new Set(uses.map((use) => use.split("\u0000")[1])).size < 2) continue;
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
