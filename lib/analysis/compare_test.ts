import * as assert from "node:assert/strict";
import { evaluate, type Scorer } from "../eval/mod.ts";
import { Rng } from "../rng/mod.ts";
import { tinyDataset } from "../split/_test_utils.ts";
import { coldItemSplit } from "../split/cold_split.ts";
import type { TrialInfo } from "../store/mod.ts";
import { checkRows, compareRows, perQueryMetrics, type RowRanking } from "./compare.ts";

const split = coldItemSplit(tinyDataset(90, 160, 9, 7, 150), { seed: 2 });

function randomScorer(seed: number): Scorer {
  const rng = new Rng(seed);
  const m = Float32Array.from({ length: split.numUsers * split.numItems }, () => rng.uniform());
  return {
    score: (users, items) => {
      const out = new Float32Array(users.length * items.length);
      users.forEach((u, r) =>
        items.forEach((i, c) => (out[r * items.length + c] = m[u * split.numItems + i]))
      );
      return Promise.resolve(out);
    },
  };
}

Deno.test("perQueryMetrics: the per-query values average to the protocol's metrics", async () => {
  for (const protocol of ["item2user", "user2item"] as const) {
    const r = await evaluate(randomScorer(4), split, "test", protocol, { keepLists: true });
    const per = perQueryMetrics(r.lists!, protocol, [5, 10, 20]);
    for (const [name, v] of Object.entries(r.metrics)) {
      const mean = per[name].reduce((s, x) => s + x, 0) / per[name].length;
      assert.ok(Math.abs(mean - v) < 1e-12, `${protocol} ${name}: ${mean} against ${v}`);
    }
    assert.deepEqual(
      Object.keys(per).filter((n) => n.endsWith("@5")),
      protocol === "item2user"
        ? ["HR@5", "NDCG@5", "Reach@5"]
        : ["Recall@5", "Precision@5", "NDCG@5", "HitRate@5"],
    );
  }
});

/** A row of trials (seed s) whose metric "m" is `f(seed, query)` on queries 0..n−1. */
function row(seeds: number[], n: number, f: (seed: number, q: number) => number): RowRanking {
  return {
    trials: seeds.map((seed) => ({ spec: { seed } }) as unknown as TrialInfo),
    queries: Int32Array.from({ length: n }, (_, q) => q),
    metrics: seeds.map((s) => ({ m: Float64Array.from({ length: n }, (_, q) => f(s, q)) })),
  };
}

Deno.test("compareRows: per-query means over seeds, a bootstrap over queries, the t over shared seeds", () => {
  const b = row([1, 2, 3], 50, (s, q) => (q % 5) / 10 + s / 100);
  // a is b + 0.1 on every query and seed: the interval is the point, every query ahead.
  const [ahead] = compareRows(
    row([1, 2, 3], 50, (s, q) => (q % 5) / 10 + s / 100 + 0.1),
    b,
    new Rng(1),
  );
  assert.ok(Math.abs(ahead.queries.mean - 0.1) < 1e-12);
  assert.ok(Math.abs(ahead.queries.lo - 0.1) < 1e-12 && Math.abs(ahead.queries.hi - 0.1) < 1e-12);
  assert.equal(ahead.ahead, 50);
  assert.equal(ahead.behind, 0);
  assert.deepEqual(ahead.seeds?.seedList, [1, 2, 3]);
  assert.ok(ahead.seeds!.t > 1e6 && ahead.seeds!.p < 1e-6);
  // The same row: every query ties, p 1.
  const [same] = compareRows(b, b, new Rng(1));
  assert.equal(same.ahead + same.behind, 0);
  assert.equal(same.queries.p, 1);
  // Seeds 4 and 5 only in a: the query means use all of a's seeds, the t only seeds 1–3.
  const a5 = row([1, 2, 3, 4, 5], 50, (s, q) => (q % 5) / 10 + s / 100);
  const [wider] = compareRows(a5, b, new Rng(1));
  assert.ok(Math.abs(wider.queries.mean - 0.01) < 1e-12); // mean seed 3/100 against 2/100
  assert.equal(wider.seeds?.n, 3);
  assert.equal(wider.seeds?.meanDiff, 0);
  // Half the queries ahead by 0.2, half behind by 0.2: centred, a wide interval around 0.
  const [mixed] = compareRows(
    row([1], 50, (_s, q) => (q % 2 ? 0.2 : -0.2)),
    row([1], 50, () => 0),
    new Rng(2),
  );
  assert.equal(mixed.ahead, 25);
  assert.ok(mixed.queries.lo < 0 && mixed.queries.hi > 0 && mixed.queries.p > 0.5);
  assert.equal(mixed.seeds, undefined); // one shared seed: no t
  assert.deepEqual(compareRows(b, b, new Rng(9)), compareRows(b, b, new Rng(9)));
  assert.throws(
    () => compareRows(row([1], 4, () => 0), row([1], 5, () => 0), new Rng(1)),
    /different queries/,
  );
});

Deno.test("checkRows: finished trials of one protocol and split, or one line naming the trial", () => {
  const t = (key: string, o: Partial<TrialInfo> = {}, dataset = "d") =>
    ({
      spec: { key, label: `row ${key}`, seed: 1, dataset },
      status: "done",
      protocol: "item2user",
      splitFingerprint: "f",
      ...o,
    }) as unknown as TrialInfo;
  assert.equal(checkRows([t("a1")], [t("b1")]), "item2user");
  assert.throws(
    () => checkRows([t("a1")], [t("b1", { status: "failed" })]),
    /trial b1 \(row b1, seed 1\) is failed/,
  );
  assert.throws(
    () => checkRows([t("a1")], [t("b1", { protocol: "user2item" })]),
    /b1 \(row b1\) was evaluated under user2item/,
  );
  assert.throws(() => checkRows([t("a1")], [t("b1", { splitFingerprint: "g" })]), /another split/);
  assert.throws(() => checkRows([t("a1")], [t("b1", {}, "e")]), /another split/);
  assert.throws(() => checkRows([], [t("b1")]), /at least one trial/);
});
