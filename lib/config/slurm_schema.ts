/**
 * An experiment file's `slurm:` block: the resources of the job array `--executor slurm`
 * submits (`lib/run/slurm.ts` writes the sbatch script), so a sweep's cluster needs travel with
 * the experiment. `--slurm key=value` flags override it key by key.
 *
 * ```yaml
 * slurm:
 *   partition: cpu
 *   time: "04:00:00"
 *   cpusPerTask: 1
 *   memory: 8G
 *   extra: ["--account=lab", "--qos=long"] # further #SBATCH lines
 *   setup: module load nodejs # run before each worker
 * ```
 *
 * @example
 * ```ts
 * import { SLURM_SCHEMA } from "./slurm_schema.ts";
 * SLURM_SCHEMA.parse({ partition: "cpu", memory: "8G" });
 * ```
 *
 * @module
 */
import { z } from "zod";

/** A value of one `#SBATCH` line: text without a line break. */
const oneLine = (description: string) =>
  z.string({ error: "expected a string" })
    .min(1, { error: "expected a non-empty string" })
    .regex(/^[^\r\n]*$/, { error: "expected one line" })
    .meta({ description });

/** The `slurm:` block: every key optional, no unknown key. */
export const SLURM_SCHEMA = z.strictObject({
  partition: oneLine("#SBATCH --partition"),
  time: oneLine("#SBATCH --time, e.g. 04:00:00 or 2-00:00:00"),
  cpusPerTask: z.number({ error: "expected a positive integer" })
    .max(4096, { error: "at most 4,096 allowed" })
    .int({ error: "expected a positive integer" })
    .min(1, { error: "expected a positive integer" })
    .meta({ description: "#SBATCH --cpus-per-task (default 1: TF.js wasm trains on one core)" }),
  memory: oneLine("#SBATCH --mem, e.g. 8G"),
  extra: z.array(oneLine("a further #SBATCH line, e.g. --account=lab"), {
    error: "expected a list of #SBATCH lines",
  }).meta({ description: "further #SBATCH lines, e.g. --account=lab or #SBATCH --qos=long" }),
  setup: z.string({ error: "expected a string" })
    .min(1, { error: "expected a non-empty string" })
    .meta({ description: "shell lines run before each worker, e.g. module load nodejs" }),
}, { error: "expected a mapping" }).partial().meta({
  title: "slurm",
  description: "the job array of --executor slurm; --slurm key=value flags override it",
});

/** An experiment's `slurm:` block as written (checked). */
export type SlurmBlock = z.infer<typeof SLURM_SCHEMA>;
