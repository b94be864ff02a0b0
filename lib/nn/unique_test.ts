import assert from "node:assert/strict";
import { uniqueIndex } from "./unique.ts";

Deno.test("uniqueIndex: distinct ids in first-seen order and each position's index into them", () => {
  const { unique, index } = uniqueIndex(Int32Array.of(7, 3, 7, 5, 3), 10);
  assert.deepEqual(Array.from(unique), [7, 3, 5]);
  assert.deepEqual(Array.from(index), [0, 1, 0, 2, 1]);
  assert.deepEqual(uniqueIndex(new Int32Array(0), 4), {
    unique: new Int32Array(0),
    index: new Int32Array(0),
  });
});
