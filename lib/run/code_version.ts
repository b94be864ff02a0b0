/**
 * The code version recorded with every result: the git commit of the toolkit's own checkout
 * (with `-dirty` when its work tree has uncommitted changes), or `unknown` outside a git
 * checkout. Git runs in the toolkit's folder, so the answer does not depend on the working
 * directory the command was started from.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The toolkit's root folder (where `deno.json` is); undefined when not loaded from files. */
const ROOT_URL = new URL("../..", import.meta.url);
const TOOLKIT_ROOT = ROOT_URL.protocol === "file:" ? fileURLToPath(ROOT_URL) : undefined;

/** Returns e.g. `68c5972` or `68c5972-dirty`. */
export async function codeVersion(): Promise<string> {
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", {
      args,
      cwd: TOOLKIT_ROOT,
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  };
  try {
    const head = await git("rev-parse", "--short", "HEAD");
    if (!head) return "unknown";
    const dirty = await git("status", "--porcelain", "--untracked-files=no");
    return dirty ? `${head}-dirty` : head;
  } catch {
    return "unknown";
  }
}
