import assert from "node:assert/strict";
import type { ResultRow } from "./aggregate.ts";
import { splitLabel, table3Markdown, type TableMeta } from "./table3.ts";

const meta: TableMeta = {
  protocol: "item2user",
  part: "test",
  splits: {
    ml: splitLabel({ description: "item split 70/15/15 seed=1", fingerprint: "0123456789abcdef" }),
    vg: "provided (/data/vg) [split fedcba9876543210]",
  },
  seeds: [1, 2],
  codeVersion: "abc1234",
};

function row(model: string, dataset: string, seed: number, hr5: number, n5: number): ResultRow {
  return {
    model,
    dataset,
    seed,
    metrics: { "HR@5": hr5, "NDCG@5": n5, "HR@10": hr5 / 2, "NDCG@10": n5 },
  };
}

const rows: ResultRow[] = [
  row("CCFCRec", "ml", 1, 0.29, 0.47),
  row("CCFCRec", "ml", 2, 0.31, 0.49),
  row("M2VAE", "ml", 1, 0.30, 0.50),
  row("M2VAE", "ml", 2, 0.32, 0.52),
  row("DropoutNet", "ml", 1, 0.20, 0.40),
  row("DropoutNet", "ml", 2, 0.22, 0.38),
  row("M2VAE", "vg", 1, 0.03, 0.10),
  row("M2VAE", "vg", 2, 0.04, 0.11),
  row("CCFCRec", "vg", 1, 0.035, 0.09),
  row("CCFCRec", "vg", 2, 0.045, 0.10),
];

function tableLines(md: string): string[][] {
  return md.split("\n").filter((l) => l.startsWith("|")).map((l) =>
    l.slice(1, -1).split("|").map((c) => c.trim())
  );
}

Deno.test("table3Markdown: layout, mean ± std, bold best and underlined second", () => {
  const md = table3Markdown(rows, meta);
  const [header, _sep, ...body] = tableLines(md);
  assert.deepEqual(header, [
    "Model",
    "ml HR@5",
    "ml NDCG@5",
    "ml HR@10",
    "ml NDCG@10",
    "vg HR@5",
    "vg NDCG@5",
    "vg HR@10",
    "vg NDCG@10",
  ]);
  assert.deepEqual(body.map((r) => r[0]), ["CCFCRec", "M2VAE", "DropoutNet"]);
  const [ccf, m2, drop] = body;
  // ml HR@5: M2VAE 0.31 (best), CCFCRec 0.30 (second), DropoutNet 0.21; std of (0.30, 0.32).
  assert.equal(m2[1], "**0.3100 ± 0.0141**");
  assert.equal(ccf[1], "<u>0.3000 ± 0.0141</u>");
  assert.equal(drop[1], "0.2100 ± 0.0141");
  // vg HR@5: CCFCRec 0.04 beats M2VAE 0.035; DropoutNet has no vg result.
  assert.equal(ccf[5], "**0.0400 ± 0.0071**");
  assert.equal(m2[5], "<u>0.0350 ± 0.0071</u>");
  assert.equal(drop[5], "–");
  // vg NDCG@5: M2VAE 0.105 vs CCFCRec 0.095.
  assert.equal(m2[6], "**0.1050 ± 0.0071**");
  assert.equal(ccf[6], "<u>0.0950 ± 0.0071</u>");
});

Deno.test("table3Markdown: a cell with fewer runs than seeds says how many", () => {
  const md = table3Markdown(rows.filter((r) => !(r.model === "M2VAE" && r.seed === 2)), meta);
  const m2 = tableLines(md).find((r) => r[0] === "M2VAE")!;
  assert.equal(m2[1], "**0.3000 (n=1)**"); // ties CCFCRec's 0.3000: both bold
});

Deno.test("table3Markdown: caption states protocol, HR meaning, part, splits, seeds, version", () => {
  const md = table3Markdown(rows, { ...meta, note: "Baselines re-run." });
  const caption = md.split("\n")[0];
  assert.match(caption, /Protocol: item2user \(the paper's/);
  assert.match(caption, /precision-style HR = hits \/ \(items × K\)/);
  assert.match(caption, /self-normalised NDCG/);
  assert.match(caption, /cold test items/);
  assert.match(caption, /ml: item split 70\/15\/15 seed=1 \[split 0123456789abcdef\]/);
  assert.match(caption, /vg: provided \(\/data\/vg\) \[split fedcba9876543210\]/);
  assert.match(caption, /Seeds: 1, 2 \(cells are mean ± sample std over 2 seeds\)/);
  assert.match(caption, /Code version: abc1234/);
  assert.match(caption, /Baselines re-run\.$/);
  assert.equal(md.split("\n")[1], "");
});

Deno.test("table3Markdown: one seed shows the bare mean; ties share the bold mark", () => {
  const one: ResultRow[] = [
    { model: "A", dataset: "ml", seed: 1, metrics: { "Recall@10": 0.5, "NDCG@10": 0.2 } },
    { model: "B", dataset: "ml", seed: 1, metrics: { "Recall@10": 0.5, "NDCG@10": 0.3 } },
    { model: "C", dataset: "ml", seed: 1, metrics: { "Recall@10": 0.4, "NDCG@10": 0.1 } },
  ];
  const md = table3Markdown(one, {
    ...meta,
    protocol: "user2item",
    seeds: [1],
    splits: { ml: "s" },
  }, ["Recall@10", "NDCG@10"]);
  const [, , a, b, c] = tableLines(md);
  assert.deepEqual(a, ["A", "**0.5000**", "<u>0.2000</u>"]);
  assert.deepEqual(b, ["B", "**0.5000**", "**0.3000**"]);
  assert.deepEqual(c, ["C", "<u>0.4000</u>", "0.1000"]);
  assert.match(md, /Protocol: user2item \(CLCRec\/ColdRec\)/);
  assert.match(md, /single-seed values/);
});

Deno.test("table3Markdown refuses mixed protocols and inconsistent input", () => {
  const u2i: ResultRow = { model: "X", dataset: "ml", seed: 1, metrics: { "Recall@10": 0.1 } };
  assert.throws(() => table3Markdown([...rows, u2i], meta), /two protocols/);
  assert.throws(
    () => table3Markdown([{ ...rows[0], protocol: "user2item" }], meta),
    /mixes protocols|two protocols/,
  );
  assert.throws(
    () => table3Markdown(rows, meta, ["Recall@10"]),
    /does not belong to the item2user protocol/,
  );
  assert.throws(() => table3Markdown([...rows, rows[0]], meta), /Duplicate/);
  assert.throws(() => table3Markdown([row("Z", "ml", 3, 0.1, 0.1)], meta), /seed 3/);
  assert.throws(() => table3Markdown([row("Z", "new", 1, 0.1, 0.1)], meta), /No split/);
  assert.throws(() => table3Markdown([], meta), /without rows/);
  const partial = [row("Z", "ml", 1, 0.1, 0.1), {
    ...row("Z", "ml", 2, 0.1, 0.1),
    metrics: { "HR@5": 0.1 },
  }];
  assert.throws(() => table3Markdown(partial, meta), /NDCG@5 missing for Z\/ml\/seed=2/);
});
