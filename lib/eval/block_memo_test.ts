import assert from "node:assert/strict";
import { BlockMemo } from "./block_memo.ts";

function counting(capacity: number) {
  const calls: number[][] = [];
  const memo = new BlockMemo<Float32Array>(capacity, (v) => v.length);
  const get = (ids: number[]) =>
    memo.get(Int32Array.from(ids), () => {
      calls.push(ids);
      return Float32Array.from(ids, (x) => x * 2);
    });
  return { memo, calls, get };
}

Deno.test("BlockMemo computes a block once, matching by content not by array", () => {
  const { memo, calls, get } = counting(100);
  const a = get([3, 1, 2]);
  assert.deepEqual([...get([3, 1, 2])], [6, 2, 4]);
  assert.equal(get([3, 1, 2]), a);
  assert.equal(calls.length, 1);
  // Same ids in another order, a prefix, a longer block: each is its own block.
  get([1, 2, 3]);
  get([3, 1]);
  get([3, 1, 2, 0]);
  assert.equal(calls.length, 4);
  assert.equal(memo.computed, 4);
  assert.equal(memo.size, 3 + 3 + 2 + 4);
});

Deno.test("BlockMemo stays within its capacity, dropping the oldest blocks first", () => {
  const { memo, calls, get } = counting(6);
  get([1, 2, 3]);
  get([4, 5, 6]);
  get([7, 8]); // drops [1, 2, 3]
  assert.ok(memo.size <= 6);
  get([4, 5, 6]);
  assert.equal(calls.length, 3, "[4, 5, 6] is still held");
  get([1, 2, 3]);
  assert.equal(calls.length, 4, "[1, 2, 3] was dropped and is computed again");
  // A block larger than the capacity is returned and not kept.
  const big = get([1, 2, 3, 4, 5, 6, 7]);
  assert.equal(big.length, 7);
  get([1, 2, 3, 4, 5, 6, 7]);
  assert.equal(calls.length, 6);
  assert.ok(memo.size <= 6);
});

Deno.test("BlockMemo keeps blocks whose keys could collide apart by their content", () => {
  const { calls, get } = counting(1000);
  // Many blocks of the same length: whatever their hashes, every distinct block is computed once.
  for (let r = 0; r < 2; r++) {
    for (let k = 0; k < 200; k++) get([k, k + 1]);
  }
  assert.equal(calls.length, 200);
});
