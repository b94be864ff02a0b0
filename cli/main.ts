/**
 * The m2vae command line, on commander: `demo`, `run`, `grid`, `ablate`, `report`, `explain`,
 * `probe`, `compare`, `embed`, `figures`, `regress`, `data`, `realdata`, `bench`, `status`, `store` and
 * `worker`. Every command answers `--help` (its options and an example), `--version` prints the
 * toolkit version and git commit, a mistyped command or option gets a did-you-mean, and every
 * error is one line on stderr with exit code 1 (2 for an unexpected failure).
 *
 * @module
 */
import { didYouMean } from "../lib/config/mod.ts";
import { codeVersion, TOOLKIT_VERSION } from "../lib/run/mod.ts";
import { benchCli } from "./bench_cmd.ts";
import {
  Command,
  CommanderError,
  commandTree,
  type Exit,
  PROGRAM,
  usageErrorLine,
} from "./command.ts";
import { dataCli } from "./data_cmd.ts";
import { embedCli } from "./embed_cmd.ts";
import { reportError } from "./errors.ts";
import { experimentCli } from "./experiment_cmd.ts";
import { explainCli } from "./explain_cmd.ts";
import { probeCli } from "./probe_cmd.ts";
import { compareCli } from "./compare_cmd.ts";
import { figuresCli } from "./figures_cmd.ts";
import { realDataCli } from "./realdata_cmd.ts";
import { regressCli } from "./regress_cmd.ts";
import { reportCli } from "./report_cmd.ts";
import { statusCli } from "./status_cmd.ts";
import { storeCli } from "./store_cmd.ts";
import { workerCli } from "./worker_cmd.ts";

/** `0.3.0 (git 68c5972)`. */
export async function versionLine(): Promise<string> {
  return `${PROGRAM} ${TOOLKIT_VERSION} (git ${await codeVersion()})`;
}

/** One line per command in the top-level help (each command's --help has the whole story). */
const SUMMARIES: Record<string, string> = {
  demo: "the synthetic demo: train its rows, print Table 3",
  run: "run an experiment's pending trials, print Table 3",
  grid: "run an experiment's search, print its grid tables and Table 3",
  ablate: "run an experiment's model variants, print Table 4",
  report: "render stored experiments (md, csv, latex, one HTML page each) or export their trials",
  explain: "M2VAE's modality gates and α for a user and items, from a trial's checkpoint",
  probe: "a trial's checkpoint scored by its main and alternative scorers, with the gaps",
  compare: "two rows item by item from their checkpoints: differences with intervals over items",
  embed: "latent view means of a trial's cold items (.npy, CSV) and their 2-D map",
  figures: "an experiment's figures (SVG + Vega-Lite): curves, heatmaps, Figs. 4 and 5",
  regress: "compare the regression experiment's metrics with the expectations",
  data: "load a dataset, print its statistics and default split",
  realdata: "the real-data check: CLCRec must beat Random on every real set",
  bench: "training, validation and table-run times users wait for, against their targets",
  status: "stored experiments' trials by state: pending, running (host, lease age), done, failed",
  store:
    "operations on whole result stores: copy one into another, prune what finished work no longer needs",
  worker: "claim and run an experiment's trials (what run --jobs N starts)",
};

/**
 * The command tree. `exit` receives the exit code of the command that ran; `version` is what
 * `--version` prints.
 */
export function program(exit: Exit, version = `${PROGRAM} ${TOOLKIT_VERSION}`): Command {
  const root = new Command(PROGRAM)
    .description("multi-modal cold-start item recommendation toolkit (M2VAE and its baselines)")
    .version(version, "-V, --version", "print the toolkit version and git commit")
    .addHelpText(
      "after",
      "\nExamples:\n  deno task demo\n  deno task run experiments/table3.yaml --jobs 2\n" +
        "  deno task run --help",
    );
  for (const mode of ["demo", "run", "grid", "ablate"] as const) {
    root.addCommand(experimentCli(mode, exit));
  }
  root.addCommand(reportCli(exit));
  root.addCommand(explainCli(exit));
  root.addCommand(probeCli(exit));
  root.addCommand(compareCli(exit));
  root.addCommand(embedCli(exit));
  root.addCommand(figuresCli(exit));
  root.addCommand(regressCli(exit));
  root.addCommand(dataCli(exit));
  root.addCommand(realDataCli(exit));
  root.addCommand(benchCli(exit));
  root.addCommand(statusCli(exit));
  root.addCommand(storeCli(exit));
  root.addCommand(workerCli(exit));
  for (const cmd of commandTree(root)) {
    if (SUMMARIES[cmd.name()]) cmd.summary(SUMMARIES[cmd.name()]);
    cmd
      .showSuggestionAfterError(true)
      // Errors are printed by main(), as one line.
      .configureOutput({ outputError: () => {} })
      .exitOverride((e) => {
        throw Object.assign(e, { command: cmd });
      });
  }
  return root;
}

/** Dispatches a command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let code = 0;
  const wantsVersion = args.includes("--version") || args.includes("-V");
  const root = program((c) => void (code = c), wantsVersion ? await versionLine() : undefined);
  if (args.length === 0) {
    console.log(root.helpInformation());
    return 1;
  }
  if (args[0] === "help" && args[1] && !args[1].startsWith("-")) {
    // `help nosuch` would print the whole help on stderr: one line, as for `nosuch`.
    const names = root.commands.map((c) => c.name());
    if (!names.includes(args[1])) {
      const hint = didYouMean(args[1], names);
      console.error(`error: unknown command '${args[1]}'${hint ? ` (Did you mean ${hint}?)` : ""}`);
      return 1;
    }
  }
  try {
    await root.parseAsync(args, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      const line = usageErrorLine(e, (e as CommanderError & { command?: Command }).command);
      if (line) console.error(line);
      return e.exitCode;
    }
    return reportError(e);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
