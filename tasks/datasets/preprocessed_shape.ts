/** What {@linkcode preprocessedShape} needs of the preprocess options. */
export interface ShapeOptions {
  resize?: [number, number];
  channels?: 1 | 3;
}

/** The [height, width, channels] of images after preprocessing: the model's input shape. */
export function preprocessedShape(
  shape: readonly [number, number, number],
  options: ShapeOptions,
): [number, number, number] {
  const [h, w] = options.resize ?? [shape[0], shape[1]];
  return [h, w, options.channels ?? shape[2]];
}
