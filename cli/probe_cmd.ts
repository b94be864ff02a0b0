/**
 * `probe --trial HASH [--part test|valid]`: a finished trial's kept checkpoint scored by its
 * model's main scorer and by each alternative scorer (M2VAE: `shared`, common view only;
 * `noLatent`, z = 0), with main − probe per metric — whether the user-aware fusion and the
 * latent path act at inference, read off any stored checkpoint.
 *
 * @module
 */
import { markdownTable } from "markdown-table";
import { findTrial, loadTrial, type ProbeRow, probeTrial } from "../lib/analysis/mod.ts";
import { DEFAULT_STORE } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";
import { act, type Command, command, type Exit } from "./command.ts";

/** Options of `probe`. */
interface ProbeOptions {
  trial: string;
  part: string;
  store: string;
  format: string;
  cacheDir: string;
}

/** The `probe` command. */
export function probeCli(exit: Exit): Command {
  const cmd = command(
    "probe",
    "a trial's checkpoint scored by its main and alternative scorers (M2VAE: common view " +
      "only, z = 0), with the gaps",
    [
      "deno task probe --trial 3d085a4b",
      "deno task probe --trial 3d085a4b --part valid --format json",
    ],
  )
    .requiredOption("--trial <hash>", "trial key, or an unambiguous prefix of it (4+ hex digits)")
    .option("--part <part>", "test or valid", "test")
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option("--format <format>", "md or json", "md")
    .option("--cache-dir <dir>", "caches shared by trials, as when the trial ran", ".cache");
  return act(cmd, exit, (o: ProbeOptions) => probeCommand(o));
}

/** The rows as a markdown table: one row per scorer, metric and gap columns. */
export function probeTable(rows: ProbeRow[]): string {
  const metrics = Object.keys(rows[0].metrics);
  return markdownTable(
    [
      ["scorer", ...metrics, ...metrics.map((m) => `gap ${m}`)],
      ...rows.map((r) => [
        r.scorer,
        ...metrics.map((m) => r.metrics[m].toFixed(4)),
        ...metrics.map((m) => r.gap ? r.gap[m].toFixed(4) : ""),
      ]),
    ],
    { align: ["l", ...metrics.map(() => "r"), ...metrics.map(() => "r")] },
  );
}

/** Prints the probe table; returns the exit code. */
export async function probeCommand(o: ProbeOptions): Promise<number> {
  if (o.part !== "test" && o.part !== "valid") {
    throw new RangeError(`--part: expected test or valid, got "${o.part}"`);
  }
  if (o.format !== "md" && o.format !== "json") {
    throw new RangeError(`--format: expected md or json, got "${o.format}"`);
  }
  const store = await ResultStore.open(o.store, { mustExist: true });
  try {
    const info = await findTrial(store, o.trial);
    await initTf(info.spec.settings.backend as BackendName);
    const t = await loadTrial(store, info, o.cacheDir);
    try {
      const rows = await probeTrial(t, o.part);
      if (o.format === "json") {
        for (const r of rows) console.log(JSON.stringify({ trial: info.spec.key, ...r }));
      } else {
        console.log(
          `${info.spec.label} on ${info.spec.dataset}, trial ${info.spec.key} (seed ` +
            `${info.spec.seed}), ${o.part} items: gap = main − scorer\n`,
        );
        console.log(probeTable(rows));
      }
      return 0;
    } finally {
      t.model.dispose();
    }
  } finally {
    await store.close();
  }
}
