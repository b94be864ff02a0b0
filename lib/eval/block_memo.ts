/**
 * A memo of per-block scoring work, keyed by the ids of the block. The evaluators score
 * queries × candidates in blocks (rank.ts): every query block meets every candidate block, so
 * a scorer whose per-user or per-item work is expensive (M2VAE's exact scoring: the users'
 * projected decoder weights and gate factors, the items' encodings) would redo it once per
 * block of the other side. A scorer keeps one memo per side for its lifetime — one evaluation,
 * during which the parameters do not change — and computes each distinct block once.
 *
 * Blocks are matched by content (a hash, then an exact comparison), since the evaluator slices
 * a fresh array for every block. The memo holds at most `capacity` units of `sizeOf` (floats,
 * say); past it the oldest blocks are dropped, so it stays bounded at any scale.
 *
 * @example Usage
 * ```ts
 * import { BlockMemo } from "./block_memo.ts";
 * let computed = 0;
 * const memo = new BlockMemo<Float32Array>(1 << 20, (v) => v.length);
 * const side = (ids: Int32Array) => memo.get(ids, () => (computed++, new Float32Array(ids)));
 * side(new Int32Array([1, 2, 3]));
 * side(new Int32Array([1, 2, 3])); // same content: not computed again
 * console.log(computed); // 1
 * ```
 *
 * @module
 */

interface Entry<T> {
  ids: Int32Array;
  value: T;
  size: number;
}

/** FNV-1a over the ids' bytes, with the length: the bucket key of a block. */
function blockKey(ids: Int32Array): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < ids.length; k++) {
    let x = ids[k];
    for (let b = 0; b < 4; b++, x >>>= 8) h = Math.imul(h ^ (x & 0xff), 0x01000193);
  }
  return `${ids.length}:${h >>> 0}`;
}

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Per-block values keyed by the block's ids, bounded by a total size. */
export class BlockMemo<T> {
  readonly #buckets = new Map<string, Entry<T>[]>();
  /** Insertion order, for dropping the oldest. */
  readonly #order: { key: string; entry: Entry<T> }[] = [];
  #size = 0;
  #computed = 0;

  /**
   * @param capacity most units held (blocks larger than it are computed and not kept)
   * @param sizeOf a block value's size in those units
   */
  constructor(readonly capacity: number, readonly sizeOf: (value: T) => number) {}

  /** The value of the block `ids`: the memoised one, or `compute()`'s (then kept). */
  get(ids: Int32Array, compute: () => T): T {
    const key = blockKey(ids);
    const bucket = this.#buckets.get(key);
    const hit = bucket?.find((e) => sameIds(e.ids, ids));
    if (hit) return hit.value;
    const value = compute();
    this.#computed++;
    const size = this.sizeOf(value);
    if (size > this.capacity) return value;
    while (this.#size + size > this.capacity) this.#dropOldest();
    const entry = { ids: ids.slice(), value, size };
    if (bucket) bucket.push(entry);
    else this.#buckets.set(key, [entry]);
    this.#order.push({ key, entry });
    this.#size += size;
    return value;
  }

  /** Blocks computed so far (hits do not count). */
  get computed(): number {
    return this.#computed;
  }

  /** Units held now. */
  get size(): number {
    return this.#size;
  }

  #dropOldest(): void {
    const oldest = this.#order.shift()!;
    const bucket = this.#buckets.get(oldest.key)!;
    bucket.splice(bucket.indexOf(oldest.entry), 1);
    if (bucket.length === 0) this.#buckets.delete(oldest.key);
    this.#size -= oldest.entry.size;
  }
}
