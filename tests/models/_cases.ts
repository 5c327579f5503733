/**
 * Every model of the zoo with the data it is used on and the input it asks for, plus a small
 * configuration of the same builder that the cpu backend can train in about a second.
 */
export interface ZooCase {
  options: Record<string, unknown>;
  /** Data shape `[h, w, c]` (MNIST 28×28×1, CIFAR 32×32×3, Tiny ImageNet 64×64×3, ImageNet). */
  data: [number, number, number];
  /** `requiredInputShape(options, data)`: what the model is built for. */
  input: [number, number, number];
  classes: number;
  /** Options (narrow widths, no dropout) and input for the training-step test. */
  small: { options: Record<string, unknown>; input: [number, number, number] };
}

const MNIST: [number, number, number] = [28, 28, 1];
const CIFAR: [number, number, number] = [32, 32, 3];
const TINY: [number, number, number] = [64, 64, 3];
const IMAGENET: [number, number, number] = [224, 224, 3];

export const CASES: ZooCase[] = [
  {
    options: { name: "lenet" },
    data: MNIST,
    input: MNIST,
    classes: 10,
    small: { options: { name: "lenet" }, input: MNIST },
  },
  {
    options: { name: "lenet5" },
    data: MNIST,
    input: MNIST,
    classes: 10,
    small: { options: { name: "lenet5" }, input: MNIST },
  },
  {
    options: { name: "net" },
    data: CIFAR,
    input: CIFAR,
    classes: 10,
    small: { options: { name: "net" }, input: CIFAR },
  },
  {
    options: { name: "cnn" },
    data: TINY,
    input: TINY,
    classes: 200,
    small: {
      options: {
        name: "cnn",
        stem_width: 8,
        channels: [8, 16],
        fc_units: [16],
        conv_dropout: 0,
        fc_dropout: 0,
      },
      input: [32, 32, 3],
    },
  },
  {
    options: { name: "alexnet" },
    data: IMAGENET,
    input: IMAGENET,
    classes: 1000,
    small: {
      options: { name: "alexnet", width: 0.125, fc_units: [16, 16], fc_dropout: 0 },
      input: [63, 63, 3],
    },
  },
  {
    options: { name: "alexnet_d2l" },
    data: MNIST,
    input: [224, 224, 1],
    classes: 10,
    small: {
      options: { name: "alexnet_d2l", width: 0.125, fc_units: [16, 16], fc_dropout: 0, lrn: true },
      input: [67, 67, 1],
    },
  },
  {
    options: { name: "alexnet_small" },
    data: MNIST,
    input: MNIST,
    classes: 10,
    small: {
      options: { name: "alexnet_small", width: 0.125, fc_units: [16, 16], fc_dropout: 0 },
      input: [16, 16, 1],
    },
  },
  {
    options: { name: "vgg" },
    data: IMAGENET,
    input: IMAGENET,
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
    data: MNIST,
    input: MNIST,
    classes: 10,
    small: {
      options: { name: "vgg_small", blocks: [[8, 8], [16, 16]], fc_units: [32, 32], fc_dropout: 0 },
      input: [16, 16, 1],
    },
  },
  {
    options: { name: "nin" },
    data: MNIST,
    input: [224, 224, 1],
    classes: 10,
    small: { options: { name: "nin", channels: [8, 16, 16], fc_dropout: 0 }, input: [96, 96, 1] },
  },
  {
    options: { name: "googlenet" },
    data: MNIST,
    input: [96, 96, 1],
    classes: 10,
    small: { options: { name: "googlenet", width: 0.125, lrn: true }, input: [32, 32, 1] },
  },
  {
    options: { name: "resnet", depth: 18 },
    data: MNIST,
    input: MNIST,
    classes: 10,
    small: { options: { name: "resnet", width: 4 }, input: [32, 32, 1] },
  },
  {
    options: { name: "resnet", depth: 50 },
    data: IMAGENET,
    input: IMAGENET,
    classes: 1000,
    small: { options: { name: "resnet", depth: 50, width: 4 }, input: [32, 32, 3] },
  },
  {
    options: { name: "resnet_cifar", depth: 56 },
    data: CIFAR,
    input: CIFAR,
    classes: 10,
    small: { options: { name: "resnet_cifar", depth: 8, widths: [4, 8, 16] }, input: [16, 16, 3] },
  },
  {
    options: { name: "resnet_dropout" },
    data: TINY,
    input: TINY,
    classes: 200,
    small: {
      options: {
        name: "resnet_dropout",
        stem_width: 8,
        blocks: [8, 16],
        conv_dropout: 0,
        fc_dropout: 0,
      },
      input: [16, 16, 3],
    },
  },
  {
    options: { name: "se_resnet" },
    data: CIFAR,
    input: CIFAR,
    classes: 10,
    small: {
      options: { name: "se_resnet", depth: 8, widths: [8, 8, 16], reduction: 4 },
      input: [16, 16, 3],
    },
  },
  {
    options: { name: "densenet" },
    data: IMAGENET,
    input: IMAGENET,
    classes: 1000,
    small: {
      options: { name: "densenet", block_sizes: [2, 2], growth_rate: 4, init_features: 8 },
      input: [32, 32, 3],
    },
  },
  {
    options: { name: "densenet_simple" },
    data: CIFAR,
    input: CIFAR,
    classes: 10,
    small: {
      options: {
        name: "densenet_simple",
        block_sizes: [2, 2, 2],
        growth_rate: 4,
        transition_channels: [8, 8],
        init_features: 8,
      },
      input: [32, 32, 3],
    },
  },
  {
    options: { name: "mobilenet_v1" },
    data: IMAGENET,
    input: IMAGENET,
    classes: 1000,
    small: { options: { name: "mobilenet_v1", width: 0.25 }, input: [32, 32, 3] },
  },
  {
    options: { name: "mobilenet_v1", blocks: 7, upsample: 8, pool: 7 },
    data: MNIST,
    input: MNIST,
    classes: 10,
    small: {
      options: { name: "mobilenet_v1", width: 0.25, blocks: 7, upsample: 2, pool: 2 },
      input: [16, 16, 1],
    },
  },
  {
    options: { name: "mobilenet_v2" },
    data: IMAGENET,
    input: IMAGENET,
    classes: 1000,
    small: { options: { name: "mobilenet_v2", width: 0.25, fc_dropout: 0 }, input: [32, 32, 3] },
  },
];
