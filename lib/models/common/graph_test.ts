import assert from "node:assert/strict";
import { Rng } from "../../rng/mod.ts";
import { gatherRows, initTf, tf } from "../../tf/mod.ts";
import { buildInteractionIndex } from "../../train/interaction_index.ts";
import {
  BlockTensors,
  fullBlock,
  isolatedBlock,
  neighbourLists,
  neighbourSum,
  propagate,
  sampleBlocks,
  scatterRows,
  userItemGraph,
} from "./graph.ts";

await initTf();
// 3 users, 4 items; item 3 is cold (its pair is not a training pair).
const train = { users: Int32Array.of(0, 0, 1, 2, 2), items: Int32Array.of(0, 1, 1, 1, 2) };
const index = buildInteractionIndex(train, 3, 4);
const graph = userItemGraph(index, Int32Array.of(0, 1, 2)); // warm items only

Deno.test("userItemGraph: symmetric edges of the training pairs, users then items", () => {
  assert.equal(graph.numNodes, 6);
  const nb = (v: number) =>
    Array.from(graph.adj.values.subarray(graph.adj.offsets[v], graph.adj.offsets[v + 1])).sort();
  assert.deepEqual(nb(0), [3, 4]);
  assert.deepEqual(nb(4), [0, 1, 2]); // item 1
  assert.deepEqual(nb(5), [2]); // item 2
});

Deno.test("propagate: the mean over neighbours and self, as a dense reference", () => {
  const x = tf.tensor2d(Float32Array.from({ length: 12 }, (_, k) => k * 0.5 - 2), [6, 2]);
  const b = new BlockTensors(fullBlock(graph));
  const got = propagate(x, b).arraySync();
  const xs = x.arraySync();
  for (let v = 0; v < 6; v++) {
    const ns = [v, ...graph.adj.values.subarray(graph.adj.offsets[v], graph.adj.offsets[v + 1])];
    for (let c = 0; c < 2; c++) {
      const want = ns.reduce((s, n) => s + xs[n][c], 0) / ns.length;
      assert.ok(Math.abs(got[v][c] - want) < 1e-5);
    }
  }
  const iso = new BlockTensors(isolatedBlock(Int32Array.of(7, 9)));
  const y = tf.tensor2d([[1, 2], [3, 4]]);
  assert.deepEqual(propagate(y, iso).arraySync(), [[1, 2], [3, 4]]);
  tf.dispose([x, y]);
  b.dispose();
  iso.dispose();
});

Deno.test("sampleBlocks: destinations are a prefix of sources, fan-out is capped", () => {
  const blocks = sampleBlocks(graph, Int32Array.of(4), 2, 2, new Rng(1));
  assert.equal(blocks.length, 2);
  assert.deepEqual(Array.from(blocks[1].src.subarray(0, 1)), [4]);
  assert.equal(blocks[1].edgeSrc.length, 2); // item 1 has 3 users, 2 kept
  assert.deepEqual(blocks[0].src.subarray(0, blocks[0].numDst), blocks[1].src);
  for (const b of blocks) {
    for (let k = 0; k < b.edgeDst.length; k++) assert.ok(b.edgeDst[k] < b.numDst);
  }
});

Deno.test("neighbourLists: all neighbours, or a capped sample without repeats", () => {
  const all = neighbourLists(index.byItem, Int32Array.of(1, 3));
  assert.deepEqual(Array.from(all.counts), [3, 0]); // the cold item has no neighbour
  const cap = neighbourLists(index.byItem, Int32Array.of(1), 2, new Rng(2));
  assert.equal(new Set(cap.neighbours).size, 2);
});

Deno.test("neighbourSum: the gather + segment sum it replaces, to the bit, values and gradients", () => {
  const rng = new Rng(8),
    big = userItemGraph(
      buildInteractionIndex(
        {
          users: Int32Array.from({ length: 60 }, () => rng.int(12)),
          items: Int32Array.from({ length: 60 }, () => rng.int(15)),
        },
        12,
        15,
      ),
      Int32Array.from({ length: 15 }, (_, k) => k),
    );
  const blocks = [
    fullBlock(big),
    ...sampleBlocks(big, Int32Array.of(0, 3, 14, 20), 2, 3, rng),
  ];
  for (const bl of blocks) {
    const b = new BlockTensors(bl);
    tf.tidy(() => {
      const x = tf.tensor2d(rng.normalArray(b.numSrc * 5), [b.numSrc, 5]);
      const w = tf.tensor2d(rng.normalArray(b.numDst * 5), [b.numDst, 5]);
      const old = (t: tf.Tensor2D) => scatterRows(gatherRows(t, b.edgeSrc), b.edgeDst, b.numDst);
      const loss = (f: (t: tf.Tensor2D) => tf.Tensor2D) => (t: tf.Tensor) =>
        tf.sum(tf.mul(f(t as tf.Tensor2D), w));
      assert.deepEqual(neighbourSum(x, b).arraySync(), old(x).arraySync());
      assert.deepEqual(
        tf.grad(loss((t) => neighbourSum(t, b)))(x).arraySync(),
        tf.grad(loss(old))(x).arraySync(),
      );
    });
    b.dispose();
  }
});
