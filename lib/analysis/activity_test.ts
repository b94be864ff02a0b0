import * as assert from "node:assert/strict";
import { activityShare, mostActiveUsers, sharedRanking } from "./activity.ts";
import type { ColdSplit } from "../split/types.ts";
import { functionScorer } from "./_scorer.ts";

// 20 users, user u with u + 1 training interactions (so users 19 and 18 are the 10 % most
// active); warm items 0–4, cold validation items 5–7 with two users each.
function split(): ColdSplit {
  const tu: number[] = [], ti: number[] = [];
  for (let u = 0; u < 20; u++) for (let n = 0; n <= u; n++) (tu.push(u), ti.push(n % 5));
  const valid = {
    users: Int32Array.from([19, 3, 4, 5, 18, 6]),
    items: Int32Array.from([5, 5, 6, 6, 7, 7]),
  };
  return {
    numUsers: 20,
    numItems: 8,
    trainItems: Int32Array.from([0, 1, 2, 3, 4]),
    validItems: Int32Array.from([5, 6, 7]),
    testItems: new Int32Array(0),
    train: { users: Int32Array.from(tu), items: Int32Array.from(ti) },
    valid,
    test: { users: new Int32Array(0), items: new Int32Array(0) },
    trainUsers: Int32Array.from({ length: 20 }, (_, u) => u),
    description: "hand-made",
    fingerprint: "x",
  };
}

const scorer = functionScorer;

Deno.test("mostActiveUsers: the top fraction by training degree, ties at the cut included", () => {
  const s = split();
  assert.deepEqual([...mostActiveUsers(s, 0.1)].sort((a, b) => a - b), [18, 19]);
  assert.equal(mostActiveUsers(s, 1).size, 20);
  // Every user tied: the cut takes them all.
  const flat = {
    ...s,
    train: { users: Int32Array.from({ length: 20 }, (_, u) => u), items: new Int32Array(20) },
  };
  assert.equal(mostActiveUsers(flat, 0.1).size, 20);
  assert.throws(() => mostActiveUsers(s, 0), RangeError);
});

Deno.test("activityShare: 1 for a ranking by activity, the truth's share for a ranking by the truth", async () => {
  const s = split();
  const truth = new Set([...s.valid.users].map((u, p) => `${u},${s.valid.items[p]}`));
  const byActivity = await activityShare(scorer((u) => u), s, "valid", { k: 2 });
  assert.equal(byActivity.ranked, 1);
  // Two of the six true pairs (19 on item 5, 18 on item 7) are the most active users'.
  assert.equal(byActivity.positives, 2 / 6);
  assert.equal(byActivity.activeUsers, 2);
  const byTruth = await activityShare(
    scorer((u, i) => truth.has(`${u},${i}`) ? 1 : 0),
    s,
    "valid",
    { k: 2 },
  );
  assert.equal(byTruth.ranked, byTruth.positives);
  const against = await activityShare(scorer((u) => -u), s, "valid", {
    k: 2,
    userChunk: 3,
    itemChunk: 1,
  });
  assert.equal(against.ranked, 0);
  await assert.rejects(() => activityShare(scorer(() => 0), s, "test"), RangeError);
});

Deno.test("sharedRanking: 1 when items differ by a shift or scale, √5/3 for two orthogonal user patterns", async () => {
  const s = split();
  // A per-user score, shifted and scaled per item: every item ranks the users alike.
  const alike = await sharedRanking(scorer((u, i) => (i + 1) * Math.sin(u) + 3 * i), s, "valid");
  assert.ok(Math.abs(alike.correlation - 1) < 1e-9, String(alike.correlation));
  assert.equal(alike.items, 3);
  // Items 5 and 7 rank the users by p, item 6 by q, two orthogonal, equally spread patterns over
  // the 20 users (mean 0): the users' mean is (2p + q)/3 → corr(p, m) = 2/√5 for the two p items
  // and 1/√5 for the q item, √5/3 on average.
  const p = (u: number) => (u % 2 === 0 ? 1 : -1);
  const q = (u: number) => (u % 4 < 2 ? 1 : -1);
  const halves = await sharedRanking(scorer((u, i) => (i === 6 ? q(u) : p(u))), s, "valid", {
    userChunk: 7,
    itemChunk: 2,
  });
  assert.ok(Math.abs(halves.correlation - (2 * 2 / Math.sqrt(5) + 1 / Math.sqrt(5)) / 3) < 1e-9);
  // Block sizes change nothing; an item that scores every user alike is left out.
  const flat = await sharedRanking(scorer((u, i) => (i === 7 ? 1 : p(u))), s, "valid");
  assert.ok(Math.abs(flat.correlation - 1) < 1e-9 && flat.items === 2, JSON.stringify(flat));
});
