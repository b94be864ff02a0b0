/**
 * The m2vae command line: `demo`, `run`, `data`, `realdata` and `bench`.
 *
 * @module
 */
import { benchCommand } from "./bench_cmd.ts";
import { dataCommand } from "./data_cmd.ts";
import { reportError } from "./errors.ts";
import { experimentCommand } from "./experiment_cmd.ts";
import { realDataCommand } from "./realdata_cmd.ts";

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  demo: (a) => experimentCommand(a, true),
  run: (a) => experimentCommand(a),
  data: dataCommand,
  realdata: realDataCommand,
  bench: benchCommand,
};

const HELP = `m2vae — multi-modal cold-start item recommendation toolkit

commands:
  demo                       train Random and CLCRec on the embedded synthetic set, print Table 3
  run <experiment.yaml>      run an experiment file (see experiments/)
  data <kind> [--path P]     load a dataset and print its statistics
  realdata <root>            load the real sets under <root>, train and compare with Random
  bench [--quick]            print runtime and training throughput figures`;

/** Dispatches a command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") {
    console.log(HELP);
    return cmd ? 0 : 1;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    console.error(`error: unknown command "${cmd}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
    return 1;
  }
  try {
    return await run(rest);
  } catch (e) {
    return reportError(e);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
