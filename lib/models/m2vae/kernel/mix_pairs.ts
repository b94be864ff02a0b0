/**
 * The SIMD path of the shared negatives' pair scores (../shared_negatives.ts): mix_pairs.wasm
 * (built from assembly/mix_pairs.ts by `deno task build:kernel`, committed), instantiated once
 * from this folder. For B user rows and K items it computes
 * s(r, n) = Σ_h LeakyReLU(P_n + Σ_j c_j(r, n)·M_j,n)_h · w_r,h and, as a TF.js op with its own
 * gradient ({@linkcode mixPairScoresKernel}), the gradients with respect to P, M, c and w,
 * without ever holding a `[B, K, hidden]` tensor: the TF form of the same maths materialises
 * several of them per step (16.8 M floats each at B 1024, K 128, hidden 128), and summing them
 * back over the rows was the largest part of M2VAE's training step.
 *
 * Per call the inputs are read back from TF once, copied into the kernel's memory (hidden
 * zero-padded to a multiple of 4), and the results copied out; the backward pass reuses the
 * forward pass's host copies.
 *
 * @example Usage
 * ```ts
 * import { mixPairsForwardHost, mixPairsKernelStatus } from "./mix_pairs.ts";
 * // one item (P = [1, −1]), one matrix M = [1, 1] mixed with c = 0.5 for one user w = [1, 1]
 * if (mixPairsKernelStatus().available) {
 *   mixPairsForwardHost({
 *     base: Float32Array.of(1, -1), mats: Float32Array.of(1, 1), k: 1,
 *     coef: Float32Array.of(0.5), w: Float32Array.of(1, 1), rows: 1, items: 1, hidden: 2,
 *   }, 0.01); // [1.5 − 0.005] = [1.495]
 * }
 * ```
 *
 * @module
 */
import { type KernelBase, type KernelStatus, loadKernel, up4 } from "../../../tf/kernel/load.ts";
import { tf } from "../../../tf/mod.ts";

interface MixKernel extends KernelBase {
  mixPairsForward(
    base: number,
    mats: number,
    k: number,
    coef: number,
    w: number,
    B: number,
    K: number,
    hp: number,
    slope: number,
    out: number,
    x: number,
  ): void;
  mixPairsBackward(
    base: number,
    mats: number,
    k: number,
    coef: number,
    w: number,
    B: number,
    K: number,
    hp: number,
    slope: number,
    g: number,
    dBase: number,
    dMats: number,
    dCoef: number,
    dW: number,
    x: number,
  ): void;
}

const loaded = await loadKernel<MixKernel>(new URL("./mix_pairs.wasm", import.meta.url));
const heap = loaded.heap;

/** Whether the mixed-pair kernel is usable here, with its file or the reason it is not. */
export function mixPairsKernelStatus(): KernelStatus {
  return { ...loaded.status };
}

/** The host arrays of one mixed-pair problem (row-major, hidden unpadded). */
export interface MixPairsInputs {
  /** P `[items, hidden]`. */
  base: Float32Array;
  /** M `[k, items, hidden]`. */
  mats: Float32Array;
  k: number;
  /** c `[k, rows, items]`. */
  coef: Float32Array;
  /** w `[rows, hidden]`. */
  w: Float32Array;
  rows: number;
  items: number;
  hidden: number;
}

/** The gradients of {@linkcode mixPairsForwardHost}'s inputs, shaped like them. */
export interface MixPairsGrads {
  base: Float32Array;
  mats: Float32Array;
  coef: Float32Array;
  w: Float32Array;
}

function kernel(): MixKernel {
  if (loaded.exports === null || heap === null) {
    throw new Error(`mixed-pair SIMD kernel unavailable: ${loaded.status.detail}`);
  }
  return loaded.exports;
}

/** Word offsets of the forward pass's operands, and where the backward pass's begin. */
function layout(p: MixPairsInputs) {
  const hp = up4(p.hidden), { k, rows: B, items: K } = p;
  let end = 0;
  const take = (n: number) => {
    const at = end;
    end += up4(n);
    return at;
  };
  const base = take(K * hp), mats = take(k * K * hp), coef = take(k * B * K);
  const w = take(B * hp), out = take(B * K), x = take(hp);
  return { hp, base, mats, coef, w, out, x, take, end: () => end };
}

function putInputs(p: MixPairsInputs, l: ReturnType<typeof layout>): void {
  const { hp } = l, { k, rows: B, items: K, hidden: h } = p;
  heap!.putRows(p.base, K, h, hp, l.base);
  heap!.putRows(p.mats, k * K, h, hp, l.mats);
  heap!.f32.set(p.coef.subarray(0, k * B * K), heap!.index(l.coef));
  heap!.putRows(p.w, B, h, hp, l.w);
}

/** s `[rows, items]` on the kernel, LeakyReLU slope `slope`. */
export function mixPairsForwardHost(p: MixPairsInputs, slope: number): Float32Array {
  const K = kernel(), l = layout(p), { k, rows: B, items: n } = p;
  heap!.reserve(l.end());
  putInputs(p, l);
  const b = (at: number) => heap!.byte(at);
  K.mixPairsForward(
    b(l.base),
    b(l.mats),
    k,
    b(l.coef),
    b(l.w),
    B,
    n,
    l.hp,
    slope,
    b(l.out),
    b(l.x),
  );
  const o = heap!.index(l.out);
  return heap!.f32.slice(o, o + B * n);
}

/** The gradients for ∂L/∂s = `g` `[rows, items]`, on the kernel. */
export function mixPairsBackwardHost(
  p: MixPairsInputs,
  g: Float32Array,
  slope: number,
): MixPairsGrads {
  const K = kernel(), l = layout(p), { k, rows: B, items: n, hidden: h } = p, hp = l.hp;
  const gAt = l.take(B * n), dBase = l.take(n * hp), dMats = l.take(k * n * hp);
  const dCoef = l.take(k * B * n), dW = l.take(B * hp);
  heap!.reserve(l.end());
  putInputs(p, l);
  heap!.f32.set(g.subarray(0, B * n), heap!.index(gAt));
  const b = (at: number) => heap!.byte(at);
  K.mixPairsBackward(
    b(l.base),
    b(l.mats),
    k,
    b(l.coef),
    b(l.w),
    B,
    n,
    hp,
    slope,
    b(gAt),
    b(dBase),
    b(dMats),
    b(dCoef),
    b(dW),
    b(l.x),
  );
  const c = heap!.index(dCoef);
  return {
    base: heap!.getRows(n, h, hp, dBase),
    mats: heap!.getRows(k * n, h, hp, dMats),
    coef: heap!.f32.slice(c, c + k * B * n),
    w: heap!.getRows(B, h, hp, dW),
  };
}

/**
 * s `[B, K]` from P `[K, H]`, M `[k, K, H]`, c `[k, B, K]` and w `[B, H]` on the kernel, as a
 * TF.js op whose gradient is the kernel's backward pass (so it trains inside `tf.grads` and the
 * optimizers' tapes). Throws when the kernel is unavailable.
 */
export function mixPairScoresKernel(
  base: tf.Tensor2D,
  mats: tf.Tensor3D,
  coef: tf.Tensor3D,
  w: tf.Tensor2D,
  slope: number,
): tf.Tensor2D {
  kernel();
  const [K, H] = base.shape, [k] = mats.shape, [B] = w.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const [b, m, c, u] = args as tf.Tensor[];
    const p: MixPairsInputs = {
      base: b.dataSync() as Float32Array,
      mats: m.dataSync() as Float32Array,
      k,
      coef: c.dataSync() as Float32Array,
      w: u.dataSync() as Float32Array,
      rows: B,
      items: K,
      hidden: H,
    };
    const value = tf.tensor2d(mixPairsForwardHost(p, slope), [B, K]);
    const gradFunc = (dy: tf.Tensor) => {
      const d = mixPairsBackwardHost(p, dy.dataSync() as Float32Array, slope);
      return [
        tf.tensor2d(d.base, [K, H]),
        tf.tensor3d(d.mats, [k, K, H]),
        tf.tensor3d(d.coef, [k, B, K]),
        tf.tensor2d(d.w, [B, H]),
      ];
    };
    return { value, gradFunc };
  });
  return op(base, mats, coef, w) as tf.Tensor2D;
}
