/**
 * Building the attribute CSR from per-item token strings: tokens deduplicated within an item,
 * an optional minimum item frequency, and a vocabulary in first-seen order.
 *
 * @module
 */
import type { Attributes } from "./dataset.ts";

/** The CSR plus counts for the load report. */
export interface AttributeCsrResult {
  /** Vocabulary, offsets and token ids. */
  attributes: Attributes;
  /** Distinct tokens before the frequency cut. */
  distinctTokens: number;
  /** Item-token pairs removed by the frequency cut. */
  droppedPairs: number;
}

/**
 * Builds the CSR for `numItems` items; `tokensOf(i)` gives item i's tokens (may repeat, may be
 * undefined). Tokens carried by fewer than `minFreq` items are dropped.
 *
 * @example Usage
 * ```ts
 * const { attributes } = buildAttributeCsr(2, (i) => (i === 0 ? ["a", "b", "a"] : ["a"]), 2);
 * attributes.vocab; // ["a"]
 * ```
 */
export function buildAttributeCsr(
  numItems: number,
  tokensOf: (item: number) => readonly string[] | undefined,
  minFreq = 1,
): AttributeCsrResult {
  const perItem: string[][] = [];
  const freq = new Map<string, number>();
  for (let k = 0; k < numItems; k++) {
    const uniq = [...new Set(tokensOf(k) ?? [])];
    perItem.push(uniq);
    for (const t of uniq) freq.set(t, (freq.get(t) ?? 0) + 1);
  }
  const vocabIndex = new Map<string, number>();
  const vocab: string[] = [];
  const offsets = new Int32Array(numItems + 1);
  const tokens: number[] = [];
  let dropped = 0;
  for (let k = 0; k < numItems; k++) {
    for (const t of perItem[k]) {
      if ((freq.get(t) ?? 0) < minFreq) {
        dropped++;
        continue;
      }
      let id = vocabIndex.get(t);
      if (id === undefined) {
        id = vocab.length;
        vocabIndex.set(t, id);
        vocab.push(t);
      }
      tokens.push(id);
    }
    offsets[k + 1] = tokens.length;
  }
  return {
    attributes: { vocab, offsets, tokens: Int32Array.from(tokens) },
    distinctTokens: freq.size,
    droppedPairs: dropped,
  };
}
