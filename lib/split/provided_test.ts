import assert from "node:assert/strict";
import { DataError } from "../data/errors.ts";
import { pairsOf, tinyDataset } from "./_test_utils.ts";
import { providedColdSplit } from "./provided.ts";

function withSplit(train: [number, number][], valid: [number, number][], test: [number, number][]) {
  const ds = tinyDataset(4, 6, 1, 1);
  ds.providedSplit = {
    source: "/tmp/aldi",
    train: pairsOf(train),
    valid: pairsOf(valid),
    test: pairsOf(test),
  };
  return ds;
}

Deno.test("providedColdSplit: takes the parts as given", () => {
  const ds = withSplit([[0, 0], [1, 1], [2, 0]], [[0, 2], [3, 3]], [[1, 4], [2, 5], [0, 5]]);
  const s = providedColdSplit(ds);
  assert.deepEqual([...s.trainItems], [0, 1]);
  assert.deepEqual([...s.validItems], [2, 3]);
  assert.deepEqual([...s.testItems], [4, 5]);
  assert.deepEqual([...s.trainUsers], [0, 1, 2]);
  assert.equal(s.test.users.length, 3);
  assert.equal(s.description, "provided (/tmp/aldi)");
  assert.match(s.fingerprint, /^[0-9a-f]{16}$/);
});

Deno.test("providedColdSplit: errors on a missing split, warm-cold overlap and empty parts", () => {
  const plain = tinyDataset(4, 6, 1, 1);
  assert.throws(() => providedColdSplit(plain), DataError);
  const leak = withSplit([[0, 0], [1, 2]], [[0, 2]], [[1, 4]]);
  assert.throws(() => providedColdSplit(leak), (e: unknown) => {
    return e instanceof DataError && /"i2" has training interactions/.test(e.message);
  });
  const both = withSplit([[0, 0]], [[0, 2]], [[1, 2]]);
  assert.throws(() => providedColdSplit(both), /both a validation and a test item/);
  const empty = withSplit([[0, 0]], [], [[1, 2]]);
  assert.throws(() => providedColdSplit(empty), /non-empty/);
  const range = withSplit([[0, 0]], [[0, 9]], [[1, 2]]);
  assert.throws(() => providedColdSplit(range), /item id 9 not in/);
  const twice = withSplit([[0, 0]], [[0, 2]], [[1, 4], [2, 4], [1, 4]]);
  assert.throws(() => providedColdSplit(twice), (e: unknown) => {
    return e instanceof DataError &&
      /test.*user "u1" and item "i4" are listed twice/.test(e.message);
  });
});
