/**
 * `status`: where stored experiments stand — trials by state (pending, running with host, worker
 * and lease age, done, failed with their errors, tuning rungs and the ones tuning has not
 * released), read from the store while a sweep runs anywhere.
 *
 * @module
 */
import { DEFAULT_STORE, renderTuneProgress, tuneProgress } from "../lib/run/mod.ts";
import { experimentStatus, renderStatus, ResultStore, shownStore } from "../lib/store/mod.ts";
import { act, collect, type Command, command, type Exit } from "./command.ts";
import { UsageError } from "./errors.ts";

/** Options of `status`. */
interface StatusOptions {
  store: string;
  experiment?: string[];
  format: string;
}

/** The `status` command. */
export function statusCli(exit: Exit): Command {
  const cmd = command(
    "status",
    "show stored experiments' trials by state: pending, running (host, worker, lease age), " +
      "done, failed (with the error), tuning rungs, and each tuned row's rungs, choice, final " +
      "runs, CPU so far and (at most) left",
    [
      "deno task status --experiment table3 --store results/store.sqlite",
      "deno task status --format json",
    ],
  )
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option("--experiment <name>", "an experiment to show (repeatable; default: all)", collect)
    .option("--format <format>", "text or json", "text");
  return act(cmd, exit, (o: StatusOptions) => statusCommand(o));
}

/** Prints the status of the experiments; returns the exit code. */
export async function statusCommand(o: StatusOptions): Promise<number> {
  if (o.format !== "text" && o.format !== "json") {
    throw new UsageError(`--format: expected text or json, got "${o.format}"`);
  }
  const store = await ResultStore.open(o.store, { mustExist: true });
  try {
    const names = o.experiment ?? (await store.experiments()).map((e) => e.name);
    const all = await Promise.all(names.map(async (n) => ({
      ...await experimentStatus(store, n),
      tunedRows: await tuneProgress(store, n),
    })));
    if (o.format === "json") console.log(JSON.stringify(all, null, 2));
    else {
      const text = all.map((s) => [renderStatus(s), ...renderTuneProgress(s.tunedRows)].join("\n"));
      console.log(text.join("\n\n") || `no experiments in ${shownStore(o.store)}`);
    }
  } finally {
    await store.close();
  }
  return Promise.resolve(0);
}
