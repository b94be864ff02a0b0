/**
 * The command line as the end-to-end tests run it: `cli/main.ts` in a child Deno from the
 * repository root, without colour, its exit code and output captured.
 */
import { join } from "node:path";

/** The repository root. */
export const root = new URL("..", import.meta.url).pathname;

/** Runs `cli/main.ts` with `args`; returns its exit code, stdout and stderr. */
export async function cli(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(root, "cli/main.ts"), ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
