import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { resultsCsv } from "./csv.ts";

Deno.test("resultsCsv writes one long-format line per metric and reads back exactly", () => {
  const csv = resultsCsv([
    { model: "M2VAE", dataset: "ml", seed: 1, metrics: { "HR@5": 0.1 + 0.2, "NDCG@5": 0.5 } },
    { model: 'A, "quoted"', dataset: "vg", seed: 2, metrics: { "Recall@10": 1 / 3 } },
    { model: "N", dataset: "vg", seed: 2, metrics: { "NDCG@10": 0.25 } },
  ]);
  const recs = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(recs.length, 4);
  assert.deepEqual(Object.keys(recs[0]), [
    "model",
    "dataset",
    "seed",
    "protocol",
    "metric",
    "value",
  ]);
  assert.deepEqual(recs[0], {
    model: "M2VAE",
    dataset: "ml",
    seed: "1",
    protocol: "item2user",
    metric: "HR@5",
    value: "0.30000000000000004",
  });
  assert.equal(recs[2].model, 'A, "quoted"');
  assert.equal(recs[2].protocol, "user2item");
  assert.equal(Number(recs[2].value), 1 / 3);
  assert.equal(recs[3].protocol, "");
});
