/**
 * A finished trial's kept checkpoint — the best-validation parameters — as one safetensors file
 * (`<store folder>/artifacts/<trial key>/checkpoint.safetensors`): every parameter as a float32
 * tensor under its name and shape, and in the metadata the trial's frozen spec (`trial`: model,
 * dataset spec, config, settings, seed) and a format tag. Readable from Python with
 * `safetensors.numpy.load_file`; reloaded by `restoreTrialModel` (`restore.ts`), which rebuilds
 * the model from the spec and reproduces the stored metrics exactly.
 *
 * @module
 */
import { dirname } from "node:path";
import { decodeSafetensors, encodeSafetensors, type ParamSet } from "../nn/mod.ts";
import type { TrialSpec } from "./trial.ts";

/** The format tag in a checkpoint's metadata. */
export const CHECKPOINT_FORMAT = "m2vae-checkpoint-1";

/** Writes `params` (the kept checkpoint) and the trial's spec atomically to `path`. */
export async function writeCheckpoint(path: string, params: ParamSet, t: TrialSpec): Promise<void> {
  const shapes = params.shapes();
  const tensors = new Map(
    [...params.values()].map(([name, data]) => [name, { shape: shapes.get(name)!, data }]),
  );
  const bytes = encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, trial: JSON.stringify(t) });
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeFile(tmp, bytes);
  await Deno.rename(tmp, path);
}

/** A checkpoint's parameters and trial spec. */
export interface Checkpoint {
  trial: TrialSpec;
  values: Map<string, Float32Array>;
}

/**
 * Reads a checkpoint file.
 *
 * @throws Error naming the path when it is missing or not a toolkit checkpoint.
 */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${path}: no checkpoint (was the trial run with --no-checkpoints?)`);
    }
    throw e;
  }
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${path}: not a toolkit checkpoint (format ${metadata.format ?? "missing"})`);
  }
  return {
    trial: JSON.parse(metadata.trial),
    values: new Map([...tensors].map(([k, v]) => [k, v.data])),
  };
}
