import assert from "node:assert/strict";
import { choiceMargin, replayHalving, tuneDecision, withinNoise } from "./halving.ts";
import type { TuneEntry, TuneTrialState } from "./tuning.ts";

/** Entries of one row: `n` configurations at rungs of 4 and 12 epochs, seed 2's finals. */
function row(n: number): TuneEntry[] {
  const out: TuneEntry[] = [];
  for (let c = 0; c < n; c++) {
    const base = { dataset: "d", label: "M", config: c, metric: "NDCG@10" };
    for (let r = 0; r < 2; r++) out.push({ ...base, rung: r, seed: 1, trial: `c${c}r${r}` });
    out.push({ ...base, rung: -1, seed: 1, trial: `c${c}r1` });
    out.push({ ...base, rung: -1, seed: 2, trial: `c${c}s2` });
  }
  return out;
}

const stateOf =
  (valid: Record<string, number>, failed: string[] = []) =>
  (k: string): TuneTrialState | undefined =>
    failed.includes(k)
      ? { status: "failed", valid: {} }
      : k in valid
      ? { status: "done", valid: { "NDCG@10": valid[k] } }
      : { status: "pending", valid: {} };

// Six configurations, η 3 keeps two after the first rung. Configuration 2 is third there by
// 0.001 and best at the top rung once promoted (as another run with η 2 promoted it).
const valid = {
  c0r0: 0.50,
  c1r0: 0.20,
  c2r0: 0.489,
  c3r0: 0.49,
  c4r0: 0.30,
  c5r0: 0.10,
  c0r1: 0.52,
  c3r1: 0.51,
  c2r1: 0.56,
};

Deno.test("replayHalving: the run's own budget and η give tuneDecision's choice, and its value", () => {
  const entries = row(6), state = stateOf(valid);
  const own = replayHalving(entries, { budget: 6, eta: 3 }, state, [4, 12]);
  const d = tuneDecision(entries, 3, state);
  assert.deepEqual([d.chosen, d.alive], [0, [[0, 1, 2, 3, 4, 5], [0, 3]]]);
  assert.deepEqual(
    { chosen: own.chosen, valid: own.valid, counts: own.counts, missing: own.missing },
    { chosen: 0, valid: 0.52, counts: [6, 2], missing: 0 },
  );
  assert.equal(own.epochs, 6 * 4 + 2 * 8);
});

Deno.test("replayHalving: η 2 promotes the configuration the first cut dropped; its stored top rung decides", () => {
  const got = replayHalving(row(6), { budget: 6, eta: 2 }, stateOf(valid), [4, 12]);
  assert.deepEqual([got.chosen, got.valid, got.counts, got.epochs], [2, 0.56, [6, 3], 48]);
  // Without that stored trial the replay cannot rank the top rung: one trial missing.
  const { c2r1: _, ...without } = valid;
  const undecided = replayHalving(row(6), { budget: 6, eta: 2 }, stateOf(without), [4, 12]);
  assert.deepEqual([undecided.chosen, undecided.missing, undecided.counts], [undefined, 1, [6, 3]]);
});

Deno.test("replayHalving: half the budget ranks the first configurations only; failures rank last", () => {
  // Configurations 0–2: 0 and 2 go on at η 2 (⌈3/2⌉ = 2); 2 wins the top rung.
  const half = replayHalving(row(6), { budget: 3, eta: 2 }, stateOf(valid), [4, 12]);
  assert.deepEqual([half.chosen, half.counts], [2, [3, 2]]);
  // Configurations 0–3 at η 3 promote 0 and 3; with 0 failed at the top rung, 3 is the choice.
  const failed = replayHalving(row(6), { budget: 4, eta: 3 }, stateOf(valid, ["c0r1"]), [4, 12]);
  assert.deepEqual([failed.chosen, failed.valid], [3, 0.51]);
  const allFailed = replayHalving(
    row(2),
    { budget: 2, eta: 2 },
    stateOf({}, ["c0r0", "c1r0"]),
    [4, 12],
  );
  assert.deepEqual([allFailed.failed, allFailed.chosen, allFailed.missing], [true, undefined, 0]);
  assert.deepEqual([allFailed.counts, allFailed.epochs], [[2], 8]); // nothing past the failure
  // The first rung unfinished: every configuration of it is missing; later rungs nominal.
  const none = replayHalving(row(6), { budget: 6, eta: 3 }, stateOf({}), [4, 12]);
  assert.deepEqual([none.missing, none.counts], [6, [6, 2]]);
  // A trial the store has no state for at all counts as not finished, like a pending one.
  const absent = replayHalving(
    row(6),
    { budget: 6, eta: 2 },
    (k) => k === "c2r1" ? undefined : stateOf(valid)(k),
    [4, 12],
  );
  assert.deepEqual([absent.chosen, absent.missing], [undefined, 1]);
  assert.throws(() => replayHalving(row(6), { budget: 7, eta: 3 }, stateOf(valid), [4, 12]), /7/);
});

/** Entries of one row with finals on seeds 1–3 (seed 1's is the top-rung trial). */
function rowWithSeeds(n: number): TuneEntry[] {
  return row(n).flatMap((e) =>
    e.rung === -1 && e.seed === 2 ? [e, { ...e, seed: 3, trial: `c${e.config}s3` }] : [e]
  );
}

/** Four configurations: rung 1 promotes 0 and 3 (η 2); at the top rung 3 leads on seed 1. */
const TOP: Readonly<Record<string, number>> = {
  c0r0: 0.5,
  c1r0: 0.1,
  c2r0: 0.2,
  c3r0: 0.4,
  c0r1: 0.50,
  c3r1: 0.52,
};

Deno.test("tuneDecision with topSeeds: the top rung's configurations run the next seeds, the best mean chooses", () => {
  const entries = rowWithSeeds(4);
  const v: Record<string, number> = { ...TOP };
  let d = tuneDecision(entries, 2, stateOf(v), 2);
  assert.equal(d.chosen, undefined);
  assert.deepEqual(d.selection?.seeds, [2]); // the one lowest seed after the tuning seed
  assert.deepEqual(d.release.slice(-2), [
    { key: "c3s2", role: "tune", priority: 1 },
    { key: "c0s2", role: "tune", priority: 1 },
  ]);
  assert.equal(d.release.some((r) => r.role === "result"), false);
  // Seed 2 reverses the order: the mean over both seeds chooses 0, and only its finals are
  // released as results (its seed-2 run already linked as a tuning trial becomes one).
  Object.assign(v, { c3s2: 0.40, c0s2: 0.49 });
  d = tuneDecision(entries, 2, stateOf(v), 2);
  assert.equal(d.chosen, 0);
  assert.deepEqual([...d.selection!.mean], [[3, 0.46], [0, 0.495]]);
  assert.deepEqual(
    d.release.filter((r) => r.role === "result").map((r) => r.key),
    ["c0r1", "c0s2", "c0s3"],
  );
  // With one seed it is the tuning seed's ranking.
  assert.equal(tuneDecision(entries, 2, stateOf(v)).chosen, 3);
  // A failed seed ranks its configuration last; failing everywhere, the tuning seed decides.
  assert.equal(tuneDecision(entries, 2, stateOf(v, ["c0s2"]), 2).chosen, 3);
  assert.equal(tuneDecision(entries, 2, stateOf(v, ["c0s2", "c3s2"]), 2).chosen, 3);
  // Three seeds: seeds 2 and 3, the mean over three values.
  Object.assign(v, { c3s3: 0.60, c0s3: 0.45 });
  d = tuneDecision(entries, 2, stateOf(v), 3);
  assert.deepEqual([d.chosen, d.selection?.seeds], [3, [2, 3]]);
  // A replay lacking the top rung's other seeds says how many.
  const { c0s2: _, ...lacking } = v;
  const replay = replayHalving(entries, { budget: 4, eta: 2 }, stateOf(lacking), [4, 12], 2);
  assert.deepEqual([replay.chosen, replay.missing], [undefined, 1]);
});

Deno.test("tuneDecision with topSeeds: the other seeds are the lowest but the tuning seed's; one configuration's seeds done is not enough; ties go to the lower number", () => {
  // Tuning on seed 2: the other seeds are 1 and 3, so k = 2 runs seed 1.
  const entries = rowWithSeeds(4).map((e) =>
    e.rung >= 0 || e.seed === 1
      ? { ...e, seed: 2 }
      : e.seed === 2
      ? { ...e, seed: 1, trial: `c${e.config}s1` }
      : e
  );
  const v: Record<string, number> = {
    c0r0: 0.5,
    c1r0: 0.1,
    c2r0: 0.2,
    c3r0: 0.4,
    c0r1: 0.5,
    c3r1: 0.5,
  };
  let d = tuneDecision(entries, 2, stateOf(v), 2);
  assert.deepEqual(d.selection?.seeds, [1]);
  Object.assign(v, { c0s1: 0.4 }); // configuration 3's seed 1 still pending
  d = tuneDecision(entries, 2, stateOf(v), 2);
  assert.deepEqual([d.chosen, [...d.selection!.mean]], [undefined, [[0, 0.45]]]);
  Object.assign(v, { c3s1: 0.4 }); // the same mean: the lower configuration number
  assert.equal(tuneDecision(entries, 2, stateOf(v), 2).chosen, 0);
});

Deno.test("choiceMargin: the lead on what the choice was made by, against the sd of its seeds", () => {
  const entries = rowWithSeeds(4);
  const v: Record<string, number> = {
    ...TOP,
    c3s2: 0.48,
    c3s3: 0.50,
  };
  // One seed chooses 3 by 0.02; its seeds read 0.52, 0.48, 0.50: sd 0.02, so not below it.
  let m = choiceMargin(entries, 2, stateOf(v))!;
  assert.deepEqual([m.margin.toFixed(4), m.sd.toFixed(4), m.seeds], ["0.0200", "0.0200", 3]);
  assert.equal(withinNoise(m), false);
  // With two seeds the mean chooses (0.50 against 0.495 for 0): a lead of 0.005 < 0.02/√2.
  Object.assign(v, { c0s2: 0.49 });
  m = choiceMargin(entries, 2, stateOf(v), 2)!;
  assert.deepEqual([m.margin.toFixed(4), m.topSeeds], ["0.0050", 2]);
  assert.equal(withinNoise(m), true);
  // The reported choice overrides: configuration 0's lead is negative. Before the choice, or
  // with one final done, there is none.
  assert.ok(choiceMargin(entries, 2, stateOf(v), 1, 0)!.margin < 0);
  assert.equal(choiceMargin(entries, 2, stateOf({ c0r0: 0.5 })), undefined);
  const { c3s2: _a, c3s3: _b, ...oneSeed } = v;
  assert.equal(choiceMargin(entries, 2, stateOf(oneSeed)), undefined);
});
