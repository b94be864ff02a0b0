/**
 * The analysis tests' scorer: every (user, item) pair scored by a function of the two ids.
 *
 * @module
 */
import type { Scorer } from "../eval/mod.ts";

/** A scorer whose score of (u, i) is `f(u, i)`. */
export function functionScorer(f: (u: number, i: number) => number): Scorer {
  return {
    score: (users, items) => {
      const out = new Float32Array(users.length * items.length);
      users.forEach((u, r) => items.forEach((i, c) => (out[r * items.length + c] = f(u, i))));
      return Promise.resolve(out);
    },
  };
}
