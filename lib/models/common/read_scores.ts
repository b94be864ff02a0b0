/**
 * The last step of every scorer: run the score computation in `tf.tidy`, read the
 * `[users, items]` block back and release it; the scorer of every model whose score is a
 * dot product of a user row and an item representation; and the scorer of the reference rows
 * whose score is a plain function of a (user, item) pair.
 *
 * @module
 */
import type { Scorer } from "../../eval/scorer.ts";
import { tf } from "../../tf/mod.ts";

/** Runs `compute` in a tidy scope and returns its values as a Float32Array (row-major). */
export async function readScores(compute: () => tf.Tensor): Promise<Float32Array> {
  const s = tf.tidy(compute);
  try {
    return (await s.data()) as Float32Array;
  } finally {
    s.dispose();
  }
}

/**
 * A scorer whose score is u·vᵀ: `users(ids)` gives `[users, d]`, `items(ids)` `[items, d]`.
 * Both run inside the tidy scope, so their intermediates are released.
 */
export function dotScorer(
  users: (ids: Int32Array) => tf.Tensor2D,
  items: (ids: Int32Array) => tf.Tensor2D,
): Scorer {
  return {
    score: (u: Int32Array, i: Int32Array): Promise<Float32Array> =>
      readScores(() => tf.matMul(users(u), items(i), false, true)),
  };
}

/**
 * A scorer computed pair by pair in JavaScript, without tensors: `[users, items]` row-major,
 * entry (a, b) = `pair(users[a], items[b])`, the pairs visited row by row.
 */
export function pairScorer(pair: (user: number, item: number) => number): Scorer {
  return {
    score: (users: Int32Array, items: Int32Array): Promise<Float32Array> => {
      const out = new Float32Array(users.length * items.length);
      for (let a = 0; a < users.length; a++) {
        for (let b = 0; b < items.length; b++) out[a * items.length + b] = pair(users[a], items[b]);
      }
      return Promise.resolve(out);
    },
  };
}
