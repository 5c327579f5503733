/**
 * predictions.csv of the evaluate stage: one line per test image, in test-set order —
 * `index,label,prediction,confidence` (confidence: the softmax probability of the predicted
 * class, 6 decimals). About 20 bytes an image; the report picks samples and the most confident
 * mistakes from it. The evaluate stage writes it and the report reads it, both through here.
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "./write_file_atomic.ts";

/** File name inside the evaluate stage's output folder. */
export const PREDICTIONS_FILE = "predictions.csv";

/** The header line; a file without it is not a predictions file. */
const HEADER = "index,label,prediction,confidence";

/** Per-image predictions, column by column. */
export interface Predictions {
  /** Position in the data artifact's test set. */
  index: Int32Array;
  /** True class. */
  label: Int32Array;
  /** Predicted class (argmax). */
  prediction: Int32Array;
  /** Probability of the predicted class, in [0, 1]. */
  confidence: Float32Array;
}

/** The text of predictions.csv. */
export function formatPredictions(p: Predictions): string {
  const lines = [HEADER];
  for (let i = 0; i < p.index.length; i++) {
    lines.push(`${p.index[i]},${p.label[i]},${p.prediction[i]},${p.confidence[i].toFixed(6)}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Parses predictions.csv.
 * @param where the file's path, for messages
 * @param classes the number of classes; labels and predictions must be below it
 * @throws Error naming the file and line of the first malformed line
 */
export function parsePredictions(text: string, where: string, classes: number): Predictions {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines[0] !== HEADER) {
    throw new Error(
      `Cannot read ${where} as its first line is not '${HEADER}': it is '${lines[0] ?? ""}'`,
    );
  }
  const n = lines.length - 1;
  const p: Predictions = {
    index: new Int32Array(n),
    label: new Int32Array(n),
    prediction: new Int32Array(n),
    confidence: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1].split(",");
    const [index, label, prediction] = cells.slice(0, 3).map(Number);
    const confidence = Number(cells[3]);
    const ok = cells.length === 4 && [index, label, prediction].every(Number.isInteger) &&
      index >= 0 && label >= 0 && label < classes && prediction >= 0 && prediction < classes &&
      confidence >= 0 && confidence <= 1;
    if (!ok) {
      throw new Error(
        `Cannot read ${where}:${i + 2} as it is not 'index,label,prediction,confidence' with ` +
          `classes below ${classes} and a confidence in [0, 1]: it is '${lines[i + 1]}'`,
      );
    }
    p.index[i] = index;
    p.label[i] = label;
    p.prediction[i] = prediction;
    p.confidence[i] = confidence;
  }
  return p;
}

/** Writes predictions.csv into `dir`, atomically. */
export function writePredictions(dir: string, predictions: Predictions): Promise<void> {
  return writeFileAtomic(join(dir, PREDICTIONS_FILE), formatPredictions(predictions));
}

/**
 * Reads predictions.csv from the evaluate stage's output `dir`.
 * @param classes the number of classes (labels and predictions are checked against it)
 * @returns null when the file does not exist (an evaluate output written before it existed)
 * @throws Error naming the file and line when it is malformed
 */
export async function readPredictions(dir: string, classes: number): Promise<Predictions | null> {
  const path = join(dir, PREDICTIONS_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return parsePredictions(text, path, classes);
}
