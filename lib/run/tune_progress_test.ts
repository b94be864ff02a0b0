import assert from "node:assert/strict";
import type { ResultStore, TrialInfo, TuneEntry, TuneTrialState } from "../store/mod.ts";
import { renderTuneProgress, tuneProgress } from "./tune_progress.ts";

/**
 * A store holding one tuned row: 3 configurations, rungs of 2 and 6 epochs (η 3), seeds 1–2;
 * `done` maps trial keys to their recorded seconds (others are pending, or `failed`), `reached`
 * to the last epoch of their curve where patience stopped them early.
 */
function fakeStore(
  done: Record<string, number>,
  valid: Record<string, number> = {},
  o: { failed?: string[]; reached?: Record<string, number>; topSeeds?: number } = {},
): ResultStore {
  const entries: TuneEntry[] = [];
  const add = (config: number, rung: number, seed: number, trial: string) =>
    entries.push({ dataset: "ds", label: "Row", config, rung, seed, trial, metric: "NDCG@10" });
  for (const c of [0, 1, 2]) {
    add(c, 0, 1, `r0c${c}`);
    add(c, 1, 1, `r1c${c}`);
    add(c, -1, 1, `r1c${c}`); // the first seed's final is the top-rung trial
    add(c, -1, 2, `f2c${c}`);
  }
  const epochs = (k: string) => k.startsWith("r0") ? 2 : 6;
  const state = (k: string): TuneTrialState => ({
    status: k in done ? "done" : o.failed?.includes(k) ? "failed" : "pending",
    valid: { "NDCG@10": valid[k] ?? 0.1 },
  });
  const keys = [...new Set(entries.map((e) => e.trial))];
  const stub = {
    tuneEntries: () => Promise.resolve(entries),
    experimentPlan: () => Promise.resolve({ search: { eta: 3, topSeeds: o.topSeeds } }),
    tuneStates: (ks: readonly string[]) => Promise.resolve(new Map(ks.map((k) => [k, state(k)]))),
    trialEpochs: (ks: readonly string[]) => Promise.resolve(new Map(ks.map((k) => [k, epochs(k)]))),
    curve: (k: string) => Promise.resolve([{ epoch: o.reached?.[k] ?? epochs(k) }]),
    trials: () =>
      Promise.resolve(keys.map((k) =>
        ({
          spec: { key: k },
          status: state(k).status,
          setupSeconds: 0,
          trainSeconds: done[k] ?? null,
          evalSeconds: 0,
        }) as unknown as TrialInfo
      )),
  };
  return stub as unknown as ResultStore;
}

Deno.test("tuneProgress: nothing run yet has no timing; rungs not reached count ⌈n/η⌉", async () => {
  const [row] = await tuneProgress(fakeStore({}), "e");
  assert.deepEqual(row.rungs, [{ epochs: 2, done: 0, total: 3 }, { epochs: 6, done: 0, total: 1 }]);
  assert.deepEqual(row.finals, { done: 0, running: 0, total: 2 });
  assert.equal(row.chosen, undefined);
  assert.equal(row.leftSeconds, undefined);
  assert.match(renderTuneProgress([row]).join("\n"), /left \? \(no trial finished\)/);
});

Deno.test("tuneProgress: the bound is the remaining epochs at the recorded seconds per epoch", async () => {
  // The first rung done at 10 s each (5 s per epoch); configuration 1 validates best.
  const first = { r0c0: 10, r0c1: 10, r0c2: 10 };
  const [mid] = await tuneProgress(fakeStore(first, { r0c1: 0.5 }), "e");
  assert.deepEqual(mid.rungs.map((r) => [r.done, r.total]), [[3, 3], [0, 1]]);
  assert.equal(mid.cpuSeconds, 30);
  assert.equal(mid.secondsPerEpoch, 5);
  // Left: the top rung continues 4 epochs, then one more seed from scratch: 10 epochs × 5 s.
  assert.equal(mid.leftSeconds, 50);
  // The top rung done (20 s for its 4 epochs): chosen; the first seed's final is that trial.
  const [top] = await tuneProgress(fakeStore({ ...first, r1c1: 20 }, { r0c1: 0.5 }), "e");
  assert.equal(top.chosen, 1);
  assert.deepEqual(top.finals, { done: 1, running: 0, total: 2 });
  assert.equal(top.cpuSeconds, 50);
  assert.equal(top.leftSeconds, 6 * 5);
  // Everything done: nothing left, and the top-rung trial counted once.
  const [end] = await tuneProgress(fakeStore({ ...first, r1c1: 20, f2c1: 30 }, { r0c1: 0.5 }), "e");
  assert.deepEqual(end.finals, { done: 2, running: 0, total: 2 });
  assert.equal(end.cpuSeconds, 80);
  assert.equal(end.leftSeconds, 0);
  const text = renderTuneProgress([end, mid]).join("\n");
  assert.match(
    text,
    /ds Row {2}rungs 2: 3\/3, 6: 1\/1; chose configuration 1; finals 2\/2; CPU 1m20s; finished/,
  );
  assert.match(text, /left: ≤ 50s of CPU for the 2 rows with a timing$/);
  // Before any trial finished: no CPU figure, one row.
  const [none] = await tuneProgress(fakeStore({}, {}), "e");
  assert.equal(none.leftSeconds, undefined);
  assert.match(renderTuneProgress([none]).join("\n"), /left: 1 row not timed yet$/);
  assert.match(
    renderTuneProgress([mid, none]).join("\n"),
    /left: ≤ 50s of CPU for the 1 row with a timing, and 1 row not timed yet$/,
  );
});

Deno.test("tuneProgress: epochs an early stop did not train do not count; a failed row has none left", async () => {
  // The second seed stopped at epoch 3 of 6 after 15 s: still 5 s per epoch trained.
  const done = { r0c0: 10, r0c1: 10, r0c2: 10, r1c1: 20, f2c1: 15 };
  const [row] = await tuneProgress(fakeStore(done, { r0c1: 0.5 }, { reached: { f2c1: 3 } }), "e");
  assert.equal(row.secondsPerEpoch, 5);
  assert.equal(row.leftSeconds, 0);
  // Every configuration of the first rung failed: no choice, nothing left to run.
  const [failed] = await tuneProgress(
    fakeStore({}, {}, { failed: ["r0c0", "r0c1", "r0c2"] }),
    "e",
  );
  assert.ok(failed.failed);
  assert.deepEqual(failed.rungs[0], { epochs: 2, done: 3, total: 3 });
  assert.equal(failed.leftSeconds, undefined); // nothing done, so no timing either
  assert.match(renderTuneProgress([failed]).join("\n"), /no choice \(a rung failed\)/);
  // The one survivor failed at the top rung: the row has a timing and nothing left to run.
  const [top] = await tuneProgress(
    fakeStore({ r0c0: 10, r0c1: 10, r0c2: 10 }, { r0c1: 0.5 }, { failed: ["r1c1"] }),
    "e",
  );
  assert.ok(top.failed);
  assert.equal(top.leftSeconds, 0);
  const [late] = await tuneProgress(
    fakeStore({ r0c0: 10 }, {}, { failed: ["r0c1", "r0c2"] }),
    "e",
  );
  assert.equal(late.failed, false);
  assert.equal(late.leftSeconds, (4 + 6) * 5); // configuration 0 survives alone
});

Deno.test("tuneProgress: with two seeds choosing, the top rung's other seed runs before the choice and counts once", async () => {
  const first = { r0c0: 10, r0c1: 10, r0c2: 10 }, valid = { r0c1: 0.5, r1c1: 0.6, f2c1: 0.55 };
  let [row] = await tuneProgress(fakeStore(first, valid, { topSeeds: 2 }), "e");
  // Left: rung 2 (4 epochs) and seed 2 of its one survivor (6 epochs, also its final there) at
  // 5 s per epoch, as without the option: the one survivor's seed-2 run is its final.
  assert.deepEqual(row.selection, { done: 0, total: 1 });
  assert.equal(row.leftSeconds, (4 + 6) * 5);
  const [plain] = await tuneProgress(fakeStore(first, valid), "e");
  assert.equal(plain.selection, undefined);
  assert.equal(plain.leftSeconds, row.leftSeconds);
  [row] = await tuneProgress(fakeStore({ ...first, r1c1: 20 }, valid, { topSeeds: 2 }), "e");
  assert.deepEqual([row.chosen, row.selection, row.finals.done], [
    undefined,
    { done: 0, total: 1 },
    0,
  ]);
  assert.match(
    renderTuneProgress([row]).join("\n"),
    /rungs 2: 3\/3, 6: 1\/1, top rung's other seeds 0\/1; choosing/,
  );
  [row] = await tuneProgress(
    fakeStore({ ...first, r1c1: 20, f2c1: 30 }, valid, { topSeeds: 2 }),
    "e",
  );
  assert.deepEqual([row.chosen, row.selection, row.finals, row.leftSeconds], [
    1,
    { done: 1, total: 1 },
    { done: 2, running: 0, total: 2 },
    0,
  ]);
});
