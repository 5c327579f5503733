/**
 * Model zoo: every architecture of the lab reports as TF.js layers models, built from options.
 *
 * ```ts
 * const options = parseModelOptions({ name: "resnet", depth: 18 });
 * const model = buildModel(options, { inputShape: [28, 28, 1], classes: 10, seed: 0 });
 * console.log(formatSummary(summarizeModel(model, 64)));
 * ```
 * @module
 */
export {
  buildModel,
  familyModule,
  MODEL_NAMES,
  modelFamily,
  type ModelOptions,
  type ModelOptionsOf,
  modelOptionsSchema,
  parseModelOptions,
  requiredInputShape,
} from "./model_families.ts";
export type { ModelIO } from "./_family.ts";
export { buildFromFamily, familyInputShape } from "./build_from_family.ts";
export { familyFromModule, type FamilyModule, type ModelFamily } from "./model_family.ts";
export { type ModelSummary, summarizeModel, type SummaryRow } from "./summarize_model.ts";
export { formatSummary } from "./format_summary.ts";
export { loadModel, loadModelWeights, saveModelWeights } from "./model_weights.ts";
export { LocalResponseNorm } from "./lrn_layer.ts";
export { BatchNorm } from "./batch_norm_layer.ts";
export { ChannelPad } from "./channel_pad_layer.ts";
export { ConstantPadding2D } from "./pad_layer.ts";
export { PaddedMaxPool2D } from "./max_pool_layer.ts";
export { Upsample2D } from "./upsample_layer.ts";
