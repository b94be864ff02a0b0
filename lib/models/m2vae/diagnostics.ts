/**
 * M2VAE's diagnostics: measurements that show whether its mechanisms act, taken by the engine
 * on cold-validation items at every validation (means, no sampling noise).
 *
 * - Posterior health of every unique view, the common view, the ID expert (on warm items) and
 *   the fused posterior q(z_f | u, a, c) over (user, item) pairs: mean σ, mean |μ|, the KL to
 *   N(0, I) per dimension, the signal-to-noise ratio rms(μ)/rms(σ) and the number of active
 *   units (dimensions whose posterior mean varies across rows: Cov(μ) > 0.01, Burda et al.
 *   2016). σ far above |μ| with no active unit means z is noise the decoder learns to ignore.
 * - The scale of every raw view entering its head (`raw.<view>.rms`, the root mean square of
 *   a_i or c_i's entries): a view far smaller than the others gets a posterior mean that barely
 *   varies across items whatever it encodes.
 * - Fusion: the modality gates' spread (sd over users, and over items), their mean entropy and
 *   mean per view, α's mean and spread over users; on planted data (`Dataset.truth`), the
 *   correlation over users between a user's mean gate of a view and the planted weight of it.
 * - L_disentangle on these items against its chance level, and L_co's chance level (its
 *   training value is among the logged loss terms).
 *
 * @module
 */
import type { PlantedTruth } from "../../data/dataset.ts";
import { tf } from "../../tf/mod.ts";
import { disentangleChance, disentangleLoss } from "./disentangle.ts";
import type { Gaussian } from "../../nn/mod.ts";
import { type GateLogit, pairGateLogits } from "./modality_moe.ts";
import type { M2vaeNetwork } from "./network.ts";

/** Users (of the engine's sample) over which the fused posterior is measured pair by pair. */
export const FUSED_USERS = 64;

/** Threshold on Cov(μ) of an active unit. */
export const ACTIVE_UNIT_THRESHOLD = 0.01;

/**
 * Health of a diagonal Gaussian given as row-major `[n, d]` means and log-variances:
 * `<prefix>.sigma`, `.absMu`, `.klPerDim`, `.snr`, `.active`.
 *
 * @example Usage
 * ```ts
 * const h = posteriorHealth("view", new Float32Array([1, -1]), new Float32Array([0, 0]), 2, 1);
 * // h["view.sigma"] === 1, h["view.active"] === 1 (the mean varies across the two rows)
 * ```
 */
export function posteriorHealth(
  prefix: string,
  mu: Float32Array,
  logVar: Float32Array,
  n: number,
  d: number,
): Record<string, number> {
  let sig = 0, abs = 0, kl = 0, mu2 = 0, var2 = 0;
  const mean = new Float64Array(d), sq = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const m = mu[r * d + j], lv = logVar[r * d + j], v = Math.exp(lv);
      sig += Math.sqrt(v);
      abs += Math.abs(m);
      kl += 0.5 * (v + m * m - 1 - lv);
      mu2 += m * m;
      var2 += v;
      mean[j] += m;
      sq[j] += m * m;
    }
  }
  let active = 0;
  for (let j = 0; j < d; j++) {
    const m = mean[j] / n;
    if (sq[j] / n - m * m > ACTIVE_UNIT_THRESHOLD) active++;
  }
  const cells = n * d;
  return {
    [`${prefix}.sigma`]: sig / cells,
    [`${prefix}.absMu`]: abs / cells,
    [`${prefix}.klPerDim`]: kl / cells,
    [`${prefix}.snr`]: Math.sqrt(mu2 / Math.max(var2, 1e-30)),
    [`${prefix}.active`]: active,
  };
}

function meanSd(xs: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0, s2 = 0;
  for (let k = 0; k < xs.length; k++) {
    s += xs[k];
    s2 += xs[k] * xs[k];
  }
  const m = s / xs.length;
  return { mean: m, sd: Math.sqrt(Math.max(0, s2 / xs.length - m * m)) };
}

/** Pearson correlation (NaN when either side is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = meanSd(a), mb = meanSd(b);
  let c = 0;
  for (let k = 0; k < a.length; k++) c += (a[k] - ma.mean) * (b[k] - mb.mean);
  return c / a.length / (ma.sd * mb.sd);
}

function host(g: Gaussian): { mu: Float32Array; lv: Float32Array } {
  return { mu: g.mu.dataSync() as Float32Array, lv: g.logVar.dataSync() as Float32Array };
}

/**
 * The diagnostics of `net` on cold `items` for `users` (training users), plus the ID expert on
 * `warmItems`. `truth`, when the dataset has one, adds the gate–truth correlation.
 */
export function m2vaeDiagnostics(
  net: M2vaeNetwork,
  items: Int32Array,
  users: Int32Array,
  warmItems: Int32Array,
  truth?: PlantedTruth,
): Record<string, number> {
  const cfg = net.cfg, d = cfg.dim, ni = items.length, ns = users.length;
  const views = net.viewNames, nv = views.length;
  const out: Record<string, number> = {};
  tf.tidy(() => {
    const enc = net.encodeItems(items, null);
    const vs = enc.views.map(host);
    vs.forEach((g, v) =>
      Object.assign(out, posteriorHealth(`post.${views[v]}`, g.mu, g.lv, ni, d))
    );
    enc.raws.forEach((x, v) => {
      out[`raw.${views[v]}.rms`] = Math.sqrt(tf.mean(tf.square(x)).dataSync()[0]);
    });
    const com = enc.common === null ? null : host(enc.common);
    if (com) Object.assign(out, posteriorHealth("post.common", com.mu, com.lv, ni, d));
    const id = host(net.idPosterior(net.items.rowsTensor(warmItems)));
    Object.assign(out, posteriorHealth("post.id", id.mu, id.lv, warmItems.length, d));

    // L_disentangle on these items, from the means, against its chance level.
    const dcl = disentangleLoss(
      enc.views.map((g) => g.mu),
      enc.raws,
      enc.common?.mu ?? null,
      cfg.tauDcl,
    );
    out["dcl.value"] = dcl.dataSync()[0];
    out["dcl.chance"] = disentangleChance(nv, ni, enc.common !== null);
    out["dcl.ratio"] = out["dcl.value"] / out["dcl.chance"];
    if (cfg.beta > 0) out["co.chance"] = Math.log(1 + cfg.cn);

    const itemPost = net.itemPosterior(enc);
    if (itemPost !== null) { // weighted PoE: no gates, the posterior does not depend on the user
      const p = host(itemPost);
      Object.assign(out, posteriorHealth("post.fused", p.mu, p.lv, ni, d));
      return;
    }
    const u = net.users.rowsTensor(users);
    // Gates [user, item, view] from the factored logits (the cold scorer's algebra).
    const gates = new Float32Array(ns * ni * nv);
    if (net.mmoe !== null) {
      const logits = enc.views.map((g, v) => {
        const logit = cfg.gateLogit as GateLogit;
        const com = enc.common?.mu ?? null;
        return pairGateLogits(net.mmoe!, v, u, g.mu, com, logit, cfg.tauGate)
          .dataSync() as Float32Array;
      });
      for (let p = 0; p < ns * ni; p++) {
        let m = -Infinity, s = 0;
        for (let v = 0; v < nv; v++) m = Math.max(m, logits[v][p]);
        for (let v = 0; v < nv; v++) s += gates[p * nv + v] = Math.exp(logits[v][p] - m);
        for (let v = 0; v < nv; v++) gates[p * nv + v] /= s;
      }
    } else {
      const planted = net.plantedGateLogits(users);
      if (planted === null) gates.fill(1 / nv);
      else {
        // Each user's planted gates, the same for every item.
        const g = tf.softmax(planted).dataSync() as Float32Array;
        for (let s = 0; s < ns; s++) {
          for (let i = 0; i < ni; i++) {
            gates.set(g.subarray(s * nv, (s + 1) * nv), (s * ni + i) * nv);
          }
        }
      }
    }
    const commonWeight = com === null
      ? null
      : net.commonWeight(u, users).dataSync() as Float32Array;
    Object.assign(out, gateStats(gates, ns, ni, views, users, truth));
    if (commonWeight !== null) {
      // Reported as `alpha.*`: the view gate α of Eq. 15 (the paper's name).
      const a = meanSd(commonWeight);
      out["alpha.mean"] = a.mean;
      out["alpha.sdUsers"] = a.sd;
      const planted = truth?.userCommonWeights;
      if (planted) {
        // Corr over users of α with the planted share of the common factor.
        out["alpha.truthCorr"] = pearson(commonWeight, Float64Array.from(users, (x) => planted[x]));
      }
    }
    // The fused posterior (Eqs. 14, 16) over pairs of the first FUSED_USERS users.
    const nf = Math.min(ns, FUSED_USERS), rowsN = nf * ni;
    const fm = new Float32Array(rowsN * d), fl = new Float32Array(rowsN * d);
    for (let s = 0; s < nf; s++) {
      const a = commonWeight === null ? 0 : commonWeight[s];
      for (let i = 0; i < ni; i++) {
        const r = (s * ni + i) * d, gi = (s * ni + i) * nv;
        for (let j = 0; j < d; j++) {
          let m = 0, l = 0;
          for (let v = 0; v < nv; v++) {
            m += gates[gi + v] * vs[v].mu[i * d + j];
            l += gates[gi + v] * vs[v].lv[i * d + j];
          }
          fm[r + j] = com === null ? m : a * com.mu[i * d + j] + (1 - a) * m;
          fl[r + j] = com === null ? l : a * com.lv[i * d + j] + (1 - a) * l;
        }
      }
    }
    Object.assign(out, posteriorHealth("post.fused", fm, fl, rowsN, d));
  });
  return out;
}

/** Spread, entropy and per-view means of gates `[users, items, views]`. */
function gateStats(
  g: Float32Array,
  ns: number,
  ni: number,
  views: string[],
  users: Int32Array,
  truth?: PlantedTruth,
): Record<string, number> {
  const nv = views.length, out: Record<string, number> = {};
  let sdU = 0, sdI = 0, ent = 0;
  const col = new Float32Array(Math.max(ns, ni));
  for (let v = 0; v < nv; v++) {
    for (let i = 0; i < ni; i++) {
      for (let s = 0; s < ns; s++) col[s] = g[(s * ni + i) * nv + v];
      sdU += meanSd(col.subarray(0, ns)).sd;
    }
    for (let s = 0; s < ns; s++) {
      for (let i = 0; i < ni; i++) col[i] = g[(s * ni + i) * nv + v];
      sdI += meanSd(col.subarray(0, ni)).sd;
    }
  }
  const perView = new Float64Array(nv);
  for (let p = 0; p < ns * ni; p++) {
    for (let v = 0; v < nv; v++) {
      const x = g[p * nv + v];
      perView[v] += x;
      if (x > 0) ent -= x * Math.log(x);
    }
  }
  out["gates.sdUsers"] = sdU / (ni * nv);
  out["gates.sdItems"] = sdI / (ns * nv);
  out["gates.entropy"] = ent / (ns * ni);
  out["gates.entropyMax"] = Math.log(nv);
  views.forEach((name, v) => out[`gates.mean.${name}`] = perView[v] / (ns * ni));
  if (truth && nv > 1 && truth.views.join() === views.join()) {
    // Per view: corr over users of the user's mean gate (over items) and the planted weight.
    let corr = 0;
    for (let v = 0; v < nv; v++) {
      const mine = new Float64Array(ns), planted = new Float64Array(ns);
      for (let s = 0; s < ns; s++) {
        let m = 0;
        for (let i = 0; i < ni; i++) m += g[(s * ni + i) * nv + v];
        mine[s] = m / ni;
        planted[s] = truth.userViewWeights[users[s] * nv + v];
      }
      corr += pearson(mine, planted);
    }
    out["gates.truthCorr"] = corr / nv;
  }
  return out;
}
