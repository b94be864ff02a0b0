import assert from "node:assert/strict";
import { evaluate } from "../../eval/mod.ts";
import { Rng } from "../../rng/mod.ts";
import { initTf } from "../../tf/mod.ts";
import { smallModel, tinySetup, train } from "./_test_utils.ts";
import { pairScoresSimd, simdKernelStatus, USER_CHUNK } from "./kernel/mod.ts";
import {
  describePairPath,
  type PairInputs,
  pairPath,
  pairScores,
  scorePairs,
  setPairPath,
} from "./pair_kernel.ts";

const SLOPE = 0.01; // LEAKY_SLOPE

interface Case {
  nu: number;
  ni: number;
  hidden: number;
  views: number;
  common: boolean;
  gated: boolean;
  /** Gate logits drawn from ±logitRange. */
  logitRange?: number;
  /** One logit per user and view (`gateLogit: user`) instead of one per pair. */
  userGates?: boolean;
}

function uniform(rng: Rng, n: number, lo: number, hi: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.uniform();
  return a;
}

function randomInputs(c: Case, seed: number): PairInputs {
  const rng = new Rng(seed), { nu, ni, hidden: hd } = c;
  const r = c.logitRange ?? 6;
  return {
    nu,
    ni,
    hidden: hd,
    cond: uniform(rng, ni * hd, -1, 1),
    mCom: c.common ? uniform(rng, ni * hd, -1, 1) : null,
    mViews: Array.from({ length: c.views }, () => uniform(rng, ni * hd, -1, 1)),
    logits: c.gated
      ? Array.from({ length: c.views }, () => uniform(rng, c.userGates ? nu : nu * ni, -r, r))
      : null,
    userGates: c.userGates,
    commonWeight: c.common ? uniform(rng, nu, 0, 1) : null,
    wHat: uniform(rng, nu * hd, -1, 1),
    bias: uniform(rng, nu, -1, 1),
  };
}

/** max |a − b| / max(1, |b|). */
function maxRelDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) {
    d = Math.max(d, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
  }
  return d;
}

const CASES: Case[] = [
  { nu: 7, ni: 5, hidden: 13, views: 3, common: true, gated: true }, // k = 4
  { nu: 9, ni: 11, hidden: 6, views: 1, common: true, gated: true }, // 1 view, k = 2
  { nu: 1, ni: 1, hidden: 1, views: 1, common: false, gated: true }, // k = 1, one pair
  { nu: 6, ni: 7, hidden: 9, views: 2, common: false, gated: true }, // no common view
  { nu: 5, ni: 3, hidden: 10, views: 2, common: true, gated: false }, // equal gates, k = 3
  { nu: 3, ni: 4, hidden: 7, views: 3, common: false, gated: false }, // equal gates, no common
  { nu: 10, ni: 6, hidden: 5, views: 5, common: true, gated: true }, // k = 6 (general loop)
  { nu: 4, ni: 2, hidden: 3, views: 0, common: true, gated: true }, // common view only
  { nu: 2, ni: 3, hidden: 11, views: 3, common: true, gated: true, logitRange: 200 }, // saturated
  { nu: USER_CHUNK + 45, ni: 37, hidden: 130, views: 3, common: true, gated: true }, // chunks
  { nu: 64, ni: 300, hidden: 128, views: 2, common: true, gated: true }, // tiles of items
  { nu: 7, ni: 5, hidden: 13, views: 3, common: true, gated: true, userGates: true },
  { nu: 6, ni: 7, hidden: 9, views: 2, common: false, gated: true, userGates: true },
  { nu: 10, ni: 6, hidden: 5, views: 5, common: true, gated: true, userGates: true }, // k = 6
  {
    nu: USER_CHUNK + 45,
    ni: 37,
    hidden: 130,
    views: 3,
    common: true,
    gated: true,
    userGates: true,
  },
];

Deno.test("per-user gate logits score as the same logits repeated for every item", () => {
  for (const c of [CASES[CASES.length - 4], CASES[CASES.length - 1]]) {
    const p = randomInputs(c, 7), { nu, ni } = p;
    const tiled = p.logits!.map((l) => {
      const t = new Float32Array(nu * ni);
      for (let u = 0; u < nu; u++) t.fill(l[u], u * ni, (u + 1) * ni);
      return t;
    });
    const perPair = { ...p, logits: tiled, userGates: false };
    assert.ok(maxRelDiff(pairScores(p), pairScores(perPair)) <= 1e-6);
    assert.ok(maxRelDiff(pairScoresSimd(p, SLOPE), pairScoresSimd(perPair, SLOPE)) <= 1e-5);
  }
});

Deno.test("the SIMD pair kernel loads from the committed pair.wasm", () => {
  const s = simdKernelStatus();
  assert.ok(s.available, s.detail);
});

for (const c of CASES) {
  const name = `${c.nu}×${c.ni}, hidden ${c.hidden}, ${c.views} views` +
    `${c.common ? " + common" : ""}, ${c.gated ? "gated" : "equal gates"}` +
    (c.userGates ? " per user" : "") + (c.logitRange ? `, logits ±${c.logitRange}` : "");
  Deno.test(`SIMD pair kernel matches pairScores to 1e-5: ${name}`, () => {
    for (const seed of [1, 2]) {
      const p = randomInputs(c, seed);
      const ref = pairScores(p), simd = pairScoresSimd(p, SLOPE);
      assert.ok(simd.every(Number.isFinite));
      const d = maxRelDiff(simd, ref);
      assert.ok(d <= 1e-5, `seed ${seed}: max relative difference ${d}`);
    }
  });
}

Deno.test("SIMD pair kernel: a smaller call after a larger one reuses memory correctly", () => {
  const big = randomInputs({ nu: 40, ni: 50, hidden: 33, views: 2, common: true, gated: true }, 3);
  const small = randomInputs({ nu: 5, ni: 3, hidden: 6, views: 1, common: false, gated: true }, 4);
  pairScoresSimd(big, SLOPE);
  assert.ok(maxRelDiff(pairScoresSimd(small, SLOPE), pairScores(small)) <= 1e-5);
  assert.equal(
    pairScoresSimd({ ...small, nu: 0, wHat: new Float32Array(), bias: new Float32Array() }, SLOPE)
      .length,
    0,
  );
});

Deno.test("pair path: auto takes the kernel, scalar is exactly pairScores, the choice is visible", () => {
  const p = randomInputs({ nu: 6, ni: 5, hidden: 9, views: 2, common: true, gated: true }, 5);
  try {
    setPairPath("auto");
    assert.equal(pairPath(), "simd");
    assert.match(describePairPath(), /^simd \(auto; pair\.wasm/);
    assert.ok(maxRelDiff(scorePairs(p), pairScores(p)) <= 1e-5);
    setPairPath("scalar");
    assert.equal(pairPath(), "scalar");
    assert.match(describePairPath(), /^scalar \(set to scalar\)/);
    assert.deepEqual(scorePairs(p), pairScores(p));
    setPairPath("simd");
    assert.equal(pairPath(), "simd");
  } finally {
    setPairPath("auto");
  }
});

Deno.test("M2VAE's exact scorer gives the same metrics on either pair path", async () => {
  await initTf();
  const { ds, split } = await tinySetup(2);
  const model = smallModel(ds, split);
  try {
    train(model, split, 5);
    const scorer = model.scorer();
    const run = async (path: "simd" | "scalar") => {
      setPairPath(path);
      return {
        i2u: (await evaluate(scorer, split, "test", "item2user")).metrics,
        u2i: (await evaluate(scorer, split, "test", "user2item")).metrics,
        raw: await scorer.score(split.trainUsers, split.testItems),
      };
    };
    const scalar = await run("scalar"), simd = await run("simd");
    assert.ok(maxRelDiff(simd.raw, scalar.raw) <= 1e-5);
    for (const key of ["i2u", "u2i"] as const) {
      for (const [m, v] of Object.entries(scalar[key])) {
        assert.ok(
          Math.abs(simd[key][m] - v) <= 1e-9,
          `${key} ${m}: simd ${simd[key][m]}, scalar ${v}`,
        );
      }
    }
  } finally {
    setPairPath("auto");
    model.dispose();
  }
});

Deno.test("without read permission for pair.wasm, scoring falls back to the scalar path unprompted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/fallback.ts`;
    await Deno.writeTextFile(
      script,
      `import { describePairPath, scorePairs } from "${new URL(
        "./pair_kernel.ts",
        import.meta.url,
      )}";
const s = scorePairs({ nu: 1, ni: 1, hidden: 1, cond: new Float32Array([1]), mCom: null,
  mViews: [], logits: null, commonWeight: null, wHat: new Float32Array([2]), bias: new Float32Array([0.5]) });
console.log(describePairPath() + " -> " + s[0]);\n`,
    );
    const config = new URL("../../../deno.json", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", config, script],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(text, /^scalar \(auto; pair\.wasm not loaded: no read permission .* -> 2\.5$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
