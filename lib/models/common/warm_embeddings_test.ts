import assert from "node:assert/strict";
import { loadDataset } from "../../data/mod.ts";
import { Rng } from "../../rng/mod.ts";
import { coldItemSplit } from "../../split/mod.ts";
import { initTf } from "../../tf/mod.ts";
import {
  trainBprMf,
  WARM_DEFAULTS,
  warmEmbeddings,
  withPretrainProgress,
} from "./warm_embeddings.ts";

await initTf();
const ds = await loadDataset({ kind: "synthetic", users: 200, items: 150, seed: 3 });
const split = coldItemSplit(ds, { seed: 0 });
const opts = { dim: 16, epochs: 15, lr: 2e-2 };

function dot(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
  return s;
}

Deno.test("BPR-MF ranks training pairs above random warm pairs; cold rows stay zero", () => {
  const w = warmEmbeddings(split, 1, opts);
  const rng = new Rng(4);
  let wins = 0;
  const n = 2000;
  for (let k = 0; k < n; k++) {
    const r = rng.int(split.train.users.length);
    const u = split.train.users[r], i = split.train.items[r];
    const j = split.trainItems[rng.int(split.trainItems.length)];
    if (dot(w.users, u, w.items, i, w.dim) > dot(w.users, u, w.items, j, w.dim)) wins++;
  }
  assert.ok(wins / n > 0.7, `training AUC ${wins / n}`);
  for (const i of [...split.validItems, ...split.testItems]) {
    assert.ok(w.items.subarray(i * w.dim, (i + 1) * w.dim).every((v) => v === 0));
  }
});

Deno.test("warm embeddings are deterministic per seed and round-trip through the disk cache", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const small = { ...opts, epochs: 2 };
    const a = warmEmbeddings(split, 7, small, dir);
    assert.equal(Deno.readDirSync(`${dir}/warm`).toArray().length, 1);
    const fresh = trainBprMf(split, 7, { ...small, batchSize: 2048, reg: 1e-4 });
    assert.deepEqual(fresh.items, a.items);
    // A different seed is a different key; the disk copy is read back bit for bit.
    assert.notDeepEqual(warmEmbeddings(split, 8, small, dir).users, a.users);
    const onDisk = Deno.readFileSync(`${dir}/warm/${a.key}.f32`);
    const back = new Float32Array(onDisk.buffer, onDisk.byteOffset, onDisk.byteLength / 4);
    assert.deepEqual(back.slice(0, a.users.length), a.users);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("pretraining reports progress inside withPretrainProgress, and only there", () => {
  const lines: string[] = [];
  const small = { ...opts, epochs: 2, dim: 4 };
  const w = withPretrainProgress(
    { label: "synthetic GAR seed 5", tty: false, write: (t) => lines.push(t) },
    () => warmEmbeddings(split, 5, small),
  );
  const total = 2 * Math.ceil(split.train.users.length / WARM_DEFAULTS.batchSize);
  assert.ok(lines.length >= 1);
  assert.match(
    lines.at(-1)!,
    new RegExp(
      `^synthetic GAR seed 5 BPR-MF pretraining \\[#+\\] ${total}/${total} .*epoch 2/2\\n$`,
    ),
  );
  // The same embeddings as without progress, and silence outside the scope.
  const before = lines.length;
  assert.deepEqual(trainBprMf(split, 5, { ...WARM_DEFAULTS, ...small }).users, w.users);
  assert.equal(lines.length, before);
});
