/**
 * The trainable parameters of a model, by unique name: dense `tf.Variable`s and large
 * `EmbeddingTable`s, with snapshots for keeping the best checkpoint.
 *
 * @module
 */
import type { Rng } from "../rng/mod.ts";
import { tf } from "../tf/mod.ts";
import { EmbeddingTable } from "./embedding_table.ts";
import { type Init, initValues } from "./init.ts";

/**
 * A deep copy of every parameter value. Dense values stay on the backend as tensors (no
 * read-back); table values are JS copies. Release it with `ParamSet.disposeSnapshot`.
 */
export interface ParamSnapshot {
  /** Dense values by name. */
  readonly dense: ReadonlyMap<string, tf.Tensor>;
  /** Table values by name (`rows * dim`, row-major). */
  readonly tables: ReadonlyMap<string, Float32Array>;
}

/**
 * Every trainable thing of a model, by name. Names are unique across dense variables and tables.
 *
 * @example Usage
 * ```ts
 * const params = new ParamSet();
 * const w = params.dense("enc.w", [128, 64], "glorot", rng);
 * const users = params.embedding("user", 1000, 64, { normal: 0.01 }, rng);
 * const best = params.snapshot(); // … train … params.restore(best); params.disposeSnapshot(best);
 * ```
 */
export class ParamSet {
  #dense = new Map<string, tf.Variable>();
  #tables = new Map<string, EmbeddingTable>();

  /** Dense trainable variables by name. */
  get denseVars(): ReadonlyMap<string, tf.Variable> {
    return this.#dense;
  }

  /** Embedding tables by name. */
  get tables(): ReadonlyMap<string, EmbeddingTable> {
    return this.#tables;
  }

  #claim(name: string): void {
    if (name === "") throw new Error("ParamSet: a parameter name must not be empty");
    if (this.#dense.has(name) || this.#tables.has(name)) {
      throw new Error(`ParamSet: duplicate parameter name "${name}"`);
    }
  }

  /** Creates a trainable dense variable initialised by `init` from `rng`. */
  dense(name: string, shape: number[], init: Init, rng: Rng): tf.Variable {
    this.#claim(name);
    const values = initValues(shape, init, rng);
    // The tf.Variable keeps an engine-generated name: engine names are global, ours are per set.
    const v = tf.tidy(() => tf.variable(tf.tensor(values, shape, "float32"), true));
    this.#dense.set(name, v);
    return v;
  }

  /** Creates an embedding table (trained row-sparsely by `Optimizer`). */
  embedding(name: string, rows: number, dim: number, init: Init, rng: Rng): EmbeddingTable {
    this.#claim(name);
    const table = new EmbeddingTable(name, rows, dim, init, rng);
    this.#tables.set(name, table);
    return table;
  }

  /** Total number of scalar parameters. */
  count(): number {
    let n = 0;
    for (const v of this.#dense.values()) n += v.size;
    for (const t of this.#tables.values()) n += t.rows * t.dim;
    return n;
  }

  /** A deep copy of all values (optimizer moments are not included). */
  snapshot(): ParamSnapshot {
    const dense = new Map<string, tf.Tensor>();
    for (const [name, v] of this.#dense) dense.set(name, tf.keep(tf.clone(v)));
    const tables = new Map<string, Float32Array>();
    for (const [name, t] of this.#tables) tables.set(name, t.data.slice());
    return { dense, tables };
  }

  /**
   * Writes a snapshot back. The snapshot stays valid (it can be restored again, and disposing
   * it later does not affect the restored values).
   *
   * @throws Error if the snapshot does not hold exactly this set's parameters and shapes.
   */
  restore(s: ParamSnapshot): void {
    if (s.dense.size !== this.#dense.size || s.tables.size !== this.#tables.size) {
      throw new Error("ParamSet.restore: the snapshot is of a different parameter set");
    }
    for (const [name, v] of this.#dense) {
      const value = s.dense.get(name);
      if (value === undefined || value.isDisposed || !sameShape(value.shape, v.shape)) {
        throw new Error(`ParamSet.restore: snapshot has no usable value for "${name}"`);
      }
    }
    for (const [name, t] of this.#tables) {
      const value = s.tables.get(name);
      if (value === undefined || value.length !== t.data.length) {
        throw new Error(`ParamSet.restore: snapshot has no usable value for table "${name}"`);
      }
    }
    // assign() shares the snapshot's buffer by reference count, so the snapshot stays intact.
    for (const [name, v] of this.#dense) v.assign(s.dense.get(name)!);
    for (const [name, t] of this.#tables) t.data.set(s.tables.get(name)!);
  }

  /** The shape of every parameter, by name (tables are `[rows, dim]`). */
  shapes(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const [name, v] of this.#dense) out.set(name, [...v.shape]);
    for (const [name, t] of this.#tables) out.set(name, [t.rows, t.dim]);
    return out;
  }

  /** Every value as a JS copy, by name (dense variables are read back). */
  values(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.#dense) out.set(name, v.dataSync().slice() as Float32Array);
    for (const [name, t] of this.#tables) out.set(name, t.data.slice());
    return out;
  }

  /** The values of a snapshot as JS copies, by name (see {@linkcode ParamSet.values}). */
  snapshotValues(s: ParamSnapshot): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const [name, v] of s.dense) out.set(name, v.dataSync().slice() as Float32Array);
    for (const [name, t] of s.tables) out.set(name, t.slice());
    return out;
  }

  /**
   * Writes values (as {@linkcode ParamSet.values} returns them) into every parameter.
   *
   * @throws Error naming the parameter when one is missing or has the wrong size.
   */
  setValues(values: ReadonlyMap<string, Float32Array>): void {
    const size = (name: string) =>
      this.#dense.get(name)?.size ?? (this.#tables.get(name)?.data.length ?? -1);
    for (const name of [...this.#dense.keys(), ...this.#tables.keys()]) {
      if (values.get(name)?.length !== size(name)) {
        throw new Error(`ParamSet.setValues: no value of ${size(name)} numbers for "${name}"`);
      }
    }
    for (const [name, v] of this.#dense) {
      tf.tidy(() => v.assign(tf.tensor(values.get(name)!, v.shape, "float32")));
    }
    for (const [name, t] of this.#tables) t.data.set(values.get(name)!);
  }

  /** Releases the tensors of a snapshot. */
  disposeSnapshot(s: ParamSnapshot): void {
    for (const t of s.dense.values()) t.dispose();
  }

  /** Disposes every dense variable and forgets all parameters. */
  dispose(): void {
    for (const v of this.#dense.values()) v.dispose();
    this.#dense.clear();
    this.#tables.clear();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
