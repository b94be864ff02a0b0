/**
 * `worker`: the process `--jobs N` starts N of. It claims pending trials of one experiment
 * from the store, runs them one at a time and writes each result in one transaction; it stops
 * when none is left, or before taking a new trial once its coordinator is gone. While a trial
 * runs, a heartbeat renews its lease (`M2VAE_LEASE_SECONDS`); with `--wait-for-running` (a
 * cluster job array's tasks) it stays until no trial of the experiment runs anywhere, taking over
 * any whose lease expires.
 *
 * @module
 */
import { loadPlugins } from "../lib/config/plugins.ts";
import { codeVersion, workLoop } from "../lib/run/mod.ts";
import { ResultStore, shownStore } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

/** Options of `worker`. */
interface WorkerOptions {
  store: string;
  experiment: string;
  cacheDir?: string;
  backend: string;
  checkpoints?: boolean;
  fromScratch?: boolean;
  waitForRunning?: boolean;
  quiet?: boolean;
}

/** The `worker` command (started by `run --jobs N`, not by hand). */
export function workerCli(exit: Exit): Command {
  const cmd = command(
    "worker",
    "claim and run pending trials of a stored experiment (what run --jobs N starts N of)",
    ["deno run -A cli/main.ts worker --store results/store.sqlite --experiment table3"],
  )
    .requiredOption(
      "--store <store>",
      "result store holding the experiment (a file or a postgres:// URL)",
    )
    .requiredOption("--experiment <name>", "the experiment whose trials to claim")
    .option("--cache-dir <dir>", "caches shared by trials (default: .cache)")
    .option("--backend <name>", "TF.js backend, wasm or cpu", "wasm")
    .option("--no-checkpoints", "do not keep finished trials' best checkpoints")
    .option("--from-scratch", "continue no stored run under a smaller epoch cap (run --fresh)")
    .option("--quiet", "no per-step progress (run --quiet)")
    .option(
      "--wait-for-running",
      "stay while other workers' trials run, to take over any whose lease expires (job arrays)",
    );
  return act(cmd, exit, (o: WorkerOptions) => workerCommand(o));
}

/** Runs the worker loop; returns the exit code. */
export async function workerCommand(o: WorkerOptions): Promise<number> {
  if (o.backend !== "wasm" && o.backend !== "cpu") {
    throw new RangeError(`--backend: expected "wasm" or "cpu", got "${o.backend}"`);
  }
  await initTf(o.backend as BackendName);
  const store = await ResultStore.open(o.store, { mustExist: true });
  try {
    // The models and loaders of the experiment's plugins, as its coordinator registered them.
    const plan = (await store.experimentPlan(o.experiment)) as { plugins?: string[] } | undefined;
    await loadPlugins(plan?.plugins ?? [], shownStore(o.store));
    // Progress lines: the settings' logEvery, at most one every few seconds (workers log).
    await workLoop(store, {
      experiment: o.experiment,
      codeVersion: await codeVersion(),
      cacheDir: o.cacheDir,
      noCheckpoints: o.checkpoints === false,
      fromScratch: o.fromScratch,
      silent: o.quiet,
      // A job array's task has no coordinator to outlive.
      parent: o.waitForRunning ? undefined : Deno.ppid,
      waitForRunning: o.waitForRunning,
    });
  } finally {
    await store.close();
  }
  return 0;
}
