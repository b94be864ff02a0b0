import assert from "node:assert/strict";
import type { ResultRow } from "./aggregate.ts";
import { renderCsv, renderLatex, renderMarkdown } from "./render.ts";
import { formatGain, table3Markdown, table3Table } from "./table3.ts";
import {
  IMPROVEMENT_NOTE,
  SAME_AS_FULL_NOTE,
  SIGNIFICANCE_NOTE,
  splitLabel,
  STILL_IMPROVING_NOTE,
  type TableMeta,
} from "./table_caption.ts";
import { table4Table } from "./table4.ts";
import type { Cell, Table } from "./table_model.ts";

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

// ---- Impr., significance, reference floors, still improving --------------------------------

type Family = ResultRow["family"];

/** One row per seed (seeds 1, 2, …) of `model` on `dataset` with HR@5 = `hr[i]`. */
function seeded(
  model: string,
  family: Family,
  hr: number[],
  dataset = "ml",
  extra: Partial<ResultRow> = {},
): ResultRow[] {
  return hr.map((h, i) => ({
    model,
    dataset,
    seed: i + 1,
    family,
    metrics: { "HR@5": h },
    ...extra,
  }));
}

const meta3: TableMeta = { ...meta, seeds: [1, 2, 3] };

function cellOf(t: Table, label: string, col = 0): Cell {
  const r = t.rows.find((x) => x.kind === "row" && x.label === label);
  assert.ok(r && r.kind === "row", `no row ${label}`);
  return r.cells[col];
}

function improvement(t: Table): string[] {
  const last = t.rows[t.rows.length - 1];
  assert.ok(last.kind === "row" && last.summary && last.label === "Impr.");
  return last.cells.map((c) => c.text);
}

Deno.test("table3Table: Impr. compares the best M2VAE row with the best baseline, never a floor", () => {
  // The Popularity floor is the top row; the old Impr. (best over second-best of any row) gave
  // (0.9 − 0.5) / 0.5 = +80.0% here.
  const rs = [
    ...seeded("Popularity", "sanity", [0.9, 0.9, 0.9]),
    ...seeded("Random", "sanity", [0.01, 0.01, 0.01]),
    ...seeded("CLCRec", "contrastive", [0.4, 0.4, 0.4]),
    ...seeded("CVAE", "VAE-based", [0.2, 0.2, 0.2]),
    ...seeded("M2VAE", "ours", [0.5, 0.5, 0.5]),
  ];
  const t = table3Table(rs, meta3, { metrics: ["HR@5"], improvement: true });
  // (0.5 − 0.4) / 0.4 = +25.0%.
  assert.deepEqual(improvement(t), ["+25.0%"]);
  assert.ok(t.caption.endsWith(IMPROVEMENT_NOTE), t.caption);
  assert.match(t.caption, /best M2VAE row .* over the best baseline \(reference floors excluded\)/);
  assert.doesNotMatch(t.caption, /second-best mean/);
});

Deno.test("table3Table: Impr. is negative when a baseline beats every M2VAE row", () => {
  const rs = [
    ...seeded("CLCRec", "contrastive", [0.6, 0.6, 0.6]),
    ...seeded("CVAE", "VAE-based", [0.1, 0.1, 0.1]),
    ...seeded("M2VAE", "ours", [0.45, 0.45, 0.45]),
    ...seeded("M2VAE paper", "ours", [0.4, 0.4, 0.4]),
    // On vg only M2VAE rows: no baseline, so "–".
    ...seeded("M2VAE", "ours", [0.3, 0.3, 0.3], "vg"),
  ];
  const t = table3Table(rs, meta3, { metrics: ["HR@5"], improvement: true });
  // Best ours: (0.45 − 0.6) / 0.6 = −25.0%.
  assert.deepEqual(improvement(t), ["-25.0%", "–"]);
  assert.match(renderMarkdown(t), /\| Impr\. +\| +-25\.0% \| +– \|/);
  assert.ok(renderLatex(t).includes("Impr. & -25.0\\% & -- \\\\"));
  // A baseline whose best mean is 0 gives "–", and so does a table without "ours" rows.
  const zero = [
    ...seeded("CLCRec", "contrastive", [0, 0, 0]),
    ...seeded("M2VAE", "ours", [0.4, 0.4, 0.4]),
  ];
  assert.deepEqual(
    improvement(table3Table(zero, meta3, { metrics: ["HR@5"], improvement: true })),
    ["–"],
  );
  const noOurs = [
    ...seeded("CLCRec", "contrastive", [0.6, 0.6, 0.6]),
    ...seeded("CVAE", "VAE-based", [0.1, 0.1, 0.1]),
  ];
  assert.deepEqual(
    improvement(table3Table(noOurs, meta3, { metrics: ["HR@5"], improvement: true })),
    ["–"],
  );
});

Deno.test("table3Table: Impr. compares the full M2VAE row, not an ablation beside it", () => {
  const rs = [
    ...seeded("Planted oracle", "oracle", [0.9, 0.9, 0.9]),
    ...seeded("CLCRec", "contrastive", [0.4, 0.4, 0.4]),
    ...seeded("M2VAE", "ours", [0.5, 0.5, 0.5], "ml", { variant: "full" }),
    ...seeded("M2VAE w/o M-MoE", "ours", [0.6, 0.6, 0.6], "ml", { variant: "w/o M-MoE" }),
  ];
  // (0.5 − 0.4) / 0.4 = +25.0%, not the ablation's +50.0% nor anything against the oracle.
  const t = table3Table(rs, meta3, { metrics: ["HR@5"], improvement: true });
  assert.deepEqual(improvement(t), ["+25.0%"]);
  // Without the full row, the ablations are the M2VAE rows compared: (0.6 − 0.4) / 0.4.
  const only = rs.filter((r) => r.model !== "M2VAE");
  assert.deepEqual(
    improvement(table3Table(only, meta3, { metrics: ["HR@5"], improvement: true })),
    ["+50.0%"],
  );
});

Deno.test("table3Table: Impr. finds the full model and its variants by variant, not by label", () => {
  const rs = [
    ...seeded("Popularity", "sanity", [0.9, 0.9, 0.9]),
    ...seeded("CLCRec", "contrastive", [0.4, 0.4, 0.4]),
    // The full model under a label of the experiment's own, without the word M2VAE.
    ...seeded("Ours (lastfm tuned)", "ours", [0.5, 0.5, 0.5], "ml", { variant: "full" }),
    // A variant whose label does not extend the full row's: still an ablation, left out.
    ...seeded("No shared gate", "ours", [0.7, 0.7, 0.7], "ml", { variant: "w/o SG" }),
  ];
  const t = table3Table(rs, meta3, { metrics: ["HR@5"], improvement: true });
  // (0.5 − 0.4) / 0.4 = +25.0%: neither the variant's +75.0% nor the floor counts.
  assert.deepEqual(improvement(t), ["+25.0%"]);
  // A row without a variant is the full model too.
  const bare = rs.map((r) => r.model === "Ours (lastfm tuned)" ? { ...r, variant: undefined } : r);
  assert.deepEqual(
    improvement(table3Table(bare, meta3, { metrics: ["HR@5"], improvement: true })),
    ["+25.0%"],
  );
});

Deno.test("table3Table: reference floors are never bold or underlined, even when highest", () => {
  const rs = [
    ...seeded("Popularity", "sanity", [0.9, 0.9, 0.9]),
    ...seeded("Random", "sanity", [0.45, 0.45, 0.45]),
    ...seeded("CLCRec", "contrastive", [0.4, 0.4, 0.4]),
    ...seeded("CVAE", "VAE-based", [0.2, 0.2, 0.2]),
    ...seeded("M2VAE", "ours", [0.5, 0.5, 0.5]),
  ];
  const t = table3Table(rs, meta3, { metrics: ["HR@5"] });
  assert.equal(cellOf(t, "Popularity").mark, undefined);
  assert.equal(cellOf(t, "Random").mark, undefined);
  assert.equal(cellOf(t, "M2VAE").mark, "best");
  assert.equal(cellOf(t, "CLCRec").mark, "second");
  assert.equal(cellOf(t, "CVAE").mark, undefined);
  const md = renderMarkdown(t);
  assert.match(md, /\| Popularity +\| +0\.9000 ± 0\.0000 \|/);
  assert.match(t.caption, /Reference floors are never marked/);
  // Without floors the caption does not mention them.
  const plain = table3Table(rs.filter((r) => r.family !== "sanity"), meta3, { metrics: ["HR@5"] });
  assert.doesNotMatch(plain.caption, /Reference floors/);
});

Deno.test("table3Table: * needs at least 3 common seeds", () => {
  // Clearly separated: differences 0.200, 0.205, 0.210. With 2 seeds the paired t-test has one
  // degree of freedom (p ≈ 0.008 here, yet meaningless); with 3 it is p ≈ 0.0002.
  const ours = [0.5, 0.505, 0.51], base = [0.3, 0.3, 0.3];
  const rs = [...seeded("M2VAE", "ours", ours), ...seeded("CLCRec", "contrastive", base)];
  const two = table3Table(
    rs.filter((r) => r.seed <= 2),
    { ...meta, seeds: [1, 2] },
    { metrics: ["HR@5"], significance: true },
  );
  assert.equal(cellOf(two, "M2VAE").mark, "best");
  assert.equal(cellOf(two, "M2VAE").sig, undefined);
  assert.doesNotMatch(two.caption, /t-test/);
  const three = table3Table(rs, meta3, { metrics: ["HR@5"], significance: true });
  assert.equal(cellOf(three, "M2VAE").sig, "*");
  assert.ok(three.caption.includes(SIGNIFICANCE_NOTE), three.caption);
  assert.match(three.caption, /over ≥ 3 seeds/);
  // Three seeds in the table but only two shared by the two rows: no mark.
  const holey = table3Table(
    rs.filter((r) => !(r.model === "CLCRec" && r.seed === 3)),
    meta3,
    { metrics: ["HR@5"], significance: true },
  );
  assert.equal(cellOf(holey, "M2VAE").sig, undefined);
});

Deno.test("table3Table: * also needs the lead over the items where the rows kept their queries", () => {
  // Over the seeds M2VAE leads clearly (p ≈ 0.0002); per item its lead is either steady (+0.2 on
  // every item) or two items far ahead and 38 behind (same mean, interval through 0).
  const ids = Int32Array.from({ length: 40 }, (_, q) => q);
  const ours = [0.5, 0.505, 0.51], base = [0.3, 0.3, 0.3];
  const perItem = (model: string, steady: boolean) =>
    Float64Array.from(
      { length: 40 },
      (_, q) => model === "CLCRec" ? 0.3 : steady ? 0.5 : q < 2 ? 0.3 + 4.38 : 0.3 - 0.03,
    );
  const rows = (steady: boolean) =>
    [...seeded("M2VAE", "ours", ours), ...seeded("CLCRec", "contrastive", base)].map((r) => ({
      ...r,
      queries: { ids, metrics: { "HR@5": perItem(r.model, steady) } },
    }));
  const opts = { metrics: ["HR@5"], significance: { resamples: 2000 } };
  const steady = table3Table(rows(true), meta3, opts);
  assert.equal(cellOf(steady, "M2VAE").sig, "*");
  assert.match(steady.caption, /has a 95 % bootstrap interval above 0\./);
  assert.doesNotMatch(steady.caption, /seeds only elsewhere/);
  const spiky = table3Table(rows(false), meta3, opts);
  assert.equal(cellOf(spiky, "M2VAE").mark, "best");
  assert.equal(cellOf(spiky, "M2VAE").sig, undefined);
  // One seed without its queries: the seeds alone decide, as before.
  const partial = rows(false).map((r) => r.seed === 2 ? { ...r, queries: undefined } : r);
  const seedsOnly = table3Table(partial, meta3, opts);
  assert.equal(cellOf(seedsOnly, "M2VAE").sig, "*");
  assert.ok(seedsOnly.caption.includes(SIGNIFICANCE_NOTE), seedsOnly.caption);
});

Deno.test("table3Table: * tests the best against the best non-floor runner-up", () => {
  // A floor sits right under M2VAE with noisy paired differences (not significant); the best
  // baseline is clearly below. The old marks made the floor the runner-up: no `*`.
  const rs = [
    ...seeded("Popularity", "sanity", [0.52, 0.5, 0.5, 0.5, 0.52]),
    ...seeded("CLCRec", "contrastive", [0.4, 0.41, 0.42, 0.4, 0.41]),
    ...seeded("M2VAE", "ours", [0.5, 0.52, 0.51, 0.53, 0.5]),
  ];
  const t = table3Table(rs, { ...meta, seeds: [1, 2, 3, 4, 5] }, {
    metrics: ["HR@5"],
    significance: true,
  });
  assert.equal(cellOf(t, "Popularity").mark, undefined);
  assert.equal(cellOf(t, "CLCRec").mark, "second");
  assert.equal(cellOf(t, "M2VAE").mark, "best");
  assert.equal(cellOf(t, "M2VAE").sig, "*");
});

Deno.test("table3Table: † only on the (row, dataset) cells with a seed still improving", () => {
  const rs = [
    ...seeded("CLCRec", "contrastive", [0.4, 0.41, 0.42]),
    ...seeded("M2VAE", "ours", [0.5, 0.51, 0.52]).map((r) =>
      r.seed === 2 ? { ...r, stillImproving: true } : r
    ),
    ...seeded("M2VAE", "ours", [0.3, 0.3, 0.3], "vg"),
    ...seeded("CLCRec", "contrastive", [0.2, 0.2, 0.2], "vg", { stillImproving: false }),
  ];
  const t = table3Table(rs, meta3, { metrics: ["HR@5"], significance: true, improvement: true });
  assert.deepEqual(t.columns.map((c) => c.group), ["ml", "vg"]);
  assert.equal(cellOf(t, "M2VAE", 0).text, "0.5100 ± 0.0100†");
  assert.equal(cellOf(t, "M2VAE", 1).text, "0.3000 ± 0.0000");
  assert.equal(cellOf(t, "CLCRec", 0).text, "0.4100 ± 0.0100");
  assert.equal(cellOf(t, "CLCRec", 1).text, "0.2000 ± 0.0000");
  assert.ok(!improvement(t).some((x) => x.includes("†")));
  assert.ok(t.caption.endsWith(STILL_IMPROVING_NOTE), t.caption);
  assert.equal(t.caption.split("†").length, 2); // the caption sentence only
  // Rendered: after the text, before the significance mark; LaTeX as a superscript dagger.
  assert.ok(renderMarkdown(t).includes(" **0.5100 ± 0.0100†\\*** |"), renderMarkdown(t));
  assert.ok(
    renderLatex(t).includes("\\textbf{0.5100 $\\pm$ 0.0100$^{\\dagger}$$^{*}$}"),
    renderLatex(t),
  );
  assert.ok(renderLatex(t).includes("$^{\\dagger}$ still improving at the epoch cap"));
  assert.ok(renderCsv(t).includes(",0.5100 ± 0.0100†,"));
  // Nothing flagged: no † anywhere.
  const none = table3Table(rs.map((r) => ({ ...r, stillImproving: undefined })), meta3, {
    metrics: ["HR@5"],
  });
  assert.ok(!renderMarkdown(none).includes("†"));
  // A flagged seed on a (row, dataset) without a value in a column: "–" stays bare.
  const missing = table3Table(
    [
      ...seeded("A", undefined, [0.1, 0.1, 0.1], "ml", { stillImproving: true }),
      ...seeded("B", undefined, [0.2, 0.2, 0.2], "vg"),
    ],
    meta3,
    { metrics: ["HR@5"] },
  );
  assert.equal(cellOf(missing, "A", 1).text, "–");
  assert.equal(cellOf(missing, "A", 0).text, "0.1000 ± 0.0000†");
});

Deno.test("table4Table keeps the † and significance sentences of its Table 3 caption", () => {
  const rs = [
    ...seeded("M2VAE", "ours", [0.5, 0.505, 0.51], "ml", { stillImproving: true }),
    ...seeded("M2VAE w/o SG", "ours", [0.3, 0.3, 0.3], "ml", { variant: "w/o SG" }),
  ];
  const t = table4Table(rs, { ...meta3, protocol: "item2user" }, "M2VAE");
  assert.equal(cellOf(t, "M2VAE").sig, "*");
  assert.ok(cellOf(t, "M2VAE").text.endsWith("†"));
  assert.match(t.caption, /^Ablation study\. /);
  assert.ok(t.caption.includes(SIGNIFICANCE_NOTE), t.caption);
  assert.ok(t.caption.includes(STILL_IMPROVING_NOTE), t.caption);
  // …and then tests each variant against the full model (lib/report/ablation_marks_test.ts).
  assert.equal(cellOf(t, "M2VAE w/o SG").sig, "↓");
  assert.match(
    t.caption,
    /Below the full model \(mean paired difference over the seeds\): M2VAE w\/o SG \(ml HR@5 -0\.2050\)\. Above it: none\./,
  );
});

Deno.test("table4Table: ≡ on a variant's cells where it trains the full model, with its sentence", () => {
  const rs = [
    ...seeded("M2VAE", "ours", [0.5, 0.505, 0.51], "ml"),
    ...seeded("M2VAE", "ours", [0.4, 0.4, 0.4], "vg"),
    ...seeded("M2VAE w/o M-MoE", "ours", [0.49, 0.5, 0.51], "ml", { variant: "w/o M-MoE" }),
    ...seeded("M2VAE w/o M-MoE", "ours", [0.3, 0.3, 0.3], "vg", {
      variant: "w/o M-MoE",
      sameAsFull: true,
    }),
  ];
  const t = table4Table(rs, { ...meta3, protocol: "item2user" }, "M2VAE");
  assert.ok(!cellOf(t, "M2VAE w/o M-MoE", 0).text.includes("≡"));
  assert.ok(
    cellOf(t, "M2VAE w/o M-MoE", 2).text.endsWith("≡"),
    cellOf(t, "M2VAE w/o M-MoE", 2).text,
  );
  assert.ok(!cellOf(t, "M2VAE", 2).text.includes("≡"));
  assert.ok(t.caption.includes(SAME_AS_FULL_NOTE), t.caption);
  assert.ok(renderLatex(t).includes("0.3000 $\\pm$ 0.0000$^{\\equiv}$"), renderLatex(t));
  const none = table4Table(rs.map((r) => ({ ...r, sameAsFull: undefined })), {
    ...meta3,
    protocol: "item2user",
  }, "M2VAE");
  assert.ok(!renderMarkdown(none).includes("≡"));
});

Deno.test("formatGain: the sign is the gain's own, so a loss that rounds to 0 reads -0.0%", () => {
  assert.equal(formatGain(12.34), "+12.3%");
  assert.equal(formatGain(-7.25), "-7.3%");
  assert.equal(formatGain(0), "+0.0%");
  // The baseline is bold in such a column: "+0.0%" would contradict it.
  assert.equal(formatGain(-0.03), "-0.0%");
  assert.equal(formatGain(0.03), "+0.0%");
});

Deno.test("table3Table: no * where the best row is ahead only on seeds the runner-up lacks", () => {
  const m = { ...meta, seeds: [1, 2, 3, 4, 5], splits: { d: "x [split 0]" } };
  const r = (model: string, family: ResultRow["family"], seed: number, v: number): ResultRow => ({
    model,
    dataset: "d",
    seed,
    family,
    metrics: { "HR@5": v },
  });
  // M2VAE's mean (0.50) leads, but on the three seeds both ran CLCRec is ahead on every one.
  const rows = [
    ...[0.40, 0.41, 0.40, 0.65, 0.64].map((v, i) => r("M2VAE", "ours", i + 1, v)),
    ...[0.45, 0.46, 0.455].map((v, i) => r("CLCRec", "contrastive", i + 1, v)),
  ];
  const t = table3Table(rows, m, { metrics: ["HR@5"], significance: true });
  const best = t.rows.find((x) => x.kind === "row" && x.label === "M2VAE");
  assert.ok(best && best.kind === "row");
  assert.equal(best.cells[0].mark, "best");
  assert.equal(best.cells[0].sig, undefined);
});

Deno.test("table3Table: an ablation beside its full model takes no mark, so * tests the full model against the best other row", () => {
  const m = { ...meta, seeds: [1, 2, 3], splits: { d: "x [split 0]" } };
  const r = (
    model: string,
    family: ResultRow["family"],
    variant: string,
    seed: number,
    v: number,
  ) => ({ model, dataset: "d", seed, family, variant, metrics: { "HR@5": v } }) as ResultRow;
  const rows = [
    ...[0.40, 0.42, 0.41].map((v, i) => r("CLCRec", "contrastive", "full", i + 1, v)),
    ...[0.50, 0.51, 0.52].map((v, i) => r("M2VAE", "ours", "full", i + 1, v)),
    ...[0.495, 0.515, 0.51].map((v, i) => r("M2VAE w/o SG", "ours", "w/o SG", i + 1, v)),
  ];
  const t = table3Table(rows, m, { metrics: ["HR@5"], significance: true, improvement: true });
  const cell = (label: string) => {
    const row = t.rows.find((x) => x.kind === "row" && x.label === label);
    assert.ok(row && row.kind === "row");
    return row.cells[0];
  };
  assert.equal(cell("M2VAE w/o SG").mark, undefined);
  assert.equal(cell("CLCRec").mark, "second");
  assert.deepEqual([cell("M2VAE").mark, cell("M2VAE").sig], ["best", "*"]);
  assert.match(t.caption, /Ablations beside their full model are not ranked/);
});
