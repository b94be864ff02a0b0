import assert from "node:assert/strict";
import { join } from "node:path";
import { ResultStore } from "../store/mod.ts";
import { curveReport, trialOutcome, trialSpec } from "../store/_test_utils.ts";
import { endStatePath, lineageRecordPath } from "./cap_continuation.ts";
import { pruneArtifacts, siblingStorePaths } from "./prune.ts";

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("pruneArtifacts: training states nobody waits on go, end states only when asked and only of runs that reached their cap; checkpoints stay", async () => {
  const dir = await Deno.makeTempDir({ prefix: "prune_" });
  const store = await ResultStore.open(join(dir, "store.sqlite"));
  try {
    const [plain, stopped, low, top] = ["a", "b", "c", "d"].map((c, i) =>
      trialSpec(c.repeat(16), i + 1)
    );
    const entry = { dataset: "synthetic", label: "CLCRec", config: 0, seed: 0, metric: "NDCG@10" };
    await store.register("exp", "exp.yaml", "", {}, [plain, stopped]);
    // A sweep whose next rung (`top`) is still to run: `low`'s state is waited on.
    await store.register("sweep", "s.yaml", "", {}, [], false, {
      entries: [{ ...entry, rung: 0, trial: low.key }, { ...entry, rung: 1, trial: top.key }],
      specs: [low, top],
    });
    await store.release("sweep", [{ key: low.key, role: "tune", priority: 1 }]);
    for (const t of [plain, stopped, low]) {
      await store.complete(t.key, trialOutcome(curveReport(0.25, {})));
    }
    const write = async (path: string, bytes: number) => {
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.writeFile(path, new Uint8Array(bytes));
    };
    const lineage = (t: typeof plain, isStopped: boolean) =>
      write(lineageRecordPath(store.artifactsRoot(), t)!, 0).then(() =>
        Deno.writeTextFile(
          lineageRecordPath(store.artifactsRoot(), t)!,
          JSON.stringify({ key: t.key, epochs: 2, stopped: isStopped, seconds: {} }),
        )
      );
    // `plain` reached its cap: a full end state, and a training state left by an old sweep.
    await write(store.checkpointPath(plain.key), 10);
    await write(endStatePath(store.artifactDir(plain.key)), 1000);
    await write(store.statePath(plain.key), 300);
    await lineage(plain, false);
    // `stopped` stopped on patience: its small end state answers any larger cap.
    await write(store.checkpointPath(stopped.key), 10);
    await write(endStatePath(store.artifactDir(stopped.key)), 20);
    await lineage(stopped, true);
    await write(store.statePath(low.key), 500);
    // An end state with no lineage record: nothing says whether it stopped, so it stays.
    await write(endStatePath(store.artifactDir(low.key)), 700);

    const dry = await pruneArtifacts(store, { endStates: true, dryRun: true });
    assert.deepEqual(dry, { trainStates: 1, endStates: 1, bytes: 1300, trials: 3 });
    assert.ok(await exists(store.statePath(plain.key)), "a dry run removes nothing");

    const states = await pruneArtifacts(store);
    assert.deepEqual(states, { trainStates: 1, endStates: 0, bytes: 300, trials: 3 });
    assert.equal(await exists(store.statePath(plain.key)), false);
    assert.ok(await exists(store.statePath(low.key)), "the sweep's next rung continues it");
    assert.ok(await exists(endStatePath(store.artifactDir(plain.key))), "end states kept");

    const ends = await pruneArtifacts(store, { endStates: true });
    assert.deepEqual(ends, { trainStates: 0, endStates: 1, bytes: 1000, trials: 3 });
    assert.equal(await exists(endStatePath(store.artifactDir(plain.key))), false);
    assert.equal(
      await exists(lineageRecordPath(store.artifactsRoot(), plain)!),
      false,
      "its lineage record goes with it",
    );
    assert.ok(await exists(endStatePath(store.artifactDir(stopped.key))));
    assert.ok(await exists(endStatePath(store.artifactDir(low.key))), "no record, kept");
    for (const t of [plain, stopped]) assert.ok(await exists(store.checkpointPath(t.key)));
    assert.deepEqual(await pruneArtifacts(store, { endStates: true }), {
      trainStates: 0,
      endStates: 0,
      bytes: 0,
      trials: 3,
    });
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pruneArtifacts: a state that the sweep of a store beside it waits on stays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "prune_siblings_" });
  const here = await ResultStore.open(join(dir, "here.sqlite"));
  const beside = await ResultStore.open(join(dir, "beside.sqlite"));
  try {
    const [low, top] = ["e", "f"].map((c, i) => trialSpec(c.repeat(16), i + 1));
    // `here` ran `low` as a plain result; `beside` tunes it, its next rung `top` still to run.
    await here.register("exp", "exp.yaml", "", {}, [low]);
    await here.complete(low.key, trialOutcome(curveReport(0.25, {})));
    const entry = { dataset: "synthetic", label: "CLCRec", config: 0, seed: 0, metric: "NDCG@10" };
    await beside.register("sweep", "s.yaml", "", {}, [], false, {
      entries: [{ ...entry, rung: 0, trial: low.key }, { ...entry, rung: 1, trial: top.key }],
      specs: [low, top],
    });
    await beside.release("sweep", [{ key: low.key, role: "tune", priority: 1 }]);
    await beside.complete(low.key, trialOutcome(curveReport(0.25, {})));
    const state = here.statePath(low.key);
    assert.equal(state, beside.statePath(low.key), "one artifacts folder");
    await Deno.mkdir(join(state, ".."), { recursive: true });
    await Deno.writeFile(state, new Uint8Array(100));
    await Deno.writeTextFile(join(dir, "notes.txt"), "not a store");
    assert.deepEqual(await siblingStorePaths(join(dir, "here.sqlite")), [
      join(dir, "beside.sqlite"),
    ]);
    assert.deepEqual(await siblingStorePaths("postgres://u@h/db"), []);
    // Alone, `here` sees nobody waiting; with the store beside it, the state stays.
    const withSiblings = await pruneArtifacts(here, { siblings: [beside] });
    assert.equal(withSiblings.trainStates, 0);
    assert.ok(await exists(state));
    const alone = await pruneArtifacts(here, { dryRun: true });
    assert.equal(alone.trainStates, 1);
  } finally {
    await here.close();
    await beside.close();
    await Deno.remove(dir, { recursive: true });
  }
});
