/**
 * `report`: renders the tables of stored experiments (Table 3, Table 4, grid tables) in
 * markdown, CSV or LaTeX, or (`--format html`) writes one self-contained HTML page per
 * experiment with every table and figure; `--export csv|jsonl` dumps every stored trial with its
 * metrics and the path of its kept checkpoint; `--merge` renders the named experiments as one
 * report (rows run as separate experiments, e.g. one row rerun alone, in one table).
 *
 * @module
 */
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import { experimentHtml, hasCheckpoint } from "../lib/analysis/mod.ts";
import {
  type Layout,
  LAYOUTS,
  renderTable,
  reportedExperiments,
  type ReportFormat,
  storeReport,
} from "../lib/report/mod.ts";
import { checkWritableFile, DEFAULT_STORE, writeAtomic } from "../lib/run/mod.ts";
import { ResultStore } from "../lib/store/mod.ts";
import { initTf } from "../lib/tf/mod.ts";
import { act, collect, type Command, command, type Exit } from "./command.ts";

/** Options of `report`. */
interface ReportOptions {
  store: string;
  experiment?: string[];
  layout?: string[];
  format: string;
  export?: string;
  out?: string;
  cacheDir: string;
  merge?: boolean;
  prefer?: string[];
}

/** The `report` command. */
export function reportCli(exit: Exit): Command {
  const cmd = command(
    "report",
    "render stored experiments as tables (Table 3/4, grids, diagnostics) in markdown, CSV or " +
      "LaTeX, as one self-contained HTML page per experiment (tables and figures), or export " +
      "every stored trial with its metrics and checkpoint path",
    [
      "deno task report --experiment table3 --format latex",
      "deno task report --store results/store.sqlite --export jsonl > trials.jsonl",
      "deno task report --experiment table4_ablation --format html",
      "deno task report --experiment table3_fair --experiment table3_fair_gar --merge",
      "deno task report --experiment table3_fair --experiment gar_longer --merge --prefer gar_longer",
    ],
  )
    .option(
      "--store <store>",
      "result store: an SQLite file or a postgres:// URL (M2VAE_STORE sets the default)",
      DEFAULT_STORE,
    )
    .option("--experiment <name>", "an experiment to render (repeatable; default: all)", collect)
    .option(
      "--layout <layout>",
      `a table layout, one of ${LAYOUTS.join(", ")} (repeatable; default: table3, table4, grid)`,
      collect,
    )
    .option("--format <format>", "md, csv, latex or html", "md")
    .option(
      "--out <dir>",
      "html: where the pages go, <dir>/<experiment>.html (default results/<experiment>/report.html)",
    )
    .option("--cache-dir <dir>", "html: caches shared by trials, as when they ran", ".cache")
    .option(
      "--export <format>",
      "instead of tables: every trial with its metrics and checkpoint, csv or jsonl",
    )
    .option(
      "--merge",
      "render the --experiment names as one report, each row from the experiment that ran it " +
        "(same split and selection metric; a row in two of them needs --prefer)",
    )
    .option(
      "--prefer <name>",
      "with --merge: a row that several experiments hold comes from this one (repeatable, first " +
        "named first; the caption says which rows)",
      collect,
    );
  return act(cmd, exit, (o: ReportOptions) => reportCommand(o));
}

/** Flat export rows: one per trial and metric. */
async function exportRows(
  store: ResultStore,
  experiments: string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const e of experiments) {
    const infos = await store.trials(e);
    const keys = infos.map((t) => t.spec.key);
    const valid = await store.metrics(keys, "valid"), test = await store.metrics(keys, "test");
    for (const t of infos) {
      const s = t.spec;
      out.push({
        experiment: e,
        key: s.key,
        status: t.status,
        dataset: s.dataset,
        model: s.model,
        label: s.label,
        variant: s.variant,
        family: s.family,
        point: s.pointLabel,
        seed: s.seed,
        protocol: t.protocol,
        split: t.splitFingerprint,
        datasetFingerprint: t.datasetFingerprint,
        codeVersion: t.codeVersion,
        toolkitVersion: t.toolkitVersion,
        backend: t.backend,
        bestStep: t.bestStep,
        steps: t.steps,
        trainSeconds: t.trainSeconds,
        evalSeconds: t.evalSeconds,
        setupSeconds: t.setupSeconds,
        parameters: t.parameters,
        config: s.config,
        settings: s.settings,
        valid: valid.get(s.key) ?? {},
        test: test.get(s.key) ?? {},
        error: t.error,
        checkpoint: hasCheckpoint(store, s.key) ? store.checkpointPath(s.key) : "",
      });
    }
  }
  return out;
}

/** Prints reports or an export; returns the exit code. */
export async function reportCommand(values: ReportOptions): Promise<number> {
  const format = values.format as ReportFormat | "html";
  if (!["md", "csv", "latex", "html"].includes(format)) {
    throw new RangeError(`--format: expected md, csv, latex or html, got "${values.format}"`);
  }
  const layouts = (values.layout ?? ["table3", "table4", "grid"]) as Layout[];
  for (const l of layouts) {
    if (!LAYOUTS.includes(l)) {
      throw new RangeError(`--layout: expected one of ${LAYOUTS.join(", ")}, got "${l}"`);
    }
  }
  if (values.export !== undefined && !["csv", "jsonl"].includes(values.export)) {
    throw new RangeError(`--export: expected csv or jsonl, got "${values.export}"`);
  }
  if (values.merge && (values.experiment ?? []).length < 2) {
    throw new RangeError("--merge: name at least two experiments with --experiment");
  }
  const twice = (values.experiment ?? []).find((e, i, all) => all.indexOf(e) !== i);
  if (twice !== undefined) throw new RangeError(`--experiment: "${twice}" is named twice`);
  if (values.prefer !== undefined) {
    if (!values.merge) throw new RangeError("--prefer: only with --merge");
    const stray = values.prefer.find((p) => !(values.experiment ?? []).includes(p));
    if (stray !== undefined) {
      throw new RangeError(`--prefer: "${stray}" is not one of the --experiment names`);
    }
  }
  if (values.merge && (values.export !== undefined || format === "html")) {
    throw new RangeError("--merge: tables only (--format md, csv or latex), not html or --export");
  }
  // An export is every trial as rows: a layout or a table format would be silently ignored.
  if (values.export !== undefined && (values.layout !== undefined || format !== "md")) {
    throw new RangeError(
      `${values.layout !== undefined ? "--layout" : "--format"}: not with --export (an export ` +
        "is every stored trial, not a table)",
    );
  }
  // Tables and exports go to stdout: a folder given for them would be silently ignored.
  if (values.out !== undefined && (format !== "html" || values.export !== undefined)) {
    throw new RangeError(
      "--out: only with --format html (tables and --export print on stdout; redirect them)",
    );
  }
  const store = await ResultStore.open(values.store, { mustExist: true });
  try {
    // Every experiment is checked before anything is printed or written for the first.
    const { names, skipped } = await reportedExperiments(store, values.experiment, {
      finished: values.export === undefined,
    });
    for (const s of skipped) console.error(`note: ${s}: no finished trial yet, left out`);
    if (values.export) {
      const rows = await exportRows(store, names);
      if (values.export === "jsonl") {
        for (const r of rows) console.log(JSON.stringify(r));
      } else {
        const flat = rows.flatMap((r) =>
          (["valid", "test"] as const).flatMap((part) =>
            Object.entries(r[part] as Record<string, number>).map(([metric, value]) => ({
              ...r,
              config: JSON.stringify(r.config),
              settings: JSON.stringify(r.settings),
              valid: undefined,
              test: undefined,
              part,
              metric,
              value,
            }))
          )
        );
        console.log(
          stringify(flat, {
            header: true,
            columns: Object.keys(flat[0] ?? { key: 1 }).filter((k) =>
              k !== "valid" && k !== "test"
            ),
          }),
        );
      }
      return 0;
    }
    if (format === "html") {
      const fileOf = (name: string) =>
        values.out === undefined
          ? join("results", name, "report.html")
          : join(values.out, `${name}.html`);
      // Every target is checked before the first report is written.
      for (const name of names) {
        await checkWritableFile(fileOf(name), values.out === undefined ? "report" : "--out");
      }
      // Figs. 4 and 5 restore models from their checkpoints.
      await initTf();
      for (const name of names) {
        const { html, figures } = await experimentHtml(store, name, { cacheDir: values.cacheDir });
        const file = fileOf(name);
        await Deno.mkdir(join(file, ".."), { recursive: true });
        await writeAtomic(file, html);
        for (const n of figures.notes) console.error(`${name}: note: ${n}`);
        console.log(`${name}: ${file}`);
      }
      return 0;
    }
    for (const group of values.merge ? [names] : names.map((n) => [n])) {
      const name = group.join(" + ");
      const r = await storeReport(store, group, layouts, { prefer: values.prefer });
      for (const { table } of r.tables) console.log(renderTable(table, format));
      if (layouts.includes("paper") && !r.tables.some((t) => t.layout === "paper")) {
        console.error(
          `${name}: no table beside the paper: no dataset of it stands for a column of the ` +
            "paper's Table 3 (amazon-s3rec Sports_and_Outdoors; amazon2014 from the Sports or " +
            "Video Games reviews; MovieLens from an ml-20m folder), or none of its item2user rows " +
            "is a row of the paper's",
        );
      }
      if (r.done < r.planned) console.error(`${name}: ${r.done}/${r.planned} trials done`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
