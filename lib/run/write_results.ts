/**
 * Writes a run's outputs — trial records (JSON lines), long-format CSV and the markdown table —
 * each through a temporary file and a rename, so a reader never sees a half-written file.
 *
 * @module
 */
import { join } from "node:path";

/**
 * Writes `data` (text, or bytes such as an `.npy` array) to `path` atomically (temporary file in
 * the same folder, then rename). If the write or the rename fails, the temporary file is
 * removed and the error rethrown.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {}); // absent when the write itself could not start
    throw e;
  }
}

/** Writes the named files into `dir` (created if needed), each atomically. */
export async function writeResultFiles(dir: string, files: Record<string, string>): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeAtomic(join(dir, name), text);
}
