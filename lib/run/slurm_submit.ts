/**
 * An experiment's pending trials handed to Slurm (`run --executor slurm`): the sbatch script of
 * a job array of `jobs` worker tasks over the experiment's store (`slurm.ts`), written beside the
 * report files and submitted, or only written (`--print-script`). The experiment is registered
 * in the store beforehand ({@linkcode runExperiment}); nothing here waits for the tasks.
 *
 * @example Usage
 * ```ts
 * import { submitExperiment } from "./slurm_submit.ts";
 *
 * await submitExperiment({
 *   plan, // a resolved experiment, registered in the store
 *   store: "/shared/m2vae/store.sqlite",
 *   out: "results/table3",
 *   cacheDir: ".cache",
 *   backend: "wasm",
 *   checkpoints: true,
 *   fromScratch: false,
 *   jobs: 16,
 *   slurm: { partition: "cpu" },
 * }); // prints "submitted job 123456: 16 array task(s), script …"
 * ```
 *
 * @module
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExperimentPlan } from "../config/experiment.ts";
import { isPostgresUrl, storeOption } from "../store/mod.ts";
import {
  type SlurmResources,
  slurmResources,
  slurmScript,
  submitSlurm,
  writeSlurmScript,
} from "./slurm.ts";
import { workerArgs, type WorkerSettings } from "./worker_processes.ts";

/**
 * What {@linkcode submitExperiment} submits: the experiment, where it runs, and how its workers
 * work (cache folder, backend, checkpoints, `--fresh`, `--quiet`: {@linkcode WorkerSettings}).
 */
export interface ExperimentSubmission extends WorkerSettings {
  /** The resolved experiment (its `slurm:` block is the job array's resources). */
  plan: ExperimentPlan;
  /** The result store the experiment is registered in (a file or a `postgres://` URL). */
  store: string;
  /** The report folder; the script goes to `<out>/slurm/<experiment>.sbatch`. */
  out: string;
  /** Array tasks, one worker each. */
  jobs: number;
  /** `--slurm` flags, each overriding its key of the experiment's `slurm:` block. */
  slurm: SlurmResources;
  /** Write the script and print its path, do not submit. */
  printScript?: boolean;
}

/**
 * What a Slurm submission over an SQLite store says: SQLite's write-ahead log keeps its index in
 * memory shared by the processes of one host, and a network file system's locks are often
 * unreliable, so tasks on several nodes writing one file can both claim a trial or corrupt it.
 */
export const SQLITE_ON_A_CLUSTER = "note: an SQLite store is safe for tasks on one node only " +
  "(its write-ahead log and locks do not reach across hosts); for tasks on several nodes use " +
  "a PostgreSQL store (--store postgres://…)";

/** Writes the experiment's sbatch script and submits it (or prints its path). */
export async function submitExperiment(s: ExperimentSubmission): Promise<void> {
  const dir = resolve(s.out, "slurm");
  const script = slurmScript({
    // The experiment's slurm: block, each --slurm flag overriding its key.
    ...slurmResources(s.plan.slurm, s.slurm),
    experiment: s.plan.name,
    store: isPostgresUrl(s.store) ? s.store : resolve(s.store),
    workdir: Deno.cwd(),
    toolkit: fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, ""),
    logDir: join(dir, "logs"),
    tasks: s.jobs,
    // An empty cache folder (embeddings kept in memory only) stays empty, not the workdir.
    workerArgs: workerArgs({ ...s, cacheDir: s.cacheDir && resolve(s.cacheDir) }),
  });
  const path = await writeSlurmScript(join(dir, `${s.plan.name}.sbatch`), script);
  if (!isPostgresUrl(s.store)) console.error(SQLITE_ON_A_CLUSTER);
  if (s.printScript) {
    console.log(path);
    console.error(`sbatch script written, not submitted: sbatch ${path}`);
  } else {
    const id = await submitSlurm(path);
    console.log(`submitted job ${id}: ${s.jobs} array task(s), script ${path}`);
    console.error(
      `follow it with: deno task status --experiment ${s.plan.name} ${storeOption(s.store)}`,
    );
  }
}
