/**
 * `store`: operations on whole result stores. `store copy FROM TO` merges the experiments,
 * trials (with curves, metrics and diagnostics), links, tuning rows and kept checkpoints of one
 * store into another, idempotently by trial key: a trial done in FROM replaces one pending or
 * failed in TO, never the reverse, and a second copy adds nothing.
 *
 * @module
 */
import { isPostgresUrl, ResultStore, shownStore, StoreError } from "../lib/store/mod.ts";
import { Argument } from "commander";
import { act, type Command, command, type Exit } from "./command.ts";

/** The `store` command: `store copy FROM TO`. */
export function storeCli(exit: Exit): Command {
  const cmd = command(
    "store",
    "operations on whole result stores. copy: copy the experiments and trials of store FROM " +
      "into store TO (created if absent) by trial key: done trials replace pending or failed " +
      "ones, nothing is duplicated, a second copy adds nothing",
    [
      "deno task store copy results/store.sqlite /shared/lab/store.sqlite",
      "deno task store copy results/store.sqlite postgres://me@db.lab:5432/m2vae",
    ],
  )
    .addArgument(new Argument("<action>", "what to do with the stores").choices(["copy"]))
    .argument("<from>", "the store to copy from (an SQLite file or a postgres:// URL)")
    .argument("<to>", "the store to copy into (an SQLite file or a postgres:// URL)")
    .option("--dry-run", "count what the copy would add, write nothing");
  return act(
    cmd,
    exit,
    (_action: string, from: string, to: string, o: { dryRun?: boolean }) =>
      copyCommand(from, to, o.dryRun ?? false),
  );
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
