import assert from "node:assert/strict";
import { pairsOf } from "./_test_utils.ts";
import { canonicalPairs, splitFingerprint } from "./fingerprint.ts";

const base = {
  trainItems: Int32Array.from([0, 1, 2]),
  validItems: Int32Array.from([3]),
  testItems: Int32Array.from([4, 5]),
  train: pairsOf([[0, 0], [1, 2], [0, 1], [2, 2]]),
};

Deno.test("splitFingerprint: 16 hex chars, independent of order", () => {
  const fp = splitFingerprint(base);
  assert.match(fp, /^[0-9a-f]{16}$/);
  const shuffled = {
    trainItems: Int32Array.from([2, 0, 1]),
    validItems: Int32Array.from([3]),
    testItems: Int32Array.from([5, 4]),
    train: pairsOf([[2, 2], [0, 1], [1, 2], [0, 0]]),
  };
  assert.equal(splitFingerprint(shuffled), fp);
});

Deno.test("splitFingerprint: changes when an item moves or a pair changes", () => {
  const fp = splitFingerprint(base);
  const moved = { ...base, validItems: Int32Array.from([3, 4]), testItems: Int32Array.from([5]) };
  assert.notEqual(splitFingerprint(moved), fp);
  const swapped = { ...base, validItems: base.testItems, testItems: base.validItems };
  assert.notEqual(splitFingerprint(swapped), fp);
  const pair = { ...base, train: pairsOf([[0, 0], [1, 2], [0, 1], [2, 1]]) };
  assert.notEqual(splitFingerprint(pair), fp);
});

Deno.test("canonicalPairs sorts by user then item", () => {
  const out = canonicalPairs(pairsOf([[2, 5], [0, 3], [2, 1], [0, 0]]));
  assert.deepEqual([...out], [0, 0, 0, 3, 2, 1, 2, 5]);
});
