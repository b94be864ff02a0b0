/**
 * Runtime benchmarks of the TF.js wasm backend as this toolkit uses it: raw matMul, a dense
 * layer's weight-gradient product Aᵀ·B (on the SIMD kernel and through Transpose + XNNPACK), a
 * dense MLP training step, an axis-0 gather, and a row-sparse embedding step, with the wasm kernel
 * patches on and (for the figures they affect) off. Warm-up runs are excluded; each figure is
 * the median of several runs.
 *
 * @module
 */
import { EmbeddingTable } from "../nn/embedding_table.ts";
import { Optimizer } from "../nn/optimizer.ts";
import { ParamSet } from "../nn/params.ts";
import { Rng } from "../rng/mod.ts";
import {
  initTf,
  matMulAtKernelStatus,
  setMatMulAtKernel,
  setWasmPatchesEnabled,
  tf,
} from "../tf/mod.ts";

/** One measured figure. */
export interface BenchFigure {
  /** What was measured. */
  name: string;
  /** The measurement. */
  value: number;
  /** Its unit (e.g. `GFLOP/s`, `steps/s`, `ms`). */
  unit: string;
  /** The target on the reference machine, e.g. `≥ 15`. */
  target?: string;
  /** Extra context. */
  note?: string;
}

/**
 * Runs `f` (which returns a tensor), reads the result back and disposes it. (Returning the read
 * typed array from `tf.tidy` instead would make tidy walk every element looking for tensors.)
 */
function readBack(f: () => tf.Tensor): void {
  const t = f();
  t.dataSync();
  t.dispose();
}

/** Median wall time in ms of `reps` runs of `f`, after `warm` unmeasured runs. */
export function medianMs(f: () => void, warm: number, reps: number): number {
  for (let i = 0; i < warm; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  const mid = ts.length >> 1;
  return ts.length % 2 === 1 ? ts[mid] : (ts[mid - 1] + ts[mid]) / 2;
}

function matMulGflops(reps: number): number {
  const n = 1024;
  const a = tf.randomUniform([n, n], -1, 1, "float32", 1);
  const b = tf.randomUniform([n, n], -1, 1, "float32", 2);
  const ms = medianMs(() => readBack(() => tf.matMul(a, b)), 1, reps);
  tf.dispose([a, b]);
  return (2 * n ** 3) / (ms * 1e6);
}

/**
 * GFLOP/s of a weight-gradient product Aᵀ·B at the shape of CLCRec's item encoder on citeulike-a
 * (every warm item through a 64 → 256 layer: [11886, 64]ᵀ·[11886, 256]), result read back. B is a
 * fresh tensor each time, as in training (XNNPACK keeps the packed form of a B it has seen, so
 * reusing one would time a product no training step runs); making it is not timed.
 */
function weightGradGflops(reps: number): number {
  const [k, m, n] = [11886, 64, 256];
  const a = tf.randomUniform([k, m], -1, 1, "float32", 3);
  const b = tf.randomUniform([k, n], -1, 1, "float32", 4);
  const ts: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const fresh = tf.add(b, 0);
    const t0 = performance.now();
    readBack(() => tf.matMul(a, fresh, true));
    if (i > 0) ts.push(performance.now() - t0); // the first is warm-up
    fresh.dispose();
  }
  tf.dispose([a, b]);
  ts.sort((x, y) => x - y);
  return (2 * k * m * n) / (ts[ts.length >> 1] * 1e6);
}

/** ms per MLP training step (128→256→256→128, ReLU, MSE, batch 1024, dense Adam). */
function mlpStepMs(rng: Rng, warm: number, reps: number): number {
  const dims = [128, 256, 256, 128], batch = 1024;
  const params = new ParamSet();
  const layers = dims.slice(1).map((d, i) => ({
    w: params.dense(`w${i}`, [dims[i], d], "glorot", rng),
    b: params.dense(`b${i}`, [d], "zeros", rng),
  }));
  const x = tf.tensor2d(rng.normalArray(batch * dims[0]), [batch, dims[0]]);
  const y = tf.tensor2d(rng.normalArray(batch * dims[3]), [batch, dims[3]]);
  const opt = new Optimizer(params, { lr: 1e-3 });
  const ms = medianMs(
    () => {
      opt.step([], () => {
        let h: tf.Tensor = x;
        layers.forEach(({ w, b }, i) => {
          h = tf.add(tf.matMul(h, w), b);
          if (i < layers.length - 1) h = tf.relu(h);
        });
        return { loss: tf.losses.meanSquaredError(y, h) as tf.Scalar };
      });
    },
    warm,
    reps,
  );
  tf.dispose([x, y]);
  opt.dispose();
  params.dispose();
  return ms;
}

/** ms to gather 1024 random rows of a table tensor and read them back. */
function gatherMs(table: tf.Tensor2D, ids: Int32Array, reps: number): number {
  const idx = tf.tensor1d(ids, "int32");
  const ms = medianMs(() => readBack(() => tf.gather(table, idx)), 3, reps);
  idx.dispose();
  return ms;
}

/** ms per row-sparse step: look up ids, small loss, gradient, lazy Adam on the touched rows. */
function sparseStepMs(table: EmbeddingTable, params: ParamSet, rng: Rng, reps: number): number {
  const batch = 1024;
  const target = tf.tensor2d(rng.normalArray(batch * table.dim, 0, 0.1), [batch, table.dim]);
  const opt = new Optimizer(params, { lr: 1e-3 });
  const ids = new Int32Array(batch);
  const ms = medianMs(
    () => {
      for (let i = 0; i < batch; i++) ids[i] = rng.int(table.rows);
      opt.step([{ table, ids }], ([rows]) => ({
        loss: tf.mean(tf.square(tf.sub(rows, target))) as tf.Scalar,
      }));
    },
    3,
    reps,
  );
  target.dispose();
  opt.dispose();
  return ms;
}

/**
 * Runs the runtime benchmarks on the wasm backend and returns the figures (the CLI prints
 * them). `quick` uses fewer repetitions and finishes in a few seconds.
 */
export async function runtimeBenchmarks(opts: { quick?: boolean } = {}): Promise<BenchFigure[]> {
  await initTf("wasm");
  const quick = opts.quick ?? false;
  const reps = quick ? 3 : 9;
  const rng = new Rng(2024);
  const figures: BenchFigure[] = [];
  const rows = 100_000, dim = 128, batch = 1024;
  const params = new ParamSet();
  const table = params.embedding("bench", rows, dim, { normal: 0.01 }, rng.fork("table"));
  const tableTensor = table.toTensor();
  const ids = Int32Array.from({ length: batch }, () => rng.int(rows));
  try {
    setWasmPatchesEnabled(true);
    figures.push({ name: "matMul 1024×1024×1024", value: matMulGflops(reps), unit: "GFLOP/s" });
    const kernel = matMulAtKernelStatus().available;
    const at = weightGradGflops(reps);
    const before = setMatMulAtKernel(false);
    let xnn: number;
    try {
      xnn = weightGradGflops(reps);
    } finally {
      setMatMulAtKernel(before);
    }
    figures.push({
      name: "weight gradient Aᵀ·B [11886, 64]ᵀ·[11886, 256]",
      value: at,
      unit: "GFLOP/s",
      note: kernel
        ? `SIMD kernel; ${xnn.toFixed(1)} GFLOP/s through Transpose + XNNPACK (${
          (at / xnn).toFixed(2)
        }×)`
        : `kernel not loaded (${matMulAtKernelStatus().detail}); Transpose + XNNPACK`,
    });
    const mlp = mlpStepMs(rng.fork("mlp"), 2, reps);
    figures.push({
      name: "MLP train step 128→256→256→128, batch 1024, Adam",
      value: 1000 / mlp,
      unit: "steps/s",
      target: "≥ 15",
      note: `${mlp.toFixed(1)} ms/step`,
    });
    figures.push({
      name: "gather 1024 rows of 100k×128 (read back)",
      value: gatherMs(tableTensor, ids, reps * 3),
      unit: "ms",
      target: "≤ 1",
    });
    figures.push({
      name: "row-sparse embedding step, 1024 ids of 100k×128, lazy Adam",
      value: sparseStepMs(table, params, rng.fork("sparse"), reps * 2),
      unit: "ms",
      target: "≤ 10",
    });
    setWasmPatchesEnabled(false);
    const stockMlp = mlpStepMs(rng.fork("mlp"), 1, quick ? 1 : 3);
    figures.push({
      name: "MLP train step, stock wasm kernels",
      value: 1000 / stockMlp,
      unit: "steps/s",
      note: `patches off; ${stockMlp.toFixed(0)} ms/step`,
    });
    figures.push({
      name: "gather, stock wasm kernel",
      value: gatherMs(tableTensor, ids, reps * 3),
      unit: "ms",
      note: "patches off",
    });
  } finally {
    setWasmPatchesEnabled(true);
    tableTensor.dispose();
    params.dispose();
  }
  return figures;
}
