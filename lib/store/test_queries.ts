/**
 * A finished trial's test metrics per query, kept beside its checkpoint as
 * `<artifacts>/<key>/test_queries.safetensors`: one float32 tensor per metric (`HR@5`, …; the
 * value of each cold item or user, in the order of `queries`) and `queries`, the query ids
 * (integers, exact in float32 below 2²⁴). The table's metrics are their means (to float32's
 * precision); a report or a comparison reads them to put an interval over the queries on a
 * difference without ranking again. Readable from Python with `safetensors.numpy.load_file`.
 *
 * @module
 */
import { dirname } from "node:path";
import type { QueryMetrics } from "../eval/mod.ts";
// The safetensors codec alone: the store never loads TF.js (its heartbeat thread imports it).
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "../nn/safetensors.ts";

/** The file's name in a trial's artifact folder. */
export const TEST_QUERIES_FILE = "test_queries.safetensors";

/** The largest query id float32 holds exactly. */
const EXACT = 2 ** 24;

/**
 * Encodes per-query metrics as a safetensors file.
 *
 * @example Usage
 * ```ts
 * const q = { ids: Int32Array.from([4, 9]), metrics: { "HR@5": Float64Array.from([0.2, 0]) } };
 * decodeQueryMetrics(encodeQueryMetrics(q)).metrics["HR@5"]; // Float64Array [0.2…, 0]
 * ```
 */
export function encodeQueryMetrics(q: QueryMetrics): Uint8Array {
  const n = q.ids.length;
  for (const id of q.ids) {
    if (!(id >= 0 && id < EXACT)) throw new RangeError(`query id ${id} is not exact in float32`);
  }
  const tensors = new Map<string, StoredTensor>([
    ["queries", { shape: [n], data: Float32Array.from(q.ids) }],
  ]);
  for (const [name, v] of Object.entries(q.metrics)) {
    if (name === "queries") throw new RangeError(`a metric cannot be named "queries"`);
    if (v.length !== n) {
      throw new RangeError(`metric ${name} has ${v.length} values for ${n} queries`);
    }
    tensors.set(name, { shape: [n], data: Float32Array.from(v) });
  }
  return encodeSafetensors(tensors, { format: "m2vae test queries 1" });
}

/** Decodes {@linkcode encodeQueryMetrics}'s file. */
export function decodeQueryMetrics(bytes: Uint8Array): QueryMetrics {
  const { tensors } = decodeSafetensors(bytes);
  const ids = tensors.get("queries");
  if (!ids) throw new RangeError("a test-queries file without its queries tensor");
  const metrics: Record<string, Float64Array> = {};
  for (const [name, t] of tensors) {
    if (name === "queries") continue;
    if (t.data.length !== ids.data.length) {
      throw new RangeError(
        `metric ${name} has ${t.data.length} values for ${ids.data.length} queries`,
      );
    }
    metrics[name] = Float64Array.from(t.data);
  }
  return { ids: Int32Array.from(ids.data), metrics };
}

/**
 * Writes per-query metrics to `path` (its folder made if needed).
 *
 * @example Usage
 * ```ts ignore
 * await writeQueryMetrics(store.testQueriesPath(key), report.testQueries!);
 * ```
 */
export async function writeQueryMetrics(path: string, q: QueryMetrics): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeFile(path, encodeQueryMetrics(q));
}

/**
 * Reads per-query metrics from `path`; undefined when there is no such file.
 *
 * @throws RangeError naming `path` when the file is not a test-queries file.
 *
 * @example Usage
 * ```ts ignore
 * const q = await readQueryMetrics(store.testQueriesPath(key));
 * q?.metrics["HR@5"]; // one value per cold test item, or undefined when the trial kept none
 * ```
 */
export async function readQueryMetrics(path: string): Promise<QueryMetrics | undefined> {
  try {
    return decodeQueryMetrics(await Deno.readFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new RangeError(`${path}: ${e instanceof Error ? e.message : e}`);
  }
}
