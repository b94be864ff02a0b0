/**
 * Up-front checks of the paths an experiment run will write (`--out`, the store's folder): a
 * folder that cannot be made or written is one line naming the option before anything runs, not
 * an error after the last trial. Nothing is left behind: the check writes one probe file in the
 * nearest existing folder and removes it.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { UsageError } from "./errors.ts";

/** The nearest existing path at or above `path`, with its info. */
async function nearestExisting(path: string): Promise<{ at: string; info: Deno.FileInfo }> {
  let at = resolve(path);
  for (;;) {
    try {
      return { at, info: await Deno.stat(at) };
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound) && !(e instanceof Deno.errors.NotADirectory)) {
        throw e;
      }
      const up = dirname(at);
      if (up === at) throw e;
      at = up;
    }
  }
}

/**
 * Throws a UsageError naming `option` unless `dir` is a folder this process can write, or one
 * it can make (its nearest existing ancestor is a writable folder).
 *
 * @example Usage
 * ```ts
 * await checkWritableDir("results/table3", "--out"); // or: --out results/table3: cannot write there (…)
 * ```
 */
export async function checkWritableDir(dir: string, option: string): Promise<void> {
  const { at, info } = await nearestExisting(dir);
  const shown = at === resolve(dir) ? dir : `${dir} (its parent ${at})`;
  if (!info.isDirectory) {
    throw new UsageError(`${option} ${dir}: ${at} is a file, not a folder`);
  }
  let probe: string | undefined;
  try {
    probe = await Deno.makeTempFile({ dir: at, prefix: ".m2vae-write-check-" });
  } catch (e) {
    const why = e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : (e as Error).message.split("\n")[0];
    throw new UsageError(`${option} ${shown}: cannot write there (${why})`);
  } finally {
    if (probe) await Deno.remove(probe).catch(() => {});
  }
}

/**
 * Throws a UsageError naming `option` unless `file` can be written: its folder can be made or
 * written ({@linkcode checkWritableDir}) and the path is not an existing folder.
 *
 * @example Usage
 * ```ts
 * await checkWritableFile("results/t3/report.html", "--out"); // or: --out results/t3/report.html: a folder is there, not a file
 * ```
 */
export async function checkWritableFile(file: string, option: string): Promise<void> {
  await checkWritableDir(dirname(file), option);
  const info = await Deno.stat(file).catch(() => undefined);
  if (info?.isDirectory) throw new UsageError(`${option} ${file}: a folder is there, not a file`);
}
