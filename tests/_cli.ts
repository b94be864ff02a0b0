/**
 * The command line as the end-to-end tests run it: `cli/main.ts` in a child Deno from the
 * repository root, without colour, its exit code and output captured.
 */
import { join } from "node:path";

/** The repository root. */
export const root = new URL("..", import.meta.url).pathname;

/** Runs `cli/main.ts` with `args` from the repository root (see {@linkcode cliIn}). */
export function cli(...args: string[]) {
  return cliIn(root, ...args);
}

/** Runs `cli/main.ts` with `args` in `cwd`; returns its exit code, stdout and stderr. */
export async function cliIn(cwd: string, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
