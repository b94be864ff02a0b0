import assert from "node:assert/strict";
import { join } from "node:path";
import {
  decodeQueryMetrics,
  encodeQueryMetrics,
  readQueryMetrics,
  writeQueryMetrics,
} from "./test_queries.ts";

Deno.test("test queries: a round trip through the file, float32 values, ids exact", async () => {
  const q = {
    ids: Int32Array.from([3, 140000, 7]),
    metrics: {
      "HR@5": Float64Array.from([0.2, 0, 0.6]),
      "NDCG@5": Float64Array.from([1, 0, 1 / 3]),
    },
  };
  const back = decodeQueryMetrics(encodeQueryMetrics(q));
  assert.deepEqual([...back.ids], [3, 140000, 7]);
  assert.deepEqual(Object.keys(back.metrics), ["HR@5", "NDCG@5"]);
  for (const m of ["HR@5", "NDCG@5"] as const) {
    back.metrics[m].forEach((v, i) => assert.ok(Math.abs(v - q.metrics[m][i]) < 1e-7));
  }
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "a", "key", "test_queries.safetensors");
    assert.equal(await readQueryMetrics(path), undefined);
    await writeQueryMetrics(path, q);
    assert.deepEqual(await readQueryMetrics(path), back);
    await Deno.writeFile(path, new Uint8Array([1, 2, 3]));
    await assert.rejects(() => readQueryMetrics(path), (e: Error) => e.message.startsWith(path));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("test queries: ids float32 cannot hold, a short metric and a tensor named queries are refused", () => {
  const one = (ids: number[], m: number[], name = "HR@5") =>
    encodeQueryMetrics({ ids: Int32Array.from(ids), metrics: { [name]: Float64Array.from(m) } });
  assert.throws(() => one([2 ** 24], [0]), /not exact in float32/);
  assert.throws(() => one([-1], [0]), /not exact in float32/);
  assert.throws(() => one([1, 2], [0]), /HR@5 has 1 values for 2 queries/);
  assert.throws(() => one([1], [0], "queries"), /cannot be named "queries"/);
});
