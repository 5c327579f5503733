/**
 * Per-class accuracy of the best run, read off its confusion matrix.
 * @module
 */
import { confusedClasses } from "../confused_classes.ts";
import { formatMetric } from "../format_metric.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

/**
 * Class, test images, correct, accuracy and the class it is most often mistaken for.
 * @returns no blocks when there is no best run
 */
export function perClassSection(data: ReportData): Block[] {
  const best = data.best;
  if (!best) return [];
  const { confusion, class_names: names } = best.metrics;
  const shown = confusedClasses(confusion, data.params.options.max_classes);
  const rows = shown.map((i) => {
    const row = confusion[i];
    const total = row.reduce((a, b) => a + b, 0);
    let confused = -1;
    row.forEach((count, j) => {
      if (j !== i && count > 0 && (confused < 0 || count > row[confused])) confused = j;
    });
    return [
      names[i],
      formatMetric("integer", total),
      formatMetric("integer", row[i]),
      formatMetric("accuracy", total > 0 ? row[i] / total : null, data.format),
      confused >= 0 ? `${names[confused]} (${formatMetric("integer", row[confused])})` : "—",
    ];
  });
  return [
    { kind: "heading", level: 3, text: `Per-class accuracy: ${best.run.name}` },
    ...(shown.length < names.length
      ? [{
        kind: "paragraph" as const,
        text: `The ${shown.length} most confused of ${names.length} classes; ` +
          "metrics/per_class.csv has all of them.",
      }]
      : []),
    {
      kind: "table",
      headers: ["Class", "Images", "Correct", "Accuracy", "Most often predicted instead"],
      align: ["left", "right", "right", "right", "left"],
      rows,
    },
  ];
}
