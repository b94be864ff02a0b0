/**
 * The checks every registered model must pass, as one call that registers Deno tests:
 * - a few training steps on a tiny synthetic set lower the training loss (a model with nothing
 *   to learn, such as the floors, instead declares `needs: null`, so the engine never trains it);
 * - cold-item scores are finite, and the model evaluates under both protocols (item2user and
 *   user2item) with metrics in [0, 1];
 * - no leak: changing the held-out interactions of cold items changes nothing the model learns
 *   or scores (it may only ever read `split.train` and item content);
 * - training steps and scoring do not leak tensors;
 * - same seed, same numbers: two models built from the same seed (same dataset, split and `Rng`
 *   seed) give exactly the same per-step losses and cold-item scores, and another seed gives other
 *   numbers (a model with nothing to learn is only scored twice);
 * - optionally, the cold rows of an ID table or of the pretrained warm embeddings are never
 *   read: filling them with NaN changes no score.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Dataset, Interactions } from "../data/dataset.ts";
import { loadDataset } from "../data/mod.ts";
import { evaluate } from "../eval/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import type { ColdSplit } from "../split/types.ts";
import { initTf, tf } from "../tf/mod.ts";
import { trainSteps } from "../train/mod.ts";
import type { ColdStartModel, ModelSpec } from "./model.ts";
import { warmEmbeddings } from "./common/warm_embeddings.ts";

/** Options of {@linkcode conformanceTests}. */
export interface ConformanceOptions {
  /** Steps whose first and last fifths are compared (default 30). */
  steps?: number;
  /** Required ratio last/first mean loss (default 0.97). */
  maxRatio?: number;
  /** Adam learning rate of the steps (default 1e-2). */
  lr?: number;
  /** Batch size (default 128). */
  batchSize?: number;
  /** Loss term that must fall (default `loss`). */
  term?: string;
  /** Dense modalities of the tiny synthetic set (default 2). */
  modalities?: number;
  /** An ID table whose cold-item rows must never be read (poisoned with NaN, no score moves). */
  itemTable?: string;
  /** The model reads pretrained warm embeddings with these options: their cold rows must never be read. */
  warm?: { dim: number; epochs: number };
  /**
   * False for a model with nothing to learn (`needs: null`, like the floors): the engine never
   * trains it, so the checks score it as built (default true).
   */
  trains?: boolean;
}

/** The tiny synthetic set and split of the checks. */
export async function conformanceFixture(
  modalities = 2,
): Promise<{ ds: Dataset; split: ColdSplit }> {
  await initTf();
  const ds = await loadDataset({ kind: "synthetic", users: 240, items: 180, seed: 5, modalities });
  return { ds, split: coldItemSplit(ds, { seed: 0 }) };
}

/** `inter` with every user replaced by another one (a different held-out history). */
function scramble(inter: Interactions, numUsers: number): Interactions {
  return { users: inter.users.map((u) => (u * 7 + 3) % numUsers), items: inter.items.slice() };
}

function concat(...parts: Interactions[]): Interactions {
  const n = parts.reduce((s, p) => s + p.users.length, 0);
  const users = new Int32Array(n), items = new Int32Array(n);
  let k = 0;
  for (const p of parts) {
    users.set(p.users, k);
    items.set(p.items, k);
    k += p.users.length;
  }
  return { users, items };
}

/** The same dataset and split with the cold items' held-out interactions scrambled. */
export function withScrambledColdInteractions(
  ds: Dataset,
  split: ColdSplit,
): { ds: Dataset; split: ColdSplit } {
  const valid = scramble(split.valid, split.numUsers), test = scramble(split.test, split.numUsers);
  return {
    ds: { ...ds, interactions: concat(split.train, valid, test) },
    split: { ...split, valid, test },
  };
}

/**
 * Registers the conformance tests of `spec` with config `cfg` (usually shrunk for speed).
 *
 * @example Usage
 * ```ts
 * conformanceTests(clcrecSpec, { ...clcrecSpec.defaults, dim: 16 });
 * ```
 */
export function conformanceTests<C extends Record<string, unknown>>(
  spec: ModelSpec<C>,
  cfg: C,
  o: ConformanceOptions = {},
): void {
  const steps = o.steps ?? 30, term = o.term ?? "loss", trains = o.trains ?? true;
  const build = (ds: Dataset, split: ColdSplit, seed = 1): ColdStartModel =>
    spec.create(cfg, { dataset: ds, split, rng: new Rng(seed), seed });
  const train = (m: ColdStartModel, split: ColdSplit, n: number) =>
    trains
      ? trainSteps(m, split, n, { lr: o.lr ?? 1e-2, batchSize: o.batchSize ?? 128, seed: 9 })
      : [];
  const coldScores = async (m: ColdStartModel, split: ColdSplit) => {
    const cold = Int32Array.from([...split.validItems, ...split.testItems]);
    return await m.scorer().score(split.trainUsers, cold);
  };

  if (!trains) {
    Deno.test(`${spec.label}: nothing to train: needs is null and the engine refuses a step`, async () => {
      const { ds, split } = await conformanceFixture(o.modalities);
      const m = build(ds, split);
      try {
        assert.equal(m.needs, null);
        assert.throws(() => trainSteps(m, split, 1, { lr: 1e-2, seed: 9 }), /does not train/);
      } finally {
        m.dispose();
      }
    });
  } else {
    Deno.test(`${spec.label}: training lowers the ${term}`, async () => {
      const { ds, split } = await conformanceFixture(o.modalities);
      const m = build(ds, split);
      try {
        const losses = train(m, split, steps).map((t) => t[term]);
        const k = Math.max(1, Math.floor(steps / 5));
        const head = losses.slice(0, k).reduce((a, b) => a + b) / k;
        const tail = losses.slice(-k).reduce((a, b) => a + b) / k;
        assert.ok(tail < head * (o.maxRatio ?? 0.97), `${term} ${head} → ${tail}`);
      } finally {
        m.dispose();
      }
    });
  }

  Deno.test(`${spec.label}: cold-item scores are finite; both protocols evaluate`, async () => {
    const { ds, split } = await conformanceFixture(o.modalities);
    const m = build(ds, split);
    try {
      train(m, split, 3);
      const s = await coldScores(m, split);
      assert.equal(
        s.length,
        split.trainUsers.length * (split.validItems.length + split.testItems.length),
      );
      assert.ok(s.every(Number.isFinite));
      for (const protocol of ["item2user", "user2item"] as const) {
        const r = await evaluate(m.scorer(), split, "test", protocol, { userChunk: 50 });
        for (const [name, v] of Object.entries(r.metrics)) {
          assert.ok(v >= 0 && v <= 1, `${protocol} ${name} = ${v}`);
        }
        assert.ok(r.queries > 0, protocol);
      }
    } finally {
      m.dispose();
    }
  });

  Deno.test(`${spec.label}: held-out interactions of cold items change nothing`, async () => {
    const a = await conformanceFixture(o.modalities);
    const b = withScrambledColdInteractions(a.ds, a.split);
    const ma = build(a.ds, a.split), mb = build(b.ds, b.split);
    try {
      const la = train(ma, a.split, 5), lb = train(mb, b.split, 5);
      assert.deepEqual(lb, la);
      assert.deepEqual(await coldScores(mb, b.split), await coldScores(ma, a.split));
    } finally {
      ma.dispose();
      mb.dispose();
    }
  });

  Deno.test(`${spec.label}: training and scoring do not leak tensors`, async () => {
    const { ds, split } = await conformanceFixture(o.modalities);
    const m = build(ds, split);
    try {
      train(m, split, 2);
      await coldScores(m, split);
      const before = tf.memory().numTensors;
      train(m, split, 5);
      await coldScores(m, split);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      m.dispose();
    }
  });

  const seedName = trains ? "same numbers; another seed, other numbers" : "same scores";
  Deno.test(`${spec.label}: same seed, ${seedName}`, async () => {
    const { ds, split } = await conformanceFixture(o.modalities);
    // Both same-seed models live side by side, each built before the other trains, so state
    // shared between instances (a module-level generator or buffer) shows up as a difference.
    const a = build(ds, split, 1), b = build(ds, split, 1);
    try {
      const la = train(a, split, 4), lb = train(b, split, 4);
      const sa = await coldScores(a, split), sb = await coldScores(b, split);
      assert.deepEqual(lb, la, "same seed, other losses");
      assert.deepEqual(sb, sa, "same seed, other cold-item scores");
      if (trains) {
        const c = build(ds, split, 2);
        try {
          const lc = train(c, split, 4);
          assert.notDeepEqual(lc, la, "another seed, the same losses");
          assert.notDeepEqual(await coldScores(c, split), sa, "another seed, the same scores");
        } finally {
          c.dispose();
        }
      }
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  if (o.itemTable) {
    const name = o.itemTable;
    Deno.test(`${spec.label}: poisoning the cold rows of table "${name}" changes no score`, async () => {
      const { ds, split } = await conformanceFixture(o.modalities);
      const m = build(ds, split);
      try {
        train(m, split, 5);
        const before = await coldScores(m, split);
        const table = m.params.tables.get(name);
        assert.ok(table, `no table "${name}"`);
        for (const i of [...split.validItems, ...split.testItems]) {
          table.data.fill(Number.NaN, i * table.dim, (i + 1) * table.dim);
        }
        assert.ok(before.every(Number.isFinite));
        assert.deepEqual(await coldScores(m, split), before);
      } finally {
        m.dispose();
      }
    });
  }

  if (o.warm) {
    const w = o.warm;
    Deno.test(`${spec.label}: NaN in the cold rows of the pretrained embeddings changes no score`, async () => {
      const { ds, split } = await conformanceFixture(o.modalities);
      const run = async () => {
        const m = build(ds, split, 4);
        try {
          train(m, split, 4);
          return await coldScores(m, split);
        } finally {
          m.dispose();
        }
      };
      const before = await run();
      // Models read the cached embeddings when built: poison the cold rows of that cache entry.
      const warm = warmEmbeddings(split, 4, { dim: w.dim, epochs: w.epochs });
      const cold = [...split.validItems, ...split.testItems];
      for (const i of cold) warm.items.fill(Number.NaN, i * w.dim, (i + 1) * w.dim);
      try {
        const after = await run();
        assert.ok(before.every(Number.isFinite));
        assert.deepEqual(after, before);
      } finally {
        for (const i of cold) warm.items.fill(0, i * w.dim, (i + 1) * w.dim);
      }
    });
  }
}
