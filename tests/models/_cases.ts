/**
 * Every model of the zoo with the input it is meant for, plus a small configuration of the same
 * builder that the cpu backend can train in well under a second.
 */
export interface ZooCase {
  options: Record<string, unknown>;
  /** Intended input `[h, w, c]` and classes. */
  input: [number, number, number];
  classes: number;
  /** Options (narrow widths, no dropout) and input for the training-step test. */
  small: { options: Record<string, unknown>; input: [number, number, number] };
}

export const CASES: ZooCase[] = [
  {
    options: { name: "lenet" },
    input: [28, 28, 1],
    classes: 10,
    small: { options: { name: "lenet" }, input: [28, 28, 1] },
  },
  {
    options: { name: "lenet5" },
    input: [28, 28, 1],
    classes: 10,
    small: { options: { name: "lenet5" }, input: [28, 28, 1] },
  },
  {
    options: { name: "net" },
    input: [32, 32, 3],
    classes: 10,
    small: { options: { name: "net" }, input: [32, 32, 3] },
  },
  {
    options: { name: "vgg" },
    input: [224, 224, 3],
    classes: 1000,
    small: {
      options: {
        name: "vgg",
        blocks: [[8], [8], [16, 16], [16, 16], [16, 16]],
        fc_units: [32, 32],
        fc_dropout: 0,
      },
      input: [32, 32, 3],
    },
  },
  {
    options: { name: "vgg_small" },
    input: [28, 28, 1],
    classes: 10,
    small: {
      options: { name: "vgg_small", blocks: [[8, 8], [16, 16]], fc_units: [32, 32], fc_dropout: 0 },
      input: [16, 16, 1],
    },
  },
  {
    options: { name: "resnet", depth: 18 },
    input: [28, 28, 1],
    classes: 10,
    small: { options: { name: "resnet", width: 4 }, input: [32, 32, 1] },
  },
  {
    options: { name: "resnet", depth: 50 },
    input: [224, 224, 3],
    classes: 1000,
    small: { options: { name: "resnet", depth: 50, width: 4 }, input: [32, 32, 3] },
  },
];
