/**
 * The per-pair remainder of exact cold scoring (see scorer.ts), in plain TypeScript: for every
 * (user u, item i), the modality gates from precomputed logits (Eq. 13; once per user when
 * they depend on the user alone), the mixing
 * coefficients of the experts (Eqs. 14 and 16), the decoder's hidden pre-activation as
 * C_i + Σ_k coef_k·M_k,i (the first layer is linear in z = μ_f), the LeakyReLU, and the dot with
 * the user's projected output weights ŵ_u = W₂ e_u, plus b₂·e_u. One fused loop reads each
 * value once, where separate tensor ops would stream `users × items × hidden` values per op.
 *
 * `pairScores` is the reference and the fallback; `scorePairs` runs the same computation on the
 * wasm SIMD kernel (kernel/) when it is available, or as chosen by `setPairPath`.
 *
 * @module
 */
import { LEAKY_SLOPE } from "../../nn/mod.ts";
import type { PairInputs } from "./pair_inputs.ts";
import { pairScoresSimd, simdKernelStatus } from "./kernel/mod.ts";

export type { PairInputs } from "./pair_inputs.ts";

/** Scores `[nu, ni]` row-major. */
export function pairScores(p: PairInputs): Float32Array {
  const { nu, ni, hidden: hd, cond, mCom, mViews, logits, commonWeight, wHat, bias } = p;
  const nv = mViews.length, perUser = p.userGates === true;
  const mats = mCom === null ? mViews : [mCom, ...mViews];
  const k = mats.length;
  const coef = new Float64Array(k), g = new Float64Array(nv);
  const out = new Float32Array(nu * ni);
  // Branch-free LeakyReLU: max(x, s·x) = ½(1 + s)·x + ½(1 − s)·|x| for 0 < s < 1.
  const lo = (1 + LEAKY_SLOPE) / 2, hi = (1 - LEAKY_SLOPE) / 2;
  for (let u = 0; u < nu; u++) {
    const a = mCom === null ? 0 : commonWeight![u];
    const wo = u * hd;
    for (let i = 0; i < ni; i++) {
      const pi = u * ni + i, li = perUser ? u : pi;
      if (logits === null) {
        g.fill(1 / nv);
      } else {
        let m = -Infinity;
        for (let v = 0; v < nv; v++) m = Math.max(m, logits[v][li]);
        let s = 0;
        for (let v = 0; v < nv; v++) s += g[v] = Math.exp(logits[v][li] - m);
        for (let v = 0; v < nv; v++) g[v] /= s;
      }
      let c = 0;
      if (mCom !== null) coef[c++] = a;
      for (let v = 0; v < nv; v++) coef[c++] = (1 - a) * g[v];
      const io = i * hd;
      let acc = 0;
      if (k === 2) {
        const c0 = coef[0], c1 = coef[1], m0 = mats[0], m1 = mats[1];
        for (let h = 0; h < hd; h++) {
          const x = cond[io + h] + c0 * m0[io + h] + c1 * m1[io + h];
          acc += (lo * x + hi * Math.abs(x)) * wHat[wo + h];
        }
      } else if (k === 3) {
        const c0 = coef[0], c1 = coef[1], c2 = coef[2], m0 = mats[0], m1 = mats[1], m2 = mats[2];
        for (let h = 0; h < hd; h++) {
          const x = cond[io + h] + c0 * m0[io + h] + c1 * m1[io + h] + c2 * m2[io + h];
          acc += (lo * x + hi * Math.abs(x)) * wHat[wo + h];
        }
      } else if (k === 4) {
        const c0 = coef[0], c1 = coef[1], c2 = coef[2], c3 = coef[3];
        const m0 = mats[0], m1 = mats[1], m2 = mats[2], m3 = mats[3];
        for (let h = 0; h < hd; h++) {
          const x = cond[io + h] + c0 * m0[io + h] + c1 * m1[io + h] + c2 * m2[io + h] +
            c3 * m3[io + h];
          acc += (lo * x + hi * Math.abs(x)) * wHat[wo + h];
        }
      } else {
        for (let h = 0; h < hd; h++) {
          let x = cond[io + h];
          for (let j = 0; j < k; j++) x += coef[j] * mats[j][io + h];
          acc += (lo * x + hi * Math.abs(x)) * wHat[wo + h];
        }
      }
      out[pi] = acc + bias[u];
    }
  }
  return out;
}

/** Which implementation scores the pairs: the wasm SIMD kernel or the scalar loop above. */
export type PairPath = "simd" | "scalar";

const PATH_VARIABLE = "M2VAE_PAIR_KERNEL";

function requestedFromEnv(): string {
  try {
    // Read only when allowed, so that a run without env access is not prompted for it.
    const env = Deno.permissions.querySync({ name: "env", variable: PATH_VARIABLE }).state;
    return env === "granted" ? Deno.env.get(PATH_VARIABLE) ?? "auto" : "auto";
  } catch {
    return "auto";
  }
}

let requested: string = requestedFromEnv();

/**
 * Chooses the pair path for this process: `simd`, `scalar`, or `auto` (the default: the SIMD
 * kernel when it loaded, else the scalar loop). The environment variable M2VAE_PAIR_KERNEL sets
 * the starting choice. Asking for `simd` where the kernel is unavailable throws.
 */
export function setPairPath(path: PairPath | "auto"): void {
  if (path === "simd" && !simdKernelStatus().available) {
    throw new Error(`M2VAE SIMD pair kernel unavailable: ${simdKernelStatus().detail}`);
  }
  requested = path;
}

/** The path `scorePairs` takes now. */
export function pairPath(): PairPath {
  if (requested === "auto") return simdKernelStatus().available ? "simd" : "scalar";
  if (requested === "simd" || requested === "scalar") return requested;
  throw new RangeError(`${PATH_VARIABLE}: expected simd, scalar or auto, got "${requested}"`);
}

/** A line saying which pair path scores, and why (for bench output and logs). */
export function describePairPath(): string {
  const s = simdKernelStatus(), path = pairPath();
  const how = requested === "auto" ? "auto" : `set to ${requested}`;
  return path === "simd"
    ? `simd (${how}; ${s.detail})`
    : `scalar (${how}${s.available ? "" : `; ${s.detail}`})`;
}

/** Scores `[nu, ni]` on the chosen path (see {@linkcode pairPath}). */
export function scorePairs(p: PairInputs): Float32Array {
  return pairPath() === "simd" ? pairScoresSimd(p, LEAKY_SLOPE) : pairScores(p);
}
