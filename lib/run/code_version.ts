/**
 * The code version recorded with every result: the git commit (with `-dirty` when the work
 * tree has uncommitted changes), or `unknown` outside a git checkout.
 *
 * @module
 */

/** Returns e.g. `68c5972` or `68c5972-dirty`. */
export async function codeVersion(): Promise<string> {
  const git = async (...args: string[]) => {
    const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
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
