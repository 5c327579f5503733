/**
 * The stage graph as the report's params and `deno task dag` carry it: ids, kinds and input
 * ids — enough to draw the picture, nothing the engine would fingerprint twice.
 * @module
 */
import { z } from "zod";

/** One stage of the graph. */
export const stageGraphNodeSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  /** Ids of the stages it reads, in input-name order. */
  inputs: z.array(z.string()),
});

/** The whole graph, inputs before the stages that read them. */
export const stageGraphSchema = z.object({ nodes: z.array(stageGraphNodeSchema) });

/** A stage graph param. */
export type StageGraph = z.output<typeof stageGraphSchema>;

/** The shape shared by the planner's StageNode and the engine's PlannedStage. */
export interface GraphNodeLike {
  id: string;
  kind: string;
  inputs: Record<string, { id: string }>;
}

/** Above this many stages the graph is drawn by kind: a box per stage would be unreadable. */
export const MAX_DRAWN_STAGES = 200;

/**
 * Describes `nodes` (each once, in the order given; an input not in the list is added before
 * its first reader). A graph of more than {@linkcode MAX_DRAWN_STAGES} stages is described by
 * kind instead: one node per kind, named with its count (`train ×100,000`), reading the kinds its
 * stages read.
 */
export function stageGraphParam(nodes: readonly GraphNodeLike[]): StageGraph {
  const seen = new Set<string>();
  const out: StageGraph["nodes"] = [];
  // Kind → how many stages, and the kinds they read (for a graph drawn by kind).
  const kinds = new Map<string, { count: number; reads: Set<string> }>();
  const add = (node: GraphNodeLike) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    // Once past the limit, no stage is listed: only counted.
    const ids = seen.size <= MAX_DRAWN_STAGES ? new Set<string>() : undefined;
    const reads = new Set<string>();
    for (const name in node.inputs) {
      const input = node.inputs[name];
      if ("kind" in input && "inputs" in input) {
        add(input as GraphNodeLike);
        if (input.kind !== node.kind) reads.add(input.kind as string);
      }
      ids?.add(input.id);
    }
    // Kinds in the order their first stage is complete: inputs before readers.
    let kind = kinds.get(node.kind);
    if (kind === undefined) kinds.set(node.kind, kind = { count: 0, reads: new Set() });
    kind.count++;
    for (const read of reads) kind.reads.add(read);
    if (ids && seen.size <= MAX_DRAWN_STAGES) {
      out.push({ id: node.id, kind: node.kind, inputs: [...ids] });
    }
  };
  for (const node of nodes) add(node);
  if (seen.size <= MAX_DRAWN_STAGES) return { nodes: out };
  const count = new Intl.NumberFormat("en-US");
  const idOf = (kind: string) => `${kind} ×${count.format(kinds.get(kind)!.count)}`;
  // A kind reads only kinds listed before it, so the drawing has no cycle even where two
  // kinds read each other in different stages.
  const order = [...kinds.keys()];
  return {
    nodes: order.map((kind, i) => ({
      id: idOf(kind),
      kind,
      inputs: [...kinds.get(kind)!.reads].filter((k) => {
        const at = order.indexOf(k);
        return at >= 0 && at < i;
      }).map(idOf),
    })),
  };
}
