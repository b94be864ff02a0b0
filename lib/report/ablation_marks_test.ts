import assert from "node:assert/strict";
import type { ResultRow } from "./aggregate.ts";
import { renderLatex, renderMarkdown } from "./render.ts";
import { table4Table } from "./table4.ts";
import type { TableMeta } from "./table_caption.ts";
import type { Cell, Table } from "./table_model.ts";

const meta: TableMeta = {
  protocol: "item2user",
  part: "test",
  splits: { ml: "provided (/data/ml) [split 0123456789abcdef]" },
  seeds: [1, 2, 3],
  codeVersion: "abc1234",
};

function seeded(model: string, hr: number[], extra: Partial<ResultRow> = {}): ResultRow[] {
  return hr.map((h, i) => ({
    model,
    dataset: "ml",
    seed: i + 1,
    family: "ours",
    metrics: { "HR@5": h, "NDCG@5": h + 0.2 },
    ...extra,
  }));
}

function cellOf(t: Table, label: string, col = 0): Cell {
  const r = t.rows.find((x) => x.kind === "row" && x.label === label);
  assert.ok(r && r.kind === "row", `no row ${label}`);
  return r.cells[col];
}

// The full model at 0.50 ± 0.005; one variant clearly below on every seed, one clearly above,
// one within the seeds' noise (paired differences +0.01, −0.012, +0.003).
const full = seeded("M2VAE", [0.5, 0.505, 0.51]);
const rows = [
  ...full,
  ...seeded("M2VAE w/o DCL", [0.45, 0.452, 0.458], { variant: "w/o DCL" }),
  ...seeded("M2VAE w/o M-MoE", [0.53, 0.536, 0.541], { variant: "w/o M-MoE" }),
  ...seeded("M2VAE w/o SG", [0.51, 0.493, 0.513], { variant: "w/o SG" }),
];

Deno.test("table4Table: ↓ / ↑ on the variant cells that differ from the full model's", () => {
  const t = table4Table(rows, meta, "M2VAE", 2000);
  assert.equal(cellOf(t, "M2VAE w/o DCL").sig, "↓");
  assert.equal(cellOf(t, "M2VAE w/o DCL", 1).sig, "↓");
  assert.ok(
    cellOf(t, "M2VAE w/o M-MoE").sig?.endsWith("↑"),
    String(cellOf(t, "M2VAE w/o M-MoE").sig),
  );
  assert.equal(cellOf(t, "M2VAE w/o SG").sig, undefined);
  // The full row is what the others are tested against: it never takes ↓ or ↑.
  assert.ok(!/[↓↑]/.test(cellOf(t, "M2VAE").sig ?? ""));
  assert.ok(
    t.caption.endsWith(
      "Below the full model (mean paired difference over the seeds): M2VAE w/o DCL (ml HR@5 " +
        "-0.0517, ml NDCG@5 -0.0517). Above it: M2VAE w/o M-MoE (ml HR@5 +0.0307, ml NDCG@5 " +
        "+0.0307). Every other tested cell is within the noise of the full model's. Corrected " +
        "for the 6 tested cells (Holm, family-wise error 5 %), every mark holds.",
    ),
    t.caption,
  );
  assert.match(t.caption, /paired two-sided t-test over the ≥ 3 seeds both ran \(p < 0\.05\):/);
  assert.match(t.caption, /each cell is marked on its own test/);
  assert.ok(renderMarkdown(t).includes("0.4533 ± 0.0042↓"), renderMarkdown(t));
  assert.ok(renderLatex(t).includes("0.4533 $\\pm$ 0.0042$^{\\downarrow}$"), renderLatex(t));
  assert.ok(renderLatex(t).includes("$\\downarrow$ / $\\uparrow$"));
});

Deno.test("table4Table: no test against the full model below 3 common seeds, and it says so", () => {
  const two = rows.filter((r) => r.seed < 3);
  const t = table4Table(two, { ...meta, seeds: [1, 2] }, "M2VAE", 2000);
  assert.equal(cellOf(t, "M2VAE w/o DCL").sig, undefined);
  assert.ok(
    t.caption.endsWith(
      "No variant is tested against the full model (M2VAE): that needs ≥ 3 seeds common to " +
        "both rows.",
    ),
    t.caption,
  );
  // Seeds that do not pair up do not count: the variant ran seeds 1–3, the full row 1, 2 and 4.
  const unpaired = [
    ...full.filter((r) => r.seed < 3),
    { ...full[2], seed: 4 },
    ...rows.filter((r) => r.model === "M2VAE w/o DCL"),
  ];
  const u = table4Table(unpaired, { ...meta, seeds: [1, 2, 3, 4] }, "M2VAE", 2000);
  assert.equal(cellOf(u, "M2VAE w/o DCL").sig, undefined);
  assert.match(u.caption, /No variant is tested/);
  // Without a full row named, Table 4 ranks its rows and tests nothing against a full model.
  assert.doesNotMatch(table4Table(rows, meta, undefined, 2000).caption, /full model/);
});

Deno.test("table4Table: a seeds-wide difference the items could reverse is not marked", () => {
  // Over the seeds w/o DCL is 0.05 below (p < 0.01); per item the gap is either steady or two
  // items far behind and the other 38 slightly ahead (same mean, interval through 0).
  const ids = Int32Array.from({ length: 40 }, (_, q) => q);
  const perItem = (model: string, steady: boolean) =>
    Float64Array.from(
      { length: 40 },
      (_, q) => model === "M2VAE" ? 0.5 : steady ? 0.45 : q < 2 ? 0.5 - 1.14 : 0.5 + 0.0075,
    );
  const withQueries = (steady: boolean) =>
    [...full, ...seeded("M2VAE w/o DCL", [0.45, 0.452, 0.458], { variant: "w/o DCL" })].map(
      (r) => ({
        ...r,
        queries: {
          ids,
          metrics: { "HR@5": perItem(r.model, steady), "NDCG@5": perItem(r.model, steady) },
        },
      }),
    );
  const steady = table4Table(withQueries(true), meta, "M2VAE", 2000);
  assert.equal(cellOf(steady, "M2VAE w/o DCL").sig, "↓");
  assert.match(steady.caption, /a 95 % bootstrap interval of the per-item difference/);
  const spiky = table4Table(withQueries(false), meta, "M2VAE", 2000);
  assert.equal(cellOf(spiky, "M2VAE w/o DCL").sig, undefined);
  assert.match(
    spiky.caption,
    /Below the full model \(mean paired difference over the seeds\): none\. Above it: none\./,
  );
});

Deno.test("table4Table: cells where the variant trains the full model (≡) are not tested", () => {
  const same = [
    ...full,
    ...seeded("M2VAE w/o M-MoE", [0.45, 0.452, 0.458], { variant: "w/o M-MoE", sameAsFull: true }),
  ];
  const t = table4Table(same, meta, "M2VAE", 2000);
  assert.equal(cellOf(t, "M2VAE w/o M-MoE").sig, undefined);
  assert.ok(cellOf(t, "M2VAE w/o M-MoE").text.endsWith("≡"));
  assert.match(t.caption, /No variant is tested against the full model/);
});

Deno.test("table4Table: only ablations are tested — not another full row, not the paper readings", () => {
  const t = table4Table(
    [
      ...rows,
      // Far below the full model on every seed, but neither takes a part away.
      ...seeded("M2VAE negative users", [0.3, 0.31, 0.32]),
      ...seeded("M2VAE paper", [0.3, 0.3, 0.31], { variant: "paper" }),
    ],
    meta,
    "M2VAE",
    2000,
  );
  assert.equal(cellOf(t, "M2VAE negative users").sig, undefined);
  assert.equal(cellOf(t, "M2VAE paper").sig, undefined);
  assert.equal(cellOf(t, "M2VAE w/o DCL").sig, "↓");
  assert.doesNotMatch(t.caption, /negative users \(|paper \(/);
});

Deno.test("table4Table: a dataset with too few common seeds is counted as untested, not as within noise", () => {
  const vg = (r: ResultRow) => ({ ...r, dataset: "vg" });
  const t = table4Table(
    [
      ...rows.filter((r) => r.model === "M2VAE" || r.model === "M2VAE w/o DCL"),
      // On vg the ablation ran two seeds only.
      ...full.map(vg),
      ...seeded("M2VAE w/o DCL", [0.2, 0.21], { variant: "w/o DCL" }).map(vg),
    ],
    { ...meta, splits: { ...meta.splits, vg: "provided (/data/vg) [split fedcba9876543210]" } },
    "M2VAE",
    2000,
  );
  assert.equal(cellOf(t, "M2VAE w/o DCL").sig, "↓"); // ml HR@5
  assert.equal(cellOf(t, "M2VAE w/o DCL", 2).sig, undefined); // vg HR@5
  assert.ok(
    t.caption.endsWith(
      "Below the full model (mean paired difference over the seeds): M2VAE w/o DCL (ml HR@5 " +
        "-0.0517, ml NDCG@5 -0.0517). Above it: none. Every other " +
        "tested cell is within the noise of the full model's. Corrected for the 2 tested cells " +
        "(Holm, family-wise error 5 %), every mark holds. 2 variant cells were not tested " +
        "(fewer than 3 seeds in common with the full row).",
    ),
    t.caption,
  );
});

Deno.test("table4Table: the per-item test averages the seeds the t-test paired, not a row's others", () => {
  // The full row ran a fourth seed the ablation did not, far lower on every item: over seeds 1–3
  // the ablation is below it (↓); over all four of the full row's seeds it would look above.
  const ids = Int32Array.from({ length: 40 }, (_, q) => q);
  const perItem = (v: number) => Float64Array.from({ length: 40 }, () => v);
  const q = (v: number) => ({ ids, metrics: { "HR@5": perItem(v), "NDCG@5": perItem(v) } });
  const t = table4Table(
    [
      ...full.map((r) => ({ ...r, queries: q(0.5) })),
      { ...full[0], seed: 4, metrics: { "HR@5": 0, "NDCG@5": 0 }, queries: q(0) },
      ...seeded("M2VAE w/o DCL", [0.45, 0.452, 0.458], { variant: "w/o DCL" }).map((r) => ({
        ...r,
        queries: q(0.45),
      })),
    ],
    { ...meta, seeds: [1, 2, 3, 4] },
    "M2VAE",
    2000,
  );
  // (Its mean over its three seeds is the column's best, so it carries Table 3's `*` too.)
  const sig = cellOf(t, "M2VAE w/o DCL").sig ?? "";
  assert.ok(sig.endsWith("↓"), sig);
});

Deno.test("table4Table: a significant difference too small for 4 decimals is not printed as -0.0000", () => {
  // Paired differences −0.00002 on every seed (± 1e-6): significant, below the cells' rounding.
  const tiny = [
    ...seeded("M2VAE", [0.3, 0.301, 0.302]),
    ...seeded("M2VAE w/o SG", [0.299979, 0.300981, 0.30198], { variant: "w/o SG" }),
  ];
  const t = table4Table(tiny, meta, "M2VAE", 2000);
  assert.equal(cellOf(t, "M2VAE w/o SG").sig, "↓");
  assert.match(t.caption, /M2VAE w\/o SG \(ml HR@5 -2\.0e-5, ml NDCG@5 -2\.0e-5\)/);
  assert.doesNotMatch(t.caption, /-0\.0000/);
});

Deno.test("table4Table: a mark that one test finds and Holm's correction over the table's cells does not is named as such", () => {
  // One variant a little below on every seed (p ≈ 0.03 alone), beside five that tie: twelve
  // tested cells, so Holm asks p < 0.05 / 12 of the smallest.
  const ties = ["w/o SG", "w/o DCL", "w/o Co-CL", "w/o common", "early generate"].flatMap((v) =>
    seeded(`M2VAE ${v}`, [0.502, 0.503, 0.512], { variant: v })
  );
  const t = table4Table(
    [
      ...full,
      ...ties,
      ...seeded("M2VAE w/o M-MoE", [0.495, 0.498, 0.506], { variant: "w/o M-MoE" }),
    ],
    meta,
    "M2VAE",
    2000,
  );
  assert.equal(cellOf(t, "M2VAE w/o M-MoE").sig, "↓");
  assert.match(
    t.caption,
    /Corrected for the 12 tested cells \(Holm, family-wise error 5 %\), none of the marks holds \(smallest adjusted p 0\.\d\d\)\./,
  );
});

Deno.test("table4Table: where Holm's correction keeps some marks and not others, it names the ones it keeps", () => {
  // A variant far below on every seed (p ≈ 0.0003) beside one a little below (p ≈ 0.03): of
  // their four marks over twelve tested cells, the first variant's two hold.
  const ties = ["w/o SG", "w/o DCL", "w/o Co-CL", "w/o common"].flatMap((v) =>
    seeded(`M2VAE ${v}`, [0.502, 0.503, 0.512], { variant: v })
  );
  const t = table4Table(
    [
      ...full,
      ...ties,
      ...seeded("M2VAE w/o M-MoE", [0.495, 0.498, 0.506], { variant: "w/o M-MoE" }),
      ...seeded("M2VAE w/o V-MoE", [0.4, 0.4049, 0.4101], { variant: "w/o V-MoE" }),
    ],
    meta,
    "M2VAE",
    2000,
  );
  assert.match(
    t.caption,
    /Corrected for the 12 tested cells \(Holm, family-wise error 5 %\), 2 of the 4 marks hold: M2VAE w\/o V-MoE \(ml HR@5 -0\.\d+, ml NDCG@5 -0\.\d+\)\./,
  );
});
