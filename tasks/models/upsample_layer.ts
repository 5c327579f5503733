/**
 * `Upsample2D`: bilinear upsampling by an integer factor with PyTorch's sampling
 * (`nn.Upsample(mode="bilinear", align_corners=False)`, half-pixel centers). TF.js's
 * `upSampling2d` samples without half-pixel centers, and its resize-bilinear gradient ignores
 * them, so this layer interpolates with two small matrix products instead (exact gradients on
 * every backend). Serializable, no weights.
 */
import * as tf from "@tensorflow/tfjs";

/** Settings of {@link Upsample2D}. */
export interface Upsample2DArgs {
  /** Integer scale factor for height and width. */
  factor: number;
  name?: string;
}

/**
 * The `[n·factor, n]` matrix that interpolates a length-`n` signal at half-pixel centers, source
 * coordinates clamped at 0 and `n − 1` as PyTorch does.
 */
export function bilinearMatrix(n: number, factor: number): Float32Array {
  const m = new Float32Array(n * factor * n);
  for (let i = 0; i < n * factor; i++) {
    const src = Math.max((i + 0.5) / factor - 0.5, 0);
    const i0 = Math.min(Math.floor(src), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    const t = src - i0;
    m[i * n + i0] += 1 - t;
    m[i * n + i1] += t;
  }
  return m;
}

/** `[b,h,w,c] → [b,h·f,w·f,c]`, bilinear with half-pixel centers. */
export class Upsample2D extends tf.layers.Layer {
  /** Registered class name, stored in saved topologies. */
  static className = "Upsample2D";
  readonly factor: number;

  constructor(args: Upsample2DArgs) {
    super({ name: args.name });
    this.factor = args.factor;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as tf.Shape;
    const grow = (d: number | null) => (d === null ? null : d * this.factor);
    return [s[0], grow(s[1]), grow(s[2]), s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const f = this.factor;
      const ah = tf.tensor2d(bilinearMatrix(h, f), [h * f, h]);
      const aw = tf.tensor2d(bilinearMatrix(w, f), [w * f, w]);
      // Rows: [b,h,w,c] → [b·w·c, h] · Ahᵀ → [b,w,c,h·f]
      const rows = tf.matMul(x.transpose([0, 2, 3, 1]).reshape([b * w * c, h]), ah, false, true);
      // Columns: [b,h·f,c,w] · Awᵀ → [b,h·f,c,w·f] → [b,h·f,w·f,c]
      const cols = rows.reshape([b, w, c, h * f]).transpose([0, 3, 2, 1]).reshape([
        b * h * f * c,
        w,
      ]);
      return tf.matMul(cols, aw, false, true).reshape([b, h * f, c, w * f]).transpose([0, 1, 3, 2]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(Upsample2D);
