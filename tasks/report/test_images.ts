/**
 * Picks the test images the report shows — each model's most confident mistakes and, for the
 * selected run, correct samples of every class — from the evaluate stage's predictions, and
 * reads their pixels from the data artifact.
 * @module
 */
import { join } from "node:path";
import { type Predictions, readPredictions } from "../artifacts/predictions.ts";
import { DATA_ARTIFACT_FILES } from "../datasets/data_artifact_files.ts";
import type { SeedGroup } from "./group_by_seed.ts";
import type { RunResult } from "./load_run_results.ts";
import { lowerIsBetter, rankValue } from "./rank_runs.ts";
import type { ReportData } from "./report_data.ts";

/** One test image and what a model made of it. */
export interface PickedImage {
  /** Position in the test set. */
  index: number;
  label: number;
  prediction: number;
  confidence: number;
  /** Row-major [h, w, c] uint8 pixels. */
  pixels: Uint8Array;
  shape: [number, number, number];
  classNames: string[];
}

/** A model's most confident mistakes. */
export interface ModelMistakes {
  /** The seed group's label. */
  label: string;
  run: RunResult;
  mistakes: PickedImage[];
  /** Misclassified test images of the run, and all of them. */
  errors: number;
  total: number;
}

/** What the images section draws. */
export interface TestImages {
  models: ModelMistakes[];
  /** Correct samples per class of the selected run (classes in order); null without one. */
  samples: { run: RunResult; perClass: PickedImage[][] } | null;
  /** Why something could not be shown (older cache entries without predictions, no data). */
  missing: string[];
}

/** Options of {@linkcode loadTestImages}. */
export interface LoadTestImagesOptions {
  mistakes: number;
  perClass: number;
  maxModels: number;
  maxClasses: number;
}

/**
 * Reads predictions and the needed pixels. Models are the seed groups' best seeds (by the
 * selection metric), the best `maxModels` groups kept, shown in config order.
 * @param inputs the report stage's inputs (`evaluate:<run>` and each run's `data` input)
 * @throws Error when predictions.csv or the data artifact exists but is malformed
 */
export async function loadTestImages(
  data: ReportData,
  inputs: Readonly<Record<string, string>>,
  options: LoadTestImagesOptions,
): Promise<TestImages> {
  const missing: string[] = [];
  const metric = data.params.options.rank_by;
  const sign = lowerIsBetter(metric) ? 1 : -1;
  const ranked = data.seedGroups
    .map((group, order) => ({ group, order, run: representative(group, metric) }))
    .map((g) => ({ ...g, value: rankValue(g.run, metric) }))
    .sort((a, b) =>
      a.value === null || b.value === null
        ? (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || a.order - b.order
        : sign * (a.value - b.value) || a.order - b.order
    )
    .slice(0, options.maxModels)
    .sort((a, b) => a.order - b.order);
  if (ranked.length < data.seedGroups.length) {
    missing.push(
      `Mistakes of the best ${ranked.length} of ${data.seedGroups.length} configurations by ` +
        "the selection metric (`report.images.max_models`).",
    );
  }
  const models: ModelMistakes[] = [];
  for (const { group, run } of ranked) {
    const source = await sourceOf(run, inputs, missing);
    if (!source) continue;
    const wrong = [...source.predictions.index.keys()]
      .filter((i) => source.predictions.label[i] !== source.predictions.prediction[i]);
    const chosen = wrong
      .sort((a, b) =>
        source.predictions.confidence[b] - source.predictions.confidence[a] ||
        source.predictions.index[a] - source.predictions.index[b]
      )
      .slice(0, options.mistakes);
    models.push({
      label: group.label,
      run,
      mistakes: await pick(source, chosen),
      errors: wrong.length,
      total: source.predictions.index.length,
    });
  }
  let samples: TestImages["samples"] = null;
  if (data.best) {
    const source = await sourceOf(data.best, inputs, missing);
    if (source) {
      const classes = data.best.metrics.class_names.length;
      const perClass: number[][] = Array.from({ length: classes }, () => []);
      const p = source.predictions;
      for (let i = 0; i < p.index.length; i++) {
        const list = perClass[p.label[i]];
        if (p.label[i] === p.prediction[i] && list.length < options.perClass) list.push(i);
      }
      const shown = perClass.slice(0, options.maxClasses);
      samples = {
        run: data.best,
        perClass: await Promise.all(shown.map((rows) => pick(source, rows))),
      };
      if (classes > options.maxClasses) {
        missing.push(`Samples of the first ${options.maxClasses} of ${classes} classes.`);
      }
    }
  }
  return { models, samples, missing: [...new Set(missing)] };
}

/** The group's seed with the best selection metric (the first when none has a value). */
function representative(group: SeedGroup, metric: ReportData["params"]["options"]["rank_by"]) {
  const sign = lowerIsBetter(metric) ? 1 : -1;
  return group.results
    .map((r, i) => ({ r, i, v: rankValue(r, metric) }))
    .sort((a, b) =>
      a.v === null || b.v === null
        ? (a.v === null ? 1 : 0) - (b.v === null ? 1 : 0) || a.i - b.i
        : sign * (a.v - b.v) || a.i - b.i
    )[0].r;
}

interface Source {
  predictions: Predictions;
  imagesPath: string;
  shape: [number, number, number];
  classNames: string[];
}

async function sourceOf(
  run: RunResult,
  inputs: Readonly<Record<string, string>>,
  missing: string[],
): Promise<Source | null> {
  const dataDir = inputs[run.run.data];
  if (dataDir === undefined) {
    missing.push(`No test images: the report stage has no '${run.run.data}' input.`);
    return null;
  }
  const classNames = run.metrics.class_names;
  const predictions = await readPredictions(run.evaluateDir, classNames.length);
  if (!predictions) {
    missing.push(
      `No per-image predictions for ${run.run.name} (its evaluate output predates them).`,
    );
    return null;
  }
  const meta = JSON.parse(await Deno.readTextFile(join(dataDir, DATA_ARTIFACT_FILES.meta)));
  const shape = meta.shape as [number, number, number];
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every(Number.isInteger)) {
    throw new Error(`Cannot read ${join(dataDir, "meta.json")} as its shape is not [h, w, c]`);
  }
  return {
    predictions,
    imagesPath: join(dataDir, DATA_ARTIFACT_FILES.testImages),
    shape,
    classNames,
  };
}

/** Reads the pixels of the chosen prediction rows, one seek per image. */
async function pick(source: Source, rows: readonly number[]): Promise<PickedImage[]> {
  const [h, w, c] = source.shape;
  const size = h * w * c;
  const file = await Deno.open(source.imagesPath, { read: true });
  try {
    const out: PickedImage[] = [];
    for (const row of rows) {
      const index = source.predictions.index[row];
      const pixels = new Uint8Array(size);
      await file.seek(index * size, Deno.SeekMode.Start);
      let read = 0;
      while (read < size) {
        const n = await file.read(pixels.subarray(read));
        if (n === null) {
          throw new Error(
            `Cannot read test image ${index} from ${source.imagesPath} as the file ends early`,
          );
        }
        read += n;
      }
      out.push({
        index,
        label: source.predictions.label[row],
        prediction: source.predictions.prediction[row],
        confidence: source.predictions.confidence[row],
        pixels,
        shape: source.shape,
        classNames: source.classNames,
      });
    }
    return out;
  } finally {
    file.close();
  }
}
