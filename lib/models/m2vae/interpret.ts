/**
 * M2VAE's interpretability readings over a trained network, from the means (no sampling), as
 * cold inference computes them: the fusion weights of one (user, item) pair (the paper's Fig. 5
 * case study) and the latent means of every view (what its Fig. 4 maps).
 *
 * @example Usage
 * ```ts
 * import { explainPair, latentMeans } from "./lib/models/m2vae/interpret.ts";
 * const { gates, commonWeight } = explainPair(model.net, user, item);
 * const { common, attributes } = latentMeans(model.net, coldItems);
 * ```
 *
 * @module
 */
import { tf } from "../../tf/mod.ts";
import type { M2vaeNetwork } from "./network.ts";

/** The fusion weights of one (user, item) pair. */
export interface Explanation {
  /** Modality gate of each unique view (Eq. 13), by view name; they sum to 1. */
  gates: Record<string, number>;
  /**
   * View gate α (Eq. 15): the weight of the common view (0 without a common view). Not the
   * config's `alpha`, the weight of L_disentangle.
   */
  commonWeight: number;
}

/**
 * The modality gates and α of `user` for `item`.
 *
 * @throws RangeError for the "weighted PoE" variant, which has no gates.
 */
export function explainPair(net: M2vaeNetwork, user: number, item: number): Explanation {
  if (net.poeLogWeights !== null) {
    throw new RangeError("explain: the weighted-PoE variant has no modality or view gates");
  }
  const out = tf.tidy(() => {
    const enc = net.encodeItems(Int32Array.of(item), null);
    const who = Int32Array.of(user);
    const f = net.fuse(net.users.rowsTensor(who), enc, null, who);
    return tf.concat([
      tf.reshape(f.gates!, [-1]),
      tf.reshape(f.commonWeight ?? tf.zeros([1]), [-1]),
    ]);
  });
  const v = out.dataSync() as Float32Array;
  out.dispose();
  const gates: Record<string, number> = {};
  net.viewNames.forEach((name, k) => gates[name] = v[k]);
  return { gates, commonWeight: v[net.viewNames.length] };
}

/**
 * The latent means of the views of `items`: `common` first when the variant has a common view,
 * then every unique view by name (`attributes`, then each modality), each an `[items × dim]`
 * row-major matrix (`{}` for no items). Items are encoded 1,024 at a time.
 */
export function latentMeans(net: M2vaeNetwork, items: Int32Array): Record<string, Float32Array> {
  const parts = new Map<string, Float32Array[]>();
  const chunk = 1024;
  for (let s = 0; s < items.length; s += chunk) {
    let names: string[] = [];
    const mus = tf.tidy(() => {
      const enc = net.encodeItems(items.subarray(s, s + chunk), null);
      names = [...(enc.common !== null ? ["common"] : []), ...net.viewNames];
      return [...(enc.common !== null ? [enc.common.mu] : []), ...enc.views.map((g) => g.mu)];
    });
    mus.forEach((t, k) => {
      parts.set(names[k], [...(parts.get(names[k]) ?? []), t.dataSync() as Float32Array]);
      t.dispose();
    });
  }
  const out: Record<string, Float32Array> = {};
  for (const [name, ps] of parts) {
    const all = new Float32Array(ps.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of ps) {
      all.set(p, at);
      at += p.length;
    }
    out[name] = all;
  }
  return out;
}
