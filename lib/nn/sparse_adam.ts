/**
 * Row-sparse ("lazy") Adam on a JS table: only the given rows and their moments are read and
 * written, as in PyTorch's `SparseAdam` (bias correction uses the optimizer's global step).
 *
 * @module
 */

/** Per-table Adam moments, `rows * dim` each, row-major. */
export interface TableMoments {
  /** First moments. */
  m: Float32Array;
  /** Second moments. */
  v: Float32Array;
}

/** Settings of one lazy Adam update. */
export interface SparseAdamStep {
  /** Learning rate. */
  lr: number;
  /** First-moment decay. */
  beta1: number;
  /** Second-moment decay. */
  beta2: number;
  /** Denominator epsilon. */
  eps: number;
  /** Weight decay; it applies to the touched rows only (untouched rows are never read). */
  weightDecay: number;
  /** true: AdamW-style decoupled decay; false: L2 added to the gradient. */
  decoupled: boolean;
  /** The global step count t (≥ 1) for bias correction. */
  step: number;
}

/**
 * Updates `data` rows `ids[r]` with gradient rows `grad[r]` (`ids` must be unique), using
 * p ← p − lr·m̂ / (√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), as `torch.optim.Adam` does.
 */
export function sparseAdamRows(
  data: Float32Array,
  dim: number,
  moments: TableMoments,
  ids: Int32Array,
  grad: Float32Array,
  s: SparseAdamStep,
): void {
  if (grad.length !== ids.length * dim) {
    throw new RangeError(`sparseAdamRows: ${grad.length} gradient values for ${ids.length} rows`);
  }
  const { beta1: b1, beta2: b2, eps, weightDecay: wd, lr } = s;
  const stepSize = lr / (1 - b1 ** s.step);
  const invSqrtBc2 = 1 / Math.sqrt(1 - b2 ** s.step);
  const l2 = s.decoupled ? 0 : wd;
  const shrink = s.decoupled ? 1 - lr * wd : 1;
  const { m: M, v: V } = moments;
  for (let r = 0; r < ids.length; r++) {
    const base = ids[r] * dim, gBase = r * dim;
    for (let j = 0; j < dim; j++) {
      const k = base + j;
      const p = data[k];
      const g = grad[gBase + j] + l2 * p;
      const m = b1 * M[k] + (1 - b1) * g;
      const v = b2 * V[k] + (1 - b2) * g * g;
      M[k] = m;
      V[k] = v;
      data[k] = p * shrink - stepSize * m / (Math.sqrt(v) * invSqrtBc2 + eps);
    }
  }
}
