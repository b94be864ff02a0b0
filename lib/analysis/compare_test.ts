import * as assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import type { TrialInfo } from "../store/mod.ts";
import { checkRows, compareRows, type RowRanking } from "./compare.ts";

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

Deno.test("checkRows: one seed once per row; user2item rows on the same candidates", () => {
  const t = (key: string, seed: number, candidates = "part", protocol = "user2item") =>
    ({
      spec: { key, label: "r", seed, dataset: "d", settings: { candidates } },
      status: "done",
      protocol,
      splitFingerprint: "f",
    }) as unknown as TrialInfo;
  assert.throws(
    () => checkRows([t("a1", 1), t("a2", 1)], [t("b1", 1)]),
    /a1 and a2 of one row both ran seed 1/,
  );
  assert.throws(
    () => checkRows([t("a1", 1)], [t("b1", 1, "all-cold")]),
    /b1 \(r\) ranked all-cold candidates, trial a1 \(r\) part/,
  );
  assert.equal(
    checkRows([t("a1", 1, "part", "item2user")], [t("b1", 1, "all-cold", "item2user")]),
    "item2user",
  );
});
