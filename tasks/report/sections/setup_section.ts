/**
 * The settings behind the numbers, as the lab reports list their defaults: what all runs share,
 * then what differs between runs.
 * @module
 */
import { canonicalJson } from "../group_by_seed.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/** Run params flattened to dotted keys, e.g. `train.schedule.type` → "step". */
export function flattenParams(value: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      for (const [k, v] of flattenParams(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
    if (Object.keys(value).length === 0 && prefix) out.set(prefix, "{}");
  } else if (prefix) {
    out.set(prefix, typeof value === "string" ? value : canonicalJson(value));
  }
  return out;
}

/**
 * A table of the settings every run shares and a table of the ones that vary (one row per run;
 * `seed` only when it is the sole difference is left to the seeds table).
 * @returns no blocks when there are no params
 */
export function setupSection(data: ReportData): Block[] {
  const flat = data.results.map((r) => flattenParams(r.run.params));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  if (keys.length === 0) return [];
  const shared = keys.filter((k) => flat.every((f) => f.get(k) === flat[0].get(k)));
  const varying = keys.filter((k) => !shared.includes(k));
  const blocks: Block[] = [{ kind: "heading", level: 2, text: "Setup" }];
  const overrides = data.params.config.overrides ?? [];
  if (overrides.length > 0) {
    blocks.push({
      kind: "paragraph",
      text: `Command-line overrides (over ${data.params.config.path}): ${
        overrides.map((o) => `\`${o}\``).join(", ")
      }.`,
    });
  }
  if (shared.length > 0) {
    // One row per top-level section keeps ~40 defaults readable: `train` → "lr=0.01, …".
    const sections = new Map<string, string[]>();
    for (const key of shared) {
      const dot = key.indexOf(".");
      const section = dot < 0 ? key : key.slice(0, dot);
      const text = dot < 0 ? flat[0].get(key)! : `${key.slice(dot + 1)}=${flat[0].get(key)}`;
      sections.set(section, [...(sections.get(section) ?? []), text]);
    }
    blocks.push({
      kind: "paragraph",
      text: data.results.length > 1 ? "Settings shared by all runs:" : "Settings:",
    }, {
      kind: "table",
      headers: ["Section", "Settings"],
      align: ["left", "left"],
      rows: [...sections].map(([section, texts]) => [`\`${section}\``, texts.join(", ")]),
    });
  }
  if (varying.length > 0) {
    blocks.push({ kind: "paragraph", text: "Settings that differ between runs:" }, {
      kind: "table",
      headers: ["Run", ...varying.map((k) => `\`${k}\``)],
      align: ["left", ...varying.map(() => "left" as const)],
      rows: data.results.map((r, i) => [r.run.name, ...varying.map((k) => flat[i].get(k) ?? "—")]),
    });
  }
  return blocks;
}
