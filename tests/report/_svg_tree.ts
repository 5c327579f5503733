/**
 * Reads an SVG document (as vega and the report's figures write it) into a tree, to check what
 * a chart draws: its marks, the text of titles and axis labels, and where labels sit.
 * @module
 */
import { textWidth } from "../../tasks/report/text_width.ts";

/** One element. */
export interface SvgNode {
  name: string;
  attrs: Record<string, string>;
  children: SvgNode[];
  /** Text content directly inside the element (entities decoded). */
  text: string;
}

/** Parses well-formed SVG text (no CDATA, no comments inside text). */
export function parseSvg(svg: string): SvgNode {
  const root: SvgNode = { name: "#root", attrs: {}, children: [], text: "" };
  const stack = [root];
  const tag =
    /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|<\?[^>]*>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (const m of svg.matchAll(tag)) {
    const between = svg.slice(last, m.index);
    if (between.trim() !== "") stack.at(-1)!.text += decode(between);
    last = m.index! + m[0].length;
    if (!m[2]) continue;
    if (m[1] === "/") {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of m[3].matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]] = decode(a[2]);
    const node: SvgNode = { name: m[2], attrs, children: [], text: "" };
    stack.at(-1)!.children.push(node);
    if (m[4] !== "/") stack.push(node);
  }
  return root;
}

function decode(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'").replaceAll("&amp;", "&");
}

/** Every node below `node` (depth first) that passes `test`. */
export function findAll(node: SvgNode, test: (n: SvgNode) => boolean): SvgNode[] {
  const out: SvgNode[] = [];
  const walk = (n: SvgNode) => {
    if (test(n)) out.push(n);
    n.children.forEach(walk);
  };
  node.children.forEach(walk);
  return out;
}

/** Groups whose class list contains `cls` (e.g. "role-axis", "mark-line"). */
export function byClass(node: SvgNode, cls: string): SvgNode[] {
  return findAll(node, (n) => (n.attrs.class ?? "").split(/\s+/).includes(cls));
}

/** All text drawn below `node`. */
export function texts(node: SvgNode): string[] {
  return findAll(node, (n) => n.name === "text").map((n) => n.text);
}

/** A vega axis: its title and its labels with positions. */
export interface SvgAxis {
  /** vega's aria-label, e.g. "X-axis titled 'epoch' for a linear scale with values from 1 to 4". */
  label: string;
  title: string;
  ticks: { text: string; x: number; y: number; anchor: string; size: number; rotated: boolean }[];
}

/** Every axis of a vega SVG. */
export function axes(root: SvgNode): SvgAxis[] {
  return byClass(root, "role-axis").map((axis) => {
    const labelGroup = byClass(axis, "role-axis-label")[0];
    const ticks = labelGroup
      ? labelGroup.children.filter((n) => n.name === "text").map((n) => {
        const transform = n.attrs.transform ?? "translate(0,0)";
        const [x, y] = transform.match(/-?[\d.]+/g)!.map(Number);
        const angle = Number(transform.match(/rotate\((-?[\d.]+)/)?.[1] ?? 0);
        return {
          text: n.text,
          x,
          y,
          anchor: n.attrs["text-anchor"] ?? "start",
          size: parseFloat(n.attrs["font-size"] ?? "11"),
          rotated: Math.abs(Math.abs(angle) % 180 - 90) < 1,
        };
      })
      : [];
    return {
      label: axis.attrs["aria-label"] ?? "",
      title: texts(byClass(axis, "role-axis-title")[0] ?? axis).join(" "),
      ticks,
    };
  });
}

/**
 * Pairs of labels of one axis that overlap: horizontally (measured with the chart font) when the
 * labels sit side by side, vertically (by font size) when they are stacked.
 * @returns "a / b" for every overlapping pair
 */
export function overlappingTicks(axis: SvgAxis, gap = 2): string[] {
  const ticks = axis.ticks;
  const horizontal = new Set(ticks.map((t) => t.y)).size === 1;
  const extent = (t: SvgAxis["ticks"][number]) => {
    // Rotated labels stand side by side along x, each one line of text high.
    if (t.rotated) return [t.x - t.size / 2, t.x + t.size / 2];
    if (!horizontal) return [t.y - t.size / 2, t.y + t.size / 2];
    const w = textWidth(t.text, t.size);
    const left = t.anchor === "middle" ? t.x - w / 2 : t.anchor === "end" ? t.x - w : t.x;
    return [left, left + w];
  };
  const out: string[] = [];
  for (let i = 0; i < ticks.length; i++) {
    for (let j = i + 1; j < ticks.length; j++) {
      const [a0, a1] = extent(ticks[i]);
      const [b0, b1] = extent(ticks[j]);
      if (a0 < b1 + gap && b0 < a1 + gap) out.push(`${ticks[i].text} / ${ticks[j].text}`);
    }
  }
  return out;
}
