/**
 * What a results table's caption states ({@linkcode TableMeta}: protocol, part, splits, seeds,
 * code version) and its words: the caption line of the Table 3 and Table 4 layouts
 * ({@linkcode table3Caption}) and the sentences it gains for the marks and rows a table has
 * (significance, Impr., reference floors, planted oracles, rows still improving).
 *
 * @example Usage
 * ```ts
 * import { splitLabel, table3Caption } from "./table_caption.ts";
 * table3Caption({
 *   protocol: "item2user", part: "test", seeds: [1, 2, 3], codeVersion: "abc1234",
 *   splits: { "ml-20m": splitLabel(split) },
 * }, ["ml-20m"]); // "Part: cold test items. Protocol: item2user (the paper's, …"
 * ```
 *
 * @module
 */
import type { Protocol } from "../eval/protocol.ts";
import type { ColdSplit, EvalPart } from "../split/types.ts";

/** What the caption of a table states. */
export interface TableMeta {
  /** The protocol of every row. */
  protocol: Protocol;
  /** The evaluated part (Table 3 reports the cold test part). */
  part: EvalPart;
  /** Dataset name → its split's description and fingerprint (see {@linkcode splitLabel}). */
  splits: Record<string, string>;
  /** The seeds the runs used. */
  seeds: number[];
  /** Code version, e.g. a git commit. */
  codeVersion: string;
  /** Optional extra sentence for the caption. */
  note?: string;
  /**
   * user2item: the candidate items, `all-cold` or `part` (see `settings.candidates`), or each
   * with its rows where rows differ (`part: A, B; all-cold: C`).
   */
  candidates?: string;
}

/** `description [fingerprint]` of a split, for {@linkcode TableMeta.splits}. */
export function splitLabel(split: Pick<ColdSplit, "description" | "fingerprint">): string {
  return `${split.description} [split ${split.fingerprint}]`;
}

const PROTOCOL_TEXT: Record<Protocol, string> = {
  item2user:
    "Protocol: item2user (the paper's, from CCFCRec's code): each cold item ranks all training " +
    "users; HR@K is the paper's precision-style HR = hits / (items × K), not the usual hit " +
    "ratio or recall, and NDCG@K is CCFCRec's self-normalised NDCG (ideal = the retrieved " +
    "list re-sorted)",
  user2item: "Protocol: user2item (CLCRec/ColdRec): each user with an interaction in the part " +
    "ranks the candidate cold items; standard Recall@K, Precision@K, NDCG@K (ideal over " +
    "min(|P_u|, K)) and HitRate@K, averaged over users",
};

const PART_TEXT: Record<EvalPart, string> = { test: "cold test", valid: "cold validation" };

/** The caption line: protocol, part, splits with fingerprints, seeds and code version. */
export function table3Caption(meta: TableMeta, datasets: readonly string[]): string {
  const splits = datasets.map((d) => `${d}: ${meta.splits[d]}`).join("; ");
  const seeds = meta.seeds.join(", ");
  const cells = meta.seeds.length > 1
    ? `cells are mean ± sample std over ${meta.seeds.length} seeds`
    : "cells are single-seed values";
  const candidates = meta.protocol !== "user2item"
    ? ""
    : meta.candidates === "part"
    ? " Candidates: the evaluated part's cold items only."
    : meta.candidates === undefined || meta.candidates === "all-cold"
    ? " Candidates: all cold items, validation and test together (as ColdRec)."
    : ` Candidates differ by row (part: the evaluated part's cold items; all-cold: validation ` +
      `and test cold items together): ${meta.candidates}.`;
  return `Part: ${PART_TEXT[meta.part]} items. ` +
    `${
      PROTOCOL_TEXT[meta.protocol]
    }.${candidates} Splits: ${splits}. Seeds: ${seeds} (${cells}). ` +
    `Code version: ${meta.codeVersion}. Best per column in bold, second-best underlined.` +
    (meta.note ? ` ${meta.note.replace(/\r?\n/g, " ")}` : "");
}

/** Caption sentence of the `*` marks when every tested column had seeds only. */
export const SIGNIFICANCE_NOTE = "* marks a best result whose paired two-sided t-test over " +
  "≥ 3 seeds against the second-best has p < 0.05.";

/**
 * Caption sentence of the `*` marks (Table 3 and Table 4): over the seeds, and over the test
 * `unit` (items or users) where the columns had the rows' metrics per query.
 */
export function significanceNote(
  how: { overQueries: boolean; seedsOnly: boolean },
  unit: string,
): string {
  if (!how.overQueries) return SIGNIFICANCE_NOTE;
  return "* marks a best result whose paired two-sided t-test over ≥ 3 seeds against the " +
    `second-best has p < 0.05 and whose lead over it per test ${unit.replace(/s$/, "")} (each ` +
    `${unit.replace(/s$/, "")}'s metric the mean over seeds) has a 95 % bootstrap interval ` +
    `above 0${
      how.seedsOnly ? " where the trials kept their metrics per query (seeds only elsewhere)" : ""
    }.`;
}

/** Caption sentence of the "Impr." row. */
export const IMPROVEMENT_NOTE = "Impr.: relative gain of the best M2VAE row (its variants " +
  "left out when the full model is a row) over the best baseline (reference floors " +
  "excluded); negative when a baseline is better.";

/** Caption sentence of the "Impr." row's interval over the queries, when the table has it. */
export function improvementIntervalNote(unit: string, resamples: number): string {
  return `Impr. 95 %: a percentile bootstrap interval of Impr. over the test ${unit} (${resamples} ` +
    `draws of the ${unit}, each ${unit.replace(/s$/, "")}'s metric the mean over seeds): how far ` +
    `Impr. could move with another draw of ${unit} of the same kind, which the ± over seeds ` +
    "does not see.";
}

/** Caption sentence of the reference floors, when the table has any. */
export const FLOORS_NOTE = "Reference floors are never marked best or second-best.";

/** Table 3's caption where ablation rows stand beside the full model they ablate. */
export const ABLATIONS_UNRANKED_NOTE = "Ablations beside their full model are not ranked: bold, " +
  "underline and * compare models, not a model with one of its parts taken away.";

/** Caption sentence of the planted-oracle rows, when there are any. */
export const ORACLE_NOTE = "Planted oracles score with the synthetic generator's own utilities " +
  "(no sampling noise, nothing trained): ceilings, never marked and never in Impr.";

/** The caption sentence explaining the `≡` mark of {@linkcode ResultRow.sameAsFull} cells. */
export const SAME_AS_FULL_NOTE = "≡ the full model on that dataset, up to its initial draws: " +
  "the variant switches off a part that cannot act there (and runs the full row's configuration " +
  "and settings), so it differs from the full row as another initialisation does.";

/** Caption sentence of the `†` marks, when a cell has one. */
export const STILL_IMPROVING_NOTE = "† still improving at the epoch cap (kept checkpoint = " +
  "last validation) for at least one seed: its numbers are a lower bound.";
