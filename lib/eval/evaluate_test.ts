import assert from "node:assert/strict";
import { Rng } from "../rng/mod.ts";
import { tinyDataset } from "../split/_test_utils.ts";
import { coldItemSplit } from "../split/cold_split.ts";
import type { ColdSplit } from "../split/types.ts";
import { evaluate } from "./evaluate.ts";
import { item2userMetrics, perQueryMetrics } from "./metrics.ts";
import type { Scorer } from "./scorer.ts";
import { tieOrder } from "./top_k.ts";

// 90 users, 160 items, 5-12 interactions each; items 150..159 never interacted with.
const ds = tinyDataset(90, 160, 9, 7, 150);
const split = coldItemSplit(ds, { seed: 2 });

/** A fixed score matrix with many ties (20 levels), scored pair by pair. */
function matrixScorer(numUsers: number, numItems: number, seed: number, levels = 20) {
  const rng = new Rng(seed);
  const m = Float32Array.from({ length: numUsers * numItems }, () => rng.int(levels) / levels);
  const calls: { users: Int32Array; items: Int32Array }[] = [];
  const scorer: Scorer = {
    score(users, items) {
      calls.push({ users: users.slice(), items: items.slice() });
      const out = new Float32Array(users.length * items.length);
      users.forEach((u, r) =>
        items.forEach((i, c) => out[r * items.length + c] = m[u * numItems + i])
      );
      return Promise.resolve(out);
    },
  };
  return { scorer, calls, m };
}

/** Scores 1 for the part's positive pairs, 0 otherwise. */
function perfectScorer(s: ColdSplit, part: "valid" | "test"): Scorer {
  const pos = new Set<number>();
  for (let k = 0; k < s[part].users.length; k++) {
    pos.add(s[part].users[k] * s.numItems + s[part].items[k]);
  }
  return {
    score(users, items) {
      const out = new Float32Array(users.length * items.length);
      users.forEach((u, r) =>
        items.forEach((i, c) => out[r * items.length + c] = pos.has(u * s.numItems + i) ? 1 : 0)
      );
      return Promise.resolve(out);
    },
  };
}

Deno.test("evaluate: metrics do not depend on userChunk × itemChunk", async () => {
  const { scorer } = matrixScorer(split.numUsers, split.numItems, 5);
  for (const protocol of ["item2user", "user2item"] as const) {
    const runs = [];
    for (const [userChunk, itemChunk] of [[1, 1], [7, 3], [4096, 256]]) {
      runs.push(await evaluate(scorer, split, "test", protocol, { userChunk, itemChunk }));
    }
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
    assert.ok(runs[0].metrics[protocol === "item2user" ? "HR@5" : "Recall@5"] > 0);
  }
});

Deno.test("evaluate item2user: a perfect scorer reaches the expected maxima", async () => {
  const r = await evaluate(perfectScorer(split, "test"), split, "test", "item2user", {
    ks: [5, 20],
  });
  const train = new Set(split.trainUsers);
  let items = 0, hits5 = 0, hits20 = 0, withHit = 0;
  for (const i of split.testItems) {
    const gt = new Set<number>();
    split.test.items.forEach((it, k) =>
      it === i && train.has(split.test.users[k]) && gt.add(split.test.users[k])
    );
    items++;
    hits5 += Math.min(gt.size, 5);
    hits20 += Math.min(gt.size, 20);
    if (gt.size > 0) withHit++;
  }
  assert.equal(r.queries, split.testItems.length);
  assert.equal(r.protocol, "item2user");
  assert.equal(r.part, "test");
  assert.equal(r.metrics["HR@5"], hits5 / (items * 5));
  assert.equal(r.metrics["HR@20"], hits20 / (items * 20));
  assert.equal(r.metrics["NDCG@5"], withHit / items);
  assert.deepEqual(Object.keys(r.metrics), ["HR@5", "NDCG@5", "HR@20", "NDCG@20"]);
});

Deno.test("evaluate user2item: a perfect scorer reaches the expected maxima", async () => {
  const r = await evaluate(perfectScorer(split, "valid"), split, "valid", "user2item", { ks: [3] });
  const perUser = new Map<number, number>();
  for (const u of split.valid.users) perUser.set(u, (perUser.get(u) ?? 0) + 1);
  let recall = 0, precision = 0;
  for (const p of perUser.values()) {
    recall += Math.min(p, 3) / p;
    precision += Math.min(p, 3) / 3;
  }
  assert.equal(r.queries, perUser.size);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  close(r.metrics["Recall@3"], recall / perUser.size);
  close(r.metrics["Precision@3"], precision / perUser.size);
  close(r.metrics["NDCG@3"], 1);
  close(r.metrics["HitRate@3"], 1);
});

Deno.test("evaluate item2user asks only about the part's cold items and training users", async () => {
  const { scorer, calls } = matrixScorer(split.numUsers, split.numItems, 1);
  await evaluate(scorer, split, "test", "item2user", { userChunk: 16, itemChunk: 5 });
  const test = new Set(split.testItems), train = new Set(split.trainUsers);
  const seenUsers = new Set<number>(), seenItems = new Set<number>();
  for (const c of calls) {
    assert.ok(c.users.length <= 16 && c.items.length <= 5);
    for (const i of c.items) assert.ok(test.has(i), `item ${i} is not a cold test item`);
    for (const u of c.users) assert.ok(train.has(u), `user ${u} is not a training user`);
    c.users.forEach((u) => seenUsers.add(u));
    c.items.forEach((i) => seenItems.add(i));
  }
  assert.equal(seenUsers.size, train.size); // every training user is ranked
  assert.equal(seenItems.size, test.size);
});

Deno.test("evaluate user2item ranks only the part's cold items by default", async () => {
  const { scorer, calls } = matrixScorer(split.numUsers, split.numItems, 1);
  const r = await evaluate(scorer, split, "valid", "user2item", { userChunk: 8, itemChunk: 4 });
  const valid = new Set(split.validItems), partUsers = new Set(split.valid.users);
  for (const c of calls) {
    assert.ok(c.users.length <= 8 && c.items.length <= 4);
    for (const i of c.items) assert.ok(valid.has(i));
    for (const u of c.users) assert.ok(partUsers.has(u));
  }
  assert.equal(r.queries, partUsers.size);
  const trainOnly = await evaluate(scorer, split, "valid", "user2item", { trainUsersOnly: true });
  const expected = [...partUsers].filter((u) => split.trainUsers.includes(u)).length;
  assert.equal(trainOnly.queries, expected);
});

Deno.test("evaluate user2item: candidateItems masks the user's training items with -Infinity", async () => {
  const { m } = matrixScorer(split.numUsers, split.numItems, 3, 1000);
  const trained = new Set<number>();
  for (let k = 0; k < split.train.users.length; k++) {
    trained.add(split.train.users[k] * split.numItems + split.train.items[k]);
  }
  const cold = new Set(split.testItems);
  // Own training items score highest, every non-test item lowest, test items in between.
  const scorer: Scorer = {
    score(users, items) {
      const out = new Float32Array(users.length * items.length);
      users.forEach((u, r) =>
        items.forEach((i, c) => {
          const key = u * split.numItems + i;
          out[r * items.length + c] = trained.has(key) ? 100 : cold.has(i) ? m[key] : -100;
        })
      );
      return Promise.resolve(out);
    },
  };
  const all = Int32Array.from({ length: split.numItems }, (_, i) => i);
  const base = await evaluate(scorer, split, "test", "user2item", { ks: [5, 10] });
  const full = await evaluate(scorer, split, "test", "user2item", {
    ks: [5, 10],
    candidateItems: all,
  });
  assert.deepEqual(full, base);
  await assert.rejects(
    () => evaluate(scorer, split, "test", "user2item", { candidateItems: split.validItems }),
    /is not a candidate/,
  );
});

Deno.test("evaluate rejects bad options and bad scorer answers", async () => {
  const { scorer } = matrixScorer(split.numUsers, split.numItems, 1);
  await assert.rejects(() => evaluate(scorer, split, "test", "item2user", { ks: [0] }), /ks/);
  await assert.rejects(
    () => evaluate(scorer, split, "test", "item2user", { userChunk: 0 }),
    /userChunk/,
  );
  await assert.rejects(
    () => evaluate(scorer, split, "test", "bogus" as "item2user"),
    /Invalid protocol/,
  );
  const short: Scorer = { score: () => Promise.resolve(new Float32Array(1)) };
  await assert.rejects(
    () => evaluate(short, split, "test", "item2user"),
    /Scorer returned 1 scores/,
  );
  const nan: Scorer = {
    score: (u, i) => Promise.resolve(new Float32Array(u.length * i.length).fill(NaN)),
  };
  await assert.rejects(() => evaluate(nan, split, "test", "user2item"), /NaN/);
});

Deno.test("evaluate: constant scores rank each item's users in the hashed tie order, whatever the blocks", async () => {
  const constant: Scorer = {
    score: (u, i) => Promise.resolve(new Float32Array(u.length * i.length).fill(0.5)),
  };
  const opts = (userChunk: number, itemChunk: number) => ({ ks: [3], userChunk, itemChunk });
  const r = await evaluate(constant, split, "test", "item2user", opts(5, 2));
  // Each test item's top 3: the training users first in tieOrder(item, user).
  let hits = 0;
  for (const item of split.testItems) {
    const top = new Set(
      [...split.trainUsers].sort((a, b) => tieOrder(item, a) - tieOrder(item, b)).slice(0, 3),
    );
    for (let k = 0; k < split.test.users.length; k++) {
      if (split.test.items[k] === item && top.has(split.test.users[k])) hits++;
    }
  }
  assert.equal(r.metrics["HR@3"], hits / (split.testItems.length * 3));
  const other = await evaluate(constant, split, "test", "item2user", opts(3, 7));
  assert.deepEqual(other.metrics, r.metrics);
});

Deno.test("evaluate keepLists: every query's top and relevance, which give back the metrics", async () => {
  const { scorer } = matrixScorer(split.numUsers, split.numItems, 9);
  const plain = await evaluate(scorer, split, "test", "item2user");
  assert.equal(plain.lists, undefined);
  const r = await evaluate(scorer, split, "test", "item2user", { keepLists: true });
  assert.deepEqual(r.metrics, plain.metrics);
  const l = r.lists!;
  assert.equal(l.ids.length, r.queries);
  const truth = new Set<number>();
  for (let p = 0; p < split.test.users.length; p++) {
    truth.add(split.test.items[p] * split.numUsers + split.test.users[p]);
  }
  l.ids.forEach((item, q) => {
    assert.equal(l.top[q].length, 20);
    assert.deepEqual(
      [...l.rels[q]],
      [...l.top[q]].map((u) => truth.has(item * split.numUsers + u) ? 1 : 0),
    );
    assert.equal(l.positives[q], split.test.items.filter((i) => i === item).length);
  });
  assert.deepEqual(item2userMetrics(l.rels, [5, 10, 20]), r.metrics);
  const u = await evaluate(scorer, split, "test", "user2item", { keepLists: true });
  assert.equal(u.lists!.ids.length, u.queries);
  assert.equal(u.lists!.positives.reduce((a, b) => a + b, 0), split.test.users.length);
});

Deno.test("perQueryMetrics: the per-query values average to the protocol's metrics", async () => {
  for (const protocol of ["item2user", "user2item"] as const) {
    const r = await evaluate(
      matrixScorer(split.numUsers, split.numItems, 4).scorer,
      split,
      "test",
      protocol,
      { keepLists: true },
    );
    const per = perQueryMetrics(r.lists!, protocol, [5, 10, 20]);
    for (const [name, v] of Object.entries(r.metrics)) {
      const mean = per[name].reduce((s, x) => s + x, 0) / per[name].length;
      assert.ok(Math.abs(mean - v) < 1e-12, `${protocol} ${name}: ${mean} against ${v}`);
    }
    assert.deepEqual(
      Object.keys(per).filter((n) => n.endsWith("@5")),
      protocol === "item2user"
        ? ["HR@5", "NDCG@5", "Reach@5"]
        : ["Recall@5", "Precision@5", "NDCG@5", "HitRate@5"],
    );
  }
});
