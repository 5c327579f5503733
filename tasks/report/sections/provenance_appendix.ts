/**
 * Appendix: where the numbers come from — config hash, stage fingerprints, versions, machine.
 * @module
 */
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/** Provenance keys shown first, with their labels; other keys follow as they are. */
const KNOWN_KEYS: [string, string][] = [
  ["date", "Generated"],
  ["deno", "Deno"],
  ["tfjs", "TensorFlow.js"],
  ["backend", "Backend"],
  ["machine", "Machine"],
];

/**
 * A key/value table (config and runtime) and a per-run table of stage fingerprints, from
 * `provenance.fingerprints` (input name → the engine's fingerprint of that stage, which the
 * report stage adds), cut to 16 characters: enough to find the cache entry.
 * @param date the generation date shown when `provenance.date` is absent
 */
export function provenanceAppendix(data: ReportData, date: string): Block[] {
  const { config, provenance } = data.params;
  const rows: string[][] = [
    ["Config", `\`${config.name}\` (\`${config.path}\`)`],
    ["Config hash", `\`${config.hash}\``],
  ];
  for (const [key, label] of KNOWN_KEYS) {
    const value = key === "date" ? provenance.date ?? date : provenance[key];
    rows.push([label, String(value)]);
  }
  for (const [key, value] of Object.entries(provenance)) {
    if (KNOWN_KEYS.some(([k]) => k === key) || key === "fingerprints") continue;
    rows.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  const fingerprint = (kind: string, run: string) =>
    `\`${(provenance.fingerprints?.[`${kind}:${run}`] ?? "unknown").slice(0, 16)}\``;
  return [
    { kind: "heading", level: 2, text: "Appendix: provenance" },
    { kind: "table", headers: ["", "Value"], align: ["left", "left"], rows },
    {
      kind: "table",
      headers: ["Run", "Experiment", "Seed", "Train stage", "Evaluate stage", "Backend"],
      align: ["left", "left", "right", "left", "left", "left"],
      rows: data.results.map((r) => [
        r.run.name,
        r.run.experiment,
        String(r.run.seed),
        fingerprint("train", r.run.name),
        fingerprint("evaluate", r.run.name),
        r.train.backend === r.metrics.backend
          ? r.train.backend
          : `${r.train.backend} / ${r.metrics.backend}`,
      ]),
    },
    { kind: "paragraph", text: "Reproduce with:" },
    { kind: "code", text: `deno task pipeline ${config.path}` },
  ];
}
