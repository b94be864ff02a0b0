/**
 * What every command of the command line shares: commander (`npm:commander`) commands whose
 * action sets the exit code, repeatable options, the one-line usage error, and the toolkit's
 * own files (shipped experiments), found from this module so commands work from any directory.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { fileURLToPath } from "node:url";

export { Command, CommanderError };

/** Receives a command's exit code. */
export type Exit = (code: number) => void;

/** The name the usage lines show. */
export const PROGRAM = "m2vae";

/** Collects a repeatable option's values (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A path of the toolkit's checkout, e.g. `experiments/demo.yaml`. */
export function toolkitPath(rel: string): string {
  const url = new URL(`../${rel}`, import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : rel;
}

/**
 * A command with a description and one example (shown after the options in `--help`); its
 * action returns the exit code.
 */
export function command(
  name: string,
  description: string,
  examples: string[],
): Command {
  return new Command(name)
    .description(description)
    .addHelpText(
      "after",
      `\nExample${examples.length > 1 ? "s" : ""}:\n  ${examples.join("\n  ")}`,
    );
}

/** Sets `cmd`'s action: the async function's result is the exit code. */
export function act<A extends unknown[]>(
  cmd: Command,
  exit: Exit,
  fn: (...args: A) => Promise<number>,
): Command {
  return cmd.action(async (...args: unknown[]) => exit(await fn(...(args as A))));
}

/** Commander errors that a reminder of the command's usage helps with. */
const NEEDS_USAGE = new Set([
  "commander.missingArgument",
  "commander.excessArguments",
  "commander.optionMissingArgument",
  "commander.missingMandatoryOptionValue",
]);

/**
 * The one line for a commander error: its message (did-you-mean on the same line), plus the
 * usage of the command for a missing or extra argument. Undefined for help and version, which
 * have printed what they print.
 */
export function usageErrorLine(e: CommanderError, cmd?: Command): string | undefined {
  if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return undefined;
  if (e.code === "commander.help") return undefined;
  let line = e.message.replace(/\s*\n\s*/g, " ").trim();
  if (!line.startsWith("error:")) line = `error: ${line}`;
  if (cmd && NEEDS_USAGE.has(e.code)) {
    line += ` — usage: ${commandPath(cmd)} ${cmd.usage()}; see ${commandPath(cmd)} --help`;
  } else if (cmd && e.code === "commander.unknownOption") {
    line += `; see ${commandPath(cmd)} --help`;
  }
  return line;
}

/** `m2vae run`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Every command of a tree, the root first. */
export function commandTree(root: Command): Command[] {
  return [root, ...root.commands.flatMap((c) => commandTree(c as Command))];
}
