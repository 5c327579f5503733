/**
 * Appendix: a picture of the stage graph the report came from.
 * @module
 */
import { stageGraphSvg } from "../figures/stage_graph_svg.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * The stage graph as a figure (`charts/stage-graph.svg`), from the graph the planner passed.
 * @returns no blocks when the params carry no graph
 */
export function stageGraphAppendix(data: ReportData): Block[] {
  const graph = data.params.graph;
  if (!graph) return [];
  return [
    { kind: "heading", level: 2, text: "Appendix: stage graph" },
    {
      kind: "paragraph",
      text: "Each box is a cached stage; lines join a stage to the stages of the previous " +
        "column it reads (evaluate also reads the data and split, the report every run's " +
        `train and evaluate outputs and the test images). \`deno task dag ${data.params.config.path}\` ` +
        "draws it without running anything.",
    },
    {
      kind: "figure",
      name: "stage-graph",
      title: "Stage graph",
      svg: stageGraphSvg(graph, `Stage graph of ${data.params.config.name}`),
    },
  ];
}
