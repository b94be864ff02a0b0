/**
 * A large, structure-free dataset for throughput benchmarks (e.g. 100k users × 20k items):
 * Zipf-skewed random interactions, random attribute tokens and one random dense modality.
 * Training speed does not depend on the signal, and this builds in O(interactions), where the
 * signal-bearing synthetic generator scores every user against every item.
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import { Rng } from "../rng/mod.ts";

/** Size of the benchmark dataset. */
export interface ScaleOptions {
  users: number;
  items: number;
  interactionsPerUser: number;
  vocab?: number;
  tokensPerItem?: number;
  modalityDim?: number;
  seed?: number;
}

/** Builds the benchmark dataset. */
export function scaleDataset(o: ScaleOptions): Dataset {
  const rng = new Rng(o.seed ?? 0);
  const vocab = o.vocab ?? 1000, tpi = o.tokensPerItem ?? 6, dim = o.modalityDim ?? 64;
  // Zipf-like item popularity through a power transform of a uniform draw.
  const pick = () => Math.min(o.items - 1, Math.floor(o.items * Math.pow(rng.uniform(), 2)));
  const users: number[] = [], items: number[] = [];
  for (let u = 0; u < o.users; u++) {
    const seen = new Set<number>();
    while (seen.size < Math.min(o.interactionsPerUser, o.items)) seen.add(pick());
    for (const i of seen) {
      users.push(u);
      items.push(i);
    }
  }
  const offsets = new Int32Array(o.items + 1), tokens = new Int32Array(o.items * tpi);
  for (let i = 0; i < o.items; i++) {
    const s = new Set<number>();
    while (s.size < tpi) s.add(rng.int(vocab));
    tokens.set([...s].sort((a, b) => a - b), i * tpi);
    offsets[i + 1] = (i + 1) * tpi;
  }
  return {
    name: `scale-${o.users}x${o.items}`,
    source: `scale(seed=${o.seed ?? 0})`,
    userIds: Array.from({ length: o.users }, (_, u) => String(u)),
    itemIds: Array.from({ length: o.items }, (_, i) => String(i)),
    interactions: { users: Int32Array.from(users), items: Int32Array.from(items) },
    attributes: { vocab: Array.from({ length: vocab }, (_, t) => `t${t}`), offsets, tokens },
    modalities: [{ name: "image", dim, data: rng.normalArray(o.items * dim) }],
  };
}
