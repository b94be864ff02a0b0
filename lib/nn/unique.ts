/**
 * Unique ids of a batch and the position of every id among them, so that per-item work (e.g.
 * a content encoder) runs once per distinct item and is then gathered back to batch positions.
 *
 * @example Encode each distinct item once
 * ```ts
 * import { uniqueIndex } from "./lib/nn/mod.ts";
 * const { unique, index } = uniqueIndex(Int32Array.of(7, 3, 7, 5), 10);
 * // unique = [7, 3, 5], index = [0, 1, 0, 2]
 * const rows = tf.gather(encoder.encode(unique), tf.tensor1d(index, "int32"));
 * ```
 *
 * @module
 */

/** Distinct ids (in first-seen order) and, per input position, the index into them. */
export interface UniqueIndex {
  unique: Int32Array;
  index: Int32Array;
}

/** Computes the unique ids of `ids`, all of which must lie in [0, range). */
export function uniqueIndex(ids: Int32Array, range: number): UniqueIndex {
  const slot = new Int32Array(range).fill(-1);
  const index = new Int32Array(ids.length);
  const unique: number[] = [];
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (slot[id] < 0) {
      slot[id] = unique.length;
      unique.push(id);
    }
    index[k] = slot[id];
  }
  return { unique: Int32Array.from(unique), index };
}
