/**
 * `store`: operations on whole result stores. `store copy FROM TO` merges the experiments,
 * trials (with curves, metrics and diagnostics), links, tuning rows and kept checkpoints of one
 * store into another, idempotently by trial key: a trial done in FROM replaces one pending or
 * failed in TO, never the reverse, and a second copy adds nothing. `store prune STORE` removes
 * the training states no tuning rung will continue and, with `--end-states`, the end states of
 * runs that reached their cap (lib/run/prune.ts). `store queries STORE` gives every finished
 * trial with a checkpoint that ran before they were kept its test metrics per query
 * (lib/analysis/backfill.ts).
 *
 * @module
 */
import { isPostgresUrl, ResultStore, shownStore, StoreError } from "../lib/store/mod.ts";
import { Argument } from "commander";
import { pruneArtifacts, siblingStorePaths } from "../lib/run/prune.ts";
import { backfillQueries } from "../lib/analysis/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

/** The `store` command: `store copy FROM TO`, `store prune STORE`, `store queries STORE`. */
export function storeCli(exit: Exit): Command {
  const cmd = command(
    "store",
    "operations on whole result stores. copy: copy the experiments and trials of store FROM " +
      "into store TO (created if absent) by trial key: done trials replace pending or failed " +
      "ones, nothing is duplicated, a second copy adds nothing. prune: give back the disk of " +
      "training states no tuning rung will continue (and, with --end-states, of the end states " +
      "that let a larger epoch cap continue a run); checkpoints stay. queries: rank the test " +
      "part again with the checkpoint of every finished trial that lacks its test metrics per " +
      "query (run before they were kept) and keep them, where they reproduce its stored metrics",
    [
      "deno task store copy results/store.sqlite /shared/lab/store.sqlite",
      "deno task store copy results/store.sqlite postgres://me@db.lab:5432/m2vae",
      "deno task store prune results/store.sqlite --end-states --dry-run",
      "deno task store queries results/store.sqlite",
    ],
  )
    .addArgument(new Argument("<action>", "what to do").choices(["copy", "prune", "queries"]))
    .argument(
      "<from>",
      "copy: the store to copy from; prune, queries: the store (SQLite file or postgres:// URL)",
    )
    .argument("[to]", "copy: the store to copy into (an SQLite file or a postgres:// URL)")
    .option("--dry-run", "count what would be copied or removed, write nothing")
    .option(
      "--cache-dir <dir>",
      "queries: caches shared by trials, as when the trials ran",
      ".cache",
    )
    .option(
      "--end-states",
      "prune: also the end states of runs that reached their cap (a larger cap then trains " +
        "from the start, to the same numbers; runs that stopped on patience keep theirs)",
    );
  return act(
    cmd,
    exit,
    (
      action: string,
      from: string,
      to: string | undefined,
      o: { dryRun?: boolean; endStates?: boolean; cacheDir: string },
    ) => {
      if (action === "queries") {
        if (to !== undefined) {
          throw new RangeError(`store queries: one store only, got a second ("${to}")`);
        }
        if (o.endStates) throw new RangeError("--end-states: only with store prune");
        return queriesCommand(from, o.dryRun ?? false, o.cacheDir);
      }
      if (action === "prune") {
        if (to !== undefined) {
          throw new RangeError(`store prune: one store only, got a second ("${to}")`);
        }
        return pruneCommand(from, o.endStates ?? false, o.dryRun ?? false);
      }
      if (to === undefined) throw new RangeError("store copy: name the store to copy into (TO)");
      if (o.endStates) throw new RangeError("--end-states: only with store prune");
      return copyCommand(from, to, o.dryRun ?? false);
    },
  );
}

/** Writes the missing test metrics per query of `path`'s trials; returns the exit code. */
export async function queriesCommand(
  path: string,
  dryRun = false,
  cacheDir = ".cache",
): Promise<number> {
  const store = await ResultStore.open(path, { mustExist: true });
  try {
    const s = await backfillQueries(store, { dryRun, cacheDir });
    console.log(
      dryRun
        ? `dry run, nothing written: would rank again ${s.ranked} trial(s) of ${
          shownStore(path)
        }; ` +
          `${s.present} have their test metrics per query, ${s.noCheckpoint} have no checkpoint`
        : `ranked again ${s.ranked} trial(s) of ${shownStore(path)} and kept the test metrics ` +
          `per query of ${s.written}; ${s.present} had them, ${s.noCheckpoint} have no checkpoint`,
    );
    for (const m of s.notKept) console.log(`  not kept: trial ${m.key}: ${m.reason}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Prunes `path`'s artifacts and prints what went; returns the exit code. */
export async function pruneCommand(
  path: string,
  endStates = false,
  dryRun = false,
): Promise<number> {
  const store = await ResultStore.open(path, { mustExist: true });
  // The stores beside it share its artifacts: their sweeps' waiting states stay too.
  const siblings: ResultStore[] = [], skipped: string[] = [];
  try {
    for (const p of await siblingStorePaths(path)) {
      try {
        siblings.push(await ResultStore.open(p, { mustExist: true }));
      } catch (e) {
        skipped.push(`${shownStore(p)} (${e instanceof Error ? e.message : e})`);
      }
    }
    const s = await pruneArtifacts(store, { endStates, dryRun, siblings });
    const mb = (s.bytes / 2 ** 20).toFixed(1);
    console.log(
      `${dryRun ? "dry run, nothing removed: would prune" : "pruned"} ${shownStore(path)}: ` +
        `${s.trainStates} training state(s) no rung will continue` +
        (endStates ? `, ${s.endStates} end state(s) of runs that reached their cap` : "") +
        `, ${mb} MiB, over its ${s.trials} trial(s) in ${store.artifactsRoot()}; checkpoints kept` +
        (siblings.length ? `; the sweeps of ${siblings.length} store(s) beside it consulted` : ""),
    );
    for (const k of skipped) console.log(`  not consulted: ${k}`);
  } finally {
    for (const s of siblings) await s.close();
    await store.close();
  }
  return 0;
}

/** Copies `from` into `to` and prints what was added; returns the exit code. */
export async function copyCommand(from: string, to: string, dryRun = false): Promise<number> {
  // Messages name the stores without a URL's password.
  const [shownFrom, shownTo] = [shownStore(from), shownStore(to)];
  // FROM is checked (and migrated if older) before TO is created.
  await (await ResultStore.open(from, { mustExist: true })).close();
  const absent = () => {
    console.log(
      `dry run: ${shownTo} does not exist; the copy would create it with all of ${shownFrom}`,
    );
    return 0;
  };
  if (dryRun && !isPostgresUrl(to)) {
    try {
      Deno.statSync(to);
    } catch {
      return absent();
    }
  }
  let target: ResultStore;
  try {
    target = await ResultStore.open(to, { mustExist: dryRun });
  } catch (e) {
    if (dryRun && e instanceof StoreError && /no result store here/.test(e.message)) {
      return absent();
    }
    throw e;
  }
  try {
    const s = await target.copyFrom(from, { dryRun });
    console.log(
      `${
        dryRun ? "dry run, nothing written: would copy" : "copied"
      } ${shownFrom} into ${shownTo}: ${s.trials} trial(s) added, ${s.replaced} replaced ` +
        `(done there, pending or failed here), ${s.experiments} experiment(s) added or updated, ` +
        `${s.links} link(s), ${s.tuning} tuning row(s), ${s.checkpoints} checkpoint(s)`,
    );
  } finally {
    await target.close();
  }
  return 0;
}
