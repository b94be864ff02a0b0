import assert from "node:assert/strict";
import {
  dcg,
  item2userMetrics,
  item2userSpread,
  ndcgAtK,
  selfNormalisedNdcg,
  user2itemMetrics,
} from "./metrics.ts";

const close = (a: number, b: number, eps = 1e-9) =>
  assert.ok(Math.abs(a - b) < eps, `${a} is not ≈ ${b}`);

Deno.test("item2user golden: a first-rank hit gives HR@5 0.2 and NDCG@5 1.0", () => {
  const m = item2userMetrics([[1, 0, 0, 0, 0]], [5]);
  close(m["HR@5"], 0.2);
  close(m["NDCG@5"], 1.0);
});

Deno.test("item2user golden: a fifth-rank hit gives HR@5 0.2 and NDCG@5 1/log2(6) ≈ 0.387", () => {
  const m = item2userMetrics([[0, 0, 0, 0, 1]], [5]);
  close(m["HR@5"], 0.2);
  close(m["NDCG@5"], 0.38685280723454163);
  close(m["NDCG@5"], 0.3869, 1e-4);
});

Deno.test("item2user golden: several items aggregated, at two cutoffs", () => {
  const lists = [[1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 0], [0, 1, 1, 0, 0]];
  const m = item2userMetrics(lists, [2, 5]);
  // @5: hits 1 + 1 + 0 + 2 = 4 over 4 items × 5.
  close(m["HR@5"], 4 / 20);
  // Item 4: DCG = 1/log2 3 + 1/log2 4; its own re-sorted ideal = 1 + 1/log2 3.
  const i4 = (1 / Math.log2(3) + 0.5) / (1 + 1 / Math.log2(3));
  close(i4, 0.6934264036172708);
  close(m["NDCG@5"], (1 + 1 / Math.log2(6) + 0 + i4) / 4);
  // @2: hits 1 + 0 + 0 + 1 over 4 × 2; item 4's top-2 [0, 1] self-normalises to 1/log2 3.
  close(m["HR@2"], 2 / 8);
  close(m["NDCG@2"], (1 + 1 / Math.log2(3)) / 4);
  // The paper's oddities hold here: NDCG > HR.
  assert.ok(m["NDCG@5"] > m["HR@5"]);
});

Deno.test("item2user: lists shorter than K count as zero-padded; gain is 2^r − 1", () => {
  const m = item2userMetrics([[1]], [5]);
  close(m["HR@5"], 0.2);
  close(m["NDCG@5"], 1);
  close(dcg([2, 1]), 3 + 1 / Math.log2(3));
  close(selfNormalisedNdcg([1, 2], 2), (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)));
  assert.throws(() => item2userMetrics([], [5]), RangeError);
});

Deno.test("user2item golden: Recall, Precision, NDCG, HitRate by hand", () => {
  const lists = [
    { rels: [1, 0, 1], positives: 2 }, // A
    { rels: [0, 1, 0], positives: 1 }, // B
    { rels: [0, 0, 0], positives: 5 }, // C
  ];
  const m = user2itemMetrics(lists, [1, 3]);
  // @3: A recall 2/2, B 1/1, C 0; precision 2/3, 1/3, 0.
  close(m["Recall@3"], 2 / 3);
  close(m["Precision@3"], 1 / 3);
  // A: DCG 1 + 1/log2 4 = 1.5 over ideal (2 positives) 1 + 1/log2 3 → 0.91972…; B: 1/log2 3.
  close(m["NDCG@3"], (0.9197207891481876 + 0.6309297535714575 + 0) / 3);
  close(m["HitRate@3"], 2 / 3);
  // @1: only A hits; recall 1/2.
  close(m["Recall@1"], 0.5 / 3);
  close(m["Precision@1"], 1 / 3);
  close(m["NDCG@1"], 1 / 3);
  close(m["HitRate@1"], 1 / 3);
  // The standard NDCG's ideal is over the ground truth: a list can be perfect yet < 1.
  close(ndcgAtK([1, 0], 2, 2), 1 / (1 + 1 / Math.log2(3)));
  close(selfNormalisedNdcg([1, 0], 2), 1);
  assert.throws(() => user2itemMetrics([{ rels: [1], positives: 0 }], [1]), /positives/);
});

Deno.test("item2userSpread: reach, hits per reached item and their NDCG multiply back to HR and NDCG", () => {
  const lists = [[1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 0], [0, 1, 1, 0, 0]];
  for (const k of [1, 2, 5]) {
    const m = item2userMetrics(lists, [k]), s = item2userSpread(lists, [k]);
    close(m[`NDCG@${k}`], s[`Reach@${k}`] * s[`NDCGReached@${k}`]);
    close(m[`HR@${k}`], (s[`Reach@${k}`] * s[`HitsPerReached@${k}`]) / k);
  }
  const s = item2userSpread(lists, [5]);
  close(s["Reach@5"], 3 / 4);
  close(s["HitsPerReached@5"], 4 / 3);
  // Level by HR@2, apart by NDCG@2: two hits on one item against one hit on each of two.
  const piled = item2userMetrics([[1, 1], [0, 0]], [2]),
    spread = item2userMetrics([[1, 0], [1, 0]], [2]);
  close(piled["HR@2"], spread["HR@2"]);
  assert.ok(spread["NDCG@2"] > piled["NDCG@2"]);
  assert.deepEqual(item2userSpread([[0, 0]], [2]), {
    "Reach@2": 0,
    "HitsPerReached@2": 0,
    "NDCGReached@2": 0,
  });
  assert.throws(() => item2userSpread([], [5]), RangeError);
});
