/**
 * A run's {@linkcode TrainState} as one safetensors file: the current and kept parameters and
 * Adam's moments as float32 tensors (`param/<name>`, `best/<name>`, `adam.m/<name>`,
 * `adam.v/<name>`), everything else (position, curve, random generators) as JSON in the
 * header's metadata under `train_state`. Written atomically (temporary file, then rename).
 *
 * @module
 */
import { dirname } from "node:path";
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from "../nn/mod.ts";
import type { TrainState } from "./trainer.ts";

const KEY = "train_state";

/** Encodes a run's state; `shapes` gives parameter shapes (default: flat). */
export function encodeTrainState(
  st: TrainState,
  shapes: ReadonlyMap<string, number[]> = new Map(),
): Uint8Array {
  const tensors = new Map<string, StoredTensor>();
  const put = (prefix: string, name: string, data: Float32Array) =>
    tensors.set(`${prefix}/${name}`, { shape: shapes.get(name) ?? [data.length], data });
  for (const [n, d] of st.params) put("param", n, d);
  for (const [n, d] of st.bestParams) put("best", n, d);
  for (const [n, { m, v }] of st.optimizer.moments) {
    put("adam.m", n, m);
    put("adam.v", n, v);
  }
  const { params: _p, bestParams: _b, optimizer, ...rest } = st;
  return encodeSafetensors(tensors, {
    [KEY]: JSON.stringify({ ...rest, optimizerStep: optimizer.step }),
  });
}

/** Decodes what {@linkcode encodeTrainState} wrote. */
export function decodeTrainState(bytes: Uint8Array): TrainState {
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (!(KEY in metadata)) throw new RangeError(`not a training state (no "${KEY}" metadata)`);
  const { optimizerStep, ...rest } = JSON.parse(metadata[KEY]);
  const group = (prefix: string) =>
    new Map(
      [...tensors].filter(([k]) => k.startsWith(`${prefix}/`))
        .map(([k, t]) => [k.slice(prefix.length + 1), t.data]),
    );
  const m = group("adam.m"), v = group("adam.v");
  return {
    ...rest,
    params: group("param"),
    bestParams: group("best"),
    optimizer: {
      step: optimizerStep,
      moments: new Map([...m].map(([k, mm]) => [k, { m: mm, v: v.get(k)! }])),
    },
  };
}

/** Writes a state file atomically (a crash leaves the old file or none, never half of one). */
export async function writeTrainState(
  path: string,
  st: TrainState,
  shapes?: ReadonlyMap<string, number[]>,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeFile(tmp, encodeTrainState(st, shapes));
  await Deno.rename(tmp, path);
}

/** Reads a state file, or `undefined` when there is none. */
export async function readTrainState(path: string): Promise<TrainState | undefined> {
  try {
    return decodeTrainState(await Deno.readFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
