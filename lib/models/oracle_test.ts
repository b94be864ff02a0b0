import assert from "node:assert/strict";
import { plantedUtility } from "../data/planted.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { loadDataset } from "../data/mod.ts";
import { evaluate } from "../eval/mod.ts";
import { Rng } from "../rng/mod.ts";
import { coldItemSplit } from "../split/mod.ts";
import { initTf } from "../tf/mod.ts";
import { conformanceTests } from "./_conformance.ts";
import { oracleSpec } from "./oracle.ts";
import { randomSpec } from "./random.ts";

const SALIENT = {
  kind: "synthetic",
  users: 300,
  items: 240,
  seed: 3,
  viewTemperature: 0.25,
  uniqueScale: 2,
  viewSalience: 1.5,
} as const;

async function ndcg(variant: string, spec = SALIENT) {
  await initTf();
  const ds = await loadDataset(spec);
  const split = coldItemSplit(ds, { seed: 0 });
  const m = oracleSpec.create({ variant }, { dataset: ds, split, rng: new Rng(1) });
  const r = await evaluate(m.scorer(), split, "test", "item2user", { userChunk: 64 });
  return r.metrics["NDCG@10"];
}

conformanceTests(oracleSpec, { variant: "full" }, { trains: false });

Deno.test("planted oracle: its scores are the generator's utilities, weighted as the variant says", async () => {
  await initTf();
  const { dataset: ds, latent } = generateSynthetic({ ...SALIENT });
  const split = coldItemSplit(ds, { seed: 0 });
  const users = Int32Array.from([0, 5, 17]),
    items = Int32Array.from(split.testItems.subarray(0, 4));
  const scratch = new Float64Array(latent.views.length);
  for (const [variant, weighting] of [["full", "pair"], ["common only", "common"]] as const) {
    const m = oracleSpec.create({ variant }, { dataset: ds, split, rng: new Rng(1) });
    const s = await m.scorer().score(users, items);
    users.forEach((u, a) =>
      items.forEach((i, b) => {
        const want = plantedUtility(latent, u, i, weighting, scratch);
        assert.ok(Math.abs(s[a * items.length + b] - want) < 1e-4, `${variant} (${u}, ${i})`);
      })
    );
  }
});

Deno.test("planted oracle: the true weights rank best, and the item's salience is worth something only where the weights depend on it", async () => {
  const full = await ndcg("full"), user = await ndcg("w/o salience");
  const equal = await ndcg("equal views"), common = await ndcg("common only");
  // Users weigh the views very differently here, so their weights matter more than the item's.
  assert.ok(full > user, `full ${full} vs w/o salience ${user}`);
  assert.ok(user > equal + 0.05, `w/o salience ${user} vs equal views ${equal}`);
  assert.ok(equal > common + 0.05, `equal views ${equal} vs common only ${common}`);
  // Without salience the users' weights are the whole story: the two rows coincide.
  const { viewSalience: _, ...plain } = SALIENT;
  assert.equal(
    await ndcg("full", plain as typeof SALIENT),
    await ndcg("w/o salience", plain as typeof SALIENT),
  );
  // And every oracle row is far above a random ranking.
  const ds = await loadDataset(SALIENT);
  const split = coldItemSplit(ds, { seed: 0 });
  const rnd = randomSpec.create({}, { dataset: ds, split, rng: new Rng(1) });
  const r = await evaluate(rnd.scorer(), split, "test", "item2user", { userChunk: 64 });
  assert.ok(common > r.metrics["NDCG@10"], `common ${common} vs random ${r.metrics["NDCG@10"]}`);
});

Deno.test("planted oracle: a dataset without planted utilities is a clear error", async () => {
  await initTf();
  const ds = await loadDataset(SALIENT);
  const split = coldItemSplit(ds, { seed: 0 });
  const { truth: _, ...plain } = ds;
  assert.throws(
    () => oracleSpec.create({ variant: "full" }, { dataset: plain, split, rng: new Rng(1) }),
    /planted oracle needs a generated dataset.*no planted utilities/,
  );
});
