import { createHash, type Hash } from "node:crypto";
import { canonicalJson, canonicalSha256Into } from "../hashing/canonical_json.ts";
import { type CodeHashes, hashStageCode, type StageCode } from "../hashing/code_hash.ts";
import type { HashStageCodeOptions } from "../hashing/code_hash.ts";
import { sha256 } from "../hashing/sha256.ts";
import { inputEntries, inputsFromEntries } from "./input_entries.ts";
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
  readonly kind: string;
  readonly code: CodeHashes;
  readonly packages: Record<string, string>;
  readonly untracked: string[];
  // The lists of a stage made from one node are made when read (a big sweep has 200,000
  // stages); set once a second node joins the stage, or its ids are qualified.
  #ids: string[] | undefined;
  #recordIds: string[] | undefined;
  #configs: string[] | undefined;
  #runs: string[] | undefined;
  #publish: string[] | undefined;
  readonly #config: string;
  readonly #run: string | undefined;

  constructor(
    public id: string,
    config: string,
    public readonly node: StageNode,
    public readonly runtime: Json,
    code: StageCode,
    key: string | (() => string),
    public readonly inputs: Record<string, PlannedStage>,
    run: string | undefined,
    public readonly canonical: CanonicalParts,
  ) {
    this.#config = config;
    this.#run = run;
    this.kind = node.kind;
    this.code = code.files;
    this.packages = code.packages;
    this.untracked = code.untracked;
    if (typeof key === "string") this.#key = key;
    else this.#keyOf = key;
  }

  get ids(): string[] {
    return this.#ids ?? [this.id];
  }
  set ids(ids: string[]) {
    this.#ids = ids;
  }
  get recordIds(): string[] {
    return this.#recordIds ?? [`${this.#config}/${this.node.id}`];
  }
  get configs(): string[] {
    return this.#configs ?? [this.#config];
  }
  get runs(): string[] {
    return this.#runs ?? (this.#run === undefined ? [] : [this.#run]);
  }
  set runs(runs: string[]) {
    this.#runs = runs;
  }
  get publish(): string[] {
    return this.#publish ?? (this.node.publish ? [this.node.publish] : []);
  }

  /** Adds a node of `config` whose key equals this stage's. */
  join(node: StageNode, config: string, run: string | undefined): void {
    const add = (list: string[], item: string) => list.includes(item) ? list : [...list, item];
    this.#ids = add(this.ids, node.id);
    this.#recordIds = add(this.recordIds, `${config}/${node.id}`);
    this.#configs = add(this.configs, config);
    if (run !== undefined) this.#runs = add(this.runs, run);
    if (node.publish) this.#publish = add(this.publish, node.publish);
  }

  #key: string | undefined;
  #keyOf: (() => string) | undefined;

  /** Computed when first read for a stage no other stage can equal (see `buildStageGraph`). */
  get key(): string {
    if (this.#key === undefined) {
      this.#key = this.#keyOf!();
      this.#keyOf = undefined;
    }
    return this.#key;
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
  const byNode = new Map<StageNode, PlannedStage>();
  const byKey = new Map<string, Stage>();
  const order: Stage[] = [];
  // id → its first use (`config \0 key`, or the key alone when there is one config); ids used
  // more than once → every use.
  const single = groups.length === 1;
  const firstUse = new Map<string, string>();
  const moreUses = new Map<string, string[]>();
  const heads = new KeyHeads();
  // A stage's key decides which nodes are one stage: equal keys need an equal head. A node that
  // no other node reads and that is alone with its head (a config's report, whose params hold
  // every run) can equal no other node, so its key is computed only if something asks for it.
  const perHead = new Map<Hash, number>();
  const sets = nodes.map(({ node }) => code.get(codeSetId(node))!);
  const found = nodes.map(({ node }, i) => {
    const it = heads.of(node, sets[i], node.runtime ?? null);
    perHead.set(it.head, (perHead.get(it.head) ?? 0) + 1);
    return it;
  });
  for (const [index, { node, config, read, inputs: inputNodes }] of nodes.entries()) {
    const inputs = inputsFromEntries(inputNodes.map(([name, input]) => [name, byNode.get(input)!]));
    const runtime = node.runtime ?? null;
    const { canonical, head } = found[index];
    const set = sets[index];
    const lazy = !read && perHead.get(head) === 1;
    const key = lazy ? lazyNodeKey(node, inputs, head) : nodeKey(node, inputs, head);
    // A lazily keyed node differs from every other: a token of its own stands for its key.
    const keyText = typeof key === "string" ? key : `\u0001${index}`;
    const use = single ? keyText : `${config}\u0000${keyText}`;
    const first = firstUse.get(node.id);
    if (first === undefined) firstUse.set(node.id, use);
    else if (first !== use) {
      if (single) {
        throw new Error(
          `Cannot plan stage ${node.id} as two different stages of config '${config}' have that id: the planner must give each its own id`,
        );
      }
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
    const same = typeof key === "string" ? byKey.get(key) : undefined;
    if (same) {
      same.join(node, config, run);
      byNode.set(node, same);
      continue;
    }
    const stage = new Stage(node.id, config, node, runtime, set.code, key, inputs, run, canonical);
    if (typeof key === "string") byKey.set(key, stage);
    byNode.set(node, stage);
    order.push(stage);
  }
  qualifyClashingIds(order, moreUses);
  checkPublishTargets(order);
  return order;
}

/** A node in planning order. */
interface OrderedNode {
  node: StageNode;
  /** The config that reached it first. */
  config: string;
  /** Whether another node reads it. */
  read: boolean;
  /** `Object.entries(node.inputs)`. */
  inputs: [string, StageNode][];
}

/**
 * Every node reachable from the groups, each after its inputs (depth first, in input order), with
 * the config that reached it first.
 * @throws {Error} when the inputs form a cycle, naming it.
 */
function orderNodes(groups: readonly NodeGroup[]): OrderedNode[] {
  // A node's entry while it is open (its inputs being visited), then once it is ordered.
  const state = new Map<StageNode, OrderedNode | "open">();
  const ordered: OrderedNode[] = [];
  for (const group of groups) {
    for (const root of group.nodes) {
      if (state.has(root)) continue;
      // Planners list inputs first: a node whose inputs are all ordered is ordered at once.
      const inputs = Object.entries(root.inputs);
      let ready = true;
      for (const [, input] of inputs) {
        const seen = state.get(input);
        if (seen === undefined || seen === "open") {
          ready = false;
          break;
        }
      }
      if (ready) {
        for (const [, input] of inputs) (state.get(input) as OrderedNode).read = true;
        const entry: OrderedNode = { node: root, config: group.config, read: false, inputs };
        state.set(root, entry);
        ordered.push(entry);
        continue;
      }
      // An explicit stack (a 100,000-run report has 200,000 inputs): node and its input list.
      const stack: {
        node: StageNode;
        inputs: [string, StageNode][];
        next: number;
        read: boolean;
      }[] = [];
      const open = (node: StageNode, read: boolean) => {
        state.set(node, "open");
        stack.push({ node, inputs: Object.entries(node.inputs), next: 0, read });
      };
      open(root, false);
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < top.inputs.length) {
          const input = top.inputs[top.next++][1];
          const seen = state.get(input);
          if (seen === "open") {
            const path = stack.slice(stack.findIndex((f) => f.node === input)).map((f) => f.node);
            throw new Error(
              `Cannot plan stage ${input.id} as its inputs form a cycle: ${
                [...path, input].map((n) => n.id).join(" → ")
              }`,
            );
          }
          if (seen === undefined) open(input, true);
          else seen.read = true;
          continue;
        }
        stack.pop();
        const entry: OrderedNode = {
          node: top.node,
          config: group.config,
          read: top.read,
          inputs: top.inputs,
        };
        state.set(top.node, entry);
        ordered.push(entry);
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

// Planners share module URLs and `uses` objects between nodes: each pair is named once.
const codeSetIds = new WeakMap<URL, WeakMap<object, string>>();
const NO_USES: Record<string, URL> = {};
const codeSetId = (node: StageNode) => {
  let byUses = codeSetIds.get(node.module);
  if (byUses === undefined) codeSetIds.set(node.module, byUses = new WeakMap());
  const uses = node.uses ?? NO_USES;
  let id = byUses.get(uses);
  if (id === undefined) {
    id = [node.module, ...Object.values(uses)].map((u) => u.href).join("\n");
    byUses.set(uses, id);
  }
  return id;
};

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
 * The hash state after the part of a node's key that many nodes share (kind, code set, runtime,
 * the names of its `uses`), and the canonical parts of its fingerprint: computed once per
 * distinct combination, so a sweep's stages each hash only their inputs' keys and params.
 */
class KeyHeads {
  readonly #runtimeJson = new WeakMap<object, string>();
  readonly #bySet = new Map<CodeSet, Map<string, { canonical: CanonicalParts; head: Hash }>>();
  readonly #parts = new Map<string, CanonicalParts>();

  of(node: StageNode, set: CodeSet, runtime: Json): { canonical: CanonicalParts; head: Hash } {
    const runtimeJson = this.#jsonOf(runtime);
    const uses = node.uses ? Object.keys(node.uses).sort().join(",") : "";
    const id = `${node.kind}\u0000${uses}\u0000${runtimeJson}`;
    let heads = this.#bySet.get(set);
    if (heads === undefined) this.#bySet.set(set, heads = new Map());
    let found = heads.get(id);
    if (found === undefined) {
      // Stages share their canonical parts object when code and runtime are equal.
      const partsId = `${set.digest}\u0000${runtimeJson}`;
      let canonical = this.#parts.get(partsId);
      if (canonical === undefined) {
        canonical = { code: set.json, packages: set.packagesJson, runtime: runtimeJson };
        this.#parts.set(partsId, canonical);
      }
      const head = createHash("sha256").update(
        `${ENGINE_VERSION}\u0000${node.kind}\u0000${set.digest}\u0000` +
          `${JSON.stringify(set.code.untracked)}\u0000${runtimeJson}\u0000${uses}\u0000`,
      );
      heads.set(id, found = { canonical, head });
    }
    return found;
  }

  // Planners reuse one runtime object for many nodes: it is serialized once per object.
  #jsonOf(runtime: Json): string {
    if (runtime === null || typeof runtime !== "object") return canonicalJson(runtime);
    let json = this.#runtimeJson.get(runtime);
    if (json === undefined) this.#runtimeJson.set(runtime, json = canonicalJson(runtime));
    return json;
  }
}

/** {@linkcode nodeKey} when first asked for (a function of its own, so it keeps only its args). */
function lazyNodeKey(
  node: StageNode,
  inputs: Record<string, PlannedStage>,
  head: Hash,
): () => string {
  return () => nodeKey(node, inputs, head);
}

/**
 * A node's key: SHA-256 over its kind, code, runtime and the names of its `uses` (the shared
 * `head`), then its inputs' keys and its params, streamed (never serialized whole). Keys name
 * `keys/` pointers in the cache (pointers to the fingerprint a stage last completed as); a
 * change of this formula only leaves old pointers unused.
 */
function nodeKey(node: StageNode, inputs: Record<string, PlannedStage>, head: Hash): string {
  let inputKeys = "";
  const sorted = [...inputEntries({ inputs })].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, input] of sorted) inputKeys += `${name}=${input.key},`;
  return canonicalSha256Into(head.copy(), node.params, `${inputKeys}\u0000`);
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
