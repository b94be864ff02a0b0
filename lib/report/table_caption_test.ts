import assert from "node:assert/strict";
import {
  SIGNIFICANCE_NOTE,
  significanceNote,
  splitLabel,
  table3Caption,
  type TableMeta,
} from "./table_caption.ts";

const meta: TableMeta = {
  protocol: "item2user",
  part: "test",
  splits: { ml: splitLabel({ description: "item split 70/15/15 seed=1", fingerprint: "0123" }) },
  seeds: [1, 2],
  codeVersion: "abc1234",
};

Deno.test("splitLabel: the split's description and its fingerprint", () => {
  assert.equal(
    splitLabel({ description: "item split 70/15/15 seed=1", fingerprint: "0123" }),
    "item split 70/15/15 seed=1 [split 0123]",
  );
});

Deno.test("table3Caption: part, protocol, splits of the datasets shown, seeds, version, note", () => {
  const caption = table3Caption({ ...meta, note: "Baselines\nre-run." }, ["ml"]);
  assert.match(caption, /^Part: cold test items\. Protocol: item2user \(the paper's/);
  assert.match(caption, /Splits: ml: item split 70\/15\/15 seed=1 \[split 0123\]\./);
  assert.match(caption, /Seeds: 1, 2 \(cells are mean ± sample std over 2 seeds\)\./);
  assert.match(
    caption,
    /Code version: abc1234\. Best per column in bold, second-best underlined\./,
  );
  assert.match(caption, / Baselines re-run\.$/);
  assert.match(table3Caption({ ...meta, seeds: [7] }, ["ml"]), /\(cells are single-seed values\)/);
});

Deno.test("table3Caption: user2item names its candidates; valid is the cold validation part", () => {
  const u2i = { ...meta, protocol: "user2item" as const, part: "valid" as const };
  assert.match(table3Caption(u2i, ["ml"]), /^Part: cold validation items\. Protocol: user2item/);
  assert.match(table3Caption(u2i, ["ml"]), /Candidates: all cold items, validation and test/);
  assert.match(
    table3Caption({ ...u2i, candidates: "part" }, ["ml"]),
    /Candidates: the evaluated part's cold items only\./,
  );
  assert.doesNotMatch(table3Caption(meta, ["ml"]), /Candidates/);
  // Rows that rank different sets: each set with its rows, never one set for all.
  const mixed = table3Caption({ ...u2i, candidates: "part: A; all-cold: B, C" }, ["ml"]);
  assert.match(mixed, /Candidates differ by row \(.*\): part: A; all-cold: B, C\./);
  assert.doesNotMatch(mixed, /Candidates: all cold items/);
});

Deno.test("significanceNote: seeds only, over the queries too, and both in one table", () => {
  assert.equal(
    significanceNote({ overQueries: false, seedsOnly: true }, "items"),
    SIGNIFICANCE_NOTE,
  );
  const users = significanceNote({ overQueries: true, seedsOnly: false }, "users");
  assert.match(users, /lead over it per test user \(each user's metric the mean over seeds\)/);
  assert.match(users, /has a 95 % bootstrap interval above 0\.$/);
  const mixed = significanceNote({ overQueries: true, seedsOnly: true }, "items");
  assert.match(
    mixed,
    /per test item .* where the trials kept their metrics per query \(seeds only elsewhere\)\.$/,
  );
});
