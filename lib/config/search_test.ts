import assert from "node:assert/strict";
import { ConfigError } from "./check.ts";
import {
  expandSearch,
  parseSearch,
  parseTuneSpace,
  pointLabel,
  type SearchPoint,
  tuneConfigurations,
} from "./search.ts";

const FILE = "exp.yaml";

function throwsAt(fn: () => unknown, path: string, detail?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    assert.equal(e.path, path);
    assert.ok(e.message.includes(`"${path}"`), e.message);
    assert.ok(e.message.startsWith(`${FILE}:`), e.message);
    if (detail) assert.match(e.message, detail);
    return true;
  });
}

Deno.test("parseSearch: absent block is one empty grid point", () => {
  for (const raw of [undefined, null]) {
    const s = parseSearch(raw, FILE);
    assert.equal(s.method, "grid");
    assert.deepEqual(s.axes, []);
    assert.deepEqual(expandSearch(s), [{}]);
  }
  // An explicit but empty space is also a single empty point.
  assert.deepEqual(expandSearch(parseSearch({ space: {} }, FILE)), [{}]);
  assert.equal(pointLabel({}), "");
});

Deno.test("parseSearch: axis names become keys and scopes", () => {
  const s = parseSearch(
    { space: { alpha: [1], "m2vae.beta": [2], "cp,cn": [[3, 4]], "settings.lr": [0.1] } },
    FILE,
  );
  assert.deepEqual(
    s.axes.map((a) => [a.name, a.scope, a.keys]),
    [
      ["alpha", "*", ["alpha"]],
      ["m2vae.beta", "m2vae", ["beta"]],
      ["cp,cn", "*", ["cp", "cn"]],
      ["settings.lr", "settings", ["lr"]],
    ],
  );
  assert.deepEqual(s.axes[2].values, [[3, 4]]);
  assert.deepEqual(s.axes[0].values, [[1]]);
});

Deno.test("expandSearch: grid is the cartesian product, paired axis moves together", () => {
  const s = parseSearch(
    {
      method: "grid",
      space: { alpha: [1, 10], "m2vae.beta": [0.1, 0.5, 1], "cp,cn": [[5, 20], [10, 40]] },
    },
    FILE,
  );
  const pts = expandSearch(s);
  assert.equal(pts.length, 2 * 3 * 2);
  // First axis varies slowest.
  assert.deepEqual(pts[0], { alpha: [1], "m2vae.beta": [0.1], "cp,cn": [5, 20] });
  assert.deepEqual(pts[1], { alpha: [1], "m2vae.beta": [0.1], "cp,cn": [10, 40] });
  assert.deepEqual(pts[11], { alpha: [10], "m2vae.beta": [1], "cp,cn": [10, 40] });
  // Every combination exactly once; cp and cn never mix across pairs.
  const ids = new Set(pts.map((p) => JSON.stringify(p)));
  assert.equal(ids.size, 12);
  for (const a of [1, 10]) {
    for (const b of [0.1, 0.5, 1]) {
      for (const pair of [[5, 20], [10, 40]]) {
        assert.ok(ids.has(JSON.stringify({ alpha: [a], "m2vae.beta": [b], "cp,cn": pair })));
      }
    }
  }
  assert.ok(pts.every((p) => p["cp,cn"][1] === (p["cp,cn"][0] as number) * 4));
});

Deno.test("expandSearch: random search is deterministic for a seed and draws budget distinct points", () => {
  const raw = (seed: number) => ({
    method: "random",
    budget: 12,
    seed,
    space: {
      lr: { log: [1e-4, 1e-1] },
      dim: { int: [2, 5] },
      tau: { uniform: [0.5, 2] },
      "cp,cn": [[5, 20], [10, 40]],
    },
  });
  const a = expandSearch(parseSearch(raw(7), FILE));
  const b = expandSearch(parseSearch(raw(7), FILE));
  const c = expandSearch(parseSearch(raw(8), FILE));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a.length, 12);
  assert.equal(new Set(a.map((p) => JSON.stringify(p))).size, 12);
  for (const p of a) {
    assert.deepEqual(Object.keys(p), ["lr", "dim", "tau", "cp,cn"]);
    assert.ok(
      [[5, 20], [10, 40]].some((q) => JSON.stringify(q) === JSON.stringify(p["cp,cn"])),
    );
  }
});

Deno.test("expandSearch: random draws respect log and int bounds", () => {
  const s = parseSearch(
    {
      method: "random",
      budget: 200,
      seed: 3,
      space: { lr: { log: [1e-4, 1e-1] }, dim: { int: [2, 5] }, tau: { uniform: [0.5, 2] } },
    },
    FILE,
  );
  const pts = expandSearch(s);
  assert.equal(pts.length, 200);
  const lrs = pts.map((p) => p.lr[0] as number);
  const dims = pts.map((p) => p.dim[0] as number);
  const taus = pts.map((p) => p.tau[0] as number);
  assert.ok(lrs.every((v) => v >= 1e-4 && v <= 1e-1), "log axis out of bounds");
  assert.ok(taus.every((v) => v >= 0.5 && v <= 2), "uniform axis out of bounds");
  assert.ok(dims.every((v) => Number.isInteger(v) && v >= 2 && v <= 5), "int axis out of bounds");
  // Both ends of the integer range are reachable.
  assert.deepEqual([...new Set(dims)].sort(), [2, 3, 4, 5]);
  // Log-uniform: about a third of the draws lie in each decade.
  const below1e3 = lrs.filter((v) => v < 1e-3).length;
  assert.ok(below1e3 > 40 && below1e3 < 95, `draws below 1e-3: ${below1e3}`);
});

Deno.test("expandSearch: random search over a space smaller than budget stops at the space size", () => {
  const s = parseSearch(
    { method: "random", budget: 10, space: { alpha: [1, 2], beta: [3, 4] } },
    FILE,
  );
  const pts = expandSearch(s);
  assert.equal(pts.length, 4);
  assert.equal(new Set(pts.map((p) => JSON.stringify(p))).size, 4);
});

Deno.test("parseSearch: unknown key under search names search.<key>", () => {
  throwsAt(
    () => parseSearch({ method: "grid", spaces: { a: [1] } }, FILE),
    "search.spaces",
    /unknown key/,
  );
});

Deno.test("parseSearch: a range with method grid is rejected naming the axis", () => {
  throwsAt(
    () => parseSearch({ space: { lr: { log: [1e-4, 1e-2] } } }, FILE),
    "search.space.lr",
    /method: random/,
  );
  throwsAt(
    () => parseSearch({ method: "grid", space: { "m2vae.dim": { int: [1, 4] } } }, FILE),
    "search.space.m2vae.dim",
  );
});

Deno.test("parseSearch: a paired value of wrong arity names the axis", () => {
  throwsAt(
    () => parseSearch({ space: { "cp,cn": [[5, 20], [10]] } }, FILE),
    "search.space.cp,cn",
    /2 items/,
  );
  throwsAt(() => parseSearch({ space: { "cp,cn": [5, 20] } }, FILE), "search.space.cp,cn");
  throwsAt(() => parseSearch({ space: { "cp,cn": [[1, 2, 3]] } }, FILE), "search.space.cp,cn");
});

Deno.test("parseSearch: bad axis values and ranges name the axis", () => {
  throwsAt(() => parseSearch({ space: { alpha: [] } }, FILE), "search.space.alpha", /no values/);
  throwsAt(() => parseSearch({ space: { alpha: 3 } }, FILE), "search.space.alpha");
  throwsAt(() => parseSearch({ space: { "bad-key": [1] } }, FILE), "search.space.bad-key");
  const random = (v: unknown) => () => parseSearch({ method: "random", space: { x: v } }, FILE);
  throwsAt(random({ log: [0, 1] }), "search.space.x"); // log needs lo > 0
  throwsAt(random({ uniform: [2, 1] }), "search.space.x"); // lo < hi
  throwsAt(random({ normal: [0, 1] }), "search.space.x"); // unknown kind
  throwsAt(random({ int: [1] }), "search.space.x");
  throwsAt(
    () => parseSearch({ method: "random", space: { "a,b": { uniform: [0, 1] } } }, FILE),
    "search.space.a,b",
  );
});

Deno.test("parseSearch: bad method and non-positive budget", () => {
  throwsAt(
    () => parseSearch({ method: "bayes" }, FILE),
    "search.method",
    /"grid", "random" or "tune"/,
  );
  for (const budget of [0, -3, 2.5, "5"]) {
    throwsAt(
      () => parseSearch({ method: "random", budget, space: { a: [1, 2] } }, FILE),
      "search.budget",
      /positive integer/,
    );
  }
  throwsAt(() => parseSearch({ seed: 1.5 }, FILE), "search.seed");
  throwsAt(() => parseSearch([1, 2], FILE), "search");
  throwsAt(() => parseSearch({ space: [1] }, FILE), "search.space");
});

Deno.test("pointLabel: key=value, paired values in parentheses, in axis order", () => {
  const p: SearchPoint = { alpha: [10], "m2vae.beta": [0.5], "cp,cn": [5, 20] };
  assert.equal(pointLabel(p), "alpha=10, m2vae.beta=0.5, cp,cn=(5, 20)");
  assert.equal(pointLabel({ "settings.lr": [0.001] }), "settings.lr=0.001");
});

Deno.test("parseSearch tune: eta and rungs; parseTuneSpace scopes keys to the model or settings", () => {
  const s = parseSearch({ method: "tune", budget: 8, eta: 2, rungs: [2, 5] }, FILE);
  assert.deepEqual([s.method, s.budget, s.eta, s.rungs, s.axes], ["tune", 8, 2, [2, 5], []]);
  assert.equal(parseSearch({ method: "tune" }, FILE).eta, 3);
  throwsAt(
    () => parseSearch({ method: "tune", rungs: [5, 2] }, FILE),
    "search.rungs",
    /increasing/,
  );
  throwsAt(() => parseSearch({ method: "random", eta: 2 }, FILE), "search.eta", /only/);
  const axes = parseTuneSpace(
    { "settings.lr": { log: [1e-4, 1e-2] }, "cp,cn": [[5, 20]] },
    "m.yaml",
    "m2vae",
  );
  assert.deepEqual(axes.map((a) => [a.scope, a.keys, a.path]), [
    ["settings", ["lr"], "tune.settings.lr"],
    ["m2vae", ["cp", "cn"], "tune.cp,cn"],
  ]);
  assert.throws(
    () => parseTuneSpace({ "clcrec.tau": [1] }, "m.yaml", "m2vae"),
    /tune\.clcrec\.tau/,
  );
  assert.throws(() => parseTuneSpace({ tau: { log: [0, 1] } }, "m.yaml", "m2vae"), /tune\.tau/);
});

Deno.test("tuneConfigurations: one wording of a tuned row's budget for the plan and the caption", () => {
  assert.equal(
    tuneConfigurations({ budget: 6, defaults: true, presets: false }),
    "its defaults and 5 draws from its model's tune: space",
  );
  assert.equal(
    tuneConfigurations({ budget: 6, defaults: false, presets: false }),
    "all drawn from its model's tune: space",
  );
  assert.equal(
    tuneConfigurations({ budget: 6, defaults: true, presets: true }),
    "its defaults, its model's presets if it has any, and draws from its model's tune: space for the rest",
  );
});
