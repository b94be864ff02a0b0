/**
 * `gatherRows`: an axis-0 gather (an embedding lookup) whose gradient is one
 * `UnsortedSegmentSum` of the incoming gradient, without the reshapes and transposes TF.js
 * core's `gather` gradient wraps around it.
 *
 * @module
 */
import { tf } from "./runtime.ts";

/**
 * Rows `indices` of `x`: `out[i] = x[indices[i]]`, shape `[indices.length, x.shape[1]]`, with
 * the gradient w.r.t. `x` computed as `unsortedSegmentSum(dy, indices, x.shape[0])` (repeated
 * indices add up). `indices` is treated as a constant (it has no gradient).
 *
 * @throws RangeError when `x` is not 2-D or `indices` not 1-D; TypeError when `indices` is not
 * int32; on the wasm backend, a RangeError naming an index outside `[0, x.shape[0])`.
 */
export function gatherRows(x: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  if (x.rank !== 2) throw new RangeError(`gatherRows: x must be 2-D, got shape [${x.shape}]`);
  if (indices.rank !== 1) {
    throw new RangeError(`gatherRows: indices must be 1-D, got shape [${indices.shape}]`);
  }
  if (indices.dtype !== "int32") {
    throw new TypeError(`gatherRows: indices must be int32, got ${indices.dtype}`);
  }
  const rows = x.shape[0];
  const lookup = tf.customGrad((t, save) => {
    (save as tf.GradSaveFunc)([indices]);
    return {
      value: tf.gather(t as tf.Tensor2D, indices),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        tf.unsortedSegmentSum(dy, saved[0] as tf.Tensor1D, rows),
    };
  });
  return lookup(x) as tf.Tensor2D;
}
