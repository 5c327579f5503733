/**
 * The settings behind the numbers, as the lab reports list their defaults: what all runs share,
 * then per configuration only what differs, and the assumptions a run states.
 * @module
 */
import { canonicalJson } from "../group_by_seed.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/** Run params that are not settings: shown as a list of their own. */
const NOT_SETTINGS = new Set(["assumptions"]);

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
 * A table of the settings every run shares (one row per section) and a table of the ones that
 * vary: one row per seed group, one column per section that has a varying key, each cell listing
 * only that configuration's varying keys of the section (`seed` is left to the Seeds column when
 * it varies only within groups). Then the runs' `assumptions`, when they state any.
 * @returns no blocks when there are no params
 */
export function setupSection(data: ReportData): Block[] {
  const flat = data.results.map((r) => {
    const map = flattenParams(r.run.params);
    for (const key of [...map.keys()]) {
      if (NOT_SETTINGS.has(key.split(".")[0])) map.delete(key);
    }
    return map;
  });
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  if (keys.length === 0) return [];
  const shared = keys.filter((k) => flat.every((f) => f.get(k) === flat[0].get(k)));
  const groups = data.seedGroups;
  const flatOf = new Map(data.results.map((r, i) => [r, flat[i]]));
  const multiSeed = groups.some((g) => g.results.length > 1);
  // Within a group only `seed` differs; across groups a key varies if two groups disagree.
  const varying = keys.filter((k) =>
    !shared.includes(k) &&
    !(k === "seed" && multiSeed && new Set(groups.map((g) => seedsOf(g))).size <= 1) &&
    new Set(groups.map((g) => flatOf.get(g.results[0])!.get(k) ?? "")).size > 1
  );
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
      const [section, rest] = splitKey(key);
      const text = rest === "" ? flat[0].get(key)! : `${rest}=${flat[0].get(key)}`;
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
    const sections = [...new Set(varying.map((k) => splitKey(k)[0]))];
    blocks.push({
      kind: "paragraph",
      text: "Settings that differ between configurations (each lists only its differing keys):",
    }, {
      kind: "table",
      headers: ["Run", ...(multiSeed ? ["Seeds"] : []), ...sections.map((s) => `\`${s}\``)],
      align: [
        "left",
        ...(multiSeed ? ["left" as const] : []),
        ...sections.map(() => "left" as const),
      ],
      rows: groups.map((g) => {
        const own = flatOf.get(g.results[0])!;
        return [
          g.label,
          ...(multiSeed ? [seedsOf(g)] : []),
          ...sections.map((section) =>
            varying
              .filter((k) => splitKey(k)[0] === section && own.has(k))
              .map((k) => {
                const rest = splitKey(k)[1];
                return rest === "" ? own.get(k)! : `${rest}=${own.get(k)}`;
              })
              .join(", ")
          ),
        ];
      }),
    });
  }
  blocks.push(...assumptionsBlocks(data));
  return blocks;
}

function seedsOf(group: ReportData["seedGroups"][number]): string {
  return group.results.map((r) => r.run.seed).join(", ");
}

function splitKey(key: string): [string, string] {
  const dot = key.indexOf(".");
  return dot < 0 ? [key, ""] : [key.slice(0, dot), key.slice(dot + 1)];
}

/** The `assumptions: [..]` a run's params state (read defensively: any list of strings). */
function assumptionsOf(params: Record<string, unknown>): string[] {
  const value = params.assumptions;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The config's `report.assumptions`, then the runs' own (once when every run states the same). */
function assumptionsBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [];
  const config = data.params.options.assumptions ?? [];
  if (config.length > 0) {
    blocks.push(
      { kind: "paragraph", text: "Assumptions of this configuration (its source does not say):" },
      { kind: "list", items: config },
    );
  }
  const lists = data.seedGroups.map((g) => ({
    label: g.label,
    items: assumptionsOf(g.results[0].run.params),
  }));
  const any = lists.filter((l) => l.items.length > 0);
  if (any.length === 0) return blocks;
  const same = lists.every((l) => canonicalJson(l.items) === canonicalJson(lists[0].items));
  if (same) {
    return [
      ...blocks,
      { kind: "paragraph", text: "Assumptions stated for every run:" },
      { kind: "list", items: lists[0].items },
    ];
  }
  return [
    ...blocks,
    { kind: "paragraph", text: "Assumptions stated by the runs:" },
    { kind: "list", items: any.map((l) => `**${l.label}**: ${l.items.join("; ")}`) },
  ];
}
