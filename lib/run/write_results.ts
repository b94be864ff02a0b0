/**
 * Writes a run's outputs — trial records (JSON lines), long-format CSV and the markdown table —
 * each through a temporary file and a rename, so a reader never sees a half-written file.
 *
 * @module
 */
import { join } from "node:path";

/** Writes `text` to `path` atomically (temporary file in the same folder, then rename). */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

/** Writes the named files into `dir` (created if needed), each atomically. */
export async function writeResultFiles(dir: string, files: Record<string, string>): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeAtomic(join(dir, name), text);
}
