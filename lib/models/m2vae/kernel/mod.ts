/**
 * The SIMD path of M2VAE's per-pair exact scoring: pair.wasm (built from assembly/pair.ts by
 * `deno task build:kernel`, committed) instantiated once from this folder, no network. It
 * computes what `pairScores` (../pair_kernel.ts, the reference and fallback) computes, in f32
 * with 128-bit SIMD over the hidden units, four users at a time.
 *
 * Memory: the module's linear memory is allocated once and grown when a call needs more. Per
 * call the item side (C_i and the mixed matrices, the last view's folded into C_i, interleaved
 * per item by groups of 4 hidden units, zero-padded to a multiple of 4) is copied in once; users then go through in chunks of
 * {@linkcode USER_CHUNK}: their gate logits (one per pair, or one per user when the gates
 * depend on the user alone), α, b and ŵ rows are copied in, the kernel turns
 * the logits into gates in place and scores the chunk, and the chunk's scores are copied out.
 *
 * @module
 */
import type { PairInputs } from "../pair_inputs.ts";
import { type KernelBase, type KernelStatus, loadKernel, up4 } from "../../../tf/kernel/load.ts";

/** Users scored per kernel call (a multiple of 4). */
export const USER_CHUNK = 256;
/** Bytes of item records the kernel keeps hot while it runs over a chunk's users. */
const TILE_BYTES = 128 * 1024;

interface KernelExports extends KernelBase {
  softmaxPlanes(g: number, nv: number, stride: number): void;
  scoreUsers(
    items: number,
    ni: number,
    hdp: number,
    k: number,
    hasCom: number,
    nv: number,
    g: number,
    stride: number,
    alpha: number,
    w: number,
    bias: number,
    users: number,
    out: number,
    slope: number,
    cs: number,
    tile: number,
    perUser: number,
  ): void;
}

export type { KernelStatus };

const loaded = await loadKernel<KernelExports>(new URL("./pair.wasm", import.meta.url));
const heap = loaded.heap;

/** Whether the SIMD kernel is usable here, with its file or the reason it is not. */
export function simdKernelStatus(): KernelStatus {
  return { ...loaded.status };
}

/**
 * `pairScores(p)` on the SIMD kernel, with LeakyReLU slope `slope`. Throws when the kernel is
 * not available (see {@linkcode simdKernelStatus}).
 */
export function pairScoresSimd(p: PairInputs, slope: number): Float32Array {
  const K = loaded.exports;
  if (K === null || heap === null) {
    throw new Error(`M2VAE SIMD pair kernel unavailable: ${loaded.status.detail}`);
  }
  const { nu, ni, hidden: hd, cond, mCom, mViews, logits, commonWeight, wHat, bias } = p;
  const out = new Float32Array(nu * ni);
  if (nu === 0 || ni === 0) return out;
  const nv = mViews.length;
  // With a unique view the coefficients sum to 1 (α + (1 − α)·Σg = 1, or Σg = 1), so the last
  // view's matrix folds into the condition: C + Σ_j c_j M_j = (C + M_last) + Σ_{j<last} c_j
  // (M_j − M_last). The kernel mixes one matrix fewer per pair and reads the gates of every
  // view but the last (their planes come first).
  const fold = nv > 0;
  const all = mCom === null ? mViews : [mCom, ...mViews];
  const last = fold ? all[all.length - 1] : null;
  const mats = fold ? all.slice(0, -1) : all;
  const k = mats.length, hdp = up4(hd), nb = hdp >> 2, rec = (k + 1) * hdp;
  const uc = Math.min(USER_CHUNK, up4(nu));
  // Gates that depend on the user alone are one per user (`userGates`), not one per pair.
  const perUser = logits !== null && p.userGates === true;
  const stride = up4(perUser ? uc : uc * ni), span = perUser ? 1 : ni;
  // Float offsets from the base, each a multiple of 4 (16-byte aligned).
  let end = 0;
  const take = (n: number) => {
    const at = end;
    end += up4(n);
    return at;
  };
  const itemsAt = take(ni * rec), csAt = take(4 * Math.max(k, 1)), gAt = take(nv * stride);
  const aAt = take(uc), bAt = take(uc), wAt = take(uc * hdp), oAt = take(uc * ni);
  heap.reserve(end);
  const f = heap.f32, base = heap.base;
  const o = base >> 2; // float index of the base
  const byte = (at: number) => base + at * 4;

  // Item records: [C(4) M_0(4) … M_{k-1}(4)] per group of 4 hidden units, zero-padded.
  for (let i = 0; i < ni; i++) {
    const src = i * hd;
    for (let b = 0; b < nb; b++) {
      const h0 = 4 * b, n = Math.min(4, hd - h0), d = o + itemsAt + i * rec + b * (k + 1) * 4;
      for (let q = 0; q <= k; q++) {
        const m = q === 0 ? cond : mats[q - 1], dq = d + 4 * q;
        // The condition gains the folded matrix; each other matrix loses it.
        const sign = last === null ? 0 : q === 0 ? 1 : -1;
        for (let l = 0; l < 4; l++) {
          f[dq + l] = l >= n ? 0 : m[src + h0 + l] + (sign === 0 ? 0 : sign * last![src + h0 + l]);
        }
      }
    }
  }
  const tile = Math.max(1, Math.floor(TILE_BYTES / (rec * 4)));
  for (let u0 = 0; u0 < nu; u0 += uc) {
    const u1 = Math.min(nu, u0 + uc), n = u1 - u0, np = up4(n);
    for (let v = 0; v < nv; v++) {
      const g = o + gAt + v * stride;
      if (logits === null) f.fill(1 / nv, g, g + stride);
      else {
        f.set(logits[v].subarray(u0 * span, u1 * span), g);
        f.fill(0, g + n * span, g + stride);
      }
    }
    if (logits !== null && nv > 0) K.softmaxPlanes(byte(gAt), nv, stride);
    if (mCom !== null) f.set(commonWeight!.subarray(u0, u1), o + aAt);
    f.fill(0, o + aAt + n, o + aAt + np);
    f.set(bias.subarray(u0, u1), o + bAt);
    f.fill(0, o + bAt + n, o + bAt + np);
    const w = o + wAt;
    if (hd === hdp) f.set(wHat.subarray(u0 * hd, u1 * hd), w);
    else {
      for (let u = 0; u < n; u++) {
        f.set(wHat.subarray((u0 + u) * hd, (u0 + u + 1) * hd), w + u * hdp);
        f.fill(0, w + u * hdp + hd, w + (u + 1) * hdp);
      }
    }
    f.fill(0, w + n * hdp, w + np * hdp);
    K.scoreUsers(
      byte(itemsAt),
      ni,
      hdp,
      k,
      mCom === null ? 0 : 1,
      fold ? nv - 1 : nv,
      byte(gAt),
      stride,
      byte(aAt),
      byte(wAt),
      byte(bAt),
      np,
      byte(oAt),
      slope,
      byte(csAt),
      tile,
      perUser ? 1 : 0,
    );
    out.set(f.subarray(o + oAt, o + oAt + n * ni), u0 * ni);
  }
  return out;
}
