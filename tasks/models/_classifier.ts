/** Private: the fully connected head most families end with. */
import {
  activation,
  type ActivationKind,
  dense,
  dropout,
  type NetContext,
  type T,
} from "./_net.ts";

/** How a fully connected head is laid out. */
export interface ClassifierSpec {
  /** Hidden layer widths, e.g. `[4096, 4096]`; `[]` means one linear layer. */
  hidden: readonly number[];
  classes: number;
  /** Dropout rate; 0 adds no dropout layers. */
  dropout: number;
  /**
   * `"before"`: Dropout → Linear → act per hidden layer (torchvision AlexNet, lab report 000's VGG);
   * `"after"`: Linear → act → Dropout (torchvision VGG, d2l's AlexNet).
   */
  dropoutAt: "before" | "after";
  /** Hidden activation. Default relu. */
  activation?: ActivationKind;
}

/** `[b,n] → [b,classes]` logits; layers are named `${prefix}.fc1`, `${prefix}.fc2`, … */
export function classifier(ctx: NetContext, x: T, prefix: string, spec: ClassifierSpec): T {
  const act = spec.activation ?? "relu";
  let y = x;
  spec.hidden.forEach((units, i) => {
    const fc = `${prefix}.fc${i + 1}`;
    if (spec.dropoutAt === "before") y = dropout(y, `${fc}.dropout`, spec.dropout);
    y = activation(dense(ctx, y, fc, units), `${fc}.${act}`, act);
    if (spec.dropoutAt === "after") y = dropout(y, `${fc}.dropout`, spec.dropout);
  });
  return dense(ctx, y, `${prefix}.fc${spec.hidden.length + 1}`, spec.classes);
}
