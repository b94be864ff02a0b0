import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import type { ResultRow } from "./aggregate.ts";
import { gridTable, gridTables, selectionAxes } from "./grid_table.ts";
import {
  escapeLatex,
  escapeMarkdown,
  renderCsv,
  renderLatex,
  renderMarkdown,
  renderTable,
} from "./render.ts";
import type { Candidate, Selection } from "./select.ts";
import { table3Table } from "./table3.ts";
import type { TableMeta } from "./table_caption.ts";
import { table4Table } from "./table4.ts";
import { formatMeanStd, markColumns, type Row, type Table } from "./table_model.ts";

const ms = (mean: number, std = 0.01, n = 3) => ({ mean, std, n });

/** A small table: two datasets × two metrics, a section, marks, a selected cell and a summary. */
function sample(): Table {
  return {
    title: "T_1 & co",
    caption: "Cold 100% split #2",
    corner: "Model",
    columns: [
      { group: "ml_1", name: "HR@5" },
      { group: "ml_1", name: "NDCG@5" },
      { group: "vg", name: "HR@5" },
      { group: "vg", name: "NDCG@5" },
    ],
    rows: [
      { kind: "section", label: "Contrastive" },
      {
        kind: "row",
        label: "CLC_Rec",
        cells: [
          { value: ms(0.5), text: "0.5000 ± 0.0100", mark: "best", sig: "*" },
          { value: ms(0.4), text: "0.4000 ± 0.0100", mark: "second" },
          { text: "–" },
          { value: ms(0.3), text: "0.3000 ± 0.0100", selected: true },
        ],
      },
      {
        kind: "row",
        label: "A|B",
        cells: [
          { value: ms(0.45), text: "0.4500 ± 0.0100", mark: "second" },
          { value: ms(0.41), text: "0.4100 ± 0.0100", mark: "best", selected: true },
          { value: ms(0.2), text: "0.2000 ± 0.0100" },
          { value: ms(0.1), text: "0.1000 ± 0.0100" },
        ],
      },
      {
        kind: "row",
        label: "Impr.",
        summary: true,
        cells: [{ text: "+11.1%" }, { text: "+2.5%" }, { text: "–" }, { text: "–" }],
      },
    ],
  };
}

/** The cells of the markdown table's lines (header, separator, body). */
function mdLines(md: string): string[][] {
  return md.split("\n").filter((l) => l.startsWith("|")).map((l) =>
    l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim())
  );
}

Deno.test("renderMarkdown: caption, grouped header, marks, selection, significance, sections", () => {
  const md = renderMarkdown(sample());
  assert.ok(md.startsWith("**T_1 & co.** Cold 100% split #2\n\n"), md);
  const [header, sep, ...body] = mdLines(md);
  assert.deepEqual(header, ["Model", "ml_1 HR@5", "ml_1 NDCG@5", "vg HR@5", "vg NDCG@5"]);
  assert.match(sep[0], /^:?-+$/);
  assert.match(sep[1], /^-+:$/);
  assert.deepEqual(body[0], ["*Contrastive*", "", "", "", ""]);
  assert.deepEqual(body[1], [
    "CLC_Rec",
    "**0.5000 ± 0.0100\\***",
    "<u>0.4000 ± 0.0100</u>",
    "–",
    "0.3000 ± 0.0100 ◀",
  ]);
  assert.deepEqual(body[2], [
    "A\\|B",
    "<u>0.4500 ± 0.0100</u>",
    "**0.4100 ± 0.0100 ◀**",
    "0.2000 ± 0.0100",
    "0.1000 ± 0.0100",
  ]);
  assert.deepEqual(body[3], ["Impr.", "+11.1%", "+2.5%", "–", "–"]);
  assert.equal(body.length, 4);
  assert.equal(renderTable(sample(), "md"), md);
});

Deno.test("renderMarkdown: columns without groups are not prefixed", () => {
  const t: Table = {
    title: "G",
    caption: "c",
    corner: "alpha \\ beta",
    columns: [{ group: "", name: "0.1" }, { group: "", name: "0.5" }],
    rows: [{ kind: "row", label: "1", cells: [{ text: "a" }, { text: "b" }] }],
  };
  const [header, , row] = mdLines(renderMarkdown(t));
  assert.deepEqual(header, ["alpha \\ beta", "0.1", "0.5"]);
  assert.deepEqual(row, ["1", "a", "b"]);
});

Deno.test("escapeMarkdown: inline syntax prints as written, plain text stays as it is", () => {
  assert.equal(escapeMarkdown("GAR <sep>"), "GAR \\<sep>");
  assert.equal(escapeMarkdown("*β* and _x_"), "\\*β\\* and \\_x\\_");
  assert.equal(escapeMarkdown("a|b `c` ~~d~~ &amp;"), "a\\|b \\`c\\` \\~\\~d\\~\\~ \\&amp;");
  assert.equal(escapeMarkdown("\\*"), "\\\\\\*");
  // Text that renders as itself is left alone, so captions read the same raw.
  for (
    const plain of ["P_u and x_y_z", "p < 0.05", "[split 0123]", "α \\ β", "R&D", "m2vae (w/o SG)"]
  ) {
    assert.equal(escapeMarkdown(plain), plain);
  }
  assert.equal(escapeMarkdown("a\nb"), "a b");
  // A trailing backslash would escape the `**` or `</u>` a cell is wrapped in.
  assert.equal(escapeMarkdown("x\\"), "x\\\\");
});

Deno.test("escapeLatex: special characters and symbols", () => {
  assert.equal(escapeLatex("a_b & c% #1"), "a\\_b \\& c\\% \\#1");
  assert.equal(escapeLatex("0.5 ± 0.1"), "0.5 $\\pm$ 0.1");
  assert.equal(escapeLatex("$x$ {y}"), "\\$x\\$ \\{y\\}");
  assert.equal(escapeLatex("α × β – ◀"), "$\\alpha$ $\\times$ $\\beta$ -- $\\blacktriangleleft$");
  assert.equal(escapeLatex("~^"), "\\textasciitilde{}\\textasciicircum{}");
  assert.equal(escapeLatex("0.5†"), "0.5$^{\\dagger}$");
  assert.equal(escapeLatex("≥ 3, −2"), "$\\geq$ 3, $-$2");
});

Deno.test("escapeLatex: what pdflatex cannot print as text goes to math or a text command", () => {
  // The budget table's η and the beside-paper caption's Kendall's τ stopped pdflatex.
  assert.equal(escapeLatex("η 3, τ-b"), "$\\eta$ 3, $\\tau$-b");
  // Every Greek small letter (ο is a Latin o; ς the final sigma).
  assert.equal(
    escapeLatex("αβγδεζηθικλμνξοπρςστυφχψω").match(/\\[a-z]+/g)?.length,
    24,
  );
  assert.equal(escapeLatex("ο ς ω"), "o $\\varsigma$ $\\omega$");
  // A text-mode | prints as an em dash under LaTeX's default font encoding.
  assert.equal(escapeLatex("min(|P_u|, K)"), "min(\\textbar{}P\\_u\\textbar{}, K)");
  assert.equal(escapeLatex("≤ ≈ ÷ · √ —"), "$\\leq$ $\\approx$ $\\div$ $\\cdot$ $\\surd$ ---");
  // Letters LaTeX's UTF-8 input reads as text stay.
  assert.equal(escapeLatex("Kendall's é"), "Kendall's é");
});

Deno.test("escapeLatex escapes a backslash as \\textbackslash{} without re-escaping its braces", () => {
  // render.ts escapeLatex replaces "\" by "\textbackslash{}" first and then escapes the braces
  // it just wrote, giving "\textbackslash\{\}" (prints "\{}"). Grid-table corners such as
  // "alpha \ beta" hit this.
  assert.equal(escapeLatex("alpha \\ beta"), "alpha \\textbackslash{} beta");
});

Deno.test("renderLatex: booktabs, multicolumn groups with cmidrules, marks, sections, summary", () => {
  const tex = renderLatex(sample());
  const lines = tex.trimEnd().split("\n");
  assert.equal(lines[0], "\\begin{table}[t]");
  assert.ok(lines.includes("\\caption{T\\_1 \\& co. Cold 100\\% split \\#2}"), tex);
  assert.ok(lines.includes("\\begin{tabular}{lrrrr}"));
  const head = lines.indexOf("\\toprule");
  assert.equal(
    lines[head + 1],
    " & \\multicolumn{2}{c}{ml\\_1} & \\multicolumn{2}{c}{vg} \\\\",
  );
  assert.equal(lines[head + 2], "\\cmidrule(lr){2-3} \\cmidrule(lr){4-5}");
  assert.equal(lines[head + 3], "Model & HR@5 & NDCG@5 & HR@5 & NDCG@5 \\\\");
  assert.equal(lines[head + 4], "\\midrule");
  assert.equal(lines[head + 5], "\\multicolumn{5}{l}{\\textit{Contrastive}} \\\\");
  assert.equal(
    lines[head + 6],
    "CLC\\_Rec & \\textbf{0.5000 $\\pm$ 0.0100$^{*}$} & \\underline{0.4000 $\\pm$ 0.0100} & " +
      "-- & 0.3000 $\\pm$ 0.0100 $\\blacktriangleleft$ \\\\",
  );
  assert.equal(
    lines[head + 7].split(" & ")[2],
    "\\textbf{0.4100 $\\pm$ 0.0100 $\\blacktriangleleft$}",
  );
  // The summary row is set off by a rule.
  assert.equal(lines[head + 8], "\\midrule");
  assert.equal(lines[head + 9], "Impr. & +11.1\\% & +2.5\\% & -- & -- \\\\");
  assert.deepEqual(lines.slice(-3), ["\\bottomrule", "\\end{tabular}}", "\\end{table}"]);
});

Deno.test("renderLatex: no group header without groups", () => {
  const t: Table = {
    title: "G",
    caption: "c",
    corner: "x",
    columns: [{ group: "", name: "a" }],
    rows: [{ kind: "row", label: "r", cells: [{ text: "1" }] }],
  };
  const tex = renderLatex(t);
  assert.ok(!tex.includes("\\multicolumn"));
  assert.ok(!tex.includes("\\cmidrule"));
  assert.ok(tex.includes("x & a \\\\\n\\midrule\nr & 1 \\\\"), tex);
});

Deno.test("renderCsv: header and one line per cell, sections carried, summary included without one", () => {
  const csv = renderCsv(sample());
  assert.equal(
    csv.split("\n")[0],
    "table,section,row,group,column,text,mean,std,n,mark,selected,sig",
  );
  const recs = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(recs.length, 3 * 4);
  assert.deepEqual(recs[0], {
    table: "T_1 & co",
    section: "Contrastive",
    row: "CLC_Rec",
    group: "ml_1",
    column: "HR@5",
    text: "0.5000 ± 0.0100",
    mean: "0.5",
    std: "0.01",
    n: "3",
    mark: "best",
    selected: "",
    sig: "*",
  });
  assert.deepEqual(
    [recs[2].text, recs[2].mean, recs[2].mark],
    ["–", "", ""],
  );
  assert.equal(recs[3].selected, "1");
  assert.deepEqual([recs[5].row, recs[5].column, recs[5].mark, recs[5].selected], [
    "A|B",
    "NDCG@5",
    "best",
    "1",
  ]);
  // The summary row belongs to no family (it followed the last section's).
  assert.deepEqual(recs.slice(8).map((r) => [r.section, r.row, r.text]), [
    ["", "Impr.", "+11.1%"],
    ["", "Impr.", "+2.5%"],
    ["", "Impr.", "–"],
    ["", "Impr.", "–"],
  ]);
  assert.equal(renderTable(sample(), "csv"), csv);
});

Deno.test("formatMeanStd and markColumns: display rounding, ties share marks, summary ignored", () => {
  assert.equal(formatMeanStd(ms(0.31, 0.01414, 2), 2), "0.3100 ± 0.0141");
  assert.equal(formatMeanStd(ms(0.31, 0, 1), 1), "0.3100");
  assert.equal(formatMeanStd(ms(0.31, 0.01, 2), 3), "0.3100 ± 0.0100 (n=2)");
  const rows: Row[] = [
    { kind: "row", label: "a", cells: [{ value: ms(0.30001), text: "" }] },
    { kind: "row", label: "b", cells: [{ value: ms(0.30002), text: "" }] },
    { kind: "row", label: "c", cells: [{ value: ms(0.2), text: "" }] },
    { kind: "row", label: "d", cells: [{ value: ms(0.1), text: "" }] },
    { kind: "row", label: "s", summary: true, cells: [{ value: ms(9), text: "" }] },
  ];
  markColumns(rows);
  const marks = rows.map((r) => r.kind === "row" ? r.cells[0].mark : undefined);
  assert.deepEqual(marks, ["best", "best", "second", undefined, undefined]);
});

Deno.test("markColumns: rows the predicate leaves out take no mark and push no one down", () => {
  const fresh = (): Row[] => [
    { kind: "row", label: "floor", cells: [{ value: ms(0.9), text: "" }] },
    { kind: "row", label: "a", cells: [{ value: ms(0.5), text: "" }] },
    { kind: "row", label: "b", cells: [{ value: ms(0.4), text: "" }] },
    { kind: "row", label: "c", cells: [{ value: ms(0.3), text: "" }] },
  ];
  const marks = (rows: Row[]) => rows.map((r) => r.kind === "row" ? r.cells[0].mark : undefined);
  const ranked = fresh();
  markColumns(ranked, (r) => r.label !== "floor");
  assert.deepEqual(marks(ranked), [undefined, "best", "second", undefined]);
  // Default: every row is ranked.
  const all = fresh();
  markColumns(all);
  assert.deepEqual(marks(all), ["best", "second", undefined, undefined]);
  // Fewer than two ranked filled cells: no marks at all.
  const one = fresh().slice(0, 2);
  markColumns(one, (r) => r.label !== "floor");
  assert.deepEqual(marks(one), [undefined, undefined]);
});

// ---- table3Table ----------------------------------------------------------------------------

const meta5: TableMeta = {
  protocol: "item2user",
  part: "test",
  splits: { ml: "item split [split 0123]" },
  seeds: [1, 2, 3, 4, 5],
  codeVersion: "abc1234",
};

function seedRows(
  model: string,
  hr: number[],
  ndcg: number[],
  family?: ResultRow["family"],
): ResultRow[] {
  return hr.map((h, i) => ({
    model,
    dataset: "ml",
    seed: i + 1,
    family,
    metrics: { "HR@5": h, "NDCG@5": ndcg[i] },
  }));
}

// HR@5: Best − Second = [0.10, 0.11, 0.09, 0.13, 0.09] on every seed: clearly significant.
// NDCG@5: differences [0.10, −0.11, 0.06, −0.05, 0.04] (mean 0.008): clearly not.
const BEST_HR = [0.5, 0.52, 0.51, 0.53, 0.5]; // mean 0.512
const SECOND_HR = [0.4, 0.41, 0.42, 0.4, 0.41]; // mean 0.408
const BEST_NDCG = [0.5, 0.3, 0.45, 0.35, 0.42]; // mean 0.404
const SECOND_NDCG = [0.4, 0.41, 0.39, 0.4, 0.38]; // mean 0.396
const FLOOR = [0.1, 0.1, 0.1, 0.1, 0.1];

function familyRows(): ResultRow[] {
  return [
    ...seedRows("M2VAE", BEST_HR, BEST_NDCG, "ours"),
    ...seedRows("CLCRec", SECOND_HR, SECOND_NDCG, "contrastive"),
    ...seedRows("Random", FLOOR, FLOOR, "sanity"),
    ...seedRows("CVAE", [0.2, 0.2, 0.2, 0.2, 0.2], FLOOR, "VAE-based"),
    ...seedRows("CCFCRec", [0.3, 0.3, 0.3, 0.3, 0.3], FLOOR, "contrastive"),
  ];
}

function bodyLabels(t: Table): string[] {
  return t.rows.map((r) => r.kind === "section" ? `# ${r.label}` : r.label);
}

function cell(t: Table, label: string, column: string) {
  const r = t.rows.find((x) => x.kind === "row" && x.label === label);
  assert.ok(r && r.kind === "row", `no row ${label}`);
  const i = t.columns.findIndex((c) => c.name === column);
  assert.ok(i >= 0, `no column ${column}`);
  return r.cells[i];
}

Deno.test("table3Table: families become sections in FAMILY_ORDER, rows keep first-seen order", () => {
  const t = table3Table(familyRows(), meta5, { metrics: ["HR@5", "NDCG@5"] });
  assert.deepEqual(bodyLabels(t), [
    "# Reference floors",
    "Random",
    "# Contrastive",
    "CLCRec",
    "CCFCRec",
    "# VAE-based",
    "CVAE",
    "# Ours",
    "M2VAE",
  ]);
  assert.deepEqual(t.columns, [{ group: "ml", name: "HR@5" }, { group: "ml", name: "NDCG@5" }]);
  assert.equal(cell(t, "M2VAE", "HR@5").mark, "best");
  assert.equal(cell(t, "CLCRec", "HR@5").mark, "second");
  assert.equal(cell(t, "CCFCRec", "HR@5").mark, undefined);
  // Section rows render in italics in markdown and LaTeX.
  const md = renderMarkdown(t);
  assert.ok(md.includes("| *Reference floors* |"), md);
  assert.ok(renderLatex(t).includes("\\multicolumn{3}{l}{\\textit{Reference floors}} \\\\"));
  // Without families there are no sections.
  const plain = table3Table(
    familyRows().map((r) => ({ ...r, family: undefined })),
    meta5,
    { metrics: ["HR@5"] },
  );
  assert.deepEqual(bodyLabels(plain), ["M2VAE", "CLCRec", "Random", "CVAE", "CCFCRec"]);
});

Deno.test("table3Table: Impr. 95 % is the gain's bootstrap interval over the queries, where both rows stored them", () => {
  const ids = Int32Array.from({ length: 40 }, (_, q) => 100 + q);
  // Per query: CLCRec 0.4 on every query, M2VAE 0.5 on every query (+25 % whatever the draw) for
  // HR@5; NDCG@5 per query 0 or 1 for both, M2VAE's mean ahead.
  const withQueries = (r: ResultRow): ResultRow => {
    const hr = r.model === "M2VAE" ? 0.5 : 0.4;
    const hit = (q: number) => (r.model === "M2VAE" ? q % 4 !== 0 : q % 3 !== 0) ? 1 : 0;
    return {
      ...r,
      queries: {
        ids,
        metrics: {
          "HR@5": new Float64Array(40).fill(hr),
          "NDCG@5": Float64Array.from({ length: 40 }, (_, q) => hit(q)),
        },
      },
    };
  };
  const rows = familyRows().map((
    r,
  ) => (r.model === "M2VAE" || r.model === "CLCRec" ? withQueries(r) : r));
  const t = table3Table(rows, meta5, {
    metrics: ["HR@5", "NDCG@5"],
    improvement: true,
    improvementInterval: {},
  });
  const last = t.rows[t.rows.length - 1];
  assert.ok(last.kind === "row" && last.summary && last.label === "Impr. 95 %");
  assert.equal(last.cells[0].text, "[+25.0%, +25.0%]");
  const [lo, hi] = last.cells[1].text.slice(1, -1).split(", ").map((x) => parseFloat(x));
  // NDCG@5 per query: M2VAE 30 of 40, CLCRec 26 of 40: +15.4 % in the middle of the interval.
  assert.ok(lo < 15.4 && 15.4 < hi && lo < 0, `${lo} ${hi}`);
  assert.match(
    t.caption,
    /Impr\. 95 %: a percentile bootstrap interval of Impr\. over the test items \(10000 draws/,
  );
  // LaTeX: one rule above the two summary rows, none between them; ∞ in math mode.
  const tex = renderLatex(t).split("\n");
  const at = tex.findIndex((l) => l.startsWith("Impr. &"));
  assert.equal(tex[at - 1], "\\midrule");
  assert.ok(tex[at + 1].startsWith("Impr. 95 \\% &"));
  assert.equal(escapeLatex("[+1.0%, +∞]"), "[+1.0\\%, +$\\infty$]");
  // The same table again: the same intervals (seeded per column).
  const again = table3Table(rows, meta5, {
    metrics: ["HR@5", "NDCG@5"],
    improvement: true,
    improvementInterval: {},
  });
  assert.deepEqual(again.rows.at(-1), last);
  // One seed of the baseline without its queries: no interval, so no row.
  const partial = rows.map((
    r,
  ) => (r.model === "CLCRec" && r.seed === 2 ? { ...r, queries: undefined } : r));
  const none = table3Table(partial, meta5, {
    metrics: ["HR@5"],
    improvement: true,
    improvementInterval: {},
  });
  assert.equal(none.rows.at(-1)!.label, "Impr.");
  assert.doesNotMatch(none.caption, /Impr\. 95 %/);
});

Deno.test("table3Table: Impr. row is the relative gain of the best M2VAE row over the best baseline", () => {
  const t = table3Table(familyRows(), meta5, { metrics: ["HR@5", "NDCG@5"], improvement: true });
  const last = t.rows[t.rows.length - 1];
  assert.ok(last.kind === "row" && last.summary);
  assert.equal(last.label, "Impr.");
  // M2VAE (ours) over CLCRec (best baseline; the Random floor never counts):
  // HR@5: (0.512 − 0.408) / 0.408 = 25.49…% ; NDCG@5: (0.404 − 0.396) / 0.396 = 2.02…%.
  assert.deepEqual(last.cells.map((c) => c.text), ["+25.5%", "+2.0%"]);
  assert.match(
    t.caption,
    /Impr\.: relative gain of the best M2VAE row \(its variants left out .*\) over the best baseline/,
  );
  // Without the option there is no such row.
  const plain = table3Table(familyRows(), meta5, { metrics: ["HR@5", "NDCG@5"] });
  assert.ok(!bodyLabels(plain).includes("Impr."));
});

Deno.test("table3Table: significance marks * only where the paired test over 5 seeds has p < 0.05", () => {
  const t = table3Table(familyRows(), meta5, { metrics: ["HR@5", "NDCG@5"], significance: true });
  const hr = cell(t, "M2VAE", "HR@5"), ndcg = cell(t, "M2VAE", "NDCG@5");
  assert.equal(hr.mark, "best");
  assert.equal(hr.sig, "*");
  assert.equal(ndcg.mark, "best");
  assert.equal(ndcg.sig, undefined);
  assert.equal(cell(t, "CLCRec", "HR@5").sig, undefined);
  assert.match(t.caption, /paired two-sided t-test/);
  assert.ok(renderMarkdown(t).includes("**0.5120 ± 0.0130\\***"));
  // Off by default.
  const off = table3Table(familyRows(), meta5, { metrics: ["HR@5", "NDCG@5"] });
  assert.equal(cell(off, "M2VAE", "HR@5").sig, undefined);
  assert.doesNotMatch(off.caption, /t-test/);
  // When nothing is significant the caption does not mention the test.
  const none = table3Table(
    [...seedRows("A", BEST_NDCG, BEST_NDCG), ...seedRows("B", SECOND_NDCG, SECOND_NDCG)],
    meta5,
    { metrics: ["HR@5"], significance: true },
  );
  assert.equal(cell(none, "A", "HR@5").sig, undefined);
  assert.doesNotMatch(none.caption, /t-test/);
});

// ---- table4Table ----------------------------------------------------------------------------

Deno.test("table4Table: first two metrics only, full model first, no sections", () => {
  const meta3: TableMeta = { ...meta5, seeds: [1, 2] };
  const rows: ResultRow[] = [];
  const add = (model: string, base: number) => {
    for (const seed of [1, 2]) {
      rows.push({
        model,
        dataset: "ml",
        seed,
        family: "ours",
        metrics: { "HR@5": base + seed / 100, "NDCG@5": base, "HR@10": base, "NDCG@10": base },
      });
    }
  };
  add("M2VAE w/o SG", 0.2);
  add("M2VAE", 0.3);
  add("M2VAE w/o VAE", 0.1);
  const t = table4Table(rows, meta3, "M2VAE");
  assert.deepEqual(t.columns, [{ group: "ml", name: "HR@5" }, { group: "ml", name: "NDCG@5" }]);
  assert.deepEqual(bodyLabels(t), ["M2VAE", "M2VAE w/o SG", "M2VAE w/o VAE"]);
  assert.equal(t.corner, "Variant");
  assert.match(t.caption, /^Ablation study\. /);
  assert.equal(cell(t, "M2VAE", "HR@5").mark, "best");
  assert.equal(cell(t, "M2VAE w/o SG", "NDCG@5").mark, "second");
  // Without `full`, first-seen order.
  assert.deepEqual(bodyLabels(table4Table(rows, meta3)), [
    "M2VAE w/o SG",
    "M2VAE",
    "M2VAE w/o VAE",
  ]);
  // user2item uses Recall@10 and NDCG@10.
  const u2i = table4Table(
    [{ model: "X", dataset: "ml", seed: 1, metrics: { "Recall@10": 0.1, "NDCG@10": 0.2 } }],
    { ...meta3, protocol: "user2item", seeds: [1] },
  );
  assert.deepEqual(u2i.columns.map((c) => c.name), ["Recall@10", "NDCG@10"]);
});

// ---- grid tables ----------------------------------------------------------------------------

function cand(point: Record<string, unknown[]>, mean: number): Candidate {
  return {
    pointLabel: Object.entries(point).map(([k, v]) =>
      `${k}=${v.length === 1 ? v[0] : `(${v.join(", ")})`}`
    ).join(", "),
    point,
    score: ms(mean, 0.001, 3),
    keys: [],
    seeds: [1, 2, 3],
  };
}

function selection(candidates: Candidate[], chosen: number): Selection {
  return {
    protocol: "item2user",
    dataset: "ml",
    model: "m2vae",
    label: "M2VAE",
    variant: "full",
    family: "ours",
    metric: "NDCG@10",
    candidates,
    chosen,
  };
}

function texts(t: Table): string[][] {
  return t.rows.map((r) => r.kind === "row" ? [r.label, ...r.cells.map((c) => c.text)] : []);
}

Deno.test("gridTable: a 2×2 selection pivots rows × columns and marks the chosen cell", () => {
  const s = selection([
    cand({ alpha: [1], beta: [0.1] }, 0.11),
    cand({ alpha: [1], beta: [0.5] }, 0.15),
    cand({ alpha: [10], beta: [0.1] }, 0.3),
    cand({ alpha: [10], beta: [0.5] }, 0.2),
  ], 2);
  assert.deepEqual(selectionAxes(s), ["alpha", "beta"]);
  const t = gridTable(s, "alpha", "beta", "Cap.");
  assert.equal(t.corner, "alpha \\ beta");
  assert.deepEqual(t.columns.map((c) => c.name), ["0.1", "0.5"]);
  assert.deepEqual(texts(t), [
    ["1", "0.1100 ± 0.0010", "0.1500 ± 0.0010"],
    ["10", "0.3000 ± 0.0010", "0.2000 ± 0.0010"],
  ]);
  const selected = t.rows.flatMap((r, i) =>
    r.kind === "row" ? r.cells.flatMap((c, j) => c.selected ? [[i, j]] : []) : []
  );
  assert.deepEqual(selected, [[1, 0]]);
  assert.match(t.caption, /^Cap\. Selected configuration \(◀\): alpha=10, beta=0\.1 /);
  assert.ok(renderMarkdown(t).includes("0.3000 ± 0.0010 ◀"));
  // Transposed: beta as rows.
  const tt = gridTable(s, "beta", "alpha", "Cap.");
  assert.deepEqual(texts(tt), [
    ["0.1", "0.1100 ± 0.0010", "0.3000 ± 0.0010"],
    ["0.5", "0.1500 ± 0.0010", "0.2000 ± 0.0010"],
  ]);
  // A missing combination shows "–".
  const holey = gridTable(selection(s.candidates.slice(0, 3), 2), "alpha", "beta", "");
  assert.deepEqual(texts(holey)[1], ["10", "0.3000 ± 0.0010", "–"]);
});

Deno.test("gridTables: three axes give a matrix and a one-axis table at the selected values", () => {
  const cands: Candidate[] = [];
  let chosen = -1;
  for (const alpha of [1, 10]) {
    for (const beta of [0.1, 0.5]) {
      for (const pair of [[5, 20], [10, 40]]) {
        // Value encodes the point: alpha/100 + beta/10 + cp/1000.
        const v = alpha / 100 + beta / 10 + pair[0] / 1000;
        if (alpha === 10 && beta === 0.1 && pair[0] === 10) chosen = cands.length;
        cands.push(cand({ alpha: [alpha], beta: [beta], "cp,cn": pair }, v));
      }
    }
  }
  const tables = gridTables(selection(cands, chosen), "Cap.");
  assert.equal(tables.length, 2);
  const [matrix, single] = tables;
  // The matrix holds cp,cn at the chosen (10, 40).
  assert.deepEqual(texts(matrix), [
    [
      "1",
      (0.01 + 0.01 + 0.01).toFixed(4) + " ± 0.0010",
      (0.01 + 0.05 + 0.01).toFixed(4) + " ± 0.0010",
    ],
    [
      "10",
      (0.1 + 0.01 + 0.01).toFixed(4) + " ± 0.0010",
      (0.1 + 0.05 + 0.01).toFixed(4) + " ± 0.0010",
    ],
  ]);
  assert.match(matrix.caption, /Other axes held at the selected values: cp,cn=\(10, 40\)\./);
  assert.equal(matrix.rows[1].kind === "row" && matrix.rows[1].cells[0].selected, true);
  // The one-axis table over cp,cn holds alpha=10, beta=0.1.
  assert.equal(single.corner, "cp,cn");
  assert.deepEqual(single.columns, [{ group: "", name: "valid NDCG@10" }]);
  assert.deepEqual(texts(single), [
    ["(5, 20)", (0.1 + 0.01 + 0.005).toFixed(4) + " ± 0.0010"],
    ["(10, 40)", (0.1 + 0.01 + 0.01).toFixed(4) + " ± 0.0010"],
  ]);
  assert.match(single.caption, /Other axes held at the selected values: alpha=10, beta=0\.1\./);
  assert.deepEqual(
    single.rows.map((r) => r.kind === "row" && r.cells[0].selected === true),
    [false, true],
  );
  // Nothing to show for a single candidate or no axes.
  assert.deepEqual(gridTables(selection([cands[0]], 0), ""), []);
  assert.deepEqual(gridTables(selection([cand({}, 0.1), cand({}, 0.2)], 1), ""), []);
});
