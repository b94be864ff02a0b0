/**
 * Initial values for parameters: Glorot-uniform, constants, scaled normal, or given values.
 *
 * @module
 */
import type { Rng } from "../rng/mod.ts";

/**
 * How to initialise a parameter: `"glorot"` (Glorot/Xavier uniform), `"zeros"`, `"ones"`,
 * `{ normal: std }` (zero-mean normal with that standard deviation), or explicit values.
 */
export type Init = "glorot" | "zeros" | "ones" | { normal: number } | Float32Array;

/** Fan-in and fan-out of a shape, as Keras and PyTorch compute them. */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return {
    fanIn: shape[shape.length - 2] * receptive,
    fanOut: shape[shape.length - 1] * receptive,
  };
}

/**
 * Values for a parameter of the given shape, drawn from `rng` (same seed → same values).
 * Glorot-uniform draws from U(-l, l) with l = √(6 / (fanIn + fanOut)); a 2-D shape is
 * `[fanIn, fanOut]`.
 *
 * @throws RangeError on a bad shape, a negative or non-finite std, or values of the wrong length.
 */
export function initValues(shape: readonly number[], init: Init, rng: Rng): Float32Array {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`initValues: shape [${shape}] has a dimension that is not a size: ${d}`);
    }
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (init instanceof Float32Array) {
    if (init.length !== n) {
      throw new RangeError(`initValues: ${init.length} values given for shape [${shape}] (${n})`);
    }
    return init.slice();
  }
  if (init === "zeros") return new Float32Array(n);
  if (init === "ones") return new Float32Array(n).fill(1);
  if (init === "glorot") {
    const { fanIn, fanOut } = fans(shape);
    const limit = Math.sqrt(6 / Math.max(1, fanIn + fanOut));
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (2 * rng.uniform() - 1) * limit;
    return out;
  }
  if (typeof init === "object" && typeof init.normal === "number") {
    if (!Number.isFinite(init.normal) || init.normal < 0) {
      throw new RangeError(`initValues: normal std must be finite and >= 0, got ${init.normal}`);
    }
    return rng.normalArray(n, 0, init.normal);
  }
  throw new TypeError(`initValues: unknown init ${JSON.stringify(init)}`);
}
