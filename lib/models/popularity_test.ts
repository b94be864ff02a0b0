import assert from "node:assert/strict";
import { evaluate } from "../eval/mod.ts";
import { Rng } from "../rng/mod.ts";
import { conformanceFixture, conformanceTests } from "./_conformance.ts";
import { popularitySpec } from "./popularity.ts";

conformanceTests(popularitySpec, {}, { trains: false });

Deno.test("Popularity: a user's score for every item is the user's count of training interactions", async () => {
  const { ds, split } = await conformanceFixture();
  const m = popularitySpec.create({}, { dataset: ds, split, rng: new Rng(1) });
  const counts = new Map<number, number>();
  for (const u of split.train.users) counts.set(u, (counts.get(u) ?? 0) + 1);
  const users = Int32Array.from({ length: split.numUsers }, (_, u) => u);
  const items = Int32Array.from([split.testItems[0], split.validItems[0], split.trainItems[0]]);
  const s = await m.scorer().score(users, items);
  for (const u of users) {
    for (let b = 0; b < items.length; b++) {
      assert.equal(s[u * items.length + b], counts.get(u) ?? 0, `user ${u}`);
    }
  }
});

Deno.test("Popularity: under item2user it beats its own reversal; under user2item every item ties", async () => {
  const { ds, split } = await conformanceFixture();
  const m = popularitySpec.create({}, { dataset: ds, split, rng: new Rng(1) });
  const reversed = {
    score: async (users: Int32Array, items: Int32Array) =>
      (await m.scorer().score(users, items)).map((v) => -v),
  };
  const opts = { userChunk: 50 };
  const pop = await evaluate(m.scorer(), split, "test", "item2user", opts);
  const rev = await evaluate(reversed, split, "test", "item2user", opts);
  // Active users hold most of the held-out interactions, so ranking them first is a strong floor.
  assert.ok(pop.metrics["NDCG@10"] > rev.metrics["NDCG@10"], `${pop.metrics["NDCG@10"]}`);
  const users = split.trainUsers.subarray(0, 3), cold = split.testItems;
  const s = await m.scorer().score(users, cold);
  for (let a = 0; a < users.length; a++) {
    const row = s.subarray(a * cold.length, (a + 1) * cold.length);
    assert.ok(row.every((v) => v === row[0]));
  }
});
