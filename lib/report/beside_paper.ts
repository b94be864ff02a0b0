/**
 * Our Table 3 beside the paper's: for a dataset that stands for one of the paper's columns
 * (`paper_table3.ts`), each row that both tables have, with our mean ± std, the paper's printed
 * mean and their ratio per metric, M2VAE's improvement over the best baseline in each (over the
 * rows both have), and in the caption how far the two tables rank the rows alike (Kendall's τ-b
 * per metric). A reproduction reads here whether its rows land where the paper's did, not only
 * whether its M2VAE row wins.
 *
 * @example Usage
 * ```ts
 * import { besidePaperTable } from "./beside_paper.ts";
 * const table = besidePaperTable(rows, "amazon-s3rec", "Sports&Outdoors", meta);
 * ```
 *
 * @module
 */
import { aggregateRows, type MeanStd, type ResultRow } from "./aggregate.ts";
import {
  PAPER_COLUMN_NOTES,
  PAPER_METRICS,
  PAPER_TABLE3,
  type PaperColumn,
} from "./paper_table3.ts";
import { formatGain, REFERENCE_FAMILIES } from "./table3.ts";
import { STILL_IMPROVING_NOTE, table3Caption, type TableMeta } from "./table_caption.ts";
import {
  type Cell,
  type Column,
  formatMeanStd,
  markColumns,
  type Row,
  type Table,
} from "./table_model.ts";

/** The label of M2VAE's row in both tables. */
const OURS = "M2VAE";

/**
 * Kendall's τ-b between two rankings of the same items (ties in either count as in τ-b);
 * undefined for fewer than two items or when either side is all ties.
 */
export function kendallTau(a: readonly number[], b: readonly number[]): number | undefined {
  if (a.length !== b.length) throw new RangeError("kendallTau: the two lists differ in length");
  let concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const x = Math.sign(a[i] - a[j]), y = Math.sign(b[i] - b[j]);
      if (x === 0 && y === 0) continue;
      if (x === 0) tiesA++;
      else if (y === 0) tiesB++;
      else if (x === y) concordant++;
      else discordant++;
    }
  }
  const n0 = concordant + discordant;
  const denominator = Math.sqrt((n0 + tiesA) * (n0 + tiesB));
  return denominator > 0 ? (concordant - discordant) / denominator : undefined;
}

/** M2VAE's relative gain over the best other row, in %, or undefined when either is missing. */
function improvement(values: Map<string, number>): number | undefined {
  const ours = values.get(OURS);
  const others = [...values].filter(([label]) => label !== OURS).map(([, v]) => v);
  if (ours === undefined || others.length === 0) return undefined;
  const best = Math.max(...others);
  return best > 0 ? (ours - best) / best * 100 : undefined;
}

function percent(x: number | undefined): string {
  return x === undefined ? "–" : formatGain(x);
}

/**
 * Builds the table for `dataset` against the paper's `column`, or undefined when no full-model,
 * non-floor row of `rows` on that dataset is a row of the paper (or the rows are not item2user,
 * the paper's protocol). Floors and variants are left out: the paper has neither.
 */
export function besidePaperTable(
  rows: readonly ResultRow[],
  dataset: string,
  column: PaperColumn,
  meta: TableMeta,
): Table | undefined {
  if (meta.protocol !== "item2user") return undefined;
  const paper = PAPER_TABLE3[column];
  const ours = rows.filter((r) =>
    r.dataset === dataset && (r.variant ?? "full") === "full" &&
    !(r.family !== undefined && REFERENCE_FAMILIES.includes(r.family)) && r.model in paper
  );
  if (ours.length === 0) return undefined;
  const metrics = [...PAPER_METRICS];
  const cells = aggregateRows(ours, metrics);
  const labels = [...new Set(ours.map((r) => r.model))];
  const seeds = Math.max(...labels.map((l) => ours.filter((r) => r.model === l).length));
  const columns: Column[] = metrics.flatMap((m) => [
    { group: m, name: "ours" },
    { group: m, name: "paper" },
    { group: m, name: "ours ÷ paper" },
  ]);
  const improving = new Set(ours.filter((r) => r.stillImproving).map((r) => r.model));
  const body: Row[] = labels.map((label) => ({
    kind: "row",
    label,
    cells: metrics.flatMap((m): Cell[] => {
      const o: MeanStd | undefined = cells.get(label)?.get(dataset)?.get(m);
      const p = paper[label][m];
      const dagger = improving.has(label) ? " †" : "";
      return [
        o ? { value: o, text: formatMeanStd(o, seeds) + dagger } : { text: "–" },
        { value: { mean: p, std: 0, n: 1 }, text: p.toFixed(4) },
        { text: o && p > 0 ? `${(o.mean / p).toFixed(2)}×` : "–" },
      ];
    }),
  }));
  markColumns(body);
  // Ratios are not ranked: only the two tables' own columns carry marks.
  for (const r of body) {
    if (r.kind === "row") r.cells.forEach((c, i) => i % 3 === 2 && delete c.mark);
  }
  const oursMeans = (m: string) =>
    new Map(labels.flatMap((l) => {
      const v = cells.get(l)?.get(dataset)?.get(m);
      return v ? [[l, v.mean] as [string, number]] : [];
    }));
  const paperMeans = (m: string) => new Map(labels.map((l) => [l, paper[l][m]]));
  body.push({
    kind: "row",
    label: "Impr.",
    summary: true,
    cells: metrics.flatMap((m) => [
      { text: percent(improvement(oursMeans(m))) },
      { text: percent(improvement(paperMeans(m))) },
      { text: "" },
    ]),
  });
  const agreement = metrics.map((m) => {
    const o = oursMeans(m), common = labels.filter((l) => o.has(l));
    const tau = kendallTau(common.map((l) => o.get(l)!), common.map((l) => paper[l][m]));
    return `${m} ${tau === undefined ? "–" : tau.toFixed(2)}`;
  }).join(", ");
  const absent = Object.keys(paper).filter((l) => !labels.includes(l));
  const caption =
    `Beside the paper's Table 3, its ${column} column (${
      PAPER_COLUMN_NOTES[column]
    }): ours on ${dataset} against the means the paper prints (5 runs); ÷ is ours over the ` +
    `paper's. Impr. is M2VAE over the best other row in each, over the ${labels.length} rows ` +
    `both tables have. Rank agreement of the two tables over those rows (Kendall's τ-b; 1 the ` +
    `same order, 0 none): ${agreement}.` +
    (absent.length > 0 ? ` Paper rows not in this experiment: ${absent.join(", ")}.` : "") +
    (improving.size > 0 ? ` ${STILL_IMPROVING_NOTE}` : "") +
    ` ${table3Caption(meta, [dataset])}`;
  return {
    title: `Table 3 beside the paper (${column})`,
    caption,
    corner: "Model",
    columns,
    rows: body,
  };
}
