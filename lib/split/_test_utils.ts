/**
 * Small synthetic datasets for the split and evaluation tests (no files needed).
 *
 * @module
 */
import type { Dataset, Interactions } from "../data/dataset.ts";
import { Rng } from "../rng/mod.ts";

/**
 * A random implicit-feedback dataset: each user interacts with `perUser` distinct items drawn
 * uniformly from the first `activeItems` items (default all), so later items stay untouched.
 */
export function tinyDataset(
  numUsers: number,
  numItems: number,
  perUser: number,
  seed: number,
  activeItems = numItems,
): Dataset {
  const rng = new Rng(seed);
  const users: number[] = [], items: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const picked = new Set<number>();
    while (picked.size < Math.min(perUser, activeItems)) picked.add(rng.int(activeItems));
    for (const i of picked) {
      users.push(u);
      items.push(i);
    }
  }
  return {
    name: "tiny",
    source: `synthetic(seed=${seed})`,
    userIds: Array.from({ length: numUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    interactions: { users: Int32Array.from(users), items: Int32Array.from(items) },
    attributes: { vocab: [], offsets: new Int32Array(numItems + 1), tokens: new Int32Array(0) },
    modalities: [],
  };
}

/** Interactions from a list of [user, item] pairs. */
export function pairsOf(list: [number, number][]): Interactions {
  return {
    users: Int32Array.from(list.map((p) => p[0])),
    items: Int32Array.from(list.map((p) => p[1])),
  };
}
