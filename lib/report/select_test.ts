import assert from "node:assert/strict";
import { selectOnValidation, type ValidationRecord } from "./select.ts";

let n = 0;
function rec(
  over: Partial<ValidationRecord> & { alpha: number; seed: number; ndcg?: number },
): ValidationRecord {
  const { alpha, ndcg, ...rest } = over;
  return {
    key: `k${n++}`,
    protocol: "item2user",
    dataset: "ml",
    model: "m2vae",
    label: "M2VAE",
    variant: "full",
    family: "ours",
    point: { alpha: [alpha] },
    pointLabel: `alpha=${alpha}`,
    valid: ndcg === undefined ? {} : { "NDCG@10": ndcg, "HR@10": 1 - ndcg },
    ...rest,
  };
}

Deno.test("selectOnValidation: picks the highest mean over seeds, not the best single seed", () => {
  const records = [
    // alpha=1 holds the best single seed (0.50) but its mean is 0.30 …
    rec({ alpha: 1, seed: 1, ndcg: 0.5 }),
    rec({ alpha: 1, seed: 2, ndcg: 0.1 }),
    // … alpha=10 has mean 0.34 …
    rec({ alpha: 10, seed: 1, ndcg: 0.35 }),
    rec({ alpha: 10, seed: 2, ndcg: 0.33 }),
    // … alpha=100 has mean 0.2.
    rec({ alpha: 100, seed: 1, ndcg: 0.2 }),
    rec({ alpha: 100, seed: 2, ndcg: 0.2 }),
  ];
  const [s, ...more] = selectOnValidation(records, "NDCG@10");
  assert.equal(more.length, 0);
  assert.equal(s.metric, "NDCG@10");
  assert.deepEqual(s.candidates.map((c) => c.pointLabel), ["alpha=1", "alpha=10", "alpha=100"]);
  assert.equal(s.chosen, 1);
  const c = s.candidates[s.chosen];
  assert.deepEqual(c.point, { alpha: [10] });
  assert.ok(Math.abs(c.score.mean - 0.34) < 1e-12);
  assert.equal(c.score.n, 2);
  assert.deepEqual(c.seeds, [1, 2]);
  assert.deepEqual(c.keys, [records[2].key, records[3].key]);
  // A different metric selects differently: HR@10 = 1 − NDCG favours alpha=100 (mean 0.8).
  assert.equal(selectOnValidation(records, "HR@10")[0].chosen, 2);
});

Deno.test("selectOnValidation: groups by (protocol, dataset, label) separately", () => {
  const records = [
    rec({ alpha: 1, seed: 1, ndcg: 0.3 }),
    rec({ alpha: 2, seed: 1, ndcg: 0.2 }),
    rec({ alpha: 1, seed: 1, ndcg: 0.1, dataset: "vg" }),
    rec({ alpha: 2, seed: 1, ndcg: 0.4, dataset: "vg" }),
    rec({ alpha: 1, seed: 1, ndcg: 0.1, protocol: "user2item" }),
    rec({ alpha: 2, seed: 1, ndcg: 0.5, protocol: "user2item" }),
    rec({ alpha: 1, seed: 1, ndcg: 0.0, label: "M2VAE w/o SG", variant: "w/o SG" }),
    rec({ alpha: 2, seed: 1, ndcg: 0.9, label: "M2VAE w/o SG", variant: "w/o SG" }),
  ];
  const sel = selectOnValidation(records, "NDCG@10");
  assert.deepEqual(
    sel.map((s) => [s.protocol, s.dataset, s.label, s.variant, s.candidates[s.chosen].pointLabel]),
    [
      ["item2user", "ml", "M2VAE", "full", "alpha=1"],
      ["item2user", "vg", "M2VAE", "full", "alpha=2"],
      ["user2item", "ml", "M2VAE", "full", "alpha=2"],
      ["item2user", "ml", "M2VAE w/o SG", "w/o SG", "alpha=2"],
    ],
  );
  for (const s of sel) {
    assert.equal(s.candidates.length, 2);
    assert.ok(s.candidates.every((c) => c.score.n === 1));
  }
});

Deno.test("selectOnValidation: ties keep the first point", () => {
  const records = [
    rec({ alpha: 5, seed: 1, ndcg: 0.2 }),
    rec({ alpha: 3, seed: 1, ndcg: 0.4 }),
    rec({ alpha: 7, seed: 1, ndcg: 0.4 }),
    rec({ alpha: 5, seed: 2, ndcg: 0.2 }),
    rec({ alpha: 3, seed: 2, ndcg: 0.3 }),
    rec({ alpha: 7, seed: 2, ndcg: 0.3 }),
  ];
  const [s] = selectOnValidation(records, "NDCG@10");
  assert.deepEqual(s.candidates.map((c) => c.pointLabel), ["alpha=5", "alpha=3", "alpha=7"]);
  assert.equal(s.candidates[s.chosen].pointLabel, "alpha=3");
});

Deno.test("selectOnValidation: a record lacking the metric throws naming the trial", () => {
  const records = [
    rec({ alpha: 1, seed: 1, ndcg: 0.3 }),
    rec({ alpha: 2, seed: 4, key: "deadbeefcafe0001" }),
  ];
  assert.throws(
    () => selectOnValidation(records, "NDCG@10"),
    (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /deadbeefcafe0001/);
      assert.match(e.message, /seed 4/);
      assert.match(e.message, /NDCG@10/);
      return true;
    },
  );
  assert.deepEqual(selectOnValidation([], "NDCG@10"), []);
});

Deno.test("selectOnValidation: a point whose mean is NaN ranks below every finite one, first or not", () => {
  for (const first of [true, false]) {
    const nan = [rec({ alpha: 1, seed: 1, ndcg: NaN }), rec({ alpha: 1, seed: 2, ndcg: 0.1 })];
    const ok = [rec({ alpha: 2, seed: 1, ndcg: 0.3 }), rec({ alpha: 2, seed: 2, ndcg: 0.31 })];
    const [s] = selectOnValidation(first ? [...nan, ...ok] : [...ok, ...nan], "NDCG@10");
    assert.equal(s.candidates[s.chosen].pointLabel, "alpha=2");
  }
});
