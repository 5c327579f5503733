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

/**
 * Describes `nodes` (each once, in the order given; an input not in the list is added before
 * its first reader).
 */
export function stageGraphParam(nodes: readonly GraphNodeLike[]): StageGraph {
  const seen = new Set<string>();
  const out: StageGraph["nodes"] = [];
  const add = (node: GraphNodeLike) => {
    if (seen.has(node.id)) return;
    seen.add(node.id);
    const ids = new Set<string>();
    for (const name in node.inputs) {
      const input = node.inputs[name];
      if ("kind" in input && "inputs" in input) add(input as GraphNodeLike);
      ids.add(input.id);
    }
    out.push({ id: node.id, kind: node.kind, inputs: [...ids] });
  };
  for (const node of nodes) add(node);
  return { nodes: out };
}
