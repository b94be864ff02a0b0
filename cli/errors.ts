/**
 * Turns any error into one line on stderr and an exit code: input problems (config, data,
 * store, ranges, command-line usage) exit 1, anything unexpected exits 2 (with the stack when
 * M2VAE_DEBUG is set).
 *
 * @module
 */
import { ConfigError } from "../lib/config/mod.ts";
import { DataError } from "../lib/data/errors.ts";
import { UsageError } from "../lib/run/errors.ts";
import { StoreError } from "../lib/store/mod.ts";

/** A command used wrongly (an unknown name, a missing or malformed option): exit 1. */
export { UsageError };

/** Prints `error: …` and returns the exit code for `e`. */
export function reportError(e: unknown): number {
  const expected = e instanceof ConfigError || e instanceof DataError || e instanceof RangeError ||
    e instanceof StoreError || e instanceof UsageError ||
    e instanceof TypeError;
  const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
  console.error(`error: ${msg}`);
  if (!expected && Deno.env.get("M2VAE_DEBUG") && e instanceof Error) console.error(e.stack);
  return expected ? 1 : 2;
}
