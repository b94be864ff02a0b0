/**
 * The bench process's memory: its peak resident set size, the last figure `deno task bench`
 * prints.
 *
 * @example Usage
 * ```ts
 * import { peakRssGiB } from "./memory.ts";
 * peakRssGiB(); // e.g. 3.2
 * ```
 *
 * @module
 */

/** Peak resident set size in GiB (Linux VmHWM), or the current one where /proc is unavailable. */
export function peakRssGiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return Number(m[1]) / 2 ** 20;
  } catch { /* not Linux */ }
  return Deno.memoryUsage().rss / 2 ** 30;
}
