/**
 * The learned conditional prior p(z | a, c) of Eq. 24 (option `prior: learned`): a small
 * network over the concatenated raw views [a_i; c_i…] — one LeakyReLU hidden layer and a
 * Gaussian head — in the spirit of the authors' code, which gives the prior its own network.
 *
 * Why: with the paper's reading (the prior is the fused feature posterior itself) and the
 * summed joint of Eq. 17, KL(q(z|e,a,c) ‖ q(z_f|a,c)) = ½Σ[e^{lv_e} + μ_e² e^{−lv_f} − 1 − lv_e]
 * does not depend on μ_f: the KL that should carry the ID expert's collaborative signal into
 * the content posterior only shrinks the ID expert. Against a prior with its own parameters,
 * q's mean μ_e + μ_f and the prior's mean are both pulled together.
 *
 * @module
 */
import {
  applyHead,
  createHead,
  type Gaussian,
  type GaussianHead,
  LEAKY_SLOPE,
  linear,
  type ParamSet,
} from "../../nn/mod.ts";
import type { Rng } from "../../rng/mod.ts";
import { tf } from "../../tf/mod.ts";

/** Parameters of the conditional prior. */
export interface PriorNet {
  w1: tf.Variable;
  b1: tf.Variable;
  head: GaussianHead;
}

/** Creates the prior network `inDim → hidden → (μ, logσ²) of size outDim`. */
export function createPriorNet(
  p: ParamSet,
  inDim: number,
  hidden: number,
  outDim: number,
  rng: Rng,
  logVarInit = 0,
): PriorNet {
  return {
    w1: p.dense("prior.w1", [inDim, hidden], "glorot", rng),
    b1: p.dense("prior.b1", [hidden], "zeros", rng),
    head: createHead(p, "prior.head", hidden, outDim, rng, logVarInit),
  };
}

/** p(z | a, c) for rows of raw views (all `[n, d]`, in view order). */
export function applyPriorNet(net: PriorNet, raws: tf.Tensor2D[]): Gaussian {
  const x = raws.length === 1 ? raws[0] : tf.concat(raws, 1) as tf.Tensor2D;
  const h = tf.leakyRelu(linear(x, net.w1, net.b1), LEAKY_SLOPE) as tf.Tensor2D;
  return applyHead(net.head, h);
}
