/**
 * `explain --trial HASH --user U --item I [--item J]…`: M2VAE's modality gates and view gate α
 * for one user and each item (the numbers of the paper's Fig. 5), from a finished trial's kept
 * checkpoint; users and items are the dataset's own ids.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { markdownTable } from "markdown-table";
import { explainPairs, type ExplainRow, findTrial, loadTrial } from "../lib/analysis/mod.ts";
import { DEFAULT_STORE } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { type BackendName, initTf } from "../lib/tf/mod.ts";
import { act, collect, type Command, command, type Exit } from "./command.ts";

/** Options of `explain`. */
interface ExplainOptions {
  trial: string;
  user: string;
  item: string[];
  store: string;
  format: string;
  cacheDir: string;
}

/** The `explain` command. */
export function explainCli(exit: Exit): Command {
  const cmd = command(
    "explain",
    "M2VAE's modality gates and view gate α for a user and items, from a finished trial's " +
      "checkpoint (the paper's Fig. 5 numbers)",
    [
      "deno task explain --trial 3d085a4b --user u58 --item i33 --item i77",
      "deno task explain --trial 3d085a4b --user '#0' --item '#12' --format json",
    ],
  )
    .requiredOption("--trial <hash>", "trial key, or an unambiguous prefix of it (4+ hex digits)")
    .requiredOption("--user <id>", "the dataset's user id (#N: the N-th user)")
    .requiredOption("--item <id>", "a dataset item id (repeatable; #N: the N-th item)", collect)
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option("--format <format>", "md, csv or json", "md")
    .option("--cache-dir <dir>", "caches shared by trials, as when the trial ran", ".cache");
  return act(cmd, exit, (o: ExplainOptions) => explainCommand(o));
}

/** The rows as a markdown table. */
export function explainTable(rows: ExplainRow[]): string {
  const views = Object.keys(rows[0]?.gates ?? {});
  return markdownTable(
    [
      ["user", "item", "part", ...views.map((v) => `gate ${v}`), "α"],
      ...rows.map((r) => [
        r.user,
        r.item,
        r.part,
        ...views.map((v) => r.gates[v].toFixed(4)),
        r.alpha.toFixed(4),
      ]),
    ],
    { align: ["l", "l", "l", ...views.map(() => "r"), "r"] },
  );
}

/** Prints the gates and α; returns the exit code. */
export async function explainCommand(o: ExplainOptions): Promise<number> {
  if (!["md", "csv", "json"].includes(o.format)) {
    throw new RangeError(`--format: expected md, csv or json, got "${o.format}"`);
  }
  const store = await ResultStore.open(o.store, { mustExist: true });
  try {
    const info = await findTrial(store, o.trial);
    await initTf(info.spec.settings.backend as BackendName);
    const t = await loadTrial(store, info, o.cacheDir);
    try {
      const rows = explainPairs(t.model, t.dataset, t.split, o.user, o.item);
      if (o.format === "json") {
        for (const r of rows) console.log(JSON.stringify({ trial: info.spec.key, ...r }));
      } else if (o.format === "csv") {
        const views = Object.keys(rows[0].gates);
        console.log(
          stringify(
            rows.map((r) => [r.user, r.item, r.part, ...views.map((v) => r.gates[v]), r.alpha]),
            {
              header: true,
              columns: ["user", "item", "part", ...views.map((v) => `gate_${v}`), "alpha"],
            },
          ).trimEnd(),
        );
      } else {
        console.log(
          `${info.spec.label} on ${info.spec.dataset}, trial ${info.spec.key} (seed ` +
            `${info.spec.seed}): modality gates (sum to 1) and view gate α, from the means\n`,
        );
        console.log(explainTable(rows));
      }
      return 0;
    } finally {
      t.model.dispose();
    }
  } finally {
    await store.close();
  }
}
