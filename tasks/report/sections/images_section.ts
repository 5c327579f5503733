/**
 * Test images: each model's most confident mistakes, and correct samples of every class for the
 * selected run (lab reports show both to explain what a model confuses).
 * @module
 */
import { formatMetric } from "../format_metric.ts";
import { type GridRow, imageGridSvg } from "../figures/image_grid_svg.ts";
import type { ReportData } from "../report_data.ts";
import type { Block } from "../report_document.ts";

const percent = (confidence: number) => `${Math.round(confidence * 100)} %`;

/**
 * Two figures from `data.images` (read by writeReport): "mistakes" (a row per model, its
 * mistakes by falling confidence, captioned true class → predicted class and confidence) and
 * "samples" (a row per class).
 * @returns no blocks when no images were read
 */
export function imagesSection(data: ReportData): Block[] {
  const images = data.images;
  if (!images) return [];
  const blocks: Block[] = [];
  const rows: GridRow[] = images.models.map((m) => ({
    label: m.label,
    note: `${formatMetric("integer", m.errors)} of ${formatMetric("integer", m.total)} wrong`,
    cells: m.mistakes.map((p) => ({
      pixels: p.pixels,
      shape: p.shape,
      caption: [
        p.classNames[p.label],
        `→ ${p.classNames[p.prediction]} (${percent(p.confidence)})`,
      ],
      accent: "#b00020",
    })),
  }));
  if (rows.length > 0) {
    blocks.push({
      kind: "figure",
      name: "mistakes",
      title: "Most confident mistakes per model",
      svg: imageGridSvg(
        "Most confident mistakes per model on the test set: true class → predicted class (confidence)",
        rows,
      ),
    });
  }
  if (images.samples) {
    const { run, perClass } = images.samples;
    const names = run.metrics.class_names;
    blocks.push({
      kind: "figure",
      name: "samples",
      title: "Correctly classified samples per class",
      svg: imageGridSvg(
        `Correctly classified test images per class: ${run.run.name}`,
        perClass.map((picks, c) => ({
          label: names[c],
          note: picks.length === 0 ? "none correct" : undefined,
          cells: picks.map((p) => ({
            pixels: p.pixels,
            shape: p.shape,
            caption: [`#${p.index}`, percent(p.confidence)],
            accent: "#2e7d32",
          })),
        })),
        { cellWidth: 76 },
      ),
    });
  }
  if (blocks.length === 0 && images.missing.length === 0) return [];
  return [
    { kind: "heading", level: 2, text: "Test images" },
    ...(images.missing.length > 0
      ? [{ kind: "paragraph" as const, text: images.missing.join(" ") }]
      : []),
    ...blocks,
  ];
}
