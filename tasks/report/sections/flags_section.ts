/**
 * A list of the runs whose numbers need a second look.
 * @module
 */
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * Lists diverged, stuck, early-stopped and reduced runs with the reason.
 * @returns no blocks when no run is flagged
 */
export function flagsSection(data: ReportData): Block[] {
  const items = data.results.flatMap((r) => {
    const flags = data.flags.get(r)!;
    return flags.length > 0 ? [`**${r.run.name}**: ${flags.map((f) => f.text).join("; ")}`] : [];
  });
  if (items.length === 0) return [];
  return [
    { kind: "heading", level: 2, text: "Flagged runs" },
    {
      kind: "paragraph",
      text:
        "A run is **diverged** when its loss stopped being finite, **stuck** when its test top-1 " +
        `is below ${data.params.options.stuck_factor} × chance; reduced runs trained on fewer ` +
        "epochs or less data than the lab report, so their numbers are not comparable with it.",
    },
    { kind: "list", items },
  ];
}
