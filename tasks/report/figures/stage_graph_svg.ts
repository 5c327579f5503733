/**
 * Draws the stage graph left to right: a column per depth (data → split → train → evaluate →
 * report), a row per run in the widest column, shared stages centred on the stages that read
 * them. Only edges from the previous column are drawn (the graph's backbone); deeper inputs,
 * such as the data an evaluate stage also reads, would only cross it.
 * @module
 */
import type { StageGraph } from "../stage_graph_param.ts";
import { textWidth } from "../text_width.ts";
import { round, svgDocument, svgText } from "./svg_text.ts";
import { maxOf } from "../extent.ts";

const PAD = 12;
const BOX_HEIGHT = 22;
const ROW_GAP = 8;
const COLUMN_GAP = 48;
const MAX_BOX_WIDTH = 260;
const FONT = 11;

/** Fill colours by stage kind; other kinds are grey. */
const COLOURS: Record<string, string> = {
  data: "#e3ecf7",
  split: "#e6f2e6",
  train: "#fdebd3",
  evaluate: "#f7e1ec",
  report: "#ece6f5",
};

/**
 * Renders `graph` as an SVG document.
 * @throws Error when a node names an input that is not in the graph
 */
export function stageGraphSvg(graph: StageGraph, title: string): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of graph.nodes) {
    const unknown = node.inputs.find((i) => !byId.has(i));
    if (unknown) {
      throw new Error(
        `Cannot draw the stage graph as ${node.id} reads ${unknown}, which is not in it`,
      );
    }
  }
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const inputs = byId.get(id)!.inputs;
    const d = inputs.length === 0 ? 0 : 1 + maxOf(inputs.map(depthOf));
    depth.set(id, d);
    return d;
  };
  graph.nodes.forEach((n) => depthOf(n.id));
  const columnCount = Math.max(0, maxOf(depth.values())) + 1;
  const columns = Array.from(
    { length: columnCount },
    (_, c) => graph.nodes.filter((n) => depth.get(n.id) === c),
  );
  const widths = columns.map((nodes) =>
    Math.min(MAX_BOX_WIDTH, Math.max(60, maxOf(nodes.map((n) => textWidth(n.id, FONT) + 16))))
  );
  const xs = widths.map((_, c) => PAD + widths.slice(0, c).reduce((a, w) => a + w + COLUMN_GAP, 0));
  // Rows: the widest column evenly; columns to its right centred on their inputs, columns to
  // its left centred on their readers, then pushed apart so no two boxes overlap.
  const y = new Map<string, number>();
  const step = BOX_HEIGHT + ROW_GAP;
  const widest = columns.reduce(
    (best, nodes, c) => nodes.length > columns[best].length ? c : best,
    0,
  );
  columns[widest].forEach((n, i) => y.set(n.id, PAD + 30 + i * step));
  const readers = (id: string) => graph.nodes.filter((n) => n.inputs.includes(id) && y.has(n.id));
  const place = (nodes: typeof graph.nodes, anchor: (id: string) => number[]) => {
    const wanted = nodes.map((n, i) => {
      const ys = anchor(n.id);
      return {
        n,
        i,
        y: ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : PAD + 30 + i * step,
      };
    }).sort((a, b) => a.y - b.y || a.i - b.i);
    let next = PAD + 30;
    for (const w of wanted) {
      const at = Math.max(w.y, next);
      y.set(w.n.id, at);
      next = at + step;
    }
  };
  for (let c = widest + 1; c < columnCount; c++) {
    place(columns[c], (id) => byId.get(id)!.inputs.filter((i) => y.has(i)).map((i) => y.get(i)!));
  }
  for (let c = widest - 1; c >= 0; c--) {
    place(columns[c], (id) => readers(id).map((r) => y.get(r.id)!));
  }
  const body = [svgText(PAD, PAD + 14, title, { size: 14, bold: true })];
  for (const node of graph.nodes) {
    const c = depth.get(node.id)!;
    for (const input of node.inputs) {
      if (depth.get(input) !== c - 1) continue;
      const ci = c - 1;
      const [x1, y1] = [xs[ci] + widths[ci], y.get(input)! + BOX_HEIGHT / 2];
      const [x2, y2] = [xs[c], y.get(node.id)! + BOX_HEIGHT / 2];
      const mid = (x1 + x2) / 2;
      body.push(
        `<path d="M${round(x1)},${round(y1)} C${round(mid)},${round(y1)} ${round(mid)},` +
          `${round(y2)} ${round(x2)},${round(y2)}" fill="none" stroke="#8a94a3" stroke-width="1"/>`,
      );
    }
  }
  for (const node of graph.nodes) {
    const c = depth.get(node.id)!;
    const top = y.get(node.id)!;
    body.push(
      `<rect x="${round(xs[c])}" y="${round(top)}" width="${round(widths[c])}" ` +
        `height="${BOX_HEIGHT}" rx="4" fill="${COLOURS[node.kind] ?? "#eeeeee"}" ` +
        `stroke="#5b6470" stroke-width="0.8"/>`,
      svgText(xs[c] + 8, top + 15, node.id, { size: FONT, maxWidth: widths[c] - 12 }),
    );
  }
  const width = xs.at(-1)! + widths.at(-1)! + PAD;
  const height = maxOf([...y.values()].map((v) => v + BOX_HEIGHT)) + PAD;
  return svgDocument(width, height, body, title);
}
