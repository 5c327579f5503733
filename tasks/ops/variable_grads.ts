/**
 * `variableGrads`: tf.variableGrads with the memory of backpropagation freed as it goes.
 *
 * tfjs 4's backward pass keeps every intermediate gradient and every tensor the forward pass
 * saved until the whole backward pass ends, so a training step's peak holds the activations and
 * all their gradients at once (MobileNet at 224², batch 32: 4.6 GB of tensors against PyTorch's
 * 2.7 GB process). Walking the tape in reverse, a tensor's gradient is dead once the node that
 * produced the tensor has been differentiated, and that node's saved tensors are dead with it;
 * this version frees both right there, and frees the saved tensors of nodes that do not lie
 * between the variables and the loss before the walk starts. The gradients are the same
 * tensors, computed by the same gradient functions in the same order.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

// The parts of tfjs-core's Engine (4.x) this relies on; checked before use.
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  gradients(
    f: () => tf.Tensor,
    xs: tf.Tensor[],
    dy?: tf.Tensor,
    allowNoGradients?: boolean,
  ): { value: tf.Tensor; grads: tf.Tensor[] };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T;
  tidy<T extends tf.TensorContainer>(f: () => T): T;
}

/** The nodes of `tape` on a path from a tensor of `xs` to `y`, inputs pruned to such tensors. */
function nodesBetween(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const reached = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      reached.add(node.id);
      node.outputs.forEach((o) => fromX.add(o.id));
    }
  }
  const toY = new Set([y.id]);
  const leads = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      leads.add(node.id);
      Object.values(node.inputs).forEach((t) => toY.add(t.id));
    }
  }
  return tape.filter((n) => reached.has(n.id) && leads.has(n.id)).map((n) => ({
    ...n,
    inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))),
  }));
}

function disposeSaved(node: TapeNode): void {
  for (const t of node.saved ?? []) t.dispose();
  node.saved = [];
}

/**
 * Engine.gradients with early freeing (see the module doc); same arguments, same result, same
 * errors for a missing gradient function or a gradient of the wrong shape or dtype.
 */
function leanGradients(
  engine: EngineInternals,
  f: () => tf.Tensor,
  xs: tf.Tensor[],
  dy?: tf.Tensor,
  allowNoGradients = false,
): { value: tf.Tensor; grads: tf.Tensor[] } {
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy("forward", f),
  );
  if (!(y instanceof tf.Tensor)) throw new Error("The result y returned by f() must be a tensor.");
  const tape = engine.state.activeTape ?? [];
  const path = nodesBetween(tape, xs, y);
  if (!allowNoGradients && path.length === 0 && xs.length > 0) {
    throw new Error(
      "Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed " +
        "encloses all operations that lead from x to y.",
    );
  }
  // Higher-order gradients read the saved tensors of this tape again: free nothing then.
  const free = engine.state.gradientDepth === 0;
  const wanted = new Set(xs.map((x) => x.id));
  return engine.tidy("backward", () => {
    const grads = new Map<number, tf.Tensor>([[y.id, dy ?? tf.ones(y.shape)]]);
    if (free) {
      const onPath = new Set(path.map((n) => n.id));
      tape.filter((n) => !onPath.has(n.id)).forEach(disposeSaved);
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const node = path[i];
      if (node.gradient == null) {
        throw new Error(
          `Cannot compute gradient: gradient function not found for ${node.kernelName}.`,
        );
      }
      const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
      const inputGradients = node.gradient(dys);
      for (const [name, x] of Object.entries(node.inputs)) {
        if (!(name in inputGradients)) {
          throw new Error(
            `Cannot backprop through input ${name}. Available gradients found: ` +
              `${Object.keys(inputGradients)}.`,
          );
        }
        const dx = engine.tidy(() => inputGradients[name]());
        if (dx.dtype !== "float32") {
          throw new Error(
            `Error in gradient for op ${node.kernelName}. The gradient of input ${name} must ` +
              `have 'float32' dtype, but has '${dx.dtype}'`,
          );
        }
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(
            `Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has ` +
              `shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`,
          );
        }
        const before = grads.get(x.id);
        if (before === undefined) {
          grads.set(x.id, dx);
        } else {
          grads.set(x.id, tf.add(before, dx));
          before.dispose();
        }
      }
      if (!free) continue;
      // This node made its outputs, so nothing upstream reads their gradients any more (unless a
      // gradient function handed one through as an input's gradient: that one stays).
      for (const o of node.outputs) {
        const g = grads.get(o.id);
        if (g === undefined || wanted.has(o.id)) continue;
        grads.delete(o.id);
        if (![...grads.values()].includes(g)) g.dispose();
      }
      disposeSaved(node);
    }
    const result = xs.map((x) => grads.get(x.id) as tf.Tensor);
    if (free) {
      tape.forEach(disposeSaved);
      engine.state.activeTape = null;
    }
    return { value: y, grads: result };
  });
}

/**
 * tf.variableGrads(f, varList) whose backward pass frees each intermediate gradient and saved
 * tensor once it is no longer needed (see the module doc). Falls back to tfjs' own when the
 * engine is not tfjs 4's.
 * @returns the value of f() and the gradient of each variable, by variable name.
 */
export function variableGrads(
  f: () => tf.Scalar,
  varList: tf.Variable[],
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = tf.engine() as unknown as EngineInternals;
  const fits = typeof engine.scopedRun === "function" && typeof engine.startTape === "function" &&
    typeof engine.endTape === "function" && typeof engine.gradients === "function" &&
    typeof engine.state?.gradientDepth === "number";
  if (!fits) return tf.variableGrads(f, varList);
  // tf.variableGrads checks its arguments and maps names; only Engine.gradients is swapped, for
  // the duration of this call.
  const original = engine.gradients;
  engine.gradients = (g, xs, dy, allowNoGradients) =>
    leanGradients(engine, g, xs, dy, allowNoGradients);
  try {
    return tf.variableGrads(f, varList);
  } finally {
    engine.gradients = original;
  }
}
