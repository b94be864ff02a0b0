/**
 * A large embedding table kept as a JS `Float32Array` master copy (never a `tf.Variable`), so
 * that a training step touches only the rows it looks up (see `Optimizer`).
 *
 * @module
 */
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import { type Init, initValues } from "./init.ts";

/**
 * A `rows × dim` table of float32 values, row-major.
 *
 * @example Usage
 * ```ts
 * const table = new EmbeddingTable("user", 1000, 64, { normal: 0.01 }, new Rng(1));
 * const rows = table.rowsTensor(new Int32Array([3, 7])); // [2, 64]; caller disposes
 * ```
 */
export class EmbeddingTable {
  /** Name of the table (unique within a `ParamSet`). */
  readonly name: string;
  /** Number of rows. */
  readonly rows: number;
  /** Width of each row. */
  readonly dim: number;
  /** The values, row-major (`rows * dim`); the optimizer updates them in place. */
  readonly data: Float32Array;

  /**
   * @param name Table name, used in error messages and snapshots.
   * @param rows Number of rows (ids `0 … rows-1`).
   * @param dim Row width.
   * @param init Initial values (`{ normal: std }` is usual for embeddings).
   * @param rng Source of the initial values.
   */
  constructor(name: string, rows: number, dim: number, init: Init, rng: Rng) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(dim) || dim < 1) {
      throw new RangeError(`EmbeddingTable "${name}": bad size ${rows} × ${dim}`);
    }
    this.name = name;
    this.rows = rows;
    this.dim = dim;
    this.data = initValues([rows, dim], init, rng);
  }

  /** Throws a RangeError naming the table if any id is outside `[0, rows)`. */
  checkIds(ids: Int32Array): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id < 0 || id >= this.rows) {
        throw new RangeError(
          `EmbeddingTable "${this.name}": id ${id} (position ${i}) is not in [0, ${this.rows})`,
        );
      }
    }
  }

  /** A copy of the given rows, `[ids.length, dim]` row-major (no gradient). */
  gatherRows(ids: Int32Array): Float32Array {
    this.checkIds(ids);
    const { dim, data } = this;
    const out = new Float32Array(ids.length * dim);
    for (let i = 0; i < ids.length; i++) {
      out.set(data.subarray(ids[i] * dim, ids[i] * dim + dim), i * dim);
    }
    return out;
  }

  /** The whole table as a `[rows, dim]` tensor (a copy; the caller disposes it). */
  toTensor(): tf.Tensor2D {
    return tf.tensor2d(this.data, [this.rows, this.dim]);
  }

  /** The given rows as an `[ids.length, dim]` tensor (a copy, no gradient; caller disposes). */
  rowsTensor(ids: Int32Array): tf.Tensor2D {
    return tf.tensor2d(this.gatherRows(ids), [ids.length, this.dim]);
  }
}
