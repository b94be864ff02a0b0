import assert from "node:assert/strict";
import { setPairMatmulMax } from "../../nn/mod.ts";
import { M2VAE_DEFAULTS } from "./config.ts";
import { m2vaeScoreFlops, m2vaeScoreFlopsBySide, m2vaeTrainFlops, matMulFlops } from "./flops.ts";

// Small dimensions whose counts are worked out by hand below.
// Eq. 27's user-side ranking term (the paper's); the item-side default is counted below.
const CFG = {
  ...M2VAE_DEFAULTS,
  dim: 4,
  decoderHidden: 8,
  attnHidden: 2,
  gateHidden: 3,
  rankNegatives: "users",
  sharedNegatives: 0,
  gateLogit: "cosine", // gate logits per pair; per user below
};
const MODALITIES = [16]; // one dense modality: V = 2 unique views
const STEP = { batch: 10, anchors: 5, tokens: 20, candidates: 7 };
const BLOCK = { users: 10, items: 5, tokens: 20 };

/** Runs `f` with L_co's scores as one matMul up to 4096 candidates (the counts below assume it). */
function withMatmul(f: () => void, max = 4096): void {
  const old = setPairMatmulMax(max);
  try {
    f();
  } finally {
    setPairMatmulMax(old);
  }
}

Deno.test("matMulFlops: 2·m·k·n", () => {
  assert.equal(matMulFlops(2, 3, 4), 48);
  assert.equal(matMulFlops(1024, 1024, 1024), 2 * 1024 ** 3);
});

Deno.test("m2vaeTrainFlops: the full model's step, counted by hand", () =>
  withMatmul(() => {
    const forward = 400 + // attention pooling: 2·20·4·2 + 2·20·2·1
      640 + // the modality projection: 2·5·16·4
      640 + // μ and logσ² heads of 2 views: 2·2·(2·5·4·4)
      320 + // the ID expert's head: 2·(2·5·4·4)
      400 + // L_disentangle: 2 views · 2·5·4·5
      2 * (2560 + 640 + 300) + // two fusions (negFusion own): decoder, self-gates, V-MoE gate
      560; // L_co: 2·10·4·7
    // Every product 3× (forward and two gradients) but the modality projection: its input is
    // constant content, so its backward pass is the weights' gradient alone (2×).
    assert.equal(m2vaeTrainFlops(CFG, MODALITIES, STEP), 3 * forward - 640);
  }));

Deno.test("m2vaeTrainFlops: variants and options drop exactly their products", () =>
  withMatmul(() => {
    const full = m2vaeTrainFlops(CFG, MODALITIES, STEP);
    assert.equal(full - m2vaeTrainFlops({ ...CFG, variant: "w/o DCL" }, MODALITIES, STEP), 3 * 400);
    assert.equal(
      full - m2vaeTrainFlops({ ...CFG, variant: "w/o Co-CL" }, MODALITIES, STEP),
      3 * 560,
    );
    assert.equal(full - m2vaeTrainFlops({ ...CFG, variant: "w/o SG" }, MODALITIES, STEP), 3 * 1280);
    assert.equal(
      full - m2vaeTrainFlops({ ...CFG, negFusion: "positive" }, MODALITIES, STEP),
      3 * 3500,
    );
    // Item negatives: one fusion fewer (3500), and per row a negative item encoded (attention over
    // 40 tokens 800, projection 1280, heads 1280), its ID head (640) and its fusion (3500); its
    // projection's backward is the weights' gradient alone.
    assert.equal(
      m2vaeTrainFlops({ ...CFG, rankNegatives: "items" }, MODALITIES, STEP) - full,
      3 * (-3500 + 800 + 1280 + 1280 + 640 + 3500) - 1280,
    );
    // Each further negative item per row (rankItemNegatives) costs one more of the same.
    assert.equal(
      m2vaeTrainFlops({ ...CFG, rankNegatives: "items", rankItemNegatives: 2 }, MODALITIES, STEP) -
        m2vaeTrainFlops({ ...CFG, rankNegatives: "items" }, MODALITIES, STEP),
      3 * (800 + 1280 + 1280 + 640 + 3500) - 1280,
    );
    // Shared negatives (6): the per-row negative is gone; the pool is encoded (attention over 24
    // tokens 480, projection 768, heads 768) with its ID head (384); pool and batch items through
    // W_z for 4 latents (ID, common, 2 views) and W for 2 raw views: 6·(2·11·4·8); per row the
    // self-gates (640), α (300) and W₂e_u (640); the gate logits 2·(2·10·4·6) and the dot over
    // the hidden units for the 10 × (6 + 1) scores (2·70·8·1).
    const items = m2vaeTrainFlops({ ...CFG, rankNegatives: "items" }, MODALITIES, STEP);
    assert.equal(
      m2vaeTrainFlops({ ...CFG, rankNegatives: "items", sharedNegatives: 6 }, MODALITIES, STEP) -
        items,
      3 * (2016 + 384 + 4224 + 640 + 300 + 640 + 960 + 1120) - 768 -
        (3 * (800 + 1280 + 1280 + 640 + 3500) - 1280),
    );
    // Beyond 4096 distinct candidates L_co takes row dots: 2·b·(c_p + c_n)·d.
    const many = m2vaeTrainFlops(CFG, MODALITIES, { ...STEP, candidates: 5000 });
    assert.equal(many - full, 3 * (2 * 10 * 50 * 4 - 560));
    // Where the row dots are taken at any size (the pair-dots kernel's default), so at 7 too.
    withMatmul(() => assert.equal(m2vaeTrainFlops(CFG, MODALITIES, STEP), many), 0);
  }));

Deno.test("m2vaeScoreFlops: an exact-scoring block, counted by hand", () => {
  const expected = 1680 + // item encoder: attention 400, projection 640, heads 640
    640 + // decoder condition of 2 raw views: 2·(2·5·4·8)
    640 + 80 + // W₂e_u and b₂·e_u: 2·10·4·8 + 2·10·4·1
    960 + // μ W_z of 3 mixed views (2 unique + common): 3·(2·5·4·8)
    300 + // α: 2·10·4·3 + 2·10·3·1
    1440 + // 2 views: self-gate 2·10·4·4 and logits 2·10·4·5
    4000; // per pair: 10·5 pairs · 8 hidden · (2·3 + 4)
  assert.equal(m2vaeScoreFlops(CFG, MODALITIES, BLOCK), expected);
  // Weighted PoE: encoder, condition, decoder per item, one [users, d] × [d, items] product.
  assert.equal(
    m2vaeScoreFlops({ ...CFG, variant: "weighted PoE" }, MODALITIES, BLOCK),
    1680 + 640 + 320 + 320 + 400,
  );
});

Deno.test("m2vaeScoreFlops grows with the pairs: 4× users and items, ≥ 4× the count", () => {
  const one = m2vaeScoreFlops(CFG, MODALITIES, BLOCK);
  const big = m2vaeScoreFlops(CFG, MODALITIES, { users: 40, items: 20, tokens: 80 });
  assert.ok(big > 4 * one);
});

Deno.test("m2vaeScoreFlopsBySide: the block's count split into what a scorer memoises", () => {
  assert.deepEqual(m2vaeScoreFlopsBySide(CFG, MODALITIES, BLOCK), {
    items: 1680 + 640 + 960, // encoder, decoder condition, μ W_z of the 3 mixed views
    users: 640 + 80 + 300 + 2 * 320, // W₂e_u, b₂·e_u, α, the 2 self-gates
    pairs: 2 * 400 + 4000, // the 2 views' gate logits and the per-pair part
  });
  assert.deepEqual(m2vaeScoreFlopsBySide({ ...CFG, variant: "weighted PoE" }, MODALITIES, BLOCK), {
    items: 1680 + 640 + 320 + 320,
    users: 0,
    pairs: 400,
  });
  // Gates that depend on the user alone: one logit per user and view (2·10·4·1 each).
  assert.deepEqual(m2vaeScoreFlopsBySide({ ...CFG, gateLogit: "user" }, MODALITIES, BLOCK), {
    items: 1680 + 640 + 960,
    users: 640 + 80 + 300 + 2 * 320 + 2 * 80,
    pairs: 4000,
  });
});
