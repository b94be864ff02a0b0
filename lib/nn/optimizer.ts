/**
 * Adam for a `ParamSet`: dense Adam (with optional L2 or decoupled weight decay) on the dense
 * variables, and row-sparse ("lazy") Adam on the rows of embedding tables a step looks up.
 *
 * @module
 */
import { tf } from "../tf/mod.ts";
import type { EmbeddingTable } from "./embedding_table.ts";
import type { ParamSet } from "./params.ts";
import { sparseAdamRows, type TableMoments } from "./sparse_adam.ts";

/** Adam hyper-parameters. */
export interface AdamConfig {
  /** Learning rate. */
  lr: number;
  /** First-moment decay (default 0.9). */
  beta1?: number;
  /** Second-moment decay (default 0.999). */
  beta2?: number;
  /** Denominator epsilon (default 1e-8). */
  eps?: number;
  /** Weight decay (default 0). */
  weightDecay?: number;
  /** false (default): PyTorch Adam's L2 term added to the gradient; true: AdamW (decoupled). */
  decoupled?: boolean;
  /**
   * Learning-rate multiplier for embedding-table rows (default 1). Lazy Adam moves a row only
   * on the steps that touch it, while dense Adam keeps moving every row on momentum for about
   * 1/(1−β₁) steps after each touch; a multiplier > 1 makes up for that on sparse rows.
   */
  tableLrScale?: number;
  /**
   * How embedding tables are updated: `lazy` (default) — only the rows a step looks up, with
   * their own moments (PyTorch `SparseAdam`); `dense` — every row of a table the step uses, with
   * a zero gradient for the rows it did not look up, so they keep moving on momentum as PyTorch's
   * dense `Adam` over an `nn.Embedding` does (what the baselines' original code runs).
   */
  tableUpdate?: "lazy" | "dense";
}

/** Rows of one table that a step looks up. */
export interface Lookup {
  /** The table. */
  table: EmbeddingTable;
  /** Row ids (repeats allowed). */
  ids: Int32Array;
}

/** What a step's loss function returns. */
export interface LossOutput {
  /** The scalar that is minimised. */
  loss: tf.Scalar;
  /** Extra scalars that are only reported (e.g. the parts of the loss). */
  terms?: Record<string, tf.Scalar>;
}

/**
 * Adam's state by parameter name (moments only for parameters a step has touched), for saving a
 * training run part-way and continuing it later exactly where it was.
 */
export interface OptimizerState {
  /** Steps taken (Adam's t). */
  step: number;
  /** First and second moments by parameter name (dense variables and tables). */
  moments: Map<string, { m: Float32Array; v: Float32Array }>;
}

/** A table touched by a step and its unique ids (the rows of its leaf). */
interface Group {
  table: EmbeddingTable;
  uniq: Int32Array;
}

interface DenseMoments {
  m: tf.Variable;
  v: tf.Variable;
}

/**
 * Adam over a `ParamSet`.
 *
 * @example Usage
 * ```ts
 * const opt = new Optimizer(params, { lr: 1e-3 });
 * const out = opt.step([{ table: users, ids }], ([u]) => ({ loss: tf.mean(tf.square(u)) }));
 * console.log(out.loss);
 * ```
 */
export class Optimizer {
  readonly #params: ParamSet;
  readonly #b1: number;
  readonly #b2: number;
  readonly #eps: number;
  readonly #wd: number;
  readonly #decoupled: boolean;
  #lr: number;
  readonly #tableLrScale: number;
  readonly #denseTables: boolean;
  #step = 0;
  readonly #dense = new Map<tf.Variable, DenseMoments>();
  readonly #tables = new Map<EmbeddingTable, TableMoments>();

  /** @param params The parameters to train. @param cfg Adam settings. */
  constructor(params: ParamSet, cfg: AdamConfig) {
    const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = cfg;
    checkRange("lr", cfg.lr, 0, Infinity, false);
    checkRange("beta1", beta1, 0, 1, true);
    checkRange("beta2", beta2, 0, 1, true);
    checkRange("eps", eps, 0, Infinity, false);
    checkRange("weightDecay", weightDecay, 0, Infinity, true);
    this.#params = params;
    this.#lr = cfg.lr;
    this.#tableLrScale = cfg.tableLrScale ?? 1;
    this.#denseTables = (cfg.tableUpdate ?? "lazy") === "dense";
    checkRange("tableLrScale", this.#tableLrScale, 0, Infinity, false);
    this.#b1 = beta1;
    this.#b2 = beta2;
    this.#eps = eps;
    this.#wd = weightDecay;
    this.#decoupled = cfg.decoupled ?? false;
  }

  /** Number of steps taken (the `t` of Adam's bias correction). */
  get stepCount(): number {
    return this.#step;
  }

  /** The current learning rate (settable, e.g. for a schedule). */
  get lr(): number {
    return this.#lr;
  }
  set lr(value: number) {
    checkRange("lr", value, 0, Infinity, false);
    this.#lr = value;
  }

  /**
   * One training step. For each lookup, `rows[k]` is a differentiable `[ids.length, dim]` tensor
   * of the table rows. Lookups that share a table share ONE leaf (the unique ids of all its
   * lookups), so gradients of repeated ids accumulate. Dense variables get Adam; each table's
   * touched rows get lazy Adam with per-row moments; untouched rows and their moments are never
   * read or written. Everything created inside is disposed.
   *
   * If `fn` throws, the error propagates and no parameter changes (TF.js's gradient tape then
   * keeps the few tensors it saved for the backward pass of the ops run before the throw).
   *
   * `only` restricts the dense variables this step updates (e.g. the generator's alone in an
   * adversarial model); by default every trainable dense variable of the set is updated.
   *
   * @returns the loss and every term as plain numbers (one read-back).
   * @throws RangeError for an id outside its table; Error for a table not in the `ParamSet`.
   */
  step(
    lookups: Lookup[],
    fn: (rows: tf.Tensor2D[]) => LossOutput,
    only?: readonly tf.Variable[],
  ): Record<string, number> {
    const { groups, at } = this.#group(lookups);
    const dense = (only ?? [...this.#params.denseVars.values()]).filter((v) => v.trainable);
    const leaves = groups.map((g) =>
      tf.tidy(() =>
        tf.variable(tf.tensor2d(g.table.gatherRows(g.uniq), [g.uniq.length, g.table.dim]))
      )
    );
    let termNames: string[] = [];
    let terms: tf.Tensor[] = [];
    let value: tf.Scalar | undefined;
    let grads: tf.NamedTensorMap = {};
    try {
      if (dense.length + leaves.length === 0) {
        throw new Error("Optimizer.step: no dense variables and no lookups to train");
      }
      ({ value, grads } = tf.variableGrads(() => {
        const rows = at.map(({ group, local }) =>
          tf.gather(leaves[group], tf.tensor1d(local, "int32")) as tf.Tensor2D
        );
        const out = fn(rows);
        termNames = Object.keys(out.terms ?? {});
        terms = termNames.map((n) => tf.keep(out.terms![n]));
        return out.loss;
      }, [...dense, ...leaves]));
      for (const [i, t] of terms.entries()) {
        if (t.rank !== 0) {
          throw new TypeError(`Optimizer.step: term "${termNames[i]}" is not a scalar`);
        }
      }
      const leafGrads = leaves.map((l) => grads[l.name] as tf.Tensor | undefined);
      const flat = tf.tidy(() =>
        tf.concat([
          tf.stack([value!, ...terms]),
          ...leafGrads.filter((g) => g !== undefined).map((g) => tf.reshape(g, [-1])),
        ])
      );
      const host = flat.dataSync() as Float32Array;
      flat.dispose();
      this.#step++;
      this.#denseUpdate(dense, grads);
      let offset = 1 + terms.length;
      groups.forEach((g, i) => {
        if (leafGrads[i] === undefined) return; // the loss does not depend on this table
        const n = g.uniq.length * g.table.dim;
        this.#sparseUpdate(g.table, g.uniq, host.subarray(offset, offset + n));
        offset += n;
      });
      const result: Record<string, number> = {};
      termNames.forEach((name, i) => result[name] = host[1 + i]);
      result.loss = host[0];
      return result;
    } finally {
      tf.dispose([...Object.values(grads), ...terms, ...leaves]);
      if (value !== undefined) value.dispose();
    }
  }

  /**
   * Groups lookups by table. Returns each table's unique ids (its leaf rows) and, per lookup,
   * the index of its table's group and the leaf row of each of its ids.
   */
  #group(lookups: Lookup[]): { groups: Group[]; at: { group: number; local: Int32Array }[] } {
    const known = new Set(this.#params.tables.values());
    const groups: Group[] = [];
    const pos = new Map<EmbeddingTable, { group: number; row: Map<number, number> }>();
    const order: number[][] = [];
    const at = lookups.map((lk) => {
      if (!known.has(lk.table)) {
        throw new Error(`Optimizer.step: table "${lk.table.name}" is not in this ParamSet`);
      }
      lk.table.checkIds(lk.ids);
      let entry = pos.get(lk.table);
      if (entry === undefined) {
        entry = { group: groups.length, row: new Map() };
        pos.set(lk.table, entry);
        groups.push({ table: lk.table, uniq: new Int32Array(0) });
        order.push([]);
      }
      const local = new Int32Array(lk.ids.length);
      for (let i = 0; i < lk.ids.length; i++) {
        let r = entry.row.get(lk.ids[i]);
        if (r === undefined) {
          r = entry.row.size;
          entry.row.set(lk.ids[i], r);
          order[entry.group].push(lk.ids[i]);
        }
        local[i] = r;
      }
      return { group: entry.group, local };
    });
    groups.forEach((g, i) => g.uniq = Int32Array.from(order[i]));
    return { groups, at };
  }

  #denseUpdate(dense: tf.Variable[], grads: tf.NamedTensorMap): void {
    const t = this.#step, lr = this.#lr, b1 = this.#b1, b2 = this.#b2, wd = this.#wd;
    const stepSize = lr / (1 - b1 ** t);
    const sqrtBc2 = Math.sqrt(1 - b2 ** t);
    for (const v of dense) {
      const g = grads[v.name];
      if (g === undefined || g === null) continue;
      let st = this.#dense.get(v);
      if (st === undefined) {
        st = tf.tidy(() => ({
          m: tf.variable(tf.zerosLike(v), false),
          v: tf.variable(tf.zerosLike(v), false),
        }));
        this.#dense.set(v, st);
      }
      const { m: mVar, v: vVar } = st;
      tf.tidy(() => {
        const grad = wd > 0 && !this.#decoupled ? tf.add(g, tf.mul(v, wd)) : g;
        const m = tf.add(tf.mul(mVar, b1), tf.mul(grad, 1 - b1));
        const s = tf.add(tf.mul(vVar, b2), tf.mul(tf.square(grad), 1 - b2));
        const denom = tf.add(tf.div(tf.sqrt(s), sqrtBc2), this.#eps);
        const base = wd > 0 && this.#decoupled ? tf.mul(v, 1 - lr * wd) : v;
        mVar.assign(m);
        vVar.assign(s);
        v.assign(tf.sub(base, tf.mul(tf.div(m, denom), stepSize)));
      });
    }
  }

  #sparseUpdate(table: EmbeddingTable, ids: Int32Array, grad: Float32Array): void {
    if (this.#denseTables) {
      // Dense Adam: every row, zero gradient where the step did not look the row up.
      const full = new Float32Array(table.rows * table.dim), d = table.dim;
      for (let r = 0; r < ids.length; r++) full.set(grad.subarray(r * d, r * d + d), ids[r] * d);
      ids = allRows(table.rows);
      grad = full;
    }
    let st = this.#tables.get(table);
    if (st === undefined) {
      const n = table.rows * table.dim;
      st = { m: new Float32Array(n), v: new Float32Array(n) };
      this.#tables.set(table, st);
    }
    sparseAdamRows(table.data, table.dim, st, ids, grad, {
      lr: this.#lr * this.#tableLrScale,
      beta1: this.#b1,
      beta2: this.#b2,
      eps: this.#eps,
      weightDecay: this.#wd,
      decoupled: this.#decoupled,
      step: this.#step,
    });
  }

  /** A copy of the step count and every moment, by parameter name (reads dense moments back). */
  state(): OptimizerState {
    const moments = new Map<string, { m: Float32Array; v: Float32Array }>();
    for (const [name, v] of this.#params.denseVars) {
      const st = this.#dense.get(v);
      if (st) {
        moments.set(name, {
          m: st.m.dataSync().slice() as Float32Array,
          v: st.v.dataSync().slice() as Float32Array,
        });
      }
    }
    for (const [name, t] of this.#params.tables) {
      const st = this.#tables.get(t);
      if (st) moments.set(name, { m: st.m.slice(), v: st.v.slice() });
    }
    return { step: this.#step, moments };
  }

  /**
   * Replaces the step count and moments by a saved `state()` of an optimizer over the same
   * parameters (the learning rate and decay come from this optimizer's config).
   *
   * @throws RangeError naming the parameter when a moment is unknown or has the wrong size.
   */
  loadState(s: OptimizerState): void {
    for (const [name, mv] of s.moments) {
      const v = this.#params.denseVars.get(name), t = this.#params.tables.get(name);
      const size = v ? v.size : t ? t.rows * t.dim : -1;
      if (size < 0 || mv.m.length !== size || mv.v.length !== size) {
        throw new RangeError(
          `Optimizer.loadState: no parameter "${name}" of ${mv.m.length} values`,
        );
      }
    }
    this.dispose();
    this.#step = s.step;
    for (const [name, mv] of s.moments) {
      const v = this.#params.denseVars.get(name);
      if (v) {
        this.#dense.set(
          v,
          tf.tidy(() => ({
            m: tf.variable(tf.tensor(mv.m, v.shape, "float32"), false),
            v: tf.variable(tf.tensor(mv.v, v.shape, "float32"), false),
          })),
        );
      } else {
        this.#tables.set(this.#params.tables.get(name)!, { m: mv.m.slice(), v: mv.v.slice() });
      }
    }
  }

  /** Frees the optimizer's dense moment tensors (table moments are plain arrays). */
  dispose(): void {
    for (const st of this.#dense.values()) tf.dispose([st.m, st.v]);
    this.#dense.clear();
    this.#tables.clear();
  }
}

const ALL_ROWS = new Map<number, Int32Array>();

/** 0 … n−1, cached per n. */
function allRows(n: number): Int32Array {
  let ids = ALL_ROWS.get(n);
  if (!ids) {
    ids = new Int32Array(n);
    for (let i = 0; i < n; i++) ids[i] = i;
    ALL_ROWS.set(n, ids);
  }
  return ids;
}

function checkRange(name: string, x: number, lo: number, hi: number, loInclusive: boolean): void {
  const ok = Number.isFinite(x) && (loInclusive ? x >= lo : x > lo) && (hi === Infinity || x < hi);
  if (!ok) throw new RangeError(`AdamConfig.${name} is out of range: ${x}`);
}
