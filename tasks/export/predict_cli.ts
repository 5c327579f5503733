/**
 * `deno task predict <model-dir> <image.png|jpg>... [--top K] [--backend NAME] [--json]`:
 * classifies images with a model written by `deno task export`, preprocessing them as training
 * did, and prints each image's most probable classes.
 * @module
 */
import { env } from "@tensorflow/tfjs-core";
import { formatTable } from "../../pipelines/cli/format_table.ts";
import { useBackend } from "../backends/use_backend.ts";
import { parseToolArgs, positiveInteger, UsageError } from "../experiments/_parse_tool_args.ts";
import type { ToolIo } from "../experiments/runs_cli.ts";
import { BadImagesError, predictImages } from "./predict_images.ts";

/** Usage of `deno task predict`. */
export const PREDICT_USAGE = `usage: deno task predict <model-dir> <image.png|jpg>... [options]
  model-dir         a folder written by \`deno task export\`
  --top K           classes shown per image (default 5)
  --backend NAME    tfjs backend: cpu (default), wasm, native, webgpu, tensorflow, auto
  --json            print JSON: [{ file, top: [{ index, name, probability }] }]`;

/**
 * Runs `deno task predict`.
 * @returns 0, 1 when an image or the model cannot be read (every bad image is named), 2 for
 * bad arguments.
 */
export async function runPredictCli(args: readonly string[], io: ToolIo = {}): Promise<number> {
  const out = io.out ?? ((t: string) => console.log(t));
  const err = io.err ?? ((t: string) => console.error(t));
  try {
    const { values, positionals } = parseToolArgs(args, {
      top: { type: "string" },
      backend: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      out(PREDICT_USAGE);
      return 0;
    }
    const [modelDir, ...images] = positionals;
    if (modelDir === undefined || images.length === 0) {
      throw new UsageError(
        "Cannot predict as it takes a model folder and at least one image: e.g. deno task predict models/lenet digit.png",
      );
    }
    const top = positiveInteger("top", values.top, 5);
    // tfjs advises installing tfjs-node on the first tensor; the backend was chosen on purpose.
    env().set("PROD", true);
    await useBackend(values.backend ?? "cpu");
    const predictions = await predictImages(modelDir, images, { top });
    if (values.json) {
      out(JSON.stringify(predictions, null, 2));
      return 0;
    }
    const headers = [
      "image",
      ...Array.from({ length: predictions[0].top.length }, (_, i) => `#${i + 1}`),
    ];
    out(formatTable(
      headers,
      predictions.map((p) => [
        p.file,
        ...p.top.map((c) => `${c.name} (${(c.probability * 100).toFixed(2)} %)`),
      ]),
    ));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n${PREDICT_USAGE}`);
      return 2;
    }
    if (error instanceof BadImagesError) {
      error.problems.forEach((p) => err(p));
      return 1;
    }
    err((error as Error).message);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await runPredictCli(Deno.args));
