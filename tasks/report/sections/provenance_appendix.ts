/**
 * Appendix: where the numbers come from — config hash, stage fingerprints, versions. Only what
 * the cached results and the config determine: the machine, the date, the git commit and the
 * timings of a run are run facts, in run-info.md beside the report (not committed).
 * @module
 */
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/** Provenance keys shown, with their labels. */
const KNOWN_KEYS: [string, string][] = [
  ["deno", "Deno"],
  ["tfjs", "TensorFlow.js"],
  ["backend", "Backend"],
];

/** The sidecar with this run's facts (written by tasks/report/run_info.ts). */
export const RUN_INFO_MD = "run-info.md";

/**
 * A key/value table (config and runtime) and a per-run table of stage fingerprints, from
 * `provenance.fingerprints` (input name → the engine's fingerprint of that stage, which the
 * report stage adds), cut to 16 characters: enough to find the cache entry.
 */
export function provenanceAppendix(data: ReportData): Block[] {
  const { config, provenance } = data.params;
  const rows: string[][] = [
    ["Config", `\`${config.name}\` (\`${config.path}\`)`],
    ["Config hash", `\`${config.hash}\``],
  ];
  for (const [key, label] of KNOWN_KEYS) rows.push([label, String(provenance[key])]);
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
    {
      kind: "link",
      text: "Timings, images/s, the machine, the date and the git commit of the last run on " +
        "this machine (not committed, as they change with every run): ",
      label: RUN_INFO_MD,
      href: RUN_INFO_MD,
    },
  ];
}
