/**
 * M2VAE benchmarks (`deno task bench`): training interactions/s at batch 1024, d = 128,
 * (c_p, c_n) = (10, 40) on a given dataset (with seconds per epoch and the ratio to the PyTorch
 * reference, `lib/bench/reference.ts`), the time of exact cold scoring of U users × I cold items
 * (in the evaluator's 4096 × 256 blocks) against the naive per-pair forward pass on a smaller
 * size, with the per-pair speed ratio, and the achieved GFLOP/s of the training step and of exact
 * scoring, from the analytic counts of `flops.ts`, against the measured matMul peak. Exact scoring runs on the pair path in force
 * (`describePairPath`: the wasm SIMD kernel unless M2VAE_PAIR_KERNEL=scalar or the kernel is
 * unavailable), named in the figures; the per-pair part alone is timed on the first block's
 * inputs on both paths, in GFLOP/s.
 *
 * @module
 */
import { trainingFiguresOf } from "../../bench/model_training.ts";
import { pytorchReference } from "../../bench/reference.ts";
import type { BenchFigure } from "../../bench/runtime.ts";
import { measureTraining } from "../../bench/training.ts";
import type { Dataset } from "../../data/dataset.ts";
import { Rng } from "../../rng/mod.ts";
import { coldItemSplit } from "../../split/mod.ts";
import type { ColdSplit } from "../../split/types.ts";
import type { TrainBatch } from "../../train/sampler.ts";
import { M2VAE_DEFAULTS, type M2vaeConfig } from "./config.ts";
import { m2vaeScoreFlopsBySide, type M2vaeStepSizes, m2vaeTrainFlops } from "./flops.ts";
import { pairKernelFigures } from "./kernel/bench.ts";
import { M2vae, m2vaeSpec } from "./model.ts";
import { describePairPath, pairPath } from "./pair_kernel.ts";
import { factoredPairInputs, factoredScores, naiveScores, scoringMemo } from "./scorer.ts";

/** What to measure. */
export interface M2vaeBenchOptions {
  /** Timed training steps (after 3 warm-up steps). */
  steps: number;
  /** Users × cold items of the exact-scoring figure (capped at the dataset's sizes). */
  scoreUsers: number;
  scoreItems: number;
  /**
   * Only time this many items blocks of 256 (at least 2), each against every users block of
   * 4096, and extrapolate the rest from the second on (0 = score everything).
   */
  maxBlocks?: number;
  /** Users × items of the naive-vs-factored comparison. */
  naiveUsers: number;
  naiveItems: number;
  /** Config overrides (e.g. a variant). */
  config?: Record<string, unknown>;
  /**
   * Also time the per-pair part alone on one 4096 × 256 block, scalar and SIMD, in GFLOP/s
   * (default true).
   */
  kernelFigures?: boolean;
  /** The split (default: the 70/15/15 seed-0 split); its training interactions make an epoch. */
  split?: ColdSplit;
  /** The measured matMul peak in GFLOP/s: the achieved figures say what fraction they reach. */
  peakGflops?: number;
  /** Compare the training figure with the PyTorch reference (lastfm-2k only; default true). */
  reference?: boolean;
}

/** Attribute tokens of `items` in `ds`. */
function tokensOf(ds: Dataset, items: Iterable<number>): number {
  const off = ds.attributes.offsets;
  let n = 0;
  for (const i of items) n += off[i + 1] - off[i];
  return n;
}

/** The sizes `m2vaeTrainFlops` counts of one training batch. */
export function stepSizes(ds: Dataset, batch: TrainBatch): M2vaeStepSizes {
  const anchors = new Set(batch.items);
  const candidates = new Set(batch.posItems);
  for (const i of batch.negItems) candidates.add(i);
  return {
    batch: batch.users.length,
    anchors: anchors.size,
    tokens: tokensOf(ds, anchors),
    candidates: candidates.size,
  };
}

/** An achieved-GFLOP/s figure, with its fraction of the matMul peak when one is known. */
function achieved(
  name: string,
  flops: number,
  secs: number,
  peak?: number,
  what = "",
): BenchFigure {
  const gflops = flops / secs / 1e9;
  const fraction = peak && peak > 0
    ? `${(100 * gflops / peak).toFixed(0)}% of the matMul peak ` +
      `${peak.toFixed(1)} GFLOP/s; `
    : "";
  return { name, value: gflops, unit: "GFLOP/s", note: `${fraction}${what}dense products only` };
}

function ids(n: number, from: Int32Array | null): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = from === null ? k : from[k % from.length];
  return out;
}

/** Runs the M2VAE figures on `ds`. */
export function m2vaeBenchmarks(ds: Dataset, o: M2vaeBenchOptions): BenchFigure[] {
  // Beside the reference, timed at its computation (Eq. 27's negative user) unless told.
  const like = (o.reference ?? true) ? pytorchReference("m2vae")?.config ?? {} : {};
  const config = { batch: 1024, dim: 128, cp: 10, cn: 40, ...like, ...o.config };
  const { batch, ...modelConfig } = config;
  const defaultsDiffer = Object.entries(like).filter(([k, v]) =>
    o.config?.[k] === undefined && (M2VAE_DEFAULTS as Record<string, unknown>)[k] !== v
  );
  const pinned = defaultsDiffer.map(([k, v]) => `${k}: ${v}`).join(", ");
  const label = defaultsDiffer.length === 0 ? "M2VAE" : `M2VAE (${pinned})`;
  const figures: BenchFigure[] = [];
  const split = o.split ?? coldItemSplit(ds, { seed: 0 });
  const effective = { ...M2VAE_DEFAULTS, ...modelConfig } as M2vaeConfig;
  const modalityDims = ds.modalities.map((m) => m.dim);
  let trainFlops = 0;
  const train = measureTraining(ds, m2vaeSpec, {
    batchSize: batch as number,
    steps: o.steps,
    config: modelConfig,
    split,
    onStep: (b) => trainFlops += m2vaeTrainFlops(effective, modalityDims, stepSizes(ds, b)),
  });
  figures.push(
    ...trainingFiguresOf("m2vae", label, ds.name, train, {
      batch: batch as number,
      dim: effective.dim,
    }, o.reference ?? true),
  );
  if (defaultsDiffer.length > 0) {
    // The same step at M2VAE's own defaults for the keys the reference pins.
    const own: Record<string, unknown> = { ...modelConfig };
    for (const [k] of defaultsDiffer) delete own[k];
    const t = measureTraining(ds, m2vaeSpec, {
      batchSize: batch as number,
      steps: o.steps,
      config: own,
      split,
    });
    // The shared negatives act only through the item-side term the pin turns off: name them too.
    const acting = M2VAE_DEFAULTS.sharedNegatives > 0 && M2VAE_DEFAULTS.rankNegatives !== "users"
      ? [`sharedNegatives: ${M2VAE_DEFAULTS.sharedNegatives}`]
      : [];
    const what = [...defaultsDiffer.map(([k]) => `${k}: ${M2VAE_DEFAULTS[k]}`), ...acting]
      .join(", ");
    figures.push({
      name: `M2VAE training at its defaults (${what}), ${ds.name}`,
      value: t.interactionsPerSecond,
      unit: "interactions/s",
      note: `${
        t.epochSeconds.toFixed(1)
      } s per epoch; the reference's ratio above is taken with ${pinned}, what it computes`,
    });
  }
  figures.push(
    achieved(
      `M2VAE training step achieved, ${ds.name}`,
      trainFlops,
      train.seconds,
      o.peakGflops,
      `${
        (trainFlops / train.steps / 1e9).toFixed(2)
      } GFLOP/step (forward + backward = 3× forward); `,
    ),
  );

  const model = new M2vae({ ...M2VAE_DEFAULTS, ...modelConfig }, {
    dataset: ds,
    split,
    rng: new Rng(1),
  });
  try {
    const cold = new Int32Array([...split.validItems, ...split.testItems]);
    const nu = Math.min(o.scoreUsers, ds.userIds.length);
    const users = ids(nu, null), items = ids(Math.min(o.scoreItems, cold.length), cold);
    // In the evaluator's item2user order (rank.ts): items blocks outside, every users block
    // inside, one scorer's memo throughout, so the users' side is computed during the first
    // items block and reused by the others. With a cap, the first `itemCap` items blocks (at
    // least 2) are timed and the later ones extrapolated from the second on.
    const blockU = 4096, blockI = 256;
    const itemBlocks = Math.ceil(items.length / blockI), userBlocks = Math.ceil(nu / blockU);
    const total = itemBlocks * userBlocks;
    const itemCap = o.maxBlocks && o.maxBlocks > 0
      ? Math.min(itemBlocks, Math.max(2, o.maxBlocks))
      : itemBlocks;
    const memo = scoringMemo();
    const itemSeconds: number[] = [];
    let flops = 0;
    for (let i0 = 0; i0 < itemCap * blockI; i0 += blockI) {
      const bi = items.subarray(i0, Math.min(items.length, i0 + blockI));
      const t0 = performance.now();
      for (let u0 = 0; u0 < nu; u0 += blockU) {
        const bu = users.subarray(u0, Math.min(nu, u0 + blockU));
        factoredScores(model.net, bu, bi, "exact", memo);
        // Counted as run: each side once, in the first block that needs it.
        const f = m2vaeScoreFlopsBySide(model.config, modalityDims, {
          users: bu.length,
          items: bi.length,
          tokens: tokensOf(ds, bi),
        });
        flops += f.pairs + (u0 === 0 ? f.items : 0) + (i0 === 0 ? f.users : 0);
      }
      itemSeconds.push((performance.now() - t0) / 1000);
    }
    const timed = itemSeconds.reduce((a, b) => a + b, 0);
    const later = itemSeconds.slice(1);
    const secs = itemSeconds[0] +
      (itemBlocks - 1) * (later.length ? later.reduce((a, b) => a + b, 0) / later.length : 0);
    const blocks = itemCap < itemBlocks
      ? `extrapolated from ${itemCap} of ${itemBlocks} items blocks (${
        itemCap * userBlocks
      } of ${total} blocks; the first computes the users' side, ${
        itemSeconds[0].toFixed(1)
      } s, the later ${(later.reduce((a, b) => a + b, 0) / later.length).toFixed(1)} s each)`
      : `${total} blocks`;
    figures.push({
      name: `M2VAE exact cold scoring ${nu} users × ${items.length} items (${pairPath()} pairs)`,
      value: secs / 60,
      unit: "min",
      target: "< 10",
      note: `${blocks}; pair path ${describePairPath()}`,
    });
    figures.push(
      achieved(
        `M2VAE exact cold scoring achieved (${pairPath()} pairs)`,
        flops,
        timed,
        o.peakGflops,
        `${(flops / (itemCap * userBlocks) / 1e9).toFixed(2)} GFLOP/block, per-pair part counted; `,
      ),
    );
    if (o.kernelFigures ?? true) {
      const block = factoredPairInputs(
        model.net,
        users.subarray(0, Math.min(nu, blockU)),
        items.subarray(0, Math.min(items.length, blockI)),
      );
      figures.push(...pairKernelFigures(block, "M2VAE exact scoring, first block", { reps: 2 }));
    }

    const nu2 = Math.min(o.naiveUsers, nu), ni2 = Math.min(o.naiveItems, items.length);
    const u2 = users.subarray(0, nu2), i2 = items.subarray(0, ni2);
    factoredScores(model.net, u2, i2); // warm-up
    const t1 = performance.now();
    factoredScores(model.net, u2, i2);
    const fast = performance.now() - t1;
    const t2 = performance.now();
    naiveScores(model.net, u2, i2);
    const slow = performance.now() - t2;
    figures.push({
      name: `M2VAE naive ÷ factored scoring time, ${nu2} × ${ni2}`,
      value: slow / fast,
      unit: "×",
      target: "≥ 10",
      note: `naive ${slow.toFixed(0)} ms, factored ${fast.toFixed(0)} ms`,
    });
  } finally {
    model.dispose();
  }
  return figures;
}
